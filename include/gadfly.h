/*
 * gadfly.h - Gadfly, property-based testing for C.
 *
 * The whole public API most users need.  A property draws its inputs from a
 * test case (gf_case) and asserts what must hold; Gadfly runs it many times on
 * inputs biased toward edge cases, shrinks any failure to a minimal
 * counterexample and prints one line that replays it.
 *
 * Every value Gadfly hands out lives in the current case's arena and is freed
 * when the case ends: never free() it, never keep it past the property.
 */
#ifndef GADFLY_H
#define GADFLY_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __cplusplus
/* The macros that pass a list of values build it as a C99 compound literal
 * in C and as an initializer_list in C++, which has no compound literals
 * (g++: "taking address of temporary array"). */
#include <initializer_list>
#define GF_LIST_(type, ...) (std::initializer_list<type>{__VA_ARGS__}.begin())
#define GF_LIST_LEN_(type, ...) (std::initializer_list<type>{__VA_ARGS__}.size())
#else
#define GF_LIST_(type, ...) ((type const[]){__VA_ARGS__})
#define GF_LIST_LEN_(type, ...)                                              \
    (sizeof((type const[]){__VA_ARGS__}) / sizeof(type))
#endif

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define GF_API __attribute__((visibility("default")))
#define GF_NORETURN __attribute__((noreturn))
#define GF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define GF_API
#define GF_NORETURN
#define GF_PRINTF(f, a)
#endif

#define GF_VERSION_MAJOR 0
#define GF_VERSION_MINOR 1
#define GF_VERSION_PATCH 0
#define GF_VERSION_STRING "0.1.0"

/** One test case: the source of every choice a property makes. Opaque. */
typedef struct gf_case gf_case;
/** A generator: an immutable description of how to draw one value. */
typedef struct gf_gen gf_gen;
/** An output sink that generators print their values into, as C literals. */
typedef struct gf_printer gf_printer;

/* ------------------------------------------------------------------------ */
/* Choices: the only source of randomness.                                   */
/* ------------------------------------------------------------------------ */

/**
 * Draw a signed integer in [lo, hi], biased toward the bounds, 0, +-1 and
 * powers of two +-1.  Shrinks toward the value in range nearest 0.
 * @pre lo <= hi (otherwise the case fails with a usage error).
 */
GF_API int64_t gf_draw_int(gf_case *tc, int64_t lo, int64_t hi);

/** As gf_draw_int, but shrinks toward `target` (clamped into [lo, hi]). */
GF_API int64_t gf_draw_int_toward(gf_case *tc, int64_t lo, int64_t hi,
                                  int64_t target);

/**
 * As gf_draw_int, but a generated case takes the value `want` (clamped into
 * [lo, hi]) instead of a random one.  For generators with edge values of
 * their own: the value is one ordinary choice, so a failure found at an
 * edge shrinks from there toward 0 like any drawn integer, whatever chose
 * the edge.  Replays and shrinking read the value from the case, as ever.
 */
GF_API int64_t gf_draw_int_suggested(gf_case *tc, int64_t lo, int64_t hi,
                                     int64_t want);

/** Draw an unsigned integer in [lo, hi]; shrinks toward lo. */
GF_API uint64_t gf_draw_uint(gf_case *tc, uint64_t lo, uint64_t hi);

/** Draw a boolean that is true with probability 1/2; shrinks to false. */
GF_API bool gf_draw_bool(gf_case *tc);

/** Draw a boolean that is true with probability p (0 <= p <= 1). */
GF_API bool gf_draw_weighted(gf_case *tc, double p);

/* Flags for gf_draw_double and gf_double_in. */
#define GF_DOUBLE_NO_NAN       0x1u /**< never NaN */
#define GF_DOUBLE_NO_INF       0x2u /**< never +-infinity */
#define GF_DOUBLE_NO_SUBNORMAL 0x4u /**< never a subnormal number */
#define GF_DOUBLE_NO_NEG_ZERO  0x8u /**< never -0.0 */
#define GF_DOUBLE_FINITE (GF_DOUBLE_NO_NAN | GF_DOUBLE_NO_INF)

/**
 * Draw a double in [lo, hi].  NaN only when the range is the whole line
 * (-INFINITY, INFINITY) and GF_DOUBLE_NO_NAN is not set; infinities only
 * when inside [lo, hi] and GF_DOUBLE_NO_INF is not set; -0.0 only when lo is
 * below 0 or is -0.0 itself.
 * Biased toward +-0, +-1, the bounds, DBL_MIN, DBL_TRUE_MIN, DBL_MAX, 2^53,
 * 2^53+1, 0.1+0.2 and the like.  Shrinks toward 0.0, then small integers,
 * then simple fractions; finite before infinite before NaN.
 * @pre lo <= hi, neither is NaN.
 */
GF_API double gf_draw_double(gf_case *tc, double lo, double hi,
                             unsigned flags);

/**
 * As gf_draw_double, but a generated case takes `want` when the range and
 * flags admit it (else a value drawn as usual).  For generators with edge
 * values of their own, as gf_draw_int_suggested is for integers: the value
 * is one ordinary choice, so two equal doubles found at an edge shrink
 * together, and any such value shrinks toward 0.0.
 */
GF_API double gf_draw_double_suggested(gf_case *tc, double lo, double hi,
                                       unsigned flags, double want);

/**
 * Draw between min_len and max_len bytes.  Returns a pointer into the case's
 * arena (never NULL, even for length 0) and stores the length in *len.
 * Shrinks toward fewer bytes, then lower bytes.
 */
GF_API const uint8_t *gf_draw_bytes(gf_case *tc, size_t min_len,
                                    size_t max_len, size_t *len);

/*
 * Named direct draws: as the calls above, and the failure report names the
 * value `name` ("n = 3") instead of numbering it ("#1 = 3").
 */
GF_API int64_t gf_draw_int_named(gf_case *tc, int64_t lo, int64_t hi,
                                 const char *name);
GF_API int64_t gf_draw_int_toward_named(gf_case *tc, int64_t lo, int64_t hi,
                                        int64_t target, const char *name);
GF_API uint64_t gf_draw_uint_named(gf_case *tc, uint64_t lo, uint64_t hi,
                                   const char *name);
GF_API bool gf_draw_bool_named(gf_case *tc, const char *name);
GF_API bool gf_draw_weighted_named(gf_case *tc, double p, const char *name);
GF_API double gf_draw_double_named(gf_case *tc, double lo, double hi,
                                   unsigned flags, const char *name);
GF_API const uint8_t *gf_draw_bytes_named(gf_case *tc, size_t min_len,
                                          size_t max_len, size_t *len,
                                          const char *name);

/*
 * Forced choices: record a value the generator computed instead of drawing
 * it, so that the choice sequence stays aligned with the generator's shape.
 * The shrinker never edits a forced choice.
 */
GF_API int64_t gf_force_int(gf_case *tc, int64_t lo, int64_t hi, int64_t v);
GF_API uint64_t gf_force_uint(gf_case *tc, uint64_t lo, uint64_t hi,
                              uint64_t v);
