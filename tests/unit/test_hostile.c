/* test_hostile.c — pathological inputs (issue 6): each is built here at test time (the big
 * ones would be megabytes in git) and each must end fast, with bounded memory, in the right
 * error or a sensible result. The caps are those of docs/ARCHITECTURE.md "Limits".
 *
 *   zip bomb by ratio, by a lying declared size, by overlapping entries; billion laughs;
 *   quadratic entity blow-up; XXE and external DTD (a watched secret file is never opened);
 *   10,000-deep nesting; a 50 MB essay; a single 10 MB word; a million copies of one word;
 *   only invisible characters; document.xml missing or a directory; a path traversal name.
 */
#include "../harness.h"
#include "internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

/* Under valgrind everything is ~30 times slower, under ASan ~3 times: the time bounds then
 * only catch hangs. */
static double slack(void)
{
    const char *v = getenv("ADAL_VALGRIND");
    if (v && *v == '1')
        return 40.0;
#ifdef SANITIZED
    return 5.0;
#else
    return 1.0;
#endif
}

/* ---- a ZIP writer with the tricks the attacks need */
typedef struct zent {
    const char *name;
    const void *data; /* NULL: a central-directory alias of entry `alias` (overlapping) */
    size_t len;
    int deflate;
    int alias;
    uint64_t lie; /* nonzero: declare this uncompressed size instead of the real one */
} zent;

typedef struct zbuf {
    uint8_t *p;
    size_t len, cap;
} zbuf;

static void zput(zbuf *z, const void *p, size_t n)
{
    if (z->len + n > z->cap) {
        z->cap = (z->len + n) * 2;
        z->p = realloc(z->p, z->cap);
    }
    memcpy(z->p + z->len, p, n);
    z->len += n;
}

static void zput16(zbuf *z, unsigned v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    zput(z, b, 2);
}

static void zput32(zbuf *z, unsigned long v)
{
    zput16(z, (unsigned)(v & 0xFFFF));
    zput16(z, (unsigned)(v >> 16));
}

