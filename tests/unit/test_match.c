/* test_match.c — alignment: exact passage boundaries on both sides for verbatim copies,
 * passages that survive insertions, deletions and 10 % / 25 % substitutions, moved blocks as
 * separate passages, short matches dropped, union over sources. Query = Chekhov (Russian)
 * with pieces of Abai (Kazakh) pasted in, so nothing outside the pieces can match. */
#include "../harness.h"
#include "match.h"
#include "tok_helper.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct words {
    char *buf;
    char **w;
    size_t n;
} words;

static void words_load(words *ws, const char *path)
{
    size_t len = 0;
    memset(ws, 0, sizeof *ws);
    ws->buf = th_read(path, &len);
    if (!ws->buf)
        return;
    ws->w = malloc((len / 2 + 1) * sizeof *ws->w);
    char *save = NULL;
    for (char *t = strtok_r(ws->buf, " \n\t", &save); t; t = strtok_r(NULL, " \n\t", &save))
        ws->w[ws->n++] = t;
}

static void words_free(words *ws)
{
    free(ws->buf);
    free(ws->w);
}

/* A growing text that remembers where pieces start and end (bytes). */
typedef struct sb {
    char *s;
    size_t n, cap;
} sb;

static void sb_word(sb *b, const char *w)
{
    size_t l = strlen(w);
    if (b->n + l + 2 > b->cap) {
        b->cap = (b->n + l + 2) * 2;
        b->s = realloc(b->s, b->cap);
    }
    if (b->n)
        b->s[b->n++] = ' ';
    memcpy(b->s + b->n, w, l);
    b->n += l;
    b->s[b->n] = '\0';
}

static void sb_words(sb *b, const words *ws, size_t from, size_t count)
{
    for (size_t i = from; i < from + count && i < ws->n; i++)
        sb_word(b, ws->w[i]);
}

/* UTF-16 offset of byte offset b. */
static uint32_t u16(const adal_doc *d, size_t b)
{
    for (size_t i = 0; i <= d->text16_len; i++)
        if (d->off8[i] >= b)
            return (uint32_t)i;
    return (uint32_t)d->text16_len;
}

/* First token starting at or after byte a, last token ending at or before byte e. */
static void tok_range(const adal_doc *d, size_t a, size_t e, uint32_t *s16, uint32_t *e16)
{
    uint32_t A = u16(d, a), E = u16(d, e);
    *s16 = *e16 = 0;
    for (size_t i = 0; i < d->ntoks; i++)
        if (d->toks[i].start >= A) {
            *s16 = d->toks[i].start;
            break;
        }
    for (size_t i = d->ntoks; i-- > 0;)
        if (d->toks[i].end <= E) {
            *e16 = d->toks[i].end;
            break;
        }
}

static adal_report *check1(adal_doc *q, const adal_doc *s, const adal_check_opts *o)
{
    adal_report *r = NULL;
    if (adal_report_new(&r, NULL, q, o) != ADAL_OK)
        return NULL;
    if (adal_report_add_source(r, NULL, s, "src") != ADAL_OK ||
        adal_report_finish(r, NULL) != ADAL_OK) {
        adal_report_free(r);
        return NULL;
    }
    return r;
}

/* The source: 700 words of Abai as one document. */
static adal_doc *abai_src(const words *ab, sb *text)
{
    memset(text, 0, sizeof *text);
    sb_words(text, ab, 0, 700);
    return th_doc(text->s);
}

static int load(words *ab, words *ch)
{
    words_load(ab, "tests/data/engine/abai.txt");
    words_load(ch, "tests/data/engine/chekhov.txt");
    return ab->n >= 700 && ch->n >= 600;
}

