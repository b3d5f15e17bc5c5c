/*
 * test_payload.c - the payload generators (include/gadfly/payload.h): the
 * strict parser against JSONTestSuite, the JSON generators' validity and
 * biases, the mutations' effects and biases, and where each shrinks.
 *
 * Bias tests run a property on 100 seeds and record, per seed, the first
 * case at which each edge case appeared; each must appear within a stated
 * number of cases on at least 95 of the 100 seeds.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gadfly/gen.h>
#include <gadfly/payload.h>
#include <gadfly/text.h>

#include "helpers.h"

/* ---- the parser against JSONTestSuite ----------------------------------- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n == cap)
            buf = realloc(buf, cap *= 2);
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0)
            break;
        n += got;
    }
    fclose(f);
    *len = n;
    return buf;
}

Test(parser, jsontestsuite_y_accepted_n_rejected)
{
    const char *top = getenv("top_srcdir");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/../shared/data/jsontestsuite/test_parsing",
             top ? top : "..");
    DIR *d = opendir(dir);
    if (d == NULL)
        cr_skip_test("JSONTestSuite not found at %s: parser conformance "
                     "not checked", dir);
    unsigned yes = 0, no = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char kind = e->d_name[0];
        if ((kind != 'y' && kind != 'n') || e->d_name[1] != '_')
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = 0;
        char *text = read_file(path, &len);
        cr_assert(text, "cannot read %s", path);
        gf_json_error err = {0, NULL};
        bool ok = gf_json_valid(text, len, &err);
        if (kind == 'y') {
            yes++;
            cr_expect(ok, "%s rejected: %s at %zu", e->d_name,
                      err.message ? err.message : "?", err.offset);
        } else {
            no++;
            cr_expect(!ok, "%s accepted", e->d_name);
            cr_expect(!ok || err.message, "%s: no message", e->d_name);
        }
        free(text);
    }
    closedir(d);
    cr_expect_gt(yes, 90, "only %u y_ files", yes);
    cr_expect_gt(no, 180, "only %u n_ files", no);
}

/* ---- the parser's tree ---------------------------------------------------- */

static const char tree_text[] =
    " {\"a\\u0000b\": [1, -0.0e+0, 1E-400, 1e308, \"\\ud83d\\ude00\\/\"],"
    "\t\"a\\u0000b\": {}, \"\\u00e9\": [], \"n\": null, \"t\": true,"
    " \"f\": false}\r\n";

static void prop_parse_tree(gf_case *tc)
{
    gf_json_error err;
    const gf_json *v = gf_json_parse(tc, tree_text, sizeof tree_text - 1,
                                     &err);
    GF_ASSERT(tc, v != NULL);
    GF_ASSERT_EQ_INT(tc, v->kind, GF_JSON_OBJECT);
    GF_ASSERT_EQ_UINT(tc, v->count, 6);
    const gf_json_member *m = v->members;
    /* The key holds a NUL; the duplicate key is kept, in order. */
    GF_ASSERT_EQ_UINT(tc, m[0].key_len, 3);
    GF_ASSERT_MEM_EQ(tc, m[0].key, "a\0b", 3);
    GF_ASSERT_EQ_UINT(tc, m[1].key_len, 3);
    GF_ASSERT_MEM_EQ(tc, m[1].key, "a\0b", 3);
    GF_ASSERT_STR_EQ(tc, m[2].key, "\xC3\xA9");
    const gf_json *arr = &m[0].value;
    GF_ASSERT_EQ_INT(tc, arr->kind, GF_JSON_ARRAY);
    GF_ASSERT_EQ_UINT(tc, arr->count, 5);
    GF_ASSERT_EQ_DOUBLE(tc, arr->items[0].number, 1.0);
    GF_ASSERT_STR_EQ(tc, arr->items[1].text, "-0.0e+0");
    GF_ASSERT(tc, arr->items[1].number == 0 && signbit(arr->items[1].number));
    GF_ASSERT_EQ_DOUBLE(tc, arr->items[2].number, 0.0);
    GF_ASSERT_EQ_DOUBLE(tc, arr->items[3].number, 1e308);
    GF_ASSERT_STR_EQ(tc, arr->items[4].text, "\xF0\x9F\x98\x80/");
    GF_ASSERT_EQ_INT(tc, m[1].value.kind, GF_JSON_OBJECT);
    GF_ASSERT_EQ_UINT(tc, m[1].value.count, 0);
    GF_ASSERT_EQ_INT(tc, m[2].value.kind, GF_JSON_ARRAY);
    GF_ASSERT_EQ_INT(tc, m[3].value.kind, GF_JSON_NULL);
    GF_ASSERT_EQ_INT(tc, m[4].value.kind, GF_JSON_TRUE);
    GF_ASSERT_EQ_INT(tc, m[5].value.kind, GF_JSON_FALSE);

    /* Written compactly and read back, it is the same value. */
    size_t len;
    char *out = gf_json_write(tc, v, &len);
    GF_ASSERT_STR_EQ(tc, out,
                     "{\"a\\u0000b\":[1,-0.0e+0,1E-400,1e308,\"\xF0\x9F\x98\x80"
                     "/\"],\"a\\u0000b\":{},\"\xC3\xA9\":[],\"n\":null,"
                     "\"t\":true,\"f\":false}");
    const gf_json *again = gf_json_parse(tc, out, len, NULL);
    GF_ASSERT(tc, again && gf_json_equal(v, again));
    GF_ASSERT(tc, !gf_json_equal(v, &arr->items[0]));
    GF_ASSERT(tc, !gf_json_equal(&m[0].value, &m[1].value));
}

