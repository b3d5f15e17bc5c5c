/*
 * shrink.c - turning a failing buffer into a minimal one.
 *
 * The shrinker only ever edits the choice sequence and asks the property
 * again; it never looks at values.  A candidate is accepted when it fails
 * with the same origin and its recording is smaller in shortlex order, so
 * every accepted step makes progress and the loop ends.  A candidate whose
 * outcome is already known is not run: either the exact buffer was run, or
 * a buffer the property consumed only a prefix of was, and every buffer
 * with that prefix behaves the same.
 *
 * Passes are local edits, each tried everywhere it applies; they run in
 * rounds, reordered by how often each has worked, until a round changes
 * nothing or a budget runs out.  Failures with another origin met on the
 * way are kept (the smallest of each) for the runner to shrink on their
 * own.  Nothing here depends on how the property ran the case: a crash or
 * a timeout is an origin like an assertion.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/index.h"
#include "role.h"
#include "run.h"
#include "shrink.h"
#include "wire.h"

#define DEFAULT_STALL_CALLS 1000
/* Copies of one span lowered together, at the most. */
#define MAX_MIRRORS 16

typedef struct shrinker {
    gf_run_state *run;
    uint32_t origin;
    buffer *best;
    span *spans;        /* spans of best */
    size_t nspans;
    buffer cand, work;  /* scratch candidates */
    uint64_t improvements;  /* how many times best has changed */
    uint64_t lowered_equal; /* improvements + 1 when lower_equal last ended */
    bytes_vec enc;      /* scratch encoding */
    bytes_vec cand_key; /* the encoding of the candidate being run */
    size_t *bounds;     /* byte offset after each choice of enc */
    size_t bounds_cap;
    uint64_t *owner;    /* innermost span label of each choice */
    size_t owner_cap;
    uint64_t stall, max_stall;
    double deadline;
    bool stop;
    /* Speculation (shrink_speculate): a child process goes on as if every
     * candidate from the fork on fails to improve, and runs every other
     * one: it sends what each of its runs did, and marks the ones it
     * leaves to this process, which takes the child's outcomes in order
     * and runs the rest itself, the two running side by side. */
    struct {
        bool allowed;   /* this shrink may fork a speculating child */
        bool child;     /* this process is that child */
        pid_t pid;      /* the child running ahead, or 0 */
        int fd;         /* parent: read end; child: write end */
        double call_time; /* seconds a run takes, smoothed */
        uint64_t turn;  /* child: runs since the fork; odd ones are left */
    } spec;
    buffer other;       /* scratch: another failure a child met */
    /* lower_equal_spans: while one choice of a span is minimised, every
     * candidate gives the same value to the choices at the same place in
     * the span's identical copies (mirror[0..nmirror)).  Cleared when an
     * accepted candidate leaves the copies out of step. */
    size_t mirror_of;
    size_t mirror[MAX_MIRRORS];
    size_t nmirror;
    /* The last consider() ran its candidate here: the run's record (and
     * spans) in s->run->tc are that candidate's. */
    bool ran_last;
    buffer probe;       /* reschedule: the record of a probe run */
    span *probe_spans;
    size_t probe_nspans;
    uint64_t probe_steps; /* the probe's scheduler steps (0: not known) */
    uint64_t sched_step, sched_change, sched_priority; /* span labels */
} shrinker;

bool shrink_speculate;
/* Fork a speculating child after this many runs without progress, when
 * a run takes at least this long. */
uint64_t shrink_spec_after_stall = 8;
double shrink_spec_min_call = 50e-6;
uint64_t shrink_spec_taken;

/* ---- budget ------------------------------------------------------------- */

static bool out_of_budget(shrinker *s)
{
    if (s->stop)
        return true;
    /* --jobs: a lower-numbered worker failed too, and its failure is the
     * one reported: this shrink would be thrown away. */
    if (run_jobs_failed && *run_jobs_failed < run_jobs_index) {
        s->stop = true;
        return true;
    }
    /* SIGINT, SIGTERM, SIGHUP: report the best so far, now. */
    if (run_interrupted()) {
        s->stop = true;
        s->run->shrink_interrupted = true;
        return true;
    }
    /* The clock every call: a call may take as long as the timeout, and
     * sixteen of those would overrun any budget. */
    if (s->stall >= s->max_stall || now_seconds() > s->deadline) {
        s->stop = true;
        s->run->shrink_budget_hit = true;
    }
    return s->stop;
}

/* ---- known outcomes ------------------------------------------------------ */

#define FNV_PRIME 0x100000001B3ull
#define FNV_BASIS 0xCBF29CE484222325ull

/* Encode b into s->enc, noting where each choice ends. */
static void encode_bounded(shrinker *s, const buffer *b)
{
    if (s->bounds_cap < b->n + 1) {
        s->bounds_cap = 2 * (b->n + 1);
        s->bounds = xrealloc(s->bounds, s->bounds_cap * sizeof *s->bounds);
    }
    s->enc.n = 0;
    buffer_encode_bounded(b, &s->enc, s->bounds);
}

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

/* Remember what the property did with a buffer it consumed entirely. */
static void remember_recorded(gf_run_state *r, const bytes_vec *enc,
                              uint32_t outcome)
{
    uint64_t h = fnv(FNV_BASIS, enc->p, enc->n);
    seen_set_value_hashed(&r->recorded, h, enc->p, enc->n, outcome);
}

/* The outcome of the encoded candidate, if known: it was run itself, or
 * some prefix of it (the whole included) was consumed entirely by an
 * earlier run, so the property would do the same again. */
static bool outcome_known(shrinker *s, size_t nchoices, uint32_t *outcome)
{
    gf_run_state *r = s->run;
    if (seen_lookup_hashed(&r->seen, seen_hash(s->enc.p, s->enc.n), s->enc.p,
                           s->enc.n, outcome))
        return true;
    uint64_t h = FNV_BASIS;
    size_t at = 0;
    if (seen_lookup_hashed(&r->recorded, h, s->enc.p, 0, outcome))
        return true;
    for (size_t i = 0; i < nchoices; i++) {
        h = fnv(h, s->enc.p + at, s->bounds[i] - at);
        at = s->bounds[i];
        if (seen_lookup_hashed(&r->recorded, h, s->enc.p, at, outcome))
            return true;
    }
    return false;
}

static bool is_simplest(const buffer *b, const choice *c);

/* A run whose last choices were all at their simplest behaves exactly like
 * a run of the buffer without them: past its end a replay draws the
 * simplest values, and a forced choice is forced again.  Remember that
 * shorter buffer's outcome as well, so that a candidate which deletes or
 * zeroes only what the tail gives back anyway is not run. */
static void remember_trimmed(shrinker *s, const buffer *rec, uint32_t outcome)
{
    size_t keep = rec->n;
    while (keep > 0 && (rec->ch[keep - 1].forced ||
                        is_simplest(rec, &rec->ch[keep - 1])))
        keep--;
    if (keep == rec->n)
        return;
    size_t len = keep ? s->bounds[keep - 1] : 0;
    seen_set_value_hashed(&s->run->seen, seen_hash(s->enc.p, len), s->enc.p,
                          len, outcome);
}

/* ---- the candidate loop --------------------------------------------------- */

static void keep_spans(shrinker *s, const gf_case *tc)
{
    free(s->spans);
    s->nspans = tc->nspans;
    s->spans = xmalloc((s->nspans ? s->nspans : 1) * sizeof *s->spans);
    if (s->nspans)
        memcpy(s->spans, tc->spans, s->nspans * sizeof *s->spans);
}

/* Run a buffer, record what it did; returns its status. */
static case_status run_and_remember(shrinker *s, const buffer *b,
                                    uint32_t *origin)
{
    gf_run_state *r = s->run;
    case_status st = run_buffer(r, b, origin);
    r->shrink_calls++;
    s->stall++;
    uint32_t outcome = run_outcome(r);
    encode_bounded(s, &r->tc.rec);
    remember_recorded(r, &s->enc, outcome);
    remember_trimmed(s, &r->tc.rec, outcome);
    if (st == CASE_FAILED && *origin != s->origin)
        run_note_other_failure(r, *origin, &r->tc.rec);
    return st;
}

/* ---- speculation ---------------------------------------------------------- */

static void spec_stop(shrinker *s)
{
    if (!s->spec.pid)
        return;
    process_up.stop_child(s->spec.pid, s->spec.fd);
    s->spec.pid = 0;
}

/* Fork the speculating child at the candidate about to run here (its
 * output discarded: the property's output is shown once, here).  In the
 * child, true: it skips that candidate (as if it failed to improve). */
static bool spec_fork(shrinker *s)
{
    int fd;
    int pid = process_up.fork_child ? process_up.fork_child(&fd) : -1;
    if (pid < 0) {
        s->spec.allowed = false;
        return false;
    }
    if (pid == 0) {
        s->spec.child = true;
        s->spec.allowed = false;
        s->spec.fd = fd;
        s->run->shrink_calls++;
        s->stall++;
        return true;
    }
    s->spec.pid = pid;
    s->spec.fd = fd;
    return false;
}

/* Whether to fork a child now: it costs about half a millisecond, and
 * pays off when runs are slow and have stopped improving, so that it goes
 * on for long.  Runs of half a millisecond or more pay for it at once. */
static bool spec_worth_it(const shrinker *s)
{
    if (s->spec.call_time < shrink_spec_min_call)
        return false;
    if (s->spec.call_time >= 10 * shrink_spec_min_call)
        return s->stall >= 1 || shrink_spec_after_stall == 0;
    return s->stall >= shrink_spec_after_stall;
}

/* In the child: what the run of the candidate encoded in cand_key did
 * (its record's encoding is in s->enc).  Ends the child if it improved. */
#define SPEC_IMPROVES 1u
#define SPEC_LEFT 2u    /* the child left this candidate to the parent */

static void spec_send(shrinker *s, case_status st, unsigned flags)
{
    gf_run_state *r = s->run;
    bool improves = flags & SPEC_IMPROVES;
    if (flags & SPEC_LEFT)
        s->enc.n = 0;
    uint64_t head[4] = {s->cand_key.n, s->enc.n, (uint64_t)st, flags};
    wire_put_all(s->spec.fd, head, sizeof head);
    wire_put_all(s->spec.fd, s->cand_key.p, s->cand_key.n);
    wire_put_all(s->spec.fd, s->enc.p, s->enc.n);
    wire_put_string(s->spec.fd, st == CASE_FAILED && !(flags & SPEC_LEFT)
                                    ? r->tc.origin
                                    : NULL);
    if (improves)
        _exit(0);
}