TEST(match_verbatim_exact_boundaries)
{
    words ab, ch;
    CHECK(load(&ab, &ch));
    sb st, qt = {0};
    adal_doc *src = abai_src(&ab, &st);
    /* query: 100 Chekhov words, Abai words 200..259, 100 Chekhov words */
    sb_words(&qt, &ch, 0, 100);
    size_t qa = qt.n + 1;
    sb_words(&qt, &ab, 200, 60);
    size_t qe = qt.n;
    sb_words(&qt, &ch, 100, 100);
    adal_doc *q = th_doc(qt.s);
    /* where the piece is in the source */
    sb pre = {0};
    sb_words(&pre, &ab, 0, 200);
    size_t sa = pre.n + 1;
    sb_words(&pre, &ab, 200, 60);
    size_t se = pre.n;
    adal_report *r = src && q ? check1(q, src, NULL) : NULL;
    CHECK(r != NULL);
    if (r) {
        uint32_t eqs, eqe, ess, ese;
        tok_range(q, qa, qe, &eqs, &eqe);
        tok_range(src, sa, se, &ess, &ese);
        CHECK_EQ_INT(adal_report_npassages(r), 1);
        CHECK_EQ_INT(adal_report_nsources(r), 1);
        const adal_passage *p = adal_report_passage(r, 0);
        if (p) {
            CHECK_EQ_INT(p->qstart, eqs);
            CHECK_EQ_INT(p->qend, eqe);
            CHECK_EQ_INT(p->sstart, ess);
            CHECK_EQ_INT(p->send, ese);
            CHECK_EQ_INT(p->qntok, p->sntok);
            CHECK(p->similarity == 1.0);
            CHECK_EQ_INT(p->source, 0);
            CHECK(!p->cited);
        }
        adal_score sc;
        adal_report_score(r, &sc);
        CHECK(sc.borrowed > 20 && sc.borrowed < 40);
        CHECK(sc.originality + sc.borrowed + sc.cited > 99.95);
        CHECK(sc.originality + sc.borrowed + sc.cited < 100.05);
        CHECK_EQ_STR(adal_report_source(r, 0)->id, "src");
    }
    adal_report_free(r);
    adal_doc_free(q);
    adal_doc_free(src);
    free(qt.s);
    free(st.s);
    free(pre.s);
    words_free(&ab);
    words_free(&ch);
}

/* Paste Abai words 200..299 with edits: rate% of the words substituted by Chekhov words,
 * plus (if indel) a few inserted and deleted words. Returns the share of the 100 pasted
 * words covered by passages, and checks no passage leaves the pasted region. */
static double edited(int rate, int indel, unsigned seed, int *outside, double *sim)
{
    words ab, ch;
    double cover = -1;
    *outside = 0;
    *sim = 0;
    if (!load(&ab, &ch)) {
        words_free(&ab);
        words_free(&ch);
        return -1;
    }
    sb st, qt = {0};
    adal_doc *src = abai_src(&ab, &st);
    srand(seed);
    sb_words(&qt, &ch, 0, 100);
    size_t qa = qt.n + 1, cw = 300;
    for (size_t i = 200; i < 300; i++) {
        if (indel && (i == 220 || i == 250 || i == 280)) {
            sb_word(&qt, ch.w[cw++]);
            sb_word(&qt, ch.w[cw++]);
        }
        if (indel && (i == 235 || i == 265))
            continue; /* deleted */
        if (rand() % 100 < rate)
            sb_word(&qt, ch.w[cw++]);
        else
            sb_word(&qt, ab.w[i]);
    }
    size_t qe = qt.n;
    sb_words(&qt, &ch, 100, 100);
    adal_doc *q = th_doc(qt.s);
    adal_report *r = src && q ? check1(q, src, NULL) : NULL;
    if (r) {
        uint32_t a16 = u16(q, qa), e16 = u16(q, qe), cov = 0, tot = 0;
        for (size_t i = 0; i < adal_report_npassages(r); i++) {
            const adal_passage *p = adal_report_passage(r, i);
            if (p->qstart < a16 || p->qend > e16)
                (*outside)++;
            *sim = p->similarity;
            if (getenv("ADAL_TEST_VERBOSE"))
                fprintf(stderr, "      q %u+%u s %u+%u sim %.2f (piece at q tok %ld)\n", p->qtok,
                        p->qntok, p->stok, p->sntok, p->similarity, th_tok_at(q, a16));
        }
        for (size_t t = 0; t < q->ntoks; t++) {
            if (q->toks[t].start < a16 || q->toks[t].end > e16)
                continue;
            tot++;
            for (size_t i = 0; i < adal_report_npassages(r); i++) {
                const adal_passage *p = adal_report_passage(r, i);
                if (q->toks[t].start >= p->qstart && q->toks[t].end <= p->qend) {
                    cov++;
                    break;
                }
            }
        }
        cover = tot ? (double)cov / tot : 0;
        if (getenv("ADAL_TEST_VERBOSE"))
            fprintf(stderr, "    edits %d%% indel %d seed %u: %zu passages, cover %.3f, sim %.3f\n",
                    rate, indel, seed, adal_report_npassages(r), cover, *sim);
    }
    adal_report_free(r);
    adal_doc_free(q);
    adal_doc_free(src);
    free(qt.s);
    free(st.s);
    words_free(&ab);
    words_free(&ch);
    return cover;
}

