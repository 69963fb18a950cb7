/* norm_fold.c — the fingerprint alphabet (design-notes §4.4), applied per token after
 * NFKC_Casefold, identically at index and query time: Latin/Greek/digit look-alikes →
 * Cyrillic inside Cyrillic words, then ё→е, й→и and Kazakh letters → their Russian base.
 * Any change here changes keys and hashes: bump ADAL_FOLD_VERSION.
 */
#include "norm.h"

/* Look-alikes of Cyrillic letters, after case folding. `upper` is set when the student's
 * character was a capital: capital H looks like Н but small h like һ, capital B like В but
 * small b like ь (the case is gone after NFKC_Casefold, so norm.c passes it along).
 * Latin m, t, k have no small Cyrillic twin but their capitals do (М, Т, К).
 * `digits`: 0/3/6 → о/з/б, only when norm.c judged the digits to be letters in disguise. */
uint32_t adal__fold_homoglyph(uint32_t cp, bool upper, bool digits)
{
    switch (cp) {
    case 'a':
        return 0x0430; /* а */
    case 'b':
        return upper ? 0x0432 : 0x044C; /* В / ь */
    case 'c':
        return 0x0441; /* с */
    case 'e':
        return 0x0435; /* е */
    case 'h':
        return upper ? 0x043D : 0x04BB; /* Н / һ */
    case 'i':
        return 0x0456; /* і */
    case 'k':
        return 0x043A; /* к */
    case 'm':
        return 0x043C; /* м */
    case 'o':
        return 0x043E; /* о */
    case 'p':
        return 0x0440; /* р */
    case 't':
        return 0x0442; /* т */
    case 'x':
        return 0x0445; /* х */
    case 'y':
        return 0x0443; /* у */
    case 0x0131:
        return 0x0456; /* ı → і */
    case 0x0259:
        return 0x04D9; /* ə → ә */
    case 0x01DD:
        return 0x04D9; /* ǝ → ә */
    case 0x0275:
        return 0x04E9; /* ɵ → ө */
    case 0x03B8:
        return 0x04E9; /* θ → ө */
    case 0x03B1:
        return 0x0430; /* α → а */
    case 0x03B2:
        return 0x0432; /* β (Β) → в */
    case 0x03B5:
        return 0x0435; /* ε (Ε) → е */
    case 0x03B7:
        return 0x043D; /* η (Η) → н */
    case 0x03B9:
        return 0x0456; /* ι (Ι) → і */
    case 0x03BA:
        return 0x043A; /* κ → к */
    case 0x03BC:
        return 0x043C; /* μ (Μ) → м */
    case 0x03BD:
        return 0x0432; /* ν → в */
    case 0x03BF:
        return 0x043E; /* ο → о */
    case 0x03C0:
        return 0x043F; /* π → п */
    case 0x03C1:
        return 0x0440; /* ρ → р */
    case 0x03C4:
        return 0x0442; /* τ → т */
    case 0x03C7:
        return 0x0445; /* χ → х */
    case 0x03C5:
        return 0x0443; /* υ (Υ) → у */
    case '0':
        return digits ? 0x043E : 0; /* о */
    case '3':
        return digits ? 0x0437 : 0; /* з */
    case '6':
        return digits ? 0x0431 : 0; /* б */
    default:
        return 0;
    }
}

