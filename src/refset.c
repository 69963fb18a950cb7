/* refset.c — the in-memory reference set behind `check --against`, `compare --all` and the
 * batch's cross-check: documents with an inverted fingerprint index (hash → postings of
 * (document, position)) and the document frequency of every hash. A query gathers the
 * postings of its non-common fingerprints, ranks the documents by shared fingerprints
 * (design-notes §5.4) and aligns the best of them (match.c) into a report (score.c). A second
 * index, content words → documents, finds the sources a paraphrase shares no fingerprint
 * with, for the paraphrase stage (add_word_sources).
 * Adding mutates; checking only reads, so after the last add many threads may check at once.
 */
#include "match.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A source needs this many shared non-common fingerprints to be aligned. One is enough: a
 * copied run of 8 tokens (the shortest passage kept) is only guaranteed one shared
 * fingerprint, and `compare A B` would find it; on the bench, requiring 2 halved the
 * all-pairs matches found, for a saving of about 1 ms per check. Candidates are ranked by
 * shared count, so the max_sources cap keeps the strongest. */
#define MIN_SHARED 1
/* Common-fingerprint cut-off (design-notes §5.3): a hash in more than max(COMMON_MIN,
 * ndocs / COMMON_DIV) documents is boilerplate of the set (assignment wording, title-page
 * formulas), not evidence; it is not used to find or seed sources, though a passage found
 * from other seeds may run through it. The floor keeps a source that 20–50 students copied
 * from still findable in a small cohort. */
#define COMMON_MIN 50
#define COMMON_DIV 10
/* Caps: documents and postings (uint32 indexes). */
#define MAX_DOCS (1u << 24)
#define MAX_POSTINGS 0xFFFFFFF0u

#define NIL UINT32_MAX

typedef struct slot {
    uint64_t hash;
    uint32_t head; /* newest posting, NIL when the slot is empty */
    uint32_t df;   /* documents containing the hash */
} slot;

typedef struct posting {
    uint32_t doc, pos, next;
} posting;

/* An inverted index: a hash table of slots (a key, its document frequency and the head of
 * its posting list) over one posting array. The fingerprint index and the content-word
 * index (postings with pos 0) are both one. */
typedef struct hindex {
    slot *tab;
    size_t tab_cap, used; /* tab_cap is a power of two, the table at most half full */
    posting *post;
    size_t npost, post_cap;
} hindex;

struct adal_refset {
    adal_doc **docs;
    char **ids;
    size_t n, cap, ids_cap;
    hindex fp; /* fingerprint hash → (document, position) */
    /* content words (para.c's terms: stop words out, stemmed) → documents, for the sources
     * that share no fingerprint with a paraphrasing essay */
    hindex words;
    adal__para *stop; /* para.c's stop words, for adal__para_terms */
    bool no_words;    /* adal_refset_index_words(rs, 0): no content-word index */
    uint32_t *nterms; /* distinct content terms of each document */
    size_t nterms_cap;
    uint64_t sum_nterms;
};

static inline size_t slot_of(uint64_t h, size_t mask)
{
    /* fingerprint hashes are already uniform (XXH3); fold the high bits in anyway */
    return (size_t)(h ^ (h >> 29)) & mask;
}

static const slot *hx_find(const hindex *x, uint64_t h)
{
    if (!x->tab_cap)
        return NULL;
    size_t mask = x->tab_cap - 1;
    for (size_t i = slot_of(h, mask);; i = (i + 1) & mask) {
        const slot *s = &x->tab[i];
        if (s->head == NIL)
            return NULL;
        if (s->hash == h)
            return s;
    }
}

static const slot *find(const adal_refset *rs, uint64_t h)
{
    return hx_find(&rs->fp, h);
}

