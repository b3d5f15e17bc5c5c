/*
 * draw.c - making choices.
 *
 * Every value a property sees comes through here.  A choice is taken from
 * the replayed prefix when there is one (mapped into the current
 * constraints if it no longer fits), else the simplest value or a random
 * one biased toward the edges of its kind, and is then recorded with its
 * constraints.  This is the hot path: no allocation, no formatting.
 */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "fuzzmap.h"
#include "hooks.h"
#include "index.h"

static inline const choice *next_prefix(gf_case *tc)
{
    if (tc->prefix && tc->pos < tc->prefix->n)
        return &tc->prefix->ch[tc->pos++];
    return NULL;
}

/* Generation: append the choice's encoding to the key instead of
 * recording it (see gf_case.structure). */
static inline void key_value(gf_case *tc, choice_kind kind, uint64_t v)
{
    if (__builtin_expect(tc->nchoices >= tc->max_choices, 0)) {
        tc->status = CASE_OVERRUN;
        case_escape(tc);
    }
    tc->nchoices++;
    bv_reserve(&tc->key, ENCODED_MAX);
    tc->key.n += encode_value(tc->key.p + tc->key.n, kind, v);
}

static void key_bytes(gf_case *tc, const uint8_t *data, size_t n)
{
    if (tc->nchoices >= tc->max_choices) {
        tc->status = CASE_OVERRUN;
        case_escape(tc);
    }
    tc->nchoices++;
    bv_reserve(&tc->key, ENCODED_MAX + n);
    tc->key.n += put_tagged(tc->key.p + tc->key.n, TAG_BYTES, n);
    if (n)
        memcpy(tc->key.p + tc->key.n, data, n);
    tc->key.n += n;
}

static inline choice *record(gf_case *tc, choice_kind kind)
{
    if (tc->rec.n >= tc->max_choices) {
        tc->status = CASE_OVERRUN;
        case_escape(tc);
    }
    choice *c = buffer_push(&tc->rec);
    c->kind = (uint8_t)kind;
    c->forced = 0;
    c->len = 0;
    return c;
}

static void note_direct_slow(gf_case *tc, choice_kind kind, uint64_t bits,
                             const void *ptr)
{
    if (tc->ndrawn == tc->drawn_cap) {
        tc->drawn_cap = tc->drawn_cap ? 2 * tc->drawn_cap : 16;
        tc->drawn = xrealloc(tc->drawn, tc->drawn_cap * sizeof *tc->drawn);
    }
    tc->drawn[tc->ndrawn++] = (drawn){.gen = NULL, .value = ptr,
                                      .name = tc->direct_name,
                                      .kind = (uint8_t)kind, .bits = bits};
    tc->direct_name = NULL;
    if (tc->live)
        core_up.live_value(tc);
}

/* Remember a value the property drew directly, for the report: only while
 * the final report is collected, so it costs one test per draw otherwise. */
static inline void note_direct(gf_case *tc, choice_kind kind, uint64_t bits,
                               const void *ptr)
{
    if (__builtin_expect(tc->collect, 0) && tc->gen_depth == 0)
        note_direct_slow(tc, kind, bits, ptr);
}

/* ---- integers ----------------------------------------------------------- */

static inline uint64_t to_offset(uint64_t bits, bool is_signed)
{
    return is_signed ? bits ^ SIGN_BIT : bits;
}

/* A boundary of the range or of the integer kinds, or 0 if none fits. */
static bool edge_int(gf_rng *r, uint64_t lo_o, uint64_t hi_o, bool sg,
                     uint64_t *out)
{
    uint64_t x = gf_rng_next(r);
    uint64_t v;
    switch (x & 7) {
    case 0: v = lo_o; break;
    case 1: v = hi_o; break;
    case 2: v = lo_o + (lo_o < hi_o); break;
    case 3: v = hi_o - (lo_o < hi_o); break;
    case 4: v = to_offset(0, sg); break;
    case 5: v = to_offset(sg && (x & 8) ? (uint64_t)-1 : 1, sg); break;
    default: {
        /* Powers of two and their neighbours, either sign. */
        unsigned k = (unsigned)((x >> 8) % 64);
        uint64_t p = 1ull << k;
        p += (uint64_t)((int)((x >> 16) % 3) - 1);
        if (sg && (x & 0x100000))
            p = (uint64_t)0 - p;
        v = to_offset(p, sg);
        break;
    }
    }
    if (v < lo_o || v > hi_o)
        return false;
    *out = v;
    return true;
}

static inline __attribute__((always_inline)) uint64_t
random_int(gf_case *tc, uint64_t lo, uint64_t hi,
                                  uint64_t target, bool sg)
{
    gf_rng *r = &tc->rng;
    uint64_t lo_o = to_offset(lo, sg), hi_o = to_offset(hi, sg);
    uint64_t width = hi_o - lo_o;
    uint64_t x = gf_rng_next(r);
    uint32_t roll = (uint32_t)(x & 0xFFFF);
    uint64_t v;
    if (roll < tc->edge_cut && edge_int(r, lo_o, hi_o, sg, &v))
        return to_offset(v, sg);
    uint32_t small_cut = tc->small_cut;
    if (__builtin_expect(tc->range_q != 0, 0))
        small_cut += (65536 - small_cut) / 2;
    if (roll < small_cut && width > 64) {
        /* Log-uniform magnitude around the target: small values are
         * common, every bit width is reached. */
        unsigned top = tc->small_bits;
        unsigned span_bits = 64 - (unsigned)__builtin_clzll(width);
        /* Never wider than the range: a range of 0..100 at full size
         * still draws each bit width 1..7 alike, so its small values stay
         * common instead of being washed out by widths it cannot hold. */
        if (top > span_bits)
            top = span_bits;
        /* A small case after the ramp is small in every range too: the
         * count drawn from 0..100 and the keys from -1000..1000 lean to
         * a few bits, so tiny collections with repeated keys come. */
        if (__builtin_expect(tc->range_q != 0, 0)) {
            unsigned rtop = 2 + (unsigned)(((uint64_t)span_bits * tc->range_q) >> 17);
            if (top > rtop)
                top = rtop;
        }
        unsigned bits = 1 + (unsigned)(((x >> 16 & 0xFFFF) * top) >> 16);
        uint64_t mag = gf_rng_next(r) >> (64 - bits);
        uint64_t t = to_offset(target, sg);
        if ((x >> 40 & 1) && t - lo_o >= mag)
            v = t - mag;
        else if (hi_o - t >= mag)
            v = t + mag;
        else
            v = width == UINT64_MAX ? mag : lo_o + mag % (width + 1);
        return to_offset(v, sg);
    }
    v = width == UINT64_MAX ? gf_rng_next(r) : lo_o + gf_rng_below(r, width + 1);
    return to_offset(v, sg);
}

