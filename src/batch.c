/* batch.c — `adal batch`: a whole course folder at once, on top of the engine (refset.c,
 * score.c) and the corpus store. Walk the course → group files by student (the newest version
 * counts, older ones are "superseded") → load and fingerprint on N threads → one in-memory
 * reference set of the current submissions → cohort template (fingerprints held by ≥ 30 % of
 * the students and ≥ 3 of them, excluded from every report) → decide what to re-check (content
 * hash, candidates, options) → check on N threads, each submission in ONE report against the
 * set and the store → collusion clusters (union-find) → reports, summary.json/csv, state.
 * Every output file is written under a temporary name and renamed (a kill leaves the old or
 * the new file); a journal of finished checks lets a killed run resume where it stopped.
 */
#include "match.h"
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define MAX_DEPTH 64
#define ADD_CHUNK 250
#define MAX_FILES 1000000
#define STATE_NAME ".adal-batch-state.json"
#define JOURNAL_NAME ".adal-batch-journal"
#define FPS_NAME ".adal-batch-fps"
#define FPS_MAGIC "ADALFPS1"
#define TMP_PREFIX ".adal-tmp-"
#define STATE_VERSION 1

typedef struct peer {
    char *student, *file;
    double percent;
} peer;

typedef struct sub {
    char *rel, *path, *student, *report_rel;
    struct timespec mtime;
    bool current;
    adal_batch_status status;
    adal_doc *doc; /* borrowed from the refset once added */
    size_t rs;     /* index in the refset, SIZE_MAX when not there */
    int err;
    char *msg;
    char hash[33];
    char excl_key[17]; /* digest of its fingerprints that are cohort template */
    char old_hash[33]; /* content hash in the last run's state, "" if none */
    bool todo; /* to be checked in this run */
    /* the summary row (checked or unchanged) */
    bool have_row;
    double originality, borrowed, cited, excluded, band_value, top_percent;
    unsigned band_index;
    int borderline;
    char *band, *top_source;
    peer *peers;
    size_t npeers;
    long cluster;
} sub;

typedef struct batch {
    adal_ctx *ctx;
    const char *course;
    const adal_batch_opts *o;
    adal_policy policy;
    adal_check_opts co;
    adal_load_opts lo;
    sub *s;
    size_t n, cap;
    char **against;        /* loaded extra references: paths */
    adal_doc **against_doc;
    int *against_err;
    size_t nagainst;
    adal_doc *tmpl;
    adal_refset *rs;
    char **students;       /* current students (sorted, distinct) */
    size_t nstudents;
    /* cohort template */
    uint64_t *common;      /* sorted */
    size_t ncommon;
    unsigned common_threshold;
    char options_key[17];
    /* run */
    pthread_mutex_t mu;
    size_t next, done, total;
    FILE *journal;
    int fatal;             /* first fatal error of a worker */
    char fatal_msg[ADAL_ERRMSG_MAX];
    struct stat out_st;
    bool have_out_st;
} batch;

const char *adal_batch_status_name(adal_batch_status st)
{
    switch (st) {
    case ADAL_BATCH_CHECKED: return "checked";
    case ADAL_BATCH_UNCHANGED: return "unchanged";
    case ADAL_BATCH_FAILED: return "failed";
    case ADAL_BATCH_SUPERSEDED: return "superseded";
    }
    return "?";
}

char *adal_batch_safe_name(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    char *r = malloc(n ? n + 1 : 2);
    if (!r)
        return NULL;
    if (!n) {
        memcpy(r, "_", 2);
        return r;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        r[i] = (c == '/' || c == '\\' || c < 0x20 || c == 0x7f || (i == 0 && c == '.')) ? '_'
                                                                                       : (char)c;
    }
    r[n] = 0;
    return r;
}

/* ---- small helpers -------------------------------------------------------------------- */

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    while (la > 1 && a[la - 1] == '/')
        la--;
    char *r = adal__malloc(la + lb + 2);
    if (!r)
        return NULL;
    memcpy(r, a, la);
    r[la] = '/';
    memcpy(r + la + 1, b, lb + 1);
    return r;
}

static int mkdir_p(adal_ctx *ctx, const char *path)
{
    char *p = adal__strdup(path);
    int rc = ADAL_OK;
    if (!p)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    for (char *q = p + 1;; q++) {
        if (*q == '/' || !*q) {
            char c = *q;
            *q = 0;
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                rc = adal__err(ctx, ADAL_EIO, "%s: cannot create folder: %s", p, strerror(errno));
                break;
            }
            *q = c;
            if (!c)
                break;
        }
    }
    adal__free(p);
    return rc;
}

/* Atomic file output: a temporary file in the destination's folder, renamed over it. */
typedef struct afile {
    FILE *f;
    char *tmp;
} afile;

static int afile_open(adal_ctx *ctx, afile *a, const char *dst)
{
    a->f = NULL;
    const char *slash = strrchr(dst, '/');
    size_t dl = slash ? (size_t)(slash - dst) + 1 : 0;
    a->tmp = adal__malloc(dl + sizeof TMP_PREFIX + 7);
    if (!a->tmp)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    memcpy(a->tmp, dst, dl);
    memcpy(a->tmp + dl, TMP_PREFIX "XXXXXX", sizeof TMP_PREFIX + 6);
    int fd = mkstemp(a->tmp);
    if (fd < 0 || fchmod(fd, 0644) != 0 || !(a->f = fdopen(fd, "w"))) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(a->tmp);
        }
        adal__free(a->tmp);
        a->tmp = NULL;
        return adal__err(ctx, ADAL_EIO, "%s: cannot write: %s", dst, strerror(e));
    }
    return ADAL_OK;
}

