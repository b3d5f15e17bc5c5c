/*
 * collections.c - values built from several draws of other generators:
 * structs from field generators, arrays of distinct items, maps with
 * distinct keys, subsequences of a list, and a generator confined to a
 * range of sizes.
 *
 * Like combinators.c, children are drawn with gf_draw_into, so each field,
 * item or pair is a span the shrinker can edit on its own, and printers
 * compose the children's printers into C literals: {.x = 1, .name = "a"},
 * {{1, "a"}, {2, ""}}.
 *
 * Nothing here may loop without bound on what a generator gives: an array
 * of distinct items redraws a duplicate a fixed number of times, then ends
 * or discards the case.  Lists and names given by the caller are copied
 * into interned generators, so equal arguments give one generator and
 * nothing is allocated per call.
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

static size_t round_up(size_t n, size_t align)
{
    return (n + align - 1) / align * align;
}

/*
 * A generator that only holds a string, as its name: the pool copies a
 * name whole and compares it by content, so the string lives as long as
 * the process and equal strings give one holder.  `size` tells a NULL
 * string (0) from an empty one (1).
 */
static const gf_gen *string_holder(const char *s)
{
    gf_gen t = {.name = s, .size = s != NULL, .align = 1};
    return gf_gen_intern(&t);
}

static const char *held_string(const gf_gen *holder)
{
    return holder->size ? holder->name : NULL;
}

/* ---- struct ------------------------------------------------------------ */

/*
 * A field is a generator of its own that is never drawn: its name is the
 * field's name, arg.u[0] its offset, subs[0] the field's generator.  The
 * struct: subs: the fields; arg.u[0]: 1 if the caller's list was NULL.
 */
static const gf_gen *make_field(const gf_field *f)
{
    const gf_gen *gen = f->gen;
    gf_gen t = {
        .name = f->name,
        .size = 0,
        .align = 1,
        .subs = &gen,
        .nsubs = 1,
    };
    t.arg.u[0] = f->offset;
    return gf_gen_intern(&t);
}

static void check_fields(gf_case *tc, const gf_gen *self)
{
    if (self->arg.u[0])
        gf_gen_misuse(tc, self, "the list of fields is NULL");
    if (self->nsubs == 0)
        gf_gen_misuse(tc, self, "no fields");
    for (size_t i = 0; i < self->nsubs; i++) {
        const gf_gen *f = self->subs[i], *g = f->subs[0];
        size_t off = (size_t)f->arg.u[0];
        if (f->name == NULL)
            gf_gen_misuse(tc, self, "field %zu has no name", i);
        if (g == NULL)
            gf_gen_misuse(tc, self, "field %s: the generator is NULL",
                          f->name);
        if (off > self->size || g->size > self->size - off)
            gf_gen_misuse(tc, self,
                          "field %s (%zu bytes at offset %zu) does not fit "
                          "the %zu-byte struct",
                          f->name, g->size, off, self->size);
        if (g->align && off % g->align != 0)
            gf_gen_misuse(tc, self,
                          "field %s: offset %zu is not aligned for %s",
                          f->name, off, gf_gen_name(g));
        for (size_t j = 0; j < i; j++) {
            const gf_gen *o = self->subs[j];
            size_t ooff = (size_t)o->arg.u[0];
            if (off < ooff + o->subs[0]->size && ooff < off + g->size)
                gf_gen_misuse(tc, self, "fields %s and %s overlap", o->name,
                              f->name);
        }
    }
}

static void draw_struct(gf_case *tc, const gf_gen *self, void *out)
{
    check_fields(tc, self);
    memset(out, 0, self->size);
    unsigned char *bytes = out;
    for (size_t i = 0; i < self->nsubs; i++) {
        const gf_gen *f = self->subs[i];
        gf_draw_into(tc, f->subs[0], bytes + f->arg.u[0]);
    }
}

static void print_struct(gf_printer *p, const gf_gen *self, const void *value)
{
    const unsigned char *bytes = value;
    gf_print(p, "{");
    for (size_t i = 0; i < self->nsubs; i++) {
        const gf_gen *f = self->subs[i];
        gf_print(p, "%s.%s = ", i ? ", " : "", f->name ? f->name : "?");
        gf_print_value(p, f->subs[0], bytes + f->arg.u[0]);
    }
    gf_print(p, "}");
}

/* Fields are few; more than fit on the stack go to the heap for the
 * moment it takes to intern them. */
