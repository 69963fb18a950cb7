/* test_store_full.c — a full disk under the corpus store, SQLite's own way (its test VFS
 * shims): a VFS wrapping the default one is made the default for the test only, and from the
 * k-th write on every write and truncate fails with SQLITE_FULL, as the unix VFS reports
 * ENOSPC. For every k until the change gets through: the add (alone, or in a transaction of
 * several) fails with ADAL_EIO and "the disk is full", and once the disk has room again the
 * store passes adal_store_verify (PRAGMA integrity_check + its counts) and lists exactly what
 * it listed before the failed transaction. No root, no loop device, nothing in the library.
 */
#include "../harness.h"
#include "internal.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- the shim ---------------------------------------------------------------------------- */

static sqlite3_vfs *real_vfs;
static long writes_left = -1; /* < 0: no fault; 0: every write fails from now on */
static long nwrites;          /* writes that reached the real VFS while armed */

typedef struct full_file {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same allocation */
} full_file;

static int disk_full(void)
{
    if (writes_left < 0)
        return 0;
    if (writes_left == 0)
        return 1;
    writes_left--;
    nwrites++;
    return 0;
}

#define REAL(f) (((full_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
    int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
    return rc;
}
static int f_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}
static int f_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    if (disk_full())
        return SQLITE_FULL;
    return REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    if (disk_full())
        return SQLITE_FULL;
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int f_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int f_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_fcntl(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_devchar(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}
static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods full_io = {
    3,          f_close,       f_read,      f_write, f_truncate, f_sync,    f_size,
    f_lock,     f_unlock,      f_reserved,  f_fcntl, f_sector,   f_devchar, f_shm_map,
    f_shm_lock, f_shm_barrier, f_shm_unmap, f_fetch, f_unfetch,
};

static int v_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    full_file *ff = (full_file *)f;
    ff->real = (sqlite3_file *)(ff + 1);
    int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
    /* a file the real VFS did not open has no methods, and neither has ours */
    f->pMethods = rc == SQLITE_OK && ff->real->pMethods ? &full_io : NULL;
    return rc;
}
static int v_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
    (void)vfs;
    return real_vfs->xDelete(real_vfs, name, sync);
}
static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}
static int v_fullpath(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}
static void *v_dlopen(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs;
    return real_vfs->xDlOpen(real_vfs, name);
}
static void v_dlerror(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    real_vfs->xDlError(real_vfs, n, out);
}
static void (*v_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
    (void)vfs;
    return real_vfs->xDlSym(real_vfs, h, sym);
}
static void v_dlclose(sqlite3_vfs *vfs, void *h)
{
    (void)vfs;
    real_vfs->xDlClose(real_vfs, h);
}
static int v_random(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xRandomness(real_vfs, n, out);
}
static int v_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return real_vfs->xSleep(real_vfs, us);
}
static int v_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return real_vfs->xCurrentTime(real_vfs, out);
}
static int v_lasterr(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xGetLastError(real_vfs, n, out);
}
static int v_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static sqlite3_vfs full_vfs;

/* Make the shim the default VFS (the store opens with the default). */
static int shim_on(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs || real_vfs->iVersion < 2)
        return 0;
    full_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(full_file) + real_vfs->szOsFile,
        .mxPathname = real_vfs->mxPathname,
        .zName = "adal-test-full",
        .xOpen = v_open,
        .xDelete = v_delete,
        .xAccess = v_access,
        .xFullPathname = v_fullpath,
        .xDlOpen = v_dlopen,
        .xDlError = v_dlerror,
        .xDlSym = v_dlsym,
        .xDlClose = v_dlclose,
        .xRandomness = v_random,
        .xSleep = v_sleep,
        .xCurrentTime = v_time,
        .xGetLastError = v_lasterr,
        .xCurrentTimeInt64 = v_time64,
    };
    writes_left = -1;
    return sqlite3_vfs_register(&full_vfs, 1) == SQLITE_OK;
}

static void shim_off(void)
{
    writes_left = -1;
    sqlite3_vfs_unregister(&full_vfs);
    sqlite3_vfs_register(real_vfs, 1);
}

/* ---- the test ---------------------------------------------------------------------------- */

static char dir[64], db[128];

static adal_doc *doc_of(adal_ctx *ctx, const char *path)
{
    adal_doc *d = NULL;
    if (adal_doc_load(&d, ctx, path, NULL) != ADAL_OK) {
        adal_doc_free(d);
        return NULL;
    }
    return d;
}

static int list_line(const adal_store_entry *e, void *arg)
{
    adal__buf *b = arg;
    char line[256];
    int n = snprintf(line, sizeof line, "%lld %d %s %s %u\n", (long long)e->id, (int)e->kind,
                     e->hash, e->name, e->nfps);
    return adal__buf_add(b, line, (size_t)n) == 0 ? 0 : ADAL_ENOMEM;
}

