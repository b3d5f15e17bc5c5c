/*
 * sched.c - the controlled scheduler: tasks as coroutines on the case's
 * thread, switched only at schedule points, with every switch a choice of
 * the case.
 *
 * The scheduler loop runs on the property's stack (the "main context");
 * each task runs on its own mmap'd stack and returns to the loop at every
 * schedule point, leaving behind the operation it is about to perform.
 * The loop picks which task performs its operation next.  Nothing here may
 * run a task's code on the main stack, or leave a task's stack without
 * going through switch_to_main: both would break the escape paths below
 * and the sanitizer's view of the stacks.
 *
 * Escapes.  The engine leaves a failing case by longjmp to tc->escape.
 * While a task runs, tc->escape points into that task's own stack, so a
 * failure there unwinds only the task; the loop then abandons the other
 * tasks (each is resumed once to unwind itself), releases the stacks and
 * passes the escape on to the property's jmp_buf with the same code.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <link.h>
#include <stdio.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <gadfly/sched.h>

#include "core/hooks.h"
#include "core/internal.h"
#include "process/spawn.h"

#if defined(__SANITIZE_ADDRESS__)
#define SCHED_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SCHED_ASAN 1
#endif
#endif

#ifdef SCHED_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define SCHED_VALGRIND 1
#endif
#endif

#define DEFAULT_MAX_STEPS 2000
#define DEFAULT_STACK (256u * 1024u)
#define MAX_STACK ((size_t)1 << 30)   /* 1 GiB */
#define DEFAULT_PCT_DEPTH 2
#define MAX_PCT_DEPTH 16
#define PCT_PRIORITIES 1023
/* Generation places PCT change points within the most steps seen so far,
 * or this many before any run has been seen. */
#define PCT_FIRST_GUESS 32
/* Random walk: run lengths are generated uniform up to RUN_SPREAD >> k,
 * k uniform in 0..RUN_SHIFT, so short runs are common, long ones happen. */
#define RUN_SPREAD 64
#define RUN_SHIFT 6
#define STACKS_KEPT 64
#define TRACE_SHOWN 200
/* A longjmp code the engine never uses: unwind an abandoned task. */
#define CANCEL 100

/* ---- types ------------------------------------------------------------- */

typedef enum op_kind {
    OP_START,     /* not started yet */
    OP_YIELD,
    OP_LOCK,
    OP_TRYLOCK,
    OP_UNLOCK,
    OP_WAIT,      /* cond wait: release the mutex and wait */
    OP_RELOCK,    /* cond wait: signalled (or timed out), take it again */
    OP_SIGNAL,
    OP_BROADCAST,
    OP_LOAD,
    OP_STORE,
    OP_FETCH_ADD,
    OP_EXCHANGE,
    OP_CAS,
    OP_NOW,
    OP_SLEEP,
    OP_JOIN,
} op_kind;

static const char *const op_names[] = {
    [OP_START] = "start",          [OP_YIELD] = "gf_yield",
    [OP_LOCK] = "gf_mutex_lock",   [OP_TRYLOCK] = "gf_mutex_trylock",
    [OP_UNLOCK] = "gf_mutex_unlock", [OP_WAIT] = "gf_cond_wait",
    [OP_RELOCK] = "gf_cond_wait", [OP_SIGNAL] = "gf_cond_signal",
    [OP_BROADCAST] = "gf_cond_broadcast", [OP_LOAD] = "gf_atomic_load",
    [OP_STORE] = "gf_atomic_store", [OP_FETCH_ADD] = "gf_atomic_fetch_add",
    [OP_EXCHANGE] = "gf_atomic_exchange", [OP_CAS] = "gf_atomic_cas",
    [OP_NOW] = "gf_now",           [OP_SLEEP] = "gf_sleep",
    [OP_JOIN] = "gf_task_join",
};

typedef enum task_state {
    T_NEW,      /* spawned, not started */
    T_READY,    /* at a schedule point; runs when its op is enabled */
    T_WAITING,  /* in a cond wait, not yet signalled */
    T_SLEEPING, /* in gf_sleep until wake_at */
    T_DONE,
} task_state;

/* Where a task stands: the operation it will perform when it next runs. */
typedef struct site {
    op_kind op;
    const void *obj;    /* the mutex, cond, atomic, task joined */
    const void *obj2;   /* cond wait: the mutex */
    const char *what;   /* source text of the object */
    const char *file;
    int line;
    const void *pc;     /* no file: the caller's code address, or NULL */
    bool timed;         /* cond wait: gf_cond_timedwait */
} site;

struct sched_stack {
    sched_stack *next;
    void *map;          /* guard page + stack */
    size_t map_size;
    unsigned vg_id;
};

struct gf_task {
    gf_sched *s;
    int id;
    const char *label;
    gf_task_fn fn;
    void *arg;
    task_state state;
    site at;
    uint64_t wake_at;     /* SLEEPING, or a timed WAITING */
    bool timed;           /* a timed cond wait */
    bool timed_out;
    uint64_t wait_seq;    /* WAITING: order of arrival */
    int64_t prio;         /* PCT */
    /* Spinning: the tasks that must take a step before this one is
     * picked again (bits by task id). */
    uint64_t wait_for;
    const void *last_load;
    int64_t last_value;
    bool last_was_load;
    bool cancel;
    sched_stack *stack;
    ucontext_t ctx;
    jmp_buf escape;
#ifdef SCHED_ASAN
    void *fake_stack;
#endif
};

/* What the scheduler knows of one object a schedule point named. */
typedef struct object_state {
    const void *addr;
    int owner;            /* a mutex's holder: task id, OWNER_NONE/MAIN */
    int first_task;       /* the first task that used it, or -1 */
    bool shared;          /* used by more than one task */
} object_state;
#define OWNER_NONE (-1)
#define OWNER_MAIN (-2)

typedef struct trace_step {
    int task;
    site at;
    bool preempted;       /* the previous task could have gone on */
    uint64_t clock;
} trace_step;

struct gf_sched {
    gf_case *tc;
    gf_sched_options opt;
    gf_task *tasks[GF_SCHED_MAX_TASKS];
    int ntasks;
    gf_task *current;     /* the task running, or that ran last */
    bool in_task;         /* a task's code is running */
    bool running;         /* inside gf_sched_run */
    int escaped;          /* a failure's longjmp code, to pass on */
    char *where;          /* malloc'd: where the tasks stood at the end */
    const void *caller;   /* gf_sched_caller's pc, for the next site */
    /* Code addresses already read back to source lines, for reports. */
    const void **pcs;
    const char **pc_text;
    size_t npcs;
    jmp_buf main_escape;
    jmp_buf *outer;

    object_state *objects;
    size_t nobjects, objects_cap;

    uint64_t clock;
    uint64_t steps;
    uint64_t preemptions;
    uint64_t wait_seq;

