/* test_faults.c — fault injection (SQLite/curl torture-test style): every allocation made by
 * libadal on the path file → document → tokens fails in turn, and each failure must end in a
 * clean ADAL_ENOMEM with nothing half-built returned (leaks are caught by `make asan` and
 * `make valgrind`, which run this same test). Files from every reader that has fixtures. */
#include "../harness.h"
#include "internal.h"

#include <stdlib.h>

/* Whether two documents have the same text and the same token keys. */
static int same_doc(const adal_doc *a, const adal_doc *b)
{
    size_t na, nb;
    const char *ta = adal_doc_text(a, &na), *tb = adal_doc_text(b, &nb);
    if (na != nb || memcmp(ta, tb, na) != 0 || adal_doc_ntokens(a) != adal_doc_ntokens(b))
        return 0;
    for (size_t i = 0; i < adal_doc_ntokens(a); i++)
        if (adal_doc_tokens(a)[i].hash != adal_doc_tokens(b)[i].hash)
            return 0;
    return 1;
}

static void torture(const char *path)
{
    size_t len = 0;
    char *data = th_read(path, &len);
    CHECK(data != NULL);
    if (!data)
        return;
    adal_ctx *rctx = NULL;
    adal_doc *ref = NULL;
    CHECK_EQ_INT(adal_ctx_new(&rctx), ADAL_OK);
    CHECK_EQ_INT(adal_doc_from_memory(&ref, rctx, data, len, path, NULL), ADAL_OK);
    CHECK_EQ_INT(adal_doc_normalize(ref, rctx), ADAL_OK);
    long k;
    int clean = 0;
    for (k = 1; k < 100000; k++) {
        adal_ctx *ctx = NULL;
        if (adal_ctx_new(&ctx) != ADAL_OK)
            break;
        adal__fail_alloc_after(k, false);
        adal_doc *doc = NULL;
        int rc = adal_doc_from_memory(&doc, ctx, data, len, path, NULL);
        if (rc == ADAL_OK)
            rc = adal_doc_normalize(doc, ctx);
        long failed = adal__alloc_failures();
        adal__fail_alloc_after(0, false);
        if (failed == 0) {
            /* the k-th allocation was never reached: the whole path ran; done */
            CHECK_EQ_INT(rc, ADAL_OK);
            adal_doc_free(doc);
            adal_ctx_free(ctx);
            clean = 1;
            break;
        }
        if (rc == ADAL_OK) {
            /* a failure absorbed by a fallback (a cache, say) is fine if nothing changed */
            CHECK(ref && same_doc(doc, ref));
            adal_doc_free(doc);
            adal_ctx_free(ctx);
            continue;
        }
        if (rc != ADAL_ENOMEM)
            fprintf(stderr, "    %s: allocation %ld failed, got %d (%s)\n", path, k, rc,
                    adal_errmsg(ctx));
        CHECK_EQ_INT(rc, ADAL_ENOMEM);
        CHECK(*adal_errmsg(ctx) != '\0');
        adal_doc_free(doc);
        adal_ctx_free(ctx);
        if (rc != ADAL_ENOMEM)
            break;
    }
    CHECK(clean);
    adal_doc_free(ref);
    adal_ctx_free(rctx);
    free(data);
}

TEST(faults_txt_every_allocation)
{
    torture("tests/data/txt/kk.rk1048.txt");
    torture("tests/data/txt/ru.utf16be-bom.txt");
}
