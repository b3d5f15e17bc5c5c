/*
 * test_criterion.c - the Criterion integration (include/gadfly/criterion.h).
 *
 * Passing GF_TESTs run end to end here.  A failing one cannot: Criterion
 * would count it as this binary's failure.  So the failure path is tested
 * three ways: the message formatter on hand-made results; the helper the
 * macro calls, on a failing property; and this very binary run again as a
 * child with a switch that makes one GF_TEST fail, reading what Criterion
 * printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gadfly/criterion.h>

/* Set in the child run to make gf_self::fails_when_asked fail. */
#define SELFTEST_VAR "GF_CRITERION_SELFTEST"

/* ---- GF_TEST end to end ------------------------------------------------- */

GF_TEST(gf_test, addition_commutes)
{
    int64_t a = *(int32_t *)gf_draw_named(tc, gf_int32(), "a");
    int64_t b = *(int32_t *)gf_draw_named(tc, gf_int32(), "b");
    GF_ASSERT_EQ_INT(tc, a + b, b + a);
}

GF_TEST(gf_test, attributes_pass_through, .timeout = 60,
        .description = "Criterion attributes reach Test")
{
    size_t n;
    const uint8_t *xs = gf_draw_array(tc, gf_uint8(), 0, 20, &n);
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += xs[i] < 128;
    GF_ASSERT_LE_UINT(tc, count, n);
}

/* Criterion must point at the failing assertion, five lines below. */
enum { SELF_TEST_LINE = __LINE__ + 1 };
GF_TEST(gf_self, fails_when_asked)
{
    if (!getenv(SELFTEST_VAR))
        return;
    int64_t x = gf_draw_i64(tc, gf_int(0, 1000), "x");
    GF_ASSERT_LT_INT(tc, x, 100);
}

/* ---- the message, from hand-made results -------------------------------- */

Test(criterion_message, failure_line_has_values_seed_and_replay)
{
    gf_result r = {.status = GF_FAILED, .seed = 0x2a,
                   .counterexample = "a = 0\nb = 1\n", .replay = "gf1:abc",
                   .report = "REPORT\n"};
    char *msg = gf_criterion_message_("m::t", "m/t", &r, "./prog");
    cr_assert_not_null(msg);
    cr_expect_str_eq(msg, "property m::t failed: a = 0, b = 1 | seed "
                          "0x000000000000002a | replay: GF_REPLAY=gf1:abc "
                          "./prog --filter m/t\nREPORT\n");
    free(msg);
}

Test(criterion_message, report_replay_line_is_rewritten_for_criterion)
{
    gf_result r = {.status = GF_FAILED, .counterexample = "x = 1\n",
                   .replay = "gf1:abc",
                   .report = "FAIL m::t\n  x = 1\n  seed: 0x1\n"
                             "  replay: ./prog --replay gf1:abc\n"};
    char *msg = gf_criterion_message_("m::t", "m/t", &r, "./prog");
    cr_assert_not_null(msg);
    const char *report = strchr(msg, '\n') + 1;
    cr_expect_str_eq(report, "FAIL m::t\n  x = 1\n  seed: 0x1\n  replay: "
                             "GF_REPLAY=gf1:abc ./prog --filter m/t\n");
    free(msg);
}

Test(criterion_message, gave_up_and_error_show_the_message)
{
    gf_result r = {.status = GF_GAVE_UP, .seed = 1,
                   .message = "too many discards", .report = "R"};
    char *msg = gf_criterion_message_("m::t", "m/t", &r, "./prog");
    cr_expect_str_eq(msg, "property m::t gave up: too many discards | seed "
                          "0x0000000000000001\nR");
    free(msg);

    gf_result e = {.status = GF_ERROR, .message = "bad token\nsee above"};
    msg = gf_criterion_message_("m::t", "m/t", &e, "./prog");
    cr_expect_str_eq(msg, "property m::t error: bad token, see above | seed "
                          "0x0000000000000000\n");
    free(msg);
}

Test(criterion_message, failure_without_values_shows_the_message)
{
    gf_result r = {.status = GF_FAILED, .message = "boom", .replay = "gf1:x"};
    char *msg = gf_criterion_message_("m::t", "m/t", &r, "p");
    cr_expect_str_eq(msg, "property m::t failed: boom | seed "
                          "0x0000000000000000 | replay: GF_REPLAY=gf1:x p "
                          "--filter m/t\n");
    free(msg);
}

