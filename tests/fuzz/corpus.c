/*
 * corpus.c - fuzz target for fuzzer input files as cases (src/fuzz.c): the
 * bytes of --replay-file, of each --import-corpus file and of every input
 * a fuzzing engine hands gf_fuzz_one, read as choices.
 *
 * The property draws every kind of choice, nested spans and collections,
 * and checks that whatever the bytes, each value is one its draw allows.
 * It never fails on its own: gf_fuzz_one aborts only if a value breaks its
 * constraints (or Gadfly crashes).
 */
#include <math.h>
#include <string.h>

#define GF_FUZZ 1
#include <gadfly.h>
#include <gadfly/fuzz.h>

GF_PROPERTY(every_kind_of_choice)
{
    int64_t small = gf_draw_int(tc, -3, 1000);
    GF_ASSERT(tc, small >= -3 && small <= 1000);
    int64_t any = gf_draw_int(tc, INT64_MIN, INT64_MAX);
    (void)any;
    uint64_t u = gf_draw_uint(tc, 7, 9);
    GF_ASSERT(tc, u >= 7 && u <= 9);
    int64_t t = gf_draw_int_toward(tc, -100, 100, 42);
    GF_ASSERT(tc, t >= -100 && t <= 100);
    int64_t s = gf_draw_int_suggested(tc, 0, 10, 7);
    GF_ASSERT(tc, s >= 0 && s <= 10);
    (void)gf_draw_bool(tc);
    (void)gf_draw_weighted(tc, 0.01);
    double d = gf_draw_double(tc, -1.5, 2.5, 0);
    GF_ASSERT(tc, d >= -1.5 && d <= 2.5);
    double wide = gf_draw_double(tc, -INFINITY, INFINITY, 0);
    (void)wide;
    double finite = gf_draw_double(tc, -INFINITY, INFINITY, GF_DOUBLE_FINITE);
    GF_ASSERT(tc, isfinite(finite));
    double sugg = gf_draw_double_suggested(tc, 0, 1, GF_DOUBLE_FINITE, 0.5);
    GF_ASSERT(tc, sugg >= 0 && sugg <= 1);
    size_t n;
    const uint8_t *bytes = gf_draw_bytes(tc, 2, 9, &n);
    GF_ASSERT(tc, n >= 2 && n <= 9 && bytes);
    int32_t *xs = gf_draw_array(tc, gf_int32(), 1, 20, &n);
    GF_ASSERT(tc, n >= 1 && n <= 20 && xs);
    char *text = gf_draw(tc, gf_utf8(0, 12));
    GF_ASSERT(tc, text != NULL);
    const char **words = gf_draw_array(tc, gf_ascii(0, 4), 0, 5, &n);
    GF_ASSERT(tc, n <= 5);
    for (size_t i = 0; i < n; i++)
        GF_ASSERT(tc, strlen(words[i]) <= 4);
    int64_t *maybe = gf_draw(tc, gf_optional(gf_int(5, 6)));
    GF_ASSERT(tc, !maybe || *maybe == 5 || *maybe == 6);
    gf_many many;
    gf_many_init(tc, &many, 0, 3);
    size_t count = 0;
    while (gf_many_more(tc, &many)) {
        gf_span_begin(tc, gf_span_label("element"));
        GF_ASSERT(tc, gf_draw_int(tc, 1, 2) >= 1);
        gf_span_end(tc, false);
        count++;
    }
    GF_ASSERT(tc, count <= 3);
    int64_t forced = gf_force_int(tc, 0, 9, 4);
    GF_ASSERT(tc, forced == 4);
    if (gf_draw_int(tc, 0, 3) == 0)
        gf_assume(tc, false);
}

GF_FUZZ_TARGET(every_kind_of_choice)