Test(parser, tree_holds_what_the_text_says)
{
    RUN_PASSING(prop_parse_tree, 1, 1);
}

/* Each rejected text with where and why. */
static const struct {
    const char *text;
    size_t offset;
    const char *message;
} rejections[] = {
    {"", 0, "expected a value"},
    {"[1,]", 3, "expected a value"},
    {"{\"a\" 1}", 5, "expected ':'"},
    {"\"\\ud800\"", 7, "lone high surrogate"},
    {"\"\\udc00\"", 7, "lone low surrogate"},
    {"01", 1, "unexpected text after the value"},
    {"\xEF\xBB\xBFnull", 0, "expected a value"},
    {"\"a\x01\"", 2, "control character in a string"},
    {"\"\xC0\x80\"", 1, "invalid UTF-8"},
    {"[1 2]", 3, "expected ',' or ']'"},
    {"\"\\x\"", 2, "unknown escape"},
    {"-", 1, "expected a digit"},
    {"1.", 2, "expected a digit after '.'"},
    {"1e", 2, "expected a digit in the exponent"},
};

Test(parser, rejects_with_offset_and_message)
{
    for (size_t i = 0; i < sizeof rejections / sizeof rejections[0]; i++) {
        gf_json_error err = {99, NULL};
        const char *t = rejections[i].text;
        cr_expect(!gf_json_valid(t, strlen(t), &err), "accepted %s", t);
        cr_expect_eq(err.offset, rejections[i].offset, "%s: offset %zu", t,
                     err.offset);
        cr_expect(err.message && strcmp(err.message, rejections[i].message) == 0,
                  "%s: message %s", t, err.message ? err.message : "(none)");
    }
    /* A NULL text is an error, not a crash; NULL with length 0 is "". */
    gf_json_error err;
    cr_expect(!gf_json_valid(NULL, 5, &err));
    cr_expect_str_eq(err.message, "text is NULL");
    cr_expect(!gf_json_valid(NULL, 0, NULL));
    cr_expect_null(gf_json_parse(NULL, "1", 1, &err));
    cr_expect_str_eq(err.message, "no test case (use gf_json_valid)");
    /* A NUL inside the given length is not the end. */
    cr_expect(!gf_json_valid("1\0", 2, NULL));
}

/* 100000 levels: accepted closed, rejected open, and no stack overflow. */
#define DEEP 100000

static void prop_parse_deep(gf_case *tc)
{
    char *text = gf_alloc(tc, 2 * DEEP);
    memset(text, '[', DEEP);
    memset(text + DEEP, ']', DEEP);
    const gf_json *v = gf_json_parse(tc, text, 2 * DEEP, NULL);
    GF_ASSERT(tc, v != NULL);
    size_t depth = 0;
    for (const gf_json *x = v; x->count; x = &x->items[0])
        depth++;
    GF_ASSERT_EQ_UINT(tc, depth, DEEP - 1);
    size_t len;
    char *out = gf_json_write(tc, v, &len);
    GF_ASSERT_EQ_UINT(tc, len, 2 * DEEP);
    GF_ASSERT(tc, gf_json_equal(v, gf_json_parse(tc, out, len, NULL)));
    GF_ASSERT(tc, !gf_json_valid(text, 2 * DEEP - 1, NULL));
}

Test(parser, deep_nesting_without_recursion)
{
    RUN_PASSING(prop_parse_deep, 1, 1);
}

/* ---- the JSON generators ---------------------------------------------------- */

#define GEN_DEPTH 6

static unsigned long cases_seen;

/* Depth of nesting of a tree (containers). */
static size_t tree_depth(const gf_json *v)
{
    size_t deepest = 0;
    for (size_t i = 0; i < v->count; i++) {
        const gf_json *c = v->kind == GF_JSON_OBJECT ? &v->members[i].value
                                                     : &v->items[i];
        size_t d = tree_depth(c);
        if (d > deepest)
            deepest = d;
    }
    return v->kind >= GF_JSON_ARRAY ? deepest + 1 : 0;
}

static void prop_text_valid(gf_case *tc)
{
    const char *text = gf_draw(tc, gf_json_text(GEN_DEPTH));
    gf_json_error err = {0, NULL};
    size_t len = strlen(text);
    if (!gf_json_valid(text, len, &err))
        GF_FAIL(tc, "invalid JSON (%s at %zu)", err.message, err.offset);
    const gf_json *v = gf_json_parse(tc, text, len, NULL);
    GF_ASSERT(tc, v != NULL);
    GF_ASSERT_LE_UINT(tc, tree_depth(v), GEN_DEPTH);
    /* Written compactly and read back, it is the same value. */
    size_t out_len;
    char *out = gf_json_write(tc, v, &out_len);
    GF_ASSERT(tc, gf_json_equal(v, gf_json_parse(tc, out, out_len, NULL)));
    cases_seen++;
}

Test(json, text_is_always_valid)
{
    cases_seen = 0;
    for (uint64_t seed = 1; seed <= 5; seed++)
        RUN_PASSING(prop_text_valid, seed, 1000);
    cr_expect_geq(cases_seen, 5000);
}

static void prop_tree_valid(gf_case *tc)
{
    const gf_json *v = gf_draw(tc, gf_json_tree(GEN_DEPTH));
    GF_ASSERT_LE_UINT(tc, tree_depth(v), GEN_DEPTH);
    size_t len;
    char *text = gf_json_write(tc, v, &len);
    const gf_json *back = gf_json_parse(tc, text, len, NULL);
    GF_ASSERT(tc, back != NULL && gf_json_equal(v, back));
}

