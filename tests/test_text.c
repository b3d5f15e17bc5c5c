/*
 * test_text.c - the text generators of gadfly/text.h and the coverage of
 * gf_utf8: what docs/text.md promises each draws, how often, and where
 * each shrinks.
 *
 * Coverage is checked seed by seed: a feature must come within a stated
 * number of cases on at least 95 of 100 seeds.  Invalid UTF-8 is held
 * against a classifier written here, independently of the generator, and
 * against the strict decoder of helpers.h.
 */
#include <limits.h>
#include <stdio.h>

#include <gadfly/text.h>

#include "helpers.h"

#define SEEDS 100
#define SEEDS_NEEDED 95

/* ---- coverage harness ---------------------------------------------------- */

/*
 * A feature is a predicate on one drawn value.  A run notes the case
 * (1-based) at which each feature first held; `cover` runs SEEDS seeds and
 * requires each feature within `within` cases on SEEDS_NEEDED of them.
 */
typedef bool (*feature_fn)(const void *value);

typedef struct feature {
    const char *name;
    feature_fn holds;
} feature;

#define FEATURES_MAX 40

static const gf_gen *gen_under_test;
static const feature *features;
static size_t nfeatures;
static unsigned long cases_run;
static unsigned long first_case[FEATURES_MAX];

static void prop_features(gf_case *tc)
{
    void *v = gf_draw(tc, gen_under_test);
    /* Pointer-valued generators return the value itself: pass its
     * address, so every predicate gets a pointer to the value. */
    const void *value = (gen_under_test->flags & GF_GEN_POINTER_VALUE)
                            ? (const void *)&v
                            : v;
    cases_run++;
    for (size_t i = 0; i < nfeatures; i++)
        if (first_case[i] == 0 && features[i].holds(value))
            first_case[i] = cases_run;
}

