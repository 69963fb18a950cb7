/* test_norm.c — the normalisation stage: for each evasion trick the keys of the disguised
 * text equal those of the plain text; offsets slice back to the student's own characters;
 * findings have the right kinds and counts; Kazakh Latin 2018/2021 → Cyrillic; stems.
 * Sentences are real: Abai's Words of Edification (public domain), Tolstoy's Anna Karenina
 * opening (public domain), the Wikipedia "Kazakh alphabets" 2021 sample, Egemen Qazaqstan
 * 2018-alphabet news text.
 */
#include "../harness.h"
#include "internal.h"
#include "norm.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <xxhash.h>

static const char *ABAI =
    "Бұл жасқа келгенше жақсы өткіздік пе, жаман өткіздік пе, әйтеуір бірталай өмірімізді "
    "өткіздік: алыстық, жұлыстық, айтыстық, тартыстық — әурешілікті көре-көре келдік. Енді "
    "жер ортасы жасқа келдік: қажыдық, жалықтық; қылып жүрген ісіміздің баянсызын, "
    "байлаусызын көрдік, бәрі қоршылық екенін білдік.";

static const char *TOLSTOY =
    "Все счастливые семьи похожи друг на друга, каждая несчастливая семья несчастлива "
    "по-своему. Все смешалось в доме Облонских. Жена узнала, что муж был в связи с бывшею в "
    "их доме француженкою-гувернанткой, и объявила мужу, что не может жить с ним в одном "
    "доме.";

/* Replace every occurrence of from[i] by to[i] (UTF-8 strings, NULL-terminated lists). */
static char *subst(const char *s, const char *const *from, const char *const *to)
{
    size_t cap = strlen(s) * 4 + 16, n = 0;
    char *out = malloc(cap);
    while (*s) {
        size_t i;
        for (i = 0; from[i]; i++) {
            size_t fl = strlen(from[i]);
            if (strncmp(s, from[i], fl) == 0) {
                size_t tl = strlen(to[i]);
                memcpy(out + n, to[i], tl);
                n += tl;
                s += fl;
                break;
            }
        }
        if (!from[i])
            out[n++] = *s++;
    }
    out[n] = '\0';
    return out;
}

/* The keys of a text, joined by spaces (caller frees). */
static char *keys_of(adal_ctx *ctx, const char *text, adal_doc **keep)
{
    adal_doc *doc = NULL;
    if (adal_doc_from_text(&doc, ctx, text, strlen(text), "t") != ADAL_OK ||
        adal_doc_normalize(doc, ctx) != ADAL_OK) {
        adal_doc_free(doc);
        return strdup("(error)");
    }
    size_t cap = 16, n = 0;
    for (size_t i = 0; i < adal_doc_ntokens(doc); i++) {
        size_t kl;
        adal_doc_token_key(doc, i, &kl);
        cap += kl + 1;
    }
    char *out = malloc(cap);
    for (size_t i = 0; i < adal_doc_ntokens(doc); i++) {
        size_t kl;
        const char *k = adal_doc_token_key(doc, i, &kl);
        if (i)
            out[n++] = ' ';
        memcpy(out + n, k, kl);
        n += kl;
    }
    out[n] = '\0';
    if (keep)
        *keep = doc;
    else
        adal_doc_free(doc);
    return out;
}

static void check_same(adal_ctx *ctx, const char *plain, const char *disguised)
{
    char *a = keys_of(ctx, plain, NULL), *b = keys_of(ctx, disguised, NULL);
    CHECK(strlen(a) > 10);
    CHECK_EQ_STR(b, a);
    free(a);
    free(b);
}

static void evasion_of(adal_ctx *ctx, const char *text, adal_evasion_summary *s)
{
    adal_doc *doc = NULL;
    memset(s, 0, sizeof *s);
    if (adal_doc_from_text(&doc, ctx, text, strlen(text), "t") == ADAL_OK &&
        adal_doc_normalize(doc, ctx) == ADAL_OK)
        adal_doc_evasion(doc, s);
    adal_doc_free(doc);
}

/* Every token's span slices the original text to letters only (plus the student's
 * invisible characters and marks), never to spaces or punctuation. */
static void check_spans(adal_doc *doc, const char *const *want, size_t nwant)
{
    size_t tl;
    const char *text = adal_doc_text(doc, &tl);
    CHECK_EQ_INT(adal_doc_ntokens(doc), nwant);
    for (size_t i = 0; i < adal_doc_ntokens(doc) && i < nwant; i++) {
        const adal_token *t = &adal_doc_tokens(doc)[i];
        size_t b0 = adal_doc_utf8_offset(doc, t->start), b1 = adal_doc_utf8_offset(doc, t->end);
        char buf[256];
        size_t n = b1 - b0 < 255 ? b1 - b0 : 255;
        memcpy(buf, text + b0, n);
        buf[n] = '\0';
        CHECK_EQ_STR(buf, want[i]);
    }
}

