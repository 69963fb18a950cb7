/* report_text.c — the text writer: a report a grader reads in a terminal. The three shares
 * (original / borrowed / cited), the band with its rubric row, the borderline note, every
 * source with its passages quoted side by side (essay | source), the evasion summary and the
 * warnings. Labels in Kazakh, Russian or English; every byte of student text goes through
 * the same neutralisation as adal_write_safe() (no control or bidi character reaches the
 * terminal).
 */
#include "report.h"

#include <string.h>

enum {
    L_ORIGINALITY,
    L_BORROWED,
    L_CITED,
    L_COUNTABLE,
    L_BAND,
    L_BORDERLINE,
    L_BORDERLINE2,
    L_EXCLUDED,
    L_CHARS,
    L_SOURCES,
    L_NONE,
    L_ATTRIBUTED,
    L_PASSAGES,
    L_ESSAY,
    L_SOURCE,
    L_SIMILARITY,
    L_CITED_MARK,
    L_PARAPHRASE,
    L_EVASION,
    L_SUSPICIOUS,
    L_WARNINGS,
    L_NOTE,
    L_MORE,
    L__COUNT
};

/* The English labels are the msgids; adal_tr() gives the Kazakh and Russian ones from
 * po/kk.po and po/ru.po (N_ marks them for xgettext). */
#define N_(s) s
static const char *const labels_en[L__COUNT] = {
    N_("Originality"),
    N_("Borrowed"),
    N_("Cited"),
    N_("countable characters"),
    N_("Band"),
    N_("Borderline: within"),
    N_("points of a cut-off, or resting on heuristic exclusions; the teacher decides."),
    N_("Excluded"),
    N_("characters"),
    N_("Sources"),
    N_("none"),
    N_("attributed"),
    N_("passages"),
    N_("essay"),
    N_("source"),
    N_("similarity"),
    N_("cited"),
    N_("paraphrase, not counted"),
    N_("Evasion"),
    N_("SUSPICIOUS"),
    N_("Warnings"),
    N_("A score is evidence for a human decision, not a verdict."),
    N_("more"),
};

/* Evasion kinds and document parts as the text report names them: the English names are
 * adal_evasion_name() and adal_part_name(), translated like the other labels. */
static const char *const ev_msgids[ADAL_EV__COUNT] = {
    N_("hidden"),    N_("white"),     N_("tiny"),      N_("narrow"),       N_("spaced"),
    N_("homoglyph"), N_("invisible"), N_("odd-space"), N_("kazakh-latin"),
};
static const char *const part_msgids[ADAL_PART__COUNT] = {
    N_("body"),    N_("table"),  N_("footnote"), N_("endnote"),
    N_("textbox"), N_("header"), N_("footer"),   N_("comment"),
};

#define MAX_FINDINGS_SHOWN 40

typedef struct tw {
    FILE *f;
    const adal_write_opts *o;
    const char *L[L__COUNT];
    adal__buf a, b; /* scratch: the two sides of a passage, neutralised */
    int err;
} tw;

static void out(tw *w, const char *fmt, ...) ADAL_PRINTF(2, 3);
static void out(tw *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(w->f, fmt, ap) < 0)
        w->err = ADAL_EIO;
    va_end(ap);
}

static void safe(tw *w, const char *s, size_t n)
{
    if (adal_write_safe(w->f, s, n) != ADAL_OK)
        w->err = ADAL_EIO;
}

static void safez(tw *w, const char *s)
{
    if (s)
        safe(w, s, strlen(s));
}

static void put_safe(void *w, const char *s, size_t n)
{
    safe(w, s, n);
}

static int combining(uint32_t cp)
{
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x483 && cp <= 0x489) || cp == 0x200B ||
           cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF || cp == 0xAD;
}

/* Neutralise a passage for a fixed-width column: line breaks become " ¶ ", tabs spaces,
 * controls and bidi controls ‹U+XXXX›, zero-width characters ‹U+XXXX› too (they would
 * break the column arithmetic and hide splices); cut after `max` code points with " …". */
