/*
 * index.c - simplicity order of choice values.
 *
 * Integers count outward from the shrink target, positive side first, and
 * continue on the longer side once the shorter one runs out, so every value
 * in [lo, hi] has exactly one index in [0, hi - lo].  Doubles order by a
 * magnitude key: non-negative integers below 2^56 first, by value; then
 * other finite numbers by exponent nearest 2^0 first, with the fraction
 * bits reversed so that fewer fraction bits come first; then infinity, then
 * NaN.  The sign is a last, separate step (positive first).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "index.h"

/* Signed values compare as unsigned once the sign bit is flipped. */
static inline uint64_t to_offset(uint64_t bits, bool is_signed)
{
    return is_signed ? bits ^ SIGN_BIT : bits;
}

uint64_t int_max_index(const choice_spec *s, bool is_signed)
{
    return to_offset(s->hi, is_signed) - to_offset(s->lo, is_signed);
}

bool int_fits(const choice_spec *s, bool is_signed, uint64_t value)
{
    uint64_t v = to_offset(value, is_signed);
    return v >= to_offset(s->lo, is_signed) && v <= to_offset(s->hi, is_signed);
}

uint64_t int_index(const choice_spec *s, bool is_signed, uint64_t value)
{
    uint64_t v = to_offset(value, is_signed);
    uint64_t lo = to_offset(s->lo, is_signed), hi = to_offset(s->hi, is_signed);
    uint64_t t = to_offset(s->target, is_signed);
    uint64_t up = hi - t, down = t - lo;
    uint64_t both = up < down ? up : down;
    if (v == t)
        return 0;
    uint64_t d = v > t ? v - t : t - v;
    if (d <= both)
        return v > t ? 2 * d - 1 : 2 * d;
    return both + d;
}

uint64_t int_from_index(const choice_spec *s, bool is_signed, uint64_t index)
{
    uint64_t lo = to_offset(s->lo, is_signed), hi = to_offset(s->hi, is_signed);
    uint64_t t = to_offset(s->target, is_signed);
    uint64_t up = hi - t, down = t - lo;
    uint64_t both = up < down ? up : down;
    uint64_t v;
    if (index > hi - lo)
        index = hi - lo;
    if (index == 0) {
        v = t;
    } else if (index <= 2 * both) {
        uint64_t d = (index + 1) / 2;
        v = (index & 1) ? t + d : t - d;
    } else {
        uint64_t d = index - both;
        v = up > down ? t + d : t - d;
    }
    return to_offset(v, is_signed);
}

uint64_t int_clamp(const choice_spec *s, bool is_signed, uint64_t value,
                   bool value_signed)
{
    /* Bring the value into this choice's signedness without wrapping. */
    if (value_signed != is_signed) {
        if (value_signed && (int64_t)value < 0)
            return s->lo;  /* negative into unsigned: lowest */
        if (!value_signed && value > (uint64_t)INT64_MAX)
            return s->hi;  /* huge unsigned into signed: highest */
    }
    uint64_t v = to_offset(value, is_signed);
    uint64_t lo = to_offset(s->lo, is_signed), hi = to_offset(s->hi, is_signed);
    if (v < lo)
        return s->lo;
    if (v > hi)
        return s->hi;
    return value;
}

/* ---- doubles ------------------------------------------------------------ */

#define KEY_NAN UINT64_MAX
#define KEY_INF (UINT64_MAX - 1)
#define MANT_BITS 52
#define MANT_MASK ((1ull << MANT_BITS) - 1)
#define INT_LIMIT 72057594037927936.0 /* 2^56 */

static uint64_t reverse_bits(uint64_t x, unsigned n)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < n; i++) {
        r = (r << 1) | (x & 1);
        x >>= 1;
    }
    return r;
}

/* Exponents near 2^0 are simplest: 1023, 1024, ..., 2046, then 1022 .. 0. */
static uint64_t exp_rank(uint64_t e)
{
    return e >= 1023 ? e - 1023 : 2046 - e;
}

static uint64_t exp_from_rank(uint64_t r)
{
    return r <= 1023 ? r + 1023 : 2046 - r;
}

/* Reverse the fraction bits so values with fewer of them come first. */
static uint64_t mant_order(uint64_t mant, uint64_t e)
{
    int64_t unbiased = (int64_t)e - 1023;
    if (unbiased <= 0)
        return reverse_bits(mant, MANT_BITS);
    if (unbiased < MANT_BITS) {
        unsigned frac = (unsigned)(MANT_BITS - unbiased);
        uint64_t low = mant & ((1ull << frac) - 1);
        return (mant & ~((1ull << frac) - 1)) | reverse_bits(low, frac);
    }
    return mant;
}

uint64_t double_float_key(double x)
{
    uint64_t bits = double_to_bits(fabs(x));
    uint64_t e = bits >> MANT_BITS, mant = bits & MANT_MASK;
    return SIGN_BIT | (exp_rank(e) << MANT_BITS) | mant_order(mant, e);
}

uint64_t double_key(double x)
{
    if (isnan(x))
        return KEY_NAN;
    x = fabs(x);
    if (isinf(x))
        return KEY_INF;
    if (x < INT_LIMIT && x == floor(x))
        return (uint64_t)x;
    return double_float_key(x);
}

