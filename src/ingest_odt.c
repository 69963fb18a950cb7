/* ingest_odt.c — ODT (ODF 1.2 text documents) → the final visible text as segments, with
 * invisible spans replaced by one space and reported as findings. Reads META-INF/manifest.xml
 * (encryption), styles.xml (common and automatic styles, page background, then the master
 * pages' headers and footers) and content.xml (automatic styles, then office:text).
 * Text rules: ODF 1.2 Part 1 §5–§6 (paragraphs, spans, text:s, notes, tracked changes,
 * whitespace collapsing §6.1.2); visibility from the style chain (§16, parent-style-name).
 */
#include "ingest_para.h"

#include <stdlib.h>
#include <string.h>

#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_DRAW "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_META "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define NS_SVG "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"

#define MAX_STYLES 50000
#define MAX_SPANS 256
#define MAX_PARTS 64
#define MAX_TABLES 64
#define STYLE_CHAIN 32
#define MAX_SPACES 1000 /* text:s c= is input-driven: cap it */

enum { NS_OTHER, N_TEXT, N_STYLE, N_OFFICE, N_TABLE, N_DRAW, N_SKIPNS };

static int ns_of(const xmlChar *uri)
{
    const char *u = (const char *)uri;
    if (!u)
        return NS_OTHER;
    if (strcmp(u, NS_TEXT) == 0)
        return N_TEXT;
    if (strcmp(u, NS_STYLE) == 0)
        return N_STYLE;
    if (strcmp(u, NS_OFFICE) == 0)
        return N_OFFICE;
    if (strcmp(u, NS_TABLE) == 0)
        return N_TABLE;
    if (strcmp(u, NS_DRAW) == 0)
        return N_DRAW;
    if (strcmp(u, NS_DC) == 0 || strcmp(u, NS_META) == 0 || strcmp(u, NS_SVG) == 0)
        return N_SKIPNS; /* annotation author/date, shape titles: not visible text */
    return NS_OTHER;
}

/* ---- text properties -------------------------------------------------------------------- */
enum { OP_DISPLAY = 1, OP_COLOR = 2, OP_TBG = 4, OP_SIZE = 8, OP_SCALE = 16, OP_SPACING = 32 };

typedef struct oprops {
    unsigned set;
    bool none;          /* text:display="none" */
    int32_t color, tbg; /* -1 auto / transparent */
    double size;        /* points, or percent of the inherited size when size_pct */
    bool size_pct;
    double scale;   /* percent */
    double spacing; /* points */
} oprops;

static void op_merge(oprops *dst, const oprops *src)
{
    if (src->set & OP_DISPLAY)
        dst->none = src->none;
    if (src->set & OP_COLOR)
        dst->color = src->color;
    if (src->set & OP_TBG)
        dst->tbg = src->tbg;
    if (src->set & OP_SIZE) {
        if (src->size_pct) {
            double base = (dst->set & OP_SIZE) && !dst->size_pct ? dst->size : 12.0;
            dst->size = base * src->size / 100.0;
        } else {
            dst->size = src->size;
        }
        dst->size_pct = false;
    }
    if (src->set & OP_SCALE)
        dst->scale = src->scale;
    if (src->set & OP_SPACING)
        dst->spacing = src->spacing;
    dst->set |= src->set;
}

/* An ODF length ("0.35cm", "-2pt", "1in") in points. */
static bool length_pt(const char *s, double *out)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s)
        return false;
    if (strcmp(end, "pt") == 0)
        ;
    else if (strcmp(end, "cm") == 0)
        v *= 72.0 / 2.54;
    else if (strcmp(end, "mm") == 0)
        v *= 72.0 / 25.4;
    else if (strcmp(end, "in") == 0)
        v *= 72.0;
    else if (strcmp(end, "pc") == 0)
        v *= 12.0;
    else if (strcmp(end, "px") == 0)
        v *= 0.75;
    else
        return false;
    if (v > 1e6)
        v = 1e6;
    if (v < -1e6)
        v = -1e6;
    *out = v;
    return true;
}

