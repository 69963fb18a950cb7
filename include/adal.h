/* adal.h — the whole public API of libadal, in pipeline order:
 * context and errors → ingest (file → text segments + findings) → normalise (tokens with
 * offsets, evasion counts) → fingerprint → match (passages) → score (originality %, band).
 *
 * Ownership, said once: every object returned through an `out` parameter belongs to the
 * caller and is released with its own `_free` function, which accepts NULL; every pointer
 * returned by an accessor is borrowed from the object it came from and lives as long as it.
 *
 * Text is UTF-8 `(const char *, size_t)`. Offsets into a document's extracted text are in
 * UTF-16 code units everywhere (segments, tokens, findings, passages): the unit ICU and a
 * browser's JavaScript use, and equal to the code-point index for all Cyrillic text.
 */
#ifndef ADAL_H
#define ADAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ADAL_VERSION "0.1.0"

/* ---------------------------------------------------------------------------------------
 * Errors. Values never change; new ones are added at the end.
 * ------------------------------------------------------------------------------------- */
typedef enum adal_err {
    ADAL_OK = 0,
    ADAL_ENOMEM = -1,      /* out of memory */
    ADAL_EIO = -2,         /* cannot read or write a file */
    ADAL_EINVAL = -3,      /* bad argument or option */
    ADAL_EENCRYPTED = -4,  /* password-protected document */
    ADAL_ELEGACY = -5,     /* legacy Word 97–2003 .doc */
    ADAL_EUNSUPPORTED = -6,/* PDF, RTF, or another format not supported yet */
    ADAL_ENOTDOC = -7,     /* not a document adal can read */
    ADAL_ECORRUPT = -8,    /* corrupt or truncated archive */
    ADAL_EXML = -9,        /* invalid XML in a document part */
    ADAL_EDOCTYPE = -10,   /* XML with a DOCTYPE (entity attacks; forbidden by OPC) */
    ADAL_ELIMIT = -11,     /* over a size, ratio, depth or count cap */
    ADAL_EEMPTY = -12,     /* no text at all */
    ADAL_EENCODING = -13,  /* text encoding not recognised or invalid */
    ADAL_EICU = -14,       /* ICU failure */
    ADAL_ESTORE = -15,     /* corpus store failure */
    ADAL_EVERSION = -16,   /* store built with another fold/hash version: re-index */
    ADAL_EBUSY = -17,      /* store locked for too long */
} adal_err;

/* A stable short code for an error ("encrypted", "legacy-doc", ...), for JSON and CSV. */
const char *adal_errcode(int err);
/* A generic English sentence for an error value. */
const char *adal_strerror(int err);

/* ---------------------------------------------------------------------------------------
 * Context: error detail and per-thread resources (ICU converters, stemmers). One context
 * per thread; contexts are independent.
 * ------------------------------------------------------------------------------------- */
typedef struct adal_ctx adal_ctx;

int adal_ctx_new(adal_ctx **out);
void adal_ctx_free(adal_ctx *ctx);
/* The one-line detail of the last error on this context ("" if none). */
const char *adal_errmsg(const adal_ctx *ctx);

/* ---------------------------------------------------------------------------------------
 * Ingest: a file's bytes → the final visible text as segments, plus evasion findings.
 * ------------------------------------------------------------------------------------- */
typedef enum adal_format {
    ADAL_FMT_UNKNOWN = 0,
    ADAL_FMT_DOCX, /* also DOCM, DOTX, DOTM; transitional and Strict OOXML */
    ADAL_FMT_ODT,
    ADAL_FMT_TXT,
} adal_format;

typedef enum adal_part {
    ADAL_PART_BODY = 0,
    ADAL_PART_TABLE,    /* a table cell in the body */
    ADAL_PART_FOOTNOTE,
    ADAL_PART_ENDNOTE,
    ADAL_PART_TEXTBOX,
    ADAL_PART_HEADER,
    ADAL_PART_FOOTER,
    ADAL_PART_COMMENT,
    ADAL_PART__COUNT
} adal_part;

/* "body", "table", "footnote", ... */
const char *adal_part_name(adal_part part);
/* Whether text in this part counts toward originality by default (body, table, notes,
 * text boxes: yes; headers, footers, comments: no). */
int adal_part_counted(adal_part part);

/* One paragraph (or table-cell paragraph, note paragraph...) of the extracted text. */
typedef struct adal_segment {
    uint32_t start, len; /* UTF-16 units in the document text; the segment ends with '\n' */
    adal_part part;
    uint32_t para;       /* ordinal of the paragraph in its part, from 0 */
} adal_segment;

