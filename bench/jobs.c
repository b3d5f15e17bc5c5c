/*
 * jobs.c - how --jobs scales: cases per second of wall-clock time for a
 * property that costs about 20 microseconds a case, with 1 and 2 workers.
 *
 *     bench/jobs [trials]      (default 40000)
 *
 * Prints the median of five runs for each worker count and their ratio.
 * On a machine with two free cores the target is a ratio of at least 1.8.
 * Then the same for shrinking: the property calls per second of a shrink,
 * for a property costing about a millisecond a case that fails at once (with --jobs 2 the failing worker's shrink has a second process
 * running candidates ahead of it).  Last, the share of property calls
 * spent on duplicates (inputs run before, by this worker or another),
 * for a property over a small range, with 1, 2 and 4 workers.  It only
 * prints: timing is never asserted.
 */
#include <gadfly.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define REPS 5

/* About 20 us of arithmetic the compiler cannot remove. */
static void twenty_microseconds(gf_case *tc)
{
    volatile uint64_t x = (uint64_t)gf_draw_int(tc, 0, INT64_MAX);
    for (int i = 0; i < 12000; i++)
        x = x * 6364136223846793005u + 1442695040888963407u;
    GF_ASSERT(tc, x == x);
}

/* About a millisecond a case; fails when a list's sum passes 20000. */
static void sum_below_20000(gf_case *tc)
{
    gf_many m;
    gf_many_init(tc, &m, 0, 100);
    int64_t sum = 0;
    while (gf_many_more(tc, &m))
        sum += gf_draw_int(tc, 0, 1000);
    volatile uint64_t x = (uint64_t)sum;
    for (int i = 0; i < 600000; i++)
        x = x * 6364136223846793005u + 1442695040888963407u;
    GF_ASSERT(tc, sum <= 20000);
}

/* Holds; a range small enough that inputs repeat. */
static void small_range(gf_case *tc)
{
    GF_ASSERT(tc, gf_draw_int(tc, 0, 100000) >= 0);
}

/* Property calls spent on duplicates, out of all generated calls. */
static void duplicate_share(unsigned jobs, uint64_t trials)
{
    gf_property p = {.name = "small_range", .fn = small_range};
    gf_options o = {.seed = 1, .seed_set = true, .trials = trials,
                    .jobs = jobs, .quiet = true};
    gf_result r;
    gf_run(&p, &o, &r);
    uint64_t calls = r.cases + r.duplicates;
    printf("--jobs %u   %llu cases, %llu duplicates: %.1f%% of calls\n", jobs,
           (unsigned long long)r.cases, (unsigned long long)r.duplicates,
           calls ? 100.0 * (double)r.duplicates / (double)calls : 0.0);
    gf_result_free(&r);
}

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_rate(unsigned jobs, uint64_t trials)
{
    gf_property p = {.name = "twenty_microseconds", .fn = twenty_microseconds};
    double rates[REPS];
    for (int i = 0; i < REPS; i++) {
        gf_options o = {.seed = (uint64_t)i + 1, .seed_set = true,
                        .trials = trials, .jobs = jobs, .quiet = true};
        gf_result r;
        double t0 = wall();
        gf_run(&p, &o, &r);
        double t = wall() - t0;
        rates[i] = (double)r.cases / t;
        gf_result_free(&r);
    }
    qsort(rates, REPS, sizeof rates[0], by_value);
    return rates[REPS / 2];
}

/* Shrink calls per second of the whole run, which shrinking dominates. */
static double median_shrink_rate(unsigned jobs)
{
    gf_property p = {.name = "sum_below_20000", .fn = sum_below_20000};
    double rates[REPS];
    for (int i = 0; i < REPS; i++) {
        gf_options o = {.seed = (uint64_t)i + 1, .seed_set = true,
                        .jobs = jobs, .quiet = true};
        gf_result r;
        double t0 = wall();
        gf_run(&p, &o, &r);
        double t = wall() - t0;
        rates[i] = (double)r.shrink_calls / t;
        gf_result_free(&r);
    }
    qsort(rates, REPS, sizeof rates[0], by_value);
    return rates[REPS / 2];
}

int main(int argc, char **argv)
{
    uint64_t trials = argc > 1 ? strtoull(argv[1], NULL, 10) : 40000;
    if (trials == 0) {
        fprintf(stderr, "usage: %s [trials]\n", argv[0]);
        return 2;
    }
    double one = median_rate(1, trials), two = median_rate(2, trials);
    printf("gadfly %s --jobs scaling, a ~20 us property, %llu cases a run, "
           "median of %d\n", GF_VERSION_STRING, (unsigned long long)trials, REPS);
    printf("--jobs 1   %8.0f cases/s\n", one);
    printf("--jobs 2   %8.0f cases/s   ratio %.2f  (target >= 1.8)\n", two,
           two / one);
    double s1 = median_shrink_rate(1), s2 = median_shrink_rate(2);
    printf("shrinking a ~1 ms property, median of %d\n", REPS);
    printf("--jobs 1   %8.0f calls/s\n", s1);
    printf("--jobs 2   %8.0f calls/s   ratio %.2f\n", s2, s2 / s1);
    printf("duplicates, 0..100000, %llu cases\n", (unsigned long long)trials);
    for (unsigned jobs = 1; jobs <= 4; jobs *= 2)
        duplicate_share(jobs, trials);
    return 0;
}
