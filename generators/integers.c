/*
 * integers.c - integer, boolean and constant generators.
 *
 * Fixed-width integers draw over their whole type, gf_int/gf_uint and
 * gf_int8_in .. gf_uint32_in over a range; the engine's integer draw
 * already favours the bounds, 0, +-1 and powers of two +-1, so these
 * generators only store and print.  They print
 * as C literals that are valid whatever the width: the most negative value
 * of a signed type is spelled INTn_MIN (-2147483648 is a long in C, and
 * -9223372036854775808 does not fit any type), and a uint64_t above
 * INT64_MAX carries the "u" its decimal needs.
 *
 * Like every generator family, this file uses only the public draw API and
 * builds every generator through gf_gen_intern.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gadfly.h>
#include <gadfly/gen.h>

#include "cache.h"

/* ---- signed ------------------------------------------------------------ */

static int64_t load_signed(const void *value, size_t size)
{
    switch (size) {
    case 1: return *(const int8_t *)value;
    case 2: return *(const int16_t *)value;
    case 4: return *(const int32_t *)value;
    default: return *(const int64_t *)value;
    }
}

static void store_signed(void *out, size_t size, int64_t v)
{
    switch (size) {
    case 1: *(int8_t *)out = (int8_t)v; break;
    case 2: *(int16_t *)out = (int16_t)v; break;
    case 4: *(int32_t *)out = (int32_t)v; break;
    default: *(int64_t *)out = v; break;
    }
}

/* arg.i[0], arg.i[1]: the bounds. */
static void draw_signed(gf_case *tc, const gf_gen *self, void *out)
{
    int64_t lo = self->arg.i[0], hi = self->arg.i[1];
    if (lo > hi)
        gf_gen_misuse(tc, self, "lo (%" PRId64 ") > hi (%" PRId64 ")", lo,
                      hi);
    store_signed(out, self->size, gf_draw_int(tc, lo, hi));
}

static void print_signed(gf_printer *p, const gf_gen *self,
                         const void *value)
{
    int64_t v = load_signed(value, self->size);
    unsigned bits = (unsigned)self->size * 8;
    int64_t min = bits == 64 ? INT64_MIN : -((int64_t)1 << (bits - 1));
    if (v == min)
        gf_print(p, "INT%u_MIN", bits);
    else
        gf_print(p, "%" PRId64, v);
}

static const gf_gen *make_signed(const char *name, size_t size, size_t align,
                                 gf_value_kind kind, int64_t lo, int64_t hi)
{
    gf_gen t = {
        .name = name,
        .size = size,
        .align = align,
        .kind = kind,
        .label = gf_span_label(name),
        .flags = GF_GEN_LEAF | GF_GEN_INT_RANGE,
        .draw = draw_signed,
        .print = print_signed,
    };
    t.arg.i[0] = lo;
    t.arg.i[1] = hi;
    return gf_gen_intern(&t);
}

static const gf_gen *build_int8(void)
{
    return make_signed("int8", sizeof(int8_t), _Alignof(int8_t),
                       GF_VALUE_I8, INT8_MIN, INT8_MAX);
}

const gf_gen *gf_int8(void)
{
    GEN_ONCE_RETURN(build_int8());
}

static const gf_gen *build_int16(void)
{
    return make_signed("int16", sizeof(int16_t), _Alignof(int16_t),
                       GF_VALUE_I16, INT16_MIN, INT16_MAX);
}

const gf_gen *gf_int16(void)
{
    GEN_ONCE_RETURN(build_int16());
}

static const gf_gen *build_int32(void)
{
    return make_signed("int32", sizeof(int32_t), _Alignof(int32_t),
                       GF_VALUE_I32, INT32_MIN, INT32_MAX);
}

const gf_gen *gf_int32(void)
{
    GEN_ONCE_RETURN(build_int32());
}

static const gf_gen *build_int64(void)
{
    return make_signed("int64", sizeof(int64_t), _Alignof(int64_t),
                       GF_VALUE_I64, INT64_MIN, INT64_MAX);
}

const gf_gen *gf_int64(void)
{
    GEN_ONCE_RETURN(build_int64());
}

