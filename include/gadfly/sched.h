/*
 * gadfly/sched.h - the controlled scheduler: concurrent properties run
 * deterministically, one task at a time.
 *
 *     GF_PROPERTY(no_oversell) {
 *         shop s = {.stock = gf_draw_int(tc, 0, 5)};
 *         gf_sched *sched = gf_sched_new(tc, NULL);
 *         for (int i = 0; i < 2; i++)
 *             gf_spawn(sched, buyer, &s);
 *         gf_sched_run(sched);
 *         GF_ASSERT(tc, s.sold <= initial);
 *     }
 *
 * Tasks are coroutines on one thread.  A task runs until it reaches a
 * schedule point: gf_yield, a gf_mutex or gf_cond operation, a gf_atomic
 * operation, gf_now or gf_sleep, or gf_task_join.  There the scheduler
 * picks which task takes the next step, and that pick is a choice of the
 * case, like any drawn value: a failing interleaving shrinks (fewer tasks,
 * fewer steps, fewer switches: "keep running the same task" is the
 * simplest pick) and its replay line reproduces it exactly.  The failure
 * report lists the schedule, step by step.
 *
 * The scheduler sees only these operations.  Memory that tasks share must
 * be read and written under a gf_mutex or through gf_atomic_*: plain
 * accesses between two schedule points happen all at once, as if atomic.
 * It assumes sequential consistency (no weak-memory reorderings), and a
 * blocking call it does not know (read(2), a pthread mutex that is not
 * routed through it, a real thread) is invisible to it: see
 * docs/concurrency.md.
 *
 * Everything here belongs to one case: the scheduler, its tasks and the
 * state of its mutexes end with the case.  Nothing is thread-safe: a case
 * and its scheduler live on one thread.
 */
#ifndef GADFLY_SCHED_H
#define GADFLY_SCHED_H

#include <gadfly.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A scheduler, made for one case by gf_sched_new.  Opaque. */
typedef struct gf_sched gf_sched;
/** A task of a scheduler.  Opaque. */
typedef struct gf_task gf_task;

/** How the scheduler picks the next task. */
typedef enum gf_sched_strategy {
    /** At each schedule point where more than one task could run, a choice
     * among them, uniform when generated. */
    GF_SCHED_RANDOM = 0,
    /** Probabilistic concurrency testing: each task gets a random priority
     * when spawned, the highest-priority task that can run always runs,
     * and at `pct_depth - 1` steps drawn from the case the running task
     * drops below every other.  Finds a bug that needs d - 1 preemptions
     * with probability about 1 / (tasks * steps^(d-1)) per case, however
     * many steps come before it. */
    GF_SCHED_PCT = 1,
} gf_sched_strategy;

/** How gf_sched_run ended. */
typedef enum gf_sched_status {
    GF_SCHED_DONE = 0,       /**< every task returned */
    GF_SCHED_DEADLOCK = 1,   /**< no task could run, some were blocked */
    GF_SCHED_STEP_BOUND = 2, /**< max_steps were taken first */
} gf_sched_status;

/** Settings for gf_sched_new; zero means "default" everywhere. */
typedef struct gf_sched_options {
    gf_sched_strategy strategy; /**< default GF_SCHED_RANDOM */
    unsigned pct_depth;   /**< PCT: the bug depth aimed at, d >= 1
                               (default 2: one priority change) */
    uint64_t max_steps;   /**< steps before the run stops (default 2000) */
    size_t stack_size;    /**< bytes of stack per task (default 256 KiB,
                               at most 1 GiB), with a guard page below it */
    /** By default a deadlock fails the case (origin "deadlock") and so
     * does reaching max_steps (origin "step bound"), each with where every
     * task stood.  Set these to get the status back instead. */
    bool return_on_deadlock;
    bool return_on_step_bound;
} gf_sched_options;

/** The most tasks one scheduler runs. */
#define GF_SCHED_MAX_TASKS 64

/**
 * A scheduler for this case (opt may be NULL).  It lives in the case's
 * arena.  One scheduler at a time per case: a new one replaces the last,
 * which must not be running.
 */
GF_API gf_sched *gf_sched_new(gf_case *tc, const gf_sched_options *opt);

/** A task's body. */
typedef void (*gf_task_fn)(void *arg);

