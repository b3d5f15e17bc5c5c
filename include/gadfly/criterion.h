/*
 * gadfly/criterion.h - run Gadfly properties as Criterion tests.
 *
 *     #include <gadfly/criterion.h>
 *
 *     GF_TEST(math, add_commutes) {
 *         int32_t a = *(int32_t *)gf_draw_named(tc, gf_int32(), "a");
 *         int32_t b = *(int32_t *)gf_draw_named(tc, gf_int32(), "b");
 *         GF_ASSERT_EQ_INT(tc, add(a, b), add(b, a));
 *     }
 *
 * GF_TEST(suite, name, ...) defines a Criterion Test (extra Criterion
 * attributes such as `.timeout = 10` pass through) whose body is a property:
 * it runs the body as gf_run does, with settings from the GF_* environment
 * variables (gf_options_from_env), since a Criterion binary's main is not
 * Gadfly's.  On failure the first line of the Criterion message reads
 *
 *     property math::add_commutes failed: a = 0, b = 1 | seed 0x... |
 *     replay: GF_REPLAY=gf1:... ./tests/test_math --filter math/add_commutes
 *
 * (one line: Criterion's --xml wraps only a message's first line in CDATA),
 * and Gadfly's full report follows in Criterion's log.  To replay a failure, run
 * the binary with GF_REPLAY set to the token, as the line says; --filter
 * keeps the token away from the binary's other properties, for which it
 * would be an error.
 *
 * Everything Criterion-specific lives in this header: libgadfly does not
 * depend on Criterion.  The helpers below are the macro's machinery, named
 * with a trailing underscore; they are not a stable API.
 */
#ifndef GADFLY_CRITERION_H
#define GADFLY_CRITERION_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <gadfly.h>

#if defined(__unix__)
#include <unistd.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The counterexample on the first line is cut to this many bytes. */
#define GF_CRITERION_SUMMARY_MAX 240

/* argv[0] of process `pid` ("self" or a number) into buf; false if unknown. */
static inline bool gf_criterion_argv0_of_(const char *pid, char *buf,
                                          size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/cmdline", pid);
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t n = fread(buf, 1, size - 1, f);
    fclose(f);
    buf[n] = '\0'; /* cmdline separates arguments by NULs: keep argv[0] */
    return n > 0 && buf[0] != '\0';
}

/*
 * The test binary's path as the user ran it, for the replay line.
 * Criterion runs each test in a re-executed worker named "boxfort-worker",
 * whose parent is the binary the user started.
 */
static inline void gf_criterion_program_(char *buf, size_t size)
{
    if (gf_criterion_argv0_of_("self", buf, size) &&
        strcmp(buf, "boxfort-worker") != 0)
        return;
#if defined(__unix__)
    char ppid[32];
    snprintf(ppid, sizeof ppid, "%ld", (long)getppid());
    if (gf_criterion_argv0_of_(ppid, buf, size))
        return;
#endif
    snprintf(buf, size, "%s", "./<test binary>");
}

/* Copy at most max bytes of the counterexample's lines into out, joined
 * by ", "; out has room for max + 4 bytes. */
static inline void gf_criterion_summary_(const char *values, char *out,
                                         size_t max)
{
    size_t len = 0;
    bool cut = false;
    for (const char *p = values; *p && !cut; p++) {
        bool newline = *p == '\n';
        if (newline && p[1] == '\0')
            break; /* a final newline ends the last value */
        size_t need = newline ? 2 : 1;
        if (len + need > max) {
            cut = true;
            break;
        }
        if (newline) {
            out[len++] = ',';
            out[len++] = ' ';
        } else {
            out[len++] = *p;
        }
    }
    if (cut) {
        memcpy(out + len, "...", 3);
        len += 3;
    }
    out[len] = '\0';
}