    /* PCT */
    uint64_t change_at[MAX_PCT_DEPTH];
    unsigned nchanges;
    unsigned changes_done;
    uint64_t counted;     /* steps counted toward change points */
    /* Random walk: steps the current task may still take before it is
     * preempted, or no limit. */
    uint64_t run_left;
    bool run_unlimited;
    bool run_open;        /* a segment has been drawn */
    bool count_all;       /* count every step, not only conflicting ones */

    trace_step *trace;
    size_t ntrace, trace_cap;
    uint64_t span_label;

    ucontext_t main_ctx;
#ifdef SCHED_ASAN
    void *main_fake_stack;
    const void *main_bottom;
    size_t main_size;
#endif
};

/* ---- small helpers ------------------------------------------------------ */

static gf_sched *active_sched(void)
{
    gf_case *tc = gf_current();
    return tc ? tc->sched : NULL;
}

static gf_task *running_task(gf_sched *s)
{
    return s && s->in_task ? s->current : NULL;
}

static GF_NORETURN void sched_misuse(gf_case *tc, char *message)
{
    case_set_failure(tc, xstrdup("misuse"), message);
    case_escape(tc);
}

static GF_NORETURN void fail_here(gf_case *tc, const char *file, int line,
                                  char *message)
{
    case_set_failure(tc, file ? xasprintf("%s:%d", file, line)
                              : xstrdup("a wrapped call"),
                     message);
    case_escape(tc);
}

static const char *task_name(gf_case *tc, const gf_task *t)
{
    return gf_sprintf(tc, "%s#%d", t->label, t->id);
}

static const char *owner_name(gf_sched *s, int owner)
{
    if (owner == OWNER_MAIN)
        return "the property";
    if (owner < 0 || owner >= s->ntasks)
        return "nobody";
    gf_task *t = s->tasks[owner];
    return gf_sprintf(s->tc, "%s%s", task_name(s->tc, t),
                      t->state == T_DONE ? ", which has returned" : "");
}

/* ---- stacks ------------------------------------------------------------- */

static size_t page_size(void)
{
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : 4096;
}

static sched_stack *stack_get(gf_case *tc, size_t size)
{
    size_t page = page_size();
    /* gf_sched_new holds size to MAX_STACK, so neither sum can wrap. */
    size = (size + page - 1) / page * page;
    for (sched_stack **pp = &tc->stacks; *pp; pp = &(*pp)->next) {
        if ((*pp)->map_size == size + page) {
            sched_stack *st = *pp;
            *pp = st->next;
            st->next = NULL;
            return st;
        }
    }
    void *map = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (map == MAP_FAILED)
        sched_misuse(tc, xasprintf("gf_sched_run: cannot map a task stack "
                                   "of %zu bytes (stack_size): %s", size,
                                   strerror(errno)));
    /* The guard page: a task that overflows its stack crashes there,
     * which the engine reports as a crash of the case. */
    if (mprotect(map, page, PROT_NONE) != 0) {
        int err = errno;
        munmap(map, size + page);
        sched_misuse(tc, xasprintf("gf_sched_run: cannot protect the guard "
                                   "page of a task stack: %s",
                                   strerror(err)));
    }
    sched_stack *st = xmalloc(sizeof *st);
    st->next = NULL;
    st->map = map;
    st->map_size = size + page;
    st->vg_id = 0;
#ifdef SCHED_VALGRIND
    st->vg_id = VALGRIND_STACK_REGISTER((char *)map + page,
                                        (char *)map + size + page);
#endif
    return st;
}

static void stack_unmap(sched_stack *st)
{
#ifdef SCHED_VALGRIND
    VALGRIND_STACK_DEREGISTER(st->vg_id);
#endif
    munmap(st->map, st->map_size);
    free(st);
}

static void stack_put(gf_case *tc, sched_stack *st)
{
#ifdef SCHED_ASAN
    /* Frames abandoned on this stack leave poisoned redzones behind. */
    size_t page = page_size();
    ASAN_UNPOISON_MEMORY_REGION((char *)st->map + page, st->map_size - page);
#endif
    size_t kept = 0;
    for (sched_stack *p = tc->stacks; p; p = p->next)
        kept++;
    if (kept >= STACKS_KEPT) {
        stack_unmap(st);
        return;
    }
    st->next = tc->stacks;
    tc->stacks = st;
}

static void sched_free_stacks(gf_case *tc)
{
    while (tc->stacks) {
        sched_stack *st = tc->stacks;
        tc->stacks = st->next;
        stack_unmap(st);
    }
}

/* case_free frees a case's cached stacks through the core's hooks. */
__attribute__((constructor)) static void sched_hooks(void)
{
    core_up.free_sched = sched_free_stacks;
}

/* ---- switching ------------------------------------------------------------ */

static void task_entry(unsigned hi, unsigned lo);

/* Main context: run t until its next schedule point (or its end). */
static void switch_to_task(gf_sched *s, gf_task *t)
{
    s->current = t;
    s->in_task = true;
    s->tc->escape = &t->escape;
#ifdef SCHED_ASAN
    size_t page = page_size();
    __sanitizer_start_switch_fiber(&s->main_fake_stack,
                                   (char *)t->stack->map + page,
                                   t->stack->map_size - page);
#endif
    swapcontext(&s->main_ctx, &t->ctx);
#ifdef SCHED_ASAN
    __sanitizer_finish_switch_fiber(s->main_fake_stack, NULL, NULL);
#endif
    s->in_task = false;
    s->tc->escape = &s->main_escape;
}

/* Task context: back to the loop.  `last` when the task has ended and its
 * stack will not be entered again. */
static void switch_to_main(gf_sched *s, gf_task *t, bool last)
{
#ifdef SCHED_ASAN
    __sanitizer_start_switch_fiber(last ? NULL : &t->fake_stack,
                                   s->main_bottom, s->main_size);
#else
    (void)last;
#endif
    swapcontext(&t->ctx, &s->main_ctx);
#ifdef SCHED_ASAN
    __sanitizer_finish_switch_fiber(t->fake_stack, NULL, NULL);
#endif
}

static void task_entry(unsigned hi, unsigned lo)
{
    gf_task *t = (gf_task *)(((uintptr_t)hi << 32) | (uintptr_t)lo);
    gf_sched *s = t->s;
#ifdef SCHED_ASAN
    __sanitizer_finish_switch_fiber(NULL, &s->main_bottom, &s->main_size);
#endif
    int how = setjmp(t->escape);
    if (how == 0)
        t->fn(t->arg);
    else if (how != CANCEL)
        s->escaped = how;
    t->state = T_DONE;
    switch_to_main(s, t, true);
    abort(); /* never resumed */
}

