/*
 * token.c - replay tokens.
 *
 * A token is "gf1:" (1: ENCODING_VERSION, encode.h) followed by URL-safe
 * base64 (no padding) of:
 *   varint  the low 32 bits of XXH3 of the property's name
 *   bytes   the buffer's canonical encoding (dedup.c)
 *   4 bytes XXH32 of everything before it, little-endian
 * so a token names its property, carries the whole case, and a damaged one
 * is detected rather than replayed as something else.
 */
#include <stdlib.h>
#include <string.h>

#define XXH_STATIC_LINKING_ONLY /* XXH32_state_t on the stack */
#include <xxhash.h>

#include "dedup.h"
#include "encode.h"
#include "token.h"

#define TOKEN_STR_(x) #x
#define TOKEN_STR(x) TOKEN_STR_(x)
#define TOKEN_PREFIX "gf" TOKEN_STR(ENCODING_VERSION) ":"
#define MAX_TOKEN_CHOICES 1000000

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

uint32_t token_name_hash(const char *name)
{
    return (uint32_t)XXH3_64bits(name, strlen(name));
}

static int b64_value(char c)
{
    const char *p = c ? strchr(b64, c) : NULL;
    return p ? (int)(p - b64) : -1;
}

char *token_make(const char *name, const buffer *b)
{
    bytes_vec enc = {0};
    buffer_encode(b, &enc);
    char *t = token_from_encoding(name, enc.p, enc.n);
    bv_free(&enc);
    return t;
}

/* The bytes a token carries, one at a time: the name hash as a varint,
 * the encoding, the checksum. */
typedef struct token_bytes {
    uint8_t head[5];
    size_t nhead;
    const uint8_t *enc;
    size_t n;
    uint8_t sum[4];
} token_bytes;

static uint8_t token_byte(const token_bytes *t, size_t i)
{
    if (i < t->nhead)
        return t->head[i];
    i -= t->nhead;
    return i < t->n ? t->enc[i] : t->sum[i - t->n];
}

size_t token_write(char *out, size_t cap, const char *name, const uint8_t *enc,
                   size_t n)
{
    token_bytes t = {.enc = enc, .n = n};
    uint32_t h = token_name_hash(name);
    while (h >= 0x80) {
        t.head[t.nhead++] = (uint8_t)(h | 0x80);
        h >>= 7;
    }
    t.head[t.nhead++] = (uint8_t)h;
    XXH32_state_t st;
    XXH32_reset(&st, 0);
    XXH32_update(&st, t.head, t.nhead);
    if (n)
        XXH32_update(&st, enc, n);
    uint32_t sum = XXH32_digest(&st);
    for (int i = 0; i < 4; i++)
        t.sum[i] = (uint8_t)(sum >> (8 * i));
    size_t total = t.nhead + n + 4;
    size_t plen = strlen(TOKEN_PREFIX);
    size_t len = plen + (total * 4 + 2) / 3;
    if (len + 1 > cap)
        return 0;
    memcpy(out, TOKEN_PREFIX, plen);
    char *o = out + plen;
    for (size_t i = 0; i < total; i += 3) {
        size_t left = total - i;
        uint32_t v = (uint32_t)token_byte(&t, i) << 16;
        if (left > 1)
            v |= (uint32_t)token_byte(&t, i + 1) << 8;
        if (left > 2)
            v |= token_byte(&t, i + 2);
        *o++ = b64[(v >> 18) & 63];
        *o++ = b64[(v >> 12) & 63];
        if (left > 1)
            *o++ = b64[(v >> 6) & 63];
        if (left > 2)
            *o++ = b64[v & 63];
    }
    *o = 0;
    return (size_t)(o - out);
}

char *token_from_encoding(const char *name, const uint8_t *enc, size_t n)
{
    size_t cap = strlen(TOKEN_PREFIX) + ((n + 9) * 4 + 2) / 3 + 1;
    char *out = xmalloc(cap);
    token_write(out, cap, name, enc, n);
    return out;
}


/* *stray_bits: the last character has unused low bits set, which no token
 * Gadfly made has; the caller decides what that means once it knows
 * whether the rest is a token at all. */
