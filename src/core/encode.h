/*
 * encode.h - the canonical byte encoding of choices, shared by generation
 * (which writes it as it draws) and dedup.c (which encodes a recorded
 * buffer): both must produce the same bytes for the same values.
 *
 * Per choice a tag byte, (kind << 4) | n, then the value in n little-endian
 * bytes with no zero byte on top (n = 0 for the value 0).  Signed integers
 * are zigzagged and doubles byte-swapped so that common values are short; a
 * boolean is its tag alone; bytes carry their length that way, then the
 * data.  One encoding per buffer: equal buffers, and only equal buffers,
 * have equal encodings.
 */
#ifndef GF_ENCODE_H
#define GF_ENCODE_H

/* The version of these bytes.  Replay tokens carry it ("gf1:") and
 * database files hold the bytes (db.c's FORMAT_VERSION): change how any
 * choice is written and this goes up, with FORMAT_VERSION, so that a
 * token or file from before is refused as another version's rather than
 * read as something else or called damaged.  tests/test_token.c pins the
 * bytes of one buffer of every kind, and fails until both are bumped. */
#define ENCODING_VERSION 1

#include <string.h>

#include "internal.h"

enum { TAG_INT, TAG_UINT, TAG_FALSE, TAG_TRUE, TAG_DOUBLE, TAG_BYTES };

/* The most bytes one non-BYTES choice takes, with the slack the 8-byte
 * store below needs. */
#define ENCODED_MAX 9

static inline unsigned byte_count(uint64_t x)
{
    return x ? (unsigned)(71 - __builtin_clzll(x)) / 8 : 0;
}

/* Writes 9 bytes at p (callers reserve them); returns the bytes used. */
static inline size_t put_tagged(uint8_t *p, unsigned tag, uint64_t x)
{
    unsigned n = byte_count(x);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    uint64_t le = __builtin_bswap64(x);
#else
    uint64_t le = x;
#endif
    p[0] = (uint8_t)(tag << 4 | n);
    memcpy(p + 1, &le, 8);
    return 1 + n;
}

/* Encode one choice that is not BYTES; returns the bytes used. */
static inline size_t encode_value(uint8_t *p, choice_kind kind, uint64_t v)
{
    switch (kind) {
    case CHOICE_BOOL:
        p[0] = (uint8_t)((v ? TAG_TRUE : TAG_FALSE) << 4);
        return 1;
    case CHOICE_INT:
        return put_tagged(p, TAG_INT, (v << 1) ^ (uint64_t)((int64_t)v >> 63));
    case CHOICE_UINT:
        return put_tagged(p, TAG_UINT, v);
    default:
        return put_tagged(p, TAG_DOUBLE, __builtin_bswap64(v));
    }
}

#endif /* GF_ENCODE_H */
