/* fz_check.c — tests/fuzz/fuzz_check.c compiled into the unit tests under another name, so
 * test_fuzz_regress.c replays every kept crashing input through the very same code. */
#define LLVMFuzzerTestOneInput adal_fz_check
#include "../fuzz/fuzz_check.c"
