/*
 * role.h - the process a run is in, and the processes it hands work to.
 *
 * One struct says what this process is (process_role); the process layer
 * (process/isolate.c, process/jobs.c) sets it as it makes processes, and
 * gf_main sets `isolate`.  What the engine asks of that layer (run a case
 * in a fresh process, hand a deadly case to the parent, shrink in a child,
 * run a property in workers) it asks through process_up, which the process
 * layer fills with its functions when the library loads: the engine never
 * calls up into it directly.
 */
#ifndef GF_ROLE_H
#define GF_ROLE_H

#include "core/internal.h"

typedef struct run_role {
    /* gf_main's default unless --no-fork: gf_run runs each property in a
     * worker process, and a case that kills it is shrunk in the parent. */
    bool isolate;
    /* This process is a property's worker (or a --jobs worker): a deadly
     * case is handed over to the parent. */
    bool worker;
    /* This process runs one case for its parent: a deadly case is
     * published. */
    bool case_child;
    /* A --jobs worker: the parent adds up its counts, prints crash lines
     * and coverage. */
    bool jobs_worker;
    /* This worker leaves its result's report to its parent to print. */
    bool report_in_parent;
    /* This process shrinks speculatively for its parent (shrink). */
    bool speculating;
} run_role;

GF_INTERNAL extern run_role process_role;

/* A worker or a case's child: the parent takes over what kills it. */
static inline bool role_for_parent(void)
{
    return process_role.worker || process_role.case_child;
}

/* What a worker was doing, for the parent that takes over from it. */
enum iso_phase {
    ISO_IDLE,      /* not in a property's cases */
    ISO_REPLAY,    /* running a replay token's case */
    ISO_SAVED,     /* replaying the database's saved failures */
    ISO_GENERATE,  /* generating */
    ISO_SHRINK,    /* shrinking the failure found */
    ISO_REPORT,    /* reporting it, and the others met while shrinking */
    ISO_DONE,      /* generation over, nothing failed */
};

struct gf_run_state;
struct stats;
struct observer;
typedef struct jobs_seen jobs_seen;

typedef struct process_ops {
    /* The running case crashed, called exit(), or timed out, and the
     * process may be broken.  For a parent: record origin and message
     * where it reads them, and end the process.  Otherwise return, and the
     * caller catches it in-process.  Allocation-free (signal handlers). */
    void (*case_died)(gf_case *tc, const char *origin, const char *message);
    /* A worker's phase (enum iso_phase), its run's seed, its summary so
     * far, its shrinker's new best: kept where the parent finds them. */
    void (*set_phase)(int phase);
    void (*note_run)(struct gf_run_state *r, uint64_t seed);
    void (*publish_summary)(const char *text);
    void (*note_best)(struct gf_run_state *r, const buffer *best,
                      uint32_t origin);
    /* The exec callback of a run whose cases each run in a fresh process
     * (r->iso): run_buffer's work. */
    case_status (*run_buffer)(struct gf_run_state *r, const buffer *prefix,
                              uint32_t *origin);
    /* Shrinking in a child process for a run with r->iso: true if best is
     * now its checked answer. */
    bool (*shrink)(struct gf_run_state *r, buffer *best, uint32_t origin);
    /* In the speculating child: each call of the property. */
    void (*spec_starting)(const struct gf_run_state *r);
    void (*spec_ran)(const struct gf_run_state *r);
    /* A child that carries on from here with a pipe back, its output
     * discarded, killed should this process die: in the child 0 and *fd
     * the pipe's write end; in the parent its pid and *fd the read end;
     * -1 if it could not be made.  stop_child kills and reaps it. */
    int (*fork_child)(int *fd);
    void (*stop_child)(int pid, int fd);
    /* gf_run and run_fuzz_input in a worker process. */
    gf_status (*run_isolated)(const gf_property *p, const gf_options *opt,
                              gf_result *out);
    gf_status (*run_fuzz_input)(const gf_property *p, const gf_options *opt,
                                const uint8_t *data, size_t size,
                                const char *source, bool shrink,
                                gf_result *out);
    /* --jobs N: the property over N worker processes. */
    gf_status (*run_jobs)(const gf_property *p, const gf_options *opt,
                          gf_result *res, struct stats *merged,
                          struct observer *merged_obs);
    /* --jobs: whether a case's hash is new to every worker (it is added). */
    bool (*jobs_seen_add)(jobs_seen *t, uint64_t hash);
} process_ops;

GF_INTERNAL extern process_ops process_up;

#endif /* GF_ROLE_H */
