/*
 * test_sched.c - the controlled scheduler: replay, deadlocks, spinning,
 * shrinking of a race, PCT, the virtual clock, failures inside tasks, and
 * that nothing leaks.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gadfly/sched.h>

#include "helpers.h"

static gf_options quiet(uint64_t seed, uint64_t trials)
{
    return (gf_options){.seed = seed, .seed_set = true, .trials = trials,
                        .quiet = true};
}

static gf_status run(gf_property_fn fn, const char *name, gf_options o,
                     gf_result *r)
{
    gf_property p = {.name = name, .fn = fn, .file = __FILE__,
                     .line = __LINE__};
    memset(r, 0, sizeof *r);
    return gf_run(&p, &o, r);
}

/* ---- the inventory race ------------------------------------------------- */

typedef struct shop {
    gf_mutex lock;
    int64_t stock;
    int64_t sold;
} shop;

static void buyer(void *arg)
{
    shop *s = arg;
    gf_mutex_lock(&s->lock);
    int64_t seen = s->stock;
    gf_mutex_unlock(&s->lock);
    if (seen > 0) {
        gf_mutex_lock(&s->lock);
        s->stock = seen - 1;
        s->sold++;
        gf_mutex_unlock(&s->lock);
    }
}

static gf_sched_strategy inventory_strategy;

static void inventory(gf_case *tc)
{
    int64_t stock = *(int64_t *)gf_draw_named(tc, gf_int(0, 10), "stock");
    int64_t buyers = *(int64_t *)gf_draw_named(tc, gf_int(1, 6), "buyers");
    shop s = {.stock = stock};
    gf_sched *sched = gf_sched_new(
        tc, &(gf_sched_options){.strategy = inventory_strategy});
    for (int64_t i = 0; i < buyers; i++)
        gf_spawn(sched, buyer, &s);
    gf_sched_run(sched);
    if (s.sold > stock || s.stock != stock - s.sold)
        GF_FAIL(tc, "sold %d of %d", (int)s.sold, (int)stock);
}

Test(sched, inventory_race_shrinks_to_one_item_two_buyers_one_preemption)
{
    inventory_strategy = GF_SCHED_RANDOM;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        gf_result r;
        cr_assert_eq(run(inventory, "inventory", quiet(seed, 200), &r),
                     GF_FAILED, "seed %llu: race not found",
                     (unsigned long long)seed);
        cr_assert_str_eq(r.counterexample, "stock = 1\nbuyers = 2\n",
                         "seed %llu:\n%s", (unsigned long long)seed,
                         r.report);
        cr_assert(strstr(r.report, "8 steps, 1 preemption\n"),
                  "seed %llu:\n%s", (unsigned long long)seed, r.report);
        /* The preemption comes right after buyer#0's check. */
        cr_assert(strstr(r.report, "3 -> buyer#1"), "%s", r.report);
        gf_result_free(&r);
    }
}

Test(sched, same_seed_same_schedule_and_the_replay_reproduces_it)
{
    inventory_strategy = GF_SCHED_RANDOM;
    gf_result a, b, c;
    cr_assert_eq(run(inventory, "inventory", quiet(77, 200), &a), GF_FAILED);
    cr_assert_eq(run(inventory, "inventory", quiet(77, 200), &b), GF_FAILED);
    cr_assert_str_eq(a.report, b.report);
    gf_options o = quiet(0, 1);
    o.replay = a.replay;
    cr_assert_eq(run(inventory, "inventory", o, &c), GF_FAILED);
    cr_assert_str_eq(c.counterexample, a.counterexample);
    /* The schedule in the replayed report is the same, step for step. */
    const char *sa = strstr(a.report, "note: schedule");
    const char *sc = strstr(c.report, "note: schedule");
    cr_assert(sa && sc);
    const char *end = strstr(sa, "  at ");
    cr_assert(end);
    cr_assert_eq(strncmp(sa, sc, (size_t)(end - sa)), 0, "%s\n----\n%s",
                 a.report, c.report);
    gf_result_free(&a);
    gf_result_free(&b);
    gf_result_free(&c);
}

