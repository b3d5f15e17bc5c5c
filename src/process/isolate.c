/*
 * isolate.c - properties in worker processes, and cases that kill them.
 *
 * Under gf_main (unless --no-fork) each property runs in a worker process,
 * forked once for the property, not per case.  The worker generates,
 * shrinks and reports as gf_run always does, and catches assertion
 * failures in-process.  A case that crashes (a signal, abort(), a stack
 * overflow), calls exit(), or outlives its timeout may have broken the
 * process (a heap it corrupted, a lock it held), so the worker goes no
 * further: it writes the case's encoding into memory it shares with its
 * parent and ends.  The parent, whose memory the property never touched,
 * takes the failure over and shrinks it in a child that goes on through
 * the crashes, then checks its answer in a fresh process (iso_shrink); if
 * that fails, a case server shrinks it, a child that runs candidates until
 * one ends it: the child's record of choices and spans lives in the
 * shared memory, so whatever the child did before it died is there to
 * read.  A worker that dies where nothing could be caught (_exit(), a
 * SIGKILL) is run once more with the same seed, this time recording into
 * the shared memory, and the case that killed it is taken from there.
 *
 * Slots of the shared record are marked unused (kind or open 0xFF) before
 * each case, so the parent counts what a dead child recorded.
 */
#include <alloca.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/dedup.h"
#include "core/hooks.h"
#include "engine/describe.h"
#include "engine/shrink.h"
#include "engine/watchdog.h"
#include "engine/wire.h"
#include "isolate.h"
#include "report/observe.h"
#include "store/db.h"

#define ENC_CAP ((size_t)1 << 20)   /* a handed-over case's encoding */
#define TEXT_CAP ((size_t)1 << 16)  /* a child's values and notes */
#define BYTES_CAP ((size_t)16 << 20)
#define UNUSED 0xFF
#define CHILD_DIED 70               /* exit status after publishing */
#define SUMMARY_CAP ((size_t)32 << 10) /* a worker's summary checkpoint */

struct iso_shared {
    size_t size;                    /* of the whole mapping */

    /* A worker's progress, and what it hands over when a case kills it. */
    volatile sig_atomic_t phase;
    volatile sig_atomic_t handed_over;
    bool live;                      /* a worker recording into `ch` */
    uint64_t seed;
    uint64_t cases, passed, discarded, duplicates;
    char origin[160], message[400];
    size_t enc_n;
    size_t best_n;                  /* 0: not shrinking yet */
    char best_origin[160];

    /* One case run by a child for its parent. */
    volatile sig_atomic_t done;     /* the case ended and this is filled */
    volatile sig_atomic_t died;     /* the child named its death, then died */
    int status;
    bool misaligned, too_big;
    uint64_t sched_steps;
    size_t rec_n, nbytes, nspans, pos;
    size_t values_n, notes_n;
    size_t ch_marked, spans_marked; /* slots that may be in use */

    size_t ch_cap, spans_cap;
    uint8_t *enc, *best;
    char *values, *notes;
    /* The worker's summary of its cases so far (observe.c), for the
     * reports of a run whose worker a case killed. */
    size_t summary_n;
    char summary[SUMMARY_CAP];
    choice *ch;
    span *spans;
    uint8_t *bytes;

    /* The case server's next case: its prefix, copied here by the parent. */
    size_t pre_n, pre_nbytes;
    choice *pre_ch;
    uint8_t *pre_bytes;

    /* A speculative shrinker's progress (iso_shrink), read by its parent:
     * calls run and steps taken so far, and once it has finished, the
     * length of its summary in `enc` (0 until then). */
    volatile uint64_t spec_calls, spec_shrinks;
    volatile size_t spec_done;

    /* The parent's side of its case server (only the parent reads these). */
    pid_t server;                   /* 0: none running */
    int server_fd, server_pidfd;
};

iso_shared *iso_worker;
iso_shared *iso_child;
iso_shared *iso_spec;

/* In a case server: its end of the socket to the parent, else -1. */
static int serving_fd = -1;

/* ---- the shared memory ------------------------------------------------- */

static size_t round_up(size_t n)
{
    return (n + 63) & ~(size_t)63;
}

static void mark_unused(iso_shared *sh, size_t nch, size_t nspans)
{
    for (size_t i = 0; i < nch && i < sh->ch_cap; i++)
        sh->ch[i].kind = UNUSED;
    for (size_t i = 0; i < nspans && i < sh->spans_cap; i++)
        sh->spans[i].open = UNUSED;
    sh->ch_marked = sh->spans_marked = 0;
}

iso_shared *iso_map(size_t max_choices)
{
    size_t ch_cap = max_choices + 2;
    size_t spans_cap = 4 * max_choices + 1024;
    size_t off_enc = round_up(sizeof(iso_shared));
    size_t off_best = off_enc + ENC_CAP;
    size_t off_values = off_best + ENC_CAP;
    size_t off_notes = off_values + TEXT_CAP;
    size_t off_ch = round_up(off_notes + TEXT_CAP);
    size_t off_spans = round_up(off_ch + ch_cap * sizeof(choice));
    size_t off_bytes = round_up(off_spans + spans_cap * sizeof(span));
    size_t off_pre_ch = round_up(off_bytes + BYTES_CAP);
    size_t off_pre_bytes = round_up(off_pre_ch + ch_cap * sizeof(choice));
    size_t size = off_pre_bytes + BYTES_CAP;
    void *m = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    iso_shared *sh = m;
    unsigned char *base = m;
    sh->size = size;
    sh->ch_cap = ch_cap;
    sh->spans_cap = spans_cap;
    sh->enc = base + off_enc;
    sh->best = base + off_best;
    sh->values = (char *)base + off_values;
    sh->notes = (char *)base + off_notes;
    sh->ch = (choice *)(void *)(base + off_ch);
    sh->spans = (span *)(void *)(base + off_spans);
    sh->bytes = base + off_bytes;
    sh->pre_ch = (choice *)(void *)(base + off_pre_ch);
    sh->pre_bytes = base + off_pre_bytes;
    sh->server_fd = sh->server_pidfd = -1;
    mark_unused(sh, ch_cap, spans_cap);
    return sh;
}

static void server_stop(iso_shared *sh);

void iso_unmap(iso_shared *sh)
{
    if (!sh)
        return;
    server_stop(sh);
    munmap(sh, sh->size);
}