/* First line's opening for a run that did not pass. */
static inline void gf_criterion_headline_(const gf_result *r, char *out,
                                          size_t max)
{
    const char *values = r->counterexample && r->counterexample[0]
                             ? r->counterexample
                             : NULL;
    if (r->status == GF_FAILED && values) {
        memcpy(out, "failed: ", sizeof "failed: ");
        gf_criterion_summary_(values, out + strlen(out), max);
        return;
    }
    const char *what = r->status == GF_FAILED    ? "failed: "
                       : r->status == GF_GAVE_UP ? "gave up: "
                                                 : "error: ";
    memcpy(out, what, strlen(what) + 1);
    gf_criterion_summary_(r->message ? r->message : "(no message)",
                          out + strlen(out), max);
}

/* The start of report's last line if it is the engine's replay line
 * ("  replay: <program> --replay <token>"), else NULL. */
static inline const char *gf_criterion_replay_line_(const char *report)
{
    size_t len = strlen(report);
    if (len == 0 || report[len - 1] != '\n')
        return NULL;
    const char *start = report + len - 1;
    while (start > report && start[-1] != '\n')
        start--;
    return strncmp(start, "  replay: ", 10) == 0 ? start : NULL;
}

/* A growing malloc'd string; `s` is NULL once an allocation failed. */
typedef struct gf_criterion_text_ {
    char *s;
    size_t len;
} gf_criterion_text_;

static inline void gf_criterion_add_(gf_criterion_text_ *t, const char *fmt,
                                     ...) GF_PRINTF(2, 3);