Test(sched, pct_finds_and_shrinks_the_inventory_race_too)
{
    inventory_strategy = GF_SCHED_PCT;
    gf_result r;
    cr_assert_eq(run(inventory, "inventory", quiet(5, 500), &r), GF_FAILED);
    cr_assert_str_eq(r.counterexample, "stock = 1\nbuyers = 2\n", "%s",
                     r.report);
    cr_assert(strstr(r.report, "schedule (PCT)"), "%s", r.report);
    gf_result_free(&r);
    inventory_strategy = GF_SCHED_RANDOM;
}

/* ---- PCT and the ordering bug ------------------------------------------ */

typedef struct job {
    int64_t progress;
    int64_t ready;
    int64_t data;
    int64_t bad;
} job;

static void producer(void *arg)
{
    job *j = arg;
    for (int i = 0; i < 30; i++)
        gf_atomic_fetch_add(&j->progress, 1);
    gf_atomic_store(&j->ready, 1); /* announced before it is there */
    gf_atomic_store(&j->data, 42);
}

static void consumer(void *arg)
{
    job *j = arg;
    if (gf_atomic_load(&j->ready) && gf_atomic_load(&j->data) != 42)
        j->bad = 1;
}

static void ordering(gf_case *tc)
{
    job j = {0};
    gf_sched *s = gf_sched_new(tc, &(gf_sched_options){
                                       .strategy = GF_SCHED_PCT});
    gf_spawn(s, producer, &j);
    gf_spawn(s, consumer, &j);
    gf_sched_run(s);
    GF_ASSERT_EQ_INT(tc, j.bad, 0);
}

Test(sched, pct_finds_the_one_preemption_bug_after_a_long_preamble)
{
    uint64_t total = 0;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        gf_result r;
        cr_assert_eq(run(ordering, "ordering", quiet(seed, 300), &r),
                     GF_FAILED, "seed %llu", (unsigned long long)seed);
        total += r.cases;
        cr_assert(strstr(r.report, "1 preemption\n"), "%s", r.report);
        gf_result_free(&r);
    }
    /* The bar is a median of 20 cases; the mean over 10 seeds is looser. */
    cr_assert_leq(total, 10 * 40, "%llu cases over 10 seeds",
                  (unsigned long long)total);
}

/* ---- deadlocks ------------------------------------------------------------ */

typedef struct pair {
    gf_mutex a, b;
} pair;

static void ab(void *arg)
{
    pair *p = arg;
    gf_mutex_lock(&p->a);
    gf_mutex_lock(&p->b);
    gf_mutex_unlock(&p->b);
    gf_mutex_unlock(&p->a);
}

static void ba(void *arg)
{
    pair *p = arg;
    gf_mutex_lock(&p->b);
    gf_mutex_lock(&p->a);
    gf_mutex_unlock(&p->a);
    gf_mutex_unlock(&p->b);
}

static void lock_order(gf_case *tc)
{
    pair p = {{0}, {0}};
    gf_sched *s = gf_sched_new(tc, NULL);
    gf_spawn(s, ab, &p);
    gf_spawn(s, ba, &p);
    gf_sched_run(s);
}

Test(sched, lock_order_inversion_is_a_deadlock_with_each_task_position)
{
    gf_result r;
    cr_assert_eq(run(lock_order, "lock_order", quiet(1, 100), &r),
                 GF_FAILED);
    cr_assert_str_eq(r.origin, "deadlock");
    cr_assert(strstr(r.message, "ab#0 blocked in gf_mutex_lock(&p->b)"),
              "%s", r.message);
    cr_assert(strstr(r.message, "held by ba#1"), "%s", r.message);
    cr_assert(strstr(r.message, "ba#1 blocked in gf_mutex_lock(&p->a)"),
              "%s", r.message);
    cr_assert(strstr(r.message, "held by ab#0"), "%s", r.message);
    gf_result_free(&r);
}

static gf_sched_status deadlock_status;

static void lock_order_status(gf_case *tc)
{
    pair p = {{0}, {0}};
    gf_sched *s = gf_sched_new(tc, &(gf_sched_options){
                                       .return_on_deadlock = true});
    gf_spawn(s, ab, &p);
    gf_spawn(s, ba, &p);
    gf_sched_status st = gf_sched_run(s);
    if (st == GF_SCHED_DEADLOCK)
        deadlock_status = st;
}

