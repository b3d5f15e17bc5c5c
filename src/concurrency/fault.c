/*
 * fault.c - fault points: whether a call fails, and how, as choices of the
 * case (gadfly/fault.h).
 *
 * The state of a case's points (the enabled patterns, each point's calls
 * and faults) lives in the case's arena and ends with the case.  A point
 * that no pattern enables draws nothing: adding points to a program must
 * not move the choices of any test that does not enable them.
 *
 * This file must never inject a fault into Gadfly itself: the decision is
 * refused while this thread is inside the engine's allocator (a wrapped
 * malloc called by xmalloc) or inside another decision (a draw that
 * reaches a wrapped call).
 */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <gadfly/fault.h>
#include <gadfly/sched.h>

#include "core/internal.h"

#define DEFAULT_RATE 0.1
#define FIRST_POINTS 8
/* The longest gap one choice describes: a gap of GAP_MAX passes GAP_MAX
 * calls and draws the next gap after them (two bytes of fuzzer input). */
#define GAP_MAX 65535

typedef struct fault_rule {
    const char *pattern;
    double rate;
    uint64_t budget;
    uint64_t after;
} fault_rule;

/* Where a point's next fault is: a choice says how many of its calls
 * (those that may fail) come before it. */
typedef enum plan {
    PLAN_DRAW,  /* the next call that may fail draws the gap */
    PLAN_WAIT,  /* `wait` more such calls pass, then the fault */
    PLAN_AGAIN, /* `wait` more calls pass, then the next gap is drawn */
    PLAN_NEVER  /* no more faults here (until the rule changes) */
} plan;

typedef struct fault_point {
    const char *name;
    const fault_rule *rule; /* the last rule matching the name, or NULL */
    uint64_t calls, faults;
    plan plan;
    uint64_t wait;
} fault_point;

struct fault_state {
    fault_rule rules[GF_FAULT_MAX_RULES];
    size_t nrules;
    fault_point *points;
    size_t npoints, cap;
    uint64_t faults;        /* injected in the case, at every point */
    unsigned deciding;      /* inside a decision: no fault fires */
};

static GF_NORETURN void fault_misuse(gf_case *tc, char *message)
{
    case_set_failure(tc, xstrdup("misuse"), message);
    case_escape(tc);
}

static const fault_rule *match(const struct fault_state *fs,
                               const char *name)
{
    for (size_t i = fs->nrules; i-- > 0;)
        if (fnmatch(fs->rules[i].pattern, name, 0) == 0)
            return fs->rules[i].rate > 0 ? &fs->rules[i] : NULL;
    return NULL;
}

static void add_rule(gf_case *tc, const char *pattern, double rate,
                     uint64_t budget, uint64_t after);

void gf_fault_enable(gf_case *tc, const char *pattern,
                     const gf_fault_options *opt)
{
    if (!tc)
        tc = gf_current();
    if (!tc)
        return;
    if (!pattern)
        fault_misuse(tc, xstrdup("gf_fault_enable: the pattern is NULL"));
    gf_fault_options o = opt ? *opt : (gf_fault_options){0};
    if (isnan(o.rate) || o.rate < 0 || o.rate > 1)
        fault_misuse(tc, xasprintf("gf_fault_enable(\"%s\"): rate %g is "
                                   "outside [0, 1]", pattern, o.rate));
    add_rule(tc, pattern, o.rate > 0 ? o.rate : DEFAULT_RATE, o.budget,
             o.after);
}

void gf_fault_disable(gf_case *tc, const char *pattern)
{
    if (!tc)
        tc = gf_current();
    if (!tc)
        return;
    if (!pattern)
        fault_misuse(tc, xstrdup("gf_fault_disable: the pattern is NULL"));
    add_rule(tc, pattern, 0, 0, 0);
}