Test(json, tree_writes_valid_text)
{
    for (uint64_t seed = 1; seed <= 3; seed++)
        RUN_PASSING(prop_tree_valid, seed, 1000);
}

/* The same seed draws the same documents from both generators. */
#define LOGGED 200
static char *docs[2][LOGGED];
static size_t ndocs[2];

static void log_doc(int which, gf_case *tc, const gf_json *v)
{
    if (ndocs[which] < LOGGED)
        docs[which][ndocs[which]++] = strdup(gf_json_write(tc, v, NULL));
}

static void prop_log_tree(gf_case *tc)
{
    log_doc(0, tc, gf_draw(tc, gf_json_tree(GEN_DEPTH)));
}

static void prop_log_text(gf_case *tc)
{
    const char *text = gf_draw(tc, gf_json_text(GEN_DEPTH));
    log_doc(1, tc, gf_json_parse(tc, text, strlen(text), NULL));
}

Test(json, tree_and_text_draw_the_same_documents)
{
    /* One name for both runs: the name is part of the seed. */
    gf_result r;
    ndocs[0] = ndocs[1] = 0;
    cr_assert_eq(run_property("same", prop_log_tree, 77, LOGGED, &r),
                 GF_PASSED);
    gf_result_free(&r);
    cr_assert_eq(run_property("same", prop_log_text, 77, LOGGED, &r),
                 GF_PASSED);
    gf_result_free(&r);
    cr_expect_eq(ndocs[0], ndocs[1]);
    cr_expect_gt(ndocs[0], LOGGED / 2);
    for (size_t i = 0; i < ndocs[0] && i < ndocs[1]; i++)
        cr_expect_str_eq(docs[0][i], docs[1][i], "document %zu: %s vs %s", i,
                         docs[0][i], docs[1][i]);
    for (int w = 0; w < 2; w++)
        for (size_t i = 0; i < ndocs[w]; i++)
            free(docs[w][i]);
}

/* ---- biases of the JSON text --------------------------------------------- */

enum json_feature {
    F_SPACE, F_TAB, F_NEWLINE, F_RETURN,
    F_ESC_QUOTE, F_ESC_BACKSLASH, F_ESC_SLASH, F_ESC_B, F_ESC_F, F_ESC_N,
    F_ESC_R, F_ESC_T, F_ESC_U_LOWER, F_ESC_U_UPPER, F_ESC_NUL,
    F_SURROGATE_PAIR,
    F_1E308, F_NEG_ZERO, F_ZERO_POINT_ZERO, F_1E_MINUS_400, F_HUGE_INT,
    F_NEG_ZERO_EXP,
    F_MAX_DEPTH, F_DUPLICATE_KEY, F_EMPTY_ARRAY, F_EMPTY_OBJECT,
    F_NON_ASCII_KEY, F_NUL_IN_STRING,
    F_COUNT,
};

static const char *const feature_names[F_COUNT] = {
    "space", "tab", "newline", "carriage return",
    "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
    "\\u (lower hex)", "\\u (upper hex)", "\\u0000", "surrogate pair",
    "1e308", "-0", "0.0", "1E-400", "123456789012345678901234567890",
    "-0.0e+0",
    "max depth", "duplicate key", "[]", "{}", "non-ASCII key",
    "NUL in a string",
};

/* Per seed, the first case at which each feature appeared (0: never). */
static unsigned long first_at[F_COUNT];

