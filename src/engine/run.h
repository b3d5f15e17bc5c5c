/*
 * run.h - the state of one property's run, shared by the runner, the
 * shrinker and the replay-token code.
 */
#ifndef GF_RUN_H
#define GF_RUN_H

#include <signal.h>
#include <string.h>

#include "core/dedup.h"
#include "core/internal.h"
#include "core/token.h"
#include "execute.h"
#include "role.h"

typedef struct other_failure {
    uint32_t origin;
    buffer buf;
} other_failure;

struct gf_run_state {
    const gf_property *prop;
    gf_options opt;
    gf_case tc;
    seen_set seen;
    bytes_vec key;          /* scratch: the encoding of the last buffer */

    char **origins;         /* distinct failure origins met, by number */
    size_t norigins;

    /* Shrinking: buffers the property consumed entirely, by an FNV hash of
     * their encoding, so any buffer extending one is known not to need a
     * run (shrink.c); and the smallest buffer of each other failure. */
    seen_set recorded;
    other_failure *others;
    size_t nothers;

    uint64_t cases, passed, discarded, overruns, duplicates, unchecked;
    uint64_t shrinks, shrink_calls;
    bool shrink_budget_hit;
    bool shrink_interrupted; /* a signal cut the shrinking short */
    bool crash_noted;       /* run_note_crash has printed its line */
    char *slow_message;     /* the too-slow health check's finding */
    uint64_t filter_rejects, filter_giveups;
    const gf_gen *filter_gen;
    /* gf_gen_discard: how many, the last generator and its reason. */
    uint64_t gen_discards;
    const gf_gen *gen_discard_gen;
    char *gen_discard_why;
    struct stats *stats;    /* gf_label / gf_cover counts, once used */
    bool counting;          /* the case running is a generated one */
    /* Each case runs in a child process sharing this (isolate.c), and the
     * last collected case's values as that child printed them. */
    struct iso_shared *iso;
    char *iso_values;
    const char *input;      /* run_fuzz_input: where the input came from */
    /* Generation: the finished cases not yet checked against `seen`
     * (run.c), or NULL. */
    struct generation *pending;
    /* --observe, --stats, --html and gf_target: the observer and the
     * targets, or NULL; observing is true when either exists (the one
     * test a generated case pays for both). */
    struct observer *obs;
    struct target_set *targets;
    bool observing;
};

/*
 * The failure database's key for prop: "PROGRAM/NAME", PROGRAM being the
 * base name of opt->argv0 (without libtool's "lt-"), so that two programs
 * with a property of the same name keep their failures apart; just the
 * name when there is no argv0.  Malloc'd.
 */
GF_INTERNAL char *run_db_key(const gf_property *prop, const gf_options *opt);
/* The counts as they would be with every finished case accounted for,
 * the case running now included as one more case: without allocating and
 * without changing anything, so that the handler of a case that killed
 * its process can publish them.  Fills cases, passed, discarded and
 * duplicates. */
GF_INTERNAL void run_counts_now(const gf_run_state *r, uint64_t out[4]);

/* A run's state outside gf_run (for tests of the shrinker). */
GF_INTERNAL gf_run_state *run_state_new(const gf_property *prop,
                                        const gf_options *opt);
GF_INTERNAL void run_state_delete(gf_run_state *r);
GF_INTERNAL void run_label(gf_run_state *r, const char *label);
GF_INTERNAL void run_cover(gf_run_state *r, const char *label, double percent,
                           bool cond);
GF_INTERNAL void run_count_filter(gf_run_state *r, const gf_gen *g,
                                  bool gave_up);
/* A case gf_gen_discard ended: why is malloc'd, and the run keeps it. */
GF_INTERNAL void run_count_gen_discard(gf_run_state *r, const gf_gen *g,
                                       char *why);
/* A case failed with origin "misuse" (the test's own error) or "error"
 * (the machine's: no process to run it in): not a counterexample, nothing
 * to shrink or replay, and the run ends with GF_ERROR. */
