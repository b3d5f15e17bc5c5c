/*
 * test_run.c - running a property (src/engine): seeds, exact duplicate
 * and discard accounting, limits, crashes and flaky failures, misuse,
 * assertions' messages, typed and named draws, the arena across cases,
 * the edge bias of doubles, suggested values and the size schedule.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <signal.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "engine/run.h"

/* ---- runs through gf_run --------------------------------------------------- */

static void fails_above_1000(gf_case *tc)
{
    int64_t x = gf_draw_int(tc, 0, 1000000000);
    gf_note(tc, "x is %lld", (long long)x);
    GF_ASSERT_LT_INT(tc, x, 1000);
}

static gf_options quiet_opts(uint64_t seed)
{
    return (gf_options){.seed = seed, .seed_set = true, .quiet = true};
}

Test(run, same_seed_same_report)
{
    gf_property p = {.name = "fails_above_1000", .fn = fails_above_1000};
    gf_options o = quiet_opts(7);
    gf_result a, b;
    cr_assert_eq(gf_run(&p, &o, &a), GF_FAILED);
    cr_assert_eq(gf_run(&p, &o, &b), GF_FAILED);
    cr_assert_str_eq(a.report, b.report);
    cr_assert_eq(a.cases, b.cases);
    cr_assert_eq(a.shrink_calls, b.shrink_calls);
    cr_assert_str_eq(a.counterexample, "#1 = 1000\n");
    cr_assert(strstr(a.report, "note: x is 1000"), "%s", a.report);
    cr_assert(strstr(a.report, "x < 1000"), "%s", a.report);
    cr_assert(strstr(a.report, "seed: 0x0000000000000007"), "%s", a.report);
    cr_assert(strstr(a.origin, "test_run.c:"), "%s", a.origin);
    gf_result_free(&a);
    gf_result_free(&b);
}

static void one_bool(gf_case *tc)
{
    (void)gf_draw_bool(tc);
}

static void ten_values(gf_case *tc)
{
    (void)gf_draw_int(tc, 0, 9);
}

Test(run, duplicates_are_counted_exactly)
{
    gf_property p = {.name = "one_bool", .fn = one_bool};
    gf_options o = quiet_opts(1);
    o.trials = 100;
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_PASSED);
    cr_assert_eq(r.cases, 2u, "a bool has two cases, ran %llu",
                 (unsigned long long)r.cases);
    cr_assert_eq(r.passed, 2u);
    cr_assert_gt(r.duplicates, 0u);
    cr_assert(r.exhausted);
    gf_result_free(&r);

    gf_property q = {.name = "ten_values", .fn = ten_values};
    cr_assert_eq(gf_run(&q, &o, &r), GF_PASSED);
    cr_assert_eq(r.cases, 10u);
    gf_result_free(&r);
}

static void assume_even(gf_case *tc)
{
    int64_t x = gf_draw_int(tc, 0, 1000000);
    gf_assume(tc, x % 2 == 0);
}

Test(run, discards_are_counted)
{
    gf_property p = {.name = "assume_even", .fn = assume_even};
    gf_options o = quiet_opts(3);
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_PASSED);
    cr_assert_eq(r.passed, 100u);
    cr_assert_gt(r.discarded, 10u);
    cr_assert_eq(r.cases, r.passed + r.discarded);
    gf_result_free(&r);
}

static void assume_never(gf_case *tc)
{
    gf_assume(tc, gf_draw_int(tc, 0, 1000000) < 0);
}

static void assume_impossible_bool(gf_case *tc)
{
    gf_assume(tc, gf_draw_int(tc, 0, 3) > 5);
    GF_ASSERT(tc, false);
}

Test(run, a_property_that_discards_everything_is_not_a_pass)
{
    /* The whole space (four cases) is discarded and then exhausted. */
    gf_property p = {.name = "assume_impossible", .fn = assume_impossible_bool};
    gf_options o = quiet_opts(3);
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_GAVE_UP);
    cr_assert_eq(r.passed, 0u);
    cr_assert_eq(r.discarded, 4u);
    gf_result_free(&r);
}

