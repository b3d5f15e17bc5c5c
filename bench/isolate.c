/*
 * isolate.c - what worker processes cost: the same runs through gf_main
 * with workers (the default) and with --no-fork.
 *
 *     bench/isolate [seeds]      (default 5)
 *
 * Two properties: one that holds over a million cases (the cost of the
 * worker around generation), and one that aborts when a list's sum passes
 * 5000 (shrinking a crash: with workers the test process takes it over
 * from the worker the crash ended, and shrinks it in a child).  Prints the median wall time of each over the seeds,
 * and its ratio.  It only prints: timing is never asserted.
 */
#include <gadfly.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

GF_PROPERTY(holds)
{
    int64_t x = gf_draw_int(tc, INT64_MIN, INT64_MAX);
    GF_ASSERT(tc, x == x);
}

GF_PROPERTY(sum_crash)
{
    size_t n;
    const int64_t *xs = gf_draw_array(tc, gf_int(0, 1000), 0, 50, &n);
    long sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += xs[i];
    if (sum > 5000)
        abort();
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

#define MAX_SEEDS 99

static double median_seconds(const char *filter, const char *trials,
                             int no_fork, int seeds)
{
    double t[MAX_SEEDS];
    for (int s = 0; s < seeds; s++) {
        char seed[16];
        snprintf(seed, sizeof seed, "%d", s + 1);
        char *argv[] = {"bench/isolate", "--filter", (char *)filter,
                        "--seed", seed, "--trials", (char *)trials,
                        "--no-db", "--quiet", no_fork ? "--no-fork" : NULL,
                        NULL};
        int argc = no_fork ? 10 : 9;
        /* The reports are not what is measured. */
        fflush(stdout);
        fflush(stderr);
        int saved_out = dup(1), saved = dup(2);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        double t0 = wall();
        gf_main(argc, argv);
        t[s] = wall() - t0;
        fflush(stdout);
        fflush(stderr);
        if (saved_out >= 0) {
            dup2(saved_out, 1);
            close(saved_out);
        }
        if (saved >= 0)
            dup2(saved, 2);
        if (saved >= 0)
            close(saved);
        if (null >= 0)
            close(null);
    }
    qsort(t, (size_t)seeds, sizeof t[0], by_value);
    return t[seeds / 2];
}

int main(int argc, char **argv)
{
    int seeds = argc > 1 ? atoi(argv[1]) : 5;
    if (seeds < 1 || seeds > MAX_SEEDS) {
        fprintf(stdout, "usage: %s [seeds, 1 to %d]\n", argv[0], MAX_SEEDS);
        return 2;
    }
    printf("gadfly %s worker processes against --no-fork, median of %d "
           "seeds\n", GF_VERSION_STRING, seeds);
    double hw = median_seconds("holds", "1000000", 0, seeds);
    double hn = median_seconds("holds", "1000000", 1, seeds);
    printf("1M passing cases   workers %6.3f s   --no-fork %6.3f s   ratio "
           "%.2f\n", hw, hn, hw / hn);
    double cw = median_seconds("sum_crash", "100", 0, seeds);
    double cn = median_seconds("sum_crash", "100", 1, seeds);
    printf("shrinking a crash  workers %6.3f s   --no-fork %6.3f s   ratio "
           "%.2f\n", cw, cn, cw / cn);
    return 0;
}
