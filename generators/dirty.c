/*
 * dirty.c - text that breaks programs: gf_nasty_string, gf_numeric_string
 * and gf_dirty_text (declared in gadfly/text.h).
 *
 * Each draws mostly from a hand-written list whose first entry is the
 * simplest, so a failure shrinks toward the start of the list.  A few
 * kinds are generated from choices of their own, because no list can hold
 * them: very long strings, piles of combining marks, deep nesting,
 * integers at the int64 edges with decorations, whitespace runs, padding
 * and mixed line endings.  A generated kind sits behind a "generated?" or
 * kind choice whose simplest value is the list, so it shrinks away too.
 *
 * gf_nasty_string and gf_numeric_string give valid
 * UTF-8 without NUL; gf_dirty_text may give NULL and bytes that are not
 * UTF-8, which is the point of it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <gadfly.h>
#include <gadfly/gen.h>
#include <gadfly/text.h>

#include "cache.h"
#include "textbuf.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the lists --------------------------------------------------------- */

/* Troublesome strings for gf_nasty_string, by what they trouble. */
static const char *const nasty_list[] = {
    /* the empty string */
    "",
    /* null-like words */
    "null", "NULL", "Null", "None", "none", "nil", "NIL", "undefined",
    "(null)", "nullptr", "void", "NaN", "\\N",
    /* booleans and yes/no */
    "true", "false", "TRUE", "False", "yes", "no", "on", "off", "Y", "N", "1",
    "0",
    /* reserved words, magic keys and device names */
    "if", "class", "constructor", "__proto__", "prototype", "toString",
    "hasOwnProperty", "valueOf", "__init__", "self", "this", "default",
    "select", "DROP", "CON", "PRN", "AUX", "NUL", "COM1", "LPT1", "nul.txt",
    ".", "..", "...", "~",
    /* numbers as text */
    "-0", "1e309", "0x10", "Infinity", "-1", "2147483648", "9007199254740993",
    "1/0", "0.1",
    /* whitespace and line breaks */
    " ", "  ", "\t", "\n", "\r", "\r\n", " leading", "trailing ", " both ",
    "\u00A0", "\u3000", "\u200B", "a\u00A0b", "line1\nline2",
    "line1\r\nline2",
    /* quotes and backslashes */
    "'", "\"", "`", "''", "\"\"", "\\", "\\\\", "\\0", "\\n", "\\u0000",
    "\\x00", "'\"`", "a'b", "a\"b",
    /* SQL */
    "' OR '1'='1", "' OR 1=1 --", "'; DROP TABLE users; --",
    "1; DROP TABLE users", "admin'--", "\" OR \"\"=\"",
    "1' UNION SELECT NULL--", "%", "_", "%_%", "'); DELETE FROM t; --",
    /* shell */
    "$(reboot)", "`reboot`", "; rm -rf /tmp/x", "&& echo hi",
    "| cat /etc/passwd", "$HOME", "${IFS}", "$PATH", "*", "?", "-rf",
    "--help", "-", "> out.txt", "< /dev/zero", "a;b", "a|b", "a&b", "!!",
    "~root",
    /* format strings and templates */
    "%s", "%s%s%s%s%s%s", "%s%n%x", "%n", "%d", "%x%x%x%x", "%99999999999s",
    "%.1000000f", "%c%c", "%%", "{0}", "{}", "{{}}", "{0!r}", "{name}",
    "${x}", "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "#{7*7}", "<%= 7*7 %>",
    "%(name)s", "$1", "\\1",
    /* paths and URLs */
    "../../etc/passwd", "../../../../../../../../etc/passwd",
    "..\\..\\windows\\win.ini", "/etc/passwd", "/dev/null", "/dev/random",
    "/", "//", "C:\\", "C:\\Windows\\System32", "\\\\server\\share",
    "file:///etc/passwd", "~/.ssh/id_rsa", "a/../../b", "%2e%2e%2f",
    "..%2f..%2f", "/proc/self/environ", "http://localhost:80/",
    "http://[::1]/", "a\u2215b", "CON.txt",
    /* markup and scripts */
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)", "&amp;", "&lt;", "&#0;", "<!--", "-->", "]]>",
    "<![CDATA[x]]>", "<?xml version=\"1.0\"?>", "<a href='x'>", "</textarea>",
    "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>",
    /* data formats */
    "{}", "[]", "{\"a\":", "[1,", "a,b", "\"a,\"\"b\"\"\"", "=1+1",
    "=HYPERLINK(\"http://x\")", "+1", "-1+1", "@SUM(1)", "a: b", "key=value",
    "#comment", "---", "\x1E",
    /* control characters and escapes */
    "\x07\x08\x0C\x0B", "\x1B[31mred\x1B[0m", "\x1B]0;title\x07", "\x7F",
    "\x01", "a\bb", "\x1A", "\x0C",
    /* byte order marks and invisible marks */
    "\uFEFF", "\uFEFFhello", "hello\uFEFF", "\u200B\u200B", "\u200D",
    "\u2060", "\u00AD", "a\u200Cb", "\u180E", "\u2063",
    /* bidirectional text */
    "\u202E", "invoice\u202Efdp.exe", "\u202Ehello\u202C", "\u200Fabc",
    "\u2067abc\u2069", "\u05E9\u05DC\u05D5\u05DD",
    "\u0645\u0631\u062D\u0628\u0627", "abc \u05D0\u05D1\u05D2 123",
    "\u202B\u202A\u202D",
    /* case, width and normalisation traps */
    "e\u0301", "\u00E9", "\u0130", "\u0131", "\u00DF", "SS", "\u01C5",
    "\u212A", "\uFB03", "\uFF54\uFF45\uFF53\uFF54", "\u2126", "\u1E9E",
    "A\u030A", "\u00C5", "\u212B",
    /* scripts and emoji */
    "测试", "テスト", "한국어", "नमस\u094Dत\u0947", "สว\u0E31สด\u0E35", "😀",
    "👨\u200D👩\u200D👧\u200D👦", "👍🏽", "🇺🇸",
    "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F",
    "❤\uFE0F", "𝕳𝖊𝖘𝖙", "\U0010FFFF", "\uFFFD", "\uFFFE", "\uFFFF", "\uFDD0",
    /* lookalikes */
    "\u0430dmin", "p\u0430ypal", "\u0391", "\u2024", "\uFF0E\uFF0E/",
    "\u2044", "\u00B4", "\u02BC",
};

