/*
 * test_ffi.c - typed properties through libffi (src/ffi.c).
 *
 * Two kinds of evidence that arguments arrive intact: "probe" generators
 * (built here from gadfly/gen.h, one per value kind) log every value they
 * draw, and typed functions of every arity and width compare what they
 * receive with the log bit for bit; and the library's own generators are
 * run through recording functions to show each width's whole range,
 * bounds included, reaches the function.  Recordings live in shared memory
 * so that they survive whatever process the engine runs cases in.
 */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <gadfly.h>
#include <gadfly/gen.h>

#define MAX_ARGS 16

/* ---- running one typed call as a property ------------------------------- */

/* The call the property `call_current` makes (per thread: one test runs
 * typed calls on several threads at once). */
static _Thread_local struct {
    const char *name;
    gf_any_fn fn;
    gf_ret ret;
    const gf_gen *gens[MAX_ARGS + 2];
} current;

static void probe_log_reset(void);

static void call_current(gf_case *tc)
{
    probe_log_reset();
    gf_call_fn(tc, current.name, current.fn, current.ret, current.gens);
}

/* Run name(gens...) for `trials` cases with a fixed seed, quietly.  gens is
 * NULL-terminated; at most MAX_ARGS + 1 of them are copied. */
static gf_status run_typed(const char *name, gf_any_fn fn, gf_ret ret,
                           const gf_gen *const *gens, uint64_t trials,
                           gf_result *r)
{
    current.name = name;
    current.fn = fn;
    current.ret = ret;
    memset(current.gens, 0, sizeof current.gens);
    for (size_t i = 0; gens && gens[i] && i < MAX_ARGS + 1; i++)
        current.gens[i] = gens[i];
    gf_property p = {name, call_current, __FILE__, __LINE__, NULL};
    gf_options opt = {.seed = 0x5eed, .seed_set = true, .trials = trials,
                      .quiet = true};
    return gf_run(&p, &opt, r);
}

#define GENS(...) ((const gf_gen *const[]){__VA_ARGS__, NULL})

/* ---- shared recordings -------------------------------------------------- */

typedef struct seen {
    uint64_t calls;
    int64_t min_i, max_i;
    uint64_t min_u, max_u;
    bool negative, positive;
    unsigned char byte[256];   /* 8-bit values seen */
    bool flag[8];              /* test-specific observations */
    bool bad;                  /* an argument broke its contract */
} seen;

static seen *S;

