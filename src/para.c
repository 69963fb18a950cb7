/* para.c — the paraphrase stage: sentence pairs that say the same thing in other words,
 * after Sanchez-Perez, Sidorov & Gelbukh (2014), "A Winning Approach to Text Alignment for
 * Text Reuse Detection at PAN 2014". It runs on a pair the candidate stage already chose
 * (shared fingerprints), beside the exact aligner of match.c:
 * - sentences: tokens split at . ! ? … ; paragraph ends and line breaks before a word not in
 *   lower case (a hard wrap is not a sentence end), long ones cut at SENT_MAX;
 * - terms: content words (stop words of Kazakh, Russian, English and Indonesian and
 *   numbers out),
 *   stemmed: Cyrillic keys are stemmed already (norm_stem.c); Latin words get the Snowball
 *   English or Indonesian stemmer, whichever language's stop words the document uses more;
 * - seeds: sentence pairs with tf·idf cosine ≥ SEED_COS and Dice ≥ SEED_DICE over their
 *   terms, idf over the sentences of the two documents;
 * - extension: seeds clustered by their distance in sentences on both sides (split at gaps
 *   over GAP_START on one side, then the other, until stable); a cluster whose two
 *   fragments (sums of their sentences' tf-idf vectors) have a cosine under VALID_COS is
 *   clustered again with a gap one smaller, down to MAX_GAP (Sanchez-Perez et al.'s
 *   validation); a cluster is one passage from its first to its last sentence on both sides;
 * - filter: a cluster needs MIN_SEEDS seeds whose essay or source sentence is not mostly
 *   (half its tokens) covered by exact passages of the pair (a verbatim copy is also a run
 *   of identical sentences; a rewritten sentence keeping a few words is not explained), and
 *   PARA_MIN_TOK tokens on each side; a cluster with fewer fresh seeds is kept only when it
 *   holds two or more exact passages of the pair on both sides (sentences copied in another
 *   order are one case, shown as one passage around the copies) at most JOIN_GAP tokens
 *   apart in the essay, from its first copy to its last unless its sentences end at most
 *   EDGE_TOK tokens beyond them; of two clusters
 *   overlapping in the essay the stronger stays.
 * Its passages are of kind ADAL_PASSAGE_PARAPHRASE: evidence for a reader, see score.c for
 * how they count.
 */
#include "match.h"

#include <libstemmer.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <xxhash.h>

#define SENT_MAX 60   /* tokens: a longer sentence is cut */
#define SENT_MIN 4    /* content terms: a shorter sentence joins the next */
#define SEED_COS 0.33 /* Sanchez-Perez et al.: 0.33 and 0.33 */
#define SEED_DICE 0.33
#define SEED_SHARED 3 /* content terms two sentences must share at least */
#define MAX_GAP 3     /* sentences between clustered seeds, each side */
#define MIN_SEEDS 2
#define PER_SENT 5      /* seeds kept per essay sentence: its best source sentences */
#define MAX_DF 1024     /* a term in more sentences is not walked (still weighs in the norms) */
#define PARA_MIN_TOK 20 /* tokens on each side (Sanchez-Perez et al.: 150 characters) */
#define EDGE_TOK 8      /* tokens: a joining cluster's edge beyond its exact passages */
#define JOIN_GAP 48     /* tokens between the exact passages it joins (score.c's MERGE_CAP) */

/* ---- stop words (lower case, surface form) --------------------------------------------- */

static const char *const stop_en[] = {
    "a",      "about",   "above",  "after",   "again", "against", "all",   "also",    "am",
    "an",     "and",     "any",    "are",     "as",    "at",      "be",    "because", "been",
    "before", "being",   "below",  "between", "both",  "but",     "by",    "can",     "could",
    "did",    "do",      "does",   "doing",   "down",  "during",  "each",  "few",     "for",
    "from",   "further", "had",    "has",     "have",  "having",  "he",    "her",     "here",
    "hers",   "him",     "his",    "how",     "i",     "if",      "in",    "into",    "is",
    "it",     "its",     "itself", "just",    "may",   "me",      "might", "more",    "most",
    "must",   "my",      "no",     "nor",     "not",   "now",     "of",    "off",     "on",
    "once",   "one",     "only",   "or",      "other", "our",     "out",   "over",    "own",
    "same",   "she",     "should", "so",      "some",  "such",    "than",  "that",    "the",
    "their",  "them",    "then",   "there",   "these", "they",    "this",  "those",   "through",
    "to",     "too",     "under",  "until",   "up",    "very",    "was",   "we",      "were",
    "what",   "when",    "where",  "which",   "while", "who",     "whom",  "why",     "will",
    "with",   "would",   "you",    "your",    NULL};
