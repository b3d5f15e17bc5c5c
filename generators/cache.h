/*
 * cache.h - a per-thread memo in front of generator constructors.
 *
 * Constructors are called inside properties, once per case: gf_int64(),
 * gf_array(g, 0, 100).  Interning makes that correct but costs a name
 * format, a hash and a lock; this memo makes the common repeat a few
 * compares.  Generators live until the process ends, so a memoised pointer
 * never dangles.
 */
#ifndef GF_GEN_CACHE_H
#define GF_GEN_CACHE_H

#include <stdatomic.h>
#include <stdint.h>

#include <gadfly/gen.h>

#define GEN_MEMO_WAYS 32

typedef struct gen_memo {
    const void *ctor; /* which constructor */
    uint64_t a, b, c; /* its arguments */
    const gf_gen *gen;
} gen_memo;

static __thread gen_memo gen_memo_table[GEN_MEMO_WAYS]
    __attribute__((tls_model("initial-exec")));

static inline gen_memo *gen_memo_slot(const void *ctor, uint64_t a, uint64_t b,
                                      uint64_t c)
{
    uint64_t h = (uint64_t)(uintptr_t)ctor * 0x9E3779B97F4A7C15ull;
    h ^= a * 0xC2B2AE3D27D4EB4Full;
    h ^= b * 0x165667B19E3779F9ull;
    h ^= c * 0x27D4EB2F165667C5ull;
    return &gen_memo_table[(h >> 32) % GEN_MEMO_WAYS];
}

/* The memoised generator for these arguments, or NULL. */
static inline const gf_gen *gen_memo_get(const void *ctor, uint64_t a,
                                         uint64_t b, uint64_t c)
{
    const gen_memo *m = gen_memo_slot(ctor, a, b, c);
    if (m->ctor == ctor && m->a == a && m->b == b && m->c == c)
        return m->gen;
    return NULL;
}

static inline const gf_gen *gen_memo_put(const void *ctor, uint64_t a,
                                         uint64_t b, uint64_t c,
                                         const gf_gen *g)
{
    *gen_memo_slot(ctor, a, b, c) = (gen_memo){ctor, a, b, c, g};
    return g;
}

/* Return the memoised generator of constructor `ctor` for (a, b, c), or
 * build it.  The constructor's name, as a string literal, is its key. */
#define GEN_MEMO_RETURN(ctor, a, b, c, build)                                \
    do {                                                                     \
        const gf_gen *memo_hit_ = gen_memo_get(#ctor, (uint64_t)(a),         \
                                               (uint64_t)(b), (uint64_t)(c)); \
        if (memo_hit_)                                                       \
            return memo_hit_;                                                \
        return gen_memo_put(#ctor, (uint64_t)(a), (uint64_t)(b),             \
                            (uint64_t)(c), (build));                         \
    } while (0)

/* For constructors without arguments: one process-wide pointer, set once.
 * Two threads racing here both build, and interning gives both the same
 * generator, so the race is harmless. */
#define GEN_ONCE_RETURN(build)                                               \
    do {                                                                     \
        static const gf_gen *_Atomic once_;                                  \
        const gf_gen *g_ = atomic_load_explicit(&once_,                      \
                                                memory_order_acquire);       \
        if (!g_) {                                                           \
            g_ = (build);                                                    \
            atomic_store_explicit(&once_, g_, memory_order_release);         \
        }                                                                    \
        return g_;                                                           \
    } while (0)

#endif /* GF_GEN_CACHE_H */
