/*
 * reliab_cli.c - a GF_MAIN program for tests/test_reliab.sh: properties
 * that stop their own process, are interrupted while shrinking, move the
 * working directory, close stderr, leave grandchildren behind or misuse
 * the API.
 */
#include <gadfly.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0)
        ;
}

/* Creates the file named by $MARK (if set): the test waits for it. */
static void mark(void)
{
    const char *path = getenv("MARK");
    if (path) {
        int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0)
            close(fd);
    }
}

/* Stops its own process (SIGSTOP, or SIGTSTP with $TSTP) for large
 * values, and fails for larger ones. */
GF_PROPERTY(stops_itself)
{
    int64_t x = gf_draw_int(tc, 0, 1000);
    if (x > 500)
        raise(getenv("TSTP") ? SIGTSTP : SIGSTOP);
    GF_ASSERT_LT_INT(tc, x, 900);
}

/* Every call takes 50 ms, and the failure needs many calls to shrink:
 * a time budget shorter than sixteen calls must still be honoured. */
GF_PROPERTY(slow_to_shrink)
{
    size_t n;
    int64_t *xs = gf_draw_array(tc, gf_int(0, 1000), 10, 10, &n);
    sleep_ms(50);
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += xs[i];
    GF_ASSERT_LT_INT(tc, sum, 100);
}

/* Fails for most arrays, and each call takes a while, so that shrinking
 * is long: the test interrupts it.  $MARK appears once it fails. */
GF_PROPERTY(interrupted_while_shrinking)
{
    size_t n;
    int64_t *xs = gf_draw_array(tc, gf_int(0, 1000), 5, 20, &n);
    sleep_ms(100);
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += xs[i];
    if (sum >= 100)
        mark();
    GF_ASSERT_LT_INT(tc, sum, 100);
}

/* Holds, slowly: a --duration run the test interrupts while generating. */
GF_PROPERTY(holds_slowly)
{
    (void)gf_draw_int(tc, 0, 1000);
    mark();
    sleep_ms(10);
}

/* Moves to the directory $ELSEWHERE and fails: the failure must still be
 * saved in the database named at the start. */
GF_PROPERTY(moves_away)
{
    int64_t x = gf_draw_int(tc, 0, 1000);
    const char *elsewhere = getenv("ELSEWHERE");
    if (elsewhere && chdir(elsewhere) != 0)
        abort();
    GF_ASSERT_LT_INT(tc, x, 500);
}

/* Closes standard error, then fails. */
GF_PROPERTY(closes_stderr)
{
    int64_t x = gf_draw_int(tc, 0, 1000);
    close(2);
    GF_ASSERT_LT_INT(tc, x, 500);
}

/* Leaves a grandchild holding every inherited descriptor for a while,
 * then crashes for large values. */
GF_PROPERTY(leaves_grandchild)
{
    int64_t x = gf_draw_int(tc, 0, 1000);
    if (x > 300) {
        pid_t pid = fork();
        if (pid == 0) {
            sleep_ms(20000);
            _exit(0);
        }
        abort();
    }
}

/* Crashes on a thread it starts, for large values: SIGABRT, as a failed
 * assert() there does (a bad pointer would be stopped first by
 * UndefinedBehaviorSanitizer in CI's sanitizer build). */
static void *crash_if_large(void *arg)
{
    if (*(const int64_t *)arg > 500)
        abort();
    return NULL;
}

GF_PROPERTY(crashes_on_thread)
{
    int64_t x = gf_draw_int(tc, 0, 1000);
    pthread_t t;
    if (pthread_create(&t, NULL, crash_if_large, &x) != 0)
        abort();
    pthread_join(t, NULL);
}

/* Ends the process with status 0, bypassing exit handlers, for large
 * values. */
GF_PROPERTY(exits_quietly)
{
    int64_t x = gf_draw_int(tc, 0, 1000);
    if (x > 700)
        _exit(0);
}

/* ---- misuse: each is reported as the test's own error (exit 2) */

static void draw_nothing(gf_case *tc, void *out, void *env)
{
    (void)tc;
    (void)out;
    (void)env;
}

GF_PROPERTY(misuse_custom_size)
{
    (void)gf_draw(tc, gf_custom("huge", SIZE_MAX, draw_nothing, NULL, NULL));
}

GF_PROPERTY(misuse_alloc)
{
    (void)gf_alloc(tc, SIZE_MAX - 8);
}

GF_PROPERTY(misuse_array_len)
{
    (void)gf_draw_array(tc, gf_int(0, 10), 0, 5, NULL);
}

GF_PROPERTY(misuse_null_case)
{
    gf_case *none = NULL;
    (void)tc;
    (void)gf_draw_int(none, 0, 10);
}

GF_PROPERTY(misuse_weight)
{
    (void)gf_draw_weighted(tc, 2.0);
}

GF_PROPERTY(misuse_span_end)
{
    gf_span_begin(tc, 1);
    gf_span_end(tc, false);
    gf_span_end(tc, false);
}

/* ---- under AddressSanitizer: the arena is poisoned */

/* Writes one byte past a 13-byte block for large values. */
GF_PROPERTY(overflows_alloc)
{
    int64_t x = gf_draw_int(tc, 0, 1000);
    char *volatile p = gf_alloc(tc, 13);
    p[x > 500 ? 13 : 12] = 1;
}

/* Keeps a value past its case and reads it in a later one. */
static int64_t *volatile kept;

GF_PROPERTY(uses_after_case)
{
    int64_t *x = gf_draw(tc, gf_int(0, 1000));
    if (kept && *x > 500)
        GF_ASSERT(tc, *kept >= 0);
    kept = x;
}

GF_MAIN()
