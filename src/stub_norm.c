/* stub_norm.c — TEMPORARY placeholder until norm_*.c land. */
#include "internal.h"
void adal__norm_free(struct adal__norm *n) { (void)n; }
int adal_doc_normalize(adal_doc *doc, adal_ctx *ctx) { (void)doc; return adal__err(ctx, ADAL_EUNSUPPORTED, "normaliser not built yet"); }
