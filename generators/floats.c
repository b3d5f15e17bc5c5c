/*
 * floats.c - double and float generators.
 *
 * Both draw from the engine's double draw, which shrinks toward 0.0 and
 * simple numbers and already leans on NaN, +-inf, +-0 and DBL_MAX.  On top
 * of it each family keeps an edge list of its own, the values that break
 * numeric code, drawn through an "edge?" choice (false is simplest, so a
 * failure shrinks away from the edge list when it can) and an index into
 * the edges the range and flags allow, simplest first.  The lists hold
 * every edge docs/generators.md names, and tests/test_generators.c proves
 * each appears within a stated number of draws.
 *
 * Floats are drawn as doubles inside the finite float range and rounded,
 * which keeps the engine's shrinking order.
 *
 * The GF_DOUBLE_* flags and the range are honoured exactly, by the engine's
 * rules for doubles, and for floats in float terms: a double that rounds
 * to a float subnormal or to a -0.0f the flags forbid is moved to the
 * nearest value they allow, and doubles past FLT_MAX (which would round to
 * infinity) are never drawn.
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

/* arg.u[0], arg.u[1]: the bits of lo and hi (as doubles); arg.u[2]: the
 * GF_DOUBLE_* flags.  Bits, not arg.d, so that one union member is used
 * throughout and -0.0 and 0.0 are different arguments; the same bits are
 * the memo keys. */
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

#define KNOWN_FLAGS                                                          \
    (GF_DOUBLE_NO_NAN | GF_DOUBLE_NO_INF | GF_DOUBLE_NO_SUBNORMAL |          \
     GF_DOUBLE_NO_NEG_ZERO)

/* Report arguments that admit no value at all.  `min_normal` is DBL_MIN or
 * FLT_MIN: what counts as subnormal depends on the type. */
static void check_range(gf_case *tc, const gf_gen *g, range r,
                        double min_normal)
{
    if (r.flags & ~KNOWN_FLAGS)
        gf_gen_misuse(tc, g, "unknown flag bits 0x%X (the GF_DOUBLE_* flags "
                             "are 0x%X)",
                      r.flags & ~KNOWN_FLAGS, KNOWN_FLAGS);
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

/*
 * Whether the flags and range admit v, by the rules of the engine's double
 * draw, so that edges and drawn values obey the same rules: NaN only when
 * the range is the whole line [-inf, inf]; zero is signed at the bounds
 * (-0.0 is in range only if lo < 0 or lo is -0.0, and +0.0 only if hi > 0
 * or hi is +0.0); infinities only when inside the range.  `subnormal` says
 * whether v is subnormal in its own type (float or double).
 */
static bool real_allowed(range r, double v, bool subnormal)
{
    if (isnan(v))
        return !(r.flags & GF_DOUBLE_NO_NAN) && r.lo == -INFINITY &&
               r.hi == INFINITY;
    if (v < r.lo || v > r.hi)
        return false;
    if (isinf(v) && (r.flags & GF_DOUBLE_NO_INF))
        return false;
    if (subnormal && (r.flags & GF_DOUBLE_NO_SUBNORMAL))
        return false;
    if (v == 0 && signbit(v))
        return !(r.flags & GF_DOUBLE_NO_NEG_ZERO) &&
               (r.lo < 0 || signbit(r.lo));
    if (v == 0)
        return r.hi > 0 || !signbit(r.hi);
    return true;
}

/*
 * Report a range with no value its flags allow (say [-0.0, -0.0] without
 * -0.0) here, by the generator's name, rather than leave it to the
 * engine's draw.  If any value is allowed, one of these is: a bound, a
 * zero, the smallest normal or the smallest subnormal of either sign (a
 * normal value lies beyond the smallest normal toward a bound, and a
 * subnormal one beyond the smallest subnormal).  `allowed` applies the
 * rules of the type.
 */
static void check_some_value(gf_case *tc, const gf_gen *g, range r,
                             double min_normal, double true_min,
                             bool (*allowed)(range r, double v),
                             const char *type)
{
    const double candidates[] = {
        r.lo, r.hi, 0.0, -0.0, min_normal, -min_normal, true_min, -true_min,
    };
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
        if (allowed(r, candidates[i]))
            return;
    gf_gen_misuse(tc, g, "no %s in [%g, %g] satisfies the flags 0x%X", type,
                  r.lo, r.hi, r.flags);
}

static bool double_allowed(range r, double v)
{
    return real_allowed(r, v, fpclassify(v) == FP_SUBNORMAL);
}

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
        .draw = draw,
        .print = print,
    };
    t.arg.u[0] = double_bits(lo);
    t.arg.u[1] = double_bits(hi);
    t.arg.u[2] = flags;
    return gf_gen_intern(&t);
}

/* ---- double ------------------------------------------------------------ */

/* Chance of drawing from a family's edge list instead of its range. */
#define REAL_EDGE_P 0.2

/* NaNs by their bits: a literal cannot spell a signalling NaN or a
 * payload, and arithmetic may quiet one. */
