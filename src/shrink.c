/*
 * shrink.c - turning a failing buffer into a minimal one.
 *
 * The shrinker only ever edits the choice sequence and asks the property
 * again; it never looks at values.  A candidate is accepted when it fails
 * with the same origin and its recording is smaller in shortlex order, so
 * every accepted step makes progress and the loop ends.  Outcomes of every
 * buffer already run are looked up, not re-run.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "run.h"

typedef struct shrinker {
    gf_run_state *run;
    uint32_t origin;
    buffer *best;
    span *spans;        /* spans of best */
    size_t nspans;
    buffer cand;
    uint64_t max_calls;
    double deadline;
    bool stop;
} shrinker;

static void keep_spans(shrinker *s, const gf_case *tc)
{
    free(s->spans);
    s->nspans = tc->nspans;
    s->spans = xmalloc((s->nspans ? s->nspans : 1) * sizeof *s->spans);
    if (s->nspans)
        memcpy(s->spans, tc->spans, s->nspans * sizeof *s->spans);
}

static bool out_of_budget(shrinker *s)
{
    gf_run_state *r = s->run;
    if (s->stop)
        return true;
    if (r->shrink_calls >= s->max_calls ||
        ((r->shrink_calls & 15) == 0 && now_seconds() > s->deadline)) {
        s->stop = true;
        r->shrink_budget_hit = true;
    }
    return s->stop;
}

/* Try a candidate; true if it replaced best. */
static bool consider(shrinker *s, const buffer *cand)
{
    gf_run_state *r = s->run;
    if (buffer_compare(cand, s->best) >= 0 || out_of_budget(s))
        return false;
    r->key.n = 0;
    buffer_encode(cand, &r->key);
    uint32_t known;
    if (seen_check(&r->seen, r->key.p, r->key.n, SEEN_INVALID, &known))
        return false;
    uint32_t origin = 0;
    case_status st = run_buffer(r, cand, &origin);
    r->shrink_calls++;
    uint32_t outcome = run_outcome(r);
    seen_set_value(&r->seen, r->key.p, r->key.n, outcome);
    r->key.n = 0;
    buffer_encode(&r->tc.rec, &r->key);
    seen_set_value(&r->seen, r->key.p, r->key.n, outcome);
    if (st != CASE_FAILED || origin != s->origin ||
        buffer_compare(&r->tc.rec, s->best) >= 0)
        return false;
    buffer_copy(s->best, &r->tc.rec);
    keep_spans(s, &r->tc);
    r->shrinks++;
    return true;
}

/* best without choices [start, end). */
static bool try_delete(shrinker *s, size_t start, size_t end)
{
    buffer *c = &s->cand;
    const buffer *b = s->best;
    buffer_clear(c);
    for (size_t i = 0; i < b->n; i++)
        if (i < start || i >= end)
            *buffer_push(c) = b->ch[i];
    buffer_push_bytes(c, b->bytes, b->nbytes);
    return consider(s, c);
}

/* best with choice i's value replaced. */
static bool try_value(shrinker *s, size_t i, uint64_t value)
{
    buffer_copy(&s->cand, s->best);
    s->cand.ch[i].value = value;
    return consider(s, &s->cand);
}

static bool delete_spans(shrinker *s)
{
    bool any = false;
    for (size_t k = s->nspans; k-- > 0;) {
        if (k >= s->nspans)
            k = s->nspans - 1;
        if (s->nspans == 0 || out_of_budget(s))
            break;
        const span *sp = &s->spans[k];
        if (sp->end > sp->start && try_delete(s, sp->start, sp->end))
            any = true;
    }
    return any;
}

static bool delete_discarded(shrinker *s)
{
    /* All discarded spans at once, outermost first. */
    buffer *c = &s->cand;
    const buffer *b = s->best;
    bool *drop = calloc(b->n ? b->n : 1, sizeof *drop);
    if (!drop)
        gf_oom();
    bool found = false;
    for (size_t k = 0; k < s->nspans; k++)
        if (s->spans[k].discard)
            for (uint32_t i = s->spans[k].start; i < s->spans[k].end; i++)
                drop[i] = found = true;
    bool ok = false;
    if (found) {
        buffer_clear(c);
        for (size_t i = 0; i < b->n; i++)
            if (!drop[i])
                *buffer_push(c) = b->ch[i];
        buffer_push_bytes(c, b->bytes, b->nbytes);
        ok = consider(s, c);
    }
    free(drop);
    return ok;
}

