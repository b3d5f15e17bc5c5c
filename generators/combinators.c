/*
 * combinators.c - generators built from generators: arrays, optional
 * values, choices, map, filter, bind, recursion and user generators.
 *
 * Children are always drawn with gf_draw_into, so every child value is a
 * span with the child's label: the shrinker can delete an array element,
 * swap two alternatives' draws, or replace a tree node by a smaller
 * descendant of the same label.  Printers compose the children's printers,
 * so a counterexample reads as C: {0, -1}, NULL, {"a", "\xC3"}.
 *
 * Callbacks (map, filter, bind) see a child value the way gf_draw returns
 * it: a pointer to the value, or the pointer itself for pointer-valued
 * generators (a char * for text).
 *
 * Everything is built through gf_gen_intern, so constructing a combinator
 * inside a property allocates nothing; draws use only the case's arena.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gadfly.h>
#include <gadfly/gen.h>

#include "cache.h"
#include "items.h"

/* ---- helpers ----------------------------------------------------------- */

void gen_name_format(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, NAME_CAP, fmt, ap);
    va_end(ap);
    if (n >= NAME_CAP)
        memcpy(buf + NAME_CAP - 4, "...", 4);
}

static void name_append(char *buf, const char *s)
{
    size_t len = strlen(buf), add = strlen(s);
    if (len + add < NAME_CAP) {
        memcpy(buf + len, s, add + 1);
    } else if (len < NAME_CAP - 1) {
        memcpy(buf + len, s, NAME_CAP - 1 - len);
        memcpy(buf + NAME_CAP - 4, "...", 4);
    }
}

const void *gen_value_view(const gf_gen *g, const void *slot)
{
    if (g->flags & GF_GEN_POINTER_VALUE)
        return *(void *const *)slot;
    return slot;
}

static bool pointer_valued(const gf_gen *g)
{
    return (g->flags & GF_GEN_POINTER_VALUE) != 0;
}

/* The flags a combinator whose value is one of its children's values
 * keeps: pointer-ness from the first child, and "text" or "bytes" only
 * when every child (none of them NULL) says so. */
static unsigned shared_flags(const gf_gen *const *subs, size_t n)
{
    if (n == 0 || subs[0] == NULL)
        return 0;
    unsigned kinds = GF_GEN_TEXT | GF_GEN_BYTES;
    for (size_t i = 0; i < n; i++)
        kinds &= subs[i] ? subs[i]->flags : 0;
    return (subs[0]->flags & GF_GEN_POINTER_VALUE) | kinds;
}

/* The largest power of two dividing size, up to the strictest alignment:
 * a user value may be any object, and arrays of it must stay contiguous. */
static size_t natural_align(size_t size)
{
    size_t align = 1;
    while (align < _Alignof(max_align_t) && size % (align * 2) == 0)
        align *= 2;
    return align;
}

static void *checked_malloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL) {
        fputs("gadfly: out of memory building a generator\n", stderr);
        abort();
    }
    return p;
}

static void require_sub(gf_case *tc, const gf_gen *self, const gf_gen *sub,
                        const char *what)
{
    if (sub == NULL)
        gf_gen_misuse(tc, self, "%s is NULL", what);
}

/* ---- array ------------------------------------------------------------- */

/* subs[0]: the element; arg.u[0], arg.u[1]: min and max items. */

unsigned char *gen_grow_items(gf_case *tc, const gf_gen *self,
                              unsigned char *items, size_t len, size_t *cap,
                              size_t stride)
{
    size_t want = *cap < 8 ? 8 : *cap * 2;
    if (stride && want > SIZE_MAX / stride)
        gf_gen_misuse(tc, self, "array too large");
    unsigned char *bigger = gf_alloc(tc, want * stride);
    if (len)
        memcpy(bigger, items, len * stride);
    *cap = want;
    return bigger;
}

