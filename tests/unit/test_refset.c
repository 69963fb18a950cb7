/* test_refset.c — the in-memory reference set: candidates through the inverted index, skip
 * lists, all-pairs by document index, common fingerprints ignored, concurrent readers. */
#include "../harness.h"
#include "match.h"
#include "tok_helper.h"

#include <pthread.h>
#include <stdlib.h>

static const char *ABAI =
    "Бұл жасқа келгенше жақсы өткіздік пе, жаман өткіздік пе, әйтеуір бірталай өмірімізді "
    "өткіздік: алыстық, жұлыстық, айтыстық, тартыстық — әурешілікті көре-көре келдік. Енді "
    "жер ортасы жасқа келдік: қажыдық, жалықтық; қылып жүрген ісіміздің баянсызын";
static const char *BOILER =
    "Қазақстан Республикасы Білім және ғылым министрлігі әл-Фараби атындағы Қазақ ұлттық "
    "университеті филология факультеті";

/* Random prose from the words of the Chekhov excerpt (deterministic by seed). */
static char *random_text(const char *words_file, unsigned seed, size_t nwords)
{
    size_t len = 0;
    char *buf = th_read(words_file, &len);
    if (!buf)
        return NULL;
    char **w = malloc((len / 2 + 1) * sizeof *w);
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, " \n", &save); t; t = strtok_r(NULL, " \n", &save))
        w[n++] = t;
    char *out = malloc(nwords * 64 + 1);
    size_t o = 0;
    srand(seed);
    for (size_t i = 0; i < nwords && n; i++) {
        const char *x = w[(size_t)rand() % n];
        size_t l = strlen(x);
        if (l > 60)
            l = 60;
        memcpy(out + o, x, l);
        o += l;
        out[o++] = ' ';
    }
    out[o] = '\0';
    free(w);
    free(buf);
    return out;
}

static adal_doc *mk(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 4;
    char *t = malloc(n);
    snprintf(t, n, "%s\n%s\n%s", a, b, c);
    adal_doc *d = th_doc(t);
    free(t);
    return d;
}

/* A set of 80 documents of random Russian words; every one carries BOILER; document 41
 * also carries ABAI. */
static adal_refset *build(void)
{
    adal_refset *rs = NULL;
    if (adal_refset_new(&rs, NULL))
        return NULL;
    for (unsigned i = 0; i < 80; i++) {
        char *txt = random_text("tests/data/engine/chekhov.txt", 1000 + i, 300);
        char id[32];
        snprintf(id, sizeof id, "doc%02u", i);
        adal_doc *d = txt ? mk(BOILER, txt, i == 41 ? ABAI : "Соңы.") : NULL;
        free(txt);
        if (!d || adal_refset_add(rs, NULL, d, id) != ADAL_OK) {
            adal_refset_free(rs);
            return NULL;
        }
    }
    return rs;
}

TEST(refset_finds_source_and_ignores_boilerplate)
{
    adal_refset *rs = build();
    CHECK(rs != NULL);
    if (!rs)
        return;
    CHECK_EQ_INT(adal_refset_count(rs), 80);
    CHECK_EQ_STR(adal_refset_id(rs, 41), "doc41");
    char *own = random_text("tests/data/engine/abai.txt", 7, 200);
    adal_doc *q = mk(BOILER, own ? own : "", ABAI);
    adal_report *r = NULL;
    CHECK_EQ_INT(adal_refset_check(&r, NULL, rs, q, NULL, NULL, 0), ADAL_OK);
    if (r) {
        /* the title-page formula is in all 80 documents: common, so it neither selects
         * candidates nor seeds passages; only doc41 (with ABAI) is a source */
        CHECK_EQ_INT(adal_report_nsources(r), 1);
        if (adal_report_nsources(r))
            CHECK_EQ_STR(adal_report_source(r, 0)->id, "doc41");
        adal_score s;
        adal_report_score(r, &s);
        CHECK(s.borrowed > 10);
    }
    adal_report_free(r);
    /* skip doc41: nothing left */
    size_t skip = 41;
    CHECK_EQ_INT(adal_refset_check(&r, NULL, rs, q, NULL, &skip, 1), ADAL_OK);
    if (r)
        CHECK_EQ_INT(adal_report_nsources(r), 0);
    adal_report_free(r);
    adal_doc_free(q);
    free(own);
    adal_refset_free(rs);
}

