/*
 * text.c - byte strings and text: gf_bytes, gf_ascii, gf_utf8, and
 * ill-formed UTF-8 by named class, gf_utf8_invalid (gadfly/text.h).
 *
 * Text is a NUL-terminated char * in the case's arena, drawn one character
 * at a time through gf_many, so each character is its own span and the
 * shrinker deletes characters one by one.  min and max count characters
 * (code points), not bytes.
 *
 * Each character is an index into an ordering whose first entry is the
 * simplest, so characters shrink toward 'a' (the ordering is a..z, A..Z,
 * 0..9, space, punctuation, then control characters for UTF-8).  On top of
 * the engine's integer bias, each family adds a bias of its own toward the
 * characters that break text handling: quotes and backslashes for ASCII;
 * multi-byte sequences, combining marks, noncharacters, zero-width and
 * bidirectional controls, line separators, emoji and their joined
 * sequences, and plane boundaries for UTF-8.
 *
 * gf_utf8 must only ever produce well-formed UTF-8: no surrogates, nothing
 * past U+10FFFF, no NUL (it would end the string).  gf_utf8_invalid must
 * produce exactly one defect of a class it was asked for, and nothing else
 * wrong: the text around the defect is drawn as gf_utf8 draws it.
 */
#include <stdio.h>
#include <string.h>

#include <gadfly.h>
#include <gadfly/gen.h>
#include <gadfly/text.h>

#include "cache.h"
#include "textbuf.h"

/* ---- shared ------------------------------------------------------------ */

/* Printable ASCII, simplest first: index 0 is where characters shrink. */
static const char ascii_order[] =
    "abcdefghijklmnopqrstuvwxyz"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "0123456789 "
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
#define ASCII_PRINTABLE (sizeof ascii_order - 1) /* 95 */

/* The rest of ASCII for UTF-8 text, after the printable characters: common
 * whitespace first, then the other controls and DEL.  Never NUL. */
static const char ascii_controls[] =
    "\t\n\r\x01\x02\x03\x04\x05\x06\x07\x08\x0B\x0C\x0E\x0F\x10\x11\x12"
    "\x13\x14\x15\x16\x17\x18\x19\x1A\x1B\x1C\x1D\x1E\x1F\x7F";
#define ASCII_CONTROLS (sizeof ascii_controls - 1) /* 32 */

/* Printable characters that trip up parsers, escapers, formatters and
 * shells, for the ASCII bias. */
static const char ascii_tricky[] = " \"\\'%?{}<>&,;/.-+0#$`~";
#define ASCII_TRICKY (sizeof ascii_tricky - 1)
#define ASCII_TRICKY_P 0.15

static void check_counts(gf_case *tc, const gf_gen *self)
{
    if (self->arg.u[0] > self->arg.u[1])
        gf_gen_misuse(tc, self, "min (%zu) > max (%zu)",
                      (size_t)self->arg.u[0], (size_t)self->arg.u[1]);
}

/* Text values are char *: print the string the pointer points to. */
static void print_text(gf_printer *p, const gf_gen *self, const void *value)
{
    (void)self;
    const char *s = *(char *const *)value;
    gf_print_string(p, s, s ? strlen(s) : 0);
}

/* arg.u[0], arg.u[1]: min and max characters (or bytes, for gf_bytes). */
static const gf_gen *make_text(const char *family, size_t min, size_t max,
                               gf_gen_draw_fn draw)
{
    char name[80];
    snprintf(name, sizeof name, "%s(%zu, %zu)", family, min, max);
    gf_gen t = {
        .name = name,
        .size = sizeof(char *),
        .align = _Alignof(char *),
        .flags = GF_GEN_POINTER_VALUE,
        .kind = GF_VALUE_POINTER,
        .label = gf_span_label(name),
        .draw = draw,
        .print = print_text,
    };
    t.arg.u[0] = min;
    t.arg.u[1] = max;
    return gf_gen_intern(&t);
}

/* ---- bytes ------------------------------------------------------------- */

static void draw_bytes(gf_case *tc, const gf_gen *self, void *out)
{
    gf_bytes_value *v = out;
    check_counts(tc, self);
    v->data = gf_draw_bytes(tc, (size_t)self->arg.u[0],
                            (size_t)self->arg.u[1], &v->len);
}

static void print_bytes(gf_printer *p, const gf_gen *self, const void *value)
{
    (void)self;
    const gf_bytes_value *v = value;
    gf_print_string(p, v->data, v->len);
}

