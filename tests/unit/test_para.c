/* test_para.c — the paraphrase stage (src/para.c) and how its passages count (score.c):
 * a Russian and a Kazakh paraphrase written for this test, and a PAN Indonesian human-paraphrase
 * case from ../shared/data (skipped when absent); a source found by its content words alone;
 * the extension across own sentences; reordered copied sentences as one passage; where a
 * sentence ends (hard wraps). */
#include "../harness.h"
#include "internal.h"
#include "match.h"
#include "tok_helper.h"

#include <adal.h>
#include <stdlib.h>
#include <string.h>

static adal_report *check1c(adal_ctx *ctx, adal_doc *q, const adal_doc *s, int no_para)
{
    adal_report *r = NULL;
    adal_check_opts o = ADAL_CHECK_OPTS_INIT;
    o.no_paraphrase = no_para;
    if (adal_report_new(&r, ctx, q, &o) != ADAL_OK)
        return NULL;
    if (adal_report_add_source(r, ctx, s, "src") != ADAL_OK ||
        adal_report_finish(r, ctx) != ADAL_OK) {
        adal_report_free(r);
        return NULL;
    }
    return r;
}

static adal_report *check1(adal_doc *q, const adal_doc *s, int no_para)
{
    return check1c(NULL, q, s, no_para);
}

static const char RU_SRC[] =
    "Байкал является самым глубоким озером на планете и крупнейшим природным резервуаром "
    "пресной воды. Озеро расположено в южной части Восточной Сибири, на границе Иркутской "
    "области и Республики Бурятия. Его максимальная глубина составляет более тысячи шестисот "
    "метров, а возраст озера учёные оценивают в двадцать пять миллионов лет. В Байкале обитает "
    "множество эндемичных видов животных, среди которых байкальская нерпа и рыба омуль. Вода в "
    "озере отличается необычайной прозрачностью и чистотой, поэтому камни на дне видны на "
    "глубине до сорока метров.\n";

static const char RU_PARA[] =
    "Моё эссе посвящено природе родного края и тому, что я узнал летом.\n"
    "Самое глубокое озеро планеты, Байкал, представляет собой крупнейший природный резервуар "
    "пресной воды. Расположено озеро на юге Восточной Сибири, между Иркутской областью и "
    "Бурятией. Максимальная глубина Байкала превышает тысячу шестьсот метров, а его возраст "
    "учёные оценивают примерно в двадцать пять миллионов лет. Здесь обитают многие эндемичные "
    "виды животных, например байкальская нерпа и омуль. Благодаря необычайной прозрачности и "
    "чистоте воды камни на дне можно увидеть на глубине сорока метров.\n"
    "В заключение скажу, что мне хотелось бы когда-нибудь побывать там самому.\n";

/* The same topic in the student's own words: no sentence says what the source says. */
static const char RU_OWN[] =
    "Прошлым летом мы с отцом ездили на Байкал на поезде, дорога заняла четыре дня. Мы жили в "
    "палатке у маленькой деревни и каждое утро ходили за хлебом в местный магазин. Вечерами "
    "отец рассказывал мне, как в детстве ловил рыбу с дедом на этом берегу. Однажды мы видели "
    "нерпу, но она быстро нырнула и больше не показывалась. Я решил, что обязательно вернусь "
    "туда с друзьями, когда закончу школу.\n";

