/* test_txt.c — the plain-text reader: every encoding it detects, on real Kazakh (Abai) and
 * Russian (Chekhov) prose converted by tests/data/gen/make_txt_fixtures.py, must give
 * exactly the text of the UTF-8 original; plus CRLF, BOM-less UTF-16, --encoding forcing,
 * a wrong forced encoding, and binary junk. */
#include "../harness.h"
#include "internal.h"

#include <stdlib.h>

#define TXT(f) "tests/data/txt/" f

/* Load a fixture; returns the document or NULL, with *rc set. */
static adal_doc *load(adal_ctx *ctx, const char *path, const char *enc, int *rc)
{
    adal_load_opts o = ADAL_LOAD_OPTS_INIT;
    adal_doc *doc = NULL;
    o.encoding = enc;
    *rc = adal_doc_load(&doc, ctx, path, &o);
    return doc;
}

/* The UTF-8 original as the reader must give it back: blank lines between paragraphs
 * removed (each paragraph ends in one '\n'). */
static char *expected(const char *path)
{
    size_t n;
    char *s = th_read(path, &n);
    if (!s)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] == '\n' && k > 0 && s[k - 1] == '\n'))
            s[k++] = s[i];
    s[k] = '\0';
    return s;
}

/* `path` is detected as `enc` and gives the text of `orig`. */
static void check_file(const char *path, const char *enc, const char *orig)
{
    adal_ctx *ctx = NULL;
    int rc;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    adal_doc *doc = load(ctx, path, NULL, &rc);
    char *want = expected(orig);
    CHECK_EQ_INT(rc, ADAL_OK);
    CHECK(want != NULL);
    if (doc && want) {
        CHECK_EQ_STR(adal_doc_encoding(doc), enc);
        CHECK_EQ_STR(adal_doc_text(doc, NULL), want);
        CHECK_EQ_INT(adal_doc_format(doc), ADAL_FMT_TXT);
    } else
        fprintf(stderr, "    %s: %s\n", path, adal_errmsg(ctx));
    free(want);
    adal_doc_free(doc);
    adal_ctx_free(ctx);
}

TEST(txt_utf8_paragraphs)
{
    check_file(TXT("kk.utf8.txt"), "UTF-8", TXT("kk.utf8.txt"));
    check_file(TXT("kk.utf8-bom.txt"), "UTF-8", TXT("kk.utf8.txt"));
    adal_ctx *ctx = NULL;
    int rc;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    /* Abai: five Words separated by blank lines → five paragraphs, the first one starting
     * with its title */
    adal_doc *doc = load(ctx, TXT("kk.utf8.txt"), NULL, &rc);
    CHECK(doc != NULL);
    if (doc) {
        CHECK_EQ_INT(adal_doc_nsegments(doc), 5);
        const char *t = adal_doc_text(doc, NULL);
        CHECK(strncmp(t, "БІРІНШІ СӨЗ Бұл жасқа келгенше",
                      strlen("БІРІНШІ СӨЗ Бұл жасқа келгенше")) == 0);
        CHECK_EQ_INT(adal_doc_segment(doc, 1)->start, adal_doc_segment(doc, 0)->len);
    }
    adal_doc_free(doc);
    /* Chekhov: one paragraph per line, no blank line at all → one paragraph per line */
    doc = load(ctx, TXT("ru.utf8.txt"), NULL, &rc);
    CHECK(doc != NULL);
    if (doc)
        CHECK_EQ_INT(adal_doc_nsegments(doc), 10);
    adal_doc_free(doc);
    adal_ctx_free(ctx);
}

TEST(txt_blank_line_paragraphs_keep_line_breaks)
{
    adal_ctx *ctx = NULL;
    adal_doc *doc = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    const char *src = "Бірінші жол\r\nекінші жол\r\n\r\n  \r\nҮшінші абзац\rсоңы\r";
    CHECK_EQ_INT(adal_doc_from_memory(&doc, ctx, src, strlen(src), "t.txt", NULL), ADAL_OK);
    if (doc) {
        CHECK_EQ_STR(adal_doc_text(doc, NULL), "Бірінші жол\nекінші жол\nҮшінші абзац\nсоңы\n");
        CHECK_EQ_INT(adal_doc_nsegments(doc), 2);
        CHECK_EQ_INT(adal_doc_segment(doc, 1)->para, 1);
    }
    adal_doc_free(doc);
    adal_ctx_free(ctx);
}

