/*
 * bench/target.c - what gf_target buys: the quadratic input of
 * examples/quadratic.c found with gf_target, and without it (random
 * generation alone), over seeds 1..10 with 1,000 cases each.
 *
 *     make bench/target && ./bench/target [FIRST_SEED [SEEDS]]
 *
 * Prints, per seed, the cases each run took to find an input that makes
 * quicksort quadratic ("-" when 1,000 cases did not), then how many seeds
 * found one.  Counts cases, not seconds: the figures are the same on
 * every machine.
 */
#define QUADRATIC_NO_MAIN
#include "../examples/quadratic.c"

#include <inttypes.h>
#include <stdlib.h>

/* The same property without gf_target: random generation alone. */
GF_PROPERTY(quicksort_random_only)
{
    size_t n;
    int32_t *xs = gf_draw_array_named(tc, gf_int32(), 0, MAX_LEN, &n, "xs");
    uint64_t steps = quadratic_sort_steps(tc, xs, n);
    GF_ASSERT(tc, !quadratic_too_slow(steps, n));
}

static uint64_t cases_to_find(const gf_property *p, uint64_t seed)
{
    gf_options o = {.seed = seed, .seed_set = true, .trials = 1000,
                    .quiet = true, .max_shrink_calls = 1};
    gf_result r;
    gf_status st = gf_run(p, &o, &r);
    uint64_t cases = st == GF_FAILED ? r.cases : 0;
    gf_result_free(&r);
    return cases;
}

int main(int argc, char **argv)
{
    uint64_t first = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
    uint64_t count = argc > 2 ? strtoull(argv[2], NULL, 0) : 10;
    const gf_property *with = &gf_prop_quicksort_stays_n_log_n;
    const gf_property *without = &gf_prop_quicksort_random_only;
    unsigned found_with = 0, found_without = 0;
    printf("seed  gf_target  random\n");
    for (uint64_t seed = first; seed < first + count; seed++) {
        uint64_t a = cases_to_find(with, seed);
        uint64_t b = cases_to_find(without, seed);
        found_with += a > 0;
        found_without += b > 0;
        char sa[24] = "-", sb[24] = "-";
        if (a)
            snprintf(sa, sizeof sa, "%" PRIu64, a);
        if (b)
            snprintf(sb, sizeof sb, "%" PRIu64, b);
        printf("%4" PRIu64 "  %9s  %6s\n", seed, sa, sb);
    }
    printf("quadratic input found within 1000 cases: with gf_target on %u of "
           "%" PRIu64 " seeds, by random generation alone on %u of %" PRIu64
           "\n", found_with, count, found_without, count);
    return 0;
}
