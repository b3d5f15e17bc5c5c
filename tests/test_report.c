/*
 * test_report.c - machine-readable reports (src/report.c) and --stats
 * (src/stats.c).
 *
 * TAP is held to exact text.  JUnit and JSON are held to what their readers
 * need: xmllint accepts the XML (and the Jenkins JUnit schema, when
 * GF_JUNIT_XSD names a copy of it), python's json module accepts the JSON,
 * and the strings come back as they went in, with U+FFFD for invalid
 * UTF-8.  Tools that are missing skip their checks with a message.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/stats.h"
#include "report/report.h"

/* ---- helpers ----------------------------------------------------------- */

static gf_property prop_named(const char *name)
{
    return (gf_property){.name = name, .file = "tests/props.c", .line = 42};
}

static gf_result passed_result(void)
{
    return (gf_result){.status = GF_PASSED, .seed = 1, .cases = 100,
                       .passed = 100, .discarded = 3, .duplicates = 2};
}

static gf_result failed_result(void)
{
    return (gf_result){
        .status = GF_FAILED, .seed = 0xdeadbeef, .cases = 17, .passed = 16,
        .discarded = 2, .duplicates = 1, .shrinks = 4, .shrink_calls = 30,
        .origin = "tests/props.c:50",
        .message = "assertion failed: is_sorted(out, n)",
        .counterexample = "xs = {3, 1}\nn = 2\n", .replay = "gf1:AAECAw",
        .report = "FAIL sorted_output after 17 cases\n  xs = {3, 1}\n"};
}

static gf_result gave_up_result(void)
{
    return (gf_result){
        .status = GF_GAVE_UP, .seed = 7, .cases = 1000, .discarded = 990,
        .duplicates = 10,
        .message = "the filter on int32 rejected nearly every value"};
}

static gf_result error_result(void)
{
    return (gf_result){.status = GF_ERROR, .seed = 9,
                       .message = "gf_run: the property has no name"};
}

/* Run one result through a TAP-only report set; the TAP text. */
static char *tap_of(const gf_property *p, const gf_result *r)
{
    char *text = NULL, *errs = NULL;
    size_t len = 0, elen = 0;
    FILE *out = open_memstream(&text, &len);
    FILE *err = open_memstream(&errs, &elen);
    report_set *rs = report_open(&(report_options){.tap = true}, 1, out, err);
    cr_assert_not_null(rs);
    report_add(rs, p, r, 0.5);
    cr_assert_eq(report_close(rs, err), 0);
    fclose(out);
    fclose(err);
    cr_assert_str_empty(errs);
    free(errs);
    return text;
}

static char *make_dir(void)
{
    char tmpl[] = "/tmp/gf-report-XXXXXX";
    cr_assert_not_null(mkdtemp(tmpl));
    return strdup(tmpl);
}

