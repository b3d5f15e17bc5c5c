/*
 * sorting.c - the properties docs/reports.md shows in every report format.
 *
 * sort() is an insertion sort that starts one element too late: the first
 * element never moves, so {3, 1} comes back as it went in.  sorted_output
 * finds it; keeps_length holds; rare_filter asks a filter for a value it
 * almost never sees and gives up; sort_sorts labels its cases (empty,
 * long) for --stats; has_duplicates asks gf_cover for more arrays with a
 * repeated value than random int32_t arrays give, and fails for it.
 *
 * Minimal counterexample of sorted_output (what the shrinker should print):
 *     xs = {1, 0}
 * two elements out of order, as small as they come.
 *
 * Run: examples/sorting [--seed N] [--tap] [--junit FILE] [--json FILE]
 *      [--stats] [PATTERN...]
 */
#include <gadfly.h>

#include <stdlib.h>

/* The bug: i starts at 2, so xs[0] is never compared with xs[1]. */
static void sort(int32_t *xs, size_t n)
{
    for (size_t i = 2; i < n; i++)
        for (size_t j = i; j > 0 && xs[j - 1] > xs[j]; j--) {
            int32_t t = xs[j];
            xs[j] = xs[j - 1];
            xs[j - 1] = t;
        }
}

static int compare(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static bool is_sorted(const int32_t *xs, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (xs[i - 1] > xs[i])
            return false;
    return true;
}

static bool repeats(const int32_t *xs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (xs[i] == xs[j])
                return true;
    return false;
}

GF_PROPERTY(keeps_length)
{
    size_t n;
    int32_t *xs = gf_draw_array(tc, gf_int32(), 0, 20, &n);
    int64_t sum = 0, after = 0;
    for (size_t i = 0; i < n; i++)
        sum += xs[i];
    sort(xs, n);
    for (size_t i = 0; i < n; i++)
        after += xs[i];
    GF_ASSERT_EQ_INT(tc, after, sum);
}

GF_PROPERTY(sorted_output)
{
    size_t n;
    int32_t *xs = gf_draw_array_named(tc, gf_int32(), 0, 20, &n, "xs");
    int32_t *out = gf_memdup(tc, xs, n * sizeof *xs);
    sort(out, n);
    GF_ASSERT(tc, is_sorted(out, n));
}

static bool is_magic(const void *value, void *env)
{
    (void)env;
    return *(const int32_t *)value == 123456789;
}

GF_PROPERTY(rare_filter)
{
    int32_t x = *(const int32_t *)gf_draw(tc, gf_filter(gf_int32(), is_magic,
                                                         NULL));
    GF_ASSERT_EQ_INT(tc, x, 123456789);
}

GF_PROPERTY(sort_sorts)
{
    size_t n;
    int32_t *xs = gf_draw_array(tc, gf_int32(), 0, 50, &n);
    if (n == 0)
        gf_label(tc, "empty");
    if (n > 40)
        gf_label(tc, "long");
    qsort(xs, n, sizeof *xs, compare);
    GF_ASSERT(tc, is_sorted(xs, n));
}

GF_PROPERTY(has_duplicates)
{
    size_t n;
    int32_t *xs = gf_draw_array(tc, gf_int32(), 0, 50, &n);
    gf_cover(tc, 60.0, repeats(xs, n), "duplicates");
}

GF_MAIN()