static void draw_array(gf_case *tc, const gf_gen *self, void *out)
{
    const gf_gen *elem = self->subs[0];
    size_t min = (size_t)self->arg.u[0], max = (size_t)self->arg.u[1];
    require_sub(tc, self, elem, "the element generator");
    if (min > max)
        gf_gen_misuse(tc, self, "min (%zu) > max (%zu)", min, max);

    size_t stride = elem->size, cap = 0, len = 0;
    unsigned char *items = gen_grow_items(tc, self, NULL, 0, &cap, stride);
    gf_many m;
    gf_many_init(tc, &m, min, max);
    for (;;) {
        len += gf_many_draw(tc, &m, elem, items + len * stride, cap - len);
        if (m.done)
            break;
        items = gen_grow_items(tc, self, items, len, &cap, stride);
    }
    gf_array_value *v = out;
    v->items = items;
    v->len = len;
}

void gen_print_items(gf_printer *p, const gf_gen *elem,
                     const gf_array_value *v)
{
    const unsigned char *items = v->items;
    gf_print(p, "{");
    for (size_t i = 0; i < v->len; i++) {
        if (i)
            gf_print(p, ", ");
        gf_print_value(p, elem, items + i * elem->size);
    }
    gf_print(p, "}");
}

static void print_array(gf_printer *p, const gf_gen *self, const void *value)
{
    gen_print_items(p, self->subs[0], value);
}

static const gf_gen *build_array(const gf_gen *g, size_t min, size_t max)
{
    char name[NAME_CAP];
    gen_name_format(name, "array(%s, %zu, %zu)", gf_gen_name(g), min, max);
    gf_gen t = {
        .name = name,
        .size = sizeof(gf_array_value),
        .align = _Alignof(gf_array_value),
        .label = gf_span_label(name),
        .draw = draw_array,
        .print = print_array,
        .subs = &g,
        .nsubs = 1,
    };
    t.arg.u[0] = min;
    t.arg.u[1] = max;
    return gf_gen_intern(&t);
}

const gf_gen *gf_array(const gf_gen *g, size_t min, size_t max)
{
    GEN_MEMO_RETURN(gf_array, (uintptr_t)g, min, max, build_array(g, min, max));
}

/* gf_draw_array and gf_draw_array_named: an array generator drawn, its
 * items returned.  A NULL case with no case running ends in gf_draw. */
static void *draw_items(gf_case *tc, const gf_gen *array, size_t *len,
                        const char *name, const char *fn)
{
    if (!len && (tc || (tc = gf_current())))
        gf_gen_misuse(tc, array, "%s: len is NULL (pass &n to receive the "
                      "number of items)", fn);
    gf_array_value *a = name ? gf_draw_named(tc, array, name)
                             : gf_draw(tc, array);
    *len = a->len;
    return a->items;
}

void *gf_draw_array(gf_case *tc, const gf_gen *g, size_t min, size_t max,
                    size_t *len)
{
    return draw_items(tc, gf_array(g, min, max), len, NULL, "gf_draw_array");
}

void *gf_draw_array_named(gf_case *tc, const gf_gen *g, size_t min,
                          size_t max, size_t *len, const char *name)
{
    return draw_items(tc, gf_array(g, min, max), len, name,
                      "gf_draw_array_named");
}

/* ---- optional ---------------------------------------------------------- */

/* subs[0]: the inner generator.  The value is NULL, or what gf_draw would
 * return for the inner generator: a pointer to its value, or the value
 * itself when that is a pointer (optional(utf8) is a char * or NULL). */
#define OPTIONAL_PRESENT_P 0.75

static void draw_optional(gf_case *tc, const gf_gen *self, void *out)
{
    const gf_gen *inner = self->subs[0];
    require_sub(tc, self, inner, "the inner generator");
    const void *v = NULL;
    /* "present?" first, and false is simplest: failures shrink to NULL
     * whenever NULL still fails. */
    if (gf_draw_weighted(tc, OPTIONAL_PRESENT_P)) {
        void *slot = gf_alloc(tc, inner->size);
        gf_draw_into(tc, inner, slot);
        v = gen_value_view(inner, slot);
    }
    memcpy(out, &v, sizeof v);
}

