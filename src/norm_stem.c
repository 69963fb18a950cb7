/* norm_stem.c — light stems before hashing (design-notes §4.7): Snowball `russian` via
 * libstemmer for Russian paragraphs, and a small ordered Kazakh suffix stripper
 * (case → possessive → plural) for Kazakh paragraphs, since Snowball has no Kazakh.
 * The Kazakh stripper works on base-folded text (§4.4: қ→к, і→и, ң→н ...), so Kazakh typed
 * on a Russian keyboard and Kazakh Latin stem to the same key as proper Kazakh Cyrillic.
 */
#include "norm.h"

#include <libstemmer.h>
#include <string.h>
#include <uchar.h>
#include <xxhash.h>

static bool is_vowel(uint32_t c)
{
    switch (c) {
    case 0x0430:
    case 0x0435:
    case 0x0438:
    case 0x043E:
    case 0x0443:
    case 0x044B:
    case 0x044D:
    case 0x044E:
    case 0x044F:
    case 0x0451:
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

/* Suffixes in base-folded spelling, written backwards (last letter first, so a mismatch
 * costs one comparison), longest first within each group. */
static const char32_t *const kk_case[] = {
    U"ыгадн", U"игедн", U"ыгад", U"игед", U"ыгат", U"игет", U"нын", U"нин", U"ныд", U"нид", U"ныт",
    U"нит",   U"нан",   U"нен",  U"над",  U"нед",  U"нат",  U"нет", U"адн", U"едн", U"нем", U"неб",
    U"неп",   U"агн",   U"егн",  U"ад",   U"ед",   U"ат",   U"ет",  U"аг",  U"ег",  U"ак",  U"ек",
    U"ан",    U"ен",    U"ын",   U"ин",   U"ыд",   U"ид",   U"ыт",  U"ит",  NULL,
};
static const char32_t *const kk_poss[] = {
    U"зымы", U"зими", U"зыны", U"зини", U"зым", U"зим", U"зын", U"зин", U"мы",
    U"ми",   U"ны",   U"ни",   U"ыс",   U"ис",  U"ы",   U"и",   NULL,
};
static const char32_t *const kk_plur[] = {U"рал", U"рел", U"рад", U"ред", U"рат", U"рет", NULL};

/* Kazakh morphophonology decides which allomorph follows which stem, and checking it is
 * what keeps unrelated words apart (measured on Abai): a possessive starting with a vowel
 * (-ы, -ым, -ың) follows a consonant, one starting with a consonant (-сы, -мыз, -ңыз)
 * follows a vowel, so жақсы "good" is not жақ "side" + -сы, and құдай (folded кудаи) is not
 * құда "in-law" + -і; a case ending starting with н follows a vowel or м/н/ң
 * (баланың, адамның). */
enum { AFTER_ANY, AFTER_VOWEL, AFTER_CONS, AFTER_VOWEL_NASAL };

static bool stem_vowel(uint32_t c)
{
    return is_vowel(c);
}

static int rule_of(const char32_t *suf, size_t sl, bool poss)
{
    uint32_t first = (uint32_t)suf[sl - 1]; /* stored backwards */
    if (poss)
        return stem_vowel(first) ? AFTER_CONS : AFTER_VOWEL;
    return first == 0x043D ? AFTER_VOWEL_NASAL : AFTER_ANY;
}

/* Strip the first (longest) suffix of `list` that leaves at least `keep` code points and
 * fits the stem's last letter. */
static bool strip(uint32_t *cps, size_t *n, const char32_t *const *list, size_t keep, bool poss)
{
    if (*n == 0)
        return false;
    for (size_t s = 0; list[s]; s++) {
        const char32_t *suf = list[s];
        if (cps[*n - 1] != (uint32_t)suf[0])
            continue; /* suffixes are stored last letter first */
        size_t sl = 1;
        while (sl < *n && suf[sl] && cps[*n - 1 - sl] == (uint32_t)suf[sl])
            sl++;
        if (suf[sl] || *n < sl + keep)
            continue;
        uint32_t prev = cps[*n - sl - 1];
        int rule = rule_of(suf, sl, poss);
        if ((rule == AFTER_VOWEL && !stem_vowel(prev)) ||
            (rule == AFTER_CONS && stem_vowel(prev)) ||
            (rule == AFTER_VOWEL_NASAL && !stem_vowel(prev) && prev != 0x043C && prev != 0x043D))
            continue;
        *n -= sl;
        return true;
    }
    return false;
}

void adal__stem_kk(uint32_t *cps, size_t *n)
{
    /* keep ≥ 3 letters: shorter stems merge unrelated roots (measured on Abai, see
     * tests/unit/test_norm.c norm_kk_stem_abai) */
    bool any = strip(cps, n, kk_case, 3, false);
    any |= strip(cps, n, kk_poss, 3, true);
    any |= strip(cps, n, kk_plur, 3, false);
    /* a suffix voices the root's last consonant (кітап → кітабы, жүрек → жүрегі):
     * unvoice it back once a suffix is gone */
    if (any && *n > 0) {
        if (cps[*n - 1] == 0x0431)
            cps[*n - 1] = 0x043F; /* б → п */
        else if (cps[*n - 1] == 0x0433)
            cps[*n - 1] = 0x043A; /* г → к */
    }
}
