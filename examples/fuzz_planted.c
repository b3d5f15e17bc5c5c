/*
 * fuzz_planted.c - a bug behind a magic number, where fuzzers shine.
 *
 * A record reader for a small binary format: the bytes "GF", a length
 * byte, then that many payload bytes.  The reader trusts the length byte:
 * a record that claims more payload than the input holds is read as if it
 * were all there (in C, a read past the end of the buffer).  Random bytes
 * start with "GF" once in 65536 inputs, so Gadfly's generation, run for
 * the usual hundred cases, walks past the bug; a coverage-guided fuzzer
 * sees each byte of the magic open a new branch and finds it in seconds.
 * Gadfly then shrinks the fuzzer's crash file to the minimal record.
 *
 * Minimal counterexample (what --replay-file prints after shrinking):
 *     input = "GF\x01"
 * three bytes, the smallest that can hold a header, and a length of one
 * with no payload behind it.
 *
 * The same source builds as a Gadfly test program and as a fuzz target
 * (include/gadfly/fuzz.h, docs/fuzzing.md):
 *
 *   cc fuzz_planted.c -lgadfly                         a test program
 *   clang -fsanitize=fuzzer,address -DGF_FUZZ fuzz_planted.c -lgadfly
 *   afl-clang-fast -DGF_FUZZ_STANDALONE fuzz_planted.c -lgadfly
 */
#include <gadfly/fuzz.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct record {
    const uint8_t *payload;
    size_t len;
} record;

/* Parse one record from the n bytes at p; false if it is not one.  The
 * planted bug: the length byte is never checked against n. */
static bool read_record(const uint8_t *p, size_t n, record *out)
{
    if (n < 3)
        return false;
    if (p[0] != 'G')
        return false;
    if (p[1] != 'F')
        return false;
    out->len = p[2];
    out->payload = p + 3;
    return true;
}

GF_PROPERTY(record_stays_inside_input)
{
    const gf_bytes_value *in = gf_draw_named(tc, gf_bytes(0, 64), "input");
    record r;
    if (!read_record(in->data, in->len, &r))
        return;
    size_t end = (size_t)(r.payload - in->data) + r.len;
    gf_note(tc, "the record claims %zu payload bytes", r.len);
    GF_ASSERT(tc, end <= in->len);
}

GF_FUZZ_TARGET(record_stays_inside_input)

GF_MAIN()
