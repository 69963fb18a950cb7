/* report.c — the front of the report writers: adal_report_write() dispatches to the text,
 * JSON and CSV writers, and the helpers they share live here (safe terminal output, CSV
 * cells, rounding, text slices by UTF-16 offset, the band metric and labels, the engine's
 * warnings by code and in the reader's language). Last stage of the pipeline: it only
 * reads a finished adal_report through the public accessors.
 */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <string.h>

void adal__wopts_resolve(adal_write_opts *out, const adal_write_opts *in)
{
    adal_write_opts d = ADAL_WRITE_OPTS_INIT;
    *out = in ? *in : d;
    if (out->lang > ADAL_LANG_RU)
        out->lang = ADAL_LANG_EN;
    if (out->csv_sep == 0 || out->csv_sep == '"' || out->csv_sep == '\n' || out->csv_sep == '\r')
        out->csv_sep = ',';
    if (out->width == 0)
        out->width = 100;
    if (out->width < 40)
        out->width = 40;
    if (out->width > 400)
        out->width = 400;
}

double adal__round1(double x)
{
    if (!isfinite(x))
        return 0;
    return floor(x * 10.0 + 0.5 + 1e-9) / 10.0;
}

double adal__round4(double x)
{
    if (!isfinite(x))
        return 0;
    return floor(x * 10000.0 + 0.5 + 1e-9) / 10000.0;
}

const char *adal__doc_slice(const adal_doc *doc, uint32_t start, uint32_t end, size_t *len)
{
    size_t n16 = 0, n8 = 0;
    const char *text = adal_doc_text(doc, &n8);
    adal_doc_text16(doc, &n16);
    if (end > n16)
        end = (uint32_t)n16;
    if (start > end)
        start = end;
    size_t a = adal_doc_utf8_offset(doc, start), b = adal_doc_utf8_offset(doc, end);
    if (b > n8)
        b = n8;
    if (a > b)
        a = b;
    *len = b - a;
    return text + a;
}

double adal__band_value(const adal_score *s, const adal_policy *p, const char **name)
{
    if (p && p->band_on_original) {
        *name = "originality";
        return s->originality;
    }
    *name = "100-borrowed";
    return 100.0 - s->borrowed;
}

double adal__band_figure(const adal_score *s, const adal_policy *p, adal_lang lang,
                         const char **name, const char **label)
{
    double v = adal__band_value(s, p, name);
    *label = strcmp(*name, "originality") == 0 ? adal_tr(lang, "Originality")
                                               : adal_tr(lang, "100 \xE2\x88\x92 borrowed");
    return v;
}

const char *adal__band_label(const adal_band *b, adal_lang lang)
{
    const char *s = lang == ADAL_LANG_KK   ? b->label_kk
                    : lang == ADAL_LANG_RU ? b->label_ru
                                           : b->label_en;
    return s ? s : "";
}

/* ---- engine warnings in the reader's language ----------------------------------------- */

#define N_(s) s

/* By adal_warning_code: the stable code scripts read, and the sentence translators see, with
 * holes for the warning's fields: {pct} (written with its "%"), {n}, {m} and {why}. */
static const struct {
    const char *code, *msgid;
} known_warnings[] = {
    [ADAL_WARN_OTHER] = {"other", NULL},
    [ADAL_WARN_NO_TEXT] = {"no-countable-text",
                           N_("no countable text (letters or digits) left to score")},
    [ADAL_WARN_EXCLUDED_TEMPLATE] = {"excluded-template",
                                     N_("excluded {pct} of the text: it matches the template")},
    [ADAL_WARN_EXCLUDED_COHORT] = {"excluded-cohort",
                                   N_("excluded {pct} of the text: text shared by at least {n} "
                                      "of the {m} students (cohort template)")},
    [ADAL_WARN_EXCLUDED] = {"excluded", N_("excluded {pct} of the text: {why}")},
};
enum { NKNOWN = sizeof known_warnings / sizeof known_warnings[0] };

static const char *const holes[] = {"{pct}", "{n}", "{m}", "{why}"};
enum { H_PCT, H_N, H_M, H_WHY, NHOLES };

