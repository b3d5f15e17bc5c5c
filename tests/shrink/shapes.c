/*
 * shapes.c - Gadfly's own shrinking challenges: shapes of input that the
 * public challenges (challenges.c) leave out, each one a class that real
 * properties draw, with the ideal argued beside its check.
 *
 * The order is Gadfly's (fewer choices first, then each choice by its
 * index), as in challenges.c.  Each ideal below is the smallest failing
 * case in that order: the argument says why nothing smaller fails and why
 * the ideal does.  Where a shape is there for one pass of the shrinker, the
 * comment names the difficulty, not the pass: a shrinker is measured on
 * what it reaches.
 *
 * Like challenges.c, this file uses the public API only, captures every
 * value before it asserts, and is not thread-safe.
 */
#include "shapes.h"
#include "capture.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gadfly/payload.h>
#include <gadfly/sched.h>

/* ------------------------------------------------------------------------ */
/* ignored_bytes: a property draws a blob it never looks at, then two ints, */
/* and fails when b > a.  The blob comes first, so deleting its choice      */
/* would hand its slot to a.  Ideal: data = "", a = 0, b = 1: the blob at   */
/* its shortest (a one-byte "\0" is a longer choice than ""), a at 0, and   */
/* b the smallest value above it.                                           */
/* ------------------------------------------------------------------------ */

static size_t ignored_len;
static int64_t ignored_a, ignored_b;
static uint8_t ignored_first;

void ignored_bytes_property(gf_case *tc)
{
    size_t len;
    const uint8_t *data = gf_draw_bytes(tc, 0, 64, &len);
    ignored_len = len;
    ignored_first = len ? data[0] : 0;
    ignored_a = gf_draw_int(tc, 0, 1000);
    ignored_b = gf_draw_int(tc, 0, 1000);
    GF_ASSERT(tc, ignored_b <= ignored_a);
}

bool ignored_bytes_is_ideal(void)
{
    return ignored_len == 0 && ignored_a == 0 && ignored_b == 1;
}

char *ignored_bytes_describe(void)
{
    text t = {0};
    text_add(&t, "data of %zu bytes (first 0x%02x), a = %" PRId64
                 ", b = %" PRId64,
             ignored_len, ignored_first, ignored_a, ignored_b);
    return text_take(&t);
}

/* ------------------------------------------------------------------------ */
/* equal_strings: two ASCII strings that must be equal and at least two     */
/* characters long.  Every character is a span of several choices (its     */
/* "one more?" flag, a "tricky character?" flag, an index), so a character  */
/* can only become simpler in both strings at once.  Ideal: ("aa", "aa"):   */
/* two characters each, and 'a' is gf_ascii's simplest character.           */
/* ------------------------------------------------------------------------ */

static char equal_s[64], equal_t[64];

static void copy_text(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}

void equal_strings_property(gf_case *tc)
{
    const char *s = gf_draw_named(tc, gf_ascii(0, 8), "s");
    const char *t = gf_draw_named(tc, gf_ascii(0, 8), "t");
    copy_text(equal_s, sizeof equal_s, s);
    copy_text(equal_t, sizeof equal_t, t);
    GF_ASSERT(tc, strlen(s) < 2 || strcmp(s, t) != 0);
}

bool equal_strings_is_ideal(void)
{
    return strcmp(equal_s, "aa") == 0 && strcmp(equal_t, "aa") == 0;
}

char *equal_strings_describe(void)
{
    text t = {0};
    text_add(&t, "(\"%s\", \"%s\")", equal_s, equal_t);
    return text_take(&t);
}

/* ------------------------------------------------------------------------ */
/* equal_doubles: two doubles that must be equal and above 1.5.  Lowering  */
/* one alone breaks the equality.  Ideal: (2.0, 2.0): integers come before  */
/* fractions in the order of doubles, and 2 is the smallest integer above   */
/* 1.5; 1.75 and the like are later.                                       */
/* ------------------------------------------------------------------------ */

static double equal_x, equal_y;

void equal_doubles_property(gf_case *tc)
{
    equal_x = *(const double *)gf_draw_named(tc, gf_double(), "x");
    equal_y = *(const double *)gf_draw_named(tc, gf_double(), "y");
    GF_ASSERT(tc, !(equal_x == equal_y && equal_x > 1.5));
}

