/* store.c — the corpus store's front (adal.h "Corpus store"): what is stored and how it is
 * found, independent of the backend (store_sqlite.c, behind store.h).
 *
 * - Versions: a store records the schema, the fold-table version and the fingerprint scheme
 *   (k, w, seed) it was built with; opening it with a build that differs gives ADAL_EVERSION
 *   and names `adal corpus reindex`, so fingerprints of two versions are never mixed.
 * - A document is kept as its extracted text (zlib) plus its segments; loading rebuilds the
 *   same document and normalises it again, which gives the same tokens and offsets (the
 *   normaliser is deterministic for a given fold version, and the version is checked).
 *   Tokens are not stored: they would be ~10× the compressed text on disk.
 * - The content hash is XXH3-128 of the normalised token keys: re-adding the same essay
 *   (even re-saved, re-formatted, or converted between DOCX and TXT) is a no-op.
 * - Postings are the distinct (fingerprint, document) pairs; a fingerprint's document
 *   frequency is the length of its posting list, read with a LIMIT one past the common
 *   cut-off, so no separate frequency table has to be kept in step.
 * - Candidates are ranked exactly as the reference set ranks them (refset.c): documents
 *   sharing the most fingerprints held by at most max(50, ndocs / 10) documents, ties to
 *   the lower id; common fingerprints do not seed passages.
 */
#include "store.h"
#include "match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>
#include <zlib.h>

#define COMMON_MIN 50
#define COMMON_DIV 10
#define MAX_CANDIDATES_DEFAULT 50

struct adal_store {
    const adal__store_ops *ops;
    void *be;
    char *path;
    int in_txn; /* inside adal_store_begin: add and remove join that transaction */
    int aborted; /* that transaction was undone by a store failure (disk full, I/O, lock) */
};

/* ---- versions ---------------------------------------------------------------------------- */

#define FP_SEED_HEX "6164616c%08x"

static void fp_scheme(char *out, size_t cap)
{
    char seed[32];
    snprintf(seed, sizeof seed, FP_SEED_HEX, (unsigned)ADAL_FOLD_VERSION);
    /* "robust2": on ties the current pick is kept while it stays in the window, else the
     * rightmost minimum (fp.c; a million copies of one word give one fingerprint per
     * window, not per word). Fingerprints of the earlier rule differ on repeated text. */
    snprintf(out, cap, "xxh3-64 k=%d w=%d seed=%s winnow=robust2", ADAL_K, ADAL_W, seed);
}

#define HASH_SCHEME "xxh3-128 of token keys"

/* Compare one recorded version with this build's. */
static int same_meta(adal_store *s, adal_ctx *ctx, const char *key, const char *want,
                     char *got, size_t cap)
{
    int rc = s->ops->meta_get(s->be, ctx, key, got, cap);
    if (rc < 0)
        return rc;
    if (rc == 0)
        snprintf(got, cap, "(none)");
    return strcmp(got, want) == 0;
}

static int check_versions(adal_store *s, adal_ctx *ctx, unsigned flags)
{
    char got[128], want[128];
    int rc = same_meta(s, ctx, "application", "adal", got, sizeof got);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return adal__err(ctx, ADAL_ESTORE, "not an adal corpus store");
    snprintf(want, sizeof want, "%d", ADAL_STORE_SCHEMA);
    if ((rc = same_meta(s, ctx, "schema", want, got, sizeof got)) < 0)
        return rc;
    if (rc == 0)
        return adal__err(ctx, ADAL_EVERSION,
                         "store layout %s, this program reads layout %s: use the adal "
                         "release that made it",
                         got, want);
    if (flags & ADAL_STORE_REINDEX)
        return ADAL_OK;
    snprintf(want, sizeof want, "%d", ADAL_FOLD_VERSION);
    if ((rc = same_meta(s, ctx, "fold_version", want, got, sizeof got)) < 0)
        return rc;
    if (rc == 0)
        return adal__err(ctx, ADAL_EVERSION,
                         "built with fold version %s, this program uses %s; run `adal "
                         "corpus reindex --db %s` once",
                         got, want, s->path);
    fp_scheme(want, sizeof want);
    if ((rc = same_meta(s, ctx, "fingerprint", want, got, sizeof got)) < 0)
        return rc;
    if (rc == 0)
        return adal__err(ctx, ADAL_EVERSION,
                         "fingerprints \"%s\", this program makes \"%s\"; run `adal corpus "
                         "reindex --db %s` once",
                         got, want, s->path);
    if ((rc = same_meta(s, ctx, "content_hash", HASH_SCHEME, got, sizeof got)) < 0)
        return rc;
    if (rc == 0)
        return adal__err(ctx, ADAL_EVERSION,
                         "content hash \"%s\"; run `adal corpus reindex --db %s` once",
                         got, s->path);
    return ADAL_OK;
}