static int prepare(adal__buf *b, const char *s, size_t n, unsigned max)
{
    size_t i = 0;
    unsigned shown = 0;
    int rc = 0;
    b->len = 0;
    if (b->data)
        b->data[0] = 0;
    while (i < n && rc == 0) {
        if (max && shown >= max) {
            rc = adal__buf_add(b, " \xE2\x80\xA6", 4);
            break;
        }
        uint32_t cp = adal__utf8_next(s, n, &i);
        shown++;
        if (cp == '\n' || cp == 0x2028 || cp == 0x2029)
            rc = adal__buf_add(b, " \xC2\xB6 ", 4);
        else if (cp == '\t')
            rc = adal__buf_addc(b, ' ');
        else if ((cp < 0x20) || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x061C ||
                 cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
                 (cp >= 0x2066 && cp <= 0x2069) || combining(cp))
            rc = adal__buf_addf(b, "\xE2\x80\xB9U+%04X\xE2\x80\xBA", (unsigned)cp);
        else {
            char u[4];
            rc = adal__buf_add(b, u, adal__utf8_put(u, cp));
        }
    }
    return rc;
}

/* Next line of at most `width` columns from s[*pos..n): breaks at the last space when it
 * can. Returns the byte length of the line and its columns in *cols. */
static size_t next_line(const char *s, size_t n, size_t *pos, unsigned width, unsigned *cols)
{
    size_t start = *pos, i = start, last_space = 0;
    unsigned c = 0, c_at_space = 0;
    while (i < n) {
        size_t at = i;
        uint32_t cp = adal__utf8_next(s, n, &i);
        if (c == width) {
            if (last_space > start) { /* break at the space, drop it */
                *pos = last_space + 1;
                *cols = c_at_space;
                return last_space - start;
            }
            *pos = at;
            *cols = c;
            return at - start;
        }
        if (cp == ' ') {
            last_space = at;
            c_at_space = c;
        }
        c++;
    }
    *pos = n;
    *cols = c;
    return n - start;
}

static void pad(tw *w, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (fputc(' ', w->f) == EOF)
            w->err = ADAL_EIO;
}

/* The two prepared sides (w->a, w->b) in two columns: "essay … │ source …". */
static void side_by_side(tw *w, const char *ha, const char *hb)
{
    unsigned col = (w->o->width - 7) / 2; /* 4 indent + " │ " */
    size_t pa = 0, pb = 0;
    unsigned ca, cb;
    /* headers are ASCII + digits + our own labels: count code points for the padding */
    size_t hi = 0, hn = strlen(ha);
    unsigned hcols = 0;
    while (hi < hn) {
        adal__utf8_next(ha, hn, &hi);
        hcols++;
    }
    out(w, "    %s", ha);
    pad(w, hcols < col ? col - hcols : 1);
    out(w, " \xE2\x94\x82 %s\n", hb);
    while (pa < w->a.len || pb < w->b.len) {
        const char *la = (w->a.data ? w->a.data : "") + pa;
        const char *lb = (w->b.data ? w->b.data : "") + pb;
        size_t na = pa < w->a.len ? next_line(w->a.data, w->a.len, &pa, col, &ca) : (ca = 0);
        size_t nb = pb < w->b.len ? next_line(w->b.data, w->b.len, &pb, col, &cb) : (cb = 0);
        out(w, "    ");
        if (fwrite(la, 1, na, w->f) != na) /* already neutralised by prepare() */
            w->err = ADAL_EIO;
        pad(w, col - ca);
        out(w, " \xE2\x94\x82 ");
        if (fwrite(lb, 1, nb, w->f) != nb)
            w->err = ADAL_EIO;
        out(w, "\n");
    }
}

