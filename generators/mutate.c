/*
 * mutate.c - malformed payloads: gf_mutated applies one named mutation to
 * a value of another generator (text, bytes, or a mutated value).
 *
 * The payload is drawn first, as a child span, then which mutation (an
 * index into the enabled ones, so 0, the simplest, is the first enabled)
 * and its parameters, each arranged so that the simplest choice is the
 * smallest change: cut one byte, not all of them; flip the lowest bit.
 *
 * The JSON-aware mutations find their targets with a lenient scan that
 * accepts any bytes (strings, escapes, numbers, words, brackets); it
 * never fails, it just finds less in bytes that are not JSON.  A mutation
 * without a target falls back to a byte-level one, and the value records
 * the mutation actually applied.
 *
 * Everything is built in the case's arena; nothing here may read past a
 * payload's length (payloads may hold NUL bytes).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <gadfly.h>
#include <gadfly/gen.h>
#include <gadfly/payload.h>

#include "cache.h"
#include "json.h"

static const char *const mutation_names[] = {
    "truncate", "cut-string", "cut-escape", "cut-number", "cut-literal",
    "delete", "insert", "flip", "splice", "bom", "utf16", "unbalance",
    "deep", "garbage", "comment", "single-quotes", "nan-inf",
    "trailing-comma", "leading-zero",
};
#define NMUTATIONS (sizeof mutation_names / sizeof mutation_names[0])

const char *gf_mutation_name(unsigned mutation)
{
    for (unsigned i = 0; i < NMUTATIONS; i++)
        if (mutation == 1u << i)
            return mutation_names[i];
    return NULL;
}

/* The deepest nesting GF_MUT_DEEP writes. */
#define DEEP_MAX 100000

/* ---- a lenient scan of JSON-like bytes --------------------------------- */

typedef enum tok_kind {
    TOK_STRING,  /* "..." (closed says whether it ends with a quote) */
    TOK_NUMBER,  /* a run of [-+.0-9eE] starting with '-' or a digit */
    TOK_WORD,    /* a run of letters: true, false, null, or not */
    TOK_OPEN,    /* [ or { */
    TOK_CLOSE,   /* ] or } */
    TOK_PUNCT,   /* , or : */
    TOK_OTHER,   /* any other byte */
} tok_kind;

typedef struct token {
    tok_kind kind;
    bool closed;
    size_t start, end; /* [start, end) */
} token;

typedef struct scan {
    token *toks;
    size_t ntoks;
    size_t *escapes; /* start of each escape (its backslash) */
    size_t *escape_ends;
    size_t nescapes;
} scan;

static bool is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_letter(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool in_number(uint8_t c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' ||
           c == 'e' || c == 'E';
}

static void scan_bytes(gf_case *tc, const uint8_t *s, size_t len, scan *sc)
{
    /* At most one token and one escape per byte. */
    sc->toks = gf_alloc(tc, (len + 1) * sizeof *sc->toks);
    sc->escapes = gf_alloc(tc, (len + 1) * sizeof *sc->escapes);
    sc->escape_ends = gf_alloc(tc, (len + 1) * sizeof *sc->escape_ends);
    sc->ntoks = sc->nescapes = 0;
    size_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        if (is_space(c)) {
            i++;
            continue;
        }
        token t = {.kind = TOK_OTHER, .start = i, .end = i + 1};
        if (c == '"') {
            size_t j = i + 1;
            while (j < len && s[j] != '"') {
                if (s[j] == '\\' && j + 1 < len) {
                    size_t n = s[j + 1] == 'u' ? 6 : 2;
                    if (j + n > len)
                        n = len - j;
                    sc->escapes[sc->nescapes] = j;
                    sc->escape_ends[sc->nescapes++] = j + n;
                    j += n;
                } else {
                    j++;
                }
            }
            t.kind = TOK_STRING;
            t.closed = j < len;
            t.end = j < len ? j + 1 : len;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t j = i + 1;
            while (j < len && in_number(s[j]))
                j++;
            t.kind = TOK_NUMBER;
            t.end = j;
        } else if (is_letter(c)) {
            size_t j = i + 1;
            while (j < len && is_letter(s[j]))
                j++;
            t.kind = TOK_WORD;
            t.end = j;
        } else if (c == '[' || c == '{') {
            t.kind = TOK_OPEN;
        } else if (c == ']' || c == '}') {
            t.kind = TOK_CLOSE;
        } else if (c == ',' || c == ':') {
            t.kind = TOK_PUNCT;
        }
        sc->toks[sc->ntoks++] = t;
        i = t.end;
    }
}

