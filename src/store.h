/* store.h — private interface between the corpus store's front (store.c: versions, content
 * hashes, serialising documents, candidate ranking) and a storage backend (store_sqlite.c
 * now; a PostgreSQL backend later implements the same table of operations). A backend
 * stores rows and runs transactions; it knows nothing of fingerprinting or documents.
 * Nothing here is API.
 */
#ifndef ADAL_STORE_H
#define ADAL_STORE_H

#include "internal.h"

/* Store layout version: bumped when the tables change (not reindexable: a new program
 * converts, an old one refuses). */
#define ADAL_STORE_SCHEMA 1

/* One stored document's row: the public entry plus how its text is kept. */
typedef struct adal__store_row {
    adal_store_entry e;
    int format;            /* adal_format of the file it came from */
    const void *text;      /* zlib stream of the UTF-8 text */
    size_t text_len;
    const void *segs;      /* serialised segments (store.c) */
    size_t segs_len;
    uint64_t text_raw;     /* bytes of text before compression */
} adal__store_row;

typedef struct adal__store_ops {
    const char *name;
    /* Open (flags are ADAL_STORE_*); a file without tables gets the schema and the meta
     * pairs meta_init (key, value, ..., NULL) in one transaction, unless read-only. */
    int (*open)(void **be, adal_ctx *ctx, const char *path, unsigned flags,
                const char *const *meta_init);
    void (*close)(void *be);
    /* Transactions: write (takes the write lock, waiting up to the busy timeout, then
     * ADAL_EBUSY) and read (a consistent snapshot for several queries). */
    int (*begin_write)(void *be, adal_ctx *ctx);
    int (*begin_read)(void *be, adal_ctx *ctx);
    int (*commit)(void *be, adal_ctx *ctx);
    void (*rollback)(void *be);
    /* a nested change inside an open transaction: undone alone on failure */
    int (*savepoint)(void *be, adal_ctx *ctx);
    int (*release)(void *be, adal_ctx *ctx);
    void (*rollback_to)(void *be);
    /* meta: 1 found (value copied, NUL-terminated), 0 absent, < 0 error */
    int (*meta_get)(void *be, adal_ctx *ctx, const char *key, char *out, size_t cap);
    int (*meta_set)(void *be, adal_ctx *ctx, const char *key, const char *value);
    /* documents */
    int (*find_hash)(void *be, adal_ctx *ctx, const char *hash, int64_t *id); /* 0 or 1 */
    int (*doc_insert)(void *be, adal_ctx *ctx, const adal__store_row *row, int64_t *id);
    int (*doc_delete)(void *be, adal_ctx *ctx, int64_t id);
    /* re-index: new hash and fingerprint count of a document */
    int (*doc_update)(void *be, adal_ctx *ctx, int64_t id, const char *hash, uint32_t nfps);
    /* the row of one document (borrowed during fn); with_text 0: text/segs left NULL.
     * ADAL_EINVAL when there is no such id. */
    int (*doc_get)(void *be, adal_ctx *ctx, int64_t id, int with_text,
                   int (*fn)(const adal__store_row *row, void *arg), void *arg);
    /* every document in id order, without text */
    int (*list)(void *be, adal_ctx *ctx, int (*fn)(const adal__store_row *row, void *arg),
                void *arg);
    int64_t (*ndocs)(void *be, adal_ctx *ctx); /* < 0: error */
    /* postings: distinct (hash, doc) pairs */
    int (*post_add)(void *be, adal_ctx *ctx, uint64_t hash, int64_t doc);
    /* 1 deleted, 0 not there, < 0 error */
    int (*post_del)(void *be, adal_ctx *ctx, uint64_t hash, int64_t doc);
    int (*post_clear)(void *be, adal_ctx *ctx);
    /* every posting of one document: a full scan, the fallback when the recomputed
     * fingerprints do not account for all of them */
    int (*post_del_doc)(void *be, adal_ctx *ctx, int64_t doc);
    /* up to `limit` documents holding hash, in doc order; *n is how many */
    int (*post_get)(void *be, adal_ctx *ctx, uint64_t hash, size_t limit, int64_t *docs,
                    size_t *n);
    int (*stats)(void *be, adal_ctx *ctx, adal_store_stats *out);
    int (*verify)(void *be, adal_ctx *ctx);
} adal__store_ops;

extern const adal__store_ops adal__store_sqlite;
/* How long the SQLite backend waits for a lock before ADAL_EBUSY (10 s; tests shorten it). */
extern int adal__store_busy_ms;

#endif
