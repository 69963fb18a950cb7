/* fz_report.c — tests/fuzz/fuzz_report.c compiled into the unit tests under another name, so
 * test_fuzz_regress.c replays every kept crashing input through the very same code. */
#define LLVMFuzzerTestOneInput adal_fz_report
#include "../fuzz/fuzz_report.c"
