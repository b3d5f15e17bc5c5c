/*
 * test_generators.c - the generator library: each generator's bias toward
 * its edge cases (the promise in docs/generators.md), its ranges and flags,
 * what combinators compose, how misuse is reported, interning, and that a
 * seed pins the sequence of values.
 *
 * Every run has a fixed seed, so each test is deterministic; the counts
 * asked for are far below what the biases give, so a change in the random
 * stream does not break them.
 */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>

#include "helpers.h"

/* Counters of what a property saw; each test resets the ones it uses. */
static unsigned long seen[16];
static unsigned long draws;

static void reset_counts(void)
{
    memset(seen, 0, sizeof seen);
    draws = 0;
}

/* ---- integers ----------------------------------------------------------- */

/* For each signed width: the bounds, 0, -1 and 1 appear within 1000
 * draws. */
#define SIGNED_EDGES(T, GEN, MIN, MAX)                                       \
    static void prop_edges_##T(gf_case *tc)                                  \
    {                                                                        \
        T v = *(T *)gf_draw(tc, GEN());                                      \
        seen[0] += v == MIN;                                                 \
        seen[1] += v == MAX;                                                 \
        seen[2] += v == 0;                                                   \
        seen[3] += v == -1;                                                  \
        seen[4] += v == 1;                                                   \
    }                                                                        \
    Test(integers, edges_##T)                                                \
    {                                                                        \
        reset_counts();                                                      \
        RUN_PASSING(prop_edges_##T, 1, 1000);                                \
        cr_expect_gt(seen[0], 0, #MIN " never drawn");                       \
        cr_expect_gt(seen[1], 0, #MAX " never drawn");                       \
        cr_expect_gt(seen[2], 0, "0 never drawn");                           \
        cr_expect_gt(seen[3], 0, "-1 never drawn");                          \
        cr_expect_gt(seen[4], 0, "1 never drawn");                           \
    }

SIGNED_EDGES(int8_t, gf_int8, INT8_MIN, INT8_MAX)
SIGNED_EDGES(int16_t, gf_int16, INT16_MIN, INT16_MAX)
SIGNED_EDGES(int32_t, gf_int32, INT32_MIN, INT32_MAX)
SIGNED_EDGES(int64_t, gf_int64, INT64_MIN, INT64_MAX)

/* For each unsigned width: 0, 1 and the maximum appear. */
#define UNSIGNED_EDGES(T, GEN, MAX)                                          \
    static void prop_edges_##T(gf_case *tc)                                  \
    {                                                                        \
        T v = *(T *)gf_draw(tc, GEN());                                      \
        seen[0] += v == 0;                                                   \
        seen[1] += v == 1;                                                   \
        seen[2] += v == MAX;                                                 \
    }                                                                        \
    Test(integers, edges_##T)                                                \
    {                                                                        \
        reset_counts();                                                      \
        RUN_PASSING(prop_edges_##T, 2, 1000);                                \
        cr_expect_gt(seen[0], 0, "0 never drawn");                           \
        cr_expect_gt(seen[1], 0, "1 never drawn");                           \
        cr_expect_gt(seen[2], 0, #MAX " never drawn");                       \
    }

UNSIGNED_EDGES(uint8_t, gf_uint8, UINT8_MAX)
UNSIGNED_EDGES(uint16_t, gf_uint16, UINT16_MAX)
UNSIGNED_EDGES(uint32_t, gf_uint32, UINT32_MAX)
UNSIGNED_EDGES(uint64_t, gf_uint64, UINT64_MAX)

/* ---- equal values ------------------------------------------------------- */

/* Two strings of 8 to 16 characters from anywhere in Unicode are never
 * equal by chance, nor two elements of a list of such strings: copy cases
 * make them equal (docs/generators.md, "Equal values"). */
static void prop_equal_values(gf_case *tc)
{
    const gf_gen *text = gf_utf8(8, 16);
    const char *a = gf_draw(tc, text);
    const char *b = gf_draw(tc, text);
    seen[0] += strcmp(a, b) == 0;
    size_t n;
    char *const *list = gf_draw_array(tc, text, 2, 6, &n);
    bool dup = false;
    for (size_t i = 0; i < n && !dup; i++)
        for (size_t j = i + 1; j < n && !dup; j++)
            dup = strcmp(list[i], list[j]) == 0;
    seen[1] += dup;
}

Test(copies, equal_strings_and_repeated_elements)
{
    reset_counts();
    RUN_PASSING(prop_equal_values, 3, 1000);
    cr_expect_geq(seen[0], 10, "two equal strings in %lu of 1000 cases",
                  seen[0]);
    cr_expect_geq(seen[1], 10, "a repeated element in %lu of 1000 cases",
                  seen[1]);
}

/* A value that a random draw from [1, 2^62] makes equal to another by
 * chance: a boundary of the range, a power of two or its neighbour, or a
 * small one. */
static bool chance_equal(int64_t v)
{
    uint64_t u = (uint64_t)v;
    return u < (1u << 20) || u >= (1ull << 62) - 1 ||
           (u & (u - 1)) == 0 || ((u + 1) & u) == 0 ||
           ((u - 1) & (u - 2)) == 0;
}

/* Direct draws with the same kind and constraints are copied in copy
 * cases too: two gf_draw_int(tc, 1, 2^62) are equal, away from the values
 * they share by chance, in up to one case in 32 (a copy case in 16, a coin
 * for the second draw), 36 of these 2000, and never without copies; two
 * doubles in 23.  A draw with other bounds or flags, or of the other kind
 * with the same bounds, is never a copy of them. */
static void prop_equal_direct(gf_case *tc)
{
    int64_t hi = (int64_t)1 << 62;
    int64_t a = gf_draw_int(tc, 1, hi);
    int64_t b = gf_draw_int(tc, 1, hi);
    int64_t c = gf_draw_int(tc, 1, hi - 1);
    uint64_t d = gf_draw_uint(tc, 1, (uint64_t)hi);
    seen[0] += a == b && !chance_equal(a);
    seen[1] += (c == a || c == b) && !chance_equal(c);
    seen[2] += ((int64_t)d == a || (int64_t)d == b) &&
               !chance_equal((int64_t)d);
    /* Doubles alike, away from integers, bounds and tiny values. */
    double x = gf_draw_double(tc, -1e9, 1e9, GF_DOUBLE_FINITE);
    double y = gf_draw_double(tc, -1e9, 1e9, GF_DOUBLE_FINITE);
    double z = gf_draw_double(tc, -1e9, 1e9, 0);
    seen[3] += x == y && fabs(x) > 1 && x != floor(x);
    seen[4] += (z == x || z == y) && fabs(z) > 1 && z != floor(z);
}

Test(copies, equal_direct_draws)
{
    reset_counts();
    RUN_PASSING(prop_equal_direct, 4, 2000);
    cr_expect_geq(seen[0], 10, "two equal direct draws in %lu of 2000 cases",
                  seen[0]);
    cr_expect_eq(seen[1], 0, "a draw with other bounds copied in %lu cases",
                 seen[1]);
    cr_expect_eq(seen[2], 0, "a uint draw copied an int in %lu cases",
                 seen[2]);
    cr_expect_geq(seen[3], 10, "two equal direct doubles in %lu of 2000 "
                  "cases", seen[3]);
    cr_expect_eq(seen[4], 0, "a double with other flags copied in %lu cases",
                 seen[4]);
}

/* Direct byte strings alike: two gf_draw_bytes with the same lengths are
 * equal (4 bytes or more, not all zero as in the simplest case, so never
 * by chance) in about one case in 32, and one with other lengths never
 * copies them. */
static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static void prop_equal_direct_bytes(gf_case *tc)
{
    size_t na, nb, nc;
    const uint8_t *a = gf_draw_bytes(tc, 4, 32, &na);
    uint8_t *a_copy = gf_alloc(tc, na);
    memcpy(a_copy, a, na);
    const uint8_t *b = gf_draw_bytes(tc, 4, 32, &nb);
    const uint8_t *c = gf_draw_bytes(tc, 4, 31, &nc);
    seen[0] += na == nb && memcmp(a_copy, b, na) == 0 && !all_zero(b, nb);
    seen[1] += ((nc == na && memcmp(c, a_copy, nc) == 0) ||
                (nc == nb && memcmp(c, b, nc) == 0)) && !all_zero(c, nc);
}

Test(copies, equal_direct_bytes)
{
    reset_counts();
    RUN_PASSING(prop_equal_direct_bytes, 5, 2000);
    cr_expect_geq(seen[0], 10, "two equal direct byte strings in %lu of 2000 "
                  "cases", seen[0]);
    cr_expect_eq(seen[1], 0, "bytes with other lengths copied in %lu cases",
                 seen[1]);
}

/* gf_int(lo, hi): never outside, both bounds and 0 appear. */
static void prop_int_range(gf_case *tc)
{
    int64_t v = *(int64_t *)gf_draw(tc, gf_int(-1000, 100000));
    GF_ASSERT(tc, v >= -1000 && v <= 100000);
    seen[0] += v == -1000;
    seen[1] += v == 100000;
    seen[2] += v == 0;
}

Test(integers, int_range_honoured_and_bounds_drawn)
{
    reset_counts();
    RUN_PASSING(prop_int_range, 3, 1000);
    cr_expect_gt(seen[0], 0, "lo never drawn");
    cr_expect_gt(seen[1], 0, "hi never drawn");
    cr_expect_gt(seen[2], 0, "0 never drawn");
}

static void prop_uint_range(gf_case *tc)
{
    uint64_t v = *(uint64_t *)gf_draw(tc, gf_uint(10, UINT64_MAX - 10));
    GF_ASSERT(tc, v >= 10 && v <= UINT64_MAX - 10);
    seen[0] += v == 10;
    seen[1] += v == UINT64_MAX - 10;
}

Test(integers, uint_range_honoured_and_bounds_drawn)
{
    reset_counts();
    RUN_PASSING(prop_uint_range, 4, 1000);
    cr_expect_gt(seen[0], 0, "lo never drawn");
    cr_expect_gt(seen[1], 0, "hi never drawn");
}

/* A small range is explored completely: every value appears. */
static void prop_int_small(gf_case *tc)
{
    int64_t v = *(int64_t *)gf_draw(tc, gf_int(-3, 3));
    GF_ASSERT(tc, v >= -3 && v <= 3);
    seen[v + 3]++;
}

Test(integers, small_range_every_value)
{
    reset_counts();
    RUN_PASSING(prop_int_small, 5, 200);
    for (int v = -3; v <= 3; v++)
        cr_expect_gt(seen[v + 3], 0, "%d never drawn", v);
}

/* gf_size: mostly small, SIZE_MAX sometimes. */
static void prop_size(gf_case *tc)
{
    size_t v = *(size_t *)gf_draw(tc, gf_size());
    draws++;
    seen[0] += v <= 1024;
    seen[1] += v == SIZE_MAX;
    seen[2] += v == 0;
}

Test(integers, size_small_and_huge)
{
    reset_counts();
    RUN_PASSING(prop_size, 6, 2000);
    cr_expect_gt(seen[0], draws * 6 / 10, "only %lu of %lu sizes small",
                 seen[0], draws);
    cr_expect_gt(seen[1], 0, "SIZE_MAX never drawn");
    cr_expect_gt(seen[2], 0, "0 never drawn");
}

static void prop_bool(gf_case *tc)
{
    bool b = *(bool *)gf_draw(tc, gf_bool());
    seen[b]++;
}

Test(integers, bool_both_values_then_exhausted)
{
    reset_counts();
    gf_result r;
    cr_assert_eq(run_property("bool", prop_bool, 7, 100, &r), GF_PASSED);
    cr_expect(r.exhausted, "a property over one bool has two inputs");
    gf_result_free(&r);
    cr_expect_gt(seen[0], 0);
    cr_expect_gt(seen[1], 0);
}

typedef struct point {
    int32_t x, y;
    char tag[40]; /* longer than one chunk of a gf_just */
} point;

static void prop_just(gf_case *tc)
{
    static const point expected = {3, -4, "a constant bigger than 32 bytes"};
    const point *p = gf_draw(tc, gf_just(&expected, sizeof expected));
    GF_ASSERT(tc, memcmp(p, &expected, sizeof expected) == 0);
    int32_t seven = 7;
    GF_ASSERT_EQ_INT(tc, *(int32_t *)gf_draw(tc, gf_just(&seven, 4)), 7);
    draws++;
}

Test(integers, just_is_constant)
{
    reset_counts();
    RUN_PASSING(prop_just, 8, 10);
    cr_expect_gt(draws, 0);
    int32_t a = 7, b = 7, c = 8;
    cr_expect_eq(gf_just(&a, 4), gf_just(&b, 4), "equal constants intern");
    cr_expect_neq(gf_just(&a, 4), gf_just(&c, 4));
    cr_expect_eq(gf_gen_value_size(gf_just(&a, 4)), 4);
}

/* ---- misuse ------------------------------------------------------------- */

static const gf_gen *misused;

static void prop_draw_misused(gf_case *tc)
{
    gf_draw(tc, misused);
}

/* Drawing from `g` fails the run with a message that names the generator
 * and says what is wrong. */
static void expect_misuse(const gf_gen *g, const char *name, const char *why)
{
    gf_result r;
    misused = g;
    gf_status st = run_property("misuse", prop_draw_misused, 9, 10, &r);
    cr_expect_neq(st, GF_PASSED, "%s: misuse not reported", name);
    cr_expect(r.message && strstr(r.message, name), "%s: message: %s", name,
              r.message ? r.message : "(none)");
    cr_expect(r.message && strstr(r.message, why), "%s: message: %s", name,
              r.message ? r.message : "(none)");
    gf_result_free(&r);
}

Test(misuse, bad_arguments_reported_when_drawn)
{
    expect_misuse(gf_int(5, 1), "int(5, 1)", "lo");
    expect_misuse(gf_uint(5, 1), "uint(5, 1)", "lo");
    expect_misuse(gf_double_in(1.0, 0.0, 0), "double_in", "lo > hi");
    expect_misuse(gf_double_in(NAN, 0.0, 0), "double_in", "NaN");
    expect_misuse(gf_float_in(INFINITY, INFINITY, GF_DOUBLE_NO_INF),
                  "float_in", "infinity");
    expect_misuse(gf_float_in(1e-40f, 1e-39f, GF_DOUBLE_NO_SUBNORMAL),
                  "float_in", "subnormal");
    expect_misuse(gf_double_in(0.0, 1.0, 0x80000000u), "double_in",
                  "unknown flag bits 0x80000000");
    expect_misuse(gf_float_in(0.0f, 1.0f, GF_DOUBLE_FINITE | 0x10u),
                  "float_in", "unknown flag bits 0x10");
    expect_misuse(gf_float_in(-0.0f, -0.0f, GF_DOUBLE_NO_NEG_ZERO),
                  "float_in(-0, -0",
                  "no float in [-0, -0] satisfies the flags 0x8");
    expect_misuse(gf_double_in(-0.0, -0.0, GF_DOUBLE_NO_NEG_ZERO),
                  "double_in(-0, -0",
                  "no double in [-0, -0] satisfies the flags 0x8");
    expect_misuse(gf_double_in(-DBL_TRUE_MIN, -0.0,
                               GF_DOUBLE_NO_NEG_ZERO | GF_DOUBLE_NO_SUBNORMAL),
                  "double_in", "satisfies the flags 0xC");
    expect_misuse(gf_bytes(4, 2), "bytes(4, 2)", "min");
    expect_misuse(gf_ascii(4, 2), "ascii(4, 2)", "min");
    expect_misuse(gf_utf8(4, 2), "utf8(4, 2)", "min");
    expect_misuse(gf_array(gf_int8(), 4, 2), "array(int8, 4, 2)", "min");
    expect_misuse(gf_array(NULL, 0, 2), "array", "NULL");
    expect_misuse(gf_optional(NULL), "optional", "NULL");
    expect_misuse(gf_one_of(gf_int32(), gf_int8()), "one_of(int32, int8)",
                  "1-byte");
    expect_misuse(gf_one_of(gf_utf8(0, 1), gf_int64()), "one_of",
                  "pointer");
    expect_misuse(gf_just(NULL, 4), "just", "NULL");
    expect_misuse(gf_custom("widget", 4, NULL, NULL, NULL), "widget",
                  "draw function");
}

/* ---- doubles ------------------------------------------------------------ */

enum {
    D_NAN, D_NEG_ZERO, D_POS_ZERO, D_POS_INF, D_NEG_INF, D_SUBNORMAL,
    D_MAX, D_MIN_NORMAL, D_TRUE_MIN, D_ONE,
};

static void count_double(double d)
{
    draws++;
    seen[D_NAN] += isnan(d) != 0;
    seen[D_NEG_ZERO] += d == 0 && signbit(d);
    seen[D_POS_ZERO] += d == 0 && !signbit(d);
    seen[D_POS_INF] += d == INFINITY;
    seen[D_NEG_INF] += d == -INFINITY;
    seen[D_SUBNORMAL] += fpclassify(d) == FP_SUBNORMAL;
    seen[D_MAX] += d == DBL_MAX;
    seen[D_MIN_NORMAL] += d == DBL_MIN;
    seen[D_TRUE_MIN] += d == DBL_TRUE_MIN;
    seen[D_ONE] += d == 1.0;
}

static void prop_double(gf_case *tc)
{
    count_double(*(double *)gf_draw(tc, gf_double()));
}

Test(doubles, edges_drawn)
{
    reset_counts();
    RUN_PASSING(prop_double, 10, 2000);
    cr_expect_gt(seen[D_NAN], 0, "NaN never drawn");
    cr_expect_gt(seen[D_NEG_ZERO], 0, "-0.0 never drawn");
    cr_expect_gt(seen[D_POS_ZERO], 0, "0.0 never drawn");
    cr_expect_gt(seen[D_POS_INF], 0, "INFINITY never drawn");
    cr_expect_gt(seen[D_NEG_INF], 0, "-INFINITY never drawn");
    cr_expect_gt(seen[D_SUBNORMAL], 0, "no subnormal drawn");
    cr_expect_gt(seen[D_MAX], 0, "DBL_MAX never drawn");
    cr_expect_gt(seen[D_MIN_NORMAL], 0, "DBL_MIN never drawn");
    cr_expect_gt(seen[D_TRUE_MIN], 0, "DBL_TRUE_MIN never drawn");
    cr_expect_gt(seen[D_ONE], 0, "1.0 never drawn");
}

/* One flag per run; 5000 draws each must all honour it. */
static unsigned flag_under_test;

static void check_flags(gf_case *tc, double d, unsigned flags)
{
    if (flags & GF_DOUBLE_NO_NAN)
        GF_ASSERT(tc, !isnan(d));
    if (flags & GF_DOUBLE_NO_INF)
        GF_ASSERT(tc, !isinf(d));
    if (flags & GF_DOUBLE_NO_SUBNORMAL)
        GF_ASSERT(tc, fpclassify(d) != FP_SUBNORMAL);
    if (flags & GF_DOUBLE_NO_NEG_ZERO)
        GF_ASSERT(tc, !(d == 0 && signbit(d)));
}

static void prop_double_flags(gf_case *tc)
{
    double d = *(double *)gf_draw(
        tc, gf_double_in(-INFINITY, INFINITY, flag_under_test));
    check_flags(tc, d, flag_under_test);
    count_double(d);
}

Test(doubles, flags_honoured)
{
    static const unsigned flags[] = {
        GF_DOUBLE_NO_NAN, GF_DOUBLE_NO_INF, GF_DOUBLE_NO_SUBNORMAL,
        GF_DOUBLE_NO_NEG_ZERO, GF_DOUBLE_FINITE | GF_DOUBLE_NO_SUBNORMAL |
        GF_DOUBLE_NO_NEG_ZERO,
    };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        reset_counts();
        flag_under_test = flags[i];
        RUN_PASSING(prop_double_flags, 11 + i, 5000);
        cr_expect_geq(draws, 5000, "flags 0x%x: %lu draws", flags[i], draws);
        /* What the flags do not forbid is still drawn. */
        if (!(flags[i] & GF_DOUBLE_NO_NAN))
            cr_expect_gt(seen[D_NAN], 0, "flags 0x%x: no NaN", flags[i]);
        if (!(flags[i] & GF_DOUBLE_NO_INF))
            cr_expect_gt(seen[D_POS_INF], 0, "flags 0x%x: no inf", flags[i]);
        if (!(flags[i] & GF_DOUBLE_NO_NEG_ZERO))
            cr_expect_gt(seen[D_NEG_ZERO], 0, "flags 0x%x: no -0.0",
                         flags[i]);
        cr_expect_gt(seen[D_MAX], 0, "flags 0x%x: no DBL_MAX", flags[i]);
    }
}

/* A bounded range: never outside it, never NaN (NaN comes only with the
 * whole line, as in the engine's double draw), both bounds drawn. */
static void prop_double_range(gf_case *tc)
{
    double d = *(double *)gf_draw(tc, gf_double_in(-1.0, 2.5, 0));
    GF_ASSERT(tc, d >= -1.0 && d <= 2.5);
    seen[0] += d == -1.0;
    seen[1] += d == 2.5;
    seen[2] += d != floor(d);
    seen[3] += d == 0 && signbit(d);
}

Test(doubles, range_honoured)
{
    reset_counts();
    RUN_PASSING(prop_double_range, 20, 2000);
    cr_expect_gt(seen[0], 0, "lo never drawn");
    cr_expect_gt(seen[1], 0, "hi never drawn");
    cr_expect_gt(seen[2], 0, "no fraction drawn");
    cr_expect_gt(seen[3], 0, "-0.0 never drawn");
}

/* ---- floats ------------------------------------------------------------- */

enum {
    F_NAN, F_NEG_ZERO, F_POS_ZERO, F_POS_INF, F_NEG_INF, F_SUBNORMAL,
    F_MAX, F_MIN_NORMAL, F_TRUE_MIN, F_FRACTION,
};

static void count_float(float f)
{
    draws++;
    seen[F_NAN] += isnan(f) != 0;
    seen[F_NEG_ZERO] += f == 0 && signbit(f);
    seen[F_POS_ZERO] += f == 0 && !signbit(f);
    seen[F_POS_INF] += f == INFINITY;
    seen[F_NEG_INF] += f == -INFINITY;
    seen[F_SUBNORMAL] += fpclassify(f) == FP_SUBNORMAL;
    seen[F_MAX] += f == FLT_MAX;
    seen[F_MIN_NORMAL] += f == FLT_MIN;
    seen[F_TRUE_MIN] += f == FLT_TRUE_MIN;
    seen[F_FRACTION] += isfinite(f) && f != floorf(f);
}

static void prop_float(gf_case *tc)
{
    count_float(*(float *)gf_draw(tc, gf_float()));
}

Test(floats, edges_drawn)
{
    reset_counts();
    RUN_PASSING(prop_float, 30, 2000);
    cr_expect_gt(seen[F_NAN], 0, "NaN never drawn");
    cr_expect_gt(seen[F_NEG_ZERO], 0, "-0.0f never drawn");
    cr_expect_gt(seen[F_POS_ZERO], 0, "0.0f never drawn");
    cr_expect_gt(seen[F_POS_INF], 0, "INFINITY never drawn");
    cr_expect_gt(seen[F_NEG_INF], 0, "-INFINITY never drawn");
    cr_expect_gt(seen[F_SUBNORMAL], 0, "no subnormal float drawn");
    cr_expect_gt(seen[F_MAX], 0, "FLT_MAX never drawn");
    cr_expect_gt(seen[F_MIN_NORMAL], 0, "FLT_MIN never drawn");
    cr_expect_gt(seen[F_TRUE_MIN], 0, "FLT_TRUE_MIN never drawn");
    cr_expect_gt(seen[F_FRACTION], 0, "no fraction drawn");
    /* Not mostly edges: ordinary finite floats dominate. */
    cr_expect_lt(seen[F_POS_INF] + seen[F_NEG_INF] + seen[F_NAN],
                 draws / 4, "too many non-finite floats");
}

static void prop_float_flags(gf_case *tc)
{
    float f = *(float *)gf_draw(
        tc, gf_float_in(-INFINITY, INFINITY, flag_under_test));
    check_flags(tc, f, flag_under_test);
    /* A float subnormal is a normal double: check it as a float too. */
    if (flag_under_test & GF_DOUBLE_NO_SUBNORMAL)
        GF_ASSERT(tc, fpclassify(f) != FP_SUBNORMAL);
    count_float(f);
}

Test(floats, flags_honoured)
{
    static const unsigned flags[] = {
        GF_DOUBLE_NO_NAN, GF_DOUBLE_NO_INF, GF_DOUBLE_NO_SUBNORMAL,
        GF_DOUBLE_NO_NEG_ZERO, GF_DOUBLE_FINITE | GF_DOUBLE_NO_SUBNORMAL |
        GF_DOUBLE_NO_NEG_ZERO,
    };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        reset_counts();
        flag_under_test = flags[i];
        RUN_PASSING(prop_float_flags, 31 + i, 5000);
        cr_expect_geq(draws, 5000, "flags 0x%x: %lu draws", flags[i], draws);
        if (!(flags[i] & GF_DOUBLE_NO_SUBNORMAL))
            cr_expect_gt(seen[F_SUBNORMAL], 0, "flags 0x%x: no subnormal",
                         flags[i]);
        if (!(flags[i] & GF_DOUBLE_NO_NEG_ZERO))
            cr_expect_gt(seen[F_NEG_ZERO], 0, "flags 0x%x: no -0.0f",
                         flags[i]);
        cr_expect_gt(seen[F_MAX], 0, "flags 0x%x: no FLT_MAX", flags[i]);
    }
}

/* A range whose doubles round to subnormal floats and to -0.0f: the flags
 * still hold after rounding. */
static void prop_float_tiny(gf_case *tc)
{
    float f = *(float *)gf_draw(
        tc, gf_float_in(-1e-30f, 1e-30f,
                        GF_DOUBLE_FINITE | GF_DOUBLE_NO_SUBNORMAL |
                            GF_DOUBLE_NO_NEG_ZERO));
    GF_ASSERT(tc, f >= -1e-30f && f <= 1e-30f);
    GF_ASSERT(tc, fpclassify(f) != FP_SUBNORMAL);
    GF_ASSERT(tc, !(f == 0 && signbit(f)));
    seen[0] += f == FLT_MIN;
    seen[1] += f == 0;
}

Test(floats, flags_hold_after_rounding)
{
    reset_counts();
    RUN_PASSING(prop_float_tiny, 40, 2000);
    cr_expect_gt(seen[0], 0, "FLT_MIN never drawn");
    cr_expect_gt(seen[1], 0, "0 never drawn");
}

static void prop_float_range(gf_case *tc)
{
    float f =
        *(float *)gf_draw(tc, gf_float_in(-1.5f, 1e6f, GF_DOUBLE_FINITE));
    GF_ASSERT(tc, f >= -1.5f && f <= 1e6f);
    seen[0] += f == -1.5f;
    seen[1] += f == 1e6f;
    /* Bounded, no flags: as for doubles, no NaN, and no -0.0 when lo is
     * +0.0. */
    float u = *(float *)gf_draw(tc, gf_float_in(0.0f, 1.0f, 0));
    GF_ASSERT(tc, u >= 0.0f && u <= 1.0f);
    GF_ASSERT(tc, !signbit(u));
    seen[2] += u == 1.0f;
}

Test(floats, range_honoured)
{
    reset_counts();
    RUN_PASSING(prop_float_range, 41, 2000);
    cr_expect_gt(seen[0], 0, "lo never drawn");
    cr_expect_gt(seen[1], 0, "hi never drawn");
    cr_expect_gt(seen[2], 0, "1.0f never drawn");
}

/* A wide finite range is covered at every scale, not mostly near its
 * bounds (uniform draws over [-1e300, 1e300] are nearly all above 1e290). */
static void prop_wide_range(gf_case *tc)
{
    double d = *(double *)gf_draw(tc, gf_double_in(-1e300, 1e300,
                                                   GF_DOUBLE_FINITE));
    GF_ASSERT(tc, d >= -1e300 && d <= 1e300);
    double a = fabs(d);
    seen[0] += a >= 1e290;
    seen[1] += a >= 1e3 && a < 1e290;
    seen[2] += a < 1e3;
}

Test(floats, wide_range_covers_every_scale)
{
    reset_counts();
    RUN_PASSING(prop_wide_range, 43, 4000);
    cr_expect_gt(seen[1], 4000 / 5, "only %ld of 4000 between 1e3 and 1e290",
                 (long)seen[1]);
    cr_expect_gt(seen[2], 4000 / 5, "only %ld of 4000 below 1e3", (long)seen[2]);
    cr_expect_gt(seen[0], 0, "the bounds' scale never drawn");
}

/* ---- every named edge of double and float, seed by seed ----------------- */

/*
 * docs/generators.md names the edges of gf_double and gf_float.  Each must
 * come within EDGE_DRAWS draws of a property drawing one value per case, on
 * at least 95 of 100 seeds.  Edges are compared by their bits, so the NaNs
 * (quiet, negative, signalling, with a payload) and -0.0 are told apart.
 */
#define EDGE_SEEDS 100
#define EDGE_DRAWS 2000

typedef struct named_edge {
    const char *name;
    uint64_t bits;
} named_edge;

static uint64_t bits_of_double(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static uint64_t bits_of_float(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

#define D(x) {#x, 0}
static named_edge double_named[] = {
    D(0.0), D(-0.0), D(1.0), D(-1.0), D(0.5), D(-0.5), D(2.0), D(2.5),
    D(0.1), D(1.0 / 3.0), D(123456789.12345678), D(1e22), D(2147483647.0),
    D(-2147483648.0), D(4294967295.0),
    D(0.1 + 0.2), D(0.30000000000000004), D(0.1 + 0.7),
    D(0x1.fffffffffffffp-1), D(1.0000000000000002), D(DBL_EPSILON),
    D(0x1p53 - 1), D(0x1p53), D(9007199254740993.0), D(0x1p53 + 2),
    D(-0x1p53), D(2147483648.0), D(4294967296.0),
    D(9223372036854774784.0), D((double)INT64_MAX), D((double)INT64_MIN),
    D(0x1p64), D(1e23), D(DBL_MIN), D(-DBL_MIN),
    D(2.2250738585072011e-308), D(DBL_TRUE_MIN), D(5e-324),
    D(-DBL_TRUE_MIN), D(DBL_MAX), D(-DBL_MAX), D(INFINITY), D(-INFINITY),
};
#undef D
static const double double_named_values[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 2.5,
    0.1, 1.0 / 3.0, 123456789.12345678, 1e22, 2147483647.0,
    -2147483648.0, 4294967295.0,
    0.1 + 0.2, 0.30000000000000004, 0.1 + 0.7,
    0x1.fffffffffffffp-1, 1.0000000000000002, DBL_EPSILON,
    0x1p53 - 1, 0x1p53, 9007199254740993.0, 0x1p53 + 2,
    -0x1p53, 2147483648.0, 4294967296.0,
    9223372036854774784.0, (double)INT64_MAX, (double)INT64_MIN,
    0x1p64, 1e23, DBL_MIN, -DBL_MIN,
    2.2250738585072011e-308, DBL_TRUE_MIN, 5e-324,
    -DBL_TRUE_MIN, DBL_MAX, -DBL_MAX, INFINITY, -INFINITY,
};
static const named_edge double_nans[] = {
    {"NAN", 0x7FF8000000000000ull},
    {"-NAN", 0xFFF8000000000000ull},
    {"signalling NaN", 0x7FF0000000000001ull},
    {"negative signalling NaN", 0xFFF0000000000001ull},
    {"NaN with a payload", 0x7FF800000000BEEFull},
};
#define DOUBLE_NAMED (sizeof double_named / sizeof double_named[0])
_Static_assert(sizeof double_named_values / sizeof double_named_values[0] ==
                   DOUBLE_NAMED,
               "one value per named double edge");
#define DOUBLE_NANS (sizeof double_nans / sizeof double_nans[0])
#define EDGES_MAX (DOUBLE_NAMED + DOUBLE_NANS)

static const named_edge *edges_under_test;
static size_t nedges_under_test;
static bool edges_are_floats;
/* The draw (1-based) at which each edge first came, 0 if not yet. */
static unsigned long edge_first[EDGES_MAX];

static void note_edge(uint64_t bits)
{
    draws++;
    for (size_t i = 0; i < nedges_under_test; i++)
        if (edges_under_test[i].bits == bits && edge_first[i] == 0)
            edge_first[i] = draws;
}

static void prop_named_edges(gf_case *tc)
{
    if (edges_are_floats)
        note_edge(bits_of_float(*(float *)gf_draw(tc, gf_float())));
    else
        note_edge(bits_of_double(*(double *)gf_draw(tc, gf_double())));
}

/* Run EDGE_SEEDS seeds of EDGE_DRAWS draws; every edge must come within
 * them on at least 95 seeds. */
static void expect_named_edges(const named_edge *edges, size_t n,
                               bool floats, uint64_t first_seed)
{
    unsigned found[EDGES_MAX] = {0};
    cr_assert_leq(n, EDGES_MAX);
    edges_under_test = edges;
    nedges_under_test = n;
    edges_are_floats = floats;
    for (uint64_t seed = first_seed; seed < first_seed + EDGE_SEEDS;
         seed++) {
        memset(edge_first, 0, sizeof edge_first);
        draws = 0;
        RUN_PASSING(prop_named_edges, seed, EDGE_DRAWS);
        for (size_t i = 0; i < n; i++)
            found[i] += edge_first[i] > 0 && edge_first[i] <= EDGE_DRAWS;
    }
    size_t fewest = 0;
    for (size_t i = 1; i < n; i++)
        if (found[i] < found[fewest])
            fewest = i;
    cr_log_info("%s: the rarest edge, %s, came in time on %u of %d seeds",
                floats ? "float" : "double", edges[fewest].name,
                found[fewest], EDGE_SEEDS);
    for (size_t i = 0; i < n; i++)
        cr_expect_geq(found[i], 95,
                      "%s %s: within %d draws on only %u of %d seeds",
                      floats ? "float" : "double", edges[i].name, EDGE_DRAWS,
                      found[i], EDGE_SEEDS);
}

Test(doubles, every_named_edge_within_2000_draws)
{
    named_edge all[EDGES_MAX];
    size_t n = 0;
    for (size_t i = 0; i < DOUBLE_NAMED; i++) {
        all[n] = double_named[i];
        all[n++].bits = bits_of_double(double_named_values[i]);
    }
    for (size_t i = 0; i < DOUBLE_NANS; i++)
        all[n++] = double_nans[i];
    /* Spot checks that the table says what it means. */
    cr_assert_eq(bits_of_double(9007199254740993.0),
                 bits_of_double(0x1p53), "2^53 + 1 rounds to 2^53");
    cr_assert_eq(bits_of_double(2.2250738585072011e-308),
                 bits_of_double(nextafter(DBL_MIN, 0)),
                 "2.2250738585072011e-308 is the largest subnormal");
    expect_named_edges(all, n, false, 1000);
}

Test(floats, every_named_edge_within_2000_draws)
{
    static const float values[] = {
        0.0f, -0.0f, 1.0f, -1.0f, 0.5f, -0.5f, 2.0f, 2.5f, 0.1f,
        1.0f / 3.0f, 0x1.fffffep-1f, 0x1.000002p0f, FLT_EPSILON,
        16777215.0f, 16777216.0f, 16777217.0f, 16777218.0f,
        (float)INT32_MAX, (float)INT32_MIN, 4294967296.0f,
        (float)INT64_MAX, (float)UINT64_MAX, FLT_MIN,
        -FLT_MIN, 0x1.fffffcp-127f, FLT_TRUE_MIN, -FLT_TRUE_MIN, FLT_MAX,
        -FLT_MAX, INFINITY, -INFINITY,
    };
    static const char *const names[] = {
        "0.0f", "-0.0f", "1.0f", "-1.0f", "0.5f", "-0.5f", "2.0f", "2.5f",
        "0.1f", "1.0f / 3.0f", "1 - 2^-24", "1 + 2^-23", "FLT_EPSILON",
        "2^24 - 1", "2^24", "2^24 + 1 (rounds to 2^24)", "2^24 + 2",
        "(float)INT32_MAX", "(float)INT32_MIN", "2^32",
        "(float)INT64_MAX", "(float)UINT64_MAX",
        "FLT_MIN", "-FLT_MIN", "the largest float subnormal",
        "FLT_TRUE_MIN", "-FLT_TRUE_MIN", "FLT_MAX", "-FLT_MAX", "INFINITY",
        "-INFINITY",
    };
    static const named_edge nans[] = {
        {"NAN", 0x7FC00000u}, {"-NAN", 0xFFC00000u},
        {"signalling NaN", 0x7F800001u},
        {"negative signalling NaN", 0xFF800001u},
        {"NaN with a payload", 0x7FC0BEEFu},
    };
    _Static_assert(sizeof values / sizeof values[0] ==
                       sizeof names / sizeof names[0],
                   "one name per float edge");
    named_edge all[EDGES_MAX];
    size_t n = 0;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        all[n++] = (named_edge){names[i], bits_of_float(values[i])};
    for (size_t i = 0; i < sizeof nans / sizeof nans[0]; i++)
        all[n++] = nans[i];
    expect_named_edges(all, n, true, 2000);
}

/* ---- bytes -------------------------------------------------------------- */

static void prop_bytes(gf_case *tc)
{
    const gf_bytes_value *v = gf_draw(tc, gf_bytes(0, 40));
    GF_ASSERT(tc, v->len <= 40);
    GF_ASSERT(tc, v->data != NULL);
    seen[0] += v->len == 0;
    seen[1] += v->len == 40;
    for (size_t i = 0; i < v->len; i++) {
        seen[2] += v->data[i] == 0x00;
        seen[3] += v->data[i] == 0xFF;
        seen[4] += v->data[i] >= 0x80;
    }
}

Test(text, bytes_lengths_and_edges)
{
    reset_counts();
    RUN_PASSING(prop_bytes, 50, 1000);
    cr_expect_gt(seen[0], 0, "empty never drawn");
    cr_expect_gt(seen[1], 0, "max length never drawn");
    cr_expect_gt(seen[2], 0, "0x00 never drawn");
    cr_expect_gt(seen[3], 0, "0xFF never drawn");
    cr_expect_gt(seen[4], 0, "no high byte drawn");
}

static void prop_bytes_min(gf_case *tc)
{
    const gf_bytes_value *v = gf_draw(tc, gf_bytes(3, 5));
    GF_ASSERT(tc, v->len >= 3 && v->len <= 5);
}

Test(text, bytes_min_honoured)
{
    RUN_PASSING(prop_bytes_min, 51, 300);
}

/* ---- ascii -------------------------------------------------------------- */

static void prop_ascii(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_ascii(0, 12));
    size_t n = strlen(s);
    GF_ASSERT(tc, n <= 12);
    for (size_t i = 0; i < n; i++)
        GF_ASSERT(tc, s[i] >= 0x20 && s[i] <= 0x7E);
    seen[0] += n == 0;
    seen[1] += n == 12;
    seen[2] += strchr(s, '"') != NULL;
    seen[3] += strchr(s, '\\') != NULL;
    seen[4] += strchr(s, ' ') != NULL;
    seen[5] += strchr(s, '~') != NULL;
    seen[6] += strchr(s, 'a') != NULL;
    seen[7] += strchr(s, 'Z') != NULL;
}

Test(text, ascii_printable_and_biased)
{
    reset_counts();
    RUN_PASSING(prop_ascii, 60, 1000);
    cr_expect_gt(seen[0], 0, "empty never drawn");
    cr_expect_gt(seen[1], 0, "max length never drawn");
    cr_expect_gt(seen[2], 0, "'\"' never drawn");
    cr_expect_gt(seen[3], 0, "'\\' never drawn");
    cr_expect_gt(seen[4], 0, "' ' never drawn");
    cr_expect_gt(seen[5], 0, "'~' never drawn");
    cr_expect_gt(seen[6], 0, "'a' never drawn");
    cr_expect_gt(seen[7], 0, "'Z' never drawn");
}

static void prop_ascii_counts(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_ascii(2, 4));
    GF_ASSERT(tc, strlen(s) >= 2 && strlen(s) <= 4);
    seen[strlen(s)]++;
}

Test(text, ascii_min_max_honoured)
{
    reset_counts();
    RUN_PASSING(prop_ascii_counts, 61, 500);
    cr_expect_gt(seen[2], 0);
    cr_expect_gt(seen[4], 0);
}

/* ---- utf8 --------------------------------------------------------------- */

enum {
    U_EMPTY, U_TWO, U_THREE, U_FOUR, U_COMBINING, U_FFFF, U_MAX, U_ZWJ_SEQ,
    U_RLO, U_BOM, U_CONTROL, U_ASCII, U_MAX_COUNT,
};

#define UTF8_MAX_CHARS 10

static void prop_utf8(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_utf8(0, UTF8_MAX_CHARS));
    uint32_t cps[UTF8_MAX_CHARS];
    long n = utf8_decode_strict(s, strlen(s), cps, UTF8_MAX_CHARS);
    GF_ASSERT(tc, n >= 0); /* well-formed: no surrogates, no overlongs */
    GF_ASSERT(tc, n <= UTF8_MAX_CHARS);
    seen[U_EMPTY] += n == 0;
    seen[U_MAX_COUNT] += n == UTF8_MAX_CHARS;
    for (long i = 0; i < n; i++) {
        uint32_t c = cps[i];
        seen[U_ASCII] += c < 0x80;
        seen[U_TWO] += c >= 0x80 && c < 0x800;
        seen[U_THREE] += c >= 0x800 && c < 0x10000;
        seen[U_FOUR] += c >= 0x10000;
        seen[U_COMBINING] += c >= 0x300 && c <= 0x36F;
        seen[U_FFFF] += c == 0xFFFF;
        seen[U_MAX] += c == 0x10FFFF;
        seen[U_RLO] += c == 0x202E;
        seen[U_BOM] += c == 0xFEFF;
        seen[U_CONTROL] += c < 0x20;
        seen[U_ZWJ_SEQ] += i + 2 < n && c == 0x1F469 && cps[i + 1] == 0x200D &&
                           cps[i + 2] == 0x1F4BB;
    }
}

Test(text, utf8_well_formed_and_biased)
{
    reset_counts();
    RUN_PASSING(prop_utf8, 70, 1500);
    cr_expect_gt(seen[U_EMPTY], 0, "empty never drawn");
    cr_expect_gt(seen[U_MAX_COUNT], 0, "max length never drawn");
    cr_expect_gt(seen[U_ASCII], 0, "no ASCII drawn");
    cr_expect_gt(seen[U_TWO], 0, "no 2-byte sequence drawn");
    cr_expect_gt(seen[U_THREE], 0, "no 3-byte sequence drawn");
    cr_expect_gt(seen[U_FOUR], 0, "no 4-byte sequence drawn");
    cr_expect_gt(seen[U_COMBINING], 0, "no combining mark drawn");
    cr_expect_gt(seen[U_FFFF], 0, "U+FFFF never drawn");
    cr_expect_gt(seen[U_MAX], 0, "U+10FFFF never drawn");
    cr_expect_gt(seen[U_RLO], 0, "U+202E never drawn");
    cr_expect_gt(seen[U_BOM], 0, "U+FEFF never drawn");
    cr_expect_gt(seen[U_CONTROL], 0, "no control character drawn");
    cr_expect_gt(seen[U_ZWJ_SEQ], 0, "no woman-technologist ZWJ sequence");
}

static void prop_utf8_counts(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_utf8(3, 5));
    long n = utf8_decode_strict(s, strlen(s), NULL, 0);
    GF_ASSERT(tc, n >= 3 && n <= 5); /* code points, not bytes */
    seen[n]++;
    seen[6] += strlen(s) > 5;
}

Test(text, utf8_counts_code_points)
{
    reset_counts();
    RUN_PASSING(prop_utf8_counts, 71, 500);
    cr_expect_gt(seen[3], 0);
    cr_expect_gt(seen[5], 0);
    cr_expect_gt(seen[6], 0, "never more bytes than code points");
}

/* ---- array -------------------------------------------------------------- */

static void prop_array(gf_case *tc)
{
    const gf_array_value *a = gf_draw(tc, gf_array(gf_int8(), 0, 6));
    GF_ASSERT(tc, a->len <= 6);
    GF_ASSERT(tc, a->items != NULL);
    seen[a->len]++;
    const int8_t *xs = a->items;
    for (size_t i = 0; i < a->len; i++)
        seen[7] += xs[i] == INT8_MIN;
}

Test(combinators, array_lengths)
{
    reset_counts();
    RUN_PASSING(prop_array, 80, 1000);
    for (int n = 0; n <= 6; n++)
        cr_expect_gt(seen[n], 0, "length %d never drawn", n);
    cr_expect_gt(seen[7], 0, "elements not biased: no INT8_MIN");
}

/* Items are contiguous at the element's stride, pointer elements too. */
static void prop_array_of_text(gf_case *tc)
{
    size_t n;
    char **items = gf_draw_array(tc, gf_utf8(0, 3), 2, 4, &n);
    GF_ASSERT(tc, n >= 2 && n <= 4);
    for (size_t i = 0; i < n; i++) {
        long count = utf8_decode_strict(items[i], strlen(items[i]), NULL, 0);
        GF_ASSERT(tc, count >= 0 && count <= 3);
    }
    const gf_array_value *a = gf_draw(tc, gf_array(gf_double(), 3, 3));
    GF_ASSERT_EQ_UINT(tc, a->len, 3);
    seen[0]++;
}

Test(combinators, array_of_pointers_and_fixed_length)
{
    reset_counts();
    RUN_PASSING(prop_array_of_text, 81, 300);
    cr_expect_gt(seen[0], 0);
}

/* ---- optional ----------------------------------------------------------- */

static void prop_optional(gf_case *tc)
{
    const int32_t *p = gf_draw(tc, gf_optional(gf_int32()));
    /* optional(text) is the string or NULL, as gf_draw(text) would be. */
    const char *s = gf_draw(tc, gf_optional(gf_ascii(1, 3)));
    draws++;
    seen[0] += p == NULL;
    seen[1] += p != NULL && *p == INT32_MIN;
    seen[2] += s == NULL;
    if (s)
        GF_ASSERT(tc, strlen(s) >= 1 && strlen(s) <= 3);
}

Test(combinators, optional_null_about_one_in_four)
{
    reset_counts();
    RUN_PASSING(prop_optional, 90, 1000);
    cr_expect_gt(seen[0], draws / 10, "NULL in only %lu of %lu", seen[0],
                 draws);
    cr_expect_lt(seen[0], draws * 45 / 100, "NULL in %lu of %lu", seen[0],
                 draws);
    cr_expect_gt(seen[1], 0, "inner value not biased");
    cr_expect_gt(seen[2], 0, "optional text never NULL");
    cr_expect_lt(seen[2], draws / 2, "optional text mostly NULL");
}

/* ---- one_of, frequency -------------------------------------------------- */

/* Alternatives with huge, disjoint ranges: which one drew is v / 1000000,
 * and the space is too big to be exhausted. */
static void prop_one_of(gf_case *tc)
{
    int64_t v = *(int64_t *)gf_draw(
        tc, gf_one_of(gf_int(0, 999999), gf_int(1000000, 1999999),
                      gf_int(2000000, 2999999)));
    GF_ASSERT(tc, v >= 0 && v <= 2999999);
    seen[v / 1000000]++;
    draws++;
}

Test(combinators, one_of_roughly_uniform)
{
    reset_counts();
    RUN_PASSING(prop_one_of, 100, 1500);
    for (int i = 0; i < 3; i++) {
        cr_expect_gt(seen[i], draws * 15 / 100, "alternative %d: %lu of %lu",
                     i, seen[i], draws);
        cr_expect_lt(seen[i], draws * 55 / 100, "alternative %d: %lu of %lu",
                     i, seen[i], draws);
    }
}

static void prop_frequency(gf_case *tc)
{
    int64_t v = *(int64_t *)gf_draw(
        tc, gf_frequency(1, gf_int(0, 999999), 3, gf_int(1000000, 1999999),
                         4, gf_int(2000000, 2999999)));
    seen[v / 1000000]++;
    draws++;
}

Test(combinators, frequency_follows_weights)
{
    reset_counts();
    RUN_PASSING(prop_frequency, 101, 2000);
    /* Expected 1/8, 3/8, 4/8 of the draws. */
    double share[3];
    for (int i = 0; i < 3; i++)
        share[i] = (double)seen[i] / (double)draws;
    cr_expect(share[0] > 0.07 && share[0] < 0.19, "weight 1: %f", share[0]);
    cr_expect(share[1] > 0.30 && share[1] < 0.45, "weight 3: %f", share[1]);
    cr_expect(share[2] > 0.42 && share[2] < 0.58, "weight 4: %f", share[2]);
}

/* ---- filter ------------------------------------------------------------- */

static bool is_even(const void *v, void *env)
{
    (void)env;
    return *(const int32_t *)v % 2 == 0;
}

static bool nonempty(const void *v, void *env)
{
    (void)env;
    return *(const char *)v != '\0'; /* text: the char * itself */
}

static void prop_filter(gf_case *tc)
{
    int32_t v = *(int32_t *)gf_draw(tc, gf_filter(gf_int32(), is_even, NULL));
    GF_ASSERT(tc, v % 2 == 0);
    const char *s = gf_draw(tc, gf_filter(gf_utf8(0, 4), nonempty, NULL));
    GF_ASSERT(tc, *s != '\0');
    draws++;
}

Test(combinators, filter_never_yields_rejected)
{
    reset_counts();
    RUN_PASSING(prop_filter, 110, 1000);
    cr_expect_gt(draws, 900);
}

static bool reject_all(const void *v, void *env)
{
    (void)v;
    (void)env;
    return false;
}

static void prop_filter_hopeless(gf_case *tc)
{
    gf_draw(tc, gf_filter(gf_int32(), reject_all, NULL));
    GF_FAIL(tc, "a hopeless filter let a value through");
}

Test(combinators, hopeless_filter_fails_the_run)
{
    gf_result r;
    gf_status st = run_property("hopeless", prop_filter_hopeless, 111, 100,
                                &r);
    cr_expect_neq(st, GF_PASSED);
    cr_expect_neq(st, GF_FAILED, "the property body never ran to its end");
    cr_expect(r.message && strstr(r.message, "filter"), "message: %s",
              r.message ? r.message : "(none)");
    cr_expect(r.message && strstr(r.message, "int32"), "message: %s",
              r.message ? r.message : "(none)");
    gf_result_free(&r);
}

/* ---- map, bind ---------------------------------------------------------- */

static void twice(gf_case *tc, const void *in, void *out, void *env)
{
    (void)tc;
    *(int64_t *)out = 2 * (int64_t)*(const int32_t *)in + *(int *)env;
}

static void length_of(gf_case *tc, const void *in, void *out, void *env)
{
    (void)tc;
    (void)env;
    *(size_t *)out = strlen(in); /* text: the char * itself */
}

static int one = 1;

static void prop_map(gf_case *tc)
{
    int64_t v = *(int64_t *)gf_draw(
        tc, gf_map(gf_int32(), sizeof(int64_t), twice, NULL, &one));
    GF_ASSERT(tc, v % 2 != 0); /* 2x + 1 */
    size_t n = *(size_t *)gf_draw(
        tc, gf_map(gf_ascii(0, 5), sizeof(size_t), length_of, NULL, NULL));
    GF_ASSERT(tc, n <= 5);
    seen[0] += v == 2 * (int64_t)INT32_MIN + 1;
}

Test(combinators, map_applies_function)
{
    reset_counts();
    RUN_PASSING(prop_map, 120, 1000);
    cr_expect_gt(seen[0], 0, "input bias lost through map");
}

/* bind: the first value n chooses an array of exactly n items in [-n, n]. */
static const gf_gen *array_of_n(const void *v, void *env)
{
    (void)env;
    int64_t n = *(const int64_t *)v;
    return gf_array(gf_int(-n, n), (size_t)n, (size_t)n);
}

static void prop_bind(gf_case *tc)
{
    const gf_array_value *a =
        gf_draw(tc, gf_bind(gf_int(0, 8), array_of_n, NULL));
    const int64_t *xs = a->items;
    for (size_t i = 0; i < a->len; i++)
        GF_ASSERT(tc, xs[i] >= -(int64_t)a->len && xs[i] <= (int64_t)a->len);
    seen[a->len]++;
}

Test(combinators, bind_draws_from_chosen_generator)
{
    reset_counts();
    RUN_PASSING(prop_bind, 121, 1000);
    cr_expect_gt(seen[0], 0);
    cr_expect_gt(seen[8], 0);
}

/* ---- recursive ---------------------------------------------------------- */

/* Trees of int64 depths: a leaf is 0, a node one more than its deepest
 * child; leaves carry a payload in the low digits to keep inputs distinct. */
#define DEPTH_UNIT 1000000000

static void node_depth(gf_case *tc, const void *in, void *out, void *env)
{
    (void)tc;
    (void)env;
    const gf_array_value *kids = in;
    const int64_t *k = kids->items;
    int64_t deepest = 0;
    for (size_t i = 0; i < kids->len; i++)
        if (k[i] / DEPTH_UNIT > deepest)
            deepest = k[i] / DEPTH_UNIT;
    int64_t payload = kids->len ? k[0] % DEPTH_UNIT : 0;
    *(int64_t *)out = (deepest + 1) * DEPTH_UNIT + payload;
}

static const gf_gen *tree_level(const gf_gen *self, void *env)
{
    (void)env;
    return gf_map(gf_array(self, 1, 3), sizeof(int64_t), node_depth, NULL,
                  NULL);
}

static void prop_recursive(gf_case *tc)
{
    const gf_gen *tree =
        gf_recursive(gf_int(0, DEPTH_UNIT - 1), tree_level, 4, NULL);
    int64_t depth = *(int64_t *)gf_draw(tc, tree) / DEPTH_UNIT;
    GF_ASSERT(tc, depth >= 0 && depth <= 4);
    seen[depth]++;
}

Test(combinators, recursive_depth_limited)
{
    reset_counts();
    RUN_PASSING(prop_recursive, 130, 1000);
    cr_expect_gt(seen[0], 0, "no leaf");
    cr_expect_gt(seen[1], 0, "no depth 1");
    cr_expect_gt(seen[4], 0, "max depth never reached");
}

/* ---- custom ------------------------------------------------------------- */

typedef struct range2 {
    int32_t lo, hi;
} range2;

static void draw_range2(gf_case *tc, void *out, void *env)
{
    range2 *r = out;
    int32_t limit = *(int32_t *)env;
    r->lo = (int32_t)gf_draw_int(tc, -limit, limit);
    r->hi = (int32_t)gf_draw_int(tc, r->lo, limit);
}

static int32_t limit_100 = 100;

static void prop_custom(gf_case *tc)
{
    const gf_gen *g =
        gf_custom("range2", sizeof(range2), draw_range2, NULL, &limit_100);
    const range2 *r = gf_draw(tc, g);
    GF_ASSERT(tc, -100 <= r->lo && r->lo <= r->hi && r->hi <= 100);
    seen[0] += r->lo == r->hi;
}

Test(combinators, custom_draws_with_env)
{
    reset_counts();
    RUN_PASSING(prop_custom, 140, 500);
    cr_expect_gt(seen[0], 0);
}

/* ---- interning ---------------------------------------------------------- */

static bool always(const void *v, void *env)
{
    (void)v;
    (void)env;
    return true;
}

Test(interning, equal_arguments_same_generator)
{
    cr_expect_eq(gf_int32(), gf_int32());
    cr_expect_eq(gf_int(1, 5), gf_int(1, 5));
    cr_expect_neq(gf_int(1, 5), gf_int(1, 6));
    cr_expect_neq(gf_int(1, 5), gf_uint(1, 5));
    cr_expect_eq(gf_double_in(0.0, 1.0, 0), gf_double_in(0.0, 1.0, 0));
    cr_expect_neq(gf_double_in(-0.0, 1.0, 0), gf_double_in(0.0, 1.0, 0));
    cr_expect_neq(gf_double_in(0.0, 1.0, 0),
                  gf_double_in(0.0, 1.0, GF_DOUBLE_NO_NAN));
    cr_expect_eq(gf_utf8(0, 5), gf_utf8(0, 5));
    cr_expect_neq(gf_utf8(0, 5), gf_ascii(0, 5));
    cr_expect_eq(gf_array(gf_array(gf_int8(), 0, 3), 1, 2),
                 gf_array(gf_array(gf_int8(), 0, 3), 1, 2));
    cr_expect_eq(gf_one_of(gf_int8(), gf_uint8()),
                 gf_one_of(gf_int8(), gf_uint8()));
    cr_expect_neq(gf_one_of(gf_int8(), gf_uint8()),
                  gf_one_of(gf_uint8(), gf_int8()));
    cr_expect_eq(gf_frequency(2, gf_int8(), 1, gf_uint8()),
                 gf_frequency(2, gf_int8(), 1, gf_uint8()));
    cr_expect_neq(gf_frequency(2, gf_int8(), 1, gf_uint8()),
                  gf_frequency(3, gf_int8(), 1, gf_uint8()));
    cr_expect_eq(gf_filter(gf_int32(), always, NULL),
                 gf_filter(gf_int32(), always, NULL));
    cr_expect_neq(gf_filter(gf_int32(), always, NULL),
                  gf_filter(gf_int32(), always, &one));
    cr_expect_eq(gf_recursive(gf_int(0, 9), tree_level, 3, NULL),
                 gf_recursive(gf_int(0, 9), tree_level, 3, NULL));
    cr_expect_neq(gf_recursive(gf_int(0, 9), tree_level, 3, NULL),
                  gf_recursive(gf_int(0, 9), tree_level, 2, NULL));
    cr_expect_str_eq(gf_gen_name(gf_array(gf_int32(), 0, 4)),
                     "array(int32, 0, 4)");
    cr_expect_eq(gf_gen_value_size(gf_int16()), 2);
    cr_expect_eq(gf_gen_value_size(gf_utf8(0, 1)), sizeof(char *));
    cr_expect_eq(gf_gen_value_size(gf_array(gf_int8(), 0, 1)),
                 sizeof(gf_array_value));
    /* The collections copy their lists: equal content, one generator. */
    cr_expect_eq(gf_unique_array(gf_int8(), 0, 3),
                 gf_unique_array(gf_int8(), 0, 3));
    cr_expect_neq(gf_unique_array(gf_int8(), 0, 3), gf_array(gf_int8(), 0, 3));
    cr_expect_eq(gf_dict(gf_int8(), gf_bool(), 0, 3),
                 gf_dict(gf_int8(), gf_bool(), 0, 3));
    cr_expect_neq(gf_dict(gf_int8(), gf_bool(), 0, 3),
                  gf_dict(gf_bool(), gf_int8(), 0, 3));
    int64_t list_a[] = {1, 2, 3}, list_b[] = {1, 2, 3};
    cr_expect_eq(gf_subsequence_int(list_a, 3, 0, 3),
                 gf_subsequence_int(list_b, 3, 0, 3));
    list_b[2] = 4;
    cr_expect_neq(gf_subsequence_int(list_a, 3, 0, 3),
                  gf_subsequence_int(list_b, 3, 0, 3));
    char alphabet[] = "abc";
    const gf_gen *abc = gf_string_from(alphabet, 0, 4);
    alphabet[0] = 'x';
    cr_expect_neq(abc, gf_string_from(alphabet, 0, 4),
                  "the alphabet is copied, not pointed to");
    cr_expect_eq(abc, gf_string_from("abc", 0, 4));
    cr_expect_eq(gf_sized(gf_int8(), 0, 0.5), gf_sized(gf_int8(), 0, 0.5));
}

/* Many alternatives (more than fit the constructor's stack buffer). */
Test(interning, many_alternatives)
{
    const gf_gen *a = gf_int8(), *b = gf_uint8();
    const gf_gen *g1 = gf_one_of(a, b, a, b, a, b, a, b, a, b, a, b, a, b, a,
                                 b, a, b, a, b);
    const gf_gen *g2 = gf_one_of(a, b, a, b, a, b, a, b, a, b, a, b, a, b, a,
                                 b, a, b, a, b);
    cr_expect_eq(g1, g2);
    cr_expect_eq(gf_gen_value_size(g1), 1);
}

/* Constructors race from several threads: each distinct generator is made
 * once, and every thread gets that one. */
#define RACE_THREADS 4
#define RACE_GENS 2000

static const gf_gen *raced[RACE_THREADS][RACE_GENS];

static void *construct_many(void *arg)
{
    const gf_gen **out = arg;
    for (int i = 0; i < RACE_GENS; i++)
        out[i] = gf_array(gf_int(i, 2 * i), 0, (size_t)i);
    return NULL;
}

Test(interning, thread_safe)
{
    pthread_t threads[RACE_THREADS];
    for (int t = 0; t < RACE_THREADS; t++)
        cr_assert_eq(pthread_create(&threads[t], NULL, construct_many,
                                    raced[t]),
                     0);
    for (int t = 0; t < RACE_THREADS; t++)
        pthread_join(threads[t], NULL);
    for (int t = 1; t < RACE_THREADS; t++)
        for (int i = 0; i < RACE_GENS; i++)
            cr_assert_eq(raced[t][i], raced[0][i], "thread %d, gen %d", t, i);
    for (int i = 1; i < RACE_GENS; i++)
        cr_assert_neq(raced[0][i], raced[0][i - 1]);
    cr_expect_str_eq(gf_gen_name(raced[0][7]), "array(int(7, 14), 0, 7)");
}

/* ---- a seed pins the values --------------------------------------------- */

#define LOG_MAX 400
static char *value_log[LOG_MAX];
static size_t nlog;

static const gf_gen *mixed(void)
{
    return gf_array(gf_one_of(gf_map(gf_int32(), sizeof(int64_t), twice, NULL,
                                     &one),
                              gf_int(-5, 5)),
                    0, 4);
}

static void prop_log_values(gf_case *tc)
{
    const gf_gen *gens[] = {mixed(), gf_utf8(0, 6), gf_double(), gf_float(),
                            gf_optional(gf_bytes(0, 3))};
    for (size_t i = 0; i < sizeof gens / sizeof gens[0]; i++) {
        void *v = gf_draw(tc, gens[i]);
        const void *slot = (gens[i]->flags & GF_GEN_POINTER_VALUE) ? &v : v;
        if (nlog < LOG_MAX)
            value_log[nlog++] = gf_value_to_string(gens[i], slot);
    }
}

static size_t log_run(uint64_t seed, char **out, size_t cap)
{
    nlog = 0;
    RUN_PASSING(prop_log_values, seed, 60);
    size_t n = nlog < cap ? nlog : cap;
    memcpy(out, value_log, n * sizeof *out);
    for (size_t i = n; i < nlog; i++)
        free(value_log[i]);
    return n;
}

static void free_log(char **log, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(log[i]);
}

Test(determinism, same_seed_same_values)
{
    static char *first[LOG_MAX], *second[LOG_MAX], *other[LOG_MAX];
    size_t n1 = log_run(150, first, LOG_MAX);
    size_t n2 = log_run(150, second, LOG_MAX);
    size_t n3 = log_run(151, other, LOG_MAX);
    cr_expect_eq(n1, n2);
    cr_expect_gt(n1, 100);
    for (size_t i = 0; i < n1 && i < n2; i++)
        cr_expect_str_eq(first[i], second[i], "value %zu differs", i);
    size_t differ = 0;
    for (size_t i = 0; i < n1 && i < n3; i++)
        differ += strcmp(first[i], other[i]) != 0;
    cr_expect_gt(differ, 0, "another seed gave the same values");
    free_log(first, n1);
    free_log(second, n2);
    free_log(other, n3);
}

/* ---- shrinking directions (what docs/generators.md promises) ----------- */


static void prop_fails_nonempty_ascii(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_ascii(0, 20));
    GF_ASSERT(tc, strlen(s) < 2);
}

static void prop_fails_nonempty_utf8(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_utf8(0, 20));
    GF_ASSERT(tc, strlen(s) == 0);
}

static void prop_fails_optional(gf_case *tc)
{
    const int32_t *p = gf_draw(tc, gf_optional(gf_int32()));
    int32_t x = *(int32_t *)gf_draw(tc, gf_int32());
    GF_ASSERT(tc, x < 10);
    (void)p;
}

static void prop_fails_long_array(gf_case *tc)
{
    size_t n;
    gf_draw_array(tc, gf_int32(), 0, 50, &n);
    GF_ASSERT(tc, n < 3);
}

static void prop_fails_float(gf_case *tc)
{
    float f = *(float *)gf_draw(tc, gf_float());
    GF_ASSERT(tc, !(f > 1.0f));
}

Test(shrinking, toward_simplest_values)
{
    expect_shrunk(prop_fails_nonempty_ascii, 160, "\"aa\"");
    expect_shrunk(prop_fails_nonempty_utf8, 161, "\"a\"");
    expect_shrunk(prop_fails_optional, 162, "#1 = NULL");
    expect_shrunk(prop_fails_long_array, 163, "{0, 0, 0}");
    expect_shrunk(prop_fails_float, 164, "2.0f");
}

/* ---- typed ranges -------------------------------------------------------- */

/* Each width's range: never outside, the bounds, 0, -1 and 1 all drawn,
 * and the value read back by the typed draw of its width. */
static void prop_int8_in(gf_case *tc)
{
    int8_t v = gf_draw_i8(tc, gf_int8_in(-100, 120), "v");
    GF_ASSERT(tc, v >= -100 && v <= 120);
    seen[0] += v == -100;
    seen[1] += v == 120;
    seen[2] += v == 0;
    seen[3] += v == -1;
    seen[4] += v == 1;
}

static void prop_int16_in(gf_case *tc)
{
    int16_t v = gf_draw_i16(tc, gf_int16_in(INT16_MIN, 300), "v");
    GF_ASSERT(tc, v <= 300);
    seen[0] += v == INT16_MIN;
    seen[1] += v == 300;
    seen[2] += v == 0;
    seen[3] += v == -1;
    seen[4] += v == 1;
}

static void prop_int32_in(gf_case *tc)
{
    int32_t v = gf_draw_i32(tc, gf_int32_in(-70000, INT32_MAX), "v");
    GF_ASSERT(tc, v >= -70000);
    seen[0] += v == -70000;
    seen[1] += v == INT32_MAX;
    seen[2] += v == 0;
    seen[3] += v == -1;
    seen[4] += v == 1;
}

static void prop_uint8_in(gf_case *tc)
{
    uint8_t v = gf_draw_u8(tc, gf_uint8_in(3, 200), "v");
    GF_ASSERT(tc, v >= 3 && v <= 200);
    seen[0] += v == 3;
    seen[1] += v == 200;
    seen[2] += v == 4;
    seen[3] += v == 199;
    seen[4] += v == 3;
}

static void prop_uint16_in(gf_case *tc)
{
    uint16_t v = gf_draw_u16(tc, gf_uint16_in(0, UINT16_MAX - 1), "v");
    GF_ASSERT(tc, v < UINT16_MAX);
    seen[0] += v == 0;
    seen[1] += v == UINT16_MAX - 1;
    seen[2] += v == 1;
    seen[3] += v == UINT16_MAX - 2;
    seen[4] += v == 0;
}

static void prop_uint32_in(gf_case *tc)
{
    uint32_t v = gf_draw_u32(tc, gf_uint32_in(1000, UINT32_MAX), "v");
    GF_ASSERT(tc, v >= 1000);
    seen[0] += v == 1000;
    seen[1] += v == UINT32_MAX;
    seen[2] += v == 1001;
    seen[3] += v == UINT32_MAX - 1;
    seen[4] += v == 1000;
}

#define EXPECT_RANGE_EDGES(prop, seed)                                       \
    do {                                                                     \
        reset_counts();                                                      \
        RUN_PASSING(prop, seed, 1000);                                       \
        for (int e = 0; e < 5; e++)                                          \
            cr_expect_gt(seen[e], 0, #prop ": edge %d never drawn", e);      \
    } while (0)

Test(typed_ranges, bounds_and_small_values_drawn)
{
    EXPECT_RANGE_EDGES(prop_int8_in, 200);
    EXPECT_RANGE_EDGES(prop_int16_in, 201);
    EXPECT_RANGE_EDGES(prop_int32_in, 202);
    EXPECT_RANGE_EDGES(prop_uint8_in, 203);
    EXPECT_RANGE_EDGES(prop_uint16_in, 204);
    EXPECT_RANGE_EDGES(prop_uint32_in, 205);
}

Test(typed_ranges, value_type_and_printing)
{
    cr_expect_eq(gf_gen_value_size(gf_int8_in(-1, 1)), 1);
    cr_expect_eq(gf_gen_value_size(gf_int16_in(-1, 1)), 2);
    cr_expect_eq(gf_gen_value_size(gf_int32_in(-1, 1)), 4);
    cr_expect_eq(gf_gen_value_size(gf_uint8_in(0, 1)), 1);
    cr_expect_eq(gf_gen_value_size(gf_uint16_in(0, 1)), 2);
    cr_expect_eq(gf_gen_value_size(gf_uint32_in(0, 1)), 4);
    cr_expect_eq(gf_int16_in(-5, 5), gf_int16_in(-5, 5));
    cr_expect_neq(gf_int16_in(-5, 5), gf_int32_in(-5, 5));
    cr_expect_str_eq(gf_gen_name(gf_int16_in(-5, 5)), "int16_in(-5, 5)");
    int8_t lo = INT8_MIN;
    char *s = gf_value_to_string(gf_int8_in(INT8_MIN, 0), &lo);
    cr_expect_str_eq(s, "INT8_MIN");
    free(s);
}

static void prop_i32_reads_int16_in(gf_case *tc)
{
    gf_draw_i32(tc, gf_int16_in(0, 10), "x");
}

static void prop_u8_reads_int8_in(gf_case *tc)
{
    gf_draw_u8(tc, gf_int8_in(0, 10), "x");
}

/* A typed draw of another width (or signedness) is misuse, as it is for
 * gf_int16(). */
Test(typed_ranges, typed_draw_of_another_width_rejected)
{
    gf_result r;
    cr_expect_eq(run_property("i32", prop_i32_reads_int16_in, 206, 10, &r),
                 GF_ERROR);
    cr_expect(r.message && strstr(r.message, "gf_draw_i32 reads int32_t") &&
                  strstr(r.message, "int16_in(0, 10) gives int16_t"),
              "message: %s", r.message ? r.message : "(none)");
    gf_result_free(&r);
    cr_expect_eq(run_property("u8", prop_u8_reads_int8_in, 207, 10, &r),
                 GF_ERROR);
    cr_expect(r.message && strstr(r.message, "int8_in(0, 10) gives int8_t"),
              "message: %s", r.message ? r.message : "(none)");
    gf_result_free(&r);
}

static void prop_fails_int16_in(gf_case *tc)
{
    int16_t v = gf_draw_i16(tc, gf_int16_in(-300, 300), "v");
    GF_ASSERT(tc, v >= -100);
}

static void prop_fails_uint8_in(gf_case *tc)
{
    uint8_t v = gf_draw_u8(tc, gf_uint8_in(10, 200), "v");
    GF_ASSERT(tc, v <= 50);
}

Test(typed_ranges, shrink_to_the_boundary)
{
    expect_shrunk(prop_fails_int16_in, 208, "v = -101");
    expect_shrunk(prop_fails_uint8_in, 209, "v = 51");
}

/* ---- structs ------------------------------------------------------------- */

typedef struct account {
    int32_t id;
    const char *owner;
    uint8_t flags;
} account;

static const gf_gen *account_gen(void)
{
    return gf_struct_of(account, GF_FIELD(account, id, gf_int32()),
                        GF_FIELD(account, owner, gf_ascii(0, 8)),
                        GF_FIELD(account, flags, gf_uint8()));
}

/* Each field has its own generator's bias. */
static void prop_struct(gf_case *tc)
{
    const account *a = gf_draw(tc, account_gen());
    GF_ASSERT(tc, a->owner != NULL && strlen(a->owner) <= 8);
    seen[0] += a->id == INT32_MIN;
    seen[1] += a->id == INT32_MAX;
    seen[2] += a->owner[0] == '\0';
    seen[3] += strlen(a->owner) == 8;
    seen[4] += a->flags == UINT8_MAX;
    seen[5] += a->id == 0 && a->owner[0] == '\0' && a->flags == 0;
}

Test(structs, every_field_biased_as_its_generator)
{
    reset_counts();
    RUN_PASSING(prop_struct, 210, 1000);
    cr_expect_gt(seen[0], 0, "id INT32_MIN never drawn");
    cr_expect_gt(seen[1], 0, "id INT32_MAX never drawn");
    cr_expect_gt(seen[2], 0, "owner empty never drawn");
    cr_expect_gt(seen[3], 0, "owner of 8 characters never drawn");
    cr_expect_gt(seen[4], 0, "flags 255 never drawn");
    cr_expect_gt(seen[5], 0, "the simplest struct never drawn");
}

Test(structs, prints_designated_initializer)
{
    account a = {-7, "bob", 3};
    char *s = gf_value_to_string(account_gen(), &a);
    cr_expect_str_eq(s, "{.id = -7, .owner = \"bob\", .flags = 3}");
    free(s);
    cr_expect_eq(account_gen(), account_gen(), "equal fields intern");
    cr_expect_str_eq(gf_gen_name(account_gen()), "struct account");
    cr_expect_eq(gf_gen_value_size(account_gen()), sizeof(account));
}

/* Field by field: the id to its threshold, the name to the shortest that
 * fails, the flags (which do not matter) to 0. */
static void prop_fails_struct(gf_case *tc)
{
    const account *a = gf_draw_named(tc, account_gen(), "a");
    GF_ASSERT(tc, !(a->id > 5 && strlen(a->owner) >= 2));
}

Test(structs, shrinks_field_by_field)
{
    expect_shrunk(prop_fails_struct, 211,
                  "a = {.id = 6, .owner = \"aa\", .flags = 0}");
}

/* An array of structs: items laid out as the C array. */
static void prop_array_of_structs(gf_case *tc)
{
    size_t n;
    const account *as = gf_draw_array(tc, account_gen(), 0, 5, &n);
    for (size_t i = 0; i < n; i++)
        GF_ASSERT(tc, as[i].owner != NULL && strlen(as[i].owner) <= 8);
    seen[0] += n == 5;
}

Test(structs, arrays_of_structs)
{
    reset_counts();
    RUN_PASSING(prop_array_of_structs, 212, 300);
    cr_expect_gt(seen[0], 0);
}

/* ---- unique arrays and maps --------------------------------------------- */

static void prop_unique(gf_case *tc)
{
    size_t n;
    const gf_array_value *a =
        gf_draw(tc, gf_unique_array(gf_int(0, 1000), 0, 20));
    const int64_t *xs = a->items;
    n = a->len;
    GF_ASSERT(tc, n <= 20);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            GF_ASSERT(tc, xs[i] != xs[j]);
    seen[0] += n == 0;
    seen[1] += n == 20;
    seen[2] += n >= 10;
}

Test(unique, items_distinct_and_lengths_reached)
{
    reset_counts();
    RUN_PASSING(prop_unique, 220, 1000);
    cr_expect_gt(seen[0], 0, "the empty array never drawn");
    cr_expect_gt(seen[1], 0, "20 distinct items never drawn");
    cr_expect_gt(seen[2], 50, "10 items or more in only %lu cases",
                 seen[2]);
}

/* Copy cases make equal strings often (see "Equal values"); a unique
 * array of text still never holds two equal strings. */
static void prop_unique_text(gf_case *tc)
{
    size_t n;
    char *const *ss =
        gf_draw_array(tc, gf_ascii(0, 2), 0, 1, &n); /* a copy source */
    (void)ss;
    const gf_array_value *a =
        gf_draw(tc, gf_unique_array(gf_ascii(0, 2), 0, 12));
    char *const *s = a->items;
    for (size_t i = 0; i < a->len; i++)
        for (size_t j = i + 1; j < a->len; j++)
            GF_ASSERT(tc, strcmp(s[i], s[j]) != 0);
    seen[0] += a->len >= 5;
}

Test(unique, text_distinct_by_content)
{
    reset_counts();
    RUN_PASSING(prop_unique_text, 221, 1000);
    cr_expect_gt(seen[0], 0);
}

/* An item space of 4 values and room for 10: the array stops at 4
 * items, every case ends, and 4 is reached. */
static void prop_unique_small_space(gf_case *tc)
{
    const gf_array_value *a =
        gf_draw(tc, gf_unique_array(gf_int(0, 3), 0, 10));
    GF_ASSERT(tc, a->len <= 4);
    seen[a->len]++;
}

Test(unique, small_space_ends_the_array)
{
    reset_counts();
    RUN_PASSING(prop_unique_small_space, 222, 1000);
    cr_expect_gt(seen[4], 0, "all 4 values never drawn");
}

/* min above what the items can give: every case is discarded, and the
 * run gives up saying which generator and why, instead of looping. */
static void prop_unique_impossible(gf_case *tc)
{
    gf_draw(tc, gf_unique_array(gf_bool(), 3, 5));
}

Test(unique, impossible_min_gives_up_clearly)
{
    gf_result r;
    gf_status st = run_property("impossible", prop_unique_impossible, 223,
                                100, &r);
    cr_expect_eq(st, GF_GAVE_UP, "status %d", (int)st);
    cr_expect(r.message && strstr(r.message, "unique_array(bool, 3, 5)") &&
                  strstr(r.message, "fewer than 3 distinct values"),
              "message: %s", r.message ? r.message : "(none)");
    gf_result_free(&r);
}

static bool same_last_digit(const void *a, const void *b, void *env)
{
    (void)env;
    return *(const int64_t *)a % 10 == *(const int64_t *)b % 10;
}

static void prop_unique_by(gf_case *tc)
{
    const gf_array_value *a = gf_draw(
        tc, gf_unique_array_by(gf_int(0, 99), 0, 30, same_last_digit, NULL));
    const int64_t *xs = a->items;
    GF_ASSERT(tc, a->len <= 10);
    for (size_t i = 0; i < a->len; i++)
        for (size_t j = i + 1; j < a->len; j++)
            GF_ASSERT(tc, xs[i] % 10 != xs[j] % 10);
    seen[0] += a->len >= 8;
}

Test(unique, by_a_user_equality)
{
    reset_counts();
    RUN_PASSING(prop_unique_by, 224, 500);
    cr_expect_gt(seen[0], 0);
}

/* Where gf_array would shrink to {0, 0, 0}. */
static void prop_fails_unique(gf_case *tc)
{
    const gf_array_value *a =
        gf_draw_named(tc, gf_unique_array(gf_int(0, 1000), 0, 20), "xs");
    GF_ASSERT(tc, a->len < 3);
}

Test(unique, shrinks_to_fewest_simplest_distinct)
{
    expect_shrunk(prop_fails_unique, 225, "xs = {0, 1, 2}");
}

typedef struct entry {
    int32_t key;
    const char *value;
} entry;

static void prop_dict(gf_case *tc)
{
    const gf_array_value *d =
        gf_draw(tc, gf_dict(gf_int32_in(0, 50), gf_ascii(0, 4), 0, 10));
    const entry *e = d->items;
    for (size_t i = 0; i < d->len; i++) {
        GF_ASSERT(tc, e[i].key >= 0 && e[i].key <= 50);
        GF_ASSERT(tc, e[i].value && strlen(e[i].value) <= 4);
        for (size_t j = i + 1; j < d->len; j++)
            GF_ASSERT(tc, e[i].key != e[j].key);
    }
    bool same_value = false;
    for (size_t i = 0; i < d->len; i++)
        for (size_t j = i + 1; j < d->len; j++)
            same_value |= strcmp(e[i].value, e[j].value) == 0;
    seen[0] += d->len == 10;
    seen[1] += same_value; /* values may repeat; only keys may not */
}

Test(dict, keys_distinct_values_free)
{
    reset_counts();
    RUN_PASSING(prop_dict, 226, 1000);
    cr_expect_gt(seen[0], 0, "10 pairs never drawn");
    cr_expect_gt(seen[1], 0, "two equal values never drawn");
    cr_expect_eq(gf_gen_value_size(gf_dict(gf_int32(), gf_ascii(0, 1), 0,
                                           1)),
                 sizeof(gf_array_value));
}

static void prop_fails_dict(gf_case *tc)
{
    const gf_array_value *d = gf_draw_named(
        tc, gf_dict(gf_int32_in(0, 50), gf_ascii(0, 4), 0, 10), "d");
    GF_ASSERT(tc, d->len < 2);
}

Test(dict, shrinks_and_prints_pairs)
{
    expect_shrunk(prop_fails_dict, 227, "d = {{0, \"\"}, {1, \"\"}}");
}

/* ---- characters from an alphabet ----------------------------------------- */

static void prop_char_from(gf_case *tc)
{
    char c = *(char *)gf_draw(tc, gf_char_from("xyz"));
    GF_ASSERT(tc, c == 'x' || c == 'y' || c == 'z');
    seen[c - 'x']++;
    const char *s = gf_draw(tc, gf_string_from(GF_CHARS_DIGITS, 2, 6));
    size_t len = strlen(s);
    GF_ASSERT(tc, len >= 2 && len <= 6);
    for (size_t i = 0; i < len; i++)
        GF_ASSERT(tc, s[i] >= '0' && s[i] <= '9');
    seen[3] += len == 2;
    seen[4] += len == 6;
    seen[5] += strchr(s, '9') != NULL;
    char w = *(char *)gf_draw(tc, gf_char_from(GF_CHARS_WHITESPACE));
    GF_ASSERT(tc, strchr(GF_CHARS_WHITESPACE, w) != NULL);
    seen[6] += w == '\f';
}

Test(alphabet, every_character_and_length_reached)
{
    reset_counts();
    RUN_PASSING(prop_char_from, 230, 1000);
    cr_expect_gt(seen[0], 0, "'x' never drawn");
    cr_expect_gt(seen[1], 0, "'y' never drawn");
    cr_expect_gt(seen[2], 0, "'z' never drawn");
    cr_expect_gt(seen[3], 0, "min length never drawn");
    cr_expect_gt(seen[4], 0, "max length never drawn");
    cr_expect_gt(seen[5], 0, "'9' never drawn");
    cr_expect_gt(seen[6], 0, "'\\f' never drawn");
}

Test(alphabet, classes_and_printing)
{
    cr_expect_eq(strlen(GF_CHARS_ALNUM), 62);
    cr_expect_eq(strlen(GF_CHARS_PRINTABLE), 95);
    for (int c = 0x20; c < 0x7F; c++)
        cr_expect(strchr(GF_CHARS_PRINTABLE, c) != NULL, "0x%02X missing", c);
    cr_expect_eq(gf_char_from("ab"), gf_char_from("ab"));
    cr_expect_neq(gf_char_from("ab"), gf_char_from("ba"));
    static const char *const cases[][2] = {
        {"a", "'a'"}, {"\n", "'\\n'"}, {"'", "'\\''"},
        {"\\", "'\\\\'"}, {"\x7F", "'\\x7F'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = gf_value_to_string(gf_char_from("a"), cases[i][0]);
        cr_expect_str_eq(s, cases[i][1]);
        free(s);
    }
}

static void prop_fails_has_z(gf_case *tc)
{
    const char *s = gf_draw_named(tc, gf_string_from("xyz", 0, 10), "s");
    GF_ASSERT(tc, strchr(s, 'z') == NULL);
}

static void prop_fails_three_long(gf_case *tc)
{
    const char *s = gf_draw_named(tc, gf_string_from("xyz", 0, 10), "s");
    GF_ASSERT(tc, strlen(s) < 3);
}

static void prop_fails_char_past_c(gf_case *tc)
{
    char c = *(char *)gf_draw_named(tc, gf_char_from(GF_CHARS_LOWER), "c");
    GF_ASSERT(tc, c <= 'c');
}

Test(alphabet, shrinks_toward_the_first_character)
{
    expect_shrunk(prop_fails_has_z, 231, "s = \"z\"");
    expect_shrunk(prop_fails_three_long, 232, "s = \"xxx\"");
    expect_shrunk(prop_fails_char_past_c, 233, "c = 'd'");
}

/* ---- subsequences --------------------------------------------------------- */

static const int64_t tens[] = {10, 20, 30, 40, 50};

static void prop_subsequence(gf_case *tc)
{
    const gf_array_value *a =
        gf_draw(tc, gf_subsequence_int(tens, 5, 0, 5));
    const int64_t *xs = a->items;
    GF_ASSERT(tc, a->len <= 5);
    for (size_t i = 1; i < a->len; i++)
        GF_ASSERT(tc, xs[i - 1] < xs[i]); /* the list's order */
    for (size_t i = 0; i < a->len; i++)
        GF_ASSERT(tc, xs[i] % 10 == 0 && xs[i] >= 10 && xs[i] <= 50);
    seen[a->len]++;
    static const char *const words[] = {"a", "b", "c"};
    const gf_array_value *w =
        gf_draw(tc, gf_subsequence_str(words, 3, 1, 2));
    GF_ASSERT(tc, w->len >= 1 && w->len <= 2);
    char *const *ws = w->items;
    if (w->len == 2)
        GF_ASSERT(tc, strcmp(ws[0], ws[1]) < 0);
    seen[6 + w->len]++;
}

Test(subsequence, order_kept_every_length_reached)
{
    reset_counts();
    RUN_PASSING(prop_subsequence, 240, 500);
    for (int n = 0; n <= 5; n++)
        cr_expect_gt(seen[n], 0, "length %d never drawn", n);
    cr_expect_gt(seen[7], 0);
    cr_expect_gt(seen[8], 0);
}

static void prop_fails_has_30(gf_case *tc)
{
    const gf_array_value *a =
        gf_draw_named(tc, gf_subsequence_int(tens, 5, 0, 5), "xs");
    const int64_t *xs = a->items;
    for (size_t i = 0; i < a->len; i++)
        GF_ASSERT(tc, xs[i] != 30);
}

static void prop_fails_any_min2(gf_case *tc)
{
    static const char *const words[] = {"red", "green", "blue"};
    gf_draw_named(tc, gf_subsequence_str(words, 3, 2, 3), "ws");
    GF_ASSERT(tc, false);
}

Test(subsequence, shrinks_toward_fewest_first)
{
    expect_shrunk(prop_fails_has_30, 241, "xs = {30}");
    expect_shrunk(prop_fails_any_min2, 242, "ws = {\"red\", \"green\"}");
}

/* ---- sized ---------------------------------------------------------------- */

/* One array confined to small sizes, one at the run's sizes, in the same
 * case; the hint outside gf_sized is what it was. */
static void prop_sized(gf_case *tc)
{
    const gf_gen *items = gf_array(gf_int32(), 0, 1000);
    double before = gf_size_hint(tc);
    const gf_array_value *small = gf_draw(tc, gf_sized(items, 0, 0));
    GF_ASSERT(tc, gf_size_hint(tc) == before);
    const gf_array_value *full = gf_draw(tc, items);
    seen[0] += small->len;
    seen[1] += full->len;
    seen[2] += small->len > 10;
    draws++;
}

Test(sized, confines_one_generator_only)
{
    reset_counts();
    RUN_PASSING(prop_sized, 250, 500);
    cr_expect_lt(seen[0] * 5, seen[1], "sized items %lu, full items %lu",
                 seen[0], seen[1]);
    cr_expect_lt(seen[2], draws / 50, "%lu sized arrays of over 10 items",
                 seen[2]);
    cr_expect_eq(gf_gen_value_size(gf_sized(gf_int16(), 0, 1)), 2);
}

static void prop_sized_typed(gf_case *tc)
{
    int16_t v = gf_draw_i16(tc, gf_sized(gf_int16(), 0, 0.5), "v");
    const char *s = gf_draw_str(tc, gf_sized(gf_ascii(0, 30), 0.5, 1), "s");
    GF_ASSERT(tc, v < 100 || strlen(s) < 3);
}

Test(sized, keeps_the_value_type_and_shrinks_as_before)
{
    expect_shrunk(prop_sized_typed, 251, "v = 100\n");
    expect_shrunk(prop_sized_typed, 251, "s = \"aaa\"");
}

/* ---- misuse of the generators above ------------------------------------- */

typedef struct two {
    int32_t a, b;
} two;

Test(misuse, collections_and_ranges)
{
    expect_misuse(gf_int8_in(5, 1), "int8_in(5, 1)", "lo (5) > hi (1)");
    expect_misuse(gf_uint32_in(5, 1), "uint32_in(5, 1)", "lo (5) > hi (1)");
    expect_misuse(gf_struct("two", sizeof(two), NULL, 2), "struct two",
                  "NULL");
    expect_misuse(gf_struct("two", sizeof(two), NULL, 0), "struct two",
                  "no fields");
    expect_misuse(gf_struct_of(two, GF_FIELD(two, b, gf_int64())),
                  "struct two", "does not fit");
    expect_misuse(gf_struct_of(two, GF_FIELD(two, a, gf_int32()),
                               {"c", 2, gf_int16()}),
                  "struct two", "fields a and c overlap");
    expect_misuse(gf_struct_of(two, {"c", 1, gf_int16()}), "struct two",
                  "not aligned");
    expect_misuse(gf_struct_of(two, GF_FIELD(two, b, NULL)), "struct two",
                  "field b: the generator is NULL");
    expect_misuse(gf_struct_of(two, {NULL, 0, gf_int32()}), "struct two",
                  "no name");
    expect_misuse(gf_unique_array(gf_int8(), 4, 2),
                  "unique_array(int8, 4, 2)", "min (4) > max (2)");
    expect_misuse(gf_unique_array(NULL, 0, 2), "unique_array", "NULL");
    expect_misuse(gf_dict(gf_int8(), NULL, 0, 2), "dict", "NULL");
    expect_misuse(gf_char_from(""), "char_from", "empty");
    expect_misuse(gf_char_from(NULL), "char_from", "NULL");
    expect_misuse(gf_string_from("ab", 3, 1), "string_from", "min");
    expect_misuse(gf_subsequence_int(tens, 5, 3, 1), "subsequence_int",
                  "min (3) > max (1)");
    expect_misuse(gf_subsequence_int(tens, 2, 3, 4), "subsequence_int",
                  "the 2 values");
    expect_misuse(gf_subsequence_str(NULL, 2, 0, 1), "subsequence_str",
                  "NULL");
    expect_misuse(gf_sized(gf_int8(), 0.5, 0.2), "sized(int8",
                  "0 <= min <= max <= 1");
    expect_misuse(gf_sized(NULL, 0, 1), "sized", "NULL");
}

/* ---- recursion bounded by leaves ------------------------------------------ */

/* A tree as leaves * 100 + depth: a leaf is 100, a node sums its
 * children's leaves and is one deeper than its deepest child. */
static void count_leaves(gf_case *tc, const void *in, void *out, void *env)
{
    (void)tc;
    (void)env;
    const gf_array_value *kids = in;
    const int64_t *k = kids->items;
    int64_t leaves = 0, depth = 0;
    for (size_t i = 0; i < kids->len; i++) {
        leaves += k[i] / 100;
        if (k[i] % 100 > depth)
            depth = k[i] % 100;
    }
    *(int64_t *)out = leaves * 100 + depth + 1;
}

static const gf_gen *wide_node(const gf_gen *self, void *env)
{
    (void)env;
    return gf_map(gf_array(self, 1, 6), sizeof(int64_t), count_leaves, NULL,
                  NULL);
}

static const gf_gen *wide_tree(size_t max_leaves)
{
    return gf_recursive_leaves(gf_int(100, 100), wide_node, 8, max_leaves,
                               NULL);
}

static void prop_leaves(gf_case *tc)
{
    int64_t t = *(int64_t *)gf_draw(tc, wide_tree(12));
    GF_ASSERT(tc, t / 100 >= 1 && t / 100 <= 12);
    seen[0] += t / 100 == 1;
    seen[1] += t / 100 == 12;
    seen[2] += t % 100 >= 3;
    draws++;
}

/* Unbounded, six children a node and eight levels deep could make a
 * million leaves; bounded, never more than 12, and 12 is reached. */
Test(recursive_leaves, never_past_the_bound)
{
    reset_counts();
    gf_result r;
    cr_assert_eq(run_property("leaves", prop_leaves, 260, 1000, &r),
                 GF_PASSED, "%s", r.message ? r.message : "");
    cr_expect_lt(r.discarded, r.cases / 4, "%" PRIu64 " discarded of %" PRIu64,
                 r.discarded, r.cases);
    gf_result_free(&r);
    cr_expect_gt(seen[0], 0, "a single leaf never drawn");
    cr_expect_gt(seen[1], 0, "12 leaves never drawn");
    cr_expect_gt(seen[2], 0, "depth 3 never reached");
}

static void prop_fails_three_leaves(gf_case *tc)
{
    int64_t t = *(int64_t *)gf_draw_named(tc, wide_tree(12), "t");
    GF_ASSERT(tc, t / 100 < 3);
}

static void prop_fails_any_tree(gf_case *tc)
{
    gf_draw_named(tc, wide_tree(12), "t");
    GF_ASSERT(tc, false);
}

Test(recursive_leaves, shrinks_to_the_smallest_tree)
{
    expect_shrunk(prop_fails_three_leaves, 261, "t = 301\n");
    expect_shrunk(prop_fails_any_tree, 262, "t = 100\n");
}

Test(recursive_leaves, misuse_and_interning)
{
    expect_misuse(wide_tree(0), "recursive(int(100, 100), 0 leaves)",
                  "max_leaves is 0");
    expect_misuse(gf_recursive_leaves(NULL, wide_node, 3, 5, NULL),
                  "recursive", "NULL");
    cr_expect_eq(wide_tree(5), wide_tree(5));
    cr_expect_neq(wide_tree(5), wide_tree(6));
    cr_expect_neq(gf_recursive_leaves(gf_int(100, 100), wide_node, 8, 5, NULL),
                  gf_recursive(gf_int(100, 100), wide_node, 8, NULL));
}

/* ---- gf_many_draw ---------------------------------------------------------- */

/* gf_many_draw must make exactly the choices of the gf_many_more loop it
 * replaces: in generated cases (where it takes its fast path for
 * integers), copy cases, shrinking and replay alike.  Two properties draw
 * the same shapes, one each way; every value of every case is hashed, and
 * the runs must agree on the hash, the counts, the shrunk failure and its
 * replay token. */
static uint64_t many_hash;

static void many_mix(uint64_t v)
{
    many_hash = (many_hash ^ v) * 0x100000001b3ull;
}

static const gf_gen *many_elem(size_t i)
{
    switch (i % 7) {
    case 0: return gf_int8();
    case 1: return gf_uint16();
    case 2: return gf_int32_in(-5, 5);
    case 3: return gf_uint64();
    case 4: return gf_int(7, 7); /* one value: no draw at all */
    case 5: return gf_bool();    /* not an integer: the general loop */
    default: return gf_int(-1000, 1000);
    }
}

static uint64_t many_value(const gf_gen *g, const unsigned char *p)
{
    uint64_t v = 0;
    memcpy(&v, p, gf_gen_value_size(g));
    return v;
}

static void many_items(gf_case *tc, bool bulk)
{
    size_t which = (size_t)gf_draw_int(tc, 0, 6);
    const gf_gen *g = many_elem(which);
    size_t size = gf_gen_value_size(g), min = which % 3, max = 20;
    unsigned char buf[20 * 8];
    gf_many m;
    gf_many_init(tc, &m, min, max);
    size_t n = 0;
    if (bulk) {
        /* In chunks of 3, as a caller growing its array would. */
        while (!m.done && n < max)
            n += gf_many_draw(tc, &m, g, buf + n * size,
                              max - n < 3 ? max - n : 3);
    } else {
        while (gf_many_more(tc, &m))
            gf_draw_into(tc, g, buf + n++ * size);
    }
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = many_value(g, buf + i * size);
        many_mix(v);
        sum += v & 0xFF;
    }
    int64_t after = gf_draw_int(tc, 0, 100);
    many_mix((uint64_t)after);
    many_mix(n);
    gf_note(tc, "n = %zu, sum = %" PRIu64, n, sum);
    GF_ASSERT(tc, !(n >= 4 && sum > 300 && after > 10));
}

static void prop_many_loop(gf_case *tc) { many_items(tc, false); }
static void prop_many_bulk(gf_case *tc) { many_items(tc, true); }

Test(many, draw_makes_the_loops_choices)
{
    for (uint64_t seed = 1; seed <= 4; seed++) {
        gf_result a, b;
        many_hash = 0;
        gf_status sa = run_property("many", prop_many_loop, seed, 2000, &a);
        uint64_t ha = many_hash;
        many_hash = 0;
        gf_status sb = run_property("many", prop_many_bulk, seed, 2000, &b);
        uint64_t hb = many_hash;
        cr_expect_eq(sa, sb, "seed %" PRIu64 ": status %d, %d", seed,
                     (int)sa, (int)sb);
        cr_expect_eq(ha, hb, "seed %" PRIu64 ": the values differ", seed);
        cr_expect_eq(a.cases, b.cases, "seed %" PRIu64 ": cases", seed);
        cr_expect_eq(a.duplicates, b.duplicates, "seed %" PRIu64, seed);
        cr_expect_eq(a.shrink_calls, b.shrink_calls, "seed %" PRIu64, seed);
        cr_expect_str_eq(a.counterexample ? a.counterexample : "",
                         b.counterexample ? b.counterexample : "");
        cr_expect_str_eq(a.replay ? a.replay : "", b.replay ? b.replay : "");
        gf_result_free(&a);
        gf_result_free(&b);
    }
}

/* gf_many_draw stops when room runs out, and goes on from there. */
static void prop_many_room(gf_case *tc)
{
    gf_many m;
    gf_many_init(tc, &m, 5, 5);
    int32_t xs[5];
    size_t first = gf_many_draw(tc, &m, gf_int32(), xs, 2);
    GF_ASSERT(tc, first == 2 && !m.done && m.count == 2);
    size_t rest = gf_many_draw(tc, &m, gf_int32(), xs + 2, 10);
    GF_ASSERT(tc, rest == 3 && m.done && m.count == 5);
    GF_ASSERT(tc, gf_many_draw(tc, &m, gf_int32(), xs, 10) == 0);
}

Test(many, draw_resumes_after_room_runs_out)
{
    RUN_PASSING(prop_many_room, 1, 200);
}