static void tenth_of_a_thousand(gf_case *tc)
{
    gf_assume(tc, gf_draw_int(tc, 0, 999) % 10 == 0);
}

Test(run, huge_trial_counts_do_not_wrap_limits)
{
    /* 10 * trials + 100 discards wraps to 104 for this trial count; the
     * space (100 held, 900 discarded) runs out first and must pass. */
    gf_property p = {.name = "tenth", .fn = tenth_of_a_thousand};
    gf_options o = quiet_opts(3);
    o.trials = UINT64_C(1844674407370955162);
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_PASSED, "%s", r.report ? r.report : "");
    cr_assert_eq(r.passed, 100u);
    cr_assert_eq(r.discarded, 900u);
    cr_assert(r.exhausted);
    gf_result_free(&r);
}

Test(run, gives_up_when_everything_is_discarded)
{
    gf_property p = {.name = "assume_never", .fn = assume_never};
    gf_options o = quiet_opts(3);
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_GAVE_UP);
    cr_assert(strstr(r.message, "gf_assume"), "%s", r.message);
    gf_result_free(&r);
}

static void draws_forever(gf_case *tc)
{
    for (;;)
        (void)gf_draw_bool(tc);
}

Test(run, too_many_choices_is_reported)
{
    gf_property p = {.name = "draws_forever", .fn = draws_forever};
    gf_options o = quiet_opts(3);
    o.trials = 5;
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_GAVE_UP);
    cr_assert(strstr(r.message, "choices"), "%s", r.message);
    gf_result_free(&r);
}

static void null_deref(gf_case *tc)
{
    if (gf_draw_int(tc, 0, 100) > 50) {
        /* A real invalid store (not raise()), at an address that is not
         * NULL so UBSan's null check leaves it to the signal. */
        volatile uintptr_t bad = 16;
        volatile int *p = (volatile int *)bad;
        *p = 1;
    }
}

static unsigned recurse(volatile unsigned depth)
{
    volatile unsigned char pad[256];
    pad[depth % 256] = (unsigned char)depth;
    return depth == 0 ? pad[0] : recurse(depth + 1) + pad[depth % 256];
}

static void overflows_stack(gf_case *tc)
{
    if (gf_draw_int(tc, 0, 100) >= 30)
        (void)recurse(1);
}

static void exits(gf_case *tc)
{
    if (gf_draw_int(tc, 0, 100) >= 40)
        exit(3);
}

static void aborts(gf_case *tc)
{
    if (gf_draw_int(tc, 0, 100) >= 10)
        abort();
}

static void fpe(gf_case *tc)
{
    if (gf_draw_int(tc, 0, 100) >= 20)
        raise(SIGFPE);
}

Test(run, crashes_are_failures_that_shrink)
{
    struct {
        gf_property p;
        const char *origin;
        const char *value;
    } cases[] = {
        {{.name = "null_deref", .fn = null_deref}, "crash (SIGSEGV)", "#1 = 51\n"},
        {{.name = "aborts", .fn = aborts}, "crash (SIGABRT)", "#1 = 10\n"},
        {{.name = "fpe", .fn = fpe}, "crash (SIGFPE)", "#1 = 20\n"},
        {{.name = "overflows_stack", .fn = overflows_stack}, "stack overflow",
         "#1 = 30\n"},
        {{.name = "exits", .fn = exits}, "exit(3)", "#1 = 40\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gf_options o = quiet_opts(11);
        gf_result r;
        cr_assert_eq(gf_run(&cases[i].p, &o, &r), GF_FAILED);
        cr_assert_str_eq(r.origin, cases[i].origin);
        cr_assert_str_eq(r.counterexample, cases[i].value);
        gf_result_free(&r);
    }
}

static int flaky_calls;

static void flaky(gf_case *tc)
{
    (void)gf_draw_int(tc, 0, 10);
    GF_ASSERT(tc, flaky_calls++ != 3);
}

Test(run, a_failure_that_does_not_reproduce_is_flaky)
{
    gf_property p = {.name = "flaky", .fn = flaky};
    gf_options o = quiet_opts(5);
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_FAILED);
    cr_assert(r.flaky);
    cr_assert(strstr(r.report, "FLAKY"), "%s", r.report);
    gf_result_free(&r);
}

