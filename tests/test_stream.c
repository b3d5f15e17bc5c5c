/*
 * test_stream.c - a seed means the same values on every compiler and in
 * every version: a failure reported as "seed 0x..." or a replay token must
 * reproduce on another machine, built by another compiler, next year.
 *
 * For each generator, the values of 300 cases from one seed are formatted
 * and hashed, and the hash is pinned here.  A change that moves any of
 * them changes what users' seeds mean: if it is meant (a new bias, a new
 * edge), update the table from the test's message and say so in NEWS; if
 * not (an argument order left to the compiler, a read of uninitialised
 * memory), it is a bug.  make check runs this under gcc and clang.
 */
#include <inttypes.h>
#include <stdio.h>

#include <xxhash.h>

#include <gadfly/payload.h>
#include <gadfly/text.h>
#include <gadfly/time.h>
#include <gadfly/tz.h>

#include "helpers.h"

#define STREAM_SEED 0x5eed5eed
#define STREAM_CASES 300

static const gf_gen *stream_gen;
static XXH64_state_t *stream_hash;

static void hash_values(gf_case *tc)
{
    void *slot = gf_alloc(tc, gf_gen_value_size(stream_gen));
    gf_draw_into(tc, stream_gen, slot);
    char *text = gf_value_to_string(stream_gen, slot);
    XXH64_update(stream_hash, text, strlen(text) + 1);
    free(text);
}

typedef struct pinned {
    const char *what;
    const gf_gen *(*make)(void);
    const char *make_name;
    uint64_t hash;
} pinned;

static const gf_gen *make_int64(void) { return gf_int64(); }
static const gf_gen *make_uint32(void) { return gf_uint32(); }
static const gf_gen *make_int_range(void) { return gf_int(-1000, 100000); }
static const gf_gen *make_bool(void) { return gf_bool(); }
static const gf_gen *make_double(void) { return gf_double(); }
static const gf_gen *make_float(void) { return gf_float(); }
static const gf_gen *make_bytes(void) { return gf_bytes(0, 40); }
static const gf_gen *make_ascii(void) { return gf_ascii(0, 20); }
static const gf_gen *make_utf8(void) { return gf_utf8(0, 20); }
static const gf_gen *make_array(void) { return gf_array(gf_int32(), 0, 30); }
static const gf_gen *make_json(void) { return gf_json_text(4); }
static const gf_gen *make_mutated(void)
{
    return gf_mutated(gf_json_text(3), GF_MUT_ALL);
}
static const gf_gen *make_nasty(void) { return gf_nasty_string(); }
static const gf_gen *make_invalid(void)
{
    return gf_utf8_invalid(GF_UTF8_ANY_INVALID);
}
static const gf_gen *make_instant(void) { return gf_instant(); }
static const gf_gen *make_tm(void) { return gf_tm(); }
static const gf_gen *make_rfc3339(void) { return gf_rfc3339(); }
static const gf_gen *make_posix_tz(void) { return gf_posix_tz(); }

typedef struct stream_point {
    int16_t x;
    const char *tag;
} stream_point;

static const gf_gen *make_int16_in(void) { return gf_int16_in(-300, 300); }
static const gf_gen *make_uint8_in(void) { return gf_uint8_in(10, 200); }
static const gf_gen *make_struct(void)
{
    return gf_struct_of(stream_point,
                        GF_FIELD(stream_point, x, gf_int16()),
                        GF_FIELD(stream_point, tag, gf_ascii(0, 4)));
}
static const gf_gen *make_unique(void)
{
    return gf_unique_array(gf_int(0, 50), 0, 20);
}
static const gf_gen *make_dict(void)
{
    return gf_dict(gf_int32_in(0, 20), gf_bool(), 0, 10);
}
static const gf_gen *make_string_from(void)
{
    return gf_string_from(GF_CHARS_ALNUM, 0, 12);
}
static const int64_t stream_list[] = {1, 2, 3, 5, 8, 13, 21, 34};
static const gf_gen *make_subsequence(void)
{
    return gf_subsequence_int(stream_list, 8, 1, 6);
}
static const gf_gen *make_sized(void)
{
    return gf_sized(gf_array(gf_int32(), 0, 30), 0, 0.2);
}
static void stream_sum(gf_case *tc, const void *in, void *out, void *env)
{
    (void)tc;
    (void)env;
    const gf_array_value *kids = in;
    int64_t sum = 0;
    for (size_t i = 0; i < kids->len; i++)
        sum += ((const int64_t *)kids->items)[i];
    *(int64_t *)out = sum;
}
static const gf_gen *stream_node(const gf_gen *self, void *env)
{
    (void)env;
    return gf_map(gf_array(self, 1, 4), sizeof(int64_t), stream_sum, NULL,
                  NULL);
}
static const gf_gen *make_recursive_leaves(void)
{
    return gf_recursive_leaves(gf_int(1, 9), stream_node, 5, 10, NULL);
}

