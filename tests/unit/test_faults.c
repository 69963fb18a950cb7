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

/* ---- the corpus store: every allocation on add, load, check, remove and reindex fails in
 * turn; each failure is a clean ADAL_ENOMEM, nothing leaks (asan, valgrind), and the store
 * is intact afterwards (same documents, PRAGMA integrity_check and the store's own counts). */
#include <unistd.h>

enum { OP_ADD, OP_LOAD, OP_CHECK, OP_REMOVE, OP_REINDEX, OP_ADD_IN_TXN };

static char fdir[64], fdb[128];

static adal_doc *fload(adal_ctx *ctx, const char *path)
{
    adal_doc *d = NULL;
    if (adal_doc_load(&d, ctx, path, NULL) != ADAL_OK || adal_doc_fingerprint(d, ctx) != ADAL_OK) {
        adal_doc_free(d);
        return NULL;
    }
    return d;
}

static uint64_t ndocs_of(adal_ctx *ctx)
{
    adal_store *s = NULL;
    adal_store_stats st = {0};
    if (adal_store_open(&s, ctx, fdb, ADAL_STORE_READONLY) == ADAL_OK) {
        if (adal_store_stats_get(s, ctx, &st) != ADAL_OK || adal_store_verify(s, ctx) != ADAL_OK)
            st.ndocs = UINT64_MAX;
    } else
        st.ndocs = UINT64_MAX;
    adal_store_close(s);
    return st.ndocs;
}

static void store_torture(int op)
{
    snprintf(fdir, sizeof fdir, "/tmp/adal-faults-XXXXXX");
    CHECK(mkdtemp(fdir) != NULL);
    snprintf(fdb, sizeof fdb, "%s/f.db", fdir);
    adal_ctx *rctx = NULL;
    adal_store *s = NULL;
    CHECK_EQ_INT(adal_ctx_new(&rctx), ADAL_OK);
    CHECK_EQ_INT(adal_store_open(&s, rctx, fdb, ADAL_STORE_CREATE), ADAL_OK);
    const char *refs[] = {"tests/data/texts/refs/abai_02.txt", "tests/data/texts/refs/abai_25.txt"};
    for (size_t i = 0; s && i < 2; i++) {
        adal_doc *d = fload(rctx, refs[i]);
        int64_t id;
        int added;
        CHECK(d && adal_store_add(s, rctx, d, ADAL_KIND_SOURCE, NULL, NULL, &id, &added) == ADAL_OK);
        adal_doc_free(d);
    }
    adal_store_close(s);
    const char *qpath = "tests/data/texts/essays/kk_planted.txt"; /* copies abai_25 */
    long k;
    int clean = 0;
    for (k = 1; k < 100000; k++) {
        adal_ctx *ctx = NULL;
        if (adal_ctx_new(&ctx) != ADAL_OK)
            break;
        adal_doc *q = fload(ctx, qpath), *out = NULL;
        adal_report *r = NULL;
        s = NULL;
        CHECK_EQ_INT(adal_store_open(&s, ctx, fdb, op == OP_REINDEX ? ADAL_STORE_REINDEX : 0),
                     ADAL_OK);
        if (!q || !s) {
            adal_doc_free(q);
            adal_store_close(s);
            adal_ctx_free(ctx);
            break;
        }
        uint64_t before = ndocs_of(ctx);
        int64_t id = 0;
        int added = 0, rc;
        adal_doc *first = NULL;
        if (op == OP_ADD_IN_TXN) {
            /* one add done in the transaction, then the failing one: the first is kept */
            first = fload(ctx, "tests/data/texts/essays/ru_clean.txt");
            CHECK_EQ_INT(adal_store_begin(s, ctx), ADAL_OK);
            CHECK(first && adal_store_add(s, ctx, first, ADAL_KIND_SOURCE, NULL, NULL, &id,
                                          &added) == ADAL_OK);
            before += added; /* added by the first round only */
            added = 0;
        }
        adal__fail_alloc_after(k, false);
        switch (op) {
        case OP_ADD:
            rc = adal_store_add(s, ctx, q, ADAL_KIND_SUBMISSION, "l", "s", &id, &added);
            break;
        case OP_LOAD:
            rc = adal_store_load(s, ctx, 1, &out);
            break;
        case OP_CHECK:
            rc = adal_store_check(&r, s, ctx, q, NULL, NULL, NULL);
            break;
        case OP_REMOVE:
            rc = adal_store_remove(s, ctx, 2);
            break;
        case OP_ADD_IN_TXN:
            rc = adal_store_add(s, ctx, q, ADAL_KIND_SUBMISSION, "l", "s", &id, &added);
            break;
        default:
            rc = adal_store_reindex(s, ctx, NULL, NULL);
            break;
        }
        long failed = adal__alloc_failures();
        adal__fail_alloc_after(0, false);
        char msg[ADAL_ERRMSG_MAX];
        snprintf(msg, sizeof msg, "%s", adal_errmsg(ctx));
        if (op == OP_ADD_IN_TXN)
            CHECK_EQ_INT(adal_store_commit(s, ctx), ADAL_OK);
        adal_doc_free(first);
        adal_store_close(s);
        uint64_t after = ndocs_of(ctx);
        if (rc == ADAL_OK) {
            CHECK(op != OP_CHECK || (r != NULL && adal_report_nsources(r) == 1));
            CHECK(op != OP_LOAD || out != NULL);
        } else {
            if (rc != ADAL_ENOMEM)
                fprintf(stderr, "    store op %d: allocation %ld failed, got %d (%s)\n", op, k,
                        rc, msg);
            CHECK_EQ_INT(rc, ADAL_ENOMEM);
            CHECK(msg[0] != '\0');
            CHECK(r == NULL && out == NULL);
            CHECK_EQ_INT(after, before); /* nothing half-done, and the store verifies */
        }
        adal_report_free(r);
        adal_doc_free(out);
        adal_doc_free(q);
        adal_ctx_free(ctx);
        if (failed == 0) {
            CHECK_EQ_INT(rc, ADAL_OK);
            clean = 1;
            break;
        }
        if (rc == ADAL_OK && (op == OP_ADD || op == OP_REMOVE || op == OP_ADD_IN_TXN))
            break; /* the change is made; later allocations were not on its path */
        if (rc != ADAL_OK && rc != ADAL_ENOMEM)
            break;
    }
    if (getenv("ADAL_FAULTS_VERBOSE"))
        fprintf(stderr, "    store op %d: %ld allocations tried\n", op, k);
    CHECK(clean || op == OP_ADD || op == OP_REMOVE || op == OP_ADD_IN_TXN);
    CHECK(k > 1);
    adal_ctx_free(rctx);
    const char *sfx[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[192];
        snprintf(p, sizeof p, "%s%s", fdb, sfx[i]);
        unlink(p);
    }
    rmdir(fdir);
}

TEST(faults_store_add)
{
    store_torture(OP_ADD);
}

TEST(faults_store_load)
{
    store_torture(OP_LOAD);
}

TEST(faults_store_check)
{
    store_torture(OP_CHECK);
}

TEST(faults_store_remove)
{
    store_torture(OP_REMOVE);
}

TEST(faults_store_reindex)
{
    store_torture(OP_REINDEX);
}

TEST(faults_store_add_in_transaction)
{
    store_torture(OP_ADD_IN_TXN);
}
