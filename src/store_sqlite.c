/* store_sqlite.c — the embedded backend of the corpus store: one SQLite file (Debian's
 * libsqlite3) in WAL mode, so checks read a snapshot while one writer adds. Every change
 * runs in one transaction (BEGIN IMMEDIATE: the write lock is taken up front, so a writer
 * never deadlocks upgrading a read lock); waits for a lock are bounded by the busy timeout
 * plus a retry loop, after which the caller gets ADAL_EBUSY, never "database is locked".
 * Statements are prepared once per handle and reset after use. Schema: docs/STORE.md.
 */
#include "store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* How long a writer (or a reader meeting a WAL recovery) waits for a lock. */
#define BUSY_MS adal__store_busy_ms
int adal__store_busy_ms = 10000;
/* PRAGMA application_id: "adal" */
#define APP_ID 0x6164616C

enum {
    Q_META_GET,
    Q_META_SET,
    Q_FIND_HASH,
    Q_DOC_INSERT,
    Q_TEXT_INSERT,
    Q_DOC_DELETE,
    Q_TEXT_DELETE,
    Q_DOC_UPDATE,
    Q_DOC_GET,
    Q_DOC_GET_TEXT,
    Q_LIST,
    Q_NDOCS,
    Q_NDOCS_ADD,
    Q_POST_ADD,
    Q_POST_DEL,
    Q_POST_CLEAR,
    Q_POST_DEL_DOC,
    Q_POST_GET,
    Q_STATS_KIND,
    Q__COUNT
};