static int32_t attr_color(const xmlChar **a, int n, const char *local)
{
    char buf[16];
    size_t k = adal__xml_attr_copy(a, n, local, buf, sizeof buf);
    return k ? adal__color_parse(buf, k) : -1;
}

static void text_props(oprops *p, const xmlChar **a, int n)
{
    char buf[40];
    double v;
    if (adal__xml_attr_copy(a, n, "display", buf, sizeof buf)) {
        p->set |= OP_DISPLAY;
        p->none = strcmp(buf, "none") == 0;
    }
    if (adal__xml_attr_copy(a, n, "color", buf, sizeof buf)) {
        p->set |= OP_COLOR;
        p->color = adal__color_parse(buf, strlen(buf));
    }
    if (adal__xml_attr_eq(a, n, "use-window-font-color", "true")) {
        p->set |= OP_COLOR;
        p->color = -1;
    }
    if (adal__xml_attr_copy(a, n, "background-color", buf, sizeof buf)) {
        p->set |= OP_TBG;
        p->tbg = adal__color_parse(buf, strlen(buf)); /* "transparent" → -1 */
    }
    if (adal__xml_attr_copy(a, n, "font-size", buf, sizeof buf)) {
        size_t k = strlen(buf);
        if (k && buf[k - 1] == '%') {
            v = strtod(buf, NULL);
            if (v >= 0 && v < 1e5) {
                p->set |= OP_SIZE;
                p->size = v;
                p->size_pct = true;
            }
        } else if (length_pt(buf, &v) && v >= 0) {
            p->set |= OP_SIZE;
            p->size = v;
            p->size_pct = false;
        }
    }
    if (adal__xml_attr_copy(a, n, "text-scale", buf, sizeof buf)) {
        v = strtod(buf, NULL);
        if (v >= 0) {
            p->set |= OP_SCALE;
            p->scale = v;
        }
    }
    if (adal__xml_attr_copy(a, n, "letter-spacing", buf, sizeof buf)) {
        p->set |= OP_SPACING;
        p->spacing = length_pt(buf, &v) ? v : 0.0; /* "normal" */
    }
}

/* fo:background-color, or the newer draw:fill="solid" + draw:fill-color (LibreOffice 7) */
static int32_t area_color(const xmlChar **a, int n, bool *set)
{
    size_t len;
    *set = false;
    if (adal__xml_attr(a, n, "background-color", &len)) {
        *set = true;
        return attr_color(a, n, "background-color");
    }
    if (adal__xml_attr_eq(a, n, "fill", "solid") && adal__xml_attr(a, n, "fill-color", &len)) {
        *set = true;
        return attr_color(a, n, "fill-color");
    }
    if (adal__xml_attr_eq(a, n, "fill", "none")) {
        *set = true;
        return -1;
    }
    return -1;
}

/* ---- styles ----------------------------------------------------------------------------- */
enum { F_OTHER, F_PARA, F_TEXT, F_CELL, F_PAGE };
enum { O_COMMON, O_STYLES_AUTO, O_CONTENT_AUTO };

typedef struct ostyle {
    char *name, *parent, *layout; /* layout: master pages only */
    int family, origin;
    oprops own, res;
    int32_t bg, rbg; /* paragraph / cell / page background: -2 unset */
    int state;
} ostyle;

typedef struct ostate {
    adal_ctx *ctx;
    adal__builder b;
    adal__pe pe;
    int rc;
    const char *part_name;
    ostyle *styles;
    size_t nstyles, cap;
    uint32_t *hash; /* open addressing over styles, index + 1, 0 empty */
    size_t hcap;
    size_t hashed; /* styles in the table */
    oprops dflt;   /* style:default-style family="paragraph" */
    int32_t page_bg;
    char master_layout[128];
    /* parse */
    int pass;   /* 0 styles.xml styles, 1 content.xml, 2 styles.xml master pages */
    int origin; /* origin of automatic styles in this part */
    int depth, skip_at;
    int cur_style; /* style being read, -1 */
    int in_styles; /* inside office:styles (2) / automatic-styles (1) */
    struct {
        int depth;
        adal_part part;
    } parts[MAX_PARTS];
    int nparts, parts_over;
    int hidden_at; /* depth of a text:section display=none, 0 none */
    int32_t cell_bg[MAX_TABLES];
    int ntbl;
    /* paragraphs and spans */
    int npara;
    struct {
        adal__buf run;
        bool ws;     /* last char was collapsed white space (or paragraph start) */
        bool hidden; /* text:hidden-paragraph is-hidden */
        int32_t pbg;
    } lv[ADAL_PE_MAX_NEST];
    oprops span[MAX_SPANS]; /* effective props: [0] of the innermost paragraph, then spans */
    int span_para[MAX_SPANS];
    int nspan, span_over;
} ostate;

