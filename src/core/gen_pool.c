/*
 * gen_pool.c - the process-lifetime pool of generators.
 *
 * Every generator constructor fills a template on its stack and interns it
 * here.  Equal content (every field, plus the contents of name, subs and
 * weights) gives the same pointer, so building a generator inside a
 * property costs a hash lookup, never memory, and generators can be
 * compared by pointer.
 *
 * This is the one piece of per-process state behind the generator library.
 * It is guarded by a mutex, since constructors run on any thread, and it
 * is released by a destructor at exit so that leak checkers report nothing.
 * It must never hand out a generator that changes or goes away while the
 * process runs.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "internal.h"

typedef struct pool_slot {
    uint64_t hash;
    gf_gen *gen; /* NULL: empty */
} pool_slot;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pool_slot *pool_slots; /* open addressing, linear probing */
static size_t pool_cap;       /* a power of two, or 0 */
static size_t pool_count;

/* ---- content: hash and equality --------------------------------------- */

/* The object representation of a pointer (function or data), as a number
 * to hash.  Equality uses == on the pointers themselves. */
static uint64_t pointer_bits(const void *object, size_t size)
{
    uint64_t bits = 0;
    memcpy(&bits, object, size < sizeof bits ? size : sizeof bits);
    return bits;
}

static uint64_t gen_hash(const gf_gen *g)
{
    const uint64_t scalars[] = {
        g->size,
        g->align,
        g->flags,
        (uint64_t)g->kind,
        g->label,
        g->nsubs,
        g->arg.u[0],
        g->arg.u[1],
        g->arg.u[2],
        g->arg.u[3],
        pointer_bits(&g->draw, sizeof g->draw),
        pointer_bits(&g->print, sizeof g->print),
        pointer_bits(&g->fn, sizeof g->fn),
        pointer_bits(&g->fn2, sizeof g->fn2),
        pointer_bits(&g->env, sizeof g->env),
        /* NULL and empty differ: */
        (uint64_t)(g->name != NULL) | (uint64_t)(g->subs != NULL) << 1 |
            (uint64_t)(g->weights != NULL) << 2,
    };
    uint64_t h = XXH3_64bits(scalars, sizeof scalars);
    if (g->name)
        h = XXH3_64bits_withSeed(g->name, strlen(g->name), h);
    if (g->subs && g->nsubs)
        h = XXH3_64bits_withSeed(g->subs, g->nsubs * sizeof *g->subs, h);
    if (g->weights && g->nsubs)
        h = XXH3_64bits_withSeed(g->weights, g->nsubs * sizeof *g->weights,
                                 h);
    return h;
}

/* Arrays of n items that are both NULL, or both present and equal. */
static bool same_array(const void *a, const void *b, size_t n, size_t item)
{
    if (a == NULL || b == NULL)
        return a == b;
    return n == 0 || memcmp(a, b, n * item) == 0;
}

