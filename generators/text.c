/*
 * text.c - byte strings and text: gf_bytes, gf_ascii, gf_utf8, characters
 * and strings from an alphabet (gf_char_from, gf_string_from), and
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
        .flags = GF_GEN_POINTER_VALUE | GF_GEN_TEXT,
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
        .flags = GF_GEN_BYTES,
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

/*
 * Every class makes the same four choices, whether it uses them or not:
 *   form   0..2      a length or count
 *   value  a range   the code point or byte, its range set by class and form
 *   flag   a boolean an overlong '/', a CESU-8 pair
 *   extra  a range   a second byte or code point, or how many bytes to keep
 * So when the shrinker lowers the class, the choices after it still line
 * up, and a failure that needs some defect finds the simplest class that
 * has it instead of losing the rest of the case to shifted choices.
 */
typedef struct defect_ranges {
    uint64_t value_lo, value_hi, extra_lo, extra_hi;
} defect_ranges;

/* Chance of the flag; it means something only to overlong forms ('/')
 * and surrogates (a pair). */
#define DEFECT_FLAG_P 0.25

/* What each class draws from, given the form it drew. */
static defect_ranges defect_ranges_for(unsigned cls, size_t form)
{
    static const uint32_t too_large_lo[3] = {0x110000, 0x200000, 0x4000000};
    static const uint32_t too_large_hi[3] = {0x1FFFFF, 0x3FFFFFF,
                                             0x7FFFFFFF};
    static const uint32_t max_of_length[5] = {0, 0, 0x7FF, 0xFFFF, 0x10FFFF};
    size_t n = 2 + form; /* a sequence length, for the classes with one */
    switch (cls) {
    case GF_UTF8_LONE_CONTINUATION:
        return (defect_ranges){0x80, 0xBF, 0x80, 0xBF};
    case GF_UTF8_TRUNCATED:
        return (defect_ranges){form_min[n], max_of_length[n], 0, n - 2};
    case GF_UTF8_OVERLONG:
        return (defect_ranges){0, form_min[n] - 1, 0, 0};
    case GF_UTF8_SURROGATE:
        return (defect_ranges){0xD800, 0xDFFF, 0xDC00, 0xDFFF};
    case GF_UTF8_TOO_LARGE:
        return (defect_ranges){too_large_lo[form], too_large_hi[form], 0, 0};
    case GF_UTF8_BAD_BYTE:
        return (defect_ranges){0xFE, 0xFF, 0, 0};
    default: /* GF_UTF8_EMBEDDED_NUL */
        return (defect_ranges){0, 0, 0, 0};
    }
}

/* Put one defect of class cls (one GF_UTF8_* bit). */
static void put_defect(gf_case *tc, text_buf *t, unsigned cls)
{
    size_t form = gf_draw_uint(tc, 0, 2);
    defect_ranges r = defect_ranges_for(cls, form);
    uint32_t value = (uint32_t)gf_draw_uint(tc, r.value_lo, r.value_hi);
    bool flag = gf_draw_weighted(tc, DEFECT_FLAG_P);
    uint32_t extra = (uint32_t)gf_draw_uint(tc, r.extra_lo, r.extra_hi);
    size_t n = 2 + form;
    char c;

    switch (cls) {
    case GF_UTF8_LONE_CONTINUATION:
        /* One to three: a run longer than any sequence's tail is common
         * in text cut at the wrong place. */
        c = (char)value;
        text_put(tc, t, &c, 1);
        c = (char)extra;
        for (size_t i = 0; i < form; i++)
            text_put(tc, t, &c, 1);
        break;
    case GF_UTF8_TRUNCATED: {
        char bytes[4];
        if (value >= 0xD800 && value <= 0xDFFF)
            value = 0xE000; /* keep what remains a valid prefix */
        encode_form(value, n, bytes);
        text_put(tc, t, bytes, 1 + extra);
        break;
    }
    case GF_UTF8_OVERLONG:
        put_form(tc, t, flag ? '/' : value, n);
        break;
    case GF_UTF8_SURROGATE:
        if (flag) { /* a high surrogate and a low one, as CESU-8 */
            put_form(tc, t, 0xD800 | (value & 0x3FF), 3);
            put_form(tc, t, extra, 3);
        } else {
            put_form(tc, t, value, 3);
        }
        break;
    case GF_UTF8_TOO_LARGE:
        put_form(tc, t, value, 4 + form);
        break;
    case GF_UTF8_BAD_BYTE:
        c = (char)value;
        text_put(tc, t, &c, 1);
        break;
    default: /* GF_UTF8_EMBEDDED_NUL */
        text_put(tc, t, "", 1);
        break;
    }
}

#define INVALID_CLASSES 7

/*
 * One of n classes, evenly: a "skip it?" boolean per class but the last,
 * each with the probability that keeps the classes even, as gf_frequency
 * draws.  An index drawn as an integer would lean toward the first and the
 * last class, where the engine's edge bias puts it.  Taking one (false) is
 * simplest, so the class shrinks toward the first.  The booleans after
 * the one taken are forced false, so every draw makes n - 1 choices and
 * lowering the class leaves the choices after it where they were.
 */
static unsigned draw_class(gf_case *tc, const unsigned *classes, size_t n)
{
    size_t pick = 0;
    bool picked = false;
    for (size_t i = 0; i + 1 < n; i++) {
        if (picked) {
            gf_force_bool(tc, false);
        } else if (!gf_draw_weighted(tc, (double)(n - 1 - i) /
                                             (double)(n - i))) {
            pick = i;
            picked = true;
        }
    }
    return classes[picked ? pick : n - 1];
}