static void remove_dir(char *dir)
{
    char *cmd = NULL;
    cr_assert(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
    cr_assert_eq(system(cmd), 0);
    free(cmd);
    free(dir);
}

static char *path_in(const char *dir, const char *name)
{
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
    return p;
}

static size_t files_in(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int c;
    while ((c = getc(f)) != EOF)
        putc(c, m);
    fclose(f);
    fclose(m);
    return buf;
}

static bool have_tool(const char *check)
{
    return system(check) == 0;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Write JUnit and JSON reports of `n` results to dir; their paths. */
static void write_reports(const char *dir, const gf_property *props,
                          const gf_result *results, size_t n, char **junit,
                          char **json)
{
    *junit = path_in(dir, "report.xml");
    *json = path_in(dir, "report.json");
    report_options o = {.junit_path = *junit, .json_path = *json};
    report_set *rs = report_open(&o, n, NULL, stderr);
    cr_assert_not_null(rs);
    for (size_t i = 0; i < n; i++)
        report_add(rs, &props[i], &results[i], 0.001 * (double)(i + 1));
    cr_assert_eq(report_close(rs, stderr), 0);
}

/* Every byte 1..255 (0 ends a C string), then a newline. */
static char *all_bytes(void)
{
    char *s = malloc(257);
    for (int b = 1; b < 256; b++)
        s[b - 1] = (char)b;
    s[255] = '\n';
    s[256] = '\0';
    return s;
}

/* all_bytes() as a reader gets it back from JSON or YAML: bytes 0x80..0xFF
 * are each invalid UTF-8 on their own, so each becomes U+FFFD. */
static char *all_bytes_decoded(void)
{
    char *s = malloc(128 + 3 * 128 + 2), *q = s;
    for (int b = 1; b < 256; b++) {
        if (b < 0x80) {
            *q++ = (char)b;
        } else {
            memcpy(q, "\xEF\xBF\xBD", 3);
            q += 3;
        }
    }
    *q++ = '\n';
    *q = '\0';
    return s;
}

/* ---- TAP --------------------------------------------------------------- */

Test(tap, pass_is_one_line)
{
    gf_property p = prop_named("sort_idempotent");
    gf_result r = passed_result();
    char *text = tap_of(&p, &r);
    cr_assert_str_eq(text, "TAP version 13\n1..1\nok 1 - sort_idempotent\n");
    free(text);
}

Test(tap, failure_has_diagnostics)
{
    gf_property p = prop_named("sorted_output");
    gf_result r = failed_result();
    char *text = tap_of(&p, &r);
    cr_assert_str_eq(text,
                     "TAP version 13\n"
                     "1..1\n"
                     "not ok 1 - sorted_output\n"
                     "  ---\n"
                     "  status: failed\n"
                     "  message: \"assertion failed: is_sorted(out, n)\"\n"
                     "  origin: \"tests/props.c:50\"\n"
                     "  counterexample: |\n"
                     "    xs = {3, 1}\n"
                     "    n = 2\n"
                     "  seed: \"0x00000000deadbeef\"\n"
                     "  replay: \"gf1:AAECAw\"\n"
                     "  cases: 17\n"
                     "  passed: 16\n"
                     "  discarded: 2\n"
                     "  duplicates: 1\n"
                     "  ...\n");
    free(text);
}

Test(tap, give_up_is_not_ok)
{
    gf_property p = prop_named("rare_filter");
    gf_result r = gave_up_result();
    char *text = tap_of(&p, &r);
    cr_assert_str_eq(
        text, "TAP version 13\n"
              "1..1\n"
              "not ok 1 - rare_filter\n"
              "  ---\n"
              "  status: gave_up\n"
              "  message: \"the filter on int32 rejected nearly every value\"\n"
              "  seed: \"0x0000000000000007\"\n"
              "  cases: 1000\n"
              "  passed: 0\n"
              "  discarded: 990\n"
              "  duplicates: 10\n"
              "  ...\n");
    free(text);
}

Test(tap, error_is_not_ok)
{
    gf_property p = prop_named("broken");
    gf_result r = error_result();
    char *text = tap_of(&p, &r);
    cr_assert_str_eq(text, "TAP version 13\n"
                           "1..1\n"
                           "not ok 1 - broken\n"
                           "  ---\n"
                           "  status: error\n"
                           "  message: \"gf_run: the property has no name\"\n"
                           "  seed: \"0x0000000000000009\"\n"
                           "  cases: 0\n"
                           "  passed: 0\n"
                           "  discarded: 0\n"
                           "  duplicates: 0\n"
                           "  ...\n");
    free(text);
}

Test(tap, numbering_and_properties_never_added)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    report_set *rs = report_open(&(report_options){.tap = true}, 4, out, stderr);
    gf_property a = prop_named("a"), b = prop_named("b");
    gf_result ok = passed_result();
    report_add(rs, &a, &ok, 0);
    report_add(rs, &b, &ok, 0);
    cr_assert_eq(report_close(rs, stderr), 0);
    fclose(out);
    cr_assert_str_eq(text, "TAP version 13\n1..4\nok 1 - a\nok 2 - b\n"
                           "ok 3 # SKIP not run\nok 4 # SKIP not run\n");
    free(text);
}

Test(tap, name_cannot_start_a_directive)
{
    gf_property p = prop_named("a # TODO\\b\nc");
    gf_result r = passed_result();
    char *text = tap_of(&p, &r);
    cr_assert_str_eq(text,
                     "TAP version 13\n1..1\nok 1 - a \\# TODO\\\\b?c\n");
    free(text);
}

Test(tap, unsafe_strings_are_quoted)
{
    gf_property p = prop_named("p");
    gf_result r = failed_result();
    r.counterexample = "s = \"\x01\xff\"\n";
    r.message = "two\n\nblank lines\n\n";
    char *text = tap_of(&p, &r);
    cr_assert(strstr(text, "  message: \"two\\n\\nblank lines\\n\\n\"\n"),
              "%s", text);
    cr_assert(strstr(text, "  counterexample: \"s = \\\"\\x01\xEF\xBF\xBD\\\"\\n\"\n"),
              "%s", text);
    free(text);
}

/* TAP::Parser reads "|" but not "|-": a value without its final newline
 * is a quoted string. */
Test(tap, block_without_final_newline_is_quoted)
{
    gf_property p = prop_named("p");
    gf_result r = failed_result();
    r.message = "first\n  second";
    char *text = tap_of(&p, &r);
    cr_assert(strstr(text, "  message: \"first\\n  second\"\n  origin"),
              "%s", text);
    cr_assert(!strstr(text, "|-"), "%s", text);
    free(text);
}

/* YAML readers get back exactly the strings (invalid UTF-8 as U+FFFD). */
Test(tap, diagnostics_parse_as_yaml)
{
    if (!have_tool("python3 -c 'import yaml' >/dev/null 2>&1"))
        cr_skip_test("python3 with PyYAML not found: YAML not checked");
    char *dir = make_dir();
    char *tap_path = path_in(dir, "out.tap"), *got_path = path_in(dir, "got");
    FILE *out = fopen(tap_path, "w");
    char *bytes = all_bytes();
    const char *texts[] = {bytes, "plain\nlines\n", "x = \"\\t\"\n  y\n",
                           "tab\there\n", "caf\xC3\xA9 \xE2\x82\xAC\n"};
    size_t n = sizeof texts / sizeof *texts;
    report_set *rs = report_open(&(report_options){.tap = true}, n, out, stderr);
    gf_property p = prop_named("p");
    for (size_t i = 0; i < n; i++) {
        gf_result r = failed_result();
        r.counterexample = (char *)texts[i];
        report_add(rs, &p, &r, 0);
    }
    cr_assert_eq(report_close(rs, stderr), 0);
    fclose(out);
    /* Print each block's counterexample, NUL-separated. */
    char *cmd = NULL;
    cr_assert(asprintf(&cmd,
        "python3 -c 'import sys, yaml\n"
        "blocks = open(sys.argv[1], encoding=\"utf-8\").read().split(\"  ---\\n\")[1:]\n"
        "out = open(sys.argv[2], \"wb\")\n"
        "for b in blocks:\n"
        "    d = yaml.safe_load(b.split(\"  ...\\n\")[0])\n"
        "    out.write(d[\"counterexample\"].encode(\"utf-8\") + b\"\\0\")\n"
        "' '%s' '%s'", tap_path, got_path) > 0);
    cr_assert_eq(system(cmd), 0, "YAML did not load");
    char *got = slurp(got_path), *g = got;
    char *decoded = all_bytes_decoded();
    texts[0] = decoded;
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_eq(g, texts[i], "block %zu", i);
        g += strlen(g) + 1;
    }
    free(decoded);
    free(got);
    free(cmd);
    free(bytes);
    free(tap_path);
    free(got_path);
    remove_dir(dir);
}

