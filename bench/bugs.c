/*
 * bugs.c - does generation reach small bugs?  A suite of realistic bugs,
 * each a small buggy function with the property a user would write for
 * it, run over many seeds.
 *
 *     bench/bugs [--check] [--trials N] [seeds] [bug-glob]
 *                                    (default 10 seeds, 1000 trials, all)
 *
 * Each bug matching the glob (fnmatch(3)) runs with seeds 1..seeds through
 * gf_run at --trials N (no database, shrinking cut to one call: only
 * finding is measured).  One row per bug: its class, on how many seeds a
 * failure was found, the median and the largest case number it was found
 * at (gf_result.cases), and the generators its property draws from.
 * The output is the same on every run and machine, so docs/generators.md
 * quotes it and tests/test_docs.sh checks the quote.
 *
 * Exit status 0, or with --check 1 when some bug was missed on some seed
 * (tests/test_bugs.sh runs it that way on fewer seeds), 2 on a bad
 * command line.  The bugs are bugs on purpose: every function below whose
 * name starts with buggy_ is wrong, and its comment says how.
 */
#include <fnmatch.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gadfly.h>
#include <gadfly/text.h>
#include <gadfly/time.h>
#include <gadfly/tz.h>

#define DEFAULT_SEEDS 10
#define DEFAULT_TRIALS 1000
#define MAX_KEYS 512

/* ---- a binary search tree, with three mutants -------------------------- */

typedef struct node {
    int32_t key;
    struct node *left, *right;
} node;

static node *bst_new(gf_case *tc, int32_t key)
{
    node *n = gf_alloc(tc, sizeof *n);
    n->key = key;
    n->left = n->right = NULL;
    return n;
}

/* Correct insert: an existing key is left alone. */
static node *bst_insert(gf_case *tc, node *t, int32_t key)
{
    if (!t)
        return bst_new(tc, key);
    if (key < t->key)
        t->left = bst_insert(tc, t->left, key);
    else if (key > t->key)
        t->right = bst_insert(tc, t->right, key);
    return t;
}

/* Wrong: an existing key is inserted again, to its right. */
static node *buggy_insert(gf_case *tc, node *t, int32_t key)
{
    if (!t)
        return bst_new(tc, key);
    if (key < t->key)
        t->left = buggy_insert(tc, t->left, key);
    else
        t->right = buggy_insert(tc, t->right, key);
    return t;
}

/* Wrong: a node with two children is replaced by its left child, so its
 * right subtree is lost. */
static node *buggy_delete(node *t, int32_t key)
{
    if (!t)
        return NULL;
    if (key < t->key) {
        t->left = buggy_delete(t->left, key);
        return t;
    }
    if (key > t->key) {
        t->right = buggy_delete(t->right, key);
        return t;
    }
    if (!t->left)
        return t->right;
    return t->left;
}

static bool bst_has(const node *t, int32_t key)
{
    while (t && t->key != key)
        t = key < t->key ? t->left : t->right;
    return t != NULL;
}

static size_t bst_count(const node *t)
{
    return t ? 1 + bst_count(t->left) + bst_count(t->right) : 0;
}

static void bst_keys(const node *t, int32_t *out, size_t *n)
{
    if (!t || *n == MAX_KEYS)
        return;
    bst_keys(t->left, out, n);
    if (*n < MAX_KEYS)
        out[(*n)++] = t->key;
    bst_keys(t->right, out, n);
}

static node *bst_from(gf_case *tc, const int32_t *keys, size_t n)
{
    node *t = NULL;
    for (size_t i = 0; i < n; i++)
        t = bst_insert(tc, t, keys[i]);
    return t;
}

/* Wrong: a union by merging the two key lists in order; on equal keys it
 * takes the left one and advances only the left list, so the key comes
 * out twice. */
static size_t buggy_union(const node *a, const node *b, int32_t *out)
{
    int32_t ka[MAX_KEYS], kb[MAX_KEYS];
    size_t na = 0, nb = 0, i = 0, j = 0, n = 0;
    bst_keys(a, ka, &na);
    bst_keys(b, kb, &nb);
    while (i < na && j < nb)
        out[n++] = ka[i] <= kb[j] ? ka[i++] : kb[j++];
    while (i < na)
        out[n++] = ka[i++];
    while (j < nb)
        out[n++] = kb[j++];
    return n;
}

static size_t distinct(const int32_t *xs, size_t n)
{
    size_t d = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < i && xs[j] != xs[i])
            j++;
        d += j == i;
    }
    return d;
}

