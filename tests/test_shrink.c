/*
 * test_shrink.c - the first shrinker (src/shrink.c): each pass has a
 * property that only it can shrink to the ideal, checked over many seeds.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include <gadfly/sched.h>

#include "engine/run.h"
#include "engine/shrink.h"

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

/* ---- each pass on a hand-made buffer ------------------------------------ */

#include "engine/shrink.h"

/* A buffer of ints and booleans, written as a list of values: B(x) for a
 * boolean, I(x) for a signed integer. */
typedef struct item {
    bool is_bool;
    int64_t v;
} item;
#define B(x) {true, (x)}
#define I(x) {false, (x)}

static void fill(buffer *b, const item *items, size_t n)
{
    buffer_init(b);
    for (size_t i = 0; i < n; i++) {
        choice *c = buffer_push(b);
        memset(c, 0, sizeof *c);
        c->kind = items[i].is_bool ? CHOICE_BOOL : CHOICE_INT;
        c->value = (uint64_t)items[i].v;
        c->spec.lo = (uint64_t)INT64_MIN;
        c->spec.hi = (uint64_t)INT64_MAX;
        c->spec.p = 0.5;
    }
}

/* Run one pass of the shrinker over the hand-made buffer; the property
 * must fail on it.  Returns whether the pass shrank it; *b is the result. */
static bool one_pass(gf_property_fn fn, const char *pass, buffer *b)
{
    gf_property p = {.name = pass, .fn = fn};
    gf_options o = {.quiet = true};
    gf_run_state *r = run_state_new(&p, &o);
    uint32_t origin = 0;
    cr_assert_eq(run_buffer(r, b, &origin), CASE_FAILED,
                 "%s: the hand-made buffer does not fail", pass);
    bool shrank = shrink_one_pass(r, b, origin, pass);
    run_state_delete(r);
    return shrank;
}

static void expect_values(const buffer *b, const item *want, size_t n)
{
    cr_assert_eq(b->n, n, "%zu choices, wanted %zu", b->n, n);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq((int64_t)b->ch[i].value, want[i].v,
                     "choice %zu is %lld, wanted %lld", i,
                     (long long)b->ch[i].value, (long long)want[i].v);
}

#define ITEMS(...) ((const item[]){__VA_ARGS__})
#define COUNT(...) (sizeof(ITEMS(__VA_ARGS__)) / sizeof(item))
#define START(b, ...) fill(&(b), ITEMS(__VA_ARGS__), COUNT(__VA_ARGS__))
#define EXPECT(b, ...) expect_values(&(b), ITEMS(__VA_ARGS__), COUNT(__VA_ARGS__))

static void list_over_100(gf_case *tc)
{
    draw_list(tc, -1000, 1000);
    for (size_t i = 0; i < nxs; i++)
        GF_ASSERT(tc, xs[i] <= 100);
}

Test(passes, delete_spans)
{
    buffer b;
    START(b, B(1), I(5), B(1), I(200), B(1), I(7), B(0));
    cr_assert(one_pass(list_over_100, "delete_spans", &b));
    EXPECT(b, B(1), I(200), B(0));
    buffer_free(&b);
}

/* Rejection sampling inside discarded spans: odd draws are retried. */
static void even_at_least_10(gf_case *tc)
{
    int64_t x;
    for (;;) {
        gf_span_begin(tc, gf_span_label("attempt"));
        x = gf_draw_int(tc, 0, 100);
        bool odd = x % 2 != 0;
        gf_span_end(tc, odd);
        if (!odd)
            break;
    }
    GF_ASSERT(tc, x < 10);
}

Test(passes, delete_discarded)
{
    buffer b;
    START(b, I(3), I(5), I(12));
    cr_assert(one_pass(even_at_least_10, "delete_discarded", &b));
    EXPECT(b, I(12));
    buffer_free(&b);
}

/* A binary tree: inner node or leaf, each a span with one label. */
static int64_t tree_max(gf_case *tc, int depth)
{
    gf_span_begin(tc, gf_span_label("node"));
    int64_t v;
    if (depth < 4 && gf_draw_bool(tc)) {
        int64_t a = tree_max(tc, depth + 1), c = tree_max(tc, depth + 1);
        v = a > c ? a : c;
    } else {
        v = gf_draw_int(tc, 0, 10);
    }
    gf_span_end(tc, false);
    return v;
}

