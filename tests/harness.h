/* harness.h — the in-house unit-test harness (cmark style): plain functions, no framework,
 * debuggable in-process under gdb, valgrind and the sanitizers.
 *
 *   TEST(name) { CHECK(x == 1); CHECK_EQ_STR(a, b); if (!have_data) SKIP("no data"); }
 *
 * The runner (tests/runner.c) finds every TEST() by a sed over the sources, runs them in
 * order (or those named on its command line) and prints `N passed, N failed, N skipped`.
 */
#ifndef ADAL_HARNESS_H
#define ADAL_HARNESS_H

#include <stdio.h>
#include <string.h>

typedef struct {
    int failed;   /* checks failed in the current test */
    int skipped;  /* the current test skipped itself */
    int checks;
} th_state;

extern th_state th;

#define TEST(name) void test_##name(void); void test_##name(void)

#define CHECK(cond)                                                                           \
    do {                                                                                      \
        th.checks++;                                                                          \
        if (!(cond)) {                                                                        \
            th.failed++;                                                                      \
            fprintf(stderr, "    %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);       \
        }                                                                                     \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                                    \
    do {                                                                                      \
        long long th_a = (long long)(a), th_b = (long long)(b);                               \
        th.checks++;                                                                          \
        if (th_a != th_b) {                                                                   \
            th.failed++;                                                                      \
            fprintf(stderr, "    %s:%d: %s == %s: %lld != %lld\n", __FILE__, __LINE__, #a, #b, \
                    th_a, th_b);                                                              \
        }                                                                                     \
    } while (0)

#define CHECK_EQ_STR(a, b)                                                                    \
    do {                                                                                      \
        const char *th_a = (a), *th_b = (b);                                                  \
        th.checks++;                                                                          \
        if (!th_a || !th_b || strcmp(th_a, th_b) != 0) {                                      \
            th.failed++;                                                                      \
            fprintf(stderr, "    %s:%d: %s == %s:\n      \"%s\"\n   != \"%s\"\n", __FILE__,    \
                    __LINE__, #a, #b, th_a ? th_a : "(null)", th_b ? th_b : "(null)");          \
        }                                                                                     \
    } while (0)

/* Skip the rest of the test (e.g. when ../shared/data is absent). */
#define SKIP(why)                                                                             \
    do {                                                                                      \
        th.skipped = 1;                                                                       \
        fprintf(stderr, "    skipped: %s\n", why);                                            \
        return;                                                                               \
    } while (0)

/* Paths: tests run from the repository root. ADAL_SHARED overrides ../shared. */
const char *th_shared(void);           /* "../shared" or $ADAL_SHARED; NULL if absent */
const char *th_path(const char *rel);  /* th_shared()/rel in a rotating static buffer */
int th_exists(const char *path);
/* Read a whole file (NUL-terminated); returns NULL on failure. Caller frees. */
char *th_read(const char *path, size_t *len);

#endif
