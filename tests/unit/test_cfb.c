/* test_cfb.c — OLE2/CFB classification: the real encrypted DOCX and legacy .doc files of
 * ../shared/data/docx, the hand-built fixtures of tests/data/gen/make_cfb_fixtures.py
 * (mini-stream streams, upper-case names, Excel/PowerPoint), and truncated or corrupted
 * variants, which must give ADAL_ECORRUPT (or another clear error), never a crash. */
#include "../harness.h"
#include "ingest.h"

#include <stdlib.h>

#define CFB(f) "tests/data/cfb/" f

static int classify_file(adal_ctx *ctx, const char *path)
{
    size_t n;
    char *d = th_read(path, &n);
    if (!d)
        return 1;
    int rc = adal_doc_from_memory(&(adal_doc *){NULL}, ctx, d, n, path, NULL);
    free(d);
    return rc;
}

/* the 8 password-protected OOXML packages and the 4 legacy Word files of the collection
 * (INDEX.tsv, container "ole2/cfb") */
static const char *const encrypted[] = {
    "apache-poi/test-data/document/bug53475-password-is-pass.docx",
    "apache-poi/test-data/document/bug53475-password-is-solrcell.docx",
    "apache-poi/test-data/poifs/protected_agile.docx",
    "msoffcrypto-tool/tests/inputs/ecma376standard_password.docx",
    "msoffcrypto-tool/tests/inputs/example_password.docx",
    "apache-tika/tika-parsers/tika-parsers-standard/tika-parsers-standard-modules/"
    "tika-parser-microsoft-module/src/test/resources/test-documents/"
    "testWORD_protected_passtika.docx",
    "apache-tika/tika-parsers/tika-parsers-standard/tika-parsers-standard-modules/"
    "tika-parser-microsoft-module/src/test/resources/test-documents/casing/"
    "protected_normal_case.docx",
    "apache-tika/tika-parsers/tika-parsers-standard/tika-parsers-standard-modules/"
    "tika-parser-microsoft-module/src/test/resources/test-documents/casing/"
    "protected_upper_case.docx",
};
static const char *const legacy[] = {
    "msoffcrypto-tool/tests/inputs/plain.doc",
    "msoffcrypto-tool/tests/inputs/rc4cryptoapi_password.doc",
    "msoffcrypto-tool/tests/outputs/rc4cryptoapi_password_plain.doc",
    /* a 9 KiB .docm that is really a Word 97 file whose WordDocument is in the mini stream */
    "apache-poi/test-data/document/"
    "cpansearch.perl.org_src_tobyink_acme-rundoc-0.001_word-lib_hello_world.docm",
};

static const char *docx_path(const char *rel)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/data/docx/%s", th_shared(), rel);
    return buf;
}

TEST(cfb_real_encrypted_docx)
{
    if (!th_shared() || !th_exists(docx_path(encrypted[0])))
        SKIP("../shared/data/docx absent");
    adal_ctx *ctx = NULL;
    int agile = 0, standard = 0;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    for (size_t i = 0; i < sizeof encrypted / sizeof *encrypted; i++) {
        int rc = classify_file(ctx, docx_path(encrypted[i]));
        if (rc != ADAL_EENCRYPTED)
            fprintf(stderr, "    %s: %d %s\n", encrypted[i], rc, adal_errmsg(ctx));
        CHECK_EQ_INT(rc, ADAL_EENCRYPTED);
        CHECK(strstr(adal_errmsg(ctx), "save it without a password") != NULL);
        agile += strstr(adal_errmsg(ctx), "(Agile encryption)") != NULL;
        standard += strstr(adal_errmsg(ctx), "(Standard encryption)") != NULL;
    }
    /* design notes §1.6: 5 Agile, 3 Standard */
    CHECK_EQ_INT(agile, 5);
    CHECK_EQ_INT(standard, 3);
    adal_ctx_free(ctx);
}

TEST(cfb_real_legacy_doc)
{
    if (!th_shared() || !th_exists(docx_path(legacy[0])))
        SKIP("../shared/data/docx absent");
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    for (size_t i = 0; i < sizeof legacy / sizeof *legacy; i++) {
        int rc = classify_file(ctx, docx_path(legacy[i]));
        CHECK_EQ_INT(rc, ADAL_ELEGACY);
        CHECK(strstr(adal_errmsg(ctx), "legacy Word 97-2003 .doc") != NULL);
        /* only the RC4 one has the FIB's fEncrypted bit */
        CHECK_EQ_INT(strstr(adal_errmsg(ctx), "password-protected") != NULL, i == 1);
    }
    adal_ctx_free(ctx);
}