static const gf_gen *build_bytes(size_t min, size_t max)
{
    char name[80];
    snprintf(name, sizeof name, "bytes(%zu, %zu)", min, max);
    gf_gen t = {
        .name = name,
        .size = sizeof(gf_bytes_value),
        .align = _Alignof(gf_bytes_value),
        .label = gf_span_label(name),
        .draw = draw_bytes,
        .print = print_bytes,
    };
    t.arg.u[0] = min;
    t.arg.u[1] = max;
    return gf_gen_intern(&t);
}

const gf_gen *gf_bytes(size_t min, size_t max)
{
    GEN_MEMO_RETURN(gf_bytes, min, max, 0, build_bytes(min, max));
}

/* ---- ascii ------------------------------------------------------------- */

static char draw_ascii_char(gf_case *tc)
{
    if (gf_draw_weighted(tc, ASCII_TRICKY_P))
        return ascii_tricky[gf_draw_uint(tc, 0, ASCII_TRICKY - 1)];
    return ascii_order[gf_draw_uint(tc, 0, ASCII_PRINTABLE - 1)];
}

static void draw_ascii(gf_case *tc, const gf_gen *self, void *out)
{
    check_counts(tc, self);
    text_buf t;
    gf_many m;
    text_init(tc, &t);
    gf_many_init(tc, &m, (size_t)self->arg.u[0], (size_t)self->arg.u[1]);
    while (gf_many_more(tc, &m)) {
        char c = draw_ascii_char(tc);
        text_put(tc, &t, &c, 1);
    }
    *(char **)out = t.data;
}

static const gf_gen *build_ascii(size_t min, size_t max)
{
    return make_text("ascii", min, max, draw_ascii);
}

const gf_gen *gf_ascii(size_t min, size_t max)
{
    GEN_MEMO_RETURN(gf_ascii, min, max, 0, build_ascii(min, max));
}

/* ---- utf8 -------------------------------------------------------------- */

/* Code points that break text handling, simplest first. */
static const uint32_t utf8_specials[] = {
    0x00E9,  /* e acute: the everyday 2-byte letter */
    0x00A0,  /* no-break space */
    0x0301,  /* combining acute accent */
    0x0300,  /* combining grave accent */
    0x200B,  /* zero width space */
    0x200C,  /* zero width non-joiner */
    0x200D,  /* zero width joiner */
    0x2060,  /* word joiner */
    0xFEFF,  /* byte order mark / zero width no-break space */
    0x00AD,  /* soft hyphen: invisible unless the line breaks there */
    0x05D0,  /* Hebrew alef: right-to-left */
    0x0627,  /* Arabic alef: right-to-left */
    0x200E,  /* left-to-right mark */
    0x200F,  /* right-to-left mark */
    0x061C,  /* Arabic letter mark */
    0x202E,  /* right-to-left override */
    0x202C,  /* pop directional formatting */
    0x2067,  /* right-to-left isolate */
    0x2069,  /* pop directional isolate */
    0x2028,  /* line separator */
    0x2029,  /* paragraph separator */
    0x0085,  /* next line (NEL) */
    0x3000,  /* ideographic space */
    0xFFFD,  /* replacement character */
    0xFFFE,  /* noncharacter */
    0xFFFF,  /* noncharacter, last of the BMP */
    0xFDD0,  /* first of the noncharacter block */
    0xFDEF,  /* last of the noncharacter block */
    0x00DF,  /* sharp s: uppercases to two letters */
    0x0130,  /* I with dot: lowercases to two code points */
    0xFB03,  /* ffi ligature: case-folds to three letters */
    0x212A,  /* Kelvin sign: lowercases to ASCII 'k' */
    0xFE0F,  /* variation selector 16: emoji presentation */
    0x1F600, /* grinning face */
    0x1F469, /* woman: starts a joined sequence */
    0x1F44D, /* thumbs up: takes a skin tone */
    0x1F1EB, /* regional indicator F: half of a flag */
    0xE0001, /* language tag */
    0x007F,  /* last 1-byte */
    0x0080,  /* first 2-byte */
    0x07FF,  /* last 2-byte */
    0x0800,  /* first 3-byte */
    0xD7FF,  /* last before the surrogates */
    0xE000,  /* first after the surrogates, first private use */
    0x10000, /* first 4-byte, first of plane 1 */
    0x1FFFF, /* last of plane 1 */
    0x20000, /* first of plane 2 */
    0xEFFFF, /* last of plane 14 */
    0xF0000, /* first private use plane */
    0x10FFFF, /* the last code point */
};
#define UTF8_SPECIALS (sizeof utf8_specials / sizeof utf8_specials[0])