/* Indices of tokens that pass `want`, in the arena; returns the count. */
typedef bool (*tok_pred)(const token *t);

static size_t pick_tokens(gf_case *tc, const scan *sc, tok_pred want,
                          size_t **out)
{
    size_t *idx = gf_alloc(tc, (sc->ntoks + 1) * sizeof *idx), n = 0;
    for (size_t i = 0; i < sc->ntoks; i++)
        if (want(&sc->toks[i]))
            idx[n++] = i;
    *out = idx;
    return n;
}

static bool closed_string(const token *t)
{
    return t->kind == TOK_STRING && t->closed;
}

static bool long_number(const token *t)
{
    return t->kind == TOK_NUMBER && t->end - t->start >= 2;
}

static bool long_word(const token *t)
{
    return t->kind == TOK_WORD && t->end - t->start >= 2;
}

static bool any_number(const token *t)
{
    return t->kind == TOK_NUMBER;
}

static bool scalar(const token *t)
{
    return t->kind == TOK_NUMBER || t->kind == TOK_WORD ||
           t->kind == TOK_STRING;
}

static bool bracket(const token *t)
{
    return t->kind == TOK_OPEN || t->kind == TOK_CLOSE;
}

static bool closing(const token *t)
{
    return t->kind == TOK_CLOSE;
}

/* ---- building the result ------------------------------------------------ */

typedef struct mutation {
    gf_case *tc;
    const gf_gen *self;
    const uint8_t *in;
    size_t len;
    scan sc;
    /* The result. */
    uint8_t *out;
    size_t out_len;
    unsigned applied;
    char detail[96];
} mutation;

/* out = in[0, at) + ins[0, ins_len) + in[at + cut, len). */
static void splice_in(mutation *m, size_t at, size_t cut, const void *ins,
                      size_t ins_len)
{
    size_t tail = m->len - at - cut;
    m->out_len = at + ins_len + tail;
    m->out = gf_alloc(m->tc, m->out_len + 1);
    memcpy(m->out, m->in, at);
    if (ins_len)
        memcpy(m->out + at, ins, ins_len);
    memcpy(m->out + at + ins_len, m->in + at + cut, tail);
    m->out[m->out_len] = '\0';
}

static void describe(mutation *m, unsigned applied, const char *fmt, ...)
    GF_PRINTF(3, 4);
static void describe(mutation *m, unsigned applied, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->detail, sizeof m->detail, fmt, ap);
    va_end(ap);
    m->applied = applied;
}

/* Keep the first `keep` bytes. */
static void keep_prefix(mutation *m, size_t keep)
{
    splice_in(m, keep, m->len - keep, NULL, 0);
}

/* ---- byte mutations ------------------------------------------------------ */

/* Bytes that matter to JSON and to byte handling, for insertions. */
static const uint8_t insert_bytes[] = {
    '"', '\\', '[', ']', '{', '}', ',', ':', '0', '-', '.', 'e', ' ', '\n',
    0x00, 0x7F, 0x80, 0xFF, 0xC3, 0xED, 0xF4, 0xFE,
};
#define NINSERT (sizeof insert_bytes / sizeof insert_bytes[0])

static void mut_insert(mutation *m)
{
    size_t at = (size_t)gf_draw_uint(m->tc, 0, m->len);
    uint8_t bytes[8];
    size_t n = 0;
    gf_many more;
    gf_many_init(m->tc, &more, 1, sizeof bytes);
    while (gf_many_more(m->tc, &more))
        bytes[n++] = gf_draw_bool(m->tc)
                         ? insert_bytes[gf_draw_uint(m->tc, 0, NINSERT - 1)]
                         : (uint8_t)gf_draw_uint(m->tc, 0, 255);
    splice_in(m, at, 0, bytes, n);
    describe(m, GF_MUT_INSERT, "inserted %zu byte%s at %zu", n,
             n == 1 ? "" : "s", at);
}

