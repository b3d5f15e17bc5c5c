/*
 * state.c - stateful properties: programs of commands drawn against a
 * model, run on the system under test, and, for concurrency, run on real
 * threads and checked for linearizability.
 *
 * A program is drawn from the case like any value: a gf_many collection of
 * steps, each a command index then the command's arguments in a span
 * labelled by the command, so that the shrinker deletes and reorders whole
 * steps and shrinks each argument.  Drawing consults only the model; the
 * system is made only once the whole program is known to be valid, so an
 * invalid program (a precondition that no longer holds after shrinking
 * deleted a step) costs a few model calls and never reaches the system.
 *
 * This file must never end a case from a thread other than the property's:
 * branch threads only call the user's `run` and record what it returned;
 * every check and every failure happens on the property's thread after
 * the branches have been joined.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xxhash.h>

#include <gadfly/gen.h>
#include <gadfly/state.h>

#include "core/internal.h"
#include "engine/execute.h"

#define DEFAULT_STEPS 50
#define DEFAULT_PREFIX 5
#define DEFAULT_BRANCHES 2
#define DEFAULT_BRANCH_STEPS 4
#define DEFAULT_REPEAT 10
/* Tries at drawing a valid step before the case is rejected. */
#define MAX_ATTEMPTS 8
/* When a report is being collected (the final replay of a shrunk case, a
 * replay token), a nondeterministic failure gets this many times more
 * runs to show itself again. */
#define REPORT_REPEAT_FACTOR 100
/* How far ahead of the last branch thread's arrival the branches start. */
#define START_LEAD_NS 5000
/* Delays of a branch's start range over [0, START_SPREAD_NS). */
#define START_SPREAD_NS 1000

/* One step of a program. */
typedef struct step {
    size_t cmd;          /* index into the machine's cmds */
    void *args;
    gf_state_var var;    /* the variable its result binds to */
} step;

struct gf_state {
    gf_case *tc;
    const gf_state_machine *m;
    uint64_t *labels;     /* span label of each command's arguments */
    uint64_t total_weight; /* a sum of unsigned weights: it fits */
    step *steps;
    size_t nsteps, cap;
    unsigned *var_kind;   /* per variable */
    unsigned *var_branch; /* per variable: where it was made */
    size_t nvars;
    unsigned branch;      /* where steps are drawn now: 0 sequential or
                             prefix, b + 1 branch b */
    bool invalid;         /* a draw found no variable */
    const void *draw_model; /* the model a step is drawn from */
    int64_t *values;      /* the system's value of each variable */
    void *scratch;        /* a result_size buffer for results not kept */
};

/* ---- misuse ------------------------------------------------------------------ */

static GF_NORETURN void misuse(gf_case *tc, const char *fmt, ...)
    GF_PRINTF(2, 3);

static void misuse(gf_case *tc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *what = xvasprintf(fmt, ap);
    va_end(ap);
    case_set_failure(tc, xstrdup("misuse"), what);
    case_escape(tc);
}

static void check_machine(gf_case *tc, const char *fn,
                          const gf_state_machine *m)
{
    if (!m)
        misuse(tc, "%s: the machine is NULL", fn);
    const char *name = m->name ? m->name : "(unnamed)";
    if (!m->cmds || m->ncmds == 0)
        misuse(tc, "%s: machine %s has no commands", fn, name);
    if (m->ninvariants && !m->invariants)
        misuse(tc, "%s: machine %s: ninvariants is %zu but invariants is "
               "NULL", fn, name, m->ninvariants);
    for (size_t i = 0; i < m->ncmds; i++) {
        const gf_state_cmd *c = &m->cmds[i];
        bool value = c->result_size > 0;
        const char *missing =
            !c->name ? "name"
            : value && !c->next_value ? "next_value (it has a result_size)"
            : value && !c->run_value ? "run_value (it has a result_size)"
            : !value && !c->next ? "next"
            : !value && !c->run ? "run"
            : !c->print ? "print" : NULL;
        if (missing)
            misuse(tc, "%s: machine %s: command %zu (%s) has no %s", fn,
                   name, i, c->name ? c->name : "unnamed", missing);
        if (value && c->result_type)
            misuse(tc, "%s: machine %s: command %zu (%s) has a result_size "
                   "and a result_type: a handle is an int64_t", fn, name, i,
                   c->name);
    }
    for (size_t i = 0; i < m->ninvariants; i++)
        if (!m->invariants[i].holds)
            misuse(tc, "%s: machine %s: invariant %zu has no holds function",
                   fn, name, i);
}

/* ---- models ---------------------------------------------------------------------- */

static void *model_new(gf_case *tc, const gf_state_machine *m)
{
    void *model = gf_alloc(tc, m->model_size);
    memset(model, 0, m->model_size);
    if (m->model_init)
        m->model_init(model, m->env);
    return model;
}

static void model_copy(const gf_state_machine *m, void *dst, const void *src)
{
    if (m->model_copy)
        m->model_copy(dst, src);
    else if (m->model_size)
        memcpy(dst, src, m->model_size);
}

static uint64_t model_hash(const gf_state_machine *m, const void *model)
{
    if (m->model_hash)
        return m->model_hash(model);
    return XXH3_64bits(model, m->model_size);
}

static bool model_equal(const gf_state_machine *m, const void *a,
                        const void *b)
{
    if (m->model_equal)
        return m->model_equal(a, b);
    return m->model_size == 0 || memcmp(a, b, m->model_size) == 0;
}

/* Does the command accept `actual` where the model expects `expected`?
 * For a command with result_size both are the addresses of values. */