static void print_optional(gf_printer *p, const gf_gen *self,
                           const void *value)
{
    const gf_gen *inner = self->subs[0];
    const void *v = *(const void *const *)value;
    if (v == NULL)
        gf_print(p, "NULL");
    else if (pointer_valued(inner))
        gf_print_value(p, inner, value); /* the slot holds the pointer */
    else
        gf_print_value(p, inner, v);
}

static const gf_gen *build_optional(const gf_gen *g)
{
    char name[NAME_CAP];
    gen_name_format(name, "optional(%s)", gf_gen_name(g));
    /* Text stays text (a char * or NULL); any other value becomes a
     * pointer to it, so bytes do not stay bytes. */
    gf_gen t = {
        .name = name,
        .size = sizeof(void *),
        .align = _Alignof(void *),
        .flags = GF_GEN_POINTER_VALUE | (g ? g->flags & GF_GEN_TEXT : 0),
        .kind = GF_VALUE_POINTER,
        .label = gf_span_label(name),
        .draw = draw_optional,
        .print = print_optional,
        .subs = &g,
        .nsubs = 1,
    };
    return gf_gen_intern(&t);
}

const gf_gen *gf_optional(const gf_gen *g)
{
    GEN_MEMO_RETURN(gf_optional, (uintptr_t)g, 0, 0, build_optional(g));
}

/* ---- one_of, frequency ------------------------------------------------- */

/* subs: the alternatives; weights (frequency only): one per alternative.
 * The value is the chosen alternative's value, so all must have the same
 * size and the same pointer-ness. */
static void check_alternatives(gf_case *tc, const gf_gen *self)
{
    if (self->nsubs == 0)
        gf_gen_misuse(tc, self, "no alternatives");
    for (size_t i = 0; i < self->nsubs; i++) {
        const gf_gen *alt = self->subs[i];
        if (alt == NULL)
            gf_gen_misuse(tc, self, "alternative %zu is NULL", i);
        if (alt->size != self->subs[0]->size)
            gf_gen_misuse(tc, self,
                          "alternative %zu (%s) has %zu-byte values, the "
                          "first (%s) %zu-byte values",
                          i, gf_gen_name(alt), alt->size,
                          gf_gen_name(self->subs[0]), self->subs[0]->size);
        if (pointer_valued(alt) != pointer_valued(self->subs[0]))
            gf_gen_misuse(tc, self,
                          "alternative %zu (%s) and the first (%s) differ "
                          "in whether their value is a pointer",
                          i, gf_gen_name(alt), gf_gen_name(self->subs[0]));
    }
}

/* Uniform; index 0 is simplest, so choices shrink toward the first. */
static void draw_one_of(gf_case *tc, const gf_gen *self, void *out)
{
    check_alternatives(tc, self);
    size_t i = (size_t)gf_draw_uint(tc, 0, self->nsubs - 1);
    gf_draw_into(tc, self->subs[i], out);
}

/*
 * One "skip this one?" choice per alternative, each with the exact
 * probability that keeps the weights: P(skip i) = (rest - w_i) / rest.  A
 * single index draw would be skewed by the engine's edge bias toward the
 * bounds; booleans are not.  false (take it) is simplest, so choices shrink
 * toward the first.
 */
static void draw_frequency(gf_case *tc, const gf_gen *self, void *out)
{
    check_alternatives(tc, self);
    uint64_t rest = 0;
    for (size_t i = 0; i < self->nsubs; i++)
        rest += self->weights[i];
    size_t pick = self->nsubs - 1;
    for (size_t i = 0; i + 1 < self->nsubs; i++) {
        double p_skip = (double)(rest - self->weights[i]) / (double)rest;
        if (!gf_draw_weighted(tc, p_skip)) {
            pick = i;
            break;
        }
        rest -= self->weights[i];
    }
    gf_draw_into(tc, self->subs[pick], out);
}