/* Numbers as text for gf_numeric_string. */
static const char *const numeric_list[] = {
    /* zeros and signs */
    "0", "-0", "+0", "0.0", "-0.0", "+0.0", "00", "0e0", "-0e0", "0x0",
    "\u22120",
    /* padding and leading zeros */
    "042", "0042", "08", "09", "017", " 42", "42 ", " 42 ", "\t42\n", "4 2",
    "+42", "++42", "--42", "+-42", "42-",
    /* partial forms */
    ".5", "5.", "-.5", "+.5", ".", "+", "-", "e", "1e", "1e+", "1e-", "e5",
    "0x", "0b", "1.2.3", "1..2", "1ee2",
    /* exponents */
    "1e5", "1E5", "1e+5", "1e-5", "1e309", "-1e309", "1e-400", "-1e-400",
    "1e1000000", "1e-1000000", "1e308", "1.7976931348623157e308",
    "1.7976931348623159e308", "4.9e-324", "2.4e-324",
    "2.2250738585072011e-308", "2.2250738585072012e-308",
    /* special values */
    "NaN", "nan", "-NaN", "NAN(123)", "nan(0x8)", "inf", "-inf", "+inf",
    "Inf", "INF", "infinity", "Infinity", "-Infinity", "INFINITY", "infinit",
    /* bases */
    "0x1F", "0X1f", "-0x1F", "0x7FFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFF",
    "0x1p-2", "0b101", "0o17", "0777", "1f", "0xG",
    /* separators and locales */
    "1_000", "1,000", "1.000", "1,000.50", "1.000,50", "1'000", "1 000",
    "1\u00A0000", "1\u202F000", "0,5", "1,5e3", "12,34,567",
    /* integer boundaries */
    "127", "128", "-128", "-129", "255", "256", "32767", "32768", "-32768",
    "-32769", "65535", "65536", "2147483647", "2147483648", "-2147483648",
    "-2147483649", "4294967295", "4294967296", "9007199254740991",
    "9007199254740992", "9007199254740993", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "18446744073709551615", "18446744073709551616",
    "99999999999999999999999999999999999999",
    /* decimals that do not round-trip */
    "0.1", "0.30000000000000004", "0.1e1", "123456789012345678901234567890.5",
    "0.000000000000000000000000000001",
    "1.00000000000000011102230246251565404236316680908203125", "2.5", "-2.5",
    "0.49999999999999994",
    /* digits from other scripts and symbols */
    "\u0664\u0662", "۴۲", "４２", "४२", "৪২", "๔๒", "\u0661\u066B\u0665", "½",
    "²", "⁵", "Ⅻ", "〇", "𝟎", "1\u20442", "\u22121", "\u20131",
    /* units, currency and fractions */
    "$1", "1%", "1/2", "1 1/2", "10px", "1.5k", "1e3m", "€1", "(1)", "1-",
};