static bool result_ok(const gf_state_cmd *c, const void *args,
                      int64_t expected, int64_t actual)
{
    if (c->result_size) {
        const void *e = (const void *)(intptr_t)expected;
        const void *a = (const void *)(intptr_t)actual;
        if (c->check_value)
            return c->check_value(args, e, a);
        return memcmp(e, a, c->result_size) == 0;
    }
    if (c->check)
        return c->check(args, expected, actual);
    return c->result_type != NULL || expected == actual;
}

/* The model's result for a call: next's, or next_value's written into buf
 * (result_size bytes) and given as its address. */
static int64_t model_result(const gf_state_cmd *c, void *model,
                            const void *args, gf_state_var var, void *buf)
{
    if (!c->result_size)
        return c->next(model, args, var);
    memset(buf, 0, c->result_size);
    c->next_value(model, args, var, buf);
    return (int64_t)(intptr_t)buf;
}

/* The system's result for a call, the same way. */
static int64_t system_result(const gf_state_cmd *c, const gf_state *st,
                             void *sut, const void *args, void *buf)
{
    if (!c->result_size)
        return c->run(st, sut, args);
    memset(buf, 0, c->result_size);
    c->run_value(st, sut, args, buf);
    return (int64_t)(intptr_t)buf;
}

/* The largest result_size of m's commands (at least 1). */
static size_t max_result_size(const gf_state_machine *m)
{
    size_t n = 1;
    for (size_t i = 0; i < m->ncmds; i++)
        if (m->cmds[i].result_size > n)
            n = m->cmds[i].result_size;
    return n;
}

/* ---- explored (done set, model) pairs ------------------------------------------ */

/* An open-addressing set of (bit set of ops done, model state), for the
 * searches over interleavings: a pair met before leads where it led
 * before, so it is not explored twice. */
typedef struct memo {
    const gf_state_machine *m;
    size_t cap, count;
    uint64_t *masks, *hashes;
    bool *used;
    unsigned char *models;
} memo;

static void memo_init(memo *t, const gf_state_machine *m)
{
    memset(t, 0, sizeof *t);
    t->m = m;
}

static void memo_free(memo *t)
{
    free(t->masks);
    free(t->hashes);
    free(t->used);
    free(t->models);
}

static unsigned char *memo_model(const memo *t, size_t slot)
{
    return t->models + slot * t->m->model_size;
}

static void memo_place(memo *t, uint64_t mask, uint64_t h, const void *model)
{
    size_t slot = h & (t->cap - 1);
    while (t->used[slot])
        slot = (slot + 1) & (t->cap - 1);
    t->used[slot] = true;
    t->masks[slot] = mask;
    t->hashes[slot] = h;
    model_copy(t->m, memo_model(t, slot), model);
    t->count++;
}

static void memo_grow(memo *t)
{
    memo old = *t;
    size_t size = t->m->model_size;
    t->cap = old.cap ? 2 * old.cap : 256;
    t->count = 0;
    t->masks = xmalloc(t->cap * sizeof *t->masks);
    t->hashes = xmalloc(t->cap * sizeof *t->hashes);
    t->used = xmalloc(t->cap * sizeof *t->used);
    memset(t->used, 0, t->cap * sizeof *t->used);
    t->models = xmalloc(t->cap * (size ? size : 1));
    for (size_t i = 0; i < old.cap; i++)
        if (old.used[i])
            memo_place(t, old.masks[i], old.hashes[i], memo_model(&old, i));
    memo_free(&old);
}

/* Add the pair; false if it was there already. */
static bool memo_insert(memo *t, uint64_t mask, const void *model)
{
    uint64_t h = model_hash(t->m, model) ^ (mask * 0x9E3779B97F4A7C15ull);
    h ^= h >> 29;
    if (t->cap) {
        for (size_t slot = h & (t->cap - 1); t->used[slot];
             slot = (slot + 1) & (t->cap - 1))
            if (t->hashes[slot] == h && t->masks[slot] == mask &&
                model_equal(t->m, memo_model(t, slot), model))
                return false;
    }
    if (2 * (t->count + 1) > t->cap)
        memo_grow(t);
    memo_place(t, mask, h, model);
    return true;
}

/* ---- linearizability --------------------------------------------------------------- */

typedef struct lin {
    const gf_state_machine *m;
    const gf_state_op *ops;
    size_t n;
    uint64_t all;
    unsigned char *scratch; /* n + 1 models, one per depth */
    size_t *order;
    void *expected;         /* a buffer for a result_size result */
    memo seen;
} lin;

/* Can the ops not in `done` be ordered, from `model` (scratch[depth])? */
static bool lin_search(lin *L, uint64_t done, size_t depth)
{
    if (done == L->all)
        return true;
    size_t size = L->m->model_size;
    const void *model = L->scratch + depth * size;
    void *next = L->scratch + (depth + 1) * size;
    /* An op can go next only if it started before every op still to place
     * has returned: one that returned before it started must go first. */
    uint64_t first_ret = UINT64_MAX;
    for (size_t i = 0; i < L->n; i++)
        if (!(done >> i & 1) && L->ops[i].ret < first_ret)
            first_ret = L->ops[i].ret;
    for (size_t i = 0; i < L->n; i++) {
        const gf_state_op *op = &L->ops[i];
        if ((done >> i & 1) || op->call > first_ret)
            continue;
        const gf_state_cmd *c = &L->m->cmds[op->cmd];
        if (c->pre && !c->pre(model, op->args))
            continue;
        model_copy(L->m, next, model);
        int64_t expected = model_result(c, next, op->args, op->var,
                                        L->expected);
        if (!result_ok(c, op->args, expected, op->result))
            continue;
        uint64_t now = done | (uint64_t)1 << i;
        if (!memo_insert(&L->seen, now, next))
            continue;
        L->order[depth] = i;
        if (lin_search(L, now, depth + 1))
            return true;
    }
    return false;
}

