/* score.c — the report model and the originality score (DESIGN.md §3). A report collects
 * the passages of one query against sources (match.c), then adal_report_finish counts
 * characters, classifies cited text, computes the percentages and the band.
 *
 * Definitions (published in docs/; every figure is a count of UTF-16 units of the query text,
 * which for Cyrillic and Latin is a count of characters):
 * - countable: units that are letters or digits (ICU u_isalnum; a surrogate pair counts once)
 *   in segments of counted parts (body, tables, footnotes, endnotes, text boxes; headers,
 *   footers and comments only with opts->count_headers), minus excluded units. Invisible runs
 *   are already one space in the text, so hiding text, padding with spaces or dots, or
 *   changing punctuation changes nothing.
 * - excluded: countable-before-exclusion units inside a passage matching opts->template_doc
 *   (reason "template") or inside a span given to adal_report_exclude (reason given there).
 * - covered: countable units inside the union of all accepted passages (each unit once,
 *   whatever the number of sources).
 * - cited: covered units inside a cited zone: a quotation («…», „…“, “…”, "…", within one
 *   paragraph) followed by a reference ([12], [12, б. 45], (Автор, 2020), a footnote mark)
 *   or everything after the last bibliography heading in the body.
 * - borrowed = covered − cited; original = countable − covered.
 * - Percentages: the three counts over countable, rounded to one decimal by the largest
 *   remainder method (ties to original, then borrowed, then cited), so they sum to 100.0.
 * - Band: on 100 − borrowed (default) or on originality (policy->band_on_original).
 *   Borderline: within the policy margin of a cut-off, or the band would differ if the
 *   heuristics (cited text, adal_report_exclude spans) were not applied, i.e. with that text
 *   counted as borrowed.
 */
#include "match.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

/* per-unit flags of the query text */
enum {
    F_CNT = 1,  /* letter or digit in a counted part */
    F_EXT = 2,  /* excluded: template */
    F_EXH = 4,  /* excluded: adal_report_exclude (heuristic, e.g. cohort-common) */
    F_CIT = 8,  /* inside a cited zone */
    F_COV = 16, /* covered by some passage */
    F_ATT = 32, /* already attributed to a source (scratch) */
    F_TMP = 64, /* scratch */
};

#define MAX_WARNINGS 64

typedef struct src_entry {
    char *id;
    const adal_doc *doc;
    adal_source_result res;
    uint32_t own;  /* countable units covered by this source */
    uint32_t attr; /* countable units attributed to it */
    size_t added;  /* insertion order */
} src_entry;

typedef struct excl {
    uint32_t start, end;
    int heuristic;
    char *why;
    unsigned n, m; /* a cohort template (adal_report_exclude_cohort): n of m students; m = 0
                      for any other reason */
} excl;

typedef struct warn_entry {
    adal_warning w; /* its text and why point into the two strings below */
    char *text, *why;
} warn_entry;

struct adal_report {
    adal_doc *q;
    adal__qfp qfp;    /* the query's fingerprints indexed for adal__align */
    adal__para *para; /* the query's sentence model (para.c), built at the first source */
    size_t npara_src; /* sources the paraphrase stage ran on */
    adal_check_opts opts;
    adal_policy pol;
    src_entry *src;
    size_t nsrc, src_cap;
    adal_passage *pas;
    size_t npas, pas_cap;
    excl *ex;
    size_t nex, ex_cap;
    warn_entry *warn;
    size_t nwarn, warn_cap;
    adal_doc **owned; /* sources the report frees (adal_report_adopt) */
    size_t nowned, owned_cap;
    adal_score score;
    bool finished;
};

/* ---- helpers ---------------------------------------------------------------------------- */

static uint32_t cp_at(const uint16_t *t, size_t n, size_t i)
{
    uint32_t c = t[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < n && t[i + 1] >= 0xDC00 && t[i + 1] < 0xE000)
        c = 0x10000 + ((c - 0xD800) << 10) + (t[i + 1] - 0xDC00);
    return c;
}

static bool is_alnum16(const uint16_t *t, size_t n, size_t i)
{
    uint16_t c = t[i];
    if (c < 0x80)
        return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    if (c >= 0x0400 && c <= 0x04FF) /* Cyrillic: all letters but the signs U+0482..0489 */
        return c < 0x0482 || c > 0x0489;
    if (c >= 0xDC00 && c < 0xE000)
        return false; /* trail surrogate: the pair counted at its lead */
    return u_isalnum((UChar32)cp_at(t, n, i)) != 0;
}

/* Record a warning: its facts in w (text and why are copied) and its English sentence. */
static int add_warning(adal_report *r, const adal_warning *w, const char *text)
{
    if (r->nwarn >= MAX_WARNINGS)
        return ADAL_OK;
    if (adal__grow((void **)&r->warn, &r->warn_cap, r->nwarn + 1, sizeof *r->warn))
        return ADAL_ENOMEM;
    warn_entry e = {*w, adal__strdup(text), w->why ? adal__strdup(w->why) : NULL};
    if (!e.text || (w->why && !e.why)) {
        adal__free(e.text);
        adal__free(e.why);
        return ADAL_ENOMEM;
    }
    e.w.text = e.text;
    e.w.why = e.why;
    r->warn[r->nwarn++] = e;
    return ADAL_OK;
}

/* Fingerprints of a const document: its own if it has them, else computed into *tmp. */
static int doc_fps(adal_ctx *ctx, const adal_doc *d, const char *what, const adal_fp **fps,
                   size_t *n, adal_fp **tmp)
{
    *tmp = NULL;
    if (d->fingerprinted) {
        *fps = d->fps;
        *n = d->nfps;
        return ADAL_OK;
    }
    if (!d->normalized)
        return adal__err(ctx, ADAL_EINVAL, "%s document is not normalised", what);
    int rc = adal__fp_compute(d, ctx, tmp, n);
    *fps = *tmp;
    return rc;
}

static uint32_t count_alnum(const adal_doc *d, uint32_t a, uint32_t b)
{
    uint32_t n = 0;
    for (uint32_t i = a; i < b && i < d->text16_len; i++)
        n += is_alnum16(d->text16, d->text16_len, i);
    return n;
}

