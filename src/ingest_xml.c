/* ingest_xml.c — the one way the ingest stage parses XML (DOCX and ODT parts): libxml2 SAX2
 * push parser with XML_PARSE_NONET|NOERROR|NOWARNING only, a deny-all external entity
 * loader, any DOCTYPE refused (OPC Part 2 M1.18 forbids DTDs; design notes §3.2: refusing
 * them is the only rule that stops the quadratic blow-up in 2.9.14), a nesting cap, and
 * libxml2's errors mapped once, here, to ADAL_EXML / ADAL_EDOCTYPE / ADAL_ELIMIT.
 */
#include "ingest.h"
#include "ingest_para.h"

#include <libxml/parserInternals.h>
#include <pthread.h>
#include <string.h>

/* What the callers' callbacks see is their own `user`; this wrapper sits in between to count
 * depth and to stop the parser. */
typedef struct xwrap {
    xmlParserCtxtPtr ctxt;
    xmlSAXHandler *inner;
    void *user;
    int depth;
    int fail;     /* ADAL_E... decided by the wrapper */
    bool stopped; /* the caller asked to stop */
} xwrap;

static _Thread_local xwrap *current;

static xmlParserInputPtr deny_loader(const char *url, const char *id, xmlParserCtxtPtr c)
{
    (void)url;
    (void)id;
    (void)c;
    return NULL;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_impl(void)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(deny_loader);
}

void adal__xml_init(void)
{
    pthread_once(&init_once, init_impl);
}

/* Only a request: xmlStopParser frees the input buffers (xmlHaltParser), and the caller's
 * callback may still be reading its attributes. The wrapper stops once the callback returns. */
void adal__xml_stop(void)
{
    if (current)
        current->stopped = true;
}

static void stop_if_asked(xwrap *w)
{
    if (w->stopped)
        xmlStopParser(w->ctxt);
}

static void on_doctype(void *ud, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name;
    (void)ext;
    (void)sys;
    xwrap *w = ud;
    if (!w->fail)
        w->fail = ADAL_EDOCTYPE;
    xmlStopParser(w->ctxt);
}

static void on_start(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattrs, int ndef, const xmlChar **attrs)
{
    xwrap *w = ud;
    if (w->fail || w->stopped)
        return;
    if (++w->depth > ADAL_XML_MAX_DEPTH) {
        w->fail = ADAL_ELIMIT;
        xmlStopParser(w->ctxt);
        return;
    }
    if (w->inner->startElementNs)
        w->inner->startElementNs(w->user, local, prefix, uri, nns, ns, nattrs, ndef, attrs);
    stop_if_asked(w);
}

static void on_end(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    xwrap *w = ud;
    if (w->fail || w->stopped)
        return;
    if (w->inner->endElementNs)
        w->inner->endElementNs(w->user, local, prefix, uri);
    w->depth--;
    stop_if_asked(w);
}

static void on_chars(void *ud, const xmlChar *s, int n)
{
    xwrap *w = ud;
    if (w->fail || w->stopped)
        return;
    if (w->inner->characters)
        w->inner->characters(w->user, s, n);
    stop_if_asked(w);
}

static void on_error(void *ud, xmlErrorPtr e)
{
    (void)ud;
    (void)e; /* reported once after the parse, from the context's last error */
}

/* libxml2 reports some failures (out of memory inside URI handling or before the context
 * exists) through the thread's generic error function, which prints to stderr by default:
 * a library must not write there. The parse swaps in this one and puts back the caller's. */
static void quiet(void *ud, const char *fmt, ...)
{
    (void)ud;
    (void)fmt;
}

#if LIBXML_VERSION < 21100
/* libxml2 before 2.11 (Debian 12 ships 2.9.14) mishandles one allocation failure: when it
 * grows the parser's attribute table (xmlCtxtGrowAttrs), the first realloc moves the table,
 * the second fails, and xmlParseStartTag2 goes on writing through its old pointer: a use
 * after free, which valgrind showed in tests/unit/test_faults.c on an ODT style element with
 * more than 10 attributes. The table is made here, before the parse, for ATTS_MAX attributes
 * (5 slots each, as xmlParseStartTag2 uses them), so a document never makes libxml2 grow it
 * (12 KiB a parse). libxml2 frees it with the context. */
#define ATTS_MAX 256

static bool atts_ready(xmlParserCtxtPtr c)
{
    int slots = 5 * ATTS_MAX + 5;
    if (c->atts && c->maxatts >= slots)
        return true;
    const xmlChar **atts = xmlMalloc((size_t)slots * sizeof *atts);
    int *allocs = xmlMalloc((size_t)(slots / 5) * sizeof *allocs);
    if (!atts || !allocs) {
        xmlFree(atts);
        xmlFree(allocs);
        return false;
    }
    xmlFree(c->atts);
    xmlFree(c->attallocs);
    c->atts = atts;
    c->attallocs = allocs;
    c->maxatts = slots;
    return true;
}
#else
static bool atts_ready(xmlParserCtxtPtr c)
{
    (void)c;
    return true;
}
#endif