/* ---- open / close ------------------------------------------------------------------------ */

int adal_store_open(adal_store **out, adal_ctx *ctx, const char *path, unsigned flags)
{
    *out = NULL;
    adal__err_clear(ctx);
    if (!path || !*path) {
        const char *env = getenv("ADAL_DB");
        path = env && *env ? env : "adal.db";
    }
    adal_store *s = adal__calloc(1, sizeof *s);
    if (!s)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    s->ops = &adal__store_sqlite;
    s->path = adal__strdup(path);
    if (!s->path) {
        adal__free(s);
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    }
    char fold[16], schema[16], fp[128];
    snprintf(fold, sizeof fold, "%d", ADAL_FOLD_VERSION);
    snprintf(schema, sizeof schema, "%d", ADAL_STORE_SCHEMA);
    fp_scheme(fp, sizeof fp);
    const char *const meta[] = {"application", "adal",       "schema",       schema,
                                "fold_version", fold,        "fingerprint",  fp,
                                "content_hash", HASH_SCHEME, "adal_version", ADAL_VERSION,
                                NULL};
    int rc = s->ops->open(&s->be, ctx, path, flags, meta);
    if (rc == ADAL_OK)
        rc = check_versions(s, ctx, flags);
    if (rc != ADAL_OK) {
        adal_store_close(s);
        return rc;
    }
    *out = s;
    return ADAL_OK;
}

void adal_store_close(adal_store *s)
{
    if (!s)
        return;
    adal_store_rollback(s); /* an open transaction is abandoned, never half-committed */
    if (s->be)
        s->ops->close(s->be);
    adal__free(s->path);
    adal__free(s);
}

/* ---- content hash, serialisation --------------------------------------------------------- */

int adal_store_doc_hash(adal_doc *doc, adal_ctx *ctx, char hash[33])
{
    hash[0] = '\0';
    int rc = adal_doc_normalize(doc, ctx);
    if (rc)
        return rc;
    adal__buf b;
    adal__buf_init(&b, 0);
    for (size_t i = 0; i < doc->ntoks; i++) {
        size_t n;
        const char *k = adal_doc_token_key(doc, i, &n);
        if (adal__buf_add(&b, k, n) || adal__buf_addc(&b, '\x1f')) {
            adal__buf_free(&b);
            return adal__err(ctx, ADAL_ENOMEM, "out of memory");
        }
    }
    XXH128_hash_t h = XXH3_128bits(b.data ? b.data : "", b.len);
    adal__buf_free(&b);
    snprintf(hash, 33, "%016llx%016llx", (unsigned long long)h.high64,
             (unsigned long long)h.low64);
    return ADAL_OK;
}

