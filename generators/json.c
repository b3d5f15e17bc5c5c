/*
 * json.c - JSON values and their text (gf_json_tree, gf_json_text), a strict
 * parser (gf_json_parse, gf_json_valid), equality and a compact writer.
 *
 * One draw routine serves both generators: it builds the tree and writes
 * the text as it goes, so the same choices give the same document.  Each
 * value is a span with one label, so the shrinker can replace a container
 * by any of its descendants.  A value starts with a "container?" choice
 * (false, a scalar, is simplest) and a scalar's kind is an index whose 0
 * is null: a failing document shrinks toward `null`.  Formatting choices
 * (whitespace, which escape writes a character) come after what they
 * format and have the plainest form first, so they shrink away.
 *
 * Deep nesting comes from a "run" of nested arrays drawn as one integer
 * (how many levels to wrap around the container), so a document thousands
 * of levels deep costs a handful of choices and its depth shrinks by
 * binary search, not level by level.
 *
 * The parser never recurses (an explicit stack of open containers), so
 * it accepts any depth memory allows and never overflows the C stack on
 * hostile input.
 */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gadfly.h>
#include <gadfly/gen.h>
#include <gadfly/payload.h>

#include "cache.h"
#include "json.h"
#include "textbuf.h"

/* ---- growing byte buffers in the arena (textbuf.h) --------------------- */

typedef text_buf jbuf;

static void jbuf_init(gf_case *tc, jbuf *b, size_t cap)
{
    text_init(tc, b);
    text_reserve(tc, b, cap);
}

static void jbuf_put(gf_case *tc, jbuf *b, const void *bytes, size_t n)
{
    text_put(tc, b, bytes, n);
}

static void jbuf_putc(gf_case *tc, jbuf *b, char c)
{
    text_put(tc, b, &c, 1);
}

static void jbuf_repeat(gf_case *tc, jbuf *b, char c, size_t n)
{
    text_reserve(tc, b, n);
    memset(b->data + b->len, c, n);
    b->len += n;
    b->data[b->len] = '\0';
}


/* Length of the well-formed UTF-8 sequence at s (RFC 3629: shortest form,
 * no surrogates, at most U+10FFFF) and its code point, or 0 if there is
 * none. */