static void cover(const gf_gen *g, const feature *fs, size_t n,
                  unsigned long within, uint64_t first_seed)
{
    unsigned found[FEATURES_MAX] = {0};
    cr_assert_leq(n, FEATURES_MAX);
    gen_under_test = g;
    features = fs;
    nfeatures = n;
    for (uint64_t seed = first_seed; seed < first_seed + SEEDS; seed++) {
        memset(first_case, 0, sizeof first_case);
        cases_run = 0;
        RUN_PASSING(prop_features, seed, within);
        for (size_t i = 0; i < n; i++)
            found[i] += first_case[i] > 0 && first_case[i] <= within;
    }
    size_t fewest = 0;
    for (size_t i = 1; i < n; i++)
        if (found[i] < found[fewest])
            fewest = i;
    cr_log_info("%s: the rarest feature, %s, came in time on %u of %d seeds",
                gf_gen_name(g), fs[fewest].name, found[fewest], SEEDS);
    for (size_t i = 0; i < n; i++)
        cr_expect_geq(found[i], SEEDS_NEEDED,
                      "%s: %s within %lu cases on only %u of %d seeds",
                      gf_gen_name(g), fs[i].name, within, found[i], SEEDS);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *str_of(const void *value)
{
    return *(const char *const *)value;
}

/* ---- gf_utf8: what valid text covers ------------------------------------- */

#define UTF8_MAX 10

/* The code points of a drawn gf_utf8 value (asserted well-formed). */
static long decode(const void *value, uint32_t *cps)
{
    const char *s = str_of(value);
    long n = utf8_decode_strict(s, strlen(s), cps, UTF8_MAX);
    cr_assert(n >= 0 && n <= UTF8_MAX, "not %d code points of UTF-8: %s",
              UTF8_MAX, s);
    return n;
}

static bool has_cp_in(const void *value, uint32_t lo, uint32_t hi)
{
    uint32_t cps[UTF8_MAX];
    long n = decode(value, cps);
    for (long i = 0; i < n; i++)
        if (cps[i] >= lo && cps[i] <= hi)
            return true;
    return false;
}

static bool has_run(const void *value, const uint32_t *run, size_t len)
{
    uint32_t cps[UTF8_MAX];
    long n = decode(value, cps);
    for (long i = 0; i + (long)len <= n; i++)
        if (memcmp(cps + i, run, len * sizeof *run) == 0)
            return true;
    return false;
}

#define PLANE(p)                                                             \
    static bool plane_##p(const void *v)                                     \
    {                                                                        \
        return has_cp_in(v, (uint32_t)(p) << 16,                             \
                         ((uint32_t)(p) << 16) | 0xFFFF);                    \
    }
PLANE(0) PLANE(1) PLANE(2) PLANE(3) PLANE(4) PLANE(5) PLANE(6) PLANE(7)
PLANE(8) PLANE(9) PLANE(10) PLANE(11) PLANE(12) PLANE(13) PLANE(14)
PLANE(15) PLANE(16)
#undef PLANE

#define HAS_CP(name, cp)                                                     \
    static bool name(const void *v) { return has_cp_in(v, cp, cp); }
HAS_CP(zwsp, 0x200B)
HAS_CP(zwj, 0x200D)
HAS_CP(rlm, 0x200F)
HAS_CP(rlo, 0x202E)
HAS_CP(rli, 0x2067)
HAS_CP(line_sep, 0x2028)
HAS_CP(para_sep, 0x2029)
HAS_CP(fffe, 0xFFFE)
HAS_CP(ffff, 0xFFFF)
HAS_CP(bom, 0xFEFF)
HAS_CP(hebrew_alef, 0x05D0)
#undef HAS_CP

static bool combining(const void *v) { return has_cp_in(v, 0x300, 0x36F); }
static bool nonchar_block(const void *v)
{
    return has_cp_in(v, 0xFDD0, 0xFDEF);
}

/* U+nFFFE or U+nFFFF outside the BMP. */
static bool plane_end_nonchar(const void *v)
{
    uint32_t cps[UTF8_MAX];
    long n = decode(v, cps);
    for (long i = 0; i < n; i++)
        if (cps[i] > 0xFFFF && (cps[i] & 0xFFFE) == 0xFFFE)
            return true;
    return false;
}

static bool family(const void *v)
{
    static const uint32_t run[] = {0x1F468, 0x200D, 0x1F469, 0x200D,
                                   0x1F467, 0x200D, 0x1F466};
    return has_run(v, run, COUNT(run));
}

static bool technologist(const void *v)
{
    static const uint32_t run[] = {0x1F469, 0x200D, 0x1F4BB};
    return has_run(v, run, COUNT(run));
}

static bool rainbow_flag(const void *v)
{
    static const uint32_t run[] = {0x1F3F3, 0xFE0F, 0x200D, 0x1F308};
    return has_run(v, run, COUNT(run));
}

static bool tag_flag(const void *v)
{
    static const uint32_t run[] = {0x1F3F4, 0xE0067, 0xE0062, 0xE0065,
                                   0xE006E, 0xE0067, 0xE007F};
    return has_run(v, run, COUNT(run));
}

Test(utf8, covers_planes_marks_bidi_noncharacters_and_sequences)
{
    static const feature fs[] = {
        {"plane 0", plane_0},       {"plane 1", plane_1},
        {"plane 2", plane_2},       {"plane 3", plane_3},
        {"plane 4", plane_4},       {"plane 5", plane_5},
        {"plane 6", plane_6},       {"plane 7", plane_7},
        {"plane 8", plane_8},       {"plane 9", plane_9},
        {"plane 10", plane_10},     {"plane 11", plane_11},
        {"plane 12", plane_12},     {"plane 13", plane_13},
        {"plane 14", plane_14},     {"plane 15", plane_15},
        {"plane 16", plane_16},     {"a combining mark", combining},
        {"U+200B", zwsp},           {"U+200D", zwj},
        {"U+200F", rlm},            {"U+202E", rlo},
        {"U+2067", rli},            {"U+05D0", hebrew_alef},
        {"U+2028", line_sep},       {"U+2029", para_sep},
        {"U+FEFF", bom},            {"U+FFFE", fffe},
        {"U+FFFF", ffff},           {"U+FDD0..U+FDEF", nonchar_block},
        {"U+nFFFE/U+nFFFF past the BMP", plane_end_nonchar},
        {"woman technologist", technologist},
        {"family of four (ZWJ)", family},
        {"rainbow flag", rainbow_flag},
        {"England flag (tags)", tag_flag},
    };
    cover(gf_utf8(0, UTF8_MAX), fs, COUNT(fs), 1500, 100);
}

/* ---- gf_utf8_invalid ------------------------------------------------------ */

/*
 * The class of the first defect in b[0..len), or 0 if the bytes are
 * well-formed UTF-8 without NUL.  Written from RFC 3629 for this test:
 * lead bytes C0..FD are read with the pre-2003 lengths so that overlong
 * and too-large forms are told apart from plain garbage.
 */
static unsigned first_defect(const uint8_t *b, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t c = b[i];
        if (c == 0)
            return GF_UTF8_EMBEDDED_NUL;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c < 0xC0)
            return GF_UTF8_LONE_CONTINUATION;
        if (c >= 0xFE)
            return GF_UTF8_BAD_BYTE;
        size_t n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF8 ? 4 : c < 0xFC ? 5
                                                                        : 6;
        uint32_t cp = c & (0x7Fu >> n);
        for (size_t k = 1; k < n; k++) {
            if (i + k >= len || (b[i + k] & 0xC0) != 0x80)
                return GF_UTF8_TRUNCATED;
            cp = cp << 6 | (b[i + k] & 0x3Fu);
        }
        static const uint32_t shortest[7] = {0,       0,        0x80,
                                             0x800,   0x10000,  0x200000,
                                             0x4000000};
        if (cp < shortest[n])
            return GF_UTF8_OVERLONG;
        if (cp > 0x10FFFF)
            return GF_UTF8_TOO_LARGE;
        if (cp >= 0xD800 && cp <= 0xDFFF)
            return GF_UTF8_SURROGATE;
        i += n;
    }
    return 0;
}

