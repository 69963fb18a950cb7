/* report_json.c — the JSON writer: one object per essay, one line each (JSON Lines), schema
 * in docs/FORMATS.md (format_version ADAL_REPORT_FORMAT_VERSION). Built with jansson, then
 * dumped with keys in insertion order and 12 significant digits, so the output is
 * byte-for-byte deterministic. Offsets are UTF-16 code units, as everywhere in adal.h.
 */
#include "report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Building state: any failed allocation inside jansson sets `bad`, checked once at the end
 * (jansson's constructors return NULL and its setters refuse NULL, so nothing leaks). */
typedef struct jb {
    int bad;
} jb;

static json_t *chk(jb *b, json_t *v)
{
    if (!v)
        b->bad = 1;
    return v;
}

static void set(jb *b, json_t *o, const char *key, json_t *v)
{
    if (!o || !v || json_object_set_new(o, key, v) != 0)
        b->bad = 1;
}

static void push(jb *b, json_t *a, json_t *v)
{
    if (!a || !v || json_array_append_new(a, v) != 0)
        b->bad = 1;
}

/* A JSON string from bytes that should be UTF-8; invalid bytes (a file name in a legacy
 * encoding, say) become U+FFFD rather than failing the report. */
static json_t *jstr(jb *b, const char *s, size_t n)
{
    if (adal__utf8_valid(s, n))
        return chk(b, json_stringn(s, n));
    adal__buf t;
    adal__buf_init(&t, 0);
    size_t i = 0;
    while (i < n) {
        char u[4];
        uint32_t cp = adal__utf8_next(s, n, &i);
        if (adal__buf_add(&t, u, adal__utf8_put(u, cp)) != 0) {
            adal__buf_free(&t);
            b->bad = 1;
            return NULL;
        }
    }
    json_t *v = chk(b, json_stringn(t.data ? t.data : "", t.len));
    adal__buf_free(&t);
    return v;
}

static json_t *jcstr(jb *b, const char *s)
{
    return s ? jstr(b, s, strlen(s)) : json_null();
}

static json_t *jint(jb *b, long long v)
{
    return chk(b, json_integer((json_int_t)v));
}

static json_t *jreal(jb *b, double v)
{
    return chk(b, json_real(v));
}

static json_t *side(jb *b, const adal_doc *doc, uint32_t start, uint32_t end, uint32_t tok,
                    uint32_t ntok, int snippets)
{
    json_t *o = chk(b, json_object());
    set(b, o, "start", jint(b, start));
    set(b, o, "end", jint(b, end));
    set(b, o, "token", jint(b, tok));
    set(b, o, "ntokens", jint(b, ntok));
    if (snippets && doc) {
        size_t n;
        const char *p = adal__doc_slice(doc, start, end, &n);
        set(b, o, "text", jstr(b, p, n));
    }
    return o;
}

static json_t *passage_json(jb *b, const adal_report *r, const adal_passage *p,
                            const adal_write_opts *o)
{
    const adal_source_result *src = adal_report_source(r, p->source);
    json_t *j = chk(b, json_object());
    set(b, j, "query",
        side(b, adal_report_query(r), p->qstart, p->qend, p->qtok, p->qntok, o->snippets));
    set(b, j, "source",
        side(b, src ? src->doc : NULL, p->sstart, p->send, p->stok, p->sntok, o->snippets));
    set(b, j, "similarity", jreal(b, adal__round4(p->similarity)));
    set(b, j, "cited", json_boolean(p->cited));
    set(b, j, "kind",
        chk(b, json_string(p->kind == ADAL_PASSAGE_PARAPHRASE ? "paraphrase" : "exact")));
    return j;
}

static json_t *band_json(jb *b, const adal_score *s, const adal_write_opts *o)
{
    const char *metric;
    double value = adal__band_value(s, o->policy, &metric);
    json_t *j = chk(b, json_object());
    const adal_band *bi = s->band_info;
    set(b, j, "index", jint(b, s->band));
    set(b, j, "metric", jcstr(b, metric));
    set(b, j, "value", jreal(b, adal__round1(value)));
    set(b, j, "min", bi ? jreal(b, bi->min) : json_null());
    set(b, j, "range", jcstr(b, bi ? bi->range : NULL));
    set(b, j, "label_kk", jcstr(b, bi ? bi->label_kk : NULL));
    set(b, j, "label_ru", jcstr(b, bi ? bi->label_ru : NULL));
    set(b, j, "label_en", jcstr(b, bi ? bi->label_en : NULL));
    return j;
}

static json_t *evasion_json(jb *b, const adal_doc *doc)
{
    adal_evasion_summary s;
    adal_doc_evasion(doc, &s);
    json_t *j = chk(b, json_object());
    set(b, j, "suspicious", json_boolean(s.suspicious));
    set(b, j, "homoglyph_rate", jreal(b, adal__round1(s.homoglyph_rate)));
    set(b, j, "tokens", jint(b, s.tokens));
    json_t *counts = chk(b, json_object());
    for (int k = 0; k < ADAL_EV__COUNT; k++) {
        json_t *c = chk(b, json_object());
        set(b, c, "count", jint(b, s.count[k]));
        set(b, c, "chars", jint(b, s.chars[k]));
        set(b, counts, adal_evasion_name((adal_evasion)k), c);
    }
    set(b, j, "counts", counts);
    json_t *list = chk(b, json_array());
    for (size_t i = 0; i < adal_doc_nfindings(doc); i++) {
        const adal_finding *f = adal_doc_finding(doc, i);
        json_t *x = chk(b, json_object());
        set(b, x, "kind", jcstr(b, adal_evasion_name(f->kind)));
        set(b, x, "part", jcstr(b, adal_part_name(f->part)));
        set(b, x, "para", jint(b, f->para));
        set(b, x, "start", jint(b, f->start));
        set(b, x, "len", jint(b, f->len));
        set(b, x, "count", jint(b, f->count));
        set(b, x, "text", jcstr(b, f->text ? f->text : ""));
        push(b, list, x);
    }
    set(b, j, "findings", list);
    return j;
}

/* jansson writes U+0080..U+FFFF raw. Escape the few code points that could reorder or hide
 * a terminal's view of the file (C1 controls, bidi controls, line/paragraph separators) as
 * \uXXXX: the JSON value is unchanged, `cat report.json` stays honest. They can only occur
 * inside strings, where the escape is legal. */
static int write_escaped(FILE *f, const char *s, size_t n)
{
    size_t run = 0, i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c == 0x7F) {
                if (fwrite(s + run, 1, i - run, f) != i - run)
                    return ADAL_EIO;
                fputs("\\u007f", f);
                run = i + 1;
            }
            i++;
            continue;
        }
        size_t at = i;
        uint32_t cp = adal__utf8_next(s, n, &i);
        if ((cp >= 0x80 && cp < 0xA0) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
            (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
            cp == 0x2029) {
            if (fwrite(s + run, 1, at - run, f) != at - run)
                return ADAL_EIO;
            fprintf(f, "\\u%04x", (unsigned)cp);
            run = i;
        }
    }
    if (n > run && fwrite(s + run, 1, n - run, f) != n - run)
        return ADAL_EIO;
    return ADAL_OK;
}

