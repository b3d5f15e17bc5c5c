/*
 * typed.c - draws that hand back a value of a C type, not a void *.
 *
 * gf_draw returns a pointer the property must cast, and a cast the
 * compiler cannot check: reading an int32 generator's value through an
 * int64_t * compiles and reports a value the property never saw.  Each
 * function here returns one C type and checks, when it runs, that the
 * generator's values are of that type (their kind, or for generators of
 * no particular kind their size), so a mismatch is a misuse message
 * naming both, never a wrong value.  The named direct draws live here too:
 * they name the value in the report instead of numbering it.
 *
 * Nothing here draws by itself: every choice goes through draw.c.
 */
#include <string.h>

#include "internal.h"

static const char *kind_type(gf_value_kind k)
{
    switch (k) {
    case GF_VALUE_I8: return "int8_t";
    case GF_VALUE_I16: return "int16_t";
    case GF_VALUE_I32: return "int32_t";
    case GF_VALUE_I64: return "int64_t";
    case GF_VALUE_U8: return "uint8_t";
    case GF_VALUE_U16: return "uint16_t";
    case GF_VALUE_U32: return "uint32_t";
    case GF_VALUE_U64: return "uint64_t";
    case GF_VALUE_BOOL: return "bool";
    case GF_VALUE_FLOAT: return "float";
    case GF_VALUE_DOUBLE: return "double";
    case GF_VALUE_POINTER: return "a pointer";
    case GF_VALUE_OTHER: break;
    }
    return "values of no fixed C type";
}

/* What g's values are, for a message: "int32_t", "char * (text)". */
static const char *gen_type(const gf_gen *g)
{
    if (g->flags & GF_GEN_TEXT)
        return "char * (text)";
    if (g->flags & GF_GEN_BYTES)
        return "gf_bytes_value";
    if (g->kind == GF_VALUE_OTHER) {
        static _Thread_local char buf[48];
        snprintf(buf, sizeof buf, "%zu-byte values", g->size);
        return buf;
    }
    return kind_type(g->kind);
}

static GF_NORETURN void mismatch(gf_case *tc, const char *fn, const gf_gen *g,
                                 const char *want)
{
    case_set_failure(tc, xstrdup("misuse"),
                     xasprintf("%s reads %s, but generator %s gives %s; "
                               "use the draw for its type (or gf_draw)",
                               fn, want, gf_gen_name(g), gen_type(g)));
    case_escape(tc);
}

static GF_NORETURN void null_gen(gf_case *tc, const char *fn)
{
    case_set_failure(tc, xstrdup("misuse"),
                     xasprintf("%s: NULL generator", fn));
    case_escape(tc);
}

/*
 * g's values can be read as a C type of kind `want` and `size` bytes: the
 * same kind, or no kind and the same size (a gf_map or gf_custom of that
 * size).  Pointer values never pass: gf_optional may give NULL.
 */
static void check_scalar(gf_case *tc, const char *fn, const gf_gen *g,
                         gf_value_kind want, size_t size)
{
    if (!g)
        null_gen(tc, fn);
    if (g->flags & (GF_GEN_POINTER_VALUE | GF_GEN_TEXT | GF_GEN_BYTES))
        mismatch(tc, fn, g, kind_type(want));
    if (g->kind == want && g->size == size)
        return;
    if (g->kind == GF_VALUE_OTHER && g->size == size)
        return;
    mismatch(tc, fn, g, kind_type(want));
}

