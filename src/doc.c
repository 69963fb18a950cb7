/* doc.c — the document object that flows through the pipeline, and the builder every ingest
 * format uses to emit it. Ingest formats append UTF-8 paragraphs; adal__b_finish converts the
 * text once to UTF-16 (the offset unit of the whole API, see adal.h) and maps every segment
 * and finding from byte offsets to UTF-16 offsets.
 */
#include "internal.h"

#include <string.h>

static const char *const part_names[ADAL_PART__COUNT] = {
    "body", "table", "footnote", "endnote", "textbox", "header", "footer", "comment",
};

const char *adal_part_name(adal_part part)
{
    return (unsigned)part < ADAL_PART__COUNT ? part_names[part] : "unknown";
}

int adal_part_counted(adal_part part)
{
    return part == ADAL_PART_BODY || part == ADAL_PART_TABLE || part == ADAL_PART_FOOTNOTE ||
           part == ADAL_PART_ENDNOTE || part == ADAL_PART_TEXTBOX;
}

static const char *const ev_names[ADAL_EV__COUNT] = {
    "hidden", "white", "tiny", "narrow", "spaced", "homoglyph", "invisible", "odd-space",
    "kazakh-latin",
};

const char *adal_evasion_name(adal_evasion kind)
{
    return (unsigned)kind < ADAL_EV__COUNT ? ev_names[kind] : "unknown";
}

/* ---- the document ---------------------------------------------------------------------- */

void adal_doc_free(adal_doc *doc)
{
    if (!doc)
        return;
    adal__free(doc->name);
    adal__free(doc->text);
    adal__free(doc->text16);
    adal__free(doc->off8);
    adal__free(doc->segs);
    for (size_t i = 0; i < doc->nfinds; i++)
        adal__free((char *)doc->finds[i].text); /* owned: see adal__doc_add_finding */
    adal__free(doc->finds);
    adal__free(doc->toks);
    adal__free(doc->fps);
    adal__buf_free(&doc->keys);
    adal__para_model_free(atomic_load_explicit(&doc->para, memory_order_acquire));
    adal__free(doc);
}

const char *adal_doc_name(const adal_doc *doc) { return doc->name; }
adal_format adal_doc_format(const adal_doc *doc) { return doc->format; }

const char *adal_doc_encoding(const adal_doc *doc)
{
    return doc->encoding[0] ? doc->encoding : NULL;
}

const char *adal_doc_text(const adal_doc *doc, size_t *len)
{
    if (len)
        *len = doc->text_len;
    return doc->text;
}

const uint16_t *adal_doc_text16(const adal_doc *doc, size_t *len)
{
    if (len)
        *len = doc->text16_len;
    return doc->text16;
}

size_t adal_doc_utf8_offset(const adal_doc *doc, uint32_t off16)
{
    if (off16 >= doc->text16_len)
        return doc->text_len;
    return doc->off8[off16];
}

size_t adal_doc_nsegments(const adal_doc *doc) { return doc->nsegs; }

const adal_segment *adal_doc_segment(const adal_doc *doc, size_t i)
{
    return i < doc->nsegs ? &doc->segs[i] : NULL;
}

size_t adal_doc_nfindings(const adal_doc *doc) { return doc->nfinds; }

const adal_finding *adal_doc_finding(const adal_doc *doc, size_t i)
{
    return i < doc->nfinds ? &doc->finds[i] : NULL;
}

size_t adal_doc_ntokens(const adal_doc *doc) { return doc->ntoks; }
size_t adal_doc_nfps(const adal_doc *doc) { return doc->nfps; }
const adal_fp *adal_doc_fps(const adal_doc *doc) { return doc->fps; }
const adal_token *adal_doc_tokens(const adal_doc *doc) { return doc->toks; }

const char *adal_doc_token_key(const adal_doc *doc, size_t i, size_t *len)
{
    if (i >= doc->ntoks) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = doc->toks[i].keylen;
    return doc->keys.data + doc->toks[i].key;
}