static int dump(adal_ctx *ctx, FILE *f, json_t *o, jb *b)
{
    int rc = ADAL_OK;
    char *s = NULL;
    if (b->bad || !o) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory building the JSON report");
        goto out;
    }
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    if (!s) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory writing the JSON report");
        goto out;
    }
    if (write_escaped(f, s, strlen(s)) != ADAL_OK || fputc('\n', f) == EOF || ferror(f))
        rc = adal__err(ctx, ADAL_EIO, "cannot write the report");
out:
    free(s); /* allocated by jansson's own allocator */
    json_decref(o);
    return rc;
}

int adal__write_json(const adal_report *r, adal_ctx *ctx, FILE *f, const adal_write_opts *o)
{
    jb b = {0};
    const adal_doc *q = adal_report_query(r);
    adal_score s;
    adal_report_score(r, &s);
    json_t *j = chk(&b, json_object());
    set(&b, j, "format_version", jint(&b, ADAL_REPORT_FORMAT_VERSION));
    set(&b, j, "file", jcstr(&b, o->file ? o->file : adal_doc_name(q)));
    set(&b, j, "format", jcstr(&b, adal__format_name(adal_doc_format(q))));
    set(&b, j, "encoding", jcstr(&b, adal_doc_encoding(q)));
    set(&b, j, "originality", jreal(&b, adal__round1(s.originality)));
    set(&b, j, "borrowed", jreal(&b, adal__round1(s.borrowed)));
    set(&b, j, "cited", jreal(&b, adal__round1(s.cited)));
    set(&b, j, "band", band_json(&b, &s, o));
    set(&b, j, "borderline", json_boolean(s.borderline));
    set(&b, j, "countable_chars", jint(&b, s.countable));
    set(&b, j, "covered_chars", jint(&b, s.covered));
    set(&b, j, "cited_chars", jint(&b, s.cited_chars));
    json_t *ex = chk(&b, json_object());
    set(&b, ex, "percent", jreal(&b, adal__round1(s.excluded)));
    set(&b, ex, "chars", jint(&b, s.excluded_chars));
    /* the exclusion warnings' sentences are the reasons */
    json_t *why = chk(&b, json_array());
    for (size_t i = 0; i < adal_report_nwarnings(r); i++)
        if (adal__warning_excludes(adal_report_warning_info(r, i)))
            push(&b, why, jcstr(&b, adal_report_warning(r, i)));
    set(&b, ex, "reasons", why);
    set(&b, j, "excluded", ex);

    json_t *sources = chk(&b, json_array());
    size_t ns = adal_report_nsources(r), np = adal_report_npassages(r);
    for (size_t i = 0; i < ns; i++) {
        const adal_source_result *src = adal_report_source(r, i);
        json_t *x = chk(&b, json_object());
        set(&b, x, "id", jcstr(&b, src->id));
        set(&b, x, "path", jcstr(&b, src->doc ? adal_doc_name(src->doc) : src->id));
        set(&b, x, "percent", jreal(&b, adal__round1(src->percent)));
        set(&b, x, "percent_attributed", jreal(&b, adal__round1(src->percent_attributed)));
        json_t *ps = chk(&b, json_array());
        for (size_t k = 0; k < np; k++) {
            const adal_passage *p = adal_report_passage(r, k);
            if (p->source == i)
                push(&b, ps, passage_json(&b, r, p, o));
        }
        set(&b, x, "passages", ps);
        push(&b, sources, x);
    }
    set(&b, j, "sources", sources);
    set(&b, j, "evasion", evasion_json(&b, q));
    /* the English sentences, and beside them their stable codes (the text and HTML reports
     * translate the sentences; a program reads the codes) */
    json_t *w = chk(&b, json_array()), *wc = chk(&b, json_array());
    for (size_t i = 0; i < adal_report_nwarnings(r); i++) {
        push(&b, w, jcstr(&b, adal_report_warning(r, i)));
        push(&b, wc, jcstr(&b, adal__warning_code(adal_report_warning_info(r, i))));
    }
    set(&b, j, "warnings", w);
    set(&b, j, "warning_codes", wc);
    return dump(ctx, f, j, &b);
}

int adal__write_json_error(adal_ctx *ctx, FILE *f, const char *file, int err, const char *msg)
{
    jb b = {0};
    json_t *j = chk(&b, json_object());
    set(&b, j, "format_version", jint(&b, ADAL_REPORT_FORMAT_VERSION));
    set(&b, j, "file", jcstr(&b, file));
    json_t *e = chk(&b, json_object());
    set(&b, e, "code", jcstr(&b, adal_errcode(err)));
    set(&b, e, "message", jcstr(&b, msg));
    set(&b, j, "error", e);
    return dump(ctx, f, j, &b);
}
