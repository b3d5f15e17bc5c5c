/*
 * test_fiu.c - gadfly/fiu.h with the real libfiu: fail points of the
 * program's own (fiu_fail) and, under libfiu's POSIX preload, write, read,
 * open, pwrite and malloc fail when the case says, with an errno of the
 * call's list; nothing fails where no point is enabled; a failure shrinks
 * to the fewest faults and its replay injects the same ones.
 *
 * tests/test_fiu.sh runs this program under
 * LD_PRELOAD=.../fiu_posix_preload.so; its preload tests fail without it.
 *
 * A plain program, not a Criterion one: the preload's malloc takes
 * libfiu's lock, and a fork by a threaded test runner while another of its
 * threads holds that lock leaves the child waiting for ever.  This program
 * has one thread.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gadfly.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#define FIU_ENABLE 1
#include <gadfly/fiu.h>

#define COUNT(a) (sizeof(a) / sizeof *(a))

static int failures;

/* Report a failed check and go on with the next. */
#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);           \
            printf(__VA_ARGS__);                                             \
            printf("\n");                                                    \
            failures++;                                                      \
        }                                                                    \
    } while (0)

/* Run fn as a property with a fixed seed; true if `trials` cases held. */
static bool holds(const char *name, gf_property_fn fn, uint64_t seed,
                  uint64_t trials)
{
    gf_property p = {.name = name, .fn = fn};
    gf_options o = {.seed = seed, .seed_set = true, .trials = trials,
                    .quiet = true};
    gf_result r;
    gf_status st = gf_run(&p, &o, &r);
    CHECK(st == GF_PASSED, "%s: status %d\n%s", name, (int)st,
          r.report ? r.report : "");
    gf_result_free(&r);
    return st == GF_PASSED;
}

#define RUN_PASSING(fn, seed, trials) holds(#fn, fn, seed, trials)

/* ---- fail points of the program's own -------------------------------- */

static uint64_t fiu_said_yes, gadfly_counted, calls_made;

/* A store whose put has a libfiu fail point. */
static int store_put(void)
{
    fiu_return_on("store/put", -1);
    return 0;
}

static void own_points(gf_case *tc)
{
    gf_fiu_enable(tc, "store/put", &(gf_fault_options){.rate = 0.3});
    for (int i = 0; i < 10; i++) {
        calls_made++;
        fiu_said_yes += store_put() != 0;
    }
    gadfly_counted += gf_fault_count(tc, "store/put");
}

static void fiu_fail_fails_exactly_when_the_case_injects(void)
{
    fiu_said_yes = gadfly_counted = calls_made = 0;
    RUN_PASSING(own_points, 1, 200);
    CHECK(fiu_said_yes > 0, "no fault in %llu calls",
                 (unsigned long long)calls_made);
    CHECK(fiu_said_yes < calls_made, "every call failed");
    CHECK(fiu_said_yes == gadfly_counted, "%llu failed, %llu injected",
          (unsigned long long)fiu_said_yes,
          (unsigned long long)gadfly_counted);
    /* The point stays registered with libfiu, and answers "no fault"
     * outside a case. */
    for (int i = 0; i < 100; i++)
        CHECK(store_put() == 0, "outside a case");
}

static void other_points(gf_case *tc)
{
    gf_fiu_enable(tc, "store/get", &(gf_fault_options){.rate = 1});
    for (int i = 0; i < 20; i++)
        GF_ASSERT(tc, store_put() == 0);
}

static void a_point_not_enabled_in_the_case_never_fails(void)
{
    /* store/put registered by an earlier case, not enabled in this one. */
    RUN_PASSING(own_points, 2, 5);
    RUN_PASSING(other_points, 3, 100);
}

/* Fails when two puts have failed: two faults, at the first two calls. */
static void two_puts_fail(gf_case *tc)
{
    gf_fiu_enable(tc, "store/put", &(gf_fault_options){.rate = 0.2});
    int failed = 0;
    for (int i = 0; i < 15; i++)
        failed += store_put() != 0;
    GF_ASSERT(tc, failed < 2);
}