#define STACK_FIELDS 32

const gf_gen *gf_struct(const char *name, size_t size, const gf_field *fields,
                        size_t nfields)
{
    char full[NAME_CAP];
    gen_name_format(full, "struct %s", name ? name : "?");
    const gf_gen *stack[STACK_FIELDS];
    const gf_gen **subs = stack;
    bool null_list = fields == NULL && nfields > 0;
    if (null_list)
        nfields = 0;
    if (nfields > STACK_FIELDS) {
        subs = malloc(nfields * sizeof *subs);
        if (subs == NULL) {
            fputs("gadfly: out of memory building a generator\n", stderr);
            abort();
        }
    }
    size_t align = 1;
    for (size_t i = 0; i < nfields; i++) {
        subs[i] = make_field(&fields[i]);
        if (fields[i].gen && fields[i].gen->align > align)
            align = fields[i].gen->align;
    }
    gf_gen t = {
        .name = full,
        .size = size,
        .align = size % align == 0 ? align : 1,
        .label = gf_span_label(full),
        .draw = draw_struct,
        .print = print_struct,
        .subs = subs,
        .nsubs = nfields,
    };
    t.arg.u[0] = null_list;
    const gf_gen *g = gf_gen_intern(&t);
    if (subs != stack)
        free(subs);
    return g;
}

/* ---- unique arrays and maps -------------------------------------------- */

/*
 * subs[0]: the item generator; subs[1]: the generator of the key the items
 * are told apart by (the item itself, or a map's key, which a pair holds
 * at offset 0); arg.u[0], arg.u[1]: min and max items; arg.u[2]: 1 for a
 * map (a gf_dict), 0 for an array; arg.u[3]:
 * the label of one attempt's span; fn: a gf_eq_fn on the items, or NULL;
 * env.
 *
 * Each item is drawn up to UNIQUE_ATTEMPTS times; a duplicate attempt's
 * span is marked discarded, as a rejected filter attempt is.  When every
 * attempt is a duplicate, the item generator has likely run out of new
 * values, and drawing on could loop for ever: the array ends there, and a
 * case that has fewer than min items by then is discarded.
 */
#define UNIQUE_ATTEMPTS 8

static bool same_by_default(const gf_gen *key, const void *a, const void *b)
{
    if (key->flags & GF_GEN_TEXT) {
        const char *x = *(const char *const *)a, *y = *(const char *const *)b;
        if (x == NULL || y == NULL)
            return x == y;
        return strcmp(x, y) == 0;
    }
    if (key->flags & GF_GEN_BYTES) {
        const gf_bytes_value *x = a, *y = b;
        return x->len == y->len &&
               (x->len == 0 || memcmp(x->data, y->data, x->len) == 0);
    }
    return memcmp(a, b, key->size) == 0;
}

static bool is_duplicate(const gf_gen *self, const unsigned char *items,
                         size_t len, const unsigned char *slot)
{
    const gf_gen *elem = self->subs[0], *key = self->subs[1];
    size_t stride = elem->size;
    gf_eq_fn same = (gf_eq_fn)self->fn;
    for (size_t i = 0; i < len; i++) {
        const unsigned char *other = items + i * stride;
        bool dup = same ? same(gen_value_view(elem, other),
                               gen_value_view(elem, slot), self->env)
                        : same_by_default(key, other, slot);
        if (dup)
            return true;
    }
    return false;
}

static void draw_unique(gf_case *tc, const gf_gen *self, void *out)
{
    const gf_gen *elem = self->subs[0];
    size_t min = (size_t)self->arg.u[0], max = (size_t)self->arg.u[1];
    if (elem == NULL || self->subs[1] == NULL)
        gf_gen_misuse(tc, self, "the %s generator is NULL",
                      self->arg.u[2] ? "key or the value" : "item");
    if (min > max)
        gf_gen_misuse(tc, self, "min (%zu) > max (%zu)", min, max);

    size_t stride = elem->size, cap = 0, len = 0;
    unsigned char *items = gen_grow_items(tc, self, NULL, 0, &cap, stride);
    gf_many m;
    gf_many_init(tc, &m, min, max);
    while (gf_many_more(tc, &m)) {
        if (len == cap)
            items = gen_grow_items(tc, self, items, len, &cap, stride);
        unsigned char *slot = items + len * stride;
        bool fresh = false;
        for (int attempt = 0; attempt < UNIQUE_ATTEMPTS && !fresh;
             attempt++) {
            gf_span_begin(tc, self->arg.u[3]);
            gf_draw_into(tc, elem, slot);
            fresh = !is_duplicate(self, items, len, slot);
            gf_span_end(tc, !fresh);
        }
        if (!fresh) {
            if (len < min)
                gf_gen_discard(tc, self,
                               "%zu distinct items drawn, %zu wanted (min): "
                               "%d draws in a row repeated an earlier item; "
                               "the item generator may have fewer than "
                               "%zu distinct values",
                               len, min, UNIQUE_ATTEMPTS, min);
            /* The item is not kept: close its span as gf_many_more would,
             * marked discarded, and end the array here. */
            gf_span_end(tc, true);
            m.open = false;
            break;
        }
        len++;
    }
    gf_array_value *v = out;
    v->items = items;
    v->len = len;
}