Test(sched, return_on_deadlock_gives_the_status)
{
    deadlock_status = GF_SCHED_DONE;
    RUN_PASSING(lock_order_status, 1, 200);
    cr_assert_eq(deadlock_status, GF_SCHED_DEADLOCK);
}

typedef struct mailbox {
    gf_mutex lock;
    gf_cond changed;
    bool full;
} mailbox;

/* Waits with `if`, and the sender signals before anyone waits: a lost
 * wakeup when the sender goes first. */
static void receiver(void *arg)
{
    mailbox *m = arg;
    gf_mutex_lock(&m->lock);
    gf_cond_wait(&m->changed, &m->lock);
    gf_mutex_unlock(&m->lock);
}

static void sender(void *arg)
{
    mailbox *m = arg;
    gf_mutex_lock(&m->lock);
    m->full = true;
    gf_cond_signal(&m->changed);
    gf_mutex_unlock(&m->lock);
}

static void lost_wakeup(gf_case *tc)
{
    mailbox m = {.full = false};
    gf_sched *s = gf_sched_new(tc, NULL);
    gf_spawn(s, receiver, &m);
    gf_spawn(s, sender, &m);
    gf_sched_run(s);
}

Test(sched, a_lost_wakeup_is_a_deadlock)
{
    gf_result r;
    cr_assert_eq(run(lost_wakeup, "lost_wakeup", quiet(2, 200), &r),
                 GF_FAILED);
    cr_assert_str_eq(r.origin, "deadlock");
    cr_assert(strstr(r.message, "receiver#0 waits for a signal in "
                                "gf_cond_wait(&m->changed)"),
              "%s", r.message);
    gf_result_free(&r);
}

/* ---- spinning --------------------------------------------------------------- */

typedef struct flag {
    int64_t set;
    int64_t work;
    gf_mutex lock;
} flag;

static void setter(void *arg)
{
    flag *f = arg;
    for (int i = 0; i < 5; i++)
        gf_atomic_fetch_add(&f->work, 1);
    gf_atomic_store(&f->set, 1);
}

static void load_spinner(void *arg)
{
    flag *f = arg;
    while (!gf_atomic_load(&f->set))
        ;
}

static void yield_spinner(void *arg)
{
    flag *f = arg;
    while (!gf_atomic_load(&f->set))
        gf_yield();
}

static void trylock_spinner(void *arg)
{
    flag *f = arg;
    while (!gf_mutex_trylock(&f->lock))
        ;
    gf_mutex_unlock(&f->lock);
}

static void lock_holder(void *arg)
{
    flag *f = arg;
    gf_mutex_lock(&f->lock);
    for (int i = 0; i < 5; i++)
        gf_atomic_fetch_add(&f->work, 1);
    gf_mutex_unlock(&f->lock);
}

static gf_sched_strategy spin_strategy;

static void spin_waits(gf_case *tc)
{
    flag f = {0};
    gf_sched *s = gf_sched_new(tc, &(gf_sched_options){
                                       .strategy = spin_strategy,
                                       .max_steps = 200});
    /* The spinners first, so the simplest schedules spin first. */
    gf_spawn(s, load_spinner, &f);
    gf_spawn(s, yield_spinner, &f);
    gf_spawn(s, trylock_spinner, &f);
    gf_spawn(s, lock_holder, &f);
    gf_spawn(s, setter, &f);
    gf_sched_run(s); /* the step bound would fail the case */
    GF_ASSERT_EQ_INT(tc, f.work, 10);
}

Test(sched, spin_waits_do_not_livelock)
{
    spin_strategy = GF_SCHED_RANDOM;
    RUN_PASSING(spin_waits, 3, 500);
    spin_strategy = GF_SCHED_PCT;
    RUN_PASSING(spin_waits, 4, 500);
}

typedef struct two_flags {
    int64_t a, b;
} two_flags;

/* Each waits for the other to go first: a real livelock. */
static void polite_a(void *arg)
{
    two_flags *f = arg;
    while (!gf_atomic_load(&f->b))
        gf_yield();
    gf_atomic_store(&f->a, 1);
}