TEST(txt_kazakh_rk1048)
{
    check_file(TXT("kk.rk1048.txt"), "RK1048", TXT("kk.utf8.txt"));
    check_file(TXT("kk.rk1048-crlf.txt"), "RK1048", TXT("kk.utf8.txt"));
    /* one short line: the Kazakh letters inside words decide it */
    adal_ctx *ctx = NULL;
    int rc;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    adal_doc *doc = load(ctx, TXT("kk-short.rk1048.txt"), NULL, &rc);
    CHECK_EQ_INT(rc, ADAL_OK);
    if (doc) {
        CHECK_EQ_STR(adal_doc_encoding(doc), "RK1048");
        CHECK_EQ_STR(adal_doc_text(doc, NULL), "Қазақ тілі — мемлекеттік тіл.\n");
    }
    adal_doc_free(doc);
    doc = load(ctx, TXT("ru-short.cp1251.txt"), NULL, &rc);
    CHECK_EQ_INT(rc, ADAL_OK);
    if (doc) {
        CHECK_EQ_STR(adal_doc_encoding(doc), "CP1251");
        CHECK_EQ_STR(adal_doc_text(doc, NULL), "Съешь же ещё этих мягких французских булок.\n");
    }
    adal_doc_free(doc);
    adal_ctx_free(ctx);
}

TEST(txt_russian_code_pages)
{
    check_file(TXT("ru.cp1251.txt"), "CP1251", TXT("ru.utf8.txt"));
    check_file(TXT("ru.cp1251-crlf.txt"), "CP1251", TXT("ru.utf8.txt"));
    check_file(TXT("ru7.koi8r.txt"), "KOI8-R", TXT("ru7.utf8.txt"));
    check_file(TXT("ru7.cp866.txt"), "CP866", TXT("ru7.utf8.txt"));
    /* Latin text is not forced into a Cyrillic code page: CP866 would read ’ as Т */
    check_file(TXT("en.cp1252.txt"), "CP1252", TXT("en.utf8.txt"));
}

TEST(txt_utf16_with_and_without_bom)
{
    check_file(TXT("kk.utf16le-bom.txt"), "UTF-16LE", TXT("kk.utf8.txt"));
    check_file(TXT("kk.utf16le.txt"), "UTF-16LE", TXT("kk.utf8.txt"));
    check_file(TXT("kk.utf16be.txt"), "UTF-16BE", TXT("kk.utf8.txt"));
    check_file(TXT("ru.utf16be-bom.txt"), "UTF-16BE", TXT("ru.utf8.txt"));
    /* one Kazakh word, no space, no BOM: no NUL byte at all, only the 0x04 high bytes */
    adal_ctx *ctx = NULL;
    adal_doc *doc = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    static const char w[] = "\x21\x04\xD9\x04\x3B\x04\x35\x04\x3C\x04"; /* Сәлем */
    CHECK_EQ_INT(adal_doc_from_memory(&doc, ctx, w, sizeof w - 1, "w.txt", NULL), ADAL_OK);
    if (doc) {
        CHECK_EQ_STR(adal_doc_encoding(doc), "UTF-16LE");
        CHECK_EQ_STR(adal_doc_text(doc, NULL), "Сәлем\n");
    }
    adal_doc_free(doc);
    adal_ctx_free(ctx);
}

TEST(txt_forced_encoding)
{
    adal_ctx *ctx = NULL;
    int rc;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    char *want = expected(TXT("ru.utf8.txt"));
    /* the right encoding forced gives the same text, named as given */
    adal_doc *doc = load(ctx, TXT("ru.cp1251.txt"), "cp1251", &rc);
    CHECK_EQ_INT(rc, ADAL_OK);
    if (doc && want) {
        CHECK_EQ_STR(adal_doc_encoding(doc), "CP1251");
        CHECK_EQ_STR(adal_doc_text(doc, NULL), want);
    }
    adal_doc_free(doc);
    /* forcing overrides detection: CP1251 bytes read as KOI8-R are mojibake, not Chekhov */
    doc = load(ctx, TXT("ru.cp1251.txt"), "KOI8-R", &rc);
    CHECK_EQ_INT(rc, ADAL_OK);
    if (doc && want) {
        CHECK_EQ_STR(adal_doc_encoding(doc), "KOI8-R");
        CHECK(strcmp(adal_doc_text(doc, NULL), want) != 0);
        CHECK(strstr(adal_doc_text(doc, NULL), "Чехов") == NULL);
    }
    adal_doc_free(doc);
    /* a wrong forced encoding that cannot decode the bytes is an encoding error */
    doc = load(ctx, TXT("ru.cp1251.txt"), "UTF-8", &rc);
    CHECK_EQ_INT(rc, ADAL_EENCODING);
    CHECK(doc == NULL);
    CHECK(strstr(adal_errmsg(ctx), "not valid UTF-8") != NULL);
    /* forced UTF-16 (with BOM handling by iconv) */
    doc = load(ctx, TXT("kk.utf16le.txt"), "UTF-16LE", &rc);
    CHECK_EQ_INT(rc, ADAL_OK);
    adal_doc_free(doc);
    /* an unknown encoding name */
    doc = load(ctx, TXT("ru.cp1251.txt"), "KLINGON-8", &rc);
    CHECK_EQ_INT(rc, ADAL_EENCODING);
    CHECK(strstr(adal_errmsg(ctx), "KLINGON-8") != NULL);
    free(want);
    adal_ctx_free(ctx);
}

