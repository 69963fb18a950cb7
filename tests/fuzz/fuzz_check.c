/* fuzz_check.c — libFuzzer target: the whole check pipeline on one fuzzed file against a small
 * reference set built from the first half of the input as text. */
#include "adal.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    adal_ctx *ctx = NULL;
    adal_refset *rs = NULL;
    adal_doc *q = NULL, *ref = NULL;
    adal_report *r = NULL;
    if (adal_ctx_new(&ctx) != ADAL_OK || adal_refset_new(&rs, ctx) != ADAL_OK)
        goto out;
    size_t half = size / 2;
    if (adal_doc_from_text(&ref, ctx, (const char *)data, half, "ref") == ADAL_OK) {
        adal_refset_add(rs, ctx, ref, "ref"); /* takes ownership, also on error */
        ref = NULL;
    }
    if (adal_doc_from_memory(&q, ctx, data, size, "fuzz", NULL) != ADAL_OK &&
        adal_doc_from_text(&q, ctx, (const char *)data + half, size - half, "q") != ADAL_OK)
        goto out;
    if (adal_refset_check(&r, ctx, rs, q, NULL, NULL, 0) == ADAL_OK) {
        adal_score s;
        adal_report_score(r, &s);
        if (s.originality < 0 || s.originality > 100 || s.borrowed + s.cited > 100.05)
            __builtin_trap();
    }
out:
    adal_report_free(r);
    adal_doc_free(q);
    adal_doc_free(ref);
    adal_refset_free(rs);
    adal_ctx_free(ctx);
    return 0;
}