TEST(refset_all_pairs_by_index)
{
    adal_refset *rs = NULL;
    CHECK_EQ_INT(adal_refset_new(&rs, NULL), ADAL_OK);
    for (unsigned i = 0; i < 12; i++) {
        char *txt = random_text("tests/data/engine/chekhov.txt", 50 + i, 200);
        adal_doc *d = mk(txt ? txt : "", (i == 3 || i == 7) ? ABAI : "Бөлек мәтін.", "Соңы.");
        free(txt);
        char id[16];
        snprintf(id, sizeof id, "s%u", i);
        CHECK_EQ_INT(adal_refset_add(rs, NULL, d, id), ADAL_OK);
    }
    for (size_t i = 0; i < 12; i++) {
        adal_report *r = NULL;
        CHECK_EQ_INT(adal_refset_check_doc(&r, NULL, rs, i, NULL), ADAL_OK);
        if (!r)
            continue;
        size_t want = (i == 3 || i == 7) ? 1 : 0;
        CHECK_EQ_INT(adal_report_nsources(r), want);
        if (want && adal_report_nsources(r))
            CHECK_EQ_STR(adal_report_source(r, 0)->id, i == 3 ? "s7" : "s3");
        adal_report_free(r);
    }
    adal_report *r = NULL;
    CHECK_EQ_INT(adal_refset_check_doc(&r, NULL, rs, 12, NULL), ADAL_EINVAL);
    adal_refset_free(rs);
}

typedef struct job {
    const adal_refset *rs;
    double borrowed[20];
    int rc;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    adal_ctx *ctx = NULL;
    j->rc = adal_ctx_new(&ctx);
    for (size_t i = 0; i < 20 && j->rc == ADAL_OK; i++) {
        adal_report *r = NULL;
        j->rc = adal_refset_check_doc(&r, ctx, j->rs, 30 + i, NULL);
        adal_score s;
        if (r) {
            adal_report_score(r, &s);
            j->borrowed[i] = s.borrowed;
        }
        adal_report_free(r);
    }
    adal_ctx_free(ctx);
    return NULL;
}

TEST(refset_concurrent_readers_agree)
{
    adal_refset *rs = build();
    CHECK(rs != NULL);
    if (!rs)
        return;
    job jobs[3];
    pthread_t th_[3];
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < 3; i++) {
        jobs[i].rs = rs;
        pthread_create(&th_[i], NULL, worker, &jobs[i]);
    }
    for (int i = 0; i < 3; i++)
        pthread_join(th_[i], NULL);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ_INT(jobs[i].rc, ADAL_OK);
        CHECK(memcmp(jobs[i].borrowed, jobs[0].borrowed, sizeof jobs[0].borrowed) == 0);
    }
    adal_refset_free(rs);
}

TEST(refset_add_failure_frees_document)
{
    /* the set owns the document also on error: a not-normalised document fails cleanly
     * (until the normaliser lands, adal_doc_normalize may report "unsupported"), or, with
     * the normaliser, succeeds; either way no leak under ASan/valgrind */
    adal_refset *rs = NULL;
    adal_doc *d = NULL;
    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    CHECK_EQ_INT(adal_refset_new(&rs, ctx), ADAL_OK);
    CHECK_EQ_INT(adal_doc_from_text(&d, ctx, "бір екі үш", strlen("бір екі үш"), "x"), ADAL_OK);
    int rc = adal_refset_add(rs, ctx, d, "x");
    CHECK(rc == ADAL_OK || rc == ADAL_EUNSUPPORTED);
    CHECK_EQ_INT(adal_refset_count(rs), rc == ADAL_OK ? 1 : 0);
    for (long k = 1; k < 8; k++) {
        adal_doc *e = th_doc("бір екі үш төрт бес алты жеті сегіз тоғыз он");
        adal__fail_alloc_after(k, false);
        rc = adal_refset_add(rs, ctx, e, "e");
        adal__fail_alloc_after(0, false);
        CHECK(rc == ADAL_OK || rc == ADAL_ENOMEM);
    }
    adal_refset_free(rs);
    adal_ctx_free(ctx);
}

TEST(refset_check_alloc_failures_are_clean)
{
    adal_refset *rs = NULL;
    CHECK_EQ_INT(adal_refset_new(&rs, NULL), ADAL_OK);
    for (unsigned i = 0; i < 5; i++) {
        char *txt = random_text("tests/data/engine/chekhov.txt", 300 + i, 120);
        adal_doc *d = mk(txt ? txt : "", i == 2 ? ABAI : "Бөлек.", "Соңы.");
        free(txt);
        adal_refset_add(rs, NULL, d, "d");
    }
    adal_doc *q = mk("Кіріспе.", ABAI, "Қорытынды.");
    CHECK(q != NULL);
    int ok = 0;
    for (long k = 1; k < 120 && q; k++) {
        adal_report *r = NULL;
        adal__fail_alloc_after(k, false);
        int rc = adal_refset_check(&r, NULL, rs, q, NULL, NULL, 0);
        adal__fail_alloc_after(0, false);
        CHECK(rc == ADAL_OK || rc == ADAL_ENOMEM);
        CHECK(rc == ADAL_OK ? r != NULL : r == NULL);
        if (rc == ADAL_OK && adal_report_nsources(r) == 1)
            ok++;
        adal_report_free(r);
    }
    CHECK(ok > 0);
    adal_doc_free(q);
    adal_refset_free(rs);
}