/* Evasion findings: tricks that hide copied text, with where they were. */
typedef enum adal_evasion {
    ADAL_EV_HIDDEN = 0,   /* run formatted hidden (w:vanish, text:display="none") */
    ADAL_EV_WHITE,        /* run coloured like its background */
    ADAL_EV_TINY,         /* run of ≤ 2 pt */
    ADAL_EV_NARROW,       /* run scaled to ≤ 10 % width */
    ADAL_EV_SPACED,       /* letter spacing that collapses or scatters the run */
    ADAL_EV_HOMOGLYPH,    /* word mixing Cyrillic with Latin/Greek look-alikes */
    ADAL_EV_INVISIBLE,    /* invisible code point (zero-width, soft hyphen, bidi control...) */
    ADAL_EV_ODD_SPACE,    /* non-ASCII space (NBSP, U+2000..., Braille blank...) */
    ADAL_EV_KAZAKH_LATIN, /* word in Kazakh Latin, transliterated (information, not a trick) */
    ADAL_EV__COUNT
} adal_evasion;

/* "hidden", "white", "tiny", ... */
const char *adal_evasion_name(adal_evasion kind);

typedef struct adal_finding {
    adal_evasion kind;
    uint32_t start, len; /* UTF-16 units in the document text; an invisible run sits at the
                            one space that replaced it (len 1) */
    adal_part part;
    uint32_t para;
    uint32_t count;      /* characters involved (hidden characters, invisible code points...) */
    const char *text;    /* UTF-8 excerpt of what was hidden or disguised, NUL-terminated,
                            at most ADAL_FINDING_EXCERPT bytes; never NULL */
} adal_finding;

#define ADAL_FINDING_EXCERPT 200

typedef struct adal_doc adal_doc;

typedef struct adal_load_opts {
    unsigned version;       /* ADAL_LOAD_OPTS_VERSION */
    const char *encoding;   /* force a text encoding (iconv name), NULL to detect */
    size_t max_file;        /* 0 = default cap (ADAL_MAX_FILE) */
} adal_load_opts;

#define ADAL_LOAD_OPTS_VERSION 1
#define ADAL_LOAD_OPTS_INIT {ADAL_LOAD_OPTS_VERSION, NULL, 0}
#define ADAL_MAX_FILE (256u << 20)

/* Read and extract a file. `name` is used in error messages only. On failure returns a
 * negative adal_err with the detail on ctx. opts may be NULL. */
int adal_doc_load(adal_doc **out, adal_ctx *ctx, const char *path, const adal_load_opts *opts);
int adal_doc_from_memory(adal_doc **out, adal_ctx *ctx, const void *data, size_t len,
                         const char *name, const adal_load_opts *opts);
/* A document made directly from UTF-8 text (one body segment per line). */
int adal_doc_from_text(adal_doc **out, adal_ctx *ctx, const char *utf8, size_t len,
                       const char *name);
void adal_doc_free(adal_doc *doc);

const char *adal_doc_name(const adal_doc *doc);
adal_format adal_doc_format(const adal_doc *doc);
/* The text encoding a TXT file was read in ("UTF-8", "CP1251", "RK1048", ...), else NULL. */
const char *adal_doc_encoding(const adal_doc *doc);
/* The extracted text, UTF-8, NUL-terminated. */
const char *adal_doc_text(const adal_doc *doc, size_t *len);
/* The same text in UTF-16: offsets index this array. */
const uint16_t *adal_doc_text16(const adal_doc *doc, size_t *len);
/* Byte offset in adal_doc_text() of a UTF-16 offset. */
size_t adal_doc_utf8_offset(const adal_doc *doc, uint32_t off16);
size_t adal_doc_nsegments(const adal_doc *doc);
const adal_segment *adal_doc_segment(const adal_doc *doc, size_t i);
size_t adal_doc_nfindings(const adal_doc *doc);
const adal_finding *adal_doc_finding(const adal_doc *doc, size_t i);

/* ---------------------------------------------------------------------------------------
 * Normalise: tokens of the document, folded for fingerprinting, with offsets back to the
 * student's own characters. Adds token-level findings (homoglyphs, invisible code points,
 * odd spaces, Kazakh Latin) to the document's findings.
 * ------------------------------------------------------------------------------------- */
enum {
    ADAL_TOK_MIXED = 1 << 0,   /* mixed scripts, folded to Cyrillic */
    ADAL_TOK_IGNORABLE = 1 << 1, /* contained invisible code points */
    ADAL_TOK_LATIN_KK = 1 << 2,  /* Kazakh Latin, transliterated */
    ADAL_TOK_NUMBER = 1 << 3,    /* digits only */
    ADAL_TOK_COUNTED = 1 << 4,   /* lies in a counted part */
};

typedef struct adal_token {
    uint32_t start, end; /* UTF-16 span in the document text */
    uint32_t seg;        /* index of its segment */
    uint32_t key;        /* offset of its fingerprint key in the key buffer */
    uint16_t keylen;     /* bytes of the key (UTF-8, folded and stemmed) */
    uint16_t flags;      /* ADAL_TOK_* */
    uint64_t hash;       /* XXH3-64 of the key, seeded with ADAL_FOLD_VERSION */
} adal_token;

/* Bumped whenever tokenising, folding, stemming or hashing changes: it changes hashes. */
#define ADAL_FOLD_VERSION 1

int adal_doc_normalize(adal_doc *doc, adal_ctx *ctx);
size_t adal_doc_ntokens(const adal_doc *doc);
const adal_token *adal_doc_tokens(const adal_doc *doc);
/* The fingerprint key of token i (UTF-8, not NUL-terminated). */
const char *adal_doc_token_key(const adal_doc *doc, size_t i, size_t *len);