/* ---- JUnit ------------------------------------------------------------- */

/* Four properties, one of each status, every string full of bytes XML
 * cannot carry. */
static void nasty_results(gf_property props[4], gf_result results[4],
                          char *bytes)
{
    static const char *names[] = {"ok<&>\"'", "fail #1", "gave\tup", "err\x01"};
    for (int i = 0; i < 4; i++) {
        props[i] = (gf_property){.name = names[i], .file = "dir/we ird&.c",
                                 .line = i};
        results[i] = (gf_result){.seed = UINT64_MAX, .cases = 5};
    }
    results[0].status = GF_PASSED;
    results[1] = failed_result();
    results[1].counterexample = bytes;
    results[1].message = bytes;
    results[1].report = bytes;
    results[1].origin = "]]> <!-- --> \xC0\xAF";
    results[2] = gave_up_result();
    results[2].message = "\x7f\xc2\x85\xef\xbf\xbe\xed\xa0\x80 \xF0\x9F\x98\x80";
    results[3] = error_result();
    results[3].message = bytes;
}

Test(junit, xmllint_accepts_every_byte)
{
    if (!have_tool("command -v xmllint >/dev/null 2>&1"))
        cr_skip_test("xmllint not found: JUnit XML not checked");
    char *dir = make_dir(), *junit, *json, *bytes = all_bytes();
    gf_property props[4];
    gf_result results[4];
    nasty_results(props, results, bytes);
    write_reports(dir, props, results, 4, &junit, &json);
    char *cmd = NULL;
    cr_assert(asprintf(&cmd, "xmllint --noout '%s'", junit) > 0);
    cr_assert_eq(system(cmd), 0, "xmllint rejected %s", junit);
    const char *xsd = getenv("GF_JUNIT_XSD");
    if (xsd && *xsd) {
        free(cmd);
        cr_assert(asprintf(&cmd, "xmllint --noout --schema '%s' '%s'", xsd,
                           junit) > 0);
        cr_assert_eq(system(cmd), 0, "%s does not match %s", junit, xsd);
    }
    char *xml = slurp(junit);
    cr_assert(strstr(xml, "<testsuite name=\"gadfly\" tests=\"4\" "
                          "failures=\"2\" errors=\"1\" time=\"0.010\""), "%s", xml);
    cr_assert(strstr(xml, "<testcase name=\"ok&lt;&amp;&gt;&quot;&apos;\" "
                          "classname=\"dir.we ird&amp;\" file=\"dir/we ird&amp;.c\" "
                          "line=\"0\" time=\"0.001\">"), "%s", xml);
    cr_assert(strstr(xml, "<failure message=\""), "%s", xml);
    cr_assert(strstr(xml, "type=\"gave_up\""), "%s", xml);
    cr_assert(strstr(xml, "<error message=\""), "%s", xml);
    cr_assert(strstr(xml, "\\u0001\\u0002"), "control bytes as text");
    free(xml);
    free(cmd);
    free(junit);
    free(json);
    free(bytes);
    remove_dir(dir);
}