bool equal_doubles_is_ideal(void)
{
    return equal_x == 2.0 && equal_y == 2.0;
}

char *equal_doubles_describe(void)
{
    text t = {0};
    text_add(&t, "(%.17g, %.17g)", equal_x, equal_y);
    return text_take(&t);
}

/* ------------------------------------------------------------------------ */
/* json_nul_key: a JSON document from gf_json_tree fails when some object   */
/* key anywhere holds a NUL byte.  Ideal: {"\u0000":null}: one object with  */
/* one member (an array or a second member is more choices), its key the    */
/* one character U+0000, its value null, the simplest JSON value.          */
/* ------------------------------------------------------------------------ */

static char json_last[512];

static void json_capture(text *t, const gf_json *v)
{
    switch (v->kind) {
    case GF_JSON_NULL:
        text_add(t, "null");
        break;
    case GF_JSON_FALSE:
        text_add(t, "false");
        break;
    case GF_JSON_TRUE:
        text_add(t, "true");
        break;
    case GF_JSON_NUMBER:
        text_add(t, "%s", v->text);
        break;
    case GF_JSON_STRING:
        text_add(t, "\"%zu bytes\"", v->len);
        break;
    case GF_JSON_ARRAY:
        text_add(t, "[");
        for (size_t i = 0; i < v->count; i++) {
            text_add(t, "%s", i ? "," : "");
            json_capture(t, &v->items[i]);
        }
        text_add(t, "]");
        break;
    case GF_JSON_OBJECT:
        text_add(t, "{");
        for (size_t i = 0; i < v->count; i++) {
            const gf_json_member *m = &v->members[i];
            text_add(t, "%s\"", i ? "," : "");
            for (size_t k = 0; k < m->key_len; k++) {
                unsigned char c = (unsigned char)m->key[k];
                if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
                    text_add(t, "\\x%02x", c);
                else
                    text_add(t, "%c", c);
            }
            text_add(t, "\":");
            json_capture(t, &m->value);
        }
        text_add(t, "}");
        break;
    }
}

static bool json_has_nul_key(const gf_json *v)
{
    if (v->kind == GF_JSON_ARRAY) {
        for (size_t i = 0; i < v->count; i++)
            if (json_has_nul_key(&v->items[i]))
                return true;
    } else if (v->kind == GF_JSON_OBJECT) {
        for (size_t i = 0; i < v->count; i++) {
            const gf_json_member *m = &v->members[i];
            if (memchr(m->key, '\0', m->key_len) ||
                json_has_nul_key(&m->value))
                return true;
        }
    }
    return false;
}

void json_nul_key_property(gf_case *tc)
{
    const gf_json *doc = gf_draw_named(tc, gf_json_tree(3), "doc");
    text t = {0};
    json_capture(&t, doc);
    copy_text(json_last, sizeof json_last, text_take(&t));
    free(t.s);
    GF_ASSERT(tc, !json_has_nul_key(doc));
}

bool json_nul_key_is_ideal(void)
{
    return strcmp(json_last, "{\"\\x00\":null}") == 0;
}

char *json_nul_key_describe(void)
{
    text t = {0};
    text_add(&t, "%s", json_last);
    return text_take(&t);
}

/* ------------------------------------------------------------------------ */
/* push_pop: a stack checked against a model, one operation at a time.     */
/* An operation is one int: 0 is pop, v + 1 pushes v (v in 0..3).  The bug: */
/* a pop when the stack holds exactly three values returns the one below    */
/* the top.  Shrinking meets programs such as                              */
/*     push 0, push 0, pop, push 0, push 1, pop                             */
/* where no single operation can go (without the first pop the last one    */
/* sees four values; without the third push it sees two) but the adjacent   */
/* "pop, push 0" can.  Ideal: push 0, push 0, push 1, pop, i.e. {1, 1, 2,   */
/* 0}: a failure needs three pushes and a pop, and the two values on top    */
/* must differ; the smallest such are 0 below 1.                           */
/* ------------------------------------------------------------------------ */

static int_list push_pop_last;

