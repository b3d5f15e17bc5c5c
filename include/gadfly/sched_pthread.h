/*
 * gadfly/sched_pthread.h - run existing pthread code under the controlled
 * scheduler, unchanged, by wrapping its calls at link time.
 *
 * Include this header in exactly one source file of the test program (it
 * defines functions), and link the program with
 *
 *     -Wl,--wrap=pthread_mutex_lock -Wl,--wrap=pthread_mutex_trylock
 *     -Wl,--wrap=pthread_mutex_unlock -Wl,--wrap=pthread_cond_wait
 *     -Wl,--wrap=pthread_cond_signal -Wl,--wrap=pthread_cond_broadcast
 *     -Wl,--wrap=pthread_create -Wl,--wrap=pthread_join
 *
 * (GF_SCHED_PTHREAD_LDFLAGS below spells them out for a Makefile).  The
 * linker then sends every call to these functions from the program's own
 * object files to __wrap_NAME, which routes it to the scheduler while the
 * running case has one (gf_sched_new was called in it), and to the real
 * function (__real_NAME) otherwise, so the same binary still runs real
 * threads outside such properties.  Calls made inside shared libraries are
 * not wrapped: --wrap works on the objects being linked.  (Linked
 * statically, Gadfly's own lock around its generator cache is among them:
 * a task that builds a generator, gf_int(0, n) say, then passes through
 * two more schedule points, which is harmless.)
 *
 * Schedule points made by the wrappers are reported at the caller's source
 * line (gf_sched_caller), read from the program's debug information with
 * addr2line(1) when a report is made: build the test program with -g.
 *
 * Under the scheduler:
 *   - a pthread mutex or condition variable is known by its address; its
 *     own memory is never touched, so static and pthread_*_init'd ones
 *     both work, and pthread_*_destroy stays real;
 *   - pthread_create spawns a task (labelled "pthread"); the pthread_t it
 *     returns is meaningful only to the wrapped pthread_join, and
 *     pthread_self, attributes, cancellation and detaching are not
 *     modelled (attr is ignored);
 *   - pthread_join in a task waits for the task; in the property itself
 *     (which is not a task) it runs the scheduler until every task is done
 *     (gf_sched_run), so code that creates threads and joins them from
 *     the property works, with the property's own steps not interleaved;
 *   - pthread_cond_timedwait and rwlocks are not wrapped: use
 *     gf_cond_timedwait, or a mutex.
 */
#ifndef GADFLY_SCHED_PTHREAD_H
#define GADFLY_SCHED_PTHREAD_H

#include <errno.h>
#include <pthread.h>
#include <stdint.h>

#include <gadfly/sched.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GF_SCHED_PTHREAD_LDFLAGS                                             \
    "-Wl,--wrap=pthread_mutex_lock -Wl,--wrap=pthread_mutex_trylock "        \
    "-Wl,--wrap=pthread_mutex_unlock -Wl,--wrap=pthread_cond_wait "          \
    "-Wl,--wrap=pthread_cond_signal -Wl,--wrap=pthread_cond_broadcast "      \
    "-Wl,--wrap=pthread_create -Wl,--wrap=pthread_join"

int __real_pthread_mutex_lock(pthread_mutex_t *m);
int __real_pthread_mutex_trylock(pthread_mutex_t *m);
int __real_pthread_mutex_unlock(pthread_mutex_t *m);
int __real_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int __real_pthread_cond_signal(pthread_cond_t *c);
int __real_pthread_cond_broadcast(pthread_cond_t *c);
int __real_pthread_create(pthread_t *t, const pthread_attr_t *attr,
                          void *(*fn)(void *), void *arg);
int __real_pthread_join(pthread_t t, void **ret);

int __wrap_pthread_mutex_lock(pthread_mutex_t *m);
int __wrap_pthread_mutex_trylock(pthread_mutex_t *m);
int __wrap_pthread_mutex_unlock(pthread_mutex_t *m);
int __wrap_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int __wrap_pthread_cond_signal(pthread_cond_t *c);
int __wrap_pthread_cond_broadcast(pthread_cond_t *c);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr,
                          void *(*fn)(void *), void *arg);
int __wrap_pthread_join(pthread_t t, void **ret);