static void misuse(gf_case *tc)
{
    (void)gf_draw_int(tc, 5, 1);
}

Test(run, misuse_is_an_error_not_a_counterexample)
{
    gf_property p = {.name = "misuse", .fn = misuse};
    gf_options o = quiet_opts(5);
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_ERROR);
    cr_assert(strstr(r.message, "lo > hi"), "%s", r.message);
    cr_assert(strstr(r.report, "ERROR misuse"), "%s", r.report);
    cr_assert(!strstr(r.report, "replay"), "nothing to replay: %s", r.report);
    gf_result_free(&r);
}

static void compares(gf_case *tc)
{
    int64_t a = gf_draw_int(tc, 0, 100);
    GF_ASSERT_EQ_INT(tc, a * 2, a + 3);
}

Test(run, comparison_assertions_print_both_sides)
{
    gf_property p = {.name = "compares", .fn = compares};
    gf_options o = quiet_opts(5);
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_FAILED);
    cr_assert(strstr(r.message, "a * 2 = 0"), "%s", r.message);
    cr_assert(strstr(r.message, "a + 3 = 3"), "%s", r.message);
    gf_result_free(&r);
}

/* Macros the user names in an assertion: the report must show the names,
 * not what the preprocessor made of them. */
#define STREAM_END_ 1
#define LIMIT_ 0x7fffffff

static void compares_macros(gf_case *tc)
{
    int64_t rc = gf_draw_int(tc, 2, 5);
    GF_ASSERT_EQ_INT(tc, rc, STREAM_END_);
}

Test(run, assertions_print_the_source_text_not_its_expansion)
{
    gf_property p = {.name = "compares_macros", .fn = compares_macros};
    gf_options o = quiet_opts(5);
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_FAILED);
    cr_assert(strstr(r.message, "rc == STREAM_END_"), "%s", r.message);
    cr_assert(strstr(r.message, "STREAM_END_ = 1"), "%s", r.message);
    gf_result_free(&r);
}

static void compares_limit(gf_case *tc)
{
    uint64_t n = gf_draw_uint(tc, 0, 9);
    GF_ASSERT_GT_UINT(tc, n, LIMIT_);
}

static void compares_errno(gf_case *tc)
{
    (void)gf_draw_bool(tc);
    errno = 0;
    GF_ASSERT_NE_INT(tc, errno, 0);
}

Test(run, assertions_name_errno_and_limits_as_written)
{
    gf_property p = {.name = "compares_limit", .fn = compares_limit};
    gf_options o = quiet_opts(5);
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_FAILED);
    cr_assert(strstr(r.message, "n > LIMIT_"), "%s", r.message);
    cr_assert(!strstr(r.message, "0x7fffffff >"), "%s", r.message);
    gf_result_free(&r);

    p = (gf_property){.name = "compares_errno", .fn = compares_errno};
    cr_assert_eq(gf_run(&p, &o, &r), GF_FAILED);
    cr_assert(strstr(r.message, "errno != 0"), "%s", r.message);
    cr_assert(!strstr(r.message, "__errno"), "%s", r.message);
    gf_result_free(&r);
}

/* ---- typed and named draws --------------------------------------------- */

static void typed_draws(gf_case *tc)
{
    int32_t x = gf_draw_i32(tc, gf_int32(), "x");
    uint16_t port;
    GF_DRAW(tc, gf_uint16(), port);
    char *s = gf_draw_str(tc, gf_ascii(0, 4), "s");
    int64_t n = gf_draw_int_named(tc, 0, 9, "n");
    bool flag = gf_draw_bool_named(tc, "flag");
    size_t len;
    (void)gf_draw_bytes_named(tc, 0, 3, &len, "raw");
    (void)flag;
    GF_ASSERT(tc, x < 5 || port > 7 || strlen(s) > 100 || n > 20);
}