TEST(norm_latin_lookalikes)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    static const char *const from[] = {"а", "е", "о", "р", "с", "х", "у", "В",
                                       "С", "Ж", "О", "Н", "М", "Т", "К", NULL};
    static const char *const to[] = {"a", "e", "o", "p", "c", "x", "y", "B",
                                     "C", "Ж", "O", "H", "M", "T", "K", NULL};
    char *dis = subst(TOLSTOY, from, to);
    check_same(ctx, TOLSTOY, dis);
    adal_evasion_summary s;
    evasion_of(ctx, dis, &s);
    CHECK(s.count[ADAL_EV_HOMOGLYPH] >= 25);
    CHECK(s.suspicious);
    evasion_of(ctx, TOLSTOY, &s);
    CHECK_EQ_INT(s.count[ADAL_EV_HOMOGLYPH], 0);
    CHECK(!s.suspicious);
    free(dis);
    /* Kazakh: ә/ө typed as Latin ə/ɵ, і as Latin i, о/а/е/с/р as Latin */
    static const char *const kf[] = {"ә", "ө", "о", "а", "е", "с", "р", "і", NULL};
    static const char *const kt[] = {"ə", "ɵ", "o", "a", "e", "c", "p", "i", NULL};
    dis = subst(ABAI, kf, kt);
    check_same(ctx, ABAI, dis);
    evasion_of(ctx, dis, &s);
    CHECK(s.suspicious);
    free(dis);
    adal_ctx_free(ctx);
}

TEST(norm_greek_lookalikes)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    static const char *const from[] = {"о", "а", "р", "е", "к", "т", NULL};
    static const char *const to[] = {"ο", "α", "ρ", "ε", "κ", "τ", NULL};
    char *dis = subst(TOLSTOY, from, to);
    check_same(ctx, TOLSTOY, dis);
    adal_evasion_summary s;
    evasion_of(ctx, dis, &s);
    CHECK(s.count[ADAL_EV_HOMOGLYPH] >= 25);
    free(dis);
    adal_ctx_free(ctx);
}

TEST(norm_invisible_inside_words)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    /* ZWSP, ZWJ, ZWNJ, WJ, BOM, soft hyphen, RLO, LRI, PDI inside words */
    static const char *const from[] = {"сча",   "похо",   "друга", "каждая", "семья",
                                       "Облон", "узнала", "жить",  NULL};
    static const char *const to[] = {"с\u200Bча",          "по\u200Dхо",       "дру\u200Cга",
                                     "каж\u2060дая",       "се\uFEFFмья",      "Об\u00ADлон",
                                     "уз\u202Eна\u202Cла", "жи\u2066т\u2069ь", NULL};
    char *dis = subst(TOLSTOY, from, to);
    check_same(ctx, TOLSTOY, dis);
    adal_doc *doc = NULL;
    free(keys_of(ctx, dis, &doc));
    adal_evasion_summary s;
    adal_doc_evasion(doc, &s);
    /* 3 ZWSP (счастливые, несчастливая, несчастлива), 1 each for ZWJ ZWNJ WJ BOM SHY,
     * 2 bidi controls in узнала and 2 in жить */
    CHECK(s.count[ADAL_EV_INVISIBLE] >= 9);
    CHECK_EQ_INT(s.chars[ADAL_EV_INVISIBLE], 3 + 1 + 1 + 1 + 1 + 1 + 2 + 2);
    CHECK(s.suspicious);
    /* the span of a token covers the student's characters, invisible ones included */
    int found = 0;
    size_t tl;
    const char *text = adal_doc_text(doc, &tl);
    for (size_t i = 0; i < adal_doc_ntokens(doc); i++) {
        const adal_token *t = &adal_doc_tokens(doc)[i];
        size_t b0 = adal_doc_utf8_offset(doc, t->start), b1 = adal_doc_utf8_offset(doc, t->end);
        if (b1 - b0 == strlen("уз\u202Eна\u202Cла") &&
            memcmp(text + b0, "уз\u202Eна\u202Cла", b1 - b0) == 0) {
            found = 1;
            CHECK(t->flags & ADAL_TOK_IGNORABLE);
        }
    }
    CHECK(found);
    adal_doc_free(doc);
    free(dis);
    adal_ctx_free(ctx);
}

TEST(norm_odd_spaces)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    static const char *const sp[] = {"\u00A0", "\u2000", "\u2003", "\u2007", "\u2009",
                                     "\u200A", "\u3000", "\u2800", "\u202F"};
    for (size_t k = 0; k < sizeof sp / sizeof *sp; k++) {
        static const char *from[] = {" ", NULL};
        const char *to[] = {sp[k], NULL};
        char *dis = subst(ABAI, from, to);
        check_same(ctx, ABAI, dis);
        adal_evasion_summary s;
        evasion_of(ctx, dis, &s);
        CHECK(s.count[ADAL_EV_ODD_SPACE] >= 20);
        CHECK_EQ_INT(s.count[ADAL_EV_ODD_SPACE], s.chars[ADAL_EV_ODD_SPACE]);
        free(dis);
    }
    adal_ctx_free(ctx);
}