static void polite_b(void *arg)
{
    two_flags *f = arg;
    while (!gf_atomic_load(&f->a))
        gf_yield();
    gf_atomic_store(&f->b, 1);
}

static void livelock(gf_case *tc)
{
    two_flags f = {0, 0};
    gf_sched *s = gf_sched_new(tc, &(gf_sched_options){.max_steps = 100});
    gf_spawn(s, polite_a, &f);
    gf_spawn(s, polite_b, &f);
    gf_sched_run(s);
}

Test(sched, a_real_livelock_hits_the_step_bound)
{
    gf_result r;
    cr_assert_eq(run(livelock, "livelock", quiet(1, 10), &r), GF_FAILED);
    cr_assert_str_eq(r.origin, "step bound");
    cr_assert(strstr(r.message, "100 steps"), "%s", r.message);
    cr_assert(strstr(r.message, "polite_a#0"), "%s", r.message);
    gf_result_free(&r);
}

/* ---- failures inside tasks -------------------------------------------------- */

static int inner_line;

static void asserts_in_task(void *arg)
{
    int64_t *n = arg;
    gf_yield();
    inner_line = __LINE__ + 1;
    GF_ASSERT(gf_current(), *n < 3);
}

static void sleeper(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++)
        gf_sleep(1000);
}

static void fails_in_task(gf_case *tc)
{
    int64_t n = gf_draw_int(tc, 0, 10);
    gf_sched *s = gf_sched_new(tc, NULL);
    gf_spawn(s, sleeper, NULL);
    gf_spawn(s, asserts_in_task, &n);
    gf_spawn(s, sleeper, NULL);
    gf_sched_run(s);
}

Test(sched, an_assertion_inside_a_task_fails_the_case_and_shrinks)
{
    gf_result r;
    cr_assert_eq(run(fails_in_task, "fails_in_task", quiet(1, 200), &r),
                 GF_FAILED);
    char origin[64];
    snprintf(origin, sizeof origin, "%s:%d", __FILE__, inner_line);
    cr_assert_str_eq(r.origin, origin);
    cr_assert_str_eq(r.counterexample, "#1 = 3\n");
    cr_assert(strstr(r.report, "asserts_in_task#1"), "%s", r.report);
    gf_result_free(&r);
}

static void crashes_in_task(void *arg)
{
    int64_t *n = arg;
    gf_yield();
    if (*n >= 7) {
        volatile uintptr_t bad = 16;
        volatile int *p = (volatile int *)bad;
        *p = 1;
    }
}

static void crash_in_task(gf_case *tc)
{
    int64_t n = gf_draw_int(tc, 0, 10);
    gf_sched *s = gf_sched_new(tc, NULL);
    gf_spawn(s, sleeper, NULL);
    gf_spawn(s, crashes_in_task, &n);
    gf_sched_run(s);
}

Test(sched, a_crash_inside_a_task_is_a_crash_of_the_case)
{
    gf_result r;
    cr_assert_eq(run(crash_in_task, "crash_in_task", quiet(1, 200), &r),
                 GF_FAILED);
    cr_assert_str_eq(r.origin, "crash (SIGSEGV)");
    cr_assert_str_eq(r.counterexample, "#1 = 7\n");
    gf_result_free(&r);
}

static volatile unsigned spins;

static void hangs(void *arg)
{
    int64_t n = *(int64_t *)arg;
    gf_yield();
    if (n >= 5)
        for (;;)
            spins++;
}

static void exits(void *arg)
{
    int64_t n = *(int64_t *)arg;
    gf_yield();
    if (n >= 8)
        exit(4);
}

static gf_task_fn bad_task;

static void bad_task_case(gf_case *tc)
{
    int64_t n = gf_draw_int(tc, 0, 10);
    gf_sched *s = gf_sched_new(tc, NULL);
    gf_spawn(s, sleeper, NULL);
    gf_spawn(s, bad_task, &n);
    gf_sched_run(s);
}

