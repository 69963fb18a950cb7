/* cmd_check.c — `adal check FILE... [--against PATH]... [--db PATH] [--template FILE] [--format
 * text|json|csv] [-o OUT] [--min-originality N] [--count-headers] [--encoding ENC]`:
 * every FILE is loaded, normalised and checked against an in-memory reference set built
 * from the --against files and folders and/or the corpus store --db (check_db.c): one report
 * holds the sources of both (adal_refset_add_sources, adal_store_add_sources).
 * Exit status (STYLE.md, docs/adal.1): 0 all checked and at or above the threshold,
 * 1 an essay below it, 2 any error (the other files are still checked).
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The default threshold: the cut-off of the lowest passing band of the default rubric
 * (DESIGN.md §2: ≥ 60 % allows 50–69, «қанағаттанарлық»), applied to the figure the band
 * is decided on (100 − borrowed by default). */
#define DEFAULT_MIN_ORIGINALITY 60.0

static void check_usage(FILE *f)
{
    fputs("usage: adal check FILE|DIR... [--against PATH]... [--db PATH] [--template FILE]\n"
          "                  [--format text|json|csv|html] [-o OUT] [--min-originality N]\n"
          "                  [--count-headers] [--encoding ENC] [--lang en|kk|ru]\n"
          "                  [--csv-sep C] [--csv-bom|--no-csv-bom]\n"
          "                  [--no-snippets] [--width COLUMNS] [--jobs N]\n"
          "  --against PATH       reference file or folder (recursive; repeatable)\n"
          "  --db PATH            also check against the corpus store (default with $ADAL_DB)\n"
          "  --template FILE      assignment text to exclude from every essay\n"
          "  --min-originality N  exit 1 when an essay's band figure is below N (default 60)\n"
          "  --lang L             labels in kk, ru or en (default: $ADAL_LANG, the locale, kk)\n"
          "  --format html        one self-contained page per essay (use -o with one FILE)\n"
          "exit status: 0 all at or above the threshold, 1 one below it, 2 error\n",
          f);
}

bool cli_parse_output(const char *v, adal_output *fmt, bool csv_ok)
{
    if (strcmp(v, "text") == 0)
        *fmt = ADAL_OUT_TEXT;
    else if (strcmp(v, "json") == 0)
        *fmt = ADAL_OUT_JSON;
    else if (csv_ok && strcmp(v, "csv") == 0)
        *fmt = ADAL_OUT_CSV;
    else if (csv_ok && strcmp(v, "html") == 0)
        *fmt = ADAL_OUT_HTML;
    else {
        cli_error(NULL, "unknown format '%s' (text, json%s)", v, csv_ok ? ", csv or html" : "");
        return false;
    }
    return true;
}

bool cli_parse_lang(const char *v, adal_lang *lang)
{
    if (strcmp(v, "en") == 0)
        *lang = ADAL_LANG_EN;
    else if (strcmp(v, "kk") == 0)
        *lang = ADAL_LANG_KK;
    else if (strcmp(v, "ru") == 0)
        *lang = ADAL_LANG_RU;
    else {
        cli_error(NULL, "unknown language '%s' (en, kk or ru)", v);
        return false;
    }
    return true;
}

static const char *const valued[] = {"--db", "--against",         "--template", "--format", "--output",
                                     "--min-originality", "--encoding", "--lang",   "--jobs",
                                     "--width",           "--csv-sep",  NULL};

bool cli_parse_sep(const char *v, char *sep)
{
    if (strcmp(v, "tab") == 0 || strcmp(v, "\\t") == 0)
        *sep = '\t';
    else if (strlen(v) == 1 && (v[0] == ',' || v[0] == ';' || v[0] == '\t' || v[0] == '|'))
        *sep = v[0];
    else {
        cli_error(NULL, "--csv-sep takes one of , ; | tab, not '%s'", v);
        return false;
    }
    return true;
}

bool cli_parse_width(const char *v, unsigned *out)
{
    char *end = NULL;
    errno = 0;
    long w = strtol(v, &end, 10);
    if (errno || end == v || *end || w < 40 || w > 400) {
        cli_error(NULL, "--width takes a number of columns 40..400, not '%s'", v);
        return false;
    }
    *out = (unsigned)w;
    return true;
}

bool cli_opt_missing(const char *a, const char *const *names)
{
    for (size_t k = 0; names[k]; k++)
        if (strcmp(a, names[k]) == 0)
            return true;
    return false;
}