static void saw(int f)
{
    if (first_at[f] == 0)
        first_at[f] = cases_seen;
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

static void scan_text_features(const char *t)
{
    static const struct {
        const char *lit;
        int f;
    } numbers[] = {
        {"1e308", F_1E308}, {"-0", F_NEG_ZERO}, {"0.0", F_ZERO_POINT_ZERO},
        {"1E-400", F_1E_MINUS_400},
        {"123456789012345678901234567890", F_HUGE_INT},
        {"-0.0e+0", F_NEG_ZERO_EXP},
    };
    for (size_t i = 0; t[i];) {
        char c = t[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            saw(c == ' ' ? F_SPACE : c == '\t' ? F_TAB
                                   : c == '\n' ? F_NEWLINE : F_RETURN);
            i++;
        } else if (c == '"') {
            for (i++; t[i] && t[i] != '"'; i++) {
                if (t[i] != '\\')
                    continue;
                char e = t[++i];
                static const char shorts[] = "\"\\/bfnrt";
                const char *k = strchr(shorts, e);
                if (e && k)
                    saw(F_ESC_QUOTE + (int)(k - shorts));
                if (e == 'u') {
                    bool upper = false, lower = false;
                    for (int h = 1; h <= 4; h++) {
                        upper |= t[i + h] >= 'A' && t[i + h] <= 'F';
                        lower |= t[i + h] >= 'a' && t[i + h] <= 'f';
                    }
                    if (upper)
                        saw(F_ESC_U_UPPER);
                    if (lower)
                        saw(F_ESC_U_LOWER);
                    if (strncmp(t + i + 1, "0000", 4) == 0)
                        saw(F_ESC_NUL);
                    if ((t[i + 1] == 'd' || t[i + 1] == 'D') &&
                        strchr("89abAB", t[i + 2]) && t[i + 5] == '\\' &&
                        t[i + 6] == 'u' && is_hex(t[i + 7]))
                        saw(F_SURROGATE_PAIR);
                    i += 4;
                }
            }
            i++;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t j = i;
            while (t[j] && strchr("0123456789+-.eE", t[j]))
                j++;
            for (size_t k = 0; k < sizeof numbers / sizeof numbers[0]; k++)
                if (strlen(numbers[k].lit) == j - i &&
                    strncmp(t + i, numbers[k].lit, j - i) == 0)
                    saw(numbers[k].f);
            i = j;
        } else {
            i++;
        }
    }
}

static void scan_tree_features(const gf_json *v)
{
    if (v->kind == GF_JSON_ARRAY && v->count == 0)
        saw(F_EMPTY_ARRAY);
    if (v->kind == GF_JSON_OBJECT && v->count == 0)
        saw(F_EMPTY_OBJECT);
    if (v->kind == GF_JSON_STRING && memchr(v->text, 0, v->len))
        saw(F_NUL_IN_STRING);
    for (size_t i = 0; i < v->count; i++) {
        if (v->kind == GF_JSON_ARRAY) {
            scan_tree_features(&v->items[i]);
            continue;
        }
        const gf_json_member *m = &v->members[i];
        for (size_t k = 0; k < m->key_len; k++)
            if ((unsigned char)m->key[k] >= 0x80) {
                saw(F_NON_ASCII_KEY);
                break;
            }
        for (size_t j = 0; j < i; j++)
            if (v->members[j].key_len == m->key_len &&
                memcmp(v->members[j].key, m->key, m->key_len) == 0)
                saw(F_DUPLICATE_KEY);
        scan_tree_features(&m->value);
    }
}

static void prop_json_features(gf_case *tc)
{
    const char *text = gf_draw(tc, gf_json_text(GEN_DEPTH));
    cases_seen++;
    scan_text_features(text);
    const gf_json *v = gf_json_parse(tc, text, strlen(text), NULL);
    GF_ASSERT(tc, v != NULL);
    scan_tree_features(v);
    if (tree_depth(v) == GEN_DEPTH)
        saw(F_MAX_DEPTH);
}

#define BIAS_SEEDS 100
#define JSON_WITHIN 400

static int cmp_ulong(const void *a, const void *b)
{
    unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
    return x < y ? -1 : x > y;
}

Test(json, every_edge_case_within_400_cases)
{
    unsigned hits[F_COUNT] = {0};
    static unsigned long firsts[F_COUNT][BIAS_SEEDS];
    for (uint64_t seed = 1; seed <= BIAS_SEEDS; seed++) {
        memset(first_at, 0, sizeof first_at);
        cases_seen = 0;
        RUN_PASSING(prop_json_features, seed * 7919, JSON_WITHIN);
        for (int f = 0; f < F_COUNT; f++) {
            hits[f] += first_at[f] != 0 && first_at[f] <= JSON_WITHIN;
            firsts[f][seed - 1] = first_at[f] ? first_at[f] : 999999;
        }
    }
    if (getenv("PAYLOAD_MEASURE"))
        for (int f = 0; f < F_COUNT; f++) {
            qsort(firsts[f], BIAS_SEEDS, sizeof firsts[f][0], cmp_ulong);
            fprintf(stderr, "%-32s 95th seed: case %lu\n", feature_names[f],
                    firsts[f][94]);
        }
    for (int f = 0; f < F_COUNT; f++)
        cr_expect_geq(hits[f], 95, "%s within %d cases on only %u of %d seeds",
                      feature_names[f], JSON_WITHIN, hits[f], BIAS_SEEDS);
}

/* ---- shrinking ------------------------------------------------------------ */


static void prop_text_never(gf_case *tc)
{
    gf_draw(tc, gf_json_text(GEN_DEPTH));
    GF_FAIL(tc, "always");
}

static void prop_tree_never(gf_case *tc)
{
    gf_draw(tc, gf_json_tree(GEN_DEPTH));
    GF_FAIL(tc, "always");
}

static void prop_text_no_bracket(gf_case *tc)
{
    const char *t = gf_draw(tc, gf_json_text(GEN_DEPTH));
    GF_ASSERT(tc, strchr(t, '[') == NULL);
}

static void prop_tree_no_number(gf_case *tc)
{
    const gf_json *v = gf_draw(tc, gf_json_tree(GEN_DEPTH));
    GF_ASSERT(tc, v->kind != GF_JSON_NUMBER);
}

/* A `true` anywhere in the document: the shrinker lifts it out of
 * whatever holds it, a descendant replacing its ancestors. */
static bool holds_true(const gf_json *v)
{
    if (v->kind == GF_JSON_TRUE)
        return true;
    for (size_t i = 0; i < v->count; i++)
        if (holds_true(v->kind == GF_JSON_ARRAY ? &v->items[i]
                                                : &v->members[i].value))
            return true;
    return false;
}

static void prop_tree_no_true(gf_case *tc)
{
    const gf_json *v = gf_draw(tc, gf_json_tree(GEN_DEPTH));
    GF_ASSERT(tc, !holds_true(v));
}

static void prop_deep_fails(gf_case *tc)
{
    const gf_json *v = gf_draw(tc, gf_json_tree(200));
    GF_ASSERT(tc, tree_depth(v) < 50);
}

Test(shrinking, json_toward_simplest)
{
    expect_shrunk(prop_text_never, 1, "= \"null\"");
    expect_shrunk(prop_tree_never, 2, "= \"null\"");
    expect_shrunk(prop_text_no_bracket, 3, "= \"[]\"");
    expect_shrunk(prop_tree_no_number, 4, "= \"0\"");
    /* Exactly 50 levels: the run of nested arrays shrinks to the bound. */
    for (uint64_t seed = 5; seed <= 7; seed++) {
        char *text = shrunk(prop_deep_fails, seed);
        size_t open = 0, other = 0;
        for (const char *c = strstr(text, "= \""); c && *c; c++) {
            open += *c == '[' || *c == '{';
            other += (*c >= '0' && *c <= '9') || *c == 'n' || *c == 't';
        }
        cr_expect_eq(open, 50, "seed %llu: %s", (unsigned long long)seed,
                     text);
        cr_expect_eq(other, 0, "seed %llu: %s", (unsigned long long)seed,
                     text);
        free(text);
    }
}

Test(shrinking, json_subtree_replaces_its_ancestors)
{
    for (uint64_t seed = 1; seed <= 5; seed++)
        expect_shrunk(prop_tree_no_true, seed, "= \"true\"");
}

/* ---- mutations ------------------------------------------------------------- */

#define NMUT 19

static const gf_gen *json_mutated(unsigned mask)
{
    return gf_mutated(gf_json_text(GEN_DEPTH), mask);
}

static int mutation_index(unsigned bit)
{
    for (int i = 0; i < NMUT; i++)
        if (bit == 1u << i)
            return i;
    return -1;
}

static unsigned long mut_first_at[NMUT];
static unsigned long rejected_count, checked_count;
static bool check_validity;

static void prop_mutation_features(gf_case *tc)
{
    const gf_mutated_value *m = gf_draw(tc, json_mutated(GF_MUT_ALL));
    cases_seen++;
    int i = mutation_index(m->mutation);
    GF_ASSERT(tc, i >= 0);
    GF_ASSERT(tc, m->data != NULL && m->data[m->len] == '\0');
    GF_ASSERT(tc, m->detail != NULL && m->detail[0] != '\0');
    if (mut_first_at[i] == 0)
        mut_first_at[i] = cases_seen;
    if (check_validity) {
        checked_count++;
        rejected_count += !gf_json_valid(m->data, m->len, NULL);
    }
}

#define MUT_WITHIN 400

Test(mutations, every_mutation_within_400_cases)
{
    unsigned hits[NMUT] = {0};
    static unsigned long firsts[NMUT][BIAS_SEEDS];
    /* Validity is checked on the first 20 seeds (8000 payloads): deep
     * runs of 100000 brackets make it the costly part. */
    checked_count = rejected_count = 0;
    for (uint64_t seed = 1; seed <= BIAS_SEEDS; seed++) {
        memset(mut_first_at, 0, sizeof mut_first_at);
        cases_seen = 0;
        check_validity = seed <= 20;
        RUN_PASSING(prop_mutation_features, seed * 104729, MUT_WITHIN);
        for (int i = 0; i < NMUT; i++) {
            hits[i] += mut_first_at[i] != 0 && mut_first_at[i] <= MUT_WITHIN;
            firsts[i][seed - 1] = mut_first_at[i] ? mut_first_at[i] : 999999;
        }
    }
    for (int i = 0; i < NMUT; i++)
        cr_expect_geq(hits[i], 95, "%s within %d cases on only %u of %d seeds",
                      gf_mutation_name(1u << i), MUT_WITHIN, hits[i],
                      BIAS_SEEDS);
    if (getenv("PAYLOAD_MEASURE")) {
        for (int i = 0; i < NMUT; i++) {
            qsort(firsts[i], BIAS_SEEDS, sizeof firsts[i][0], cmp_ulong);
            fprintf(stderr, "%-16s 95th seed: case %lu\n",
                    gf_mutation_name(1u << i), firsts[i][94]);
        }
    }
    /* Malformed payloads are malformed: the strict parser rejects at
     * least 90% of them (about 96% measured; the rest are valid by
     * chance: a truncated number, a deleted space, a closed deep run). */
    double share = (double)rejected_count / (double)checked_count;
    if (getenv("PAYLOAD_MEASURE"))
        fprintf(stderr, "rejected: %lu of %lu (%.2f%%)\n", rejected_count,
                checked_count, 100.0 * share);
    cr_expect_geq(checked_count, 8000);
    cr_expect_geq(share, 0.90, "only %.1f%% of %lu mutated payloads rejected",
                  100.0 * share, checked_count);
}

/* These always break valid JSON: the strict parser must reject every
 * payload they make. */
#define ALWAYS_INVALID                                                       \
    (GF_MUT_CUT_STRING | GF_MUT_CUT_ESCAPE | GF_MUT_CUT_LITERAL |           \
     GF_MUT_BOM | GF_MUT_UTF16 | GF_MUT_UNBALANCE | GF_MUT_GARBAGE |        \
     GF_MUT_COMMENT | GF_MUT_SINGLE_QUOTES | GF_MUT_NAN_INF |               \
     GF_MUT_TRAILING_COMMA | GF_MUT_LEADING_ZERO)

static void prop_always_invalid(gf_case *tc)
{
    const gf_mutated_value *m = gf_draw(tc, json_mutated(ALWAYS_INVALID));
    /* A cut with no target falls back to truncation, which may not
     * break the text; an insertion stands in for missing strings. */
    if (m->mutation & ALWAYS_INVALID) {
        if (gf_json_valid(m->data, m->len, NULL))
            GF_FAIL(tc, "%s left valid JSON: %s",
                    gf_mutation_name(m->mutation), m->detail);
    } else {
        GF_ASSERT(tc, m->mutation == GF_MUT_TRUNCATE ||
                          m->mutation == GF_MUT_INSERT);
    }
}

Test(mutations, breaking_mutations_always_break)
{
    for (uint64_t seed = 1; seed <= 3; seed++)
        RUN_PASSING(prop_always_invalid, seed, 2000);
}

/* A mask of one mutation gives that mutation, or its documented
 * fallback. */
static unsigned one_mask;
static unsigned long seen_named;

static void prop_one_mutation(gf_case *tc)
{
    const gf_mutated_value *m = gf_draw(tc, json_mutated(one_mask));
    unsigned fallback = 0;
    if (one_mask & (GF_MUT_CUT_STRING | GF_MUT_CUT_ESCAPE |
                    GF_MUT_CUT_NUMBER | GF_MUT_CUT_LITERAL))
        fallback = GF_MUT_TRUNCATE;
    if (one_mask == GF_MUT_SINGLE_QUOTES)
        fallback = GF_MUT_INSERT;
    GF_ASSERT(tc, m->mutation == one_mask || m->mutation == fallback);
    seen_named += m->mutation == one_mask;
}

Test(mutations, a_mask_of_one_gives_that_one)
{
    for (int i = 0; i < NMUT; i++) {
        one_mask = 1u << i;
        seen_named = 0;
        RUN_PASSING(prop_one_mutation, (uint64_t)i + 1, 100);
        /* Small early documents often lack a target (no escape, no
         * string), so the fallback takes some of the cases. */
        cr_expect_gt(seen_named, 20, "%s applied only %lu times in 100",
                     gf_mutation_name(one_mask), seen_named);
    }
}

/* UTF-16 back to UTF-8, for the re-encoding check. */
static size_t utf16_to_utf8(const uint8_t *in, size_t len, bool big,
                            char *out)
{
    size_t o = 0;
    for (size_t i = 0; i + 1 < len; i += 2) {
        uint32_t u = big ? (uint32_t)in[i] << 8 | in[i + 1]
                         : (uint32_t)in[i + 1] << 8 | in[i];
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
            uint32_t lo = big ? (uint32_t)in[i + 2] << 8 | in[i + 3]
                              : (uint32_t)in[i + 3] << 8 | in[i + 2];
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            i += 2;
        }
        if (u < 0x80) {
            out[o++] = (char)u;
        } else if (u < 0x800) {
            out[o++] = (char)(0xC0 | u >> 6);
            out[o++] = (char)(0x80 | (u & 0x3F));
        } else if (u < 0x10000) {
            out[o++] = (char)(0xE0 | u >> 12);
            out[o++] = (char)(0x80 | (u >> 6 & 0x3F));
            out[o++] = (char)(0x80 | (u & 0x3F));
        } else {
            out[o++] = (char)(0xF0 | u >> 18);
            out[o++] = (char)(0x80 | (u >> 12 & 0x3F));
            out[o++] = (char)(0x80 | (u >> 6 & 0x3F));
            out[o++] = (char)(0x80 | (u & 0x3F));
        }
    }
    return o;
}

