/*
 * rle.c - a run-length codec whose escape byte is not escaped.
 *
 * The format is an escape-byte run-length encoding, of the kind several old
 * image and archive formats use: a run of three or more equal bytes (up to
 * 255) becomes three bytes, ESC count byte, and every other byte is copied
 * as it is.  ESC is 0xFF.  The one subtle rule: a data byte equal to ESC
 * must itself be written as a run (ESC 1 ESC), or the decoder takes it for
 * the start of one.
 *
 * rle_encode() forgets that rule.  A 0xFF byte that is not part of a long
 * run goes out bare, and the decoder reads it and the next two bytes as a
 * run, or runs out of input.  Any input without 0xFF, or with 0xFF only in
 * runs of three or more, round-trips, so tests over "typical" data pass.
 * Gadfly's uint8 draws are biased toward 0xFF (the top of the range), so the
 * round-trip property meets the bug quickly.
 *
 * Minimal counterexample (what the shrinker should print):
 *     data = {255}
 * The empty array round-trips, and 0xFF is the only single byte that does
 * not.
 *
 * Run: examples/rle [--seed N] [--help]
 */
#include <gadfly.h>

#define RLE_ESC 0xFFu     /* marks a run: ESC count byte */
#define RLE_MIN_RUN 3     /* shorter runs are cheaper copied than encoded */
#define RLE_MAX_RUN 255   /* the count is one byte */
#define DATA_MAX_LEN 64

typedef enum rle_status {
    RLE_OK,
    RLE_TRUNCATED,  /* input ends inside an ESC count byte triple */
    RLE_TOO_LONG,   /* output would not fit in the buffer */
} rle_status;

/* Length of the run of equal bytes starting at in[i], at most RLE_MAX_RUN. */
static size_t run_length(const uint8_t *in, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && in[j] == in[i] && j - i < RLE_MAX_RUN)
        j++;
    return j - i;
}

/*
 * Encode n bytes into out, which must hold 3 * n bytes (the worst case: every
 * byte an escaped ESC).  Returns the encoded length.  The bug is the
 * condition choosing between a run and plain copies: it should also take the
 * run form when the byte is RLE_ESC, whatever the run's length.
 */
static size_t rle_encode(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t o = 0;

    for (size_t i = 0; i < n;) {
        size_t run = run_length(in, n, i);
        if (run >= RLE_MIN_RUN) {
            out[o++] = RLE_ESC;
            out[o++] = (uint8_t)run;
            out[o++] = in[i];
        } else {
            for (size_t k = 0; k < run; k++)
                out[o++] = in[i];
        }
        i += run;
    }
    return o;
}

/* Decode n bytes into out (cap bytes).  Stores the decoded length, also on
 * error (then it is what was decoded before the error). */
static rle_status rle_decode(const uint8_t *in, size_t n, uint8_t *out,
                             size_t cap, size_t *out_len)
{
    rle_status st = RLE_OK;
    size_t o = 0;

    for (size_t i = 0; i < n;) {
        uint8_t byte = in[i];
        size_t count = 1;
        if (byte == RLE_ESC) {
            if (n - i < 3) {
                st = RLE_TRUNCATED;
                break;
            }
            count = in[i + 1];
            byte = in[i + 2];
            i += 3;
        } else {
            i++;
        }
        if (count > cap - o) {
            st = RLE_TOO_LONG;
            break;
        }
        memset(out + o, byte, count);
        o += count;
    }
    *out_len = o;
    return st;
}

static const char *status_name(rle_status st)
{
    switch (st) {
    case RLE_OK:
        return "ok";
    case RLE_TRUNCATED:
        return "truncated";
    case RLE_TOO_LONG:
        return "too long";
    }
    return "?";
}

/* Bytes as a C initializer, "{0xFF, 0x01}", in the case's arena. */
static const char *format_bytes(gf_case *tc, const uint8_t *b, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    char *s = gf_alloc(tc, 6 * n + 3);
    char *p = s;

    *p++ = '{';
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            *p++ = ',';
            *p++ = ' ';
        }
        *p++ = '0';
        *p++ = 'x';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 0xF];
    }
    *p++ = '}';
    *p = '\0';
    return s;
}

GF_PROPERTY(rle_round_trips)
{
    const gf_array_value *data =
        gf_draw_named(tc, gf_array(gf_uint8(), 0, DATA_MAX_LEN), "data");
    const uint8_t *in = data->items;
    size_t n = data->len;

    uint8_t *enc = gf_alloc(tc, 3 * n + 1);
    size_t enc_len = rle_encode(in, n, enc);

    /* Room for the most any encoding of this length can decode to, so a
     * decoded length that differs from n is seen, not cut off. */
    size_t cap = RLE_MAX_RUN * enc_len + 1;
    uint8_t *dec = gf_alloc(tc, cap);
    size_t dec_len = 0;
    rle_status st = rle_decode(enc, enc_len, dec, cap, &dec_len);

    gf_note(tc, "encoded = %s", format_bytes(tc, enc, enc_len));
    gf_note(tc, "decode: %s, decoded = %s", status_name(st),
            format_bytes(tc, dec, dec_len));
    /* One assertion for every way the round trip can fail, so that they
     * all count as one failure and shrink to one counterexample. */
    GF_ASSERT(tc, st == RLE_OK && dec_len == n &&
                      (n == 0 || memcmp(dec, in, n) == 0));
}

GF_MAIN()