int gf_state_linearizable(const gf_state_machine *m, const void *model,
                          const gf_state_op *ops, size_t n, size_t *order)
{
    if (!m || !m->cmds || n > GF_STATE_MAX_OPS || (n && !ops))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (ops[i].cmd >= m->ncmds)
            return -1;
    lin L = {.m = m, .ops = ops, .n = n};
    L.all = n == 64 ? UINT64_MAX : ((uint64_t)1 << n) - 1;
    size_t size = m->model_size ? m->model_size : 1;
    L.scratch = xmalloc((n + 1) * size);
    L.order = xmalloc((n ? n : 1) * sizeof *L.order);
    L.expected = xmalloc(max_result_size(m));
    memo_init(&L.seen, m);
    model_copy(m, L.scratch, model);
    bool ok = lin_search(&L, 0, 0);
    if (ok && order)
        memcpy(order, L.order, n * sizeof *order);
    memo_free(&L.seen);
    free(L.scratch);
    free(L.order);
    free(L.expected);
    return ok;
}

/* ---- printing ------------------------------------------------------------------------ */

static void print_result(gf_printer *p, const gf_state_cmd *c, int64_t v)
{
    if (c->result_size) {
        const unsigned char *b = (const unsigned char *)(intptr_t)v;
        if (c->print_value) {
            c->print_value(p, b);
            return;
        }
        gf_print(p, "{");
        for (size_t i = 0; i < c->result_size; i++)
            gf_print(p, "%s0x%02x", i ? ", " : "", b[i]);
        gf_print(p, "}");
    } else if (c->print_result)
        c->print_result(p, v);
    else
        gf_print(p, "%lld", (long long)v);
}

/* The text of a call, "v0 = kv_open(sut)" for one that makes a handle. */
static char *call_text(const gf_state_cmd *c, const void *args,
                       gf_state_var var)
{
    gf_printer p;
    printer_init(&p);
    if (var != GF_STATE_NO_VAR)
        gf_print(&p, "v%u = ", var);
    c->print(&p, args);
    return printer_take(&p);
}

static char *result_text(const gf_state_cmd *c, int64_t v)
{
    gf_printer p;
    printer_init(&p);
    gf_print(&p, "-> ");
    print_result(&p, c, v);
    return printer_take(&p);
}

static size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void pad_to(gf_printer *p, size_t have, size_t want)
{
    for (; have < want; have++)
        gf_print(p, " ");
}

typedef struct event {
    uint64_t time;
    size_t op;
    bool call;
} event;

static int event_order(const void *a, const void *b)
{
    const event *x = a, *y = b;
    return x->time < y->time ? -1 : x->time > y->time;
}

/* Print one row of the timeline into p: cells[c] for each column, empty
 * cells left blank, the row trimmed at its right. */
static void timeline_row(gf_printer *p, char **cells, const size_t *width,
                         size_t ncols)
{
    size_t last = ncols;
    while (last > 0 && !cells[last - 1])
        last--;
    gf_print(p, "  ");
    for (size_t c = 0; c < last; c++) {
        const char *s = cells[c] ? cells[c] : "";
        gf_print(p, "%s", s);
        if (c + 1 < last)
            pad_to(p, text_width(s), width[c] + 3);
    }
    gf_print(p, "\n");
}

/* What is wrong with a history given to gf_state_timeline, or NULL. */
static char *timeline_misuse(const gf_state_machine *m, const gf_state_op *ops,
                             size_t n)
{
    static const char fn[] = "gf_state_timeline";
    if (!m)
        return xasprintf("%s: the machine is NULL", fn);
    const char *name = m->name ? m->name : "(unnamed)";
    if (n && !m->cmds)
        return xasprintf("%s: machine %s has no commands", fn, name);
    if (n && !ops)
        return xasprintf("%s: ops is NULL but n is %zu", fn, n);
    for (size_t i = 0; i < n; i++) {
        if (ops[i].cmd >= m->ncmds)
            return xasprintf("%s: op %zu names command %zu; machine %s has "
                             "%zu", fn, i, ops[i].cmd, name, m->ncmds);
        if (!m->cmds[ops[i].cmd].print)
            return xasprintf("%s: op %zu: command %zu of machine %s has no "
                             "print", fn, i, ops[i].cmd, name);
    }
    return NULL;
}