static void mut_truncate(mutation *m)
{
    if (m->len == 0) {
        mut_insert(m);
        return;
    }
    size_t cut = (size_t)gf_draw_uint(m->tc, 1, m->len);
    keep_prefix(m, m->len - cut);
    describe(m, GF_MUT_TRUNCATE, "cut the last %zu of %zu bytes", cut,
             m->len);
}

/* End the text strictly inside [lo, hi] (positions to cut at); the
 * simplest cut is the latest, losing the fewest bytes. */
static void cut_inside(mutation *m, unsigned applied, const char *what,
                       size_t lo, size_t hi)
{
    size_t back = (size_t)gf_draw_uint(m->tc, 0, hi - lo);
    keep_prefix(m, hi - back);
    describe(m, applied, "ended the text inside the %s at %zu", what,
             hi - back);
}

static void mut_cut_token(mutation *m, unsigned applied, tok_pred want,
                          const char *what)
{
    size_t *idx;
    size_t n = pick_tokens(m->tc, &m->sc, want, &idx);
    if (n == 0) {
        mut_truncate(m);
        return;
    }
    const token *t = &m->sc.toks[idx[gf_draw_uint(m->tc, 0, n - 1)]];
    /* Strings: after the opening quote, before the closing one.  Numbers
     * and words: after the first byte, before the last. */
    cut_inside(m, applied, what, t->start + 1, t->end - 1);
}

static void mut_cut_escape(mutation *m)
{
    /* Only escapes with a byte after the backslash can be cut inside. */
    size_t n = 0;
    size_t *idx = gf_alloc(m->tc, (m->sc.nescapes + 1) * sizeof *idx);
    for (size_t i = 0; i < m->sc.nescapes; i++)
        if (m->sc.escape_ends[i] - m->sc.escapes[i] >= 2)
            idx[n++] = i;
    if (n == 0) {
        mut_truncate(m);
        return;
    }
    size_t e = idx[gf_draw_uint(m->tc, 0, n - 1)];
    cut_inside(m, GF_MUT_CUT_ESCAPE, "escape", m->sc.escapes[e] + 1,
               m->sc.escape_ends[e] - 1);
}

static void mut_delete(mutation *m)
{
    if (m->len == 0) {
        mut_insert(m);
        return;
    }
    size_t at = (size_t)gf_draw_uint(m->tc, 0, m->len - 1);
    size_t most = m->len - at < 16 ? m->len - at : 16;
    size_t n = (size_t)gf_draw_uint(m->tc, 1, most);
    splice_in(m, at, n, NULL, 0);
    describe(m, GF_MUT_DELETE, "deleted %zu byte%s at %zu", n,
             n == 1 ? "" : "s", at);
}

static void mut_flip(mutation *m)
{
    if (m->len == 0) {
        mut_insert(m);
        return;
    }
    size_t at = (size_t)gf_draw_uint(m->tc, 0, m->len - 1);
    uint8_t mask = (uint8_t)gf_draw_uint(m->tc, 1, 255);
    splice_in(m, at, 0, NULL, 0);
    m->out[at] ^= mask;
    describe(m, GF_MUT_FLIP, "flipped byte %zu with 0x%02X", at, mask);
}

static void mut_bom(mutation *m)
{
    static const uint8_t bom[] = {0xEF, 0xBB, 0xBF};
    splice_in(m, 0, 0, bom, sizeof bom);
    describe(m, GF_MUT_BOM, "a UTF-8 byte order mark in front");
}

/* The code point of the well-formed UTF-8 sequence at s, or of the byte
 * s[0] itself (as Latin-1) when there is none; returns the bytes used. */