static int afile_commit(adal_ctx *ctx, afile *a, const char *dst, int rc)
{
    if (!a->f)
        return rc;
    int bad = fflush(a->f) != 0 || ferror(a->f);
    int e = errno;
    if (fclose(a->f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    a->f = NULL;
    if (rc == ADAL_OK && bad)
        rc = adal__err(ctx, ADAL_EIO, "%s: cannot write: %s", dst, strerror(e));
    if (rc == ADAL_OK && rename(a->tmp, dst) != 0)
        rc = adal__err(ctx, ADAL_EIO, "%s: cannot rename: %s", dst, strerror(errno));
    if (rc != ADAL_OK)
        unlink(a->tmp);
    adal__free(a->tmp);
    a->tmp = NULL;
    return rc;
}

static int write_json_file(adal_ctx *ctx, const char *dst, json_t *j, size_t flags)
{
    afile a;
    int rc = afile_open(ctx, &a, dst);
    if (rc)
        return rc;
    char *s = json_dumps(j, flags | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    if (!s)
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
    else if (fputs(s, a.f) == EOF || fputc('\n', a.f) == EOF)
        rc = adal__err(ctx, ADAL_EIO, "%s: cannot write", dst);
    free(s);
    return afile_commit(ctx, &a, dst, rc);
}

/* Remove temporary files a killed run left in OUT (recursively). */
static void clean_tmp(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d || depth > MAX_DEPTH) {
        if (d)
            closedir(d);
        return;
    }
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = join(dir, e->d_name);
        struct stat st;
        if (p && lstat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                clean_tmp(p, depth + 1);
            else if (strncmp(e->d_name, TMP_PREFIX, sizeof TMP_PREFIX - 1) == 0)
                unlink(p);
        }
        adal__free(p);
    }
    closedir(d);
}

/* ---- walking the course ---------------------------------------------------------------- */

/* A document by its first bytes (students rename files): ZIP (DOCX/ODT), OLE2 (encrypted
 * OOXML, .doc), PDF, RTF, or text without NUL bytes. Anything else (images...) is no
 * submission and silently left out. */
static bool looks_like_document(const char *path)
{
    unsigned char b[4096];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return true; /* let the loader say why it cannot be read */
    ssize_t n = read(fd, b, sizeof b);
    close(fd);
    if (n < 0)
        return true;
    if (n == 0)
        return true; /* empty: reported as an error */
    if (n >= 4 && (memcmp(b, "PK\3\4", 4) == 0 || memcmp(b, "\xD0\xCF\x11\xE0", 4) == 0 ||
                   memcmp(b, "%PDF", 4) == 0 || memcmp(b, "{\\rt", 4) == 0))
        return true;
    if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
        return true;
    return memchr(b, 0, (size_t)n) == NULL;
}

static int add_sub(batch *b, const char *rel, const char *path, const struct stat *st)
{
    if (b->n >= MAX_FILES)
        return adal__err(b->ctx, ADAL_ELIMIT, "%s: more than %d files", b->course, MAX_FILES);
    if (adal__grow((void **)&b->s, &b->cap, b->n + 1, sizeof *b->s))
        return adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    sub *s = &b->s[b->n];
    memset(s, 0, sizeof *s);
    s->rs = SIZE_MAX;
    s->cluster = -1;
    s->mtime = st->st_mtim;
    if (!(s->rel = adal__strdup(rel)) || !(s->path = adal__strdup(path))) {
        adal__free(s->rel);
        adal__free(s->path);
        return adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    }
    b->n++;
    return ADAL_OK;
}

static int walk(batch *b, const char *dir, const char *rel, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int rc = ADAL_OK;
    if (!d)
        return depth ? ADAL_OK
                     : adal__err(b->ctx, ADAL_EIO, "%s: cannot read folder: %s", dir,
                                 strerror(errno));
    if (depth > MAX_DEPTH) {
        closedir(d);
        return ADAL_OK;
    }
    while (rc == ADAL_OK && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue; /* hidden entries, the output's state, ".", ".." */
        char *p = join(dir, e->d_name);
        char *r = rel ? join(rel, e->d_name) : adal__strdup(e->d_name);
        struct stat lst, st;
        if (!p || !r)
            rc = adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
        else if (lstat(p, &lst) == 0 && stat(p, &st) == 0) {
            if (b->have_out_st && st.st_dev == b->out_st.st_dev && st.st_ino == b->out_st.st_ino)
                ; /* the output folder inside the course */
            else if (S_ISDIR(st.st_mode)) {
                if (!S_ISLNK(lst.st_mode))
                    rc = walk(b, p, r, depth + 1);
            } else if (S_ISREG(st.st_mode) && looks_like_document(p))
                rc = add_sub(b, r, p, &st);
        }
        adal__free(p);
        adal__free(r);
    }
    closedir(d);
    return rc;
}

static int assign_students(batch *b)
{
    regex_t re;
    bool have_re = false;
    int rc = ADAL_OK;
    if (b->o->student_pattern) {
        int e = regcomp(&re, b->o->student_pattern, REG_EXTENDED);
        if (e != 0) {
            char m[200];
            regerror(e, &re, m, sizeof m);
            return adal__err(b->ctx, ADAL_EINVAL, "--student-pattern: %s", m);
        }
        if (re.re_nsub < 1) {
            regfree(&re);
            return adal__err(b->ctx, ADAL_EINVAL,
                             "--student-pattern needs one group (...) for the student");
        }
        have_re = true;
    }
    for (size_t i = 0; i < b->n && rc == ADAL_OK; i++) {
        sub *s = &b->s[i];
        const char *base = strrchr(s->rel, '/');
        base = base ? base + 1 : s->rel;
        regmatch_t m[2];
        if (have_re && regexec(&re, base, 2, m, 0) == 0 && m[1].rm_so >= 0 &&
            m[1].rm_eo > m[1].rm_so)
            s->student = adal__strndup(base + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
        else if (strchr(s->rel, '/'))
            s->student = adal__strndup(s->rel, (size_t)(strchr(s->rel, '/') - s->rel));
        else {
            /* a file directly in the course folder: its name without the extension */
            const char *dot = strrchr(base, '.');
            s->student = adal__strndup(base, dot && dot != base ? (size_t)(dot - base)
                                                                : strlen(base));
        }
        if (!s->student)
            rc = adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    }
    if (have_re)
        regfree(&re);
    return rc;
}

static int sub_cmp(const void *x, const void *y)
{
    const sub *a = x, *c = y;
    int k = strcmp(a->student, c->student);
    return k ? k : strcmp(a->rel, c->rel);
}

static bool newer(const sub *a, const sub *c)
{
    if (a->mtime.tv_sec != c->mtime.tv_sec)
        return a->mtime.tv_sec > c->mtime.tv_sec;
    if (a->mtime.tv_nsec != c->mtime.tv_nsec)
        return a->mtime.tv_nsec > c->mtime.tv_nsec;
    return strcmp(a->rel, c->rel) > 0;
}

/* Sort by student then file; the newest of each student is current, the rest superseded. */
static int group(batch *b)
{
    if (b->n)
        qsort(b->s, b->n, sizeof *b->s, sub_cmp);
    for (size_t i = 0; i < b->n;) {
        size_t j = i, best = i;
        while (j < b->n && strcmp(b->s[j].student, b->s[i].student) == 0) {
            if (newer(&b->s[j], &b->s[best]))
                best = j;
            j++;
        }
        for (size_t k = i; k < j; k++) {
            b->s[k].current = k == best;
            b->s[k].status = k == best ? ADAL_BATCH_CHECKED : ADAL_BATCH_SUPERSEDED;
        }
        i = j;
    }
    return ADAL_OK;
}

/* ---- loading on threads ---------------------------------------------------------------- */

typedef struct load_job {
    batch *b;
    size_t n;                 /* items: current submissions then --against files */
    size_t *idx;              /* item → sub index, or SIZE_MAX - k for against file k */
} load_job;

static void hash_hex(const void *data, size_t len, char out[33])
{
    XXH128_hash_t h = XXH3_128bits(data, len);
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64,
             (unsigned long long)h.low64);
}

static int load_one(adal_ctx *ctx, const batch *b, const char *path, adal_doc **doc, char hash[33])
{
    uint8_t *data = NULL;
    size_t len = 0;
    size_t max = b->lo.max_file ? b->lo.max_file : ADAL_MAX_FILE;
    *doc = NULL;
    int rc = adal__read_file(ctx, path, max, &data, &len);
    if (rc == ADAL_OK) {
        if (hash)
            hash_hex(data, len, hash);
        rc = adal_doc_from_memory(doc, ctx, data, len, path, &b->lo);
    }
    adal__free(data);
    if (rc == ADAL_OK)
        rc = adal_doc_fingerprint(*doc, ctx);
    /* its paraphrase model now, in this load thread: each submission is then read once for
     * the content-word index and every pair it is in, not once a pair in the check threads */
    if (rc == ADAL_OK && !b->co.no_paraphrase)
        rc = adal__para_model(ctx, *doc);
    if (rc != ADAL_OK) {
        adal_doc_free(*doc);
        *doc = NULL;
    }
    return rc;
}

static void progress(batch *b, const char *stage, const sub *s, size_t done, size_t total)
{
    if (!b->o->progress)
        return;
    adal_batch_progress p = {stage, done, total, s ? s->rel : NULL,
                             s ? s->status : ADAL_BATCH_CHECKED, s ? s->err : 0,
                             s && s->msg ? s->msg : NULL};
    b->o->progress(&p, b->o->progress_arg);
}

static void *load_worker(void *arg)
{
    load_job *j = arg;
    batch *b = j->b;
    adal_ctx *ctx = NULL;
    if (adal_ctx_new(&ctx) != ADAL_OK) {
        pthread_mutex_lock(&b->mu);
        if (!b->fatal)
            b->fatal = ADAL_ENOMEM;
        pthread_mutex_unlock(&b->mu);
        return NULL;
    }
    for (;;) {
        pthread_mutex_lock(&b->mu);
        size_t k = b->next < j->n && !b->fatal ? b->next++ : SIZE_MAX;
        pthread_mutex_unlock(&b->mu);
        if (k == SIZE_MAX)
            break;
        size_t i = j->idx[k];
        if (i < b->n) {
            sub *s = &b->s[i];
            int rc = load_one(ctx, b, s->path, &s->doc, s->hash);
            if (rc != ADAL_OK) {
                s->err = rc;
                s->msg = adal__strdup(adal_errmsg(ctx));
                s->status = ADAL_BATCH_FAILED;
            }
        } else {
            size_t a = SIZE_MAX - i;
            b->against_err[a] = load_one(ctx, b, b->against[a], &b->against_doc[a], NULL);
        }
        pthread_mutex_lock(&b->mu);
        b->done++;
        progress(b, "load", i < b->n ? &b->s[i] : NULL, b->done, j->n);
        pthread_mutex_unlock(&b->mu);
    }
    adal_ctx_free(ctx);
    return NULL;
}

static unsigned njobs(const batch *b, size_t work)
{
    long n = b->o->jobs ? (long)b->o->jobs : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > 1024)
        n = 1024;
    if ((size_t)n > work)
        n = work ? (long)work : 1;
    return (unsigned)n;
}

/* Run fn on min(jobs, work) threads (the calling thread is one of them). */
static int run_threads(batch *b, void *(*fn)(void *), void *arg, size_t work)
{
    unsigned nt = njobs(b, work);
    pthread_t *t = adal__calloc(nt, sizeof *t);
    unsigned started = 0;
    if (!t)
        return adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    for (unsigned i = 1; i < nt; i++) {
        if (pthread_create(&t[i], NULL, fn, arg) != 0)
            break;
        started = i;
    }
    fn(arg);
    for (unsigned i = 1; i <= started; i++)
        pthread_join(t[i], NULL);
    adal__free(t);
    return ADAL_OK;
}

static int load_all(batch *b)
{
    load_job j = {b, 0, NULL};
    int rc;
    j.idx = adal__calloc(b->n + b->nagainst + 1, sizeof *j.idx);
    if (!j.idx)
        return adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    for (size_t i = 0; i < b->n; i++)
        if (b->s[i].current)
            j.idx[j.n++] = i;
    for (size_t a = 0; a < b->nagainst; a++)
        j.idx[j.n++] = SIZE_MAX - a;
    b->next = b->done = 0;
    rc = run_threads(b, load_worker, &j, j.n);
    adal__free(j.idx);
    if (rc == ADAL_OK && b->fatal)
        rc = adal__err(b->ctx, b->fatal, "out of memory");
    return rc;
}

/* ---- the reference set and the cohort template ----------------------------------------- */