/* Record tc's choices and spans in the shared memory from now on. */
static void lend_record(gf_case *tc, iso_shared *sh)
{
    buffer_free(&tc->rec);
    tc->rec.ch = sh->ch;
    tc->rec.cap = sh->ch_cap;
    tc->rec.bytes = sh->bytes;
    tc->rec.bcap = BYTES_CAP;
    tc->rec.lent = true;
    if (!tc->spans_lent)
        free(tc->spans);
    tc->spans = sh->spans;
    tc->spans_cap = sh->spans_cap;
    tc->nspans = 0;
    tc->spans_lent = true;
}

/* The run's counts, the case now running counted, for the parent should
 * the case kill this process. */
static void publish_counts(iso_shared *sh, const gf_run_state *r)
{
    uint64_t c[4];
    run_counts_now(r, c);
    sh->cases = c[0];
    sh->passed = c[1];
    sh->discarded = c[2];
    sh->duplicates = c[3];
}

void iso_live_reset(gf_case *tc)
{
    iso_shared *sh = iso_worker ? iso_worker : iso_child;
    if (!sh || tc->rec.ch != sh->ch) {
        /* The parent, before a child's case: mark what the last used. */
        return;
    }
    if (tc->run) /* counts so far, should this case kill the process */
        publish_counts(sh, tc->run);
    size_t nch = sh->ch_marked > tc->rec.n ? sh->ch_marked : tc->rec.n;
    size_t nsp = sh->spans_marked > tc->nspans ? sh->spans_marked : tc->nspans;
    mark_unused(sh, nch + 1, nsp + 1);
}

/* The core publishes a worker's case through these (core/hooks.h). */
__attribute__((constructor)) static void iso_hooks(void)
{
    core_up.live_value = iso_live_value;
    core_up.live_note = iso_live_note;
    core_up.live_notes_used = iso_live_notes_used;
    core_up.live_notes_rewind = iso_live_notes_rewind;
    core_up.live_reset = iso_live_reset;
}

/* ---- copying text without allocating --------------------------------- */

static void copy_text(char *dst, size_t cap, const char *src)
{
    size_t n = 0;
    if (src)
        while (src[n] && n + 1 < cap)
            n++;
    memcpy(dst, src ? src : "", n);
    dst[n] = '\0';
}

/* ---- stopped children ---------------------------------------------------- */

/* A property that raises SIGSTOP or SIGTSTP stops the process running it,
 * and nothing in a stopped process runs: not its watchdog, not its
 * timeout.  The parent is told (SIGCHLD) and starts it again, so the case
 * goes on as if the stop had been a pause. */
static struct sigaction chld_before;
static bool chld_caught;

static void on_child_stopped(int sig)
{
    (void)sig;
    int saved = errno;
    for (;;) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        if (waitid(P_ALL, 0, &si, WSTOPPED | WNOHANG) != 0 || si.si_pid == 0)
            break;
        kill(si.si_pid, SIGCONT);
    }
    errno = saved;
}

void iso_continue_stopped(void)
{
    if (chld_caught)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_child_stopped;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGCHLD, &sa, &chld_before) == 0)
        chld_caught = true;
}

void iso_forked_child(void)
{
    /* The property's own children are its business. */
    if (chld_caught) {
        sigaction(SIGCHLD, &chld_before, NULL);
        chld_caught = false;
    }
}

/* ---- in a worker or a child: a deadly case ----------------------------- */

void iso_case_died(gf_case *tc, const char *origin, const char *message)
{
    if (iso_child) {
        copy_text(iso_child->origin, sizeof iso_child->origin, origin);
        copy_text(iso_child->message, sizeof iso_child->message, message);
        iso_child->died = 1;
        /* A case server says so: its parent stops waiting for a result. */
        if (serving_fd >= 0 && write(serving_fd, "d", 1) < 0)
            _exit(CHILD_DIED);
        _exit(CHILD_DIED);
    }
    iso_shared *sh = iso_worker;
    if (!sh)
        return;
    copy_text(sh->origin, sizeof sh->origin, origin);
    copy_text(sh->message, sizeof sh->message, message);
    sh->enc_n = run_encode_case(tc, sh->enc, ENC_CAP);
    if (tc->run)
        publish_counts(sh, tc->run);
    sh->handed_over = 1;
    _exit(CHILD_DIED);
}

void iso_set_phase(int phase)
{
    if (iso_worker)
        iso_worker->phase = phase;
}

void iso_note_run(gf_run_state *r, uint64_t seed)
{
    iso_shared *sh = iso_worker;
    if (!sh)
        return;
    sh->seed = seed;
    if (sh->live)
        lend_record(&r->tc, sh);
}

void iso_note_best(gf_run_state *r, const buffer *best, uint32_t origin)
{
    iso_shared *sh = iso_worker ? iso_worker : iso_spec;
    if (!sh || (sh == iso_worker && sh->phase != ISO_SHRINK))
        return; /* only the first failure's shrinking */
    bytes_vec enc = {0};
    buffer_encode(best, &enc);
    if (enc.n <= ENC_CAP) {
        sh->best_n = 0; /* not valid while it changes */
        memcpy(sh->best, enc.p, enc.n);
        copy_text(sh->best_origin, sizeof sh->best_origin,
                  r->origins[origin]);
        sh->best_n = enc.n ? enc.n : (size_t)-1;
    }
    bv_free(&enc);
}

/* ---- in a child: publishing the report as it is made ------------------ */

static void append_text(char *area, size_t *used, const char *s, size_t n,
                        bool nul)
{
    size_t room = TEXT_CAP - *used;
    if (n + (nul ? 1 : 0) > room)
        return;
    memcpy(area + *used, s, n);
    *used += n;
    if (nul)
        area[(*used)++] = '\0';
}

void iso_live_value(gf_case *tc)
{
    iso_shared *sh = tc->live;
    gf_printer p;
    printer_init(&p);
    run_format_drawn(&p, &tc->drawn[tc->ndrawn - 1], tc->ndrawn - 1);
    char *text = printer_take(&p);
    append_text(sh->values, &sh->values_n, text, strlen(text), false);
    free(text);
}

void iso_live_note(gf_case *tc, const char *note)
{
    iso_shared *sh = tc->live;
    append_text(sh->notes, &sh->notes_n, note, strlen(note), true);
}

size_t iso_live_notes_used(const gf_case *tc)
{
    return tc->live->notes_n;
}

void iso_live_notes_rewind(gf_case *tc, size_t used)
{
    iso_shared *sh = tc->live;
    if (used < sh->notes_n)
        sh->notes_n = used;
}

/* ---- in the parent: one case in a child ------------------------------- */

