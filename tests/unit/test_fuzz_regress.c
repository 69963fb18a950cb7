/* test_fuzz_regress.c — every input a fuzzer ever crashed (or hung, or leaked) on is kept in
 * tests/fuzz/regress/TARGET-what and replayed here through the same target code (fz_*.c), so
 * a fixed finding stays fixed under `make test`, `make asan` and `make valgrind`. A target's
 * own oracles trap, which fails the runner. */
#include "../harness.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>

int adal_fz_ingest(const uint8_t *data, size_t size);
int adal_fz_norm(const uint8_t *data, size_t size);
int adal_fz_check(const uint8_t *data, size_t size);
int adal_fz_docx_xml(const uint8_t *data, size_t size);
int adal_fz_report(const uint8_t *data, size_t size);

static const struct {
    const char *prefix;
    int (*run)(const uint8_t *, size_t);
} targets[] = {
    {"fuzz_ingest-", adal_fz_ingest}, {"fuzz_norm-", adal_fz_norm},
    {"fuzz_check-", adal_fz_check},   {"fuzz_docx_xml-", adal_fz_docx_xml},
    {"fuzz_report-", adal_fz_report},
};

TEST(fuzz_regress_inputs_replay_cleanly)
{
    DIR *d = opendir("tests/fuzz/regress");
    CHECK(d != NULL);
    if (!d)
        return;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t i, k = sizeof targets / sizeof targets[0];
        for (i = 0; i < k; i++)
            if (strncmp(e->d_name, targets[i].prefix, strlen(targets[i].prefix)) == 0)
                break;
        if (i == k) {
            fprintf(stderr, "    %s: names no fuzz target\n", e->d_name);
            CHECK(i < k);
            continue;
        }
        char path[512];
        snprintf(path, sizeof path, "tests/fuzz/regress/%s", e->d_name);
        size_t len = 0;
        char *data = th_read(path, &len);
        CHECK(data != NULL);
        if (!data)
            continue;
        targets[i].run((const uint8_t *)data, len);
        free(data);
        n++;
    }
    closedir(d);
    fprintf(stderr, "    %d inputs replayed\n", n);
    CHECK(n > 0);
}
