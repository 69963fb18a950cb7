/* test_store.c — the corpus store (store.c, store_sqlite.c) on the real texts of
 * tests/data/texts: add, a re-add that is a no-op, remove, list, find; a loaded document is
 * the added one (text, segments, tokens, fingerprints); a check against the store equals a
 * check against the same documents in memory; a version change is refused until reindexed;
 * read-only handles; two handles at once; a check while another handle writes. */
#include "../harness.h"
#include "store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static const char *const REFS[] = {
    "tests/data/texts/refs/abai_02.txt",  "tests/data/texts/refs/abai_25.txt",
    "tests/data/texts/refs/abai_38.txt",  "tests/data/texts/refs/chekhov_vanka.txt",
    "tests/data/texts/refs/gogol_nos.txt",
};
#define NREFS (sizeof REFS / sizeof REFS[0])
static const char *const ESSAYS[] = {
    "tests/data/texts/essays/kk_copy.txt", "tests/data/texts/essays/kk_planted.txt",
    "tests/data/texts/essays/ru_clean.txt", "tests/data/texts/essays/ru_planted.txt",
};
#define NESSAYS (sizeof ESSAYS / sizeof ESSAYS[0])

/* A fresh store path in a private temporary folder (removed by cleanup). */
static char tmpdir[64], dbpath[128];

static const char *fresh_db(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/adal-store-XXXXXX");
    if (!mkdtemp(tmpdir))
        return NULL;
    snprintf(dbpath, sizeof dbpath, "%s/t.db", tmpdir);
    return dbpath;
}

static void cleanup(void)
{
    char p[192];
    const char *sfx[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", dbpath, sfx[i]);
        unlink(p);
    }
    rmdir(tmpdir);
}

static adal_doc *load(adal_ctx *ctx, const char *path)
{
    adal_doc *d = NULL;
    if (adal_doc_load(&d, ctx, path, NULL) != ADAL_OK)
        return NULL;
    if (adal_doc_fingerprint(d, ctx) != ADAL_OK) {
        adal_doc_free(d);
        return NULL;
    }
    return d;
}

/* A store holding REFS in order (ids 1..NREFS). */
static adal_store *store_with_refs(adal_ctx *ctx)
{
    adal_store *s = NULL;
    if (adal_store_open(&s, ctx, fresh_db(), ADAL_STORE_CREATE) != ADAL_OK)
        return NULL;
    for (size_t i = 0; i < NREFS; i++) {
        adal_doc *d = load(ctx, REFS[i]);
        int64_t id = 0;
        int added = 0;
        int rc = d ? adal_store_add(s, ctx, d, ADAL_KIND_SOURCE, "refs", NULL, &id, &added)
                   : ADAL_EIO;
        adal_doc_free(d);
        if (rc != ADAL_OK || !added || id != (int64_t)i + 1) {
            adal_store_close(s);
            return NULL;
        }
    }
    return s;
}

static int count_entry(const adal_store_entry *e, void *arg)
{
    (void)e;
    (*(int *)arg)++;
    return 0;
}