TEST(norm_case_quotes_wrap_stress)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    /* upper case, Cyrillic and Kazakh */
    check_same(ctx, "Бұл жасқа келгенше жақсы өткіздік пе, жаман өткіздік пе",
               "БҰЛ ЖАСҚА КЕЛГЕНШЕ ЖАҚСЫ ӨТКІЗДІК ПЕ, ЖАМАН ӨТКІЗДІК ПЕ");
    check_same(ctx, TOLSTOY,
               "ВСЕ СЧАСТЛИВЫЕ СЕМЬИ ПОХОЖИ ДРУГ НА ДРУГА, КАЖДАЯ НЕСЧАСТЛИВАЯ СЕМЬЯ НЕСЧАСТЛИВА "
               "ПО-СВОЕМУ. ВСЕ СМЕШАЛОСЬ В ДОМЕ ОБЛОНСКИХ. ЖЕНА УЗНАЛА, ЧТО МУЖ БЫЛ В СВЯЗИ С "
               "БЫВШЕЮ В ИХ ДОМЕ ФРАНЦУЖЕНКОЮ-ГУВЕРНАНТКОЙ, И ОБЪЯВИЛА МУЖУ, ЧТО НЕ МОЖЕТ ЖИТЬ "
               "С НИМ В ОДНОМ ДОМЕ.");
    /* quotation marks around words */
    check_same(ctx, "Все счастливые семьи похожи друг на друга",
               "«Все» „счастливые“ \"семьи\" “похожи” 'друг' ‹на› «друга»");
    /* line breaks moved (each line is a paragraph of its own) */
    check_same(ctx, TOLSTOY,
               "Все счастливые семьи похожи\nдруг на друга, каждая несчастливая семья\n"
               "несчастлива по-своему. Все смешалось в доме Облонских. Жена узнала, что муж "
               "был в связи\nс бывшею в их доме француженкою-гувернанткой, и объявила мужу, что "
               "не может\nжить с ним в одном доме.");
    /* stress marks (U+0301) and a stray combining mark */
    check_same(ctx, "Все счастливые семьи похожи друг на друга",
               "Все\u0301 сча\u0301стливые се\u0301мьи похо\u0301жи дру\u0301г на\u0300 "
               "дру\u0301га");
    /* ё/е and й/и */
    check_same(ctx, "Всё смешалось в доме, каждый её знал, гувернанткой, мой, синий",
               "Все смешалось в доме, каждыи ее знал, гувернанткои, мои, синии");
    adal_ctx_free(ctx);
}

TEST(norm_kazakh_typed_russian)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    static const char *const from[] = {"ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і", "Ә",
                                       "Ғ", "Қ", "Ң", "Ө", "Ұ", "Ү", "Һ", "І", NULL};
    static const char *const to_ru[] = {"а", "г", "к", "н", "о", "у", "у", "х", "и", "А",
                                        "Г", "К", "Н", "О", "У", "У", "Х", "И", NULL};
    char *dis = subst(ABAI, from, to_ru);
    check_same(ctx, ABAI, dis);
    free(dis);
    /* і typed as Latin i (the innocent habit): same keys, and not suspicious */
    static const char *const f2[] = {"і", NULL};
    static const char *const t2[] = {"i", NULL};
    dis = subst(ABAI, f2, t2);
    check_same(ctx, ABAI, dis);
    adal_evasion_summary s;
    evasion_of(ctx, dis, &s);
    CHECK(!s.suspicious);
    CHECK_EQ_INT(s.count[ADAL_EV_HOMOGLYPH], 0);
    free(dis);
    adal_ctx_free(ctx);
}

/* Wikipedia, "Kazakh alphabets": the 2021-alphabet sample and its Cyrillic original. */
static const char *WIKI_CYR =
    "Бұрыңғы өткен заманда, бір данышпан кісі, Бағдат шаһарының бір үлкен қазысының үйіне "
    "келіп қоныпты. Қазыменен сөйлесіп, қазыны сөзге жеңе беріпті. Сонда қазы қорқып, — „Бұл "
    "маған келген бала — менің қазылығымды тартып алса керек! Не де болса, бұған жалынып, сый "
    "беріп, орнымда қалайын!“ — деп, қатынына ақылдасыпты.";
static const char *WIKI_2021 =
    "Būryñğy ötken zamanda, bır danyşpan kısı, Bağdat şaharynyñ bır ülken qazysynyñ üiıne "
    "kelıp qonypty. Qazymenen söilesıp, qazyny sözge jeñe berıptı. Sonda qazy qorqyp, — „Būl "
    "mağan kelgen bala - menıñ qazylyğymdy tartyp alsa kerek! Ne de bolsa, būğan jalynyp, syi "
    "berıp, ornymda qalaiyn!“ — dep, qatynyna aqyldasypty.";

