/* stub_store.c — TEMPORARY: `adal batch` until batch.c lands (the corpus is cmd_corpus.c). */
#include "cli.h"
static int later(const char *what) { cli_error(NULL, "'%s' is not available in this build yet", what); return EXIT_ERROR; }
int cmd_batch(int argc, char **argv) { (void)argc; (void)argv; return later("batch"); }
