/* test_report.c — the report writers: terminal-safe text (no control or bidi character
 * gets through), CSV cells (RFC 4180 quoting, formula injection defused), and whole reports
 * on real Kazakh text: the JSON parses back with jansson and its numbers are
 * adal_report_score's, the CSV row has the essay's figures, the text view neutralises what a
 * student planted in the copied passage. */
#include "../harness.h"
#include "internal.h" /* adal__fail_alloc_after */

#include <jansson.h>
#include <math.h>
#include <stdlib.h>

/* Capture what a writer prints. */
typedef struct cap {
    char *buf;
    size_t len;
    FILE *f;
} cap;

static void cap_open(cap *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
}

static const char *cap_close(cap *c)
{
    if (c->f)
        fclose(c->f);
    c->f = NULL;
    return c->buf ? c->buf : "";
}

static char *safe_str(const char *s)
{
    cap c;
    cap_open(&c);
    adal_write_safe(c.f, s, strlen(s));
    cap_close(&c);
    return c.buf;
}

static char *csv_str(const char *s, char sep)
{
    cap c;
    cap_open(&c);
    adal_write_csv_cell(c.f, s, strlen(s), sep);
    cap_close(&c);
    return c.buf;
}

TEST(report_safe_neutralises_controls_and_bidi)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"Абай сөзі", "Абай сөзі"},
        {"a\tb\nc", "a\tb\nc"},
        {"\x1b[2Jclear", "‹U+001B›[2Jclear"},
        {"abc\xE2\x80\xAE"
         "cba",
         "abc‹U+202E›cba"},                                 /* RLO, "Trojan Source" */
        {"\xE2\x81\xA6x\xE2\x81\xA9", "‹U+2066›x‹U+2069›"}, /* LRI … PDI */
        {"\xE2\x80\x8F\xD8\x9C", "‹U+200F›‹U+061C›"},       /* RLM, ALM */
        {"\xC2\x9B"
         "31m",
         "‹U+009B›31m"}, /* C1 CSI */
        {"bell\x07\x7f", "bell‹U+0007›‹U+007F›"},
        {"bad\xFF\xE2\x80", "bad\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}, /* invalid UTF-8 */
        {"\xEF\xBF\xBD ok", "\xEF\xBF\xBD ok"},                         /* a real U+FFFD stays */
        {"line\xE2\x80\xA8sep", "line‹U+2028›sep"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = safe_str(cases[i].in);
        CHECK_EQ_STR(s, cases[i].out);
        free(s);
    }
}

