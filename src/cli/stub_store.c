/* stub_store.c — TEMPORARY: corpus/batch until their files land. */
#include "cli.h"
static int later(const char *what) { cli_error(NULL, "'%s' is not available in this build yet", what); return EXIT_ERROR; }
int cmd_corpus(int argc, char **argv) { (void)argc; (void)argv; return later("corpus"); }