void push_pop_property(gf_case *tc)
{
    size_t n;
    const int64_t *ops = gf_draw_array(tc, gf_int(0, 4), 0, 64, &n);
    list_clear(&push_pop_last);
    for (size_t i = 0; i < n; i++)
        list_push(&push_pop_last, ops[i]);
    int64_t model[64], sut[64];
    size_t depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (ops[i] > 0) {
            model[depth] = sut[depth] = ops[i] - 1;
            depth++;
        } else if (depth > 0) {
            int64_t want = model[depth - 1];
            int64_t got = depth == 3 ? sut[depth - 2] : sut[depth - 1];
            depth--;
            GF_ASSERT_EQ_INT(tc, got, want);
        }
    }
}

bool push_pop_is_ideal(void)
{
    return list_is(&push_pop_last, (const int64_t[]){1, 1, 2, 0}, 4);
}

char *push_pop_describe(void)
{
    return describe_list(&push_pop_last);
}

/* ------------------------------------------------------------------------ */
/* count_after_list: a list, then a count drawn after it that must equal    */
/* its length, with every element at least that count and the length at    */
/* least 2.  From ({3, 3, 3}, 3) neither deleting an element nor lowering   */
/* the count fails on its own: both must go together.  Ideal: ({2, 2}, 2):  */
/* length 2 is the least allowed, and then elements and count are 2.       */
/* ------------------------------------------------------------------------ */

static int_list count_list;
static int64_t count_n;

void count_after_list_property(gf_case *tc)
{
    size_t n;
    const int64_t *xs = gf_draw_array(tc, gf_int(0, 20), 0, 20, &n);
    count_n = gf_draw_int(tc, 0, 20);
    list_clear(&count_list);
    bool all_at_least = true;
    for (size_t i = 0; i < n; i++) {
        list_push(&count_list, xs[i]);
        all_at_least &= xs[i] >= count_n;
    }
    GF_ASSERT(tc, !(n >= 2 && count_n == (int64_t)n && all_at_least));
}

bool count_after_list_is_ideal(void)
{
    return count_n == 2 && list_is(&count_list, (const int64_t[]){2, 2}, 2);
}

char *count_after_list_describe(void)
{
    text t = {0};
    text_add(&t, "(");
    text_list(&t, &count_list);
    text_add(&t, ", %" PRId64 ")", count_n);
    return text_take(&t);
}

/* ------------------------------------------------------------------------ */
/* coupling (from the shrinking-challenge list): a list of ints in 0..10,   */
/* every one a valid index into the list; fails when some i has xs[i] = j,  */
/* j != i and xs[j] = i.  The values are positions, so deleting an element  */
/* shifts what the others mean: {0, 2, 1} fails, but without its first     */
/* element it is {2, 1}, not a list of indices.  Ideal: {1, 0}: a swap      */
/* needs two elements, and {1, 0} is the only failing list of two.         */
/* ------------------------------------------------------------------------ */

static int_list coupling_last;

void coupling_property(gf_case *tc)
{
    size_t n;
    const int64_t *xs = gf_draw_array(tc, gf_int(0, 10), 0, SIZE_MAX, &n);
    list_clear(&coupling_last);
    for (size_t i = 0; i < n; i++)
        list_push(&coupling_last, xs[i]);
    for (size_t i = 0; i < n; i++)
        gf_assume(tc, xs[i] < (int64_t)n);
    for (size_t i = 0; i < n; i++) {
        size_t j = (size_t)xs[i];
        if (j != i)
            GF_ASSERT(tc, xs[j] != (int64_t)i);
    }
}

bool coupling_is_ideal(void)
{
    return list_is(&coupling_last, (const int64_t[]){1, 0}, 2);
}

char *coupling_describe(void)
{
    return describe_list(&coupling_last);
}

/* ------------------------------------------------------------------------ */
/* remove_first: a "remove" that drops every copy of a value where it      */
/* should drop the first only; fails as soon as xs[0] occurs twice.        */
/* Ideal: {0, 0}: a repeat needs two elements, both at their simplest.     */
/* ------------------------------------------------------------------------ */

static int_list remove_last;

void remove_first_property(gf_case *tc)
{
    size_t n;
    const int64_t *xs = gf_draw_array(tc, gf_int64(), 0, SIZE_MAX, &n);
    list_clear(&remove_last);
    for (size_t i = 0; i < n; i++)
        list_push(&remove_last, xs[i]);
    if (n == 0)
        return;
    size_t kept = 0; /* what the buggy remove(xs, xs[0]) leaves */
    for (size_t i = 0; i < n; i++)
        kept += xs[i] != xs[0];
    GF_ASSERT_EQ_UINT(tc, kept, n - 1);
}