static void print_unique(gf_printer *p, const gf_gen *self, const void *value)
{
    gen_print_items(p, self->subs[0], value);
}

static const gf_gen *make_unique(const char *name, const gf_gen *elem,
                                 const gf_gen *key, bool dict, size_t min,
                                 size_t max, gf_eq_fn same, void *env)
{
    char attempt[NAME_CAP + 16];
    snprintf(attempt, sizeof attempt, "%s attempt", name);
    const gf_gen *subs[2] = {elem, key};
    gf_gen t = {
        .name = name,
        .size = sizeof(gf_array_value),
        .align = _Alignof(gf_array_value),
        .label = gf_span_label(name),
        .draw = draw_unique,
        .print = print_unique,
        .subs = subs,
        .nsubs = 2,
        .fn = (void (*)(void))same,
        .env = env,
    };
    t.arg.u[0] = min;
    t.arg.u[1] = max;
    t.arg.u[2] = dict;
    t.arg.u[3] = gf_span_label(attempt);
    return gf_gen_intern(&t);
}

static const gf_gen *build_unique(const gf_gen *g, size_t min, size_t max)
{
    char name[NAME_CAP];
    gen_name_format(name, "unique_array(%s, %zu, %zu)", gf_gen_name(g), min, max);
    return make_unique(name, g, g, false, min, max, NULL, NULL);
}

const gf_gen *gf_unique_array(const gf_gen *g, size_t min, size_t max)
{
    GEN_MEMO_RETURN(gf_unique_array, (uintptr_t)g, min, max,
                    build_unique(g, min, max));
}

const gf_gen *gf_unique_array_by(const gf_gen *g, size_t min, size_t max,
                                 gf_eq_fn same, void *env)
{
    if (same == NULL)
        return gf_unique_array(g, min, max);
    char name[NAME_CAP];
    gen_name_format(name, "unique_array_by(%s, %zu, %zu)", gf_gen_name(g), min,
                max);
    return make_unique(name, g, g, false, min, max, same, env);
}

/* A (key, value) pair, laid out as struct { K key; V value; }: subs[0]
 * the key at offset 0, subs[1] the value at arg.u[0]. */
static void draw_pair(gf_case *tc, const gf_gen *self, void *out)
{
    memset(out, 0, self->size);
    gf_draw_into(tc, self->subs[0], out);
    gf_draw_into(tc, self->subs[1], (unsigned char *)out + self->arg.u[0]);
}

static void print_pair(gf_printer *p, const gf_gen *self, const void *value)
{
    gf_print(p, "{");
    gf_print_value(p, self->subs[0], value);
    gf_print(p, ", ");
    gf_print_value(p, self->subs[1],
                   (const unsigned char *)value + self->arg.u[0]);
    gf_print(p, "}");
}

static const gf_gen *make_pair(const gf_gen *key, const gf_gen *value)
{
    char name[NAME_CAP];
    gen_name_format(name, "pair(%s, %s)", gf_gen_name(key), gf_gen_name(value));
    size_t align = key->align > value->align ? key->align : value->align;
    size_t voff = round_up(key->size, value->align ? value->align : 1);
    const gf_gen *subs[2] = {key, value};
    gf_gen t = {
        .name = name,
        .size = round_up(voff + value->size, align ? align : 1),
        .align = align ? align : 1,
        .label = gf_span_label(name),
        .draw = draw_pair,
        .print = print_pair,
        .subs = subs,
        .nsubs = 2,
    };
    t.arg.u[0] = voff;
    return gf_gen_intern(&t);
}