static void fail(ostate *st, int rc)
{
    if (!st->rc)
        st->rc = rc;
    adal__xml_stop();
}

static uint32_t hash_key(const char *name, size_t n, int family, int origin)
{
    uint32_t h = 2166136261u ^ (uint32_t)(family * 31 + origin);
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)name[i]) * 16777619u;
    return h;
}

static int rehash(ostate *st)
{
    size_t cap = 64;
    while (cap < st->nstyles * 2 + 2)
        cap *= 2;
    uint32_t *h = adal__calloc(cap, sizeof *h);
    if (!h)
        return adal__err(st->ctx, ADAL_ENOMEM, "out of memory");
    adal__free(st->hash);
    st->hash = h;
    st->hcap = cap;
    for (size_t i = 0; i < st->nstyles; i++) {
        const ostyle *s = &st->styles[i];
        size_t k = hash_key(s->name, strlen(s->name), s->family, s->origin) & (cap - 1);
        while (h[k])
            k = (k + 1) & (cap - 1);
        h[k] = (uint32_t)i + 1;
    }
    st->hashed = st->nstyles;
    return ADAL_OK;
}

static int find1(const ostate *st, const char *name, size_t n, int family, int origin)
{
    if (!st->hash)
        return -1;
    size_t k = hash_key(name, n, family, origin) & (st->hcap - 1);
    while (st->hash[k]) {
        const ostyle *s = &st->styles[st->hash[k] - 1];
        if (s->family == family && s->origin == origin && strncmp(s->name, name, n) == 0 &&
            s->name[n] == '\0')
            return (int)st->hash[k] - 1;
        k = (k + 1) & (st->hcap - 1);
    }
    return -1;
}

/* Automatic styles of the part being read first, then the common styles. */
static int find_style(const ostate *st, const char *name, size_t n, int family)
{
    int i = find1(st, name, n, family, st->origin);
    return i >= 0 ? i : find1(st, name, n, family, O_COMMON);
}

static void resolve(ostate *st, int i, int hops)
{
    ostyle *s = &st->styles[i];
    if (s->state == 2)
        return;
    s->res = (oprops){0};
    s->rbg = -2;
    int p = -1;
    if (s->parent && hops < STYLE_CHAIN) {
        s->state = 1;
        p = find1(st, s->parent, strlen(s->parent), s->family, O_COMMON);
        if (p < 0)
            p = find1(st, s->parent, strlen(s->parent), s->family, s->origin);
        if (p >= 0 && st->styles[p].state != 1)
            resolve(st, p, hops + 1);
        else
            p = -1;
    }
    if (p >= 0) {
        s->res = st->styles[p].res;
        s->rbg = st->styles[p].rbg;
    }
    op_merge(&s->res, &s->own);
    if (s->bg != -2)
        s->rbg = s->bg;
    s->state = 2;
}

static int family_of(const xmlChar **a, int n)
{
    char f[32];
    adal__xml_attr_copy(a, n, "family", f, sizeof f);
    if (strcmp(f, "paragraph") == 0)
        return F_PARA;
    if (strcmp(f, "text") == 0)
        return F_TEXT;
    if (strcmp(f, "table-cell") == 0)
        return F_CELL;
    return F_OTHER;
}