TEST(match_substitutions_10)
{
    for (unsigned seed = 1; seed <= 5; seed++) {
        int out;
        double sim, c = edited(10, 0, seed, &out, &sim);
        CHECK(c >= 0.9);
        CHECK_EQ_INT(out, 0);
    }
}

TEST(match_substitutions_25)
{
    double sum = 0;
    for (unsigned seed = 1; seed <= 5; seed++) {
        int out;
        double sim, c = edited(25, 0, seed, &out, &sim);
        CHECK(c >= 0.6);
        CHECK_EQ_INT(out, 0);
        sum += c;
    }
    CHECK(sum / 5 >= 0.75);
}

TEST(match_insertions_deletions)
{
    for (unsigned seed = 1; seed <= 5; seed++) {
        int out;
        double sim, c = edited(0, 1, seed, &out, &sim);
        CHECK(c >= 0.95);
        CHECK_EQ_INT(out, 0);
        c = edited(10, 1, seed, &out, &sim);
        CHECK(c >= 0.85);
        CHECK_EQ_INT(out, 0);
    }
}

/* Blocks of 30 words pasted in the order 3, 2, 1: the aligner finds them as separate chains
 * (in 3, 1, 2 the blocks 1 and 2 would be one chain: they are contiguous in the source too),
 * and the report merges them into one passage, as PAN counts a reordered copy of one
 * stretch of the source as one case: the essay's 90 words beside the source's 90. Blocks
 * of one source that lie far apart in the essay stay separate passages. */
TEST(match_reordered_blocks_are_one_passage)
{
    words ab, ch;
    CHECK(load(&ab, &ch));
    for (int far = 0; far <= 1; far++) {
        sb st, qt = {0};
        adal_doc *src = abai_src(&ab, &st);
        size_t from[3] = {260, 230, 200};
        size_t qa[3], qe[3];
        sb_words(&qt, &ch, 0, 50);
        for (int b = 0; b < 3; b++) {
            if (far && b)
                sb_words(&qt, &ch, 100 + 60 * (size_t)b, 60); /* 60 own words between */
            qa[b] = qt.n + 1;
            sb_words(&qt, &ab, from[b], 30);
            qe[b] = qt.n;
        }
        sb_words(&qt, &ch, 50, 50);
        adal_doc *q = th_doc(qt.s);
        adal_report *r = src && q ? check1(q, src, NULL) : NULL;
        CHECK(r != NULL);
        if (r) {
            CHECK_EQ_INT(adal_report_npassages(r), far ? 3 : 1);
            for (size_t b = 0; b < 3 && b < adal_report_npassages(r); b++) {
                const adal_passage *p = adal_report_passage(r, b);
                sb pre = {0};
                sb_words(&pre, &ab, 0, far ? from[b] : from[2]);
                size_t sa = pre.n + 1;
                sb_words(&pre, &ab, far ? from[b] : from[2], far ? 30 : 90);
                uint32_t ess, ese, eqs, eqe;
                tok_range(src, sa, pre.n, &ess, &ese);
                tok_range(q, qa[b], far ? qe[b] : qe[2], &eqs, &eqe);
                CHECK_EQ_INT(p->qstart, eqs);
                CHECK_EQ_INT(p->qend, eqe);
                CHECK_EQ_INT(p->sstart, ess);
                CHECK_EQ_INT(p->send, ese);
                free(pre.s);
            }
        }
        adal_report_free(r);
        adal_doc_free(q);
        adal_doc_free(src);
        free(qt.s);
        free(st.s);
    }
    words_free(&ab);
    words_free(&ch);
}