static const gf_gen *build_int(int64_t lo, int64_t hi)
{
    char name[64];
    snprintf(name, sizeof name, "int(%" PRId64 ", %" PRId64 ")", lo, hi);
    return make_signed(name, sizeof(int64_t), _Alignof(int64_t),
                       GF_VALUE_I64, lo, hi);
}

const gf_gen *gf_int(int64_t lo, int64_t hi)
{
    GEN_MEMO_RETURN(gf_int, lo, hi, 0, build_int(lo, hi));
}

/* Fixed widths over a range: the value has the width's C type and kind,
 * so the typed draws of that width take it.  The memo key holds the
 * bounds; the constructor's name tells the widths apart. */
static const gf_gen *build_signed_in(const char *family, size_t size,
                                     size_t align, gf_value_kind kind,
                                     int64_t lo, int64_t hi)
{
    char name[64];
    snprintf(name, sizeof name, "%s(%" PRId64 ", %" PRId64 ")", family, lo,
             hi);
    return make_signed(name, size, align, kind, lo, hi);
}

const gf_gen *gf_int8_in(int8_t lo, int8_t hi)
{
    GEN_MEMO_RETURN(gf_int8_in, lo, hi, 0,
                    build_signed_in("int8_in", sizeof(int8_t),
                                    _Alignof(int8_t), GF_VALUE_I8, lo, hi));
}

const gf_gen *gf_int16_in(int16_t lo, int16_t hi)
{
    GEN_MEMO_RETURN(gf_int16_in, lo, hi, 0,
                    build_signed_in("int16_in", sizeof(int16_t),
                                    _Alignof(int16_t), GF_VALUE_I16, lo, hi));
}

const gf_gen *gf_int32_in(int32_t lo, int32_t hi)
{
    GEN_MEMO_RETURN(gf_int32_in, lo, hi, 0,
                    build_signed_in("int32_in", sizeof(int32_t),
                                    _Alignof(int32_t), GF_VALUE_I32, lo, hi));
}

/* ---- unsigned ---------------------------------------------------------- */

static uint64_t load_unsigned(const void *value, size_t size)
{
    switch (size) {
    case 1: return *(const uint8_t *)value;
    case 2: return *(const uint16_t *)value;
    case 4: return *(const uint32_t *)value;
    default: return *(const uint64_t *)value;
    }
}

static void store_unsigned(void *out, size_t size, uint64_t v)
{
    switch (size) {
    case 1: *(uint8_t *)out = (uint8_t)v; break;
    case 2: *(uint16_t *)out = (uint16_t)v; break;
    case 4: *(uint32_t *)out = (uint32_t)v; break;
    default: *(uint64_t *)out = v; break;
    }
}

/* arg.u[0], arg.u[1]: the bounds. */
static void draw_unsigned(gf_case *tc, const gf_gen *self, void *out)
{
    uint64_t lo = self->arg.u[0], hi = self->arg.u[1];
    if (lo > hi)
        gf_gen_misuse(tc, self, "lo (%" PRIu64 ") > hi (%" PRIu64 ")", lo,
                      hi);
    store_unsigned(out, self->size, gf_draw_uint(tc, lo, hi));
}

/* Past INT64_MAX a decimal constant has no signed type to live in; the
 * suffix makes it a valid unsigned literal. */
static void print_unsigned(gf_printer *p, const gf_gen *self,
                           const void *value)
{
    uint64_t v = load_unsigned(value, self->size);
    gf_print(p, "%" PRIu64 "%s", v, v > (uint64_t)INT64_MAX ? "u" : "");
}

static const gf_gen *make_unsigned(const char *name, size_t size,
                                   size_t align, gf_value_kind kind,
                                   gf_gen_draw_fn draw, uint64_t lo,
                                   uint64_t hi)
{
    gf_gen t = {
        .name = name,
        .size = size,
        .align = align,
        .kind = kind,
        .label = gf_span_label(name),
        .flags = draw == draw_unsigned ? GF_GEN_LEAF | GF_GEN_INT_RANGE : 0,
        .draw = draw,
        .print = print_unsigned,
    };
    t.arg.u[0] = lo;
    t.arg.u[1] = hi;
    return gf_gen_intern(&t);
}

