/* check_db.c — `adal check FILE --db PATH`: the corpus store as a source of candidates,
 * beside (or instead of) the --against reference set. The store is opened read-only, so a
 * check never blocks and is never blocked by a batch writing to it (WAL). A stored copy of
 * the essay itself (same content hash) is not its own source.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cli_db_open(adal_store **s, adal_ctx *ctx, const char *path)
{
    int rc = adal_store_open(s, ctx, path, ADAL_STORE_READONLY);
    if (rc != ADAL_OK) {
        cli_error(path, "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
        return -1;
    }
    return 0;
}

static int not_self(const adal_store_entry *e, void *arg)
{
    return strcmp(e->hash, (const char *)arg) == 0;
}

int cli_db_add_sources(adal_report *r, adal_store *s, adal_ctx *ctx, adal_doc *query,
                       const adal_check_opts *co)
{
    char hash[33];
    int rc = adal_store_doc_hash(query, ctx, hash);
    if (rc == ADAL_OK)
        rc = adal_store_add_sources(r, s, ctx, query, co->max_sources, not_self, hash);
    return rc;
}
