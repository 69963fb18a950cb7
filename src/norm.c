/* norm.c — the normalisation stage: extracted text (UTF-16) → tokens with offsets back to
 * the student's own characters, folded and stemmed fingerprint keys, XXH3 hashes, and the
 * token-level evasion findings (homoglyphs, invisible code points, odd spaces, Kazakh Latin).
 * One pass per paragraph (design-notes §4.6): NFKC_Casefold segment by segment between
 * normalisation boundaries with a fast table below U+0500, our own alnum tokeniser (no UAX#29:
 * it splits words at U+200B), then per-paragraph decisions (language, Kazakh Latin,
 * look-alikes in context) and per-token keys (norm_fold.c, norm_translit.c, norm_stem.c).
 */
#include "norm.h"

#include <libstemmer.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <xxhash.h>

/* The token-hash seed: "adal" in ASCII in the high 32 bits, the fold version in the low
 * ones. A constant of the source, never of the machine, so every installation hashes the
 * same key to the same value; bumping ADAL_FOLD_VERSION changes every hash (stores check it). */
#define NORM_SEED ((UINT64_C(0x6164616C) << 32) | (uint64_t)ADAL_FOLD_VERSION)

/* Marks the code point in a token's raw buffer as a capital in the student's text. */
#define RAW_UPPER (1u << 30)
#define RAW_CP(x) ((x)&0x1FFFFF)

/* ---- per-context state ------------------------------------------------------------------ */

static bool is_odd_space(uint32_t cp)
{
    /* non-ASCII spaces, and U+2800 BRAILLE PATTERN BLANK which looks like one but is a
     * symbol (NFKC leaves it alone: design-notes §4.1) */
    return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0x2800 || cp == 0x3164 || cp == 0xFFA0 ||
           cp == 0x115F || cp == 0x1160;
}

