/* report_html.c — the grader's report: one self-contained HTML page per essay (no network,
 * works from file://, prints on A4 in black and white). At the top the three shares as
 * numbers and one stacked bar, the band with the whole rubric and its row marked, the
 * borderline and low-confidence notes, what was excluded and why, the evasion findings;
 * then the essay's full text with every passage marked in its source's colour *and* pattern
 * (colour-blind-safe Okabe–Ito tints, a different underline per source and the source
 * number, so a photocopy still tells them apart), cited and excluded text set apart, hidden
 * text shown where it was; the sources table; every passage side by side with its source.
 *
 * Safety: every byte of student or source text goes through adal_write_html() (escaped,
 * controls and bidi controls made visible); data for scripts is JSON with < > & U+2028/9
 * escaped. The page carries a Content-Security-Policy that allows only its own style sheet
 * and its one script by SHA-256 hash: nothing a student wrote can run, load or submit
 * anything, even if an escape were missed. Without JavaScript everything but the side panel
 * works (each passage links to its side-by-side pair further down).
 * Structure and element ids for scripts: docs/FORMATS.md "HTML report".
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#define NPAL 8
#define CONTEXT16 160 /* source context shown either side of a passage, UTF-16 units */
#define MAX_FINDINGS_LISTED 200

/* The style sheet and the script are constants: their CSP hashes are computed once per
 * report from these very bytes, so editing them can never leave a stale hash behind. */
static const char css[] =
    ":root{--s0:#E69F00;--s1:#56B4E9;--s2:#009E73;--s3:#F0E442;--s4:#0072B2;--s5:#D55E00;"
    "--s6:#CC79A7;--s7:#000000;--t0:#fbe3b3;--t1:#d4ecfa;--t2:#b3e6d6;--t3:#fbf6c4;"
    "--t4:#b8d6ee;--t5:#f5ccb3;--t6:#f0d7e7;--t7:#dddddd}\n"
    "*{box-sizing:border-box}\n"
    "body{font:15px/1.5 'DejaVu Sans','Noto Sans',Arial,sans-serif;margin:0 auto;max-width:"
    "1400px;padding:1em;color:#111;background:#fff;overflow-wrap:anywhere;word-break:normal}\n"
    "h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;border-bottom:1px solid #999;"
    "margin-top:1.4em}\n"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #999;padding:.2em .5em;"
    "text-align:left;vertical-align:top}th{background:#eee}td.n,th.n{text-align:right}\n"
    ".meta{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}"
    ".meta dt{font-weight:bold}.meta dd{margin:0}\n"
    ".figs{display:flex;flex-wrap:wrap;gap:1.5em;margin:.6em 0}.fig{font-size:1.1em}"
    ".fig b{font-size:1.6em}\n"
    ".bar{width:100%;max-width:700px;height:28px;border:1px solid #000;display:block}\n"
    ".legend span{margin-right:1.2em}.sw{display:inline-block;width:1.4em;height:.9em;"
    "border:1px solid #000;vertical-align:middle;margin-right:.3em}\n"
    ".sw-o{background:#fff}.sw-b{background:#333}.sw-c{background:repeating-linear-gradient("
    "45deg,#fff 0 3px,#555 3px 5px)}\n"
    "tr.cur{font-weight:bold;outline:3px solid #000}tr.cur td:first-child::before{content:'\\25B6  "
    "'}\n"
    ".note{border-left:4px solid #000;padding:.3em .8em;background:#f4f4f4}\n"
    ".warn{border-left:4px double #000;padding:.3em .8em}\n"
    ".layout{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.2em}\n"
    "#side{position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto;border:1px solid"
    " #999;padding:.6em;font-size:.92em}\n"
    "#text p{margin:.4em 0;white-space:pre-wrap}\n"
    ".part{font-size:.8em;border:1px solid #666;padding:0 .3em;margin-right:.4em}\n"
    "a.m{color:inherit;text-decoration-line:underline;text-decoration-thickness:2px;"
    "text-underline-offset:3px;cursor:pointer}\n"
    ".s0{background:var(--t0);text-decoration-color:var(--s0);text-decoration-style:solid}\n"
    ".s1{background:var(--t1);text-decoration-color:var(--s1);text-decoration-style:double}\n"
    ".s2{background:var(--t2);text-decoration-color:var(--s2);text-decoration-style:dotted}\n"
    ".s3{background:var(--t3);text-decoration-color:#9a8c00;text-decoration-style:dashed}\n"
    ".s4{background:var(--t4);text-decoration-color:var(--s4);text-decoration-style:wavy}\n"
    ".s5{background:var(--t5);text-decoration-color:var(--s5);text-decoration-style:solid;"
    "text-decoration-thickness:4px}\n"
    ".s6{background:var(--t6);text-decoration-color:var(--s6);text-decoration-style:double;"
    "text-decoration-thickness:3px}\n"
    ".s7{background:var(--t7);text-decoration-color:#000;text-decoration-style:dotted;"
    "text-decoration-thickness:3px}\n"
    "sup.sn{font-size:.7em;font-weight:bold;border:1px solid #000;padding:0 .15em;"
    "background:#fff}\n"
    "a.m.cited{background:none;font-style:italic;border:1px dashed #555;"
    "text-decoration-line:none}\n"
    "a.m.cited sup.sn::after{content:' \\275D'}\n"
    "a.m.para{background:none;border-bottom:2px dotted #555;text-decoration-line:none}\n"
    ".excl{color:#555;background:repeating-linear-gradient(135deg,#fff 0 4px,#e6e6e6 4px 8px);"
    "text-decoration:line-through #888}\n"
    ".ev{outline:1px dashed #000}.ev-homoglyph{outline:2px solid #000;outline-offset:1px}\n"
    "ins.hid{text-decoration:none;border:2px dashed #000;background:#fff;font-size:.9em;"
    "padding:0 .2em}\n"
    ".tag{font-size:.75em;font-weight:bold;text-transform:uppercase;margin-right:.3em}\n"
    ".cc{font-size:.6em;border:1px solid #888;padding:0 .05em;font-family:monospace;"
    "vertical-align:.2em;line-height:1}\n"
    ".zw::before{content:'\\A6';font-size:.8em;color:#a00;font-weight:bold}\n"
    ".sel{outline:3px solid #000}\n"
    ".pair{border:1px solid #999;margin:.6em 0;padding:.4em;break-inside:avoid}\n"
    ".pair h4{margin:.1em 0 .3em}.cols{display:grid;grid-template-columns:1fr 1fr;gap:.8em}\n"
    ".cols blockquote{margin:0;padding:.3em;border:1px solid #ccc;white-space:pre-wrap}\n"
    ".cols mark{background:#ffec8a;border-bottom:2px solid #000}\n"
    "footer{margin-top:2em;font-size:.85em;color:#333}\n"
    "@page{size:A4;margin:15mm 12mm}\n"
    "@media print{body{font-size:10.5pt;max-width:none;padding:0}.layout{display:block}"
    "#side,.noprint{display:none}a.m{text-decoration-color:#000}*{print-color-adjust:exact;"
    "-webkit-print-color-adjust:exact}h2{break-after:avoid}tr{break-inside:avoid}}\n"
    "@media (max-width:800px){.layout{display:block}#side{display:none}.cols{display:block}}\n";