static size_t utf8_get(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char b = s[0];
    size_t len;
    uint32_t v, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        len = 2, v = b & 0x1Fu, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3, v = b & 0x0Fu, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4, v = b & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* ---- drawing ------------------------------------------------------------ */

/* Chance that a value, where a container is allowed, is one. */
#define P_CONTAINER 0.4
/* About one container in DEEP_SPREAD + 1 sits at the bottom of a run of
 * nested arrays. */
#define DEEP_SPREAD 6u
/* Chance of whitespace at each place JSON allows it, and of each further
 * whitespace character. */
#define P_SPACE 0.2
#define P_MORE_SPACE 0.5
/* Chance that a member after the first reuses an earlier key. */
#define P_DUPLICATE_KEY 0.2
#define MAX_ITEMS 8
#define MAX_STRING 12
#define MAX_SPACE 4
/* Values per document: containers stop opening past this many, scaled by
 * the size hint; it keeps a document within the engine's choice budget. */
#define BASE_NODES 4
#define EXTRA_NODES 40

typedef struct drawer {
    gf_case *tc;
    jbuf text;
    unsigned max_depth;
    size_t nodes, budget;
    uint64_t label, space_label;
} drawer;

static const char space_chars[] = " \t\n\r";

/* Whitespace: up to MAX_SPACE characters, each behind a "one more?"
 * choice in a span with it (as gf_many does, with probabilities of its
 * own), so deleting a character's span leaves the choices aligned. */
static void draw_space(drawer *d)
{
    gf_case *tc = d->tc;
    for (unsigned n = 0;; n++) {
        gf_span_begin(tc, d->space_label);
        bool more = n < MAX_SPACE
                        ? gf_draw_weighted(tc, n == 0 ? P_SPACE : P_MORE_SPACE)
                        : gf_force_bool(tc, false);
        if (more)
            jbuf_putc(tc, &d->text, space_chars[gf_draw_uint(tc, 0, 3)]);
        gf_span_end(tc, false);
        if (!more)
            return;
    }
}

/* Printable ASCII, simplest first. */
static const char plain_chars[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "
    "!#$%&'()*+,-.:;<=>?@[]^_`{|}~";
#define PLAIN_CHARS (sizeof plain_chars - 1)

/* Characters that break JSON handling: those that must or may be escaped,
 * NUL, the edges of each UTF-8 length, a byte order mark, separators that
 * JavaScript treats as newlines, astral characters (surrogate pairs). */
static const uint32_t special_chars[] = {
    '"', '\\', '/', '\b', '\f', '\n', '\r', '\t', 0x00, 0x1F, 0x7F,
    0x80, 0xE9, 0x7FF, 0x800, 0xFEFF, 0x2028, 0x2029, 0xD7FF, 0xE000,
    0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF,
};
#define SPECIAL_CHARS (sizeof special_chars / sizeof special_chars[0])

static uint32_t draw_char(gf_case *tc)
{
    switch (gf_draw_uint(tc, 0, 4)) {
    case 0:
        return (unsigned char)plain_chars[gf_draw_uint(tc, 0, PLAIN_CHARS - 1)];
    case 1:
        return special_chars[gf_draw_uint(tc, 0, SPECIAL_CHARS - 1)];
    case 2:
        return (uint32_t)gf_draw_uint(tc, 0, 0x1F); /* controls */
    case 3: {
        /* The BMP without surrogates, closed up. */
        uint32_t cp = (uint32_t)gf_draw_uint(tc, 0x80, 0xFFFF - 0x800);
        return cp >= 0xD800 ? cp + 0x800 : cp;
    }
    default:
        return (uint32_t)gf_draw_uint(tc, 0x10000, 0x10FFFF);
    }
}

static char short_escape(uint32_t cp)
{
    switch (cp) {
    case '"': return '"';
    case '\\': return '\\';
    case '/': return '/';
    case '\b': return 'b';
    case '\f': return 'f';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    default: return 0;
    }
}

static void put_u_escape(gf_case *tc, jbuf *b, uint32_t unit, bool upper)
{
    char esc[8];
    snprintf(esc, sizeof esc, upper ? "\\u%04X" : "\\u%04x", (unsigned)unit);
    jbuf_put(tc, b, esc, 6);
}

/* Write cp into the text in one of the forms JSON allows, drawn: raw
 * (when allowed), the short escape (when there is one), \u in lower or
 * upper case hex (a surrogate pair past the BMP).  The first allowed form
 * is the simplest. */
static void write_char(drawer *d, uint32_t cp)
{
    gf_case *tc = d->tc;
    bool raw_ok = cp >= 0x20 && cp != '"' && cp != '\\';
    char shorty = short_escape(cp);
    unsigned forms = (raw_ok ? 1u : 0u) + (shorty ? 1u : 0u) + 2u;
    unsigned form = (unsigned)gf_draw_uint(tc, 0, forms - 1);
    if (raw_ok && form-- == 0) {
        char bytes[4];
        jbuf_put(tc, &d->text, bytes, utf8_encode(cp, bytes));
        return;
    }
    if (shorty && form-- == 0) {
        char esc[2] = {'\\', shorty};
        jbuf_put(tc, &d->text, esc, 2);
        return;
    }
    bool upper = form == 1;
    if (cp >= 0x10000) {
        uint32_t v = cp - 0x10000;
        put_u_escape(tc, &d->text, 0xD800 | v >> 10, upper);
        put_u_escape(tc, &d->text, 0xDC00 | (v & 0x3FF), upper);
    } else {
        put_u_escape(tc, &d->text, cp, upper);
    }
}

/* A string: its decoded bytes go to *out and *len, its text to d->text.
 * When `copy` is not NULL, the characters are those of copy[0..copy_len)
 * (a duplicate key), written with freshly drawn escape forms. */
static void draw_string(drawer *d, const char **out, size_t *len,
                        const char *copy, size_t copy_len)
{
    gf_case *tc = d->tc;
    jbuf value;
    jbuf_init(tc, &value, 16);
    jbuf_putc(tc, &d->text, '"');
    if (copy) {
        size_t i = 0;
        while (i < copy_len) {
            uint32_t cp;
            size_t n = utf8_get((const unsigned char *)copy + i,
                                copy_len - i, &cp);
            if (n == 0) { /* cannot happen: drawn keys are well-formed */
                cp = 0xFFFD;
                n = 1;
            }
            write_char(d, cp);
            jbuf_put(tc, &value, copy + i, n);
            i += n;
        }
    } else {
        gf_many m;
        gf_many_init(tc, &m, 0, MAX_STRING);
        while (gf_many_more(tc, &m)) {
            uint32_t cp = draw_char(tc);
            char bytes[4];
            write_char(d, cp);
            jbuf_put(tc, &value, bytes, utf8_encode(cp, bytes));
        }
    }
    jbuf_putc(tc, &d->text, '"');
    *out = value.data;
    *len = value.len;
}

/* Number literals at the edges of double and of the grammar. */
static const char *const special_numbers[] = {
    "0", "-0", "0.0", "-0.0e+0", "1e308", "1E-400",
    "123456789012345678901234567890", "1e309", "-1e308", "5e-324",
    "2.2250738585072014e-308", "1.7976931348623157e308", "9007199254740993",
    "-9223372036854775808", "18446744073709551616", "0.1", "1E+2", "0e0",
    "100e-2", "1.000000000000000000001",
};
#define SPECIAL_NUMBERS (sizeof special_numbers / sizeof special_numbers[0])
/* Chance that a number is one of those. */
#define P_SPECIAL_NUMBER 0.5

static void put_digits(drawer *d, size_t min, size_t max)
{
    gf_many m;
    gf_many_init(d->tc, &m, min, max);
    while (gf_many_more(d->tc, &m))
        jbuf_putc(d->tc, &d->text, (char)('0' + gf_draw_uint(d->tc, 0, 9)));
}

/* A number from the grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)?
 * ([eE] [+-]? [0-9]+)?, every part drawn. */
static void draw_grammar_number(drawer *d)
{
    gf_case *tc = d->tc;
    if (gf_draw_bool(tc))
        jbuf_putc(tc, &d->text, '-');
    unsigned lead = (unsigned)gf_draw_uint(tc, 0, 9);
    jbuf_putc(tc, &d->text, (char)('0' + lead));
    if (lead != 0)
        put_digits(d, 0, 24);
    if (gf_draw_bool(tc)) {
        jbuf_putc(tc, &d->text, '.');
        put_digits(d, 1, 24);
    }
    if (gf_draw_bool(tc)) {
        jbuf_putc(tc, &d->text, gf_draw_bool(tc) ? 'E' : 'e');
        static const char signs[] = {0, '+', '-'};
        char sign = signs[gf_draw_uint(tc, 0, 2)];
        if (sign)
            jbuf_putc(tc, &d->text, sign);
        put_digits(d, 1, 4);
    }
}

/* The shortest "%.*g" that reads back as the same double. */
static void put_double(drawer *d, double x)
{
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    jbuf_put(d->tc, &d->text, buf, strlen(buf));
}

static double read_number(const char *text, size_t len);

static void draw_number(drawer *d, gf_json *out)
{
    gf_case *tc = d->tc;
    size_t start = d->text.len;
    if (gf_draw_weighted(tc, P_SPECIAL_NUMBER)) {
        const char *s = special_numbers[gf_draw_uint(tc, 0,
                                                     SPECIAL_NUMBERS - 1)];
        jbuf_put(tc, &d->text, s, strlen(s));
    } else {
        switch (gf_draw_uint(tc, 0, 2)) {
        case 0: {
            char buf[24];
            snprintf(buf, sizeof buf, "%lld",
                     (long long)gf_draw_int(tc, INT64_MIN, INT64_MAX));
            jbuf_put(tc, &d->text, buf, strlen(buf));
            break;
        }
        case 1:
            put_double(d, gf_draw_double(tc, -INFINITY, INFINITY,
                                         GF_DOUBLE_FINITE));
            break;
        default:
            draw_grammar_number(d);
            break;
        }
    }
    out->len = d->text.len - start;
    out->text = gf_memdup(tc, d->text.data + start, out->len + 1);
    out->number = read_number(out->text, out->len);
}

/* Tree nodes of a container, grown in the arena. */
typedef struct items_buf {
    void *data;
    size_t count, cap, stride;
} items_buf;

static void *items_next(gf_case *tc, items_buf *b)
{
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4;
        void *data = gf_alloc(tc, cap * b->stride);
        if (b->count)
            memcpy(data, b->data, b->count * b->stride);
        b->data = data;
        b->cap = cap;
    }
    void *slot = (char *)b->data + b->count++ * b->stride;
    memset(slot, 0, b->stride);
    return slot;
}

static void draw_value(drawer *d, unsigned depth, gf_json *out);

static void draw_container(drawer *d, unsigned depth, gf_json *out)
{
    gf_case *tc = d->tc;
    bool object = gf_draw_bool(tc);
    /* A run of nested arrays around this container, of 0..room levels,
     * from one choice v in [0, (DEEP_SPREAD + 1) * room]: v up to
     * DEEP_SPREAD * room means none, above it the excess is the run.  One
     * choice, so the shrinker can drop the run or shorten it by binary
     * search without misaligning what follows; the engine's bias toward
     * the upper bound makes runs that reach max_depth common. */
    unsigned room = d->max_depth - depth - 1;
    uint64_t none = (uint64_t)room * DEEP_SPREAD;
    uint64_t v = gf_draw_uint(tc, 0, none + room);
    unsigned wrap = v > none ? (unsigned)(v - none) : 0;
    jbuf_repeat(tc, &d->text, '[', wrap);
    for (unsigned i = 0; i < wrap; i++) {
        out->kind = GF_JSON_ARRAY;
        out->count = 1;
        out->items = gf_alloc(tc, sizeof(gf_json));
        memset(out->items, 0, sizeof(gf_json));
        out = out->items;
    }
    depth += wrap;

    items_buf items = {.stride = object ? sizeof(gf_json_member)
                                        : sizeof(gf_json)};
    jbuf_putc(tc, &d->text, object ? '{' : '[');
    gf_many m;
    gf_many_init(tc, &m, 0, MAX_ITEMS);
    while (gf_many_more(tc, &m)) {
        if (items.count > 0)
            jbuf_putc(tc, &d->text, ',');
        draw_space(d);
        if (object) {
            gf_json_member *mem = items_next(tc, &items);
            if (items.count > 1 && gf_draw_weighted(tc, P_DUPLICATE_KEY)) {
                const gf_json_member *prev =
                    (gf_json_member *)items.data +
                    gf_draw_uint(tc, 0, items.count - 2);
                draw_string(d, &mem->key, &mem->key_len, prev->key,
                            prev->key_len);
            } else {
                draw_string(d, &mem->key, &mem->key_len, NULL, 0);
            }
            draw_space(d);
            jbuf_putc(tc, &d->text, ':');
            draw_space(d);
            draw_value(d, depth + 1, &mem->value);
        } else {
            draw_value(d, depth + 1, items_next(tc, &items));
        }
        draw_space(d);
    }
    jbuf_putc(tc, &d->text, object ? '}' : ']');
    jbuf_repeat(tc, &d->text, ']', wrap);
    out->kind = object ? GF_JSON_OBJECT : GF_JSON_ARRAY;
    out->count = items.count;
    if (object)
        out->members = items.data;
    else
        out->items = items.data;
}

static void draw_value(drawer *d, unsigned depth, gf_json *out)
{
    gf_case *tc = d->tc;
    gf_span_begin(tc, d->label);
    memset(out, 0, sizeof *out);
    d->nodes++;
    bool container = depth < d->max_depth && d->nodes < d->budget
                         ? gf_draw_weighted(tc, P_CONTAINER)
                         : gf_force_bool(tc, false);
    if (container) {
        draw_container(d, depth, out);
    } else {
        static const char *const literals[] = {"null", "false", "true"};
        unsigned kind = (unsigned)gf_draw_uint(tc, 0, 4);
        out->kind = (gf_json_kind)kind;
        if (kind <= GF_JSON_TRUE)
            jbuf_put(tc, &d->text, literals[kind], strlen(literals[kind]));
        else if (kind == GF_JSON_NUMBER)
            draw_number(d, out);
        else
            draw_string(d, &out->text, &out->len, NULL, 0);
    }
    gf_span_end(tc, false);
}

/* A document: whitespace, a value, whitespace. */
static gf_json *draw_document(gf_case *tc, const gf_gen *self, char **text)
{
    if (self->arg.u[0] > GF_JSON_MAX_DEPTH)
        gf_gen_misuse(tc, self, "max_depth (%llu) above %u",
                      (unsigned long long)self->arg.u[0], GF_JSON_MAX_DEPTH);
    drawer d = {
        .tc = tc,
        .max_depth = (unsigned)self->arg.u[0],
        .budget = BASE_NODES + (size_t)(gf_size_hint(tc) * EXTRA_NODES),
        .label = self->arg.u[1],
        .space_label = self->arg.u[2],
    };
    jbuf_init(tc, &d.text, 64);
    gf_json *root = gf_alloc(tc, sizeof *root);
    draw_space(&d);
    draw_value(&d, 0, root);
    draw_space(&d);
    *text = d.text.data;
    return root;
}

/* ---- writing ------------------------------------------------------------ */

/* Where the writer puts text: an arena buffer or a malloc'd one. */
typedef struct sink {
    void (*put)(void *ctx, const char *bytes, size_t n);
    void *ctx;
} sink;

static void sink_put(sink *s, const char *bytes, size_t n)
{
    s->put(s->ctx, bytes, n);
}

static void write_string(sink *s, const char *str, size_t len)
{
    sink_put(s, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)str[i];
        char esc = c == '/' ? 0 : short_escape(c);
        if (esc) {
            char e[2] = {'\\', esc};
            sink_put(s, e, 2);
        } else if (c < 0x20) {
            char e[8];
            snprintf(e, sizeof e, "\\u%04x", c);
            sink_put(s, e, 6);
        } else {
            sink_put(s, (const char *)&c, 1);
        }
    }
    sink_put(s, "\"", 1);
}