TEST(norm_kazakh_latin_2021)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    check_same(ctx, WIKI_CYR, WIKI_2021);
    adal_doc *doc = NULL;
    free(keys_of(ctx, WIKI_2021, &doc));
    CHECK_EQ_INT(adal_doc_ntokens(doc), 44);
    adal_evasion_summary s;
    adal_doc_evasion(doc, &s);
    CHECK_EQ_INT(s.count[ADAL_EV_KAZAKH_LATIN], 44);
    CHECK(!s.suspicious); /* information, not a trick */
    CHECK(adal_doc_tokens(doc)[0].flags & ADAL_TOK_LATIN_KK);
    adal_doc_free(doc);
    /* capital İ (2021 и) */
    check_same(ctx, "Институт Шымкент Ұлттық", "İnstitut Şymkent Ūlttyq");
    adal_ctx_free(ctx);
}

TEST(norm_kazakh_latin_2018)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    /* Egemen Qazaqstan, lat.egemen.kz (2018 alphabet) and its Cyrillic spelling */
    check_same(ctx,
               "Жергілікті тұрғындар үй ауласында шарбақ орнату үшін шұңқыр қазған, сол кезде "
               "көне жәдігерді тауып алған көрінеді. Дегенмен бір-біріне жабысып қалған сияқты.",
               "Jergilikti turǵyndar úı aýlasynda sharbaq ornatý úshin shuńqyr qazǵan, sol kezde "
               "kóne jádigerdi taýyp alǵan kórinedi. Degenmen bir-birine jabysyp qalǵan sııaqty.");
    check_same(ctx, "Қазақстан Республикасы, білім, ғылым, үкімет, ұлт, шаруашылық, аңыз, өнер",
               "Qazaqstan Respýblıkasy, bilim, ǵylym, úkimet, ult, sharýashylyq, ańyz, óner");
    adal_ctx_free(ctx);
}

TEST(norm_english_not_transliterated)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    adal_doc *doc = NULL;
    free(keys_of(ctx,
                 "Термин plagiarism происходит от латинского слова plagiarius, то есть "
                 "похититель.\nThe quick brown fox jumps over the lazy dog in Iraq and Qatar.\n",
                 &doc));
    adal_evasion_summary s;
    adal_doc_evasion(doc, &s);
    CHECK_EQ_INT(s.count[ADAL_EV_KAZAKH_LATIN], 0);
    CHECK_EQ_INT(s.count[ADAL_EV_HOMOGLYPH], 0);
    size_t kl;
    const char *k = adal_doc_token_key(doc, 1, &kl);
    CHECK(kl == 10 && memcmp(k, "plagiarism", 10) == 0);
    adal_doc_free(doc);
    adal_ctx_free(ctx);
}

TEST(norm_offsets_exact)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    adal_doc *doc = NULL;
    const char *t = "«Қа\u200Bзақ» сөз\u00ADдер; п\u0301лaгиaт\u00A0мен 2023-жылы \U0001D400bc";
    free(keys_of(ctx, t, &doc));
    static const char *const want[] = {"Қа\u200Bзақ", "сөз\u00ADдер", "п\u0301лaгиaт", "мен",
                                       "2023",        "жылы",         "\U0001D400bc"};
    check_spans(doc, want, 7);
    CHECK(adal_doc_tokens(doc)[4].flags & ADAL_TOK_NUMBER);
    CHECK(adal_doc_tokens(doc)[0].flags & ADAL_TOK_COUNTED);
    CHECK(adal_doc_tokens(doc)[2].flags & ADAL_TOK_MIXED);
    /* hash = XXH3-64 of the key with the fixed seed ("adal" << 32 | fold version) */
    for (size_t i = 0; i < adal_doc_ntokens(doc); i++) {
        size_t kl;
        const char *k = adal_doc_token_key(doc, i, &kl);
        CHECK(adal_doc_tokens(doc)[i].hash ==
              XXH3_64bits_withSeed(k, kl, (UINT64_C(0x6164616C) << 32) | ADAL_FOLD_VERSION));
    }
    /* normalising twice changes nothing */
    size_t nf = adal_doc_nfindings(doc), nt = adal_doc_ntokens(doc);
    CHECK_EQ_INT(adal_doc_normalize(doc, ctx), ADAL_OK);
    CHECK_EQ_INT(adal_doc_nfindings(doc), nf);
    CHECK_EQ_INT(adal_doc_ntokens(doc), nt);
    adal_doc_free(doc);
    adal_ctx_free(ctx);
}