static char *fault_lines(const char *report)
{
    char *out = calloc(1, strlen(report) + 1);
    if (!out)
        abort();
    for (const char *line = report; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
        if (strstr(line, " store/put: ") &&
            (!end || strstr(line, " store/put: ") < end))
            strncat(out, line, len);
        line += len;
    }
    return out;
}

static void a_failure_shrinks_to_the_fewest_faults_and_replays_them(void)
{
    gf_property p = {.name = "two_puts_fail", .fn = two_puts_fail};
    gf_options o = {.seed = 4, .seed_set = true, .trials = 1000,
                    .quiet = true};
    gf_result a, b;
    if (gf_run(&p, &o, &a) != GF_FAILED) {
        CHECK(false, "two_puts_fail held");
        gf_result_free(&a);
        return;
    }
    char *fa = fault_lines(a.report);
    CHECK(strcmp(fa, "  note:      1 store/put: fails (call 1)\n"
                     "  note:      2 store/put: fails (call 2)\n") == 0,
          "%s", a.report);
    o.replay = a.replay;
    CHECK(gf_run(&p, &o, &b) == GF_FAILED, "the replay held");
    char *fb = fault_lines(b.report ? b.report : "");
    CHECK(strcmp(fa, fb) == 0, "replayed:\n%s\nfirst:\n%s", fb, fa);
    free(fa);
    free(fb);
    gf_result_free(&a);
    gf_result_free(&b);
}

/* ---- libfiu's POSIX preload --------------------------------------------- */

static bool preloaded(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p && strstr(p, "fiu_posix_preload");
}

typedef struct posix_call {
    const char *point;
    const int *errs;
    size_t nerrs;
} posix_call;

static const int write_errs[] = {GF_FAULT_WRITE_ERRORS};
static const int read_errs[] = {GF_FAULT_READ_ERRORS};
static const int open_errs[] = {GF_FAULT_OPEN_ERRORS};
static const int pwrite_errs[] = {GF_FAULT_PWRITE_ERRORS};
static const int alloc_errs[] = {GF_FAULT_ALLOC_ERRORS};

enum { WRITE, READ, OPEN, PWRITE, MALLOC, NCALLS };

static const posix_call posix_calls[NCALLS] = {
    {"posix/io/rw/write", write_errs, COUNT(write_errs)},
    {"posix/io/rw/read", read_errs, COUNT(read_errs)},
    {"posix/io/oc/open", open_errs, COUNT(open_errs)},
    {"posix/io/rw/pwrite", pwrite_errs, COUNT(pwrite_errs)},
    {"libc/mm/malloc", alloc_errs, COUNT(alloc_errs)},
};

static bool seen[NCALLS][8];
static uint64_t failed_calls[NCALLS], injected[NCALLS];
static bool wrong_errno;

static void note(int call, bool failed, int err)
{
    if (!failed)
        return;
    failed_calls[call]++;
    size_t e = 0;
    while (e < posix_calls[call].nerrs && posix_calls[call].errs[e] != err)
        e++;
    if (e == posix_calls[call].nerrs) {
        if (!wrong_errno)
            fprintf(stderr, "%s failed with errno %d (%s)\n",
                    posix_calls[call].point, err, strerror(err));
        wrong_errno = true;
    }
    else
        seen[call][e] = true;
}

/* Calls that succeed unless a fault says otherwise; the property draws
 * nothing but the faults, so malloc faults do not reach a generator. */
static void posix_faults(gf_case *tc)
{
    int fd = open("/dev/null", O_RDWR);
    GF_ASSERT(tc, fd >= 0);
    gf_fiu_enable(tc, "posix/io/rw/write", &(gf_fault_options){.rate = 0.3});
    gf_fiu_enable(tc, "posix/io/rw/read", &(gf_fault_options){.rate = 0.3});
    gf_fiu_enable(tc, "posix/io/oc/open", &(gf_fault_options){.rate = 0.3});
    gf_fiu_enable(tc, "posix/io/rw/pwrite", &(gf_fault_options){.rate = 0.3});
    gf_fiu_enable(tc, "libc/mm/malloc", &(gf_fault_options){.rate = 0.3});
    char buf[4];
    for (int i = 0; i < 4; i++) {
        errno = 0;
        bool failed = write(fd, "abcd", 4) < 0;
        note(WRITE, failed, errno);
        errno = 0;
        failed = read(fd, buf, 4) < 0;
        note(READ, failed, errno);
        errno = 0;
        int other = open("/dev/null", O_RDONLY);
        note(OPEN, other < 0, errno);
        if (other >= 0)
            close(other);
        errno = 0;
        failed = pwrite(fd, "ab", 2, 0) < 0;
        note(PWRITE, failed, errno);
        errno = 0;
        void *m = malloc(24);
        note(MALLOC, m == NULL, errno);
        free(m);
    }
    for (int c = 0; c < NCALLS; c++)
        injected[c] += gf_fault_count(tc, posix_calls[c].point);
    gf_fault_disable(tc, "*");
    close(fd);
}