Test(run, typed_and_named_draws_name_their_values)
{
    gf_property p = {.name = "typed_draws", .fn = typed_draws};
    gf_options o = quiet_opts(100);
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_FAILED, "%s", r.message);
    cr_assert_str_eq(r.counterexample, "x = 5\nport = 0\ns = \"\"\nn = 0\n"
                                       "flag = false\nraw = \"\"\n");
    gf_result_free(&r);
}

static void reads_int32_as_int64(gf_case *tc)
{
    int64_t v = gf_draw_i64(tc, gf_int32(), "v");
    GF_ASSERT(tc, v == v);
}

static void reads_int_as_text(gf_case *tc)
{
    char *s = gf_draw_str(tc, gf_int32(), "s");
    GF_ASSERT(tc, s != NULL);
}

Test(run, a_typed_draw_of_the_wrong_type_is_misuse)
{
    gf_property p = {.name = "wide", .fn = reads_int32_as_int64};
    gf_options o = quiet_opts(5);
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_ERROR);
    cr_assert(strstr(r.message, "gf_draw_i64 reads int64_t, but generator "
                                "int32 gives int32_t"), "%s", r.message);
    gf_result_free(&r);

    p = (gf_property){.name = "text", .fn = reads_int_as_text};
    cr_assert_eq(gf_run(&p, &o, &r), GF_ERROR);
    cr_assert(strstr(r.message, "gf_draw_str reads char * (text)"), "%s",
              r.message);
    gf_result_free(&r);
}

static void long_text(gf_case *tc)
{
    size_t len;
    const uint8_t *raw = gf_draw_bytes_named(tc, 4000, 4000, &len, "raw");
    GF_ASSERT(tc, raw[0] == 1);
}

Test(run, a_long_value_is_shown_with_its_middle_elided)
{
    gf_property p = {.name = "long_text", .fn = long_text};
    gf_options o = quiet_opts(5);
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_FAILED, "%s", r.message);
    /* The report cuts the middle out and says how long the value is... */
    const char *line = strstr(r.report, "  raw = \"");
    cr_assert(line, "%s", r.report);
    const char *end = strchr(line, '\n');
    cr_assert(strstr(line, "characters in all; the "), "%s", r.report);
    cr_assert_lt(end - line, 600, "%s", r.report);
    cr_assert_eq(end[-1], '"', "ends as a literal: %s", r.report);
    /* ...and the result keeps it whole. */
    cr_assert_gt(strlen(r.counterexample), 4000);
    gf_result_free(&r);

    /* --verbose prints it whole. */
    o.verbose = 1;
    cr_assert_eq(gf_run(&p, &o, &r), GF_FAILED, "%s", r.message);
    cr_assert(!strstr(r.report, "characters in all"), "%.300s", r.report);
    gf_result_free(&r);
}

/* ---- the arena ------------------------------------------------------------ */

static void uses_arena(gf_case *tc)
{
    for (int k = 0; k < 50; k++) {
        size_t n = (size_t)gf_draw_int(tc, 1, 200000);
        unsigned char *p = gf_alloc(tc, n);
        cr_assert_eq((uintptr_t)p % alignof(max_align_t), 0u);
        memset(p, 0xAB, n);
    }
    char *s = gf_sprintf(tc, "%d-%s", 42, "x");
    cr_assert_str_eq(s, "42-x");
    int v[3] = {1, 2, 3};
    int *copy = gf_memdup(tc, v, sizeof v);
    cr_assert(copy != v && copy[2] == 3);
}

Test(run, arena_allocations_are_aligned_and_reused)
{
    gf_property p = {.name = "uses_arena", .fn = uses_arena};
    gf_options o = quiet_opts(9);
    o.trials = 200;
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_PASSED);
    gf_result_free(&r);
}


/* ---- the edge bias of doubles ----------------------------------------------- */

static void never_nan(gf_case *tc)
{
    GF_ASSERT(tc, !isnan(gf_draw_double(tc, -INFINITY, INFINITY, 0)));
}