/* Sequences that render as one symbol, ended by 0 when shorter than the
 * row.  After the first code point, each next one follows with
 * probability UTF8_JOIN_P, so broken sequences come too. */
#define UTF8_SEQUENCE_MAX 7
static const uint32_t utf8_sequences[][UTF8_SEQUENCE_MAX] = {
    {0x1F469, 0x200D, 0x1F4BB},  /* woman technologist (ZWJ sequence) */
    {0x1F468, 0x200D, 0x1F469, 0x200D, 0x1F467, 0x200D,
     0x1F466},                   /* family: man, woman, girl, boy */
    {0x1F3F3, 0xFE0F, 0x200D, 0x1F308}, /* rainbow flag */
    {0x1F3F4, 0xE0067, 0xE0062, 0xE0065, 0xE006E, 0xE0067,
     0xE007F},                   /* flag of England (tag sequence) */
    {0x2764, 0xFE0F},            /* red heart (variation selector) */
    {0x1F44D, 0x1F3FD},          /* thumbs up, medium skin tone */
    {0x1F1EB, 0x1F1F7},          /* flag of France */
    {0x0065, 0x0301, 0x0327, 0x0338}, /* e with three combining marks */
};
#define UTF8_SEQUENCES (sizeof utf8_sequences / sizeof utf8_sequences[0])
#define UTF8_JOIN_P 0.8

/* Noncharacters: U+FDD0..U+FDEF, then U+nFFFE and U+nFFFF of each of the
 * 17 planes. */
#define NONCHAR_BLOCK 32
#define NONCHARACTERS (NONCHAR_BLOCK + 2 * 17)

static uint32_t noncharacter(size_t i)
{
    if (i < NONCHAR_BLOCK)
        return 0xFDD0 + (uint32_t)i;
    i -= NONCHAR_BLOCK;
    return (uint32_t)(i / 2) << 16 | 0xFFFE | (uint32_t)(i % 2);
}

/* Where a character comes from; the first is the simplest. */
enum utf8_class {
    CLASS_ASCII,
    CLASS_TWO_BYTE,
    CLASS_THREE_BYTE,
    CLASS_FOUR_BYTE,
    CLASS_COMBINING,
    CLASS_NONCHARACTER,
    CLASS_SPECIAL,
    CLASS_SEQUENCE,
    CLASS_COUNT,
};

/* A code point of one of the classes, never NUL or a surrogate.  With
 * `sequences` false the sequence class is left out (its first code point
 * alone would be drawn, which the caller could not continue); *seq is set
 * to the sequence begun, or to UTF8_SEQUENCES. */
static uint32_t draw_code_point(gf_case *tc, bool sequences, size_t *seq)
{
    uint32_t cp;
    *seq = UTF8_SEQUENCES;
    switch (gf_draw_uint(tc, 0, sequences ? CLASS_COUNT - 1
                                          : CLASS_COUNT - 2)) {
    case CLASS_ASCII: {
        size_t i = gf_draw_uint(tc, 0, ASCII_PRINTABLE + ASCII_CONTROLS - 1);
        return (unsigned char)(i < ASCII_PRINTABLE
                                   ? ascii_order[i]
                                   : ascii_controls[i - ASCII_PRINTABLE]);
    }
    case CLASS_TWO_BYTE:
        return (uint32_t)gf_draw_uint(tc, 0x80, 0x7FF);
    case CLASS_THREE_BYTE:
        /* U+0800..U+FFFF less the 2048 surrogates, closed up so that the
         * bounds still map to U+0800 and U+FFFF. */
        cp = (uint32_t)gf_draw_uint(tc, 0x800, 0xFFFF - 0x800);
        return cp >= 0xD800 ? cp + 0x800 : cp;
    case CLASS_FOUR_BYTE:
        return (uint32_t)gf_draw_uint(tc, 0x10000, 0x10FFFF);
    case CLASS_COMBINING:
        return (uint32_t)gf_draw_uint(tc, 0x300, 0x36F);
    case CLASS_NONCHARACTER:
        return noncharacter(gf_draw_uint(tc, 0, NONCHARACTERS - 1));
    case CLASS_SPECIAL:
        return utf8_specials[gf_draw_uint(tc, 0, UTF8_SPECIALS - 1)];
    default:
        *seq = gf_draw_uint(tc, 0, UTF8_SEQUENCES - 1);
        return utf8_sequences[*seq][0];
    }
}

