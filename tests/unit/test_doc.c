/* test_doc.c — the document object and builder: UTF-16 offsets, segments, invisible runs. */
#include "../harness.h"
#include "internal.h"

#include <stdlib.h>

TEST(doc_builder_offsets)
{
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    adal__builder b;
    CHECK_EQ_INT(adal__builder_init(&b, ctx, "t", ADAL_FMT_DOCX), ADAL_OK);
    CHECK_EQ_INT(adal__b_begin_para(&b, ADAL_PART_BODY), ADAL_OK);
    CHECK_EQ_INT(adal__b_text(&b, "Қазақ", strlen("Қазақ")), ADAL_OK);
    CHECK_EQ_INT(adal__b_invisible(&b, ADAL_EV_WHITE, "ж", strlen("ж")), ADAL_OK);
    CHECK_EQ_INT(adal__b_text(&b, "тілі \xF0\x9F\x98\x80!", strlen("тілі \xF0\x9F\x98\x80!")), ADAL_OK);
    CHECK_EQ_INT(adal__b_end_para(&b), ADAL_OK);
    CHECK_EQ_INT(adal__b_begin_para(&b, ADAL_PART_FOOTNOTE), ADAL_OK);
    CHECK_EQ_INT(adal__b_text(&b, "ескерту", strlen("ескерту")), ADAL_OK);
    adal_doc *doc = NULL;
    CHECK_EQ_INT(adal__b_finish(&b, &doc), ADAL_OK);
    adal__builder_free(&b);
    if (!doc)
        return;
    size_t n16;
    const uint16_t *t16 = adal_doc_text16(doc, &n16);
    /* "Қазақ" 5 + space 1 + "тілі " 5 + surrogate pair 2 + "!" + "\n" = 15, + "ескерту\n" 8 */
    CHECK_EQ_INT(n16, 23);
    CHECK_EQ_INT(t16[0], 0x049A);
    CHECK_EQ_INT(adal_doc_nsegments(doc), 2);
    CHECK_EQ_INT(adal_doc_segment(doc, 1)->start, 15);
    CHECK_EQ_INT(adal_doc_segment(doc, 1)->part, ADAL_PART_FOOTNOTE);
    CHECK_EQ_INT(adal_doc_nfindings(doc), 1);
    CHECK_EQ_INT(adal_doc_finding(doc, 0)->start, 5);
    CHECK_EQ_STR(adal_doc_finding(doc, 0)->text, "ж");
    CHECK_EQ_INT(adal_doc_utf8_offset(doc, 15), strlen("Қазақ тілі \xF0\x9F\x98\x80!\n"));
    adal_doc_free(doc);
    adal_ctx_free(ctx);
}

TEST(doc_empty_is_error)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    adal_doc *doc = NULL;
    CHECK_EQ_INT(adal_doc_from_text(&doc, ctx, " ... \n\t ", 8, "e"), ADAL_EEMPTY);
    CHECK(doc == NULL);
    adal_ctx_free(ctx);
}

TEST(doc_alloc_failures_are_clean)
{
    /* every allocation of a small document build fails once in turn: a clean error, no leak */
    for (long k = 1; k < 60; k++) {
        adal_ctx *ctx = NULL;
        if (adal_ctx_new(&ctx) != ADAL_OK)
            continue;
        adal__fail_alloc_after(k, false);
        adal_doc *doc = NULL;
        int rc = adal_doc_from_text(&doc, ctx, "бір\nекі үш\n", strlen("бір\nекі үш\n"), "f");
        long failures = adal__alloc_failures();
        adal__fail_alloc_after(0, false);
        CHECK(rc == ADAL_OK || rc == ADAL_ENOMEM);
        CHECK((rc == ADAL_OK) == (doc != NULL));
        if (failures == 0)
            CHECK_EQ_INT(rc, ADAL_OK);
        adal_doc_free(doc);
        adal_ctx_free(ctx);
    }
}