static void add_rule(gf_case *tc, const char *pattern, double rate,
                     uint64_t budget, uint64_t after)
{
    struct fault_state *fs = tc->faults;
    if (!fs) {
        fs = gf_alloc(tc, sizeof *fs);
        memset(fs, 0, sizeof *fs);
        tc->faults = fs;
    }
    if (fs->nrules == GF_FAULT_MAX_RULES)
        fault_misuse(tc, xasprintf("gf_fault_enable(\"%s\"): more than %d "
                                   "patterns in one case", pattern,
                                   GF_FAULT_MAX_RULES));
    fault_rule *r = &fs->rules[fs->nrules++];
    r->pattern = gf_sprintf(tc, "%s", pattern);
    r->rate = rate;
    r->budget = budget;
    r->after = after;
    for (size_t i = 0; i < fs->npoints; i++) {
        fault_point *p = &fs->points[i];
        const fault_rule *now = match(fs, p->name);
        if (now != p->rule)
            p->plan = PLAN_DRAW; /* a new rate: a new gap */
        p->rule = now;
    }
}

static fault_point *find_point(gf_case *tc, struct fault_state *fs,
                               const char *name, bool create)
{
    for (size_t i = 0; i < fs->npoints; i++)
        if (strcmp(fs->points[i].name, name) == 0)
            return &fs->points[i];
    if (!create)
        return NULL;
    if (fs->npoints == fs->cap) {
        size_t cap = fs->cap ? 2 * fs->cap : FIRST_POINTS;
        fault_point *grown = gf_alloc(tc, cap * sizeof *grown);
        if (fs->npoints)
            memcpy(grown, fs->points, fs->npoints * sizeof *grown);
        fs->points = grown;
        fs->cap = cap;
    }
    fault_point *p = &fs->points[fs->npoints++];
    p->name = gf_sprintf(tc, "%s", name);
    p->rule = match(fs, name);
    p->calls = p->faults = 0;
    p->plan = PLAN_DRAW;
    p->wait = 0;
    return p;
}

/* The case a decision belongs to, or NULL when no fault may fire. */
static gf_case *deciding_case(gf_case *tc)
{
    if (!tc)
        tc = gf_current();
    if (!tc || !tc->faults || !tc->escape || tc->faults->deciding ||
        engine_allocating)
        return NULL;
    return tc;
}

/* Draws of a decision are not values of the report, and no fault fires
 * inside one. */
static void begin(gf_case *tc)
{
    tc->faults->deciding++;
    tc->gen_depth++;
}

static void end(gf_case *tc)
{
    tc->gen_depth--;
    tc->faults->deciding--;
}

/* The gap to a point's next fault, in calls that may fail: 0 (no more
 * faults), 1 (this call) .. GAP_MAX.  Generation draws it as the number
 * of calls up to the first failure when each fails with chance `rate`, so
 * faults come at the rate asked; shrinking lowers it like any integer, and
 * a lower gap is an earlier fault: the shrunk faults are at the first
 * calls that break the program, and 0, the simplest, is "no fault". */
static uint64_t draw_gap(gf_case *tc, double rate)
{
    double u = 1 - gf_rng_unit(&tc->rng); /* (0, 1] */
    double calls = floor(log(u) / log1p(-rate)) + 1;
    int64_t want = calls < GAP_MAX ? (int64_t)calls : GAP_MAX;
    return (uint64_t)gf_draw_int_suggested(tc, 0, GAP_MAX, want);
}

/* Count the call; true if it fails, with its span open for what the
 * fault draws next (injected closes it).  *out is the point. */
static bool decide(gf_case *tc, const char *point, fault_point **out)
{
    if (!point)
        fault_misuse(tc, xstrdup("a fault point's name is NULL"));
    fault_point *p = find_point(tc, tc->faults, point, true);
    p->calls++;
    *out = p;
    const fault_rule *r = p->rule;
    if (!r || p->calls <= r->after || (r->budget && p->faults >= r->budget))
        return false;
    uint64_t label = gf_span_label(p->name);
    if (r->rate >= 1) {
        gf_span_begin(tc, label); /* every call fails: nothing to decide */
        return true;
    }
    for (;;) {
        switch (p->plan) {
        case PLAN_NEVER:
            return false;
        case PLAN_WAIT:
        case PLAN_AGAIN:
            if (p->wait > 0) {
                p->wait--;
                return false;
            }
            if (p->plan == PLAN_WAIT) {
                p->plan = PLAN_DRAW;
                gf_span_begin(tc, label);
                return true;
            }
            p->plan = PLAN_DRAW;
            break;
        case PLAN_DRAW: {
            /* The gap and, when it is 1, the fault it leads to are one
             * span labelled by the point. */
            gf_span_begin(tc, label);
            uint64_t gap = draw_gap(tc, r->rate);
            if (gap == 1)
                return true;
            gf_span_end(tc, false);
            if (gap == 0) {
                p->plan = PLAN_NEVER;
                return false;
            }
            /* This call is the first of the gap. */
            p->plan = gap == GAP_MAX ? PLAN_AGAIN : PLAN_WAIT;
            p->wait = gap == GAP_MAX ? GAP_MAX - 1 : gap - 2;
            return false;
        }
        }
    }
}

