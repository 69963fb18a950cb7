/* norm.h — private declarations of the normalisation stage (norm*.c): the per-context state
 * (ICU normaliser, fast table, Kazakh Latin transliterators, Snowball stemmer) and the
 * per-token steps (fold, transliterate, stem) that norm.c's loop calls. Nothing here is API.
 */
#ifndef ADAL_NORM_H
#define ADAL_NORM_H

#include "internal.h"

#include <unicode/unorm2.h>
#include <unicode/utrans.h>

struct sb_stemmer;

/* Caps (ADAL_NORM_MAX_*): src/caps.h. */
#define ADAL_NORM_SEGCAP 32             /* UTF-16 units per normalisation segment */

/* Fast-table entry for a code point < U+0500 (design-notes §4.6: 163–177 MB/s). */
enum {
    NT_ALNUM = 1 << 0,  /* u_isalnum on the code point itself */
    NT_MARK = 1 << 1,   /* Mn, Mc, Me */
    NT_CYR = 1 << 2,    /* Cyrillic letter */
    NT_LAT = 1 << 3,    /* Latin letter */
    NT_GRK = 1 << 4,    /* Greek letter */
    NT_DIGIT = 1 << 5,  /* decimal digit */
    NT_KK = 1 << 6,     /* Kazakh-only Cyrillic letter (ә ғ қ ң ө ұ ү һ і, lower case) */
    NT_RU = 1 << 7,     /* letters native Kazakh words lack (в ь ъ э щ ц ч ф ё, lower case) */
    NT_INVIS = 1 << 8,  /* default-ignorable (invisible) as an input character */
    NT_ODDSP = 1 << 9,  /* non-ASCII space as an input character */
    NT_BOUND = 1 << 10, /* has a normalisation boundary before it */
    NT_SIMPLE = 1 << 11, /* NFKC_CF of the lone code point is 0 or 1 unit, in `out` */
    NT_PLAIN = 1 << 12,  /* NT_SIMPLE, visible, not a space, `out` a letter or digit below
                            ADAL_NORM_FAST: pass 1's tight loop over a word's letters */
    NT_KNOWN = 1 << 15,  /* cls_bmp: the entry is filled */
};

#define ADAL_NORM_FAST 0x500

struct adal__norm {
    const UNormalizer2 *nfkc_cf; /* owned by ICU, never closed */
    uint16_t cls[ADAL_NORM_FAST];
    uint16_t out[ADAL_NORM_FAST];     /* 0 = removed (with NT_SIMPLE) */
    uint8_t ev[ADAL_NORM_FAST];       /* norm.c count_evidence: EV_* bits of a code point */
    uint32_t plain[ADAL_NORM_FAST];   /* norm.c pass 1: all it needs of an NT_PLAIN code point
                                         in one word (PL_*), 0 for any other */
    uint64_t evw[64];                 /* and those bits spread ten bits apart */
    uint16_t *cls_bmp; /* classes of BMP code points from U+0500 as met (NT_KNOWN), or NULL */
    uint16_t *out_bmp; /* with it: NFKC_CF of such a code point alone when NT_SIMPLE */
    UTransliterator *kk2018, *kk2021; /* lazily opened */
    struct sb_stemmer *ru;            /* lazily opened; not thread-safe: one per context */
    struct adal__key_cache *keys;     /* word → key (norm.c), lazily allocated; it also
                                         spares Snowball the frequent words */
    /* adal_doc_normalize's per-paragraph scratch (norm.c run.raw, run.pt), kept from one
     * document to the next so a batch does not allocate and grow them again per document */
    uint32_t *raw;
    size_t raw_cap;
    void *pt;
    size_t pt_cap;
    void *sents; /* and pass 2's sentences (norm.c struct sent) */
    size_t sents_cap;
};

/* Sets in the context's word → key cache (0: none yet); for tests. */
size_t adal__norm_cache_sets(const adal_ctx *ctx);

/* Classification of any code point (table below U+0500, ICU above). */
unsigned adal__norm_class(const struct adal__norm *n, uint32_t cp);

/* norm_fold.c */
/* Latin/Greek/digit look-alike → Cyrillic (design-notes §4.4 step 2), 0 if none. */
uint32_t adal__fold_homoglyph(uint32_t cp, bool upper, bool digits);
/* ё→е, й→и, Kazakh letters → Russian base (§4.4 steps 3–4); identity otherwise. Inline: it
 * runs for every letter of every word. */
static inline uint32_t adal__fold_base(uint32_t cp)
{
    if (cp < 0x0439 || cp > 0x04E9)
        return cp;
    switch (cp) {
    case 0x0451:
        return 0x0435; /* ё → е */
    case 0x0439:
        return 0x0438; /* й → и */
    case 0x04D9:
        return 0x0430; /* ә → а */
    case 0x0493:
        return 0x0433; /* ғ → г */
    case 0x049B:
        return 0x043A; /* қ → к */
    case 0x04A3:
        return 0x043D; /* ң → н */
    case 0x04E9:
        return 0x043E; /* ө → о */
    case 0x04B1:
        return 0x0443; /* ұ → у */
    case 0x04AF:
        return 0x0443; /* ү → у */
    case 0x04BB:
        return 0x0445; /* һ → х */
    case 0x0456:
        return 0x0438; /* і → и */
    default:
        return cp;
    }
}

/* norm_translit.c: Kazakh Latin (2018 or 2021) → Cyrillic, in place on cps[0..*n)
 * (lower-case, marks dropped); at most `cap` code points out. */
enum { ADAL_KKLAT_NONE = 0, ADAL_KKLAT_2018, ADAL_KKLAT_2021 };
int adal__translit_kk(adal_ctx *ctx, int alphabet, uint32_t *cps, size_t *n, size_t cap);

/* norm_stem.c: stem in place (cps are lower-case Cyrillic, й/ё already folded for Russian;
 * fully base-folded for Kazakh). */
int adal__stem_ru(adal_ctx *ctx, uint32_t *cps, size_t *n, size_t cap);
void adal__stem_kk(uint32_t *cps, size_t *n);

#endif /* ADAL_NORM_H */
