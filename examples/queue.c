/*
 * queue.c - a job queue whose push forgot the lock.
 *
 * A bounded queue of job records shared by threads.  queue_pop takes the
 * queue's mutex; queue_push does not: it reads the tail, fills the record
 * in that slot, then publishes it by moving the tail.  Run alone, every
 * call is right, and a sequential test of any length passes.  When two
 * pushes overlap, both fill the same slot and both move the tail to the
 * same place: one job is lost, though both pushes reported success.
 *
 * The property runs a short prefix of calls, then two branches of calls at
 * once on real threads, and checks that what the calls returned could have
 * come from some one-at-a-time order of them that respects their timing
 * (linearizability), using a model queue.  Races are nondeterministic, so
 * each drawn case runs several times, and the report shows the history
 * that could not be explained, for example:
 *
 *     history, in the order calls started (->) and returned:
 *       thread 0              thread 1
 *       queue_push(sut, 0)
 *       |                     queue_push(sut, 0)
 *       -> 0                  |
 *       queue_pop(sut)        |
 *       |                     -> 0
 *       -> 0                  queue_pop(sut)
 *                             -> -1
 *
 * Two pushes succeeded, yet the second pop found the queue empty.  A
 * second property checks the same queue with the lock taken in push too,
 * and holds.
 *
 * Run: examples/queue [--seed N] [--trials N] [--help]
 */
#include <gadfly.h>
#include <gadfly/state.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the queue ------------------------------------------------------------------ */

#define QUEUE_CAP 8

struct job {
    int id;
    char name[48];
    uint32_t check;    /* a checksum of the record, for the worker */
    unsigned char payload[8192];
};

struct queue {
    pthread_mutex_t lock;
    size_t head, tail; /* items [head, tail) are queued */
    struct job jobs[QUEUE_CAP];
    bool locked_push;  /* the fixed queue: push takes the lock too */
};

static struct queue *queue_new(bool locked_push)
{
    struct queue *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    pthread_mutex_init(&q->lock, NULL);
    q->locked_push = locked_push;
    return q;
}

static void queue_free(struct queue *q)
{
    pthread_mutex_destroy(&q->lock);
    free(q);
}

/* Reserve the tail slot, fill it, publish it.  0, or -1 when full. */
static int push_unlocked(struct queue *q, int id)
{
    size_t t = q->tail;
    if (t - q->head == QUEUE_CAP)
        return -1;
    struct job *j = &q->jobs[t % QUEUE_CAP];
    j->id = id;
    snprintf(j->name, sizeof j->name, "job %d", id);
    uint32_t check = 2166136261u;
    for (size_t i = 0; i < sizeof j->payload; i++) {
        j->payload[i] = (unsigned char)(id + i);
        check = (check ^ j->payload[i]) * 16777619u;
    }
    j->check = check;
    q->tail = t + 1;
    return 0;
}

static int queue_push(struct queue *q, int id)
{
    if (!q->locked_push)
        return push_unlocked(q, id); /* the bug: no lock */
    pthread_mutex_lock(&q->lock);
    int r = push_unlocked(q, id);
    pthread_mutex_unlock(&q->lock);
    return r;
}

/* The oldest job's id, or -1 when empty. */
static int queue_pop(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    int id = -1;
    if (q->head != q->tail)
        id = q->jobs[q->head++ % QUEUE_CAP].id;
    pthread_mutex_unlock(&q->lock);
    return id;
}

/* ---- the model ------------------------------------------------------------------ */

typedef struct model {
    int items[QUEUE_CAP]; /* items[0] is the oldest */
    int n;
} model;

typedef struct push_args {
    int id;
} push_args;

static void push_draw(gf_state *st, const void *m, void *a)
{
    (void)m;
    ((push_args *)a)->id = (int)gf_draw_int(gf_state_case(st), 0, 9);
}

static int64_t push_next(void *mv, const void *a, gf_state_var self)
{
    (void)self;
    model *m = mv;
    if (m->n == QUEUE_CAP)
        return -1;
    m->items[m->n++] = ((const push_args *)a)->id;
    return 0;
}

static int64_t pop_next(void *mv, const void *a, gf_state_var self)
{
    (void)a;
    (void)self;
    model *m = mv;
    if (m->n == 0)
        return -1;
    int id = m->items[0];
    memmove(m->items, m->items + 1, (size_t)(m->n - 1) * sizeof *m->items);
    m->items[--m->n] = 0;
    return id;
}

static int64_t push_run(const gf_state *st, void *q, const void *a)
{
    (void)st;
    return queue_push(q, ((const push_args *)a)->id);
}

static int64_t pop_run(const gf_state *st, void *q, const void *a)
{
    (void)st;
    (void)a;
    return queue_pop(q);
}

static void push_print(gf_printer *p, const void *a)
{
    gf_print(p, "queue_push(sut, %d)", ((const push_args *)a)->id);
}

static void pop_print(gf_printer *p, const void *a)
{
    (void)a;
    gf_print(p, "queue_pop(sut)");
}

/* The linearizability check compares model states: only the queued items
 * count (pop_next zeroes the slot it frees, but say so anyway). */
static uint64_t model_hash(const void *mv)
{
    const model *m = mv;
    uint64_t h = (uint64_t)m->n;
    for (int i = 0; i < m->n; i++)
        h = (h ^ (uint64_t)(unsigned)m->items[i]) * 0x100000001B3ull;
    return h;
}

static bool model_equal(const void *a, const void *b)
{
    const model *x = a, *y = b;
    return x->n == y->n &&
           memcmp(x->items, y->items, (size_t)x->n * sizeof *x->items) == 0;
}

static void model_copy(void *dst, const void *src)
{
    memcpy(dst, src, sizeof(model));
}

static void *new_queue(void *env)
{
    return queue_new(*(const bool *)env);
}

static void free_queue(void *q, void *env)
{
    (void)env;
    queue_free(q);
}

static const gf_state_cmd commands[] = {
    {.name = "queue_pop", .next = pop_next, .run = pop_run,
     .print = pop_print},
    {.name = "queue_push", .args_size = sizeof(push_args), .draw = push_draw,
     .next = push_next, .run = push_run, .print = push_print},
};

static bool buggy = false, fixed = true;

#define QUEUE_MACHINE(locked)                                                \
    {                                                                        \
        .name = "queue", .cmds = commands,                                   \
        .ncmds = sizeof commands / sizeof commands[0],                       \
        .model_size = sizeof(model), .sut_new = new_queue,                   \
        .sut_free = free_queue, .setup = "struct queue *sut = queue_new();", \
        .teardown = "queue_free(sut);", .model_copy = model_copy,            \
        .model_hash = model_hash, .model_equal = model_equal,                \
        .env = &(locked),                                                    \
    }

static const gf_state_machine queue_missing_lock = QUEUE_MACHINE(buggy);
static const gf_state_machine queue_locked = QUEUE_MACHINE(fixed);

GF_PROPERTY(queue_is_linearizable)
{
    gf_state_run_parallel(tc, &queue_missing_lock,
                          &(gf_state_options){.max_steps = 2});
}

GF_PROPERTY(queue_fixed_is_linearizable)
{
    gf_state_run_parallel(tc, &queue_locked,
                          &(gf_state_options){.max_steps = 2});
}

GF_MAIN()