static const char *const stop_id[] = {
    "yang",    "dan",      "di",      "ke",        "dari",      "ini",      "itu",    "dengan",
    "untuk",   "pada",     "adalah",  "dalam",     "tidak",     "akan",     "juga",   "atau",
    "oleh",    "sebagai",  "karena",  "bahwa",     "dapat",     "telah",    "ada",    "lebih",
    "saat",    "sudah",    "hanya",   "bisa",      "kami",      "kita",     "mereka", "ia",
    "dia",     "saya",     "anda",    "kamu",      "harus",     "masih",    "jika",   "para",
    "seperti", "bagi",     "namun",   "tersebut",  "antara",    "sangat",   "secara", "agar",
    "tentang", "hal",      "sebuah",  "suatu",     "setiap",    "semua",    "lain",   "maka",
    "belum",   "pun",      "lagi",    "setelah",   "sebelum",   "hingga",   "sampai", "ketika",
    "yaitu",   "yakni",    "serta",   "tetapi",    "tapi",      "jadi",     "bila",   "apabila",
    "begitu",  "demikian", "menjadi", "merupakan", "melalui",   "terhadap", "kepada", "daripada",
    "sejak",   "apa",      "siapa",   "mana",      "bagaimana", "mengapa",  "kenapa", "sini",
    "sana",    "situ",     "nya",     "pula",      "sendiri",   "sedang",   "oleh",   "yg",
    "dgn",     "tak",      "se",      "pernah",    NULL};
static const char *const stop_ru[] = {
    "и",       "в",       "во",      "не",      "что",     "он",      "на",       "я",
    "с",       "со",      "как",     "а",       "то",      "все",     "всё",      "она",
    "так",     "его",     "но",      "да",      "ты",      "к",       "ко",       "у",
    "же",      "вы",      "за",      "бы",      "по",      "только",  "ее",       "её",
    "мне",     "было",    "вот",     "от",      "меня",    "еще",     "ещё",      "нет",
    "о",       "об",      "из",      "ему",     "когда",   "даже",    "ли",       "если",
    "уже",     "или",     "ни",      "быть",    "был",     "него",    "до",       "вас",
    "вам",     "ведь",    "там",     "потом",   "себя",    "ей",      "может",    "они",
    "тут",     "где",     "есть",    "для",     "мы",      "тебя",    "их",       "чем",
    "была",    "сам",     "чтоб",    "без",     "чего",    "тоже",    "себе",     "под",
    "будет",   "тогда",   "кто",     "этот",    "того",    "потому",  "этого",    "какой",
    "ним",     "здесь",   "этом",    "тем",     "чтобы",   "нее",     "неё",      "были",
    "всех",    "можно",   "при",     "об",      "после",   "над",     "тот",      "через",
    "эти",     "нас",     "про",     "всего",   "них",     "эту",     "этой",     "перед",
    "том",     "такой",   "им",      "между",   "это",     "также",   "является", "являются",
    "который", "которая", "которое", "которые", "которых", "которым", "которой",  "котором",
    "этих",    "эта",     "свой",    "своей",   "свою",    "своих",   "своего",   "так",
    "же",      "лишь",    NULL};
static const char *const stop_kk[] = {
    "және",   "мен",     "бен",   "пен",    "да",      "де",      "та",     "те",      "ғой",
    "ғана",   "бұл",     "ол",    "осы",    "сол",     "мына",    "анау",   "бар",     "жоқ",
    "емес",   "деп",     "үшін",  "туралы", "арқылы",  "бойынша", "сияқты", "секілді", "дейін",
    "кейін",  "соң",     "бірақ", "алайда", "сонымен", "қатар",   "немесе", "әлде",    "не",
    "әр",     "барлық",  "бәрі",  "кейбір", "біз",     "сіз",     "сен",    "олар",    "оның",
    "оны",    "оған",    "онда",  "одан",   "біздің",  "сіздің",  "менің",  "сенің",   "өз",
    "өзі",    "өзінің",  "қазір", "енді",   "тағы",    "әрі",     "ал",     "ма",      "ме",
    "ба",     "бе",      "па",    "пе",     "тек",     "өте",     "ең",     "аса",     "еді",
    "екен",   "болып",   "болды", "болған", "болады",  "бір",     "осы",    "бұның",   "мұның",
    "сондай", "осындай", "кім",   "неге",   "қалай",   "қандай",  "яғни",   NULL};

/* ---- a small hash set of 64-bit values --------------------------------------------------- */

typedef struct hset {
    uint64_t *v; /* 0 = empty (a real 0 hash is stored as 1) */
    size_t mask;
} hset;

static int hset_init(hset *h, size_t n)
{
    size_t cap = 64;
    while (cap < 2 * n)
        cap *= 2;
    h->v = adal__calloc(cap, sizeof *h->v);
    h->mask = cap - 1;
    return h->v ? ADAL_OK : ADAL_ENOMEM;
}

static size_t hset_slot(const hset *h, uint64_t x)
{
    x = x ? x : 1;
    size_t k = (size_t)(x ^ (x >> 29)) & h->mask;
    while (h->v[k] && h->v[k] != x)
        k = (k + 1) & h->mask;
    return k;
}

static void hset_add(hset *h, uint64_t x)
{
    h->v[hset_slot(h, x)] = x ? x : 1;
}

static bool hset_has(const hset *h, uint64_t x)
{
    return h->v[hset_slot(h, x)] != 0;
}

static uint64_t hstr(const char *s, size_t n, uint64_t seed)
{
    return XXH3_64bits_withSeed(s, n, seed);
}