TEST(report_csv_cells_quote_and_defuse_formulas)
{
    static const struct {
        const char *in, *out;
        char sep;
    } cases[] = {
        {"essay.docx", "essay.docx", ','},
        {"=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"", ','},
        {"+7 701", "'+7 701", ','},
        {"-2+3", "'-2+3", ','},
        {"@SUM(A1)", "'@SUM(A1)", ','},
        {"\tcmd", "'\tcmd", ','},
        {"a,b", "\"a,b\"", ','},
        {"a,b", "a,b", ';'},
        {"a;b", "\"a;b\"", ';'},
        {"say \"hi\"", "\"say \"\"hi\"\"\"", ','},
        {"two\nlines", "\"two\nlines\"", ','},
        {"cr\rhere", "\"cr\rhere\"", ','},
        {"71.5", "71.5", ','},
        {"", "", ','},
        {"Қазақ=тілі", "Қазақ=тілі", ','},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = csv_str(cases[i].in, cases[i].sep);
        CHECK_EQ_STR(s, cases[i].out);
        free(s);
    }
}

TEST(report_csv_header_and_error_row)
{
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    cap c;
    cap_open(&c);
    CHECK_EQ_INT(adal_report_write_header(ctx, ADAL_OUT_CSV, c.f, NULL), ADAL_OK);
    CHECK_EQ_INT(adal_report_write_error(ctx, ADAL_OUT_CSV, c.f, "=bad.docx", ADAL_EENCRYPTED,
                                         "password, \"protected\"", NULL),
                 ADAL_OK);
    CHECK_EQ_STR(cap_close(&c),
                 "file,originality,borrowed,cited,band,borderline,top_source,top_source_percent,"
                 "evasion_suspicious,error\n"
                 "'=bad.docx,,,,,,,,,\"encrypted: password, \"\"protected\"\"\"\n");
    free(c.buf);
    /* JSON error object; text writes nothing (the error goes to stderr there) */
    cap_open(&c);
    CHECK_EQ_INT(adal_report_write_error(ctx, ADAL_OUT_JSON, c.f, "x\xE2\x80\xAE.txt", ADAL_ELEGACY,
                                         "legacy", NULL),
                 ADAL_OK);
    CHECK_EQ_INT(adal_report_write_error(ctx, ADAL_OUT_TEXT, c.f, "y", ADAL_EIO, "io", NULL),
                 ADAL_OK);
    CHECK_EQ_STR(cap_close(&c), "{\"format_version\":1,\"file\":\"x\\u202e.txt\",\"error\":{"
                                "\"code\":\"legacy-doc\",\"message\":\"legacy\"}}\n");
    json_t *j = json_loads(c.buf, 0, NULL);
    CHECK(j != NULL);
    CHECK_EQ_STR(json_string_value(json_object_get(j, "file")), "x\xE2\x80\xAE.txt");
    json_decref(j);
    free(c.buf);
    adal_ctx_free(ctx);
}

/* ---- whole reports: need the engine (match/score) and the normaliser */

/* Abai, 25th word: the source, and an essay that copies a long stretch of it with a
 * planted right-to-left override and an escape sequence inside the copied words. */
static const char abai25[] =
    "Балаларды оқытқан да жақсы, бірақ құлшылық қыларлық қана, түркі танырлық қана таза "
    "оқыса болады. Оның үшін бұл жер дарулхарап, мұнда әуелі мал табу керек, онан соң араб, "
    "парсы керек. Қарны аш кісінің көңілінде ақыл, бойында ар, ғылымға құмарлық қайдан "
    "тұрсын? Ашап-ішімге малдың тапшылығы да ағайынның араздығына уә әртүрлі пәлеге, ұрлық, "
    "зорлық, қулық, сұмдық секілді нәрселерге үйірлендіруге себеп болатұғын нәрсе. Мал "
    "тапса, қарын тояды. Онан соң, білім түгіл өнер керек екен.\n";

static const char essay[] =
    "Менің ойымша, білім алу әр адамның міндеті, ал мектеп оған жол ашады.\n"
    "Абай былай деп жазған: Оның үшін бұл жер дарулхарап, мұнда әуелі мал табу керек, онан "
    "соң араб, парсы керек. Қарны аш кісінің көңілінде ақыл, бойында ар, ғылымға \xE2\x80\xAE"
    "құмарлық қайдан тұрсын? Ашап-ішімге малдың тапшылығы да ағайынның \x1b[2J араздығына уә "
    "әртүрлі пәлеге, ұрлық, зорлық, қулық, сұмдық секілді нәрселерге үйірлендіруге себеп "
    "болатұғын нәрсе.\n"
    "Қорытындылай келе, оқу мен еңбек бірге жүруі керек деп ойлаймын.\n";

typedef struct fixture {
    adal_ctx *ctx;
    adal_doc *q, *s;
    adal_report *r;
} fixture;

static int fixture_open(fixture *fx)
{
    memset(fx, 0, sizeof *fx);
    if (adal_ctx_new(&fx->ctx) != ADAL_OK)
        return -1;
    if (adal_doc_from_text(&fx->q, fx->ctx, essay, strlen(essay), "essay.txt") != ADAL_OK ||
        adal_doc_from_text(&fx->s, fx->ctx, abai25, strlen(abai25), "abai_25.txt") != ADAL_OK)
        return -1;
    int rc = adal_doc_fingerprint(fx->s, fx->ctx); /* a source must be fingerprinted */
    if (rc == ADAL_OK)
        rc = adal_report_new(&fx->r, fx->ctx, fx->q, NULL);
    if (rc == ADAL_OK)
        rc = adal_report_add_source(fx->r, fx->ctx, fx->s, "refs/abai_25.txt");
    if (rc == ADAL_OK)
        rc = adal_report_finish(fx->r, fx->ctx);
    return rc;
}

static void fixture_close(fixture *fx)
{
    adal_report_free(fx->r);
    adal_doc_free(fx->q);
    adal_doc_free(fx->s);
    adal_ctx_free(fx->ctx);
}

static double r1(double x)
{
    return floor(x * 10 + 0.5 + 1e-9) / 10;
}

#define NEED_ENGINE(rc)                                                                            \
    do {                                                                                           \
        if ((rc) == ADAL_EUNSUPPORTED) {                                                           \
            fixture_close(&fx);                                                                    \
            SKIP("engine or normaliser not built yet");                                            \
        }                                                                                          \
        CHECK_EQ_INT(rc, ADAL_OK);                                                                 \
        if ((rc) != ADAL_OK) {                                                                     \
            fixture_close(&fx);                                                                    \
            return;                                                                                \
        }                                                                                          \
    } while (0)

TEST(report_json_numbers_are_the_score)
{
    fixture fx;
    int rc = fixture_open(&fx);
    NEED_ENGINE(rc);
    adal_score s;
    adal_report_score(fx.r, &s);
    CHECK(s.borrowed > 20); /* the copied stretch is most of the essay */
    cap c;
    cap_open(&c);
    CHECK_EQ_INT(adal_report_write(fx.r, fx.ctx, ADAL_OUT_JSON, c.f, NULL), ADAL_OK);
    cap_close(&c);
    CHECK(strchr(c.buf, '\n') == c.buf + c.len - 1); /* one line */
    CHECK(strstr(c.buf, "\xE2\x80\xAE") == NULL);    /* RLO escaped, not raw */
    json_error_t e;
    json_t *j = json_loads(c.buf, 0, &e);
    CHECK(j != NULL);
    if (j) {
        CHECK_EQ_INT(json_integer_value(json_object_get(j, "format_version")), 1);
        CHECK(json_real_value(json_object_get(j, "originality")) == r1(s.originality));
        CHECK(json_real_value(json_object_get(j, "borrowed")) == r1(s.borrowed));
        CHECK(json_real_value(json_object_get(j, "cited")) == r1(s.cited));
        CHECK_EQ_INT(json_integer_value(json_object_get(j, "countable_chars")), s.countable);
        CHECK(json_is_boolean(json_object_get(j, "borderline")));
        CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(j, "band"), "index")),
                     s.band);
        json_t *srcs = json_object_get(j, "sources");
        CHECK_EQ_INT(json_array_size(srcs), adal_report_nsources(fx.r));
        json_t *s0 = json_array_get(srcs, 0);
        CHECK_EQ_STR(json_string_value(json_object_get(s0, "id")), "refs/abai_25.txt");
        const adal_source_result *sr = adal_report_source(fx.r, 0);
        if (sr)
            CHECK(json_real_value(json_object_get(s0, "percent")) == r1(sr->percent));
        json_t *p0 = json_array_get(json_object_get(s0, "passages"), 0);
        const adal_passage *ap = adal_report_passage(fx.r, 0);
        CHECK(p0 != NULL && ap != NULL);
        if (p0 && ap) {
            json_t *q = json_object_get(p0, "query");
            CHECK_EQ_INT(json_integer_value(json_object_get(q, "start")), ap->qstart);
            CHECK_EQ_INT(json_integer_value(json_object_get(q, "end")), ap->qend);
            /* the quoted text is exactly the UTF-16 span of the essay */
            size_t n16;
            const uint16_t *t16 = adal_doc_text16(fx.q, &n16);
            const char *qt = json_string_value(json_object_get(q, "text"));
            size_t cps = 0;
            for (const unsigned char *u = (const unsigned char *)qt; u && *u; u++)
                cps += (*u & 0xC0) != 0x80;
            CHECK_EQ_INT(cps, ap->qend - ap->qstart); /* no astral chars in this text */
            CHECK(t16 && ap->qend <= n16);
            CHECK(qt && strstr(qt, "\xE2\x80\xAE") != NULL); /* parsed back: the value is intact */
            json_t *so = json_object_get(p0, "source");
            CHECK_EQ_INT(json_integer_value(json_object_get(so, "start")), ap->sstart);
            CHECK(strstr(json_string_value(json_object_get(so, "text")), "дарулхарап") != NULL);
        }
        json_t *ev = json_object_get(j, "evasion");
        CHECK(json_is_object(json_object_get(ev, "counts")));
        CHECK(json_is_array(json_object_get(ev, "findings")));
        CHECK(json_is_array(json_object_get(j, "warnings")));
        json_decref(j);
    }
    free(c.buf);
    fixture_close(&fx);
}