static void publish_result(iso_shared *sh, const gf_case *tc)
{
    sh->status = tc->status;
    sh->rec_n = tc->rec.n;
    sh->nbytes = tc->rec.nbytes;
    sh->nspans = tc->nspans;
    sh->pos = tc->pos;
    sh->misaligned = tc->misaligned;
    sh->sched_steps = tc->sched_steps;
    /* A record that outgrew the shared memory is not there to read. */
    sh->too_big = !tc->rec.lent || !tc->spans_lent;
    if (tc->status == CASE_FAILED) {
        copy_text(sh->origin, sizeof sh->origin, tc->origin);
        copy_text(sh->message, sizeof sh->message, tc->message);
    }
    sh->done = 1;
}

/*
 * Start the property at the same depth below the start of its thread
 * whichever thread runs it.  A stack overflow's shrink candidates run in
 * the case server's loop (serve_cases; overflows are not shrunk
 * speculatively, iso_shrink) and the final replay, which collects the
 * report, in a child's own thread (run_child_case): their frames above
 * the case differ by some hundred bytes, and by how the compiler laid them
 * out.  A property that overflows its stack shrinks to the shallowest case
 * that overflows, with no room to spare, so those bytes were enough for
 * the shrunk case to pass on the replay (examples/json_depth did, after an
 * unrelated change to the library moved them).  Both threads' start
 * routines are entered with the stack at the same depth (glibc's own
 * frames and the thread's TLS above it are the same), so `top`, the frame
 * of the start routine, is the same place in both; CASE_STACK_PAD bytes
 * below it is deeper than either path's frames.  The pad is a multiple of
 * 16 bytes off between the paths, as the frames are, so the property's
 * frame lands at the same depth in both.
 */
#define CASE_STACK_PAD 4096

static __attribute__((noinline)) void execute_below(gf_case *tc,
                                                    gf_property_fn fn)
{
    case_execute(tc, fn);
}

static __attribute__((noinline)) void execute_at_fixed_depth(
    gf_case *tc, gf_property_fn fn, uintptr_t top)
{
    volatile unsigned char here = 0;
    uintptr_t sp = (uintptr_t)&here;
    size_t used = top > sp ? top - sp : CASE_STACK_PAD;
    if (used < CASE_STACK_PAD) {
        volatile unsigned char *pad = alloca(CASE_STACK_PAD - used);
        pad[0] = here;
        execute_below(tc, fn);
        return;
    }
    execute_below(tc, fn);
}

/* The case, on a thread of its own in the child. */
typedef struct child_case {
    gf_case *tc;
    gf_property_fn fn;
} child_case;

static void *run_child_case(void *arg)
{
    child_case *cc = arg;
    static unsigned char altstack[1 << 16];
    stack_t old;
    case_thread_begin(altstack, sizeof altstack, &old);
    execute_at_fixed_depth(cc->tc, cc->fn,
                           (uintptr_t)__builtin_frame_address(0));
    case_thread_end(&old);
    return NULL;
}

/*
 * Run the case at the top of a fresh stack as large as this thread's.  The
 * shrinker calls from deep frames; a property that overflows its stack
 * would otherwise shrink to a depth that overflows only there, and its
 * replay (from shallower frames) would pass.  From the top of a full stack
 * the shrunk case overflows wherever it runs.
 */
static void execute_on_fresh_stack(gf_case *tc, gf_property_fn fn)
{
    size_t size = case_stack_size();
    pthread_attr_t attr;
    pthread_t thread;
    child_case cc = {.tc = tc, .fn = fn};
    if (size >= (size_t)PTHREAD_STACK_MIN && pthread_attr_init(&attr) == 0) {
        bool ok = pthread_attr_setstacksize(&attr, size) == 0 &&
                  pthread_create(&thread, &attr, run_child_case, &cc) == 0;
        pthread_attr_destroy(&attr);
        if (ok) {
            pthread_join(thread, NULL);
            return;
        }
    }
    case_execute(tc, fn);
}

static void silence_output(void)
{
    int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    dup2(fd, 1);
    dup2(fd, 2);
    close(fd);
}

/* A descriptor that polls readable when the process ends, or -1 (a
 * kernel before 5.3).  Its end, not its pipe's: a grandchild the property
 * left behind may hold the pipe open long after. */
static int pid_fd(pid_t pid)
{
#ifdef SYS_pidfd_open
    long fd = syscall(SYS_pidfd_open, pid, 0);
    if (fd >= 0) {
        fcntl((int)fd, F_SETFD, FD_CLOEXEC);
        return (int)fd;
    }
#else
    (void)pid;
#endif
    return -1;
}

/* Wait until the worker sends, or has ended: then all it sent is in the
 * pipe, and a grandchild holding the pipe open must not make the read
 * wait for more (the pipe is made non-blocking). */
void iso_await_result(int fd, pid_t pid)
{
    int pidfd = pid_fd(pid);
    while (pidfd >= 0) {
        struct pollfd pf[2] = {{.fd = fd, .events = POLLIN},
                               {.fd = pidfd, .events = POLLIN}};
        int n = poll(pf, 2, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n > 0 && pf[1].revents)
            fcntl(fd, F_SETFL, O_NONBLOCK);
        close(pidfd);
        pidfd = -1;
    }
}

/* Wait for the child's end (its process ending, or else its end of the
 * pipe closing) for up to timeout seconds (none if <= 0); false if the
 * time ran out. */
static bool wait_for_end(int fd, int pidfd, double timeout)
{
    double deadline = now_seconds() + timeout;
    for (;;) {
        int ms = -1;
        if (timeout > 0) {
            double left = deadline - now_seconds();
            if (left <= 0)
                return false;
            /* A timeout of up to a year is more milliseconds than an
             * int holds: wake and look again. */
            ms = left > 1e6 ? 1000000000 : (int)ceil(left * 1000.0);
        }
        struct pollfd p[2] = {{.fd = fd, .events = POLLIN},
                              {.fd = pidfd, .events = POLLIN}};
        int n = poll(p, pidfd >= 0 ? 2 : 1, ms);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return true; /* cannot wait: take what waitpid says */
        if (n == 0)
            return false;
        if (pidfd >= 0 && p[1].revents)
            return true;
        if (!p[0].revents)
            continue;
        char c;
        ssize_t got = read(fd, &c, 1);
        if (got <= 0 && !(got < 0 && errno == EINTR))
            return true;
    }
}

/* How a child that did not finish its case died. */
static void death_of(iso_shared *sh, int wstatus, bool timed_out,
                     double timeout, char *origin, size_t ocap,
                     char *message, size_t mcap)
{
    if (sh->died) {
        copy_text(origin, ocap, sh->origin);
        copy_text(message, mcap, sh->message);
    } else if (timed_out) {
        copy_text(origin, ocap, "timeout");
        snprintf(message, mcap, "the case ran longer than the timeout "
                 "(%g s)", timeout);
    } else if (WIFSIGNALED(wstatus)) {
        describe_signal(WTERMSIG(wstatus), origin, ocap, message, mcap);
    } else {
        describe_exit(WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, origin,
                      ocap, message, mcap);
    }
}