/* Counts per evasion kind, and whether the document looks deliberately disguised
 * (judged by rate: a few innocent Latin `i` in Kazakh text are not a trick). */
typedef struct adal_evasion_summary {
    uint32_t count[ADAL_EV__COUNT]; /* findings per kind */
    uint32_t chars[ADAL_EV__COUNT]; /* characters involved per kind */
    uint32_t tokens;                /* tokens in the document */
    double homoglyph_rate;          /* mixed-script tokens per 1,000 tokens */
    int suspicious;                 /* non-zero: flag for the grader */
} adal_evasion_summary;

void adal_doc_evasion(const adal_doc *doc, adal_evasion_summary *out);

/* ---------------------------------------------------------------------------------------
 * Fingerprint: word k-grams (k = ADAL_K) hashed with XXH3-64 (fixed seed derived from
 * ADAL_FOLD_VERSION), robust winnowing with window ADAL_W (Schleimer et al. 2003): every
 * shared run of ADAL_K + ADAL_W - 1 = 8 tokens yields a shared fingerprint.
 * ------------------------------------------------------------------------------------- */
#define ADAL_K 5
#define ADAL_W 4

typedef struct adal_fp {
    uint64_t hash;
    uint32_t pos; /* index of the k-gram's first token */
} adal_fp;

/* Compute the fingerprints of a normalised document (normalises it first if needed). */
int adal_doc_fingerprint(adal_doc *doc, adal_ctx *ctx);
size_t adal_doc_nfps(const adal_doc *doc);
const adal_fp *adal_doc_fps(const adal_doc *doc);

/* ---------------------------------------------------------------------------------------
 * Policy: the university's rubric (DESIGN.md §2) as data, so it can be changed.
 * ------------------------------------------------------------------------------------- */
typedef struct adal_band {
    double min;           /* lowest originality (percent) of the band */
    const char *range;    /* grade band it unlocks, e.g. "90-100" */
    const char *label_kk; /* "өте жақсы" */
    const char *label_ru; /* "отлично" */
    const char *label_en; /* "excellent" */
} adal_band;

#define ADAL_MAX_BANDS 8

typedef struct adal_policy {
    unsigned nbands;              /* bands sorted by descending min; the last has min 0 */
    adal_band bands[ADAL_MAX_BANDS];
    double borderline_margin;     /* points either side of a cut-off (default 2) */
    int band_on_original;         /* 0: band from 100 - borrowed (cited text is not
                                     plagiarism, the default); 1: from originality */
} adal_policy;

/* The rubric of DESIGN.md §2: 80 / 70 / 60 / 40 / 0, margin 2, band on 100 - borrowed. */
void adal_policy_default(adal_policy *out);
/* Band index for a percentage; *borderline set when within the margin of a cut-off. */
unsigned adal_policy_band(const adal_policy *p, double percent, int *borderline);

/* The exam grade calculator (DESIGN.md §2): mean of criterion percentages, rounded half up,
 * mapped to the point-rating letter scale. */
typedef struct adal_grade {
    double mean;
    int rounded;
    const char *letter;  /* "A", "A-", ..., "F" */
    double gpa;          /* 4.0 ... 0 */
    const char *word_kk; /* "Өте жақсы", "Жақсы", "Қанағаттанарлық", "Қанағаттанарлықсыз" */
    const char *word_ru; /* "Отлично", "Хорошо", "Удовлетворительно", "Неудовлетворительно" */
    const char *word_en;
} adal_grade;

/* ADAL_EINVAL if n == 0 or a percentage is outside 0..100 (or not a number). */
int adal_grade_compute(adal_grade *out, const double *percents, size_t n);

/* ---------------------------------------------------------------------------------------
 * Match and score: one essay (the query) against sources → passages → originality %.
 * A report is built by adding candidate sources one by one (from an in-memory reference
 * set, a corpus store, or another submission) and then finishing it.
 * ------------------------------------------------------------------------------------- */
typedef struct adal_check_opts {
    unsigned version;           /* ADAL_CHECK_OPTS_VERSION */
    const adal_policy *policy;  /* NULL: adal_policy_default */
    const adal_doc *template_doc; /* text to exclude (assignment sheet...), or NULL; must be
                                     normalised (adal_doc_normalize) */
    int count_headers;          /* count headers/footers toward originality (default 0) */
    unsigned min_tokens;        /* shortest passage kept, default 8 */
    unsigned min_letters;       /* default 50 */
    unsigned max_sources;       /* candidates verified per query, default 50 */
    int no_paraphrase;          /* skip the paraphrase stage (its passages are shown, not
                                   counted: compare --all ranks pairs without them) */
} adal_check_opts;

#define ADAL_CHECK_OPTS_VERSION 1
#define ADAL_CHECK_OPTS_INIT {ADAL_CHECK_OPTS_VERSION, NULL, NULL, 0, 8, 50, 50, 0}