TEST(store_add_readd_remove_list)
{
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    adal_store *s = store_with_refs(ctx);
    CHECK(s != NULL);
    if (!s) {
        adal_ctx_free(ctx);
        cleanup();
        return;
    }
    int n = 0;
    CHECK_EQ_INT(adal_store_list(s, ctx, count_entry, &n), ADAL_OK);
    CHECK_EQ_INT(n, (int)NREFS);

    /* the same content again, even as another file name: a no-op with the stored id */
    adal_doc *d = load(ctx, REFS[2]);
    char hash[33];
    CHECK_EQ_INT(adal_store_doc_hash(d, ctx, hash), ADAL_OK);
    CHECK_EQ_INT(strlen(hash), 32);
    int64_t id = 0;
    int added = 1;
    CHECK_EQ_INT(adal_store_add(s, ctx, d, ADAL_KIND_SUBMISSION, NULL, "x", &id, &added), ADAL_OK);
    CHECK_EQ_INT(added, 0);
    CHECK_EQ_INT(id, 3);
    int64_t fid = 0;
    CHECK_EQ_INT(adal_store_find(s, ctx, hash, &fid), 1);
    CHECK_EQ_INT(fid, 3);
    CHECK_EQ_INT(adal_store_find(s, ctx, "00000000000000000000000000000000", &fid), 0);

    adal_store_stats st;
    CHECK_EQ_INT(adal_store_stats_get(s, ctx, &st), ADAL_OK);
    CHECK_EQ_INT(st.ndocs, NREFS);
    CHECK_EQ_INT(st.nsources, NREFS);
    CHECK_EQ_INT(st.nsubmissions, 0);
    CHECK(st.nfps > 100);
    CHECK(st.bytes_on_disk > 0);
    uint64_t fps_before = st.nfps;

    /* remove: gone from the list, its postings with it; a second remove is EINVAL */
    CHECK_EQ_INT(adal_store_remove(s, ctx, 3), ADAL_OK);
    CHECK_EQ_INT(adal_store_remove(s, ctx, 3), ADAL_EINVAL);
    CHECK_EQ_INT(adal_store_find(s, ctx, hash, &fid), 0);
    CHECK_EQ_INT(adal_store_stats_get(s, ctx, &st), ADAL_OK);
    CHECK_EQ_INT(st.ndocs, NREFS - 1);
    CHECK(st.nfps < fps_before);
    CHECK_EQ_INT(adal_store_verify(s, ctx), ADAL_OK);
    /* added again: a new id (ids are never reused) */
    CHECK_EQ_INT(adal_store_add(s, ctx, d, ADAL_KIND_SUBMISSION, "again", "Asel", &id, &added),
                 ADAL_OK);
    CHECK_EQ_INT(added, 1);
    CHECK_EQ_INT(id, (int64_t)NREFS + 1);
    CHECK_EQ_INT(adal_store_stats_get(s, ctx, &st), ADAL_OK);
    CHECK_EQ_INT(st.nfps, fps_before);
    CHECK_EQ_INT(st.nsubmissions, 1);
    CHECK_EQ_INT(adal_store_verify(s, ctx), ADAL_OK);
    adal_doc_free(d);
    adal_store_close(s);
    adal_ctx_free(ctx);
    cleanup();
}

TEST(store_load_round_trip)
{
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    adal_store *s = NULL;
    CHECK_EQ_INT(adal_store_open(&s, ctx, fresh_db(), ADAL_STORE_CREATE), ADAL_OK);
    /* a DOCX with tables, notes and headers, and the text files */
    const char *files[] = {"corpus/sources/abai-37.docx", REFS[0], REFS[4]};
    for (size_t f = 0; s && f < 3; f++) {
        adal_doc *d = load(ctx, files[f]);
        CHECK(d != NULL);
        if (!d)
            continue;
        int64_t id = 0;
        int added = 0;
        CHECK_EQ_INT(adal_store_add(s, ctx, d, ADAL_KIND_SOURCE, NULL, NULL, &id, &added), ADAL_OK);
        adal_doc *e = NULL;
        CHECK_EQ_INT(adal_store_load(s, ctx, id, &e), ADAL_OK);
        if (e) {
            size_t na, nb;
            const char *ta = adal_doc_text(d, &na), *tb = adal_doc_text(e, &nb);
            CHECK(na == nb && memcmp(ta, tb, na) == 0);
            CHECK_EQ_INT(adal_doc_nsegments(e), adal_doc_nsegments(d));
            for (size_t i = 0; i < adal_doc_nsegments(d); i++)
                CHECK(memcmp(adal_doc_segment(d, i), adal_doc_segment(e, i),
                             sizeof(adal_segment)) == 0);
            CHECK_EQ_INT(adal_doc_ntokens(e), adal_doc_ntokens(d));
            size_t same = 0;
            for (size_t i = 0; i < adal_doc_ntokens(d) && i < adal_doc_ntokens(e); i++) {
                const adal_token *x = &adal_doc_tokens(d)[i], *y = &adal_doc_tokens(e)[i];
                same += x->start == y->start && x->end == y->end && x->seg == y->seg &&
                        x->flags == y->flags && x->hash == y->hash;
            }
            CHECK_EQ_INT(same, adal_doc_ntokens(d));
            CHECK_EQ_INT(adal_doc_nfps(e), adal_doc_nfps(d));
            size_t samefp = 0;
            for (size_t i = 0; i < adal_doc_nfps(d) && i < adal_doc_nfps(e); i++)
                samefp += adal_doc_fps(d)[i].hash == adal_doc_fps(e)[i].hash &&
                          adal_doc_fps(d)[i].pos == adal_doc_fps(e)[i].pos;
            CHECK(adal_doc_nfps(d) > 0);
            CHECK_EQ_INT(samefp, adal_doc_nfps(d));
            CHECK(strncmp(adal_doc_name(e), "corpus:", 7) == 0);
            CHECK_EQ_INT(adal_doc_format(e), adal_doc_format(d));
        }
        adal_doc_free(e);
        adal_doc_free(d);
    }
    adal_doc *e = NULL;
    CHECK_EQ_INT(adal_store_load(s, ctx, 99, &e), ADAL_EINVAL);
    CHECK(e == NULL);
    adal_store_close(s);
    adal_ctx_free(ctx);
    cleanup();
}

