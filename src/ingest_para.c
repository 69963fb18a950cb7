/* ingest_para.c — the paragraph emitter between the XML readers and the document builder.
 * A DOCX text box (w:txbxContent) or an ODT note/frame sits *inside* a run of its anchor
 * paragraph, but must come out as its own paragraphs right after the anchor (design notes
 * §2.1), so each open paragraph records its content as small ops and collects finished nested
 * paragraphs to replay after it. Replay also merges consecutive invisible runs of one kind
 * (Word splits runs at every edit) into one space and one finding.
 */
#include "ingest_para.h"

#include <math.h>
#include <string.h>

enum { OP_TEXT = 'T', OP_SPACED = 'S', OP_INVIS = 'I', REC_BEGIN = 'P', REC_END = 'E' };

/* ops and nested paragraphs may not outgrow the text cap (plus headroom for op headers) */
#define PE_MAX (ADAL_MAX_TEXT + (ADAL_MAX_TEXT >> 1))

void adal__pe_init(adal__pe *pe, adal__builder *b)
{
    memset(pe, 0, sizeof *pe);
    pe->b = b;
    for (int i = 0; i < ADAL_PE_MAX_NEST; i++) {
        adal__buf_init(&pe->lv[i].ops, PE_MAX);
        adal__buf_init(&pe->lv[i].after, PE_MAX);
    }
    adal__buf_init(&pe->pend, PE_MAX);
    pe->pend_kind = -1;
}

void adal__pe_free(adal__pe *pe)
{
    for (int i = 0; i < ADAL_PE_MAX_NEST; i++) {
        adal__buf_free(&pe->lv[i].ops);
        adal__buf_free(&pe->lv[i].after);
    }
    adal__buf_free(&pe->pend);
}

static int buf_err(adal__pe *pe, int rc)
{
    if (rc == ADAL_ELIMIT)
        return adal__err(pe->b->ctx, ADAL_ELIMIT, "extracted text exceeds the %u MiB limit",
                         ADAL_MAX_TEXT >> 20);
    return adal__err(pe->b->ctx, ADAL_ENOMEM, "out of memory");
}

bool adal__is_alnum(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && cp != 0xFFFD && cp != 0xFEFF &&
            !(cp >= 0x2000 && cp <= 0x2BFF) && cp != 0x3000 && cp != 0x3164);
}

static bool has_alnum(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n)
        if (adal__is_alnum(adal__utf8_next(s, n, &i)))
            return true;
    return false;
}

static int put_op(adal__pe *pe, adal__buf *dst, char op, int kind, const char *s, size_t n)
{
    if (n > UINT32_MAX)
        return buf_err(pe, ADAL_ELIMIT);
    uint32_t len = (uint32_t)n;
    char hdr[6] = {op, (char)kind};
    memcpy(hdr + 2, &len, 4);
    size_t was = dst->len;
    int rc = adal__buf_add(dst, hdr, 6);
    if (rc == ADAL_OK)
        rc = adal__buf_add(dst, s, n);
    if (rc)
        dst->len = was; /* all or nothing: a header without its bytes would be replayed
                           past the end of the buffer (found by fault injection) */
    return rc ? buf_err(pe, rc) : ADAL_OK;
}

int adal__pe_begin(adal__pe *pe, adal_part part)
{
    if (pe->depth >= ADAL_PE_MAX_NEST) {
        pe->overflow++;
        return ADAL_OK;
    }
    int d = pe->depth++;
    pe->lv[d].ops.len = 0;
    pe->lv[d].after.len = 0;
    pe->lv[d].part = part;
    return ADAL_OK;
}

static int add(adal__pe *pe, char op, int kind, const char *s, size_t n)
{
    if (pe->depth == 0 || n == 0)
        return ADAL_OK;
    return put_op(pe, &pe->lv[pe->depth - 1].ops, op, kind, s, n);
}