Test(criterion_message, long_counterexamples_are_cut)
{
    char values[2000];
    memset(values, 'v', sizeof values - 1);
    values[sizeof values - 1] = '\0';
    gf_result r = {.status = GF_FAILED, .counterexample = values,
                   .replay = "gf1:x", .report = "full"};
    char *msg = gf_criterion_message_("m::t", "m/t", &r, "p");
    size_t first = strcspn(msg, "\n");
    cr_expect_lt(first, GF_CRITERION_SUMMARY_MAX + 100);
    cr_expect_not_null(strstr(msg, "v... | seed"), "%s", msg);
    cr_expect_str_eq(msg + first, "\nfull");
    free(msg);
}

Test(criterion_message, program_is_the_binary_not_the_worker)
{
    char program[512];
    gf_criterion_program_(program, sizeof program);
    cr_expect_str_neq(program, "boxfort-worker");
    cr_expect_not_null(strstr(program, "test_criterion"), "%s", program);
}

/* ---- the helper GF_TEST calls, on real runs ----------------------------- */

static void above_ten(gf_case *tc)
{
    int64_t x = *(int64_t *)gf_draw_named(tc, gf_int(0, 100), "x");
    GF_ASSERT_LE_INT(tc, x, 10);
}

static void holds(gf_case *tc)
{
    bool b = *(bool *)gf_draw(tc, gf_bool());
    GF_ASSERT(tc, b || !b);
}

/* The first line of a message, malloc'd. */
static char *first_line(const char *msg)
{
    size_t n = strcspn(msg, "\n");
    char *line = malloc(n + 1);
    cr_assert_not_null(line);
    memcpy(line, msg, n);
    line[n] = '\0';
    return line;
}

/* The replay token in a first line, malloc'd. */
static char *token_of(const char *line)
{
    const char *p = strstr(line, "GF_REPLAY=");
    cr_assert_not_null(p, "no replay in: %s", line);
    p += strlen("GF_REPLAY=");
    size_t n = strcspn(p, " \n");
    char *tok = malloc(n + 1);
    cr_assert_not_null(tok);
    memcpy(tok, p, n);
    tok[n] = '\0';
    return tok;
}

/* The part of a first line before " | seed" (or " | replayed", for a
 * replay): what failed, on what. */
static const char *summary_of(const char *line, char *buf, size_t size)
{
    const char *end = strstr(line, " | seed");
    if (!end)
        end = strstr(line, " | replayed from GF_REPLAY");
    cr_assert_not_null(end, "no seed in: %s", line);
    snprintf(buf, size, "%.*s", (int)(end - line), line);
    return buf;
}

Test(criterion_run, passing_property_gives_no_message)
{
    char *msg = (char *)"unset";
    cr_expect(gf_criterion_run_("demo::holds", "demo/holds", holds, __FILE__,
                                __LINE__, &msg));
    cr_expect_null(msg);
}

Test(criterion_run, failure_first_line_and_replay)
{
    setenv("GF_SEED", "3", 1);
    char *msg = NULL;
    cr_assert_not(gf_criterion_run_("demo::above_ten", "demo/above_ten",
                                    above_ten, __FILE__, __LINE__, &msg));
    cr_assert_not_null(msg);
    char *line = first_line(msg);
    char s1[512], s2[512];
    cr_expect_str_eq(summary_of(line, s1, sizeof s1),
                     "property demo::above_ten failed: x = 11");
    cr_expect_not_null(strstr(line, " | seed 0x"), "%s", line);
    cr_expect_not_null(strstr(line, " | replay: GF_REPLAY=gf1"), "%s", line);
    cr_expect_not_null(strstr(line, " --filter demo/above_ten"), "%s", line);
    cr_expect_gt(strlen(msg + strlen(line)), 1, "no report after: %s", line);

    /* GF_REPLAY alone reproduces the same counterexample. */
    char *tok = token_of(line);
    unsetenv("GF_SEED");
    setenv("GF_REPLAY", tok, 1);
    char *again = NULL;
    cr_expect_not(gf_criterion_run_("demo::above_ten", "demo/above_ten",
                                    above_ten, __FILE__, __LINE__, &again));
    unsetenv("GF_REPLAY");
    cr_assert_not_null(again);
    char *line2 = first_line(again);
    cr_expect_str_eq(summary_of(line2, s2, sizeof s2), s1);
    /* A replay has no seed of its own to show. */
    cr_expect_null(strstr(line2, "seed 0x"), "%s", line2);
    cr_expect_not_null(strstr(line2, " | replayed from GF_REPLAY"), "%s",
                       line2);
    free(line2);
    free(again);
    free(tok);
    free(line);
    free(msg);
}