/* A joined sequence in progress: the next code point is
 * utf8_sequences[seq][pos]; pos 0 means none is in progress. */
typedef struct join_state {
    size_t seq, pos;
} join_state;

/* The next code point, continuing a joined sequence when one is open.  The
 * "continue?" choice is drawn only inside a sequence; false is simplest,
 * so the shrinker can break a sequence apart. */
static uint32_t next_code_point(gf_case *tc, join_state *js)
{
    if (js->pos > 0 && gf_draw_weighted(tc, UTF8_JOIN_P)) {
        uint32_t cp = utf8_sequences[js->seq][js->pos++];
        if (js->pos == UTF8_SEQUENCE_MAX ||
            utf8_sequences[js->seq][js->pos] == 0)
            js->pos = 0;
        return cp;
    }
    size_t seq;
    uint32_t cp = draw_code_point(tc, true, &seq);
    js->pos = 0;
    if (seq < UTF8_SEQUENCES) {
        js->seq = seq;
        js->pos = 1;
    }
    return cp;
}

static void draw_utf8(gf_case *tc, const gf_gen *self, void *out)
{
    check_counts(tc, self);
    text_buf t;
    gf_many m;
    join_state js = {0, 0};
    text_init(tc, &t);
    gf_many_init(tc, &m, (size_t)self->arg.u[0], (size_t)self->arg.u[1]);
    while (gf_many_more(tc, &m)) {
        char bytes[4];
        size_t n = utf8_encode(next_code_point(tc, &js), bytes);
        text_put(tc, &t, bytes, n);
    }
    *(char **)out = t.data;
}

static const gf_gen *build_utf8(size_t min, size_t max)
{
    return make_text("utf8", min, max, draw_utf8);
}

const gf_gen *gf_utf8(size_t min, size_t max)
{
    GEN_MEMO_RETURN(gf_utf8, min, max, 0, build_utf8(min, max));
}

/* ---- invalid utf8 ------------------------------------------------------ */

/* Well-formed code points on each side of the defect, at most. */
#define INVALID_CONTEXT_MAX 4
/* Chance that an overlong form encodes '/', the classic path-traversal
 * smuggle ("\xC0\xAF"), rather than a drawn code point. */
#define OVERLONG_SLASH_P 0.25
/* Chance that a surrogate comes as a CESU-8 pair rather than alone. */
#define SURROGATE_PAIR_P 0.25

/* Encode cp in exactly n bytes (2..6), whether or not n is its shortest
 * form: the pre-2003 scheme, which is how overlong and too-large forms are
 * spelled. */
static void encode_form(uint32_t cp, size_t n, char *out)
{
    static const unsigned char lead[7] = {0, 0, 0xC0, 0xE0, 0xF0, 0xF8,
                                          0xFC};
    for (size_t k = n - 1; k > 0; k--) {
        out[k] = (char)(0x80 | (cp & 0x3F));
        cp >>= 6;
    }
    out[0] = (char)(lead[n] | cp);
}

/* Put cp in n bytes. */
static void put_form(gf_case *tc, text_buf *t, uint32_t cp, size_t n)
{
    char bytes[6];
    encode_form(cp, n, bytes);
    text_put(tc, t, bytes, n);
}

/* Up to INVALID_CONTEXT_MAX well-formed code points (no NUL, no joined
 * sequences), each its own span. */
static void put_context(gf_case *tc, text_buf *t)
{
    gf_many m;
    gf_many_init(tc, &m, 0, INVALID_CONTEXT_MAX);
    while (gf_many_more(tc, &m)) {
        size_t seq;
        char bytes[4];
        size_t n = utf8_encode(draw_code_point(tc, false, &seq), bytes);
        text_put(tc, t, bytes, n);
    }
}

/* The smallest code point each length of sequence may encode. */
static const uint32_t form_min[5] = {0, 0, 0x80, 0x800, 0x10000};

static void put_lone_continuation(gf_case *tc, text_buf *t)
{
    /* One to three: a run longer than any sequence's tail is common in
     * text cut at the wrong place. */
    size_t n = 1 + gf_draw_uint(tc, 0, 2);
    for (size_t i = 0; i < n; i++) {
        char c = (char)gf_draw_uint(tc, 0x80, 0xBF);
        text_put(tc, t, &c, 1);
    }
}