static void seen_reset(void)
{
    if (!S) {
        S = mmap(NULL, sizeof *S, PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        cr_assert_neq(S, MAP_FAILED, "mmap of the shared recording failed");
    }
    memset(S, 0, sizeof *S);
    S->min_i = INT64_MAX;
    S->max_i = INT64_MIN;
    S->min_u = UINT64_MAX;
}

static void see_int(int64_t v)
{
    S->calls++;
    S->min_i = v < S->min_i ? v : S->min_i;
    S->max_i = v > S->max_i ? v : S->max_i;
    S->negative |= v < 0;
    S->positive |= v > 0;
}

static void see_uint(uint64_t v)
{
    S->calls++;
    S->min_u = v < S->min_u ? v : S->min_u;
    S->max_u = v > S->max_u ? v : S->max_u;
}

static size_t bytes_seen(void)
{
    size_t n = 0;
    for (size_t i = 0; i < 256; i++)
        n += S->byte[i];
    return n;
}

/* ---- probe generators --------------------------------------------------- */

/* What the probes drew in the current case, in draw order. */
static _Thread_local unsigned char probe_log[MAX_ARGS][8];
static _Thread_local size_t probe_count;

static void probe_log_reset(void)
{
    probe_count = 0;
}

/* One value of any probe kind; a member shares the union's address, so
 * copying `size` bytes from it copies that member. */
typedef union probe_value {
    int8_t i8;
    int16_t i16;
    int32_t i32;
    int64_t i64;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    bool b;
    float f;
    double d;
} probe_value;

/* Draw a value of self's kind over its whole range, and log it.  NaN is
 * left out: its bits may legitimately change on the way on some ABIs. */
static void probe_draw(gf_case *tc, const gf_gen *self, void *out)
{
    probe_value v;
    switch (self->kind) {
    case GF_VALUE_I8:
        v.i8 = (int8_t)gf_draw_int(tc, INT8_MIN, INT8_MAX);
        break;
    case GF_VALUE_I16:
        v.i16 = (int16_t)gf_draw_int(tc, INT16_MIN, INT16_MAX);
        break;
    case GF_VALUE_I32:
        v.i32 = (int32_t)gf_draw_int(tc, INT32_MIN, INT32_MAX);
        break;
    case GF_VALUE_I64:
        v.i64 = gf_draw_int(tc, INT64_MIN, INT64_MAX);
        break;
    case GF_VALUE_U8:
        v.u8 = (uint8_t)gf_draw_uint(tc, 0, UINT8_MAX);
        break;
    case GF_VALUE_U16:
        v.u16 = (uint16_t)gf_draw_uint(tc, 0, UINT16_MAX);
        break;
    case GF_VALUE_U32:
        v.u32 = (uint32_t)gf_draw_uint(tc, 0, UINT32_MAX);
        break;
    case GF_VALUE_U64:
        v.u64 = gf_draw_uint(tc, 0, UINT64_MAX);
        break;
    case GF_VALUE_BOOL:
        v.b = gf_draw_bool(tc);
        break;
    case GF_VALUE_FLOAT:
        v.f = (float)gf_draw_double(tc, -FLT_MAX, FLT_MAX, GF_DOUBLE_NO_NAN);
        break;
    default:
        v.d = gf_draw_double(tc, -INFINITY, INFINITY, GF_DOUBLE_NO_NAN);
        break;
    }
    memcpy(out, &v, self->size);
    if (probe_count < MAX_ARGS)
        memcpy(probe_log[probe_count++], out, self->size);
}

static void probe_print(gf_printer *p, const gf_gen *self, const void *value)
{
    const unsigned char *b = value;
    gf_print(p, "0x");
    for (size_t i = self->size; i-- > 0;)
        gf_print(p, "%02x", b[i]);
}

/* The probe generator of a number kind. */
static const gf_gen *probe(gf_value_kind kind, size_t size)
{
    gf_gen t;
    memset(&t, 0, sizeof t);
    t.name = "probe";
    t.size = size;
    t.align = size;
    t.kind = kind;
    t.label = gf_span_label("probe");
    t.draw = probe_draw;
    t.print = probe_print;
    return gf_gen_intern(&t);
}

/* Whether the n arguments at got (each `size` bytes) are what was drawn. */
static bool probe_matches(const void *got, size_t size, size_t n)
{
    if (probe_count != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (memcmp((const unsigned char *)got + i * size, probe_log[i],
                   size) != 0)
            return false;
    return true;
}

/* ---- functions of every arity ------------------------------------------- */

#define P1(T) T a1
#define P2(T) P1(T), T a2
#define P3(T) P2(T), T a3
#define P4(T) P3(T), T a4
#define P5(T) P4(T), T a5
#define P6(T) P5(T), T a6
#define P7(T) P6(T), T a7
#define P8(T) P7(T), T a8
#define P9(T) P8(T), T a9
#define P10(T) P9(T), T a10
#define P11(T) P10(T), T a11
#define P12(T) P11(T), T a12
#define P13(T) P12(T), T a13
#define P14(T) P13(T), T a14
#define P15(T) P14(T), T a15
#define P16(T) P15(T), T a16
#define A1 a1
#define A2 A1, a2
#define A3 A2, a3
#define A4 A3, a4
#define A5 A4, a5
#define A6 A5, a6
#define A7 A6, a7
#define A8 A7, a8
#define A9 A8, a9
#define A10 A9, a10
#define A11 A10, a11
#define A12 A11, a12
#define A13 A12, a13
#define A14 A13, a14
#define A15 A14, a15
#define A16 A15, a16

/* shape_<tag>_<k>(T a1, ..., T ak) checks its arguments against the probe
 * log and reports through its return kind R. */
#define SHAPE(T, tag, R, report, k)                                          \
    static R shape_##tag##_##k(P##k(T))                                      \
    {                                                                        \
        const T got[] = {A##k};                                              \
        bool ok = probe_matches(got, sizeof(T), k);                          \
        report;                                                              \
    }
#define SHAPES(T, tag, R, report)                                            \
    SHAPE(T, tag, R, report, 1) SHAPE(T, tag, R, report, 2)                  \
    SHAPE(T, tag, R, report, 3) SHAPE(T, tag, R, report, 4)                  \
    SHAPE(T, tag, R, report, 5) SHAPE(T, tag, R, report, 6)                  \
    SHAPE(T, tag, R, report, 7) SHAPE(T, tag, R, report, 8)                  \
    SHAPE(T, tag, R, report, 9) SHAPE(T, tag, R, report, 10)                 \
    SHAPE(T, tag, R, report, 11) SHAPE(T, tag, R, report, 12)                \
    SHAPE(T, tag, R, report, 13) SHAPE(T, tag, R, report, 14)                \
    SHAPE(T, tag, R, report, 15) SHAPE(T, tag, R, report, 16)                \
    static const gf_any_fn shapes_##tag[MAX_ARGS] = {                        \
        (gf_any_fn)shape_##tag##_1,  (gf_any_fn)shape_##tag##_2,             \
        (gf_any_fn)shape_##tag##_3,  (gf_any_fn)shape_##tag##_4,             \
        (gf_any_fn)shape_##tag##_5,  (gf_any_fn)shape_##tag##_6,             \
        (gf_any_fn)shape_##tag##_7,  (gf_any_fn)shape_##tag##_8,             \
        (gf_any_fn)shape_##tag##_9,  (gf_any_fn)shape_##tag##_10,            \
        (gf_any_fn)shape_##tag##_11, (gf_any_fn)shape_##tag##_12,            \
        (gf_any_fn)shape_##tag##_13, (gf_any_fn)shape_##tag##_14,            \
        (gf_any_fn)shape_##tag##_15, (gf_any_fn)shape_##tag##_16,            \
    };

SHAPES(int8_t, i8, bool, return ok)
SHAPES(uint16_t, u16, int, return ok ? -3 : 0)
SHAPES(int32_t, i32, void, GF_ASSERT(gf_current(), ok))
SHAPES(int64_t, i64, bool, return ok)
SHAPES(uint64_t, u64, int, return ok ? 1 << 8 : 0)
SHAPES(bool, b, bool, return ok)
SHAPES(float, f, bool, return ok)
SHAPES(double, d, int, return ok)

typedef struct shape_family {
    const char *tag;
    const gf_any_fn *fns;
    gf_ret ret;
    gf_value_kind kind;
    size_t size;
} shape_family;

static const shape_family families[] = {
    {"i8", shapes_i8, GF_RET_BOOL, GF_VALUE_I8, 1},
    {"u16", shapes_u16, GF_RET_INT, GF_VALUE_U16, 2},
    {"i32", shapes_i32, GF_RET_VOID, GF_VALUE_I32, 4},
    {"i64", shapes_i64, GF_RET_BOOL, GF_VALUE_I64, 8},
    {"u64", shapes_u64, GF_RET_INT, GF_VALUE_U64, 8},
    {"bool", shapes_b, GF_RET_BOOL, GF_VALUE_BOOL, sizeof(bool)},
    {"float", shapes_f, GF_RET_BOOL, GF_VALUE_FLOAT, sizeof(float)},
    {"double", shapes_d, GF_RET_INT, GF_VALUE_DOUBLE, sizeof(double)},
};

/* 8 families x 16 arities = 128 call shapes: more than the interface cache
 * holds, so calls past it exercise the per-case fallback as well. */
/* Run every shape for `trials` cases; returns how many did not pass (and
 * reports them when `report` is set: Criterion asserts belong to the test's
 * own thread). */
static size_t run_every_shape(uint64_t trials, bool report)
{
    size_t bad = 0;
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
        const shape_family *fam = &families[f];
        const gf_gen *gens[MAX_ARGS + 1] = {NULL};
        for (size_t k = 1; k <= MAX_ARGS; k++) {
            gens[k - 1] = probe(fam->kind, fam->size);
            gf_result r = {0};
            gf_status st = run_typed(fam->tag, fam->fns[k - 1], fam->ret,
                                     gens, trials, &r);
            bool ok = st == GF_PASSED && r.cases > 1;
            bad += !ok;
            if (report && !ok)
                cr_expect_fail("%s with %zu arguments: status %d after %llu "
                               "cases: %s", fam->tag, k, (int)st,
                               (unsigned long long)r.cases,
                               r.message ? r.message : "(no message)");
            gf_result_free(&r);
        }
    }
    return bad;
}

Test(ffi, every_arity_and_width_passes_exact_values)
{
    cr_expect_eq(run_every_shape(30, true), 0);
}

static void *shape_thread(void *failures)
{
    *(size_t *)failures = run_every_shape(10, false);
    return NULL;
}

/* Threads racing to fill and read the shared interface cache. */
Test(ffi, typed_calls_on_several_threads)
{
    enum { NTHREADS = 4 };
    pthread_t threads[NTHREADS];
    size_t failures[NTHREADS] = {0};
    for (size_t i = 0; i < NTHREADS; i++)
        cr_assert_eq(pthread_create(&threads[i], NULL, shape_thread,
                                    &failures[i]), 0);
    for (size_t i = 0; i < NTHREADS; i++) {
        pthread_join(threads[i], NULL);
        cr_expect_eq(failures[i], 0, "thread %zu: %zu shapes failed", i,
                     failures[i]);
    }
}

/* Sixteen arguments of mixed kinds: integer registers, vector registers and
 * the stack all in one call. */
static bool mixed16(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e,
                    uint32_t f, int64_t g, uint64_t h, bool i, float j,
                    double k, int8_t l, double m, float n, uint64_t o,
                    int16_t p)
{
    bool ok = probe_count == 16;
#define CHECK(idx, var)                                                      \
    ok = ok && memcmp(&var, probe_log[idx], sizeof var) == 0
    CHECK(0, a); CHECK(1, b); CHECK(2, c); CHECK(3, d);
    CHECK(4, e); CHECK(5, f); CHECK(6, g); CHECK(7, h);
    CHECK(8, i); CHECK(9, j); CHECK(10, k); CHECK(11, l);
    CHECK(12, m); CHECK(13, n); CHECK(14, o); CHECK(15, p);
#undef CHECK
    return ok;
}

Test(ffi, sixteen_mixed_arguments)
{
    const gf_gen *const *gens = GENS(
        probe(GF_VALUE_I8, 1), probe(GF_VALUE_U8, 1), probe(GF_VALUE_I16, 2),
        probe(GF_VALUE_U16, 2), probe(GF_VALUE_I32, 4), probe(GF_VALUE_U32, 4),
        probe(GF_VALUE_I64, 8), probe(GF_VALUE_U64, 8),
        probe(GF_VALUE_BOOL, sizeof(bool)),
        probe(GF_VALUE_FLOAT, sizeof(float)),
        probe(GF_VALUE_DOUBLE, sizeof(double)), probe(GF_VALUE_I8, 1),
        probe(GF_VALUE_DOUBLE, sizeof(double)),
        probe(GF_VALUE_FLOAT, sizeof(float)), probe(GF_VALUE_U64, 8),
        probe(GF_VALUE_I16, 2));
    gf_result r = {0};
    gf_status st =
        run_typed("mixed16", (gf_any_fn)mixed16, GF_RET_BOOL, gens, 300, &r);
    cr_expect_eq(st, GF_PASSED, "%s", r.message ? r.message : "");
    cr_expect_gt(r.cases, 100);
    gf_result_free(&r);
}

/* ---- the library's integer generators ----------------------------------- */

static bool rec_i8(int8_t x)
{
    see_int(x);
    S->byte[(uint8_t)x] = 1;
    return true;
}

static bool rec_i16(int16_t x) { see_int(x); return true; }
static bool rec_i32(int32_t x) { see_int(x); return true; }
static bool rec_i64(int64_t x) { see_int(x); return true; }
static bool rec_u8(uint8_t x) { see_uint(x); S->byte[x] = 1; return true; }
static bool rec_u16(uint16_t x) { see_uint(x); return true; }
static bool rec_u32(uint32_t x) { see_uint(x); return true; }
static bool rec_u64(uint64_t x) { see_uint(x); return true; }

static void expect_signed_range(const char *name, gf_any_fn fn,
                                const gf_gen *g, int64_t lo, int64_t hi)
{
    seen_reset();
    gf_result r = {0};
    cr_assert_eq(run_typed(name, fn, GF_RET_BOOL, GENS(g), 1000, &r),
                 GF_PASSED, "%s: %s", name, r.message ? r.message : "");
    gf_result_free(&r);
    cr_expect_eq(S->min_i, lo, "%s: smallest seen %lld", name,
                 (long long)S->min_i);
    cr_expect_eq(S->max_i, hi, "%s: largest seen %lld", name,
                 (long long)S->max_i);
    cr_expect(S->negative && S->positive, "%s: saw only one sign", name);
}

static void expect_unsigned_range(const char *name, gf_any_fn fn,
                                  const gf_gen *g, uint64_t hi)
{
    seen_reset();
    gf_result r = {0};
    cr_assert_eq(run_typed(name, fn, GF_RET_BOOL, GENS(g), 1000, &r),
                 GF_PASSED, "%s: %s", name, r.message ? r.message : "");
    gf_result_free(&r);
    cr_expect_eq(S->min_u, 0, "%s: smallest seen %llu", name,
                 (unsigned long long)S->min_u);
    cr_expect_eq(S->max_u, hi, "%s: largest seen %llu", name,
                 (unsigned long long)S->max_u);
}

Test(ffi, int8_reaches_every_value)
{
    expect_signed_range("rec_i8", (gf_any_fn)rec_i8, gf_int8(), INT8_MIN,
                        INT8_MAX);
    cr_expect_eq(bytes_seen(), 256, "int8: %zu of 256 values seen",
                 bytes_seen());
}

Test(ffi, uint8_reaches_every_value)
{
    expect_unsigned_range("rec_u8", (gf_any_fn)rec_u8, gf_uint8(), UINT8_MAX);
    cr_expect_eq(bytes_seen(), 256, "uint8: %zu of 256 values seen",
                 bytes_seen());
}

Test(ffi, wider_integers_reach_both_bounds)
{
    expect_signed_range("rec_i16", (gf_any_fn)rec_i16, gf_int16(), INT16_MIN,
                        INT16_MAX);
    expect_signed_range("rec_i32", (gf_any_fn)rec_i32, gf_int32(), INT32_MIN,
                        INT32_MAX);
    expect_signed_range("rec_i64", (gf_any_fn)rec_i64, gf_int64(), INT64_MIN,
                        INT64_MAX);
    expect_unsigned_range("rec_u16", (gf_any_fn)rec_u16, gf_uint16(),
                          UINT16_MAX);
    expect_unsigned_range("rec_u32", (gf_any_fn)rec_u32, gf_uint32(),
                          UINT32_MAX);
    expect_unsigned_range("rec_u64", (gf_any_fn)rec_u64, gf_uint64(),
                          UINT64_MAX);
}

/* gf_int(lo, hi) passes an int64_t that stays inside its bounds. */
Test(ffi, bounded_int_stays_in_range)
{
    expect_signed_range("rec_i64", (gf_any_fn)rec_i64, gf_int(-5, 9), -5, 9);
}

static bool rec_bool(bool b)
{
    unsigned char raw;
    memcpy(&raw, &b, 1);
    S->bad |= raw > 1;
    S->flag[raw & 1] = true;
    S->calls++;
    return true;
}

Test(ffi, bool_is_passed_as_a_c_bool)
{
    seen_reset();
    gf_result r = {0};
    cr_assert_eq(run_typed("rec_bool", (gf_any_fn)rec_bool, GF_RET_BOOL,
                           GENS(gf_bool()), 50, &r),
                 GF_PASSED);
    gf_result_free(&r);
    cr_expect(!S->bad, "a bool argument was neither 0 nor 1");
    cr_expect(S->flag[0] && S->flag[1], "false and true should both arrive");
}

/* ---- floating point ----------------------------------------------------- */

static bool rec_double(double d)
{
    S->calls++;
    S->flag[0] |= isnan(d);
    S->flag[1] |= isinf(d);
    S->flag[2] |= d == 0.0 && signbit(d);
    S->flag[3] |= isfinite(d) && d != 0.0;
    return true;
}

static bool double_in_unit(double d)
{
    S->calls++;
    S->bad |= !(d >= 1.0 && d <= 2.0);
    return true;
}

static bool float_in_unit(float f)
{
    S->calls++;
    S->bad |= !(f >= -1.0f && f <= 1.0f);
    S->flag[0] |= f != 0.0f;
    return true;
}

Test(ffi, double_arguments_include_special_values)
{
    seen_reset();
    gf_result r = {0};
    cr_assert_eq(run_typed("rec_double", (gf_any_fn)rec_double, GF_RET_BOOL,
                           GENS(gf_double()), 500, &r),
                 GF_PASSED);
    gf_result_free(&r);
    cr_expect(S->flag[0], "no NaN reached the function");
    cr_expect(S->flag[1], "no infinity reached the function");
    cr_expect(S->flag[2], "no -0.0 reached the function");
    cr_expect(S->flag[3], "no ordinary number reached the function");
}

Test(ffi, bounded_double_and_float_arrive_in_range)
{
    seen_reset();
    gf_result r = {0};
    cr_assert_eq(run_typed("double_in_unit", (gf_any_fn)double_in_unit,
                           GF_RET_BOOL,
                           GENS(gf_double_in(1.0, 2.0, GF_DOUBLE_FINITE)), 200,
                           &r),
                 GF_PASSED);
    gf_result_free(&r);
    cr_expect(!S->bad, "a double arrived outside [1, 2]");
    cr_expect_gt(S->calls, 0);

    seen_reset();
    cr_assert_eq(run_typed("float_in_unit", (gf_any_fn)float_in_unit,
                           GF_RET_BOOL,
                           GENS(gf_float_in(-1.0f, 1.0f, GF_DOUBLE_FINITE)),
                           200, &r),
                 GF_PASSED);
    gf_result_free(&r);
    cr_expect(!S->bad, "a float arrived outside [-1, 1]");
    cr_expect(S->flag[0], "every float was zero");
}

/* ---- pointers: text, bytes, arrays, optional ---------------------------- */

/* Length in code points of valid UTF-8 without NUL, or -1. */
static long utf8_length(const char *s)
{
    long n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int extra = *p < 0x80 ? 0 : *p >= 0xF0 ? 3 : *p >= 0xE0 ? 2
                  : *p >= 0xC2 ? 1 : -1;
        if (extra < 0 || *p > 0xF4)
            return -1;
        for (int i = 1; i <= extra; i++)
            if ((p[i] & 0xC0) != 0x80)
                return -1;
        p += extra + 1;
        n++;
    }
    return n;
}

