/*
 * jobs.c - one property run over N worker processes (--jobs N).
 *
 * Each worker is forked once and runs its own slice of the property: a
 * shard of the seed's streams and its share of the trials (or the whole
 * --duration), with its own generation, shrinking and report.  Workers
 * send their result back through a pipe when they finish; nothing crosses
 * a process boundary per case.  The result is the workers' counts added
 * up and, if any failed, the failure of the lowest-numbered worker that
 * failed: the same seed and N give the same first failure.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/run.h"
#include "engine/shrink.h"
#include "engine/stats.h"
#include "engine/wire.h"
#include "isolate.h"
#include "report/observe.h"

#define MAX_JOBS 256

/* ---- the cases every worker has counted ------------------------------------ */

/*
 * Each worker checks its cases against a seen set of its own, which holds
 * the whole encodings; a case new there is then looked up here, among the
 * 64-bit hashes of every case any worker has counted.  Found: another
 * worker ran the same input, and it is a duplicate, not a case.  The table
 * is open addressing over shared memory, filled with compare-and-swap, so
 * no worker waits for another.  Two distinct inputs share a hash with
 * odds of about n^2 / 2^65 for n cases (1 in 10^9 at a million).  Past
 * half its capacity the table stops taking hashes and says so: from then
 * on a case run by two workers counts in both.
 */
#define JOBS_SEEN_MIN_BITS 16
#define JOBS_SEEN_MAX_BITS 26 /* 512 MiB of address space, touched as used */
#define JOBS_SEEN_PROBES 32

struct jobs_seen {
    uint64_t mask;
    uint64_t limit;         /* entries before it stops taking more */
    uint64_t entries;
    uint64_t full;          /* it stopped: cases past `limit` unchecked */
    uint64_t slots[];
};


static bool jobs_seen_add(jobs_seen *t, uint64_t hash)
{
    uint64_t h = hash ? hash : 1; /* 0 marks an empty slot */
    if (__atomic_load_n(&t->full, __ATOMIC_RELAXED))
        return true;
    for (uint64_t i = 0; i < JOBS_SEEN_PROBES; i++) {
        uint64_t *slot = &t->slots[(h + i) & t->mask];
        uint64_t cur = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
        if (cur == 0) {
            if (__atomic_add_fetch(&t->entries, 1, __ATOMIC_RELAXED) > t->limit)
                break;
            if (__atomic_compare_exchange_n(slot, &cur, h, false,
                                            __ATOMIC_ACQ_REL,
                                            __ATOMIC_ACQUIRE))
                return true;
            __atomic_sub_fetch(&t->entries, 1, __ATOMIC_RELAXED);
        }
        if (cur == h)
            return false;
    }
    __atomic_store_n(&t->full, 1, __ATOMIC_RELAXED);
    return true;
}

/* A table for a run of `trials` cases (0: a --duration run), or NULL. */
static jobs_seen *jobs_seen_map(uint64_t trials, size_t *size)
{
    unsigned bits = JOBS_SEEN_MIN_BITS;
    while (bits < JOBS_SEEN_MAX_BITS &&
           (trials == 0 || ((uint64_t)1 << bits) < 4 * trials))
        bits++;
    *size = sizeof(jobs_seen) + ((size_t)1 << bits) * sizeof(uint64_t);
    jobs_seen *t = mmap(NULL, *size, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (t == MAP_FAILED)
        return NULL;
    t->mask = ((uint64_t)1 << bits) - 1;
    t->limit = (uint64_t)1 << (bits - 1);
    return t;
}

/* ---- workers ---------------------------------------------------------------- */

/* Worker k of n: its shard of the streams and its share of the trials. */
static gf_options worker_options(const gf_options *opt, unsigned k, unsigned n)
{
    gf_options o = *opt;
    o.jobs = 1;
    o.quiet = true;     /* the parent prints the merged report */
    o.db_dir = NULL;    /* and keeps the failure database */
    unsigned index = opt->shard_count > 1 ? opt->shard_index : 1;
    unsigned count = opt->shard_count > 1 ? opt->shard_count : 1;
    o.shard_index = (index - 1) * n + k + 1;
    o.shard_count = count * n;
    if (!(opt->duration > 0)) {
        uint64_t trials = opt->trials ? opt->trials : 100;
        o.trials = trials / n + (k < trials % n);
        if (o.trials == 0)
            o.trials = 1;
    }
    return o;
}

static pid_t start_worker(const gf_property *p, const gf_options *o,
                          iso_shared *sh, volatile int *failed, jobs_seen *seen,
                          unsigned k, int *fd)
{
    int pipefd[2];
    if (pipe(pipefd) != 0)
        return -1;
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid < 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        return -1;
    }
    if (pid == 0) {
        /* A worker dies with the run, never outlives it. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        iso_forked_child();
        close(pipefd[0]);
        process_role.jobs_worker = true;
        process_role.worker = true;
        iso_worker = sh; /* a deadly case is handed to the parent */
        shrink_speculate = true; /* a failure's shrinking takes two cores */
        run_jobs_failed = failed;
        run_jobs_index = (int)k;
        run_jobs_seen = seen;
        gf_result r;
        gf_status st = gf_run(p, o, &r);
        wire_send_result(pipefd[1], st, &r);
        wire_put_string(pipefd[1], run_worker_stats);
        wire_put_string(pipefd[1], run_summary);
        close(pipefd[1]);
        fflush(NULL); /* what the property printed */
        _exit(0);
    }
    close(pipefd[1]);
    *fd = pipefd[0];
    return pid;
}