static uint64_t prefix_int(gf_case *tc, const choice *p, const choice_spec *s,
                           bool sg)
{
    uint64_t v;
    switch (p->kind) {
    case CHOICE_INT:
    case CHOICE_UINT:
        v = int_clamp(s, sg, p->value, p->kind == CHOICE_INT);
        if (v != p->value || (p->kind == CHOICE_INT) != sg)
            tc->misaligned = tc->misaligned || v != p->value;
        return v;
    case CHOICE_BOOL:
        return int_clamp(s, sg, p->value, false);
    default:
        tc->misaligned = true;
        return s->target;
    }
}

/* Record an integer choice of value v (for the report, the key, or the
 * structure) and return it. */
static inline uint64_t keep_integer(gf_case *tc, bool sg, uint64_t lo,
                                    uint64_t hi, uint64_t target, uint64_t v)
{
    note_direct(tc, sg ? CHOICE_INT : CHOICE_UINT, v, NULL);
    if (!tc->structure) {
        key_value(tc, sg ? CHOICE_INT : CHOICE_UINT, v);
        return v;
    }
    choice *c = record(tc, sg ? CHOICE_INT : CHOICE_UINT);
    c->value = v;
    /* Field by field: a whole-struct copy of the just-written stack spec
     * stalls on store forwarding, and this is the hottest store there is. */
    c->spec.lo = lo;
    c->spec.hi = hi;
    c->spec.target = target;
    c->spec.p = 0;
    c->spec.flags = 0;
    return v;
}

/* A coin for whether a value is a copy. */
static bool copy_coin(gf_case *tc)
{
    if (tc->ncoins == 0) {
        tc->coins = gf_rng_next(&tc->rng);
        tc->ncoins = 64;
    }
    bool heads = tc->coins & 1;
    tc->coins >>= 1;
    tc->ncoins--;
    return heads;
}

/* The integer or double just recorded was drawn directly (gf_draw_int,
 * gf_draw_double, ... in the property itself): a later direct draw with
 * the same kind and constraints may copy it.  The copy_src slot holds that
 * one choice, with no generator. */
static void note_direct_source(gf_case *tc)
{
    if (tc->ncopy_src == COPY_SOURCES || tc->rec.n == 0)
        return;
    uint32_t at = (uint32_t)tc->rec.n - 1;
    tc->copy_src[tc->ncopy_src++] =
        (struct copy_src){.gen = NULL, .start = at, .end = at + 1};
}

/* A direct draw in a copy case: with probability one half, when one was
 * drawn before with the same kind and constraints, *value becomes the
 * value of such an earlier draw (see "Equal values" below) and the result
 * is true.  The coin is tossed only when there is something to copy, so a
 * case whose direct draws all differ draws as it would outside a copy
 * case. */
static const choice *copy_direct_choice(gf_case *tc, choice_kind kind,
                                        const choice_spec *spec)
{
    unsigned match[COPY_SOURCES], n = 0;
    for (unsigned i = 0; i < tc->ncopy_src; i++) {
        const struct copy_src *src = &tc->copy_src[i];
        if (src->gen || src->end != src->start + 1)
            continue;
        const choice *c = &tc->rec.ch[src->start];
        if (c->kind == kind && c->spec.lo == spec->lo &&
            c->spec.hi == spec->hi && c->spec.target == spec->target &&
            c->spec.flags == spec->flags)
            match[n++] = i;
    }
    if (!n || !copy_coin(tc))
        return NULL;
    unsigned k = n == 1 ? 0 : (unsigned)(gf_rng_next(&tc->rng) % n);
    return &tc->rec.ch[tc->copy_src[match[k]].start];
}

static bool copy_direct(gf_case *tc, choice_kind kind, const choice_spec *spec,
                        uint64_t *value)
{
    const choice *c = copy_direct_choice(tc, kind, spec);
    if (c)
        *value = c->value;
    return c != NULL;
}

/* Whether a draw is a direct one that copy_direct may copy. */
static inline bool copies_direct(const gf_case *tc)
{
    return __builtin_expect(tc->copy_values, 0) && tc->gen_depth == 0 &&
           !tc->prefix && tc->tail == TAIL_RANDOM;
}

