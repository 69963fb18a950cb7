/* test_odt.c — the ODT reader (ingest_odt.c) on LibreOffice-written fixtures from
 * tests/data/gen/make_docx_fixtures.py and on real ODT files from ../shared/data/docx:
 * paragraphs, spans with automatic and common styles (parent chains), notes, tables, frames,
 * tracked deletions, headers/footers from master pages, hidden and disguised text, encryption.
 */
#include "../harness.h"
#include "internal.h"

#define KZ                                                                                                                                                         \
    "Бұл жасқа келгенше жақсы өткіздік пе, жаман өткіздік пе, әйтеуір бірталай өмірімізді " \
    "өткіздік."
#define KZ2 "Ел бағу? Жоқ, елге бағым жоқ."
#define RU_LO                                                                                                                                                 \
    "После венчания не было даже легкой закуски; молодые выпили по бокалу, переоделись\n" \
    "и поехали на вокзал."
#define RU2                                                                                                                                                            \
    "Вместо веселого свадебного бала и ужина, вместо музыки и танцев — поездка на богомолье " \
    "за двести верст."

static adal_doc *load(adal_ctx *ctx, const char *name, int *rc)
{
    char path[256];
    snprintf(path, sizeof path, "tests/data/docx/%s", name);
    adal_doc *doc = NULL;
    *rc = adal_doc_load(&doc, ctx, path, NULL);
    if (*rc)
        fprintf(stderr, "    %s: %s\n", name, adal_errmsg(ctx));
    return doc;
}

static const char *seg_text(const adal_doc *doc, size_t i)
{
    static char buf[2048];
    const adal_segment *s = adal_doc_segment(doc, i);
    if (!s)
        return "(no segment)";
    size_t a = adal_doc_utf8_offset(doc, s->start),
           b = adal_doc_utf8_offset(doc, s->start + s->len);
    size_t n = b - a;
    if (n > 0 && adal_doc_text(doc, NULL)[b - 1] == '\n')
        n--;
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, adal_doc_text(doc, NULL) + a, n);
    buf[n] = '\0';
    return buf;
}

TEST(odt_plain_parts_in_reading_order)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    int rc;
    adal_doc *doc = load(ctx, "lo_plain.odt", &rc);
    CHECK_EQ_INT(rc, ADAL_OK);
    if (doc) {
        static const struct {
            int part;
            const char *text;
        } want[] = {
            {ADAL_PART_BODY, KZ},
            {ADAL_PART_BODY, RU_LO},   /* text:s is one space, text:line-break a '\n' */
            {ADAL_PART_FOOTNOTE, RU2}, /* note after its anchor paragraph, citation skipped */
            {ADAL_PART_TABLE, "Абай"},
            {ADAL_PART_TABLE, KZ2},
            {ADAL_PART_BODY, "Соңы."},
            {ADAL_PART_TEXTBOX, "Мал бағу? Жоқ, баға алмаймын."},
            {ADAL_PART_HEADER, "Әл-Фараби атындағы ҚазҰУ"},
            {ADAL_PART_FOOTER, "Алматы, 2024"},
        };
        CHECK_EQ_INT(adal_doc_format(doc), ADAL_FMT_ODT);
        CHECK_EQ_INT(adal_doc_nsegments(doc), 9);
        for (size_t i = 0; i < 9 && i < adal_doc_nsegments(doc); i++) {
            CHECK_EQ_INT(adal_doc_segment(doc, i)->part, want[i].part);
            CHECK_EQ_STR(seg_text(doc, i), want[i].text);
        }
        CHECK_EQ_INT(adal_doc_nfindings(doc), 0);
    }
    adal_doc_free(doc);
    adal_ctx_free(ctx);
}

/* One trick per gap between Abai's words (display none, white, 1 pt, 1 % scale, -0.6 cm
 * spacing, a white 1 pt common style through an automatic style's parent), a paragraph hidden
 * through a two-level paragraph style chain, and a tracked deletion. */