/* What people type when they have no value: "N/A", "TBD", "TODO",
 * "0000-00-00" and the like.  These strings are what the generator draws
 * (data that breaks parsers and validators), not notes about this code. */
static const char *const dirty_placeholders[] = {
    "N/A", "n/a", "NA", "na", "n.a.", "#N/A", "-", "--", "---", "?", "?\?\?",
    ".", "TBD", "TBA", "tbd", "TODO", "unknown", "Unknown", "UNKNOWN", "none",
    "None", "null", "NULL", "nil", "undefined", "(null)", "(blank)", "blank",
    "empty", "missing", "not available", "0", "-1", "9999", "99999",
    "0000-00-00", "0000-00-00 00:00:00", "1970-01-01", "1970-01-01T00:00:00Z",
    "1900-01-01", "1899-12-30", "9999-12-31", "01/01/1900", "00/00/0000",
    "12/31/9999", "00:00", "xxx", "XXX", "test", "asdf", "lorem ipsum",
    "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "NaN", "\\N", "''", "\"\"",
};

/* Latin-1 and CP1252 bytes where UTF-8 was expected: none of these is
 * valid UTF-8 (0x80..0x9F are CP1252 quotes, dashes, the euro sign).
 * Where a hex digit follows, the byte is written in octal ("\337e" is
 * 0xDF then 'e'), which ends after three digits. */
static const char *const dirty_latin1[] = {
    "caf\xE9", "na\xEFve", "Z\xFCrich", "Stra\337e", "\xC5ngstr\xF6m",
    "se\xF1or", "r\xE9sum\xE9", "\243100", "\xA9 2024", "50\xB0", "\xBD",
    "\xA0", "\xE9", "\xFF", "\x93quoted\x94", "it\x92s", "\x91single\x92",
    "a \x96 b", "a \x97 b", "wait\x85", "5\x80", "Brand\x99",
    "caf\xE9 \223cr\xE8me\x94", "\x84low\x93",
};

/* UTF-8 read as CP1252 and encoded again (the last one twice): valid
 * UTF-8 that reads as mojibake. */
static const char *const dirty_double_encoded[] = {
    "cafÃ©", "naÃ¯ve", "ZÃ¼rich", "itâ€™s", "rÃ©sumÃ©", "crÃ¨me",
    "SÃ£o Paulo", "Î•Î»Î»Î¬Î\u00B4Î±", "cafÃƒÂ©",
};


/* ---- shared ------------------------------------------------------------ */

/* An entry of a list; index 0 is the simplest. */
static const char *pick(gf_case *tc, const char *const *list, size_t n)
{
    return list[gf_draw_uint(tc, 0, n - 1)];
}

/* A value is a char * the property may write to, like every other text
 * value: list entries are string literals, so values get arena copies. */
static char *arena_copy(gf_case *tc, const char *s)
{
    return gf_memdup(tc, s, strlen(s) + 1);
}

static char *pick_copy(gf_case *tc, const char *const *list, size_t n)
{
    return arena_copy(tc, pick(tc, list, n));
}

/* Print a char * value, which may be NULL. */
static void print_maybe_null(gf_printer *p, const gf_gen *self,
                             const void *value)
{
    (void)self;
    const char *s = *(char *const *)value;
    if (s)
        gf_print_string(p, s, strlen(s));
    else
        gf_print(p, "NULL");
}