/* Paraphrase passages (para.c): 0 = not looked for, 1 = found and counted as borrowed,
 * 2 = found and shown, not counted (the default: docs/SCORE.md says why). Builds with
 * -DADAL_PARA_MEASURE read the mode from the environment (ADAL_PARA), for docs/ACCURACY.md. */
static int para_mode(void)
{
#ifdef ADAL_PARA_MEASURE
    const char *e = getenv("ADAL_PARA");
    if (e && e[0] >= '0' && e[0] <= '2')
        return e[0] - '0';
#endif
    return 2;
}

/* The paraphrase stage runs on the first PARA_MAX_SOURCES sources added to a report (the
 * reference set adds them strongest first, by shared fingerprints). Measured: 10 keeps
 * every PAN Indonesian detection of 50 (5 loses 3 cases, 3 loses 9), and `make bench`'s
 * check p50 at 10,000 references is 5.4 ms instead of 69 ms with all 50 candidates. */
#define PARA_MAX_SOURCES ADAL_PARA_MAX_SOURCES

static bool counts(const adal_passage *p)
{
    return p->kind == ADAL_PASSAGE_EXACT || para_mode() == 1;
}

/* ---- building the report ---------------------------------------------------------------- */

int adal_report_new(adal_report **out, adal_ctx *ctx, adal_doc *query, const adal_check_opts *opts)
{
    adal_report *r = NULL;
    adal_fp *tmp = NULL;
    adal__span *sp = NULL;
    size_t nsp = 0;
    int rc;
    *out = NULL;
    adal__err_clear(ctx);
    if (opts && opts->version != ADAL_CHECK_OPTS_VERSION)
        return adal__err(ctx, ADAL_EINVAL, "check options version %u, expected %u", opts->version,
                         ADAL_CHECK_OPTS_VERSION);
    rc = adal_doc_fingerprint(query, ctx);
    if (rc)
        return rc;
    r = adal__calloc(1, sizeof *r);
    if (!r)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    r->q = query;
    adal_check_opts defaults = ADAL_CHECK_OPTS_INIT;
    r->opts = opts ? *opts : defaults;
    if (r->opts.policy)
        r->pol = *r->opts.policy;
    else
        adal_policy_default(&r->pol);
    r->opts.policy = NULL;
    if (r->pol.nbands == 0 || r->pol.nbands > ADAL_MAX_BANDS) {
        rc = adal__err(ctx, ADAL_EINVAL, "policy has %u bands (1..%d allowed)", r->pol.nbands,
                       ADAL_MAX_BANDS);
        goto out;
    }
    if (r->opts.max_sources == 0)
        r->opts.max_sources = defaults.max_sources;
    rc = adal__qfp_build(&r->qfp, ctx, query->fps, query->nfps);
    if (rc)
        goto out;
    if (r->opts.template_doc) {
        /* template text: passages of at least one k-gram (a title line is short), any
         * number of letters, similarity as for sources */
        const adal_doc *t = r->opts.template_doc;
        const adal_fp *tf = NULL;
        size_t ntf = 0;
        rc = doc_fps(ctx, t, "template", &tf, &ntf, &tmp);
        if (rc == ADAL_OK)
            rc = adal__align(ctx, query, &r->qfp, t, tf, ntf, NULL, NULL, &sp, &nsp);
        for (size_t k = 0; rc == ADAL_OK && k < nsp; k++) {
            uint32_t qn = sp[k].qend - sp[k].qtok, sn = sp[k].send - sp[k].stok;
            uint32_t big = qn > sn ? qn : sn;
            if (qn < ADAL_K || (double)sp[k].matched < ADAL_ALIGN_MIN_SIM * big)
                continue;
            if (adal__grow((void **)&r->ex, &r->ex_cap, r->nex + 1, sizeof *r->ex)) {
                rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
                break;
            }
            r->ex[r->nex++] =
                (excl){query->toks[sp[k].qtok].start, query->toks[sp[k].qend - 1].end, 0, NULL, 0, 0};
        }
        if (rc)
            goto out;
    }
    *out = r;
    r = NULL;
out:
    adal__free(tmp);
    adal__free(sp);
    adal_report_free(r);
    return rc;
}

/* Append the passage of query tokens [qtok, qend) and source tokens [stok, send) of source
 * number si to the report. */
static int push_passage(adal_report *r, adal_ctx *ctx, uint32_t si, const adal_doc *src,
                        uint32_t qtok, uint32_t qend, uint32_t stok, uint32_t send, double sim,
                        int kind)
{
    if (adal__grow((void **)&r->pas, &r->pas_cap, r->npas + 1, sizeof *r->pas))
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    adal_passage *p = &r->pas[r->npas++];
    memset(p, 0, sizeof *p);
    p->source = si;
    p->qstart = r->q->toks[qtok].start;
    p->qend = r->q->toks[qend - 1].end;
    p->sstart = src->toks[stok].start;
    p->send = src->toks[send - 1].end;
    p->qtok = qtok;
    p->qntok = qend - qtok;
    p->stok = stok;
    p->sntok = send - stok;
    p->similarity = sim;
    p->kind = kind;
    return ADAL_OK;
}

int adal__report_add_source(adal_report *r, adal_ctx *ctx, const adal_doc *src, const char *id,
                            adal__common_fn common, const void *common_data)
{
    return adal__report_add_source_para(r, ctx, src, id, common, common_data, false);
}