/* ---- the sentence model of a document --------------------------------------------------- */

typedef struct psent {
    uint32_t t0, t1; /* tokens [t0, t1) */
    uint32_t off, n; /* its terms: terms[off, off + n), sorted by hash, unique */
} psent;

typedef struct pterm {
    uint64_t h;
    uint32_t tf;
    uint32_t sent;
} pterm;

typedef struct pdoc {
    psent *s;
    size_t ns;
    pterm *t;
    size_t nt;
} pdoc;

static void pdoc_free(pdoc *p)
{
    adal__free(p->s);
    adal__free(p->t);
    memset(p, 0, sizeof *p);
}

/* Lower-case UTF-8 of a token's surface text, at most cap - 4 bytes; 0 if longer. */
static size_t surface(const adal_doc *d, const adal_token *t, char *buf, size_t cap)
{
    size_t n = 0;
    for (uint32_t i = t->start; i < t->end && i < d->text16_len; i++) {
        uint32_t c = d->text16[i];
        if (c >= 0xD800 && c < 0xE000)
            return 0;
        c = (uint32_t)u_tolower((UChar32)c);
        if (n + 4 >= cap)
            return 0;
        n += adal__utf8_put(buf + n, c);
    }
    return n;
}

enum { L_EN, L_ID, L_RU, L_KK, L_N };
#define STOP_MAX 10 /* UTF-16 units of the longest stop word ("merupakan", "являются") */
#define STOP_SEED 0x5354u

static int stop_set(hset *h)
{
    static const char *const *const lists[L_N] = {stop_en, stop_id, stop_ru, stop_kk};
    if (hset_init(h, 600))
        return ADAL_ENOMEM;
    for (int l = 0; l < L_N; l++)
        for (size_t i = 0; lists[l][i]; i++) {
            /* the language in the low 2 bits of a second hash tells the lists apart */
            hset_add(h, hstr(lists[l][i], strlen(lists[l][i]), STOP_SEED) & ~(uint64_t)3);
            hset_add(h, (hstr(lists[l][i], strlen(lists[l][i]), STOP_SEED + 1) & ~(uint64_t)3) |
                            (uint64_t)l);
        }
    return ADAL_OK;
}

static bool is_break16(uint16_t c)
{
    return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == ';' || c == 0x3002;
}

/* Whether the text between two tokens of one paragraph ends a sentence: a full stop (. ! ? …
 * ; 。), or a line break before a word that does not start in lower case. A line break before
 * a lower-case word is a hard wrap inside a sentence (text pasted from a PDF, or a corpus
 * wrapped at 100 characters, as PAN's is): cutting there gave sentence pieces that end at
 * different words in the essay and the source, so a rewritten sentence matched neither
 * piece of its original. */
static bool sentence_break(const adal_doc *d, const adal_token *a, const adal_token *b)
{
    bool nl = false;
    for (uint32_t u = a->end; u < b->start && u < d->text16_len; u++) {
        uint16_t c = d->text16[u];
        if (is_break16(c))
            return true;
        nl |= c == '\n' || c == 0x2028;
    }
    if (!nl || b->start >= d->text16_len)
        return nl;
    uint16_t c = d->text16[b->start];
    return !(c >= 0xD800 && c < 0xE000) && !u_islower((UChar32)c);
}

static int term_cmp(const void *a, const void *b)
{
    const pterm *x = a, *y = b;
    if (x->sent != y->sent)
        return x->sent < y->sent ? -1 : 1;
    return (x->h > y->h) - (x->h < y->h);
}

static bool ascii_word(const char *k, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)k[i] >= 0x80)
            return false;
    return n > 0;
}

/* The term of each token into th[] (0 = not a term): stop words and numbers out, Latin words
 * stemmed by Snowball English or Indonesian, whichever language's stop words the document
 * uses more, other words their key's hash (Cyrillic keys are stemmed already). */
static int token_terms(const adal_doc *d, const hset *stop, uint64_t *th)
{
    size_t nt = d->ntoks;
    struct sb_stemmer *stem = NULL;
    unsigned votes[L_N] = {0};
    char buf[96];
    for (size_t i = 0; i < nt; i++) {
        const adal_token *t = &d->toks[i];
        th[i] = 0;
        /* no stop word is longer than STOP_MAX letters: longer tokens skip the look-up */
        size_t n = t->end - t->start <= STOP_MAX ? surface(d, t, buf, sizeof buf) : 0;
        if (n && hset_has(stop, hstr(buf, n, STOP_SEED) & ~(uint64_t)3)) {
            uint64_t h2 = hstr(buf, n, STOP_SEED + 1) & ~(uint64_t)3;
            for (int l = 0; l < L_N; l++)
                if (hset_has(stop, h2 | (uint64_t)l))
                    votes[l]++;
            continue; /* a stop word: th[i] stays 0 */
        }
        if (t->flags & ADAL_TOK_NUMBER)
            continue;        /* numbers are not words: th[i] stays 0 */
        th[i] = t->hash | 1; /* provisional: the key's own hash */
    }
    if (votes[L_EN] + votes[L_ID] > 0)
        stem = sb_stemmer_new(votes[L_ID] > votes[L_EN] ? "indonesian" : "english", "UTF_8");
    for (size_t i = 0; stem && i < nt; i++) {
        if (!th[i])
            continue;
        size_t kl;
        const char *k = adal_doc_token_key(d, i, &kl);
        if (!ascii_word(k, kl))
            continue;
        const sb_symbol *s = sb_stemmer_stem(stem, (const sb_symbol *)k, (int)kl);
        if (!s) {
            sb_stemmer_delete(stem);
            return ADAL_ENOMEM;
        }
        th[i] = hstr((const char *)s, (size_t)sb_stemmer_length(stem), 0x7374656Du) | 1;
    }
    if (stem)
        sb_stemmer_delete(stem);
    return ADAL_OK;
}