static int build_refset(batch *b)
{
    int rc = adal_refset_new(&b->rs, b->ctx);
    if (rc)
        return rc;
    b->students = adal__calloc(b->n + 1, sizeof *b->students);
    if (!b->students)
        return adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    for (size_t i = 0; i < b->n; i++) {
        sub *s = &b->s[i];
        if (!s->current || !s->doc)
            continue;
        adal_doc *d = s->doc;
        size_t k = adal_refset_count(b->rs);
        rc = adal_refset_add(b->rs, b->ctx, d, s->path); /* owns d now, also on error */
        if (rc == ADAL_ENOMEM)
            return rc;
        if (rc != ADAL_OK) {
            s->doc = NULL;
            s->err = rc;
            s->msg = adal__strdup(adal_errmsg(b->ctx));
            s->status = ADAL_BATCH_FAILED;
            continue;
        }
        s->rs = k;
        b->students[b->nstudents++] = s->student; /* sorted already: subs are by student */
    }
    for (size_t a = 0; a < b->nagainst; a++) {
        if (!b->against_doc[a])
            continue;
        adal_doc *d = b->against_doc[a];
        b->against_doc[a] = NULL;
        rc = adal_refset_add(b->rs, b->ctx, d, b->against[a]);
        if (rc == ADAL_ENOMEM)
            return rc;
    }
    return ADAL_OK;
}

typedef struct cslot {
    uint64_t hash;
    uint32_t count, last; /* students holding it; last document counted (+1, 0 = empty) */
} cslot;

/* Every hash a document holds for the cohort count: its fingerprints and all its k-grams
 * (winnowing picks different k-grams of one text depending on what follows it, so counting
 * fingerprints alone would leave the template's edges below the threshold in some copies).
 * Calls fn(h, arg) for each, duplicates included. */
static void doc_hashes(const adal_doc *d, void (*fn)(uint64_t h, void *arg), void *arg)
{
    const adal_fp *f = adal_doc_fps(d);
    const adal_token *t = adal_doc_tokens(d);
    size_t nf = adal_doc_nfps(d), nt = adal_doc_ntokens(d);
    for (size_t k = 0; k < nf; k++)
        fn(f[k].hash, arg);
    for (size_t i = 0; i + ADAL_K <= nt; i++)
        fn(adal__fp_kgram(t + i, ADAL_K), arg);
}

typedef struct ctab {
    cslot *tab;
    size_t mask;
    uint32_t doc; /* current document + 1 */
    bool insert;
} ctab;

static void ctab_visit(uint64_t h, void *arg)
{
    ctab *c = arg;
    size_t j = (size_t)(h ^ (h >> 29)) & c->mask;
    while (c->tab[j].last && c->tab[j].hash != h)
        j = (j + 1) & c->mask;
    if (c->insert) {
        if (!c->tab[j].last) {
            c->tab[j].hash = h;
            c->tab[j].last = UINT32_MAX; /* present, no document counted yet */
        }
        return;
    }
    if (!c->tab[j].last)
        return; /* a k-gram nobody selected as a fingerprint: not tracked */
    if (c->tab[j].last != c->doc) {
        c->tab[j].last = c->doc;
        c->tab[j].count++;
    }
}

/* Fingerprints held by at least max(common_min, ⌈share × students⌉) students. Each student
 * has one current document, so documents are students here. */
static int cohort(batch *b)
{
    double share = b->o->common_share > 0 ? b->o->common_share : ADAL_BATCH_COMMON_SHARE;
    unsigned min = b->o->common_min ? b->o->common_min : ADAL_BATCH_COMMON_MIN;
    size_t nst = b->nstudents, total = 0;
    double t = ceil(share * (double)nst - 1e-9);
    b->common_threshold = t > (double)min ? (unsigned)t : min;
    if (share > 1.0 || nst < b->common_threshold)
        return ADAL_OK;
    for (size_t i = 0; i < b->n; i++)
        if (b->s[i].rs != SIZE_MAX)
            total += adal_doc_nfps(b->s[i].doc);
    size_t cap = 1024;
    while (cap < total * 2)
        cap *= 2;
    ctab c = {adal__calloc(cap, sizeof(cslot)), cap - 1, 0, true};
    if (!c.tab)
        return adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    /* the keys: every fingerprint of the cohort; the counts: documents holding the key
     * anywhere in their k-grams */
    for (size_t i = 0; i < b->n; i++) {
        if (b->s[i].rs == SIZE_MAX)
            continue;
        const adal_fp *f = adal_doc_fps(b->s[i].doc);
        for (size_t k = 0; k < adal_doc_nfps(b->s[i].doc); k++)
            ctab_visit(f[k].hash, &c);
    }
    c.insert = false;
    for (size_t i = 0; i < b->n; i++) {
        if (b->s[i].rs == SIZE_MAX)
            continue;
        c.doc = (uint32_t)(i + 1);
        doc_hashes(b->s[i].doc, ctab_visit, &c);
    }
    size_t nc = 0;
    for (size_t j = 0; j < cap; j++)
        if (c.tab[j].last && c.tab[j].count >= b->common_threshold)
            nc++;
    b->common = adal__malloc((nc + 1) * sizeof *b->common);
    if (!b->common) {
        adal__free(c.tab);
        return adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    }
    for (size_t j = 0; j < cap; j++)
        if (c.tab[j].last && c.tab[j].count >= b->common_threshold)
            b->common[b->ncommon++] = c.tab[j].hash;
    adal__free(c.tab);
    if (b->ncommon)
        qsort(b->common, b->ncommon, sizeof *b->common, adal__u64_cmp);
    return ADAL_OK;
}

static bool is_cohort_common(const batch *b, uint64_t h)
{
    return b->ncommon && bsearch(&h, b->common, b->ncommon, sizeof h, adal__u64_cmp);
}

static int cohort_common_fn(const void *data, uint64_t h)
{
    return is_cohort_common(data, h);
}

/* Each submission's exclusion depends only on which of its own fingerprints are cohort
 * template: a digest of those (distinct, sorted) tells a rerun whether it changed, without
 * re-checking everyone when the template set moves elsewhere. */
static int excl_keys(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        sub *s = &b->s[i];
        if (s->rs == SIZE_MAX)
            continue;
        const adal_fp *f = adal_doc_fps(s->doc);
        const adal_token *t = adal_doc_tokens(s->doc);
        size_t nf = adal_doc_nfps(s->doc), nt = adal_doc_ntokens(s->doc), nc = 0;
        uint64_t *c = adal__malloc((nf + nt + 1) * sizeof *c);
        if (!c)
            return adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
        for (size_t k = 0; k < nf; k++)
            if (is_cohort_common(b, f[k].hash))
                c[nc++] = f[k].hash;
        for (size_t q = 0; q + ADAL_K <= nt; q++) {
            uint64_t h = adal__fp_kgram(t + q, ADAL_K);
            if (is_cohort_common(b, h))
                c[nc++] = h;
        }
        if (nc)
            qsort(c, nc, sizeof *c, adal__u64_cmp);
        size_t w = 0;
        for (size_t k = 0; k < nc; k++)
            if (!w || c[w - 1] != c[k])
                c[w++] = c[k];
        snprintf(s->excl_key, sizeof s->excl_key, "%016llx",
                 (unsigned long long)XXH3_64bits(c, w * sizeof *c));
        adal__free(c);
    }
    return ADAL_OK;
}

typedef struct span {
    uint32_t start, end;
} span;

static int span_cmp(const void *x, const void *y)
{
    const span *a = x, *c = y;
    return (a->start > c->start) - (a->start < c->start);
}

/* Exclude from report r the text of d covered by cohort-common k-grams. */
static int exclude_cohort(const batch *b, adal_report *r, const adal_doc *d)
{
    const adal_fp *f = adal_doc_fps(d);
    const adal_token *tok = adal_doc_tokens(d);
    size_t nf = adal_doc_nfps(d), nt = adal_doc_ntokens(d), ns = 0;
    int rc = ADAL_OK;
    if (!b->ncommon || !nt)
        return ADAL_OK;
    span *sp = adal__malloc((nf + nt + 1) * sizeof *sp);
    if (!sp)
        return ADAL_ENOMEM;
    for (size_t k = 0; k < nf; k++) {
        if (!is_cohort_common(b, f[k].hash) || f[k].pos >= nt)
            continue;
        size_t last = f[k].pos + ADAL_K - 1 < nt ? f[k].pos + ADAL_K - 1 : nt - 1;
        sp[ns++] = (span){tok[f[k].pos].start, tok[last].end};
    }
    for (size_t i = 0; i + ADAL_K <= nt; i++)
        if (is_cohort_common(b, adal__fp_kgram(tok + i, ADAL_K)))
            sp[ns++] = (span){tok[i].start, tok[i + ADAL_K - 1].end};
    if (ns)
        qsort(sp, ns, sizeof *sp, span_cmp);
    for (size_t k = 0; k < ns && rc == ADAL_OK;) {
        uint32_t s0 = sp[k].start, e0 = sp[k].end;
        size_t j = k + 1;
        while (j < ns && sp[j].start <= e0) {
            if (sp[j].end > e0)
                e0 = sp[j].end;
            j++;
        }
        rc = adal_report_exclude_cohort(r, s0, e0, b->common_threshold,
                                        (unsigned)b->nstudents);
        k = j;
    }
    adal__free(sp);
    return rc;
}

/* ---- rows: summary, state and journal share one JSON shape ------------------------------- */

static void sub_clear_row(sub *s)
{
    free(s->band);
    free(s->top_source);
    for (size_t k = 0; k < s->npeers; k++) {
        free(s->peers[k].student);
        free(s->peers[k].file);
    }
    free(s->peers);
    s->band = s->top_source = NULL;
    s->peers = NULL;
    s->npeers = 0;
    s->have_row = false;
}

static json_t *jreal1(double v)
{
    return json_real(adal__round1(v));
}