GF_API bool gf_force_bool(gf_case *tc, bool v);

/* ------------------------------------------------------------------------ */
/* Spans: the structure the shrinker edits.                                  */
/* ------------------------------------------------------------------------ */

/** A label from a name (a hash); equal names give equal labels. */
GF_API uint64_t gf_span_label(const char *name);

/**
 * Mark the start of a value (an array element, a struct, a tree node).  The
 * shrinker deletes, swaps and replaces whole spans; spans with the same label
 * are values of the same kind.  Spans nest and must be closed in order.
 */
GF_API void gf_span_begin(gf_case *tc, uint64_t label);

/**
 * Close the innermost open span.  `discard` marks draws that do not shape the
 * final value (a rejected filter attempt), which the shrinker may delete.
 */
GF_API void gf_span_end(gf_case *tc, bool discard);

/**
 * Collections: a biased "one more?" choice before each element, so that
 * deleting an element's span is always a valid shrink.
 *
 *     gf_many m;
 *     gf_many_init(tc, &m, min, max);
 *     while (gf_many_more(tc, &m))
 *         ... draw one element ...
 *
 * Each element (with its "one more?" choice) is one span, closed by the next
 * call to gf_many_more.  The average length grows over a run.
 */
typedef struct gf_many {
    size_t min, max;   /**< bounds on the count */
    size_t count;      /**< elements accepted so far */
    double p_more;     /**< chance of one more element */
    uint64_t more_cut; /**< p_more as a PRNG threshold (internal) */
    bool open;         /**< an element span is open */
    bool done;         /**< gf_many_more has said no: the collection ended */
} gf_many;

GF_API void gf_many_init(gf_case *tc, gf_many *m, size_t min, size_t max);
GF_API bool gf_many_more(gf_case *tc, gf_many *m);
/**
 * Elements of g, drawn straight into an array of `room` values: what
 *
 *     while (k < room && gf_many_more(tc, m))
 *         gf_draw_into(tc, g, (char *)items + k++ * gf_gen_value_size(g));
 *
 * draws, with the same choices, in one call.  Returns the number drawn;
 * m->count is the total so far, and m->done is true once the collection
 * has ended (otherwise room ran out: call again with more).  For the
 * integer generators it skips the loop's per-element calls.
 */
GF_API size_t gf_many_draw(gf_case *tc, gf_many *m, const gf_gen *g,
                           void *items, size_t room);

/**
 * The size hint of this case, in [0, 1]: 0 for the first cases of a run,
 * growing toward 1.  Generators scale the sizes they aim for by it.
 */
GF_API double gf_size_hint(const gf_case *tc);

/**
 * Confine this case's sizes to [min, max] (each in [0, 1]): the run's size
 * hint h becomes min + h * (max - min) for the draws that follow.  Call it
 * first thing in a property to bias that property's sizes: (0, 0.1) keeps
 * collections to a few items and integers small, (1, 1) pins every case
 * at full size.  Replays and shrinking are unaffected.
 * @pre 0 <= min <= max <= 1 (otherwise the case fails with a usage error).
 */
GF_API void gf_size_range(gf_case *tc, double min, double max);

/**
 * Set this case's size hint to `hint` (in [0, 1]) for the draws that
 * follow, whatever it was: a generator that confines the sizes of its own
 * draws (gf_sized) sets it, draws, and sets back what gf_size_hint gave
 * before.  Replays and shrinking are unaffected.
 * @pre 0 <= hint <= 1 (otherwise the case fails with a usage error).
 */
GF_API void gf_size_hint_set(gf_case *tc, double hint);

/* ------------------------------------------------------------------------ */
/* Memory: the per-case arena.                                               */
/* ------------------------------------------------------------------------ */

/** Allocate `size` bytes, aligned for any type, freed when the case ends.
 * Never returns NULL: running out of memory ends the run with an error. */
GF_API void *gf_alloc(gf_case *tc, size_t size);
/** Copy `size` bytes into the arena. */
GF_API void *gf_memdup(gf_case *tc, const void *src, size_t size);
/** Format into an arena string. */
GF_API char *gf_sprintf(gf_case *tc, const char *fmt, ...) GF_PRINTF(2, 3);

/* ------------------------------------------------------------------------ */
/* Generators.                                                               */
/* ------------------------------------------------------------------------ */

/** A value of gf_bytes(). */
typedef struct gf_bytes_value {
    const uint8_t *data;
    size_t len;
} gf_bytes_value;

/** A value of gf_array(): `len` items laid out contiguously, each the
 * element generator's value type (a `char *` each for text elements). */
typedef struct gf_array_value {
    void *items;
    size_t len;
} gf_array_value;

/**
 * Draw one value.  Returns a pointer to the value in the case's arena
 * (`int16_t *` for gf_int16(), `double *` for gf_double(), ...).  Generators
 * whose value is itself a pointer return it directly: a NUL-terminated
 * `char *` for text generators, the inner value's pointer or NULL for
 * gf_optional().  Values drawn by the property itself (not inside another
 * generator) are printed in a failure report, numbered in draw order.
 */
GF_API void *gf_draw(gf_case *tc, const gf_gen *g);

/** As gf_draw, and the failure report names the value `name`. */
GF_API void *gf_draw_named(gf_case *tc, const gf_gen *g, const char *name);

/** Draw an array of min..max items of g; returns the items (never NULL) and
 * stores the count in *len. */
GF_API void *gf_draw_array(gf_case *tc, const gf_gen *g, size_t min,
                           size_t max, size_t *len);

/*
 * Typed draws: one value of g as the C type the function names, named
 * `name` in a failure report (NULL: numbered).  Each checks when it runs
 * that g's values are of that type (gf_int32() for gf_draw_i32, a text
 * generator for gf_draw_str, ...; a gf_map or gf_custom value of the same
 * size is accepted), and a mismatch fails the run as misuse (exit 2) with
 * a message naming the generator and both types, instead of reading bytes
 * the generator never wrote.  A gf_optional value (which may be NULL) is
 * read with gf_draw.
 *     int32_t x = gf_draw_i32(tc, gf_int32(), "x");
 *     char *s = gf_draw_str(tc, gf_utf8(0, 20), "s");
 */
GF_API int8_t gf_draw_i8(gf_case *tc, const gf_gen *g, const char *name);
GF_API int16_t gf_draw_i16(gf_case *tc, const gf_gen *g, const char *name);
GF_API int32_t gf_draw_i32(gf_case *tc, const gf_gen *g, const char *name);
GF_API int64_t gf_draw_i64(gf_case *tc, const gf_gen *g, const char *name);
GF_API uint8_t gf_draw_u8(gf_case *tc, const gf_gen *g, const char *name);
GF_API uint16_t gf_draw_u16(gf_case *tc, const gf_gen *g, const char *name);
GF_API uint32_t gf_draw_u32(gf_case *tc, const gf_gen *g, const char *name);
GF_API uint64_t gf_draw_u64(gf_case *tc, const gf_gen *g, const char *name);
/** size_t, from gf_size() (or any generator of size_t's width). */
GF_API size_t gf_draw_sz(gf_case *tc, const gf_gen *g, const char *name);
GF_API bool gf_draw_boolean(gf_case *tc, const gf_gen *g, const char *name);
GF_API float gf_draw_f32(gf_case *tc, const gf_gen *g, const char *name);
GF_API double gf_draw_f64(gf_case *tc, const gf_gen *g, const char *name);
/** The NUL-terminated text of a text generator (gf_ascii, gf_utf8, ...). */
GF_API char *gf_draw_str(gf_case *tc, const gf_gen *g, const char *name);
/** The bytes of gf_bytes() or another bytes generator. */
GF_API gf_bytes_value gf_draw_blob(gf_case *tc, const gf_gen *g,
                                   const char *name);