Test(sched, exit_and_timeouts_inside_a_task_keep_their_origin)
{
    gf_options o = quiet(1, 200);
    o.timeout = 0.05;
    gf_result r;
    bad_task = hangs;
    cr_assert_eq(run(bad_task_case, "hangs", o, &r), GF_FAILED);
    cr_assert_str_eq(r.origin, "timeout", "%s", r.report);
    cr_assert_str_eq(r.counterexample, "#1 = 5\n");
    gf_result_free(&r);
    bad_task = exits;
    cr_assert_eq(run(bad_task_case, "exits", o, &r), GF_FAILED);
    cr_assert_str_eq(r.origin, "exit(4)", "%s", r.report);
    cr_assert_str_eq(r.counterexample, "#1 = 8\n");
    gf_result_free(&r);
}

/* Guard pages in /proc/self/maps: one-page mappings with no access, as
 * below every task stack. */
static int guard_pages(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return -1;
    int n = 0;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 &&
            hi - lo == 4096 && strcmp(perms, "---p") == 0)
            n++;
    }
    fclose(f);
    return n;
}

Test(sched, stacks_are_released_after_failures_and_runs)
{
    gf_result warm;
    cr_assert_eq(run(fails_in_task, "fails_in_task", quiet(9, 100), &warm),
                 GF_FAILED);
    gf_result_free(&warm);
    int before = guard_pages();
    for (int i = 0; i < 5; i++) {
        gf_result r;
        cr_assert_eq(run(fails_in_task, "fails_in_task", quiet(i + 1, 100),
                         &r), GF_FAILED);
        gf_result_free(&r);
        cr_assert_eq(run(lock_order, "lock_order", quiet(i + 1, 100), &r),
                     GF_FAILED);
        gf_result_free(&r);
    }
    cr_assert_eq(guard_pages(), before, "%d guard pages before, %d after",
                 before, guard_pages());
}

/* ---- the virtual clock -------------------------------------------------- */

typedef struct alarm_clock {
    gf_mutex lock;
    gf_cond rang;
    bool done;
    bool timed_out;
    uint64_t woke;
} alarm_clock;

static void waiter(void *arg)
{
    alarm_clock *a = arg;
    gf_mutex_lock(&a->lock);
    uint64_t since = 0;
    while (!a->done) {
        since = gf_now();
        if (!gf_cond_timedwait(&a->rang, &a->lock, 5000)) {
            a->timed_out = true;
            break;
        }
    }
    a->woke = gf_now() - since;
    gf_mutex_unlock(&a->lock);
}

static void worker(void *arg)
{
    alarm_clock *a = arg;
    gf_sleep(1000);
    gf_mutex_lock(&a->lock);
    a->done = true;
    gf_cond_signal(&a->rang);
    gf_mutex_unlock(&a->lock);
}

static unsigned timeouts, signalled;

static void timer_race(gf_case *tc)
{
    alarm_clock a = {.done = false};
    gf_sched *s = gf_sched_new(tc, NULL);
    gf_spawn(s, waiter, &a);
    gf_spawn(s, worker, &a);
    gf_sched_run(s);
    if (a.timed_out) {
        /* The wait began at or after `since`: time may pass before it. */
        timeouts++;
        GF_ASSERT_GE_UINT(tc, a.woke, 5000);
    } else {
        signalled++;
        GF_ASSERT(tc, a.done);
    }
}

Test(sched, timers_fire_as_a_choice_on_the_virtual_clock)
{
    timeouts = signalled = 0;
    RUN_PASSING(timer_race, 9, 200);
    /* Both outcomes are reached: the sleeper before the timeout, and the
     * timeout before the sleeper wakes. */
    cr_assert_gt(timeouts, 0);
    cr_assert_gt(signalled, 0);
}

/* A wake time at the top of the clock still fires. */
typedef struct far_sleep {
    gf_mutex lock;
    gf_cond never;
    bool slept, timed_out;
} far_sleep;

static void sleeps_forever(void *arg)
{
    gf_sleep(UINT64_MAX);
    ((far_sleep *)arg)->slept = true;
}

static void sleeps_a_little(void *arg)
{
    gf_sleep(100);
    ((far_sleep *)arg)->slept = true;
}

static void waits_forever(void *arg)
{
    far_sleep *f = arg;
    gf_mutex_lock(&f->lock);
    f->timed_out = !gf_cond_timedwait(&f->never, &f->lock, UINT64_MAX);
    gf_mutex_unlock(&f->lock);
}