static const gf_gen *build_dict(const gf_gen *key, const gf_gen *value,
                                size_t min, size_t max)
{
    char name[NAME_CAP];
    gen_name_format(name, "dict(%s, %s, %zu, %zu)", gf_gen_name(key),
                gf_gen_name(value), min, max);
    /* A NULL key or value leaves the pair out, reported when drawn. */
    const gf_gen *pair = key && value ? make_pair(key, value) : NULL;
    return make_unique(name, pair, pair ? key : NULL, true, min, max, NULL,
                       NULL);
}

const gf_gen *gf_dict(const gf_gen *key, const gf_gen *value, size_t min,
                      size_t max)
{
    /* Two generators and two counts: the memo holds one combination of
     * them, min and max packed (the memo is only a shortcut). */
    uint64_t counts = (uint64_t)min << 32 ^ (uint64_t)max;
    if (min > UINT32_MAX || max > UINT32_MAX)
        return build_dict(key, value, min, max);
    GEN_MEMO_RETURN(gf_dict, (uintptr_t)key, (uintptr_t)value, counts,
                    build_dict(key, value, min, max));
}

/* ---- subsequences ------------------------------------------------------ */

/*
 * subs: the list, as one gf_just of the n int64_t values (ints), or one
 * string holder per value (strings); arg.u[0]: n; arg.u[1], arg.u[2]: min
 * and max; arg.u[3]: SUBSEQ_NULL_LIST if the caller's list was NULL with
 * n > 0, | SUBSEQ_STRINGS for a list of strings.
 *
 * One choice per list element, in order, so the shrinker lowers them one
 * by one.  Until min are kept the choice is "skip it?" (forced false when
 * no more can be skipped); after, it is "keep it?" (forced false at max).
 * false is simplest both ways, so a subsequence shrinks toward the first
 * min elements.
 */
#define SUBSEQ_NULL_LIST 0x1u
#define SUBSEQ_STRINGS 0x2u

static void check_subsequence(gf_case *tc, const gf_gen *self)
{
    size_t n = (size_t)self->arg.u[0];
    size_t min = (size_t)self->arg.u[1], max = (size_t)self->arg.u[2];
    if (self->arg.u[3] & SUBSEQ_NULL_LIST)
        gf_gen_misuse(tc, self, "the list of values is NULL");
    if (min > max)
        gf_gen_misuse(tc, self, "min (%zu) > max (%zu)", min, max);
    if (min > n)
        gf_gen_misuse(tc, self, "min (%zu) > the %zu values of the list",
                      min, n);
}

/* Whether to keep element i of n, having kept `kept`. */
static bool keep_next(gf_case *tc, size_t i, size_t n, size_t kept,
                      size_t min, size_t max)
{
    if (kept < min) {
        if (n - i == min - kept)
            return !gf_force_bool(tc, false);
        return !gf_draw_bool(tc);
    }
    if (kept >= max)
        return gf_force_bool(tc, false);
    return gf_draw_bool(tc);
}

static void draw_subsequence(gf_case *tc, const gf_gen *self, void *out)
{
    check_subsequence(tc, self);
    size_t n = (size_t)self->arg.u[0];
    size_t min = (size_t)self->arg.u[1], max = (size_t)self->arg.u[2];
    bool strings = (self->arg.u[3] & SUBSEQ_STRINGS) != 0;
    size_t stride = strings ? sizeof(char *) : sizeof(int64_t);
    unsigned char *items = gf_alloc(tc, (n ? n : 1) * stride);
    const int64_t *ints = NULL;
    if (!strings && n) {
        int64_t *copy = gf_alloc(tc, n * sizeof *copy);
        self->subs[0]->draw(tc, self->subs[0], copy); /* draws nothing */
        ints = copy;
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (!keep_next(tc, i, n, kept, min, max))
            continue;
        if (ints) {
            memcpy(items + kept * stride, &ints[i], stride);
        } else {
            const char *s = held_string(self->subs[i]);
            memcpy(items + kept * stride, &s, stride);
        }
        kept++;
    }
    gf_array_value *v = out;
    v->items = items;
    v->len = kept;
}