static unsigned classify(const UNormalizer2 *n2, uint32_t cp)
{
    unsigned c = 0;
    UChar32 u = (UChar32)cp;
    if (u_isalnum(u))
        c |= NT_ALNUM;
    if (U_GET_GC_MASK(u) & U_GC_M_MASK)
        c |= NT_MARK;
    if (u_isdigit(u))
        c |= NT_DIGIT;
    if (u_isalpha(u)) {
        UErrorCode st = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(u, &st);
        if (sc == USCRIPT_CYRILLIC)
            c |= NT_CYR;
        else if (sc == USCRIPT_LATIN)
            c |= NT_LAT;
        else if (sc == USCRIPT_GREEK)
            c |= NT_GRK;
    }
    switch (cp) {
    case 0x04D9:
    case 0x0493:
    case 0x049B:
    case 0x04A3:
    case 0x04E9:
    case 0x04B1:
    case 0x04AF:
    case 0x04BB:
    case 0x0456:
        c |= NT_KK;
        break;
    case 0x0432:
    case 0x044C:
    case 0x044A:
    case 0x044D:
    case 0x0449:
    case 0x0446:
    case 0x0447:
    case 0x0444:
    case 0x0451:
        c |= NT_RU;
        break;
    default:
        break;
    }
    if (is_odd_space(cp))
        c |= NT_ODDSP; /* the Hangul fillers are also default-ignorable: counted as spaces */
    else if (u_hasBinaryProperty(u, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
        c |= NT_INVIS;
    if (unorm2_hasBoundaryBefore(n2, u))
        c |= NT_BOUND;
    return c;
}

unsigned adal__norm_class(const struct adal__norm *n, uint32_t cp)
{
    if (cp < ADAL_NORM_FAST)
        return n->cls[cp];
    if (cp > 0xFFFF || !n->cls_bmp)
        return classify(n->nfkc_cf, cp);
    /* other scripts (CJK, Arabic, Devanagari... in real files) and punctuation (’ “ ” – …)
     * ask ICU once a code point, for its class and, as below U+0500, what NFKC_CF makes of
     * it alone when that is at most one unit (NT_SIMPLE, in out_bmp): pass 1 then skips
     * ICU for it, which was a third of the normalisation of the real Word files */
    uint16_t c = n->cls_bmp[cp];
    if (!(c & NT_KNOWN)) {
        c = (uint16_t)(classify(n->nfkc_cf, cp) | NT_KNOWN);
        if (!U16_IS_SURROGATE(cp)) {
            UChar in[1] = {(UChar)cp}, out[8];
            UErrorCode st = U_ZERO_ERROR;
            int32_t k = unorm2_normalize(n->nfkc_cf, in, 1, out, 8, &st);
            if (U_SUCCESS(st) && k <= 1 && !(k == 1 && U16_IS_SURROGATE(out[0]))) {
                c |= NT_SIMPLE;
                n->out_bmp[cp] = k ? out[0] : 0;
            }
        }
        n->cls_bmp[cp] = c;
    }
    return c & (unsigned)~NT_KNOWN;
}

static unsigned evidence_bits(const struct adal__norm *nm, uint32_t c);
static uint64_t ev_spread(unsigned v);

/* What pass 1 adds of an NT_PLAIN code point c below U+0500 (struct adal__norm.plain): its
 * NFKC_CF (a letter or digit below U+0500, never 0), whether that is a folded Latin or Greek
 * capital (RAW_UPPER), its function-word code (fw_code, 0xFF none) and which one of the
 * token's counts it adds to, as tok_add's chain decides (Cyrillic, with Kazakh-only and
 * Russian-only; else Latin; else Greek; else digit). */
enum {
    PL_FW_SHIFT = 12, /* 8 bits */
    PL_CNT_SHIFT = 20, /* the six count bits, in the order of the bytes of pass 1's sums */
    PL_CYR = 1u << 20,
    PL_KK = 1u << 21,
    PL_RU = 1u << 22,
    PL_LAT = 1u << 23,
    PL_GRK = 1u << 24,
    PL_DIG = 1u << 25,
    PL_KBAD = 1u << 26,   /* outside U+0400–U+04FF: ptok.kbad */
    PL_FWBAD = 1u << 27,  /* function-word code 0xFF: ptok.fwbad */
    PL_UPPER = RAW_UPPER, /* so the raw value is pl & PL_RAW */
    PL_RAW = 0x7FFu | RAW_UPPER,
    /* and of every code point below U+0500, so pass 1 reads one table word a character:
     * PL_OK its fast path (NT_SIMPLE, not NT_INVIS or NT_ODDSP, its NFKC_CF one unit below
     * U+0500), PL_MARK with that a mark (not alnum), PL_BOUND NT_BOUND. The low 11 bits are
     * non-zero exactly for NT_PLAIN. */
    PL_OK = 1u << 28,
    PL_MARK = 1u << 29,
    PL_BOUND = 1u << 31,
};
/* A count bit to its byte: bit k of x (x < 64) to bit 0 of byte k (the copies of x, 7 bits
 * apart, do not overlap, so nothing carries). */
#define PL_SPREAD(x) (((uint64_t)(x)*UINT64_C(0x0002040810204081)) & UINT64_C(0x0101010101010101))

static uint8_t fw_code[0x4F0 - 0x430];
static void fw_ready(void);

static uint32_t pl_pack(const struct adal__norm *n, uint32_t c)
{
    uint32_t lo = n->out[c], f = lo - 0x430;
    unsigned lcl = n->cls[lo];
    uint32_t code = f < sizeof fw_code ? fw_code[f] : 0xFF;
    uint32_t v = lo | code << PL_FW_SHIFT;
    if (c != lo && (lcl & (NT_LAT | NT_GRK)))
        v |= PL_UPPER;
    if ((lo >> 8) != 4)
        v |= PL_KBAD;
    if (code == 0xFF)
        v |= PL_FWBAD;
    if (lcl & NT_CYR)
        v |= PL_CYR | (lcl & NT_KK ? PL_KK : 0) | (lcl & NT_RU ? PL_RU : 0);
    else if (lcl & NT_LAT)
        v |= PL_LAT;
    else if (lcl & NT_GRK)
        v |= PL_GRK;
    else if (lcl & NT_DIGIT)
        v |= PL_DIG;
    return v;
}

static int norm_init(adal_ctx *ctx)
{
    if (ctx->norm)
        return ADAL_OK;
    fw_ready(); /* fw_code, for n->plain */
    struct adal__norm *n = adal__calloc(1, sizeof *n);
    if (!n)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    UErrorCode st = U_ZERO_ERROR;
    n->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_FAILURE(st)) {
        adal__free(n);
        return adal__err(ctx, ADAL_EICU, "cannot load NFKC_Casefold data: %s", u_errorName(st));
    }
    /* the fast table: what NFKC_CF does to each lone code point below U+0500 (all of Latin,
     * Greek and Cyrillic with the Kazakh letters) */
    for (uint32_t cp = 0; cp < ADAL_NORM_FAST; cp++) {
        unsigned c = classify(n->nfkc_cf, cp);
        UChar in[1] = {(UChar)cp}, out[8];
        st = U_ZERO_ERROR;
        int32_t k = unorm2_normalize(n->nfkc_cf, in, 1, out, 8, &st);
        if (U_SUCCESS(st) && k <= 1 && !(k == 1 && U16_IS_SURROGATE(out[0]))) {
            c |= NT_SIMPLE;
            n->out[cp] = k ? out[0] : 0;
        }
        n->cls[cp] = (uint16_t)c;
    }
    for (uint32_t cp = 0; cp < ADAL_NORM_FAST; cp++) {
        n->ev[cp] = (uint8_t)evidence_bits(n, cp);
        n->evw[n->ev[cp]] = ev_spread(n->ev[cp]);
        unsigned c = n->cls[cp], o = n->out[cp];
        if ((c & (NT_SIMPLE | NT_INVIS | NT_ODDSP)) == NT_SIMPLE && o && o < ADAL_NORM_FAST &&
            (n->cls[o] & NT_ALNUM))
            n->cls[cp] = (uint16_t)(c | NT_PLAIN);
    }
    /* pass 1's letter loop: out, the class of out and its function-word code in one load */
    for (uint32_t cp = 0; cp < ADAL_NORM_FAST; cp++) {
        unsigned c = n->cls[cp], o = n->out[cp];
        uint32_t v = c & NT_PLAIN ? pl_pack(n, cp) : 0;
        if ((c & (NT_SIMPLE | NT_INVIS | NT_ODDSP)) == NT_SIMPLE && o && o < ADAL_NORM_FAST) {
            v |= PL_OK;
            if (!(n->cls[o] & NT_ALNUM) && (n->cls[o] & NT_MARK))
                v |= PL_MARK;
        }
        if (c & NT_BOUND)
            v |= PL_BOUND;
        n->plain[cp] = v;
    }
    /* NULL: ICU every time */
    n->cls_bmp = adal__calloc(0x10000, sizeof *n->cls_bmp);
    n->out_bmp = n->cls_bmp ? adal__calloc(0x10000, sizeof *n->out_bmp) : NULL;
    if (!n->out_bmp) {
        adal__free(n->cls_bmp);
        n->cls_bmp = NULL;
    }
    ctx->norm = n;
    return ADAL_OK;
}

static void kc_free(struct adal__key_cache *c);

void adal__norm_free(struct adal__norm *n)
{
    if (!n)
        return;
    if (n->kk2018)
        utrans_close(n->kk2018);
    if (n->kk2021)
        utrans_close(n->kk2021);
    if (n->ru)
        sb_stemmer_delete(n->ru);
    kc_free(n->keys);
    adal__free(n->raw);
    adal__free(n->pt);
    adal__free(n->sents);
    adal__free(n->cls_bmp);
    adal__free(n->out_bmp);
    adal__free(n);
}

/* ---- word → key cache ------------------------------------------------------------------- */

/* Stemming and folding a word to its key is the costly part of pass 2 (Snowball, the
 * Kazakh suffix stripper, UTF-8, XXH3), and word frequencies are Zipfian: a few thousand
 * words make most of any essay. The cache maps (stemmer, the word's code points after
 * look-alike folding and transliteration) to the key's code points, so the same input
 * gives the same key whether or not it hits; only speed depends on it, never a key.
 * A slot holds the word and its key one byte a letter (code point - U+0400), so only words
 * whose letters and key are all in the Cyrillic block (nearly every word of Kazakh and
 * Russian) and fit KC_BYTES together are cached; the slot keeps the key's XXH3, so a hit
 * makes only the key's UTF-8. Four-way set-associative, least recently used out: a set is
 * three 64-byte cache lines, prefetched KC_AHEAD words ahead of the probe. KC_BYTES 32
 * rather than 24 (with the hash, 48-byte slots): of a warm pass's 4,185 misses over make
 * bench, 3,228 were words that with their key did not fit 24 bytes, 162 do not fit 32. */
/* Sizes: the table starts at KC_SETS_MIN sets (768 KiB: one essay's words) and doubles,
 * up to KC_SETS_MAX (12 MiB, 262,144 words), whenever it has filled 3/8 of its slots (past
 * that, a Poisson share of sets over 4 words grows fast: 2 % at 3/8, 5 % at 1/2) or
 * evicted an eighth of them since it last grew (a batch: make bench's 300 essays hold
 * ~85,000 distinct words). Growing on evictions alone, once the set index used every set,
 * reached 8 MiB only in the third pass over make bench.
 * Measured on make bench: the earlier direct-mapped 32,768 × 64-byte slots (2 MiB) answered
 * 2/3 of the words of a pass; 2-way 4 MiB left 60,000 misses a pass (cyclic passes thrash
 * an overfull set); this one 4,185 from the second pass on (3,228 of them words that with
 * their key do not fit 24 bytes; 1,240 with 32), and 71,000 in the first pass, nearly all
 * first sightings. */
#define KC_SETS_MIN 4096
#define KC_SETS_MAX 65536
#define KC_WAYS 4
#define KC_BYTES 32               /* the word's letters then its key's, one byte each */
#define KC_AHEAD 8                /* words between a set's prefetch and its probe */
#define KC_HUGE ((size_t)2 << 20) /* a table this large sits on huge pages */

typedef struct kc_slot {
    uint32_t tag; /* high half of the word's hash, | 1; 0: empty */
    uint8_t branch, nin, nout, pad_;
    uint64_t hash;       /* the key's: XXH3 of its UTF-8 (a hit makes only the UTF-8) */
    uint8_t b[KC_BYTES]; /* in[nin] then out[nout]: code point - U+0400 */
} kc_slot;

_Static_assert(sizeof(kc_slot) == 48, "a set of four slots is three cache lines");

typedef struct kc_set {
    kc_slot way[KC_WAYS]; /* way 0 the most recently used */
} kc_set;

struct adal__key_cache {
    kc_set *set; /* mask + 1 sets, aligned inside mem */
    void *mem;
    size_t mask;
    size_t evicted; /* slots overwritten since the table last grew */
    size_t used;    /* slots filled */
};

static void kc_free(struct adal__key_cache *c)
{
    if (c)
        adal__free(c->mem);
    adal__free(c);
}

/* A table of nsets empty sets in c (c->mem, c->set, c->mask); false: out of memory. */
static bool kc_alloc(struct adal__key_cache *c, size_t nsets)
{
    size_t bytes = nsets * sizeof(kc_set), align = bytes >= KC_HUGE ? KC_HUGE : 64;
    void *mem = adal__calloc(1, bytes + align);
    if (!mem)
        return false;
    c->mem = mem;
    c->set = (kc_set *)(((uintptr_t)mem + align - 1) & ~(uintptr_t)(align - 1));
    c->mask = nsets - 1;
    c->evicted = 0;
    c->used = 0;
#ifdef MADV_HUGEPAGE
    /* a probe is a random access over megabytes: with 4 KiB pages most also miss the TLB */
    if (align == KC_HUGE)
        (void)madvise(c->set, bytes, MADV_HUGEPAGE);
#endif
    return true;
}

static struct adal__key_cache *kc_new(void)
{
    struct adal__key_cache *c = adal__calloc(1, sizeof *c);
    if (c && !kc_alloc(c, KC_SETS_MIN)) {
        adal__free(c);
        return NULL;
    }
    return c;
}

/* The word's hash (0: not cacheable: empty, too long, or a letter outside U+0400–U+04FF).
 * The stemmer is not in it, so a set can be prefetched before the word's stemmer is known.
 * Built a letter at a time (KC_STEP from KC_SEED, then kc_final with the length), so pass 1
 * makes it as it adds each letter to its token. */
#define KC_SEED UINT64_C(0x9E3779B97F4A7C15)
#define KC_STEP(h, c) (((h) ^ (c)) * UINT64_C(0x100000001B3))

static inline uint64_t kc_final(uint64_t h, size_t n)
{
    if (n == 0 || n >= KC_BYTES)
        return 0;
    h ^= (uint64_t)n * UINT64_C(0xD6E8FEB86659FD93);
    h ^= h >> 29;
    h *= UINT64_C(0xBF58476D1CE4E5B9);
    h ^= h >> 32;
    return h | 1;
}

static uint64_t kc_hash(const uint32_t *w, size_t n)
{
    if (n == 0 || n >= KC_BYTES)
        return 0;
    uint64_t h = KC_SEED;
    for (size_t i = 0; i < n; i++) {
        if ((w[i] >> 8) != 4)
            return 0;
        h = KC_STEP(h, w[i]);
    }
    return kc_final(h, n);
}

/* The set of hash h. Not h & mask: kc_final sets bit 0 of every hash (0 means "not
 * cacheable"), so that index used only the odd half of the sets. */
static inline kc_set *kc_set_of(const struct adal__key_cache *c, uint64_t h)
{
    return &c->set[(h >> 1) & c->mask];
}

static inline void kc_prefetch(const struct adal__key_cache *c, uint64_t h)
{
    if (!c || !h)
        return;
    const char *s = (const char *)kc_set_of(c, h);
    for (size_t off = 0; off < sizeof(kc_set); off += 64) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
        /* GCC 12 at -O2 dropped __builtin_prefetch here once inlined into pass2 (norm.o
         * had no prefetch instruction at all), which left every probe a cache miss */
        __asm__ volatile("prefetcht0 %0" : : "m"(s[off]));
#elif defined(__GNUC__) || defined(__clang__)
        __builtin_prefetch(s + off);
#else
        (void)s;
#endif
    }
}