char *gf_state_timeline(const gf_state_machine *m, const gf_state_op *ops,
                        size_t n)
{
    char *bad = timeline_misuse(m, ops, n);
    if (bad)
        return bad;
    gf_printer p;
    printer_init(&p);
    /* Columns: the distinct threads, in increasing order. */
    unsigned *threads = xmalloc((n ? n : 1) * sizeof *threads);
    size_t ncols = 0;
    for (size_t i = 0; i < n; i++) {
        size_t at = 0;
        while (at < ncols && threads[at] < ops[i].thread)
            at++;
        if (at < ncols && threads[at] == ops[i].thread)
            continue;
        memmove(threads + at + 1, threads + at, (ncols - at) * sizeof *threads);
        threads[at] = ops[i].thread;
        ncols++;
    }
    size_t *col = xmalloc((n ? n : 1) * sizeof *col);
    char **calls = xmalloc((n ? n : 1) * sizeof *calls);
    char **rets = xmalloc((n ? n : 1) * sizeof *rets);
    size_t *width = xmalloc((ncols ? ncols : 1) * sizeof *width);
    char **heads = xmalloc((ncols ? ncols : 1) * sizeof *heads);
    for (size_t c = 0; c < ncols; c++) {
        heads[c] = xasprintf("thread %u", threads[c]);
        width[c] = text_width(heads[c]);
    }
    event *ev = xmalloc((n ? 2 * n : 1) * sizeof *ev);
    for (size_t i = 0; i < n; i++) {
        const gf_state_cmd *c = &m->cmds[ops[i].cmd];
        col[i] = 0;
        while (threads[col[i]] != ops[i].thread)
            col[i]++;
        calls[i] = call_text(c, ops[i].args, ops[i].var);
        rets[i] = result_text(c, ops[i].result);
        if (text_width(calls[i]) > width[col[i]])
            width[col[i]] = text_width(calls[i]);
        if (text_width(rets[i]) > width[col[i]])
            width[col[i]] = text_width(rets[i]);
        ev[2 * i] = (event){.time = ops[i].call, .op = i, .call = true};
        ev[2 * i + 1] = (event){.time = ops[i].ret, .op = i, .call = false};
    }
    qsort(ev, 2 * n, sizeof *ev, event_order);
    timeline_row(&p, heads, width, ncols);
    /* running[c]: the op in flight on column c, or SIZE_MAX. */
    size_t *running = xmalloc((ncols ? ncols : 1) * sizeof *running);
    char **cells = xmalloc((ncols ? ncols : 1) * sizeof *cells);
    for (size_t c = 0; c < ncols; c++)
        running[c] = SIZE_MAX;
    for (size_t e = 0; e < 2 * n; e++) {
        size_t i = ev[e].op;
        for (size_t c = 0; c < ncols; c++)
            cells[c] = running[c] != SIZE_MAX ? "|" : NULL;
        cells[col[i]] = ev[e].call ? calls[i] : rets[i];
        running[col[i]] = ev[e].call ? i : SIZE_MAX;
        timeline_row(&p, cells, width, ncols);
    }
    for (size_t i = 0; i < n; i++) {
        free(calls[i]);
        free(rets[i]);
    }
    for (size_t c = 0; c < ncols; c++)
        free(heads[c]);
    free(threads);
    free(col);
    free(calls);
    free(rets);
    free(width);
    free(heads);
    free(ev);
    free(running);
    free(cells);
    return printer_take(&p);
}

/* One line of a program: `int v0 = kv_open(sut);`, `kv_put(sut, v0, 1);` */
static void print_step(gf_printer *p, const gf_state *st, const step *s)
{
    const gf_state_cmd *c = &st->m->cmds[s->cmd];
    if (s->var != GF_STATE_NO_VAR)
        gf_print(p, "%s v%u = ", c->result_type, s->var);
    c->print(p, s->args);
    gf_print(p, ";");
}

/* Drop a message's last newline: the report adds its own. */
static void trim_newline(gf_printer *p)
{
    if (p->len && p->buf[p->len - 1] == '\n')
        p->buf[--p->len] = '\0';
}

static void print_line(gf_printer *p, const char *indent, const char *text)
{
    if (text)
        gf_print(p, "%s%s\n", indent, text);
}

/* ---- drawing a program ------------------------------------------------------------- */

/* A command's weight; 0 means 1. */
static uint64_t cmd_weight(const gf_state_cmd *c)
{
    return c->weight ? c->weight : 1;
}

static void state_init(gf_state *st, gf_case *tc, const gf_state_machine *m,
                       size_t cap)
{
    memset(st, 0, sizeof *st);
    st->tc = tc;
    st->m = m;
    st->cap = cap;
    st->steps = gf_alloc(tc, (cap ? cap : 1) * sizeof *st->steps);
    st->var_kind = gf_alloc(tc, (cap ? cap : 1) * sizeof *st->var_kind);
    st->var_branch = gf_alloc(tc, (cap ? cap : 1) * sizeof *st->var_branch);
    st->labels = gf_alloc(tc, m->ncmds * sizeof *st->labels);
    st->scratch = gf_alloc(tc, max_result_size(m));
    uint64_t machine = gf_span_label(m->name ? m->name : "gf_state");
    for (size_t i = 0; i < m->ncmds; i++) {
        st->labels[i] = gf_span_label(m->cmds[i].name) ^ machine;
        st->total_weight += cmd_weight(&m->cmds[i]);
    }
}

gf_case *gf_state_case(const gf_state *st)
{
    return st->tc;
}

/* Can a step drawn now use variable v of `kind`? */
static bool var_usable(const gf_state *st, size_t v, unsigned kind)
{
    const gf_state_machine *m = st->m;
    return st->var_kind[v] == kind &&
           (st->var_branch[v] == 0 || st->var_branch[v] == st->branch) &&
           (!m->handle_live || !st->draw_model ||
            m->handle_live(st->draw_model, (gf_state_var)v));
}

gf_state_var gf_state_draw_var(gf_state *st, unsigned kind)
{
    size_t n = 0;
    for (size_t v = 0; v < st->nvars; v++)
        n += var_usable(st, v, kind);
    if (n == 0) {
        st->invalid = true;
        return GF_STATE_NO_VAR;
    }
    uint64_t pick = gf_draw_uint(st->tc, 0, n - 1);
    for (size_t v = 0; v < st->nvars; v++)
        if (var_usable(st, v, kind) && pick-- == 0)
            return (gf_state_var)v;
    return GF_STATE_NO_VAR; /* not reached */
}

int64_t gf_state_value(const gf_state *st, gf_state_var var)
{
    return var < st->nvars ? st->values[var] : 0;
}

/* The command of a step, by weight.  One "skip it?" boolean per command
 * with the probability that keeps the weights exact, as gf_frequency
 * does: an index drawn as an integer would lean toward the first and last
 * commands, where the engine's edge bias puts it.  Taking one (false) is
 * simplest, so steps shrink toward the first command. */
static size_t draw_cmd(gf_state *st)
{
    const gf_state_machine *m = st->m;
    uint64_t rest = st->total_weight;
    for (size_t i = 0; i + 1 < m->ncmds; i++) {
        uint64_t w = cmd_weight(&m->cmds[i]);
        if (!gf_draw_weighted(st->tc, (double)(rest - w) / (double)rest))
            return i;
        rest -= w;
    }
    return m->ncmds - 1;
}

