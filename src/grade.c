/* grade.c — the exam grade calculator of DESIGN.md §2: the final grade is the mean of the
 * criterion percentages, rounded half up, mapped to the university's point-rating letter
 * scale (A 95–100 … F 0–24) with its GPA points and its word in Kazakh, Russian and English.
 * Stands outside the check pipeline; `adal grade` is its front end.
 */
#include "internal.h"

#include <math.h>

/* The point-rating scale, highest first: the lowest rounded percentage of each letter. */
static const struct {
    int min;
    const char *letter;
    double gpa;
    int word; /* index into words[] */
} scale[] = {
    {95, "A", 4.0, 0},   {90, "A-", 3.67, 0}, {85, "B+", 3.33, 1}, {80, "B", 3.0, 1},
    {75, "B-", 2.67, 1}, {70, "C+", 2.33, 1}, {65, "C", 2.0, 2},   {60, "C-", 1.67, 2},
    {55, "D+", 1.33, 2}, {50, "D", 1.0, 2},   {25, "FX", 0.5, 3},  {0, "F", 0.0, 3},
};

static const struct {
    const char *kk, *ru, *en;
} words[] = {
    {"Өте жақсы", "Отлично", "Excellent"},
    {"Жақсы", "Хорошо", "Good"},
    {"Қанағаттанарлық", "Удовлетворительно", "Satisfactory"},
    {"Қанағаттанарлықсыз", "Неудовлетворительно", "Unsatisfactory"},
};

int adal_grade_compute(adal_grade *out, const double *percents, size_t n)
{
    if (!out || !percents || n == 0 || n > (1u << 24))
        return ADAL_EINVAL;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        /* `!(a <= b)` also rejects NaN */
        if (!(percents[i] >= 0.0 && percents[i] <= 100.0))
            return ADAL_EINVAL;
        sum += percents[i];
    }
    double mean = sum / (double)n;
    /* Half up: 71.5 → 72. The epsilon absorbs binary noise such as 71.49999999999999 from
     * summing decimal fractions, far below any precision a grader types. */
    int rounded = (int)floor(mean + 0.5 + 1e-9);
    if (rounded > 100)
        rounded = 100;
    size_t k = 0;
    while (k + 1 < sizeof scale / sizeof scale[0] && rounded < scale[k].min)
        k++;
    out->mean = mean;
    out->rounded = rounded;
    out->letter = scale[k].letter;
    out->gpa = scale[k].gpa;
    out->word_kk = words[scale[k].word].kk;
    out->word_ru = words[scale[k].word].ru;
    out->word_en = words[scale[k].word].en;
    return ADAL_OK;
}