/* The state/journal row (a superset of the summary row). */
static json_t *row_state_json(const sub *s)
{
    json_t *j = json_object(), *p = json_array();
    if (!j || !p) {
        json_decref(j);
        json_decref(p);
        return NULL;
    }
    json_object_set_new(j, "student", json_string(s->student));
    json_object_set_new(j, "file", json_string(s->rel));
    json_object_set_new(j, "hash", json_string(s->hash));
    json_object_set_new(j, "excl_key", json_string(s->excl_key));
    json_object_set_new(j, "report", json_string(s->report_rel ? s->report_rel : ""));
    json_object_set_new(j, "originality", json_real(s->originality));
    json_object_set_new(j, "borrowed", json_real(s->borrowed));
    json_object_set_new(j, "cited", json_real(s->cited));
    json_object_set_new(j, "excluded", json_real(s->excluded));
    json_object_set_new(j, "band", json_string(s->band ? s->band : ""));
    json_object_set_new(j, "band_index", json_integer(s->band_index));
    json_object_set_new(j, "band_value", json_real(s->band_value));
    json_object_set_new(j, "borderline", json_boolean(s->borderline));
    json_object_set_new(j, "top_source", s->top_source ? json_string(s->top_source) : json_null());
    json_object_set_new(j, "top_source_percent", json_real(s->top_percent));
    for (size_t k = 0; k < s->npeers; k++) {
        json_t *x = json_object();
        json_object_set_new(x, "student", json_string(s->peers[k].student));
        json_object_set_new(x, "file", json_string(s->peers[k].file));
        json_object_set_new(x, "percent", json_real(s->peers[k].percent));
        json_array_append_new(p, x);
    }
    json_object_set_new(j, "peers", p);
    return j;
}

static char *jdup(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? strdup(v) : NULL;
}

/* Fill s's row from a state/journal row; false when it does not fit. */
static bool row_from_json(sub *s, json_t *j)
{
    sub_clear_row(s);
    s->originality = json_number_value(json_object_get(j, "originality"));
    s->borrowed = json_number_value(json_object_get(j, "borrowed"));
    s->cited = json_number_value(json_object_get(j, "cited"));
    s->excluded = json_number_value(json_object_get(j, "excluded"));
    s->band_value = json_number_value(json_object_get(j, "band_value"));
    s->top_percent = json_number_value(json_object_get(j, "top_source_percent"));
    s->band_index = (unsigned)json_integer_value(json_object_get(j, "band_index"));
    s->borderline = json_is_true(json_object_get(j, "borderline"));
    s->band = jdup(j, "band");
    s->top_source = jdup(j, "top_source");
    json_t *p = json_object_get(j, "peers");
    size_t np = json_array_size(p);
    if (np) {
        s->peers = calloc(np, sizeof *s->peers);
        if (!s->peers)
            return false;
        for (size_t k = 0; k < np; k++) {
            json_t *x = json_array_get(p, k);
            s->peers[k].student = jdup(x, "student");
            s->peers[k].file = jdup(x, "file");
            s->peers[k].percent = json_number_value(json_object_get(x, "percent"));
            s->npeers++;
            if (!s->peers[k].student || !s->peers[k].file)
                return false;
        }
    }
    s->have_row = s->band != NULL;
    return s->have_row;
}

/* ---- keys: what the reports depend on beside the submission's own content --------------- */

static void make_keys(batch *b)
{
    XXH3_state_t *st = XXH3_createState();
    char buf[512];
    if (!st) {
        memcpy(b->options_key, "0000000000000000", 17);
        return;
    }
    XXH3_64bits_reset(st);
    int n = snprintf(buf, sizeof buf, "v%d fold %d k %d w %d policy %d %.6f hdr %d min %u %u %u db %d\n",
                     STATE_VERSION, ADAL_FOLD_VERSION, ADAL_K, ADAL_W,
                     b->policy.band_on_original, b->policy.borderline_margin,
                     b->co.count_headers, b->co.min_tokens, b->co.min_letters, b->co.max_sources,
                     b->o->db_path != NULL);
    XXH3_64bits_update(st, buf, (size_t)n);
    for (unsigned i = 0; i < b->policy.nbands; i++) {
        n = snprintf(buf, sizeof buf, "%.6f %s\n", b->policy.bands[i].min,
                     b->policy.bands[i].range ? b->policy.bands[i].range : "");
        XXH3_64bits_update(st, buf, (size_t)n);
    }
    if (b->tmpl) {
        size_t len;
        const char *t = adal_doc_text(b->tmpl, &len);
        XXH3_64bits_update(st, "template", 8);
        XXH3_64bits_update(st, t, len);
    }
    /* the --against references (added to the set after the submissions), by id and text */
    for (size_t i = b->nstudents; i < adal_refset_count(b->rs); i++) {
        size_t len;
        const char *id = adal_refset_id(b->rs, i);
        const char *t = adal_doc_text(adal_refset_doc(b->rs, i), &len);
        XXH3_64bits_update(st, id, strlen(id) + 1);
        XXH3_64bits_update(st, t, len);
    }
    snprintf(b->options_key, sizeof b->options_key, "%016llx",
             (unsigned long long)XXH3_64bits_digest(st));
    XXH3_freeState(st);
}

/* ---- what to re-check ---------------------------------------------------------------------- */

static sub *find_current(batch *b, const char *student)
{
    size_t lo = 0, hi = b->n;
    while (lo < hi) { /* subs are sorted by student */
        size_t mid = (lo + hi) / 2;
        int k = strcmp(b->s[mid].student, student);
        if (k < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < b->n && strcmp(b->s[i].student, student) == 0; i++)
        if (b->s[i].current)
            return &b->s[i];
    return NULL;
}

static sub *find_rel(batch *b, const char *student, const char *rel)
{
    sub *s = find_current(b, student);
    return s && strcmp(s->rel, rel) == 0 ? s : NULL;
}

/* OUT/reports/<student>/<file>.html beside the .json report. */
static char *html_path(const batch *b, const char *report_rel)
{
    char *p = join(b->o->out_dir, report_rel);
    size_t n = p ? strlen(p) : 0;
    if (!p || n < 5 || strcmp(p + n - 5, ".json") != 0) {
        adal__free(p);
        return NULL;
    }
    char *h = adal__malloc(n + 1);
    if (h) {
        memcpy(h, p, n - 5);
        memcpy(h + n - 5, ".html", 6);
    }
    adal__free(p);
    return h;
}

static bool report_exists(const batch *b, const char *report_rel)
{
    char *p = join(b->o->out_dir, report_rel), *h = html_path(b, report_rel);
    struct stat st;
    bool ok = p && h && stat(p, &st) == 0 && S_ISREG(st.st_mode) && stat(h, &st) == 0 &&
              S_ISREG(st.st_mode);
    adal__free(p);
    adal__free(h);
    return ok;
}

/* The distinct fingerprint hashes of a document, sorted. */
static int distinct_fps(const adal_doc *d, uint64_t **out, size_t *n)
{
    const adal_fp *f = adal_doc_fps(d);
    size_t nf = adal_doc_nfps(d), w = 0;
    uint64_t *h = adal__malloc((nf + 1) * sizeof *h);
    if (!h)
        return ADAL_ENOMEM;
    for (size_t k = 0; k < nf; k++)
        h[k] = f[k].hash;
    if (nf)
        qsort(h, nf, sizeof *h, adal__u64_cmp);
    for (size_t k = 0; k < nf; k++)
        if (!w || h[w - 1] != h[k])
            h[w++] = h[k];
    *out = h;
    *n = w;
    return ADAL_OK;
}

/* The last run's fingerprints per submission (OUT/.adal-batch-fps), so a rerun can tell what
 * a changed submission gained or lost: records of (file, content hash, distinct sorted
 * hashes), little-endian as the machine writes them (the file is local state). */
typedef struct oldfp {
    char *rel;
    char hash[33];
    uint64_t *h;
    uint32_t n;
} oldfp;

static void oldfps_free(oldfp *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        adal__free(v[i].rel);
        adal__free(v[i].h);
    }
    adal__free(v);
}

static oldfp *oldfps_read(const char *path, size_t *nout)
{
    FILE *f = fopen(path, "rb");
    oldfp *v = NULL;
    size_t n = 0, cap = 0;
    char magic[8];
    *nout = 0;
    if (!f)
        return NULL;
    if (fread(magic, 1, 8, f) != 8 || memcmp(magic, FPS_MAGIC, 8) != 0)
        goto bad;
    for (;;) {
        uint32_t rl, nh;
        if (fread(&rl, 4, 1, f) != 1)
            break; /* end */
        if (rl > 65536 || adal__grow((void **)&v, &cap, n + 1, sizeof *v))
            goto bad;
        oldfp *o = &v[n];
        memset(o, 0, sizeof *o);
        o->rel = adal__malloc(rl + 1);
        if (!o->rel || fread(o->rel, 1, rl, f) != rl || fread(o->hash, 1, 32, f) != 32 ||
            fread(&nh, 4, 1, f) != 1 || nh > (1u << 26)) {
            adal__free(o->rel);
            goto bad;
        }
        o->rel[rl] = 0;
        o->hash[32] = 0;
        o->h = adal__malloc(((size_t)nh + 1) * sizeof *o->h);
        if (!o->h || fread(o->h, sizeof *o->h, nh, f) != nh) {
            adal__free(o->rel);
            adal__free(o->h);
            goto bad;
        }
        o->n = nh;
        n++;
    }
    fclose(f);
    *nout = n;
    return v;
bad:
    fclose(f);
    oldfps_free(v, n);
    return NULL;
}