static size_t shared_fps(const adal_doc *a, const adal_doc *b)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nfps; i++)
        for (size_t j = 0; j < b->nfps; j++)
            if (a->fps[i].hash == b->fps[j].hash) {
                n++;
                break;
            }
    return n;
}

TEST(refset_finds_short_copy_like_compare)
{
    /* a copied run of 8 words that shares a single fingerprint with its source (picked from
     * Abai so that it does) is found by the set as it is by the pairwise report */
    size_t len = 0;
    char *abai = th_read("tests/data/engine/abai.txt", &len);
    char *a = random_text("tests/data/engine/chekhov.txt", 700, 150);
    char *b = random_text("tests/data/engine/chekhov.txt", 800, 150);
    char *own = random_text("tests/data/engine/abai.txt", 11, 100);
    CHECK(abai && a && b && own);
    if (!abai || !a || !b || !own)
        goto out0;
    char *w[4000];
    size_t nw = 0;
    char *save = NULL;
    for (char *t = strtok_r(abai, " \n", &save); t && nw < 4000; t = strtok_r(NULL, " \n", &save))
        w[nw++] = t;
    char piece[1024];
    adal_doc *src = NULL, *q = NULL;
    for (size_t st = 0; st + 8 < nw; st++) {
        size_t o = 0, letters = 0;
        for (size_t k = st; k < st + 8; k++)
            o += (size_t)snprintf(piece + o, sizeof piece - o, "%s ", w[k]);
        for (size_t k = 0; k < o; k++)
            letters += ((unsigned char)piece[k] & 0xC0) != 0x80 && piece[k] != ' ';
        if (letters < 60)
            continue;
        adal_doc_free(src);
        adal_doc_free(q);
        /* inside a paragraph: a paragraph of its own would add its first and last k-grams */
        char *st1 = malloc(strlen(a) + strlen(piece) + strlen(b) + 4);
        char *st2 = malloc(strlen(own) + strlen(piece) + 16);
        snprintf(st1, strlen(a) + strlen(piece) + strlen(b) + 4, "%s %s %s", a, piece, b);
        snprintf(st2, strlen(own) + strlen(piece) + 16, "%s %s Соңы.", own, piece);
        src = th_doc(st1);
        q = th_doc(st2);
        free(st1);
        free(st2);
        if (src && q && shared_fps(src, q) == 1)
            break;
    }
    CHECK(src && q && shared_fps(src, q) == 1);
    adal_refset *rs = NULL;
    CHECK_EQ_INT(adal_refset_new(&rs, NULL), ADAL_OK);
    int ready = src && q;
    for (unsigned i = 0; i < 20 && ready; i++) {
        char *x = random_text("tests/data/engine/chekhov.txt", 900 + i, 300);
        adal_doc *d = i == 5 ? src : mk(x ? x : "", "Бөлек.", "Соңы.");
        if (i == 5)
            src = NULL; /* the set owns it now */
        free(x);
        char id[16];
        snprintf(id, sizeof id, "d%u", i);
        CHECK_EQ_INT(adal_refset_add(rs, NULL, d, id), ADAL_OK);
    }
    adal_report *r = NULL, *pr = NULL;
    if (q && adal_refset_count(rs) == 20) {
        CHECK_EQ_INT(adal_refset_check(&r, NULL, rs, q, NULL, NULL, 0), ADAL_OK);
        CHECK_EQ_INT(adal_report_new(&pr, NULL, q, NULL), ADAL_OK);
        if (pr) {
            adal_report_add_source(pr, NULL, adal_refset_doc(rs, 5), "d5");
            adal_report_finish(pr, NULL);
        }
    }
    CHECK(r && pr);
    if (r && pr) {
        CHECK_EQ_INT(adal_report_npassages(pr), 1);
        CHECK_EQ_INT(adal_report_nsources(r), 1);
        if (adal_report_nsources(r))
            CHECK_EQ_STR(adal_report_source(r, 0)->id, "d5");
    }
    adal_report_free(r);
    adal_report_free(pr);
    adal_refset_free(rs);
    adal_doc_free(q);
    adal_doc_free(src);
out0:
    free(abai);
    free(a);
    free(b);
    free(own);
}
