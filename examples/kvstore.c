/*
 * kvstore.c - a store that hands out tables still holding old data.
 *
 * The store holds up to four tables, opened and closed by handle, each a
 * small array of key/value pairs.  kv_open reuses the slot of a closed
 * table and forgets to empty it: the new table starts with the keys of the
 * one closed before it.  The same bug class leaks data between the users
 * of a connection pool or between the owners of a reused descriptor.
 *
 * No single call shows it.  It takes a table, a put, a close, a second
 * open that gets the same slot back, and a lookup through the new handle.
 * The property below draws programs of calls against a model (per handle,
 * whether it is open and the value of each key) and shrinks the first
 * wrong result it sees to that program, printed as C:
 *
 *     struct kv *sut = kv_new();
 *     int v0 = kv_open(sut);
 *     kv_put(sut, v0, "a", 0);
 *     kv_close(sut, v0);
 *     int v1 = kv_open(sut);
 *     kv_get(sut, v1, "a"); // returned 0; the model expects -1
 *     kv_free(sut);
 *
 * The model never sees the store's table ids: it knows handles as the
 * variables v0, v1, ...; only the calls on the store turn them into ids.
 *
 * Run: examples/kvstore [--seed N] [--help]
 */
#include <gadfly.h>
#include <gadfly/state.h>

#include <stdlib.h>
#include <string.h>

/* ---- the store -------------------------------------------------------------- */

#define KV_TABLES 4
#define KV_ENTRIES 8

struct kv_table {
    bool open;
    size_t n;
    char key[KV_ENTRIES][8];
    int value[KV_ENTRIES];
};

struct kv {
    struct kv_table t[KV_TABLES];
};

static struct kv *kv_new(void)
{
    return calloc(1, sizeof(struct kv));
}

static void kv_free(struct kv *kv)
{
    free(kv);
}

/* A table id, or -1 when all are open. */
static int kv_open(struct kv *kv)
{
    for (int t = 0; t < KV_TABLES; t++)
        if (!kv->t[t].open) {
            kv->t[t].open = true; /* the bug: kv->t[t].n is not reset */
            return t;
        }
    return -1;
}

static void kv_close(struct kv *kv, int t)
{
    kv->t[t].open = false;
}

/* The entry holding key, or -1. */
static int kv_find(const struct kv_table *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->key[i], key) == 0)
            return (int)i;
    return -1;
}

static void kv_put(struct kv *kv, int t, const char *key, int value)
{
    struct kv_table *tab = &kv->t[t];
    int i = kv_find(tab, key);
    if (i < 0) {
        if (tab->n == KV_ENTRIES)
            return; /* full: cannot happen with four keys */
        i = (int)tab->n++;
        strcpy(tab->key[i], key);
    }
    tab->value[i] = value;
}

/* The value, or -1 when the key is absent. */
static int kv_get(struct kv *kv, int t, const char *key)
{
    int i = kv_find(&kv->t[t], key);
    return i < 0 ? -1 : kv->t[t].value[i];
}

static void kv_del(struct kv *kv, int t, const char *key)
{
    struct kv_table *tab = &kv->t[t];
    int i = kv_find(tab, key);
    if (i < 0)
        return;
    tab->n--;
    memmove(tab->key[i], tab->key[tab->n], sizeof tab->key[i]);
    tab->value[i] = tab->value[tab->n];
}

/* ---- the model ----------------------------------------------------------------- */

/* Keys are drawn from this list. */
static const char *const keys[] = {"a", "b", "c", "d"};
#define NKEYS 4
#define MAX_VARS 64

enum { UNOPENED, OPEN, CLOSED, FAILED };

/* Per handle variable: whether it is open, and each key's value (-1:
 * absent).  open_tables counts what the store has open. */
typedef struct model {
    unsigned char state[MAX_VARS];
    int value[MAX_VARS][NKEYS];
    int open_tables;
} model;

enum { TABLE = 1 }; /* the kind of handle kv_open makes */

typedef struct args {
    gf_state_var table;
    unsigned key;
    int value;
} args;

static void draw_table(gf_state *st, const void *m, void *a)
{
    (void)m;
    ((args *)a)->table = gf_state_draw_var(st, TABLE);
}

static void draw_key(gf_state *st, const void *m, void *a)
{
    draw_table(st, m, a);
    ((args *)a)->key = (unsigned)gf_draw_uint(gf_state_case(st), 0, NKEYS - 1);
}

static void draw_key_value(gf_state *st, const void *m, void *a)
{
    draw_key(st, m, a);
    ((args *)a)->value = (int)gf_draw_int(gf_state_case(st), 0, 100);
}

/* Handles that can be used: made by a kv_open that worked, not closed. */
static bool handle_live(const void *m, gf_state_var v)
{
    return v < MAX_VARS && ((const model *)m)->state[v] == OPEN;
}

/* Every command but kv_open needs an open table. */
static bool table_open(const void *m, const void *a)
{
    return handle_live(m, ((const args *)a)->table);
}