static inline bool origin_is_error(const char *origin)
{
    return strcmp(origin, "misuse") == 0 || strcmp(origin, "error") == 0;
}
GF_INTERNAL uint32_t run_origin_id(gf_run_state *r, const char *origin);
/* Run the property on prefix (simplest values past its end); the case is
 * left in r->tc.  Returns its status; *origin set when it failed. */
GF_INTERNAL case_status run_buffer(gf_run_state *r, const buffer *prefix,
                                   uint32_t *origin);
/* Run b once, collecting the report of a replayed case. */
GF_INTERNAL gf_status run_replay_buffer(gf_run_state *r, gf_result *res,
                                        const buffer *b);
struct gf_db;
/* The failure found: shrink, replay, report, save (db and saved may be
 * NULL: saved is the database entry it was replayed from). */
GF_INTERNAL void run_finish_failure(gf_run_state *r, gf_result *res,
                                    buffer *failing, uint32_t origin,
                                    bool from_db, struct gf_db *db,
                                    const bytes_vec *saved);
/* The running case's encoding into buf (cap bytes), without allocating:
 * its length, or 0 if it does not fit. */
GF_INTERNAL size_t run_encode_case(const gf_case *tc, uint8_t *buf,
                                   size_t cap);
/* --timeout when not given, seconds. */
#define RUN_DEFAULT_TIMEOUT 10.0
/* Print a report to the run's output (unless quiet). */
GF_INTERNAL void run_emit(const gf_run_state *r, const char *text);
/* The drawn values of the case just run, "name = value" lines (malloc'd). */
GF_INTERNAL char *run_format_values(const gf_run_state *r);
/* One drawn value's report line. */
GF_INTERNAL void run_format_drawn(gf_printer *p, const drawn *d, size_t i);
/* The outcome value stored in the seen set for the current r->tc. */
GF_INTERNAL uint32_t run_outcome(gf_run_state *r);

/* Keep rec as the failure of `origin` if it is the smallest seen yet. */
GF_INTERNAL void run_note_other_failure(gf_run_state *r, uint32_t origin,
                                        const buffer *rec);

/*
 * Run the property once on a fuzzer's input (data mapped to choices, see
 * docs/fuzzing.md; `source` names it in the report).  A failure is saved
 * to the database; with `shrink` it is shrunk first and reported like a
 * run's failure.  The report is printed unless opt->quiet and kept in res.
 */
GF_INTERNAL gf_status run_fuzz_input(const gf_property *prop,
                                     const gf_options *opt,
                                     const uint8_t *data, size_t size,
                                     const char *source, bool shrink,
                                     gf_result *res);

/* Print, once per run, a replay line for the crash just caught: a crash
 * may have corrupted the process, which may not live to report it. */
GF_INTERNAL void run_note_crash(gf_run_state *r);


GF_INTERNAL double now_seconds(void);
GF_INTERNAL uint64_t run_fresh_seed(void);
/* --jobs: the lowest worker number that found a failure, in memory the
 * workers share, followed by one flag per worker, set while it generates;
 * and this worker's number (jobs.c). */
GF_INTERNAL extern volatile int *run_jobs_failed;

/*
 * SIGINT, SIGTERM and SIGHUP in a GF_MAIN program (run_catch_interrupts):
 * the first one asks the whole run, in every process of it, to stop
 * generating, cut the shrink in progress short and report what it has;
 * a second one ends the process at once (removing the temp files named
 * with run_note_temp).  A property that signals its own process still
 * dies of the signal, as before.
 */
GF_INTERNAL void run_catch_interrupts(void);
GF_INTERNAL bool run_interrupted(void);
/* --no-fork: a page shared with a process that watches this one (cli.c)
 * and reports, should this one end during a case where nothing here
 * could catch it (_exit, SIGKILL), which property and seed it was. */
typedef struct run_exit_watch {
    volatile sig_atomic_t in_case; /* a case is running in this process */
    volatile sig_atomic_t done;    /* the run ended as runs end */
    uint64_t seed;
    char property[200];
} run_exit_watch;
GF_INTERNAL extern run_exit_watch *run_watched;
/* A temp file to remove should a second signal end the process (slot 0
 * to RUN_TEMP_SLOTS - 1; NULL when it is gone). */