TEST(odt_tricks_are_spaces_and_findings)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    int rc;
    adal_doc *doc = load(ctx, "lo_tricks.odt", &rc);
    CHECK_EQ_INT(rc, ADAL_OK);
    if (doc) {
        CHECK_EQ_STR(seg_text(doc, 0), KZ);
        CHECK_EQ_STR(seg_text(doc, 1), " ");
        CHECK_EQ_STR(seg_text(doc, 2), RU_LO);
        CHECK(strstr(adal_doc_text(doc, NULL), "өшірілген") == NULL);
        static const adal_evasion kinds[12] = {
            ADAL_EV_HIDDEN, ADAL_EV_WHITE,  ADAL_EV_TINY,   ADAL_EV_NARROW,
            ADAL_EV_SPACED, ADAL_EV_WHITE,  ADAL_EV_HIDDEN, ADAL_EV_WHITE,
            ADAL_EV_TINY,   ADAL_EV_NARROW, ADAL_EV_SPACED, ADAL_EV_WHITE,
        };
        CHECK_EQ_INT(adal_doc_nfindings(doc), 13);
        for (size_t i = 0; i < 12 && i < adal_doc_nfindings(doc); i++) {
            const adal_finding *f = adal_doc_finding(doc, i);
            CHECK_EQ_INT(f->kind, kinds[i]);
            CHECK_EQ_STR(f->text, " жасырын ");
            CHECK_EQ_INT(f->part, ADAL_PART_BODY);
        }
        const adal_finding *f = adal_doc_finding(doc, 12);
        if (f) {
            CHECK_EQ_INT(f->kind, ADAL_EV_HIDDEN);
            CHECK_EQ_INT(f->para, 1);
            CHECK_EQ_INT(f->count, 29);
        }
    }
    adal_doc_free(doc);
    adal_ctx_free(ctx);
}

TEST(odt_encrypted_is_a_clear_error)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    int rc;
    adal_doc *doc = load(ctx, "lo_encrypted.odt", &rc);
    CHECK_EQ_INT(rc, ADAL_EENCRYPTED);
    CHECK(doc == NULL);
    CHECK_EQ_STR(adal_errmsg(ctx), "document is password-protected; save it without a password");
    const char *p = th_path("data/docx/apache-tika/tika-parsers/tika-parsers-standard/"
                            "tika-parsers-standard-modules/tika-parser-miscoffice-module/src/test/"
                            "resources/test-documents/testODTEncrypted.odt");
    if (th_shared() && th_exists(p)) {
        CHECK_EQ_INT(adal_doc_load(&doc, ctx, p, NULL), ADAL_EENCRYPTED);
        CHECK(doc == NULL);
    }
    adal_doc_free(doc);
    adal_ctx_free(ctx);
}

/* pandoc's ODT test files: tracked changes, hidden text by style, tables. */
TEST(odt_real_files)
{
    if (!th_shared())
        SKIP("../shared/data absent");
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    adal_doc *doc = NULL;
    const char *p = th_path("data/docx/pandoc/test/odt/odt/trackedChanges.odt");
    if (th_exists(p)) {
        CHECK_EQ_INT(adal_doc_load(&doc, ctx, p, NULL), ADAL_OK);
        if (doc)
            CHECK_EQ_STR(adal_doc_text(doc, NULL), "Some text with  and inserted text.\n");
        adal_doc_free(doc);
        doc = NULL;
    }
    p = th_path("data/docx/pandoc/test/odt/odt/hiddenTextByStyle.odt");
    if (th_exists(p)) {
        /* everything in it is hidden: no text, the right error */
        CHECK_EQ_INT(adal_doc_load(&doc, ctx, p, NULL), ADAL_EEMPTY);
        adal_doc_free(doc);
        doc = NULL;
    }
    p = th_path("data/docx/pandoc/test/odt/odt/tableWithContents.odt");
    if (th_exists(p)) {
        CHECK_EQ_INT(adal_doc_load(&doc, ctx, p, NULL), ADAL_OK);
        if (doc) {
            CHECK_EQ_STR(adal_doc_text(doc, NULL), "A\nB\nC\nD\n");
            CHECK_EQ_INT(adal_doc_segment(doc, 3)->part, ADAL_PART_TABLE);
        }
        adal_doc_free(doc);
    }
    adal_ctx_free(ctx);
}