static void style_begin(ostate *st, const xmlChar **a, int n, int family, const char *name_attr)
{
    char name[256], parent[256];
    if (!adal__xml_attr_copy(a, n, name_attr, name, sizeof name) || st->nstyles >= MAX_STYLES) {
        st->cur_style = -1;
        return;
    }
    if (adal__grow((void **)&st->styles, &st->cap, st->nstyles + 1, sizeof *st->styles)) {
        fail(st, adal__err(st->ctx, ADAL_ENOMEM, "out of memory"));
        return;
    }
    ostyle *s = &st->styles[st->nstyles];
    memset(s, 0, sizeof *s);
    s->family = family;
    s->origin = st->in_styles == 2 ? O_COMMON : st->origin;
    s->bg = s->rbg = -2;
    s->name = adal__strdup(name);
    if (adal__xml_attr_copy(a, n, "parent-style-name", parent, sizeof parent))
        s->parent = adal__strdup(parent);
    if (!s->name || (parent[0] && !s->parent)) {
        adal__free(s->name);
        adal__free(s->parent);
        fail(st, adal__err(st->ctx, ADAL_ENOMEM, "out of memory"));
        return;
    }
    st->cur_style = (int)st->nstyles++;
}

/* ---- paragraphs and runs ---------------------------------------------------------------- */
static const oprops *top_props(const ostate *st)
{
    return st->nspan > 0 ? &st->span[st->nspan - 1] : &st->dflt;
}

static int decide(const ostate *st, int *wide)
{
    const oprops *p = top_props(st);
    int l = st->npara - 1;
    *wide = 0;
    if (p->none || (l >= 0 && st->lv[l].hidden) || st->hidden_at)
        return ADAL_EV_HIDDEN;
    int32_t bg = (p->set & OP_TBG) ? p->tbg : -1;
    if (bg < 0 && l >= 0)
        bg = st->lv[l].pbg;
    for (int t = (st->ntbl < MAX_TABLES ? st->ntbl : MAX_TABLES) - 1; bg < 0 && t >= 0; t--)
        bg = st->cell_bg[t];
    if (bg < 0)
        bg = st->page_bg;
    if (bg < 0)
        bg = 0xFFFFFF;
    double size = (p->set & OP_SIZE) ? p->size : 12.0;
    if ((p->set & OP_COLOR) && adal__color_near(p->color, bg))
        return ADAL_EV_WHITE;
    if (size <= 2.0)
        return ADAL_EV_TINY;
    if ((p->set & OP_SCALE) && p->scale <= 10.0)
        return ADAL_EV_NARROW;
    if ((p->set & OP_SPACING) && p->spacing <= -size)
        return ADAL_EV_SPACED;
    if ((p->set & OP_SPACING) && p->spacing >= size / 2 && p->spacing >= 3.0)
        *wide = 1;
    return -1;
}

static void run_flush(ostate *st)
{
    if (st->npara == 0)
        return;
    adal__buf *r = &st->lv[st->npara - 1].run;
    if (r->len == 0)
        return;
    int wide, vis = decide(st, &wide), rc;
    size_t chars = 0;
    for (size_t i = 0; i < r->len; i++)
        chars += ((unsigned char)r->data[i] & 0xC0) != 0x80;
    if (vis >= 0)
        rc = adal__pe_invisible(&st->pe, (adal_evasion)vis, r->data, r->len);
    else if (wide && chars <= 3)
        rc = adal__pe_spaced(&st->pe, r->data, r->len);
    else
        rc = adal__pe_text(&st->pe, r->data, r->len);
    r->len = 0;
    if (rc)
        fail(st, rc);
}

static void run_add(ostate *st, const char *s, size_t n)
{
    if (st->npara == 0 || st->rc)
        return;
    int rc = adal__buf_add(&st->lv[st->npara - 1].run, s, n);
    if (rc)
        fail(st, rc == ADAL_ELIMIT
                     ? adal__err(st->ctx, ADAL_ELIMIT, "a paragraph in %s exceeds the text limit",
                                 st->part_name)
                     : adal__err(st->ctx, ADAL_ENOMEM, "out of memory"));
}

static adal_part cur_part(const ostate *st)
{
    return st->nparts > 0 ? st->parts[st->nparts - 1].part : (adal_part)-1;
}

static void push_part(ostate *st, adal_part part)
{
    if (st->nparts >= MAX_PARTS) {
        st->parts_over++;
        return;
    }
    st->parts[st->nparts].depth = st->depth;
    st->parts[st->nparts].part = part;
    st->nparts++;
}