TEST(para_russian_paraphrase_is_shown_not_counted)
{
    adal_doc *s = th_doc(RU_SRC), *q = th_doc(RU_PARA);
    adal_report *r = s && q ? check1(q, s, 0) : NULL;
    CHECK(r != NULL);
    if (r) {
        long a = th_find16(q, "Самое глубокое"), e = th_find16(q, "сорока метров.");
        size_t npara = 0;
        for (size_t i = 0; i < adal_report_npassages(r); i++) {
            const adal_passage *p = adal_report_passage(r, i);
            if (p->kind != ADAL_PASSAGE_PARAPHRASE)
                continue;
            npara++;
            /* the passage holds most of the paraphrased paragraph, and nothing before it */
            CHECK((long)p->qstart >= a);
            CHECK((long)p->qend <= e + 14);
            CHECK((long)(p->qend - p->qstart) * 2 >= e - a);
            CHECK(p->similarity > 0.33 && p->similarity <= 1.0);
            CHECK(p->sstart < p->send);
        }
        CHECK_EQ_INT(npara, 1);
        adal_score sc;
        adal_report_score(r, &sc);
        CHECK(sc.borrowed == 0.0); /* shown, not counted */
        CHECK(sc.originality == 100.0);
    }
    adal_report_free(r);
    /* without the stage: no passage at all (no 8-word run is shared) */
    r = s && q ? check1(q, s, 1) : NULL;
    CHECK(r != NULL);
    if (r)
        CHECK_EQ_INT(adal_report_npassages(r), 0);
    adal_report_free(r);
    adal_doc_free(q);
    /* the same topic in own words: nothing */
    q = th_doc(RU_OWN);
    r = s && q ? check1(q, s, 0) : NULL;
    CHECK(r != NULL);
    if (r)
        CHECK_EQ_INT(adal_report_npassages(r), 0);
    adal_report_free(r);
    adal_doc_free(q);
    adal_doc_free(s);
}

static const char KK_SRC[] =
    "Абай Құнанбайұлы қазақтың ұлы ақыны, ағартушысы және ойшылы болып табылады. Ол Семей "
    "өңіріндегі Шыңғыс тауының баурайында дүниеге келген. Абай жас кезінде медреседе оқып, араб "
    "және парсы тілдерін меңгерген. Кейін орыс әдебиетімен танысып, Пушкин мен Лермонтовтың "
    "шығармаларын қазақ тіліне аударған. Оның қара сөздері халықты білім алуға, еңбек етуге "
    "және адал болуға шақырады.\n";

static const char KK_PARA[] =
    "Бұл жұмыста мен сүйікті ақыным туралы жазғым келеді.\n"
    "Қазақтың ұлы ақыны әрі ойшылы Абай Құнанбайұлы халқына ағартушы ретінде танылды. Абай "
    "Шыңғыс тауының етегінде, Семей өңірінде өмірге келді. Жастайынан медреседе білім алған Абай "
    "араб пен парсы тілдерін жетік меңгерді. Орыс әдебиетімен танысқан соң ол Пушкин мен "
    "Лермонтовтың шығармаларын ана тілімізге аударды. Абайдың қара сөздері халықты еңбек етуге, "
    "білім алуға және адал болуға үндейді.\n"
    "Сондықтан мен Абайдың кітаптарын оқуды бәріне ұсынамын.\n";

TEST(para_kazakh_paraphrase_is_shown_not_counted)
{
    adal_doc *s = th_doc(KK_SRC), *q = th_doc(KK_PARA);
    adal_report *r = s && q ? check1(q, s, 0) : NULL;
    CHECK(r != NULL);
    if (r) {
        long a = th_find16(q, "Қазақтың ұлы"), e = th_find16(q, "Сондықтан");
        CHECK_EQ_INT(adal_report_npassages(r), 1);
        const adal_passage *p = adal_report_passage(r, 0);
        if (p) {
            CHECK_EQ_INT(p->kind, ADAL_PASSAGE_PARAPHRASE);
            CHECK_EQ_INT(p->qstart, a);
            CHECK((long)p->qend < e && (long)p->qend + 3 >= e);
            CHECK_EQ_INT(p->sstart, 0);
        }
        adal_score sc;
        adal_report_score(r, &sc);
        CHECK(sc.borrowed == 0.0 && sc.originality == 100.0);
    }
    adal_report_free(r);
    adal_doc_free(q);
    adal_doc_free(s);
}

/* One PAN Indonesian pair: suspicious-document<QN> checked against source-document<SN>
 * (../shared/data/pan-indonesian), loaded and normalised as `adal check` reads them. */
typedef struct pan_pair {
    adal_ctx *ctx;
    adal_doc *q, *s;
    adal_report *r;
} pan_pair;

/* 0 when the data is absent (the caller skips), else 1 with pp->r the report (NULL after a
 * failed check, which the CHECKs here already counted). */