static int put_varint(adal__buf *b, uint64_t v)
{
    char t[10];
    size_t n = 0;
    do {
        t[n++] = (char)((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
        v >>= 7;
    } while (v);
    return adal__buf_add(b, t, n);
}

static int get_varint(const uint8_t *p, size_t n, size_t *i, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; shift < 64 && *i < n; shift += 7) {
        uint8_t c = p[(*i)++];
        *v |= (uint64_t)(c & 0x7F) << shift;
        if (!(c & 0x80))
            return 0;
    }
    return -1;
}

/* Segments as varints: count, then per segment (start - previous end, len, part, para). */
static int segs_serialise(const adal_doc *d, adal__buf *b)
{
    int rc = put_varint(b, d->nsegs);
    uint32_t end = 0;
    for (size_t i = 0; rc == 0 && i < d->nsegs; i++) {
        const adal_segment *g = &d->segs[i];
        uint32_t gap = g->start >= end ? g->start - end : 0;
        if (g->start < end)
            return -1; /* overlapping segments: never made by the builder */
        rc = put_varint(b, gap);
        if (rc == 0)
            rc = put_varint(b, g->len);
        if (rc == 0)
            rc = put_varint(b, (uint64_t)g->part);
        if (rc == 0)
            rc = put_varint(b, g->para);
        end = g->start + g->len;
    }
    return rc;
}

static int segs_parse(adal_ctx *ctx, const void *data, size_t n, adal_segment **out,
                      size_t *nout)
{
    const uint8_t *p = data;
    size_t i = 0;
    uint64_t cnt, gap, len, part, para;
    *out = NULL;
    *nout = 0;
    if (get_varint(p, n, &i, &cnt) || cnt > n)
        return adal__err(ctx, ADAL_ESTORE, "stored segments are damaged");
    adal_segment *g = adal__malloc((cnt ? cnt : 1) * sizeof *g);
    if (!g)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    uint64_t end = 0;
    for (size_t k = 0; k < cnt; k++) {
        if (get_varint(p, n, &i, &gap) || get_varint(p, n, &i, &len) ||
            get_varint(p, n, &i, &part) || get_varint(p, n, &i, &para) ||
            part >= ADAL_PART__COUNT || end + gap + len > UINT32_MAX || para > UINT32_MAX) {
            adal__free(g);
            return adal__err(ctx, ADAL_ESTORE, "stored segments are damaged");
        }
        g[k].start = (uint32_t)(end + gap);
        g[k].len = (uint32_t)len;
        g[k].part = (adal_part)part;
        g[k].para = (uint32_t)para;
        end = end + gap + len;
    }
    *out = g;
    *nout = cnt;
    return ADAL_OK;
}

/* The distinct fingerprint hashes of a fingerprinted document, sorted. */
static int distinct_fps(adal_ctx *ctx, const adal_doc *d, uint64_t **out, size_t *n)
{
    uint64_t *h = adal__malloc((d->nfps + 1) * sizeof *h);
    if (!h)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    for (size_t k = 0; k < d->nfps; k++)
        h[k] = d->fps[k].hash;
    qsort(h, d->nfps, sizeof *h, adal__u64_cmp);
    size_t w = 0;
    for (size_t k = 0; k < d->nfps; k++)
        if (!w || h[k] != h[w - 1])
            h[w++] = h[k];
    *out = h;
    *n = w;
    return ADAL_OK;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* ---- transactions ------------------------------------------------------------------------ */

/* A change's own transaction, or a savepoint inside adal_store_begin. */
static int txn_begin(adal_store *s, adal_ctx *ctx)
{
    if (s->aborted)
        return adal__err(ctx, ADAL_ESTORE,
                         "the store transaction was undone after an earlier failure");
    return s->in_txn ? s->ops->savepoint(s->be, ctx) : s->ops->begin_write(s->be, ctx);
}

/* Commit on success, roll back on failure; inside adal_store_begin a failed change is
 * undone alone and the transaction stays open (a bad file does not cost the others) —
 * unless the store itself failed (disk full, I/O error, read-only, locked) or the backend
 * lost the transaction: then all of it is undone, so the store holds exactly what it held
 * at adal_store_begin, and the changes that follow fail until a new begin. */
static int txn_end(adal_store *s, adal_ctx *ctx, int rc)
{
    if (rc == ADAL_OK)
        return s->in_txn ? s->ops->release(s->be, ctx) : s->ops->commit(s->be, ctx);
    if (s->in_txn) {
        int lost = s->ops->rollback_to(s->be);
        if (lost || rc == ADAL_EIO || rc == ADAL_ESTORE || rc == ADAL_EBUSY) {
            s->ops->rollback(s->be);
            s->in_txn = 0;
            s->aborted = 1;
        }
    } else
        s->ops->rollback(s->be);
    return rc;
}

int adal_store_begin(adal_store *s, adal_ctx *ctx)
{
    adal__err_clear(ctx);
    if (s->in_txn)
        return adal__err(ctx, ADAL_EINVAL, "a store transaction is already open");
    s->aborted = 0;
    int rc = s->ops->begin_write(s->be, ctx);
    if (rc == ADAL_OK)
        s->in_txn = 1;
    return rc;
}

int adal_store_commit(adal_store *s, adal_ctx *ctx)
{
    adal__err_clear(ctx);
    if (s->aborted) {
        s->aborted = 0;
        return adal__err(ctx, ADAL_ESTORE,
                         "nothing committed: the transaction was undone after a failure");
    }
    if (!s->in_txn)
        return adal__err(ctx, ADAL_EINVAL, "no store transaction is open");
    s->in_txn = 0;
    return s->ops->commit(s->be, ctx);
}

void adal_store_rollback(adal_store *s)
{
    if (s)
        s->aborted = 0;
    if (s && s->in_txn) {
        s->ops->rollback(s->be);
        s->in_txn = 0;
    }
}

/* ---- add / remove ------------------------------------------------------------------------ */

int adal_store_add(adal_store *s, adal_ctx *ctx, adal_doc *doc, adal_store_kind kind,
                   const char *label, const char *student, int64_t *id, int *added)
{
    char hash[33];
    uint64_t *hs = NULL;
    size_t nh = 0;
    adal__buf segs;
    uint8_t *z = NULL;
    int rc;
    adal__err_clear(ctx);
    *id = 0;
    *added = 0;
    adal__buf_init(&segs, 0);
    if (kind != ADAL_KIND_SOURCE && kind != ADAL_KIND_SUBMISSION)
        return adal__err(ctx, ADAL_EINVAL, "unknown document kind %d", (int)kind);
    rc = adal_doc_fingerprint(doc, ctx);
    if (rc == ADAL_OK)
        rc = adal_store_doc_hash(doc, ctx, hash);
    if (rc == ADAL_OK)
        rc = distinct_fps(ctx, doc, &hs, &nh);
    if (rc)
        goto out;
    if (segs_serialise(doc, &segs) != 0) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    uLongf zlen = compressBound((uLong)doc->text_len);
    z = adal__malloc(zlen);
    if (!z) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    int zrc = compress2(z, &zlen, (const Bytef *)doc->text, (uLong)doc->text_len, 6);
    if (zrc != Z_OK) {
        rc = zrc == Z_MEM_ERROR ? adal__err(ctx, ADAL_ENOMEM, "out of memory")
                                : adal__err(ctx, ADAL_ESTORE, "cannot compress the text");
        goto out;
    }
    adal__store_row row;
    memset(&row, 0, sizeof row);
    row.e.kind = kind;
    row.e.name = base_name(doc->name ? doc->name : "");
    row.e.label = label ? label : "";
    row.e.student = student ? student : "";
    row.e.hash = hash;
    row.e.nchars = (uint32_t)doc->text16_len;
    row.e.nfps = (uint32_t)nh;
    row.e.added = (int64_t)time(NULL);
    row.format = (int)doc->format;
    row.text = z;
    row.text_len = zlen;
    row.segs = segs.data;
    row.segs_len = segs.len;
    row.text_raw = doc->text_len;

    rc = txn_begin(s, ctx);
    if (rc)
        goto out;
    int64_t found = 0;
    rc = s->ops->find_hash(s->be, ctx, hash, &found);
    if (rc == 1) { /* the same content is stored: nothing to do */
        txn_end(s, ctx, ADAL_OK);
        *id = found;
        rc = ADAL_OK;
        goto out;
    }
    if (rc == ADAL_OK)
        rc = s->ops->doc_insert(s->be, ctx, &row, id);
    for (size_t k = 0; rc == ADAL_OK && k < nh; k++) {
        int p = s->ops->post_add(s->be, ctx, hs[k], *id);
        rc = p < 0 ? p : ADAL_OK;
    }
    rc = txn_end(s, ctx, rc);
    if (rc == ADAL_OK)
        *added = 1;
    else
        *id = 0;
out:
    adal__free(hs);
    adal__free(z);
    adal__buf_free(&segs);
    return rc;
}

/* ---- load -------------------------------------------------------------------------------- */

typedef struct load_arg {
    adal_ctx *ctx;
    adal_doc *doc;
} load_arg;

static int load_row(const adal__store_row *r, void *argp)
{
    load_arg *a = argp;
    adal_ctx *ctx = a->ctx;
    if (r->text_raw > ADAL_MAX_TEXT)
        return adal__err(ctx, ADAL_ESTORE, "document %lld: stored text too long",
                         (long long)r->e.id);
    adal_segment *segs = NULL;
    size_t nsegs = 0;
    int rc = segs_parse(ctx, r->segs, r->segs_len, &segs, &nsegs);
    if (rc)
        return rc;
    uLongf n = (uLongf)r->text_raw;
    char *t = adal__malloc(n + 1);
    if (!t) {
        adal__free(segs);
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    }
    int zrc = uncompress((Bytef *)t, &n, r->text, (uLong)r->text_len);
    if (zrc != Z_OK || n != r->text_raw) {
        adal__free(segs);
        adal__free(t);
        return zrc == Z_MEM_ERROR ? adal__err(ctx, ADAL_ENOMEM, "out of memory")
                                  : adal__err(ctx, ADAL_ESTORE,
                                              "document %lld: stored text is damaged",
                                              (long long)r->e.id);
    }
    char name[512];
    snprintf(name, sizeof name, "corpus:%lld:%s", (long long)r->e.id, r->e.name);
    adal_format fmt = r->format >= ADAL_FMT_UNKNOWN && r->format <= ADAL_FMT_TXT
                          ? (adal_format)r->format
                          : ADAL_FMT_UNKNOWN;
    rc = adal__doc_from_stored(&a->doc, ctx, name, fmt, t, n, segs, nsegs);
    adal__free(segs);
    adal__free(t);
    return rc;
}

/* Load, normalise and fingerprint (no transaction of its own). */
static int load_doc(adal_store *s, adal_ctx *ctx, int64_t id, adal_doc **out)
{
    load_arg a = {ctx, NULL};
    *out = NULL;
    int rc = s->ops->doc_get(s->be, ctx, id, 1, load_row, &a);
    if (rc == ADAL_OK)
        rc = adal_doc_fingerprint(a.doc, ctx);
    if (rc) {
        adal_doc_free(a.doc);
        return rc;
    }
    *out = a.doc;
    return ADAL_OK;
}

int adal_store_load(adal_store *s, adal_ctx *ctx, int64_t id, adal_doc **out)
{
    adal__err_clear(ctx);
    return load_doc(s, ctx, id, out);
}

static int get_nfps(const adal__store_row *r, void *arg)
{
    *(uint32_t *)arg = r->e.nfps;
    return ADAL_OK;
}

int adal_store_remove(adal_store *s, adal_ctx *ctx, int64_t id)
{
    adal_doc *d = NULL;
    uint64_t *hs = NULL;
    size_t nh = 0;
    adal__err_clear(ctx);
    int rc = txn_begin(s, ctx);
    if (rc)
        return rc;
    /* the postings to delete are the document's fingerprints, computed again from its
     * text (the store holds no doc → hash index: it would double the postings' size) */
    uint32_t stored = 0;
    size_t deleted = 0;
    rc = s->ops->doc_get(s->be, ctx, id, 0, get_nfps, &stored);
    if (rc == ADAL_OK)
        rc = load_doc(s, ctx, id, &d);
    if (rc == ADAL_OK)
        rc = distinct_fps(ctx, d, &hs, &nh);
    for (size_t k = 0; rc == ADAL_OK && k < nh; k++) {
        int p = s->ops->post_del(s->be, ctx, hs[k], id);
        rc = p < 0 ? p : ADAL_OK;
        deleted += p > 0;
    }
    /* fingerprints that no longer come out the same (a store opened for reindexing): the
     * slow way, so no posting outlives its document */
    if (rc == ADAL_OK && deleted != stored)
        rc = s->ops->post_del_doc(s->be, ctx, id);
    if (rc == ADAL_OK)
        rc = s->ops->doc_delete(s->be, ctx, id);
    rc = txn_end(s, ctx, rc);
    adal_doc_free(d);
    adal__free(hs);
    return rc;
}

/* ---- list, find, stats ------------------------------------------------------------------- */

typedef struct list_arg {
    int (*fn)(const adal_store_entry *e, void *arg);
    void *arg;
} list_arg;

static int list_row(const adal__store_row *r, void *argp)
{
    list_arg *a = argp;
    return a->fn(&r->e, a->arg);
}

int adal_store_list(adal_store *s, adal_ctx *ctx,
                    int (*fn)(const adal_store_entry *e, void *arg), void *arg)
{
    adal__err_clear(ctx);
    list_arg a = {fn, arg};
    return s->ops->list(s->be, ctx, list_row, &a);
}

int adal_store_find(adal_store *s, adal_ctx *ctx, const char *hash, int64_t *id)
{
    adal__err_clear(ctx);
    *id = 0;
    return s->ops->find_hash(s->be, ctx, hash, id);
}

int adal_store_stats_get(adal_store *s, adal_ctx *ctx, adal_store_stats *out)
{
    adal__err_clear(ctx);
    return s->ops->stats(s->be, ctx, out);
}

int adal_store_verify(adal_store *s, adal_ctx *ctx)
{
    adal__err_clear(ctx);
    return s->ops->verify(s->be, ctx);
}

/* ---- candidates -------------------------------------------------------------------------- */

typedef struct cand {
    int64_t id;
    uint32_t count;
} cand;

/* id → shared count, open addressing (ids are never 0) */
typedef struct ctab {
    cand *t;
    size_t cap, n;
} ctab;

static int ctab_bump(ctab *c, int64_t id)
{
    if ((c->n + 1) * 2 > c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 256;
        cand *t = adal__calloc(ncap, sizeof *t);
        if (!t)
            return ADAL_ENOMEM;
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->t[i].id)
                continue;
            size_t j = (size_t)((uint64_t)c->t[i].id * 0x9E3779B97F4A7C15ULL >> 20) & (ncap - 1);
            while (t[j].id)
                j = (j + 1) & (ncap - 1);
            t[j] = c->t[i];
        }
        adal__free(c->t);
        c->t = t;
        c->cap = ncap;
    }
    size_t j = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ULL >> 20) & (c->cap - 1);
    while (c->t[j].id && c->t[j].id != id)
        j = (j + 1) & (c->cap - 1);
    if (!c->t[j].id) {
        c->t[j].id = id;
        c->n++;
    }
    c->t[j].count++;
    return ADAL_OK;
}

