/*
 * test_jobs.c - one property over N worker processes (src/process/jobs.c,
 * gf_options.jobs): the same seed and N give the same first failure,
 * shrunk as in one process; the workers' counts add up exactly; and a
 * crash in a worker is a failure, not the caller's death.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"

static void fails_above_1000(gf_case *tc)
{
    int64_t x = gf_draw_int(tc, 0, 1000000000);
    GF_ASSERT_LT_INT(tc, x, 1000);
}

static void holds_wide(gf_case *tc)
{
    (void)gf_draw_int(tc, INT64_MIN, INT64_MAX);
}

static void crashes_above_500(gf_case *tc)
{
    int64_t x = gf_draw_int(tc, 0, 1000);
    if (x > 500)
        raise(SIGSEGV);
}

static gf_status run_jobs(gf_property_fn fn, unsigned jobs, uint64_t trials,
                          gf_result *r)
{
    gf_property prop = {.name = "jobs", .fn = fn, .file = __FILE__,
                        .line = __LINE__};
    gf_options opt = {.seed = 7, .seed_set = true, .trials = trials,
                      .quiet = true, .jobs = jobs};
    memset(r, 0, sizeof *r);
    return gf_run(&prop, &opt, r);
}

Test(jobs, the_same_seed_gives_the_same_shrunk_failure)
{
    gf_result a, b;
    cr_assert_eq(run_jobs(fails_above_1000, 2, 1000, &a), GF_FAILED);
    cr_assert_eq(run_jobs(fails_above_1000, 2, 1000, &b), GF_FAILED);
    cr_expect_str_eq(a.counterexample, "#1 = 1000\n");
    cr_expect_str_eq(a.counterexample, b.counterexample);
    cr_expect(a.replay && b.replay && strcmp(a.replay, b.replay) == 0,
              "%s / %s", a.replay, b.replay);
    gf_result_free(&a);
    gf_result_free(&b);
}

/* Every case is counted once, by the worker that ran it: the trials are
 * shared out, not repeated. */
Test(jobs, the_workers_counts_add_up)
{
    gf_result r;
    cr_assert_eq(run_jobs(holds_wide, 3, 300, &r), GF_PASSED, "%s",
                 r.report ? r.report : "");
    cr_expect_eq(r.passed, 300, "%llu passed", (unsigned long long)r.passed);
    cr_expect_eq(r.cases, r.passed + r.discarded);
    gf_result_free(&r);
}

Test(jobs, a_crash_in_a_worker_is_a_failure)
{
    pid_t me = getpid();
    gf_result r;
    cr_assert_eq(run_jobs(crashes_above_500, 2, 1000, &r), GF_FAILED);
    cr_expect(getpid() == me);
    cr_expect(r.origin && strstr(r.origin, "SIGSEGV"), "origin %s", r.origin);
    cr_expect_str_eq(r.counterexample, "#1 = 501\n");
    gf_result_free(&r);
}