static const char *const sql_text[Q__COUNT] = {
    [Q_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [Q_META_SET] = "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
    [Q_FIND_HASH] = "SELECT id FROM documents WHERE hash = ?1 ORDER BY id LIMIT 1",
    [Q_DOC_INSERT] = "INSERT INTO documents(kind, name, label, student, hash, nchars, nfps, "
                     "added, format, text_raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [Q_TEXT_INSERT] = "INSERT INTO texts(id, text, segs) VALUES (?1, ?2, ?3)",
    [Q_DOC_DELETE] = "DELETE FROM documents WHERE id = ?1",
    [Q_TEXT_DELETE] = "DELETE FROM texts WHERE id = ?1",
    [Q_DOC_UPDATE] = "UPDATE documents SET hash = ?2, nfps = ?3 WHERE id = ?1",
    [Q_DOC_GET] = "SELECT id, kind, name, label, student, hash, nchars, nfps, added, format, "
                  "text_raw FROM documents WHERE id = ?1",
    [Q_DOC_GET_TEXT] = "SELECT d.id, d.kind, d.name, d.label, d.student, d.hash, d.nchars, "
                       "d.nfps, d.added, d.format, d.text_raw, t.text, t.segs "
                       "FROM documents d JOIN texts t ON t.id = d.id WHERE d.id = ?1",
    [Q_LIST] = "SELECT id, kind, name, label, student, hash, nchars, nfps, added, format, "
               "text_raw FROM documents ORDER BY id",
    [Q_NDOCS] = "SELECT value FROM meta WHERE key = 'ndocs'",
    [Q_NDOCS_ADD] = "UPDATE meta SET value = value + ?1 WHERE key = 'ndocs'",
    [Q_POST_ADD] = "INSERT OR IGNORE INTO postings(hash, doc) VALUES (?1, ?2)",
    [Q_POST_DEL] = "DELETE FROM postings WHERE hash = ?1 AND doc = ?2",
    [Q_POST_CLEAR] = "DELETE FROM postings",
    [Q_POST_DEL_DOC] = "DELETE FROM postings WHERE doc = ?1",
    [Q_POST_GET] = "SELECT doc FROM postings WHERE hash = ?1 ORDER BY doc LIMIT ?2",
    [Q_STATS_KIND] = "SELECT kind, count(*), total(nfps) FROM documents GROUP BY kind",
};

static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE documents(id INTEGER PRIMARY KEY AUTOINCREMENT, kind INTEGER NOT NULL,"
    " name TEXT NOT NULL, label TEXT NOT NULL, student TEXT NOT NULL, hash TEXT NOT NULL,"
    " nchars INTEGER NOT NULL, nfps INTEGER NOT NULL, added INTEGER NOT NULL,"
    " format INTEGER NOT NULL, text_raw INTEGER NOT NULL);"
    "CREATE INDEX documents_hash ON documents(hash);"
    "CREATE TABLE texts(id INTEGER PRIMARY KEY, text BLOB NOT NULL, segs BLOB NOT NULL);"
    "CREATE TABLE postings(hash INTEGER NOT NULL, doc INTEGER NOT NULL,"
    " PRIMARY KEY(hash, doc)) WITHOUT ROWID;"
    "INSERT INTO meta(key, value) VALUES ('ndocs', 0);";

typedef struct sq {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *st[Q__COUNT];
    int readonly;
} sq;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap(void)
{
    struct timespec ts = {0, 2 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

/* An SQLite result code as an adal error with the detail on ctx. */
static int fail(adal_ctx *ctx, sq *b, int rc, const char *what)
{
    const char *m = b && b->db ? sqlite3_errmsg(b->db) : sqlite3_errstr(rc);
    switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return adal__err(ctx, ADAL_EBUSY,
                         "%s: the corpus store stayed locked by another program for %g s",
                         what, BUSY_MS / 1000.0);
    case SQLITE_NOMEM:
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    case SQLITE_CANTOPEN:
        return adal__err(ctx, ADAL_EIO, "%s: cannot open the corpus store (%s)", what, m);
    case SQLITE_READONLY:
        return adal__err(ctx, ADAL_ESTORE, "%s: the corpus store is read-only (%s)", what, m);
    case SQLITE_NOTADB:
        return adal__err(ctx, ADAL_ESTORE, "%s: not an SQLite database", what);
    case SQLITE_CORRUPT:
        return adal__err(ctx, ADAL_ESTORE, "%s: the corpus store is damaged (%s)", what, m);
    case SQLITE_FULL:
    case SQLITE_IOERR:
        return adal__err(ctx, ADAL_EIO, "%s: %s", what, m);
    default:
        return adal__err(ctx, ADAL_ESTORE, "%s: %s", what, m);
    }
}

/* sqlite3_step with a bounded retry on a lock the busy handler did not wait out (outside an
 * explicit transaction only: inside one, retrying a statement cannot help). */
static int step(sq *b, sqlite3_stmt *st)
{
    int64_t deadline = 0;
    for (;;) {
        int rc = sqlite3_step(st);
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || !sqlite3_get_autocommit(b->db))
            return rc;
        if (!deadline)
            deadline = now_ms() + BUSY_MS;
        else if (now_ms() > deadline)
            return rc;
        sqlite3_reset(st);
        nap();
    }
}

static int exec(sq *b, adal_ctx *ctx, const char *sql, const char *what)
{
    int64_t deadline = 0;
    for (;;) {
        int rc = sqlite3_exec(b->db, sql, NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return ADAL_OK;
        if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && sqlite3_get_autocommit(b->db)) {
            if (!deadline)
                deadline = now_ms() + BUSY_MS;
            if (now_ms() <= deadline) {
                nap();
                continue;
            }
        }
        return fail(ctx, b, rc, what);
    }
}

/* The cached statement q, reset and unbound. */
static sqlite3_stmt *stmt(sq *b, adal_ctx *ctx, int q, int *err)
{
    sqlite3_stmt *st = b->st[q];
    if (!st) {
        int rc = sqlite3_prepare_v3(b->db, sql_text[q], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
        if (rc != SQLITE_OK) {
            *err = fail(ctx, b, rc, "prepare");
            return NULL;
        }
        b->st[q] = st;
    }
    return st;
}

static void done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* Run a statement that returns no rows. */
static int run(sq *b, adal_ctx *ctx, sqlite3_stmt *st, const char *what)
{
    int rc = step(b, st);
    done(st);
    return rc == SQLITE_DONE ? ADAL_OK : fail(ctx, b, rc, what);
}

static void sq_close(void *be)
{
    sq *b = be;
    if (!b)
        return;
    for (int i = 0; i < Q__COUNT; i++)
        sqlite3_finalize(b->st[i]);
    sqlite3_close(b->db);
    adal__free(b->path);
    adal__free(b);
}

static int one_int(sq *b, adal_ctx *ctx, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(b->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = step(b, st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? ADAL_OK : fail(ctx, b, rc, sql);
}

static int create_schema(sq *b, adal_ctx *ctx, const char *const *meta)
{
    int rc = exec(b, ctx, "BEGIN IMMEDIATE", "create the corpus store");
    if (rc)
        return rc;
    int64_t ntables = 0;
    rc = one_int(b, ctx, "SELECT count(*) FROM sqlite_master", &ntables);
    if (rc == ADAL_OK && ntables == 0) { /* nobody created it meanwhile */
        rc = exec(b, ctx, schema_sql, "create the corpus store");
        if (rc == ADAL_OK) {
            char pragma[64];
            snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d", APP_ID);
            rc = exec(b, ctx, pragma, "create the corpus store");
        }
        for (size_t i = 0; rc == ADAL_OK && meta && meta[i]; i += 2) {
            int e = ADAL_OK;
            sqlite3_stmt *st = stmt(b, ctx, Q_META_SET, &e);
            if (!st)
                rc = e;
            else {
                sqlite3_bind_text(st, 1, meta[i], -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 2, meta[i + 1], -1, SQLITE_STATIC);
                rc = run(b, ctx, st, "create the corpus store");
            }
        }
    }
    if (rc == ADAL_OK)
        rc = exec(b, ctx, "COMMIT", "create the corpus store");
    if (rc != ADAL_OK)
        sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int sq_open(void **out, adal_ctx *ctx, const char *path, unsigned flags,
                   const char *const *meta)
{
    *out = NULL;
    sq *b = adal__calloc(1, sizeof *b);
    if (!b)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    b->readonly = (flags & ADAL_STORE_READONLY) != 0;
    b->path = adal__strdup(path);
    if (!b->path) {
        adal__free(b);
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    }
    int oflags = b->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (!b->readonly && (flags & ADAL_STORE_CREATE))
        oflags |= SQLITE_OPEN_CREATE;
    oflags |= SQLITE_OPEN_NOMUTEX; /* one handle per thread (adal.h) */
    int rc;
    struct stat st;
    if (stat(path, &st) != 0 && !(oflags & SQLITE_OPEN_CREATE)) {
        rc = adal__err(ctx, ADAL_EIO, "no corpus store here (%s); `adal corpus add` makes one",
                       strerror(errno));
        goto fail;
    }
    int src = sqlite3_open_v2(path, &b->db, oflags, NULL);
    if (src != SQLITE_OK) {
        rc = fail(ctx, b, src, "open");
        goto fail;
    }
    sqlite3_extended_result_codes(b->db, 0);
    sqlite3_busy_timeout(b->db, BUSY_MS);
    int64_t ntables = 0, app = 0;
    rc = one_int(b, ctx, "SELECT count(*) FROM sqlite_master", &ntables);
    if (rc)
        goto fail;
    if (ntables == 0) {
        if (b->readonly) {
            rc = adal__err(ctx, ADAL_ESTORE, "an empty file, not a corpus store");
            goto fail;
        }
        /* WAL before the first table, so the file is created in WAL mode */
        rc = exec(b, ctx, "PRAGMA journal_mode = WAL", "open");
        if (rc == ADAL_OK)
            rc = create_schema(b, ctx, meta);
        if (rc)
            goto fail;
    }
    rc = one_int(b, ctx, "PRAGMA application_id", &app);
    if (rc)
        goto fail;
    if (app != APP_ID) {
        rc = adal__err(ctx, ADAL_ESTORE, "an SQLite database, but not an adal corpus store");
        goto fail;
    }
    if (!b->readonly) {
        rc = exec(b, ctx, "PRAGMA journal_mode = WAL", "open");
        if (rc)
            goto fail;
    }
    /* a writer's page cache may grow to 256 MiB: bulk adds touch postings pages all over
     * the tree (random hashes), and a cache that holds them writes each once per commit;
     * SQLite allocates it only as pages are used, so checks stay small */
    rc = exec(b, ctx,
              b->readonly ? "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; "
                            "PRAGMA temp_store = MEMORY"
                          : "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144; "
                            "PRAGMA temp_store = MEMORY",
              "open");
    if (rc == ADAL_OK && b->readonly)
        rc = exec(b, ctx, "PRAGMA query_only = 1", "open");
    if (rc)
        goto fail;
    *out = b;
    return ADAL_OK;
fail:
    sq_close(b);
    return rc;
}

static int sq_begin_write(void *be, adal_ctx *ctx)
{
    sq *b = be;
    if (b->readonly)
        return adal__err(ctx, ADAL_EINVAL, "the corpus store was opened read-only");
    return exec(b, ctx, "BEGIN IMMEDIATE", "start a change");
}

static int sq_begin_read(void *be, adal_ctx *ctx)
{
    return exec(be, ctx, "BEGIN DEFERRED", "start reading");
}

static int sq_commit(void *be, adal_ctx *ctx)
{
    sq *b = be;
    /* COMMIT may meet SQLITE_BUSY (readers holding the WAL): retry within the timeout */
    int64_t deadline = now_ms() + BUSY_MS;
    for (;;) {
        int rc = sqlite3_exec(b->db, "COMMIT", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return ADAL_OK;
        if (rc != SQLITE_BUSY || now_ms() > deadline) {
            int err = fail(ctx, b, rc, "commit");
            sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
            return err;
        }
        nap();
    }
}

static void sq_rollback(void *be)
{
    sq *b = be;
    if (!sqlite3_get_autocommit(b->db))
        sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sq_savepoint(void *be, adal_ctx *ctx)
{
    return exec(be, ctx, "SAVEPOINT change", "start a change");
}

static int sq_release(void *be, adal_ctx *ctx)
{
    return exec(be, ctx, "RELEASE change", "finish a change");
}

static void sq_rollback_to(void *be)
{
    sq *b = be;
    sqlite3_exec(b->db, "ROLLBACK TO change; RELEASE change", NULL, NULL, NULL);
}

static int sq_meta_get(void *be, adal_ctx *ctx, const char *key, char *out, size_t cap)
{
    sq *b = be;
    int err = ADAL_OK;
    sqlite3_stmt *st = stmt(b, ctx, Q_META_GET, &err);
    if (!st)
        return err;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = step(b, st);
    int found = 0;
    if (rc == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        size_t n = v ? strlen((const char *)v) : 0;
        if (n >= cap)
            n = cap - 1;
        if (n)
            memcpy(out, v, n);
        out[n] = '\0';
        found = 1;
    } else if (rc != SQLITE_DONE) {
        done(st);
        return fail(ctx, b, rc, "read the store's versions");
    }
    done(st);
    return found;
}

static int sq_meta_set(void *be, adal_ctx *ctx, const char *key, const char *value)
{
    sq *b = be;
    int err = ADAL_OK;
    sqlite3_stmt *st = stmt(b, ctx, Q_META_SET, &err);
    if (!st)
        return err;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    return run(b, ctx, st, "write the store's versions");
}

static int sq_find_hash(void *be, adal_ctx *ctx, const char *hash, int64_t *id)
{
    sq *b = be;
    int err = ADAL_OK;
    sqlite3_stmt *st = stmt(b, ctx, Q_FIND_HASH, &err);
    if (!st)
        return err;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    int rc = step(b, st), found = 0;
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        found = 1;
    } else if (rc != SQLITE_DONE)
        found = fail(ctx, b, rc, "look up a content hash");
    done(st);
    return found;
}

static int ndocs_add(sq *b, adal_ctx *ctx, int delta)
{
    int err = ADAL_OK;
    sqlite3_stmt *st = stmt(b, ctx, Q_NDOCS_ADD, &err);
    if (!st)
        return err;
    sqlite3_bind_int(st, 1, delta);
    return run(b, ctx, st, "count documents");
}

static int sq_doc_insert(void *be, adal_ctx *ctx, const adal__store_row *r, int64_t *id)
{
    sq *b = be;
    int err = ADAL_OK;
    sqlite3_stmt *st = stmt(b, ctx, Q_DOC_INSERT, &err);
    if (!st)
        return err;
    sqlite3_bind_int(st, 1, (int)r->e.kind);
    sqlite3_bind_text(st, 2, r->e.name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->e.label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->e.student, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->e.hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, r->e.nchars);
    sqlite3_bind_int64(st, 7, r->e.nfps);
    sqlite3_bind_int64(st, 8, r->e.added);
    sqlite3_bind_int(st, 9, r->format);
    sqlite3_bind_int64(st, 10, (sqlite3_int64)r->text_raw);
    int rc = run(b, ctx, st, "add a document");
    if (rc)
        return rc;
    *id = sqlite3_last_insert_rowid(b->db);
    st = stmt(b, ctx, Q_TEXT_INSERT, &err);
    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, *id);
    sqlite3_bind_blob(st, 2, r->text, (int)r->text_len, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, r->segs ? r->segs : "", (int)r->segs_len, SQLITE_STATIC);
    rc = run(b, ctx, st, "add a document's text");
    return rc ? rc : ndocs_add(b, ctx, 1);
}

static int sq_doc_delete(void *be, adal_ctx *ctx, int64_t id)
{
    sq *b = be;
    int err = ADAL_OK;
    sqlite3_stmt *st = stmt(b, ctx, Q_DOC_DELETE, &err);
    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, id);
    int rc = run(b, ctx, st, "remove a document");
    if (rc)
        return rc;
    if (sqlite3_changes(b->db) == 0)
        return adal__err(ctx, ADAL_EINVAL, "no document %lld in the corpus", (long long)id);
    st = stmt(b, ctx, Q_TEXT_DELETE, &err);
    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, id);
    rc = run(b, ctx, st, "remove a document's text");
    return rc ? rc : ndocs_add(b, ctx, -1);
}

static int sq_doc_update(void *be, adal_ctx *ctx, int64_t id, const char *hash, uint32_t nfps)
{
    sq *b = be;
    int err = ADAL_OK;
    sqlite3_stmt *st = stmt(b, ctx, Q_DOC_UPDATE, &err);
    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, nfps);
    return run(b, ctx, st, "re-index a document");
}

static void read_row(sqlite3_stmt *st, adal__store_row *r, int with_text)
{
    memset(r, 0, sizeof *r);
    r->e.id = sqlite3_column_int64(st, 0);
    r->e.kind = sqlite3_column_int(st, 1) ? ADAL_KIND_SUBMISSION : ADAL_KIND_SOURCE;
    const unsigned char *t;
    r->e.name = (t = sqlite3_column_text(st, 2)) ? (const char *)t : "";
    r->e.label = (t = sqlite3_column_text(st, 3)) ? (const char *)t : "";
    r->e.student = (t = sqlite3_column_text(st, 4)) ? (const char *)t : "";
    r->e.hash = (t = sqlite3_column_text(st, 5)) ? (const char *)t : "";
    r->e.nchars = (uint32_t)sqlite3_column_int64(st, 6);
    r->e.nfps = (uint32_t)sqlite3_column_int64(st, 7);
    r->e.added = sqlite3_column_int64(st, 8);
    r->format = sqlite3_column_int(st, 9);
    r->text_raw = (uint64_t)sqlite3_column_int64(st, 10);
    if (with_text) {
        r->text = sqlite3_column_blob(st, 11);
        r->text_len = (size_t)sqlite3_column_bytes(st, 11);
        r->segs = sqlite3_column_blob(st, 12);
        r->segs_len = (size_t)sqlite3_column_bytes(st, 12);
    }
}

static int sq_doc_get(void *be, adal_ctx *ctx, int64_t id, int with_text,
                      int (*fn)(const adal__store_row *row, void *arg), void *arg)
{
    sq *b = be;
    int err = ADAL_OK;
    sqlite3_stmt *st = stmt(b, ctx, with_text ? Q_DOC_GET_TEXT : Q_DOC_GET, &err);
    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, id);
    int rc = step(b, st);
    if (rc == SQLITE_ROW) {
        adal__store_row r;
        read_row(st, &r, with_text);
        rc = fn(&r, arg);
    } else if (rc == SQLITE_DONE)
        rc = adal__err(ctx, ADAL_EINVAL, "no document %lld in the corpus", (long long)id);
    else
        rc = fail(ctx, b, rc, "read a document");
    done(st);
    return rc;
}

static int sq_list(void *be, adal_ctx *ctx, int (*fn)(const adal__store_row *row, void *arg),
                   void *arg)
{
    sq *b = be;
    int err = ADAL_OK;
    sqlite3_stmt *st = stmt(b, ctx, Q_LIST, &err);
    if (!st)
        return err;
    int rc;
    while ((rc = step(b, st)) == SQLITE_ROW) {
        adal__store_row r;
        read_row(st, &r, 0);
        int u = fn(&r, arg);
        if (u) {
            done(st);
            return u;
        }
    }
    done(st);
    return rc == SQLITE_DONE ? ADAL_OK : fail(ctx, b, rc, "list the corpus");
}

static int64_t sq_ndocs(void *be, adal_ctx *ctx)
{
    sq *b = be;
    int err = ADAL_OK;
    sqlite3_stmt *st = stmt(b, ctx, Q_NDOCS, &err);
    if (!st)
        return err;
    int rc = step(b, st);
    int64_t n = 0;
    if (rc == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE)
        n = fail(ctx, b, rc, "count documents");
    done(st);
    return n;
}

static int post_op(sq *b, adal_ctx *ctx, int q, uint64_t hash, int64_t doc)
{
    int err = ADAL_OK;
    sqlite3_stmt *st = stmt(b, ctx, q, &err);
    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)hash);
    sqlite3_bind_int64(st, 2, doc);
    return run(b, ctx, st, "write fingerprints");
}

