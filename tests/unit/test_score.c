/* test_score.c — the originality score (DESIGN.md §3): cited quotations (with and without a
 * reference), the bibliography section, template and explicit exclusions, shares that sum
 * to 100.0, the rubric bands and borderline at every cut-off, and padding that changes
 * nothing. */
#include "../harness.h"
#include "match.h"
#include "tok_helper.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* 40 words of Abai (the borrowed text) and its source. */
static const char *ABAI =
    "Бұл жасқа келгенше жақсы өткіздік пе, жаман өткіздік пе, әйтеуір бірталай өмірімізді "
    "өткіздік: алыстық, жұлыстық, айтыстық, тартыстық — әурешілікті көре-көре келдік. Енді "
    "жер ортасы жасқа келдік: қажыдық, жалықтық; қылып жүрген ісіміздің баянсызын, "
    "байлаусызын көрдік, бәрі қоршылық екенін білдік";
static const char *RU1 =
    "В самом дешевом номерке меблированных комнат ходил студент-медик третьего курса и "
    "усердно зубрил свою медицину. От напряженной зубрежки у него пересохло во рту и "
    "выступил пот на лбу.";
static const char *RU2 =
    "У окна, подернутого по краям ледяными узорами, сидела на табурете его жилица Анюта, "
    "маленькая худенькая брюнетка лет двадцати пяти, очень бледная, с кроткими серыми "
    "глазами. Согнувши спину, она вышивала красными нитками по воротнику мужской сорочки.";

/* Check `query` against a source holding RU3 and ABAI. The caller frees the report, then
 * *qout and *sout (the report borrows both). */
/* In the source only (and in the assignment sheet of the template test). */
static const char *RU3 =
    "А я к вам с просьбой, начал он, обращаясь к Клочкову и зверски глядя из-под нависших на "
    "лоб волос. Сделайте одолжение, одолжите мне вашу прекрасную девицу часика на два.";

static adal_report *run(const char *query, const adal_check_opts *o, adal_doc **qout,
                        adal_doc **sout)
{
    char src[2048];
    snprintf(src, sizeof src, "%s\nАлыстық ойлар.\n%s. Тағы да басқа сөздер.", RU3, ABAI);
    adal_doc *s = th_doc(src), *q = th_doc(query);
    adal_report *r = NULL;
    if (s && q && adal_report_new(&r, NULL, q, o) == ADAL_OK) {
        if (adal_report_add_source(r, NULL, s, "abai") || adal_report_finish(r, NULL)) {
            adal_report_free(r);
            r = NULL;
        }
    }
    *qout = q;
    *sout = s;
    return r;
}

static adal_score score_of(const char *query, const adal_check_opts *o)
{
    adal_doc *q = NULL, *s = NULL;
    adal_report *r = run(query, o, &q, &s);
    adal_score sc;
    memset(&sc, 0, sizeof sc);
    sc.originality = -1;
    if (r)
        adal_report_score(r, &sc);
    adal_report_free(r);
    adal_doc_free(q);
    adal_doc_free(s);
    return sc;
}

static int sums_to_100(const adal_score *s)
{
    long t = lround(s->originality * 10) + lround(s->borrowed * 10) + lround(s->cited * 10);
    return t == 1000;
}

TEST(score_quote_with_reference_is_cited)
{
    static const char *refs[] = {" [3].",          " [3, б. 45].",        " [12, с. 7]",
                                 " (Абай, 1890).", " (Abai 1890, p. 4).", "¹.",
                                 "3 деп жазды."};
    char q[2048];
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        snprintf(q, sizeof q, "%s Абай айтқандай: «%s»%s %s", RU1, ABAI, refs[i], RU2);
        adal_score s = score_of(q, NULL);
        CHECK(s.cited > 20);
        CHECK(s.borrowed == 0.0);
        CHECK(sums_to_100(&s));
        if (s.borrowed != 0.0)
            fprintf(stderr, "    with reference \"%s\"\n", refs[i]);
    }
    /* „…“ and “…” quotes; a reference inside the closing mark */
    snprintf(q, sizeof q, "%s „%s“ [4]. %s", RU1, ABAI, RU2);
    CHECK(score_of(q, NULL).borrowed == 0.0);
    snprintf(q, sizeof q, "%s “%s [4]” %s", RU1, ABAI, RU2);
    CHECK(score_of(q, NULL).borrowed == 0.0);
}

