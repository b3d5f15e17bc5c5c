/*
 * test_state.c - stateful properties: programs drawn against a model,
 * shrunk step by step to the steps a bug needs, preconditions and handles
 * kept valid through shrinking, the program printed as C, the
 * linearizability checker on hand-written histories, and races found on
 * real threads.
 *
 * Each system under test here checks its own use: a call the model's
 * preconditions forbid (a pop on an empty stack, a closed handle) is
 * counted as a violation instead of crashing, and the tests require none.
 *
 * Tests that need two threads to really overlap are skipped under
 * valgrind, which runs one thread at a time so that a race shows up too
 * rarely to test for, and when the environment variable GF_TEST_NO_RACES
 * is set (for other machines that cannot run two threads at once).  The
 * checks of the parallel machinery that do not depend on timing still run.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include <gadfly/state.h>

#include "helpers.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define HAVE_VALGRIND_H 1
#endif
#endif

/* Why the tests that need threads to overlap are skipped, or NULL. */
static const char *races_skipped(void)
{
    if (getenv("GF_TEST_NO_RACES"))
        return "GF_TEST_NO_RACES is set";
    static const char valgrind[] = "running under valgrind, which runs one "
                                   "thread at a time";
#ifdef HAVE_VALGRIND_H
    if (RUNNING_ON_VALGRIND)
        return valgrind;
#endif
    /* Without the header: valgrind preloads its own libraries. */
    const char *preload = getenv("LD_PRELOAD");
    if (preload && strstr(preload, "vgpreload"))
        return valgrind;
    return NULL;
}

/* ==== a bug that needs three particular steps ============================== */

/* The system fires wrongly once arm_a then arm_b have been called, in that
 * order, however many other calls come between. */
typedef struct abc {
    bool a, ab;
    size_t calls;
} abc;

static size_t abc_longest_failure; /* calls made by the longest failing run */

typedef struct abc_model {
    bool a, ab;
} abc_model;

typedef struct tick_args {
    int v;
} tick_args;

static void tick_draw(gf_state *st, const void *m, void *a)
{
    (void)m;
    ((tick_args *)a)->v = (int)gf_draw_int(gf_state_case(st), 0, 9);
}

static int64_t tick_next(void *m, const void *a, gf_state_var self)
{
    (void)m;
    (void)self;
    return ((const tick_args *)a)->v;
}

static int64_t arm_a_next(void *mv, const void *a, gf_state_var self)
{
    (void)a;
    (void)self;
    ((abc_model *)mv)->a = true;
    return 0;
}

static int64_t arm_b_next(void *mv, const void *a, gf_state_var self)
{
    (void)a;
    (void)self;
    abc_model *m = mv;
    m->ab = m->ab || m->a;
    return 0;
}

static int64_t fire_next(void *m, const void *a, gf_state_var self)
{
    (void)m;
    (void)a;
    (void)self;
    return 0;
}

static int64_t tick_run(const gf_state *st, void *sut, const void *a)
{
    (void)st;
    ((abc *)sut)->calls++;
    return ((const tick_args *)a)->v;
}

static int64_t arm_a_run(const gf_state *st, void *sut, const void *a)
{
    (void)st;
    (void)a;
    abc *s = sut;
    s->calls++;
    s->a = true;
    return 0;
}

static int64_t arm_b_run(const gf_state *st, void *sut, const void *a)
{
    (void)st;
    (void)a;
    abc *s = sut;
    s->calls++;
    s->ab = s->ab || s->a;
    return 0;
}

static int64_t fire_run(const gf_state *st, void *sut, const void *a)
{
    (void)st;
    (void)a;
    abc *s = sut;
    s->calls++;
    if (!s->ab)
        return 0;
    if (s->calls > abc_longest_failure)
        abc_longest_failure = s->calls;
    return 1;
}

static void tick_print(gf_printer *p, const void *a)
{
    gf_print(p, "tick(sut, %d)", ((const tick_args *)a)->v);
}

static void arm_a_print(gf_printer *p, const void *a)
{
    (void)a;
    gf_print(p, "arm_a(sut)");
}

static void arm_b_print(gf_printer *p, const void *a)
{
    (void)a;
    gf_print(p, "arm_b(sut)");
}

static void fire_print(gf_printer *p, const void *a)
{
    (void)a;
    gf_print(p, "fire(sut)");
}

static void *abc_new(void *env)
{
    (void)env;
    return calloc(1, sizeof(abc));
}

static void abc_free(void *sut, void *env)
{
    (void)env;
    free(sut);
}

static const gf_state_cmd abc_cmds[] = {
    {.name = "tick", .args_size = sizeof(tick_args), .draw = tick_draw,
     .next = tick_next, .run = tick_run, .print = tick_print, .weight = 60},
    {.name = "arm_a", .next = arm_a_next, .run = arm_a_run,
     .print = arm_a_print},
    {.name = "arm_b", .next = arm_b_next, .run = arm_b_run,
     .print = arm_b_print},
    {.name = "fire", .next = fire_next, .run = fire_run, .print = fire_print},
};

static const gf_state_machine abc_machine = {
    .name = "abc",
    .cmds = abc_cmds,
    .ncmds = 4,
    .model_size = sizeof(abc_model),
    .sut_new = abc_new,
    .sut_free = abc_free,
    .setup = "struct abc *sut = abc_new();",
    .teardown = "abc_free(sut);",
};

static void prop_abc(gf_case *tc)
{
    gf_state_run(tc, &abc_machine, 50);
}

Test(state, shrinks_to_the_three_steps_the_bug_needs)
{
    size_t longest = 0;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        abc_longest_failure = 0;
        gf_result r;
        gf_status st = run_property("abc", prop_abc, seed, 1000, &r);
        cr_assert_eq(st, GF_FAILED, "seed %llu: the bug was missed",
                     (unsigned long long)seed);
        cr_expect_str_eq(r.origin, "abc: postcondition of fire");
        cr_expect_str_eq(r.message,
                         "fire(sut) returned 1; the model expects 0\n"
                         "program:\n"
                         "  struct abc *sut = abc_new();\n"
                         "  arm_a(sut);\n"
                         "  arm_b(sut);\n"
                         "  fire(sut); // returned 1; the model expects 0\n"
                         "  abc_free(sut);",
                         "seed %llu", (unsigned long long)seed);
        /* The failure was first met in a long program: ticks are drawn
         * sixty times as often as each of the other commands. */
        cr_expect_geq(abc_longest_failure, 20,
                      "seed %llu: longest failing program had %zu steps",
                      (unsigned long long)seed, abc_longest_failure);
        if (abc_longest_failure > longest)
            longest = abc_longest_failure;
        gf_result_free(&r);
    }
    cr_expect_geq(longest, 40, "no failing program had 40 steps");
}