/* Count what a dead process recorded in the shared slots. */
static void count_recorded(iso_shared *sh, size_t *nch, size_t *nbytes,
                           size_t *nspans)
{
    /* The child may have written anywhere before it died: take only what
     * reads as a record, and nothing outside the shared memory. */
    size_t n = 0, nb = 0, ns = 0;
    while (n < sh->ch_cap && sh->ch[n].kind <= CHOICE_BYTES) {
        const choice *c = &sh->ch[n];
        if (c->kind == CHOICE_BYTES) {
            if (c->value > BYTES_CAP || c->len > BYTES_CAP - c->value)
                break;
            if (c->len && c->value + c->len > nb)
                nb = (size_t)c->value + c->len;
        }
        n++;
    }
    while (ns < sh->spans_cap && sh->spans[ns].open != UNUSED) {
        span *s = &sh->spans[ns];
        if (s->open) {
            s->end = (uint32_t)n;
            s->open = 0;
        }
        if (s->end > n)
            s->end = (uint32_t)n;
        if (s->start > s->end)
            s->start = s->end;
        if (s->parent != UINT32_MAX && s->parent >= ns)
            s->parent = UINT32_MAX;
        ns++;
    }
    *nch = n;
    *nbytes = nb;
    *nspans = ns;
}

static void take_notes(gf_case *tc, const iso_shared *sh)
{
    size_t i = 0;
    while (i < sh->notes_n) {
        const char *note = sh->notes + i;
        size_t len = strlen(note);
        if (tc->nnotes == tc->notes_cap) {
            tc->notes_cap = tc->notes_cap ? 2 * tc->notes_cap : 8;
            tc->notes = xrealloc(tc->notes, tc->notes_cap * sizeof *tc->notes);
        }
        tc->notes[tc->nnotes++] = xstrdup(note);
        i += len + 1;
    }
}

/* How a child process running a case ended, seen from the parent. */
typedef struct case_end {
    bool ended;     /* false: it outlived the timeout and was killed */
    int wstatus;    /* its wait status, if it is gone and was reaped */
    char *error;    /* it could not be started: why (malloc'd) */
} case_end;