static const gf_gen *build_uint8(void)
{
    return make_unsigned("uint8", sizeof(uint8_t), _Alignof(uint8_t),
                         GF_VALUE_U8, draw_unsigned, 0, UINT8_MAX);
}

const gf_gen *gf_uint8(void)
{
    GEN_ONCE_RETURN(build_uint8());
}

static const gf_gen *build_uint16(void)
{
    return make_unsigned("uint16", sizeof(uint16_t), _Alignof(uint16_t),
                         GF_VALUE_U16, draw_unsigned, 0, UINT16_MAX);
}

const gf_gen *gf_uint16(void)
{
    GEN_ONCE_RETURN(build_uint16());
}

static const gf_gen *build_uint32(void)
{
    return make_unsigned("uint32", sizeof(uint32_t), _Alignof(uint32_t),
                         GF_VALUE_U32, draw_unsigned, 0, UINT32_MAX);
}

const gf_gen *gf_uint32(void)
{
    GEN_ONCE_RETURN(build_uint32());
}

static const gf_gen *build_uint64(void)
{
    return make_unsigned("uint64", sizeof(uint64_t), _Alignof(uint64_t),
                         GF_VALUE_U64, draw_unsigned, 0, UINT64_MAX);
}

const gf_gen *gf_uint64(void)
{
    GEN_ONCE_RETURN(build_uint64());
}

static const gf_gen *build_uint(uint64_t lo, uint64_t hi)
{
    char name[64];
    snprintf(name, sizeof name, "uint(%" PRIu64 ", %" PRIu64 ")", lo, hi);
    return make_unsigned(name, sizeof(uint64_t), _Alignof(uint64_t),
                         GF_VALUE_U64, draw_unsigned, lo, hi);
}

const gf_gen *gf_uint(uint64_t lo, uint64_t hi)
{
    GEN_MEMO_RETURN(gf_uint, lo, hi, 0, build_uint(lo, hi));
}

static const gf_gen *build_unsigned_in(const char *family, size_t size,
                                       size_t align, gf_value_kind kind,
                                       uint64_t lo, uint64_t hi)
{
    char name[64];
    snprintf(name, sizeof name, "%s(%" PRIu64 ", %" PRIu64 ")", family, lo,
             hi);
    return make_unsigned(name, size, align, kind, draw_unsigned, lo, hi);
}

const gf_gen *gf_uint8_in(uint8_t lo, uint8_t hi)
{
    GEN_MEMO_RETURN(gf_uint8_in, lo, hi, 0,
                    build_unsigned_in("uint8_in", sizeof(uint8_t),
                                      _Alignof(uint8_t), GF_VALUE_U8, lo,
                                      hi));
}

const gf_gen *gf_uint16_in(uint16_t lo, uint16_t hi)
{
    GEN_MEMO_RETURN(gf_uint16_in, lo, hi, 0,
                    build_unsigned_in("uint16_in", sizeof(uint16_t),
                                      _Alignof(uint16_t), GF_VALUE_U16, lo,
                                      hi));
}

const gf_gen *gf_uint32_in(uint32_t lo, uint32_t hi)
{
    GEN_MEMO_RETURN(gf_uint32_in, lo, hi, 0,
                    build_unsigned_in("uint32_in", sizeof(uint32_t),
                                      _Alignof(uint32_t), GF_VALUE_U32, lo,
                                      hi));
}

/* Sizes that matter are mostly small (lengths, counts, indices), with the
 * huge ones (SIZE_MAX, overflow bait) as the exception.  A "huge?" choice
 * picks the range, false being simplest, so a failing size shrinks into the
 * small range whenever it can. */
#define SIZE_SMALL_MAX 1024u
#define SIZE_HUGE_P 0.2

static void draw_size(gf_case *tc, const gf_gen *self, void *out)
{
    bool huge = gf_draw_weighted(tc, SIZE_HUGE_P);
    uint64_t v = gf_draw_uint(tc, 0, huge ? SIZE_MAX : SIZE_SMALL_MAX);
    store_unsigned(out, self->size, v);
}

