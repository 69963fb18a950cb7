/* match.h — private interface of the engine behind `adal check`: fingerprints (fp.c),
 * pairwise alignment (match.c), the report and score (score.c) and the in-memory reference
 * set (refset.c). Nothing here is API.
 */
#ifndef ADAL_MATCH_H
#define ADAL_MATCH_H

#include "internal.h"

/* ---- fp.c */
/* Hash of n ≤ ADAL_K consecutive tokens (little-endian token hashes, XXH3-64, fixed seed). */
uint64_t adal__fp_kgram(const adal_token *toks, size_t n);
/* 1 if the token lies in a counted part (body, tables, notes, text boxes), else 0. */
int adal__fp_counted_zone(const adal_doc *doc, const adal_token *t);
/* Fingerprints of a normalised document without storing them on it (const documents). */
int adal__fp_compute(const adal_doc *doc, adal_ctx *ctx, adal_fp **out, size_t *nout);

/* ---- match.c: alignment of a query against one source */
/* Alignment parameters (design-notes §5.5); the defaults are the ADAL_ALIGN_* below. */
#define ADAL_ALIGN_GAP 20   /* max Δi (tokens) between chained seeds */
#define ADAL_ALIGN_DRIFT 10 /* max |Δj − Δi| between chained seeds */
#define ADAL_ALIGN_TILE 3   /* shortest exact tile (tokens) in verification */
#define ADAL_ALIGN_MIN_SIM 0.5
/* ADAL_ALIGN_MAX_OCC and ADAL_ALIGN_MAX_SEEDS: src/caps.h. */

typedef struct adal__span {
    uint32_t qtok, qend; /* query tokens [qtok, qend) */
    uint32_t stok, send; /* source tokens [stok, send) */
    uint32_t matched;    /* tokens inside exact tiles */
} adal__span;

/* Decide whether a hash must not be used as a seed (common in the reference set). */
typedef int (*adal__common_fn)(const void *data, uint64_t hash);

/* The query side of adal__align, built once per report: its fingerprints sorted by (hash,
 * pos) and a hash table from a hash to its first index there. */
typedef struct adal__qfp {
    adal_fp *f;
    size_t n;
    uint32_t *tab; /* power-of-two size, UINT32_MAX = empty */
    size_t mask;
} adal__qfp;

int adal__qfp_build(adal__qfp *out, adal_ctx *ctx, const adal_fp *f, size_t n);
void adal__qfp_free(adal__qfp *q);
/* Align query q (its fingerprints indexed in qf) against source s (fingerprints sf, in any
 * order): seeds →
 * chains → verified token spans, not yet filtered by length/letters/similarity, sorted by
 * qtok. *out is an adal__malloc'd array. */
int adal__align(adal_ctx *ctx, const adal_doc *q, const adal__qfp *qf, const adal_doc *s,
                const adal_fp *sf, size_t nsf, adal__common_fn common, const void *common_data,
                adal__span **out, size_t *nout);

/* ---- para.c: the paraphrase stage (sentence pairs, Sanchez-Perez et al. 2014) */
/* Sources of a report the paraphrase stage runs on: the first this many added (score.c), and
 * up to ADAL_PARA_WORD_SOURCES more found by shared content words (refset.c). */
#define ADAL_PARA_MAX_SOURCES 10
#define ADAL_PARA_WORD_SOURCES 5
typedef struct adal__pspan {
    uint32_t qtok, qend, stok, send; /* tokens, as adal__span */
    double sim;                      /* mean tf-idf cosine of its sentence pairs */
    uint32_t nseeds;                 /* sentence pairs in it */
} adal__pspan;

/* The query side (stop words, its sentences and terms), built once per report. */
typedef struct adal__para adal__para;
int adal__para_new(adal_ctx *ctx, const adal_doc *q, adal__para **out);
/* q may be NULL: then only the stop words, for adal__para_terms. */
/* The distinct content terms of d (the paraphrase stage's terms: stop words and numbers out,
 * Latin words stemmed), sorted; *out is adal__malloc'd. Reads p's stop words only. */
int adal__para_terms(adal_ctx *ctx, const adal__para *p, const adal_doc *d, uint64_t **out,
                     size_t *nout);
/* The term of each token of d (0 = not a term), d->ntoks of them, *out adal__malloc'd (a
 * copy of d's kept model when it has one). */
int adal__para_token_terms(adal_ctx *ctx, const adal__para *p, const adal_doc *d, uint64_t **out);
/* Make d's paraphrase model now and keep it on d, for a document that will be in many pairs
 * (a report's query; a batch's submissions, as it loads them: each is then read once, in
 * parallel, not once for every pair it is in). A source without one gets a model for each
 * pair and frees it, so a check against 10,000 references keeps nothing for the dozen it
 * aligns. Thread-safe. adal__para_new keeps its query's. */
int adal__para_model(adal_ctx *ctx, const adal_doc *d);
/* The first token of each sentence of p's query document as the paraphrase stage cuts it
 * (*out adal__malloc'd, *n of them): for tests of the sentence rule. */
int adal__para_sentences(adal_ctx *ctx, const adal__para *p, uint32_t **out, size_t *n);
void adal__para_free(adal__para *p);
/* `ex` (n_ex, sorted by qtok): the exact spans already accepted for this source; sentences
 * overlapping one of them on either side do not seed a paraphrase (they are explained). */
int adal__para_align(adal_ctx *ctx, const adal__para *qp, const adal_doc *s, const adal__span *ex,
                     size_t n_ex, adal__pspan **out, size_t *nout);

/* ---- score.c */
/* adal_report_add_source with a filter of common hashes (used by the reference set). */
int adal__report_add_source(adal_report *r, adal_ctx *ctx, const adal_doc *src, const char *id,
                            adal__common_fn common, const void *common_data);
/* The same, with the paraphrase stage run on the source whatever PARA_MAX_SOURCES says (a
 * source found by shared content words, refset.c). */
int adal__report_add_source_para(adal_report *r, adal_ctx *ctx, const adal_doc *src, const char *id,
                                 adal__common_fn common, const void *common_data, bool para);

/* ---- refset.c */
/* The candidate search and alignment of adal_refset_check without creating or finishing the
 * report, so one report can hold sources from the set and from elsewhere (the batch's
 * cross-check beside the corpus store, each character counted once). `extra` (may be NULL)
 * marks more hashes as common: they neither rank candidates nor seed passages (the batch's
 * cohort template). */
int adal__refset_add_sources(adal_report *r, adal_ctx *ctx, const adal_refset *rs,
                             const adal_doc *query, const adal_check_opts *opts, const size_t *skip,
                             size_t n_skip, adal__common_fn extra, const void *extra_data);

#endif