static const unsigned classes[] = {
    GF_UTF8_LONE_CONTINUATION, GF_UTF8_TRUNCATED, GF_UTF8_OVERLONG,
    GF_UTF8_SURROGATE,         GF_UTF8_TOO_LARGE, GF_UTF8_BAD_BYTE,
    GF_UTF8_EMBEDDED_NUL,
};
static const char *const class_names[] = {
    "lone continuation", "truncated", "overlong", "surrogate", "too large",
    "bad byte", "embedded NUL",
};

/* The classifier knows each class by its simplest example. */
Test(utf8_invalid, classifier_agrees_with_the_examples)
{
    static const struct {
        const char *s;
        size_t len;
        unsigned cls;
    } ex[] = {
        {"a\xC3\xA9", 3, 0},
        {"\x80", 1, GF_UTF8_LONE_CONTINUATION},
        {"\xC3\xA9\xA9", 3, GF_UTF8_LONE_CONTINUATION},
        {"\xC2", 1, GF_UTF8_TRUNCATED},
        {"\xE2\x82" "a", 3, GF_UTF8_TRUNCATED},
        {"\xC0\x80", 2, GF_UTF8_OVERLONG},
        {"\xC0\xAF", 2, GF_UTF8_OVERLONG},
        {"\xE0\x80\xAF", 3, GF_UTF8_OVERLONG},
        {"\xED\xA0\x80", 3, GF_UTF8_SURROGATE},
        {"\xF4\x90\x80\x80", 4, GF_UTF8_TOO_LARGE},
        {"\xFE", 1, GF_UTF8_BAD_BYTE},
        {"\xFF", 1, GF_UTF8_BAD_BYTE},
        {"a\0b", 3, GF_UTF8_EMBEDDED_NUL},
    };
    for (size_t i = 0; i < COUNT(ex); i++) {
        cr_expect_eq(first_defect((const uint8_t *)ex[i].s, ex[i].len),
                     ex[i].cls, "example %zu", i);
        /* And the strict decoder rejects every invalid one. */
        bool strict_ok =
            utf8_decode_strict(ex[i].s, ex[i].len, NULL, 0) >= 0;
        cr_expect_eq(strict_ok, ex[i].cls == 0 ||
                                    ex[i].cls == GF_UTF8_EMBEDDED_NUL,
                     "example %zu", i);
    }
}

static unsigned mask_under_test;
static unsigned long class_seen[8];

static void prop_invalid_one_class(gf_case *tc)
{
    const gf_bytes_value *v = gf_draw(tc, gf_utf8_invalid(mask_under_test));
    GF_ASSERT(tc, v->data != NULL);
    GF_ASSERT(tc, v->data[v->len] == 0); /* NUL after the bytes */
    unsigned cls = first_defect(v->data, v->len);
    GF_ASSERT(tc, cls == mask_under_test);
    long strict = utf8_decode_strict((const char *)v->data, v->len, NULL, 0);
    if (cls == GF_UTF8_EMBEDDED_NUL)
        GF_ASSERT(tc, strict >= 0 && strlen((const char *)v->data) < v->len);
    else
        GF_ASSERT(tc, strict < 0);
    class_seen[0]++;
}

/* Every string drawn for one class is invalid in exactly that way. */
Test(utf8_invalid, each_class_invalid_in_its_named_way)
{
    for (size_t i = 0; i < COUNT(classes); i++) {
        mask_under_test = classes[i];
        class_seen[0] = 0;
        RUN_PASSING(prop_invalid_one_class, 300 + i, 2000);
        cr_expect_geq(class_seen[0], 2000, "%s: %lu cases", class_names[i],
                      class_seen[0]);
    }
}

#define CLASS_FEATURE(fn, bit)                                               \
    static bool fn(const void *v)                                            \
    {                                                                        \
        const gf_bytes_value *b = v;                                         \
        return first_defect(b->data, b->len) == (bit);                      \
    }
CLASS_FEATURE(is_lone, GF_UTF8_LONE_CONTINUATION)
CLASS_FEATURE(is_truncated, GF_UTF8_TRUNCATED)
CLASS_FEATURE(is_overlong, GF_UTF8_OVERLONG)
CLASS_FEATURE(is_surrogate, GF_UTF8_SURROGATE)
CLASS_FEATURE(is_too_large, GF_UTF8_TOO_LARGE)
CLASS_FEATURE(is_bad_byte, GF_UTF8_BAD_BYTE)
CLASS_FEATURE(is_nul, GF_UTF8_EMBEDDED_NUL)
#undef CLASS_FEATURE

static bool has_bytes(const void *v, const char *pat, size_t n)
{
    const gf_bytes_value *b = v;
    for (size_t i = 0; i + n <= b->len; i++)
        if (memcmp(b->data + i, pat, n) == 0)
            return true;
    return false;
}

static bool overlong_slash(const void *v)
{
    return has_bytes(v, "\xC0\xAF", 2) || has_bytes(v, "\xE0\x80\xAF", 3);
}

static bool overlong_four(const void *v)
{
    return is_overlong(v) && has_bytes(v, "\xF0\x80", 2);
}

