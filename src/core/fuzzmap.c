/*
 * fuzzmap.c - a fuzzer's input read as the choices of one case
 * (docs/fuzzing.md).
 *
 * Each draw takes a fixed number of bytes, big-endian, as the index of its
 * value in order of simplicity, so zero bytes (or no bytes left) give the
 * simplest value and a small change of the bytes a small change of the
 * value.  fuzz_encode is the inverse, so a saved failure exported as a
 * seed replays the same choices.
 *
 * The mapping is part of the file format of every corpus: it must not
 * change within a major version.
 */
#include <math.h>
#include <string.h>

#include "encode.h"
#include "fuzzmap.h"
#include "index.h"

/* Doubles: after the sign bit, magnitudes below INT_SLOTS are whole numbers
 * by value, then infinity, NaN, and from FLOAT_BASE every finite magnitude
 * by exponent (nearest 2^0 first) and fraction bits (fewest first). */
#define INT_SLOTS ((1ull << 52) - 2)
#define INF_SLOT INT_SLOTS
#define NAN_SLOT (INT_SLOTS + 1)
#define FLOAT_BASE (1ull << 52)
#define TOP_BIT 0x8000000000000000ull

/* Up to k bytes, big-endian; fewer (a smaller number) when the input runs
 * out, none past its end. */
static uint64_t take(gf_case *tc, unsigned k)
{
    uint64_t u = 0;
    while (k-- && tc->fuzz_pos < tc->fuzz_len)
        u = u << 8 | tc->fuzz[tc->fuzz_pos++];
    return u;
}

/* Bytes a draw over indices [0, max_index] takes. */
static unsigned index_bytes(uint64_t max_index)
{
    return byte_count(max_index);
}

uint64_t fuzz_int(gf_case *tc, uint64_t lo, uint64_t hi, uint64_t target,
                  bool is_signed)
{
    choice_spec s = {.lo = lo, .hi = hi, .target = target};
    uint64_t top = int_max_index(&s, is_signed);
    uint64_t u = take(tc, index_bytes(top));
    return int_from_index(&s, is_signed, top == UINT64_MAX ? u : u % (top + 1));
}

bool fuzz_bool(gf_case *tc)
{
    return take(tc, 1) & 1;
}

static double double_from_fuzz(uint64_t u)
{
    uint64_t v = u & ~TOP_BIT;
    double m;
    if (v < INT_SLOTS)
        m = (double)v;
    else if (v == INF_SLOT)
        m = INFINITY;
    else if (v == NAN_SLOT)
        m = NAN;
    else
        m = double_from_key(SIGN_BIT | (v - FLOAT_BASE));
    return (u & TOP_BIT) ? -m : m;
}

static uint64_t double_to_fuzz(double x)
{
    uint64_t sign = signbit(x) ? TOP_BIT : 0;
    double m = fabs(x);
    if (isnan(x))
        return sign | NAN_SLOT;
    if (isinf(m))
        return sign | INF_SLOT;
    if (m < (double)INT_SLOTS && m == floor(m))
        return sign | (uint64_t)m;
    return sign | (FLOAT_BASE + (double_float_key(m) & ~SIGN_BIT));
}

/* A double range with one value takes no bytes, like an integer's. */
static bool double_fixed(const choice_spec *s)
{
    return s->lo == s->hi;
}

double fuzz_double(gf_case *tc, const choice_spec *s)
{
    if (double_fixed(s))
        return double_simplest(s);
    uint64_t u = take(tc, 8);
    if (u == 0)
        return double_simplest(s);
    double d = double_from_fuzz(u);
    if (double_fits(s, d))
        return d;
    /* Outside the range: spread over it instead, so every bit of the input
     * still moves the value. */
    double lo = bits_to_double(s->lo), hi = bits_to_double(s->hi);
    if (isfinite(lo) && isfinite(hi)) {
        double f = (double)(u >> 11) * 0x1p-53;
        d = lo + (hi - lo) * f;
        if (!isfinite(d))
            d = lo * (1 - f) + hi * f;
    }
    return double_clamp(s, d);
}

size_t fuzz_bytes_len(gf_case *tc, size_t min_len, size_t max_len)
{
    return (size_t)fuzz_int(tc, min_len, max_len, min_len, false);
}

void fuzz_bytes_fill(gf_case *tc, uint8_t *out, size_t n)
{
    size_t left = tc->fuzz_len - tc->fuzz_pos;
    size_t have = n < left ? n : left;
    if (have)
        memcpy(out, tc->fuzz + tc->fuzz_pos, have);
    tc->fuzz_pos += have;
}

static void put_be(bytes_vec *out, uint64_t x, unsigned k)
{
    bv_reserve(out, k);
    for (unsigned i = 0; i < k; i++)
        out->p[out->n + i] = (uint8_t)(x >> (8 * (k - 1 - i)));
    out->n += k;
}

void fuzz_encode(const buffer *b, bytes_vec *out)
{
    bv_reserve(out, 0);
    for (size_t i = 0; i < b->n; i++) {
        const choice *c = &b->ch[i];
        const choice_spec *s = &c->spec;
        switch (c->kind) {
        case CHOICE_INT:
        case CHOICE_UINT: {
            bool sg = c->kind == CHOICE_INT;
            if (c->forced || s->lo == s->hi)
                break;
            put_be(out, int_index(s, sg, c->value),
                   index_bytes(int_max_index(s, sg)));
            break;
        }
        case CHOICE_BOOL:
            if (!c->forced)
                put_be(out, c->value != 0, 1);
            break;
        case CHOICE_DOUBLE:
            if (!double_fixed(s))
                put_be(out, double_to_fuzz(bits_to_double(c->value)), 8);
            break;
        case CHOICE_BYTES:
            put_be(out, c->len - s->lo, index_bytes(s->hi - s->lo));
            bv_reserve(out, c->len);
            if (c->len)
                memcpy(out->p + out->n, buffer_bytes(b, c), c->len);
            out->n += c->len;
            break;
        }
    }
}
