/* cmd_summary.c — `adal summary OUT_DIR [--lang kk|ru|en] [--csv-sep C] [--no-csv-bom]`:
 * (re)write OUT_DIR/index.html and an Excel-ready OUT_DIR/summary.csv from the
 * OUT_DIR/summary.json that `adal batch` wrote (adal_batch_views_write). Exit 0, or 2.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void summary_usage(FILE *f)
{
    fputs("usage: adal summary OUT_DIR [--lang en|kk|ru] [--csv-sep C] [--no-csv-bom]\n"
          "  writes OUT_DIR/index.html and OUT_DIR/summary.csv (UTF-8 with BOM, ';' and\n"
          "  decimal comma by default) from the OUT_DIR/summary.json of `adal batch`\n",
          f);
}

int cmd_summary(int argc, char **argv)
{
    static const char *const valued[] = {"--lang", "--csv-sep", NULL};
    adal_write_opts wo = ADAL_WRITE_OPTS_INIT;
    const char *dir = NULL, *v;
    wo.lang = adal_lang_default();
    wo.csv_sep = ';';
    wo.csv_bom = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opt_is(a, "-h", "--help")) {
            summary_usage(stdout);
            return EXIT_CHECKED_OK;
        } else if ((v = opt_value(argc, argv, &i, "--lang"))) {
            if (!cli_parse_lang(v, &wo.lang))
                return EXIT_ERROR;
        } else if ((v = opt_value(argc, argv, &i, "--csv-sep"))) {
            if (!cli_parse_sep(v, &wo.csv_sep))
                return EXIT_ERROR;
        } else if (opt_is(a, NULL, "--csv-bom"))
            wo.csv_bom = 1;
        else if (opt_is(a, NULL, "--no-csv-bom"))
            wo.csv_bom = 0;
        else if (a[0] == '-' && a[1]) {
            if (!cli_opt_missing(a, valued))
                cli_error(NULL, "unknown option '%s'", a);
            summary_usage(stderr);
            return EXIT_ERROR;
        } else if (!dir)
            dir = a;
        else {
            summary_usage(stderr);
            return EXIT_ERROR;
        }
    }
    if (!dir) {
        summary_usage(stderr);
        return EXIT_ERROR;
    }
    adal_ctx *ctx = NULL;
    if (adal_ctx_new(&ctx) != ADAL_OK) {
        cli_error(NULL, "out of memory");
        return EXIT_ERROR;
    }
    int rc = adal_batch_views_write(ctx, dir, &wo);
    if (rc != ADAL_OK)
        cli_error(dir, "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
    adal_ctx_free(ctx);
    return rc == ADAL_OK ? EXIT_CHECKED_OK : EXIT_ERROR;
}
