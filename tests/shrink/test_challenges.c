/*
 * test_challenges.c - the shrink-quality suite: every shrinking challenge
 * (challenges.c) must shrink to its ideal counterexample on each of seeds
 * 1..SEEDS.
 *
 * A seed that misses is reported with what the shrinker reached, the ideal,
 * the calls it spent and whether it stopped at its budget, and the other
 * seeds still run, so one failing test shows every wrong answer.  The
 * ideals are the definition of "done" for the shrinker: never loosen one
 * to make this pass.  Timing is measured by bench/shrink, never here.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "challenges.h"

#define SEEDS 10

/* Run c on one seed; cr_expect one failure, not flaky, shrunk to the
 * ideal. */
static void expect_ideal(const challenge *c, uint64_t seed)
{
    gf_result r;
    gf_status st = challenge_run(c, seed, &r);
    cr_expect_eq(st, GF_FAILED, "%s seed %llu: no counterexample (status %d)",
                 c->name, (unsigned long long)seed, (int)st);
    if (st == GF_FAILED) {
        bool budget = r.report && strstr(r.report, "budget") != NULL;
        cr_expect(!r.flaky, "%s seed %llu: the shrunk case was flaky",
                  c->name, (unsigned long long)seed);
        /* Each property fails at one place only. */
        cr_expect_eq(r.failures, 1, "%s seed %llu: %u distinct failures:\n%s",
                     c->name, (unsigned long long)seed, r.failures, r.report);
        if (!c->is_ideal()) {
            char *got = c->describe();
            cr_expect_fail("%s seed %llu: shrank to %s, ideal %s (%llu "
                           "shrink calls%s)",
                           c->name, (unsigned long long)seed, got, c->ideal,
                           (unsigned long long)r.shrink_calls,
                           budget ? ", stopped at the budget" : "");
            free(got);
        }
    }
    gf_result_free(&r);
}

static void expect_ideal_on_every_seed(const char *name)
{
    const challenge *c = challenge_find(name);
    cr_assert_not_null(c, "no challenge named %s", name);
    for (uint64_t seed = 1; seed <= SEEDS; seed++)
        expect_ideal(c, seed);
}

Test(challenges, reverse)
{
    expect_ideal_on_every_seed("reverse");
}

Test(challenges, large_union_list)
{
    expect_ideal_on_every_seed("large_union_list");
}

Test(challenges, bound5)
{
    expect_ideal_on_every_seed("bound5");
}

Test(challenges, bound5_unbounded)
{
    expect_ideal_on_every_seed("bound5_unbounded");
}

Test(challenges, calculator)
{
    expect_ideal_on_every_seed("calculator");
}

Test(challenges, lengthlist)
{
    expect_ideal_on_every_seed("lengthlist");
}

Test(challenges, difference_zero)
{
    expect_ideal_on_every_seed("difference_zero");
}

Test(challenges, difference_small)
{
    expect_ideal_on_every_seed("difference_small");
}

Test(challenges, difference_one)
{
    expect_ideal_on_every_seed("difference_one");
}

Test(challenges, nestedlists)
{
    expect_ideal_on_every_seed("nestedlists");
}

Test(challenges, binheap)
{
    expect_ideal_on_every_seed("binheap");
}

Test(challenges, uint32_sum_below_1000)
{
    expect_ideal_on_every_seed("uint32_sum_below_1000");
}

Test(challenges, no_element_above_100)
{
    expect_ideal_on_every_seed("no_element_above_100");
}

/* Gadfly's own shapes (shapes.c). */

Test(challenges, ignored_bytes)
{
    expect_ideal_on_every_seed("ignored_bytes");
}

Test(challenges, equal_strings)
{
    expect_ideal_on_every_seed("equal_strings");
}

Test(challenges, equal_doubles)
{
    expect_ideal_on_every_seed("equal_doubles");
}

Test(challenges, json_nul_key)
{
    expect_ideal_on_every_seed("json_nul_key");
}

Test(challenges, push_pop)
{
    expect_ideal_on_every_seed("push_pop");
}

Test(challenges, count_after_list)
{
    expect_ideal_on_every_seed("count_after_list");
}

Test(challenges, coupling)
{
    expect_ideal_on_every_seed("coupling");
}

Test(challenges, remove_first)
{
    expect_ideal_on_every_seed("remove_first");
}

Test(challenges, remainder_sum)
{
    expect_ideal_on_every_seed("remainder_sum");
}

Test(challenges, flags_and_count)
{
    expect_ideal_on_every_seed("flags_and_count");
}

Test(challenges, inventory_oversell)
{
    expect_ideal_on_every_seed("inventory_oversell");
}

Test(challenges, transfer_overdraft)
{
    expect_ideal_on_every_seed("transfer_overdraft");
}

Test(challenges, counter_pct)
{
    expect_ideal_on_every_seed("counter_pct");
}

Test(challenges, ring_readers)
{
    expect_ideal_on_every_seed("ring_readers");
}

/* Every challenge in the table has a test above: a new one needs one. */
Test(challenges, every_challenge_has_a_test)
{
    cr_expect_eq(challenge_count, 27,
                 "%zu challenges: add a Test for the new one and update "
                 "this count",
                 challenge_count);
}