static void saturated_wake_times(gf_case *tc)
{
    far_sleep f = {.slept = false};
    gf_sched *s = gf_sched_new(tc, NULL);
    gf_spawn(s, sleeps_forever, &f);
    gf_sched_run(s);
    GF_ASSERT(tc, f.slept);
    GF_ASSERT(tc, gf_now() == UINT64_MAX);

    f = (far_sleep){.slept = false};
    s = gf_sched_new(tc, NULL);
    gf_sleep(UINT64_MAX - 10);
    gf_spawn(s, sleeps_a_little, &f);
    gf_sched_run(s);
    GF_ASSERT(tc, f.slept);
    GF_ASSERT(tc, gf_now() == UINT64_MAX);

    f = (far_sleep){.timed_out = false};
    s = gf_sched_new(tc, NULL);
    gf_spawn(s, waits_forever, &f);
    gf_sched_run(s);
    GF_ASSERT(tc, f.timed_out);
}

Test(sched, a_sleeper_due_at_the_top_of_the_clock_wakes)
{
    RUN_PASSING(saturated_wake_times, 1, 20);
}

/* A timed wait is named as such in the schedule and the deadlock text. */
typedef struct stuck {
    gf_mutex lock;
    gf_cond bell;
    gf_task *waiter;
} stuck;

static void waits_timed(void *arg)
{
    stuck *st = arg;
    gf_mutex_lock(&st->lock);
    gf_cond_timedwait(&st->bell, &st->lock, 1000);
    gf_mutex_unlock(&st->lock);
}

static void holds_and_joins(void *arg)
{
    stuck *st = arg;
    gf_mutex_lock(&st->lock);
    gf_task_join(st->waiter);
}

static void timed_wait_deadlock(gf_case *tc)
{
    stuck st = {.waiter = NULL};
    gf_sched *s = gf_sched_new(tc, NULL);
    st.waiter = gf_spawn(s, waits_timed, &st);
    gf_spawn(s, holds_and_joins, &st);
    gf_sched_run(s);
}

Test(sched, a_timed_wait_is_named_gf_cond_timedwait)
{
    gf_result r;
    cr_assert_eq(run(timed_wait_deadlock, "timed_wait_deadlock",
                     quiet(1, 20), &r),
                 GF_FAILED);
    cr_assert_str_eq(r.origin, "deadlock");
    cr_assert(strstr(r.message, "waits for a signal in "
                                "gf_cond_timedwait(&st->bell) at "),
              "%s", r.message);
    cr_assert(strstr(r.report, "gf_cond_timedwait(&st->bell) at "),
              "%s", r.report);
    cr_assert_null(strstr(r.report, "gf_cond_wait("), "%s", r.report);
    gf_result_free(&r);
}

/* ---- misuse and the property's own calls ---------------------------------- */

static void unlocks_unheld(void *arg)
{
    gf_mutex_unlock((gf_mutex *)arg);
}

static void unlock_unheld(gf_case *tc)
{
    gf_mutex m = GF_MUTEX_INIT;
    gf_sched *s = gf_sched_new(tc, NULL);
    gf_spawn(s, unlocks_unheld, &m);
    gf_sched_run(s);
}

static void relocks(void *arg)
{
    gf_mutex_lock((gf_mutex *)arg);
    gf_mutex_lock((gf_mutex *)arg);
}

static void relock(gf_case *tc)
{
    gf_mutex m = GF_MUTEX_INIT;
    gf_sched *s = gf_sched_new(tc, NULL);
    gf_spawn(s, relocks, &m);
    gf_sched_run(s);
}

static void waits_unlocked(void *arg)
{
    gf_cond c = GF_COND_INIT;
    gf_cond_wait(&c, (gf_mutex *)arg);
}

static void wait_unlocked(gf_case *tc)
{
    gf_mutex m = GF_MUTEX_INIT;
    gf_sched *s = gf_sched_new(tc, NULL);
    gf_spawn(s, waits_unlocked, &m);
    gf_sched_run(s);
}

