/*
 * throughput.c - how many cases per second of CPU time Gadfly runs.
 *
 *     bench/throughput [seconds-per-rep]      (default 1)
 *
 * Two trivially true properties, so that the time measured is the engine's:
 * drawing, recording, the duplicate check and the per-case bookkeeping.
 *   scalar: one int64_t per case, gf_draw(tc, gf_int64()).
 *   array:  0..100 uint32_t per case, gf_draw_array(tc, gf_uint32(), ...).
 * Each is run through gf_run five times with fixed seeds and a trial count
 * calibrated to take about seconds-per-rep of CPU time; the median rate, the
 * five samples and the fraction of generated cases that were duplicates
 * (skipped, not counted as cases) are printed beside the targets.
 *
 * This program only prints.  Timing is never asserted anywhere: machines
 * differ, and a benchmark that fails on a slow CI box teaches nothing.
 */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif

#include <gadfly.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#define REPS 5

/* Keeps the compiler from deciding the drawn values are unused. */
static volatile uint64_t sink;

static void scalar_int64(gf_case *tc)
{
    const int64_t *x = gf_draw(tc, gf_int64());
    sink ^= (uint64_t)*x;
}

static void array_uint32(gf_case *tc)
{
    size_t n;
    const uint32_t *xs = gf_draw_array(tc, gf_uint32(), 0, 100, &n);
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += xs[i];
    sink ^= sum;
}

/* One benchmarked property, its target and what others reach. */
typedef struct bench {
    const char *title;
    gf_property prop;
    double target;         /* cases/s Gadfly aims for */
    const char *others;    /* published figures, for scale */
} bench;

/* One timed gf_run. */
typedef struct sample {
    uint64_t cases;
    uint64_t duplicates;
    double cpu;            /* seconds of CPU time */
    double wall;           /* seconds of wall time */
} sample;

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0) {
        perror("throughput: clock_gettime");
        exit(3);
    }
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static sample run_once(const gf_property *p, uint64_t seed, uint64_t trials)
{
    gf_options opt = {
        .seed = seed, .seed_set = true, .trials = trials, .quiet = true};
    gf_result r;
    memset(&r, 0, sizeof r);

    double cpu0 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
    double wall0 = clock_seconds(CLOCK_MONOTONIC);
    gf_status st = gf_run(p, &opt, &r);
    sample s = {
        .cpu = clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0,
        .wall = clock_seconds(CLOCK_MONOTONIC) - wall0,
        .cases = r.cases,
        .duplicates = r.duplicates,
    };
    if (st != GF_PASSED) {
        fprintf(stderr, "throughput: %s did not pass (status %d): %s\n",
                p->name, (int)st, r.message ? r.message : "no message");
        gf_result_free(&r);
        exit(3);
    }
    gf_result_free(&r);
    return s;
}

/* A trial count that takes about `seconds` of CPU time: grow until one run
 * takes a measurable slice, then scale linearly. */
static uint64_t calibrate(const gf_property *p, double seconds)
{
    uint64_t trials = 1000;
    for (;;) {
        sample s = run_once(p, 0xCA1Bu, trials);
        if (s.cpu >= seconds / 8 || trials >= UINT64_C(1) << 40) {
            double per_trial = (s.cpu > 0 ? s.cpu : 1e-9) / (double)trials;
            double scaled = seconds / per_trial;
            return scaled < 1000 ? 1000 : (uint64_t)scaled;
        }
        trials *= 4;
    }
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* "12.3M", "456.7k", "89" */
static void format_rate(char *buf, size_t size, double rate)
{
    if (rate >= 1e6)
        snprintf(buf, size, "%.1fM", rate / 1e6);
    else if (rate >= 1e3)
        snprintf(buf, size, "%.1fk", rate / 1e3);
    else
        snprintf(buf, size, "%.0f", rate);
}

static void run_bench(const bench *b, double seconds)
{
    uint64_t trials = calibrate(&b->prop, seconds);
    double rates[REPS], sorted[REPS];
    uint64_t cases = 0, duplicates = 0;
    double cpu = 0, wall = 0;

    for (int i = 0; i < REPS; i++) {
        sample s = run_once(&b->prop, (uint64_t)i + 1, trials);
        rates[i] = (double)s.cases / (s.cpu > 0 ? s.cpu : 1e-9);
        cases += s.cases;
        duplicates += s.duplicates;
        cpu += s.cpu;
        wall += s.wall;
    }
    memcpy(sorted, rates, sizeof rates);
    qsort(sorted, REPS, sizeof sorted[0], compare_double);

    char median[32], target[32], each[REPS][32];
    format_rate(median, sizeof median, sorted[REPS / 2]);
    format_rate(target, sizeof target, b->target);
    for (int i = 0; i < REPS; i++)
        format_rate(each[i], sizeof each[i], rates[i]);

    uint64_t generated = cases + duplicates;
    double dup_fraction =
        generated ? (double)duplicates / (double)generated : 0.0;

    printf("%-20s median %s cases/s  (samples %s %s %s %s %s)  target %s  "
           "[%s]\n",
           b->title, median, each[0], each[1], each[2], each[3], each[4],
           target, b->others);
    printf("%-20s %llu trials/rep, duplicates %.2f%% of generated, "
           "%.2f s CPU / %.2f s wall per rep\n",
           "", (unsigned long long)trials, 100.0 * dup_fraction, cpu / REPS,
           wall / REPS);
}

static GF_NORETURN void usage(const char *argv0)
{
    fprintf(stderr, "usage: %s [seconds-per-rep]   (a number in (0, 3600], "
                    "default 1)\n",
            argv0);
    exit(2);
}

static double parse_seconds(int argc, char **argv)
{
    if (argc == 1)
        return 1.0;
    if (argc > 2 || argv[1][0] == '\0')
        usage(argv[0]);
    char *end;
    double s = strtod(argv[1], &end);
    if (*end != '\0' || !isfinite(s) || s <= 0 || s > 3600)
        usage(argv[0]);
    return s;
}

int main(int argc, char **argv)
{
    static const bench benches[] = {
        {"scalar int64",
         {"scalar_int64", scalar_int64, __FILE__, __LINE__, NULL}, 10e6,
         "theft 1.2M, RapidCheck 1.5M"},
        {"array uint32[0..100]",
         {"array_uint32", array_uint32, __FILE__, __LINE__, NULL}, 1.5e6,
         "theft 0.46M, RapidCheck 0.27M"},
    };
    double seconds = parse_seconds(argc, argv);

    printf("gadfly %s throughput: cases per CPU second, %d reps of ~%g s\n",
           GF_VERSION_STRING, REPS, seconds);
    for (size_t i = 0; i < sizeof benches / sizeof benches[0]; i++) {
        run_bench(&benches[i], seconds);
        fflush(stdout);
    }
    /* Every run above kept its duplicate check within its limit: the
     * process's peak stays flat however many cases ran. */
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        printf("peak RSS of all the runs: %ld KiB\n", ru.ru_maxrss);
    return 0;
}