static bool rec_utf8(const char *s)
{
    S->calls++;
    long n = s ? utf8_length(s) : -1;
    S->bad |= n < 0 || n > 6;
    S->flag[0] |= n == 0;
    S->flag[1] |= s && (long)strlen(s) > n; /* a multi-byte character */
    return true;
}

Test(ffi, text_arguments_are_char_pointers)
{
    seen_reset();
    gf_result r = {0};
    cr_assert_eq(run_typed("rec_utf8", (gf_any_fn)rec_utf8, GF_RET_BOOL,
                           GENS(gf_utf8(0, 6)), 200, &r),
                 GF_PASSED);
    gf_result_free(&r);
    cr_expect(!S->bad, "a string was NULL, invalid UTF-8 or too long");
    cr_expect(S->flag[0], "the empty string never arrived");
    cr_expect(S->flag[1], "no multi-byte character arrived");
}

static bool rec_array(const gf_array_value *a)
{
    S->calls++;
    if (!a || a->len > 5 || (a->len && !a->items)) {
        S->bad = true;
        return true;
    }
    const int16_t *items = a->items;
    int64_t sum = 0;
    for (size_t i = 0; i < a->len; i++)
        sum += items[i]; /* every item readable */
    S->flag[0] |= a->len == 0;
    S->flag[1] |= a->len == 5;
    S->flag[2] |= sum != 0;
    return true;
}

