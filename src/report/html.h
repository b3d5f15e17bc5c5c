/*
 * html.h - the --html report: one self-contained page per run (html.c).
 *
 * Open it before anything runs (a bad path is found then), add each
 * property's result with the summary its run left (run_summary), close it
 * at the end: the page is written to a temp file beside the target and
 * renamed over it, whole, like the JUnit and JSON reports.
 */
#ifndef GF_HTML_H
#define GF_HTML_H

#include <stdio.h>

#include "core/internal.h"

typedef struct html_report html_report;

/* NULL after one line to err when path cannot be written. */
GF_INTERNAL html_report *html_open(const char *path, const char *program,
                                   FILE *err);
/* One property: its result, seconds, and summary text (or NULL). */
GF_INTERNAL void html_add(html_report *h, const gf_property *p,
                          const gf_result *r, double seconds,
                          const char *summary);
/* Write the page; 0, or -1 after one line to err.  Frees h. */
GF_INTERNAL int html_close(html_report *h, FILE *err);

/* Give up: the temp file removed, nothing written.  Frees h. */
GF_INTERNAL void html_abandon(html_report *h);

/* The page alone, as text (for tests): malloc'd. */
GF_INTERNAL char *html_page(const html_report *h);

#endif /* GF_HTML_H */
