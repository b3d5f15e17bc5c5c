/*
 * fuzz.h - the fuzzing command-line modes (docs/fuzzing.md), built on the
 * mapping of core/fuzzmap.h.
 */
#ifndef GF_FUZZ_INTERNAL_H
#define GF_FUZZ_INTERNAL_H

#include <stdio.h>

#include "core/fuzzmap.h"

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
