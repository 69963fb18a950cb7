/* cmd_extract.c — `adal extract FILE... [--tokens] [--format text|json] [--encoding ENC]`:
 * the first two pipeline stages made visible: the extracted text by segment, optionally the
 * normalised tokens with their offsets, and the evasion findings.
 */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *fmt_name(adal_format f)
{
    switch (f) {
    case ADAL_FMT_DOCX: return "docx";
    case ADAL_FMT_ODT: return "odt";
    case ADAL_FMT_TXT: return "txt";
    default: return "unknown";
    }
}

/* Slice [start, start+len) of the UTF-16 offsets as UTF-8. */
static void slice(const adal_doc *doc, uint32_t start, uint32_t len, const char **p, size_t *n)
{
    const char *text = adal_doc_text(doc, NULL);
    size_t a = adal_doc_utf8_offset(doc, start), b = adal_doc_utf8_offset(doc, start + len);
    *p = text + a;
    *n = b - a;
}

static json_t *evasion_json(const adal_doc *doc)
{
    adal_evasion_summary s;
    adal_doc_evasion(doc, &s);
    json_t *counts = json_object();
    for (int k = 0; k < ADAL_EV__COUNT; k++)
        json_object_set_new(counts, adal_evasion_name((adal_evasion)k),
                            json_pack("{s:i,s:i}", "count", (json_int_t)s.count[k], "chars",
                                      (json_int_t)s.chars[k]));
    json_t *list = json_array();
    for (size_t i = 0; i < adal_doc_nfindings(doc); i++) {
        const adal_finding *f = adal_doc_finding(doc, i);
        json_array_append_new(
            list, json_pack("{s:s,s:s,s:i,s:i,s:i,s:i,s:s}", "kind", adal_evasion_name(f->kind),
                            "part", adal_part_name(f->part), "para", (json_int_t)f->para, "start",
                            (json_int_t)f->start, "len", (json_int_t)f->len, "count",
                            (json_int_t)f->count, "text", f->text));
    }
    return json_pack("{s:b,s:f,s:o,s:o}", "suspicious", s.suspicious, "homoglyph_rate",
                     (double)((long)(s.homoglyph_rate * 10 + 0.5)) / 10.0, "counts", counts,
                     "findings", list);
}

static int print_json(const adal_doc *doc, bool tokens)
{
    json_t *segs = json_array();
    for (size_t i = 0; i < adal_doc_nsegments(doc); i++) {
        const adal_segment *s = adal_doc_segment(doc, i);
        const char *p;
        size_t n;
        slice(doc, s->start, s->len, &p, &n);
        if (n && p[n - 1] == '\n')
            n--;
        json_array_append_new(segs, json_pack("{s:s,s:i,s:i,s:i,s:s%}", "part",
                                              adal_part_name(s->part), "para", (json_int_t)s->para,
                                              "start", (json_int_t)s->start, "len",
                                              (json_int_t)s->len, "text", p, n));
    }
    const char *enc = adal_doc_encoding(doc);
    json_t *o = json_pack("{s:i,s:s,s:s,s:o,s:o,s:o}", "format_version", 1, "file",
                          adal_doc_name(doc), "format", fmt_name(adal_doc_format(doc)),
                          "encoding", enc ? json_string(enc) : json_null(), "segments", segs,
                          "evasion", evasion_json(doc));
    if (tokens) {
        json_t *arr = json_array();
        const adal_token *t = adal_doc_tokens(doc);
        for (size_t i = 0; i < adal_doc_ntokens(doc); i++) {
            const char *p, *k;
            size_t n, kn;
            slice(doc, t[i].start, t[i].end - t[i].start, &p, &n);
            k = adal_doc_token_key(doc, i, &kn);
            json_array_append_new(arr, json_pack("{s:i,s:i,s:s%,s:s%,s:i}", "start",
                                                 (json_int_t)t[i].start, "end",
                                                 (json_int_t)t[i].end, "text", p, n, "key", k, kn,
                                                 "flags", (json_int_t)t[i].flags));
        }
        json_object_set_new(o, "tokens", arr);
    }
    int rc = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(o);
    return rc == 0 ? 0 : -1;
}