TEST(score_quote_without_reference_is_borrowed)
{
    char q[2048];
    snprintf(q, sizeof q, "%s Абай айтқандай: «%s». %s", RU1, ABAI, RU2);
    adal_score s = score_of(q, NULL);
    CHECK(s.borrowed > 20);
    CHECK(s.cited == 0.0);
    /* a reference in a later sentence does not cite this quotation */
    snprintf(q, sizeof q, "%s «%s». Бұл туралы көп жазылған [3]. %s", RU1, ABAI, RU2);
    s = score_of(q, NULL);
    CHECK(s.borrowed > 20);
    CHECK(s.cited == 0.0);
    /* no quotation marks at all, a reference after it: still borrowed */
    snprintf(q, sizeof q, "%s %s [3]. %s", RU1, ABAI, RU2);
    s = score_of(q, NULL);
    CHECK(s.borrowed > 20);
    CHECK(s.cited == 0.0);
}

TEST(score_bibliography_is_cited)
{
    char q[4096];
    /* a table of contents naming the section first: only the last heading counts */
    snprintf(q, sizeof q,
             "Мазмұны\nКіріспе 3\nПайдаланылған әдебиеттер 12\n%s\n%s\n"
             "ПАЙДАЛАНЫЛҒАН ӘДЕБИЕТТЕР:\n1. %s. – Алматы, 1995.\n",
             RU1, RU2, ABAI);
    adal_score s = score_of(q, NULL);
    CHECK(s.cited > 20);
    CHECK(s.borrowed == 0.0);
    CHECK(sums_to_100(&s));
    snprintf(q, sizeof q, "%s\n%s\nСписок использованных источников\n%s\n", RU1, RU2, ABAI);
    CHECK(score_of(q, NULL).borrowed == 0.0);
    snprintf(q, sizeof q, "%s\n%s\n2. References.\n%s\n", RU1, RU2, ABAI);
    CHECK(score_of(q, NULL).borrowed == 0.0);
    /* the same text before the heading is borrowed */
    snprintf(q, sizeof q, "%s\n%s\nСписок литературы\n%s\n", ABAI, RU1, RU2);
    s = score_of(q, NULL);
    CHECK(s.borrowed > 20);
    CHECK(s.cited == 0.0);
}

TEST(score_template_exclusion)
{
    char q[4096], t[2048];
    /* the assignment sheet (RU3) is in the source too; with the template it is excluded */
    snprintf(q, sizeof q, "%s\n%s\n%s\n", RU3, RU1, ABAI);
    snprintf(t, sizeof t, "Тапсырма:\n%s\n", RU3);
    adal_doc *tmpl = th_doc(t);
    adal_score plain = score_of(q, NULL);
    adal_check_opts o = ADAL_CHECK_OPTS_INIT;
    o.template_doc = tmpl;
    adal_doc *qd = NULL, *sd = NULL;
    adal_report *r = run(q, &o, &qd, &sd);
    CHECK(r != NULL);
    if (r) {
        adal_score s;
        adal_report_score(r, &s);
        CHECK(s.excluded > 20);
        CHECK(s.excluded_chars > 100);
        CHECK_EQ_INT(s.countable + s.excluded_chars, plain.countable);
        CHECK(s.borrowed < plain.borrowed);
        CHECK(s.borrowed > 40); /* ABAI is the larger part of what is left */
        CHECK(sums_to_100(&s));
        CHECK(adal_report_nwarnings(r) >= 1);
        CHECK(adal_report_nwarnings(r) && strstr(adal_report_warning(r, 0), "template"));
        /* every remaining passage lies outside the template text */
        long ru1 = th_find16(qd, "В самом");
        for (size_t i = 0; i < adal_report_npassages(r); i++)
            CHECK((long)adal_report_passage(r, i)->qstart >= ru1);
    }
    adal_report_free(r);
    adal_doc_free(qd);
    adal_doc_free(sd);
    adal_doc_free(tmpl);
}