static unsigned long utf16_forms[4];

/* Each mutation does what its name says. */
static void prop_mutation_effects(gf_case *tc)
{
    const gf_mutated_value *m = gf_draw(
        tc, json_mutated(GF_MUT_BOM | GF_MUT_UTF16 | GF_MUT_DEEP |
                         GF_MUT_TRAILING_COMMA | GF_MUT_COMMENT));
    const uint8_t *d = m->data;
    switch (m->mutation) {
    case GF_MUT_BOM:
        GF_ASSERT(tc, m->len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0);
        GF_ASSERT(tc, gf_json_valid(d + 3, m->len - 3, NULL));
        break;
    case GF_MUT_UTF16: {
        /* Valid JSON, re-encoded: decoding it back gives valid JSON. */
        GF_ASSERT(tc, m->len % 2 == 0 && m->len >= 2);
        bool big, bom = false;
        if (d[0] == 0xFE && d[1] == 0xFF)
            big = bom = true;
        else if (d[0] == 0xFF && d[1] == 0xFE)
            big = false, bom = true;
        else
            big = d[0] == 0; /* JSON starts with ASCII */
        char *back = gf_alloc(tc, 2 * m->len + 1);
        size_t n = utf16_to_utf8(d + (bom ? 2 : 0), m->len - (bom ? 2 : 0),
                                 big, back);
        GF_ASSERT(tc, gf_json_valid(back, n, NULL));
        utf16_forms[big * 2 + bom]++;
        break;
    }
    case GF_MUT_DEEP: {
        /* "N '[' in front[, closed after]": at least N '[' lead (the
         * document may open with its own), and as many ']' end it when
         * closed. */
        size_t levels = 0, open = 0, close = 0;
        GF_ASSERT(tc, sscanf(m->detail, "%zu '[' in front", &levels) == 1);
        GF_ASSERT(tc, levels >= 1);
        while (open < m->len && d[open] == '[')
            open++;
        while (close < m->len && d[m->len - 1 - close] == ']')
            close++;
        GF_ASSERT(tc, open >= levels);
        if (strstr(m->detail, "closed after"))
            GF_ASSERT(tc, close >= levels);
        break;
    }
    case GF_MUT_TRAILING_COMMA: {
        /* "a ',' at N[, before a closing bracket]": the ',' is at N, and
         * a ']' or '}' follows it, or nothing does. */
        size_t at = 0;
        GF_ASSERT(tc, sscanf(m->detail, "a ',' at %zu", &at) == 1);
        GF_ASSERT(tc, at < m->len && d[at] == ',');
        if (strstr(m->detail, "before a closing bracket"))
            GF_ASSERT(tc, at + 1 < m->len &&
                              (d[at + 1] == ']' || d[at + 1] == '}'));
        else
            GF_ASSERT(tc, at + 1 == m->len);
        break;
    }
    case GF_MUT_COMMENT:
        GF_ASSERT(tc, strstr((const char *)d, "//") ||
                          strstr((const char *)d, "/*"));
        break;
    default:
        GF_FAIL(tc, "unexpected mutation %s", gf_mutation_name(m->mutation));
    }
}

