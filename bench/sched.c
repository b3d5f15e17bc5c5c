/*
 * sched.c - how fast the controlled scheduler finds races, and how far it
 * shrinks them, over many seeds.
 *
 *     bench/sched [seeds]     (default 100)
 *
 * Rows:
 *   inventory   examples/inventory.c's oversell (random walk): the median
 *               and worst cases to find it, and on how many seeds it
 *               shrank to stock = 1, buyers = 2 with one preemption.
 *   stampede    examples/stampede.c's double load: cases to find it, and
 *               seeds that shrank to callers = 2.
 *   ordering    a consumer that must run after the producer's 30-step
 *               preamble, between two of its stores: cases to find it with
 *               PCT, then with the random walk.
 *   single      the fixed single-flight cache of examples/stampede.c,
 *               100,000 cases: held or not (a livelock would fail it with
 *               the step bound), and the time taken.
 *
 * The bar: median cases to find at most 10 (inventory, stampede) and 20
 * (ordering, PCT).  This program only prints, and exits 0 whatever it
 * measured (2 on a bad command line).
 */
#include <gadfly.h>
#include <gadfly/sched.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The examples' own properties, with their main() renamed away. */
int inventory_main(int argc, char **argv);
int stampede_main(int argc, char **argv);
#define main inventory_main
#include "../examples/inventory.c"
#undef main
#define main stampede_main
#include "../examples/stampede.c"
#undef main

#define DEFAULT_SEEDS 100
#define MAX_SEEDS 100000
#define ORDERING_TRIALS 1000

/* ---- the ordering bug --------------------------------------------------- */

typedef struct job {
    int64_t progress; /* the producer's private preamble */
    int64_t ready;
    int64_t data;
    int64_t bad;
} job;

/* Publishes `ready` before the data it announces. */
static void producer(void *arg)
{
    job *j = arg;
    for (int i = 0; i < 30; i++)
        gf_atomic_fetch_add(&j->progress, 1);
    gf_atomic_store(&j->ready, 1);
    gf_atomic_store(&j->data, 42);
}

static void consumer(void *arg)
{
    job *j = arg;
    if (gf_atomic_load(&j->ready) && gf_atomic_load(&j->data) != 42)
        j->bad = 1;
}

static void ordering(gf_case *tc, gf_sched_strategy strategy)
{
    job j = {0};
    gf_sched *s = gf_sched_new(tc, &(gf_sched_options){.strategy = strategy});
    gf_spawn(s, producer, &j);
    gf_spawn(s, consumer, &j);
    gf_sched_run(s);
    GF_ASSERT_EQ_INT(tc, j.bad, 0);
}

static void ordering_pct(gf_case *tc)
{
    ordering(tc, GF_SCHED_PCT);
}

static void ordering_random(gf_case *tc)
{
    ordering(tc, GF_SCHED_RANDOM);
}

/* ---- measuring ------------------------------------------------------------ */

static const gf_property *find(const char *name)
{
    for (const gf_property *p = gf_registered(); p; p = p->next)
        if (strcmp(p->name, name) == 0)
            return p;
    fprintf(stderr, "sched: no property %s\n", name);
    exit(3);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct tally {
    uint64_t *cases;  /* cases to find, per seed that found */
    size_t found;
    size_t ideal;
} tally;

/* Run p on seeds 1..seeds; `ideal` is the counterexample wanted and
 * `trace` a string the report must contain (or NULL). */
static tally measure(const gf_property *p, unsigned seeds, uint64_t trials,
                     const char *ideal, const char *trace)
{
    tally t = {.cases = calloc(seeds, sizeof(uint64_t))};
    if (!t.cases)
        exit(3);
    for (unsigned seed = 1; seed <= seeds; seed++) {
        gf_result r;
        gf_options opt = {.seed = seed, .seed_set = true, .trials = trials,
                          .quiet = true};
        if (gf_run(p, &opt, &r) == GF_FAILED) {
            t.cases[t.found++] = r.cases;
            if ((!ideal || (r.counterexample &&
                            strcmp(r.counterexample, ideal) == 0)) &&
                (!trace || (r.report && strstr(r.report, trace))))
                t.ideal++;
        }
        gf_result_free(&r);
    }
    qsort(t.cases, t.found, sizeof *t.cases, cmp_u64);
    return t;
}

static void row(const char *name, const tally *t, unsigned seeds,
                const char *ideal_what)
{
    if (t->found == 0) {
        printf("%-10s found on 0/%u seeds\n", name, seeds);
        return;
    }
    printf("%-10s found on %zu/%u seeds; cases to find: median %" PRIu64
           ", worst %" PRIu64 "%s",
           name, t->found, seeds, t->cases[(t->found - 1) / 2],
           t->cases[t->found - 1], ideal_what ? "; " : "\n");
    if (ideal_what)
        printf("shrank to %s on %zu\n", ideal_what, t->ideal);
}

int main(int argc, char **argv)
{
    unsigned seeds = DEFAULT_SEEDS;
    if (argc > 2) {
        fprintf(stderr, "usage: %s [seeds]\n", argv[0]);
        return 2;
    }
    if (argc == 2) {
        char *end;
        unsigned long n = strtoul(argv[1], &end, 10);
        if (*end || n == 0 || n > MAX_SEEDS) {
            fprintf(stderr, "sched: seeds must be 1..%d\n", MAX_SEEDS);
            return 2;
        }
        seeds = (unsigned)n;
    }

    tally inv = measure(find("inventory_never_oversells"), seeds, 1000,
                        "stock = 1\nbuyers = 2\n", ", 1 preemption\n");
    row("inventory", &inv, seeds, "stock 1, 2 buyers, 1 preemption");
    tally st = measure(find("stampede_loads_once"), seeds, 1000,
                       "callers = 2\n", NULL);
    row("stampede", &st, seeds, "callers = 2");

    gf_property pct = {.name = "ordering_pct", .fn = ordering_pct};
    gf_property rnd = {.name = "ordering_random", .fn = ordering_random};
    tally op = measure(&pct, seeds, ORDERING_TRIALS, NULL, NULL);
    row("ordering", &op, seeds, NULL);
    tally orr = measure(&rnd, seeds, ORDERING_TRIALS, NULL, NULL);
    row("  random", &orr, seeds, NULL);

    double t0 = now_s();
    gf_result r;
    gf_status s = gf_run(find("stampede_fixed_loads_once"),
                         &(gf_options){.seed = 1, .seed_set = true,
                                       .trials = 100000, .quiet = true},
                         &r);
    printf("%-10s fixed cache, 100000 cases: %s (%" PRIu64 " cases) in "
           "%.1f s\n", "single", s == GF_PASSED ? "held" : "FAILED",
           r.cases, now_s() - t0);
    if (s != GF_PASSED && r.report)
        fputs(r.report, stdout);
    gf_result_free(&r);

    free(inv.cases);
    free(st.cases);
    free(op.cases);
    free(orr.cases);
    return 0;
}
