/* report_csv.c — the CSV writer: a header line, then one row per essay (adal_report_write)
 * or per failed file (adal_report_write_error), for a grader's spreadsheet. RFC 4180
 * quoting through adal_write_csv_cell(), which also defuses cells a spreadsheet would run as
 * formulas (a file named "=HYPERLINK(...).docx" is a real attack). Rows end in "\n".
 */
#include "report.h"

#include <string.h>

static const char *const columns[] = {
    "file",       "originality",        "borrowed",           "cited", "band", "borderline",
    "top_source", "top_source_percent", "evasion_suspicious", "error",
};
enum { NCOLS = sizeof columns / sizeof columns[0] };

static int row(adal_ctx *ctx, FILE *f, const char *const cells[NCOLS], char sep)
{
    for (int i = 0; i < NCOLS; i++) {
        const char *c = cells[i] ? cells[i] : "";
        if ((i && fputc(sep, f) == EOF) || adal_write_csv_cell(f, c, strlen(c), sep) != ADAL_OK)
            return adal__err(ctx, ADAL_EIO, "cannot write the report");
    }
    if (fputc('\n', f) == EOF || ferror(f))
        return adal__err(ctx, ADAL_EIO, "cannot write the report");
    return ADAL_OK;
}

int adal__write_csv_header(adal_ctx *ctx, FILE *f, const adal_write_opts *o)
{
    if (o->csv_bom > 0 && fputs("\xEF\xBB\xBF", f) == EOF)
        return adal__err(ctx, ADAL_EIO, "cannot write the report");
    return row(ctx, f, columns, o->csv_sep);
}

void adal__fmt_num1(char *buf, size_t n, double v, char sep)
{
    snprintf(buf, n, "%.1f", adal__round1(v));
    if (sep == ';')
        for (char *p = buf; *p; p++)
            if (*p == '.')
                *p = ',';
}

int adal__write_csv(const adal_report *r, adal_ctx *ctx, FILE *f, const adal_write_opts *o)
{
    adal_score s;
    adal_report_score(r, &s);
    char orig[16], borr[16], cited[16], top_pct[16] = "";
    adal__fmt_num1(orig, sizeof orig, s.originality, o->csv_sep);
    adal__fmt_num1(borr, sizeof borr, s.borrowed, o->csv_sep);
    adal__fmt_num1(cited, sizeof cited, s.cited, o->csv_sep);
    const char *top = NULL;
    if (adal_report_nsources(r) > 0) {
        const adal_source_result *src = adal_report_source(r, 0);
        top = src->id;
        adal__fmt_num1(top_pct, sizeof top_pct, src->percent, o->csv_sep);
    }
    adal_evasion_summary ev;
    adal_doc_evasion(adal_report_query(r), &ev);
    const char *cells[NCOLS] = {
        o->file ? o->file : adal_doc_name(adal_report_query(r)),
        orig,
        borr,
        cited,
        s.band_info ? s.band_info->range : "",
        s.borderline ? "yes" : "no",
        top,
        top_pct,
        ev.suspicious ? "yes" : "no",
        "",
    };
    return row(ctx, f, cells, o->csv_sep);
}

int adal__write_csv_error(adal_ctx *ctx, FILE *f, const char *file, int err, const char *msg,
                          const adal_write_opts *o)
{
    char e[ADAL_ERRMSG_MAX + 32];
    snprintf(e, sizeof e, "%s: %s", adal_errcode(err), msg);
    const char *cells[NCOLS] = {file, "", "", "", "", "", "", "", "", e};
    return row(ctx, f, cells, o->csv_sep);
}