/* Room for nkeys more keys and npost more postings. */
static int hx_reserve(hindex *x, size_t nkeys, size_t npost)
{
    if (adal__grow((void **)&x->post, &x->post_cap, x->npost + npost, sizeof *x->post))
        return ADAL_ENOMEM;
    if ((x->used + nkeys) * 2 <= x->tab_cap)
        return ADAL_OK;
    size_t ncap = x->tab_cap ? x->tab_cap : 1024;
    while ((x->used + nkeys) * 2 > ncap)
        ncap *= 2;
    slot *t = adal__malloc(ncap * sizeof *t);
    if (!t)
        return ADAL_ENOMEM;
    for (size_t i = 0; i < ncap; i++)
        t[i].head = NIL;
    size_t mask = ncap - 1;
    for (size_t i = 0; i < x->tab_cap; i++) {
        if (x->tab[i].head == NIL)
            continue;
        size_t j = slot_of(x->tab[i].hash, mask);
        while (t[j].head != NIL)
            j = (j + 1) & mask;
        t[j] = x->tab[i];
    }
    adal__free(x->tab);
    x->tab = t;
    x->tab_cap = ncap;
    return ADAL_OK;
}

/* Prepend a posting of document d to key h's list (room reserved); df counts the document
 * once: its postings are prepended one after another, so the list head tells whether it was
 * counted already. */
static void hx_post(hindex *x, uint64_t h, uint32_t d, uint32_t pos)
{
    size_t mask = x->tab_cap - 1, i = slot_of(h, mask);
    while (x->tab[i].head != NIL && x->tab[i].hash != h)
        i = (i + 1) & mask;
    slot *s = &x->tab[i];
    if (s->head == NIL) {
        s->hash = h;
        s->df = 0;
        x->used++;
    }
    if (s->head == NIL || x->post[s->head].doc != d)
        s->df++;
    x->post[x->npost] = (posting){d, pos, s->head};
    s->head = (uint32_t)x->npost++;
}

static void hx_free(hindex *x)
{
    adal__free(x->tab);
    adal__free(x->post);
}

int adal_refset_new(adal_refset **out, adal_ctx *ctx)
{
    *out = adal__calloc(1, sizeof **out);
    if (!*out)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    return ADAL_OK;
}

int adal_refset_index_words(adal_refset *rs, int on)
{
    if (!rs || rs->n)
        return ADAL_EINVAL;
    rs->no_words = !on;
    return ADAL_OK;
}

void adal_refset_free(adal_refset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->n; i++) {
        adal_doc_free(rs->docs[i]);
        adal__free(rs->ids[i]);
    }
    adal__free(rs->docs);
    adal__free(rs->ids);
    hx_free(&rs->fp);
    hx_free(&rs->words);
    adal__free(rs->nterms);
    adal__para_free(rs->stop);
    adal__free(rs);
}

int adal_refset_add(adal_refset *rs, adal_ctx *ctx, adal_doc *doc, const char *id)
{
    char *idc = NULL;
    uint64_t *terms = NULL;
    size_t nterms = 0;
    int rc;
    adal__err_clear(ctx);
    if (rs->n >= MAX_DOCS) {
        rc = adal__err(ctx, ADAL_ELIMIT, "reference set holds %u documents already", MAX_DOCS);
        goto fail;
    }
    rc = adal_doc_fingerprint(doc, ctx);
    if (rc)
        goto fail;
    /* content words, for the sources a paraphrase shares no fingerprint with */
    if (!rs->no_words && !rs->stop)
        rc = adal__para_new(ctx, NULL, &rs->stop);
    if (rc == ADAL_OK && !rs->no_words)
        rc = adal__para_terms(ctx, rs->stop, doc, &terms, &nterms);
    if (rc)
        goto fail;
    if (rs->fp.npost + doc->nfps > MAX_POSTINGS || rs->words.npost + nterms > MAX_POSTINGS) {
        rc = adal__err(ctx, ADAL_ELIMIT, "reference set index is full");
        goto fail;
    }
    idc = adal__strdup(id ? id : (doc->name ? doc->name : ""));
    if (!idc || adal__grow((void **)&rs->docs, &rs->cap, rs->n + 1, sizeof *rs->docs))
        goto nomem;
    if (rs->ids_cap < rs->cap) {
        char **ids = adal__realloc(rs->ids, rs->cap * sizeof *ids);
        if (!ids)
            goto nomem;
        rs->ids = ids;
        rs->ids_cap = rs->cap;
    }
    if (hx_reserve(&rs->fp, doc->nfps, doc->nfps) || hx_reserve(&rs->words, nterms, nterms) ||
        adal__grow((void **)&rs->nterms, &rs->nterms_cap, rs->n + 1, sizeof *rs->nterms))
        goto nomem;
    uint32_t d = (uint32_t)rs->n;
    for (size_t k = 0; k < doc->nfps; k++)
        hx_post(&rs->fp, doc->fps[k].hash, d, doc->fps[k].pos);
    for (size_t k = 0; k < nterms; k++) /* distinct terms */
        hx_post(&rs->words, terms[k], d, 0);
    adal__free(terms);
    rs->nterms[rs->n] = (uint32_t)nterms;
    rs->sum_nterms += nterms;
    rs->docs[rs->n] = doc;
    rs->ids[rs->n] = idc;
    rs->n++;
    return ADAL_OK;
nomem:
    rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
fail:
    adal__free(terms);
    adal__free(idc);
    adal_doc_free(doc);
    return rc;
}