/** As gf_draw_array, and the report names the array `name`. */
GF_API void *gf_draw_array_named(gf_case *tc, const gf_gen *g, size_t min,
                                 size_t max, size_t *len, const char *name);

#if !defined(__cplusplus) && defined(__STDC_VERSION__) &&                   \
    __STDC_VERSION__ >= 201112L
/**
 * C11: draw into the variable `var`, choosing the typed draw from var's
 * type, and name the value after the variable:
 *     int32_t x;  GF_DRAW(tc, gf_int32(), x);   // reported as "x = ..."
 * A variable of a type with no typed draw (long long where int64_t is
 * long, char, a struct) does not compile; a generator of another type is
 * misuse at run time, as for the typed draws.
 */
#define GF_DRAW(tc, g, var) ((var) = GF_DRAW_FN_(var)((tc), (g), #var))
#define GF_DRAW_FN_(var)                                                     \
    _Generic((var),                                                          \
        int8_t: gf_draw_i8, int16_t: gf_draw_i16, int32_t: gf_draw_i32,      \
        int64_t: gf_draw_i64, uint8_t: gf_draw_u8, uint16_t: gf_draw_u16,    \
        uint32_t: gf_draw_u32, uint64_t: gf_draw_u64,                        \
        bool: gf_draw_boolean, float: gf_draw_f32, double: gf_draw_f64,      \
        char *: gf_draw_str, const char *: gf_draw_str,                      \
        gf_bytes_value: gf_draw_blob)
#endif

/*
 * Every constructor below returns a generator that lives as long as the
 * process (equal arguments give the same generator, so calling a constructor
 * inside a property costs a lookup, not memory).  Each distinct set of
 * arguments is kept until the process ends: a generator built from a drawn
 * value (gf_int(0, n) with n drawn) keeps one per n; draw directly
 * (gf_draw_int(tc, 0, n)) when the bounds change from case to case.  Bad arguments (lo > hi, a
 * NULL generator) are reported when the generator is first drawn from: the
 * case fails with a message naming the generator.
 */
GF_API const gf_gen *gf_int8(void);   /**< int8_t */
GF_API const gf_gen *gf_int16(void);  /**< int16_t */
GF_API const gf_gen *gf_int32(void);  /**< int32_t */
GF_API const gf_gen *gf_int64(void);  /**< int64_t */
GF_API const gf_gen *gf_uint8(void);  /**< uint8_t */
GF_API const gf_gen *gf_uint16(void); /**< uint16_t */
GF_API const gf_gen *gf_uint32(void); /**< uint32_t */
GF_API const gf_gen *gf_uint64(void); /**< uint64_t */
GF_API const gf_gen *gf_size(void);   /**< size_t, biased to small sizes */
/** int64_t in [lo, hi]. */
GF_API const gf_gen *gf_int(int64_t lo, int64_t hi);
/** uint64_t in [lo, hi]. */
GF_API const gf_gen *gf_uint(uint64_t lo, uint64_t hi);
/*
 * Fixed-width integers in [lo, hi]: the value is the C type the name says
 * (int8_t for gf_int8_in, ...), so gf_draw_i8 and the other typed draws of
 * that width accept it and the others reject it.  Biased as gf_int is:
 * toward lo, hi, their neighbours, 0 and +-1 when inside, powers of two
 * +-1, and small values.  Shrinks toward the value in range nearest 0
 * (the unsigned ones: toward lo).  Prints as gf_int8() ... prints.
 * lo > hi is misuse, reported when drawn.
 */
GF_API const gf_gen *gf_int8_in(int8_t lo, int8_t hi);
GF_API const gf_gen *gf_int16_in(int16_t lo, int16_t hi);
GF_API const gf_gen *gf_int32_in(int32_t lo, int32_t hi);
GF_API const gf_gen *gf_uint8_in(uint8_t lo, uint8_t hi);
GF_API const gf_gen *gf_uint16_in(uint16_t lo, uint16_t hi);
GF_API const gf_gen *gf_uint32_in(uint32_t lo, uint32_t hi);
/** bool, true half the time. */
GF_API const gf_gen *gf_bool(void);
/** Any double: NaN, infinities, subnormals included. */
GF_API const gf_gen *gf_double(void);
/** double in [lo, hi] with GF_DOUBLE_* flags.  Other flag bits, a NaN
 * bound, lo > hi, or a range with no value the flags allow (such as
 * [-0.0, -0.0] with GF_DOUBLE_NO_NEG_ZERO) are reported as misuse naming
 * the generator when drawn. */
GF_API const gf_gen *gf_double_in(double lo, double hi, unsigned flags);
/** Any float. */
GF_API const gf_gen *gf_float(void);
/** float in [lo, hi] with GF_DOUBLE_* flags; misuse as for gf_double_in. */
GF_API const gf_gen *gf_float_in(float lo, float hi, unsigned flags);
/** gf_bytes_value of min..max bytes. */
GF_API const gf_gen *gf_bytes(size_t min, size_t max);
/** char *: printable ASCII (0x20..0x7E) of min..max characters. */
GF_API const gf_gen *gf_ascii(size_t min, size_t max);
/** char *: valid UTF-8 of min..max code points from every plane (no NUL,
 * no surrogates), biased toward multi-byte, combining and odd characters. */
GF_API const gf_gen *gf_utf8(size_t min, size_t max);
/** gf_array_value of min..max items of g. */
GF_API const gf_gen *gf_array(const gf_gen *g, size_t min, size_t max);
/** int64_t: one of values[0..n), shrinking toward values[0].  The list is
 * copied.  n == 0 is misuse (reported when drawn). */
GF_API const gf_gen *gf_sampled_from_int(const int64_t *values, size_t n);
/** char * (text): one of the strings values[0..n), shrinking toward
 * values[0].  The list and the strings are copied. */
GF_API const gf_gen *gf_sampled_from_str(const char *const *values,
                                         size_t n);
/** gf_array_value of n uint32_t: 0..n-1 in some order, shrinking toward
 * the identity one swap at a time. */
GF_API const gf_gen *gf_permutation(size_t n);

/**
 * gf_array_value of the int64_t values[i] for some of the i in 0..n-1, in
 * the list's order, min..max of them.  One "keep?" choice per element of
 * the list, so it shrinks toward the first min elements (the empty
 * subsequence when min is 0).  The list is copied.  min > max, min > n, or
 * a NULL list of n > 0 values is misuse (reported when drawn).
 */
