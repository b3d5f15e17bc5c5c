/*
 * test_isolation.c - gf_options.isolation: a program that calls gf_run
 * itself chooses where the property runs.  In a worker process, a case
 * that ends the process (exit, _exit, a signal no handler can catch) is a
 * failure the caller gets back, shrunk; in this process it is not.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "helpers.h"

/* Ends the process from 501 up: nothing in-process can catch _exit. */
static void prop_exits(gf_case *tc)
{
    int64_t x = *(const int64_t *)gf_draw(tc, gf_int(0, 1000));
    if (x > 500)
        _exit(7);
}

static gf_status run_isolated_as(gf_property_fn fn, int isolation,
                                 gf_result *r)
{
    gf_property prop = {.name = "isolated", .fn = fn, .file = __FILE__,
                        .line = __LINE__};
    gf_options opt = {.seed = 1, .seed_set = true, .trials = 1000,
                      .quiet = true, .isolation = isolation};
    memset(r, 0, sizeof *r);
    return gf_run(&prop, &opt, r);
}

Test(isolation, worker_turns_a_process_exit_into_a_failure)
{
    pid_t me = getpid();
    gf_result r;
    gf_status st = run_isolated_as(prop_exits, GF_ISOLATE_WORKER, &r);
    cr_assert_eq(st, GF_FAILED, "status %d: %s", (int)st,
                 r.message ? r.message : "");
    cr_expect(getpid() == me);
    cr_expect(r.counterexample && strstr(r.counterexample, "501"),
              "not shrunk to 501:\n%s", r.counterexample);
    cr_expect(r.replay && strncmp(r.replay, "gf1:", 4) == 0);
    gf_result_free(&r);
}

/* In this process the same property ends the process: the status of a
 * child that ran it is 7, where the worker's run returned a failure. */
Test(isolation, none_runs_in_this_process)
{
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        gf_result r;
        run_isolated_as(prop_exits, GF_ISOLATE_NONE, &r);
        _exit(0);
    }
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 7,
              "the property did not run in the calling process");
}

/* The default, for a caller of gf_run outside gf_main, is this process. */
Test(isolation, default_outside_gf_main_is_this_process)
{
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        gf_result r;
        run_isolated_as(prop_exits, GF_ISOLATE_DEFAULT, &r);
        _exit(0);
    }
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 7);
}

static void prop_holds(gf_case *tc)
{
    (void)gf_draw(tc, gf_int(0, 10));
}

Test(isolation, worker_run_that_holds_counts_its_cases)
{
    gf_result r;
    gf_status st = run_isolated_as(prop_holds, GF_ISOLATE_WORKER, &r);
    cr_expect_eq(st, GF_PASSED);
    cr_expect_eq(r.cases, 11, "%lu cases of 0..10", (unsigned long)r.cases);
    cr_expect(r.exhausted);
    gf_result_free(&r);
}

Test(isolation, a_value_out_of_range_is_an_error)
{
    gf_result r;
    gf_status st = run_isolated_as(prop_holds, 9, &r);
    cr_expect_eq(st, GF_ERROR);
    cr_expect(r.message && strstr(r.message, "isolation is 9"), "%s",
              r.message ? r.message : "(none)");
    gf_result_free(&r);
}