static inline void gf_criterion_add_(gf_criterion_text_ *t, const char *fmt,
                                     ...)
{
    if (!t->s)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *grown = n < 0 ? NULL : (char *)realloc(t->s, t->len + (size_t)n + 1);
    if (!grown) {
        free(t->s);
        t->s = NULL;
        return;
    }
    t->s = grown;
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

/*
 * The Criterion message for a run that did not pass: one summary line,
 * then the full report.  The report's last line, "  replay: <program>
 * --replay <token>", is for GF_MAIN binaries; a Criterion binary takes the
 * token in GF_REPLAY, so that line is rewritten.  `prop` is "suite::name",
 * `filter` "suite/name".  Returns a malloc'd string, or NULL when out of
 * memory.
 */
static inline char *gf_criterion_message_(const char *prop,
                                          const char *filter,
                                          const gf_result *r,
                                          const char *program)
{
    const char *replay_env = getenv("GF_REPLAY");
    bool replaying = replay_env && *replay_env;
    char head[GF_CRITERION_SUMMARY_MAX + 32];
    gf_criterion_headline_(r, head, GF_CRITERION_SUMMARY_MAX);
    const char *report = r->report ? r->report : "";
    bool replay = r->replay && r->replay[0];
    const char *replay_line = replay ? gf_criterion_replay_line_(report) : NULL;
    size_t keep = replay_line ? (size_t)(replay_line - report) : strlen(report);

    gf_criterion_text_ t = {(char *)malloc(1), 0};
    if (t.s)
        t.s[0] = '\0';
    /* A replayed case was not made from a seed: printing this run's
     * (fresh, unused) seed would send the user after the wrong one. */
    if (replaying)
        gf_criterion_add_(&t, "property %s %s | replayed from GF_REPLAY",
                          prop, head);
    else
        gf_criterion_add_(&t, "property %s %s | seed 0x%016" PRIx64, prop,
                          head, r->seed);
    if (replay)
        gf_criterion_add_(&t, " | replay: GF_REPLAY=%s %s --filter %s",
                          r->replay, program, filter);
    gf_criterion_add_(&t, "\n%.*s", (int)keep, report);
    if (replay_line)
        gf_criterion_add_(&t, "  replay: GF_REPLAY=%s %s --filter %s\n",
                          r->replay, program, filter);
    return t.s;
}

/*
 * Fill opt from the GF_* variables.  Returns 0, or -1 with the line
 * gf_options_from_env printed about the bad variable in line: it goes in
 * the Criterion message, where the user looks for why the test failed.
 */
static inline int gf_criterion_options_(gf_options *opt, char *line,
                                        size_t size)
{
    memset(opt, 0, sizeof *opt);
    FILE *err = tmpfile();
    if (!err) {
        snprintf(line, size, "%s", "a GF_* variable is malformed (above)");
        return gf_options_from_env(opt, stderr);
    }
    int rc = gf_options_from_env(opt, err);
    rewind(err);
    if (rc != 0 && !fgets(line, (int)size, err))
        snprintf(line, size, "%s", "a GF_* variable is malformed");
    line[strcspn(line, "\n")] = '\0';
    fclose(err);
    return rc;
}

/* A malloc'd "property <prop> error: <why>", or NULL when out of memory. */
static inline char *gf_criterion_usage_message_(const char *prop,
                                                const char *why)
{
    const char *fmt = "property %s error: %s";
    int n = snprintf(NULL, 0, fmt, prop, why);
    char *msg = n < 0 ? NULL : (char *)malloc((size_t)n + 1);
    if (msg)
        snprintf(msg, (size_t)n + 1, fmt, prop, why);
    return msg;
}

/* The file and line of an origin "file:line" (a failing assertion) into
 * file (room for 512 bytes) and *line; left as they are for other origins
 * (a crash, a timeout), which have no line of their own. */
static inline void gf_criterion_origin_(const char *origin, char *file,
                                        unsigned *line)
{
    const char *colon = origin ? strrchr(origin, ':') : NULL;
    if (!colon || colon == origin || !colon[1])
        return;
    unsigned long n = 0;
    for (const char *d = colon + 1; *d; d++) {
        if (*d < '0' || *d > '9' || n > 1000000000ul)
            return;
        n = n * 10 + (unsigned long)(*d - '0');
    }
    size_t len = (size_t)(colon - origin);
    if (len >= 512 || n == 0)
        return;
    memcpy(file, origin, len);
    file[len] = '\0';
    *line = (unsigned)n;
}

/*
 * Run the property fn named `prop` ("suite::name") with options from the
 * GF_* variables.  Returns true if it held; otherwise stores the Criterion
 * message (malloc'd; NULL when out of memory) in *msg.  Gadfly prints
 * nothing itself unless GF_VERBOSE asks: the report goes in the message.
 */
static inline bool gf_criterion_run_at_(const char *prop,
                                        const char *filter,
                                        gf_property_fn fn, const char *file,
                                        int line, char **msg,
                                        char *fail_file, unsigned *fail_line)
{
    gf_options opt;
    char why[512] = "";
    *msg = NULL;
    if (gf_criterion_options_(&opt, why, sizeof why) != 0) {
        *msg = gf_criterion_usage_message_(prop, why);
        return false;
    }
    char program[512];
    gf_criterion_program_(program, sizeof program);
    opt.argv0 = program;
    opt.quiet = opt.verbose == 0;
    const char *stats = getenv("GF_STATS");
    opt.stats = stats && *stats && strcmp(stats, "0") != 0;

    gf_property p;
    memset(&p, 0, sizeof p);
    p.name = prop;
    p.fn = fn;
    p.file = file;
    p.line = line;
    gf_result r;
    memset(&r, 0, sizeof r);
    struct timespec t0, t1;
    timespec_get(&t0, TIME_UTC);
    bool held = gf_run(&p, &opt, &r) == GF_PASSED;
    timespec_get(&t1, TIME_UTC);
    /* Gadfly's own reports, named by GF_TAP, GF_JUNIT and GF_JSON: each
     * test adds its result to the files the whole binary shares. */
    gf_report_shared(&p, &r,
                     (double)(t1.tv_sec - t0.tv_sec) +
                         (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9,
                     stderr);
    /* GF_STATS: the gf_label chart of a run that held, beside
     * Criterion's output (a failure's report has it already). */
    if (held && opt.stats && r.report)
        fputs(r.report, stderr);
    if (!held) {
        *msg = gf_criterion_message_(prop, filter, &r, program);
        gf_criterion_origin_(r.origin, fail_file, fail_line);
    }
    gf_result_free(&r);
    return held;
}

/* As gf_criterion_run_at_, without the failing assertion's location. */
static inline bool gf_criterion_run_(const char *prop, const char *filter,
                                     gf_property_fn fn, const char *file,
                                     int line, char **msg)
{
    char fail_file[512];
    unsigned fail_line = 0;
    return gf_criterion_run_at_(prop, filter, fn, file, line, msg,
                                fail_file, &fail_line);
}

/* "]]>" would end Criterion's CDATA section early (s has room to double).  In the summary it can
 * only stand inside a printed string or character literal, where "\x3e"
 * is the same '>'. */
static inline void gf_criterion_cdata_safe_(char *s)
{
    for (char *end; (end = strstr(s, "]]>"));) {
        size_t tail = strlen(end + 3);
        memmove(end + 6, end + 3, tail + 1);
        memcpy(end + 2, "\\x3e", 4);
        s = end + 6;
    }
}

/*
 * Report msg as a failed Criterion assertion at file:line, so that
 * Criterion's output points at the property's failing assertion rather
 * than the GF_TEST line.  The test goes on to its end, as cr_expect's do.
 */
static inline void gf_criterion_fail_at_(const char *msg, const char *file,
                                         unsigned line)
{
    static const char oom[] = "gadfly: out of memory while formatting the "
                              "failure";
    const char *text = msg ? msg : oom;
    /* Criterion's --xml wraps only the first line of a message in CDATA
     * and writes the rest raw, so a report holding '<' or '&' made the
     * file malformed: the assertion carries the summary line alone, and
     * the full report goes to Criterion's log, line by line. */
    size_t first = strcspn(text, "\n");
    /* Room for the rewrite: each 3-byte "]]>" becomes 6 bytes. */
    char *head = (char *)malloc(2 * first + 1);
    if (head) {
        memcpy(head, text, first);
        head[first] = '\0';
        gf_criterion_cdata_safe_(head);
    }
    struct criterion_assert_stats st;
    memset(&st, 0, sizeof st);
    st.message = head ? head : oom;
    st.passed = false;
    st.file = file;
    st.line = line;
    criterion_send_assert(&st);
    for (const char *l = text + first; *l;) {
        l += *l == '\n';
        size_t len = strcspn(l, "\n");
        if (len || l[len])
            cr_log_warn("%.*s", (int)len, l);
        l += len;
    }
    free(head);
    criterion_continue_test();
}

/* Split GF_TEST's arguments: the first two are the suite and the name; the
 * whole list, with any Criterion attributes, goes to Test.  Each macro gets
 * at least one variadic argument, as ISO C11 requires. */
#define GF_TEST_SUITE_(suite, ...) suite
#define GF_TEST_NAME_(suite, name, ...) name
#define GF_TEST_EXPAND_(suite, name, ...)                                    \
    GF_TEST_DEFINE_(suite, name, __VA_ARGS__)
#define GF_TEST_DEFINE_(suite, name, ...)                                    \
    static void gf_test_prop_##suite##_##name(gf_case *tc);                  \
    Test(__VA_ARGS__)                                                        \
    {                                                                        \
        char *gf_msg_ = NULL;                                                \
        char gf_file_[512] = __FILE__;                                       \
        unsigned gf_line_ = __LINE__;                                        \
        if (!gf_criterion_run_at_(#suite "::" #name, #suite "/" #name,       \
                                  gf_test_prop_##suite##_##name, __FILE__,   \
                                  __LINE__, &gf_msg_, gf_file_, &gf_line_))  \
            gf_criterion_fail_at_(gf_msg_, gf_file_, gf_line_);              \
        free(gf_msg_);                                                       \
    }                                                                        \
    static void gf_test_prop_##suite##_##name(gf_case *tc)

/**
 * Define a Criterion test running the property body that follows:
 *     GF_TEST(suite, name) { ... tc ... }
 *     GF_TEST(suite, name, .timeout = 30) { ... }
 */
#define GF_TEST(...)                                                         \
    GF_TEST_EXPAND_(GF_TEST_SUITE_(__VA_ARGS__, ~),                          \
                    GF_TEST_NAME_(__VA_ARGS__, ~), __VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* GADFLY_CRITERION_H */