static void push_span(ostate *st, const oprops *p)
{
    if (st->nspan >= MAX_SPANS) {
        st->span_over++;
        return;
    }
    st->span[st->nspan] = st->nspan > 0 ? st->span[st->nspan - 1] : st->dflt;
    op_merge(&st->span[st->nspan], p);
    st->span_para[st->nspan] = st->depth;
    st->nspan++;
}

static void pop_span(ostate *st)
{
    if (st->span_over > 0)
        st->span_over--;
    else if (st->nspan > 0)
        st->nspan--;
}

static void para_begin(ostate *st, const xmlChar **a, int n)
{
    adal_part part = cur_part(st);
    if ((int)part < 0 || st->npara >= ADAL_PE_MAX_NEST) {
        st->skip_at = st->depth;
        return;
    }
    run_flush(st);
    int rc = adal__pe_begin(&st->pe, part);
    if (rc) {
        fail(st, rc);
        return;
    }
    int l = st->npara++;
    st->lv[l].run.len = 0;
    st->lv[l].ws = true;
    st->lv[l].hidden = false;
    st->lv[l].pbg = -1;
    /* paragraph props start from the default style, not from the enclosing paragraph */
    oprops p = {0};
    size_t len;
    const xmlChar *sn = adal__xml_attr(a, n, "style-name", &len);
    int s = sn ? find_style(st, (const char *)sn, len, F_PARA) : -1;
    if (s >= 0) {
        resolve(st, s, 0);
        p = st->styles[s].res;
        st->lv[l].pbg = st->styles[s].rbg >= 0 ? st->styles[s].rbg : -1;
    }
    if (st->nspan >= MAX_SPANS) {
        st->span_over++;
    } else {
        st->span[st->nspan] = st->dflt;
        op_merge(&st->span[st->nspan], &p);
        st->nspan++;
    }
}

static void para_end(ostate *st)
{
    run_flush(st);
    pop_span(st);
    st->npara--;
    if (st->rc)
        return; /* failed: nothing more to replay */
    int rc = adal__pe_end(&st->pe);
    if (rc)
        fail(st, rc);
}

static void add_spaces(ostate *st, long c)
{
    char sp[64];
    memset(sp, ' ', sizeof sp);
    if (c < 1)
        c = 1;
    if (c > MAX_SPACES)
        c = MAX_SPACES;
    while (c > 0) {
        size_t k = c > 64 ? 64 : (size_t)c;
        run_add(st, sp, k);
        c -= (long)k;
    }
}

/* ---- SAX callbacks ---------------------------------------------------------------------- */
static bool is(const xmlChar *local, const char *name)
{
    return strcmp((const char *)local, name) == 0;
}

static void style_elem(ostate *st, int ns, const xmlChar *local, const xmlChar **a, int n)
{
    if (ns == N_STYLE && is(local, "style")) {
        style_begin(st, a, n, family_of(a, n), "name");
        return;
    }
    if (ns == N_STYLE && is(local, "default-style")) {
        st->cur_style = -2; /* reading into dflt when family is paragraph */
        if (family_of(a, n) != F_PARA)
            st->cur_style = -1;
        return;
    }
    if (ns == N_STYLE && is(local, "page-layout")) {
        style_begin(st, a, n, F_PAGE, "name");
        return;
    }
    if (st->cur_style == -1)
        return;
    oprops *p = st->cur_style == -2 ? &st->dflt : &st->styles[st->cur_style].own;
    bool set;
    int32_t c;
    if (ns == N_STYLE && is(local, "text-properties")) {
        text_props(p, a, n);
    } else if (ns == N_STYLE && st->cur_style >= 0 &&
               (is(local, "paragraph-properties") || is(local, "table-cell-properties") ||
                is(local, "page-layout-properties"))) {
        c = area_color(a, n, &set);
        if (set)
            st->styles[st->cur_style].bg = c;
    }
}