static void task_start(gf_sched *s, gf_task *t)
{
    t->stack = stack_get(s->tc, s->opt.stack_size);
    size_t page = page_size();
    getcontext(&t->ctx);
    t->ctx.uc_stack.ss_sp = (char *)t->stack->map + page;
    t->ctx.uc_stack.ss_size = t->stack->map_size - page;
    t->ctx.uc_link = NULL;
    uintptr_t p = (uintptr_t)t;
    makecontext(&t->ctx, (void (*)(void))task_entry, 2,
                (unsigned)(p >> 32), (unsigned)(p & 0xFFFFFFFFu));
    t->state = T_READY;
    switch_to_task(s, t);
}

/* Task context: stop at a schedule point until the loop picks this task. */
static void schedule_point(gf_sched *s, gf_task *t, site at)
{
    t->at = at;
    switch_to_main(s, t, false);
    if (t->cancel)
        longjmp(t->escape, CANCEL);
}

/* ---- mutex table -------------------------------------------------------- */

static object_state *object_find(gf_sched *s, const void *addr)
{
    for (size_t i = 0; i < s->nobjects; i++)
        if (s->objects[i].addr == addr)
            return &s->objects[i];
    if (s->nobjects == s->objects_cap) {
        size_t cap = s->objects_cap ? 2 * s->objects_cap : 8;
        object_state *m = gf_alloc(s->tc, cap * sizeof *m);
        if (s->nobjects)
            memcpy(m, s->objects, s->nobjects * sizeof *m);
        s->objects = m;
        s->objects_cap = cap;
    }
    object_state *m = &s->objects[s->nobjects++];
    m->addr = addr;
    m->owner = OWNER_NONE;
    m->first_task = -1;
    m->shared = false;
    return m;
}

static void touch(gf_sched *s, const void *addr, int task)
{
    if (!addr)
        return;
    object_state *o = object_find(s, addr);
    if (o->first_task < 0)
        o->first_task = task;
    else if (o->first_task != task)
        o->shared = true;
}

/* ---- which task may run ------------------------------------------------- */

static bool enabled(gf_sched *s, const gf_task *t)
{
    if (t->state != T_READY)
        return false;
    switch (t->at.op) {
    case OP_LOCK:
    case OP_RELOCK:
        return object_find(s, t->at.op == OP_RELOCK ? t->at.obj2 : t->at.obj)
                   ->owner == OWNER_NONE;
    case OP_JOIN:
        return ((const gf_task *)t->at.obj)->state == T_DONE;
    default:
        return true;
    }
}

/* A sleeper, or a timed cond wait whose timeout could fire now (it fires
 * only when the mutex is free, as the wait returns holding it). */
static bool asleep(gf_sched *s, const gf_task *t)
{
    return t->state == T_SLEEPING ||
           (t->state == T_WAITING && t->timed &&
            object_find(s, t->at.obj2)->owner == OWNER_NONE);
}

/* Tasks that can run, or could once their timer fires. */
static uint64_t live_mask(gf_sched *s)
{
    uint64_t m = 0;
    for (int i = 0; i < s->ntasks; i++)
        if (enabled(s, s->tasks[i]) || asleep(s, s->tasks[i]))
            m |= 1ull << i;
    return m;
}

/* Task context: t is spinning; prefer every other live task until each
 * has taken a step. */
static void mark_spinning(gf_sched *s, gf_task *t)
{
    t->wait_for = live_mask(s) & ~(1ull << t->id);
}

static bool is_read(op_kind op)
{
    return op == OP_LOAD || op == OP_NOW;
}

static const void *clock_object(gf_sched *s)
{
    return &s->clock;
}

/* Would the order of these two pending operations matter? */
static bool conflicts(const site *a, const site *b)
{
    if (a->op == OP_YIELD || b->op == OP_YIELD)
        return true;
    if (a->op == OP_JOIN || b->op == OP_JOIN)
        return false;
    if (is_read(a->op) && is_read(b->op))
        return false;
    return a->obj == b->obj || (a->obj2 && a->obj2 == b->obj) ||
           (b->obj2 && (b->obj2 == a->obj || b->obj2 == a->obj2));
}

typedef struct candidates {
    gf_task *t[GF_SCHED_MAX_TASKS];
    bool fire[GF_SCHED_MAX_TASKS];  /* wake a sleeper rather than run */
    int n;
} candidates;

/*
 * The tasks that may take the next step, simplest first: the current task,
 * then the others round-robin from it, then sleepers whose timer may fire
 * (the earliest due).  Spinning tasks are left out while any other task
 * may run.
 */
static void collect(gf_sched *s, candidates *c, bool skip_spinners)
{
    uint64_t live = live_mask(s);
    int start = s->current ? s->current->id : 0;
    c->n = 0;
    for (int k = 0; k < s->ntasks; k++) {
        gf_task *t = s->tasks[(start + k) % s->ntasks];
        if (skip_spinners && (t->wait_for & live))
            continue;
        if (enabled(s, t)) {
            c->fire[c->n] = false;
            c->t[c->n++] = t;
        }
    }
    /* A wake time may be UINT64_MAX (a saturated deadline): whether any
     * sleeper is due is a flag of its own. */
    bool any = false;
    uint64_t due = 0;
    for (int i = 0; i < s->ntasks; i++) {
        gf_task *t = s->tasks[i];
        if (asleep(s, t) && !(skip_spinners && (t->wait_for & live)) &&
            (!any || t->wake_at < due)) {
            due = t->wake_at;
            any = true;
        }
    }
    for (int i = 0; i < s->ntasks && any; i++) {
        gf_task *t = s->tasks[i];
        if (asleep(s, t) && t->wake_at == due &&
            !(skip_spinners && (t->wait_for & live))) {
            c->fire[c->n] = true;
            c->t[c->n++] = t;
        }
    }
}

/* ---- picking ------------------------------------------------------------- */

static int unfinished(const gf_sched *s)
{
    int n = 0;
    for (int i = 0; i < s->ntasks; i++)
        n += s->tasks[i]->state != T_DONE;
    return n;
}

/*
 * The random walk, as segments: a task runs for a drawn number of steps
 * (0: until it blocks, ends or spins) and is then preempted for another
 * task, also drawn.  Both choices shrink toward 0, so a shrunk schedule
 * has as few preemptions as the failure needs, each as early as it can
 * be, and hands over to the next task round-robin where any will do.
 */
static int pick_random(gf_sched *s, const candidates *c)
{
    bool current_ok = s->run_open && c->n > 0 && c->t[0] == s->current &&
                      !c->fire[0];
    if (current_ok && (s->run_unlimited || s->run_left > 0)) {
        if (!s->run_unlimited)
            s->run_left--;
        return 0;
    }
    gf_case *tc = s->tc;
    gf_span_begin(tc, s->span_label);
    int first = current_ok && c->n > 1; /* skip the preempted task */
    int others = c->n - first;
    int pick = first;
    if (others > 1)
        pick += (int)draw_uint_spread(tc, 0, (uint64_t)others - 1,
                                      (uint64_t)others - 1, 0);
    uint64_t run = 0;
    if (unfinished(s) > 1)
        run = draw_uint_spread(tc, 0, s->opt.max_steps, RUN_SPREAD,
                               RUN_SHIFT);
    gf_span_end(tc, false);
    s->run_open = true;
    s->run_unlimited = run == 0;
    s->run_left = run ? run - 1 : 0;
    return pick;
}

