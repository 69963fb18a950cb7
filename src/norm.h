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
};

#define ADAL_NORM_FAST 0x500

struct adal__norm {
    const UNormalizer2 *nfkc_cf; /* owned by ICU, never closed */
    uint16_t cls[ADAL_NORM_FAST];
    uint16_t out[ADAL_NORM_FAST];     /* 0 = removed (with NT_SIMPLE) */
    UTransliterator *kk2018, *kk2021; /* lazily opened */
    struct sb_stemmer *ru;            /* lazily opened; not thread-safe: one per context */
    struct adal__stem_slot *ru_cache; /* ADAL_STEM_CACHE slots, lazily allocated */
};

/* Direct-mapped cache of Russian stems: word frequencies are Zipfian, and Snowball costs
 * ~10× a hash and a compare. Only speed depends on it, never a key. */
#define ADAL_STEM_CACHE 4096
#define ADAL_STEM_SLOT 46
struct adal__stem_slot {
    uint8_t inlen, outlen; /* 0: empty */
    char in[ADAL_STEM_SLOT], out[ADAL_STEM_SLOT];
};

/* Classification of any code point (table below U+0500, ICU above). */
unsigned adal__norm_class(const struct adal__norm *n, uint32_t cp);

/* norm_fold.c */
/* Latin/Greek/digit look-alike → Cyrillic (design-notes §4.4 step 2), 0 if none. */
uint32_t adal__fold_homoglyph(uint32_t cp, bool upper, bool digits);
/* ё→е, й→и, Kazakh letters → Russian base (§4.4 steps 3–4); identity otherwise. */
uint32_t adal__fold_base(uint32_t cp);

/* norm_translit.c: Kazakh Latin (2018 or 2021) → Cyrillic, in place on cps[0..*n)
 * (lower-case, marks dropped); at most `cap` code points out. */
enum { ADAL_KKLAT_NONE = 0, ADAL_KKLAT_2018, ADAL_KKLAT_2021 };
int adal__translit_kk(adal_ctx *ctx, int alphabet, uint32_t *cps, size_t *n, size_t cap);

/* norm_stem.c: stem in place (cps are lower-case Cyrillic, й/ё already folded for Russian;
 * fully base-folded for Kazakh). */
int adal__stem_ru(adal_ctx *ctx, uint32_t *cps, size_t *n, size_t cap);
void adal__stem_kk(uint32_t *cps, size_t *n);

#endif /* ADAL_NORM_H */