static inline __attribute__((always_inline)) uint64_t
draw_integer_inline(gf_case *tc, bool sg, uint64_t lo, uint64_t hi,
                    uint64_t target)
{
    if (copies_direct(tc) && lo != hi) {
        choice_spec spec = {.lo = lo, .hi = hi, .target = target};
        uint64_t v;
        if (!copy_direct(tc, sg ? CHOICE_INT : CHOICE_UINT, &spec, &v))
            v = random_int(tc, lo, hi, target, sg);
        keep_integer(tc, sg, lo, hi, target, v);
        note_direct_source(tc);
        return v;
    }
    const choice *p = next_prefix(tc);
    uint64_t v;
    if (__builtin_expect(p != NULL, 0)) {
        choice_spec spec = {.lo = lo, .hi = hi, .target = target};
        v = prefix_int(tc, p, &spec, sg);
    } else if (tc->tail == TAIL_SIMPLEST || lo == hi) {
        v = target;
    } else if (__builtin_expect(tc->tail == TAIL_FUZZ, 0)) {
        v = fuzz_int(tc, lo, hi, target, sg);
    } else {
        v = random_int(tc, lo, hi, target, sg);
    }
    return keep_integer(tc, sg, lo, hi, target, v);
}

/* draw_integer_inline, called: for the draws that are not the hot ones. */
static uint64_t draw_integer(gf_case *tc, bool sg, uint64_t lo, uint64_t hi,
                             uint64_t target)
{
    return draw_integer_inline(tc, sg, lo, hi, target);
}

/* A GF_GEN_INT_RANGE value: gf_draw_int or gf_draw_uint on its bounds,
 * stored at its width. */
static inline __attribute__((always_inline)) void
draw_int_range(gf_case *tc, const gf_gen *g, void *out)
{
    bool sg = g->kind <= GF_VALUE_I64;
    uint64_t lo = g->arg.u[0], hi = g->arg.u[1];
    uint64_t target = lo;
    if (sg)
        target = (int64_t)lo > 0 ? lo : (int64_t)hi < 0 ? hi : 0;
    uint64_t v = draw_integer_inline(tc, sg, lo, hi, target);
    switch (g->size) {
    case 1: *(uint8_t *)out = (uint8_t)v; break;
    case 2: *(uint16_t *)out = (uint16_t)v; break;
    case 4: *(uint32_t *)out = (uint32_t)v; break;
    default: *(uint64_t *)out = v; break;
    }
}

/* Whether g is a GF_GEN_INT_RANGE generator the engine can draw itself:
 * bounds in order, and a kind and size it knows. */
static inline bool int_range_ok(const gf_gen *g)
{
    if (!(g->flags & GF_GEN_INT_RANGE))
        return false;
    bool sg = g->kind >= GF_VALUE_I8 && g->kind <= GF_VALUE_I64;
    bool us = g->kind >= GF_VALUE_U8 && g->kind <= GF_VALUE_U64;
    return (sg && g->arg.i[0] <= g->arg.i[1]) ||
           (us && g->arg.u[0] <= g->arg.u[1]);
}

uint64_t draw_uint_spread(gf_case *tc, uint64_t lo, uint64_t hi,
                          uint64_t gen_hi, unsigned max_shift)
{
    const choice *p = next_prefix(tc);
    uint64_t v;
    if (p != NULL) {
        choice_spec spec = {.lo = lo, .hi = hi, .target = lo};
        v = prefix_int(tc, p, &spec, false);
    } else if (tc->tail == TAIL_SIMPLEST || lo == hi) {
        v = lo;
    } else {
        if (max_shift)
            gen_hi >>= gf_rng_below(&tc->rng, (uint64_t)max_shift + 1);
        uint64_t top = gen_hi < hi ? gen_hi : hi;
        if (top <= lo)
            v = lo;
        else if (top - lo == UINT64_MAX)
            v = gf_rng_next(&tc->rng);
        else
            v = lo + gf_rng_below(&tc->rng, top - lo + 1);
    }
    if (!tc->structure) {
        key_value(tc, CHOICE_UINT, v);
        return v;
    }
    choice *c = record(tc, CHOICE_UINT);
    c->value = v;
    c->spec.lo = lo;
    c->spec.hi = hi;
    c->spec.target = lo;
    c->spec.p = 0;
    c->spec.flags = 0;
    return v;
}

static GF_NORETURN void draw_misuse(gf_case *tc, const char *what)
{
    case_set_failure(tc, xstrdup("misuse"), xstrdup(what));
    case_escape(tc);
}

/* A NULL case: the running one fails, if there is one; otherwise there is
 * nothing to return to, and the process aborts (with a message). */
static gf_case *case_given(gf_case *tc, const char *fn)
{
    if (__builtin_expect(tc != NULL, 1))
        return tc;
    gf_case *running = gf_current();
    char *what = xasprintf("%s: the test case argument is NULL", fn);
    if (running) {
        case_set_failure(running, xstrdup("misuse"), what);
        case_escape(running);
    }
    if (core_up.say_fatal) {
        char *all = xasprintf("%s (and no case is running)", what);
        core_up.say_fatal(all);
        free(all);
    }
    free(what);
    abort();
}

/* Larger requests are mistakes (a negative size converted, an overflowed
 * product), not memory to ask malloc for. */
#define ALLOC_MAX ((size_t)1 << 40)

static void check_alloc(gf_case *tc, const char *fn, size_t size)
{
    if (__builtin_expect(size > ALLOC_MAX, 0)) {
        case_set_failure(tc, xstrdup("misuse"),
                         xasprintf("%s: %zu bytes is more than any value can "
                                   "take (a negative or overflowed size?)",
                                   fn, size));
        case_escape(tc);
    }
}

static GF_NORETURN void draw_misuse_i(gf_case *tc, const char *fn, int64_t lo,
                                      int64_t hi)
{
    case_set_failure(tc, xstrdup("misuse"),
                     xasprintf("%s: lo > hi (lo = %" PRId64 ", hi = %" PRId64
                               ")", fn, lo, hi));
    case_escape(tc);
}

static GF_NORETURN void draw_misuse_u(gf_case *tc, const char *fn,
                                      uint64_t lo, uint64_t hi)
{
    case_set_failure(tc, xstrdup("misuse"),
                     xasprintf("%s: lo > hi (lo = %" PRIu64 ", hi = %" PRIu64
                               ")", fn, lo, hi));
    case_escape(tc);
}