Test(criterion_run, bad_variable_is_reported_in_the_message)
{
    setenv("GF_TRIALS", "lots", 1);
    char *msg = NULL;
    cr_expect_not(gf_criterion_run_("demo::holds", "demo/holds", holds,
                                    __FILE__, __LINE__, &msg));
    unsetenv("GF_TRIALS");
    cr_assert_not_null(msg);
    cr_expect_eq(strncmp(msg, "property demo::holds error: ",
                         strlen("property demo::holds error: ")),
                 0, "%s", msg);
    cr_expect_not_null(strstr(msg, "GF_TRIALS"), "%s", msg);
    free(msg);
}

/* ---- a failing GF_TEST, as Criterion reports it ------------------------- */

/* Run this binary on gf_self::fails_when_asked with the variables in `env`
 * set, and return everything it printed (malloc'd) and its exit status.
 * BXFI_MAP is Criterion's mark of a worker process: the child must not
 * inherit it, or it would take itself for one. */
static char *run_self_on(const char *env, const char *filter,
                         const char *args, int *status);

static char *run_self(const char *env, int *status)
{
    return run_self_on(env, "gf_self/fails_when_asked", "", status);
}

static char *run_self_with(const char *env, const char *args, int *status)
{
    return run_self_on(env, "gf_self/fails_when_asked", args, status);
}

static char *run_self_on(const char *env, const char *filter,
                         const char *args, int *status)
{
    char exe[512];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    cr_assert_gt(n, 0, "cannot find this binary");
    exe[n] = '\0';
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "env -u BXFI_MAP %s %s=1 '%s' --filter '%s' -j1 %s 2>&1",
             env, SELFTEST_VAR, exe, filter, args);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    cr_assert_not_null(out);
    size_t got;
    while ((got = fread(out + len, 1, cap - 1 - len, p)) > 0) {
        len += got;
        if (len == cap - 1) {
            cap *= 2;
            out = realloc(out, cap);
            cr_assert_not_null(out);
        }
    }
    out[len] = '\0';
    *status = pclose(p);
    return out;
}

/* The first line of the Criterion failure message in out, malloc'd. */
static char *criterion_first_line(const char *out)
{
    const char *p = strstr(out, "Assertion Failed");
    cr_assert_not_null(p, "no failure in:\n%s", out);
    for (p = strchr(p, '\n'); p && *p; p = strchr(p + 1, '\n')) {
        const char *text = p + 1 + strlen("[----]");
        if (strncmp(p + 1, "[----]", 6) != 0)
            break;
        text += strspn(text, " ");
        if (*text != '\n' && *text != '\0')
            return first_line(text);
    }
    cr_assert_fail("no message lines in:\n%s", out);
    return NULL;
}

Test(criterion_gf_test, failing_test_reports_first_line_and_replays)
{
    int status;
    char *out = run_self("GF_SEED=5", &status);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) != 0,
              "the failing GF_TEST passed:\n%s", out);
    char *line = criterion_first_line(out);
    char s1[512], s2[512];
    cr_expect_str_eq(summary_of(line, s1, sizeof s1),
                     "property gf_self::fails_when_asked failed: x = 100");
    cr_expect_not_null(strstr(line, " | seed 0x"), "%s", line);
    cr_expect_not_null(strstr(line, " --filter gf_self/fails_when_asked"),
                       "%s", line);
    char where[64];
    snprintf(where, sizeof where, "test_criterion.c:%d: Assertion Failed",
             SELF_TEST_LINE + 5);
    cr_expect_not_null(strstr(out, where), "not at the assertion (%s):\n%s",
                       where, out);

    char *tok = token_of(line);
    char env[1024];
    snprintf(env, sizeof env, "GF_REPLAY='%s'", tok);
    char *out2 = run_self(env, &status);
    char *line2 = criterion_first_line(out2);
    cr_expect_str_eq(summary_of(line2, s2, sizeof s2), s1);
    free(line2);
    free(out2);
    free(tok);
    free(line);
    free(out);
}

