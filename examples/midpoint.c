/*
 * midpoint.c - the integer midpoint that overflows.
 *
 * `(lo + hi) / 2` is the midpoint every binary search starts with, and it is
 * wrong as soon as lo + hi does not fit in the type: with int32_t indices
 * whose sum passes INT32_MAX the "midpoint" comes out negative, far outside
 * [lo, hi].  The same bug sat in the JDK's binary search for about nine
 * years, because it needs an array of more than 2^30 elements to show.
 * Gadfly finds it quickly because its integer draws are biased toward the
 * top of the range.
 *
 * The property draws lo and hi as a binary search has them: array indices,
 * 0 <= lo <= hi <= INT32_MAX.
 *
 * Minimal counterexample (what the shrinker should print):
 *     lo = 1
 *     hi = 2147483647
 * lo = 0 cannot fail (0 + hi always fits), so 1 is the smallest lo, and the
 * only hi >= 1 whose sum with 1 overflows is INT32_MAX.
 *
 * A second property checks the corrected midpoint over every int32_t pair,
 * negative ones too, and holds: it shows what a passing property looks like
 * in the output.
 *
 * Run: examples/midpoint [--seed N] [--filter 'midpoint_fixed*'] [--help]
 */
#include <gadfly.h>

#include <inttypes.h>

/*
 * The classic midpoint, bug included.  In C, `lo + hi` on int32_t would be
 * signed overflow: undefined behaviour, which an optimising compiler may
 * turn into anything, so the demo could not promise what it prints.  The sum
 * is computed in uint32_t instead, where it wraps modulo 2^32 exactly as the
 * int addition does on every two's-complement machine, and converted back
 * (implementation-defined, and modular on gcc and clang).  The result is the
 * classic bug, made deterministic.
 */
static int32_t midpoint_buggy(int32_t lo, int32_t hi)
{
    uint32_t sum = (uint32_t)lo + (uint32_t)hi;
    return (int32_t)sum / 2;
}

/*
 * The fix: add half the distance to lo.  For lo <= hi the distance
 * hi - lo is at most 2^32 - 1, which uint32_t holds exactly; half of it
 * fits in int32_t, and lo plus it stays at or below hi, so nothing
 * overflows.  The result is the mean rounded toward lo.
 */
static int32_t midpoint_fixed(int32_t lo, int32_t hi)
{
    uint32_t distance = (uint32_t)hi - (uint32_t)lo;
    return (int32_t)(lo + (int32_t)(distance / 2));
}

/* Keep only ordered pairs.  Half the pairs are discarded; that is cheap
 * here, and keeps the two draws independent, so each shrinks on its own. */
static void draw_bounds(gf_case *tc, const gf_gen *g, int32_t *lo,
                        int32_t *hi)
{
    *lo = (int32_t)*(int64_t *)gf_draw_named(tc, g, "lo");
    *hi = (int32_t)*(int64_t *)gf_draw_named(tc, g, "hi");
    gf_assume(tc, *lo <= *hi);
}

GF_PROPERTY(midpoint_stays_between_bounds)
{
    int32_t lo, hi;
    draw_bounds(tc, gf_int(0, INT32_MAX), &lo, &hi);

    int32_t mid = midpoint_buggy(lo, hi);
    gf_note(tc, "midpoint_buggy(%" PRId32 ", %" PRId32 ") = %" PRId32, lo, hi,
            mid);
    /* One assertion for both ends of the range, so that every wrong
     * midpoint is the same failure (one origin) and all of them shrink to
     * one counterexample. */
    GF_ASSERT(tc, lo <= mid && mid <= hi);
}

GF_PROPERTY(midpoint_fixed_is_the_mean)
{
    int32_t lo, hi;
    draw_bounds(tc, gf_int(INT32_MIN, INT32_MAX), &lo, &hi);

    int64_t mid = midpoint_fixed(lo, hi);
    /* The check runs in int64_t, where lo + hi cannot overflow. */
    int64_t twice_mean = (int64_t)lo + (int64_t)hi;
    GF_ASSERT_GE_INT(tc, mid, lo);
    GF_ASSERT_LE_INT(tc, mid, hi);
    /* Rounded toward lo: 2 * mid is the sum or one below it. */
    GF_ASSERT_LE_INT(tc, twice_mean - 2 * mid, 1);
    GF_ASSERT_GE_INT(tc, twice_mean - 2 * mid, 0);
}

GF_MAIN()