static int sq_post_add(void *be, adal_ctx *ctx, uint64_t hash, int64_t doc)
{
    return post_op(be, ctx, Q_POST_ADD, hash, doc);
}

static int sq_post_del(void *be, adal_ctx *ctx, uint64_t hash, int64_t doc)
{
    sq *b = be;
    int rc = post_op(b, ctx, Q_POST_DEL, hash, doc);
    return rc ? rc : sqlite3_changes(b->db);
}

static int sq_post_del_doc(void *be, adal_ctx *ctx, int64_t doc)
{
    sq *b = be;
    int err = ADAL_OK;
    sqlite3_stmt *st = stmt(b, ctx, Q_POST_DEL_DOC, &err);
    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, doc);
    return run(b, ctx, st, "remove fingerprints");
}

static int sq_post_clear(void *be, adal_ctx *ctx)
{
    sq *b = be;
    int err = ADAL_OK;
    sqlite3_stmt *st = stmt(b, ctx, Q_POST_CLEAR, &err);
    if (!st)
        return err;
    return run(b, ctx, st, "clear fingerprints");
}

static int sq_post_get(void *be, adal_ctx *ctx, uint64_t hash, size_t limit, int64_t *docs,
                       size_t *n)
{
    sq *b = be;
    int err = ADAL_OK;
    *n = 0;
    sqlite3_stmt *st = stmt(b, ctx, Q_POST_GET, &err);
    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)hash);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    int rc;
    while ((rc = step(b, st)) == SQLITE_ROW && *n < limit)
        docs[(*n)++] = sqlite3_column_int64(st, 0);
    done(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? ADAL_OK : fail(ctx, b, rc, "read fingerprints");
}

