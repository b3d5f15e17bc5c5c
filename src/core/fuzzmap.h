/*
 * fuzzmap.h - fuzzer bytes as choices (docs/fuzzing.md): the mapping draw.c
 * uses in TAIL_FUZZ mode, and its inverse.
 */
#ifndef GF_FUZZMAP_H
#define GF_FUZZMAP_H

#include "internal.h"

/* One draw each, consuming the case's fuzz bytes; past their end the
 * simplest value.  Values are valid for their constraints. */
GF_INTERNAL uint64_t fuzz_int(gf_case *tc, uint64_t lo, uint64_t hi,
                              uint64_t target, bool is_signed);
GF_INTERNAL bool fuzz_bool(gf_case *tc);
GF_INTERNAL double fuzz_double(gf_case *tc, const choice_spec *s);
GF_INTERNAL size_t fuzz_bytes_len(gf_case *tc, size_t min_len, size_t max_len);
GF_INTERNAL void fuzz_bytes_fill(gf_case *tc, uint8_t *out, size_t n);

/* The inverse: append the fuzz bytes that draw the recorded choices of b
 * again, choice by choice (forced choices take none). */
GF_INTERNAL void fuzz_encode(const buffer *b, bytes_vec *out);

#endif /* GF_FUZZMAP_H */