static void write_passages(tw *w, const adal_report *r, size_t si, const adal_source_result *src)
{
    const adal_doc *q = adal_report_query(r);
    size_t np = adal_report_npassages(r);
    unsigned k = 0;
    for (size_t i = 0; i < np; i++) {
        const adal_passage *p = adal_report_passage(r, i);
        if (p->source != si)
            continue;
        k++;
        bool para = p->kind == ADAL_PASSAGE_PARAPHRASE;
        out(w,
            "   #%u  %s %u\xE2\x80\x93%u \xE2\x86\x94 %s %u\xE2\x80\x93%u  %s %.2f%s%s%s%s%s%s\n",
            k, w->L[L_ESSAY], p->qstart, p->qend, w->L[L_SOURCE], p->sstart, p->send,
            w->L[L_SIMILARITY], p->similarity, p->cited ? "  [" : "",
            p->cited ? w->L[L_CITED_MARK] : "", p->cited ? "]" : "", para ? "  [" : "",
            para ? w->L[L_PARAPHRASE] : "", para ? "]" : "");
        if (!w->o->snippets || !src->doc)
            continue;
        size_t na, nb;
        const char *ta = adal__doc_slice(q, p->qstart, p->qend, &na);
        const char *tb = adal__doc_slice(src->doc, p->sstart, p->send, &nb);
        if (prepare(&w->a, ta, na, w->o->max_snippet) != 0 ||
            prepare(&w->b, tb, nb, w->o->max_snippet) != 0) {
            w->err = ADAL_ENOMEM;
            return;
        }
        side_by_side(w, w->L[L_ESSAY], w->L[L_SOURCE]);
    }
}

/* A homoglyph word looks Cyrillic on screen: name the letters that are not, so the grader
 * sees the trick ("пepзeнтлepім  [Latin: e p]"). */
