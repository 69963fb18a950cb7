/* ingest_bench.c — throughput of the first two pipeline stages (ingest + normalisation) on a
 * corpus of DOCX files, beside a floor that does the least any DOCX reader must do: libzip
 * inflate of word/document.xml plus a libxml2 SAX2 parse with empty handlers. Both read the
 * same bytes from memory (files are loaded once). floor2 parses every part a style-aware
 * reader needs; floor3 is floor2 with each distinct part other than document.xml (by name,
 * size and CRC) parsed only the first time a pass meets it, as a reader that caches a
 * template's parsed styles must. Each pass covers every file; the median of `runs` passes
 * is reported. Run by bench/bench_ingest.sh (`make bench`).
 *
 *   ingest_bench [-r RUNS] [-k] [-A] FILE.docx...
 *     -k: only files both sides read; -A: time only adal (for `perf record`)
 *   ingest_bench -V FILE...
 *     no timing: a digest of everything adal makes of each file (text, segments, findings,
 *     tokens with offsets, flags, keys and hashes), on a fresh context per file and on one
 *     context over all files in order, again (its caches warm) and in reverse order; prints
 *     each file's digest and exits 1 if the four ever differ (the caches must never change
 *     a result). Two builds' outputs diff to prove a change keeps every output.
 * Times are CPU time; the sides alternate within each pass (floor, floor2, adal, then
 * adal, floor2, floor...), so a load change on a shared machine touches all of them.
 */
#include "adal.h"

#include <libxml/parser.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>
#include <zip.h>

typedef struct {
    char *path;
    unsigned char *data;
    size_t len;
} file;

/* CPU time of the process (one thread): on a shared machine the wall clock mostly measures
 * waiting for a core, CPU time what each side costs. */
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_dbl);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- the floor: inflate + SAX parse, nothing kept ---- */
static void sax_start(void *ctx, const xmlChar *l, const xmlChar *p, const xmlChar *u, int nns,
                      const xmlChar **ns, int na, int nd, const xmlChar **a)
{
    (void)ctx, (void)l, (void)p, (void)u, (void)nns, (void)ns, (void)na, (void)nd, (void)a;
}
static void sax_end(void *ctx, const xmlChar *l, const xmlChar *p, const xmlChar *u)
{
    (void)ctx, (void)l, (void)p, (void)u;
}
static void sax_chars(void *ctx, const xmlChar *s, int n)
{
    (void)ctx, (void)s, (void)n;
}