#define RUN_TEMP_SLOTS 4
GF_INTERNAL void run_note_temp(unsigned slot, const char *path);
GF_INTERNAL extern int run_jobs_index;
/* The progress line of a GF_MAIN run (cli.c sets these): property
 * run_progress_index (1-based) of run_progress_count, and with --budget
 * the time the whole run ends (0: no budget). */
GF_INTERNAL extern unsigned run_progress_index, run_progress_count;
GF_INTERNAL extern double run_budget_deadline;
/* --jobs: each worker's cases so far, in memory they share with the
 * parent, which prints the progress line (NULL: none). */
GF_INTERNAL extern volatile uint64_t *run_jobs_cases;
/* One progress line, "\r"-rewritten in place on out: the property, its
 * cases, their rate over `spent` seconds, its time left, and with a
 * budget the run's. */
GF_INTERNAL void run_progress_line(FILE *out, const char *name,
                                   uint64_t cases, double spent,
                                   double left, unsigned failures);
/* --jobs: the hashes of the cases the workers have counted, in memory
 * they share (jobs.c), or NULL.  process_up.jobs_seen_add adds a case's
 * hash and says whether it is new to every worker; past the table's
 * capacity every case is new, and the table says it stopped checking. */
GF_INTERNAL extern jobs_seen *run_jobs_seen;
/* In a --jobs worker, what gf_run's labels counted (stats_serialize). */
GF_INTERNAL extern char *run_worker_stats;
/* gf_options_from_env, leaving alone the settings in `skip` (ENV_* bits):
 * those the command line gave. */
enum {
    ENV_SEED = 1, ENV_TRIALS = 2, ENV_REPLAY = 4, ENV_VERBOSE = 8,
    ENV_SHRINK_CALLS = 16, ENV_SHRINK_SECONDS = 32, ENV_TIMEOUT = 64,
    ENV_DURATION = 128, ENV_SHARD = 256, ENV_JOBS = 512, ENV_DB = 1024,
    ENV_COLOR = 2048, ENV_OBSERVE = 4096,
};
/* "auto", "always", "never": GF_COLOR_*, or -1. */
GF_INTERNAL int parse_color(const char *s);
/* Colour for a report on out, given the GF_COLOR_* mode. */
GF_INTERNAL bool run_use_color(int mode, FILE *out);
/* A report, its status words and replay command in colour if color. */
GF_INTERNAL void run_write_colored(FILE *out, const char *text, bool color);
/* After an interrupt, on a terminal: clears the line ("^C", a progress
 * line) once, so that what follows starts at its first column. */
GF_INTERNAL void run_after_interrupt(FILE *out);
/* "90", "90s", "10m", "1.5h": positive seconds. */
/* The longest time any option takes (--duration, --timeout, shrink
 * time): a year.  Past it, or not finite, a time is a usage error. */
#define RUN_MAX_SECONDS (365.0 * 24 * 3600)
#define RUN_MAX_SECONDS_TEXT "8760h, a year"
GF_INTERNAL bool parse_duration(const char *s, double *out);
/* A plain positive number of seconds, at most RUN_MAX_SECONDS. */
GF_INTERNAL bool parse_seconds(const char *s, double *out);
/* getenv for GF_ variables: blanks around the value dropped, NULL when
 * unset, empty or only blanks.  Valid for the process's life. */
GF_INTERNAL const char *run_env(const char *name);
/* "I/N", 1 <= I <= N. */
GF_INTERNAL bool parse_shard(const char *s, unsigned *index, unsigned *count);
GF_INTERNAL int options_from_env(gf_options *opt, FILE *err, unsigned skip);
/* A whole number, decimal or 0x hex, with nothing before or after it. */
GF_INTERNAL bool parse_u64(const char *s, uint64_t *out);

#endif /* GF_RUN_H */