/* Two finished reports with the same figures and passages (ids aside). */
static void same_report(const adal_report *a, const adal_report *b)
{
    adal_score x, y;
    adal_report_score(a, &x);
    adal_report_score(b, &y);
    CHECK(x.originality == y.originality && x.borrowed == y.borrowed && x.cited == y.cited);
    CHECK_EQ_INT(adal_report_nsources(a), adal_report_nsources(b));
    CHECK_EQ_INT(adal_report_npassages(a), adal_report_npassages(b));
    for (size_t i = 0; i < adal_report_npassages(a) && i < adal_report_npassages(b); i++) {
        const adal_passage *p = adal_report_passage(a, i), *q = adal_report_passage(b, i);
        CHECK(p->qstart == q->qstart && p->qend == q->qend && p->sstart == q->sstart &&
              p->send == q->send && p->cited == q->cited);
    }
}

TEST(store_check_equals_refset)
{
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    adal_store *s = store_with_refs(ctx);
    adal_refset *rs = NULL;
    CHECK(s != NULL);
    CHECK_EQ_INT(adal_refset_new(&rs, ctx), ADAL_OK);
    for (size_t i = 0; i < NREFS; i++)
        CHECK_EQ_INT(adal_refset_add(rs, ctx, load(ctx, REFS[i]), REFS[i]), ADAL_OK);
    size_t borrowed = 0;
    for (size_t e = 0; s && e < NESSAYS; e++) {
        adal_doc *q = load(ctx, ESSAYS[e]);
        adal_report *a = NULL, *b = NULL;
        CHECK_EQ_INT(adal_refset_check(&a, ctx, rs, q, NULL, NULL, 0), ADAL_OK);
        CHECK_EQ_INT(adal_store_check(&b, s, ctx, q, NULL, NULL, NULL), ADAL_OK);
        if (a && b) {
            same_report(a, b);
            adal_score sc;
            adal_report_score(b, &sc);
            borrowed += sc.borrowed > 10;
            for (size_t k = 0; k < adal_report_nsources(b); k++)
                CHECK(strncmp(adal_report_source(b, k)->id, "corpus:", 7) == 0);
        }
        /* candidates alone: ranked, bounded */
        int64_t ids[2];
        size_t n = 9;
        CHECK_EQ_INT(adal_store_candidates(s, ctx, q, 2, NULL, NULL, ids, &n), ADAL_OK);
        CHECK(n <= 2);
        adal_report_free(a);
        adal_report_free(b);
        adal_doc_free(q);
    }
    CHECK(borrowed >= 2); /* the planted essays do find their sources */
    adal_refset_free(rs);
    adal_store_close(s);
    adal_ctx_free(ctx);
    cleanup();
}

static int skip_all(const adal_store_entry *e, void *arg)
{
    (void)e;
    (*(int *)arg)++;
    return 1;
}

TEST(store_candidates_skip)
{
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    adal_store *s = store_with_refs(ctx);
    CHECK(s != NULL);
    adal_doc *q = load(ctx, REFS[1]); /* a stored document finds itself first */
    int64_t ids[5];
    size_t n = 0;
    if (s && q) {
        CHECK_EQ_INT(adal_store_candidates(s, ctx, q, 5, NULL, NULL, ids, &n), ADAL_OK);
        CHECK(n >= 1);
        CHECK_EQ_INT(ids[0], 2);
        int calls = 0;
        CHECK_EQ_INT(adal_store_candidates(s, ctx, q, 5, skip_all, &calls, ids, &n), ADAL_OK);
        CHECK_EQ_INT(n, 0);
        CHECK(calls >= 1);
    }
    adal_doc_free(q);
    adal_store_close(s);
    adal_ctx_free(ctx);
    cleanup();
}

