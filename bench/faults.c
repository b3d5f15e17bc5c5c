/*
 * faults.c - how well Gadfly finds and shrinks partial failures: the fault
 * examples (examples/payment, wal, retry_storm) over many seeds.
 *
 *     bench/faults [seeds]          (default 10 seeds)
 *
 * Each buggy property is run as its users run it, as a process:
 *     examples/NAME --seed S --trials 1000 --no-db --filter PROPERTY
 * for S in 1..seeds.  One row per bug: on how many seeds it was found
 * within the 1,000 cases, the median case it was found at, how many faults
 * the shrunk counterexample injected (lowest and highest over the seeds),
 * the fewest faults the bug needs (argued in each example's comment), on
 * how many seeds the shrunk case had exactly that many, and on how many it
 * was the example's whole minimal counterexample (its values and each
 * fault with its call, as the example's comment prints it).  Then each
 * fixed version, 1,000 cases per seed: on how many seeds it held.
 *
 * Every figure is the same on every run and machine (nothing is timed),
 * so docs/faults.md quotes the table and tests/test_docs.sh reruns it.
 * This program only prints, and exits 0 whatever it measured (2 on a bad
 * command line, 3 when an example cannot be run); tests/test_faults.sh
 * asserts the bugs on fewer seeds.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_SEEDS 10
#define MAX_SEEDS 1000
#define TRIALS "1000"
#define MAX_LINES 4

extern char **environ;

/* One bug: the example, its property, and its minimal counterexample. */
typedef struct bug {
    const char *example;
    const char *property;
    unsigned fewest;                 /* faults the bug needs */
    const char *minimal[MAX_LINES];  /* lines of the ideal shrunk report */
} bug;

static const bug bugs[] = {
    {"payment", "payment_charges_once", 1,
     {"  orders = 1", "gateway.charge: pending (call 1)"}},
    {"wal", "wal_naive_keeps_acknowledged", 1,
     {"  records = 1", "posix/io/rw/write: short, 1 of 24 bytes (call 1)"}},
    {"wal", "wal_retry_keeps_acknowledged", 2,
     {"  records = 2", "posix/io/rw/write: short, 1 of 24 bytes (call 1)",
      "posix/io/rw/write: ENOSPC (call 2)"}},
    {"retry_storm", "retry_load_stays_bounded", 1,
     {"  callers = 3", "conn.reset: delay 40 ms (call 1)"}},
};

/* The fixed versions, which must hold. */
static const struct fixed {
    const char *example;
    const char *property;
} fixes[] = {
    {"payment", "payment_fixed_charges_once"},
    {"wal", "wal_fixed_keeps_acknowledged"},
    {"retry_storm", "retry_fixed_load_stays_bounded"},
};

static _Noreturn void fatal(const char *what)
{
    fprintf(stderr, "faults: %s: %s\n", what, strerror(errno));
    exit(3);
}

/* What one run printed, and how it ended. */
typedef struct outcome {
    int status; /* exit status, or -1 when killed */
    char *text;
} outcome;