static const char script[] =
    "(function(){'use strict';\n"
    "var side=document.getElementById('side');\n"
    "function show(n){var p=document.getElementById('pair-'+n);if(!p||!side)return;\n"
    "var c=p.cloneNode(true);c.removeAttribute('id');side.textContent='';side.appendChild(c);\n"
    "var "
    "a=document.querySelectorAll('.sel'),i;for(i=0;i<a.length;i++)a[i].classList.remove('sel');\n"
    "a=document.querySelectorAll('#text a.m');for(i=0;i<a.length;i++)"
    "if(a[i].getAttribute('data-p')===String(n))a[i].classList.add('sel');}\n"
    "document.addEventListener('click',function(e){var t=e.target;\n"
    "while(t&&!(t.tagName==='A'&&t.classList.contains('m')))t=t.parentElement;\n"
    "if(!t||!side||getComputedStyle(side).display==='none')return;e.preventDefault();"
    "show(parseInt(t.getAttribute('data-p'),10));});\n"
    "document.addEventListener('keydown',function(e){var t=document.activeElement;"
    "if(e.key==='Enter'&&t&&t.classList&&t.classList.contains('m')&&side&&"
    "getComputedStyle(side).display!=='none'){e.preventDefault();"
    "show(parseInt(t.getAttribute('data-p'),10));}});\n"
    "})();\n";

typedef struct hw {
    FILE *f;
    const adal_write_opts *o;
    adal_lang lang;
    int err;
} hw;

#define T(s) adal_tr(w->lang, s)

static void out(hw *w, const char *fmt, ...) ADAL_PRINTF(2, 3);
static void out(hw *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(w->f, fmt, ap) < 0)
        w->err = ADAL_EIO;
    va_end(ap);
}

static void raw(hw *w, const char *s)
{
    if (fputs(s, w->f) == EOF)
        w->err = ADAL_EIO;
}

static void esc(hw *w, const char *s, size_t n)
{
    if (adal_write_html(w->f, s, n) != ADAL_OK)
        w->err = ADAL_EIO;
}

static void escz(hw *w, const char *s)
{
    if (s)
        esc(w, s, strlen(s));
}

static void put_esc(void *w, const char *s, size_t n)
{
    esc(w, s, n);
}

/* An engine warning as a list item in the page's language, its stable code for scripts. */
static void warning_li(hw *w, const adal_warning *wn)
{
    out(w, "<li data-code=\"%s\">", adal__warning_code(wn));
    adal__warning_write(wn, w->lang, 1, put_esc, w);
    raw(w, "</li>\n");
}

/* Code points made visible in HTML: C0/C1 controls but \t and \n, bidi controls (they would
 * reorder the grader's view), line/paragraph separators, and the invisible ones a student
 * uses to split words (zero-width space/joiners, word joiner, BOM, soft hyphen). */
