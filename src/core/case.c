/*
 * case.c - the test case: its recorded buffer, spans, arena and report,
 * and leaving the property when the case ends early.  Running a property
 * on a case, with crashes caught, is engine/execute.c.  Nothing here
 * allocates per case once warmed up.
 */
#include <stdlib.h>
#include <string.h>

#include "hooks.h"
#include "internal.h"

/* ---- buffers ------------------------------------------------------------ */

void buffer_init(buffer *b)
{
    memset(b, 0, sizeof *b);
}

void buffer_free(buffer *b)
{
    if (!b->lent) {
        free(b->ch);
        free(b->bytes);
    }
    buffer_init(b);
}

/* A lent buffer that must grow becomes an owned one. */
static void buffer_own(buffer *b)
{
    if (!b->lent)
        return;
    choice *ch = xmalloc((b->cap ? b->cap : 1) * sizeof *ch);
    memcpy(ch, b->ch, b->n * sizeof *ch);
    uint8_t *bytes = xmalloc(b->bcap ? b->bcap : 1);
    memcpy(bytes, b->bytes, b->nbytes);
    b->ch = ch;
    b->bytes = bytes;
    b->lent = false;
}

void buffer_clear(buffer *b)
{
    b->n = 0;
    b->nbytes = 0;
}

void buffer_grow(buffer *b)
{
    buffer_own(b);
    b->cap = b->cap ? 2 * b->cap : 64;
    b->ch = xrealloc(b->ch, b->cap * sizeof *b->ch);
}

uint32_t buffer_push_bytes(buffer *b, const uint8_t *data, size_t len)
{
    if (len > UINT32_MAX - b->nbytes)
        gf_oom();
    if (b->nbytes + len > b->bcap) {
        buffer_own(b);
        size_t cap = b->bcap ? b->bcap : 256;
        while (cap < b->nbytes + len)
            cap *= 2;
        b->bytes = xrealloc(b->bytes, cap);
        b->bcap = cap;
    }
    uint32_t off = (uint32_t)b->nbytes;
    if (len)
        memcpy(b->bytes + off, data, len);
    b->nbytes += len;
    return off;
}

const uint8_t *buffer_bytes(const buffer *b, const choice *c)
{
    static const uint8_t none[1];
    return c->len ? b->bytes + c->value : none;
}

void buffer_copy(buffer *dst, const buffer *src)
{
    buffer_clear(dst);
    for (size_t i = 0; i < src->n; i++)
        *buffer_push(dst) = src->ch[i];
    buffer_push_bytes(dst, src->bytes, src->nbytes);
}

/* ---- the case ----------------------------------------------------------- */

/* initial-exec: a plain %fs load per use, not a __tls_get_addr call. */
_Thread_local gf_case *current_case __attribute__((tls_model("initial-exec")));

gf_case *gf_current(void)
{
    return current_case;
}

core_hooks core_up;

void case_init(gf_case *tc)
{
    memset(tc, 0, sizeof *tc);
    buffer_init(&tc->rec);
    buffer_init(&tc->copy);
    arena_init(&tc->mem);
    tc->open_span = UINT32_MAX;
    tc->max_choices = 8192;
    case_set_bias_level(tc, 0);
}

void case_set_bias_level(gf_case *tc, unsigned level)
{
    tc->edge_cut = 16384u >> level;
    tc->small_cut = tc->edge_cut + (24576u >> level);
}

void case_set_size(gf_case *tc, double size_hint)
{
    tc->size_hint = size_hint;
    tc->small_bits = 6 + (unsigned)(size_hint * 58.0);
}

static void clear_report(gf_case *tc)
{
    for (size_t i = 0; i < tc->nnotes; i++)
        free(tc->notes[i]);
    tc->nnotes = 0;
    tc->ndrawn = 0;
    tc->direct_name = NULL;
    free(tc->origin);
    free(tc->message);
    tc->origin = tc->message = NULL;
}

void case_free(gf_case *tc)
{
    clear_report(tc);
    free(tc->notes);
    free(tc->drawn);
    if (!tc->spans_lent)
        free(tc->spans);
    bv_free(&tc->key);
    if (core_up.free_sched)
        core_up.free_sched(tc);
    buffer_free(&tc->rec);
    buffer_free(&tc->copy);
    arena_free(&tc->mem);
    memset(tc, 0, sizeof *tc);
}

void case_reset(gf_case *tc, const buffer *prefix, tail_mode tail,
                double size_hint)
{
    if (__builtin_expect(tc->rec.lent, 0))
        core_up.live_reset(tc);
    tc->prefix = prefix;
    tc->pos = 0;
    tc->tail = tail;
    case_set_size(tc, size_hint);
    tc->range_q = 0;
    buffer_clear(&tc->rec);
    tc->nspans = 0;
    tc->open_span = UINT32_MAX;
    tc->span_depth = 0;
    tc->gen_depth = 0;
    tc->structure = true;
    tc->key.n = 0;
    tc->nchoices = 0;
    tc->misaligned = false;
    tc->sched_steps = 0;
    tc->ncoins = 0;
    tc->copy_values = false;
    tc->copy_depth = 0;
    tc->ncopy_src = 0;
    tc->status = CASE_OK;
    tc->filter_gave_up = NULL;
    /* sched and main_held: cleared as each case ends (case_execute). */
    if (tc->nnotes || tc->ndrawn || tc->origin || tc->message)
        clear_report(tc);
    if (tc->mem.head)
        arena_rewind(&tc->mem);
}

void case_grow_spans(gf_case *tc)
{
    size_t cap = tc->spans_cap ? 2 * tc->spans_cap : 64;
    span *spans = xmalloc(cap * sizeof *spans);
    if (tc->nspans)
        memcpy(spans, tc->spans, tc->nspans * sizeof *spans);
    if (!tc->spans_lent)
        free(tc->spans);
    tc->spans = spans;
    tc->spans_cap = cap;
    tc->spans_lent = false;
}

void case_set_failure(gf_case *tc, char *origin, char *message)
{
    free(tc->origin);
    free(tc->message);
    tc->origin = origin;
    tc->message = message;
    tc->status = CASE_FAILED;
}

void case_escape(gf_case *tc)
{
    if (tc->escape)
        longjmp(*tc->escape, 1);
    /* A draw or assertion outside gf_run: nothing to return to. */
    if (core_up.say_fatal) {
        char *what = xasprintf("%s%s%s", tc->origin ? tc->origin : "",
                               tc->origin ? ": " : "",
                               tc->message ? tc->message
                                           : "case ended outside a property run");
        core_up.say_fatal(what);
        free(what);
    }
    abort();
}

void case_close_open_spans(gf_case *tc)
{
    while (tc->open_span != UINT32_MAX)
        gf_span_end(tc, false);
}
