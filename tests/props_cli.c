/*
 * props_cli.c - a GF_MAIN program for the command-line tests
 * (tests/test_cli.sh): properties that pass, fail, crash and are filtered.
 */
#include <gadfly.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* BROKEN=1 in the environment makes fails_when_broken fail: a bug that can
 * be "fixed" between two runs, for the failure database's tests. */

GF_PROPERTY(always_holds)
{
    int64_t x = gf_draw_int(tc, -100, 100);
    GF_ASSERT(tc, x * x >= 0);
}

GF_PROPERTY(small_sum)
{
    int64_t a = gf_draw_int(tc, 0, 1000000);
    int64_t b = gf_draw_int(tc, 0, 1000000);
    gf_note(tc, "a + b = %lld", (long long)(a + b));
    GF_ASSERT_LT_INT(tc, a + b, 1000);
}

GF_PROPERTY(crashes_on_big)
{
    int64_t x = gf_draw_int(tc, 0, 1000);
    if (x > 700)
        abort();
}

GF_PROPERTY(one_bool)
{
    (void)gf_draw_bool(tc);
}

/* Holds, over a space too large to run out of. */
GF_PROPERTY(wide_holds)
{
    int64_t x = gf_draw_int(tc, INT64_MIN, INT64_MAX);
    GF_ASSERT(tc, x == x);
}

/* Never returns for large values (with a side effect, so the loop is not
 * undefined behaviour the compiler may delete). */
GF_PROPERTY(hangs_on_big)
{
    int64_t x = gf_draw_int(tc, 0, 1000);
    volatile unsigned long spin = 0;
    while (x > 600)
        spin++;
}

GF_PROPERTY(fails_when_broken)
{
    int64_t x = gf_draw_int(tc, 0, 1000000);
    GF_ASSERT(tc, getenv("BROKEN") == NULL || x < 10);
}

/* Statistics: half the values are negative. */
GF_PROPERTY(labelled)
{
    int64_t x = gf_draw_int(tc, -1000000, 1000000);
    gf_label(tc, x < 0 ? "negative" : "not negative");
    gf_cover(tc, 20, x < 0, "negative");
}

/* A coverage requirement the generator cannot meet. */
GF_PROPERTY(uncovered)
{
    int64_t x = gf_draw_int(tc, -1000000, 1000000);
    gf_cover(tc, 90, x < 0, "negative");
}

/* Calls exit() for large values: the run must go on and shrink it. */
GF_PROPERTY(exits_on_big)
{
    int64_t x = gf_draw_int(tc, 0, 1000);
    if (x > 400)
        exit(7);
}

/* About 20 ms a case: 100 cases are fine, a million are not. */
GF_PROPERTY(slow_case)
{
    (void)gf_draw_int(tc, 0, 1000000);
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
}

/* Ends its whole process for large values, past anything a signal
 * handler can catch: under --jobs its worker dies. */
GF_PROPERTY(hard_exits)
{
    if (gf_draw_int(tc, 0, 1000) > 300)
        _exit(0);
}

/* Recurses until the stack runs out (the limit is never reached): a
 * stack overflow. */
static int descend(int depth, int limit)
{
    volatile char frame[256];
    frame[0] = (char)depth;
    if (depth == limit)
        return frame[0];
    return descend(depth + 1, limit) + frame[0];
}

GF_PROPERTY(overflows_stack)
{
    if (gf_draw_int(tc, 0, 1000) > 100)
        (void)descend(0, -1);
}

/* Frees a block twice for large values: glibc notices and aborts, and
 * the heap is not to be trusted afterwards. */
GF_PROPERTY(corrupts_heap)
{
    int64_t x = gf_draw_int(tc, 0, 1000);
    char *volatile p = malloc(32);
    free(p);
    if (x > 500)
        free(p);
}

/* Killed for large values, as the kernel's OOM killer would. */
GF_PROPERTY(killed_on_big)
{
    if (gf_draw_int(tc, 0, 1000) > 200)
        raise(SIGKILL);
}

/* Stuck where no signal reaches for large values: every signal blocked,
 * and a loop.  Only a process boundary gets past this. */
GF_PROPERTY(stuck_on_big)
{
    if (gf_draw_int(tc, 0, 1000) > 100) {
        sigset_t all;
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, NULL);
        for (volatile unsigned long spin = 0;; spin++)
            ;
    }
}

/* Writes through a null pointer for large values. */
GF_PROPERTY(segfaults_on_big)
{
    int64_t x = gf_draw_int(tc, 0, 1000);
    volatile int *volatile nowhere = NULL;
    if (x > 900)
        *nowhere = (int)x;
}

GF_MAIN()
