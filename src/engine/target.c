/*
 * target.c - gf_target: hill climbing on the choice sequence.
 *
 * The best case of each label is kept as its encoding.  A targeted case
 * decodes one label's best, changes one or two of its choices (a step up
 * or down of any size, small ones most often; a value of another size; a
 * copy or swap of two choices; a copied run of choices; a sorted or
 * reverse-sorted run of integers; a flipped boolean; or a cut after which
 * the case draws at random) and runs that as a prefix.  Values that
 * no longer fit their constraints are mapped to the nearest valid one by
 * the replay itself, so any change is a valid case.  Everything is drawn
 * from the run's PRNG: the same seed climbs the same way.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/dedup.h"
#include "observer.h"
#include "run.h"
#include "target.h"

#define MAX_TARGETS 16

static target_set *targets_of(gf_run_state *r)
{
    if (!r->targets) {
        r->targets = xmalloc(sizeof *r->targets);
        memset(r->targets, 0, sizeof *r->targets);
        buffer_init(&r->targets->mutant);
        r->targets->current = -1;
        r->observing = true;
        if (!r->obs && run_observe.open) {
            gf_options bare = r->opt;
            bare.summary = true;
            r->obs = run_observe.open(&bare, r->prop->name, 0);
            run_observe.keep_summary(r->obs, r->opt.summary || r->opt.stats);
        }
    }
    return r->targets;
}

void target_score(gf_run_state *r, double score, const char *label)
{
    if (!r->counting || isnan(score))
        return;
    target_set *ts = targets_of(r);
    if (!label)
        label = "(null)";
    size_t i = 0;
    while (i < ts->n && strcmp(ts->t[i].label, label) != 0)
        i++;
    if (i == ts->n) {
        if (ts->n == MAX_TARGETS)
            return;
        ts->t = xrealloc(ts->t, (ts->n + 1) * sizeof *ts->t);
        memset(&ts->t[ts->n], 0, sizeof ts->t[0]);
        ts->t[ts->n].label = xstrdup(label);
        ts->n++;
    }
    target_entry *t = &ts->t[i];
    if (!t->scored || score > t->score)
        t->score = score;
    t->scored = true;
}

void target_case_end(gf_run_state *r, const uint8_t *enc, size_t n)
{
    target_set *ts = r->targets;
    bool valid = r->tc.status == CASE_OK || r->tc.status == CASE_FAILED;
    for (size_t i = 0; i < ts->n; i++) {
        target_entry *t = &ts->t[i];
        if (!t->scored)
            continue;
        t->scored = false;
        if (!valid || (t->have_best && t->score < t->best))
            continue;
        t->improved += !t->have_best || t->score > t->best;
        t->best = t->score;
        t->have_best = true;
        bv_reserve(&t->best_key, n);
        if (n)
            memcpy(t->best_key.p, enc, n);
        t->best_key.n = n;
    }
    ts->current = -1;
}

static int compare_signed(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int compare_unsigned(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Sort (or sort in reverse) the values of the choices of b->ch[i]'s kind
 * among b->ch[i, i + len): choices of other kinds stay as they are, so
 * the elements of an array sort between its "one more?" booleans. */
static void order_run(buffer *b, size_t i, size_t len, bool reverse)
{
    uint8_t kind = b->ch[i].kind;
    if (kind != CHOICE_INT && kind != CHOICE_UINT)
        return;
    uint64_t *v = xmalloc(len * sizeof *v);
    size_t n = 0;
    for (size_t k = i; k < i + len; k++)
        if (b->ch[k].kind == kind)
            v[n++] = b->ch[k].value;
    qsort(v, n, sizeof *v,
          kind == CHOICE_INT ? compare_signed : compare_unsigned);
    size_t at = 0;
    for (size_t k = i; k < i + len; k++)
        if (b->ch[k].kind == kind) {
            b->ch[k].value = reverse ? v[n - 1 - at] : v[at];
            at++;
        }
    free(v);
}

