/* ingest_txt.c — plain-text reader, the last branch of the sniffer in ingest.c: detects the
 * encoding (BOM, BOM-less UTF-16 by its NUL/high-byte pattern, UTF-8, then the Cyrillic
 * single-byte code pages CP1251, RK1048, KOI8-R and CP866 by scoring their decodings, with
 * CP1252 as the Latin fallback),
 * converts to UTF-8 and emits paragraphs (blocks separated by blank lines) through the
 * builder. `force_encoding` (the CLI's --encoding) skips detection and converts with iconv.
 */
#include "ingest.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <string.h>

/* ---- single-byte code pages ------------------------------------------------------------- */

/* CP1252 is the Latin fallback: English (or Kazakh Latin) essays saved by an old Notepad,
 * like the Clough-Stevenson answers in ../shared/data, which CP866 would turn Cyrillic. */
enum { SB_CP1251, SB_RK1048, SB_KOI8R, SB_CP866, SB_CP1252, SB__COUNT };

static const char *const sb_names[SB__COUNT] = {"CP1251", "RK1048", "KOI8-R", "CP866", "CP1252"};

/* Upper halves (0x80–0xFF) of each code page as code points, 0 where undefined. Built once
 * from glibc's own tables, so detection and --encoding decode identically. */
static uint32_t sb_tab[SB__COUNT][128];
static pthread_once_t sb_once = PTHREAD_ONCE_INIT;

static void sb_build(void)
{
    for (int e = 0; e < SB__COUNT; e++) {
        iconv_t cd = iconv_open("UCS-4LE", sb_names[e]);
        if (cd == (iconv_t)-1)
            continue; /* table stays 0: that code page is never chosen */
        for (int b = 0; b < 128; b++) {
            char in = (char)(0x80 + b);
            unsigned char outb[8] = {0};
            char *ip = &in, *op = (char *)outb;
            size_t il = 1, ol = sizeof outb;
            iconv(cd, NULL, NULL, NULL, NULL);
            if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && ol == sizeof outb - 4)
                sb_tab[e][b] = (uint32_t)outb[0] | (uint32_t)outb[1] << 8 |
                               (uint32_t)outb[2] << 16 | (uint32_t)outb[3] << 24;
        }
        iconv_close(cd);
    }
}

static bool is_cyr_letter(uint32_t c)
{
    return c >= 0x400 && c <= 0x4FF && !(c >= 0x482 && c <= 0x489);
}

static bool is_cyr_lower(uint32_t c)
{
    if (c >= 0x430 && c <= 0x45F)
        return true;
    if (c >= 0x460 && c <= 0x4FF)
        return c & 1; /* extended Cyrillic alternates upper/lower (Ғ ғ, Қ қ, Ә ә, ...) */
    return false;
}

static uint32_t cyr_lower(uint32_t c)
{
    if (c >= 0x410 && c <= 0x42F)
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40F)
        return c + 0x50;
    if (c >= 0x460 && c <= 0x4FF && !(c & 1))
        return c + 1;
    return c;
}

/* The commonest letter pairs of Russian and Kazakh prose (frequency lists of the RusLit and
 * Abai texts in ../shared/data). A wrong code page turns them into rare pairs. */
static const char *const bigrams[] = {
    "ст", "но", "то", "на", "ен", "ов", "ни", "ра", "во", "ко", "ро", "ал", "по", "го", "ол",
    "ре", "ер", "пр", "ле", "ка", "ть", "ет", "ан", "ос", "ел", "ли", "ва", "од", "ор", "он",
    "не", "ом", "ал", "ла", "ас", "да", "ты", "ар", "ын", "ды", "ің", "ін", "қа", "ға", "де",
    "ге", "ық", "ік", "ма", "ме", "ғы", "лы", "те", "ей", "ай", "ұл", "үн", "ке", "ең",
};

#define NBIGRAMS (sizeof bigrams / sizeof bigrams[0])

/* The bigrams as a bit matrix over the lower-case Cyrillic letters of U+0430..U+04FF
 * (208 × 208 bits), so scoring a byte costs one lookup. */
#define BG_BASE 0x430u
#define BG_N 208u
static uint8_t bigram_bits[BG_N * BG_N / 8];
static pthread_once_t bg_once = PTHREAD_ONCE_INIT;