/* Iterative, like the parser: a deep tree must not overflow the stack.
 * Each step writes one value, or the close of a container, found by
 * walking back up through an explicit path. */
typedef struct write_frame {
    const gf_json *v;
    size_t next; /* index of the next child to write */
} write_frame;

static void write_value(sink *s, const gf_json *root)
{
    size_t cap = 16, depth = 0;
    write_frame *path = malloc(cap * sizeof *path);
    if (path == NULL) {
        fputs("gadfly: out of memory writing JSON\n", stderr);
        abort();
    }
    const gf_json *v = root;
    for (;;) {
        /* Open v. */
        switch (v->kind) {
        case GF_JSON_NULL: sink_put(s, "null", 4); break;
        case GF_JSON_FALSE: sink_put(s, "false", 5); break;
        case GF_JSON_TRUE: sink_put(s, "true", 4); break;
        case GF_JSON_NUMBER:
            if (v->text)
                sink_put(s, v->text, v->len);
            else
                sink_put(s, "0", 1);
            break;
        case GF_JSON_STRING: write_string(s, v->text, v->len); break;
        case GF_JSON_ARRAY:
        case GF_JSON_OBJECT:
            sink_put(s, v->kind == GF_JSON_ARRAY ? "[" : "{", 1);
            if (depth == cap) {
                cap *= 2;
                write_frame *bigger = realloc(path, cap * sizeof *path);
                if (bigger == NULL) {
                    free(path);
                    fputs("gadfly: out of memory writing JSON\n", stderr);
                    abort();
                }
                path = bigger;
            }
            path[depth++] = (write_frame){v, 0};
            break;
        }
        /* Find the next value to open, closing finished containers. */
        v = NULL;
        while (depth > 0 && v == NULL) {
            write_frame *f = &path[depth - 1];
            if (f->next == f->v->count) {
                sink_put(s, f->v->kind == GF_JSON_ARRAY ? "]" : "}", 1);
                depth--;
                continue;
            }
            if (f->next > 0)
                sink_put(s, ",", 1);
            if (f->v->kind == GF_JSON_ARRAY) {
                v = &f->v->items[f->next];
            } else {
                const gf_json_member *m = &f->v->members[f->next];
                write_string(s, m->key, m->key_len);
                sink_put(s, ":", 1);
                v = &m->value;
            }
            f->next++;
        }
        if (v == NULL)
            break;
    }
    free(path);
}