static int highest(const candidates *c)
{
    int best = 0;
    for (int i = 1; i < c->n; i++)
        if (c->t[i]->prio > c->t[best]->prio)
            best = i;
    return best;
}

/* Is an object new, or used by another task than t? */
static bool in_question(gf_sched *s, const void *addr, const gf_task *t)
{
    if (!addr)
        return false;
    object_state *o = object_find(s, addr);
    return o->first_task < 0 || o->shared || o->first_task != t->id;
}

/*
 * Could preempting t before this step matter?  Yes at a yield, at an
 * operation that conflicts with another candidate's next one, and at one
 * on an object that is new or that another task has used.  No when t
 * works again on an object only it has used so far: a long private
 * preamble adds no steps for change points to fall on.
 */
static bool step_counts(gf_sched *s, const candidates *c, int best)
{
    const gf_task *t = c->t[best];
    if (s->count_all || t->at.op == OP_YIELD || c->fire[best])
        return true;
    if (in_question(s, t->at.obj, t) || in_question(s, t->at.obj2, t))
        return true;
    for (int i = 0; i < c->n; i++)
        if (i != best && conflicts(&t->at, &c->t[i]->at))
            return true;
    return false;
}

static int pick_pct(gf_sched *s, const candidates *c)
{
    if (c->n < 2)
        return 0;
    int best = highest(c);
    bool counts = step_counts(s, c, best);
    if (!counts)
        return best;
    s->counted++;
    while (s->changes_done < s->nchanges &&
           s->change_at[s->changes_done] <= s->counted) {
        if (s->change_at[s->changes_done] == s->counted) {
            /* Below every initial priority, and below earlier changes. */
            c->t[best]->prio = -1 - (int64_t)s->changes_done;
            best = highest(c);
        }
        s->changes_done++;
    }
    return best;
}

/* ---- the trace ---------------------------------------------------------- */

static void trace_add(gf_sched *s, const gf_task *t, bool preempted)
{
    if (!s->tc->collect)
        return;
    if (s->ntrace == s->trace_cap) {
        size_t cap = s->trace_cap ? 2 * s->trace_cap : 64;
        trace_step *n = gf_alloc(s->tc, cap * sizeof *n);
        if (s->ntrace)
            memcpy(n, s->trace, s->ntrace * sizeof *n);
        s->trace = n;
        s->trace_cap = cap;
    }
    s->trace[s->ntrace++] = (trace_step){.task = t->id, .at = t->at,
                                         .preempted = preempted,
                                         .clock = s->clock};
}

static const char *base_name(const char *file)
{
    const char *slash = strrchr(file, '/');
    return slash ? slash + 1 : file;
}

/* The object (the program, or a shared library) holding code address pc,
 * and pc's offset in it: what addr2line reads. */
typedef struct code_object {
    uintptr_t pc;
    const char *path;
    uintptr_t offset;
} code_object;

static int find_object(struct dl_phdr_info *info, size_t size, void *env)
{
    (void)size;
    code_object *co = env;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && co->pc >= lo && co->pc < lo + ph->p_memsz) {
            co->path = info->dlpi_name && info->dlpi_name[0]
                           ? info->dlpi_name
                           : "/proc/self/exe";
            co->offset = co->pc - info->dlpi_addr;
            return 1;
        }
    }
    return 0;
}

/* addr2line's "file:line" for offset in path, into buf; false if it could
 * not say (no addr2line, no debug information). */
static bool addr2line(const char *path, uintptr_t offset, char *buf,
                      size_t cap)
{
    char addr[32];
    snprintf(addr, sizeof addr, "0x%" PRIxPTR, offset);
    const char *argv[] = {"addr2line", "-e", path, addr, NULL};
    if (!spawn_read(argv, buf, cap))
        return false;
    buf[strcspn(buf, " \n")] = '\0'; /* " (discriminator 2)" */
    const char *colon = strrchr(buf, ':');
    return buf[0] && buf[0] != '?' && colon && colon[1] >= '1' &&
           colon[1] <= '9';
}

/* " at file.c:42" for a site made by a wrapper at code address pc; read
 * once per address and kept on the scheduler. */
static const char *pc_where(gf_case *tc, gf_sched *s, const void *pc)
{
    /* Only a report reads lines: shrinking runs many cases. */
    if (!tc->collect)
        return gf_sprintf(tc, " at %p", pc);
    for (size_t i = 0; i < s->npcs; i++)
        if (s->pcs[i] == pc)
            return s->pc_text[i];
    /* A return address: the call is the instruction before it. */
    code_object co = {.pc = (uintptr_t)pc - 1};
    char line[1024], exe[1024];
    const char *text;
    bool found = dl_iterate_phdr(find_object, &co) != 0;
    if (found && strcmp(co.path, "/proc/self/exe") == 0) {
        /* To addr2line, /proc/self would be addr2line. */
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        exe[n > 0 ? n : 0] = '\0';
        if (n > 0)
            co.path = exe;
    }
    if (!found)
        text = gf_sprintf(tc, " at %p", pc);
    else if (addr2line(co.path, co.offset, line, sizeof line))
        text = gf_sprintf(tc, " at %s", base_name(line));
    else
        text = gf_sprintf(tc, " at %s+0x%" PRIxPTR, base_name(co.path),
                          co.offset);
    const void **pcs = gf_alloc(tc, (s->npcs + 1) * sizeof *pcs);
    const char **texts = gf_alloc(tc, (s->npcs + 1) * sizeof *texts);
    if (s->npcs) {
        memcpy(pcs, s->pcs, s->npcs * sizeof *pcs);
        memcpy(texts, s->pc_text, s->npcs * sizeof *texts);
    }
    pcs[s->npcs] = pc;
    texts[s->npcs] = text;
    s->pcs = pcs;
    s->pc_text = texts;
    s->npcs++;
    return text;
}

static const char *site_text(gf_case *tc, gf_sched *s, const site *at)
{
    if (at->op == OP_START)
        return "start";
    const char *where = at->file ? gf_sprintf(tc, " at %s:%d",
                                              base_name(at->file), at->line)
                        : at->pc ? pc_where(tc, s, at->pc)
                                 : "";
    const char *name = at->timed && (at->op == OP_WAIT ||
                                      at->op == OP_RELOCK)
                           ? "gf_cond_timedwait"
                           : op_names[at->op];
    if (at->op == OP_RELOCK)
        return gf_sprintf(tc, "%s(%s) returns%s", name,
                          at->what ? at->what : "", where);
    if (at->op == OP_SLEEP || at->op == OP_YIELD || at->op == OP_NOW ||
        !at->what)
        return gf_sprintf(tc, "%s%s", name, where);
    return gf_sprintf(tc, "%s(%s)%s", name, at->what, where);
}