int64_t gf_draw_int_toward(gf_case *tc, int64_t lo, int64_t hi, int64_t target)
{
    tc = case_given(tc, "gf_draw_int");
    if (lo > hi)
        draw_misuse_i(tc, "gf_draw_int", lo, hi);
    if (target < lo)
        target = lo;
    if (target > hi)
        target = hi;
    return (int64_t)draw_integer(tc, true, (uint64_t)lo, (uint64_t)hi,
                                 (uint64_t)target);
}

int64_t gf_draw_int_suggested(gf_case *tc, int64_t lo, int64_t hi,
                              int64_t want)
{
    if (lo > hi)
        draw_misuse_i(tc, "gf_draw_int_suggested", lo, hi);
    int64_t target = lo > 0 ? lo : hi < 0 ? hi : 0;
    if (want < lo)
        want = lo;
    if (want > hi)
        want = hi;
    const choice *p = next_prefix(tc);
    uint64_t v;
    if (p != NULL) {
        choice_spec spec = {.lo = (uint64_t)lo, .hi = (uint64_t)hi,
                            .target = (uint64_t)target};
        v = prefix_int(tc, p, &spec, true);
    } else if (tc->tail == TAIL_SIMPLEST || lo == hi) {
        v = (uint64_t)target;
    } else if (tc->tail == TAIL_FUZZ) {
        v = fuzz_int(tc, (uint64_t)lo, (uint64_t)hi, (uint64_t)target, true);
    } else {
        v = (uint64_t)want;
    }
    return (int64_t)keep_integer(tc, true, (uint64_t)lo, (uint64_t)hi,
                                 (uint64_t)target, v);
}

int64_t gf_draw_int(gf_case *tc, int64_t lo, int64_t hi)
{
    return gf_draw_int_toward(tc, lo, hi, 0);
}

uint64_t gf_draw_uint(gf_case *tc, uint64_t lo, uint64_t hi)
{
    tc = case_given(tc, "gf_draw_uint");
    if (lo > hi)
        draw_misuse_u(tc, "gf_draw_uint", lo, hi);
    return draw_integer(tc, false, lo, hi, lo);
}

static uint64_t force_integer(gf_case *tc, bool sg, uint64_t lo, uint64_t hi,
                              uint64_t v)
{
    next_prefix(tc); /* keep the prefix aligned with the record */
    choice_spec spec = {.lo = lo, .hi = hi, .target = lo};
    spec.target = int_clamp(&spec, sg, sg ? 0 : lo, sg);
    v = int_clamp(&spec, sg, v, sg);
    if (!tc->structure) {
        key_value(tc, sg ? CHOICE_INT : CHOICE_UINT, v);
        return v;
    }
    choice *c = record(tc, sg ? CHOICE_INT : CHOICE_UINT);
    c->spec = spec;
    c->value = v;
    c->forced = 1;
    return v;
}

int64_t gf_force_int(gf_case *tc, int64_t lo, int64_t hi, int64_t v)
{
    if (lo > hi)
        draw_misuse_i(tc, "gf_force_int", lo, hi);
    return (int64_t)force_integer(tc, true, (uint64_t)lo, (uint64_t)hi,
                                  (uint64_t)v);
}

uint64_t gf_force_uint(gf_case *tc, uint64_t lo, uint64_t hi, uint64_t v)
{
    if (lo > hi)
        draw_misuse_u(tc, "gf_force_uint", lo, hi);
    return force_integer(tc, false, lo, hi, v);
}

/* ---- booleans ----------------------------------------------------------- */

/* cut = p * 2^64, the PRNG threshold for "true" when 0 < p < 1. */
static inline bool draw_weighted_cut(gf_case *tc, double p, uint64_t cut)
{
    const choice *pre = next_prefix(tc);
    bool v;
    if (!(p > 0))
        v = false;
    else if (p >= 1)
        v = true;
    else if (pre)
        v = pre->kind == CHOICE_BOOL || pre->kind == CHOICE_INT ||
                    pre->kind == CHOICE_UINT
                ? pre->value != 0
                : (tc->misaligned = true, false);
    else if (tc->tail == TAIL_SIMPLEST)
        v = false;
    else if (__builtin_expect(tc->tail == TAIL_FUZZ, 0))
        v = fuzz_bool(tc);
    else /* 0 < p < 1: p * 2^64 fits a uint64_t */
        v = gf_rng_next(&tc->rng) < cut;
    note_direct(tc, CHOICE_BOOL, v, NULL);
    if (!tc->structure) {
        key_value(tc, CHOICE_BOOL, v);
        return v;
    }
    choice *c = record(tc, CHOICE_BOOL);
    c->value = v;
    c->spec.p = p;
    c->forced = !(p > 0) || p >= 1;
    return v;
}

static inline uint64_t weight_cut(double p)
{
    return p > 0 && p < 1 ? (uint64_t)(p * 0x1p64) : 0;
}

bool gf_draw_weighted(gf_case *tc, double p)
{
    tc = case_given(tc, "gf_draw_weighted");
    if (!(p >= 0 && p <= 1)) {
        case_set_failure(tc, xstrdup("misuse"),
                         xasprintf("gf_draw_weighted: p = %g is not a "
                                   "probability from 0 to 1", p));
        case_escape(tc);
    }
    return draw_weighted_cut(tc, p, weight_cut(p));
}

bool gf_draw_bool(gf_case *tc)
{
    return gf_draw_weighted(tc, 0.5);
}

bool gf_force_bool(gf_case *tc, bool v)
{
    next_prefix(tc);
    if (!tc->structure) {
        key_value(tc, CHOICE_BOOL, v);
        return v;
    }
    choice *c = record(tc, CHOICE_BOOL);
    c->value = v;
    c->spec.p = 0.5;
    c->forced = 1;
    return v;
}