static void put_truncated(gf_case *tc, text_buf *t)
{
    size_t n = 2 + gf_draw_uint(tc, 0, 2);
    uint32_t hi = n == 2 ? 0x7FF : n == 3 ? 0xFFFF : 0x10FFFF;
    uint32_t cp = (uint32_t)gf_draw_uint(tc, form_min[n], hi);
    if (cp >= 0xD800 && cp <= 0xDFFF)
        cp = 0xE000; /* keep the bytes that remain a valid prefix */
    size_t keep = 1 + gf_draw_uint(tc, 0, n - 2);
    char bytes[4];
    encode_form(cp, n, bytes);
    text_put(tc, t, bytes, keep);
}

/* The code point is drawn before the "slash?" choice, so that the
 * shrinker can turn the slash off without shifting the choices after it. */
static void put_overlong(gf_case *tc, text_buf *t)
{
    size_t n = 2 + gf_draw_uint(tc, 0, 2);
    uint32_t cp = (uint32_t)gf_draw_uint(tc, 0, form_min[n] - 1);
    if (gf_draw_weighted(tc, OVERLONG_SLASH_P))
        cp = '/';
    put_form(tc, t, cp, n);
}

/* One surrogate, then a "pair?" choice: a pair makes it the high half and
 * adds a low one, as CESU-8 spells a supplementary character. */
static void put_surrogate(gf_case *tc, text_buf *t)
{
    uint32_t cp = (uint32_t)gf_draw_uint(tc, 0xD800, 0xDFFF);
    if (gf_draw_weighted(tc, SURROGATE_PAIR_P)) {
        put_form(tc, t, 0xD800 | (cp & 0x3FF), 3);
        put_form(tc, t, (uint32_t)gf_draw_uint(tc, 0xDC00, 0xDFFF), 3);
        return;
    }
    put_form(tc, t, cp, 3);
}

static void put_too_large(gf_case *tc, text_buf *t)
{
    static const uint32_t lo[3] = {0x110000, 0x200000, 0x4000000};
    static const uint32_t hi[3] = {0x1FFFFF, 0x3FFFFFF, 0x7FFFFFFF};
    size_t form = gf_draw_uint(tc, 0, 2);
    put_form(tc, t, (uint32_t)gf_draw_uint(tc, lo[form], hi[form]),
             4 + form);
}

static void put_bad_byte(gf_case *tc, text_buf *t)
{
    char c = (char)gf_draw_uint(tc, 0xFE, 0xFF);
    text_put(tc, t, &c, 1);
}

static void put_nul(gf_case *tc, text_buf *t)
{
    text_put(tc, t, "", 1);
}

typedef void (*put_defect_fn)(gf_case *tc, text_buf *t);

/* In the order of the GF_UTF8_* bits. */
static const put_defect_fn put_defect[] = {
    put_lone_continuation, put_truncated, put_overlong, put_surrogate,
    put_too_large,         put_bad_byte,  put_nul,
};
#define INVALID_CLASSES (sizeof put_defect / sizeof put_defect[0])

static void draw_utf8_invalid(gf_case *tc, const gf_gen *self, void *out)
{
    unsigned mask = (unsigned)self->arg.u[0];
    if (mask == 0 || (mask & ~GF_UTF8_ANY_INVALID))
        gf_gen_misuse(tc, self, "classes (0x%x) must be a nonzero OR of "
                                "GF_UTF8_* classes (at most 0x%x)",
                      mask, GF_UTF8_ANY_INVALID);
    size_t classes[INVALID_CLASSES], n = 0;
    for (size_t i = 0; i < INVALID_CLASSES; i++)
        if (mask & 1u << i)
            classes[n++] = i;
    size_t cls = classes[gf_draw_uint(tc, 0, n - 1)];

    text_buf t;
    text_init(tc, &t);
    put_context(tc, &t);
    put_defect[cls](tc, &t);
    put_context(tc, &t);
    gf_bytes_value *v = out;
    v->data = (const uint8_t *)t.data;
    v->len = t.len;
}

static const gf_gen *build_utf8_invalid(unsigned classes)
{
    char name[80];
    snprintf(name, sizeof name, "utf8_invalid(0x%x)", classes);
    gf_gen t = {
        .name = name,
        .size = sizeof(gf_bytes_value),
        .align = _Alignof(gf_bytes_value),
        .label = gf_span_label(name),
        .draw = draw_utf8_invalid,
        .print = print_bytes,
    };
    t.arg.u[0] = classes;
    return gf_gen_intern(&t);
}

const gf_gen *gf_utf8_invalid(unsigned classes)
{
    GEN_MEMO_RETURN(gf_utf8_invalid, classes, 0, 0,
                    build_utf8_invalid(classes));
}