static const char *strategy_name(const gf_sched *s)
{
    return s->opt.strategy == GF_SCHED_PCT ? "PCT" : "random walk";
}

static void trace_emit(gf_sched *s)
{
    gf_case *tc = s->tc;
    if (!tc->collect)
        return;
    gf_note(tc, "schedule (%s): %" PRIu64 " steps, %" PRIu64
            " preemption%s", strategy_name(s), s->steps, s->preemptions,
            s->preemptions == 1 ? "" : "s");
    size_t shown = s->ntrace < TRACE_SHOWN ? s->ntrace : TRACE_SHOWN;
    for (size_t i = 0; i < shown; i++) {
        const trace_step *st = &s->trace[i];
        const gf_task *t = s->tasks[st->task];
        gf_note(tc, "  %4zu %s%-12s %s%s", i + 1,
                st->preempted ? "-> " : "   ", task_name(tc, t),
                site_text(tc, s, &st->at),
                st->at.op == OP_SLEEP
                    ? gf_sprintf(tc, " (woke at t=%" PRIu64 " ns)", st->clock)
                    : "");
    }
    if (s->ntrace > shown)
        gf_note(tc, "  ... %zu more steps", s->ntrace - shown);
}

/* Where every unfinished task stands, one line each. */
static char *positions(gf_sched *s)
{
    gf_case *tc = s->tc;
    char *text = gf_sprintf(tc, "%s", "");
    for (int i = 0; i < s->ntasks; i++) {
        gf_task *t = s->tasks[i];
        const char *where;
        switch (t->state) {
        case T_DONE:
            continue;
        case T_NEW:
            where = "not started";
            break;
        case T_WAITING: {
            site at = t->at;
            at.op = OP_WAIT;
            where = gf_sprintf(tc, "waits for a signal in %s",
                               site_text(tc, s, &at));
            break;
        }
        case T_SLEEPING:
            where = gf_sprintf(tc, "sleeps in %s", site_text(tc, s, &t->at));
            break;
        default:
            if (t->at.op == OP_LOCK || t->at.op == OP_RELOCK) {
                const void *m = t->at.op == OP_RELOCK ? t->at.obj2 : t->at.obj;
                int owner = object_find(s, m)->owner;
                where = gf_sprintf(tc, "%s in %s, held by %s",
                                   enabled(s, t) ? "could run" : "blocked",
                                   site_text(tc, s, &t->at),
                                   owner_name(s, owner));
            } else if (t->at.op == OP_JOIN) {
                where = gf_sprintf(tc, "%s in %s, joining %s",
                                   enabled(s, t) ? "could run" : "blocked",
                                   site_text(tc, s, &t->at),
                                   task_name(tc, t->at.obj));
            } else {
                where = gf_sprintf(tc, "could run: %s", site_text(tc, s, &t->at));
            }
        }
        text = gf_sprintf(tc, "%s\n    %s %s", text, task_name(tc, t), where);
    }
    return xstrdup(text);
}

/* ---- the loop ------------------------------------------------------------ */

gf_sched *gf_sched_new(gf_case *tc, const gf_sched_options *opt)
{
    if (tc->sched && tc->sched->running)
        sched_misuse(tc, xstrdup("gf_sched_new: the case's scheduler is "
                                 "running (gf_sched_new inside a task?)"));
    gf_sched *s = gf_alloc(tc, sizeof *s);
    memset(s, 0, sizeof *s);
    s->tc = tc;
    if (opt)
        s->opt = *opt;
    if (s->opt.strategy != GF_SCHED_RANDOM && s->opt.strategy != GF_SCHED_PCT)
        sched_misuse(tc, xasprintf("gf_sched_new: unknown strategy %d",
                                   (int)s->opt.strategy));
    if (!s->opt.max_steps)
        s->opt.max_steps = DEFAULT_MAX_STEPS;
    if (s->opt.stack_size > MAX_STACK)
        sched_misuse(tc, xasprintf("gf_sched_new: stack_size %zu is more "
                                   "than 1 GiB (%zu)", s->opt.stack_size,
                                   MAX_STACK));
    if (!s->opt.stack_size)
        s->opt.stack_size = DEFAULT_STACK;
    if (s->opt.stack_size < 16384)
        s->opt.stack_size = 16384;
    if (!s->opt.pct_depth)
        s->opt.pct_depth = DEFAULT_PCT_DEPTH;
    if (s->opt.pct_depth > MAX_PCT_DEPTH)
        sched_misuse(tc, xasprintf("gf_sched_new: pct_depth %u is more than "
                                   "%d", s->opt.pct_depth, MAX_PCT_DEPTH));
    s->span_label = gf_span_label("gf_sched.step");
    /* The mutexes the property holds stay held under the new scheduler. */
    if (tc->sched)
        for (size_t i = 0; i < tc->sched->nobjects; i++)
            if (tc->sched->objects[i].owner == OWNER_MAIN)
                object_find(s, tc->sched->objects[i].addr)->owner =
                    OWNER_MAIN;
    for (size_t i = 0; i < tc->nmain_held; i++)
        object_find(s, tc->main_held[i])->owner = OWNER_MAIN;
    tc->nmain_held = 0;
    tc->sched = s;
    return s;
}

gf_task *gf_spawn_named(gf_sched *s, const char *label, gf_task_fn fn,
                        void *arg)
{
    gf_case *tc = s->tc;
    if (!fn)
        sched_misuse(tc, xstrdup("gf_spawn: NULL task function"));
    if (s->ntasks == GF_SCHED_MAX_TASKS)
        sched_misuse(tc, xasprintf("gf_spawn: more than %d tasks",
                                   GF_SCHED_MAX_TASKS));
    gf_task *t = gf_alloc(tc, sizeof *t);
    memset(t, 0, sizeof *t);
    t->s = s;
    t->id = s->ntasks;
    t->label = label ? label : "task";
    t->fn = fn;
    t->arg = arg;
    t->state = T_NEW;
    t->at.op = OP_START;
    if (s->opt.strategy == GF_SCHED_PCT) {
        tc->gen_depth++;
        gf_span_begin(tc, gf_span_label("gf_sched.priority"));
        t->prio = (int64_t)draw_uint_spread(tc, 0, PCT_PRIORITIES,
                                            PCT_PRIORITIES, 0);
        gf_span_end(tc, false);
        tc->gen_depth--;
    }
    s->tasks[s->ntasks++] = t;
    return t;
}