size_t adal_refset_count(const adal_refset *rs)
{
    return rs->n;
}

const adal_doc *adal_refset_doc(const adal_refset *rs, size_t i)
{
    return i < rs->n ? rs->docs[i] : NULL;
}

const char *adal_refset_id(const adal_refset *rs, size_t i)
{
    return i < rs->n ? rs->ids[i] : NULL;
}

static uint32_t common_cutoff(const adal_refset *rs)
{
    size_t c = rs->n / COMMON_DIV;
    return (uint32_t)(c > COMMON_MIN ? c : COMMON_MIN);
}

static int is_common(const void *data, uint64_t h)
{
    const adal_refset *rs = data;
    const slot *s = find(rs, h);
    return s && s->df > common_cutoff(rs);
}

typedef struct cand {
    uint32_t doc, count;
} cand;

static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return (x->doc > y->doc) - (x->doc < y->doc);
}

typedef struct common2 {
    const adal_refset *rs;
    adal__common_fn extra;
    const void *extra_data;
} common2;

static int is_common2(const void *data, uint64_t h)
{
    const common2 *c = data;
    return is_common(c->rs, h) || c->extra(c->extra_data, h);
}

/* Sources found by shared content words (docs/ACCURACY.md, item 5): a rewritten passage
 * keeps many of its content words but seldom five words in a row, so its source may share
 * no fingerprint with the essay. The essay is cut into windows of WORD_WIN tokens (half
 * overlapping, about a short paragraph); in each, every document not yet added
 * (`taken[d]` != NIL) gets the summed idf, log(N / df), of the window's content terms it
 * holds. A large document holds more of them by chance, so the sum is compared with what
 * chance gives a document of its size: with p = df/N and f = its terms / the mean, expected
 * E = f·Σ idf·p and variance V = f·Σ idf²·p, z = (sum − E) / √V. A document's score is its
 * best window's z; the ADAL_PARA_WORD_SOURCES best at or above WORD_MIN_Z go to the
 * paraphrase stage (measured on PAN Indonesian: the 19 true sources that share no
 * fingerprint score 2.3 to 17, 3 of them under 4; the other documents' best windows reach 4
 * for about one pair in ten). Only terms in at most max(WORD_DF_MIN, N / WORD_DF_DIV)
 * documents, and never more than WORD_DF_MAX, are walked: the rest weigh little, and the cap
 * keeps the walk from growing with the set. */
#define WORD_WIN 60
#define WORD_DF_MIN 8
#define WORD_DF_DIV 50
#define WORD_DF_MAX 32
#define WORD_MIN_Z 4.0

typedef struct wcand {
    uint32_t doc;
    double score;
} wcand;

static int wcand_cmp(const void *a, const void *b)
{
    const wcand *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->doc > y->doc) - (x->doc < y->doc);
}

