/*
 * observer.h - what the engine tells whoever observes a run: each case,
 * the labels and targets, the outcome (--observe, --stats, --html).  The
 * report layer keeps the observations (report/observe.c) and fills
 * run_observe with its functions when the library loads; to the engine an
 * observer is opaque.
 */
#ifndef GF_OBSERVER_H
#define GF_OBSERVER_H

#include "core/internal.h"

typedef struct observer observer;
struct gf_run_state;

/* How a case that ended counts (case_ended's flags). */
#define OBS_COUNTED 1u   /* a new case: its values join the summary */
#define OBS_DUPLICATE 2u /* a case run before (its line says so) */

typedef struct observer_ops {
    /* An observer for a run of `property` with opt, or NULL when opt asks
     * for neither lines (observe_dir) nor the summary (summary, stats). */
    observer *(*open)(const gf_options *opt, const char *property,
                      double run_start);
    /* One holding only a summary, from observer text (serialize's). */
    observer *(*from_text)(const char *text);
    void (*close)(observer *o);
    /* The case running is under `label`. */
    void (*label)(observer *o, const char *label);
    /* One case ended: `how` it was made, its "name = value" lines (or
     * NULL), its encoding (NULL: the case's record), its time. */
    void (*case_ended)(observer *o, struct gf_run_state *r, const char *how,
                       const char *values, const uint8_t *enc, size_t enc_n,
                       double seconds, unsigned flags);
    /* The run's outcome. */
    void (*info)(observer *o, const gf_result *res);
    /* A gf_target label's best score, its case and replay token. */
    void (*set_target)(observer *o, const char *label, double best,
                       const char *values, const char *replay);
    void (*set_seed)(observer *o, uint64_t seed);
    /* Whether it keeps the summary of values and times. */
    void (*keep_summary)(observer *o, bool keep);
    bool (*summarizes)(const observer *o);
    /* Whether it writes a line per case (--observe). */
    bool (*writes_lines)(const observer *o);
    /* Cases timed so far. */
    uint64_t (*timed)(const observer *o);
    /* The summary as text (malloc'd), and as --stats prints it. */
    char *(*serialize)(const observer *o);
    char *(*report)(const observer *o);
} observer_ops;

GF_INTERNAL extern observer_ops run_observe;

/* After gf_run returns in this process: the summary text of that run
 * (malloc'd, or NULL), for gf_main's reports.  Taken with run_take_summary
 * (report/observe.h). */
GF_INTERNAL extern char *run_summary;

#endif /* GF_OBSERVER_H */
