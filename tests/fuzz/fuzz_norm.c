/* fuzz_norm.c — libFuzzer target: arbitrary bytes as UTF-8 text through the document builder,
 * normalisation (ICU, folds, transliteration, stems) and fingerprinting. */
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
    if (adal_doc_from_text(&doc, ctx, (const char *)data, size, "fuzz") == ADAL_OK) {
        if (adal_doc_normalize(doc, ctx) == ADAL_OK) {
            /* offsets must stay inside the text and keys inside the key buffer */
            size_t n16;
            adal_doc_text16(doc, &n16);
            const adal_token *t = adal_doc_tokens(doc);
            for (size_t i = 0; i < adal_doc_ntokens(doc); i++)
                if (t[i].start >= t[i].end || t[i].end > n16)
                    __builtin_trap();
            adal_doc_fingerprint(doc, ctx);
        }
    }
    adal_doc_free(doc);
    adal_ctx_free(ctx);
    return 0;
}
