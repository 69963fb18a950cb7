/* test_doc.c — the document object and builder: UTF-16 offsets, segments, invisible runs. */
#include "../harness.h"
#include "internal.h"

#include <stdlib.h>

TEST(doc_builder_offsets)
{
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    adal__builder b;
    CHECK_EQ_INT(adal__builder_init(&b, ctx, "t", ADAL_FMT_DOCX), ADAL_OK);
    CHECK_EQ_INT(adal__b_begin_para(&b, ADAL_PART_BODY), ADAL_OK);
    CHECK_EQ_INT(adal__b_text(&b, "Қазақ", strlen("Қазақ")), ADAL_OK);
    CHECK_EQ_INT(adal__b_invisible(&b, ADAL_EV_WHITE, "ж", strlen("ж")), ADAL_OK);
    CHECK_EQ_INT(adal__b_text(&b, "тілі \xF0\x9F\x98\x80!", strlen("тілі \xF0\x9F\x98\x80!")), ADAL_OK);
    CHECK_EQ_INT(adal__b_end_para(&b), ADAL_OK);
    CHECK_EQ_INT(adal__b_begin_para(&b, ADAL_PART_FOOTNOTE), ADAL_OK);
    CHECK_EQ_INT(adal__b_text(&b, "ескерту", strlen("ескерту")), ADAL_OK);
    adal_doc *doc = NULL;
    CHECK_EQ_INT(adal__b_finish(&b, &doc), ADAL_OK);
    adal__builder_free(&b);
    if (!doc)
        return;
    size_t n16;
    const uint16_t *t16 = adal_doc_text16(doc, &n16);
    /* "Қазақ" 5 + space 1 + "тілі " 5 + surrogate pair 2 + "!" + "\n" = 15, + "ескерту\n" 8 */
    CHECK_EQ_INT(n16, 23);
    CHECK_EQ_INT(t16[0], 0x049A);
    CHECK_EQ_INT(adal_doc_nsegments(doc), 2);
    CHECK_EQ_INT(adal_doc_segment(doc, 1)->start, 15);
    CHECK_EQ_INT(adal_doc_segment(doc, 1)->part, ADAL_PART_FOOTNOTE);
    CHECK_EQ_INT(adal_doc_nfindings(doc), 1);
    CHECK_EQ_INT(adal_doc_finding(doc, 0)->start, 5);
    CHECK_EQ_STR(adal_doc_finding(doc, 0)->text, "ж");
    CHECK_EQ_INT(adal_doc_utf8_offset(doc, 15), strlen("Қазақ тілі \xF0\x9F\x98\x80!\n"));
    adal_doc_free(doc);
    adal_ctx_free(ctx);
}

TEST(doc_empty_is_error)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    adal_doc *doc = NULL;
    CHECK_EQ_INT(adal_doc_from_text(&doc, ctx, " ... \n\t ", 8, "e"), ADAL_EEMPTY);
    CHECK(doc == NULL);
    adal_ctx_free(ctx);
}

TEST(doc_alloc_failures_are_clean)
{
    /* every allocation of a small document build fails once in turn: a clean error, no leak */
    for (long k = 1; k < 60; k++) {
        adal_ctx *ctx = NULL;
        if (adal_ctx_new(&ctx) != ADAL_OK)
            continue;
        adal__fail_alloc_after(k, false);
        adal_doc *doc = NULL;
        int rc = adal_doc_from_text(&doc, ctx, "бір\nекі үш\n", strlen("бір\nекі үш\n"), "f");
        long failures = adal__alloc_failures();
        adal__fail_alloc_after(0, false);
        CHECK(rc == ADAL_OK || rc == ADAL_ENOMEM);
        CHECK((rc == ADAL_OK) == (doc != NULL));
        if (failures == 0)
            CHECK_EQ_INT(rc, ADAL_OK);
        adal_doc_free(doc);
        adal_ctx_free(ctx);
    }
}
