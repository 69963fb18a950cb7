/* match.c — pairwise alignment of a query against one source: seed → anchor → chain → verify
 * (design-notes §5.5, after the PAN seed/extend/filter detectors). Seeds are fingerprints the
 * two documents share; each is extended token by token along its diagonal into an exact
 * "anchor"; anchors are chained along diagonals with bounded gaps and drift, so insertions,
 * deletions and substitutions do not break a passage while moved blocks become separate
 * chains; gaps and edges are then tiled exactly (greedy longest common runs of at least
 * ADAL_ALIGN_TILE tokens, the difflib/GST rule) to give exact boundaries on both sides.
 * Length, letter and similarity filters are applied by the report (score.c).
 */
#include "match.h"

#include <stdlib.h>
#include <string.h>

/* Edge extension: look this many tokens beyond a passage's end for more tiles, and accept a
 * tile separated from the passage by at most EXT_GAP unmatched tokens on each side (a
 * substituted or inserted word or two). Repeated until nothing more is found. */
#define EXT_WINDOW 16
#define EXT_GAP 5
/* Largest gap region tiled exactly between two chained anchors (tokens per side): chained
 * anchors are at most GAP + DRIFT apart, so this is only a guard. */
#define FILL_MAX 256

typedef struct seed {
    uint32_t i, j;
} seed;

typedef struct tile {
    uint32_t qs, qe, ss; /* q[qs, qe) == s[ss, ss + qe - qs) */
} tile;

typedef struct chain {
    size_t first, last, n; /* indexes into the anchor array via next[] */
} chain;

