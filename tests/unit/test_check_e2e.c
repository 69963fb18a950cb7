/* test_check_e2e.c — the check pipeline end to end with the real normaliser
 * (adal_doc_normalize: ICU fold, homoglyphs, Kazakh letters, stems) on real Kazakh and
 * Russian prose: disguised copies are still found, with exact boundaries. Skips while the
 * library is built with the placeholder normaliser. */
#include "../harness.h"
#include "adal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A normalised document from UTF-8 text; *skip set when no normaliser is built in. */
static adal_doc *ndoc(adal_ctx *ctx, const char *text, int *skip)
{
    adal_doc *d = NULL;
    if (adal_doc_from_text(&d, ctx, text, strlen(text), "e2e") != ADAL_OK)
        return NULL;
    int rc = adal_doc_fingerprint(d, ctx);
    if (rc == ADAL_EUNSUPPORTED)
        *skip = 1;
    if (rc) {
        adal_doc_free(d);
        return NULL;
    }
    return d;
}

/* The first `n` bytes of a paragraph-per-line file, cut at a space. */
static char *head(const char *path, size_t n)
{
    size_t len = 0;
    char *t = th_read(path, &len);
    if (!t || len <= n)
        return t;
    while (n < len && t[n] != ' ')
        n++;
    t[n] = '\0';
    return t;
}

/* Replace every occurrence of UTF-8 `from` by `to` (same or shorter length). */
static void subst(char *s, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to);
    for (char *p = strstr(s, from); p; p = strstr(p + tl, from)) {
        memcpy(p, to, tl);
        memmove(p + tl, p + fl, strlen(p + fl) + 1);
    }
}

static int run_check(adal_ctx *ctx, adal_doc *q, const adal_doc *s, adal_score *sc,
                     adal_passage *first, size_t *np)
{
    adal_report *r = NULL;
    int rc = adal_report_new(&r, ctx, q, NULL);
    if (rc == ADAL_OK)
        rc = adal_report_add_source(r, ctx, s, "source");
    if (rc == ADAL_OK)
        rc = adal_report_finish(r, ctx);
    if (rc == ADAL_OK) {
        adal_report_score(r, sc);
        *np = adal_report_npassages(r);
        if (*np)
            *first = *adal_report_passage(r, 0);
    }
    adal_report_free(r);
    return rc;
}

TEST(e2e_kazakh_disguised_copy)
{
    /* 60 words of Abai pasted into Chekhov, then disguised: Latin look-alikes inside
     * Cyrillic words, Kazakh letters typed as Russian ones, upper case */
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    char *abai = head("tests/data/engine/abai.txt", 6000);
    char *chek = head("tests/data/engine/chekhov.txt", 3000);
    CHECK(abai && chek);
    int skip = 0;
    adal_doc *src = abai ? ndoc(ctx, abai, &skip) : NULL;
    if (skip) {
        free(abai);
        free(chek);
        adal_ctx_free(ctx);
        SKIP("built with the placeholder normaliser");
    }
    const char *piece_at = abai ? strstr(abai, "Енді жер ортасы") : NULL;
    CHECK(piece_at != NULL);
    if (!src || !piece_at || !chek)
        goto out;
    char piece[2048];
    size_t pl = 0;
    int words = 0;
    for (const char *p = piece_at; *p && words < 60 && pl < sizeof piece - 1; p++) {
        if (*p == ' ' || *p == '\n')
            words++;
        piece[pl++] = *p == '\n' ? ' ' : *p;
    }
    while (pl && piece[pl - 1] != ' ')
        pl--;
    piece[pl] = '\0';
    for (int variant = 0; variant < 4; variant++) {
        char d[2048];
        memcpy(d, piece, pl + 1);
        if (variant == 1) { /* homoglyphs: Latin a, o, e, p, c */
            subst(d, "а", "a");
            subst(d, "о", "o");
            subst(d, "е", "e");
            subst(d, "р", "p");
            subst(d, "с", "c");
        } else if (variant == 2) { /* no Kazakh keyboard */
            subst(d, "ә", "а");
            subst(d, "ғ", "г");
            subst(d, "қ", "к");
            subst(d, "ң", "н");
            subst(d, "ө", "о");
            subst(d, "ұ", "у");
            subst(d, "ү", "у");
            subst(d, "і", "и");
        } else if (variant == 3) { /* upper case: every ASCII-range byte pair stays valid */
            for (char *p = d; *p; p++)
                if (*p >= 'a' && *p <= 'z')
                    *p = (char)(*p - 32);
        }
        size_t n = strlen(chek) + strlen(d) + 8;
        char *qt = malloc(n);
        snprintf(qt, n, "%s %s %s", chek, d, "Конец.");
        adal_doc *q = ndoc(ctx, qt, &skip);
        CHECK(q != NULL);
        adal_score sc;
        adal_passage p;
        size_t np = 0;
        if (q && run_check(ctx, q, src, &sc, &p, &np) == ADAL_OK) {
            CHECK_EQ_INT(np, 1);
            /* the copy is found whole: it starts where the pasted text starts */
            size_t qlen = 0;
            const char *qtext = adal_doc_text(q, &qlen);
            const char *at = strstr(qtext, d);
            CHECK(at != NULL);
            if (np && at)
                CHECK_EQ_INT(adal_doc_utf8_offset(q, p.qstart), (size_t)(at - qtext));
            CHECK(sc.borrowed > 15);
            if (np != 1)
                fprintf(stderr, "    variant %d: %zu passages\n", variant, np);
        }
        adal_doc_free(q);
        free(qt);
    }
out:
    adal_doc_free(src);
    free(abai);
    free(chek);
    adal_ctx_free(ctx);
}