/* The value does not say which alternative drew it; they share one value
 * type, so the first alternative with a printer of its own prints it. */
static const gf_gen *printing_alternative(const gf_gen *self)
{
    for (size_t i = 0; i < self->nsubs; i++)
        if (self->subs[i] && self->subs[i]->print)
            return self->subs[i];
    return self->nsubs ? self->subs[0] : NULL;
}

static void print_alternatives(gf_printer *p, const gf_gen *self,
                               const void *value)
{
    gf_print_value(p, printing_alternative(self), value);
}

static const gf_gen *make_choice(const char *family, const gf_gen **subs,
                                 const unsigned *weights, size_t n,
                                 gf_gen_draw_fn draw)
{
    char name[NAME_CAP];
    gen_name_format(name, "%s(", family);
    for (size_t i = 0; i < n; i++) {
        if (i)
            name_append(name, ", ");
        name_append(name, gf_gen_name(subs[i]));
    }
    name_append(name, ")");

    const gf_gen *first = n && subs[0] ? subs[0] : NULL;
    gf_gen t = {
        .name = name,
        .size = first ? first->size : 0,
        .align = first ? first->align : 1,
        .flags = shared_flags(subs, n),
        .kind = first ? first->kind : GF_VALUE_OTHER,
        .label = gf_span_label(name),
        .draw = draw,
        .print = print_alternatives,
        .subs = subs,
        .nsubs = n,
        .weights = weights,
    };
    return gf_gen_intern(&t);
}

/* Alternatives are few; more than fit on the stack go to the heap for the
 * moment it takes to intern them. */
#define STACK_ALTERNATIVES 16

const gf_gen *gf_one_of_(const gf_gen *first, ...)
{
    size_t n = 0;
    va_list ap;
    if (first) {
        n = 1;
        va_start(ap, first);
        while (va_arg(ap, const gf_gen *))
            n++;
        va_end(ap);
    }
    const gf_gen *stack[STACK_ALTERNATIVES];
    const gf_gen **subs =
        n <= STACK_ALTERNATIVES ? stack : checked_malloc(n * sizeof *subs);
    if (n) {
        subs[0] = first;
        va_start(ap, first);
        for (size_t i = 1; i < n; i++)
            subs[i] = va_arg(ap, const gf_gen *);
        va_end(ap);
    }
    const gf_gen *g = make_choice("one_of", subs, NULL, n, draw_one_of);
    if (subs != stack)
        free(subs);
    return g;
}

const gf_gen *gf_frequency_(unsigned weight, ...)
{
    size_t n = 0;
    va_list ap;
    va_start(ap, weight);
    for (unsigned w = weight; w != 0; w = va_arg(ap, unsigned)) {
        (void)va_arg(ap, const gf_gen *);
        n++;
    }
    va_end(ap);

    const gf_gen *stack[STACK_ALTERNATIVES];
    unsigned stack_weights[STACK_ALTERNATIVES];
    bool heap = n > STACK_ALTERNATIVES;
    const gf_gen **subs = heap ? checked_malloc(n * sizeof *subs) : stack;
    unsigned *weights =
        heap ? checked_malloc(n * sizeof *weights) : stack_weights;
    va_start(ap, weight);
    unsigned w = weight;
    for (size_t i = 0; i < n; i++) {
        weights[i] = w;
        subs[i] = va_arg(ap, const gf_gen *);
        w = va_arg(ap, unsigned);
    }
    va_end(ap);

    const gf_gen *g =
        make_choice("frequency", subs, weights, n, draw_frequency);
    if (heap) {
        free(subs);
        free(weights);
    }
    return g;
}

/* ---- map --------------------------------------------------------------- */

/* subs[0]: the input generator; fn: the gf_map_fn; fn2: the gf_print_fn
 * (NULL: print the bytes); env. */