int adal__report_add_source_para(adal_report *r, adal_ctx *ctx, const adal_doc *src, const char *id,
                                 adal__common_fn common, const void *common_data, bool para)
{
    adal_fp *tmp = NULL;
    const adal_fp *sf = NULL;
    size_t nsf = 0;
    adal__span *sp = NULL;
    size_t nsp = 0;
    char *idc = NULL;
    int rc;
    if (r->finished)
        return adal__err(ctx, ADAL_EINVAL, "report already finished");
    rc = doc_fps(ctx, src, "source", &sf, &nsf, &tmp);
    if (rc)
        goto out;
    rc = adal__align(ctx, r->q, &r->qfp, src, sf, nsf, common, common_data, &sp, &nsp);
    if (rc)
        goto out;
    idc = adal__strdup(id ? id : (src->name ? src->name : ""));
    if (!idc || adal__grow((void **)&r->src, &r->src_cap, r->nsrc + 1, sizeof *r->src)) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    uint32_t si = (uint32_t)r->nsrc;
    unsigned min_tok = r->opts.min_tokens ? r->opts.min_tokens : 8;
    unsigned min_let = r->opts.min_letters;
    const adal_token *qt = r->q->toks;
    size_t nacc = 0;
    for (size_t k = 0; k < nsp; k++) {
        const adal__span *s = &sp[k];
        uint32_t qn = s->qend - s->qtok, sn = s->send - s->stok;
        uint32_t big = qn > sn ? qn : sn;
        double sim = big ? (double)s->matched / big : 0.0;
        if (qn < min_tok || sim < ADAL_ALIGN_MIN_SIM)
            continue;
        uint32_t qs = qt[s->qtok].start, qe = qt[s->qend - 1].end;
        if (count_alnum(r->q, qs, qe) < min_let)
            continue;
        rc = push_passage(r, ctx, si, src, s->qtok, s->qend, s->stok, s->send, sim,
                          ADAL_PASSAGE_EXACT);
        if (rc)
            goto out;
        sp[nacc++] = *s; /* the accepted spans, for the paraphrase stage */
    }
    if (para_mode() && !r->opts.no_paraphrase && (para || r->npara_src < PARA_MAX_SOURCES)) {
        r->npara_src++;
        adal__pspan *pp = NULL;
        size_t npp = 0;
        if (!r->para)
            rc = adal__para_new(ctx, r->q, &r->para);
        if (rc == ADAL_OK)
            rc = adal__para_align(ctx, r->para, src, sp, nacc, &pp, &npp);
        for (size_t k = 0; rc == ADAL_OK && k < npp; k++) {
            const adal__pspan *s = &pp[k];
            uint32_t qn = s->qend - s->qtok;
            uint32_t qs = qt[s->qtok].start, qe = qt[s->qend - 1].end;
            if (qn < min_tok || count_alnum(r->q, qs, qe) < min_let)
                continue;
            rc = push_passage(r, ctx, si, src, s->qtok, s->qend, s->stok, s->send,
                              s->sim > 1.0 ? 1.0 : s->sim, ADAL_PASSAGE_PARAPHRASE);
        }
        adal__free(pp);
        if (rc)
            goto out;
    }
    src_entry *e = &r->src[r->nsrc++];
    memset(e, 0, sizeof *e);
    e->id = idc;
    e->doc = src;
    e->added = si;
    idc = NULL;
out:
    adal__free(tmp);
    adal__free(sp);
    adal__free(idc);
    return rc;
}

int adal_report_add_source(adal_report *r, adal_ctx *ctx, const adal_doc *src, const char *id)
{
    adal__err_clear(ctx);
    return adal__report_add_source(r, ctx, src, id, NULL, NULL);
}

static int exclude(adal_report *r, uint32_t start, uint32_t end, const char *why, unsigned n,
                   unsigned m)
{
    if (r->finished || start > end)
        return ADAL_EINVAL;
    if (end > r->q->text16_len)
        end = (uint32_t)r->q->text16_len;
    char *w = adal__strdup(why && *why ? why : "excluded");
    if (!w || adal__grow((void **)&r->ex, &r->ex_cap, r->nex + 1, sizeof *r->ex)) {
        adal__free(w);
        return ADAL_ENOMEM;
    }
    r->ex[r->nex++] = (excl){start, end, 1, w, n, m};
    return ADAL_OK;
}

int adal_report_exclude(adal_report *r, uint32_t start, uint32_t end, const char *why)
{
    return exclude(r, start, end, why, 0, 0);
}

int adal_report_exclude_cohort(adal_report *r, uint32_t start, uint32_t end, unsigned n,
                               unsigned m)
{
    char why[128];
    if (m == 0 || n > m)
        return ADAL_EINVAL;
    snprintf(why, sizeof why, "text shared by at least %u of the %u students (cohort template)",
             n, m);
    return exclude(r, start, end, why, n, m);
}

/* ---- cited zones ------------------------------------------------------------------------ */

static bool is_space16(uint16_t c)
{
    return c == ' ' || c == '\t' || c == 0xA0 || c == 0x202F || (c >= 0x2000 && c <= 0x200A);
}

static bool is_digit16(uint16_t c)
{
    return c >= '0' && c <= '9';
}

static bool is_sup_digit(uint16_t c)
{
    return c == 0xB9 || c == 0xB2 || c == 0xB3 || (c >= 0x2070 && c <= 0x2079);
}

/* "[12]", "[12, б. 45]", "[Автор, 2020]": a bracket with a digit, closed within 60 units. */
static bool bracket_ref(const uint16_t *t, size_t i, size_t e)
{
    bool digit = false;
    for (size_t k = i + 1; k < e && k < i + 60; k++) {
        if (t[k] == ']')
            return digit;
        if (t[k] == '[' || t[k] == '\n')
            return false;
        digit |= is_digit16(t[k]);
    }
    return false;
}

/* "(Автор, 2020)", "(Author 2020, p. 4)": a parenthesis with a year, closed within 80. */
static bool paren_ref(const uint16_t *t, size_t i, size_t e)
{
    int run = 0;
    bool year = false;
    for (size_t k = i + 1; k < e && k < i + 80; k++) {
        if (t[k] == ')')
            return year;
        if (t[k] == '(' || t[k] == '\n')
            return false;
        if (is_digit16(t[k])) {
            run++;
            if (run == 4 && (t[k - 3] == '1' || (t[k - 3] == '2' && t[k - 2] == '0')) &&
                !(k + 1 < e && is_digit16(t[k + 1])))
                year = true;
        } else
            run = 0;
    }
    return false;
}

static bool is_opener(uint16_t c)
{
    return c == 0xAB || c == 0x201E || c == 0x201C || c == '"';
}

/* Whether a reference follows the quotation closed at `c` (exclusive end of the closer):
 * directly a footnote mark (superscript digits, or digits right after the quote mark), or,
 * within the same sentence, a bracket or parenthesis reference. Also a reference just inside
 * the closing mark: «… [12]». */
