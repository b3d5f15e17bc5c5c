/*
 * index.h - index functions: for each kind of choice, a bijection between
 * its valid values and 0, 1, 2, ... in order of simplicity, and the
 * shortlex order of buffers built on them.
 */
#ifndef GF_INDEX_H
#define GF_INDEX_H

#include <stdbool.h>
#include <stdint.h>

#include "internal.h"

#define SIGN_BIT 0x8000000000000000ull

/* Integers.  Values are bits: int64_t bits for signed choices. */
GF_INTERNAL uint64_t int_index(const choice_spec *s, bool is_signed,
                               uint64_t value);
GF_INTERNAL uint64_t int_from_index(const choice_spec *s, bool is_signed,
                                    uint64_t index);
GF_INTERNAL uint64_t int_max_index(const choice_spec *s, bool is_signed);
GF_INTERNAL bool int_fits(const choice_spec *s, bool is_signed,
                          uint64_t value);
/* The valid value nearest `value` (bits of either signedness). */
GF_INTERNAL uint64_t int_clamp(const choice_spec *s, bool is_signed,
                               uint64_t value, bool value_signed);

/* Doubles: a magnitude key (0 = 0.0, then 1.0, 2.0 ..., fractions, inf,
 * NaN) and the sign, compared key first. */
GF_INTERNAL uint64_t double_key(double x);
GF_INTERNAL double double_from_key(uint64_t key);
/* The key of a finite |x| by exponent and fraction bits alone, the form
 * double_key uses for non-integers, whatever x is (SIGN_BIT set). */
GF_INTERNAL uint64_t double_float_key(double x);
GF_INTERNAL bool double_fits(const choice_spec *s, double x);
GF_INTERNAL double double_simplest(const choice_spec *s);
GF_INTERNAL double double_clamp(const choice_spec *s, double x);

/* Compare two choices of the same position: <0, 0, >0 by simplicity. */
GF_INTERNAL int choice_compare(const buffer *a, const choice *ca,
                               const buffer *b, const choice *cb);
/* Shortlex: fewer choices first, then choice by choice. */
GF_INTERNAL int buffer_compare(const buffer *a, const buffer *b);

static inline double bits_to_double(uint64_t u)
{
    union {
        uint64_t u;
        double d;
    } x = {.u = u};
    return x.d;
}

static inline uint64_t double_to_bits(double d)
{
    union {
        double d;
        uint64_t u;
    } x = {.d = d};
    return x.u;
}

#endif /* GF_INDEX_H */
