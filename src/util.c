/* util.c — the context, error codes and messages, allocation (with a fault-injection hook
 * for tests, as SQLite and curl do), capped growable buffers, UTF-8 helpers and whole-file
 * reads. Every stage uses these; none of it knows about documents.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- errors ---------------------------------------------------------------------------- */

static const struct {
    int err;
    const char *code, *text;
} errtab[] = {
    {ADAL_OK, "ok", "no error"},
    {ADAL_ENOMEM, "no-memory", "out of memory"},
    {ADAL_EIO, "io", "cannot read or write the file"},
    {ADAL_EINVAL, "invalid", "invalid argument"},
    {ADAL_EENCRYPTED, "encrypted", "document is password-protected; save it without a password"},
    {ADAL_ELEGACY, "legacy-doc", "legacy Word 97-2003 .doc; save it as .docx"},
    {ADAL_EUNSUPPORTED, "unsupported", "format not supported yet"},
    {ADAL_ENOTDOC, "not-a-document", "not a document adal can read"},
    {ADAL_ECORRUPT, "corrupt", "corrupt or truncated archive"},
    {ADAL_EXML, "bad-xml", "invalid XML in the document"},
    {ADAL_EDOCTYPE, "doctype", "XML contains a DOCTYPE, which documents may not have"},
    {ADAL_ELIMIT, "limit", "over a size limit"},
    {ADAL_EEMPTY, "empty", "no text in the document"},
    {ADAL_EENCODING, "encoding", "text encoding not recognised"},
    {ADAL_EICU, "icu", "Unicode library failure"},
    {ADAL_ESTORE, "store", "corpus store failure"},
    {ADAL_EVERSION, "version", "corpus store was built by another version: re-index it"},
    {ADAL_EBUSY, "busy", "corpus store is busy"},
};

const char *adal_errcode(int err)
{
    for (size_t i = 0; i < sizeof errtab / sizeof errtab[0]; i++)
        if (errtab[i].err == err)
            return errtab[i].code;
    return "unknown";
}

const char *adal_strerror(int err)
{
    for (size_t i = 0; i < sizeof errtab / sizeof errtab[0]; i++)
        if (errtab[i].err == err)
            return errtab[i].text;
    return "unknown error";
}

int adal__err(adal_ctx *ctx, int code, const char *fmt, ...)
{
    if (!ctx)
        return code;
    ctx->err = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
    va_end(ap);
    return code;
}

void adal__err_clear(adal_ctx *ctx)
{
    if (ctx) {
        ctx->err = 0;
        ctx->msg[0] = '\0';
    }
}

const char *adal_errmsg(const adal_ctx *ctx)
{
    if (!ctx)
        return "";
    if (ctx->err && !ctx->msg[0])
        return adal_strerror(ctx->err);
    return ctx->msg;
}

int adal_ctx_new(adal_ctx **out)
{
    *out = NULL;
    adal_ctx *c = adal__calloc(1, sizeof *c);
    if (!c)
        return ADAL_ENOMEM;
    *out = c;
    return ADAL_OK;
}

void adal_ctx_free(adal_ctx *ctx)
{
    if (!ctx)
        return;
    adal__norm_free(ctx->norm);
    adal__docx_cache_free(ctx->docx_cache);
    adal__free(ctx);
}

/* ---- allocation ------------------------------------------------------------------------ */

/* Fault injection state. Thread-local so a test can fail allocations in one thread only. */
static _Thread_local long fail_countdown; /* 0 = off */
static _Thread_local bool fail_repeat;
static _Thread_local long fail_count;

void adal__fail_alloc_after(long n, bool repeat)
{
    fail_countdown = n;
    fail_repeat = repeat;
    fail_count = 0;
}

long adal__alloc_failures(void) { return fail_count; }

static bool should_fail(void)
{
    if (fail_countdown <= 0)
        return false;
    if (fail_countdown == 1) {
        fail_count++;
        if (!fail_repeat)
            fail_countdown = 0;
        return true;
    }
    fail_countdown--;
    return false;
}

void *adal__malloc(size_t n) { return should_fail() ? NULL : malloc(n ? n : 1); }

void *adal__calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void *adal__realloc(void *p, size_t n) { return should_fail() ? NULL : realloc(p, n ? n : 1); }

void adal__free(void *p) { free(p); }