/* Decides whether a drawn candidate step (the last of st->steps) is valid. */
typedef bool (*valid_fn)(gf_state *st, const void *model, void *env);

/* Draw one valid step from `model` (not advanced) into st->steps; rejects
 * the case after MAX_ATTEMPTS invalid ones.  Each attempt is a span, an
 * invalid one marked discarded; the arguments are a span labelled by the
 * command. */
static step *draw_step(gf_state *st, const void *model, valid_fn valid,
                       void *env)
{
    gf_case *tc = st->tc;
    const gf_state_machine *m = st->m;
    for (unsigned attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        gf_span_begin(tc, gf_span_label("gf_state step"));
        size_t i = draw_cmd(st);
        const gf_state_cmd *c = &m->cmds[i];
        step *s = &st->steps[st->nsteps];
        s->cmd = i;
        s->args = gf_alloc(tc, c->args_size);
        memset(s->args, 0, c->args_size);
        /* The variable it would bind, so that checks of the candidate see
         * the model it would make. */
        s->var = c->result_type ? (gf_state_var)st->nvars : GF_STATE_NO_VAR;
        st->invalid = false;
        gf_span_begin(tc, st->labels[i]);
        st->draw_model = model;
        if (c->draw)
            c->draw(st, model, s->args);
        st->draw_model = NULL;
        gf_span_end(tc, false);
        bool ok = !st->invalid && (!c->pre || c->pre(model, s->args));
        if (ok && valid)
            ok = valid(st, model, env);
        gf_span_end(tc, !ok);
        if (ok) {
            if (c->result_type) {
                st->var_kind[st->nvars] = c->handle_kind;
                st->var_branch[st->nvars] = st->branch;
                st->nvars++;
            }
            st->nsteps++;
            return s;
        }
    }
    gf_discard(tc);
}

/* Advance model over step s (drawn from it); a result_size result goes
 * to buf (NULL: the state's scratch buffer, for a result not kept). */
static int64_t advance(const gf_state *st, void *model, const step *s,
                       void *buf)
{
    return model_result(&st->m->cmds[s->cmd], model, s->args, s->var,
                        buf ? buf : st->scratch);
}

/* Draw a sequential run of up to max steps, advancing model. */
static void draw_sequence(gf_state *st, void *model, size_t max, valid_fn valid,
                          void *env)
{
    gf_many many;
    gf_many_init(st->tc, &many, 0, max);
    while (gf_many_more(st->tc, &many)) {
        step *s = draw_step(st, model, valid, env);
        advance(st, model, s, NULL);
    }
}

/* ---- running one program sequentially ------------------------------------------ */

static void *sut_new(const gf_state_machine *m)
{
    return m->sut_new ? m->sut_new(m->env) : NULL;
}

static void sut_free(const gf_state_machine *m, void *sut)
{
    if (m->sut_free)
        m->sut_free(sut, m->env);
}

/* Where a program went wrong, for its printout. */
typedef struct fault {
    size_t step;         /* the step, or SIZE_MAX */
    int64_t expected, actual;
    const char *invariant; /* an invariant that failed after the step */
} fault;

/* Print the steps [from, to) of st as C lines, marking the fault. */
static void print_steps(gf_printer *p, const gf_state *st, size_t from,
                        size_t to, const fault *f, const char *indent)
{
    for (size_t i = from; i < to; i++) {
        const step *s = &st->steps[i];
        const gf_state_cmd *c = &st->m->cmds[s->cmd];
        gf_print(p, "%s", indent);
        print_step(p, st, s);
        if (f && f->step == i && !f->invariant) {
            gf_print(p, " // returned ");
            print_result(p, c, f->actual);
            gf_print(p, "; the model expects ");
            print_result(p, c, f->expected);
        }
        gf_print(p, "\n");
        if (f && f->step == i && f->invariant)
            gf_print(p, "%s// invariant \"%s\" does not hold here\n", indent,
                     f->invariant);
    }
}

/* Fail the case at a fault of a sequential program (or of the prefix of a
 * parallel one: steps past it are not printed). */
static GF_NORETURN void fail_sequential(gf_state *st, const fault *f)
{
    const gf_state_machine *m = st->m;
    const step *s = &st->steps[f->step];
    const gf_state_cmd *c = &m->cmds[s->cmd];
    const char *name = m->name ? m->name : "state machine";
    gf_printer p;
    printer_init(&p);
    char *origin;
    if (f->invariant) {
        origin = xasprintf("%s: invariant %s", name, f->invariant);
        gf_print(&p, "invariant \"%s\" does not hold after step %zu (",
                 f->invariant, f->step + 1);
        c->print(&p, s->args);
        gf_print(&p, ")");
    } else {
        origin = xasprintf("%s: postcondition of %s", name, c->name);
        c->print(&p, s->args);
        gf_print(&p, " returned ");
        print_result(&p, c, f->actual);
        gf_print(&p, "; the model expects ");
        print_result(&p, c, f->expected);
    }
    gf_print(&p, "\nprogram:\n");
    print_line(&p, "  ", m->setup);
    print_steps(&p, st, 0, f->step + 1, f, "  ");
    print_line(&p, "  ", m->teardown);
    trim_newline(&p);
    case_set_failure(st->tc, origin, printer_take(&p));
    case_escape(st->tc);
}

/*
 * In the replay that collects a report, the program about to run on the
 * system is a note: should the system crash, hang or end the process while
 * running it, the report still shows the program (a child process
 * publishes notes as they are made).  The note is withdrawn once the run
 * ends, since a failure's message prints the program itself.
 */
#define PROGRAM_NOTE "program running on the system when the case ended:\n"

