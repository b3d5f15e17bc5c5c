/*
 * test_index.c - index functions and shortlex order (src/index.c).
 */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>

#include "core/index.h"

static choice_spec int_spec(int64_t lo, int64_t hi, int64_t target)
{
    return (choice_spec){.lo = (uint64_t)lo, .hi = (uint64_t)hi,
                         .target = (uint64_t)target};
}

/* Every index in [0, max] maps to a distinct valid value and back, and
 * distance from the target never decreases with the index. */
static void check_bijection(int64_t lo, int64_t hi, int64_t target)
{
    choice_spec s = int_spec(lo, hi, target);
    uint64_t max = int_max_index(&s, true);
    cr_assert_eq(max, (uint64_t)(hi - lo));
    int64_t prev_dist = -1;
    for (uint64_t i = 0; i <= max; i++) {
        int64_t v = (int64_t)int_from_index(&s, true, i);
        cr_assert(v >= lo && v <= hi, "index %llu gave %lld outside [%lld, %lld]",
                  (unsigned long long)i, (long long)v, (long long)lo, (long long)hi);
        cr_assert_eq(int_index(&s, true, (uint64_t)v), i);
        int64_t dist = v > target ? v - target : target - v;
        cr_assert_geq(dist, prev_dist);
        prev_dist = dist;
    }
}

Test(index, int_bijection_small_ranges)
{
    check_bijection(-5, 5, 0);
    check_bijection(0, 10, 0);
    check_bijection(3, 17, 3);
    check_bijection(-20, -3, -3);
    check_bijection(-3, 40, 0);
    check_bijection(-40, 3, 0);
    check_bijection(7, 7, 7);
    check_bijection(-10, 10, 4);
}

Test(index, int_positive_side_first)
{
    choice_spec s = int_spec(-100, 100, 0);
    cr_assert_eq((int64_t)int_from_index(&s, true, 0), 0);
    cr_assert_eq((int64_t)int_from_index(&s, true, 1), 1);
    cr_assert_eq((int64_t)int_from_index(&s, true, 2), -1);
    cr_assert_eq((int64_t)int_from_index(&s, true, 3), 2);
}

Test(index, int_full_width)
{
    choice_spec s = int_spec(INT64_MIN, INT64_MAX, 0);
    cr_assert_eq(int_max_index(&s, true), UINT64_MAX);
    cr_assert_eq(int_index(&s, true, (uint64_t)INT64_MIN), UINT64_MAX);
    cr_assert_eq(int_index(&s, true, (uint64_t)INT64_MAX), UINT64_MAX - 2);
    cr_assert_eq(int_index(&s, true, (uint64_t)-INT64_MAX), UINT64_MAX - 1);
    cr_assert_eq((int64_t)int_from_index(&s, true, UINT64_MAX), INT64_MIN);
    choice_spec u = {.lo = 0, .hi = UINT64_MAX, .target = 0};
    cr_assert_eq(int_index(&u, false, UINT64_MAX), UINT64_MAX);
    cr_assert_eq(int_from_index(&u, false, 12345), 12345u);
}

Test(index, int_clamp_maps_into_range)
{
    choice_spec s = int_spec(0, 10, 0);
    cr_assert_eq(int_clamp(&s, true, 500, true), 10u);
    cr_assert_eq(int_clamp(&s, true, (uint64_t)-3, true), 0u);
    choice_spec u = {.lo = 5, .hi = 9, .target = 5};
    cr_assert_eq(int_clamp(&u, false, (uint64_t)-1, true), 5u,
                 "a negative value maps to the lowest unsigned one");
    cr_assert_eq(int_clamp(&u, false, 7, true), 7u);
}

Test(index, double_key_order)
{
    cr_assert_eq(double_key(0.0), 0u);
    cr_assert_eq(double_key(-0.0), 0u);
    cr_assert_lt(double_key(1.0), double_key(2.0));
    cr_assert_lt(double_key(1000.0), double_key(0.5));
    cr_assert_lt(double_key(1.5), double_key(1.25), "fewer fraction bits first");
    cr_assert_lt(double_key(0.5), double_key(0.25));
    cr_assert_lt(double_key(DBL_MAX), double_key(INFINITY));
    cr_assert_lt(double_key(INFINITY), double_key(NAN));
    cr_assert_lt(double_key(1e300), double_key(DBL_TRUE_MIN));
}

