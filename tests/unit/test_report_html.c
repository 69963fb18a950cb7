/* test_report_html.c — the HTML report and the batch views: escaping of student text in
 * element text, attributes and script data; the Content-Security-Policy hashes match the
 * page's own style sheet and script (so the browser runs ours and nothing else); a report
 * made from the hostile DOCX (tests/data/office/hostile.docx: <script>, </textarea>,
 * javascript: link, bidi overrides, a 1 MiB word) is inert and keeps every character;
 * labels in three languages; the batch index and the Excel CSV from a hostile summary.json.
 */
#include "../harness.h"
#include "report.h" /* adal__sha256, adal__csp_hash, adal__write_json_html */

#include <jansson.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char *cap_html(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    adal_write_html(f, s, strlen(s));
    fclose(f);
    return buf;
}

static char *cap_json(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    adal__write_json_html(f, s, strlen(s));
    fclose(f);
    return buf;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)); p += k)
        n++;
    return n;
}

TEST(html_escape_text_and_attributes)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"Абай", "Абай"},
        {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
        {"</textarea>", "&lt;/textarea&gt;"},
        {"a & b", "a &amp; b"},
        {"\" onmouseover='x'", "&quot; onmouseover=&#39;x&#39;"},
        {"Evil\xE2\x80\xAEgnp.exe", "Evil<span class=\"cc\">‹U+202E›</span>gnp.exe"},
        {"zero\xE2\x80\x8Bwidth", "zero<span class=\"zw\" title=\"U+200B\"></span>width"},
        {"\x1b[2J", "<span class=\"cc\">‹U+001B›</span>[2J"},
        {"bad\xFF", "bad\xEF\xBF\xBD"},
        {"tab\tnl\n", "tab\tnl\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = cap_html(cases[i].in);
        CHECK_EQ_STR(s, cases[i].out);
        free(s);
    }
}

TEST(html_json_in_script_is_escaped)
{
    char *s = cap_json("</script><!--\xE2\x80\xA8\xE2\x80\xA9&\"\\\x01\xE2\x80\xAE ok");
    CHECK_EQ_STR(
        s, "\"\\u003c/script\\u003e\\u003c!--\\u2028\\u2029\\u0026\\\"\\\\\\u0001\\u202e ok\"");
    /* and it is still the same string for a JSON parser */
    json_t *j = json_loads(s, JSON_DECODE_ANY, NULL);
    CHECK(j && json_is_string(j));
    if (j)
        CHECK_EQ_STR(json_string_value(j),
                     "</script><!--\xE2\x80\xA8\xE2\x80\xA9&\"\\\x01\xE2\x80\xAE ok");
    json_decref(j);
    free(s);
}