static void draw_change_points(gf_sched *s)
{
    gf_case *tc = s->tc;
    s->nchanges = s->opt.pct_depth - 1;
    s->changes_done = 0;
    s->counted = 0;
    if (!s->nchanges)
        return;
    /* Mostly the interesting steps; sometimes all (PCT proper). */
    s->count_all = gf_draw_weighted(tc, 0.25);
    uint64_t guess = tc->pct_steps[s->count_all];
    if (!guess)
        guess = PCT_FIRST_GUESS;
    for (unsigned i = 0; i < s->nchanges; i++) {
        gf_span_begin(tc, gf_span_label("gf_sched.change"));
        /* 0: no change; shrinking lowers it there, or to earlier steps. */
        s->change_at[i] = draw_uint_spread(tc, 0, s->opt.max_steps, guess,
                                           0);
        gf_span_end(tc, false);
    }
    /* Apply in step order. */
    for (unsigned i = 1; i < s->nchanges; i++)
        for (unsigned j = i; j > 0 && s->change_at[j] < s->change_at[j - 1];
             j--) {
            uint64_t x = s->change_at[j];
            s->change_at[j] = s->change_at[j - 1];
            s->change_at[j - 1] = x;
        }
}

static bool all_done(gf_sched *s)
{
    for (int i = 0; i < s->ntasks; i++)
        if (s->tasks[i]->state != T_DONE)
            return false;
    return true;
}

/* Run tasks spawned since the last step up to their first schedule point:
 * until then they touch nothing the scheduler sees, so when they start
 * does not matter. */
static void start_new(gf_sched *s)
{
    for (int i = 0; i < s->ntasks && !s->escaped; i++) {
        gf_task *t = s->tasks[i];
        if (t->state == T_NEW) {
            gf_task *was = s->current;
            task_start(s, t);
            s->current = was ? was : t;
        }
    }
}

static gf_sched_status loop(gf_sched *s)
{
    gf_task *prev = NULL;
    bool prev_could_go_on = false;
    for (;;) {
        start_new(s);
        if (s->escaped)
            return GF_SCHED_DONE;
        if (all_done(s))
            return GF_SCHED_DONE;
        if (s->steps >= s->opt.max_steps)
            return GF_SCHED_STEP_BOUND;
        candidates c;
        collect(s, &c, true);
        if (c.n == 0)
            collect(s, &c, false);
        if (c.n == 0)
            return GF_SCHED_DEADLOCK;
        s->tc->gen_depth++;
        int i = s->opt.strategy == GF_SCHED_PCT ? pick_pct(s, &c)
                                                : pick_random(s, &c);
        s->tc->gen_depth--;
        gf_task *t = c.t[i];
        if (c.fire[i]) {
            if (t->wake_at > s->clock)
                s->clock = t->wake_at;
            if (t->state == T_WAITING) {
                t->timed_out = true;
                t->at.op = OP_RELOCK;
            }
            t->state = T_READY;
        }
        bool preempted = prev && prev != t && prev_could_go_on;
        if (preempted)
            s->preemptions++;
        /* Every spinner waiting for t has seen it step. */
        for (int k = 0; k < s->ntasks; k++)
            s->tasks[k]->wait_for &= ~(1ull << t->id);
        s->steps++;
        touch(s, t->at.obj, t->id);
        touch(s, t->at.obj2, t->id);
        trace_add(s, t, preempted);
        switch_to_task(s, t);
        if (s->escaped)
            return GF_SCHED_DONE;
        prev = t;
        /* A spinning task stepping aside is not preempted. */
        prev_could_go_on = enabled(s, t) && !(t->wait_for & live_mask(s));
    }
}

/* Resume every unfinished task once, to unwind it (main context). */
static void abandon_all(gf_sched *s)
{
    for (int i = 0; i < s->ntasks; i++) {
        gf_task *t = s->tasks[i];
        if (t->state == T_NEW)
            t->state = T_DONE;
        if (t->state != T_DONE && t->stack) {
            t->cancel = true;
            switch_to_task(s, t);
        }
        t->state = T_DONE;
        if (t->stack) {
            stack_put(s->tc, t->stack);
            t->stack = NULL;
        }
    }
}

gf_sched_status gf_sched_run(gf_sched *s)
{
    gf_case *tc = s->tc;
    if (s->running)
        sched_misuse(tc, xstrdup("gf_sched_run: called from a task of the "
                                 "same scheduler"));
    if (tc->sched != s)
        sched_misuse(tc, xstrdup("gf_sched_run: this scheduler was replaced "
                                 "by a newer gf_sched_new"));
    if (s->opt.strategy == GF_SCHED_PCT) {
        tc->gen_depth++;
        draw_change_points(s);
        tc->gen_depth--;
    }
    s->running = true;
    s->run_open = false;
    s->escaped = 0;
    s->outer = tc->escape;
    tc->escape = &s->main_escape;
    volatile gf_sched_status status = GF_SCHED_DONE;
    int how = setjmp(s->main_escape);
    if (how == 0)
        status = loop(s);
    else
        s->escaped = how;     /* a failure in the loop itself (overrun) */
    /* Where the tasks stood, before they are unwound. */
    s->where = NULL;
    if (!s->escaped && status != GF_SCHED_DONE)
        s->where = positions(s);
    /* The loop is over: the tasks still suspended are unwound. */
    if (setjmp(s->main_escape) == 0)
        abandon_all(s);
    tc->escape = s->outer;
    s->running = false;
    tc->sched_steps = s->steps;
    uint64_t *seen = &tc->pct_steps[s->count_all];
    if (s->opt.strategy == GF_SCHED_PCT && s->counted > *seen)
        *seen = s->counted;
    trace_emit(s);
    if (s->escaped) {
        /* Pass the failure on with its code (crash, timeout, exit ...). */
        if (s->outer)
            longjmp(*s->outer, s->escaped);
        case_escape(tc);
    }
    if (status == GF_SCHED_DEADLOCK && !s->opt.return_on_deadlock) {
        case_set_failure(tc, xstrdup("deadlock"),
                         xasprintf("no task can run%s", s->where));
        free(s->where);
        case_escape(tc);
    }
    if (status == GF_SCHED_STEP_BOUND && !s->opt.return_on_step_bound) {
        case_set_failure(tc, xstrdup("step bound"),
                         xasprintf("the tasks took %" PRIu64 " steps without "
                                   "finishing (a livelock? raise max_steps "
                                   "if not)%s", s->opt.max_steps, s->where));
        free(s->where);
        case_escape(tc);
    }
    free(s->where);
    s->where = NULL;
    return status;
}

uint64_t gf_sched_steps(const gf_sched *s)
{
    return s->steps;
}

uint64_t gf_sched_preemptions(const gf_sched *s)
{
    return s->preemptions;
}

gf_sched *gf_sched_active(void)
{
    return active_sched();
}

bool gf_task_done(const gf_task *t)
{
    return t->state == T_DONE;
}

gf_task *gf_task_self(void)
{
    return running_task(active_sched());
}

int gf_task_id(const gf_task *t)
{
    return t->id;
}

