/*
 * shrink.c - how well Gadfly shrinks: the shrinking challenges
 * (tests/shrink/challenges.c) over many seeds.
 *
 *     bench/shrink [--no-time] [seeds] [challenge-glob]
 *                                   (default 100 seeds, all)
 *
 * Each challenge matching the glob (fnmatch(3): "bound5*", "diff*") is run
 * with seeds 1..seeds through challenge_run (gf_run with the options the
 * test uses).  One row per challenge: on how many seeds the shrunk
 * counterexample was the ideal, the median and maximum property calls
 * spent shrinking (gf_result.shrink_calls), the median wall time of the
 * whole run (generation included), Hypothesis 6.67.1's median calls for
 * the same challenge, how many runs stopped at a shrink budget, and
 * whether the challenge met the bar: the ideal on every seed and median
 * calls no higher than Hypothesis's (where Hypothesis was measured).
 * Then, for every challenge that missed, its most common wrong answers,
 * and a last line counting the challenges that met the bar.
 *
 * --no-time leaves the time column out: everything else it prints is the
 * same on every run and machine, so docs/shrinking.md quotes it and
 * tests/test_shrink_doc.sh checks the quote.
 *
 * This program only prints, and exits 0 whatever it measured (2 on a bad
 * command line): the ideals are asserted by tests/shrink/test_challenges.c
 * on fewer seeds, and timing nowhere.
 */
#include "challenges.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_SEEDS 100
#define MAX_SEEDS 1000000
/* Wrong answers listed per challenge that missed. */
#define MISSES_SHOWN 3

/* One distinct wrong answer and how often it came. */
typedef struct miss {
    char *text;
    size_t count;
    uint64_t first_seed;
} miss;

/* What the runs of one challenge measured. */
typedef struct tally {
    size_t runs;
    size_t found;       /* runs that ended GF_FAILED */
    size_t ideal;
    size_t budget_hits; /* reports that say shrinking hit its budget */
    size_t flaky;
    size_t several;     /* runs that reported more than one failure */
    uint64_t *calls;    /* shrink calls of each found run */
    double *ms;         /* wall time of each run */
    miss *misses;
    size_t nmisses;
} tally;

static GF_NORETURN void out_of_memory(void)
{
    fputs("shrink: out of memory\n", stderr);
    exit(3);
}

static void *checked_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (p == NULL)
        out_of_memory();
    return p;
}

static double now_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        perror("shrink: clock_gettime");
        exit(3);
    }
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Count a wrong answer (taking ownership of text). */
static void note_miss(tally *t, char *text, uint64_t seed)
{
    for (size_t i = 0; i < t->nmisses; i++) {
        if (strcmp(t->misses[i].text, text) == 0) {
            t->misses[i].count++;
            free(text);
            return;
        }
    }
    t->misses[t->nmisses++] = (miss){.text = text, .count = 1,
                                     .first_seed = seed};
}

static char *status_text(gf_status st)
{
    const char *what = st == GF_PASSED    ? "not found: every case passed"
                       : st == GF_GAVE_UP ? "not found: gave up"
                                          : "error";
    char *s = malloc(strlen(what) + 1);
    if (s == NULL)
        out_of_memory();
    return strcpy(s, what);
}

