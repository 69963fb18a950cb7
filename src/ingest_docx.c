/* ingest_docx.c — DOCX (also DOCM/DOTX, transitional and Strict OOXML) → the final visible
 * text as segments, with invisible runs replaced by one space and reported as findings.
 * Package: _rels/.rels → main part → its relationships (styles, notes, comments, headers,
 * footers), ECMA-376 Part 2 §9. Text: the element rules of design notes §2.1 (tracked
 * deletions, field codes and mc:Fallback skipped; text boxes after their anchor paragraph).
 * Visibility: effective run properties (§2.4; ECMA-376 Part 1 §17.7.2–17.7.3).
 */
#include "ingest_para.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define W_TRANS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define PKG_REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"

#define MAX_STYLES 20000
#define MAX_PATH 512
#define MAX_FIELDS 64
#define MAX_ALT 64
#define MAX_TABLES 64
#define STYLE_CHAIN 32
#define NAME_CACHE 256 /* a power of two */
#define NS_MEMO 8
#define FILL_NONE (-1)
#define FILL_UNKNOWN (-3)
#define WPS_NS "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
#define DML_NS "http://schemas.openxmlformats.org/drawingml/2006/main"
#define VML_NS "urn:schemas-microsoft-com:vml"

/* ---- element names (WordprocessingML, either namespace) --------------------------------- */
enum {
    E_OTHER = 0,
    E_BACKGROUND,
    E_BASEDON,
    E_BR,
    E_COLOR,
    E_COMMENT,
    E_CR,
    E_DEL,
    E_DELINSTRTEXT,
    E_DELTEXT,
    E_DOCDEFAULTS,
    E_DOCUMENT,
    E_ENDNOTE,
    E_FLDCHAR,
    E_FOOTNOTE,
    E_HIGHLIGHT,
    E_INSTRTEXT,
    E_MOVEFROM,
    E_NOBREAKHYPHEN,
    E_P,
    E_PPR,
    E_PSTYLE,
    E_PTAB,
    E_R,
    E_RPR,
    E_RPRDEFAULT,
    E_RSTYLE,
    E_SECTPR,
    E_SDTPR,
    E_SDTENDPR,
    E_SHD,
    E_SPACING,
    E_SPECVANISH,
    E_STYLE,
    E_SYM,
    E_SZ,
    E_T,
    E_TAB,
    E_TBL,
    E_TBLPR,
    E_TBLSTYLEPR,
    E_TC,
    E_TCPR,
    E_TRPR,
    E_TBLGRID,
    E_TXBXCONTENT,
    E_VANISH,
    E_W,
    E_HDR,
    E_FTR,
    E_FOOTNOTES,
    E_ENDNOTES,
    E_COMMENTS,
    E_STYLES,
};

typedef struct ename {
    const char *name;
    int id;
} ename;

static ename names[] = {
    {"background", E_BACKGROUND},
    {"basedOn", E_BASEDON},
    {"br", E_BR},
    {"color", E_COLOR},
    {"comment", E_COMMENT},
    {"cr", E_CR},
    {"del", E_DEL},
    {"delInstrText", E_DELINSTRTEXT},
    {"delText", E_DELTEXT},
    {"docDefaults", E_DOCDEFAULTS},
    {"document", E_DOCUMENT},
    {"endnote", E_ENDNOTE},
    {"fldChar", E_FLDCHAR},
    {"footnote", E_FOOTNOTE},
    {"highlight", E_HIGHLIGHT},
    {"instrText", E_INSTRTEXT},
    {"moveFrom", E_MOVEFROM},
    {"noBreakHyphen", E_NOBREAKHYPHEN},
    {"p", E_P},
    {"pPr", E_PPR},
    {"pStyle", E_PSTYLE},
    {"ptab", E_PTAB},
    {"r", E_R},
    {"rPr", E_RPR},
    {"rPrDefault", E_RPRDEFAULT},
    {"rStyle", E_RSTYLE},
    {"sectPr", E_SECTPR},
    {"sdtPr", E_SDTPR},
    {"sdtEndPr", E_SDTENDPR},
    {"shd", E_SHD},
    {"spacing", E_SPACING},
    {"specVanish", E_SPECVANISH},
    {"style", E_STYLE},
    {"sym", E_SYM},
    {"sz", E_SZ},
    {"t", E_T},
    {"tab", E_TAB},
    {"tbl", E_TBL},
    {"tblPr", E_TBLPR},
    {"tblStylePr", E_TBLSTYLEPR},
    {"tc", E_TC},
    {"tcPr", E_TCPR},
    {"trPr", E_TRPR},
    {"tblGrid", E_TBLGRID},
    {"txbxContent", E_TXBXCONTENT},
    {"vanish", E_VANISH},
    {"w", E_W},
    {"hdr", E_HDR},
    {"ftr", E_FTR},
    {"footnotes", E_FOOTNOTES},
    {"endnotes", E_ENDNOTES},
    {"comments", E_COMMENTS},
    {"styles", E_STYLES},
};
#define NNAMES (sizeof names / sizeof names[0])

static int ename_cmp(const void *a, const void *b)
{
    return strcmp(((const ename *)a)->name, ((const ename *)b)->name);
}

static pthread_once_t names_once = PTHREAD_ONCE_INIT;
static void sort_names(void)
{
    qsort(names, NNAMES, sizeof names[0], ename_cmp);
}

static bool is_w(const xmlChar *uri)
{
    return uri &&
           (strcmp((const char *)uri, W_TRANS) == 0 || strcmp((const char *)uri, W_STRICT) == 0);
}

/* The id of a WordprocessingML element's local name. */
static int elem_id_w(const xmlChar *local)
{
    ename key = {(const char *)local, 0};
    const ename *e = bsearch(&key, names, NNAMES, sizeof names[0], ename_cmp);
    return e ? e->id : E_OTHER;
}

/* The namespaces the readers tell apart, and markup compatibility's three elements. */
enum { NS_OTHER, NS_W, NS_MC, NS_WPS, NS_DML, NS_VML };
enum { MC_NONE, MC_ALT, MC_CHOICE, MC_FALLBACK };

static int ns_of(const xmlChar *uri)
{
    const char *u = (const char *)uri;
    if (!u)
        return NS_OTHER;
    if (is_w(uri))
        return NS_W;
    if (strcmp(u, MC_NS) == 0)
        return NS_MC;
    if (strcmp(u, WPS_NS) == 0)
        return NS_WPS;
    if (strcmp(u, DML_NS) == 0)
        return NS_DML;
    if (strcmp(u, VML_NS) == 0)
        return NS_VML;
    return NS_OTHER;
}

/* What the readers need to know of an element name, worked out once a part for each
 * distinct (namespace, local name): see wstate.names. */
typedef struct ename_info {
    const xmlChar *local, *uri;
    int16_t id; /* E_... (E_OTHER outside WordprocessingML) */
    uint8_t ns; /* NS_... */
    uint8_t mc; /* MC_... */
} ename_info;

/* ---- run properties --------------------------------------------------------------------- */
enum {
    RP_VANISH = 1,
    RP_SPECVANISH = 2,
    RP_COLOR = 4,
    RP_SHD = 8,
    RP_HIGHLIGHT = 16,
    RP_SZ = 32,
    RP_W = 64,
    RP_SPACING = 128,
};

typedef struct rprops {
    unsigned set;
    bool vanish, specvanish;
    int32_t color, shd, highlight; /* -1: auto / none */
    int sz, w, spacing;            /* half-points, percent, twips */
} rprops;

typedef struct style {
    char *id, *based;
    bool para, is_default;
    rprops r, res;       /* own, and resolved along basedOn */
    int32_t pshd, rpshd; /* paragraph shading, own and resolved (-2: unset) */
    int state;           /* 0 unresolved, 1 resolving, 2 done */
} style;

static void rp_merge(rprops *dst, const rprops *src)
{
    if (src->set & RP_VANISH)
        dst->vanish = src->vanish;
    if (src->set & RP_SPECVANISH)
        dst->specvanish = src->specvanish;
    if (src->set & RP_COLOR)
        dst->color = src->color;
    if (src->set & RP_SHD)
        dst->shd = src->shd;
    if (src->set & RP_HIGHLIGHT)
        dst->highlight = src->highlight;
    if (src->set & RP_SZ)
        dst->sz = src->sz;
    if (src->set & RP_W)
        dst->w = src->w;
    if (src->set & RP_SPACING)
        dst->spacing = src->spacing;
    dst->set |= src->set;
}

/* ST_OnOff: absent val = on; "0", "false", "off" = off. */
static bool onoff(const xmlChar **a, int n)
{
    size_t len;
    const xmlChar *v = adal__xml_attr(a, n, "val", &len);
    if (!v)
        return true;
    return !((len == 1 && v[0] == '0') || (len == 5 && memcmp(v, "false", 5) == 0) ||
             (len == 3 && memcmp(v, "off", 3) == 0));
}

/* A number with an optional unit: transitional writes integers in the element's own unit,
 * Strict may write "12pt", "1.5mm", "50%". `per_pt` converts points to that unit. */
