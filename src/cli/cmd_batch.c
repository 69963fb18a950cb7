/* cmd_batch.c — `adal batch COURSE_DIR [--db PATH] [--out DIR] [--jobs N] [--template FILE]
 * [--student-pattern REGEX] [--against PATH]... [--force] [--no-add] [--quiet]
 * [--common-share X] [--common-min N] [--min-originality N]`: the nightly run over a course
 * folder (adal_batch_run in src/batch.c does the work). Here: options, the progress display
 * (a bar with rate and ETA on a terminal, one line per file otherwise, nothing with --quiet)
 * and the exit status: 0 all checked and at or above the threshold, 1 one below it, 2 a file
 * could not be read or the run failed (docs/adal.1).
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_OUT "adal-report"
#define DEFAULT_MIN_ORIGINALITY 60.0

static void batch_usage(FILE *f)
{
    fputs("usage: adal batch COURSE_DIR [--db PATH] [--out DIR] [--jobs N] [--template FILE]\n"
          "                  [--student-pattern REGEX] [--against PATH]... [--force]\n"
          "                  [--no-add] [--quiet] [--common-share X] [--common-min N]\n"
          "                  [--min-originality N] [--encoding ENC] [--no-db]\n"
          "                  [--lang kk|ru|en] [--csv-sep C] [--no-csv-bom]\n"
          "  --db PATH              corpus store to check against and add to\n"
          "                         (default: $ADAL_DB, else ./adal.db, created when missing)\n"
          "  --no-db                no store: the submissions and --against files only\n"
          "  --out DIR              where reports and summary go (default " DEFAULT_OUT ")\n"
          "  --jobs N               threads (default: all cores)\n"
          "  --template FILE        assignment text to exclude from every submission\n"
          "  --student-pattern RE   POSIX regex with one group: the student in the file name\n"
          "                         (default: the first sub-folder of COURSE_DIR)\n"
          "  --against PATH         extra reference file or folder (repeatable)\n"
          "  --force                re-check every submission, changed or not\n"
          "  --no-add               do not add the submissions to the store\n"
          "  --quiet                no progress output\n"
          "  --common-share X       text in this share of the students is template (0.30)\n"
          "  --common-min N         ... and in at least N students (3)\n"
          "  --min-originality N    exit 1 when a submission's band figure is below N (60)\n"
          "  --lang kk|ru|en        language of the HTML reports and index.html\n"
          "                         (default: $ADAL_LANG, else the locale, else kk)\n"
          "  --csv-sep C            separator of summary.csv: ';' (default, decimal comma),\n"
          "                         ',', '|' or tab\n"
          "  --no-csv-bom           summary.csv without the UTF-8 byte-order mark\n"
          "exit status: 0 all at or above the threshold, 1 one below it, 2 error\n",
          f);
}

typedef struct prog {
    bool tty, quiet, bar_shown;
    struct timespec t0;
    const char *stage;
} prog;

static double now_s(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void on_progress(const adal_batch_progress *p, void *arg)
{
    prog *g = arg;
    if (p->file && p->status == ADAL_BATCH_FAILED) {
        if (g->bar_shown)
            fputs("\r\033[K", stderr);
        g->bar_shown = false;
        cli_error(p->file, "%s [%s]", p->msg ? p->msg : adal_strerror(p->err),
                  adal_errcode(p->err));
        return;
    }
    if (g->quiet)
        return;
    if (!g->stage || strcmp(g->stage, p->stage) != 0) {
        g->stage = p->stage;
        clock_gettime(CLOCK_MONOTONIC, &g->t0);
    }
    if (!g->tty) {
        if (strcmp(p->stage, "check") == 0 && p->file) {
            fprintf(stderr, "adal: batch: [%zu/%zu] %s ", p->done, p->total,
                    adal_batch_status_name(p->status));
            cli_put_safe(stderr, p->file, strlen(p->file));
            fputc('\n', stderr);
        }
        return;
    }
    double el = now_s(&g->t0), rate = el > 0 ? (double)p->done / el : 0;
    double eta = rate > 0 ? (double)(p->total - p->done) / rate : 0;
    unsigned width = 24, fill = p->total ? (unsigned)(width * p->done / p->total) : width;
    char bar[32];
    for (unsigned i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = 0;
    fprintf(stderr, "\r\033[K%-5s [%s] %zu/%zu %.1f files/s ETA %d:%02d", p->stage, bar, p->done,
            p->total, rate, (int)eta / 60, (int)eta % 60);
    g->bar_shown = true;
    fflush(stderr);
}

static const char *const valued[] = {"--db",        "--out",          "--jobs",
                                     "--template",  "--student-pattern", "--against",
                                     "--common-share", "--common-min", "--min-originality",
                                     "--encoding",  "--lang",        "--csv-sep",  NULL};

static bool parse_double(const char *opt, const char *v, double lo, double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || end == v || *end || !(x >= lo && x <= hi)) {
        cli_error(NULL, "%s takes a number %g..%g, not '%s'", opt, lo, hi, v);
        return false;
    }
    *out = x;
    return true;
}

int cmd_batch(int argc, char **argv)
{
    int status = EXIT_ERROR;
    const char *v, *course = NULL;
    adal_batch_opts o = ADAL_BATCH_OPTS_INIT;
    adal_load_opts lo = ADAL_LOAD_OPTS_INIT;
    adal_batch_result res;
    adal_ctx *ctx = NULL;
    cli_files against = {0};
    prog g = {false, false, false, {0, 0}, NULL};
    double x;
    bool no_db = false;
    adal_write_opts views = ADAL_WRITE_OPTS_INIT;

    views.lang = adal_lang_default();
    views.csv_sep = ';';
    views.csv_bom = 1;
    o.views = &views;
    o.out_dir = DEFAULT_OUT;
    o.min_value = DEFAULT_MIN_ORIGINALITY;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opt_is(a, "-h", "--help")) {
            batch_usage(stdout);
            status = EXIT_CHECKED_OK;
            goto done;
        } else if ((v = opt_value(argc, argv, &i, "--db")))
            o.db_path = v;
        else if (!strcmp(a, "--no-db"))
            no_db = true;
        else if ((v = opt_value(argc, argv, &i, "--lang"))) {
            if (!cli_parse_lang(v, &views.lang))
                goto done;
        } else if ((v = opt_value(argc, argv, &i, "--csv-sep"))) {
            if (!cli_parse_sep(v, &views.csv_sep))
                goto done;
        } else if (opt_is(a, NULL, "--no-csv-bom"))
            views.csv_bom = 0;
        else if (opt_is(a, NULL, "--csv-bom"))
            views.csv_bom = 1;
        else if ((v = opt_value(argc, argv, &i, "--out")))
            o.out_dir = v;
        else if ((v = opt_value(argc, argv, &i, "--jobs"))) {
            if (!cli_parse_jobs(v, &o.jobs)) {
                cli_error(NULL, "--jobs takes a number 1..1024, not '%s'", v);
                goto done;
            }
        } else if ((v = opt_value(argc, argv, &i, "--template")))
            o.template_path = v;
        else if ((v = opt_value(argc, argv, &i, "--student-pattern")))
            o.student_pattern = v;
        else if ((v = opt_value(argc, argv, &i, "--against"))) {
            if (cli_files_add(&against, v) != 0)
                goto done;
        } else if ((v = opt_value(argc, argv, &i, "--common-share"))) {
            if (!parse_double("--common-share", v, 0.01, 1.01, &o.common_share))
                goto done;
        } else if ((v = opt_value(argc, argv, &i, "--common-min"))) {
            if (!parse_double("--common-min", v, 1, 1000000, &x))
                goto done;
            o.common_min = (unsigned)x;
        } else if ((v = opt_value(argc, argv, &i, "--min-originality"))) {
            if (!parse_double("--min-originality", v, 0, 100, &o.min_value))
                goto done;
        } else if ((v = opt_value(argc, argv, &i, "--encoding")))
            lo.encoding = v;
        else if (opt_is(a, NULL, "--force"))
            o.force = 1;
        else if (opt_is(a, NULL, "--no-add"))
            o.no_add = 1;
        else if (opt_is(a, "-q", "--quiet"))
            g.quiet = true;
        else if (a[0] == '-' && a[1]) {
            if (cli_opt_missing(a, valued))
                goto done;
            cli_error(NULL, "unknown option '%s'", a);
            goto usage;
        } else if (course) {
            cli_error(NULL, "one course folder at a time ('%s' and '%s')", course, a);
            goto usage;
        } else
            course = a;
    }
    if (!course)
        goto usage;
    /* the store as for `adal corpus`: --db, else $ADAL_DB, else ./adal.db, so tonight's
     * submissions are there for tomorrow's batch unless asked otherwise */
    if (no_db && o.db_path) {
        cli_error(NULL, "--db and --no-db exclude each other");
        goto done;
    }
    if (!no_db && !o.db_path) {
        o.db_path = getenv("ADAL_DB") && *getenv("ADAL_DB") ? getenv("ADAL_DB") : "adal.db";
        /* --no-add reads a store; with none there yet, there is nothing to read */
        if (o.no_add && access(o.db_path, F_OK) != 0)
            o.db_path = NULL;
    }
    cli_files_sort(&against);
    o.against = (const char *const *)against.v;
    o.nagainst = against.n;
    o.load = &lo;
    g.tty = isatty(STDERR_FILENO);
    o.progress = on_progress;
    o.progress_arg = &g;
    if (adal_ctx_new(&ctx) != ADAL_OK) {
        cli_error(NULL, "out of memory");
        goto done;
    }
    int rc = adal_batch_run(ctx, course, &o, &res);
    if (g.bar_shown)
        fputs("\r\033[K", stderr);
    if (rc != ADAL_OK) {
        /* the message names its file first (the course, a file in it, an output file, the
         * store): prefixing the course would name the wrong one */
        cli_error(NULL, "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
        goto done;
    }
    if (!g.quiet)
        fprintf(stderr,
                "adal: batch: %zu files: %zu checked, %zu unchanged, %zu failed, %zu superseded;"
                " %zu below %.1f; %zu collusion cluster%s; cohort template excluded %.1f %% on"
                " average; summary in %s/summary.json\n",
                res.submissions, res.checked, res.unchanged, res.failed, res.superseded,
                res.below, o.min_value, res.clusters, res.clusters == 1 ? "" : "s",
                res.excluded_percent_mean, o.out_dir);
    if (res.store_errors)
        cli_error(o.db_path, "%d submission(s) could not be added to the store",
                  res.store_errors);
    status = res.failed || res.store_errors ? EXIT_ERROR
             : res.below                     ? EXIT_BELOW
                                             : EXIT_CHECKED_OK;
    goto done;
usage:
    batch_usage(stderr);
    status = EXIT_ERROR;
done:
    cli_files_free(&against);
    adal_ctx_free(ctx);
    return status;
}