/* ---- doubles ------------------------------------------------------------ */

static const double double_edges[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0,
    NAN, INFINITY, -INFINITY,
    DBL_MIN, -DBL_MIN, DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_MAX, -DBL_MAX,
    0x1p53, 0x1p53 + 2.0, -0x1p53, 0x1p53 - 1.0 /* largest exact odd integer */,
    0.1 + 0.2, 0.1, 1.0 / 3.0, 2.2250738585072011e-308,
    9223372036854775807.0 /* (double)INT64_MAX */, -9223372036854775808.0,
    4294967295.0, 4294967296.0, 2147483647.0, -2147483648.0,
    1e-300, 1e300, 1e308, 5e-324, 1.7976931348623157e308,
    0.30000000000000004, 123456789.12345678, DBL_EPSILON, 1.0 + DBL_EPSILON,
};
#define NEDGES (sizeof double_edges / sizeof double_edges[0])

static double special_nan(gf_rng *r)
{
    switch (gf_rng_next(r) % 3) {
    case 0: return NAN;
    case 1: return -NAN;
    default: return bits_to_double(0x7FF0000000000001ull); /* signalling */
    }
}

static double random_double(gf_case *tc, const choice_spec *s)
{
    gf_rng *r = &tc->rng;
    double lo = bits_to_double(s->lo), hi = bits_to_double(s->hi);
    for (int attempt = 0; attempt < 8; attempt++) {
        uint64_t x = gf_rng_next(r);
        double d;
        /* Doubles lean harder on their edges than integers: NaN, -0.0
         * and infinity each break code that no integer edge does. */
        uint32_t edge_cut = tc->edge_cut + tc->edge_cut / 2;
        unsigned mode = (x & 0xFFFF) < edge_cut ? 0 : 2 + (unsigned)((x >> 16) % 6);
        switch (mode) {
        case 0: {
            /* Most edge draws go to the few values that break the most
             * code, each about 5% of all draws: NaN, -0.0, +-inf, the
             * smallest subnormal, DBL_MAX.  The rest spread over the long
             * list. */
            if ((x >> 40) % 4 != 0) {
                static const double nasty[] = {NAN, -0.0, INFINITY, -INFINITY,
                                               DBL_TRUE_MIN, DBL_MAX};
                d = nasty[(x >> 42) % (sizeof nasty / sizeof nasty[0])];
                if (isnan(d))
                    d = special_nan(r);
                break;
            }
            size_t i = (size_t)((x >> 8) % (NEDGES + 4));
            if (i < NEDGES)
                d = double_edges[i];
            else if (i == NEDGES)
                d = lo;
            else if (i == NEDGES + 1)
                d = hi;
            else if (i == NEDGES + 2)
                d = nextafter(lo, hi);
            else
                d = nextafter(hi, lo);
            if (isnan(d))
                d = special_nan(r);
            break;
        }
        case 2: /* small integers */
            d = (double)(int64_t)((x >> 8) % 2001) - 1000.0;
            break;
        case 3: { /* simple fractions */
            int64_t num = (int64_t)((x >> 8) % 2001) - 1000;
            d = ldexp((double)num, -(int)((x >> 20) % 12));
            break;
        }
        case 4: /* any bit pattern */
            d = bits_to_double(gf_rng_next(r));
            break;
        case 5: /* uniform over the range when it is finite */
            if (isfinite(hi - lo))
                d = lo + gf_rng_unit(r) * (hi - lo);
            else {
                /* Two draws in two statements: the order of a call's
                 * arguments is the compiler's, and a seed must mean the
                 * same values whatever compiled it. */
                double m = gf_rng_unit(r) * 2 - 1;
                d = ldexp(m, (int)(gf_rng_next(r) % 2048) - 1024);
            }
            break;
        default: { /* log-uniform magnitude: every scale of a wide range */
            double top = fmax(fabs(lo), fabs(hi));
            int emax = isfinite(top) ? ilogb(top) + 1 : 1024;
            int e = -24 + (int)(gf_rng_next(r) % (uint64_t)(emax + 25));
            d = ldexp(1.0 + gf_rng_unit(r), e - 1);
            if ((x >> 40) & 1)
                d = -d;
            if (lo >= 0 && d < 0)
                d = -d;
            else if (hi <= 0 && d > 0)
                d = -d;
            break;
        }
        }
        if (double_fits(s, d))
            return d;
    }
    double u = gf_rng_unit(r);
    double d = isfinite(hi - lo) ? lo + u * (hi - lo) : u * (u < 0.5 ? lo : hi);
    return double_clamp(s, d);
}

/* gf_draw_double, with a generated case taking *want where it fits. */
static double draw_double(gf_case *tc, double lo, double hi, unsigned flags,
                          const double *want)
{
    if (isnan(lo) || isnan(hi) || lo > hi)
        draw_misuse(tc, "gf_draw_double: need lo <= hi, neither NaN");
    choice_spec spec = {.lo = double_to_bits(lo), .hi = double_to_bits(hi),
                        .flags = flags};
    if (!double_fits(&spec, double_simplest(&spec)))
        draw_misuse(tc, "gf_draw_double: no value fits the range and flags");
    const choice *p = next_prefix(tc);
    double d;
    if (p) {
        if (p->kind == CHOICE_DOUBLE)
            d = bits_to_double(p->value);
        else if (p->kind == CHOICE_INT)
            d = (double)(int64_t)p->value;
        else
            d = (double)p->value;
        double fit = double_clamp(&spec, d);
        if (double_to_bits(fit) != double_to_bits(d))
            tc->misaligned = true;
        d = fit;
    } else if (tc->tail == TAIL_SIMPLEST) {
        d = double_simplest(&spec);
    } else if (tc->tail == TAIL_FUZZ) {
        d = fuzz_double(tc, &spec);
    } else if (want && double_fits(&spec, *want)) {
        d = *want;
    } else {
        uint64_t bits;
        bool copy = copies_direct(tc) && copy_direct(tc, CHOICE_DOUBLE, &spec,
                                                     &bits);
        d = copy ? bits_to_double(bits) : random_double(tc, &spec);
    }
    note_direct(tc, CHOICE_DOUBLE, double_to_bits(d), NULL);
    if (!tc->structure) {
        key_value(tc, CHOICE_DOUBLE, double_to_bits(d));
        return d;
    }
    choice *c = record(tc, CHOICE_DOUBLE);
    c->value = double_to_bits(d);
    c->spec = spec;
    if (copies_direct(tc) && !want)
        note_direct_source(tc);
    return d;
}

