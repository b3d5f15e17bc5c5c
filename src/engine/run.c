/*
 * run.c - running one property: generation, duplicate accounting, handing
 * a failure to the shrinker, the final replay and the report.
 *
 * The same seed and property give the same sequence of cases and the same
 * report, byte for byte: nothing here reads the clock except the shrink
 * budget, and a budget hit is reported as such.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "core/encode.h"
#include "core/hooks.h"
#include "core/index.h"
#include "role.h"
#include "observer.h"
#include "run.h"
#include "shrink.h"
#include "stats.h"
#include "store/db.h"
#include "target.h"
#include "watchdog.h"

#define DEFAULT_TRIALS 100
#define SEEN_LIMIT ((size_t)1 << 30)
/* Generation's duplicate check keeps at most this much (table and keys):
 * a run's memory stays flat however long it runs.  Past it, cases already
 * kept are still recognised, and a new case is counted as unchecked. */
#define GEN_SEEN_LIMIT ((size_t)8 << 20)
#define MAX_OTHER_FAILURES 8
#define DUPLICATE_LIMIT 1000
/* --duration: sizes ramp up over this many cases (a run of --trials N
 * ramps over its first N/2). */
#define SIZE_RAMP 100

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
    return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* ---- the registry ------------------------------------------------------- */

/* Per-process list of GF_PROPERTY definitions, filled by constructors
 * before main; read-only afterwards. */
static gf_property *registry_head, *registry_tail;

void gf_register(gf_property *p)
{
    for (gf_property *q = registry_head; q; q = q->next)
        if (q == p)
            return;
    p->next = NULL;
    if (registry_tail)
        registry_tail->next = p;
    else
        registry_head = p;
    registry_tail = p;
}

gf_property *gf_registered(void)
{
    return registry_head;
}

/* ---- helpers ------------------------------------------------------------ */

run_role process_role;
process_ops process_up; /* filled by process/isolate.c and process/jobs.c */
jobs_seen *run_jobs_seen;

/* A worker's phase, where its parent finds it. */
static void run_phase(int phase)
{
    if (process_role.worker)
        process_up.set_phase(phase);
}
char *run_worker_stats;

double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

uint64_t run_fresh_seed(void)
{
    uint64_t seed;
    if (getrandom(&seed, sizeof seed, 0) == (ssize_t)sizeof seed)
        return seed;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20);
}

uint32_t run_origin_id(gf_run_state *r, const char *origin)
{
    for (size_t i = 0; i < r->norigins; i++)
        if (strcmp(r->origins[i], origin) == 0)
            return (uint32_t)i;
    r->origins = xrealloc(r->origins, (r->norigins + 1) * sizeof *r->origins);
    r->origins[r->norigins] = xstrdup(origin);
    return (uint32_t)r->norigins++;
}

case_status run_buffer(gf_run_state *r, const buffer *prefix, uint32_t *origin)
{
    if (r->iso)
        return process_up.run_buffer(r, prefix, origin);
    if (process_role.speculating)
        process_up.spec_starting(r);
    case_reset(&r->tc, prefix, TAIL_SIMPLEST, 1.0);
    case_execute(&r->tc, r->prop->fn);
    if (process_role.speculating)
        process_up.spec_ran(r);
    if (r->tc.status == CASE_FAILED)
        *origin = run_origin_id(r, r->tc.origin);
    return r->tc.status;
}

/* Shrink a failure; taken over from a dead worker, speculatively first,
 * and what that took comes off the time the case server has left. */
static void run_shrink(gf_run_state *r, buffer *best, uint32_t origin)
{
    if (!r->iso) {
        shrink_failure(r, best, origin);
        return;
    }
    double t0 = now_seconds();
    if (process_up.shrink(r, best, origin))
        return;
    double saved = r->opt.max_shrink_seconds;
    double left = (saved > 0 ? saved : SHRINK_DEFAULT_SECONDS) -
                  (now_seconds() - t0);
    r->opt.max_shrink_seconds = left > 0.001 ? left : 0.001;
    shrink_failure(r, best, origin);
    r->opt.max_shrink_seconds = saved;
}

uint32_t run_outcome(gf_run_state *r)
{
    switch (r->tc.status) {
    case CASE_OK:
        return SEEN_PASSED;
    case CASE_FAILED: {
        uint32_t id = run_origin_id(r, r->tc.origin);
        return id + SEEN_FAILED_BASE < SEEN_MAX_VALUE ? id + SEEN_FAILED_BASE
                                                      : SEEN_MAX_VALUE;
    }
    default:
        return SEEN_INVALID;
    }
}

/* Labels and cover requirements count only generated cases: shrinking and
 * replays run the same property again and would count twice. */
void run_label(gf_run_state *r, const char *label)
{
    if (!r->counting)
        return;
    if (!r->stats)
        r->stats = stats_new();
    stats_label(r->stats, label);
    if (r->obs)
        run_observe.label(r->obs, label);
}

void run_cover(gf_run_state *r, const char *label, double percent, bool cond)
{
    if (!r->counting)
        return;
    if (!r->stats)
        r->stats = stats_new();
    stats_cover(r->stats, label, percent, cond);
}

void run_count_filter(gf_run_state *r, const gf_gen *g, bool gave_up)
{
    r->filter_gen = g;
    if (gave_up)
        r->filter_giveups++;
    else
        r->filter_rejects++;
}

void run_count_gen_discard(gf_run_state *r, const gf_gen *g, char *why)
{
    if (!r->counting) {     /* a shrink candidate or a replay */
        free(why);
        return;
    }
    r->gen_discards++;
    r->gen_discard_gen = g;
    free(r->gen_discard_why);
    r->gen_discard_why = why;
}

/* ---- the report ----------------------------------------------------------- */

static void print_direct(gf_printer *p, const drawn *d)
{
    switch (d->kind) {
    case CHOICE_INT:
        gf_print(p, "%" PRId64, (int64_t)d->bits);
        break;
    case CHOICE_UINT:
        gf_print(p, "%" PRIu64, d->bits);
        break;
    case CHOICE_BOOL:
        gf_print(p, "%s", d->bits ? "true" : "false");
        break;
    case CHOICE_DOUBLE:
        gf_print_double(p, bits_to_double(d->bits));
        break;
    case CHOICE_BYTES:
        gf_print_string(p, d->value, (size_t)d->bits);
        break;
    }
}

/* One drawn value's line of the report: "name = value", the i-th. */
/* A value printed longer than this shows its start and end only. */
#define VALUE_SHOWN_MAX 400
#define VALUE_HEAD 240
#define VALUE_TAIL 80

/* Length of the character or escape (\\n, \\x41, \\0, \\177) at s. */
static size_t literal_unit(const char *s)
{
    if (s[0] != '\\') {
        size_t n = 1;
        while (((unsigned char)s[n] & 0xC0) == 0x80)
            n++; /* the rest of a UTF-8 sequence */
        return n;
    }
    if (!s[1])
        return 1;
    size_t n = 2;
    if (s[1] == 'x')
        while (isxdigit((unsigned char)s[n]))
            n++;
    else if (s[1] >= '0' && s[1] <= '7')
        while (n < 4 && s[n] >= '0' && s[n] <= '7')
            n++;
    return n;
}

/* text, or for a long one its start, how long it is, and its end, cut
 * between characters and escapes so that both ends read as C. */
static void print_elided(gf_printer *p, const char *text)
{
    size_t len = strlen(text);
    if (len <= VALUE_SHOWN_MAX) {
        gf_print(p, "%s", text);
        return;
    }
    size_t head = 0, at = 0, tail = len;
    while (at < len) {
        if (at <= VALUE_HEAD)
            head = at;
        if (at >= len - VALUE_TAIL) {
            tail = at;
            break;
        }
        at += literal_unit(text + at);
    }
    /* A string literal stays two adjacent literals around the comment. */
    const char *q = text[0] == '"' && text[len - 1] == '"' ? "\"" : "";
    gf_print(p, "%.*s%s /* ... %zu characters in all; the %zu in the middle "
                "are not shown ... */ %s%s", (int)head, text, q, len,
             tail - head, q, text + tail);
}

void run_format_drawn(gf_printer *p, const drawn *d, size_t i)
{
    if (d->name)
        gf_print(p, "%s = ", d->name);
    else
        gf_print(p, "#%zu = ", i + 1);
    if (d->gen)
        gf_print_value(p, d->gen, d->value);
    else
        print_direct(p, d);
    gf_print(p, "\n");
}

/* The drawn values of the case just run, one "name = value" per line
 * (or, for a case run in another process, what it published). */
char *run_format_values(const gf_run_state *r)
{
    if (r->iso_values)
        return xstrdup(r->iso_values);
    gf_printer p;
    printer_init(&p);
    for (size_t i = 0; i < r->tc.ndrawn; i++)
        run_format_drawn(&p, &r->tc.drawn[i], i);
    return printer_take(&p);
}

static void print_indented(gf_printer *p, const char *text, const char *indent)
{
    const char *line = text;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        gf_print(p, "%s%.*s\n", indent, (int)len, line);
        line += len + (nl != NULL);
    }
}

/* The report's "name = value" lines, indented; a long value has its
 * middle elided unless `whole` (--verbose).  gf_result.counterexample
 * keeps every value whole. */
static void print_values(gf_printer *p, const char *text, bool whole)
{
    const char *line = text;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char *one = xmalloc(len + 1);
        memcpy(one, line, len);
        one[len] = '\0';
        const char *eq = strstr(one, " = ");
        if (whole || !eq) {
            gf_print(p, "  %s\n", one);
        } else {
            gf_print(p, "  %.*s", (int)(eq + 3 - one), one);
            print_elided(p, eq + 3);
            gf_print(p, "\n");
        }
        free(one);
        line += len + (nl != NULL);
    }
}