typedef struct adal_passage {
    uint32_t source;        /* index into the report's sources */
    uint32_t qstart, qend;  /* UTF-16 span in the query's text */
    uint32_t sstart, send;  /* UTF-16 span in the source's text */
    uint32_t qtok, qntok;   /* first token and token count in the query */
    uint32_t stok, sntok;   /* same in the source */
    double similarity;      /* matched tokens / passage tokens, 0..1 */
    int cited;              /* inside a quotation with a reference, or the bibliography */
    int kind;               /* ADAL_PASSAGE_EXACT or ADAL_PASSAGE_PARAPHRASE */
} adal_passage;

/* Passage kinds: EXACT is verified token by token (copied text, edited or not);
 * PARAPHRASE is a run of sentences saying the same in other words (tf-idf cosine and Dice
 * of their content words), evidence for a reader rather than a proof. */
enum { ADAL_PASSAGE_EXACT = 0, ADAL_PASSAGE_PARAPHRASE = 1 };

typedef struct adal_source_result {
    const char *id;        /* path or corpus id */
    const adal_doc *doc;   /* the source document (borrowed from whoever added it) */
    double percent;        /* share of the query's countable text this source covers */
    double percent_attributed; /* share after each character is attributed to one source */
    uint32_t npassages;
} adal_source_result;

typedef struct adal_score {
    double originality, borrowed, cited; /* percent of countable characters, sum to 100 */
    double excluded;       /* percent of the text excluded as template or common text */
    uint32_t countable;    /* letters and digits of visible counted text */
    uint32_t covered, cited_chars, excluded_chars;
    unsigned band;         /* index into the policy's bands */
    const adal_band *band_info;
    int borderline;
} adal_score;

typedef struct adal_report adal_report;

/* Start a report for `query` (normalised and fingerprinted as needed). The query and every
 * source added must outlive the report. opts may be NULL. */
int adal_report_new(adal_report **out, adal_ctx *ctx, adal_doc *query,
                    const adal_check_opts *opts);
/* Align the query against one source and keep its passages (none is fine). The source must
 * be normalised (its fingerprints are computed on the fly when it has none); ADAL_EINVAL
 * otherwise. Sources without any accepted passage are left out of the finished report. */
int adal_report_add_source(adal_report *r, adal_ctx *ctx, const adal_doc *src, const char *id);
/* Mark a span [start, end) of the query (UTF-16 units) as excluded (shared by a large part
 * of the cohort, say): its letters leave the countable text and `why` is reported in the
 * warnings. Such exclusions count as heuristic for the borderline flag. */
int adal_report_exclude(adal_report *r, uint32_t start, uint32_t end, const char *why);
/* The same for text shared by at least n of the m students of a course (a cohort template,
 * `adal batch`): the warning says so in those figures, and reports translate it. */
int adal_report_exclude_cohort(adal_report *r, uint32_t start, uint32_t end, unsigned n,
                               unsigned m);
/* Resolve overlaps, classify cited text, compute the score and sort the sources
 * (by percent, then id). */
int adal_report_finish(adal_report *r, adal_ctx *ctx);
void adal_report_free(adal_report *r);
/* The report takes ownership of doc (freed with the report), e.g. a source loaded from the
 * store for this report only; also on error. */
int adal_report_adopt(adal_report *r, adal_doc *doc);

const adal_doc *adal_report_query(const adal_report *r);
void adal_report_score(const adal_report *r, adal_score *out);
size_t adal_report_nsources(const adal_report *r);
const adal_source_result *adal_report_source(const adal_report *r, size_t i);
size_t adal_report_npassages(const adal_report *r); /* sorted by query start */
const adal_passage *adal_report_passage(const adal_report *r, size_t i);
/* Notes on the score's confidence: what was excluded and why, or that nothing was left to
 * score. Each is an English sentence (adal_report_warning) and the same facts as fields
 * (adal_report_warning_info), from which report writers word it in the reader's language. */
typedef enum adal_warning_code {
    ADAL_WARN_OTHER = 0,
    ADAL_WARN_NO_TEXT,           /* no countable text (letters or digits) left to score */
    ADAL_WARN_EXCLUDED_TEMPLATE, /* percent of the text matches the template */
    ADAL_WARN_EXCLUDED_COHORT,   /* percent shared by at least n of the m students */
    ADAL_WARN_EXCLUDED,          /* percent excluded for the reason `why` (adal_report_exclude) */
} adal_warning_code;
typedef struct adal_warning {
    adal_warning_code code;
    double percent;   /* EXCLUDED*: share of the countable text before exclusion, 0.1 steps */
    unsigned n, m;    /* EXCLUDED_COHORT */
    const char *why;  /* EXCLUDED: the reason as given; NULL otherwise */
    const char *text; /* the English sentence, as adal_report_warning gives it */
} adal_warning;
size_t adal_report_nwarnings(const adal_report *r);
const char *adal_report_warning(const adal_report *r, size_t i);
const adal_warning *adal_report_warning_info(const adal_report *r, size_t i);
/* The spans excluded from the countable text (template matches, adal_report_exclude), in
 * the order they were added; for report writers that show them in place. */
