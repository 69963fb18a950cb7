/* fuzz_docx_xml.c — libFuzzer target for the XML readers behind the ZIP layer: the input
 * becomes one part (chosen by its first byte: DOCX document/styles/footnotes/rels, ODT
 * content/styles) of an otherwise valid package, stored uncompressed, so mutations reach
 * the SAX state machines of ingest_docx.c and ingest_odt.c instead of dying at the CRC check.
 */
#include "adal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define W "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

typedef struct part {
    const char *name;
    const uint8_t *data;
    size_t len;
} part;

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, unsigned long v)
{
    put16(p, (unsigned)(v & 0xFFFF));
    put16(p + 2, (unsigned)(v >> 16));
}

/* A stored (method 0) ZIP of the parts; caller frees. */
static uint8_t *make_zip(const part *parts, size_t n, size_t *out_len)
{
    size_t total = 22;
    for (size_t i = 0; i < n; i++)
        total += 30 + 46 + 2 * strlen(parts[i].name) + parts[i].len;
    uint8_t *z = calloc(1, total), *p = z;
    if (!z)
        return NULL;
    unsigned long offs[8];
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(parts[i].name);
        unsigned long crc = crc32(0L, parts[i].data, (uInt)parts[i].len);
        offs[i] = (unsigned long)(p - z);
        put32(p, 0x04034b50);
        put16(p + 4, 20);
        put32(p + 14, crc);
        put32(p + 18, (unsigned long)parts[i].len);
        put32(p + 22, (unsigned long)parts[i].len);
        put16(p + 26, (unsigned)nl);
        memcpy(p + 30, parts[i].name, nl);
        memcpy(p + 30 + nl, parts[i].data, parts[i].len);
        p += 30 + nl + parts[i].len;
    }
    uint8_t *cd = p;
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(parts[i].name);
        put32(p, 0x02014b50);
        put16(p + 4, 20);
        put16(p + 6, 20);
        put32(p + 16, crc32(0L, parts[i].data, (uInt)parts[i].len));
        put32(p + 20, (unsigned long)parts[i].len);
        put32(p + 24, (unsigned long)parts[i].len);
        put16(p + 28, (unsigned)nl);
        put32(p + 42, offs[i]);
        memcpy(p + 46, parts[i].name, nl);
        p += 46 + nl;
    }
    put32(p, 0x06054b50);
    put16(p + 8, (unsigned)n);
    put16(p + 10, (unsigned)n);
    put32(p + 12, (unsigned long)(p - cd));
    put32(p + 16, (unsigned long)(cd - z));
    p += 22;
    *out_len = (size_t)(p - z);
    return z;
}

#define S(x) (const uint8_t *)(x), sizeof(x) - 1

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned which = data[0] % 6;
    data++;
    size--;
    part docx[6] = {
        {"[Content_Types].xml", S("<Types/>")},
        {"_rels/.rels",
         S("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
           "<Relationship Id=\"r\" Type=\"" REL "officeDocument\" Target=\"word/document.xml\"/>"
           "</Relationships>")},
        {"word/_rels/document.xml.rels",
         S("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
           "<Relationship Id=\"a\" Type=\"" REL "styles\" Target=\"styles.xml\"/>"
           "<Relationship Id=\"b\" Type=\"" REL "footnotes\" Target=\"footnotes.xml\"/>"
           "</Relationships>")},
        {"word/document.xml",
         S("<w:document " W "><w:body><w:p><w:pPr><w:pStyle w:val=\"H\"/></w:pPr><w:r><w:t>Абай "
           "</w:t></w:r><w:r><w:rPr><w:rStyle w:val=\"C\"/></w:rPr><w:t>жоқ</w:t></w:r></w:p>"
           "</w:body></w:document>")},
        {"word/styles.xml",
         S("<w:styles " W "><w:style w:type=\"paragraph\" w:styleId=\"H\"><w:basedOn w:val=\"C\"/>"
           "<w:rPr><w:vanish/></w:rPr></w:style><w:style w:type=\"character\" w:styleId=\"C\">"
           "<w:rPr><w:vanish/><w:color w:val=\"FFFFFF\"/></w:rPr></w:style></w:styles>")},
        {"word/footnotes.xml",
         S("<w:footnotes " W "><w:footnote w:id=\"1\"><w:p><w:r><w:t>ескерту</w:t></w:r></w:p>"
           "</w:footnote></w:footnotes>")},
    };
    part odt[4] = {
        {"mimetype", S("application/vnd.oasis.opendocument.text")},
        {"META-INF/manifest.xml", S("<manifest/>")},
        {"content.xml", S("<office:document-content "
                          "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
                          "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:"
                          "body><office:text>"
                          "<text:p>Абай <text:span text:style-name=\"T\">жоқ</text:span></text:p>"
                          "</office:text></office:body></office:document-content>")},
        {"styles.xml",
         S("<office:document-styles "
           "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
           "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\"><office:styles>"
           "<style:style style:name=\"T\" style:family=\"text\"/></office:styles>"
           "</office:document-styles>")},
    };
    part *parts = docx;
    size_t n = 6;
    switch (which) {
    case 0:
        docx[3].data = data, docx[3].len = size;
        break;
    case 1:
        docx[4].data = data, docx[4].len = size;
        break;
    case 2:
        docx[5].data = data, docx[5].len = size;
        break;
    case 3:
        docx[2].data = data, docx[2].len = size;
        break;
    case 4:
        parts = odt, n = 4, odt[2].data = data, odt[2].len = size;
        break;
    default:
        parts = odt, n = 4, odt[3].data = data, odt[3].len = size;
        break;
    }
    size_t zlen = 0;
    uint8_t *zip = make_zip(parts, n, &zlen);
    adal_ctx *ctx = NULL;
    if (zip && adal_ctx_new(&ctx) == ADAL_OK) {
        adal_doc *doc = NULL;
        adal_doc_from_memory(&doc, ctx, zip, zlen, "fuzz", NULL);
        adal_doc_free(doc);
    }
    adal_ctx_free(ctx);
    free(zip);
    return 0;
}