/* One record from the speculating child. */
typedef struct spec_record {
    bytes_vec key, rec;     /* the candidate's encoding, its record's */
    case_status status;
    bool improves, left;
    char *origin;
} spec_record;

static bool spec_read(shrinker *s, spec_record *sr)
{
    uint64_t head[4];
    if (!wire_get_all(s->spec.fd, head, sizeof head) ||
        head[0] > ((uint64_t)1 << 32) || head[1] > ((uint64_t)1 << 32))
        return false;
    sr->key.n = sr->rec.n = 0;
    bv_reserve(&sr->key, (size_t)head[0]);
    bv_reserve(&sr->rec, (size_t)head[1]);
    free(sr->origin);
    sr->origin = NULL;
    sr->status = (case_status)head[2];
    sr->improves = head[3] & SPEC_IMPROVES;
    sr->left = head[3] & SPEC_LEFT;
    if (!wire_get_all(s->spec.fd, sr->key.p, (size_t)head[0]) ||
        !wire_get_all(s->spec.fd, sr->rec.p, (size_t)head[1]) ||
        !wire_get_string(s->spec.fd, &sr->origin))
        return false;
    sr->key.n = (size_t)head[0];
    sr->rec.n = (size_t)head[1];
    return sr->left || sr->status != CASE_FAILED || sr->origin;
}

static void spec_record_free(spec_record *sr)
{
    bv_free(&sr->key);
    bv_free(&sr->rec);
    free(sr->origin);
}

/* The child ran this candidate although its outcome is known here (the
 * child skipped the run that made it known): this process would not run
 * it, so the record is passed over. */
static bool spec_known_here(shrinker *s, const spec_record *sr)
{
    if (!buffer_decode(sr->key.p, sr->key.n, SIZE_MAX, &s->other))
        return false;
    encode_bounded(s, &s->other);
    uint32_t outcome;
    return outcome_known(s, s->other.n, &outcome);
}

/* In the parent: the child's outcome for the candidate in cand_key, if
 * it has one and it did not improve.  True if it was taken as a run;
 * false if this process must run it (the child left it, went another
 * way, or found it improves). */
static bool spec_take(shrinker *s)
{
    gf_run_state *r = s->run;
    spec_record sr = {0};
    bool ok;
    for (;;) {
        ok = spec_read(s, &sr);
        if (!ok)
            break;
        if (sr.key.n == s->cand_key.n &&
            memcmp(sr.key.p, s->cand_key.p, sr.key.n) == 0)
            break;
        if (!spec_known_here(s, &sr)) {
            ok = false; /* it went another way */
            break;
        }
    }
    if (ok && sr.left) {
        spec_record_free(&sr);
        return false; /* this one is ours to run, while the child goes on */
    }
    if (!ok || sr.improves) {
        spec_stop(s); /* ended, went another way, or found a smaller case */
        spec_record_free(&sr);
        return false;
    }
    /* What run_and_remember and consider record for a run. */
    uint32_t outcome = sr.status == CASE_OK ? SEEN_PASSED : SEEN_INVALID;
    if (sr.status == CASE_FAILED) {
        uint32_t id = run_origin_id(r, sr.origin);
        outcome = id + SEEN_FAILED_BASE < SEEN_MAX_VALUE ? id + SEEN_FAILED_BASE
                                                         : SEEN_MAX_VALUE;
        if (id != s->origin &&
            buffer_decode(sr.rec.p, sr.rec.n, SIZE_MAX, &s->other))
            run_note_other_failure(r, id, &s->other);
    }
    r->shrink_calls++;
    s->stall++;
    shrink_spec_taken++;
    remember_recorded(r, &sr.rec, outcome);
    seen_set_value_hashed(&r->seen, seen_hash(sr.key.p, sr.key.n), sr.key.p,
                          sr.key.n, outcome);
    spec_record_free(&sr);
    return true;
}

/* Try a candidate; true if it replaced best. */
static bool consider(shrinker *s, const buffer *cand)
{
    s->ran_last = false;
    if (buffer_compare(cand, s->best) >= 0 || out_of_budget(s))
        return false;
    encode_bounded(s, cand);
    gf_run_state *r = s->run;
    /* A known outcome is never an improvement: a failure of this origin
     * that was run before was either taken then, or (met while shrinking
     * another origin) is no smaller than where this shrink started, which
     * is the smallest such failure met. */
    uint32_t known;
    if (outcome_known(s, cand->n, &known))
        return false;
    /* Keep the candidate's encoding: running it re-encodes the record. */
    uint64_t exact = seen_hash(s->enc.p, s->enc.n);
    s->cand_key.n = 0;
    bv_reserve(&s->cand_key, s->enc.n);
    memcpy(s->cand_key.p, s->enc.p, s->enc.n);
    s->cand_key.n = s->enc.n;
    if (s->spec.pid && spec_take(s))
        return false;
    if (s->spec.child && (s->spec.turn++ & 1)) {
        spec_send(s, CASE_OK, SPEC_LEFT); /* the parent runs this one */
        return false;
    }
    if (s->spec.allowed && !s->spec.pid && spec_worth_it(s) && spec_fork(s))
        return false; /* the child: this candidate is the parent's */
    uint32_t origin = 0;
    double t0 = s->spec.allowed ? now_seconds() : 0;
    case_status st = run_and_remember(s, cand, &origin);
    s->ran_last = true;
    if (s->spec.allowed)
        s->spec.call_time = 0.75 * s->spec.call_time +
                            0.25 * (now_seconds() - t0);
    seen_set_value_hashed(&r->seen, exact, s->cand_key.p, s->cand_key.n,
                          run_outcome(r));
    bool improves = st == CASE_FAILED && origin == s->origin &&
                    buffer_compare(&r->tc.rec, s->best) < 0;
    if (s->spec.child)
        spec_send(s, st, improves ? SPEC_IMPROVES : 0);
    if (!improves)
        return false;
    spec_stop(s); /* it ran ahead as if this failed to improve */
    buffer_copy(s->best, &r->tc.rec);
    keep_spans(s, &r->tc);
    if (process_role.worker || process_role.speculating)
        process_up.note_best(r, s->best, s->origin);
    r->shrinks++;
    s->improvements++;
    s->stall = 0;
    return true;
}

/* ---- candidate builders ----------------------------------------------------- */

/* Append best's choices [from, to) to b. */
static void append_range(buffer *b, const buffer *src, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        choice c = src->ch[i];
        if (c.kind == CHOICE_BYTES)
            c.value = buffer_push_bytes(b, buffer_bytes(src, &src->ch[i]), c.len);
        *buffer_push(b) = c;
    }
}

/* best without choices [start, end). */
static bool try_delete(shrinker *s, size_t start, size_t end)
{
    buffer *c = &s->cand;
    buffer_clear(c);
    append_range(c, s->best, 0, start);
    append_range(c, s->best, end, s->best->n);
    return consider(s, c);
}

/* Are the mirrored choices still copies of choice mirror_of in best? */
static bool mirrors_in_step(const shrinker *s)
{
    const buffer *b = s->best;
    if (s->mirror_of >= b->n)
        return false;
    const choice *c = &b->ch[s->mirror_of];
    for (size_t k = 0; k < s->nmirror; k++) {
        size_t m = s->mirror[k];
        if (m >= b->n || choice_compare(b, &b->ch[m], b, c) != 0 ||
            b->ch[m].kind != c->kind)
            return false;
    }
    return true;
}

/* After candidate changes to choice i, the same to its mirrors (when i is
 * the mirrored choice); false if a mirror cannot take it. */
static bool apply_mirrors(shrinker *s, size_t i)
{
    if (!s->nmirror || i != s->mirror_of)
        return true;
    buffer *c = &s->cand;
    const choice *src = &c->ch[i];
    for (size_t k = 0; k < s->nmirror; k++) {
        choice *m = &c->ch[s->mirror[k]];
        if (m->kind != src->kind || m->forced)
            return false;
        if (src->kind == CHOICE_INT || src->kind == CHOICE_UINT) {
            if (!int_fits(&m->spec, src->kind == CHOICE_INT, src->value))
                return false;
        } else if (src->kind == CHOICE_DOUBLE) {
            if (!double_fits(&m->spec, bits_to_double(src->value)))
                return false;
        }
        if (src->kind == CHOICE_BYTES) {
            m->len = src->len;
            m->value = buffer_push_bytes(c, buffer_bytes(c, &c->ch[i]),
                                         c->ch[i].len);
        } else {
            m->value = src->value;
        }
    }
    return true;
}

/* Try the candidate in s->cand, built from best by a change to choice i. */
static bool consider_changed(shrinker *s, size_t i)
{
    if (!apply_mirrors(s, i))
        return false;
    bool ok = consider(s, &s->cand);
    if (ok && s->nmirror && !mirrors_in_step(s))
        s->nmirror = 0;
    return ok;
}

/* best with choice i's value replaced. */
static bool try_value(shrinker *s, size_t i, uint64_t value)
{
    buffer_copy(&s->cand, s->best);
    s->cand.ch[i].value = value;
    return consider_changed(s, i);
}

/* Still an unforced choice of this kind at i? */
static bool is_kind(const shrinker *s, size_t i, choice_kind kind)
{
    return i < s->best->n && s->best->ch[i].kind == kind &&
           !s->best->ch[i].forced;
}

static bool is_int(const choice *c)
{
    return (c->kind == CHOICE_INT || c->kind == CHOICE_UINT) && !c->forced;
}

/* ---- deleting ----------------------------------------------------------------- */

/* Delete each span, last first.  After a deletion works, try deleting
 * twice as much from the same place, then four times ...: a list's
 * elements are siblings of one size, and go in a few steps, not one by one. */
static bool delete_spans(shrinker *s)
{
    bool any = false;
    for (size_t k = s->nspans; k-- > 0 && !out_of_budget(s);) {
        if (k >= s->nspans)
            continue;
        span sp = s->spans[k];
        size_t len = sp.end - sp.start;
        if (len == 0 || !try_delete(s, sp.start, sp.end))
            continue;
        any = true;
        for (size_t m = 2; sp.start + m * len <= s->best->n; m *= 2)
            if (!try_delete(s, sp.start, sp.start + m * len))
                break;
    }
    return any;
}

