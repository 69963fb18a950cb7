/* internal.h — private structures and helpers shared between the stages of libadal.
 * Nothing here is API. Each stage keeps its own private declarations in its own header
 * (ingest.h, norm.h, ...); this file holds only what every stage needs: the context, the
 * error helper, growable buffers, and the document object that flows through the pipeline.
 */
#ifndef ADAL_INTERNAL_H
#define ADAL_INTERNAL_H

#include "adal.h"
#include "caps.h" /* every per-file limit */

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define ADAL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ADAL_PRINTF(a, b)
#endif

#define ADAL_ERRMSG_MAX 512

struct adal__norm; /* norm_*.c: ICU handles, transliterators, stemmers (lazy, per context) */
struct adal__docx_cache; /* ingest_docx.c: the last styles.xml parsed, by content key */

struct adal_ctx {
    int err;
    char msg[ADAL_ERRMSG_MAX];
    struct adal__norm *norm;
    struct adal__docx_cache *docx_cache;
};

/* Set the context's error and its one-line detail together; returns `code`, so every
 * failure path reads `return adal__err(ctx, ADAL_EXML, "...", ...)`. ctx may be NULL. */
int adal__err(adal_ctx *ctx, int code, const char *fmt, ...) ADAL_PRINTF(3, 4);
void adal__err_clear(adal_ctx *ctx);

/* ---- allocation: every allocation goes through these, so tests can make any of them fail */
void *adal__malloc(size_t n);
void *adal__calloc(size_t n, size_t size);
void *adal__realloc(void *p, size_t n);
void adal__free(void *p);
char *adal__strdup(const char *s);
char *adal__strndup(const char *s, size_t n);
/* Fault injection for tests: the n-th allocation from now (1-based) and, if `repeat`, every
 * one after it fails. n = 0 switches it off. Returns how many allocations failed so far. */
void adal__fail_alloc_after(long n, bool repeat);
long adal__alloc_failures(void);

/* ---- growable byte buffer with a hard cap (curl's dynbuf idea) */
typedef struct adal__buf {
    char *data;
    size_t len, cap, max; /* max = 0: no cap beyond SIZE_MAX/2 */
} adal__buf;

void adal__buf_init(adal__buf *b, size_t max);
void adal__buf_free(adal__buf *b);
/* 0 on success, ADAL_ENOMEM, or ADAL_ELIMIT when `max` would be exceeded. Keeps data
 * NUL-terminated. */
int adal__buf_add(adal__buf *b, const void *p, size_t n);
int adal__buf_addc(adal__buf *b, char c);
int adal__buf_addf(adal__buf *b, const char *fmt, ...) ADAL_PRINTF(2, 3);
/* Hand the data to the caller (NUL-terminated; caller frees with adal__free). */
char *adal__buf_take(adal__buf *b, size_t *len);

/* Generic growable array: ensure room for `need` elements of `size` bytes. */
int adal__grow(void **arr, size_t *cap, size_t need, size_t size);

/* ---- UTF-8 */
/* Decode one code point at s[*i] (n bytes total); invalid sequences yield U+FFFD and
 * advance one byte. */
uint32_t adal__utf8_next(const char *s, size_t n, size_t *i);
/* Encode cp into out (≥ 4 bytes); returns bytes written. */
size_t adal__utf8_put(char *out, uint32_t cp);
/* Whether the bytes are valid UTF-8 (no overlongs, no surrogates). */
bool adal__utf8_valid(const char *s, size_t n);

/* ---- files */
/* Read a whole file, refusing more than `max` bytes. */
int adal__read_file(adal_ctx *ctx, const char *path, size_t max, uint8_t **out, size_t *len);

/* ---- the document */
struct adal_doc {
    char *name;
    adal_format format;
    char encoding[24];

    char *text;       /* UTF-8, NUL-terminated */
    size_t text_len;
    uint16_t *text16; /* the same text in UTF-16 */
    size_t text16_len;
    uint32_t *off8;   /* off8[i] = byte offset of UTF-16 unit i; off8[text16_len] = text_len */