Test(ffi, array_arguments_are_value_pointers)
{
    seen_reset();
    gf_result r = {0};
    cr_assert_eq(run_typed("rec_array", (gf_any_fn)rec_array, GF_RET_BOOL,
                           GENS(gf_array(gf_int16(), 0, 5)), 300, &r),
                 GF_PASSED);
    gf_result_free(&r);
    cr_expect(!S->bad, "an array value was NULL or broke its bounds");
    cr_expect(S->flag[0] && S->flag[1], "lengths 0 and 5 should both arrive");
    cr_expect(S->flag[2], "every array summed to zero");
}

static bool rec_bytes(const gf_bytes_value *b)
{
    S->calls++;
    S->bad |= !b || b->len < 1 || b->len > 4 || !b->data;
    return true;
}

static bool rec_optional(const int32_t *p)
{
    S->calls++;
    S->flag[p != NULL] = true;
    return true;
}

Test(ffi, bytes_and_optional_arguments)
{
    seen_reset();
    gf_result r = {0};
    cr_assert_eq(run_typed("rec_bytes", (gf_any_fn)rec_bytes, GF_RET_BOOL,
                           GENS(gf_bytes(1, 4)), 100, &r),
                 GF_PASSED);
    gf_result_free(&r);
    cr_expect(!S->bad, "a bytes value was NULL or broke its bounds");

    seen_reset();
    cr_assert_eq(run_typed("rec_optional", (gf_any_fn)rec_optional,
                           GF_RET_BOOL, GENS(gf_optional(gf_int32())), 100,
                           &r),
                 GF_PASSED);
    gf_result_free(&r);
    cr_expect(S->flag[0] && S->flag[1], "optional: NULL and a value expected");
}