static bool b64_decode(const char *s, bytes_vec *out, bool *stray_bits,
                       const char **err)
{
    size_t n = strlen(s);
    if (n % 4 == 1) {
        *err = "its length is wrong (truncated or extended)";
        return false;
    }
    bv_reserve(out, n);
    uint32_t acc = 0;
    unsigned bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_value(s[i]);
        if (v < 0) {
            *err = "it contains a character that is not in a token";
            return false;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out->p[out->n++] = (uint8_t)(acc >> bits);
        }
    }
    *stray_bits = (acc & ((1u << bits) - 1)) != 0;
    return true;
}

static bool token_parse_trimmed(const char *token, size_t plen,
                                uint32_t *name_hash, buffer *out,
                                const char **err);

bool token_parse(const char *token, uint32_t *name_hash, buffer *out,
                 const char **err)
{
    size_t plen = strlen(TOKEN_PREFIX);
    while (*token == ' ' || *token == '\t')
        token++;
    /* Trailing blanks and a newline come with copy and paste: drop them. */
    size_t tlen = strlen(token);
    while (tlen && (token[tlen - 1] == ' ' || token[tlen - 1] == '\t' ||
                    token[tlen - 1] == '\n' || token[tlen - 1] == '\r'))
        tlen--;
    char *trimmed = xmalloc(tlen + 1);
    memcpy(trimmed, token, tlen);
    trimmed[tlen] = 0;
    bool ok = token_parse_trimmed(trimmed, plen, name_hash, out, err);
    free(trimmed);
    return ok;
}

static bool token_parse_trimmed(const char *token, size_t plen,
                                uint32_t *name_hash, buffer *out,
                                const char **err)
{
    if (strncmp(token, TOKEN_PREFIX, plen) != 0) {
        size_t digits = strncmp(token, "gf", 2) == 0
                            ? strspn(token + 2, "0123456789") : 0;
        *err = digits && token[2 + digits] == ':'
                   ? "it was made by another version of Gadfly, which writes "
                     "another version of tokens (this one reads " TOKEN_PREFIX
                     " tokens): replay it with that version"
                   : "it does not start with " TOKEN_PREFIX;
        return false;
    }
    bytes_vec raw = {0};
    bool stray_bits = false;
    bool ok = b64_decode(token + plen, &raw, &stray_bits, err);
    if (ok && raw.n < 5) {
        *err = "it is too short (cut off when it was copied?)";
        ok = false;
    }
    if (ok) {
        const uint8_t *sum = raw.p + raw.n - 4;
        uint32_t want = (uint32_t)sum[0] | (uint32_t)sum[1] << 8 |
                        (uint32_t)sum[2] << 16 | (uint32_t)sum[3] << 24;
        if (XXH32(raw.p, raw.n - 4, 0) != want) {
            *err = "its checksum does not match (the token was damaged, "
                   "or is not one Gadfly printed)";
            ok = false;
        }
    }
    /* The checksum holds, so this is a token, and the last character's
     * unused low bits (zero in every token made) were changed: a change
     * the checksum cannot see. */
    if (ok && stray_bits) {
        *err = "its last character was changed";
        ok = false;
    }
    if (ok) {
        const uint8_t *p = raw.p, *end = raw.p + raw.n - 4;
        uint64_t h = 0;
        unsigned shift = 0;
        while (p < end && (*p & 0x80) && shift < 28) {
            h |= (uint64_t)(*p++ & 0x7F) << shift;
            shift += 7;
        }
        if (p >= end) {
            *err = "it names no property (a token from another version "
                   "of Gadfly?)";
            ok = false;
        } else {
            h |= (uint64_t)(*p++) << shift;
            *name_hash = (uint32_t)h;
            /* The checksum holds: a token Gadfly made, whose case data
             * this version cannot read. */
            if (!buffer_decode(p, (size_t)(end - p), MAX_TOKEN_CHOICES, out)) {
                *err = "its case data is not in this version's encoding (a "
                       "token from another version of Gadfly?)";
                ok = false;
            }
        }
    }
    bv_free(&raw);
    return ok;
}
