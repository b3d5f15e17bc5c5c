/*
 * report.h - machine-readable reports of a run: TAP 13 on a stream, JUnit
 * XML and JSON files.
 *
 * One report_set covers a whole run: open it with the number of properties,
 * add each property's result as it finishes, close it at the end.  TAP is
 * streamed as results arrive; the JUnit and JSON files appear only at
 * report_close, whole (written to a temp file beside the target, then
 * renamed), so a CI job never reads half a report.
 */
#ifndef GF_REPORT_H
#define GF_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/internal.h"

/* Which reports to write; zero means none. */
typedef struct report_options {
    bool tap;               /* TAP 13 streamed on tap_out */
    const char *tap_path;   /* TAP 13 in this file, or NULL */
    const char *junit_path; /* JUnit XML file, or NULL */
    const char *json_path;  /* JSON file, or NULL */
} report_options;

typedef struct report_set report_set;

/*
 * Start the reports of a run of `count` properties.  With o->tap, writes the
 * TAP header and plan ("TAP version 13", "1..count") to tap_out (stdout if
 * NULL).  o->tap_path collects the same TAP for a file written whole at
 * report_close, like the JUnit and JSON files.  Creates a temp file beside each requested file now, so that an
 * unwritable path is found before anything runs.
 * Returns the set, or NULL after one line to err (a missing directory, no
 * permission, a path that is a directory, both files naming one path).
 * The strings in o are copied.
 */
GF_INTERNAL report_set *report_open(const report_options *o, size_t count,
                                    FILE *tap_out, FILE *err);

/*
 * One property's result and the wall-clock seconds it took.  TAP output is
 * written (and flushed) at once; the files collect it for report_close.
 * rs NULL does nothing.  Neither p nor r is kept.
 */
GF_INTERNAL void report_add(report_set *rs, const gf_property *p,
                            const gf_result *r, double seconds);

/*
 * Finish: TAP lines "ok K # SKIP not run" for planned properties that were
 * never added, then the JUnit and JSON files, each fsync'd and renamed over
 * its target.  Returns 0, or -1 after one line to err (the first file that
 * failed; files not yet written are abandoned, their temp files removed).
 * Frees rs in either case; rs NULL returns 0.
 */
GF_INTERNAL int report_close(report_set *rs, FILE *err);

#endif /* GF_REPORT_H */