static int add_word_sources(adal_report *r, adal_ctx *ctx, const adal_refset *rs,
                            const adal_doc *query, const uint32_t *taken, adal__common_fn common,
                            const void *common_data)
{
    uint64_t *th = NULL, win[WORD_WIN];
    double *acc = NULL, *best = NULL;
    uint32_t *touched = NULL;
    wcand *wc = NULL;
    size_t nwc = 0, n = rs->n, nq = query->ntoks;
    /* the query's model kept on it: the paraphrase stage reads the same terms */
    int rc = adal__para_model(ctx, query);
    if (rc == ADAL_OK)
        rc = adal__para_token_terms(ctx, rs->stop, query, &th);
    if (rc)
        return rc;
    acc = adal__calloc(n + 1, sizeof *acc);
    best = adal__malloc((n + 1) * sizeof *best);
    touched = adal__malloc((n + 1) * sizeof *touched);
    wc = adal__malloc((n + 1) * sizeof *wc);
    if (!acc || !best || !touched || !wc) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t d = 0; d < n; d++)
        best[d] = -HUGE_VAL;
    double mean = rs->sum_nterms > 0 ? (double)rs->sum_nterms / (double)n : 1.0;
    size_t cut = n / WORD_DF_DIV > WORD_DF_MIN ? n / WORD_DF_DIV : WORD_DF_MIN;
    if (cut > WORD_DF_MAX)
        cut = WORD_DF_MAX;
    for (size_t w0 = 0; w0 < nq; w0 += WORD_WIN / 2) {
        size_t w1 = w0 + WORD_WIN < nq ? w0 + WORD_WIN : nq, nw = 0, nt = 0;
        for (size_t i = w0; i < w1; i++)
            if (th[i])
                win[nw++] = th[i];
        qsort(win, nw, sizeof *win, adal__u64_cmp);
        double E = 0.0, V = 0.0;
        for (size_t k = 0; k < nw; k++) {
            if (k && win[k] == win[k - 1])
                continue;
            const slot *s = hx_find(&rs->words, win[k]);
            if (!s || s->df > cut)
                continue;
            double p = (double)s->df / (double)n, idf = log(1.0 / p);
            E += idf * p;
            V += idf * idf * p;
            for (uint32_t x = s->head; x != NIL; x = rs->words.post[x].next) {
                uint32_t d = rs->words.post[x].doc;
                if (taken[d] == NIL)
                    continue;
                if (acc[d] == 0.0)
                    touched[nt++] = d;
                acc[d] += idf > 1e-9 ? idf : 1e-9;
            }
        }
        for (size_t k = 0; k < nt; k++) {
            uint32_t d = touched[k];
            double f = rs->nterms[d] / mean;
            double z = V > 0.0 ? (acc[d] - f * E) / sqrt(f * V) : 0.0; /* V 0: in every doc */
            if (z > best[d]) {
                if (best[d] == -HUGE_VAL)
                    wc[nwc++] = (wcand){d, 0.0};
                best[d] = z;
            }
            acc[d] = 0.0;
        }
        if (w1 == nq)
            break;
    }
    for (size_t k = 0; k < nwc; k++)
        wc[k].score = best[wc[k].doc];
    qsort(wc, nwc, sizeof *wc, wcand_cmp);
    /* a set of at most ADAL_PARA_WORD_SOURCES documents is too small for the statistics:
     * every document sharing a term goes */
    for (size_t k = 0; k < nwc && k < ADAL_PARA_WORD_SOURCES && rc == ADAL_OK; k++)
        if (wc[k].score >= WORD_MIN_Z || n <= ADAL_PARA_WORD_SOURCES)
            rc = adal__report_add_source_para(r, ctx, rs->docs[wc[k].doc], rs->ids[wc[k].doc],
                                              common, common_data, true);
out:
    adal__free(th);
    adal__free(acc);
    adal__free(best);
    adal__free(touched);
    adal__free(wc);
    return rc;
}

