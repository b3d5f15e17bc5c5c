/*
 * shrink.h - the shrinker's entry points.
 */
#ifndef GF_SHRINK_H
#define GF_SHRINK_H

#include "run.h"

/* Shrink best (failing with origin) in place, to a fixed point of every
 * pass or a budget; failures with other origins met on the way are given
 * to run_note_other_failure. */
GF_INTERNAL void shrink_failure(gf_run_state *r, buffer *best, uint32_t origin);

/* Run the one pass called `name` once over best; true if it shrank it.
 * For tests of each pass. */
GF_INTERNAL bool shrink_one_pass(gf_run_state *r, buffer *best,
                                 uint32_t origin, const char *name);

#endif /* GF_SHRINK_H */