Test(sched, mutex_misuse_fails_where_it_happens)
{
    gf_result r;
    cr_assert_eq(run(unlock_unheld, "unlock_unheld", quiet(1, 5), &r),
                 GF_FAILED);
    cr_assert(strstr(r.message, "unlocks (gf_mutex *)arg, held by nobody"),
              "%s", r.message);
    cr_assert(strstr(r.origin, "test_sched.c:"), "%s", r.origin);
    gf_result_free(&r);
    cr_assert_eq(run(relock, "relock", quiet(1, 5), &r), GF_FAILED);
    cr_assert(strstr(r.message, "which it already holds"), "%s", r.message);
    gf_result_free(&r);
    cr_assert_eq(run(wait_unlocked, "wait_unlocked", quiet(1, 5), &r),
                 GF_FAILED);
    cr_assert(strstr(r.message, "waits_unlocked#0 waits on &c without "
                                "holding its mutex"),
              "%s", r.message);
    gf_result_free(&r);
}

/* With no scheduler the property's own mutexes are still checked. */
static void bare_unlock_unheld(gf_case *tc)
{
    (void)tc;
    gf_mutex m = GF_MUTEX_INIT;
    gf_mutex_unlock(&m);
}

static void bare_relock(gf_case *tc)
{
    (void)tc;
    gf_mutex m = GF_MUTEX_INIT;
    gf_mutex_lock(&m);
    gf_mutex_lock(&m);
}

static bool task_got_it;

static void tries(void *arg)
{
    task_got_it = gf_mutex_trylock((gf_mutex *)arg);
}

static void bare_then_sched(gf_case *tc)
{
    gf_mutex m = GF_MUTEX_INIT, n = GF_MUTEX_INIT;
    GF_ASSERT(tc, gf_mutex_trylock(&m));
    GF_ASSERT(tc, !gf_mutex_trylock(&m));
    gf_mutex_lock(&n);
    gf_mutex_unlock(&n);
    /* m stays the property's under the scheduler made next. */
    gf_sched *s = gf_sched_new(tc, NULL);
    task_got_it = true;
    gf_spawn(s, tries, &m);
    gf_sched_run(s);
    GF_ASSERT(tc, !task_got_it);
    gf_mutex_unlock(&m);
}

Test(sched, the_property_without_a_scheduler_misusing_a_mutex_fails)
{
    gf_result r;
    cr_assert_eq(run(bare_unlock_unheld, "bare_unlock_unheld", quiet(1, 5),
                     &r),
                 GF_FAILED);
    cr_assert(strstr(r.message, "the property unlocks &m, held by nobody"),
              "%s", r.message);
    cr_assert(strstr(r.origin, "test_sched.c:"), "%s", r.origin);
    gf_result_free(&r);
    cr_assert_eq(run(bare_relock, "bare_relock", quiet(1, 5), &r),
                 GF_FAILED);
    cr_assert(strstr(r.message, "the property locks &m, which it already "
                                "holds"),
              "%s", r.message);
    gf_result_free(&r);
    RUN_PASSING(bare_then_sched, 1, 20);
}

/* Stack sizes the machine cannot give are refused with a message. */
static size_t big_stack;

static void does_nothing(void *arg)
{
    (void)arg;
}

static void with_big_stack(gf_case *tc)
{
    gf_sched *s = gf_sched_new(tc, &(gf_sched_options){.stack_size =
                                                           big_stack});
    gf_spawn(s, does_nothing, NULL);
    gf_sched_run(s);
}

Test(sched, an_absurd_stack_size_is_misuse)
{
    const size_t sizes[] = {SIZE_MAX, SIZE_MAX - 4096, (size_t)1 << 46,
                            ((size_t)1 << 30) + 1};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        big_stack = sizes[i];
        gf_result r;
        cr_assert_eq(run(with_big_stack, "with_big_stack", quiet(1, 5), &r),
                     GF_ERROR, "stack_size %zu", sizes[i]);
        char want[96];
        snprintf(want, sizeof want, "gf_sched_new: stack_size %zu is more "
                                    "than 1 GiB", sizes[i]);
        cr_assert(strstr(r.message, want), "%s", r.message);
        gf_result_free(&r);
    }
    /* The cap itself is allowed (the stack is mapped lazily). */
    big_stack = (size_t)1 << 30;
    RUN_PASSING(with_big_stack, 1, 5);
}

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* Criterion runs each test in a process of its own, so the limit set here
 * ends with it. */
