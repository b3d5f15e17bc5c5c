/*
 * internal.h - the engine's shared types: choices, spans, the case, the
 * printer.  Only src/ includes this; generators/ use the public API.
 */
#ifndef GF_INTERNAL_H
#define GF_INTERNAL_H

#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gadfly.h>
#include <gadfly/gen.h>

#include "rng.h"

#define GF_INTERNAL __attribute__((visibility("hidden")))

/* ---- choices ----------------------------------------------------------- */

typedef enum choice_kind {
    CHOICE_INT,    /* signed 64-bit; value holds the int64_t bits */
    CHOICE_UINT,   /* unsigned 64-bit */
    CHOICE_BOOL,   /* value 0 or 1 */
    CHOICE_DOUBLE, /* value holds the double's bits */
    CHOICE_BYTES,  /* value is an offset into the byte pool, len bytes */
} choice_kind;

/* Constraints of a choice, kept with it so that index functions and the
 * shrinker know what values are valid. */
typedef struct choice_spec {
    uint64_t lo, hi;     /* INT/UINT: bounds (bits); DOUBLE: bits of bounds;
                            BYTES: min and max length */
    uint64_t target;     /* INT/UINT: shrink target (bits, within bounds) */
    double p;            /* BOOL: probability of true */
    unsigned flags;      /* DOUBLE: GF_DOUBLE_* */
} choice_spec;

typedef struct choice {
    uint8_t kind;        /* choice_kind */
    uint8_t forced;      /* value was computed, not drawn */
    uint32_t len;        /* BYTES: length */
    uint64_t value;
    choice_spec spec;
} choice;

/* A recorded buffer: choices plus the bytes of BYTES choices. */
typedef struct buffer {
    choice *ch;
    size_t n, cap;
    uint8_t *bytes;
    size_t nbytes, bcap;
    /* ch and bytes are lent (shared memory a parent process reads), not
     * owned: growing copies them to the heap, freeing leaves them. */
    bool lent;
} buffer;

GF_INTERNAL void buffer_init(buffer *b);
GF_INTERNAL void buffer_free(buffer *b);
GF_INTERNAL void buffer_clear(buffer *b);
GF_INTERNAL void buffer_copy(buffer *dst, const buffer *src);
GF_INTERNAL void buffer_grow(buffer *b);
/* Append a choice (uninitialised) and return it. */
static inline choice *buffer_push(buffer *b)
{
    if (__builtin_expect(b->n == b->cap, 0))
        buffer_grow(b);
    return &b->ch[b->n++];
}
GF_INTERNAL uint32_t buffer_push_bytes(buffer *b, const uint8_t *data,
                                       size_t len);
GF_INTERNAL const uint8_t *buffer_bytes(const buffer *b, const choice *c);

/* ---- byte vectors ------------------------------------------------------ */

typedef struct bytes_vec {
    uint8_t *p;
    size_t n, cap;
} bytes_vec;

GF_INTERNAL void bv_grow(bytes_vec *v, size_t extra);
GF_INTERNAL void bv_free(bytes_vec *v);

/* Room for `extra` more bytes; p is never NULL afterwards. */
static inline void bv_reserve(bytes_vec *v, size_t extra)
{
    if (__builtin_expect(!v->p || v->n + extra > v->cap, 0))
        bv_grow(v, extra);
}

/* ---- spans ------------------------------------------------------------- */

typedef struct span {
    uint32_t start, end; /* choice indices [start, end) */
    uint64_t label;
    uint32_t parent;     /* index of the enclosing span, or UINT32_MAX */
    uint16_t depth;
    uint8_t discard;
    uint8_t open;
} span;

/* ---- arena ------------------------------------------------------------- */

typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;   /* current block */
    arena_block *spare;  /* freed blocks kept for the next case */
    unsigned char *ptr, *end;
    /* Where the case's allocations start, when the arena holds just its
     * one standard block (the steady state); NULL otherwise. */
    unsigned char *base;
} arena;

GF_INTERNAL void arena_init(arena *a);
GF_INTERNAL void arena_reset(arena *a);
GF_INTERNAL void arena_free(arena *a);
GF_INTERNAL void *arena_alloc(arena *a, size_t size);

/* Under AddressSanitizer the arena poisons what it has not handed out
 * (arena.c). */
#if defined(__SANITIZE_ADDRESS__)
#define GF_ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GF_ARENA_ASAN 1
#endif
#endif

/* arena_reset, with its common case inline: one block, rewound. */
static inline void arena_rewind(arena *a)
{
#ifndef GF_ARENA_ASAN
    if (__builtin_expect(a->base != NULL, 1)) {
        a->ptr = a->base;
        return;
    }
#endif
    arena_reset(a);
}

