/* ingest.c — first stage of the pipeline: sniff a file's bytes (never its extension) and
 * hand them to the reader for that container: ZIP → DOCX or ODT, OLE2/CFB → the right
 * refusal (encrypted or legacy .doc), PDF/RTF and the Word files that are really XML, HTML
 * or MHT ("saved as .doc") → "not supported", anything else → text (design notes §1.1).
 */
#include "ingest.h"

#include <string.h>
#include <strings.h>

static bool starts(const uint8_t *d, size_t n, const char *magic, size_t m)
{
    return n >= m && memcmp(d, magic, m) == 0;
}

/* Case-insensitive search for an ASCII needle in the first `n` bytes. */
static bool has_ci(const uint8_t *d, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (strncasecmp((const char *)d + i, needle, m) == 0)
            return true;
    return false;
}

/* Markup formats Word writes and users then rename or "save as .doc": Flat OPC (Word's
 * "XML Document"), Word 2003 XML, a web page (HTML) and a web archive (MHT). Looked for in
 * the first 4 KiB after a UTF-8 BOM and leading whitespace. ADAL_OK if none of them. */
static int sniff_markup(adal_ctx *ctx, const uint8_t *d, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
        i++;
    d += i;
    len -= i;
    size_t n = len < 4096 ? len : 4096;
    if (n >= 5 && strncasecmp((const char *)d, "<?xml", 5) == 0) {
        if (has_ci(d, n, "<pkg:package"))
            return adal__err(ctx, ADAL_EUNSUPPORTED,
                             "Word XML document (Flat OPC) is not supported; save it as .docx");
        if (has_ci(d, n, "progid=\"Word.Document\"") || has_ci(d, n, "<w:wordDocument"))
            return adal__err(ctx, ADAL_EUNSUPPORTED,
                             "Word 2003 XML document is not supported; save it as .docx");
        if (has_ci(d, n, "<html"))
            return adal__err(ctx, ADAL_EUNSUPPORTED,
                             "web page (HTML/XHTML) is not supported; save it as .docx");
        return ADAL_OK;
    }
    if (n >= 13 && strncasecmp((const char *)d, "MIME-Version:", 13) == 0)
        return adal__err(ctx, ADAL_EUNSUPPORTED,
                         "web archive (MHT) is not supported; save it as .docx");
    if ((n >= 5 && strncasecmp((const char *)d, "<html", 5) == 0) ||
        (n >= 14 && strncasecmp((const char *)d, "<!DOCTYPE html", 14) == 0) ||
        (n >= 4 && strncasecmp((const char *)d, "<!--", 4) == 0 && has_ci(d, n, "<html")))
        return adal__err(ctx, ADAL_EUNSUPPORTED,
                         "web page (HTML) is not supported; save it as .docx");
    return ADAL_OK;
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
    int rc = sniff_markup(ctx, data, len);
    if (rc)
        return rc;
    return adal__txt_read(out, ctx, data, len, name, opts ? opts->encoding : NULL);
}