static bool measure(const xmlChar **a, int n, double per_pt, double *out)
{
    char buf[40];
    if (!adal__xml_attr_copy(a, n, "val", buf, sizeof buf))
        return false;
    char *end = NULL;
    double v = strtod(buf, &end);
    if (end == buf)
        return false;
    if (strcmp(end, "pt") == 0)
        v *= per_pt;
    else if (strcmp(end, "mm") == 0)
        v *= per_pt * 72.0 / 25.4;
    else if (strcmp(end, "cm") == 0)
        v *= per_pt * 72.0 / 2.54;
    else if (strcmp(end, "in") == 0)
        v *= per_pt * 72.0;
    else if (strcmp(end, "pc") == 0 || strcmp(end, "pi") == 0)
        v *= per_pt * 12.0;
    else if (*end && strcmp(end, "%") != 0)
        return false;
    if (v > 1e6)
        v = 1e6;
    if (v < -1e6)
        v = -1e6;
    *out = v;
    return true;
}

static int32_t highlight_color(const char *v)
{
    static const struct {
        const char *name;
        int32_t rgb;
    } tab[] = {
        {"black", 0x000000},     {"blue", 0x0000FF},       {"cyan", 0x00FFFF},
        {"green", 0x00FF00},     {"magenta", 0xFF00FF},    {"red", 0xFF0000},
        {"yellow", 0xFFFF00},    {"white", 0xFFFFFF},      {"darkBlue", 0x000080},
        {"darkCyan", 0x008080},  {"darkGreen", 0x008000},  {"darkMagenta", 0x800080},
        {"darkRed", 0x800000},   {"darkYellow", 0x808000}, {"darkGray", 0x808080},
        {"lightGray", 0xC0C0C0},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(v, tab[i].name) == 0)
            return tab[i].rgb;
    return -1;
}

/* w:shd: the fill shows unless the pattern is solid, which paints the pattern colour. */
static int32_t shd_color(const xmlChar **a, int n)
{
    char val[32], fill[16], color[16];
    adal__xml_attr_copy(a, n, "val", val, sizeof val);
    adal__xml_attr_copy(a, n, "fill", fill, sizeof fill);
    adal__xml_attr_copy(a, n, "color", color, sizeof color);
    if (strcmp(val, "solid") == 0) {
        int32_t c = adal__color_parse(color, strlen(color));
        if (c >= 0)
            return c;
    }
    return adal__color_parse(fill, strlen(fill));
}

/* One child of a w:rPr. */
static void rprop(rprops *r, int id, const xmlChar **a, int n)
{
    char buf[32];
    double v;
    switch (id) {
    case E_VANISH:
        r->set |= RP_VANISH;
        r->vanish = onoff(a, n);
        break;
    case E_SPECVANISH:
        r->set |= RP_SPECVANISH;
        r->specvanish = onoff(a, n);
        break;
    case E_COLOR:
        adal__xml_attr_copy(a, n, "val", buf, sizeof buf);
        r->set |= RP_COLOR;
        r->color = adal__color_parse(buf, strlen(buf));
        break;
    case E_SHD:
        r->set |= RP_SHD;
        r->shd = shd_color(a, n);
        break;
    case E_HIGHLIGHT:
        adal__xml_attr_copy(a, n, "val", buf, sizeof buf);
        r->set |= RP_HIGHLIGHT;
        r->highlight = highlight_color(buf);
        break;
    case E_SZ:
        if (measure(a, n, 2.0, &v) && v >= 0) {
            r->set |= RP_SZ;
            r->sz = (int)(v + 0.5);
        }
        break;
    case E_W:
        if (measure(a, n, 1.0, &v) && v >= 0) {
            r->set |= RP_W;
            r->w = (int)(v + 0.5);
        }
        break;
    case E_SPACING:
        if (measure(a, n, 20.0, &v)) {
            r->set |= RP_SPACING;
            r->spacing = (int)v;
        }
        break;
    default:
        break;
    }
}

/* ---- relationships ---------------------------------------------------------------------- */
typedef struct rel {
    char type[40]; /* the last segment of the type URI: "footnotes", "header"... */
    char *target;  /* resolved part name */
} rel;

typedef struct rels {
    rel *v;
    size_t n, cap;
    const char *base; /* folder of the source part, "" or "word/" */
    adal_ctx *ctx;
    int rc;
    bool borrowed; /* v belongs to ctx->docx_cache */
} rels;

static void rels_free(rels *r)
{
    if (r->borrowed) {
        memset(r, 0, sizeof *r);
        return;
    }
    for (size_t i = 0; i < r->n; i++)
        adal__free(r->v[i].target);
    adal__free(r->v);
    memset(r, 0, sizeof *r);
}

/* Resolve a relationship target against the source part's folder (RFC 3986 §5.2 in
 * miniature: leading "/" is the package root, "." and ".." segments removed, %XX decoded). */
static bool resolve_target(const char *base, const char *t, size_t tn, char *out, size_t cap)
{
    char tmp[MAX_PATH];
    size_t k = 0;
    if (tn && t[0] == '/') {
        t++;
        tn--;
    } else {
        size_t bl = strlen(base);
        if (bl >= sizeof tmp)
            return false;
        memcpy(tmp, base, bl);
        k = bl;
    }
    for (size_t i = 0; i < tn; i++) {
        char c = t[i];
        if (c == '#' || c == '?')
            break;
        if (c == '%' && i + 2 < tn) {
            char hex[3] = {t[i + 1], t[i + 2], 0};
            char *e;
            long v = strtol(hex, &e, 16);
            if (*e == '\0' && v > 0) {
                c = (char)v;
                i += 2;
            }
        }
        if (k + 1 >= sizeof tmp)
            return false;
        tmp[k++] = c == '\\' ? '/' : c;
    }
    tmp[k] = '\0';
    /* remove dot segments */
    size_t o = 0;
    char *p = tmp;
    while (*p) {
        char *slash = strchr(p, '/');
        size_t sl = slash ? (size_t)(slash - p) : strlen(p);
        if ((sl == 1 && p[0] == '.') || sl == 0) {
            /* skip */
        } else if (sl == 2 && p[0] == '.' && p[1] == '.') {
            if (o > 0) {
                o--;
                while (o > 0 && out[o - 1] != '/')
                    o--;
            }
        } else {
            if (o + sl + 2 >= cap)
                return false;
            memcpy(out + o, p, sl);
            o += sl;
            if (slash)
                out[o++] = '/';
        }
        p += sl + (slash ? 1 : 0);
    }
    while (o > 0 && out[o - 1] == '/')
        o--;
    out[o] = '\0';
    return o > 0;
}

static void rels_start(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                       int nns, const xmlChar **ns, int nattrs, int ndef, const xmlChar **a)
{
    rels *r = ud;
    if (r->rc || strcmp((const char *)local, "Relationship") != 0 || !uri ||
        strcmp((const char *)uri, PKG_REL_NS) != 0)
        return;
    if (adal__xml_attr_eq(a, nattrs, "TargetMode", "External") || r->n >= ADAL_DOCX_MAX_RELS)
        return;
    size_t tl, tn;
    const xmlChar *type = adal__xml_attr(a, nattrs, "Type", &tl);
    const xmlChar *target = adal__xml_attr(a, nattrs, "Target", &tn);
    if (!type || !target)
        return;
    const xmlChar *slash = type + tl;
    while (slash > type && slash[-1] != '/')
        slash--;
    size_t sl = (size_t)(type + tl - slash);
    char path[MAX_PATH];
    if (sl >= sizeof r->v[0].type ||
        !resolve_target(r->base, (const char *)target, tn, path, sizeof path))
        return;
    if (adal__grow((void **)&r->v, &r->cap, r->n + 1, sizeof *r->v) ||
        !(r->v[r->n].target = adal__strdup(path))) {
        r->rc = adal__err(r->ctx, ADAL_ENOMEM, "out of memory");
        adal__xml_stop();
        return;
    }
    memcpy(r->v[r->n].type, slash, sl);
    r->v[r->n].type[sl] = '\0';
    r->n++;
}

static bool rels_from_cache(rels *r, adal_ctx *ctx, int slot, const char *source,
                            const uint64_t key[2]);
static void rels_to_cache(rels *r, adal_ctx *ctx, int slot, const char *source,
                          const uint64_t key[2]);

/* The relationships part of `source` ("" for the package): missing is fine (no rels).
 * Through the context's cache slot `slot` (0 the package's, 1 the main part's). */
static int rels_read(rels *r, adal_ctx *ctx, adal__zip *z, const char *source, int slot)
{
    char base[MAX_PATH], name[MAX_PATH + 16];
    const char *slash = strrchr(source, '/');
    const char *file = slash ? slash + 1 : source;
    size_t bl = (size_t)(file - source);
    if (bl >= sizeof base)
        return adal__err(ctx, ADAL_ELIMIT, "part name too long");
    memcpy(base, source, bl);
    base[bl] = '\0';
    snprintf(name, sizeof name, "%s_rels/%s.rels", base, file);
    memset(r, 0, sizeof *r);
    r->base = base;
    r->ctx = ctx;
    if (!adal__zip_has(z, name))
        return ADAL_OK;
    uint64_t key[2];
    bool keyed = adal__zip_part_key(z, name, key) == ADAL_OK;
    adal__err_clear(ctx);
    if (keyed && rels_from_cache(r, ctx, slot, source, key))
        return ADAL_OK;
    char *data = NULL;
    size_t len = 0;
    int rc = adal__zip_read(z, name, &data, &len);
    if (rc == ADAL_OK) {
        len = adal__docx_styles_trim(data, len);
        xmlSAXHandler h;
        memset(&h, 0, sizeof h);
        h.startElementNs = rels_start;
        rc = adal__xml_parse(ctx, name, data, len, &h, r);
        if (rc == ADAL_OK)
            rc = r->rc;
    }
    r->base = NULL;
    adal__free(data);
    if (rc == ADAL_OK && keyed)
        rels_to_cache(r, ctx, slot, source, key);
    return rc;
}

