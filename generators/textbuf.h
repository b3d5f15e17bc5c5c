/*
 * textbuf.h - a string grown in the case's arena, and UTF-8 encoding, for
 * the text and JSON generators.  Internal to the library.
 */
#ifndef GF_GEN_TEXTBUF_H
#define GF_GEN_TEXTBUF_H

#include <stdint.h>
#include <string.h>

#include <gadfly.h>

/* The string under construction, grown geometrically in the arena (the
 * old copies stay in the arena until the case ends: at most as much again
 * as the final string). */
typedef struct text_buf {
    char *data;
    size_t len, cap;
} text_buf;

static inline void text_init(gf_case *tc, text_buf *t)
{
    t->cap = 32;
    t->data = gf_alloc(tc, t->cap);
    t->len = 0;
    t->data[0] = '\0';
}

/* Room for n more bytes and the NUL. */
static inline void text_reserve(gf_case *tc, text_buf *t, size_t n)
{
    if (t->len + n + 1 <= t->cap)
        return;
    size_t cap = t->cap * 2;
    while (cap < t->len + n + 1)
        cap *= 2;
    char *data = gf_alloc(tc, cap);
    memcpy(data, t->data, t->len + 1);
    t->data = data;
    t->cap = cap;
}

static inline void text_put(gf_case *tc, text_buf *t, const char *bytes,
                            size_t n)
{
    text_reserve(tc, t, n);
    memcpy(t->data + t->len, bytes, n);
    t->len += n;
    t->data[t->len] = '\0';
}

/* cp in its shortest UTF-8 form; returns the byte count.  cp must be a
 * code point (at most U+10FFFF). */
static inline size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static inline void text_puts(gf_case *tc, text_buf *t, const char *s)
{
    text_put(tc, t, s, strlen(s));
}

#endif /* GF_GEN_TEXTBUF_H */