int adal__pe_text(adal__pe *pe, const char *s, size_t n)
{
    return add(pe, OP_TEXT, 0, s, n);
}

int adal__pe_invisible(adal__pe *pe, adal_evasion kind, const char *s, size_t n)
{
    return add(pe, OP_INVIS, (int)kind, s, n);
}

int adal__pe_spaced(adal__pe *pe, const char *s, size_t n)
{
    return add(pe, OP_SPACED, 0, s, n);
}

/* ---- replay into the builder ------------------------------------------------------------ */

static uint32_t op_len(const char *p)
{
    uint32_t len;
    memcpy(&len, p + 2, 4);
    return len;
}

/* Whether a paragraph's ops hold anything worth a segment (empty paragraphs are skipped). */
static bool worth(const char *ops, size_t n)
{
    size_t i = 0;
    while (i + 6 <= n && op_len(ops + i) <= n - i - 6) {
        uint32_t len = op_len(ops + i);
        const char *s = ops + i + 6;
        if (ops[i] == OP_INVIS && (ops[i + 1] != ADAL_EV_HIDDEN || has_alnum(s, len)))
            return true;
        for (uint32_t k = 0; k < len; k++)
            if (s[k] != ' ' && s[k] != '\t' && s[k] != '\n')
                return true;
        i += 6 + len;
    }
    return false;
}

static int flush_pending(adal__pe *pe)
{
    if (pe->pend_kind < 0)
        return ADAL_OK;
    int rc = adal__b_invisible(pe->b, (adal_evasion)pe->pend_kind, pe->pend.data, pe->pend.len);
    pe->pend_kind = -1;
    pe->pend.len = 0;
    return rc;
}

static uint32_t last_cp(const char *s, size_t n)
{
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0)
        i--;
    size_t j = i;
    return n ? adal__utf8_next(s, n, &j) : 0;
}

static int replay(adal__pe *pe, adal_part part, const char *ops, size_t n)
{
    if (!worth(ops, n))
        return ADAL_OK;
    int rc = adal__b_begin_para(pe->b, part);
    uint32_t prev = 0;        /* last visible code point */
    const char *armed = NULL; /* letters with wide spacing waiting for a following letter */
    uint32_t armed_len = 0;
    size_t i = 0;
    pe->pend_kind = -1;
    pe->pend.len = 0;
    while (rc == ADAL_OK && i + 6 <= n && op_len(ops + i) <= n - i - 6) {
        char op = ops[i];
        int kind = ops[i + 1];
        uint32_t len = op_len(ops + i);
        const char *s = ops + i + 6;
        i += 6 + len;
        if (op == OP_INVIS) {
            armed = NULL;
            if (pe->pend_kind == kind) {
                rc = adal__buf_add(&pe->pend, s, len);
                if (rc)
                    rc = buf_err(pe, rc);
                continue;
            }
            if (!has_alnum(s, len)) {
                if (kind == ADAL_EV_HIDDEN)
                    continue; /* hidden blanks: nothing to read, nothing to report */
                op = OP_TEXT; /* a white or tiny space is just a space */
            } else {
                rc = flush_pending(pe);
                if (rc == ADAL_OK) {
                    pe->pend_kind = kind;
                    rc = adal__buf_add(&pe->pend, s, len);
                    if (rc)
                        rc = buf_err(pe, rc);
                }
                continue;
            }
        }
        rc = flush_pending(pe);
        if (rc)
            break;
        if (armed && len) {
            size_t j = 0;
            if (adal__is_alnum(adal__utf8_next(s, len, &j)))
                rc = adal__b_invisible(pe->b, ADAL_EV_SPACED, armed, armed_len);
            armed = NULL;
            if (rc)
                break;
        }
        if (op == OP_SPACED && adal__is_alnum(prev)) {
            armed = s;
            armed_len = len;
        }
        rc = adal__b_text(pe->b, s, len);
        if (len)
            prev = last_cp(s, len);
    }
    if (rc == ADAL_OK)
        rc = flush_pending(pe);
    if (rc == ADAL_OK)
        rc = adal__b_end_para(pe->b);
    return rc;
}

