/* stub_docx.c — TEMPORARY placeholder until ingest_docx.c/ingest_odt.c/ingest_xml.c land. */
#include "ingest.h"
int adal__docx_read(adal_doc **out, adal_ctx *ctx, adal__zip *z, const char *name)
{ (void)z; (void)name; *out = NULL; return adal__err(ctx, ADAL_EUNSUPPORTED, "DOCX reader not built yet"); }
int adal__odt_read(adal_doc **out, adal_ctx *ctx, adal__zip *z, const char *name)
{ (void)z; (void)name; *out = NULL; return adal__err(ctx, ADAL_EUNSUPPORTED, "ODT reader not built yet"); }