static void the_preload_fails_each_call_with_each_errno_of_its_list(void)
{
    CHECK(preloaded(), "run me under LD_PRELOAD=fiu_posix_preload.so "
                       "(tests/test_fiu.sh does)");
    memset(seen, 0, sizeof seen);
    memset(failed_calls, 0, sizeof failed_calls);
    memset(injected, 0, sizeof injected);
    wrong_errno = false;
    RUN_PASSING(posix_faults, 5, 300);
    CHECK(!wrong_errno, "a call failed with an errno not in its list");
    for (int c = 0; c < NCALLS; c++) {
        CHECK(failed_calls[c] == injected[c],
                     "%s: %llu calls failed, %llu faults injected",
                     posix_calls[c].point,
                     (unsigned long long)failed_calls[c],
                     (unsigned long long)injected[c]);
        for (size_t e = 0; e < posix_calls[c].nerrs; e++)
            CHECK(seen[c][e], "%s never failed with %s",
                      posix_calls[c].point,
                      gf_errno_name(posix_calls[c].errs[e]));
    }
}

/* Points enabled by a wildcard that Gadfly has no errno list for never
 * fail; the listed ones under it do. */
static uint64_t unlisted_failures, listed_failures;

static void wildcard(gf_case *tc)
{
    int fd = open("/dev/null", O_RDWR);
    GF_ASSERT(tc, fd >= 0);
    gf_fiu_enable(tc, "posix/io/*", &(gf_fault_options){.rate = 0.5});
    for (int i = 0; i < 8; i++) {
        int dup_fd = dup(fd); /* posix/io/oc/dup: no list */
        unlisted_failures += dup_fd < 0;
        if (dup_fd >= 0)
            close(dup_fd);
        listed_failures += write(fd, "x", 1) < 0;
    }
    gf_fault_disable(tc, "*");
    close(fd);
}

static void a_wildcard_fails_only_the_calls_with_an_errno_list(void)
{
    CHECK(preloaded(), "run me under LD_PRELOAD=fiu_posix_preload.so");
    unlisted_failures = listed_failures = 0;
    RUN_PASSING(wildcard, 6, 100);
    CHECK(unlisted_failures == 0, "dup failed %llu times",
          (unsigned long long)unlisted_failures);
    CHECK(listed_failures > 0, "write never failed");
}

/* Outside a case the preloaded calls are the real ones, even with every
 * point left registered by the tests above. */
static void outside_a_case_the_preload_never_fails(void)
{
    CHECK(preloaded(), "run me under LD_PRELOAD=fiu_posix_preload.so");
    RUN_PASSING(posix_faults, 7, 20);
    int fd = open("/dev/null", O_RDWR);
    CHECK(fd >= 0, "open failed");
    for (int i = 0; i < 200; i++) {
        CHECK(write(fd, "abcd", 4) == 4, "write failed");
        void *m = malloc(16);
        CHECK(m != NULL, "malloc failed");
        free(m);
    }
    close(fd);
}

int main(void)
{
    fiu_fail_fails_exactly_when_the_case_injects();
    a_point_not_enabled_in_the_case_never_fails();
    a_failure_shrinks_to_the_fewest_faults_and_replays_them();
    the_preload_fails_each_call_with_each_errno_of_its_list();
    a_wildcard_fails_only_the_calls_with_an_errno_list();
    outside_a_case_the_preload_never_fails();
    if (failures) {
        printf("test_fiu: %d checks failed\n", failures);
        return 1;
    }
    printf("test_fiu: 6 tests passed\n");
    return 0;
}
