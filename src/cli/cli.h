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

#endif