static void foreign_letters(tw *w, const char *s)
{
    uint32_t seen[8];
    unsigned n = 0;
    size_t i = 0, len = strlen(s);
    while (i < len && n < 8) {
        uint32_t cp = adal__utf8_next(s, len, &i);
        int latin = (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
                    (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
        int greek = cp >= 0x370 && cp <= 0x3FF;
        if (!latin && !greek)
            continue;
        unsigned k = 0;
        while (k < n && seen[k] != cp)
            k++;
        if (k == n)
            seen[n++] = cp;
    }
    if (!n)
        return;
    out(w, "  [%s:", adal_tr(w->o->lang, "Latin/Greek"));
    for (unsigned k = 0; k < n; k++) {
        char u[5] = {0};
        adal__utf8_put(u, seen[k]);
        out(w, " %s", u);
    }
    out(w, "]");
}

static unsigned utf8_cols(const char *s)
{
    size_t i = 0, n = strlen(s);
    unsigned c = 0;
    while (i < n) {
        adal__utf8_next(s, n, &i);
        c++;
    }
    return c;
}

static void write_evasion(tw *w, const adal_doc *q)
{
    adal_evasion_summary s;
    adal_doc_evasion(q, &s);
    out(w, "%s:", w->L[L_EVASION]);
    int any = 0;
    for (int k = 0; k < ADAL_EV__COUNT; k++)
        if (s.count[k]) {
            out(w, "%s %s %u (%u %s)", any ? "," : "", adal_tr(w->o->lang, ev_msgids[k]),
                s.count[k], s.chars[k], w->L[L_CHARS]);
            any = 1;
        }
    if (!any)
        out(w, " %s", w->L[L_NONE]);
    if (s.suspicious)
        out(w, "  [%s]", w->L[L_SUSPICIOUS]);
    out(w, "\n");
    size_t nf = adal_doc_nfindings(q);
    for (size_t i = 0; i < nf && i < MAX_FINDINGS_SHOWN; i++) {
        const adal_finding *f = adal_doc_finding(q, i);
        const char *kind = (unsigned)f->kind < ADAL_EV__COUNT
                               ? adal_tr(w->o->lang, ev_msgids[f->kind])
                               : adal_evasion_name(f->kind);
        const char *part = (unsigned)f->part < ADAL_PART__COUNT
                               ? adal_tr(w->o->lang, part_msgids[f->part])
                               : adal_part_name(f->part);
        out(w, "   %s", kind);
        unsigned cols = utf8_cols(kind);
        pad(w, cols < 12 ? 12 - cols : 0);
        out(w, " %s \xC2\xB6%u @%u: ", part, f->para + 1, f->start);
        safez(w, f->text);
        if (f->kind == ADAL_EV_HOMOGLYPH)
            foreign_letters(w, f->text);
        out(w, "\n");
    }
    if (nf > MAX_FINDINGS_SHOWN)
        out(w, "   \xE2\x80\xA6 %s %zu\n", w->L[L_MORE], nf - MAX_FINDINGS_SHOWN);
}

int adal__write_text(const adal_report *r, adal_ctx *ctx, FILE *f, const adal_write_opts *o)
{
    tw w = {f, o, {0}, {0}, {0}, 0};
    for (int i = 0; i < L__COUNT; i++)
        w.L[i] = adal_tr(o->lang, labels_en[i]);
    adal__buf_init(&w.a, 1u << 20);
    adal__buf_init(&w.b, 1u << 20);
    adal_policy defpol;
    const adal_policy *pol = o->policy;
    if (!pol) {
        adal_policy_default(&defpol);
        pol = &defpol;
    }
    const adal_doc *q = adal_report_query(r);
    adal_score s;
    adal_report_score(r, &s);

    out(&w, "== ");
    safez(&w, o->file ? o->file : adal_doc_name(q));
    out(&w, " (%s)\n", adal__format_name(adal_doc_format(q)));
    out(&w, "%s %.1f %% | %s %.1f %% | %s %.1f %% | %u %s\n", w.L[L_ORIGINALITY],
        adal__round1(s.originality), w.L[L_BORROWED], adal__round1(s.borrowed), w.L[L_CITED],
        adal__round1(s.cited), s.countable, w.L[L_COUNTABLE]);
    if (s.band_info) {
        const char *metric, *label;
        double v = adal__band_figure(&s, pol, o->lang, &metric, &label);
        out(&w, "%s %s \xC2\xAB", w.L[L_BAND], s.band_info->range ? s.band_info->range : "");
        safez(&w, adal__band_label(s.band_info, o->lang));
        out(&w, "\xC2\xBB: %s = %.1f %% \xE2\x89\xA5 %g %%\n", label, adal__round1(v),
            s.band_info->min);
    }
    if (s.borderline) {
        out(&w, "  %s %g %s\n", w.L[L_BORDERLINE], pol->borderline_margin, w.L[L_BORDERLINE2]);
    }
    if (s.excluded_chars)
        out(&w, "%s %.1f %% (%u %s)\n", w.L[L_EXCLUDED], adal__round1(s.excluded), s.excluded_chars,
            w.L[L_CHARS]);

    size_t ns = adal_report_nsources(r);
    out(&w, "%s: %zu\n", w.L[L_SOURCES], ns);
    for (size_t i = 0; i < ns && !w.err; i++) {
        const adal_source_result *src = adal_report_source(r, i);
        out(&w, "%2zu. ", i + 1);
        safez(&w, src->id);
        out(&w, "  %.1f %% (%s %.1f %%), %s: %u\n", adal__round1(src->percent), w.L[L_ATTRIBUTED],
            adal__round1(src->percent_attributed), w.L[L_PASSAGES], src->npassages);
        write_passages(&w, r, i, src);
    }
    write_evasion(&w, q);
    size_t nw = adal_report_nwarnings(r);
    if (nw) {
        out(&w, "%s:\n", w.L[L_WARNINGS]);
        for (size_t i = 0; i < nw; i++) {
            out(&w, "   - ");
            adal__warning_write(adal_report_warning_info(r, i), o->lang, 0, put_safe, &w);
            out(&w, "\n");
        }
    }
    out(&w, "%s\n\n", w.L[L_NOTE]);
    adal__buf_free(&w.a);
    adal__buf_free(&w.b);
    if (w.err == ADAL_ENOMEM)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory writing the text report");
    if (w.err || ferror(f))
        return adal__err(ctx, ADAL_EIO, "cannot write the report");
    return ADAL_OK;
}