static void no_leaf_7(gf_case *tc)
{
    GF_ASSERT(tc, tree_max(tc, 0) != 7);
}

Test(passes, replace_descendant)
{
    buffer b;
    /* node(node(leaf 7, leaf 1), leaf 2) */
    START(b, B(1), B(1), B(0), I(7), B(0), I(1), B(0), I(2));
    cr_assert(one_pass(no_leaf_7, "replace_descendant", &b));
    EXPECT(b, B(0), I(7));
    buffer_free(&b);
}

static void under_100(gf_case *tc)
{
    GF_ASSERT(tc, gf_draw_int(tc, -1000000, 1000000) < 100);
}

Test(passes, minimise)
{
    buffer b;
    START(b, I(987654));
    cr_assert(one_pass(under_100, "minimise", &b));
    EXPECT(b, I(100));
    buffer_free(&b);
}

static void not_both_1_and_2(gf_case *tc)
{
    draw_list(tc, 0, 10);
    bool one = false, two = false;
    for (size_t i = 0; i < nxs; i++) {
        one |= xs[i] == 1;
        two |= xs[i] == 2;
    }
    GF_ASSERT(tc, !(one && two));
}

Test(passes, sort_siblings)
{
    buffer b;
    START(b, B(1), I(2), B(1), I(1), B(0));
    cr_assert(one_pass(not_both_1_and_2, "sort_siblings", &b));
    EXPECT(b, B(1), I(1), B(1), I(2), B(0));
    buffer_free(&b);
}

static void pair_not_equal(gf_case *tc)
{
    draw_list(tc, -1000, 1000);
    GF_ASSERT(tc, !(nxs == 2 && xs[0] == xs[1]));
}

Test(passes, lower_equal)
{
    buffer b;
    START(b, B(1), I(-9), B(1), I(-9), B(0));
    cr_assert(one_pass(pair_not_equal, "lower_equal", &b));
    EXPECT(b, B(1), I(0), B(1), I(0), B(0));
    buffer_free(&b);
}

static int64_t pa, pb;

static void difference_three(gf_case *tc)
{
    pa = gf_draw_int(tc, 0, 1000000);
    pb = gf_draw_int(tc, 0, 1000000);
    GF_ASSERT(tc, !(pa >= 10 && pa - pb == 3));
}

Test(passes, lower_pairs)
{
    buffer b;
    START(b, I(500000), I(499997));
    cr_assert(one_pass(difference_three, "lower_pairs", &b));
    int64_t a = (int64_t)b.ch[0].value, c = (int64_t)b.ch[1].value;
    cr_assert_eq(a - c, 3);
    cr_assert_lt(a, 1000, "lowered together only to %lld", (long long)a);
    buffer_free(&b);
}

static void sum_below_1000(gf_case *tc)
{
    pa = gf_draw_int(tc, 0, 1000000);
    pb = gf_draw_int(tc, 0, 1000000);
    GF_ASSERT(tc, pa + pb < 1000);
}

Test(passes, move_value)
{
    buffer b;
    START(b, I(999), I(1));
    cr_assert(one_pass(sum_below_1000, "move_value", &b));
    EXPECT(b, I(0), I(1000));
    buffer_free(&b);
}

/* A count, then exactly that many elements. */
static void counted_max_below_900(gf_case *tc)
{
    size_t n = (size_t)gf_draw_int(tc, 0, 10);
    gf_many m;
    gf_many_init(tc, &m, n, n);
    int64_t max = 0;
    while (gf_many_more(tc, &m)) {
        int64_t x = gf_draw_int(tc, 0, 1000);
        max = x > max ? x : max;
    }
    GF_ASSERT(tc, max < 900);
}

Test(passes, decrement_and_delete)
{
    buffer b;
    START(b, I(2), B(1), I(3), B(1), I(950), B(0));
    cr_assert(one_pass(counted_max_below_900, "decrement_and_delete", &b));
    /* The count went down with its first element gone; the pass may then
     * lower the last element too, dropping the useless terminator. */
    cr_assert_eq(b.n, 4u);
    cr_assert_eq(b.ch[0].value, 1u);
    cr_assert_geq((int64_t)b.ch[2].value, 900);
    buffer_free(&b);
}

/* A list with no spans at all: raw booleans and values. */
static void raw_list_under_50(gf_case *tc)
{
    while (gf_draw_bool(tc))
        GF_ASSERT(tc, gf_draw_int(tc, 0, 100) < 50);
}

