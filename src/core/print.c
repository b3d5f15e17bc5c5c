/*
 * print.c - the printer: values as C literals that paste back into code.
 *
 * A counterexample is only useful if it can be read and pasted: every value
 * prints as C source.  Doubles print as the shortest decimal that reads back
 * to the same bits, strings as literals that decode to the same bytes, and
 * the special values as the <math.h>/<stdint.h> names a C file can use.
 *
 * This file formats; it never draws, never touches a case, and never
 * allocates except to grow the printer's own buffer.  Its output must not
 * depend on the locale: digits are produced and parsed without a decimal
 * point character.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- the buffer -------------------------------------------------------- */

void printer_init(gf_printer *p)
{
    p->buf = NULL;
    p->len = 0;
    p->cap = 0;
}

void printer_free(gf_printer *p)
{
    free(p->buf);
    printer_init(p);
}

char *printer_take(gf_printer *p)
{
    char *text = p->buf ? p->buf : xstrdup("");
    printer_init(p);
    return text;
}

/* Make room for `extra` more bytes plus the terminating NUL.  Doubling keeps
 * the total copying linear in the final length. */
static void reserve(gf_printer *p, size_t extra)
{
    if (extra > SIZE_MAX - p->len - 1)
        gf_oom();
    size_t need = p->len + extra + 1;
    if (need <= p->cap)
        return;
    size_t cap = p->cap ? p->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p->buf = xrealloc(p->buf, cap);
    p->cap = cap;
}

static void put_bytes(gf_printer *p, const char *s, size_t n)
{
    reserve(p, n);
    memcpy(p->buf + p->len, s, n);
    p->len += n;
    p->buf[p->len] = '\0';
}

static void put_str(gf_printer *p, const char *s)
{
    put_bytes(p, s, strlen(s));
}

void gf_print(gf_printer *p, const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    reserve(p, 0);
    size_t room = p->cap - p->len;
    int n = vsnprintf(p->buf + p->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        /* An encoding error in a user's format: keep what we have. */
        p->buf[p->len] = '\0';
        va_end(again);
        return;
    }
    if ((size_t)n >= room) {
        reserve(p, (size_t)n);
        vsnprintf(p->buf + p->len, (size_t)n + 1, fmt, again);
    }
    va_end(again);
    p->len += (size_t)n;
}

/* ---- strings ----------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing past U+10FFFF), or 0.  Stores the code
 * point. */