static void bst_insert_duplicate(gf_case *tc)
{
    size_t n;
    int32_t *keys = gf_draw_array_named(tc, gf_int32(), 0, 40, &n, "keys");
    node *t = NULL;
    for (size_t i = 0; i < n; i++)
        t = buggy_insert(tc, t, keys[i]);
    GF_ASSERT_EQ_UINT(tc, bst_count(t), distinct(keys, n));
}

static void bst_delete_keeps_others(gf_case *tc)
{
    size_t n;
    int32_t *keys = gf_draw_array_named(tc, gf_int32(), 0, 40, &n, "keys");
    int32_t gone = *(int32_t *)gf_draw_named(tc, gf_int32(), "deleted");
    node *t = buggy_delete(bst_from(tc, keys, n), gone);
    for (size_t i = 0; i < n; i++)
        if (keys[i] != gone)
            GF_ASSERT(tc, bst_has(t, keys[i]));
}

static void bst_union_is_a_set(gf_case *tc)
{
    size_t na, nb;
    int32_t *ka = gf_draw_array_named(tc, gf_int32(), 0, 40, &na, "a");
    int32_t *kb = gf_draw_array_named(tc, gf_int32(), 0, 40, &nb, "b");
    int32_t out[2 * MAX_KEYS];
    size_t n = buggy_union(bst_from(tc, ka, na), bst_from(tc, kb, nb), out);
    for (size_t i = 1; i < n; i++)
        GF_ASSERT(tc, out[i - 1] < out[i]);
}

/* Sized the way many property tests are written: a count first, then
 * that many keys.  Wrong: the delete of a key that is in the tree twice
 * (the insert mutant above) removes one copy, and a lookup then finds the
 * other; the bug needs a tree of a few keys with one repeated. */
static void bst_sized_delete(gf_case *tc)
{
    int64_t n = gf_draw_int_named(tc, 0, 100, "n");
    node *t = NULL;
    int32_t first = 0;
    for (int64_t i = 0; i < n; i++) {
        int32_t k = (int32_t)gf_draw_int(tc, -1000, 1000);
        first = i == 0 ? k : first;
        t = buggy_insert(tc, t, k);
    }
    if (n > 0 && n <= 3) {
        t = buggy_delete(t, first);
        GF_ASSERT(tc, !bst_has(t, first));
    }
}

/* ---- off by one at a boundary ------------------------------------------- */