static int pan_open(pan_pair *pp, const char *qn, const char *sn)
{
    memset(pp, 0, sizeof *pp);
    if (!th_shared())
        return 0;
    char qpath[512], spath[512];
    snprintf(qpath, sizeof qpath, "%s",
             th_path("data/pan-indonesian/suspicious-documents/suspicious-document"));
    snprintf(qpath + strlen(qpath), sizeof qpath - strlen(qpath), "%s.txt", qn);
    snprintf(spath, sizeof spath, "%s",
             th_path("data/pan-indonesian/source-documents/source-document"));
    snprintf(spath + strlen(spath), sizeof spath - strlen(spath), "%s.txt", sn);
    if (!th_exists(qpath) || !th_exists(spath))
        return 0;
    CHECK_EQ_INT(adal_ctx_new(&pp->ctx), ADAL_OK);
    CHECK_EQ_INT(adal_doc_load(&pp->q, pp->ctx, qpath, NULL), ADAL_OK);
    CHECK_EQ_INT(adal_doc_load(&pp->s, pp->ctx, spath, NULL), ADAL_OK);
    if (pp->q)
        CHECK_EQ_INT(adal_doc_normalize(pp->q, pp->ctx), ADAL_OK);
    if (pp->s)
        CHECK_EQ_INT(adal_doc_normalize(pp->s, pp->ctx), ADAL_OK);
    pp->r = pp->q && pp->s ? check1c(pp->ctx, pp->q, pp->s, 0) : NULL;
    CHECK(pp->r != NULL);
    return 1;
}

static void pan_close(pan_pair *pp)
{
    adal_report_free(pp->r);
    adal_doc_free(pp->q);
    adal_doc_free(pp->s);
    adal_ctx_free(pp->ctx);
}

/* The passages that overlap the essay's case [c0, c1): how many paraphrase passages (*outer
 * is the last) and how many exact ones. */
static void pan_case_passages(const adal_report *r, uint32_t c0, uint32_t c1,
                              const adal_passage **outer, size_t *nouter, size_t *nexact)
{
    *outer = NULL;
    *nouter = *nexact = 0;
    for (size_t i = 0; i < adal_report_npassages(r); i++) {
        const adal_passage *p = adal_report_passage(r, i);
        if (p->qend <= c0 || p->qstart >= c1)
            continue;
        if (p->kind == ADAL_PASSAGE_PARAPHRASE) {
            *outer = p;
            ++*nouter;
        } else
            ++*nexact;
    }
}

/* PAN Indonesian: suspicious-document00006 [17027,18368) is a human paraphrase (simulated)
 * of source-document00022 [44331,46230); the exact stage finds none of it. The text files
 * are LF-only UTF-8, so adal's UTF-16 offsets are PAN's character offsets. */
TEST(para_pan_simulated_case)
{
    pan_pair pp;
    if (!pan_open(&pp, "00006", "00022"))
        SKIP("../shared/data/pan-indonesian absent");
    const adal_report *r = pp.r;
    if (r) {
        uint32_t best = 0;
        for (size_t i = 0; i < adal_report_npassages(r); i++) {
            const adal_passage *p = adal_report_passage(r, i);
            if (p->kind != ADAL_PASSAGE_PARAPHRASE || p->send <= 44331 || p->sstart >= 46230)
                continue;
            uint32_t a = p->qstart > 17027 ? p->qstart : 17027;
            uint32_t e = p->qend < 18368 ? p->qend : 18368;
            if (e > a && e - a > best)
                best = e - a;
            CHECK(p->qstart + 200 >= 17027 && p->qend <= 18368 + 200); /* near the case */
        }
        CHECK(best * 2 >= 18368 - 17027); /* at least half of the case */
    }
    pan_close(&pp);
}

/* PAN Indonesian random shuffling: suspicious-document00002 [4198,6043) is
 * source-document00021 [10027,11870) with its words shuffled.
 * The exact passages are the pieces that kept 8+ words in order, scattered over the source
 * stretch; the paraphrase passage encloses all of them, so the grader (and PAN) sees one
 * passage for the case, while only the verified pieces count. */
