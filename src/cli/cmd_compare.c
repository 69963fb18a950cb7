/* cmd_compare.c — `adal compare A B` and `adal compare --all DIR`.
 * A B: both directions (A's passages found in B, B's found in A), each a report with its
 * passages side by side, as text or JSON. --all: every pair of files under DIR, ranked by
 * score = the larger of the two directions' covered share (0..1); one reference set of all
 * the files, each file queried against it once (skipping itself), on a pool of threads with
 * one adal_ctx each, so 1,000 files cost 1,000 queries, not 500,000 alignments.
 */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static void compare_usage(FILE *f)
{
    fputs("usage: adal compare A B [--format text|json] [--lang en|kk|ru] [--width COLUMNS]\n"
          "       adal compare --all DIR [--format csv|json|text] [--all-pairs] [--jobs N]\n"
          "                    [-o OUT]\n"
          "  both: [--template FILE] [--count-headers] [--encoding ENC] [--no-snippets]\n"
          "  A B       passages of A found in B, and of B found in A\n"
          "  --all DIR every pair of files under DIR (recursive), most similar first;\n"
          "            score = larger of the two directions' covered share, 0..1\n",
          f);
}

static const char *const valued[] = {"--format",   "--lang",  "--jobs",     "--output",
                                     "--encoding", "--width", "--template", NULL};

/* ---- compare A B */

/* Report of `q`'s passages found in `s`. */
static int one_way(adal_report **out, adal_ctx *ctx, adal_doc *q, const adal_doc *s,
                   const char *sid, const adal_check_opts *co)
{
    int rc = adal_report_new(out, ctx, q, co);
    if (rc == ADAL_OK)
        rc = adal_report_add_source(*out, ctx, s, sid);
    if (rc == ADAL_OK)
        rc = adal_report_finish(*out, ctx);
    return rc;
}

/* A report as a jansson object, through the library's own JSON writer (one schema). */
static json_t *report_json(const adal_report *r, adal_ctx *ctx, const adal_write_opts *wo)
{
    char *buf = NULL;
    size_t len = 0;
    json_t *j = NULL;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    int rc = adal_report_write(r, ctx, ADAL_OUT_JSON, m, wo);
    if (fclose(m) == 0 && rc == ADAL_OK)
        j = json_loadb(buf, len, 0, NULL);
    free(buf);
    return j;
}

static double share(const adal_report *r)
{
    return adal_report_nsources(r) ? adal_report_source(r, 0)->percent : 0.0;
}

static int compare_two(const char *a, const char *b, adal_output fmt, adal_write_opts *wo,
                       const adal_load_opts *lo, const adal_check_opts *co, FILE *out)
{
    int status = EXIT_ERROR, rc;
    adal_ctx *ctx = NULL;
    adal_doc *da = NULL, *db = NULL;
    adal_report *ab = NULL, *ba = NULL;
    const char *failed = NULL;
    if (adal_ctx_new(&ctx) != ADAL_OK) {
        cli_error(NULL, "out of memory");
        return EXIT_ERROR;
    }
    failed = a;
    rc = adal_doc_load(&da, ctx, a, lo);
    if (rc == ADAL_OK)
        rc = adal_doc_fingerprint(da, ctx); /* each is the other's source */
    if (rc == ADAL_OK) {
        failed = b;
        rc = adal_doc_load(&db, ctx, b, lo);
    }
    if (rc == ADAL_OK)
        rc = adal_doc_fingerprint(db, ctx);
    if (rc == ADAL_OK) {
        failed = a;
        rc = one_way(&ab, ctx, da, db, b, co);
    }
    if (rc == ADAL_OK) {
        failed = b;
        rc = one_way(&ba, ctx, db, da, a, co);
    }
    if (rc != ADAL_OK) {
        cli_error(failed, "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
        goto out;
    }
    if (fmt == ADAL_OUT_JSON) {
        wo->file = a;
        json_t *jab = report_json(ab, ctx, wo);
        wo->file = b;
        json_t *jba = report_json(ba, ctx, wo);
        double sa = share(ab), sb = share(ba);
        json_t *o = json_pack("{s:i,s:s,s:s,s:f,s:o*,s:o*}", "format_version",
                              ADAL_REPORT_FORMAT_VERSION, "a", a, "b", b, "score",
                              (double)((long long)((sa > sb ? sa : sb) * 100 + 0.5)) / 10000.0,
                              "a_in_b", jab, "b_in_a", jba);
        if (!o || !jab || !jba ||
            json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12)) != 0) {
            cli_error(NULL, "cannot write the JSON output");
            json_decref(o);
            goto out;
        }
        json_decref(o);
        fputc('\n', out);
    } else {
        fprintf(out, "### ");
        adal_write_safe(out, a, strlen(a));
        fprintf(out, " \xE2\x86\x92 ");
        adal_write_safe(out, b, strlen(b));
        fprintf(out, ": %.1f %% of A found in B\n", share(ab));
        wo->file = a;
        if (adal_report_write(ab, ctx, ADAL_OUT_TEXT, out, wo) != ADAL_OK)
            goto werr;
        fprintf(out, "### ");
        adal_write_safe(out, b, strlen(b));
        fprintf(out, " \xE2\x86\x92 ");
        adal_write_safe(out, a, strlen(a));
        fprintf(out, ": %.1f %% of B found in A\n", share(ba));
        wo->file = b;
        if (adal_report_write(ba, ctx, ADAL_OUT_TEXT, out, wo) != ADAL_OK)
            goto werr;
    }
    status = EXIT_CHECKED_OK;
    goto out;