typedef struct arena_sink {
    gf_case *tc;
    jbuf *buf;
} arena_sink;

static void arena_put(void *ctx, const char *bytes, size_t n)
{
    arena_sink *a = ctx;
    jbuf_put(a->tc, a->buf, bytes, n);
}

char *gf_json_write(gf_case *tc, const gf_json *v, size_t *len)
{
    jbuf b;
    jbuf_init(tc, &b, 64);
    if (v) {
        arena_sink ctx = {tc, &b};
        sink s = {arena_put, &ctx};
        write_value(&s, v);
    }
    if (len)
        *len = b.len;
    return b.data;
}

/* ---- generators --------------------------------------------------------- */

static void draw_json_tree(gf_case *tc, const gf_gen *self, void *out)
{
    char *text;
    *(gf_json **)out = draw_document(tc, self, &text);
}

static void draw_json_text(gf_case *tc, const gf_gen *self, void *out)
{
    char *text;
    draw_document(tc, self, &text);
    *(char **)out = text;
}

static void print_json_text(gf_printer *p, const gf_gen *self,
                            const void *value)
{
    (void)self;
    const char *s = *(char *const *)value;
    gf_print_string(p, s, s ? strlen(s) : 0);
}

/* A tree prints as its compact text.  Printers have no arena, so the text
 * goes through a malloc'd buffer. */