static void draw_map(gf_case *tc, const gf_gen *self, void *out)
{
    const gf_gen *in = self->subs[0];
    require_sub(tc, self, in, "the input generator");
    if (self->fn == NULL)
        gf_gen_misuse(tc, self, "the map function is NULL");
    void *slot = gf_alloc(tc, in->size);
    gf_draw_into(tc, in, slot);
    /* A function that fills only part of the value leaves zeros, not
     * arena garbage, so its output is reproducible. */
    memset(out, 0, self->size);
    ((gf_map_fn)self->fn)(tc, gen_value_view(in, slot), out, self->env);
}

static void print_user(gf_printer *p, const gf_gen *self, const void *value)
{
    ((gf_print_fn)self->fn2)(p, value, self->env);
}

const gf_gen *gf_map(const gf_gen *g, size_t out_size, gf_map_fn fn,
                     gf_print_fn print, void *env)
{
    char name[NAME_CAP];
    gen_name_format(name, "map(%s)", gf_gen_name(g));
    gf_gen t = {
        .name = name,
        .size = out_size,
        .align = natural_align(out_size),
        .label = gf_span_label(name),
        .draw = draw_map,
        .print = print ? print_user : NULL,
        .subs = &g,
        .nsubs = 1,
        .fn = (void (*)(void))fn,
        .fn2 = (void (*)(void))print,
        .env = env,
    };
    return gf_gen_intern(&t);
}

/* ---- filter ------------------------------------------------------------ */

/* subs[0]: the generator filtered; fn: the gf_pred_fn; env; arg.u[0]: the
 * label of one attempt's span. */
#define FILTER_ATTEMPTS 3

static void draw_filter(gf_case *tc, const gf_gen *self, void *out)
{
    const gf_gen *g = self->subs[0];
    gf_pred_fn pred = (gf_pred_fn)self->fn;
    require_sub(tc, self, g, "the generator filtered");
    if (pred == NULL)
        gf_gen_misuse(tc, self, "the predicate is NULL");

    for (int attempt = 0; attempt < FILTER_ATTEMPTS; attempt++) {
        /* A rejected attempt's span is marked discarded: it does not shape
         * the value, and the shrinker may delete it. */
        gf_span_begin(tc, self->arg.u[0]);
        gf_draw_into(tc, g, out);
        bool ok = pred(gen_value_view(g, out), self->env);
        gf_span_end(tc, !ok);
        if (ok)
            return;
        gf_filter_rejected(tc, self, false);
    }
    gf_filter_rejected(tc, self, true);
    gf_discard(tc);
}

static void print_filtered(gf_printer *p, const gf_gen *self,
                           const void *value)
{
    gf_print_value(p, self->subs[0], value);
}

const gf_gen *gf_filter(const gf_gen *g, gf_pred_fn pred, void *env)
{
    char name[NAME_CAP], attempt[NAME_CAP + 16];
    gen_name_format(name, "filter(%s)", gf_gen_name(g));
    snprintf(attempt, sizeof attempt, "%s attempt", name);
    gf_gen t = {
        .name = name,
        .size = g ? g->size : 0,
        .align = g ? g->align : 1,
        .flags = shared_flags(&g, 1),
        .kind = g ? g->kind : GF_VALUE_OTHER,
        .label = gf_span_label(name),
        .draw = draw_filter,
        .print = print_filtered,
        .subs = &g,
        .nsubs = 1,
        .fn = (void (*)(void))pred,
        .env = env,
    };
    t.arg.u[0] = gf_span_label(attempt);
    return gf_gen_intern(&t);
}

/* ---- bind -------------------------------------------------------------- */

/*
 * subs[0]: the first generator; fn: the gf_bind_fn; env.
 *
 * Which generator the second draw uses is known only once the first value
 * is drawn, so the value type is not known in advance: the value is a
 * pointer to the bound generator's value (for a pointer-valued generator,
 * a pointer to that pointer).  To print it, the bound generator is stored
 * in the arena just before the value.
 */
#define BIND_HEADER                                                          \
    ((sizeof(const gf_gen *) + _Alignof(max_align_t) - 1) /                  \
     _Alignof(max_align_t) * _Alignof(max_align_t))