static void never_negative_zero(gf_case *tc)
{
    double d = gf_draw_double(tc, -INFINITY, INFINITY, 0);
    GF_ASSERT(tc, !(d == 0 && signbit(d)));
}

static void never_infinite(gf_case *tc)
{
    GF_ASSERT(tc, !isinf(gf_draw_double(tc, -INFINITY, INFINITY, 0)));
}

/* With the default 100 trials, a property broken only by NaN, by -0.0 or
 * by infinity fails on nearly every seed. */
Test(run, special_doubles_come_within_100_cases)
{
    gf_property_fn fns[] = {never_nan, never_negative_zero, never_infinite};
    const char *names[] = {"never_nan", "never_negative_zero", "never_infinite"};
    for (size_t k = 0; k < 3; k++) {
        int found = 0;
        for (uint64_t seed = 1; seed <= 100; seed++) {
            gf_property p = {.name = names[k], .fn = fns[k]};
            gf_options o = quiet_opts(seed);
            o.max_shrink_calls = 1;
            gf_result r;
            found += gf_run(&p, &o, &r) == GF_FAILED;
            gf_result_free(&r);
        }
        cr_assert_geq(found, 95, "%s: found on %d of 100 seeds", names[k], found);
    }
}

static void clamped_suggestion(gf_case *tc)
{
    int64_t v = gf_draw_int_suggested(tc, 10, 20, INT64_MAX);
    GF_ASSERT(tc, v >= 10 && v <= 20);
}

/* gf_draw_int_suggested: generated cases hold the suggested value, and a
 * failure found there shrinks like any integer (to the threshold). */
static int64_t suggested_seen[64];
static size_t nsuggested;

static void suggested_values(gf_case *tc)
{
    int64_t v = gf_draw_int_suggested(tc, -1000, 1000000, 777777);
    if (nsuggested < 64)
        suggested_seen[nsuggested++] = v;
    GF_ASSERT(tc, v < 5000);
}

Test(run, suggested_values_are_generated_and_shrink)
{
    gf_property p = {.name = "suggested", .fn = suggested_values};
    gf_options o = {.seed = 3, .seed_set = true, .quiet = true};
    gf_result r;
    nsuggested = 0;
    cr_assert_eq(gf_run(&p, &o, &r), GF_FAILED);
    /* The first case is the simplest (0); the first generated one is the
     * suggestion. */
    cr_assert_geq(nsuggested, 2u);
    cr_assert_eq(suggested_seen[0], 0);
    cr_assert_eq(suggested_seen[1], 777777);
    cr_assert_str_eq(r.counterexample, "#1 = 5000\n");
    gf_result_free(&r);
    /* A suggestion outside the range is clamped. */
    gf_property q = {.name = "clamped", .fn = clamped_suggestion};
    cr_assert_eq(gf_run(&q, &o, &r), GF_PASSED, "%s", r.message ? r.message : "");
    gf_result_free(&r);
}

/* The size schedule is the documented one: case i of a run of N trials
 * has the hint i / (N / 2) until N / 2, so --trials is the option that
 * changes a seed's cases (docs/generators.md, Sizes). */
#define HINT_LOG 64
static double hint_log[HINT_LOG];
static size_t hint_n;

static void log_hints(gf_case *tc)
{
    gf_draw_int(tc, 0, 1000000000);
    if (hint_n < HINT_LOG)
        hint_log[hint_n++] = gf_size_hint(tc);
}