static const char *base_name(const char *file)
{
    const char *slash = strrchr(file, '/');
    return slash ? slash + 1 : file;
}

/* Count a fault and list it in the report. */
static void injected(gf_case *tc, fault_point *p, const char *what,
                     const char *file, int line)
{
    struct fault_state *fs = tc->faults;
    gf_span_end(tc, false);
    p->faults++;
    fs->faults++;
    if (!tc->collect)
        return;
    if (fs->faults == 1)
        gf_note(tc, "faults injected, in order (point, fault, call):");
    if (file)
        gf_note(tc, "  %4" PRIu64 " %s: %s (call %" PRIu64 ") at %s:%d",
                fs->faults, p->name, what, p->calls, base_name(file), line);
    else
        gf_note(tc, "  %4" PRIu64 " %s: %s (call %" PRIu64 ")", fs->faults,
                p->name, what, p->calls);
}

static const char *errno_text(gf_case *tc, int err)
{
    const char *name = gf_errno_name(err);
    return name ? name : gf_sprintf(tc, "errno %d", err);
}

bool gf_fault_at(gf_case *tc, const char *point, const char *file, int line)
{
    if (!(tc = deciding_case(tc)))
        return false;
    begin(tc);
    fault_point *p;
    bool fail = decide(tc, point, &p);
    if (fail)
        injected(tc, p, "fails", file, line);
    end(tc);
    return fail;
}

int gf_fault_call_at(gf_case *tc, const char *point, const int *errs,
                     size_t n, size_t len, size_t *partial, const char *file,
                     int line)
{
    if (!(tc = deciding_case(tc)))
        return 0;
    bool can_short = partial && len >= 2;
    if ((n == 0 || !errs) && !can_short)
        fault_misuse(tc, xasprintf("fault point %s: no errno to inject and "
                                   "no transfer to shorten",
                                   point ? point : "(NULL)"));
    for (size_t i = 0; i < n; i++)
        if (errs[i] == 0)
            fault_misuse(tc, xasprintf("fault point %s: errno 0 in the list "
                                       "of errors", point ? point : "(NULL)"));
    begin(tc);
    fault_point *p;
    int result = 0;
    if (decide(tc, point, &p)) {
        size_t kinds = n + (can_short ? 1 : 0);
        size_t k = kinds == 1 ? 0 : (size_t)gf_draw_uint(tc, 0, kinds - 1);
        if (k < n) {
            result = errs[k];
            injected(tc, p, errno_text(tc, result), file, line);
        } else {
            *partial = (size_t)gf_draw_uint(tc, 1, len - 1);
            result = -1;
            injected(tc, p, gf_sprintf(tc, "short, %zu of %zu bytes",
                                       *partial, len),
                     file, line);
        }
    }
    end(tc);
    return result;
}

int gf_fault_errno_at(gf_case *tc, const char *point, const int *errs,
                      size_t n, const char *file, int line)
{
    gf_case *c = deciding_case(tc);
    if (c && (n == 0 || !errs))
        fault_misuse(c, xasprintf("gf_fault_errno(%s): no errno to inject",
                                  point ? point : "(NULL)"));
    return gf_fault_call_at(tc, point, errs, n, 0, NULL, file, line);
}

int gf_fault_pick_at(gf_case *tc, const char *point, const char *const *names,
                     size_t n, const char *file, int line)
{
    if (!(tc = deciding_case(tc)))
        return -1;
    if (n == 0 || !names)
        fault_misuse(tc, xasprintf("gf_fault_pick(%s): no fault to pick",
                                   point ? point : "(NULL)"));
    begin(tc);
    fault_point *p;
    int result = -1;
    if (decide(tc, point, &p)) {
        result = n == 1 ? 0 : (int)gf_draw_uint(tc, 0, n - 1);
        injected(tc, p, names[result] ? names[result] : "(unnamed)", file,
                 line);
    }
    end(tc);
    return result;
}

