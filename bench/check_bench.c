/* check_bench.c — latency of `adal check` against in-memory reference sets (figures for
 * docs/PERFORMANCE.md, "Check latency"). Reference documents and query essays are generated
 * by a word-bigram Markov chain trained on real Kazakh and Russian prose (Abai, KazNERD,
 * Chekhov from ../shared/data), so token and phrase statistics are realistic; each query
 * has three passages pasted from random reference documents (one with 10 % of its words
 * substituted). Measures refset build, p50/p95 of one check on one core, recall of the
 * planted sources, and all-pairs over the first N documents.
 *
 *   check_bench [-n DOCS,...] [-w WORDS] [-q QUERIES] [-a ALLPAIRS_N] FILE...
 */
#include "adal.h"
#include "internal.h"
#include "tok_helper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <xxhash.h>

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the bigram model ---- */
typedef struct model {
    char **word; /* distinct words */
    size_t nword;
    uint32_t *seq; /* the training text as word ids */
    size_t nseq;
    uint32_t *succ_off, *succ; /* successors of word i: succ[succ_off[i] .. succ_off[i+1]) */
} model;

static int load_model(model *m, char **files, int nfiles)
{
    size_t cap = 1u << 22, tcap = 1u << 20;
    uint32_t *tab = calloc(cap, sizeof *tab); /* id + 1 */
    m->word = malloc(tcap * sizeof *m->word);
    m->nword = 0;
    size_t scap = 1u << 22;
    m->seq = malloc(scap * sizeof *m->seq);
    m->nseq = 0;
    for (int f = 0; f < nfiles; f++) {
        size_t len = 0;
        uint8_t *data = NULL;
        if (adal__read_file(NULL, files[f], 64u << 20, &data, &len) != ADAL_OK)
            continue;
        char *save = NULL;
        char *txt = (char *)data;
        for (char *t = strtok_r(txt, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
            size_t l = strlen(t);
            if (l > 40)
                continue;
            uint64_t h = XXH3_64bits(t, l);
            size_t i = h & (cap - 1);
            while (tab[i] && strcmp(m->word[tab[i] - 1], t) != 0)
                i = (i + 1) & (cap - 1);
            if (!tab[i]) {
                if (m->nword + 1 >= tcap || m->nword * 2 > cap)
                    break;
                m->word[m->nword] = strdup(t);
                tab[i] = (uint32_t)++m->nword;
            }
            if (m->nseq == scap) {
                scap *= 2;
                m->seq = realloc(m->seq, scap * sizeof *m->seq);
            }
            m->seq[m->nseq++] = tab[i] - 1;
        }
        free(data);
    }
    free(tab);
    m->succ_off = calloc(m->nword + 1, sizeof *m->succ_off);
    m->succ = malloc((m->nseq + 1) * sizeof *m->succ);
    for (size_t i = 0; i + 1 < m->nseq; i++)
        m->succ_off[m->seq[i] + 1]++;
    for (size_t i = 0; i < m->nword; i++)
        m->succ_off[i + 1] += m->succ_off[i];
    uint32_t *fillp = calloc(m->nword + 1, sizeof *fillp);
    for (size_t i = 0; i + 1 < m->nseq; i++) {
        uint32_t w = m->seq[i];
        m->succ[m->succ_off[w] + fillp[w]++] = m->seq[i + 1];
    }
    free(fillp);
    return m->nseq > 1000 ? 0 : -1;
}

/* Generate `n` words of Markov text into b (paragraphs of ~80 words). */
static void gen(const model *m, size_t n, adal__buf *b)
{
    uint32_t w = m->seq[rnd() % m->nseq];
    for (size_t i = 0; i < n; i++) {
        adal__buf_add(b, m->word[w], strlen(m->word[w]));
        adal__buf_addc(b, (i % 80 == 79) ? '\n' : ' ');
        uint32_t a = m->succ_off[w], z = m->succ_off[w + 1];
        w = z > a ? m->succ[a + rnd() % (z - a)] : m->seq[rnd() % m->nseq];
    }
}

/* Copy `n` words starting at a random word of `text` (with `sub`% substituted). */
static void paste(const model *m, const char *text, size_t n, int sub, adal__buf *b)
{
    size_t len = strlen(text), nw = 0;
    for (size_t i = 0; i < len; i++)
        nw += text[i] == ' ' || text[i] == '\n';
    size_t start = nw > n ? rnd() % (nw - n) : 0, k = 0, i = 0;
    while (i < len && k < start)
        k += text[i] == ' ' || text[i] == '\n', i++;
    for (size_t c = 0; c < n && i < len; c++) {
        size_t j = i;
        while (j < len && text[j] != ' ' && text[j] != '\n')
            j++;
        if ((int)(rnd() % 100) < sub) {
            const char *x = m->word[rnd() % m->nword];
            adal__buf_add(b, x, strlen(x));
        } else
            adal__buf_add(b, text + i, j - i);
        adal__buf_addc(b, ' ');
        i = j + 1;
    }
    adal__buf_addc(b, '\n');
}

static int used_helper;

static adal_doc *make_doc(adal_ctx *ctx, const char *t, size_t n, const char *name)
{
    adal_doc *d = NULL;
    if (adal_doc_from_text(&d, ctx, t, n, name) != ADAL_OK)
        return NULL;
    /* the real normaliser when it is built in, else the test tokeniser (same token
     * statistics: words split at non-letters, lower-cased) */
    if (adal_doc_normalize(d, ctx) != ADAL_OK) {
        used_helper = 1;
        if (th_tokenize(d) != ADAL_OK) {
            adal_doc_free(d);
            return NULL;
        }
    }
    return d;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static long rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

int main(int argc, char **argv)
{
    size_t sizes[8] = {100, 1000, 10000}, nsizes = 3, words = 1500, queries = 50, allpairs = 1000;
    int a = 1;
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (!strcmp(argv[a], "-n") && a + 1 < argc) {
            nsizes = 0;
            for (char *p = argv[++a]; *p && nsizes < 8;) {
                sizes[nsizes++] = strtoul(p, &p, 10);
                if (*p == ',')
                    p++;
            }
        } else if (!strcmp(argv[a], "-w") && a + 1 < argc)
            words = strtoul(argv[++a], NULL, 10);
        else if (!strcmp(argv[a], "-q") && a + 1 < argc)
            queries = strtoul(argv[++a], NULL, 10);
        else if (!strcmp(argv[a], "-a") && a + 1 < argc)
            allpairs = strtoul(argv[++a], NULL, 10);
    }
    /* one model per language, so every generated document is Kazakh or Russian (as essays
     * are); a file is Kazakh when Kazakh-only letters make up over 1 % of its bytes */
    model ml[2];
    char **lf[2];
    int nl[2] = {0, 0};
    lf[0] = calloc((size_t)argc, sizeof *lf[0]);
    lf[1] = calloc((size_t)argc, sizeof *lf[1]);
    for (int i = a; i < argc; i++) {
        size_t len = 0, kk = 0;
        uint8_t *data = NULL;
        if (adal__read_file(NULL, argv[i], 64u << 20, &data, &len) != ADAL_OK)
            continue;
        for (size_t k = 0; k + 1 < len; k++)
            kk += data[k] == 0xD2 || data[k] == 0xD3 || (data[k] == 0xD1 && data[k + 1] == 0x96);
        free(data);
        int l = kk * 100 > len ? 0 : 1;
        lf[l][nl[l]++] = argv[i];
    }
    if (!nl[0] || !nl[1] || load_model(&ml[0], lf[0], nl[0]) != 0 ||
        load_model(&ml[1], lf[1], nl[1]) != 0) {
        fprintf(stderr, "check_bench: need Kazakh and Russian training text files\n");
        return 2;
    }
    free(lf[0]);
    free(lf[1]);
    printf("models: Kazakh %zu words (%zu distinct), Russian %zu words (%zu distinct)\n",
           ml[0].nseq, ml[0].nword, ml[1].nseq, ml[1].nword);
    {
        adal_ctx *c0 = NULL;
        adal_ctx_new(&c0);
        adal_doc *d0 = make_doc(c0, "Бұл сынақ.", strlen("Бұл сынақ."), "t");
        printf("tokens: %s\n", used_helper ? "test tokeniser (no normaliser built in)"
                                            : "adal_doc_normalize (ICU normaliser)");
        adal_doc_free(d0);
        adal_ctx_free(c0);
    }
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    size_t maxn = 0;
    for (size_t i = 0; i < nsizes; i++)
        if (sizes[i] > maxn)
            maxn = sizes[i];
    /* one set grown step by step: measure at each size */
    adal_refset *rs = NULL;
    adal_refset_new(&rs, ctx);
    char **texts = calloc(maxn, sizeof *texts);
    double build = 0;
    size_t have = 0;
    for (size_t si = 0; si < nsizes; si++) {
        size_t n = sizes[si];
        for (; have < n; have++) {
            adal__buf b;
            adal__buf_init(&b, 0);
            gen(&ml[have % 2], words, &b);
            char id[32];
            snprintf(id, sizeof id, "ref%05zu", have);
            double t0 = now();
            adal_doc *d = make_doc(ctx, b.data, b.len, id);
            if (!d || adal_refset_add(rs, ctx, d, id) != ADAL_OK) {
                fprintf(stderr, "check_bench: add failed: %s\n", adal_errmsg(ctx));
                return 2;
            }
            build += now() - t0;
            texts[have] = adal__buf_take(&b, NULL);
        }
        /* queries: 1,500 words, three pasted passages of 60-150 words */
        double *lat = calloc(queries, sizeof *lat), *cpu = calloc(queries, sizeof *cpu);
        size_t found = 0, planted = 0, xfound = 0, xplanted = 0;
        double sum_b = 0;
        for (size_t qi = 0; qi < queries; qi++) {
            adal__buf b;
            adal__buf_init(&b, 0);
            size_t src[3];
            const model *qm = &ml[qi % 2];
            for (int p = 0; p < 3; p++) {
                gen(qm, 300, &b);
                src[p] = rnd() % n;
                paste(qm, texts[src[p]], 60 + rnd() % 90, p == 2 ? 10 : 0, &b);
            }
            gen(qm, 300, &b);
            adal_doc *q = make_doc(ctx, b.data, b.len, "query");
            adal__buf_free(&b);
            adal_report *r = NULL;
            double t0 = now(), c0 = cpu_now();
            int rc = adal_refset_check(&r, ctx, rs, q, NULL, NULL, 0);
            lat[qi] = (now() - t0) * 1000;
            cpu[qi] = (cpu_now() - c0) * 1000;
            if (rc != ADAL_OK) {
                fprintf(stderr, "check_bench: check failed: %s\n", adal_errmsg(ctx));
                return 2;
            }
            adal_score sc;
            adal_report_score(r, &sc);
            sum_b += sc.borrowed;
            for (int p = 0; p < 3; p++) {
                char id[32];
                int cross = src[p] % 2 != qi % 2; /* pasted into text of the other language */
                snprintf(id, sizeof id, "ref%05zu", src[p]);
                planted++;
                xplanted += cross;
                for (size_t s = 0; s < adal_report_nsources(r); s++)
                    if (!strcmp(adal_report_source(r, s)->id, id)) {
                        found++;
                        xfound += cross;
                        break;
                    }
            }
            adal_report_free(r);
            adal_doc_free(q);
        }
        qsort(lat, queries, sizeof *lat, dcmp);
        qsort(cpu, queries, sizeof *cpu, dcmp);
        size_t p95 = (queries * 95) / 100 < queries ? (queries * 95) / 100 : queries - 1;
        printf("refset %6zu docs x %zu words: build %.2f s total (%.2f ms/doc), check wall p50 "
               "%.2f ms, p95 %.2f ms, max %.2f ms; cpu p50 %.2f ms, p95 %.2f ms; planted "
               "sources found %zu/%zu (same language %zu/%zu, inside text of the other "
               "language %zu/%zu); mean borrowed %.1f%%; peak RSS %ld MiB\n",
               n, words, build, build * 1000 / (double)n, lat[queries / 2], lat[p95],
               lat[queries - 1], cpu[queries / 2], cpu[p95], found, planted, found - xfound,
               planted - xplanted, xfound, xplanted, sum_b / (double)queries, rss_mb());
        fflush(stdout);
        free(lat);
        free(cpu);
        if (allpairs && n >= allpairs && (si == 0 || sizes[si - 1] < allpairs)) {
            /* all-pairs over the first `allpairs` documents of a set of that size */
            adal_refset *ap = NULL;
            adal_refset_new(&ap, ctx);
            for (size_t i = 0; i < allpairs; i++) {
                char id[32];
                snprintf(id, sizeof id, "ap%05zu", i);
                adal_doc *d = make_doc(ctx, texts[i], strlen(texts[i]), id);
                adal_refset_add(ap, ctx, d, id);
            }
            size_t pairs = 0;
            double t0 = now();
            for (size_t i = 0; i < allpairs; i++) {
                adal_report *r = NULL;
                if (adal_refset_check_doc(&r, ctx, ap, i, NULL) == ADAL_OK)
                    pairs += adal_report_nsources(r);
                adal_report_free(r);
            }
            double el = now() - t0;
            printf("all-pairs over %zu docs: %.2f s (%.2f ms/doc), %zu matching pairs\n", allpairs,
                   el, el * 1000 / (double)allpairs, pairs);
            adal_refset_free(ap);
        }
    }
    for (size_t i = 0; i < maxn; i++)
        adal__free(texts[i]);
    free(texts);
    adal_refset_free(rs);
    adal_ctx_free(ctx);
    return 0;
}
