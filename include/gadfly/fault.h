/*
 * gadfly/fault.h - partial failures as choices of the case: a call that
 * fails, fails with a given errno, transfers fewer bytes, or answers late.
 *
 *     GF_PROPERTY(acknowledged_records_survive) {
 *         gf_fault_enable(tc, "db.*", NULL);
 *         ...
 *         int err = gf_fault_errno(tc, "db.write", EIO, ENOSPC);
 *         if (err) { errno = err; return -1; }
 *         ...
 *     }
 *
 * A fault point is a name in the code under test.  Each time the program
 * passes an enabled point, whether it fails there is a choice of the case,
 * drawn like any value: "no fault" is the simplest, so shrinking removes
 * every fault the failure does not need, moves the rest earlier and turns
 * each error into the first of its list.  (The choice at a point is how
 * many of its calls pass before its next fault, so a lower value is an
 * earlier fault: a bug that needs two failed writes shrinks to the first
 * two writes.)  A replay line injects exactly
 * the same faults, and worker processes, --jobs, the failure database and
 * the fuzzer bridge treat the decisions as they treat any other choice.
 *
 * A point that no gf_fault_enable of the running case matches never
 * fails and draws nothing, so adding points to code changes no existing
 * test.  Outside a case (and on a thread that is not running one) every
 * point is a plain "no fault".  The failure report lists every fault of
 * the shrunk case in order: its point, what was injected, which call of
 * the point it was, and the source line.
 *
 * tc may be NULL in every call: the running case (gf_current()) is used,
 * so code that has no gf_case can hold fault points too.
 *
 * For calls the program cannot edit, see gadfly/fault_wrap.h (link-time
 * -Wl,--wrap of read, write, malloc, ...) and gadfly/fiu.h (libfiu's fail
 * points and POSIX preload), both built on these functions; docs/faults.md
 * has the whole story.
 */
#ifndef GADFLY_FAULT_H
#define GADFLY_FAULT_H

#include <errno.h>

#include <gadfly.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Settings of gf_fault_enable; zero means "default" everywhere. */
typedef struct gf_fault_options {
    /** The chance that a call at the point fails, in generated cases
     * (default 0.1; 1 fails every call within the budget). */
    double rate;
    /** The most faults the point injects in one case (0: no limit). */
    uint64_t budget;
    /** Faults at this point stay off until this many calls have passed
     * it in the case (the first calls always succeed). */
    uint64_t after;
} gf_fault_options;

/** The most gf_fault_enable calls that one case may make. */
#define GF_FAULT_MAX_RULES 64

/**
 * Enable the points whose names match `pattern` (a glob: `*`, `?`,
 * `[...]`, as fnmatch(3)) for the rest of this case, with opt's rate and
 * budget (opt may be NULL).  When several patterns match a point, the
 * last enabled (or disabled) wins.  A rate outside [0, 1], or more than
 * GF_FAULT_MAX_RULES calls with gf_fault_disable, fails the case as
 * misuse.
 */
GF_API void gf_fault_enable(gf_case *tc, const char *pattern,
                            const gf_fault_options *opt);
/** Turn the points matching `pattern` off again for the rest of the case
 * (they draw nothing). */
GF_API void gf_fault_disable(gf_case *tc, const char *pattern);

/** Does this call at `point` fail?  false when the point is not enabled. */
GF_API bool gf_fault_at(gf_case *tc, const char *point, const char *file,
                        int line);
#define gf_fault(tc, point) gf_fault_at((tc), (point), __FILE__, __LINE__)

/**
 * 0 (no fault), or one of the n errno values of errs: the first is the
 * simplest, so list the most ordinary error first.
 * @pre n >= 1 and every value nonzero (else the case fails as misuse).
 */
GF_API int gf_fault_errno_at(gf_case *tc, const char *point, const int *errs,
                             size_t n, const char *file, int line);
#define gf_fault_errno(tc, point, ...)                                       \
    gf_fault_errno_at((tc), (point), GF_LIST_(int, __VA_ARGS__),             \
                      GF_LIST_LEN_(int, __VA_ARGS__), __FILE__, __LINE__)

