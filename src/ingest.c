/* ingest.c — first stage of the pipeline: sniff a file's bytes (never its extension) and
 * hand them to the reader for that container: ZIP → DOCX or ODT, OLE2/CFB → the right
 * refusal (encrypted or legacy .doc), PDF/RTF → "not supported yet", anything else → text.
 */
#include "ingest.h"

#include <string.h>

static bool starts(const uint8_t *d, size_t n, const char *magic, size_t m)
{
    return n >= m && memcmp(d, magic, m) == 0;
}

int adal__ingest(adal_doc **out, adal_ctx *ctx, const uint8_t *data, size_t len,
                 const char *name, const adal_load_opts *opts)
{
    *out = NULL;
    if (len == 0)
        return adal__err(ctx, ADAL_EEMPTY, "file is empty");
    if (starts(data, len, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return adal__cfb_classify(ctx, data, len);
    if (starts(data, len, "%PDF-", 5))
        return adal__err(ctx, ADAL_EUNSUPPORTED, "PDF is not supported yet; submit DOCX, ODT or TXT");
    if (starts(data, len, "{\\rtf", 5))
        return adal__err(ctx, ADAL_EUNSUPPORTED, "RTF is not supported yet; save it as DOCX");
    if (starts(data, len, "PK\x03\x04", 4) || starts(data, len, "PK\x05\x06", 4)) {
        adal__zip *z = NULL;
        int rc = adal__zip_open(&z, ctx, data, len);
        if (rc)
            return rc;
        if (adal__zip_has(z, "content.xml") && adal__zip_has(z, "mimetype"))
            rc = adal__odt_read(out, ctx, z, name);
        else if (adal__zip_has(z, "[Content_Types].xml") || adal__zip_has(z, "_rels/.rels"))
            rc = adal__docx_read(out, ctx, z, name);
        else
            rc = adal__err(ctx, ADAL_ENOTDOC, "ZIP archive that is not a Word or ODF document");
        adal__zip_close(z);
        return rc;
    }
    return adal__txt_read(out, ctx, data, len, name, opts ? opts->encoding : NULL);
}