/* Wrong: the loop stops when one candidate is left, without looking. */
static bool buggy_bsearch(const int64_t *xs, size_t n, int64_t key)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (xs[mid] == key)
            return true;
        if (xs[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void bsearch_finds_every_element(gf_case *tc)
{
    size_t n;
    int64_t *xs = gf_draw_array_named(tc, gf_int(-1000, 1000), 0, 30, &n,
                                      "xs");
    qsort(xs, n, sizeof *xs, cmp_i64);
    for (size_t i = 0; i < n; i++)
        GF_ASSERT(tc, buggy_bsearch(xs, n, xs[i]));
}

/* Wrong: "is it sorted already?" skips the last pair. */
static bool buggy_is_sorted(const int64_t *xs, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++)
        if (xs[i] > xs[i + 1])
            return false;
    return true;
}

static void sort_with_fast_path(int64_t *xs, size_t n)
{
    if (!buggy_is_sorted(xs, n))
        qsort(xs, n, sizeof *xs, cmp_i64);
}

static void sort_sorts(gf_case *tc)
{
    size_t n;
    int64_t *xs = gf_draw_array_named(tc, gf_int(0, 100), 0, 30, &n, "xs");
    sort_with_fast_path(xs, n);
    for (size_t i = 1; i < n; i++)
        GF_ASSERT(tc, xs[i - 1] <= xs[i]);
}

/* A ring buffer of 8 slots, checked against a model queue.  Wrong: the
 * value is written before "full?" is asked, so a push into a full ring is
 * refused but has overwritten the oldest value. */
#define RING 8
typedef struct ring {
    int64_t slot[RING];
    size_t head, count;
} ring;

static bool buggy_push(ring *r, int64_t v)
{
    r->slot[(r->head + r->count) % RING] = v;
    if (r->count == RING)
        return false;
    r->count++;
    return true;
}

static int64_t ring_pop(ring *r)
{
    int64_t v = r->slot[r->head];
    r->head = (r->head + 1) % RING;
    r->count--;
    return v;
}

static void ring_is_a_queue(gf_case *tc)
{
    ring r = {{0}, 0, 0};
    int64_t model[RING];
    size_t mhead = 0, mcount = 0;
    gf_many ops;
    gf_many_init(tc, &ops, 0, 64);
    while (gf_many_more(tc, &ops)) {
        if (gf_draw_int(tc, 0, 2) > 0) { /* push, twice as often as pop */
            int64_t v = gf_draw_int(tc, 0, 1000);
            bool accepted = buggy_push(&r, v);
            GF_ASSERT(tc, accepted == (mcount < RING));
            if (mcount < RING)
                model[(mhead + mcount++) % RING] = v;
        } else if (mcount > 0) {
            GF_ASSERT_EQ_INT(tc, ring_pop(&r), model[mhead]);
            mhead = (mhead + 1) % RING;
            mcount--;
        }
    }
}

/* ---- duplicates ----------------------------------------------------------- */

/* Wrong: removes the first occurrence only. */
static size_t buggy_remove_all(int64_t *xs, size_t n, int64_t v)
{
    for (size_t i = 0; i < n; i++)
        if (xs[i] == v) {
            memmove(xs + i, xs + i + 1, (n - i - 1) * sizeof *xs);
            return n - 1;
        }
    return n;
}

static void remove_removes_every_copy(gf_case *tc)
{
    size_t n;
    int64_t *xs = gf_draw_array_named(tc, gf_int64(), 1, 30, &n, "xs");
    int64_t v = xs[gf_draw_uint_named(tc, 0, n - 1, "index")];
    n = buggy_remove_all(xs, n, v);
    for (size_t i = 0; i < n; i++)
        GF_ASSERT(tc, xs[i] != v);
}

/* Wrong: a map of string keys that appends without looking, so a key set
 * twice is then counted twice. */
typedef struct kv {
    const char *key[64];
    int64_t value[64];
    size_t n;
} kv;

static void buggy_set(kv *m, const char *key, int64_t value)
{
    if (m->n < 64) {
        m->key[m->n] = key;
        m->value[m->n++] = value;
    }
}

static void map_counts_distinct_keys(gf_case *tc)
{
    kv m = {{0}, {0}, 0};
    gf_many ops;
    gf_many_init(tc, &ops, 0, 64);
    const char *seen[64];
    size_t nseen = 0;
    while (gf_many_more(tc, &ops)) {
        const char *k = gf_draw(tc, gf_ascii(0, 8));
        buggy_set(&m, k, gf_draw_int(tc, 0, 100));
        size_t j = 0;
        while (j < nseen && strcmp(seen[j], k) != 0)
            j++;
        if (j == nseen)
            seen[nseen++] = k;
    }
    GF_ASSERT_EQ_UINT(tc, m.n, nseen);
}

/* Wrong: a cache of byte-string keys that replaces the entry of a short
 * key (8 bytes or fewer, kept inline) but adds one for every put of a
 * longer key, and answers a get from the oldest match: a long key put
 * twice reads back its first value. */
typedef struct byte_cache {
    const uint8_t *key[2];
    size_t len[2];
    int64_t value[2];
    size_t n;
} byte_cache;

static bool cache_find(const byte_cache *c, const uint8_t *key, size_t len,
                       size_t *at)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->len[i] == len && memcmp(c->key[i], key, len) == 0) {
            *at = i;
            return true;
        }
    return false;
}

static void buggy_cache_put(byte_cache *c, const uint8_t *key, size_t len,
                            int64_t value)
{
    size_t at;
    if (len <= 8 && cache_find(c, key, len, &at)) {
        c->value[at] = value;
        return;
    }
    c->key[c->n] = key;
    c->len[c->n] = len;
    c->value[c->n++] = value;
}

static void cache_reads_the_last_put(gf_case *tc)
{
    byte_cache c = {{0}, {0}, {0}, 0};
    size_t n1, n2, at = 0;
    const uint8_t *k1 = gf_draw_bytes(tc, 1, 32, &n1);
    buggy_cache_put(&c, k1, n1, 1);
    const uint8_t *k2 = gf_draw_bytes(tc, 1, 32, &n2);
    buggy_cache_put(&c, k2, n2, 2);
    GF_ASSERT(tc, cache_find(&c, k2, n2, &at));
    GF_ASSERT_EQ_INT(tc, c.value[at], 2);
}

/* Wrong: a user directory that checks a new name against the last one
 * added only, so a name added twice with another between is counted
 * twice. */