TEST(html_sha256_known_vectors)
{
    unsigned char d[32];
    char hex[65];
    static const struct {
        const char *in, *hex;
    } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    for (size_t i = 0; i < 3; i++) {
        adal__sha256(v[i].in, strlen(v[i].in), d);
        for (int k = 0; k < 32; k++)
            snprintf(hex + 2 * k, 3, "%02x", d[k]);
        CHECK_EQ_STR(hex, v[i].hex);
    }
    char b64[64];
    adal__csp_hash("abc", b64);
    CHECK_EQ_STR(b64, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

/* The text between `open` (its end) and the next `close`, copied. */
static char *between(const char *s, const char *open, const char *close)
{
    const char *a = strstr(s, open);
    if (!a)
        return NULL;
    a += strlen(open);
    const char *b = strstr(a, close);
    if (!b)
        return NULL;
    return strndup(a, (size_t)(b - a));
}

/* Every CSP hash names exactly the page's <style> and its one executable <script>. */
static void check_csp(const char *html)
{
    char *style = between(html, "<style>", "</style>");
    char *script = between(html, "<script>", "</script>");
    CHECK(style && script);
    if (!style || !script) {
        free(style);
        free(script);
        return;
    }
    char hs[64], hj[64], want[200];
    adal__csp_hash(style, hs);
    adal__csp_hash(script, hj);
    snprintf(want, sizeof want, "style-src 'sha256-%s'; script-src 'sha256-%s';", hs, hj);
    CHECK(strstr(html, want) != NULL);
    CHECK(strstr(html, "unsafe-inline") == NULL);
    CHECK(strstr(html, "default-src 'none'") != NULL);
    free(style);
    free(script);
}

static char *report_html(const char *essay_path, const char *ref_path, adal_lang lang,
                         adal_report **out_r, adal_ctx *ctx, adal_doc **q, adal_doc **s)
{
    if (adal_doc_load(q, ctx, essay_path, NULL) != ADAL_OK ||
        adal_doc_load(s, ctx, ref_path, NULL) != ADAL_OK ||
        adal_doc_fingerprint(*s, ctx) != ADAL_OK ||
        adal_report_new(out_r, ctx, *q, NULL) != ADAL_OK ||
        adal_report_add_source(*out_r, ctx, *s, ref_path) != ADAL_OK ||
        adal_report_finish(*out_r, ctx) != ADAL_OK)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    adal_write_opts o = ADAL_WRITE_OPTS_INIT;
    o.lang = lang;
    o.file = "course/<b>Aidana</b>/hostile.docx";
    int rc = adal_report_write(*out_r, ctx, ADAL_OUT_HTML, f, &o);
    fclose(f);
    if (rc != ADAL_OK) {
        free(buf);
        return NULL;
    }
    return buf;
}

TEST(html_hostile_docx_is_inert_and_intact)
{
    adal_ctx *ctx = NULL;
    adal_doc *q = NULL, *s = NULL;
    adal_report *r = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    char *h = report_html("tests/data/office/hostile.docx", "tests/data/texts/refs/abai_38.txt",
                          ADAL_LANG_EN, &r, ctx, &q, &s);
    CHECK(h != NULL);
    if (!h)
        goto out;
    /* exactly our two script elements: the JSON data block and the one script */
    CHECK_EQ_INT((long)count(h, "<script"), 2);
    CHECK_EQ_INT((long)count(h, "<script type=\"application/json\" id=\"adal-data\">"), 1);
    CHECK(strstr(h, "<script>alert") == NULL);
    CHECK(strstr(h, "</textarea>") == NULL);
    CHECK(strstr(h, "<img") == NULL);
    CHECK(strstr(h, "href=\"javascript") == NULL);
    CHECK(strstr(h, "onmouseover=\"") == NULL);
    CHECK(strstr(h, "onerror=alert") != NULL ? strstr(h, "<img src=x onerror") == NULL : 1);
    /* shown, escaped, where it was */
    CHECK(strstr(h, "Кіріспе &lt;script&gt;alert(&#39;essay&#39;)&lt;/script&gt; және "
                    "&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;") != NULL);
    CHECK(strstr(h, "javascript:alert(document.cookie)") != NULL);
    CHECK(strstr(h, "&lt;script&gt;alert(&#39;inside&#39;)&lt;/script&gt;") != NULL);
    /* no raw bidi control anywhere in the page; each one shown */
    CHECK(strstr(h, "\xE2\x80\xAE") == NULL);
    CHECK(strstr(h, "\xE2\x81\xA6") == NULL);
    CHECK(strstr(h, "‹U+202E›") != NULL && strstr(h, "‹U+2066›") != NULL &&
          strstr(h, "‹U+2069›") != NULL && strstr(h, "‹U+202D›") != NULL);
    /* the 1 MiB word, whole, in one piece (2^19 two-byte letters) */
    size_t qn;
    const char *qt = adal_doc_text(q, &qn);
    const char *w = strstr(qt, "Ұзын сөз: ");
    CHECK(w != NULL);
    if (w) {
        w += strlen("Ұзын сөз: ");
        const char *e = strchr(w, ' ');
        CHECK(e && (size_t)(e - w) == (size_t)1 << 20);
        if (e) {
            /* <wbr> break opportunities are not text: without them the word is all there */
            char *word = strndup(w, (size_t)(e - w)), *o = h;
            for (const char *p = h; *p;)
                if (strncmp(p, "<wbr>", 5) == 0)
                    p += 5;
                else
                    *o++ = *p++;
            *o = 0;
            CHECK(strstr(h, word) != NULL);
            free(word);
        }
    }
    CHECK(strstr(h, "overflow-wrap:anywhere") != NULL);
    /* the copied paragraph is marked and has its pair */
    CHECK(adal_report_npassages(r) >= 1);
    CHECK(strstr(h, "<a class=\"m s0\" href=\"#pair-0\" data-p=\"0\"") != NULL);
    CHECK(strstr(h, "id=\"pair-0\"") != NULL);
    /* the hostile file name: escaped in the page, in the title and in the JSON data */
    CHECK(strstr(h, "course/&lt;b&gt;Aidana&lt;/b&gt;/hostile.docx") != NULL);
    CHECK(strstr(h, "\"file\":\"course/\\u003cb\\u003eAidana\\u003c/b\\u003e/hostile.docx\"") !=
          NULL);
    CHECK(strstr(h, "<b>Aidana") == NULL);
    check_csp(h);
    free(h);
out:
    adal_report_free(r);
    adal_doc_free(q);
    adal_doc_free(s);
    adal_ctx_free(ctx);
}

TEST(html_numbers_and_labels_per_language)
{
    static const struct {
        adal_lang lang;
        const char *lang_attr, *orig, *borr, *cited;
    } L[] = {
        {ADAL_LANG_EN, "lang=\"en\"", "Originality", "Borrowed", "Cited"},
        {ADAL_LANG_KK, "lang=\"kk\"", "Түпнұсқалылық", "Алынған мәтін", "Дәйексөз"},
        {ADAL_LANG_RU, "lang=\"ru\"", "Оригинальность", "Заимствования", "Цитирования"},
    };
    for (size_t i = 0; i < 3; i++) {
        adal_ctx *ctx = NULL;
        adal_doc *q = NULL, *s = NULL;
        adal_report *r = NULL;
        CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
        char *h = report_html("tests/data/office/kk_disguised.docx",
                              "tests/data/texts/refs/abai_38.txt", L[i].lang, &r, ctx, &q, &s);
        CHECK(h != NULL);
        if (h) {
            adal_score sc;
            adal_report_score(r, &sc);
            char want[128];
            snprintf(want, sizeof want, "id=\"originality\" data-value=\"%.1f\"",
                     adal__round1(sc.originality));
            CHECK(strstr(h, want) != NULL);
            snprintf(want, sizeof want, "id=\"borrowed\" data-value=\"%.1f\"",
                     adal__round1(sc.borrowed));
            CHECK(strstr(h, want) != NULL);
            CHECK(strstr(h, L[i].lang_attr) != NULL);
            CHECK(strstr(h, L[i].orig) != NULL);
            CHECK(strstr(h, L[i].borr) != NULL);
            CHECK(strstr(h, L[i].cited) != NULL);
            /* the hidden and white runs are shown where they were */
            CHECK(strstr(h, "<ins class=\"hid ev-hidden\"") != NULL);
            CHECK(strstr(h, "жасырын сөздер санды көбейту үшін қосылды") != NULL);
            CHECK(strstr(h, "<ins class=\"hid ev-white\"") != NULL);
            CHECK(strstr(h, "class=\"ev ev-homoglyph\"") != NULL);
            /* the rubric row of the band is marked */
            snprintf(want, sizeof want,
                     "<tr class=\"cur\" aria-current=\"true\" data-index=\"%u\">", sc.band);
            CHECK(strstr(h, want) != NULL);
            check_csp(h);
        }
        free(h);
        adal_report_free(r);
        adal_doc_free(q);
        adal_doc_free(s);
        adal_ctx_free(ctx);
    }
}

TEST(html_lang_default_from_environment)
{
    char *saved[4];
    const char *vars[4] = {"ADAL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"};
    for (int i = 0; i < 4; i++) {
        const char *v = getenv(vars[i]);
        saved[i] = v ? strdup(v) : NULL;
        unsetenv(vars[i]);
    }
    CHECK_EQ_INT(adal_lang_default(), ADAL_LANG_KK);
    setenv("LANG", "ru_RU.UTF-8", 1);
    CHECK_EQ_INT(adal_lang_default(), ADAL_LANG_RU);
    setenv("LC_MESSAGES", "en_GB.UTF-8", 1);
    CHECK_EQ_INT(adal_lang_default(), ADAL_LANG_EN);
    setenv("LC_ALL", "kk_KZ.UTF-8", 1);
    CHECK_EQ_INT(adal_lang_default(), ADAL_LANG_KK);
    setenv("LC_ALL", "C.UTF-8", 1);
    CHECK_EQ_INT(adal_lang_default(), ADAL_LANG_KK);
    setenv("ADAL_LANG", "ru", 1);
    CHECK_EQ_INT(adal_lang_default(), ADAL_LANG_RU);
    for (int i = 0; i < 4; i++) {
        if (saved[i])
            setenv(vars[i], saved[i], 1);
        else
            unsetenv(vars[i]);
        free(saved[i]);
    }
    CHECK_EQ_STR(adal_tr(ADAL_LANG_KK, "Originality"), "Түпнұсқалылық");
    CHECK_EQ_STR(adal_tr(ADAL_LANG_RU, "Cited"), "Цитирования");
    CHECK_EQ_STR(adal_tr(ADAL_LANG_EN, "Cited"), "Cited");
    CHECK_EQ_STR(adal_tr(ADAL_LANG_KK, "no such label"), "no such label");
}

static char *copy_fixture(void)
{
    char *dir = strdup("/tmp/adal_views_XXXXXX");
    if (!dir || !mkdtemp(dir)) {
        free(dir);
        return NULL;
    }
    size_t n;
    char *j = th_read("tests/data/batch/out/summary.json", &n);
    char path[256];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    FILE *f = j ? fopen(path, "w") : NULL;
    if (f) {
        fwrite(j, 1, n, f);
        fclose(f);
    }
    free(j);
    return dir;
}

static void rm_fixture(char *dir)
{
    const char *names[] = {"summary.json", "index.html", "summary.csv"};
    char path[256];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    free(dir);
}

TEST(views_index_and_csv_from_hostile_summary)
{
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    char *dir = copy_fixture();
    CHECK(dir != NULL);
    if (!dir) {
        adal_ctx_free(ctx);
        return;
    }
    CHECK_EQ_INT(adal_batch_views_write(ctx, dir, NULL), ADAL_OK);
    char path[256];
    snprintf(path, sizeof path, "%s/index.html", dir);
    char *h = th_read(path, NULL);
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    char *c = th_read(path, NULL);
    CHECK(h && c);
    if (h) {
        CHECK_EQ_INT((long)count(h, "<script"), 1);
        CHECK(strstr(h, "<script>alert") == NULL);
        CHECK(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
        CHECK(strstr(h, "href=\"javascript") == NULL);
        CHECK(strstr(h, "onmouseover=\"") == NULL);
        CHECK(strstr(h, "\xE2\x80\xAE") == NULL);
        CHECK(strstr(h, "Evil<span class=\"cc\">‹U+202E›</span>gnp.exe") != NULL);
        CHECK(strstr(h, "<a href=\"reports/Aidana_S/essay_v2.docx.html\">") != NULL);
        CHECK(strstr(h, "href=\"reports/%3Cscript%3Ealert%281%29%3C_script%3E/") != NULL);
        CHECK(strstr(h, "data-originality=\"72.4\" data-band=\"1\"") != NULL);
        CHECK(strstr(h, "id=\"cluster-3\"") != NULL);
        CHECK(strstr(h, "password-protected document &lt;/li&gt;&lt;script&gt;") != NULL);
        CHECK(strstr(h, "course/&lt;b&gt;SRO-1&lt;/b&gt;") != NULL);
        check_csp(h);
    }
    if (c) {
        CHECK(strncmp(c, "\xEF\xBB\xBFstudent;file;originality;borrowed;cited;band;", 47) == 0);
        CHECK(strstr(c, "\nAidana_S;Aidana_S/essay_v2.docx;72,4;20,1;7,5;good;no;") != NULL);
        CHECK(strstr(c, "\n'=cmd|' /C calc'!A0;") != NULL);
        CHECK(strstr(c, "\n'@SUM(1+1);") != NULL);
        CHECK(strstr(c, "\n=") == NULL && strstr(c, "\n@") == NULL && strstr(c, ";=") == NULL &&
              strstr(c, ";+") == NULL && strstr(c, ";-") == NULL && strstr(c, ";@") == NULL);
    }
    free(h);
    free(c);
    /* comma and no BOM when asked */
    adal_write_opts o = ADAL_WRITE_OPTS_INIT;
    o.csv_sep = ',';
    CHECK_EQ_INT(adal_batch_views_write(ctx, dir, &o), ADAL_OK);
    c = th_read(path, NULL);
    CHECK(c && strncmp(c, "student,file,originality,", 25) == 0);
    CHECK(c && strstr(c, "\nAidana_S,Aidana_S/essay_v2.docx,72.4,20.1,7.5,") != NULL);
    free(c);
    rm_fixture(dir);
    /* not a summary */
    CHECK_EQ_INT(adal_batch_views_write(ctx, "tests/data/texts", NULL), ADAL_EIO);
    adal_ctx_free(ctx);
}