static const pinned table[] = {
    {"int64", make_int64, "make_int64", UINT64_C(0x7b952d87ac7b3501)},
    {"uint32", make_uint32, "make_uint32", UINT64_C(0x820a1846309f9a9a)},
    {"int(-1000, 100000)", make_int_range, "make_int_range", UINT64_C(0xdb006d88b7b08ce7)},
    {"bool", make_bool, "make_bool", UINT64_C(0xb31daffb4e87ade7)},
    {"double", make_double, "make_double", UINT64_C(0xdae4e3df93f28c76)},
    {"float", make_float, "make_float", UINT64_C(0x4da6bd807c798587)},
    {"bytes(0, 40)", make_bytes, "make_bytes", UINT64_C(0xc607792d8a9e3e92)},
    {"ascii(0, 20)", make_ascii, "make_ascii", UINT64_C(0x9117b7deba0945f2)},
    {"utf8(0, 20)", make_utf8, "make_utf8", UINT64_C(0x08c7e0f6c3c9d98a)},
    {"array(int32, 0, 30)", make_array, "make_array", UINT64_C(0x6c698cfcec722efe)},
    {"json_text(4)", make_json, "make_json", UINT64_C(0xc7768689c9cdc898)},
    {"mutated(json_text(3))", make_mutated, "make_mutated", UINT64_C(0xf9b2aee783e84a1b)},
    {"nasty_string", make_nasty, "make_nasty", UINT64_C(0xb716d91b6f19ec83)},
    {"utf8_invalid", make_invalid, "make_invalid", UINT64_C(0x0a16773b059bc648)},
    {"instant", make_instant, "make_instant", UINT64_C(0xc4f81dd827061b2c)},
    {"tm", make_tm, "make_tm", UINT64_C(0x7fe71b016a70d0f4)},
    {"rfc3339", make_rfc3339, "make_rfc3339", UINT64_C(0x7966ed077de22b18)},
    {"posix_tz", make_posix_tz, "make_posix_tz", UINT64_C(0xddfd4f49cfb87956)},
    {"int16_in(-300, 300)", make_int16_in, "make_int16_in", UINT64_C(0x89bb6be6a3d25c8b)},
    {"uint8_in(10, 200)", make_uint8_in, "make_uint8_in", UINT64_C(0x48df158e2b72122f)},
    {"struct stream_point", make_struct, "make_struct", UINT64_C(0x7e6e97d72a3d6d97)},
    {"unique_array(int(0, 50), 0, 20)", make_unique, "make_unique", UINT64_C(0x6ffe5d56e3db78d1)},
    {"dict(int32_in(0, 20), bool, 0, 10)", make_dict, "make_dict", UINT64_C(0xd13c0cfd9e4a920c)},
    {"string_from(alnum, 0, 12)", make_string_from, "make_string_from", UINT64_C(0x2d5df5a66fa7f2ba)},
    {"subsequence_int", make_subsequence, "make_subsequence", UINT64_C(0x8e6914084fd052af)},
    {"sized(array(int32, 0, 30), 0, 0.2)", make_sized, "make_sized", UINT64_C(0x9d8bc6cb57ffdedb)},
    {"recursive_leaves", make_recursive_leaves, "make_recursive_leaves", UINT64_C(0xd80e6eeeb8c7ab2b)},
};
#define NPINNED (sizeof table / sizeof table[0])

Test(stream, every_generator_pinned)
{
    char *table_now = NULL;
    size_t table_len = 0;
    FILE *out = open_memstream(&table_now, &table_len);
    cr_assert(out != NULL);
    unsigned moved = 0;
    for (size_t i = 0; i < NPINNED; i++) {
        stream_gen = table[i].make();
        stream_hash = XXH64_createState();
        cr_assert(stream_hash != NULL);
        XXH64_reset(stream_hash, 0);
        RUN_PASSING(hash_values, STREAM_SEED, STREAM_CASES);
        uint64_t h = XXH64_digest(stream_hash);
        XXH64_freeState(stream_hash);
        fprintf(out,
                "    {\"%s\", %s, \"%s\", UINT64_C(0x%016" PRIx64 ")},\n",
                table[i].what, table[i].make_name, table[i].make_name, h);
        if (h != table[i].hash) {
            moved++;
            cr_log_error("%s: the values of seed 0x%x are not the pinned "
                         "ones (0x%016" PRIx64 ", pinned 0x%016" PRIx64 ")",
                         table[i].what, STREAM_SEED, h, table[i].hash);
        }
    }
    fclose(out);
    cr_expect_eq(moved, 0,
                 "%u generators changed what a seed means; if meant, the "
                 "hashes now are:\n%s", moved, table_now);
    free(table_now);
}

/* The whole path a user replays: a failure found, shrunk and printed as a
 * token, from one seed.  Pinned as text. */
static void over_a_thousand(gf_case *tc)
{
    size_t n;
    const int64_t *xs = gf_draw_array(tc, gf_int64(), 0, 10, &n);
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += xs[i] % 1000;
    GF_ASSERT(tc, sum <= 1000);
}

Test(stream, replay_token_pinned)
{
    gf_result r;
    gf_status st = run_property("over_a_thousand", over_a_thousand,
                                STREAM_SEED, 1000, &r);
    cr_assert_eq(st, GF_FAILED);
    cr_assert(r.replay != NULL);
    cr_expect_str_eq(r.replay, "gf1:huTRJzABBDACzgcgBC7WOw", "seed 0x%x: token %s, counterexample %s",
                     STREAM_SEED, r.replay, r.counterexample);
    gf_result_free(&r);
}
