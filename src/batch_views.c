/* batch_views.c — the views of a batch run for a grader: OUT/index.html (one row per
 * submission linking its report, sortable by originality, filtered by band, the collusion
 * clusters drawn as groups, the files that failed and why) and an Excel-ready
 * OUT/summary.csv, both made from OUT/summary.json (the contract between `adal batch` and
 * these views: docs/FORMATS.md "adal batch"). Kept apart from batch.c so the views can be
 * rebuilt (`adal summary OUT`, another --lang) without checking anything again.
 *
 * summary.json is read as untrusted input (it holds student names and file names): every
 * string is escaped on output, links are built only from relative paths without ".." and
 * are percent-encoded, so a student called `<script>` or `javascript:alert(1)` is text.
 */
#include "report.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char css[] =
    "*{box-sizing:border-box}\n"
    "body{font:15px/1.45 'DejaVu Sans','Noto Sans',Arial,sans-serif;margin:0 auto;max-width:"
    "1400px;padding:1em;color:#111;background:#fff;overflow-wrap:anywhere}\n"
    "h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #999;margin-top:1.4em}\n"
    "table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:.2em .45em;"
    "text-align:left;vertical-align:top}th{background:#eee;overflow-wrap:normal}td.n{text-align:"
    "right;"
    "white-space:nowrap}\n"
    "tr.failed td{background:repeating-linear-gradient(135deg,#fff 0 5px,#eee 5px 10px)}\n"
    "tr.superseded td{color:#666;font-style:italic}\n"
    "tr.bl td.band::after{content:' \\26A0'}\n"
    ".controls{margin:.5em 0}.controls button,.controls select{font:inherit;margin-right:1em}\n"
    ".cluster{border:2px solid #000;padding:.4em .8em;margin:.6em 0;break-inside:avoid}\n"
    ".cluster h3{margin:.1em 0 .3em;font-size:1em}.cluster ul{margin:.2em 0}\n"
    ".note{border-left:4px solid #000;padding:.3em .8em;background:#f4f4f4}\n"
    "@page{size:A4 landscape;margin:12mm}\n"
    "@media print{body{font-size:9.5pt;max-width:none;padding:0}.controls{display:none}"
    "tr{break-inside:avoid}a{color:inherit;text-decoration:none}}\n";

static const char script[] =
    "(function(){'use strict';\n"
    "var t=document.getElementById('submissions');if(!t)return;var tb=t.tBodies[0];\n"
    "var c=document.getElementById('controls');if(c)c.hidden=false;var dir=-1;\n"
    "function num(r){var v=parseFloat(r.getAttribute('data-originality'));return "
    "isNaN(v)?null:v;}\n"
    "function sortBy(){var rows=Array.prototype.slice.call(tb.rows);dir=-dir;\n"
    "rows.sort(function(a,b){var x=num(a),y=num(b);if(x===null&&y===null)return "
    "a.getAttribute('data-i')-b.getAttribute('data-i');if(x===null)return 1;if(y===null)"
    "return -1;return dir*(x-y)||a.getAttribute('data-i')-b.getAttribute('data-i');});\n"
    "for(var i=0;i<rows.length;i++)tb.appendChild(rows[i]);\n"
    "var s=document.getElementById('sort-originality');if(s)s.setAttribute('data-dir',"
    "dir>0?'asc':'desc');}\n"
    "var s=document.getElementById('sort-originality');if(s)s.addEventListener('click',sortBy);\n"
    "var f=document.getElementById('band-filter');if(f)f.addEventListener('change',function(){\n"
    "var v=f.value;for(var i=0;i<tb.rows.length;i++){var r=tb.rows[i];"
    "r.hidden=v!==''&&r.getAttribute('data-band')!==v;}});\n"
    "})();\n";

typedef struct vw {
    FILE *f;
    adal_lang lang;
    int err;
} vw;

#define T(s) adal_tr(w->lang, s)

