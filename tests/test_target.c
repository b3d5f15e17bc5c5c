/*
 * test_target.c - gf_target (src/target.c): the search climbs toward high
 * scores, finds the quadratic input of examples/quadratic.c within 1,000
 * cases where random generation alone does not, shrinks that failure with
 * the score kept over the bound, and reports each label's best score.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define QUADRATIC_NO_MAIN
#include "../examples/quadratic.c"

/* The example's property without gf_target: random generation alone. */
static void random_only(gf_case *tc)
{
    size_t n;
    int32_t *xs = gf_draw_array_named(tc, gf_int32(), 0, MAX_LEN, &n, "xs");
    uint64_t steps = quadratic_sort_steps(tc, xs, n);
    GF_ASSERT(tc, !quadratic_too_slow(steps, n));
}

static gf_status run_seed(const gf_property *p, uint64_t seed, gf_result *r)
{
    gf_options o = {.seed = seed, .seed_set = true, .trials = 1000,
                    .quiet = true};
    return gf_run(p, &o, r);
}

Test(target, finds_the_quadratic_input_where_random_does_not)
{
    gf_property without = {.name = "quicksort_random_only", .fn = random_only};
    unsigned with_found = 0, without_found = 0;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        gf_result r;
        if (run_seed(&gf_prop_quicksort_stays_n_log_n, seed, &r) == GF_FAILED) {
            with_found++;
            cr_expect(r.cases <= 1000, "seed %" PRIu64 ": %" PRIu64 " cases",
                      seed, r.cases);
            /* Shrunk, and still over the bound: the note says how many
             * comparisons for how many values. */
            const char *note = strstr(r.report, "note: ");
            unsigned long long steps = 0;
            size_t n = 0;
            cr_assert(note && sscanf(note, "note: %llu comparisons for %zu",
                                     &steps, &n) == 2, "%s", r.report);
            cr_expect(quadratic_too_slow(steps, n), "%s", r.report);
            cr_expect_eq(n, MIN_LEN, "not shrunk to %d values:\n%s", MIN_LEN,
                         r.report);
        }
        gf_result_free(&r);
        if (run_seed(&without, seed, &r) == GF_FAILED)
            without_found++;
        gf_result_free(&r);
    }
    cr_log_info("found within 1000 cases: with gf_target on %u of 10 seeds, "
                "random alone on %u of 10", with_found, without_found);
    cr_expect_geq(with_found, 9, "gf_target found it on %u of 10 seeds",
                  with_found);
    cr_expect_eq(without_found, 0, "random generation found it on %u seeds",
                 without_found);
}

/* The best score climbs to the top of the range, and --stats says so. */
static void climbs(gf_case *tc)
{
    int64_t x = gf_draw_int_named(tc, 0, 1000000, "x");
    int64_t y = gf_draw_int_named(tc, 0, 1000000, "y");
    /* Highest at x == y == 777777: not an edge value, so only climbing
     * gets close. */
    double dx = (double)(x - 777777), dy = (double)(y - 777777);
    gf_target(tc, -(dx < 0 ? -dx : dx) - (dy < 0 ? -dy : dy), "closeness");
}

Test(target, reports_the_best_score_and_its_case)
{
    gf_property p = {.name = "climbs", .fn = climbs};
    gf_options o = {.seed = 5, .seed_set = true, .trials = 2000,
                    .quiet = true, .stats = true};
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_PASSED);
    const char *t = strstr(r.report, "target 'closeness': best score ");
    cr_assert(t, "%s", r.report);
    double best = 0;
    cr_assert(sscanf(t, "target 'closeness': best score %lf", &best) == 1);
    /* Random draws land about 250000 away on each axis; climbing ends
     * within a few steps of the top. */
    cr_expect_gt(best, -1000.0, "best %g:\n%s", best, r.report);
    cr_expect(strstr(t, "x = ") && strstr(t, "y = ") &&
                  strstr(t, "replay: --replay gf1:"),
              "%s", r.report);
    gf_result_free(&r);
}

/* Without gf_target nothing changes: the same seed, the same cases. */
static uint64_t draws_seen;
static void plain(gf_case *tc)
{
    draws_seen += (uint64_t)gf_draw_int(tc, 0, 1 << 20);
}

static void plain_scored(gf_case *tc)
{
    draws_seen += (uint64_t)gf_draw_int(tc, 0, 1 << 20);
    gf_target(tc, NAN, "ignored"); /* NaN scores are ignored */
}

Test(target, nan_scores_change_nothing)
{
    gf_property a = {.name = "plain", .fn = plain};
    gf_property b = {.name = "plain", .fn = plain_scored};
    gf_options o = {.seed = 9, .seed_set = true, .trials = 300, .quiet = true};
    draws_seen = 0;
    gf_run(&a, &o, NULL);
    uint64_t sum_a = draws_seen;
    draws_seen = 0;
    gf_run(&b, &o, NULL);
    cr_expect_eq(draws_seen, sum_a);
}
