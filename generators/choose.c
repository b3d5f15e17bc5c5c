/*
 * choose.c - values chosen from a list, and permutations.
 *
 * gf_sampled_from_int and gf_sampled_from_str pick one element of a list
 * the caller gives: one integer choice, the element's index, so the value
 * shrinks toward the list's first element.  gf_permutation shuffles
 * 0..n-1 by Fisher-Yates with one choice per position, the offset of the
 * element swapped in; every offset shrinks to 0, so a permutation shrinks
 * toward the identity, one swap at a time.
 *
 * Like every generator family, this file uses only the public draw API and
 * builds every generator through gf_gen_intern.  The lists are copied once
 * per generator made and kept for the life of the process, as generators
 * are.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <gadfly.h>
#include <gadfly/gen.h>

/* A copy that lives as long as the process (generators do). */
static void *keep(const void *p, size_t n)
{
    void *copy = malloc(n ? n : 1);
    if (!copy) {
        fputs("gadfly: out of memory making a generator\n", stderr);
        abort();
    }
    if (n)
        memcpy(copy, p, n);
    return copy;
}

/* ---- sampled_from -------------------------------------------------------- */

/* arg.u[0]: how many values; env: the values. */
static void draw_sampled_int(gf_case *tc, const gf_gen *self, void *out)
{
    size_t n = (size_t)self->arg.u[0];
    if (n == 0)
        gf_gen_misuse(tc, self, "the list of values is empty");
    const int64_t *values = self->env;
    *(int64_t *)out = values[gf_draw_uint(tc, 0, n - 1)];
}

static void print_sampled_int(gf_printer *p, const gf_gen *self,
                              const void *value)
{
    (void)self;
    int64_t v = *(const int64_t *)value;
    if (v == INT64_MIN)
        gf_print(p, "INT64_MIN");
    else
        gf_print(p, "%" PRId64, v);
}

const gf_gen *gf_sampled_from_int(const int64_t *values, size_t n)
{
    gf_gen tmpl = {
        .name = "sampled_from_int",
        .size = sizeof(int64_t),
        .align = _Alignof(int64_t),
        .flags = GF_GEN_LEAF,
        .kind = GF_VALUE_I64,
        .label = gf_span_label("sampled_from_int"),
        .draw = draw_sampled_int,
        .print = print_sampled_int,
        .arg.u = {n},
        .env = n ? keep(values, n * sizeof *values) : NULL,
    };
    return gf_gen_intern(&tmpl);
}

static void draw_sampled_str(gf_case *tc, const gf_gen *self, void *out)
{
    size_t n = (size_t)self->arg.u[0];
    if (n == 0)
        gf_gen_misuse(tc, self, "the list of strings is empty");
    char *const *values = self->env;
    *(char **)out = values[gf_draw_uint(tc, 0, n - 1)];
}

static void print_sampled_str(gf_printer *p, const gf_gen *self,
                              const void *value)
{
    (void)self;
    const char *s = *(char *const *)value;
    if (s)
        gf_print_string(p, s, strlen(s));
    else
        gf_print(p, "NULL");
}

const gf_gen *gf_sampled_from_str(const char *const *values, size_t n)
{
    char **copy = n ? keep(values, n * sizeof *copy) : NULL;
    for (size_t i = 0; i < n; i++)
        copy[i] = values[i] ? keep(values[i], strlen(values[i]) + 1) : NULL;
    gf_gen tmpl = {
        .name = "sampled_from_str",
        .size = sizeof(char *),
        .align = _Alignof(char *),
        .flags = GF_GEN_LEAF | GF_GEN_POINTER_VALUE | GF_GEN_TEXT,
        .kind = GF_VALUE_POINTER,
        .label = gf_span_label("sampled_from_str"),
        .draw = draw_sampled_str,
        .print = print_sampled_str,
        .arg.u = {n},
        .env = copy,
    };
    return gf_gen_intern(&tmpl);
}

/* ---- permutations --------------------------------------------------------- */

/* arg.u[0]: n.  The value: gf_array_value of n uint32_t. */
static void draw_permutation(gf_case *tc, const gf_gen *self, void *out)
{
    size_t n = (size_t)self->arg.u[0];
    uint32_t *items = gf_alloc(tc, (n ? n : 1) * sizeof *items);
    for (size_t i = 0; i < n; i++)
        items[i] = (uint32_t)i;
    for (size_t i = 0; i + 1 < n; i++) {
        size_t j = i + (size_t)gf_draw_uint(tc, 0, n - 1 - i);
        uint32_t t = items[i];
        items[i] = items[j];
        items[j] = t;
    }
    gf_array_value *v = out;
    v->items = items;
    v->len = n;
}

static void print_permutation(gf_printer *p, const gf_gen *self,
                              const void *value)
{
    (void)self;
    const gf_array_value *v = value;
    const uint32_t *items = v->items;
    gf_print(p, "{");
    for (size_t i = 0; i < v->len; i++)
        gf_print(p, "%s%" PRIu32, i ? ", " : "", items[i]);
    gf_print(p, "}");
}

const gf_gen *gf_permutation(size_t n)
{
    gf_gen tmpl = {
        .name = "permutation",
        .size = sizeof(gf_array_value),
        .align = _Alignof(gf_array_value),
        .label = gf_span_label("permutation"),
        .draw = draw_permutation,
        .print = print_permutation,
        .arg.u = {n},
    };
    return gf_gen_intern(&tmpl);
}