static int hole_at(const char *p)
{
    for (int k = 0; k < NHOLES; k++)
        if (strncmp(p, holes[k], strlen(holes[k])) == 0)
            return k;
    return -1;
}

static int known(const adal_warning *w)
{
    return w && (unsigned)w->code < NKNOWN && known_warnings[w->code].msgid;
}

const char *adal__warning_code(const adal_warning *w)
{
    return known(w) ? known_warnings[w->code].code : "other";
}

int adal__warning_excludes(const adal_warning *w)
{
    return w && (w->code == ADAL_WARN_EXCLUDED_TEMPLATE || w->code == ADAL_WARN_EXCLUDED_COHORT ||
                 w->code == ADAL_WARN_EXCLUDED);
}

void adal__warning_write(const adal_warning *w, adal_lang lang, int html,
                         void (*put)(void *arg, const char *s, size_t n), void *arg)
{
    if (!w)
        return;
    if (lang == ADAL_LANG_EN || !known(w)) {
        if (w->text)
            put(arg, w->text, strlen(w->text));
        return;
    }
    const char *t = adal_tr(lang, known_warnings[w->code].msgid);
    char num[32];
    while (*t) {
        size_t run = 0; /* text up to the next hole */
        while (t[run] && !(t[run] == '{' && hole_at(t + run) >= 0))
            run++;
        if (run) {
            put(arg, t, run);
            t += run;
            continue;
        }
        int k = hole_at(t);
        t += strlen(holes[k]);
        switch (k) {
        case H_PCT:
            /* as the report shows its other percentages: "12,0 %" in HTML, "12.0 %" in text */
            snprintf(num, sizeof num, "%.1f", w->percent);
            for (char *c = num; *c; c++)
                put(arg, *c == '.' && html ? "," : c, 1);
            put(arg, html ? "\xC2\xA0%" : " %", html ? 3 : 2);
            break;
        case H_N:
        case H_M:
            snprintf(num, sizeof num, "%u", k == H_N ? w->n : w->m);
            put(arg, num, strlen(num));
            break;
        default:
            if (w->why)
                put(arg, w->why, strlen(w->why));
            break;
        }
    }
}

int adal__report_ready(const adal_report *r, adal_ctx *ctx)
{
    if (!r || !adal_report_query(r))
        return adal__err(ctx, ADAL_EINVAL, "no report to write");
    return ADAL_OK;
}

const char *adal__format_name(adal_format f)
{
    switch (f) {
    case ADAL_FMT_DOCX:
        return "docx";
    case ADAL_FMT_ODT:
        return "odt";
    case ADAL_FMT_TXT:
        return "txt";
    default:
        return "unknown";
    }
}

int adal_report_write(const adal_report *r, adal_ctx *ctx, adal_output fmt, FILE *f,
                      const adal_write_opts *opts)
{
    adal_write_opts o;
    adal__wopts_resolve(&o, opts);
    if (!f)
        return adal__err(ctx, ADAL_EINVAL, "no output stream");
    int rc = adal__report_ready(r, ctx);
    if (rc != ADAL_OK)
        return rc;
    switch (fmt) {
    case ADAL_OUT_TEXT:
        return adal__write_text(r, ctx, f, &o);
    case ADAL_OUT_JSON:
        return adal__write_json(r, ctx, f, &o);
    case ADAL_OUT_CSV:
        return adal__write_csv(r, ctx, f, &o);
    case ADAL_OUT_HTML:
        return adal__write_html(r, ctx, f, &o);
    }
    return adal__err(ctx, ADAL_EINVAL, "unknown output format %d", (int)fmt);
}

int adal_report_write_header(adal_ctx *ctx, adal_output fmt, FILE *f, const adal_write_opts *opts)
{
    adal_write_opts o;
    adal__wopts_resolve(&o, opts);
    if (!f)
        return adal__err(ctx, ADAL_EINVAL, "no output stream");
    if (fmt == ADAL_OUT_CSV)
        return adal__write_csv_header(ctx, f, &o);
    return ADAL_OK;
}