static void set_meta(const char *path, const char *key, const char *value)
{
    sqlite3 *db = NULL;
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE meta SET value = '%s' WHERE key = '%s'", value, key);
    CHECK_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

TEST(store_version_mismatch_and_reindex)
{
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    adal_store *s = store_with_refs(ctx);
    CHECK(s != NULL);
    adal_store_close(s);
    s = NULL;
    /* a store made by a build with another fold table: refused, and the message says what
     * to run */
    set_meta(dbpath, "fold_version", "0");
    CHECK_EQ_INT(adal_store_open(&s, ctx, dbpath, 0), ADAL_EVERSION);
    CHECK(s == NULL);
    CHECK(strstr(adal_errmsg(ctx), "adal corpus reindex") != NULL);
    CHECK_EQ_INT(adal_store_open(&s, ctx, dbpath, ADAL_STORE_READONLY), ADAL_EVERSION);
    set_meta(dbpath, "fold_version", "1");
    set_meta(dbpath, "fingerprint", "xxh3-64 k=4 w=4 seed=0");
    CHECK_EQ_INT(adal_store_open(&s, ctx, dbpath, 0), ADAL_EVERSION);
    /* reindex: opens with the flag, rebuilds, and the store opens normally again */
    CHECK_EQ_INT(adal_store_open(&s, ctx, dbpath, ADAL_STORE_REINDEX), ADAL_OK);
    size_t last = 0;
    CHECK_EQ_INT(adal_store_reindex(s, ctx, NULL, &last), ADAL_OK);
    adal_store_close(s);
    s = NULL;
    CHECK_EQ_INT(adal_store_open(&s, ctx, dbpath, 0), ADAL_OK);
    adal_store_stats st;
    CHECK_EQ_INT(adal_store_stats_get(s, ctx, &st), ADAL_OK);
    CHECK_EQ_INT(st.ndocs, NREFS);
    CHECK_EQ_INT(adal_store_verify(s, ctx), ADAL_OK);
    adal_doc *q = load(ctx, ESSAYS[0]);
    adal_report *r = NULL;
    CHECK_EQ_INT(adal_store_check(&r, s, ctx, q, NULL, NULL, NULL), ADAL_OK);
    CHECK(r && adal_report_nsources(r) >= 1);
    adal_report_free(r);
    adal_doc_free(q);
    adal_store_close(s);
    s = NULL;
    /* a newer layout cannot be reindexed by this build */
    set_meta(dbpath, "schema", "99");
    CHECK_EQ_INT(adal_store_open(&s, ctx, dbpath, ADAL_STORE_REINDEX), ADAL_EVERSION);
    adal_ctx_free(ctx);
    cleanup();
}

TEST(store_open_errors_and_readonly)
{
    adal_ctx *ctx = NULL;
    adal_store *s = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    const char *p = fresh_db();
    /* no file: not created without the flag */
    CHECK_EQ_INT(adal_store_open(&s, ctx, p, 0), ADAL_EIO);
    CHECK_EQ_INT(adal_store_open(&s, ctx, p, ADAL_STORE_READONLY), ADAL_EIO);
    CHECK(access(p, F_OK) != 0);
    /* not an SQLite file */
    FILE *f = fopen(p, "w");
    fputs("just some text, not a database at all, long enough to have a header......\n", f);
    fclose(f);
    CHECK_EQ_INT(adal_store_open(&s, ctx, p, 0), ADAL_ESTORE);
    unlink(p);
    /* another program's SQLite database */
    sqlite3 *db = NULL;
    sqlite3_open(p, &db);
    sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK_EQ_INT(adal_store_open(&s, ctx, p, ADAL_STORE_CREATE), ADAL_ESTORE);
    CHECK(strstr(adal_errmsg(ctx), "not an adal corpus store") != NULL);
    cleanup(); /* store_with_refs makes a folder of its own */
    /* read-only: reads work, changes are refused and nothing changes */
    adal_store *w = store_with_refs(ctx);
    CHECK(w != NULL);
    CHECK_EQ_INT(adal_store_open(&s, ctx, dbpath, ADAL_STORE_READONLY), ADAL_OK);
    adal_doc *d = load(ctx, ESSAYS[2]);
    int64_t id = 0;
    int added = 0;
    if (s && d) {
        CHECK(adal_store_add(s, ctx, d, ADAL_KIND_SOURCE, NULL, NULL, &id, &added) != ADAL_OK);
        CHECK_EQ_INT(added, 0);
        CHECK(adal_store_remove(s, ctx, 1) != ADAL_OK);
        int n = 0;
        CHECK_EQ_INT(adal_store_list(s, ctx, count_entry, &n), ADAL_OK);
        CHECK_EQ_INT(n, (int)NREFS);
    }
    adal_doc_free(d);
    adal_store_close(s);
    adal_store_close(w);
    adal_ctx_free(ctx);
    cleanup();
}

TEST(store_two_handles_and_busy_writer)
{
    adal_ctx *ctx = NULL, *ctx2 = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    CHECK_EQ_INT(adal_ctx_new(&ctx2), ADAL_OK);
    adal_store *a = store_with_refs(ctx), *b = NULL, *c = NULL;
    CHECK(a != NULL);
    CHECK_EQ_INT(adal_store_open(&b, ctx2, dbpath, ADAL_STORE_READONLY), ADAL_OK);
    CHECK_EQ_INT(adal_store_open(&c, ctx2, dbpath, 0), ADAL_OK);
    adal_doc *q = load(ctx, ESSAYS[1]);
    adal_doc *extra = load(ctx, ESSAYS[2]);
    if (a && b && c && q && extra) {
        adal_report *before = NULL;
        CHECK_EQ_INT(adal_store_check(&before, b, ctx2, q, NULL, NULL, NULL), ADAL_OK);
        /* handle a holds a write transaction with an uncommitted add */
        CHECK_EQ_INT(adal_store_begin(a, ctx), ADAL_OK);
        int64_t id = 0;
        int added = 0;
        CHECK_EQ_INT(adal_store_add(a, ctx, extra, ADAL_KIND_SUBMISSION, NULL, NULL, &id, &added),
                     ADAL_OK);
        CHECK_EQ_INT(added, 1);
        /* a check on another handle still works, on the committed snapshot */
        adal_report *during = NULL;
        CHECK_EQ_INT(adal_store_check(&during, b, ctx2, q, NULL, NULL, NULL), ADAL_OK);
        if (before && during)
            same_report(before, during);
        int n = 0;
        CHECK_EQ_INT(adal_store_list(b, ctx2, count_entry, &n), ADAL_OK);
        CHECK_EQ_INT(n, (int)NREFS);
        /* a second writer waits the busy timeout, then ADAL_EBUSY (never "locked") */
        int saved = adal__store_busy_ms;
        adal__store_busy_ms = 200;
        /* the timeout is set at open: reopen c with the short one */
        adal_store_close(c);
        c = NULL;
        CHECK_EQ_INT(adal_store_open(&c, ctx2, dbpath, 0), ADAL_OK);
        int64_t id2 = 0;
        int added2 = 0;
        if (c) {
            CHECK_EQ_INT(adal_store_add(c, ctx2, q, ADAL_KIND_SUBMISSION, NULL, NULL, &id2, &added2),
                         ADAL_EBUSY);
            CHECK(strstr(adal_errmsg(ctx2), "locked") != NULL);
            CHECK_EQ_INT(added2, 0);
        }
        adal__store_busy_ms = saved;
        CHECK_EQ_INT(adal_store_commit(a, ctx), ADAL_OK);
        /* now visible to the other handles */
        n = 0;
        CHECK_EQ_INT(adal_store_list(b, ctx2, count_entry, &n), ADAL_OK);
        CHECK_EQ_INT(n, (int)NREFS + 1);
        /* and the other writer gets through */
        if (c)
            CHECK_EQ_INT(adal_store_add(c, ctx2, q, ADAL_KIND_SUBMISSION, NULL, NULL, &id2, &added2),
                         ADAL_OK);
        CHECK_EQ_INT(added2, 1);
        CHECK_EQ_INT(adal_store_verify(b, ctx2), ADAL_OK);
        adal_report_free(before);
        adal_report_free(during);
    }
    adal_doc_free(q);
    adal_doc_free(extra);
    adal_store_close(a);
    adal_store_close(b);
    adal_store_close(c);
    adal_ctx_free(ctx);
    adal_ctx_free(ctx2);
    cleanup();
}

TEST(store_rollback_leaves_nothing)
{
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    adal_store *s = store_with_refs(ctx);
    CHECK(s != NULL);
    adal_doc *d = load(ctx, ESSAYS[3]);
    if (s && d) {
        CHECK_EQ_INT(adal_store_begin(s, ctx), ADAL_OK);
        int64_t id = 0;
        int added = 0;
        CHECK_EQ_INT(adal_store_add(s, ctx, d, ADAL_KIND_SOURCE, NULL, NULL, &id, &added), ADAL_OK);
        CHECK_EQ_INT(adal_store_begin(s, ctx), ADAL_EINVAL);
        adal_store_rollback(s);
        adal_store_stats st;
        CHECK_EQ_INT(adal_store_stats_get(s, ctx, &st), ADAL_OK);
        CHECK_EQ_INT(st.ndocs, NREFS);
        CHECK_EQ_INT(adal_store_verify(s, ctx), ADAL_OK);
        CHECK_EQ_INT(adal_store_commit(s, ctx), ADAL_EINVAL);
    }
    adal_doc_free(d);
    adal_store_close(s);
    adal_ctx_free(ctx);
    cleanup();
}
