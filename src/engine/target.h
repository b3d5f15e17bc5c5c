/*
 * target.h - gf_target: search toward high scores (target.c).
 *
 * A property reports a score per label with gf_target; the run keeps, per
 * label, the encoding of the case that scored highest.  Once the first
 * cases have run, most new cases are mutations of one label's best case
 * (hill climbing on the choice sequence), so the scores climb; a case
 * that scores at least as well becomes the new best.
 */
#ifndef GF_TARGET_H
#define GF_TARGET_H

#include "core/internal.h"

typedef struct target_entry {
    char *label;
    double score;        /* the case running: its highest score */
    bool scored;         /* it gave one */
    double best;
    bool have_best;
    bytes_vec best_key;  /* the encoding of the best case */
    uint64_t improved;   /* times a case beat the best */
} target_entry;

typedef struct target_set {
    target_entry *t;
    size_t n;
    buffer mutant;       /* the case to run next, when targeting */
    size_t next;         /* round robin over labels */
    int current;         /* the label the running case climbs, or -1 */
} target_set;

struct gf_run_state;

/* gf_target's work: the running case scored `score` under label. */
GF_INTERNAL void target_score(struct gf_run_state *r, double score,
                              const char *label);
/* A generated case ended, with this encoding: keep it if it is a best. */
GF_INTERNAL void target_case_end(struct gf_run_state *r, const uint8_t *enc,
                                 size_t n);
/* The next case to run: a mutant of a best case (its prefix), or NULL
 * for an ordinary random case. */
GF_INTERNAL const buffer *target_next(struct gf_run_state *r);
/* The label the case running climbs, or NULL. */
GF_INTERNAL const char *target_current(const struct gf_run_state *r);
/* After generation: each label's best case replayed for its values,
 * handed to the run's observer. */
GF_INTERNAL void target_finish(struct gf_run_state *r);
GF_INTERNAL void target_free(target_set *t);

#endif /* GF_TARGET_H */