static bool delete_discarded(shrinker *s)
{
    const buffer *b = s->best;
    bool *drop = calloc(b->n ? b->n : 1, sizeof *drop);
    if (!drop)
        gf_oom();
    bool found = false;
    for (size_t k = 0; k < s->nspans; k++)
        if (s->spans[k].discard)
            for (uint32_t i = s->spans[k].start; i < s->spans[k].end; i++)
                drop[i] = found = true;
    bool ok = false;
    if (found) {
        buffer *c = &s->cand;
        buffer_clear(c);
        for (size_t i = 0; i < b->n; i++)
            if (!drop[i])
                append_range(c, b, i, i + 1);
        ok = consider(s, c);
    }
    free(drop);
    return ok;
}

/* Runs of `width` choices, for structure no span describes. */
static bool delete_runs(shrinker *s, size_t width)
{
    bool any = false;
    for (size_t i = s->best->n; i-- > 0 && !out_of_budget(s);)
        if (i + width <= s->best->n && try_delete(s, i, i + width))
            any = true;
    return any;
}

static bool delete_choices(shrinker *s)
{
    return delete_runs(s, 1);
}

static bool delete_choice_pairs(shrinker *s)
{
    return delete_runs(s, 2);
}

/* ---- structure -------------------------------------------------------------- */

/* Replace a span by a smaller span of the same label inside it: a tree by
 * one of its subtrees, an expression by one of its operands.  Smallest
 * descendants first; after a success the same span is tried again, as it
 * now holds what replaced it. */
#define MAX_DESCENDANTS 16

static bool replace_one(shrinker *s, size_t a)
{
    span outer = s->spans[a];
    size_t found[MAX_DESCENDANTS], n = 0;
    for (size_t d = a + 1; d < s->nspans && n < MAX_DESCENDANTS; d++) {
        span inner = s->spans[d];
        if (inner.start >= outer.end)
            break; /* spans are in order of start: past outer */
        if (inner.label == outer.label && inner.end > inner.start &&
            inner.end - inner.start < outer.end - outer.start)
            found[n++] = d;
    }
    /* Insertion sort by size, smallest first. */
    for (size_t i = 1; i < n; i++) {
        size_t x = found[i], j = i;
        uint32_t size = s->spans[x].end - s->spans[x].start;
        while (j > 0 && s->spans[found[j - 1]].end -
                                s->spans[found[j - 1]].start > size) {
            found[j] = found[j - 1];
            j--;
        }
        found[j] = x;
    }
    for (size_t i = 0; i < n && !out_of_budget(s); i++) {
        span inner = s->spans[found[i]];
        buffer *c = &s->cand;
        buffer_clear(c);
        append_range(c, s->best, 0, outer.start);
        append_range(c, s->best, inner.start, inner.end);
        append_range(c, s->best, outer.end, s->best->n);
        if (consider(s, c))
            return true;
    }
    return false;
}

static bool replace_descendant(shrinker *s)
{
    bool any = false;
    for (size_t a = 0; a < s->nspans && !out_of_budget(s); a++)
        while (a < s->nspans && replace_one(s, a))
            any = true;
    return any;
}

/* Shortlex order of two ranges of best. */
static int compare_ranges(const buffer *b, const span *x, const span *y)
{
    size_t nx = x->end - x->start, ny = y->end - y->start;
    if (nx != ny)
        return nx < ny ? -1 : 1;
    for (size_t i = 0; i < nx; i++) {
        int c = choice_compare(b, &b->ch[x->start + i], b, &b->ch[y->start + i]);
        if (c)
            return c;
    }
    return 0;
}

/* The children of span `parent` (SIZE_MAX: top level) labelled `label`,
 * in order; returns how many (at most cap). */
static size_t siblings(const shrinker *s, size_t parent, uint64_t label,
                       size_t *out, size_t cap)
{
    uint32_t want = parent == SIZE_MAX ? UINT32_MAX : (uint32_t)parent;
    size_t n = 0;
    for (size_t k = parent == SIZE_MAX ? 0 : parent + 1; k < s->nspans; k++) {
        if (parent != SIZE_MAX && s->spans[k].start >= s->spans[parent].end)
            break;
        if (s->spans[k].parent == want && s->spans[k].label == label &&
            s->spans[k].end > s->spans[k].start && n < cap)
            out[n++] = k;
    }
    return n;
}

/* best with the sibling spans idx[0..n) holding the contents of
 * order[0..n) (spans of best, same count). */
static void build_reordered(shrinker *s, const size_t *idx, const span *order,
                            size_t n)
{
    buffer *c = &s->cand;
    buffer_clear(c);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        const span *slot = &s->spans[idx[i]];
        append_range(c, s->best, at, slot->start);
        append_range(c, s->best, order[i].start, order[i].end);
        at = slot->end;
    }
    append_range(c, s->best, at, s->best->n);
}

#define MAX_SIBLINGS 64

/* Sort runs of sibling spans with one label (list elements), else swap
 * neighbours that are out of order. */
static bool sort_siblings(shrinker *s)
{
    size_t idx[MAX_SIBLINGS];
    span order[MAX_SIBLINGS];
    bool any = false;
    for (size_t p = SIZE_MAX;; p = p == SIZE_MAX ? 0 : p + 1) {
        if (p != SIZE_MAX && p >= s->nspans)
            break;
        if (out_of_budget(s))
            break;
        /* Labels of p's children, one pass per distinct label. */
        for (size_t k = p == SIZE_MAX ? 0 : p + 1; k < s->nspans; k++) {
            if (p != SIZE_MAX && s->spans[k].start >= s->spans[p].end)
                break;
            uint32_t want = p == SIZE_MAX ? UINT32_MAX : (uint32_t)p;
            if (s->spans[k].parent != want)
                continue;
            size_t n = siblings(s, p, s->spans[k].label, idx, MAX_SIBLINGS);
            if (n < 2 || idx[0] != k)
                continue; /* handle each label once, at its first child */
            for (size_t i = 0; i < n; i++)
                order[i] = s->spans[idx[i]];
            /* Insertion sort by content: stable, and n is small. */
            bool sorted = true;
            for (size_t i = 1; i < n; i++) {
                span x = order[i];
                size_t j = i;
                while (j > 0 && compare_ranges(s->best, &order[j - 1], &x) > 0) {
                    order[j] = order[j - 1];
                    j--;
                    sorted = false;
                }
                order[j] = x;
            }
            if (sorted)
                continue;
            build_reordered(s, idx, order, n);
            if (consider(s, &s->cand)) {
                any = true;
                break; /* spans changed */
            }
            for (size_t i = 0; i + 1 < n; i++) {
                span a = s->spans[idx[i]], b = s->spans[idx[i + 1]];
                if (compare_ranges(s->best, &a, &b) <= 0)
                    continue;
                for (size_t j = 0; j < n; j++)
                    order[j] = s->spans[idx[j]];
                order[i] = b;
                order[i + 1] = a;
                build_reordered(s, idx, order, n);
                if (consider(s, &s->cand)) {
                    any = true;
                    break;
                }
            }
            if (any)
                break;
        }
        if (any)
            break;
    }
    return any;
}

/* ---- integers ------------------------------------------------------------------ */

/* The smallest index in (known_ok, fails] that still fails, trying the
 * candidates through try_index; fails is known to fail (the current one).
 * Probes upward from known_ok exponentially first, so that a small answer
 * in a huge range costs a few calls, then binary search. */
typedef bool (*index_try)(shrinker *s, void *ctx, uint64_t index);

static bool search_index(shrinker *s, void *ctx, index_try try_index,
                         uint64_t known_ok, uint64_t fails)
{
    bool any = false;
    uint64_t lo = known_ok, hi = fails;
    /* Probing pays off only when the answer may be far below hi: in a
     * small range a plain binary search is shorter. */
    for (uint64_t step = 1; hi - lo > 4096 && step < hi - lo &&
                            !out_of_budget(s); step *= 2) {
        if (try_index(s, ctx, lo + step)) {
            any = true;
            hi = lo + step;
            break;
        }
        lo += step;
        if (step > (UINT64_MAX >> 2))
            break;
    }
    while (lo + 1 < hi && !out_of_budget(s)) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (try_index(s, ctx, mid)) {
            any = true;
            hi = mid;
        } else {
            lo = mid;
        }
    }
    return any;
}

/* How far an integer choice is from its target; *above says whether it
 * lies above the target (in offset order), so that it moves down to it. */
static uint64_t distance_to_target(const choice *c, bool *above)
{
    uint64_t flip = c->kind == CHOICE_INT ? SIGN_BIT : 0;
    uint64_t ov = c->value ^ flip, ot = c->spec.target ^ flip;
    *above = ov > ot;
    return ov > ot ? ov - ot : ot - ov;
}

/* An integer choice searched by its distance from the target on one side:
 * on one side, a smaller distance is always a simpler value, so the search
 * is monotone where the index order (which alternates sides) is not. */
/* The smallest failing index in (known_ok, fails], expected near fails:
 * steps down from fails doubling each time, then binary search. */
static void search_down(shrinker *s, void *ctx, index_try try_index,
                        uint64_t known_ok, uint64_t fails)
{
    uint64_t lo = known_ok, hi = fails;
    for (uint64_t step = 1; hi - lo > step && !out_of_budget(s); step *= 2) {
        if (!try_index(s, ctx, hi - step)) {
            lo = hi - step;
            break;
        }
        hi -= step;
    }
    while (lo + 1 < hi && !out_of_budget(s)) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (try_index(s, ctx, mid))
            hi = mid;
        else
            lo = mid;
    }
}

typedef struct one_int {
    size_t i;
    choice_kind kind;
    choice_spec spec;
    bool below;    /* the side below the target (in offset order) */
    bool stale;    /* best no longer has this choice at i */
} one_int;

static uint64_t at_distance(const one_int *o, uint64_t d)
{
    uint64_t flip = o->kind == CHOICE_INT ? SIGN_BIT : 0;
    uint64_t t = o->spec.target ^ flip;
    return (o->below ? t - d : t + d) ^ flip;
}

static bool try_int_distance(shrinker *s, void *ctx, uint64_t d)
{
    one_int *o = ctx;
    if (o->stale)
        return false;
    bool ok = try_value(s, o->i, at_distance(o, d));
    if (ok && !is_kind(s, o->i, o->kind))
        o->stale = true;
    return ok;
}