static bool cesu_pair(const void *v)
{
    const gf_bytes_value *b = v;
    for (size_t i = 0; i + 6 <= b->len; i++)
        if (b->data[i] == 0xED && (b->data[i + 1] & 0xF0) == 0xA0 &&
            b->data[i + 3] == 0xED && (b->data[i + 4] & 0xF0) == 0xB0)
            return true;
    return false;
}

static bool six_byte_form(const void *v)
{
    const gf_bytes_value *b = v;
    for (size_t i = 0; i < b->len; i++)
        if (b->data[i] == 0xFC || b->data[i] == 0xFD)
            return true;
    return false;
}

static bool bare_defect(const void *v)
{
    const gf_bytes_value *b = v;
    return b->len <= 3 && first_defect(b->data, b->len) != 0;
}

/* With every class allowed, each comes within 60 cases, and so do the
 * notable forms. */
Test(utf8_invalid, every_class_within_60_cases)
{
    static const feature fs[] = {
        {"lone continuation", is_lone}, {"truncated", is_truncated},
        {"overlong", is_overlong},      {"surrogate", is_surrogate},
        {"too large", is_too_large},    {"bad byte", is_bad_byte},
        {"embedded NUL", is_nul},
    };
    cover(gf_utf8_invalid(GF_UTF8_ANY_INVALID), fs, COUNT(fs), 60, 400);
}

/* The classes come evenly: over 7000 draws or more, each class's count is
 * within 12% of a seventh (about four standard deviations).  An index drawn as one
 * integer gave the first and last classes a quarter more than the rest. */
static unsigned long class_counts[COUNT(classes)];

static void prop_count_classes(gf_case *tc)
{
    const gf_bytes_value *v =
        gf_draw(tc, gf_utf8_invalid(GF_UTF8_ANY_INVALID));
    unsigned cls = first_defect(v->data, v->len);
    for (size_t i = 0; i < COUNT(classes); i++)
        class_counts[i] += cls == classes[i];
}

Test(utf8_invalid, classes_come_evenly)
{
    memset(class_counts, 0, sizeof class_counts);
    RUN_PASSING(prop_count_classes, 330, 7000);
    unsigned long total = 0, lo = ULONG_MAX, hi = 0;
    for (size_t i = 0; i < COUNT(classes); i++) {
        total += class_counts[i];
        lo = class_counts[i] < lo ? class_counts[i] : lo;
        hi = class_counts[i] > hi ? class_counts[i] : hi;
    }
    cr_log_info("utf8_invalid classes over %lu draws: %lu..%lu", total, lo,
                hi);
    cr_expect_geq(total, 7000);
    unsigned long even = total / COUNT(classes);
    cr_expect(lo >= even * 88 / 100 && hi <= even * 112 / 100,
              "class counts %lu..%lu of %lu", lo, hi, total);
}

Test(utf8_invalid, notable_forms_within_300_cases)
{
    static const feature fs[] = {
        {"overlong '/'", overlong_slash},
        {"4-byte overlong", overlong_four},
        {"CESU-8 surrogate pair", cesu_pair},
        {"6-byte form", six_byte_form},
        {"a defect with little around it", bare_defect},
    };
    cover(gf_utf8_invalid(GF_UTF8_ANY_INVALID), fs, COUNT(fs), 300, 500);
}

/* ---- shrinking ------------------------------------------------------------ */


/* Fails on every string of the class under test. */
static void prop_fails_on_class(gf_case *tc)
{
    const gf_bytes_value *v = gf_draw(tc, gf_utf8_invalid(mask_under_test));
    GF_ASSERT(tc, v->len == 0);
}

/* Draws from every class but fails only on one: the shrinker must keep
 * the class and find its simplest string. */
static void prop_fails_on_one_of_all(gf_case *tc)
{
    const gf_bytes_value *v =
        gf_draw(tc, gf_utf8_invalid(GF_UTF8_ANY_INVALID));
    GF_ASSERT(tc, first_defect(v->data, v->len) != mask_under_test);
}

/* The failure lies in a later draw: the invalid string is free to become
 * the simplest of all, "\x80", without disturbing the draws after it. */
static void prop_fails_after_the_string(gf_case *tc)
{
    const gf_bytes_value *v =
        gf_draw(tc, gf_utf8_invalid(GF_UTF8_ANY_INVALID));
    const char *later = gf_draw(tc, gf_dirty_text());
    GF_ASSERT(tc, !(v->len > 0 && later && strlen(later) > 3));
}

Test(utf8_invalid, shrinks_to_the_simplest_string_of_its_class)
{
    static const char *const simplest[] = {
        "= \"\\x80\"",         "= \"\\xC2\"",
        "= \"\\xC0\\x80\"",    "= \"\\xED\\xA0\\x80\"",
        "= \"\\xF4\\x90\\x80\\x80\"", "= \"\\xFE\"",
        "= \"\\0\"",
    };
    for (size_t i = 0; i < COUNT(classes); i++) {
        mask_under_test = classes[i];
        expect_shrunk(prop_fails_on_class, 320 + i, simplest[i]);
        expect_shrunk(prop_fails_on_one_of_all, 340 + i, simplest[i]);
    }
    for (uint64_t seed = 360; seed < 364; seed++)
        expect_shrunk(prop_fails_after_the_string, seed, "#1 = \"\\x80\"");
}

