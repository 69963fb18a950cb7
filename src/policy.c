/* policy.c — the university's rubric (DESIGN.md §2) as data: originality cut-offs, the grade
 * band each unlocks, labels in Kazakh, Russian and English, and the borderline margin. Used by
 * the score (score.c) once the originality percentages are known. adal_grade_compute (the
 * exam grade calculator) lives in grade.c.
 */
#include "internal.h"

#include <math.h>
#include <string.h>

void adal_policy_default(adal_policy *out)
{
    /* DESIGN.md §2. The source rubric leaves 50–59 % between two rows; the default puts it
     * with 40–59 in the unsatisfactory row, as DESIGN.md says. */
    static const adal_band bands[] = {
        {80, "90-100", "өте жақсы", "отлично", "excellent"},
        {70, "70-89", "жақсы", "хорошо", "good"},
        {60, "50-69", "қанағаттанарлық", "удовлетворительно", "satisfactory"},
        {40, "below 49", "қанағаттанарлықсыз", "неудовлетворительно", "unsatisfactory"},
        {0, "0 (not accepted)", "жұмыс қабылданбайды", "работа не принимается", "not accepted"},
    };
    memset(out, 0, sizeof *out);
    out->nbands = sizeof bands / sizeof bands[0];
    memcpy(out->bands, bands, sizeof bands);
    out->borderline_margin = 2.0;
    out->band_on_original = 0;
}

unsigned adal_policy_band(const adal_policy *p, double percent, int *borderline)
{
    unsigned n = p->nbands ? p->nbands : 1;
    if (n > ADAL_MAX_BANDS)
        n = ADAL_MAX_BANDS;
    if (borderline)
        *borderline = 0;
    if (isnan(percent))
        return n - 1;
    unsigned band = n - 1;
    for (unsigned i = 0; i < n; i++)
        if (percent >= p->bands[i].min - 1e-9) {
            band = i;
            break;
        }
    /* borderline: within the margin (inclusive) of any cut-off above 0; the 1e-9 absorbs
     * binary rounding of one-decimal percentages (78.0 is "2 points from 80") */
    if (borderline)
        for (unsigned i = 0; i < n; i++)
            if (p->bands[i].min > 0 &&
                fabs(percent - p->bands[i].min) <= p->borderline_margin + 1e-9)
                *borderline = 1;
    return band;
}