/* Criterion's --xml CDATA-wraps only a message's first line: the report,
 * with its '<' and '&', must stay out of the message (it goes to the log),
 * or the file is malformed. */
Test(criterion_gf_test, xml_report_is_well_formed)
{
    if (system("command -v xmllint >/dev/null 2>&1") != 0)
        cr_skip_test("xmllint not found (libxml2-utils): XML not checked");
    char dir[] = "/tmp/gf-criterion-xml.XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char xml[600], args[700], cmd[800];
    snprintf(xml, sizeof xml, "%s/report.xml", dir);
    snprintf(args, sizeof args, "--xml='%s'", xml);
    int status;
    char *out = run_self_with("GF_SEED=5", args, &status);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) != 0, "%s", out);
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s' 2>&1", xml);
    cr_expect_eq(system(cmd), 0, "Criterion's XML is malformed:\n%s", out);
    /* The full report is still there, in the log. */
    cr_expect_not_null(strstr(out, "assertion failed: x < 100"), "%s", out);
    cr_expect_not_null(strstr(out, "  replay: GF_REPLAY=gf1:"), "%s", out);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
    free(out);
}

Test(criterion_message, cdata_end_is_rewritten)
{
    char s[64] = "s = \"]]>\", t = \"a]]>b]]>\"";
    gf_criterion_cdata_safe_(s);
    cr_expect_str_eq(s, "s = \"]]\\x3e\", t = \"a]]\\x3eb]]\\x3e\"");
}

/* GF_JUNIT, GF_JSON and GF_TAP: Gadfly's own reports from a Criterion
 * binary, whose tests each run in a process of their own (here two at a
 * time), hold every GF_TEST of the run once; a second run replaces the
 * first's.  The files are read by xmllint against Gadfly's schema,
 * python3's json module and prove, where installed. */
Test(criterion_gf_test, gadfly_reports_from_every_test_process,
     .timeout = 120)
{
    char dir[] = "/tmp/gf-criterion-reports.XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char env[2048];
    snprintf(env, sizeof env, "GF_SEED=5 GF_JUNIT='%s/r.xml' "
             "GF_JSON='%s/r.json' GF_TAP='%s/r.tap'", dir, dir, dir);
    for (int run = 0; run < 2; run++) {
        int status;
        char *out = run_self_on(env, "gf_*/*", "-j2", &status);
        cr_expect(WIFEXITED(status) && WEXITSTATUS(status) != 0, "%s", out);
        free(out);
        char cmd[1024], path[600];
        snprintf(path, sizeof path, "%s/r.xml", dir);
        FILE *f = fopen(path, "r");
        cr_assert_not_null(f, "no %s", path);
        char head[4096];
        size_t n = fread(head, 1, sizeof head - 1, f);
        head[n] = '\0';
        fclose(f);
        cr_expect_not_null(strstr(head, "<testsuites name=\"gadfly\" tests=\"3\" "
                                        "failures=\"1\" errors=\"0\""),
                           "run %d:\n%s", run, head);
        if (system("command -v xmllint >/dev/null 2>&1") == 0) {
            snprintf(cmd, sizeof cmd, "xmllint --noout --schema '%s' '%s' 2>&1",
                     GF_JUNIT_XSD_PATH, path);
            cr_expect_eq(system(cmd), 0, "the JUnit report does not validate");
        }
        if (system("command -v python3 >/dev/null 2>&1") == 0) {
            snprintf(cmd, sizeof cmd, "python3 -c 'import json,sys; "
                     "d = json.load(open(sys.argv[1])); "
                     "sys.exit(not (len(d) == 3 and "
                     "sum(x[\"status\"] == \"failed\" for x in d) == 1))' "
                     "'%s/r.json'", dir);
            cr_expect_eq(system(cmd), 0, "the JSON report is not 3 results");
        }
        if (system("command -v prove >/dev/null 2>&1") == 0) {
            snprintf(cmd, sizeof cmd, "prove --exec cat '%s/r.tap' 2>&1 | "
                     "grep -q 'Failed 1/3 subtests'", dir);
            cr_expect_eq(system(cmd), 0, "prove does not read 3 tests, 1 failed");
        }
    }
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}