static void print_text(const adal_doc *doc, bool tokens)
{
    const char *enc = adal_doc_encoding(doc);
    printf("== %s (%s%s%s)\n", adal_doc_name(doc), fmt_name(adal_doc_format(doc)),
           enc ? ", " : "", enc ? enc : "");
    for (size_t i = 0; i < adal_doc_nsegments(doc); i++) {
        const adal_segment *s = adal_doc_segment(doc, i);
        const char *p;
        size_t n;
        slice(doc, s->start, s->len, &p, &n);
        if (n && p[n - 1] == '\n')
            n--;
        printf("[%s %u] ", adal_part_name(s->part), s->para);
        cli_put_safe(stdout, p, n);
        putchar('\n');
    }
    adal_evasion_summary s;
    adal_doc_evasion(doc, &s);
    printf("-- evasion:%s", adal_doc_nfindings(doc) ? "" : " none");
    for (int k = 0; k < ADAL_EV__COUNT; k++)
        if (s.count[k])
            printf(" %s %u (%u chars)", adal_evasion_name((adal_evasion)k), s.count[k],
                   s.chars[k]);
    printf("%s\n", s.suspicious ? "  [SUSPICIOUS]" : "");
    for (size_t i = 0; i < adal_doc_nfindings(doc); i++) {
        const adal_finding *f = adal_doc_finding(doc, i);
        printf("   %-12s %s %u @%u: ", adal_evasion_name(f->kind), adal_part_name(f->part),
               f->para, f->start);
        cli_put_safe(stdout, f->text, strlen(f->text));
        putchar('\n');
    }
    if (tokens) {
        printf("-- tokens: %zu\n", adal_doc_ntokens(doc));
        const adal_token *t = adal_doc_tokens(doc);
        for (size_t i = 0; i < adal_doc_ntokens(doc); i++) {
            const char *p, *k;
            size_t n, kn;
            slice(doc, t[i].start, t[i].end - t[i].start, &p, &n);
            k = adal_doc_token_key(doc, i, &kn);
            printf("   %u-%u ", t[i].start, t[i].end);
            cli_put_safe(stdout, p, n);
            fputs(" -> ", stdout);
            cli_put_safe(stdout, k, kn);
            putchar('\n');
        }
    }
}

static void extract_usage(FILE *f)
{
    fputs("usage: adal extract FILE... [--tokens] [--format text|json] [--encoding ENC]\n", f);
}

int cmd_extract(int argc, char **argv)
{
    bool tokens = false, json = false;
    const char *encoding = NULL, *v;
    int nfiles = 0, status = EXIT_CHECKED_OK;
    char **files = calloc((size_t)argc, sizeof *files);
    if (!files)
        return EXIT_ERROR;
    for (int i = 1; i < argc; i++) {
        if (opt_is(argv[i], "-h", "--help")) {
            extract_usage(stdout);
            free(files);
            return 0;
        } else if (opt_is(argv[i], "-t", "--tokens"))
            tokens = true;
        else if ((v = opt_value(argc, argv, &i, "--format"))) {
            if (strcmp(v, "json") == 0)
                json = true;
            else if (strcmp(v, "text") != 0) {
                cli_error(NULL, "unknown format '%s' (text or json)", v);
                free(files);
                return EXIT_ERROR;
            }
        } else if ((v = opt_value(argc, argv, &i, "--encoding")))
            encoding = v;
        else if (argv[i][0] == '-' && argv[i][1]) {
            cli_error(NULL, "unknown option '%s'", argv[i]);
            extract_usage(stderr);
            free(files);
            return EXIT_ERROR;
        } else
            files[nfiles++] = argv[i];
    }
    if (nfiles == 0) {
        extract_usage(stderr);
        free(files);
        return EXIT_ERROR;
    }
    adal_ctx *ctx = NULL;
    if (adal_ctx_new(&ctx) != ADAL_OK) {
        cli_error(NULL, "out of memory");
        free(files);
        return EXIT_ERROR;
    }
    adal_load_opts opts = ADAL_LOAD_OPTS_INIT;
    opts.encoding = encoding;
    for (int i = 0; i < nfiles; i++) {
        adal_doc *doc = NULL;
        int rc = adal_doc_load(&doc, ctx, files[i], &opts);
        if (rc == ADAL_OK)
            rc = adal_doc_normalize(doc, ctx);
        if (rc != ADAL_OK) {
            cli_error(files[i], "%s [%s]", adal_errmsg(ctx), adal_errcode(rc));
            status = EXIT_ERROR;
        } else if (json) {
            if (print_json(doc, tokens) != 0)
                status = EXIT_ERROR;
        } else
            print_text(doc, tokens);
        adal_doc_free(doc);
    }
    adal_ctx_free(ctx);
    free(files);
    if (fflush(stdout) != 0) {
        cli_error(NULL, "cannot write output");
        status = EXIT_ERROR;
    }
    return status;
}