static void print_subsequence(gf_printer *p, const gf_gen *self,
                              const void *value)
{
    const gf_array_value *v = value;
    gf_print(p, "{");
    for (size_t i = 0; i < v->len; i++) {
        if (i)
            gf_print(p, ", ");
        if (self->arg.u[3] & SUBSEQ_STRINGS) {
            const char *s = ((char *const *)v->items)[i];
            if (s)
                gf_print_string(p, s, strlen(s));
            else
                gf_print(p, "NULL");
        } else {
            int64_t x = ((const int64_t *)v->items)[i];
            if (x == INT64_MIN)
                gf_print(p, "INT64_MIN");
            else
                gf_print(p, "%" PRId64, x);
        }
    }
    gf_print(p, "}");
}

static const gf_gen *make_subsequence(const char *family,
                                      const gf_gen *const *subs,
                                      size_t nsubs, unsigned how, size_t n,
                                      size_t min, size_t max)
{
    char name[NAME_CAP];
    gen_name_format(name, "%s(%zu values, %zu, %zu)", family, n, min, max);
    gf_gen t = {
        .name = name,
        .size = sizeof(gf_array_value),
        .align = _Alignof(gf_array_value),
        .label = gf_span_label(name),
        .draw = draw_subsequence,
        .print = print_subsequence,
        .subs = subs,
        .nsubs = nsubs,
    };
    t.arg.u[0] = n;
    t.arg.u[1] = min;
    t.arg.u[2] = max;
    t.arg.u[3] = how;
    return gf_gen_intern(&t);
}

const gf_gen *gf_subsequence_int(const int64_t *values, size_t n, size_t min,
                                 size_t max)
{
    bool null_list = values == NULL && n > 0;
    if (null_list || n > SIZE_MAX / sizeof *values)
        return make_subsequence("subsequence_int", NULL, 0, SUBSEQ_NULL_LIST,
                                n, min, max);
    const gf_gen *list = gf_just(values, n * sizeof *values);
    return make_subsequence("subsequence_int", &list, 1, 0, n, min, max);
}

const gf_gen *gf_subsequence_str(const char *const *values, size_t n,
                                 size_t min, size_t max)
{
    if (values == NULL && n > 0)
        return make_subsequence("subsequence_str", NULL, 0,
                                SUBSEQ_STRINGS | SUBSEQ_NULL_LIST, n, min,
                                max);
    const gf_gen *stack[STACK_FIELDS];
    const gf_gen **subs = stack;
    if (n > STACK_FIELDS) {
        subs = malloc(n * sizeof *subs);
        if (subs == NULL) {
            fputs("gadfly: out of memory building a generator\n", stderr);
            abort();
        }
    }
    for (size_t i = 0; i < n; i++)
        subs[i] = string_holder(values[i]);
    const gf_gen *g = make_subsequence("subsequence_str", n ? subs : NULL,
                                       n, SUBSEQ_STRINGS, n, min, max);
    if (subs != stack)
        free(subs);
    return g;
}

/* ---- sized ------------------------------------------------------------- */

/* subs[0]: the generator; arg.d[0], arg.d[1]: min and max of the hint. */
static void draw_sized(gf_case *tc, const gf_gen *self, void *out)
{
    const gf_gen *g = self->subs[0];
    double min = self->arg.d[0], max = self->arg.d[1];
    if (g == NULL)
        gf_gen_misuse(tc, self, "the generator is NULL");
    if (!(min >= 0 && max <= 1 && min <= max))
        gf_gen_misuse(tc, self, "need 0 <= min <= max <= 1, not [%g, %g]",
                      min, max);
    double outer = gf_size_hint(tc);
    gf_size_hint_set(tc, min + outer * (max - min));
    gf_draw_into(tc, g, out);
    gf_size_hint_set(tc, outer);
}

static void print_sized(gf_printer *p, const gf_gen *self, const void *value)
{
    gf_print_value(p, self->subs[0], value);
}

const gf_gen *gf_sized(const gf_gen *g, double min, double max)
{
    char name[NAME_CAP];
    gen_name_format(name, "sized(%s, %g, %g)", gf_gen_name(g), min, max);
    gf_gen t = {
        .name = name,
        .size = g ? g->size : 0,
        .align = g ? g->align : 1,
        .flags = g ? g->flags & (GF_GEN_POINTER_VALUE | GF_GEN_TEXT |
                                 GF_GEN_BYTES)
                   : 0,
        .kind = g ? g->kind : GF_VALUE_OTHER,
        .label = gf_span_label(name),
        .draw = draw_sized,
        .print = print_sized,
        .subs = &g,
        .nsubs = 1,
    };
    t.arg.d[0] = min;
    t.arg.d[1] = max;
    return gf_gen_intern(&t);
}