GF_API const gf_gen *gf_subsequence_int(const int64_t *values, size_t n,
                                        size_t min, size_t max);
/** As gf_subsequence_int, of strings (items are char *; the list and the
 * strings are copied). */
GF_API const gf_gen *gf_subsequence_str(const char *const *values, size_t n,
                                        size_t min, size_t max);

/** Values equal, for gf_unique_array_by: a and b are seen as gf_draw
 * returns them (a char * for text). */
typedef bool (*gf_eq_fn)(const void *a, const void *b, void *env);

/**
 * gf_array_value of min..max pairwise distinct items of g.  Distinct means:
 * different strings for text generators, different bytes (data and len)
 * for bytes generators, and different value bytes otherwise (so -0.0 and
 * 0.0 differ; a value holding other pointers, such as an array, needs
 * gf_unique_array_by).  A duplicate is drawn again, a few times at most:
 * when g has run out of new values the array ends there, and when that
 * leaves fewer than min items the case is discarded (a run where that is
 * most cases gives up, naming the generator), so a space too small never
 * loops.  Each item is compared with every item before it (a draw costs
 * time quadratic in the length).  Shrinks toward fewer items, then simpler
 * distinct ones: {0, 1, 2}.
 * min > max or a NULL g is misuse (reported when drawn).
 */
GF_API const gf_gen *gf_unique_array(const gf_gen *g, size_t min,
                                     size_t max);
/** As gf_unique_array, with `same(a, b, env)` saying which items are
 * duplicates (NULL: as gf_unique_array). */
GF_API const gf_gen *gf_unique_array_by(const gf_gen *g, size_t min,
                                        size_t max, gf_eq_fn same,
                                        void *env);

/**
 * Maps: gf_array_value of min..max (key, value) pairs with distinct keys
 * (distinct as gf_unique_array means it).  Each item is laid out as
 * `struct { K key; V value; }` would be, K and V the value types of key
 * and value (the value after the key, at the next offset aligned for it).
 * Prints as {{1, "a"}, {2, ""}}; shrinks toward fewer pairs, then simpler
 * keys and values.  Misuse as for gf_unique_array.
 */
GF_API const gf_gen *gf_dict(const gf_gen *key, const gf_gen *value,
                             size_t min, size_t max);

/** One field of a struct generator: its name (printed as ".name = "), its
 * offset (offsetof) and the generator of its value, which the field must
 * have the type of (char * for text). */
typedef struct gf_field {
    const char *name;
    size_t offset;
    const gf_gen *gen;
} gf_field;

/** A gf_field for member `member` of struct type `type`. */
#define GF_FIELD(type, member, gen) {#member, offsetof(type, member), (gen)}

/**
 * A struct of `size` bytes whose fields are drawn from their generators,
 * in the order given (the bytes no field covers are zero).  Each field is
 * one value the shrinker edits, so a struct shrinks field by field.
 * Prints as a designated initializer: {.x = 1, .name = "a"}.  The fields
 * are copied.  No fields, a field that is NULL, has no name, lies outside
 * the struct, overlaps another or sits at an offset not aligned for its
 * value is misuse (reported when drawn).  `name` names the generator in
 * messages ("struct point").  Use the gf_struct_of macro:
 *     gf_struct_of(struct point, GF_FIELD(struct point, x, gf_int32()),
 *                  GF_FIELD(struct point, y, gf_int32()))
 */
GF_API const gf_gen *gf_struct(const char *name, size_t size,
                               const gf_field *fields, size_t nfields);
#define gf_struct_of(type, ...)                                              \
    gf_struct(#type, sizeof(type), GF_LIST_(gf_field, __VA_ARGS__),         \
              GF_LIST_LEN_(gf_field, __VA_ARGS__))

/**
 * g with the case's size hint h confined to [min, max] while g draws: the
 * collections, strings and small integers inside g aim for the sizes of
 * hint min + h * (max - min); the hint is restored after.  So one array
 * can stay small, gf_sized(gf_array(g, 0, 1000), 0, 0.1), while the rest
 * of the case is full size.  Same value type as g.  Replays and shrinking
 * are unaffected.  A NULL g, or not 0 <= min <= max <= 1, is misuse
 * (reported when drawn).
 */
GF_API const gf_gen *gf_sized(const gf_gen *g, double min, double max);

/*
 * Characters from an alphabet: the bytes of the NUL-terminated `alphabet`
 * (copied), each equally likely, with the first and last a little more
 * often.  Shrinks toward the alphabet's first character: put the simplest
 * first.  An empty or NULL alphabet is misuse (reported when drawn).  The
 * alphabet is bytes, not code points: for text of other characters use
 * gf_utf8 and a gf_filter, or gf_sampled_from_str.
 */
/** char: one character of alphabet; prints as a C character literal. */
GF_API const gf_gen *gf_char_from(const char *alphabet);
/** char * (text): min..max characters of alphabet; shrinks toward shorter
 * strings of the first character ("aaa"). */
GF_API const gf_gen *gf_string_from(const char *alphabet, size_t min,
                                    size_t max);
/* Alphabets for gf_char_from and gf_string_from, simplest first. */
#define GF_CHARS_DIGITS "0123456789"
#define GF_CHARS_LOWER "abcdefghijklmnopqrstuvwxyz"
#define GF_CHARS_UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define GF_CHARS_ALNUM GF_CHARS_LOWER GF_CHARS_UPPER GF_CHARS_DIGITS
/** Printable ASCII, 0x20..0x7E, letters first. */
#define GF_CHARS_PRINTABLE                                                   \
    GF_CHARS_ALNUM " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
#define GF_CHARS_WHITESPACE " \t\n\r\v\f"
/** A pointer to a value of g, or NULL (about one case in four). */
GF_API const gf_gen *gf_optional(const gf_gen *g);
/** One of the NULL-terminated list; all must have the same value type.
 * Shrinks toward the first. Use the gf_one_of macro. */
GF_API const gf_gen *gf_one_of_(const gf_gen *first, ...);
#define gf_one_of(...) gf_one_of_(__VA_ARGS__, (const gf_gen *)NULL)
/** Weighted choice: gf_frequency(3, g1, 1, g2) (weights are unsigned ints,
 * the list ends at weight 0; the macro adds it).  Shrinks toward the first. */
GF_API const gf_gen *gf_frequency_(unsigned weight, ...);
#define gf_frequency(...) gf_frequency_(__VA_ARGS__, 0u)
/** The just value: always `*value` (copied, size bytes). */
GF_API const gf_gen *gf_just(const void *value, size_t size);

/** A mapping: fill `out` from the value `in`. */
typedef void (*gf_map_fn)(gf_case *tc, const void *in, void *out, void *env);
/** Print a value: fn(printer, value, env). */
typedef void (*gf_print_fn)(gf_printer *p, const void *value, void *env);
/** Map a value of g to a value of `out_size` bytes with fn(tc, in, out, env);
 * print (may be NULL) prints the result. */
GF_API const gf_gen *gf_map(const gf_gen *g, size_t out_size, gf_map_fn fn,
                            gf_print_fn print, void *env);