typedef struct adal_exclusion {
    uint32_t start, end; /* UTF-16 span in the query's text */
    int heuristic;       /* 1: adal_report_exclude (cohort-common...); 0: the template */
    const char *why;     /* the reason given, "template" for the template */
} adal_exclusion;
size_t adal_report_nexclusions(const adal_report *r);
int adal_report_exclusion(const adal_report *r, size_t i, adal_exclusion *out);

/* ---------------------------------------------------------------------------------------
 * Reference set: documents held in memory with an inverted fingerprint index, for
 * `check --against` and all-pairs comparison. After the last add it is read-only and may
 * be queried from several threads at once (one adal_ctx per thread).
 * ------------------------------------------------------------------------------------- */
typedef struct adal_refset adal_refset;

int adal_refset_new(adal_refset **out, adal_ctx *ctx);
void adal_refset_free(adal_refset *rs);
/* Add a document (fingerprinted as needed); the set takes ownership of doc, also on error. */
int adal_refset_add(adal_refset *rs, adal_ctx *ctx, adal_doc *doc, const char *id);
/* Whether adal_refset_add also indexes each document's content words, so that the
 * paraphrase stage can look for sources that share no fingerprint with the query (default
 * on). Only before the first add (ADAL_EINVAL after). All-pairs comparison, which skips the
 * paraphrase stage, turns it off: it costs ~15 % of the adds' time and ~10 % of memory. */
int adal_refset_index_words(adal_refset *rs, int on);
size_t adal_refset_count(const adal_refset *rs);
const adal_doc *adal_refset_doc(const adal_refset *rs, size_t i);
const char *adal_refset_id(const adal_refset *rs, size_t i);
/* Check query against the set: candidates are the documents sharing at least one
 * fingerprint that is not common (held by more than max(50, count / 10) documents of the
 * set), the opts->max_sources with most shared fingerprints (ties: lower index); then
 * adal_report_add_source for each (common fingerprints do not seed passages), then
 * adal_report_finish. Documents whose index is in
 * `skip` (n_skip of them, e.g. the query itself or the same student's other versions) are
 * not considered. */
int adal_refset_check(adal_report **out, adal_ctx *ctx, const adal_refset *rs, adal_doc *query,
                      const adal_check_opts *opts, const size_t *skip, size_t n_skip);
/* The middle of adal_refset_check: rank the set's documents against query (fingerprinted,
 * e.g. by adal_report_new) and add the best opts->max_sources to a report started with
 * adal_report_new, so one report can hold sources of several origins (a reference set and
 * a corpus store); finish it with adal_report_finish. */
int adal_refset_add_sources(adal_report *r, adal_ctx *ctx, const adal_refset *rs,
                            const adal_doc *query, const adal_check_opts *opts,
                            const size_t *skip, size_t n_skip);
/* Check the set's own document i against all the others (all-pairs, `compare --all`, the
 * batch's cross-check). Read-only like adal_refset_check: safe from several threads. The
 * report borrows the document from the set. */
int adal_refset_check_doc(adal_report **out, adal_ctx *ctx, const adal_refset *rs, size_t i,
                          const adal_check_opts *opts);

/* ---------------------------------------------------------------------------------------
 * Report writers (report_*.c): text, JSON, CSV, HTML from one report model.
 * ------------------------------------------------------------------------------------- */
/* One report model, several writers: text for a terminal, JSON (schema in docs/FORMATS.md,
 * `format_version` below), CSV (one row per essay, for a spreadsheet). An HTML writer adds
 * ADAL_OUT_HTML at the end of the enum and reads the same accessors. Output is deterministic:
 * no timestamps, fixed number formatting, sources in the report's order. Student text is
 * written safely everywhere: control characters (but \n and \t) and bidi controls become
 * a visible ‹U+XXXX› in text output and are escaped in JSON and CSV, so nothing a student
 * wrote can reorder, hide or inject output (or start a spreadsheet formula). */
#define ADAL_REPORT_FORMAT_VERSION 1

typedef enum adal_output {
    ADAL_OUT_TEXT = 0, /* readable in a terminal */
    ADAL_OUT_JSON,     /* one object per essay on one line (JSON Lines) */
    ADAL_OUT_CSV,      /* RFC 4180 rows: adal_report_write_header() first */
    ADAL_OUT_HTML,     /* one self-contained HTML page per essay (docs/FORMATS.md) */
} adal_output;

typedef enum adal_lang {
    ADAL_LANG_EN = 0,
    ADAL_LANG_KK,
    ADAL_LANG_RU,
} adal_lang;