/* Append one path to a list (not sorted: check reports FILEs in command-line order). */
static int push_input(cli_files *fl, const char *path)
{
    if (fl->n == fl->cap) {
        size_t cap = fl->cap ? fl->cap * 2 : 16;
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

typedef struct fid {
    dev_t dev;
    ino_t ino;
    bool ok;
} fid;

static fid file_id(const char *path)
{
    struct stat st;
    fid f = {0, 0, false};
    if (stat(path, &st) == 0) {
        f.dev = st.st_dev;
        f.ino = st.st_ino;
        f.ok = true;
    }
    return f;
}

int cmd_check(int argc, char **argv)
{
    int status = EXIT_ERROR;
    const char *v, *out_path = NULL, *template_path = NULL, *encoding = NULL, *db = NULL;
    adal_store *store = NULL;
    adal_output fmt = ADAL_OUT_TEXT;
    adal_write_opts wo = ADAL_WRITE_OPTS_INIT;
    adal_check_opts co = ADAL_CHECK_OPTS_INIT;
    adal_load_opts lo = ADAL_LOAD_OPTS_INIT;
    double min_orig = DEFAULT_MIN_ORIGINALITY;
    unsigned jobs = cli_ncpu();
    cli_files refs = {0}, inputs = {0};
    cli_loaded loaded = {0};
    char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0, nref = 0;
    adal_ctx *ctx = NULL;
    adal_doc *tmpl = NULL;
    adal_refset *rs = NULL;
    fid *ref_ids = NULL;
    size_t *ref_file = NULL; /* refset index → index in refs.v */
    FILE *out = stdout;
    bool any_error = false, any_below = false;
    adal_policy policy;

    wo.lang = adal_lang_default();
    if (!files) {
        cli_error(NULL, "out of memory");
        return EXIT_ERROR;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opt_is(a, "-h", "--help")) {
            check_usage(stdout);
            status = EXIT_CHECKED_OK;
            goto done;
        } else if ((v = opt_value(argc, argv, &i, "--against"))) {
            if (cli_files_add(&refs, v) != 0)
                goto done;
        } else if ((v = opt_value(argc, argv, &i, "--db")))
            db = v;
        else if ((v = opt_value(argc, argv, &i, "--template")))
            template_path = v;
        else if ((v = opt_value(argc, argv, &i, "--format"))) {
            if (!cli_parse_output(v, &fmt, true))
                goto done;
        } else if (strcmp(a, "-o") == 0) {
            if (i + 1 >= argc) {
                cli_error(NULL, "-o needs a value");
                goto done;
            }
            out_path = argv[++i];
        } else if ((v = opt_value(argc, argv, &i, "--output")))
            out_path = v;
        else if ((v = opt_value(argc, argv, &i, "--min-originality"))) {
            char *end = NULL;
            errno = 0;
            min_orig = strtod(v, &end);
            if (errno || end == v || *end || !(min_orig >= 0 && min_orig <= 100)) {
                cli_error(NULL, "--min-originality takes a percentage 0..100, not '%s'", v);
                goto done;
            }
        } else if (opt_is(a, NULL, "--count-headers"))
            co.count_headers = 1;
        else if ((v = opt_value(argc, argv, &i, "--encoding")))
            encoding = v;
        else if ((v = opt_value(argc, argv, &i, "--lang"))) {
            if (!cli_parse_lang(v, &wo.lang))
                goto done;
        } else if ((v = opt_value(argc, argv, &i, "--width"))) {
            if (!cli_parse_width(v, &wo.width))
                goto done;
        } else if ((v = opt_value(argc, argv, &i, "--csv-sep"))) {
            if (!cli_parse_sep(v, &wo.csv_sep))
                goto done;
        } else if (opt_is(a, NULL, "--csv-bom"))
            wo.csv_bom = 1;
        else if (opt_is(a, NULL, "--no-csv-bom"))
            wo.csv_bom = 0;
        else if (opt_is(a, NULL, "--no-snippets"))
            wo.snippets = 0;
        else if ((v = opt_value(argc, argv, &i, "--jobs"))) {
            if (!cli_parse_jobs(v, &jobs)) {
                cli_error(NULL, "--jobs takes a number 1..1024, not '%s'", v);
                goto done;
            }
        } else if (a[0] == '-' && a[1]) {
            if (cli_opt_missing(a, valued))
                goto done; /* opt_value has said the value is missing */
            cli_error(NULL, "unknown option '%s'", a);
            goto usage;
        } else
            files[nfiles++] = argv[i];
    }
    if (nfiles == 0)
        goto usage;

    lo.encoding = encoding;
    adal_policy_default(&policy);
    co.policy = &policy;
    wo.policy = &policy;
    if (adal_ctx_new(&ctx) != ADAL_OK) {
        cli_error(NULL, "out of memory");
        goto done;
    }
    if (template_path) {
        int rc = adal_doc_load(&tmpl, ctx, template_path, &lo);
        if (rc == ADAL_OK)
            rc = adal_doc_fingerprint(tmpl, ctx);
        if (rc != ADAL_OK) {
            cli_error(template_path, "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
            goto done;
        }
        co.template_doc = tmpl;
    }

    /* the corpus store: --db, else $ADAL_DB when set */
    if (!db && getenv("ADAL_DB") && *getenv("ADAL_DB"))
        db = getenv("ADAL_DB");
    if (db && cli_db_open(&store, ctx, db) != 0)
        goto done;

    /* the reference set: unreadable references are warnings, not errors */
    cli_files_sort(&refs);
    if (adal_refset_new(&rs, ctx) != ADAL_OK) {
        cli_error(NULL, "%s", adal_errmsg(ctx));
        goto done;
    }
    if (refs.n) {
        if (cli_load_all(&loaded, refs.v, refs.n, jobs, &lo, true) != 0)
            goto done;
        ref_ids = calloc(refs.n, sizeof *ref_ids);
        ref_file = calloc(refs.n, sizeof *ref_file);
        if (!ref_ids || !ref_file) {
            cli_error(NULL, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < refs.n; i++) {
            if (!loaded.docs[i]) {
                cli_error(refs.v[i], "%s [%s] (reference skipped)",
                          loaded.msgs[i] ? loaded.msgs[i] : "", adal_errcode(loaded.errs[i]));
                continue;
            }
            adal_doc *d = loaded.docs[i];
            loaded.docs[i] = NULL; /* the set owns it now, also on error */
            int rc = adal_refset_add(rs, ctx, d, refs.v[i]);
            if (rc != ADAL_OK) {
                cli_error(refs.v[i], "%s [%s] (reference skipped)", adal_errmsg(ctx),
                          adal_errcode(rc));
                continue;
            }
            ref_ids[nref] = file_id(refs.v[i]);
            ref_file[nref++] = i;
        }
    }

    if (out_path && !(out = fopen(out_path, "w"))) {
        cli_error(out_path, "%s", strerror(errno));
        out = stdout;
        goto done;
    }
    if (adal_report_write_header(ctx, fmt, out, &wo) != ADAL_OK) {
        cli_error(out_path, "%s", adal_errmsg(ctx));
        goto done;
    }
    /* FILE arguments in order; a folder stands for its documents (sorted, recursive) */
    for (size_t i = 0; i < nfiles; i++) {
        struct stat st_arg;
        if (stat(files[i], &st_arg) == 0 && S_ISDIR(st_arg.st_mode)) {
            cli_files sub = {0};
            if (cli_files_add(&sub, files[i]) != 0) {
                cli_files_free(&sub);
                goto done;
            }
            cli_files_sort(&sub);
            for (size_t k = 0; k < sub.n; k++)
                if (push_input(&inputs, sub.v[k]) != 0) {
                    cli_files_free(&sub);
                    goto done;
                }
            cli_files_free(&sub);
        } else if (push_input(&inputs, files[i]) != 0)
            goto done;
    }
    if (fmt == ADAL_OUT_HTML && inputs.n > 1) {
        cli_error(NULL, "--format html writes one page: give one essay (adal batch writes one "
                        "page per submission)");
        goto done;
    }
    for (size_t i = 0; i < inputs.n; i++) {
        const char *path = inputs.v[i];
        adal_doc *doc = NULL;
        adal_report *r = NULL;
        size_t skip[16], nskip = 0;
        fid me = file_id(path);
        for (size_t k = 0; me.ok && k < nref && nskip < 16; k++)
            if (ref_ids[k].ok && ref_ids[k].dev == me.dev && ref_ids[k].ino == me.ino)
                skip[nskip++] = k; /* the essay is among the references: not its own source */
        int rc = adal_doc_load(&doc, ctx, path, &lo);
        /* one report, sources from the reference set and the store (refset_check's steps) */
        if (rc == ADAL_OK)
            rc = adal_report_new(&r, ctx, doc, &co);
        if (rc == ADAL_OK && nref)
            rc = adal_refset_add_sources(r, ctx, rs, doc, &co, skip, nskip);
        if (rc == ADAL_OK && store)
            rc = cli_db_add_sources(r, store, ctx, doc, &co);
        if (rc == ADAL_OK)
            rc = adal_report_finish(r, ctx);
        if (rc != ADAL_OK) {
            cli_error(path, "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
            any_error = true;
            if (adal_report_write_error(ctx, fmt, out, path, rc, adal_errmsg(ctx), &wo) != ADAL_OK)
                cli_error(out_path, "%s", adal_errmsg(ctx));
        } else {
            wo.file = path;
            rc = adal_report_write(r, ctx, fmt, out, &wo);
            if (rc != ADAL_OK) {
                cli_error(path, "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
                any_error = true;
            }
            adal_score s;
            adal_report_score(r, &s);
            double value = policy.band_on_original ? s.originality : 100.0 - s.borrowed;
            /* compare the figure as shown (one decimal), so what the grader reads decides */
            if (floor(value * 10.0 + 0.5 + 1e-9) / 10.0 < min_orig)
                any_below = true;
        }
        adal_report_free(r);
        adal_doc_free(doc);
    }
    status = any_error ? EXIT_ERROR : any_below ? EXIT_BELOW : EXIT_CHECKED_OK;
    goto done;

usage:
    check_usage(stderr);
    status = EXIT_ERROR;
done:
    if (out != stdout) {
        if (fclose(out) != 0) {
            cli_error(out_path, "%s", strerror(errno));
            status = EXIT_ERROR;
        }
    } else if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error(NULL, "cannot write output");
        status = EXIT_ERROR;
    }
    adal_refset_free(rs);
    adal_store_close(store);
    adal_doc_free(tmpl);
    cli_loaded_free(&loaded);
    cli_files_free(&refs);
    cli_files_free(&inputs);
    free(ref_ids);
    free(ref_file);
    free(files);
    adal_ctx_free(ctx);
    return status;
}