static int visible_cp(uint32_t cp)
{
    return (cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
           cp == 0x061C || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x200E ||
           cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xAD;
}

/* Zero-width characters (splitting a word for the matcher, invisible on screen): shown as a
 * small mark drawn by the style sheet (the code point in its title), so a text where every
 * word hides one stays readable while each one remains visible. */
static int zero_width(uint32_t cp)
{
    return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF ||
           cp == 0xAD;
}

/* markup = 0: for <title> and other text-only places, every visible code point as plain
 * ‹U+XXXX› text. */
static int write_html(FILE *f, const char *s, size_t n, int markup)
{
    size_t i = 0, run = 0;
    while (i < n) {
        size_t at = i;
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        if (c >= 0x20 && c < 0x7F) {
            switch (c) {
            case '&':
                rep = "&amp;";
                break;
            case '<':
                rep = "&lt;";
                break;
            case '>':
                rep = "&gt;";
                break;
            case '"':
                rep = "&quot;";
                break;
            case '\'':
                rep = "&#39;";
                break;
            default:
                i++;
                continue;
            }
            i++;
        } else {
            uint32_t cp = adal__utf8_next(s, n, &i);
            int invalid = cp == 0xFFFD && !(i - at == 3 && (unsigned char)s[at] == 0xEF);
            if (!invalid && !visible_cp(cp))
                continue;
            if (at > run && fwrite(s + run, 1, at - run, f) != at - run)
                return ADAL_EIO;
            if (invalid)
                fputs("\xEF\xBF\xBD", f);
            else if (!markup)
                fprintf(f, "\xE2\x80\xB9U+%04X\xE2\x80\xBA", (unsigned)cp);
            else if (zero_width(cp))
                fprintf(f, "<span class=\"zw\" title=\"U+%04X\"></span>", (unsigned)cp);
            else
                fprintf(f, "<span class=\"cc\">\xE2\x80\xB9U+%04X\xE2\x80\xBA</span>",
                        (unsigned)cp);
            run = i;
            continue;
        }
        if (at > run && fwrite(s + run, 1, at - run, f) != at - run)
            return ADAL_EIO;
        fputs(rep, f);
        run = i;
    }
    if (n > run && fwrite(s + run, 1, n - run, f) != n - run)
        return ADAL_EIO;
    return ferror(f) ? ADAL_EIO : ADAL_OK;
}

int adal_write_html(FILE *f, const char *s, size_t n)
{
    return write_html(f, s, n, 1);
}

int adal__write_json_html(FILE *f, const char *s, size_t n)
{
    size_t i = 0, run = 0;
    if (fputc('"', f) == EOF)
        return ADAL_EIO;
    while (i < n) {
        size_t at = i;
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        if (c < 0x80) {
            i++;
            cp = c;
            if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c != 0x7F)
                continue;
        } else {
            cp = adal__utf8_next(s, n, &i);
            int invalid = cp == 0xFFFD && !(i - at == 3 && (unsigned char)s[at] == 0xEF);
            if (!invalid && !(cp < 0xA0 || cp == 0x2028 || cp == 0x2029 || visible_cp(cp)))
                continue;
        }
        if (at > run && fwrite(s + run, 1, at - run, f) != at - run)
            return ADAL_EIO;
        if (cp == '"' || cp == '\\')
            fprintf(f, "\\%c", (char)cp);
        else
            fprintf(f, "\\u%04x", (unsigned)cp);
        run = i;
    }
    if (n > run && fwrite(s + run, 1, n - run, f) != n - run)
        return ADAL_EIO;
    if (fputc('"', f) == EOF)
        return ADAL_EIO;
    return ferror(f) ? ADAL_EIO : ADAL_OK;
}

static void jstr(hw *w, const char *s)
{
    if (adal__write_json_html(w->f, s ? s : "", s ? strlen(s) : 0) != ADAL_OK)
        w->err = ADAL_EIO;
}

/* A percentage as the grader's language writes it: "72.4 %" or "72,4 %". */
void adal__fmt_pct(char *buf, size_t n, double v, adal_lang lang)
{
    snprintf(buf, n, "%.1f\xC2\xA0%%", adal__round1(v));
    if (lang != ADAL_LANG_EN)
        for (char *p = buf; *p; p++)
            if (*p == '.')
                *p = ',';
}

static void pct(hw *w, double v)
{
    char b[32];
    adal__fmt_pct(b, sizeof b, v, w->lang);
    raw(w, b);
}

void adal__html_head(FILE *f, adal_lang lang, const char *title, const char *style, const char *js)
{
    char hs[64], hj[64];
    adal__csp_hash(style, hs);
    adal__csp_hash(js, hj);
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'sha256-%s'; script-src 'sha256-%s'; img-src data:; base-uri 'none'; "
            "form-action 'none'\">\n"
            "<meta name=\"referrer\" content=\"no-referrer\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"adal %s\">\n<title>",
            lang == ADAL_LANG_KK   ? "kk"
            : lang == ADAL_LANG_RU ? "ru"
                                   : "en",
            hs, hj, ADAL_VERSION);
    write_html(f, title, strlen(title), 0);
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n", style);
}

/* A band's label, "—" when the policy gives none (an empty cell reads as a gap). */
static const char *band_label(const adal_band *b, adal_lang lang)
{
    const char *s = adal__band_label(b, lang);
    return *s ? s : "\xE2\x80\x94";
}