TEST(score_explicit_exclusion)
{
    char q[4096];
    snprintf(q, sizeof q, "%s\n%s\n", RU1, ABAI);
    adal_doc *s = NULL, *qd = NULL;
    adal_report *r = NULL;
    char src[2048];
    snprintf(src, sizeof src, "%s\n", ABAI);
    s = th_doc(src);
    qd = th_doc(q);
    CHECK(s && qd);
    if (s && qd && adal_report_new(&r, NULL, qd, NULL) == ADAL_OK) {
        uint32_t a = (uint32_t)th_find16(qd, "Бұл жасқа");
        CHECK_EQ_INT(adal_report_add_source(r, NULL, s, "abai"), ADAL_OK);
        CHECK_EQ_INT(
            adal_report_exclude(r, a, (uint32_t)qd->text16_len, "shared by 40% of the cohort"),
            ADAL_OK);
        CHECK_EQ_INT(adal_report_finish(r, NULL), ADAL_OK);
        adal_score sc;
        adal_report_score(r, &sc);
        CHECK(sc.borrowed == 0.0);
        CHECK(sc.originality == 100.0);
        CHECK(sc.excluded > 50);
        CHECK_EQ_INT(adal_report_npassages(r), 0);
        int seen = 0;
        for (size_t i = 0; i < adal_report_nwarnings(r); i++)
            seen |= strstr(adal_report_warning(r, i), "cohort") != NULL;
        CHECK(seen);
    }
    adal_report_free(r);
    adal_doc_free(qd);
    adal_doc_free(s);
}

TEST(score_shares_sum_to_100)
{
    /* random mixtures of original, borrowed and cited text */
    srand(99);
    const char *parts[] = {RU1, RU2, ABAI, "«", "» [5].", "Список литературы", "\n", " "};
    for (int trial = 0; trial < 60; trial++) {
        char q[8192] = "";
        size_t n = 0;
        int np = 3 + rand() % 8;
        for (int i = 0; i < np; i++) {
            const char *p = parts[rand() % 8];
            size_t l = strlen(p);
            if (n + l + 2 >= sizeof q)
                break;
            memcpy(q + n, p, l);
            n += l;
            q[n++] = ' ';
            q[n] = '\0';
        }
        if (n < 20) {
            memcpy(q + n, "Сөз.", strlen("Сөз.") + 1);
        }
        adal_score s = score_of(q, NULL);
        if (s.originality < 0)
            continue;
        CHECK(sums_to_100(&s));
        CHECK(s.originality >= 0 && s.borrowed >= 0 && s.cited >= 0);
        CHECK(s.covered <= s.countable && s.cited_chars <= s.covered);
    }
}

