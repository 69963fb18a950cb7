/* cmd_corpus.c — `adal corpus add|remove|list|stats|reindex|verify [--db PATH]`: the
 * persistent reference corpus (adal_store_* in adal.h). The store is --db PATH, else
 * $ADAL_DB, else ./adal.db. Bad files are reported one line each (`adal: FILE: message
 * [code]`) and the others still added; exit 0 when all went well, 2 when anything failed.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void corpus_usage(FILE *f)
{
    fputs("usage: adal corpus add PATH... [--kind source|submission] [--label TEXT]\n"
          "                           [--student NAME] [--encoding ENC] [--jobs N]\n"
          "       adal corpus remove ID|HASH...\n"
          "       adal corpus list [--format text|json]\n"
          "       adal corpus stats [--format text|json]\n"
          "       adal corpus reindex\n"
          "       adal corpus verify\n"
          "  --db PATH   the corpus store (default: $ADAL_DB, else ./adal.db)\n"
          "exit status: 0 done, 2 error (other files are still added)\n",
          f);
}

static const char *db_path(const char *db)
{
    if (db)
        return db;
    const char *env = getenv("ADAL_DB");
    return env && *env ? env : "adal.db";
}

static int open_store(adal_store **s, adal_ctx *ctx, const char *path, unsigned flags)
{
    int rc = adal_store_open(s, ctx, path, flags);
    if (rc != ADAL_OK)
        cli_error(path, "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
    return rc;
}

/* ---- JSON strings (the program uses only adal.h, so a small writer of its own) ---------- */

static void json_str(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    fputc('"', f);
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc(c, f);
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            fprintf(f, "\\u%04x", c);
            i++;
        } else if (c < 0x80) {
            fputc(c, f);
            i++;
        } else {
            /* copy a valid UTF-8 sequence, else write U+FFFD for the byte */
            size_t len = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
            bool ok = len && i + len <= n;
            for (size_t k = 1; ok && k < len; k++)
                ok = (p[i + k] & 0xC0) == 0x80;
            if (ok && len == 3 && c == 0xE0 && p[i + 1] < 0xA0)
                ok = false;
            if (ok && len == 3 && c == 0xED && p[i + 1] >= 0xA0)
                ok = false;
            if (ok && len == 4 && ((c == 0xF0 && p[i + 1] < 0x90) || (c == 0xF4 && p[i + 1] >= 0x90)))
                ok = false;
            if (ok) {
                fwrite(p + i, 1, len, f);
                i += len;
            } else {
                fputs("\\ufffd", f);
                i++;
            }
        }
    }
    fputc('"', f);
}

/* ---- add --------------------------------------------------------------------------------- */

/* Files are loaded on all cores in chunks (memory stays bounded), then added one by one. */
#define ADD_CHUNK 64
#define COMMIT_EVERY 1000

