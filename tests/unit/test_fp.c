/* test_fp.c — fingerprints: fixed hashes, the winnowing guarantee (every shared run of 8 tokens
 * yields a shared fingerprint) on random and on real text, zones, short documents, density. */
#include "../harness.h"
#include "match.h"
#include "tok_helper.h"

#include <stdlib.h>

/* A document of synthetic tokens: token hash = value from `v` (the text is irrelevant). */
static adal_doc *synth(const uint64_t *v, size_t n)
{
    adal_doc *d = NULL;
    char *txt = malloc(2 * n + 2);
    for (size_t i = 0; i < n; i++) {
        txt[2 * i] = 'a';
        txt[2 * i + 1] = ' ';
    }
    txt[2 * n] = '\0';
    if (adal_doc_from_text(&d, NULL, txt, 2 * n, "s") != ADAL_OK) {
        free(txt);
        return NULL;
    }
    free(txt);
    th_tokenize(d);
    for (size_t i = 0; i < n && i < d->ntoks; i++)
        d->toks[i].hash = v[i] * 0x9E3779B97F4A7C15ULL + 1;
    adal_doc_fingerprint(d, NULL);
    return d;
}

/* Every shared run of ADAL_K + ADAL_W - 1 tokens (a[i..i+8) == b[j..j+8)) must have a
 * fingerprint with equal hash in both documents, inside the run's first window. */
static int check_guarantee(const adal_doc *a, const adal_doc *b, size_t *runs)
{
    const size_t t = ADAL_K + ADAL_W - 1;
    int bad = 0;
    for (size_t i = 0; i + t <= a->ntoks; i++)
        for (size_t j = 0; j + t <= b->ntoks; j++) {
            size_t k = 0;
            while (k < t && a->toks[i + k].hash == b->toks[j + k].hash)
                k++;
            if (k < t)
                continue;
            (*runs)++;
            int found = 0;
            for (size_t x = 0; x < a->nfps && !found; x++) {
                if (a->fps[x].pos < i || a->fps[x].pos > i + ADAL_W - 1)
                    continue;
                for (size_t y = 0; y < b->nfps; y++)
                    if (b->fps[y].pos >= j && b->fps[y].pos <= j + ADAL_W - 1 &&
                        b->fps[y].hash == a->fps[x].hash) {
                        found = 1;
                        break;
                    }
            }
            bad += !found;
        }
    return bad;
}

TEST(fp_fixed_hash)
{
    /* regression guard: k-gram hashes are part of the stored-index format; a change here
     * must bump ADAL_FOLD_VERSION */
    adal_token t[ADAL_K];
    memset(t, 0, sizeof t);
    for (int i = 0; i < ADAL_K; i++)
        t[i].hash = (uint64_t)(i + 1) * 0x0101010101010101ULL;
    CHECK(adal__fp_kgram(t, ADAL_K) == 0xE37C983D35EC33F7ULL);
    adal_doc *d1 = th_doc("Бұл жасқа келгенше жақсы өткіздік пе, жаман өткіздік пе");
    adal_doc *d2 = th_doc("Бұл жасқа келгенше жақсы өткіздік пе, жаман өткіздік пе");
    CHECK(d1 && d2);
    if (d1 && d2) {
        CHECK(d1->nfps > 0);
        CHECK_EQ_INT(d1->nfps, d2->nfps);
        for (size_t i = 0; i < d1->nfps && i < d2->nfps; i++) {
            CHECK(d1->fps[i].hash == d2->fps[i].hash);
            CHECK_EQ_INT(d1->fps[i].pos, d2->fps[i].pos);
        }
    }
    adal_doc_free(d1);
    adal_doc_free(d2);
}

TEST(fp_guarantee_random)
{
    /* tiny alphabets make thousands of shared 8-runs, with many equal k-gram hashes (the
     * robust tie rule must not lose the guarantee) */
    srand(12345);
    size_t runs = 0;
    int bad = 0;
    for (int trial = 0; trial < 30; trial++) {
        size_t na = 200 + (size_t)(rand() % 200), nb = 200 + (size_t)(rand() % 200);
        unsigned alpha = 2 + (unsigned)(trial % 4);
        uint64_t *va = malloc(na * sizeof *va), *vb = malloc(nb * sizeof *vb);
        for (size_t i = 0; i < na; i++)
            va[i] = (uint64_t)(rand() % (int)alpha);
        for (size_t i = 0; i < nb; i++)
            vb[i] = (uint64_t)(rand() % (int)alpha);
        /* plant a few long runs too */
        for (int p = 0; p < 3; p++) {
            size_t i = (size_t)rand() % (na - 40), j = (size_t)rand() % (nb - 40);
            for (size_t k = 0; k < 30; k++)
                vb[j + k] = va[i + k];
        }
        adal_doc *a = synth(va, na), *b = synth(vb, nb);
        CHECK(a && b);
        if (a && b)
            bad += check_guarantee(a, b, &runs);
        adal_doc_free(a);
        adal_doc_free(b);
        free(va);
        free(vb);
    }
    CHECK(runs > 1000);
    CHECK_EQ_INT(bad, 0);
}

