/*
 * challenges.h - the shrinking challenges, ported to Gadfly: what the
 * shrink-quality test (test_challenges.c) and the benchmark (bench/shrink.c)
 * both run.
 *
 * Each challenge is a false property and the counterexample a perfect
 * shrinker must reach (/work/shared/shrinking-challenge/ has one file per
 * challenge).  Every property copies the values it drew into static storage
 * on every call, before it asserts, and gf_run replays the shrunk case
 * last, so after challenge_run has returned a failure, is_ideal() and
 * describe() speak about the shrunk counterexample.  One challenge runs at
 * a time: nothing here is thread-safe.
 *
 * This file must never grow a dependency on Criterion or on the library's
 * internals: the benchmark links it too, and it uses the public API only.
 */
#ifndef GF_TESTS_SHRINK_CHALLENGES_H
#define GF_TESTS_SHRINK_CHALLENGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gadfly.h>

/** One challenge. */
typedef struct challenge {
    const char *name;
    gf_property_fn property;
    /** Are the values of the property's last run the ideal? */
    bool (*is_ideal)(void);
    /** The values of the last run as text; malloc'd, the caller frees. */
    char *(*describe)(void);
    /** The ideal, as describe() would print it (for messages). */
    const char *ideal;
    /** Distinct cases to run: enough that every seed finds the bug. */
    uint64_t trials;
    /** Hypothesis 6.67.1's median shrink calls (README); 0: not measured. */
    double hypothesis_calls;
} challenge;

/** Every challenge, in the README's order, then Gadfly's own two. */
extern const challenge challenges[];
extern const size_t challenge_count;

/** The challenge called name, or NULL. */
const challenge *challenge_find(const char *name);

/**
 * Run c once with seed: gf_run with the challenge's trials, quiet, and a
 * 20-second shrink budget so that a stuck shrinker ends (its report then
 * says "budget"); the call budget is left at its default, since the ideal
 * must come with the settings a user gets.  Fills *r (the caller frees it
 * with gf_result_free) and returns its status.  On GF_FAILED, is_ideal()
 * and describe() then speak about the first failure's shrunk case, even
 * when other failures were shrunk after it (r->failures > 1).
 */
gf_status challenge_run(const challenge *c, uint64_t seed, gf_result *r);

#endif /* GF_TESTS_SHRINK_CHALLENGES_H */