static note_mark note_sequential_program(gf_state *st)
{
    note_mark mark = case_note_mark(st->tc);
    if (!st->tc->collect)
        return mark;
    gf_printer p;
    printer_init(&p);
    gf_print(&p, PROGRAM_NOTE);
    print_line(&p, "  ", st->m->setup);
    print_steps(&p, st, 0, st->nsteps, NULL, "  ");
    print_line(&p, "  ", st->m->teardown);
    trim_newline(&p);
    char *text = printer_take(&p);
    gf_note(st->tc, "%s", text);
    free(text);
    return mark;
}

/* Run steps [from, to) on sut, advancing model; fill *f and return false at
 * the first wrong result or broken invariant. */
static bool run_steps(gf_state *st, void *model, void *sut, size_t from,
                      size_t to, fault *f)
{
    const gf_state_machine *m = st->m;
    for (size_t i = from; i < to; i++) {
        const step *s = &st->steps[i];
        const gf_state_cmd *c = &m->cmds[s->cmd];
        /* Values the fault may print live in the case's arena. */
        void *want = c->result_size ? gf_alloc(st->tc, c->result_size) : NULL;
        void *got = c->result_size ? gf_alloc(st->tc, c->result_size) : NULL;
        int64_t expected = advance(st, model, s, want);
        int64_t actual = system_result(c, st, sut, s->args, got);
        if (s->var != GF_STATE_NO_VAR)
            st->values[s->var] = actual;
        *f = (fault){.step = i, .expected = expected, .actual = actual};
        if (!result_ok(c, s->args, expected, actual))
            return false;
        for (size_t k = 0; k < m->ninvariants; k++)
            if (!m->invariants[k].holds(model, sut)) {
                f->invariant = m->invariants[k].name ? m->invariants[k].name
                                                     : "(unnamed)";
                return false;
            }
    }
    return true;
}

void gf_state_run_with(gf_case *tc, const gf_state_machine *m,
                       const gf_state_options *opt)
{
    check_machine(tc, "gf_state_run", m);
    size_t max = opt && opt->max_steps ? opt->max_steps : DEFAULT_STEPS;
    if (max > GF_STATE_MAX_STEPS)
        misuse(tc, "gf_state_run: max_steps is %zu, more than "
               "GF_STATE_MAX_STEPS (%d)", max, GF_STATE_MAX_STEPS);
    gf_state st;
    state_init(&st, tc, m, max);

    /* The program, checked against the model alone.  Its draws are not
     * values of their own in the report: the program is printed instead. */
    void *model = model_new(tc, m);
    tc->gen_depth++;
    draw_sequence(&st, model, max, NULL, NULL);
    tc->gen_depth--;

    /* Then on the system, from a fresh model. */
    st.values = gf_alloc(tc, (st.nvars ? st.nvars : 1) * sizeof *st.values);
    model = model_new(tc, m);
    note_mark mark = note_sequential_program(&st);
    void *sut = sut_new(m);
    fault f;
    bool ok = run_steps(&st, model, sut, 0, st.nsteps, &f);
    sut_free(m, sut);
    case_note_rewind(tc, mark);
    if (!ok)
        fail_sequential(&st, &f);
}

void gf_state_run(gf_case *tc, const gf_state_machine *m, size_t max_steps)
{
    gf_state_options opt = {.max_steps = max_steps};
    gf_state_run_with(tc, m, &opt);
}

/* ---- parallel programs ---------------------------------------------------------------- */

typedef struct parallel {
    gf_state *st;
    size_t prefix;              /* steps [0, prefix) */
    unsigned nbranches;
    size_t start[GF_STATE_MAX_BRANCHES + 1]; /* branch b: [start[b], start[b+1]) */
    const void *after_prefix;   /* the model after the prefix */
    unsigned char *scratch;     /* models for the interleaving search */
    memo seen;
} parallel;

/* Does every interleaving of the branches drawn so far (steps from
 * prefix to st->nsteps, the last one a candidate) keep every precondition
 * true, from scratch[depth]? */
static bool all_orders_valid(parallel *P, uint64_t done, size_t depth)
{
    gf_state *st = P->st;
    const gf_state_machine *m = st->m;
    size_t size = m->model_size;
    const void *model = P->scratch + depth * size;
    void *next = P->scratch + (depth + 1) * size;
    for (unsigned b = 0; b < P->nbranches; b++) {
        size_t end = b + 1 < P->nbranches ? P->start[b + 1] : st->nsteps + 1;
        if (P->start[b] > st->nsteps)
            continue; /* not drawn yet */
        if (end > st->nsteps + 1)
            end = st->nsteps + 1;
        size_t i = P->start[b];
        while (i < end && (done >> (i - P->prefix) & 1))
            i++;
        if (i == end)
            continue;
        const step *s = &st->steps[i];
        const gf_state_cmd *c = &m->cmds[s->cmd];
        if (c->pre && !c->pre(model, s->args))
            return false;
        model_copy(m, next, model);
        advance(st, next, s, NULL);
        uint64_t now = done | (uint64_t)1 << (i - P->prefix);
        if (memo_insert(&P->seen, now, next) &&
            !all_orders_valid(P, now, depth + 1))
            return false;
    }
    return true;
}

/* The memo lives only inside this call: nothing malloc'd is held across
 * a draw, which may end the case. */
static bool candidate_valid(gf_state *st, const void *model, void *env)
{
    (void)st;
    (void)model;
    parallel *P = env;
    memo_init(&P->seen, P->st->m);
    model_copy(P->st->m, P->scratch, P->after_prefix);
    bool ok = all_orders_valid(P, 0, 0);
    memo_free(&P->seen);
    return ok;
}

/* Draw the prefix, then each branch from the model after the prefix.  The
 * steps array holds the branches one after another; start[b] of a branch
 * not drawn yet is SIZE_MAX. */
