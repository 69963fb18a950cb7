/* caps.h — every per-file limit of libadal in one place (issue 6; the table with the
 * reasons is docs/ARCHITECTURE.md §7 "Limits", the user's view is adal(1) LIMITS). Crossing
 * one is a clear error, ADAL_ELIMIT (or ADAL_ECORRUPT for an archive that lies about a
 * size), never unbounded growth; the worst case a file can cost within all of them is
 * measured in docs/TESTING.md. The public cap on a whole file is ADAL_MAX_FILE in adal.h
 * (256 MiB, lowered per call by adal_load_opts.max_file). There is no wall-clock timer:
 * every stage is linear (or n log n) in sizes capped here, which bounds time and memory.
 */
#ifndef ADAL_CAPS_H
#define ADAL_CAPS_H

/* ---- ZIP containers (DOCX, ODT): ingest_zip.c. Measured on 444 real packages, the largest
 * part ratio was 37.6. */
#define ADAL_ZIP_MAX_PART (64u << 20)   /* declared uncompressed size of one part */
#define ADAL_ZIP_MAX_TOTAL (256u << 20) /* all parts read from one document, absolute */
/* all parts read from one document, relative: ADAL_ZIP_DOC_RATIO × the file's size plus
 * ADAL_ZIP_DOC_SLACK (defeats overlapping entries: many entries, one compressed blob) */
#define ADAL_ZIP_DOC_RATIO 100
#define ADAL_ZIP_DOC_SLACK (16u << 20)
#define ADAL_ZIP_MAX_RATIO 200 /* one part's ratio, enforced on parts over ADAL_ZIP_RATIO_FROM */
#define ADAL_ZIP_RATIO_FROM (1u << 20)
#define ADAL_ZIP_MAX_ENTRIES 20000

/* ---- XML parts: ingest_xml.c, ingest_docx.c, ingest_odt.c. Any DOCTYPE is refused
 * (ADAL_EDOCTYPE), so no entity is ever expanded and no external DTD ever loaded. */
/* Deepest element nesting accepted in a part. Real documents measured stay far below (tables
 * in text boxes in tables reach ~40); libxml2 itself stops at 256 without XML_PARSE_HUGE. */
#define ADAL_XML_MAX_DEPTH 200
#define ADAL_PE_MAX_NEST 32 /* nested stories (text boxes in text boxes...) kept apart */
#define ADAL_DOCX_MAX_RELS 4000 /* relationships read from one .rels part */

/* ---- text: doc.c (builder), ingest_txt.c */
#define ADAL_MAX_TEXT (32u << 20) /* extracted text of one document, UTF-8 bytes */

/* ---- normalisation: norm.c. A "word" longer than ADAL_NORM_MAX_CP code points is still
 * one token, its key is the first ADAL_NORM_MAX_CP code points. */
#define ADAL_NORM_MAX_CP 64
#define ADAL_NORM_MAX_TOKENS (4u << 20) /* per document: ADAL_ELIMIT beyond */
#define ADAL_NORM_MAX_FINDINGS 10000    /* per kind per document; overflow goes to `count` */

/* ---- alignment: match.c */
/* A hash occurring more often than this in either document of a pair is not a seed:
 * repeated boilerplate inside one essay would otherwise make a quadratic seed set. */
#define ADAL_ALIGN_MAX_OCC 16
/* Seeds per pair, after which the rest are ignored (pathological inputs). */
#define ADAL_ALIGN_MAX_SEEDS 200000

#endif /* ADAL_CAPS_H */