static void on_start(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **nsd, int n, int ndef, const xmlChar **a)
{
    ostate *st = ud;
    st->depth++;
    if (st->rc || st->skip_at)
        return;
    int ns = ns_of(uri);
    if (ns == N_SKIPNS) {
        st->skip_at = st->depth;
        return;
    }
    if (ns == N_OFFICE) {
        if (is(local, "styles") || is(local, "automatic-styles")) {
            if (st->pass == 2) {
                st->skip_at = st->depth;
            } else {
                st->in_styles = is(local, "styles") ? 2 : 1;
                st->cur_style = -1;
            }
        } else if (is(local, "master-styles")) {
            if (st->pass == 1)
                st->skip_at = st->depth;
        } else if (is(local, "text")) {
            if (st->pass == 1)
                push_part(st, ADAL_PART_BODY);
        } else if (is(local, "annotation")) {
            run_flush(st);
            push_part(st, ADAL_PART_COMMENT);
        } else if (is(local, "forms") || is(local, "scripts") || is(local, "font-face-decls")) {
            st->skip_at = st->depth;
        }
        return;
    }
    if (st->in_styles) {
        style_elem(st, ns, local, a, n);
        return;
    }
    if (st->hash == NULL || st->hashed != st->nstyles) {
        int rc = rehash(st);
        if (rc) {
            fail(st, rc);
            return;
        }
    }
    if (ns == N_STYLE) {
        if (is(local, "master-page")) {
            char layout[128];
            if (!st->master_layout[0] &&
                adal__xml_attr_copy(a, n, "page-layout-name", layout, sizeof layout))
                memcpy(st->master_layout, layout, sizeof layout);
            if (st->pass == 0)
                st->skip_at = st->depth; /* headers and footers come after the body */
        } else if (is(local, "header") || is(local, "header-left") || is(local, "header-first")) {
            push_part(st, ADAL_PART_HEADER);
        } else if (is(local, "footer") || is(local, "footer-left") || is(local, "footer-first")) {
            push_part(st, ADAL_PART_FOOTER);
        }
        return;
    }
    if (ns == N_DRAW) {
        if (is(local, "text-box") || is(local, "custom-shape") || is(local, "rect") ||
            is(local, "ellipse") || is(local, "polygon") || is(local, "path")) {
            run_flush(st);
            push_part(st, ADAL_PART_TEXTBOX);
        }
        return;
    }
    if (ns == N_TABLE) {
        if (is(local, "table")) {
            if (st->ntbl < MAX_TABLES)
                st->cell_bg[st->ntbl] = -1;
            st->ntbl++;
        } else if (is(local, "table-cell") || is(local, "covered-table-cell")) {
            size_t len;
            const xmlChar *sn = adal__xml_attr(a, n, "style-name", &len);
            int s = sn ? find_style(st, (const char *)sn, len, F_CELL) : -1;
            if (s >= 0)
                resolve(st, s, 0);
            if (st->ntbl > 0 && st->ntbl <= MAX_TABLES)
                st->cell_bg[st->ntbl - 1] =
                    s >= 0 && st->styles[s].rbg >= 0 ? st->styles[s].rbg : -1;
            push_part(st, cur_part(st) == ADAL_PART_BODY ? ADAL_PART_TABLE : cur_part(st));
        }
        return;
    }
    if (ns != N_TEXT)
        return;
    if (is(local, "p") || is(local, "h")) {
        para_begin(st, a, n);
    } else if (is(local, "span")) {
        run_flush(st);
        size_t len;
        const xmlChar *sn = adal__xml_attr(a, n, "style-name", &len);
        int s = sn ? find_style(st, (const char *)sn, len, F_TEXT) : -1;
        oprops p = {0};
        if (s >= 0) {
            resolve(st, s, 0);
            p = st->styles[s].res;
        }
        push_span(st, &p);
    } else if (is(local, "s")) {
        char c[16];
        long k = adal__xml_attr_copy(a, n, "c", c, sizeof c) ? strtol(c, NULL, 10) : 1;
        add_spaces(st, k);
        if (st->npara)
            st->lv[st->npara - 1].ws = false;
    } else if (is(local, "tab")) {
        run_add(st, "\t", 1);
        if (st->npara)
            st->lv[st->npara - 1].ws = false;
    } else if (is(local, "line-break")) {
        run_add(st, "\n", 1);
        if (st->npara)
            st->lv[st->npara - 1].ws = false;
    } else if (is(local, "note")) {
        run_flush(st);
        push_part(st, adal__xml_attr_eq(a, n, "note-class", "endnote") ? ADAL_PART_ENDNOTE
                                                                       : ADAL_PART_FOOTNOTE);
    } else if (is(local, "note-citation") || is(local, "tracked-changes") || is(local, "number") ||
               is(local, "ruby-text") || is(local, "sequence-decls") ||
               is(local, "variable-decls") || is(local, "user-field-decls")) {
        st->skip_at = st->depth;
    } else if (strlen((const char *)local) > 7 &&
               strcmp((const char *)local + strlen((const char *)local) - 7, "-source") == 0) {
        st->skip_at = st->depth; /* index templates (table-of-content-source...) */
    } else if (is(local, "hidden-paragraph")) {
        if (st->npara && adal__xml_attr_eq(a, n, "is-hidden", "true"))
            st->lv[st->npara - 1].hidden = true;
        st->skip_at = st->depth;
    } else if (is(local, "hidden-text")) {
        char v[1024];
        size_t k = adal__xml_attr_copy(a, n, "string-value", v, sizeof v);
        run_flush(st);
        if (k && st->npara) {
            int rc = adal__xml_attr_eq(a, n, "is-hidden", "true")
                         ? adal__pe_invisible(&st->pe, ADAL_EV_HIDDEN, v, k)
                         : adal__pe_text(&st->pe, v, k);
            if (rc)
                fail(st, rc);
        }
        st->skip_at = st->depth;
    } else if (is(local, "section")) {
        if (!st->hidden_at && adal__xml_attr_eq(a, n, "display", "none"))
            st->hidden_at = st->depth;
    }
}