static unsigned bad_mask;

static void prop_misused(gf_case *tc)
{
    gf_draw(tc, gf_utf8_invalid(bad_mask));
}

Test(utf8_invalid, bad_class_mask_is_misuse)
{
    static const unsigned bad[] = {0, 0x80, GF_UTF8_ANY_INVALID | 0x100};
    for (size_t i = 0; i < COUNT(bad); i++) {
        bad_mask = bad[i];
        gf_result r;
        gf_status st = run_property("misused", prop_misused, 1, 10, &r);
        cr_expect_neq(st, GF_PASSED, "mask 0x%x accepted", bad[i]);
        cr_expect(r.message && strstr(r.message, "utf8_invalid") &&
                      strstr(r.message, "GF_UTF8_"),
                  "mask 0x%x: message %s", bad[i],
                  r.message ? r.message : "(none)");
        gf_result_free(&r);
    }
}

/* ---- gf_nasty_string ------------------------------------------------------ */

static bool eq(const void *v, const char *s)
{
    return str_of(v) && strcmp(str_of(v), s) == 0;
}

static bool contains(const void *v, const char *s)
{
    return str_of(v) && strstr(str_of(v), s) != NULL;
}

#define IS(fn, lit)                                                          \
    static bool fn(const void *v) { return eq(v, lit); }
#define HAS(fn, lit)                                                         \
    static bool fn(const void *v) { return contains(v, lit); }
IS(n_empty, "")
IS(n_null, "null")
IS(n_none, "None")
IS(n_undefined, "undefined")
IS(n_nil, "nil")
IS(n_true, "true")
IS(n_false, "false")
HAS(n_drop, "'; DROP TABLE")
IS(n_reboot, "$(reboot)")
IS(n_format, "%s%n%x")
IS(n_brace, "{0}")
IS(n_passwd, "../../etc/passwd")
HAS(n_bom, "\xEF\xBB\xBF")
HAS(n_rlo, "\xE2\x80\xAE")
HAS(n_script, "<script>")
#undef IS
#undef HAS

static bool n_64k(const void *v) { return strlen(str_of(v)) >= 65536; }

/* A letter followed by ten or more combining marks. */
static bool n_zalgo(const void *v)
{
    const unsigned char *s = (const unsigned char *)str_of(v);
    size_t run = 0;
    for (; *s; s++) {
        if (s[0] == 0xCC || s[0] == 0xCD) { /* U+0300..U+036F lead bytes */
            if (++run >= 10)
                return true;
            s++;
        } else {
            run = 0;
        }
    }
    return false;
}

static bool n_deep(const void *v)
{
    const char *s = str_of(v);
    size_t depth = strspn(s, "(");
    if (depth < 4096)
        depth = strspn(s, "[");
    return depth >= 4096;
}

Test(nasty, covers_what_the_docs_list)
{
    static const feature fs[] = {
        {"\"\"", n_empty},
        {"\"null\"", n_null},
        {"\"None\"", n_none},
        {"\"undefined\"", n_undefined},
        {"\"nil\"", n_nil},
        {"\"true\"", n_true},
        {"\"false\"", n_false},
        {"'; DROP TABLE", n_drop},
        {"$(reboot)", n_reboot},
        {"%s%n%x", n_format},
        {"{0}", n_brace},
        {"../../etc/passwd", n_passwd},
        {"a byte order mark", n_bom},
        {"a right-to-left override", n_rlo},
        {"<script>", n_script},
        {"64 KiB or longer", n_64k},
        {"Zalgo", n_zalgo},
        {"nesting 4096 deep", n_deep},
    };
    cover(gf_nasty_string(), fs, COUNT(fs), 2000, 600);
}

static unsigned long nasty_seen;

static void prop_nasty_valid(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_nasty_string());
    GF_ASSERT(tc, s != NULL);
    GF_ASSERT(tc, utf8_decode_strict(s, strlen(s), NULL, 0) >= 0);
    nasty_seen++;
}

Test(nasty, always_valid_utf8_never_null)
{
    nasty_seen = 0;
    RUN_PASSING(prop_nasty_valid, 610, 1500);
    cr_expect_geq(nasty_seen, 1500);
}

/*
 * The list's reach, measured against the Big List of Naughty Strings
 * (read at run time, never copied): how many of its strings the generator
 * produces within 20000 cases.  Skipped when the data is absent.
 */
#define BLNS_MAX 1024

static char *blns[BLNS_MAX];
static size_t nblns;
static bool blns_hit[BLNS_MAX];

