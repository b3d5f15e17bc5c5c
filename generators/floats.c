/*
 * floats.c - double and float generators.
 *
 * Doubles come straight from the engine's double draw, which already
 * favours NaN, +-inf, +-0, subnormals, DBL_MIN, DBL_MAX, 2^53 and friends,
 * and shrinks toward 0.0 and simple numbers.
 *
 * Floats are drawn as doubles inside the finite float range and rounded,
 * which keeps the engine's shrinking order.  The float edges (FLT_MIN,
 * FLT_TRUE_MIN, FLT_MAX, +-0, +-inf, NaN) are not edges of a double draw,
 * so they get their own bias: an "edge?" choice (false is simplest, so a
 * failure shrinks away from the edge list when it can) and an index into
 * the edges the range and flags allow.
 *
 * The GF_DOUBLE_* flags and the range are honoured exactly for floats too,
 * in float terms and by the engine's rules for doubles: a double that
 * rounds to a float subnormal or to a -0.0f the flags forbid is moved to
 * the nearest value they allow, and doubles past FLT_MAX (which would round
 * to infinity) are never drawn.
 */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gadfly.h>
#include <gadfly/gen.h>

#include "cache.h"

/* A double's bits, as a memo key. */
static uint64_t dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* arg.u[0], arg.u[1]: the bits of lo and hi (as doubles); arg.u[2]: the
 * GF_DOUBLE_* flags.  Bits, not arg.d, so that one union member is used
 * throughout and -0.0 and 0.0 are different arguments. */
