/*
 * props_count.c - a GF_MAIN program for tests/test_accounting.sh: the
 * same bug met as a failed assertion, a crash and a hang, so that the case
 * counts of one seed can be compared across ways of running; and a
 * property that logs every input it is called with, so that the counts of
 * a run can be compared with what really ran; and one that logs which
 * process ran each call of a crash's shrinking (tests/test_isolate.sh).
 */
#include <fcntl.h>
#include <gadfly.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* True when some element of an array of 0..2000 is above 1900: rare
 * enough that a seed takes a few dozen cases to find it. */
static bool has_big(gf_case *tc)
{
    size_t n;
    const int64_t *xs = gf_draw_array(tc, gf_int(0, 2000), 0, 4, &n);
    for (size_t i = 0; i < n; i++)
        if (xs[i] > 1900)
            return true;
    return false;
}

/* One property, one stream of cases: GF_TEST_BUG says how the bug shows,
 * "assert" (the default), "crash" or "hang". */
GF_PROPERTY(big_element)
{
    const char *how = getenv("GF_TEST_BUG");
    bool big = has_big(tc);
    if (how && strcmp(how, "crash") == 0) {
        if (big)
            raise(SIGSEGV);
    } else if (how && strcmp(how, "hang") == 0) {
        volatile unsigned long spin = 0;
        if (big)
            for (;;)
                spin++;
    } else {
        GF_ASSERT(tc, !big);
    }
}

/* Holds; with GF_TEST_LOG set, appends each input (8 bytes) to that file.
 * Small writes with O_APPEND land whole, from every worker process. */
GF_PROPERTY(logs_inputs)
{
    int64_t x = gf_draw_int(tc, 0, 1000000);
    const char *path = getenv("GF_TEST_LOG");
    if (!path)
        return;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
    if (fd < 0)
        abort();
    if (write(fd, &x, sizeof x) != (ssize_t)sizeof x)
        abort();
    close(fd);
}

/* Aborts when a list's sum passes 3000.  With GF_TEST_LOG set, appends a
 * line per call: the process's id, and 1 if this call aborts.  So the
 * log shows which calls shared a process (tests/test_isolate.sh). */
GF_PROPERTY(sum_aborts)
{
    size_t n;
    const int64_t *xs = gf_draw_array(tc, gf_int(0, 1000), 0, 20, &n);
    long sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += xs[i];
    const char *path = getenv("GF_TEST_LOG");
    if (path) {
        char line[32];
        int len = snprintf(line, sizeof line, "%ld %d\n", (long)getpid(),
                           sum > 3000);
        int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
        if (fd < 0 || write(fd, line, (size_t)len) != len)
            _exit(99);
        close(fd);
    }
    if (sum > 3000)
        abort();
}

/* Aborts when a list's sum passes 3000, and, in a process where a case
 * has aborted before (caught there: --no-fork, or a shrinker running in
 * its own process), on any list that is not empty: what a heap a crash
 * left damaged does.  A case that fails only after another is no failure
 * to report (tests/test_isolate.sh). */
GF_PROPERTY(aborts_and_poisons)
{
    static bool poisoned;
    size_t n;
    const int64_t *xs = gf_draw_array(tc, gf_int(0, 1000), 0, 20, &n);
    long sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += xs[i];
    if (sum > 3000 || (poisoned && n > 0)) {
        poisoned = true;
        abort();
    }
}

/* 4 KiB of stack per call, n calls deep; returns 0.  The frame's address
 * escapes (the empty asm), so that it is kept whole, and it is read after
 * the call, so that no compiler turns the recursion into a loop. */
static __attribute__((noinline)) int descend(int n)
{
    char frame[4096];
    frame[0] = 0;
    __asm__ volatile("" : : "r"(frame) : "memory");
    if (n == 0)
        return 0;
    int below = descend(n - 1);
    __asm__ volatile("" : : "r"(frame) : "memory");
    return below + frame[0];
}

/* Overflows its stack when x is large enough (256 KiB per unit of x: at
 * about 32 with an 8 MiB stack).  With GF_TEST_LOG set, appends a line
 * per call: how far below the top of its thread's stack the property
 * runs.  A stack overflow's candidates run in the case server and the
 * final replay in a child of its own; the overflow shrunk in one
 * reproduces in the other only if both run the property at the same
 * depth (tests/test_isolate.sh compares the last candidate's line with
 * the final replay's). */
GF_PROPERTY(depth_overflows)
{
    volatile char here = 0;
    int64_t x = gf_draw_int(tc, 0, 100);
    const char *path = getenv("GF_TEST_LOG");
    pthread_attr_t attr;
    void *stack = NULL;
    size_t size = 0;
    if (path && pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstack(&attr, &stack, &size);
        pthread_attr_destroy(&attr);
        char line[64];
        int len = snprintf(line, sizeof line, "%ld\n",
                           (long)((uintptr_t)stack + size -
                                  (uintptr_t)&here));
        int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
        if (fd < 0 || write(fd, line, (size_t)len) != len)
            _exit(99);
        close(fd);
    }
    (void)here;
    GF_ASSERT(tc, descend((int)x * 64) == 0);
}

/* Over one bool; fails on true while BROKEN is set: a saved failure that
 * passes once the bug is "fixed". */
GF_PROPERTY(bool_when_broken)
{
    bool b = gf_draw_bool(tc);
    GF_ASSERT(tc, !(b && getenv("BROKEN")));
}

/* Holds over all of int64: a space no run uses up. */
GF_PROPERTY(wide)
{
    int64_t x = gf_draw_int(tc, INT64_MIN, INT64_MAX);
    GF_ASSERT(tc, x == x);
}

GF_MAIN()