TEST(norm_long_word_capped)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    size_t n = 1 << 20;
    char *big = malloc(n * 2 + 32);
    memcpy(big, "бір ", 7);
    for (size_t i = 0; i < n / 2; i++)
        memcpy(big + 7 + 2 * i, "ә", 2);
    memcpy(big + 7 + n, " сөз", 8);
    big[7 + n + 7] = '\0';
    clock_t c0 = clock();
    adal_doc *doc = NULL;
    free(keys_of(ctx, big, &doc));
    CHECK(doc != NULL);
    if (doc) {
        CHECK_EQ_INT(adal_doc_ntokens(doc), 3);
        CHECK(adal_doc_tokens(doc)[1].keylen <= 2 * 64);
        CHECK_EQ_INT(adal_doc_tokens(doc)[1].end - adal_doc_tokens(doc)[1].start, n / 2);
    }
    CHECK((double)(clock() - c0) / CLOCKS_PER_SEC < 2.0);
    adal_doc_free(doc);
    free(big);
    adal_ctx_free(ctx);
}

TEST(norm_alloc_failures)
{
    /* fail the k-th allocation of a normalisation, for every k until one run needs no
     * failure: each must end in success or ADAL_ENOMEM with the document untouched */
    int done = 0;
    for (long k = 1; k < 500 && !done; k++) {
        adal_ctx *ctx = NULL;
        adal_ctx_new(&ctx);
        adal_doc *doc = NULL;
        const char *t = "плaгиaт\u200B сөз\u00A0Qazaqstan Respýblıkasy\n";
        size_t n = strlen(TOLSTOY) + strlen(t) + 1;
        char *text = malloc(n);
        snprintf(text, n, "%s%s", t, TOLSTOY);
        if (adal_doc_from_text(&doc, ctx, text, strlen(text), "t") == ADAL_OK) {
            size_t nf = adal_doc_nfindings(doc);
            adal__fail_alloc_after(k, false);
            int rc = adal_doc_normalize(doc, ctx);
            long failed = adal__alloc_failures();
            adal__fail_alloc_after(0, false);
            if (failed == 0) {
                CHECK_EQ_INT(rc, ADAL_OK);
                done = 1;
            } else if (rc != ADAL_OK) {
                CHECK_EQ_INT(rc, ADAL_ENOMEM);
                CHECK_EQ_INT(adal_doc_ntokens(doc), 0);
                CHECK_EQ_INT(adal_doc_nfindings(doc), nf);
                /* and the same document normalises fine afterwards */
                CHECK_EQ_INT(adal_doc_normalize(doc, ctx), ADAL_OK);
                CHECK_EQ_INT(adal_doc_ntokens(doc), 48);
            }
        }
        adal_doc_free(doc);
        free(text);
        adal_ctx_free(ctx);
    }
    CHECK(done);
}

/* Real Abai with a few innocent Latin i's is not suspicious; the same text with ~2 % of its
 * words homoglyphed is. */
TEST(norm_abai_rate)
{
    if (!th_shared())
        SKIP("../shared absent");
    size_t len = 0;
    char *abai = th_read(th_path("data/kazakh/abai/abai-kara-soz.LF.txt"), &len);
    if (!abai)
        SKIP("Abai text absent");
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    /* five innocent Latin i's */
    size_t done = 0;
    for (size_t i = 0; i + 1 < len && done < 5; i += 5000) {
        char *p = strstr(abai + i, "і");
        if (p) {
            p[0] = 'i';
            p[1] = ' ';
            memmove(p + 1, p + 2, len - (size_t)(p + 2 - abai) + 1);
            len--;
            done++;
        }
    }
    adal_evasion_summary s;
    evasion_of(ctx, abai, &s);
    CHECK(s.tokens > 15000);
    CHECK(!s.suspicious);
    /* homoglyph one word in ten: its first о → Latin o (a light-handed cheat) */
    char *dis = malloc(len + 1);
    size_t n = 0, words = 0;
    bool done_word = false;
    for (size_t i = 0; i < len;) {
        if (abai[i] == ' ' || abai[i] == '\n') {
            words++;
            done_word = false;
        }
        if (words % 10 == 0 && !done_word && strncmp(abai + i, "о", 2) == 0) {
            dis[n++] = 'o';
            i += 2;
            done_word = true;
            continue;
        }
        dis[n++] = abai[i++];
    }
    dis[n] = '\0';
    evasion_of(ctx, dis, &s);
    CHECK(s.count[ADAL_EV_HOMOGLYPH] >= 150);
    fprintf(stderr, "    abai: %u tokens, %u homoglyph findings, rate %.1f/1000\n", s.tokens,
            s.count[ADAL_EV_HOMOGLYPH], s.homoglyph_rate);
    CHECK(s.homoglyph_rate >= 5.0);
    CHECK(s.suspicious);
    free(dis);
    free(abai);
    adal_ctx_free(ctx);
}