TEST(e2e_russian_copy_with_inflections)
{
    /* Chekhov copied with a few endings changed (stems make them match) and a padding of
     * dots and double spaces (countable letters only) */
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    char *chek = head("tests/data/engine/chekhov.txt", 4000);
    char *abai = head("tests/data/engine/abai.txt", 2500);
    int skip = 0;
    adal_doc *src = chek ? ndoc(ctx, chek, &skip) : NULL;
    if (skip) {
        free(abai);
        free(chek);
        adal_ctx_free(ctx);
        SKIP("built with the placeholder normaliser");
    }
    const char *at = chek ? strstr(chek, "В самом дешевом") : NULL;
    CHECK(src && at && abai);
    if (src && at && abai) {
        char piece[1200];
        memcpy(piece, at, 800);
        piece[800] = '\0';
        char *sp = strrchr(piece, ' ');
        if (sp)
            *sp = '\0';
        subst(piece, "ходил", "ходили");
        subst(piece, "усердно", "усердная");
        char padded[4000];
        size_t o = 0;
        for (const char *p = piece; *p && o < sizeof padded - 8; p++) {
            if (*p == ' ') {
                memcpy(padded + o, "  . ", 4);
                o += 4;
            } else
                padded[o++] = *p;
        }
        padded[o] = '\0';
        size_t n = strlen(abai) + strlen(piece) + strlen(padded) + 8;
        char *q1 = malloc(n), *q2 = malloc(n);
        snprintf(q1, n, "%s\n%s", abai, piece);
        snprintf(q2, n, "%s\n%s", abai, padded);
        adal_doc *a = ndoc(ctx, q1, &skip), *b = ndoc(ctx, q2, &skip);
        adal_score sa, sb;
        adal_passage p;
        size_t np = 0;
        CHECK(a && b);
        if (a && b && run_check(ctx, a, src, &sa, &p, &np) == ADAL_OK) {
            CHECK_EQ_INT(np, 1);
            CHECK(p.similarity > 0.9);
            CHECK(p.qntok >= 60);
            CHECK(sa.borrowed > 15);
            CHECK_EQ_INT(run_check(ctx, b, src, &sb, &p, &np), ADAL_OK);
            CHECK_EQ_INT(sa.countable, sb.countable);
            CHECK_EQ_INT(sa.covered, sb.covered);
            CHECK(sa.borrowed == sb.borrowed);
        }
        adal_doc_free(a);
        adal_doc_free(b);
        free(q1);
        free(q2);
    }
    adal_doc_free(src);
    free(abai);
    free(chek);
    adal_ctx_free(ctx);
}

