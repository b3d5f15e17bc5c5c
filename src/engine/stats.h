/*
 * stats.h - what a run's cases were like, for --stats: the share of cases
 * under each gf_label, and the gf_cover requirements that were not met.
 *
 * Per case, in this order:
 *     stats_label / stats_cover   any number of times while the case runs
 *     stats_case                  if this case counts (any time before _end)
 *     stats_case_end              after every case, counted or not
 * A case's labels are committed at stats_case_end, and only if stats_case
 * was called for it: labels from a discarded case the runner chose not to
 * count never inflate a share past 100%.
 */
#ifndef GF_STATS_H
#define GF_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/internal.h"

typedef struct stats stats;

/* An empty set of statistics (never NULL: out of memory ends the run). */
GF_INTERNAL stats *stats_new(void);
/* Free s and its labels; NULL is fine. */
GF_INTERNAL void stats_free(stats *s);

/* One more case counted: the current case's labels will count. */
GF_INTERNAL void stats_case(stats *s);

/* The current case is under `label` (copied; NULL reads "(null)").  Calling
 * it again for the same label in the same case changes nothing. */
GF_INTERNAL void stats_label(stats *s, const char *label);

/*
 * gf_cover: at least min_percent (0..100) of counted cases must have cond
 * true under `label`.  A case counts under the label if any of its calls
 * had cond true; the label shows in the chart like any other.  A label
 * given several minimums keeps the highest.  NaN reads as 0.
 */
GF_INTERNAL void stats_cover(stats *s, const char *label, double min_percent,
                             bool cond);

/* The current case is over: commit its labels if it was counted. */
GF_INTERNAL void stats_case_end(stats *s);

/* Cases counted so far. */
GF_INTERNAL uint64_t stats_cases(const stats *s);

/*
 * The text block: one line per label, most frequent first (ties by name),
 *     "  42.0%  ########             empty"
 * with a 20-column bar; then one line per unmet cover requirement,
 *     "  cover: 'sorted' needed 20.0%, got 3.1%"
 * Returns malloc'd text ("" when there are no labels); sets *unmet (if not
 * NULL) to the number of unmet requirements.  Control characters in labels
 * print as '?'.
 */
GF_INTERNAL char *stats_report(const stats *s, unsigned *unmet);

/* What s counted, as text another process can stats_merge. */
GF_INTERNAL char *stats_serialize(const stats *s);
GF_INTERNAL void stats_merge(stats *s, const char *text);

#endif /* GF_STATS_H */