werr:
    cli_error(NULL, "%s", adal_errmsg(ctx));
out:
    adal_report_free(ab);
    adal_report_free(ba);
    adal_doc_free(da);
    adal_doc_free(db);
    adal_ctx_free(ctx);
    return status;
}

/* ---- compare --all DIR */

typedef struct pair {
    uint32_t a, b; /* file indices, a < b (the file list is sorted, so names too) */
    float ab, ba;  /* covered share of a by b, of b by a (fractions) */
} pair;

typedef struct allpool {
    const adal_refset *rs;
    const adal_check_opts *co;
    char *const *paths; /* sorted */
    size_t npaths;
    const size_t *file_of; /* refset index → file index */
    size_t nrefs;
    pthread_mutex_t mu;
    size_t next;
    int failed; /* a query failed: reported, status 2 */
} allpool;

typedef struct worker {
    allpool *p;
    pair *v;
    size_t n, cap;
    int oom;
} worker;

static int cmp_pathp(const void *k, const void *e)
{
    return strcmp((const char *)k, *(char *const *)e);
}

static void *all_worker(void *arg)
{
    worker *w = arg;
    allpool *p = w->p;
    adal_ctx *ctx = NULL;
    if (adal_ctx_new(&ctx) != ADAL_OK) {
        w->oom = 1;
        return NULL;
    }
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->nrefs)
            break;
        adal_report *r = NULL;
        /* the set's own document i against all the others: read-only, so threads share the
         * set (adal.h) */
        int rc = adal_refset_check_doc(&r, ctx, p->rs, i, p->co);
        if (rc != ADAL_OK) {
            pthread_mutex_lock(&p->mu);
            cli_error(p->paths[p->file_of[i]], "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
            p->failed = 1;
            pthread_mutex_unlock(&p->mu);
            continue;
        }
        size_t qi = p->file_of[i];
        for (size_t k = 0; k < adal_report_nsources(r); k++) {
            const adal_source_result *s = adal_report_source(r, k);
            char *const *hit = bsearch(s->id, p->paths, p->npaths, sizeof *p->paths, cmp_pathp);
            if (!hit || s->npassages == 0)
                continue;
            size_t si = (size_t)(hit - p->paths);
            if (si == qi)
                continue;
            if (w->n == w->cap) {
                size_t cap = w->cap ? w->cap * 2 : 256;
                pair *v = realloc(w->v, cap * sizeof *v);
                if (!v) {
                    w->oom = 1;
                    break;
                }
                w->v = v;
                w->cap = cap;
            }
            pair *e = &w->v[w->n++];
            float f = (float)(s->percent / 100.0);
            e->a = (uint32_t)(qi < si ? qi : si);
            e->b = (uint32_t)(qi < si ? si : qi);
            e->ab = qi < si ? f : 0;
            e->ba = qi < si ? 0 : f;
        }
        adal_report_free(r);
    }
    adal_ctx_free(ctx);
    return NULL;
}

