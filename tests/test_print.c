/*
 * test_print.c - the printer: every value prints as a C literal that reads
 * back as the same value.  Exact strings pin the format; round-trip
 * properties check that doubles, floats and string literals decode to
 * exactly what was printed, for values the generators' biases produce.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>

#include "helpers.h"

/* Print a value of g (at `value`, the value's storage) and compare. */
static void expect_prints(const gf_gen *g, const void *value,
                          const char *expected)
{
    char *text = gf_value_to_string(g, value);
    cr_expect_str_eq(text, expected, "%s printed %s, expected %s",
                     gf_gen_name(g), text, expected);
    free(text);
}

/* ---- integers ----------------------------------------------------------- */

Test(print, signed_integers)
{
    int8_t i8[] = {INT8_MIN, -1, 0, INT8_MAX};
    expect_prints(gf_int8(), &i8[0], "INT8_MIN");
    expect_prints(gf_int8(), &i8[1], "-1");
    expect_prints(gf_int8(), &i8[2], "0");
    expect_prints(gf_int8(), &i8[3], "127");
    int16_t i16[] = {INT16_MIN, INT16_MIN + 1};
    expect_prints(gf_int16(), &i16[0], "INT16_MIN");
    expect_prints(gf_int16(), &i16[1], "-32767");
    int32_t i32[] = {INT32_MIN, INT32_MAX, -42};
    expect_prints(gf_int32(), &i32[0], "INT32_MIN");
    expect_prints(gf_int32(), &i32[1], "2147483647");
    expect_prints(gf_int32(), &i32[2], "-42");
    int64_t i64[] = {INT64_MIN, INT64_MAX, INT64_MIN + 1};
    expect_prints(gf_int64(), &i64[0], "INT64_MIN");
    expect_prints(gf_int64(), &i64[1], "9223372036854775807");
    expect_prints(gf_int64(), &i64[2], "-9223372036854775807");
    expect_prints(gf_int(INT64_MIN, 0), &i64[0], "INT64_MIN");
}

Test(print, unsigned_integers)
{
    uint8_t u8 = UINT8_MAX;
    expect_prints(gf_uint8(), &u8, "255");
    uint16_t u16 = UINT16_MAX;
    expect_prints(gf_uint16(), &u16, "65535");
    uint32_t u32 = UINT32_MAX;
    expect_prints(gf_uint32(), &u32, "4294967295");
    uint64_t u64[] = {UINT64_MAX, (uint64_t)INT64_MAX, (uint64_t)INT64_MAX + 1,
                      0};
    expect_prints(gf_uint64(), &u64[0], "18446744073709551615u");
    expect_prints(gf_uint64(), &u64[1], "9223372036854775807");
    expect_prints(gf_uint64(), &u64[2], "9223372036854775808u");
    expect_prints(gf_uint64(), &u64[3], "0");
    expect_prints(gf_uint(0, UINT64_MAX), &u64[0], "18446744073709551615u");
    size_t z = SIZE_MAX;
    expect_prints(gf_size(), &z, sizeof(size_t) == 8 ? "18446744073709551615u"
                                                     : "4294967295");
    bool t = true, f = false;
    expect_prints(gf_bool(), &t, "true");
    expect_prints(gf_bool(), &f, "false");
}

/* ---- doubles and floats ------------------------------------------------- */