#define DBL_QNAN 0x7FF8000000000000ull
#define DBL_NEG_QNAN 0xFFF8000000000000ull
#define DBL_SNAN 0x7FF0000000000001ull
#define DBL_NEG_SNAN 0xFFF0000000000001ull
#define DBL_NAN_PAYLOAD 0x7FF800000000BEEFull

/*
 * The edges of double, simplest first.  Finite values come before
 * infinities and NaNs, as in the engine's shrinking order.  Entries named
 * in docs/generators.md are tested one by one.
 */
static const double double_finite_edges[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0,
    2.5,                    /* a tie: round-half-even gives 2, round() 3 */
    0.1,                    /* not exact in binary */
    1.0 / 3.0,              /* 0.3333333333333333 */
    0.30000000000000004,    /* 0.1 + 0.2: 17 digits to read back */
    0.79999999999999993,    /* 0.1 + 0.7 */
    0x1.fffffffffffffp-1,   /* 1 - 2^-53: the largest double below 1 */
    0x1.0000000000001p0,    /* 1 + 2^-52 = 1.0000000000000002 */
    DBL_EPSILON,            /* 2^-52 */
    9007199254740991.0,     /* 2^53 - 1: the largest exact integer run */
    9007199254740992.0,     /* 2^53, also what 2^53 + 1 rounds to */
    9007199254740994.0,     /* 2^53 + 2: the next double, ints skip */
    -9007199254740992.0,    /* -2^53 */
    2147483647.0,           /* INT32_MAX */
    -2147483648.0,          /* INT32_MIN */
    2147483648.0,           /* 2^31: overflows int32_t */
    4294967295.0,           /* UINT32_MAX */
    4294967296.0,           /* 2^32: overflows uint32_t */
    9223372036854774784.0,  /* 2^63 - 1024: largest below 2^63 */
    9223372036854775808.0,  /* (double)INT64_MAX = 2^63: overflows int64_t */
    -9223372036854775808.0, /* (double)INT64_MIN = -2^63: fits exactly */
    18446744073709551616.0, /* 2^64 = (double)UINT64_MAX: overflows */
    1e22,                   /* the largest exact power of ten */
    1e23,                   /* the first inexact one */
    123456789.12345678,     /* 17 significant digits */
    DBL_MIN,                /* the smallest normal */
    -DBL_MIN,
    2.2250738585072011e-308, /* the largest subnormal */
    DBL_TRUE_MIN,           /* 5e-324, the smallest subnormal */
    -DBL_TRUE_MIN,
    DBL_MAX,
    -DBL_MAX,
    INFINITY,
    -INFINITY,
};
#define DOUBLE_FINITE_EDGES \
    (sizeof double_finite_edges / sizeof double_finite_edges[0])

static const uint64_t double_nan_edges[] = {
    DBL_QNAN, DBL_NEG_QNAN, DBL_SNAN, DBL_NEG_SNAN, DBL_NAN_PAYLOAD,
};
#define DOUBLE_NAN_EDGES \
    (sizeof double_nan_edges / sizeof double_nan_edges[0])

/* Room for every edge: the lists, plus the bounds and their neighbours. */
#define DOUBLE_EDGES_MAX (DOUBLE_FINITE_EDGES + DOUBLE_NAN_EDGES + 4)

static void add_double_edge(range r, double d, double *out, size_t *n)
{
    if (real_allowed(r, d, fpclassify(d) == FP_SUBNORMAL))
        out[(*n)++] = d;
}

/* The edges of double, simplest first, that r admits; returns how many. */
static size_t double_edges(range r, double *out)
{
    size_t n = 0;
    for (size_t i = 0; i < DOUBLE_FINITE_EDGES; i++)
        add_double_edge(r, double_finite_edges[i], out, &n);
    for (size_t i = 0; i < DOUBLE_NAN_EDGES; i++)
        add_double_edge(r, bits_double(double_nan_edges[i]), out, &n);
    /* A bounded range's own edges: the bounds and the values just inside. */
    if (isfinite(r.lo)) {
        add_double_edge(r, r.lo, out, &n);
        if (r.lo < r.hi)
            add_double_edge(r, nextafter(r.lo, r.hi), out, &n);
    }
    if (isfinite(r.hi) && r.hi > r.lo) {
        add_double_edge(r, r.hi, out, &n);
        add_double_edge(r, nextafter(r.hi, r.lo), out, &n);
    }
    return n;
}

static void draw_double(gf_case *tc, const gf_gen *self, void *out)
{
    range r = gen_range(self);
    double edges[DOUBLE_EDGES_MAX];
    check_range(tc, self, r, DBL_MIN);
    check_some_value(tc, self, r, DBL_MIN, DBL_TRUE_MIN, double_allowed,
                     "double");
    size_t nedges = double_edges(r, edges);
    /* Whether and which edge, then the value itself as one choice
     * suggested the edge: the same three choices either way, so they stay
     * aligned as they shrink, and a value found at an edge shrinks like any
     * drawn double (two equal edges fall together). */
    bool edge = nedges > 0 && gf_draw_weighted(tc, REAL_EDGE_P);
    uint64_t k = nedges > 0 ? gf_draw_uint(tc, 0, nedges - 1) : 0;
    *(double *)out = edge ? gf_draw_double_suggested(tc, r.lo, r.hi, r.flags,
                                                     edges[k])
                          : gf_draw_double(tc, r.lo, r.hi, r.flags);
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
    GEN_MEMO_RETURN(gf_double_in, double_bits(lo), double_bits(hi), flags,
                    build_double_in(lo, hi, flags));
}