static void on_end(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    ostate *st = ud;
    int d = st->depth--;
    if (st->rc)
        return;
    if (st->skip_at) {
        if (st->skip_at == d)
            st->skip_at = 0;
        return;
    }
    int ns = ns_of(uri);
    if (st->in_styles) {
        if (ns == N_OFFICE && (is(local, "styles") || is(local, "automatic-styles")))
            st->in_styles = 0;
        else if (ns == N_STYLE &&
                 (is(local, "style") || is(local, "default-style") || is(local, "page-layout")))
            st->cur_style = -1;
        return;
    }
    if (st->nparts > 0 && st->parts[st->nparts - 1].depth == d) {
        run_flush(st);
        st->nparts--;
    }
    if (st->hidden_at == d)
        st->hidden_at = 0;
    if (ns == N_TABLE && is(local, "table") && st->ntbl > 0)
        st->ntbl--;
    if (ns != N_TEXT)
        return;
    if ((is(local, "p") || is(local, "h")) && st->npara > 0)
        para_end(st);
    else if (is(local, "span")) {
        run_flush(st);
        pop_span(st);
    }
}

/* ODF §6.1.2: white space (space, tab, CR, LF) in paragraph text collapses to one space and
 * is dropped at the start of a paragraph; real spaces are written as text:s. */
static void on_chars(void *ud, const xmlChar *s, int n)
{
    ostate *st = ud;
    if (st->rc || st->skip_at || st->npara == 0 || st->in_styles)
        return;
    bool *ws = &st->lv[st->npara - 1].ws;
    size_t i = 0, start = 0, len = (size_t)n;
    const char *p = (const char *)s;
    for (; i < len; i++) {
        char c = p[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (i > start)
                run_add(st, p + start, i - start);
            if (!*ws)
                run_add(st, " ", 1);
            *ws = true;
            start = i + 1;
        } else {
            *ws = false;
        }
    }
    if (i > start)
        run_add(st, p + start, i - start);
}

