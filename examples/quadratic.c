/*
 * quadratic.c - a quicksort that is fast on typical input and quadratic
 * on sorted input, found by gf_target.
 *
 * quicksort() takes the first element of each range as its pivot (Hoare's
 * partition).  On input in random order that pivot splits ranges about in
 * half, and sorting n elements takes about 2 n ln n comparisons; on input
 * that is already sorted, or nearly, every split is 1 and n - 1, and it
 * takes about n^2 / 2.  Nothing fails: the output is always sorted.  The
 * bug is the time, and it shows only under input that random generation
 * almost never draws (64 values in order, or nearly).
 *
 * The property counts comparisons (steps, not seconds: the same on every
 * machine) and hands the count to gf_target, which steers generation
 * toward higher counts by changing the best case found so far.  The
 * assertion fails once a case of n >= 48 values takes more than n^2 / 4
 * comparisons, far beyond what an n log n sort needs (about 420 for 48
 * values, 600 for 64), and the shrinker keeps the count over that bound
 * while it makes the values small: the counterexample has 48 values, and
 * its note says how many comparisons they took.
 *
 * Over seeds 1 to 10, 1,000 cases find such an input on every seed with
 * gf_target and on none without it (bench/target prints both).
 *
 * Run: examples/quadratic --trials 1000 [--seed N] [--stats] [--help]
 */
#include <gadfly.h>

#define MAX_LEN 64
#define MIN_LEN 48

/* Hoare's partition of a[lo..hi] around a[lo]; *steps counts the
 * comparisons.  Returns p with a[lo..p] <= pivot <= a[p+1..hi]. */
static ptrdiff_t partition(int32_t *a, ptrdiff_t lo, ptrdiff_t hi,
                           uint64_t *steps)
{
    int32_t pivot = a[lo];
    ptrdiff_t i = lo - 1, j = hi + 1;
    for (;;) {
        do {
            i++;
            ++*steps;
        } while (a[i] < pivot);
        do {
            j--;
            ++*steps;
        } while (a[j] > pivot);
        if (i >= j)
            return j;
        int32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

static void quicksort(int32_t *a, ptrdiff_t lo, ptrdiff_t hi, uint64_t *steps)
{
    while (lo < hi) {
        ptrdiff_t p = partition(a, lo, hi, steps);
        quicksort(a, lo, p, steps);
        lo = p + 1;
    }
}

/* The comparisons quicksort makes on a copy of xs[0..n). */
uint64_t quadratic_sort_steps(gf_case *tc, const int32_t *xs, size_t n);
uint64_t quadratic_sort_steps(gf_case *tc, const int32_t *xs, size_t n)
{
    uint64_t steps = 0;
    if (n < 2)
        return 0;
    int32_t *a = gf_memdup(tc, xs, n * sizeof *xs);
    quicksort(a, 0, (ptrdiff_t)n - 1, &steps);
    return steps;
}

/* Quadratic: more than n^2 / 4 comparisons, for n >= MIN_LEN (an
 * n log n sort of 32 values takes about 200; of 64, about 500). */
bool quadratic_too_slow(uint64_t steps, size_t n);
bool quadratic_too_slow(uint64_t steps, size_t n)
{
    return n >= MIN_LEN && steps > (uint64_t)(n * n / 4);
}

GF_PROPERTY(quicksort_stays_n_log_n)
{
    size_t n;
    int32_t *xs = gf_draw_array_named(tc, gf_int32(), 0, MAX_LEN, &n, "xs");
    uint64_t steps = quadratic_sort_steps(tc, xs, n);
    gf_note(tc, "%llu comparisons for %zu values", (unsigned long long)steps,
            n);
    gf_target(tc, (double)steps, "comparisons");
    GF_ASSERT(tc, !quadratic_too_slow(steps, n));
}

#ifndef QUADRATIC_NO_MAIN
GF_MAIN()
#endif