#define TYPED_DRAW(fname, type, kind)                                        \
    type fname(gf_case *tc, const gf_gen *g, const char *name)               \
    {                                                                        \
        check_scalar(tc, #fname, g, kind, sizeof(type));                     \
        type v;                                                              \
        memcpy(&v, gf_draw_named(tc, g, name), sizeof v);                    \
        return v;                                                            \
    }

TYPED_DRAW(gf_draw_i8, int8_t, GF_VALUE_I8)
TYPED_DRAW(gf_draw_i16, int16_t, GF_VALUE_I16)
TYPED_DRAW(gf_draw_i32, int32_t, GF_VALUE_I32)
TYPED_DRAW(gf_draw_i64, int64_t, GF_VALUE_I64)
TYPED_DRAW(gf_draw_u8, uint8_t, GF_VALUE_U8)
TYPED_DRAW(gf_draw_u16, uint16_t, GF_VALUE_U16)
TYPED_DRAW(gf_draw_u32, uint32_t, GF_VALUE_U32)
TYPED_DRAW(gf_draw_u64, uint64_t, GF_VALUE_U64)
TYPED_DRAW(gf_draw_boolean, bool, GF_VALUE_BOOL)
TYPED_DRAW(gf_draw_f32, float, GF_VALUE_FLOAT)
TYPED_DRAW(gf_draw_f64, double, GF_VALUE_DOUBLE)

size_t gf_draw_sz(gf_case *tc, const gf_gen *g, const char *name)
{
    gf_value_kind want = sizeof(size_t) == 8 ? GF_VALUE_U64 : GF_VALUE_U32;
    check_scalar(tc, "gf_draw_sz", g, want, sizeof(size_t));
    size_t v;
    memcpy(&v, gf_draw_named(tc, g, name), sizeof v);
    return v;
}

char *gf_draw_str(gf_case *tc, const gf_gen *g, const char *name)
{
    if (!g)
        null_gen(tc, "gf_draw_str");
    if (!(g->flags & GF_GEN_TEXT))
        mismatch(tc, "gf_draw_str", g, "char * (text)");
    return gf_draw_named(tc, g, name);
}

gf_bytes_value gf_draw_blob(gf_case *tc, const gf_gen *g, const char *name)
{
    if (!g)
        null_gen(tc, "gf_draw_blob");
    if (!(g->flags & GF_GEN_BYTES))
        mismatch(tc, "gf_draw_blob", g, "gf_bytes_value");
    gf_bytes_value v;
    memcpy(&v, gf_draw_named(tc, g, name), sizeof v);
    return v;
}

/* ---- named direct draws ------------------------------------------------- */

/* The next direct draw's report line says `name`; draw.c takes it. */
#define NAMED(tc, name, call)                                                \
    do {                                                                     \
        (tc)->direct_name = (name);                                          \
        __typeof__(call) v_ = (call);                                        \
        (tc)->direct_name = NULL;                                            \
        return v_;                                                           \
    } while (0)

int64_t gf_draw_int_named(gf_case *tc, int64_t lo, int64_t hi,
                          const char *name)
{
    NAMED(tc, name, gf_draw_int(tc, lo, hi));
}

int64_t gf_draw_int_toward_named(gf_case *tc, int64_t lo, int64_t hi,
                                 int64_t target, const char *name)
{
    NAMED(tc, name, gf_draw_int_toward(tc, lo, hi, target));
}

uint64_t gf_draw_uint_named(gf_case *tc, uint64_t lo, uint64_t hi,
                            const char *name)
{
    NAMED(tc, name, gf_draw_uint(tc, lo, hi));
}

bool gf_draw_bool_named(gf_case *tc, const char *name)
{
    NAMED(tc, name, gf_draw_bool(tc));
}

bool gf_draw_weighted_named(gf_case *tc, double p, const char *name)
{
    NAMED(tc, name, gf_draw_weighted(tc, p));
}

double gf_draw_double_named(gf_case *tc, double lo, double hi,
                            unsigned flags, const char *name)
{
    NAMED(tc, name, gf_draw_double(tc, lo, hi, flags));
}

const uint8_t *gf_draw_bytes_named(gf_case *tc, size_t min_len,
                                   size_t max_len, size_t *len,
                                   const char *name)
{
    NAMED(tc, name, gf_draw_bytes(tc, min_len, max_len, len));
}