typedef struct heap_text {
    char *data;
    size_t len, cap;
} heap_text;

static void heap_put(void *ctx, const char *bytes, size_t n)
{
    heap_text *h = ctx;
    if (h->len + n + 1 > h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        while (cap < h->len + n + 1)
            cap *= 2;
        char *data = realloc(h->data, cap);
        if (data == NULL) {
            free(h->data);
            fputs("gadfly: out of memory printing JSON\n", stderr);
            abort();
        }
        h->data = data;
        h->cap = cap;
    }
    memcpy(h->data + h->len, bytes, n);
    h->len += n;
}

static void print_json_tree(gf_printer *p, const gf_gen *self,
                            const void *value)
{
    (void)self;
    const gf_json *v = *(const gf_json *const *)value;
    if (v == NULL) {
        gf_print(p, "NULL");
        return;
    }
    heap_text h = {0};
    sink s = {heap_put, &h};
    write_value(&s, v);
    gf_print_string(p, h.data, h.len);
    free(h.data);
}

static const gf_gen *make_json(const char *family, unsigned max_depth,
                               gf_gen_draw_fn draw, gf_gen_print_fn print,
                               unsigned flags)
{
    char name[64];
    snprintf(name, sizeof name, "%s(%u)", family, max_depth);
    gf_gen t = {
        .name = name,
        .size = sizeof(void *),
        .align = _Alignof(void *),
        .flags = GF_GEN_POINTER_VALUE | flags,
        .kind = GF_VALUE_POINTER,
        .label = gf_span_label(name),
        .draw = draw,
        .print = print,
    };
    t.arg.u[0] = max_depth;
    /* Both generators label values alike: a document is a document. */
    t.arg.u[1] = gf_span_label("json value");
    t.arg.u[2] = gf_span_label("json space");
    return gf_gen_intern(&t);
}

const gf_gen *gf_json_tree(unsigned max_depth)
{
    GEN_MEMO_RETURN(gf_json_tree, max_depth, 0, 0,
                    make_json("json_tree", max_depth, draw_json_tree,
                              print_json_tree, 0));
}

const gf_gen *gf_json_text(unsigned max_depth)
{
    GEN_MEMO_RETURN(gf_json_text, max_depth, 0, 0,
                    make_json("json_text", max_depth, draw_json_text,
                              print_json_text, GF_GEN_TEXT));
}

/* ---- parsing ------------------------------------------------------------ */

/* strtod with the text's '.' whatever the locale's decimal point is. */
static double read_number(const char *text, size_t len)
{
    char local[64];
    char *copy = len < sizeof local ? local : malloc(len + 1);
    if (copy == NULL)
        return 0.0; /* out of memory: the value, not the text, is lost */
    memcpy(copy, text, len);
    copy[len] = '\0';
    const char *point = localeconv()->decimal_point;
    if (point && point[0] && point[0] != '.' && point[1] == '\0') {
        char *dot = strchr(copy, '.');
        if (dot)
            *dot = point[0];
    }
    double v = strtod(copy, NULL);
    if (copy != local)
        free(copy);
    return v;
}

