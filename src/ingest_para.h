/* ingest_para.h — private helpers shared by the XML document readers (ingest_docx.c,
 * ingest_odt.c): XML attribute access and parser stop (ingest_xml.c), the paragraph emitter
 * that defers nested stories (text boxes, inline notes, comments) until their anchor
 * paragraph is complete and merges invisible runs (ingest_para.c), and colour helpers.
 */
#ifndef ADAL_INGEST_PARA_H
#define ADAL_INGEST_PARA_H

#include "ingest.h"

/* ADAL_XML_MAX_DEPTH and ADAL_PE_MAX_NEST: src/caps.h. */

/* Stop the parse in progress on this thread (from inside a callback, after an error). */
void adal__xml_stop(void);
/* SAX2 attributes (5-tuples) by local name; value is not NUL-terminated. */
const xmlChar *adal__xml_attr(const xmlChar **attrs, int n, const char *local, size_t *len);
bool adal__xml_attr_eq(const xmlChar **attrs, int n, const char *local, const char *value);
/* Copy an attribute's value NUL-terminated (cut at cap - 1); returns its length, 0 if absent. */
size_t adal__xml_attr_copy(const xmlChar **attrs, int n, const char *local, char *out, size_t cap);

/* ---- paragraph emitter */

typedef struct adal__pe {
    adal__builder *b;
    int depth; /* open paragraphs */
    struct {
        adal__buf ops;   /* this paragraph's content as ops */
        adal__buf after; /* complete nested paragraphs to emit after it */
        adal_part part;
    } lv[ADAL_PE_MAX_NEST];
    int overflow;   /* paragraphs opened beyond the nesting cap (their text joins the parent) */
    adal__buf pend; /* replay: pending invisible text */
    int pend_kind;  /* -1: none */
} adal__pe;

void adal__pe_init(adal__pe *pe, adal__builder *b);
void adal__pe_free(adal__pe *pe);
/* Open a paragraph; if one is open, the new one is emitted right after it. */
int adal__pe_begin(adal__pe *pe, adal_part part);
int adal__pe_end(adal__pe *pe);
/* Content of the open paragraph (ignored when none is open). */
int adal__pe_text(adal__pe *pe, const char *s, size_t n);
int adal__pe_invisible(adal__pe *pe, adal_evasion kind, const char *s, size_t n);
/* Visible letters set with letter-spacing so wide it reads as a word break: kept, and when
 * they sit between letters a space plus an ADAL_EV_SPACED finding follow them. */
int adal__pe_spaced(adal__pe *pe, const char *s, size_t n);
/* Close everything still open and emit it. */
int adal__pe_flush(adal__pe *pe);

/* ---- colours: 0xRRGGBB, or -1 for "auto"/none */
/* Whether text colour fg is (nearly) the colour of background bg (CIE76 ΔE < 6 in Lab). */
bool adal__color_near(int32_t fg, int32_t bg);
/* "FF00AA" / "#ff00aa" → 0xFF00AA; "auto" or garbage → -1. */
int32_t adal__color_parse(const char *s, size_t n);
/* Whether cp counts as a letter or digit (same rule as the builder's "has text" test). */
bool adal__is_alnum(uint32_t cp);

#endif /* ADAL_INGEST_PARA_H */