Test(junit, empty_run_is_well_formed)
{
    if (!have_tool("command -v xmllint >/dev/null 2>&1"))
        cr_skip_test("xmllint not found: JUnit XML not checked");
    char *dir = make_dir(), *junit, *json;
    write_reports(dir, NULL, NULL, 0, &junit, &json);
    char *cmd = NULL;
    cr_assert(asprintf(&cmd, "xmllint --noout '%s'", junit) > 0);
    cr_assert_eq(system(cmd), 0);
    char *text = slurp(json);
    cr_assert_str_eq(text, "[]\n");
    free(text);
    free(cmd);
    free(junit);
    free(json);
    remove_dir(dir);
}

/* ---- JSON -------------------------------------------------------------- */

static void put_utf8(char **q, uint32_t cp)
{
    unsigned char *u = (unsigned char *)*q;
    if (cp < 0x80) {
        *u++ = (unsigned char)cp;
    } else if (cp < 0x800) {
        *u++ = (unsigned char)(0xC0 | cp >> 6);
        *u++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *u++ = (unsigned char)(0xE0 | cp >> 12);
        *u++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        *u++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
        *u++ = (unsigned char)(0xF0 | cp >> 18);
        *u++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        *u++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        *u++ = (unsigned char)(0x80 | (cp & 0x3F));
    }
    *q = (char *)u;
}

