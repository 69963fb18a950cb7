/* fz_docx_xml.c — tests/fuzz/fuzz_docx_xml.c compiled into the unit tests under another name, so
 * test_fuzz_regress.c replays every kept crashing input through the very same code. */
#define LLVMFuzzerTestOneInput adal_fz_docx_xml
#include "../fuzz/fuzz_docx_xml.c"
