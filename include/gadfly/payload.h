/*
 * gadfly/payload.h - payload generators: JSON values and their text, a
 * strict JSON parser, and malformed payloads made from valid ones by named
 * mutations.
 *
 *     #include <gadfly/payload.h>
 *
 *     GF_PROPERTY(reader_survives_anything) {
 *         const gf_mutated_value *m =
 *             gf_draw(tc, gf_mutated(gf_json_text(16), GF_MUT_ALL));
 *         my_reader(m->data, m->len);    (must never crash)
 *     }
 *
 * Every value lives in the case's arena, like every other Gadfly value.
 * See docs/payloads.md for what each generator is biased toward.
 */
#ifndef GADFLY_PAYLOAD_H
#define GADFLY_PAYLOAD_H

#include <gadfly.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* JSON values.                                                              */
/* ------------------------------------------------------------------------ */

/** What a JSON value is. */
typedef enum gf_json_kind {
    GF_JSON_NULL = 0,
    GF_JSON_FALSE,
    GF_JSON_TRUE,
    GF_JSON_NUMBER,
    GF_JSON_STRING,
    GF_JSON_ARRAY,
    GF_JSON_OBJECT,
} gf_json_kind;

typedef struct gf_json gf_json;
typedef struct gf_json_member gf_json_member;

/**
 * One JSON value, a tree to walk.  Strings are the decoded bytes (UTF-8,
 * escapes resolved), so they may hold NUL bytes: always use `len`.
 */
struct gf_json {
    gf_json_kind kind;
    /** NUMBER: the value strtod reads from `text` (+-HUGE_VAL past the
     * range of double, 0 below it). */
    double number;
    /** NUMBER: the literal as written ("-0.0e+0"); STRING: the decoded
     * bytes.  NUL-terminated (the terminator is not counted in len).
     * NULL for the other kinds. */
    const char *text;
    size_t len;
    /** ARRAY: `count` values; OBJECT: `count` members in document order,
     * duplicate keys kept. */
    gf_json *items;
    gf_json_member *members;
    size_t count;
};

/** A member of a JSON object: the decoded key (may hold NUL bytes) and
 * its value. */
struct gf_json_member {
    const char *key;
    size_t key_len;
    gf_json value;
};

/** The deepest nesting the JSON generators accept. */
#define GF_JSON_MAX_DEPTH 100000u

/**
 * JSON values as trees: `const gf_json *` (gf_draw returns the pointer).
 * Containers nest at most max_depth levels (0: scalars only; above
 * GF_JSON_MAX_DEPTH is reported when drawn).
 * Biased toward deep nesting (runs of nested arrays reaching max_depth),
 * empty containers, duplicate keys, non-ASCII and NUL characters in
 * strings and keys, and numbers at the edges of double (1e308, 1E-400,
 * -0, 123456789012345678901234567890).  Shrinks toward null, by replacing
 * a container with one of its descendants, then toward 0, "", [] and {}.
 * Prints its compact JSON text as a C string literal.
 */
GF_API const gf_gen *gf_json_tree(unsigned max_depth);

/**
 * JSON text (RFC 8259): a NUL-terminated `char *`.  The same documents as
 * gf_json_tree(max_depth) (the same choices draw the same document), written
 * with varied whitespace (space, tab, newline, carriage return), every
 * escape (\" \\ \/ \b \f \n \r \t, \uXXXX in either case, surrogate pairs,
 * \u0000) and numbers in every form of the grammar.  Shrinks toward "null".
 * Never contains a raw NUL byte (it is written \u0000).
 */
GF_API const gf_gen *gf_json_text(unsigned max_depth);

/** Why gf_json_parse rejected a text. */
typedef struct gf_json_error {
    size_t offset;       /**< byte offset where the text went wrong */
    const char *message; /**< a static string: "expected ':'" */
} gf_json_error;

/**
 * Parse one JSON text strictly by RFC 8259: one value with optional
 * whitespace around it, UTF-8 only (no byte order mark), no lone
 * surrogates, no comments, no trailing commas, no NaN.  Nesting depth is
 * limited only by memory (the parser does not recurse).  The tree lives in
 * the case's arena.  Returns NULL if the text is not valid JSON, and then
 * fills *err when err is not NULL.
 */
GF_API const gf_json *gf_json_parse(gf_case *tc, const void *text, size_t len,
                                    gf_json_error *err);

/** Whether text is valid JSON by the rules of gf_json_parse.  Needs no
 * case; builds no tree.  Fills *err (may be NULL) when it is not. */
GF_API bool gf_json_valid(const void *text, size_t len, gf_json_error *err);