static bool delete_choices(shrinker *s, size_t width)
{
    bool any = false;
    for (size_t i = s->best->n; i-- > 0;) {
        if (out_of_budget(s))
            break;
        if (i + width > s->best->n)
            continue;
        if (try_delete(s, i, i + width))
            any = true;
    }
    return any;
}

/* Still an integer choice of this kind at i? */
static bool is_kind(const shrinker *s, size_t i, choice_kind kind)
{
    return i < s->best->n && s->best->ch[i].kind == kind &&
           !s->best->ch[i].forced;
}

static bool minimise_int(shrinker *s, size_t i)
{
    choice_kind kind = s->best->ch[i].kind;
    bool sg = kind == CHOICE_INT;
    const choice *c = &s->best->ch[i];
    uint64_t cur = int_index(&c->spec, sg, c->value);
    if (cur == 0)
        return false;
    choice_spec spec = c->spec;
    if (try_value(s, i, int_from_index(&spec, sg, 0)))
        return true;
    if (!is_kind(s, i, kind))
        return false;
    /* Binary search for the smallest failing index below cur; lo is known
     * not to fail (or not to shrink), hi fails. */
    uint64_t lo = 0, hi = cur;
    bool any = false;
    while (lo + 1 < hi && !out_of_budget(s)) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (try_value(s, i, int_from_index(&spec, sg, mid))) {
            any = true;
            if (!is_kind(s, i, kind))
                return true;
            hi = int_index(&spec, sg, s->best->ch[i].value);
            if (hi > mid)
                hi = mid;
        } else {
            lo = mid;
        }
    }
    return any;
}

/* Fewer fraction bits first: round x to k significant bits below its
 * leading one, for k = 0, 1, ..., and keep the first rounding that fails.
 * The key order is not monotone in value, so a binary search alone would
 * miss the simplest value inside a failing interval. */
static bool round_fraction_bits(shrinker *s, size_t i, double x,
                                const choice_spec *spec)
{
    int e;
    frexp(fabs(x), &e);
    for (int k = 0; k < 53 && !out_of_budget(s); k++) {
        double step = ldexp(1.0, e - 1 - k);
        double down = floor(x / step) * step, up = ceil(x / step) * step;
        double cands[2] = {fabs(down) <= fabs(up) ? down : up,
                           fabs(down) <= fabs(up) ? up : down};
        for (int c = 0; c < 2; c++) {
            double y = cands[c];
            if (double_to_bits(y) == double_to_bits(x))
                return false; /* already as simple as this rounding gets */
            if (double_fits(spec, y) && double_key(y) < double_key(x) &&
                try_value(s, i, double_to_bits(y)))
                return true;
            if (!is_kind(s, i, CHOICE_DOUBLE))
                return false;
        }
    }
    return false;
}

static bool minimise_double(shrinker *s, size_t i)
{
    const choice *c = &s->best->ch[i];
    choice_spec spec = c->spec;
    double x = bits_to_double(c->value);
    double simplest = double_simplest(&spec);
    if (double_to_bits(x) == double_to_bits(simplest))
        return false;
    if (try_value(s, i, double_to_bits(simplest)))
        return true;
    bool any = false;
    if (signbit(x) && double_fits(&spec, -x) &&
        try_value(s, i, double_to_bits(-x))) {
        any = true;
        x = -x;
    }
    if (!is_kind(s, i, CHOICE_DOUBLE))
        return any;
    if (isfinite(x) && x != trunc(x) && double_fits(&spec, trunc(x)) &&
        try_value(s, i, double_to_bits(trunc(x)))) {
        any = true;
        x = trunc(x);
    }
    if (!is_kind(s, i, CHOICE_DOUBLE))
        return any;
    x = bits_to_double(s->best->ch[i].value);
    if (isfinite(x) && x != 0 && round_fraction_bits(s, i, x, &spec))
        return true;
    bool neg = signbit(x);
    uint64_t lo = 0, hi = double_key(x);
    while (lo + 1 < hi && !out_of_budget(s)) {
        uint64_t mid = lo + (hi - lo) / 2;
        double y = double_from_key(mid);
        if (neg)
            y = -y;
        if (double_fits(&spec, y) && try_value(s, i, double_to_bits(y))) {
            any = true;
            if (!is_kind(s, i, CHOICE_DOUBLE))
                return true;
            hi = double_key(bits_to_double(s->best->ch[i].value));
            if (hi > mid)
                hi = mid;
        } else {
            lo = mid;
        }
    }
    return any;
}

