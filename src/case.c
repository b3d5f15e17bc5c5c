/*
 * case.c - the test case: its recorded buffer, spans, arena, and running a
 * property on it with assertions, assumptions and crashes caught.
 *
 * Crashes are caught in-process with an alternate signal stack; the case
 * keeps what it had recorded up to the crash, so a crash shrinks like any
 * other failure.  Nothing here allocates per case once warmed up.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "run.h"
#include "watchdog.h"

/* ---- buffers ------------------------------------------------------------ */

void buffer_init(buffer *b)
{
    memset(b, 0, sizeof *b);
}

void buffer_free(buffer *b)
{
    free(b->ch);
    free(b->bytes);
    buffer_init(b);
}

void buffer_clear(buffer *b)
{
    b->n = 0;
    b->nbytes = 0;
}

void buffer_grow(buffer *b)
{
    b->cap = b->cap ? 2 * b->cap : 64;
    b->ch = xrealloc(b->ch, b->cap * sizeof *b->ch);
}

uint32_t buffer_push_bytes(buffer *b, const uint8_t *data, size_t len)
{
    if (len > UINT32_MAX - b->nbytes)
        gf_oom();
    if (b->nbytes + len > b->bcap) {
        size_t cap = b->bcap ? b->bcap : 256;
        while (cap < b->nbytes + len)
            cap *= 2;
        b->bytes = xrealloc(b->bytes, cap);
        b->bcap = cap;
    }
    uint32_t off = (uint32_t)b->nbytes;
    if (len)
        memcpy(b->bytes + off, data, len);
    b->nbytes += len;
    return off;
}

const uint8_t *buffer_bytes(const buffer *b, const choice *c)
{
    static const uint8_t none[1];
    return c->len ? b->bytes + c->value : none;
}

void buffer_copy(buffer *dst, const buffer *src)
{
    buffer_clear(dst);
    for (size_t i = 0; i < src->n; i++)
        *buffer_push(dst) = src->ch[i];
    buffer_push_bytes(dst, src->bytes, src->nbytes);
}

/* ---- the case ----------------------------------------------------------- */

/* initial-exec: a plain %fs load per use, not a __tls_get_addr call. */
static _Thread_local gf_case *current_case
    __attribute__((tls_model("initial-exec")));

gf_case *gf_current(void)
{
    return current_case;
}

void case_init(gf_case *tc)
{
    memset(tc, 0, sizeof *tc);
    buffer_init(&tc->rec);
    arena_init(&tc->mem);
    tc->open_span = UINT32_MAX;
    tc->max_choices = 8192;
    case_set_bias_level(tc, 0);
}

void case_set_bias_level(gf_case *tc, unsigned level)
{
    tc->edge_cut = 16384u >> level;
    tc->small_cut = tc->edge_cut + (24576u >> level);
}

static void clear_report(gf_case *tc)
{
    for (size_t i = 0; i < tc->nnotes; i++)
        free(tc->notes[i]);
    tc->nnotes = 0;
    tc->ndrawn = 0;
    free(tc->origin);
    free(tc->message);
    tc->origin = tc->message = NULL;
}

void case_free(gf_case *tc)
{
    clear_report(tc);
    free(tc->notes);
    free(tc->drawn);
    free(tc->spans);
    bv_free(&tc->key);
    sched_free_stacks(tc);
    buffer_free(&tc->rec);
    arena_free(&tc->mem);
    memset(tc, 0, sizeof *tc);
}

void case_reset(gf_case *tc, const buffer *prefix, tail_mode tail,
                double size_hint)
{
    tc->prefix = prefix;
    tc->pos = 0;
    tc->tail = tail;
    tc->size_hint = size_hint;
    tc->small_bits = 6 + (unsigned)(size_hint * 58.0);
    buffer_clear(&tc->rec);
    tc->nspans = 0;
    tc->open_span = UINT32_MAX;
    tc->gen_depth = 0;
    tc->structure = true;
    tc->key.n = 0;
    tc->nchoices = 0;
    tc->misaligned = false;
    tc->status = CASE_OK;
    tc->filter_gave_up = NULL;
    tc->sched = NULL;
    if (tc->nnotes || tc->ndrawn || tc->origin || tc->message)
        clear_report(tc);
    if (tc->mem.head)
        arena_reset(&tc->mem);
}

void case_set_failure(gf_case *tc, char *origin, char *message)
{
    free(tc->origin);
    free(tc->message);
    tc->origin = origin;
    tc->message = message;
    tc->status = CASE_FAILED;
}

void case_escape(gf_case *tc)
{
    if (tc->escape)
        longjmp(*tc->escape, 1);
    /* A draw or assertion outside gf_run: nothing to return to. */
    fprintf(stderr, "gadfly: %s%s%s\n", tc->origin ? tc->origin : "",
            tc->origin ? ": " : "",
            tc->message ? tc->message : "case ended outside a property run");
    abort();
}

/* Close spans a property left open when it ended or escaped. */
static void close_open_spans(gf_case *tc)
{
    while (tc->open_span != UINT32_MAX)
        gf_span_end(tc, false);
}

/* ---- crashes -------------------------------------------------------------- */

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
                                    SIGALRM /* the watchdog's timeouts */};
#define NCRASH (sizeof crash_signals / sizeof crash_signals[0])

static volatile sig_atomic_t crash_signal;

static void on_crash(int sig)
{
    gf_case *tc = current_case;
    if (!tc || !tc->escape) {
        if (sig == SIGALRM)
            return; /* a timeout that arrived just after its case ended */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    crash_signal = sig;
    longjmp(*tc->escape, sig == SIGALRM ? 3 : 2);
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
    default: return "signal";
    }
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
    size_t size = 1u << 16;
    g->stack = xmalloc(size);
    stack_t st = {.ss_sp = g->stack, .ss_size = size, .ss_flags = 0};
    sigaltstack(&st, &g->old_stack);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_ONSTACK | SA_NODEFER;
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
        case_set_failure(tc, xstrdup("timeout"),
                         xasprintf("the case ran longer than the timeout "
                                   "(%g s)", tc->timeout));
    } else if (how == 2) {
        /* Unblock nothing: SA_NODEFER left the signal unmasked. */
        case_set_failure(tc, xasprintf("crash (%s)", signal_name(crash_signal)),
                         xasprintf("the property crashed with %s",
                                   signal_name(crash_signal)));
        if (tc->run)
            run_note_crash(tc->run);
    }
    /* The case's scheduler ends with the property: pthread calls that a
     * program routes to it (gadfly/sched_pthread.h) are real again. */
    tc->sched = NULL;
    if (tc->watch)
        watchdog_leave(tc->watch);
    close_open_spans(tc);
    tc->escape = NULL;
    current_case = outer;
}

/* Under AddressSanitizer (or another sanitizer runtime) a detected error
 * ends the process from inside the property, with no chance to report.
 * The runtime's death callback prints the running case's replay line. */
extern void __sanitizer_set_death_callback(void (*callback)(void))
    __attribute__((weak));

static void on_sanitizer_death(void)
{
    gf_case *tc = current_case;
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