/** Keep values for which pred(value, env) is true.  Retries a few times per
 * case, then discards the case; a filter that rejects nearly everything
 * fails the property with a message saying so. */
typedef bool (*gf_pred_fn)(const void *value, void *env);
GF_API const gf_gen *gf_filter(const gf_gen *g, gf_pred_fn pred, void *env);

/** Draw from g, then from the generator fn(value, env) returns. */
typedef const gf_gen *(*gf_bind_fn)(const void *value, void *env);
GF_API const gf_gen *gf_bind(const gf_gen *g, gf_bind_fn fn, void *env);

/**
 * Recursive values: `extend(self, env)` builds one level from a generator of
 * sub-values; below max_depth levels only `base` is used.  Base and extend
 * results must have the same value type.
 */
typedef const gf_gen *(*gf_extend_fn)(const gf_gen *self, void *env);
GF_API const gf_gen *gf_recursive(const gf_gen *base, gf_extend_fn extend,
                                  unsigned max_depth, void *env);

/**
 * As gf_recursive, and no value has more than max_leaves leaves (values
 * of base): the depth bounds how deep a tree goes, this how big it gets
 * (a node of extend with many children, max_depth levels deep, would
 * otherwise make trees of exponential size).  A node goes deeper less
 * often as the leaves run out, and never when they are nearly out; a case
 * whose nodes, already begun, need more leaves than remain is discarded
 * (so no value has more).
 * Shrinks toward a single leaf.  max_leaves == 0 is misuse (reported when
 * drawn).
 */
GF_API const gf_gen *gf_recursive_leaves(const gf_gen *base,
                                         gf_extend_fn extend,
                                         unsigned max_depth,
                                         size_t max_leaves, void *env);

/** A user generator: draw(tc, out, env) fills `size` bytes at out (aligned
 * for any type); print(p, value, env) prints it (may be NULL: prints bytes). */
typedef void (*gf_draw_fn)(gf_case *tc, void *out, void *env);
GF_API const gf_gen *gf_custom(const char *name, size_t size, gf_draw_fn draw,
                               gf_print_fn print, void *env);

/** The generator's name, for messages ("int32", "array(int32)"). */
GF_API const char *gf_gen_name(const gf_gen *g);
/** Bytes one value of g occupies (an array's item stride). */
GF_API size_t gf_gen_value_size(const gf_gen *g);

/* ------------------------------------------------------------------------ */
/* Printing values as C literals.                                            */
/* ------------------------------------------------------------------------ */

/** Append formatted text. */
GF_API void gf_print(gf_printer *p, const char *fmt, ...) GF_PRINTF(2, 3);
/** Append a C string literal for len bytes ("\xC3\n"). */
GF_API void gf_print_string(gf_printer *p, const void *s, size_t len);
/** Append a double as a C literal that reads back exactly (NAN, -INFINITY,
 * 0x1p-1074 ...). */
GF_API void gf_print_double(gf_printer *p, double d);
/** Print a value of g. */
GF_API void gf_print_value(gf_printer *p, const gf_gen *g, const void *value);
/** Format a value of g into a malloc'd string the caller frees. */
GF_API char *gf_value_to_string(const gf_gen *g, const void *value);

/* ------------------------------------------------------------------------ */
/* Assertions, notes, assumptions, statistics.                               */
/* ------------------------------------------------------------------------ */

/** Fail the case here: message is printf-style.  Does not return. */
GF_API GF_NORETURN void gf_fail_at(gf_case *tc, const char *file, int line,
                                   const char *fmt, ...) GF_PRINTF(4, 5);
/** Discard the case (not a failure) when cond is false. */
GF_API void gf_assume(gf_case *tc, bool cond);
/** Add a line to the failure report of this case. */
GF_API void gf_note(gf_case *tc, const char *fmt, ...) GF_PRINTF(2, 3);
/** Count this case under `label` in the statistics (--stats shows the
 * share of cases under each label, as a bar chart). */
GF_API void gf_label(gf_case *tc, const char *label);
/** Require that at least `percent` (0..100) of the cases have `cond` true,
 * counted under `label`; a run where fewer do fails, and says which
 * requirement was not met. */
GF_API void gf_cover(gf_case *tc, double percent, bool cond,
                     const char *label);
/**
 * Search toward a high `score` under `label` (hill climbing on the choice
 * sequence): after the run's first cases, most new cases are small
 * changes to the case that scored highest so far, so inputs that make a
 * counter grow (steps, queue length, bytes allocated) are found far sooner
 * than at random.  Assert a bound after it to fail when the score passes
 * the bound; the failure shrinks like any other, to a case that still
 * passes it.  --stats, --html and --observe report each label's best
 * score and the case that reached it.  A NaN score is ignored; the highest
 * score of a case counts when one case calls it several times.
 */
GF_API void gf_target(gf_case *tc, double score, const char *label);
/** The running case on this thread (for typed properties), or NULL. */
GF_API gf_case *gf_current(void);

GF_API GF_NORETURN void gf_fail_cmp_int_(gf_case *tc, const char *file,
                                         int line, const char *expr,
                                         const char *a_src, intmax_t a,
                                         const char *b_src, intmax_t b);
GF_API GF_NORETURN void gf_fail_cmp_uint_(gf_case *tc, const char *file,
                                          int line, const char *expr,
                                          const char *a_src, uintmax_t a,
                                          const char *b_src, uintmax_t b);
GF_API GF_NORETURN void gf_fail_cmp_double_(gf_case *tc, const char *file,
                                            int line, const char *expr,
                                            const char *a_src, double a,
                                            const char *b_src, double b);
GF_API GF_NORETURN void gf_fail_cmp_str_(gf_case *tc, const char *file,
                                         int line, const char *expr,
                                         const char *a_src, const char *a,
                                         const char *b_src, const char *b);
GF_API GF_NORETURN void gf_fail_cmp_mem_(gf_case *tc, const char *file,
                                         int line, const char *expr,
                                         const void *a, const void *b,
                                         size_t len);
GF_API int gf_strcmp_(const char *a, const char *b);