TEST(fp_guarantee_real_text)
{
    size_t len = 0;
    char *abai = th_read("tests/data/engine/abai.txt", &len);
    char *chek = th_read("tests/data/engine/chekhov.txt", &len);
    CHECK(abai && chek);
    if (!abai || !chek) {
        free(abai);
        free(chek);
        return;
    }
    /* query: Chekhov with three pieces of Abai of 8, 9 and 40 words pasted in */
    adal_doc *src = th_doc(abai);
    char *q = malloc(strlen(chek) + strlen(abai) + 16);
    size_t n = 0;
    /* take word ranges from the tokenised source */
    size_t pieces[3][2] = {{20, 8}, {300, 9}, {900, 40}};
    size_t ci = 0, clen = strlen(chek);
    for (int p = 0; p < 3; p++) {
        size_t upto = clen * (size_t)(p + 1) / 4;
        while (upto < clen && chek[upto] != ' ')
            upto++;
        memcpy(q + n, chek + ci, upto - ci);
        n += upto - ci;
        ci = upto;
        const adal_token *t0 = &src->toks[pieces[p][0]];
        const adal_token *t1 = &src->toks[pieces[p][0] + pieces[p][1] - 1];
        size_t b0 = src->off8[t0->start], b1 = src->off8[t1->end];
        q[n++] = ' ';
        memcpy(q + n, abai + b0, b1 - b0);
        n += b1 - b0;
        q[n++] = ' ';
    }
    memcpy(q + n, chek + ci, clen - ci);
    n += clen - ci;
    q[n] = '\0';
    adal_doc *qd = th_doc(q);
    CHECK(src && qd);
    if (src && qd) {
        size_t runs = 0;
        CHECK_EQ_INT(check_guarantee(qd, src, &runs), 0);
        CHECK(runs >= 1 + 2 + 33);
        /* density close to 2 / (w + 1) = 0.4 on real prose */
        double dens = (double)src->nfps / (double)src->ntoks;
        CHECK(dens > 0.35 && dens < 0.5);
    }
    adal_doc_free(src);
    adal_doc_free(qd);
    free(q);
    free(abai);
    free(chek);
}

TEST(fp_zones_do_not_cross)
{
    /* body, a page header in the middle, body: no k-gram may mix counted and not counted */
    adal__builder b;
    adal_doc *d = NULL;
    CHECK_EQ_INT(adal__builder_init(&b, NULL, "z", ADAL_FMT_DOCX), ADAL_OK);
    adal__b_begin_para(&b, ADAL_PART_BODY);
    adal__b_text(&b, "бір екі үш төрт бес алты жеті сегіз",
                 strlen("бір екі үш төрт бес алты жеті сегіз"));
    adal__b_begin_para(&b, ADAL_PART_HEADER);
    adal__b_text(&b, "колонтитул беті екі", strlen("колонтитул беті екі"));
    adal__b_begin_para(&b, ADAL_PART_BODY);
    adal__b_text(&b, "тоғыз он он бір он екі он үш", strlen("тоғыз он он бір он екі он үш"));
    CHECK_EQ_INT(adal__b_finish(&b, &d), ADAL_OK);
    adal__builder_free(&b);
    if (!d)
        return;
    th_tokenize(d);
    CHECK_EQ_INT(adal_doc_fingerprint(d, NULL), ADAL_OK);
    CHECK_EQ_INT(d->ntoks, 8 + 3 + 8);
    int crossing = 0, in_header = 0;
    for (size_t i = 0; i < d->nfps; i++) {
        size_t p = d->fps[i].pos;
        int z = adal__fp_counted_zone(d, &d->toks[p]);
        size_t end = p + ADAL_K <= d->ntoks ? p + ADAL_K : d->ntoks;
        /* the header zone is shorter than k: one short fingerprint of its 3 tokens */
        if (!z) {
            in_header++;
            CHECK_EQ_INT(p, 8);
            end = 11;
        }
        for (size_t k = p; k < end; k++)
            crossing += adal__fp_counted_zone(d, &d->toks[k]) != z;
    }
    CHECK_EQ_INT(crossing, 0);
    CHECK_EQ_INT(in_header, 1);
    adal_doc_free(d);
}

TEST(fp_short_documents)
{
    adal_doc *a = th_doc("Қорытынды");
    adal_doc *b = th_doc("Абай Құнанбайұлы");
    adal_doc *c = th_doc("Тақырып: Абай Құнанбайұлы\nБұл жасқа келгенше жақсы өткіздік пе, жаман");
    CHECK(a && b && c);
    if (a && b && c) {
        CHECK_EQ_INT(a->nfps, 1);
        CHECK_EQ_INT(b->nfps, 1);
        /* a title paragraph gets its own first k-gram, so paragraphs shorter than a window
         * still have fingerprints that start in them */
        int first = 0;
        for (size_t i = 0; i < c->nfps; i++)
            first |= c->fps[i].pos == 0;
        CHECK(first);
    }
    adal_doc_free(a);
    adal_doc_free(b);
    adal_doc_free(c);
}

TEST(fp_alloc_failures_are_clean)
{
    adal_doc *d = th_doc("бір екі үш төрт бес алты жеті сегіз тоғыз он");
    CHECK(d != NULL);
    if (!d)
        return;
    for (long k = 1; k < 6; k++) {
        adal_fp *f = NULL;
        size_t n = 0;
        adal__fail_alloc_after(k, false);
        int rc = adal__fp_compute(d, NULL, &f, &n);
        adal__fail_alloc_after(0, false);
        CHECK(rc == ADAL_OK || rc == ADAL_ENOMEM);
        CHECK(rc == ADAL_OK ? n > 0 : f == NULL);
        adal__free(f);
    }
    adal_doc_free(d);
}
