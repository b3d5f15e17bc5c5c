/*
 * fuzz.h - fuzzer bytes as choices (docs/fuzzing.md): the mapping draw.c
 * uses in TAIL_FUZZ mode, and the command-line modes built on it.
 */
#ifndef GF_FUZZ_INTERNAL_H
#define GF_FUZZ_INTERNAL_H

#include <stdio.h>

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

/* The command-line modes (cli.c): each runs the one selected property, or
 * for --export-corpus every selected one, and returns the exit code. */
typedef struct fuzz_request {
    const char *replay_file;   /* --replay-file FILE */
    const char *import_dir;    /* --import-corpus DIR */
    const char *export_dir;    /* --export-corpus DIR */
} fuzz_request;

GF_INTERNAL bool fuzz_requested(const fuzz_request *q);
GF_INTERNAL int fuzz_cli(const fuzz_request *q, const gf_property *const *props,
                         size_t n, const gf_options *opt, const char *prog);

#endif /* GF_FUZZ_INTERNAL_H */