/* Cut an excerpt at a UTF-8 boundary no longer than ADAL_FINDING_EXCERPT bytes. */
static size_t excerpt_len(const char *s, size_t n)
{
    if (n <= ADAL_FINDING_EXCERPT)
        return n;
    n = ADAL_FINDING_EXCERPT;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

int adal__doc_add_finding(adal_doc *doc, const adal_finding *f, const char *excerpt,
                          size_t elen)
{
    if (adal__grow((void **)&doc->finds, &doc->finds_cap, doc->nfinds + 1, sizeof *doc->finds))
        return ADAL_ENOMEM;
    char *t = adal__strndup(excerpt ? excerpt : "", excerpt ? excerpt_len(excerpt, elen) : 0);
    if (!t)
        return ADAL_ENOMEM;
    doc->finds[doc->nfinds] = *f;
    doc->finds[doc->nfinds].text = t;
    doc->nfinds++;
    return ADAL_OK;
}

void adal_doc_evasion(const adal_doc *doc, adal_evasion_summary *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < doc->nfinds; i++) {
        const adal_finding *f = &doc->finds[i];
        out->count[f->kind]++;
        out->chars[f->kind] += f->count;
    }
    out->tokens = (uint32_t)doc->ntoks;
    out->homoglyph_rate =
        doc->ntoks ? 1000.0 * out->count[ADAL_EV_HOMOGLYPH] / (double)doc->ntoks : 0.0;
    /* A hidden or disguised run is deliberate by construction. Look-alike letters and
     * invisible code points are judged by rate: real Kazakh text typed on a Russian keyboard
     * carries a few Latin `i` for `і` (hunspell-kk itself has 16 such entries). */
    uint32_t runs = out->count[ADAL_EV_HIDDEN] + out->count[ADAL_EV_WHITE] +
                    out->count[ADAL_EV_TINY] + out->count[ADAL_EV_NARROW] +
                    out->count[ADAL_EV_SPACED];
    out->suspicious = runs > 0 ||
                      (out->count[ADAL_EV_HOMOGLYPH] >= 3 && out->homoglyph_rate >= 5.0) ||
                      out->chars[ADAL_EV_INVISIBLE] >= 5;
}

/* ---- the builder ----------------------------------------------------------------------- */

int adal__builder_init(adal__builder *b, adal_ctx *ctx, const char *name, adal_format fmt)
{
    memset(b, 0, sizeof *b);
    b->ctx = ctx;
    adal__buf_init(&b->text, ADAL_MAX_TEXT);
    b->doc = adal__calloc(1, sizeof *b->doc);
    if (!b->doc)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    b->doc->format = fmt;
    adal__buf_init(&b->doc->keys, 0);
    b->doc->name = adal__strdup(name ? name : "");
    if (!b->doc->name)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    return ADAL_OK;
}

void adal__builder_free(adal__builder *b)
{
    adal__free(b->t16);
    adal__free(b->off8);
    b->t16 = NULL;
    b->off8 = NULL;
    b->n16 = b->cap16 = b->conv = 0;
    adal__buf_free(&b->text);
    adal_doc_free(b->doc);
    b->doc = NULL;
}

static int text_err(adal__builder *b, int rc)
{
    if (rc == ADAL_ELIMIT)
        return adal__err(b->ctx, ADAL_ELIMIT, "extracted text exceeds the %u MiB limit",
                         ADAL_MAX_TEXT >> 20);
    return adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
}

int adal__b_begin_para(adal__builder *b, adal_part part)
{
    if (b->in_para) {
        int rc = adal__b_end_para(b);
        if (rc)
            return rc;
    }
    b->in_para = true;
    b->part = part;
    b->seg_start = b->text.len;
    return ADAL_OK;
}

/* Room in t16/off8 for `more` units after the n16 there, and one for the terminator. */
static int b16_reserve(adal__builder *b, size_t more)
{
    size_t need = b->n16 + more + 1;
    if (need <= b->cap16)
        return ADAL_OK;
    size_t cap = b->cap16 ? b->cap16 : 4096;
    while (cap < need)
        cap *= 2;
    uint16_t *t = adal__realloc(b->t16, cap * sizeof *t);
    if (!t)
        return ADAL_ENOMEM;
    b->t16 = t;
    uint32_t *o = adal__realloc(b->off8, cap * sizeof *o);
    if (!o)
        return ADAL_ENOMEM;
    b->off8 = o;
    b->cap16 = cap;
    return ADAL_OK;
}

/* Room ahead for the text of a part about to be read, `units` at most (its XML's size: the
 * text of an XML part is never longer than the part), so the UTF-16 arrays are not copied
 * again and again by doubling as a long main part comes in. Only a hint: capped at
 * B16_EXPECT_MAX units, and without memory the arrays simply grow as the text comes. */
