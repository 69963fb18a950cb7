/* test_faults.c — fault injection (SQLite/curl torture-test style): every allocation made by
 * libadal fails in turn, and each failure must end in a clean ADAL_ENOMEM with nothing
 * half-built returned (leaks are caught by `make asan` and `make valgrind`, which run this
 * same test). Two tortures:
 *   - file → document → tokens, for every reader that has fixtures (TXT in two encodings,
 *     DOCX, ODT, CFB, which is always an error of its own kind);
 *   - the whole public pipeline: load, normalise, fingerprint, a reference set (new, add,
 *     check, check_doc), a report built by hand (new, add_source, exclude, finish, with a
 *     template), and every writer (header, report, error record) in text, JSON and CSV. A
 *     run where nothing failed must write exactly the reference output; a failure absorbed
 *     by a fallback (a cache) must too. Both single failures and "every allocation from the
 *     k-th on" (the harder one for clean-up paths). */
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

/* The skeleton of the file tortures: load `data` (and normalise it) with the k-th allocation
 * failing, for k = 1, 1 + step, 1 + 2 step, …; judge() checks each run (rc, the document,
 * how many allocations failed) and returns 1 when the run reached no failure (done), -1 to
 * stop early, 0 to go on. Returns whether a clean run was reached. */
typedef int (*judge_fn)(void *arg, adal_ctx *ctx, const adal_doc *doc, int rc, long k, long failed);

static int fail_each_allocation(const char *path, const char *data, size_t len, bool normalize,
                                long step, judge_fn judge, void *arg)
{
    for (long k = 1; k < 100000; k += step) {
        adal_ctx *ctx = NULL;
        if (adal_ctx_new(&ctx) != ADAL_OK)
            break;
        adal__fail_alloc_after(k, false);
        adal_doc *doc = NULL;
        int rc = adal_doc_from_memory(&doc, ctx, data, len, path, NULL);
        if (rc == ADAL_OK && normalize)
            rc = adal_doc_normalize(doc, ctx);
        long failed = adal__alloc_failures();
        adal__fail_alloc_after(0, false);
        int verdict = judge(arg, ctx, doc, rc, k, failed);
        adal_doc_free(doc);
        adal_ctx_free(ctx);
        if (verdict)
            return verdict > 0;
    }
    return 0;
}

typedef struct reader_case {
    const char *path;
    int want;            /* the result when nothing fails */
    const adal_doc *ref; /* the document then (NULL when want is an error) */
} reader_case;

static int judge_reader(void *arg, adal_ctx *ctx, const adal_doc *doc, int rc, long k, long failed)
{
    const reader_case *c = arg;
    if (failed == 0) {
        /* the k-th allocation was never reached: the whole path ran; done */
        CHECK_EQ_INT(rc, c->want);
        return 1;
    }
    if (rc == ADAL_OK) {
        /* a failure absorbed by a fallback (a cache, say) is fine if nothing changed */
        CHECK(c->ref && same_doc(doc, c->ref));
        return 0;
    }
    if (rc != ADAL_ENOMEM && rc != c->want)
        fprintf(stderr, "    %s: allocation %ld failed, got %d (%s)\n", c->path, k, rc,
                adal_errmsg(ctx));
    CHECK(rc == ADAL_ENOMEM || rc == c->want); /* an error of its own may come first */
    if (rc == c->want)
        return 0;
    CHECK(*adal_errmsg(ctx) != '\0');
    return rc != ADAL_ENOMEM ? -1 : 0;
}

/* A file's bytes and the run with nothing failing: its result and document. */
typedef struct reference {
    char *data;
    size_t len;
    adal_ctx *ctx;
    adal_doc *doc;
    int want;
} reference;