/* Documents are fed in slices so a stop request takes effect without parsing the rest. */
#define XML_CHUNK (256u << 10)

int adal__xml_parse(adal_ctx *ctx, const char *part, const char *data, size_t len,
                    xmlSAXHandler *sax, void *user)
{
    adal__xml_init();
    xwrap w = {NULL, sax, user, 0, 0, false};
    xmlSAXHandler h;
    memset(&h, 0, sizeof h);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = on_start;
    h.endElementNs = on_end;
    h.characters = on_chars;
    h.cdataBlock = on_chars;
    h.internalSubset = on_doctype; /* no entity handlers at all: nothing to expand */
    h.serror = on_error;

    xmlGenericErrorFunc old_err = xmlGenericError;
    void *old_err_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet);
    size_t first = len < 4 ? len : 4; /* the push parser sniffs the encoding from these */
    xmlParserCtxtPtr c = xmlCreatePushParserCtxt(&h, &w, data, (int)first, NULL);
    if (c && !atts_ready(c)) {
        xmlFreeParserCtxt(c);
        c = NULL;
    }
    if (!c) {
        xmlSetGenericErrorFunc(old_err_ctx, old_err);
        return adal__err(ctx, ADAL_ENOMEM, "out of memory starting the XML parser for %s", part);
    }
    w.ctxt = c;
    xmlCtxtUseOptions(c, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xwrap *saved = current;
    current = &w;
    int prc = 0;
    size_t off = first;
    while (prc == 0 && !w.fail && !w.stopped && off < len) {
        size_t n = len - off > XML_CHUNK ? XML_CHUNK : len - off;
        prc = xmlParseChunk(c, data + off, (int)n, 0);
        off += n;
    }
    if (prc == 0 && !w.fail && !w.stopped)
        prc = xmlParseChunk(c, NULL, 0, 1);
    current = saved;

    int rc = ADAL_OK;
    if (w.fail == ADAL_EDOCTYPE) {
        rc = adal__err(ctx, ADAL_EDOCTYPE,
                       "part %s declares a DOCTYPE, which Office documents may not have "
                       "(possible entity attack)",
                       part);
    } else if (w.fail == ADAL_ELIMIT) {
        rc = adal__err(ctx, ADAL_ELIMIT, "part %s nests XML elements deeper than %d", part,
                       ADAL_XML_MAX_DEPTH);
    } else if (w.stopped) {
        rc = ADAL_OK; /* the caller stopped it and holds its own error */
    } else if (prc != 0 || !c->wellFormed) {
        xmlErrorPtr e = xmlCtxtGetLastError(c);
        char msg[160] = "not well-formed";
        int line = 0;
        if (e && e->message) {
            size_t k = strlen(e->message);
            while (k && (e->message[k - 1] == '\n' || e->message[k - 1] == ' '))
                k--;
            if (k >= sizeof msg)
                k = sizeof msg - 1;
            memcpy(msg, e->message, k);
            msg[k] = '\0';
            line = e->line;
        }
        if (e && e->code == XML_ERR_NO_MEMORY)
            rc = adal__err(ctx, ADAL_ENOMEM, "out of memory parsing %s", part);
        else
            rc = adal__err(ctx, ADAL_EXML, "invalid XML in part %s, line %d: %s", part, line, msg);
    }
    xmlFreeParserCtxt(c);
    xmlSetGenericErrorFunc(old_err_ctx, old_err);
    return rc;
}

/* ---- attribute helpers ------------------------------------------------------------------ */

const xmlChar *adal__xml_attr(const xmlChar **attrs, int n, const char *local, size_t *len)
{
    for (int i = 0; i < n; i++) {
        const xmlChar **a = attrs + 5 * i;
        if (strcmp((const char *)a[0], local) == 0) {
            *len = (size_t)(a[4] - a[3]);
            return a[3];
        }
    }
    *len = 0;
    return NULL;
}

bool adal__xml_attr_eq(const xmlChar **attrs, int n, const char *local, const char *value)
{
    size_t len;
    const xmlChar *v = adal__xml_attr(attrs, n, local, &len);
    return v && strlen(value) == len && memcmp(v, value, len) == 0;
}

size_t adal__xml_attr_copy(const xmlChar **attrs, int n, const char *local, char *out, size_t cap)
{
    size_t len;
    const xmlChar *v = adal__xml_attr(attrs, n, local, &len);
    if (!v || cap == 0) {
        if (cap)
            out[0] = '\0';
        return 0;
    }
    if (len >= cap)
        len = cap - 1;
    memcpy(out, v, len);
    out[len] = '\0';
    return len;
}