TEST(report_text_neutralises_student_text)
{
    fixture fx;
    int rc = fixture_open(&fx);
    NEED_ENGINE(rc);
    cap c;
    cap_open(&c);
    adal_write_opts o = ADAL_WRITE_OPTS_INIT;
    o.lang = ADAL_LANG_KK;
    CHECK_EQ_INT(adal_report_write(fx.r, fx.ctx, ADAL_OUT_TEXT, c.f, &o), ADAL_OK);
    const char *t = cap_close(&c);
    CHECK(strstr(t, "\xE2\x80\xAE") == NULL); /* no raw RLO */
    CHECK(strchr(t, 0x1b) == NULL);           /* no raw ESC */
    CHECK(strstr(t, "‹U+202E›") != NULL);
    CHECK(strstr(t, "‹U+001B›") != NULL);
    CHECK(strstr(t, "Түпнұсқалылық") != NULL);
    CHECK(strstr(t, "refs/abai_25.txt") != NULL);
    CHECK(strstr(t, "дарулхарап") != NULL); /* the passage is quoted */
    free(c.buf);
    fixture_close(&fx);
}

TEST(report_csv_row_matches_score)
{
    fixture fx;
    int rc = fixture_open(&fx);
    NEED_ENGINE(rc);
    adal_score s;
    adal_report_score(fx.r, &s);
    cap c;
    cap_open(&c);
    adal_write_opts o = ADAL_WRITE_OPTS_INIT;
    o.file = "-essay, \"one\".txt";
    CHECK_EQ_INT(adal_report_write(fx.r, fx.ctx, ADAL_OUT_CSV, c.f, &o), ADAL_OK);
    const char *t = cap_close(&c);
    char want[256];
    snprintf(want, sizeof want, "\"'-essay, \"\"one\"\".txt\",%.1f,%.1f,%.1f,%s,",
             r1(s.originality), r1(s.borrowed), r1(s.cited), s.band_info ? s.band_info->range : "");
    CHECK(strncmp(t, want, strlen(want)) == 0);
    CHECK(strstr(t, ",refs/abai_25.txt,") != NULL);
    CHECK(t[strlen(t) - 1] == '\n' && t[strlen(t) - 2] == ',');
    free(c.buf);
    fixture_close(&fx);
}