static void draw_parallel(parallel *P, size_t prefix_max, size_t branch_steps)
{
    gf_state *st = P->st;
    gf_case *tc = st->tc;
    const gf_state_machine *m = st->m;
    void *model = model_new(tc, m);
    draw_sequence(st, model, prefix_max, NULL, NULL);
    P->prefix = st->nsteps;
    P->after_prefix = gf_memdup(tc, model, m->model_size);
    size_t size = m->model_size ? m->model_size : 1;
    P->scratch = gf_alloc(tc, (GF_STATE_MAX_OPS + 2) * size);
    for (unsigned b = 0; b < P->nbranches; b++)
        P->start[b] = SIZE_MAX;
    void *branch_model = gf_alloc(tc, size);
    for (unsigned b = 0; b < P->nbranches; b++) {
        P->start[b] = st->nsteps;
        st->branch = b + 1;
        model_copy(m, branch_model, P->after_prefix);
        draw_sequence(st, branch_model, branch_steps, candidate_valid, P);
    }
    P->start[P->nbranches] = st->nsteps;
}

/* ---- real threads ------------------------------------------------------------------------ */

typedef struct branch_run {
    gf_state *st;
    unsigned delay;            /* nanoseconds after the start */
    void *sut;
    size_t from, to;           /* its steps */
    gf_state_op *ops;          /* one per step, indexed from `from` */
    _Atomic uint64_t *clock;
    _Atomic unsigned *arrived;
    _Atomic uint64_t *start;   /* the start time, once all arrived */
    unsigned nthreads;
} branch_run;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Start every branch thread at one moment on the clock, plus its delay.
 * Releasing threads by a flag would start the thread that sets it first,
 * always ahead of the others by the time the flag takes to reach their
 * cores; calls are short, so that head start alone can keep them from
 * ever overlapping.  The last thread to arrive sets a start time a little
 * ahead; all spin on the clock until then (yielding while they wait for
 * the others, so that more threads than cores still get there).
 */
static void start_together(branch_run *br)
{
    if (atomic_fetch_add(br->arrived, 1) + 1 == br->nthreads)
        atomic_store(br->start, now_ns() + START_LEAD_NS);
    uint64_t at;
    for (unsigned spins = 0; (at = atomic_load(br->start)) == 0; spins++)
        if ((spins & 1023) == 1023)
            sched_yield();
    at += br->delay;
    while (now_ns() < at)
        continue;
}

static void *branch_main(void *arg)
{
    branch_run *br = arg;
    const gf_state_machine *m = br->st->m;
    case_thread_helps(br->st->tc);
    start_together(br);
    for (size_t i = br->from; i < br->to; i++) {
        const step *s = &br->st->steps[i];
        gf_state_op *op = &br->ops[i - br->from];
        op->call = atomic_fetch_add(br->clock, 1);
        /* A result_size result goes to the buffer op->result holds. */
        op->result = system_result(&m->cmds[s->cmd], br->st, br->sut,
                                   s->args,
                                   (void *)(intptr_t)op->result);
        op->ret = atomic_fetch_add(br->clock, 1);
        if (s->var != GF_STATE_NO_VAR)
            br->st->values[s->var] = op->result;
    }
    return NULL;
}

/*
 * How long branch b of run `run` waits after the common start, in
 * nanoseconds.  Threads started together still make their first calls
 * apart by however long each took to get going, in about the same order
 * every time; calls are short, so a race between two of them needs that
 * offset to vary.  Half the runs start at once; in the others a branch
 * may wait up to START_SPREAD_NS, a different amount each run (a hash of
 * the run number, not a PRNG: nothing here is drawn from the case, which
 * stays replayable apart from the timing itself).
 */
static unsigned start_delay(unsigned run, unsigned b)
{
    uint64_t x = ((uint64_t)run << 8 | b) * 0x9E3779B97F4A7C15ull;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 29;
    if ((run & 1) == 0 || (x & 1) != 0)
        return 0;
    return (unsigned)(x >> 40) % START_SPREAD_NS;
}

/* Run the branches at once on sut; fills ops (one per branch step, in step
 * order).  False if a thread could not be started. */
static bool run_branches(parallel *P, void *sut, gf_state_op *ops,
                         void *const *bufs, unsigned run)
{
    gf_state *st = P->st;
    branch_run br[GF_STATE_MAX_BRANCHES];
    pthread_t threads[GF_STATE_MAX_BRANCHES];
    _Atomic uint64_t clock = 0;
    _Atomic unsigned arrived = 0;
    _Atomic uint64_t start = 0;
    for (unsigned b = 0; b < P->nbranches; b++) {
        br[b] = (branch_run){.st = st, .sut = sut, .from = P->start[b],
                             .delay = start_delay(run, b),
                             .to = P->start[b + 1],
                             .ops = ops + (P->start[b] - P->prefix),
                             .clock = &clock, .arrived = &arrived, .start = &start,
                             .nthreads = P->nbranches};
        for (size_t i = br[b].from; i < br[b].to; i++) {
            const step *s = &st->steps[i];
            ops[i - P->prefix] = (gf_state_op){
                .cmd = s->cmd, .args = s->args, .var = s->var, .thread = b,
                .result = (int64_t)(intptr_t)bufs[i - P->prefix]};
        }
    }
    unsigned started = 0;
    for (; started < P->nbranches; started++)
        if (pthread_create(&threads[started], NULL, branch_main, &br[started]))
            break;
    if (started < P->nbranches) /* let the ones that started go */
        atomic_store(&start, now_ns());
    for (unsigned b = 0; b < started; b++)
        pthread_join(threads[b], NULL);
    return started == P->nbranches;
}

/* The lines of a parallel program: setup, prefix, each branch, teardown. */
static void print_parallel_program(gf_printer *p, const parallel *P)
{
    const gf_state *st = P->st;
    const gf_state_machine *m = st->m;
    print_line(p, "  ", m->setup);
    print_steps(p, st, 0, P->prefix, NULL, "  ");
    gf_print(p, "  // then at once, on %u threads:\n", P->nbranches);
    for (unsigned b = 0; b < P->nbranches; b++) {
        gf_print(p, "  // thread %u:\n", b);
        print_steps(p, st, P->start[b], P->start[b + 1], NULL, "  ");
    }
    print_line(p, "  ", m->teardown);
}