static int oldfps_write(batch *b, const char *dst)
{
    afile a;
    int rc = afile_open(b->ctx, &a, dst), bad = 0;
    if (rc)
        return rc;
    bad |= fwrite(FPS_MAGIC, 1, 8, a.f) != 8;
    for (size_t i = 0; i < b->n && !bad && rc == ADAL_OK; i++) {
        const sub *s = &b->s[i];
        if (s->rs == SIZE_MAX)
            continue;
        uint64_t *h = NULL;
        size_t nh = 0;
        if (distinct_fps(s->doc, &h, &nh)) {
            rc = adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
            break;
        }
        uint32_t rl = (uint32_t)strlen(s->rel), n32 = (uint32_t)nh;
        bad |= fwrite(&rl, 4, 1, a.f) != 1 || fwrite(s->rel, 1, rl, a.f) != rl ||
               fwrite(s->hash, 1, 32, a.f) != 32 || fwrite(&n32, 4, 1, a.f) != 1 ||
               fwrite(h, sizeof *h, nh, a.f) != nh;
        adal__free(h);
    }
    if (bad && rc == ADAL_OK)
        rc = adal__err(b->ctx, ADAL_EIO, "%s: cannot write", dst);
    return afile_commit(b->ctx, &a, dst, rc);
}

static const oldfp *oldfps_find(const oldfp *v, size_t n, const char *rel)
{
    for (size_t i = 0; i < n; i++) /* in the order written: by student, then file */
        if (strcmp(v[i].rel, rel) == 0)
            return &v[i];
    return NULL;
}

/* A row of the last run's state or of a killed run's journal, matched against this run: the
 * submission it names (NULL when a field is missing or this run has no such student and file)
 * with *hash the content hash the row was computed from, and *holds whether the row's result
 * still applies: same content and exclusions, and its report still on disk. */
static sub *match_row(batch *b, json_t *r, const char **hash, bool *holds)
{
    const char *st = json_string_value(json_object_get(r, "student"));
    const char *file = json_string_value(json_object_get(r, "file"));
    const char *rep = json_string_value(json_object_get(r, "report"));
    const char *ek = json_string_value(json_object_get(r, "excl_key"));
    *hash = json_string_value(json_object_get(r, "hash"));
    *holds = false;
    if (!st || !file || !*hash || !rep || !ek)
        return NULL;
    sub *s = find_rel(b, st, file);
    *holds = s && s->rs != SIZE_MAX && strcmp(s->hash, *hash) == 0 &&
             strcmp(s->excl_key, ek) == 0 && report_exists(b, rep);
    return s;
}

/* Unchanged: same content, same options and cohort template, report on disk, and no new,
 * changed or removed submission that shares a (non-template) fingerprint with it or was
 * one of its sources. */
static int plan(batch *b, json_t *state, json_t *journal_rows, const oldfp *old, size_t nold)
{
    json_t *rows = NULL;
    bool state_ok = false;
    uint64_t *chg = NULL;
    size_t nchg = 0, cap = 0;
    int rc = ADAL_OK;

    if (state && !b->o->force) {
        const char *ok = json_string_value(json_object_get(state, "options_key"));
        state_ok = ok && strcmp(ok, b->options_key) == 0;
        rows = json_object_get(state, "rows");
    }
    /* candidates for "unchanged" */
    bool *cand = adal__calloc(b->n + 1, sizeof *cand);
    if (!cand)
        return adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    if (state_ok) {
        size_t ix;
        json_t *r;
        json_array_foreach(rows, ix, r)
        {
            const char *hash;
            bool holds;
            sub *s = match_row(b, r, &hash, &holds);
            if (s && strlen(hash) == 32)
                memcpy(s->old_hash, hash, 33);
            if (!holds || !row_from_json(s, r))
                continue;
            cand[s - b->s] = true;
        }
    }
    /* fingerprints of what changed: all of a new submission's; for a changed one, those it
     * gained or lost since the version the kept reports were computed against */
    for (size_t i = 0; i < b->n; i++) {
        sub *s = &b->s[i];
        if (s->rs == SIZE_MAX || cand[i])
            continue;
        uint64_t *h = NULL;
        size_t nh = 0;
        const oldfp *o = s->old_hash[0] ? oldfps_find(old, nold, s->rel) : NULL;
        if (o && strcmp(o->hash, s->old_hash) != 0)
            o = NULL;
        if (distinct_fps(s->doc, &h, &nh) ||
            adal__grow((void **)&chg, &cap, nchg + nh + (o ? o->n : 0) + 1, sizeof *chg)) {
            adal__free(h);
            rc = adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
            goto out;
        }
        size_t x = 0, y = 0, on = o ? o->n : 0;
        while (x < nh || y < on) { /* symmetric difference of two sorted sets */
            uint64_t v;
            if (y >= on || (x < nh && h[x] < o->h[y]))
                v = h[x++];
            else if (x >= nh || o->h[y] < h[x])
                v = o->h[y++];
            else {
                x++, y++;
                continue;
            }
            if (!is_cohort_common(b, v))
                chg[nchg++] = v;
        }
        adal__free(h);
    }
    if (nchg)
        qsort(chg, nchg, sizeof *chg, adal__u64_cmp);
    for (size_t i = 0; i < b->n; i++) {
        sub *s = &b->s[i];
        if (!cand[i])
            continue;
        bool again = false;
        for (size_t k = 0; k < s->npeers && !again; k++) {
            sub *p = find_rel(b, s->peers[k].student, s->peers[k].file);
            if (!p || !cand[p - b->s])
                again = true; /* a source changed or left */
        }
        const adal_fp *f = adal_doc_fps(s->doc);
        size_t nf = adal_doc_nfps(s->doc);
        for (size_t k = 0; k < nf && !again && nchg; k++)
            if (bsearch(&f[k].hash, chg, nchg, sizeof *chg, adal__u64_cmp))
                again = true;
        if (!again)
            s->status = ADAL_BATCH_UNCHANGED;
        else
            sub_clear_row(s);
    }
    /* a killed run's finished checks (same keys and content, report on disk) */
    size_t ix;
    json_t *r;
    json_array_foreach(journal_rows, ix, r)
    {
        const char *hash;
        bool holds;
        sub *s = match_row(b, r, &hash, &holds);
        if (!holds || s->status != ADAL_BATCH_CHECKED || b->o->force)
            continue;
        if (!row_from_json(s, r))
            sub_clear_row(s);
    }
    for (size_t i = 0; i < b->n; i++) {
        sub *s = &b->s[i];
        s->todo = s->rs != SIZE_MAX && s->status == ADAL_BATCH_CHECKED && !s->have_row;
        if (s->todo)
            b->total++;
    }
out:
    adal__free(cand);
    adal__free(chg);
    return rc;
}

/* ---- checking on threads --------------------------------------------------------------- */

