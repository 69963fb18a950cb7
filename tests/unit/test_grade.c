/* test_grade.c — the exam grade calculator (DESIGN.md §2): the worked example, every letter
 * boundary on both sides, rounding half up, and invalid input. */
#include "../harness.h"
#include "adal.h"

#include <math.h>

TEST(grade_design_example)
{
    /* 100, 75, 60, 45, 100, 49 → 429 / 6 = 71.5 → 72 → C+ «Жақсы» */
    const double p[] = {100, 75, 60, 45, 100, 49};
    adal_grade g;
    CHECK_EQ_INT(adal_grade_compute(&g, p, 6), ADAL_OK);
    CHECK(fabs(g.mean - 71.5) < 1e-12);
    CHECK_EQ_INT(g.rounded, 72);
    CHECK_EQ_STR(g.letter, "C+");
    CHECK(fabs(g.gpa - 2.33) < 1e-12);
    CHECK_EQ_STR(g.word_kk, "Жақсы");
    CHECK_EQ_STR(g.word_ru, "Хорошо");
    CHECK_EQ_STR(g.word_en, "Good");
}

TEST(grade_every_boundary)
{
    static const struct {
        int lo, hi;
        const char *letter;
        double gpa;
        const char *kk, *ru;
    } scale[] = {
        {95, 100, "A", 4.0, "Өте жақсы", "Отлично"},
        {90, 94, "A-", 3.67, "Өте жақсы", "Отлично"},
        {85, 89, "B+", 3.33, "Жақсы", "Хорошо"},
        {80, 84, "B", 3.0, "Жақсы", "Хорошо"},
        {75, 79, "B-", 2.67, "Жақсы", "Хорошо"},
        {70, 74, "C+", 2.33, "Жақсы", "Хорошо"},
        {65, 69, "C", 2.0, "Қанағаттанарлық", "Удовлетворительно"},
        {60, 64, "C-", 1.67, "Қанағаттанарлық", "Удовлетворительно"},
        {55, 59, "D+", 1.33, "Қанағаттанарлық", "Удовлетворительно"},
        {50, 54, "D", 1.0, "Қанағаттанарлық", "Удовлетворительно"},
        {25, 49, "FX", 0.5, "Қанағаттанарлықсыз", "Неудовлетворительно"},
        {0, 24, "F", 0.0, "Қанағаттанарлықсыз", "Неудовлетворительно"},
    };
    for (size_t i = 0; i < sizeof scale / sizeof scale[0]; i++) {
        int ends[2] = {scale[i].lo, scale[i].hi};
        for (int e = 0; e < 2; e++) {
            double p = ends[e];
            adal_grade g;
            CHECK_EQ_INT(adal_grade_compute(&g, &p, 1), ADAL_OK);
            CHECK_EQ_INT(g.rounded, ends[e]);
            CHECK_EQ_STR(g.letter, scale[i].letter);
            CHECK(fabs(g.gpa - scale[i].gpa) < 1e-12);
            CHECK_EQ_STR(g.word_kk, scale[i].kk);
            CHECK_EQ_STR(g.word_ru, scale[i].ru);
        }
        /* x.5 below the lower bound rounds up into this letter; x.49 stays below */
        if (scale[i].lo > 0) {
            double p = scale[i].lo - 0.5, q = scale[i].lo - 0.51;
            adal_grade g, h;
            CHECK_EQ_INT(adal_grade_compute(&g, &p, 1), ADAL_OK);
            CHECK_EQ_STR(g.letter, scale[i].letter);
            CHECK_EQ_INT(adal_grade_compute(&h, &q, 1), ADAL_OK);
            CHECK_EQ_STR(h.letter, scale[i + 1].letter);
        }
    }
}

TEST(grade_rounds_half_up_after_averaging)
{
    /* 89 and 90 → 89.5 → 90 (A-), not banker's rounding to 90 or truncation to 89 */
    const double a[] = {89, 90};
    adal_grade g;
    CHECK_EQ_INT(adal_grade_compute(&g, a, 2), ADAL_OK);
    CHECK_EQ_INT(g.rounded, 90);
    CHECK_EQ_STR(g.letter, "A-");
    /* 0.1 + 0.2 sums are not exact in binary: 64.4, 64.6 → 64.5 → 65 (C) */
    const double b[] = {64.4, 64.6};
    CHECK_EQ_INT(adal_grade_compute(&g, b, 2), ADAL_OK);
    CHECK_EQ_INT(g.rounded, 65);
    CHECK_EQ_STR(g.letter, "C");
    const double c[] = {24.49};
    CHECK_EQ_INT(adal_grade_compute(&g, c, 1), ADAL_OK);
    CHECK_EQ_STR(g.letter, "F");
    CHECK_EQ_STR(g.word_en, "Unsatisfactory");
}

TEST(grade_invalid_input)
{
    adal_grade g;
    const double ok[] = {50};
    CHECK_EQ_INT(adal_grade_compute(&g, ok, 0), ADAL_EINVAL);
    CHECK_EQ_INT(adal_grade_compute(&g, NULL, 1), ADAL_EINVAL);
    CHECK_EQ_INT(adal_grade_compute(NULL, ok, 1), ADAL_EINVAL);
    const double bad[][2] = {{50, 100.01}, {-0.01, 50}, {50, NAN}, {INFINITY, 50}, {50, -INFINITY}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ_INT(adal_grade_compute(&g, bad[i], 2), ADAL_EINVAL);
    const double edge[] = {0, 100};
    CHECK_EQ_INT(adal_grade_compute(&g, edge, 2), ADAL_OK);
    CHECK_EQ_INT(g.rounded, 50);
    CHECK_EQ_STR(g.letter, "D");
}