TEST(cfb_fixtures)
{
    static const struct {
        const char *file;
        int rc;
        const char *msg;
    } cases[] = {
        {CFB("encrypted-agile.cfb"), ADAL_EENCRYPTED, "(Agile encryption)"},
        {CFB("encrypted-standard-upper.cfb"), ADAL_EENCRYPTED, "(Standard encryption)"},
        {CFB("legacy.cfb"), ADAL_ELEGACY, "legacy Word 97-2003 .doc; save it as .docx"},
        {CFB("legacy-encrypted-mini.cfb"), ADAL_ELEGACY, ".doc, password-protected"},
        {CFB("excel.cfb"), ADAL_ENOTDOC, "Excel workbook"},
        {CFB("powerpoint.cfb"), ADAL_ENOTDOC, "PowerPoint presentation"},
        {CFB("other.cfb"), ADAL_ENOTDOC, "neither Word nor an encrypted document"},
    };
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        CHECK_EQ_INT(classify_file(ctx, cases[i].file), cases[i].rc);
        if (!strstr(adal_errmsg(ctx), cases[i].msg))
            fprintf(stderr, "    %s: \"%s\"\n", cases[i].file, adal_errmsg(ctx));
        CHECK(strstr(adal_errmsg(ctx), cases[i].msg) != NULL);
    }
    adal_ctx_free(ctx);
}

static void put32(char *p, uint32_t v)
{
    p[0] = (char)v;
    p[1] = (char)(v >> 8);
    p[2] = (char)(v >> 16);
    p[3] = (char)(v >> 24);
}

TEST(cfb_corrupt_variants)
{
    size_t n;
    char *good = th_read(CFB("legacy-encrypted-mini.cfb"), &n);
    CHECK(good != NULL);
    if (!good)
        return;
    char *d = malloc(n);
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    /* truncated: inside the header, before the directory, inside the mini stream */
    CHECK_EQ_INT(adal__cfb_classify(ctx, (const uint8_t *)good, 300), ADAL_ECORRUPT);
    CHECK(strstr(adal_errmsg(ctx), "corrupt OLE2 compound file") != NULL);
    CHECK_EQ_INT(adal__cfb_classify(ctx, (const uint8_t *)good, 512), ADAL_ECORRUPT);
    CHECK_EQ_INT(adal__cfb_classify(ctx, (const uint8_t *)good, 1024), ADAL_ECORRUPT);
    CHECK_EQ_INT(adal__cfb_classify(ctx, (const uint8_t *)good, 1600), ADAL_ECORRUPT);
    /* bad sector shift */
    memcpy(d, good, n);
    d[0x1E] = 20;
    CHECK_EQ_INT(adal__cfb_classify(ctx, (const uint8_t *)d, n), ADAL_ECORRUPT);
    /* directory chain that loops on itself (FAT[1] = 1) */
    memcpy(d, good, n);
    put32(d + 512 + 4, 1);
    CHECK_EQ_INT(adal__cfb_classify(ctx, (const uint8_t *)d, n), ADAL_ECORRUPT);
    /* absurd FAT sector count, DIFAT chain pointing at itself */
    memcpy(d, good, n);
    put32(d + 0x2C, 0x7FFFFFFF);
    CHECK_EQ_INT(adal__cfb_classify(ctx, (const uint8_t *)d, n), ADAL_ECORRUPT);
    memcpy(d, good, n);
    put32(d + 0x2C, 2);
    put32(d + 0x44, 1);
    put32(d + 0x48, 1000);
    CHECK_EQ_INT(adal__cfb_classify(ctx, (const uint8_t *)d, n), ADAL_ECORRUPT);
    /* WordDocument's mini sector beyond the mini stream */
    memcpy(d, good, n);
    put32(d + 1024 + 128 * 1 + 0x74, 1000000);
    CHECK_EQ_INT(adal__cfb_classify(ctx, (const uint8_t *)d, n), ADAL_ECORRUPT);
    /* every single-byte corruption of the header, FAT and directory: a clear error or the
     * right class, never a crash (run under ASan by `make asan`) */
    for (size_t i = 0; i < 1536 && i < n; i++) {
        for (int v = 0; v < 3; v++) {
            static const unsigned char vals[3] = {0x00, 0xFF, 0x7F};
            memcpy(d, good, n);
            d[i] = (char)vals[v];
            int rc = adal__cfb_classify(ctx, (const uint8_t *)d, n);
            CHECK(rc == ADAL_ECORRUPT || rc == ADAL_ELEGACY || rc == ADAL_ENOTDOC ||
                  rc == ADAL_EENCRYPTED);
            CHECK(adal_errmsg(ctx)[0] != '\0');
        }
    }
    free(d);
    free(good);
    adal_ctx_free(ctx);
}