static bool reference_after(const uint16_t *t, size_t open, size_t c, size_t e)
{
    if (c < e && (is_sup_digit(t[c]) || is_digit16(t[c]) || t[c] == '*'))
        return true;
    /* inside, before the closer: «… [12]» or «… (Автор, 2020).» */
    size_t k = c - 1;
    while (k > open + 1 && (is_space16(t[k - 1]) || t[k - 1] == '.'))
        k--;
    if (k > open + 1 && (t[k - 1] == ']' || t[k - 1] == ')')) {
        uint16_t want = t[k - 1] == ']' ? '[' : '(';
        for (size_t b = k - 1; b > open && b + 80 > k; b--)
            if (t[b - 1] == want)
                return want == '[' ? bracket_ref(t, b - 1, e) : paren_ref(t, b - 1, e);
    }
    for (size_t x = c; x < e && x < c + 80; x++) {
        uint16_t ch = t[x];
        if (ch == '[')
            return bracket_ref(t, x, e);
        if (ch == '(')
            return paren_ref(t, x, e);
        if (is_sup_digit(ch))
            return true;
        if (is_opener(ch) && ch != '"')
            return false;
        if ((ch == '.' || ch == '!' || ch == '?') && x + 1 < e) {
            /* end of the sentence, unless a reference follows right after it */
            size_t y = x + 1;
            while (y < e && is_space16(t[y]))
                y++;
            if (y < e && (t[y] == '[' || t[y] == '(' || is_sup_digit(t[y])))
                continue;
            return false;
        }
    }
    return false;
}

/* Mark referenced quotations of one paragraph [s, e). Quotes pair «», „“ „”, “”, "" (the
 * straight quote toggles); nesting up to 8 levels; a quote left open at the paragraph end
 * is ignored. */
static void mark_quotes(const uint16_t *t, size_t s, size_t e, uint8_t *f)
{
    size_t st[8];
    uint16_t sc[8];
    int top = 0;
    for (size_t i = s; i < e; i++) {
        uint16_t c = t[i];
        int close = -1;
        if (top > 0) {
            uint16_t o = sc[top - 1];
            if ((o == 0xAB && c == 0xBB) || (o == 0x201E && (c == 0x201C || c == 0x201D)) ||
                (o == 0x201C && c == 0x201D) || (o == '"' && c == '"'))
                close = top - 1;
        }
        if (close >= 0) {
            size_t open = st[close];
            top = close;
            if (reference_after(t, open, i + 1, e))
                for (size_t k = open; k <= i; k++)
                    f[k] |= F_CIT;
            continue;
        }
        if (is_opener(c) && top < 8) {
            st[top] = i;
            sc[top] = c;
            top++;
        }
    }
}

static const char *const biblio[] = {
    "әдебиеттер тізімі",
    "пайдаланылған әдебиеттер",
    "пайдаланылған әдебиеттер тізімі",
    "қолданылған әдебиеттер тізімі",
    "пайдаланылған дереккөздер тізімі",
    "әдебиеттер",
    "список литературы",
    "список использованных источников",
    "список использованной литературы",
    "использованная литература",
    "литература",
    "библиография",
    "библиографический список",
    "references",
    "bibliography",
    "works cited",
    "list of references",
};

/* Whether paragraph [s, e) is a bibliography heading: short, and equal to a known heading
 * once case-folded and stripped of numbering, punctuation and spaces at both ends. */
static bool is_biblio_heading(const uint16_t *t, size_t s, size_t e)
{
    char buf[256];
    size_t n = 0;
    while (s < e && !u_isalpha(t[s]))
        s++;
    while (e > s && !u_isalpha(t[e - 1]))
        e--;
    if (e - s == 0 || e - s > 60)
        return false;
    bool sp = false;
    for (size_t i = s; i < e; i++) {
        uint32_t c = t[i];
        if (c >= 0xD800 && c < 0xE000)
            return false;
        if (is_space16((uint16_t)c)) {
            sp = true;
            continue;
        }
        if (sp && n + 1 < sizeof buf)
            buf[n++] = ' ';
        sp = false;
        c = (uint32_t)u_foldCase((UChar32)c, U_FOLD_CASE_DEFAULT);
        if (n + 4 >= sizeof buf)
            return false;
        n += adal__utf8_put(buf + n, c);
    }
    for (size_t k = 0; k < sizeof biblio / sizeof biblio[0]; k++)
        if (strlen(biblio[k]) == n && memcmp(biblio[k], buf, n) == 0)
            return true;
    return false;
}

static void mark_cited(const adal_doc *q, uint8_t *f)
{
    const uint16_t *t = q->text16;
    size_t last = SIZE_MAX, b0 = SIZE_MAX, b1 = 0;
    for (size_t i = 0; i < q->nsegs; i++) {
        const adal_segment *g = &q->segs[i];
        if (g->part == ADAL_PART_BODY || g->part == ADAL_PART_TABLE) {
            if (g->start < b0)
                b0 = g->start;
            if ((size_t)g->start + g->len > b1)
                b1 = (size_t)g->start + g->len;
        }
    }
    for (size_t i = 0; i < q->nsegs; i++) {
        const adal_segment *g = &q->segs[i];
        size_t s = g->start, e = (size_t)g->start + g->len;
        if (e > q->text16_len)
            continue;
        mark_quotes(t, s, e, f);
        /* the last heading, so a table of contents listing "Список литературы" at the start
         * does not mark the whole essay; and only in the last 60 % of the body, so a chapter
         * called «Литература» early in an essay about literature is not a bibliography */
        if ((g->part == ADAL_PART_BODY || g->part == ADAL_PART_TABLE) &&
            (s - b0) * 5 >= (b1 - b0) * 2 && is_biblio_heading(t, s, e))
            last = i;
    }
    if (last == SIZE_MAX)
        return;
    for (size_t i = last; i < q->nsegs; i++) {
        const adal_segment *g = &q->segs[i];
        if (g->part != ADAL_PART_BODY && g->part != ADAL_PART_TABLE)
            continue;
        size_t e = (size_t)g->start + g->len;
        for (size_t k = g->start; k < e && k < q->text16_len; k++)
            f[k] |= F_CIT;
    }
}

/* ---- finishing -------------------------------------------------------------------------- */

typedef struct ival {
    uint32_t s, e;
} ival;