/* ---- schedule points ------------------------------------------------------ */

static site mk_site(op_kind op, const void *obj, const void *obj2,
                    const char *what, const char *file, int line)
{
    site at = {.op = op, .obj = obj, .obj2 = obj2, .what = what,
               .file = file, .line = line};
    gf_sched *s = active_sched();
    if (s && !file)
        at.pc = s->caller;
    if (s)
        s->caller = NULL;
    return at;
}

void gf_sched_caller(const void *pc)
{
    gf_sched *s = active_sched();
    if (s)
        s->caller = pc;
}

void gf_yield_at(const char *file, int line)
{
    gf_sched *s = active_sched();
    gf_task *t = running_task(s);
    if (!t) {
        if (!s)
            sched_yield();
        return;
    }
    mark_spinning(s, t);
    t->last_was_load = false;
    schedule_point(s, t, mk_site(OP_YIELD, NULL, NULL, NULL, file, line));
}

void gf_task_join_at(gf_task *target, const char *file, int line)
{
    gf_sched *s = active_sched();
    gf_task *t = running_task(s);
    if (!t) {
        gf_case *tc = gf_current();
        if (!tc) {
            fputs("gadfly: gf_task_join called outside a task\n", stderr);
            abort();
        }
        sched_misuse(tc, xstrdup("gf_task_join: called outside a task "
                                 "(the property waits with gf_sched_run)"));
    }
    if (target == t)
        fail_here(s->tc, file, line,
                  xasprintf("%s joins itself", task_name(s->tc, t)));
    t->last_was_load = false;
    schedule_point(s, t, mk_site(OP_JOIN, target, NULL, NULL, file, line));
}

/* ---- the property's mutexes with no scheduler ----------------------------- */

static size_t held_index(const gf_case *tc, const void *m)
{
    for (size_t i = 0; i < tc->nmain_held; i++)
        if (tc->main_held[i] == m)
            return i;
    return SIZE_MAX;
}

/* With no scheduler the property runs alone: a mutex it already holds
 * would never be released (false from a trylock, a failure from a lock);
 * releasing one it does not hold is misuse. */
static bool bare_lock(gf_case *tc, gf_mutex *m, bool is_try, const char *what,
                      const char *file, int line)
{
    if (held_index(tc, m) != SIZE_MAX) {
        if (is_try)
            return false;
        fail_here(tc, file, line,
                  xasprintf("the property locks %s, which it already holds: "
                            "it would wait forever", what ? what : "a mutex"));
    }
    if (tc->nmain_held == tc->main_held_cap) {
        size_t cap = tc->main_held_cap ? 2 * tc->main_held_cap : 8;
        const void **n = gf_alloc(tc, cap * sizeof *n);
        if (tc->nmain_held)
            memcpy(n, tc->main_held, tc->nmain_held * sizeof *n);
        tc->main_held = n;
        tc->main_held_cap = cap;
    }
    tc->main_held[tc->nmain_held++] = m;
    return true;
}

static void bare_unlock(gf_case *tc, gf_mutex *m, const char *what,
                        const char *file, int line)
{
    size_t i = held_index(tc, m);
    if (i == SIZE_MAX)
        fail_here(tc, file, line,
                  xasprintf("the property unlocks %s, held by nobody",
                            what ? what : "a mutex"));
    tc->main_held[i] = tc->main_held[--tc->nmain_held];
}

/* Outside a task: act at once on the scheduler's state, as one thread. */
static void main_lock(gf_sched *s, gf_mutex *m, const char *what,
                      const char *file, int line)
{
    object_state *ms = object_find(s, m);
    if (ms->owner != OWNER_NONE)
        fail_here(s->tc, file, line,
                  xasprintf("the property locks %s, held by %s: it would "
                            "wait forever", what ? what : "a mutex",
                            owner_name(s, ms->owner)));
    ms->owner = OWNER_MAIN;
}

void gf_mutex_lock_at(gf_mutex *m, const char *what, const char *file,
                      int line)
{
    gf_sched *s = active_sched();
    gf_task *t = running_task(s);
    if (!t) {
        if (s)
            main_lock(s, m, what, file, line);
        else if (gf_current())
            bare_lock(gf_current(), m, false, what, file, line);
        return;
    }
    if (object_find(s, m)->owner == t->id)
        fail_here(s->tc, file, line,
                  xasprintf("%s locks %s, which it already holds: it would "
                            "deadlock", task_name(s->tc, t),
                            what ? what : "a mutex"));
    t->last_was_load = false;
    schedule_point(s, t, mk_site(OP_LOCK, m, NULL, what, file, line));
    object_find(s, m)->owner = t->id;
}

bool gf_mutex_trylock_at(gf_mutex *m, const char *what, const char *file,
                         int line)
{
    gf_sched *s = active_sched();
    gf_task *t = running_task(s);
    if (!t) {
        if (!s)
            return gf_current() ? bare_lock(gf_current(), m, true, what,
                                            file, line)
                                : true;
        object_state *ms = object_find(s, m);
        if (ms->owner != OWNER_NONE)
            return false;
        ms->owner = OWNER_MAIN;
        return true;
    }
    t->last_was_load = false;
    schedule_point(s, t, mk_site(OP_TRYLOCK, m, NULL, what, file, line));
    object_state *ms = object_find(s, m);
    if (ms->owner != OWNER_NONE) {
        mark_spinning(s, t);
        return false;
    }
    ms->owner = t->id;
    return true;
}

static void release(gf_sched *s, int who, gf_mutex *m, const char *what,
                    const char *file, int line)
{
    object_state *ms = object_find(s, m);
    if (ms->owner != who)
        fail_here(s->tc, file, line,
                  xasprintf("%s unlocks %s, held by %s",
                            who == OWNER_MAIN
                                ? "the property"
                                : task_name(s->tc, s->tasks[who]),
                            what ? what : "a mutex",
                            owner_name(s, ms->owner)));
    ms->owner = OWNER_NONE;
}

void gf_mutex_unlock_at(gf_mutex *m, const char *what, const char *file,
                        int line)
{
    gf_sched *s = active_sched();
    gf_task *t = running_task(s);
    if (!t) {
        if (s)
            release(s, OWNER_MAIN, m, what, file, line);
        else if (gf_current())
            bare_unlock(gf_current(), m, what, file, line);
        return;
    }
    t->last_was_load = false;
    schedule_point(s, t, mk_site(OP_UNLOCK, m, NULL, what, file, line));
    release(s, t->id, m, what, file, line);
}