static void run_seed(const challenge *c, uint64_t seed, tally *t)
{
    gf_result r;
    double start = now_ms();
    gf_status st = challenge_run(c, seed, &r);
    t->ms[t->runs++] = now_ms() - start;

    if (st != GF_FAILED) {
        note_miss(t, status_text(st), seed);
    } else {
        t->calls[t->found++] = r.shrink_calls;
        t->budget_hits += r.report && strstr(r.report, "budget") != NULL;
        t->flaky += r.flaky;
        t->several += r.failures > 1;
        if (!r.flaky && c->is_ideal())
            t->ideal++;
        else
            note_miss(t, c->describe(), seed);
    }
    gf_result_free(&r);
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Medians of sorted arrays; the mean of the middle two for an even count,
 * as the challenge files report Hypothesis's. */
static double median_u64(const uint64_t *xs, size_t n)
{
    if (n == 0)
        return 0;
    return n % 2 ? (double)xs[n / 2]
                 : ((double)xs[n / 2 - 1] + (double)xs[n / 2]) / 2;
}

static double median_double(const double *xs, size_t n)
{
    if (n == 0)
        return 0;
    return n % 2 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

/* Print the time column (--no-time: not). */
static bool show_time = true;

/* Print the row; true if the challenge met the bar. */
static bool print_row(const challenge *c, tally *t)
{
    qsort(t->calls, t->found, sizeof *t->calls, compare_u64);
    qsort(t->ms, t->runs, sizeof *t->ms, compare_double);
    double calls = median_u64(t->calls, t->found);
    uint64_t max_calls = t->found ? t->calls[t->found - 1] : 0;
    char ideal[32], hyp[16];
    snprintf(ideal, sizeof ideal, "%zu/%zu", t->ideal, t->runs);
    if (c->hypothesis_calls > 0)
        snprintf(hyp, sizeof hyp, "%.0f", c->hypothesis_calls);
    else
        snprintf(hyp, sizeof hyp, "-");
    bool met = t->ideal == t->runs &&
               (c->hypothesis_calls <= 0 || calls <= c->hypothesis_calls);
    printf("%-22s %9s %9.1f %7llu", c->name, ideal, calls,
           (unsigned long long)max_calls);
    if (show_time)
        printf(" %9.2f", median_double(t->ms, t->runs));
    printf(" %10s %6zu %5s\n", hyp, t->budget_hits, met ? "yes" : "no");
    fflush(stdout);
    return met;
}

static int compare_miss(const void *a, const void *b)
{
    const miss *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return (x->first_seed > y->first_seed) - (x->first_seed < y->first_seed);
}

static void print_misses(const challenge *c, tally *t)
{
    if (t->flaky || t->several)
        printf("%s: %zu run%s flaky, %zu with more than one failure\n",
               c->name, t->flaky, t->flaky == 1 ? "" : "s", t->several);
    if (t->nmisses == 0)
        return;
    qsort(t->misses, t->nmisses, sizeof *t->misses, compare_miss);
    printf("%s: ideal %s; %zu distinct other answer%s\n", c->name, c->ideal,
           t->nmisses, t->nmisses == 1 ? "" : "s");
    for (size_t i = 0; i < t->nmisses && i < MISSES_SHOWN; i++)
        printf("  %4zu x  %s   (first seed %llu)\n", t->misses[i].count,
               t->misses[i].text, (unsigned long long)t->misses[i].first_seed);
}

static void tally_free(tally *t)
{
    for (size_t i = 0; i < t->nmisses; i++)
        free(t->misses[i].text);
    free(t->misses);
    free(t->calls);
    free(t->ms);
}

static GF_NORETURN void usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [--no-time] [seeds] [challenge-glob]   (seeds in 1..%d, "
            "default %d; glob as fnmatch(3), default *)\n",
            argv0, MAX_SEEDS, DEFAULT_SEEDS);
    exit(2);
}

static uint64_t parse_seeds(const char *arg, const char *argv0)
{
    char *end;
    unsigned long long n = strtoull(arg, &end, 10);
    if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || n < 1 ||
        n > MAX_SEEDS)
        usage(argv0);
    return n;
}

static size_t count_matching(const char *glob)
{
    size_t n = 0;
    for (size_t i = 0; i < challenge_count; i++)
        n += fnmatch(glob, challenges[i].name, 0) == 0;
    return n;
}

int main(int argc, char **argv)
{
    char *argv0 = argv[0];
    if (argc > 1 && strcmp(argv[1], "--no-time") == 0) {
        show_time = false;
        argv++;
        argc--;
    }
    argv[0] = argv0;
    if (argc > 3)
        usage(argv[0]);
    uint64_t seeds = argc > 1 ? parse_seeds(argv[1], argv[0]) : DEFAULT_SEEDS;
    const char *glob = argc > 2 ? argv[2] : "*";
    size_t matched = count_matching(glob);
    if (matched == 0) {
        fprintf(stderr, "shrink: no challenge matches '%s'\n", glob);
        return 2;
    }

    printf("gadfly %s shrinking challenges, seeds 1..%llu\n",
           GF_VERSION_STRING, (unsigned long long)seeds);
    printf("%-22s %9s %9s %7s", "challenge", "ideal", "calls-med", "max");
    if (show_time)
        printf(" %9s", "ms-med");
    printf(" %10s %6s %5s\n", "Hypothesis", "budget", "bar");
    tally *tallies = checked_calloc(challenge_count, sizeof *tallies);
    size_t met = 0;
    for (size_t i = 0; i < challenge_count; i++) {
        const challenge *c = &challenges[i];
        if (fnmatch(glob, c->name, 0) != 0)
            continue;
        tally *t = &tallies[i];
        t->calls = checked_calloc(seeds, sizeof *t->calls);
        t->ms = checked_calloc(seeds, sizeof *t->ms);
        t->misses = checked_calloc(seeds, sizeof *t->misses);
        for (uint64_t seed = 1; seed <= seeds; seed++)
            run_seed(c, seed, t);
        met += print_row(c, t);
    }

    printf("\n");
    for (size_t i = 0; i < challenge_count; i++)
        if (tallies[i].runs)
            print_misses(&challenges[i], &tallies[i]);
    printf("bar met by %zu of %zu challenges (ideal on every seed, median "
           "calls <= Hypothesis's where measured)\n", met, matched);

    for (size_t i = 0; i < challenge_count; i++)
        tally_free(&tallies[i]);
    free(tallies);
    return 0;
}