/* The sentences of d and their terms, from th (the term of each token, 0 = not a term). */
static int pdoc_build(const adal_doc *d, const uint64_t *th, pdoc *out)
{
    size_t nt = d->ntoks;
    int rc = ADAL_ENOMEM;
    memset(out, 0, sizeof *out);
    if (nt == 0)
        return ADAL_OK;
    /* sentences */
    size_t scap = 0, tcap = 0;
    uint32_t s0 = 0, terms = 0;
    for (size_t i = 0; i < nt; i++) {
        terms += th[i] != 0;
        bool end = i + 1 == nt || i + 1 - s0 >= SENT_MAX;
        if (!end) {
            const adal_token *a = &d->toks[i], *b = &d->toks[i + 1];
            end = a->seg != b->seg || sentence_break(d, a, b);
        }
        if (!end || (terms < SENT_MIN && i + 1 < nt && i + 1 - s0 < SENT_MAX))
            continue;
        if (adal__grow((void **)&out->s, &scap, out->ns + 1, sizeof *out->s))
            goto out;
        psent *ps = &out->s[out->ns];
        ps->t0 = s0;
        ps->t1 = (uint32_t)i + 1;
        ps->off = (uint32_t)out->nt;
        for (uint32_t k = s0; k <= i; k++) {
            if (!th[k])
                continue;
            if (adal__grow((void **)&out->t, &tcap, out->nt + 1, sizeof *out->t))
                goto out;
            out->t[out->nt++] = (pterm){th[k], 1, (uint32_t)out->ns};
        }
        /* sort the sentence's terms and count repeats */
        pterm *tt = out->t + ps->off;
        size_t m = out->nt - ps->off, w = 0;
        qsort(tt, m, sizeof *tt, term_cmp);
        for (size_t k = 0; k < m; k++) {
            if (w && tt[w - 1].h == tt[k].h)
                tt[w - 1].tf++;
            else
                tt[w++] = tt[k];
        }
        out->nt = ps->off + w;
        ps->n = (uint32_t)w;
        out->ns++;
        s0 = (uint32_t)i + 1;
        terms = 0;
    }
    rc = ADAL_OK;
out:
    if (rc)
        pdoc_free(out);
    return rc;
}

/* ---- a document's model, kept on it ----------------------------------------------------- */

struct adal__pmodel {
    uint64_t *th; /* the term of each token (d->ntoks), 0 = not a term */
    pdoc p;       /* its sentences */
};

void adal__para_model_free(struct adal__pmodel *m)
{
    if (!m)
        return;
    adal__free(m->th);
    pdoc_free(&m->p);
    adal__free(m);
}

static struct adal__pmodel *model_make(const hset *stop, const adal_doc *d)
{
    struct adal__pmodel *c = adal__calloc(1, sizeof *c);
    if (!c || !(c->th = adal__malloc((d->ntoks ? d->ntoks : 1) * sizeof *c->th)) ||
        token_terms(d, stop, c->th) || pdoc_build(d, c->th, &c->p)) {
        adal__para_model_free(c);
        return NULL;
    }
    return c;
}

static const struct adal__pmodel *model_kept(const adal_doc *d)
{
    return atomic_load_explicit(&((adal_doc *)d)->para, memory_order_acquire);
}

/* d's kept model, or a new one that *tmp then owns (the caller frees it); NULL: out of
 * memory. */
static const struct adal__pmodel *model(const hset *stop, const adal_doc *d,
                                        struct adal__pmodel **tmp)
{
    const struct adal__pmodel *m = model_kept(d);
    *tmp = NULL;
    return m ? m : (*tmp = model_make(stop, d));
}

/* ---- seeds, clusters -------------------------------------------------------------------- */

typedef struct pseed {
    uint32_t i, j; /* query sentence, source sentence */
    double cos;
    int explained; /* either sentence overlaps an exact span */
} pseed;

static int seed_q_cmp(const void *a, const void *b)
{
    const pseed *x = a, *y = b;
    if (x->i != y->i)
        return x->i < y->i ? -1 : 1;
    return (x->j > y->j) - (x->j < y->j);
}

