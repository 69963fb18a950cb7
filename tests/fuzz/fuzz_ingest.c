/* fuzz_ingest.c — libFuzzer target: raw file bytes through ingest (sniff, ZIP, CFB, XML,
 * text encodings) and normalisation. Any crash, leak, hang or sanitizer report is a bug. */
#include "adal.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    adal_ctx *ctx = NULL;
    if (adal_ctx_new(&ctx) != ADAL_OK)
        return 0;
    adal_doc *doc = NULL;
    if (adal_doc_from_memory(&doc, ctx, data, size, "fuzz", NULL) == ADAL_OK) {
        if (adal_doc_normalize(doc, ctx) == ADAL_OK)
            adal_doc_fingerprint(doc, ctx);
    }
    adal_doc_free(doc);
    adal_ctx_free(ctx);
    return 0;
}