/* The slot of (branch, w[0..n)), moved to way 0, or NULL. */
static const kc_slot *kc_find(struct adal__key_cache *c, uint64_t h, int branch, const uint32_t *w,
                              size_t n)
{
    kc_set *set = kc_set_of(c, h);
    uint32_t tag = (uint32_t)(h >> 32 | 1);
    for (int k = 0; k < KC_WAYS; k++) {
        const kc_slot *s = &set->way[k];
        if (s->tag != tag || s->branch != branch || s->nin != n)
            continue;
        size_t i = 0;
        while (i < n && s->b[i] == (uint8_t)w[i])
            i++;
        if (i < n)
            continue;
        if (k > 0) { /* least recently used last: a word met once (half the distinct words)
                      * then evicts another such word, not a frequent one */
            kc_slot t = set->way[k];
            memmove(&set->way[1], &set->way[0], (size_t)k * sizeof(kc_slot));
            set->way[0] = t;
        }
        return &set->way[0];
    }
    return NULL;
}

/* Put slot s (its hash h) in way 0 of its set; counts an eviction. */
static void kc_insert(struct adal__key_cache *c, uint64_t h, const kc_slot *s)
{
    kc_set *set = kc_set_of(c, h);
    if (set->way[KC_WAYS - 1].tag)
        c->evicted++;
    else
        c->used++;
    memmove(&set->way[1], &set->way[0], (KC_WAYS - 1) * sizeof(kc_slot));
    set->way[0] = *s;
}

/* Twice the sets, the old entries moved over (hash again from their letters); on no
 * memory the table stays as it is. */
static void kc_grow(struct adal__key_cache *c)
{
    struct adal__key_cache old = *c;
    if (!kc_alloc(c, (old.mask + 1) * 2)) {
        *c = old;
        c->evicted = 0;
        return;
    }
    for (size_t i = 0; i <= old.mask; i++)
        for (int k = KC_WAYS; k-- > 0;) { /* least recent first: way 0 stays way 0 */
            const kc_slot *s = &old.set[i].way[k];
            if (!s->tag)
                continue;
            uint32_t w[KC_BYTES];
            for (size_t q = 0; q < s->nin; q++)
                w[q] = 0x400u | s->b[q];
            kc_insert(c, kc_hash(w, s->nin), s);
        }
    c->evicted = 0;
    adal__free(old.mem);
}

size_t adal__norm_cache_sets(const adal_ctx *ctx)
{
    return ctx && ctx->norm && ctx->norm->keys ? ctx->norm->keys->mask + 1 : 0;
}

/* Cache w[0..n) → key[0..kn) (code points) when both fit. */
static void kc_put(struct adal__norm *nm, uint64_t h, int branch, const uint32_t *w, size_t n,
                   const uint32_t *key, size_t kn, uint64_t hash)
{
    if (n + kn > KC_BYTES)
        return;
    for (size_t i = 0; i < kn; i++)
        if ((key[i] >> 8) != 4)
            return;
    if (!nm->keys && !(nm->keys = kc_new()))
        return; /* no cache: slower, same keys */
    struct adal__key_cache *c = nm->keys;
    size_t slots = (c->mask + 1) * KC_WAYS;
    if (c->mask + 1 < KC_SETS_MAX && (c->evicted > slots / 8 || c->used > slots / 8 * 3))
        kc_grow(c);
    kc_slot s;
    memset(&s, 0, sizeof s);
    s.tag = (uint32_t)(h >> 32 | 1);
    s.branch = (uint8_t)branch;
    s.nin = (uint8_t)n;
    s.nout = (uint8_t)kn;
    s.hash = hash;
    for (size_t i = 0; i < n; i++)
        s.b[i] = (uint8_t)w[i];
    for (size_t i = 0; i < kn; i++)
        s.b[n + i] = (uint8_t)key[i];
    kc_insert(c, h, &s);
}

/* ---- one normalisation run -------------------------------------------------------------- */

/* A token of the current paragraph before its key is made. */
typedef struct ptok {
    uint32_t raw, nraw; /* its code points in run.raw (RAW_UPPER-tagged) */
    uint16_t lat, cyr, grk, dig;
    uint16_t foreign; /* look-alikes folded (for the finding's count) */
    uint16_t kk, ru;  /* Kazakh-only and Russian-only letters (pass 1, then after folding) */
    bool only_i;      /* the only foreign letters were Latin i/ı (Kazakh habit) */
    bool kbad;        /* a letter outside U+0400–U+04FF: not in the word cache */
    bool fwbad;       /* a letter outside а..я after the base fold: no function word */
    bool sent;        /* sentence-ending punctuation (. ! ? …) in the gap before it */
    uint64_t kacc;    /* the word-cache hash of its letters so far (KC_STEP) */
    uint64_t fwv;     /* its letters' 5-bit function-word codes, the last in the low bits */
    uint64_t kh;      /* pass 2: kc_hash of its letters after the look-alike fold, 0 none */
} ptok;


/* What pass 1 keeps of a letter besides the letter: the word-cache hash and the packed
 * function-word codes (so pass 2 walks the letters again only of words it folded). */
static inline void tok_sums_add(ptok *p, uint32_t c)
{
    p->kacc = KC_STEP(p->kacc, c);
    p->kbad |= (c >> 8) != 4;
    uint32_t f = c - 0x430;
    unsigned code = f < sizeof fw_code ? fw_code[f] : 0xFF;
    p->fwv = (p->fwv << 5) | (code & 31);
    p->fwbad |= code == 0xFF;
}

enum { LANG_RU = 1, LANG_KK = 2 };

/* A sentence of the current paragraph: its first token and what sentence_lang counts of
 * its tokens. */
struct sent {
    size_t first;
    uint32_t cyr, kk, ru;
    int vru, vkk;
};

typedef struct run {
    adal_ctx *ctx;
    adal_doc *doc;
    struct adal__norm *n;
    uint32_t *raw;
    size_t nraw, raw_cap;
    ptok *pt;
    size_t npt, pt_cap;
    size_t para_first; /* doc->toks index of the paragraph's first token */
    uint32_t nfind[ADAL_EV__COUNT];
    size_t last_find[ADAL_EV__COUNT];
    int doc_lang;            /* last fallback for paragraphs with too little evidence */
    uint8_t *near_lang;      /* per segment: the language of its nearest decided neighbour */
    int doc_alphabet;        /* Kazakh Latin alphabet by the whole document's diacritics */
    uint32_t doc_diacritics; /* letters of either Kazakh Latin alphabet with a diacritic */
    /* the paragraph's sentences (pass 2) */
    struct sent *sents;
    size_t nsents, sents_cap;
    /* the open token; a sentence end met since the last token opened */
    bool open, pending_invis, pending_sent;
    /* invisible / odd-space runs */
    uint32_t inv_start, inv_end, inv_n;
    uint32_t sp_start, sp_end, sp_n;
} run;

/* The same sums again over a token's letters as they are now (after a fold). */
static void tok_sums(const run *r, ptok *p)
{
    p->kacc = KC_SEED;
    p->kbad = p->fwbad = false;
    p->fwv = 0;
    for (uint32_t q = 0; q < p->nraw; q++)
        tok_sums_add(p, RAW_CP(r->raw[p->raw + q]));
}

static int add_finding(run *r, adal_evasion kind, uint32_t start, uint32_t end, uint32_t count,
                       const adal_segment *seg)
{
    adal_doc *d = r->doc;
    if (r->nfind[kind] >= ADAL_NORM_MAX_FINDINGS) {
        /* capped: keep the characters counted on the last finding of the kind */
        d->finds[r->last_find[kind]].count += count;
        return ADAL_OK;
    }
    adal_finding f = {kind, start, end - start, seg->part, seg->para, count, NULL};
    size_t b0 = d->off8[start], b1 = d->off8[end];
    if (adal__doc_add_finding(d, &f, d->text + b0, b1 - b0))
        return adal__err(r->ctx, ADAL_ENOMEM, "out of memory");
    r->last_find[kind] = d->nfinds - 1;
    r->nfind[kind]++;
    return ADAL_OK;
}