TEST(e2e_winnowing_guarantee_real_tokens)
{
    /* the 8-token guarantee with the real normaliser's tokens: Abai against a text made of
     * Chekhov with runs of 8, 9 and 40 Abai words pasted in */
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    char *abai = head("tests/data/engine/abai.txt", 100000);
    char *chek = head("tests/data/engine/chekhov.txt", 4000);
    int skip = 0;
    adal_doc *src = abai ? ndoc(ctx, abai, &skip) : NULL;
    if (skip) {
        free(abai);
        free(chek);
        adal_ctx_free(ctx);
        SKIP("built with the placeholder normaliser");
    }
    CHECK(src && chek && adal_doc_ntokens(src) > 800);
    if (src && chek && adal_doc_ntokens(src) > 800) {
        const adal_token *st = adal_doc_tokens(src);
        size_t pieces[3][2] = {{30, 8}, {300, 9}, {700, 40}}, cl = strlen(chek);
        size_t n = cl + strlen(abai) + 16, o = 0, ci = 0;
        char *qt = malloc(n);
        size_t alen = 0;
        const char *atext = adal_doc_text(src, &alen);
        for (int p = 0; p < 3; p++) {
            size_t upto = cl * (size_t)(p + 1) / 4;
            while (upto < cl && chek[upto] != ' ')
                upto++;
            memcpy(qt + o, chek + ci, upto - ci);
            o += upto - ci;
            ci = upto;
            size_t b0 = adal_doc_utf8_offset(src, st[pieces[p][0]].start);
            size_t b1 = adal_doc_utf8_offset(src, st[pieces[p][0] + pieces[p][1] - 1].end);
            qt[o++] = '\n'; /* own paragraph: the stemmer is chosen per paragraph */
            memcpy(qt + o, atext + b0, b1 - b0);
            o += b1 - b0;
            qt[o++] = '\n';
        }
        memcpy(qt + o, chek + ci, cl - ci);
        o += cl - ci;
        qt[o] = '\0';
        adal_doc *q = ndoc(ctx, qt, &skip);
        CHECK(q != NULL);
        if (q) {
            const adal_token *a = adal_doc_tokens(q), *b = st;
            const adal_fp *fa = adal_doc_fps(q), *fb = adal_doc_fps(src);
            size_t na = adal_doc_ntokens(q), nb = adal_doc_ntokens(src);
            size_t nfa = adal_doc_nfps(q), nfb = adal_doc_nfps(src), runs = 0, bad = 0;
            for (size_t i = 0; i + 8 <= na; i++)
                for (size_t j = 0; j + 8 <= nb; j++) {
                    size_t k = 0;
                    while (k < 8 && a[i + k].hash == b[j + k].hash)
                        k++;
                    if (k < 8)
                        continue;
                    runs++;
                    int found = 0;
                    for (size_t x = 0; x < nfa && !found; x++)
                        if (fa[x].pos >= i && fa[x].pos <= i + 3)
                            for (size_t y = 0; y < nfb && !found; y++)
                                found = fb[y].pos >= j && fb[y].pos <= j + 3 &&
                                        fb[y].hash == fa[x].hash;
                    bad += !found;
                }
            CHECK(runs >= 1 + 2 + 33);
            CHECK_EQ_INT(bad, 0);
        }
        adal_doc_free(q);
        free(qt);
    }
    adal_doc_free(src);
    free(abai);
    free(chek);
    adal_ctx_free(ctx);
}