static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

typedef struct skip_arg {
    int (*skip)(const adal_store_entry *e, void *arg);
    void *arg;
    int verdict;
} skip_arg;

static int skip_row(const adal__store_row *r, void *argp)
{
    skip_arg *a = argp;
    a->verdict = a->skip(&r->e, a->arg);
    return ADAL_OK;
}

/* The common query fingerprints (sorted), for the alignment's seed filter. */
typedef struct common_set {
    uint64_t *h;
    size_t n;
} common_set;

static int is_common(const void *data, uint64_t h)
{
    const common_set *c = data;
    return c->n && bsearch(&h, c->h, c->n, sizeof h, adal__u64_cmp) != NULL;
}

static int candidates(adal_store *s, adal_ctx *ctx, adal_doc *query, size_t max,
                      int (*skip)(const adal_store_entry *e, void *arg), void *arg,
                      int64_t *ids, size_t *n, common_set *common)
{
    uint64_t *hs = NULL;
    size_t nh = 0;
    int64_t *docs = NULL;
    ctab ct = {NULL, 0, 0};
    cand *list = NULL;
    *n = 0;
    int rc = adal_doc_fingerprint(query, ctx);
    if (rc == ADAL_OK)
        rc = distinct_fps(ctx, query, &hs, &nh);
    if (rc)
        return rc;
    int64_t ndocs = s->ops->ndocs(s->be, ctx);
    if (ndocs < 0) {
        rc = (int)ndocs;
        goto out;
    }
    size_t cut = (size_t)ndocs / COMMON_DIV;
    if (cut < COMMON_MIN)
        cut = COMMON_MIN;
    docs = adal__malloc((cut + 1) * sizeof *docs);
    if (common) {
        common->h = adal__malloc((nh + 1) * sizeof *common->h);
        common->n = 0;
    }
    if (!docs || (common && !common->h)) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < nh; k++) {
        size_t nd = 0;
        rc = s->ops->post_get(s->be, ctx, hs[k], cut + 1, docs, &nd);
        if (rc)
            goto out;
        if (nd > cut) { /* common: boilerplate of the corpus, not evidence */
            if (common)
                common->h[common->n++] = hs[k];
            continue;
        }
        for (size_t j = 0; j < nd; j++)
            if (ctab_bump(&ct, docs[j])) {
                rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
                goto out;
            }
    }
    if (ct.n == 0 || max == 0)
        goto out;
    list = adal__malloc(ct.n * sizeof *list);
    if (!list) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    size_t nl = 0;
    for (size_t i = 0; i < ct.cap; i++)
        if (ct.t[i].id)
            list[nl++] = ct.t[i];
    qsort(list, nl, sizeof *list, cand_cmp);
    for (size_t i = 0; i < nl && *n < max; i++) {
        if (skip) {
            skip_arg sa = {skip, arg, 0};
            rc = s->ops->doc_get(s->be, ctx, list[i].id, 0, skip_row, &sa);
            if (rc)
                goto out;
            if (sa.verdict)
                continue;
        }
        ids[(*n)++] = list[i].id;
    }