Test(passes, delete_choice_pairs)
{
    buffer b;
    START(b, B(1), I(3), B(1), I(60), B(0));
    cr_assert(one_pass(raw_list_under_50, "delete_choice_pairs", &b));
    EXPECT(b, B(1), I(60));
    buffer_free(&b);
}

/* Flags to skip, in no span, then the value: one flag can go at a time. */
static void skipped_then_under_50(gf_case *tc)
{
    while (gf_draw_bool(tc))
        ;
    GF_ASSERT(tc, gf_draw_int(tc, 0, 100) < 50);
}

Test(passes, delete_choices)
{
    buffer b;
    START(b, B(1), B(1), B(0), I(60));
    cr_assert(one_pass(skipped_then_under_50, "delete_choices", &b));
    EXPECT(b, B(0), I(60));
    buffer_free(&b);
}

/* ---- the loop around the passes ------------------------------------------- */

static unsigned calls_seen;

static void counting_list(gf_case *tc)
{
    calls_seen++;
    draw_list(tc, 0, 1000000);
    GF_ASSERT(tc, nxs < 3);
}

Test(shrink, known_outcomes_are_not_run_again)
{
    gf_property p = {.name = "counting_list", .fn = counting_list};
    gf_options o = {.quiet = true};
    gf_run_state *r = run_state_new(&p, &o);
    buffer b;
    START(b, B(1), I(77), B(1), I(88), B(1), I(99), B(1), I(5), B(0));
    uint32_t origin = 0;
    cr_assert_eq(run_buffer(r, &b, &origin), CASE_FAILED);
    shrink_failure(r, &b, origin);
    EXPECT(b, B(1), I(0), B(1), I(0), B(1), I(0), B(0));
    /* Shrinking the result again makes only the one run that records its
     * spans: every candidate's outcome is known. */
    calls_seen = 0;
    shrink_failure(r, &b, origin);
    cr_assert_eq(calls_seen, 1u, "%u calls", calls_seen);
    buffer_free(&b);
    run_state_delete(r);
}

static void two_ways_to_fail(gf_case *tc)
{
    int64_t x = gf_draw_int(tc, -1000000, 1000000);
    GF_ASSERT(tc, x < 10);   /* one origin */
    GF_ASSERT(tc, x > -10);  /* another */
}

Test(shrink, each_failure_is_shrunk_and_reported)
{
    gf_property p = {.name = "two_ways_to_fail", .fn = two_ways_to_fail};
    int both = 0;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        gf_options o = {.seed = seed, .seed_set = true, .quiet = true};
        gf_result r;
        cr_assert_eq(gf_run(&p, &o, &r), GF_FAILED);
        cr_assert(strstr(r.report, "#1 = 10\n") || strstr(r.report, "#1 = -10\n"),
                  "%s", r.report);
        if (r.failures == 2) {
            both++;
            cr_assert(strstr(r.report, "#1 = 10\n") && strstr(r.report, "#1 = -10\n"),
                      "%s", r.report);
            cr_assert(strstr(r.report, "another way"), "%s", r.report);
        }
        gf_result_free(&r);
    }
    /* Shrinking one failure toward 0 from the far side meets the other. */
    cr_assert_gt(both, 0, "the second failure was never reported");
}

/* Zeroing by halves: the one choice that matters among many that do not
 * is found, and all the others go to zero together. */
static void one_big_value(gf_case *tc)
{
    draw_list(tc, 0, 1000);
    bool big = false;
    for (size_t i = 0; i < nxs; i++)
        big |= xs[i] >= 500;
    GF_ASSERT(tc, !big);
}

Test(passes, zero_choices)
{
    buffer b;
    START(b, B(1), I(7), B(1), I(9), B(1), I(600), B(1), I(3), B(0));
    cr_assert(one_pass(one_big_value, "zero_choices", &b));
    /* The last "more?" went to false with its element: a shorter list. */
    EXPECT(b, B(1), I(0), B(1), I(0), B(1), I(600), B(0));
    buffer_free(&b);
}

/* 16-bit wrap-around: {1, 32767} sums to -32768, and so does {0, -32768};
 * moving value wraps within the range instead of leaving it. */
static void wrapping_sum_not_min(gf_case *tc)
{
    pa = gf_draw_int(tc, INT16_MIN, INT16_MAX);
    pb = gf_draw_int(tc, INT16_MIN, INT16_MAX);
    int64_t sum = (pa + pb) & 0xFFFF;
    GF_ASSERT(tc, sum != 0x8000);
}