static void bg_build(void)
{
    for (size_t i = 0; i < NBIGRAMS; i++) {
        size_t j = 0, n = strlen(bigrams[i]);
        uint32_t a = adal__utf8_next(bigrams[i], n, &j) - BG_BASE;
        uint32_t b = (j < n ? adal__utf8_next(bigrams[i], n, &j) : 0) - BG_BASE;
        if (a < BG_N && b < BG_N)
            bigram_bits[(a * BG_N + b) >> 3] |= (uint8_t)(1u << ((a * BG_N + b) & 7));
    }
}

static bool is_bigram(uint32_t a, uint32_t b)
{
    a -= BG_BASE;
    b -= BG_BASE;
    return a < BG_N && b < BG_N && (bigram_bits[(a * BG_N + b) >> 3] >> ((a * BG_N + b) & 7)) & 1;
}

static uint32_t sb_decode(int e, uint8_t c)
{
    if (c < 0x80)
        return c;
    uint32_t cp = sb_tab[e][c - 0x80];
    return cp ? cp : 0xFFFD;
}

typedef struct {
    long score;
    size_t high, good; /* bytes ≥ 0x80, and those that decoded to a letter or common mark */
    size_t cyr;        /* ... to a Cyrillic letter */
} sb_score;

static bool is_ascii_letter(uint32_t c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool is_latin_letter(uint32_t c)
{
    return c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7;
}

/* Punctuation that real text in these code pages carries: NBSP « » – — ‘ ’ ‚ “ ” „ … № • ° © */
static bool is_text_mark(uint32_t c)
{
    return c == 0xA0 || c == 0xAB || c == 0xBB || c == 0x2013 || c == 0x2014 ||
           (c >= 0x2018 && c <= 0x201E) || c == 0x2026 || c == 0x2116 || c == 0x2022 || c == 0xB0 ||
           c == 0xA9;
}

/* Score one candidate decoding of a sample. Lower-case Cyrillic letters and common bigrams
 * add; capitals inside a word (KOI8-R read as CP1251 inverts the case), Cyrillic letters
 * glued to ASCII letters (an English "don’t" read as CP866), symbols that are neither
 * letters nor common marks, and undefined bytes subtract. Latin letters add less than
 * Cyrillic ones, so CP1252 wins only where the Cyrillic readings fall apart. */
static sb_score score_sb(int e, const uint8_t *d, size_t n)
{
    sb_score s = {0, 0, 0, 0};
    uint32_t prev = ' ';
    for (size_t i = 0; i < n; i++) {
        uint32_t c = sb_decode(e, d[i]);
        if (d[i] >= 0x80) {
            uint32_t next = i + 1 < n ? sb_decode(e, d[i + 1]) : ' ';
            s.high++;
            if (c == 0xFFFD)
                s.score -= 20;
            else if (is_cyr_letter(c)) {
                s.good++;
                s.cyr++;
                s.score += is_cyr_lower(c) ? 2 : 0;
                if (is_cyr_lower(prev) && !is_cyr_lower(c))
                    s.score -= 3; /* "пРИВЕТ" */
                if (is_ascii_letter(prev) || is_ascii_letter(next))
                    s.score -= 4;
            } else if (is_latin_letter(c)) {
                s.good++;
                s.score += 1;
            } else if (is_text_mark(c))
                s.good++;
            else
                s.score -= 4;
        }
        if (is_cyr_letter(prev) && is_cyr_letter(c) && is_bigram(cyr_lower(prev), cyr_lower(c)))
            s.score += 3;
        prev = c;
    }
    return s;
}

/* The bytes where RK1048 has a Kazakh letter and CP1251 a Serbian/Ukrainian one (ә ғ қ ң
 * ө ұ ү һ vs ј ѓ ќ ѕ ґ ў ї ћ). They decide between the two when they occur inside words. */
static bool rk_specific(uint8_t c)
{
    return c >= 0x80 && sb_tab[SB_RK1048][c - 0x80] != sb_tab[SB_CP1251][c - 0x80] &&
           is_cyr_letter(sb_tab[SB_RK1048][c - 0x80]);
}

static size_t rk_in_words(const uint8_t *d, size_t n)
{
    size_t hits = 0;
    for (size_t i = 0; i < n; i++) {
        if (!rk_specific(d[i]))
            continue;
        uint32_t a = i > 0 ? sb_decode(SB_RK1048, d[i - 1]) : ' ';
        uint32_t b = i + 1 < n ? sb_decode(SB_RK1048, d[i + 1]) : ' ';
        if (is_cyr_letter(a) || is_cyr_letter(b))
            hits++;
    }
    return hits;
}

/* ---- detection ------------------------------------------------------------------------- */

typedef enum { ENC_UTF8, ENC_UTF16LE, ENC_UTF16BE, ENC_SB, ENC_BINARY, ENC_UNKNOWN } enc_kind;

#define SAMPLE (256u << 10)

/* Whether the bytes look like UTF-16 without a BOM: one byte of each pair is nearly always
 * 0x00 (Latin, digits, spaces) or 0x04 (Cyrillic), the other seldom; or, for other scripts,
 * NULs fall on one parity only. Returns ENC_UTF16LE/BE or ENC_UNKNOWN. */
static enc_kind sniff_utf16(const uint8_t *d, size_t n)
{
    size_t pairs = n / 2, zero[2] = {0, 0}, hi[2] = {0, 0};
    if (pairs < 2)
        return ENC_UNKNOWN;
    for (size_t i = 0; i < pairs * 2; i++) {
        zero[i & 1] += d[i] == 0;
        hi[i & 1] += d[i] == 0 || d[i] == 4;
    }
    if (hi[1] * 10 >= pairs * 9 && hi[0] * 10 < pairs)
        return ENC_UTF16LE;
    if (hi[0] * 10 >= pairs * 9 && hi[1] * 10 < pairs)
        return ENC_UTF16BE;
    if (zero[1] * 20 >= pairs && zero[0] * 20 <= zero[1])
        return ENC_UTF16LE;
    if (zero[0] * 20 >= pairs && zero[1] * 20 <= zero[0])
        return ENC_UTF16BE;
    return ENC_UNKNOWN;
}

/* Control characters other than the whitespace ones (and ESC/SUB, which old editors leave). */
static bool is_junk_ctrl(uint32_t c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' &&
            c != 0x1A && c != 0x1B) ||
           c == 0x7F;
}