/* One change to b, drawn from rng. */
static void mutate(buffer *b, gf_rng *rng)
{
    if (b->n == 0)
        return;
    size_t i = (size_t)gf_rng_below(rng, b->n);
    choice *c = &b->ch[i];
    switch (gf_rng_below(rng, 8)) {
    case 7: { /* sort, or reverse-sort, a run of integers */
        size_t len = 2 + (size_t)gf_rng_below(rng, b->n);
        if (i + len > b->n)
            len = b->n - i;
        order_run(b, i, len, gf_rng_below(rng, 2));
        break;
    }
    case 0: /* a small step */
        if (c->kind == CHOICE_INT || c->kind == CHOICE_UINT) {
            /* Steps of every size, small ones most often. */
            uint64_t width = (uint64_t)1 << gf_rng_below(rng, 40);
            uint64_t d = 1 + gf_rng_below(rng, width);
            c->value = gf_rng_below(rng, 2) ? c->value + d : c->value - d;
            if (c->kind == CHOICE_UINT && (int64_t)c->value < 0 &&
                gf_rng_below(rng, 2))
                c->value = 0;
        } else if (c->kind == CHOICE_BOOL) {
            c->value ^= 1;
        }
        break;
    case 1: /* a value of another size */
        if (c->kind == CHOICE_INT || c->kind == CHOICE_UINT) {
            uint64_t v = gf_rng_next(rng);
            v >>= gf_rng_below(rng, 64); /* apart: one order on any compiler */
            if (c->kind == CHOICE_INT && gf_rng_below(rng, 2))
                v = (uint64_t) - (int64_t)v;
            c->value = v;
        } else if (c->kind == CHOICE_BOOL) {
            c->value ^= 1;
        }
        break;
    case 2: /* copy another choice of the same kind */
    case 3: { /* swap with one */
        size_t j = (size_t)gf_rng_below(rng, b->n);
        if (b->ch[j].kind != c->kind || j == i)
            break;
        if (c->kind == CHOICE_BYTES) {
            choice t = *c;
            *c = b->ch[j];
            b->ch[j] = t;
            break;
        }
        uint64_t v = b->ch[j].value;
        b->ch[j].value = gf_rng_below(rng, 2) ? c->value : v;
        c->value = v;
        break;
    }
    case 4: { /* copy a run of choices over another */
        size_t j = (size_t)gf_rng_below(rng, b->n);
        size_t len = 1 + (size_t)gf_rng_below(rng, 8);
        if (i + len > b->n)
            len = b->n - i;
        if (j + len > b->n)
            len = b->n - j;
        memmove(&b->ch[j], &b->ch[i], len * sizeof *b->ch);
        break;
    }
    case 5: /* flip a boolean: one element more or fewer */
        for (size_t k = i; k < b->n; k++)
            if (b->ch[k].kind == CHOICE_BOOL) {
                b->ch[k].value ^= 1;
                break;
            }
        break;
    default: /* draw at random from here on */
        b->n = i + (gf_rng_below(rng, 4) != 0);
        break;
    }
}

const buffer *target_next(gf_run_state *r)
{
    target_set *ts = r->targets;
    /* One case in eight stays random, to find new hills. */
    if (gf_rng_below(&r->tc.rng, 8) == 0)
        return NULL;
    for (size_t tries = 0; tries < ts->n; tries++) {
        size_t i = ts->next++ % ts->n;
        target_entry *t = &ts->t[i];
        if (!t->have_best ||
            !buffer_decode(t->best_key.p, t->best_key.n, r->tc.max_choices,
                           &ts->mutant))
            continue;
        unsigned changes = 1 + (unsigned)gf_rng_below(&r->tc.rng, 2);
        for (unsigned k = 0; k < changes; k++)
            mutate(&ts->mutant, &r->tc.rng);
        ts->current = (int)i;
        return &ts->mutant;
    }
    return NULL;
}

const char *target_current(const gf_run_state *r)
{
    const target_set *ts = r->targets;
    return ts && ts->current >= 0 ? ts->t[ts->current].label : NULL;
}

void target_finish(gf_run_state *r)
{
    target_set *ts = r->targets;
    if (!ts || !r->obs)
        return;
    buffer b;
    buffer_init(&b);
    for (size_t i = 0; i < ts->n; i++) {
        target_entry *t = &ts->t[i];
        if (!t->have_best ||
            !buffer_decode(t->best_key.p, t->best_key.n, SIZE_MAX, &b))
            continue;
        r->tc.collect = true;
        uint32_t origin = 0;
        run_buffer(r, &b, &origin);
        r->tc.collect = false;
        char *values = run_format_values(r);
        char *token = token_from_encoding(r->prop->name, t->best_key.p,
                                          t->best_key.n);
        run_observe.set_target(r->obs, t->label, t->best, values, token);
        free(values);
        free(token);
    }
    buffer_free(&b);
}

void target_free(target_set *ts)
{
    if (!ts)
        return;
    for (size_t i = 0; i < ts->n; i++) {
        free(ts->t[i].label);
        bv_free(&ts->t[i].best_key);
    }
    free(ts->t);
    buffer_free(&ts->mutant);
    free(ts);
}