/* ---- the reader state ------------------------------------------------------------------- */
typedef struct wlevel { /* one open paragraph */
    int pstyle;         /* index into styles, -1 none */
    int32_t pshd;       /* direct paragraph shading, -2 unset */
    bool in_run, eff_ready;
    rprops direct;
    int rstyle;
    int vis;       /* -1 visible, else adal_evasion */
    bool wide;     /* letter-spacing wide enough to read as a word break */
    adal__buf run; /* text of the open run */
} wlevel;

enum { PR_NONE, PR_RPR, PR_PPR, PR_TCPR, PR_TBLPR, PR_DD, PR_SRPR, PR_SPPR };

typedef struct wstate {
    adal_ctx *ctx;
    adal__builder b;
    adal__pe pe;
    int rc;
    const char *part_name;
    /* styles */
    style *styles;
    size_t nstyles, styles_cap;
    size_t *order;      /* style indexes sorted by id, for lookup */
    rprops dd;          /* docDefaults */
    int default_pstyle; /* -1 none */
    int32_t page_bg;    /* w:background, -1 none */
    /* parse position */
    adal_part part; /* BODY, FOOTNOTE... for this part */
    int depth, skip_at, props_at, props;
    bool root_seen, root_ok;
    int txbx; /* open w:txbxContent */
    /* fill of the shape around each open text box: colour, FILL_NONE (transparent) or
     * FILL_UNKNOWN (theme colour, style fill): white text is only judged on a known fill */
    int32_t txfill[MAX_TABLES];
    int32_t shape_fill; /* of the last shape seen, for the next w:txbxContent */
    int sppr_at;        /* depth of an open wps:spPr, 0 none */
    int nlv;            /* open paragraphs */
    wlevel lv[ADAL_PE_MAX_NEST];
    int tbl; /* open tables */
    int32_t cell_shd[MAX_TABLES], tbl_shd[MAX_TABLES];
    int in_t; /* depth of an open w:t whose text counts, 0 none */
    uint8_t fld[MAX_FIELDS];
    int nfld, fld_over, fld_code; /* open fields, ones beyond the cap, ones in their code */
    int alt[MAX_ALT];             /* per open mc:AlternateContent: a Choice was taken */
    int nalt;
    style *cur_style;   /* styles.xml: the w:style being read */
    bool styles_cached; /* styles/order belong to ctx->docx_cache, not to this state */
    /* element names already looked up in this part, by address: libxml2 hands SAX2 names
     * and namespace URIs from the parser's dictionary, one address per distinct string for
     * the whole parse (emptied before every part: a new parser, a new dictionary) */
    ename_info names[NAME_CACHE];
    /* the namespace of each URI address met in this part (a part uses a few: a miss in
     * names is nearly always a new local name in a namespace already seen) */
    const xmlChar *uris[NS_MEMO];
    uint8_t uri_ns[NS_MEMO];
    int nuris;
} wstate;

static void names_reset(wstate *st)
{
    memset(st->names, 0, sizeof st->names);
    st->nuris = 0;
}

static int ns_of_st(wstate *st, const xmlChar *uri)
{
    for (int i = 0; i < st->nuris; i++)
        if (st->uris[i] == uri)
            return st->uri_ns[i];
    int ns = ns_of(uri);
    if (st->nuris < NS_MEMO) {
        st->uris[st->nuris] = uri;
        st->uri_ns[st->nuris++] = (uint8_t)ns;
    }
    return ns;
}

/* The name's ename_info through the cache (a miss asks elem_id and ns_of). */
static const ename_info *name_info(wstate *st, const xmlChar *uri, const xmlChar *local)
{
    uint64_t a = (uint64_t)(uintptr_t)local ^ ((uint64_t)(uintptr_t)uri << 7);
    size_t h = (size_t)((a * UINT64_C(0x9E3779B97F4A7C15)) >> 56) & (NAME_CACHE - 1);
    ename_info *e = &st->names[h];
    if (e->local != local || e->uri != uri || !local) {
        e->local = local;
        e->uri = uri;
        e->ns = (uint8_t)ns_of_st(st, uri);
        e->id = (int16_t)(e->ns == NS_W && local ? elem_id_w(local) : E_OTHER);
        e->mc = MC_NONE;
        if (e->ns == NS_MC && local) {
            const char *l = (const char *)local;
            e->mc = strcmp(l, "AlternateContent") == 0 ? MC_ALT
                    : strcmp(l, "Choice") == 0         ? MC_CHOICE
                    : strcmp(l, "Fallback") == 0       ? MC_FALLBACK
                                                       : MC_NONE;
        }
    }
    return e;
}

/* elem_id through the cache; *w: the element is in a WordprocessingML namespace. */
static int elem_id_st(wstate *st, const xmlChar *uri, const xmlChar *local, bool *w)
{
    const ename_info *e = name_info(st, uri, local);
    if (w)
        *w = e->ns == NS_W;
    return e->id;
}

static void fail(wstate *st, int rc)
{
    if (!st->rc)
        st->rc = rc;
    adal__xml_stop();
}