TEST(score_policy_bands_and_borderline)
{
    adal_policy p;
    adal_policy_default(&p);
    CHECK_EQ_INT(p.nbands, 5);
    CHECK(p.borderline_margin == 2.0);
    CHECK_EQ_STR(p.bands[0].label_kk, "өте жақсы");
    CHECK_EQ_STR(p.bands[1].label_ru, "хорошо");
    CHECK_EQ_STR(p.bands[4].label_en, "not accepted");
    struct {
        double pct;
        unsigned band;
        int border;
    } cases[] = {
        {100.0, 0, 0}, {90.0, 0, 0}, {82.1, 0, 0}, {82.0, 0, 1}, {80.0, 0, 1}, {79.9, 1, 1},
        {78.0, 1, 1},  {77.9, 1, 0}, {72.1, 1, 0}, {72.0, 1, 1}, {70.0, 1, 1}, {69.9, 2, 1},
        {65.0, 2, 0},  {60.0, 2, 1}, {59.9, 3, 1}, {55.0, 3, 0}, {50.0, 3, 0}, {42.0, 3, 1},
        {40.0, 3, 1},  {39.9, 4, 1}, {38.0, 4, 1}, {37.9, 4, 0}, {0.0, 4, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int b = -1;
        unsigned band = adal_policy_band(&p, cases[i].pct, &b);
        CHECK_EQ_INT(band, cases[i].band);
        CHECK_EQ_INT(b, cases[i].border);
        if (band != cases[i].band || b != cases[i].border)
            fprintf(stderr, "    at %.1f%%\n", cases[i].pct);
    }
    CHECK_EQ_INT(adal_policy_band(&p, NAN, NULL), 4);
}

TEST(score_band_on_report)
{
    char q[4096];
    /* mostly borrowed: not accepted, not borderline */
    snprintf(q, sizeof q, "%s %s", "Кіріспе.", ABAI);
    adal_score s = score_of(q, NULL);
    CHECK_EQ_INT(s.band, 4);
    CHECK_EQ_INT(s.borderline, 0);
    /* fully cited: the band is on 100 − borrowed, but resting on the citation heuristic
     * that changes the band, so it is borderline */
    snprintf(q, sizeof q, "Кіріспе: «%s» [1].", ABAI);
    s = score_of(q, NULL);
    CHECK_EQ_INT(s.band, 0);
    CHECK_EQ_INT(s.borderline, 1);
    adal_policy pol;
    adal_policy_default(&pol);
    pol.band_on_original = 1;
    adal_check_opts o = ADAL_CHECK_OPTS_INIT;
    o.policy = &pol;
    s = score_of(q, &o);
    CHECK_EQ_INT(s.band, 4);
    /* original text only */
    snprintf(q, sizeof q, "%s %s", RU1, RU2);
    s = score_of(q, NULL);
    CHECK(s.originality == 100.0);
    CHECK_EQ_INT(s.band, 0);
    CHECK_EQ_INT(s.borderline, 0);
}

/* Padding between words: extra spaces, dots, hidden runs (builder), headers: same figures. */
static adal_doc *padded(const char *text, int mode)
{
    adal__builder b;
    adal_doc *d = NULL;
    if (adal__builder_init(&b, NULL, "p", ADAL_FMT_DOCX))
        return NULL;
    adal__b_begin_para(&b, ADAL_PART_BODY);
    const char *p = text;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t l = sp ? (size_t)(sp - p) : strlen(p);
        adal__b_text(&b, p, l);
        if (!sp)
            break;
        if (mode == 1)
            adal__b_text(&b, "   .  .. . ", strlen("   .  .. . "));
        else if (mode == 2) {
            adal__b_text(&b, " ", 1);
            adal__b_invisible(&b, ADAL_EV_HIDDEN, "жасырын", strlen("жасырын"));
            adal__b_text(&b, " ", 1);
        } else
            adal__b_text(&b, " ", 1);
        p = sp + 1;
    }
    if (mode == 3) {
        adal__b_begin_para(&b, ADAL_PART_HEADER);
        adal__b_text(&b, "Колонтитул мәтіні бар", strlen("Колонтитул мәтіні бар"));
    }
    adal__b_finish(&b, &d);
    adal__builder_free(&b);
    if (d && (th_tokenize(d) || adal_doc_fingerprint(d, NULL))) {
        adal_doc_free(d);
        d = NULL;
    }
    return d;
}

TEST(score_padding_changes_nothing)
{
    char q[4096];
    snprintf(q, sizeof q, "%s %s %s", RU1, ABAI, RU2);
    adal_doc *s = th_doc(ABAI);
    adal_score base;
    memset(&base, 0, sizeof base);
    for (int mode = 0; mode < 4; mode++) {
        adal_doc *d = padded(q, mode);
        adal_report *r = NULL;
        CHECK(d && s);
        if (!d || !s) {
            adal_doc_free(d);
            continue;
        }
        CHECK_EQ_INT(adal_report_new(&r, NULL, d, NULL), ADAL_OK);
        if (r) {
            adal_report_add_source(r, NULL, s, "abai");
            CHECK_EQ_INT(adal_report_finish(r, NULL), ADAL_OK);
            adal_score sc;
            adal_report_score(r, &sc);
            if (mode == 0) {
                base = sc;
                CHECK(sc.borrowed > 30);
            } else {
                CHECK_EQ_INT(sc.countable, base.countable);
                CHECK_EQ_INT(sc.covered, base.covered);
                CHECK(sc.borrowed == base.borrowed);
                CHECK(sc.originality == base.originality);
            }
        }
        adal_report_free(r);
        adal_doc_free(d);
    }
    adal_doc_free(s);
}