TEST(txt_binary_junk_is_not_text)
{
    adal_ctx *ctx = NULL;
    int rc;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    adal_doc *doc = load(ctx, TXT("junk.bin"), NULL, &rc);
    CHECK_EQ_INT(rc, ADAL_ENOTDOC);
    CHECK_EQ_STR(adal_errmsg(ctx), "binary file, not text");
    CHECK(doc == NULL);
    doc = load(ctx, TXT("ctrl.bin"), NULL, &rc);
    CHECK_EQ_INT(rc, ADAL_ENOTDOC);
    CHECK(doc == NULL);
    /* junk forced through an encoding is still junk */
    doc = load(ctx, TXT("ctrl.bin"), "CP1251", &rc);
    CHECK_EQ_INT(rc, ADAL_ENOTDOC);
    CHECK(doc == NULL);
    /* whitespace only: empty */
    CHECK_EQ_INT(adal_doc_from_memory(&doc, ctx, " \n\r\n\t\n", 6, "e.txt", NULL), ADAL_EEMPTY);
    CHECK_EQ_INT(adal_doc_from_memory(&doc, ctx, "", 0, "e.txt", NULL), ADAL_EEMPTY);
    adal_ctx_free(ctx);
}

TEST(txt_alloc_failures_are_clean)
{
    size_t n;
    char *data = th_read(TXT("kk.rk1048-crlf.txt"), &n);
    CHECK(data != NULL);
    if (!data)
        return;
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    for (long k = 1; k < 200; k++) {
        adal_doc *doc = NULL;
        adal__fail_alloc_after(k, false);
        int rc = adal_doc_from_memory(&doc, ctx, data, n, "f.txt", NULL);
        adal__fail_alloc_after(0, false);
        CHECK(rc == ADAL_OK || rc == ADAL_ENOMEM);
        CHECK((rc == ADAL_OK) == (doc != NULL));
        adal_doc_free(doc);
    }
    free(data);
    adal_ctx_free(ctx);
}

/* The sniffer (ingest.c) in front of the text reader: Word's markup formats and files
 * "saved as .doc" from a browser are refused by name, not read as text. Headers as Word
 * and LibreOffice write them. */