static int style_find(const wstate *st, const char *id, size_t n)
{
    size_t lo = 0, hi = st->order ? st->nstyles : 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *s = st->styles[st->order[mid]].id;
        int c = strncmp(s, id, n);
        if (c == 0 && s[n] != '\0')
            c = 1;
        if (c == 0)
            return (int)st->order[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int style_attr(const wstate *st, const xmlChar **a, int n)
{
    size_t len;
    const xmlChar *v = adal__xml_attr(a, n, "val", &len);
    return v ? style_find(st, (const char *)v, len) : -1;
}

/* ---- styles.xml ------------------------------------------------------------------------- */
static void st_start(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattrs, int ndef, const xmlChar **a)
{
    wstate *st = ud;
    st->depth++;
    if (st->rc || st->skip_at)
        return;
    int id = elem_id_st(st, uri, local, NULL);
    if (st->props) {
        if (st->depth != st->props_at + 1) {
            st->skip_at = st->depth;
            return;
        }
        if (st->props == PR_DD)
            rprop(&st->dd, id, a, nattrs);
        else if (st->props == PR_SRPR && st->cur_style)
            rprop(&st->cur_style->r, id, a, nattrs);
        else if (st->props == PR_SPPR && st->cur_style && id == E_SHD)
            st->cur_style->pshd = shd_color(a, nattrs);
        else
            st->skip_at = st->depth;
        return;
    }
    switch (id) {
    case E_STYLE: {
        char sid[256];
        if (!adal__xml_attr_copy(a, nattrs, "styleId", sid, sizeof sid) ||
            st->nstyles >= MAX_STYLES) {
            st->skip_at = st->depth;
            return;
        }
        if (adal__grow((void **)&st->styles, &st->styles_cap, st->nstyles + 1,
                       sizeof *st->styles)) {
            fail(st, adal__err(st->ctx, ADAL_ENOMEM, "out of memory"));
            return;
        }
        style *s = &st->styles[st->nstyles];
        memset(s, 0, sizeof *s);
        s->pshd = s->rpshd = -2;
        s->id = adal__strdup(sid);
        if (!s->id) {
            fail(st, adal__err(st->ctx, ADAL_ENOMEM, "out of memory"));
            return;
        }
        st->nstyles++;
        s->para = adal__xml_attr_eq(a, nattrs, "type", "paragraph");
        s->is_default = adal__xml_attr_eq(a, nattrs, "default", "1") ||
                        adal__xml_attr_eq(a, nattrs, "default", "true");
        st->cur_style = s;
        break;
    }
    case E_BASEDON:
        if (st->cur_style && !st->cur_style->based) {
            char bid[256];
            if (adal__xml_attr_copy(a, nattrs, "val", bid, sizeof bid)) {
                st->cur_style->based = adal__strdup(bid);
                if (!st->cur_style->based)
                    fail(st, adal__err(st->ctx, ADAL_ENOMEM, "out of memory"));
            }
        }
        break;
    case E_RPR:
        st->props_at = st->depth;
        st->props = st->cur_style ? PR_SRPR : PR_DD;
        break;
    case E_PPR:
        if (st->cur_style) {
            st->props_at = st->depth;
            st->props = PR_SPPR;
        } else {
            st->skip_at = st->depth;
        }
        break;
    case E_TBLSTYLEPR: /* conditional table formatting: not modelled */
    case E_TBLPR:
    case E_TCPR:
    case E_TRPR:
        st->skip_at = st->depth;
        break;
    default:
        break;
    }
}

static void st_end(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    wstate *st = ud;
    if (st->skip_at == st->depth)
        st->skip_at = 0;
    else if (st->props && st->props_at == st->depth)
        st->props = PR_NONE;
    else if (!st->skip_at && !st->props && elem_id_st(st, uri, local, NULL) == E_STYLE)
        st->cur_style = NULL;
    st->depth--;
}

static const style *sort_styles;

static int order_cmp(const void *a, const void *b)
{
    return strcmp(sort_styles[*(const size_t *)a].id, sort_styles[*(const size_t *)b].id);
}

static void style_resolve(wstate *st, size_t i, int hops)
{
    style *s = &st->styles[i];
    if (s->state == 2)
        return;
    s->res = (rprops){0};
    s->rpshd = -2;
    int p = -1;
    if (s->state == 0 && hops < STYLE_CHAIN && s->based) {
        s->state = 1;
        p = style_find(st, s->based, strlen(s->based));
        if (p >= 0 && st->styles[p].state != 1)
            style_resolve(st, (size_t)p, hops + 1);
        else
            p = -1;
    }
    if (p >= 0) {
        s->res = st->styles[p].res;
        s->rpshd = st->styles[p].rpshd;
    }
    rp_merge(&s->res, &s->r);
    if (s->pshd != -2)
        s->rpshd = s->pshd;
    s->state = 2;
}

static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER;

static int styles_finish(wstate *st)
{
    if (st->nstyles == 0)
        return ADAL_OK;
    st->order = adal__malloc(st->nstyles * sizeof *st->order);
    if (!st->order)
        return adal__err(st->ctx, ADAL_ENOMEM, "out of memory");
    for (size_t i = 0; i < st->nstyles; i++)
        st->order[i] = i;
    /* qsort has no user pointer in C11: a lock keeps the comparator's globals per call */
    pthread_mutex_lock(&sort_lock);
    sort_styles = st->styles;
    qsort(st->order, st->nstyles, sizeof *st->order, order_cmp);
    pthread_mutex_unlock(&sort_lock);
    for (size_t i = 0; i < st->nstyles; i++)
        style_resolve(st, i, 0);
    for (size_t i = 0; i < st->nstyles; i++)
        if (st->styles[i].para && st->styles[i].is_default) {
            st->default_pstyle = (int)i;
            break;
        }
    return ADAL_OK;
}

/* ---- visibility ------------------------------------------------------------------------- */
static void run_decide(wstate *st, wlevel *l)
{
    rprops e = st->dd, ps = {0}, cs = {0};
    if (!(e.set & RP_SZ))
        e.sz = 20; /* ECMA-376 §17.3.2.38: 10 pt when nothing says otherwise */
    if (!(e.set & RP_W))
        e.w = 100;
    if (!(e.set & RP_COLOR))
        e.color = -1;
    if (!(e.set & RP_SHD))
        e.shd = -1;
    if (!(e.set & RP_HIGHLIGHT))
        e.highlight = -1;
    if (l->pstyle >= 0)
        ps = st->styles[l->pstyle].res;
    if (l->rstyle >= 0)
        cs = st->styles[l->rstyle].res;
    /* toggle properties (§17.7.3): each style level flips, direct formatting sets */
    bool vanish = e.vanish, spec = e.specvanish;
    if (ps.set & RP_VANISH)
        vanish ^= ps.vanish;
    if (cs.set & RP_VANISH)
        vanish ^= cs.vanish;
    if (ps.set & RP_SPECVANISH)
        spec ^= ps.specvanish;
    if (cs.set & RP_SPECVANISH)
        spec ^= cs.specvanish;
    rp_merge(&e, &ps);
    rp_merge(&e, &cs);
    rp_merge(&e, &l->direct);
    if (!(l->direct.set & RP_VANISH))
        e.vanish = vanish;
    if (!(l->direct.set & RP_SPECVANISH))
        e.specvanish = spec;

    int32_t bg = e.highlight >= 0 ? e.highlight : e.shd;
    if (bg < 0)
        bg = l->pshd != -2 ? l->pshd : l->pstyle >= 0 ? st->styles[l->pstyle].rpshd : -1;
    if (bg < 0)
        for (int t = (st->tbl < MAX_TABLES ? st->tbl : MAX_TABLES) - 1; t >= 0 && bg < 0; t--)
            bg = st->cell_shd[t] >= 0 ? st->cell_shd[t] : st->tbl_shd[t];
    bool known = true;
    if (bg < 0 && st->txbx > 0 && st->txbx <= MAX_TABLES) {
        bg = st->txfill[st->txbx - 1];
        known = bg != FILL_UNKNOWN;
        if (!known)
            bg = -1;
    }
    if (bg < 0)
        bg = st->page_bg;
    if (bg < 0)
        bg = 0xFFFFFF;

    int sz = e.sz > 0 ? e.sz : 20;
    l->vis = -1;
    l->wide = false;
    if (e.vanish || e.specvanish)
        l->vis = ADAL_EV_HIDDEN;
    else if (known && adal__color_near(e.color, bg))
        l->vis = ADAL_EV_WHITE;
    else if (e.sz <= 4)
        l->vis = ADAL_EV_TINY;
    else if (e.w <= 10)
        l->vis = ADAL_EV_NARROW;
    else if (e.spacing <= -(sz * 10)) /* spacing ≥ one em backwards: glyphs pile up */
        l->vis = ADAL_EV_SPACED;
    else if (e.spacing >= sz * 5 && e.spacing >= 60) /* over half an em: reads as a gap */
        l->wide = true;
    l->eff_ready = true;
}

/* ---- document parts --------------------------------------------------------------------- */
static wlevel *cur(wstate *st)
{
    return st->nlv > 0 ? &st->lv[st->nlv - 1] : NULL;
}

static bool text_counts(const wstate *st)
{
    const wlevel *l = st->nlv > 0 ? &st->lv[st->nlv - 1] : NULL;
    return l && l->in_run && st->fld_code == 0;
}

static void run_add(wstate *st, const char *s, size_t n)
{
    wlevel *l = cur(st);
    if (!text_counts(st))
        return;
    int rc = adal__buf_add(&l->run, s, n);
    if (rc)
        fail(st, rc == ADAL_ELIMIT ? adal__err(st->ctx, ADAL_ELIMIT,
                                               "a run in %s exceeds the text limit", st->part_name)
                                   : adal__err(st->ctx, ADAL_ENOMEM, "out of memory"));
}

/* Whether s has at most `max` code points (counted only for letter-spaced runs). */
static bool utf8_chars_le(const char *s, size_t n, size_t max)
{
    size_t chars = 0;
    for (size_t i = 0; i < n && chars <= max; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    return chars <= max;
}

static void run_end(wstate *st)
{
    wlevel *l = cur(st);
    if (!l || !l->in_run)
        return;
    l->in_run = false;
    if (l->run.len == 0)
        return;
    if (!l->eff_ready)
        run_decide(st, l);
    int rc;
    if (l->vis >= 0)
        rc = adal__pe_invisible(&st->pe, (adal_evasion)l->vis, l->run.data, l->run.len);
    else if (l->wide && utf8_chars_le(l->run.data, l->run.len, 3))
        rc = adal__pe_spaced(&st->pe, l->run.data, l->run.len);
    else
        rc = adal__pe_text(&st->pe, l->run.data, l->run.len);
    l->run.len = 0;
    if (rc)
        fail(st, rc);
}

static adal_part para_part(const wstate *st)
{
    if (st->txbx > 0)
        return ADAL_PART_TEXTBOX;
    if (st->tbl > 0 && st->part == ADAL_PART_BODY)
        return ADAL_PART_TABLE;
    return st->part;
}

static void field_char(wstate *st, const xmlChar **a, int n)
{
    if (adal__xml_attr_eq(a, n, "fldCharType", "begin")) {
        if (st->nfld >= MAX_FIELDS) {
            st->fld_over++;
            return;
        }
        st->fld[st->nfld++] = 1; /* in the code */
        st->fld_code++;
    } else if (adal__xml_attr_eq(a, n, "fldCharType", "separate")) {
        if (st->fld_over == 0 && st->nfld > 0 && st->fld[st->nfld - 1] == 1) {
            st->fld[st->nfld - 1] = 2; /* in the result */
            st->fld_code--;
        }
    } else if (adal__xml_attr_eq(a, n, "fldCharType", "end")) {
        if (st->fld_over > 0)
            st->fld_over--;
        else if (st->nfld > 0 && st->fld[--st->nfld] == 1)
            st->fld_code--;
    }
}

/* The fill behind a text box (DrawingML wps:spPr, or a VML shape's fillcolor/filled). Only
 * what the shape itself says is trusted; a theme or style fill stays unknown. */
static void shape_elem(wstate *st, const xmlChar *uri, const xmlChar *local, const xmlChar **a,
                       int n)
{
    const char *u = (const char *)uri, *l = (const char *)local;
    if (!u)
        return;
    if (strcmp(u, WPS_NS) == 0) {
        if (strcmp(l, "wsp") == 0)
            st->shape_fill = FILL_UNKNOWN; /* no spPr fill: the style's fillRef applies */
        else if (strcmp(l, "spPr") == 0)
            st->sppr_at = st->depth;
    } else if (strcmp(u, DML_NS) == 0 && st->sppr_at) {
        if (strcmp(l, "noFill") == 0 && st->depth == st->sppr_at + 1) {
            st->shape_fill = FILL_NONE;
        } else if (st->depth == st->sppr_at + 2 && strcmp(l, "srgbClr") == 0) {
            st->shape_fill = FILL_UNKNOWN;
            char c[16];
            size_t k = adal__xml_attr_copy(a, n, "val", c, sizeof c);
            int32_t v = adal__color_parse(c, k);
            if (v >= 0)
                st->shape_fill = v;
        } else if (st->depth == st->sppr_at + 2 && strcmp(l, "schemeClr") == 0) {
            st->shape_fill =
                adal__xml_attr_eq(a, n, "val", "bg1") || adal__xml_attr_eq(a, n, "val", "lt1")
                    ? 0xFFFFFF
                    : FILL_UNKNOWN;
        }
    } else if (strcmp(u, VML_NS) == 0 && strcmp(l, "textbox") != 0) {
        size_t k;
        if (adal__xml_attr(a, n, "filled", &k) && (adal__xml_attr_eq(a, n, "filled", "f") ||
                                                   adal__xml_attr_eq(a, n, "filled", "false"))) {
            st->shape_fill = FILL_NONE;
        } else if (adal__xml_attr(a, n, "fillcolor", &k)) {
            char c[16];
            k = adal__xml_attr_copy(a, n, "fillcolor", c, sizeof c);
            int32_t v = adal__color_parse(c, k);
            st->shape_fill = v >= 0 ? v : FILL_UNKNOWN;
        } else if (strcmp(l, "shape") == 0 || strcmp(l, "rect") == 0 ||
                   strcmp(l, "roundrect") == 0) {
            st->shape_fill = 0xFFFFFF; /* VML's default fill */
        }
    }
}

static void doc_start(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                      int nns, const xmlChar **ns, int nattrs, int ndef, const xmlChar **a)
{
    wstate *st = ud;
    st->depth++;
    if (st->rc || st->skip_at)
        return;
    const ename_info *ei = name_info(st, uri, local);
    int id = ei->id;
    if (!st->root_seen) {
        st->root_seen = true;
        st->root_ok = st->part == ADAL_PART_BODY ? id == E_DOCUMENT : id != E_OTHER;
        if (!st->root_ok) {
            adal__xml_stop();
            return;
        }
    }
    wlevel *l = cur(st);
    if (st->props) {
        if (st->depth != st->props_at + 1) {
            st->skip_at = st->depth; /* w:rPrChange, w:pPr/w:rPr, ...: not the final view */
            return;
        }
        if (st->props == PR_RPR && l) {
            if (id == E_RSTYLE)
                l->rstyle = style_attr(st, a, nattrs);
            else
                rprop(&l->direct, id, a, nattrs);
        } else if (st->props == PR_PPR && l) {
            if (id == E_PSTYLE) {
                int s = style_attr(st, a, nattrs);
                if (s >= 0)
                    l->pstyle = s;
            } else if (id == E_SHD) {
                l->pshd = shd_color(a, nattrs);
            }
        } else if (id == E_SHD && st->tbl > 0 && st->tbl <= MAX_TABLES) {
            if (st->props == PR_TCPR)
                st->cell_shd[st->tbl - 1] = shd_color(a, nattrs);
            else if (st->props == PR_TBLPR)
                st->tbl_shd[st->tbl - 1] = shd_color(a, nattrs);
        }
        return;
    }
    if (id == E_OTHER) {
        if (ei->mc == MC_ALT) {
            if (st->nalt < MAX_ALT)
                st->alt[st->nalt] = 0;
            st->nalt++;
        } else if (ei->mc == MC_CHOICE) {
            /* the first Choice only; its Fallback is a copy (VML) of the same content */
            if (st->nalt > 0 && st->nalt <= MAX_ALT && !st->alt[st->nalt - 1])
                st->alt[st->nalt - 1] = 1;
            else
                st->skip_at = st->depth;
        } else if (ei->mc == MC_FALLBACK) {
            st->skip_at = st->depth;
        } else if (ei->ns == NS_WPS || ei->ns == NS_DML || ei->ns == NS_VML) {
            shape_elem(st, uri, local, a, nattrs);
        }
        return;
    }
    switch (id) {
    case E_BACKGROUND: {
        char c[16];
        adal__xml_attr_copy(a, nattrs, "color", c, sizeof c);
        st->page_bg = adal__color_parse(c, strlen(c));
        break;
    }
    case E_FOOTNOTE:
    case E_ENDNOTE:
        if (adal__xml_attr_eq(a, nattrs, "type", "separator") ||
            adal__xml_attr_eq(a, nattrs, "type", "continuationSeparator") ||
            adal__xml_attr_eq(a, nattrs, "type", "continuationNotice"))
            st->skip_at = st->depth;
        break;
    case E_P: {
        if (st->nlv >= ADAL_PE_MAX_NEST) {
            st->skip_at = st->depth;
            break;
        }
        int rc = adal__pe_begin(&st->pe, para_part(st));
        if (rc) {
            fail(st, rc);
            break;
        }
        wlevel *nl = &st->lv[st->nlv++];
        nl->pstyle = st->default_pstyle;
        nl->pshd = -2;
        nl->in_run = false;
        nl->run.len = 0;
        break;
    }
    case E_PPR:
        if (l && !l->in_run) {
            st->props = PR_PPR;
            st->props_at = st->depth;
        } else {
            st->skip_at = st->depth;
        }
        break;
    case E_R:
        if (l) {
            run_end(st);
            l->in_run = true;
            l->eff_ready = false;
            l->direct = (rprops){0};
            l->rstyle = -1;
            l->run.len = 0;
        }
        break;
    case E_RPR:
        if (l && l->in_run) {
            st->props = PR_RPR;
            st->props_at = st->depth;
        } else {
            st->skip_at = st->depth;
        }
        break;
    case E_T:
        if (text_counts(st))
            st->in_t = st->depth;
        break;
    case E_DELTEXT:
    case E_DELINSTRTEXT:
    case E_INSTRTEXT:
    case E_DEL:
    case E_MOVEFROM:
    case E_SECTPR:
    case E_SDTPR:
    case E_SDTENDPR:
    case E_TRPR:
    case E_TBLGRID:
        st->skip_at = st->depth;
        break;
    case E_TAB:
    case E_PTAB:
        run_add(st, "\t", 1);
        break;
    case E_BR:
    case E_CR:
        run_add(st, "\n", 1);
        break;
    case E_NOBREAKHYPHEN:
        run_add(st, "-", 1);
        break;
    case E_SYM: {
        char hex[16], *end = NULL, enc[4];
        adal__xml_attr_copy(a, nattrs, "char", hex, sizeof hex);
        unsigned long cp = strtoul(hex, &end, 16);
        /* symbol-font glyphs live in the private use area (U+F0xx): not words */
        if (end != hex && cp > 0x20 && cp < 0x110000 && !(cp >= 0xE000 && cp <= 0xF8FF) &&
            !(cp >= 0xD800 && cp <= 0xDFFF))
            run_add(st, enc, adal__utf8_put(enc, (uint32_t)cp));
        break;
    }
    case E_FLDCHAR:
        field_char(st, a, nattrs);
        break;
    case E_TXBXCONTENT:
        if (st->txbx < MAX_TABLES)
            st->txfill[st->txbx] = st->shape_fill;
        st->txbx++;
        st->shape_fill = FILL_UNKNOWN;
        break;
    case E_TBL:
        if (st->tbl < MAX_TABLES)
            st->cell_shd[st->tbl] = st->tbl_shd[st->tbl] = -1;
        st->tbl++;
        break;
    case E_TBLPR:
        st->props = PR_TBLPR;
        st->props_at = st->depth;
        break;
    case E_TC:
        if (st->tbl > 0 && st->tbl <= MAX_TABLES)
            st->cell_shd[st->tbl - 1] = -1;
        break;
    case E_TCPR:
        st->props = PR_TCPR;
        st->props_at = st->depth;
        break;
    default:
        break;
    }
}

static void doc_end(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    wstate *st = ud;
    int d = st->depth--;
    if (st->sppr_at == d)
        st->sppr_at = 0;
    if (st->rc)
        return;
    if (st->skip_at) {
        if (st->skip_at == d)
            st->skip_at = 0;
        return;
    }
    if (st->props) {
        if (st->props_at == d)
            st->props = PR_NONE;
        return;
    }
    if (st->in_t == d) {
        st->in_t = 0;
        return;
    }
    const ename_info *ei = name_info(st, uri, local);
    int id = ei->id;
    if (ei->ns != NS_W) {
        if (ei->mc == MC_ALT && st->nalt > 0)
            st->nalt--;
        return;
    }
    switch (id) {
    case E_R:
        run_end(st);
        break;
    case E_P:
        if (st->nlv > 0) {
            run_end(st);
            st->nlv--;
            int rc = st->rc ? ADAL_OK : adal__pe_end(&st->pe);
            if (rc)
                fail(st, rc);
        }
        break;
    case E_TXBXCONTENT:
        if (st->txbx > 0)
            st->txbx--;
        break;
    case E_TBL:
        if (st->tbl > 0)
            st->tbl--;
        break;
    default:
        break;
    }
}

static void doc_chars(void *ud, const xmlChar *s, int n)
{
    wstate *st = ud;
    if (st->in_t && !st->skip_at && !st->rc)
        run_add(st, (const char *)s, (size_t)n);
}

/* Parse one story part (main document, notes, comments, header, footer). */
static int read_story(wstate *st, adal__zip *z, const char *name, adal_part part, bool required)
{
    char *data = NULL;
    size_t len = 0;
    if (!required && !adal__zip_has(z, name))
        return ADAL_OK;
    int rc = adal__zip_read(z, name, &data, &len);
    if (rc == ADAL_ENOTDOC && required)
        rc = adal__err(st->ctx, ADAL_ENOTDOC, "the main document part %s is missing", name);
    if (rc)
        goto out;
    if (part == ADAL_PART_BODY)
        adal__b_expect(&st->b, len);
    st->part = part;
    st->part_name = name;
    st->depth = st->skip_at = st->props = st->props_at = 0;
    names_reset(st);
    st->root_seen = st->root_ok = false;
    st->txbx = st->nlv = st->tbl = st->in_t = st->sppr_at = 0;
    st->shape_fill = FILL_UNKNOWN;
    st->nfld = st->fld_over = st->fld_code = st->nalt = 0;
    xmlSAXHandler h;
    memset(&h, 0, sizeof h);
    h.startElementNs = doc_start;
    h.endElementNs = doc_end;
    h.characters = doc_chars;
    rc = adal__xml_parse(st->ctx, name, data, len, &h, st);
    if (rc == ADAL_OK)
        rc = st->rc;
    if (rc == ADAL_OK && !st->root_ok) {
        if (required)
            rc = adal__err(st->ctx, ADAL_ENOTDOC,
                           "the main part %s is not a WordprocessingML document", name);
        st->pe.depth = 0; /* nothing was opened */
    }
    if (rc == ADAL_OK)
        rc = adal__pe_flush(&st->pe); /* paragraphs left open by a truncated part */
out:
    adal__free(data);
    return rc;
}

/* ---- SmartArt (diagram data parts): DrawingML a:p/a:t, read as text-box paragraphs ------ */
#define A_TRANS "http://schemas.openxmlformats.org/drawingml/2006/main"
#define A_STRICT "http://purl.oclc.org/ooxml/drawingml/main"

static bool is_a(const xmlChar *uri, const xmlChar *local, const char *name)
{
    return uri &&
           (strcmp((const char *)uri, A_TRANS) == 0 || strcmp((const char *)uri, A_STRICT) == 0) &&
           strcmp((const char *)local, name) == 0;
}

static void dgm_start(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                      int nns, const xmlChar **ns, int nattrs, int ndef, const xmlChar **a)
{
    wstate *st = ud;
    st->depth++;
    int rc = ADAL_OK;
    if (st->rc)
        return;
    if (is_a(uri, local, "p")) {
        if (st->nlv == 0) {
            st->nlv = 1;
            rc = adal__pe_begin(&st->pe, ADAL_PART_TEXTBOX);
        }
    } else if (is_a(uri, local, "t")) {
        if (st->nlv)
            st->in_t = st->depth;
    } else if (is_a(uri, local, "br")) {
        rc = adal__pe_text(&st->pe, "\n", 1);
    }
    if (rc)
        fail(st, rc);
}

static void dgm_end(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    wstate *st = ud;
    int d = st->depth--;
    if (st->rc)
        return;
    if (st->in_t == d)
        st->in_t = 0;
    if (st->nlv && is_a(uri, local, "p")) {
        st->nlv = 0;
        int rc = adal__pe_end(&st->pe);
        if (rc)
            fail(st, rc);
    }
}

static void dgm_chars(void *ud, const xmlChar *s, int n)
{
    wstate *st = ud;
    if (st->in_t && !st->rc) {
        int rc = adal__pe_text(&st->pe, (const char *)s, (size_t)n);
        if (rc)
            fail(st, rc);
    }
}

static int read_diagram(wstate *st, adal__zip *z, const char *name)
{
    char *data = NULL;
    size_t len = 0;
    if (!adal__zip_has(z, name))
        return ADAL_OK;
    int rc = adal__zip_read(z, name, &data, &len);
    if (rc == ADAL_OK) {
        len = adal__docx_styles_trim(data, len);
        xmlSAXHandler h;
        memset(&h, 0, sizeof h);
        h.startElementNs = dgm_start;
        h.endElementNs = dgm_end;
        h.characters = dgm_chars;
        st->depth = st->nlv = st->in_t = 0;
        rc = adal__xml_parse(st->ctx, name, data, len, &h, st);
        if (rc == ADAL_OK)
            rc = st->rc;
        st->nlv = 0;
        if (rc == ADAL_OK)
            rc = adal__pe_flush(&st->pe);
    }
    adal__free(data);
    return rc;
}

/* The style table of the last styles.xml parsed on this context. Essays of one course are
 * mostly written from one template, whose styles.xml is often many times the size of the
 * essay's own text (python-docx's: 349 KB, 164 styles): reusing the resolved table skips
 * inflating and parsing it. The key is XXH3-128 of the compressed bytes with the declared
 * size and CRC, not the CRC alone, which a crafted file could match to borrow a benign
 * template's table and hide its own invisible style. */
struct adal__docx_cache {
    uint64_t key[2];
    style *styles;
    size_t nstyles;
    size_t *order;
    rprops dd;
    int default_pstyle;
    /* The relationships of the last package (_rels/.rels, slot 0) and main part (slot 1)
     * read, by the same kind of key and the source part's name (targets are resolved
     * against its folder): a course's essays from one template share them too, and each
     * cost an inflate, a parser and a dozen allocations (6 % of make bench's adal time). */
    struct {
        uint64_t key[2];
        char *source;
        rels r;
    } rels[2];
};

static void styles_free(style *styles, size_t n, size_t *order)
{
    for (size_t i = 0; i < n; i++) {
        adal__free(styles[i].id);
        adal__free(styles[i].based);
    }
    adal__free(styles);
    adal__free(order);
}

void adal__docx_cache_free(struct adal__docx_cache *c)
{
    if (!c)
        return;
    styles_free(c->styles, c->nstyles, c->order);
    for (int i = 0; i < 2; i++) {
        rels_free(&c->rels[i].r);
        adal__free(c->rels[i].source);
    }
    adal__free(c);
}

static struct adal__docx_cache *docx_cache(adal_ctx *ctx)
{
    if (!ctx->docx_cache)
        ctx->docx_cache = adal__calloc(1, sizeof *ctx->docx_cache);
    return ctx->docx_cache;
}

/* r borrows the cached relationships of slot `slot` if they were read from a part with
 * this key for this source part. A document reads each slot once, so what it borrows is
 * not replaced before it is done. */
static bool rels_from_cache(rels *r, adal_ctx *ctx, int slot, const char *source,
                            const uint64_t key[2])
{
    struct adal__docx_cache *c = ctx->docx_cache;
    if (!c || !c->rels[slot].source || c->rels[slot].key[0] != key[0] ||
        c->rels[slot].key[1] != key[1] || strcmp(c->rels[slot].source, source) != 0)
        return false;
    r->v = c->rels[slot].r.v;
    r->n = c->rels[slot].r.n;
    r->cap = 0;
    r->borrowed = true;
    return true;
}

/* Hand freshly read relationships to the cache (r then borrows them); without memory r
 * keeps its own: caching is an optimisation, never an error. */
static void rels_to_cache(rels *r, adal_ctx *ctx, int slot, const char *source,
                          const uint64_t key[2])
{
    struct adal__docx_cache *c = docx_cache(ctx);
    char *src = c ? adal__strdup(source) : NULL;
    if (!src)
        return;
    rels_free(&c->rels[slot].r);
    adal__free(c->rels[slot].source);
    c->rels[slot].source = src;
    c->rels[slot].key[0] = key[0];
    c->rels[slot].key[1] = key[1];
    c->rels[slot].r = *r;
    c->rels[slot].r.base = NULL;
    c->rels[slot].r.ctx = NULL;
    r->borrowed = true;
}

static bool styles_from_cache(wstate *st, const uint64_t key[2])
{
    struct adal__docx_cache *c = st->ctx->docx_cache;
    if (!c || c->key[0] != key[0] || c->key[1] != key[1])
        return false;
    st->styles = c->styles;
    st->nstyles = c->nstyles;
    st->order = c->order;
    st->dd = c->dd;
    st->default_pstyle = c->default_pstyle;
    st->styles_cached = true;
    return true;
}

/* Hand a freshly parsed table to the cache (the state then borrows it). Without memory for
 * the cache the state keeps its own table: caching is an optimisation, never an error. */
static void styles_to_cache(wstate *st, const uint64_t key[2])
{
    struct adal__docx_cache *c = st->ctx->docx_cache;
    if (!c) {
        c = adal__calloc(1, sizeof *c);
        if (!c)
            return;
        st->ctx->docx_cache = c;
    }
    styles_free(c->styles, c->nstyles, c->order);
    c->key[0] = key[0];
    c->key[1] = key[1];
    c->styles = st->styles;
    c->nstyles = st->nstyles;
    c->order = st->order;
    c->dd = st->dd;
    c->default_pstyle = st->default_pstyle;
    st->styles_cached = true;
}

/* ---- styles.xml: what the reader skips left out of the parse ------------------------- */

/* w:latentStyles (ECMA-376 Part 1 §17.7.4.5) is a list of a few hundred w:lsdException
 * elements, each with four or five attributes, that only tell Word which built-in styles to
 * show in its gallery: nothing the reader takes from styles.xml. It is half of a real
 * styles.xml (6.4 of 14.1 MB over ../shared/data/docx) and, attribute-dense, more than half
 * of its parse. The content of table-style conditional formatting, table, cell and row
 * properties (w:tblStylePr, w:tblPr, w:tcPr, w:trPr: borders, margins, shading of cells) is
 * skipped by st_start whatever state it is met in, another 2.4 MB. adal__docx_styles_trim
 * replaces each, before the parse, by the same element without attributes — latentStyles
 * with one lsdException child, the others with w:x children as deep as their own content,
 * so the parser's nesting cap sees the same depth — followed by its newlines (a later error
 * reports the same line), when the bytes prove the parse would see nothing else there:
 * the part is UTF-8 (no other encoding declared); the element comes after the root start
 * tag, which declares the w prefix, and before any comment, CDATA section or processing
 * instruction (the push parser reports an unfinished one by where it stopped or by its
 * first characters); it holds only "w"-prefixed elements (for latentStyles only
 * lsdException), at most LX_MAX_NEST deep, and white space, with attributes that are plain
 * ASCII (no '&', '<', '>', ']', '?' nor "--"), unprefixed or "w"-prefixed, with distinct
 * local names and no xmlns. The parse then gives the same styles table and the same errors
 * (a differential test over 30,000 mutated real styles.xml found no difference in error,
 * line or the events the reader acts on). */

#define LX_MAX_ATTRS 32
#define LX_MAX_VALUE 1024

/* Byte classes of the check, one table load a byte. */
enum { LX_WS = 1, LX_START = 2, LX_NAME = 4, LX_VALUE_DQ = 8, LX_VALUE_SQ = 16 };
/* lx_class[c]: LX_WS | LX_START (NCName start) | LX_NAME (NCName) | LX_VALUE_DQ / _SQ
 * (allowed in an attribute value between double / single quotes: printable ASCII but & < > ]
 * ? and that quote, and tab, LF, CR); nothing for NUL (the part ends with one, so the loops
 * stop there without a bounds check) nor from 0x80 on (non-ASCII: no cut) */
/* clang-format off */
static const uint8_t lx_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 25, 25, 0, 0, 25, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    25, 24, 16, 24, 24, 24, 0, 8, 24, 24, 24, 24, 24, 28, 28, 24,
    28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 24, 24, 0, 24, 0, 0,
    24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 24, 24, 0, 24, 30,
    24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 24, 24, 24, 24, 0,
};
/* clang-format on */

static bool lx_ws(char c)
{
    return lx_class[(unsigned char)c] & LX_WS;
}

/* An NCName at s[i..e): its end, or i when there is none (s[e] is NUL). */
static size_t lx_ncname(const char *s, size_t i, size_t e)
{
    if (i >= e || !(lx_class[(unsigned char)s[i]] & LX_START))
        return i;
    size_t j = i + 1;
    while (lx_class[(unsigned char)s[j]] & LX_NAME)
        j++;
    return j - i >= 256 ? i : j;
}

static inline bool lx_at(const char *s, size_t i, size_t e, const char *lit)
{
    size_t n = strlen(lit); /* a literal: folded by the compiler */
    return i <= e && e - i >= n && memcmp(s + i, lit, n) == 0;
}

/* The tag s[i..) = "<" name (ws attr)* ws* ("/>" | ">"), under the rules above: the index
 * after it (*empty: it was "/>"), or 0. */
/* The rest of a start tag from just after its name: (ws attr)* ws* ("/>" | ">"), under the
 * rules above: the index after it (*empty: it was "/>"), or 0. */
static size_t lx_attrs(const char *s, size_t i, size_t e, bool *empty)
{
    struct {
        const char *p;
        size_t n;
    } seen[LX_MAX_ATTRS];
    size_t na = 0;
    for (;;) {
        size_t ws = i;
        while (lx_ws(s[i]))
            i++;
        if (i < e && s[i] == '>') {
            *empty = false;
            return i + 1;
        }
        if (lx_at(s, i, e, "/>")) {
            *empty = true;
            return i + 2;
        }
        if (i == ws || na == LX_MAX_ATTRS) /* attributes are separated by white space */
            return 0;
        size_t n0 = i, n1 = lx_ncname(s, i, e);
        if (n1 == n0)
            return 0;
        if (n1 < e && s[n1] == ':') { /* only the w prefix, whose declaration was checked */
            if (n1 - n0 != 1 || s[n0] != 'w')
                return 0;
            n0 = n1 + 1;
            n1 = lx_ncname(s, n0, e);
            if (n1 == n0)
                return 0;
        } else if (n1 - n0 >= 3 && (s[n0] | 0x20) == 'x' && (s[n0 + 1] | 0x20) == 'm' &&
                   (s[n0 + 2] | 0x20) == 'l') {
            return 0; /* xmlns, xml:*, and names libxml2 might treat as such */
        }
        for (size_t k = 0; k < na; k++)
            if (seen[k].n == n1 - n0 && seen[k].p[0] == s[n0] &&
                memcmp(seen[k].p, s + n0, seen[k].n) == 0)
                return 0; /* a repeated local name: libxml2 may call it a duplicate */
        seen[na].p = s + n0;
        seen[na].n = n1 - n0;
        na++;
        i = n1;
        while (i < e && lx_ws(s[i]))
            i++;
        if (i >= e || s[i] != '=')
            return 0;
        i++;
        while (i < e && lx_ws(s[i]))
            i++;
        if (i >= e || (s[i] != '"' && s[i] != '\''))
            return 0;
        char q = s[i++];
        unsigned ok = q == '"' ? LX_VALUE_DQ : LX_VALUE_SQ;
        size_t v0 = i;
        while (lx_class[(unsigned char)s[i]] & ok) /* stops at the NUL after the part */
            i++;
        if (i >= e || s[i] != q || i - v0 > LX_MAX_VALUE)
            return 0;
        i++;
    }
}

/* The start tag "<" name ... at s[i..): the index after it, or 0. */
static size_t lx_tag(const char *s, size_t i, size_t e, const char *name, bool *empty)
{
    if (!lx_at(s, i, e, "<") || !lx_at(s, i + 1, e, name))
        return 0;
    return lx_attrs(s, i + 1 + strlen(name), e, empty);
}

/* A start tag "<w:" NCName ... at s[i..): the index after it, or 0; [*n0, *n1) its name. */
static size_t lx_open(const char *s, size_t i, size_t e, size_t *n0, size_t *n1, bool *empty)
{
    if (!lx_at(s, i, e, "<w:"))
        return 0;
    size_t j = lx_ncname(s, i + 3, e);
    if (j == i + 3)
        return 0;
    *n0 = i + 1;
    *n1 = j;
    return lx_attrs(s, j, e, empty);
}

/* "</" name ws* ">" at s[i..), name n bytes: the index after it, or 0. */
static size_t lx_close_n(const char *s, size_t i, size_t e, const char *name, size_t n)
{
    if (!lx_at(s, i, e, "</") || e - i - 2 < n || memcmp(s + i + 2, name, n) != 0)
        return 0;
    i += 2 + n;
    while (i < e && lx_ws(s[i]))
        i++;
    return i < e && s[i] == '>' ? i + 1 : 0;
}

static size_t lx_close(const char *s, size_t i, size_t e, const char *name)
{
    return lx_close_n(s, i, e, name, strlen(name));
}

#define LX_MAX_NEST 16

/* A whole element of "w:" elements at s[i..): start tag, then only white space and such
 * elements, then its end tag; at most LX_MAX_NEST levels. The index after it, or 0;
 * *depth: its levels (1: an element with no child). */
static size_t lx_subtree(const char *s, size_t i, size_t e, int *depth)
{
    size_t name[LX_MAX_NEST][2];
    size_t n0, n1;
    bool empty;
    size_t j = lx_open(s, i, e, &n0, &n1, &empty);
    if (!j)
        return 0;
    int d = 0, maxd = 1;
    if (!empty) {
        name[0][0] = n0;
        name[0][1] = n1;
        d = 1;
    }
    i = j;
    while (d > 0) {
        while (i < e && lx_ws(s[i]))
            i++;
        if (lx_at(s, i, e, "</")) {
            if (!(j = lx_close_n(s, i, e, s + name[d - 1][0], name[d - 1][1] - name[d - 1][0])))
                return 0;
            i = j;
            d--;
            continue;
        }
        if (!(j = lx_open(s, i, e, &n0, &n1, &empty)))
            return 0;
        if (d + 1 > maxd)
            maxd = d + 1;
        if (!empty) {
            if (d == LX_MAX_NEST)
                return 0;
            name[d][0] = n0;
            name[d][1] = n1;
            d++;
        }
        i = j;
    }
    *depth = maxd;
    return i;
}

/* The end of the root start tag when it declares the w prefix and nothing before it stops
 * the cut (a DOCTYPE, an encoding other than UTF-8); 0 otherwise. */
static size_t lx_root(const char *s, size_t e)
{
    size_t i = 0;
    if (lx_at(s, 0, e, "\xEF\xBB\xBF"))
        i = 3;
    if (lx_at(s, i, e, "<?xml")) {
        const char *q = memmem(s + i, e - i, "?>", 2);
        if (!q)
            return 0;
        size_t qe = (size_t)(q - s);
        const char *enc = memmem(s + i, qe - i, "encoding", 8);
        if (enc) {
            size_t k = (size_t)(enc - s) + 8;
            while (k < qe && (lx_ws(s[k]) || s[k] == '=' || s[k] == '"' || s[k] == '\''))
                k++;
            if (qe - k < 5 || strncasecmp(s + k, "utf-8", 5) != 0 ||
                (s[k + 5] != '"' && s[k + 5] != '\''))
                return 0;
        }
        i = qe + 2;
    }
    for (;;) { /* white space, comments and processing instructions before the root */
        while (i < e && lx_ws(s[i]))
            i++;
        if (lx_at(s, i, e, "<!--")) {
            const char *q = memmem(s + i + 4, e - i - 4, "-->", 3);
            if (!q)
                return 0;
            i = (size_t)(q - s) + 3;
        } else if (lx_at(s, i, e, "<?")) {
            const char *q = memmem(s + i + 2, e - i - 2, "?>", 2);
            if (!q)
                return 0;
            i = (size_t)(q - s) + 2;
        } else {
            break;
        }
    }
    if (i + 1 >= e || s[i] != '<' || !(lx_class[(unsigned char)s[i + 1]] & LX_START))
        return 0; /* a DOCTYPE or no root */
    size_t decl = 0;
    char q = 0;
    for (size_t k = i + 1; k < e; k++) {
        char c = s[k];
        if (q) {
            q = c == q ? 0 : q;
        } else if (c == '"' || c == '\'') {
            q = c;
        } else if (c == '>') {
            return decl && s[k - 1] != '/' ? k + 1 : 0;
        } else if (lx_ws(c) && lx_at(s, k + 1, e, "xmlns:w") && k + 8 < e &&
                   (s[k + 8] == '=' || lx_ws(s[k + 8]))) {
            decl = k;
        } else if (c == '<') {
            return 0;
        }
    }
    return 0;
}

/* latentStyles at s[i..) with only lsdException children: the index after it, or 0;
 * *kids: it had one. */
static size_t lx_latent(const char *s, size_t i, size_t e, bool *kids)
{
    static const char open[] = "w:latentStyles", child[] = "w:lsdException";
    bool empty;
    *kids = false;
    if (!(i = lx_tag(s, i, e, open, &empty)))
        return 0;
    while (!empty) {
        while (i < e && lx_ws(s[i]))
            i++;
        size_t j = lx_close(s, i, e, open);
        if (j)
            return j;
        if (!(j = lx_tag(s, i, e, child, &empty)))
            return 0;
        if (!empty) {
            while (j < e && lx_ws(s[j]))
                j++;
            if (!(j = lx_close(s, j, e, child)))
                return 0;
        }
        *kids = true;
        empty = false;
        i = j;
    }
    return i;
}

/* Whether s[i..) starts the tag of one of the elements whose whole content the styles
 * reader skips in any state (st_start: table-style conditional formatting, table, cell
 * and row properties; inside a w:rPr or w:pPr they are unknown children, skipped below). */
static bool lx_skipped_root(const char *s, size_t i, size_t e)
{
    static const char *const roots[] = {"w:tblStylePr", "w:tblPr", "w:tcPr", "w:trPr"};
    for (size_t k = 0; k < sizeof roots / sizeof *roots; k++) {
        size_t n = strlen(roots[k]);
        if (e - i > n + 1 && memcmp(s + i + 1, roots[k], n) == 0 &&
            !(lx_class[(unsigned char)s[i + 1 + n]] & LX_NAME))
            return true;
    }
    return false;
}

size_t adal__docx_styles_trim(char *s, size_t len)
{
    size_t root = lx_root(s, len);
    if (!root)
        return len;
    size_t r = root, w = root; /* bytes before r are done, and written up to w */
    for (size_t at = root; at < len;) {
        const char *q = memchr(s + at, '<', len - at);
        if (!q)
            break;
        size_t start = (size_t)(q - s), end = 0;
        at = start + 1;
        /* nothing from the first comment, CDATA section or processing instruction on (Word
         * writes none after the root): the push parser hands over an unfinished CDATA section
         * 300 bytes at a time and quotes the start of an unfinished comment in its error, so
         * a cut inside one could change the error's line or text */
        if (start + 1 < len && (s[start + 1] == '!' || s[start + 1] == '?'))
            break;
        if (start + 3 >= len || s[start + 1] != 'w' || s[start + 2] != ':' ||
            (s[start + 3] != 'l' && s[start + 3] != 't'))
            continue; /* not latentStyles, nor a table property */
        char rep[400];
        size_t rn = 0;
        bool kids;
        int depth = 0;
        if (lx_at(s, start, len, "<w:latentStyles") && (end = lx_latent(s, start, len, &kids))) {
            const char *t =
                kids ? "<w:latentStyles><w:lsdException/></w:latentStyles>" : "<w:latentStyles/>";
            rn = strlen(t);
            memcpy(rep, t, rn);
        } else if (lx_skipped_root(s, start, len) && (end = lx_subtree(s, start, len, &depth))) {
            /* the same element, no attributes, and children "w:x" as deep as it was (the
             * parser's nesting cap must see the same depth) */
            size_t n = lx_ncname(s, start + 3, len) - (start + 1);
            rep[rn++] = '<';
            memcpy(rep + rn, s + start + 1, n);
            rn += n;
            if (depth == 1) {
                memcpy(rep + rn, "/>", 2);
                rn += 2;
            } else {
                rep[rn++] = '>';
                for (int k = 0; k < depth - 2; k++, rn += 5)
                    memcpy(rep + rn, "<w:x>", 5);
                memcpy(rep + rn, "<w:x/>", 6);
                rn += 6;
                for (int k = 0; k < depth - 2; k++, rn += 6)
                    memcpy(rep + rn, "</w:x>", 6);
                memcpy(rep + rn, "</", 2);
                rn += 2;
                memcpy(rep + rn, s + start + 1, n);
                rn += n;
                rep[rn++] = '>';
            }
        }
        if (!end)
            continue;
        size_t nl = 0;
        bool dashes = false;
        for (const char *p = s + start; !dashes && (p = memchr(p, '-', (size_t)(s + end - p))); p++)
            dashes = p[1] == '-'; /* "--" (in a name or a value) would end a comment it sat in */
        for (const char *p = s + start; (p = memchr(p, '\n', (size_t)(s + end - p))); p++)
            nl++;
        if (dashes || rn + nl > end - start)
            continue;
        memmove(s + w, s + r, start - r);
        w += start - r;
        memcpy(s + w, rep, rn);
        memset(s + w + rn, '\n', nl);
        w += rn + nl;
        r = at = end;
    }
    memmove(s + w, s + r, len - r + 1); /* with the NUL adal__zip_read puts after the part */
    return len - (r - w);
}

static int read_styles(wstate *st, adal__zip *z, const char *name)
{
    char *data = NULL;
    size_t len = 0;
    uint64_t key[2];
    if (!adal__zip_has(z, name))
        return ADAL_OK;
    bool keyed = adal__zip_part_key(z, name, key) == ADAL_OK;
    adal__err_clear(st->ctx);
    if (keyed && styles_from_cache(st, key))
        return ADAL_OK;
    int rc = adal__zip_read(z, name, &data, &len);
    if (rc == ADAL_OK) {
        len = adal__docx_styles_trim(data, len);
        xmlSAXHandler h;
        memset(&h, 0, sizeof h);
        h.startElementNs = st_start;
        h.endElementNs = st_end;
        st->depth = st->skip_at = st->props = st->props_at = 0;
        names_reset(st);
        st->cur_style = NULL;
        rc = adal__xml_parse(st->ctx, name, data, len, &h, st);
        if (rc == ADAL_OK)
            rc = st->rc;
        st->props = PR_NONE;
        st->skip_at = 0;
    }
    adal__free(data);
    if (rc == ADAL_OK)
        rc = styles_finish(st);
    if (rc == ADAL_OK && keyed)
        styles_to_cache(st, key);
    return rc;
}

static const rel *rel_find(const rels *r, const char *type, size_t from)
{
    for (size_t i = from; i < r->n; i++)
        if (strcmp(r->v[i].type, type) == 0)
            return &r->v[i];
    return NULL;
}

int adal__docx_read(adal_doc **out, adal_ctx *ctx, adal__zip *z, const char *name)
{
    *out = NULL;
    pthread_once(&names_once, sort_names);
    rels pkg = {0}, main_rels = {0};
    wstate *st = adal__calloc(1, sizeof *st);
    int rc;
    if (!st)
        return adal__err(ctx, ADAL_ENOMEM, "out of memory");
    st->ctx = ctx;
    st->default_pstyle = -1;
    st->page_bg = -1;
    for (int i = 0; i < ADAL_PE_MAX_NEST; i++)
        adal__buf_init(&st->lv[i].run, ADAL_MAX_TEXT);
    rc = adal__builder_init(&st->b, ctx, name, ADAL_FMT_DOCX);
    adal__pe_init(&st->pe, &st->b);
    if (rc)
        goto out;

    rc = rels_read(&pkg, ctx, z, "", 0);
    if (rc)
        goto out;
    const rel *main = rel_find(&pkg, "officeDocument", 0);
    if (!main) {
        rc = adal__err(ctx, ADAL_ENOTDOC,
                       adal__zip_has(z, "_rels/.rels")
                           ? "package names no main document (no officeDocument relationship "
                             "in _rels/.rels)"
                           : "package has no _rels/.rels, so no main document");
        goto out;
    }
    const char *main_name = main->target;
    rc = rels_read(&main_rels, ctx, z, main_name, 1);
    if (rc)
        goto out;
    const rel *r = rel_find(&main_rels, "styles", 0);
    if (r && (rc = read_styles(st, z, r->target)))
        goto out;

    rc = read_story(st, z, main_name, ADAL_PART_BODY, true);
    static const struct {
        const char *type;
        adal_part part;
    } stories[] = {
        {"footnotes", ADAL_PART_FOOTNOTE}, {"endnotes", ADAL_PART_ENDNOTE},
        {"header", ADAL_PART_HEADER},      {"footer", ADAL_PART_FOOTER},
        {"comments", ADAL_PART_COMMENT},
    };
    for (size_t k = 0; rc == ADAL_OK && k < sizeof stories / sizeof stories[0]; k++)
        for (size_t i = 0; rc == ADAL_OK && i < main_rels.n; i++)
            if (strcmp(main_rels.v[i].type, stories[k].type) == 0)
                rc = read_story(st, z, main_rels.v[i].target, stories[k].part, false);
    /* SmartArt keeps its text in the diagram data part, not in document.xml (§2.2) */
    for (size_t i = 0; rc == ADAL_OK && i < main_rels.n; i++)
        if (strcmp(main_rels.v[i].type, "diagramData") == 0)
            rc = read_diagram(st, z, main_rels.v[i].target);
    if (rc == ADAL_OK)
        rc = adal__b_finish(&st->b, out);
out:
    rels_free(&pkg);
    rels_free(&main_rels);
    adal__pe_free(&st->pe);
    adal__builder_free(&st->b);
    for (int i = 0; i < ADAL_PE_MAX_NEST; i++)
        adal__buf_free(&st->lv[i].run);
    if (!st->styles_cached)
        styles_free(st->styles, st->nstyles, st->order);
    adal__free(st);
    return rc;
}