/* Append the UTF-8 of cp to *w. */
static void put_utf8(char **w, uint32_t cp)
{
    unsigned char *o = (unsigned char *)*w;
    if (cp < 0x80) {
        *o++ = (unsigned char)cp;
    } else if (cp < 0x800) {
        *o++ = (unsigned char)(0xC0 | cp >> 6);
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (unsigned char)(0xE0 | cp >> 12);
        *o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (unsigned char)(0xF0 | cp >> 18);
        *o++ = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    }
    *w = (char *)o;
}

/* Parse the JSON strings of a flat array into blns[]; a string with an
 * escape this reader does not handle is skipped. */
static void parse_blns(const char *json)
{
    const char *p = json;
    while ((p = strchr(p, '"')) != NULL && nblns < BLNS_MAX) {
        p++;
        char *out = malloc(strlen(p) + 1), *w = out;
        bool ok = true;
        while (*p && *p != '"') {
            if (*p != '\\') {
                *w++ = *p++;
                continue;
            }
            p++;
            switch (*p) {
            case 'n': *w++ = '\n'; break;
            case 't': *w++ = '\t'; break;
            case 'r': *w++ = '\r'; break;
            case 'b': *w++ = '\b'; break;
            case 'f': *w++ = '\f'; break;
            case 'u': {
                unsigned cp;
                if (sscanf(p + 1, "%4x", &cp) != 1) {
                    ok = false;
                    break;
                }
                p += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF && p[1] == '\\' &&
                    p[2] == 'u') {
                    unsigned lo;
                    if (sscanf(p + 3, "%4x", &lo) == 1) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        p += 6;
                    }
                }
                if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
                    ok = false;
                else
                    put_utf8(&w, cp);
                break;
            }
            default: *w++ = *p; break;
            }
            if (*p)
                p++;
        }
        *w = '\0';
        if (*p == '"')
            p++;
        if (ok)
            blns[nblns++] = out;
        else
            free(out);
    }
}

static void prop_blns_overlap(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_nasty_string());
    for (size_t i = 0; i < nblns; i++)
        if (!blns_hit[i] && strcmp(s, blns[i]) == 0)
            blns_hit[i] = true;
}

Test(nasty, reaches_into_the_big_list_of_naughty_strings)
{
    const char *top = getenv("top_srcdir");
    char path[4096];
    snprintf(path, sizeof path, "%s/../shared/data/blns/blns.json",
             top ? top : "..");
    FILE *f = fopen(path, "rb");
    if (!f) {
        cr_skip_test("%s is absent: overlap with the naughty strings not "
                     "measured", path);
        return;
    }
    static char json[1 << 20];
    size_t n = fread(json, 1, sizeof json - 1, f);
    fclose(f);
    json[n] = '\0';
    parse_blns(json);
    cr_assert_gt(nblns, 400, "read only %zu strings from %s", nblns, path);
    RUN_PASSING(prop_blns_overlap, 620, 20000);
    size_t hits = 0;
    for (size_t i = 0; i < nblns; i++)
        hits += blns_hit[i];
    cr_log_info("gf_nasty_string drew %zu of the %zu naughty strings", hits,
                nblns);
    /* A shared core (the empty string, null-like words, booleans, common
     * injections), but not a copy: most of the list is written apart. */
    cr_expect_geq(hits, 25, "only %zu of %zu naughty strings drawn", hits,
                  nblns);
    for (size_t i = 0; i < nblns; i++)
        free(blns[i]);
}

static void prop_fails_on_nonempty(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_nasty_string());
    GF_ASSERT(tc, strlen(s) == 0);
}

static void prop_fails_on_long(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_nasty_string());
    GF_ASSERT(tc, strlen(s) < 1000);
}

Test(nasty, shrinks_toward_the_start_of_the_list)
{
    expect_shrunk(prop_fails_on_nonempty, 630, "= \"null\"");
    /* The shortest long string that still fails: 1024 units of "a". */
    char *text = shrunk(prop_fails_on_long, 631);
    cr_expect(strstr(text, "\"aaaa") != NULL && strlen(text) > 1024 &&
                  strlen(text) < 1100,
              "expected 1024 a's, got %.200s", text);
    free(text);
}

/* ---- gf_numeric_string ---------------------------------------------------- */

#define NUM(fn, lit)                                                         \
    static bool fn(const void *v) { return eq(v, lit); }
NUM(x_neg_zero, "-0")
NUM(x_pos_zero, "+0")
NUM(x_1e309, "1e309")
NUM(x_neg_1e309, "-1e309")
NUM(x_hex, "0x1F")
NUM(x_padded, " 42 ")
NUM(x_leading_zero, "042")
NUM(x_underscore, "1_000")
NUM(x_comma, "1,000")
NUM(x_nan, "NaN")
NUM(x_inf, "inf")
NUM(x_int64_over, "9223372036854775808")
NUM(x_int64_under, "-9223372036854775809")
NUM(x_uint32_over, "4294967296")
NUM(x_dot5, ".5")
NUM(x_5dot, "5.")
NUM(x_1e_400, "1e-400")
NUM(x_arabic, "\u0664\u0662")
NUM(x_fullwidth, "\uFF14\uFF12")
NUM(x_devanagari, "\u096A\u0968")
#undef NUM