static uint64_t file_size(const char *path, const char *suffix)
{
    char p[4096];
    struct stat st;
    if ((size_t)snprintf(p, sizeof p, "%s%s", path, suffix) >= sizeof p || stat(p, &st) != 0)
        return 0;
    return (uint64_t)st.st_size;
}

static int sq_stats(void *be, adal_ctx *ctx, adal_store_stats *out)
{
    sq *b = be;
    int err = ADAL_OK;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = stmt(b, ctx, Q_STATS_KIND, &err);
    if (!st)
        return err;
    int rc;
    while ((rc = step(b, st)) == SQLITE_ROW) {
        uint64_t n = (uint64_t)sqlite3_column_int64(st, 1);
        if (sqlite3_column_int(st, 0))
            out->nsubmissions += n;
        else
            out->nsources += n;
        out->nfps += (uint64_t)sqlite3_column_double(st, 2);
    }
    done(st);
    if (rc != SQLITE_DONE)
        return fail(ctx, b, rc, "count documents");
    out->ndocs = out->nsources + out->nsubmissions;
    out->bytes_on_disk = file_size(b->path, "") + file_size(b->path, "-wal");
    return ADAL_OK;
}

static int sq_verify(void *be, adal_ctx *ctx)
{
    sq *b = be;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(b->db, "PRAGMA integrity_check", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return fail(ctx, b, rc, "verify");
    rc = step(b, st);
    int out = ADAL_OK;
    if (rc == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        if (!v || strcmp(v, "ok") != 0)
        {
            /* the first problem, on one line */
            const char *p = v ? v : "?";
            if (strncmp(p, "*** in database", 15) == 0 && strchr(p, '\n'))
                p = strchr(p, '\n') + 1;
            out = adal__err(ctx, ADAL_ESTORE, "integrity check: %.*s", (int)strcspn(p, "\n"), p);
        }
    } else
        out = fail(ctx, b, rc, "verify");
    sqlite3_finalize(st);
    if (out)
        return out;
    /* the store's own invariants: every document has its text, its postings are counted */
    int64_t orphans = 0, nposts = 0, sum = 0, ndocs = 0, counted = 0;
    rc = one_int(b, ctx,
                 "SELECT count(*) FROM documents d WHERE NOT EXISTS "
                 "(SELECT 1 FROM texts t WHERE t.id = d.id)",
                 &orphans);
    if (rc == ADAL_OK)
        rc = one_int(b, ctx, "SELECT count(*) FROM postings", &nposts);
    if (rc == ADAL_OK)
        rc = one_int(b, ctx, "SELECT total(nfps) FROM documents", &sum);
    if (rc == ADAL_OK)
        rc = one_int(b, ctx, "SELECT count(*) FROM documents", &ndocs);
    if (rc == ADAL_OK)
        rc = one_int(b, ctx, "SELECT value FROM meta WHERE key = 'ndocs'", &counted);
    if (rc)
        return rc;
    if (orphans)
        return adal__err(ctx, ADAL_ESTORE, "%lld documents without their text",
                         (long long)orphans);
    if (nposts != sum)
        return adal__err(ctx, ADAL_ESTORE,
                         "%lld fingerprint postings, but the documents count %lld",
                         (long long)nposts, (long long)sum);
    if (ndocs != counted)
        return adal__err(ctx, ADAL_ESTORE, "%lld documents, but the count says %lld", (long long)ndocs, (long long)counted);
    return ADAL_OK;
}

const adal__store_ops adal__store_sqlite = {
    "sqlite",       sq_open,       sq_close,     sq_begin_write, sq_begin_read, sq_commit,
    sq_rollback,    sq_savepoint,  sq_release,   sq_rollback_to, sq_meta_get,   sq_meta_set,  sq_find_hash,   sq_doc_insert, sq_doc_delete,
    sq_doc_update,  sq_doc_get,    sq_list,      sq_ndocs,       sq_post_add,   sq_post_del,
    sq_post_clear,  sq_post_del_doc, sq_post_get, sq_stats,     sq_verify,
};