Test(mutations, each_does_what_it_says)
{
    memset(utf16_forms, 0, sizeof utf16_forms);
    RUN_PASSING(prop_mutation_effects, 11, 1000);
    cr_expect_gt(utf16_forms[0], 0, "UTF-16LE without BOM never made");
    cr_expect_gt(utf16_forms[1], 0, "UTF-16LE with BOM never made");
    cr_expect_gt(utf16_forms[2], 0, "UTF-16BE without BOM never made");
    cr_expect_gt(utf16_forms[3], 0, "UTF-16BE with BOM never made");
}

/* Deep runs reach the documented 100000 levels. */
static unsigned long deepest;

static void prop_deep_levels(gf_case *tc)
{
    const gf_mutated_value *m = gf_draw(tc, json_mutated(GF_MUT_DEEP));
    size_t open = 0;
    while (open < m->len && m->data[open] == '[')
        open++;
    if (open > deepest)
        deepest = open;
}

Test(mutations, deep_reaches_100000)
{
    deepest = 0;
    RUN_PASSING(prop_deep_levels, 5, 300);
    cr_expect_geq(deepest, 100000);
}

/* Any bytes, not only JSON: every mutation applies (or falls back) and
 * the value stays consistent, also mutating a mutated value. */
static unsigned long fell_back;

