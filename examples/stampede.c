/*
 * stampede.c - a cache stampede: every caller that finds the cache empty
 * goes to the slow backend.
 *
 * The cache is meant to call its loader once: the first caller to miss
 * loads the value and stores it, later callers read it.  But a caller
 * checks the cache, finds it empty, and starts loading without telling
 * anyone; until it stores the result, every other caller that checks also
 * finds it empty and loads too.  In production that is a thundering herd
 * on a database the moment a hot key expires.
 *
 * The loader takes a millisecond of the scheduler's virtual clock
 * (gf_sleep), so it is a schedule point where other callers may run.
 *
 * Minimal counterexample (what the shrinker should print):
 *     callers = 2
 * and a schedule where the second caller checks the cache while the first
 * is loading.
 *
 * The fix is single flight: the first caller to miss marks the key as
 * loading, and callers that find it loading wait until the value is
 * there, spinning with gf_yield.  The scheduler lets a spinning caller run
 * again only after the others have moved, so the fixed cache holds without
 * a livelock: the second property passes.
 *
 * Run: examples/stampede [--seed N] [--filter 'stampede_fixed*'] [--help]
 */
#include <gadfly.h>
#include <gadfly/sched.h>

#include <stdbool.h>

#define VALUE 42

typedef struct cache {
    gf_mutex lock;
    bool has;        /* value is there */
    bool loading;    /* single flight: a caller is loading it */
    int64_t value;
    int64_t loads;   /* calls to the backend */
    int64_t wrong;   /* callers that got something else than VALUE */
} cache;

/* The slow backend: one millisecond per call. */
static int64_t load(cache *c)
{
    gf_atomic_fetch_add(&c->loads, 1);
    gf_sleep(1000000);
    return VALUE;
}

/* The bug: check, then load, with nothing to stop a second loader. */
static void caller(void *arg)
{
    cache *c = arg;
    gf_mutex_lock(&c->lock);
    bool hit = c->has;
    int64_t v = c->value;
    gf_mutex_unlock(&c->lock);
    if (!hit) {
        v = load(c);
        gf_mutex_lock(&c->lock);
        c->value = v;
        c->has = true;
        gf_mutex_unlock(&c->lock);
    }
    if (v != VALUE)
        c->wrong++;
}

/* The fix: single flight.  Whoever misses first loads; the others wait
 * for the value, yielding while the load is in flight. */
static void single_flight_caller(void *arg)
{
    cache *c = arg;
    gf_mutex_lock(&c->lock);
    while (!c->has && c->loading) {
        gf_mutex_unlock(&c->lock);
        gf_yield();
        gf_mutex_lock(&c->lock);
    }
    if (!c->has) {
        c->loading = true;
        gf_mutex_unlock(&c->lock);
        int64_t v = load(c);
        gf_mutex_lock(&c->lock);
        c->value = v;
        c->has = true;
        c->loading = false;
    }
    int64_t v = c->value;
    gf_mutex_unlock(&c->lock);
    if (v != VALUE)
        c->wrong++;
}

static void run_callers(gf_case *tc, gf_task_fn fn)
{
    int64_t callers = *(int64_t *)gf_draw_named(tc, gf_int(1, 8), "callers");
    cache c = {.loads = 0};
    gf_sched *sched = gf_sched_new(tc, NULL);
    for (int64_t i = 0; i < callers; i++)
        gf_spawn_named(sched, "caller", fn, &c);
    gf_sched_run(sched);
    GF_ASSERT_EQ_INT(tc, c.wrong, 0);
    GF_ASSERT_EQ_INT(tc, c.loads, 1);
}

GF_PROPERTY(stampede_loads_once)
{
    run_callers(tc, caller);
}

GF_PROPERTY(stampede_fixed_loads_once)
{
    run_callers(tc, single_flight_caller);
}

GF_MAIN()