static void names_are_unique(gf_case *tc)
{
    const char *names[32];
    size_t n = 0, unique = 0;
    gf_many m;
    gf_many_init(tc, &m, 0, 32);
    while (gf_many_more(tc, &m)) {
        const char *s = gf_draw(tc, gf_ascii(1, 10));
        if (n == 0 || strcmp(names[n - 1], s) != 0)
            unique++;
        names[n++] = s;
    }
    size_t distinct_names = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < i && strcmp(names[j], names[i]) != 0)
            j++;
        distinct_names += j == i;
    }
    GF_ASSERT_EQ_UINT(tc, unique, distinct_names);
}

/* ---- empty input ----------------------------------------------------------- */

/* Wrong: an empty line is one empty field, not none. */
static size_t buggy_csv_fields(const char *line)
{
    size_t n = 1;
    for (const char *p = line; *p; p++)
        n += *p == ',';
    return n;
}

static void csv_field_count(gf_case *tc)
{
    size_t n;
    char **fields = gf_draw_array_named(tc, gf_ascii(1, 6), 0, 8, &n,
                                        "fields");
    char line[128] = "";
    for (size_t i = 0; i < n; i++) {
        if (strchr(fields[i], ','))
            return; /* a quoted field; not this bug */
        if (i)
            strcat(line, ",");
        strcat(line, fields[i]);
    }
    GF_ASSERT_EQ_UINT(tc, buggy_csv_fields(line), n);
}

/* ---- integer overflow at the type's edges ----------------------------------- */

/* Wrong: (lo + hi) / 2 in 32 bits wraps for large lo and hi (done in
 * unsigned arithmetic here, so the wrap is defined, as -fwrapv would). */
static int32_t buggy_midpoint(int32_t lo, int32_t hi)
{
    return (int32_t)((uint32_t)lo + (uint32_t)hi) / 2;
}

static void midpoint_between(gf_case *tc)
{
    int32_t a = *(int32_t *)gf_draw_named(tc, gf_int32(), "a");
    int32_t b = *(int32_t *)gf_draw_named(tc, gf_int32(), "b");
    int32_t lo = a < b ? a : b, hi = a < b ? b : a;
    int32_t m = buggy_midpoint(lo, hi);
    GF_ASSERT(tc, lo <= m && m <= hi);
}

/* Wrong: -INT64_MIN does not exist; it wraps to itself. */
static int64_t buggy_abs(int64_t x)
{
    return x < 0 ? (int64_t)(0 - (uint64_t)x) : x;
}

static void abs_is_not_negative(gf_case *tc)
{
    int64_t x = *(int64_t *)gf_draw_named(tc, gf_int64(), "x");
    GF_ASSERT(tc, buggy_abs(x) >= 0);
}

/* Wrong: the digits are gathered as a positive int32 before the sign is
 * applied, so "-2147483648" is rejected as too large. */