static bool cond_wait(gf_cond *c, gf_mutex *m, bool timed, uint64_t ns,
                      const char *what, const char *file, int line)
{
    gf_sched *s = active_sched();
    gf_task *t = running_task(s);
    if (!t) {
        if (s)
            fail_here(s->tc, file, line,
                      xstrdup("the property waits on a condition variable "
                              "outside a task: nothing could signal it"));
        return true;
    }
    if (object_find(s, m)->owner != t->id)
        fail_here(s->tc, file, line,
                  xasprintf("%s waits on %s without holding its mutex",
                            task_name(s->tc, t), what ? what : "a condition"));
    t->last_was_load = false;
    site at = mk_site(OP_WAIT, c, m, what, file, line);
    at.timed = timed;
    schedule_point(s, t, at);
    release(s, t->id, m, what, file, line);
    t->state = T_WAITING;
    t->wait_seq = s->wait_seq++;
    t->timed = timed;
    t->timed_out = false;
    t->wake_at = s->clock + ns < s->clock ? UINT64_MAX : s->clock + ns;
    /* Signalled (or timed out), the task stands at the relock: enabled
     * once the mutex is free. */
    at.op = OP_RELOCK;
    schedule_point(s, t, at);
    object_find(s, m)->owner = t->id;
    t->timed = false;
    return !t->timed_out;
}

void gf_cond_wait_at(gf_cond *c, gf_mutex *m, const char *what,
                     const char *file, int line)
{
    cond_wait(c, m, false, 0, what, file, line);
}

bool gf_cond_timedwait_at(gf_cond *c, gf_mutex *m, uint64_t ns,
                          const char *what, const char *file, int line)
{
    return cond_wait(c, m, true, ns, what, file, line);
}

static void wake(gf_task *w)
{
    w->state = T_READY;
    w->at.op = OP_RELOCK;
}

static void cond_wake(gf_cond *c, bool all, const char *what,
                      const char *file, int line)
{
    gf_sched *s = active_sched();
    gf_task *t = running_task(s);
    if (!t && !s)
        return;
    if (t) {
        t->last_was_load = false;
        schedule_point(s, t, mk_site(all ? OP_BROADCAST : OP_SIGNAL, c, NULL,
                                     what, file, line));
    }
    gf_task *waiters[GF_SCHED_MAX_TASKS];
    int n = 0;
    for (int i = 0; i < s->ntasks; i++) {
        gf_task *w = s->tasks[i];
        if (w->state == T_WAITING && w->at.obj == c)
            waiters[n++] = w;
    }
    if (n == 0)
        return;
    /* Longest waiting first. */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && waiters[j]->wait_seq < waiters[j - 1]->wait_seq;
             j--) {
            gf_task *x = waiters[j];
            waiters[j] = waiters[j - 1];
            waiters[j - 1] = x;
        }
    if (all) {
        for (int i = 0; i < n; i++)
            wake(waiters[i]);
        return;
    }
    int pick = 0;
    if (n > 1) {
        gf_case *tc = s->tc;
        tc->gen_depth++;
        gf_span_begin(tc, gf_span_label("gf_sched.signal"));
        pick = (int)draw_uint_spread(tc, 0, (uint64_t)n - 1, (uint64_t)n - 1,
                                     0);
        gf_span_end(tc, false);
        tc->gen_depth--;
    }
    wake(waiters[pick]);
}

void gf_cond_signal_at(gf_cond *c, const char *what, const char *file,
                       int line)
{
    cond_wake(c, false, what, file, line);
}

void gf_cond_broadcast_at(gf_cond *c, const char *what, const char *file,
                          int line)
{
    cond_wake(c, true, what, file, line);
}

/* ---- atomics -------------------------------------------------------------- */

/* Task context: the point before an atomic operation on p. */
static gf_task *atomic_point(op_kind op, int64_t *p, const char *what,
                             const char *file, int line)
{
    gf_sched *s = active_sched();
    gf_task *t = running_task(s);
    if (!t)
        return NULL;
    if (op != OP_LOAD)
        t->last_was_load = false;
    schedule_point(s, t, mk_site(op, p, NULL, what, file, line));
    return t;
}

int64_t gf_atomic_load_at(int64_t *p, const char *what, const char *file,
                          int line)
{
    gf_task *t = atomic_point(OP_LOAD, p, what, file, line);
    if (!t)
        return __atomic_load_n(p, __ATOMIC_SEQ_CST);
    int64_t v = *p;
    /* The same value from the same place, with nothing done in between:
     * a task polling a flag, which spins. */
    if (t->last_was_load && t->last_load == p && t->last_value == v)
        mark_spinning(t->s, t);
    t->last_was_load = true;
    t->last_load = p;
    t->last_value = v;
    return v;
}

void gf_atomic_store_at(int64_t *p, int64_t v, const char *what,
                        const char *file, int line)
{
    if (!atomic_point(OP_STORE, p, what, file, line)) {
        __atomic_store_n(p, v, __ATOMIC_SEQ_CST);
        return;
    }
    *p = v;
}

int64_t gf_atomic_fetch_add_at(int64_t *p, int64_t v, const char *what,
                               const char *file, int line)
{
    if (!atomic_point(OP_FETCH_ADD, p, what, file, line))
        return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
    int64_t old = *p;
    *p = (int64_t)((uint64_t)old + (uint64_t)v);
    return old;
}

int64_t gf_atomic_exchange_at(int64_t *p, int64_t v, const char *what,
                              const char *file, int line)
{
    if (!atomic_point(OP_EXCHANGE, p, what, file, line))
        return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
    int64_t old = *p;
    *p = v;
    return old;
}

bool gf_atomic_cas_at(int64_t *p, int64_t *expected, int64_t desired,
                      const char *what, const char *file, int line)
{
    if (!atomic_point(OP_CAS, p, what, file, line))
        return __atomic_compare_exchange_n(p, expected, desired, false,
                                           __ATOMIC_SEQ_CST,
                                           __ATOMIC_SEQ_CST);
    if (*p == *expected) {
        *p = desired;
        return true;
    }
    *expected = *p;
    return false;
}

/* ---- the clock ------------------------------------------------------------ */

uint64_t gf_now_at(const char *file, int line)
{
    gf_sched *s = active_sched();
    gf_task *t = running_task(s);
    if (t) {
        t->last_was_load = false;
        schedule_point(s, t, mk_site(OP_NOW, clock_object(s), NULL, NULL,
                                     file, line));
    }
    if (s)
        return s->clock;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void gf_sleep_at(uint64_t ns, const char *file, int line)
{
    gf_sched *s = active_sched();
    gf_task *t = running_task(s);
    if (!t) {
        if (s) {
            s->clock = s->clock + ns < s->clock ? UINT64_MAX : s->clock + ns;
            return;
        }
        struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000u),
                              .tv_nsec = (long)(ns % 1000000000u)};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
        return;
    }
    t->last_was_load = false;
    t->state = T_SLEEPING;
    t->wake_at = s->clock + ns < s->clock ? UINT64_MAX : s->clock + ns;
    mark_spinning(s, t);
    schedule_point(s, t, mk_site(OP_SLEEP, clock_object(s), NULL, NULL, file,
                                 line));
}
