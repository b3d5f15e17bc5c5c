/*
 * token.c - fuzz target for replay tokens (src/token.c): the text after
 * --replay or in GF_REPLAY, and the case data a token carries.
 *
 * The first byte picks what the rest is: odd, a token's text as a user
 * pastes it; even, the case data of a token with a true checksum, so that
 * the decoder behind the checksum is reached.  Either way the parser must
 * accept or give one line saying why, and what it accepts must encode back
 * to the bytes it read (one encoding per case).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *err, const buffer *b,
                  const uint8_t *enc, size_t n)
{
    if (!ok) {
        /* One line, said in words. */
        if (!err || !*err || strchr(err, '\n'))
            abort();
        return;
    }
    bytes_vec again = {0};
    buffer_encode(b, &again);
    if (enc && (again.n != n || (n && memcmp(again.p, enc, n) != 0)))
        abort();
    buffer other;
    buffer_init(&other);
    if (!buffer_decode(again.p, again.n, SIZE_MAX, &other) || other.n != b->n)
        abort();
    buffer_free(&other);
    bv_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    buffer b;
    buffer_init(&b);
    uint32_t hash = 0;
    const char *err = NULL;
    if (data[0] & 1) {
        char *text = malloc(size);
        memcpy(text, data + 1, size - 1);
        text[size - 1] = 0;
        bool ok = token_parse(text, &hash, &b, &err);
        check(ok, err, &b, NULL, 0);
        free(text);
    } else {
        char *token = token_from_encoding("fuzzed", data + 1, size - 1);
        bool ok = token_parse(token, &hash, &b, &err);
        if (ok && hash != token_name_hash("fuzzed"))
            abort();
        check(ok, err, &b, data + 1, size - 1);
        free(token);
    }
    buffer_free(&b);
    return 0;
}