static int64_t open_next(void *mv, const void *a, gf_state_var self)
{
    (void)a;
    model *m = mv;
    if (self >= MAX_VARS)
        return -1;
    if (m->open_tables == KV_TABLES) {
        m->state[self] = FAILED;
        return -1;
    }
    m->state[self] = OPEN;
    m->open_tables++;
    for (int k = 0; k < NKEYS; k++)
        m->value[self][k] = -1;
    return 0;
}

/* kv_open's table id is the store's business: only failing or not is
 * the model's. */
static bool open_check(const void *a, int64_t expected, int64_t actual)
{
    (void)a;
    return (expected < 0) == (actual < 0);
}

static int64_t close_next(void *mv, const void *a, gf_state_var self)
{
    (void)self;
    model *m = mv;
    m->state[((const args *)a)->table] = CLOSED;
    m->open_tables--;
    return 0;
}

static int64_t put_next(void *mv, const void *av, gf_state_var self)
{
    (void)self;
    const args *a = av;
    ((model *)mv)->value[a->table][a->key] = a->value;
    return 0;
}

static int64_t get_next(void *mv, const void *av, gf_state_var self)
{
    (void)self;
    const args *a = av;
    return ((model *)mv)->value[a->table][a->key];
}

static int64_t del_next(void *mv, const void *av, gf_state_var self)
{
    (void)self;
    const args *a = av;
    ((model *)mv)->value[a->table][a->key] = -1;
    return 0;
}

/* On the store: handles become table ids through gf_state_value. */
static int table_of(const gf_state *st, const void *a)
{
    return (int)gf_state_value(st, ((const args *)a)->table);
}

static int64_t open_run(const gf_state *st, void *kv, const void *a)
{
    (void)st;
    (void)a;
    return kv_open(kv);
}

static int64_t close_run(const gf_state *st, void *kv, const void *a)
{
    kv_close(kv, table_of(st, a));
    return 0;
}

static int64_t put_run(const gf_state *st, void *kv, const void *av)
{
    const args *a = av;
    kv_put(kv, table_of(st, a), keys[a->key], a->value);
    return 0;
}

static int64_t get_run(const gf_state *st, void *kv, const void *av)
{
    const args *a = av;
    return kv_get(kv, table_of(st, a), keys[a->key]);
}

static int64_t del_run(const gf_state *st, void *kv, const void *av)
{
    const args *a = av;
    kv_del(kv, table_of(st, a), keys[a->key]);
    return 0;
}

/* Printed as the C calls they are. */
static void print_key(gf_printer *p, const args *a)
{
    gf_print_string(p, keys[a->key], strlen(keys[a->key]));
}

static void open_print(gf_printer *p, const void *a)
{
    (void)a;
    gf_print(p, "kv_open(sut)");
}

static void close_print(gf_printer *p, const void *a)
{
    gf_print(p, "kv_close(sut, v%u)", ((const args *)a)->table);
}

static void put_print(gf_printer *p, const void *av)
{
    const args *a = av;
    gf_print(p, "kv_put(sut, v%u, ", a->table);
    print_key(p, a);
    gf_print(p, ", %d)", a->value);
}

static void get_print(gf_printer *p, const void *av)
{
    const args *a = av;
    gf_print(p, "kv_get(sut, v%u, ", a->table);
    print_key(p, a);
    gf_print(p, ")");
}

static void del_print(gf_printer *p, const void *av)
{
    const args *a = av;
    gf_print(p, "kv_del(sut, v%u, ", a->table);
    print_key(p, a);
    gf_print(p, ")");
}

static void *new_store(void *env)
{
    (void)env;
    return kv_new();
}

static void free_store(void *kv, void *env)
{
    (void)env;
    kv_free(kv);
}

/* The simplest command first: shrinking tends toward it. */
static const gf_state_cmd commands[] = {
    {.name = "kv_open", .next = open_next, .run = open_run,
     .check = open_check, .print = open_print, .result_type = "int",
     .handle_kind = TABLE},
    {.name = "kv_put", .args_size = sizeof(args), .draw = draw_key_value,
     .pre = table_open, .next = put_next, .run = put_run,
     .print = put_print, .weight = 3},
    {.name = "kv_get", .args_size = sizeof(args), .draw = draw_key,
     .pre = table_open, .next = get_next, .run = get_run,
     .print = get_print, .weight = 3},
    {.name = "kv_del", .args_size = sizeof(args), .draw = draw_key,
     .pre = table_open, .next = del_next, .run = del_run,
     .print = del_print, .weight = 2},
    {.name = "kv_close", .args_size = sizeof(args), .draw = draw_table,
     .pre = table_open, .next = close_next, .run = close_run,
     .print = close_print},
};

static const gf_state_machine kvstore = {
    .name = "kvstore",
    .cmds = commands,
    .ncmds = sizeof commands / sizeof commands[0],
    .model_size = sizeof(model),
    .sut_new = new_store,
    .sut_free = free_store,
    .handle_live = handle_live,
    .setup = "struct kv *sut = kv_new();",
    .teardown = "kv_free(sut);",
};

GF_PROPERTY(kvstore_matches_model)
{
    gf_state_run(tc, &kvstore, 50);
}

GF_MAIN()