Test(passes, move_value_wraps_within_range)
{
    buffer b;
    START(b, I(1), I(32767));
    cr_assert(one_pass(wrapping_sum_not_min, "move_value", &b));
    EXPECT(b, I(0), I(-32768));
    buffer_free(&b);
}

/* Keys that must keep their order: a non-decreasing run that fails only
 * when it has a step of exactly one somewhere. */
static void ordered_keys(gf_case *tc)
{
    gf_span_begin(tc, gf_span_label("keys"));
    int64_t k[4];
    for (int i = 0; i < 4; i++)
        k[i] = gf_draw_int(tc, -100, 100);
    gf_span_end(tc, false);
    gf_assume(tc, k[0] <= k[1] && k[1] <= k[2] && k[2] <= k[3]);
    GF_ASSERT(tc, !(k[0] == k[1] && k[1] == k[2] && k[3] == k[2] + 1));
}

Test(passes, shift_group)
{
    buffer b;
    START(b, I(-1), I(-1), I(-1), I(0));
    cr_assert(one_pass(ordered_keys, "shift_group", &b));
    EXPECT(b, I(0), I(0), I(0), I(1));
    buffer_free(&b);
}

/* ---- speculation: the same shrink, with a child running ahead ---------- */

static void list_sum_below_1000(gf_case *tc)
{
    draw_list(tc, 0, 1000);
    int64_t sum = 0;
    for (size_t i = 0; i < nxs; i++)
        sum += xs[i];
    GF_ASSERT(tc, sum < 1000);
}

static void run_once(gf_property_fn fn, uint64_t seed, gf_result *r)
{
    gf_property p = {.name = "speculated", .fn = fn};
    gf_options o = {.seed = seed, .seed_set = true, .quiet = true,
                    .trials = 1000};
    cr_assert_eq(gf_run(&p, &o, r), GF_FAILED);
}

Test(shrink, speculation_changes_nothing_but_the_time)
{
    gf_property_fn fns[] = {no_element_above_100, no_duplicates,
                            list_sum_below_1000};
    uint64_t taken = shrink_spec_taken;
    /* These runs are fast: speculate anyway, from the first candidate. */
    shrink_spec_min_call = 0;
    shrink_spec_after_stall = 0;
    for (size_t f = 0; f < sizeof fns / sizeof fns[0]; f++) {
        for (uint64_t seed = 1; seed <= 5; seed++) {
            gf_result plain, spec;
            shrink_speculate = false;
            run_once(fns[f], seed, &plain);
            shrink_speculate = true;
            run_once(fns[f], seed, &spec);
            shrink_speculate = false;
            cr_assert_str_eq(spec.counterexample, plain.counterexample,
                             "property %zu seed %llu", f,
                             (unsigned long long)seed);
            cr_assert_str_eq(spec.replay, plain.replay);
            cr_assert_eq(spec.shrinks, plain.shrinks);
            cr_assert_eq(spec.shrink_calls, plain.shrink_calls,
                         "property %zu seed %llu: %llu calls, %llu alone", f,
                         (unsigned long long)seed,
                         (unsigned long long)spec.shrink_calls,
                         (unsigned long long)plain.shrink_calls);
            gf_result_free(&plain);
            gf_result_free(&spec);
        }
    }
    /* And the child's outcomes were taken, not run again here. */
    cr_assert_gt(shrink_spec_taken, taken + 50, "%llu outcomes taken",
                 (unsigned long long)(shrink_spec_taken - taken));
}

/* ---- shapes the passes above leave stuck ------------------------------- */

/* Records of a flag and a weight; two equal records with weight >= 1 fail:
 * the flag of one record cannot fall without the other's. */
