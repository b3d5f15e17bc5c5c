/*
 * execute.c - running a property on a case, with assertions, assumptions,
 * crashes, timeouts and exit() caught.
 *
 * Crashes are caught in-process with an alternate signal stack; the case
 * keeps what it had recorded up to the crash, so a crash shrinks like any
 * other failure.  In a worker or a case's own child (process/isolate.c)
 * the process may be broken after a crash, and the case is handed to the
 * parent instead.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/internal.h"
#include "describe.h"
#include "role.h"
#include "run.h"
#include "watchdog.h"

/* On a thread that runs part of a case for it (a branch of a parallel
 * program), the case.  A crash there cannot be recovered from, but can
 * still be reported as the case's before the process dies. */
static _Thread_local gf_case *helped_case;

void case_thread_helps(gf_case *tc)
{
    helped_case = tc;
}

/* A crash nothing can recover from: print the replay line of the case
 * this thread helps, if it helps one, and let the signal end the process. */
static void die_of(int sig)
{
    gf_case *tc = helped_case;
    if (tc && tc->run)
        run_note_crash(tc->run);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* ---- crashes -------------------------------------------------------------- */

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
                                    SIGALRM /* the watchdog's timeouts */};
#define NCRASH (sizeof crash_signals / sizeof crash_signals[0])

static volatile sig_atomic_t crash_signal;
static volatile sig_atomic_t crash_overflow;

/* A case run in this process (--no-fork, gf_run in a test's process): the
 * thread running it.  A crash on another thread of the property (one it
 * started) cannot jump back into the case from there; that thread hands
 * the signal to the case's thread, which fails the case as for a crash of
 * its own, and waits for ever (the process goes on without it). */
static pthread_t case_thread;
static volatile sig_atomic_t case_thread_known;
static volatile sig_atomic_t crash_elsewhere; /* this case's was handed over */
static atomic_flag handing_over = ATOMIC_FLAG_INIT;

static void hand_over_and_wait(int sig)
{
    /* Only the first crash of a case is handed over: a second arriving
     * after the case ended would end the process. */
    if (!atomic_flag_test_and_set(&handing_over)) {
        crash_elsewhere = 1;
        pthread_kill(case_thread, sig);
    }
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, NULL);
    for (;;)
        sigsuspend(&all);
}

/* The stack of the thread that runs properties, to tell a stack overflow
 * (a fault just below it) from another SIGSEGV. */
static _Thread_local uintptr_t stack_lo, stack_hi;

static void find_stack(void)
{
    pthread_attr_t attr;
    void *addr;
    size_t size;
    stack_lo = stack_hi = 0;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
        stack_lo = (uintptr_t)addr;
        stack_hi = stack_lo + size;
    }
    pthread_attr_destroy(&attr);
}

size_t case_stack_size(void)
{
    if (!stack_hi)
        find_stack();
    return stack_hi > stack_lo ? (size_t)(stack_hi - stack_lo) : 0;
}

/* A thread about to run cases: its stack, and an alternate signal stack
 * for the crash handlers (a stack overflow needs one).  The old one is
 * kept in *old, for case_thread_end. */
void case_thread_begin(void *altstack, size_t size, stack_t *old)
{
    stack_t st = {.ss_sp = altstack, .ss_size = size, .ss_flags = 0};
    sigaltstack(&st, old);
    find_stack();
}

void case_thread_end(const stack_t *old)
{
    sigaltstack(old, NULL);
}

static bool is_stack_overflow(int sig, const siginfo_t *info)
{
    if (sig != SIGSEGV || !info || !stack_lo)
        return false;
    uintptr_t a = (uintptr_t)info->si_addr;
    /* The guard page and the frame that jumped past it. */
    return a < stack_lo + 4096 && a + ((uintptr_t)1 << 20) >= stack_lo;
}

static void timeout_message(const gf_case *tc, char *out, size_t cap)
{
    snprintf(out, cap, "the case ran longer than the timeout (%g s)",
             tc->timeout);
}

static void on_crash(int sig, siginfo_t *info, void *uctx)
{
    (void)uctx;
    gf_case *tc = current_case;
    if (!tc || !tc->escape) {
        if (sig == SIGALRM)
            return; /* a timeout that arrived just after its case ended */
        if (!tc && !helped_case && case_thread_known &&
            !pthread_equal(pthread_self(), case_thread))
            hand_over_and_wait(sig); /* does not return */
        die_of(sig);
        return;
    }
    /* A crash handed over from another thread has no fault address here. */
    bool overflow = !crash_elsewhere && is_stack_overflow(sig, info);
    if (role_for_parent()) {
        /* The process may be broken: a fresh one takes the case over. */
        char origin[64], message[160];
        if (sig == SIGALRM) {
            memcpy(origin, "timeout", 8);
            timeout_message(tc, message, sizeof message);
        } else if (overflow) {
            memcpy(origin, "stack overflow", 15);
            memcpy(message, "the property overflowed its stack (SIGSEGV)",
                   44);
        } else {
            describe_signal(sig, origin, sizeof origin, message,
                                sizeof message);
        }
        process_up.case_died(tc, origin, message);
    }
    crash_signal = sig;
    crash_overflow = overflow;
    longjmp(*tc->escape, sig == SIGALRM ? 3 : 2);
}

/* Crash handlers for the duration of a run; restored by crash_guard_off. */
struct crash_guard {
    struct sigaction old[NCRASH];
    stack_t old_stack;
    void *stack;
    bool on;
    bool alarm;  /* SIGALRM is taken too, for timeouts */
};