/* ==== preconditions, and the system never sees an invalid program ======= */

/* A stack whose pop is wrong once it holds three items; pop needs an item
 * (a precondition), so deleting a push while shrinking makes later pops
 * invalid.  The stack counts pops it gets while empty. */
typedef struct stack {
    int items[64];
    int n;
} stack;

typedef struct stack_model {
    int items[64];
    int n;
} stack_model;

static unsigned long stack_violations, stack_systems;

typedef struct push_args {
    int v;
} push_args;

static void push_draw(gf_state *st, const void *m, void *a)
{
    (void)m;
    ((push_args *)a)->v = (int)gf_draw_int(gf_state_case(st), 0, 9);
}

static bool push_pre(const void *m, const void *a)
{
    (void)a;
    return ((const stack_model *)m)->n < 64;
}

static bool pop_pre(const void *m, const void *a)
{
    (void)a;
    return ((const stack_model *)m)->n > 0;
}

static int64_t push_next(void *mv, const void *a, gf_state_var self)
{
    (void)self;
    stack_model *m = mv;
    m->items[m->n++] = ((const push_args *)a)->v;
    return 0;
}

static int64_t pop_next(void *mv, const void *a, gf_state_var self)
{
    (void)a;
    (void)self;
    stack_model *m = mv;
    int v = m->items[--m->n];
    m->items[m->n] = 0;
    return v;
}

static int64_t push_run(const gf_state *st, void *sut, const void *a)
{
    (void)st;
    stack *s = sut;
    if (s->n == 64) {
        stack_violations++;
        return -1;
    }
    s->items[s->n++] = ((const push_args *)a)->v;
    return 0;
}

static int64_t pop_run(const gf_state *st, void *sut, const void *a)
{
    (void)st;
    (void)a;
    stack *s = sut;
    if (s->n == 0) {
        stack_violations++;
        return -1;
    }
    int v = s->items[--s->n];
    return s->n >= 2 ? v + 1 : v; /* the bug */
}

static void push_print(gf_printer *p, const void *a)
{
    gf_print(p, "push(sut, %d)", ((const push_args *)a)->v);
}

static void pop_print(gf_printer *p, const void *a)
{
    (void)a;
    gf_print(p, "pop(sut)");
}

static void *stack_new(void *env)
{
    (void)env;
    stack_systems++;
    return calloc(1, sizeof(stack));
}

static void stack_free(void *sut, void *env)
{
    (void)env;
    free(sut);
}

static const gf_state_cmd stack_cmds[] = {
    {.name = "push", .args_size = sizeof(push_args), .draw = push_draw,
     .pre = push_pre, .next = push_next, .run = push_run,
     .print = push_print},
    {.name = "pop", .pre = pop_pre, .next = pop_next, .run = pop_run,
     .print = pop_print},
};

static const gf_state_machine stack_machine = {
    .name = "stack",
    .cmds = stack_cmds,
    .ncmds = 2,
    .model_size = sizeof(stack_model),
    .sut_new = stack_new,
    .sut_free = stack_free,
};

static void prop_stack(gf_case *tc)
{
    gf_state_run(tc, &stack_machine, 50);
}

Test(state, preconditions_hold_through_shrinking)
{
    stack_violations = 0;
    gf_result r;
    gf_status st = run_property("stack", prop_stack, 7, 300, &r);
    cr_assert_eq(st, GF_FAILED);
    cr_expect_gt(r.shrinks, 0, "nothing was shrunk");
    cr_expect_eq(stack_violations, 0,
                 "the stack got %lu calls its preconditions forbid",
                 stack_violations);
    cr_expect_str_eq(r.message,
                     "pop(sut) returned 1; the model expects 0\n"
                     "program:\n"
                     "  push(sut, 0);\n"
                     "  push(sut, 0);\n"
                     "  push(sut, 0);\n"
                     "  pop(sut); // returned 1; the model expects 0");
    gf_result_free(&r);
}

/* A machine whose only command can never run: every program but the empty
 * one is invalid, and is rejected before a system is made for it. */
static bool never(const void *m, const void *a)
{
    (void)m;
    (void)a;
    return false;
}

static const gf_state_cmd never_cmds[] = {
    {.name = "pop", .pre = never, .next = pop_next, .run = pop_run,
     .print = pop_print},
};

static const gf_state_machine never_machine = {
    .name = "never",
    .cmds = never_cmds,
    .ncmds = 1,
    .model_size = sizeof(stack_model),
    .sut_new = stack_new,
    .sut_free = stack_free,
};

static void prop_never(gf_case *tc)
{
    gf_state_run(tc, &never_machine, 10);
}

Test(state, invalid_programs_never_reach_the_system)
{
    stack_violations = 0;
    stack_systems = 0;
    gf_result r;
    run_property("never", prop_never, 3, 100, &r);
    cr_expect_geq(r.discarded, 1, "no program was rejected");
    /* Only the empty program is valid: a system for each time it ran (a
     * rerun of it counts as a duplicate), and pop never ran. */
    cr_expect_leq(stack_systems, r.passed + r.duplicates,
                  "%lu systems for %llu valid runs", stack_systems,
                  (unsigned long long)(r.passed + r.duplicates));
    cr_expect_eq(stack_violations, 0, "pop ran %lu times", stack_violations);
    gf_result_free(&r);
}

/* ==== handles ================================================================= */

/* Resources opened by handle: ids start at 100, so a program that used a
 * variable's number as the id would be caught.  res_use counts uses; the
 * second resource opened counts one too many.  Bad ids are counted. */
#define RES_MAX 32

typedef struct res {
    bool open[RES_MAX];
    int uses[RES_MAX];
    int opened;
} res;

typedef struct res_model {
    unsigned char open[RES_MAX]; /* per variable: 0 never, 1 open, 2 closed */
    int uses[RES_MAX];
} res_model;

static unsigned long res_violations;

enum { RESOURCE = 7 };

typedef struct res_args {
    gf_state_var h;
} res_args;

static void res_draw(gf_state *st, const void *m, void *a)
{
    (void)m;
    ((res_args *)a)->h = gf_state_draw_var(st, RESOURCE);
}

static bool res_pre(const void *m, const void *a)
{
    gf_state_var h = ((const res_args *)a)->h;
    return h < RES_MAX && ((const res_model *)m)->open[h] == 1;
}

