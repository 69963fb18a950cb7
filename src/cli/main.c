/* main.c — the `adal` program: dispatch to a subcommand. See docs/adal.1 for the contract. */
#include "cli.h"

#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage: adal COMMAND [OPTIONS] ...\n"
          "\n"
          "commands:\n"
          "  check FILE... [--against PATH]... [--db FILE]   originality of essays\n"
          "  compare A B | compare --all DIR                 passages shared by files\n"
          "  extract FILE [--tokens] [--format text|json]    extracted text, tokens, evasion\n"
          "  corpus add|remove|list|stats                    the reference corpus store\n"
          "  batch COURSE_DIR                                check a whole course folder\n"
          "  grade PERCENT...                                the exam grade calculator\n"
          "  summary OUT_DIR [--lang L] [--csv-sep C]        index.html and summary.csv of a batch\n"
          "\n"
          "exit status: 0 checked and all at or above the threshold, 1 something below it,\n"
          "2 error. `adal COMMAND --help` and `man adal` tell more.\n",
          f);
}

void cli_error(const char *file, const char *fmt, ...)
{
    va_list ap;
    fputs("adal: ", stderr);
    if (file)
        fprintf(stderr, "%s: ", file);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_put_safe(FILE *f, const char *s, size_t n)
{
    /* one implementation for the program and the report writers (report.c) */
    (void)adal_write_safe(f, s, n);
}

bool opt_is(const char *s, const char *shrt, const char *lng)
{
    return (shrt && strcmp(s, shrt) == 0) || (lng && strcmp(s, lng) == 0);
}

const char *opt_value(int argc, char **argv, int *i, const char *lng)
{
    size_t n = strlen(lng);
    const char *a = argv[*i];
    if (strncmp(a, lng, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] == '\0') {
        if (*i + 1 >= argc) {
            cli_error(NULL, "%s needs a value", lng);
            return NULL;
        }
        return argv[++*i];
    }
    return NULL;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    if (argc < 2) {
        usage(stderr);
        return EXIT_ERROR;
    }
    const char *cmd = argv[1];
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        {"check", cmd_check},   {"compare", cmd_compare}, {"extract", cmd_extract},
        {"corpus", cmd_corpus}, {"batch", cmd_batch},     {"grade", cmd_grade},
        {"summary", cmd_summary},
    };
    if (opt_is(cmd, "-h", "--help") || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (opt_is(cmd, "-V", "--version")) {
        printf("adal %s (fold version %d)\n", ADAL_VERSION, ADAL_FOLD_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(cmd, cmds[i].name) == 0)
            return cmds[i].fn(argc - 1, argv + 1);
    cli_error(NULL, "unknown command '%s'", cmd);
    usage(stderr);
    return EXIT_ERROR;
}