static void no_equal_weighted_records(gf_case *tc)
{
    gf_many m;
    gf_many_init(tc, &m, 0, 16);
    int64_t rec[16][2];
    size_t n = 0;
    while (gf_many_more(tc, &m)) {
        gf_span_begin(tc, gf_span_label("record"));
        rec[n][0] = gf_draw_bool(tc);
        rec[n][1] = gf_draw_int(tc, 0, 9);
        gf_span_end(tc, false);
        n++;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            GF_ASSERT(tc, !(rec[i][0] == rec[j][0] && rec[i][1] == rec[j][1] &&
                            rec[i][1] >= 1));
}

Test(passes, lower_equal_spans)
{
    buffer b;
    START(b, B(1), B(1), I(4), B(1), B(1), I(4), B(0));
    cr_assert(one_pass(no_equal_weighted_records, "lower_equal_spans", &b));
    EXPECT(b, B(1), B(0), I(1), B(1), B(0), I(1), B(0));
    buffer_free(&b);
}

/* A stack against its model, one int per operation: 0 pops, v + 1 pushes
 * v; a pop at depth 3 returns the value below the top. */
static void stack_matches_model(gf_case *tc)
{
    draw_list(tc, 0, 4);
    int64_t st[256];
    size_t depth = 0;
    for (size_t i = 0; i < nxs; i++) {
        if (xs[i] > 0) {
            st[depth++] = xs[i] - 1;
        } else if (depth > 0) {
            int64_t got = depth == 3 ? st[depth - 2] : st[depth - 1];
            GF_ASSERT_EQ_INT(tc, got, st[depth - 1]);
            depth--;
        }
    }
}

Test(passes, delete_span_pairs)
{
    buffer b;
    /* push 0, push 0, pop, push 0, push 1, pop: neither the first pop nor
     * the third push can go alone, the two together can. */
    START(b, B(1), I(1), B(1), I(1), B(1), I(0), B(1), I(1), B(1), I(2),
          B(1), I(0), B(0));
    cr_assert(one_pass(stack_matches_model, "delete_span_pairs", &b));
    EXPECT(b, B(1), I(1), B(1), I(1), B(1), I(2), B(1), I(0), B(0));
    buffer_free(&b);
}

/* A count drawn after the list must equal its length (at least 2), every
 * element at least the count. */
static void count_is_not_length(gf_case *tc)
{
    draw_list(tc, 0, 20);
    int64_t n = gf_draw_int(tc, 0, 20);
    bool all = true;
    for (size_t i = 0; i < nxs; i++)
        all &= xs[i] >= n;
    GF_ASSERT(tc, !(nxs >= 2 && n == (int64_t)nxs && all));
}

Test(passes, delete_and_lower_count)
{
    buffer b;
    START(b, B(1), I(3), B(1), I(3), B(1), I(3), B(0), I(3));
    cr_assert(one_pass(count_is_not_length, "delete_and_lower", &b));
    EXPECT(b, B(1), I(3), B(1), I(3), B(0), I(2));
    buffer_free(&b);
}

/* Elements that are positions in the list: deleting one shifts the rest. */
static void no_swapped_pair(gf_case *tc)
{
    draw_list(tc, 0, 10);
    for (size_t i = 0; i < nxs; i++)
        gf_assume(tc, xs[i] < (int64_t)nxs);
    for (size_t i = 0; i < nxs; i++)
        if ((size_t)xs[i] != i)
            GF_ASSERT(tc, xs[xs[i]] != (int64_t)i);
}

Test(passes, delete_and_lower_positions)
{
    buffer b;
    START(b, B(1), I(0), B(1), I(2), B(1), I(1), B(0));
    cr_assert(one_pass(no_swapped_pair, "delete_and_lower", &b));
    EXPECT(b, B(1), I(1), B(1), I(0), B(0));
    buffer_free(&b);
}

/* Every element after the first draws a "same as the last?" flag first. */
static void no_seven(gf_case *tc)
{
    gf_many m;
    gf_many_init(tc, &m, 0, 16);
    int64_t last = 0;
    size_t n = 0;
    while (gf_many_more(tc, &m)) {
        if (!(n > 0 && gf_draw_bool(tc)))
            last = gf_draw_int(tc, 0, 10);
        n++;
        GF_ASSERT(tc, last != 7);
    }
}

Test(passes, delete_with_conditional)
{
    buffer b;
    START(b, B(1), I(3), B(1), B(0), I(7), B(0));
    cr_assert(one_pass(no_seven, "delete_with_conditional", &b));
    EXPECT(b, B(1), I(7));
    buffer_free(&b);
}

/* A blob drawn first and never looked at goes to "" whatever its length,
 * one byte included. */
static size_t blob_len;
static int64_t blob_a, blob_b;

static void ignores_its_blob(gf_case *tc)
{
    gf_draw_bytes(tc, 0, 64, &blob_len);
    blob_a = gf_draw_int(tc, 0, 1000);
    blob_b = gf_draw_int(tc, 0, 1000);
    GF_ASSERT(tc, blob_b <= blob_a);
}

static void blob_is_empty(uint64_t seed)
{
    cr_assert(blob_len == 0 && blob_a == 0 && blob_b == 1,
              "seed %llu: %zu bytes, a = %lld, b = %lld",
              (unsigned long long)seed, blob_len, (long long)blob_a,
              (long long)blob_b);
}

Test(shrink, ignored_bytes_go_empty)
{
    shrink_each_seed(ignores_its_blob, "ignores_its_blob", blob_is_empty);
}

/* A run that ends in simplest choices tells the outcome of the buffer
 * without them: deleting the list's last "no more" flag is not run. */
static void counting_big(gf_case *tc)
{
    calls_seen++;
    one_big_value(tc);
}

Test(shrink, trailing_simplest_choices_are_known)
{
    gf_property p = {.name = "counting_big", .fn = counting_big};
    gf_options o = {.quiet = true};
    gf_run_state *r = run_state_new(&p, &o);
    buffer b;
    START(b, B(1), I(600), B(0));
    uint32_t origin = 0;
    cr_assert_eq(run_buffer(r, &b, &origin), CASE_FAILED);
    calls_seen = 0;
    shrink_one_pass(r, &b, origin, "delete_choices");
    /* The run that records spans, then deleting I(600) and B(1): deleting
     * B(0) leaves what that first run already answered. */
    cr_assert_eq(calls_seen, 3u, "%u calls", calls_seen);
    buffer_free(&b);
    run_state_delete(r);
}

/* Two buyers and the last item: check-then-act, two critical sections.
 * Only overselling fails (a lost update alone passes), so the shrinker must
 * find, with a buyer fewer, a schedule that still oversells. */
typedef struct shop {
    gf_mutex lock;
    int64_t stock, sold;
} shop;

static void careless_buyer(void *arg)
{
    shop *s = arg;
    gf_mutex_lock(&s->lock);
    int64_t seen = s->stock;
    gf_mutex_unlock(&s->lock);
    if (seen > 0) {
        gf_mutex_lock(&s->lock);
        s->stock = seen - 1;
        s->sold++;
        gf_mutex_unlock(&s->lock);
    }
}

static int64_t race_stock, race_buyers;

static void never_oversells(gf_case *tc)
{
    race_stock = gf_draw_int(tc, 0, 10);
    race_buyers = gf_draw_int(tc, 1, 6);
    shop s = {.stock = race_stock};
    gf_sched *sched = gf_sched_new(tc, NULL);
    for (int64_t i = 0; i < race_buyers; i++)
        gf_spawn(sched, careless_buyer, &s);
    gf_sched_run(sched);
    GF_ASSERT(tc, s.sold <= race_stock);
}

static void two_buyers_one_item(uint64_t seed)
{
    cr_assert(race_stock == 1 && race_buyers == 2,
              "seed %llu: stock %lld, %lld buyers", (unsigned long long)seed,
              (long long)race_stock, (long long)race_buyers);
}

Test(shrink, races_shrink_to_the_fewest_tasks)
{
    shrink_each_seed(never_oversells, "never_oversells", two_buyers_one_item);
}

/* Two lists in spans of one label, equal and at least two long: an element
 * can only go from both at once. */
static size_t draw_labelled_list(gf_case *tc, int64_t *out)
{
    gf_span_begin(tc, gf_span_label("list"));
    gf_many m;
    gf_many_init(tc, &m, 0, 16);
    size_t n = 0;
    while (gf_many_more(tc, &m))
        out[n++] = gf_draw_int(tc, 0, 9);
    gf_span_end(tc, false);
    return n;
}

static void lists_differ(gf_case *tc)
{
    int64_t a[16], b[16];
    size_t na = draw_labelled_list(tc, a), nb = draw_labelled_list(tc, b);
    GF_ASSERT(tc, !(na >= 2 && na == nb && memcmp(a, b, na * sizeof *a) == 0));
}

Test(passes, lower_equal_spans_deletes_in_both)
{
    buffer b;
    START(b, B(1), I(0), B(1), I(0), B(1), I(0), B(0),
          B(1), I(0), B(1), I(0), B(1), I(0), B(0));
    cr_assert(one_pass(lists_differ, "lower_equal_spans", &b));
    EXPECT(b, B(1), I(0), B(1), I(0), B(0), B(1), I(0), B(1), I(0), B(0));
    buffer_free(&b);
}
