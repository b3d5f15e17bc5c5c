/*
 * observe.h - what a run's cases were, for people and tools: one JSON line
 * per test case in the observation format Tyche reads (--observe), and a
 * summary of the values each named draw produced, the time per case and
 * the scores gf_target reached (--stats, --html).
 *
 * An observer exists only when one of those was asked for: a run without
 * them pays one branch per case (run.c tests r->observing).  The engine
 * reaches an observer through run_observe (engine/observer.h).
 *
 * The summary crosses process boundaries as text (observer_serialize /
 * observer_merge), as stats do: a --jobs worker sends its own, the parent
 * adds them up, and a property's worker sends the merged one to gf_main.
 */
#ifndef GF_OBSERVE_H
#define GF_OBSERVE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/internal.h"
#include "engine/observer.h"

/* What a named draw's values were. */
typedef enum obs_kind {
    OBS_INT,     /* signed integers */
    OBS_UINT,    /* unsigned integers */
    OBS_DOUBLE,  /* floating point */
    OBS_BOOL,
    OBS_TEXT,    /* text: its length in bytes is charted */
    OBS_BYTES,   /* bytes: their length */
    OBS_ARRAY,   /* an array: its size */
    OBS_OTHER,   /* anything else: only counted */
    OBS_KINDS
} obs_kind;

/* Histogram bins.  Numbers: by sign and magnitude class, where class 0 is
 * the value 0, class 1 a magnitude below 1 (doubles only), and class
 * k >= 2 a magnitude in [2^(k-2), 2^(k-1)).  Bin OBS_MID + k holds positive
 * values of class k, OBS_MID - k negative ones.  Sizes use the positive
 * half only. */
#define OBS_CLASSES 66
#define OBS_MID OBS_CLASSES
#define OBS_BINS (2 * OBS_CLASSES + 1)
/* Edge cases counted per kind (see obs_edge_names). */
#define OBS_EDGES 8

typedef struct obs_draw {
    char *name;
    obs_kind kind;
    uint64_t n;              /* values seen */
    double min, max;         /* of the charted number (value or size) */
    double sum;
    uint64_t bins[OBS_BINS];
    uint64_t edges[OBS_EDGES];
} obs_draw;

/* Time per case, in bins of powers of two microseconds: bin k holds
 * times in [2^(k-1), 2^k) us, bin 0 below 1 us. */
#define OBS_TIME_BINS 40

typedef struct obs_target {
    char *label;
    double best;
    char *values;            /* the best case's "name = value" lines */
    char *replay;            /* its replay token */
} obs_target;

typedef struct observer {
    /* --observe: where the lines go (opened by the process writing) */
    char *dir;
    char *program;
    char *property;
    int fd, info_fd;
    long fd_pid;
    double run_start;        /* unix time the property's run started */
    uint64_t seed;
    bool failed_open;        /* said once that the file could not open */
    /* the summary */
    bool summary;
    obs_draw *draws;
    size_t ndraws, draws_cap;
    uint64_t timed;
    double time_total, time_max;
    uint64_t time_bins[OBS_TIME_BINS];
    obs_target *targets;
    size_t ntargets;
    /* labels of the case running, for its "features" */
    char **case_labels;
    size_t ncase_labels, case_labels_cap;
} observer;

/* The names of the edge cases of a kind (NULL after the last). */
GF_INTERNAL const char *const *obs_edge_names(obs_kind kind);
GF_INTERNAL const char *obs_kind_name(obs_kind kind);

/* An observer for a run of `property` with opt, or NULL when opt asks for
 * neither lines (observe_dir) nor the summary (summary, stats). */
GF_INTERNAL observer *observer_new(const gf_options *opt, const char *property,
                                   double run_start);
GF_INTERNAL void observer_free(observer *o);

/* The directory and files of --observe, made now, so that a bad path is
 * found before anything runs.  0, or -1 after one line to err. */
GF_INTERNAL int observe_prepare(const char *dir, const char *argv0, FILE *err);

/* The case running is under `label` (for its line's features). */
GF_INTERNAL void observer_label(observer *o, const char *label);

struct gf_run_state;
/*
 * One case ended.  `how` says how it was made (Tyche's how_generated),
 * `values` holds its "name = value" lines, enc its encoding (for the
 * replay token; NULL: the case's record), `seconds` the time it ran.  Writes its line (with --observe) and adds
 * its values to the summary when counted.
 */
GF_INTERNAL void observer_case(observer *o, struct gf_run_state *r,
                               const char *how, const char *values,
                               const uint8_t *enc, size_t enc_n,
                               double seconds, unsigned flags);

/* The run's "info" line: counts, seed, outcome, targets. */
GF_INTERNAL void observer_info(observer *o, const gf_result *res);

/* A gf_target label's best score, its case and replay token. */
GF_INTERNAL void observer_set_target(observer *o, const char *label,
                                     double best, const char *values,
                                     const char *replay);

/* The summary as text, and added to o from another process's text. */
GF_INTERNAL char *observer_serialize(const observer *o);
GF_INTERNAL void observer_merge(observer *o, const char *text);
/* An observer holding only a summary (for reports), from text. */
GF_INTERNAL observer *observer_from_text(const char *text);

/* The summary for --stats: per draw its kind, count, range, a histogram
 * line and the edge-case shares; the time per case; the targets.  Malloc'd;
 * "" when there is nothing. */
GF_INTERNAL char *observer_report(const observer *o);

/* A bin's low or high edge as text ("0", "-32", "2^31"), for charts. */
GF_INTERNAL void obs_bin_edge(char *out, size_t cap, unsigned bin, bool high);

/* Take run_summary (engine/observer.h), leaving NULL. */
/* The labels part of a summary text (stats_serialize's), or NULL. */
GF_INTERNAL const char *summary_labels(const char *summary);
GF_INTERNAL char *run_take_summary(void);

#endif /* GF_OBSERVE_H */