/* An open container while parsing. */
typedef struct open_frame {
    bool object;
    items_buf items;
} open_frame;

typedef struct parser {
    const unsigned char *s;
    size_t len, pos;
    gf_case *tc; /* NULL: validate only, build nothing */
    const char *error;
    size_t error_at;
} parser;

static bool parse_fail(parser *p, const char *message)
{
    if (!p->error) {
        p->error = message;
        p->error_at = p->pos;
    }
    return false;
}

static void skip_space(parser *p)
{
    while (p->pos < p->len &&
           (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
            p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
        p->pos++;
}

static int hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Four hex digits at p->pos. */
static bool read_hex4(parser *p, uint32_t *unit)
{
    if (p->len - p->pos < 4)
        return parse_fail(p, "\\u needs four hex digits");
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_digit(p->s[p->pos + (size_t)i]);
        if (h < 0)
            return parse_fail(p, "\\u needs four hex digits");
        v = v << 4 | (uint32_t)h;
    }
    p->pos += 4;
    *unit = v;
    return true;
}

/* The body of a string, from after its opening quote to after its closing
 * one.  Writes the decoded bytes to out (may be NULL: only check) and
 * their count to *len. */
static bool string_body(parser *p, char *out, size_t *len)
{
    size_t n = 0;
    for (;;) {
        if (p->pos >= p->len)
            return parse_fail(p, "unterminated string");
        unsigned char c = p->s[p->pos];
        if (c == '"') {
            p->pos++;
            *len = n;
            return true;
        }
        if (c < 0x20)
            return parse_fail(p, "control character in a string");
        if (c != '\\') {
            uint32_t cp;
            size_t k = utf8_get(p->s + p->pos, p->len - p->pos, &cp);
            if (k == 0)
                return parse_fail(p, "invalid UTF-8");
            if (out)
                memcpy(out + n, p->s + p->pos, k);
            n += k;
            p->pos += k;
            continue;
        }
        p->pos++;
        if (p->pos >= p->len)
            return parse_fail(p, "unterminated escape");
        char e = (char)p->s[p->pos++];
        char plain;
        switch (e) {
        case '"': plain = '"'; break;
        case '\\': plain = '\\'; break;
        case '/': plain = '/'; break;
        case 'b': plain = '\b'; break;
        case 'f': plain = '\f'; break;
        case 'n': plain = '\n'; break;
        case 'r': plain = '\r'; break;
        case 't': plain = '\t'; break;
        case 'u': plain = 0; break;
        default:
            p->pos--;
            return parse_fail(p, "unknown escape");
        }
        if (e != 'u') {
            if (out)
                out[n] = plain;
            n++;
            continue;
        }
        uint32_t cp;
        if (!read_hex4(p, &cp))
            return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return parse_fail(p, "lone low surrogate");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low;
            if (p->len - p->pos < 2 || p->s[p->pos] != '\\' ||
                p->s[p->pos + 1] != 'u')
                return parse_fail(p, "lone high surrogate");
            p->pos += 2;
            if (!read_hex4(p, &low))
                return false;
            if (low < 0xDC00 || low > 0xDFFF)
                return parse_fail(p, "lone high surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        char bytes[4];
        size_t k = utf8_encode(cp, bytes);
        if (out)
            memcpy(out + n, bytes, k);
        n += k;
    }
}

/* A string at p->pos (an opening quote).  When building, the decoded
 * bytes go to the arena: a first pass checks and measures, a second
 * decodes. */
static bool parse_string(parser *p, const char **out, size_t *len)
{
    p->pos++; /* the opening quote */
    size_t body = p->pos;
    if (!string_body(p, NULL, len))
        return false;
    if (p->tc) {
        char *bytes = gf_alloc(p->tc, *len + 1);
        p->pos = body;
        string_body(p, bytes, len);
        bytes[*len] = '\0';
        *out = bytes;
    }
    return true;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool parse_number(parser *p, gf_json *out)
{
    size_t start = p->pos;
    const unsigned char *s = p->s;
    if (p->pos < p->len && s[p->pos] == '-')
        p->pos++;
    if (p->pos >= p->len || !is_digit(s[p->pos]))
        return parse_fail(p, "expected a digit");
    if (s[p->pos] == '0') {
        p->pos++;
    } else {
        while (p->pos < p->len && is_digit(s[p->pos]))
            p->pos++;
    }
    if (p->pos < p->len && s[p->pos] == '.') {
        p->pos++;
        if (p->pos >= p->len || !is_digit(s[p->pos]))
            return parse_fail(p, "expected a digit after '.'");
        while (p->pos < p->len && is_digit(s[p->pos]))
            p->pos++;
    }
    if (p->pos < p->len && (s[p->pos] == 'e' || s[p->pos] == 'E')) {
        p->pos++;
        if (p->pos < p->len && (s[p->pos] == '+' || s[p->pos] == '-'))
            p->pos++;
        if (p->pos >= p->len || !is_digit(s[p->pos]))
            return parse_fail(p, "expected a digit in the exponent");
        while (p->pos < p->len && is_digit(s[p->pos]))
            p->pos++;
    }
    out->kind = GF_JSON_NUMBER;
    if (p->tc) {
        size_t n = p->pos - start;
        char *text = gf_alloc(p->tc, n + 1);
        memcpy(text, s + start, n);
        text[n] = '\0';
        out->text = text;
        out->len = n;
        out->number = read_number(text, n);
    }
    return true;
}

static bool parse_literal(parser *p, gf_json *out)
{
    static const struct {
        const char *word;
        size_t len;
        gf_json_kind kind;
    } words[] = {{"null", 4, GF_JSON_NULL},
                 {"false", 5, GF_JSON_FALSE},
                 {"true", 4, GF_JSON_TRUE}};
    for (size_t i = 0; i < 3; i++)
        if (p->len - p->pos >= words[i].len &&
            memcmp(p->s + p->pos, words[i].word, words[i].len) == 0) {
            p->pos += words[i].len;
            out->kind = words[i].kind;
            return true;
        }
    return parse_fail(p, "expected a value");
}

/* A key and its colon, after skipping whitespace. */
static bool parse_key(parser *p, gf_json_member *m)
{
    skip_space(p);
    if (p->pos >= p->len || p->s[p->pos] != '"')
        return parse_fail(p, "expected a string key");
    const char *key = NULL;
    size_t key_len = 0;
    if (!parse_string(p, &key, &key_len))
        return false;
    if (m) {
        m->key = key;
        m->key_len = key_len;
    }
    skip_space(p);
    if (p->pos >= p->len || p->s[p->pos] != ':')
        return parse_fail(p, "expected ':'");
    p->pos++;
    return true;
}

/*
 * The open containers, malloc'd (the validator runs outside any case).
 * Building a tree needs a frame per container for its items; validating
 * needs only whether each is an object, one byte per level, so 100000
 * levels cost 100 kB.
 */
typedef struct open_stack {
    open_frame *frames;     /* building */
    unsigned char *objects; /* validating */
    size_t depth, cap;
    bool build;
} open_stack;

static bool stack_push(open_stack *st, bool object)
{
    if (st->depth == st->cap) {
        size_t bigger = st->cap ? st->cap * 2 : 16;
        if (st->build) {
            open_frame *grown = realloc(st->frames, bigger * sizeof *grown);
            if (grown == NULL)
                return false;
            st->frames = grown;
        } else {
            unsigned char *grown = realloc(st->objects, bigger);
            if (grown == NULL)
                return false;
            st->objects = grown;
        }
        st->cap = bigger;
    }
    if (st->build)
        st->frames[st->depth] = (open_frame){
            .object = object,
            .items = {.stride = object ? sizeof(gf_json_member)
                                       : sizeof(gf_json)},
        };
    else
        st->objects[st->depth] = object;
    st->depth++;
    return true;
}

static bool stack_top_object(const open_stack *st)
{
    return st->build ? st->frames[st->depth - 1].object
                     : st->objects[st->depth - 1] != 0;
}

/* Building: the member of the object on top whose value comes next. */
static gf_json_member *last_member(open_stack *st)
{
    open_frame *f = &st->frames[st->depth - 1];
    return (gf_json_member *)f->items.data + (f->items.count - 1);
}

static bool parse_document(parser *p, gf_json *root)
{
    open_stack st = {.build = p->tc != NULL};
    gf_json value;
    bool ok = false;

    for (;;) {
        /* A value starts here. */
        memset(&value, 0, sizeof value);
        skip_space(p);
        if (p->pos >= p->len) {
            parse_fail(p, "expected a value");
            goto done;
        }
        unsigned char c = p->s[p->pos];
        if (c == '[' || c == '{') {
            p->pos++;
            if (!stack_push(&st, c == '{')) {
                parse_fail(p, "out of memory");
                goto done;
            }
            skip_space(p);
            if (p->pos < p->len && p->s[p->pos] == (c == '[' ? ']' : '}')) {
                p->pos++;
                st.depth--;
                value.kind = c == '[' ? GF_JSON_ARRAY : GF_JSON_OBJECT;
            } else {
                if (c == '{') {
                    gf_json_member *m = NULL;
                    if (st.build)
                        m = items_next(p->tc,
                                       &st.frames[st.depth - 1].items);
                    if (!parse_key(p, m))
                        goto done;
                }
                continue;
            }
        } else if (c == '"') {
            value.kind = GF_JSON_STRING;
            if (!parse_string(p, &value.text, &value.len))
                goto done;
        } else if (c == '-' || is_digit(c)) {
            if (!parse_number(p, &value))
                goto done;
        } else if (!parse_literal(p, &value)) {
            goto done;
        }

        /* A value ended: put it in its container, and close every
         * container that ends right after it. */
        for (;;) {
            if (st.depth == 0) {
                skip_space(p);
                if (p->pos != p->len) {
                    parse_fail(p, "unexpected text after the value");
                    goto done;
                }
                if (root)
                    *root = value;
                ok = true;
                goto done;
            }
            bool object = stack_top_object(&st);
            if (st.build) {
                if (object)
                    last_member(&st)->value = value;
                else
                    *(gf_json *)items_next(
                        p->tc, &st.frames[st.depth - 1].items) = value;
            }
            skip_space(p);
            c = p->pos < p->len ? p->s[p->pos] : 0;
            if (c == ',') {
                p->pos++;
                if (object) {
                    gf_json_member *m = NULL;
                    if (st.build)
                        m = items_next(p->tc,
                                       &st.frames[st.depth - 1].items);
                    if (!parse_key(p, m))
                        goto done;
                }
                break; /* the next value */
            }
            if (p->pos >= p->len || c != (object ? '}' : ']')) {
                parse_fail(p, object ? "expected ',' or '}'"
                                     : "expected ',' or ']'");
                goto done;
            }
            p->pos++;
            memset(&value, 0, sizeof value);
            value.kind = object ? GF_JSON_OBJECT : GF_JSON_ARRAY;
            if (st.build) {
                open_frame *f = &st.frames[st.depth - 1];
                value.count = f->items.count;
                if (object)
                    value.members = f->items.data;
                else
                    value.items = f->items.data;
            }
            st.depth--;
        }
    }
done:
    free(st.frames);
    free(st.objects);
    return ok;
}

static bool run_parser(parser *p, gf_json *root, gf_json_error *err)
{
    if (p->s == NULL && p->len > 0) {
        p->error = "text is NULL";
        p->error_at = 0;
    } else if (parse_document(p, root)) {
        return true;
    }
    if (err) {
        err->offset = p->error_at;
        err->message = p->error;
    }
    return false;
}

const gf_json *gf_json_parse(gf_case *tc, const void *text, size_t len,
                             gf_json_error *err)
{
    if (tc == NULL) {
        if (err)
            *err = (gf_json_error){0, "no test case (use gf_json_valid)"};
        return NULL;
    }
    parser p = {.s = text, .len = len, .tc = tc};
    gf_json *root = gf_alloc(tc, sizeof *root);
    memset(root, 0, sizeof *root);
    return run_parser(&p, root, err) ? root : NULL;
}

bool gf_json_valid(const void *text, size_t len, gf_json_error *err)
{
    parser p = {.s = text, .len = len};
    return run_parser(&p, NULL, err);
}

/* ---- equality ------------------------------------------------------------ */

/* Iterative too: pairs of values still to compare. */
bool gf_json_equal(const gf_json *a, const gf_json *b)
{
    size_t cap = 16, n = 0;
    const gf_json **pairs = malloc(cap * 2 * sizeof *pairs);
    if (pairs == NULL) {
        fputs("gadfly: out of memory comparing JSON\n", stderr);
        abort();
    }
    bool same = true;
    pairs[n * 2] = a;
    pairs[n * 2 + 1] = b;
    n++;
    while (same && n > 0) {
        n--;
        const gf_json *x = pairs[n * 2], *y = pairs[n * 2 + 1];
        if (x == NULL || y == NULL) {
            same = x == y;
            continue;
        }
        if (x->kind != y->kind) {
            same = false;
            continue;
        }
        switch (x->kind) {
        case GF_JSON_NUMBER:
            same = x->number == y->number;
            continue;
        case GF_JSON_STRING:
            same = x->len == y->len &&
                   (x->len == 0 || memcmp(x->text, y->text, x->len) == 0);
            continue;
        case GF_JSON_ARRAY:
        case GF_JSON_OBJECT:
            break;
        default:
            continue;
        }
        if (x->count != y->count) {
            same = false;
            continue;
        }
        for (size_t i = 0; i < x->count; i++) {
            const gf_json *cx, *cy;
            if (x->kind == GF_JSON_OBJECT) {
                const gf_json_member *mx = &x->members[i],
                                     *my = &y->members[i];
                if (mx->key_len != my->key_len ||
                    (mx->key_len &&
                     memcmp(mx->key, my->key, mx->key_len) != 0)) {
                    same = false;
                    break;
                }
                cx = &mx->value;
                cy = &my->value;
            } else {
                cx = &x->items[i];
                cy = &y->items[i];
            }
            if (n == cap) {
                cap *= 2;
                const gf_json **bigger =
                    realloc(pairs, cap * 2 * sizeof *pairs);
                if (bigger == NULL) {
                    free(pairs);
                    fputs("gadfly: out of memory comparing JSON\n", stderr);
                    abort();
                }
                pairs = bigger;
            }
            pairs[n * 2] = cx;
            pairs[n * 2 + 1] = cy;
            n++;
        }
    }
    free(pairs);
    return same;
}

bool json_is_tree_generator(const gf_gen *g)
{
    return g != NULL && g->draw == draw_json_tree;
}