/* Writing under allocation failures: a clean ADAL_ENOMEM (or success when the failed
 * allocation was not needed), never a crash or a leak (run under ASan and valgrind). */
TEST(report_text_alloc_failures_are_clean)
{
    fixture fx;
    int rc = fixture_open(&fx);
    NEED_ENGINE(rc);
    int nomem = 0;
    for (long k = 1; k < 12; k++) {
        cap c;
        cap_open(&c);
        adal__fail_alloc_after(k, false);
        rc = adal_report_write(fx.r, fx.ctx, ADAL_OUT_TEXT, c.f, NULL);
        adal__fail_alloc_after(0, false);
        CHECK(rc == ADAL_OK || rc == ADAL_ENOMEM);
        if (rc == ADAL_ENOMEM) {
            nomem++;
            CHECK(strstr(adal_errmsg(fx.ctx), "memory") != NULL);
        }
        cap_close(&c);
        free(c.buf);
    }
    CHECK(nomem > 0); /* the side-by-side view does allocate */
    fixture_close(&fx);
}

/* ---- the engine's warnings in the reader's language: the text and HTML reports translate
 * them for kk and ru (the figures kept, the reason a caller gave kept as it was); English
 * stays the engine's sentence, and JSON keeps the English beside a stable code. */

static char *write_to_string(const adal_report *r, adal_ctx *ctx, adal_output fmt, adal_lang lang)
{
    cap c;
    cap_open(&c);
    adal_write_opts o = ADAL_WRITE_OPTS_INIT;
    o.lang = lang;
    int rc = adal_report_write(r, ctx, fmt, c.f, &o);
    cap_close(&c);
    CHECK_EQ_INT(rc, ADAL_OK);
    return c.buf;
}

