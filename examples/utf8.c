/*
 * utf8.c - a UTF-8 decoder that accepts overlong forms.
 *
 * decode_utf8() reads a lead byte, takes as many continuation bytes as the
 * lead announces, checks that each really is a continuation byte (10xxxxxx),
 * and rejects surrogates and code points past U+10FFFF.  It never checks
 * that the code point needed that many bytes, so "\xC0\xAF" decodes to '/'
 * and "\xC0\x80" to NUL: the overlong forms RFC 3629 forbids because they
 * slip characters past filters that look for the short form.  Decoders with
 * exactly this gap let "..\xC0\xAF" through path checks in web servers of
 * the early 2000s.  Valid text decodes correctly, so tests written from
 * sample strings pass.
 *
 * The property holds the decoder against a strict one: whatever the strict
 * decoder rejects, decode_utf8 must reject too.  The inputs are invalid
 * UTF-8 by class (gf_utf8_invalid: lone continuation bytes, truncated,
 * overlong, surrogate, too-large sequences, bytes 0xFE/0xFF) and raw bytes.
 *
 * Minimal counterexample (what the shrinker should print):
 *     s = "\xC0\x80"
 * The decoder rejects every other class, and the simplest overlong string
 * is NUL written in two bytes.
 *
 * A second property checks that both decoders agree on valid text
 * (gf_utf8), and holds: the bug is invisible there.
 *
 * Run: examples/utf8 [--seed N] [--filter 'decoders_agree*'] [--help]
 */
#include <gadfly.h>
#include <gadfly/text.h>

#define MAX_CODE_POINTS 64

/*
 * Decode len bytes into at most cap code points; returns how many, or -1
 * when the bytes are not UTF-8.  The bug: the value is never compared with
 * the smallest one its length may encode.
 */
static long decode_utf8(const uint8_t *s, size_t len, uint32_t *out,
                        size_t cap)
{
    size_t i = 0;
    long n = 0;
    while (i < len) {
        uint8_t lead = s[i];
        size_t extra;
        uint32_t cp;
        if (lead < 0x80) {
            extra = 0;
            cp = lead;
        } else if ((lead & 0xE0) == 0xC0) {
            extra = 1;
            cp = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            extra = 2;
            cp = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            extra = 3;
            cp = lead & 0x07;
        } else {
            return -1; /* a continuation byte, or 0xF8..0xFF */
        }
        if (len - i - 1 < extra)
            return -1;
        for (size_t k = 1; k <= extra; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return -1;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return -1;
        if ((size_t)n < cap)
            out[n] = cp;
        n++;
        i += 1 + extra;
    }
    return n;
}

/* The reference: the same, plus the shortest-form rule of RFC 3629. */
static long decode_utf8_strict(const uint8_t *s, size_t len, uint32_t *out,
                               size_t cap)
{
    static const uint32_t shortest[4] = {0, 0x80, 0x800, 0x10000};
    size_t i = 0;
    long n = 0;
    while (i < len) {
        uint8_t lead = s[i];
        size_t extra = lead < 0x80             ? 0
                       : (lead & 0xE0) == 0xC0 ? 1
                       : (lead & 0xF0) == 0xE0 ? 2
                       : (lead & 0xF8) == 0xF0 ? 3
                                               : 4;
        if (extra == 4 || len - i - 1 < extra)
            return -1;
        uint32_t cp = extra == 0 ? lead : lead & (0x3Fu >> extra);
        for (size_t k = 1; k <= extra; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return -1;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp < shortest[extra] || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return -1;
        if ((size_t)n < cap)
            out[n] = cp;
        n++;
        i += 1 + extra;
    }
    return n;
}

GF_PROPERTY(decoder_rejects_what_strict_rejects)
{
    /* Invalid UTF-8 by class first (the simpler alternative), raw bytes
     * for whatever the classes miss. */
    const gf_gen *input =
        gf_one_of(gf_utf8_invalid(GF_UTF8_ANY_INVALID), gf_bytes(0, 16));
    const gf_bytes_value *s = gf_draw_named(tc, input, "s");
    uint32_t cps[MAX_CODE_POINTS];

    if (decode_utf8_strict(s->data, s->len, NULL, 0) >= 0)
        return; /* valid (or only an embedded NUL): nothing to reject */
    long n = decode_utf8(s->data, s->len, cps, MAX_CODE_POINTS);
    if (n > 0)
        gf_note(tc, "decode_utf8 accepted it as %ld code point(s), the "
                    "first U+%04X", n, (unsigned)cps[0]);
    GF_ASSERT(tc, n < 0);
}

GF_PROPERTY(decoders_agree_on_valid_text)
{
    const char *text = gf_draw_named(tc, gf_utf8(0, 20), "text");
    uint32_t a[MAX_CODE_POINTS], b[MAX_CODE_POINTS];
    size_t len = strlen(text);
    long na = decode_utf8((const uint8_t *)text, len, a, MAX_CODE_POINTS);
    long nb = decode_utf8_strict((const uint8_t *)text, len, b,
                                 MAX_CODE_POINTS);

    GF_ASSERT(tc, nb >= 0);
    GF_ASSERT_EQ_INT(tc, na, nb);
    GF_ASSERT(tc, memcmp(a, b, (size_t)na * sizeof a[0]) == 0);
}

GF_MAIN()
