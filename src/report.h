/* report.h — private helpers shared by the report writers (report_text.c, report_json.c,
 * report_csv.c, later report_html.c): option defaults, number rounding, slices of a
 * document's text by UTF-16 offsets, the band metric, and per-language labels.
 * The writers read a report only through the public accessors of adal.h.
 */
#ifndef ADAL_REPORT_H
#define ADAL_REPORT_H

#include "internal.h"

#include <stdio.h>

/* Options with defaults filled in and values clamped. */
void adal__wopts_resolve(adal_write_opts *out, const adal_write_opts *in);

/* x rounded half up to one decimal (percentages) or four (fractions): the one rounding
 * every writer uses, so text, JSON and CSV always show the same figure. */
double adal__round1(double x);
double adal__round4(double x);

/* The UTF-8 bytes of doc's text between two UTF-16 offsets (clamped to the text). */
const char *adal__doc_slice(const adal_doc *doc, uint32_t start, uint32_t end, size_t *len);

/* The figure the band is decided on, and its name ("100-borrowed" or "originality"). */
double adal__band_value(const adal_score *s, const adal_policy *p, const char **name);

/* Whether a report can be written (finished, with a query). */
int adal__report_ready(const adal_report *r, adal_ctx *ctx);

/* "docx", "odt", "txt", "unknown" */
const char *adal__format_name(adal_format f);

int adal__write_text(const adal_report *r, adal_ctx *ctx, FILE *f, const adal_write_opts *o);
int adal__write_json(const adal_report *r, adal_ctx *ctx, FILE *f, const adal_write_opts *o);
int adal__write_json_error(adal_ctx *ctx, FILE *f, const char *file, int err, const char *msg);
int adal__write_csv(const adal_report *r, adal_ctx *ctx, FILE *f, const adal_write_opts *o);
int adal__write_csv_header(adal_ctx *ctx, FILE *f, const adal_write_opts *o);
int adal__write_csv_error(adal_ctx *ctx, FILE *f, const char *file, int err, const char *msg,
                          const adal_write_opts *o);

#endif