typedef struct adal_write_opts {
    unsigned version;             /* ADAL_WRITE_OPTS_VERSION */
    adal_lang lang;               /* labels of the text output (JSON keys never change) */
    char csv_sep;                 /* CSV separator: ',' (default) or ';' for spreadsheets in
                                     locales with a decimal comma */
    int snippets;                 /* include the matched text of both sides (default 1) */
    unsigned width;               /* text output: terminal columns for the side-by-side view,
                                     40..400 (default 100) */
    unsigned max_snippet;         /* text output: characters quoted per side and passage,
                                     0 = whole passage (default 400) */
    const adal_policy *policy;    /* the policy the report was checked with, to name the band
                                     metric and its rubric row; NULL = adal_policy_default */
    const char *file;             /* name to print for the essay; NULL = adal_doc_name() */
    int csv_bom;                  /* CSV: start with a UTF-8 byte-order mark (for Excel) */
    const char *student;          /* HTML: the student's name; NULL = the file's folder */
} adal_write_opts;

#define ADAL_WRITE_OPTS_VERSION 1
#define ADAL_WRITE_OPTS_INIT                                                                   \
    {ADAL_WRITE_OPTS_VERSION, ADAL_LANG_EN, ',', 1, 100, 400, NULL, NULL, 0, NULL}

/* Write one finished report in the given format to f. opts may be NULL. Returns ADAL_OK,
 * ADAL_EINVAL (unknown format, unfinished report), ADAL_ENOMEM or ADAL_EIO (write error). */
int adal_report_write(const adal_report *r, adal_ctx *ctx, adal_output fmt, FILE *f,
                      const adal_write_opts *opts);
/* What goes before the first record: the CSV header line; nothing for text and JSON. */
int adal_report_write_header(adal_ctx *ctx, adal_output fmt, FILE *f,
                             const adal_write_opts *opts);
/* A record for a file that could not be checked, so a batch's output lists every file:
 * a CSV row with the `error` column set, a JSON object with `error`, nothing for text (the
 * error goes to stderr there). err is the adal_err, msg its one-line detail. */
int adal_report_write_error(adal_ctx *ctx, adal_output fmt, FILE *f, const char *file, int err,
                            const char *msg, const adal_write_opts *opts);
/* Write UTF-8 text for a terminal: control characters (but \n and \t), C1 controls and
 * bidi controls (U+061C, U+200E/F, U+202A–E, U+2066–9) are shown as ‹U+XXXX›, invalid
 * UTF-8 as U+FFFD. Returns ADAL_OK or ADAL_EIO. */
int adal_write_safe(FILE *f, const char *s, size_t n);
/* One CSV cell, RFC 4180: quoted when it holds the separator, a quote, CR or LF (quotes
 * doubled); a cell that starts with = + - @ (or tab/CR) gets a leading ' so a spreadsheet
 * does not run it as a formula (OWASP CSV injection). Other controls and bidi controls are
 * shown as ‹U+XXXX› and invalid UTF-8 as U+FFFD, as in adal_write_safe(). Returns ADAL_OK
 * or ADAL_EIO. */
int adal_write_csv_cell(FILE *f, const char *s, size_t n, char sep);
/* Text for HTML: & < > " ' escaped; controls and bidi controls shown as a visible
 * ‹U+XXXX›, zero-width characters as a small mark (<span class="zw" title="U+XXXX">, drawn
 * by the report's style sheet); invalid UTF-8 as U+FFFD. Safe in element text and quoted
 * attribute values. Returns ADAL_OK or ADAL_EIO. */
int adal_write_html(FILE *f, const char *s, size_t n);

/* Language for labels from the environment: $ADAL_LANG (en, kk, ru), else the first of
 * LC_ALL, LC_MESSAGES, LANG that is set (kk*, ru*, en*), else Kazakh. */
adal_lang adal_lang_default(void);
/* A label in the given language (English msgid in, translation out; the msgid itself when
 * there is no translation). Tables compiled from po/kk.po and po/ru.po. */
const char *adal_tr(adal_lang lang, const char *msgid);

/* Batch views (batch_views.c): read OUT/summary.json (the contract of `adal batch`,
 * docs/FORMATS.md) and write OUT/index.html (every report linked, sortable, filtered by band,
 * collusion clusters, failed files) and rewrite OUT/summary.csv for Excel (opts->csv_sep,
 * opts NULL: ';' with a BOM; else opts->csv_sep and opts->csv_bom as given). Returns ADAL_OK or an adal_err with
 * the detail on ctx. */
int adal_batch_views_write(adal_ctx *ctx, const char *out_dir, const adal_write_opts *opts);

/* ---------------------------------------------------------------------------------------
 * Corpus store (store_*.c): the persistent reference corpus.
 * ------------------------------------------------------------------------------------- */
/* The store is one SQLite file (WAL, every change in one transaction): documents with their
 * extracted text (compressed) and segments, fingerprints, and document frequencies. A store
 * records the fold-table and fingerprint versions it was built with; opening it with another
 * build gives ADAL_EVERSION (run `adal corpus reindex`), never silently mixed fingerprints.
 * One handle per thread; several processes may use one file at once (readers never block;
 * a writer waits up to the busy timeout, then ADAL_EBUSY). The interface is small so that a
 * PostgreSQL backend can implement it later. */
typedef struct adal_store adal_store;

typedef enum adal_store_kind {
    ADAL_KIND_SOURCE = 0,     /* literature, web pages, anything a student may copy from */
    ADAL_KIND_SUBMISSION = 1, /* a student's essay (earlier years, earlier batches) */
} adal_store_kind;