double gf_draw_double(gf_case *tc, double lo, double hi, unsigned flags)
{
    return draw_double(tc, lo, hi, flags, NULL);
}

double gf_draw_double_suggested(gf_case *tc, double lo, double hi,
                                unsigned flags, double want)
{
    return draw_double(tc, lo, hi, flags, &want);
}

/* ---- bytes -------------------------------------------------------------- */

static uint8_t random_byte(gf_rng *r)
{
    static const uint8_t edges[] = {0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE,
                                    '\n', ' ', '%', '\\', '"', 0xC0};
    uint64_t x = gf_rng_next(r);
    if ((x & 3) == 0)
        return edges[(x >> 8) % sizeof edges];
    return (uint8_t)(x >> 16);
}

const uint8_t *gf_draw_bytes(gf_case *tc, size_t min_len, size_t max_len,
                             size_t *len)
{
    if (min_len > max_len)
        draw_misuse(tc, "gf_draw_bytes: min_len > max_len");
    if (max_len > (1u << 24))
        max_len = 1u << 24;
    if (min_len > max_len)
        draw_misuse(tc, "gf_draw_bytes: min_len above 16 MiB");
    const choice *p = next_prefix(tc);
    size_t n;
    uint8_t *out;
    choice_spec spec = {.lo = min_len, .hi = max_len};
    bool copy = false;
    const choice *from;
    if (p && p->kind == CHOICE_BYTES) {
        n = p->len;
        if (n > max_len)
            n = max_len;
        if (n < min_len)
            n = min_len;
        out = arena_alloc(&tc->mem, n + 1);
        size_t have = p->len < n ? p->len : n;
        memcpy(out, buffer_bytes(tc->prefix, p), have);
        memset(out + have, 0, n - have);
        if (n != p->len)
            tc->misaligned = true;
    } else if (!p && (copy = copies_direct(tc)) &&
               (from = copy_direct_choice(tc, CHOICE_BYTES, &spec)) != NULL) {
        /* The bytes of an earlier direct draw with the same lengths. */
        n = from->len;
        out = arena_alloc(&tc->mem, n + 1);
        memcpy(out, buffer_bytes(&tc->rec, from), n);
    } else {
        if (p)
            tc->misaligned = true;
        n = min_len;
        if (!p && tc->tail == TAIL_FUZZ)
            n = fuzz_bytes_len(tc, min_len, max_len);
        if (!p && tc->tail == TAIL_RANDOM && max_len > min_len) {
            double avg = 2 + tc->size_hint * 62;
            size_t extra = (size_t)(-log1p(-gf_rng_unit(&tc->rng)) * avg);
            n = min_len + (extra < max_len - min_len ? extra : max_len - min_len);
        }
        out = arena_alloc(&tc->mem, n + 1);
        memset(out, 0, n);
        if (!p && tc->tail == TAIL_RANDOM)
            for (size_t i = 0; i < n; i++)
                out[i] = random_byte(&tc->rng);
        else if (!p && tc->tail == TAIL_FUZZ)
            fuzz_bytes_fill(tc, out, n);
    }
    out[n] = 0;
    note_direct(tc, CHOICE_BYTES, n, out);
    *len = n;
    if (!tc->structure) {
        key_bytes(tc, out, n);
        return out;
    }
    choice *c = record(tc, CHOICE_BYTES);
    c->len = (uint32_t)n;
    c->value = buffer_push_bytes(&tc->rec, out, n);
    c->spec = spec;
    if (copy)
        note_direct_source(tc);
    return out;
}

/* ---- spans (here, beside gf_many, so that they inline) ------------------ */

static void span_record(gf_case *tc, uint64_t label);

/* A span begins; a case that keeps only its key counts it and no more. */
static inline void span_open(gf_case *tc, uint64_t label)
{
    tc->span_depth++;
    if (tc->structure)
        span_record(tc, label);
}

void gf_span_begin(gf_case *tc, uint64_t label)
{
    tc = case_given(tc, "gf_span_begin");
    span_open(tc, label);
}

static void span_record(gf_case *tc, uint64_t label)
{
    if (tc->nspans == tc->spans_cap)
        case_grow_spans(tc);
    span *s = &tc->spans[tc->nspans];
    s->start = (uint32_t)tc->rec.n;
    s->end = s->start;
    s->label = label;
    s->parent = tc->open_span;
    s->depth = tc->open_span == UINT32_MAX
                   ? 0
                   : (uint16_t)(tc->spans[tc->open_span].depth + 1);
    s->discard = 0;
    s->open = 1;
    tc->open_span = (uint32_t)tc->nspans++;
}

/* The innermost open span ends (one is open). */
static inline void span_close(gf_case *tc, bool discard)
{
    tc->span_depth--;
    if (!tc->structure || tc->open_span == UINT32_MAX)
        return; /* unbalanced end: ignored rather than corrupting spans */
    span *s = &tc->spans[tc->open_span];
    s->end = (uint32_t)tc->rec.n;
    s->discard = discard;
    s->open = 0;
    tc->open_span = s->parent;
}