static void prop_bytes_payload(gf_case *tc)
{
    const gf_gen *g = gf_mutated(gf_mutated(gf_bytes(0, 12), GF_MUT_ALL),
                                 GF_MUT_CUT_STRING | GF_MUT_CUT_NUMBER);
    const gf_mutated_value *m = gf_draw(tc, g);
    GF_ASSERT(tc, m->data[m->len] == '\0');
    GF_ASSERT(tc, gf_mutation_name(m->mutation) != NULL);
    fell_back += m->mutation == GF_MUT_TRUNCATE ||
                 m->mutation == GF_MUT_INSERT;
    const gf_mutated_value *t = gf_draw(tc, gf_mutated(gf_ascii(0, 10),
                                                       GF_MUT_ALL));
    GF_ASSERT(tc, t->data[t->len] == '\0');
}

Test(mutations, any_bytes_are_a_payload)
{
    fell_back = 0;
    RUN_PASSING(prop_bytes_payload, 6, 1000);
    cr_expect_gt(fell_back, 0, "no JSON-aware mutation fell back");
}

static const gf_gen *misused;

static void prop_draw_misused(gf_case *tc)
{
    gf_draw(tc, misused);
}

static void expect_misuse_named(const gf_gen *g, const char *name,
                                const char *why)
{
    gf_result r;
    misused = g;
    gf_status st = run_property("misuse", prop_draw_misused, 9, 10, &r);
    cr_expect_neq(st, GF_PASSED, "misuse (%s) not reported", why);
    cr_expect(r.message && strstr(r.message, name) &&
                  strstr(r.message, why),
              "message: %s", r.message ? r.message : "(none)");
    gf_result_free(&r);
}

static void expect_misuse(const gf_gen *g, const char *why)
{
    expect_misuse_named(g, "mutated", why);
}

/* Text through combinators is text. */
static void prop_text_combinators(gf_case *tc)
{
    const gf_gen *text = gf_one_of(gf_ascii(0, 3), gf_optional(gf_utf8(0, 3)),
                                   gf_json_text(2));
    const gf_mutated_value *m = gf_draw(tc, gf_mutated(text, GF_MUT_ALL));
    GF_ASSERT(tc, m->data[m->len] == '\0');
}

Test(mutations, text_through_combinators_is_a_payload)
{
    RUN_PASSING(prop_text_combinators, 3, 300);
}

/* The dirty-text family is text, and bytes through combinators are
 * bytes. */

static bool shorter_than_5(const void *value, void *env)
{
    (void)env;
    return ((const gf_bytes_value *)value)->len < 5;
}

static void prop_dirty_payloads(gf_case *tc)
{
    const gf_gen *text = gf_one_of(gf_nasty_string(), gf_numeric_string());
    const gf_mutated_value *m = gf_draw(tc, gf_mutated(text, GF_MUT_ALL));
    GF_ASSERT(tc, m->data[m->len] == '\0');
    const gf_mutated_value *d =
        gf_draw(tc, gf_mutated(gf_dirty_text(), GF_MUT_ALL));
    GF_ASSERT(tc, d->data[d->len] == '\0');
    const gf_gen *bytes = gf_frequency(
        1, gf_bytes(0, 4), 2, gf_filter(gf_utf8_invalid(GF_UTF8_ANY_INVALID),
                                        shorter_than_5, NULL));
    const gf_mutated_value *b = gf_draw(tc, gf_mutated(bytes, GF_MUT_ALL));
    GF_ASSERT(tc, b->data[b->len] == '\0');
}

Test(mutations, dirty_text_and_bytes_through_combinators_are_payloads)
{
    RUN_PASSING(prop_dirty_payloads, 4, 500);
}

/* A text value may be NULL (gf_dirty_text gives it): it is mutated as the
 * empty string, so truncating it inserts bytes at 0. */
static void draw_null_text(gf_case *tc, const gf_gen *self, void *out)
{
    (void)tc;
    (void)self;
    *(char **)out = NULL;
}

