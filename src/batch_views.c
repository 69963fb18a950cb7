/* batch_views.c — placeholder, written next */
#include "report.h"
int adal_batch_views_write(adal_ctx *ctx, const char *out_dir, const adal_write_opts *opts)
{
    (void)out_dir;
    (void)opts;
    return adal__err(ctx, ADAL_EINVAL, "not yet");
}