out:
    adal__free(hs);
    adal__free(docs);
    adal__free(ct.t);
    adal__free(list);
    return rc;
}

int adal_store_candidates(adal_store *s, adal_ctx *ctx, adal_doc *query, size_t max,
                          int (*skip)(const adal_store_entry *e, void *arg), void *arg,
                          int64_t *ids, size_t *n)
{
    adal__err_clear(ctx);
    *n = 0;
    int rc = s->in_txn ? ADAL_OK : s->ops->begin_read(s->be, ctx);
    if (rc)
        return rc;
    rc = candidates(s, ctx, query, max, skip, arg, ids, n, NULL);
    if (!s->in_txn)
        s->ops->rollback(s->be); /* a read transaction: nothing to keep */
    return rc;
}

int adal_store_add_sources(adal_report *r, adal_store *s, adal_ctx *ctx, adal_doc *query,
                           size_t max, int (*skip)(const adal_store_entry *e, void *arg),
                           void *arg)
{
    if (!max)
        max = MAX_CANDIDATES_DEFAULT;
    int64_t *ids = adal__malloc(max * sizeof *ids);
    common_set common = {NULL, 0};
    size_t n = 0;
    if (!ids)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    /* one snapshot for the ranking and the loading: a concurrent remove cannot make a
     * candidate disappear half-way */
    int rc = s->in_txn ? ADAL_OK : s->ops->begin_read(s->be, ctx);
    if (rc == ADAL_OK) {
        rc = candidates(s, ctx, query, max, skip, arg, ids, &n, &common);
        for (size_t k = 0; rc == ADAL_OK && k < n; k++) {
            adal_doc *d = NULL;
            rc = load_doc(s, ctx, ids[k], &d);
            if (rc == ADAL_OK && (rc = adal_report_adopt(r, d)) != ADAL_OK)
                rc = adal__err(ctx, rc, "out of memory");
            if (rc == ADAL_OK)
                rc = adal__report_add_source(r, ctx, d, d->name, is_common, &common);
        }
        if (!s->in_txn)
            s->ops->rollback(s->be);
    }
    adal__free(ids);
    adal__free(common.h);
    return rc;
}