/** Fail with a message unless cond holds. */
#define GF_ASSERT(tc, cond)                                                  \
    do {                                                                     \
        if (!(cond))                                                         \
            gf_fail_at((tc), __FILE__, __LINE__, "assertion failed: %s",     \
                       #cond);                                               \
    } while (0)

/** Fail with a printf-style message. */
#define GF_FAIL(tc, ...) gf_fail_at((tc), __FILE__, __LINE__, __VA_ARGS__)

/*
 * Every assertion stringizes its operands in the macro the user wrote, so
 * that a report shows `rc == Z_STREAM_END` or `errno == 0`, never the
 * macro-expanded text (`rc == 1`, `(*__errno_location ()) == 0`).  The
 * helpers below take the source text as strings for that reason.
 */
#define GF_ASSERT_CMP_INT_(tc, a, op, b, a_src, op_src, b_src)               \
    do {                                                                     \
        intmax_t gf_a_ = (intmax_t)(a), gf_b_ = (intmax_t)(b);               \
        if (!(gf_a_ op gf_b_))                                               \
            gf_fail_cmp_int_((tc), __FILE__, __LINE__,                       \
                             a_src " " op_src " " b_src, a_src, gf_a_,       \
                             b_src, gf_b_);                                  \
    } while (0)
#define GF_ASSERT_CMP_UINT_(tc, a, op, b, a_src, op_src, b_src)              \
    do {                                                                     \
        uintmax_t gf_a_ = (uintmax_t)(a), gf_b_ = (uintmax_t)(b);            \
        if (!(gf_a_ op gf_b_))                                               \
            gf_fail_cmp_uint_((tc), __FILE__, __LINE__,                      \
                              a_src " " op_src " " b_src, a_src, gf_a_,      \
                              b_src, gf_b_);                                 \
    } while (0)

/* Signed integer comparisons; a failure prints both sides. */
#define GF_ASSERT_EQ_INT(tc, a, b) GF_ASSERT_CMP_INT_(tc, a, ==, b, #a, "==", #b)
#define GF_ASSERT_NE_INT(tc, a, b) GF_ASSERT_CMP_INT_(tc, a, !=, b, #a, "!=", #b)
#define GF_ASSERT_LT_INT(tc, a, b) GF_ASSERT_CMP_INT_(tc, a, <, b, #a, "<", #b)
#define GF_ASSERT_LE_INT(tc, a, b) GF_ASSERT_CMP_INT_(tc, a, <=, b, #a, "<=", #b)
#define GF_ASSERT_GT_INT(tc, a, b) GF_ASSERT_CMP_INT_(tc, a, >, b, #a, ">", #b)
#define GF_ASSERT_GE_INT(tc, a, b) GF_ASSERT_CMP_INT_(tc, a, >=, b, #a, ">=", #b)
/* Unsigned integer comparisons. */
#define GF_ASSERT_EQ_UINT(tc, a, b)                                          \
    GF_ASSERT_CMP_UINT_(tc, a, ==, b, #a, "==", #b)
#define GF_ASSERT_NE_UINT(tc, a, b)                                          \
    GF_ASSERT_CMP_UINT_(tc, a, !=, b, #a, "!=", #b)
#define GF_ASSERT_LT_UINT(tc, a, b)                                          \
    GF_ASSERT_CMP_UINT_(tc, a, <, b, #a, "<", #b)
#define GF_ASSERT_LE_UINT(tc, a, b)                                          \
    GF_ASSERT_CMP_UINT_(tc, a, <=, b, #a, "<=", #b)
#define GF_ASSERT_GT_UINT(tc, a, b)                                          \
    GF_ASSERT_CMP_UINT_(tc, a, >, b, #a, ">", #b)
#define GF_ASSERT_GE_UINT(tc, a, b)                                          \
    GF_ASSERT_CMP_UINT_(tc, a, >=, b, #a, ">=", #b)
/** Doubles equal (NaN equals NaN here; -0.0 equals 0.0). */
#define GF_ASSERT_EQ_DOUBLE(tc, a, b)                                        \
    do {                                                                     \
        double gf_a_ = (a), gf_b_ = (b);                                     \
        if (!(gf_a_ == gf_b_ || (gf_a_ != gf_a_ && gf_b_ != gf_b_)))         \
            gf_fail_cmp_double_((tc), __FILE__, __LINE__, #a " == " #b, #a,  \
                                gf_a_, #b, gf_b_);                           \
    } while (0)
/** Strings equal (NULL equals only NULL). */
#define GF_ASSERT_STR_EQ(tc, a, b)                                           \
    do {                                                                     \
        const char *gf_a_ = (a), *gf_b_ = (b);                               \
        if (gf_strcmp_(gf_a_, gf_b_) != 0)                                   \
            gf_fail_cmp_str_((tc), __FILE__, __LINE__, #a " == " #b, #a,     \
                             gf_a_, #b, gf_b_);                              \
    } while (0)
#define GF_ASSERT_STR_NE(tc, a, b)                                           \
    do {                                                                     \
        const char *gf_a_ = (a), *gf_b_ = (b);                               \
        if (gf_strcmp_(gf_a_, gf_b_) == 0)                                   \
            gf_fail_cmp_str_((tc), __FILE__, __LINE__, #a " != " #b, #a,     \
                             gf_a_, #b, gf_b_);                              \
    } while (0)
/** len bytes equal; a failure prints both as string literals. */
#define GF_ASSERT_MEM_EQ(tc, a, b, len)                                      \
    do {                                                                     \
        const void *gf_a_ = (a), *gf_b_ = (b);                               \
        size_t gf_n_ = (len);                                                \
        if (gf_n_ && memcmp(gf_a_, gf_b_, gf_n_) != 0)                       \
            gf_fail_cmp_mem_((tc), __FILE__, __LINE__,                       \
                             #a " == " #b " (" #len " bytes)", gf_a_, gf_b_, \
                             gf_n_);                                         \
    } while (0)

/* ------------------------------------------------------------------------ */
/* Properties and running them.                                              */
/* ------------------------------------------------------------------------ */

typedef void (*gf_property_fn)(gf_case *tc);

/** A property: a name and the function that checks it. */
typedef struct gf_property {
    const char *name;
    gf_property_fn fn;
    const char *file;
    int line;
    struct gf_property *next; /**< registry link, set by gf_register */
} gf_property;

/** Add a property to this process's registry (GF_PROPERTY does it). */
GF_API void gf_register(gf_property *p);
/** The first registered property (in definition order); follow ->next. */
GF_API gf_property *gf_registered(void);

/**
 * Define and register a property:
 *     GF_PROPERTY(name) { ... uses tc ... }
 */
#define GF_PROPERTY(pname)                                                   \
    static void gf_prop_fn_##pname(gf_case *tc);                             \
    static gf_property gf_prop_##pname = {#pname, gf_prop_fn_##pname,        \
                                          __FILE__, __LINE__, NULL};         \
    __attribute__((constructor)) static void gf_prop_reg_##pname(void)       \
    {                                                                        \
        gf_register(&gf_prop_##pname);                                       \
    }                                                                        \
    static void gf_prop_fn_##pname(gf_case *tc)

/** How a run ended. */
typedef enum gf_status {
    GF_PASSED = 0,   /**< every case held */
    GF_FAILED = 1,   /**< a counterexample was found */
    GF_GAVE_UP = 2,  /**< too many cases were discarded to say */
    GF_ERROR = 3,    /**< misuse or an internal error; see message */
} gf_status;

/** Settings for gf_run; zero means "default" everywhere. */
typedef struct gf_options {
    uint64_t seed;          /**< with seed_set; else a fresh seed */
    bool seed_set;
    uint64_t trials;        /**< cases that must hold (default 100);
                                 duplicates and discards do not count */
    uint64_t max_discards;  /**< give up after this many (default 10x trials) */
    const char *replay;     /**< run exactly this replay token */
    unsigned verbose;       /**< 1: one line per property, 2: per case */
    uint64_t max_shrink_calls;   /**< calls without progress (1000) */
    double max_shrink_seconds;   /**< wall-clock cap on shrinking (60) */
    size_t max_choices;     /**< choices per case before overrun (8192) */
    double timeout;         /**< seconds one case may run before it fails
                                 as "timeout" (default 10; negative: none) */
    double duration;        /**< run each property for this many seconds
                                 instead of `trials` cases (0: off) */
    unsigned shard_index;   /**< with shard_count > 1: this machine's share */
    unsigned shard_count;   /**< of the seeds, 1-based: 1..shard_count */
    unsigned jobs;          /**< worker processes for one run (default 1) */
    bool stats;             /**< add the gf_label chart to the report */
    const char *db_dir;     /**< failure database directory; NULL: none.
                                 GF_MAIN binaries use ".gadfly" */
    FILE *out;              /**< report stream (default stderr) */
    const char *argv0;      /**< program, for the replay line */
    bool quiet;             /**< print nothing */
    int color;              /**< GF_COLOR_AUTO (0): colour only on a terminal
                                 and without NO_COLOR; GF_COLOR_ALWAYS;
                                 GF_COLOR_NEVER */
    double max_size;        /**< scale every case's size hint by this, in
                                 (0, 1]; 0: 1 (full size).  --max-size */
    const char *observe_dir; /**< --observe: one JSON line per test case
                                 (Tyche's format) into files in this
                                 directory; NULL: none */
    bool summary;           /**< collect each named draw's values, the time
                                 per case and the targets (what --html
                                 shows); --stats implies it */
    int isolation;          /**< where the property runs: GF_ISOLATE_DEFAULT
                                 (0): in a worker process under gf_main
                                 (unless --no-fork), in this process for
                                 other callers of gf_run; GF_ISOLATE_WORKER:
                                 in a worker process, so that a crash, a
                                 hang or exit() is a failure to shrink and
                                 the caller goes on; GF_ISOLATE_NONE: in
                                 this process (crashes are still caught
                                 in-process, as --no-fork does) */
} gf_options;

#define GF_COLOR_AUTO 0
#define GF_COLOR_ALWAYS 1
#define GF_COLOR_NEVER 2

#define GF_ISOLATE_DEFAULT 0
#define GF_ISOLATE_WORKER 1
#define GF_ISOLATE_NONE 2

/** What gf_run found.  Strings are malloc'd; gf_result_free releases them. */
typedef struct gf_result {
    gf_status status;
    uint64_t seed;
    uint64_t cases;       /**< distinct cases run (including the failing one) */
    uint64_t passed;
    uint64_t discarded;   /**< gf_assume, filters, overruns */
    uint64_t duplicates;  /**< buffers already run, not counted as cases */
    uint64_t unchecked;   /**< cases counted without a duplicate check: its
                               memory (8 MiB) was full; they may repeat
                               cases that it did not keep */
    uint64_t shrinks;     /**< successful shrink steps */
    uint64_t shrink_calls;/**< property calls made while shrinking */
    unsigned failures;    /**< distinct failures (origins) reported */
    bool exhausted;       /**< the whole input space was run */
    bool flaky;           /**< the shrunk failure did not reproduce */
    bool interrupted;     /**< SIGINT, SIGTERM or SIGHUP stopped the run early
                               (GF_MAIN programs): generation stopped, and
                               the shrinking was cut short */
    char *origin;         /**< "file:line" or "signal SIGSEGV", on failure;
                               on GF_ERROR "misuse" (the test misused the
                               API) or "error" (out of memory, no process
                               to run a case in) */
    char *message;        /**< the failure message */
    char *counterexample; /**< the shrunk values, one per line */
    char *replay;         /**< the replay token */
    char *report;         /**< the full report as printed */
} gf_result;

/**
 * Add one property's result to the reports named by GF_TAP, GF_JUNIT and
 * GF_JSON, for harnesses that run each property in a process of its own
 * (gadfly/criterion.h calls it): each file holds, after every call, the
 * results of all the properties of this run so far (the processes whose
 * parent is this process's parent), kept as parts in FILE.parts beside
 * it.  Returns 0, or -1 after one line per report to err (stderr if NULL)
 * that could not be written.
 */
GF_API int gf_report_shared(const gf_property *p, const gf_result *r,
                            double seconds, FILE *err);

/** Run one property; returns r->status.  r may be NULL. */
GF_API gf_status gf_run(const gf_property *p, const gf_options *opt,
                        gf_result *r);
GF_API void gf_result_free(gf_result *r);

/**
 * Fill options from GF_SEED, GF_TRIALS, GF_REPLAY, GF_VERBOSE,
 * GF_MAX_SHRINK_CALLS, GF_MAX_SHRINK_SECONDS, GF_TIMEOUT, GF_DURATION,
 * GF_COLOR, GF_DB, GF_OBSERVE, GF_JOBS and GF_SHARD (blanks around a
 * value are dropped; an unset or blank variable changes nothing).
 * Returns 0, or -1 after printing one line about a malformed variable to
 * `err`.
 */
GF_API int gf_options_from_env(gf_options *opt, FILE *err);

/** The command line of a GF_MAIN binary; returns the exit code:
 * 0 all held, 1 a property failed, 2 usage error, 3 internal error. */
GF_API int gf_main(int argc, char **argv);

/** Define main() for a test binary of registered properties. */
#define GF_MAIN()                                                            \
    int main(int argc, char **argv) { return gf_main(argc, argv); }

/* ------------------------------------------------------------------------ */
/* Typed properties through libffi.                                          */
/* ------------------------------------------------------------------------ */

typedef void (*gf_any_fn)(void);

/** What a typed property returns: a bool or an int (nonzero holds), or
 * nothing (it fails by GF_ASSERT on gf_current(), or by crashing). */
typedef enum gf_ret {
    GF_RET_BOOL,
    GF_RET_INT,
    GF_RET_VOID,
} gf_ret;

/**
 * Inside a property: draw one argument from each generator of the
 * NULL-terminated array and call fn with them through libffi; fail the case
 * if it returns false/0.  Integer generators pass their own width, doubles
 * and floats by value, every other generator a pointer to its value (text
 * generators their char *).
 */
GF_API void gf_call_fn(gf_case *tc, const char *fn_name, gf_any_fn fn,
                       gf_ret ret, const gf_gen *const *gens);

/*
 * The compiler checks what it can see of a typed function's type: the
 * macros below call it, in an expression never evaluated, with a 0 for
 * each generator (0 converts to every number and pointer type), so a
 * function that takes more or fewer parameters than there are generators,
 * or a struct by value, does not compile; and gf_check_fn and GF_CHECK_FN
 * require a bool result, gf_check_fn_int an int one.  Which number or
 * pointer type each parameter has is not visible to C: it is up to the
 * generators (see docs/typed-and-criterion.md).
 */

#define GF_NARGS_(...)                                                       \
    GF_NARGS_N_(__VA_ARGS__, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4,   \
                3, 2, 1, 0)
#define GF_NARGS_N_(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13,  \
                    a14, a15, a16, n, ...)                                   \
    n
#define GF_CAT_(a, b) GF_CAT2_(a, b)
#define GF_CAT2_(a, b) a##b
#define GF_ZEROS_(...) GF_CAT_(GF_ZEROS_, GF_CAT_(GF_NARGS_(__VA_ARGS__), _))
#define GF_ZEROS_1_ 0
#define GF_ZEROS_2_ 0, 0
#define GF_ZEROS_3_ 0, 0, 0
#define GF_ZEROS_4_ 0, 0, 0, 0
#define GF_ZEROS_5_ 0, 0, 0, 0, 0
#define GF_ZEROS_6_ 0, 0, 0, 0, 0, 0
#define GF_ZEROS_7_ 0, 0, 0, 0, 0, 0, 0
#define GF_ZEROS_8_ 0, 0, 0, 0, 0, 0, 0, 0
#define GF_ZEROS_9_ 0, 0, 0, 0, 0, 0, 0, 0, 0
#define GF_ZEROS_10_ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
#define GF_ZEROS_11_ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
#define GF_ZEROS_12_ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
#define GF_ZEROS_13_ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
#define GF_ZEROS_14_ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
#define GF_ZEROS_15_ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
#define GF_ZEROS_16_ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
/* Only the parameters, for functions returning void (and in C++). */
#define GF_FN_CHECK_ANY_(fn, ...)                                            \
    ((void)sizeof(((fn)(GF_ZEROS_(__VA_ARGS__)), 0)))
#ifdef __cplusplus
#define GF_FN_CHECK_(fn, type, what, ...) GF_FN_CHECK_ANY_(fn, __VA_ARGS__)
#else
/* 1 if fn called with a 0 per generator has type `type`. */
#define GF_FN_RETURNS_(fn, type, ...)                                        \
    _Generic((fn)(GF_ZEROS_(__VA_ARGS__)), type: 1, default: 0)
/* The check as an expression, for the gf_check_fn macros. */
#define GF_FN_CHECK_(fn, type, what, ...)                                    \
    ((void)sizeof(struct {                                                   \
        _Static_assert(GF_FN_RETURNS_(fn, type, __VA_ARGS__), what);         \
        int gf_unused_;                                                      \
    }))
#endif

/**
 * Check a typed function now, with options from GF_* variables; returns 0 if
 * it held, 1 if not (after printing the report), 2/3 on error.
 *     gf_check_fn(add_commutes, gf_int32(), gf_int32())
 */
GF_API int gf_check_fn_(const char *fn_name, gf_any_fn fn, gf_ret ret,
                        const gf_gen *const *gens);
#define gf_check_fn(fn, ...)                                                 \
    (GF_FN_CHECK_(fn, bool, "gf_check_fn: " #fn " must return bool",        \
                  __VA_ARGS__),                                              \
     gf_check_fn_(#fn, (gf_any_fn)(fn), GF_RET_BOOL,                         \
                  GF_LIST_(const gf_gen *, __VA_ARGS__, NULL)))
#define gf_check_fn_int(fn, ...)                                             \
    (GF_FN_CHECK_(fn, int, "gf_check_fn_int: " #fn " must return int",      \
                  __VA_ARGS__),                                              \
     gf_check_fn_(#fn, (gf_any_fn)(fn), GF_RET_INT,                          \
                  GF_LIST_(const gf_gen *, __VA_ARGS__, NULL)))
#define gf_check_fn_void(fn, ...)                                            \
    (GF_FN_CHECK_ANY_(fn, __VA_ARGS__),                                      \
     gf_check_fn_(#fn, (gf_any_fn)(fn), GF_RET_VOID,                         \
                  GF_LIST_(const gf_gen *, __VA_ARGS__, NULL)))

/** Define a registered property that checks a typed function: fn must
 * return bool and take one number or pointer per generator (checked by
 * the compiler). */
#ifdef __cplusplus
#define GF_CHECK_FN_STATIC_(fn, ...)
#else
#define GF_CHECK_FN_STATIC_(fn, ...)                                         \
    _Static_assert(GF_FN_RETURNS_(fn, bool, __VA_ARGS__),                    \
                   "GF_CHECK_FN: " #fn " must return bool");
#endif
#define GF_CHECK_FN(pname, fn, ...)                                          \
    GF_CHECK_FN_STATIC_(fn, __VA_ARGS__)                                     \
    GF_PROPERTY(pname)                                                       \
    {                                                                        \
        gf_call_fn(tc, #fn, (gf_any_fn)(fn), GF_RET_BOOL,                    \
                   GF_LIST_(const gf_gen *, __VA_ARGS__, NULL));             \
    }

#ifdef __cplusplus
}

/* GF_DRAW in C++: overloads on the variable's type take _Generic's place.
 * As in C, a type with no typed draw (long long where int64_t is long,
 * char, a struct) does not compile. */
inline int8_t gf_draw_typed_(gf_case *tc, const gf_gen *g, const char *n, int8_t *)
{ return gf_draw_i8(tc, g, n); }
inline int16_t gf_draw_typed_(gf_case *tc, const gf_gen *g, const char *n, int16_t *)
{ return gf_draw_i16(tc, g, n); }
inline int32_t gf_draw_typed_(gf_case *tc, const gf_gen *g, const char *n, int32_t *)
{ return gf_draw_i32(tc, g, n); }
inline int64_t gf_draw_typed_(gf_case *tc, const gf_gen *g, const char *n, int64_t *)
{ return gf_draw_i64(tc, g, n); }
inline uint8_t gf_draw_typed_(gf_case *tc, const gf_gen *g, const char *n, uint8_t *)
{ return gf_draw_u8(tc, g, n); }
inline uint16_t gf_draw_typed_(gf_case *tc, const gf_gen *g, const char *n, uint16_t *)
{ return gf_draw_u16(tc, g, n); }
inline uint32_t gf_draw_typed_(gf_case *tc, const gf_gen *g, const char *n, uint32_t *)
{ return gf_draw_u32(tc, g, n); }
inline uint64_t gf_draw_typed_(gf_case *tc, const gf_gen *g, const char *n, uint64_t *)
{ return gf_draw_u64(tc, g, n); }
inline bool gf_draw_typed_(gf_case *tc, const gf_gen *g, const char *n, bool *)
{ return gf_draw_boolean(tc, g, n); }
inline float gf_draw_typed_(gf_case *tc, const gf_gen *g, const char *n, float *)
{ return gf_draw_f32(tc, g, n); }
inline double gf_draw_typed_(gf_case *tc, const gf_gen *g, const char *n, double *)
{ return gf_draw_f64(tc, g, n); }
inline char *gf_draw_typed_(gf_case *tc, const gf_gen *g, const char *n, char **)
{ return gf_draw_str(tc, g, n); }
inline const char *gf_draw_typed_(gf_case *tc, const gf_gen *g, const char *n, const char **)
{ return gf_draw_str(tc, g, n); }
inline gf_bytes_value gf_draw_typed_(gf_case *tc, const gf_gen *g, const char *n, gf_bytes_value *)
{ return gf_draw_blob(tc, g, n); }
#define GF_DRAW(tc, g, var) ((var) = gf_draw_typed_((tc), (g), #var, &(var)))
#endif

#endif /* GADFLY_H */
