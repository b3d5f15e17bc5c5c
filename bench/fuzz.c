/*
 * fuzz.c - how many inputs per second gf_fuzz_one runs: the cost Gadfly
 * adds to every execution of a fuzz target.
 *
 *     bench/fuzz [seconds-per-rep]      (default 1)
 *
 * Two trivially true properties, fed fixed pseudo-random inputs of 0 to 256
 * bytes (as a fuzzer's corpus would be), so that the time measured is the
 * mapping of bytes to choices and the case's bookkeeping:
 *   scalar: one int64_t per input, gf_draw(tc, gf_int64()).
 *   array:  up to 100 uint32_t per input, gf_draw_array(tc, gf_uint32(), ...).
 * The median of five samples is printed with the samples.  Only prints.
 */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif

#include <gadfly/fuzz.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define REPS 5
#define INPUTS 1024
#define MAX_INPUT 256

static volatile uint64_t sink;

GF_PROPERTY(bench_scalar)
{
    const int64_t *x = gf_draw(tc, gf_int64());
    sink ^= (uint64_t)*x;
}

GF_PROPERTY(bench_array)
{
    size_t n;
    const uint32_t *xs = gf_draw_array(tc, gf_uint32(), 0, 100, &n);
    sink ^= n ? xs[n - 1] : 0;
}

static uint8_t inputs[INPUTS][MAX_INPUT];
static size_t sizes[INPUTS];

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void measure(const char *name, const gf_property *p, double seconds)
{
    /* Calibrate the number of calls to about `seconds` of CPU time. */
    uint64_t calls = 1024;
    for (;;) {
        double t0 = cpu_seconds();
        for (uint64_t i = 0; i < calls; i++)
            gf_fuzz_one(p, inputs[i % INPUTS], sizes[i % INPUTS]);
        double t = cpu_seconds() - t0;
        if (t > seconds / 4 || calls > (1ull << 40))
            break;
        calls *= 2;
    }
    calls = (uint64_t)((double)calls * 4);
    double rates[REPS];
    for (int r = 0; r < REPS; r++) {
        double t0 = cpu_seconds();
        for (uint64_t i = 0; i < calls; i++)
            gf_fuzz_one(p, inputs[i % INPUTS], sizes[i % INPUTS]);
        rates[r] = (double)calls / (cpu_seconds() - t0);
    }
    double sorted[REPS];
    for (int r = 0; r < REPS; r++)
        sorted[r] = rates[r];
    qsort(sorted, REPS, sizeof sorted[0], compare_double);
    printf("%-7s %12.0f inputs/s  (", name, sorted[REPS / 2]);
    for (int r = 0; r < REPS; r++)
        printf("%s%.0f", r ? " " : "", rates[r]);
    printf(")\n");
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    if (!(seconds > 0)) {
        fprintf(stderr, "usage: %s [seconds-per-rep]\n", argv[0]);
        return 2;
    }
    uint64_t x = 0x2545F4914F6CDD1Dull;
    for (int i = 0; i < INPUTS; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        sizes[i] = (size_t)(x % (MAX_INPUT + 1));
        for (int k = 0; k < MAX_INPUT; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            inputs[i][k] = (uint8_t)x;
        }
    }
    measure("scalar", &gf_prop_bench_scalar, seconds);
    measure("array", &gf_prop_bench_array, seconds);
    return 0;
}