/* adal__b_text appends a chunk as it is only when a one-pass check (eight bytes at a time
 * over ASCII and over two-byte letters) finds it valid UTF-8 without NUL or CR; anything
 * else is repaired code point by code point. Chunks with the flaw at every place the fast
 * check could miss it — a CR or NUL inside an eight-byte ASCII block, an overlong C0/C1
 * lead, a stray continuation byte or a truncated letter among four two-byte letters, a
 * lead byte before ASCII — come out exactly as the careful path makes them. */
static char *repaired(const char *s, size_t n)
{
    char *out = malloc(n * 3 + 1);
    size_t i = 0, k = 0;
    while (i < n) {
        uint32_t cp = adal__utf8_next(s, n, &i);
        if (cp == 0)
            continue;
        if (cp == '\r') {
            if (i < n && s[i] == '\n')
                continue;
            cp = '\n';
        }
        k += adal__utf8_put(out + k, cp);
    }
    out[k] = '\0';
    return out;
}

TEST(doc_builder_text_fast_check)
{
    static const struct {
        const char *s;
        size_t n;
    } chunks[] = {
#define C(lit) {lit, sizeof lit - 1}
        C("abcdefgh\rijklmnop"),
        C("abcdefghijk\0mnopqrst"),
        C("abcdefgh\r\nijklmnop"),
        C("\xD0\xB0\xD0\xB1\xC0\x80\xD0\xB3\xD0\xB4\xD0\xB5"),
        C("\xD0\xB0\xD0\xB1\xC1\xBF\xD0\xB3\xD0\xB4"),
        C("\xD0\xB0\xD0\xB1\xD0\xB2\xD0\xB3\x80\xD0\xB4"),
        C("\xD0\xB0\xD0\xB1\xD0\xB2\xD0\xB3\xD0"),
        C("\xD0\xB0\xD0\xB1\xD0\xB2\xD0"
          "A\xD0\xB3"),
        C("\xD0\xB0\xD0\xB1\xD0\xB2\xB3\xD0\xB3\xD0\xB4"),
        C("\xEF\xBF\xBD\xD0\xB0\xD0\xB1\xD0\xB2\xD0\xB3\xD0\xB4"),
        C("\xED\xA0\x80\xD0\xB0\xD0\xB1\xD0\xB2\xD0\xB3"),
        C("a\xD0\xB0"
          "b\xD0\xB1"
          "c\xD0\xB2"
          "d\xD0\xB3"
          "e\xF0\x9F\x98\x80"
          "f"),
        C("\xD2\x9B\xD3\x99\xD0\xB7\xD0\xB0\xD2\x9B \xD1\x82\xD1\x96\xD0\xBB\xD1\x96"),
        C("plain ascii text long enough"),
#undef C
    };
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        adal_ctx *ctx = NULL;
        adal_ctx_new(&ctx);
        adal__builder b;
        CHECK_EQ_INT(adal__builder_init(&b, ctx, "t", ADAL_FMT_DOCX), ADAL_OK);
        CHECK_EQ_INT(adal__b_begin_para(&b, ADAL_PART_BODY), ADAL_OK);
        CHECK_EQ_INT(adal__b_text(&b, "x ", 2), ADAL_OK); /* something countable */
        CHECK_EQ_INT(adal__b_text(&b, chunks[c].s, chunks[c].n), ADAL_OK);
        adal_doc *doc = NULL;
        CHECK_EQ_INT(adal__b_finish(&b, &doc), ADAL_OK);
        adal__builder_free(&b);
        char *want = repaired(chunks[c].s, chunks[c].n);
        if (doc) {
            const char *text = adal_doc_text(doc, NULL);
            CHECK(strncmp(text, "x ", 2) == 0);
            size_t wl = strlen(want);
            CHECK(strncmp(text + 2, want, wl) == 0 && strcmp(text + 2 + wl, "\n") == 0);
        }
        free(want);
        adal_doc_free(doc);
        adal_ctx_free(ctx);
    }
}

/* Whether the document's UTF-16 text and its unit → byte map are those of its UTF-8 text,
 * decoded one code point at a time (the builder converts eight bytes at a time where it can). */