int adal_store_check(adal_report **out, adal_store *s, adal_ctx *ctx, adal_doc *query,
                     const adal_check_opts *opts,
                     int (*skip)(const adal_store_entry *e, void *arg), void *arg)
{
    adal_report *r = NULL;
    *out = NULL;
    adal__err_clear(ctx);
    int rc = adal_report_new(&r, ctx, query, opts);
    if (rc == ADAL_OK)
        rc = adal_store_add_sources(r, s, ctx, query,
                                    opts && opts->max_sources ? opts->max_sources : 0, skip,
                                    arg);
    if (rc == ADAL_OK)
        rc = adal_report_finish(r, ctx);
    if (rc == ADAL_OK) {
        *out = r;
        r = NULL;
    }
    adal_report_free(r);
    return rc;
}

/* ---- reindex ----------------------------------------------------------------------------- */

typedef struct ids_arg {
    int64_t *v;
    size_t n, cap;
} ids_arg;

static int collect_id(const adal__store_row *r, void *argp)
{
    ids_arg *a = argp;
    if (adal__grow((void **)&a->v, &a->cap, a->n + 1, sizeof *a->v))
        return ADAL_ENOMEM;
    a->v[a->n++] = r->e.id;
    return ADAL_OK;
}

int adal_store_reindex(adal_store *s, adal_ctx *ctx,
                       void (*progress)(size_t done, size_t total, void *arg), void *arg)
{
    ids_arg ids = {NULL, 0, 0};
    adal__err_clear(ctx);
    /* one transaction: a reindex interrupted half-way leaves the old store as it was */
    if (s->in_txn)
        return adal__err(ctx, ADAL_EINVAL, "reindex runs in a transaction of its own");
    int rc = s->ops->begin_write(s->be, ctx);
    if (rc)
        return rc;
    rc = s->ops->list(s->be, ctx, collect_id, &ids);
    if (rc == ADAL_ENOMEM)
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
    if (rc == ADAL_OK)
        rc = s->ops->post_clear(s->be, ctx);
    for (size_t i = 0; rc == ADAL_OK && i < ids.n; i++) {
        adal_doc *d = NULL;
        uint64_t *hs = NULL;
        size_t nh = 0;
        char hash[33];
        rc = load_doc(s, ctx, ids.v[i], &d);
        if (rc == ADAL_OK)
            rc = adal_store_doc_hash(d, ctx, hash);
        if (rc == ADAL_OK)
            rc = distinct_fps(ctx, d, &hs, &nh);
        for (size_t k = 0; rc == ADAL_OK && k < nh; k++) {
            int p = s->ops->post_add(s->be, ctx, hs[k], ids.v[i]);
            rc = p < 0 ? p : ADAL_OK;
        }
        if (rc == ADAL_OK)
            rc = s->ops->doc_update(s->be, ctx, ids.v[i], hash, (uint32_t)nh);
        adal_doc_free(d);
        adal__free(hs);
        if (rc == ADAL_OK && progress)
            progress(i + 1, ids.n, arg);
    }
    char fold[16], fp[128];
    snprintf(fold, sizeof fold, "%d", ADAL_FOLD_VERSION);
    fp_scheme(fp, sizeof fp);
    if (rc == ADAL_OK)
        rc = s->ops->meta_set(s->be, ctx, "fold_version", fold);
    if (rc == ADAL_OK)
        rc = s->ops->meta_set(s->be, ctx, "fingerprint", fp);
    if (rc == ADAL_OK)
        rc = s->ops->meta_set(s->be, ctx, "content_hash", HASH_SCHEME);
    if (rc == ADAL_OK)
        rc = s->ops->meta_set(s->be, ctx, "adal_version", ADAL_VERSION);
    if (rc == ADAL_OK)
        rc = s->ops->commit(s->be, ctx);
    else
        s->ops->rollback(s->be);
    adal__free(ids.v);
    return rc;
}
