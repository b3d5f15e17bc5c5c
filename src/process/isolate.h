/*
 * isolate.h - running properties in worker processes (isolate.c).
 */
#ifndef GF_ISOLATE_H
#define GF_ISOLATE_H

#include <signal.h>

#include "engine/run.h"

typedef struct iso_shared iso_shared;

/* This process is a property's worker: a deadly case is handed over. */
GF_INTERNAL extern iso_shared *iso_worker;
/* This process runs one case for its parent: a deadly case is published. */
GF_INTERNAL extern iso_shared *iso_child;

GF_INTERNAL void iso_set_phase(int phase);

/* In a process about to fork workers or cases' children: a child that a
 * property stopped (SIGSTOP, SIGTSTP) is continued, never waited on
 * forever.  iso_forked_child undoes it in the child. */
GF_INTERNAL void iso_continue_stopped(void);
GF_INTERNAL void iso_forked_child(void);
/* Before reading a worker's result from fd: wait for it to send or end. */
GF_INTERNAL void iso_await_result(int fd, pid_t pid);

/*
 * The running case crashed, called exit(), or timed out, and the process
 * may be broken.  In a worker or a case's child process: record origin and
 * message (and, in a worker, the case) where the parent reads them, and end
 * the process.  Otherwise returns, and the caller catches it in-process.
 * Allocation-free: called from signal handlers.
 */
GF_INTERNAL void iso_case_died(gf_case *tc, const char *origin,
                               const char *message);

/* A worker's run has started with this seed (and state r). */
GF_INTERNAL void iso_note_run(gf_run_state *r, uint64_t seed);

/* A worker's shrinker has a new best failure: keep it where the parent
 * can take it over. */
GF_INTERNAL void iso_note_best(gf_run_state *r, const buffer *best,
                               uint32_t origin);

/*
 * Taking over from a dead worker (r->iso set): shrink best, which fails
 * with origin, in-process in one child, and check its answer in a fresh
 * process.  True if best is now that answer; false if the case server must
 * shrink best further (from the child's last best that failed again, or
 * from best as it was).  Step and call counts include the child's.
 */
GF_INTERNAL bool iso_shrink(gf_run_state *r, buffer *best, uint32_t origin);
/* In that child (else NULL): run_buffer tells it of each call. */
GF_INTERNAL extern iso_shared *iso_spec;
GF_INTERNAL void iso_spec_starting(const gf_run_state *r);
GF_INTERNAL void iso_spec_ran(const gf_run_state *r);

/* Memory to share with a worker (for max_choices choices a case), or
 * NULL; and its release. */
GF_INTERNAL iso_shared *iso_map(size_t max_choices);
GF_INTERNAL void iso_unmap(iso_shared *sh);

/* A worker with iso_worker = sh ended (wait status wstatus) without its
 * result: shrink, replay and report the case that killed it here, each
 * candidate in a child process.  The report is printed unless quiet. */
GF_INTERNAL gf_status iso_take_over(const gf_property *p, const gf_options *opt,
                                    iso_shared *sh, int wstatus,
                                    gf_result *res);

/* The property in a worker process (see run_role.isolate). */
GF_INTERNAL gf_status run_isolated(const gf_property *p, const gf_options *opt,
                                   gf_result *out);

/* run_fuzz_input in a worker process, a deadly input taken over. */
GF_INTERNAL gf_status iso_run_fuzz_input(const gf_property *p,
                                         const gf_options *opt,
                                         const uint8_t *data, size_t size,
                                         const char *source, bool shrink,
                                         gf_result *out);

/* run_buffer for a run whose cases each run in a child process. */
GF_INTERNAL case_status iso_run_buffer(gf_run_state *r, const buffer *prefix,
                                       uint32_t *origin);

/* In a case's child process collecting a report: a value was drawn, a
 * note was made.  Published at once, in case the process dies. */
GF_INTERNAL void iso_live_value(gf_case *tc);
GF_INTERNAL void iso_live_note(gf_case *tc, const char *note);
/* How much of the published notes' area is used; withdraw the notes
 * published after it was `used`. */
GF_INTERNAL size_t iso_live_notes_used(const gf_case *tc);
GF_INTERNAL void iso_live_notes_rewind(gf_case *tc, size_t used);

/* A new case starts in a process whose record is shared (case_reset). */
GF_INTERNAL void iso_live_reset(gf_case *tc);


/* In a worker: keep text (the run's summary so far) where the parent
 * finds it should a case kill this process.  Does nothing elsewhere. */
GF_INTERNAL void iso_publish_summary(const char *text);
/* In the parent: the summary a dead worker published last, or NULL. */
GF_INTERNAL char *iso_taken_summary(const iso_shared *sh);

#endif /* GF_ISOLATE_H */