static bool buggy_parse_i32(const char *s, int32_t *out)
{
    bool neg = *s == '-';
    s += neg;
    int32_t v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        int d = *s - '0';
        if (v > (INT32_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = neg ? -v : v;
    return true;
}

static void parse_reads_what_printf_wrote(gf_case *tc)
{
    int32_t x = *(int32_t *)gf_draw_named(tc, gf_int32(), "x");
    char text[16];
    snprintf(text, sizeof text, "%" PRId32, x);
    int32_t y = 0;
    GF_ASSERT(tc, buggy_parse_i32(text, &y));
    GF_ASSERT_EQ_INT(tc, y, x);
}

/* Wrong: the overflow check of an addition only looks up. */
static bool buggy_checked_add(int32_t a, int32_t b, int32_t *out)
{
    if (b > 0 && a > INT32_MAX - b)
        return false;
    *out = (int32_t)((uint32_t)a + (uint32_t)b);
    return true;
}

static void checked_add_is_exact(gf_case *tc)
{
    int32_t a = *(int32_t *)gf_draw_named(tc, gf_int32(), "a");
    int32_t b = *(int32_t *)gf_draw_named(tc, gf_int32(), "b");
    int32_t s;
    if (buggy_checked_add(a, b, &s))
        GF_ASSERT_EQ_INT(tc, s, (int64_t)a + b);
}

/* Wrong: the product of a count and a size is not checked for overflow. */
static bool buggy_array_bytes(size_t count, size_t size, size_t *out)
{
    *out = count * size;
    return true;
}

static void array_bytes_never_wraps(gf_case *tc)
{
    size_t count = *(size_t *)gf_draw_named(tc, gf_size(), "count");
    size_t size = *(size_t *)gf_draw_named(tc, gf_size(), "size");
    size_t bytes;
    if (buggy_array_bytes(count, size, &bytes) && size != 0)
        GF_ASSERT(tc, bytes / size == count);
}

/* ---- floating point ------------------------------------------------------------ */

/* Wrong: NaN compares false both ways and comes out unclamped. */
static double buggy_clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

static void clamp_stays_in_range(gf_case *tc)
{
    double x = *(double *)gf_draw_named(tc, gf_double(), "gain");
    double g = buggy_clamp(x, 0.0, 1.0);
    GF_ASSERT(tc, g >= 0.0 && g <= 1.0);
}

/* Wrong: the sign is written by hand, from x < 0, which -0.0 is not. */
static void buggy_format(double x, char *buf, size_t len)
{
    snprintf(buf, len, "%s%.17g", x < 0 ? "-" : "", fabs(x));
}

static void format_round_trips(gf_case *tc)
{
    double x = *(double *)gf_draw_named(
        tc, gf_double_in(-INFINITY, INFINITY, GF_DOUBLE_NO_NAN), "x");
    char text[64];
    buggy_format(x, text, sizeof text);
    double y = strtod(text, NULL);
    GF_ASSERT(tc, memcmp(&x, &y, sizeof x) == 0);
}

/* Wrong: a JSON writer that prints doubles with %g, infinities too. */
static void buggy_json_number(double x, char *buf, size_t len)
{
    snprintf(buf, len, "%.17g", x);
}

static void json_numbers_are_json(gf_case *tc)
{
    double x = *(double *)gf_draw_named(
        tc, gf_double_in(-INFINITY, INFINITY, GF_DOUBLE_NO_NAN), "x");
    char text[64];
    buggy_json_number(x, text, sizeof text);
    for (const char *p = text; *p; p++)
        GF_ASSERT(tc, strchr("0123456789+-.eE", *p) != NULL);
}

/* Wrong: the mean of two doubles overflows to infinity near DBL_MAX. */
static double buggy_mean(double a, double b)
{
    return (a + b) / 2;
}

static void mean_of_finite_is_finite(gf_case *tc)
{
    const gf_gen *finite = gf_double_in(-INFINITY, INFINITY, GF_DOUBLE_FINITE);
    double a = *(double *)gf_draw_named(tc, finite, "a");
    double b = *(double *)gf_draw_named(tc, finite, "b");
    GF_ASSERT(tc, isfinite(buggy_mean(a, b)));
}

/* ---- text ------------------------------------------------------------------------ */

/* The length of the UTF-8 sequence at s (strict: no overlongs, no
 * surrogates, nothing past U+10FFFF), or 0 when it is ill-formed. */
static size_t utf8_sequence(const uint8_t *s, size_t n)
{
    uint8_t b = s[0];
    size_t len = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2
               : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((b == 0xE0 && s[1] < 0xA0) || (b == 0xED && s[1] > 0x9F) ||
        (b == 0xF0 && s[1] < 0x90) || (b == 0xF4 && s[1] > 0x8F))
        return 0;
    return len;
}

static bool utf8_valid(const uint8_t *s, size_t n)
{
    for (size_t i = 0, k; i < n; i += k)
        if ((k = utf8_sequence(s + i, n - i)) == 0)
            return false;
    return true;
}

/* Wrong: checks the shape of each sequence and overlong forms, but lets
 * UTF-16 surrogates (U+D800..U+DFFF) through. */
static bool buggy_utf8_valid(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint8_t b = s[i];
        size_t len = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2
                   : b >= 0xE0 && b <= 0xEF ? 3
                   : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
        if (len == 0 || len > n - i)
            return false;
        for (size_t k = 1; k < len; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
        if ((b == 0xE0 && s[i + 1] < 0xA0) || (b == 0xF0 && s[i + 1] < 0x90) ||
            (b == 0xF4 && s[i + 1] > 0x8F))
            return false;
        i += len;
    }
    return true;
}

static void validator_rejects_ill_formed(gf_case *tc)
{
    gf_bytes_value b = gf_draw_blob(
        tc, gf_utf8_invalid(GF_UTF8_ANY_INVALID & ~GF_UTF8_EMBEDDED_NUL),
        "input");
    GF_ASSERT(tc, !buggy_utf8_valid(b.data, b.len));
}

/* Wrong: cuts at max bytes even inside a multi-byte character. */
static size_t buggy_truncate(const char *s, size_t max)
{
    size_t n = strlen(s);
    return n < max ? n : max;
}

static void truncate_keeps_utf8(gf_case *tc)
{
    const char *s = gf_draw_str(tc, gf_utf8(0, 20), "s");
    size_t max = (size_t)gf_draw_int_named(tc, 0, 40, "max");
    GF_ASSERT(tc, utf8_valid((const uint8_t *)s, buggy_truncate(s, max)));
}

/* Wrong: a small-string buffer of 16 bytes that forgets the NUL, so a
 * 16-character name is cut to 15. */
typedef struct short_name {
    char inline_text[16];
    const char *text;
} short_name;

static void buggy_name_set(gf_case *tc, short_name *sn, const char *s)
{
    size_t n = strlen(s);
    if (n <= sizeof sn->inline_text) {
        size_t kept = n < sizeof sn->inline_text ? n
                                                 : sizeof sn->inline_text - 1;
        memcpy(sn->inline_text, s, kept);
        sn->inline_text[kept] = '\0';
        sn->text = sn->inline_text;
    } else {
        sn->text = gf_memdup(tc, s, n + 1);
    }
}

static void name_keeps_its_text(gf_case *tc)
{
    const char *s = gf_draw_str(tc, gf_ascii(0, 40), "s");
    short_name sn;
    buggy_name_set(tc, &sn, s);
    GF_ASSERT_STR_EQ(tc, sn.text, s);
}

/* ---- time --------------------------------------------------------------------------- */

/* Wrong: the year of an instant, through a 32-bit time. */
static int64_t buggy_year(int64_t t)
{
    int32_t t32 = (int32_t)(uint32_t)(uint64_t)t;
    int64_t days = t32 / 86400 - (t32 % 86400 < 0);
    int64_t y;
    int m, d;
    gf_civil_from_days(days, &y, &m, &d);
    return y;
}

static int64_t year_of(int64_t t)
{
    int64_t days = t / 86400 - (t % 86400 < 0);
    int64_t y;
    int m, d;
    gf_civil_from_days(days, &y, &m, &d);
    return y;
}

static void year_of_any_instant(gf_case *tc)
{
    int64_t t = *(int64_t *)gf_draw_named(tc, gf_instant(), "t");
    if (t < -62135596800 || t > 253402300799)
        return; /* years 1..9999 only */
    GF_ASSERT_EQ_INT(tc, buggy_year(t), year_of(t));
}

/* Wrong: a leap year is every fourth year. */
static int buggy_days_in_february(int64_t year)
{
    return year % 4 == 0 ? 29 : 28;
}

static void february_length(gf_case *tc)
{
    int64_t t = *(int64_t *)gf_draw_named(tc, gf_instant(), "t");
    if (t < -62135596800 || t > 253402300799)
        return;
    int64_t y = year_of(t);
    GF_ASSERT_EQ_INT(tc, buggy_days_in_february(y), gf_days_in_month(y, 2));
}

static const gf_tz *zone(gf_case *tc, const char *name)
{
    const gf_tz *tz = gf_tz_load(name);
    if (!tz)
        GF_FAIL(tc, "%s does not load: %s", name, gf_tz_error());
    return tz;
}

/* Wrong: "the same time tomorrow" as 86400 seconds later. */
static int64_t buggy_tomorrow(int64_t t)
{
    return t + 86400;
}

static void tomorrow_same_wall_time(gf_case *tc)
{
    const gf_tz *tz = zone(tc, "Europe/London");
    int64_t t = *(int64_t *)gf_draw_named(
        tc, gf_instant_near_transition("Europe/London"), "t");
    struct tm a, b;
    if (!gf_tz_localtime(tz, t, &a, NULL, NULL, NULL) ||
        !gf_tz_localtime(tz, buggy_tomorrow(t), &b, NULL, NULL, NULL))
        return;
    GF_ASSERT_EQ_INT(tc, b.tm_hour, a.tm_hour);
}

/* Wrong: the zone's offsets come from its table of transitions only,
 * which in TZif files ends in 2037; after that the last entry's offset
 * (standard time) is used all year, instead of the zone's POSIX rule. */
static long buggy_offset(const gf_tz *tz, int64_t t)
{
    const int64_t table_end = 2145916800; /* 2038-01-01T00:00:00Z */
    long off;
    gf_tz_localtime(tz, t < table_end ? t : table_end - 1, NULL, &off, NULL,
                    NULL);
    return off;
}

static void offset_in_new_york(gf_case *tc)
{
    const gf_tz *tz = zone(tc, "America/New_York");
    int64_t t = *(int64_t *)gf_draw_named(tc, gf_instant(), "t");
    long off;
    if (!gf_tz_localtime(tz, t, NULL, &off, NULL, NULL))
        return; /* past what struct tm holds */
    GF_ASSERT_EQ_INT(tc, buggy_offset(tz, t), off);
}

/* Wrong: past its table (2038 on), a zone's POSIX rule is applied at
 * 02:00 UTC instead of 02:00 local time, so for a few hours around each
 * change the offset is the other one. */
static long buggy_rule_offset(const gf_tz *tz, int64_t t, long std_offset)
{
    const int64_t table_end = 2145916800; /* 2038-01-01T00:00:00Z */
    long off;
    gf_tz_localtime(tz, t < table_end ? t : t + std_offset, NULL, &off,
                    NULL, NULL);
    return off;
}

static void offset_at_far_transitions(gf_case *tc)
{
    const gf_tz *tz = zone(tc, "America/New_York");
    int64_t t = *(int64_t *)gf_draw_named(
        tc, gf_instant_near_transition("America/New_York"), "t");
    long off;
    if (!gf_tz_localtime(tz, t, NULL, &off, NULL, NULL))
        return;
    GF_ASSERT_EQ_INT(tc, buggy_rule_offset(tz, t, -5 * 3600), off);
}

/* Wrong: "-03:30" read as -3 hours plus 30 minutes. */
static int32_t buggy_parse_offset(const char *s)
{
    int h = 0, m = 0;
    if (sscanf(s, "%d:%d", &h, &m) != 2)
        return INT32_MIN;
    return h * 60 + m;
}

static void offset_text_round_trips(gf_case *tc)
{
    int32_t off = *(int32_t *)gf_draw_named(tc, gf_utc_offset(), "offset");
    char text[16];
    int32_t a = off < 0 ? -off : off;
    snprintf(text, sizeof text, "%c%02d:%02d", off < 0 ? '-' : '+',
             (int)(a / 60), (int)(a % 60));
    GF_ASSERT_EQ_INT(tc, buggy_parse_offset(text), off);
}

/* ---- the table ------------------------------------------------------------------------ */

typedef struct bug {
    const char *name;
    const char *kind;
    const char *gens;
    gf_property_fn fn;
} bug;

static const bug bugs[] = {
    {"bst_insert_duplicate", "duplicate keys", "array(int32, 0, 40)",
     bst_insert_duplicate},
    {"bst_delete", "lost subtree", "array(int32, 0, 40), int32",
     bst_delete_keeps_others},
    {"bst_union", "duplicates across values", "2 x array(int32, 0, 40)",
     bst_union_is_a_set},
    {"bst_sized_delete", "tiny tree, repeated key", "int(0, 100) keys of "
     "int(-1000, 1000)", bst_sized_delete},
    {"bsearch_last", "off by one", "array(int(-1000, 1000), 0, 30)",
     bsearch_finds_every_element},
    {"sorted_fast_path", "presorted input", "array(int(0, 100), 0, 30)",
     sort_sorts},
    {"ring_full", "size threshold", "many(0, 64): int(0, 2), int(0, 1000)",
     ring_is_a_queue},
    {"remove_all", "duplicates", "array(int64, 1, 30), index",
     remove_removes_every_copy},
    {"map_same_key", "equal strings", "many(0, 64): ascii(0, 8), int",
     map_counts_distinct_keys},
    {"names_unique", "equal strings", "many(0, 32): ascii(1, 10)",
     names_are_unique},
    {"cache_same_key", "equal long keys", "2 x bytes(1, 32)",
     cache_reads_the_last_put},
    {"csv_empty", "empty input", "array(ascii(1, 6), 0, 8)",
     csv_field_count},
    {"midpoint", "overflow at INT32_MAX", "2 x int32", midpoint_between},
    {"abs", "INT64_MIN", "int64", abs_is_not_negative},
    {"parse_i32", "INT32_MIN", "int32", parse_reads_what_printf_wrote},
    {"checked_add", "overflow below INT32_MIN", "2 x int32",
     checked_add_is_exact},
    {"array_bytes", "size_t overflow", "2 x size", array_bytes_never_wraps},
    {"clamp", "NaN", "double", clamp_stays_in_range},
    {"format_sign", "-0.0", "double_in(no NaN)", format_round_trips},
    {"json_number", "infinity", "double_in(no NaN)", json_numbers_are_json},
    {"mean", "overflow near DBL_MAX", "2 x double_in(finite)",
     mean_of_finite_is_finite},
    {"utf8_surrogate", "invalid UTF-8", "utf8_invalid(all but NUL)",
     validator_rejects_ill_formed},
    {"utf8_truncate", "multi-byte boundary", "utf8(0, 20), int(0, 40)",
     truncate_keeps_utf8},
    {"short_name", "size threshold", "ascii(0, 40)", name_keeps_its_text},
    {"year_2038", "far-future instant", "instant", year_of_any_instant},
    {"leap_century", "calendar edge", "instant", february_length},
    {"tomorrow_dst", "DST transition",
     "instant_near_transition(Europe/London)", tomorrow_same_wall_time},
    {"offset_after_2037", "DST after 2037", "instant",
     offset_in_new_york},
    {"rule_after_2037", "DST rule after 2037",
     "instant_near_transition(America/New_York)", offset_at_far_transitions},
    {"offset_sign", "-03:30 offset", "utc_offset", offset_text_round_trips},
};
#define NBUGS (sizeof bugs / sizeof bugs[0])

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void print_median(uint64_t *v, size_t n)
{
    if (n == 0) {
        printf("%8s", "-");
        return;
    }
    qsort(v, n, sizeof *v, cmp_u64);
    if (n % 2)
        printf("%8" PRIu64, v[n / 2]);
    else if ((v[n / 2 - 1] + v[n / 2]) % 2)
        printf("%6" PRIu64 ".5", (v[n / 2 - 1] + v[n / 2]) / 2);
    else
        printf("%8" PRIu64, (v[n / 2 - 1] + v[n / 2]) / 2);
}

static GF_NORETURN void usage(void)
{
    fputs("usage: bench/bugs [--check] [--trials N] [seeds] [bug-glob]\n",
          stderr);
    exit(2);
}

static bool parse_count(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || v == 0 || v > max)
        return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    bool check = false;
    uint64_t seeds = DEFAULT_SEEDS, trials = DEFAULT_TRIALS;
    const char *glob = "*";
    bool have_seeds = false, have_glob = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--check") == 0)
            check = true;
        else if (strcmp(argv[i], "--trials") == 0 && i + 1 < argc) {
            if (!parse_count(argv[++i], 100000000, &trials))
                usage();
        } else if (!have_seeds && argv[i][0] >= '0' && argv[i][0] <= '9') {
            if (!parse_count(argv[i], 100000, &seeds))
                usage();
            have_seeds = true;
        } else if (!have_glob && argv[i][0] != '-') {
            glob = argv[i];
            have_glob = true;
        } else {
            usage();
        }
    }
    uint64_t *at = calloc(seeds, sizeof *at);
    if (!at) {
        fputs("bugs: out of memory\n", stderr);
        return 3;
    }
    printf("%" PRIu64 " seeds, --trials %" PRIu64 "; \"found\" counts the "
           "seeds with a failure, at the case number shown\n\n", seeds,
           trials);
    printf("%-20s %-26s %5s %8s %6s  %s\n", "bug", "class", "found",
           "median", "worst", "generators");
    size_t matched = 0, missed = 0;
    for (size_t b = 0; b < NBUGS; b++) {
        if (fnmatch(glob, bugs[b].name, 0) != 0)
            continue;
        matched++;
        gf_property prop = {bugs[b].name, bugs[b].fn, __FILE__, __LINE__,
                            NULL};
        size_t found = 0;
        for (uint64_t s = 1; s <= seeds; s++) {
            gf_options opt = {.seed = s, .seed_set = true, .trials = trials,
                              .quiet = true, .max_shrink_calls = 1};
            gf_result res;
            gf_status st = gf_run(&prop, &opt, &res);
            if (st == GF_FAILED)
                at[found++] = res.cases;
            else if (st != GF_PASSED)
                fprintf(stderr, "bugs: %s, seed %" PRIu64 ": %s\n",
                        bugs[b].name, s,
                        res.message ? res.message : "gave up");
            gf_result_free(&res);
        }
        uint64_t worst = 0;
        for (size_t i = 0; i < found; i++)
            worst = at[i] > worst ? at[i] : worst;
        printf("%-20s %-26s %2zu/%-2" PRIu64 " ", bugs[b].name, bugs[b].kind,
               found, seeds);
        print_median(at, found);
        if (found)
            printf(" %6" PRIu64, worst);
        else
            printf(" %6s", "-");
        printf("  %s\n", bugs[b].gens);
        if (found < seeds)
            missed++;
    }
    free(at);
    if (matched == 0) {
        fprintf(stderr, "bugs: no bug matches '%s'\n", glob);
        return 2;
    }
    printf("\n%zu of %zu bugs found on every seed\n", matched - missed,
           matched);
    return check && missed ? 1 : 0;
}
