/* placeholder while ingest_odt.c is written */
#include "ingest.h"
int adal__odt_read(adal_doc **out, adal_ctx *ctx, adal__zip *z, const char *name)
{ (void)z; (void)name; *out = NULL; return adal__err(ctx, ADAL_EUNSUPPORTED, "ODT reader not built yet"); }