static const char *program_name(const gf_options *o)
{
    if (o->argv0)
        return o->argv0;
    extern char *program_invocation_name;
    return program_invocation_name;
}

typedef enum report_kind {
    REPORT_FIRST,    /* the failure the run found */
    REPORT_REPLAYED, /* a replay token's case */
    REPORT_OTHER,    /* another origin met while shrinking the first */
    REPORT_SAVED,    /* a failure saved by an earlier run, still failing */
    REPORT_INPUT,    /* a fuzzer's input (run_fuzz_input) */
} report_kind;

static void build_failure_report(gf_run_state *r, gf_result *res,
                                 const buffer *best, report_kind kind)
{
    bool replayed = kind == REPORT_REPLAYED;
    gf_case *tc = &r->tc;
    gf_printer p;
    printer_init(&p);
    res->counterexample = run_format_values(r);
    res->origin = xstrdup(tc->origin ? tc->origin : "unknown");
    res->message = xstrdup(tc->message ? tc->message : "");
    res->replay = token_make(r->prop->name, best);
    /* "shrunk in 1 step (1 call)", "shrunk in 10 steps (17 calls)" */
    char *shrunk = xasprintf("shrunk in %" PRIu64 " step%s (%" PRIu64
                             " call%s)", r->shrinks,
                             r->shrinks == 1 ? "" : "s", r->shrink_calls,
                             r->shrink_calls == 1 ? "" : "s");
    if (replayed)
        gf_print(&p, "FAIL %s (replayed)\n", r->prop->name);
    else if (kind == REPORT_SAVED)
        gf_print(&p, "FAIL %s (a failure saved by an earlier run, replayed "
                     "first), %s\n", r->prop->name, shrunk);
    else if (kind == REPORT_INPUT)
        gf_print(&p, "FAIL %s (the input in %s), %s\n", r->prop->name,
                 r->input, shrunk);
    else if (kind == REPORT_OTHER)
        gf_print(&p, "FAIL %s, another way: found while shrinking the "
                     "failure above, and shrunk on its own\n", r->prop->name);
    else
        gf_print(&p, "FAIL %s after %" PRIu64 " case%s, %s\n",
                 r->prop->name, r->cases, r->cases == 1 ? "" : "s", shrunk);
    free(shrunk);
    print_values(&p, res->counterexample, r->opt.verbose > 0);
    for (size_t i = 0; i < tc->nnotes; i++)
        print_indented(&p, tc->notes[i], "  note: ");
    if (strcmp(res->origin, "misuse") == 0)
        gf_print(&p, "  misuse: ");
    else
        gf_print(&p, "  at %s: ", res->origin);
    const char *nl = strchr(res->message, '\n');
    gf_print(&p, "%.*s\n", nl ? (int)(nl - res->message) : (int)strlen(res->message),
             res->message);
    if (nl)
        print_indented(&p, nl + 1, "  ");
    if (r->shrink_interrupted)
        gf_print(&p, "  (shrinking was interrupted: this is the smallest "
                     "failure found so far)\n");
    else if (r->shrink_budget_hit)
        gf_print(&p, "  (shrinking stopped at its budget: this is the "
                     "smallest failure found so far; raise --max-shrink-calls "
                     "or --max-shrink-time for a smaller one)\n");
    if (res->flaky)
        gf_print(&p, "  FLAKY: the shrunk case did not fail the same way when "
                     "run again; the property depends on something besides "
                     "its drawn values\n");
    /* A saved failure was not found with this run's seed: say where it
     * came from rather than print a seed that cannot reproduce it. */
    if (!replayed && kind == REPORT_SAVED)
        gf_print(&p, "  seed: none, the failure came from the database "
                     "(%s); the replay line reproduces it\n",
                 r->opt.db_dir ? r->opt.db_dir : "--db");
    else if (!replayed && kind != REPORT_INPUT)
        gf_print(&p, "  seed: 0x%016" PRIx64 "\n", res->seed);
    gf_print(&p, "  replay: %s --replay %s\n", program_name(&r->opt),
             res->replay);
    res->report = printer_take(&p);
}

/* ---- the run ------------------------------------------------------------ */

/* When the property's run started (unix time), for observations: --jobs
 * workers share their parent's, so that their lines group as one run. */
static double observe_started;

static double observe_start(void)
{
    if (process_role.jobs_worker && observe_started > 0)
        return observe_started;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    observe_started = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
    return observe_started;
}

static void state_init(gf_run_state *r, const gf_property *prop,
                       const gf_options *opt)
{
    memset(r, 0, sizeof *r);
    r->prop = prop;
    if (opt)
        r->opt = *opt;
    case_init(&r->tc);
    if (r->opt.max_choices)
        r->tc.max_choices = r->opt.max_choices;
    r->tc.run = r;
    uint64_t trials = r->opt.trials ? r->opt.trials : DEFAULT_TRIALS;
    seen_init(&r->seen, GEN_SEEN_LIMIT, trials + trials / 8 + 64);
    seen_init(&r->recorded, SEEN_LIMIT, 64);
    r->obs = prop && run_observe.open
                 ? run_observe.open(&r->opt, prop->name, observe_start())
                 : NULL;
    r->observing = r->obs != NULL;
}

static void state_free(gf_run_state *r)
{
    case_free(&r->tc);
    seen_free(&r->seen);
    seen_free(&r->recorded);
    for (size_t i = 0; i < r->nothers; i++)
        buffer_free(&r->others[i].buf);
    free(r->others);
    bv_free(&r->key);
    for (size_t i = 0; i < r->norigins; i++)
        free(r->origins[i]);
    free(r->origins);
    stats_free(r->stats);
    if (r->obs)
        run_observe.close(r->obs);
    target_free(r->targets);
    free(r->slow_message);
    free(r->gen_discard_why);
    free(r->iso_values);
}

gf_run_state *run_state_new(const gf_property *prop, const gf_options *opt)
{
    gf_run_state *r = xmalloc(sizeof *r);
    state_init(r, prop, opt);
    return r;
}

void run_state_delete(gf_run_state *r)
{
    state_free(r);
    free(r);
}

/* Replay best once more, collecting values and notes for the report.  A
 * case that no longer fails the same way is tried a few times more (a
 * race on real threads may need them) and then reported as flaky. */
#define FINAL_ATTEMPTS 5

static void final_replay(gf_run_state *r, const buffer *best, uint32_t origin,
                         gf_result *res)
{
    r->tc.collect = true;
    uint32_t o = 0;
    case_status st = CASE_OK;
    for (int attempt = 0; attempt < FINAL_ATTEMPTS; attempt++) {
        o = 0;
        st = run_buffer(r, best, &o);
        if (st == CASE_FAILED && o == origin)
            break;
    }
    r->tc.collect = false;
    if (st == CASE_FAILED && o == origin)
        return;
    res->flaky = true;
    if (st != CASE_FAILED)
        case_set_failure(&r->tc, xstrdup(r->origins[origin]),
                         xstrdup("the failure did not reproduce when the "
                                 "shrunk case was run again"));
}


/*
 * With --jobs, the lowest failing worker is the one reported: a worker
 * above it that failed too writes no minimal example of its own.  Which
 * one that is is known once every lower worker has ended its generation
 * (run_jobs_failed[1 + k] is then 0): until then, wait.
 */
static bool jobs_reported(void)
{
    if (!run_jobs_failed)
        return true;
    for (int k = 0; k < run_jobs_index; k++)
        while (run_jobs_failed[1 + k] && *run_jobs_failed >= run_jobs_index)
            usleep(1000);
    return *run_jobs_failed >= run_jobs_index;
}

/* Run b once, collecting the report: a replay token's case. */
gf_status run_replay_buffer(gf_run_state *r, gf_result *res, const buffer *b)
{
    r->tc.collect = true;
    uint32_t origin = 0;
    case_status st = run_buffer(r, b, &origin);
    res->cases = 1;
    if (r->obs && run_observe.writes_lines(r->obs) && jobs_reported()) {
        char *values = run_format_values(r);
        run_observe.case_ended(r->obs, r, "replayed (--replay)", values, NULL, 0, 0,
                      0);
        free(values);
    }
    gf_status status;
    if (st == CASE_FAILED) {
        build_failure_report(r, res, &r->tc.rec, REPORT_REPLAYED);
        status = GF_FAILED;
    } else {
        res->passed = st == CASE_OK;
        res->discarded = st != CASE_OK;
        res->report = xasprintf("PASS %s (replayed case %s)\n", r->prop->name,
                                st == CASE_OK ? "held" : "was discarded");
        status = GF_PASSED;
    }
    r->tc.collect = false;
    return status;
}

static gf_status run_replay(gf_run_state *r, gf_result *res)
{
    uint32_t hash = 0;
    const char *err = NULL;
    buffer b;
    buffer_init(&b);
    gf_status status;
    if (!token_parse(r->opt.replay, &hash, &b, &err)) {
        res->message = xasprintf("bad replay token: %s", err);
        status = GF_ERROR;
    } else if (hash != token_name_hash(r->prop->name)) {
        res->message = xasprintf("the replay token is for another property, "
                                 "not %s", r->prop->name);
        status = GF_ERROR;
    } else {
        run_phase(ISO_REPLAY);
        status = run_replay_buffer(r, res, &b);
    }
    if (status == GF_ERROR)
        res->report = xasprintf("gadfly: %s: %s\n", r->prop->name, res->message);
    buffer_free(&b);
    return status;
}

/*
 * The size hint of the i-th distinct case: a ramp from 0 to 1 over the
 * first `ramp` cases (half the trials), then 1, except that one case in
 * four after the ramp is small again (a hint below 0.2), so that bugs which
 * need a tiny collection or range keep being reached however long the run.
 * Which cases are small is a function of i alone.  max_size (gf_options,
 * --max-size) scales the whole schedule down.
 */