static int seed_s_cmp(const void *a, const void *b)
{
    const pseed *x = a, *y = b;
    if (x->j != y->j)
        return x->j < y->j ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

typedef struct tslot_t {
    uint64_t h;
    uint32_t df, head; /* df 0 = empty; head: the source's first posting (a term index) */
    double idf;
} tslot_t;

static size_t tslot(const tslot_t *t, size_t mask, uint64_t h)
{
    size_t k = (size_t)(h ^ (h >> 29)) & mask;
    while (t[k].df && t[k].h != h)
        k = (k + 1) & mask;
    return k;
}

typedef struct pclust {
    uint32_t i0, i1, j0, j1; /* sentences, inclusive */
    uint32_t nseeds, fresh;  /* seeds, and those not explained by exact spans */
    double cos;              /* sum of the seeds' cosines */
    pseed *sd;               /* its seeds (nseeds of them), in the caller's array */
} pclust;

typedef struct cl_out {
    pclust *c;
    size_t n, cap;
} cl_out;

/* Split seeds [a, n) at gaps over `gap` sentences on one side, then the other, until
 * stable. */
static int cluster(pseed *sd, size_t n, int side, int stable, cl_out *o, int depth, uint32_t gap)
{
    qsort(sd, n, sizeof *sd, side ? seed_s_cmp : seed_q_cmp);
    size_t parts = 1;
    for (size_t k = 1; k < n; k++) {
        uint32_t g = side ? sd[k].j - sd[k - 1].j : sd[k].i - sd[k - 1].i;
        parts += g > gap + 1;
    }
    if (parts == 1 && (stable || depth > 32)) {
        pclust c = {UINT32_MAX, 0, UINT32_MAX, 0, (uint32_t)n, 0, 0, sd};
        for (size_t k = 0; k < n; k++) {
            c.i0 = sd[k].i < c.i0 ? sd[k].i : c.i0;
            c.i1 = sd[k].i > c.i1 ? sd[k].i : c.i1;
            c.j0 = sd[k].j < c.j0 ? sd[k].j : c.j0;
            c.j1 = sd[k].j > c.j1 ? sd[k].j : c.j1;
            c.cos += sd[k].cos;
            c.fresh += !sd[k].explained;
        }
        if (adal__grow((void **)&o->c, &o->cap, o->n + 1, sizeof *o->c))
            return ADAL_ENOMEM;
        o->c[o->n++] = c;
        return ADAL_OK;
    }
    size_t a = 0;
    for (size_t k = 1; k <= n; k++) {
        uint32_t g = k < n ? (side ? sd[k].j - sd[k - 1].j : sd[k].i - sd[k - 1].i) : UINT32_MAX;
        if (g <= gap + 1)
            continue;
        int rc = cluster(sd + a, k - a, !side, parts == 1, o, depth + 1, gap);
        if (rc)
            return rc;
        a = k;
    }
    return ADAL_OK;
}

/* ---- validation (Sanchez-Perez et al.'s extension): a cluster found with a gap of G
 * sentences is kept when its two fragments, as sums of their sentences' tf-idf vectors, have
 * a cosine of at least VALID_COS; otherwise its seeds are clustered again with G - 1, down to
 * MAX_GAP, where a cluster stays as it is. So passages can bridge up to GAP_START sentences
 * where the whole stays similar, and split where it does not. */
#define GAP_START 8
#define VALID_COS 0.34 /* Sanchez-Perez et al.: 0.34 */

typedef struct hw {
    uint64_t h;
    double w;
} hw;

static int hw_cmp(const void *a, const void *b)
{
    const hw *x = a, *y = b;
    return (x->h > y->h) - (x->h < y->h);
}

typedef struct fragctx {
    const pdoc *q, *s;
    const double *wq, *ws;
    hw *a, *b;
    size_t acap, bcap;
} fragctx;

/* The summed term vector of sentences [s0, s1] of p, merged by term, in *buf (*n terms). */
static int frag_vec(const pdoc *p, const double *w, uint32_t s0, uint32_t s1, hw **buf, size_t *cap,
                    size_t *n)
{
    size_t k0 = p->s[s0].off, k1 = p->s[s1].off + p->s[s1].n, m = 0;
    if (adal__grow((void **)buf, cap, k1 - k0 + 1, sizeof **buf))
        return ADAL_ENOMEM;
    for (size_t k = k0; k < k1; k++)
        (*buf)[m++] = (hw){p->t[k].h, w[k]};
    qsort(*buf, m, sizeof **buf, hw_cmp);
    size_t x = 0;
    for (size_t k = 0; k < m; k++) {
        if (x && (*buf)[x - 1].h == (*buf)[k].h)
            (*buf)[x - 1].w += (*buf)[k].w;
        else
            (*buf)[x++] = (*buf)[k];
    }
    *n = x;
    return ADAL_OK;
}

static int frag_cos(fragctx *f, const pclust *c, double *out)
{
    size_t na = 0, nb = 0;
    *out = 0.0;
    if (frag_vec(f->q, f->wq, c->i0, c->i1, &f->a, &f->acap, &na) ||
        frag_vec(f->s, f->ws, c->j0, c->j1, &f->b, &f->bcap, &nb))
        return ADAL_ENOMEM;
    double dot = 0.0, n1 = 0.0, n2 = 0.0;
    for (size_t x = 0; x < na; x++)
        n1 += f->a[x].w * f->a[x].w;
    for (size_t y = 0; y < nb; y++)
        n2 += f->b[y].w * f->b[y].w;
    for (size_t x = 0, y = 0; x < na && y < nb;) {
        if (f->a[x].h == f->b[y].h)
            dot += f->a[x++].w * f->b[y++].w;
        else if (f->a[x].h < f->b[y].h)
            x++;
        else
            y++;
    }
    *out = n1 > 0 && n2 > 0 ? dot / sqrt(n1 * n2) : 0.0;
    return ADAL_OK;
}

static int cluster_valid(fragctx *f, pseed *sd, size_t n, uint32_t gap, cl_out *o)
{
    cl_out t = {0};
    int rc = cluster(sd, n, 0, 0, &t, 0, gap);
    for (size_t k = 0; rc == ADAL_OK && k < t.n; k++) {
        const pclust *c = &t.c[k];
        double sim = 1.0;
        if (gap > MAX_GAP)
            rc = frag_cos(f, c, &sim);
        if (rc)
            break;
        if (sim >= VALID_COS || gap <= MAX_GAP) {
            if (adal__grow((void **)&o->c, &o->cap, o->n + 1, sizeof *o->c))
                rc = ADAL_ENOMEM;
            else
                o->c[o->n++] = *c;
        } else
            rc = cluster_valid(f, c->sd, c->nseeds, gap - 1, o);
    }
    adal__free(t.c);
    return rc;
}

static int clust_cmp(const void *a, const void *b)
{
    const pclust *x = a, *y = b;
    if (x->cos != y->cos)
        return x->cos > y->cos ? -1 : 1;
    return (x->i0 > y->i0) - (x->i0 < y->i0);
}

struct adal__para {
    hset stop;
    const pdoc *q; /* the query's sentences, in the model kept on it (NULL: no query) */
};

void adal__para_free(adal__para *p)
{
    if (!p)
        return;
    adal__free(p->stop.v);
    adal__free(p);
}

/* Keep d's model on it (made with stop) unless it has one; false: out of memory. Two threads
 * may make one at once: the first to store it wins, the other frees its own. */
static bool keep(const hset *stop, const adal_doc *d)
{
    struct adal__pmodel *c, *none = NULL;
    if (model_kept(d))
        return true;
    if (!(c = model_make(stop, d)))
        return false;
    if (!atomic_compare_exchange_strong_explicit(&((adal_doc *)d)->para, &none, c,
                                                 memory_order_acq_rel, memory_order_acquire))
        adal__para_model_free(c);
    return true;
}

/* The query's model is kept on it: a report aligns it with up to 15 sources, and the
 * content-word search reads its terms too. */
int adal__para_new(adal_ctx *ctx, const adal_doc *q, adal__para **out)
{
    adal__para *p = adal__calloc(1, sizeof *p);
    *out = NULL;
    if (!p || stop_set(&p->stop) || (q && !keep(&p->stop, q))) {
        adal__para_free(p);
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    }
    p->q = q ? &model_kept(q)->p : NULL;
    *out = p;
    return ADAL_OK;
}

int adal__para_model(adal_ctx *ctx, const adal_doc *d)
{
    adal__para *p = NULL;
    int rc = adal__para_new(ctx, d, &p);
    adal__para_free(p);
    return rc;
}

int adal__para_sentences(adal_ctx *ctx, const adal__para *p, uint32_t **out, size_t *n)
{
    size_t ns = p->q ? p->q->ns : 0;
    *out = adal__malloc((ns ? ns : 1) * sizeof **out);
    *n = 0;
    if (!*out)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    for (size_t i = 0; i < ns; i++)
        (*out)[i] = p->q->s[i].t0;
    *n = ns;
    return ADAL_OK;
}

int adal__para_token_terms(adal_ctx *ctx, const adal__para *p, const adal_doc *d, uint64_t **out)
{
    const struct adal__pmodel *m = model_kept(d);
    uint64_t *th = adal__malloc((d->ntoks ? d->ntoks : 1) * sizeof *th);
    *out = NULL;
    if (th && m)
        memcpy(th, m->th, d->ntoks * sizeof *th);
    if (!th || (!m && token_terms(d, &p->stop, th))) {
        adal__free(th);
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    }
    *out = th;
    return ADAL_OK;
}

int adal__para_terms(adal_ctx *ctx, const adal__para *p, const adal_doc *d, uint64_t **out,
                     size_t *nout)
{
    uint64_t *th = NULL;
    *out = NULL;
    *nout = 0;
    int rc = adal__para_token_terms(ctx, p, d, &th);
    if (rc)
        return rc;
    size_t n = 0;
    for (size_t i = 0; i < d->ntoks; i++)
        if (th[i])
            th[n++] = th[i];
    qsort(th, n, sizeof *th, adal__u64_cmp);
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (!w || th[w - 1] != th[i])
            th[w++] = th[i];
    *out = th;
    *nout = w;
    return ADAL_OK;
}

/* 1 for each sentence at least half of whose tokens the exact spans on that side cover. */
static uint8_t *explained(const pdoc *p, const adal__span *ex, size_t n, int side)
{
    uint8_t *m = adal__calloc(p->ns ? p->ns : 1, 1);
    if (!m)
        return NULL;
    for (size_t i = 0; i < p->ns; i++) {
        uint32_t t0 = p->s[i].t0, t1 = p->s[i].t1, cov = 0;
        for (size_t k = 0; k < n; k++) {
            uint32_t a = side ? ex[k].stok : ex[k].qtok, e = side ? ex[k].send : ex[k].qend;
            a = a > t0 ? a : t0;
            e = e < t1 ? e : t1;
            cov += a < e ? e - a : 0;
        }
        m[i] = 2 * cov >= t1 - t0;
    }
    return m;
}

int adal__para_align(adal_ctx *ctx, const adal__para *qp, const adal_doc *s, const adal__span *ex,
                     size_t n_ex, adal__pspan **out, size_t *nout)
{
    uint8_t *xq = NULL, *xs = NULL;
    const struct adal__pmodel *ms = NULL;
    struct adal__pmodel *ms_own = NULL; /* the source's model when it keeps none */
    pdoc ps = {0};
    const pdoc pq = qp->q ? *qp->q : (pdoc){0};
    tslot_t *tab = NULL;
    uint32_t *next = NULL;
    double *wq = NULL, *ws = NULL, *nq = NULL, *nsn = NULL, *dot = NULL;
    uint32_t *shared = NULL, *touched = NULL;
    pseed *sd = NULL;
    size_t nsd = 0, sdcap = 0;
    cl_out cl = {0};
    adal__pspan *res = NULL;
    size_t nres = 0;
    int rc = ADAL_ENOMEM;
    *out = NULL;
    *nout = 0;
    if (!(ms = model(&qp->stop, s, &ms_own)))
        goto out;
    ps = ms->p; /* borrowed from the model */
    rc = ADAL_OK;
    if (!pq.ns || !ps.ns || !pq.nt || !ps.nt)
        goto out;
    rc = ADAL_ENOMEM;
    xq = explained(&pq, ex, n_ex, 0);
    xs = explained(&ps, ex, n_ex, 1);
    if (!xq || !xs)
        goto out;
    /* one hash table of the terms of both documents: document frequency over the
     * sentences of both, the idf, and the source's postings (a list through `next`) */
    size_t na = pq.nt + ps.nt, cap = 64;
    while (cap < 2 * na)
        cap *= 2;
    tab = adal__malloc(cap * sizeof *tab);
    next = adal__malloc((ps.nt ? ps.nt : 1) * sizeof *next);
    wq = adal__malloc((pq.nt ? pq.nt : 1) * sizeof *wq);
    ws = adal__malloc((ps.nt ? ps.nt : 1) * sizeof *ws);
    nq = adal__calloc(pq.ns, sizeof *nq);
    nsn = adal__calloc(ps.ns, sizeof *nsn);
    dot = adal__calloc(ps.ns, sizeof *dot);
    shared = adal__calloc(ps.ns, sizeof *shared);
    touched = adal__malloc(ps.ns * sizeof *touched);
    if (!tab || !next || !wq || !ws || !nq || !nsn || !dot || !shared || !touched)
        goto out;
    for (size_t k = 0; k < cap; k++) {
        tab[k].head = UINT32_MAX;
        tab[k].df = 0;
    }
    size_t mask = cap - 1;
    for (int side = 0; side < 2; side++) {
        const pdoc *p = side ? &ps : &pq;
        for (size_t k = 0; k < p->nt; k++) {
            size_t x = tslot(tab, mask, p->t[k].h);
            tab[x].h = p->t[k].h;
            tab[x].df++;
            if (side) {
                next[k] = tab[x].head;
                tab[x].head = (uint32_t)k;
            }
        }
    }
    double N = (double)(pq.ns + ps.ns);
    for (size_t k = 0; k < cap; k++)
        if (tab[k].df)
            tab[k].idf = log(N / tab[k].df);
    for (int side = 0; side < 2; side++) {
        const pdoc *p = side ? &ps : &pq;
        double *w = side ? ws : wq, *nn = side ? nsn : nq;
        for (size_t k = 0; k < p->nt; k++) {
            w[k] = p->t[k].tf * tab[tslot(tab, mask, p->t[k].h)].idf;
            nn[p->t[k].sent] += w[k] * w[k];
        }
    }
    for (uint32_t i = 0; i < pq.ns; i++) {
        const psent *a = &pq.s[i];
        size_t nt = 0;
        if (a->n < SEED_SHARED || nq[i] <= 0)
            continue;
        for (uint32_t k = a->off; k < a->off + a->n; k++) {
            const tslot_t *ts = &tab[tslot(tab, mask, pq.t[k].h)];
            if (ts->df > MAX_DF)
                continue; /* in most sentences: little weight, quadratic to walk */
            for (uint32_t y = ts->head; y != UINT32_MAX; y = next[y]) {
                uint32_t j = ps.t[y].sent;
                if (!shared[j])
                    touched[nt++] = j;
                shared[j]++;
                dot[j] += wq[k] * ws[y];
            }
        }
        pseed best[PER_SENT];
        size_t nb = 0;
        for (size_t x = 0; x < nt; x++) {
            uint32_t j = touched[x];
            double cos = nsn[j] > 0 ? dot[j] / sqrt(nq[i] * nsn[j]) : 0.0;
            double dice = 2.0 * shared[j] / (a->n + ps.s[j].n);
            if (shared[j] >= SEED_SHARED && cos >= SEED_COS && dice >= SEED_DICE) {
                /* keep the PER_SENT best source sentences (a repeated sentence would
                 * otherwise seed quadratically) */
                size_t at = nb < PER_SENT ? nb++ : PER_SENT;
                if (at == PER_SENT && cos > best[PER_SENT - 1].cos)
                    at = PER_SENT - 1;
                if (at < PER_SENT) {
                    best[at] = (pseed){i, j, cos, xq[i] || xs[j]};
                    for (; at > 0 && best[at].cos > best[at - 1].cos; at--) {
                        pseed t = best[at];
                        best[at] = best[at - 1];
                        best[at - 1] = t;
                    }
                }
            }
            shared[j] = 0;
            dot[j] = 0;
        }
        for (size_t b = 0; b < nb; b++) {
            if (adal__grow((void **)&sd, &sdcap, nsd + 1, sizeof *sd))
                goto out;
            sd[nsd++] = best[b];
        }
    }
    rc = ADAL_OK;
    if (!nsd)
        goto out;
    fragctx fc = {&pq, &ps, wq, ws, NULL, NULL, 0, 0};
    rc = cluster_valid(&fc, sd, nsd, GAP_START, &cl);
    adal__free(fc.a);
    adal__free(fc.b);
    if (rc)
        goto out;
    /* strongest first; a cluster overlapping a kept one in the essay is dropped */
    qsort(cl.c, cl.n, sizeof *cl.c, clust_cmp);
    res = adal__malloc(cl.n * sizeof *res);
    if (!res) {
        rc = ADAL_ENOMEM;
        goto out;
    }
    for (size_t c = 0; c < cl.n; c++) {
        const pclust *k = &cl.c[c];
        if (k->nseeds < MIN_SEEDS)
            continue;
        if (pq.s[k->i1].t1 - pq.s[k->i0].t0 < PARA_MIN_TOK ||
            ps.s[k->j1].t1 - ps.s[k->j0].t0 < PARA_MIN_TOK)
            continue;
        adal__pspan sp = {pq.s[k->i0].t0, pq.s[k->i1].t1,     ps.s[k->j0].t0,
                          ps.s[k->j1].t1, k->cos / k->nseeds, k->nseeds};
        if (k->fresh < MIN_SEEDS) {
            /* the exact passages explain its sentences: it is kept only to join two or
             * more of them that lie inside it on both sides (sentences copied in another
             * order: one case, not several), and then spans just them */
            adal__pspan hull = {UINT32_MAX, 0, UINT32_MAX, 0, sp.sim, sp.nseeds};
            size_t in = 0;
            bool near = true; /* each within JOIN_GAP tokens of the one before, in the essay */
            for (size_t x = 0; x < n_ex; x++) {
                const adal__span *e = &ex[x];
                if (e->qend <= sp.qtok || e->qtok >= sp.qend || e->send <= sp.stok ||
                    e->stok >= sp.send)
                    continue;
                near = near && (!in || e->qtok <= hull.qend + JOIN_GAP);
                in++;
                hull.qtok = e->qtok < hull.qtok ? e->qtok : hull.qtok;
                hull.qend = e->qend > hull.qend ? e->qend : hull.qend;
                hull.stok = e->stok < hull.stok ? e->stok : hull.stok;
                hull.send = e->send > hull.send ? e->send : hull.send;
            }
            if (in < 2 || !near)
                continue;
            /* to its sentences' ends where the exact passages stop short of them by a
             * few words only (a shuffled sentence keeps no 3-word run at its edge) */
            sp.qtok = hull.qtok - sp.qtok <= EDGE_TOK ? sp.qtok : hull.qtok;
            sp.qend = sp.qend - hull.qend <= EDGE_TOK ? sp.qend : hull.qend;
            sp.stok = hull.stok - sp.stok <= EDGE_TOK ? sp.stok : hull.stok;
            sp.send = sp.send - hull.send <= EDGE_TOK ? sp.send : hull.send;
        }
        bool clash = false;
        for (size_t x = 0; x < nres && !clash; x++)
            clash = sp.qtok < res[x].qend && res[x].qtok < sp.qend;
        if (!clash)
            res[nres++] = sp;
    }
    *out = res;
    *nout = nres;
    res = NULL;
out:
    if (rc == ADAL_ENOMEM)
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
    adal__para_model_free(ms_own);
    adal__free(xq);
    adal__free(xs);
    adal__free(tab);
    adal__free(next);
    adal__free(wq);
    adal__free(ws);
    adal__free(nq);
    adal__free(nsn);
    adal__free(dot);
    adal__free(shared);
    adal__free(touched);
    adal__free(sd);
    adal__free(cl.c);
    adal__free(res);
    return rc;
}