TEST(para_pan_shuffled_case_is_one_outer_passage)
{
    pan_pair pp;
    if (!pan_open(&pp, "00002", "00021"))
        SKIP("../shared/data/pan-indonesian absent");
    const adal_report *r = pp.r;
    if (r) {
        const uint32_t c0 = 4198, c1 = 6043, s0 = 10027, s1 = 11870;
        const adal_passage *outer;
        size_t nouter, nexact;
        pan_case_passages(r, c0, c1, &outer, &nouter, &nexact);
        CHECK_EQ_INT(nouter, 1); /* one outer passage */
        CHECK(outer != NULL);
        CHECK(nexact >= 3);
        if (outer) {
            uint32_t a = outer->qstart > c0 ? outer->qstart : c0;
            uint32_t e = outer->qend < c1 ? outer->qend : c1;
            CHECK(e > a && (e - a) * 10 >= (c1 - c0) * 9); /* 90 % of the case */
            CHECK(outer->sstart < s1 && outer->send > s0);
            for (size_t i = 0; i < adal_report_npassages(r); i++) {
                const adal_passage *p = adal_report_passage(r, i);
                if (p->kind == ADAL_PASSAGE_EXACT && p->qend > c0 && p->qstart < c1) {
                    CHECK(p->qstart >= outer->qstart && p->qend <= outer->qend);
                    CHECK(p->sstart >= outer->sstart && p->send <= outer->send);
                }
            }
        }
        adal_score sc;
        adal_report_score(r, &sc);
        CHECK(sc.borrowed > 0.0); /* the verified pieces count */
    }
    pan_close(&pp);
}

/* RU_SRC rewritten so that no five words in a row are the same (as folded and stemmed keys):
 * the essay shares no fingerprint with its source, which only the content words find. */
static const char RU_PARA_NOFP[] =
    "Я хочу рассказать о том, что прочитал в энциклопедии.\n"
    "Самым глубоким на Земле озером является Байкал, крупнейшее природное хранилище пресной "
    "воды. Находится озеро на юге Восточной Сибири, между Бурятией и Иркутской областью. "
    "Глубина Байкала местами превышает тысячу шестьсот метров, а по оценкам учёных озеру около "
    "двадцати пяти миллионов лет. Здесь живёт много эндемичных животных, например омуль и "
    "байкальская нерпа. Благодаря прозрачности и чистоте воды камни на дне видно даже на "
    "сорокаметровой глубине.\n"
    "Мне бы очень хотелось однажды увидеть это озеро своими глазами.\n";

static const char RU_OTHER[] =
    "Московский метрополитен открылся в 1935 году, и первая линия соединила Сокольники с парком "
    "культуры. Станции строили как подземные дворцы: мрамор, мозаика и бронзовые скульптуры "
    "украшают их до сих пор. Сегодня метро перевозит миллионы пассажиров в день, а новые линии "
    "продолжают прокладывать к окраинам города.\n";

static bool shares_fp(adal_doc *a, adal_doc *b)
{
    if (adal_doc_fingerprint(a, NULL) != ADAL_OK || adal_doc_fingerprint(b, NULL) != ADAL_OK)
        return true;
    for (size_t i = 0; i < a->nfps; i++)
        for (size_t j = 0; j < b->nfps; j++)
            if (a->fps[i].hash == b->fps[j].hash)
                return true;
    return false;
}

static adal_refset *ru_set_words(int words)
{
    adal_refset *rs = NULL;
    if (adal_refset_new(&rs, NULL) != ADAL_OK)
        return NULL;
    if (adal_refset_index_words(rs, words) != ADAL_OK) {
        adal_refset_free(rs);
        return NULL;
    }
    const char *txt[] = {RU_OWN, RU_SRC, KK_SRC, RU_OTHER};
    const char *ids[] = {"trip", "baikal", "abai", "metro"};
    for (int i = 0; i < 4; i++) {
        adal_doc *d = th_doc(txt[i]);
        if (!d || adal_refset_add(rs, NULL, d, ids[i]) != ADAL_OK) {
            adal_refset_free(rs);
            return NULL;
        }
    }
    return rs;
}

static adal_refset *ru_set(void)
{
    return ru_set_words(1);
}

/* A source that shares no fingerprint with the essay is found by its content words
 * (refset.c), and the paraphrase stage then shows the rewritten passage; the source on the
 * same topic in other words ("trip") and the unrelated ones give nothing. */