/* The objects are identities only: their addresses name the scheduler's
 * mutexes and condition variables. */
#define GF_SCHED_PTHREAD_MUTEX_(m) ((gf_mutex *)(void *)(m))
#define GF_SCHED_PTHREAD_COND_(c) ((gf_cond *)(void *)(c))

int __wrap_pthread_mutex_lock(pthread_mutex_t *m)
{
    if (!gf_sched_active())
        return __real_pthread_mutex_lock(m);
    gf_sched_caller(__builtin_return_address(0));
    gf_mutex_lock_at(GF_SCHED_PTHREAD_MUTEX_(m), "pthread_mutex_t", NULL, 0);
    return 0;
}

int __wrap_pthread_mutex_trylock(pthread_mutex_t *m)
{
    if (!gf_sched_active())
        return __real_pthread_mutex_trylock(m);
    gf_sched_caller(__builtin_return_address(0));
    return gf_mutex_trylock_at(GF_SCHED_PTHREAD_MUTEX_(m), "pthread_mutex_t",
                               NULL, 0)
               ? 0
               : EBUSY;
}

int __wrap_pthread_mutex_unlock(pthread_mutex_t *m)
{
    if (!gf_sched_active())
        return __real_pthread_mutex_unlock(m);
    gf_sched_caller(__builtin_return_address(0));
    gf_mutex_unlock_at(GF_SCHED_PTHREAD_MUTEX_(m), "pthread_mutex_t", NULL,
                       0);
    return 0;
}

int __wrap_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    if (!gf_sched_active())
        return __real_pthread_cond_wait(c, m);
    gf_sched_caller(__builtin_return_address(0));
    gf_cond_wait_at(GF_SCHED_PTHREAD_COND_(c), GF_SCHED_PTHREAD_MUTEX_(m),
                    "pthread_cond_t", NULL, 0);
    return 0;
}

int __wrap_pthread_cond_signal(pthread_cond_t *c)
{
    if (!gf_sched_active())
        return __real_pthread_cond_signal(c);
    gf_sched_caller(__builtin_return_address(0));
    gf_cond_signal_at(GF_SCHED_PTHREAD_COND_(c), "pthread_cond_t", NULL, 0);
    return 0;
}

int __wrap_pthread_cond_broadcast(pthread_cond_t *c)
{
    if (!gf_sched_active())
        return __real_pthread_cond_broadcast(c);
    gf_sched_caller(__builtin_return_address(0));
    gf_cond_broadcast_at(GF_SCHED_PTHREAD_COND_(c), "pthread_cond_t", NULL,
                         0);
    return 0;
}

/* A thread started under the scheduler: its task and what it returned. */
typedef struct gf_sched_pthread_ {
    void *(*fn)(void *);
    void *arg;
    void *result;
    gf_task *task;
} gf_sched_pthread_;

static void gf_sched_pthread_start_(void *p)
{
    gf_sched_pthread_ *th = (gf_sched_pthread_ *)p;
    th->result = th->fn(th->arg);
}

int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr,
                          void *(*fn)(void *), void *arg)
{
    gf_sched *s = gf_sched_active();
    if (!s)
        return __real_pthread_create(t, attr, fn, arg);
    gf_sched_pthread_ *th =
        (gf_sched_pthread_ *)gf_alloc(gf_current(), sizeof *th);
    th->fn = fn;
    th->arg = arg;
    th->result = NULL;
    th->task = gf_spawn_named(s, "pthread", gf_sched_pthread_start_, th);
    *t = (pthread_t)(uintptr_t)th;
    return 0;
}

int __wrap_pthread_join(pthread_t t, void **ret)
{
    gf_sched *s = gf_sched_active();
    if (!s)
        return __real_pthread_join(t, ret);
    gf_sched_pthread_ *th = (gf_sched_pthread_ *)(uintptr_t)t;
    if (gf_task_self()) {
        gf_sched_caller(__builtin_return_address(0));
        gf_task_join_at(th->task, NULL, 0);
    }
    else if (!gf_task_done(th->task))
        gf_sched_run(s);
    if (ret)
        *ret = th->result;
    return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* GADFLY_SCHED_PTHREAD_H */