TEST(e2e_sample_course_matches_truth)
{
    /* the bundled sample course (corpus/, generated with its truth): every essay checked
     * against corpus/sources with the assignment as template; borrowed and cited shares
     * within 3 points of corpus/truth.csv. Needs DOCX/ODT/TXT ingest and the normaliser. */
    size_t len = 0;
    char *csv = th_read("corpus/truth.csv", &len);
    if (!csv)
        SKIP("no corpus/truth.csv");
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    adal_refset *rs = NULL;
    adal_doc *tmpl = NULL;
    adal_refset_new(&rs, ctx);
    static const char *srcs[] = {"abai-07.txt",
                                 "abai-14.txt",
                                 "abai-17.txt",
                                 "abai-19.txt",
                                 "abai-32.txt",
                                 "abai-37.docx",
                                 "chekhov-hameleon.txt",
                                 "chekhov-tolstyj-i-tonkij.txt",
                                 "pushkin-kapitanskaya-dochka.txt",
                                 "turgenev-senilia.txt"};
    char path[512];
    int rc = adal_doc_load(&tmpl, ctx, "corpus/assignment.docx", NULL);
    if (rc == ADAL_OK)
        rc = adal_doc_fingerprint(tmpl, ctx);
    for (size_t i = 0; rc == ADAL_OK && i < sizeof srcs / sizeof srcs[0]; i++) {
        adal_doc *d = NULL;
        snprintf(path, sizeof path, "corpus/sources/%s", srcs[i]);
        rc = adal_doc_load(&d, ctx, path, NULL);
        if (rc == ADAL_OK)
            rc = adal_refset_add(rs, ctx, d, srcs[i]);
    }
    if (rc == ADAL_EUNSUPPORTED) {
        adal_doc_free(tmpl);
        adal_refset_free(rs);
        adal_ctx_free(ctx);
        free(csv);
        SKIP("built without DOCX ingest or the normaliser");
    }
    CHECK_EQ_INT(rc, ADAL_OK);
    /* rows: student,file,source,kind,approx_share,note */
    char student[64] = "", file[64] = "";
    double borrowed = 0, cited = 0;
    int checked = 0;
    char *save = NULL;
    for (char *line = strtok_r(csv, "\n", &save);; line = strtok_r(NULL, "\n", &save)) {
        char st[64] = "", fl[64] = "", kind[32] = "";
        double share = 0;
        if (line && strncmp(line, "student,", 8) == 0)
            continue;
        if (line && sscanf(line, "%63[^,],%63[^,],%*[^,],%31[^,],%lf", st, fl, kind, &share) < 4 &&
            sscanf(line, "%63[^,],%63[^,],,%31[^,],%lf", st, fl, kind, &share) < 4)
            continue;
        if (!line || strcmp(st, student) || strcmp(fl, file)) {
            /* check the previous essay */
            if (student[0] && rc == ADAL_OK) {
                adal_doc *q = NULL;
                adal_report *r = NULL;
                adal_check_opts o = ADAL_CHECK_OPTS_INIT;
                o.template_doc = tmpl;
                snprintf(path, sizeof path, "corpus/course/%s/%s", student, file);
                int lrc = adal_doc_load(&q, ctx, path, NULL);
                if (borrowed >= 0)
                    CHECK_EQ_INT(lrc, ADAL_OK);
                if (borrowed < 0) {
                    CHECK(lrc != ADAL_OK); /* a broken file: a clear error */
                } else if (lrc == ADAL_OK &&
                           adal_refset_check(&r, ctx, rs, q, &o, NULL, 0) == ADAL_OK) {
                    adal_score s;
                    adal_report_score(r, &s);
                    CHECK(fabs(s.borrowed - borrowed) <= 3.0);
                    CHECK(fabs(s.cited - cited) <= 3.0);
                    CHECK(s.excluded > 5);
                    if (fabs(s.borrowed - borrowed) > 3.0 || fabs(s.cited - cited) > 3.0)
                        fprintf(stderr, "    %s: borrowed %.1f (truth %.0f), cited %.1f (%.0f)\n",
                                path, s.borrowed, borrowed, s.cited, cited);
                    checked++;
                }
                adal_report_free(r);
                adal_doc_free(q);
            }
            if (!line)
                break;
            snprintf(student, sizeof student, "%s", st);
            snprintf(file, sizeof file, "%s", fl);
            borrowed = cited = 0;
        }
        if (!strcmp(kind, "cited"))
            cited += share;
        else if (!strcmp(kind, "broken"))
            borrowed = -1;
        else if (strcmp(kind, "original") && strcmp(kind, "template") &&
                 strcmp(kind, "bibliography") && strcmp(kind, "collusion"))
            borrowed += share; /* verbatim, light-edit and the disguised copies */
    }
    CHECK(checked >= 12);
    adal_doc_free(tmpl);
    adal_refset_free(rs);
    adal_ctx_free(ctx);
    free(csv);
}