#define B16_EXPECT_MAX (1u << 20)

void adal__b_expect(adal__builder *b, size_t units)
{
    if (units > B16_EXPECT_MAX)
        units = B16_EXPECT_MAX;
    if (b->n16 + units + 1 > b->cap16)
        (void)b16_reserve(b, units);
}

/* Code point cp, which starts at byte `start`, to t16/off8 at *k (two units from U+10000). */
static inline void b16_put(uint16_t *t16, uint32_t *off8, size_t *k, uint32_t start, uint32_t cp)
{
    if (cp >= 0x10000) {
        cp -= 0x10000;
        off8[*k] = start;
        t16[(*k)++] = (uint16_t)(0xD800 + (cp >> 10));
        off8[*k] = start;
        t16[(*k)++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
    } else {
        off8[*k] = start;
        t16[(*k)++] = (uint16_t)cp;
    }
}

/* Convert what the builder's text holds beyond conv (valid UTF-8: adal__b_text validated or
 * repaired every byte, the rest are the builder's own '\n' and ' ') to UTF-16. */
static int b16_catch_up(adal__builder *b)
{
    size_t n = b->text.len, i = b->conv;
    if (i == n)
        return ADAL_OK;
    if (b16_reserve(b, n - i))
        return ADAL_ENOMEM;
    const char *s = b->text.data;
    const unsigned char *u = (const unsigned char *)s;
    size_t k = b->n16;
    while (i < n) {
        size_t start = i;
        uint32_t cp = u[i];
        unsigned next = u[i + 1]; /* b->text is NUL-terminated: u[n] is readable */
        if (cp < 0x80 || (cp >= 0xC2 && cp <= 0xDF && i + 1 < n)) {
            bool two = cp >= 0x80;
            cp = two ? ((cp & 0x1F) << 6) | (next & 0x3F) : cp;
            i += 1 + (size_t)two;
        } else {
            cp = adal__utf8_next(s, n, &i);
        }
        b16_put(b->t16, b->off8, &k, (uint32_t)start, cp);
    }
    b->n16 = k;
    b->conv = n;
    return ADAL_OK;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define B16_WORDS 1 /* the eight-byte steps below read the bytes as one little-endian word */
#else
#define B16_WORDS 0
#endif

#define B16_ONES UINT64_C(0x0101010101010101)
#define B16_HIGH UINT64_C(0x8080808080808080)

/* Eight ASCII bytes, none NUL or CR? */
static inline bool ascii8_plain(uint64_t w)
{
    uint64_t cr = w ^ (B16_ONES * '\r');
    return ((w | ((w - B16_ONES) & ~w) | ((cr - B16_ONES) & ~cr)) & B16_HIGH) == 0;
}

/* Eight bytes that are four two-byte sequences, each lead 0xC2..0xDF and its continuation
 * 0x80..0xBF (every lane lead | continuation << 8)? */
static inline bool pairs4(uint64_t w)
{
    if ((w & UINT64_C(0xC0E0C0E0C0E0C0E0)) != UINT64_C(0x80C080C080C080C0))
        return false;
    /* a lead of 0xC0 or 0xC1 (overlong) has none of the bits 0x1E: each lane's bits, plus
     * 0x7FFF, reach bit 15 only when one is set (no carry between lanes: at most 0x801D) */
    uint64_t x = (w & UINT64_C(0x001E001E001E001E)) + UINT64_C(0x7FFF7FFF7FFF7FFF);
    return (x & UINT64_C(0x8000800080008000)) == UINT64_C(0x8000800080008000);
}

/* Is s[0..n) valid UTF-8 without NUL or CR (so it can be appended as it is)? If so it is
 * also converted: its code points to t16/off8 from *k on (room for n units), their byte
 * offsets counted from base, *k advanced. The ingest stage hands over all the text of a
 * document through here: eight bytes at a time when they are eight plain ASCII bytes or
 * four two-byte letters (Kazakh and Russian words), else one code point of one or two bytes
 * without a branch on which (words alternate with ASCII spaces); checking and converting in
 * the same pass saves the walk adal__b_finish made over all the text again. */
static bool plain_utf8_16(const char *s, size_t n, uint16_t *t16, uint32_t *off8, size_t *k,
                          uint32_t base)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, kk = *k;
    while (i < n) {
#if B16_WORDS
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, u + i, 8);
            uint32_t at = base + (uint32_t)i;
            if (pairs4(w)) {
                uint64_t v = ((w & UINT64_C(0x001F001F001F001F)) << 6) |
                             ((w >> 8) & UINT64_C(0x003F003F003F003F));
                memcpy(t16 + kk, &v, 8);
                off8[kk] = at;
                off8[kk + 1] = at + 2;
                off8[kk + 2] = at + 4;
                off8[kk + 3] = at + 6;
                kk += 4;
                i += 8;
                continue;
            }
            if (ascii8_plain(w)) {
                for (unsigned j = 0; j < 8; j++) {
                    t16[kk + j] = u[i + j];
                    off8[kk + j] = at + j;
                }
                kk += 8;
                i += 8;
                continue;
            }
        }
#endif
        unsigned c = u[i];
        unsigned next = i + 1 < n ? u[i + 1] : 0;
        bool ascii = c < 0x80 && c != 0 && c != '\r';
        bool two = c - 0xC2u < 0x1Eu && (next & 0xC0) == 0x80;
        if (ascii | two) {
            off8[kk] = base + (uint32_t)i;
            t16[kk++] = (uint16_t)(two ? ((c & 0x1F) << 6) | (next & 0x3F) : c);
            i += 1 + (size_t)two;
            continue;
        }
        if (c < 0x80)
            return false; /* NUL or CR: the careful path */
        /* as adal__utf8_valid: only a literal U+FFFD may decode to it */
        size_t st = i;
        uint32_t cp = adal__utf8_next(s, n, &i);
        if (cp == 0xFFFD && !(i - st == 3 && u[st] == 0xEF))
            return false;
        b16_put(t16, off8, &kk, base + (uint32_t)st, cp);
    }
    *k = kk;
    return true;
}

