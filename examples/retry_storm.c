/*
 * retry_storm.c - retries without jitter: every caller that lost its
 * connection retries at the same instant.
 *
 * Callers share one multiplexed connection to a backend that can take
 * two calls per 10 ms (200 calls per virtual second).  They start 20 ms
 * apart, each call takes 100 ms, so in normal operation the backend sees
 * one new call per 20 ms.  When the connection drops, every call in
 * flight fails at that instant with ECONNRESET, and each caller retries
 * after the same fixed backoff: the retries all arrive at once.
 *
 * The drop is a fault of the case (gadfly/fault.h): a delay fault on the
 * point "conn.reset", slept on the controlled scheduler's virtual clock
 * (gadfly/sched.h), so the whole test runs in microseconds and the moment
 * of the drop shrinks like any value.  The property counts calls per
 * 10 ms window of virtual time.
 *
 * Minimal counterexample (what the shrinker should print):
 *     callers = 3
 * and one fault: conn.reset after about 40 ms, when three calls are in
 * flight.
 *
 * The fix spreads the retries over the backoff interval: each caller
 * waits the backoff plus its own offset (what full jitter does with a
 * random one; a fixed offset per caller keeps the example deterministic),
 * and the second property passes.
 *
 * Run: examples/retry_storm [--seed N] [--filter 'retry_fixed*'] [--help]
 */
#include <gadfly.h>
#include <gadfly/fault.h>
#include <gadfly/sched.h>

#include <errno.h>
#include <stdbool.h>

#define MS 1000000u
#define MAX_CALLERS 8
#define MAX_CALLS 64
#define CALL_NS (100 * MS)
#define SPACING_NS (20 * MS)
#define BACKOFF_NS (100 * MS)
#define WINDOW_NS (10 * MS)
#define WINDOW_LIMIT 2
#define MAX_TRIES 3

typedef struct conn {
    gf_mutex lock;
    gf_cond dropped;
    uint64_t generation;   /* bumped at each drop */
    uint64_t drop_at;      /* when it dropped */
    uint64_t starts[MAX_CALLS];
    int ncalls;
    int failed;            /* callers that gave up */
    bool jitter;
} conn;

/* A caller keeps the time it means each step to happen (`t`), which is
 * the virtual clock's time when the scheduler runs it at once; the load
 * is counted by those times, so how late the scheduler runs a caller that
 * could run does not blur it. */
typedef struct caller {
    conn *c;
    int id;
    uint64_t t;
} caller;

/* One call: 0 when its answer came, ECONNRESET when the connection
 * dropped while it was in flight. */
static int call(caller *me)
{
    conn *c = me->c;
    gf_mutex_lock(&c->lock);
    uint64_t start = me->t;
    if (c->ncalls < MAX_CALLS)
        c->starts[c->ncalls++] = start;
    uint64_t gen = c->generation;
    while (c->generation == gen &&
           gf_cond_timedwait(&c->dropped, &c->lock, CALL_NS))
        ;
    /* The wait ends at or after start + CALL_NS on the clock, and timers
     * fire in order, so a drop due before then has been published. */
    bool reset = c->generation != 0 && c->drop_at >= start &&
                 c->drop_at < start + CALL_NS;
    gf_mutex_unlock(&c->lock);
    me->t = reset ? c->drop_at : start + CALL_NS;
    return reset ? ECONNRESET : 0;
}

static void pause_for(caller *me, uint64_t ns)
{
    gf_sleep(ns);
    me->t += ns;
}

static void run_caller(void *arg)
{
    caller *me = arg;
    conn *c = me->c;
    pause_for(me, (uint64_t)me->id * SPACING_NS);
    for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
        if (call(me) == 0)
            return;
        uint64_t wait = BACKOFF_NS << attempt;
        /* The fix: each caller its own offset within the backoff. */
        if (c->jitter)
            wait += (uint64_t)(me->id * 37 % 100) * MS;
        pause_for(me, wait);
    }
    c->failed++;
}

/* The connection: drops once, when the case says.  The drop is published
 * in the step that wakes it (no schedule point in between), at the
 * virtual time it chose. */
static void run_conn(void *arg)
{
    conn *c = arg;
    uint64_t at = gf_fault_delay(NULL, "conn.reset", 300 * MS);
    if (at) {
        c->drop_at = at;
        c->generation++;
        gf_mutex_lock(&c->lock);
        gf_cond_broadcast(&c->dropped);
        gf_mutex_unlock(&c->lock);
    }
}

static void storm(gf_case *tc, bool jitter)
{
    int callers = (int)*(int64_t *)gf_draw_named(
        tc, gf_int(1, MAX_CALLERS), "callers");
    conn c = {.jitter = jitter};
    caller who[MAX_CALLERS];
    gf_fault_enable(tc, "conn.*", &(gf_fault_options){.rate = 0.5});
    gf_sched *s = gf_sched_new(tc, NULL);
    gf_spawn_named(s, "conn", run_conn, &c);
    for (int i = 0; i < callers; i++) {
        who[i] = (caller){.c = &c, .id = i, .t = 0};
        gf_spawn_named(s, "caller", run_caller, &who[i]);
    }
    gf_sched_run(s);
    /* Calls per 10 ms window, at each call's start. */
    for (int i = 0; i < c.ncalls; i++) {
        int in_window = 0;
        for (int j = 0; j < c.ncalls; j++)
            if (c.starts[j] >= c.starts[i] &&
                c.starts[j] < c.starts[i] + WINDOW_NS)
                in_window++;
        if (in_window > WINDOW_LIMIT)
            gf_note(tc, "%d calls within 10 ms of t = %llu ms (limit %d)",
                    in_window, (unsigned long long)(c.starts[i] / MS),
                    WINDOW_LIMIT);
        GF_ASSERT(tc, in_window <= WINDOW_LIMIT);
    }
    GF_ASSERT_EQ_INT(tc, c.failed, 0);
}

GF_PROPERTY(retry_load_stays_bounded)
{
    storm(tc, false);
}

GF_PROPERTY(retry_fixed_load_stays_bounded)
{
    storm(tc, true);
}

GF_MAIN()
