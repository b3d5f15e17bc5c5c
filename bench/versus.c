/*
 * versus.c - Gadfly beside a bare loop on the same workloads, printed as
 * ratios.
 *
 *     bench/versus [reps]      (default 5, at most 99)
 *
 * Every measurement runs in a child process of its own, so its CPU time
 * (user + system, its worker processes included) and its peak RSS are its
 * own; the runs alternate between the bare loop and Gadfly, and each
 * figure is the median of reps runs.
 *
 *   scalar: one int64_t per case.  The bare loop draws it from a PRNG and
 *           passes it to the property through a function pointer; Gadfly
 *           runs gf_draw(tc, gf_int64()) through gf_main --no-db.
 *   array:  0..100 uint32_t per case.  The bare loop draws a length and
 *           fills an array; Gadfly runs gf_draw_array(tc, gf_uint32(), 0,
 *           100, &n).
 * Both at 1M and 10M cases.  Then shrinking: the same bug (a list of
 * 0..1000 whose sum passes 5000) as a failed assertion and as abort(),
 * each through gf_main with workers, and the crash with --no-fork too.
 *
 * It only prints: timing is never asserted.
 */
#include <gadfly.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPS 99
#define MAX_ITEMS 100

/* ---- the bare loop -------------------------------------------------------- */

/* xoshiro256**, seeded by splitmix64: a fast, good PRNG of the kind any
 * hand-written loop would use. */
typedef struct prng {
    uint64_t s[4];
} prng;

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t prng_next(prng *g)
{
    uint64_t *s = g->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

static void prng_seed(prng *g, uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        uint64_t z = (seed += 0x9E3779B97F4A7C15u);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        g->s[i] = z ^ (z >> 31);
    }
}

/* Keeps the compiler from deciding the values are unused. */
static volatile uint64_t sink;

static void check_scalar(int64_t x)
{
    sink ^= (uint64_t)x;
}

static void check_array(const uint32_t *xs, size_t n)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += xs[i];
    sink ^= sum;
}

/* Called through volatile pointers: an indirect call per case, as a
 * runner calling a property makes. */
static void (*volatile scalar_property)(int64_t) = check_scalar;
static void (*volatile array_property)(const uint32_t *, size_t) = check_array;

static void bare_scalar(uint64_t cases)
{
    prng g;
    prng_seed(&g, 1);
    for (uint64_t i = 0; i < cases; i++)
        scalar_property((int64_t)prng_next(&g));
}

static void bare_array(uint64_t cases)
{
    static uint32_t xs[MAX_ITEMS];
    prng g;
    prng_seed(&g, 1);
    for (uint64_t i = 0; i < cases; i++) {
        size_t n = (size_t)(prng_next(&g) % (MAX_ITEMS + 1));
        for (size_t k = 0; k < n; k++)
            xs[k] = (uint32_t)prng_next(&g);
        array_property(xs, n);
    }
}

/* ---- Gadfly on the same workloads ----------------------------------------- */

GF_PROPERTY(scalar)
{
    const int64_t *x = gf_draw(tc, gf_int64());
    check_scalar(*x);
}

GF_PROPERTY(array)
{
    size_t n;
    const uint32_t *xs = gf_draw_array(tc, gf_uint32(), 0, MAX_ITEMS, &n);
    check_array(xs, n);
}

static long list_sum(gf_case *tc)
{
    size_t n;
    const int64_t *xs = gf_draw_array(tc, gf_int(0, 1000), 0, 50, &n);
    long sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += xs[i];
    return sum;
}

GF_PROPERTY(sum_asserts)
{
    GF_ASSERT(tc, list_sum(tc) <= 5000);
}

GF_PROPERTY(sum_aborts)
{
    if (list_sum(tc) > 5000)
        abort();
}

/* ---- measuring ------------------------------------------------------------ */

typedef struct measure {
    double cpu, wall; /* seconds */
    double rss_mib;   /* peak */
} measure;

typedef struct job {
    const char *what; /* bare_scalar, bare_array, or a property's name */
    uint64_t cases;
    int seed;
    bool no_fork;
} job;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static GF_NORETURN void run_job(const job *j)
{
    if (strcmp(j->what, "bare_scalar") == 0) {
        bare_scalar(j->cases);
        _exit(0);
    }
    if (strcmp(j->what, "bare_array") == 0) {
        bare_array(j->cases);
        _exit(0);
    }
    char trials[24], seed[16];
    snprintf(trials, sizeof trials, "%llu", (unsigned long long)j->cases);
    snprintf(seed, sizeof seed, "%d", j->seed);
    char *argv[] = {"bench/versus", "--filter", (char *)j->what, "--seed",
                    seed, "--trials", trials, "--no-db", "--quiet",
                    j->no_fork ? "--no-fork" : NULL, NULL};
    /* The reports are not what is measured. */
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
        dup2(null, 1);
        dup2(null, 2);
    }
    gf_main(j->no_fork ? 10 : 9, argv);
    _exit(0);
}