static void draw_bind(gf_case *tc, const gf_gen *self, void *out)
{
    const gf_gen *first = self->subs[0];
    gf_bind_fn fn = (gf_bind_fn)self->fn;
    require_sub(tc, self, first, "the first generator");
    if (fn == NULL)
        gf_gen_misuse(tc, self, "the bind function is NULL");

    void *slot = gf_alloc(tc, first->size);
    gf_draw_into(tc, first, slot);
    const gf_gen *bound = fn(gen_value_view(first, slot), self->env);
    if (bound == NULL)
        gf_gen_misuse(tc, self, "the bind function returned NULL");

    unsigned char *box = gf_alloc(tc, BIND_HEADER + bound->size);
    memcpy(box, &bound, sizeof bound);
    void *value = box + BIND_HEADER;
    gf_draw_into(tc, bound, value);
    memcpy(out, &value, sizeof value);
}

static void print_bind(gf_printer *p, const gf_gen *self, const void *value)
{
    (void)self;
    const unsigned char *v = *(const unsigned char *const *)value;
    if (v == NULL) {
        gf_print(p, "NULL");
        return;
    }
    const gf_gen *bound;
    memcpy(&bound, v - BIND_HEADER, sizeof bound);
    gf_print_value(p, bound, v);
}

const gf_gen *gf_bind(const gf_gen *g, gf_bind_fn fn, void *env)
{
    char name[NAME_CAP];
    gen_name_format(name, "bind(%s)", gf_gen_name(g));
    gf_gen t = {
        .name = name,
        .size = sizeof(void *),
        .align = _Alignof(void *),
        .flags = GF_GEN_POINTER_VALUE,
        .kind = GF_VALUE_POINTER,
        .label = gf_span_label(name),
        .draw = draw_bind,
        .print = print_bind,
        .subs = &g,
        .nsubs = 1,
        .fn = (void (*)(void))fn,
        .env = env,
    };
    return gf_gen_intern(&t);
}

/* ---- recursive --------------------------------------------------------- */

/*
 * A recursive generator is a tower of levels built once, at construction:
 * level 0 draws base; level k draws base or extend(level k-1).  Every level
 * has the same shape (a "deeper?" choice, forced false at level 0, then one
 * child) and the same label, so the shrinker can replace a node by any
 * smaller descendant and replay it at the node's depth.
 *
 * A level: subs[0]: base; subs[1] (above level 0): extend(level below);
 * arg.u[0]: the level; fn: extend; env.
 *
 * With one "deeper?" coin per level, a depth of 32 is reached about once
 * in 4 billion draws; towers are capped there so that a huge max_depth
 * does not build levels no draw will reach.
 */
#define RECURSIVE_MAX_LEVELS 32u

/*
 * Leaf-bounded towers (gf_recursive_leaves): the levels also hold
 * arg.u[1], the bound (0 for gf_recursive's towers, so the two never share
 * a level), and the tower is drawn through a top generator that keeps the
 * count of leaves drawn so far.  Levels are drawn by the children extend
 * made, not by the top, so the count reaches them through `leaf_budget`:
 * a per-thread pointer that the top sets for the length of its draw and
 * sets back after.  It is the only per-thread state of the generators
 * (beside constructor memos), and nothing outlives one draw: a case that
 * ends inside the draw (a failure, a discard) leaves the pointer stale,
 * but only a bounded level reads it, and a bounded level is drawn only
 * inside its top's draw, which sets the pointer first.
 */
typedef struct leaf_budget {
    uint64_t used, max;
    uint64_t open; /* internal nodes being drawn */
} leaf_budget;

static _Thread_local leaf_budget *leaf_budget_now;

/*
 * Whether a bounded level goes one level deeper: less and less often as
 * the leaves run out, and never when they are nearly out, so that trees
 * near the bound stop growing rather than discard the case.  Each node
 * still being drawn counts as LEAVES_RESERVED leaves spent, for the
 * children it has yet to draw: measured on nodes of 1 to 6 children, 8
 * levels, at most 12 leaves (tests/test_generators.c), 0 to 4 reserved
 * discard 66%, 45%, 23%, 11% and 7% of cases; 3 still reaches 12 leaves
 * in one case in ten.
 */