/* The UTF-16 offset of needle in the essay (its text is all in the BMP). */
static uint32_t essay_offset(const char *needle)
{
    const char *at = strstr(essay, needle);
    uint32_t n = 0;
    for (const char *p = essay; at && p < at; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    return n;
}

TEST(report_warnings_in_the_readers_language)
{
    static const char tmpl[] =
        "Менің ойымша, білім алу әр адамның міндеті, ал мектеп оған жол ашады.\n";
    /* the English sentence of a cohort exclusion (adal batch: 3 of 13 students share it) */
    static const char cohort[] = "text shared by at least 3 of the 13 students (cohort template)";
    fixture fx;
    memset(&fx, 0, sizeof fx);
    adal_doc *t = NULL;
    adal_check_opts co = ADAL_CHECK_OPTS_INIT;
    int rc = adal_ctx_new(&fx.ctx);
    if (rc == ADAL_OK)
        rc = adal_doc_from_text(&fx.q, fx.ctx, essay, strlen(essay), "essay.txt");
    if (rc == ADAL_OK)
        rc = adal_doc_from_text(&t, fx.ctx, tmpl, strlen(tmpl), "template.txt");
    if (rc == ADAL_OK)
        rc = adal_doc_normalize(t, fx.ctx);
    co.template_doc = t;
    if (rc == ADAL_OK)
        rc = adal_report_new(&fx.r, fx.ctx, fx.q, &co);
    uint32_t a = essay_offset("Қорытындылай"), b = essay_offset(" деп ойлаймын");
    uint32_t c = essay_offset("сұмдық");
    if (rc == ADAL_OK)
        rc = adal_report_exclude_cohort(fx.r, a, b, 3, 13);
    if (rc == ADAL_OK)
        rc = adal_report_exclude(fx.r, c, c + 6, "common text");
    if (rc == ADAL_OK)
        rc = adal_report_finish(fx.r, fx.ctx);
    if (rc != ADAL_OK)
        adal_doc_free(t);
    NEED_ENGINE(rc);
    CHECK_EQ_INT(adal_report_nwarnings(fx.r), 3);
    /* the same facts as fields, which the translations are made from */
    const adal_warning *wi = adal_report_warning_info(fx.r, 1);
    CHECK(wi && wi->code == ADAL_WARN_EXCLUDED_COHORT && wi->n == 3 && wi->m == 13);
    CHECK(wi && wi->why == NULL && wi->percent > 0 && strstr(wi->text, cohort) != NULL);
    wi = adal_report_warning_info(fx.r, 2);
    CHECK(wi && wi->code == ADAL_WARN_EXCLUDED && wi->why && strcmp(wi->why, "common text") == 0);
    CHECK(adal_report_warning_info(fx.r, 3) == NULL);

    /* JSON: the English sentences, and their codes in the same order */
    char *js = write_to_string(fx.r, fx.ctx, ADAL_OUT_JSON, ADAL_LANG_RU);
    json_t *j = js ? json_loads(js, 0, NULL) : NULL;
    CHECK(j != NULL);
    json_t *codes = json_object_get(j, "warning_codes"), *ws = json_object_get(j, "warnings");
    CHECK_EQ_INT(json_array_size(codes), 3);
    CHECK_EQ_STR(json_string_value(json_array_get(codes, 0)), "excluded-template");
    CHECK_EQ_STR(json_string_value(json_array_get(codes, 1)), "excluded-cohort");
    CHECK_EQ_STR(json_string_value(json_array_get(codes, 2)), "excluded");
    CHECK(
        strstr(json_string_value(json_array_get(ws, 0)), "% of the text: it matches the template"));
    CHECK(strstr(json_string_value(json_array_get(ws, 1)), cohort) != NULL);
    json_decref(j);
    free(js);

    /* text, English: the engine's sentences as they are */
    char *en = write_to_string(fx.r, fx.ctx, ADAL_OUT_TEXT, ADAL_LANG_EN);
    for (size_t i = 0; i < 3; i++) {
        char line[400];
        snprintf(line, sizeof line, "   - %s\n", adal_report_warning(fx.r, i));
        CHECK(en && strstr(en, line) != NULL);
    }
    free(en);

    /* text, Russian and Kazakh: translated, the figure kept ("12.3 %" as the text report
     * writes percentages), the caller's reason kept as it was */
    char pct[16]; /* the template's share, "12.3" */
    const char *w0 = adal_report_warning(fx.r, 0);
    snprintf(pct, sizeof pct, "%.*s", (int)strcspn(w0 + 9, "%"), w0 + 9);
    char want[300];
    char *ru = write_to_string(fx.r, fx.ctx, ADAL_OUT_TEXT, ADAL_LANG_RU);
    snprintf(want, sizeof want, "   - исключено %s %% текста: совпадает с шаблоном\n", pct);
    CHECK(ru && strstr(ru, want) != NULL);
    CHECK(ru && strstr(ru, "% текста: этот текст есть не менее чем у 3 из 13 обучающихся (общий "
                           "шаблон группы)\n") != NULL);
    CHECK(ru && strstr(ru, "% текста: common text\n") != NULL);
    CHECK(ru && strstr(ru, "of the text") == NULL);
    free(ru);
    char *kk = write_to_string(fx.r, fx.ctx, ADAL_OUT_TEXT, ADAL_LANG_KK);
    snprintf(want, sizeof want,
             "   - мәтіннің %s %% бөлігі алынып тасталды: үлгімен сәйкес келеді\n", pct);
    CHECK(kk && strstr(kk, want) != NULL);
    CHECK(kk && strstr(kk, "бұл мәтін 13 білім алушының кемінде 3 жұмысында бар") != NULL);
    CHECK(kk && strstr(kk, "of the text") == NULL);
    free(kk);

    /* HTML, Russian: each reason a list item with its code, the percentage as the page writes
     * it (decimal comma, no-break space) */
    char *html = write_to_string(fx.r, fx.ctx, ADAL_OUT_HTML, ADAL_LANG_RU);
    for (char *p = pct; *p; p++)
        if (*p == '.')
            *p = ',';
    snprintf(want, sizeof want,
             "<li data-code=\"excluded-template\">исключено %s\xC2\xA0%% текста: совпадает с "
             "шаблоном</li>",
             pct);
    CHECK(html && strstr(html, want) != NULL);
    CHECK(html && strstr(html, "<li data-code=\"excluded-cohort\">исключено ") != NULL);
    CHECK(html && strstr(html, "<li data-code=\"excluded\">исключено ") != NULL);
    CHECK(html && strstr(html, "of the text") == NULL);
    free(html);
    fixture_close(&fx);
    adal_doc_free(t);
}