static bool open_pre(const void *m, const void *a)
{
    (void)m;
    (void)a;
    return true;
}

static int64_t open_next(void *mv, const void *a, gf_state_var self)
{
    (void)a;
    res_model *m = mv;
    if (self < RES_MAX)
        m->open[self] = 1;
    return 0;
}

static int64_t use_next(void *mv, const void *a, gf_state_var self)
{
    (void)self;
    res_model *m = mv;
    return ++m->uses[((const res_args *)a)->h];
}

static int64_t close_next(void *mv, const void *a, gf_state_var self)
{
    (void)self;
    ((res_model *)mv)->open[((const res_args *)a)->h] = 2;
    return 0;
}

/* The id of a handle, or -1 (a violation) if it is not an open one. */
static int res_id(const gf_state *st, res *r, const void *a)
{
    int64_t v = gf_state_value(st, ((const res_args *)a)->h);
    if (v < 100 || v >= 100 + RES_MAX || !r->open[v - 100]) {
        res_violations++;
        return -1;
    }
    return (int)(v - 100);
}

static int64_t open_run(const gf_state *st, void *sut, const void *a)
{
    (void)st;
    (void)a;
    res *r = sut;
    if (r->opened == RES_MAX)
        return -1;
    r->open[r->opened] = true;
    return 100 + r->opened++;
}

static int64_t use_run(const gf_state *st, void *sut, const void *a)
{
    res *r = sut;
    int id = res_id(st, r, a);
    if (id < 0)
        return -1;
    return ++r->uses[id] + (id == 1); /* the bug */
}

static int64_t close_run(const gf_state *st, void *sut, const void *a)
{
    res *r = sut;
    int id = res_id(st, r, a);
    if (id >= 0)
        r->open[id] = false;
    return 0;
}

static void open_print(gf_printer *p, const void *a)
{
    (void)a;
    gf_print(p, "res_open(sut)");
}

static void use_print(gf_printer *p, const void *a)
{
    gf_print(p, "res_use(sut, v%u)", ((const res_args *)a)->h);
}

static void close_print(gf_printer *p, const void *a)
{
    gf_print(p, "res_close(sut, v%u)", ((const res_args *)a)->h);
}

static void *res_new(void *env)
{
    (void)env;
    return calloc(1, sizeof(res));
}

static void res_free(void *sut, void *env)
{
    (void)env;
    free(sut);
}

static const gf_state_cmd res_cmds[] = {
    {.name = "res_open", .pre = open_pre, .next = open_next, .run = open_run,
     .print = open_print, .result_type = "int", .handle_kind = RESOURCE},
    {.name = "res_use", .args_size = sizeof(res_args), .draw = res_draw,
     .pre = res_pre, .next = use_next, .run = use_run, .print = use_print,
     .weight = 2},
    {.name = "res_close", .args_size = sizeof(res_args), .draw = res_draw,
     .pre = res_pre, .next = close_next, .run = close_run,
     .print = close_print},
};

static const gf_state_machine res_machine = {
    .name = "res",
    .cmds = res_cmds,
    .ncmds = 3,
    .model_size = sizeof(res_model),
    .sut_new = res_new,
    .sut_free = res_free,
    .setup = "struct res *sut = res_new();",
    .teardown = "res_free(sut);",
};

static void prop_res(gf_case *tc)
{
    gf_state_run(tc, &res_machine, 30);
}

Test(state, handles_survive_shrinking)
{
    for (uint64_t seed = 1; seed <= 5; seed++) {
        res_violations = 0;
        gf_result r;
        gf_status st = run_property("res", prop_res, seed, 300, &r);
        cr_assert_eq(st, GF_FAILED, "seed %llu", (unsigned long long)seed);
        cr_expect_eq(res_violations, 0,
                     "seed %llu: %lu calls on a handle that was not open",
                     (unsigned long long)seed, res_violations);
        cr_expect_str_eq(r.message,
                         "res_use(sut, v1) returned 2; the model expects 1\n"
                         "program:\n"
                         "  struct res *sut = res_new();\n"
                         "  int v0 = res_open(sut);\n"
                         "  int v1 = res_open(sut);\n"
                         "  res_use(sut, v1); // returned 2; the model "
                         "expects 1\n"
                         "  res_free(sut);",
                         "seed %llu", (unsigned long long)seed);
        gf_result_free(&r);
    }
}

/* gf_state_draw_var with no handle of the kind makes the step invalid: a
 * machine that makes handles of one kind and uses handles of another never
 * runs a use. */
static unsigned long kind_uses;

static int64_t kind_use_run(const gf_state *st, void *sut, const void *a)
{
    (void)st;
    (void)sut;
    (void)a;
    kind_uses++;
    return 0;
}

static int64_t zero_next(void *m, const void *a, gf_state_var self)
{
    (void)m;
    (void)a;
    (void)self;
    return 0;
}

static int64_t zero_run(const gf_state *st, void *sut, const void *a)
{
    (void)st;
    (void)sut;
    (void)a;
    return 0;
}

static const gf_state_cmd kinds_cmds[] = {
    {.name = "res_use", .args_size = sizeof(res_args), .draw = res_draw,
     .next = zero_next, .run = kind_use_run, .print = use_print},
    {.name = "res_open", .next = zero_next, .run = zero_run,
     .print = open_print, .result_type = "int",
     .handle_kind = RESOURCE + 1},
};

static const gf_state_machine kinds_machine = {
    .name = "kinds", .cmds = kinds_cmds, .ncmds = 2, .model_size = 1,
};

static void prop_kinds(gf_case *tc)
{
    gf_state_run(tc, &kinds_machine, 20);
}

Test(state, a_handle_of_another_kind_is_not_drawn)
{
    kind_uses = 0;
    gf_result r;
    gf_status st = run_property("kinds", prop_kinds, 5, 100, &r);
    cr_expect_eq(st, GF_PASSED, "%s", r.message ? r.message : "");
    cr_expect_eq(kind_uses, 0, "res_use ran %lu times without a resource",
                 kind_uses);
    gf_result_free(&r);
}

/* ==== invariants, results printed as C, misuse ============================== */

static bool stack_small(const void *m, void *sut)
{
    (void)m;
    return ((const stack *)sut)->n < 2;
}

static const gf_state_invariant stack_invariants[] = {
    {.name = "fewer than two items", .holds = stack_small},
};

static void print_hex(gf_printer *p, int64_t v)
{
    gf_print(p, "0x%llx", (unsigned long long)v);
}