int adal_report_write_error(adal_ctx *ctx, adal_output fmt, FILE *f, const char *file, int err,
                            const char *msg, const adal_write_opts *opts)
{
    adal_write_opts o;
    adal__wopts_resolve(&o, opts);
    if (!f || !file)
        return adal__err(ctx, ADAL_EINVAL, "no output stream or file name");
    if (!msg)
        msg = adal_strerror(err);
    switch (fmt) {
    case ADAL_OUT_TEXT:
    case ADAL_OUT_HTML: /* the error goes to stderr; batch lists it in index.html */
        return ADAL_OK;
    case ADAL_OUT_JSON:
        return adal__write_json_error(ctx, f, file, err, msg);
    case ADAL_OUT_CSV:
        return adal__write_csv_error(ctx, f, file, err, msg, &o);
    }
    return adal__err(ctx, ADAL_EINVAL, "unknown output format %d", (int)fmt);
}

/* Code points a terminal must not receive raw: C0/C1 controls (escape sequences can rewrite
 * the screen) and the bidi controls of UAX #9 (they reorder what follows: "Trojan Source",
 * CVE-2021-42574). \n and \t stay. */
static int unsafe_cp(uint32_t cp)
{
    return (cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
           cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

int adal_write_safe(FILE *f, const char *s, size_t n)
{
    size_t i = 0, run = 0; /* [run, i) is safe and not yet written */
    while (i < n) {
        size_t at = i;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F) { /* ASCII fast path */
            i++;
            continue;
        }
        uint32_t cp = adal__utf8_next(s, n, &i);
        int bad = unsafe_cp(cp) || (cp == 0xFFFD && !(i - at == 3 && (unsigned char)s[at] == 0xEF));
        if (!bad)
            continue;
        if (at > run && fwrite(s + run, 1, at - run, f) != at - run)
            return ADAL_EIO;
        if (cp == 0xFFFD)
            fputs("\xEF\xBF\xBD", f); /* invalid UTF-8 byte */
        else
            fprintf(f, "\xE2\x80\xB9U+%04X\xE2\x80\xBA", (unsigned)cp);
        run = i;
    }
    if (n > run && fwrite(s + run, 1, n - run, f) != n - run)
        return ADAL_EIO;
    return ferror(f) ? ADAL_EIO : ADAL_OK;
}

int adal_write_csv_cell(FILE *f, const char *s, size_t n, char sep)
{
    int quote = 0, guard = 0;
    if (n &&
        (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
        guard = 1;
    for (size_t i = 0; i < n && !quote; i++)
        if (s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            quote = 1;
    if (quote)
        fputc('"', f);
    if (guard)
        fputc('\'', f);
    /* quotes doubled; like adal_write_safe, controls (but \n, \t and \r, which the quotes
     * protect) and bidi controls shown as ‹U+XXXX›, invalid UTF-8 as U+FFFD: a spreadsheet
     * must not receive what a terminal must not (found by fuzz_report: a file name cut
     * inside a UTF-8 sequence went out raw) */
    size_t run = 0; /* [run, i) is safe and not yet written */
    for (size_t i = 0; i < n;) {
        size_t at = i;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F && c != '"') {
            i++;
            continue;
        }
        uint32_t cp = adal__utf8_next(s, n, &i);
        int bad = (unsafe_cp(cp) && cp != '\r') ||
                  (cp == 0xFFFD && !(i - at == 3 && (unsigned char)s[at] == 0xEF));
        if (cp != '"' && !bad)
            continue;
        if (at > run && fwrite(s + run, 1, at - run, f) != at - run)
            return ADAL_EIO;
        if (cp == '"')
            fputs("\"\"", f);
        else if (cp == 0xFFFD)
            fputs("\xEF\xBF\xBD", f);
        else
            fprintf(f, "\xE2\x80\xB9U+%04X\xE2\x80\xBA", (unsigned)cp);
        run = i;
    }
    if (n > run && fwrite(s + run, 1, n - run, f) != n - run)
        return ADAL_EIO;
    if (quote)
        fputc('"', f);
    return ferror(f) ? ADAL_EIO : ADAL_OK;
}
