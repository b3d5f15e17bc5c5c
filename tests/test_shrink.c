/*
 * test_shrink.c - the first shrinker (src/shrink.c): each pass has a
 * property that only it can shrink to the ideal, checked over many seeds.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "run.h"

#define SEEDS 20

/* The values of the last run: after gf_run, those of the shrunk case. */
static int64_t xs[256];
static size_t nxs;

static void draw_list(gf_case *tc, int64_t lo, int64_t hi)
{
    gf_many m;
    gf_many_init(tc, &m, 0, 256);
    nxs = 0;
    while (gf_many_more(tc, &m))
        xs[nxs++] = gf_draw_int(tc, lo, hi);
}

static void shrink_each_seed(gf_property_fn fn, const char *name,
                             void (*check)(uint64_t seed))
{
    gf_property p = {.name = name, .fn = fn};
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        gf_options o = {.seed = seed, .seed_set = true, .quiet = true,
                        .trials = 1000};
        gf_result r;
        cr_assert_eq(gf_run(&p, &o, &r), GF_FAILED, "%s seed %llu: not found",
                     name, (unsigned long long)seed);
        cr_assert(!r.flaky);
        check(seed);
        gf_result_free(&r);
    }
}

/* Span deletion and minimisation: a list with an element above 100. */
static void no_element_above_100(gf_case *tc)
{
    draw_list(tc, INT64_MIN / 2, INT64_MAX / 2);
    for (size_t i = 0; i < nxs; i++)
        GF_ASSERT(tc, xs[i] <= 100);
}

static void is_101(uint64_t seed)
{
    cr_assert_eq(nxs, 1u, "seed %llu: %zu elements", (unsigned long long)seed, nxs);
    cr_assert_eq(xs[0], 101);
}

Test(shrink, deletes_elements_and_minimises)
{
    shrink_each_seed(no_element_above_100, "no_element_above_100", is_101);
}

/* Lowering equal values together: a list with a repeated element. */
static void no_duplicates(gf_case *tc)
{
    draw_list(tc, -1000, 1000);
    gf_assume(tc, nxs < 50);
    for (size_t i = 0; i < nxs; i++)
        for (size_t j = i + 1; j < nxs; j++)
            GF_ASSERT(tc, xs[i] != xs[j]);
}

static void is_two_zeros(uint64_t seed)
{
    cr_assert_eq(nxs, 2u, "seed %llu: %zu elements", (unsigned long long)seed, nxs);
    cr_assert(xs[0] == 0 && xs[1] == 0, "seed %llu: {%lld, %lld}",
              (unsigned long long)seed, (long long)xs[0], (long long)xs[1]);
}

Test(shrink, lowers_equal_values_together)
{
    shrink_each_seed(no_duplicates, "no_duplicates", is_two_zeros);
}

/* Bytes: shorter, then lower. */
static uint8_t bytes[64];
static size_t nbytes;

static void no_ff_byte(gf_case *tc)
{
    const uint8_t *p = gf_draw_bytes(tc, 0, 64, &nbytes);
    memcpy(bytes, p, nbytes);
    GF_ASSERT(tc, memchr(p, 0xFF, nbytes) == NULL);
}

static void is_single_ff(uint64_t seed)
{
    cr_assert_eq(nbytes, 1u, "seed %llu: %zu bytes", (unsigned long long)seed, nbytes);
    cr_assert_eq(bytes[0], 0xFF);
}

Test(shrink, shortens_and_lowers_bytes)
{
    shrink_each_seed(no_ff_byte, "no_ff_byte", is_single_ff);
}

/* Doubles: toward the simplest value that still fails. */
static double dval;

static void at_most_one_and_a_half(gf_case *tc)
{
    dval = gf_draw_double(tc, -INFINITY, INFINITY, GF_DOUBLE_NO_NAN);
    GF_ASSERT(tc, dval <= 1.5);
}

static void is_two(uint64_t seed)
{
    cr_assert_eq(dval, 2.0, "seed %llu: %a", (unsigned long long)seed, dval);
}

Test(shrink, minimises_doubles)
{
    shrink_each_seed(at_most_one_and_a_half, "at_most_one_and_a_half", is_two);
}

static void not_between(gf_case *tc)
{
    dval = gf_draw_double(tc, 0, 1, 0);
    GF_ASSERT(tc, !(dval > 0.3 && dval < 0.4));
}

static void is_simple_fraction(uint64_t seed)
{
    /* The simplest double in (0.3, 0.4): fewest fraction bits. */
    cr_assert_eq(dval, 0.375, "seed %llu: %.17g", (unsigned long long)seed, dval);
}

Test(shrink, finds_the_simplest_fraction)
{
    shrink_each_seed(not_between, "not_between", is_simple_fraction);
}

/* Forced choices are never edited. */
static int64_t forced_seen;

static void forced_stays(gf_case *tc)
{
    forced_seen = gf_force_int(tc, 0, 100, 77);
    int64_t x = gf_draw_int(tc, 0, 1000);
    GF_ASSERT(tc, x < 10);
}

static void forced_is_77(uint64_t seed)
{
    cr_assert_eq(forced_seen, 77, "seed %llu", (unsigned long long)seed);
}

Test(shrink, leaves_forced_choices_alone)
{
    shrink_each_seed(forced_stays, "forced_stays", forced_is_77);
}

/* The shrink budget stops shrinking and says so. */
static void big_list_fails(gf_case *tc)
{
    draw_list(tc, 0, 1000000);
    GF_ASSERT(tc, nxs < 5);
}

Test(shrink, budget_is_reported)
{
    /* Three calls without progress: the shrinker stops long before the
     * five-element list is minimal, and says so. */
    gf_property p = {.name = "big_list_fails", .fn = big_list_fails};
    gf_options o = {.seed = 1, .seed_set = true, .quiet = true,
                    .max_shrink_calls = 3};
    gf_result r;
    cr_assert_eq(gf_run(&p, &o, &r), GF_FAILED);
    cr_assert(strstr(r.report, "budget"), "%s", r.report);
    cr_assert(strstr(r.report, "replay:"), "%s", r.report);
    gf_result_free(&r);

    o.max_shrink_calls = 0; /* the default: it finishes */
    cr_assert_eq(gf_run(&p, &o, &r), GF_FAILED);
    cr_assert(!strstr(r.report, "budget"), "%s", r.report);
    cr_assert_eq(nxs, 5u);
    for (size_t i = 0; i < nxs; i++)
        cr_assert_eq(xs[i], 0);
    gf_result_free(&r);
}