static uint64_t double_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static double bits_double(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

typedef struct range {
    double lo, hi;
    unsigned flags;
} range;

static range gen_range(const gf_gen *g)
{
    range r = {bits_double(g->arg.u[0]), bits_double(g->arg.u[1]),
               (unsigned)g->arg.u[2]};
    return r;
}

/* Report arguments that admit no value at all.  `min_normal` is DBL_MIN or
 * FLT_MIN: what counts as subnormal depends on the type. */
static void check_range(gf_case *tc, const gf_gen *g, range r,
                        double min_normal)
{
    if (isnan(r.lo) || isnan(r.hi))
        gf_gen_misuse(tc, g, "a bound is NaN");
    if (r.lo > r.hi)
        gf_gen_misuse(tc, g, "lo > hi");
    if ((r.flags & GF_DOUBLE_NO_INF) && r.lo == r.hi && isinf(r.lo))
        gf_gen_misuse(tc, g, "the range holds only infinity, which the "
                             "flags forbid");
    bool all_subnormal = (r.lo > 0 && r.hi < min_normal) ||
                         (r.hi < 0 && r.lo > -min_normal);
    if ((r.flags & GF_DOUBLE_NO_SUBNORMAL) && all_subnormal)
        gf_gen_misuse(tc, g, "the range holds only subnormals, which the "
                             "flags forbid");
}

static void draw_double(gf_case *tc, const gf_gen *self, void *out);

static const gf_gen *make_real(const char *name, size_t size, size_t align,
                               gf_value_kind kind, gf_gen_draw_fn draw,
                               gf_gen_print_fn print, double lo, double hi,
                               unsigned flags)
{
    gf_gen t = {
        .name = name,
        .size = size,
        .align = align,
        .kind = kind,
        .label = gf_span_label(name),
        .flags = draw == draw_double ? GF_GEN_LEAF : 0,
        .draw = draw,
        .print = print,
    };
    t.arg.u[0] = double_bits(lo);
    t.arg.u[1] = double_bits(hi);
    t.arg.u[2] = flags;
    return gf_gen_intern(&t);
}

/* ---- double ------------------------------------------------------------ */

static void draw_double(gf_case *tc, const gf_gen *self, void *out)
{
    range r = gen_range(self);
    check_range(tc, self, r, DBL_MIN);
    *(double *)out = gf_draw_double(tc, r.lo, r.hi, r.flags);
}

static void print_double(gf_printer *p, const gf_gen *self,
                         const void *value)
{
    (void)self;
    gf_print_double(p, *(const double *)value);
}

static const gf_gen *build_double(void)
{
    return make_real("double", sizeof(double), _Alignof(double),
                     GF_VALUE_DOUBLE, draw_double, print_double, -INFINITY,
                     INFINITY, 0);
}

const gf_gen *gf_double(void)
{
    GEN_ONCE_RETURN(build_double());
}

static const gf_gen *build_double_in(double lo, double hi, unsigned flags)
{
    char name[128];
    snprintf(name, sizeof name, "double_in(%.17g, %.17g, 0x%x)", lo, hi,
             flags);
    return make_real(name, sizeof(double), _Alignof(double),
                     GF_VALUE_DOUBLE, draw_double, print_double, lo, hi,
                     flags);
}

const gf_gen *gf_double_in(double lo, double hi, unsigned flags)
{
    GEN_MEMO_RETURN(gf_double_in, dbits(lo), dbits(hi), flags,
                    build_double_in(lo, hi, flags));
}

/* ---- float ------------------------------------------------------------- */

/* Chance of drawing from the edge list instead of the float range. */
#define FLOAT_EDGE_P 0.2

static bool float_subnormal(float f)
{
    return fpclassify(f) == FP_SUBNORMAL;
}

/*
 * Whether the flags and range admit f, by the rules of the engine's double
 * draw, so that gf_float_in and gf_double_in agree: NaN only when the range
 * is the whole line [-inf, inf]; zero is signed at the bounds (-0.0 is in
 * range only if lo < 0 or lo is -0.0, and +0.0 only if hi > 0 or hi is
 * +0.0); infinities only when inside the range.
 */
static bool float_allowed(range r, float f)
{
    if (isnan(f))
        return !(r.flags & GF_DOUBLE_NO_NAN) && r.lo == -INFINITY &&
               r.hi == INFINITY;
    if (f < r.lo || f > r.hi)
        return false;
    if (isinf(f) && (r.flags & GF_DOUBLE_NO_INF))
        return false;
    if (float_subnormal(f) && (r.flags & GF_DOUBLE_NO_SUBNORMAL))
        return false;
    if (f == 0 && signbit(f))
        return !(r.flags & GF_DOUBLE_NO_NEG_ZERO) &&
               (r.lo < 0 || signbit(r.lo));
    if (f == 0)
        return r.hi > 0 || !signbit(r.hi);
    return true;
}

/* The edges of float, simplest first, that r admits; returns how many. */
static size_t float_edges(range r, float *out)
{
    const float candidates[] = {
        0.0f,          -0.0f,        1.0f,          -1.0f,
        FLT_MIN,       -FLT_MIN,     FLT_TRUE_MIN,  -FLT_TRUE_MIN,
        FLT_MAX,       -FLT_MAX,     INFINITY,      -INFINITY,
        NAN,           -NAN,         FLT_EPSILON,   16777216.0f,
        16777218.0f,   (float)r.lo,  (float)r.hi,
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
        if (float_allowed(r, candidates[i]))
            out[n++] = candidates[i];
    return n;
}

/*
 * Rounding a double to float can land on a value the flags forbid: a float
 * subnormal, or -0.0f from a tiny negative.  Move it to the nearest value
 * allowed, looking outward from zero on f's side first; the bounds come
 * last, and check_range has ruled out most ranges where nothing is
 * allowed.  Returns false if nothing is.
 */
static bool float_fix(range r, float *f)
{
    if (float_allowed(r, *f))
        return true;
    float sign = copysignf(1.0f, *f);
    const float nearest[] = {
        sign * 0.0f,          -sign * 0.0f,         sign * FLT_TRUE_MIN,
        sign * FLT_MIN,       -sign * FLT_TRUE_MIN, -sign * FLT_MIN,
        (float)r.lo,          (float)r.hi,
    };
    for (size_t i = 0; i < sizeof nearest / sizeof nearest[0]; i++)
        if (float_allowed(r, nearest[i])) {
            *f = nearest[i];
            return true;
        }
    return false;
}

static void draw_float(gf_case *tc, const gf_gen *self, void *out)
{
    range r = gen_range(self);
    float edges[32];
    check_range(tc, self, r, FLT_MIN);

    /* The finite part of the range: doubles past FLT_MAX would round to
     * infinity, which comes only from the edge list (and only if allowed). */
    double lo = r.lo < -FLT_MAX ? -FLT_MAX : r.lo;
    double hi = r.hi > FLT_MAX ? FLT_MAX : r.hi;
    bool has_finite = lo <= hi;
    size_t nedges = float_edges(r, edges);
    if (!has_finite && nedges == 0)
        gf_gen_misuse(tc, self, "no float satisfies the range and flags");

    float f;
    if (nedges > 0 && (!has_finite || gf_draw_weighted(tc, FLOAT_EDGE_P))) {
        f = edges[gf_draw_uint(tc, 0, nedges - 1)];
    } else {
        f = (float)gf_draw_double(tc, lo, hi, r.flags);
        if (!float_fix(r, &f))
            gf_gen_misuse(tc, self, "no float satisfies the range and flags");
    }
    *(float *)out = f;
}

/* Whether mant * 10^exp10 reads back to f the way a compiler reads the
 * literal "...f": rounded once, straight to float.  No decimal point in the
 * text, so the locale does not matter.  Returns the decimal as a double. */
static bool float_reads_back(uint64_t mant, int exp10, float f, double *d)
{
    char text[48];
    snprintf(text, sizeof text, "%" PRIu64 "e%d", mant, exp10);
    *d = strtod(text, NULL);
    return strtof(text, NULL) == f;
}

/*
 * The shortest decimal D that reads back to f, returned as the double
 * nearest D.  D has at most 9 significant digits, and a decimal of at most
 * 15 digits is the shortest text of the double nearest it, so
 * gf_print_double of the result prints D.  At each length the correctly
 * rounded candidate is tried, then its neighbours (next to a power of two
 * the rounding interval is lopsided).  f is positive and finite.
 */
static double float_as_short_double(float f)
{
    char text[64];
    for (int digits = 1; digits <= 9; digits++) {
        snprintf(text, sizeof text, "%.*e", digits - 1, (double)f);
        uint64_t mant = 0;
        const char *c = text;
        for (; *c && *c != 'e'; c++)
            if (*c >= '0' && *c <= '9')
                mant = mant * 10 + (uint64_t)(*c - '0');
        int exp10 = (*c == 'e' ? atoi(c + 1) : 0) - (digits - 1);
        double d;
        if (float_reads_back(mant, exp10, f, &d) ||
            float_reads_back(mant + 1, exp10, f, &d) ||
            (mant > 1 && float_reads_back(mant - 1, exp10, f, &d)))
            return d;
    }
    return f; /* not reached: 9 digits always read back */
}

static void print_float(gf_printer *p, const gf_gen *self, const void *value)
{
    (void)self;
    float f = *(const float *)value;
    if (isnan(f) || isinf(f)) {
        /* NAN and INFINITY are float constants already. */
        gf_print_double(p, f);
        return;
    }
    gf_print_double(p, copysign(float_as_short_double(fabsf(f)), f));
    gf_print(p, "f");
}

static const gf_gen *build_float(void)
{
    return make_real("float", sizeof(float), _Alignof(float),
                     GF_VALUE_FLOAT, draw_float, print_float, -INFINITY,
                     INFINITY, 0);
}

const gf_gen *gf_float(void)
{
    GEN_ONCE_RETURN(build_float());
}

static const gf_gen *build_float_in(float lo, float hi, unsigned flags)
{
    char name[128];
    snprintf(name, sizeof name, "float_in(%.9g, %.9g, 0x%x)", (double)lo,
             (double)hi, flags);
    return make_real(name, sizeof(float), _Alignof(float), GF_VALUE_FLOAT,
                     draw_float, print_float, lo, hi, flags);
}

const gf_gen *gf_float_in(float lo, float hi, unsigned flags)
{
    GEN_MEMO_RETURN(gf_float_in, dbits(lo), dbits(hi), flags,
                    build_float_in(lo, hi, flags));
}