Test(sched, a_stack_that_cannot_be_mapped_is_reported)
{
#ifdef UNDER_ASAN
    cr_skip_test("ASan reserves the address space this test limits");
#else
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        cr_skip_test("no /proc/self/statm");
    unsigned long pages = 0;
    int got = fscanf(f, "%lu", &pages);
    fclose(f);
    cr_assert_eq(got, 1);
    struct rlimit old, lim;
    cr_assert_eq(getrlimit(RLIMIT_AS, &old), 0);
    lim = old;
    lim.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) +
                   ((rlim_t)256 << 20);
    cr_assert_eq(setrlimit(RLIMIT_AS, &lim), 0);
    big_stack = (size_t)1 << 30;
    gf_result r;
    gf_status st = run(with_big_stack, "with_big_stack", quiet(1, 5), &r);
    setrlimit(RLIMIT_AS, &old);
    cr_assert_eq(st, GF_ERROR, "%s", r.message ? r.message : "(none)");
    cr_assert(strstr(r.message, "gf_sched_run: cannot map a task stack of "
                                "1073741824 bytes (stack_size): "),
              "%s", r.message);
    cr_assert(strstr(r.message, strerror(ENOMEM)), "%s", r.message);
    gf_result_free(&r);
#endif
}

typedef struct family {
    gf_sched *s;
    int64_t count;
    gf_mutex lock;
} family;

static void child(void *arg)
{
    family *f = arg;
    gf_atomic_fetch_add(&f->count, 1);
}

static void parent(void *arg)
{
    family *f = arg;
    gf_task *a = gf_spawn(f->s, child, f);
    gf_task *b = gf_spawn(f->s, child, f);
    gf_task_join(a);
    gf_task_join(b);
    /* Both children have run. */
    if (gf_atomic_load(&f->count) != 2)
        GF_FAIL(gf_current(), "joined before the children ran");
}

static void spawns_and_joins(gf_case *tc)
{
    family f = {.count = 0};
    f.s = gf_sched_new(tc, NULL);
    gf_spawn(f.s, parent, &f);
    gf_sched_run(f.s);
    GF_ASSERT_EQ_INT(tc, f.count, 2);
    /* After the run the property uses the same mutexes as one thread. */
    gf_mutex_lock(&f.lock);
    gf_mutex_unlock(&f.lock);
    GF_ASSERT_EQ_INT(tc, gf_atomic_load(&f.count), 2);
}

Test(sched, tasks_spawn_and_join_tasks)
{
    RUN_PASSING(spawns_and_joins, 1, 200);
}

static void holds_forever(void *arg)
{
    gf_mutex_lock((gf_mutex *)arg);
}

static void property_blocks(gf_case *tc)
{
    gf_mutex m = GF_MUTEX_INIT;
    gf_sched *s = gf_sched_new(tc, NULL);
    gf_spawn(s, holds_forever, &m);
    gf_sched_run(s);
    gf_mutex_lock(&m);
}

Test(sched, the_property_locking_a_held_mutex_fails)
{
    gf_result r;
    cr_assert_eq(run(property_blocks, "property_blocks", quiet(1, 5), &r),
                 GF_FAILED);
    cr_assert(strstr(r.message, "held by holds_forever#0, which has "
                                "returned"),
              "%s", r.message);
    gf_result_free(&r);
}

/* With no scheduler the wrappers act as in one thread. */
Test(sched, without_a_scheduler_the_wrappers_act_at_once)
{
    int64_t x = 5;
    cr_assert_eq(gf_atomic_fetch_add(&x, 2), 5);
    int64_t want = 7;
    cr_assert(gf_atomic_cas(&x, &want, 9));
    cr_assert_eq(gf_atomic_load(&x), 9);
    gf_mutex m = GF_MUTEX_INIT;
    cr_assert(gf_mutex_trylock(&m));
    gf_mutex_unlock(&m);
    cr_assert_null(gf_task_self());
    uint64_t t0 = gf_now();
    gf_sleep(1000);
    cr_assert_geq(gf_now(), t0 + 1000);
}