bool remove_first_is_ideal(void)
{
    return list_is(&remove_last, (const int64_t[]){0, 0}, 2);
}

char *remove_first_describe(void)
{
    return describe_list(&remove_last);
}

/* ------------------------------------------------------------------------ */
/* remainder_sum: a list of int64 whose values modulo 1000 must sum to at   */
/* most 1000 (a bucket index computed as x % 1000, say).  A large value    */
/* fails by its low digits, so its neighbours pass and no search by size   */
/* lowers it.  Ideal: {2, 999}: one remainder is at most 999, so two       */
/* elements are needed; negative values have remainders of 0 or below, so  */
/* both are positive; the first is as small as the second allows, 2 with   */
/* 999.                                                                    */
/* ------------------------------------------------------------------------ */

static int_list remainder_last;

void remainder_sum_property(gf_case *tc)
{
    size_t n;
    const int64_t *xs = gf_draw_array(tc, gf_int64(), 0, 10, &n);
    list_clear(&remainder_last);
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        list_push(&remainder_last, xs[i]);
        sum += xs[i] % 1000;
    }
    GF_ASSERT(tc, sum <= 1000);
}

bool remainder_sum_is_ideal(void)
{
    return list_is(&remainder_last, (const int64_t[]){2, 999}, 2);
}

char *remainder_sum_describe(void)
{
    return describe_list(&remainder_last);
}

/* ------------------------------------------------------------------------ */
/* flags_and_count: a list of records {enabled, weight} (a flag and an int  */
/* in 0..9); fails when two records are equal and their weight is at least  */
/* 1.  From {(true, 4), (true, 4)} the flag of one record cannot fall on    */
/* its own.  Ideal: {(false, 1), (false, 1)}: two records, flags at their  */
/* simplest (false) and the least weight that fails.                       */
/* ------------------------------------------------------------------------ */

static int_list flags_last; /* enabled, weight, enabled, weight, ... */