static size_t utf8_sequence(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char b = s[0];
    size_t len;
    uint32_t min, lo2 = 0x80, hi2 = 0xBF;

    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
        min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        min = 0x800;
        if (b == 0xE0)
            lo2 = 0xA0;
        if (b == 0xED)
            hi2 = 0x9F; /* U+D800..U+DFFF are surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        min = 0x10000;
        if (b == 0xF0)
            lo2 = 0x90;
        if (b == 0xF4)
            hi2 = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo2 || s[1] > hi2)
        return 0;
    uint32_t v = b & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min)
        return 0;
    *cp = v;
    return len;
}

/* Code points that would mislead a reader if printed raw: invisible,
 * zero-width, bidirectional controls that reorder the text around them,
 * combining marks that would fuse with the quote before them, line
 * separators, noncharacters and private use.  These print as \x escapes of
 * their bytes, so what is shown is exactly what is there. */
static bool misleading(uint32_t cp)
{
    static const uint32_t ranges[][2] = {
        {0x0080, 0x00A0},   {0x00AD, 0x00AD},   {0x0300, 0x036F},
        {0x061C, 0x061C},   {0x115F, 0x1160},   {0x17B4, 0x17B5},
        {0x180B, 0x180F},   {0x1AB0, 0x1AFF},   {0x1DC0, 0x1DFF},
        {0x2000, 0x200F},   {0x2028, 0x202F},   {0x205F, 0x206F},
        {0x20D0, 0x20FF},   {0x3000, 0x3000},   {0x3164, 0x3164},
        {0xE000, 0xF8FF},   {0xFDD0, 0xFDEF},   {0xFE00, 0xFE0F},
        {0xFE20, 0xFE2F},   {0xFEFF, 0xFEFF},   {0xFFA0, 0xFFA0},
        {0xFFF0, 0xFFFF},   {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
        {0xF0000, 0x10FFFF},
    };
    if ((cp & 0xFFFE) == 0xFFFE) /* U+xFFFE, U+xFFFF in every plane */
        return true;
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (cp >= ranges[i][0] && cp <= ranges[i][1])
            return true;
    return false;
}

/* What the last thing written inside the literal was, to know when the next
 * character must start a new literal: "\xC3" "A" (a hex escape swallows
 * every hex digit after it), "\0" "1" (an octal escape takes up to three
 * digits), and "?\?=" (two question marks start a trigraph in C11). */
typedef enum last_out {
    LAST_PLAIN,
    LAST_HEX,
    LAST_NUL,
    LAST_QUESTION,
} last_out;

static bool is_hex_digit(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

static void put_hex_byte(gf_printer *p, unsigned char b)
{
    static const char digits[] = "0123456789ABCDEF";
    char esc[4] = {'\\', 'x', digits[b >> 4], digits[b & 0xF]};
    put_bytes(p, esc, sizeof esc);
}

/* One ASCII byte; returns what was written. */
static last_out put_ascii(gf_printer *p, unsigned char c, last_out last)
{
    bool digit = c >= '0' && c <= '9';
    if ((last == LAST_HEX && is_hex_digit(c)) || (last == LAST_NUL && digit))
        put_str(p, "\" \"");
    switch (c) {
    case '\0': put_str(p, "\\0"); return LAST_NUL;
    case '\n': put_str(p, "\\n"); return LAST_PLAIN;
    case '\t': put_str(p, "\\t"); return LAST_PLAIN;
    case '\r': put_str(p, "\\r"); return LAST_PLAIN;
    case '"': put_str(p, "\\\""); return LAST_PLAIN;
    case '\\': put_str(p, "\\\\"); return LAST_PLAIN;
    case '?':
        /* After "?" or "\?" the source ends in '?': escape this one. */
        put_str(p, last == LAST_QUESTION ? "\\?" : "?");
        return LAST_QUESTION;
    default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
        put_hex_byte(p, c);
        return LAST_HEX;
    }
    put_bytes(p, (const char *)&c, 1);
    return LAST_PLAIN;
}

void gf_print_string(gf_printer *p, const void *s, size_t len)
{
    const unsigned char *bytes = s;
    last_out last = LAST_PLAIN;

    if (s == NULL) {
        put_str(p, "NULL");
        return;
    }
    put_str(p, "\"");
    for (size_t i = 0; i < len;) {
        if (bytes[i] < 0x80) {
            last = put_ascii(p, bytes[i], last);
            i++;
            continue;
        }
        uint32_t cp = 0;
        size_t n = utf8_sequence(bytes + i, len - i, &cp);
        if (n > 0 && !misleading(cp)) {
            put_bytes(p, (const char *)bytes + i, n);
            last = LAST_PLAIN;
            i += n;
            continue;
        }
        /* Invalid, or valid but misleading: escape the bytes of the
         * sequence (or the single bad byte). */
        size_t end = i + (n > 0 ? n : 1);
        for (; i < end; i++)
            put_hex_byte(p, bytes[i]);
        last = LAST_HEX;
    }
    put_str(p, "\"");
}

/* ---- doubles ----------------------------------------------------------- */

/* A decimal mant * 10^exp10. */
typedef struct decimal {
    uint64_t mant;
    int exp10;
} decimal;

/* Whether the decimal reads back to x (x positive and finite).  The text
 * has no decimal point, so strtod's locale does not matter. */
static bool reads_back(decimal d, double x)
{
    char text[48];
    snprintf(text, sizeof text, "%" PRIu64 "e%d", d.mant, d.exp10);
    return strtod(text, NULL) == x;
}

/* x rounded to `digits` significant digits (x positive and finite). */
static decimal round_to_digits(double x, int digits)
{
    char text[64];
    decimal d = {0, 0};
    int exp10 = 0;
    snprintf(text, sizeof text, "%.*e", digits - 1, x);
    const char *c = text;
    for (; *c && *c != 'e'; c++)
        if (*c >= '0' && *c <= '9')
            d.mant = d.mant * 10 + (uint64_t)(*c - '0');
    if (*c == 'e')
        exp10 = atoi(c + 1);
    d.exp10 = exp10 - (digits - 1);
    return d;
}

/* The decimal with fewest significant digits that reads back to x.  At each
 * length the correctly rounded candidate is tried first, then its two
 * neighbours: next to a power of two the rounding interval is lopsided and
 * a neighbour may read back when the nearest does not.  17 digits always
 * suffice for a double. */
static decimal shortest_decimal(double x)
{
    decimal d = {0, 0};
    for (int digits = 1; digits <= 17; digits++) {
        d = round_to_digits(x, digits);
        if (reads_back(d, x))
            break;
        decimal up = {d.mant + 1, d.exp10}, down = {d.mant - 1, d.exp10};
        if (reads_back(up, x)) {
            d = up;
            break;
        }
        if (d.mant > 1 && reads_back(down, x)) {
            d = down;
            break;
        }
    }
    while (d.mant % 10 == 0 && d.mant != 0) {
        d.mant /= 10;
        d.exp10++;
    }
    return d;
}

/* Lay out digits * 10^exp10 the way Python's repr does: positional for
 * scientific exponents in [-4, 16), else d.ddde<exp>.  Positional text
 * always has a point ("100.0"), so the literal is a double, not an int. */
static void put_decimal(gf_printer *p, decimal d)
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%" PRIu64, d.mant);
    int sci = d.exp10 + n - 1;

    if (sci < -4 || sci >= 16) {
        put_bytes(p, digits, 1);
        if (n > 1) {
            put_str(p, ".");
            put_bytes(p, digits + 1, (size_t)n - 1);
        }
        gf_print(p, "e%d", sci);
    } else if (d.exp10 >= 0) {
        put_bytes(p, digits, (size_t)n);
        for (int i = 0; i < d.exp10; i++)
            put_str(p, "0");
        put_str(p, ".0");
    } else if (n + d.exp10 > 0) {
        size_t whole = (size_t)(n + d.exp10);
        put_bytes(p, digits, whole);
        put_str(p, ".");
        put_bytes(p, digits + whole, (size_t)n - whole);
    } else {
        put_str(p, "0.");
        for (int i = 0; i < -(n + d.exp10); i++)
            put_str(p, "0");
        put_bytes(p, digits, (size_t)n);
    }
}

void gf_print_double(gf_printer *p, double d)
{
    if (isnan(d)) {
        put_str(p, signbit(d) ? "-NAN" : "NAN");
        return;
    }
    if (signbit(d))
        put_str(p, "-");
    double x = fabs(d);
    if (isinf(x))
        put_str(p, "INFINITY");
    else if (x == 0.0)
        put_str(p, "0.0");
    else
        put_decimal(p, shortest_decimal(x));
}

/* ---- values ------------------------------------------------------------ */

/* A value whose generator does not know how to print it: its bytes. */
static void put_raw_bytes(gf_printer *p, const void *value, size_t size)
{
    const unsigned char *b = value;
    put_str(p, "{");
    for (size_t i = 0; i < size; i++)
        gf_print(p, "%s0x%02x", i ? ", " : "", b[i]);
    put_str(p, "}");
}

void gf_print_value(gf_printer *p, const gf_gen *g, const void *value)
{
    if (g == NULL || value == NULL) {
        put_str(p, "NULL");
        return;
    }
    if (g->print)
        g->print(p, g, value);
    else
        put_raw_bytes(p, value, g->size);
}

char *gf_value_to_string(const gf_gen *g, const void *value)
{
    gf_printer p;
    printer_init(&p);
    gf_print_value(&p, g, value);
    return printer_take(&p);
}