/* Append UTF-8, replacing invalid sequences and NUL with U+FFFD / nothing, and turning
 * CR, CRLF and other line separators into '\n' kept inside the paragraph. */
int adal__b_text(adal__builder *b, const char *s, size_t n)
{
    if (!b->in_para) {
        int rc = adal__b_begin_para(b, ADAL_PART_BODY);
        if (rc)
            return rc;
    }
    /* the text so far in UTF-16, room for this chunk's units (at most one a byte) */
    if (b16_catch_up(b) || b16_reserve(b, n))
        return adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    size_t units = b->n16;
    if (plain_utf8_16(s, n, b->t16, b->off8, &units, (uint32_t)b->text.len)) {
        int rc = adal__buf_add(&b->text, s, n);
        if (rc)
            return text_err(b, rc);
        b->n16 = units;
        b->conv = b->text.len;
        return ADAL_OK;
    }
    size_t i = 0;
    while (i < n) {
        uint32_t cp = adal__utf8_next(s, n, &i);
        char enc[4];
        size_t k;
        if (cp == 0)
            continue;
        if (cp == '\r') {
            if (i < n && s[i] == '\n')
                continue;
            cp = '\n';
        }
        k = adal__utf8_put(enc, cp);
        int rc = adal__buf_add(&b->text, enc, k);
        if (rc)
            return text_err(b, rc);
    }
    return ADAL_OK;
}

int adal__b_end_para(adal__builder *b)
{
    if (!b->in_para)
        return ADAL_OK;
    int rc = adal__buf_addc(&b->text, '\n');
    if (rc)
        return text_err(b, rc);
    adal_doc *d = b->doc;
    if (adal__grow((void **)&d->segs, &d->segs_cap, d->nsegs + 1, sizeof *d->segs))
        return adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    /* byte offsets for now; adal__b_finish maps them to UTF-16 */
    d->segs[d->nsegs].start = (uint32_t)b->seg_start;
    d->segs[d->nsegs].len = (uint32_t)(b->text.len - b->seg_start);
    d->segs[d->nsegs].part = b->part;
    d->segs[d->nsegs].para = b->para_no[b->part]++;
    d->nsegs++;
    b->in_para = false;
    return ADAL_OK;
}