/* ---- float ------------------------------------------------------------- */

static bool float_subnormal(float f)
{
    return fpclassify(f) == FP_SUBNORMAL;
}

/* Whether the flags and range admit f: the rules of real_allowed, with
 * subnormal meaning below FLT_MIN. */
static bool float_allowed(range r, float f)
{
    return real_allowed(r, f, float_subnormal(f));
}

/* float_allowed for check_some_value, whose candidates are all floats. */
static bool float_candidate_allowed(range r, double v)
{
    return float_allowed(r, (float)v);
}

static float bits_float(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* The edges of float, simplest first; NaNs by their bits, as for double. */
static const float float_finite_edges[] = {
    0.0f, -0.0f, 1.0f, -1.0f, 0.5f, -0.5f, 2.0f,
    2.5f,                   /* a tie for rounding */
    0.1f,                   /* 0.100000001f */
    1.0f / 3.0f,
    0x1.fffffep-1f,         /* 1 - 2^-24: the largest float below 1 */
    0x1.000002p0f,          /* 1 + 2^-23 */
    FLT_EPSILON,
    16777215.0f,            /* 2^24 - 1: the largest exact integer run */
    16777216.0f,            /* 2^24, also what 2^24 + 1 rounds to */
    16777218.0f,            /* 2^24 + 2: the next float */
    2147483648.0f,          /* (float)INT32_MAX = 2^31: overflows int32_t */
    -2147483648.0f,         /* (float)INT32_MIN */
    4294967296.0f,          /* (float)UINT32_MAX = 2^32 */
    9223372036854775808.0f, /* (float)INT64_MAX = 2^63 */
    18446744073709551616.0f, /* (float)UINT64_MAX = 2^64 */
    FLT_MIN,
    -FLT_MIN,
    0x1.fffffcp-127f,       /* the largest float subnormal */
    FLT_TRUE_MIN,
    -FLT_TRUE_MIN,
    FLT_MAX,
    -FLT_MAX,
    INFINITY,
    -INFINITY,
};
#define FLOAT_FINITE_EDGES \
    (sizeof float_finite_edges / sizeof float_finite_edges[0])

static const uint32_t float_nan_edges[] = {
    0x7FC00000u, /* quiet NaN */
    0xFFC00000u, /* negative quiet NaN */
    0x7F800001u, /* signalling NaN */
    0xFF800001u, /* negative signalling NaN */
    0x7FC0BEEFu, /* quiet NaN with a payload */
};
#define FLOAT_NAN_EDGES (sizeof float_nan_edges / sizeof float_nan_edges[0])

#define FLOAT_EDGES_MAX (FLOAT_FINITE_EDGES + FLOAT_NAN_EDGES + 2)

/* The edges of float, simplest first, that r admits; returns how many. */
static size_t float_edges(range r, float *out)
{
    size_t n = 0;
    for (size_t i = 0; i < FLOAT_FINITE_EDGES; i++)
        if (float_allowed(r, float_finite_edges[i]))
            out[n++] = float_finite_edges[i];
    for (size_t i = 0; i < FLOAT_NAN_EDGES; i++) {
        float f = bits_float(float_nan_edges[i]);
        if (float_allowed(r, f))
            out[n++] = f;
    }
    const float bounds[] = {(float)r.lo, (float)r.hi};
    for (size_t i = 0; i < 2; i++)
        if (float_allowed(r, bounds[i]))
            out[n++] = bounds[i];
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
    float edges[FLOAT_EDGES_MAX];
    check_range(tc, self, r, FLT_MIN);
    check_some_value(tc, self, r, FLT_MIN, FLT_TRUE_MIN,
                     float_candidate_allowed, "float");

    /* The finite part of the range: doubles past FLT_MAX would round to
     * infinity, which comes only from the edge list (and only if allowed). */
    double lo = r.lo < -FLT_MAX ? -FLT_MAX : r.lo;
    double hi = r.hi > FLT_MAX ? FLT_MAX : r.hi;
    bool has_finite = lo <= hi;
    size_t nedges = float_edges(r, edges);
    if (!has_finite && nedges == 0)
        gf_gen_misuse(tc, self, "no float satisfies the range and flags");

    float f;
    if (nedges > 0 && (!has_finite || gf_draw_weighted(tc, REAL_EDGE_P))) {
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
    GEN_MEMO_RETURN(gf_float_in, double_bits(lo), double_bits(hi), flags,
                    build_float_in(lo, hi, flags));
}
