/* cli.h — shared pieces of the `adal` program: the subcommands, exit statuses, error output
 * (`adal: FILE: message` on stderr) and terminal-safe printing of student text. The program
 * uses only the public header adal.h, never the library's internals (zstd's lib/programs split).
 */
#ifndef ADAL_CLI_H
#define ADAL_CLI_H

#include "adal.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses (documented in docs/adal.1): grep/diff convention. */
enum { EXIT_CHECKED_OK = 0, EXIT_BELOW = 1, EXIT_ERROR = 2 };

int cmd_extract(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_grade(int argc, char **argv);
int cmd_corpus(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_summary(int argc, char **argv);

/* `adal: FILE: message` (FILE omitted when NULL). */
void cli_error(const char *file, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Print student text to a terminal or pipe: control characters (but \n and \t) and bidi
 * controls are shown as ‹U+XXXX› so nothing the student wrote can reorder or hide output. */
void cli_put_safe(FILE *f, const char *s, size_t n);
/* Whether `s` equals one of the option spellings, e.g. opt_is(a, "-o", "--output"). */
bool opt_is(const char *s, const char *shrt, const char *lng);
/* `--name=value` or `--name value`: returns the value or NULL; advances *i. */
const char *opt_value(int argc, char **argv, int *i, const char *lng);

/* ---- input files (files.c), shared by check, compare and batch */
typedef struct cli_files {
    char **v; /* owned paths, sorted by strcmp (byte order) after cli_files_sort */
    size_t n, cap;
} cli_files;

void cli_files_free(cli_files *fl);
/* Add PATH: a file as is; a folder recursively, keeping the files that look like documents
 * by their first bytes (ZIP, OLE2, PDF, RTF, or text without NUL bytes: DOCX/DOCM/DOTX/ODT/
 * TXT, and the formats adal rejects with a clear message). Hidden entries (".name") and
 * symbolic links to folders are not followed. Returns 0, or -1 after printing the error. */
int cli_files_add(cli_files *fl, const char *path);
/* Sort and drop duplicates. */
void cli_files_sort(cli_files *fl);

/* Load, normalise and fingerprint files[0..n) on `jobs` threads (one adal_ctx each).
 * docs[i] is the document or NULL; then errs[i] holds the adal_err and msgs[i] the
 * one-line detail (owned, free()). fingerprint = 0: load and normalise only. */
typedef struct cli_loaded {
    adal_doc **docs;
    int *errs;
    char **msgs;
    size_t n;
} cli_loaded;

int cli_load_all(cli_loaded *out, char *const *files, size_t n, unsigned jobs,
                 const adal_load_opts *opts, bool fingerprint);
void cli_loaded_free(cli_loaded *l); /* frees the documents still held */
/* --format and --lang values (cmd_check.c); false after printing the error. */
bool cli_parse_output(const char *v, adal_output *fmt, bool csv_ok);
bool cli_parse_lang(const char *v, adal_lang *lang);
/* --csv-sep: , ; | or tab. */
bool cli_parse_sep(const char *v, char *sep);
bool cli_parse_width(const char *v, unsigned *out);
/* Whether `a` is one of the value-taking options `names` (NULL-terminated) given last
 * without its value (opt_value has then printed the error). */
bool cli_opt_missing(const char *a, const char *const *names);
/* check --db (check_db.c): open the store read-only (0, or -1 after printing the error);
 * add its best candidates for query to a started report, skipping a stored copy of the
 * query itself. */
int cli_db_open(adal_store **s, adal_ctx *ctx, const char *path);
int cli_db_add_sources(adal_report *r, adal_store *s, adal_ctx *ctx, adal_doc *query,
                       const adal_check_opts *co);
/* Online cores (at least 1). */
unsigned cli_ncpu(void);
/* Parse --jobs N (1..1024). */
bool cli_parse_jobs(const char *s, unsigned *out);

#endif