TEST(para_source_found_by_content_words)
{
    adal_doc *q = th_doc(RU_PARA_NOFP), *s = th_doc(RU_SRC);
    CHECK(q && s);
    if (!q || !s) {
        adal_doc_free(q);
        adal_doc_free(s);
        return;
    }
    CHECK(!shares_fp(q, s)); /* else this test would not test the content-word search */
    adal_refset *rs = ru_set();
    CHECK(rs != NULL);
    for (int no_para = 0; rs && no_para < 2; no_para++) {
        adal_report *r = NULL;
        adal_check_opts o = ADAL_CHECK_OPTS_INIT;
        o.no_paraphrase = no_para;
        CHECK_EQ_INT(adal_refset_check(&r, NULL, rs, q, &o, NULL, 0), ADAL_OK);
        if (!r)
            continue;
        size_t npara = 0;
        long a = th_find16(q, "Самым глубоким"), e = th_find16(q, "Мне бы");
        for (size_t i = 0; i < adal_report_npassages(r); i++) {
            const adal_passage *p = adal_report_passage(r, i);
            const adal_source_result *src = adal_report_source(r, p->source);
            CHECK_EQ_INT(p->kind, ADAL_PASSAGE_PARAPHRASE);
            CHECK_EQ_STR(src ? src->id : "", "baikal");
            CHECK((long)p->qstart >= a && (long)p->qend <= e);
            CHECK((long)(p->qend - p->qstart) * 2 >= e - a);
            npara++;
        }
        CHECK_EQ_INT(npara, no_para ? 0 : 1);
        adal_score sc;
        adal_report_score(r, &sc);
        CHECK(sc.originality == 100.0); /* shown, not counted */
        adal_report_free(r);
    }
    adal_doc_free(q);
    /* the same topic in own words, checked against the set: nothing */
    q = th_doc(RU_OWN);
    adal_refset_free(rs);
    rs = ru_set();
    if (rs && q) {
        adal_report *r = NULL;
        adal_refset_check(&r, NULL, rs, q, NULL, (size_t[]){0}, 1); /* "trip" is q itself */
        CHECK(r != NULL);
        if (r)
            CHECK_EQ_INT(adal_report_npassages(r), 0);
        adal_report_free(r);
    }
    adal_refset_free(rs);
    adal_doc_free(q);
    adal_doc_free(s);
}

/* A reference set told not to index content words (what `compare --all` does) does not
 * find that source: the search is the index's, not something else's; and the switch is
 * refused once documents are in. */
TEST(para_no_word_index_no_content_word_sources)
{
    adal_doc *q = th_doc(RU_PARA_NOFP);
    adal_refset *rs = ru_set_words(0);
    CHECK(q && rs);
    if (q && rs) {
        adal_report *r = NULL;
        CHECK_EQ_INT(adal_refset_check(&r, NULL, rs, q, NULL, NULL, 0), ADAL_OK);
        CHECK(r && adal_report_npassages(r) == 0 && adal_report_nsources(r) == 0);
        adal_report_free(r);
        CHECK_EQ_INT(adal_refset_index_words(rs, 1), ADAL_EINVAL);
    }
    adal_refset_free(rs);
    adal_doc_free(q);
}

/* A document from text through the real normaliser (stemmed keys), as `adal check` reads it. */
static adal_doc *norm_doc(adal_ctx *ctx, const char *utf8)
{
    adal_doc *d = NULL;
    if (!ctx || adal_doc_from_text(&d, ctx, utf8, strlen(utf8), "t") != ADAL_OK)
        return NULL;
    if (adal_doc_normalize(d, ctx) != ADAL_OK) {
        adal_doc_free(d);
        return NULL;
    }
    return d;
}

/* Sentences of the student's own between two halves of a paraphrase: a few are bridged
 * (Sanchez-Perez et al.'s extension: the two stretches as a whole stay similar; with the
 * former fixed gap of 3 sentences, 5 own sentences split it), 14 split it in two passages. */
static const char *const FILLER[] = {
    "В нашей школе работает большой кружок робототехники для старших учеников.",
    "Учитель физики Иван Петрович ведёт занятия кружка каждую среду после уроков.",
    "Прошлой зимой мы собрали маленькую машинку на батарейках из старого конструктора.",
    "Машинка умеет объезжать стулья, столы и рюкзаки в нашем школьном классе.",
    "Весной наша команда поехала на городскую олимпиаду по программированию роботов.",
    "Там соревновались сильные команды из соседних школ, гимназий и лицеев.",
    "Наша команда заняла почётное третье место и получила грамоту от жюри.",
    "Директор школы поздравил всех участников на торжественной утренней линейке.",
    "Летом школьный кружок закрывается, потому что учитель уезжает в отпуск.",
    "Осенью ребята собираются построить настоящий летающий дрон с камерой.",
    "Для дрона понадобятся новые моторы, лёгкие пропеллеры и хороший аккумулятор.",
    "Родители учеников обещали помочь кружку с покупкой дорогих деталей.",
    "Младшие школьники тоже просятся на занятия, хотя им пока рано паять.",
    "Места в просторном кабинете физики хватит всем желающим ребятам."};