int adal__b_invisible(adal__builder *b, adal_evasion kind, const char *hidden, size_t n)
{
    if (!b->in_para) {
        int rc = adal__b_begin_para(b, ADAL_PART_BODY);
        if (rc)
            return rc;
    }
    /* count the characters that were hidden */
    uint32_t chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)hidden[i] & 0xC0) != 0x80;
    adal_finding f = {kind, (uint32_t)b->text.len, 1, b->part, b->para_no[b->part], chars, NULL};
    int rc = adal__buf_addc(&b->text, ' ');
    if (rc)
        return text_err(b, rc);
    /* excerpt must be valid UTF-8 for reports: sanitise through a small buffer */
    char tmp[ADAL_FINDING_EXCERPT + 4];
    size_t tl = 0, i = 0;
    while (i < n && tl + 4 <= ADAL_FINDING_EXCERPT) {
        uint32_t cp = adal__utf8_next(hidden, n, &i);
        if (cp)
            tl += adal__utf8_put(tmp + tl, cp);
    }
    if (adal__doc_add_finding(b->doc, &f, tmp, tl))
        return adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    return ADAL_OK;
}

/* The UTF-16 offset of byte offset `byte` (0..n): the first unit of the code point that
 * holds that byte (off8[0..k] never decreases; off8[k] = n). */