Test(index, double_key_round_trip)
{
    gf_rng r;
    gf_rng_seed(&r, 42);
    for (int i = 0; i < 100000; i++) {
        double x = fabs(bits_to_double(gf_rng_next(&r)));
        if (isnan(x))
            continue;
        double y = double_from_key(double_key(x));
        cr_assert_eq(double_to_bits(x), double_to_bits(y), "%a -> %a", x, y);
    }
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(double_from_key((uint64_t)i), (double)i);
}

static double simplest(double lo, double hi, unsigned flags)
{
    choice_spec s = {.lo = double_to_bits(lo), .hi = double_to_bits(hi),
                     .flags = flags};
    return double_simplest(&s);
}

Test(index, double_simplest_in_ranges)
{
    cr_assert_eq(simplest(-INFINITY, INFINITY, 0), 0.0);
    cr_assert_eq(simplest(0.5, 0.75, 0), 0.5);
    cr_assert_eq(simplest(1.1, 1.9, 0), 1.5);
    cr_assert_eq(simplest(2.5, 7, 0), 3.0);
    cr_assert_eq(simplest(-3, -2, 0), -2.0);
    cr_assert_eq(simplest(INFINITY, INFINITY, 0), INFINITY);
}

Test(index, double_fits_flags)
{
    choice_spec all = {.lo = double_to_bits(-INFINITY),
                       .hi = double_to_bits(INFINITY)};
    cr_assert(double_fits(&all, NAN));
    cr_assert(double_fits(&all, -0.0));
    choice_spec bounded = {.lo = double_to_bits(0.0), .hi = double_to_bits(1.0)};
    cr_assert(!double_fits(&bounded, NAN), "no NaN in a bounded range");
    cr_assert(!double_fits(&bounded, -0.0), "no -0.0 when lo is +0.0");
    cr_assert(!double_fits(&bounded, 1.5));
    choice_spec flags = all;
    flags.flags = GF_DOUBLE_NO_NAN | GF_DOUBLE_NO_INF | GF_DOUBLE_NO_SUBNORMAL |
                  GF_DOUBLE_NO_NEG_ZERO;
    cr_assert(!double_fits(&flags, NAN));
    cr_assert(!double_fits(&flags, INFINITY));
    cr_assert(!double_fits(&flags, DBL_TRUE_MIN));
    cr_assert(!double_fits(&flags, -0.0));
    cr_assert(double_fits(&flags, DBL_MIN));
    cr_assert_eq(double_clamp(&flags, INFINITY), DBL_MAX);
    cr_assert_eq(double_clamp(&bounded, 7.0), 1.0);
    cr_assert_eq(double_clamp(&bounded, NAN), 0.0);
}

static void push_int(buffer *b, int64_t v)
{
    choice *c = buffer_push(b);
    *c = (choice){.kind = CHOICE_INT, .value = (uint64_t)v};
    c->spec = int_spec(-1000, 1000, 0);
}

Test(index, shortlex_order)
{
    buffer a, b;
    buffer_init(&a);
    buffer_init(&b);
    push_int(&a, 900);
    push_int(&b, 0);
    push_int(&b, 0);
    cr_assert_lt(buffer_compare(&a, &b), 0, "fewer choices first");
    buffer_clear(&a);
    push_int(&a, 0);
    push_int(&a, -1);
    cr_assert_lt(buffer_compare(&b, &a), 0);
    buffer_clear(&b);
    push_int(&b, 0);
    push_int(&b, 1);
    cr_assert_lt(buffer_compare(&b, &a), 0, "1 is simpler than -1");
    cr_assert_eq(buffer_compare(&a, &a), 0);
    buffer_free(&a);
    buffer_free(&b);
}