/* The band of a row in the page's language: summary.json holds the policy's label as the
 * batch wrote it; when it is a label of the default policy's band at band_index (the
 * rubric), its word in w->lang is shown instead. Any other policy's label as written. */
static const char *band_label(const vw *w, const json_t *s)
{
    const char *b = json_string_value(json_object_get(s, "band"));
    const json_t *bi = json_object_get(s, "band_index");
    adal_policy pol;
    if (!b || !json_is_integer(bi))
        return b;
    adal_policy_default(&pol);
    json_int_t i = json_integer_value(bi);
    if (i < 0 || (unsigned long long)i >= pol.nbands)
        return b;
    const adal_band *d = &pol.bands[i];
    if (strcmp(b, d->label_en) != 0 && strcmp(b, d->label_kk) != 0 && strcmp(b, d->label_ru) != 0)
        return b;
    return adal__band_label(d, w->lang);
}

static void out(vw *w, const char *fmt, ...) ADAL_PRINTF(2, 3);
static void out(vw *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(w->f, fmt, ap) < 0)
        w->err = ADAL_EIO;
    va_end(ap);
}

static void esc(vw *w, const char *s)
{
    if (s && adal_write_html(w->f, s, strlen(s)) != ADAL_OK)
        w->err = ADAL_EIO;
}

static const char *jstring(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int jnumber(const json_t *o, const char *key, double *out)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_number(v))
        return 0;
    *out = json_number_value(v);
    return isfinite(*out);
}

/* A link target from a relative path in summary.json, or 0 when it is not one we trust
 * (absolute, a "..", a scheme...): every byte but unreserved ones and '/' percent-encoded. */