TEST(txt_sniff_markup_and_containers)
{
    static const struct {
        const char *bytes;
        int rc;
        const char *msg;
    } cases[] = {
        {"<?xml version=\"1.0\" standalone=\"yes\"?>\r\n<?mso-application "
         "progid=\"Word.Document\"?>"
         "\r\n<pkg:package xmlns:pkg=\"http://schemas.microsoft.com/office/2006/xmlPackage\">",
         ADAL_EUNSUPPORTED, "Flat OPC"},
        {"\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<?mso-application progid=\"Word.Document\"?>\n<w:wordDocument xmlns:w=\"http://"
         "schemas.microsoft.com/office/word/2003/wordml\">",
         ADAL_EUNSUPPORTED, "Word 2003 XML"},
        {"<html xmlns:v=\"urn:schemas-microsoft-com:vml\"\r\nxmlns:o=\"urn:schemas-microsoft-com:"
         "office:office\">\r\n<head><meta name=ProgId content=Word.Document>",
         ADAL_EUNSUPPORTED, "web page (HTML)"},
        {"  <!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.0 Transitional//EN\">\n<HTML><BODY>"
         "Сәлем</BODY></HTML>",
         ADAL_EUNSUPPORTED, "web page (HTML)"},
        {"MIME-Version: 1.0\r\nX-Document-Type: Document\r\nContent-Type: multipart/related; "
         "boundary=\"----=_NextPart_01D9\"\r\n",
         ADAL_EUNSUPPORTED, "web archive (MHT)"},
        {"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", ADAL_EUNSUPPORTED, "PDF"},
        {"{\\rtf1\\ansi\\ansicpg1251\\deff0", ADAL_EUNSUPPORTED, "RTF"},
        /* plain XML that is none of these is just text */
        {"<?xml version=\"1.0\"?><note>Абай</note>", ADAL_OK, ""},
    };
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        adal_doc *doc = NULL;
        int rc =
            adal_doc_from_memory(&doc, ctx, cases[i].bytes, strlen(cases[i].bytes), "f.doc", NULL);
        CHECK_EQ_INT(rc, cases[i].rc);
        CHECK(rc == ADAL_OK || strstr(adal_errmsg(ctx), cases[i].msg) != NULL);
        adal_doc_free(doc);
    }
    /* a ZIP that is neither OOXML nor ODF: a minimal stored archive holding one "a.txt" */
    static const unsigned char zip[] = {
        'P',  'K',  3,   4,    10,   0,    0,    0,    0,    0,    0, 0,  0x21, 0,    0x35, 0x3B,
        0x71, 0xCB, 2,   0,    0,    0,    2,    0,    0,    0,    5, 0,  0,    0,    'a',  '.',
        't',  'x',  't', 'h',  '\n', 'P',  'K',  1,    2,    0x1E, 3, 10, 0,    0,    0,    0,
        0,    0,    0,   0x21, 0,    0x35, 0x3B, 0x71, 0xCB, 2,    0, 0,  0,    2,    0,    0,
        0,    5,    0,   0,    0,    0,    0,    0,    0,    1,    0, 0,  0,    0xA4, 0x81, 0,
        0,    0,    0,   'a',  '.',  't',  'x',  't',  'P',  'K',  5, 6,  0,    0,    0,    0,
        1,    0,    1,   0,    0x33, 0,    0,    0,    0x25, 0,    0, 0,  0,    0};
    adal_doc *doc = NULL;
    int rc = adal_doc_from_memory(&doc, ctx, zip, sizeof zip, "a.zip", NULL);
    if (rc == ADAL_ECORRUPT)
        fprintf(stderr, "    zip: %s\n", adal_errmsg(ctx));
    CHECK_EQ_INT(rc, ADAL_ENOTDOC);
    CHECK(strstr(adal_errmsg(ctx), "not a Word or ODF document") != NULL);
    CHECK_EQ_INT(adal_doc_from_memory(&doc, ctx, zip, 0, "a.zip", NULL), ADAL_EEMPTY);
    adal_ctx_free(ctx);
}

/* Deterministic random inputs shaped like each detection branch (high bytes, UTF-16 pairs,
 * BOMs, broken UTF-8, CR runs): always text or a clear error, never a crash (`make asan`). */
TEST(txt_random_inputs_never_crash)
{
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    uint32_t x = 12345;
    unsigned char buf[700];
    static const unsigned char alpha[] = {' ',  '\n', '\r', 0xE0, 0xEE, 0xC0, 0xD0, 0xA3,
                                          0xBC, 0x04, 0x00, 'a',  0xD0, 0xB0, 0xEF, 0xBB,
                                          0xBF, 0xFF, 0xFE, 0x8D, 0x1B, '.'};
    for (int it = 0; it < 3000; it++) {
        size_t n = (size_t)(it % 700);
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            buf[i] = (it & 1) ? alpha[(x >> 16) % sizeof alpha] : (unsigned char)(x >> 16);
        }
        if (it % 5 == 0 && n >= 2) { /* a BOM in front */
            buf[0] = (it & 2) ? 0xFF : 0xFE;
            buf[1] = (it & 2) ? 0xFE : 0xFF;
        }
        adal_doc *doc = NULL;
        adal_load_opts o = ADAL_LOAD_OPTS_INIT;
        o.encoding = it % 7 == 0 ? "UTF-16" : it % 11 == 0 ? "CP866" : NULL;
        int rc = adal_doc_from_memory(&doc, ctx, buf, n, "r.txt", &o);
        CHECK(rc == ADAL_OK || rc == ADAL_ENOTDOC || rc == ADAL_EEMPTY || rc == ADAL_EENCODING ||
              rc == ADAL_EUNSUPPORTED || rc == ADAL_ECORRUPT);
        CHECK(rc == ADAL_OK || adal_errmsg(ctx)[0] != '\0');
        if (doc) {
            size_t tl;
            const char *t = adal_doc_text(doc, &tl);
            CHECK(adal__utf8_valid(t, tl));
        }
        adal_doc_free(doc);
    }
    adal_ctx_free(ctx);
}
