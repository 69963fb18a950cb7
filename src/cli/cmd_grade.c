/* cmd_grade.c — `adal grade PERCENT... [--format text|json] [--lang kk|ru|en]`: the exam
 * grade calculator of DESIGN.md §2 (mean of the criterion percentages, rounded half up,
 * letter, GPA points and word). Exit 0, or 2 on a bad percentage.
 */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void grade_usage(FILE *f)
{
    fputs("usage: adal grade PERCENT... [--format text|json]\n"
          "  the mean of the criterion percentages (0..100), rounded half up, on the letter\n"
          "  scale A 95-100 ... F 0-24; e.g. adal grade 100 75 60 45 100 49 -> 72 C+\n",
          f);
}

/* A percentage as typed by a grader: "71.5", "71,5" (decimal comma) or "72%". */
static bool parse_percent(const char *s, double *out)
{
    char buf[64];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n + 1);
    if (buf[n - 1] == '%')
        buf[--n] = 0;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == ',')
            buf[i] = '.';
    char *end = NULL;
    errno = 0;
    double v = strtod(buf, &end);
    if (n == 0 || errno || end != buf + n || !isfinite(v))
        return false;
    *out = v;
    return true;
}

int cmd_grade(int argc, char **argv)
{
    bool json = false;
    const char *v;
    int status = EXIT_ERROR;
    size_t n = 0;
    double *p = calloc((size_t)argc + 1, sizeof *p);
    if (!p) {
        cli_error(NULL, "out of memory");
        return EXIT_ERROR;
    }
    for (int i = 1; i < argc; i++) {
        if (opt_is(argv[i], "-h", "--help")) {
            grade_usage(stdout);
            status = EXIT_CHECKED_OK;
            goto out;
        } else if ((v = opt_value(argc, argv, &i, "--format"))) {
            if (strcmp(v, "json") == 0)
                json = true;
            else if (strcmp(v, "text") == 0)
                json = false;
            else {
                cli_error(NULL, "unknown format '%s' (text or json)", v);
                goto out;
            }
        } else if (strncmp(argv[i], "--format", 8) == 0 && argv[i][8] == 0) {
            goto out; /* opt_value said what is missing */
        } else if (argv[i][0] == '-' && argv[i][1] && !(argv[i][1] >= '0' && argv[i][1] <= '9')) {
            cli_error(NULL, "unknown option '%s'", argv[i]);
            grade_usage(stderr);
            goto out;
        } else if (!parse_percent(argv[i], &p[n])) {
            cli_error(NULL, "'%s' is not a percentage", argv[i]);
            goto out;
        } else
            n++;
    }
    if (n == 0) {
        grade_usage(stderr);
        goto out;
    }
    adal_grade g;
    if (adal_grade_compute(&g, p, n) != ADAL_OK) {
        cli_error(NULL, "every percentage must lie between 0 and 100");
        goto out;
    }
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, json_real(p[i]));
        json_t *o = json_pack("{s:i,s:o,s:f,s:i,s:s,s:f,s:s,s:s,s:s}", "format_version", 1,
                              "percents", arr, "mean", floor(g.mean * 10000 + 0.5) / 10000,
                              "rounded", g.rounded, "letter", g.letter, "gpa", g.gpa, "word_kk",
                              g.word_kk, "word_ru", g.word_ru, "word_en", g.word_en);
        if (!o || json_dumpf(o, stdout,
                             JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) != 0) {
            json_decref(o);
            cli_error(NULL, "cannot write output");
            goto out;
        }
        json_decref(o);
        fputc('\n', stdout);
    } else {
        printf("mean %.4g of %zu -> %d: %s (%.2f) %s / %s / %s\n", g.mean, n, g.rounded, g.letter,
               g.gpa, g.word_kk, g.word_ru, g.word_en);
    }
    status = EXIT_CHECKED_OK;
out:
    free(p);
    if (fflush(stdout) != 0) {
        cli_error(NULL, "cannot write output");
        status = EXIT_ERROR;
    }
    return status;
}
