/*
 * shrink.h - the shrinker's entry points.
 */
#ifndef GF_SHRINK_H
#define GF_SHRINK_H

#include "run.h"

/* Seconds a shrink may take when max_shrink_seconds does not say. */
#define SHRINK_DEFAULT_SECONDS 60.0

/* Shrink best (failing with origin) in place, to a fixed point of every
 * pass or a budget; failures with other origins met on the way are given
 * to run_note_other_failure. */
GF_INTERNAL void shrink_failure(gf_run_state *r, buffer *best, uint32_t origin);

/* Shrink with a speculating child process running ahead (--jobs: a
 * second core).  The result is the same as without. */
GF_INTERNAL extern bool shrink_speculate;
/* A child is forked once this many runs have not improved, and runs take
 * this many seconds on average: enough to pay for its fork.  Tests set
 * both to 0. */
GF_INTERNAL extern uint64_t shrink_spec_after_stall;
GF_INTERNAL extern double shrink_spec_min_call;
/* Outcomes taken from speculating children, for tests. */
GF_INTERNAL extern uint64_t shrink_spec_taken;

/* Run the one pass called `name` once over best; true if it shrank it.
 * For tests of each pass. */
GF_INTERNAL bool shrink_one_pass(gf_run_state *r, buffer *best,
                                 uint32_t origin, const char *name);

#endif /* GF_SHRINK_H */