static const gf_gen *build_size(void)
{
    gf_value_kind kind = sizeof(size_t) == 8 ? GF_VALUE_U64 : GF_VALUE_U32;
    return make_unsigned("size", sizeof(size_t), _Alignof(size_t), kind,
                         draw_size, 0, SIZE_MAX);
}

const gf_gen *gf_size(void)
{
    GEN_ONCE_RETURN(build_size());
}

/* ---- bool -------------------------------------------------------------- */

static void draw_bool(gf_case *tc, const gf_gen *self, void *out)
{
    (void)self;
    *(bool *)out = gf_draw_bool(tc);
}

static void print_bool(gf_printer *p, const gf_gen *self, const void *value)
{
    (void)self;
    gf_print(p, "%s", *(const bool *)value ? "true" : "false");
}

static const gf_gen *build_bool(void)
{
    gf_gen t = {
        .name = "bool",
        .size = sizeof(bool),
        .align = _Alignof(bool),
        .kind = GF_VALUE_BOOL,
        .label = gf_span_label("bool"),
        .flags = GF_GEN_LEAF,
        .draw = draw_bool,
        .print = print_bool,
    };
    return gf_gen_intern(&t);
}

const gf_gen *gf_bool(void)
{
    GEN_ONCE_RETURN(build_bool());
}

/* ---- just -------------------------------------------------------------- */

/*
 * The constant's bytes must live as long as the generator, and the pool
 * copies only name, subs and weights.  So the bytes are kept in the
 * generator itself: up to sizeof arg bytes in arg; a longer constant is a
 * list of such chunks (subs), each itself an interned constant.  Equal
 * constants are then equal content, and intern to one generator.
 */
#define JUST_CHUNK sizeof(((gf_gen *)0)->arg)

static void draw_just(gf_case *tc, const gf_gen *self, void *out)
{
    (void)tc;
    if (self->nsubs == 0) {
        memcpy(out, &self->arg, self->size);
        return;
    }
    unsigned char *dst = out;
    for (size_t i = 0; i < self->nsubs; i++) {
        memcpy(dst, &self->subs[i]->arg, self->subs[i]->size);
        dst += self->subs[i]->size;
    }
}

static void draw_just_null(gf_case *tc, const gf_gen *self, void *out)
{
    (void)out;
    gf_gen_misuse(tc, self, "value is NULL");
}

/* The largest power of two dividing size, up to the strictest alignment:
 * the constant may be any object, and arrays of it must stay contiguous. */
static size_t natural_align(size_t size)
{
    size_t align = 1;
    while (align < _Alignof(max_align_t) && size % (align * 2) == 0)
        align *= 2;
    return align;
}

static const gf_gen *just_chunks(const unsigned char *bytes, size_t size,
                                 const char *name)
{
    size_t n = size / JUST_CHUNK + (size % JUST_CHUNK != 0);
    const gf_gen *stack_subs[16];
    const gf_gen **subs = stack_subs;

    if (n > sizeof stack_subs / sizeof stack_subs[0]) {
        subs = malloc(n * sizeof *subs);
        if (subs == NULL) {
            fputs("gadfly: out of memory building gf_just\n", stderr);
            abort();
        }
    }
    for (size_t i = 0; i < n; i++) {
        size_t off = i * JUST_CHUNK;
        size_t len = size - off < JUST_CHUNK ? size - off : JUST_CHUNK;
        subs[i] = gf_just(bytes + off, len);
    }
    gf_gen t = {
        .name = name,
        .size = size,
        .align = natural_align(size),
        .label = gf_span_label(name),
        .draw = draw_just,
        .subs = subs,
        .nsubs = n,
    };
    const gf_gen *g = gf_gen_intern(&t);
    if (subs != stack_subs)
        free(subs);
    return g;
}

const gf_gen *gf_just(const void *value, size_t size)
{
    char name[64];
    snprintf(name, sizeof name, "just(%zu bytes)", size);
    if (size > JUST_CHUNK && value != NULL)
        return just_chunks(value, size, name);
    gf_gen t = {
        .name = name,
        .size = size,
        .align = natural_align(size),
        .label = gf_span_label(name),
        .draw = value == NULL && size > 0 ? draw_just_null : draw_just,
    };
    if (value != NULL)
        memcpy(&t.arg, value, size);
    return gf_gen_intern(&t);
}