static const gf_state_cmd stack_cmds_hex[] = {
    {.name = "push", .args_size = sizeof(push_args), .draw = push_draw,
     .pre = push_pre, .next = push_next, .run = push_run,
     .print = push_print, .print_result = print_hex},
    {.name = "pop", .pre = pop_pre, .next = pop_next, .run = pop_run,
     .print = pop_print},
};

static const gf_state_machine invariant_machine = {
    .name = "stack",
    .cmds = stack_cmds_hex,
    .ncmds = 2,
    .model_size = sizeof(stack_model),
    .sut_new = stack_new,
    .sut_free = stack_free,
    .invariants = stack_invariants,
    .ninvariants = 1,
};

static void prop_invariant(gf_case *tc)
{
    gf_state_run(tc, &invariant_machine, 20);
}

Test(state, an_invariant_that_breaks_names_the_step)
{
    gf_result r;
    gf_status st = run_property("inv", prop_invariant, 2, 100, &r);
    cr_assert_eq(st, GF_FAILED);
    cr_expect_str_eq(r.origin, "stack: invariant fewer than two items");
    cr_expect_str_eq(r.message,
                     "invariant \"fewer than two items\" does not hold after "
                     "step 2 (push(sut, 0))\n"
                     "program:\n"
                     "  push(sut, 0);\n"
                     "  push(sut, 0);\n"
                     "  // invariant \"fewer than two items\" does not hold "
                     "here");
    /* The program ran to its end: the note that would show it had the
     * system crashed is withdrawn, the message having it already. */
    cr_expect(r.report && !strstr(r.report, "program running"), "%s",
              r.report);
    gf_result_free(&r);
}

/* A push the model expects to fail, printed with print_result. */
static int64_t push_refused_next(void *m, const void *a, gf_state_var self)
{
    push_next(m, a, self);
    return 7;
}

static const gf_state_cmd refused_cmds[] = {
    {.name = "push", .args_size = sizeof(push_args), .draw = push_draw,
     .next = push_refused_next, .run = push_run, .print = push_print,
     .print_result = print_hex},
};

static const gf_state_machine refused_machine = {
    .name = "refused", .cmds = refused_cmds, .ncmds = 1,
    .model_size = sizeof(stack_model), .sut_new = stack_new,
    .sut_free = stack_free,
};

static void prop_refused(gf_case *tc)
{
    gf_state_run(tc, &refused_machine, 5);
}

Test(state, results_print_with_the_commands_printer)
{
    gf_result r;
    cr_assert_eq(run_property("refused", prop_refused, 1, 100, &r), GF_FAILED);
    cr_expect_str_eq(r.message,
                     "push(sut, 0) returned 0x0; the model expects 0x7\n"
                     "program:\n"
                     "  push(sut, 0); // returned 0x0; the model expects 0x7");
    gf_result_free(&r);
}

static const gf_state_cmd unprintable_cmds[] = {
    {.name = "pop", .next = pop_next, .run = pop_run},
};

static const gf_state_machine unprintable_machine = {
    .name = "unprintable", .cmds = unprintable_cmds, .ncmds = 1,
};

static const gf_state_machine empty_machine = {.name = "empty"};

static void prop_unprintable(gf_case *tc)
{
    gf_state_run(tc, &unprintable_machine, 5);
}

static void prop_empty(gf_case *tc)
{
    gf_state_run(tc, &empty_machine, 5);
}

static void prop_too_many_branches(gf_case *tc)
{
    gf_state_run_parallel(tc, &stack_machine,
                          &(gf_state_options){.branches = 9});
}

static void prop_too_many_ops(gf_case *tc)
{
    gf_state_run_parallel(tc, &stack_machine,
                          &(gf_state_options){.branches = 4,
                                              .branch_steps = 17});
}