/**
 * Add a task that will run fn(arg); it starts when gf_sched_run runs (or,
 * spawned by a running task, at the next schedule point).  `label` names
 * it in reports ("buyer" gives buyer#0, buyer#1, ...).  More than
 * GF_SCHED_MAX_TASKS tasks fail the case as misuse.
 */
GF_API gf_task *gf_spawn_named(gf_sched *s, const char *label, gf_task_fn fn,
                               void *arg);
/** gf_spawn_named labelled with the function's name. */
#define gf_spawn(s, fn, arg) gf_spawn_named((s), #fn, (fn), (arg))

/**
 * Run the tasks until all have returned, no task can run, or max_steps.
 * A failure inside a task (an assertion, a crash, a timeout) ends the case
 * as it would outside one, after the other tasks are abandoned and their
 * stacks released.  Deadlock and the step bound fail the case unless the
 * options ask for the status.  Called from the property, not from a task.
 */
GF_API gf_sched_status gf_sched_run(gf_sched *s);

/** Steps taken so far (a task running from one schedule point to the
 * next is one step). */
GF_API uint64_t gf_sched_steps(const gf_sched *s);
/** Preemptions so far: steps where a task that could have gone on was
 * switched away from. */
GF_API uint64_t gf_sched_preemptions(const gf_sched *s);

/** The scheduler of the running case (made by gf_sched_new in it), or
 * NULL: for wrappers that route other APIs to the scheduler. */
GF_API gf_sched *gf_sched_active(void);
/**
 * For wrappers that cannot know the caller's file and line (those of
 * gadfly/sched_pthread.h, linked with --wrap): the next schedule point
 * made with a NULL file is reported at the source line of code address
 * `pc`, which the wrapper gets with __builtin_return_address(0).  The
 * line is read from the program's debug information by addr2line(1) when
 * a report is made (never per case); without either, the report gives
 * the address as PROGRAM+0xOFFSET (the program or library file, and the
 * offset in it), which `addr2line -e PROGRAM 0xOFFSET` reads.
 * No effect outside a scheduler.
 */
GF_API void gf_sched_caller(const void *pc);
/** The running task, or NULL outside a task. */
GF_API gf_task *gf_task_self(void);
/** A task's number, 0 for the first spawned. */
GF_API int gf_task_id(const gf_task *t);
/** Has the task returned? */
GF_API bool gf_task_done(const gf_task *t);
/** Inside a task: wait until t has returned (a schedule point). */
GF_API void gf_task_join_at(gf_task *t, const char *file, int line);
#define gf_task_join(t) gf_task_join_at((t), __FILE__, __LINE__)

/*
 * Schedule points.  Each is a macro that records its source text and line
 * for the schedule in a failure report; the _at functions are what they
 * call (for wrappers of other APIs).  `what` and `file` may be NULL.
 *
 * Outside a running task (in the property itself, or with no scheduler)
 * they act at once as in one thread: a mutex is taken or released (taking
 * one that a task or the property holds, or releasing one the property
 * does not hold, fails the case, with or without a scheduler), atomics are real atomics, gf_now reads
 * the scheduler's clock (CLOCK_MONOTONIC with no scheduler) and gf_sleep
 * with no scheduler sleeps for real.
 */

/** Let another task run.  A task that yields, fails a trylock, sleeps, or
 * loads the same value from the same place twice in a row is spinning:
 * it runs again only after each task that could run at that moment has
 * taken a step, so a correct spin-wait cannot livelock. */
GF_API void gf_yield_at(const char *file, int line);
#define gf_yield() gf_yield_at(__FILE__, __LINE__)

/** A mutex (not recursive).  Its state lives in the scheduler, keyed by
 * address: any object may serve, and GF_MUTEX_INIT or zero initialises. */
typedef struct gf_mutex {
    unsigned char unused_;
} gf_mutex;
#define GF_MUTEX_INIT {0}

/** Take m, waiting while another task holds it.  Taking a mutex the task
 * already holds fails the case (it would deadlock). */
GF_API void gf_mutex_lock_at(gf_mutex *m, const char *what, const char *file,
                             int line);
/** Take m if free; false if held (a spinning step). */
GF_API bool gf_mutex_trylock_at(gf_mutex *m, const char *what,
                                const char *file, int line);