/*
 * A large value whose neighbours pass: the failure may hang on its low
 * digits or bits, not its size (x % 1000, a hash bucket, a field packed in
 * the low bits), so that INT64_MAX fails for being 807 modulo 1000 and no
 * search by size gets below it.  Try the distance cut to its last 1, 2,
 * 3 ... decimal digits and its low 8, 16 and 32 bits, smallest first.
 */
#define TRUNCATE_FROM 1000

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static bool try_truncated(shrinker *s, one_int *o, uint64_t d)
{
    /* A power of two away is a bound (INT16_MIN, a buffer's size), and a
     * bound fails by its size. */
    if (d < TRUNCATE_FROM || (d & (d - 1)) == 0 || o->stale)
        return false;
    uint64_t cut[24];
    size_t n = 0;
    for (uint64_t m = 10; m < d && m <= UINT64_MAX / 10; m *= 10)
        cut[n++] = d % m;
    for (unsigned k = 8; k <= 32; k *= 2)
        if ((UINT64_C(1) << k) < d)
            cut[n++] = d & ((UINT64_C(1) << k) - 1);
    qsort(cut, n, sizeof cut[0], compare_u64);
    for (size_t k = 0; k < n; k++) {
        if (cut[k] == 0 || (k > 0 && cut[k] == cut[k - 1]))
            continue;
        if (try_int_distance(s, o, cut[k]))
            return true;
        if (o->stale)
            return false;
    }
    return false;
}

/* The pass: each large integer cut to its low digits or bits.  Second
 * tier: it costs a few calls per value that the other passes could not
 * lower, and is needed only where the failure hangs on a remainder. */
static bool truncate_ints(shrinker *s)
{
    bool any = false;
    for (size_t i = 0; i < s->best->n && !out_of_budget(s); i++) {
        const choice *c = &s->best->ch[i];
        if (!is_int(c) || c->forced)
            continue;
        bool above;
        uint64_t d = distance_to_target(c, &above);
        one_int o = {.i = i, .kind = (choice_kind)c->kind, .spec = c->spec,
                     .below = !above};
        any |= try_truncated(s, &o, d);
    }
    return any;
}

static bool minimise_int(shrinker *s, size_t i)
{
    const choice *c = &s->best->ch[i];
    one_int o = {.i = i, .kind = (choice_kind)c->kind, .spec = c->spec};
    bool above;
    uint64_t d = distance_to_target(c, &above);
    if (d == 0)
        return false;
    o.below = !above;
    if (try_int_distance(s, &o, 0))
        return true;
    bool any = false;
    /* The other side at the same distance is simpler (above first). */
    if (o.below && !o.stale) {
        one_int up = o;
        up.below = false;
        bool sg = o.kind == CHOICE_INT;
        if (int_fits(&o.spec, sg, at_distance(&up, d)) &&
            try_int_distance(s, &up, d)) {
            if (up.stale)
                return true;
            o.below = false;
            any = true;
        }
    }
    if (o.stale || d == 1)
        return any || o.stale;
    /* One or two steps toward the target first: when neither fails, a
     * search below would almost never find anything, and costs two calls
     * per bit of the value.  Two steps, because some failures skip a value
     * ("differ by exactly one": from (10, 11), 10 passes but 9 fails). */
    uint64_t start = d - 1;
    if (!try_int_distance(s, &o, start)) {
        if (o.stale)
            return true;
        /* Above the target, the value one step nearer on the other side
         * is simpler too (2 comes after -1). */
        one_int other = o;
        other.below = true;
        bool sg = o.kind == CHOICE_INT;
        if (!o.below && int_fits(&o.spec, sg, at_distance(&other, d - 1)) &&
            try_int_distance(s, &other, d - 1)) {
            if (other.stale)
                return true;
            o = other;
        } else if (other.stale) {
            return true;
        } else if (d == 2 || !try_int_distance(s, &o, d - 2)) {
            return any || o.stale;
        } else {
            start = d - 2;
        }
    }
    if (o.stale || start <= 1)
        return true;
    /* Is the failure wide (half the distance still fails) or a narrow
     * island near the current value (only neighbours of some other value
     * fail)?  Search all the way down only in the first case. */
    uint64_t half = start / 2;
    if (try_int_distance(s, &o, half)) {
        if (!o.stale && half > 1)
            search_index(s, &o, try_int_distance, 0, half);
    } else if (!o.stale) {
        search_down(s, &o, try_int_distance, half, start);
    }
    return true;
}

/* Lower every unforced integer equal to best->ch[i] from i on, together,
 * so that "two equal elements" shrinks without breaking the equality. */
typedef struct equal_ints {
    size_t i;
    choice_kind kind;
    choice_spec spec;
    uint64_t value;   /* their current common value */
    bool stale;
} equal_ints;

static bool try_equal_index(shrinker *s, void *ctx, uint64_t index)
{
    equal_ints *e = ctx;
    if (e->stale)
        return false;
    bool sg = e->kind == CHOICE_INT;
    uint64_t nv = int_from_index(&e->spec, sg, index);
    buffer_copy(&s->cand, s->best);
    for (size_t j = e->i; j < s->cand.n; j++) {
        choice *c = &s->cand.ch[j];
        if (c->kind == e->kind && c->value == e->value && !c->forced)
            c->value = int_clamp(&c->spec, sg, nv, sg);
    }
    if (!consider(s, &s->cand))
        return false;
    if (!is_kind(s, e->i, e->kind) || s->best->ch[e->i].value != nv)
        e->stale = true;
    e->value = nv;
    return true;
}

/* Run again on best as it left it, lower_equal would only search again
 * the values its exponential probe stepped over: each group is already at
 * the smallest failing value the search found, so a round with nothing
 * else changed skips it. */
static bool lower_equal(shrinker *s)
{
    if (s->lowered_equal == s->improvements + 1)
        return false;
    bool any = false;
    for (size_t i = 0; i < s->best->n && !out_of_budget(s); i++) {
        const choice *c = &s->best->ch[i];
        if (!is_int(c))
            continue;
        size_t same = 0;
        for (size_t j = i + 1; j < s->best->n; j++)
            same += s->best->ch[j].kind == c->kind &&
                    s->best->ch[j].value == c->value;
        if (!same)
            continue;
        equal_ints e = {.i = i, .kind = (choice_kind)c->kind, .spec = c->spec,
                        .value = c->value};
        bool sg = e.kind == CHOICE_INT;
        uint64_t cur = int_index(&e.spec, sg, e.value);
        if (cur == 0)
            continue;
        if (try_equal_index(s, &e, 0)) {
            any = true;
            continue;
        }
        any |= search_index(s, &e, try_equal_index, 0, cur);
    }
    if (!out_of_budget(s))
        s->lowered_equal = s->improvements + 1;
    return any;
}

/* Two integer choices i < j moved by the same amount d: `toward` says
 * whether j moves toward its target with i (lowering a pair by a common
 * offset keeps their difference) or away from it (moving value from i to
 * j keeps their sum). */
typedef struct int_pair {
    size_t i, j;
    choice_kind kind;
    uint64_t a, b;      /* values when the search began */
    bool down;          /* i's target is below it (in offset order) */
    bool together;      /* j moves the same way as i */
} int_pair;

/* ob (offset order) moved d down or up inside spec's range, wrapping
 * around its ends; ob itself when the range is the whole 64 bits wide
 * (then the move is plain modular arithmetic) or d is a whole lap. */
static uint64_t wrap_into(const choice_spec *spec, uint64_t flip, uint64_t ob,
                          uint64_t d, bool down)
{
    uint64_t lo = spec->lo ^ flip, hi = spec->hi ^ flip;
    uint64_t width = hi - lo + 1; /* 0: all 2^64 values */
    uint64_t rel = ob - lo;
    if (width == 0)
        return down ? ob - d : ob + d;
    d %= width;
    if (down)
        rel = rel >= d ? rel - d : width - (d - rel);
    else
        rel = width - rel > d ? rel + d : d - (width - rel);
    return lo + rel;
}

static bool try_pair_offset(shrinker *s, int_pair *p, uint64_t d)
{
    const choice *ci = &s->best->ch[p->i], *cj = &s->best->ch[p->j];
    bool sg = p->kind == CHOICE_INT;
    uint64_t flip = sg ? SIGN_BIT : 0;
    uint64_t oa = p->a ^ flip, ob = p->b ^ flip;
    bool j_down = p->together ? p->down : !p->down;
    uint64_t na = p->down ? oa - d : oa + d;
    uint64_t nb = j_down ? ob - d : ob + d;
    /* No wrap-around in offset order for i. */
    if (p->down ? na > oa : na < oa)
        return false;
    na ^= flip;
    if (!int_fits(&ci->spec, sg, na))
        return false;
    if (!p->together) {
        /* Moving value keeps the sum, modulo the width of j's range when
         * it runs off the end: {1, 32767} of int16 becomes {0, -32768},
         * which sums the same in 16 bits. */
        nb = wrap_into(&cj->spec, flip, ob, d, j_down);
        if (nb == ob && d)
            return false;
        nb ^= flip;
    } else {
        if (j_down ? nb > ob : nb < ob)
            return false;
        nb ^= flip;
        if (!int_fits(&cj->spec, sg, nb))
            return false;
    }
    buffer_copy(&s->cand, s->best);
    s->cand.ch[p->i].value = na;
    s->cand.ch[p->j].value = nb;
    return consider(s, &s->cand);
}

/* The label of the innermost span around each choice of best (0 outside
 * every span), into s->owner. */
static void find_owners(shrinker *s)
{
    if (s->owner_cap < s->best->n + 1) {
        s->owner_cap = 2 * (s->best->n + 1);
        s->owner = xrealloc(s->owner, s->owner_cap * sizeof *s->owner);
    }
    memset(s->owner, 0, (s->best->n + 1) * sizeof *s->owner);
    /* Spans are in order of start, so an inner span comes after its
     * outer one and overwrites it. */
    for (size_t k = 0; k < s->nspans; k++)
        for (uint32_t i = s->spans[k].start; i < s->spans[k].end; i++)
            s->owner[i] = s->spans[k].label;
}

/* For each pair of nearby integer choices that are values of the same kind
 * (the same innermost span label: two list elements, two arguments), move
 * both by the largest d that still fails.  A count and an element it counts
 * are not such a pair. */