/* Read path and load it (and normalise it) once; 0 when it cannot be read. */
static int reference_run(reference *ref, const char *path, bool normalize)
{
    memset(ref, 0, sizeof *ref);
    ref->data = th_read(path, &ref->len);
    CHECK(ref->data != NULL);
    if (!ref->data)
        return 0;
    CHECK_EQ_INT(adal_ctx_new(&ref->ctx), ADAL_OK);
    ref->want = adal_doc_from_memory(&ref->doc, ref->ctx, ref->data, ref->len, path, NULL);
    if (ref->want == ADAL_OK && normalize)
        CHECK_EQ_INT(adal_doc_normalize(ref->doc, ref->ctx), ADAL_OK);
    return 1;
}

static void reference_free(reference *ref)
{
    adal_doc_free(ref->doc);
    adal_ctx_free(ref->ctx);
    free(ref->data);
}

static void torture(const char *path)
{
    reference ref;
    if (!reference_run(&ref, path, true))
        return;
    reader_case c = {path, ref.want, ref.doc};
    CHECK(fail_each_allocation(path, ref.data, ref.len, true, 1, judge_reader, &c));
    reference_free(&ref);
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

TEST(faults_every_reader_every_allocation)
{
    torture("tests/data/docx/notes.docx");
    torture("tests/data/docx/styles.docx");
    torture("tests/data/docx/lo_plain.odt");
    torture("tests/data/office/kk_disguised.docx");
    torture("tests/data/cfb/legacy.cfb");
    torture("tests/data/cfb/encrypted-agile.cfb");
}

/* ---- the whole public pipeline */
typedef struct inputs {
    char *q, *ref[3], *tmpl;
    size_t qn, refn[3], tmpln;
} inputs;

static int write_all(const adal_report *r, adal_ctx *ctx, FILE *f)
{
    adal_write_opts wo = ADAL_WRITE_OPTS_INIT;
    for (int fmt = ADAL_OUT_TEXT; fmt <= ADAL_OUT_CSV; fmt++) {
        wo.lang = (adal_lang)fmt; /* each writer in another language */
        int rc = adal_report_write_header(ctx, (adal_output)fmt, f, &wo);
        if (rc == ADAL_OK)
            rc = adal_report_write(r, ctx, (adal_output)fmt, f, &wo);
        if (rc == ADAL_OK)
            rc = adal_report_write_error(ctx, (adal_output)fmt, f, "bad.docx", ADAL_ECORRUPT,
                                         "corrupt archive", &wo);
        if (rc)
            return rc;
    }
    return ADAL_OK;
}

/* Run everything once; the first error is returned (ctx's message checked by the caller). */
static int pipeline(const inputs *in, adal_ctx *ctx, FILE *f)
{
    adal_doc *q = NULL, *t = NULL, *d = NULL;
    adal_refset *rs = NULL;
    adal_report *r = NULL, *r2 = NULL, *r3 = NULL;
    int rc = adal_doc_from_memory(&q, ctx, in->q, in->qn, "essay.docx", NULL);
    if (rc == ADAL_OK)
        rc = adal_doc_normalize(q, ctx);
    if (rc == ADAL_OK)
        rc = adal_doc_fingerprint(q, ctx);
    if (rc == ADAL_OK)
        rc = adal_refset_new(&rs, ctx);
    for (int i = 0; rc == ADAL_OK && i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "ref%d", i);
        rc = adal_doc_from_memory(&d, ctx, in->ref[i], in->refn[i], id, NULL);
        if (rc == ADAL_OK)
            rc = adal_refset_add(rs, ctx, d, id); /* owns d, also on error */
        d = NULL;
    }
    if (rc == ADAL_OK)
        rc = adal_refset_check(&r, ctx, rs, q, NULL, NULL, 0);
    if (rc == ADAL_OK)
        rc = write_all(r, ctx, f);
    if (rc == ADAL_OK)
        rc = adal_refset_check_doc(&r2, ctx, rs, 1, NULL);
    if (rc == ADAL_OK)
        rc = write_all(r2, ctx, f);
    /* by hand: a template, an explicit exclusion, one source */
    if (rc == ADAL_OK)
        rc = adal_doc_from_text(&t, ctx, in->tmpl, in->tmpln, "template.txt");
    if (rc == ADAL_OK)
        rc = adal_doc_normalize(t, ctx);
    adal_check_opts co = ADAL_CHECK_OPTS_INIT;
    co.template_doc = t;
    if (rc == ADAL_OK)
        rc = adal_report_new(&r3, ctx, q, &co);
    if (rc == ADAL_OK)
        rc = adal_report_add_source(r3, ctx, adal_refset_doc(rs, 0), "ref0");
    if (rc == ADAL_OK && (rc = adal_report_exclude(r3, 0, 40, "common text")) != ADAL_OK)
        adal__err(ctx, rc, "%s", adal_strerror(rc)); /* it takes no context: the caller tells */
    if (rc == ADAL_OK)
        rc = adal_report_finish(r3, ctx);
    if (rc == ADAL_OK)
        rc = write_all(r3, ctx, f);
    adal_report_free(r);
    adal_report_free(r2);
    adal_report_free(r3);
    adal_refset_free(rs);
    adal_doc_free(q);
    adal_doc_free(t);
    return rc;
}