static int corpus_add(const char *db, cli_files *paths, adal_store_kind kind, const char *label,
                      const char *student, const char *encoding, unsigned jobs)
{
    adal_ctx *ctx = NULL;
    adal_store *s = NULL;
    adal_load_opts lo = ADAL_LOAD_OPTS_INIT;
    size_t nadded = 0, nsame = 0, nbad = 0;
    lo.encoding = encoding;
    if (adal_ctx_new(&ctx) != ADAL_OK) {
        cli_error(NULL, "out of memory");
        return EXIT_ERROR;
    }
    if (open_store(&s, ctx, db, ADAL_STORE_CREATE) != ADAL_OK) {
        adal_ctx_free(ctx);
        return EXIT_ERROR;
    }
    int status = EXIT_CHECKED_OK;
    bool stop = false;
    size_t pending = 0; /* adds in the open transaction */
    /* adds are committed COMMIT_EVERY at a time: one commit per file would write the
     * postings pages it touched each time (random hashes: all over the tree) */
    int rc = adal_store_begin(s, ctx);
    bool txn = rc == ADAL_OK;
    if (rc != ADAL_OK) {
        cli_error(db, "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
        stop = true;
        nbad = paths->n;
    }
    for (size_t at = 0; at < paths->n && !stop; at += ADD_CHUNK) {
        size_t n = paths->n - at < ADD_CHUNK ? paths->n - at : ADD_CHUNK;
        cli_loaded l = {0};
        if (cli_load_all(&l, paths->v + at, n, jobs, &lo, true) != 0) {
            status = EXIT_ERROR;
            break;
        }
        for (size_t i = 0; i < n; i++) {
            const char *path = paths->v[at + i];
            if (!l.docs[i]) {
                cli_error(path, "%s [%s]", l.msgs[i] ? l.msgs[i] : "", adal_errcode(l.errs[i]));
                nbad++;
                continue;
            }
            int64_t id = 0;
            int added = 0;
            rc = adal_store_add(s, ctx, l.docs[i], kind, label, student, &id, &added);
            if (rc != ADAL_OK) {
                cli_error(path, "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
                nbad++;
                if (rc == ADAL_EBUSY || rc == ADAL_EIO || rc == ADAL_ESTORE) {
                    stop = true; /* the store itself is the problem: the next would fail too */
                    break;
                }
                continue;
            }
            printf("%s %lld ", added ? "added" : "exists", (long long)id);
            cli_put_safe(stdout, path, strlen(path));
            putchar('\n');
            if (added)
                nadded++;
            else
                nsame++;
            if (added && ++pending >= COMMIT_EVERY) {
                rc = adal_store_commit(s, ctx);
                txn = false;
                if (rc == ADAL_OK)
                    txn = (rc = adal_store_begin(s, ctx)) == ADAL_OK;
                if (rc != ADAL_OK) {
                    cli_error(db, "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
                    nbad++;
                    stop = true;
                    break;
                }
                pending = 0;
            }
        }
        cli_loaded_free(&l);
    }
    if (txn && (rc = adal_store_commit(s, ctx)) != ADAL_OK) {
        /* nothing of this transaction was kept, though its files were listed as added */
        cli_error(db, "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
        nbad++;
    }
    fprintf(stderr, "adal: %zu added, %zu already stored, %zu failed\n", nadded, nsame, nbad);
    if (nbad)
        status = EXIT_ERROR;
    adal_store_close(s);
    adal_ctx_free(ctx);
    return status;
}

/* ---- remove ------------------------------------------------------------------------------ */

static bool is_hash(const char *s)
{
    size_t n = strlen(s);
    if (n != 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static bool parse_id(const char *s, int64_t *id)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v <= 0)
        return false;
    *id = v;
    return true;
}

static int corpus_remove(const char *db, char **args, size_t n)
{
    adal_ctx *ctx = NULL;
    adal_store *s = NULL;
    int status = EXIT_CHECKED_OK;
    if (adal_ctx_new(&ctx) != ADAL_OK) {
        cli_error(NULL, "out of memory");
        return EXIT_ERROR;
    }
    if (open_store(&s, ctx, db, 0) != ADAL_OK) {
        adal_ctx_free(ctx);
        return EXIT_ERROR;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t id = 0;
        if (is_hash(args[i])) {
            int rc = adal_store_find(s, ctx, args[i], &id);
            if (rc < 0) {
                cli_error(args[i], "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
                status = EXIT_ERROR;
                continue;
            }
            if (rc == 0) {
                cli_error(args[i], "no document with this content hash in the corpus");
                status = EXIT_ERROR;
                continue;
            }
        } else if (!parse_id(args[i], &id)) {
            cli_error(args[i], "not a document id or a 32-digit content hash");
            status = EXIT_ERROR;
            continue;
        }
        int rc = adal_store_remove(s, ctx, id);
        if (rc != ADAL_OK) {
            cli_error(args[i], "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
            status = EXIT_ERROR;
            continue;
        }
        printf("removed %lld\n", (long long)id);
    }
    adal_store_close(s);
    adal_ctx_free(ctx);
    return status;
}

/* ---- list, stats ------------------------------------------------------------------------- */

static const char *kind_name(adal_store_kind k)
{
    return k == ADAL_KIND_SUBMISSION ? "submission" : "source";
}

static int list_text(const adal_store_entry *e, void *arg)
{
    (void)arg;
    printf("%lld\t%s\t%s\t%u\t", (long long)e->id, kind_name(e->kind), e->hash, e->nchars);
    cli_put_safe(stdout, e->name, strlen(e->name));
    putchar('\t');
    cli_put_safe(stdout, e->label, strlen(e->label));
    putchar('\t');
    cli_put_safe(stdout, e->student, strlen(e->student));
    putchar('\n');
    return 0;
}

static int list_json(const adal_store_entry *e, void *arg)
{
    (void)arg;
    printf("{\"format_version\":1,\"id\":%lld,\"kind\":\"%s\",\"name\":", (long long)e->id,
           kind_name(e->kind));
    json_str(stdout, e->name);
    fputs(",\"label\":", stdout);
    json_str(stdout, e->label);
    fputs(",\"student\":", stdout);
    json_str(stdout, e->student);
    printf(",\"hash\":\"%s\",\"chars\":%u,\"fingerprints\":%u,\"added\":%lld}\n", e->hash,
           e->nchars, e->nfps, (long long)e->added);
    return 0;
}

static int corpus_list_stats(const char *db, bool stats, adal_output fmt)
{
    adal_ctx *ctx = NULL;
    adal_store *s = NULL;
    int status = EXIT_CHECKED_OK;
    if (adal_ctx_new(&ctx) != ADAL_OK) {
        cli_error(NULL, "out of memory");
        return EXIT_ERROR;
    }
    if (open_store(&s, ctx, db, ADAL_STORE_READONLY) != ADAL_OK) {
        adal_ctx_free(ctx);
        return EXIT_ERROR;
    }
    int rc;
    if (!stats) {
        if (fmt == ADAL_OUT_TEXT)
            puts("id\tkind\thash\tchars\tname\tlabel\tstudent");
        rc = adal_store_list(s, ctx, fmt == ADAL_OUT_JSON ? list_json : list_text, NULL);
    } else {
        adal_store_stats st;
        rc = adal_store_stats_get(s, ctx, &st);
        if (rc == ADAL_OK) {
            double per = st.ndocs ? (double)st.bytes_on_disk / (double)st.ndocs : 0.0;
            if (fmt == ADAL_OUT_JSON) {
                printf("{\"format_version\":1,\"documents\":%llu,\"sources\":%llu,"
                       "\"submissions\":%llu,\"fingerprints\":%llu,\"bytes_on_disk\":%llu,"
                       "\"bytes_per_document\":%.0f}\n",
                       (unsigned long long)st.ndocs, (unsigned long long)st.nsources,
                       (unsigned long long)st.nsubmissions, (unsigned long long)st.nfps,
                       (unsigned long long)st.bytes_on_disk, per);
            } else {
                printf("documents     %llu (%llu sources, %llu submissions)\n",
                       (unsigned long long)st.ndocs, (unsigned long long)st.nsources,
                       (unsigned long long)st.nsubmissions);
                printf("fingerprints  %llu\n", (unsigned long long)st.nfps);
                printf("size on disk  %.1f MiB (%llu bytes)\n",
                       (double)st.bytes_on_disk / 1048576.0,
                       (unsigned long long)st.bytes_on_disk);
                printf("per document  %.0f bytes\n", per);
            }
        }
    }
    if (rc != ADAL_OK) {
        cli_error(db, "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
        status = EXIT_ERROR;
    }
    adal_store_close(s);
    adal_ctx_free(ctx);
    return status;
}

/* ---- reindex, verify --------------------------------------------------------------------- */

static void reindex_progress(size_t done, size_t total, void *arg)
{
    (void)arg;
    if (done == total || done % 100 == 0)
        fprintf(stderr, "\radal: re-indexed %zu of %zu%s", done, total, done == total ? "\n" : "");
}

static int corpus_reindex(const char *db, bool verify)
{
    adal_ctx *ctx = NULL;
    adal_store *s = NULL;
    int status = EXIT_CHECKED_OK;
    if (adal_ctx_new(&ctx) != ADAL_OK) {
        cli_error(NULL, "out of memory");
        return EXIT_ERROR;
    }
    if (open_store(&s, ctx, db, verify ? ADAL_STORE_READONLY | ADAL_STORE_REINDEX
                                       : ADAL_STORE_REINDEX) != ADAL_OK) {
        adal_ctx_free(ctx);
        return EXIT_ERROR;
    }
    int rc = verify ? adal_store_verify(s, ctx)
                    : adal_store_reindex(s, ctx, isatty(2) ? reindex_progress : NULL, NULL);
    if (rc != ADAL_OK) {
        cli_error(db, "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
        status = EXIT_ERROR;
    } else
        printf("%s: %s\n", db, verify ? "ok" : "re-indexed");
    adal_store_close(s);
    adal_ctx_free(ctx);
    return status;
}

/* ---- dispatch ---------------------------------------------------------------------------- */

static const char *const valued[] = {"--db", "--kind", "--label", "--student", "--format",
                                     "--encoding", "--jobs", NULL};

int cmd_corpus(int argc, char **argv)
{
    const char *db = NULL, *label = NULL, *student = NULL, *encoding = NULL, *v;
    adal_store_kind kind = ADAL_KIND_SOURCE;
    adal_output fmt = ADAL_OUT_TEXT;
    unsigned jobs = cli_ncpu();
    char **args = calloc((size_t)argc + 1, sizeof *args);
    size_t nargs = 0;
    int status = EXIT_ERROR;
    cli_files paths = {0};
    if (!args) {
        cli_error(NULL, "out of memory");
        return EXIT_ERROR;
    }
    if (argc < 2) {
        corpus_usage(stderr);
        goto done;
    }
    const char *sub = argv[1];
    if (opt_is(sub, "-h", "--help")) {
        corpus_usage(stdout);
        status = EXIT_CHECKED_OK;
        goto done;
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (opt_is(a, "-h", "--help")) {
            corpus_usage(stdout);
            status = EXIT_CHECKED_OK;
            goto done;
        } else if ((v = opt_value(argc, argv, &i, "--db")))
            db = v;
        else if ((v = opt_value(argc, argv, &i, "--kind"))) {
            if (strcmp(v, "source") == 0)
                kind = ADAL_KIND_SOURCE;
            else if (strcmp(v, "submission") == 0)
                kind = ADAL_KIND_SUBMISSION;
            else {
                cli_error(NULL, "--kind is source or submission, not '%s'", v);
                goto done;
            }
        } else if ((v = opt_value(argc, argv, &i, "--label")))
            label = v;
        else if ((v = opt_value(argc, argv, &i, "--student")))
            student = v;
        else if ((v = opt_value(argc, argv, &i, "--encoding")))
            encoding = v;
        else if ((v = opt_value(argc, argv, &i, "--format"))) {
            if (!cli_parse_output(v, &fmt, false))
                goto done;
        } else if ((v = opt_value(argc, argv, &i, "--jobs"))) {
            if (!cli_parse_jobs(v, &jobs)) {
                cli_error(NULL, "--jobs takes a number 1..1024, not '%s'", v);
                goto done;
            }
        } else if (a[0] == '-' && a[1]) {
            if (cli_opt_missing(a, valued))
                goto done;
            cli_error(NULL, "unknown option '%s'", a);
            corpus_usage(stderr);
            goto done;
        } else
            args[nargs++] = argv[i];
    }
    db = db_path(db);
    if (strcmp(sub, "add") == 0) {
        if (!nargs) {
            corpus_usage(stderr);
            goto done;
        }
        bool bad = false;
        for (size_t i = 0; i < nargs; i++)
            if (cli_files_add(&paths, args[i]) != 0)
                bad = true; /* printed; the other paths are still added */
        cli_files_sort(&paths);
        status = corpus_add(db, &paths, kind, label, student, encoding, jobs);
        if (bad)
            status = EXIT_ERROR;
    } else if (strcmp(sub, "remove") == 0) {
        if (!nargs) {
            corpus_usage(stderr);
            goto done;
        }
        status = corpus_remove(db, args, nargs);
    } else if (strcmp(sub, "list") == 0 || strcmp(sub, "stats") == 0) {
        if (nargs) {
            corpus_usage(stderr);
            goto done;
        }
        status = corpus_list_stats(db, strcmp(sub, "stats") == 0, fmt);
    } else if (strcmp(sub, "reindex") == 0 || strcmp(sub, "verify") == 0) {
        if (nargs) {
            corpus_usage(stderr);
            goto done;
        }
        status = corpus_reindex(db, strcmp(sub, "verify") == 0);
    } else {
        cli_error(NULL, "unknown corpus command '%s'", sub);
        corpus_usage(stderr);
    }
done:
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error(NULL, "cannot write output");
        status = EXIT_ERROR;
    }
    cli_files_free(&paths);
    free(args);
    return status;
}