static const gf_gen *make_string_gen(const char *name, gf_gen_draw_fn draw)
{
    gf_gen t = {
        .name = name,
        .size = sizeof(char *),
        .align = _Alignof(char *),
        .flags = GF_GEN_POINTER_VALUE | GF_GEN_TEXT,
        .kind = GF_VALUE_POINTER,
        .label = gf_span_label(name),
        .draw = draw,
        .print = print_maybe_null,
    };
    return gf_gen_intern(&t);
}

/* ---- nasty strings ----------------------------------------------------- */

/* Chance of a generated string rather than one from nasty_list. */
#define NASTY_GENERATED_P 0.15

/* Very long strings: a unit repeated.  The counts straddle the sizes that
 * fixed buffers and length fields are made of; 65536 units of "a" is
 * 64 KiB, 65537 one byte past it. */
static const char *const long_units[] = {
    "a", "\u00E9", "\U0001F600", "%s", "\r\n", "e\u0301", "\u202E",
};
static const size_t long_counts[] = {256, 1024, 4096, 65535, 65536, 65537};

/* Fill out[0 .. n*count) with `count` copies of unit[0 .. n): one copy,
 * then doubling what is there, so a 64 KiB fill is a few large copies. */
static void fill_repeated(char *out, const char *unit, size_t n, size_t count)
{
    size_t total = n * count, done = n;
    if (total == 0)
        return;
    memcpy(out, unit, n);
    while (done < total) {
        size_t chunk = done < total - done ? done : total - done;
        memcpy(out + done, out, chunk);
        done += chunk;
    }
}

static char *long_string(gf_case *tc)
{
    const char *unit = pick(tc, long_units, COUNT(long_units));
    size_t count = long_counts[gf_draw_uint(tc, 0, COUNT(long_counts) - 1)];
    size_t n = strlen(unit);
    char *s = gf_alloc(tc, n * count + 1);
    fill_repeated(s, unit, n, count);
    s[n * count] = '\0';
    return s;
}

/* Letters each carrying a pile of combining marks ("Zalgo" text): one to
 * six letters, each with one to forty marks from U+0300..U+036F. */
#define ZALGO_LETTERS_MAX 6
#define ZALGO_MARKS_MAX 40

static char *zalgo_string(gf_case *tc)
{
    text_buf t;
    gf_many letters;
    text_init(tc, &t);
    gf_many_init(tc, &letters, 1, ZALGO_LETTERS_MAX);
    while (gf_many_more(tc, &letters)) {
        char letter = (char)('a' + gf_draw_uint(tc, 0, 25));
        text_put(tc, &t, &letter, 1);
        size_t marks = 1 + gf_draw_uint(tc, 0, ZALGO_MARKS_MAX - 1);
        for (size_t i = 0; i < marks; i++) {
            char bytes[4];
            size_t n = utf8_encode(0x300 + (uint32_t)gf_draw_uint(tc, 0, 0x6F),
                                   bytes);
            text_put(tc, &t, bytes, n);
        }
    }
    return t.data;
}

/* Deep nesting, for recursive parsers: an opener repeated, then (unless
 * the string is left open) its closer as often. */
static const char *const nest_open[] = {"(", "[", "{\"a\":", "<a>", "{{"};
static const char *const nest_close[] = {")", "]", "}", "</a>", "}}"};
static const size_t nest_depths[] = {16, 256, 4096, 100000};
#define NEST_UNCLOSED_P 0.3

static char *nested_string(gf_case *tc)
{
    size_t kind = gf_draw_uint(tc, 0, COUNT(nest_open) - 1);
    size_t depth = nest_depths[gf_draw_uint(tc, 0, COUNT(nest_depths) - 1)];
    bool closed = !gf_draw_weighted(tc, NEST_UNCLOSED_P);
    size_t no = strlen(nest_open[kind]), nc = strlen(nest_close[kind]);
    size_t len = depth * no + (closed ? depth * nc : 0);
    char *s = gf_alloc(tc, len + 1);
    fill_repeated(s, nest_open[kind], no, depth);
    if (closed)
        fill_repeated(s + depth * no, nest_close[kind], nc, depth);
    s[len] = '\0';
    return s;
}