static int flush_inv(run *r, const adal_segment *seg)
{
    int rc = ADAL_OK;
    if (r->inv_n)
        rc = add_finding(r, ADAL_EV_INVISIBLE, r->inv_start, r->inv_end, r->inv_n, seg);
    r->inv_n = 0;
    return rc;
}

static int flush_sp(run *r, const adal_segment *seg)
{
    int rc = ADAL_OK;
    if (r->sp_n)
        rc = add_finding(r, ADAL_EV_ODD_SPACE, r->sp_start, r->sp_end, r->sp_n, seg);
    r->sp_n = 0;
    return rc;
}

static int tok_open(run *r, uint32_t start, uint32_t seg)
{
    adal_doc *d = r->doc;
    if (d->ntoks >= ADAL_NORM_MAX_TOKENS)
        return adal__err(r->ctx, ADAL_ELIMIT, "more than %u words in the document",
                         ADAL_NORM_MAX_TOKENS);
    if ((d->ntoks >= d->toks_cap &&
         adal__grow((void **)&d->toks, &d->toks_cap, d->ntoks + 1, sizeof *d->toks)) ||
        (r->npt >= r->pt_cap && adal__grow((void **)&r->pt, &r->pt_cap, r->npt + 1, sizeof *r->pt)))
        return adal__err(r->ctx, ADAL_ENOMEM, "out of memory");
    adal_token *t = &d->toks[d->ntoks++];
    memset(t, 0, sizeof *t);
    t->start = t->end = start;
    t->seg = seg;
    ptok *p = &r->pt[r->npt++];
    memset(p, 0, sizeof *p);
    p->raw = (uint32_t)r->nraw;
    p->kacc = KC_SEED;
    p->sent = r->pending_sent;
    r->open = true;
    r->pending_invis = false;
    r->pending_sent = false;
    return ADAL_OK;
}

static inline int tok_add(run *r, uint32_t cp, unsigned cls)
{
    ptok *p = &r->pt[r->npt - 1];
    if (p->nraw >= ADAL_NORM_MAX_CP)
        return ADAL_OK; /* very long "word": one token, key truncated */
    if (r->nraw >= r->raw_cap &&
        adal__grow((void **)&r->raw, &r->raw_cap, r->nraw + 1, sizeof *r->raw))
        return adal__err(r->ctx, ADAL_ENOMEM, "out of memory");
    r->raw[r->nraw++] = cp;
    p->nraw++;
    tok_sums_add(p, RAW_CP(cp));
    if (cls & NT_CYR) {
        p->cyr++;
        p->kk += !!(cls & NT_KK);
        p->ru += !!(cls & NT_RU);
    } else if (cls & NT_LAT)
        p->lat++;
    else if (cls & NT_GRK)
        p->grk++;
    else if (cls & NT_DIGIT)
        p->dig++;
    return ADAL_OK;
}

/* Pass 1 over one paragraph: normalise, tokenise, count invisible code points and odd
 * spaces. Tokens go to doc->toks (spans only) and r->pt (raw code points). */
static int pass1(run *r, const adal_segment *seg, uint32_t segno)
{
    const uint16_t *s = r->doc->text16;
    uint32_t i = seg->start, e = seg->start + seg->len;
    const struct adal__norm *n = r->n;
    UChar nb[ADAL_NORM_SEGCAP * 18 + 16]; /* NFKC expands at most 18× (U+FDFA) */
    int rc = ADAL_OK;
    r->open = false;
    r->pending_sent = false;
    while (i < e) {
        /* fast path (design-notes §4.6): a lone code point below U+0500 whose NFKC_CF is
         * one unit, followed by a boundary, not invisible, not a space look-alike — nearly
         * every character of Kazakh and Russian text */
        uint32_t c0 = s[i];
        uint32_t pl = c0 < ADAL_NORM_FAST ? n->plain[c0] : 0;
        if ((pl & PL_OK) &&
            (i + 1 == e || (s[i + 1] < ADAL_NORM_FAST && (n->plain[s[i + 1]] & PL_BOUND))) &&
            !r->inv_n && !r->sp_n) {
            if (pl & 0x7FF) { /* NT_PLAIN: a letter or digit */
                if (!r->open && (rc = tok_open(r, i, segno)))
                    return rc;
                adal_token *t = &r->doc->toks[r->doc->ntoks - 1];
                if (r->pending_invis) {
                    t->flags |= ADAL_TOK_IGNORABLE;
                    r->pending_invis = false;
                }
                t->end = i + 1;
                /* this letter and the rest of a run of such letters (most of every word), with
                 * the checks above that cannot change inside it taken once: no invisible or
                 * odd-space run is pending, the token is open; tok_add's, in the loop's
                 * limit (c0 is NT_PLAIN: the loop takes it too, unless the token is full
                 * or run.raw must grow, which tok_add does) */
                ptok *p = &r->pt[r->npt - 1];
                if (p->nraw >= ADAL_NORM_MAX_CP || r->nraw >= r->raw_cap) {
                    if ((rc = tok_add(r, pl & PL_RAW, n->cls[pl & 0x7FF])))
                        return rc;
                    i++;
                    pl = i < e && s[i] < ADAL_NORM_FAST ? n->plain[s[i]] : 0;
                }
                /* the token's sums in locals: r->raw may alias them for the compiler */
                uint32_t *raw = r->raw;
                size_t rn = r->nraw, cap = r->raw_cap;
                uint32_t nr = p->nraw;
                uint64_t kacc = p->kacc, fwv = p->fwv;
                bool kbad = p->kbad, fwbad = p->fwbad;
                unsigned cyr = p->cyr, kk = p->kk, ru = p->ru, lat = p->lat, grk = p->grk,
                         dig = p->dig;
                /* two loads a letter (the next character and its n->plain: out, its class,
                 * its function-word code, whether the next has a boundary before it) and no
                 * branch on the letter's script; the six counts added as bytes of one word
                 * (at most ADAL_NORM_MAX_CP letters a loop: no byte overflows) and the two
                 * "bad" flags as bits of another; one limit for the token's and run.raw's
                 * room */
                uint64_t cnt = 0;
                uint32_t any = 0;
                size_t lim = ADAL_NORM_MAX_CP - nr;
                if (cap - rn < lim)
                    lim = cap - rn;
                for (size_t taken = 0; (pl & 0x7FF) && taken < lim; taken++) {
                    uint32_t nx = i + 1 < e ? s[i + 1] : 0xFFFF;
                    uint32_t nv = nx < ADAL_NORM_FAST ? n->plain[nx] : i + 1 < e ? 0 : PL_BOUND;
                    if (!(nv & PL_BOUND))
                        break;
                    uint32_t lo = pl & 0x7FF;
                    raw[rn++] = pl & PL_RAW;
                    nr++;
                    /* tok_sums_add */
                    kacc = KC_STEP(kacc, lo);
                    fwv = (fwv << 5) | ((pl >> PL_FW_SHIFT) & 31);
                    any |= pl;
                    cnt += PL_SPREAD((pl >> PL_CNT_SHIFT) & 63);
                    i++;
                    pl = nv;
                }
                kbad |= (any & PL_KBAD) != 0;
                fwbad |= (any & PL_FWBAD) != 0;
                cyr += (unsigned)(cnt & 0xFF);
                kk += (unsigned)(cnt >> 8 & 0xFF);
                ru += (unsigned)(cnt >> 16 & 0xFF);
                lat += (unsigned)(cnt >> 24 & 0xFF);
                grk += (unsigned)(cnt >> 32 & 0xFF);
                dig += (unsigned)(cnt >> 40 & 0xFF);
                r->nraw = rn;
                p->nraw = nr;
                p->kacc = kacc;
                p->fwv = fwv;
                p->kbad = kbad;
                p->fwbad = fwbad;
                p->cyr = (uint16_t)cyr;
                p->kk = (uint16_t)kk;
                p->ru = (uint16_t)ru;
                p->lat = (uint16_t)lat;
                p->grk = (uint16_t)grk;
                p->dig = (uint16_t)dig;
                t->end = i;
                continue;
            } else if (pl & PL_MARK) {
                if (r->open)
                    r->doc->toks[r->doc->ntoks - 1].end = i + 1;
            } else {
                r->open = false;
                r->pending_sent |= c0 == '.' || c0 == '!' || c0 == '?';
            }
            i++;
            continue;
        }
        uint32_t j = i;
        UChar32 c;
        U16_NEXT(s, j, e, c);
        unsigned cl = adal__norm_class(n, (uint32_t)c);
        /* extend to the next normalisation boundary (capped: a thousand stacked marks
         * must not make one huge segment) */
        uint32_t k = j;
        while (k < e && k - i < ADAL_NORM_SEGCAP) {
            uint32_t k2 = k;
            UChar32 c2;
            U16_NEXT(s, k2, e, c2);
            if (adal__norm_class(n, (uint32_t)c2) & NT_BOUND)
                break;
            k = k2;
        }
        /* the student's characters: invisible code points and odd spaces */
        for (uint32_t q = i; q < k;) {
            uint32_t q0 = q;
            UChar32 oc;
            U16_NEXT(s, q, k, oc);
            unsigned ocl = q0 == i ? cl : adal__norm_class(n, (uint32_t)oc);
            if (oc == '.' || oc == '!' || oc == '?' || oc == 0x2026)
                r->pending_sent = true;
            if (ocl & NT_INVIS) {
                if (!r->inv_n)
                    r->inv_start = q0;
                r->inv_end = q;
                r->inv_n++;
                if (r->open)
                    r->pending_invis = true;
            } else if ((rc = flush_inv(r, seg)))
                return rc;
            if (ocl & NT_ODDSP) {
                if (!r->sp_n)
                    r->sp_start = q0;
                r->sp_end = q;
                r->sp_n++;
                r->open = false; /* a blank, even where NFKC deletes it (U+3164) */
            } else if ((rc = flush_sp(r, seg)))
                return rc;
        }
        /* the normalised output */
        const UChar *o;
        int32_t olen;
        UChar one;
        bool single = k == j;
        if (single && (cl & NT_SIMPLE)) { /* below U+0500, or a BMP one met before */
            one = c < ADAL_NORM_FAST ? n->out[c] : n->out_bmp[c];
            o = &one;
            olen = one ? 1 : 0;
        } else {
            UErrorCode st = U_ZERO_ERROR;
            olen = unorm2_normalize(n->nfkc_cf, s + i, (int32_t)(k - i), nb,
                                    (int32_t)(sizeof nb / sizeof *nb), &st);
            if (st == U_BUFFER_OVERFLOW_ERROR) {
                olen = 0; /* cannot happen (≤ 18× expansion); never fail a document on it */
            } else if (U_FAILURE(st))
                return adal__err(r->ctx, ADAL_EICU, "normalisation failed: %s", u_errorName(st));
            o = nb;
        }
        for (int32_t p = 0; p < olen;) {
            UChar32 oc;
            U16_NEXT(o, p, olen, oc);
            unsigned ocl = adal__norm_class(n, (uint32_t)oc);
            if (ocl & NT_ALNUM) {
                if (!r->open && (rc = tok_open(r, i, segno)))
                    return rc;
                adal_token *t = &r->doc->toks[r->doc->ntoks - 1];
                if (r->pending_invis) {
                    t->flags |= ADAL_TOK_IGNORABLE;
                    r->pending_invis = false;
                }
                t->end = k;
                uint32_t v = (uint32_t)oc;
                if (single && olen == 1 && (uint32_t)c != v && (ocl & (NT_LAT | NT_GRK)))
                    v |= RAW_UPPER; /* case folding changed it: a capital */
                if ((rc = tok_add(r, v, ocl)))
                    return rc;
            } else if (ocl & NT_MARK) {
                if (r->open)
                    r->doc->toks[r->doc->ntoks - 1].end = k; /* dropped, token stays open */
            } else {
                r->open = false;
            }
        }
        i = k;
    }
    r->open = false;
    if ((rc = flush_inv(r, seg)) || (rc = flush_sp(r, seg)))
        return rc;
    return ADAL_OK;
}