/* The case in a child process of its own, which ends with it. */
static case_end run_in_own_child(gf_run_state *r)
{
    iso_shared *sh = r->iso;
    gf_case *tc = &r->tc;
    case_end end = {.ended = true};
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        end.error = xasprintf("cannot make a pipe to run a case: %s",
                              strerror(errno));
        return end;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        end.error = xasprintf("cannot fork to run a case: %s",
                              strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return end;
    }
    if (pid == 0) {
        close(fds[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        iso_forked_child();
        iso_child = sh;
        process_role.case_child = true;
        if (tc->collect)
            tc->live = sh;
        else
            silence_output(); /* crash reports of every candidate: noise */
        execute_on_fresh_stack(tc, r->prop->fn);
        publish_result(sh, tc);
        fflush(NULL);
        _exit(0);
    }
    close(fds[1]);
    int pidfd = pid_fd(pid);
    end.ended = wait_for_end(fds[0], pidfd, tc->timeout);
    close(fds[0]);
    if (pidfd >= 0)
        close(pidfd);
    if (!end.ended)
        kill(pid, SIGKILL);
    while (waitpid(pid, &end.wstatus, 0) < 0 && errno == EINTR)
        ;
    return end;
}

/* ---- in the parent: the case server ------------------------------------- */

/*
 * Shrinking a case that kills its process would cost a fork per candidate
 * if each ran in a child of its own.  A case server is one child process
 * that runs candidates one after another, as a worker runs its cases, until
 * one of them kills it (a crash, exit(), a timeout); the next candidate
 * starts a new server.  Each candidate's prefix is copied into the shared
 * memory; one byte on a socket starts it, one byte back says it finished
 * ('r') or that it named its death and is ending ('d').  The parent reads
 * what a dead server recorded only once the process is gone.
 */

/* End the server (killed first if kill_it) and reap it; its wait status. */
static int server_end(iso_shared *sh, bool kill_it)
{
    int wstatus = 0;
    if (!sh->server)
        return wstatus;
    if (kill_it)
        kill(sh->server, SIGKILL);
    close(sh->server_fd);
    if (sh->server_pidfd >= 0)
        close(sh->server_pidfd);
    while (waitpid(sh->server, &wstatus, 0) < 0 && errno == EINTR)
        ;
    sh->server = 0;
    sh->server_fd = sh->server_pidfd = -1;
    return wstatus;
}

static void server_stop(iso_shared *sh)
{
    server_end(sh, true);
}

/* In the server: run the cases the parent sends until it closes the
 * socket (or a case ends the process). */
typedef struct server_job {
    gf_run_state *r;
    iso_shared *sh;
} server_job;

static void *serve_cases(void *arg)
{
    server_job *job = arg;
    gf_run_state *r = job->r;
    iso_shared *sh = job->sh;
    gf_case *tc = &r->tc;
    static unsigned char altstack[1 << 16];
    stack_t old;
    case_thread_begin(altstack, sizeof altstack, &old);
    /* Ready: a case's timeout starts when it is sent, not before. */
    if (write(serving_fd, "s", 1) != 1)
        return NULL;
    uintptr_t top = (uintptr_t)__builtin_frame_address(0);
    for (;;) {
        char c;
        ssize_t got = read(serving_fd, &c, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got != 1)
            break;
        /* A record that outgrew the shared memory went to the heap:
         * back to the shared memory for this case. */
        if (!tc->rec.lent || !tc->spans_lent)
            lend_record(tc, sh);
        buffer prefix = {.ch = sh->pre_ch, .n = sh->pre_n, .cap = sh->ch_cap,
                         .bytes = sh->pre_bytes, .nbytes = sh->pre_nbytes,
                         .bcap = BYTES_CAP, .lent = true};
        /* The parent publishes the run's counts, not this process. */
        gf_run_state *run = tc->run;
        tc->run = NULL;
        case_reset(tc, &prefix, TAIL_SIMPLEST, 1.0);
        tc->run = run;
        execute_at_fixed_depth(tc, r->prop->fn, top);
        publish_result(sh, tc);
        if (write(serving_fd, "r", 1) != 1)
            break;
    }
    case_thread_end(&old);
    return NULL;
}

static bool server_start(gf_run_state *r)
{
    iso_shared *sh = r->iso;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return false;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return false;
    }
    if (pid == 0) {
        close(sv[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        iso_forked_child();
        iso_child = sh;
        process_role.case_child = true;
        serving_fd = sv[1];
        silence_output(); /* crash reports of every candidate: noise */
        /* At the top of a fresh stack as large as this thread's, for the
         * reason execute_on_fresh_stack gives. */
        server_job job = {.r = r, .sh = sh};
        size_t size = case_stack_size();
        pthread_attr_t attr;
        pthread_t thread;
        bool ok = false;
        if (size >= (size_t)PTHREAD_STACK_MIN &&
            pthread_attr_init(&attr) == 0) {
            ok = pthread_attr_setstacksize(&attr, size) == 0 &&
                 pthread_create(&thread, &attr, serve_cases, &job) == 0;
            pthread_attr_destroy(&attr);
        }
        if (ok)
            pthread_join(thread, NULL);
        else
            serve_cases(&job);
        _exit(0);
    }
    close(sv[1]);
    sh->server = pid;
    sh->server_fd = sv[0];
    sh->server_pidfd = pid_fd(pid);
    /* Its start (a fork, a thread) is not counted in the first case's
     * time: on a loaded machine it can take longer than a short timeout. */
    char c;
    ssize_t got;
    while ((got = read(sv[0], &c, 1)) < 0 && errno == EINTR)
        ;
    if (got != 1 || c != 's') {
        server_end(sh, true);
        return false;
    }
    return true;
}

/* The case in the server (started if none runs).  False if there is no
 * server to be had or the prefix does not fit the shared memory: the
 * caller runs the case in a child of its own. */
static bool run_in_server(gf_run_state *r, const buffer *prefix,
                          case_end *end)
{
    iso_shared *sh = r->iso;
    gf_case *tc = &r->tc;
    size_t n = prefix ? prefix->n : 0, nbytes = prefix ? prefix->nbytes : 0;
    if (n > sh->ch_cap || nbytes > BYTES_CAP)
        return false;
    if (n)
        memcpy(sh->pre_ch, prefix->ch, n * sizeof *prefix->ch);
    if (nbytes)
        memcpy(sh->pre_bytes, prefix->bytes, nbytes);
    sh->pre_n = n;
    sh->pre_nbytes = nbytes;
    for (int attempt = 0;; attempt++) {
        if (!sh->server && !server_start(r))
            return false;
        if (send(sh->server_fd, "c", 1, MSG_NOSIGNAL) == 1)
            break;
        /* It ended after its last case (the property left something
         * behind that ended it): a new one. */
        server_end(sh, true);
        if (attempt)
            return false;
    }
    *end = (case_end){.ended = true};
    double deadline = now_seconds() + tc->timeout;
    for (;;) {
        int ms = -1;
        if (tc->timeout > 0) {
            double left = deadline - now_seconds();
            ms = left <= 0 ? 0 : (int)ceil(left * 1000.0);
        }
        struct pollfd p[2] = {{.fd = sh->server_fd, .events = POLLIN},
                              {.fd = sh->server_pidfd, .events = POLLIN}};
        int got = poll(p, sh->server_pidfd >= 0 ? 2 : 1, ms);
        if (got < 0 && errno == EINTR)
            continue;
        if (got == 0) {
            /* Out of time: the case is killed with its server. */
            end->ended = false;
            end->wstatus = server_end(sh, true);
            return true;
        }
        if (got > 0 && p[0].revents) {
            char c;
            ssize_t k = read(sh->server_fd, &c, 1);
            if (k < 0 && errno == EINTR)
                continue;
            if (k == 1 && c == 'r' && sh->done)
                return true; /* the server goes on */
            /* Otherwise it is ending ('d': it named its death).  Its
             * other threads may still write to the shared record until
             * it is gone: wait for that. */
        } else if (got > 0 && !p[1].revents) {
            continue;
        }
        /* The server has ended, or is ending: its wait status says how
         * (unless it named its death).  Only a server still running with
         * its socket closed (the property closed it) is killed: the
         * time left is waited for first, as for any case. */
        if (sh->server_pidfd >= 0 && !p[1].revents) {
            struct pollfd pf = {.fd = sh->server_pidfd, .events = POLLIN};
            double left = deadline - now_seconds();
            int wait_ms = tc->timeout <= 0 ? -1
                          : left <= 0     ? 0
                                          : (int)ceil(left * 1000.0);
            while (poll(&pf, 1, wait_ms) < 0 && errno == EINTR)
                ;
            end->ended = pf.revents != 0;
        }
        end->wstatus = server_end(sh, !end->ended);
        return true;
    }
}

case_status iso_run_buffer(gf_run_state *r, const buffer *prefix,
                           uint32_t *origin)
{
    iso_shared *sh = r->iso;
    gf_case *tc = &r->tc;
    free(r->iso_values);
    r->iso_values = NULL;
    case_reset(tc, prefix, TAIL_SIMPLEST, 1.0);
    mark_unused(sh, sh->ch_marked, sh->spans_marked);
    sh->done = sh->died = 0;
    sh->values_n = sh->notes_n = 0;
    sh->origin[0] = sh->message[0] = '\0';
    /* A case collecting its report runs once, in a child of its own. */
    case_end end;
    if (tc->collect || !run_in_server(r, prefix, &end))
        end = run_in_own_child(r);
    if (end.error) {
        /* The machine's error, not the property's: the run stops with it
         * (origin_is_error). */
        tc->rec.n = tc->rec.nbytes = tc->nspans = tc->pos = 0;
        case_set_failure(tc, xstrdup("error"), end.error);
        *origin = run_origin_id(r, tc->origin);
        return tc->status;
    }
    int wstatus = end.wstatus;
    bool ended = end.ended;
    if (sh->done) {
        /* A result that does not read as one (the property wrote over
         * the shared memory) is read as what a dead child left. */
        size_t n, nb, ns;
        count_recorded(sh, &n, &nb, &ns);
        if (sh->rec_n > n || sh->nbytes > BYTES_CAP || sh->nspans > ns)
            sh->done = 0;
    }
    if (sh->done && !sh->too_big) {
        tc->rec.n = sh->rec_n;
        tc->rec.nbytes = sh->nbytes;
        tc->nspans = sh->nspans;
        tc->pos = sh->pos;
        tc->misaligned = sh->misaligned;
        tc->sched_steps = sh->sched_steps;
        tc->status = (case_status)sh->status;
        if (tc->status == CASE_FAILED)
            case_set_failure(tc, xstrdup(sh->origin), xstrdup(sh->message));
    } else if (sh->done) {
        /* Too big to share: as if it ran past its choices. */
        tc->status = CASE_OVERRUN;
    } else {
        size_t n, nb, ns;
        count_recorded(sh, &n, &nb, &ns);
        tc->rec.n = n;
        tc->rec.nbytes = nb;
        tc->nspans = ns;
        tc->pos = n;
        char o[160], m[400];
        death_of(sh, wstatus, !ended, tc->timeout, o, sizeof o, m, sizeof m);
        case_set_failure(tc, xstrdup(o), xstrdup(m));
    }
    sh->ch_marked = tc->rec.n + 1;
    sh->spans_marked = tc->nspans + 1;
    if (tc->collect) {
        r->iso_values = xmalloc(sh->values_n + 1);
        memcpy(r->iso_values, sh->values, sh->values_n);
        r->iso_values[sh->values_n] = '\0';
        take_notes(tc, sh);
    }
    if (tc->status == CASE_FAILED)
        *origin = run_origin_id(r, tc->origin);
    return tc->status;
}

/* ---- in the parent: a crash shrunk in-process, speculatively ---------- */

/*
 * Shrinking a crash runs hundreds of candidates, and each one that crashes
 * ends the case server it ran in: a fork each.  So the parent first forks
 * one child that shrinks in-process, as --no-fork does (a crash is caught
 * there and the shrinking goes on), publishing each new best here.  Its
 * answer counts only once a fresh case server has run it and seen it fail
 * the same way: what earlier candidates left behind in the child cannot
 * make a case that does not fail on its own look minimal.  A child that
 * dies, stops making progress or times a case out leaves the rest to the
 * case server, from its last best if that fails in a fresh process (else
 * from where it started); so does an answer that does not fail again.
 */

/* Seconds past a case's timeout that a child may go without starting a
 * call; and without timeouts, how long it may. */
#define SPEC_SLACK 1.0
#define SPEC_STALL 10.0

/* A failure the child can shrink as a fresh process would: not a timeout
 * (the child may be stuck after one), nor a stack overflow (its depth
 * follows the stack the child shrinks on, deeper than a fresh one's). */
static bool speculation_fits(const char *origin)
{
    return strcmp(origin, "timeout") != 0 &&
           strcmp(origin, "stack overflow") != 0;
}

void iso_spec_starting(const gf_run_state *r)
{
    iso_spec->spec_calls = r->shrink_calls + 1;
    iso_spec->spec_shrinks = r->shrinks;
}

void iso_spec_ran(const gf_run_state *r)
{
    /* A timed-out case may have left a lock held: stop here. */
    if (r->tc.status == CASE_FAILED && r->tc.origin &&
        strcmp(r->tc.origin, "timeout") == 0)
        _exit(CHILD_DIED);
}

static void spec_wedged(void *ctx)
{
    (void)ctx;
    _exit(CHILD_DIED);
}

/* The child's summary, written into sh->enc once it has finished: whether
 * the shrink budget ran out, then each other failure it met (its origin
 * and its encoding, each with a 32-bit length).  Those that do not fit
 * are left out. */
typedef struct spec_out {
    uint8_t *p;
    size_t n, cap;
} spec_out;

static bool out_put(spec_out *o, const void *src, size_t n)
{
    if (n > o->cap - o->n)
        return false;
    memcpy(o->p + o->n, src, n);
    o->n += n;
    return true;
}

static bool out_put_block(spec_out *o, const void *src, size_t n)
{
    uint32_t len = (uint32_t)n;
    return n <= UINT32_MAX && out_put(o, &len, sizeof len) &&
           out_put(o, src, n);
}

static GF_NORETURN void spec_child(gf_run_state *r, iso_shared *sh,
                                   buffer *best, uint32_t origin)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    iso_forked_child();
    if (sh->server_fd >= 0)
        close(sh->server_fd); /* the parent's, to its case server */
    iso_spec = sh;
    process_role.speculating = true;
    r->iso = NULL;
    shrink_speculate = false;
    silence_output();
    crash_guard_start(r->tc.timeout > 0);
    r->tc.watch = watchdog_start(r->tc.timeout, spec_wedged, NULL);
    shrink_failure(r, best, origin);
    iso_note_best(r, best, origin);
    spec_out o = {.p = sh->enc, .cap = ENC_CAP};
    uint8_t hit = r->shrink_budget_hit;
    out_put(&o, &hit, 1);
    for (size_t i = 0; i < r->nothers; i++) {
        bytes_vec enc = {0};
        buffer_encode(&r->others[i].buf, &enc);
        size_t mark = o.n;
        const char *name = r->origins[r->others[i].origin];
        if (!out_put_block(&o, name, strlen(name)) ||
            !out_put_block(&o, enc.p, enc.n))
            o.n = mark;
        bv_free(&enc);
    }
    sh->spec_calls = r->shrink_calls;
    sh->spec_shrinks = r->shrinks;
    sh->spec_done = o.n;
    _exit(0);
}

/* Wait for the child; killed if it goes too long without starting a
 * call.  True if it finished its shrinking. */
static bool spec_wait(gf_run_state *r, iso_shared *sh, pid_t pid, int pidfd)
{
    double stall = r->tc.timeout > 0 ? r->tc.timeout + SPEC_SLACK : SPEC_STALL;
    uint64_t calls = sh->spec_calls;
    double since = now_seconds();
    for (;;) {
        struct pollfd pf = {.fd = pidfd, .events = POLLIN};
        int got = poll(&pf, 1, 100);
        if (got < 0 && errno == EINTR)
            continue;
        if (got != 0)
            break;
        if (sh->spec_calls != calls) {
            calls = sh->spec_calls;
            since = now_seconds();
        } else if (now_seconds() - since > stall) {
            kill(pid, SIGKILL);
            break;
        }
    }
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 && sh->spec_done;
}

/* The other failures the child met, from its summary. */
static void spec_take_others(gf_run_state *r, const iso_shared *sh)
{
    const uint8_t *p = sh->enc + 1, *end = sh->enc + sh->spec_done;
    while (end - p >= 4) {
        uint32_t olen, elen;
        memcpy(&olen, p, 4);
        if ((size_t)(end - p) < 8 + (size_t)olen)
            break;
        memcpy(&elen, p + 4 + olen, 4);
        if ((size_t)(end - p) < 8 + (size_t)olen + elen)
            break;
        char *name = xmalloc(olen + 1);
        memcpy(name, p + 4, olen);
        name[olen] = '\0';
        buffer b;
        buffer_init(&b);
        if (buffer_decode(p + 8 + olen, elen, SIZE_MAX, &b))
            run_note_other_failure(r, run_origin_id(r, name), &b);
        buffer_free(&b);
        free(name);
        p += 8 + (size_t)olen + elen;
    }
}

bool iso_shrink(gf_run_state *r, buffer *best, uint32_t origin)
{
    iso_shared *sh = r->iso;
    if (!sh || !speculation_fits(r->origins[origin]))
        return false;
    sh->best_n = 0;
    sh->spec_done = 0;
    sh->spec_calls = r->shrink_calls;
    sh->spec_shrinks = r->shrinks;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0)
        spec_child(r, sh, best, origin);
    int pidfd = pid_fd(pid);
    if (pidfd < 0) {
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        return false;
    }
    bool finished = spec_wait(r, sh, pid, pidfd);
    close(pidfd);
    r->shrink_calls = sh->spec_calls;
    r->shrinks = sh->spec_shrinks;
    buffer cand;
    buffer_init(&cand);
    bool taken = false;
    size_t n = sh->best_n;
    if (n && strcmp(sh->best_origin, r->origins[origin]) == 0 &&
        buffer_decode(sh->best, n == (size_t)-1 ? 0 : n, SIZE_MAX, &cand)) {
        uint32_t o = 0;
        if (iso_run_buffer(r, &cand, &o) == CASE_FAILED && o == origin) {
            buffer_copy(best, &cand);
            taken = true;
        }
    }
    buffer_free(&cand);
    if (taken && finished) {
        r->shrink_budget_hit = sh->enc[0] != 0;
        spec_take_others(r, sh);
    }
    return taken && finished;
}

/* ---- in the parent: a property's worker ------------------------------- */

typedef struct worker_end {
    bool reported;   /* the worker sent its result */
    int wstatus;
} worker_end;

/* What a worker runs: gf_run, or a fuzzer's input. */
typedef struct worker_job {
    const gf_property *p;
    const gf_options *o;
    const uint8_t *data;    /* a fuzzer's input, or NULL */
    size_t size;
    const char *source;
    bool shrink;
} worker_job;

static gf_status run_job(const worker_job *j, gf_result *res)
{
    if (j->data || j->source)
        return run_fuzz_input(j->p, j->o, j->data, j->size, j->source,
                              j->shrink, res);
    return gf_run(j->p, j->o, res);
}

/* Fork a worker for the job; collect its result into res. */
static worker_end run_worker(const worker_job *job, iso_shared *sh,
                             gf_status *st, gf_result *res)
{
    worker_end end = {0};
    int fds[2];
    memset(res, 0, sizeof *res);
    if (pipe2(fds, O_CLOEXEC) != 0) {
        end.wstatus = -1;
        return end;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        end.wstatus = -1;
        return end;
    }
    if (pid == 0) {
        close(fds[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        iso_forked_child();
        iso_worker = sh;
        process_role.worker = true;
        process_role.report_in_parent = true;
        gf_result wr;
        gf_status wst = run_job(job, &wr);
        fflush(NULL);
        wire_send_result(fds[1], wst, &wr);
        wire_put_string(fds[1], run_summary);
        _exit(0);
    }
    close(fds[1]);
    iso_await_result(fds[0], pid);
    end.reported = wire_receive_result(fds[0], st, res);
    /* The worker's summary of its run, for this process's reports. */
    free(run_summary);
    run_summary = NULL;
    if (end.reported && !wire_get_string(fds[0], &run_summary))
        run_summary = NULL;
    close(fds[0]);
    while (waitpid(pid, &end.wstatus, 0) < 0 && errno == EINTR)
        ;
    if (!end.reported || sh->handed_over) {
        gf_result_free(res);
        memset(res, 0, sizeof *res);
        end.reported = false;
    }
    return end;
}

/* The report of a worker's result, printed here. */
static void emit_report(const gf_options *o, const char *text)
{
    if (o->quiet || !text)
        return;
    FILE *out = o->out ? o->out : stderr;
    run_write_colored(out, text, run_use_color(o->color, out));
    fflush(out);
}

/* A worker died where nothing could be caught.  Run the property again,
 * recording into the shared memory, to find the case that kills it.
 * True if a death was found (handed over, or recorded into enc). */
static bool find_uncaught_death(const worker_job *original, iso_shared *sh,
                                int *wstatus)
{
    gf_options o = *original->o;
    o.seed = sh->seed;
    o.seed_set = true;
    o.quiet = true;
    sh->live = true;
    sh->handed_over = 0;
    sh->best_n = 0;
    mark_unused(sh, sh->ch_cap, sh->spans_cap);
    gf_status st;
    gf_result res;
    worker_job job = *original;
    job.o = &o;
    worker_end end = run_worker(&job, sh, &st, &res);
    sh->live = false;
    if (end.reported) {
        gf_result_free(&res);
        return false; /* it did not die again */
    }
    *wstatus = end.wstatus;
    if (sh->handed_over)
        return true;
    size_t n, nb, ns;
    count_recorded(sh, &n, &nb, &ns);
    buffer b = {.ch = sh->ch, .n = n, .cap = sh->ch_cap, .bytes = sh->bytes,
                .nbytes = nb, .bcap = BYTES_CAP, .lent = true};
    bytes_vec enc = {0};
    buffer_encode(&b, &enc);
    sh->enc_n = enc.n <= ENC_CAP ? enc.n : 0;
    memcpy(sh->enc, enc.p, sh->enc_n);
    bv_free(&enc);
    return sh->enc_n > 0 || n == 0;
}

/* A worker that ended without a result and no case to show for it. */
static gf_status unexplained(const gf_property *p, const char *origin,
                             const char *message, const char *why,
                             gf_result *res, const gf_options *opt)
{
    res->origin = xstrdup(origin);
    res->message = xasprintf("%s; %s", message, why);
    res->failures = 1;
    res->report = xasprintf("FAIL %s: the worker process running it died "
                            "(%s): %s\n", p->name, origin, res->message);
    if (!opt->quiet)
        fputs(res->report, opt->out ? opt->out : stderr);
    return GF_FAILED;
}

static gf_status take_over(const worker_job *job, iso_shared *sh,
                           int wstatus, gf_result *res)
{
    const gf_property *p = job->p;
    const gf_options *opt = job->o;
    char origin[160], message[400];
    int phase = sh->phase;
    if (sh->handed_over) {
        copy_text(origin, sizeof origin, sh->origin);
        copy_text(message, sizeof message, sh->message);
    } else {
        death_of(sh, wstatus, false, 0, origin, sizeof origin, message,
                 sizeof message);
        if (phase == ISO_SAVED || phase == ISO_GENERATE ||
            ((phase == ISO_SHRINK || phase == ISO_REPORT) && !sh->best_n)) {
            int again = 0;
            if (!find_uncaught_death(job, sh, &again))
                return unexplained(p, origin, message,
                                   "a second run with the same seed did not "
                                   "die, so there is no case to show",
                                   res, opt);
            if (sh->handed_over) {
                copy_text(origin, sizeof origin, sh->origin);
                copy_text(message, sizeof message, sh->message);
            } else {
                death_of(sh, again, false, 0, origin, sizeof origin, message,
                         sizeof message);
            }
        } else if (phase != ISO_REPLAY &&
                   !((phase == ISO_SHRINK || phase == ISO_REPORT) &&
                     sh->best_n)) {
            return unexplained(p, origin, message,
                               "it was not running a case", res, opt);
        }
    }

    gf_options o = *opt;
    gf_run_state *r = run_state_new(p, &o);
    r->iso = sh;
    lend_record(&r->tc, sh);
    r->tc.timeout = o.timeout == 0 ? RUN_DEFAULT_TIMEOUT : o.timeout;
    crash_guard *guard = crash_guard_start(false);
    res->seed = sh->seed;
    r->cases = sh->cases;
    r->passed = sh->passed;
    r->discarded = sh->discarded;
    r->duplicates = sh->duplicates;

    gf_status status = GF_FAILED;
    buffer failing, died;
    buffer_init(&failing);
    buffer_init(&died);
    bool have_died = (sh->handed_over || sh->enc_n) &&
                     buffer_decode(sh->enc, sh->enc_n, SIZE_MAX, &died);
    if (phase == ISO_REPLAY) {
        uint32_t hash;
        const char *err = NULL;
        if (token_parse(o.replay, &hash, &failing, &err))
            status = run_replay_buffer(r, res, &failing);
        else
            status = unexplained(p, origin, message, err, res, &o);
    } else {
        uint32_t first;
        if ((phase == ISO_SHRINK || phase == ISO_REPORT) && sh->best_n &&
            buffer_decode(sh->best, sh->best_n == (size_t)-1 ? 0 : sh->best_n,
                          SIZE_MAX, &failing)) {
            first = run_origin_id(r, sh->best_origin);
            if (have_died)
                run_note_other_failure(r, run_origin_id(r, origin), &died);
        } else {
            buffer_copy(&failing, &died);
            first = run_origin_id(r, origin);
        }
        gf_db *db = o.db_dir && *o.db_dir ? db_open(o.db_dir) : NULL;
        run_finish_failure(r, res, &failing, first, phase == ISO_SAVED, db,
                           NULL);
        db_close(db);
        res->passed = r->passed;
        res->discarded = r->discarded;
        res->duplicates = r->duplicates;
    }
    res->status = status;
    server_stop(sh);
    run_emit(r, res->report);
    buffer_free(&failing);
    buffer_free(&died);
    crash_guard_stop(guard);
    run_state_delete(r);
    return status;
}

gf_status iso_take_over(const gf_property *p, const gf_options *opt,
                        iso_shared *sh, int wstatus, gf_result *res)
{
    worker_job job = {.p = p, .o = opt};
    return take_over(&job, sh, wstatus, res);
}

gf_status run_isolated(const gf_property *p, const gf_options *opt,
                       gf_result *out)
{
    gf_result local;
    gf_result *res = out ? out : &local;
    gf_options o;
    memset(&o, 0, sizeof o);
    if (opt)
        o = *opt;
    iso_shared *sh = iso_map(o.max_choices ? o.max_choices : 8192);
    gf_status st = GF_ERROR;
    worker_end end = {.wstatus = -1};
    worker_job job = {.p = p, .o = &o};
    iso_continue_stopped();
    if (sh)
        end = run_worker(&job, sh, &st, res);
    if (!sh || end.wstatus == -1) {
        /* No worker to be had: run here, as --no-fork would. */
        iso_unmap(sh);
        process_role.isolate = false;
        o.isolation = GF_ISOLATE_NONE;
        st = gf_run(p, &o, out);
        process_role.isolate = true;
        return st;
    }
    if (!end.reported) {
        st = take_over(&job, sh, end.wstatus, res);
        free(run_summary);
        run_summary = iso_taken_summary(sh);
    } else
        emit_report(&o, res->report);
    res->status = st;
    iso_unmap(sh);
    if (!out)
        gf_result_free(&local);
    return st;
}

gf_status iso_run_fuzz_input(const gf_property *p, const gf_options *opt,
                             const uint8_t *data, size_t size,
                             const char *source, bool shrink, gf_result *out)
{
    gf_options o = *opt;
    iso_shared *sh = iso_map(o.max_choices ? o.max_choices : 8192);
    gf_status st = GF_ERROR;
    worker_end end = {.wstatus = -1};
    worker_job job = {.p = p, .o = &o, .data = data, .size = size,
                      .source = source, .shrink = shrink};
    iso_continue_stopped();
    if (sh)
        end = run_worker(&job, sh, &st, out);
    if (!sh || end.wstatus == -1) {
        iso_unmap(sh);
        process_role.isolate = false;
        o.isolation = GF_ISOLATE_NONE;
        st = run_fuzz_input(p, &o, data, size, source, shrink, out);
        process_role.isolate = true;
        return st;
    }
    if (!end.reported)
        st = take_over(&job, sh, end.wstatus, out);
    else
        emit_report(&o, out->report);
    out->status = st;
    iso_unmap(sh);
    return st;
}

void iso_publish_summary(const char *text)
{
    iso_shared *sh = iso_worker;
    size_t n = text ? strlen(text) : 0;
    if (!sh || n >= SUMMARY_CAP)
        return;
    sh->summary_n = 0;
    memcpy(sh->summary, text, n);
    sh->summary_n = n;
}

char *iso_taken_summary(const iso_shared *sh)
{
    if (!sh || !sh->summary_n || sh->summary_n >= SUMMARY_CAP)
        return NULL;
    char *s = xmalloc(sh->summary_n + 1);
    memcpy(s, sh->summary, sh->summary_n);
    s[sh->summary_n] = 0;
    return s;
}

/* The engine hands cases and runs to other processes through these
 * (engine/role.h). */
__attribute__((constructor)) static void iso_process_hooks(void)
{
    process_up.case_died = iso_case_died;
    process_up.set_phase = iso_set_phase;
    process_up.note_run = iso_note_run;
    process_up.publish_summary = iso_publish_summary;
    process_up.note_best = iso_note_best;
    process_up.run_buffer = iso_run_buffer;
    process_up.shrink = iso_shrink;
    process_up.spec_starting = iso_spec_starting;
    process_up.spec_ran = iso_spec_ran;
    process_up.run_isolated = run_isolated;
    process_up.run_fuzz_input = iso_run_fuzz_input;
}
