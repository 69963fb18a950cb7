/* stub_cli.c — TEMPORARY: check/compare/grade until their files land. */
#include "cli.h"
static int later(const char *what) { cli_error(NULL, "'%s' is not available in this build yet", what); return EXIT_ERROR; }
int cmd_check(int argc, char **argv) { (void)argc; (void)argv; return later("check"); }
int cmd_compare(int argc, char **argv) { (void)argc; (void)argv; return later("compare"); }
int cmd_grade(int argc, char **argv) { (void)argc; (void)argv; return later("grade"); }