static int safe_href(const char *p, adal__buf *b)
{
    b->len = 0;
    if (!p || !*p || p[0] == '/' || p[0] == '\\')
        return 0;
    const char *seg = p;
    for (const char *q = p;; q++)
        if (*q == '/' || *q == 0) {
            if ((q - seg == 2 && seg[0] == '.' && seg[1] == '.') || q == seg)
                return 0;
            if (!*q)
                break;
            seg = q + 1;
        }
    for (const unsigned char *q = (const unsigned char *)p; *q; q++) {
        int ok = (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
                 *q == '-' || *q == '_' || *q == '.' || *q == '~' || *q == '/';
        if (ok ? adal__buf_addc(b, (char)*q) : adal__buf_addf(b, "%%%02X", *q))
            return 0;
    }
    return 1;
}

/* reports/<student>/<file>.json → reports/<student>/<file>.html */
static int html_of(const char *report, adal__buf *tmp, adal__buf *href)
{
    size_t n = report ? strlen(report) : 0;
    tmp->len = 0;
    if (n < 5 || strcmp(report + n - 5, ".json") != 0)
        return 0;
    if (adal__buf_add(tmp, report, n - 5) || adal__buf_add(tmp, ".html", 6))
        return 0;
    return safe_href(tmp->data, href);
}

static void pct_cell(vw *w, const json_t *s, const char *key)
{
    double v;
    char b[32];
    if (!jnumber(s, key, &v)) {
        out(w, "<td class=\"n\">\xE2\x80\x94</td>");
        return;
    }
    adal__fmt_pct(b, sizeof b, v, w->lang);
    out(w, "<td class=\"n\" data-key=\"%s\">%s</td>", key, b);
}

static const char *status_label(vw *w, const char *st)
{
    if (!st)
        return "";
    if (strcmp(st, "checked") == 0)
        return T("checked");
    if (strcmp(st, "unchanged") == 0)
        return T("unchanged");
    if (strcmp(st, "failed") == 0)
        return T("failed");
    if (strcmp(st, "superseded") == 0)
        return T("superseded");
    return st;
}

static void write_index(vw *w, const json_t *root)
{
    const char *course = jstring(root, "course");
    const json_t *subs = json_object_get(root, "submissions");
    const json_t *clusters = json_object_get(root, "clusters");
    const json_t *counts = json_object_get(root, "counts");
    const json_t *tmpl = json_object_get(root, "template");
    size_t ns = json_is_array(subs) ? json_array_size(subs) : 0;
    adal__buf title, tmp, href;
    adal__buf_init(&title, 0);
    adal__buf_init(&tmp, 0);
    adal__buf_init(&href, 0);
    if (adal__buf_addf(&title, "%s \xE2\x80\x94 %s", T("Course summary"), course ? course : ""))
        w->err = ADAL_ENOMEM;
    adal__html_head(w->f, w->lang, title.data ? title.data : "", css, script);
    out(w, "<body>\n<header><h1>%s</h1>\n<p id=\"course\">", T("Course summary"));
    esc(w, course);
    out(w, "</p>\n");
    if (json_is_object(counts)) {
        const char *keys[] = {"submissions", "checked", "unchanged", "failed"};
        const char *names[] = {T("submissions"), T("checked"), T("unchanged"), T("failed")};
        out(w, "<p id=\"counts\">");
        for (int i = 0; i < 4; i++) {
            const json_t *v = json_object_get(counts, keys[i]);
            out(w, "%s<span data-key=\"%s\">%s: %lld</span>", i ? " \xC2\xB7 " : "", keys[i],
                names[i], json_is_integer(v) ? (long long)json_integer_value(v) : 0LL);
        }
        out(w, "</p>\n");
    }
    double ex;
    if (json_is_object(tmpl) && jnumber(tmpl, "excluded_percent_mean", &ex)) {
        char b[32];
        adal__fmt_pct(b, sizeof b, ex, w->lang);
        out(w, "<p id=\"template\">%s: %s</p>\n",
            T("Text common to the cohort excluded, mean per essay"), b);
    }
    out(w, "<p class=\"note\">%s</p>\n</header>\n",
        T("These figures are evidence for the grader's decision, not a verdict. Open each "
          "report to read the marked passages."));

    /* controls: hidden until the script runs (without JavaScript the table is in student
     * order and complete) */
    out(w,
        "<div class=\"controls\" id=\"controls\" hidden><button type=\"button\" "
        "id=\"sort-originality\">%s</button><label>%s <select id=\"band-filter\"><option "
        "value=\"\">%s</option>",
        T("Sort by originality"), T("Band:"), T("all"));
    /* one option per band index present, in index order */
    for (long bi = 0; bi < 64; bi++) {
        const char *label = NULL;
        for (size_t i = 0; i < ns && !label; i++) {
            const json_t *s = json_array_get(subs, i);
            const json_t *b = json_object_get(s, "band_index");
            if (json_is_integer(b) && json_integer_value(b) == bi)
                label = band_label(w, s) ? band_label(w, s) : "";
        }
        if (label) {
            out(w, "<option value=\"%ld\">", bi);
            esc(w, label);
            out(w, "</option>");
        }
    }
    out(w, "</select></label></div>\n");

    out(w,
        "<h2 id=\"submissions-h\">%s</h2>\n<table id=\"submissions\"><thead><tr><th>%s</th>"
        "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
        "<th>%s</th></tr></thead><tbody>\n",
        T("Submissions"), T("Student"), T("File"), T("Originality"), T("Borrowed"), T("Cited"),
        T("Excluded"), T("Band"), T("Top source"), T("Cluster"), T("Status"));
    for (size_t i = 0; i < ns; i++) {
        const json_t *s = json_array_get(subs, i);
        if (!json_is_object(s))
            continue;
        const char *st = jstring(s, "status");
        const json_t *bl = json_object_get(s, "borderline");
        const json_t *bi = json_object_get(s, "band_index");
        const json_t *cl = json_object_get(s, "cluster");
        double orig;
        out(w, "<tr data-i=\"%zu\" class=\"%s%s\"", i,
            st ? (strcmp(st, "failed") == 0       ? "failed"
                  : strcmp(st, "superseded") == 0 ? "superseded"
                                                  : "ok")
               : "ok",
            json_is_true(bl) ? " bl" : "");
        if (jnumber(s, "originality", &orig))
            out(w, " data-originality=\"%.1f\"", adal__round1(orig));
        if (json_is_integer(bi))
            out(w, " data-band=\"%lld\"", (long long)json_integer_value(bi));
        out(w, "><td class=\"student\">");
        esc(w, jstring(s, "student"));
        out(w, "</td><td class=\"file\">");
        if (html_of(jstring(s, "report"), &tmp, &href)) {
            out(w, "<a href=\"%s\">", href.data);
            esc(w, jstring(s, "file"));
            out(w, "</a>");
        } else
            esc(w, jstring(s, "file"));
        out(w, "</td>");
        pct_cell(w, s, "originality");
        pct_cell(w, s, "borrowed");
        pct_cell(w, s, "cited");
        pct_cell(w, s, "excluded");
        out(w, "<td class=\"band\">");
        esc(w, band_label(w, s));
        if (json_is_true(bl))
            out(w, " <small>(%s)</small>", T("borderline"));
        out(w, "</td><td>");
        const char *top = jstring(s, "top_source");
        double tp;
        if (top) {
            esc(w, top);
            if (jnumber(s, "top_source_percent", &tp)) {
                char b[32];
                adal__fmt_pct(b, sizeof b, tp, w->lang);
                out(w, " (%s)", b);
            }
        }
        out(w, "</td><td class=\"n\">");
        if (json_is_integer(cl))
            out(w, "<a href=\"#cluster-%lld\">%lld</a>", (long long)json_integer_value(cl),
                (long long)json_integer_value(cl));
        out(w, "</td><td class=\"status\">");
        esc(w, status_label(w, st));
        const json_t *e = json_object_get(s, "error");
        if (json_is_object(e)) {
            out(w, ": ");
            esc(w, jstring(e, "message"));
            out(w, " [");
            esc(w, jstring(e, "code"));
            out(w, "]");
        }
        out(w, "</td></tr>\n");
    }
    out(w, "</tbody></table>\n");

    /* collusion clusters: one box per group */
    size_t nc = json_is_array(clusters) ? json_array_size(clusters) : 0;
    out(w, "<h2 id=\"clusters-h\">%s</h2>\n<div id=\"clusters\">\n",
        T("Groups of essays that share text"));
    if (!nc)
        out(w, "<p>%s</p>\n", T("No essays share a large part of their text."));
    for (size_t i = 0; i < nc; i++) {
        const json_t *c = json_array_get(clusters, i);
        const json_t *id = json_object_get(c, "id");
        const json_t *st = json_object_get(c, "students");
        const json_t *pairs = json_object_get(c, "pairs");
        long long cid = json_is_integer(id) ? (long long)json_integer_value(id) : (long long)i;
        out(w,
            "<section class=\"cluster\" id=\"cluster-%lld\"><h3>%s %lld</h3><p class=\"members\">",
            cid, T("Group"), cid);
        for (size_t k = 0; json_is_array(st) && k < json_array_size(st); k++) {
            const json_t *m = json_array_get(st, k);
            out(w, "%s<b class=\"member\">", k ? ", " : "");
            esc(w, json_is_string(m) ? json_string_value(m) : "");
            out(w, "</b>");
        }
        out(w, "</p><ul class=\"pairs\">\n");
        for (size_t k = 0; json_is_array(pairs) && k < json_array_size(pairs); k++) {
            const json_t *p = json_array_get(pairs, k);
            double v;
            out(w, "<li>");
            esc(w, jstring(p, "a"));
            out(w, " \xE2\x86\x94 ");
            esc(w, jstring(p, "b"));
            if (jnumber(p, "percent", &v)) {
                char b[32];
                adal__fmt_pct(b, sizeof b, v, w->lang);
                out(w, ": %s %s", b, T("of the first one's text is found in the second"));
            }
            out(w, "</li>\n");
        }
        out(w, "</ul></section>\n");
    }
    out(w, "</div>\n");

    /* failures */
    out(w, "<h2 id=\"failed-h\">%s</h2>\n<ul id=\"failed\">\n",
        T("Files that could not be checked"));
    size_t nfail = 0;
    for (size_t i = 0; i < ns; i++) {
        const json_t *s = json_array_get(subs, i);
        const char *st = jstring(s, "status");
        if (!st || strcmp(st, "failed") != 0)
            continue;
        const json_t *e = json_object_get(s, "error");
        nfail++;
        out(w, "<li><b>");
        esc(w, jstring(s, "student"));
        out(w, "</b>: ");
        esc(w, jstring(s, "file"));
        out(w, " \xE2\x80\x94 ");
        esc(w, json_is_object(e) ? jstring(e, "message") : "");
        if (json_is_object(e) && jstring(e, "code")) {
            out(w, " [");
            esc(w, jstring(e, "code"));
            out(w, "]");
        }
        out(w, "</li>\n");
    }
    if (!nfail)
        out(w, "<li>%s</li>\n", T("none"));
    out(w, "</ul>\n<footer><p>");
    esc(w, jstring(root, "tool"));
    out(w, "</p></footer>\n<script>%s</script>\n</body>\n</html>\n", script);
    adal__buf_free(&title);
    adal__buf_free(&tmp);
    adal__buf_free(&href);
}

static const char *const csv_cols[] = {
    "student", "file",       "originality",        "borrowed", "cited",
    "band",    "borderline", "top_source",         "cluster",  "error",
    "status",  "excluded",   "top_source_percent",
};
enum { NCSV = sizeof csv_cols / sizeof csv_cols[0] };

static void cell(vw *w, const char *s, char sep, int first)
{
    if (!first && fputc(sep, w->f) == EOF)
        w->err = ADAL_EIO;
    if (adal_write_csv_cell(w->f, s ? s : "", s ? strlen(s) : 0, sep) != ADAL_OK)
        w->err = ADAL_EIO;
}

static void num_cell(vw *w, const json_t *s, const char *key, char sep)
{
    double v;
    char b[32] = "";
    if (jnumber(s, key, &v))
        adal__fmt_num1(b, sizeof b, v, sep);
    cell(w, b, sep, 0);
}

static void write_csv(vw *w, const json_t *root, char sep, int bom)
{
    if (bom && fputs("\xEF\xBB\xBF", w->f) == EOF)
        w->err = ADAL_EIO;
    for (int i = 0; i < NCSV; i++)
        cell(w, csv_cols[i], sep, i == 0);
    fputc('\n', w->f);
    const json_t *subs = json_object_get(root, "submissions");
    for (size_t i = 0; json_is_array(subs) && i < json_array_size(subs); i++) {
        const json_t *s = json_array_get(subs, i);
        const json_t *cl = json_object_get(s, "cluster");
        const json_t *bl = json_object_get(s, "borderline");
        const json_t *e = json_object_get(s, "error");
        char clbuf[32] = "", err[ADAL_ERRMSG_MAX + 64] = "";
        if (json_is_integer(cl))
            snprintf(clbuf, sizeof clbuf, "%lld", (long long)json_integer_value(cl));
        if (json_is_object(e))
            snprintf(err, sizeof err, "%s: %s", jstring(e, "code") ? jstring(e, "code") : "",
                     jstring(e, "message") ? jstring(e, "message") : "");
        cell(w, jstring(s, "student"), sep, 1);
        cell(w, jstring(s, "file"), sep, 0);
        num_cell(w, s, "originality", sep);
        num_cell(w, s, "borrowed", sep);
        num_cell(w, s, "cited", sep);
        cell(w, band_label(w, s), sep, 0);
        cell(w, json_is_boolean(bl) ? (json_is_true(bl) ? "yes" : "no") : "", sep, 0);
        cell(w, jstring(s, "top_source"), sep, 0);
        cell(w, clbuf, sep, 0);
        cell(w, err, sep, 0);
        cell(w, jstring(s, "status"), sep, 0);
        num_cell(w, s, "excluded", sep);
        num_cell(w, s, "top_source_percent", sep);
        if (fputc('\n', w->f) == EOF)
            w->err = ADAL_EIO;
    }
}

/* Write `name` in dir through a temporary file renamed into place, so a reader never sees
 * half a page. */
static int write_file(adal_ctx *ctx, const char *dir, const char *name, const json_t *root,
                      const adal_write_opts *o, int csv)
{
    adal__buf path, tmp;
    adal__buf_init(&path, 0);
    adal__buf_init(&tmp, 0);
    int rc = ADAL_OK;
    if (adal__buf_addf(&path, "%s/%s", dir, name) ||
        adal__buf_addf(&tmp, "%s/.%s.tmp", dir, name)) {
        rc = adal__err(ctx, ADAL_ENOMEM, "out of memory");
        goto out;
    }
    FILE *f = fopen(tmp.data, "w");
    if (!f) {
        rc = adal__err(ctx, ADAL_EIO, "%s: %s", tmp.data, strerror(errno));
        goto out;
    }
    vw w = {f, o->lang, 0};
    if (csv)
        write_csv(&w, root, o->csv_sep, o->csv_bom > 0);
    else
        write_index(&w, root);
    int bad = w.err || ferror(f);
    if (fclose(f) != 0 || bad) {
        remove(tmp.data);
        rc = w.err == ADAL_ENOMEM ? adal__err(ctx, ADAL_ENOMEM, "out of memory")
                                  : adal__err(ctx, ADAL_EIO, "%s: cannot write", path.data);
        goto out;
    }
    if (rename(tmp.data, path.data) != 0) {
        rc = adal__err(ctx, ADAL_EIO, "%s: %s", path.data, strerror(errno));
        remove(tmp.data);
    }
out:
    adal__buf_free(&path);
    adal__buf_free(&tmp);
    return rc;
}

int adal_batch_views_write(adal_ctx *ctx, const char *out_dir, const adal_write_opts *opts)
{
    adal_write_opts o;
    if (!out_dir)
        return adal__err(ctx, ADAL_EINVAL, "no output folder");
    if (opts) {
        adal__wopts_resolve(&o, opts);
        o.csv_sep = opts->csv_sep ? opts->csv_sep : ';';
    } else {
        adal__wopts_resolve(&o, NULL);
        o.csv_sep = ';';
        o.csv_bom = 1;
    }
    adal__buf path;
    adal__buf_init(&path, 0);
    if (adal__buf_addf(&path, "%s/summary.json", out_dir)) {
        adal__buf_free(&path);
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    }
    json_error_t je;
    json_t *root = json_load_file(path.data, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        int rc = adal__err(ctx, je.line <= 0 && je.position <= 0 ? ADAL_EIO : ADAL_EINVAL,
                           "%s: %s (line %d)", path.data, je.text, je.line);
        adal__buf_free(&path);
        return rc;
    }
    adal__buf_free(&path);
    int rc = ADAL_OK;
    const json_t *fv = json_object_get(root, "format_version");
    if (!json_is_object(root) || !json_is_integer(fv) || json_integer_value(fv) != 1 ||
        !json_is_array(json_object_get(root, "submissions")))
        rc = adal__err(ctx, ADAL_EINVAL,
                       "summary.json: not an adal batch summary (format_version 1 with "
                       "submissions)");
    if (rc == ADAL_OK)
        rc = write_file(ctx, out_dir, "index.html", root, &o, 0);
    if (rc == ADAL_OK)
        rc = write_file(ctx, out_dir, "summary.csv", root, &o, 1);
    json_decref(root);
    return rc;
}