void gf_span_end(gf_case *tc, bool discard)
{
    tc = case_given(tc, "gf_span_end");
    if (tc->span_depth == 0) {
        case_set_failure(tc, xstrdup("misuse"),
                         xstrdup("gf_span_end: no span is open (more "
                                 "gf_span_end calls than gf_span_begin)"));
        case_escape(tc);
    }
    span_close(tc, discard);
}

/* ---- collections and generators ----------------------------------------- */

#define LABEL_ITEM 0x6974656d5f6c6162ull

void gf_many_init(gf_case *tc, gf_many *m, size_t min, size_t max)
{
    if (min > max) {
        char *what = xasprintf("gf_many_init: min (%zu) > max (%zu)", min, max);
        case_set_failure(tc, xstrdup("misuse"), what);
        case_escape(tc);
    }
    m->min = min;
    m->max = max < min ? min : max;
    m->count = 0;
    m->open = false;
    m->done = false;
    double avg = 1.0 + tc->size_hint * 24.0;
    double room = (double)(m->max - m->min);
    if (avg > room / 2 + 0.5)
        avg = room / 2 + 0.5;
    m->p_more = room > 0 ? avg / (avg + 1.0) : 0.0;
    m->more_cut = weight_cut(m->p_more);
}

bool gf_many_more(gf_case *tc, gf_many *m)
{
    tc = case_given(tc, "gf_many_more");
    if (m->open) {
        if (__builtin_expect(tc->span_depth == 0, 0))
            gf_span_end(tc, false); /* ended by the caller: a misuse */
        span_close(tc, false);
        m->open = false;
    }
    span_open(tc, LABEL_ITEM);
    bool more;
    tc->gen_depth++; /* the "one more?" choice is not a value to report */
    if (m->count < m->min)
        more = gf_force_bool(tc, true);
    else if (m->count >= m->max)
        more = gf_force_bool(tc, false);
    else
        more = draw_weighted_cut(tc, m->p_more, m->more_cut);
    tc->gen_depth--;
    if (!more) {
        span_close(tc, false);
        m->done = true;
        return false;
    }
    m->open = true;
    m->count++;
    return true;
}

/*
 * gf_many_draw's loop for integers in a generated case that keeps only its
 * key (no prefix, no copies): gf_many_more and draw_int_range with what
 * such a case makes of them folded in.  The choices, PRNG draws and key
 * bytes are the ones the general loop makes, in the same order.
 */
static size_t many_draw_ints(gf_case *tc, gf_many *m, const gf_gen *g,
                             unsigned char *items, size_t room)
{
    bool sg = g->kind <= GF_VALUE_I64;
    uint64_t lo = g->arg.u[0], hi = g->arg.u[1];
    uint64_t target = lo;
    if (sg)
        target = (int64_t)lo > 0 ? lo : (int64_t)hi < 0 ? hi : 0;
    size_t size = g->size, k = 0;
    double p = m->p_more;
    bool sure = p >= 1, never = !(p > 0);
    while (k < room) {
        if (m->open) {
            span_close(tc, false);
            m->open = false;
        }
        span_open(tc, LABEL_ITEM);
        bool more;
        if (m->count < m->min)
            more = true;
        else if (m->count >= m->max || never)
            more = false;
        else
            more = sure || gf_rng_next(&tc->rng) < m->more_cut;
        key_value(tc, CHOICE_BOOL, more);
        if (!more) {
            span_close(tc, false);
            m->done = true;
            break;
        }
        m->open = true;
        m->count++;
        uint64_t v = lo == hi ? target : random_int(tc, lo, hi, target, sg);
        key_value(tc, sg ? CHOICE_INT : CHOICE_UINT, v);
        unsigned char *out = items + k * size;
        switch (size) {
        case 1: *(uint8_t *)out = (uint8_t)v; break;
        case 2: *(uint16_t *)out = (uint16_t)v; break;
        case 4: *(uint32_t *)out = (uint32_t)v; break;
        default: *(uint64_t *)out = v; break;
        }
        k++;
    }
    return k;
}

size_t gf_many_draw(gf_case *tc, gf_many *m, const gf_gen *g, void *items,
                    size_t room)
{
    tc = case_given(tc, "gf_many_draw");
    if (!g)
        draw_misuse(tc, "gf_many_draw: NULL generator");
    if (!m || (!items && room))
        draw_misuse(tc, "gf_many_draw: NULL collection or items");
    unsigned char *p = items;
    size_t k = 0;
    if (!tc->structure && !tc->prefix && tc->tail == TAIL_RANDOM &&
        !tc->copy_values && int_range_ok(g) &&
        (!m->open || tc->span_depth > 0))
        k = many_draw_ints(tc, m, g, p, room);
    while (k < room && !m->done && gf_many_more(tc, m)) {
        gf_draw_into(tc, g, p + k * g->size);
        k++;
    }
    return k;
}

double gf_size_hint(const gf_case *tc)
{
    return tc->size_hint;
}

void gf_size_range(gf_case *tc, double min, double max)
{
    if (!(min >= 0 && max <= 1 && min <= max))
        draw_misuse(tc, "gf_size_range: need 0 <= min <= max <= 1");
    case_set_size(tc, min + tc->size_hint * (max - min));
}

void gf_size_hint_set(gf_case *tc, double hint)
{
    if (!(hint >= 0 && hint <= 1))
        draw_misuse(tc, "gf_size_hint_set: need 0 <= hint <= 1");
    case_set_size(tc, hint);
}