#define LEAVES_RESERVED 3
static bool bounded_deeper(gf_case *tc, const gf_gen *self)
{
    leaf_budget *b = leaf_budget_now;
    if (b == NULL)
        gf_gen_misuse(tc, self, "a level was drawn outside its top "
                                "(gf_recursive_leaves)");
    uint64_t spent = b->used + LEAVES_RESERVED * b->open;
    if (spent + 2 > b->max)
        return gf_force_bool(tc, false);
    double room = 1.0 - (double)spent / (double)b->max;
    return gf_draw_weighted(tc, 0.5 * room);
}

/* A leaf is drawn: past the bound (children that a node already begun
 * still needs), the case is discarded, so no value breaks the bound. */
static void bounded_leaf(gf_case *tc, const gf_gen *self)
{
    leaf_budget *b = leaf_budget_now;
    if (b == NULL)
        gf_gen_misuse(tc, self, "a level was drawn outside its top "
                                "(gf_recursive_leaves)");
    if (b->used >= b->max)
        gf_gen_discard(tc, self,
                       "a tree needed more than %" PRIu64 " leaves (max); "
                       "extend nodes with fewer children, or raise the "
                       "bound",
                       b->max);
    b->used++;
}

static void draw_recursive(gf_case *tc, const gf_gen *self, void *out)
{
    const gf_gen *base = self->subs[0];
    bool bounded = self->arg.u[1] != 0;
    require_sub(tc, self, base, "the base generator");
    if (self->fn == NULL)
        gf_gen_misuse(tc, self, "the extend function is NULL");
    if (self->arg.u[0] == 0) {
        gf_force_bool(tc, false);
        if (bounded)
            bounded_leaf(tc, self);
        gf_draw_into(tc, base, out);
        return;
    }
    const gf_gen *ext = self->subs[1];
    if (ext == NULL)
        gf_gen_misuse(tc, self, "extend returned NULL");
    if (ext->size != base->size || pointer_valued(ext) != pointer_valued(base))
        gf_gen_misuse(tc, self,
                      "extend's values (%s, %zu bytes) and base's (%s, "
                      "%zu bytes) differ in type",
                      gf_gen_name(ext), ext->size, gf_gen_name(base),
                      base->size);
    bool deeper = bounded ? bounded_deeper(tc, self) : gf_draw_bool(tc);
    if (!deeper && bounded)
        bounded_leaf(tc, self);
    if (deeper && bounded)
        leaf_budget_now->open++;
    gf_draw_into(tc, deeper ? ext : base, out);
    if (deeper && bounded)
        leaf_budget_now->open--;
}

/* The value does not say which branch drew it; extend's printer knows how
 * to print nested values, so it is preferred when it has one. */
static void print_recursive(gf_printer *p, const gf_gen *self,
                            const void *value)
{
    const gf_gen *printer = self->subs[0];
    if (self->arg.u[0] > 0 && self->subs[1] && self->subs[1]->print)
        printer = self->subs[1];
    gf_print_value(p, printer, value);
}

static const gf_gen *recursive_level(const gf_gen *base, gf_extend_fn extend,
                                     void *env, unsigned level,
                                     const gf_gen *ext, uint64_t max_leaves)
{
    char name[NAME_CAP];
    gen_name_format(name, "recursive(%s)", gf_gen_name(base));
    const gf_gen *subs[2] = {base, ext};
    gf_gen t = {
        .name = name,
        .size = base ? base->size : 0,
        .align = base ? base->align : 1,
        .flags = shared_flags(subs, level > 0 ? 2 : 1),
        .kind = base ? base->kind : GF_VALUE_OTHER,
        .label = gf_span_label(name),
        .draw = draw_recursive,
        .print = print_recursive,
        .subs = subs,
        .nsubs = level > 0 ? 2 : 1,
        .fn = (void (*)(void))extend,
        .env = env,
    };
    t.arg.u[0] = level;
    t.arg.u[1] = max_leaves;
    return gf_gen_intern(&t);
}

