/* ingest.h — private interface between the ingest stage's files: the ZIP container
 * (ingest_zip.c), the secure XML parser set-up (ingest_xml.c), and the format readers
 * (ingest_docx.c, ingest_odt.c, ingest_txt.c, ingest_cfb.c). ingest.c sniffs the bytes and
 * dispatches to one of them.
 */
#ifndef ADAL_INGEST_H
#define ADAL_INGEST_H

#include "internal.h"

#include <libxml/parser.h>

/* Caps (ADAL_ZIP_*): src/caps.h. */

typedef struct adal__zip adal__zip;

/* Open a ZIP held in memory (the bytes must outlive the handle). ADAL_ECORRUPT with a
 * message on a broken archive. */
int adal__zip_open(adal__zip **out, adal_ctx *ctx, const uint8_t *data, size_t len);
void adal__zip_close(adal__zip *z);
size_t adal__zip_count(const adal__zip *z);
const char *adal__zip_name(const adal__zip *z, size_t i);
/* Whether a part exists; OPC part names are case-insensitive ASCII (OPC M1.12). */
bool adal__zip_has(const adal__zip *z, const char *name);
/* Read a whole part, enforcing every cap, the CRC and the declared size. *out is
 * NUL-terminated and freed with adal__free. Errors: ADAL_ECORRUPT, ADAL_ELIMIT,
 * ADAL_EENCRYPTED (encrypted entry), ADAL_EUNSUPPORTED (compression method), ADAL_ENOTDOC
 * (no such part). */
int adal__zip_read(adal__zip *z, const char *name, char **out, size_t *len);

/* A content key for a part without inflating it: XXH3-128 of its compressed bytes, seeded
 * with its declared size and CRC. Lets a reader reuse what it parsed from an identical part
 * of an earlier document (the same template's styles.xml across a course). */
int adal__zip_part_key(adal__zip *z, const char *name, uint64_t key[2]);

/* Secure SAX2 parse of one XML part (design notes §3): no entities, no network, a deny-all
 * external loader, any DOCTYPE refused (ADAL_EDOCTYPE), malformed XML → ADAL_EXML naming
 * `part`. `sax` holds the caller's element/character callbacks; this fills in the rest. */
int adal__xml_parse(adal_ctx *ctx, const char *part, const char *data, size_t len,
                    xmlSAXHandler *sax, void *user);
/* Call once before threads start (xmlInitParser + the deny-all loader). Idempotent. */
void adal__xml_init(void);

/* Format readers: each builds the whole document or fails with a clear error. */
int adal__docx_read(adal_doc **out, adal_ctx *ctx, adal__zip *z, const char *name);
/* styles.xml before its parse: w:latentStyles, and the content of the table-style, table,
 * cell and row properties, which the reader skips, replaced in place by empty stand-ins when
 * the bytes prove the parse would see nothing else there (ingest_docx.c says which);
 * s[len] must be the part's NUL. Returns the new length (len when nothing was cut); s[new
 * length] is NUL. */
size_t adal__docx_styles_trim(char *s, size_t len);
int adal__odt_read(adal_doc **out, adal_ctx *ctx, adal__zip *z, const char *name);
int adal__txt_read(adal_doc **out, adal_ctx *ctx, const uint8_t *data, size_t len,
                   const char *name, const char *force_encoding);
/* OLE2/CFB files: always an error, but the right one (encrypted OOXML vs legacy .doc vs
 * another Office file). */
int adal__cfb_classify(adal_ctx *ctx, const uint8_t *data, size_t len);

#endif /* ADAL_INGEST_H */
