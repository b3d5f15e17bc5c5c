/*
 * test_errors.c - the library returns its errors: running out of memory in
 * a case, or of processes to run one in, ends gf_run with GF_ERROR (origin
 * "error") and the calling program goes on.  Only a misuse with no case to
 * fail (a NULL case outside any run) ends the process, with abort().
 */
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* This program's fork: after forks_left more, every fork fails. */
static atomic_int forks_left = -1;

pid_t fork(void)
{
    static pid_t (*real_fork)(void);
    if (!real_fork) {
        void *sym = dlsym(RTLD_NEXT, "fork");
        memcpy(&real_fork, &sym, sizeof sym);
    }
    int left = atomic_load(&forks_left);
    if (left == 0) {
        errno = EAGAIN;
        return -1;
    }
    if (left > 0)
        atomic_fetch_sub(&forks_left, 1);
    return real_fork();
}

/* Far more than this machine can give: malloc returns NULL. */
#define TOO_MUCH ((size_t)1 << 39)

static void prop_allocates_too_much(gf_case *tc)
{
    int64_t x = *(const int64_t *)gf_draw(tc, gf_int(0, 1000));
    if (x > 10)
        gf_alloc(tc, TOO_MUCH);
}

static gf_status run_as(gf_property_fn fn, int isolation, gf_result *r)
{
    gf_property prop = {.name = "errors", .fn = fn, .file = __FILE__,
                        .line = __LINE__};
    gf_options opt = {.seed = 1, .seed_set = true, .trials = 1000,
                      .quiet = true, .isolation = isolation};
    memset(r, 0, sizeof *r);
    return gf_run(&prop, &opt, r);
}

static void expect_out_of_memory(int isolation)
{
    /* AddressSanitizer's allocator reports and aborts instead of
     * returning NULL (allocator_may_return_null=0). */
    if (UNDER_ASAN)
        cr_skip_test("malloc does not return NULL under AddressSanitizer");
    pid_t me = getpid();
    gf_result r;
    gf_status st = run_as(prop_allocates_too_much, isolation, &r);
    cr_assert_eq(st, GF_ERROR, "status %d: %s", (int)st,
                 r.report ? r.report : "");
    cr_expect(getpid() == me);
    cr_expect(r.origin && strcmp(r.origin, "error") == 0, "origin %s",
              r.origin ? r.origin : "(none)");
    cr_expect(r.message && strstr(r.message, "out of memory"), "message %s",
              r.message ? r.message : "(none)");
    cr_expect(r.report && strstr(r.report, "ERROR errors: out of memory"),
              "report %s", r.report ? r.report : "(none)");
    cr_expect(r.replay == NULL, "an error is not a counterexample to replay");
    gf_result_free(&r);
}

Test(errors, out_of_memory_in_this_process_is_returned)
{
    expect_out_of_memory(GF_ISOLATE_NONE);
}

Test(errors, out_of_memory_in_a_worker_is_returned)
{
    expect_out_of_memory(GF_ISOLATE_WORKER);
}

/* The same run goes on afterwards: a later gf_run in the same process
 * works as ever. */
static void prop_holds(gf_case *tc)
{
    (void)gf_draw(tc, gf_int(0, 1000));
}

Test(errors, the_process_runs_on_after_an_error)
{
    if (UNDER_ASAN)
        cr_skip_test("malloc does not return NULL under AddressSanitizer");
    gf_result r;
    cr_assert_eq(run_as(prop_allocates_too_much, GF_ISOLATE_NONE, &r),
                 GF_ERROR);
    gf_result_free(&r);
    cr_assert_eq(run_as(prop_holds, GF_ISOLATE_NONE, &r), GF_PASSED,
                 "%s", r.report ? r.report : "");
    cr_expect_eq(r.cases, 1000);
    gf_result_free(&r);
}

/* Ends its process from 501 up, so shrinking it needs fresh processes. */
static void prop_exits(gf_case *tc)
{
    int64_t x = *(const int64_t *)gf_draw(tc, gf_int(0, 1000));
    if (x > 500)
        _exit(7);
}

/* The worker starts; then no process can be made.  The failure it found
 * comes back, unshrunk or as the error, and this process is not ended. */
Test(errors, no_process_to_run_a_case_in_is_returned)
{
    pid_t me = getpid();
    atomic_store(&forks_left, 1);
    gf_result r;
    gf_status st = run_as(prop_exits, GF_ISOLATE_WORKER, &r);
    atomic_store(&forks_left, -1);
    cr_expect(getpid() == me);
    cr_assert(st == GF_FAILED || st == GF_ERROR, "status %d: %s", (int)st,
              r.report ? r.report : "");
    if (st == GF_ERROR) {
        cr_expect(r.origin && strcmp(r.origin, "error") == 0);
        cr_expect(r.message && strstr(r.message, "cannot fork"), "%s",
                  r.message);
    } else {
        cr_expect(r.counterexample != NULL);
    }
    gf_result_free(&r);
}

/* A NULL case with no case running: nothing to fail or return to. */
Test(errors, a_null_case_outside_any_run_aborts, .signal = SIGABRT)
{
    (void)gf_draw_int(NULL, 0, 10);
}