int adal__refset_add_sources(adal_report *r, adal_ctx *ctx, const adal_refset *rs,
                             const adal_doc *query, const adal_check_opts *opts,
                             const size_t *skip, size_t n_skip, adal__common_fn extra,
                             const void *extra_data)
{
    common2 c2 = {rs, extra, extra_data};
    uint32_t *count = NULL;
    uint64_t *hs = NULL;
    cand *cd = NULL;
    size_t ncd = 0;
    int rc = ADAL_OK;
    size_t max_src = opts && opts->max_sources ? opts->max_sources : 50;
    uint32_t cut = common_cutoff(rs);
    count = adal__calloc(rs->n + 1, sizeof *count);
    hs = adal__malloc((query->nfps + 1) * sizeof *hs);
    cd = adal__malloc((rs->n + 1) * sizeof *cd);
    if (!count || !hs || !cd) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    /* distinct query hashes; each counts once per document that holds it */
    for (size_t k = 0; k < query->nfps; k++)
        hs[k] = query->fps[k].hash;
    qsort(hs, query->nfps, sizeof *hs, adal__u64_cmp);
    for (size_t k = 0; k < query->nfps; k++) {
        if (k && hs[k] == hs[k - 1])
            continue;
        const slot *s = find(rs, hs[k]);
        if (!s || s->df > cut || (extra && extra(extra_data, hs[k])))
            continue;
        uint32_t last = NIL;
        for (uint32_t p = s->head; p != NIL; p = rs->fp.post[p].next) {
            uint32_t d = rs->fp.post[p].doc;
            if (d == last)
                continue;
            last = d;
            if (count[d]++ == 0)
                cd[ncd++] = (cand){d, 0};
        }
    }
    for (size_t k = 0; k < n_skip; k++)
        if (skip[k] < rs->n)
            count[skip[k]] = 0;
    size_t w = 0;
    for (size_t k = 0; k < ncd; k++)
        if (count[cd[k].doc] >= MIN_SHARED)
            cd[w++] = (cand){cd[k].doc, count[cd[k].doc]};
    ncd = w;
    if (ncd)
        qsort(cd, ncd, sizeof *cd, cand_cmp);
    if (ncd > max_src)
        ncd = max_src;
    for (size_t k = 0; k < ncd && rc == ADAL_OK; k++)
        rc = extra ? adal__report_add_source(r, ctx, rs->docs[cd[k].doc], rs->ids[cd[k].doc],
                                             is_common2, &c2)
                   : adal__report_add_source(r, ctx, rs->docs[cd[k].doc], rs->ids[cd[k].doc],
                                             is_common, rs);
    if (rc == ADAL_OK && !(opts && opts->no_paraphrase) && rs->words.used) {
        /* the sources added and the query itself are not looked for again */
        for (size_t k = 0; k < ncd; k++)
            count[cd[k].doc] = NIL;
        for (size_t k = 0; k < n_skip; k++)
            if (skip[k] < rs->n)
                count[skip[k]] = NIL;
        rc = add_word_sources(r, ctx, rs, query, count, extra ? is_common2 : is_common,
                              extra ? (const void *)&c2 : (const void *)rs);
    }
out:
    adal__free(count);
    adal__free(hs);
    adal__free(cd);
    return rc;
}

int adal_refset_add_sources(adal_report *r, adal_ctx *ctx, const adal_refset *rs,
                            const adal_doc *query, const adal_check_opts *opts,
                            const size_t *skip, size_t n_skip)
{
    return adal__refset_add_sources(r, ctx, rs, query, opts, skip, n_skip, NULL, NULL);
}

int adal_refset_check(adal_report **out, adal_ctx *ctx, const adal_refset *rs, adal_doc *query,
                      const adal_check_opts *opts, const size_t *skip, size_t n_skip)
{
    adal_report *r = NULL;
    int rc;
    *out = NULL;
    rc = adal_report_new(&r, ctx, query, opts);
    if (rc == ADAL_OK)
        rc = adal__refset_add_sources(r, ctx, rs, query, opts, skip, n_skip, NULL, NULL);
    if (rc == ADAL_OK)
        rc = adal_report_finish(r, ctx);
    if (rc == ADAL_OK) {
        *out = r;
        r = NULL;
    }
    adal_report_free(r);
    return rc;
}

int adal_refset_check_doc(adal_report **out, adal_ctx *ctx, const adal_refset *rs, size_t i,
                          const adal_check_opts *opts)
{
    *out = NULL;
    if (i >= rs->n)
        return adal__err(ctx, ADAL_EINVAL, "no document %zu in the reference set", i);
    /* the document is fingerprinted already (by adal_refset_add), so the report does not
     * write to it: checking stays read-only and thread-safe */
    return adal_refset_check(out, ctx, rs, rs->docs[i], opts, &i, 1);
}