/* The value of the n-th (from 0) string field `key` in json, decoded;
 * NULL if there is none.  Enough JSON for what report.c writes. */
static char *json_get(const char *json, const char *key, int n)
{
    char *pattern = NULL;
    cr_assert(asprintf(&pattern, "\"%s\": \"", key) > 0);
    const char *s = strstr(json, pattern);
    while (s && n-- > 0)
        s = strstr(s + 1, pattern);
    if (!s) {
        free(pattern);
        return NULL;
    }
    s += strlen(pattern);
    free(pattern);
    char *out = malloc(strlen(s) + 1), *q = out;
    for (; *s != '"'; s++) {
        cr_assert((unsigned char)*s >= 0x20, "raw control character");
        if (*s != '\\') {
            *q++ = *s;
            continue;
        }
        s++;
        const char *simple = strchr("\"\\/bfnrt", *s);
        if (simple) {
            *q++ = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
            continue;
        }
        cr_assert_eq(*s, 'u');
        uint32_t cp = (uint32_t)strtoul((char[5]){s[1], s[2], s[3], s[4], 0},
                                        NULL, 16);
        s += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && s[1] == '\\' && s[2] == 'u') {
            uint32_t lo = (uint32_t)strtoul(
                (char[5]){s[3], s[4], s[5], s[6], 0}, NULL, 16);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            s += 6;
        }
        put_utf8(&q, cp);
    }
    *q = '\0';
    return out;
}