static int seed_diag_cmp(const void *a, const void *b)
{
    const seed *x = a, *y = b;
    int64_t dx = (int64_t)x->i - x->j, dy = (int64_t)y->i - y->j;
    if (dx != dy)
        return dx < dy ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static int tile_cmp(const void *a, const void *b)
{
    const tile *x = a, *y = b;
    if (x->qs != y->qs)
        return x->qs < y->qs ? -1 : 1;
    return (x->ss > y->ss) - (x->ss < y->ss);
}

static int span_cmp(const void *a, const void *b)
{
    const adal__span *x = a, *y = b;
    if (x->qtok != y->qtok)
        return x->qtok < y->qtok ? -1 : 1;
    if (x->stok != y->stok)
        return x->stok < y->stok ? -1 : 1;
    return (x->qend > y->qend) - (x->qend < y->qend);
}

/* Token hashes of both documents, for exact comparison. */
typedef struct pair {
    const adal_token *q, *s;
    uint32_t nq, ns;
    uint32_t *row; /* scratch for longest_match: 2 * (FILL_MAX + 1) */
} pair;

static inline bool eq(const pair *p, uint32_t i, uint32_t j)
{
    return p->q[i].hash == p->s[j].hash;
}

/* Longest common run in q[qa, qb) × s[sa, sb); ties go to the earliest in q, then in s.
 * Returns its length (0 if none) and its starts. O(n·m) on regions of at most FILL_MAX. */
static uint32_t longest_match(pair *p, uint32_t qa, uint32_t qb, uint32_t sa, uint32_t sb,
                              uint32_t *bi, uint32_t *bj)
{
    uint32_t m = sb - sa, best = 0;
    uint32_t *prev = p->row, *cur = p->row + FILL_MAX + 1;
    memset(prev, 0, (m + 1) * sizeof *prev);
    for (uint32_t i = qa; i < qb; i++) {
        cur[0] = 0;
        for (uint32_t j = 0; j < m; j++) {
            uint32_t v = eq(p, i, sa + j) ? prev[j] + 1 : 0;
            cur[j + 1] = v;
            if (v > best) {
                best = v;
                *bi = i + 1 - v;
                *bj = sa + j + 1 - v;
            }
        }
        uint32_t *t = prev;
        prev = cur;
        cur = t;
    }
    return best;
}

typedef struct tiles {
    tile *t;
    size_t n, cap;
} tiles;

static int tiles_add(tiles *ts, uint32_t qs, uint32_t qe, uint32_t ss)
{
    if (adal__grow((void **)&ts->t, &ts->cap, ts->n + 1, sizeof *ts->t))
        return ADAL_ENOMEM;
    ts->t[ts->n++] = (tile){qs, qe, ss};
    return ADAL_OK;
}

/* Greedy tiling of a region: the longest common run (≥ ADAL_ALIGN_TILE), then the same on
 * the parts before and after it, so the tiles found are in order on both sides. */
static int fill(pair *p, tiles *ts, uint32_t qa, uint32_t qb, uint32_t sa, uint32_t sb, int depth)
{
    if (qb - qa < ADAL_ALIGN_TILE || sb - sa < ADAL_ALIGN_TILE || depth > 64)
        return ADAL_OK;
    if (qb - qa > FILL_MAX)
        qb = qa + FILL_MAX;
    if (sb - sa > FILL_MAX)
        sb = sa + FILL_MAX;
    uint32_t bi = 0, bj = 0;
    uint32_t len = longest_match(p, qa, qb, sa, sb, &bi, &bj);
    if (len < ADAL_ALIGN_TILE)
        return ADAL_OK;
    int rc = fill(p, ts, qa, bi, sa, bj, depth + 1);
    if (rc == ADAL_OK)
        rc = tiles_add(ts, bi, bi + len, bj);
    if (rc == ADAL_OK)
        rc = fill(p, ts, bi + len, qb, bj + len, sb, depth + 1);
    return rc;
}

/* Whether an edge tile of `len` tokens, `gq` / `gs` unmatched tokens away from the passage
 * in the query / source, extends it. A tile of a k-gram or more: gaps up to EXT_GAP. A
 * shorter one is as likely a coincidence ("он төртінші сөз" before a quotation of the
 * fourteenth word, with "былай дейді" between), so it needs the shape of a substitution
 * (equal gaps) or to be next to the passage (gaps of at most one token). */
static bool edge_ok(uint32_t len, uint32_t gq, uint32_t gs)
{
    if (gq > EXT_GAP || gs > EXT_GAP)
        return false;
    return len >= ADAL_K || gq == gs || (gq <= 1 && gs <= 1);
}

/* Verify one chain of anchors: make the anchors strictly ordered on both sides, tile the
 * gaps between them, then grow the edges tile by tile. */
static int verify(pair *p, const tile *anc, size_t na, tiles *work, adal__span *out)
{
    int rc = ADAL_OK;
    work->n = 0;
    for (size_t k = 0; k < na && rc == ADAL_OK; k++) {
        tile b = anc[k];
        if (work->n) {
            const tile *a = &work->t[work->n - 1];
            uint32_t ase = a->ss + (a->qe - a->qs);
            /* overlap with the previous tile (a drifted or repeated anchor): cut it */
            uint32_t d = 0;
            if (b.qs < a->qe)
                d = a->qe - b.qs;
            if (b.ss < ase && ase - b.ss > d)
                d = ase - b.ss;
            if (b.ss + d < ase || b.qs + d < a->qe) /* cannot happen; keeps intent clear */
                continue;
            if (b.qe - b.qs < d + ADAL_ALIGN_TILE)
                continue;
            b.qs += d;
            b.ss += d;
            /* exact tiles in the gap */
            uint32_t bse = b.ss;
            if (b.qs > a->qe && bse > ase)
                rc = fill(p, work, a->qe, b.qs, ase, bse, 0);
            if (rc)
                break;
        }
        rc = tiles_add(work, b.qs, b.qe, b.ss);
    }
    if (rc)
        return rc;
    if (work->n > 1)
        qsort(work->t, work->n, sizeof *work->t, tile_cmp);

    /* grow the left edge */
    tiles ext = {0};
    for (;;) {
        const tile *f = &work->t[0];
        uint32_t qa = f->qs > EXT_WINDOW ? f->qs - EXT_WINDOW : 0;
        uint32_t sa = f->ss > EXT_WINDOW ? f->ss - EXT_WINDOW : 0;
        ext.n = 0;
        rc = fill(p, &ext, qa, f->qs, sa, f->ss, 0);
        if (rc)
            break;
        size_t got = 0;
        uint32_t cq = f->qs, cs = f->ss;
        for (size_t k = ext.n; k-- > 0;) {
            const tile *x = &ext.t[k];
            uint32_t xse = x->ss + (x->qe - x->qs);
            if (!edge_ok(x->qe - x->qs, cq - x->qe, cs - xse))
                break;
            cq = x->qs;
            cs = x->ss;
            got++;
        }
        if (!got)
            break;
        /* prepend the accepted tiles (the last `got` of ext, already in order) */
        size_t need = work->n + got;
        if (adal__grow((void **)&work->t, &work->cap, need, sizeof *work->t)) {
            rc = ADAL_ENOMEM;
            break;
        }
        memmove(work->t + got, work->t, work->n * sizeof *work->t);
        memcpy(work->t, ext.t + (ext.n - got), got * sizeof *work->t);
        work->n = need;
    }
    /* grow the right edge */
    for (; rc == ADAL_OK;) {
        const tile *l = &work->t[work->n - 1];
        uint32_t lse = l->ss + (l->qe - l->qs);
        uint32_t qb = l->qe + EXT_WINDOW < p->nq ? l->qe + EXT_WINDOW : p->nq;
        uint32_t sb = lse + EXT_WINDOW < p->ns ? lse + EXT_WINDOW : p->ns;
        ext.n = 0;
        rc = fill(p, &ext, l->qe, qb, lse, sb, 0);
        if (rc)
            break;
        size_t got = 0;
        uint32_t cq = l->qe, cs = lse;
        for (size_t k = 0; k < ext.n; k++) {
            const tile *x = &ext.t[k];
            if (!edge_ok(x->qe - x->qs, x->qs - cq, x->ss - cs))
                break;
            cq = x->qe;
            cs = x->ss + (x->qe - x->qs);
            got++;
        }
        if (!got)
            break;
        for (size_t k = 0; k < got && rc == ADAL_OK; k++)
            rc = tiles_add(work, ext.t[k].qs, ext.t[k].qe, ext.t[k].ss);
    }
    adal__free(ext.t);
    if (rc)
        return rc;
    const tile *f = &work->t[0], *l = &work->t[work->n - 1];
    out->qtok = f->qs;
    out->qend = l->qe;
    out->stok = f->ss;
    out->send = l->ss + (l->qe - l->qs);
    out->matched = 0;
    for (size_t k = 0; k < work->n; k++)
        out->matched += work->t[k].qe - work->t[k].qs;
    return ADAL_OK;
}

static int fp_cmp(const void *a, const void *b)
{
    const adal_fp *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

static inline size_t qslot(uint64_t h, size_t mask)
{
    return (size_t)(h ^ (h >> 31)) & mask;
}

int adal__qfp_build(adal__qfp *out, adal_ctx *ctx, const adal_fp *f, size_t n)
{
    memset(out, 0, sizeof *out);
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    out->f = adal__malloc((n ? n : 1) * sizeof *out->f);
    out->tab = adal__malloc(cap * sizeof *out->tab);
    if (!out->f || !out->tab) {
        adal__qfp_free(out);
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    }
    if (n) {
        memcpy(out->f, f, n * sizeof *out->f);
        qsort(out->f, n, sizeof *out->f, fp_cmp);
    }
    out->n = n;
    out->mask = cap - 1;
    memset(out->tab, 0xFF, cap * sizeof *out->tab);
    for (size_t i = 0; i < n; i++) {
        if (i && out->f[i].hash == out->f[i - 1].hash)
            continue;
        size_t k = qslot(out->f[i].hash, out->mask);
        while (out->tab[k] != UINT32_MAX)
            k = (k + 1) & out->mask;
        out->tab[k] = (uint32_t)i;
    }
    return ADAL_OK;
}

void adal__qfp_free(adal__qfp *q)
{
    adal__free(q->f);
    adal__free(q->tab);
    memset(q, 0, sizeof *q);
}

/* Seeds: pairs of positions of equal fingerprint hashes. The query's fingerprints come sorted
 * and hashed (once per report); each source fingerprint is one table probe, so a source
 * costs O(n) and no sort. Hashes common in the reference set are skipped, and
 * so are hashes repeated more than ADAL_ALIGN_MAX_OCC times in the query; in the source only
 * their first ADAL_ALIGN_MAX_OCC occurrences seed. */
static int make_seeds(const adal__qfp *qf, const adal_fp *sf, size_t nsf, adal__common_fn common,
                      const void *cd, seed **out, size_t *nout)
{
    const adal_fp *qs = qf->f;
    size_t nqf = qf->n;
    seed *sd = NULL;
    uint8_t *occ = NULL;
    size_t ns = 0, cap = 0;
    int rc = ADAL_OK;
    *out = NULL;
    *nout = 0;
    if (!nqf || !nsf)
        return ADAL_OK;
    for (size_t y = 0; y < nsf && ns < ADAL_ALIGN_MAX_SEEDS; y++) {
        uint64_t h = sf[y].hash;
        size_t k = qslot(h, qf->mask), lo, hi;
        while (qf->tab[k] != UINT32_MAX && qs[qf->tab[k]].hash != h)
            k = (k + 1) & qf->mask;
        if (qf->tab[k] == UINT32_MAX)
            continue;
        lo = hi = qf->tab[k];
        if (!occ && !(occ = adal__calloc(nqf, 1))) { /* on the first shared hash only */
            rc = ADAL_ENOMEM;
            goto out;
        }
        while (hi < nqf && qs[hi].hash == h && hi - lo <= ADAL_ALIGN_MAX_OCC)
            hi++;
        if (hi - lo > ADAL_ALIGN_MAX_OCC || occ[lo] >= ADAL_ALIGN_MAX_OCC)
            continue;
        if (occ[lo] == 0 && common && common(cd, h)) {
            occ[lo] = ADAL_ALIGN_MAX_OCC; /* remember: never look it up again */
            continue;
        }
        occ[lo]++;
        for (size_t u = lo; u < hi && ns < ADAL_ALIGN_MAX_SEEDS; u++) {
            if (adal__grow((void **)&sd, &cap, ns + 1, sizeof *sd)) {
                rc = ADAL_ENOMEM;
                goto out;
            }
            sd[ns++] = (seed){qs[u].pos, sf[y].pos};
        }
    }
    *out = sd;
    *nout = ns;
    sd = NULL;
out:
    adal__free(occ);
    adal__free(sd);
    return rc;
}

int adal__align(adal_ctx *ctx, const adal_doc *q, const adal__qfp *qf, const adal_doc *s,
                const adal_fp *sf, size_t nsf, adal__common_fn common, const void *common_data,
                adal__span **out, size_t *nout)
{
    seed *sd = NULL;
    size_t nsd = 0;
    tile *anc = NULL, *ord = NULL;
    size_t nanc = 0, anc_cap = 0;
    size_t *next = NULL, *open = NULL, nopen = 0;
    chain *ch = NULL;
    size_t nch = 0, ch_cap = 0;
    adal__span *sp = NULL;
    size_t nsp = 0, sp_cap = 0;
    tiles work = {0};
    pair p = {q->toks, s->toks, (uint32_t)q->ntoks, (uint32_t)s->ntoks, NULL};
    int rc;

    *out = NULL;
    *nout = 0;
    rc = make_seeds(qf, sf, nsf, common, common_data, &sd, &nsd);
    if (rc || nsd == 0)
        goto out;

    /* anchors: each seed extended to its maximal exact run on its diagonal; seeds inside an
     * anchor already found on the same diagonal are skipped. A hash collision gives a run
     * shorter than a k-gram and is dropped. */
    qsort(sd, nsd, sizeof *sd, seed_diag_cmp);
    for (size_t k = 0; k < nsd; k++) {
        uint32_t i = sd[k].i, j = sd[k].j;
        if (nanc) {
            const tile *a = &anc[nanc - 1];
            if ((int64_t)a->qs - a->ss == (int64_t)i - j && i >= a->qs && i < a->qe)
                continue;
        }
        if (i >= p.nq || j >= p.ns || !eq(&p, i, j))
            continue;
        uint32_t lo = 0, hi = 1;
        while (i >= lo + 1 && j >= lo + 1 && eq(&p, i - lo - 1, j - lo - 1))
            lo++;
        while (i + hi < p.nq && j + hi < p.ns && eq(&p, i + hi, j + hi))
            hi++;
        if (lo + hi < ADAL_ALIGN_TILE)
            continue;
        if (adal__grow((void **)&anc, &anc_cap, nanc + 1, sizeof *anc)) {
            rc = ADAL_ENOMEM;
            goto out;
        }
        anc[nanc++] = (tile){i - lo, i + hi, j - lo};
    }
    if (!nanc)
        goto out;
    qsort(anc, nanc, sizeof *anc, tile_cmp);

    /* chains: each anchor joins the open chain whose last anchor it continues best (least
     * drift, then least gap): 0 < Δi, 0 < Δj, gap ≤ GAP, |Δj − Δi| ≤ DRIFT. Otherwise it
     * starts a chain. Moved blocks fail the drift test and stay apart. */
    next = adal__malloc(nanc * sizeof *next);
    if (!next) {
        rc = ADAL_ENOMEM;
        goto out;
    }
    /* chains still open (their last anchor within GAP of the anchors to come), in creation
     * order, so ties go to the oldest chain */
    open = adal__malloc(nanc * sizeof *open);
    if (!open) {
        rc = ADAL_ENOMEM;
        goto out;
    }
    for (size_t k = 0; k < nanc; k++) {
        const tile *b = &anc[k];
        size_t best = SIZE_MAX, w = 0;
        int64_t best_drift = 0, best_gap = 0;
        next[k] = SIZE_MAX;
        for (size_t o = 0; o < nopen; o++) {
            size_t c = open[o];
            const tile *a = &anc[ch[c].last];
            int64_t gq = (int64_t)b->qs - a->qe;
            if (gq > ADAL_ALIGN_GAP)
                continue; /* closed for good: anchors come in order of qs */
            open[w++] = c;
            int64_t gs = (int64_t)b->ss - (a->ss + (a->qe - a->qs));
            if (b->qs <= a->qs || b->ss <= a->ss)
                continue;
            if (gs > ADAL_ALIGN_GAP + ADAL_ALIGN_DRIFT)
                continue;
            int64_t drift = gs - gq < 0 ? gq - gs : gs - gq;
            if (drift > ADAL_ALIGN_DRIFT)
                continue;
            if (best == SIZE_MAX || drift < best_drift || (drift == best_drift && gq < best_gap)) {
                best = c;
                best_drift = drift;
                best_gap = gq;
            }
        }
        nopen = w;
        if (best != SIZE_MAX) {
            next[ch[best].last] = k;
            ch[best].last = k;
            ch[best].n++;
        } else {
            if (adal__grow((void **)&ch, &ch_cap, nch + 1, sizeof *ch)) {
                rc = ADAL_ENOMEM;
                goto out;
            }
            ch[nch] = (chain){k, k, 1};
            open[nopen++] = nch++;
        }
    }

    /* verify every chain into an exact span */
    p.row = adal__malloc(2 * (FILL_MAX + 1) * sizeof *p.row);
    ord = adal__malloc(nanc * sizeof *ord);
    if (!p.row || !ord) {
        rc = ADAL_ENOMEM;
        goto out;
    }
    for (size_t c = 0; c < nch; c++) {
        size_t n = 0;
        for (size_t k = ch[c].first; k != SIZE_MAX; k = next[k])
            ord[n++] = anc[k];
        adal__span one;
        rc = verify(&p, ord, n, &work, &one);
        if (rc)
            goto out;
        if (adal__grow((void **)&sp, &sp_cap, nsp + 1, sizeof *sp)) {
            rc = ADAL_ENOMEM;
            goto out;
        }
        sp[nsp++] = one;
    }
    qsort(sp, nsp, sizeof *sp, span_cmp);

    /* merge spans of this source that overlap on both sides (pieces of one passage found
     * from two chains), or follow each other within the chaining limits (a stretch of
     * heavy editing with no seed between two verified pieces: the gap is tiled exactly);
     * of two that overlap only in the query (the same text matched at two places of the
     * source), keep the one with more matched tokens when the overlap is at least half of
     * the other */
    size_t w = 0;
    for (size_t k = 0; k < nsp; k++) {
        adal__span b = sp[k];
        if (w) {
            adal__span *a = &sp[w - 1];
            if (b.qtok >= a->qend && b.stok >= a->send) {
                int64_t gq = (int64_t)b.qtok - a->qend, gs = (int64_t)b.stok - a->send;
                int64_t drift = gs > gq ? gs - gq : gq - gs;
                bool near = gq <= ADAL_ALIGN_GAP && gs <= ADAL_ALIGN_GAP + ADAL_ALIGN_DRIFT &&
                            drift <= ADAL_ALIGN_DRIFT;
                /* up to twice as far when the gap is a stretch of substitutions (same length
                 * on both sides) that still holds tiles on at least a quarter of it */
                bool subst = !near && gq <= 2 * ADAL_ALIGN_GAP && drift <= 2;
                if (near || subst) {
                    work.n = 0;
                    rc = fill(&p, &work, a->qend, b.qtok, a->send, b.stok, 0);
                    if (rc)
                        goto out;
                    uint32_t tiled = 0;
                    for (size_t t = 0; t < work.n; t++)
                        tiled += work.t[t].qe - work.t[t].qs;
                    /* never join into something the similarity filter would drop */
                    uint32_t m = a->matched + tiled + b.matched;
                    uint32_t lq = b.qend - a->qtok, ls = b.send - a->stok;
                    bool keeps = (double)m >= ADAL_ALIGN_MIN_SIM * (lq > ls ? lq : ls);
                    if (keeps && (near || 4 * (int64_t)tiled >= gq)) {
                        a->matched += tiled + b.matched;
                        a->qend = b.qend;
                        a->send = b.send;
                        continue;
                    }
                }
            }
            if (b.qtok < a->qend) {
                uint32_t oq = (b.qend < a->qend ? b.qend : a->qend) - b.qtok;
                bool s_overlap = b.stok < a->send && a->stok < b.send;
                if (s_overlap) {
                    uint32_t m = a->matched + b.matched;
                    m = m > oq ? m - oq : 0;
                    if (b.qend > a->qend)
                        a->qend = b.qend;
                    if (b.stok < a->stok)
                        a->stok = b.stok;
                    if (b.send > a->send)
                        a->send = b.send;
                    uint32_t big = a->matched > b.matched ? a->matched : b.matched;
                    a->matched = m > big ? m : big;
                    if (a->matched > a->qend - a->qtok)
                        a->matched = a->qend - a->qtok;
                    continue;
                }
                uint32_t bl = b.qend - b.qtok, al = a->qend - a->qtok;
                if (2 * oq >= (bl < al ? bl : al)) {
                    if (b.matched > a->matched)
                        *a = b;
                    continue;
                }
            }
        }
        sp[w++] = b;
    }
    nsp = w;
    *out = sp;
    *nout = nsp;
    sp = NULL;
out:
    if (rc == ADAL_ENOMEM)
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
    adal__free(sd);
    adal__free(anc);
    adal__free(ord);
    adal__free(next);
    adal__free(open);
    adal__free(ch);
    adal__free(sp);
    adal__free(work.t);
    adal__free(p.row);
    return rc;
}