/* best with bytes choice i replaced by data[0..len). */
static bool try_bytes(shrinker *s, size_t i, const uint8_t *data, size_t len)
{
    buffer_copy(&s->cand, s->best);
    s->cand.ch[i].len = (uint32_t)len;
    s->cand.ch[i].value = buffer_push_bytes(&s->cand, data, len);
    return consider(s, &s->cand);
}

static bool minimise_bytes(shrinker *s, size_t i)
{
    bool any = false;
    size_t len = s->best->ch[i].len;
    uint8_t *work = xmalloc(len + 1);
    memcpy(work, buffer_bytes(s->best, &s->best->ch[i]), len);
    /* Shorter first: drop halves, then single bytes, from the end. */
    for (size_t w = len / 2; w >= 1 && !out_of_budget(s); w /= 2) {
        for (size_t at = len; at >= w && !out_of_budget(s);) {
            at -= w;
            uint8_t *tmp = xmalloc(len + 1);
            memcpy(tmp, work, at);
            memcpy(tmp + at, work + at + w, len - at - w);
            if (try_bytes(s, i, tmp, len - w)) {
                memcpy(work, tmp, len - w);
                len -= w;
                any = true;
                if (at > len)
                    at = len;
            }
            free(tmp);
            if (!is_kind(s, i, CHOICE_BYTES) || s->best->ch[i].len != len)
                goto done;
        }
        if (w == 1)
            break;
    }
    /* Then each byte toward zero. */
    for (size_t k = 0; k < len && !out_of_budget(s); k++) {
        uint8_t lo = 0, hi = work[k];
        if (hi == 0)
            continue;
        uint8_t orig = work[k];
        work[k] = 0;
        if (try_bytes(s, i, work, len)) {
            any = true;
        } else {
            work[k] = orig;
            while (lo + 1 < hi && !out_of_budget(s)) {
                uint8_t mid = (uint8_t)(lo + (hi - lo) / 2);
                work[k] = mid;
                if (try_bytes(s, i, work, len)) {
                    any = true;
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            work[k] = hi;
        }
        if (!is_kind(s, i, CHOICE_BYTES) || s->best->ch[i].len != len)
            break;
    }
done:
    free(work);
    return any;
}

static bool minimise_choices(shrinker *s)
{
    bool any = false;
    for (size_t i = 0; i < s->best->n && !out_of_budget(s); i++) {
        const choice *c = &s->best->ch[i];
        if (c->forced)
            continue;
        switch (c->kind) {
        case CHOICE_INT:
        case CHOICE_UINT:
            any |= minimise_int(s, i);
            break;
        case CHOICE_BOOL:
            if (c->value)
                any |= try_value(s, i, 0);
            break;
        case CHOICE_DOUBLE:
            any |= minimise_double(s, i);
            break;
        case CHOICE_BYTES:
            any |= minimise_bytes(s, i);
            break;
        }
    }
    return any;
}

/* best with every unforced integer choice of `kind` equal to v, from i on,
 * set to nv. */
static bool try_equal(shrinker *s, size_t i, choice_kind kind, uint64_t v,
                      uint64_t nv)
{
    bool sg = kind == CHOICE_INT;
    buffer_copy(&s->cand, s->best);
    for (size_t j = i; j < s->cand.n; j++) {
        choice *c = &s->cand.ch[j];
        if (c->kind == kind && c->value == v && !c->forced)
            c->value = int_clamp(&c->spec, sg, nv, sg);
    }
    return consider(s, &s->cand);
}

/* Lower every integer choice equal to the same value together, so that
 * "two equal elements" shrinks without breaking their equality. */
static bool lower_equal(shrinker *s)
{
    bool any = false;
    for (size_t i = 0; i < s->best->n && !out_of_budget(s); i++) {
        const choice *c = &s->best->ch[i];
        if ((c->kind != CHOICE_INT && c->kind != CHOICE_UINT) || c->forced)
            continue;
        choice_kind kind = c->kind;
        uint64_t v = c->value;
        size_t same = 0;
        for (size_t j = i + 1; j < s->best->n; j++)
            same += s->best->ch[j].kind == kind && s->best->ch[j].value == v;
        if (!same)
            continue;
        bool sg = kind == CHOICE_INT;
        choice_spec spec = c->spec;
        uint64_t lo = 0, hi = int_index(&spec, sg, v);
        if (hi == 0)
            continue;
        uint64_t simplest = int_from_index(&spec, sg, 0);
        if (try_equal(s, i, kind, v, simplest)) {
            any = true;
            continue;
        }
        while (lo + 1 < hi && !out_of_budget(s)) {
            uint64_t mid = lo + (hi - lo) / 2;
            uint64_t nv = int_from_index(&spec, sg, mid);
            if (try_equal(s, i, kind, v, nv)) {
                any = true;
                v = nv;
                hi = mid;
                if (!is_kind(s, i, kind) || s->best->ch[i].value != v)
                    break;
            } else {
                lo = mid;
            }
        }
    }
    return any;
}

/* best with d moved from integer choice i to choice j: i goes d toward its
 * target (down if `down`, else up) and j d the other way, so their sum is
 * kept; false if either would leave its range. */
static bool try_move(shrinker *s, size_t i, size_t j, uint64_t d, bool down)
{
    const choice *a = &s->best->ch[i], *b = &s->best->ch[j];
    bool sg = a->kind == CHOICE_INT;
    uint64_t na = down ? a->value - d : a->value + d;
    uint64_t nb = down ? b->value + d : b->value - d;
    /* In offset order (signed values with the sign bit flipped) a move must
     * not wrap around. */
    uint64_t flip = sg ? SIGN_BIT : 0;
    uint64_t oa = a->value ^ flip, ob = b->value ^ flip;
    uint64_t ona = na ^ flip, onb = nb ^ flip;
    if (down ? (ona > oa || onb < ob) : (ona < oa || onb > ob))
        return false;
    if (!int_fits(&a->spec, sg, na) || !int_fits(&b->spec, sg, nb))
        return false;
    buffer_copy(&s->cand, s->best);
    s->cand.ch[i].value = na;
    s->cand.ch[j].value = nb;
    return consider(s, &s->cand);
}

/* Move value from an earlier integer choice to a later one, so that sums
 * which must stay above a bound still shrink: {999, 1} becomes {0, 1000}. */
static bool move_value(shrinker *s)
{
    bool any = false;
    for (size_t i = 0; i < s->best->n && !out_of_budget(s); i++) {
        for (size_t j = i + 1; j < s->best->n && j <= i + 8; j++) {
            const choice *a = &s->best->ch[i], *b = &s->best->ch[j];
            if (a->forced || b->forced || a->kind != b->kind ||
                (a->kind != CHOICE_INT && a->kind != CHOICE_UINT))
                continue;
            choice_kind kind = a->kind;
            uint64_t flip = kind == CHOICE_INT ? SIGN_BIT : 0;
            uint64_t oa = a->value ^ flip, ot = a->spec.target ^ flip;
            if (oa == ot)
                continue;
            bool down = oa > ot;
            uint64_t all = down ? oa - ot : ot - oa;
            /* a and b point into best, which a success replaces. */
            if (try_move(s, i, j, all, down)) {
                any = true;
                continue;
            }
            /* The largest amount that still fails, by binary search. */
            uint64_t lo = 0, hi = all;
            while (lo + 1 < hi && !out_of_budget(s)) {
                uint64_t mid = lo + (hi - lo) / 2;
                if (!is_kind(s, i, kind) || !is_kind(s, j, kind))
                    break;
                if (try_move(s, i, j, mid - lo, down)) {
                    any = true;
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
        }
    }
    return any;
}

void shrink_failure(gf_run_state *r, buffer *best, uint32_t origin)
{
    shrinker s = {.run = r, .origin = origin, .best = best};
    buffer_init(&s.cand);
    s.max_calls = r->shrink_calls +
                  (r->opt.max_shrink_calls ? r->opt.max_shrink_calls : 5000);
    s.deadline = now_seconds() +
                 (r->opt.max_shrink_seconds > 0 ? r->opt.max_shrink_seconds : 60);
    /* Generation records neither spans nor full constraints: run best once
     * with them.  A failure that does not come back is flaky, and is not
     * shrunk (the final replay reports it). */
    uint32_t o = 0;
    bool progress = false;
    if (run_buffer(r, best, &o) == CASE_FAILED && o == origin) {
        buffer_copy(best, &r->tc.rec);
        keep_spans(&s, &r->tc);
        progress = true;
    }
    while (progress && !out_of_budget(&s)) {
        progress = false;
        progress |= delete_discarded(&s);
        progress |= delete_spans(&s);
        progress |= minimise_choices(&s);
        progress |= lower_equal(&s);
        if (!progress)
            progress |= move_value(&s);
        if (!progress) {
            progress |= delete_choices(&s, 2);
            progress |= delete_choices(&s, 1);
        }
    }
    free(s.spans);
    buffer_free(&s.cand);
}