/* The Kazakh suffix stripper: inflected forms of one word share a key, unrelated words
 * that only look like stem + suffix do not (жақсы "good" ≠ жақ "side" + -сы, құдай "god" ≠
 * құда "in-law" + -і). */
TEST(norm_kk_stem)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    char *a = keys_of(ctx,
                      "Адамның адамды адамға адамдар адамнан адамдардың баласының баласына "
                      "балаларды кітаптарымызда кітабы кітап жүрегі жүрек Қазақстанның",
                      NULL);
    CHECK_EQ_STR(a, "адам адам адам адам адам адам бала бала бала китап китап китап журек "
                    "журек казакстан");
    free(a);
    a = keys_of(ctx, "Жақсы жақ құдай құда адам ата ана бала", NULL);
    CHECK_EQ_STR(a, "жакс жак кудаи куда адам ата ана бала");
    free(a);
    adal_ctx_free(ctx);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* On all 45 Words of Abai: how far the stripper collapses word forms (6,023 distinct
 * lower-case forms → 4,098 keys when measured). */
TEST(norm_kk_stem_abai)
{
    if (!th_shared())
        SKIP("../shared absent");
    size_t len = 0;
    char *abai = th_read(th_path("data/kazakh/abai/abai-kara-soz.LF.txt"), &len);
    if (!abai)
        SKIP("Abai text absent");
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    adal_doc *doc = NULL;
    CHECK_EQ_INT(adal_doc_from_text(&doc, ctx, abai, len, "abai"), ADAL_OK);
    CHECK_EQ_INT(adal_doc_normalize(doc, ctx), ADAL_OK);
    size_t nt = adal_doc_ntokens(doc);
    uint64_t *h = malloc(nt * sizeof *h);
    for (size_t i = 0; i < nt; i++)
        h[i] = adal_doc_tokens(doc)[i].hash;
    qsort(h, nt, sizeof *h, cmp_u64);
    size_t keys = 0;
    for (size_t i = 0; i < nt; i++)
        keys += i == 0 || h[i] != h[i - 1];
    fprintf(stderr, "    abai: %zu tokens, %zu distinct keys\n", nt, keys);
    CHECK(nt > 15000);
    CHECK(keys > 3500 && keys < 4500);
    free(h);
    adal_doc_free(doc);
    free(abai);
    adal_ctx_free(ctx);
}

/* Decomposed letters (и + U+0306, е + U+0308) compose across our segment-wise normaliser
 * exactly as in a whole-string NFKC_CF; Roman numerals stay Latin and are no trick. */
TEST(norm_decomposed_and_roman)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    check_same(ctx, "Всё смешалось в доме, каждый её знал",
               "Все\u0308 смешалось в доме, каждьи\u0306 е\u0308е знал");
    adal_doc *doc = NULL;
    free(keys_of(ctx, "В XIX веке, в главе XII, плaгиaт и Пётр I жили в доме, 3Д кино 2023жылы",
                 &doc));
    adal_evasion_summary s;
    adal_doc_evasion(doc, &s);
    CHECK_EQ_INT(s.count[ADAL_EV_HOMOGLYPH], 1); /* плaгиaт only */
    check_same(ctx, "процесс защита собака бумага", "пр0цесс 3ащита с0бака 6умага");
    size_t kl;
    const char *k = adal_doc_token_key(doc, 1, &kl);
    CHECK(kl == 3 && memcmp(k, "xix", 3) == 0);
    adal_doc_free(doc);
    adal_ctx_free(ctx);
}

/* Findings are capped per kind, but the characters stay counted. */
TEST(norm_findings_capped)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    size_t nw = 12000;
    const char *w = "плaгиaт ";
    size_t wl = strlen(w);
    char *t = malloc(nw * wl + 1);
    for (size_t i = 0; i < nw; i++)
        memcpy(t + i * wl, w, wl);
    t[nw * wl] = '\0';
    adal_evasion_summary s;
    evasion_of(ctx, t, &s);
    CHECK_EQ_INT(s.tokens, nw);
    CHECK_EQ_INT(s.count[ADAL_EV_HOMOGLYPH], 10000);
    CHECK_EQ_INT(s.chars[ADAL_EV_HOMOGLYPH], 2 * nw);
    CHECK(s.suspicious);
    free(t);
    adal_ctx_free(ctx);
}

/* One context per thread: contexts share nothing, results equal the single-thread ones. */
static char *thread_text;
static void *norm_thread(void *arg)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    char *last = NULL;
    for (int i = 0; i < 20; i++) {
        free(last);
        last = keys_of(ctx, thread_text, NULL);
    }
    adal_ctx_free(ctx);
    *(char **)arg = last;
    return NULL;
}