#define ADAL_STORE_READONLY 1u /* checks only: no schema creation, no writes */
#define ADAL_STORE_CREATE   2u /* create the file when it does not exist */
#define ADAL_STORE_REINDEX  4u /* open a store of another version (for adal_store_reindex) */

typedef struct adal_store_entry {
    int64_t id;
    adal_store_kind kind;
    const char *name;     /* file name as added (no directory) */
    const char *label;    /* free text (`corpus add --label`), "" if none */
    const char *student;  /* submissions: the student, "" if unknown */
    const char *hash;     /* content hash of the normalised text, 32 hex digits */
    uint32_t nchars;      /* UTF-16 units of extracted text */
    uint32_t nfps;        /* fingerprints */
    int64_t added;        /* seconds since the epoch */
} adal_store_entry;

typedef struct adal_store_stats {
    uint64_t ndocs, nsources, nsubmissions;
    uint64_t nfps;            /* fingerprint postings */
    uint64_t bytes_on_disk;   /* the database file and its WAL */
} adal_store_stats;

/* path NULL: $ADAL_DB, else ./adal.db. */
int adal_store_open(adal_store **out, adal_ctx *ctx, const char *path, unsigned flags);
void adal_store_close(adal_store *s);
/* Add a normalised document (fingerprinted here when needed). Same content hash already
 * stored: nothing changes, *added = 0 and *id is the stored one. */
int adal_store_add(adal_store *s, adal_ctx *ctx, adal_doc *doc, adal_store_kind kind,
                   const char *label, const char *student, int64_t *id, int *added);
/* Group many changes in one transaction (bulk loading, a batch's adds): adal_store_add and
 * adal_store_remove then join it instead of committing each; reads on this handle see the
 * changes, other handles see them at commit. A failed change is undone alone (the
 * transaction stays open), unless the store itself failed (ADAL_EIO: disk full, I/O;
 * ADAL_ESTORE: read-only, damaged; ADAL_EBUSY): then the whole transaction is undone and
 * later changes fail until the next begin. Close without commit = rollback. */
int adal_store_begin(adal_store *s, adal_ctx *ctx);
int adal_store_commit(adal_store *s, adal_ctx *ctx);
void adal_store_rollback(adal_store *s);
/* ADAL_EINVAL when no such id. */
int adal_store_remove(adal_store *s, adal_ctx *ctx, int64_t id);
/* Calls fn for every entry in id order (strings valid during the call); a nonzero return
 * from fn stops and is returned. */
int adal_store_list(adal_store *s, adal_ctx *ctx,
                    int (*fn)(const adal_store_entry *e, void *arg), void *arg);
int adal_store_find(adal_store *s, adal_ctx *ctx, const char *hash, int64_t *id); /* 0 or 1 */
int adal_store_stats_get(adal_store *s, adal_ctx *ctx, adal_store_stats *out);
/* The at most `max` stored documents sharing the most non-common fingerprints with the
 * query (ties: lower id), skipping those for which skip(e, arg) is nonzero (the student's
 * own earlier versions, the query itself). ids has room for max. */
int adal_store_candidates(adal_store *s, adal_ctx *ctx, adal_doc *query, size_t max,
                          int (*skip)(const adal_store_entry *e, void *arg), void *arg,
                          int64_t *ids, size_t *n);
/* A stored document, normalised and fingerprinted, ready for adal_report_add_source (same
 * tokens and offsets as when it was added). Its name is "corpus:<id>:<name>". */
int adal_store_load(adal_store *s, adal_ctx *ctx, int64_t id, adal_doc **out);
/* candidates + load + adal_report_add_source + adal_report_finish; the report owns the
 * loaded documents. skip as above (NULL: skip nothing). */
int adal_store_check(adal_report **out, adal_store *s, adal_ctx *ctx, adal_doc *query,
                     const adal_check_opts *opts,
                     int (*skip)(const adal_store_entry *e, void *arg), void *arg);
/* The middle of adal_store_check: candidates + load + adal_report_add_source into a report
 * started with adal_report_new (which fingerprints the query); the report owns the loaded
 * documents. max 0: 50. Finish with adal_report_finish. */
int adal_store_add_sources(adal_report *r, adal_store *s, adal_ctx *ctx, adal_doc *query,
                           size_t max, int (*skip)(const adal_store_entry *e, void *arg),
                           void *arg);
/* The content hash the store keys documents by (32 hex digits and a NUL): XXH3-128 of the
 * normalised token keys, so the same essay re-saved, re-formatted or converted between
 * DOCX, ODT and TXT has the same hash. Normalises doc when needed. */
int adal_store_doc_hash(adal_doc *doc, adal_ctx *ctx, char hash[33]);
/* Re-normalise and re-fingerprint every stored text with this build's versions. */
int adal_store_reindex(adal_store *s, adal_ctx *ctx,
                       void (*progress)(size_t done, size_t total, void *arg), void *arg);
/* PRAGMA integrity_check: ADAL_OK or ADAL_ESTORE with the first problem in adal_errmsg. */
int adal_store_verify(adal_store *s, adal_ctx *ctx);