static size_t utf8_or_byte(const uint8_t *s, size_t rest, uint32_t *cp)
{
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    *cp = s[0];
    if (s[0] < 0xC2 || s[0] > 0xF4)
        return 1;
    size_t want = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
    if (want > rest)
        return 1;
    uint32_t v = s[0] & (want == 2 ? 0x1Fu : want == 3 ? 0x0Fu : 0x07u);
    for (size_t j = 1; j < want; j++) {
        if ((s[j] & 0xC0) != 0x80)
            return 1;
        v = v << 6 | (s[j] & 0x3Fu);
    }
    if (v < min[want] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 1;
    *cp = v;
    return want;
}

/* UTF-16, either byte order, with or without a byte order mark.  Bytes
 * that are not UTF-8 become the code point of their value (Latin-1), so
 * any payload can be re-encoded. */
static void mut_utf16(mutation *m)
{
    bool big = gf_draw_bool(m->tc);
    bool bom = gf_draw_bool(m->tc);
    m->out = gf_alloc(m->tc, 4 * m->len + 3);
    size_t o = 0;
    uint16_t units[2] = {0xFEFF, 0};
    size_t nunits = bom ? 1 : 0;
    for (size_t i = 0;;) {
        for (size_t u = 0; u < nunits; u++) {
            m->out[o++] = (uint8_t)(big ? units[u] >> 8 : units[u] & 0xFF);
            m->out[o++] = (uint8_t)(big ? units[u] & 0xFF : units[u] >> 8);
        }
        if (i == m->len)
            break;
        uint32_t cp;
        i += utf8_or_byte(m->in + i, m->len - i, &cp);
        if (cp >= 0x10000) {
            units[0] = (uint16_t)(0xD800 | (cp - 0x10000) >> 10);
            units[1] = (uint16_t)(0xDC00 | ((cp - 0x10000) & 0x3FF));
            nunits = 2;
        } else {
            units[0] = (uint16_t)cp;
            nunits = 1;
        }
    }
    m->out[o] = '\0';
    m->out_len = o;
    describe(m, GF_MUT_UTF16, "re-encoded as UTF-16%s%s", big ? "BE" : "LE",
             bom ? " with a byte order mark" : "");
}

static void mut_garbage(mutation *m)
{
    static const char *const garbage[] = {
        "x", "]", "}", ",", "\"", " 1", "null", "{}", "/", "\x01", "\xFF",
    };
    size_t n = sizeof garbage / sizeof garbage[0];
    size_t pick = (size_t)gf_draw_uint(m->tc, 0, n);
    /* The last index is a NUL byte, which the string table cannot hold. */
    const char *g = pick < n ? garbage[pick] : "";
    size_t glen = pick < n ? strlen(g) : 1;
    splice_in(m, m->len, 0, pick < n ? g : "\0", glen);
    describe(m, GF_MUT_GARBAGE, "%zu byte%s of garbage after the end", glen,
             glen == 1 ? "" : "s");
}

/* ---- splice -------------------------------------------------------------- */

/* A view of a payload value's bytes. */
static void payload_bytes(const gf_gen *g, const void *slot,
                          const uint8_t **data, size_t *len);

static void mut_splice(mutation *m)
{
    const gf_gen *payload = m->self->subs[0];
    void *slot = gf_alloc(m->tc, payload->size);
    gf_draw_into(m->tc, payload, slot);
    const uint8_t *other;
    size_t other_len;
    payload_bytes(payload, slot, &other, &other_len);
    size_t head = (size_t)gf_draw_uint(m->tc, 0, m->len);
    size_t tail_at = (size_t)gf_draw_uint(m->tc, 0, other_len);
    splice_in(m, head, m->len - head, other + tail_at, other_len - tail_at);
    describe(m, GF_MUT_SPLICE,
             "the first %zu bytes, then another payload from byte %zu",
             head, tail_at);
}

/* ---- JSON-aware mutations ------------------------------------------------ */

/* A place between tokens: before token i, or the end for i == ntoks. */
static size_t token_boundary(mutation *m)
{
    size_t i = (size_t)gf_draw_uint(m->tc, 0, m->sc.ntoks);
    return i < m->sc.ntoks ? m->sc.toks[i].start : m->len;
}

static void mut_unbalance(mutation *m)
{
    size_t *idx;
    size_t n = pick_tokens(m->tc, &m->sc, bracket, &idx);
    if (n == 0) {
        /* No brackets: one stray bracket between tokens (never inside a
         * string, where it would be text) unbalances any text. */
        static const char stray[] = "[{]}";
        size_t at = token_boundary(m);
        char b = stray[gf_draw_uint(m->tc, 0, 3)];
        splice_in(m, at, 0, &b, 1);
        describe(m, GF_MUT_UNBALANCE, "a stray '%c' at %zu", b, at);
        return;
    }
    const token *t = &m->sc.toks[idx[gf_draw_uint(m->tc, 0, n - 1)]];
    char c = (char)m->in[t->start];
    switch (gf_draw_uint(m->tc, 0, 2)) {
    case 0:
        splice_in(m, t->start, 1, NULL, 0);
        describe(m, GF_MUT_UNBALANCE, "deleted the '%c' at %zu", c,
                 t->start);
        break;
    case 1:
        splice_in(m, t->start, 0, &c, 1);
        describe(m, GF_MUT_UNBALANCE, "doubled the '%c' at %zu", c,
                 t->start);
        break;
    default: {
        char other = c == '[' ? '{' : c == '{' ? '[' : c == ']' ? '}' : ']';
        splice_in(m, t->start, 1, &other, 1);
        describe(m, GF_MUT_UNBALANCE, "'%c' for the '%c' at %zu", other, c,
                 t->start);
        break;
    }
    }
}

/* Most levels are left open: an unclosed run is malformed whatever the
 * payload, a closed one is valid around valid JSON. */
#define P_DEEP_CLOSED 0.2

static void mut_deep(mutation *m)
{
    size_t levels = (size_t)gf_draw_uint(m->tc, 1, DEEP_MAX);
    bool closed = gf_draw_weighted(m->tc, P_DEEP_CLOSED);
    m->out_len = m->len + levels * (closed ? 2 : 1);
    m->out = gf_alloc(m->tc, m->out_len + 1);
    memset(m->out, '[', levels);
    memcpy(m->out + levels, m->in, m->len);
    if (closed)
        memset(m->out + levels + m->len, ']', levels);
    m->out[m->out_len] = '\0';
    describe(m, GF_MUT_DEEP, "%zu '[' in front%s", levels,
             closed ? ", closed after" : "");
}

static void mut_comment(mutation *m)
{
    static const char *const comments[] = {
        "/**/", "//\n", "/* c */", "// c\n", "/*", "//",
    };
    size_t at = token_boundary(m);
    size_t k = (size_t)gf_draw_uint(m->tc, 0, 5);
    splice_in(m, at, 0, comments[k], strlen(comments[k]));
    describe(m, GF_MUT_COMMENT, "a %s comment at %zu",
             comments[k][1] == '/' ? "line" : "block", at);
}

static void mut_single_quotes(mutation *m)
{
    size_t *idx;
    size_t n = pick_tokens(m->tc, &m->sc, closed_string, &idx);
    if (n == 0) {
        mut_insert(m);
        return;
    }
    const token *t = &m->sc.toks[idx[gf_draw_uint(m->tc, 0, n - 1)]];
    splice_in(m, 0, 0, NULL, 0);
    m->out[t->start] = '\'';
    m->out[t->end - 1] = '\'';
    describe(m, GF_MUT_SINGLE_QUOTES, "single quotes around the string at %zu",
             t->start);
}

static void mut_nan_inf(mutation *m)
{
    static const char *const words[] = {
        "NaN", "Infinity", "-Infinity", "+Infinity", "nan", "inf", "-inf",
        "-NaN",
    };
    const char *w = words[gf_draw_uint(m->tc, 0, 7)];
    size_t *idx;
    size_t n = pick_tokens(m->tc, &m->sc, any_number, &idx);
    if (n == 0)
        n = pick_tokens(m->tc, &m->sc, scalar, &idx);
    if (n == 0) {
        size_t at = token_boundary(m);
        splice_in(m, at, 0, w, strlen(w));
        describe(m, GF_MUT_NAN_INF, "%s inserted at %zu", w, at);
        return;
    }
    const token *t = &m->sc.toks[idx[gf_draw_uint(m->tc, 0, n - 1)]];
    splice_in(m, t->start, t->end - t->start, w, strlen(w));
    describe(m, GF_MUT_NAN_INF, "%s for the value at %zu", w, t->start);
}

static void mut_trailing_comma(mutation *m)
{
    size_t *idx;
    size_t n = pick_tokens(m->tc, &m->sc, closing, &idx);
    size_t at = m->len;
    if (n > 0)
        at = m->sc.toks[idx[gf_draw_uint(m->tc, 0, n - 1)]].start;
    splice_in(m, at, 0, ",", 1);
    describe(m, GF_MUT_TRAILING_COMMA, "a ',' at %zu%s", at,
             n > 0 ? ", before a closing bracket" : "");
}

static void mut_leading_zero(mutation *m)
{
    size_t zeros = (size_t)gf_draw_uint(m->tc, 1, 3);
    size_t *idx;
    size_t n = pick_tokens(m->tc, &m->sc, any_number, &idx);
    size_t at;
    if (n > 0) {
        const token *t = &m->sc.toks[idx[gf_draw_uint(m->tc, 0, n - 1)]];
        at = t->start + (m->in[t->start] == '-');
    } else {
        at = token_boundary(m);
    }
    /* A zero before a digit is a leading zero; with no number to put it
     * in, "0" zeros and a digit make one. */
    char buf[4] = "0001";
    splice_in(m, at, 0, buf, n > 0 ? zeros : zeros + 1);
    if (n == 0)
        m->out[at + zeros] = '1';
    describe(m, GF_MUT_LEADING_ZERO, "%zu leading zero%s at %zu", zeros,
             zeros == 1 ? "" : "s", at);
}

/* ---- the generator --------------------------------------------------------- */

/* A payload's bytes: text (GF_GEN_TEXT: a char *, NULL read as empty) or
 * a value starting with a gf_bytes_value (GF_GEN_BYTES, which gf_mutated
 * values are too). */
static void payload_bytes(const gf_gen *g, const void *slot,
                          const uint8_t **data, size_t *len)
{
    if (g->flags & GF_GEN_TEXT) {
        const char *s = *(char *const *)slot;
        *data = (const uint8_t *)(s ? s : "");
        *len = s ? strlen(s) : 0;
        return;
    }
    const gf_bytes_value *v = slot;
    *data = v->data ? v->data : (const uint8_t *)"";
    *len = v->data ? v->len : 0;
}

/* gf_mutated is marked GF_GEN_BYTES, so its value must start like one. */
_Static_assert(offsetof(gf_mutated_value, data) ==
                       offsetof(gf_bytes_value, data) &&
                   offsetof(gf_mutated_value, len) ==
                       offsetof(gf_bytes_value, len),
               "gf_mutated_value starts with a gf_bytes_value");

static bool payload_generator(const gf_gen *g)
{
    if (g->flags & GF_GEN_TEXT)
        return (g->flags & GF_GEN_POINTER_VALUE) && g->size == sizeof(char *);
    return (g->flags & GF_GEN_BYTES) && g->size >= sizeof(gf_bytes_value);
}

static void draw_mutated(gf_case *tc, const gf_gen *self, void *out)
{
    const gf_gen *payload = self->subs[0];
    unsigned mask = (unsigned)self->arg.u[0];
    if (payload == NULL)
        gf_gen_misuse(tc, self, "the payload generator is NULL");
    if (mask == 0)
        gf_gen_misuse(tc, self, "no mutation enabled (mask 0; GF_MUT_ALL "
                                "enables them all)");
    if (mask & ~GF_MUT_ALL)
        gf_gen_misuse(tc, self, "unknown mutation bits 0x%X",
                      mask & ~GF_MUT_ALL);
    if (json_is_tree_generator(payload))
        gf_gen_misuse(tc, self, "the payload generator (%s) yields trees: "
                                "use gf_json_text for JSON text",
                      gf_gen_name(payload));
    if (!payload_generator(payload))
        gf_gen_misuse(tc, self,
                      "the payload generator (%s) is not marked as text or "
                      "bytes: use a text generator (gf_ascii, gf_utf8, "
                      "gf_json_text, gf_nasty_string...), gf_bytes, "
                      "gf_utf8_invalid, gf_mutated, or gf_one_of, "
                      "gf_frequency, gf_filter or gf_optional over those "
                      "(gf_map, gf_bind and gf_custom values are never "
                      "taken for text)",
                      gf_gen_name(payload));

    void *slot = gf_alloc(tc, payload->size);
    gf_draw_into(tc, payload, slot);
    mutation m = {.tc = tc, .self = self};
    payload_bytes(payload, slot, &m.in, &m.len);
    scan_bytes(tc, m.in, m.len, &m.sc);

    unsigned enabled[NMUTATIONS], n = 0;
    for (unsigned i = 0; i < NMUTATIONS; i++)
        if (mask & 1u << i)
            enabled[n++] = 1u << i;
    switch (enabled[gf_draw_uint(tc, 0, n - 1)]) {
    case GF_MUT_TRUNCATE: mut_truncate(&m); break;
    case GF_MUT_CUT_STRING:
        mut_cut_token(&m, GF_MUT_CUT_STRING, closed_string, "string");
        break;
    case GF_MUT_CUT_ESCAPE: mut_cut_escape(&m); break;
    case GF_MUT_CUT_NUMBER:
        mut_cut_token(&m, GF_MUT_CUT_NUMBER, long_number, "number");
        break;
    case GF_MUT_CUT_LITERAL:
        mut_cut_token(&m, GF_MUT_CUT_LITERAL, long_word, "literal");
        break;
    case GF_MUT_DELETE: mut_delete(&m); break;
    case GF_MUT_INSERT: mut_insert(&m); break;
    case GF_MUT_FLIP: mut_flip(&m); break;
    case GF_MUT_SPLICE: mut_splice(&m); break;
    case GF_MUT_BOM: mut_bom(&m); break;
    case GF_MUT_UTF16: mut_utf16(&m); break;
    case GF_MUT_UNBALANCE: mut_unbalance(&m); break;
    case GF_MUT_DEEP: mut_deep(&m); break;
    case GF_MUT_GARBAGE: mut_garbage(&m); break;
    case GF_MUT_COMMENT: mut_comment(&m); break;
    case GF_MUT_SINGLE_QUOTES: mut_single_quotes(&m); break;
    case GF_MUT_NAN_INF: mut_nan_inf(&m); break;
    case GF_MUT_TRAILING_COMMA: mut_trailing_comma(&m); break;
    default: mut_leading_zero(&m); break;
    }
    gf_mutated_value *v = out;
    v->data = m.out;
    v->len = m.out_len;
    v->mutation = m.applied;
    v->detail = gf_memdup(tc, m.detail, strlen(m.detail) + 1);
}

static void print_mutated(gf_printer *p, const gf_gen *self,
                          const void *value)
{
    (void)self;
    const gf_mutated_value *v = value;
    gf_print_string(p, v->data, v->len);
    const char *name = gf_mutation_name(v->mutation);
    gf_print(p, " /* %s: %s */", name ? name : "?",
             v->detail ? v->detail : "");
}

static const gf_gen *build_mutated(const gf_gen *payload, unsigned mutations)
{
    char name[256];
    snprintf(name, sizeof name, "mutated(%s, 0x%X)", gf_gen_name(payload),
             mutations);
    gf_gen t = {
        .name = name,
        .size = sizeof(gf_mutated_value),
        .align = _Alignof(gf_mutated_value),
        .flags = GF_GEN_BYTES, /* it starts with data and len */
        .label = gf_span_label(name),
        .draw = draw_mutated,
        .print = print_mutated,
        .subs = &payload,
        .nsubs = 1,
    };
    t.arg.u[0] = mutations;
    return gf_gen_intern(&t);
}

const gf_gen *gf_mutated(const gf_gen *payload, unsigned mutations)
{
    GEN_MEMO_RETURN(gf_mutated, (uintptr_t)payload, mutations, 0,
                    build_mutated(payload, mutations));
}