static int ival_cmp(const void *a, const void *b)
{
    const ival *x = a, *y = b;
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    return (x->e > y->e) - (x->e < y->e);
}

/* Sort and merge intervals in place; returns the new count. */
static size_t merge_ivals(ival *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, ival_cmp);
    size_t w = 0;
    for (size_t k = 1; k < n; k++) {
        if (v[k].s <= v[w].e) {
            if (v[k].e > v[w].e)
                v[w].e = v[k].e;
        } else
            v[++w] = v[k];
    }
    return w + 1;
}

/* Largest-remainder rounding of counts c[0..n) over `total` to tenths of a percent: the
 * results sum to exactly 100.0 (1000 tenths). Ties go to the lower index. `scratch` holds
 * 2n values. */
static void round_tenths(const uint64_t *c, size_t n, uint64_t total, double *out,
                         uint64_t *scratch)
{
    uint64_t *tenths = scratch, *rem = scratch + n, sum = 0;
    for (size_t i = 0; i < n; i++) {
        tenths[i] = c[i] * 1000 / total;
        rem[i] = c[i] * 1000 % total;
        sum += tenths[i];
    }
    while (sum < 1000) {
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (rem[i] > rem[best])
                best = i;
        tenths[best]++;
        rem[best] = 0;
        sum++;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = (double)tenths[i] / 10.0;
}

static double round1(uint64_t part, uint64_t total)
{
    return total ? (double)((part * 2000 + total) / (2 * total)) / 10.0 : 0.0;
}

typedef struct rank {
    size_t i;
    uint32_t own;
    const char *id;
} rank;

static int rank_cmp(const void *a, const void *b)
{
    const rank *x = a, *y = b;
    if (x->own != y->own)
        return x->own > y->own ? -1 : 1;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return (x->i > y->i) - (x->i < y->i);
}

typedef struct srt {
    size_t i;
    double pct;
    const char *id;
} srt;

static int srt_cmp(const void *a, const void *b)
{
    const srt *x = a, *y = b;
    if (x->pct != y->pct)
        return x->pct > y->pct ? -1 : 1;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return (x->i > y->i) - (x->i < y->i);
}

static int pas_cmp(const void *a, const void *b)
{
    const adal_passage *x = a, *y = b;
    if (x->qstart != y->qstart)
        return x->qstart < y->qstart ? -1 : 1;
    if (x->source != y->source)
        return x->source < y->source ? -1 : 1;
    if (x->qend != y->qend)
        return x->qend < y->qend ? -1 : 1;
    return (x->sstart > y->sstart) - (x->sstart < y->sstart);
}

static int pas_src_cmp(const void *a, const void *b)
{
    const adal_passage *x = a, *y = b;
    if (x->source != y->source)
        return x->source < y->source ? -1 : 1;
    if (para_mode() != 1 && x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->qtok != y->qtok)
        return x->qtok < y->qtok ? -1 : 1;
    return (x->stok > y->stok) - (x->stok < y->stok);
}

/* Grow passage a to cover passage b too, in the essay and in the source. */
static void passage_cover(adal_passage *a, const adal_passage *b)
{
    uint32_t qe = a->qtok + a->qntok, se = a->stok + a->sntok;
    if (b->qstart < a->qstart) {
        a->qstart = b->qstart;
        a->qtok = b->qtok;
    }
    if (b->qend > a->qend) {
        a->qend = b->qend;
        qe = b->qtok + b->qntok;
    }
    if (b->sstart < a->sstart) {
        a->sstart = b->sstart;
        a->stok = b->stok;
    }
    if (b->send > a->send) {
        a->send = b->send;
        se = b->stok + b->sntok;
    }
    a->qntok = qe - a->qtok;
    a->sntok = se - a->stok;
}

/* Passage merging (granularity): passages of one source that follow each other in the
 * essay with a small gap on both sides become one passage, so an edited or shuffled copy
 * is one piece of evidence rather than several. A gap is small when it is at most as long
 * as the two passages together and at most MERGE_CAP tokens, and holds no excluded text;
 * on the source side the pieces must lie within twice that of each other, in either order
 * (a shuffled or reordered copy of one stretch of the source is one case, as PAN counts
 * it; the aligner still finds the moved blocks as separate chains). Both sides of a merged
 * passage still start and end with verified text; its similarity is the matched share of
 * the whole. Measured on PAN Indonesian (docs/ACCURACY.md): granularity 3.58 → 1.65. */
#define MERGE_CAP 48

static void merge_passages(adal_report *r, const uint8_t *f)
{
    if (r->npas < 2)
        return;
    qsort(r->pas, r->npas, sizeof *r->pas, pas_src_cmp);
    size_t w = 0;
    for (size_t k = 0; k < r->npas; k++) {
        adal_passage b = r->pas[k];
        if (w) {
            adal_passage *a = &r->pas[w - 1];
            uint32_t lim = a->qntok + b.qntok;
            if (lim > MERGE_CAP)
                lim = MERGE_CAP;
            int64_t gq = (int64_t)b.qtok - (a->qtok + a->qntok);
            int64_t fwd = (int64_t)b.stok - (a->stok + a->sntok);
            int64_t back = (int64_t)a->stok - (b.stok + b.sntok);
            int64_t ds = fwd > back ? fwd : back;
            bool ok = a->source == b.source && a->cited == b.cited && gq <= lim &&
                      ds <= 2 * (int64_t)lim && counts(a) == counts(&b);
            for (uint32_t u = a->qend; ok && u < b.qstart; u++)
                if (f[u] & (F_EXT | F_EXH))
                    ok = false;
            if (ok) {
                uint32_t abig = a->qntok > a->sntok ? a->qntok : a->sntok;
                uint32_t bbig = b.qntok > b.sntok ? b.qntok : b.sntok;
                double m = a->similarity * abig + b.similarity * bbig;
                passage_cover(a, &b);
                if (b.kind == ADAL_PASSAGE_PARAPHRASE)
                    a->kind = ADAL_PASSAGE_PARAPHRASE;
                uint32_t big = a->qntok > a->sntok ? a->qntok : a->sntok;
                a->similarity = m / big > 1.0 ? 1.0 : m / big;
                continue;
            }
        }
        r->pas[w++] = b;
    }
    r->npas = w;
}

/* A paraphrase passage that overlaps exact passages of the same source in the essay, or
 * lies within ENCLOSE_GAP tokens of them on both sides (the gap exact passages merge
 * across; a rewritten stretch often has a copied sentence at its edge), grows to enclose them (and
 * paraphrase passages that then meet become one): the reader gets one passage for one rewritten
 * stretch, with the verified copies inside it still listed as their own exact passages, which alone
 * count. */
#define ENCLOSE_GAP MERGE_CAP /* tokens: the gap exact passages merge across */

static void enclose_exact(adal_report *r)
{
    bool changed = true;
    for (int round = 0; changed && round < 8; round++) {
        changed = false;
        for (size_t k = 0; k < r->npas; k++) {
            adal_passage *p = &r->pas[k];
            if (p->kind != ADAL_PASSAGE_PARAPHRASE)
                continue;
            for (size_t x = 0; x < r->npas; x++) {
                adal_passage *e = &r->pas[x];
                if (x == k || e->source != p->source)
                    continue;
                int64_t gq = (int64_t)e->qtok - (p->qtok + p->qntok);
                if ((int64_t)p->qtok - (e->qtok + e->qntok) > gq)
                    gq = (int64_t)p->qtok - (e->qtok + e->qntok);
                int64_t gs = (int64_t)e->stok - (p->stok + p->sntok);
                if ((int64_t)p->stok - (e->stok + e->sntok) > gs)
                    gs = (int64_t)p->stok - (e->stok + e->sntok);
                if (gq > ENCLOSE_GAP || gs > 2 * ENCLOSE_GAP)
                    continue;
                if (e->kind == ADAL_PASSAGE_EXACT && e->qstart >= p->qstart && e->qend <= p->qend &&
                    e->sstart >= p->sstart && e->send <= p->send)
                    continue; /* enclosed already */
                passage_cover(p, e);
                changed = true;
                if (e->kind == ADAL_PASSAGE_PARAPHRASE) { /* one passage from the two */
                    p->similarity = (p->similarity + e->similarity) / 2;
                    r->pas[x] = r->pas[--r->npas];
                    if (k == r->npas)
                        k = x;
                    p = &r->pas[k];
                    x--;
                }
            }
        }
    }
}

/* A paraphrase passage that adds fewer than PARA_NEW tokens of the essay to the exact
 * passages of its source it encloses says nothing new (a verbatim copy is also a run of
 * identical sentences): dropped. */
#define PARA_NEW 20

static void drop_redundant(adal_report *r)
{
    size_t w = 0;
    for (size_t k = 0; k < r->npas; k++) {
        const adal_passage *p = &r->pas[k];
        if (p->kind == ADAL_PASSAGE_PARAPHRASE) {
            /* essay tokens of p not inside an exact passage of the same source, and the
             * exact passages it encloses */
            uint32_t a = p->qtok, e = p->qtok + p->qntok, fresh = 0, cur = a, inside = 0;
            for (size_t x = 0; x < r->npas; x++) {
                const adal_passage *q = &r->pas[x];
                inside += q->kind == ADAL_PASSAGE_EXACT && q->source == p->source &&
                          q->qstart >= p->qstart && q->qend <= p->qend;
            }
            while (cur < e) {
                uint32_t next = cur; /* furthest end of an exact passage covering cur */
                for (size_t x = 0; x < r->npas; x++) {
                    const adal_passage *q = &r->pas[x];
                    if (q->kind == ADAL_PASSAGE_EXACT && q->source == p->source && q->qtok <= cur &&
                        q->qtok + q->qntok > next)
                        next = q->qtok + q->qntok;
                }
                if (next > cur) {
                    cur = next;
                    continue;
                }
                fresh++;
                cur++;
            }
            if (fresh < PARA_NEW && inside < 2)
                continue;
        }
        r->pas[w++] = *p;
    }
    r->npas = w;
}

int adal_report_finish(adal_report *r, adal_ctx *ctx)
{
    const adal_doc *q = r->q;
    size_t n16 = q->text16_len;
    uint8_t *f = NULL;
    uint32_t *P = NULL;
    ival *iv = NULL;
    rank *rk = NULL;
    srt *so = NULL;
    size_t *remap = NULL;
    uint64_t *cnt = NULL;
    double *pct = NULL;
    int rc = ADAL_OK;
    adal__err_clear(ctx);
    if (r->finished)
        return ADAL_OK;
    f = adal__calloc(n16 + 1, 1);
    P = adal__malloc((n16 + 1) * sizeof *P);
    iv = adal__malloc((r->npas + 1) * sizeof *iv);
    rk = adal__malloc((r->nsrc + 1) * sizeof *rk);
    so = adal__malloc((r->nsrc + 1) * sizeof *so);
    remap = adal__malloc((r->nsrc + 1) * sizeof *remap);
    cnt = adal__malloc(3 * (r->nsrc + 3) * sizeof *cnt);
    pct = adal__malloc((r->nsrc + 3) * sizeof *pct);
    if (!f || !P || !iv || !rk || !so || !remap || !cnt || !pct) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }

    /* countable units */
    uint64_t before_excl = 0;
    for (size_t i = 0; i < q->nsegs; i++) {
        const adal_segment *g = &q->segs[i];
        if (!adal_part_counted(g->part) && !r->opts.count_headers)
            continue;
        for (size_t k = g->start; k < (size_t)g->start + g->len && k < n16; k++)
            if (is_alnum16(q->text16, n16, k)) {
                f[k] |= F_CNT;
                before_excl++;
            }
    }
    /* exclusions */
    for (size_t i = 0; i < r->nex; i++)
        for (size_t k = r->ex[i].start; k < r->ex[i].end && k < n16; k++)
            f[k] |= r->ex[i].heuristic ? F_EXH : F_EXT;
    mark_cited(q, f);

    /* prefix sum of countable, non-excluded units */
    P[0] = 0;
    uint64_t excl_chars = 0, excl_heur = 0, excl_tmpl = 0;
    for (size_t k = 0; k < n16; k++) {
        bool c = (f[k] & F_CNT) && !(f[k] & (F_EXT | F_EXH));
        P[k + 1] = P[k] + c;
        if ((f[k] & F_CNT) && (f[k] & (F_EXT | F_EXH))) {
            excl_chars++;
            if (f[k] & F_EXT)
                excl_tmpl++;
            else
                excl_heur++;
        }
    }
    uint64_t N = P[n16];

    /* drop passages with nothing countable left (all in excluded or non-counted text), mark
     * each passage cited when most of its countable units are in a cited zone */
    size_t w = 0;
    for (size_t i = 0; i < r->npas; i++) {
        adal_passage *p = &r->pas[i];
        uint32_t tot = P[p->qend] - P[p->qstart], cit = 0;
        if (tot == 0)
            continue;
        /* a paraphrase passage is a run of whole sentences: one reaching into excluded text
         * (the template) is not evidence of its own; the exact passages in it stay */
        bool in_excl = false;
        for (uint32_t k = p->qstart; p->kind == ADAL_PASSAGE_PARAPHRASE && !in_excl && k < p->qend;
             k++)
            in_excl = (f[k] & F_CNT) && (f[k] & (F_EXT | F_EXH));
        if (in_excl)
            continue;
        for (uint32_t k = p->qstart; k < p->qend; k++)
            cit += (f[k] & F_CIT) && (f[k] & F_CNT) && !(f[k] & (F_EXT | F_EXH));
        p->cited = 2 * cit >= tot;
        r->pas[w++] = *p;
    }
    r->npas = w;
    merge_passages(r, f);
    if (para_mode() != 1)
        enclose_exact(r);
    drop_redundant(r);

    /* covered and cited */
    size_t niv = 0;
    for (size_t i = 0; i < r->npas; i++)
        if (counts(&r->pas[i]))
            iv[niv++] = (ival){r->pas[i].qstart, r->pas[i].qend};
    niv = merge_ivals(iv, niv);
    uint64_t covered = 0, cited = 0;
    for (size_t i = 0; i < niv; i++) {
        covered += P[iv[i].e] - P[iv[i].s];
        for (uint32_t k = iv[i].s; k < iv[i].e; k++)
            if ((f[k] & F_CNT) && !(f[k] & (F_EXT | F_EXH)) && (f[k] & F_CIT))
                cited++;
    }

    /* per source: own union, then attribution in rank order */
    for (size_t s = 0; s < r->nsrc; s++) {
        size_t m = 0;
        for (size_t i = 0; i < r->npas; i++)
            if (r->pas[i].source == s && counts(&r->pas[i]))
                iv[m++] = (ival){r->pas[i].qstart, r->pas[i].qend};
        m = merge_ivals(iv, m);
        uint32_t own = 0;
        for (size_t i = 0; i < m; i++)
            own += P[iv[i].e] - P[iv[i].s];
        r->src[s].own = own;
        r->src[s].res.npassages = 0;
        rk[s] = (rank){s, own, r->src[s].id};
    }
    for (size_t i = 0; i < r->npas; i++)
        r->src[r->pas[i].source].res.npassages++;
    if (r->nsrc)
        qsort(rk, r->nsrc, sizeof *rk, rank_cmp);
    for (size_t x = 0; x < r->nsrc; x++) {
        size_t s = rk[x].i;
        uint32_t a = 0;
        for (size_t i = 0; i < r->npas; i++) {
            const adal_passage *p = &r->pas[i];
            if (p->source != s || !counts(p))
                continue;
            for (uint32_t k = p->qstart; k < p->qend; k++)
                if (!(f[k] & F_ATT)) {
                    f[k] |= F_ATT;
                    a += (f[k] & F_CNT) && !(f[k] & (F_EXT | F_EXH));
                }
        }
        r->src[s].attr = a;
    }

    /* percentages */
    adal_score *sc = &r->score;
    memset(sc, 0, sizeof *sc);
    sc->countable = (uint32_t)N;
    sc->covered = (uint32_t)covered;
    sc->cited_chars = (uint32_t)cited;
    sc->excluded_chars = (uint32_t)excl_chars;
    sc->excluded = round1(excl_chars, before_excl);
    if (N == 0) {
        sc->originality = 100.0;
        adal_warning wn = {.code = ADAL_WARN_NO_TEXT};
        rc = add_warning(r, &wn, "no countable text (letters or digits) left to score");
    } else {
        uint64_t c3[3] = {N - covered, covered - cited, cited};
        double p3[3];
        round_tenths(c3, 3, N, p3, cnt);
        sc->originality = p3[0];
        sc->borrowed = p3[1];
        sc->cited = p3[2];
    }
    if (rc)
        goto out;
    /* per source: its own share rounded half up; attributed shares by the largest
     * remainder together with the uncovered rest, so they sum to borrowed + cited */
    for (size_t s = 0; s < r->nsrc; s++) {
        r->src[s].res.percent = round1(r->src[s].own, N);
        cnt[s] = r->src[s].attr;
    }
    if (N) {
        cnt[r->nsrc] = N - covered;
        round_tenths(cnt, r->nsrc + 1, N, pct, cnt + r->nsrc + 1);
        for (size_t s = 0; s < r->nsrc; s++)
            r->src[s].res.percent_attributed = pct[s];
    } else
        for (size_t s = 0; s < r->nsrc; s++)
            r->src[s].res.percent_attributed = round1(r->src[s].attr, N);

    /* band */
    double value = r->pol.band_on_original ? sc->originality : 100.0 - sc->borrowed;
    int border = 0;
    sc->band = adal_policy_band(&r->pol, value, &border);
    if (N && (cited || excl_heur)) {
        /* without the heuristics: cited text and heuristic exclusions counted as borrowed;
         * the same formula serves both policies (with no cited text, 100 − borrowed is the
         * originality) */
        uint64_t N2 = N + excl_heur;
        double alt = round1(N2 - covered - excl_heur, N2);
        if (adal_policy_band(&r->pol, alt, NULL) != sc->band)
            border = 1;
    }
    sc->borderline = border;
    sc->band_info = &r->pol.bands[sc->band];

    /* warnings about exclusions */
    if (excl_tmpl) {
        adal_warning wn = {.code = ADAL_WARN_EXCLUDED_TEMPLATE,
                           .percent = round1(excl_tmpl, before_excl)};
        char msg[160];
        snprintf(msg, sizeof msg, "excluded %.1f%% of the text: it matches the template",
                 wn.percent);
        rc = add_warning(r, &wn, msg);
    }
    for (size_t i = 0; rc == ADAL_OK && i < r->nex; i++) {
        if (!r->ex[i].heuristic)
            continue;
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= r->ex[j].heuristic && strcmp(r->ex[j].why, r->ex[i].why) == 0;
        if (seen)
            continue;
        uint64_t c = 0;
        for (size_t j = i; j < r->nex; j++)
            if (r->ex[j].heuristic && strcmp(r->ex[j].why, r->ex[i].why) == 0)
                for (size_t k = r->ex[j].start; k < r->ex[j].end && k < n16; k++)
                    if ((f[k] & F_CNT) && !(f[k] & F_EXT) && !(f[k] & F_TMP)) {
                        f[k] |= F_TMP; /* each unit once per reason */
                        c++;
                    }
        for (size_t j = i; j < r->nex; j++)
            for (size_t k = r->ex[j].start; k < r->ex[j].end && k < n16; k++)
                f[k] &= (uint8_t)~F_TMP;
        const excl *x = &r->ex[i];
        adal_warning wn = {.code = x->m ? ADAL_WARN_EXCLUDED_COHORT : ADAL_WARN_EXCLUDED,
                           .percent = round1(c, before_excl),
                           .n = x->n,
                           .m = x->m,
                           .why = x->m ? NULL : x->why};
        char msg[300];
        snprintf(msg, sizeof msg, "excluded %.1f%% of the text: %.200s", wn.percent, x->why);
        rc = add_warning(r, &wn, msg);
    }
    if (rc) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }

    /* sort sources with passages by percent, then id; remap passage source indexes */
    size_t ns = 0;
    for (size_t s = 0; s < r->nsrc; s++)
        if (r->src[s].res.npassages)
            so[ns++] = (srt){s, r->src[s].res.percent, r->src[s].id};
    if (ns)
        qsort(so, ns, sizeof *so, srt_cmp);
    for (size_t s = 0; s < r->nsrc; s++)
        remap[s] = SIZE_MAX;
    for (size_t x = 0; x < ns; x++)
        remap[so[x].i] = x;
    src_entry *nsrc = adal__malloc((r->nsrc ? r->nsrc : 1) * sizeof *nsrc);
    if (!nsrc) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t x = 0; x < ns; x++)
        nsrc[x] = r->src[so[x].i];
    for (size_t s = 0; s < r->nsrc; s++)
        if (remap[s] == SIZE_MAX)
            adal__free(r->src[s].id);
    adal__free(r->src);
    r->src = nsrc;
    r->src_cap = r->nsrc ? r->nsrc : 1;
    r->nsrc = ns;
    for (size_t x = 0; x < ns; x++) {
        r->src[x].res.id = r->src[x].id;
        r->src[x].res.doc = r->src[x].doc;
    }
    for (size_t i = 0; i < r->npas; i++)
        r->pas[i].source = (uint32_t)remap[r->pas[i].source];
    if (r->npas)
        qsort(r->pas, r->npas, sizeof *r->pas, pas_cmp);
    r->finished = true;