/* ---- return kinds ------------------------------------------------------- */

/* Nonzero in bits that a byte-sized read would miss. */
static int returns_256(int8_t x)
{
    (void)x;
    return 256;
}

static int zero_at_seven(int64_t x)
{
    return x == 7 ? 0 : -1;
}

static void void_below_five(int64_t x)
{
    GF_ASSERT_LT_INT(gf_current(), x, 5);
}

static void void_quiet(int64_t x)
{
    S->calls++;
    (void)x;
}

Test(ffi, int_return_holds_when_nonzero)
{
    gf_result r = {0};
    cr_expect_eq(run_typed("returns_256", (gf_any_fn)returns_256, GF_RET_INT,
                           GENS(gf_int8()), 50, &r),
                 GF_PASSED, "256 is nonzero: %s", r.message ? r.message : "");
    gf_result_free(&r);

    cr_assert_eq(run_typed("zero_at_seven", (gf_any_fn)zero_at_seven,
                           GF_RET_INT, GENS(gf_int(0, 20)), 200, &r),
                 GF_FAILED);
    cr_expect_not_null(strstr(r.message, "zero_at_seven(arg1) returned 0"),
                       "message: %s", r.message);
    cr_expect_not_null(strstr(r.counterexample, "arg1 = 7"),
                       "counterexample: %s", r.counterexample);
    gf_result_free(&r);
}

