/* stub_engine.c — TEMPORARY (branch cli only): link-time placeholders for the engine
 * (fp.c, match.c, score.c, refset.c, policy.c) until branch engine lands; deleted on the
 * merge that brings them. Everything fails with "engine not built yet". */
#include "internal.h"
#include <string.h>
static int later(adal_ctx *ctx) { return adal__err(ctx, ADAL_EUNSUPPORTED, "engine not built yet"); }
void adal_policy_default(adal_policy *out)
{
    static const adal_band b[] = {
        {80, "90-100", "өте жақсы", "отлично", "excellent"},
        {70, "70-89", "жақсы", "хорошо", "good"},
        {60, "50-69", "қанағаттанарлық", "удовлетворительно", "satisfactory"},
        {40, "0-49", "қанағаттанарлықсыз", "неудовлетворительно", "unsatisfactory"},
        {0, "0", "—", "—", "not accepted"},
    };
    memset(out, 0, sizeof *out);
    out->nbands = 5;
    for (unsigned i = 0; i < 5; i++) out->bands[i] = b[i];
    out->borderline_margin = 2;
}
unsigned adal_policy_band(const adal_policy *p, double percent, int *borderline)
{ unsigned i = 0; while (i + 1 < p->nbands && percent < p->bands[i].min) i++; if (borderline) *borderline = 0; return i; }
int adal_doc_fingerprint(adal_doc *doc, adal_ctx *ctx) { (void)doc; return later(ctx); }
int adal_report_new(adal_report **out, adal_ctx *ctx, adal_doc *query, const adal_check_opts *opts)
{ (void)query; (void)opts; *out = NULL; return later(ctx); }
int adal_report_add_source(adal_report *r, adal_ctx *ctx, const adal_doc *src, const char *id) { (void)r; (void)src; (void)id; return later(ctx); }
int adal_report_exclude(adal_report *r, uint32_t start, uint32_t end, const char *why) { (void)r; (void)start; (void)end; (void)why; return ADAL_EUNSUPPORTED; }
int adal_report_finish(adal_report *r, adal_ctx *ctx) { (void)r; return later(ctx); }
void adal_report_free(adal_report *r) { (void)r; }
const adal_doc *adal_report_query(const adal_report *r) { (void)r; return NULL; }
void adal_report_score(const adal_report *r, adal_score *out) { (void)r; memset(out, 0, sizeof *out); }
size_t adal_report_nsources(const adal_report *r) { (void)r; return 0; }
const adal_source_result *adal_report_source(const adal_report *r, size_t i) { (void)r; (void)i; return NULL; }
size_t adal_report_npassages(const adal_report *r) { (void)r; return 0; }
const adal_passage *adal_report_passage(const adal_report *r, size_t i) { (void)r; (void)i; return NULL; }
size_t adal_report_nwarnings(const adal_report *r) { (void)r; return 0; }
const char *adal_report_warning(const adal_report *r, size_t i) { (void)r; (void)i; return NULL; }
int adal_refset_new(adal_refset **out, adal_ctx *ctx) { *out = NULL; return later(ctx); }
void adal_refset_free(adal_refset *rs) { (void)rs; }
int adal_refset_add(adal_refset *rs, adal_ctx *ctx, adal_doc *doc, const char *id) { (void)rs; (void)id; adal_doc_free(doc); return later(ctx); }
size_t adal_refset_count(const adal_refset *rs) { (void)rs; return 0; }
const adal_doc *adal_refset_doc(const adal_refset *rs, size_t i) { (void)rs; (void)i; return NULL; }
const char *adal_refset_id(const adal_refset *rs, size_t i) { (void)rs; (void)i; return NULL; }
int adal_refset_check(adal_report **out, adal_ctx *ctx, const adal_refset *rs, adal_doc *query, const adal_check_opts *opts, const size_t *skip, size_t n_skip)
{ (void)rs; (void)query; (void)opts; (void)skip; (void)n_skip; *out = NULL; return later(ctx); }
