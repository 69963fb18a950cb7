/* fuzz_report.c — libFuzzer target for the report writers (text, JSON, CSV) on fuzzed input.
 * Layout: byte 0 picks the options (language, CSV separator, snippets, width, snippet cap),
 * byte 1 the length of a fuzzed file name/source id, then the name, then the text, split in
 * half. The query is the whole text, the sources are its second half and its first half, so
 * most inputs produce passages and the writers quote fuzzed text on both sides. Oracles:
 * every JSON line parses (jansson), no output holds a raw control character (but \n, \t and
 * the CSV's \r\n), a bidi control or invalid UTF-8; the error records get the same checks. */
#include "adal.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether the bytes are valid UTF-8 with no raw control or bidi character (except those the
 * format itself uses). */
static int safe_output(const char *s, size_t n, int allow_cr)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\n' && c != '\t' && !(allow_cr && c == '\r')) || c == 0x7F)
                return 0;
            i++;
            continue;
        }
        uint32_t cp;
        size_t k;
        if (c >= 0xC2 && c <= 0xDF)
            cp = c & 0x1F, k = 1;
        else if (c >= 0xE0 && c <= 0xEF)
            cp = c & 0x0F, k = 2;
        else if (c >= 0xF0 && c <= 0xF4)
            cp = c & 0x07, k = 3;
        else
            return 0;
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n || ((unsigned char)s[i + j] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | ((unsigned char)s[i + j] & 0x3F);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
            (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
            return 0;
        i += k + 1;
    }
    return 1;
}

static void check_json_lines(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            __builtin_trap(); /* every record ends with a newline */
        json_error_t je;
        json_t *j = json_loadb(p, (size_t)(nl - p), 0, &je);
        if (!j || !json_is_object(j))
            __builtin_trap();
        json_decref(j);
        p = nl + 1;
    }
}

static void write_all(const adal_report *r, adal_ctx *ctx, const adal_write_opts *wo,
                      const char *name, const char *msg)
{
    for (int fmt = ADAL_OUT_TEXT; fmt <= ADAL_OUT_CSV; fmt++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
            return;
        int rc = adal_report_write_header(ctx, (adal_output)fmt, f, wo);
        if (rc == ADAL_OK && r)
            rc = adal_report_write(r, ctx, (adal_output)fmt, f, wo);
        if (rc == ADAL_OK)
            rc = adal_report_write_error(ctx, (adal_output)fmt, f, name, ADAL_ECORRUPT, msg, wo);
        fclose(f);
        if (rc == ADAL_OK) {
            if (!safe_output(buf, len, fmt == ADAL_OUT_CSV)) {
                if (getenv("FUZZ_DEBUG")) /* show what was unsafe */
                    fwrite(buf, 1, len, stderr);
                __builtin_trap();
            }
            if (fmt == ADAL_OUT_JSON)
                check_json_lines(buf, len);
        } else if (rc != ADAL_ENOMEM) {
            __builtin_trap(); /* memory streams do not fail to write */
        }
        free(buf);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned o = data[0];
    size_t nl = data[1] % 64;
    data += 2;
    size -= 2;
    if (nl > size)
        nl = size;
    char name[65];
    memcpy(name, data, nl);
    name[nl] = '\0'; /* a fuzzed name may hold bytes after an early NUL: fine */
    data += nl;
    size -= nl;

    adal_write_opts wo = ADAL_WRITE_OPTS_INIT;
    wo.lang = (adal_lang)(o % 3);
    wo.csv_sep = (o & 4) ? ';' : ',';
    wo.snippets = !(o & 8);
    wo.width = (o & 16) ? 40 : 100;
    wo.max_snippet = (o & 32) ? 0 : (o & 64) ? 7 : 400;
    wo.file = (o & 128) ? name : NULL;

    adal_ctx *ctx = NULL;
    adal_refset *rs = NULL;
    adal_doc *q = NULL, *a = NULL, *b = NULL;
    adal_report *r = NULL;
    if (adal_ctx_new(&ctx) != ADAL_OK || adal_refset_new(&rs, ctx) != ADAL_OK)
        goto out;
    const char *text = (const char *)data;
    size_t half = size / 2;
    if (adal_doc_from_text(&a, ctx, text + half, size - half, name) == ADAL_OK)
        adal_refset_add(rs, ctx, a, name); /* takes ownership, also on error */
    if (adal_doc_from_text(&b, ctx, text, half, "first half") == ADAL_OK)
        adal_refset_add(rs, ctx, b, "first half");
    a = b = NULL;
    char msg[129];
    size_t ml = size < 128 ? size : 128;
    memcpy(msg, text, ml);
    msg[ml] = '\0';
    if (adal_doc_from_text(&q, ctx, text, size, name) == ADAL_OK &&
        adal_refset_check(&r, ctx, rs, q, NULL, NULL, 0) == ADAL_OK)
        write_all(r, ctx, &wo, name, msg);
    else
        write_all(NULL, ctx, &wo, name, adal_errmsg(ctx));
out:
    adal_report_free(r);
    adal_doc_free(q);
    adal_refset_free(rs);
    adal_ctx_free(ctx);
    return 0;
}
