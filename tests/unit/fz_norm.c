/* fz_norm.c — tests/fuzz/fuzz_norm.c compiled into the unit tests under another name, so
 * test_fuzz_regress.c replays every kept crashing input through the very same code. */
#define LLVMFuzzerTestOneInput adal_fz_norm
#include "../fuzz/fuzz_norm.c"