/** Release m; releasing a mutex the task does not hold fails the case. */
GF_API void gf_mutex_unlock_at(gf_mutex *m, const char *what,
                               const char *file, int line);
#define gf_mutex_lock(m) gf_mutex_lock_at((m), #m, __FILE__, __LINE__)
#define gf_mutex_trylock(m) gf_mutex_trylock_at((m), #m, __FILE__, __LINE__)
#define gf_mutex_unlock(m) gf_mutex_unlock_at((m), #m, __FILE__, __LINE__)

/** A condition variable; like gf_mutex, identity only. */
typedef struct gf_cond {
    unsigned char unused_;
} gf_cond;
#define GF_COND_INIT {0}

/** Release m (which the task must hold), wait for a signal, take m again.
 * No spurious wakeups.  A wait no signal ends is a deadlock. */
GF_API void gf_cond_wait_at(gf_cond *c, gf_mutex *m, const char *what,
                            const char *file, int line);
/** As gf_cond_wait, but gives up after `ns` nanoseconds of virtual time:
 * returns false if it timed out.  When the timeout fires is a choice. */
GF_API bool gf_cond_timedwait_at(gf_cond *c, gf_mutex *m, uint64_t ns,
                                 const char *what, const char *file,
                                 int line);
/** Wake one waiter (which one is a choice; the longest waiting is the
 * simplest), or all of them. */
GF_API void gf_cond_signal_at(gf_cond *c, const char *what, const char *file,
                              int line);
GF_API void gf_cond_broadcast_at(gf_cond *c, const char *what,
                                 const char *file, int line);
#define gf_cond_wait(c, m) gf_cond_wait_at((c), (m), #c, __FILE__, __LINE__)
#define gf_cond_timedwait(c, m, ns)                                          \
    gf_cond_timedwait_at((c), (m), (ns), #c, __FILE__, __LINE__)
#define gf_cond_signal(c) gf_cond_signal_at((c), #c, __FILE__, __LINE__)
#define gf_cond_broadcast(c) gf_cond_broadcast_at((c), #c, __FILE__, __LINE__)

/* Atomic operations on int64_t, sequentially consistent. */
GF_API int64_t gf_atomic_load_at(int64_t *p, const char *what,
                                 const char *file, int line);
GF_API void gf_atomic_store_at(int64_t *p, int64_t v, const char *what,
                               const char *file, int line);
/** Add v; returns the old value. */
GF_API int64_t gf_atomic_fetch_add_at(int64_t *p, int64_t v, const char *what,
                                      const char *file, int line);
/** Store v; returns the old value. */
GF_API int64_t gf_atomic_exchange_at(int64_t *p, int64_t v, const char *what,
                                     const char *file, int line);
/** If *p == *expected store desired and return true; else copy *p into
 * *expected and return false. */
GF_API bool gf_atomic_cas_at(int64_t *p, int64_t *expected, int64_t desired,
                             const char *what, const char *file, int line);
#define gf_atomic_load(p) gf_atomic_load_at((p), #p, __FILE__, __LINE__)
#define gf_atomic_store(p, v)                                                \
    gf_atomic_store_at((p), (v), #p, __FILE__, __LINE__)
#define gf_atomic_fetch_add(p, v)                                            \
    gf_atomic_fetch_add_at((p), (v), #p, __FILE__, __LINE__)
#define gf_atomic_exchange(p, v)                                             \
    gf_atomic_exchange_at((p), (v), #p, __FILE__, __LINE__)
#define gf_atomic_cas(p, e, d)                                               \
    gf_atomic_cas_at((p), (e), (d), #p, __FILE__, __LINE__)

/*
 * The virtual clock: nanoseconds since the scheduler was made, starting
 * at 0.  Time moves only when a sleeping task wakes: a sleeper may wake
 * whenever it is the earliest one due (that is a choice, like a switch),
 * and must wake when no other task can run.
 */
GF_API uint64_t gf_now_at(const char *file, int line);
GF_API void gf_sleep_at(uint64_t ns, const char *file, int line);
#define gf_now() gf_now_at(__FILE__, __LINE__)
#define gf_sleep(ns) gf_sleep_at((ns), __FILE__, __LINE__)

#ifdef __cplusplus
}
#endif

#endif /* GADFLY_SCHED_H */
