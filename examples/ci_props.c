/*
 * ci_props.c - the properties docs/ci.md's workflow runs every night:
 * code without a planted bug (unlike the other examples), so the job
 * passes until a property finds something.  A project puts its own
 * properties here.
 *
 *   cc -o props ci_props.c $(pkg-config --cflags --libs gadfly)
 *   ./props --budget 10m --jobs 4 --junit report.xml
 */
#include <gadfly.h>

#include <stdlib.h>
#include <string.h>

/* Run-length encoding with counts capped at 255: pairs (count, byte). */
static size_t rle_encode(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t run = 1;
        while (i + run < n && in[i + run] == in[i] && run < 255)
            run++;
        out[o++] = (uint8_t)run;
        out[o++] = in[i];
        i += run;
    }
    return o;
}

static size_t rle_decode(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t o = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        memset(out + o, in[i + 1], in[i]);
        o += in[i];
    }
    return o;
}

GF_PROPERTY(rle_round_trip)
{
    size_t n;
    const uint8_t *data = gf_draw_bytes_named(tc, 0, 600, &n, "data");
    uint8_t *enc = gf_alloc(tc, 2 * n + 2);
    uint8_t *dec = gf_alloc(tc, n + 1);
    size_t m = rle_encode(data, n, enc);
    GF_ASSERT_LE_UINT(tc, m, 2 * n);
    GF_ASSERT_EQ_UINT(tc, rle_decode(enc, m, dec), n);
    GF_ASSERT_MEM_EQ(tc, dec, data, n);
}

/* The midpoint of two ints without overflow. */
static int32_t midpoint(int32_t a, int32_t b)
{
    return (int32_t)(((int64_t)a + b) / 2);
}

GF_PROPERTY(midpoint_between)
{
    int32_t a = gf_draw_i32(tc, gf_int32(), "a");
    int32_t b = gf_draw_i32(tc, gf_int32(), "b");
    int32_t m = midpoint(a, b);
    GF_ASSERT(tc, (m >= a && m <= b) || (m >= b && m <= a));
}

static int compare_ints(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

GF_PROPERTY(sort_orders)
{
    size_t n;
    int64_t *xs = gf_draw_array(tc, gf_int(-1000, 1000), 0, 50, &n);
    qsort(xs, n, sizeof *xs, compare_ints);
    for (size_t i = 1; i < n; i++)
        GF_ASSERT_LE_INT(tc, xs[i - 1], xs[i]);
}

GF_MAIN()