static uint32_t unit_of(const uint32_t *off8, size_t k, uint32_t byte)
{
    size_t lo = 0, hi = k;
    while (lo < hi) { /* the first unit whose byte offset is not below `byte` */
        size_t mid = lo + (hi - lo) / 2;
        if (off8[mid] < byte)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (off8[lo] > byte && lo > 0) { /* inside a code point: back to its first unit */
        lo--;
        while (lo > 0 && off8[lo - 1] == off8[lo])
            lo--;
    }
    return (uint32_t)lo;
}

int adal__b_finish(adal__builder *b, adal_doc **out)
{
    *out = NULL;
    int rc = adal__b_end_para(b);
    if (rc)
        return rc;
    adal_doc *d = b->doc;
    size_t n = b->text.len;

    /* UTF-16 with a map from each UTF-16 unit back to its byte offset (off8), made as the
     * text came (adal__b_text) but for what the builder added itself; segments and findings
     * are mapped from byte offsets to UTF-16 ones by a search in off8, which only grows (no
     * byte → unit map of 4 bytes a byte). */
    if (b16_catch_up(b) || b16_reserve(b, 0))
        return adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    uint16_t *t16 = b->t16;
    uint32_t *off8 = b->off8;
    size_t k = b->n16;
    /* a letter or digit anywhere? (a document of only spaces and symbols has no text); a
     * unit of a surrogate pair stands for a code point from U+10000 on, which counts */
    bool alnum = false;
    for (size_t j = 0; j < k && !alnum; j++) {
        uint32_t cp = t16[j];
        if (cp < 0x80)
            alnum = (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
        else
            alnum = cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && cp != 0xFFFD && cp != 0xFEFF &&
                    !(cp >= 0x2000 && cp <= 0x2BFF);
    }
    off8[k] = (uint32_t)n;
    t16[k] = 0;
    for (size_t j = 0; j < d->nsegs; j++) {
        uint32_t st = d->segs[j].start, en = st + d->segs[j].len;
        uint32_t st16 = unit_of(off8, k, st);
        d->segs[j].start = st16;
        d->segs[j].len = unit_of(off8, k, en) - st16;
    }
    for (size_t j = 0; j < d->nfinds; j++) {
        uint32_t st = d->finds[j].start, en = st + d->finds[j].len;
        uint32_t st16 = unit_of(off8, k, st);
        d->finds[j].start = st16;
        d->finds[j].len = unit_of(off8, k, en) - st16;
    }
    /* the document keeps exactly its units (a shrinking realloc stays in place) */
    uint16_t *t16s = adal__realloc(t16, (k + 1) * sizeof *t16);
    uint32_t *off8s = adal__realloc(off8, (k + 1) * sizeof *off8);
    d->text16 = t16s ? t16s : t16;
    d->off8 = off8s ? off8s : off8;
    d->text16_len = k;
    b->t16 = NULL;
    b->off8 = NULL;
    b->n16 = b->cap16 = b->conv = 0;
    d->text = adal__buf_take(&b->text, &d->text_len);
    if (!d->text)
        return adal__err(b->ctx, ADAL_ENOMEM, "out of memory");
    if (!alnum)
        return adal__err(b->ctx, ADAL_EEMPTY, "no text in the document");
    *out = d;
    b->doc = NULL;
    return ADAL_OK;
}

/* ---- loading --------------------------------------------------------------------------- */

int adal_doc_from_memory(adal_doc **out, adal_ctx *ctx, const void *data, size_t len,
                         const char *name, const adal_load_opts *opts)
{
    *out = NULL;
    adal__err_clear(ctx);
    adal_load_opts defaults = ADAL_LOAD_OPTS_INIT;
    if (!opts)
        opts = &defaults;
    size_t max = opts->max_file ? opts->max_file : ADAL_MAX_FILE;
    if (len > max)
        return adal__err(ctx, ADAL_ELIMIT, "file is %zu bytes, over the %zu-byte limit", len,
                         max);
    return adal__ingest(out, ctx, data, len, name, opts);
}

int adal_doc_load(adal_doc **out, adal_ctx *ctx, const char *path, const adal_load_opts *opts)
{
    *out = NULL;
    adal__err_clear(ctx);
    uint8_t *data = NULL;
    size_t len = 0;
    size_t max = opts && opts->max_file ? opts->max_file : ADAL_MAX_FILE;
    int rc = adal__read_file(ctx, path, max, &data, &len);
    if (rc == ADAL_OK)
        rc = adal_doc_from_memory(out, ctx, data, len, path, opts);
    adal__free(data);
    return rc;
}

int adal_doc_from_text(adal_doc **out, adal_ctx *ctx, const char *utf8, size_t len,
                       const char *name)
{
    *out = NULL;
    adal__err_clear(ctx);
    adal__builder b;
    int rc = adal__builder_init(&b, ctx, name, ADAL_FMT_TXT);
    size_t i = 0;
    while (rc == ADAL_OK && i < len) {
        const char *nl = memchr(utf8 + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - utf8) : len;
        rc = adal__b_begin_para(&b, ADAL_PART_BODY);
        if (rc == ADAL_OK)
            rc = adal__b_text(&b, utf8 + i, e - i);
        if (rc == ADAL_OK)
            rc = adal__b_end_para(&b);
        i = e + 1;
    }
    if (rc == ADAL_OK) {
        memcpy(b.doc->encoding, "UTF-8", 6);
        rc = adal__b_finish(&b, out);
    }
    adal__builder_free(&b);
    return rc;
}

/* ---- stored documents (the corpus store) ----------------------------------------------- */

int adal__doc_from_stored(adal_doc **out, adal_ctx *ctx, const char *name, adal_format fmt,
                          const char *text, size_t len, const adal_segment *segs, size_t nsegs)
{
    *out = NULL;
    if (len > ADAL_MAX_TEXT)
        return adal__err(ctx, ADAL_ESTORE, "stored text of %s is over the limit", name);
    adal_doc *d = adal__calloc(1, sizeof *d);
    if (!d)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    adal__buf_init(&d->keys, 0);
    d->format = fmt;
    if (fmt == ADAL_FMT_TXT)
        memcpy(d->encoding, "UTF-8", 6);
    d->name = adal__strdup(name ? name : "");
    d->text = adal__malloc(len + 1);
    d->text16 = adal__malloc((len + 1) * sizeof *d->text16);
    d->off8 = adal__malloc((len + 1) * sizeof *d->off8);
    d->segs = adal__malloc((nsegs ? nsegs : 1) * sizeof *d->segs);
    if (!d->name || !d->text || !d->text16 || !d->off8 || !d->segs) {
        adal_doc_free(d);
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    }
    memcpy(d->text, text, len);
    d->text[len] = '\0';
    d->text_len = len;
    size_t i = 0, k = 0;
    while (i < len) {
        size_t start = i;
        uint32_t cp = adal__utf8_next(text, len, &i);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            d->off8[k] = (uint32_t)start;
            d->text16[k++] = (uint16_t)(0xD800 + (cp >> 10));
            d->off8[k] = (uint32_t)start;
            d->text16[k++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
        } else {
            d->off8[k] = (uint32_t)start;
            d->text16[k++] = (uint16_t)cp;
        }
    }
    d->off8[k] = (uint32_t)len;
    d->text16[k] = 0;
    d->text16_len = k;
    for (size_t j = 0; j < nsegs; j++) {
        if (segs[j].start > k || segs[j].len > k - segs[j].start ||
            (unsigned)segs[j].part >= ADAL_PART__COUNT) {
            adal_doc_free(d);
            return adal__err(ctx, ADAL_ESTORE, "%s: stored segments do not fit its text", name);
        }
        d->segs[j] = segs[j];
    }
    d->nsegs = nsegs;
    d->segs_cap = nsegs ? nsegs : 1;
    *out = d;
    return ADAL_OK;
}