/* Replay a list of records: REC_BEGIN part ops... REC_END, one after another. */
static int replay_records(adal__pe *pe, const char *p, size_t n)
{
    size_t i = 0;
    int rc = ADAL_OK;
    while (rc == ADAL_OK && i + 2 <= n && p[i] == REC_BEGIN) {
        adal_part part = (adal_part)p[i + 1];
        size_t start = i + 2, j = start;
        while (j + 6 <= n && p[j] != REC_END && op_len(p + j) <= n - j - 6)
            j += 6 + op_len(p + j);
        if (j > n)
            j = n;
        rc = replay(pe, part, p + start, j - start);
        i = j + 1;
    }
    return rc;
}

int adal__pe_end(adal__pe *pe)
{
    if (pe->overflow) {
        pe->overflow--;
        return ADAL_OK;
    }
    if (pe->depth == 0)
        return ADAL_OK;
    int d = --pe->depth;
    int rc = ADAL_OK;
    if (d == 0) {
        rc = replay(pe, pe->lv[0].part, pe->lv[0].ops.data, pe->lv[0].ops.len);
        if (rc == ADAL_OK)
            rc = replay_records(pe, pe->lv[0].after.data, pe->lv[0].after.len);
    } else {
        adal__buf *dst = &pe->lv[d - 1].after;
        char hdr[2] = {REC_BEGIN, (char)pe->lv[d].part};
        size_t was = dst->len;
        rc = adal__buf_add(dst, hdr, 2);
        if (rc == ADAL_OK)
            rc = adal__buf_add(dst, pe->lv[d].ops.data, pe->lv[d].ops.len);
        if (rc == ADAL_OK)
            rc = adal__buf_addc(dst, REC_END);
        if (rc == ADAL_OK)
            rc = adal__buf_add(dst, pe->lv[d].after.data, pe->lv[d].after.len);
        if (rc) {
            dst->len = was; /* no half record */
            rc = buf_err(pe, rc);
        }
    }
    pe->lv[d].ops.len = 0;
    pe->lv[d].after.len = 0;
    return rc;
}

int adal__pe_flush(adal__pe *pe)
{
    int rc = ADAL_OK;
    pe->overflow = 0;
    while (rc == ADAL_OK && pe->depth > 0)
        rc = adal__pe_end(pe);
    return rc;
}

/* ---- colours ----------------------------------------------------------------------------- */

int32_t adal__color_parse(const char *s, size_t n)
{
    if (n == 7 && s[0] == '#') {
        s++;
        n--;
    }
    if (n != 6)
        return -1;
    int32_t v = 0;
    for (size_t i = 0; i < 6; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static double lin(int c)
{
    double v = c / 255.0;
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double lab_f(double t)
{
    return t > 216.0 / 24389.0 ? cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0;
}

static void to_lab(int32_t rgb, double lab[3])
{
    double r = lin((rgb >> 16) & 255), g = lin((rgb >> 8) & 255), b = lin(rgb & 255);
    /* sRGB D65 → XYZ, normalised by the white point */
    double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    double fx = lab_f(x), fy = lab_f(y), fz = lab_f(z);
    lab[0] = 116.0 * fy - 16.0;
    lab[1] = 500.0 * (fx - fy);
    lab[2] = 200.0 * (fy - fz);
}

bool adal__color_near(int32_t fg, int32_t bg)
{
    if (fg < 0 || bg < 0)
        return false;
    if (fg == bg)
        return true;
    double a[3], b[3];
    to_lab(fg, a);
    to_lab(bg, b);
    double d = (a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
               (a[2] - b[2]) * (a[2] - b[2]);
    return d < 36.0; /* ΔE76 < 6: a shade nobody reads against that background */
}