static void crash_guard_on(crash_guard *g)
{
    find_stack();
    size_t size = 1u << 16;
    g->stack = xmalloc(size);
    stack_t st = {.ss_sp = g->stack, .ss_size = size, .ss_flags = 0};
    sigaltstack(&st, &g->old_stack);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_crash;
    sa.sa_flags = SA_ONSTACK | SA_NODEFER | SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NCRASH; i++)
        if (crash_signals[i] != SIGALRM || g->alarm)
            sigaction(crash_signals[i], &sa, &g->old[i]);
    g->on = true;
}

static void crash_guard_off(crash_guard *g)
{
    if (!g->on)
        return;
    for (size_t i = 0; i < NCRASH; i++)
        if (crash_signals[i] != SIGALRM || g->alarm)
            sigaction(crash_signals[i], &g->old[i], NULL);
    sigaltstack(&g->old_stack, NULL);
    free(g->stack);
    g->on = false;
}

/* ---- running -------------------------------------------------------------- */

/*
 * A property that calls exit() would end the run.  glibc runs the on_exit
 * handlers before anything else is torn down; ours, if a case is running,
 * jumps back into it and the call becomes a failure with the origin
 * "exit(N)".  A handler runs once, so it is registered again after each
 * catch.  (_exit() and quick_exit() are not caught.)
 */
static int exit_status;
static bool exit_hook_armed;

static void on_exit_called(int status, void *arg)
{
    (void)arg;
    gf_case *tc = current_case;
    exit_hook_armed = false;
    if (!tc || !tc->escape)
        return; /* a real exit: let it happen */
    exit_status = status;
    if (role_for_parent()) {
        char origin[32], message[64];
        snprintf(origin, sizeof origin, "exit(%d)", status);
        snprintf(message, sizeof message, "the property called exit(%d)",
                 status);
        process_up.case_died(tc, origin, message);
    }
    longjmp(*tc->escape, 4);
}

static void arm_exit_hook(void)
{
    if (!exit_hook_armed && on_exit(on_exit_called, NULL) == 0)
        exit_hook_armed = true;
}

void case_execute(gf_case *tc, gf_property_fn fn)
{
    jmp_buf jb;
    gf_case *outer = current_case;
    /* In this process, not a worker's: crashes of the property's threads
     * come here (hand_over_and_wait). */
    volatile bool in_process = !role_for_parent() && !outer;
    if (in_process) {
        crash_elsewhere = 0;
        atomic_flag_clear(&handing_over);
        case_thread = pthread_self();
        case_thread_known = 1;
        if (run_watched)
            run_watched->in_case = 1;
    }
    tc->escape = &jb;
    current_case = tc;
    if (tc->watch)
        watchdog_enter(tc->watch);
    int how = setjmp(jb);
    if (how == 0) {
        fn(tc);
    } else if (how == 4) {
        case_set_failure(tc, xasprintf("exit(%d)", exit_status),
                         xasprintf("the property called exit(%d)",
                                   exit_status));
        arm_exit_hook();
    } else if (how == 3) {
        char message[160];
        timeout_message(tc, message, sizeof message);
        case_set_failure(tc, xstrdup("timeout"), xstrdup(message));
    } else if (how == 2 && crash_overflow) {
        case_set_failure(tc, xstrdup("stack overflow"),
                         xstrdup("the property overflowed its stack "
                                 "(SIGSEGV)"));
        if (tc->run)
            run_note_crash(tc->run);
    } else if (how == 2) {
        /* Unblock nothing: SA_NODEFER left the signal unmasked. */
        char origin[64], message[160];
        describe_signal(crash_signal, origin, sizeof origin, message,
                            sizeof message);
        case_set_failure(tc, xstrdup(origin),
                         crash_elsewhere
                             ? xasprintf("%s, on another thread of the "
                                         "property", message)
                             : xstrdup(message));
        if (tc->run)
            run_note_crash(tc->run);
    }
    /* The case's scheduler ends with the property: pthread calls that a
     * program routes to it (gadfly/sched_pthread.h) are real again. */
    tc->sched = NULL;
    tc->faults = NULL;
    tc->main_held = NULL;
    tc->nmain_held = tc->main_held_cap = 0;
    if (tc->watch)
        watchdog_leave(tc->watch);
    case_close_open_spans(tc);
    tc->escape = NULL;
    current_case = outer;
    if (in_process) {
        case_thread_known = 0;
        if (run_watched)
            run_watched->in_case = 0;
    }
}

/* Under AddressSanitizer (or another sanitizer runtime) a detected error
 * ends the process from inside the property, with no chance to report.
 * The runtime's death callback prints the running case's replay line. */
extern void __sanitizer_set_death_callback(void (*callback)(void))
    __attribute__((weak));

static void on_sanitizer_death(void)
{
    gf_case *tc = current_case;
    if (tc && tc->escape && role_for_parent())
        process_up.case_died(tc, "sanitizer", "a sanitizer reported an error (its "
                      "report is above)");
    if (!tc)
        tc = helped_case;
    if (tc && tc->run)
        run_note_crash(tc->run);
}

crash_guard *crash_guard_start(bool timeouts)
{
    crash_guard *g = xmalloc(sizeof *g);
    memset(g, 0, sizeof *g);
    g->alarm = timeouts;
    crash_guard_on(g);
    arm_exit_hook();
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(on_sanitizer_death);
    return g;
}

void crash_guard_stop(crash_guard *g)
{
    if (!g)
        return;
    crash_guard_off(g);
    free(g);
}