static bool lookalike_only(const uint32_t *raw, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (!adal__fold_homoglyph(RAW_CP(raw[i]), raw[i] & RAW_UPPER, false))
            return false;
    return n > 0;
}

/* Roman numerals (XIX ғасыр, XX век) are Latin on purpose, never look-alikes. */
static bool roman_only(const uint32_t *raw, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t c = RAW_CP(raw[i]);
        if (c == 0 || c >= 0x80 || !strchr("ivxlcdm", (int)c))
            return false;
    }
    return true;
}

/* Fold look-alikes of one token to Cyrillic; returns how many were folded. */
static uint16_t fold_token(run *r, ptok *p, bool digits)
{
    uint16_t k = 0;
    p->only_i = true;
    for (uint32_t i = 0; i < p->nraw; i++) {
        uint32_t cp = RAW_CP(r->raw[p->raw + i]);
        uint32_t f = adal__fold_homoglyph(cp, r->raw[p->raw + i] & RAW_UPPER, digits);
        if (f) {
            r->raw[p->raw + i] = f;
            k++;
            if (cp != 'i' && cp != 0x0131)
                p->only_i = false;
        }
    }
    return k;
}

/* Language from letter counts (design-notes §4.7). Kazakh-only letters (ә ғ қ ң ө ұ ү һ і)
 * mark Kazakh; letters native Kazakh words lack (в ь ъ э щ ц ч ф ё) mark Russian: measured
 * 9.1 % of letters in Chekhov, 0.1 % in Abai, 0.6 % in KazNERD news (loan words). A
 * Russian paragraph naming Қазақстан still has more Russian marks than Kazakh ones; a
 * long paragraph with neither is Kazakh typed on a Russian keyboard. Too little evidence:
 * the document's language. */
static int decide_lang(uint32_t letters, uint32_t kk, uint32_t ru, int fallback)
{
    if (letters == 0)
        return fallback;
    if (ru >= 2 && (uint64_t)ru * 100 >= (uint64_t)letters * 3 && ru > kk)
        return LANG_RU;
    if ((uint64_t)kk * 100 >= letters)
        return LANG_KK;
    if (letters >= 80 && (uint64_t)ru * 200 < (uint64_t)letters * 3)
        return LANG_KK;
    return fallback;
}

static void put_key_bytes(run *r, adal_token *t, const char *u8, size_t k, uint64_t hash, int *rc)
{
    t->key = (uint32_t)r->doc->keys.len;
    t->keylen = (uint16_t)k;
    t->hash = hash;
    if (adal__buf_add(&r->doc->keys, u8, k))
        *rc = adal__err(r->ctx, ADAL_ENOMEM, "out of memory");
}

/* Four letters of a slot (code point - U+0400, the first in the low byte) to their UTF-8,
 * two bytes each, the first letter's in the low bytes: each byte b spread to a 16-bit
 * lane, then 0xD0 | b >> 6 in its low byte and 0x80 | (b & 0x3F) in its high one. */
static inline uint64_t kc_utf8_4(uint32_t x)
{
    uint64_t y = (uint64_t)(x & 0xFF) | (uint64_t)(x & 0xFF00) << 8 |
                 (uint64_t)(x & 0xFF0000) << 16 | (uint64_t)(x & 0xFF000000) << 24;
    return ((y >> 6) & UINT64_C(0x0003000300030003)) | ((y & UINT64_C(0x003F003F003F003F)) << 8) |
           UINT64_C(0x80D080D080D080D0);
}

/* The key of a word: stem (branch 1 Russian, 2 Kazakh, 0 none) and fold w in place, then
 * its UTF-8 and hash; through the word cache (h: kc_hash(w, wn) if known, else 0). */