Test(ffi, void_return_fails_only_by_assertion)
{
    seen_reset();
    gf_result r = {0};
    cr_expect_eq(run_typed("void_quiet", (gf_any_fn)void_quiet, GF_RET_VOID,
                           GENS(gf_int64()), 50, &r),
                 GF_PASSED);
    cr_expect_gt(S->calls, 0);
    gf_result_free(&r);

    cr_assert_eq(run_typed("void_below_five", (gf_any_fn)void_below_five,
                           GF_RET_VOID, GENS(gf_int(0, 10)), 200, &r),
                 GF_FAILED);
    cr_expect_not_null(strstr(r.counterexample, "arg1 = 5"),
                       "counterexample: %s", r.counterexample);
    cr_expect_not_null(strstr(r.origin, "test_ffi.c"), "origin: %s",
                       r.origin);
    gf_result_free(&r);
}

/* ---- failures, replay, GF_CHECK_FN -------------------------------------- */

static bool sum_small(int32_t a, int32_t b)
{
    return (int64_t)a + b < 1000;
}

static bool always_holds(int32_t a, double d)
{
    (void)a;
    (void)d;
    return true;
}

GF_CHECK_FN(ffi_sum_small, sum_small, gf_int32(), gf_int32())

static const gf_property *find_property(const char *name)
{
    for (const gf_property *p = gf_registered(); p; p = p->next)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

Test(ffi, check_fn_macro_registers_a_property)
{
    const gf_property *p = find_property("ffi_sum_small");
    cr_assert_not_null(p, "GF_CHECK_FN did not register ffi_sum_small");
    cr_expect_not_null(p->fn);
    cr_expect_str_eq(p->file, __FILE__);
}

Test(ffi, false_return_is_found_shrunk_and_replayed)
{
    const gf_property *p = find_property("ffi_sum_small");
    cr_assert_not_null(p);
    gf_options opt = {.seed = 42, .seed_set = true, .trials = 1000,
                      .quiet = true};
    gf_result r = {0};
    cr_assert_eq(gf_run(p, &opt, &r), GF_FAILED);
    cr_expect_not_null(strstr(r.counterexample, "arg1 = "), "%s",
                       r.counterexample);
    cr_expect_not_null(strstr(r.counterexample, "arg2 = "), "%s",
                       r.counterexample);
    cr_expect_not_null(
        strstr(r.message, "sum_small(arg1, arg2) returned false"),
        "message: %s", r.message);
    cr_expect_not_null(strstr(r.origin, "sum_small"), "origin: %s", r.origin);
    cr_assert_not_null(r.replay);

    gf_options again = {.replay = r.replay, .quiet = true};
    gf_result r2 = {0};
    cr_expect_eq(gf_run(p, &again, &r2), GF_FAILED);
    cr_expect_str_eq(r2.counterexample ? r2.counterexample : "",
                     r.counterexample);
    gf_result_free(&r2);
    gf_result_free(&r);
}

/* Run fn with stderr captured in a temporary file; returns fn's result and
 * what it printed (malloc'd). */
static int capture_stderr(int (*fn)(void), char **text)
{
    FILE *tmp = tmpfile();
    cr_assert_not_null(tmp);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(fileno(tmp), STDERR_FILENO);
    int rc = fn();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    fseek(tmp, 0, SEEK_END); /* the descriptor moved, not the FILE */
    long size = ftell(tmp);
    rewind(tmp);
    *text = calloc((size_t)size + 1, 1);
    cr_assert_not_null(*text);
    size_t got = fread(*text, 1, (size_t)size, tmp);
    (*text)[got] = '\0';
    fclose(tmp);
    return rc;
}

static int check_failing(void)
{
    return gf_check_fn(sum_small, gf_int32(), gf_int32());
}

static int check_passing(void)
{
    return gf_check_fn(always_holds, gf_int32(), gf_double());
}

static int check_void(void)
{
    return gf_check_fn_void(void_quiet, gf_int64());
}

static int check_int(void)
{
    return gf_check_fn_int(zero_at_seven, gf_int(0, 20));
}

static int check_null_fn(void)
{
    return gf_check_fn_("nothing", NULL, GF_RET_BOOL, GENS(gf_int8()));
}

static int check_no_generators(void)
{
    return gf_check_fn_("sum_small", (gf_any_fn)sum_small, GF_RET_BOOL,
                        GENS(NULL));
}

Test(ffi, check_fn_exit_codes)
{
    seen_reset();
    setenv("GF_TRIALS", "200", 1);
    setenv("GF_SEED", "7", 1);
    char *out;
    cr_expect_eq(capture_stderr(check_failing, &out), 1);
    cr_expect_not_null(strstr(out, "sum_small"), "report: %s", out);
    free(out);
    cr_expect_eq(capture_stderr(check_passing, &out), 0, "%s", out);
    free(out);
    cr_expect_eq(capture_stderr(check_void, &out), 0, "%s", out);
    free(out);
    cr_expect_eq(capture_stderr(check_int, &out), 1, "%s", out);
    free(out);

    cr_expect_eq(capture_stderr(check_null_fn, &out), 2);
    cr_expect_not_null(strstr(out, "the function is NULL"), "%s", out);
    free(out);
    cr_expect_eq(capture_stderr(check_no_generators, &out), 2);
    cr_expect_not_null(strstr(out, "no generators"), "%s", out);
    free(out);

    setenv("GF_TRIALS", "lots", 1);
    cr_expect_eq(capture_stderr(check_passing, &out), 2, "%s", out);
    cr_expect_not_null(strstr(out, "GF_TRIALS"), "%s", out);
    free(out);
    unsetenv("GF_TRIALS");
    unsetenv("GF_SEED");
}

/* The token of the "  replay: GF_REPLAY=<token> <program>" line in a
 * report, malloc'd. */
static char *replay_token_in(const char *report)
{
    const char *p = strstr(report, "  replay: GF_REPLAY=");
    cr_assert_not_null(p, "no GF_REPLAY line in: %s", report);
    p += strlen("  replay: GF_REPLAY=");
    size_t n = strcspn(p, " \n");
    char *tok = malloc(n + 1);
    cr_assert_not_null(tok);
    memcpy(tok, p, n);
    tok[n] = '\0';
    return tok;
}

Test(ffi, check_fn_replays_through_gf_replay)
{
    setenv("GF_SEED", "11", 1);
    char *out;
    cr_assert_eq(capture_stderr(check_failing, &out), 1);
    char *tok = replay_token_in(out);
    free(out);
    unsetenv("GF_SEED");

    setenv("GF_REPLAY", tok, 1);
    cr_expect_eq(capture_stderr(check_failing, &out), 1);
    cr_expect_not_null(strstr(out, "FAIL sum_small (replayed)"), "%s", out);
    free(out);
    /* A token for another function: that check is skipped, not an error. */
    cr_expect_eq(capture_stderr(check_passing, &out), 0);
    cr_expect_not_null(strstr(out, "skipped"), "%s", out);
    free(out);
    setenv("GF_REPLAY", "gf1:damaged", 1);
    cr_expect_eq(capture_stderr(check_failing, &out), 2);
    cr_expect_not_null(strstr(out, "bad replay token"), "%s", out);
    free(out);
    unsetenv("GF_REPLAY");
    free(tok);
}

/* ---- bad input ---------------------------------------------------------- */

/* Run a typed call that cannot be made; it must fail with `why`. */
static void expect_misuse(const char *name, gf_any_fn fn, gf_ret ret,
                          const gf_gen *const *gens, const char *why)
{
    gf_result r = {0};
    gf_status st = run_typed(name, fn, ret, gens, 10, &r);
    cr_expect(st == GF_FAILED || st == GF_ERROR, "%s: status %d", why,
              (int)st);
    cr_expect(r.message && strstr(r.message, why), "expected \"%s\" in: %s",
              why, r.message ? r.message : "(no message)");
    gf_result_free(&r);
}

Test(ffi, bad_calls_fail_with_a_message)
{
    expect_misuse("nothing", NULL, GF_RET_BOOL, GENS(gf_int8()),
                  "the function is NULL");
    expect_misuse("sum_small", (gf_any_fn)sum_small, GF_RET_BOOL, GENS(NULL),
                  "no generators");
    expect_misuse("sum_small", (gf_any_fn)sum_small, (gf_ret)9,
                  GENS(gf_int32(), gf_int32()), "return kind");

    const gf_gen *g = gf_int8();
    expect_misuse("many", (gf_any_fn)sum_small, GF_RET_BOOL,
                  GENS(g, g, g, g, g, g, g, g, g, g, g, g, g, g, g, g, g),
                  "more than 16 arguments");

    gf_gen t;
    memset(&t, 0, sizeof t);
    t.name = "odd_kind";
    t.size = 4;
    t.align = 4;
    t.kind = (gf_value_kind)42;
    t.label = gf_span_label("odd_kind");
    t.draw = probe_draw;
    t.print = probe_print;
    expect_misuse("odd", (gf_any_fn)sum_small, GF_RET_BOOL,
                  GENS(gf_gen_intern(&t)), "unknown value kind");

    t.name = "short_int32";
    t.kind = GF_VALUE_I32;
    t.size = 2;
    t.align = 2;
    expect_misuse("short", (gf_any_fn)sum_small, GF_RET_BOOL,
                  GENS(gf_gen_intern(&t)), "does not match");
}

Test(ffi, call_outside_a_property_does_not_crash)
{
    cr_assert_null(gf_current());
    gf_call_fn(NULL, "sum_small", (gf_any_fn)sum_small, GF_RET_BOOL,
               GENS(gf_int32(), gf_int32()));
}