/* A drawn integer with leading zeros: twenty characters, digits only
 * after an optional sign. */
static bool x_zero_padded(const void *v)
{
    const char *s = str_of(v);
    return strlen(s) == 20 && (s[0] == '0' || (s[0] == '-' && s[1] == '0')) &&
           strspn(s + (s[0] == '-'), "0123456789") == 20u - (s[0] == '-') &&
           strcmp(s, "00000000000000000000") != 0;
}

Test(numeric, covers_what_the_docs_list)
{
    static const feature fs[] = {
        {"-0", x_neg_zero},        {"+0", x_pos_zero},
        {"1e309", x_1e309},        {"-1e309", x_neg_1e309},
        {"0x1F", x_hex},           {"\" 42 \"", x_padded},
        {"042", x_leading_zero},   {"1_000", x_underscore},
        {"1,000", x_comma},        {"NaN", x_nan},
        {"inf", x_inf},            {"INT64_MAX + 1", x_int64_over},
        {"INT64_MIN - 1", x_int64_under},
        {"UINT32_MAX + 1", x_uint32_over},
        {".5", x_dot5},            {"5.", x_5dot},
        {"1e-400", x_1e_400},      {"Arabic-Indic 42", x_arabic},
        {"fullwidth 42", x_fullwidth},
        {"Devanagari 42", x_devanagari},
        {"a zero-padded drawn integer", x_zero_padded},
    };
    cover(gf_numeric_string(), fs, COUNT(fs), 1600, 700);
}

static void prop_numeric_valid(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_numeric_string());
    GF_ASSERT(tc, s != NULL && s[0] != '\0');
    GF_ASSERT(tc, utf8_decode_strict(s, strlen(s), NULL, 0) >= 0);
}

static void prop_numeric_fails(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_numeric_string());
    GF_ASSERT(tc, s == NULL);
}

Test(numeric, valid_nonempty_and_shrinks_to_zero)
{
    RUN_PASSING(prop_numeric_valid, 710, 3000);
    expect_shrunk(prop_numeric_fails, 711, "= \"0\"");
}

/* ---- gf_dirty_text -------------------------------------------------------- */

static bool d_null(const void *v) { return str_of(v) == NULL; }
static bool d_empty(const void *v) { return eq(v, ""); }

/* Nothing but whitespace, and containing `ws`. */
static bool blank_with(const void *v, const char *ws)
{
    const char *s = str_of(v);
    if (!s || !*s || !strstr(s, ws))
        return false;
    static const char *const spaces[] = {
        " ", "\t", "\n", "\r", "\v", "\f", "\xC2\xA0", "\xE3\x80\x80",
        "\xE2\x80\x8B", "\xEF\xBB\xBF", "\xE2\x80\x83", "\xE2\x80\xAF",
        "\xC2\x85",
    };
    while (*s) {
        size_t i = 0;
        while (i < COUNT(spaces) &&
               strncmp(s, spaces[i], strlen(spaces[i])) != 0)
            i++;
        if (i == COUNT(spaces))
            return false;
        s += strlen(spaces[i]);
    }
    return true;
}

static bool d_blank_nbsp(const void *v) { return blank_with(v, "\xC2\xA0"); }
static bool d_blank_ideo(const void *v)
{
    return blank_with(v, "\xE3\x80\x80");
}
static bool d_blank_zwsp(const void *v)
{
    return blank_with(v, "\xE2\x80\x8B");
}
static bool d_blank_tab(const void *v) { return blank_with(v, "\t"); }

static bool d_leading(const void *v)
{
    const char *s = str_of(v);
    return s && s[0] != '\0' && strchr(" \t\n\r", s[0]) &&
           strcspn(s, "abcdefghijklmnopqrstuvwxyzA0123456789") < strlen(s);
}

static bool d_trailing(const void *v)
{
    const char *s = str_of(v);
    size_t n = s ? strlen(s) : 0;
    return n > 1 && strchr(" \t\n\r", s[n - 1]) &&
           strchr("abcdefghijklmnopqrstuvwxyz0123456789", s[0]);
}

static bool d_cafe_latin1(const void *v) { return eq(v, "caf\xE9"); }
static bool d_smart_quotes(const void *v)
{
    return contains(v, "\x93") && contains(v, "\x94");
}
static bool d_double_encoded(const void *v)
{
    return eq(v, "caf\xC3\x83\xC2\xA9");
}

/* Both CRLF and a bare LF or bare CR. */
static bool d_mixed_endings(const void *v)
{
    const char *s = str_of(v);
    if (!s)
        return false;
    bool crlf = false, lf = false, cr = false;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '\r' && s[i + 1] == '\n') {
            crlf = true;
            i++;
        } else if (s[i] == '\n') {
            lf = true;
        } else if (s[i] == '\r') {
            cr = true;
        }
    }
    return crlf && (lf || cr);
}

#define IS(fn, lit)                                                          \
    static bool fn(const void *v) { return eq(v, lit); }