static char *run_pipeline(const inputs *in, adal_ctx *ctx, int *rc, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    *rc = pipeline(in, ctx, f);
    fclose(f);
    return buf;
}

static void pipeline_torture(bool repeat)
{
    inputs in;
    memset(&in, 0, sizeof in);
    in.q = th_read("tests/data/office/kk_disguised.docx", &in.qn);
    in.ref[0] = th_read("tests/data/texts/refs/abai_25.txt", &in.refn[0]);
    in.ref[1] = th_read("tests/data/texts/essays/kk_copy.txt", &in.refn[1]);
    in.ref[2] = th_read("tests/data/docx/lo_plain.odt", &in.refn[2]);
    in.tmpl = th_read("tests/data/template_kk.txt", &in.tmpln);
    CHECK(in.q && in.ref[0] && in.ref[1] && in.ref[2] && in.tmpl);
    if (!in.q || !in.ref[0] || !in.ref[1] || !in.ref[2] || !in.tmpl)
        goto out;
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    int rc;
    size_t want_len = 0;
    char *want = run_pipeline(&in, ctx, &rc, &want_len);
    CHECK_EQ_INT(rc, ADAL_OK);
    CHECK(want_len > 1000);
    adal_ctx_free(ctx);
    long k, step = 1;
    int clean = 0, nomem = 0;
    /* under valgrind (30 times slower) every 11th allocation; ASan runs them all */
    const char *vg = getenv("ADAL_VALGRIND");
    if (vg && *vg == '1')
        step = 11;
    for (k = 1; k < 200000; k += step) {
        ctx = NULL;
        adal__fail_alloc_after(k, repeat);
        int crc = adal_ctx_new(&ctx);
        size_t len = 0;
        char *got = NULL;
        if (crc == ADAL_OK)
            got = run_pipeline(&in, ctx, &rc, &len);
        else
            rc = crc;
        long failed = adal__alloc_failures();
        adal__fail_alloc_after(0, false);
        if (failed == 0) {
            CHECK_EQ_INT(rc, ADAL_OK);
            CHECK(len == want_len && memcmp(got, want, len) == 0);
            clean = 1;
        } else if (rc == ADAL_OK) {
            /* absorbed by a fallback: nothing may differ */
            CHECK(len == want_len && memcmp(got, want, len) == 0);
        } else {
            if (rc != ADAL_ENOMEM)
                fprintf(stderr, "    allocation %ld failed, got %d (%s)\n", k, rc,
                        ctx ? adal_errmsg(ctx) : "no context");
            CHECK_EQ_INT(rc, ADAL_ENOMEM);
            if (ctx && !*adal_errmsg(ctx))
                fprintf(stderr, "    allocation %ld: ENOMEM without a message\n", k);
            CHECK(ctx == NULL || *adal_errmsg(ctx) != '\0');
            nomem++;
        }
        free(got);
        adal_ctx_free(ctx);
        if (clean || (rc != ADAL_OK && rc != ADAL_ENOMEM))
            break;
    }
    fprintf(stderr, "    %ld allocations, %d failures ended in ENOMEM (%s)\n", k - 1, nomem,
            repeat ? "every one from the k-th on" : "the k-th only");
    CHECK(clean);
    CHECK(nomem > 100 / step);
    free(want);
out:
    free(in.q);
    for (int i = 0; i < 3; i++)
        free(in.ref[i]);
    free(in.tmpl);
}