/* The student: given, or the name of the folder the file is in ("course/Aidana/essay.docx"
 * → "Aidana"), or NULL. */
static const char *student_of(const char *file, char *buf, size_t n)
{
    const char *slash = file ? strrchr(file, '/') : NULL;
    if (!slash || slash == file)
        return NULL;
    const char *p = slash;
    while (p > file && p[-1] != '/')
        p--;
    size_t len = (size_t)(slash - p);
    if (len == 0 || len >= n || (len == 1 && *p == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
        return NULL;
    memcpy(buf, p, len);
    buf[len] = 0;
    return buf;
}

static void bar(hw *w, const adal_score *s)
{
    double o = adal__round1(s->originality), b = adal__round1(s->borrowed),
           c = adal__round1(s->cited);
    double tot = o + b + c > 0 ? o + b + c : 100;
    double wo = 1000 * o / tot, wb = 1000 * b / tot, wc = 1000 - wo - wb;
    if (wc < 0)
        wc = 0;
    out(w,
        "<svg class=\"bar\" id=\"bar\" viewBox=\"0 0 1000 28\" preserveAspectRatio=\"none\" "
        "role=\"img\" aria-label=\"%s %.1f, %s %.1f, %s %.1f\">"
        "<defs><pattern id=\"hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
        "patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#fff\"/>"
        "<rect width=\"3\" height=\"8\" fill=\"#555\"/></pattern></defs>"
        "<rect x=\"0\" y=\"0\" width=\"%.1f\" height=\"28\" fill=\"#fff\"/>"
        "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"28\" fill=\"#333\"/>"
        "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"28\" fill=\"url(#hatch)\"/></svg>\n",
        T("Originality"), o, T("Borrowed"), b, T("Cited"), c, wo, wo, wb, wo + wb, wc);
    out(w,
        "<p class=\"legend\"><span><i class=\"sw sw-o\"></i>%s</span><span><i class=\"sw "
        "sw-b\"></i>%s</span><span><i class=\"sw sw-c\"></i>%s</span></p>\n",
        T("Originality"), T("Borrowed"), T("Cited"));
}

static void rubric(hw *w, const adal_score *s, const adal_policy *pol)
{
    const char *metric, *label;
    double v = adal__band_figure(s, pol, w->lang, &metric, &label);
    out(w, "<h2 id=\"band-h\">%s</h2>\n<p id=\"band\" data-index=\"%u\" data-metric=\"%s\">",
        T("Band"), s->band, metric);
    out(w, "%s = ", label);
    pct(w, v);
    if (s->band_info) {
        out(w, " \xE2\x86\x92 <b>");
        escz(w, s->band_info->range);
        raw(w, " \xC2\xAB");
        escz(w, band_label(s->band_info, w->lang));
        raw(w, "\xC2\xBB</b>");
    }
    raw(w, "</p>\n");
    out(w, "<table id=\"rubric\"><caption>%s</caption><tr><th>%s</th><th>%s</th><th>%s</th></tr>\n",
        T("The rubric: the band a result allows"), label, T("Grade band"), T("Label"));
    for (unsigned i = 0; i < pol->nbands; i++) {
        const adal_band *b = &pol->bands[i];
        out(w, "<tr%s data-index=\"%u\"><td>",
            i == s->band ? " class=\"cur\" aria-current=\"true\"" : "", i);
        if (i == 0 || pol->bands[i - 1].min <= b->min)
            out(w, "\xE2\x89\xA5 %g %%", b->min);
        else if (b->min <= 0)
            out(w, "&lt; %g %%", pol->bands[i - 1].min);
        else
            out(w, "%g\xE2\x80\x93%g %%", b->min, pol->bands[i - 1].min);
        raw(w, "</td><td>");
        escz(w, b->range);
        raw(w, "</td><td>");
        escz(w, band_label(b, w->lang));
        raw(w, "</td></tr>\n");
    }
    raw(w, "</table>\n");
    if (s->borderline)
        out(w, "<p class=\"warn\" id=\"borderline\"><b>%s</b> %s %g %s</p>\n", T("Borderline."),
            T("The band figure lies within"), pol->borderline_margin,
            T("points of a cut-off, or rests on heuristic exclusions: read the text before "
              "deciding."));
}

static const char *kind_label(hw *w, adal_evasion k)
{
    switch (k) {
    case ADAL_EV_HIDDEN:
        return T("hidden text");
    case ADAL_EV_WHITE:
        return T("white text");
    case ADAL_EV_TINY:
        return T("tiny text");
    case ADAL_EV_NARROW:
        return T("squeezed text");
    case ADAL_EV_SPACED:
        return T("letter spacing");
    case ADAL_EV_HOMOGLYPH:
        return T("look-alike letters");
    case ADAL_EV_INVISIBLE:
        return T("invisible characters");
    case ADAL_EV_ODD_SPACE:
        return T("unusual spaces");
    case ADAL_EV_KAZAKH_LATIN:
        return T("Kazakh Latin");
    default:
        return "";
    }
}

/* Kinds whose text was taken out of the extracted text (one space left in its place):
 * shown as an inserted box at that place. The others are marked where they are. */
static int removed_kind(adal_evasion k)
{
    return k == ADAL_EV_HIDDEN || k == ADAL_EV_WHITE || k == ADAL_EV_TINY || k == ADAL_EV_NARROW ||
           k == ADAL_EV_SPACED;
}

static void evasion(hw *w, const adal_doc *q)
{
    adal_evasion_summary s;
    adal_doc_evasion(q, &s);
    out(w, "<h2 id=\"evasion-h\">%s</h2>\n<div id=\"evasion\" data-suspicious=\"%d\">",
        T("Evasion"), s.suspicious ? 1 : 0);
    if (s.suspicious)
        out(w, "<p class=\"warn\"><b>%s</b> %s</p>\n", T("Suspicious."),
            T("The document hides or disguises text; the marked places in the text below show "
              "where."));
    int any = 0;
    for (int k = 0; k < ADAL_EV__COUNT; k++)
        any |= s.count[k] != 0;
    if (!any) {
        out(w, "<p>%s</p></div>\n", T("No hidden or disguised text found."));
        return;
    }
    out(w,
        "<table id=\"evasion-counts\"><tr><th>%s</th><th class=\"n\">%s</th><th "
        "class=\"n\">%s</th></tr>\n",
        T("Trick"), T("Places"), T("Characters"));
    for (int k = 0; k < ADAL_EV__COUNT; k++)
        if (s.count[k])
            out(w,
                "<tr data-kind=\"%s\"><td>%s</td><td class=\"n\">%u</td><td "
                "class=\"n\">%u</td></tr>\n",
                adal_evasion_name((adal_evasion)k), kind_label(w, (adal_evasion)k), s.count[k],
                s.chars[k]);
    raw(w, "</table>\n<details><summary>");
    raw(w, T("Every finding"));
    raw(w, "</summary><ol id=\"findings\">\n");
    size_t nf = adal_doc_nfindings(q);
    for (size_t i = 0; i < nf && i < MAX_FINDINGS_LISTED; i++) {
        const adal_finding *fd = adal_doc_finding(q, i);
        out(w, "<li data-kind=\"%s\"><a href=\"#f%zu\">%s</a>, %s \xC2\xB6%u: <q>",
            adal_evasion_name(fd->kind), i, kind_label(w, fd->kind), T(adal_part_name(fd->part)),
            fd->para + 1);
        escz(w, fd->text);
        raw(w, "</q></li>\n");
    }
    raw(w, "</ol></details></div>\n");
}

/* ---- the full text ------------------------------------------------------------------- */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

typedef struct tctx {
    const adal_report *r;
    const adal_doc *q;
    size_t np, nf, nx;
    adal_exclusion *ex;
    uint32_t *cut;
    size_t ncut, capcut;
    unsigned char *started; /* per passage: its source number already shown */
    size_t *fmark;          /* per finding: anchor written */
} tctx;

static int add_cut(tctx *t, uint32_t a, uint32_t lo, uint32_t hi)
{
    if (a <= lo || a >= hi)
        return 0;
    if (adal__grow((void **)&t->cut, &t->capcut, t->ncut + 1, sizeof *t->cut))
        return -1;
    t->cut[t->ncut++] = a;
    return 0;
}

/* Student text for element content: escaped, plus a <wbr> after every WBR_RUN characters
 * without a space, so a browser can wrap a 1 MB "word" cheaply (with overflow-wrap alone,
 * Chromium spends most of a minute laying such a word out). <wbr> adds no text: what a
 * script reads with textContent is the text itself. */
#define WBR_RUN 48

static void text_slice(hw *w, const adal_doc *d, uint32_t a, uint32_t b)
{
    size_t n;
    const char *p = adal__doc_slice(d, a, b, &n);
    size_t i = 0, from = 0;
    unsigned run = 0;
    while (i < n) {
        unsigned char c = (unsigned char)p[i];
        if (c == ' ' || c == '\n' || c == '\t') {
            run = 0;
            i++;
            continue;
        }
        if (c < 0x80)
            i++;
        else
            adal__utf8_next(p, n, &i);
        if (++run == WBR_RUN) {
            esc(w, p + from, i - from);
            raw(w, "<wbr>");
            from = i;
            run = 0;
        }
    }
    esc(w, p + from, n - from);
}

static void interval(hw *w, tctx *t, uint32_t a, uint32_t b)
{
    /* removed text that sat here: a box before the interval */
    for (size_t i = 0; i < t->nf; i++) {
        const adal_finding *fd = adal_doc_finding(t->q, i);
        if (fd->start != a || t->fmark[i])
            continue;
        t->fmark[i] = 1;
        if (removed_kind(fd->kind)) {
            out(w, "<ins class=\"hid ev-%s\" id=\"f%zu\"><span class=\"tag\">%s</span>",
                adal_evasion_name(fd->kind), i, kind_label(w, fd->kind));
            escz(w, fd->text);
            raw(w, "</ins>");
        } else
            out(w, "<span id=\"f%zu\"></span>", i);
    }
    long pi = -1; /* the first passage covering [a, b); others covering it go in data-also */
    for (size_t i = 0; i < t->np; i++) {
        const adal_passage *p = adal_report_passage(t->r, i);
        if (p->qstart > a)
            break;
        if (p->qend > a) {
            pi = (long)i;
            break;
        }
    }
    int excl = 0;
    for (size_t i = 0; i < t->nx && !excl; i++)
        excl = t->ex[i].start <= a && a < t->ex[i].end;
    const adal_finding *ev = NULL;
    for (size_t i = 0; i < t->nf && !ev; i++) {
        const adal_finding *fd = adal_doc_finding(t->q, i);
        if (!removed_kind(fd->kind) && fd->start <= a && a < fd->start + fd->len)
            ev = fd;
    }
    if (pi >= 0) {
        const adal_passage *p = adal_report_passage(t->r, (size_t)pi);
        out(w, "<a class=\"m s%u%s\" href=\"#pair-%ld\" data-p=\"%ld\" data-src=\"%u\"",
            p->source % NPAL,
            p->kind == ADAL_PASSAGE_PARAPHRASE ? " para"
            : p->cited                         ? " cited"
                                               : "",
            pi, pi, p->source);
        int also = 0;
        for (size_t i = (size_t)pi + 1; i < t->np; i++) {
            const adal_passage *o = adal_report_passage(t->r, i);
            if (o->qstart > a)
                break;
            if (o->qend > a)
                out(w, also++ ? " %zu" : " data-also=\"%zu", i);
        }
        raw(w, also ? "\">" : ">");
        if (!t->started[pi]) {
            t->started[pi] = 1;
            out(w, "<sup class=\"sn\">%u</sup>", p->source + 1);
        }
    }
    if (excl)
        out(w, "<span class=\"excl\" title=\"%s\">", T("excluded"));
    if (ev)
        out(w, "<span class=\"ev ev-%s\" title=\"%s\">", adal_evasion_name(ev->kind),
            kind_label(w, ev->kind));
    text_slice(w, t->q, a, b);
    if (ev)
        raw(w, "</span>");
    if (excl)
        raw(w, "</span>");
    if (pi >= 0)
        raw(w, "</a>");
}

static int full_text(hw *w, const adal_report *r)
{
    tctx t = {0};
    t.r = r;
    t.q = adal_report_query(r);
    t.np = adal_report_npassages(r);
    t.nf = adal_doc_nfindings(t.q);
    t.nx = adal_report_nexclusions(r);
    int rc = ADAL_ENOMEM;
    t.ex = adal__calloc(t.nx + 1, sizeof *t.ex);
    t.started = adal__calloc(t.np + 1, 1);
    t.fmark = adal__calloc(t.nf + 1, sizeof *t.fmark);
    if (!t.ex || !t.started || !t.fmark)
        goto out;
    for (size_t i = 0; i < t.nx; i++)
        adal_report_exclusion(r, i, &t.ex[i]);
    out(w, "<section id=\"text\"><h2>%s</h2>\n", T("The text"));
    size_t nseg = adal_doc_nsegments(t.q);
    for (size_t si = 0; si < nseg; si++) {
        const adal_segment *g = adal_doc_segment(t.q, si);
        uint32_t lo = g->start, hi = g->start + g->len;
        size_t n8;
        const char *seg = adal__doc_slice(t.q, lo, hi, &n8);
        if (n8 && seg[n8 - 1] == '\n')
            hi--;
        t.ncut = 0;
        for (size_t i = 0; i < t.np; i++) {
            const adal_passage *p = adal_report_passage(r, i);
            if (add_cut(&t, p->qstart, lo, hi) || add_cut(&t, p->qend, lo, hi))
                goto out;
        }
        for (size_t i = 0; i < t.nf; i++) {
            const adal_finding *fd = adal_doc_finding(t.q, i);
            if (add_cut(&t, fd->start, lo, hi) || add_cut(&t, fd->start + fd->len, lo, hi))
                goto out;
        }
        for (size_t i = 0; i < t.nx; i++)
            if (add_cut(&t, t.ex[i].start, lo, hi) || add_cut(&t, t.ex[i].end, lo, hi))
                goto out;
        if (t.ncut)
            qsort(t.cut, t.ncut, sizeof *t.cut, cmp_u32);
        out(w, "<p id=\"seg-%zu\" data-part=\"%s\">", si, adal_part_name(g->part));
        if (g->part != ADAL_PART_BODY)
            out(w, "<span class=\"part\">%s</span>", T(adal_part_name(g->part)));
        uint32_t a = lo;
        for (size_t k = 0; k <= t.ncut; k++) {
            uint32_t b = k < t.ncut ? t.cut[k] : hi;
            if (b <= a)
                continue;
            interval(w, &t, a, b);
            a = b;
        }
        if (lo == hi)
            interval(w, &t, lo, lo);
        raw(w, "</p>\n");
    }
    raw(w, "</section>\n");
    rc = w->err;
out:
    adal__free(t.ex);
    adal__free(t.started);
    adal__free(t.fmark);
    adal__free(t.cut);
    return rc;
}

/* ---- sources and pairs ---------------------------------------------------------------- */

static void sources_table(hw *w, const adal_report *r)
{
    size_t ns = adal_report_nsources(r);
    out(w, "<h2 id=\"sources-h\">%s</h2>\n", T("Sources"));
    if (!ns) {
        out(w, "<p id=\"no-sources\">%s</p>\n", T("No source shares text with this essay."));
        return;
    }
    out(w,
        "<table id=\"sources\"><tr><th class=\"n\">#</th><th>%s</th><th class=\"n\">%s</th>"
        "<th class=\"n\">%s</th><th class=\"n\">%s</th></tr>\n",
        T("Source"), T("Share of the text"), T("Share, each character counted once"),
        T("Passages"));
    for (size_t i = 0; i < ns; i++) {
        const adal_source_result *s = adal_report_source(r, i);
        out(w,
            "<tr id=\"src-%zu\" data-percent=\"%.1f\" data-attributed=\"%.1f\"><td class=\"n\">"
            "<span class=\"sw s%zu\"></span>%zu</td><td>",
            i, adal__round1(s->percent), adal__round1(s->percent_attributed), i % NPAL, i + 1);
        escz(w, s->id);
        raw(w, "</td><td class=\"n\">");
        pct(w, s->percent);
        raw(w, "</td><td class=\"n\">");
        pct(w, s->percent_attributed);
        out(w, "</td><td class=\"n\">%u</td></tr>\n", s->npassages);
    }
    raw(w, "</table>\n");
}

static void pairs(hw *w, const adal_report *r)
{
    const adal_doc *q = adal_report_query(r);
    size_t np = adal_report_npassages(r);
    if (!np)
        return;
    out(w, "<h2 id=\"pairs-h\">%s</h2>\n<div id=\"pairs\">\n", T("Passages side by side"));
    for (size_t i = 0; i < np; i++) {
        const adal_passage *p = adal_report_passage(r, i);
        const adal_source_result *s = adal_report_source(r, p->source);
        out(w,
            "<div class=\"pair\" id=\"pair-%zu\" data-src=\"%u\" data-qstart=\"%u\" "
            "data-qend=\"%u\" data-cited=\"%d\"><h4><span class=\"sw s%u\"></span>%zu. %s %u: ",
            i, p->source, p->qstart, p->qend, p->cited ? 1 : 0, p->source % NPAL, i + 1,
            T("source"), p->source + 1);
        escz(w, s ? s->id : "");
        out(w, " \xC2\xB7 %s %.2f", T("similarity"), p->similarity);
        if (p->cited)
            out(w, " \xC2\xB7 <b>%s</b>", T("cited"));
        if (p->kind == ADAL_PASSAGE_PARAPHRASE)
            out(w, " \xC2\xB7 <b class=\"para\">%s</b>", T("paraphrase, not counted"));
        out(w, "</h4><div class=\"cols\"><blockquote class=\"q\"><span class=\"tag\">%s</span>",
            T("essay"));
        text_slice(w, q, p->qstart, p->qend);
        out(w, "</blockquote><blockquote class=\"s\"><span class=\"tag\">%s</span>", T("source"));
        if (s && s->doc) {
            size_t n16;
            adal_doc_text16(s->doc, &n16);
            uint32_t c0 = p->sstart > CONTEXT16 ? p->sstart - CONTEXT16 : 0;
            uint32_t c1 = p->send + CONTEXT16 < n16 ? p->send + CONTEXT16 : (uint32_t)n16;
            if (c0)
                raw(w, "\xE2\x80\xA6");
            text_slice(w, s->doc, c0, p->sstart);
            raw(w, "<mark>");
            text_slice(w, s->doc, p->sstart, p->send);
            raw(w, "</mark>");
            text_slice(w, s->doc, p->send, c1);
            if (c1 < n16)
                raw(w, "\xE2\x80\xA6");
        }
        raw(w, "</blockquote></div></div>\n");
    }
    raw(w, "</div>\n");
}

/* Figures for scripts (and the browser test): the same rounded numbers as the JSON report. */
static void data_block(hw *w, const adal_report *r, const adal_score *s, const char *file)
{
    raw(w, "<script type=\"application/json\" id=\"adal-data\">{\"format_version\":1,\"file\":");
    jstr(w, file);
    out(w,
        ",\"originality\":%.1f,\"borrowed\":%.1f,\"cited\":%.1f,\"excluded\":%.1f,"
        "\"band\":%u,\"borderline\":%s,\"passages\":%zu,\"sources\":[",
        adal__round1(s->originality), adal__round1(s->borrowed), adal__round1(s->cited),
        adal__round1(s->excluded), s->band, s->borderline ? "true" : "false",
        adal_report_npassages(r));
    for (size_t i = 0; i < adal_report_nsources(r); i++) {
        const adal_source_result *src = adal_report_source(r, i);
        raw(w, i ? ",{\"id\":" : "{\"id\":");
        jstr(w, src->id);
        out(w, ",\"percent\":%.1f,\"percent_attributed\":%.1f,\"passages\":%u}",
            adal__round1(src->percent), adal__round1(src->percent_attributed), src->npassages);
    }
    raw(w, "]}</script>\n");
}

int adal__write_html(const adal_report *r, adal_ctx *ctx, FILE *f, const adal_write_opts *o)
{
    hw ww = {f, o, o->lang, 0}, *w = &ww;
    adal_policy defpol;
    const adal_policy *pol = o->policy;
    if (!pol) {
        adal_policy_default(&defpol);
        pol = &defpol;
    }
    const adal_doc *q = adal_report_query(r);
    const char *file = o->file ? o->file : adal_doc_name(q);
    char sbuf[256];
    const char *student = o->student ? o->student : student_of(file, sbuf, sizeof sbuf);
    adal_score s;
    adal_report_score(r, &s);

    adal__buf title;
    adal__buf_init(&title, 0);
    if (adal__buf_addf(&title, "%s \xE2\x80\x94 %s", T("Originality report"), file ? file : "") !=
        0) {
        adal__buf_free(&title);
        return adal__err(ctx, ADAL_ENOMEM, "out of memory writing the HTML report");
    }
    adal__html_head(f, w->lang, title.data, css, script);
    adal__buf_free(&title);

    raw(w, "<body>\n<header id=\"summary\">\n");
    out(w, "<h1>%s</h1>\n<dl class=\"meta\"><dt>%s</dt><dd id=\"file\">", T("Originality report"),
        T("File"));
    escz(w, file);
    out(w, " (%s)</dd><dt>%s</dt><dd id=\"student\">", adal__format_name(adal_doc_format(q)),
        T("Student"));
    escz(w, student ? student : "\xE2\x80\x94");
    out(w, "</dd><dt>%s</dt><dd id=\"countable\" data-value=\"%u\">%u</dd></dl>\n",
        T("Countable characters"), s.countable, s.countable);

    out(w, "<div class=\"figs\"><div class=\"fig\">%s: <b id=\"originality\" data-value=\"%.1f\">",
        T("Originality"), adal__round1(s.originality));
    pct(w, s.originality);
    out(w, "</b></div><div class=\"fig\">%s: <b id=\"borrowed\" data-value=\"%.1f\">",
        T("Borrowed"), adal__round1(s.borrowed));
    pct(w, s.borrowed);
    out(w, "</b></div><div class=\"fig\">%s: <b id=\"cited\" data-value=\"%.1f\">", T("Cited"),
        adal__round1(s.cited));
    pct(w, s.cited);
    raw(w, "</b></div></div>\n");
    bar(w, &s);
    out(w, "<p class=\"note\" id=\"verdict-note\">%s</p>\n",
        T("These figures are evidence for the grader's decision, not a verdict: a match can be "
          "a properly used source, a common phrase or the assignment itself. Read the marked "
          "passages before deciding."));
    rubric(w, &s, pol);

    out(w, "<h2 id=\"excluded-h\">%s</h2>\n<p id=\"excluded\" data-value=\"%.1f\">",
        T("Excluded text"), adal__round1(s.excluded));
    if (s.excluded_chars) {
        pct(w, s.excluded);
        out(w, " (%u %s) %s", s.excluded_chars, T("characters"),
            T("left out of the count as template or text common to the cohort:"));
        raw(w, "</p>\n<ul id=\"excluded-reasons\">\n");
        for (size_t i = 0; i < adal_report_nwarnings(r); i++) {
            const adal_warning *wn = adal_report_warning_info(r, i);
            if (adal__warning_excludes(wn))
                warning_li(w, wn);
        }
        raw(w, "</ul>\n");
    } else
        out(w, "%s</p>\n", T("Nothing was excluded."));
    size_t nw = 0;
    for (size_t i = 0; i < adal_report_nwarnings(r); i++) {
        const adal_warning *wn = adal_report_warning_info(r, i);
        if (!wn || adal__warning_excludes(wn))
            continue;
        if (!nw++)
            out(w, "<div class=\"warn\" id=\"warnings\"><b>%s</b><ul>\n", T("Notes on confidence"));
        warning_li(w, wn);
    }
    if (nw)
        raw(w, "</ul></div>\n");
    evasion(w, q);
    raw(w, "</header>\n");

    out(w,
        "<p class=\"noprint\">%s <a class=\"m s0\" href=\"#pairs-h\">%s</a>, <a class=\"m s0 "
        "cited\" href=\"#pairs-h\">%s</a>, <span class=\"excl\">%s</span>, <ins class=\"hid\">"
        "<span class=\"tag\">%s</span></ins>.</p>\n",
        T("Key:"), T("borrowed"), T("cited"), T("excluded"), T("hidden text"));
    raw(w, "<div class=\"layout\">\n");
    int rc = full_text(w, r);
    if (rc == ADAL_ENOMEM)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory writing the HTML report");
    out(w,
        "<aside id=\"side\" aria-live=\"polite\"><p>%s</p><noscript><p>%s</p></noscript></aside>\n",
        T("Select a marked passage to see it beside its source."),
        T("Without JavaScript, each marked passage links to its pair below."));
    raw(w, "</div>\n");
    sources_table(w, r);
    pairs(w, r);
    out(w, "<footer><p>adal %s. %s</p></footer>\n", ADAL_VERSION,
        T("Percentages are shares of the letters and digits of the counted text (DESIGN.md "
          "\xC2\xA7"
          "3)."));
    data_block(w, r, &s, file);
    out(w, "<script>%s</script>\n</body>\n</html>\n", script);
    if (w->err || ferror(f))
        return adal__err(ctx, ADAL_EIO, "cannot write the report");
    return ADAL_OK;
}