/* arena_alloc, with its common case inline: room left in the current
 * block.  Every value a case draws is allocated here. */
static inline void *arena_alloc_inline(arena *a, size_t size)
{
#ifndef GF_ARENA_ASAN
    size_t align = sizeof(max_align_t);
    size_t rounded = (size + align - 1) & ~(align - 1);
    if (__builtin_expect(size - 1 < SIZE_MAX / 2 && a->ptr &&
                             (size_t)(a->end - a->ptr) >= rounded, 1)) {
        void *p = a->ptr;
        a->ptr += rounded;
        return p;
    }
#endif
    return arena_alloc(a, size);
}

/* ---- the case ---------------------------------------------------------- */

typedef enum case_status {
    CASE_OK,        /* ran to the end */
    CASE_INVALID,   /* gf_assume failed, filter gave up, too many choices */
    CASE_OVERRUN,   /* ran past max_choices */
    CASE_FAILED,    /* assertion failed or crashed */
} case_status;

/* What to do once a replayed prefix is used up. */
typedef enum tail_mode {
    TAIL_RANDOM,    /* draw with the PRNG (generation) */
    TAIL_SIMPLEST,  /* return the simplest value (shrinking, replay) */
    TAIL_FUZZ,      /* map a fuzzer's bytes onto the choices (fuzz.c) */
} tail_mode;

/* A value the property itself drew, for the report. */
typedef struct drawn {
    const gf_gen *gen;   /* NULL for a direct draw */
    const void *value;
    const char *name;    /* NULL: numbered */
    uint8_t kind;        /* direct draws: the choice kind */
    uint64_t bits;       /* direct draws: the value */
} drawn;

typedef struct gf_run_state gf_run_state;
/* How many earlier values a copy case can copy from. */
#define COPY_SOURCES 16
typedef struct sched_stack sched_stack;

struct gf_case {
    /* input */
    const buffer *prefix;
    size_t pos;          /* next prefix choice */
    tail_mode tail;
    gf_rng rng;
    double size_hint;
    size_t max_choices;
    /* Out of 65536: draws below edge_cut pick a boundary value, below
     * small_cut a small one.  The run lowers them when edges start to
     * repeat (duplicates), so long runs keep finding new cases. */
    uint32_t edge_cut, small_cut;
    unsigned small_bits;  /* widest "small" integer, grows with size_hint */
    /* Nonzero in the small cases after the size ramp: the hint in
     * 1/65536ths, which then also caps a range's small integers at that
     * share of the range's bit width (see random_int). */
    uint32_t range_q;
    /* TAIL_FUZZ: the fuzzer's input and how much of it the draws have
     * consumed; past its end every draw is the simplest value. */
    const uint8_t *fuzz;
    size_t fuzz_len, fuzz_pos;

    /* record */
    buffer rec;
    span *spans;
    size_t nspans, spans_cap;
    bool spans_lent;     /* spans are lent, like a lent buffer's */
    /* In a process that runs one case for a parent (isolate.c): where
     * values and notes are published as they are made, or NULL. */
    struct iso_shared *live;
    uint32_t open_span;  /* innermost open span or UINT32_MAX */
    uint32_t span_depth; /* gf_span_begin calls not yet ended (misuse check) */
    unsigned gen_depth;  /* >0 while inside gf_draw of a generator */
    /* Record choices, spans and constraints.  Only the shrinker needs them,
     * and it replays a failing buffer to get them, so generation skips all
     * three and writes only the buffer's canonical encoding (key), which is
     * what the duplicate check needs. */
    bool structure;
    bytes_vec key;       /* generation: the encoding of the choices so far */
    size_t nchoices;     /* generation: choices made so far */
    bool misaligned;     /* a prefix value did not fit its constraints */

    /* report */
    bool collect;        /* record drawn values and notes */
    drawn *drawn;
    size_t ndrawn, drawn_cap;
    const char *direct_name; /* name for the next direct draw (typed.c) */
    char **notes;
    size_t nnotes, notes_cap;

    /* outcome */
    case_status status;
    char *origin;        /* malloc'd "file:line" or "signal SIGSEGV" */
    char *message;       /* malloc'd */
    const gf_gen *filter_gave_up;

    arena mem;
    jmp_buf *escape;
    gf_run_state *run;
    struct watchdog *watch; /* per-case timeout, or NULL */
    double timeout;         /* its seconds, for the message */

