/*
 * test_case.c - the core's case and choices (src/core): a recorded case
 * replays its values without the PRNG, past its end come the simplest
 * values, out-of-range choices map to valid ones, and the seen set of the
 * duplicate check is exact.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/dedup.h"
#include "core/index.h"
#include "engine/execute.h"

/* Values a property saw, for comparing two runs. */
typedef struct seen_values {
    int64_t i[4];
    uint64_t u;
    bool b[3];
    double d[3];
    uint8_t bytes[64];
    size_t nbytes;
} seen_values;

static seen_values last;

static void draw_everything(gf_case *tc)
{
    last.i[0] = gf_draw_int(tc, INT64_MIN, INT64_MAX);
    last.i[1] = gf_draw_int(tc, -5, 5);
    last.i[2] = gf_draw_int_toward(tc, 10, 1000, 500);
    last.i[3] = gf_draw_int(tc, 3, 9);
    last.u = gf_draw_uint(tc, 100, UINT64_MAX);
    for (int k = 0; k < 3; k++)
        last.b[k] = gf_draw_weighted(tc, k == 2 ? 1.0 : 0.3 * (k + 1));
    last.d[0] = gf_draw_double(tc, -INFINITY, INFINITY, 0);
    last.d[1] = gf_draw_double(tc, 1.0, 2.0, 0);
    last.d[2] = gf_draw_double(tc, -1e9, -1.0, GF_DOUBLE_FINITE);
    const uint8_t *p = gf_draw_bytes(tc, 2, 64, &last.nbytes);
    memcpy(last.bytes, p, last.nbytes);
}

static bool same_values(const seen_values *a, const seen_values *b)
{
    return memcmp(a->i, b->i, sizeof a->i) == 0 && a->u == b->u &&
           memcmp(a->b, b->b, sizeof a->b) == 0 &&
           memcmp(a->d, b->d, sizeof a->d) == 0 && a->nbytes == b->nbytes &&
           memcmp(a->bytes, b->bytes, a->nbytes) == 0;
}

Test(core, replay_reproduces_values)
{
    gf_case tc;
    case_init(&tc);
    for (uint64_t seed = 1; seed <= 200; seed++) {
        gf_rng_seed(&tc.rng, seed);
        case_reset(&tc, NULL, TAIL_RANDOM, 1.0);
        case_execute(&tc, draw_everything);
        cr_assert_eq(tc.status, CASE_OK);
        seen_values first = last;
        buffer rec;
        buffer_init(&rec);
        buffer_copy(&rec, &tc.rec);
        gf_rng_seed(&tc.rng, seed + 1000); /* replay must not use the PRNG */
        case_reset(&tc, &rec, TAIL_RANDOM, 1.0);
        case_execute(&tc, draw_everything);
        cr_assert(same_values(&first, &last), "seed %llu replayed differently",
                  (unsigned long long)seed);
        cr_assert_eq(buffer_compare(&rec, &tc.rec), 0);
        cr_assert(!tc.misaligned);
        buffer_free(&rec);
    }
    case_free(&tc);
}

Test(core, past_the_end_gives_simplest)
{
    gf_case tc;
    case_init(&tc);
    buffer empty;
    buffer_init(&empty);
    case_reset(&tc, &empty, TAIL_SIMPLEST, 0);
    case_execute(&tc, draw_everything);
    cr_assert_eq(last.i[0], 0);
    cr_assert_eq(last.i[1], 0);
    cr_assert_eq(last.i[2], 500, "shrinks toward its target");
    cr_assert_eq(last.i[3], 3, "nearest 0 within range");
    cr_assert_eq(last.u, 100u);
    cr_assert(!last.b[0] && !last.b[1]);
    cr_assert(last.b[2], "p >= 1 is always true");
    cr_assert_eq(last.d[0], 0.0);
    cr_assert(!signbit(last.d[0]));
    cr_assert_eq(last.d[1], 1.0);
    cr_assert_eq(last.d[2], -1.0);
    cr_assert_eq(last.nbytes, 2u);
    cr_assert(last.bytes[0] == 0 && last.bytes[1] == 0);
    buffer_free(&empty);
    case_free(&tc);
}

static int64_t mapped_int;
static uint64_t mapped_uint;
static double mapped_double;
static bool mapped_bool;

static void draw_narrow(gf_case *tc)
{
    mapped_int = gf_draw_int(tc, 0, 10);
    mapped_uint = gf_draw_uint(tc, 5, 9);
    mapped_double = gf_draw_double(tc, 0, 1, 0);
    mapped_bool = gf_draw_bool(tc);
}

Test(core, out_of_range_values_map_to_valid_ones)
{
    buffer b;
    buffer_init(&b);
    *buffer_push(&b) = (choice){.kind = CHOICE_INT, .value = 500};
    *buffer_push(&b) = (choice){.kind = CHOICE_INT, .value = (uint64_t)-7};
    *buffer_push(&b) = (choice){.kind = CHOICE_DOUBLE,
                                .value = double_to_bits(NAN)};
    *buffer_push(&b) = (choice){.kind = CHOICE_INT, .value = 3};
    gf_case tc;
    case_init(&tc);
    case_reset(&tc, &b, TAIL_SIMPLEST, 0);
    case_execute(&tc, draw_narrow);
    cr_assert_eq(tc.status, CASE_OK);
    cr_assert_eq(mapped_int, 10);
    cr_assert_eq(mapped_uint, 5u);
    cr_assert_eq(mapped_double, 0.0);
    cr_assert(mapped_bool, "a nonzero integer where a bool is drawn is true");
    cr_assert(tc.misaligned);
    case_free(&tc);
    buffer_free(&b);
}


/* ---- the seen set --------------------------------------------------------- */

Test(core, seen_set_is_exact)
{
    seen_set s;
    seen_init(&s, (size_t)1 << 26, 10);
    uint32_t v;
    for (uint32_t i = 0; i < 100000; i++) {
        uint8_t key[8];
        memcpy(key, &i, 4);
        memcpy(key + 4, &i, 4);
        cr_assert(!seen_check(&s, key, 4 + i % 5, i % 1000, &v));
    }
    for (uint32_t i = 0; i < 100000; i++) {
        uint8_t key[8];
        memcpy(key, &i, 4);
        memcpy(key + 4, &i, 4);
        /* Same bytes, same length: found; the stored value comes back. */
        cr_assert(seen_check(&s, key, 4 + i % 5, 7, &v));
        cr_assert_eq(v, i % 1000);
    }
    cr_assert(!seen_check(&s, (const uint8_t *)"", 0, 5, &v));
    cr_assert(seen_check(&s, (const uint8_t *)"", 0, 6, &v));
    cr_assert_eq(v, 5u);
    seen_free(&s);
}