static int str_cmp(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

typedef struct skip_arg {
    const batch *b;
} skip_arg;

/* The stored submissions of a student of this course are not sources: their current version
 * is in the reference set (yesterday's copy would be the same text twice, and a rerun after a
 * kill would differ from an uninterrupted run), and a student's own older versions are never
 * compared with the current one. A stored text equal to the query but of another student, or
 * a source handed in as it is, stays: that is the evidence. */
static int skip_stored(const adal_store_entry *e, void *arg)
{
    const batch *b = ((const skip_arg *)arg)->b;
    if (e->kind != ADAL_KIND_SUBMISSION || !e->student || !*e->student)
        return 0;
    return bsearch(&e->student, b->students, b->nstudents, sizeof *b->students, str_cmp) != NULL;
}

/* A failed run's message names its file first; the store's own messages do not (`adal
 * corpus` puts the store's path before them itself), so a store failure gets it here:
 * "PATH/adal.db: cannot write the corpus store: ...", not the course folder. */
static int store_fail(adal_ctx *ctx, const char *db, int rc)
{
    char m[ADAL_ERRMSG_MAX];
    snprintf(m, sizeof m, "%s", adal_errmsg(ctx));
    return adal__err(ctx, rc, "%s: %s", db, m);
}

static int add_store_sources(const batch *b, adal_store *st, adal_ctx *ctx, adal_report *r,
                             adal_doc *q)
{
    size_t max = b->co.max_sources ? b->co.max_sources : 50, n = 0;
    int64_t *ids = adal__calloc(max + 1, sizeof *ids);
    skip_arg sa = {b};
    int rc;
    if (!ids)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    rc = adal_store_candidates(st, ctx, q, max, skip_stored, &sa, ids, &n);
    if (rc)
        rc = store_fail(ctx, b->o->db_path, rc);
    for (size_t k = 0; k < n && rc == ADAL_OK; k++) {
        adal_doc *d = NULL;
        if ((rc = adal_store_load(st, ctx, ids[k], &d)) != ADAL_OK)
            rc = store_fail(ctx, b->o->db_path, rc);
        if (rc == ADAL_OK)
            rc = adal_report_adopt(r, d);
        if (rc == ADAL_OK)
            rc = adal__report_add_source(r, ctx, d, adal_doc_name(d), cohort_common_fn, b);
    }
    adal__free(ids);
    return rc;
}

static int report_path(batch *b, sub *s)
{
    char *st = adal_batch_safe_name(s->student);
    const char *base = strrchr(s->rel, '/');
    char *fn = adal_batch_safe_name(base ? base + 1 : s->rel);
    adal__buf p;
    adal__buf_init(&p, 0);
    int rc = ADAL_OK;
    if (!st || !fn || adal__buf_addf(&p, "reports/%s/%s.json", st, fn))
        rc = adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    else
        s->report_rel = adal__buf_take(&p, NULL);
    adal__buf_free(&p);
    free(st);
    free(fn);
    return rc;
}

static int row_from_report(batch *b, sub *s, const adal_report *r)
{
    adal_score sc;
    const char *metric;
    adal_report_score(r, &sc);
    sub_clear_row(s);
    s->originality = adal__round1(sc.originality);
    s->borrowed = adal__round1(sc.borrowed);
    s->cited = adal__round1(sc.cited);
    s->excluded = adal__round1(sc.excluded);
    s->band_value = adal__round1(adal__band_value(&sc, &b->policy, &metric));
    s->band_index = sc.band;
    s->borderline = sc.borderline;
    s->band = strdup(sc.band_info && sc.band_info->label_en ? sc.band_info->label_en : "");
    size_t ns = adal_report_nsources(r);
    if (ns) {
        const adal_source_result *top = adal_report_source(r, 0);
        s->top_source = strdup(top->id ? top->id : "");
        s->top_percent = adal__round1(top->percent);
        if (!s->top_source)
            return ADAL_ENOMEM;
    }
    if (!s->band)
        return ADAL_ENOMEM;
    s->peers = calloc(ns + 1, sizeof *s->peers);
    if (!s->peers)
        return ADAL_ENOMEM;
    for (size_t k = 0; k < ns; k++) {
        const adal_source_result *src = adal_report_source(r, k);
        /* a source that is another submission of this batch: its refset document */
        for (size_t i = 0; i < b->n; i++) {
            sub *o = &b->s[i];
            if (o->rs == SIZE_MAX || (const adal_doc *)o->doc != src->doc)
                continue;
            peer *p = &s->peers[s->npeers];
            p->student = strdup(o->student);
            p->file = strdup(o->rel);
            p->percent = adal__round1(src->percent);
            if (!p->student || !p->file) {
                free(p->student);
                free(p->file);
                return ADAL_ENOMEM;
            }
            s->npeers++;
            break;
        }
    }
    s->have_row = true;
    return ADAL_OK;
}

/* Check one submission and write its reports; *in_store says a failure was the store's. */
static int check_one(batch *b, adal_ctx *ctx, void *store, sub *s, bool *in_store)
{
    adal_report *r = NULL;
    adal_write_opts wo = ADAL_WRITE_OPTS_INIT;
    afile a = {NULL, NULL};
    char *dst = NULL;
    int rc = adal_report_new(&r, ctx, s->doc, &b->co);
    if (rc == ADAL_OK)
        rc = adal__refset_add_sources(r, ctx, b->rs, s->doc, &b->co, &s->rs, 1,
                                      b->ncommon ? cohort_common_fn : NULL, b);
    if (rc == ADAL_OK && store) {
        rc = add_store_sources(b, store, ctx, r, s->doc);
        *in_store = rc != ADAL_OK;
    }
    if (rc == ADAL_OK)
        rc = exclude_cohort(b, r, s->doc);
    if (rc == ADAL_OK)
        rc = adal_report_finish(r, ctx);
    if (rc == ADAL_OK && !(dst = join(b->o->out_dir, s->report_rel)))
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
    if (rc == ADAL_OK)
        rc = afile_open(ctx, &a, dst);
    if (rc == ADAL_OK) {
        wo.policy = &b->policy;
        wo.file = s->path;
        wo.lang = b->o->views ? b->o->views->lang : adal_lang_default();
        wo.student = s->student;
        rc = adal_report_write(r, ctx, ADAL_OUT_JSON, a.f, &wo);
        rc = afile_commit(ctx, &a, dst, rc);
    }
    adal__free(dst);
    dst = NULL;
    /* the same report as a page for the grader (reports/<student>/<file>.html) */
    if (rc == ADAL_OK && !(dst = html_path(b, s->report_rel)))
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
    if (rc == ADAL_OK)
        rc = afile_open(ctx, &a, dst);
    if (rc == ADAL_OK) {
        rc = adal_report_write(r, ctx, ADAL_OUT_HTML, a.f, &wo);
        rc = afile_commit(ctx, &a, dst, rc);
    }
    if (rc == ADAL_OK && row_from_report(b, s, r) != ADAL_OK)
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
    adal__free(dst);
    adal_report_free(r);
    return rc;
}

static void *check_worker(void *arg)
{
    batch *b = arg;
    adal_ctx *ctx = NULL;
    void *store = NULL;
    int rc = adal_ctx_new(&ctx);
    if (rc == ADAL_OK && b->o->db_path) {
        adal_store *st = NULL;
        if ((rc = adal_store_open(&st, ctx, b->o->db_path, ADAL_STORE_READONLY)) != ADAL_OK)
            rc = store_fail(ctx, b->o->db_path, rc);
        store = st;
    }
    if (rc != ADAL_OK) {
        pthread_mutex_lock(&b->mu);
        if (!b->fatal) {
            b->fatal = rc;
            snprintf(b->fatal_msg, sizeof b->fatal_msg, "%s", ctx ? adal_errmsg(ctx) : "");
        }
        pthread_mutex_unlock(&b->mu);
        goto out;
    }
    for (;;) {
        size_t i = SIZE_MAX;
        pthread_mutex_lock(&b->mu);
        while (!b->fatal && b->next < b->n && i == SIZE_MAX) {
            if (b->s[b->next].todo)
                i = b->next;
            b->next++;
        }
        pthread_mutex_unlock(&b->mu);
        if (i == SIZE_MAX)
            break;
        sub *s = &b->s[i];
        bool in_store = false;
        rc = check_one(b, ctx, store, s, &in_store);
        pthread_mutex_lock(&b->mu);
        if (rc == ADAL_OK) {
            if (b->journal) {
                json_t *j = row_state_json(s);
                if (j) {
                    json_object_set_new(j, "options_key", json_string(b->options_key));
                }
                char *line = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
                if (line) {
                    /* one write per line: a kill leaves at most one partial last line */
                    size_t len = strlen(line);
                    line[len] = '\n';
                    if (fwrite(line, 1, len + 1, b->journal) == len + 1)
                        fflush(b->journal);
                }
                free(line);
                json_decref(j);
            }
        } else if (rc == ADAL_ENOMEM || rc == ADAL_EIO || rc == ADAL_ESTORE || rc == ADAL_EBUSY ||
                   rc == ADAL_EVERSION) {
            if (!b->fatal) { /* the store's message names the store, any other the file */
                b->fatal = rc;
                snprintf(b->fatal_msg, sizeof b->fatal_msg, "%s%s%s", in_store ? "" : s->rel,
                         in_store ? "" : ": ", adal_errmsg(ctx));
            }
        } else {
            s->status = ADAL_BATCH_FAILED;
            s->err = rc;
            s->msg = adal__strdup(adal_errmsg(ctx));
        }
        b->done++;
        progress(b, "check", s, b->done, b->total);
        pthread_mutex_unlock(&b->mu);
    }
out:
    adal_store_close(store);
    adal_ctx_free(ctx);
    return NULL;
}

/* ---- clusters ---------------------------------------------------------------------------- */

static size_t uf_find(size_t *par, size_t x)
{
    while (par[x] != x)
        x = par[x] = par[par[x]];
    return x;
}

static int clusters(batch *b, json_t **out, size_t *ncl)
{
    size_t *par = adal__malloc((b->n + 1) * sizeof *par);
    long *id = adal__malloc((b->n + 1) * sizeof *id);
    json_t *arr = json_array();
    int rc = ADAL_OK;
    *ncl = 0;
    if (!par || !id || !arr) {
        rc = adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < b->n; i++)
        par[i] = i, id[i] = 0;
    for (size_t i = 0; i < b->n; i++) {
        sub *s = &b->s[i];
        if (!s->have_row)
            continue;
        for (size_t k = 0; k < s->npeers; k++) {
            sub *p = find_rel(b, s->peers[k].student, s->peers[k].file);
            if (!p || !p->have_row || s->peers[k].percent < ADAL_BATCH_CLUSTER_PERCENT)
                continue;
            size_t x = uf_find(par, i), y = uf_find(par, (size_t)(p - b->s));
            if (x != y)
                par[x > y ? x : y] = x < y ? x : y;
        }
    }
    /* number the components of two or more students in the order of their first member */
    size_t *size = adal__calloc(b->n + 1, sizeof *size);
    if (!size) {
        rc = adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < b->n; i++)
        if (b->s[i].have_row)
            size[uf_find(par, i)]++;
    long next = 1;
    for (size_t i = 0; i < b->n; i++) {
        if (!b->s[i].have_row)
            continue;
        size_t root = uf_find(par, i);
        if (size[root] < 2)
            continue;
        if (!id[root])
            id[root] = next++;
        b->s[i].cluster = id[root];
    }
    adal__free(size);
    for (long c = 1; c < next; c++) {
        json_t *o = json_object(), *st = json_array(), *pairs = json_array();
        for (size_t i = 0; i < b->n; i++) {
            sub *s = &b->s[i];
            if (s->cluster != c)
                continue;
            json_array_append_new(st, json_string(s->student));
            for (size_t k = 0; k < s->npeers; k++) {
                sub *p = find_rel(b, s->peers[k].student, s->peers[k].file);
                if (!p || p->cluster != c || s->peers[k].percent < ADAL_BATCH_CLUSTER_PERCENT)
                    continue;
                json_t *x = json_object();
                json_object_set_new(x, "a", json_string(s->student));
                json_object_set_new(x, "b", json_string(p->student));
                json_object_set_new(x, "percent", jreal1(s->peers[k].percent));
                json_array_append_new(pairs, x);
            }
        }
        json_object_set_new(o, "id", json_integer(c));
        json_object_set_new(o, "students", st);
        json_object_set_new(o, "pairs", pairs);
        json_array_append_new(arr, o);
    }
    *ncl = (size_t)(next - 1);
    *out = arr;
    arr = NULL;
out:
    json_decref(arr);
    adal__free(par);
    adal__free(id);
    return rc;
}

/* ---- outputs ----------------------------------------------------------------------------- */

static json_t *policy_json(const adal_policy *p)
{
    json_t *j = json_object(), *bands = json_array();
    json_object_set_new(j, "metric", json_string(p->band_on_original ? "originality"
                                                                     : "100-borrowed"));
    json_object_set_new(j, "borderline_margin", json_real(p->borderline_margin));
    for (unsigned i = 0; i < p->nbands; i++) {
        const adal_band *bd = &p->bands[i];
        json_t *x = json_object();
        json_object_set_new(x, "min", json_real(bd->min));
        json_object_set_new(x, "range", bd->range ? json_string(bd->range) : json_null());
        json_object_set_new(x, "label_kk", bd->label_kk ? json_string(bd->label_kk) : json_null());
        json_object_set_new(x, "label_ru", bd->label_ru ? json_string(bd->label_ru) : json_null());
        json_object_set_new(x, "label_en", bd->label_en ? json_string(bd->label_en) : json_null());
        json_array_append_new(bands, x);
    }
    json_object_set_new(j, "bands", bands);
    return j;
}

static json_t *num_or_null(bool have, double v)
{
    return have ? jreal1(v) : json_null();
}

static json_t *summary_row(const sub *s)
{
    json_t *j = json_object();
    bool h = s->have_row;
    json_object_set_new(j, "student", json_string(s->student));
    json_object_set_new(j, "file", json_string(s->rel));
    json_object_set_new(j, "report", h && s->report_rel ? json_string(s->report_rel) : json_null());
    json_object_set_new(j, "status", json_string(adal_batch_status_name(s->status)));
    json_object_set_new(j, "originality", num_or_null(h, s->originality));
    json_object_set_new(j, "borrowed", num_or_null(h, s->borrowed));
    json_object_set_new(j, "cited", num_or_null(h, s->cited));
    json_object_set_new(j, "excluded", num_or_null(h, s->excluded));
    json_object_set_new(j, "band", h ? json_string(s->band) : json_null());
    json_object_set_new(j, "band_index", h ? json_integer(s->band_index) : json_null());
    json_object_set_new(j, "borderline", h ? json_boolean(s->borderline) : json_null());
    json_object_set_new(j, "top_source", h && s->top_source ? json_string(s->top_source)
                                                            : json_null());
    json_object_set_new(j, "top_source_percent", h && s->top_source ? jreal1(s->top_percent)
                                                                    : json_null());
    json_object_set_new(j, "cluster", s->cluster > 0 ? json_integer(s->cluster) : json_null());
    if (s->status == ADAL_BATCH_FAILED) {
        json_t *e = json_object();
        json_object_set_new(e, "code", json_string(adal_errcode(s->err)));
        json_object_set_new(e, "message", json_string(s->msg ? s->msg : adal_strerror(s->err)));
        json_object_set_new(j, "error", e);
    } else
        json_object_set_new(j, "error", json_null());
    return j;
}

static int csv_num(FILE *f, bool have, double v)
{
    return have ? (fprintf(f, "%.1f,", adal__round1(v)) < 0) : (fputc(',', f) == EOF);
}

static int write_csv(batch *b, const char *dst)
{
    afile a;
    int rc = afile_open(b->ctx, &a, dst), bad = 0;
    if (rc)
        return rc;
    FILE *f = a.f;
    bad |= fputs("student,file,originality,borrowed,cited,band,borderline,top_source,cluster,"
                 "error\n",
                 f) == EOF;
    for (size_t i = 0; i < b->n && !bad; i++) {
        const sub *s = &b->s[i];
        bool h = s->have_row;
        bad |= adal_write_csv_cell(f, s->student, strlen(s->student), ',') != ADAL_OK;
        bad |= fputc(',', f) == EOF;
        bad |= adal_write_csv_cell(f, s->rel, strlen(s->rel), ',') != ADAL_OK;
        bad |= fputc(',', f) == EOF;
        bad |= csv_num(f, h, s->originality);
        bad |= csv_num(f, h, s->borrowed);
        bad |= csv_num(f, h, s->cited);
        if (h)
            bad |= adal_write_csv_cell(f, s->band, strlen(s->band), ',') != ADAL_OK;
        bad |= fputc(',', f) == EOF;
        if (h)
            bad |= fputs(s->borderline ? "true" : "false", f) == EOF;
        bad |= fputc(',', f) == EOF;
        if (h && s->top_source)
            bad |= adal_write_csv_cell(f, s->top_source, strlen(s->top_source), ',') != ADAL_OK;
        bad |= fputc(',', f) == EOF;
        if (s->cluster > 0)
            bad |= fprintf(f, "%ld", s->cluster) < 0;
        bad |= fputc(',', f) == EOF;
        if (s->status == ADAL_BATCH_FAILED) {
            adal__buf e;
            adal__buf_init(&e, 0);
            if (adal__buf_addf(&e, "%s: %s", adal_errcode(s->err),
                               s->msg ? s->msg : adal_strerror(s->err)) == ADAL_OK)
                bad |= adal_write_csv_cell(f, e.data, e.len, ',') != ADAL_OK;
            adal__buf_free(&e);
        }
        bad |= fputc('\n', f) == EOF;
    }
    if (bad)
        rc = adal__err(b->ctx, ADAL_EIO, "%s: cannot write", dst);
    return afile_commit(b->ctx, &a, dst, rc);
}

static int write_outputs(batch *b, adal_batch_result *res)
{
    json_t *cl = NULL, *top = NULL, *rows = NULL, *state = NULL, *srows = NULL;
    char *p = NULL;
    int rc = clusters(b, &cl, &res->clusters);
    if (rc)
        return rc;
    double sum = 0;
    size_t nsum = 0;
    for (size_t i = 0; i < b->n; i++) {
        const sub *s = &b->s[i];
        res->checked += s->status == ADAL_BATCH_CHECKED;
        res->unchanged += s->status == ADAL_BATCH_UNCHANGED;
        res->failed += s->status == ADAL_BATCH_FAILED;
        res->superseded += s->status == ADAL_BATCH_SUPERSEDED;
        if (s->have_row) {
            sum += s->excluded;
            nsum++;
            if (s->band_value < b->o->min_value)
                res->below++;
        }
    }
    res->submissions = b->n;
    res->common_fps = b->ncommon;
    res->excluded_percent_mean = nsum ? adal__round1(sum / (double)nsum) : 0;

    top = json_object();
    rows = json_array();
    srows = json_array();
    state = json_object();
    if (!top || !rows || !srows || !state) {
        rc = adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    json_object_set_new(top, "format_version", json_integer(1));
    json_object_set_new(top, "tool", json_string("adal " ADAL_VERSION));
    json_object_set_new(top, "course", json_string(b->course));
    json_object_set_new(top, "policy", policy_json(&b->policy));
    json_t *t = json_object();
    json_object_set_new(t, "min_share", json_real(b->o->common_share > 0 ? b->o->common_share
                                                                         : ADAL_BATCH_COMMON_SHARE));
    json_object_set_new(t, "min_students", json_integer(b->o->common_min ? b->o->common_min
                                                                         : ADAL_BATCH_COMMON_MIN));
    json_object_set_new(t, "excluded_percent_mean", json_real(res->excluded_percent_mean));
    json_object_set_new(top, "template", t);
    json_t *c = json_object();
    json_object_set_new(c, "submissions", json_integer((json_int_t)b->n));
    json_object_set_new(c, "checked", json_integer((json_int_t)res->checked));
    json_object_set_new(c, "unchanged", json_integer((json_int_t)res->unchanged));
    json_object_set_new(c, "failed", json_integer((json_int_t)res->failed));
    json_object_set_new(top, "counts", c);
    for (size_t i = 0; i < b->n; i++) {
        json_array_append_new(rows, summary_row(&b->s[i]));
        if (b->s[i].have_row)
            json_array_append_new(srows, row_state_json(&b->s[i]));
    }
    json_object_set_new(top, "submissions", rows);
    rows = NULL;
    json_object_set_new(top, "clusters", cl);
    cl = NULL;

    if (!(p = join(b->o->out_dir, "summary.json"))) {
        rc = adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    rc = write_json_file(b->ctx, p, top, JSON_INDENT(2));
    adal__free(p);
    if (rc == ADAL_OK && (p = join(b->o->out_dir, "summary.csv")))
        rc = write_csv(b, p);
    else if (rc == ADAL_OK)
        rc = adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    adal__free(p);
    p = NULL;
    /* the grader's views from summary.json: index.html, and summary.csv again, Excel-ready
     * (batch_views.c) */
    if (rc == ADAL_OK)
        rc = adal_batch_views_write(b->ctx, b->o->out_dir, b->o->views);
    if (rc)
        goto out;
    if (!(p = join(b->o->out_dir, FPS_NAME))) {
        rc = adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = oldfps_write(b, p)))
        goto out;
    adal__free(p);
    p = NULL;
    json_object_set_new(state, "format_version", json_integer(STATE_VERSION));
    json_object_set_new(state, "options_key", json_string(b->options_key));
    json_object_set_new(state, "rows", srows);
    srows = NULL;
    if (!(p = join(b->o->out_dir, STATE_NAME))) {
        rc = adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    rc = write_json_file(b->ctx, p, state, JSON_COMPACT | JSON_REAL_PRECISION(17));
out:
    adal__free(p);
    json_decref(cl);
    json_decref(top);
    json_decref(rows);
    json_decref(srows);
    json_decref(state);
    return rc;
}

/* ---- the store: the submissions join the corpus after the run ----------------------------- */

static int add_to_store(batch *b, adal_batch_result *res)
{
    adal_store *st = NULL;
    int rc = adal_store_open(&st, b->ctx, b->o->db_path, ADAL_STORE_CREATE);
    if (rc)
        return store_fail(b->ctx, b->o->db_path, rc);
    /* ADD_CHUNK adds per transaction: one commit (one WAL sync) per add cost ~14 ms each,
     * most of a 1,000-essay batch; a chunk keeps the write lock short enough for a
     * `corpus add` running beside the batch (readers never wait in WAL). A kill undoes at
     * most the open chunk, and the rerun adds it again (adds are idempotent by hash). */
    size_t in_txn = 0;
    for (size_t i = 0; i < b->n && rc == ADAL_OK; i++) {
        sub *s = &b->s[i];
        if (s->rs == SIZE_MAX)
            continue;
        if (in_txn == 0 && (rc = adal_store_begin(st, b->ctx)))
            break;
        int64_t id;
        int added;
        int r = adal_store_add(st, b->ctx, s->doc, ADAL_KIND_SUBMISSION, b->course, s->student,
                               &id, &added);
        if (r == ADAL_ENOMEM || r == ADAL_ESTORE || r == ADAL_EBUSY || r == ADAL_EVERSION ||
            r == ADAL_EIO)
            rc = r;
        else if (r != ADAL_OK)
            res->store_errors++;
        if (rc == ADAL_OK && ++in_txn == ADD_CHUNK) {
            rc = adal_store_commit(st, b->ctx);
            in_txn = 0;
        }
    }
    if (rc == ADAL_OK && in_txn)
        rc = adal_store_commit(st, b->ctx);
    adal_store_close(st); /* without a commit: the open chunk is rolled back */
    return rc ? store_fail(b->ctx, b->o->db_path, rc) : ADAL_OK;
}

/* ---- the run ----------------------------------------------------------------------------- */

static json_t *read_journal(const char *path)
{
    FILE *f = fopen(path, "r");
    json_t *rows = json_array();
    char *line = NULL;
    size_t cap = 0;
    if (!f || !rows)
        goto out;
    while (getline(&line, &cap, f) > 0) {
        json_t *j = json_loads(line, 0, NULL); /* a partial last line does not parse */
        if (j && json_is_object(j))
            json_array_append_new(rows, j);
        else
            json_decref(j);
    }
out:
    if (f)
        fclose(f);
    free(line);
    return rows;
}

int adal_batch_run(adal_ctx *ctx, const char *course, const adal_batch_opts *opts,
                   adal_batch_result *res)
{
    batch b;
    json_t *state = NULL, *jrows = NULL, *jmeta = NULL;
    char *state_path = NULL, *journal_path = NULL;
    int rc = ADAL_OK;
    memset(&b, 0, sizeof b);
    memset(res, 0, sizeof *res);
    adal__err_clear(ctx);
    if (!opts || opts->version != ADAL_BATCH_OPTS_VERSION || !opts->out_dir || !course)
        return adal__err(ctx, ADAL_EINVAL, "batch options missing or of another version");
    b.ctx = ctx;
    b.course = course;
    b.o = opts;
    pthread_mutex_init(&b.mu, NULL);
    if (opts->policy)
        b.policy = *opts->policy;
    else
        adal_policy_default(&b.policy);
    b.co = (adal_check_opts)ADAL_CHECK_OPTS_INIT;
    b.co.policy = &b.policy;
    b.lo = (adal_load_opts)ADAL_LOAD_OPTS_INIT;
    if (opts->load)
        b.lo = *opts->load;

    struct stat cst;
    if (stat(course, &cst) != 0 || !S_ISDIR(cst.st_mode)) {
        rc = adal__err(ctx, ADAL_EIO, "%s: not a folder", course);
        goto out;
    }
    if ((rc = mkdir_p(ctx, opts->out_dir)))
        goto out;
    b.have_out_st = stat(opts->out_dir, &b.out_st) == 0;
    clean_tmp(opts->out_dir, 0);
    if (opts->template_path) {
        rc = adal_doc_load(&b.tmpl, ctx, opts->template_path, &b.lo);
        if (rc == ADAL_OK)
            rc = adal_doc_fingerprint(b.tmpl, ctx);
        if (rc) {
            char m[ADAL_ERRMSG_MAX];
            snprintf(m, sizeof m, "%s", adal_errmsg(ctx));
            rc = adal__err(ctx, rc, "%s: %s", opts->template_path, m);
            goto out;
        }
        b.co.template_doc = b.tmpl;
    }
    if (opts->nagainst) {
        b.nagainst = opts->nagainst;
        b.against = (char **)opts->against;
        b.against_doc = adal__calloc(b.nagainst, sizeof *b.against_doc);
        b.against_err = adal__calloc(b.nagainst, sizeof *b.against_err);
        if (!b.against_doc || !b.against_err) {
            rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
            goto out;
        }
    }
    if (opts->db_path) {
        /* create it now (a first batch may come before any `corpus add`) and refuse a store of
         * another fold version before any work is done */
        adal_store *st = NULL;
        rc = adal_store_open(&st, ctx, opts->db_path,
                             opts->no_add ? ADAL_STORE_READONLY : ADAL_STORE_CREATE);
        adal_store_close(st);
        if (rc) {
            rc = store_fail(ctx, opts->db_path, rc);
            goto out;
        }
    }
    if ((rc = walk(&b, course, NULL, 0)) || (rc = assign_students(&b)) || (rc = group(&b)))
        goto out;
    if ((rc = load_all(&b)) || (rc = build_refset(&b)) || (rc = cohort(&b)))
        goto out;
    make_keys(&b);
    if ((rc = excl_keys(&b)))
        goto out;
    for (size_t i = 0; i < b.n; i++)
        if (b.s[i].rs != SIZE_MAX && (rc = report_path(&b, &b.s[i])))
            goto out;
    state_path = join(opts->out_dir, STATE_NAME);
    journal_path = join(opts->out_dir, JOURNAL_NAME);
    if (!state_path || !journal_path) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    state = json_load_file(state_path, 0, NULL);
    jrows = read_journal(journal_path);
    /* journal rows count only when written with the same options and cohort template */
    jmeta = json_array();
    {
        size_t ix;
        json_t *r;
        json_array_foreach(jrows, ix, r)
        {
            const char *ok = json_string_value(json_object_get(r, "options_key"));
            if (ok && strcmp(ok, b.options_key) == 0)
                json_array_append(jmeta, r);
        }
    }
    {
        size_t nold = 0;
        char *fp_path = join(opts->out_dir, FPS_NAME);
        oldfp *old = fp_path && !opts->force ? oldfps_read(fp_path, &nold) : NULL;
        adal__free(fp_path);
        rc = plan(&b, state, jmeta, old, nold);
        oldfps_free(old, nold);
        if (rc)
            goto out;
    }
    for (size_t i = 0; i < b.n; i++) {
        if (!b.s[i].todo)
            continue;
        char *d = join(opts->out_dir, b.s[i].report_rel);
        char *sl = d ? strrchr(d, '/') : NULL;
        if (!d) {
            rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
            goto out;
        }
        *sl = 0;
        rc = mkdir_p(ctx, d);
        adal__free(d);
        if (rc)
            goto out;
    }
    b.journal = fopen(journal_path, "a");
    b.next = b.done = 0;
    if (b.total)
        run_threads(&b, check_worker, &b, b.total);
    if (b.journal) {
        fclose(b.journal);
        b.journal = NULL;
    }
    if (b.fatal) {
        rc = adal__err(ctx, b.fatal, "%s", b.fatal_msg);
        goto out;
    }
    if (opts->db_path && !opts->no_add && (rc = add_to_store(&b, res)))
        goto out;
    if ((rc = write_outputs(&b, res)))
        goto out;
    unlink(journal_path);
out:
    json_decref(state);
    json_decref(jrows);
    json_decref(jmeta);
    adal__free(state_path);
    adal__free(journal_path);
    for (size_t i = 0; i < b.n; i++) {
        sub *s = &b.s[i];
        if (s->rs == SIZE_MAX)
            adal_doc_free(s->doc);
        sub_clear_row(s);
        adal__free(s->rel);
        adal__free(s->path);
        adal__free(s->student);
        adal__free(s->report_rel);
        adal__free(s->msg);
    }
    adal__free(b.s);
    for (size_t a = 0; a < b.nagainst && b.against_doc; a++)
        adal_doc_free(b.against_doc[a]);
    adal__free(b.against_doc);
    adal__free(b.against_err);
    adal__free(b.students);
    adal__free(b.common);
    adal_refset_free(b.rs);
    adal_doc_free(b.tmpl);
    pthread_mutex_destroy(&b.mu);
    return rc;
}
