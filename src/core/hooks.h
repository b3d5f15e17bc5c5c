/*
 * hooks.h - how the core reaches the layers above it.
 *
 * The core (the case, its draws and assertions) never includes a header of
 * a higher layer.  Where a case's work belongs to one (a run counting its
 * labels, a worker publishing each value to its parent, the scheduler's
 * stacks), the core calls through core_up, which each of those layers
 * fills with its own functions when the library is loaded.  A hook left
 * NULL is a layer not linked in: its work is then not needed, because only
 * that layer sets the case fields (tc->run, tc->live, tc->sched) that lead
 * to the call.
 */
#ifndef GF_HOOKS_H
#define GF_HOOKS_H

#include "internal.h"

typedef struct core_hooks {
    /* engine (tc->run): the run's statistics and targets. */
    void (*label)(gf_run_state *r, const char *label);
    void (*cover)(gf_run_state *r, const char *label, double percent,
                  bool cond);
    void (*count_filter)(gf_run_state *r, const gf_gen *g, bool gave_up);
    /* why is malloc'd, and the run keeps it. */
    void (*count_gen_discard)(gf_run_state *r, const gf_gen *g, char *why);
    void (*target_score)(gf_run_state *r, double score, const char *label);
    /* A misuse with no case to fail (a NULL case outside any run), or a
     * case that escaped outside gf_run: say so before the core aborts. */
    void (*say_fatal)(const char *what);

    /* process (tc->live): a worker publishing its case to its parent. */
    void (*live_value)(gf_case *tc);
    void (*live_note)(gf_case *tc, const char *note);
    size_t (*live_notes_used)(const gf_case *tc);
    void (*live_notes_rewind)(gf_case *tc, size_t used);
    void (*live_reset)(gf_case *tc);

    /* concurrency: the stacks a case's scheduled threads ran on. */
    void (*free_sched)(gf_case *tc);
} core_hooks;

GF_INTERNAL extern core_hooks core_up;

#endif /* GF_HOOKS_H */
