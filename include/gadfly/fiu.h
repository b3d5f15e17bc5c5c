/*
 * gadfly/fiu.h - drive libfiu's fail points from the case: libfiu decides
 * nothing on its own, every "does this point fail, with which errno" is a
 * choice of the case, as with gadfly/fault.h.
 *
 *     #include <gadfly/fiu.h>
 *
 *     GF_PROPERTY(store_survives_io_errors) {
 *         gf_fiu_enable(tc, "posix/io/rw/write", NULL);
 *         ...
 *     }
 *
 * Needs libfiu (Debian: libfiu-dev; its POSIX preload is in fiu-utils).
 * Link the program with -lfiu, dynamically: the preload and the program
 * must share one libfiu.  Two kinds of points work:
 *
 *   - fail points of libfiu itself, fiu_fail("name") / fiu_return_on in
 *     code built with libfiu: a fault makes fiu_fail return nonzero;
 *   - the POSIX preload, for calls made anywhere in the process, shared
 *     libraries included: run the program as
 *         LD_PRELOAD=/usr/lib/fiu/fiu_posix_preload.so ./tests/props
 *     (or fiu-run -x ./tests/props).  The calls of gadfly/fault_wrap.h
 *     (read, write, open, send, recv, malloc, calloc, realloc; also pread
 *     and pwrite) fail with an errno of their list in gadfly/fault.h,
 *     chosen by the case.  Other POSIX points under a wildcard never fail
 *     (Gadfly knows no errno list for them, and libfiu's own pick would be
 *     random), and libfiu's ".../reduce" short transfers are not driven:
 *     use gadfly/fault_wrap.h for short reads and writes.
 *
 * A name may end in "*" (libfiu's wildcard: every point under it).  The
 * point is registered with libfiu once per call and stays registered after
 * the case, answering "no fault" outside the cases that enable it.  The
 * functions here are static: include the header wherever they are used.
 */
#ifndef GADFLY_FIU_H
#define GADFLY_FIU_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <fiu-control.h>
#include <fiu.h>

#include <gadfly/fault.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The errno list of a POSIX preload point, or 0 when Gadfly has none. */
static size_t gf_fiu_errors_(const char *name, const int **errs)
{
    static const int rd[] = {GF_FAULT_READ_ERRORS};
    static const int wr[] = {GF_FAULT_WRITE_ERRORS};
    static const int prd[] = {GF_FAULT_PREAD_ERRORS};
    static const int pwr[] = {GF_FAULT_PWRITE_ERRORS};
    static const int op[] = {GF_FAULT_OPEN_ERRORS};
    static const int sd[] = {GF_FAULT_SEND_ERRORS};
    static const int rv[] = {GF_FAULT_RECV_ERRORS};
    static const int al[] = {GF_FAULT_ALLOC_ERRORS};
    static const struct {
        const char *name;
        const int *errs;
        size_t n;
    } known[] = {
        {"posix/io/rw/read", rd, sizeof rd / sizeof *rd},
        {"posix/io/rw/pread", prd, sizeof prd / sizeof *prd},
        {"posix/io/rw/write", wr, sizeof wr / sizeof *wr},
        {"posix/io/rw/pwrite", pwr, sizeof pwr / sizeof *pwr},
        {"posix/io/oc/open", op, sizeof op / sizeof *op},
        {"posix/io/net/send", sd, sizeof sd / sizeof *sd},
        {"posix/io/net/recv", rv, sizeof rv / sizeof *rv},
        {"libc/mm/malloc", al, 1},
        {"libc/mm/calloc", al, 1},
        {"libc/mm/realloc", al, 1},
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(known[i].name, name) == 0) {
            *errs = known[i].errs;
            return known[i].n;
        }
    return 0;
}

/* libfiu's question, answered by the running case. */
static int gf_fiu_decide_(const char *name, int *failnum, void **failinfo,
                          unsigned int *flags)
{
    (void)failnum;
    (void)flags;
    const int *errs;
    size_t n = gf_fiu_errors_(name, &errs);
    if (n == 0) {
        if (strncmp(name, "posix/", 6) == 0 || strncmp(name, "libc/", 5) == 0)
            return 0;
        return gf_fault_at(NULL, name, NULL, 0);
    }
    int e = gf_fault_call_at(NULL, name, errs, n, 0, NULL, NULL, 0);
    if (e == 0)
        return 0;
    *failinfo = (void *)(intptr_t)e;
    return 1;
}

/**
 * Enable libfiu point `name` (or, ending in a star, every point under it)
 * for the rest of this case, with opt's rate and budget (see
 * gf_fault_enable).  Returns 0, or -1 if libfiu refused the point.
 *
 * libfiu tells a point enabled by a wildcard only the wildcard's name, so
 * under "posix/" and "libc/" a wildcard enables each point of the list
 * above that it covers, one by one; any other wildcard is one Gadfly
 * point, named by the wildcard, whichever of its points libfiu asks about.
 */
static int gf_fiu_enable(gf_case *tc, const char *name,
                         const gf_fault_options *opt)
{
    fiu_init(0);
    gf_fault_enable(tc, name, opt);
    size_t len = name ? strlen(name) : 0;
    bool wildcard = len > 0 && name[len - 1] == '*';
    if (!wildcard || (strncmp(name, "posix/", 6) != 0 &&
                      strncmp(name, "libc/", 5) != 0))
        return fiu_enable_external(name, 1, NULL, 0, gf_fiu_decide_) == 0
                   ? 0
                   : -1;
    static const char *const listed[] = {
        "posix/io/rw/read",  "posix/io/rw/pread",  "posix/io/rw/write",
        "posix/io/rw/pwrite", "posix/io/oc/open",  "posix/io/net/send",
        "posix/io/net/recv", "libc/mm/malloc",     "libc/mm/calloc",
        "libc/mm/realloc"};
    int status = 0;
    for (size_t i = 0; i < sizeof listed / sizeof *listed; i++)
        if (strncmp(listed[i], name, len - 1) == 0 &&
            fiu_enable_external(listed[i], 1, NULL, 0, gf_fiu_decide_) != 0)
            status = -1;
    return status;
}

#ifdef __cplusplus
}
#endif

#endif /* GADFLY_FIU_H */