static size_t passages_for(const char *qtext, const char *stext, const adal_check_opts *o)
{
    adal_doc *q = th_doc(qtext), *s = th_doc(stext);
    adal_report *r = q && s ? check1(q, s, o) : NULL;
    size_t n = r ? adal_report_npassages(r) : 999;
    adal_report_free(r);
    adal_doc_free(q);
    adal_doc_free(s);
    return n;
}

TEST(match_short_matches_dropped)
{
    const char *src = "Адам баласы жылап туады, күйіп өледі. Екі арада не көрсе, соны айтады. "
                      "Бұл жасқа келгенше жақсы өткіздік пе, жаман өткіздік пе, әйтеуір "
                      "бірталай өмірімізді өткіздік: алыстық, жұлыстық, айтыстық, тартыстық.";
    /* 7 words (k-gram + window − 1 = 8 needed): dropped */
    CHECK_EQ_INT(passages_for("Студент сказал: жақсы өткіздік пе, жаман өткіздік пе, әйтеуір "
                              "и ушёл домой в тот вечер.",
                              src, NULL),
                 0);
    /* 11 words with well over 50 letters: kept */
    CHECK_EQ_INT(passages_for("Студент сказал: Бұл жасқа келгенше жақсы өткіздік пе, жаман "
                              "өткіздік пе, әйтеуір бірталай өмірімізді и ушёл домой.",
                              src, NULL),
                 1);
    /* 10 short words, fewer than 50 letters: dropped by default, kept with min_letters 20 */
    const char *tiny = "а б в г д е ж з и к л м н о п р с т у ф х ц ч ш щ ы э ю я";
    const char *tq = "Он сказал: к л м н о п р с т у и ушёл домой в тот вечер.";
    CHECK_EQ_INT(passages_for(tq, tiny, NULL), 0);
    adal_check_opts o = ADAL_CHECK_OPTS_INIT;
    o.min_letters = 5;
    CHECK_EQ_INT(passages_for(tq, tiny, &o), 1);
}

TEST(match_union_over_sources)
{
    words ab, ch;
    CHECK(load(&ab, &ch));
    sb st, s2 = {0}, qt = {0};
    adal_doc *src = abai_src(&ab, &st);
    /* a second source holds words 230..289 inside Russian text: overlaps the query piece */
    sb_words(&s2, &ch, 300, 40);
    sb_words(&s2, &ab, 230, 60);
    sb_words(&s2, &ch, 340, 40);
    adal_doc *src2 = th_doc(s2.s);
    sb_words(&qt, &ch, 0, 100);
    sb_words(&qt, &ab, 200, 60);
    sb_words(&qt, &ch, 100, 100);
    adal_doc *q = th_doc(qt.s);
    adal_report *r1 = src && q ? check1(q, src, NULL) : NULL, *r2 = NULL;
    CHECK(r1 != NULL);
    if (q && src && src2 && adal_report_new(&r2, NULL, q, NULL) == ADAL_OK) {
        CHECK_EQ_INT(adal_report_add_source(r2, NULL, src2, "b-second"), ADAL_OK);
        CHECK_EQ_INT(adal_report_add_source(r2, NULL, src, "a-first"), ADAL_OK);
        CHECK_EQ_INT(adal_report_finish(r2, NULL), ADAL_OK);
    }
    CHECK(r2 != NULL);
    if (r1 && r2) {
        adal_score a, b;
        adal_report_score(r1, &a);
        adal_report_score(r2, &b);
        CHECK_EQ_INT(a.covered, b.covered);
        CHECK(a.borrowed == b.borrowed);
        CHECK_EQ_INT(adal_report_nsources(r2), 2);
        const adal_source_result *x = adal_report_source(r2, 0), *y = adal_report_source(r2, 1);
        if (x && y) {
            /* sorted by share: the full source first */
            CHECK_EQ_STR(x->id, "a-first");
            CHECK(x->percent > y->percent);
            CHECK(x->percent_attributed == x->percent);
            CHECK(y->percent_attributed == 0.0);
            CHECK(x->percent_attributed + y->percent_attributed == b.borrowed);
        }
        /* passages sorted by query start, with source indexes after the sort */
        for (size_t i = 1; i < adal_report_npassages(r2); i++)
            CHECK(adal_report_passage(r2, i - 1)->qstart <= adal_report_passage(r2, i)->qstart);
    }
    adal_report_free(r1);
    adal_report_free(r2);
    adal_doc_free(q);
    adal_doc_free(src);
    adal_doc_free(src2);
    free(qt.s);
    free(st.s);
    free(s2.s);
    words_free(&ab);
    words_free(&ch);
}