    /* The controlled scheduler (sched.c): the one made in this case, if
     * any; coroutine stacks kept from case to case; and the most steps a
     * PCT run has counted so far (by conflicting steps, by all steps),
     * where generation places its priority change points. */
    struct gf_sched *sched;
    sched_stack *stacks;
    uint64_t pct_steps[2];
    /* Steps the last scheduler of this case took, 0 before one ran (the
     * shrinker bounds its search of schedules by it). */
    uint64_t sched_steps;
    /* The mutexes the property holds while it has no scheduler (in the
     * case's arena), handed to the scheduler it makes. */
    const void **main_held;
    size_t nmain_held, main_held_cap;
    /* The fault points of this case (fault.c), in its arena, or NULL. */
    struct fault_state *faults;

    /* Equal values (copy_begin in draw.c).  In a copy case (copy_values),
     * where the last values drawn are and their generators, coins for
     * whether to copy, and the copy being replayed, if any. */
    uint64_t coins;
    unsigned ncoins;
    bool copy_values;
    unsigned copy_depth;     /* gen_depth of the draw being copied, or 0 */
    unsigned ncopy_src;
    struct copy_src {
        const gf_gen *gen;   /* NULL: one direct draw's choice */
        uint32_t start, end; /* recorded choices; end UINT32_MAX: open */
    } copy_src[COPY_SOURCES];
    buffer copy;
};

GF_INTERNAL void case_init(gf_case *tc);
GF_INTERNAL void case_free(gf_case *tc);
/* Prepare for a new run of the property. */
GF_INTERNAL void case_reset(gf_case *tc, const buffer *prefix, tail_mode tail,
                            double size_hint);
/* Leave the property: status already set.  Does not return. */
GF_INTERNAL GF_NORETURN void case_escape(gf_case *tc);
GF_INTERNAL void case_set_failure(gf_case *tc, char *origin, char *message);
/* Set the size hint (and the widest small integer that goes with it). */
GF_INTERNAL void case_set_size(gf_case *tc, double size_hint);
/* Scale the bias toward edge and small values by 1 / 2^level. */
GF_INTERNAL void case_set_bias_level(gf_case *tc, unsigned level);
/* Room for more spans (lent spans become owned). */
GF_INTERNAL void case_grow_spans(gf_case *tc);
/* Close spans a property left open when it ended or escaped. */
GF_INTERNAL void case_close_open_spans(gf_case *tc);
/* The case running on this thread (gf_current); set by case_execute. */
GF_INTERNAL extern _Thread_local gf_case *current_case
    __attribute__((tls_model("initial-exec")));

/* A uint choice in [lo, hi] that shrinks toward lo like any other, but
 * whose generated value is uniform in [lo, min(g, hi)] with no bias toward
 * edges, where g is gen_hi shifted right by 0..max_shift bits (uniform):
 * for scheduling decisions, which are not data. */
GF_INTERNAL uint64_t draw_uint_spread(gf_case *tc, uint64_t lo, uint64_t hi,
                                      uint64_t gen_hi, unsigned max_shift);

/* The notes made so far, to withdraw the ones made after (a note that was
 * there in case the process died, once it did not). */
typedef struct note_mark {
    size_t nnotes;
    size_t live_used;    /* bytes of the published notes */
} note_mark;
GF_INTERNAL note_mark case_note_mark(const gf_case *tc);
GF_INTERNAL void case_note_rewind(gf_case *tc, note_mark mark);

/* ---- the printer ------------------------------------------------------- */

struct gf_printer {
    char *buf;
    size_t len, cap;
};

GF_INTERNAL void printer_init(gf_printer *p);
GF_INTERNAL void printer_free(gf_printer *p);
/* Take the text (malloc'd, NUL-terminated; "" if empty). */
GF_INTERNAL char *printer_take(gf_printer *p);

/* ---- misc -------------------------------------------------------------- */

GF_INTERNAL GF_NORETURN void gf_oom(void);
/* Nonzero while this thread is inside xmalloc/xrealloc: a wrapped malloc
 * (gadfly/fault_wrap.h, gadfly/fiu.h) must not fail the engine's own
 * allocations. */
GF_INTERNAL extern _Thread_local unsigned engine_allocating;
GF_INTERNAL void *xmalloc(size_t n);
GF_INTERNAL void *xrealloc(void *p, size_t n);
GF_INTERNAL char *xstrdup(const char *s);
GF_INTERNAL char *xasprintf(const char *fmt, ...) GF_PRINTF(1, 2);
GF_INTERNAL char *xvasprintf(const char *fmt, va_list ap);

#endif /* GF_INTERNAL_H */