static bool utf16_matches(const adal_doc *doc)
{
    size_t n8, n16;
    const char *t = adal_doc_text(doc, &n8);
    const uint16_t *t16 = adal_doc_text16(doc, &n16);
    size_t i = 0, k = 0;
    while (i < n8) {
        size_t st = i;
        uint32_t cp = adal__utf8_next(t, n8, &i);
        size_t units = cp >= 0x10000 ? 2 : 1;
        for (size_t u = 0; u < units; u++, k++) {
            uint16_t want = (uint16_t)(units == 1   ? cp
                                       : u == 0     ? 0xD800 + ((cp - 0x10000) >> 10)
                                                    : 0xDC00 + ((cp - 0x10000) & 0x3FF));
            if (k >= n16 || t16[k] != want || adal_doc_utf8_offset(doc, (uint32_t)k) != st)
                return false;
        }
    }
    return k == n16 && t16[k] == 0 && adal_doc_utf8_offset(doc, (uint32_t)k) == n8;
}

/* The same, over random chunks mixing ASCII, two-byte letters and every kind of byte the
 * eight-byte check must reject (NUL, CR, C0/C1 leads, three- and four-byte leads, stray
 * continuation bytes, a lead at a window's end): whatever the check decides, the text comes
 * out exactly as the careful path makes it. */
TEST(doc_builder_text_fast_check_random)
{
    static const char *const pieces[] = {
        "a", " ", "Z", "\xD0\xB0", "\xD2\x9B", "\xC3\xA9", "\xDF\xBF", "\xC2\x80", "\r", "\r\n",
        "\0", "\xC0", "\xC1", "\x80", "\xBF", "\xD0", "\xE2\x80\x94", "\xF0\x9F\x98\x80", "\xFF",
        "\xEF\xBF\xBD", "\xE0", "\xF5", "\xE0\x80", "\xF0\x80", "\xE1\x80",
    };
    static const size_t plen[] = {1, 1, 1, 2, 2, 2, 2, 2, 1, 2, 1, 1, 1,
                                  1, 1, 1, 3, 4, 1, 3, 1, 1, 2, 2, 2};
    uint64_t seed = 20261203;
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    for (int round = 0; round < 20000; round++) {
        char buf[256];
        size_t n = 0;
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        size_t want_pieces = 1 + (size_t)(seed >> 59);
        for (size_t q = 0; q < want_pieces * 3 && n + 4 <= sizeof buf; q++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            /* odd rounds mostly letters and spaces with a flaw now and then, even rounds
             * flaws as often as letters */
            size_t npieces = sizeof plen / sizeof plen[0];
            size_t pick =
                round % 2 && (seed >> 33) % 16 < 13 ? (seed >> 40) % 8 : (seed >> 40) % npieces;
            memcpy(buf + n, pieces[pick], plen[pick]);
            n += plen[pick];
        }
        adal__builder b;
        CHECK_EQ_INT(adal__builder_init(&b, ctx, "t", ADAL_FMT_DOCX), ADAL_OK);
        CHECK_EQ_INT(adal__b_begin_para(&b, ADAL_PART_BODY), ADAL_OK);
        CHECK_EQ_INT(adal__b_text(&b, "x ", 2), ADAL_OK);
        CHECK_EQ_INT(adal__b_text(&b, buf, n), ADAL_OK);
        adal_doc *doc = NULL;
        CHECK_EQ_INT(adal__b_finish(&b, &doc), ADAL_OK);
        adal__builder_free(&b);
        char *want = repaired(buf, n);
        if (doc) {
            const char *text = adal_doc_text(doc, NULL);
            size_t wl = strlen(want);
            CHECK(strncmp(text, "x ", 2) == 0 && strncmp(text + 2, want, wl) == 0 &&
                  strcmp(text + 2 + wl, "\n") == 0);
            CHECK(utf16_matches(doc));
        }
        free(want);
        adal_doc_free(doc);
    }
    adal_ctx_free(ctx);
}
