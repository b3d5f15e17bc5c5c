/*
 * gadfly/gen.h - the layout of a generator, for writing generator families.
 *
 * Most users never include this: gf_custom() covers user generators.  The
 * generator library (generators/) builds every generator from this struct
 * and the public draw/span API alone; the engine only calls `draw` and
 * `print` and reads the value's size and kind.
 */
#ifndef GADFLY_GEN_H
#define GADFLY_GEN_H

#include <gadfly.h>

#ifdef __cplusplus
extern "C" {
#endif

/** How a value is passed to a typed property (gf_call_fn). */
typedef enum gf_value_kind {
    GF_VALUE_OTHER = 0, /**< passed as a pointer to the value */
    GF_VALUE_I8, GF_VALUE_I16, GF_VALUE_I32, GF_VALUE_I64,
    GF_VALUE_U8, GF_VALUE_U16, GF_VALUE_U32, GF_VALUE_U64,
    GF_VALUE_BOOL, GF_VALUE_FLOAT, GF_VALUE_DOUBLE,
    GF_VALUE_POINTER,   /**< the value is a pointer, passed as it is */
} gf_value_kind;

/** The value is itself a pointer (char *, T *): gf_draw returns it. */
#define GF_GEN_POINTER_VALUE 0x1u
/** The generator makes exactly one choice and has no inner structure, so
 * its value needs no span of its own (the choice is the whole value). */
#define GF_GEN_LEAF 0x2u
/** The value is text: a `char *` (GF_GEN_POINTER_VALUE too) pointing to a
 * NUL-terminated string in the case's arena, or NULL.  Set by gf_ascii,
 * gf_utf8, gf_json_text, gf_nasty_string, gf_numeric_string,
 * gf_dirty_text and the time and time zone text generators; gf_one_of,
 * gf_frequency, gf_filter, gf_optional and gf_recursive keep it when every
 * generator they draw from has it; gf_map, gf_bind and gf_custom never
 * set it.  gf_mutated accepts a payload generator only if it has this
 * flag or GF_GEN_BYTES. */
#define GF_GEN_TEXT 0x4u
/** The value starts with a gf_bytes_value (data, len): set by gf_bytes,
 * gf_utf8_invalid and gf_mutated; gf_one_of, gf_frequency, gf_filter and
 * gf_recursive keep it when every generator they draw from has it
 * (gf_optional does not: its value is a pointer to the inner value). */
#define GF_GEN_BYTES 0x8u
/** The value is one integer drawn exactly as gf_draw_int(tc, arg.i[0],
 * arg.i[1]) draws it (gf_draw_uint(tc, arg.u[0], arg.u[1]) for the unsigned
 * kinds) and stored as `kind`, one of GF_VALUE_I8 .. GF_VALUE_U64, in
 * `size` bytes.  The engine then makes that draw itself, one call shorter,
 * which is what makes arrays of integers cheap; `draw` must still do the
 * same, and is what runs when arg.i[0] > arg.i[1] (to report it).  Set by
 * every integer generator; implies GF_GEN_LEAF. */
#define GF_GEN_INT_RANGE 0x10u

typedef void (*gf_gen_draw_fn)(gf_case *tc, const gf_gen *self, void *out);
typedef void (*gf_gen_print_fn)(gf_printer *p, const gf_gen *self,
                                const void *value);

struct gf_gen {
    const char *name;        /**< for messages: "int32", "array(utf8)" */
    size_t size;             /**< bytes of one value (multiple of align) */
    size_t align;            /**< alignment of one value */
    unsigned flags;          /**< GF_GEN_* */
    gf_value_kind kind;
    uint64_t label;          /**< span label for values of this generator */
    gf_gen_draw_fn draw;     /**< fill `size` bytes at out */
    gf_gen_print_fn print;   /**< print one value as a C literal */
    /* Parameters, meaning fixed by the family. */
    const gf_gen *const *subs; /**< child generators */
    size_t nsubs;
    union {
        int64_t i[4];
        uint64_t u[4];
        double d[4];
    } arg;
    const unsigned *weights; /**< gf_frequency's weights, nsubs of them */
    void (*fn)(void);        /**< user callback, cast by the family */
    void (*fn2)(void);       /**< second user callback (a printer) */
    void *env;               /**< user environment */
};

/**
 * Return the process-lifetime copy of `tmpl`, made once per distinct content
 * (name, every field, and the contents of subs and weights), thread-safe.
 * tmpl->name, subs and weights are copied; everything they point to is not.
 * Never returns NULL: out of memory ends the process with a message.
 */
GF_API const gf_gen *gf_gen_intern(const gf_gen *tmpl);

/**
 * Draw one value of g into out (size bytes) inside a span labelled g->label,
 * without recording it as a top-level value of the report.  Generators call
 * this for their children.
 */
GF_API void gf_draw_into(gf_case *tc, const gf_gen *g, void *out);

/** Fail the case because a generator was misused (bad arguments). */
GF_API GF_NORETURN void gf_gen_misuse(gf_case *tc, const gf_gen *g,
                                      const char *fmt, ...) GF_PRINTF(3, 4);

/** Discard the case without a failure (used by filters that give up). */
GF_API GF_NORETURN void gf_discard(gf_case *tc);

/**
 * Discard the case because g has no value to give for what the case drew
 * before it (gf_ambiguous_local_time of a zone drawn without a gap or
 * fold): not a failure, and not the user's mistake, so that generators
 * compose.  The run counts these; when they are most of its discards and
 * the run gives up on too many discarded cases, its message names g and
 * gives `fmt`'s reason (the last one given).  Does not return.
 */
GF_API GF_NORETURN void gf_gen_discard(gf_case *tc, const gf_gen *g,
                                       const char *fmt, ...) GF_PRINTF(3, 4);

/** Tell the run a filter rejected a value (for the health check). */
GF_API void gf_filter_rejected(gf_case *tc, const gf_gen *g, bool gave_up);

#ifdef __cplusplus
}
#endif

#endif /* GADFLY_GEN_H */