Test(state, misuse_is_one_clear_message)
{
    static const struct {
        gf_property_fn fn;
        const char *message;
    } cases[] = {
        {prop_unprintable, "gf_state_run: machine unprintable: command 0 "
                           "(pop) has no print"},
        {prop_empty, "gf_state_run: machine empty has no commands"},
        {prop_too_many_branches, "gf_state_run_parallel: branches is 9; it "
                                 "must be 2 to 8"},
        {prop_too_many_ops, "gf_state_run_parallel: 4 branches of 17 steps "
                            "is more than GF_STATE_MAX_OPS (64) steps in "
                            "parallel"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gf_result r;
        gf_status st = run_property("misuse", cases[i].fn, 1, 10, &r);
        cr_expect_eq(st, GF_ERROR, "case %zu: status %d", i, (int)st);
        cr_expect_str_eq(r.message, cases[i].message, "case %zu", i);
        gf_result_free(&r);
    }
}

/* ==== results that are not int64_t ========================================== */

/* A thermometer log: record(t) keeps a reading, mean() returns a double
 * and label() the last reading as text in a fixed buffer.  The bug: the
 * mean divides by the count of readings before the last, so it is wrong
 * once there are two readings. */
typedef struct thermo {
    double sum;
    int n;
} thermo;

typedef struct reading_args {
    int t;
} reading_args;

typedef struct label_value {
    char text[16];
} label_value;

static void *thermo_new(void *env)
{
    (void)env;
    return calloc(1, sizeof(thermo));
}

static void thermo_free(void *sut, void *env)
{
    (void)env;
    free(sut);
}

static void reading_draw(gf_state *st, const void *model, void *a)
{
    (void)model;
    ((reading_args *)a)->t = (int)gf_draw_int(gf_state_case(st), 0, 40);
}

static int64_t record_next(void *mv, const void *a, gf_state_var self)
{
    (void)self;
    thermo *m = mv;
    m->sum += ((const reading_args *)a)->t;
    m->n++;
    return 0;
}

static int64_t record_run(const gf_state *st, void *sut, const void *a)
{
    (void)st;
    return record_next(sut, a, GF_STATE_NO_VAR);
}

static void record_print(gf_printer *p, const void *a)
{
    gf_print(p, "record(log, %d)", ((const reading_args *)a)->t);
}

static void mean_next(void *mv, const void *a, gf_state_var self, void *out)
{
    (void)a;
    (void)self;
    const thermo *m = mv;
    *(double *)out = m->n ? m->sum / m->n : 0.0;
}

static void mean_run(const gf_state *st, void *sut, const void *a, void *out)
{
    (void)st;
    (void)a;
    const thermo *t = sut;
    int by = t->n > 1 ? t->n - 1 : t->n; /* the bug */
    *(double *)out = by ? t->sum / by : 0.0;
}

static bool mean_close(const void *a, const void *expected, const void *actual)
{
    (void)a;
    double e = *(const double *)expected, x = *(const double *)actual;
    return e - x < 1e-9 && x - e < 1e-9;
}

static void mean_print_value(gf_printer *p, const void *v)
{
    gf_print_double(p, *(const double *)v);
}

static void mean_print(gf_printer *p, const void *a)
{
    (void)a;
    gf_print(p, "mean(log)");
}

static void label_next(void *mv, const void *a, gf_state_var self, void *out)
{
    (void)a;
    (void)self;
    const thermo *m = mv;
    snprintf(((label_value *)out)->text, sizeof(label_value), "%d readings",
             m->n);
}

static void label_run(const gf_state *st, void *sut, const void *a, void *out)
{
    label_next(sut, a, GF_STATE_NO_VAR, out);
    (void)st;
}

static void label_print_value(gf_printer *p, const void *v)
{
    const char *text = ((const label_value *)v)->text;
    gf_print_string(p, text, strlen(text));
}

static void label_print(gf_printer *p, const void *a)
{
    (void)a;
    gf_print(p, "label(log)");
}

static const gf_state_cmd thermo_cmds[] = {
    {.name = "label", .print = label_print,
     .result_size = sizeof(label_value), .next_value = label_next,
     .run_value = label_run, .print_value = label_print_value},
    {.name = "record", .args_size = sizeof(reading_args),
     .draw = reading_draw, .next = record_next, .run = record_run,
     .print = record_print},
    {.name = "mean", .print = mean_print, .result_size = sizeof(double),
     .next_value = mean_next, .run_value = mean_run,
     .check_value = mean_close, .print_value = mean_print_value},
};

static const gf_state_machine thermo_machine = {
    .name = "thermo", .cmds = thermo_cmds, .ncmds = 3,
    .model_size = sizeof(thermo), .sut_new = thermo_new,
    .sut_free = thermo_free,
};

static void prop_thermo(gf_case *tc)
{
    gf_state_run(tc, &thermo_machine, 20);
}

Test(state, results_of_other_types_are_compared_and_printed)
{
    gf_result r;
    cr_assert_eq(run_property("thermo", prop_thermo, 1, 1000, &r), GF_FAILED);
    cr_expect_str_eq(r.origin, "thermo: postcondition of mean");
    /* Two readings, the smallest whose mean the bug gets wrong. */
    cr_expect_str_eq(r.message,
                     "mean(log) returned 1.0; the model expects 0.5\n"
                     "program:\n"
                     "  record(log, 0);\n"
                     "  record(log, 1);\n"
                     "  mean(log); // returned 1.0; the model expects 0.5");
    gf_result_free(&r);
}

/* label's text results on real threads, with a lock around the log: the
 * buffers each branch call fills are compared and the run passes; and on
 * a hand-written history, a label that cannot be is caught and printed. */
typedef struct locked_thermo {
    pthread_mutex_t lock;
    thermo t;
} locked_thermo;

static void *locked_new(void *env)
{
    (void)env;
    locked_thermo *l = calloc(1, sizeof *l);
    if (l)
        pthread_mutex_init(&l->lock, NULL);
    return l;
}

static void locked_free(void *sut, void *env)
{
    (void)env;
    locked_thermo *l = sut;
    pthread_mutex_destroy(&l->lock);
    free(l);
}

static int64_t locked_record_run(const gf_state *st, void *sut, const void *a)
{
    locked_thermo *l = sut;
    pthread_mutex_lock(&l->lock);
    int64_t r = record_run(st, &l->t, a);
    pthread_mutex_unlock(&l->lock);
    return r;
}

static void locked_label_run(const gf_state *st, void *sut, const void *a,
                             void *out)
{
    locked_thermo *l = sut;
    pthread_mutex_lock(&l->lock);
    label_run(st, &l->t, a, out);
    pthread_mutex_unlock(&l->lock);
}

static const gf_state_cmd label_cmds[] = {
    {.name = "label", .print = label_print,
     .result_size = sizeof(label_value), .next_value = label_next,
     .run_value = locked_label_run, .print_value = label_print_value},
    {.name = "record", .args_size = sizeof(reading_args),
     .draw = reading_draw, .next = record_next, .run = locked_record_run,
     .print = record_print},
};

static const gf_state_machine label_machine = {
    .name = "labels", .cmds = label_cmds, .ncmds = 2,
    .model_size = sizeof(thermo), .sut_new = locked_new,
    .sut_free = locked_free,
};

static void prop_labels_parallel(gf_case *tc)
{
    gf_state_run_parallel(tc, &label_machine,
                          &(gf_state_options){.max_steps = 2, .repeat = 3});
}

Test(state, results_of_other_types_on_real_threads)
{
    gf_result r;
    gf_status st = run_property("labels", prop_labels_parallel, 3, 50, &r);
    cr_expect_eq(st, GF_PASSED, "status %d: %s", (int)st,
                 r.message ? r.message : "(none)");
    gf_result_free(&r);

    label_value l0 = {"0 readings"}, l1 = {"1 readings"};
    reading_args r5 = {5};
    gf_state_op ops[] = {
        {.cmd = 0, .result = (int64_t)(intptr_t)&l0, .call = 0, .ret = 1,
         .thread = 0, .var = GF_STATE_NO_VAR},
        {.cmd = 1, .args = &r5, .result = 0, .call = 2, .ret = 3,
         .thread = 1, .var = GF_STATE_NO_VAR},
        {.cmd = 0, .result = (int64_t)(intptr_t)&l1, .call = 4, .ret = 5,
         .thread = 0, .var = GF_STATE_NO_VAR},
    };
    thermo empty = {0};
    cr_expect_eq(gf_state_linearizable(&label_machine, &empty, ops, 3, NULL),
                 1);
    /* The label read before the record cannot say "1 readings". */
    ops[0].result = (int64_t)(intptr_t)&l1;
    cr_expect_eq(gf_state_linearizable(&label_machine, &empty, ops, 3, NULL),
                 0);
    char *t = gf_state_timeline(&label_machine, ops, 3);
    cr_expect(strstr(t, "-> \"1 readings\""), "%s", t);
    free(t);
}

static void prop_value_without_run_value(gf_case *tc)
{
    static const gf_state_cmd cmds[] = {
        {.name = "mean", .print = mean_print, .result_size = sizeof(double),
         .next_value = mean_next},
    };
    static const gf_state_machine m = {.name = "half", .cmds = cmds,
                                       .ncmds = 1,
                                       .model_size = sizeof(thermo)};
    gf_state_run(tc, &m, 5);
}

Test(state, a_result_size_without_run_value_is_misuse)
{
    gf_result r;
    cr_expect_eq(run_property("half", prop_value_without_run_value, 1, 10, &r),
                 GF_ERROR);
    cr_expect_str_eq(r.message, "gf_state_run: machine half: command 0 "
                                "(mean) has no run_value (it has a "
                                "result_size)");
    gf_result_free(&r);
}

/* ==== the linearizability checker on hand-written histories ================= */

/* A FIFO queue of ints: push returns 0, pop the oldest or -1. */
typedef struct fifo_model {
    int items[16];
    int n;
} fifo_model;

static int64_t fifo_push_next(void *mv, const void *a, gf_state_var self)
{
    (void)self;
    fifo_model *m = mv;
    if (m->n == 16)
        return -1;
    m->items[m->n++] = ((const push_args *)a)->v;
    return 0;
}

static int64_t fifo_pop_next(void *mv, const void *a, gf_state_var self)
{
    (void)a;
    (void)self;
    fifo_model *m = mv;
    if (m->n == 0)
        return -1;
    int v = m->items[0];
    memmove(m->items, m->items + 1, (size_t)--m->n * sizeof *m->items);
    m->items[m->n] = 0;
    return v;
}

static void qpush_print(gf_printer *p, const void *a)
{
    gf_print(p, "queue_push(sut, %d)", ((const push_args *)a)->v);
}

static void qpop_print(gf_printer *p, const void *a)
{
    (void)a;
    gf_print(p, "queue_pop(sut)");
}

static const gf_state_cmd fifo_cmds[] = {
    {.name = "queue_push", .args_size = sizeof(push_args), .draw = push_draw,
     .next = fifo_push_next, .run = zero_run, .print = qpush_print},
    {.name = "queue_pop", .next = fifo_pop_next, .run = zero_run,
     .print = qpop_print},
};

static const gf_state_machine fifo_machine = {
    .name = "fifo", .cmds = fifo_cmds, .ncmds = 2,
    .model_size = sizeof(fifo_model),
};

static const push_args one = {1}, two = {2};

#define PUSH(arg, c, r, t) {.cmd = 0, .args = &(arg), .result = 0, .call = (c), .ret = (r), .thread = (t), .var = GF_STATE_NO_VAR}
#define POP(res, c, r, t) {.cmd = 1, .args = NULL, .result = (res), .call = (c), .ret = (r), .thread = (t), .var = GF_STATE_NO_VAR}

static int check_history(const gf_state_op *ops, size_t n, size_t *order)
{
    fifo_model empty = {0};
    return gf_state_linearizable(&fifo_machine, &empty, ops, n, order);
}

Test(linearizable, overlapping_pushes_may_go_either_way)
{
    /* push(1) and push(2) overlap; the pops see 2 first: push(2) took
     * effect first. */
    gf_state_op ops[] = {PUSH(one, 0, 3, 0), PUSH(two, 1, 2, 1),
                         POP(2, 4, 5, 0), POP(1, 6, 7, 1)};
    size_t order[4];
    cr_assert_eq(check_history(ops, 4, order), 1);
    cr_expect_eq(order[0], 1);
    cr_expect_eq(order[1], 0);
    cr_expect_eq(order[2], 2);
    cr_expect_eq(order[3], 3);
}

Test(linearizable, a_pop_may_see_an_overlapping_push)
{
    gf_state_op ops[] = {PUSH(one, 0, 5, 0), POP(1, 1, 2, 1)};
    cr_expect_eq(check_history(ops, 2, NULL), 1);
}

Test(linearizable, order_in_real_time_is_kept)
{
    /* push(1) returned before push(2) started: FIFO must pop 1 first. */
    gf_state_op ops[] = {PUSH(one, 0, 1, 0), PUSH(two, 2, 3, 1),
                         POP(2, 4, 5, 0)};
    cr_expect_eq(check_history(ops, 3, NULL), 0);
    /* A pop that returned before the push started cannot see it. */
    gf_state_op early[] = {POP(1, 0, 1, 0), PUSH(one, 2, 3, 1)};
    cr_expect_eq(check_history(early, 2, NULL), 0);
}

Test(linearizable, a_lost_push_is_caught)
{
    /* Both pushes succeeded, yet only one item came out. */
    gf_state_op ops[] = {PUSH(one, 0, 2, 0), PUSH(two, 1, 3, 1),
                         POP(1, 4, 5, 0), POP(-1, 6, 7, 1)};
    cr_expect_eq(check_history(ops, 4, NULL), 0);
}

Test(linearizable, the_empty_history_and_bad_input)
{
    cr_expect_eq(check_history(NULL, 0, NULL), 1);
    gf_state_op bad[] = {{.cmd = 2, .call = 0, .ret = 1}};
    cr_expect_eq(check_history(bad, 1, NULL), -1);
    static gf_state_op many[GF_STATE_MAX_OPS + 1];
    for (size_t i = 0; i < GF_STATE_MAX_OPS + 1; i++)
        many[i] = (gf_state_op)POP(-1, 2 * i, 2 * i + 1, 0);
    cr_expect_eq(check_history(many, GF_STATE_MAX_OPS, NULL), 1);
    cr_expect_eq(check_history(many, GF_STATE_MAX_OPS + 1, NULL), -1);
}

/* A counter: inc returns the new value. */
static int64_t inc_next(void *mv, const void *a, gf_state_var self)
{
    (void)a;
    (void)self;
    return ++*(int64_t *)mv;
}

static void inc_print(gf_printer *p, const void *a)
{
    (void)a;
    gf_print(p, "inc(sut)");
}

static const gf_state_cmd counter_cmds[] = {
    {.name = "inc", .next = inc_next, .run = zero_run, .print = inc_print},
};

static const gf_state_machine counter_machine = {
    .name = "counter", .cmds = counter_cmds, .ncmds = 1,
    .model_size = sizeof(int64_t),
};

/* Three threads of eight increments, all overlapping across threads,
 * with the last result wrong: the search must rule out every order.
 * There are about 10^10 interleavings, but only 9^3 (done set, model)
 * pairs, so it ends at once only because it remembers them. */
Test(linearizable, remembered_states_keep_the_search_small, .timeout = 10)
{
    gf_state_op ops[24];
    for (unsigned t = 0; t < 3; t++)
        for (unsigned k = 0; k < 8; k++) {
            /* Op k of every thread runs in [10k + t, 10k + 5 + t]. */
            ops[8 * t + k] = (gf_state_op){.cmd = 0, .call = 10 * k + t,
                                           .ret = 10 * k + 5 + t,
                                           .thread = t,
                                           .var = GF_STATE_NO_VAR};
        }
    /* Results: a permutation of 1..24 consistent with the timing: op k of
     * thread t returns 3k + t + 1. */
    for (unsigned t = 0; t < 3; t++)
        for (unsigned k = 0; k < 8; k++)
            ops[8 * t + k].result = 3 * k + t + 1;
    int64_t zero = 0;
    cr_expect_eq(gf_state_linearizable(&counter_machine, &zero, ops, 24,
                                       NULL), 1);
    ops[23].result = 25; /* no order gives 25 */
    cr_expect_eq(gf_state_linearizable(&counter_machine, &zero, ops, 24,
                                       NULL), 0);
}

Test(linearizable, timeline)
{
    gf_state_op ops[] = {PUSH(one, 0, 3, 0), POP(-1, 1, 2, 1)};
    char *t = gf_state_timeline(&fifo_machine, ops, 2);
    cr_expect_str_eq(t, "  thread 0             thread 1\n"
                        "  queue_push(sut, 1)\n"
                        "  |                    queue_pop(sut)\n"
                        "  |                    -> -1\n"
                        "  -> 0\n");
    free(t);
}

Test(linearizable, a_timeline_of_a_bad_history_says_which_op)
{
    gf_state_op ops[] = {PUSH(one, 0, 3, 0), POP(-1, 1, 2, 1)};
    ops[1].cmd = 7;
    char *t = gf_state_timeline(&fifo_machine, ops, 2);
    cr_expect_str_eq(t, "gf_state_timeline: op 1 names command 7; machine "
                        "fifo has 2");
    free(t);
    t = gf_state_timeline(&fifo_machine, NULL, 2);
    cr_expect_str_eq(t, "gf_state_timeline: ops is NULL but n is 2");
    free(t);
    t = gf_state_timeline(NULL, ops, 2);
    cr_expect_str_eq(t, "gf_state_timeline: the machine is NULL");
    free(t);
}

/* ==== weights ================================================================= */

/* Two commands whose weights add up to more than an unsigned holds: the
 * heavy one must still be drawn about 13 times as often as the light one. */
static unsigned long heavy_runs, light_runs;

static int64_t heavy_run(const gf_state *st, void *sut, const void *a)
{
    (void)st;
    (void)sut;
    (void)a;
    heavy_runs++;
    return 0;
}

static int64_t light_run(const gf_state *st, void *sut, const void *a)
{
    (void)st;
    (void)sut;
    (void)a;
    light_runs++;
    return 0;
}

static void heavy_print(gf_printer *p, const void *a)
{
    (void)a;
    gf_print(p, "heavy(sut)");
}

static void light_print(gf_printer *p, const void *a)
{
    (void)a;
    gf_print(p, "light(sut)");
}

static const gf_state_cmd weighted_cmds[] = {
    {.name = "heavy", .next = zero_next, .run = heavy_run,
     .print = heavy_print, .weight = 4000000000u},
    {.name = "light", .next = zero_next, .run = light_run,
     .print = light_print, .weight = 300000000u},
};

static const gf_state_machine weighted_machine = {
    .name = "weighted", .cmds = weighted_cmds, .ncmds = 2, .model_size = 1,
};

static void prop_weighted(gf_case *tc)
{
    gf_state_run(tc, &weighted_machine, 20);
}

Test(state, weights_summing_past_an_unsigned_are_kept)
{
    heavy_runs = light_runs = 0;
    gf_result r;
    gf_status st = run_property("weighted", prop_weighted, 3, 200, &r);
    cr_expect_eq(st, GF_PASSED, "%s", r.message ? r.message : "");
    gf_result_free(&r);
    /* Expected about 13:1; the edge cases of the engine's draws move it
     * some, not to below 4:1. */
    cr_expect(heavy_runs > 4 * light_runs, "heavy ran %lu times, light %lu",
              heavy_runs, light_runs);
}

/* ==== real threads ============================================================ */

/* A queue of ints whose push may skip the lock. */
typedef struct tqueue {
    pthread_mutex_t lock;
    int items[16];
    size_t head, tail;
    bool locked_push;
    char scratch[2][64];
} tqueue;

static void *tqueue_new(void *env)
{
    tqueue *q = calloc(1, sizeof *q);
    pthread_mutex_init(&q->lock, NULL);
    q->locked_push = *(const bool *)env;
    return q;
}

static void tqueue_free(void *q, void *env)
{
    (void)env;
    pthread_mutex_destroy(&((tqueue *)q)->lock);
    free(q);
}

static int64_t tpush_run(const gf_state *st, void *qv, const void *a)
{
    (void)st;
    tqueue *q = qv;
    int v = ((const push_args *)a)->v;
    if (q->locked_push)
        pthread_mutex_lock(&q->lock);
    int64_t r = -1;
    size_t t = q->tail;
    if (t - q->head < 16) {
        q->items[t % 16] = v;
        /* Some work between claiming the slot and publishing it. */
        snprintf(q->scratch[v & 1], sizeof q->scratch[0], "item %d", v);
        q->tail = t + 1;
        r = 0;
    }
    if (q->locked_push)
        pthread_mutex_unlock(&q->lock);
    return r;
}

static int64_t tpop_run(const gf_state *st, void *qv, const void *a)
{
    (void)st;
    (void)a;
    tqueue *q = qv;
    pthread_mutex_lock(&q->lock);
    int64_t v = -1;
    if (q->head != q->tail)
        v = q->items[q->head++ % 16];
    pthread_mutex_unlock(&q->lock);
    return v;
}

static const gf_state_cmd tqueue_cmds[] = {
    {.name = "queue_pop", .next = fifo_pop_next, .run = tpop_run,
     .print = qpop_print},
    {.name = "queue_push", .args_size = sizeof(push_args), .draw = push_draw,
     .next = fifo_push_next, .run = tpush_run, .print = qpush_print},
};

static bool unlocked = false, locked = true;

static const gf_state_machine tqueue_buggy = {
    .name = "tqueue", .cmds = tqueue_cmds, .ncmds = 2,
    .model_size = sizeof(fifo_model), .sut_new = tqueue_new,
    .sut_free = tqueue_free, .env = &unlocked,
};

static const gf_state_machine tqueue_fixed = {
    .name = "tqueue", .cmds = tqueue_cmds, .ncmds = 2,
    .model_size = sizeof(fifo_model), .sut_new = tqueue_new,
    .sut_free = tqueue_free, .env = &locked,
};

static void prop_tqueue_buggy(gf_case *tc)
{
    gf_state_run_parallel(tc, &tqueue_buggy,
                          &(gf_state_options){.max_steps = 2});
}

static void prop_tqueue_fixed(gf_case *tc)
{
    gf_state_run_parallel(tc, &tqueue_fixed,
                          &(gf_state_options){.max_steps = 2});
}

Test(threads, a_missing_lock_is_found)
{
    const char *why = races_skipped();
    if (why)
        cr_skip_test("%s", why);
    gf_result r;
    gf_status st = run_property("tqueue", prop_tqueue_buggy, 1, 2000, &r);
    cr_assert_eq(st, GF_FAILED, "the race was not seen in %llu cases",
                 (unsigned long long)r.cases);
    cr_expect_str_eq(r.origin, "tqueue: not linearizable");
    /* The shrunk case may not show the race again when the report is
     * made (the report then says FLAKY, without a history). */
    if (!r.flaky) {
        cr_expect(strstr(r.message, "(nondeterministic: ") != NULL, "%s",
                  r.message);
        cr_expect(strstr(r.message, "\n  thread 0 ") != NULL, "%s",
                  r.message);
        cr_expect(strstr(r.message, "queue_push(sut, ") != NULL, "%s",
                  r.message);
    }
    gf_result_free(&r);
}

/* A counter that is wrong on any thread but the one that made it: the
 * prefix passes, every branch call fails, so the failure is certain and
 * its report exact.  (An empty first branch is simpler than an empty
 * second one: its "one more?" choice comes first.) */
typedef struct liar {
    pthread_t owner;
    int64_t n;
} liar;

static void *liar_new(void *env)
{
    (void)env;
    liar *l = calloc(1, sizeof *l);
    l->owner = pthread_self();
    return l;
}

static int64_t liar_inc(const gf_state *st, void *sut, const void *a)
{
    (void)st;
    (void)a;
    liar *l = sut;
    return ++l->n + !pthread_equal(l->owner, pthread_self());
}

static const gf_state_cmd liar_cmds[] = {
    {.name = "inc", .next = inc_next, .run = liar_inc, .print = inc_print},
};

static const gf_state_machine liar_machine = {
    .name = "liar", .cmds = liar_cmds, .ncmds = 1,
    .model_size = sizeof(int64_t), .sut_new = liar_new,
    .sut_free = abc_free,
    .setup = "struct counter *sut = counter_new();",
};

static void prop_liar(gf_case *tc)
{
    gf_state_run_parallel(tc, &liar_machine, NULL);
}

Test(threads, a_parallel_failure_prints_program_and_history)
{
    gf_result r;
    cr_assert_eq(run_property("liar", prop_liar, 1, 100, &r), GF_FAILED);
    cr_expect_eq(r.flaky, false);
    cr_expect_str_eq(r.origin, "liar: not linearizable");
    cr_expect_str_eq(r.message,
                     "no order of the parallel calls gives the results they "
                     "returned (nondeterministic: the first run of this case "
                     "failed)\n"
                     "program:\n"
                     "  struct counter *sut = counter_new();\n"
                     "  // then at once, on 2 threads:\n"
                     "  // thread 0:\n"
                     "  // thread 1:\n"
                     "  inc(sut);\n"
                     "history, in the order calls started (->) and "
                     "returned:\n"
                     "  thread 1\n"
                     "  inc(sut)\n"
                     "  -> 2");
    cr_expect(r.report && !strstr(r.report, "program running"), "%s",
              r.report);
    gf_result_free(&r);
}

/* No false alarm: the queue with its lock passes, with every history
 * checked (this part does not depend on timing, and runs everywhere). */
Test(threads, a_correct_queue_passes)
{
    gf_result r;
    gf_status st = run_property("tqueue_fixed", prop_tqueue_fixed, 2,
                                races_skipped() != NULL ? 20 : 200, &r);
    cr_expect_eq(st, GF_PASSED, "%s", r.message ? r.message : "");
    gf_result_free(&r);
}

/* Every interleaving of the branches keeps the preconditions: a stack that
 * counts pops on empty never gets one, though its pop needs an item and
 * the branches pop concurrently. */
static void *locked_stack_new(void *env)
{
    (void)env;
    return tqueue_new(&locked);
}

static int64_t lpush_run(const gf_state *st, void *qv, const void *a)
{
    return tpush_run(st, qv, a);
}

static _Atomic unsigned long empty_pops, pops;

static int64_t lpop_run(const gf_state *st, void *qv, const void *a)
{
    int64_t v = tpop_run(st, qv, a);
    atomic_fetch_add(v < 0 ? &empty_pops : &pops, 1);
    return v;
}

static bool fifo_pop_pre(const void *m, const void *a)
{
    (void)a;
    return ((const fifo_model *)m)->n > 0;
}

static const gf_state_cmd guarded_cmds[] = {
    {.name = "queue_push", .args_size = sizeof(push_args), .draw = push_draw,
     .next = fifo_push_next, .run = lpush_run, .print = qpush_print},
    {.name = "queue_pop", .pre = fifo_pop_pre, .next = fifo_pop_next,
     .run = lpop_run, .print = qpop_print},
};

static const gf_state_machine guarded_machine = {
    .name = "guarded", .cmds = guarded_cmds, .ncmds = 2,
    .model_size = sizeof(fifo_model), .sut_new = locked_stack_new,
    .sut_free = tqueue_free,
};

static void prop_guarded(gf_case *tc)
{
    gf_state_run_parallel(tc, &guarded_machine,
                          &(gf_state_options){.branches = 3,
                                              .branch_steps = 3,
                                              .repeat = 2});
}

Test(threads, preconditions_hold_in_every_interleaving)
{
    empty_pops = pops = 0;
    gf_result r;
    gf_status st = run_property("guarded", prop_guarded, 4, 200, &r);
    cr_expect_eq(st, GF_PASSED, "%s", r.message ? r.message : "");
    cr_expect_gt(atomic_load(&pops), 100, "only %lu pops ran",
                 atomic_load(&pops));
    cr_expect_eq(atomic_load(&empty_pops), 0,
                 "%lu pops ran on an empty queue", atomic_load(&empty_pops));
    gf_result_free(&r);
}