static void make_key(run *r, adal_token *t, int branch, const uint32_t *win, size_t wn, uint64_t h,
                     int *rc)
{
    if (!branch)
        h = 0;
    else if (!h)
        h = kc_hash(win, wn);
    char u8[4 * ADAL_NORM_MAX_CP];
    size_t k = 0;
    if (h && r->n->keys) {
        const kc_slot *s = kc_find(r->n->keys, h, branch, win, wn);
        if (s) {
            /* U+0400–U+04FF: two UTF-8 bytes, 0xD0–0xD3 then the low six bits; written
             * straight into the key buffer when it has room (put_key_bytes otherwise),
             * four letters a step (kc_utf8_4), so with 7 bytes to spare past the key */
            adal__buf *kb = &r->doc->keys;
            size_t need = 2 * (size_t)s->nout;
            bool room = kb->data && kb->len + need + 8 <= kb->cap && need <= kb->max &&
                        kb->len <= kb->max - need; /* as adal__buf_add checks */
            char *o = room ? kb->data + kb->len : u8;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            uint8_t lb[KC_BYTES + 4]; /* the slot's letters, and room to read 4 past them */
            memcpy(lb, s->b, KC_BYTES);
            memset(lb + KC_BYTES, 0, 4);
            for (size_t i = 0; i < s->nout; i += 4) {
                uint32_t x;
                memcpy(&x, lb + s->nin + i, 4);
                uint64_t v = kc_utf8_4(x);
                memcpy(o + 2 * i, &v, 8);
            }
            k = need;
#else
            for (size_t i = 0; i < s->nout; i++) {
                uint32_t c = 0x400u | s->b[s->nin + i];
                o[k++] = (char)(0xC0 | (c >> 6));
                o[k++] = (char)(0x80 | (c & 0x3F));
            }
#endif
            uint64_t hash = s->hash;
            if (!room) {
                put_key_bytes(r, t, u8, k, hash, rc);
                return;
            }
            t->key = (uint32_t)kb->len;
            t->keylen = (uint16_t)k;
            t->hash = hash;
            kb->len += k;
            kb->data[kb->len] = '\0';
            return;
        }
    }
    uint32_t w[ADAL_NORM_MAX_CP];
    size_t inn = wn;
    memcpy(w, win, wn * sizeof *w);
    if (branch == 1) {
        if ((*rc = adal__stem_ru(r->ctx, w, &wn, ADAL_NORM_MAX_CP)))
            return;
        for (size_t q = 0; q < wn; q++)
            w[q] = adal__fold_base(w[q]);
    } else if (branch == 2) {
        for (size_t q = 0; q < wn; q++)
            w[q] = adal__fold_base(w[q]);
        adal__stem_kk(w, &wn);
    }
    for (size_t i = 0; i < wn; i++)
        k += adal__utf8_put(u8 + k, w[i]);
    uint64_t hash = XXH3_64bits_withSeed(u8, k, NORM_SEED);
    if (h)
        kc_put(r->n, h, branch, win, inn, w, wn, hash);
    put_key_bytes(r, t, u8, k, hash, rc);
}

/* Function words, after the Kazakh → Russian base fold (so Kazakh typed on a Russian
 * keyboard votes too), sorted by bytes for bsearch. Measured on 20,000 KazNERD/Abai
 * sentences folded that way and 15,565 Chekhov sentences: a vote of ≥ 2 words and more
 * than twice the other side calls 0.3 % of Kazakh sentences Russian and 0.02 % of Russian
 * ones Kazakh, and decides 72 % of Russian and 17 % of Kazakh sentences; the rest fall back. */
static const char *const ru_words[] = {
    "а", "бы", "был", "была", "было", "в", "вот", "все", "вы", "для", "его", "ее", "если",
    "еще", "же", "за", "и", "из", "или", "их", "к", "как", "когда", "ли", "мы", "на", "над",
    "не", "нет", "но", "о", "об", "он", "она", "они", "от", "по", "под", "при", "с", "так",
    "то", "тоже", "только", "у", "уже", "что", "чтобы", "эта", "это", "этот", "я",
};
static const char *const kk_words[] = {
    "ал", "арасында", "ба", "бар", "бе", "бен", "бир", "болды", "болып", "бул", "гана", "де",
    "дейин", "деп", "еди", "екен", "жане", "жок", "кана", "кейин", "керек", "ма", "ме", "мен",
    "ол", "осы", "па", "пе", "пен", "себеби", "сиякты", "сол", "сонда", "та", "те", "тура",
    "туралы", "ушин",
};

/* The function words packed for a fast look-up: every letter of both lists, after the base
 * fold, is in а..я (U+0430–U+044F), so a word of ≤ 9 letters packs into 5 bits a letter
 * with its length; a token with any other letter is no function word. */
#define FW_MAX 9
#define FW_NONE UINT64_MAX

static uint64_t fw_pack(const uint32_t *cps, size_t n)
{
    uint64_t v = n;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cps[i];
        if (c < 0x0430 || c > 0x044F)
            return FW_NONE;
        v = (v << 5) | (c - 0x0430);
    }
    return v;
}

/* Both lists in one open-addressing table (load under 10 %, so a word that is none, nearly
 * every token, is told in one probe): the packed word, and +1 / -1. */
#define FW_SLOTS 1024
static struct {
    uint64_t v; /* FW_NONE: empty */
    int vote;
} fw_tab[FW_SLOTS];
static pthread_once_t fw_once = PTHREAD_ONCE_INIT;

static size_t fw_slot(uint64_t v)
{
    return (size_t)((v * 0x9E3779B97F4A7C15u) >> 54) & (FW_SLOTS - 1);
}

static void fw_build(const char *const *words, size_t n, int vote)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t cps[FW_MAX + 1] = {0};
        size_t len = strlen(words[i]), j = 0, k = 0;
        while (j < len && k <= FW_MAX)
            cps[k++] = adal__utf8_next(words[i], len, &j);
        uint64_t v = k <= FW_MAX ? fw_pack(cps, k) : FW_NONE;
        if (v == FW_NONE)
            continue;
        size_t at = fw_slot(v);
        while (fw_tab[at].v != FW_NONE && fw_tab[at].v != v)
            at = (at + 1) & (FW_SLOTS - 1);
        if (fw_tab[at].v == FW_NONE) { /* a word on both lists keeps its first (Russian) vote */
            fw_tab[at].v = v;
            fw_tab[at].vote = vote;
        }
    }
}

static void fw_init(void)
{
    for (size_t i = 0; i < FW_SLOTS; i++)
        fw_tab[i].v = FW_NONE;
    for (uint32_t c = 0x430; c < 0x4F0; c++) {
        uint32_t f = adal__fold_base(c);
        fw_code[c - 0x430] = f >= 0x430 && f <= 0x44F ? (uint8_t)(f - 0x430) : 0xFF;
    }
    fw_build(ru_words, sizeof ru_words / sizeof *ru_words, 1);
    fw_build(kk_words, sizeof kk_words / sizeof *kk_words, -1);
}

static void fw_ready(void)
{
    pthread_once(&fw_once, fw_init);
}

/* +1 for a Russian function word, -1 for a Kazakh one, 0 otherwise. The base fold and the
 * packing were done letter by letter (tok_sums_add: fw_code[c - 0x430] is the 5-bit code of
 * the folded letter, or 0xFF when it is outside а..я: no function word); the length goes
 * in front as fw_pack puts it. */
static int function_word(const run *r, const ptok *p)
{
    (void)r;
    if (p->nraw == 0 || p->nraw > FW_MAX || p->lat || p->dig || p->fwbad)
        return 0;
    uint64_t v = ((uint64_t)p->nraw << (5 * p->nraw)) | p->fwv;
    for (size_t at = fw_slot(v); fw_tab[at].v != FW_NONE; at = (at + 1) & (FW_SLOTS - 1))
        if (fw_tab[at].v == v)
            return fw_tab[at].vote;
    return 0;
}

/* A sentence's language: its function words, then its letters when they are clearly
 * Russian (≥ 3 Russian-only letters and ≥ 6 %: a Kazakh sentence typed on a Russian
 * keyboard with a loan word or a name like «Вольф» has 3 %, Russian prose 9 %) or carry
 * Kazakh-only letters, else the paragraph's. A weaker rule flipped Kazakh sentences with a
 * loan word to the Russian stemmer (tools/eval kazakh set, kk_070_rukbd: 2.0 points off). */
static void sentence_add(const run *r, struct sent *st, const ptok *p)
{
    st->cyr += p->cyr;
    st->kk += p->kk;
    st->ru += p->ru;
    int v = function_word(r, p);
    st->vru += v > 0;
    st->vkk += v < 0;
}

static int sentence_lang(const struct sent *st, int para_lang)
{
    uint32_t cyr = st->cyr, kk = st->kk, ru = st->ru;
    int vru = st->vru, vkk = st->vkk;
    if (vru >= 2 && vru > 2 * vkk)
        return LANG_RU;
    if (vkk >= 2 && vkk > 2 * vru)
        return LANG_KK;
    if (ru >= 3 && (uint64_t)ru * 100 >= (uint64_t)cyr * 6 && ru > kk)
        return LANG_RU;
    if (kk > 0 && (uint64_t)kk * 100 >= cyr && kk >= ru)
        return LANG_KK;
    return para_lang;
}