static double size_hint_for(uint64_t i, uint64_t ramp, double max_size)
{
    double h;
    if (i < ramp) {
        h = (double)i / (double)ramp;
    } else {
        uint64_t x = i;
        x = gf_splitmix64(&x);
        h = (x & 3) == 0 ? (double)(x >> 11 & 1023) / 1023 * 0.2 : 1.0;
    }
    return max_size > 0 && max_size < 1 ? h * max_size : h;
}

/* Whether the i-th distinct case is a copy case: a function of i alone,
 * as the size hint is. */
static bool copy_case(uint64_t i)
{
    uint64_t x = i ^ 0x636f70795f636173ull;
    return (gf_splitmix64(&x) & 15) == 0;
}

/*
 * Generation checks each case against the seen set a few cases after it
 * ran: the slot is prefetched when the case ends and looked at PENDING cases
 * later, so the memory latency of a large set overlaps with running the
 * property.  Accounting is unchanged: every case is resolved, in order.
 */
#define PENDING 8

typedef struct pending_case {
    uint64_t hash;
    bytes_vec key;
    uint32_t outcome;
    case_status status;
} pending_case;

struct generation {
    pending_case ring[PENDING];
    size_t head, count;
    uint64_t pending_ok;
    uint64_t trials, max_discards, dup_run, dup_limit;
    unsigned window, window_dups, bias_level;
    bool exhausted, gave_up, interrupted;
    double deadline;         /* --duration: when to stop */
    uint64_t next_check, check_every; /* look at the clock every so often */
    double last_check;
    bool progress;           /* print a progress line (a terminal) */
    double next_progress;
};
typedef struct generation generation;

/* Count one finished case: a duplicate, or a new case by its status. */
/* Every BIAS_WINDOW cases, lower the edge bias if too many of them were
 * duplicates (the edges are used up) and raise it again when few were. */
#define BIAS_WINDOW 1024

static void adapt_bias(gf_run_state *r, generation *g, bool duplicate)
{
    g->window_dups += duplicate;
    if (++g->window < BIAS_WINDOW)
        return;
    if (g->window_dups * 20 > BIAS_WINDOW && g->bias_level < 6)
        g->bias_level++;
    else if (g->window_dups * 100 < BIAS_WINDOW && g->bias_level > 0)
        g->bias_level--;
    case_set_bias_level(&r->tc, g->bias_level);
    g->window = g->window_dups = 0;
}

static void account(gf_run_state *r, generation *g, const pending_case *c)
{
    uint32_t known;
    bool dup = seen_check_hashed(&r->seen, c->hash, c->key.p, c->key.n,
                                 c->outcome, &known);
    /* New here; with --jobs, another worker may have run it already. */
    if (!dup && run_jobs_seen &&
        !process_up.jobs_seen_add(run_jobs_seen, c->hash))
        dup = true;
    /* The check is full: it cannot say whether an earlier case it did not
     * keep was this one. */
    if (!dup && r->seen.full)
        r->unchecked++;
    adapt_bias(r, g, dup);
    if (dup) {
        r->duplicates++;
        if (++g->dup_run >= g->dup_limit)
            g->exhausted = true;
        return;
    }
    g->dup_run = 0;
    r->cases++;
    if (c->status == CASE_OK) {
        r->passed++;
        return;
    }
    if (c->status == CASE_OVERRUN)
        r->overruns++;
    r->discarded++;
    if (r->discarded >= g->max_discards)
        g->gave_up = true;
}

static void resolve_oldest(gf_run_state *r, generation *g)
{
    pending_case *c = &g->ring[g->head];
    g->head = (g->head + 1) % PENDING;
    g->count--;
    if (c->status == CASE_OK)
        g->pending_ok--;
    account(r, g, c);
}

static void resolve_all(gf_run_state *r, generation *g)
{
    while (g->count)
        resolve_oldest(r, g);
}

static void defer(gf_run_state *r, generation *g, uint64_t hash)
{
    if (g->count == PENDING)
        resolve_oldest(r, g);
    pending_case *c = &g->ring[(g->head + g->count) % PENDING];
    g->count++;
    c->hash = hash;
    c->outcome = run_outcome(r);
    c->status = r->tc.status;
    /* Take the encoding by swapping buffers, not copying bytes. */
    bytes_vec spare = c->key;
    c->key = r->key;
    r->key = spare;
    if (c->status == CASE_OK)
        g->pending_ok++;
    seen_prefetch(&r->seen, hash);
}

/* Would pending case c count as a case: not in the seen set, and not the
 * same as an earlier pending one? */
static bool pending_is_new(const gf_run_state *r, const generation *g,
                           size_t at)
{
    const pending_case *c = &g->ring[(g->head + at) % PENDING];
    uint32_t known;
    if (seen_lookup_hashed(&r->seen, c->hash, c->key.p, c->key.n, &known))
        return false;
    for (size_t k = 0; k < at; k++) {
        const pending_case *e = &g->ring[(g->head + k) % PENDING];
        if (e->hash == c->hash && e->key.n == c->key.n &&
            memcmp(e->key.p, c->key.p, c->key.n) == 0)
            return false;
    }
    return true;
}

void run_counts_now(const gf_run_state *r, uint64_t out[4])
{
    out[0] = r->cases + 1;
    out[1] = r->passed;
    out[2] = r->discarded;
    out[3] = r->duplicates;
    const generation *g = r->pending;
    if (!g)
        return;
    for (size_t k = 0; k < g->count; k++) {
        if (!pending_is_new(r, g, k)) {
            out[3]++;
            continue;
        }
        out[0]++;
        if (g->ring[(g->head + k) % PENDING].status == CASE_OK)
            out[1]++;
        else
            out[2]++;
    }
}

/* --jobs: the lowest-numbered worker that has found a failure (shared by
 * the workers), and this worker's number.  A worker numbered above a
 * failed one stops: the run reports the lower one's failure anyway. */
volatile int *run_jobs_failed;
run_exit_watch *run_watched;
observer_ops run_observe; /* filled by report/observe.c */
char *run_summary;
int run_jobs_index;
unsigned run_progress_index, run_progress_count;
double run_budget_deadline;
volatile uint64_t *run_jobs_cases;

/* "4m05s", or "1h02m" past an hour. */
static void format_left(char *buf, size_t size, double seconds)
{
    long left = seconds > 0 ? (long)(seconds + 0.5) : 0;
    if (left >= 3600)
        snprintf(buf, size, "%ldh%02ldm", left / 3600, left / 60 % 60);
    else
        snprintf(buf, size, "%ldm%02lds", left / 60, left % 60);
}

void run_progress_line(FILE *out, const char *name, uint64_t cases,
                       double spent, double left, unsigned failures)
{
    char mine[32], all[32];
    format_left(mine, sizeof mine, left);
    double rate = spent > 0 ? (double)cases / spent : 0;
    fputs("\r\033[K  ", out);
    if (run_progress_count > 1)
        fprintf(out, "[%u/%u] ", run_progress_index, run_progress_count);
    fprintf(out, "%s: %" PRIu64 " cases, %.0f/s, %u failure%s, %s left", name,
            cases, rate, failures, failures == 1 ? "" : "s", mine);
    if (run_budget_deadline > 0) {
        format_left(all, sizeof all, run_budget_deadline - now_seconds());
        fprintf(out, " (%s left in the run)", all);
    }
    fflush(out);
}

static bool keep_going(gf_run_state *r, generation *g)
{
    if (g->exhausted || g->gave_up)
        return false;
    if (run_interrupted()) {
        g->interrupted = true;
        return false;
    }
    if (run_jobs_failed && *run_jobs_failed < run_jobs_index)
        return false;
    if (r->passed + g->pending_ok < g->trials)
        return true;
    resolve_all(r, g);
    return r->passed < g->trials && !g->exhausted && !g->gave_up;
}

/* ---- interrupts ------------------------------------------------------- */

/* The run's stop request lives in a page shared by every process the run
 * forks (workers, cases' children), so whichever of them the signal
 * reaches, all of them see it. */
static volatile sig_atomic_t *interrupt_shared;
static volatile sig_atomic_t interrupt_own, interrupt_count;
static const char *volatile temp_files[RUN_TEMP_SLOTS];
static volatile pid_t temp_owner;

static void die_of_signal(int sig)
{
    signal(sig, SIG_DFL);
    raise(sig); /* delivered when the handler returns */
}

static void on_interrupt(int sig, siginfo_t *info, void *uctx)
{
    (void)uctx;
    int saved = errno;
    /* kill(getpid(), ...) or raise() from the property: its own death,
     * reported as any other. */
    if (info && info->si_code <= 0 && info->si_pid == getpid()) {
        die_of_signal(sig);
        errno = saved;
        return;
    }
    if (++interrupt_count > 1) {
        if (temp_owner == getpid())
            for (unsigned i = 0; i < RUN_TEMP_SLOTS; i++)
                if (temp_files[i])
                    unlink(temp_files[i]);
        die_of_signal(sig);
    } else {
        interrupt_own = 1;
        if (interrupt_shared)
            *interrupt_shared = 1;
    }
    errno = saved;
}