/**
 * -1 (no fault), or the index in names[0..n) of the fault that happens:
 * for answers of a user's own kind ("timeout", "pending", "declined").
 * The names appear in the report; index 0 is the simplest.
 */
GF_API int gf_fault_pick_at(gf_case *tc, const char *point,
                            const char *const *names, size_t n,
                            const char *file, int line);
#define gf_fault_pick(tc, point, ...)                                        \
    gf_fault_pick_at((tc), (point), GF_LIST_(const char *, __VA_ARGS__),     \
                     GF_LIST_LEN_(const char *, __VA_ARGS__), __FILE__,      \
                     __LINE__)

/**
 * How many of `len` bytes this call transfers: len (no fault), or a
 * short count in [1, len - 1], shrinking toward 1.  A call of fewer than
 * two bytes cannot be short and draws nothing.
 */
GF_API size_t gf_fault_short_at(gf_case *tc, const char *point, size_t len,
                                const char *file, int line);
#define gf_fault_short(tc, point, len)                                       \
    gf_fault_short_at((tc), (point), (len), __FILE__, __LINE__)

/**
 * A delay: 0 (no fault), or nanoseconds in [1, max_ns], shrinking toward
 * 1 (so a shrunk delay is the shortest that still breaks the program).
 * Inside a task of the controlled scheduler (gadfly/sched.h) the delay is
 * slept on the virtual clock, so timeouts in the code under test fire in
 * virtual time; anywhere else it is only returned, never slept.
 */
GF_API uint64_t gf_fault_delay_at(gf_case *tc, const char *point,
                                  uint64_t max_ns, const char *file,
                                  int line);
#define gf_fault_delay(tc, point, max_ns)                                    \
    gf_fault_delay_at((tc), (point), (max_ns), __FILE__, __LINE__)

/**
 * One decision for a system call that may fail with an errno or, when
 * partial is not NULL and len >= 2, transfer fewer bytes: returns 0 (no
 * fault), an errno of errs, or -1 with the short count in *partial.  The
 * errors come first in order of simplicity, the short transfer last.
 * What gadfly/fault_wrap.h and gadfly/fiu.h call.
 */
GF_API int gf_fault_call_at(gf_case *tc, const char *point, const int *errs,
                            size_t n, size_t len, size_t *partial,
                            const char *file, int line);

/** Faults injected at `point` so far in this case (NULL: at every point);
 * 0 outside a case. */
GF_API uint64_t gf_fault_count(gf_case *tc, const char *point);
/** Calls that passed `point` so far in this case, faulted or not. */
GF_API uint64_t gf_fault_calls(gf_case *tc, const char *point);

/* The errors each wrapped call may fail with (gadfly/fault_wrap.h,
 * gadfly/fiu.h), simplest first: each is in the call's manual page and
 * POSIX's list, and tests/test_fault_wrap.c makes the real call return
 * each one of read, write, open, send, recv and the allocators'. */
#define GF_FAULT_READ_ERRORS EINTR, EAGAIN, EIO, ECONNRESET
#define GF_FAULT_WRITE_ERRORS EINTR, EAGAIN, ENOSPC, EIO, EFBIG, EPIPE
#define GF_FAULT_OPEN_ERRORS EINTR, ENOENT, EMFILE
#define GF_FAULT_SEND_ERRORS EINTR, EAGAIN, ECONNRESET, EPIPE
#define GF_FAULT_RECV_ERRORS EINTR, EAGAIN, ECONNRESET
#define GF_FAULT_ALLOC_ERRORS ENOMEM
/* pread and pwrite (libfiu's preload only) work on files that can seek:
 * none of the pipe and socket errors. */
#define GF_FAULT_PREAD_ERRORS EINTR, EIO
#define GF_FAULT_PWRITE_ERRORS EINTR, ENOSPC, EIO, EFBIG

/** The name of an errno value ("ENOSPC"), or NULL for one it does not
 * know. */
GF_API const char *gf_errno_name(int err);

#ifdef __cplusplus
}
#endif

#endif /* GADFLY_FAULT_H */