Test(json, strings_round_trip)
{
    const char *valid = "q\" b\\ t\t n\n r\r c\x01\x1f d\x7f c1\xC2\x85 "
                        "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 ls\xE2\x80\xA8 "
                        "nc\xEF\xBF\xBF </script>";
    char *dir = make_dir(), *junit, *json, *bytes = all_bytes();
    gf_property props[2] = {prop_named(valid), prop_named("q")};
    gf_result results[2] = {failed_result(), failed_result()};
    results[0].counterexample = (char *)valid;
    results[0].message = (char *)valid;
    results[1].counterexample = bytes;
    results[1].message = "a\xff" "b\xC3 \xC0\xAF \xED\xA0\x80 \xF4\x90\x80\x80 "
                         "\xE0\x80\xAF \xF0\x80\x80\xAF";
    write_reports(dir, props, results, 2, &junit, &json);
    char *text = slurp(json);
    const char *want[][3] = {
        {"name", valid, NULL},
        {"counterexample", valid, NULL},
        {"message", valid, NULL},
        {"origin", "tests/props.c:50", NULL},
        {"replay", "gf1:AAECAw", NULL},
        {"seed", "0x00000000deadbeef", NULL},
        {"status", "failed", NULL},
        {"file", "tests/props.c", NULL},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        char *got = json_get(text, want[i][0], 0);
        cr_assert_not_null(got, "no %s", want[i][0]);
        cr_assert_str_eq(got, want[i][1], "%s", want[i][0]);
        free(got);
    }
    char *got = json_get(text, "counterexample", 1), *dec = all_bytes_decoded();
    cr_assert_str_eq(got, dec);
    free(got);
    free(dec);
    got = json_get(text, "message", 1);
    cr_assert_str_eq(got, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD "
                          "\xEF\xBF\xBD\xEF\xBF\xBD "
                          "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD "
                          "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD "
                          "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD "
                          "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    free(got);
    free(text);
    free(junit);
    free(json);
    free(bytes);
    remove_dir(dir);
}

Test(json, fields_and_python_accepts_it)
{
    char *dir = make_dir(), *junit, *json, *bytes = all_bytes();
    gf_property props[4];
    gf_result results[4];
    nasty_results(props, results, bytes);
    write_reports(dir, props, results, 4, &junit, &json);
    char *text = slurp(json);
    cr_assert(strncmp(text, "[\n  {\"name\": ", 13) == 0, "%s", text);
    cr_assert(strstr(text, "\"line\": 0, \"status\": \"passed\", "
                           "\"seed\": \"0xffffffffffffffff\", \"cases\": 5, "
                           "\"passed\": 0, \"discarded\": 0, \"duplicates\": 0, "
                           "\"shrinks\": 0, \"shrink_calls\": 0, "
                           "\"time\": 0.001000}"), "%s", text);
    cr_assert(strstr(text, "\"status\": \"gave_up\""));
    cr_assert(strstr(text, "\"status\": \"error\""));
    cr_assert(strstr(text, "\"shrinks\": 4, \"shrink_calls\": 30"));
    cr_assert(strstr(text, "\"flaky\": false}"));
    cr_assert_str_eq(text + strlen(text) - 4, "}\n]\n");
    if (have_tool("command -v python3 >/dev/null 2>&1")) {
        char *cmd = NULL;
        cr_assert(asprintf(&cmd, "python3 -m json.tool '%s' >/dev/null", json) > 0);
        cr_assert_eq(system(cmd), 0, "python3 rejected %s", json);
        free(cmd);
    } else {
        cr_log_warn("python3 not found: JSON not checked by a parser");
    }
    free(text);
    free(junit);
    free(json);
    free(bytes);
    remove_dir(dir);
}

/* ---- files ------------------------------------------------------------- */

/* Open with these paths, expecting failure: the one line it printed. */
static char *open_fails(const char *junit, const char *json)
{
    char *errs = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&errs, &len);
    report_options o = {.junit_path = junit, .json_path = json};
    cr_assert_null(report_open(&o, 1, NULL, err));
    fclose(err);
    cr_assert_eq(count_lines(errs), 1, "%s", errs);
    cr_assert(strncmp(errs, "gadfly: ", 8) == 0, "%s", errs);
    return errs;
}

Test(files, unwritable_paths_give_one_line)
{
    char *dir = make_dir();
    char *good = path_in(dir, "r.json");
    char *missing = path_in(dir, "no/such/dir/r.xml");
    char *errs = open_fails(missing, good);
    cr_assert(strstr(errs, "JUnit report") && strstr(errs, missing), "%s", errs);
    free(errs);
    /* The JSON temp was created first here: it must be gone again. */
    errs = open_fails(good, missing);
    cr_assert(strstr(errs, "JSON report"), "%s", errs);
    cr_assert_eq(files_in(dir), 0);
    free(errs);
    errs = open_fails(dir, NULL);
    cr_assert(strstr(errs, "directory"), "%s", errs);
    free(errs);
    errs = open_fails(good, good);
    cr_assert(strstr(errs, "both"), "%s", errs);
    free(errs);
    errs = open_fails("", NULL);
    free(errs);
    cr_assert_eq(files_in(dir), 0);
    free(good);
    free(missing);
    remove_dir(dir);
}

