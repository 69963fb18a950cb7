/* ingest_zip.c — the ZIP container of DOCX and ODT, read from memory through libzip (which
 * parses the central directory and checks its consistency) with adal's own caps on top:
 * declared size per part, total inflated per document, compression ratio, entry count, and
 * "never more bytes than declared" while inflating, so a zip bomb stops early.
 */
#include "ingest.h"

#include <string.h>
#include <strings.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include <xxhash.h>
#include <zip.h>

struct adal__zip {
    adal_ctx *ctx;
    zip_t *za;
    zip_int64_t n;
    uint64_t total;  /* inflated so far */
    uint64_t budget; /* what the whole document may inflate to: see adal__zip_open */
};

static int zip_failure(adal_ctx *ctx, zip_error_t *ze, const char *what)
{
    int sys = zip_error_code_zip(ze);
    const char *why = zip_error_strerror(ze);
    int code = ADAL_ECORRUPT;
    if (sys == ZIP_ER_MEMORY)
        code = ADAL_ENOMEM;
    else if (sys == ZIP_ER_ENCRNOTSUPP || sys == ZIP_ER_NOPASSWD || sys == ZIP_ER_WRONGPASSWD)
        code = ADAL_EENCRYPTED;
    else if (sys == ZIP_ER_COMPNOTSUPP)
        code = ADAL_EUNSUPPORTED;
    return adal__err(ctx, code, "%s: %s", what, why);
}

int adal__zip_open(adal__zip **out, adal_ctx *ctx, const uint8_t *data, size_t len)
{
    *out = NULL;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        int rc = zip_failure(ctx, &ze, "cannot read archive");
        zip_error_fini(&ze);
        return rc;
    }
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!za) {
        zip_source_free(src);
        int rc = zip_failure(ctx, &ze, "corrupt archive");
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);
    zip_int64_t n = zip_get_num_entries(za, 0);
    if (n < 0 || n > ADAL_ZIP_MAX_ENTRIES) {
        zip_discard(za);
        return adal__err(ctx, ADAL_ELIMIT, "archive has %lld entries, over the limit of %d",
                         (long long)n, ADAL_ZIP_MAX_ENTRIES);
    }
    adal__zip *z = adal__calloc(1, sizeof *z);
    if (!z) {
        zip_discard(za);
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    }
    z->ctx = ctx;
    z->za = za;
    z->n = n;
    /* The per-part ratio cap alone is not enough: many central-directory entries may point at
     * one compressed blob (overlapping entries), each under the ratio, and a reader that
     * follows many relationships (headers, footers, diagrams) inflates the blob once per
     * entry. So the whole document gets a budget relative to the file's own size, with some
     * slack for small files, and the absolute ADAL_ZIP_MAX_TOTAL. */
    z->budget = (uint64_t)len * ADAL_ZIP_DOC_RATIO + ADAL_ZIP_DOC_SLACK;
    if (z->budget > ADAL_ZIP_MAX_TOTAL)
        z->budget = ADAL_ZIP_MAX_TOTAL;
    *out = z;
    return ADAL_OK;
}

void adal__zip_close(adal__zip *z)
{
    if (!z)
        return;
    zip_discard(z->za);
    adal__free(z);
}

size_t adal__zip_count(const adal__zip *z) { return (size_t)z->n; }