char *adal__strndup(const char *s, size_t n)
{
    char *d = adal__malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *adal__strdup(const char *s) { return adal__strndup(s, strlen(s)); }

int adal__grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return ADAL_OK;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size)
            return ADAL_ENOMEM;
        ncap *= 2;
    }
    void *p = adal__realloc(*arr, ncap * size);
    if (!p)
        return ADAL_ENOMEM;
    *arr = p;
    *cap = ncap;
    return ADAL_OK;
}

/* ---- buffers --------------------------------------------------------------------------- */

void adal__buf_init(adal__buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max ? max : SIZE_MAX / 2;
}

void adal__buf_free(adal__buf *b)
{
    adal__free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int adal__buf_add(adal__buf *b, const void *p, size_t n)
{
    if (n > b->max || b->len > b->max - n)
        return ADAL_ELIMIT;
    if (b->len + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 64;
        while (ncap < b->len + n + 1)
            ncap *= 2;
        char *d = adal__realloc(b->data, ncap);
        if (!d)
            return ADAL_ENOMEM;
        b->data = d;
        b->cap = ncap;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return ADAL_OK;
}

int adal__buf_addc(adal__buf *b, char c) { return adal__buf_add(b, &c, 1); }

int adal__buf_addf(adal__buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return ADAL_EINVAL;
    if ((size_t)n < sizeof small)
        return adal__buf_add(b, small, (size_t)n);
    char *big = adal__malloc((size_t)n + 1);
    if (!big)
        return ADAL_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = adal__buf_add(b, big, (size_t)n);
    adal__free(big);
    return rc;
}

char *adal__buf_take(adal__buf *b, size_t *len)
{
    if (!b->data && adal__buf_add(b, "", 0) != ADAL_OK)
        return NULL;
    char *d = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

/* ---- UTF-8 ----------------------------------------------------------------------------- */

uint32_t adal__utf8_next(const char *s, size_t n, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = *i;
    unsigned c = u[k];
    if (c < 0x80) {
        *i = k + 1;
        return c;
    }
    uint32_t cp;
    size_t need;
    uint32_t min;
    if (c >= 0xC2 && c <= 0xDF) {
        cp = c & 0x1F;
        need = 1;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        cp = c & 0x0F;
        need = 2;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        cp = c & 0x07;
        need = 3;
        min = 0x10000;
    } else {
        *i = k + 1;
        return 0xFFFD;
    }
    if (k + need >= n) { /* truncated sequence */
        *i = k + 1;
        return 0xFFFD;
    }
    for (size_t j = 1; j <= need; j++) {
        unsigned d = u[k + j];
        if ((d & 0xC0) != 0x80) {
            *i = k + 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *i = k + 1;
        return 0xFFFD;
    }
    *i = k + need + 1;
    return cp;
}

size_t adal__utf8_put(char *out, uint32_t cp)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        cp = 0xFFFD;
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF)
        return adal__utf8_put(out, 0xFFFD);
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

bool adal__utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        /* the common cases inline: ASCII, and two-byte letters (Cyrillic, Latin-1) */
        unsigned c = u[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (u[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        size_t k = i;
        uint32_t cp = adal__utf8_next(s, n, &i);
        if (cp == 0xFFFD && !(i - k == 3 && (unsigned char)s[k] == 0xEF))
            return false;
    }
    return true;
}

/* ---- files ----------------------------------------------------------------------------- */

int adal__read_file(adal_ctx *ctx, const char *path, size_t max, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    int rc = ADAL_OK;
    uint8_t *data = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return adal__err(ctx, ADAL_EIO, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        rc = adal__err(ctx, ADAL_EIO, "cannot stat: %s", strerror(errno));
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = adal__err(ctx, ADAL_EIO, "is a directory");
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = adal__err(ctx, ADAL_ENOTDOC, "not a regular file");
        goto out;
    }
    if ((uint64_t)st.st_size > max) {
        rc = adal__err(ctx, ADAL_ELIMIT, "file is %lld bytes, over the %zu-byte limit",
                       (long long)st.st_size, max);
        goto out;
    }
    size_t n = (size_t)st.st_size;
    data = adal__malloc(n + 1);
    if (!data) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory reading %zu bytes", n);
        goto out;
    }
    size_t got = fread(data, 1, n, f);
    if (got != n || ferror(f)) {
        rc = adal__err(ctx, ADAL_EIO, "read error: %s", strerror(errno));
        goto out;
    }
    data[n] = 0;
    *out = data;
    *len = n;
    data = NULL;
out:
    adal__free(data);
    fclose(f);
    return rc;
}

int adal__u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}