Test(run, size_ramp_is_half_the_trials)
{
    gf_property p = {.name = "ramp", .fn = log_hints};
    hint_n = 0;
    gf_run(&p, &(gf_options){.seed = 9, .seed_set = true, .trials = 100,
                             .quiet = true, .jobs = 1}, NULL);
    cr_assert_geq(hint_n, 50);
    double full[HINT_LOG];
    memcpy(full, hint_log, sizeof full);
    /* Duplicates do not advance the ramp: hint k/50 at call i >= k. */
    for (size_t i = 0; i < 50; i++) {
        double k = full[i] * 50;
        cr_assert_float_eq(k, round(k), 1e-9, "call %zu: %g", i, full[i]);
        cr_assert_leq(k, (double)i + 1e-9);
        cr_assert(i == 0 || full[i] >= full[i - 1]);
    }
    cr_assert_geq(full[49], 0.8);
    hint_n = 0;
    gf_run(&p, &(gf_options){.seed = 9, .seed_set = true, .trials = 100,
                             .max_size = 0.5, .quiet = true, .jobs = 1}, NULL);
    for (size_t i = 0; i < 20; i++)
        cr_assert_float_eq(hint_log[i], full[i] / 2, 1e-12, "call %zu", i);
}

/* However long the run, a share of cases stays small. */
static unsigned small_hints, all_hints;
static void count_small(gf_case *tc)
{
    all_hints++;
    small_hints += gf_size_hint(tc) < 0.25;
    gf_draw_int(tc, 0, 1000000);
}

Test(run, small_sizes_at_every_length)
{
    gf_property p = {.name = "small", .fn = count_small};
    small_hints = all_hints = 0;
    gf_run(&p, &(gf_options){.seed = 3, .seed_set = true, .trials = 4000,
                             .quiet = true, .jobs = 1}, NULL);
    cr_assert_gt(all_hints, 3000);
    cr_assert_gt(small_hints * 6, all_hints, "%u small of %u", small_hints,
                 all_hints);
}

/* In the small cases after the ramp, ranges lean small too: a count of
 * 0..100 is often 2 or 3, and two keys of -1000..1000 often equal, so a
 * tiny collection with a repeated key keeps coming however long the run
 * (bench/bugs.c's bst_sized_delete needs it). */
static unsigned tiny_with_repeat, tiny_cases;
static void count_tiny(gf_case *tc)
{
    int64_t n = gf_draw_int(tc, 0, 100);
    int64_t a = gf_draw_int(tc, -1000, 1000);
    int64_t b = gf_draw_int(tc, -1000, 1000);
    tiny_cases++;
    tiny_with_repeat += n >= 2 && n <= 3 && a == b;
}

Test(run, small_cases_after_the_ramp_lean_small_in_ranges)
{
    gf_property p = {.name = "tiny", .fn = count_tiny};
    tiny_with_repeat = tiny_cases = 0;
    for (uint64_t seed = 1; seed <= 30; seed++)
        gf_run(&p, &(gf_options){.seed = seed, .seed_set = true,
                                 .trials = 1000, .quiet = true, .jobs = 1},
               NULL);
    /* About one case in 290; without the lean one in 1100. */
    cr_assert_gt(tiny_with_repeat * 500, tiny_cases,
                 "%u tiny cases with a repeat of %u", tiny_with_repeat,
                 tiny_cases);
}

/* gf_size_range pins a property's sizes; out-of-range bounds are misuse. */
static double pinned_lo = 1, pinned_hi = 0;
static void pinned(gf_case *tc)
{
    gf_size_range(tc, 0.3, 0.3);
    double h = gf_size_hint(tc);
    if (h < pinned_lo) pinned_lo = h;
    if (h > pinned_hi) pinned_hi = h;
    gf_draw_int(tc, 0, 1000000);
}
static void bad_range(gf_case *tc) { gf_size_range(tc, 0.5, 2); }

Test(run, size_range_pins_sizes)
{
    gf_property p = {.name = "pinned", .fn = pinned};
    gf_run(&p, &(gf_options){.seed = 1, .seed_set = true, .trials = 300,
                             .quiet = true, .jobs = 1}, NULL);
    cr_assert_float_eq(pinned_lo, 0.3, 1e-12);
    cr_assert_float_eq(pinned_hi, 0.3, 1e-12);
    gf_property q = {.name = "bad", .fn = bad_range};
    gf_result res;
    gf_status st = gf_run(&q, &(gf_options){.seed = 1, .seed_set = true,
                                            .quiet = true, .jobs = 1}, &res);
    cr_assert_eq(st, GF_ERROR);
    gf_result_free(&res);
}