static int cmp_pair_ab(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static double pair_score(const pair *p)
{
    return p->ab > p->ba ? p->ab : p->ba;
}

/* Rounded the way it is printed, so the ranking agrees with the figures shown. */
static long long score4(const pair *p)
{
    return (long long)(pair_score(p) * 10000.0 + 0.5);
}

static int cmp_pair_rank(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    long long sa = score4(a), sb = score4(b);
    if (sa != sb)
        return sa > sb ? -1 : 1;
    return cmp_pair_ab(x, y);
}

static void print_pairs(FILE *out, adal_output fmt, char *const *paths, const pair *v, size_t n,
                        size_t nfiles)
{
    if (fmt == ADAL_OUT_CSV) {
        fputs("fileA,fileB,score\n", out);
        for (size_t i = 0; i < n; i++) {
            const char *a = paths[v[i].a], *b = paths[v[i].b];
            adal_write_csv_cell(out, a, strlen(a), ',');
            fputc(',', out);
            adal_write_csv_cell(out, b, strlen(b), ',');
            fprintf(out, ",%.4f\n", (double)score4(&v[i]) / 10000.0);
        }
    } else if (fmt == ADAL_OUT_TEXT) {
        for (size_t i = 0; i < n; i++) {
            const char *a = paths[v[i].a], *b = paths[v[i].b];
            fprintf(out, "%.4f  ", (double)score4(&v[i]) / 10000.0);
            adal_write_safe(out, a, strlen(a));
            fputs("  ", out);
            adal_write_safe(out, b, strlen(b));
            fputc('\n', out);
        }
    } else {
        /* streamed by hand (the list can hold 500,000 pairs): each string through jansson */
        fprintf(out, "{\"format_version\":%d,\"files\":%zu,\"pairs\":[", ADAL_REPORT_FORMAT_VERSION,
                nfiles);
        for (size_t i = 0; i < n; i++) {
            json_t *o = json_pack("{s:s,s:s,s:f,s:f,s:f}", "a", paths[v[i].a], "b", paths[v[i].b],
                                  "score", (double)score4(&v[i]) / 10000.0, "a_in_b",
                                  (double)(long long)(v[i].ab * 10000.0 + 0.5) / 10000.0, "b_in_a",
                                  (double)(long long)(v[i].ba * 10000.0 + 0.5) / 10000.0);
            if (i)
                fputc(',', out);
            if (o)
                json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
            else
                fputs("null", out);
            json_decref(o);
        }
        fputs("]}\n", out);
    }
}

static int compare_all(const char *dir, adal_output fmt, bool all_pairs, unsigned jobs,
                       const adal_load_opts *lo, const adal_check_opts *co, FILE *out)
{
    int status = EXIT_ERROR;
    cli_files fl = {0};
    cli_loaded ld = {0};
    adal_ctx *ctx = NULL;
    adal_refset *rs = NULL;
    size_t *file_of = NULL, nrefs = 0, npairs = 0;
    pthread_t *th = NULL;
    worker *ws = NULL;
    unsigned started = 0;
    pair *all = NULL;
    bool any_error = false;

    if (cli_files_add(&fl, dir) != 0)
        goto out;
    cli_files_sort(&fl);
    if (fl.n > UINT32_MAX / 2) {
        cli_error(dir, "too many files");
        goto out;
    }
    /* every pair is compared without the paraphrase stage: no content-word index */
    if (adal_ctx_new(&ctx) != ADAL_OK || adal_refset_new(&rs, ctx) != ADAL_OK ||
        adal_refset_index_words(rs, 0) != ADAL_OK) {
        cli_error(NULL, "%s", ctx ? adal_errmsg(ctx) : "out of memory");
        goto out;
    }
    if (cli_load_all(&ld, fl.v, fl.n, jobs, lo, true) != 0)
        goto out;
    if (!(file_of = calloc(fl.n + 1, sizeof *file_of))) {
        cli_error(NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < fl.n; i++) {
        if (!ld.docs[i]) {
            cli_error(fl.v[i], "%s [%s]", ld.msgs[i] ? ld.msgs[i] : "", adal_errcode(ld.errs[i]));
            any_error = true;
            continue;
        }
        adal_doc *d = ld.docs[i];
        ld.docs[i] = NULL;
        int rc = adal_refset_add(rs, ctx, d, fl.v[i]);
        if (rc != ADAL_OK) {
            cli_error(fl.v[i], "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
            any_error = true;
            continue;
        }
        file_of[nrefs++] = i;
    }

    allpool p = {rs, co, fl.v, fl.n, file_of, nrefs, PTHREAD_MUTEX_INITIALIZER, 0, 0};
    if (jobs > nrefs)
        jobs = nrefs ? (unsigned)nrefs : 1;
    th = calloc(jobs, sizeof *th);
    ws = calloc(jobs, sizeof *ws);
    if (!th || !ws) {
        cli_error(NULL, "out of memory");
        goto out;
    }
    for (unsigned k = 0; k < jobs; k++)
        ws[k].p = &p;
    for (; started < jobs; started++)
        if (pthread_create(&th[started], NULL, all_worker, &ws[started]) != 0)
            break;
    if (started == 0)
        all_worker(&ws[0]);
    for (unsigned k = 0; k < started; k++)
        pthread_join(th[k], NULL);

    /* merge the two directions of each pair: sort by (a, b), fold equal keys */
    size_t total = 0;
    for (unsigned k = 0; k < jobs; k++) {
        if (ws[k].oom) {
            cli_error(NULL, "out of memory");
            goto out;
        }
        total += ws[k].n;
    }
    if (all_pairs)
        total += nrefs * (nrefs - (nrefs > 0)) / 2;
    if (!(all = malloc((total + 1) * sizeof *all))) {
        cli_error(NULL, "out of memory");
        goto out;
    }
    for (unsigned k = 0; k < jobs; k++) {
        if (ws[k].n)
            memcpy(all + npairs, ws[k].v, ws[k].n * sizeof *all);
        npairs += ws[k].n;
    }
    if (all_pairs)
        for (size_t x = 0; x < nrefs; x++)
            for (size_t y = x + 1; y < nrefs; y++)
                all[npairs++] = (pair){(uint32_t)file_of[x], (uint32_t)file_of[y], 0, 0};
    qsort(all, npairs, sizeof *all, cmp_pair_ab);
    size_t m = 0;
    for (size_t i = 0; i < npairs; i++) {
        if (m && all[m - 1].a == all[i].a && all[m - 1].b == all[i].b) {
            if (all[i].ab > all[m - 1].ab)
                all[m - 1].ab = all[i].ab;
            if (all[i].ba > all[m - 1].ba)
                all[m - 1].ba = all[i].ba;
        } else
            all[m++] = all[i];
    }
    if (!all_pairs) { /* passages over excluded text only cover nothing: not a pair */
        size_t k = 0;
        for (size_t i = 0; i < m; i++)
            if (score4(&all[i]) > 0)
                all[k++] = all[i];
        m = k;
    }
    qsort(all, m, sizeof *all, cmp_pair_rank);
    print_pairs(out, fmt, fl.v, all, m, nrefs);
    status = any_error || p.failed ? EXIT_ERROR : EXIT_CHECKED_OK;
out:
    if (ws)
        for (unsigned k = 0; k < jobs; k++)
            free(ws[k].v);
    free(ws);
    free(th);
    free(all);
    free(file_of);
    adal_refset_free(rs);
    cli_loaded_free(&ld);
    cli_files_free(&fl);
    adal_ctx_free(ctx);
    return status;
}

int cmd_compare(int argc, char **argv)
{
    int status = EXIT_ERROR;
    const char *v, *dir = NULL, *out_path = NULL, *pos[2] = {NULL, NULL};
    int npos = 0;
    bool all = false, all_pairs = false, fmt_set = false;
    adal_output fmt = ADAL_OUT_TEXT;
    adal_write_opts wo = ADAL_WRITE_OPTS_INIT;
    adal_load_opts lo = ADAL_LOAD_OPTS_INIT;
    adal_check_opts co = ADAL_CHECK_OPTS_INIT;
    adal_doc *tmpl = NULL;
    const char *template_path = NULL;
    unsigned jobs = cli_ncpu();
    FILE *out = stdout;

    wo.lang = adal_lang_default();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opt_is(a, "-h", "--help")) {
            compare_usage(stdout);
            return EXIT_CHECKED_OK;
        } else if (opt_is(a, NULL, "--all"))
            all = true;
        else if (opt_is(a, NULL, "--all-pairs"))
            all_pairs = true;
        else if ((v = opt_value(argc, argv, &i, "--format"))) {
            if (!cli_parse_output(v, &fmt, true))
                return EXIT_ERROR;
            fmt_set = true;
        } else if ((v = opt_value(argc, argv, &i, "--lang"))) {
            if (!cli_parse_lang(v, &wo.lang))
                return EXIT_ERROR;
        } else if ((v = opt_value(argc, argv, &i, "--encoding")))
            lo.encoding = v;
        else if ((v = opt_value(argc, argv, &i, "--jobs"))) {
            if (!cli_parse_jobs(v, &jobs)) {
                cli_error(NULL, "--jobs takes a number 1..1024, not '%s'", v);
                return EXIT_ERROR;
            }
        } else if (strcmp(a, "-o") == 0) {
            if (i + 1 >= argc) {
                cli_error(NULL, "-o needs a value");
                return EXIT_ERROR;
            }
            out_path = argv[++i];
        } else if ((v = opt_value(argc, argv, &i, "--output")))
            out_path = v;
        else if (opt_is(a, NULL, "--no-snippets"))
            wo.snippets = 0;
        else if ((v = opt_value(argc, argv, &i, "--template")))
            template_path = v;
        else if (opt_is(a, NULL, "--count-headers"))
            co.count_headers = 1;
        else if ((v = opt_value(argc, argv, &i, "--width"))) {
            if (!cli_parse_width(v, &wo.width))
                return EXIT_ERROR;
        } else if (a[0] == '-' && a[1]) {
            if (!cli_opt_missing(a, valued)) {
                cli_error(NULL, "unknown option '%s'", a);
                compare_usage(stderr);
            }
            return EXIT_ERROR;
        } else if (npos < 2)
            pos[npos++] = a;
        else {
            cli_error(NULL, "too many files");
            compare_usage(stderr);
            return EXIT_ERROR;
        }
    }
    if (fmt == ADAL_OUT_HTML) {
        cli_error(NULL, "compare writes text, json or csv; html is for check");
        return EXIT_ERROR;
    }
    if (all) {
        if (npos != 1) {
            compare_usage(stderr);
            return EXIT_ERROR;
        }
        dir = pos[0];
        if (!fmt_set)
            fmt = ADAL_OUT_CSV;
    } else if (npos != 2 || all_pairs) {
        compare_usage(stderr);
        return EXIT_ERROR;
    } else if (fmt == ADAL_OUT_CSV) {
        cli_error(NULL, "compare A B writes text or json; csv is for compare --all");
        return EXIT_ERROR;
    }
    if (out_path && !(out = fopen(out_path, "w"))) {
        cli_error(out_path, "%s", strerror(errno));
        return EXIT_ERROR;
    }
    if (template_path) {
        adal_ctx *tctx = NULL;
        int rc = adal_ctx_new(&tctx);
        if (rc == ADAL_OK)
            rc = adal_doc_load(&tmpl, tctx, template_path, &lo);
        if (rc == ADAL_OK)
            rc = adal_doc_fingerprint(tmpl, tctx);
        if (rc != ADAL_OK)
            cli_error(template_path, "%s [%s]", tctx ? adal_errmsg(tctx) : "out of memory",
                      adal_errcode(rc));
        adal_ctx_free(tctx);
        if (rc != ADAL_OK) {
            status = EXIT_ERROR;
            goto done;
        }
        co.template_doc = tmpl;
    }
    /* compare --all ranks pairs by their counted (exact) share; paraphrase passages are not
     * counted, so the all-pairs run skips that stage (it cost 10x the run time) */
    if (all)
        co.no_paraphrase = 1;
    status = all ? compare_all(dir, fmt, all_pairs, jobs, &lo, &co, out)
                 : compare_two(pos[0], pos[1], fmt, &wo, &lo, &co, out);
done:
    adal_doc_free(tmpl);
    if (out != stdout) {
        if (fclose(out) != 0) {
            cli_error(out_path, "%s", strerror(errno));
            status = EXIT_ERROR;
        }
    } else if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error(NULL, "cannot write output");
        status = EXIT_ERROR;
    }
    return status;
}
