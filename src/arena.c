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

#include "internal.h"

#define ARENA_BLOCK 65536u

struct arena_block {
    arena_block *next;
    size_t size;
    max_align_t data[];
};

void gf_oom(void)
{
    fputs("gadfly: out of memory\n", stderr);
    exit(3);
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
        free(b);
        b = next;
    }
}

void arena_reset(arena *a)
{
    arena_block *b = a->head;
    /* The common case: one standard block, kept and rewound. */
    if (b && !b->next && b->size == ARENA_BLOCK) {
        a->ptr = (unsigned char *)b->data;
        return;
    }
    /* Otherwise keep one standard block in place, the others as spares for
     * the next case; oversized ones go back to malloc. */
    arena_block *keep = NULL;
    while (b) {
        arena_block *next = b->next;
        if (b->size != ARENA_BLOCK) {
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
    a->head = keep;
    a->ptr = keep ? (unsigned char *)keep->data : NULL;
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
    }
    b->next = a->head;
    a->head = b;
    a->ptr = (unsigned char *)b->data + size;
    a->end = (unsigned char *)b->data + b->size;
    return b->data;
}

void *arena_alloc(arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    if (size > SIZE_MAX / 2)
        gf_oom();
    size = (size + align - 1) & ~(align - 1);
    if (size == 0)
        size = align;
    if ((size_t)(a->end - a->ptr) >= size && a->ptr) {
        void *p = a->ptr;
        a->ptr += size;
        return p;
    }
    return arena_grow(a, size);
}
