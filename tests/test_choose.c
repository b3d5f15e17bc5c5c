/*
 * test_choose.c - generators/choose.c: gf_sampled_from_int,
 * gf_sampled_from_str and gf_permutation.  What each draws (every element
 * and every permutation of three comes, the first case is the simplest),
 * what it prints, and what it shrinks to.
 */
#include "helpers.h"

static unsigned long seen[8], draws;

static void reset_counts(void)
{
    memset(seen, 0, sizeof seen);
    draws = 0;
}

static const int64_t primes[] = {2, 3, 5, 7, 11};

static void prop_sampled_int(gf_case *tc)
{
    int64_t v = *(int64_t *)gf_draw(tc, gf_sampled_from_int(primes, 5));
    size_t k = 0;
    while (k < 5 && primes[k] != v)
        k++;
    GF_ASSERT(tc, k < 5);
    seen[k]++;
    draws++;
}

Test(sampled_from, every_element_and_only_those)
{
    reset_counts();
    RUN_PASSING(prop_sampled_int, 3, 100);
    for (size_t k = 0; k < 5; k++)
        cr_expect_gt(seen[k], 0, "%lld never drawn", (long long)primes[k]);
}

/* Shrinks toward the list's first element: the smallest failing one is
 * the earliest in the list, not the smallest number. */
static const int64_t ordered[] = {40, 7, 90, 3, 50};

static void prop_not_big(gf_case *tc)
{
    int64_t v = *(int64_t *)gf_draw_named(tc, gf_sampled_from_int(ordered, 5),
                                          "v");
    GF_ASSERT(tc, v < 45);
}

Test(sampled_from, shrinks_toward_the_first_element)
{
    for (uint64_t seed = 1; seed <= 5; seed++)
        expect_shrunk(prop_not_big, seed, "v = 90\n");
}

static const char *const colours[] = {"red", "green", "blue \"sky\""};

static void prop_not_blue(gf_case *tc)
{
    /* A text generator's gf_draw returns the string itself. */
    const char *s = gf_draw_named(tc, gf_sampled_from_str(colours, 3),
                                  "colour");
    GF_ASSERT(tc, strncmp(s, "blue", 4) != 0);
}

Test(sampled_from, strings_print_as_literals)
{
    expect_shrunk(prop_not_blue, 2, "colour = \"blue \\\"sky\\\"\"\n");
}

static void prop_sampled_str_copied(gf_case *tc)
{
    char name[8] = "temp";
    const char *const list[] = {name};
    const gf_gen *g = gf_sampled_from_str(list, 1);
    strcpy(name, "XXXX"); /* the generator keeps its own copy */
    GF_ASSERT_STR_EQ(tc, (const char *)gf_draw(tc, g), "temp");
}

Test(sampled_from, the_list_is_copied)
{
    RUN_PASSING(prop_sampled_str_copied, 1, 1);
}

static void prop_sampled_empty(gf_case *tc)
{
    (void)gf_draw(tc, gf_sampled_from_int(NULL, 0));
}

Test(sampled_from, an_empty_list_is_misuse)
{
    gf_result r;
    cr_expect_eq(run_property("empty", prop_sampled_empty, 1, 10, &r),
                 GF_ERROR);
    cr_expect(r.message && strstr(r.message, "empty"), "%s",
              r.message ? r.message : "");
    gf_result_free(&r);
}

/* ---- permutations ------------------------------------------------------- */

static void prop_permutation3(gf_case *tc)
{
    const gf_array_value *v = gf_draw(tc, gf_permutation(3));
    const uint32_t *p = v->items;
    GF_ASSERT_EQ_UINT(tc, v->len, 3);
    bool used[3] = {false, false, false};
    for (size_t i = 0; i < 3; i++) {
        GF_ASSERT_LT_UINT(tc, p[i], 3);
        GF_ASSERT(tc, !used[p[i]]);
        used[p[i]] = true;
    }
    /* Lehmer-like code of the six orders. */
    unsigned code = p[0] * 2 + (p[1] > p[2]);
    if (draws == 0)
        seen[6] = code;
    seen[code]++;
    draws++;
}

Test(permutation, every_order_of_three_and_identity_first)
{
    reset_counts();
    RUN_PASSING(prop_permutation3, 4, 100);
    for (unsigned c = 0; c < 6; c++)
        cr_expect_gt(seen[c], 0, "order %u never drawn", c);
    cr_expect_eq(seen[6], 0, "the first case is not the identity");
}

/* A sort that breaks when the first element is not the smallest: the
 * shrunk input is one swap away from the identity. */
static void prop_first_is_smallest(gf_case *tc)
{
    const gf_array_value *v = gf_draw_named(tc, gf_permutation(6), "p");
    GF_ASSERT(tc, ((const uint32_t *)v->items)[0] == 0);
}

Test(permutation, shrinks_to_one_swap)
{
    for (uint64_t seed = 1; seed <= 5; seed++)
        expect_shrunk(prop_first_is_smallest, seed, "p = {1, 0, 2, 3, 4, 5}\n");
}

static void prop_permutation_sizes(gf_case *tc)
{
    const gf_array_value *v0 = gf_draw(tc, gf_permutation(0));
    const gf_array_value *v1 = gf_draw(tc, gf_permutation(1));
    GF_ASSERT_EQ_UINT(tc, v0->len, 0);
    GF_ASSERT_EQ_UINT(tc, v1->len, 1);
    GF_ASSERT_EQ_UINT(tc, ((const uint32_t *)v1->items)[0], 0);
}

Test(permutation, empty_and_single)
{
    RUN_PASSING(prop_permutation_sizes, 1, 1);
}
