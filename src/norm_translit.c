/* norm_translit.c — Kazakh Latin → Cyrillic (design-notes §4.5), for Latin-only tokens of
 * paragraphs norm.c judged to be Kazakh Latin. ICU 72 ships no official-alphabet
 * transliterator, so we compile our own rule sets with utrans_openU, one per alphabet:
 * the 2018 decree (acutes: á ǵ ń ó ú ý; ı = и/й, i = і, u = ұ, ý = у) and the 2021 one
 * (ä ğ ñ ö ş ū ü; ı = і, i = и/й, u = у, ū = ұ). Input is NFKC_Casefold-ed with marks
 * dropped, so the rules see lower case only. Longer rules come first: ICU applies the
 * first rule that matches at a position.
 */
#include "norm.h"

#include <unicode/ustring.h>

/* Letters of the other alphabet are mapped too (a 2018 text with a stray ö still works). */
static const char rules2021[] =
    "ia > я ; iu > ю ; sh > ш ; ch > ч ; zh > ж ;"
    "ä > ә ; ğ > ғ ; ı > і ; ñ > ң ; ŋ > ң ; ö > ө ; ş > ш ; ū > ұ ; ü > ү ; ç > ч ;"
    "á > ә ; ǵ > ғ ; ń > ң ; ó > ө ; ú > ү ; ý > у ;"
    "a > а ; b > б ; c > ц ; d > д ; e > е ; f > ф ; g > г ; h > х ; i > и ; j > ж ;"
    "k > к ; l > л ; m > м ; n > н ; o > о ; p > п ; q > қ ; r > р ; s > с ; t > т ;"
    "u > у ; v > в ; w > у ; x > х ; y > ы ; z > з ;";

static const char rules2018[] =
    "ıa > я ; ıý > ю ; sh > ш ; ch > ч ; zh > ж ;"
    "á > ә ; ǵ > ғ ; ı > и ; ń > ң ; ó > ө ; ú > ү ; ý > у ; i > і ; u > ұ ;"
    "ä > ә ; ğ > ғ ; ñ > ң ; ŋ > ң ; ö > ө ; ş > ш ; ū > ұ ; ü > ү ; ç > ч ;"
    "a > а ; b > б ; c > ц ; d > д ; e > е ; f > ф ; g > г ; h > х ; j > ж ;"
    "k > к ; l > л ; m > м ; n > н ; o > о ; p > п ; q > қ ; r > р ; s > с ; t > т ;"
    "v > в ; w > у ; x > х ; y > ы ; z > з ;";

static int open_rules(adal_ctx *ctx, const char *rules, const char *id, UTransliterator **out)
{
    UChar r16[1024], id16[32];
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(r16, (int32_t)(sizeof r16 / sizeof *r16), &n, rules, -1, &st);
    u_strFromUTF8(id16, 32, NULL, id, -1, &st);
    UParseError pe;
    if (U_SUCCESS(st))
        *out = utrans_openU(id16, -1, UTRANS_FORWARD, r16, n, &pe, &st);
    if (U_FAILURE(st)) {
        *out = NULL;
        return adal__err(ctx, ADAL_EICU, "cannot compile Kazakh Latin rules: %s", u_errorName(st));
    }
    return ADAL_OK;
}

int adal__translit_kk(adal_ctx *ctx, int alphabet, uint32_t *cps, size_t *n, size_t cap)
{
    struct adal__norm *nm = ctx->norm;
    UTransliterator **t = alphabet == ADAL_KKLAT_2018 ? &nm->kk2018 : &nm->kk2021;
    if (!*t) {
        int rc = alphabet == ADAL_KKLAT_2018 ? open_rules(ctx, rules2018, "adal-kk2018", t)
                                             : open_rules(ctx, rules2021, "adal-kk2021", t);
        if (rc)
            return rc;
    }
    /* tokens are ≤ ADAL_NORM_MAX_CP code points; Latin → Cyrillic never grows */
    UChar buf[2 * ADAL_NORM_MAX_CP + 8];
    int32_t len = 0;
    for (size_t i = 0; i < *n && len + 2 <= (int32_t)(sizeof buf / sizeof *buf); i++)
        U16_APPEND_UNSAFE(buf, len, cps[i]);
    int32_t limit = len;
    UErrorCode st = U_ZERO_ERROR;
    utrans_transUChars(*t, buf, &len, (int32_t)(sizeof buf / sizeof *buf), 0, &limit, &st);
    if (U_FAILURE(st))
        return adal__err(ctx, ADAL_EICU, "Kazakh Latin transliteration failed: %s",
                         u_errorName(st));
    size_t k = 0;
    for (int32_t i = 0; i < len && k < cap;) {
        UChar32 c;
        U16_NEXT(buf, i, len, c);
        cps[k++] = (uint32_t)c;
    }
    *n = k;
    return ADAL_OK;
}
