/* norm_stem.c — light stems before hashing (design-notes §4.7): Snowball `russian` via
 * libstemmer for Russian paragraphs, and a small ordered Kazakh suffix stripper
 * (case → possessive → plural) for Kazakh paragraphs, since Snowball has no Kazakh.
 * The Kazakh stripper works on base-folded text (§4.4: қ→к, і→и, ң→н ...), so Kazakh typed
 * on a Russian keyboard and Kazakh Latin stem to the same key as proper Kazakh Cyrillic.
 */
#include "norm.h"

#include <libstemmer.h>
#include <string.h>

static bool is_vowel(uint32_t c)
{
    switch (c) {
    case 0x0430: case 0x0435: case 0x0438: case 0x043E: case 0x0443: case 0x044B:
    case 0x044D: case 0x044E: case 0x044F: case 0x0451:
        return true;
    default:
        return false;
    }
}

int adal__stem_ru(adal_ctx *ctx, uint32_t *cps, size_t *n, size_t cap)
{
    struct adal__norm *nm = ctx->norm;
    if (!nm->ru) {
        nm->ru = sb_stemmer_new("russian", "UTF_8");
        if (!nm->ru)
            return adal__err(ctx, ADAL_ENOMEM, "cannot create the Russian stemmer");
    }
    size_t len = *n;
    if (len < 3)
        return ADAL_OK;
    /* й is folded to и (so "й typed as и" gives the same key), but a word-final и after a
     * vowel is read as й again so Snowball still sees adjective endings (-ый, -ий, -ой). */
    char u8[4 * ADAL_NORM_MAX_CP + 4];
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        uint32_t c = cps[i] == 0x0439 ? 0x0438 : cps[i];
        if (i == len - 1 && c == 0x0438 && is_vowel(cps[i - 1] == 0x0439 ? 0x0438 : cps[i - 1]))
            c = 0x0439;
        k += adal__utf8_put(u8 + k, c);
    }
    const sb_symbol *s = sb_stemmer_stem(nm->ru, (const sb_symbol *)u8, (int)k);
    if (!s)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory in the Russian stemmer");
    int sl = sb_stemmer_length(nm->ru);
    size_t i = 0, m = 0;
    while (i < (size_t)sl && m < cap)
        cps[m++] = adal__utf8_next((const char *)s, (size_t)sl, &i);
    *n = m;
    return ADAL_OK;
}

/* Suffixes in base-folded spelling, longest first within each group. */
static const char *const kk_case[] = {
    "ндагы", "ндеги", "дагы", "деги", "тагы", "теги",
    "нын", "нин", "дын", "дин", "тын", "тин",
    "нан", "нен", "дан", "ден", "тан", "тен",
    "нда", "нде", "мен", "бен", "пен", "нга", "нге",
    "да", "де", "та", "те", "га", "ге", "ка", "ке", "на", "не",
    "ны", "ни", "ды", "ди", "ты", "ти", NULL,
};
static const char *const kk_poss[] = {
    "ымыз", "имиз", "ыныз", "иниз", "мыз", "миз", "ныз", "низ",
    "ым", "им", "ын", "ин", "сы", "си", "ы", "и", NULL,
};
static const char *const kk_plur[] = {"лар", "лер", "дар", "дер", "тар", "тер", NULL};

/* Strip the longest suffix of `list` that leaves at least `keep` code points. */
static bool strip(uint32_t *cps, size_t *n, const char *const *list, size_t keep)
{
    for (size_t s = 0; list[s]; s++) {
        uint32_t suf[8];
        size_t sl = 0, i = 0, bl = strlen(list[s]);
        while (i < bl && sl < 8)
            suf[sl++] = adal__utf8_next(list[s], bl, &i);
        if (*n < sl + keep)
            continue;
        size_t j = 0;
        while (j < sl && cps[*n - sl + j] == suf[j])
            j++;
        if (j == sl) {
            *n -= sl;
            return true;
        }
    }
    return false;
}

void adal__stem_kk(uint32_t *cps, size_t *n)
{
    /* keep ≥ 3 letters: shorter stems merge unrelated roots (measured on Abai, see
     * tests/unit/test_norm.c norm_kk_stem_abai) */
    bool any = strip(cps, n, kk_case, 3);
    any |= strip(cps, n, kk_poss, 3);
    any |= strip(cps, n, kk_plur, 3);
    /* a suffix voices the root's last consonant (кітап → кітабы, жүрек → жүрегі):
     * unvoice it back once a suffix is gone */
    if (any && *n > 0) {
        if (cps[*n - 1] == 0x0431)
            cps[*n - 1] = 0x043F; /* б → п */
        else if (cps[*n - 1] == 0x0433)
            cps[*n - 1] = 0x043A; /* г → к */
    }
}