out:
    adal__free(f);
    adal__free(P);
    adal__free(iv);
    adal__free(rk);
    adal__free(so);
    adal__free(remap);
    adal__free(cnt);
    adal__free(pct);
    return rc;
}

void adal_report_free(adal_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nsrc; i++)
        adal__free(r->src[i].id);
    adal__free(r->src);
    adal__free(r->pas);
    adal__qfp_free(&r->qfp);
    adal__para_free(r->para);
    for (size_t i = 0; i < r->nex; i++)
        adal__free(r->ex[i].why);
    adal__free(r->ex);
    for (size_t i = 0; i < r->nwarn; i++) {
        adal__free(r->warn[i].text);
        adal__free(r->warn[i].why);
    }
    adal__free(r->warn);
    for (size_t i = 0; i < r->nowned; i++)
        adal_doc_free(r->owned[i]);
    adal__free(r->owned);
    adal__free(r);
}

int adal_report_adopt(adal_report *r, adal_doc *doc)
{
    if (!r || !doc) {
        adal_doc_free(doc);
        return ADAL_EINVAL;
    }
    if (adal__grow((void **)&r->owned, &r->owned_cap, r->nowned + 1, sizeof *r->owned)) {
        adal_doc_free(doc);
        return ADAL_ENOMEM;
    }
    r->owned[r->nowned++] = doc;
    return ADAL_OK;
}