static bool shift_pairs(shrinker *s, bool together)
{
    bool any = false;
    find_owners(s);
    size_t owners_for = s->best->n;
    for (size_t i = 0; i < s->best->n && !out_of_budget(s); i++) {
        for (size_t j = i + 1; j < s->best->n && j <= i + 8; j++) {
            if (out_of_budget(s))
                break;
            if (s->best->n != owners_for) {
                find_owners(s);
                owners_for = s->best->n;
            }
            const choice *ci = &s->best->ch[i], *cj = &s->best->ch[j];
            if (!is_int(ci) || !is_int(cj) || ci->kind != cj->kind ||
                s->owner[i] != s->owner[j])
                continue;
            int_pair p = {.i = i, .j = j, .kind = (choice_kind)ci->kind,
                          .a = ci->value, .b = cj->value,
                          .together = together};
            uint64_t far = distance_to_target(ci, &p.down);
            if (far == 0)
                continue;
            if (together) {
                bool jdown;
                uint64_t jfar = distance_to_target(cj, &jdown);
                if (jdown != p.down || jfar == 0)
                    continue;
                if (jfar < far)
                    far = jfar;
            }
            /* All the way first; else the largest amount that still
             * fails, by binary search (every amount measured from the
             * values the search began with).  Thresholds are usually near
             * the target, so the answer is near `far`: no probing up. */
            if (try_pair_offset(s, &p, far)) {
                any = true;
                continue;
            }
            uint64_t ok = 0, bad = far;
            while (ok + 1 < bad && !out_of_budget(s) &&
                   is_kind(s, i, p.kind) && is_kind(s, j, p.kind)) {
                uint64_t mid = ok + (bad - ok) / 2;
                if (try_pair_offset(s, &p, mid)) {
                    ok = mid;
                    any = true;
                } else {
                    bad = mid;
                }
            }
        }
    }
    return any;
}

/* Move an integer to its target and every later integer of the same kind
 * (same kind of choice, same innermost span label) by the same amount:
 * keys that must keep their order rise or fall together, as in a heap
 * whose root went from -1 to 0.  One candidate per choice. */
static bool shift_group(shrinker *s)
{
    bool any = false;
    find_owners(s);
    for (size_t i = 0; i < s->best->n && !out_of_budget(s); i++) {
        const choice *ci = &s->best->ch[i];
        if (!is_int(ci))
            continue;
        bool above;
        uint64_t d = distance_to_target(ci, &above);
        if (d == 0)
            continue;
        bool sg = ci->kind == CHOICE_INT;
        uint64_t flip = sg ? SIGN_BIT : 0, owner = s->owner[i];
        buffer_copy(&s->cand, s->best);
        size_t moved = 0;
        bool fits = true;
        for (size_t j = i; j < s->cand.n && fits; j++) {
            choice *c = &s->cand.ch[j];
            if (!is_int(c) || c->kind != ci->kind || s->owner[j] != owner)
                continue;
            uint64_t o = c->value ^ flip;
            uint64_t n = above ? o - d : o + d;
            if (above ? n > o : n < o) {
                fits = false;
                break;
            }
            n ^= flip;
            fits = int_fits(&c->spec, sg, n);
            c->value = n;
            moved++;
        }
        if (fits && moved > 2 && consider(s, &s->cand)) {
            any = true;
            find_owners(s);
        }
    }
    return any;
}

static bool lower_pairs(shrinker *s)
{
    return shift_pairs(s, true);
}

static bool move_value(shrinker *s)
{
    return shift_pairs(s, false);
}

/* best with integer choice i moved m steps toward its target and choices
 * [from, to) deleted. */
static bool try_decrement_delete(shrinker *s, size_t i, uint64_t m,
                                 size_t from, size_t to)
{
    const choice *c = &s->best->ch[i];
    bool above;
    uint64_t d = distance_to_target(c, &above);
    if (m > d || to > s->best->n)
        return false;
    one_int o = {.i = i, .kind = (choice_kind)c->kind, .spec = c->spec,
                 .below = !above};
    buffer *cand = &s->cand;
    buffer_clear(cand);
    append_range(cand, s->best, 0, from);
    append_range(cand, s->best, to, s->best->n);
    cand->ch[i].value = at_distance(&o, d - m);
    return consider(s, cand);
}

/* Decrement an integer and delete a span after it: a count and one of the
 * elements it counts go together.  After a success, twice as many at
 * once, then four times ..., and the same count again. */
static bool decrement_and_delete(shrinker *s)
{
    bool any = false;
    for (size_t i = 0; i < s->best->n && !out_of_budget(s); i++) {
        bool again = true;
        while (again && !out_of_budget(s) && i < s->best->n &&
               is_int(&s->best->ch[i])) {
            again = false;
            size_t tried = 0;
            for (size_t k = 0; k < s->nspans && tried < 4; k++) {
                span sp = s->spans[k];
                if (sp.start <= i || sp.end == sp.start)
                    continue;
                tried++;
                size_t len = sp.end - sp.start, before = s->best->n;
                if (!try_decrement_delete(s, i, 1, sp.start, sp.end))
                    continue;
                any = true;
                /* Repeat only while the buffer gets shorter: a deleted span
                 * the property draws again would make this a plain
                 * decrement, one step per call. */
                again = s->best->n < before;
                if (!again)
                    break;
                for (uint64_t m = 2; !out_of_budget(s); m *= 2)
                    if (!try_decrement_delete(s, i, m, sp.start,
                                              sp.start + m * len))
                        break;
                break;
            }
        }
    }
    return any;
}

/* Fewer fraction bits first: round x to k significant bits below its
 * leading one, for k = 0, 1, ..., and keep the first rounding that fails.
 * The key order is not monotone in value, so a binary search alone would
 * miss the simplest value inside a failing interval. */
static bool round_fraction_bits(shrinker *s, size_t i, double x,
                                const choice_spec *spec)
{
    int e;
    frexp(fabs(x), &e);
    for (int k = 0; k < 53 && !out_of_budget(s); k++) {
        double step = ldexp(1.0, e - 1 - k);
        double down = floor(x / step) * step, up = ceil(x / step) * step;
        double cands[2] = {fabs(down) <= fabs(up) ? down : up,
                           fabs(down) <= fabs(up) ? up : down};
        for (int c = 0; c < 2; c++) {
            double y = cands[c];
            if (double_to_bits(y) == double_to_bits(x))
                return false; /* already as simple as this rounding gets */
            if (double_fits(spec, y) && double_key(y) < double_key(x) &&
                try_value(s, i, double_to_bits(y)))
                return true;
            if (!is_kind(s, i, CHOICE_DOUBLE))
                return false;
        }
    }
    return false;
}

static bool minimise_double(shrinker *s, size_t i)
{
    const choice *c = &s->best->ch[i];
    choice_spec spec = c->spec;
    double x = bits_to_double(c->value);
    double simplest = double_simplest(&spec);
    if (double_to_bits(x) == double_to_bits(simplest))
        return false;
    if (try_value(s, i, double_to_bits(simplest)))
        return true;
    bool any = false;
    if (signbit(x) && double_fits(&spec, -x) &&
        try_value(s, i, double_to_bits(-x))) {
        any = true;
        x = -x;
    }
    if (!is_kind(s, i, CHOICE_DOUBLE))
        return any;
    if (isfinite(x) && x != trunc(x) && double_fits(&spec, trunc(x)) &&
        try_value(s, i, double_to_bits(trunc(x)))) {
        any = true;
        x = trunc(x);
    }
    if (!is_kind(s, i, CHOICE_DOUBLE))
        return any;
    x = bits_to_double(s->best->ch[i].value);
    if (isfinite(x) && x != 0 && round_fraction_bits(s, i, x, &spec))
        return true;
    bool neg = signbit(x);
    uint64_t lo = 0, hi = double_key(x);
    while (lo + 1 < hi && !out_of_budget(s)) {
        uint64_t mid = lo + (hi - lo) / 2;
        double y = double_from_key(mid);
        if (neg)
            y = -y;
        if (double_fits(&spec, y) && try_value(s, i, double_to_bits(y))) {
            any = true;
            if (!is_kind(s, i, CHOICE_DOUBLE))
                return true;
            hi = double_key(bits_to_double(s->best->ch[i].value));
            if (hi > mid)
                hi = mid;
        } else {
            lo = mid;
        }
    }
    return any;
}

/* best with bytes choice i replaced by data[0..len). */
static bool try_bytes(shrinker *s, size_t i, const uint8_t *data, size_t len)
{
    buffer_copy(&s->cand, s->best);
    s->cand.ch[i].len = (uint32_t)len;
    s->cand.ch[i].value = buffer_push_bytes(&s->cand, data, len);
    return consider_changed(s, i);
}