/* Pass 2 over one paragraph: decisions, then a key per token. */
static int pass2(run *r, const adal_segment *seg, size_t segno)
{
    adal_doc *d = r->doc;
    adal_token *toks = d->toks + r->para_first;
    size_t nt = r->npt;
    int rc = ADAL_OK;
    r->nsents = 0;
    uint32_t mixed = 0, cyr = 0, lat = 0, kk = 0, ru = 0, evid = 0, eng = 0, m18 = 0, m21 = 0,
             dotless = 0;

    /* one walk over the paragraph's words: look-alikes inside Cyrillic words folded; the
     * paragraph's counts on the folded letters (pass 1's for a word with no Latin letter that
     * was not folded, recounted for the others); each word's cache hash, the first
     * KC_AHEAD words' slots prefetched (a slot is a memory access the cache cannot
     * otherwise hide; the others are prefetched KC_AHEAD words ahead of their use below) */
    for (size_t i = 0; i < nt; i++) {
        ptok *p = &r->pt[i];
        if (p->cyr && (p->lat || p->grk || p->dig)) {
            /* digits 0/3/6 are letters in disguise only in otherwise-letter words, one at a
             * time, in a word of ≥ 3 letters ("пр0цесс", not "2023жылы", "30жыл" or "3Д", which
             * KazNERD news write for 3D) */
            bool digits = p->dig > 0 && p->cyr >= 3 && p->dig * 2 <= p->cyr;
            for (uint32_t q = 0; q < p->nraw && digits; q++) {
                uint32_t c = RAW_CP(r->raw[p->raw + q]);
                if (c >= '0' && c <= '9') {
                    if ((c != '0' && c != '3' && c != '6') ||
                        (q + 1 < p->nraw && RAW_CP(r->raw[p->raw + q + 1]) >= '0' &&
                         RAW_CP(r->raw[p->raw + q + 1]) <= '9'))
                        digits = false;
                }
            }
            if (p->lat || p->grk || digits) {
                p->foreign = fold_token(r, p, digits);
                tok_sums(r, p); /* its letters changed */
                toks[i].flags |= ADAL_TOK_MIXED;
                if (!p->only_i)
                    mixed++;
            }
        }
        if (!p->lat && !(toks[i].flags & ADAL_TOK_MIXED)) {
            cyr += p->cyr;
            kk += p->kk;
            ru += p->ru;
        } else {
            p->kk = p->ru = 0;
            for (uint32_t q = 0; q < p->nraw; q++) {
                uint32_t c = RAW_CP(r->raw[p->raw + q]);
                unsigned cl = adal__norm_class(r->n, c);
                if (cl & NT_CYR) {
                    cyr++;
                    kk += !!(cl & NT_KK);
                    ru += !!(cl & NT_RU);
                    p->kk += !!(cl & NT_KK);
                    p->ru += !!(cl & NT_RU);
                } else if (cl & NT_LAT) {
                    lat++;
                    uint32_t nx = q + 1 < p->nraw ? RAW_CP(r->raw[p->raw + q + 1]) : 0;
                    if ((c == 'q' && nx != 'u') || c == 0x01F5 || c == 0x011F || c == 0x0131 ||
                        c == 0x015F || c == 0x016B || c == 0x0144 || c == 0x00FD || c == 0x014B)
                        evid++;
                    dotless += c == 0x0131;
                    if ((c == 'c' && nx != 'h') || c == 'w' || c == 'x' || (c == 't' && nx == 'h'))
                        eng++;
                    m18 += c == 0xE1 || c == 0x01F5 || c == 0x0144 || c == 0xF3 || c == 0xFA ||
                           c == 0xFD;
                    m21 += c == 0xE4 || c == 0x011F || c == 0xF1 || c == 0x014B || c == 0xF6 ||
                           c == 0x015F || c == 0x016B || c == 0xFC;
                }
            }
        }
        p->kh = p->kbad ? 0 : kc_final(p->kacc, p->nraw); /* = kc_hash of its letters */
        if (i < KC_AHEAD)
            kc_prefetch(r->n->keys, p->kh);
        /* its sentence's counts, on its letters as they are now (before the look-alike fold
         * of whole Latin words below, which comes after its sentence's language) */
        if (i == 0 || p->sent) {
            if (r->nsents >= r->sents_cap &&
                adal__grow((void **)&r->sents, &r->sents_cap, r->nsents + 1, sizeof *r->sents))
                return adal__err(r->ctx, ADAL_ENOMEM, "out of memory");
            memset(&r->sents[r->nsents], 0, sizeof *r->sents);
            r->sents[r->nsents++].first = i;
        }
        sentence_add(r, &r->sents[r->nsents - 1], p);
    }
    /* Kazakh Latin: a Latin-dominant paragraph with Kazakh evidence (q not before u —
     * English, French, Spanish write qu —, or letters no Western language uses: ǵ ğ ı ş ū ń
     * ý ŋ) on ≥ 3 % of its Latin letters (measured: 8–12 % in 2018/2021 news and the
     * Wikipedia sample; one Arabic loan "qismul" in an Indonesian paragraph is 1 %), at least
     * twice, and more of it than English evidence (c not in 2018's ch, w, x, th: letters and a
     * digraph neither Kazakh alphabet uses). So English words in a Russian or Kazakh paragraph
     * (Cyrillic-dominant) and English paragraphs
     * ("Iraq and Qatar" has 2 q's, but "the", "quick", "brown", "fox" 5 English marks) are
     * never transliterated. And a letter of one of the Kazakh alphabets with a diacritic must
     * occur in the paragraph or the document: "iqra' kitaba" (Arabic transliterated in an
     * Indonesian text) has dense q's but none. Limitation: ASCII-only informal Kazakh Latin
     * is left as it is. */
    bool kklat = lat > cyr && evid >= 2 && evid > eng &&
                 (uint64_t)evid * 100 >= (uint64_t)lat * 3 &&
                 (m18 + m21 + dotless > 0 || r->doc_diacritics > 0);
    int alphabet = m18 > m21 ? ADAL_KKLAT_2018 : m21 > m18 ? ADAL_KKLAT_2021 : r->doc_alphabet;
    int lang = kklat ? LANG_KK : decide_lang(cyr, kk, ru, r->near_lang[segno]);
    /* in a Cyrillic paragraph where look-alikes were already found, whole words typed in
     * look-alikes ("pyka") are disguised too; lone look-alike letters (the prepositions
     * с, о, у, к, the conjunction а) are folded in any Cyrillic paragraph */
    bool cyr_para = cyr > 4 * lat;
    bool counted = adal_part_counted(seg->part);
    size_t si = 0; /* the next sentence */
    int sent_lang = lang;

    for (size_t i = 0; i < nt && rc == ADAL_OK; i++) {
        ptok *p = &r->pt[i];
        adal_token *t = &toks[i];
        uint64_t h = p->kh; /* reset below where the word's letters change */
        if (i + KC_AHEAD < nt)
            kc_prefetch(r->n->keys, r->pt[i + KC_AHEAD].kh);
        if (si < r->nsents && r->sents[si].first == i)
            sent_lang = sentence_lang(&r->sents[si++], lang);
        uint32_t w[ADAL_NORM_MAX_CP];
        size_t wn = p->nraw;
        bool latin_only = p->lat && !p->cyr && !p->grk;
        if (latin_only && cyr_para && !kklat &&
            (p->nraw == 1 || (mixed > 0 && !roman_only(r->raw + p->raw, p->nraw))) &&
            lookalike_only(r->raw + p->raw, p->nraw)) {
            p->foreign = fold_token(r, p, false);
            h = 0;           /* the letters changed */
            if (p->nraw > 1) /* a lone letter (с, а, "Пётр I") folds silently */
                t->flags |= ADAL_TOK_MIXED;
            p->cyr = p->lat;
            latin_only = false;
        }
        /* a cacheable word (h set) has only U+0400–U+04FF letters, unflagged, as pass 1 or
         * the look-alike fold left them: make_key reads them where they are */
        if (!h)
            for (size_t q = 0; q < wn; q++)
                w[q] = RAW_CP(r->raw[p->raw + q]);
        if ((t->flags & ADAL_TOK_MIXED) && !p->only_i)
            rc = add_finding(r, ADAL_EV_HOMOGLYPH, t->start, t->end,
                             p->foreign ? p->foreign : (uint32_t)(p->lat + p->grk), seg);
        if (rc == ADAL_OK && latin_only && kklat) {
            rc = adal__translit_kk(r->ctx, alphabet, w, &wn, ADAL_NORM_MAX_CP);
            h = 0;
            if (rc == ADAL_OK) {
                t->flags |= ADAL_TOK_LATIN_KK;
                p->cyr = (uint16_t)wn;
                rc = add_finding(r, ADAL_EV_KAZAKH_LATIN, t->start, t->end, (uint32_t)wn, seg);
            }
        }
        if (rc)
            break;
        /* The stemmer is chosen by the word's own letters first, then its sentence, then
         * its paragraph: a Russian quotation inside a Kazakh paragraph (the usual way a
         * Russian source is borrowed in a Kazakh essay) must get the stems its source got,
         * or the copy is missed. Measured with bench/check_bench (passages pasted into a
         * paragraph of the other language): per-paragraph choice found 62 % of them. */
        int wlang = p->kk && !p->ru ? LANG_KK : p->ru && !p->kk ? LANG_RU : sent_lang;
        int branch = 0;
        if (p->dig == p->nraw)
            t->flags |= ADAL_TOK_NUMBER;
        else if (p->cyr)
            branch = wlang == LANG_RU ? 1 : 2;
        if (counted)
            t->flags |= ADAL_TOK_COUNTED;
        make_key(r, t, branch, h ? r->raw + p->raw : w, wn, h, &rc);
    }
    return rc;
}