Test(files, written_atomically_at_close)
{
    char *dir = make_dir();
    char *xml = path_in(dir, "r.xml"), *json = path_in(dir, "r.json");
    FILE *old = fopen(json, "w");
    fputs("old", old);
    fclose(old);
    report_set *rs = report_open(&(report_options){.junit_path = xml,
                                                   .json_path = json},
                                 2, NULL, stderr);
    cr_assert_not_null(rs);
    gf_property p = prop_named("p");
    gf_result r = failed_result();
    report_add(rs, &p, &r, 1);
    report_add(rs, &p, &r, 1);
    /* Until close: no XML, the old JSON, and the two temp files. */
    cr_assert(!exists(xml));
    char *text = slurp(json);
    cr_assert_str_eq(text, "old");
    free(text);
    cr_assert_eq(files_in(dir), 3);
    cr_assert_eq(report_close(rs, stderr), 0);
    cr_assert(exists(xml));
    text = slurp(json);
    cr_assert(strncmp(text, "[\n", 2) == 0);
    free(text);
    cr_assert_eq(files_in(dir), 2, "temp files left behind");
    struct stat st;
    cr_assert_eq(stat(xml, &st), 0);
    mode_t mask = umask(0);
    umask(mask);
    cr_assert_eq(st.st_mode & 0777, 0666 & ~mask, "mode %o", st.st_mode);
    free(xml);
    free(json);
    remove_dir(dir);
}

Test(files, failed_rename_reports_and_cleans_up)
{
    char *dir = make_dir();
    char *xml = path_in(dir, "r.xml");
    report_set *rs = report_open(&(report_options){.junit_path = xml}, 1,
                                 NULL, stderr);
    cr_assert_not_null(rs);
    /* The target turns into a directory: rename cannot replace it. */
    cr_assert_eq(mkdir(xml, 0755), 0);
    char *errs = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&errs, &len);
    cr_assert_eq(report_close(rs, err), -1);
    fclose(err);
    cr_assert_eq(count_lines(errs), 1, "%s", errs);
    cr_assert(strstr(errs, xml), "%s", errs);
    cr_assert_eq(files_in(dir), 1, "only the directory is left");
    free(errs);
    free(xml);
    remove_dir(dir);
}

Test(files, null_set_is_harmless)
{
    report_add(NULL, NULL, NULL, 0);
    cr_assert_eq(report_close(NULL, stderr), 0);
    report_set *rs = report_open(&(report_options){0}, 3, NULL, stderr);
    cr_assert_not_null(rs);
    gf_result r = passed_result();
    report_add(rs, NULL, &r, 0);
    cr_assert_eq(report_close(rs, stderr), 0);
}

/* ---- stats ------------------------------------------------------------- */

/* Count `n` cases, each under the labels for which on(i) is set. */
static void run_cases(stats *s, int n, bool (*on)(int, int), int nlabels,
                      const char *const *labels)
{
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < nlabels; k++)
            if (on(i, k))
                stats_label(s, labels[k]);
        stats_case(s);
        stats_case_end(s);
    }
}

/* Label 0 always, label 1 in 4 cases of 10, label 2 in 1 case of 10. */
static bool pattern(int i, int k)
{
    return k == 0 || (k == 1 && i % 10 < 4) || (k == 2 && i % 10 == 0);
}

Test(stats, shares_sorted_with_bars)
{
    stats *s = stats_new();
    const char *labels[] = {"small", "empty", "huge"};
    run_cases(s, 10, pattern, 3, labels);
    unsigned unmet = 99;
    char *text = stats_report(s, &unmet);
    cr_assert_str_eq(text, " 100.0%  #################### small\n"
                           "  40.0%  ########             empty\n"
                           "  10.0%  ##                   huge\n");
    cr_assert_eq(unmet, 0);
    cr_assert_eq(stats_cases(s), 10);
    free(text);
    stats_free(s);
}

Test(stats, once_per_case_and_ties_by_name)
{
    stats *s = stats_new();
    for (int i = 0; i < 8; i++) {
        for (int k = 0; k < 3; k++) {
            stats_label(s, "b");
            stats_label(s, "a");
        }
        stats_case(s);
        stats_case_end(s);
    }
    char *text = stats_report(s, NULL);
    cr_assert_str_eq(text, " 100.0%  #################### a\n"
                           " 100.0%  #################### b\n");
    free(text);
    stats_free(s);
}