static int parse_part(ostate *st, adal__zip *z, const char *name, int pass)
{
    char *data = NULL;
    size_t len = 0;
    int rc = adal__zip_read(z, name, &data, &len);
    if (rc == ADAL_ENOTDOC && pass == 1)
        rc = adal__err(st->ctx, ADAL_ENOTDOC, "the main document part content.xml is missing");
    if (rc)
        goto out;
    st->pass = pass;
    st->origin = pass == 1 ? O_CONTENT_AUTO : O_STYLES_AUTO;
    st->part_name = name;
    st->depth = st->skip_at = 0;
    st->nparts = st->parts_over = st->hidden_at = st->ntbl = st->npara = 0;
    st->nspan = st->span_over = 0;
    st->in_styles = 0;
    st->cur_style = -1;
    xmlSAXHandler h;
    memset(&h, 0, sizeof h);
    h.startElementNs = on_start;
    h.endElementNs = on_end;
    h.characters = on_chars;
    rc = adal__xml_parse(st->ctx, name, data, len, &h, st);
    if (rc == ADAL_OK)
        rc = st->rc;
    if (rc == ADAL_OK)
        rc = adal__pe_flush(&st->pe);
out:
    adal__free(data);
    return rc;
}

int adal__odt_read(adal_doc **out, adal_ctx *ctx, adal__zip *z, const char *name)
{
    *out = NULL;
    char *mt = NULL, *man = NULL;
    size_t mtl = 0, manl = 0;
    ostate *st = adal__calloc(1, sizeof *st);
    int rc;
    if (!st)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    st->ctx = ctx;
    st->page_bg = -1;
    st->cur_style = -1;
    for (int i = 0; i < ADAL_PE_MAX_NEST; i++)
        adal__buf_init(&st->lv[i].run, ADAL_MAX_TEXT);
    rc = adal__builder_init(&st->b, ctx, name, ADAL_FMT_ODT);
    adal__pe_init(&st->pe, &st->b);
    if (rc)
        goto out;

    /* An encrypted ODF package keeps its entries' names but encrypts their bytes; the
     * manifest says so (ODF 1.2 Part 3 §4.8). A byte search also covers old manifests that
     * carry a DOCTYPE, which the XML layer would refuse. */
    if (adal__zip_has(z, "META-INF/manifest.xml")) {
        rc = adal__zip_read(z, "META-INF/manifest.xml", &man, &manl);
        if (rc)
            goto out;
        if (memmem(man, manl, "encryption-data", 15)) {
            rc = adal__err(ctx, ADAL_EENCRYPTED,
                           "document is password-protected; save it without a password");
            goto out;
        }
    }
    rc = adal__zip_read(z, "mimetype", &mt, &mtl);
    if (rc)
        goto out;
    while (mtl > 0 && (mt[mtl - 1] == '\n' || mt[mtl - 1] == '\r' || mt[mtl - 1] == ' '))
        mt[--mtl] = '\0';
    if (strncmp(mt, "application/vnd.oasis.opendocument.text", 39) != 0) {
        rc = adal__err(ctx, ADAL_ENOTDOC, "OpenDocument file that is not a text document (%.80s)",
                       mt);
        goto out;
    }
    if (adal__zip_has(z, "styles.xml") && (rc = parse_part(st, z, "styles.xml", 0)))
        goto out;
    if ((rc = rehash(st)))
        goto out;
    if (st->master_layout[0]) { /* the first master page's layout gives the page colour */
        st->origin = O_STYLES_AUTO;
        int pl = find_style(st, st->master_layout, strlen(st->master_layout), F_PAGE);
        if (pl >= 0) {
            resolve(st, pl, 0);
            st->page_bg = st->styles[pl].rbg >= 0 ? st->styles[pl].rbg : -1;
        }
    }
    rc = parse_part(st, z, "content.xml", 1);
    if (rc == ADAL_OK && adal__zip_has(z, "styles.xml")) {
        rc = parse_part(st, z, "styles.xml", 2);
    }
    if (rc == ADAL_OK)
        rc = adal__b_finish(&st->b, out);
out:
    adal__free(mt);
    adal__free(man);
    adal__pe_free(&st->pe);
    adal__builder_free(&st->b);
    for (int i = 0; i < ADAL_PE_MAX_NEST; i++)
        adal__buf_free(&st->lv[i].run);
    for (size_t i = 0; i < st->nstyles; i++) {
        adal__free(st->styles[i].name);
        adal__free(st->styles[i].parent);
    }
    adal__free(st->styles);
    adal__free(st->hash);
    adal__free(st);
    return rc;
}