TEST(norm_threads)
{
    size_t n = strlen(ABAI) + strlen(TOLSTOY) + strlen(WIKI_2021) + 3;
    thread_text = malloc(n);
    snprintf(thread_text, n, "%s\n%s\n%s", ABAI, TOLSTOY, WIKI_2021);
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    char *want = keys_of(ctx, thread_text, NULL);
    char *got[2] = {NULL, NULL};
    pthread_t th1, th2;
    CHECK_EQ_INT(pthread_create(&th1, NULL, norm_thread, &got[0]), 0);
    CHECK_EQ_INT(pthread_create(&th2, NULL, norm_thread, &got[1]), 0);
    pthread_join(th1, NULL);
    pthread_join(th2, NULL);
    CHECK_EQ_STR(got[0], want);
    CHECK_EQ_STR(got[1], want);
    free(got[0]);
    free(got[1]);
    free(want);
    free(thread_text);
    adal_ctx_free(ctx);
}

/* Language per paragraph: Snowball for a Russian paragraph even when it names Қазақстан,
 * the Kazakh stripper for a Kazakh one even with no Kazakh-only letter. */
TEST(norm_language_per_paragraph)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    char *a = keys_of(ctx,
                      "Республика Қазақстан является унитарным государством с президентской "
                      "формой правления.\n"
                      "Адамдардың балалары кітаптарымызда отырып, ол жерде бала мен ата "
                      "арасындағы сөзге келді.\n",
                      NULL);
    /* the word's own letters decide first: Қазақстан has Kazakh-only letters, so it gets
     * the Kazakh stem in a Russian sentence too (the same key wherever it stands); the
     * other words of the sentence get Snowball russian */
    CHECK_EQ_STR(a, "республик казакс явля унитарн государств с президентск форм правлен "
                    "адам бала китап отырып ол жер бала мен ата ара соз кел");
    free(a);
    adal_ctx_free(ctx);
}

/* A Russian poem quoted line by line in a Kazakh essay: lines too short to tell their
 * language take their neighbours', so they get the keys they have in the Russian source. */
TEST(norm_language_short_lines)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    const char *poem = "Мороз и солнце; день чудесный!\n"
                       "Еще ты дремлешь, друг прелестный —\n"
                       "Пора, красавица, проснись:\n"
                       "Открой сомкнуты негой взоры\n"
                       "Навстречу северной Авроры,\n"
                       "Звездою севера явись!\n";
    size_t n = strlen(ABAI) + strlen(poem) + 2;
    char *essay = malloc(n);
    snprintf(essay, n, "%s\n%s", ABAI, poem);
    char *alone = keys_of(ctx, poem, NULL), *inside = keys_of(ctx, essay, NULL);
    size_t al = strlen(alone), il = strlen(inside);
    CHECK(il > al && strcmp(inside + il - al, alone) == 0);
    CHECK(strstr(alone, "сомкнут нег взор") != NULL); /* Snowball stems */
    free(alone);
    free(inside);
    free(essay);
    adal_ctx_free(ctx);
}

/* A Russian sentence quoted inside a Kazakh paragraph gets the keys it has in its Russian
 * source, and a Kazakh sentence inside a Russian paragraph those of its Kazakh source: the
 * stemmer follows the sentence, not the paragraph (found by bench/check_bench: 38 % of
 * cross-language pastes were missed when the paragraph decided). */
TEST(norm_language_per_sentence)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    const char *ru = "Мороз и солнце, день чудесный, еще ты дремлешь, друг прелестный.";
    const char *kk = "Адамдардың балалары кітаптарымызда отырып, ол жерде бала мен ата "
                     "арасындағы сөзге келді.";
    char mixed[1024];
    snprintf(mixed, sizeof mixed, "%s %s Қазақ даласы кең және әдемі.", kk, ru);
    char *alone_ru = keys_of(ctx, ru, NULL), *alone_kk = keys_of(ctx, kk, NULL);
    char *in_kk = keys_of(ctx, mixed, NULL);
    CHECK(strstr(in_kk, alone_ru) != NULL);
    CHECK(strstr(in_kk, alone_kk) != NULL);
    snprintf(mixed, sizeof mixed, "%s %s Это было давно, и никто уже не помнит.", ru, kk);
    char *in_ru = keys_of(ctx, mixed, NULL);
    CHECK(strstr(in_ru, alone_kk) != NULL);
    CHECK(strstr(in_ru, alone_ru) != NULL);
    free(alone_ru);
    free(alone_kk);
    free(in_kk);
    free(in_ru);
    adal_ctx_free(ctx);
}

/* The per-context word→key cache is keyed by the word and the stemmer chosen for it: the
 * same spelling stemmed as Russian in one paragraph and as Kazakh in the next gets each its
 * own key, on a fresh context and on one that has seen both (so the second document's words
 * come from the cache), and every key equals a fresh context's. */