    adal_segment *segs;
    size_t nsegs, segs_cap;
    adal_finding *finds;
    size_t nfinds, finds_cap;
    /* each finding's `text` is an owned allocation, freed with the document */

    /* set by normalisation */
    adal_token *toks;
    size_t ntoks, toks_cap;
    adal__buf keys;
    bool normalized;

    /* set by fingerprinting */
    adal_fp *fps;
    size_t nfps, fps_cap;
    bool fingerprinted;

    /* the paraphrase stage's model of the document (its content terms and sentences, para.c),
     * kept on a report's query and, in a batch, on each submission as it loads them, so a
     * document met in many pairs is read once, not once a pair; NULL: each use makes its
     * own. Not content: set once, atomically (check threads share documents). */
    struct adal__pmodel *_Atomic para;
};

/* qsort/bsearch order of uint64_t values, ascending. */
int adal__u64_cmp(const void *a, const void *b);

/* Frees a document's paraphrase model (para.c); NULL is fine. */
void adal__para_model_free(struct adal__pmodel *m);

/* Add a finding with UTF-16 offsets (used by normalisation; the builder below converts
 * its own). The excerpt is copied and cut at ADAL_FINDING_EXCERPT bytes. */
int adal__doc_add_finding(adal_doc *doc, const adal_finding *f, const char *excerpt,
                          size_t excerpt_len);

/* ---- the document builder: how every ingest format emits text.
 * Paragraphs are emitted in reading order; text between begin_para and end_para is UTF-8
 * (invalid bytes become U+FFFD). `invisible` records a run that must not be read: one
 * space goes into the text in its place, and a finding remembers what was there. */
typedef struct adal__builder {
    adal_ctx *ctx;
    adal_doc *doc;
    adal__buf text;
    bool in_para;
    adal_part part;
    uint32_t para_no[ADAL_PART__COUNT];
    size_t seg_start; /* byte offset where the open paragraph began */
    /* text[0..conv) already in UTF-16: n16 units, each unit's byte offset in off8 (cap16
     * of room in both); adal__b_text converts while it checks, adal__b_finish the rest */
    uint16_t *t16;
    uint32_t *off8;
    size_t n16, cap16, conv;
} adal__builder;


int adal__builder_init(adal__builder *b, adal_ctx *ctx, const char *name, adal_format fmt);
void adal__builder_free(adal__builder *b); /* frees the unfinished document too */
int adal__b_begin_para(adal__builder *b, adal_part part);
int adal__b_text(adal__builder *b, const char *s, size_t n);
/* A hint: about `units` UTF-16 units of text may follow (never an error). */
void adal__b_expect(adal__builder *b, size_t units);
int adal__b_end_para(adal__builder *b); /* no-op if no paragraph is open */
int adal__b_invisible(adal__builder *b, adal_evasion kind, const char *hidden, size_t n);
/* Close, convert to UTF-16 and map every offset; ADAL_EEMPTY if there is no letter or
 * digit anywhere. On success *out owns the document and the builder is emptied. */
int adal__b_finish(adal__builder *b, adal_doc **out);

/* A document from stored parts (the corpus store): UTF-8 text (copied; must be valid UTF-8,
 * as the builder made it) and its segments in UTF-16 units (copied, checked to fit). Not
 * normalised; no findings. */
int adal__doc_from_stored(adal_doc **out, adal_ctx *ctx, const char *name, adal_format fmt,
                          const char *text, size_t len, const adal_segment *segs, size_t nsegs);

/* ---- stage entry points called from other stages */
/* ingest.c: dispatch by sniffed content. */
int adal__ingest(adal_doc **out, adal_ctx *ctx, const uint8_t *data, size_t len,
                 const char *name, const adal_load_opts *opts);
/* norm_*.c: release the per-context normalisation state. */
void adal__norm_free(struct adal__norm *n);
/* ingest_docx.c: release the per-context style cache. */
void adal__docx_cache_free(struct adal__docx_cache *c);

#endif /* ADAL_INTERNAL_H */
