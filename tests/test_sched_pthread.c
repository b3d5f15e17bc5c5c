/*
 * test_sched_pthread.c - unchanged pthread code under the scheduler, its
 * calls routed by gadfly/sched_pthread.h and the linker's --wrap (this
 * program is linked with GF_SCHED_PTHREAD_LDFLAGS).
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <gadfly/sched_pthread.h>

/* ---- code under test: plain pthreads, knows nothing of Gadfly ----------- */

typedef struct account {
    pthread_mutex_t lock;
    pthread_cond_t funded;
    long balance;
    long withdrawn;
} account;

/* Checks the balance, then withdraws under a second acquisition. */
enum { RACY_FIRST_LOCK_LINE = __LINE__ + 5 }; /* for the report's test */

static void *withdraw_racy(void *arg)
{
    account *a = arg;
    pthread_mutex_lock(&a->lock);
    long seen = a->balance;
    pthread_mutex_unlock(&a->lock);
    if (seen >= 10) {
        pthread_mutex_lock(&a->lock);
        a->balance = seen - 10;
        a->withdrawn += 10;
        pthread_mutex_unlock(&a->lock);
    }
    return NULL;
}

/* Waits until the balance covers it, then withdraws, in one acquisition. */
static void *withdraw_waiting(void *arg)
{
    account *a = arg;
    pthread_mutex_lock(&a->lock);
    while (a->balance < 10)
        pthread_cond_wait(&a->funded, &a->lock);
    a->balance -= 10;
    a->withdrawn += 10;
    pthread_mutex_unlock(&a->lock);
    return arg;
}

static void *deposit(void *arg)
{
    account *a = arg;
    for (int i = 0; i < 2; i++) {
        pthread_mutex_lock(&a->lock);
        a->balance += 10;
        pthread_cond_broadcast(&a->funded);
        pthread_mutex_unlock(&a->lock);
    }
    return NULL;
}

/* Two withdrawals and, if `funding`, a deposit; joins them all. */
static long run_bank(long balance, void *(*withdraw)(void *), bool funding)
{
    account a = {.balance = balance};
    pthread_mutex_init(&a.lock, NULL);
    pthread_cond_init(&a.funded, NULL);
    pthread_t t[3];
    int n = 0;
    for (int i = 0; i < 2; i++)
        pthread_create(&t[n++], NULL, withdraw, &a);
    if (funding)
        pthread_create(&t[n++], NULL, deposit, &a);
    for (int i = 0; i < n; i++) {
        void *ret = NULL;
        pthread_join(t[i], &ret);
        if (withdraw == withdraw_waiting && i < 2 && ret != &a)
            return -1;
    }
    pthread_cond_destroy(&a.funded);
    pthread_mutex_destroy(&a.lock);
    return a.withdrawn - (balance + (funding ? 20 : 0) - a.balance);
}

/* ---- properties ----------------------------------------------------------- */

static void racy_bank(gf_case *tc)
{
    long balance = (long)gf_draw_int(tc, 0, 30);
    gf_sched_new(tc, NULL);
    long drift = run_bank(balance, withdraw_racy, false);
    GF_ASSERT_EQ_INT(tc, drift, 0);
}

static void waiting_bank(gf_case *tc)
{
    long balance = (long)gf_draw_int(tc, 0, 30);
    gf_sched_new(tc, NULL);
    long drift = run_bank(balance, withdraw_waiting, true);
    GF_ASSERT_EQ_INT(tc, drift, 0);
}

static gf_status run(gf_property_fn fn, const char *name, uint64_t seed,
                     gf_result *r)
{
    gf_property p = {.name = name, .fn = fn};
    gf_options o = {.seed = seed, .seed_set = true, .trials = 300,
                    .quiet = true};
    memset(r, 0, sizeof *r);
    return gf_run(&p, &o, r);
}

Test(sched_pthread, a_race_in_pthread_code_is_found_and_shrunk)
{
    gf_result r;
    cr_assert_eq(run(racy_bank, "racy_bank", 1, &r), GF_FAILED);
    cr_assert_str_eq(r.counterexample, "#1 = 10\n", "%s", r.report);
    cr_assert(strstr(r.report, "pthread#1"), "%s", r.report);
    cr_assert(strstr(r.report, "gf_mutex_lock(pthread_mutex_t)"), "%s",
              r.report);
    /* Each schedule line names the source line of the wrapped call, read
     * from the debug information (this program is built with -g). */
    char where[128];
    snprintf(where, sizeof where,
             "gf_mutex_lock(pthread_mutex_t) at test_sched_pthread.c:%d\n",
             RACY_FIRST_LOCK_LINE);
    cr_expect(strstr(r.report, where), "no '%s' in:\n%s", where, r.report);
    cr_expect(!strstr(r.report, "+0x"), "%s", r.report);
    gf_result_free(&r);
}

Test(sched_pthread, condition_variables_and_joins_are_routed)
{
    gf_result r;
    cr_assert_eq(run(waiting_bank, "waiting_bank", 2, &r), GF_PASSED, "%s",
                 r.report ? r.report : "");
    gf_result_free(&r);
}

/* A rate limiter in plain pthread code: each client checks the count
 * against the limit, then increments it under a second acquisition. */
typedef struct limiter {
    pthread_mutex_t lock;
    long count, limit, tries;
} limiter;

static void *client(void *arg)
{
    limiter *l = arg;
    for (long k = 0; k < l->tries; k++) {
        pthread_mutex_lock(&l->lock);
        bool room = l->count < l->limit;
        pthread_mutex_unlock(&l->lock);
        if (room) {
            pthread_mutex_lock(&l->lock);
            l->count++;
            pthread_mutex_unlock(&l->lock);
        }
    }
    return NULL;
}

static long seen_limit, seen_clients, seen_tries;

static void limit_holds(gf_case *tc)
{
    limiter l = {.limit = (long)gf_draw_int(tc, 0, 10)};
    long clients = (long)gf_draw_int(tc, 1, 4);
    l.tries = (long)gf_draw_int(tc, 1, 3);
    seen_limit = l.limit;
    seen_clients = clients;
    seen_tries = l.tries;
    pthread_mutex_init(&l.lock, NULL);
    gf_sched_new(tc, NULL);
    pthread_t t[4];
    for (long i = 0; i < clients; i++)
        pthread_create(&t[i], NULL, client, &l);
    for (long i = 0; i < clients; i++)
        pthread_join(t[i], NULL);
    pthread_mutex_destroy(&l.lock);
    GF_ASSERT(tc, l.count <= l.limit);
}

/* Whatever the seed found (three clients, two tries each, a limit of 4),
 * the race shrinks to what it needs: a limit of 1, two clients, one try. */
Test(sched_pthread, a_pthread_race_shrinks_to_the_fewest_threads)
{
    for (uint64_t seed = 1; seed <= 10; seed++) {
        gf_result r;
        cr_assert_eq(run(limit_holds, "limit_holds", seed, &r), GF_FAILED,
                     "seed %llu", (unsigned long long)seed);
        cr_expect(seen_limit == 1 && seen_clients == 2 && seen_tries == 1,
                  "seed %llu: limit %ld, %ld clients, %ld tries\n%s",
                  (unsigned long long)seed, seen_limit, seen_clients,
                  seen_tries, r.report);
        gf_result_free(&r);
    }
}

/* Outside a property with a scheduler the same code runs real threads. */
Test(sched_pthread, without_a_scheduler_real_threads_run)
{
    cr_assert_eq(run_bank(0, withdraw_waiting, true), 0);
}