void flags_and_count_property(gf_case *tc)
{
    list_clear(&flags_last);
    gf_many m;
    gf_many_init(tc, &m, 0, 16);
    int64_t seen[16][2];
    size_t n = 0;
    while (gf_many_more(tc, &m)) {
        gf_span_begin(tc, gf_span_label("shapes.record"));
        bool enabled = gf_draw_bool(tc);
        int64_t weight = gf_draw_int(tc, 0, 9);
        gf_span_end(tc, false);
        list_push(&flags_last, enabled);
        list_push(&flags_last, weight);
        seen[n][0] = enabled;
        seen[n][1] = weight;
        n++;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            GF_ASSERT(tc, !(seen[i][0] == seen[j][0] &&
                            seen[i][1] == seen[j][1] && seen[i][1] >= 1));
}

bool flags_and_count_is_ideal(void)
{
    return list_is(&flags_last, (const int64_t[]){0, 1, 0, 1}, 4);
}

char *flags_and_count_describe(void)
{
    text t = {0};
    text_add(&t, "{");
    for (size_t i = 0; i + 1 < flags_last.n; i += 2)
        text_add(&t, "%s(%s, %" PRId64 ")", i ? ", " : "",
                 flags_last.v[i] ? "true" : "false", flags_last.v[i + 1]);
    text_add(&t, "}");
    return text_take(&t);
}

/* ------------------------------------------------------------------------ */
/* Races under the controlled scheduler.  Each task logs its id at every    */
/* step it takes on shared state, so the last run's interleaving is known:  */
/* a preemption is a switch away from a task that has steps still to come.  */
/* For each race the ideal is the fewest tasks the bug needs, the simplest  */
/* data, and one preemption: no race happens without one.                  */
/* ------------------------------------------------------------------------ */

static int_list race_trace;
static int64_t race_tasks;

static void race_step(int id)
{
    list_push(&race_trace, id);
}

static size_t race_preemptions(void)
{
    size_t n = 0;
    for (size_t i = 1; i < race_trace.n; i++) {
        int64_t was = race_trace.v[i - 1];
        if (race_trace.v[i] == was)
            continue;
        for (size_t j = i + 1; j < race_trace.n; j++)
            if (race_trace.v[j] == was) {
                n++;
                break;
            }
    }
    return n;
}

static void race_start(void)
{
    list_clear(&race_trace);
    race_tasks = 0;
}

/* A task's view: the shared state and its id. */
typedef struct race_task {
    struct race_state *state;
    int id;
    int64_t amount;
} race_task;

typedef struct race_state {
    gf_mutex lock;
    int64_t stock, sold;  /* inventory */
    int64_t balance;      /* transfers */
    int64_t count, tries; /* counter */
} race_state;

/* inventory_oversell: the inventory example's buyer (check the stock under
 * the lock, take under the lock again), but the property sees only that
 * more was sold than there was: lost updates pass.  Ideal: stock 1,
 * buyers 2, one preemption (one buyer checks, the other checks and takes,
 * the first takes): with stock 0 nothing sells, one buyer cannot race. */
static int64_t oversell_stock;

static void oversell_buyer(void *arg)
{
    race_task *t = arg;
    race_state *s = t->state;
    gf_mutex_lock(&s->lock);
    race_step(t->id);
    int64_t seen = s->stock;
    gf_mutex_unlock(&s->lock);
    if (seen > 0) {
        gf_mutex_lock(&s->lock);
        race_step(t->id);
        s->stock = seen - 1;
        s->sold++;
        gf_mutex_unlock(&s->lock);
    }
}

void inventory_oversell_property(gf_case *tc)
{
    race_start();
    oversell_stock = gf_draw_int(tc, 0, 10);
    race_tasks = gf_draw_int(tc, 1, 6);
    race_state s = {.stock = oversell_stock};
    race_task tasks[6];
    gf_sched *sched = gf_sched_new(tc, NULL);
    for (int i = 0; i < race_tasks; i++) {
        tasks[i] = (race_task){.state = &s, .id = i};
        gf_spawn_named(sched, "buyer", oversell_buyer, &tasks[i]);
    }
    gf_sched_run(sched);
    GF_ASSERT(tc, s.sold <= oversell_stock);
}

bool inventory_oversell_is_ideal(void)
{
    return oversell_stock == 1 && race_tasks == 2 && race_preemptions() == 1;
}

static char *race_describe(const char *data, int64_t value)
{
    text t = {0};
    text_add(&t, "%s = %" PRId64 ", %" PRId64 " tasks, %zu preemptions", data,
             value, race_tasks, race_preemptions());
    return text_take(&t);
}

char *inventory_oversell_describe(void)
{
    return race_describe("stock", oversell_stock);
}

/* transfer_overdraft: an account and a list of withdrawals, one task each;
 * a withdrawal checks the balance under the lock and takes the money under
 * the lock again, so two can both pass the check.  Fails when the balance
 * goes below zero.  The tasks come from the list, not a count: removing
 * one means deleting its element.  Ideal: balance 1, withdrawals {1, 1},
 * one preemption: one withdrawal alone never overdraws, and a balance of 0
 * passes no check. */
static int64_t overdraft_balance;
static int_list overdraft_amounts;

static void withdraw(void *arg)
{
    race_task *t = arg;
    race_state *s = t->state;
    gf_mutex_lock(&s->lock);
    race_step(t->id);
    bool enough = s->balance >= t->amount;
    gf_mutex_unlock(&s->lock);
    if (enough) {
        gf_mutex_lock(&s->lock);
        race_step(t->id);
        s->balance -= t->amount;
        gf_mutex_unlock(&s->lock);
    }
}

void transfer_overdraft_property(gf_case *tc)
{
    race_start();
    overdraft_balance = gf_draw_int(tc, 0, 100);
    size_t n;
    const int64_t *amounts = gf_draw_array(tc, gf_int(1, 100), 1, 6, &n);
    list_clear(&overdraft_amounts);
    race_state s = {.balance = overdraft_balance};
    race_task tasks[6];
    gf_sched *sched = gf_sched_new(tc, NULL);
    for (size_t i = 0; i < n; i++) {
        list_push(&overdraft_amounts, amounts[i]);
        tasks[i] = (race_task){.state = &s, .id = (int)i,
                               .amount = amounts[i]};
        gf_spawn_named(sched, "withdraw", withdraw, &tasks[i]);
    }
    race_tasks = (int64_t)n;
    gf_sched_run(sched);
    GF_ASSERT(tc, s.balance >= 0);
}

bool transfer_overdraft_is_ideal(void)
{
    return overdraft_balance == 1 &&
           list_is(&overdraft_amounts, (const int64_t[]){1, 1}, 2) &&
           race_preemptions() == 1;
}

char *transfer_overdraft_describe(void)
{
    text t = {0};
    text_add(&t, "balance = %" PRId64 ", withdrawals ", overdraft_balance);
    text_list(&t, &overdraft_amounts);
    text_add(&t, ", %zu preemptions", race_preemptions());
    return text_take(&t);
}

/* counter_pct: clients each add 1 to a shared counter `tries` times, by an
 * atomic load and an atomic store (not one fetch-and-add), under PCT.  A
 * lost update fails the property.  Ideal: clients 2, tries 1, one
 * preemption (both load 0, both store 1): one client loses nothing, and
 * one try each is enough. */
static int64_t counter_clients, counter_tries_seen;

static void client(void *arg)
{
    race_task *t = arg;
    race_state *s = t->state;
    for (int64_t k = 0; k < s->tries; k++) {
        int64_t v = gf_atomic_load(&s->count);
        race_step(t->id);
        gf_atomic_store(&s->count, v + 1);
        race_step(t->id);
    }
}

void counter_pct_property(gf_case *tc)
{
    race_start();
    counter_clients = gf_draw_int(tc, 1, 4);
    race_state s = {.tries = gf_draw_int(tc, 1, 3)};
    counter_tries_seen = s.tries;
    race_tasks = counter_clients;
    race_task tasks[4];
    gf_sched *sched =
        gf_sched_new(tc, &(gf_sched_options){.strategy = GF_SCHED_PCT});
    for (int i = 0; i < counter_clients; i++) {
        tasks[i] = (race_task){.state = &s, .id = i};
        gf_spawn_named(sched, "client", client, &tasks[i]);
    }
    gf_sched_run(sched);
    GF_ASSERT_EQ_INT(tc, s.count, counter_clients * s.tries);
}

bool counter_pct_is_ideal(void)
{
    return counter_clients == 2 && counter_tries_seen == 1 &&
           race_preemptions() == 1;
}

char *counter_pct_describe(void)
{
    text t = {0};
    text_add(&t, "clients = %" PRId64 ", tries = %" PRId64
                 ", %zu preemptions",
             counter_clients, counter_tries_seen, race_preemptions());
    return text_take(&t);
}

/* ring_readers: a ring buffer meant for one reader, read by several under
 * PCT: a reader loads the head, takes the item there and stores head + 1,
 * so two readers can take the same item.  Each item must be delivered
 * once.  Ideal: items 1, readers 2, one preemption (both load head 0,
 * both take item 0): one reader never duplicates, and one item is enough. */
static int64_t ring_items;

typedef struct ring {
    int64_t head;
    int64_t tail;
    int64_t taken[8];
} ring;

typedef struct ring_reader {
    ring *r;
    int id;
} ring_reader;

static void reader(void *arg)
{
    ring_reader *rd = arg;
    ring *r = rd->r;
    for (;;) {
        int64_t head = gf_atomic_load(&r->head);
        race_step(rd->id);
        if (head >= r->tail)
            return;
        r->taken[head]++;
        gf_atomic_store(&r->head, head + 1);
        race_step(rd->id);
    }
}

void ring_readers_property(gf_case *tc)
{
    race_start();
    ring_items = gf_draw_int(tc, 1, 8);
    race_tasks = gf_draw_int(tc, 1, 4);
    ring r = {.tail = ring_items};
    ring_reader readers[4];
    gf_sched *sched =
        gf_sched_new(tc, &(gf_sched_options){.strategy = GF_SCHED_PCT});
    for (int i = 0; i < race_tasks; i++) {
        readers[i] = (ring_reader){.r = &r, .id = i};
        gf_spawn_named(sched, "reader", reader, &readers[i]);
    }
    gf_sched_run(sched);
    for (int64_t i = 0; i < ring_items; i++)
        GF_ASSERT(tc, r.taken[i] <= 1);
}

bool ring_readers_is_ideal(void)
{
    return ring_items == 1 && race_tasks == 2 && race_preemptions() == 1;
}

char *ring_readers_describe(void)
{
    return race_describe("items", ring_items);
}
