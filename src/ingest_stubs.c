/* ingest_stubs.c — TEMPORARY placeholders while the readers are written; deleted when they land. */
#include "ingest.h"
int adal__docx_read(adal_doc **out, adal_ctx *ctx, adal__zip *z, const char *name)
{ (void)z; (void)name; *out = NULL; return adal__err(ctx, ADAL_EUNSUPPORTED, "DOCX reader not built yet"); }
int adal__odt_read(adal_doc **out, adal_ctx *ctx, adal__zip *z, const char *name)
{ (void)z; (void)name; *out = NULL; return adal__err(ctx, ADAL_EUNSUPPORTED, "ODT reader not built yet"); }
int adal__txt_read(adal_doc **out, adal_ctx *ctx, const uint8_t *data, size_t len, const char *name, const char *enc)
{ (void)enc; return adal_doc_from_text(out, ctx, (const char *)data, len, name); }
int adal__cfb_classify(adal_ctx *ctx, const uint8_t *data, size_t len)
{ (void)data; (void)len; return adal__err(ctx, ADAL_ENOTDOC, "OLE2 file"); }
void adal__norm_free(struct adal__norm *n) { (void)n; }
int adal_doc_normalize(adal_doc *doc, adal_ctx *ctx) { (void)doc; return adal__err(ctx, ADAL_EUNSUPPORTED, "normaliser not built yet"); }