IS(d_zero_date, "0000-00-00")
IS(d_epoch, "1970-01-01")
IS(d_na, "N/A")
IS(d_dash, "-")
IS(d_tbd, "TBD")
#undef IS

Test(dirty, covers_what_the_docs_list)
{
    static const feature fs[] = {
        {"NULL", d_null},
        {"\"\"", d_empty},
        {"blank with a tab", d_blank_tab},
        {"blank with U+00A0", d_blank_nbsp},
        {"blank with U+3000", d_blank_ideo},
        {"blank with U+200B", d_blank_zwsp},
        {"leading whitespace", d_leading},
        {"trailing whitespace", d_trailing},
        {"caf\\xE9 (Latin-1)", d_cafe_latin1},
        {"CP1252 smart quotes", d_smart_quotes},
        {"cafÃ© (double-encoded)", d_double_encoded},
        {"mixed line endings", d_mixed_endings},
        {"0000-00-00", d_zero_date},
        {"1970-01-01", d_epoch},
        {"N/A", d_na},
        {"-", d_dash},
        {"TBD", d_tbd},
    };
    cover(gf_dirty_text(), fs, COUNT(fs), 2000, 800);
}

static unsigned long dirty_null, dirty_total, dirty_not_utf8;

static void prop_dirty_share(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_dirty_text());
    dirty_total++;
    dirty_null += s == NULL;
    dirty_not_utf8 += s && utf8_decode_strict(s, strlen(s), NULL, 0) < 0;
}

/* NULL is common but not most of the draws, as docs/text.md says (more
 * than 1 in 20, at most 1 in 5); so are bytes that are not UTF-8. */
Test(dirty, null_and_latin1_shares)
{
    dirty_null = dirty_total = dirty_not_utf8 = 0;
    RUN_PASSING(prop_dirty_share, 810, 4000);
    cr_expect_geq(dirty_total, 4000);
    cr_log_info("gf_dirty_text: NULL in %lu of %lu draws", dirty_null,
                dirty_total);
    cr_expect(dirty_null > dirty_total / 20 && dirty_null < dirty_total / 5,
              "NULL in %lu of %lu draws", dirty_null, dirty_total);
    cr_expect(dirty_not_utf8 > dirty_total / 20,
              "only %lu of %lu draws are not UTF-8", dirty_not_utf8,
              dirty_total);
}

static void prop_dirty_fails_on_null(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_dirty_text());
    GF_ASSERT(tc, s != NULL);
}

static void prop_dirty_fails_on_latin1(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_dirty_text());
    GF_ASSERT(tc, !s || utf8_decode_strict(s, strlen(s), NULL, 0) >= 0);
}

Test(dirty, shrinks_toward_null_and_the_simplest_entry)
{
    expect_shrunk(prop_dirty_fails_on_null, 820, "= NULL");
    expect_shrunk(prop_dirty_fails_on_latin1, 821, "= \"caf\\xE9\"");
}

/* ---- writable values ----------------------------------------------------- */

/* A text value is a char * the property owns for the case, as with
 * gf_ascii: editing every byte in place must not touch read-only memory
 * or another value. */
static unsigned long edited;

static void edit_in_place(gf_case *tc, char *s)
{
    if (s == NULL)
        return;
    size_t len = strlen(s);
    for (size_t i = 0; i < len; i++)
        s[i] = (char)('a' + i % 26);
    GF_ASSERT(tc, strlen(s) == len);
    edited++;
}

static void prop_edit_dirty_family(gf_case *tc)
{
    edit_in_place(tc, gf_draw(tc, gf_nasty_string()));
    edit_in_place(tc, gf_draw(tc, gf_numeric_string()));
    edit_in_place(tc, gf_draw(tc, gf_dirty_text()));
    /* A second draw of the same entry is a fresh copy. */
    char *a = gf_draw(tc, gf_nasty_string());
    char *b = gf_draw(tc, gf_nasty_string());
    GF_ASSERT(tc, a != b);
}

Test(dirty, values_are_writable_arena_copies)
{
    edited = 0;
    RUN_PASSING(prop_edit_dirty_family, 830, 600);
    cr_expect_gt(edited, 1500);
}

/* ---- printing -------------------------------------------------------------- */

Test(text_print, values_print_as_c_literals)
{
    const char *null_text = NULL;
    char *p = gf_value_to_string(gf_dirty_text(), &null_text);
    cr_expect_str_eq(p, "NULL");
    free(p);
    const char *latin1 = "caf\xE9";
    p = gf_value_to_string(gf_dirty_text(), &latin1);
    cr_expect_str_eq(p, "\"caf\\xE9\"");
    free(p);
    gf_bytes_value v = {(const uint8_t *)"a\0\xC0\x80", 4};
    p = gf_value_to_string(gf_utf8_invalid(GF_UTF8_ANY_INVALID), &v);
    cr_expect_str_eq(p, "\"a\\0\\xC0\\x80\"");
    free(p);
    const char *num = "-0";
    p = gf_value_to_string(gf_numeric_string(), &num);
    cr_expect_str_eq(p, "\"-0\"");
    free(p);
}