TEST(score_headers_count_only_when_asked)
{
    adal_doc *d = padded("бір екі үш", 3), *s = th_doc("басқа мәтін мүлде");
    CHECK(d && s);
    if (d && s) {
        adal_report *r = NULL;
        adal_check_opts o = ADAL_CHECK_OPTS_INIT;
        adal_score a, b;
        CHECK_EQ_INT(adal_report_new(&r, NULL, d, NULL), ADAL_OK);
        adal_report_finish(r, NULL);
        adal_report_score(r, &a);
        adal_report_free(r);
        o.count_headers = 1;
        CHECK_EQ_INT(adal_report_new(&r, NULL, d, &o), ADAL_OK);
        adal_report_finish(r, NULL);
        adal_report_score(r, &b);
        adal_report_free(r);
        CHECK_EQ_INT(a.countable, 8);                /* бір екі үш */
        CHECK_EQ_INT(b.countable, a.countable + 19); /* + Колонтитул мәтіні бар */
    }
    adal_doc_free(d);
    adal_doc_free(s);
}

TEST(score_alloc_failures_are_clean)
{
    char q[4096];
    snprintf(q, sizeof q, "%s «%s» [2]. %s", RU1, ABAI, RU2);
    adal_doc *s = th_doc(ABAI), *d = th_doc(q);
    CHECK(s && d);
    if (!s || !d) {
        adal_doc_free(s);
        adal_doc_free(d);
        return;
    }
    for (long k = 1; k < 80; k++) {
        adal_report *r = NULL;
        adal__fail_alloc_after(k, false);
        int rc = adal_report_new(&r, NULL, d, NULL);
        if (rc == ADAL_OK)
            rc = adal_report_add_source(r, NULL, s, "abai");
        if (rc == ADAL_OK)
            rc = adal_report_finish(r, NULL);
        adal__fail_alloc_after(0, false);
        CHECK(rc == ADAL_OK || rc == ADAL_ENOMEM);
        adal_report_free(r);
    }
    adal_doc_free(s);
    adal_doc_free(d);
}

TEST(score_quote_boundary_not_glued_to_heading_words)
{
    /* the source starts with the heading "Он төртінші сөз"; the essay introduces the quote
     * with "он төртінші сөз былай дейді:" — a coincidental 3-word tile two words before the
     * quotation must not pull the passage out of the quotation marks (found on the sample
     * course, 04-Asel) */
    char src[2048], q[2048];
    snprintf(src, sizeof src, "Он төртінші сөз\n%s. Тағы да басқа сөздер.", ABAI);
    snprintf(q, sizeof q, "%s Абай он төртінші сөз былай дейді: «%s» [1, б. 45]. %s", RU1, ABAI,
             RU2);
    adal_doc *s = th_doc(src), *d = th_doc(q);
    adal_report *r = NULL;
    CHECK(s && d);
    if (s && d && adal_report_new(&r, NULL, d, NULL) == ADAL_OK) {
        adal_report_add_source(r, NULL, s, "abai-14");
        CHECK_EQ_INT(adal_report_finish(r, NULL), ADAL_OK);
        adal_score sc;
        adal_report_score(r, &sc);
        CHECK(sc.borrowed == 0.0);
        CHECK(sc.cited > 20);
        CHECK_EQ_INT(adal_report_npassages(r), 1);
        if (adal_report_npassages(r))
            CHECK_EQ_INT(adal_report_passage(r, 0)->qstart, th_find16(d, "Бұл жасқа"));
    }
    adal_report_free(r);
    adal_doc_free(s);
    adal_doc_free(d);
}

TEST(score_early_literature_chapter_is_not_a_bibliography)
{
    /* «Литература» as a chapter title in the first part of an essay about literature: the
     * copied text after it stays borrowed */
    char q[4096];
    snprintf(q, sizeof q, "Кіріспе\n%s\nЛитература\n%s\n%s\n%s\n", RU1, ABAI, RU2, RU1);
    adal_score s = score_of(q, NULL);
    CHECK(s.borrowed > 20);
    CHECK(s.cited == 0.0);
}