void run_catch_interrupts(void)
{
    if (!interrupt_shared) {
        void *m = mmap(NULL, sizeof *interrupt_shared, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (m != MAP_FAILED)
            interrupt_shared = m;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_interrupt;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        /* A signal ignored by whoever started the run (nohup) stays so. */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

bool run_interrupted(void)
{
    return interrupt_own || (interrupt_shared && *interrupt_shared);
}

void run_note_temp(unsigned slot, const char *path)
{
    if (slot >= RUN_TEMP_SLOTS)
        return;
    temp_owner = getpid();
    temp_files[slot] = path;
}

/* ---- colour ------------------------------------------------------------- */

bool run_use_color(int mode, FILE *out)
{
    if (mode == GF_COLOR_ALWAYS)
        return true;
    if (mode == GF_COLOR_NEVER)
        return false;
    /* FORCE_COLOR (as CI services set it) wins over NO_COLOR and a pipe;
     * FORCE_COLOR=0 or false asks for none. */
    const char *force = getenv("FORCE_COLOR");
    if (force && *force)
        return strcmp(force, "0") != 0 && strcmp(force, "false") != 0;
    const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
    if ((no && *no) || (term && strcmp(term, "dumb") == 0))
        return false;
    return isatty(fileno(out));
}

/* The status word that starts a report line, and its colour. */
static const struct {
    const char *word;
    const char *sgr;
} status_colors[] = {
    {"FAIL", "\033[1;31m"}, {"ERROR", "\033[1;31m"},
    {"GAVE UP", "\033[1;33m"}, {"PASS", "\033[1;32m"},
};

void run_after_interrupt(FILE *out)
{
    /* Once per process: a terminal echoed "^C" where the cursor was (after
     * a progress line, or at the start of an empty one); the first line
     * written after it starts on a clean line. */
    static bool cleared;
    if (cleared || !run_interrupted() || !out || !isatty(fileno(out)))
        return;
    cleared = true;
    fputs("\r\033[K", out);
}

void run_write_colored(FILE *out, const char *text, bool color)
{
    run_after_interrupt(out);
    if (!color) {
        fputs(text, out);
        return;
    }
    const char *line = text;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
        bool done = false;
        for (size_t i = 0; i < sizeof status_colors / sizeof status_colors[0];
             i++) {
            size_t w = strlen(status_colors[i].word);
            if (len > w && strncmp(line, status_colors[i].word, w) == 0 &&
                line[w] == ' ') {
                fprintf(out, "%s%s\033[0m%.*s", status_colors[i].sgr,
                        status_colors[i].word, (int)(len - w), line + w);
                done = true;
                break;
            }
        }
        if (!done && strncmp(line, "  replay: ", 10) == 0) {
            fprintf(out, "  replay: \033[1m%.*s\033[0m%s", (int)(len - 10 - (nl != NULL)),
                    line + 10, nl ? "\n" : "");
            done = true;
        }
        if (!done)
            fwrite(line, 1, len, out);
        line += len;
    }
}

void run_emit(const gf_run_state *r, const char *text)
{
    if (r->opt.quiet || !text)
        return;
    FILE *out = r->opt.out ? r->opt.out : stderr;
    run_write_colored(out, text, run_use_color(r->opt.color, out));
    fflush(out);
}

/* --verbose twice: every case generated, its values and how it ended. */
static void trace_case(gf_run_state *r, uint64_t attempt)
{
    static const char *const how[] = {
        [CASE_OK] = "held", [CASE_INVALID] = "discarded",
        [CASE_OVERRUN] = "discarded (too many choices)", [CASE_FAILED] = "FAILED",
    };
    char *values = run_format_values(r);
    gf_printer p;
    printer_init(&p);
    gf_print(&p, "  %s: case %" PRIu64 " %s\n", r->prop->name, attempt + 1,
             how[r->tc.status]);
    print_indented(&p, values, "    ");
    char *text = printer_take(&p);
    run_emit(r, text);
    free(text);
    free(values);
}

/* The PRNG stream of one property: the run's seed, the property's name,
 * and with --shard the shard, so that shards draw different cases. */
static uint64_t stream_seed(const gf_run_state *r, uint64_t seed)
{
    uint64_t s = seed ^ XXH3_64bits(r->prop->name, strlen(r->prop->name));
    if (r->opt.shard_count > 1) {
        /* Both numbers: shard 2 of 2 and shard 2 of 4 are different
         * slices and must draw different cases. */
        uint64_t x = (uint64_t)r->opt.shard_count << 32 | r->opt.shard_index;
        s ^= gf_splitmix64(&x);
    }
    return s;
}

static void clear_progress(const gf_run_state *r)
{
    FILE *out = r->opt.out ? r->opt.out : stderr;
    fputs("\r\033[K", out);
    fflush(out);
}

/* --duration: false once the time is spent; on a terminal, a progress
 * line twice a second. */
static bool time_left(gf_run_state *r, generation *g)
{
    double now = now_seconds();
    /* Look at the clock about every millisecond: often for slow cases,
     * rarely for fast ones. */
    if (now - g->last_check < 0.001 && g->check_every < 1024)
        g->check_every *= 2;
    else if (now - g->last_check > 0.01 && g->check_every > 1)
        g->check_every /= 2;
    g->last_check = now;
    if (now >= g->deadline)
        return false;
    /* A --jobs worker tells the parent, which prints the line. */
    if (run_jobs_cases)
        run_jobs_cases[run_jobs_index] = r->cases;
    if (g->progress && now >= g->next_progress) {
        FILE *out = r->opt.out ? r->opt.out : stderr;
        run_progress_line(out, r->prop->name, r->cases,
                          r->opt.duration - (g->deadline - now),
                          g->deadline - now, 0);
        g->next_progress = now + 0.5;
    }
    return true;
}

/* Health check: after the first cases, would the run take far too long?
 * Better to say so now, with what to change, than to look hung. */
#define SLOW_CHECK_AFTER 10
#define SLOW_RUN_SECONDS 600.0
#define SLOW_CASE_SECONDS 0.01

static bool too_slow(gf_run_state *r, const generation *g, double t_start)
{
    double per_case = (now_seconds() - t_start) / SLOW_CHECK_AFTER;
    double projected = per_case * (double)g->trials;
    /* Only slow cases: a huge --trials of fast ones is a deliberate long
     * run (and may end early when the input space runs out). */
    if (per_case < SLOW_CASE_SECONDS || projected <= SLOW_RUN_SECONDS)
        return false;
    r->slow_message = xasprintf(
        "health check: cases take %.3g s each, so %" PRIu64 " cases would "
        "take about %.0f minutes: draw smaller values, run fewer (--trials), "
        "or give the run a time box (--duration)", per_case, g->trials,
        projected / 60);
    return true;
}

/* Was the case just run (encoding r->key, hash) run before, or is it
 * waiting to be accounted? */
static bool known_case(const gf_run_state *r, const generation *g,
                       uint64_t hash)
{
    uint32_t known;
    if (seen_lookup_hashed(&r->seen, hash, r->key.p, r->key.n, &known))
        return true;
    for (size_t k = 0; k < g->count; k++) {
        const pending_case *e = &g->ring[(g->head + k) % PENDING];
        if (e->hash == hash && e->key.n == r->key.n &&
            memcmp(e->key.p, r->key.p, r->key.n) == 0)
            return true;
    }
    return false;
}

static char *compose_summary(const gf_run_state *r);

static void publish_summary(const gf_run_state *r)
{
    char *s = compose_summary(r);
    if (process_role.worker)
        process_up.publish_summary(s);
    free(s);
}

/* A generated case ended, and something watches: its observation, and
 * its scores for gf_target. */
static void observe_generated(gf_run_state *r, generation *g, uint64_t hash,
                              bool simplest, double t0)
{
    double seconds = now_seconds() - t0;
    if (r->obs) {
        const char *climbing = target_current(r);
        char *how = climbing ? xasprintf("targeted: a change to the best "
                                         "case for '%s'", climbing)
                             : xstrdup(simplest ? "the simplest case"
                                                : "generated");
        char *values = run_observe.writes_lines(r->obs) ? run_format_values(r)
                                                      : NULL;
        bool dup = known_case(r, g, hash);
        run_observe.case_ended(r->obs, r, how, values, r->key.p, r->key.n, seconds,
                      dup ? OBS_DUPLICATE : OBS_COUNTED);
        free(values);
        free(how);
        /* A worker keeps its summary where its parent finds it, should a
         * later case kill the process. */
        if (process_role.worker && run_observe.summarizes(r->obs) &&
            run_observe.timed(r->obs) % 32 == 1)
            publish_summary(r);
    }
    if (r->targets)
        target_case_end(r, r->key.p, r->key.n);
}

/* Generate until trials cases held, a failure, or the space ran out. */
static gf_status generate(gf_run_state *r, gf_result *res, buffer *failing,
                          uint32_t *origin)
{
    generation g;
    memset(&g, 0, sizeof g);
    g.trials = r->opt.trials ? r->opt.trials : DEFAULT_TRIALS;
    bool timed = r->opt.duration > 0;
    uint64_t ramp = g.trials > 2 ? g.trials / 2 : 1;
    if (timed) {
        g.trials = UINT64_MAX;
        ramp = SIZE_RAMP;
        g.deadline = now_seconds() + r->opt.duration;
        g.check_every = 1;
        g.last_check = now_seconds();
        FILE *out = r->opt.out ? r->opt.out : stderr;
        g.progress = !r->opt.quiet && isatty(fileno(out));
        g.next_progress = now_seconds() + 0.5;
    }
    g.max_discards = r->opt.max_discards ? r->opt.max_discards
                                         : sat_add(sat_mul(g.trials, 10), 100);
    /* New cases stopped coming: the input space looks used up. */
    g.dup_limit = DUPLICATE_LIMIT;
    gf_rng_seed(&r->tc.rng, stream_seed(r, res->seed));
    gf_status status = GF_PASSED;
    double t_start = now_seconds();
    r->pending = &g;
    /* Values are collected for --verbose twice and for observations. */
    bool collect = r->opt.verbose >= 2 ||
                   (r->obs && (run_observe.summarizes(r->obs) ||
                                run_observe.writes_lines(r->obs)));
    /* gf_target climbs once the first cases have found some hills. */
    uint64_t warmup = timed ? SIZE_RAMP : g.trials / 10 > 10 ? g.trials / 10 : 10;
    for (uint64_t attempt = 0; keep_going(r, &g); attempt++) {
        if (timed && attempt >= g.next_check) {
            if (!time_left(r, &g))
                break;
            g.next_check = attempt + g.check_every;
        }
        /* The simplest case first, but in one --jobs worker only: in the
         * others it would be a duplicate known before it ran. */
        bool simplest = attempt == 0 && run_jobs_index == 0;
        if (!timed && attempt == SLOW_CHECK_AFTER && too_slow(r, &g, t_start)) {
            status = GF_GAVE_UP;
            break;
        }
        const buffer *prefix = NULL;
        double t_case = 0;
        if (__builtin_expect(r->observing, 0)) {
            if (r->targets && !simplest && r->cases + g.count >= warmup)
                prefix = target_next(r);
            t_case = now_seconds();
        }
        uint64_t index = r->cases + g.count;
        double hint = size_hint_for(index, ramp, r->opt.max_size);
        case_reset(&r->tc, prefix, simplest ? TAIL_SIMPLEST : TAIL_RANDOM,
                   hint);
        r->tc.range_q = index >= ramp && hint < 0.2
                            ? (uint32_t)(hint * 65536.0) + 1
                            : 0;
        /* A process whose record is shared records the structure, which
         * its parent reads should the case kill it. */
        r->tc.structure = r->tc.rec.lent;
        /* One case in sixteen makes equal values (copy_begin in draw.c);
         * it needs the structure to copy from. */
        if (!simplest && copy_case(r->cases + g.count)) {
            r->tc.copy_values = true;
            r->tc.structure = true;
        }
        r->tc.collect = collect;
        r->counting = true;
        case_execute(&r->tc, r->prop->fn);
        r->counting = false;
        if (r->stats) {
            if (r->tc.status == CASE_OK)
                stats_case(r->stats);
            stats_case_end(r->stats);
        }
        if (r->opt.verbose >= 2)
            trace_case(r, attempt);
        if (__builtin_expect(r->tc.structure, 0)) {
            r->tc.key.n = 0;
            buffer_encode(&r->tc.rec, &r->tc.key);
        }
        /* The case wrote its own encoding as it drew: take it. */
        bytes_vec spare = r->key;
        r->key = r->tc.key;
        r->tc.key = spare;
        bv_reserve(&r->key, 0);
        uint64_t hash = seen_hash(r->key.p, r->key.n);
        if (__builtin_expect(r->observing, 0))
            observe_generated(r, &g, hash, simplest, t_case);
        if (r->tc.status != CASE_FAILED) {
            defer(r, &g, hash);
            continue;
        }
        resolve_all(r, &g);
        uint32_t known;
        if (seen_check_hashed(&r->seen, hash, r->key.p, r->key.n,
                              run_outcome(r), &known)) {
            r->duplicates++;
            continue;
        }
        r->cases++;
        if (!buffer_decode(r->key.p, r->key.n, SIZE_MAX, failing))
            abort(); /* an encoding made here always decodes */
        *origin = run_origin_id(r, r->tc.origin);
        status = origin_is_error(r->tc.origin) ? GF_ERROR : GF_FAILED;
        if (run_jobs_failed) {
            int seen = *run_jobs_failed;
            while (seen > run_jobs_index &&
                   !__atomic_compare_exchange_n(run_jobs_failed, &seen,
                                                run_jobs_index, false,
                                                __ATOMIC_SEQ_CST,
                                                __ATOMIC_SEQ_CST))
                ;
        }
        if (status == GF_ERROR) {
            res->origin = xstrdup(r->tc.origin);
            res->message = xstrdup(r->tc.message);
        }
        break;
    }
    resolve_all(r, &g);
    r->pending = NULL;
    if (g.progress)
        clear_progress(r);
    if (status != GF_FAILED && g.gave_up)
        status = GF_GAVE_UP;
    res->exhausted = g.exhausted;
    res->interrupted = g.interrupted;
    for (size_t i = 0; i < PENDING; i++)
        bv_free(&g.ring[i].key);
    return status;
}

static void write_text(const char *s)
{
    size_t n = strlen(s);
    while (n) {
        ssize_t w = write(2, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

/* The running case's encoding, without allocating, into buf. */
size_t run_encode_case(const gf_case *tc, uint8_t *buf, size_t cap)
{
    if (!tc->structure) {
        if (!tc->key.p || tc->key.n > cap)
            return 0;
        memcpy(buf, tc->key.p, tc->key.n);
        return tc->key.n;
    }
    size_t k = 0;
    for (size_t i = 0; i < tc->rec.n; i++) {
        const choice *c = &tc->rec.ch[i];
        size_t extra = c->kind == CHOICE_BYTES ? c->len : 0;
        if (k + ENCODED_MAX + extra > cap)
            return 0;
        if (c->kind != CHOICE_BYTES) {
            k += encode_value(buf + k, (choice_kind)c->kind, c->value);
        } else {
            k += put_tagged(buf + k, TAG_BYTES, c->len);
            if (c->len)
                memcpy(buf + k, buffer_bytes(&tc->rec, c), c->len);
            k += c->len;
        }
    }
    return k;
}

/* The watchdog's last resort: a case that keeps running through several
 * timeouts is stuck where signals cannot reach (a crash or a timeout left
 * malloc's lock held, say), and so is this process.  Say so, with a line
 * that replays the case, and end the process.  Called from the watchdog's
 * thread: nothing here allocates. */
static void run_wedged(void *ctx)
{
    static uint8_t enc[1 << 20];
    static char token[(sizeof enc + 16) / 3 * 4 + 64];
    gf_run_state *r = ctx;
    /* A worker's parent takes the case over, in a fresh process. */
    if (role_for_parent())
        process_up.case_died(&r->tc, "timeout",
                             "the case kept running through its timeouts, "
                             "where signals could not stop it");
    size_t n = run_encode_case(&r->tc, enc, sizeof enc);
    write_text("gadfly: ");
    write_text(r->prop->name);
    write_text(": a case kept running through its timeouts; the process is "
               "stuck (a crash or a timeout inside malloc or a lock), and "
               "stops here");
    if (n && token_write(token, sizeof token, r->prop->name, enc, n)) {
        write_text(". Replay the case with: ");
        write_text(program_name(&r->opt));
        write_text(" --replay ");
        write_text(token);
    }
    write_text("\n");
    _exit(3);
}

void run_note_crash(gf_run_state *r)
{
    if (role_for_parent())
        return; /* the parent process reports it */
    if (r->crash_noted || (r->opt.quiet && !process_role.jobs_worker))
        return;
    r->crash_noted = true;
    gf_case *tc = &r->tc;
    char *token;
    if (tc->structure) {
        token = token_make(r->prop->name, &tc->rec);
    } else {
        token = token_from_encoding(r->prop->name, tc->key.p, tc->key.n);
    }
    FILE *out = r->opt.out ? r->opt.out : stderr;
    fprintf(out, "gadfly: %s crashed; should the process not survive to "
                 "report it, this replays the crash: %s --replay %s\n",
            r->prop->name, program_name(&r->opt), token);
    fflush(out);
    free(token);
}

static void say_fatal(const char *what)
{
    fprintf(stderr, "gadfly: %s\n", what);
}

/* The core reaches the run through these (core/hooks.h). */
__attribute__((constructor)) static void run_hooks(void)
{
    core_up.label = run_label;
    core_up.cover = run_cover;
    core_up.count_filter = run_count_filter;
    core_up.count_gen_discard = run_count_gen_discard;
    core_up.target_score = target_score;
    core_up.say_fatal = say_fatal;
}

void run_note_other_failure(gf_run_state *r, uint32_t origin,
                            const buffer *rec)
{
    for (size_t i = 0; i < r->nothers; i++) {
        if (r->others[i].origin != origin)
            continue;
        if (buffer_compare(rec, &r->others[i].buf) < 0)
            buffer_copy(&r->others[i].buf, rec);
        return;
    }
    if (r->nothers == MAX_OTHER_FAILURES)
        return;
    r->others = xrealloc(r->others, (r->nothers + 1) * sizeof *r->others);
    other_failure *o = &r->others[r->nothers++];
    o->origin = origin;
    buffer_init(&o->buf);
    buffer_copy(&o->buf, rec);
}

/* Each other failure met while shrinking, shrunk on its own and reported
 * after the first.  Shrinking one may meet yet others; they are taken too,
 * up to MAX_OTHER_FAILURES. */
static void report_other_failures(gf_run_state *r, gf_result *res,
                                  uint32_t first)
{
    gf_printer all;
    printer_init(&all);
    gf_print(&all, "%s", res->report);
    for (size_t i = 0; i < r->nothers; i++) {
        uint32_t origin = r->others[i].origin;
        if (origin == first)
            continue;
        buffer best;
        buffer_init(&best);
        buffer_copy(&best, &r->others[i].buf);
        r->shrink_budget_hit = false;
        run_shrink(r, &best, origin);
        gf_result one;
        memset(&one, 0, sizeof one);
        one.seed = res->seed;
        final_replay(r, &best, origin, &one);
        build_failure_report(r, &one, &best, REPORT_OTHER);
        gf_print(&all, "%s", one.report);
        res->failures++;
        gf_result_free(&one);
        buffer_free(&best);
    }
    free(res->report);
    res->report = printer_take(&all);
    res->shrinks = r->shrinks;
    res->shrink_calls = r->shrink_calls;
}

/* "PASS name (N passed, N discarded, N duplicates)", and with --verbose
 * with --stats the chart of gf_label's counts. */
static char *pass_report(const gf_run_state *r, const gf_result *res)
{
    gf_printer p;
    printer_init(&p);
    gf_print(&p, "PASS %s (%" PRIu64 " passed, %" PRIu64 " discarded, %"
             PRIu64 " duplicate%s", r->prop->name, r->passed, r->discarded,
             r->duplicates, r->duplicates == 1 ? "" : "s");
    if (r->unchecked)
        gf_print(&p, "; %" PRIu64 " not checked for duplicates, the check's "
                     "memory being full", r->unchecked);
    if (res->interrupted)
        gf_print(&p, "; interrupted: generation stopped early");
    else if (res->exhausted)
        gf_print(&p, "; stopped after %d duplicates in a row: the input "
                     "space looks used up", DUPLICATE_LIMIT);
    gf_print(&p, ")\n");
    if (r->stats && r->opt.stats) {
        unsigned unmet;
        char *chart = stats_report(r->stats, &unmet);
        gf_print(&p, "%s", chart);
        free(chart);
    }
    if (r->obs && (r->opt.stats || r->opt.verbose)) {
        char *more = run_observe.report(r->obs);
        gf_print(&p, "%s", more);
        free(more);
    }
    return printer_take(&p);
}

static char *gave_up_message(const gf_run_state *r)
{
    if (r->slow_message)
        return xstrdup(r->slow_message);
    if (r->discarded == 0)
        return xstrdup("no case ran to the end");
    if (r->filter_giveups * 2 >= r->discarded && r->filter_gen)
        return xasprintf(
            "%s rejected nearly every value (%" PRIu64 " of %" PRIu64
            " cases discarded): loosen the predicate, or generate valid "
            "values directly with gf_map or gf_custom",
            gf_gen_name(r->filter_gen), r->discarded, r->cases);
    if (r->gen_discards * 2 >= r->discarded && r->gen_discard_gen)
        return xasprintf(
            "%" PRIu64 " of %" PRIu64 " cases were discarded, most because "
            "%s had no value to give (%s): draw its arguments from a "
            "generator that suits it", r->discarded, r->cases,
            gf_gen_name(r->gen_discard_gen),
            r->gen_discard_why ? r->gen_discard_why : "no reason given");
    if (r->overruns * 2 >= r->discarded)
        return xasprintf("%" PRIu64 " of %" PRIu64 " cases drew more than "
                         "the %zu choices a case may make: draw smaller values, "
                         "or raise the limit with --max-choices",
                         r->overruns, r->cases, r->tc.max_choices);
    return xasprintf("%" PRIu64 " of %" PRIu64 " cases were discarded by "
                     "gf_assume: make the assumption hold more often, or "
                     "generate valid values directly", r->discarded, r->cases);
}

/* gf_cover requirements of a run whose cases all held: any not met fail
 * it, with the chart saying which (true: *res holds that failure). */
static bool unmet_cover(gf_run_state *r, gf_result *res)
{
    /* A worker sees only its share of the cases: a requirement judged on
     * a small share would fail by chance. */
    if (!r->stats || process_role.jobs_worker)
        return false;
    unsigned unmet = 0;
    char *chart = stats_report(r->stats, &unmet);
    if (unmet) {
        res->origin = xstrdup("gf_cover");
        res->message = xasprintf("%u coverage requirement%s not met", unmet,
                                 unmet == 1 ? " was" : "s were");
        res->report = xasprintf("FAIL %s: %s over %" PRIu64 " cases\n%s"
                                "  seed: 0x%016" PRIx64 "\n", r->prop->name,
                                res->message, r->passed, chart, res->seed);
        res->failures = 1;
    }
    free(chart);
    return unmet > 0;
}

/* Saved failures under `key`: how many. */
static size_t count_saved(gf_db *db, const char *key)
{
    bytes_vec *encs = NULL;
    size_t n = db_load(db, key, &encs, NULL);
    for (size_t i = 0; i < n; i++)
        bv_free(&encs[i]);
    free(encs);
    return n;
}

static bool has_saved(gf_db *db, const gf_property *p, const gf_options *opt)
{
    if (!db)
        return false;
    char *key = run_db_key(p, opt);
    /* The program's own, or any saved under the name alone. */
    bool any = count_saved(db, key) > 0 || count_saved(db, p->name) > 0;
    free(key);
    return any;
}

static void save_failure(gf_run_state *r, gf_db *db, const gf_result *res,
                         const bytes_vec *replaced);

/* The run is over: its info line, and its summary for gf_main (stats and
 * observations, as text; see run_summary). */
static void finish_observing(gf_run_state *r, const gf_result *res)
{
    free(run_summary);
    run_summary = NULL;
    if (!r->obs)
        return;
    if (!process_role.jobs_worker)
        run_observe.info(r->obs, res);
    run_summary = compose_summary(r);
}

/* The observer's summary, then "stats", then the labels (stats.c). */
static char *compose_summary(const gf_run_state *r)
{
    char *obs = run_observe.serialize(r->obs);
    char *st = r->stats ? stats_serialize(r->stats) : xstrdup("");
    char *all = xasprintf("%sstats\n%s", obs, st);
    free(obs);
    free(st);
    return all;
}

/* --jobs: the workers run the property; the report is made here from
 * their merged result. */
static gf_status finish_jobs(gf_run_state *r, gf_result *res, gf_result *local,
                             gf_db *db)
{
    r->stats = stats_new();
    if (!r->obs)
        r->obs = run_observe.from_text("");
    gf_status status =
        process_up.run_jobs(r->prop, &r->opt, res, r->stats, r->obs);
    run_observe.set_seed(r->obs, res->seed);
    if (db && status == GF_FAILED)
        save_failure(r, db, res, NULL);
    db_close(db);
    r->cases = res->cases;
    r->passed = res->passed;
    r->discarded = res->discarded;
    r->duplicates = res->duplicates;
    r->unchecked = res->unchecked;
    /* Coverage over all the workers' cases, judged once, here. */
    if (status == GF_PASSED && stats_cases(r->stats) && unmet_cover(r, res))
        status = GF_FAILED;
    else if (status == GF_PASSED &&
             (r->opt.verbose || r->opt.stats || res->interrupted) &&
             !res->report)
        res->report = pass_report(r, res); /* interrupted: what did run */
    run_emit(r, res->report);
    res->status = status;
    finish_observing(r, res);
    state_free(r);
    free(r);
    if (local)
        gf_result_free(local);
    return status;
}

/* ---- the failure database ------------------------------------------------ */

static FILE *err_stream(const gf_run_state *r)
{
    return r->opt.out ? r->opt.out : stderr;
}

char *run_db_key(const gf_property *prop, const gf_options *opt)
{
    const char *name = prop->name ? prop->name : "";
    if (!opt || !opt->argv0 || !*opt->argv0)
        return xstrdup(name);
    const char *base = strrchr(opt->argv0, '/');
    base = base ? base + 1 : opt->argv0;
    if (strncmp(base, "lt-", 3) == 0 && base[3])
        base += 3;
    return xasprintf("%s/%s", base, name);
}

/* Replay the property's saved failures first.  One that still fails is
 * the run's failure (into *failing, true); those that pass now are
 * forgotten, and -v says so.  Failures saved before entries were keyed by
 * program (under the bare property name, which any program with a
 * property of that name may own) are replayed after the program's own:
 * one that fails is copied under this program's key, and none is deleted,
 * since it may be another program's. */
static bool replay_saved(gf_run_state *r, gf_db *db, buffer *failing,
                         uint32_t *origin, bytes_vec *saved_enc)
{
    char *key = run_db_key(r->prop, &r->opt);
    FILE *err = r->opt.quiet ? NULL : err_stream(r);
    bool legacy = strcmp(key, r->prop->name) != 0;
    bytes_vec *encs = NULL, *old = NULL;
    size_t n = db_load(db, key, &encs, err);
    size_t n_old = legacy ? db_load(db, r->prop->name, &old, err) : 0;
    if (n_old) {
        encs = xrealloc(encs, (n + n_old) * sizeof *encs);
        memcpy(encs + n, old, n_old * sizeof *old);
    }
    free(old);
    size_t n_own = n;
    n += n_old;
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        buffer b;
        buffer_init(&b);
        uint32_t o = 0;
        uint32_t known;
        if (!found && seen_lookup_hashed(&r->seen,
                                         seen_hash(encs[i].p, encs[i].n),
                                         encs[i].p, encs[i].n, &known)) {
            /* The same case saved twice: known before it runs. */
            r->duplicates++;
        } else if (!found && buffer_decode(encs[i].p, encs[i].n, SIZE_MAX, &b)) {
            case_status st = run_buffer(r, &b, &o);
            r->cases++;
            /* What ran is a case of this run: generation meeting it again
             * is a duplicate, not a second case. */
            uint32_t outcome = run_outcome(r);
            seen_set_value(&r->seen, encs[i].p, encs[i].n, outcome);
            r->key.n = 0;
            buffer_encode(&r->tc.rec, &r->key);
            seen_set_value(&r->seen, r->key.p, r->key.n, outcome);
            if (st == CASE_FAILED && !origin_is_error(r->tc.origin)) {
                found = true;
                *origin = o;
                buffer_copy(failing, &r->tc.rec);
                bv_reserve(saved_enc, encs[i].n);
                memcpy(saved_enc->p, encs[i].p, encs[i].n);
                saved_enc->n = encs[i].n;
                if (i >= n_own)
                    db_save(db, key, encs[i].p, encs[i].n, err);
            } else if (i < n_own) {
                r->passed += st == CASE_OK;
                db_forget(db, key, encs[i].p, encs[i].n);
                if (r->opt.verbose && !r->opt.quiet)
                    fprintf(err_stream(r), "  %s: a failure saved by an "
                            "earlier run now passes; forgotten\n",
                            r->prop->name);
            } else {
                r->passed += st == CASE_OK;
                if (r->opt.verbose && !r->opt.quiet)
                    fprintf(err_stream(r), "  %s: a failure saved under the "
                            "property's name alone (before failures were "
                            "kept per program) passes here; kept, as it may "
                            "be another program's\n", r->prop->name);
            }
        }
        buffer_free(&b);
        bv_free(&encs[i]);
    }
    free(encs);
    free(key);
    return found;
}

/* Keep the reported failure (its replay token's case) for the next run,
 * in place of the saved one it came from. */
static void save_failure(gf_run_state *r, gf_db *db, const gf_result *res,
                         const bytes_vec *replaced)
{
    uint32_t hash;
    const char *err = NULL;
    buffer b;
    buffer_init(&b);
    if (res->replay && token_parse(res->replay, &hash, &b, &err)) {
        bytes_vec enc = {0};
        buffer_encode(&b, &enc);
        bool have_old = replaced && replaced->p;
        char *key = run_db_key(r->prop, &r->opt);
        db_replace(db, key, have_old ? replaced->p : NULL,
                   have_old ? replaced->n : 0, enc.p, enc.n,
                   r->opt.quiet ? NULL : err_stream(r));
        free(key);
        bv_free(&enc);
    }
    buffer_free(&b);
}

/* Shrink the failure found, replay it for the report, shrink and report
 * the other failures met on the way, and keep it in the database. */
void run_finish_failure(gf_run_state *r, gf_result *res, buffer *failing,
                        uint32_t origin, bool from_db, gf_db *db,
                        const bytes_vec *saved)
{
    run_phase(ISO_SHRINK);
    run_shrink(r, failing, origin);
    run_phase(ISO_REPORT);
    final_replay(r, failing, origin, res);
    if (r->obs && run_observe.writes_lines(r->obs) && jobs_reported()) {
        char *values = run_format_values(r);
        run_observe.case_ended(r->obs, r, "minimal failing example (shrunk)", values,
                      NULL, 0, 0, 0);
        free(values);
    }
    res->cases = r->cases;
    res->shrinks = r->shrinks;
    res->shrink_calls = r->shrink_calls;
    build_failure_report(r, res, failing, from_db ? REPORT_SAVED : REPORT_FIRST);
    res->failures = 1;
    report_other_failures(r, res, origin);
    if (db)
        save_failure(r, db, res, saved);
}

/* Whether a run with these options goes to a worker process, as far as
 * the caller's choice goes (gf_options.isolation). */
static bool isolation_wanted(const gf_options *opt)
{
    int how = opt ? opt->isolation : GF_ISOLATE_DEFAULT;
    return how == GF_ISOLATE_WORKER || (how == GF_ISOLATE_DEFAULT && process_role.isolate);
}

gf_status gf_run(const gf_property *prop, const gf_options *opt, gf_result *out)
{
    if (isolation_wanted(opt) && process_up.run_isolated &&
        !role_for_parent() && !process_role.jobs_worker && prop &&
        prop->fn && prop->name && !(opt && opt->jobs > 1 && !opt->replay))
        return process_up.run_isolated(prop, opt, out);
    gf_result local;
    gf_result *res = out ? out : &local;
    memset(res, 0, sizeof *res);
    gf_run_state *r = xmalloc(sizeof *r);
    state_init(r, prop, opt);
    bool valid = prop && prop->fn && prop->name &&
                 r->opt.isolation >= GF_ISOLATE_DEFAULT &&
                 r->opt.isolation <= GF_ISOLATE_NONE;
    gf_db *db = valid && !r->opt.replay && r->opt.db_dir && *r->opt.db_dir
                    ? db_open(r->opt.db_dir)
                    : NULL;
    db_set_choice_limit(db, r->tc.max_choices);
    if (r->opt.jobs > 1 && !r->opt.replay && valid && process_up.run_jobs &&
        run_observe.from_text && !has_saved(db, prop, &r->opt))
        return finish_jobs(r, res, out ? NULL : &local, db);
    res->seed = r->opt.seed_set ? r->opt.seed : run_fresh_seed();
    if (r->obs)
        run_observe.set_seed(r->obs, res->seed);
    if (process_role.worker)
        process_up.note_run(r, res->seed);
    if (run_watched && valid) {
        run_watched->seed = res->seed;
        snprintf(run_watched->property, sizeof run_watched->property, "%s",
                 prop->name);
    }
    gf_status status;
    double timeout = r->opt.timeout == 0 ? RUN_DEFAULT_TIMEOUT : r->opt.timeout;
    crash_guard *guard = crash_guard_start(timeout > 0);
    watchdog *watch = watchdog_start(timeout, run_wedged, r);
    r->tc.watch = watch;
    r->tc.timeout = timeout;
    if (!prop || !prop->fn || !prop->name) {
        res->message = xstrdup("gf_run: the property has no name or function");
        res->report = xasprintf("gadfly: %s\n", res->message);
        status = GF_ERROR;
    } else if (r->opt.isolation < GF_ISOLATE_DEFAULT ||
               r->opt.isolation > GF_ISOLATE_NONE) {
        res->message = xasprintf("gf_run: isolation is %d, not "
                                 "GF_ISOLATE_DEFAULT, GF_ISOLATE_WORKER or "
                                 "GF_ISOLATE_NONE", r->opt.isolation);
        res->report = xasprintf("gadfly: %s: %s\n", prop->name, res->message);
        status = GF_ERROR;
    } else if (r->opt.replay) {
        status = run_replay(r, res);
    } else {
        buffer failing;
        buffer_init(&failing);
        uint32_t origin = 0;
        bytes_vec saved = {0};
        run_phase(ISO_SAVED);
        bool from_db = db && replay_saved(r, db, &failing, &origin, &saved);
        run_phase(ISO_GENERATE);
        status = from_db ? GF_FAILED : generate(r, res, &failing, &origin);
        if (run_jobs_failed)
            run_jobs_failed[1 + run_jobs_index] = 0; /* generation over */
        run_phase(ISO_DONE);
        target_finish(r);
        if (status == GF_FAILED) {
            run_finish_failure(r, res, &failing, origin, from_db, db,
                               from_db ? &saved : NULL);
        } else if (status == GF_ERROR) {
            res->report = xasprintf("ERROR %s: %s\n", prop->name, res->message);
        } else if (res->interrupted && status != GF_GAVE_UP) {
            res->report = pass_report(r, res);
        } else if (status == GF_GAVE_UP || r->passed == 0) {
            /* Nothing held: a property that discards every case has not
             * been tested, whatever else happened. */
            status = GF_GAVE_UP;
            res->message = gave_up_message(r);
            res->report = xasprintf("GAVE UP %s after %" PRIu64 " case%s: %s\n"
                                    "  seed: 0x%016" PRIx64 "\n",
                                    prop->name, r->cases,
                                    r->cases == 1 ? "" : "s", res->message,
                                    res->seed);
        } else if (unmet_cover(r, res)) {
            status = GF_FAILED;
        } else if (r->opt.verbose || r->opt.stats) {
            res->report = pass_report(r, res);
        }
        bv_free(&saved);
        buffer_free(&failing);
    }
    db_close(db);
    watchdog_stop(watch);
    r->tc.watch = NULL;
    crash_guard_stop(guard);
    if (process_role.jobs_worker && r->stats) {
        free(run_worker_stats);
        run_worker_stats = stats_serialize(r->stats);
    }
    res->status = status;
    res->interrupted |= run_interrupted();
    if (!r->opt.replay) {
        res->cases = r->cases;
        res->passed = r->passed;
        res->discarded = r->discarded;
        res->duplicates = r->duplicates;
        res->unchecked = r->unchecked;
        res->shrinks = r->shrinks;
        res->shrink_calls = r->shrink_calls;
    }
    if (!process_role.report_in_parent)
        run_emit(r, res->report);
    finish_observing(r, res);
    state_free(r);
    free(r);
    if (!out)
        gf_result_free(&local);
    return status;
}

gf_status run_fuzz_input(const gf_property *prop, const gf_options *opt,
                         const uint8_t *data, size_t size, const char *source,
                         bool shrink, gf_result *res)
{
    if (isolation_wanted(opt) && process_up.run_fuzz_input &&
        !role_for_parent())
        return process_up.run_fuzz_input(prop, opt, data, size, source, shrink, res);
    memset(res, 0, sizeof *res);
    gf_run_state *r = xmalloc(sizeof *r);
    state_init(r, prop, opt);
    r->input = source;
    gf_db *db = r->opt.db_dir && *r->opt.db_dir ? db_open(r->opt.db_dir) : NULL;
    double timeout = r->opt.timeout == 0 ? RUN_DEFAULT_TIMEOUT : r->opt.timeout;
    crash_guard *guard = crash_guard_start(timeout > 0);
    watchdog *watch = watchdog_start(timeout, run_wedged, r);
    r->tc.watch = watch;
    r->tc.timeout = timeout;
    case_reset(&r->tc, NULL, TAIL_FUZZ, 1.0);
    r->tc.fuzz = data;
    r->tc.fuzz_len = size;
    r->tc.fuzz_pos = 0;
    run_phase(ISO_GENERATE);
    case_execute(&r->tc, prop->fn);
    r->tc.fuzz = NULL;
    res->cases = r->cases = 1;
    gf_status status = GF_FAILED;
    if (r->tc.status != CASE_FAILED) {
        res->passed = r->tc.status == CASE_OK;
        res->discarded = !res->passed;
        res->report = xasprintf("PASS %s (the input in %s %s)\n", prop->name,
                                source, res->passed ? "held" : "was discarded");
        status = GF_PASSED;
    } else if (origin_is_error(r->tc.origin)) {
        res->origin = xstrdup(r->tc.origin);
        res->message = xstrdup(r->tc.message);
        res->report = xasprintf("ERROR %s: %s\n", prop->name, res->message);
        status = GF_ERROR;
    } else if (!shrink) {
        res->origin = xstrdup(r->tc.origin);
        res->message = xstrdup(r->tc.message ? r->tc.message : "");
        res->replay = token_make(prop->name, &r->tc.rec);
        res->report = xasprintf("FAIL %s (the input in %s) at %s%s\n",
                                prop->name, source, res->origin,
                                db ? ", saved to the database" : "");
        res->failures = 1;
    } else {
        buffer failing;
        buffer_init(&failing);
        buffer_copy(&failing, &r->tc.rec);
        uint32_t origin = run_origin_id(r, r->tc.origin);
        run_phase(ISO_SHRINK);
        shrink_failure(r, &failing, origin);
        run_phase(ISO_REPORT);
        final_replay(r, &failing, origin, res);
        res->shrinks = r->shrinks;
        res->shrink_calls = r->shrink_calls;
        build_failure_report(r, res, &failing, REPORT_INPUT);
        res->failures = 1;
        report_other_failures(r, res, origin);
        buffer_free(&failing);
    }
    if (db && status == GF_FAILED)
        save_failure(r, db, res, NULL);
    db_close(db);
    watchdog_stop(watch);
    r->tc.watch = NULL;
    crash_guard_stop(guard);
    res->status = status;
    /* A worker's report is printed by its parent, whose stderr the
     * property cannot have closed. */
    if (!process_role.report_in_parent)
        run_emit(r, res->report);
    state_free(r);
    free(r);
    return status;
}

void gf_result_free(gf_result *r)
{
    if (!r)
        return;
    free(r->origin);
    free(r->message);
    free(r->counterexample);
    free(r->replay);
    free(r->report);
    memset(r, 0, sizeof *r);
}

/* ---- environment -------------------------------------------------------- */

bool parse_u64(const char *s, uint64_t *out)
{
    /* strtoull accepts leading blanks and a sign (negating!): not here. */
    if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
        return false;
    /* Decimal, or hex after 0x: a leading zero is not octal. */
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        if (!isxdigit((unsigned char)*s))
            return false;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, base);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

int parse_color(const char *s)
{
    if (strcmp(s, "auto") == 0)
        return GF_COLOR_AUTO;
    if (strcmp(s, "always") == 0)
        return GF_COLOR_ALWAYS;
    if (strcmp(s, "never") == 0)
        return GF_COLOR_NEVER;
    return -1;
}

bool parse_seconds(const char *s, double *out)
{
    /* strtod takes leading blanks, a sign, "inf" and "nan": none is a
     * time here, and neither is anything past RUN_MAX_SECONDS. */
    if (!s || !*s || isspace((unsigned char)*s) || *s == '-' || *s == '+')
        return false;
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (errno || *end || !isfinite(d) || !(d > 0) || d > RUN_MAX_SECONDS)
        return false;
    *out = d;
    return true;
}

bool parse_duration(const char *s, double *out)
{
    if (!s || !*s)
        return false;
    size_t n = strlen(s);
    double unit = 1;
    if (s[n - 1] == 's')
        n--;
    else if (s[n - 1] == 'm')
        unit = 60, n--;
    else if (s[n - 1] == 'h')
        unit = 3600, n--;
    char number[64];
    if (n == 0 || n >= sizeof number)
        return false;
    memcpy(number, s, n);
    number[n] = 0;
    double d;
    /* The unit applies before the bound: 1e308h is no more a time than
     * inf is. */
    if (!parse_seconds(number, &d) || d > RUN_MAX_SECONDS / unit)
        return false;
    *out = d * unit;
    return true;
}

bool parse_shard(const char *s, unsigned *index, unsigned *count)
{
    const char *slash = s ? strchr(s, '/') : NULL;
    if (!slash || slash == s || !slash[1])
        return false;
    char first[32];
    size_t n = (size_t)(slash - s);
    if (n >= sizeof first)
        return false;
    memcpy(first, s, n);
    first[n] = 0;
    uint64_t i, k;
    if (!parse_u64(first, &i) || !parse_u64(slash + 1, &k) || k == 0 ||
        k > 65536 || i == 0 || i > k)
        return false;
    *index = (unsigned)i;
    *count = (unsigned)k;
    return true;
}

int gf_options_from_env(gf_options *opt, FILE *err)
{
    return options_from_env(opt, err, 0);
}

/* Trimmed copies of variables, kept for the process's life: options
 * point into them.  A list, so that no copy is ever lost. */
typedef struct env_copy {
    struct env_copy *next;
    char text[];
} env_copy;
static env_copy *env_copies;
static pthread_mutex_t env_lock = PTHREAD_MUTEX_INITIALIZER;

const char *run_env(const char *name)
{
    /* Blanks around a value (a newline from a file, a space in a CI
     * file) are dropped for every GF_ variable alike; a variable set to
     * blanks only counts as unset, as an empty one does. */
    const char *v = getenv(name);
    if (!v)
        return NULL;
    size_t start = 0, end = strlen(v);
    while (start < end && isspace((unsigned char)v[start]))
        start++;
    while (end > start && isspace((unsigned char)v[end - 1]))
        end--;
    if (start == end)
        return NULL;
    if (start == 0 && v[end] == 0)
        return v;
    pthread_mutex_lock(&env_lock);
    env_copy *c = env_copies;
    while (c && (strncmp(c->text, v + start, end - start) != 0 ||
                 c->text[end - start] != 0))
        c = c->next;
    if (!c) {
        c = xmalloc(sizeof *c + end - start + 1);
        memcpy(c->text, v + start, end - start);
        c->text[end - start] = 0;
        c->next = env_copies;
        env_copies = c;
    }
    pthread_mutex_unlock(&env_lock);
    return c->text;
}

static const char *env_value(const char *name)
{
    return run_env(name);
}

int options_from_env(gf_options *opt, FILE *err, unsigned skip)
{
    struct {
        const char *name;
        unsigned bit;
        uint64_t *dst;
        bool *flag;
    } ints[] = {
        {"GF_SEED", ENV_SEED, &opt->seed, &opt->seed_set},
        {"GF_TRIALS", ENV_TRIALS, &opt->trials, NULL},
        {"GF_MAX_SHRINK_CALLS", ENV_SHRINK_CALLS, &opt->max_shrink_calls, NULL},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        const char *v = env_value(ints[i].name);
        if (!v || (skip & ints[i].bit))
            continue;
        uint64_t x;
        bool positive = ints[i].dst != &opt->seed;
        if (!parse_u64(v, &x) || (positive && x == 0)) {
            fprintf(err, "gadfly: %s=%s is not a valid %snumber\n",
                    ints[i].name, v, positive ? "positive " : "");
            return -1;
        }
        *ints[i].dst = x;
        if (ints[i].flag)
            *ints[i].flag = true;
    }
    const char *v = env_value("GF_REPLAY");
    if (v && !(skip & ENV_REPLAY))
        opt->replay = v;
    v = env_value("GF_VERBOSE");
    if (v && !(skip & ENV_VERBOSE)) {
        uint64_t x;
        if (!parse_u64(v, &x) || x > 9) {
            fprintf(err, "gadfly: GF_VERBOSE=%s must be 0 to 9\n", v);
            return -1;
        }
        opt->verbose = (unsigned)x;
    }
    v = env_value("GF_TIMEOUT");
    if (v && !(skip & ENV_TIMEOUT)) {
        double t;
        if (strcmp(v, "0") == 0 || strcmp(v, "none") == 0) {
            opt->timeout = -1;
        } else if (!parse_duration(v, &t)) {
            fprintf(err, "gadfly: GF_TIMEOUT=%s is not a time (like 5, 30s, "
                    "2m, or none; at most " RUN_MAX_SECONDS_TEXT ")\n", v);
            return -1;
        } else {
            opt->timeout = t;
        }
    }
    v = env_value("GF_DURATION");
    if (v && !(skip & ENV_DURATION) && !parse_duration(v, &opt->duration)) {
        fprintf(err, "gadfly: GF_DURATION=%s is not a time (like 90, 30s, 10m, "
                "1h; at most " RUN_MAX_SECONDS_TEXT ")\n", v);
        return -1;
    }
    v = env_value("GF_COLOR");
    if (v && !(skip & ENV_COLOR)) {
        int mode = parse_color(v);
        if (mode < 0) {
            fprintf(err, "gadfly: GF_COLOR=%s is not auto, always or never\n",
                    v);
            return -1;
        }
        opt->color = mode;
    }
    v = env_value("GF_DB");
    if (v && !(skip & ENV_DB))
        opt->db_dir = v;
    /* GF_OBSERVE=1 (or yes, true) observes into the default directory;
     * any other value is the directory. */
    v = env_value("GF_OBSERVE");
    if (v && !(skip & ENV_OBSERVE) && strcmp(v, "0") != 0)
        opt->observe_dir = strcmp(v, "1") == 0 || strcmp(v, "yes") == 0 ||
                                   strcmp(v, "true") == 0
                               ? ".gadfly/observed"
                               : v;
    v = env_value("GF_JOBS");
    if (v && !(skip & ENV_JOBS)) {
        uint64_t n;
        if (!parse_u64(v, &n) || n == 0 || n > 256) {
            fprintf(err, "gadfly: GF_JOBS=%s is not a number of workers from 1 "
                    "to 256\n", v);
            return -1;
        }
        opt->jobs = (unsigned)n;
    }
    v = env_value("GF_SHARD");
    if (v && !(skip & ENV_SHARD) &&
        !parse_shard(v, &opt->shard_index, &opt->shard_count)) {
        fprintf(err, "gadfly: GF_SHARD=%s is not I/N with 1 <= I <= N\n", v);
        return -1;
    }
    v = env_value("GF_MAX_SHRINK_SECONDS");
    if (v && !(skip & ENV_SHRINK_SECONDS)) {
        double d;
        if (!parse_seconds(v, &d)) {
            fprintf(err, "gadfly: GF_MAX_SHRINK_SECONDS=%s is not a positive "
                    "number of seconds (at most 31536000, a year)\n", v);
            return -1;
        }
        opt->max_shrink_seconds = d;
    }
    return 0;
}
