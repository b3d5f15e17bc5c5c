/*
 * test_fault.c - fault points (gadfly/fault.h): no fault where none is
 * enabled, every kind fires, shrinking removes faults, budgets hold, a
 * replay injects the same faults, the fuzzer's bytes drive them too.
 */
#include "helpers.h"

#include <errno.h>

#include <gadfly/fault.h>
#include <gadfly/fuzz.h>

static uint64_t seen_faults;

/* Points that are never enabled never fail, and draw nothing. */
static void not_enabled(gf_case *tc)
{
    gf_fault_enable(tc, "other.*", &(gf_fault_options){.rate = 1});
    for (int i = 0; i < 50; i++) {
        GF_ASSERT(tc, !gf_fault(tc, "db.write"));
        GF_ASSERT(tc, gf_fault_errno(tc, "db.read", EIO, ENOSPC) == 0);
        GF_ASSERT(tc, gf_fault_short(tc, "db.read", 100) == 100);
        GF_ASSERT(tc, gf_fault_pick(tc, "db.reply", "pending") == -1);
        GF_ASSERT(tc, gf_fault_delay(tc, "db.slow", 1000) == 0);
    }
    seen_faults += gf_fault_count(tc, NULL);
}

Test(fault, no_fault_fires_where_no_point_is_enabled)
{
    seen_faults = 0;
    RUN_PASSING(not_enabled, 1, 200);
    cr_assert_eq(seen_faults, 0);
    /* Outside any case too. */
    cr_assert(!gf_fault(NULL, "db.write"));
    cr_assert_eq(gf_fault_errno(NULL, "db.write", EIO), 0);
}

static unsigned kinds_seen;

static void every_kind(gf_case *tc)
{
    gf_fault_enable(tc, "k.*", &(gf_fault_options){.rate = 0.5});
    if (gf_fault(tc, "k.bool"))
        kinds_seen |= 1;
    int e = gf_fault_errno(tc, "k.errno", EIO, ENOSPC);
    if (e == EIO)
        kinds_seen |= 2;
    if (e == ENOSPC)
        kinds_seen |= 4;
    GF_ASSERT(tc, e == 0 || e == EIO || e == ENOSPC);
    int pick = gf_fault_pick(tc, "k.pick", "timeout", "pending");
    GF_ASSERT(tc, pick >= -1 && pick <= 1);
    if (pick >= 0)
        kinds_seen |= 8u << pick;
    size_t n = gf_fault_short(tc, "k.short", 10);
    GF_ASSERT(tc, n >= 1 && n <= 10);
    if (n < 10)
        kinds_seen |= 32;
    uint64_t d = gf_fault_delay(tc, "k.delay", 5000);
    GF_ASSERT(tc, d <= 5000);
    if (d)
        kinds_seen |= 64;
    size_t part = 0;
    int c = gf_fault_call_at(tc, "k.call", (const int[]){EINTR}, 1, 8, &part,
                             __FILE__, __LINE__);
    if (c == EINTR)
        kinds_seen |= 128;
    if (c == -1) {
        GF_ASSERT(tc, part >= 1 && part < 8);
        kinds_seen |= 256;
    }
}

Test(fault, every_fault_kind_fires)
{
    kinds_seen = 0;
    RUN_PASSING(every_kind, 2, 300);
    cr_assert_eq(kinds_seen, 511u, "kinds seen: %#x", kinds_seen);
}

/* Fails once two writes have failed: shrinks to exactly two faults, each
 * the simplest error. */
static void two_faults(gf_case *tc)
{
    gf_fault_enable(tc, "db.*", &(gf_fault_options){.rate = 0.3});
    int failed = 0;
    for (int i = 0; i < 20; i++)
        if (gf_fault_errno(tc, "db.write", EIO, ENOSPC, EROFS))
            failed++;
    GF_ASSERT(tc, failed < 2);
}

Test(fault, shrinking_keeps_the_fewest_faults_earliest_and_simplest)
{
    gf_result r;
    cr_assert_eq(run_property("two_faults", two_faults, 3, 1000, &r),
                 GF_FAILED);
    cr_assert(strstr(r.report, "1 db.write: EIO (call 1)"), "%s", r.report);
    cr_assert(strstr(r.report, "2 db.write: EIO (call 2)"), "%s", r.report);
    cr_assert(!strstr(r.report, "   3 db.write"), "%s", r.report);
    gf_result_free(&r);
}

/* A fault that breaks the program only from the 12th call on shrinks to
 * the 12th call: the earliest that still fails, on every seed. */
static void late_fault(gf_case *tc)
{
    gf_fault_enable(tc, "db.*", &(gf_fault_options){.rate = 0.05});
    for (int i = 1; i <= 40; i++)
        if (gf_fault(tc, "db.write"))
            GF_ASSERT(tc, i < 12);
}

Test(fault, a_needed_fault_moves_to_the_earliest_call_that_fails)
{
    for (uint64_t seed = 1; seed <= 5; seed++) {
        gf_result r;
        cr_assert_eq(run_property("late_fault", late_fault, seed, 1000, &r),
                     GF_FAILED);
        cr_assert(strstr(r.report, "   1 db.write: fails (call 12)"),
                  "seed %llu: %s", (unsigned long long)seed, r.report);
        cr_assert(!strstr(r.report, "   2 db.write"), "%s", r.report);
        gf_result_free(&r);
    }
}

