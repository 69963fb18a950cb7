/* files.c — the inputs of `check --against`, `compare --all` (and later `batch`): walking
 * folders for documents recognised by their first bytes, and loading many files at once on
 * a pool of threads (one adal_ctx per thread, as adal.h requires).
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 64      /* folders nested deeper than this are not walked */
#define MAX_FILES 1000000 /* one run never takes more files */

void cli_files_free(cli_files *fl)
{
    for (size_t i = 0; i < fl->n; i++)
        free(fl->v[i]);
    free(fl->v);
    fl->v = NULL;
    fl->n = fl->cap = 0;
}

static int push(cli_files *fl, const char *path)
{
    if (fl->n >= MAX_FILES) {
        cli_error(path, "more than %d files", MAX_FILES);
        return -1;
    }
    if (fl->n == fl->cap) {
        size_t cap = fl->cap ? fl->cap * 2 : 64;
        char **v = realloc(fl->v, cap * sizeof *v);
        if (!v)
            goto oom;
        fl->v = v;
        fl->cap = cap;
    }
    if (!(fl->v[fl->n] = strdup(path)))
        goto oom;
    fl->n++;
    return 0;
oom:
    cli_error(NULL, "out of memory");
    return -1;
}

/* Whether a file found in a folder looks like a document (its extension is not trusted:
 * students rename files). Text = no NUL byte in the first 4 KiB, or a UTF-16 BOM. */
static bool looks_like_document(const char *path)
{
    unsigned char b[4096];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return true; /* let the loader report why it cannot be read */
    ssize_t n = read(fd, b, sizeof b);
    close(fd);
    if (n <= 0)
        return n < 0;
    if (n >= 4 && memcmp(b, "PK\x03\x04", 4) == 0)
        return true;
    if (n >= 4 && memcmp(b, "\xD0\xCF\x11\xE0", 4) == 0)
        return true;
    if (n >= 5 && (memcmp(b, "%PDF-", 5) == 0 || memcmp(b, "{\\rtf", 5) == 0))
        return true;
    if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
        return true;
    return memchr(b, 0, (size_t)n) == NULL;
}

static int walk(cli_files *fl, const char *dir, int depth)
{
    if (depth > MAX_DEPTH) {
        cli_error(dir, "folders nested too deep; not walked further");
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d) {
        cli_error(dir, "%s", strerror(errno));
        return 0; /* a warning: the rest still runs */
    }
    int rc = 0;
    struct dirent *e;
    size_t dl = strlen(dir);
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t n = dl + 1 + strlen(e->d_name) + 1;
        char *p = malloc(n);
        if (!p) {
            cli_error(NULL, "out of memory");
            rc = -1;
            break;
        }
        snprintf(p, n, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                rc = walk(fl, p, depth + 1);
            else if ((S_ISREG(st.st_mode) ||
                      (S_ISLNK(st.st_mode) && stat(p, &st) == 0 && S_ISREG(st.st_mode))) &&
                     looks_like_document(p))
                rc = push(fl, p);
        }
        free(p);
    }
    closedir(d);
    return rc;
}

int cli_files_add(cli_files *fl, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return walk(fl, path, 0);
    return push(fl, path); /* missing files are reported by the loader */
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void cli_files_sort(cli_files *fl)
{
    if (fl->n == 0)
        return;
    qsort(fl->v, fl->n, sizeof *fl->v, cmp_str);
    size_t k = 1;
    for (size_t i = 1; i < fl->n; i++) {
        if (strcmp(fl->v[i], fl->v[k - 1]) == 0)
            free(fl->v[i]);
        else
            fl->v[k++] = fl->v[i];
    }
    fl->n = k;
}

unsigned cli_ncpu(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 1024 ? 1024 : (unsigned)n;
}

bool cli_parse_jobs(const char *s, unsigned *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || !*s || *end || v < 1 || v > 1024)
        return false;
    *out = (unsigned)v;
    return true;
}

/* ---- the loading pool */
typedef struct pool {
    cli_loaded *l;
    char *const *files;
    const adal_load_opts *opts;
    bool fingerprint;
    pthread_mutex_t mu;
    size_t next;
} pool;

static void *load_worker(void *arg)
{
    pool *p = arg;
    adal_ctx *ctx = NULL;
    int crc = adal_ctx_new(&ctx);
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->l->n)
            break;
        adal_doc *doc = NULL;
        int rc = crc;
        if (rc == ADAL_OK)
            rc = adal_doc_load(&doc, ctx, p->files[i], p->opts);
        if (rc == ADAL_OK)
            rc = p->fingerprint ? adal_doc_fingerprint(doc, ctx) : adal_doc_normalize(doc, ctx);
        if (rc != ADAL_OK) {
            adal_doc_free(doc);
            doc = NULL;
            p->l->errs[i] = rc;
            p->l->msgs[i] = strdup(ctx ? adal_errmsg(ctx) : "out of memory");
        }
        p->l->docs[i] = doc;
    }
    adal_ctx_free(ctx);
    return NULL;
}

int cli_load_all(cli_loaded *out, char *const *files, size_t n, unsigned jobs,
                 const adal_load_opts *opts, bool fingerprint)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    out->docs = calloc(n + 1, sizeof *out->docs);
    out->errs = calloc(n + 1, sizeof *out->errs);
    out->msgs = calloc(n + 1, sizeof *out->msgs);
    if (!out->docs || !out->errs || !out->msgs) {
        cli_loaded_free(out);
        cli_error(NULL, "out of memory");
        return -1;
    }
    pool p = {out, files, opts, fingerprint, PTHREAD_MUTEX_INITIALIZER, 0};
    if (jobs > n)
        jobs = n ? (unsigned)n : 1;
    pthread_t *t = calloc(jobs, sizeof *t);
    unsigned started = 0;
    if (t)
        for (; started < jobs; started++)
            if (pthread_create(&t[started], NULL, load_worker, &p) != 0)
                break;
    if (started == 0)
        load_worker(&p); /* no thread at all: do the work here */
    for (unsigned k = 0; k < started; k++)
        pthread_join(t[k], NULL);
    free(t);
    return 0;
}

void cli_loaded_free(cli_loaded *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->docs)
            adal_doc_free(l->docs[i]);
        if (l->msgs)
            free(l->msgs[i]);
    }
    free(l->docs);
    free(l->errs);
    free(l->msgs);
    memset(l, 0, sizeof *l);
}