TEST(match_deterministic)
{
    int out1, out2;
    double s1, s2;
    double a = edited(25, 1, 7, &out1, &s1), b = edited(25, 1, 7, &out2, &s2);
    CHECK(a == b);
    CHECK(s1 == s2);
}

static double secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* n words: word i is "w<i % period>" (period 1: a million copies of one word). */
static char *periodic(size_t n, size_t period)
{
    char *t = malloc(n * 12 + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(t + o, 12, "w%zu ", i % period);
    t[o] = '\0';
    return t;
}

TEST(match_pathological_inputs_are_fast)
{
    /* one word repeated, and text repeating with a period just long enough to stay under
     * the per-hash occurrence cap: both must finish fast with sane figures */
    size_t cases[][2] = {{200000, 1}, {20000, 2}, {11000, 700}, {11000, 5000}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char *t = periodic(cases[c][0], cases[c][1]);
        adal_doc *q = th_doc(t), *s = th_doc(t);
        free(t);
        CHECK(q && s);
        double t0 = secs();
        adal_report *r = q && s ? check1(q, s, NULL) : NULL;
        double el = secs() - t0;
        CHECK(r != NULL);
        double bound = 3.0 * (getenv("ADAL_VALGRIND") ? 40.0 : 1.0); /* valgrind: ~30 × slower */
        CHECK(el < bound);
        if (el >= bound)
            fprintf(stderr, "    case %zu took %.2f s\n", c, el);
        if (r) {
            adal_score sc;
            adal_report_score(r, &sc);
            CHECK(sc.covered <= sc.countable);
            CHECK(fabs(sc.originality + sc.borrowed + sc.cited - 100.0) < 0.05);
        }
        adal_report_free(r);
        adal_doc_free(q);
        adal_doc_free(s);
    }
}

TEST(match_random_invariants)
{
    /* random documents over small vocabularies (many chance matches): every passage lies
     * inside both texts, token counts agree with spans, shares stay consistent */
    srand(4242);
    for (int trial = 0; trial < 40; trial++) {
        size_t nq = 50 + (size_t)(rand() % 800), ns = 50 + (size_t)(rand() % 800);
        int vocab = 3 + rand() % 40;
        char *a = malloc(nq * 8 + 1), *b = malloc(ns * 8 + 1);
        size_t oa = 0, ob = 0;
        for (size_t i = 0; i < nq; i++)
            oa += (size_t)snprintf(a + oa, 8, "%s%d ", (rand() % 13) ? "" : "\n", rand() % vocab);
        for (size_t i = 0; i < ns; i++)
            ob += (size_t)snprintf(b + ob, 8, "%d ", rand() % vocab);
        adal_doc *q = th_doc(a), *s = th_doc(b);
        adal_check_opts o = ADAL_CHECK_OPTS_INIT;
        o.min_letters = 1;
        adal_report *r = q && s ? check1(q, s, &o) : NULL;
        CHECK(r != NULL);
        if (r) {
            for (size_t i = 0; i < adal_report_npassages(r); i++) {
                const adal_passage *p = adal_report_passage(r, i);
                CHECK(p->qstart < p->qend && p->qend <= q->text16_len);
                CHECK(p->sstart < p->send && p->send <= s->text16_len);
                CHECK(p->qtok + p->qntok <= q->ntoks && p->stok + p->sntok <= s->ntoks);
                CHECK_EQ_INT(p->qstart, q->toks[p->qtok].start);
                CHECK_EQ_INT(p->send, s->toks[p->stok + p->sntok - 1].end);
                CHECK(p->similarity > 0.0 && p->similarity <= 1.0);
                CHECK(p->qntok >= 8);
            }
            adal_score sc;
            adal_report_score(r, &sc);
            CHECK(sc.covered <= sc.countable);
            CHECK(fabs(sc.originality + sc.borrowed + sc.cited - 100.0) < 0.05);
        }
        adal_report_free(r);
        adal_doc_free(q);
        adal_doc_free(s);
        free(a);
        free(b);
    }
}