static outcome run_example(const char *dir, const char *example,
                           const char *property, unsigned seed)
{
    char path[PATH_MAX], seed_text[16];
    snprintf(path, sizeof path, "%s/../examples/%s", dir, example);
    snprintf(seed_text, sizeof seed_text, "%u", seed);
    char *argv[] = {path, "--seed", seed_text, "--trials", TRIALS, "--no-db",
                    "--filter", (char *)property, NULL};
    int out[2];
    if (pipe(out) != 0)
        fatal("pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    pid_t pid;
    int err = posix_spawn(&pid, path, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    if (err != 0) {
        errno = err;
        fatal(path);
    }
    size_t len = 0, cap = 4096;
    char *text = malloc(cap);
    if (!text)
        fatal("malloc");
    for (;;) {
        if (len + 1 == cap && !(text = realloc(text, cap *= 2)))
            fatal("realloc");
        ssize_t got = read(out[0], text + len, cap - len - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            fatal("read");
        if (got == 0)
            break;
        len += (size_t)got;
    }
    text[len] = '\0';
    close(out[0]);
    int ws;
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR)
            fatal("waitpid");
    return (outcome){WIFEXITED(ws) ? WEXITSTATUS(ws) : -1, text};
}

/* "  note:      2 posix/io/rw/write: ENOSPC (call 2) at wal.c:60" is a
 * fault line; its text, without the number and the source line, is
 * copied to out. */
static bool fault_line(const char *line, size_t len, char *out, size_t cap)
{
    const char *p = line, *end = line + len;
    if (len < 9 || strncmp(p, "  note:  ", 9) != 0)
        return false;
    p += 9;
    while (p < end && *p == ' ')
        p++;
    const char *digits = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    if (p == digits || p == end || *p != ' ')
        return false;
    p++;
    /* The point's name, then ": " (a schedule line has a task there). */
    const char *space = memchr(p, ' ', (size_t)(end - p));
    if (p == end || *p == ' ' || !space || space[-1] != ':')
        return false;
    const char *stop = end;
    for (const char *q = p; q + 4 <= end; q++)
        if (strncmp(q, ") at ", 5) == 0)
            stop = q + 1;
    if (stop[-1] != ')')
        return false;
    snprintf(out, cap, "%.*s", (int)(stop - p), p);
    return true;
}

/* What the report of one found bug says. */
typedef struct reading {
    uint64_t cases; /* "after N cases" */
    unsigned faults;
    bool minimal;
} reading;

static reading read_report(const bug *b, const char *text)
{
    reading r = {0, 0, true};
    const char *after = strstr(text, " after ");
    if (after)
        r.cases = strtoull(after + 7, NULL, 10);
    unsigned want_values = 0, want_faults = 0, seen_values = 0;
    bool in_values = true; /* the drawn values come first, one per line */
    for (unsigned i = 0; i < MAX_LINES && b->minimal[i]; i++)
        b->minimal[i][0] == ' ' ? want_values++ : want_faults++;
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char fault[256];
        if (fault_line(line, len, fault, sizeof fault)) {
            r.faults++;
            const char *want = r.faults <= want_faults
                                   ? b->minimal[want_values + r.faults - 1]
                                   : NULL;
            if (!want || strcmp(fault, want) != 0)
                r.minimal = false;
        } else if (strncmp(line, "  note:", 7) == 0 ||
                   strncmp(line, "  at ", 5) == 0) {
            in_values = false;
        } else if (in_values && len > 2 && strncmp(line, "  ", 2) == 0 &&
                   line[2] != ' ' && memchr(line, '=', len)) {
            if (seen_values >= want_values ||
                len != strlen(b->minimal[seen_values]) ||
                strncmp(line, b->minimal[seen_values], len) != 0)
                r.minimal = false;
            seen_values++;
        }
        line = nl ? nl + 1 : line + len;
    }
    if (r.faults != want_faults || seen_values != want_values)
        r.minimal = false;
    return r;
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void print_median(uint64_t *v, size_t n)
{
    if (n == 0) {
        printf("-");
        return;
    }
    qsort(v, n, sizeof *v, compare_u64);
    if (n % 2)
        printf("%" PRIu64, v[n / 2]);
    else if ((v[n / 2 - 1] + v[n / 2]) % 2 == 0)
        printf("%" PRIu64, (v[n / 2 - 1] + v[n / 2]) / 2);
    else
        printf("%" PRIu64 ".5", (v[n / 2 - 1] + v[n / 2]) / 2);
}

static void measure_bug(const char *dir, const bug *b, unsigned seeds)
{
    uint64_t *cases = calloc(seeds, sizeof *cases);
    if (!cases)
        fatal("calloc");
    unsigned found = 0, at_fewest = 0, minimal = 0;
    unsigned lo = UINT_MAX, hi = 0;
    for (unsigned seed = 1; seed <= seeds; seed++) {
        outcome o = run_example(dir, b->example, b->property, seed);
        if (o.status == 1 && strncmp(o.text, "FAIL ", 5) == 0) {
            reading r = read_report(b, o.text);
            cases[found++] = r.cases;
            lo = r.faults < lo ? r.faults : lo;
            hi = r.faults > hi ? r.faults : hi;
            at_fewest += r.faults == b->fewest;
            minimal += r.minimal;
        }
        free(o.text);
    }
    printf("| %s | %s | %u/%u | ", b->example, b->property, found, seeds);
    print_median(cases, found);
    if (found == 0)
        printf(" | - ");
    else if (lo == hi)
        printf(" | %u ", lo);
    else
        printf(" | %u-%u ", lo, hi);
    printf("| %u | %u/%u | %u/%u |\n", b->fewest, at_fewest, found, minimal,
           found);
    free(cases);
}

static void measure_fix(const char *dir, const struct fixed *f,
                        unsigned seeds)
{
    unsigned held = 0;
    for (unsigned seed = 1; seed <= seeds; seed++) {
        outcome o = run_example(dir, f->example, f->property, seed);
        held += o.status == 0;
        free(o.text);
    }
    printf("| %s | %s | %u/%u |\n", f->example, f->property, held, seeds);
}

static void usage(const char *argv0)
{
    fprintf(stderr, "usage: %s [seeds]   (seeds in 1..%d, default %d)\n",
            argv0, MAX_SEEDS, DEFAULT_SEEDS);
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc > 2)
        usage(argv[0]);
    unsigned seeds = DEFAULT_SEEDS;
    if (argc == 2) {
        char *end;
        errno = 0;
        unsigned long n = strtoul(argv[1], &end, 10);
        if (errno || end == argv[1] || *end || argv[1][0] == '-' || n < 1 ||
            n > MAX_SEEDS)
            usage(argv[0]);
        seeds = (unsigned)n;
    }
    /* The examples are built beside bench/, in the same build tree. */
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n < 0)
        fatal("/proc/self/exe");
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash)
        *slash = '\0';

    printf("Seeds 1..%u, up to %s cases each:\n\n", seeds, TRIALS);
    printf("| Example | Property | Found | Median cases to find "
           "| Faults after shrinking | Fewest the bug needs "
           "| Shrunk to fewest | Whole minimal case |\n");
    printf("|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < sizeof bugs / sizeof *bugs; i++)
        measure_bug(self, &bugs[i], seeds);
    printf("\nThe fixed versions, %s cases on each seed:\n\n", TRIALS);
    printf("| Example | Property | Held |\n|---|---|---|\n");
    for (size_t i = 0; i < sizeof fixes / sizeof *fixes; i++)
        measure_fix(self, &fixes[i], seeds);
    return 0;
}