/* ---------------------------------------------------------------------------------------
 * Batch (batch.c): a whole course folder.
 * ------------------------------------------------------------------------------------- */
/* adal_batch_run walks a course folder, keeps each student's newest submission, loads them
 * on several threads, checks each against the others (an in-memory reference set) and the
 * corpus store in one report, suppresses text shared by a large part of the cohort, groups
 * students sharing passages into collusion clusters, and writes under out_dir:
 * reports/<student>/<file>.json, summary.json, summary.csv (docs/FORMATS.md) and the state
 * of the incremental rerun (.adal-batch-state.json). Every file is written under a temporary
 * name and renamed, so a kill at any moment leaves the previous or the new version. */

/* A submission's status in the summary. */
typedef enum adal_batch_status {
    ADAL_BATCH_CHECKED = 0,  /* checked in this run */
    ADAL_BATCH_UNCHANGED,    /* same content and candidates as the last run: report kept */
    ADAL_BATCH_FAILED,       /* could not be read (error in the summary) */
    ADAL_BATCH_SUPERSEDED,   /* an older version of the student's work: not checked */
} adal_batch_status;

/* "checked", "unchanged", "failed", "superseded" */
const char *adal_batch_status_name(adal_batch_status st);

typedef struct adal_batch_progress {
    const char *stage;       /* "load" (reading the files) or "check" */
    size_t done, total;      /* files finished / to do in this stage */
    const char *file;        /* the one just finished, relative to the course */
    adal_batch_status status;
    int err;                 /* its adal_err when failed */
    const char *msg;         /* its error detail when failed */
} adal_batch_progress;

/* Default share and count of students above which shared text is cohort template. */
#define ADAL_BATCH_COMMON_SHARE 0.30
#define ADAL_BATCH_COMMON_MIN 3
/* Two students are linked into a collusion cluster when the text of one found in the
 * other's submission is at least this share (percent) of the first one's countable text. */
#define ADAL_BATCH_CLUSTER_PERCENT 10.0

typedef struct adal_batch_opts {
    unsigned version;              /* ADAL_BATCH_OPTS_VERSION */
    const char *out_dir;           /* required; created when missing */
    const char *db_path;           /* corpus store, or NULL for none */
    unsigned jobs;                 /* threads; 0 = online CPUs */
    const char *template_path;     /* assignment text to exclude, or NULL */
    const char *student_pattern;   /* POSIX extended regex with one group over the file's
                                      base name, or NULL: first sub-folder of the course */
    const char *const *against;    /* extra reference files (not checked), or NULL */
    size_t nagainst;
    int force;                     /* re-check everything */
    int no_add;                    /* do not add the submissions to the store */
    double common_share;           /* 0 = ADAL_BATCH_COMMON_SHARE; > 1 disables */
    unsigned common_min;           /* 0 = ADAL_BATCH_COMMON_MIN */
    double min_value;              /* band figure below which a submission counts in
                                      result.below (the CLI's --min-originality) */
    const adal_policy *policy;     /* NULL = adal_policy_default */
    const adal_load_opts *load;    /* NULL = defaults */
    /* called under a lock from the worker threads after each submission */
    void (*progress)(const adal_batch_progress *p, void *arg);
    void *progress_arg;
    /* the grader's views: lang of the HTML reports and index.html, csv_sep and csv_bom of
     * the Excel summary.csv; NULL = adal_lang_default(), ';' with a BOM */
    const adal_write_opts *views;
} adal_batch_opts;

#define ADAL_BATCH_OPTS_VERSION 1
#define ADAL_BATCH_OPTS_INIT                                                                   \
    {ADAL_BATCH_OPTS_VERSION, NULL, NULL, 0, NULL, NULL, NULL, 0, 0, 0, 0, 0, 60.0, NULL, NULL, \
     NULL, NULL, NULL}

typedef struct adal_batch_result {
    size_t submissions;   /* files found (all versions) */
    size_t checked, unchanged, failed, superseded;
    size_t below;         /* checked or unchanged with the band figure below min_value */
    size_t clusters;
    size_t common_fps;    /* fingerprints found to be cohort template */
    double excluded_percent_mean; /* over checked and unchanged submissions */
    int store_errors;     /* submissions the store could not take (run still complete) */
} adal_batch_result;

/* Run the batch. ADAL_OK when the run completed (bad files are listed in the summary and
 * counted in res->failed); a negative adal_err when it could not (course not readable,
 * output not writable, store unusable), with the detail on ctx: "FILE: message" where a
 * file is at fault (the course folder, a file in it, an output file, the store's path). */
int adal_batch_run(adal_ctx *ctx, const char *course, const adal_batch_opts *opts,
                   adal_batch_result *res);

/* The name a student or file gets as a path component of the output: '/', '\\', control
 * characters and a leading '.' replaced by '_' (empty → "_"). Caller frees with free(). */
char *adal_batch_safe_name(const char *s);

#ifdef __cplusplus
}
#endif
#endif /* ADAL_H */