/* At a rate so low that the gap to a fault is longer than one choice
 * holds, faults still come at that rate, beyond the first gap too. */
static uint64_t rare_faults, rare_late;

static void rare(gf_case *tc)
{
    gf_fault_enable(tc, "r", &(gf_fault_options){.rate = 1e-5});
    for (uint32_t i = 1; i <= 200000; i++)
        if (gf_fault(tc, "r")) {
            rare_faults++;
            rare_late += i > 65535;
        }
}

Test(fault, rare_faults_come_at_their_rate)
{
    rare_faults = rare_late = 0;
    RUN_PASSING(rare, 6, 30);
    /* 30 cases of 200,000 calls at 1e-5: 60 faults expected. */
    cr_assert(rare_faults >= 30 && rare_faults <= 100, "%llu faults",
              (unsigned long long)rare_faults);
    cr_assert(rare_late >= 10, "%llu faults after call 65535",
              (unsigned long long)rare_late);
}

static void over_budget(gf_case *tc)
{
    gf_fault_enable(tc, "b.*", &(gf_fault_options){.rate = 1, .budget = 2,
                                                   .after = 3});
    int failed = 0;
    for (int i = 0; i < 10; i++) {
        bool f = gf_fault(tc, "b.x");
        GF_ASSERT(tc, !f || i >= 3);
        failed += f;
    }
    GF_ASSERT_EQ_INT(tc, failed, 2);
    GF_ASSERT_EQ_INT(tc, gf_fault_count(tc, "b.x"), 2);
    GF_ASSERT_EQ_INT(tc, gf_fault_calls(tc, "b.x"), 10);
}

Test(fault, budget_and_after_bound_the_faults)
{
    RUN_PASSING(over_budget, 4, 50);
}

static void bad_rate(gf_case *tc)
{
    gf_fault_enable(tc, "x", &(gf_fault_options){.rate = 2});
}

Test(fault, a_rate_outside_0_1_is_misuse)
{
    gf_result r;
    cr_assert_neq(run_property("bad_rate", bad_rate, 1, 10, &r), GF_PASSED);
    cr_assert(strstr(r.message, "rate 2 is outside [0, 1]"), "%s",
              r.message);
    gf_result_free(&r);
}

/* The replay of a failure injects the same faults: the report's fault
 * lines are the same, line for line. */
static void pending_twice(gf_case *tc)
{
    gf_fault_enable(tc, "*", NULL);
    int pending = 0;
    for (int i = 0; i < 30; i++)
        if (gf_fault_pick(tc, "pay", "timeout", "pending") == 1)
            pending++;
    GF_ASSERT(tc, pending < 2);
}

static char *fault_lines(const char *report)
{
    char *out = calloc(1, strlen(report) + 1);
    for (const char *line = report; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
        const char *hit = strstr(line, " pay: ");
        if (hit && (!end || hit < end))
            memcpy(out + strlen(out), line, len);
        line = end ? end + 1 : NULL;
    }
    return out;
}

Test(fault, a_replay_injects_exactly_the_same_faults)
{
    gf_result a, b;
    gf_property p = {.name = "pending_twice", .fn = pending_twice};
    gf_options o = {.seed = 5, .seed_set = true, .trials = 1000,
                    .quiet = true};
    cr_assert_eq(gf_run(&p, &o, &a), GF_FAILED);
    o.replay = a.replay;
    cr_assert_eq(gf_run(&p, &o, &b), GF_FAILED);
    char *fa = fault_lines(a.report), *fb = fault_lines(b.report);
    cr_assert(strstr(fa, "   1 pay: pending (call "), "%s", a.report);
    cr_assert(strstr(fa, "   2 pay: pending (call "), "%s", a.report);
    cr_assert(!strstr(fa, "   3 pay: "), "%s", a.report);
    cr_assert_str_eq(fa, fb);
    free(fa);
    free(fb);
    gf_result_free(&a);
    gf_result_free(&b);
}

/* The fuzzer's bytes decide the faults like any choice: the same bytes,
 * the same faults. */
static uint64_t fuzz_faults;

static void fuzzed(gf_case *tc)
{
    gf_fault_enable(tc, "*", &(gf_fault_options){.rate = 0.5});
    for (int i = 0; i < 8; i++)
        if (gf_fault(tc, "f"))
            fuzz_faults |= 1u << i;
}

Test(fault, fuzzer_bytes_drive_the_faults)
{
    gf_property p = {.name = "fuzzed", .fn = fuzzed};
    /* Two bytes per gap to the next fault: 1, 2, 3 calls. */
    const uint8_t data[] = {0x00, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00};
    fuzz_faults = 0;
    gf_fuzz_one(&p, data, sizeof data);
    uint64_t first = fuzz_faults;
    fuzz_faults = 0;
    gf_fuzz_one(&p, data, sizeof data);
    cr_assert_eq(fuzz_faults, first);
    cr_assert_eq(first, 0x25, "faults at calls %#llx, not 1, 3 and 6",
                 (unsigned long long)first);
}

Test(fault, errno_names)
{
    cr_assert_str_eq(gf_errno_name(ENOSPC), "ENOSPC");
    cr_assert_str_eq(gf_errno_name(ECONNRESET), "ECONNRESET");
    cr_assert_null(gf_errno_name(99999));
}