static size_t para_count_with_filler(size_t nfill)
{
    char q[8192];
    size_t n = (size_t)snprintf(q, sizeof q, "%s",
                                "Самое глубокое озеро планеты, Байкал, представляет собой "
                                "крупнейший природный резервуар пресной воды. Расположено озеро "
                                "на юге Восточной Сибири, между Иркутской областью и Бурятией. "
                                "Максимальная глубина Байкала превышает тысячу шестьсот метров, а "
                                "его возраст учёные оценивают примерно в двадцать пять миллионов "
                                "лет. ");
    for (size_t i = 0; i < nfill && n < sizeof q; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, "%s ", FILLER[i]);
    if (n < sizeof q)
        snprintf(q + n, sizeof q - n, "%s",
                 "Здесь обитают многие эндемичные виды животных, например байкальская нерпа и "
                 "омуль. Благодаря необычайной прозрачности и чистоте воды камни на дне можно "
                 "увидеть на глубине сорока метров. Озеро Байкал называют жемчужиной Сибири.\n");
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    adal_doc *s = norm_doc(ctx, RU_SRC), *qd = norm_doc(ctx, q);
    adal_report *r = s && qd ? check1c(ctx, qd, s, 0) : NULL;
    size_t np = 0;
    for (size_t i = 0; r && i < adal_report_npassages(r); i++) {
        np += adal_report_passage(r, i)->kind == ADAL_PASSAGE_PARAPHRASE;
        if (getenv("ADAL_TEST_VERBOSE"))
            fprintf(stderr, "      %zu own sentences: passage %u-%u kind %d\n", nfill,
                    adal_report_passage(r, i)->qstart, adal_report_passage(r, i)->qend,
                    adal_report_passage(r, i)->kind);
    }
    adal_report_free(r);
    adal_doc_free(qd);
    adal_doc_free(s);
    adal_ctx_free(ctx);
    return np;
}

TEST(para_extension_bridges_a_few_own_sentences_not_many)
{
    CHECK_EQ_INT(para_count_with_filler(0), 1);
    CHECK_EQ_INT(para_count_with_filler(5), 1);  /* bridged: one passage */
    CHECK_EQ_INT(para_count_with_filler(14), 2); /* too far: two passages */
}

/* PAN Indonesian: suspicious-document00024 [18809,20832) is source-document00019
 * [22570,24592) with its sentences in another order, most copied whole. Each copied
 * sentence is its own exact passage (six of them); the sentence pairs form one cluster the
 * exact passages explain, kept because it joins them: one paraphrase passage around the
 * case, the copies inside it. */
TEST(para_pan_reordered_sentences_are_one_outer_passage)
{
    pan_pair pp;
    if (!pan_open(&pp, "00024", "00019"))
        SKIP("../shared/data/pan-indonesian absent");
    const adal_report *r = pp.r;
    if (r) {
        const uint32_t c0 = 18809, c1 = 20832;
        const adal_passage *outer;
        size_t nouter, nexact;
        pan_case_passages(r, c0, c1, &outer, &nouter, &nexact);
        CHECK_EQ_INT(nouter, 1);
        CHECK(nexact >= 2);
        if (outer) {
            uint32_t a = outer->qstart > c0 ? outer->qstart : c0;
            uint32_t e = outer->qend < c1 ? outer->qend : c1;
            CHECK(e > a && (e - a) * 10 >= (c1 - c0) * 9); /* 90 % of the case */
            CHECK(outer->qstart + 100 >= c0 && outer->qend <= c1 + 100);
            for (size_t i = 0; i < adal_report_npassages(r); i++) {
                const adal_passage *p = adal_report_passage(r, i);
                if (p->kind == ADAL_PASSAGE_EXACT && p->qend > c0 && p->qstart < c1)
                    CHECK(p->qstart >= outer->qstart && p->qend <= outer->qend);
            }
        }
    }
    pan_close(&pp);
}