static void prop_null_text(gf_case *tc)
{
    gf_gen t = {
        .name = "null_text",
        .size = sizeof(char *),
        .align = _Alignof(char *),
        .flags = GF_GEN_POINTER_VALUE | GF_GEN_TEXT,
        .kind = GF_VALUE_POINTER,
        .label = gf_span_label("null_text"),
        .draw = draw_null_text,
    };
    const gf_gen *null_text = gf_gen_intern(&t);
    const gf_mutated_value *m =
        gf_draw(tc, gf_mutated(null_text, GF_MUT_TRUNCATE));
    GF_ASSERT(tc, m->mutation == GF_MUT_INSERT);
    GF_ASSERT(tc, m->len > 0 && m->data[m->len] == '\0');
    GF_ASSERT(tc, strstr(m->detail, " at 0") != NULL);
    gf_draw(tc, gf_mutated(null_text, GF_MUT_ALL));
}

Test(mutations, null_text_is_mutated_as_empty)
{
    RUN_PASSING(prop_null_text, 5, 200);
}

/* Values that are not text or bytes, however they are sized. */
typedef struct span_pair {
    double lo, hi;
} span_pair;

static void draw_span_pair(gf_case *tc, void *out, void *env)
{
    (void)env;
    span_pair *p = out;
    p->lo = gf_draw_double(tc, -1.0, 0.0, 0);
    p->hi = gf_draw_double(tc, 1.0, 1e300, 0);
}

static void map_to_16_bytes(gf_case *tc, const void *in, void *out,
                            void *env)
{
    (void)tc;
    (void)env;
    int64_t v = *(const int64_t *)in;
    memcpy(out, &v, sizeof v);
    memcpy((char *)out + 8, &v, sizeof v);
}

static const gf_gen *bind_to_int64(const void *value, void *env)
{
    (void)value;
    (void)env;
    return gf_int64();
}

Test(mutations, misuse_reported_when_drawn)
{
    expect_misuse_named(gf_json_text(GF_JSON_MAX_DEPTH + 1), "json_text",
                        "max_depth (100001) above 100000");
    expect_misuse_named(gf_json_tree(GF_JSON_MAX_DEPTH + 1), "json_tree",
                        "max_depth");
    expect_misuse(gf_mutated(gf_optional(gf_int32()), GF_MUT_ALL),
                  "not marked as text or bytes");
    cr_assert_eq(sizeof(span_pair), sizeof(gf_bytes_value));
    expect_misuse(gf_mutated(gf_custom("span_pair", sizeof(span_pair),
                                       draw_span_pair, NULL, NULL),
                             GF_MUT_ALL),
                  "(span_pair) is not marked as text or bytes");
    expect_misuse(gf_mutated(gf_map(gf_int64(), 16, map_to_16_bytes, NULL,
                                    NULL),
                             GF_MUT_ALL),
                  "not marked as text or bytes");
    expect_misuse(gf_mutated(gf_array(gf_int64(), 0, 4), GF_MUT_ALL),
                  "not marked as text or bytes");
    expect_misuse(gf_mutated(gf_bind(gf_ascii(0, 3), bind_to_int64, NULL),
                             GF_MUT_ALL),
                  "not marked as text or bytes");
    expect_misuse(gf_mutated(gf_optional(gf_bytes(0, 4)), GF_MUT_ALL),
                  "not marked as text or bytes");
    expect_misuse(gf_mutated(gf_one_of(gf_ascii(0, 3),
                                       gf_bind(gf_ascii(0, 3),
                                               bind_to_int64, NULL)),
                             GF_MUT_ALL),
                  "not marked as text or bytes");
    expect_misuse(gf_mutated(gf_json_text(3), 0), "no mutation enabled");
    expect_misuse(gf_mutated(gf_json_text(3), 0x80000000u),
                  "unknown mutation bits 0x80000000");
    expect_misuse(gf_mutated(NULL, GF_MUT_ALL), "NULL");
    expect_misuse(gf_mutated(gf_int32(), GF_MUT_ALL),
                  "not marked as text or bytes");
    expect_misuse(gf_mutated(gf_json_tree(3), GF_MUT_ALL), "gf_json_text");
    cr_expect_str_eq(gf_mutation_name(GF_MUT_TRUNCATE), "truncate");
    cr_expect_str_eq(gf_mutation_name(GF_MUT_LEADING_ZERO), "leading-zero");
    cr_expect_null(gf_mutation_name(0));
    cr_expect_null(gf_mutation_name(GF_MUT_BOM | GF_MUT_UTF16));
}

static void prop_mutated_never(gf_case *tc)
{
    gf_draw(tc, json_mutated(GF_MUT_ALL));
    GF_FAIL(tc, "always");
}

static void prop_mutated_no_nan(gf_case *tc)
{
    const gf_mutated_value *m = gf_draw(tc, json_mutated(GF_MUT_ALL));
    GF_ASSERT(tc, memmem(m->data, m->len, "NaN", 3) == NULL);
}

static void prop_bytes_mutated_never(gf_case *tc)
{
    gf_draw(tc, gf_mutated(gf_bytes(0, 10), GF_MUT_FLIP | GF_MUT_BOM));
    GF_FAIL(tc, "always");
}

Test(shrinking, mutated_toward_simplest)
{
    expect_shrunk(prop_mutated_never, 1,
                  "= \"nul\" /* truncate: cut the last 1 of 4 bytes */");
    /* The simplest payload with the mutation the failure needs. */
    expect_shrunk(prop_mutated_no_nan, 2,
                  "= \"NaN\" /* nan-inf: NaN for the value at 0 */");
    /* The empty payload has no byte to flip (an insertion would stand in,
     * with more choices): the byte order mark alone is simplest. */
    expect_shrunk(prop_bytes_mutated_never, 3,
                  "= \"\\xEF\\xBB\\xBF\" /* bom: a UTF-8 byte order mark "
                  "in front */");
}