const char *adal__zip_name(const adal__zip *z, size_t i)
{
    const char *s = zip_get_name(z->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
    return s ? s : "";
}

static zip_int64_t locate(const adal__zip *z, const char *name)
{
    if (name[0] == '/')
        name++;
    return zip_name_locate(z->za, name, ZIP_FL_NOCASE | ZIP_FL_ENC_RAW);
}

bool adal__zip_has(const adal__zip *z, const char *name) { return locate(z, name) >= 0; }

int adal__zip_read(adal__zip *z, const char *name, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    adal_ctx *ctx = z->ctx;
    zip_int64_t idx = locate(z, name);
    if (idx < 0)
        return adal__err(ctx, ADAL_ENOTDOC, "part %s is missing", name);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, &st) != 0)
        return zip_failure(ctx, zip_get_error(z->za), name);
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return adal__err(ctx, ADAL_EENCRYPTED, "part %s is encrypted", name);
    if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE &&
        st.comp_method != ZIP_CM_DEFLATE)
        return adal__err(ctx, ADAL_EUNSUPPORTED, "part %s uses compression method %u", name,
                         (unsigned)st.comp_method);
    if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
        return adal__err(ctx, ADAL_ECORRUPT, "part %s has no size", name);
    if (st.name && st.name[0] && st.name[strlen(st.name) - 1] == '/')
        return adal__err(ctx, ADAL_ECORRUPT, "part %s is a directory", name);
    if (st.size > ADAL_ZIP_MAX_PART)
        return adal__err(ctx, ADAL_ELIMIT, "part %s declares %llu bytes, over the %u MiB limit",
                         name, (unsigned long long)st.size, ADAL_ZIP_MAX_PART >> 20);
    if (z->total + st.size > z->budget)
        return adal__err(ctx, ADAL_ELIMIT,
                         "document inflates to over %llu bytes (%d times its size plus %u MiB, "
                         "at most %u MiB; zip bomb?)",
                         (unsigned long long)z->budget, ADAL_ZIP_DOC_RATIO,
                         ADAL_ZIP_DOC_SLACK >> 20, ADAL_ZIP_MAX_TOTAL >> 20);
    if (st.size > ADAL_ZIP_RATIO_FROM && st.comp_size &&
        st.size / st.comp_size > ADAL_ZIP_MAX_RATIO)
        return adal__err(ctx, ADAL_ELIMIT,
                         "part %s has compression ratio %llu:1, over the %d:1 limit (zip bomb?)",
                         name, (unsigned long long)(st.size / st.comp_size), ADAL_ZIP_MAX_RATIO);

    size_t want = (size_t)st.size;
    char *buf = adal__malloc(want + 2);
    if (!buf)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory for part %s", name);
    zip_file_t *zf = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
    if (!zf) {
        adal__free(buf);
        return zip_failure(ctx, zip_get_error(z->za), name);
    }
    /* read one byte more than declared: if it comes, the entry lies about its size */
    size_t got = 0;
    int rc = ADAL_OK;
    for (;;) {
        zip_int64_t r = zip_fread(zf, buf + got, want + 1 - got);
        if (r < 0) {
            rc = zip_failure(ctx, zip_file_get_error(zf), name);
            break;
        }
        if (r == 0)
            break;
        got += (size_t)r;
        if (got > want) {
            rc = adal__err(ctx, ADAL_ELIMIT, "part %s inflates beyond its declared size", name);
            break;
        }
    }
    zip_fclose(zf);
    if (rc == ADAL_OK && got != want)
        rc = adal__err(ctx, ADAL_ECORRUPT, "part %s is truncated (%zu of %zu bytes)", name, got,
                       want);
    if (rc != ADAL_OK) {
        adal__free(buf);
        return rc;
    }
    z->total += got;
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return ADAL_OK;
}

int adal__zip_part_key(adal__zip *z, const char *name, uint64_t key[2])
{
    adal_ctx *ctx = z->ctx;
    zip_int64_t idx = locate(z, name);
    if (idx < 0)
        return adal__err(ctx, ADAL_ENOTDOC, "part %s is missing", name);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, &st) != 0)
        return zip_failure(ctx, zip_get_error(z->za), name);
    if (!(st.valid & ZIP_STAT_COMP_SIZE) || st.comp_size > ADAL_ZIP_MAX_PART)
        return adal__err(ctx, ADAL_ELIMIT, "part %s is too large", name);
    zip_file_t *zf = zip_fopen_index(z->za, (zip_uint64_t)idx, ZIP_FL_COMPRESSED);
    if (!zf)
        return zip_failure(ctx, zip_get_error(z->za), name);
    /* XXH3_128bits_reset_withSeed() compares the seed with the one already in the state and
     * skips deriving the secret when they match: on an uninitialised stack state that read is
     * undefined (MSan, valgrind) and, when the garbage happens to equal the seed, the key is
     * computed with a garbage secret. Zero the whole state first (XXH3_INITSTATE only clears
     * the seed; memset also clears the buffers valgrind tracks). */
    XXH3_state_t hs;
    memset(&hs, 0, sizeof hs);
    XXH3_128bits_reset_withSeed(&hs, (st.size << 32) ^ st.crc ^ ((uint64_t)st.comp_method << 60));
    char chunk[16384];
    int rc = ADAL_OK;
    uint64_t got = 0;
    for (;;) {
        zip_int64_t r = zip_fread(zf, chunk, sizeof chunk);
        if (r < 0) {
            rc = zip_failure(ctx, zip_file_get_error(zf), name);
            break;
        }
        if (r == 0)
            break;
        got += (uint64_t)r;
        if (got > st.comp_size) {
            rc = adal__err(ctx, ADAL_ECORRUPT, "part %s is longer than declared", name);
            break;
        }
        XXH3_128bits_update(&hs, chunk, (size_t)r);
    }
    zip_fclose(zf);
    if (rc == ADAL_OK) {
        XXH128_hash_t h = XXH3_128bits_digest(&hs);
        key[0] = h.low64;
        key[1] = h.high64;
    }
    return rc;
}