static bool minimise_bytes(shrinker *s, size_t i)
{
    bool any = false;
    size_t len = s->best->ch[i].len;
    /* The shortest the draw allows, all zeros, first: a blob the property
     * ignores goes in one call, whatever its length. */
    size_t min_len = (size_t)s->best->ch[i].spec.lo;
    if (min_len < len) {
        uint8_t *zeros = calloc(min_len + 1, 1);
        if (!zeros)
            gf_oom();
        bool ok = try_bytes(s, i, zeros, min_len);
        free(zeros);
        if (ok)
            return true;
        if (!is_kind(s, i, CHOICE_BYTES) || s->best->ch[i].len != len)
            return false;
    }
    uint8_t *work = xmalloc(len + 1);
    memcpy(work, buffer_bytes(s->best, &s->best->ch[i]), len);
    /* Shorter first: drop halves, then single bytes, from the end. */
    for (size_t w = len > 1 ? len / 2 : len; w >= 1 && !out_of_budget(s);
         w /= 2) {
        for (size_t at = len; at >= w && !out_of_budget(s);) {
            at -= w;
            uint8_t *tmp = xmalloc(len + 1);
            memcpy(tmp, work, at);
            memcpy(tmp + at, work + at + w, len - at - w);
            if (try_bytes(s, i, tmp, len - w)) {
                memcpy(work, tmp, len - w);
                len -= w;
                any = true;
                if (at > len)
                    at = len;
            }
            free(tmp);
            if (!is_kind(s, i, CHOICE_BYTES) || s->best->ch[i].len != len)
                goto done;
        }
        if (w == 1)
            break;
    }
    /* Then each byte toward zero. */
    for (size_t k = 0; k < len && !out_of_budget(s); k++) {
        uint8_t lo = 0, hi = work[k];
        if (hi == 0)
            continue;
        uint8_t orig = work[k];
        work[k] = 0;
        if (try_bytes(s, i, work, len)) {
            any = true;
        } else {
            work[k] = orig;
            while (lo + 1 < hi && !out_of_budget(s)) {
                uint8_t mid = (uint8_t)(lo + (hi - lo) / 2);
                work[k] = mid;
                if (try_bytes(s, i, work, len)) {
                    any = true;
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            work[k] = hi;
        }
        if (!is_kind(s, i, CHOICE_BYTES) || s->best->ch[i].len != len)
            break;
    }
done:
    free(work);
    return any;
}

/* The simplest value of choice c (its value if it has none to go to). */
static uint64_t simplest_value(const choice *c)
{
    switch (c->kind) {
    case CHOICE_INT:
    case CHOICE_UINT:
        return c->spec.target;
    case CHOICE_BOOL:
        return 0;
    case CHOICE_DOUBLE:
        return double_to_bits(double_simplest(&c->spec));
    default:
        return c->value;
    }
}

/* Choices [lo, hi) of best all to their simplest values, at once. */
static bool try_zero_range(shrinker *s, size_t lo, size_t hi)
{
    buffer_copy(&s->cand, s->best);
    bool changed = false;
    for (size_t i = lo; i < hi && i < s->cand.n; i++) {
        choice *c = &s->cand.ch[i];
        uint64_t v = simplest_value(c);
        if (!c->forced && v != c->value) {
            c->value = v;
            changed = true;
        }
    }
    return changed && consider(s, &s->cand);
}

/* Zero a range, else its halves: a few calls find the few choices that
 * matter among many that do not (delta debugging). */
static bool zero_halves(shrinker *s, size_t lo, size_t hi)
{
    if (lo >= hi || lo >= s->best->n || out_of_budget(s))
        return false;
    if (try_zero_range(s, lo, hi))
        return true;
    if (hi - lo == 1)
        return false;
    size_t mid = lo + (hi - lo) / 2;
    bool a = zero_halves(s, lo, mid);
    bool b = zero_halves(s, mid, hi);
    return a || b;
}

/* Every choice to its simplest value.  A count or a size that goes to its
 * simplest takes everything it governed with it, and a choice that goes to
 * zero often makes the others' searches short. */
static bool zero_choices(shrinker *s)
{
    return zero_halves(s, 0, s->best->n);
}

/* Is c at its simplest value already? */
static bool is_simplest(const buffer *b, const choice *c)
{
    if (c->kind != CHOICE_BYTES)
        return c->value == simplest_value(c);
    if (c->len != c->spec.lo)
        return false;
    const uint8_t *p = buffer_bytes(b, c);
    for (size_t k = 0; k < c->len; k++)
        if (p[k])
            return false;
    return true;
}

/* Choice i of best toward its simplest value, by its kind's search. */
static bool minimise_one(shrinker *s, size_t i)
{
    const choice *c = &s->best->ch[i];
    if (c->forced)
        return false;
    switch (c->kind) {
    case CHOICE_INT:
    case CHOICE_UINT:
        return minimise_int(s, i);
    case CHOICE_BOOL:
        return c->value && try_value(s, i, 0);
    case CHOICE_DOUBLE:
        return minimise_double(s, i);
    case CHOICE_BYTES:
        return minimise_bytes(s, i);
    }
    return false;
}

static bool minimise_choices(shrinker *s)
{
    bool any = false;
    for (size_t i = 0; i < s->best->n && !out_of_budget(s); i++)
        any |= minimise_one(s, i);
    return any;
}

/* Spans after k with k's label and exactly its choices, none overlapping
 * k or each other, into out (at most cap); how many. */
static size_t identical_copies(const shrinker *s, size_t k, size_t *out,
                               size_t cap)
{
    const span *sp = &s->spans[k];
    size_t n = 0, after = sp->end;
    for (size_t j = k + 1; j < s->nspans && n < cap; j++) {
        const span *o = &s->spans[j];
        if (o->start < after || o->label != sp->label)
            continue;
        if (compare_ranges(s->best, sp, o) == 0) {
            out[n++] = j;
            after = o->end;
        }
    }
    return n;
}

/* Is span k a copy of an earlier span (handled there)? */
static bool copies_earlier(const shrinker *s, size_t k)
{
    const span *sp = &s->spans[k];
    for (size_t j = 0; j < k; j++) {
        const span *o = &s->spans[j];
        if (o->label == sp->label && o->end <= sp->start &&
            compare_ranges(s->best, o, sp) == 0)
            return true;
    }
    return false;
}

/* A span inside span k deleted, and the same choices in each of k's
 * copies: equal strings lose a character together ("aaa" twice becomes
 * "aa" twice).  Innermost last first; true on the first success. */
static bool delete_in_copies(shrinker *s, size_t k, const size_t *copies,
                             size_t n)
{
    span sp = s->spans[k];
    bool *drop = calloc(s->best->n + 1, sizeof *drop);
    if (!drop)
        gf_oom();
    bool won = false;
    for (size_t d = s->nspans; d-- > k + 1 && !won && !out_of_budget(s);) {
        span in = s->spans[d];
        if (in.start < sp.start || in.end > sp.end || in.end == in.start ||
            (in.start == sp.start && in.end == sp.end))
            continue;
        memset(drop, 0, (s->best->n + 1) * sizeof *drop);
        for (uint32_t i = in.start; i < in.end; i++)
            drop[i] = true;
        for (size_t m = 0; m < n; m++) {
            size_t at = s->spans[copies[m]].start - sp.start;
            for (uint32_t i = in.start; i < in.end; i++)
                drop[i + at] = true;
        }
        buffer *c = &s->cand;
        buffer_clear(c);
        for (size_t i = 0; i < s->best->n; i++)
            if (!drop[i])
                append_range(c, s->best, i, i + 1);
        won = consider(s, c);
    }
    free(drop);
    return won;
}

/* Values that must stay equal, lowered together: for each span with
 * identical copies (same label, same choices: two equal strings, equal
 * records, repeated elements), each of its choices is minimised with every
 * candidate written into the copies too.  This is lower_equal for every
 * kind of choice and for values made of several choices, such as a text
 * character (a flag and an index) or a record (a flag and a weight). */
static bool lower_equal_spans(shrinker *s)
{
    bool any = false;
    for (size_t k = 0; k < s->nspans && !out_of_budget(s); k++) {
        span sp = s->spans[k];
        size_t len = sp.end - sp.start;
        /* A lone integer is lower_equal's. */
        if (len == 0 || (len == 1 && is_int(&s->best->ch[sp.start])))
            continue;
        size_t copies[MAX_MIRRORS];
        size_t n = identical_copies(s, k, copies, MAX_MIRRORS);
        if (n == 0 || copies_earlier(s, k))
            continue;
        if (delete_in_copies(s, k, copies, n)) {
            any = true;
            continue;
        }
        for (size_t off = 0; off < len && !out_of_budget(s); off++) {
            size_t i = sp.start + off;
            const choice *c = &s->best->ch[i];
            if (c->forced || is_simplest(s->best, c))
                continue;
            s->mirror_of = i;
            s->nmirror = n;
            for (size_t m = 0; m < n; m++)
                s->mirror[m] = s->spans[copies[m]].start + off;
            bool won = minimise_one(s, i);
            bool in_step = s->nmirror > 0;
            s->nmirror = 0;
            if (won) {
                any = true;
                /* The spans moved or changed: look at this one afresh. */
                if (!in_step || k >= s->nspans ||
                    s->spans[k].start != sp.start ||
                    s->spans[k].end != sp.end)
                    break;
                n = identical_copies(s, k, copies, MAX_MIRRORS);
                if (n == 0)
                    break;
            }
        }
    }
    return any;
}

/* ---- deleting with what depended on it ---------------------------------- */

/* Is span k an element of a collection: does it open with a "one more?"
 * flag that is set (gf_many's elements do)? */
static bool is_element(const shrinker *s, size_t k)
{
    const span *sp = &s->spans[k];
    if (sp->end == sp->start)
        return false;
    const choice *c = &s->best->ch[sp->start];
    return c->kind == CHOICE_BOOL && c->value == 1;
}

/* The span after span k with its parent and label (its next sibling),
 * or SIZE_MAX. */
static size_t next_sibling(const shrinker *s, size_t k)
{
    const span *sp = &s->spans[k];
    for (size_t j = k + 1; j < s->nspans; j++) {
        const span *o = &s->spans[j];
        if (o->parent == sp->parent && o->start >= sp->end)
            return o->label == sp->label ? j : SIZE_MAX;
        if (sp->parent != UINT32_MAX && o->start >= s->spans[sp->parent].end)
            break;
    }
    return SIZE_MAX;
}

/* The element after element span k (its next sibling, an element too), or
 * SIZE_MAX. */
static size_t next_element(const shrinker *s, size_t k)
{
    if (k >= s->nspans || !is_element(s, k))
        return SIZE_MAX;
    size_t j = next_sibling(s, k);
    return j != SIZE_MAX && is_element(s, j) ? j : SIZE_MAX;
}

/* Two neighbouring siblings at once: steps of a program that only make
 * sense together ("pop, push"), where deleting either alone passes. */
static bool delete_span_pairs(shrinker *s)
{
    bool any = false;
    for (size_t k = s->nspans; k-- > 0 && !out_of_budget(s);) {
        size_t j = next_element(s, k);
        if (j == SIZE_MAX)
            continue;
        span a = s->spans[k], b = s->spans[j];
        if (b.start == a.end && try_delete(s, a.start, b.end))
            any = true;
    }
    return any;
}

/* The candidate best without choices [from, to) and without choice
 * `also` (outside it, or SIZE_MAX for none). */
static void build_without(shrinker *s, size_t from, size_t to, size_t also)
{
    buffer *c = &s->cand;
    buffer_clear(c);
    for (size_t i = 0; i < s->best->n; i++)
        if ((i < from || i >= to) && i != also)
            append_range(c, s->best, i, i + 1);
}

/* Where choice i of best lands once [from, to) is deleted. */
static size_t after_delete(size_t i, size_t from, size_t to)
{
    return i < from ? i : i - (to - from);
}

/* Choice j of the candidate (an integer) one step toward its target. */
static bool step_toward_target(buffer *c, size_t j)
{
    choice *ch = &c->ch[j];
    bool above;
    uint64_t d = distance_to_target(ch, &above);
    if (d == 0)
        return false;
    one_int o = {.kind = (choice_kind)ch->kind, .spec = ch->spec,
                 .below = !above};
    ch->value = at_distance(&o, d - 1);
    return true;
}

/* Delete an element and fix up what depended on it: a count drawn after a
 * list that must equal its length drops by one with it; elements that
 * are positions in the list (indices, back-references) shift down by one
 * with it.  Two candidates per element span: each later integer of
 * another kind than the element's one step toward its target (the first
 * few such), and every later integer of the element's own kind one step
 * toward its target at once. */
#define DEPENDENTS_TRIED 3

/* How many siblings span k has after it. */
static uint64_t count_siblings(const shrinker *s, size_t k)
{
    uint64_t n = 0;
    for (size_t j = next_sibling(s, k); j != SIZE_MAX; j = next_sibling(s, j))
        n++;
    return n;
}

/* Could integer c count up to len, or be a position among len things:
 * above its target, and at most len away from it? */
static bool within_length(const choice *c, uint64_t len)
{
    bool above;
    uint64_t d = distance_to_target(c, &above);
    return d > 0 && above && d <= len;
}

/* Do the integers of kind `own` from `from` on all look like positions in
 * a list of len elements (each from its target to len)?  Then deleting an
 * element shifts them. */
static bool positions_like(const shrinker *s, size_t from, uint64_t own,
                           uint64_t len)
{
    bool any = false;
    for (size_t j = from; j < s->best->n; j++) {
        const choice *c = &s->best->ch[j];
        if (!is_int(c) || s->owner[j] != own)
            continue;
        bool above;
        uint64_t d = distance_to_target(c, &above);
        if (d > 0 && (!above || d > len))
            return false;
        any |= d > 0;
    }
    return any;
}

static bool delete_and_lower(shrinker *s)
{
    bool any = false;
    for (size_t k = s->nspans; k-- > 0 && !out_of_budget(s);) {
        if (k >= s->nspans)
            continue;
        span sp = s->spans[k];
        if (!is_element(s, k) || next_sibling(s, k) == SIZE_MAX)
            continue;
        find_owners(s);
        /* The kind of integer the element holds: its first one's owner. */
        uint64_t own = 0;
        bool has_int = false;
        for (size_t i = sp.start; i < sp.end && !has_int; i++)
            if (is_int(&s->best->ch[i])) {
                own = s->owner[i];
                has_int = true;
            }
        /* A count or a position in the list is at most its length. */
        uint64_t len = count_siblings(s, k) + 1;
        /* A count of the list's elements comes after the list. */
        size_t after = sp.parent == UINT32_MAX ? sp.end
                                               : s->spans[sp.parent].end;
        bool done = false;
        size_t tried = 0;
        for (size_t j = after; j < s->best->n && tried < DEPENDENTS_TRIED &&
                                !done && !out_of_budget(s); j++) {
            const choice *cj = &s->best->ch[j];
            if (!is_int(cj) || (has_int && s->owner[j] == own) ||
                !within_length(cj, len))
                continue;
            tried++;
            build_without(s, sp.start, sp.end, SIZE_MAX);
            step_toward_target(&s->cand, after_delete(j, sp.start, sp.end));
            done = consider(s, &s->cand);
        }
        if (!done && has_int && positions_like(s, sp.start, own, len)) {
            build_without(s, sp.start, sp.end, SIZE_MAX);
            bool moved = false;
            for (size_t j = sp.end; j < s->best->n; j++)
                if (is_int(&s->best->ch[j]) && s->owner[j] == own)
                    moved |= step_toward_target(
                        &s->cand, after_delete(j, sp.start, sp.end));
            done = moved && consider(s, &s->cand);
        }
        any |= done;
    }
    return any;
}

/* Delete an element together with a false flag of the element after it:
 * a flag that exists only because an element came before (a "same key as
 * an earlier one?") must go with it, or everything after it is read one
 * place off. */
#define CONDITIONAL_WINDOW 8

static bool delete_with_conditional(shrinker *s)
{
    bool any = false;
    for (size_t k = s->nspans; k-- > 0 && !out_of_budget(s);) {
        size_t j = next_element(s, k);
        if (j == SIZE_MAX)
            continue;
        span sp = s->spans[k], nx = s->spans[j];
        size_t stop = nx.start + CONDITIONAL_WINDOW;
        if (stop > nx.end)
            stop = nx.end;
        /* Not the first: that is what makes the next element exist. */
        for (size_t i = nx.start + 1; i < stop && !out_of_budget(s); i++) {
            const choice *c = &s->best->ch[i];
            if (c->kind != CHOICE_BOOL || c->forced || c->value)
                continue;
            build_without(s, sp.start, sp.end, i);
            if (consider(s, &s->cand)) {
                any = true;
                break;
            }
        }
    }
    return any;
}

/* ---- schedules ------------------------------------------------------------- */

/*
 * A race shrinks to the fewest tasks only if, with a task fewer, a
 * schedule that still fails is found: the old schedule's choices mean
 * another interleaving once a task is gone.  So for each way of removing
 * a task (an element deleted, a count lowered, both before the schedule
 * starts), the schedule is thrown away and searched again from the
 * simplest: none (every task runs to the end in turn), then one
 * preemption, at step 1, 2, ... of the first task, handing over to each
 * other task in turn, then two.  Fewer preemptions and earlier ones come
 * first, so the first failure met is the simplest schedule; the other
 * passes then shrink it further.  The same search on the failure as it is
 * (no task removed) simplifies its schedule.
 *
 * The scheduler's choices are known by their spans: gf_sched.step (the
 * random walk: which task next, and for how many steps), gf_sched.change
 * (PCT's priority change points) and gf_sched.priority.
 */
#define RESCHEDULE_EDITS 6
/* Calls one pass of reschedule may spend without success. */
#define RESCHEDULE_CALLS 600
#define ONE_PREEMPTION_STEPS 48
#define TWO_PREEMPTION_STEPS 8
#define HANDOVERS 3
/* Segments of the simplest schedule searched for a preemption, and the
 * fewest steps tried in each. */
#define MAX_SEGMENTS 8
#define MIN_SEGMENT_STEPS 6

static bool is_schedule_label(const shrinker *s, uint64_t label)
{
    return label == s->sched_step || label == s->sched_change ||
           label == s->sched_priority;
}

/* Where the first schedule choice of best is, or SIZE_MAX. */
static size_t schedule_start(const shrinker *s)
{
    size_t at = SIZE_MAX;
    for (size_t k = 0; k < s->nspans; k++)
        if (is_schedule_label(s, s->spans[k].label) && s->spans[k].start < at)
            at = s->spans[k].start;
    return at;
}

/* Run s->cand (improving best, or not) and keep its record in s->probe;
 * true if it improved best. */
static bool probe_candidate(shrinker *s)
{
    if (consider(s, &s->cand))
        return true;
    if (out_of_budget(s))
        return false;
    if (!s->ran_last) {
        uint32_t origin = 0;
        run_and_remember(s, &s->cand, &origin);
    }
    gf_case *tc = &s->run->tc;
    s->probe_steps = tc->sched_steps;
    buffer_copy(&s->probe, &tc->rec);
    free(s->probe_spans);
    s->probe_nspans = tc->nspans;
    s->probe_spans = xmalloc((tc->nspans ? tc->nspans : 1) * sizeof(span));
    if (tc->nspans)
        memcpy(s->probe_spans, tc->spans, tc->nspans * sizeof(span));
    return false;
}

/* The first span of the probe labelled `label` at or after choice `from`,
 * or NULL. */
static const span *probe_span(const shrinker *s, uint64_t label, size_t from)
{
    for (size_t k = 0; k < s->probe_nspans; k++)
        if (s->probe_spans[k].label == label &&
            s->probe_spans[k].start >= from &&
            s->probe_spans[k].end > s->probe_spans[k].start)
            return &s->probe_spans[k];
    return NULL;
}

/* s->cand: the probe's choices [0, to), then `tail` values (each an
 * unsigned choice; the replay fits them to what is drawn there). */
static void probe_with_tail(shrinker *s, size_t to, const uint64_t *tail,
                            size_t ntail)
{
    buffer *c = &s->cand;
    buffer_clear(c);
    append_range(c, &s->probe, 0, to);
    for (size_t i = 0; i < ntail; i++) {
        choice *ch = buffer_push(c);
        *ch = (choice){.kind = CHOICE_UINT, .value = tail[i],
                       .spec = {.lo = 0, .hi = UINT64_MAX}};
    }
}

/* The random walk: the first decision (which task, then for how many
 * steps) picks the first task for k steps, then hands over to the next
 * task (or the b-th other); then two preemptions, after k1 steps and k2
 * more.  What follows the tail is the simplest: run to the end. */
/* How far into the run a preemption can fall: the probe ran every task
 * to its end, so no task takes more steps than it took in all. */
static uint64_t preemption_steps(const shrinker *s, uint64_t most)
{
    return s->probe_steps && s->probe_steps < most ? s->probe_steps : most;
}

/* One preemption in segment `seg` of the probe (its span): the segments
 * before it as the probe ran them (each task to its end in turn), this one
 * cut after k steps, then a handover to the next task or the b-th other. */
static bool preempt_segment(shrinker *s, const span *seg, uint64_t k,
                            uint64_t b)
{
    uint64_t tail[3];
    size_t n = 0;
    if (seg->end - seg->start >= 2)
        tail[n++] = 0;
    tail[n++] = k;
    if (b)
        tail[n++] = b;
    probe_with_tail(s, seg->start, tail, n);
    return consider(s, &s->cand);
}

/* The random walk.  One preemption first, in each segment of the probe in
 * turn (the task that runs first, then the one after it, ...) after 1, 2,
 * ... of its steps: the earliest place first, wherever in the run the
 * failure needs it.  Then two preemptions in the first segment, after k1
 * steps and k2 more.  What follows the tail is the simplest: each task
 * runs to its end in turn. */
static bool research_walk(shrinker *s, const span *first)
{
    const span *segs[MAX_SEGMENTS];
    size_t nsegs = 0;
    for (const span *sp = first; sp && nsegs < MAX_SEGMENTS;
         sp = probe_span(s, s->sched_step, sp->end))
        segs[nsegs++] = sp;
    uint64_t one = preemption_steps(s, ONE_PREEMPTION_STEPS);
    uint64_t per = one / nsegs > MIN_SEGMENT_STEPS ? one / nsegs
                                                   : MIN_SEGMENT_STEPS;
    for (size_t j = 0; j < nsegs && !out_of_budget(s); j++) {
        uint64_t most = j == 0 ? one : (per < one ? per : one);
        for (uint64_t k = 1; k <= most && !out_of_budget(s); k++)
            for (uint64_t b = 0; b < HANDOVERS && !out_of_budget(s); b++)
                if (preempt_segment(s, segs[j], k, b))
                    return true;
    }
    bool has_pick = first->end - first->start >= 2;
    uint64_t two = preemption_steps(s, TWO_PREEMPTION_STEPS);
    for (uint64_t k1 = 1; k1 <= two && !out_of_budget(s); k1++)
        for (uint64_t k2 = 1; k2 <= two && !out_of_budget(s); k2++) {
            uint64_t tail[3];
            size_t n = 0;
            if (has_pick)
                tail[n++] = 0;
            tail[n++] = k1;
            tail[n++] = k2;
            probe_with_tail(s, first->start, tail, n);
            if (consider(s, &s->cand))
                return true;
        }
    return false;
}

/* PCT: priorities at their simplest (the probe has them so), the change
 * point at step 1, 2, ...; then two change points where there are two. */
static bool research_pct(shrinker *s)
{
    const span *c1 = probe_span(s, s->sched_change, 0);
    if (!c1)
        return false;
    size_t i1 = c1->start;
    const span *c2 = probe_span(s, s->sched_change, c1->end);
    uint64_t one = preemption_steps(s, ONE_PREEMPTION_STEPS);
    uint64_t two = preemption_steps(s, TWO_PREEMPTION_STEPS);
    for (uint64_t k = 1; k <= one && !out_of_budget(s); k++) {
        buffer_copy(&s->cand, &s->probe);
        s->cand.ch[i1].value = k;
        if (consider(s, &s->cand))
            return true;
    }
    if (!c2)
        return false;
    size_t i2 = c2->start;
    for (uint64_t k1 = 1; k1 <= two && !out_of_budget(s); k1++)
        for (uint64_t k2 = k1 + 1; k2 <= k1 + two && !out_of_budget(s); k2++) {
            buffer_copy(&s->cand, &s->probe);
            s->cand.ch[i1].value = k1;
            s->cand.ch[i2].value = k2;
            if (consider(s, &s->cand))
                return true;
        }
    return false;
}

/* s->cand holds an edit of best's data, cut where the schedule starts:
 * run it (it may fail already), then search its schedules. */
static bool research(shrinker *s)
{
    if (probe_candidate(s))
        return true;
    const span *walk = probe_span(s, s->sched_step, 0);
    if (walk)
        return research_walk(s, walk);
    return research_pct(s);
}

/* Out of budget, or this pass has spent its share of calls. */
static bool spent(shrinker *s, uint64_t calls0)
{
    return out_of_budget(s) || s->run->shrink_calls - calls0 >= RESCHEDULE_CALLS;
}

static bool reschedule(shrinker *s)
{
    size_t start = schedule_start(s);
    if (start == SIZE_MAX)
        return false;
    uint64_t calls0 = s->run->shrink_calls;
    /* No task removed: the same data, the simplest schedules. */
    buffer_clear(&s->cand);
    append_range(&s->cand, s->best, 0, start);
    if (research(s))
        return true;
    /* A task fewer, and the data it needs.  An element before the
     * schedule (a task's description) deleted, alone and with one of the
     * integers outside elements (a count of tasks, the stock they share)
     * a step lower; then those integers a step lower, alone and in pairs. */
    bool *in_element = calloc(start + 1, sizeof *in_element);
    if (!in_element)
        gf_oom();
    for (size_t k = 0; k < s->nspans; k++)
        if (s->spans[k].end <= start && is_element(s, k))
            for (size_t i = s->spans[k].start; i < s->spans[k].end; i++)
                in_element[i] = true;
    size_t ints[RESCHEDULE_EDITS], nints = 0;
    for (size_t i = 0; i < start && nints < RESCHEDULE_EDITS; i++) {
        const choice *c = &s->best->ch[i];
        if (is_int(c) && c->value != c->spec.target && !in_element[i])
            ints[nints++] = i;
    }
    free(in_element);
    bool won = false;
    size_t elements = 0;
    for (size_t k = 0; k < s->nspans && elements < RESCHEDULE_EDITS &&
                       !won && !spent(s, calls0); k++) {
        span sp = s->spans[k];
        if (sp.end > start || !is_element(s, k))
            continue;
        elements++;
        for (size_t a = 0; a <= nints && !won && !spent(s, calls0); a++) {
            build_without(s, sp.start, sp.end, SIZE_MAX);
            s->cand.n = start - (sp.end - sp.start);
            if (a > 0)
                step_toward_target(&s->cand,
                                   after_delete(ints[a - 1], sp.start, sp.end));
            won = research(s);
        }
    }
    for (size_t a = 0; a < nints && !won && !spent(s, calls0); a++)
        for (size_t b = a; b < nints && !won && !spent(s, calls0); b++) {
            buffer_clear(&s->cand);
            append_range(&s->cand, s->best, 0, start);
            step_toward_target(&s->cand, ints[a]);
            if (b != a)
                step_toward_target(&s->cand, ints[b]);
            won = research(s);
        }
    return won;
}

/* ---- scheduling -------------------------------------------------------------- */

typedef struct pass {
    const char *name;
    bool (*run)(shrinker *s);
    unsigned wins;
    /* 0: every round.  1: only once a round of the others has changed
     * nothing: edits that are needed now and then (and then matter) but
     * whose many candidates would cost every round. */
    unsigned tier;
} pass;

static const pass all_passes[] = {
    {"delete_discarded", delete_discarded, 0, 0},
    {"zero_choices", zero_choices, 0, 0},
    {"delete_spans", delete_spans, 0, 0},
    {"replace_descendant", replace_descendant, 0, 0},
    {"minimise", minimise_choices, 0, 0},
    {"sort_siblings", sort_siblings, 0, 0},
    {"lower_equal", lower_equal, 0, 0},
    {"lower_equal_spans", lower_equal_spans, 0, 0},
    {"lower_pairs", lower_pairs, 0, 0},
    {"move_value", move_value, 0, 0},
    {"shift_group", shift_group, 0, 0},
    {"decrement_and_delete", decrement_and_delete, 0, 0},
    {"delete_choice_pairs", delete_choice_pairs, 0, 0},
    {"delete_choices", delete_choices, 0, 1},
    {"delete_span_pairs", delete_span_pairs, 0, 1},
    {"delete_and_lower", delete_and_lower, 0, 1},
    {"delete_with_conditional", delete_with_conditional, 0, 1},
    {"truncate_ints", truncate_ints, 0, 1},
    {"reschedule", reschedule, 0, 1},
};
#define NPASSES (sizeof all_passes / sizeof all_passes[0])

static void shrinker_init(shrinker *s, gf_run_state *r, buffer *best,
                          uint32_t origin)
{
    memset(s, 0, sizeof *s);
    /* Generation filled the duplicate check to its limit: its passing cases
     * are of no use here, the outcomes of the candidates to come are. */
    if (r->seen.full) {
        size_t limit = r->seen.limit;
        seen_free(&r->seen);
        seen_init(&r->seen, limit, 64);
    }
    s->run = r;
    s->origin = origin;
    s->best = best;
    buffer_init(&s->cand);
    buffer_init(&s->work);
    s->max_stall = r->opt.max_shrink_calls ? r->opt.max_shrink_calls
                                           : DEFAULT_STALL_CALLS;
    s->deadline = now_seconds() + (r->opt.max_shrink_seconds > 0
                                       ? r->opt.max_shrink_seconds
                                       : SHRINK_DEFAULT_SECONDS);
    /* Not with cases in child processes already (isolate.c): their
     * shared memory serves one case at a time. */
    s->spec.allowed = shrink_speculate && !r->iso;
    buffer_init(&s->other);
    buffer_init(&s->probe);
    s->sched_step = gf_span_label("gf_sched.step");
    s->sched_change = gf_span_label("gf_sched.change");
    s->sched_priority = gf_span_label("gf_sched.priority");
}

static void shrinker_free(shrinker *s)
{
    if (s->spec.child)
        _exit(0); /* the speculating child has nothing more to say */
    spec_stop(s);
    buffer_free(&s->other);
    buffer_free(&s->probe);
    free(s->probe_spans);
    free(s->spans);
    free(s->bounds);
    free(s->owner);
    bv_free(&s->enc);
    bv_free(&s->cand_key);
    buffer_free(&s->cand);
    buffer_free(&s->work);
}

/* Run best once more with full recording (generation keeps neither spans
 * nor constraints).  False if it no longer fails the same way: flaky. */
static bool start_from(shrinker *s)
{
    uint32_t o = 0;
    if (run_and_remember(s, s->best, &o) != CASE_FAILED || o != s->origin)
        return false;
    buffer_copy(s->best, &s->run->tc.rec);
    keep_spans(s, &s->run->tc);
    if (process_role.worker || process_role.speculating)
        process_up.note_best(s->run, s->best, s->origin);
    s->stall = 0;
    return true;
}

/* One round of the passes of a tier, in order of wins; true if any
 * shrank best. */
static bool run_round(shrinker *s, pass *passes, unsigned tier)
{
    bool progress = false;
    for (size_t k = 0; k < NPASSES && !out_of_budget(s); k++) {
        if (passes[k].tier != tier)
            continue;
        if (passes[k].run(s)) {
            passes[k].wins++;
            progress = true;
        }
    }
    /* What has been working runs first next round (stable). */
    for (size_t k = 1; k < NPASSES; k++) {
        pass p = passes[k];
        size_t j = k;
        while (j > 0 && passes[j - 1].wins < p.wins) {
            passes[j] = passes[j - 1];
            j--;
        }
        passes[j] = p;
    }
    return progress;
}

void shrink_failure(gf_run_state *r, buffer *best, uint32_t origin)
{
    shrinker s;
    shrinker_init(&s, r, best, origin);
    pass passes[NPASSES];
    memcpy(passes, all_passes, sizeof passes);
    bool progress = start_from(&s);
    while (progress && !out_of_budget(&s))
        progress = run_round(&s, passes, 0) || run_round(&s, passes, 1);
    shrinker_free(&s);
}

bool shrink_one_pass(gf_run_state *r, buffer *best, uint32_t origin,
                     const char *name)
{
    shrinker s;
    shrinker_init(&s, r, best, origin);
    bool any = false;
    if (start_from(&s))
        for (size_t k = 0; k < NPASSES; k++)
            if (strcmp(all_passes[k].name, name) == 0)
                any = all_passes[k].run(&s);
    shrinker_free(&s);
    return any;
}