/* What a worker that died without reporting leaves: a failure (the
 * property killed its process), not a usage error; with no case to
 * replay, only what the worker printed before it died. */
static void worker_died(gf_result *r, const gf_property *p, unsigned k,
                        int wstatus)
{
    memset(r, 0, sizeof *r);
    r->origin = WIFSIGNALED(wstatus)
                    ? xasprintf("worker died (signal %d)", WTERMSIG(wstatus))
                    : xasprintf("worker died (_exit(%d))", WEXITSTATUS(wstatus));
    r->message = xasprintf("worker %u of the run ended without a result: the "
                           "property killed its process", k + 1);
    r->report = xasprintf("FAIL %s: %s (%s); run with --jobs 1 to have the "
                          "case caught, shrunk and replayed\n", p->name,
                          r->message, r->origin);
    r->failures = 1;
}

/* Merge the workers' results into *res: counts added, the first failure
 * (by worker number) kept whole. */
static gf_status merge(gf_result *all, gf_status *st, unsigned n,
                       gf_result *res)
{
    gf_status status = GF_PASSED;
    int first = -1;
    for (unsigned k = 0; k < n; k++) {
        res->cases += all[k].cases;
        res->passed += all[k].passed;
        res->discarded += all[k].discarded;
        res->duplicates += all[k].duplicates;
        res->unchecked += all[k].unchecked;
        res->shrinks += all[k].shrinks;
        res->shrink_calls += all[k].shrink_calls;
        if (first < 0 && (st[k] == GF_FAILED || st[k] == GF_ERROR))
            first = (int)k;
    }
    res->exhausted = true;
    for (unsigned k = 0; k < n; k++) {
        res->exhausted &= all[k].exhausted;
        res->interrupted |= all[k].interrupted;
    }
    if (first >= 0) {
        gf_result *f = &all[first];
        status = st[first];
        res->failures = f->failures;
        res->flaky = f->flaky;
        res->origin = f->origin;
        res->message = f->message;
        res->counterexample = f->counterexample;
        res->replay = f->replay;
        res->report = f->report;
        f->origin = f->message = f->counterexample = f->replay = NULL;
        f->report = NULL;
    } else if (res->passed == 0) {
        status = GF_GAVE_UP;
        res->report = all[0].report;
        res->message = all[0].message;
        all[0].report = all[0].message = NULL;
    }
    return status;
}

/*
 * --duration on a terminal: while the workers generate, a progress line
 * with their cases added up, twice a second, until every worker has
 * something to say on its pipe (its result, or its end) or the time is
 * past (then they are shrinking or finishing, and the usual wait takes
 * over).
 */
static void show_progress(const gf_property *p, const gf_options *opt,
                          const int *fds, unsigned n, double start)
{
    FILE *out = opt->out ? opt->out : stderr;
    if (!run_jobs_cases || opt->quiet || !(opt->duration > 0) ||
        !isatty(fileno(out)))
        return;
    struct pollfd pf[MAX_JOBS];
    unsigned waiting = 0;
    for (unsigned k = 0; k < n; k++) {
        pf[k].fd = fds[k];
        pf[k].events = POLLIN;
        waiting += fds[k] >= 0;
    }
    double deadline = start + opt->duration;
    bool shown = false;
    while (waiting && !run_interrupted() && now_seconds() < deadline + 1) {
        int got = poll(pf, n, 500);
        if (got < 0 && errno != EINTR)
            break;
        for (unsigned k = 0; got > 0 && k < n; k++)
            if (pf[k].fd >= 0 && pf[k].revents) {
                pf[k].fd = -1;
                waiting--;
            }
        uint64_t cases = 0;
        for (unsigned k = 0; k < n; k++)
            cases += run_jobs_cases[k];
        double now = now_seconds();
        run_progress_line(out, p->name, cases, now - start, deadline - now,
                          0);
        shown = true;
    }
    if (shown) {
        fputs("\r\033[K", out);
        fflush(out);
    }
}