static bool same_name(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool gen_equal(const gf_gen *a, const gf_gen *b)
{
    return a->size == b->size && a->align == b->align &&
           a->flags == b->flags && a->kind == b->kind &&
           a->label == b->label && a->nsubs == b->nsubs &&
           a->draw == b->draw && a->print == b->print && a->fn == b->fn &&
           a->fn2 == b->fn2 && a->env == b->env &&
           memcmp(&a->arg, &b->arg, sizeof a->arg) == 0 &&
           same_name(a->name, b->name) &&
           same_array(a->subs, b->subs, a->nsubs, sizeof *a->subs) &&
           same_array(a->weights, b->weights, a->nsubs, sizeof *a->weights);
}

/* ---- the table --------------------------------------------------------- */

/* One allocation per generator: the struct, then its subs, weights and
 * name.  subs follow the struct (whose size is a multiple of its pointer
 * alignment) and weights follow the pointers, so each part is aligned. */
static gf_gen *gen_copy(const gf_gen *tmpl)
{
    size_t n = tmpl->nsubs;
    if (n > SIZE_MAX / 2 / sizeof(const gf_gen *))
        gf_oom();
    size_t subs_bytes = tmpl->subs ? n * sizeof(const gf_gen *) : 0;
    size_t weights_bytes = tmpl->weights ? n * sizeof(unsigned) : 0;
    size_t name_bytes = tmpl->name ? strlen(tmpl->name) + 1 : 0;
    char *block =
        xmalloc(sizeof(gf_gen) + subs_bytes + weights_bytes + name_bytes);
    gf_gen *copy = (gf_gen *)block;
    char *rest = block + sizeof(gf_gen);

    *copy = *tmpl;
    if (tmpl->subs) {
        const gf_gen **subs = (const gf_gen **)(void *)rest;
        memcpy(subs, tmpl->subs, subs_bytes);
        copy->subs = subs;
        rest += subs_bytes;
    }
    if (tmpl->weights) {
        unsigned *weights = (unsigned *)(void *)rest;
        memcpy(weights, tmpl->weights, weights_bytes);
        copy->weights = weights;
        rest += weights_bytes;
    }
    if (tmpl->name) {
        memcpy(rest, tmpl->name, name_bytes);
        copy->name = rest;
    }
    return copy;
}

static void pool_insert(uint64_t hash, gf_gen *gen)
{
    size_t mask = pool_cap - 1;
    size_t i = (size_t)hash & mask;
    while (pool_slots[i].gen)
        i = (i + 1) & mask;
    pool_slots[i].hash = hash;
    pool_slots[i].gen = gen;
    pool_count++;
}

/* Keep the load under 3/4 so that probes stay short. */
static void pool_grow(void)
{
    pool_slot *old = pool_slots;
    size_t old_cap = pool_cap;

    pool_cap = old_cap ? old_cap * 2 : 256;
    pool_slots = xmalloc(pool_cap * sizeof *pool_slots);
    memset(pool_slots, 0, pool_cap * sizeof *pool_slots);
    pool_count = 0;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].gen)
            pool_insert(old[i].hash, old[i].gen);
    free(old);
}

static const gf_gen *pool_find(uint64_t hash, const gf_gen *tmpl)
{
    if (pool_cap == 0)
        return NULL;
    size_t mask = pool_cap - 1;
    for (size_t i = (size_t)hash & mask; pool_slots[i].gen;
         i = (i + 1) & mask)
        if (pool_slots[i].hash == hash && gen_equal(pool_slots[i].gen, tmpl))
            return pool_slots[i].gen;
    return NULL;
}

const gf_gen *gf_gen_intern(const gf_gen *tmpl)
{
    uint64_t hash = gen_hash(tmpl);

    pthread_mutex_lock(&pool_lock);
    const gf_gen *found = pool_find(hash, tmpl);
    if (found == NULL) {
        if ((pool_count + 1) * 4 > pool_cap * 3)
            pool_grow();
        gf_gen *copy = gen_copy(tmpl);
        pool_insert(hash, copy);
        found = copy;
    }
    pthread_mutex_unlock(&pool_lock);
    return found;
}

/* ---- process lifetime -------------------------------------------------- */

/* A worker forked while another thread holds the lock would otherwise
 * inherit it locked forever. */
static void pool_before_fork(void)
{
    pthread_mutex_lock(&pool_lock);
}

static void pool_after_fork(void)
{
    pthread_mutex_unlock(&pool_lock);
}

__attribute__((constructor)) static void pool_start(void)
{
    pthread_atfork(pool_before_fork, pool_after_fork, pool_after_fork);
}

/* Generators live until the process ends and are never freed: constructors
 * memoise pointers to them (generators/cache.h), and a destructor of the
 * user's may still draw.  The pool stays reachable from pool_slots, so leak
 * checkers do not count it as lost. */

/* ---- accessors --------------------------------------------------------- */

const char *gf_gen_name(const gf_gen *g)
{
    if (g == NULL)
        return "(null generator)";
    return g->name ? g->name : "(unnamed)";
}

size_t gf_gen_value_size(const gf_gen *g)
{
    return g ? g->size : 0;
}