const gf_gen *gf_recursive(const gf_gen *base, gf_extend_fn extend,
                           unsigned max_depth, void *env)
{
    if (max_depth > RECURSIVE_MAX_LEVELS)
        max_depth = RECURSIVE_MAX_LEVELS;
    if (base == NULL || extend == NULL) /* reported when drawn */
        return recursive_level(base, extend, env, 0, NULL, 0);
    const gf_gen *level = recursive_level(base, extend, env, 0, NULL, 0);
    for (unsigned k = 1; k <= max_depth; k++)
        level = recursive_level(base, extend, env, k, extend(level, env), 0);
    return level;
}

/* The top of a leaf-bounded tower: subs[0]: the tower's top level;
 * arg.u[0]: max leaves. */
static void draw_recursive_top(gf_case *tc, const gf_gen *self, void *out)
{
    if (self->arg.u[0] == 0)
        gf_gen_misuse(tc, self, "max_leaves is 0: a tree has a leaf at "
                                "least");
    require_sub(tc, self, self->subs[0]->subs[0], "the base generator");
    leaf_budget budget = {.used = 0, .max = self->arg.u[0]};
    leaf_budget *outer = leaf_budget_now;
    leaf_budget_now = &budget;
    gf_draw_into(tc, self->subs[0], out);
    leaf_budget_now = outer;
}

static void print_recursive_top(gf_printer *p, const gf_gen *self,
                                const void *value)
{
    gf_print_value(p, self->subs[0], value);
}

const gf_gen *gf_recursive_leaves(const gf_gen *base, gf_extend_fn extend,
                                  unsigned max_depth, size_t max_leaves,
                                  void *env)
{
    if (max_depth > RECURSIVE_MAX_LEVELS)
        max_depth = RECURSIVE_MAX_LEVELS;
    /* A bound of 0 is misuse, reported when drawn; the levels are built
     * with a bound of 1 so that they stay apart from gf_recursive's. */
    uint64_t bound = max_leaves ? max_leaves : 1;
    const gf_gen *level = recursive_level(base, extend, env, 0, NULL, bound);
    if (base != NULL && extend != NULL)
        for (unsigned k = 1; k <= max_depth; k++)
            level = recursive_level(base, extend, env, k, extend(level, env),
                                    bound);
    char name[NAME_CAP];
    gen_name_format(name, "recursive(%s, %zu leaves)", gf_gen_name(base),
                max_leaves);
    gf_gen t = {
        .name = name,
        .size = level->size,
        .align = level->align,
        .flags = level->flags,
        .kind = level->kind,
        .label = gf_span_label(name),
        .draw = draw_recursive_top,
        .print = print_recursive_top,
        .subs = &level,
        .nsubs = 1,
    };
    t.arg.u[0] = max_leaves;
    return gf_gen_intern(&t);
}

/* ---- custom ------------------------------------------------------------ */

/* fn: the gf_draw_fn; fn2: the gf_print_fn (NULL: print the bytes); env. */
static void draw_custom(gf_case *tc, const gf_gen *self, void *out)
{
    if (self->fn == NULL)
        gf_gen_misuse(tc, self, "the draw function is NULL");
    memset(out, 0, self->size);
    ((gf_draw_fn)self->fn)(tc, out, self->env);
}

const gf_gen *gf_custom(const char *name, size_t size, gf_draw_fn draw,
                        gf_print_fn print, void *env)
{
    if (name == NULL)
        name = "custom";
    gf_gen t = {
        .name = name,
        .size = size,
        .align = natural_align(size),
        .label = gf_span_label(name),
        .draw = draw_custom,
        .print = print ? print_user : NULL,
        .fn = (void (*)(void))draw,
        .fn2 = (void (*)(void))print,
        .env = env,
    };
    return gf_gen_intern(&t);
}