/*
 * Equal values.  Bugs that need two equal values (a duplicate key, the
 * same string twice, x == y) are out of reach of independent random draws
 * of anything wider than a few bits.  So in a copy case, one case in
 * sixteen, each value of a generator already drawn in the case is, with
 * probability one half, a copy of an earlier value of that generator: its draws replay
 * the earlier value's choices as a prefix (mapped into the constraints, as
 * any prefix is), then go on at random if the draw asks for more.  The
 * copy is recorded like any other value, so replay and shrinking need
 * nothing from here.  Direct draws of integers and doubles are copied
 * too, by value (copy_direct, beside draw_integer).
 */
static void copy_from(gf_case *tc, const struct copy_src *src)
{
    buffer_clear(&tc->copy);
    for (uint32_t i = src->start; i < src->end; i++) {
        const choice *from = &tc->rec.ch[i];
        choice *c = buffer_push(&tc->copy);
        *c = *from;
        if (from->kind == CHOICE_BYTES)
            c->value = buffer_push_bytes(&tc->copy,
                                         buffer_bytes(&tc->rec, from),
                                         from->len);
    }
    tc->prefix = &tc->copy;
    tc->pos = 0;
    tc->copy_depth = tc->gen_depth;
}

/* A value of g begins: note where, and perhaps (a coin, then an earlier
 * value of g to copy) make it a copy.  Returns the source slot it noted,
 * or COPY_SOURCES. */
static unsigned copy_begin(gf_case *tc, const gf_gen *g)
{
    if (!tc->prefix) {
        if (copy_coin(tc)) {
            unsigned match[COPY_SOURCES], n = 0;
            for (unsigned i = 0; i < tc->ncopy_src; i++)
                if (tc->copy_src[i].gen == g &&
                    tc->copy_src[i].end != UINT32_MAX &&
                    tc->copy_src[i].end > tc->copy_src[i].start)
                    match[n++] = i;
            if (n)
                copy_from(tc, &tc->copy_src[match[gf_rng_next(&tc->rng) % n]]);
        }
    }
    if (tc->ncopy_src == COPY_SOURCES)
        return COPY_SOURCES;
    unsigned slot = tc->ncopy_src++;
    tc->copy_src[slot] = (struct copy_src){
        .gen = g, .start = (uint32_t)tc->rec.n, .end = UINT32_MAX};
    return slot;
}

static void copy_end(gf_case *tc, unsigned slot)
{
    if (slot < COPY_SOURCES)
        tc->copy_src[slot].end = (uint32_t)tc->rec.n;
    if (tc->copy_depth == tc->gen_depth) {
        tc->prefix = NULL;
        tc->pos = 0;
        tc->copy_depth = 0;
        tc->misaligned = false;
    }
}

static inline __attribute__((always_inline)) void
draw_value(gf_case *tc, const gf_gen *g, void *out)
{
    if (__builtin_expect(int_range_ok(g), 1)) {
        draw_int_range(tc, g, out);
    } else if (g->flags & GF_GEN_LEAF) {
        g->draw(tc, g, out);
    } else {
        gf_span_begin(tc, g->label);
        g->draw(tc, g, out);
        gf_span_end(tc, false);
    }
}

/* A draw in a copy case, out of line so that the common path stays
 * small. */
static __attribute__((noinline)) void draw_copying(gf_case *tc,
                                                   const gf_gen *g, void *out)
{
    unsigned slot = copy_begin(tc, g);
    draw_value(tc, g, out);
    copy_end(tc, slot);
}

static inline __attribute__((always_inline)) void
draw_into(gf_case *tc, const gf_gen *g, void *out)
{
    tc->gen_depth++;
    if (__builtin_expect(tc->copy_values, 0))
        draw_copying(tc, g, out);
    else
        draw_value(tc, g, out);
    tc->gen_depth--;
}

void gf_draw_into(gf_case *tc, const gf_gen *g, void *out)
{
    tc = case_given(tc, "gf_draw");
    if (!g)
        draw_misuse(tc, "gf_draw: NULL generator");
    draw_into(tc, g, out);
}

void *gf_draw_named(gf_case *tc, const gf_gen *g, const char *name)
{
    tc = case_given(tc, "gf_draw");
    if (!g)
        draw_misuse(tc, "gf_draw: NULL generator");
    if (__builtin_expect(g->size > ALLOC_MAX, 0))
        check_alloc(tc, gf_gen_name(g), g->size);
    void *out = arena_alloc_inline(&tc->mem, g->size);
    bool top = tc->gen_depth == 0;
    draw_into(tc, g, out);
    if (top && tc->collect) {
        if (tc->ndrawn == tc->drawn_cap) {
            tc->drawn_cap = tc->drawn_cap ? 2 * tc->drawn_cap : 16;
            tc->drawn = xrealloc(tc->drawn, tc->drawn_cap * sizeof *tc->drawn);
        }
        tc->drawn[tc->ndrawn++] = (drawn){.gen = g, .value = out, .name = name};
        if (tc->live)
            core_up.live_value(tc);
    }
    return (g->flags & GF_GEN_POINTER_VALUE) ? *(void **)out : out;
}

void *gf_draw(gf_case *tc, const gf_gen *g)
{
    return gf_draw_named(tc, g, NULL);
}

void *gf_alloc(gf_case *tc, size_t size)
{
    tc = case_given(tc, "gf_alloc");
    check_alloc(tc, "gf_alloc", size);
    return arena_alloc(&tc->mem, size);
}

void *gf_memdup(gf_case *tc, const void *src, size_t size)
{
    tc = case_given(tc, "gf_memdup");
    check_alloc(tc, "gf_memdup", size);
    void *p = arena_alloc(&tc->mem, size);
    if (size)
        memcpy(p, src, size);
    return p;
}

char *gf_sprintf(gf_case *tc, const char *fmt, ...)
{
    va_list ap, copy;
    va_start(ap, fmt);
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        n = 0;
    char *s = arena_alloc(&tc->mem, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}