/* As note_sequential_program, for a parallel program. */
static note_mark note_parallel_program(const parallel *P)
{
    gf_case *tc = P->st->tc;
    note_mark mark = case_note_mark(tc);
    if (!tc->collect)
        return mark;
    gf_printer p;
    printer_init(&p);
    gf_print(&p, PROGRAM_NOTE);
    print_parallel_program(&p, P);
    trim_newline(&p);
    char *text = printer_take(&p);
    gf_note(tc, "%s", text);
    free(text);
    return mark;
}

static GF_NORETURN void fail_parallel(parallel *P, const gf_state_op *ops,
                                      size_t nops, unsigned run)
{
    gf_state *st = P->st;
    const gf_state_machine *m = st->m;
    gf_printer p;
    printer_init(&p);
    gf_print(&p, "no order of the parallel calls gives the results they "
             "returned (nondeterministic: ");
    if (run == 1)
        gf_print(&p, "the first run of this case failed)");
    else
        gf_print(&p, "run %u of this case failed, the %u before it passed)",
                 run, run - 1);
    gf_print(&p, "\nprogram:\n");
    print_parallel_program(&p, P);
    gf_print(&p, "history, in the order calls started (->) and returned:\n");
    char *timeline = gf_state_timeline(m, ops, nops);
    gf_print(&p, "%s", timeline);
    free(timeline);
    trim_newline(&p);
    const char *name = m->name ? m->name : "state machine";
    case_set_failure(st->tc, xasprintf("%s: not linearizable", name),
                     printer_take(&p));
    case_escape(st->tc);
}

void gf_state_run_parallel(gf_case *tc, const gf_state_machine *m,
                           const gf_state_options *opt)
{
    static const char fn[] = "gf_state_run_parallel";
    check_machine(tc, fn, m);
    gf_state_options o = opt ? *opt : (gf_state_options){0};
    size_t prefix_max = o.max_steps ? o.max_steps : DEFAULT_PREFIX;
    unsigned nbranches = o.branches ? o.branches : DEFAULT_BRANCHES;
    size_t branch_steps = o.branch_steps ? o.branch_steps : DEFAULT_BRANCH_STEPS;
    unsigned runs = o.repeat ? o.repeat : DEFAULT_REPEAT;
    if (nbranches < 2 || nbranches > GF_STATE_MAX_BRANCHES)
        misuse(tc, "%s: branches is %u; it must be 2 to %d", fn, nbranches,
               GF_STATE_MAX_BRANCHES);
    if (branch_steps > GF_STATE_MAX_OPS / nbranches)
        misuse(tc, "%s: %u branches of %zu steps is more than "
               "GF_STATE_MAX_OPS (%d) steps in parallel", fn, nbranches,
               branch_steps, GF_STATE_MAX_OPS);
    if (prefix_max > GF_STATE_MAX_STEPS)
        misuse(tc, "%s: max_steps is %zu, more than GF_STATE_MAX_STEPS (%d)",
               fn, prefix_max, GF_STATE_MAX_STEPS);
    if (tc->collect && runs <= UINT32_MAX / REPORT_REPEAT_FACTOR)
        runs *= REPORT_REPEAT_FACTOR;

    gf_state st;
    state_init(&st, tc, m, prefix_max + nbranches * branch_steps);
    parallel P = {.st = &st, .nbranches = nbranches};
    tc->gen_depth++;
    draw_parallel(&P, prefix_max, branch_steps);
    tc->gen_depth--;

    size_t nops = st.nsteps - P.prefix;
    gf_state_op *ops = gf_alloc(tc, (nops ? nops : 1) * sizeof *ops);
    /* Each branch step's result_size buffer, made here: the branch
     * threads must not allocate from the case. */
    void **bufs = gf_alloc(tc, (nops ? nops : 1) * sizeof *bufs);
    for (size_t i = 0; i < nops; i++) {
        size_t size = m->cmds[st.steps[P.prefix + i].cmd].result_size;
        bufs[i] = size ? gf_alloc(tc, size) : NULL;
    }
    st.values = gf_alloc(tc, (st.nvars ? st.nvars : 1) * sizeof *st.values);
    void *model = gf_alloc(tc, m->model_size ? m->model_size : 1);
    note_mark mark = note_parallel_program(&P);
    for (unsigned run = 1; run <= runs; run++) {
        memset(model, 0, m->model_size);
        if (m->model_init)
            m->model_init(model, m->env);
        void *sut = sut_new(m);
        fault f;
        if (!run_steps(&st, model, sut, 0, P.prefix, &f)) {
            sut_free(m, sut);
            case_note_rewind(tc, mark);
            fail_sequential(&st, &f);
        }
        /* A timeout (SIGALRM, sent to this thread) must not end the case
         * while branch threads still use the system and this stack: it
         * waits until they are joined and the system is freed.  The branch
         * threads inherit the mask, so none of them takes it either. */
        sigset_t alarm, old;
        sigemptyset(&alarm);
        sigaddset(&alarm, SIGALRM);
        pthread_sigmask(SIG_BLOCK, &alarm, &old);
        bool started = run_branches(&P, sut, ops, bufs, run);
        sut_free(m, sut);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (!started)
            GF_FAIL(tc, "%s: could not start %u threads", fn, nbranches);
        if (gf_state_linearizable(m, model, ops, nops, NULL) == 0) {
            case_note_rewind(tc, mark);
            fail_parallel(&P, ops, nops, run);
        }
    }
    case_note_rewind(tc, mark);
}
