/* stub_txt.c — TEMPORARY placeholder until ingest_txt.c/ingest_cfb.c land. */
#include "ingest.h"
int adal__txt_read(adal_doc **out, adal_ctx *ctx, const uint8_t *data, size_t len, const char *name, const char *enc)
{ (void)enc; return adal_doc_from_text(out, ctx, (const char *)data, len, name); }
int adal__cfb_classify(adal_ctx *ctx, const uint8_t *data, size_t len)
{ (void)data; (void)len; return adal__err(ctx, ADAL_ENOTDOC, "OLE2 file"); }