/* The store's listing (ids, hashes, names, fingerprint counts) once it verifies; NULL if it
 * does not open or verify. Caller frees. */
static char *listing(void)
{
    adal_ctx *ctx = NULL;
    adal_store *s = NULL;
    adal__buf b;
    adal__buf_init(&b, 0);
    char *out = NULL;
    if (adal_ctx_new(&ctx) == ADAL_OK &&
        adal_store_open(&s, ctx, db, ADAL_STORE_READONLY) == ADAL_OK &&
        adal_store_verify(s, ctx) == ADAL_OK && adal_store_list(s, ctx, list_line, &b) == ADAL_OK)
        out = adal__buf_take(&b, NULL);
    if (!out && ctx)
        fprintf(stderr, "    store does not verify: %s\n", adal_errmsg(ctx));
    adal__buf_free(&b);
    adal_store_close(s);
    adal_ctx_free(ctx);
    return out;
}

static void remove_store(void)
{
    const char *sfx[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        char p[192];
        snprintf(p, sizeof p, "%s%s", db, sfx[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* One add (in_txn 0) or two adds in one transaction (in_txn 1), with the disk filling up at
 * every write in turn. */
static void full_disk_sweep(int in_txn)
{
    if (!shim_on())
        SKIP("the default SQLite VFS cannot be wrapped");
    snprintf(dir, sizeof dir, "/tmp/adal-full-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    snprintf(db, sizeof db, "%s/f.db", dir);
    adal_ctx *ctx = NULL;
    adal_store *s = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    CHECK_EQ_INT(adal_store_open(&s, ctx, db, ADAL_STORE_CREATE), ADAL_OK);
    adal_doc *base = doc_of(ctx, "tests/data/texts/refs/abai_25.txt");
    adal_doc *a = doc_of(ctx, "tests/data/texts/refs/gogol_nos.txt");
    adal_doc *b = doc_of(ctx, "tests/data/texts/refs/chekhov_vanka.txt");
    int64_t id;
    int added;
    CHECK(base && a && b);
    CHECK(s && base &&
          adal_store_add(s, ctx, base, ADAL_KIND_SOURCE, NULL, NULL, &id, &added) == ADAL_OK);
    adal_store_close(s);
    char *before = listing();
    CHECK(before != NULL);
    long k, failures = 0;
    int through = 0;
    for (k = 0; k < 5000 && before && a && b; k++) {
        s = NULL;
        if (adal_store_open(&s, ctx, db, 0) != ADAL_OK) {
            CHECK(!"reopen");
            break;
        }
        nwrites = 0;
        writes_left = k; /* k writes get through, then the disk is full */
        int rc = ADAL_OK;
        if (in_txn)
            rc = adal_store_begin(s, ctx);
        if (rc == ADAL_OK)
            rc = adal_store_add(s, ctx, a, ADAL_KIND_SOURCE, NULL, NULL, &id, &added);
        if (rc == ADAL_OK && in_txn)
            rc = adal_store_add(s, ctx, b, ADAL_KIND_SUBMISSION, "c", "st", &id, &added);
        if (rc == ADAL_OK && in_txn)
            rc = adal_store_commit(s, ctx);
        char msg[ADAL_ERRMSG_MAX];
        snprintf(msg, sizeof msg, "%s", adal_errmsg(ctx));
        adal_store_close(s); /* the disk is still full while it closes */
        writes_left = -1;    /* room again */
        char *after = listing();
        CHECK(after != NULL);
        if (rc == ADAL_OK) {
            /* enough writes got through: the change is whole */
            CHECK(after && strcmp(after, before) != 0);
            through = 1;
            adal__free(after);
            break;
        }
        failures++;
        if (rc != ADAL_EIO || !strstr(msg, "the disk is full"))
            fprintf(stderr, "    k=%ld: got %d (%s)\n", k, rc, msg);
        CHECK_EQ_INT(rc, ADAL_EIO);
        CHECK(strstr(msg, "the disk is full") != NULL);
        CHECK(after && strcmp(after, before) == 0); /* exactly what it held before */
        adal__free(after);
    }
    if (getenv("ADAL_FAULTS_VERBOSE"))
        fprintf(stderr, "    full disk (txn %d): %ld write points failed, then through\n", in_txn,
                failures);
    CHECK(through);
    CHECK(failures > 0);
    /* a store that has been through all that takes the change once there is room */
    char *end = listing();
    CHECK(end != NULL && strstr(end, " gogol_nos.txt ") != NULL);
    CHECK(!in_txn || (end && strstr(end, " chekhov_vanka.txt ") != NULL));
    adal__free(end);
    adal__free(before);
    adal_doc_free(base);
    adal_doc_free(a);
    adal_doc_free(b);
    adal_ctx_free(ctx);
    shim_off();
    remove_store();
}

TEST(store_full_disk_every_write_add)
{
    full_disk_sweep(0);
}

TEST(store_full_disk_every_write_transaction)
{
    full_disk_sweep(1);
}