/* The paraphrase stage's sentences: a line break before a lower-case word is a hard wrap
 * inside a sentence (text pasted from a PDF, PAN's 100-column corpus), one before a capital
 * starts a sentence even without a full stop (a heading, a list). Each sentence below has at
 * least SENT_MIN content terms, so none is joined to the next for being short. */
TEST(para_hard_wrap_is_not_a_sentence_end)
{
    static const char TXT[] =
        "Казахская степь простирается на тысячи километров от Каспийского моря\n"
        "до горных хребтов Алтая. Кочевники веками перегоняли скот\n"
        "по этим бескрайним просторам\n"
        "от зимовок к летним пастбищам. Весной степь покрывается тюльпанами и маками\n"
        "Летом травы выгорают под палящим солнцем.\n"
        "\n" /* a blank line: paragraphs are blocks, a single line break stays inside one */
        "Осенью аулы возвращаются к зимовкам у подножия гор.\n";
    static const char *const START[] = {"Казахская", "Кочевники", "Весной", "Летом", "Осенью"};
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    /* read as a .txt file is (adal_doc_from_text makes a paragraph of every line) */
    adal_doc *d = NULL;
    CHECK_EQ_INT(adal_doc_from_memory(&d, ctx, TXT, sizeof TXT - 1, "wrap.txt", NULL), ADAL_OK);
    CHECK(d && adal_doc_normalize(d, ctx) == ADAL_OK);
    adal__para *p = NULL;
    uint32_t *s = NULL;
    size_t n = 0;
    if (d && adal__para_new(ctx, d, &p) == ADAL_OK &&
        adal__para_sentences(ctx, p, &s, &n) == ADAL_OK) {
        CHECK_EQ_INT(n, 5);
        for (size_t i = 0; i < n && i < 5; i++) {
            long off = th_find16(d, START[i]);
            CHECK(off >= 0);
            CHECK_EQ_INT(s[i], th_tok_at(d, (uint32_t)off));
        }
    } else {
        CHECK(0);
    }
    adal__free(s);
    adal__para_free(p);
    adal_doc_free(d);
    adal_ctx_free(ctx);
}

/* A source whose paraphrase model is kept on it (batch makes one for every submission as it
 * loads them) gives the passages one made for the pair gives, in every pair it is in (the
 * second report reads the model the first one used: nothing may have changed it). */
static bool same_passages(const adal_report *a, const adal_report *b)
{
    if (adal_report_npassages(a) != adal_report_npassages(b))
        return false;
    for (size_t i = 0; i < adal_report_npassages(a); i++) {
        const adal_passage *x = adal_report_passage(a, i), *y = adal_report_passage(b, i);
        if (x->kind != y->kind || x->qstart != y->qstart || x->qend != y->qend ||
            x->sstart != y->sstart || x->send != y->send || x->similarity != y->similarity)
            return false;
    }
    return true;
}

TEST(para_kept_source_model_gives_the_same_passages)
{
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    adal_doc *s1 = th_doc(RU_SRC), *s2 = th_doc(RU_SRC), *q = th_doc(RU_PARA);
    CHECK(s1 && s2 && q);
    CHECK(s2 && adal__para_model(ctx, s2) == ADAL_OK);
    adal_report *r1 = s1 && q ? check1(q, s1, 0) : NULL;
    CHECK(r1 != NULL);
    size_t npara = 0;
    for (size_t i = 0; r1 && i < adal_report_npassages(r1); i++)
        npara += adal_report_passage(r1, i)->kind == ADAL_PASSAGE_PARAPHRASE;
    CHECK(npara >= 1); /* the comparison is of a paraphrase passage */
    for (int pair = 0; pair < 2; pair++) {
        adal_report *r2 = s2 && q ? check1(q, s2, 0) : NULL;
        CHECK(r1 && r2 && same_passages(r1, r2));
        adal_report_free(r2);
    }
    adal_report_free(r1);
    adal_doc_free(s1);
    adal_doc_free(s2);
    adal_doc_free(q);
    adal_ctx_free(ctx);
}