Test(stats, uncounted_cases_do_not_count)
{
    stats *s = stats_new();
    for (int i = 0; i < 32; i++) {
        stats_label(s, "seen");
        if (i % 4 == 0)
            stats_case(s);
        stats_case_end(s);
    }
    char *text = stats_report(s, NULL);
    cr_assert_str_eq(text, " 100.0%  #################### seen\n");
    cr_assert_eq(stats_cases(s), 8);
    free(text);
    stats_free(s);
}

Test(stats, labels_are_copied_from_reused_buffers)
{
    stats *s = stats_new();
    char buf[16];
    for (int i = 0; i < 1000; i++) {
        snprintf(buf, sizeof buf, "len=%d", i % 3 == 0 ? 0 : 1);
        stats_label(s, buf);
        stats_case(s);
        stats_case_end(s);
    }
    strcpy(buf, "garbage");
    char *text = stats_report(s, NULL);
    cr_assert_str_eq(text, "  66.6%  #############        len=1\n"
                           "  33.4%  #######              len=0\n");
    free(text);
    stats_free(s);
}

Test(stats, cover_met_and_unmet)
{
    stats *s = stats_new();
    for (int i = 0; i < 32; i++) {
        stats_case(s);
        stats_cover(s, "sorted", 20, i == 0);
        stats_cover(s, "nonempty", 50, i % 2 == 0);
        stats_cover(s, "nonempty", 10, false);
        stats_cover(s, "odd", 60, i % 2 == 1);
        stats_cover(s, "odd", 10, false); /* the higher minimum holds */
        stats_cover(s, "never", 1, false);
        stats_case_end(s);
    }
    unsigned unmet = 0;
    char *text = stats_report(s, &unmet);
    cr_assert_str_eq(text, "  50.0%  ##########           nonempty\n"
                           "  50.0%  ##########           odd\n"
                           "   3.1%  #                    sorted\n"
                           "   0.0%                       never\n"
                           "  cover: 'odd' needed 60.0%, got 50.0%\n"
                           "  cover: 'sorted' needed 20.0%, got 3.1%\n"
                           "  cover: 'never' needed 1.0%, got 0.0%\n");
    cr_assert_eq(unmet, 3);
    free(text);
    stats_free(s);
}

Test(stats, unmet_never_reads_as_met)
{
    stats *s = stats_new();
    for (int i = 0; i < 10000; i++) {
        stats_case(s);
        stats_cover(s, "x", 20, i < 1999);
        stats_case_end(s);
    }
    unsigned unmet = 0;
    char *text = stats_report(s, &unmet);
    cr_assert_eq(unmet, 1);
    cr_assert(strstr(text, "  cover: 'x' needed 20.0%, got 19.9%\n"), "%s", text);
    free(text);
    stats_free(s);
}

Test(stats, empty_and_nameless)
{
    stats *s = stats_new();
    unsigned unmet = 7;
    char *text = stats_report(s, &unmet);
    cr_assert_str_empty(text);
    cr_assert_eq(unmet, 0);
    free(text);
    stats_label(s, NULL);
    stats_label(s, "bad\nname");
    stats_case(s);
    stats_case_end(s);
    text = stats_report(s, NULL);
    cr_assert_str_eq(text, " 100.0%  #################### (null)\n"
                           " 100.0%  #################### bad?name\n");
    free(text);
    stats_free(s);
}

Test(stats, distinct_labels_are_capped)
{
    stats *s = stats_new();
    char buf[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(buf, sizeof buf, "value %d", i);
        stats_label(s, buf);
        stats_case(s);
        stats_case_end(s);
    }
    char *text = stats_report(s, NULL);
    cr_assert(strncmp(text, "  80.0%  ################     (other labels)\n",
                      45) == 0, "%.200s", text);
    cr_assert_eq(count_lines(text), 1001);
    free(text);
    stats_free(s);
}