static void draw_nasty(gf_case *tc, const gf_gen *self, void *out)
{
    (void)self;
    char *s;
    if (gf_draw_weighted(tc, NASTY_GENERATED_P)) {
        switch (gf_draw_uint(tc, 0, 2)) {
        case 0: s = long_string(tc); break;
        case 1: s = zalgo_string(tc); break;
        default: s = nested_string(tc); break;
        }
    } else {
        s = pick_copy(tc, nasty_list, COUNT(nasty_list));
    }
    *(char **)out = s;
}

const gf_gen *gf_nasty_string(void)
{
    GEN_ONCE_RETURN(make_string_gen("nasty_string", draw_nasty));
}

/* ---- numeric strings --------------------------------------------------- */

/* Chance of a drawn integer, decorated, rather than one from the list. */
#define NUMERIC_GENERATED_P 0.2

/* How a drawn integer is written. */
enum numeric_form {
    FORM_PLAIN,       /* -42 */
    FORM_PLUS,        /* +42 (or -42) */
    FORM_PADDED,      /*  42 , with spaces around */
    FORM_ZEROS,       /* 00000000000000000042 */
    FORM_DECIMAL,     /* 42.0 */
    FORM_EXPONENT,    /* 42e0 */
    FORM_HEX,         /* 0x2a, two's complement for negatives */
    FORM_PAST_INT64,  /* the integer with a digit appended: 420 */
    FORM_COUNT,
};

static char *decorated_integer(gf_case *tc)
{
    int64_t v = gf_draw_int(tc, INT64_MIN, INT64_MAX);
    switch (gf_draw_uint(tc, 0, FORM_COUNT - 1)) {
    case FORM_PLAIN: return gf_sprintf(tc, "%" PRId64, v);
    case FORM_PLUS: return gf_sprintf(tc, "%+" PRId64, v);
    case FORM_PADDED: return gf_sprintf(tc, " %" PRId64 " ", v);
    case FORM_ZEROS: return gf_sprintf(tc, "%020" PRId64, v);
    case FORM_DECIMAL: return gf_sprintf(tc, "%" PRId64 ".0", v);
    case FORM_EXPONENT: return gf_sprintf(tc, "%" PRId64 "e0", v);
    case FORM_HEX: return gf_sprintf(tc, "0x%" PRIx64, (uint64_t)v);
    default: return gf_sprintf(tc, "%" PRId64 "0", v);
    }
}

static void draw_numeric(gf_case *tc, const gf_gen *self, void *out)
{
    (void)self;
    char *s;
    if (gf_draw_weighted(tc, NUMERIC_GENERATED_P))
        s = decorated_integer(tc);
    else
        s = pick_copy(tc, numeric_list, COUNT(numeric_list));
    *(char **)out = s;
}

const gf_gen *gf_numeric_string(void)
{
    GEN_ONCE_RETURN(make_string_gen("numeric_string", draw_numeric));
}

/* ---- dirty text -------------------------------------------------------- */

/* The kinds of dirty value, simplest first. */
enum dirty_kind {
    DIRTY_NULL,
    DIRTY_EMPTY,
    DIRTY_WHITESPACE,     /* whitespace only */
    DIRTY_PADDED,         /* a value with whitespace around it */
    DIRTY_PLACEHOLDER,
    DIRTY_LATIN1,         /* not UTF-8 */
    DIRTY_DOUBLE_ENCODED,
    DIRTY_LINE_ENDINGS,   /* lines ended by a mix of CRLF, LF and CR */
    DIRTY_KINDS,
};

/* Whitespace as it arrives from spreadsheets, web forms and word
 * processors, ASCII first. */
static const char *const dirty_spaces[] = {
    " ", "\t", "\n", "\r", "\r\n", "\v", "\f",
    "\u00A0", /* no-break space */
    "\u3000", /* ideographic space */
    "\u200B", /* zero width space */
    "\uFEFF", /* byte order mark */
    "\u2003", /* em space */
    "\u202F", /* narrow no-break space */
    "\xC2\x85", /* next line (NEL) */
};

/* Ordinary values that the padded and multi-line kinds are made of. */
static const char *const dirty_words[] = {
    "a", "abc", "Alice", "42", "3.14", "2024-01-31", "yes", "caf\u00E9",
    "a b", "N/A",
};

static const char *const line_endings[] = {"\n", "\r\n", "\r"};
#define WHITESPACE_MAX 8
#define PAD_MAX 3
#define LINES_MAX 6

