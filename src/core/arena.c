/*
 * arena.c - the per-case arena and the engine's allocation helpers.
 *
 * Every value a case hands out comes from its arena, released all at once
 * when the case is reset.  Blocks are kept between cases, so a run in a
 * steady state allocates nothing per case.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hooks.h"
#include "internal.h"

#define ARENA_BLOCK 65536u

/* Under AddressSanitizer the arena is poisoned except for the blocks
 * handed out, each exactly as large as asked: an overflow of a gf_alloc
 * block, or a value used after its case ended, is reported as an
 * overflow of malloc's would be.  Elsewhere these cost nothing. */
#ifdef GF_ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

struct arena_block {
    arena_block *next;
    size_t size;
    max_align_t data[];
};

/* Memory ran out.  In a case, the case fails with origin "error" and the
 * run ends with GF_ERROR, so a program that called gf_run goes on; the
 * case's own failure may need memory too, and failing there as well (or
 * outside any case) aborts. */
void gf_oom(void)
{
    static _Thread_local bool failing;
    gf_case *tc = current_case;
    if (tc && tc->escape && !failing) {
        failing = true;
        char *origin = xstrdup("error");
        char *message = xstrdup("out of memory while running a case");
        failing = false;
        case_set_failure(tc, origin, message);
        case_escape(tc);
    }
    if (core_up.say_fatal)
        core_up.say_fatal("out of memory");
    abort();
}

_Thread_local unsigned engine_allocating;

void *xmalloc(size_t n)
{
    engine_allocating++;
    void *p = malloc(n ? n : 1);
    engine_allocating--;
    if (!p)
        gf_oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    engine_allocating++;
    void *q = realloc(p, n ? n : 1);
    engine_allocating--;
    if (!q)
        gf_oom();
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

char *xvasprintf(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return xstrdup("(unformattable message)");
    char *s = xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

void arena_init(arena *a)
{
    memset(a, 0, sizeof *a);
}

static void free_blocks(arena_block *b)
{
    while (b) {
        arena_block *next = b->next;
        UNPOISON(b->data, b->size);
        free(b);
        b = next;
    }
}

void arena_reset(arena *a)
{
#ifdef GF_ARENA_ASAN
    /* Every block back to malloc: AddressSanitizer keeps freed memory out
     * of use for a while, so a pointer kept from this case into the next
     * is a use after free it reports, not memory quietly handed out
     * again. */
    arena_free(a);
    return;
#endif
    arena_block *b = a->head;
    /* The common case: one standard block, kept and rewound. */
    if (b && !b->next && b->size == ARENA_BLOCK) {
        a->ptr = a->base = (unsigned char *)b->data;
        POISON(b->data, b->size);
        return;
    }
    /* Otherwise keep one standard block in place, the others as spares for
     * the next case; oversized ones go back to malloc. */
    arena_block *keep = NULL;
    while (b) {
        arena_block *next = b->next;
        if (b->size != ARENA_BLOCK) {
            UNPOISON(b->data, b->size);
            free(b);
        } else if (!keep) {
            keep = b;
            keep->next = NULL;
        } else {
            b->next = a->spare;
            a->spare = b;
        }
        b = next;
    }
    for (arena_block *k = keep; k; k = k->next)
        POISON(k->data, k->size);
    for (arena_block *sp = a->spare; sp; sp = sp->next)
        POISON(sp->data, sp->size);
    a->head = keep;
    a->ptr = a->base = keep ? (unsigned char *)keep->data : NULL;
    a->end = keep ? (unsigned char *)keep->data + keep->size : NULL;
}

void arena_free(arena *a)
{
    free_blocks(a->head);
    free_blocks(a->spare);
    arena_init(a);
}

static void *arena_grow(arena *a, size_t size)
{
    arena_block *b;
    if (size <= ARENA_BLOCK && a->spare) {
        b = a->spare;
        a->spare = b->next;
    } else {
        size_t bsize = size > ARENA_BLOCK ? size : ARENA_BLOCK;
        if (bsize > SIZE_MAX - sizeof *b)
            gf_oom();
        b = xmalloc(sizeof *b + bsize);
        b->size = bsize;
        POISON(b->data, b->size);
    }
    b->next = a->head;
    a->head = b;
    /* The one standard block a steady run keeps, or more than one. */
    a->base = !b->next && b->size == ARENA_BLOCK ? (unsigned char *)b->data
                                                  : NULL;
    a->ptr = (unsigned char *)b->data + size;
    a->end = (unsigned char *)b->data + b->size;
    return b->data;
}

void *arena_alloc(arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    if (size > SIZE_MAX / 2)
        gf_oom();
    size_t asked = size;
    size = (size + align - 1) & ~(align - 1);
    if (size == 0)
        size = align;
    void *p;
    if ((size_t)(a->end - a->ptr) >= size && a->ptr) {
        p = a->ptr;
        a->ptr += size;
    } else {
        p = arena_grow(a, size);
    }
    UNPOISON(p, asked);
    return p;
}