/* UTF-8 that is almost valid (a few stray bytes in a long text) is still UTF-8: count the
 * well-formed multi-byte sequences against the bytes that start none. */
static bool mostly_utf8(const uint8_t *d, size_t n)
{
    size_t good = 0, bad = 0, i = 0;
    while (i < n) {
        if (d[i] < 0x80) {
            i++;
            continue;
        }
        size_t j = i;
        uint32_t cp = adal__utf8_next((const char *)d, n, &j);
        if (cp == 0xFFFD && !(j - i == 3 && d[i] == 0xEF && d[i + 1] == 0xBF && d[i + 2] == 0xBD))
            bad++;
        else
            good++;
        i = j;
    }
    return good > 0 && good >= 8 * bad;
}

/* ---- conversion ------------------------------------------------------------------------ */

static int put_cp(adal__buf *o, uint32_t cp)
{
    char enc[4];
    return adal__buf_add(o, enc, adal__utf8_put(enc, cp));
}

static int conv_utf16(adal__buf *o, const uint8_t *d, size_t n, bool be)
{
    int rc = ADAL_OK;
    for (size_t i = 0; rc == ADAL_OK && i + 1 < n; i += 2) {
        uint32_t u = be ? (uint32_t)d[i] << 8 | d[i + 1] : (uint32_t)d[i + 1] << 8 | d[i];
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            uint32_t v =
                be ? (uint32_t)d[i + 2] << 8 | d[i + 3] : (uint32_t)d[i + 3] << 8 | d[i + 2];
            if (v >= 0xDC00 && v <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
                i += 2;
            } else
                u = 0xFFFD;
        } else if (u >= 0xD800 && u <= 0xDFFF)
            u = 0xFFFD;
        rc = put_cp(o, u);
    }
    return rc;
}

static int conv_sb(adal__buf *o, int e, const uint8_t *d, size_t n)
{
    int rc = ADAL_OK;
    size_t i = 0;
    while (rc == ADAL_OK && i < n) {
        size_t j = i;
        while (j < n && d[j] < 0x80)
            j++;
        if (j > i)
            rc = adal__buf_add(o, d + i, j - i);
        if (rc == ADAL_OK && j < n)
            rc = put_cp(o, sb_decode(e, d[j++]));
        i = j;
    }
    return rc;
}