Test(print, doubles)
{
    static const struct {
        double d;
        const char *text;
    } cases[] = {
        {0.0, "0.0"},
        {-0.0, "-0.0"},
        {1.0, "1.0"},
        {-2.0, "-2.0"},
        {1.5, "1.5"},
        {100.0, "100.0"},
        {0.1, "0.1"},
        {0.1 + 0.2, "0.30000000000000004"},
        {1.0 / 3.0, "0.3333333333333333"},
        {0.0001, "0.0001"},
        {0.00001, "1e-5"},
        {123456.789, "123456.789"},
        {1e15, "1000000000000000.0"},
        {1e16, "1e16"},
        {9007199254740992.0, "9007199254740992.0"},
        {1e300, "1e300"},
        {-1e-300, "-1e-300"},
        {1.7976931348623157e308, "1.7976931348623157e308"},
        {2.2250738585072014e-308, "2.2250738585072014e-308"},
        {5e-324, "5e-324"},
        {INFINITY, "INFINITY"},
        {-INFINITY, "-INFINITY"},
        {NAN, "NAN"},
        {-NAN, "-NAN"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_prints(gf_double(), &cases[i].d, cases[i].text);
}

Test(print, floats)
{
    static const struct {
        float f;
        const char *text;
    } cases[] = {
        {0.0f, "0.0f"},
        {-0.0f, "-0.0f"},
        {1.0f, "1.0f"},
        {1.5f, "1.5f"},
        {-0.1f, "-0.1f"},
        {0.3f, "0.3f"},
        {16777216.0f, "16777216.0f"},
        {1e10f, "10000000000.0f"},
        {FLT_MAX, "3.4028235e38f"},
        {FLT_MIN, "1.1754944e-38f"},
        {FLT_TRUE_MIN, "1e-45f"},
        {INFINITY, "INFINITY"},
        {-INFINITY, "-INFINITY"},
        {NAN, "NAN"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_prints(gf_float(), &cases[i].f, cases[i].text);
}

/* Read back a printed double: the NAN/INFINITY names, else strtod of the
 * whole text.  Returns false if the text is not one of those forms. */
static bool read_double(const char *text, double *out)
{
    bool neg = text[0] == '-';
    const char *body = text + neg;
    if (strcmp(body, "NAN") == 0) {
        *out = neg ? -NAN : NAN;
        return true;
    }
    if (strcmp(body, "INFINITY") == 0) {
        *out = neg ? -INFINITY : INFINITY;
        return true;
    }
    char *end;
    *out = strtod(text, &end);
    /* It must look like a double, not an int. */
    return *end == '\0' && strpbrk(text, ".e") != NULL;
}

static bool same_double(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b) && !signbit(a) == !signbit(b);
    return memcmp(&a, &b, sizeof a) == 0;
}

static void prop_double_round_trip(gf_case *tc)
{
    double d = *(double *)gf_draw(tc, gf_double());
    char *text = gf_value_to_string(gf_double(), &d);
    double back = 0;
    bool ok = read_double(text, &back) && same_double(d, back);
    gf_note(tc, "printed %s", text);
    free(text);
    GF_ASSERT(tc, ok);
}

Test(print, doubles_read_back_exactly)
{
    RUN_PASSING(prop_double_round_trip, 200, 3000);
}

static void prop_float_round_trip(gf_case *tc)
{
    float f = *(float *)gf_draw(tc, gf_float());
    char *text = gf_value_to_string(gf_float(), &f);
    size_t len = strlen(text);
    bool ok;
    if (isnan(f) || isinf(f)) {
        double back;
        ok = read_double(text, &back) && same_double(f, back);
    } else {
        /* A finite float carries the suffix; strtof reads it as the
         * compiler would read the literal. */
        char *end;
        ok = len > 1 && text[len - 1] == 'f' && strpbrk(text, ".e");
        text[len - 1] = '\0';
        float back = strtof(text, &end);
        ok = ok && *end == '\0' && memcmp(&back, &f, sizeof f) == 0;
    }
    gf_note(tc, "printed %s", text);
    free(text);
    GF_ASSERT(tc, ok);
}

Test(print, floats_read_back_exactly)
{
    RUN_PASSING(prop_float_round_trip, 201, 3000);
}

/* The text is also the shortest: one digit fewer never reads back. */
Test(print, doubles_are_shortest)
{
    expect_prints(gf_double(), &(double){0.2}, "0.2");
    expect_prints(gf_double(), &(double){1e23}, "1e23");
    expect_prints(gf_double(), &(double){9.5367431640625e-07},
                  "9.5367431640625e-7");
    expect_prints(gf_double(), &(double){0x1p-1022},
                  "2.2250738585072014e-308");
    /* Below a power of two the rounding interval is half as wide: for
     * 2^-1017 the correctly rounded 16 digits (...044e-307) do not read
     * back, but their upper neighbour does. */
    expect_prints(gf_double(), &(double){0x1p-1017}, "7.120236347223045e-307");
    expect_prints(gf_double(), &(double){0x1p60}, "1.152921504606847e18");
}

/* ---- strings ------------------------------------------------------------ */

/* gf_bytes prints its value as a string literal. */
static void expect_literal(const char *bytes, size_t len, const char *expected)
{
    gf_bytes_value v = {(const uint8_t *)bytes, len};
    expect_prints(gf_bytes(0, 100), &v, expected);
}

Test(print, string_escapes)
{
    expect_literal("", 0, "\"\"");
    expect_literal("hi", 2, "\"hi\"");
    expect_literal("a\nb\tc\rd", 7, "\"a\\nb\\tc\\rd\"");
    expect_literal("say \"x\"", 7, "\"say \\\"x\\\"\"");
    expect_literal("C:\\dir", 6, "\"C:\\\\dir\"");
    expect_literal("\0", 1, "\"\\0\"");
    expect_literal("a\0b", 3, "\"a\\0b\"");
    expect_literal("\x01\x1f\x7f", 3, "\"\\x01\\x1F\\x7F\"");
}

Test(print, literal_breaks_where_escapes_would_run_on)
{
    /* A hex escape swallows every hex digit after it. */
    expect_literal("\xC3" "A", 2, "\"\\xC3\" \"A\"");
    expect_literal("\xC3" "f", 2, "\"\\xC3\" \"f\"");
    expect_literal("\xC3" "9", 2, "\"\\xC3\" \"9\"");
    expect_literal("\xC3" "G", 2, "\"\\xC3G\"");
    expect_literal("\xFF\xFE", 2, "\"\\xFF\\xFE\"");
    /* An octal escape takes up to three digits. */
    expect_literal("\0" "1", 2, "\"\\0\" \"1\"");
    expect_literal("\0" "x", 2, "\"\\0x\"");
    /* "??=" is a trigraph in C11. */
    expect_literal("?\?=", 3, "\"?\\?=\"");
    expect_literal("???", 3, "\"?\\?\\?\"");
    expect_literal("?a?", 3, "\"?a?\"");
}

Test(print, utf8_shown_unless_misleading)
{
    /* Valid, visible UTF-8 prints as it is. */
    expect_literal("h\xC3\xA9", 3, "\"h\xC3\xA9\"");
    expect_literal("\xF0\x9F\x98\x80", 4, "\"\xF0\x9F\x98\x80\"");
    expect_literal("\xE4\xB8\xAD", 3, "\"\xE4\xB8\xAD\"");
    /* Invisible, reordering or combining code points are escaped. */
    expect_literal("\xE2\x80\xAE", 3, "\"\\xE2\\x80\\xAE\"");     /* U+202E */
    expect_literal("\xE2\x80\x8B", 3, "\"\\xE2\\x80\\x8B\"");     /* U+200B */
    expect_literal("\xEF\xBB\xBF", 3, "\"\\xEF\\xBB\\xBF\"");     /* U+FEFF */
    expect_literal("\xEF\xBF\xBF", 3, "\"\\xEF\\xBF\\xBF\"");     /* U+FFFF */
    expect_literal("e\xCC\x81", 3, "\"e\\xCC\\x81\"");            /* U+0301 */
    expect_literal("\xE2\x80\xA8", 3, "\"\\xE2\\x80\\xA8\"");     /* U+2028 */
    /* Ill-formed: overlong, surrogate, truncated, past U+10FFFF. */
    expect_literal("\xC0\xAF", 2, "\"\\xC0\\xAF\"");
    expect_literal("\xED\xA0\x80", 3, "\"\\xED\\xA0\\x80\"");
    expect_literal("\xE2\x82", 2, "\"\\xE2\\x82\"");
    expect_literal("\xF4\x90\x80\x80", 4, "\"\\xF4\\x90\\x80\\x80\"");
}

/* Decode a printed literal ("..." "..." with C escapes) into out; returns
 * the length, or -1 if the text is not such a literal. */
static long decode_literal(const char *s, unsigned char *out, size_t cap)
{
    size_t n = 0;
    while (*s) {
        if (*s++ != '"')
            return -1;
        while (*s != '"') {
            if (*s == '\0' || n == cap)
                return -1;
            if (*s != '\\') {
                out[n++] = (unsigned char)*s++;
                continue;
            }
            s++;
            if (*s == 'x') {
                unsigned v = 0;
                int digits = 0;
                for (s++; *s && strchr("0123456789abcdefABCDEF", *s); s++) {
                    int d = *s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10;
                    v = v * 16 + (unsigned)d;
                    digits++;
                }
                if (digits == 0 || v > 0xFF)
                    return -1; /* C: out of range for char */
                out[n++] = (unsigned char)v;
            } else if (*s >= '0' && *s <= '7') {
                unsigned v = 0;
                for (int k = 0; k < 3 && *s >= '0' && *s <= '7'; k++, s++)
                    v = v * 8 + (unsigned)(*s - '0');
                out[n++] = (unsigned char)v;
            } else {
                const char *from = "nt\"\\r?", *to = "\n\t\"\\\r?";
                const char *at = strchr(from, *s);
                if (at == NULL || *s == '\0')
                    return -1;
                out[n++] = (unsigned char)to[at - from];
                s++;
            }
        }
        s++;
        if (*s == ' ')
            s++;
    }
    return (long)n;
}

static void prop_bytes_literal_round_trip(gf_case *tc)
{
    const gf_bytes_value *v = gf_draw(tc, gf_bytes(0, 48));
    char *text = gf_value_to_string(gf_bytes(0, 48), v);
    unsigned char back[64];
    long n = decode_literal(text, back, sizeof back);
    bool trigraph = strstr(text, "??") != NULL;
    gf_note(tc, "printed %s", text);
    free(text);
    GF_ASSERT(tc, !trigraph);
    GF_ASSERT_EQ_INT(tc, n, (long)v->len);
    GF_ASSERT_MEM_EQ(tc, back, v->data, v->len);
}

Test(print, byte_strings_decode_to_same_bytes)
{
    RUN_PASSING(prop_bytes_literal_round_trip, 210, 3000);
}

static void prop_utf8_literal_round_trip(gf_case *tc)
{
    char *s = gf_draw(tc, gf_utf8(0, 12));
    char *text = gf_value_to_string(gf_utf8(0, 12), &s);
    unsigned char back[128];
    long n = decode_literal(text, back, sizeof back);
    gf_note(tc, "printed %s", text);
    free(text);
    GF_ASSERT_EQ_INT(tc, n, (long)strlen(s));
    GF_ASSERT_MEM_EQ(tc, back, s, strlen(s));
}

Test(print, utf8_strings_decode_to_same_bytes)
{
    RUN_PASSING(prop_utf8_literal_round_trip, 211, 2000);
}

Test(print, text_values)
{
    const char *s = "a\"b";
    expect_prints(gf_ascii(0, 5), &s, "\"a\\\"b\"");
    expect_prints(gf_utf8(0, 5), &s, "\"a\\\"b\"");
    const char *null = NULL;
    expect_prints(gf_utf8(0, 5), &null, "NULL");
}

/* ---- composed values ---------------------------------------------------- */

Test(print, arrays)
{
    int32_t xs[] = {0, -1, INT32_MIN};
    gf_array_value a = {xs, 2};
    expect_prints(gf_array(gf_int32(), 0, 5), &a, "{0, -1}");
    a.len = 3;
    expect_prints(gf_array(gf_int32(), 0, 5), &a, "{0, -1, INT32_MIN}");
    a.len = 0;
    expect_prints(gf_array(gf_int32(), 0, 5), &a, "{}");

    const char *words[] = {"a", "\xC3"};
    gf_array_value w = {words, 2};
    expect_prints(gf_array(gf_utf8(0, 3), 0, 5), &w, "{\"a\", \"\\xC3\"}");

    int8_t row0[] = {1, 2}, row1[] = {INT8_MIN};
    gf_array_value rows[] = {{row0, 2}, {row1, 1}, {row0, 0}};
    gf_array_value grid = {rows, 3};
    expect_prints(gf_array(gf_array(gf_int8(), 0, 2), 0, 3), &grid,
                  "{{1, 2}, {INT8_MIN}, {}}");

    double ds[] = {0.5, -0.0, NAN};
    gf_array_value d = {ds, 3};
    expect_prints(gf_array(gf_double(), 0, 3), &d, "{0.5, -0.0, NAN}");
}

Test(print, optional)
{
    int32_t five = 5;
    const int32_t *some = &five, *none = NULL;
    expect_prints(gf_optional(gf_int32()), &some, "5");
    expect_prints(gf_optional(gf_int32()), &none, "NULL");
    /* optional(text) holds the char * itself. */
    const char *s = "hi";
    expect_prints(gf_optional(gf_utf8(0, 4)), &s, "\"hi\"");
    expect_prints(gf_optional(gf_utf8(0, 4)), &none, "NULL");

    const int32_t *opts[] = {NULL, &five};
    gf_array_value a = {opts, 2};
    expect_prints(gf_array(gf_optional(gf_int32()), 0, 2), &a, "{NULL, 5}");
}

static void print_celsius(gf_printer *p, const void *value, void *env)
{
    (void)env;
    gf_print(p, "%dC", (int)*(const int32_t *)value);
}

static void negate(gf_case *tc, const void *in, void *out, void *env)
{
    (void)tc;
    (void)env;
    *(int32_t *)out = -*(const int32_t *)in;
}

static void draw_pair(gf_case *tc, void *out, void *env)
{
    (void)env;
    uint8_t *b = out;
    b[0] = (uint8_t)gf_draw_uint(tc, 0, 255);
    b[1] = (uint8_t)gf_draw_uint(tc, 0, 255);
}

static bool always(const void *v, void *env)
{
    (void)v;
    (void)env;
    return true;
}

Test(print, user_printers_and_bytes)
{
    int32_t t = -4;
    expect_prints(gf_map(gf_int32(), 4, negate, print_celsius, NULL), &t,
                  "-4C");
    expect_prints(gf_map(gf_int32(), 4, negate, NULL, NULL), &t,
                  "{0xfc, 0xff, 0xff, 0xff}");
    uint8_t pair[2] = {1, 0xAB};
    expect_prints(gf_custom("pair", 2, draw_pair, NULL, NULL), pair,
                  "{0x01, 0xab}");
    expect_prints(gf_custom("celsius", 4, draw_pair, print_celsius, NULL), &t,
                  "-4C");
    expect_prints(gf_just(pair, 2), pair, "{0x01, 0xab}");
    expect_prints(gf_one_of(gf_int32(), gf_map(gf_int32(), 4, negate,
                                               print_celsius, NULL)),
                  &t, "-4");
    expect_prints(gf_filter(gf_int64(), always, NULL),
                  &(int64_t){INT64_MIN}, "INT64_MIN");
    expect_prints(gf_int32(), NULL, "NULL");
}

/* bind and recursive values print through the generator that drew them;
 * only a real draw sets that up. */
static const gf_gen *text_of_len(const void *v, void *env)
{
    (void)env;
    size_t n = (size_t)*(const int64_t *)v;
    return gf_ascii(n, n);
}

static const gf_gen *pairs(const gf_gen *self, void *env)
{
    (void)env;
    return gf_map(gf_array(self, 2, 2), sizeof(int64_t), NULL, NULL, NULL);
}

static void prop_bind_prints(gf_case *tc)
{
    const gf_gen *g = gf_bind(gf_int(0, 3), text_of_len, NULL);
    char **p = gf_draw(tc, g); /* a pointer to the bound value: a char * */
    char *text = gf_value_to_string(g, &p);
    char *expected = gf_value_to_string(gf_ascii(0, 3), p);
    bool same = strcmp(text, expected) == 0;
    gf_note(tc, "%s vs %s", text, expected);
    free(text);
    free(expected);
    GF_ASSERT(tc, same);
    GF_ASSERT(tc, strlen(*p) <= 3);
}

Test(print, bind_prints_bound_value)
{
    RUN_PASSING(prop_bind_prints, 220, 200);
}

static void prop_recursive_prints(gf_case *tc)
{
    const gf_gen *g = gf_recursive(gf_int(0, 5), pairs, 0, NULL);
    int64_t *v = gf_draw(tc, g);
    char *text = gf_value_to_string(g, v);
    char expected[32];
    snprintf(expected, sizeof expected, "%lld", (long long)*v);
    bool same = strcmp(text, expected) == 0;
    free(text);
    GF_ASSERT(tc, same);
}

Test(print, recursive_base_prints)
{
    RUN_PASSING(prop_recursive_prints, 221, 50);
}