TEST(norm_word_cache_keeps_stemmer)
{
    static const char *text = "Мама сказала, что она не придёт, и мы пошли домой без неё.\n"
                              "Мама бүгін үйге келді және біз бірге тамақ іштік.\n";
    adal_ctx *fresh = NULL, *shared = NULL;
    adal_ctx_new(&fresh);
    adal_ctx_new(&shared);
    adal_doc *d = NULL;
    char *want = keys_of(fresh, text, &d);
    /* the first token of each paragraph is "мама": Russian stem, then Kazakh (no suffix) */
    CHECK(d != NULL);
    if (d) {
        size_t kl, k2 = 0;
        const char *k = adal_doc_token_key(d, 0, &kl);
        CHECK(kl == strlen("мам") && memcmp(k, "мам", kl) == 0);
        for (size_t i = 1; i < adal_doc_ntokens(d); i++)
            if (adal_doc_tokens(d)[i].seg == 1) {
                k2 = i;
                break;
            }
        k = adal_doc_token_key(d, k2, &kl);
        CHECK(k2 > 0 && kl == strlen("мама") && memcmp(k, "мама", kl) == 0);
        adal_doc_free(d);
    }
    for (int pass = 0; pass < 3; pass++) {
        char *got = keys_of(shared, pass == 1 ? TOLSTOY : text, NULL);
        if (pass != 1)
            CHECK_EQ_STR(got, want);
        free(got);
    }
    free(want);
    adal_ctx_free(fresh);
    adal_ctx_free(shared);
}

/* The word cache grows from one essay's size to a course's, evicting least recently used
 * words on the way: on 700 KB of real Kazakh news sentences (KazNERD, with Russian names
 * and loan words), tens of thousands of distinct words, every document's keys on one
 * context that has seen all the others (so many words come from the cache, some after
 * being evicted and made again, some moved over when it grew) equal those on a fresh
 * context. */
TEST(norm_word_cache_grows_same_keys)
{
    const char *kk = th_path("data/kazakh/kaznerd/kaznerd_test.sentences.txt");
    if (!th_shared() || !th_exists(kk))
        SKIP("../shared/data/kazakh absent");
    size_t kn = 0;
    char *kt = th_read(kk, &kn);
    CHECK(kt != NULL);
    if (!kt)
        return;
    if (kn > 700000)
        kn = 700000;
    adal_ctx *shared = NULL;
    adal_ctx_new(&shared);
    /* documents of ~40 KB, cut at a line end; twice over, so the second round meets every
     * word again after the table has grown and evicted */
    size_t docs = 0, cached = 0;
    for (int round = 0; round < 2; round++)
        for (size_t at = 0; at < kn;) {
            size_t end = at + 40000 < kn ? at + 40000 : kn;
            while (end < kn && kt[end] != '\n')
                end++;
            char save = kt[end];
            kt[end] = '\0';
            adal_ctx *fresh = NULL;
            adal_ctx_new(&fresh);
            char *want = keys_of(fresh, kt + at, NULL);
            char *got = keys_of(shared, kt + at, NULL);
            CHECK(strlen(want) > 1000);
            CHECK_EQ_STR(got, want);
            cached += adal__norm_cache_sets(shared) > 0;
            free(want);
            free(got);
            adal_ctx_free(fresh);
            kt[end] = save;
            docs++;
            at = end + (end < kn);
        }
    CHECK(docs >= 30);
    CHECK(cached == docs);
    /* it grew past its first 4,096 sets (one essay) but stays within its 12 MiB cap */
    CHECK(adal__norm_cache_sets(shared) > 4096);
    CHECK(adal__norm_cache_sets(shared) <= 65536);
    free(kt);
    adal_ctx_free(shared);
}

/* Code points from U+0500 on are classified once a context, and what NFKC_Casefold makes of
 * one alone is kept when it is at most one unit (’ “ ” – ＡＢＣ), so pass 1 asks ICU only the
 * first time: the same keys on the first and the second sight, as on a fresh context, and
 * fullwidth letters, a ligature (two units: still ICU) and an ellipsis fold as NFKC says. */
TEST(norm_bmp_simple_cache)
{
    static const char *text = "“Don’t” – ＡＢＣ ﬁnal… Ｑазақ ２０２６ жыл — «ｂｉｒ» 漢字 عربي";
    static const char *plain = "\"Don't\" - ABC final... Qазақ 2026 жыл - «bir» 漢字 عربي";
    adal_ctx *fresh = NULL, *shared = NULL;
    adal_ctx_new(&fresh);
    adal_ctx_new(&shared);
    char *want = keys_of(fresh, plain, NULL);
    CHECK(strstr(want, "abc") != NULL && strstr(want, "final") != NULL);
    for (int pass = 0; pass < 2; pass++) {
        char *got = keys_of(shared, text, NULL);
        CHECK_EQ_STR(got, want);
        free(got);
    }
    char *again = keys_of(fresh, text, NULL);
    CHECK_EQ_STR(again, want);
    free(again);
    free(want);
    adal_ctx_free(fresh);
    adal_ctx_free(shared);
}