static int conv_iconv(adal_ctx *ctx, adal__buf *o, const char *enc, const uint8_t *d, size_t n)
{
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1)
        return adal__err(ctx, ADAL_EENCODING, "unknown text encoding '%s'", enc);
    char tmp[16384];
    char *ip = (char *)d;
    size_t il = n;
    int rc = ADAL_OK;
    while (rc == ADAL_OK) {
        char *op = tmp;
        size_t ol = sizeof tmp;
        size_t r = il ? iconv(cd, &ip, &il, &op, &ol) : iconv(cd, NULL, NULL, &op, &ol);
        int e = errno;
        if (op > tmp && adal__buf_add(o, tmp, (size_t)(op - tmp)))
            rc = o->len + (size_t)(op - tmp) > o->max && o->max
                     ? adal__err(ctx, ADAL_ELIMIT, "text exceeds the %u MiB limit",
                                 ADAL_MAX_TEXT >> 20)
                     : adal__err(ctx, ADAL_ENOMEM, "out of memory");
        else if (r == (size_t)-1 && e == E2BIG)
            continue;
        else if (r == (size_t)-1 && e == EILSEQ)
            rc = adal__err(ctx, ADAL_EENCODING, "text is not valid %s (byte %zu)", enc,
                           (size_t)(ip - (char *)d));
        else if (r == (size_t)-1 && e == EINVAL)
            rc = adal__err(ctx, ADAL_EENCODING, "text ends inside a %s character", enc);
        else if (r == (size_t)-1)
            rc = adal__err(ctx, ADAL_EENCODING, "cannot convert from %s", enc);
        else if (il == 0 && op == tmp)
            break;
    }
    iconv_close(cd);
    return rc;
}

/* ---- paragraphs ------------------------------------------------------------------------ */

static bool blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\f' && s[i] != '\v')
            return false;
    return true;
}

/* Next line of s[*i..n): returns its start and length, advances past CRLF, CR or LF. */
static bool next_line(const char *s, size_t n, size_t *i, size_t *st, size_t *len)
{
    if (*i >= n)
        return false;
    size_t j = *i;
    while (j < n && s[j] != '\n' && s[j] != '\r')
        j++;
    *st = *i;
    *len = j - *i;
    if (j < n && s[j] == '\r' && j + 1 < n && s[j + 1] == '\n')
        j++;
    *i = j < n ? j + 1 : j;
    return true;
}

/* Paragraphs are blocks separated by blank lines; a single line break stays inside the
 * paragraph as '\n'. A text with no blank line at all is "one paragraph per line" (what
 * Notepad users type: Enter once per paragraph), so each line is a paragraph then. */
static int emit(adal__builder *b, const char *s, size_t n)
{
    bool has_blank = false, seen_text = false;
    size_t i = 0, st, ln;
    while (next_line(s, n, &i, &st, &ln)) {
        if (blank_line(s + st, ln)) {
            if (seen_text && i < n) {
                has_blank = true;
                break;
            }
        } else
            seen_text = true;
    }
    int rc = ADAL_OK;
    bool open = false;
    i = 0;
    while (rc == ADAL_OK && next_line(s, n, &i, &st, &ln)) {
        if (blank_line(s + st, ln)) {
            if (open)
                rc = adal__b_end_para(b);
            open = false;
            continue;
        }
        if (open && has_blank)
            rc = adal__b_text(b, "\n", 1);
        else {
            if (open)
                rc = adal__b_end_para(b);
            if (rc == ADAL_OK)
                rc = adal__b_begin_para(b, ADAL_PART_BODY);
            open = true;
        }
        if (rc == ADAL_OK)
            rc = adal__b_text(b, s + st, ln);
    }
    if (rc == ADAL_OK && open)
        rc = adal__b_end_para(b);
    return rc;
}

/* ---- entry point ----------------------------------------------------------------------- */

static void set_encoding(adal_doc *doc, const char *name)
{
    size_t k = 0;
    for (; name[k] && k + 1 < sizeof doc->encoding; k++) {
        char c = name[k];
        doc->encoding[k] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
    }
    doc->encoding[k] = '\0';
}