/* ---- accessors -------------------------------------------------------------------------- */

const adal_doc *adal_report_query(const adal_report *r)
{
    return r->q;
}

void adal_report_score(const adal_report *r, adal_score *out)
{
    *out = r->score;
    if (!r->finished)
        out->band_info = NULL;
}

size_t adal_report_nsources(const adal_report *r)
{
    return r->finished ? r->nsrc : 0;
}

const adal_source_result *adal_report_source(const adal_report *r, size_t i)
{
    return r->finished && i < r->nsrc ? &r->src[i].res : NULL;
}

size_t adal_report_npassages(const adal_report *r)
{
    return r->finished ? r->npas : 0;
}

const adal_passage *adal_report_passage(const adal_report *r, size_t i)
{
    return r->finished && i < r->npas ? &r->pas[i] : NULL;
}

size_t adal_report_nwarnings(const adal_report *r)
{
    return r->nwarn;
}

const char *adal_report_warning(const adal_report *r, size_t i)
{
    return i < r->nwarn ? r->warn[i].text : NULL;
}

const adal_warning *adal_report_warning_info(const adal_report *r, size_t i)
{
    return i < r->nwarn ? &r->warn[i].w : NULL;
}

size_t adal_report_nexclusions(const adal_report *r)
{
    return r ? r->nex : 0;
}

int adal_report_exclusion(const adal_report *r, size_t i, adal_exclusion *out)
{
    if (!r || !out || i >= r->nex)
        return ADAL_EINVAL;
    out->start = r->ex[i].start;
    out->end = r->ex[i].end;
    out->heuristic = r->ex[i].heuristic;
    out->why = r->ex[i].why ? r->ex[i].why : "template";
    return ADAL_OK;
}