TEST(faults_pipeline_every_allocation)
{
    pipeline_torture(false);
}

TEST(faults_pipeline_every_allocation_from_k_on)
{
    pipeline_torture(true);
}

/* ---- libxml2's own allocations: routed through the same fault hook (xmlMemSetup), so a
 * parser that runs out of memory inside libxml2 must also end in a clean error. libxml2
 * reports it as XML_ERR_NO_MEMORY, which ingest_xml.c turns into ADAL_ENOMEM; an
 * allocation libxml2 treats as optional may surface as a parse error instead (ADAL_EXML),
 * which is clean too. Nothing may leak either way. (libzip and ICU allocate with their own
 * malloc: libzip's failures come back as ZIP_ER_MEMORY → ADAL_ENOMEM; ICU's hook can only be
 * set before ICU's first use in the process, so it is not injected here.) */
#include <libxml/xmlmemory.h>

static char *xml_strdup(const char *s)
{
    return adal__strdup(s);
}

typedef struct xml_case {
    const char *path;
    int nomem; /* runs that ended in ADAL_ENOMEM */
} xml_case;

static int judge_xml(void *arg, adal_ctx *ctx, const adal_doc *doc, int rc, long k, long failed)
{
    xml_case *c = arg;
    if (failed == 0) {
        CHECK_EQ_INT(rc, ADAL_OK);
        return 1;
    }
    if (rc != ADAL_OK) {
        if (rc != ADAL_ENOMEM && rc != ADAL_EXML)
            fprintf(stderr, "    %s: allocation %ld failed, got %s (%s)\n", c->path, k,
                    adal_errcode(rc), adal_errmsg(ctx));
        CHECK(rc == ADAL_ENOMEM || rc == ADAL_EXML);
        CHECK(doc == NULL && *adal_errmsg(ctx) != '\0');
        c->nomem += rc == ADAL_ENOMEM;
    }
    return 0;
}

static void xml_torture(const char *path)
{
    reference ref;
    /* libxml2's one-time global set-up (encoding handlers) happens before any fault */
    if (!reference_run(&ref, path, false))
        return;
    CHECK_EQ_INT(ref.want, ADAL_OK);
    xmlFreeFunc f0;
    xmlMallocFunc m0;
    xmlReallocFunc r0;
    xmlStrdupFunc s0;
    xmlMemGet(&f0, &m0, &r0, &s0);
    xmlMemSetup(adal__free, adal__malloc, adal__realloc, xml_strdup);
    long step = 1;
    const char *vg = getenv("ADAL_VALGRIND");
    if (vg && *vg == '1')
        step = 7;
    xml_case c = {path, 0};
    int clean = fail_each_allocation(path, ref.data, ref.len, false, step, judge_xml, &c);
    xmlMemSetup(f0, m0, r0, s0);
    CHECK(clean);
    CHECK(c.nomem > 0);
    reference_free(&ref);
}

TEST(faults_libxml2_allocations_too)
{
    xml_torture("tests/data/docx/notes.docx");
    xml_torture("tests/data/docx/lo_plain.odt");
}