size_t gf_fault_short_at(gf_case *tc, const char *point, size_t len,
                         const char *file, int line)
{
    if (!(tc = deciding_case(tc)) || len < 2)
        return len;
    begin(tc);
    fault_point *p;
    size_t result = len;
    if (decide(tc, point, &p)) {
        result = (size_t)gf_draw_uint(tc, 1, len - 1);
        injected(tc, p, gf_sprintf(tc, "short, %zu of %zu bytes", result,
                                   len),
                 file, line);
    }
    end(tc);
    return result;
}

uint64_t gf_fault_delay_at(gf_case *tc, const char *point, uint64_t max_ns,
                           const char *file, int line)
{
    if (!(tc = deciding_case(tc)) || max_ns == 0)
        return 0;
    begin(tc);
    fault_point *p;
    uint64_t ns = 0;
    if (decide(tc, point, &p)) {
        ns = gf_draw_uint(tc, 1, max_ns);
        injected(tc, p, ns % 1000000 == 0
                            ? gf_sprintf(tc, "delay %" PRIu64 " ms", ns / 1000000)
                            : gf_sprintf(tc, "delay %" PRIu64 " ns", ns),
                 file, line);
    }
    end(tc);
    /* Slept outside the decision: other tasks run meanwhile, and their
     * own points must be free to fire. */
    if (ns && gf_task_self())
        gf_sleep_at(ns, file, line);
    return ns;
}

uint64_t gf_fault_count(gf_case *tc, const char *point)
{
    if (!tc)
        tc = gf_current();
    if (!tc || !tc->faults)
        return 0;
    if (!point)
        return tc->faults->faults;
    fault_point *p = find_point(tc, tc->faults, point, false);
    return p ? p->faults : 0;
}

uint64_t gf_fault_calls(gf_case *tc, const char *point)
{
    if (!tc)
        tc = gf_current();
    if (!tc || !tc->faults || !point)
        return 0;
    fault_point *p = find_point(tc, tc->faults, point, false);
    return p ? p->calls : 0;
}

const char *gf_errno_name(int err)
{
    switch (err) {
#define NAME(e) case e: return #e;
    NAME(EPERM) NAME(ENOENT) NAME(EINTR) NAME(EIO) NAME(ENXIO) NAME(E2BIG)
    NAME(EBADF) NAME(ECHILD) NAME(EAGAIN) NAME(ENOMEM) NAME(EACCES)
    NAME(EFAULT) NAME(EBUSY) NAME(EEXIST) NAME(EXDEV) NAME(ENODEV)
    NAME(ENOTDIR) NAME(EISDIR) NAME(EINVAL) NAME(ENFILE) NAME(EMFILE)
    NAME(ETXTBSY) NAME(EFBIG) NAME(ENOSPC) NAME(ESPIPE) NAME(EROFS)
    NAME(EMLINK) NAME(EPIPE) NAME(EDOM) NAME(ERANGE) NAME(EDEADLK)
    NAME(ENAMETOOLONG) NAME(ENOSYS) NAME(ENOTEMPTY) NAME(ELOOP)
    NAME(EOVERFLOW) NAME(EDQUOT) NAME(ENOTSOCK) NAME(EDESTADDRREQ)
    NAME(EMSGSIZE) NAME(EPROTOTYPE) NAME(EOPNOTSUPP) NAME(EAFNOSUPPORT)
    NAME(EADDRINUSE) NAME(EADDRNOTAVAIL) NAME(ENETDOWN) NAME(ENETUNREACH)
    NAME(ENETRESET) NAME(ECONNABORTED) NAME(ECONNRESET) NAME(ENOBUFS)
    NAME(EISCONN) NAME(ENOTCONN) NAME(ETIMEDOUT) NAME(ECONNREFUSED)
    NAME(EHOSTUNREACH) NAME(EALREADY) NAME(EINPROGRESS) NAME(ECANCELED)
#undef NAME
    default:
        return NULL;
    }
}