/* Letter evidence of a stretch of text: Cyrillic letters with the Kazakh-only and
 * Russian-only ones among them (on their lower case), and the letters with a diacritic that
 * mark either Kazakh Latin alphabet (both cases, precomposed; paragraphs also see decomposed
 * ones). Counts are on the raw text (look-alikes not folded yet): they only choose
 * fallbacks. */
typedef struct evidence {
    uint32_t cyr, kk, ru, m18, m21, dotted;
} evidence;

/* What count_evidence counts of a code point below U+0500, as bits (nm->ev). */
enum { EV_CYR = 1, EV_KK = 2, EV_RU = 4, EV_M18 = 8, EV_M21 = 16, EV_DOTTED = 32 };

static unsigned evidence_bits(const struct adal__norm *nm, uint32_t c)
{
    if (c < 0xC0 || c >= ADAL_NORM_FAST)
        return 0;
    unsigned cl = nm->cls[c];
    if (cl & NT_CYR) {
        uint32_t lc = nm->out[c]; /* lower case */
        unsigned lcl = nm->cls[lc < ADAL_NORM_FAST ? lc : 0];
        return EV_CYR | (lcl & NT_KK ? EV_KK : 0) | (lcl & NT_RU ? EV_RU : 0);
    }
    switch (c) {
    case 0xE1:
    case 0xC1:
    case 0x1F5:
    case 0x1F4:
    case 0x144:
    case 0x143:
    case 0xF3:
    case 0xD3:
    case 0xFA:
    case 0xDA:
    case 0xFD:
    case 0xDD:
        return EV_M18;
    case 0xE4:
    case 0xC4:
    case 0x11F:
    case 0x11E:
    case 0xF1:
    case 0xD1:
    case 0x14B:
    case 0x14A:
    case 0xF6:
    case 0xD6:
    case 0x15F:
    case 0x15E:
    case 0x16B:
    case 0x16A:
    case 0xFC:
    case 0xDC:
        return EV_M21;
    case 0x131:
    case 0x130:
        return EV_DOTTED;
    default:
        return 0;
    }
}

/* One table lookup a UTF-16 unit and no branch on the letter (this walks the whole text
 * once before pass 1; a switch a character cost 3-4 % of make bench's adal time): the six
 * counts ride in one 64-bit word, ten bits each, emptied every 1,023 units. */
static uint64_t ev_spread(unsigned v)
{
    uint64_t w = 0;
    for (int b = 0; b < 6; b++)
        w |= (uint64_t)((v >> b) & 1) << (10 * b);
    return w;
}

static void count_evidence(const struct adal__norm *nm, const uint16_t *s, size_t from, size_t to,
                           evidence *e)
{
    uint32_t sum[6] = {0};
    for (size_t i = from; i < to;) {
        size_t end = to - i > 1023 ? i + 1023 : to;
        uint64_t acc = 0;
        for (; i < end; i++) {
            uint32_t c = s[i];
            acc += nm->evw[c < ADAL_NORM_FAST ? nm->ev[c] : 0];
        }
        for (int b = 0; b < 6; b++)
            sum[b] += (uint32_t)(acc >> (10 * b)) & 1023;
    }
    e->cyr += sum[0];
    e->kk += sum[1];
    e->ru += sum[2];
    e->m18 += sum[3];
    e->m21 += sum[4];
    e->dotted += sum[5];
}

/* One pass over the text for the document-level evidence (language, Kazakh Latin alphabet
 * and diacritics, for short paragraphs) and each paragraph's language.
 * A paragraph too short to tell its language (a heading, a line of verse, a signature)
 * takes the language of the next paragraph that can tell (a heading belongs to the text
 * after it), else of the previous one, else the document's: so a Russian poem quoted line
 * by line in a Kazakh essay is stemmed as Russian, as in its source. */
static int doc_evidence(run *r)
{
    adal_doc *d = r->doc;
    r->near_lang = adal__malloc(d->nsegs ? d->nsegs : 1);
    if (!r->near_lang)
        return adal__err(r->ctx, ADAL_ENOMEM, "out of memory");
    evidence doc = {0};
    size_t pos = 0;
    for (size_t i = 0; i < d->nsegs; i++) {
        size_t st = d->segs[i].start, en = st + d->segs[i].len;
        if (st > pos) /* text between paragraphs, if any, counts for the document only */
            count_evidence(r->n, d->text16, pos, st, &doc);
        evidence seg = {0};
        count_evidence(r->n, d->text16, st, en, &seg);
        r->near_lang[i] = (uint8_t)decide_lang(seg.cyr, seg.kk, seg.ru, 0);
        doc.cyr += seg.cyr;
        doc.kk += seg.kk;
        doc.ru += seg.ru;
        doc.m18 += seg.m18;
        doc.m21 += seg.m21;
        doc.dotted += seg.dotted;
        if (en > pos)
            pos = en;
    }
    if (d->text16_len > pos)
        count_evidence(r->n, d->text16, pos, d->text16_len, &doc);
    r->doc_lang = decide_lang(doc.cyr, doc.kk, doc.ru, LANG_RU);
    r->doc_alphabet = doc.m18 > doc.m21 ? ADAL_KKLAT_2018 : ADAL_KKLAT_2021;
    r->doc_diacritics = doc.m18 + doc.m21 + doc.dotted;
    uint8_t next = 0;
    for (size_t i = d->nsegs; i-- > 0;) { /* undecided → next decided (marked +4) */
        if (r->near_lang[i] & 3)
            next = r->near_lang[i] & 3;
        else if (next)
            r->near_lang[i] = (uint8_t)(next | 4);
    }
    uint8_t prev = 0;
    for (size_t i = 0; i < d->nsegs; i++) {
        if (r->near_lang[i] & 4)
            r->near_lang[i] &= 3;
        else if (r->near_lang[i])
            prev = r->near_lang[i];
        else
            r->near_lang[i] = prev ? prev : (uint8_t)r->doc_lang;
    }
    return ADAL_OK;
}

static void undo(adal_doc *d, size_t nfinds0)
{
    for (size_t i = nfinds0; i < d->nfinds; i++)
        adal__free((char *)d->finds[i].text);
    d->nfinds = nfinds0;
    d->ntoks = 0;
    d->keys.len = 0;
    if (d->keys.data)
        d->keys.data[0] = '\0';
}

int adal_doc_normalize(adal_doc *doc, adal_ctx *ctx)
{
    if (doc->normalized)
        return ADAL_OK; /* normalising twice is a no-op */
    int rc = norm_init(ctx);
    if (rc)
        return rc;
    fw_ready();
    run r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.doc = doc;
    r.n = ctx->norm;
    size_t nfinds0 = doc->nfinds;
    doc->ntoks = 0;
    doc->keys.len = 0;
    /* the paragraph scratch of the previous document; doc->toks sized once from the text
     * (a token every 6.6 UTF-16 units in make bench's essays) rather than doubled from 0 */
    r.raw = ctx->norm->raw;
    r.raw_cap = ctx->norm->raw_cap;
    r.pt = ctx->norm->pt;
    r.pt_cap = ctx->norm->pt_cap;
    r.sents = ctx->norm->sents;
    r.sents_cap = ctx->norm->sents_cap;
    size_t guess = doc->text16_len / 6 + 16;
    if (doc->toks_cap < guess && guess <= ADAL_NORM_MAX_TOKENS)
        (void)adal__grow((void **)&doc->toks, &doc->toks_cap, guess, sizeof *doc->toks);
    rc = doc_evidence(&r);
    for (size_t sgi = 0; sgi < doc->nsegs && rc == ADAL_OK; sgi++) {
        const adal_segment *seg = &doc->segs[sgi];
        r.npt = 0;
        r.nraw = 0;
        r.para_first = doc->ntoks;
        rc = pass1(&r, seg, (uint32_t)sgi);
        if (rc == ADAL_OK)
            rc = pass2(&r, seg, sgi);
    }
    ctx->norm->raw = r.raw;
    ctx->norm->raw_cap = r.raw_cap;
    ctx->norm->pt = r.pt;
    ctx->norm->pt_cap = r.pt_cap;
    ctx->norm->sents = r.sents;
    ctx->norm->sents_cap = r.sents_cap;
    adal__free(r.near_lang);
    if (rc) {
        undo(doc, nfinds0);
        return rc;
    }
    doc->normalized = true;
    return ADAL_OK;
}