static gf_status run_jobs(const gf_property *p, const gf_options *opt,
                          gf_result *res, stats *merged, observer *merged_obs)
{
    unsigned n = opt->jobs > MAX_JOBS ? MAX_JOBS : opt->jobs;
    gf_options base = *opt;
    if (!base.seed_set) {
        base.seed = run_fresh_seed();
        base.seed_set = true;
    }
    pid_t pids[MAX_JOBS];
    int fds[MAX_JOBS];
    iso_shared *shared[MAX_JOBS];
    gf_options opts[MAX_JOBS];
    gf_result all[MAX_JOBS];
    gf_status st[MAX_JOBS];
    memset(res, 0, sizeof *res);
    res->seed = base.seed;
    /* Workers above the lowest that failed stop early (it is reported);
     * each worker's flag says it is still generating (run.h). */
    size_t failed_size = (1 + MAX_JOBS) * sizeof(int);
    volatile int *failed = mmap(NULL, failed_size, PROT_READ | PROT_WRITE,
                                MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (failed == MAP_FAILED) {
        failed = NULL;
    } else {
        failed[0] = (int)n;
        for (unsigned k = 0; k < n; k++)
            failed[1 + k] = 1;
    }
    iso_continue_stopped();
    size_t seen_size = 0;
    jobs_seen *seen = jobs_seen_map(base.duration > 0 ? 0
                                    : base.trials ? base.trials : 100,
                                    &seen_size);
    /* Each worker's case count, for the parent's progress line. */
    size_t live_size = MAX_JOBS * sizeof(uint64_t);
    void *live = base.duration > 0
                     ? mmap(NULL, live_size, PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_ANONYMOUS, -1, 0)
                     : MAP_FAILED;
    run_jobs_cases = live == MAP_FAILED ? NULL : (volatile uint64_t *)live;
    double start = now_seconds();
    for (unsigned k = 0; k < n; k++) {
        opts[k] = worker_options(&base, k, n);
        shared[k] = iso_map(opts[k].max_choices ? opts[k].max_choices : 8192);
        pids[k] = start_worker(p, &opts[k], shared[k], failed, seen, k,
                               &fds[k]);
        if (pids[k] < 0) {
            if (failed)
                failed[1 + k] = 0;
            /* No process: run the slice here rather than lose it. */
            st[k] = gf_run(p, &opts[k], &all[k]);
            fds[k] = -1;
        }
    }
    show_progress(p, &base, fds, n, start);
    for (unsigned k = 0; k < n; k++) {
        if (pids[k] < 0)
            continue;
        iso_await_result(fds[k], pids[k]);
        bool ok = wire_receive_result(fds[k], &st[k], &all[k]);
        char *counts = NULL;
        if (ok && wire_get_string(fds[k], &counts) && counts && merged)
            stats_merge(merged, counts);
        free(counts);
        char *summary = NULL;
        if (ok && wire_get_string(fds[k], &summary) && summary && merged_obs)
            observer_merge(merged_obs, summary);
        free(summary);
        close(fds[k]);
        int wstatus = 0;
        while (waitpid(pids[k], &wstatus, 0) < 0 && errno == EINTR)
            ;
        if (failed)
            failed[1 + k] = 0; /* a worker that died generates no more */
        if (!ok) {
            gf_result_free(&all[k]);
            memset(&all[k], 0, sizeof all[k]);
            /* The case that killed it, taken over and shrunk here. */
            if (shared[k]) {
                st[k] = iso_take_over(p, &opts[k], shared[k], wstatus, &all[k]);
                /* What it counted before it died. */
                char *left = iso_taken_summary(shared[k]);
                const char *labels = summary_labels(left);
                if (left && merged_obs)
                    observer_merge(merged_obs, left);
                if (labels && merged)
                    stats_merge(merged, labels);
                free(left);
            } else {
                worker_died(&all[k], p, k, wstatus);
            }
            if (!shared[k] || st[k] != GF_FAILED)
                st[k] = GF_FAILED;
        }
    }
    for (unsigned k = 0; k < n; k++)
        iso_unmap(shared[k]);
    if (run_jobs_cases) {
        munmap(live, live_size);
        run_jobs_cases = NULL;
    }
    if (failed)
        munmap((void *)failed, failed_size);
    if (seen) {
        if (seen->full && !opt->quiet)
            fprintf(opt->out ? opt->out : stderr,
                    "gadfly: %s: past %llu cases the workers stopped "
                    "checking each other's cases: a case run by two of them "
                    "may count twice\n",
                    p->name, (unsigned long long)seen->limit);
        munmap(seen, seen_size);
    }
    gf_status status = merge(all, st, n, res);
    for (unsigned k = 0; k < n; k++)
        gf_result_free(&all[k]);
    res->status = status;
    if (!res->report && status == GF_ERROR)
        res->report = xasprintf("ERROR %s: %s\n", p->name,
                                res->message ? res->message : "");
    return status;
}

/* The engine runs --jobs through these (engine/role.h). */
__attribute__((constructor)) static void jobs_hooks(void)
{
    process_up.run_jobs = run_jobs;
    process_up.jobs_seen_add = jobs_seen_add;
}
