/*
 * watchdog.c - per-case timeouts without a system call per case.
 *
 * A case only bumps a counter when it starts and clears a flag when it
 * ends (two plain stores).  A thread wakes a few times per timeout period;
 * when it sees the same case still running past the timeout, it sends
 * SIGALRM to the thread running the property, whose handler (case.c) ends
 * the case as a failure with the origin "timeout".  Like a caught crash,
 * this leaves the property's own state (locks it held, memory it
 * allocated) as it was.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/internal.h"
#include "run.h"
#include "watchdog.h"

struct watchdog {
    pthread_t thread, target;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    double timeout;
    _Atomic uint64_t serial;
    _Atomic int running;
    void (*wedged)(void *ctx);
    void *ctx;
};

/* Timeouts sent to one case before it counts as wedged: its thread is
 * stuck where a signal cannot get it out (a lock that a crash or an
 * earlier timeout left held, typically malloc's). */
#define WEDGED_AFTER 3
/* Seconds without a new case, beyond IDLE_LIMIT_FACTOR timeouts, before
 * the runner counts as stuck between cases. */
#define IDLE_LIMIT 30.0
#define IDLE_LIMIT_FACTOR 20

static void deadline_after(struct timespec *ts, double seconds)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    double whole = (double)(long)seconds;
    ts->tv_sec += (time_t)whole;
    ts->tv_nsec += (long)((seconds - whole) * 1e9);
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static void *watch(void *arg)
{
    watchdog *w = arg;
    double period = w->timeout / 4;
    if (period > 0.25)
        period = 0.25;
    if (period < 0.001)
        period = 0.001;
    uint64_t seen = 0;
    unsigned strikes = 0;
    double since = now_seconds();
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        struct timespec ts;
        deadline_after(&ts, period);
        pthread_cond_timedwait(&w->wake, &w->lock, &ts);
        if (w->stop)
            break;
        uint64_t serial = atomic_load_explicit(&w->serial, memory_order_relaxed);
        int running = atomic_load_explicit(&w->running, memory_order_relaxed);
        double now = now_seconds();
        if (serial != seen) {
            seen = serial;
            since = now;
            strikes = 0;
        } else if (!running) {
            /* Between cases the runner only does bookkeeping: no new case
             * for this long means it is stuck outside one (a lock that a
             * caught crash left held). */
            if (now - since >= IDLE_LIMIT_FACTOR * w->timeout + IDLE_LIMIT &&
                w->wedged)
                w->wedged(w->ctx);
        } else if (now - since >= w->timeout) {
            if (++strikes > WEDGED_AFTER && w->wedged)
                w->wedged(w->ctx); /* does not return */
            pthread_kill(w->target, SIGALRM);
            since = now; /* once per period until the case ends */
        }
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

watchdog *watchdog_start(double timeout, void (*wedged)(void *ctx), void *ctx)
{
    if (!(timeout > 0))
        return NULL;
    watchdog *w = xmalloc(sizeof *w);
    memset(w, 0, sizeof *w);
    w->timeout = timeout;
    w->wedged = wedged;
    w->ctx = ctx;
    w->target = pthread_self();
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->wake, &attr);
    pthread_condattr_destroy(&attr);
    /* The watcher must not take the property's signals. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&w->thread, NULL, watch, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return NULL; /* no thread, no timeouts: the run goes on */
    }
    return w;
}

void watchdog_stop(watchdog *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

void watchdog_enter(watchdog *w)
{
    /* Only this thread writes: a relaxed load and store, not a locked
     * read-modify-write, on the per-case path. */
    uint64_t next = atomic_load_explicit(&w->serial, memory_order_relaxed) + 1;
    atomic_store_explicit(&w->serial, next, memory_order_relaxed);
    atomic_store_explicit(&w->running, 1, memory_order_relaxed);
}

void watchdog_leave(watchdog *w)
{
    atomic_store_explicit(&w->running, 0, memory_order_relaxed);
}
