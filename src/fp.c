/* fp.c — fingerprints: token k-grams (k = ADAL_K) hashed with XXH3-64, selected by robust
 * winnowing with window ADAL_W (Schleimer, Wilkerson, Aiken, SIGMOD 2003). Sits between
 * normalisation (tokens with hashes) and retrieval/alignment (match.c, refset.c, the store).
 * Guarantee: any run of ADAL_K + ADAL_W - 1 = 8 tokens shared by two documents (inside one
 * zone, see below) yields at least one fingerprint shared by both.
 */
#include "internal.h"
#include "match.h"

#include <string.h>
#include <xxhash.h>

/* Fixed seed: "adal" in the high half, the fold version in the low half, so a change of
 * tokenising/folding (which changes token hashes anyway) also changes every k-gram hash. */
#define FP_SEED (0x6164616C00000000ULL | (uint64_t)ADAL_FOLD_VERSION)

uint64_t adal__fp_kgram(const adal_token *toks, size_t n)
{
    /* hash the token hashes as little-endian bytes, so every machine computes the same
     * value (design-notes §5.2: XXH3 over the k token hashes) */
    uint8_t b[8 * ADAL_K];
    if (n > ADAL_K)
        n = ADAL_K;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = toks[i].hash;
        for (int j = 0; j < 8; j++)
            b[8 * i + (size_t)j] = (uint8_t)(h >> (8 * j));
    }
    return XXH3_64bits_withSeed(b, 8 * n, FP_SEED);
}

int adal__fp_counted_zone(const adal_doc *doc, const adal_token *t)
{
    if (t->seg < doc->nsegs)
        return adal_part_counted(doc->segs[t->seg].part) ? 1 : 0;
    return (t->flags & ADAL_TOK_COUNTED) ? 1 : 0;
}

/* Winnow one zone toks[a, b) (b - a >= ADAL_K): k-gram hashes kh[] are for positions a ..
 * b - ADAL_K; sel[] marks the chosen k-gram starts (relative to a). Robust winnowing
 * (Schleimer et al. §4.2, design-notes §5.1) with a monotone deque: each window's pick is
 * its minimum; on a tie the k-gram picked for the previous window stays picked while it is
 * inside the window, else the rightmost minimum is picked. So a run of repeated text (the
 * same k-gram a million times) yields one fingerprint per ADAL_W positions, not one per
 * position, which keeping the leftmost minimum did: it leaves every window at once. */
static void winnow(const uint64_t *kh, size_t nk, uint32_t *dq, uint8_t *sel)
{
    size_t qh = 0, qt = 0, last = SIZE_MAX;
    if (nk < ADAL_W) {
        /* a zone shorter than one window: its minimum is its fingerprint */
        size_t m = 0;
        for (size_t i = 1; i < nk; i++)
            if (kh[i] < kh[m])
                m = i;
        sel[m] = 1;
        return;
    }
    for (size_t i = 0; i < nk; i++) {
        /* the deque holds the rightmost minimum of the window at its front */
        while (qt > qh && kh[dq[qt - 1]] >= kh[i])
            qt--;
        dq[qt++] = (uint32_t)i;
        if (i >= ADAL_W && dq[qh] <= i - ADAL_W)
            qh++;
        if (i + 1 < ADAL_W)
            continue;
        bool keep = last != SIZE_MAX && last + ADAL_W > i && kh[last] == kh[dq[qh]];
        if (!keep && dq[qh] != last) {
            last = dq[qh];
            sel[last] = 1;
        }
    }
}

int adal__fp_compute(const adal_doc *doc, adal_ctx *ctx, adal_fp **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    size_t n = doc->ntoks;
    const adal_token *t = doc->toks;
    uint64_t *kh = NULL;
    uint32_t *dq = NULL;
    uint8_t *sel = NULL;
    adal_fp *fps = NULL;
    size_t nf = 0;
    int rc = ADAL_OK;
    if (n == 0)
        goto out;
    kh = adal__malloc(n * sizeof *kh);
    dq = adal__malloc(n * sizeof *dq);
    sel = adal__calloc(n, 1);
    if (!kh || !dq || !sel) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    /* Zones: maximal runs of tokens that are all counted or all not counted (headers,
     * footers, comments). A k-gram never crosses a zone border, so a page header repeated
     * between two body paragraphs neither breaks a copied passage into unhashable pieces
     * nor makes body text match through header words. Inside a zone k-grams do cross
     * paragraph borders: a copied passage often spans paragraphs. */
    for (size_t a = 0; a < n;) {
        int z = adal__fp_counted_zone(doc, &t[a]);
        size_t b = a + 1;
        while (b < n && adal__fp_counted_zone(doc, &t[b]) == z)
            b++;
        if (b - a < ADAL_K) {
            /* a zone shorter than k tokens still gets one fingerprint: the hash of all its
             * tokens, so very short documents and lone headings can be found */
            kh[a] = adal__fp_kgram(t + a, b - a);
            sel[a] = 1;
        } else {
            size_t nk = b - a - ADAL_K + 1;
            for (size_t i = 0; i < nk; i++)
                kh[a + i] = adal__fp_kgram(t + a + i, ADAL_K);
            winnow(kh + a, nk, dq, sel + a);
            /* also the first and last k-gram of every paragraph inside the zone, so a short
             * paragraph (a title, a one-line quotation) always has fingerprints of its own
             * (design-notes §5.1) */
            for (size_t i = a; i < b; i++) {
                bool first = i == a || t[i].seg != t[i - 1].seg;
                bool last = i + 1 == b || t[i].seg != t[i + 1].seg;
                if (first && i < a + nk)
                    sel[i] = 1;
                if (last) {
                    size_t s = i + 1 >= a + ADAL_K ? i + 1 - ADAL_K : a;
                    sel[s] = 1;
                }
            }
        }
        a = b;
    }
    for (size_t i = 0; i < n; i++)
        nf += sel[i];
    fps = adal__malloc((nf ? nf : 1) * sizeof *fps);
    if (!fps) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    nf = 0;
    for (size_t i = 0; i < n; i++)
        if (sel[i]) {
            fps[nf].hash = kh[i];
            fps[nf].pos = (uint32_t)i;
            nf++;
        }
    *out = fps;
    *nout = nf;
    fps = NULL;
out:
    adal__free(kh);
    adal__free(dq);
    adal__free(sel);
    adal__free(fps);
    return rc;
}

int adal_doc_fingerprint(adal_doc *doc, adal_ctx *ctx)
{
    if (doc->fingerprinted)
        return ADAL_OK;
    if (!doc->normalized) {
        int rc = adal_doc_normalize(doc, ctx);
        if (rc)
            return rc;
    }
    adal_fp *fps = NULL;
    size_t nf = 0;
    int rc = adal__fp_compute(doc, ctx, &fps, &nf);
    if (rc)
        return rc;
    adal__free(doc->fps);
    doc->fps = fps;
    doc->nfps = nf;
    doc->fps_cap = nf;
    doc->fingerprinted = true;
    return ADAL_OK;
}