static void draw_utf8_invalid(gf_case *tc, const gf_gen *self, void *out)
{
    unsigned mask = (unsigned)self->arg.u[0];
    if (mask == 0 || (mask & ~GF_UTF8_ANY_INVALID))
        gf_gen_misuse(tc, self, "classes (0x%x) must be a nonzero OR of "
                                "GF_UTF8_* classes (at most 0x%x)",
                      mask, GF_UTF8_ANY_INVALID);
    unsigned classes[INVALID_CLASSES];
    size_t n = 0;
    for (unsigned i = 0; i < INVALID_CLASSES; i++)
        if (mask & 1u << i)
            classes[n++] = 1u << i;
    unsigned cls = draw_class(tc, classes, n);

    text_buf t;
    text_init(tc, &t);
    put_context(tc, &t);
    put_defect(tc, &t, cls);
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
        .flags = GF_GEN_BYTES,
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

/* ---- characters from an alphabet ----------------------------------------- */

/*
 * subs[0]: a generator that only holds the alphabet, as its name (the pool
 * copies a name whole and compares it by content, so equal alphabets give
 * one generator and the text lives as long as the process).  Its name is
 * NULL for a NULL alphabet, reported when drawn.  For strings, arg.u[0],
 * arg.u[1]: min and max characters.
 */
static const char *alphabet_of(gf_case *tc, const gf_gen *self, size_t *n)
{
    const char *alphabet = self->subs[0]->name;
    if (alphabet == NULL)
        gf_gen_misuse(tc, self, "the alphabet is NULL");
    *n = strlen(alphabet);
    if (*n == 0)
        gf_gen_misuse(tc, self, "the alphabet is empty");
    return alphabet;
}

/* Index 0 is the simplest choice: characters shrink toward the first. */
static char draw_alphabet_char(gf_case *tc, const char *alphabet, size_t n)
{
    return alphabet[gf_draw_uint(tc, 0, n - 1)];
}

static void draw_char_from(gf_case *tc, const gf_gen *self, void *out)
{
    size_t n;
    const char *alphabet = alphabet_of(tc, self, &n);
    *(char *)out = draw_alphabet_char(tc, alphabet, n);
}

/* A C character literal: 'a', '\'', '\\', '\n', '\x7F'. */
static void print_char(gf_printer *p, const gf_gen *self, const void *value)
{
    (void)self;
    unsigned char c = *(const unsigned char *)value;
    static const char plain_escapes[] = "\a\b\f\n\r\t\v";
    static const char escape_letters[] = "abfnrtv";
    const char *e = c ? strchr(plain_escapes, c) : NULL;
    if (e)
        gf_print(p, "'\\%c'", escape_letters[e - plain_escapes]);
    else if (c == '\'' || c == '\\')
        gf_print(p, "'\\%c'", c);
    else if (c >= 0x20 && c < 0x7F)
        gf_print(p, "'%c'", c);
    else
        gf_print(p, "'\\x%02X'", c);
}

static void draw_string_from(gf_case *tc, const gf_gen *self, void *out)
{
    check_counts(tc, self);
    size_t n;
    const char *alphabet = alphabet_of(tc, self, &n);
    text_buf t;
    gf_many m;
    text_init(tc, &t);
    gf_many_init(tc, &m, (size_t)self->arg.u[0], (size_t)self->arg.u[1]);
    while (gf_many_more(tc, &m)) {
        char c = draw_alphabet_char(tc, alphabet, n);
        text_put(tc, &t, &c, 1);
    }
    *(char **)out = t.data;
}

static const gf_gen *alphabet_holder(const char *alphabet)
{
    gf_gen t = {.name = alphabet, .size = 1, .align = 1};
    return gf_gen_intern(&t);
}

/* The alphabet as a generator's name shows it: cut after 24 bytes. */
static void alphabet_for_name(char *buf, size_t cap, const char *alphabet)
{
    if (alphabet == NULL) {
        snprintf(buf, cap, "NULL");
        return;
    }
    size_t len = strlen(alphabet);
    snprintf(buf, cap, "\"%.24s%s\"", alphabet, len > 24 ? "..." : "");
}

const gf_gen *gf_char_from(const char *alphabet)
{
    char shown[40], name[64];
    alphabet_for_name(shown, sizeof shown, alphabet);
    snprintf(name, sizeof name, "char_from(%s)", shown);
    const gf_gen *holder = alphabet_holder(alphabet);
    gf_gen t = {
        .name = name,
        .size = sizeof(char),
        .align = _Alignof(char),
        .flags = GF_GEN_LEAF,
        .label = gf_span_label(name),
        .draw = draw_char_from,
        .print = print_char,
        .subs = &holder,
        .nsubs = 1,
    };
    return gf_gen_intern(&t);
}

const gf_gen *gf_string_from(const char *alphabet, size_t min, size_t max)
{
    char shown[40], name[96];
    alphabet_for_name(shown, sizeof shown, alphabet);
    snprintf(name, sizeof name, "string_from(%s, %zu, %zu)", shown, min, max);
    const gf_gen *holder = alphabet_holder(alphabet);
    gf_gen t = {
        .name = name,
        .size = sizeof(char *),
        .align = _Alignof(char *),
        .flags = GF_GEN_POINTER_VALUE | GF_GEN_TEXT,
        .kind = GF_VALUE_POINTER,
        .label = gf_span_label(name),
        .draw = draw_string_from,
        .print = print_text,
        .subs = &holder,
        .nsubs = 1,
    };
    t.arg.u[0] = min;
    t.arg.u[1] = max;
    return gf_gen_intern(&t);
}