/** Whether two values are the same: same kinds, numbers equal as doubles
 * (so 1.0 equals 1e0 and -0 equals 0), strings and keys byte for byte,
 * members in the same order. */
GF_API bool gf_json_equal(const gf_json *a, const gf_json *b);

/** The compact JSON text of v, NUL-terminated, in the case's arena; its
 * length in *len when len is not NULL.  Numbers are written as their
 * text; strings escape only what JSON requires. */
GF_API char *gf_json_write(gf_case *tc, const gf_json *v, size_t *len);

/* ------------------------------------------------------------------------ */
/* Malformed payloads.                                                       */
/* ------------------------------------------------------------------------ */

/* Mutations, in order of simplicity (a failure shrinks toward the first
 * one enabled).  The JSON-aware ones look for their target with a lenient
 * scan that works on any bytes; see docs/payloads.md for what each does
 * when the payload has none. */
#define GF_MUT_TRUNCATE       0x00001u /**< cut bytes off the end */
#define GF_MUT_CUT_STRING     0x00002u /**< end the text inside a string */
#define GF_MUT_CUT_ESCAPE     0x00004u /**< end it inside an escape */
#define GF_MUT_CUT_NUMBER     0x00008u /**< end it inside a number */
#define GF_MUT_CUT_LITERAL    0x00010u /**< end it inside true/false/null */
#define GF_MUT_DELETE         0x00020u /**< delete a run of bytes */
#define GF_MUT_INSERT         0x00040u /**< insert a run of bytes */
#define GF_MUT_FLIP           0x00080u /**< flip bits of one byte */
#define GF_MUT_SPLICE         0x00100u /**< head of this, tail of another */
#define GF_MUT_BOM            0x00200u /**< a UTF-8 byte order mark first */
#define GF_MUT_UTF16          0x00400u /**< re-encode as UTF-16 LE/BE */
#define GF_MUT_UNBALANCE      0x00800u /**< drop, double or swap a bracket */
#define GF_MUT_DEEP           0x01000u /**< up to 100000 '[' in front */
#define GF_MUT_GARBAGE        0x02000u /**< bytes after the end */
#define GF_MUT_COMMENT        0x04000u /**< a // or block comment */
#define GF_MUT_SINGLE_QUOTES  0x08000u /**< 'a string' */
#define GF_MUT_NAN_INF        0x10000u /**< NaN, Infinity, -Infinity */
#define GF_MUT_TRAILING_COMMA 0x20000u /**< [1,] and {"a":1,} */
#define GF_MUT_LEADING_ZERO   0x40000u /**< 01, -00.5 */
#define GF_MUT_ALL            0x7FFFFu /**< every mutation above */
/** The mutations that make sense for any bytes, not only JSON. */
#define GF_MUT_BYTES                                                         \
    (GF_MUT_TRUNCATE | GF_MUT_DELETE | GF_MUT_INSERT | GF_MUT_FLIP |         \
     GF_MUT_SPLICE | GF_MUT_BOM | GF_MUT_UTF16 | GF_MUT_GARBAGE)

/** A value of gf_mutated().  Starts like gf_bytes_value (data, len). */
typedef struct gf_mutated_value {
    const uint8_t *data; /**< the bytes, NUL-terminated (not counted) */
    size_t len;
    unsigned mutation;   /**< the GF_MUT_* bit that was applied */
    const char *detail;  /**< what it did: "cut the last 2 of 9 bytes" */
} gf_mutated_value;

/**
 * Malformed payloads: a value of `payload` with one mutation of the mask
 * `mutations` applied.  `payload` must be marked as text or bytes
 * (GF_GEN_TEXT or GF_GEN_BYTES in gadfly/gen.h): gf_ascii, gf_utf8,
 * gf_json_text, gf_nasty_string, gf_numeric_string, gf_dirty_text (NULL
 * is mutated as the empty string), gf_bytes, gf_utf8_invalid, another
 * gf_mutated, or one_of/frequency/filter/optional over those; anything
 * else (gf_map, gf_bind, gf_custom...) is reported when drawn.  Every
 * enabled mutation
 * is about equally likely.  Shrinks toward the simplest payload with the
 * first enabled mutation making the smallest change.  Prints the bytes as
 * a C string literal followed by a comment naming the mutation.
 * A mask of 0 or with unknown bits is reported when drawn.
 */
GF_API const gf_gen *gf_mutated(const gf_gen *payload, unsigned mutations);

/** The name of one GF_MUT_* bit ("truncate", "cut-string", ...), or NULL
 * if `mutation` is not exactly one known bit. */
GF_API const char *gf_mutation_name(unsigned mutation);

#ifdef __cplusplus
}
#endif

#endif /* GADFLY_PAYLOAD_H */
