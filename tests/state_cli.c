/*
 * state_cli.c - a GF_MAIN program for tests/test_state_cli.sh: stateful
 * properties whose system under test crashes, on the property's thread or
 * on a branch thread of a parallel program.
 */
#include <gadfly.h>
#include <gadfly/state.h>
#include <pthread.h>
#include <stdlib.h>

/* ---- a system that aborts on its third call -------------------------- */

typedef struct poke_args {
    int64_t n;
} poke_args;

typedef struct counter {
    unsigned calls;
    pthread_t owner;
} counter;

static void poke_draw(gf_state *st, const void *model, void *a)
{
    (void)model;
    ((poke_args *)a)->n = gf_draw_int(gf_state_case(st), 0, 9);
}

static int64_t poke_next(void *model, const void *a, gf_state_var self)
{
    (void)model;
    (void)self;
    return ((const poke_args *)a)->n;
}

static int64_t poke_run(const gf_state *st, void *sut, const void *a)
{
    (void)st;
    counter *c = sut;
    if (++c->calls == 3)
        abort();
    return ((const poke_args *)a)->n;
}

static void poke_print(gf_printer *p, const void *a)
{
    gf_print(p, "poke(sut, %lld)", (long long)((const poke_args *)a)->n);
}

static void *counter_new(void *env)
{
    (void)env;
    counter *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->owner = pthread_self();
    return c;
}

static void counter_free(void *sut, void *env)
{
    (void)env;
    free(sut);
}

static const gf_state_cmd poke_cmds[] = {
    {.name = "poke", .args_size = sizeof(poke_args), .draw = poke_draw,
     .next = poke_next, .run = poke_run, .print = poke_print},
};

static const gf_state_machine third_call_machine = {
    .name = "third_call", .cmds = poke_cmds, .ncmds = 1, .model_size = 1,
    .sut_new = counter_new, .sut_free = counter_free,
    .setup = "struct counter *sut = counter_new();",
};

GF_PROPERTY(aborts_on_third_call)
{
    gf_state_run(tc, &third_call_machine, 10);
}

/* ---- a system that aborts on any thread but the one that made it ------ */

static int64_t owned_run(const gf_state *st, void *sut, const void *a)
{
    (void)st;
    counter *c = sut;
    if (!pthread_equal(c->owner, pthread_self()))
        abort();
    return ((const poke_args *)a)->n;
}

static const gf_state_cmd owned_cmds[] = {
    {.name = "poke", .args_size = sizeof(poke_args), .draw = poke_draw,
     .next = poke_next, .run = owned_run, .print = poke_print},
};

static const gf_state_machine owned_machine = {
    .name = "owned", .cmds = owned_cmds, .ncmds = 1, .model_size = 1,
    .sut_new = counter_new, .sut_free = counter_free,
};

GF_PROPERTY(aborts_on_a_branch)
{
    gf_state_run_parallel(tc, &owned_machine,
                          &(gf_state_options){.max_steps = 2, .repeat = 1});
}

GF_MAIN()