double double_from_key(uint64_t key)
{
    if (key == KEY_NAN)
        return NAN;
    if (key >= KEY_INF)
        return INFINITY;
    if (!(key & SIGN_BIT))
        return key < (1ull << 56) ? (double)key : INT_LIMIT;
    uint64_t rank = (key >> MANT_BITS) & 0x7FF;
    if (rank > 2046)
        return INFINITY;
    uint64_t e = exp_from_rank(rank);
    /* mant_order is its own inverse: it reverses a fixed bit range. */
    uint64_t mant = mant_order(key & MANT_MASK, e);
    return bits_to_double((e << MANT_BITS) | mant);
}

static bool nan_allowed(const choice_spec *s)
{
    return !(s->flags & GF_DOUBLE_NO_NAN) &&
           bits_to_double(s->lo) == -INFINITY &&
           bits_to_double(s->hi) == INFINITY;
}

bool double_fits(const choice_spec *s, double x)
{
    double lo = bits_to_double(s->lo), hi = bits_to_double(s->hi);
    if (isnan(x))
        return nan_allowed(s);
    if (x < lo || x > hi)
        return false;
    if (isinf(x) && (s->flags & GF_DOUBLE_NO_INF))
        return false;
    if (x != 0 && fabs(x) < 0x1p-1022 && (s->flags & GF_DOUBLE_NO_SUBNORMAL))
        return false;
    if (x == 0) {
        if (signbit(x))
            return !(s->flags & GF_DOUBLE_NO_NEG_ZERO) &&
                   (lo < 0 || signbit(lo));
        return hi > 0 || !signbit(hi);
    }
    return true;
}

/* The simplest double in [a, b], 0 < a <= b, both finite. */
static double simplest_positive(double a, double b)
{
    double c = ceil(a);
    if (c <= b && c < INT_LIMIT)
        return c;
    if (a >= INT_LIMIT)
        return a;
    for (int k = 1; k <= 1074; k++) {
        double scaled = ceil(ldexp(a, k));
        double cand = ldexp(scaled, -k);
        if (cand >= a && cand <= b)
            return cand;
    }
    return a;
}

double double_simplest(const choice_spec *s)
{
    double lo = bits_to_double(s->lo), hi = bits_to_double(s->hi);
    double x;
    if (lo <= 0 && hi >= 0)
        x = (hi == 0 && signbit(hi)) ? -0.0 : 0.0;
    else if (lo > 0)
        x = isinf(lo) ? lo : simplest_positive(lo, isinf(hi) ? DBL_MAX : hi);
    else
        x = isinf(hi) ? hi : -simplest_positive(-hi, isinf(lo) ? DBL_MAX : -lo);
    if (!double_fits(s, x) && double_fits(s, -x))
        x = -x;
    if (!double_fits(s, x) && (s->flags & GF_DOUBLE_NO_SUBNORMAL))
        x = lo > 0 ? fmax(lo, 0x1p-1022) : fmin(hi, -0x1p-1022);
    return x;
}

double double_clamp(const choice_spec *s, double x)
{
    double lo = bits_to_double(s->lo), hi = bits_to_double(s->hi);
    if (double_fits(s, x))
        return x;
    if (isnan(x))
        return double_simplest(s);
    if (x == 0)
        return double_simplest(s);
    if (x < lo)
        x = lo;
    if (x > hi)
        x = hi;
    if (isinf(x) && (s->flags & GF_DOUBLE_NO_INF))
        x = x > 0 ? DBL_MAX : -DBL_MAX;
    if (x != 0 && fabs(x) < 0x1p-1022 && (s->flags & GF_DOUBLE_NO_SUBNORMAL))
        x = 0;
    return double_fits(s, x) ? x : double_simplest(s);
}

/* ---- order -------------------------------------------------------------- */

static int cmp_u64(uint64_t a, uint64_t b)
{
    return (a > b) - (a < b);
}

int choice_compare(const buffer *a, const choice *ca, const buffer *b,
                   const choice *cb)
{
    if (ca->kind != cb->kind)
        return cmp_u64(ca->kind, cb->kind);
    switch (ca->kind) {
    case CHOICE_INT:
    case CHOICE_UINT: {
        bool sg = ca->kind == CHOICE_INT;
        return cmp_u64(int_index(&ca->spec, sg, ca->value),
                       int_index(&cb->spec, sg, cb->value));
    }
    case CHOICE_BOOL:
        return cmp_u64(ca->value, cb->value);
    case CHOICE_DOUBLE: {
        double x = bits_to_double(ca->value), y = bits_to_double(cb->value);
        int c = cmp_u64(double_key(x), double_key(y));
        return c ? c : cmp_u64(signbit(x) != 0, signbit(y) != 0);
    }
    case CHOICE_BYTES: {
        if (ca->len != cb->len)
            return cmp_u64(ca->len, cb->len);
        int c = ca->len ? memcmp(buffer_bytes(a, ca), buffer_bytes(b, cb), ca->len) : 0;
        return (c > 0) - (c < 0);
    }
    }
    return 0;
}

int buffer_compare(const buffer *a, const buffer *b)
{
    if (a->n != b->n)
        return cmp_u64(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        int c = choice_compare(a, &a->ch[i], b, &b->ch[i]);
        if (c)
            return c;
    }
    return 0;
}