/* Raw deflate of data (level 9). */
static uint8_t *deflate_raw(const void *data, size_t len, size_t *out_len)
{
    z_stream s;
    memset(&s, 0, sizeof s);
    deflateInit2(&s, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
    size_t cap = deflateBound(&s, (uLong)len);
    uint8_t *out = malloc(cap);
    s.next_in = (Bytef *)(uintptr_t)data;
    s.avail_in = (uInt)len;
    s.next_out = out;
    s.avail_out = (uInt)cap;
    deflate(&s, Z_FINISH);
    *out_len = s.total_out;
    deflateEnd(&s);
    return out;
}

static uint8_t *make_zip(const zent *e, size_t n, size_t *out_len)
{
    zbuf z = {0};
    unsigned long *off = calloc(n, sizeof *off), *crc = calloc(n, sizeof *crc);
    size_t *clen = calloc(n, sizeof *clen);
    for (size_t i = 0; i < n; i++) {
        if (!e[i].data)
            continue;
        size_t cl = e[i].len;
        uint8_t *c = e[i].deflate ? deflate_raw(e[i].data, e[i].len, &cl) : NULL;
        crc[i] = crc32(0L, e[i].data, (uInt)e[i].len);
        clen[i] = cl;
        off[i] = (unsigned long)z.len;
        zput32(&z, 0x04034b50);
        zput16(&z, 20);
        zput16(&z, 0);
        zput16(&z, e[i].deflate ? 8 : 0);
        zput32(&z, 0);
        zput32(&z, crc[i]);
        zput32(&z, (unsigned long)cl);
        zput32(&z, (unsigned long)(e[i].lie ? e[i].lie : e[i].len));
        zput16(&z, (unsigned)strlen(e[i].name));
        zput16(&z, 0);
        zput(&z, e[i].name, strlen(e[i].name));
        zput(&z, c ? c : e[i].data, cl);
        free(c);
    }
    size_t cd = z.len;
    for (size_t i = 0; i < n; i++) {
        size_t j = e[i].data ? i : (size_t)e[i].alias;
        zput32(&z, 0x02014b50);
        zput16(&z, 20);
        zput16(&z, 20);
        zput16(&z, 0);
        zput16(&z, e[j].deflate ? 8 : 0);
        zput32(&z, 0);
        zput32(&z, crc[j]);
        zput32(&z, (unsigned long)clen[j]);
        zput32(&z, (unsigned long)(e[j].lie ? e[j].lie : e[j].len));
        zput16(&z, (unsigned)strlen(e[i].name));
        zput16(&z, 0);
        zput16(&z, 0);
        zput16(&z, 0);
        zput16(&z, 0);
        zput32(&z, 0);
        zput32(&z, off[j]);
        zput(&z, e[i].name, strlen(e[i].name));
    }
    size_t cdlen = z.len - cd;
    zput32(&z, 0x06054b50);
    zput16(&z, 0);
    zput16(&z, 0);
    zput16(&z, (unsigned)n);
    zput16(&z, (unsigned)n);
    zput32(&z, (unsigned long)cdlen);
    zput32(&z, (unsigned long)cd);
    zput16(&z, 0);
    free(off);
    free(crc);
    free(clen);
    *out_len = z.len;
    return z.p;
}

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define R_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define PKG_RELS                                                                              \
    "<Relationships xmlns=\"" R_NS "\"><Relationship Id=\"r1\" Type=\"" REL                   \
    "officeDocument\" Target=\"word/document.xml\"/></Relationships>"
#define CT "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"
#define BODY(x) "<w:document " W_NS "><w:body>" x "</w:body></w:document>"
#define PARA "<w:p><w:r><w:t>Абай Құнанбайұлы қазақтың ұлы ақыны.</w:t></w:r></w:p>"

/* A minimal DOCX whose word/document.xml is `doc` (or absent when NULL). */
static uint8_t *docx_with(const char *doc, size_t *len)
{
    zent e[3] = {
        {"[Content_Types].xml", CT, strlen(CT), 0, 0, 0},
        {"_rels/.rels", PKG_RELS, strlen(PKG_RELS), 1, 0, 0},
        {"word/document.xml", doc, doc ? strlen(doc) : 0, 1, 0, 0},
    };
    return make_zip(e, doc ? 3 : 2, len);
}

/* Load bytes; returns the error code, checks the time bound and that failure means no doc. */
static int load_mem(const void *data, size_t len, double max_s, adal_doc **keep)
{
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    adal_doc *doc = NULL;
    double t0 = now();
    int rc = adal_doc_from_memory(&doc, ctx, data, len, "hostile", NULL);
    if (rc == ADAL_OK)
        rc = adal_doc_normalize(doc, ctx);
    double dt = now() - t0;
    if (dt > max_s * slack())
        fprintf(stderr, "    took %.2f s (bound %.2f s)\n", dt, max_s * slack());
    CHECK(dt < max_s * slack());
    if (rc != ADAL_OK) {
        CHECK(*adal_errmsg(ctx) != '\0');
        fprintf(stderr, "    (expected) %s: %s\n", adal_errcode(rc), adal_errmsg(ctx));
    }
    if (keep && rc == ADAL_OK)
        *keep = doc;
    else
        adal_doc_free(doc);
    adal_ctx_free(ctx);
    return rc;
}

static int load_docx(const char *doc, double max_s)
{
    size_t len;
    uint8_t *z = docx_with(doc, &len);
    int rc = load_mem(z, len, max_s, NULL);
    free(z);
    return rc;
}

TEST(hostile_zip_bomb_by_ratio)
{
    /* 64 MiB of spaces inside one paragraph: deflates about 1000:1 */
    size_t n = 64u << 20;
    char *x = malloc(n + 256);
    size_t k = (size_t)snprintf(x, 256, "<w:document " W_NS "><w:body><w:p><w:r><w:t>");
    memset(x + k, ' ', n - k - 64);
    snprintf(x + n - 64, 64, "</w:t></w:r></w:p></w:body></w:document>");
    size_t len;
    uint8_t *z = docx_with(x, &len);
    CHECK(len < (n >> 8));
    CHECK_EQ_INT(load_mem(z, len, 0.5, NULL), ADAL_ELIMIT);
    free(z);

    /* the same part in a package padded with 2 MiB of incompressible bytes (a photo, say):
     * the document budget would allow it, the per-part ratio cap does not */
    size_t pn = 2u << 20;
    uint8_t *pad = malloc(pn);
    uint32_t r = 1;
    for (size_t i = 0; i < pn; i++)
        r = r * 1664525u + 1013904223u, pad[i] = (uint8_t)(r >> 24);
    zent e[4] = {
        {"[Content_Types].xml", CT, strlen(CT), 0, 0, 0},
        {"_rels/.rels", PKG_RELS, strlen(PKG_RELS), 1, 0, 0},
        {"word/document.xml", x, strlen(x), 1, 0, 0},
        {"word/media/image1.jpeg", pad, pn, 0, 0, 0},
    };
    z = make_zip(e, 4, &len);
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    adal_doc *d = NULL;
    CHECK_EQ_INT(adal_doc_from_memory(&d, ctx, z, len, "bomb.docx", NULL), ADAL_ELIMIT);
    CHECK(strstr(adal_errmsg(ctx), "compression ratio") != NULL);
    adal_ctx_free(ctx);
    free(z);
    free(pad);
    free(x);
}

TEST(hostile_zip_bomb_lying_size)
{
    /* 8 MiB that claims to be 1,000 bytes: inflating stops one byte past the claim */
    size_t n = 8u << 20;
    char *x = malloc(n);
    memset(x, ' ', n);
    memcpy(x, "<w:document", 11);
    zent e[3] = {
        {"[Content_Types].xml", CT, strlen(CT), 0, 0, 0},
        {"_rels/.rels", PKG_RELS, strlen(PKG_RELS), 1, 0, 0},
        {"word/document.xml", x, n, 1, 0, 1000},
    };
    size_t len;
    uint8_t *z = make_zip(e, 3, &len);
    int rc = load_mem(z, len, 0.5, NULL);
    CHECK(rc == ADAL_ELIMIT || rc == ADAL_ECORRUPT);
    free(z);
    free(x);
}

/* Overlapping entries: 200 headers, each its own central-directory entry, all pointing at one
 * 1 KiB deflate stream of a 1 MiB header. Every part is under the per-part caps (below the
 * size the ratio cap applies from), and 200 MiB is under the absolute total, so only the
 * whole-document budget (100 × the file's size + 16 MiB) stops it. */
TEST(hostile_zip_bomb_overlapping_entries)
{
    enum { NH = 200 };
    size_t hn = 1u << 20;
    char *hdr = malloc(hn + 1);
    size_t k = (size_t)snprintf(hdr, 128, "<w:hdr " W_NS ">");
    memset(hdr + k, ' ', hn - k - 8);
    memcpy(hdr + hn - 8, "</w:hdr>", 8);
    hdr[hn] = '\0';
    char *rels = malloc(NH * 160 + 256), *names = malloc(NH * 32);
    size_t rl = (size_t)snprintf(rels, 256, "<Relationships xmlns=\"" R_NS "\">");
    zent e[NH + 4];
    const char *doc = BODY(PARA);
    e[0] = (zent){"[Content_Types].xml", CT, strlen(CT), 0, 0, 0};
    e[1] = (zent){"_rels/.rels", PKG_RELS, strlen(PKG_RELS), 1, 0, 0};
    e[2] = (zent){"word/document.xml", doc, strlen(doc), 1, 0, 0};
    for (int i = 0; i < NH; i++) {
        char *nm = names + 32 * i;
        snprintf(nm, 32, "word/header%d.xml", i + 1);
        rl += (size_t)snprintf(rels + rl, 160,
                               "<Relationship Id=\"h%d\" Type=\"" REL "header\" Target=\"header%d.xml\"/>",
                               i, i + 1);
        e[4 + i] = i == 0 ? (zent){nm, hdr, hn, 1, 0, 0} : (zent){nm, NULL, 0, 0, 4, 0};
    }
    rl += (size_t)snprintf(rels + rl, 32, "</Relationships>");
    e[3] = (zent){"word/_rels/document.xml.rels", rels, rl, 1, 0, 0};
    size_t len;
    uint8_t *z = make_zip(e, NH + 4, &len);
    CHECK(len < 64 * 1024);
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    adal_doc *d = NULL;
    double t0 = now();
    CHECK_EQ_INT(adal_doc_from_memory(&d, ctx, z, len, "overlap.docx", NULL), ADAL_ELIMIT);
    CHECK(strstr(adal_errmsg(ctx), "document inflates to over") != NULL);
    CHECK(now() - t0 < 2.0 * slack());
    CHECK(d == NULL);
    adal_ctx_free(ctx);
    free(z);
    free(rels);
    free(names);
    free(hdr);
}

TEST(hostile_billion_laughs_and_quadratic_blowup)
{
    /* the classic: 10 levels of 10 references */
    char laughs[4096];
    size_t k = (size_t)snprintf(laughs, sizeof laughs,
                                "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY l0 \"lol\">");
    for (int i = 1; i < 10; i++)
        k += (size_t)snprintf(laughs + k, sizeof laughs - k,
                              "<!ENTITY l%d \"&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;\">",
                              i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
    snprintf(laughs + k, sizeof laughs - k, "]>" BODY("<w:p><w:r><w:t>&l9;</w:t></w:r></w:p>"));
    CHECK_EQ_INT(load_docx(laughs, 0.5), ADAL_EDOCTYPE);

    /* quadratic blow-up: one 64 KiB entity referenced 64 Ki times (no nesting at all) */
    size_t ent = 64u << 10, refs = 64u << 10;
    char *q = malloc(ent + refs * 3 + 1024);
    k = (size_t)snprintf(q, 256, "<!DOCTYPE w:document [<!ENTITY a \"");
    memset(q + k, 'a', ent);
    k += ent;
    k += (size_t)snprintf(q + k, 256, "\">]><w:document " W_NS "><w:body><w:p><w:r><w:t>");
    for (size_t i = 0; i < refs; i++, k += 3)
        memcpy(q + k, "&a;", 3);
    snprintf(q + k, 256, "</w:t></w:r></w:p></w:body></w:document>");
    CHECK_EQ_INT(load_docx(q, 0.5), ADAL_EDOCTYPE);
    free(q);

    /* the same in an ODT's content.xml and in a plain .txt that is really XML */
    const char *odt_content =
        "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
        "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
        " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text>"
        "<text:p>&b;&b;&b;</text:p></office:text></office:body></office:document-content>";
    const char *mt = "application/vnd.oasis.opendocument.text";
    zent e[2] = {{"mimetype", mt, strlen(mt), 0, 0, 0},
                 {"content.xml", odt_content, strlen(odt_content), 1, 0, 0}};
    size_t len;
    uint8_t *z = make_zip(e, 2, &len);
    CHECK_EQ_INT(load_mem(z, len, 0.5, NULL), ADAL_EDOCTYPE);
    free(z);
}

/* Watch a secret file for any open or read (inotify) while a hostile document names it as an
 * external entity, an external DTD or a relationship target. */
TEST(hostile_xxe_and_external_dtd_read_nothing)
{
    char dir[] = "/tmp/adal-secret-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char secret[64];
    snprintf(secret, sizeof secret, "%s/secret.txt", dir);
    FILE *f = fopen(secret, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("TOP-SECRET-7f3a\n", f);
    fclose(f);
    int in = inotify_init1(IN_NONBLOCK);
    CHECK(in >= 0);
    CHECK(inotify_add_watch(in, secret, IN_OPEN | IN_ACCESS) >= 0);

    char x[4][1024];
    snprintf(x[0], sizeof x[0],
             "<!DOCTYPE w:document [<!ENTITY s SYSTEM \"file://%s\">]>"
             BODY("<w:p><w:r><w:t>&s;</w:t></w:r></w:p>"), secret);
    snprintf(x[1], sizeof x[1], "<!DOCTYPE w:document SYSTEM \"file://%s\">" BODY(PARA), secret);
    snprintf(x[2], sizeof x[2],
             "<!DOCTYPE w:document [<!ENTITY %% p SYSTEM \"%s\"> %%p;]>" BODY(PARA), secret);
    snprintf(x[3], sizeof x[3],
             "<!DOCTYPE w:document PUBLIC \"-//x//y\" \"http://127.0.0.1:9/evil.dtd\">" BODY(PARA));
    for (int i = 0; i < 4; i++)
        CHECK_EQ_INT(load_docx(x[i], 0.5), ADAL_EDOCTYPE);

    /* a relationship and a zip entry named by a traversal path to the secret: parts are read
     * from the archive in memory, never from the disk */
    char rels[512], target[128];
    snprintf(target, sizeof target, "../../../../../..%s", secret);
    snprintf(rels, sizeof rels,
             "<Relationships xmlns=\"" R_NS "\"><Relationship Id=\"r1\" Type=\"" REL
             "officeDocument\" Target=\"%s\"/></Relationships>",
             target);
    zent e[2] = {{"[Content_Types].xml", CT, strlen(CT), 0, 0, 0},
                 {"_rels/.rels", rels, strlen(rels), 0, 0, 0}};
    size_t len;
    uint8_t *z = make_zip(e, 2, &len);
    CHECK_EQ_INT(load_mem(z, len, 0.5, NULL), ADAL_ENOTDOC);
    free(z);

    char ev[4096];
    ssize_t got = read(in, ev, sizeof ev);
    CHECK(got < 0 && errno == EAGAIN); /* no event: the file was never opened nor read */
    close(in);
    unlink(secret);
    rmdir(dir);
}

TEST(hostile_path_traversal_names_inside_the_zip)
{
    /* entries named ../../etc/passwd and /etc/passwd hold the text; the main document
     * relationship points at them. Names resolve inside the package (dot segments clamp at its
     * root), so the part read is the archive's own entry, and nothing on disk is touched
     * (adal never writes or opens a file named by an archive). */
    const char *doc = BODY(PARA);
    const char *rels = "<Relationships xmlns=\"" R_NS "\"><Relationship Id=\"r1\" Type=\"" REL
                       "officeDocument\" Target=\"../../etc/passwd\"/></Relationships>";
    zent e[4] = {
        {"[Content_Types].xml", CT, strlen(CT), 0, 0, 0},
        {"_rels/.rels", rels, strlen(rels), 0, 0, 0},
        {"../../etc/passwd", "root:x:0:0:root:/root:/bin/bash", 31, 0, 0, 0},
        {"etc/passwd", doc, strlen(doc), 1, 0, 0},
    };
    size_t len;
    uint8_t *z = make_zip(e, 4, &len);
    adal_doc *d = NULL;
    CHECK_EQ_INT(load_mem(z, len, 0.5, &d), ADAL_OK);
    if (d) {
        CHECK(strstr(adal_doc_text(d, NULL), "Абай") != NULL);
        CHECK(strstr(adal_doc_text(d, NULL), "root:") == NULL);
    }
    adal_doc_free(d);
    free(z);
}

TEST(hostile_deep_nesting)
{
    enum { DEPTH = 10000 };
    size_t cap = DEPTH * 16 + 512, k;
    char *x = malloc(cap);
    k = (size_t)snprintf(x, cap, "<w:document " W_NS "><w:body>");
    for (int i = 0; i < DEPTH; i++)
        k += (size_t)snprintf(x + k, cap - k, "<w:sdt>");
    for (int i = 0; i < DEPTH; i++)
        k += (size_t)snprintf(x + k, cap - k, "</w:sdt>");
    snprintf(x + k, cap - k, "</w:body></w:document>");
    CHECK_EQ_INT(load_docx(x, 0.5), ADAL_ELIMIT);
    free(x);
}

TEST(hostile_main_part_missing_or_a_directory)
{
    CHECK_EQ_INT(load_docx(NULL, 0.5), ADAL_ENOTDOC);
    zent e[3] = {
        {"[Content_Types].xml", CT, strlen(CT), 0, 0, 0},
        {"_rels/.rels", PKG_RELS, strlen(PKG_RELS), 0, 0, 0},
        {"word/document.xml/", "", 0, 0, 0, 0},
    };
    size_t len;
    uint8_t *z = make_zip(e, 3, &len);
    CHECK_EQ_INT(load_mem(z, len, 0.5, NULL), ADAL_ENOTDOC);
    free(z);
    /* and a directory entry under the exact name, as some zip tools write it */
    e[2].name = "word/document.xml";
    zent e2[4] = {e[0], e[1], {"word/", "", 0, 0, 0, 0}, e[2]};
    e2[3].name = "word/document.xml/";
    z = make_zip(e2, 4, &len);
    CHECK_EQ_INT(load_mem(z, len, 0.5, NULL), ADAL_ENOTDOC);
    free(z);
}

/* A realistic 50 MB essay (sentences of Kazakh and Russian): over the 32 MiB text cap, so
 * ADAL_ELIMIT, found while decoding, before any normalisation. */
TEST(hostile_50mb_essay_hits_the_text_cap)
{
    static const char *const words[] = {"Абай", "ақын", "қазақ", "дала", "өлең", "слово", "поэт",
                                        "степь", "жыл", "халық", "білім", "время"};
    size_t n = 50u << 20, k = 0;
    char *x = malloc(n + 64);
    uint32_t r = 12345;
    while (k < n) {
        r = r * 1103515245u + 12345u;
        const char *w = words[(r >> 16) % 12];
        size_t wl = strlen(w);
        memcpy(x + k, w, wl);
        k += wl;
        x[k++] = (r >> 8) % 13 == 0 ? '.' : ' ';
        if ((r >> 4) % 97 == 0)
            x[k++] = '\n';
    }
    CHECK_EQ_INT(load_mem(x, k, 3.0, NULL), ADAL_ELIMIT);
    free(x);
}

/* One 10 MB word: a token keeps its first ADAL_NORM_MAX_CP code points, so normalisation
 * stays linear and the document is one token. */
TEST(hostile_single_10mb_word)
{
    size_t n = 10u << 20;
    char *x = malloc(n);
    for (size_t i = 0; i + 2 <= n; i += 2)
        memcpy(x + i, "ә", 2);
    adal_doc *d = NULL;
    CHECK_EQ_INT(load_mem(x, n, 5.0, &d), ADAL_OK);
    if (d) {
        CHECK_EQ_INT(adal_doc_ntokens(d), 1);
        size_t kl = 0;
        adal_doc_token_key(d, 0, &kl);
        CHECK(kl <= 4 * 64);
    }
    adal_doc_free(d);
    free(x);
}

/* A file of only invisible characters (zero-width space and joiner, soft hyphen, BOM, bidi
 * marks): no letter anywhere, so ADAL_EEMPTY. */
TEST(hostile_only_invisible_characters)
{
    static const char *const inv[] = {"\u200B", "\u200D", "\u00AD", "\uFEFF", "\u200E", "\u2060"};
    size_t n = 0;
    char *x = malloc(600000);
    for (int i = 0; n < 599990; i++) {
        const char *c = inv[i % 6];
        memcpy(x + n, c, strlen(c));
        n += strlen(c);
    }
    CHECK_EQ_INT(load_mem(x, n, 2.0, NULL), ADAL_EEMPTY);
    free(x);
}

/* A million copies of one word, normalised, fingerprinted and checked against itself. The
 * words give one k-gram a million times over; robust winnowing keeps one fingerprint per
 * ADAL_W positions, and a hash repeated more than ADAL_ALIGN_MAX_OCC times is not a seed
 * (repetition inside one document is boilerplate, not evidence), so the document compared
 * with itself shares nothing: 100 % original, in about a second. */
TEST(hostile_million_copies_of_one_word)
{
    size_t n = slack() > 10 ? 100000 : 1000000, wl = strlen("сөз "); /* valgrind: 10 × fewer */
    char *x = malloc(n * wl);
    for (size_t i = 0; i < n; i++)
        memcpy(x + i * wl, "сөз ", wl);
    adal_ctx *ctx = NULL;
    adal_ctx_new(&ctx);
    adal_doc *q = NULL, *s = NULL;
    adal_report *r = NULL;
    double t0 = now();
    CHECK_EQ_INT(adal_doc_from_text(&q, ctx, x, n * wl, "q"), ADAL_OK);
    CHECK_EQ_INT(adal_doc_from_text(&s, ctx, x, n * wl, "s"), ADAL_OK);
    CHECK_EQ_INT(adal_doc_fingerprint(q, ctx), ADAL_OK);
    CHECK_EQ_INT(adal_doc_fingerprint(s, ctx), ADAL_OK);
    CHECK_EQ_INT(adal_doc_ntokens(q), n);
    /* one fingerprint per window (+ the zone's first and last), not one per position */
    CHECK(adal_doc_nfps(q) <= n / ADAL_W + 4);
    CHECK_EQ_INT(adal_report_new(&r, ctx, q, NULL), ADAL_OK);
    CHECK_EQ_INT(adal_report_add_source(r, ctx, s, "s"), ADAL_OK);
    CHECK_EQ_INT(adal_report_finish(r, ctx), ADAL_OK);
    double dt = now() - t0;
    fprintf(stderr, "    %zu words: %zu fingerprints, %.2f s\n", n, adal_doc_nfps(q), dt);
    CHECK(dt < 5.0 * slack());
    adal_score sc;
    adal_report_score(r, &sc);
    CHECK_EQ_INT(adal_report_npassages(r), 0);
    CHECK(sc.originality > 99.9);
    adal_report_free(r);
    adal_doc_free(q);
    adal_doc_free(s);
    adal_ctx_free(ctx);
    free(x);
}