/* Decide the encoding of unforced bytes and convert them into `o`. */
static int detect_and_convert(adal_ctx *ctx, adal__buf *o, const uint8_t *d, size_t n,
                              const char **encname)
{
    size_t sn = n < SAMPLE ? n : SAMPLE;
    if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
        *encname = "UTF-8";
        return adal__buf_add(o, d + 3, n - 3);
    }
    if (n >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF))) {
        bool be = d[0] == 0xFE;
        *encname = be ? "UTF-16BE" : "UTF-16LE";
        return conv_utf16(o, d + 2, n - 2, be);
    }
    enc_kind k = sniff_utf16(d, sn);
    if (k == ENC_UTF16LE || k == ENC_UTF16BE) {
        *encname = k == ENC_UTF16BE ? "UTF-16BE" : "UTF-16LE";
        return conv_utf16(o, d, n, k == ENC_UTF16BE);
    }
    size_t ctrl = 0;
    for (size_t i = 0; i < sn; i++) {
        if (d[i] == 0)
            return adal__err(ctx, ADAL_ENOTDOC, "binary file, not text");
        ctrl += is_junk_ctrl(d[i]);
    }
    if (ctrl * 200 > sn)
        return adal__err(ctx, ADAL_ENOTDOC, "binary file, not text");
    if (adal__utf8_valid((const char *)d, n) || mostly_utf8(d, sn)) {
        *encname = "UTF-8";
        return adal__buf_add(o, d, n);
    }
    pthread_once(&sb_once, sb_build);
    pthread_once(&bg_once, bg_build);
    sb_score best = {0, 0, 0, 0};
    int be = -1;
    for (int e = 0; e < SB__COUNT; e++) {
        if (e == SB_RK1048 || !sb_tab[e][0x40])
            continue; /* RK1048 is decided against CP1251 below; skip missing tables */
        sb_score s = score_sb(e, d, sn);
        if (be < 0 || s.score > best.score) {
            best = s;
            be = e;
        }
    }
    if (be < 0 || best.good * 2 < best.high)
        return adal__err(ctx, ADAL_EENCODING,
                         "text encoding not recognised (not UTF-8, UTF-16, a Cyrillic code "
                         "page or CP1252); give it with --encoding");
    if (be == SB_CP1251 && sb_tab[SB_RK1048][0x40] && rk_in_words(d, sn) > 0)
        be = SB_RK1048;
    /* no Cyrillic letter at all, only quotes and dashes CP1251 shares with CP1252: the
     * text is Latin (an English essay with Word's curly quotes) — name it so */
    if (be == SB_CP1251 && best.cyr == 0 && sb_tab[SB_CP1252][0x40] &&
        score_sb(SB_CP1252, d, sn).score == best.score)
        be = SB_CP1252;
    *encname = sb_names[be];
    return conv_sb(o, be, d, n);
}

int adal__txt_read(adal_doc **out, adal_ctx *ctx, const uint8_t *data, size_t len, const char *name,
                   const char *force_encoding)
{
    *out = NULL;
    adal__builder b;
    adal__buf o;
    const char *encname = NULL;
    int rc;
    adal__buf_init(&o, ADAL_MAX_TEXT);
    rc = adal__builder_init(&b, ctx, name, ADAL_FMT_TXT);
    if (rc)
        goto out;
    if (force_encoding && *force_encoding) {
        rc = conv_iconv(ctx, &o, force_encoding, data, len);
        encname = force_encoding;
    } else {
        rc = detect_and_convert(ctx, &o, data, len, &encname);
        if (rc == ADAL_ELIMIT)
            rc = adal__err(ctx, ADAL_ELIMIT, "text exceeds the %u MiB limit", ADAL_MAX_TEXT >> 20);
        else if (rc == ADAL_ENOMEM)
            rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
    }
    if (rc)
        goto out;
    const char *s = o.data ? o.data : "";
    size_t n = o.len;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) { /* a BOM iconv left as U+FEFF */
        s += 3;
        n -= 3;
    }
    /* decoded text with NULs or many control characters is not text, whatever the
     * encoding claimed (a UTF-16 guess over binary data, a forced encoding over an image) */
    size_t ctrl = 0, chars = 0, i = 0;
    while (i < n && i < SAMPLE) {
        uint32_t c = adal__utf8_next(s, n, &i);
        chars++;
        if (c == 0) {
            ctrl = chars;
            break;
        }
        ctrl += is_junk_ctrl(c);
    }
    if (ctrl * 200 > chars || (chars && ctrl == chars)) {
        rc = adal__err(ctx, ADAL_ENOTDOC, "binary file, not text");
        goto out;
    }
    set_encoding(b.doc, encname);
    rc = emit(&b, s, n);
    if (rc == ADAL_OK)
        rc = adal__b_finish(&b, out);
out:
    adal__buf_free(&o);
    adal__builder_free(&b);
    return rc;
}