/* Inflate and SAX-parse one part; returns its size, 0 if absent or bad. */
static size_t parse_part(zip_t *z, const char *name)
{
    zip_stat_t st;
    zip_file_t *zf = NULL;
    char *xml = NULL;
    size_t got = 0;
    if (zip_stat(z, name, ZIP_FL_NOCASE, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
        (zf = zip_fopen(z, name, ZIP_FL_NOCASE)) && (xml = malloc(st.size + 1)) &&
        zip_fread(zf, xml, st.size) == (zip_int64_t)st.size) {
        xmlSAXHandler h;
        memset(&h, 0, sizeof h);
        h.initialized = XML_SAX2_MAGIC;
        h.startElementNs = sax_start;
        h.endElementNs = sax_end;
        h.characters = sax_chars;
        xmlParserCtxtPtr p = xmlCreatePushParserCtxt(&h, NULL, NULL, 0, NULL);
        if (p) {
            xmlCtxtUseOptions(p, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
            if (xmlParseChunk(p, xml, (int)st.size, 1) == 0 && p->wellFormed)
                got = st.size;
            xmlFreeParserCtxt(p);
        }
    }
    free(xml);
    if (zf)
        zip_fclose(zf);
    return got;
}

/* The parts a text extractor that honours styles must parse (design notes §1.5, §2.4). */
static const char *const all_parts[] = {"word/document.xml",  "word/styles.xml",
                                        "word/numbering.xml", "word/footnotes.xml",
                                        "word/endnotes.xml",  "word/comments.xml"};

/* Parts already parsed in this pass (floor3), by name, size and CRC-32: a reader that caches
 * what it parsed of a part (as adal does styles.xml) parses a template's part once. */
#define SEEN_SLOTS 8192
static uint64_t seen[SEEN_SLOTS];

static bool seen_before(zip_t *z, const char *name)
{
    zip_stat_t st;
    if (zip_stat(z, name, ZIP_FL_NOCASE, &st) != 0 || !(st.valid & ZIP_STAT_CRC))
        return false;
    uint64_t k = ((uint64_t)st.crc << 32 | (st.size & 0xFFFFFFFFu)) ^ (uint64_t)strlen(name);
    k |= 1;
    for (size_t i = (size_t)(k * 0x9E3779B97F4A7C15u >> 51) & (SEEN_SLOTS - 1);;
         i = (i + 1) & (SEEN_SLOTS - 1)) {
        if (seen[i] == k)
            return true;
        if (!seen[i]) {
            seen[i] = k;
            return false;
        }
    }
}

enum { FLOOR_DOC, FLOOR_ALL, FLOOR_ONCE };

/* Floor over the file: only word/document.xml (FLOOR_DOC), every part in all_parts
 * (FLOOR_ALL), or every part with the parts other than document.xml parsed only the first
 * time the pass meets them (FLOOR_ONCE). Returns the XML bytes parsed, 0 on failure. */
static size_t floor_one(const file *f, int mode)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(f->data, f->len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    size_t got = 0;
    if (!z) {
        if (src)
            zip_source_free(src);
        zip_error_fini(&ze);
        return 0;
    }
    size_t np = mode != FLOOR_DOC ? sizeof all_parts / sizeof *all_parts : 1;
    for (size_t i = 0; i < np; i++)
        if (i == 0 || mode != FLOOR_ONCE || !seen_before(z, all_parts[i]))
            got += parse_part(z, all_parts[i]);
    zip_close(z); /* frees the source */
    zip_error_fini(&ze);
    return got;
}

/* ---- -V: what adal makes of a file, as one digest ---- */
static void dg_add(XXH3_state_t *st, const void *p, size_t n)
{
    XXH3_64bits_update(st, p, n);
}

static uint64_t digest_one(adal_ctx *ctx, const file *f)
{
    XXH3_state_t *st = XXH3_createState();
    XXH3_64bits_reset(st);
    adal_doc *doc = NULL;
    int rc = adal_doc_from_memory(&doc, ctx, f->data, f->len, f->path, NULL);
    if (rc == ADAL_OK)
        rc = adal_doc_normalize(doc, ctx);
    dg_add(st, &rc, sizeof rc);
    if (rc != ADAL_OK)
        dg_add(st, adal_errmsg(ctx), strlen(adal_errmsg(ctx)));
    if (doc) {
        size_t n;
        const char *text = adal_doc_text(doc, &n);
        dg_add(st, text, n);
        for (size_t i = 0; i < adal_doc_nsegments(doc); i++) {
            const adal_segment *sg = adal_doc_segment(doc, i);
            uint32_t v[4] = {sg->start, sg->len, (uint32_t)sg->part, sg->para};
            dg_add(st, v, sizeof v);
        }
        for (size_t i = 0; i < adal_doc_nfindings(doc); i++) {
            const adal_finding *fd = adal_doc_finding(doc, i);
            uint32_t v[6] = {(uint32_t)fd->kind, fd->start, fd->len,
                             (uint32_t)fd->part, fd->para,  fd->count};
            dg_add(st, v, sizeof v);
            dg_add(st, fd->text, strlen(fd->text) + 1);
        }
        const adal_token *t = adal_doc_tokens(doc);
        for (size_t i = 0; i < adal_doc_ntokens(doc); i++) {
            size_t kl;
            const char *k = adal_doc_token_key(doc, i, &kl);
            uint32_t v[4] = {t[i].start, t[i].end, t[i].seg, t[i].flags};
            dg_add(st, v, sizeof v);
            dg_add(st, &t[i].hash, sizeof t[i].hash);
            dg_add(st, k, kl);
            dg_add(st, "", 1);
        }
    }
    adal_doc_free(doc);
    uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return h;
}

static int verify(file *files, int nf)
{
    uint64_t *d = calloc((size_t)nf * 4, sizeof *d);
    adal_ctx *shared = NULL;
    if (!d || adal_ctx_new(&shared) != ADAL_OK)
        return 2;
    for (int i = 0; i < nf; i++) {
        adal_ctx *fresh = NULL;
        if (adal_ctx_new(&fresh) != ADAL_OK)
            return 2;
        d[i * 4] = digest_one(fresh, &files[i]);
        adal_ctx_free(fresh);
    }
    for (int i = 0; i < nf; i++)
        d[i * 4 + 1] = digest_one(shared, &files[i]);
    for (int i = 0; i < nf; i++)
        d[i * 4 + 2] = digest_one(shared, &files[i]);
    for (int i = nf; i-- > 0;)
        d[i * 4 + 3] = digest_one(shared, &files[i]);
    adal_ctx_free(shared);
    int bad = 0;
    for (int i = 0; i < nf; i++) {
        const uint64_t *v = &d[i * 4];
        bool same = v[1] == v[0] && v[2] == v[0] && v[3] == v[0];
        printf("%016llx %s%s\n", (unsigned long long)v[0], files[i].path,
               same ? "" : "  DIFFERS on a shared context");
        bad += !same;
    }
    free(d);
    fprintf(stderr, "ingest_bench -V: %d files, %d differ between fresh and shared contexts\n", nf,
            bad);
    return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
    int runs = 5, nf = 0, skipped = 0;
    bool keep_ok = false, adal_only = false, check = false;
    file *files = calloc((size_t)argc, sizeof *files);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
            runs = (int)strtol(argv[++i], NULL, 10);
            continue;
        }
        if (strcmp(argv[i], "-k") == 0) {
            keep_ok = true;
            continue;
        }
        if (strcmp(argv[i], "-A") == 0) {
            adal_only = true;
            continue;
        }
        if (strcmp(argv[i], "-V") == 0) {
            check = true;
            continue;
        }
        FILE *fp = fopen(argv[i], "rb");
        if (!fp) {
            fprintf(stderr, "ingest_bench: cannot open %s\n", argv[i]);
            return 2;
        }
        fseek(fp, 0, SEEK_END);
        long n = ftell(fp);
        fseek(fp, 0, SEEK_SET);
        files[nf].path = argv[i];
        files[nf].data = malloc((size_t)n);
        files[nf].len = fread(files[nf].data, 1, (size_t)n, fp);
        fclose(fp);
        nf++;
    }
    if (check && nf > 0) {
        int vrc = verify(files, nf);
        for (int i = 0; i < nf; i++)
            free(files[i].data);
        free(files);
        return vrc;
    }
    if (keep_ok) {
        /* -k: a real collection (fuzzed, encrypted, image-only files...): measure only the
         * DOCX files both sides read, so both time the same bytes */
        adal_ctx *kc = NULL;
        int k = 0;
        if (adal_ctx_new(&kc) != ADAL_OK)
            return 2;
        for (int i = 0; i < nf; i++) {
            adal_doc *doc = NULL;
            if (floor_one(&files[i], FLOOR_DOC) > 0 &&
                adal_doc_from_memory(&doc, kc, files[i].data, files[i].len, files[i].path, NULL) ==
                    ADAL_OK)
                files[k++] = files[i];
            else {
                free(files[i].data);
                skipped++;
            }
            adal_doc_free(doc);
        }
        adal_ctx_free(kc);
        nf = k;
        if (nf == 0) {
            printf("ingest: none of the %d files is read by both sides, nothing measured\n",
                   skipped);
            free(files);
            return 1;
        }
    }
    if (nf == 0 || runs < 1) {
        fprintf(stderr, "usage: ingest_bench [-r RUNS] [-k] [-A] FILE.docx...\n"
                        "       ingest_bench -V FILE...\n"
                        "  -k  measure only the files that both the floor and adal read\n"
                        "  -A  time only adal (for perf record)\n"
                        "  -V  print a digest of all adal makes of each file; exit 1 if a\n"
                        "      shared context ever gives another result than a fresh one\n");
        return 2;
    }
    xmlInitParser();
    double *t_floor = calloc((size_t)runs, sizeof(double));
    double *t_adal = calloc((size_t)runs, sizeof(double));
    double *t_norm = calloc((size_t)runs, sizeof(double)); /* the normalise share of t_adal */
    double *t_all = calloc((size_t)runs, sizeof(double));
    double *t_ext = calloc((size_t)runs, sizeof(double));
    double *ratio_f = calloc((size_t)runs, sizeof(double)); /* per pass: adal / floor */
    double *ratio_a = calloc((size_t)runs, sizeof(double)); /* per pass: adal / floor2 */
    double *t_once = calloc((size_t)runs, sizeof(double));
    double *ratio_o = calloc((size_t)runs, sizeof(double)); /* per pass: adal / floor3 */
    size_t once_bytes = 0;
    size_t docx_bytes = 0, xml_bytes = 0, all_bytes = 0, text_bytes = 0, tokens = 0;
    int failures = 0;
    char first_err[256] = "";
    const char *norm_msg = NULL;
    static char norm_buf[256];
    for (int i = 0; i < nf; i++)
        docx_bytes += files[i].len;
    adal_ctx *ctx = NULL;
    if (adal_ctx_new(&ctx) != ADAL_OK)
        return 2;
    for (int r = 0; r < runs; r++) {
        size_t xb = 0, ab = 0, ob = 0, tb = 0, tk = 0;
        int fail = 0;
        for (int side = 0; side < 4; side++) {
            int which = r % 2 ? 3 - side : side; /* 0 floor, 1 floor2, 2 adal, 3 floor3 */
            double t0 = now();
            if (which == 3 && !adal_only) {
                memset(seen, 0, sizeof seen);
                for (int i = 0; i < nf; i++)
                    ob += floor_one(&files[i], FLOOR_ONCE);
                t_once[r] = now() - t0;
            } else if (which == 0 && !adal_only) {
                for (int i = 0; i < nf; i++)
                    xb += floor_one(&files[i], FLOOR_DOC);
                t_floor[r] = now() - t0;
            } else if (which == 1 && !adal_only) {
                for (int i = 0; i < nf; i++)
                    ab += floor_one(&files[i], FLOOR_ALL);
                t_all[r] = now() - t0;
            } else if (which == 2) {
                for (int i = 0; i < nf; i++) {
                    adal_doc *doc = NULL;
                    int rc = adal_doc_from_memory(&doc, ctx, files[i].data, files[i].len,
                                                  files[i].path, NULL);
                    if (rc == ADAL_OK) {
                        size_t n;
                        adal_doc_text(doc, &n);
                        tb += n;
                        if (!norm_msg) {
                            double tn = now();
                            int nrc = adal_doc_normalize(doc, ctx);
                            t_norm[r] += now() - tn;
                            if (nrc == ADAL_OK)
                                tk += adal_doc_ntokens(doc);
                            else if (nrc == ADAL_EUNSUPPORTED) { /* placeholder */
                                snprintf(norm_buf, sizeof norm_buf, "%s", adal_errmsg(ctx));
                                norm_msg = norm_buf;
                            } else
                                fail++;
                        }
                    } else {
                        if (r == 0 && !first_err[0])
                            snprintf(first_err, sizeof first_err, "%s: %s", files[i].path,
                                     adal_errmsg(ctx));
                        fail++;
                    }
                    adal_doc_free(doc);
                }
                t_adal[r] = now() - t0;
                t_ext[r] = t_adal[r] - t_norm[r];
            }
        }
        if (!adal_only) {
            ratio_f[r] = t_adal[r] / (t_floor[r] > 0 ? t_floor[r] : 1e-9);
            ratio_a[r] = t_adal[r] / (t_all[r] > 0 ? t_all[r] : 1e-9);
            ratio_o[r] = t_adal[r] / (t_once[r] > 0 ? t_once[r] : 1e-9);
        }
        if (r == 0) {
            once_bytes = ob;
            xml_bytes = xb;
            all_bytes = ab;
            text_bytes = tb;
            tokens = tk;
            failures = fail;
        }
    }
    adal_ctx_free(ctx);
    double ma0 = t_adal[0]; /* before median() sorts it */
    double mf = median(t_floor, runs), ma = median(t_adal, runs), mall = median(t_all, runs);
    double mn = median(t_norm, runs), me = median(t_ext, runs);
    /* the first pass starts with the context's caches empty (later passes meet the same
     * words and template again, as the essays of one course do) */
    double rf0 = ratio_f[0], ra0 = ratio_a[0], ro0 = ratio_o[0];
    double rf = median(ratio_f, runs), ra = median(ratio_a, runs), ro = median(ratio_o, runs);
    double mo = median(t_once, runs);
    printf("ingest: %d DOCX, %.1f MB (word/document.xml %.1f MB, extracted text %.1f MB), "
           "%d runs, medians of CPU time",
           nf, docx_bytes / 1e6, xml_bytes / 1e6, text_bytes / 1e6, runs);
    if (keep_ok)
        printf("; %d files skipped (not readable by one side)", skipped);
    printf("\n");
    printf("  floor  libzip inflate + libxml2 SAX2 (empty handlers) of word/document.xml: "
           "%7.1f MB/s of DOCX  (%.3f s)\n",
           docx_bytes / 1e6 / mf, mf);
    printf("  floor2 the same over document, styles, numbering, notes, comments (%.1f MB XML): "
           "%7.1f MB/s of DOCX  (%.3f s)\n",
           all_bytes / 1e6, docx_bytes / 1e6 / mall, mall);
    printf("  floor3 floor2 with each distinct non-main part parsed once a pass (%.1f MB XML): "
           "%7.1f MB/s of DOCX  (%.3f s)\n",
           once_bytes / 1e6, docx_bytes / 1e6 / mo, mo);
    if (failures == nf) {
        printf("  adal   no file loaded, nothing measured (%s)\n", first_err);
        goto out;
    }
    printf("  adal   adal_doc_load%s: %8.1f MB/s of DOCX  (%.3f s)",
           norm_msg ? " (extraction only)" : " + adal_doc_normalize", docx_bytes / 1e6 / ma, ma);
    if (!norm_msg && tokens) {
        printf(", %.0f tokens/s", tokens / ma);
        printf("\n  split  extraction %.3f s, normalisation %.3f s (%.1f MB/s of text, %.0f "
               "tokens/s, %zu tokens)",
               me, mn, text_bytes / 1e6 / mn, tokens / mn, tokens);
    }
    printf("\n");
    if (!adal_only)
        printf("  ratio  adal / floor: %.2fx (target <= 2x); adal / floor2: %.2fx; adal / floor3: "
               "%.2fx  (medians of the per-pass ratios; of the median times: %.2fx, %.2fx, "
               "%.2fx)\n",
               rf, ra, ro, ma / mf, ma / mall, ma / mo);
    if (!adal_only && runs > 1)
        printf("  first  pass 1 alone, caches empty at its start: adal %.3f s; "
               "adal / floor: %.2fx; adal / floor2: %.2fx; adal / floor3: %.2fx\n",
               ma0, rf0, ra0, ro0);
    if (norm_msg)
        printf("  note   normalisation not measured: \"%s\"\n", norm_msg);
    if (failures)
        printf("  FAILED %d of %d files did not load (%s)\n", failures, nf, first_err);
out:
    for (int i = 0; i < nf; i++)
        free(files[i].data);
    free(files);
    free(t_floor);
    free(t_adal);
    free(t_norm);
    free(t_all);
    free(t_ext);
    free(ratio_f);
    free(ratio_a);
    free(t_once);
    free(ratio_o);
    xmlCleanupParser();
    return failures ? 1 : 0;
}