static void put_spaces(gf_case *tc, text_buf *t, size_t min, size_t max)
{
    gf_many m;
    gf_many_init(tc, &m, min, max);
    while (gf_many_more(tc, &m))
        text_puts(tc, t, pick(tc, dirty_spaces, COUNT(dirty_spaces)));
}

static char *padded(gf_case *tc)
{
    text_buf t;
    text_init(tc, &t);
    /* Leading, trailing or both: the side with none is drawn as 0..max,
     * the other always has some. */
    bool leading = gf_draw_bool(tc);
    put_spaces(tc, &t, leading ? 1 : 0, PAD_MAX);
    text_puts(tc, &t, pick(tc, dirty_words, COUNT(dirty_words)));
    put_spaces(tc, &t, leading ? 0 : 1, PAD_MAX);
    return t.data;
}

/* Two to six lines, each ended by CRLF, LF or CR, the first two endings
 * different so the endings are always mixed; then, sometimes, a last line
 * with no ending at all, as files often have. */
#define UNTERMINATED_P 0.5

static char *mixed_lines(gf_case *tc)
{
    text_buf t;
    gf_many m;
    size_t lines = 0, first = 0;
    text_init(tc, &t);
    gf_many_init(tc, &m, 2, LINES_MAX);
    while (gf_many_more(tc, &m)) {
        text_puts(tc, &t, pick(tc, dirty_words, COUNT(dirty_words)));
        size_t e = gf_draw_uint(tc, 0, COUNT(line_endings) - 1);
        if (lines == 0)
            first = e;
        else if (lines == 1 && e == first)
            e = (e + 1) % COUNT(line_endings);
        text_puts(tc, &t, line_endings[e]);
        lines++;
    }
    if (gf_draw_weighted(tc, UNTERMINATED_P))
        text_puts(tc, &t, pick(tc, dirty_words, COUNT(dirty_words)));
    return t.data;
}

/* How often each kind comes, in draws out of DIRTY_WEIGHT_TOTAL: the
 * placeholder list is long, so it gets the largest share. */
static const unsigned dirty_weights[DIRTY_KINDS] = {
    [DIRTY_NULL] = 2,       [DIRTY_EMPTY] = 2,
    [DIRTY_WHITESPACE] = 3, [DIRTY_PADDED] = 3,
    [DIRTY_PLACEHOLDER] = 6, [DIRTY_LATIN1] = 3,
    [DIRTY_DOUBLE_ENCODED] = 2, [DIRTY_LINE_ENDINGS] = 3,
};
#define DIRTY_WEIGHT_TOTAL 24

/* A kind by its weight; the lowest draws give the simplest kind. */
static enum dirty_kind draw_dirty_kind(gf_case *tc)
{
    unsigned w = (unsigned)gf_draw_uint(tc, 0, DIRTY_WEIGHT_TOTAL - 1);
    unsigned k = 0;
    while (w >= dirty_weights[k]) {
        w -= dirty_weights[k];
        k++;
    }
    return (enum dirty_kind)k;
}

static void draw_dirty(gf_case *tc, const gf_gen *self, void *out)
{
    (void)self;
    char *s = NULL;
    text_buf t;
    switch (draw_dirty_kind(tc)) {
    case DIRTY_NULL: s = NULL; break;
    case DIRTY_EMPTY: s = arena_copy(tc, ""); break;
    case DIRTY_WHITESPACE:
        text_init(tc, &t);
        put_spaces(tc, &t, 1, WHITESPACE_MAX);
        s = t.data;
        break;
    case DIRTY_PADDED: s = padded(tc); break;
    case DIRTY_PLACEHOLDER:
        s = pick_copy(tc, dirty_placeholders, COUNT(dirty_placeholders));
        break;
    case DIRTY_LATIN1:
        s = pick_copy(tc, dirty_latin1, COUNT(dirty_latin1));
        break;
    case DIRTY_DOUBLE_ENCODED:
        s = pick_copy(tc, dirty_double_encoded, COUNT(dirty_double_encoded));
        break;
    default: s = mixed_lines(tc); break;
    }
    *(char **)out = s;
}

const gf_gen *gf_dirty_text(void)
{
    GEN_ONCE_RETURN(make_string_gen("dirty_text", draw_dirty));
}
