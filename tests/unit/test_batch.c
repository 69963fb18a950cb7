/* test_batch.c — adal_batch_run on a small generated course of text files (student from the
 * file name by --student-pattern): versions, a broken file, cohort template shared by four of
 * five students, a colluding pair as a cluster, the incremental rerun; and the path-safe
 * names of the output. */
#include "../harness.h"
#include "adal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

TEST(batch_safe_name)
{
    char *s = adal_batch_safe_name("../a/b\\c\x01");
    CHECK_EQ_STR(s, "_._a_b_c_");
    free(s);
    s = adal_batch_safe_name("");
    CHECK_EQ_STR(s, "_");
    free(s);
    s = adal_batch_safe_name("Айдана С.");
    CHECK_EQ_STR(s, "Айдана С.");
    free(s);
}

/* Pseudo-words from a seed: runs of them are unique to the seed. */
static void words(FILE *f, unsigned seed, int n)
{
    static const char *syl[] = {"ба", "ке", "ту", "ры", "мо", "лі", "са", "нұ", "де", "жа",
                                "қо", "ғы", "ша", "пе", "зі", "өр"};
    unsigned x = seed * 2654435761u + 12345u;
    for (int i = 0; i < n; i++) {
        int len = 2 + (int)(x >> 29) % 3;
        for (int k = 0; k < len; k++) {
            x = x * 1103515245u + 12345u;
            fputs(syl[(x >> 16) % 16], f);
        }
        fputc(i % 12 == 11 ? '.' : ' ', f);
        if (i % 36 == 35)
            fputc('\n', f);
        x = x * 1103515245u + 12345u;
    }
    fputc('\n', f);
}

static void essay(const char *dir, const char *name, int tmpl, unsigned own, unsigned shared)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (!f)
        return;
    if (tmpl)
        words(f, 7, 60); /* the assignment wording */
    words(f, own, 150);
    if (shared)
        words(f, shared, 80);
    words(f, own + 1000, 60);
    fclose(f);
}

static json_t *row(json_t *sum, const char *file)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(sum, "submissions"), i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "file")), file) == 0)
            return r;
    }
    return NULL;
}

TEST(batch_course)
{
    char dir[] = "/tmp/adal-batch-test-XXXXXX";
    if (!mkdtemp(dir))
        SKIP("no temporary folder");
    char course[600], out[600], cmd[1300];
    snprintf(course, sizeof course, "%s/course", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    mkdir(course, 0777);
    essay(course, "Aida_essay.txt", 1, 101, 55);
    essay(course, "Bolat_essay.txt", 1, 202, 55);
    essay(course, "Dana_essay.txt", 1, 303, 0);
    essay(course, "Erlan_essay.txt", 1, 404, 0);
    essay(course, "Gulnar_essay_v1.txt", 0, 505, 77);
    sleep(1);
    essay(course, "Gulnar_essay_v2.txt", 0, 606, 77); /* shares text with v1: never compared */
    FILE *f = fopen("/tmp/adal-batch-test-bad", "w");
    snprintf(cmd, sizeof cmd, "%s/Kanat_essay.docx", course);
    f = fopen(cmd, "wb");
    if (f) {
        fwrite("PK\3\4broken", 1, 10, f);
        fclose(f);
    }
    remove("/tmp/adal-batch-test-bad");

    adal_ctx *ctx = NULL;
    CHECK_EQ_INT(adal_ctx_new(&ctx), ADAL_OK);
    adal_batch_opts o = ADAL_BATCH_OPTS_INIT;
    adal_batch_result res;
    o.out_dir = out;
    o.jobs = 2;
    o.student_pattern = "^([^_]+)_";
    int rc = adal_batch_run(ctx, course, &o, &res);
    if (rc != ADAL_OK)
        fprintf(stderr, "    %s\n", adal_errmsg(ctx));
    CHECK_EQ_INT(rc, ADAL_OK);
    CHECK_EQ_INT(res.submissions, 7);
    CHECK_EQ_INT(res.checked, 5);
    CHECK_EQ_INT(res.superseded, 1);
    CHECK_EQ_INT(res.failed, 1);
    CHECK_EQ_INT(res.clusters, 1);
    CHECK(res.common_fps > 0);
    CHECK(res.excluded_percent_mean > 5);

    snprintf(cmd, sizeof cmd, "%s/summary.json", out);
    json_t *sum = json_load_file(cmd, 0, NULL);
    CHECK(sum != NULL);
    if (sum) {
        json_t *a = row(sum, "Aida_essay.txt"), *b = row(sum, "Bolat_essay.txt"),
               *d = row(sum, "Dana_essay.txt"), *g = row(sum, "Gulnar_essay_v2.txt"),
               *g1 = row(sum, "Gulnar_essay_v1.txt"), *k = row(sum, "Kanat_essay.docx");
        CHECK(a && b && d && g && g1 && k);
        if (a && b && d && g && g1 && k) {
            CHECK(json_integer_value(json_object_get(a, "cluster")) > 0);
            CHECK_EQ_INT(json_integer_value(json_object_get(a, "cluster")),
                         json_integer_value(json_object_get(b, "cluster")));
            CHECK(json_is_null(json_object_get(d, "cluster")));
            /* the template (4 of 5 students ≥ max(3, 30 %)) is excluded, not borrowed */
            CHECK(json_real_value(json_object_get(d, "excluded")) > 10);
            CHECK(json_real_value(json_object_get(d, "borrowed")) < 1);
            CHECK(json_real_value(json_object_get(a, "borrowed")) > 15);
            CHECK(json_real_value(json_object_get(g, "borrowed")) < 1);
            CHECK(json_real_value(json_object_get(g, "excluded")) == 0);
            CHECK_EQ_STR(json_string_value(json_object_get(g1, "status")), "superseded");
            CHECK_EQ_STR(json_string_value(json_object_get(k, "status")), "failed");
            CHECK_EQ_STR(json_string_value(json_object_get(json_object_get(k, "error"), "code")),
                         "corrupt");
            CHECK_EQ_STR(json_string_value(json_object_get(a, "report")),
                         "reports/Aida/Aida_essay.txt.json");
        }
        json_decref(sum);
    }
    /* rerun: nothing changed, nothing re-checked */
    rc = adal_batch_run(ctx, course, &o, &res);
    CHECK_EQ_INT(rc, ADAL_OK);
    CHECK_EQ_INT(res.checked, 0);
    CHECK_EQ_INT(res.unchanged, 5);
    CHECK_EQ_INT(res.clusters, 1);
    /* Erlan changes his own text: he is re-checked; Gulnar, who shares nothing with him, not */
    essay(course, "Erlan_essay.txt", 1, 909, 0);
    rc = adal_batch_run(ctx, course, &o, &res);
    CHECK_EQ_INT(rc, ADAL_OK);
    CHECK_EQ_INT(res.checked, 1);
    CHECK_EQ_INT(res.checked + res.unchanged, 5);

    adal_ctx_free(ctx);
    if (getenv("KEEP")) return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_EQ_INT(system(cmd), 0);
}
