/* tok_helper.c — TEST-ONLY tokeniser (see tok_helper.h): lets the engine tests build
 * tokenised documents without the ICU normaliser. Not linked into the library. */
#include "tok_helper.h"

#include <string.h>
#include <unicode/uchar.h>
#include <xxhash.h>

int th_tokenize(adal_doc *doc)
{
    const uint16_t *t = doc->text16;
    size_t n = doc->text16_len, seg = 0;
    doc->ntoks = 0;
    doc->keys.len = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c = t[i];
        size_t w = 1;
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < n) {
            c = 0x10000 + ((c - 0xD800) << 10) + (t[i + 1] - 0xDC00);
            w = 2;
        }
        if (!u_isalnum((UChar32)c)) {
            i += w;
            continue;
        }
        size_t s = i;
        size_t key = doc->keys.len;
        while (i < n) {
            c = t[i];
            w = 1;
            if (c >= 0xD800 && c < 0xDC00 && i + 1 < n) {
                c = 0x10000 + ((c - 0xD800) << 10) + (t[i + 1] - 0xDC00);
                w = 2;
            }
            if (!u_isalnum((UChar32)c))
                break;
            char enc[4];
            size_t k = adal__utf8_put(enc, (uint32_t)u_tolower((UChar32)c));
            if (adal__buf_add(&doc->keys, enc, k))
                return ADAL_ENOMEM;
            i += w;
        }
        while (seg + 1 < doc->nsegs && doc->segs[seg + 1].start <= s)
            seg++;
        if (adal__grow((void **)&doc->toks, &doc->toks_cap, doc->ntoks + 1, sizeof *doc->toks))
            return ADAL_ENOMEM;
        adal_token *tk = &doc->toks[doc->ntoks++];
        memset(tk, 0, sizeof *tk);
        tk->start = (uint32_t)s;
        tk->end = (uint32_t)i;
        tk->seg = (uint32_t)seg;
        tk->key = (uint32_t)key;
        tk->keylen = (uint16_t)(doc->keys.len - key);
        if (doc->nsegs && adal_part_counted(doc->segs[seg].part))
            tk->flags |= ADAL_TOK_COUNTED;
        tk->hash = XXH3_64bits_withSeed(doc->keys.data + key, tk->keylen, ADAL_FOLD_VERSION);
    }
    doc->normalized = true;
    return ADAL_OK;
}

adal_doc *th_doc(const char *utf8)
{
    adal_doc *d = NULL;
    if (adal_doc_from_text(&d, NULL, utf8, strlen(utf8), "t") != ADAL_OK)
        return NULL;
    if (th_tokenize(d) != ADAL_OK || adal_doc_fingerprint(d, NULL) != ADAL_OK) {
        adal_doc_free(d);
        return NULL;
    }
    return d;
}

long th_tok_at(const adal_doc *doc, uint32_t off)
{
    for (size_t i = 0; i < doc->ntoks; i++)
        if (doc->toks[i].start == off)
            return (long)i;
    return -1;
}

long th_find16(const adal_doc *doc, const char *needle)
{
    const char *p = strstr(doc->text, needle);
    if (!p)
        return -1;
    size_t b = (size_t)(p - doc->text);
    for (size_t i = 0; i <= doc->text16_len; i++)
        if (doc->off8[i] == b)
            return (long)i;
    return -1;
}