/* One job in a child process: its CPU time, wall time and peak RSS. */
static measure measure_once(const job *j)
{
    fflush(NULL);
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("versus: fork");
        exit(3);
    }
    if (pid == 0)
        run_job(j);
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid) {
        perror("versus: wait4");
        exit(3);
    }
    measure m = {.wall = now() - t0};
    m.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
            (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    m.rss_mib = (double)ru.ru_maxrss / 1024.0;
    return m;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return v[n / 2];
}

/* Medians of reps runs of each job, the jobs alternating. */
static void measure_jobs(const job *jobs, size_t njobs, int reps,
                         measure *out)
{
    double cpu[8][MAX_REPS], wall[8][MAX_REPS], rss[8][MAX_REPS];
    for (int r = 0; r < reps; r++) {
        for (size_t k = 0; k < njobs; k++) {
            job j = jobs[k];
            if (j.seed == 0)
                j.seed = r + 1;
            measure m = measure_once(&j);
            cpu[k][r] = m.cpu;
            wall[k][r] = m.wall;
            rss[k][r] = m.rss_mib;
        }
    }
    for (size_t k = 0; k < njobs; k++) {
        out[k].cpu = median(cpu[k], reps);
        out[k].wall = median(wall[k], reps);
        out[k].rss_mib = median(rss[k], reps);
    }
}

static void compare_generation(const char *title, const char *bare,
                               const char *prop, uint64_t cases, int reps)
{
    /* The seed is fixed: the same run each time. */
    job jobs[2] = {{.what = bare, .cases = cases, .seed = 1},
                   {.what = prop, .cases = cases, .seed = 1}};
    measure m[2];
    measure_jobs(jobs, 2, reps, m);
    double per_bare = m[0].cpu / (double)cases;
    double per_gadfly = m[1].cpu / (double)cases;
    printf("%-7s %3lluM cases  CPU per case: gadfly/bare %6.1fx  "
           "(gadfly %5.1fM cases/s, bare %6.1fM)  peak RSS: gadfly/bare "
           "%4.2fx (%.1f MiB, %.1f MiB)\n",
           title, (unsigned long long)(cases / 1000000),
           per_bare > 0 ? per_gadfly / per_bare : 0.0,
           per_gadfly > 0 ? 1e-6 / per_gadfly : 0.0,
           per_bare > 0 ? 1e-6 / per_bare : 0.0,
           m[1].rss_mib / m[0].rss_mib, m[1].rss_mib, m[0].rss_mib);
    fflush(stdout);
}

static void compare_shrinking(int reps)
{
    job jobs[3] = {
        {.what = "sum_asserts", .cases = 100},
        {.what = "sum_aborts", .cases = 100},
        {.what = "sum_aborts", .cases = 100, .no_fork = true},
    };
    measure m[3];
    measure_jobs(jobs, 3, reps, m);
    printf("shrinking, the same bug over seeds 1..%d, whole runs:\n", reps);
    printf("  crash / assertion (workers)   wall %5.2fx  CPU %5.2fx   "
           "(%.4f s, %.4f s wall)\n",
           m[1].wall / m[0].wall, m[1].cpu / m[0].cpu, m[1].wall, m[0].wall);
    printf("  crash: workers / --no-fork    wall %5.2fx  CPU %5.2fx   "
           "(%.4f s, %.4f s wall)\n",
           m[1].wall / m[2].wall, m[1].cpu / m[2].cpu, m[1].wall, m[2].wall);
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    if (argc > 2 || reps < 1 || reps > MAX_REPS) {
        fprintf(stderr, "usage: %s [reps, 1 to %d]\n", argv[0], MAX_REPS);
        return 2;
    }
    printf("gadfly %s beside a bare loop (PRNG draw + indirect call), "
           "medians of %d runs, each in a process of its own\n",
           GF_VERSION_STRING, reps);
    static const uint64_t counts[] = {1000000, 10000000};
    for (size_t i = 0; i < 2; i++)
        compare_generation("scalar", "bare_scalar", "scalar", counts[i], reps);
    for (size_t i = 0; i < 2; i++)
        compare_generation("array", "bare_array", "array", counts[i], reps);
    compare_shrinking(reps);
    return 0;
}
