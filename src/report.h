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
/* The same figure as a report shows it: also *label, what the grader reads for it in lang
 * ("Originality" or "100 − borrowed", translated). */
double adal__band_figure(const adal_score *s, const adal_policy *p, adal_lang lang,
                         const char **name, const char **label);
/* A band's label in lang; "" when the policy gives none. */
const char *adal__band_label(const adal_band *b, adal_lang lang);

/* The engine's warnings (adal_report_warning_info). adal__warning_code gives a warning's
 * stable code for JSON and scripts ("no-countable-text", "excluded-template",
 * "excluded-cohort", "excluded"; "other" for any other). adal__warning_write writes it in lang
 * through put(arg, bytes, n): a sentence translated from its fields in Kazakh and Russian
 * (po/kk.po, po/ru.po; a percentage with a decimal comma and a no-break space when html), the
 * engine's English sentence otherwise; put escapes for its medium (every byte goes through
 * it). */
const char *adal__warning_code(const adal_warning *w);
void adal__warning_write(const adal_warning *w, adal_lang lang, int html,
                         void (*put)(void *arg, const char *s, size_t n), void *arg);
/* Whether the warning states an exclusion (template, cohort or a caller's reason). */
int adal__warning_excludes(const adal_warning *w);

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

int adal__write_html(const adal_report *r, adal_ctx *ctx, FILE *f, const adal_write_opts *o);

/* ---- HTML helpers shared by report_html.c and batch_views.c */
/* A JSON string (quotes included) safe inside an HTML <script> element: < > & U+2028/9,
 * controls and bidi controls as \uXXXX. */
int adal__write_json_html(FILE *f, const char *s, size_t n);
/* "72.4 %" (en) or "72,4 %" (kk, ru), with a no-break space. */
void adal__fmt_pct(char *buf, size_t n, double v, adal_lang lang);
/* <!DOCTYPE> … </head>: the CSP allowing exactly `style` and `js` by their SHA-256, the
 * title (escaped) and the style sheet. */
void adal__html_head(FILE *f, adal_lang lang, const char *title, const char *style, const char *js);
/* SHA-256 (sha256.c) and the base64 of a NUL-terminated string's SHA-256 for a CSP source
 * expression (out: 45 bytes at least). */
void adal__sha256(const void *data, size_t n, unsigned char out[32]);
void adal__csp_hash(const char *s, char out[64]);
/* A number with one decimal; decimal comma when the CSV separator is ';' (Excel in a
 * Kazakh or Russian locale reads "72,4" as a number, "72.4" as text or a date). */
void adal__fmt_num1(char *buf, size_t n, double v, char sep);

#endif
