/* tok_helper.h — TEST-ONLY tokeniser for the engine tests (fp, match, score) while they must
 * not depend on the real normaliser: tokens are maximal runs of letters/digits (ICU
 * u_isalnum), lower-cased, hashed with XXH3-64 seeded with ADAL_FOLD_VERSION. */
#ifndef ADAL_TOK_HELPER_H
#define ADAL_TOK_HELPER_H

#include "internal.h"

/* Fill doc->toks and doc->keys; marks the document normalised. 0 or ADAL_ENOMEM. */
int th_tokenize(adal_doc *doc);
/* A document from UTF-8 text (one body paragraph per line), tokenised by th_tokenize and
 * fingerprinted. NULL on failure. */
adal_doc *th_doc(const char *utf8);
/* Token index whose start is at UTF-16 offset `off`, or -1. */
long th_tok_at(const adal_doc *doc, uint32_t off);
/* UTF-16 offset of the first occurrence of UTF-8 `needle` in the document text, or -1. */
long th_find16(const adal_doc *doc, const char *needle);

#endif
