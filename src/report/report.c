/*
 * report.c - TAP 13, JUnit XML and JSON reports of a run.
 *
 * CI systems read these files, and they break on anything a property can
 * put in a message or a counterexample: quotes, control bytes, invalid
 * UTF-8.  So every string goes through an escaper for its format, and every
 * output is well formed whatever the input bytes are: XML 1.0 and YAML
 * cannot carry control characters at all, so those become "\u0001"-style
 * text; invalid UTF-8 becomes U+FFFD.  Numbers are formatted without printf's
 * locale-dependent "%f", so a program that calls setlocale still writes
 * "0.012", never "0,012".
 *
 * The TAP, JUnit and JSON files are written whole or not at all: a temp file
 * beside the target, created when the report opens (so a bad path is
 * reported before anything runs), filled, fsync'd and renamed at the end.
 * This file never runs properties and never writes to the target path
 * directly.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "engine/run.h"
#include "report.h"
#include "store/atomic.h"

/* Temp names to try beside a target before giving up. */
/* What utf8_decode's caller passes on for a byte that starts no character. */
#define INVALID_BYTE UINT32_MAX

/* A report file: the target and the temp file that becomes it. */
typedef struct report_file {
    const char *what; /* "JUnit report", for messages */
    atomic_file file; /* path: the target, NULL when not requested */
    unsigned slot;    /* its run_note_temp slot (a second Ctrl-C removes it) */
} report_file;

struct report_set {
    bool tap;
    FILE *tap_out;
    size_t planned;        /* properties announced in the TAP plan */
    size_t added;          /* results received so far */
    report_file tap_file, junit, json;
    gf_printer tap_text;    /* the TAP for tap_file so far */
    gf_printer junit_cases; /* the <testcase> elements so far */
    gf_printer json_items;  /* the JSON objects so far, comma-separated */
    uint64_t failures;     /* GF_FAILED and GF_GAVE_UP */
    uint64_t errors;       /* GF_ERROR */
    double seconds;        /* sum of the properties' times */
    char timestamp[32];    /* when the run started, UTC, ISO 8601 */
};

/* ---- characters -------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s (n bytes left) with its code
 * point in *cp, or 0 if s[0] starts none: overlong forms, surrogates and
 * values past U+10FFFF are not well formed (RFC 3629). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t len;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
        lo = c == 0xE0 ? 0xA0 : lo; /* no overlong forms */
        hi = c == 0xED ? 0x9F : hi; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
        lo = c == 0xF0 ? 0x90 : lo;
        hi = c == 0xF4 ? 0x8F : hi; /* nothing past U+10FFFF */
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if (s[i] < lo || s[i] > hi)
            return 0;
        lo = 0x80;
        hi = 0xBF;
        v = v << 6 | (s[i] & 0x3F);
    }
    *cp = v;
    return len;
}

/* Characters written as themselves in every format.  XML 1.0 forbids most
 * C0 controls and U+FFFE/U+FFFF, YAML also the C1 controls; DEL and the
 * line separators U+2028/U+2029 are legal but invisible or break lines in
 * viewers.  Tab and newline are left to each format. */
static bool plain_code_point(uint32_t cp)
{
    return cp >= 0x20 && !(cp >= 0x7F && cp <= 0x9F) && cp != 0x2028 &&
           cp != 0x2029 && cp != 0xFFFE && cp != 0xFFFF;
}

typedef void (*escape_fn)(gf_printer *p, uint32_t cp);

/* Append s, copying printable ASCII outside `special` and plain non-ASCII
 * characters as they are, and passing everything else to esc: a code point,
 * or INVALID_BYTE for a byte of invalid UTF-8. */
static void escape_with(gf_printer *p, const char *s, const char *special,
                        escape_fn esc)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        size_t end = i;
        while (end < n && u[end] >= 0x20 && u[end] < 0x7F &&
               !strchr(special, u[end]))
            end++;
        if (end > i) {
            gf_print(p, "%.*s", (int)(end - i), s + i);
            i = end;
            continue;
        }
        uint32_t cp;
        size_t len = utf8_decode(u + i, n - i, &cp);
        if (len == 0) {
            esc(p, INVALID_BYTE);
            len = 1;
        } else if (cp >= 0x80 && plain_code_point(cp)) {
            gf_print(p, "%.*s", (int)len, s + i);
        } else {
            esc(p, cp);
        }
        i += len;
    }
}

/* JSON (RFC 8259). */
static void json_escape_one(gf_printer *p, uint32_t cp)
{
    switch (cp) {
    case '"': gf_print(p, "\\\""); return;
    case '\\': gf_print(p, "\\\\"); return;
    case '\n': gf_print(p, "\\n"); return;
    case '\t': gf_print(p, "\\t"); return;
    case '\r': gf_print(p, "\\r"); return;
    default: break;
    }
    /* Everything escaped here is in the BMP: non-BMP is always plain. */
    gf_print(p, "\\u%04" PRIX32, cp == INVALID_BYTE ? 0xFFFDu : cp);
}

/* YAML double-quoted: as JSON, but \x escapes (two hex digits) below U+0100 and U+FFFD itself
 * for invalid bytes, which TAP's common reader (Perl's TAP::Parser, behind
 * prove) decodes; it knows no \u. */
static void yaml_escape_one(gf_printer *p, uint32_t cp)
{
    if (cp == INVALID_BYTE)
        gf_print(p, "\xEF\xBF\xBD");
    else if (cp < 0x100 && cp != '"' && cp != '\\' && cp != '\n' &&
             cp != '\t' && cp != '\r')
        gf_print(p, "\\x%02" PRIX32, cp);
    else
        json_escape_one(p, cp);
}

static void json_string(gf_printer *p, const char *s)
{
    if (!s) {
        gf_print(p, "null");
        return;
    }
    gf_print(p, "\"");
    escape_with(p, s, "\"\\", json_escape_one);
    gf_print(p, "\"");
}

/* XML: markup characters as entities; what XML 1.0 cannot carry as text
 * that says what it was. */
static void xml_escape_common(gf_printer *p, uint32_t cp, bool attribute)
{
    switch (cp) {
    case '&': gf_print(p, "&amp;"); return;
    case '<': gf_print(p, "&lt;"); return;
    case '>': gf_print(p, "&gt;"); return;
    case '"': gf_print(p, "&quot;"); return;
    case '\'': gf_print(p, "&apos;"); return;
    /* A parser turns raw tabs and newlines in attributes into spaces, and
     * raw CRs anywhere into newlines: references keep them. */
    case '\n': gf_print(p, attribute ? "&#10;" : "\n"); return;
    case '\t': gf_print(p, attribute ? "&#9;" : "\t"); return;
    case '\r': gf_print(p, "&#13;"); return;
    default: break;
    }
    if (cp == INVALID_BYTE)
        gf_print(p, "\xEF\xBF\xBD"); /* U+FFFD */
    else
        gf_print(p, "\\u%04" PRIX32, cp);
}

static void xml_escape_text(gf_printer *p, uint32_t cp)
{
    xml_escape_common(p, cp, false);
}

static void xml_escape_attribute(gf_printer *p, uint32_t cp)
{
    xml_escape_common(p, cp, true);
}

static void xml_text(gf_printer *p, const char *s)
{
    escape_with(p, s ? s : "", "&<>\"'", xml_escape_text);
}

static void xml_attribute(gf_printer *p, const char *s)
{
    escape_with(p, s ? s : "", "&<>\"'", xml_escape_attribute);
}

/* TAP: '#' would start a directive and '\' escapes it; a control character
 * would end the line. */
static void tap_escape_one(gf_printer *p, uint32_t cp)
{
    if (cp == '#')
        gf_print(p, "\\#");
    else if (cp == '\\')
        gf_print(p, "\\\\");
    else
        gf_print(p, "?");
}

/* ---- numbers ----------------------------------------------------------- */

/* Seconds with `digits` decimals (3 or 6), without the locale's decimal
 * point; negative, NaN and absurd values are clamped. */
static void print_seconds(gf_printer *p, double seconds, int digits)
{
    uint64_t scale = digits == 3 ? 1000 : 1000000;
    if (!(seconds > 0))
        seconds = 0;
    if (seconds > 1e9)
        seconds = 1e9;
    uint64_t units = (uint64_t)llround(seconds * (double)scale);
    gf_print(p, "%" PRIu64 ".%0*" PRIu64, units / scale, digits,
             units % scale);
}

static const char *status_name(gf_status s)
{
    switch (s) {
    case GF_PASSED: return "passed";
    case GF_FAILED: return "failed";
    case GF_GAVE_UP: return "gave_up";
    case GF_ERROR: return "error";
    }
    return "error";
}

static const char *property_name(const gf_property *p)
{
    return p && p->name && *p->name ? p->name : "(unnamed)";
}

/* ---- files ------------------------------------------------------------- */

static void file_failed(const report_file *f, const char *path, int e,
                        FILE *err)
{
    fprintf(err, "gadfly: cannot write the %s %s: %s\n", f->what, path,
            strerror(e));
}

/* Create the temp file that will become `path`, beside it. */
static int file_begin(report_file *f, const char *what, const char *path,
                      FILE *err)
{
    f->what = what;
    memset(&f->file, 0, sizeof f->file);
    f->file.fd = -1;
    if (!path)
        return 0;
    struct stat st;
    if (!*path || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
        file_failed(f, *path ? path : "\"\"", *path ? EISDIR : ENOENT, err);
        return -1;
    }
    if (atomic_open(&f->file, AT_FDCWD, path, NULL) != 0) {
        file_failed(f, path, errno, err);
        return -1;
    }
    static unsigned next_slot;
    f->slot = next_slot++ % RUN_TEMP_SLOTS;
    run_note_temp(f->slot, f->file.tmp);
    return 0;
}

/* Drop the temp file and forget the target. */
static void file_abandon(report_file *f)
{
    if (f->file.tmp)
        run_note_temp(f->slot, NULL);
    atomic_release(&f->file);
}

/* Fill the temp file with text and rename it over the target, synced:
 * after a crash of the machine the target is the old file or the new one,
 * never an empty one. */
static int file_commit(report_file *f, const char *text, FILE *err)
{
    bool ok = atomic_write(&f->file, text, strlen(text));
    int e = errno;
    if (!ok) {
        atomic_abandon(&f->file);
    } else if (atomic_commit(&f->file, true) != 0) {
        ok = false;
        e = errno;
    }
    if (!ok)
        file_failed(f, f->file.path, e, err);
    run_note_temp(f->slot, NULL);
    return ok ? 0 : -1;
}

/* ---- TAP --------------------------------------------------------------- */

/* A literal block keeps a multi-line string readable.  YAML allows one only
 * for plain characters (no tab or CR), a first line that is not empty and
 * does not start with a space (it sets the indentation), and at most one
 * final newline.  TAP::Parser (behind prove) reads only the plain "|",
 * which keeps exactly one final newline: a value without one is quoted. */
static bool yaml_block_ok(const char *s)
{
    size_t n = strlen(s);
    if (!strchr(s, '\n') || s[0] == ' ' || s[0] == '\n' ||
        s[n - 1] != '\n' || (n >= 2 && s[n - 2] == '\n'))
        return false;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(u + i, n - i, &cp);
        if (len == 0 || (cp != '\n' && !plain_code_point(cp)))
            return false;
        i += len;
    }
    return true;
}

/* "  key: value" in the diagnostic block; nothing for NULL. */
static void yaml_field(gf_printer *p, const char *key, const char *value)
{
    if (!value)
        return;
    if (!yaml_block_ok(value)) {
        gf_print(p, "  %s: \"", key);
        escape_with(p, value, "\"\\", yaml_escape_one);
        gf_print(p, "\"\n");
        return;
    }
    gf_print(p, "  %s: |\n", key);
    for (const char *line = value; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        gf_print(p, len ? "    %.*s\n" : "%.*s\n", (int)len, line);
        line += len + (nl != NULL);
    }
}

static void tap_diagnostics(gf_printer *p, const gf_result *r)
{
    gf_print(p, "  ---\n  status: %s\n", status_name(r->status));
    yaml_field(p, "message", r->message);
    yaml_field(p, "origin", r->origin);
    yaml_field(p, "counterexample", r->counterexample);
    gf_print(p, "  seed: \"0x%016" PRIx64 "\"\n", r->seed);
    yaml_field(p, "replay", r->replay);
    if (r->flaky)
        gf_print(p, "  flaky: true\n");
    gf_print(p, "  cases: %" PRIu64 "\n  passed: %" PRIu64
                "\n  discarded: %" PRIu64 "\n  duplicates: %" PRIu64
                "\n  ...\n",
             r->cases, r->passed, r->discarded, r->duplicates);
}

/* TAP text to the stream (flushed at once: a reader sees each result as
 * it comes) and to the file's text. */
static void tap_emit(report_set *rs, const char *fmt, ...) GF_PRINTF(2, 3);
static void tap_emit(report_set *rs, const char *fmt, ...)
{
    va_list ap;
    if (rs->tap) {
        va_start(ap, fmt);
        vfprintf(rs->tap_out, fmt, ap);
        va_end(ap);
        fflush(rs->tap_out);
    }
    if (rs->tap_file.file.path) {
        va_start(ap, fmt);
        char *text = xvasprintf(fmt, ap);
        va_end(ap);
        gf_print(&rs->tap_text, "%s", text);
        free(text);
    }
}

/* A TAP result after its number: " - name", the diagnostics. */
static void tap_entry_tail(gf_printer *t, const gf_property *p,
                           const gf_result *r)
{
    gf_print(t, " - ");
    escape_with(t, property_name(p), "#\\", tap_escape_one);
    gf_print(t, "\n");
    if (r->status != GF_PASSED)
        tap_diagnostics(t, r);
}

static void tap_add(report_set *rs, const gf_property *p, const gf_result *r)
{
    gf_printer t;
    printer_init(&t);
    gf_print(&t, "%sok %zu", r->status == GF_PASSED ? "" : "not ",
             rs->added);
    tap_entry_tail(&t, p, r);
    char *text = printer_take(&t);
    tap_emit(rs, "%s", text);
    free(text);
}

/* Planned properties that never reported: TAP's way to say "not run". */
static void tap_finish(report_set *rs)
{
    for (size_t k = rs->added + 1; k <= rs->planned; k++)
        tap_emit(rs, "ok %zu # SKIP not run\n", k);
}

/* ---- JUnit ------------------------------------------------------------- */

/* Viewers read classname as a dotted Java name, package before the last
 * dot: "tests/props.c" becomes "tests.props" (package "tests", class
 * "props") rather than package "tests/props", class "c". */
static char *junit_classname(const char *file)
{
    const char *start = file ? file : "";
    while (*start == '.' || *start == '/')
        start++; /* "./", "../", "/" */
    const char *slash = strrchr(start, '/');
    const char *dot = strrchr(slash ? slash : start, '.');
    size_t len = dot && dot > start ? (size_t)(dot - start) : strlen(start);
    if (len == 0)
        return xstrdup("gadfly");
    char *name = xasprintf("%.*s", (int)len, start);
    for (char *c = name; *c; c++)
        if (*c == '/' || *c == '\\')
            *c = '.';
    return name;
}

static void junit_problem(gf_printer *j, const gf_result *r)
{
    const char *tag = r->status == GF_ERROR ? "error" : "failure";
    const char *message = r->message ? r->message : "";
    gf_print(j, "      <%s message=\"", tag);
    xml_attribute(j, message);
    gf_print(j, "\" type=\"%s\">", status_name(r->status));
    xml_text(j, r->report ? r->report : message);
    gf_print(j, "</%s>\n", tag);
}

static void junit_add(report_set *rs, const gf_property *p, const gf_result *r,
                      double seconds)
{
    gf_printer *j = &rs->junit_cases;
    char *classname = junit_classname(p ? p->file : NULL);
    gf_print(j, "    <testcase name=\"");
    xml_attribute(j, property_name(p));
    gf_print(j, "\" classname=\"");
    xml_attribute(j, classname);
    if (p && p->file) {
        gf_print(j, "\" file=\"");
        xml_attribute(j, p->file);
        gf_print(j, "\" line=\"%d", p->line);
    }
    gf_print(j, "\" time=\"");
    print_seconds(j, seconds, 3);
    gf_print(j, "\">\n");
    free(classname);
    if (r->status != GF_PASSED)
        junit_problem(j, r);
    gf_print(j, "      <system-out>seed: 0x%016" PRIx64 "\ncases: %" PRIu64
                ", passed: %" PRIu64 ", discarded: %" PRIu64
                ", duplicates: %" PRIu64 ", shrinks: %" PRIu64
                ", shrink calls: %" PRIu64 "\n</system-out>\n"
                "    </testcase>\n",
             r->seed, r->cases, r->passed, r->discarded, r->duplicates,
             r->shrinks, r->shrink_calls);
}

static void junit_counts(gf_printer *j, const report_set *rs)
{
    gf_print(j, "tests=\"%zu\" failures=\"%" PRIu64 "\" errors=\"%" PRIu64
                "\" time=\"",
             rs->added, rs->failures, rs->errors);
    print_seconds(j, rs->seconds, 3);
    gf_print(j, "\"");
}

static char *junit_text(const report_set *rs)
{
    char host[256] = "localhost";
    if (gethostname(host, sizeof host) != 0 || !host[0])
        strcpy(host, "localhost");
    host[sizeof host - 1] = '\0';
    gf_printer j;
    printer_init(&j);
    gf_print(&j, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<testsuites name=\"gadfly\" ");
    junit_counts(&j, rs);
    gf_print(&j, ">\n  <testsuite name=\"gadfly\" ");
    junit_counts(&j, rs);
    gf_print(&j, " timestamp=\"%s\" hostname=\"", rs->timestamp);
    xml_attribute(&j, host);
    gf_print(&j, "\">\n%s  </testsuite>\n</testsuites>\n",
             rs->junit_cases.buf ? rs->junit_cases.buf : "");
    return printer_take(&j);
}

/* ---- JSON -------------------------------------------------------------- */

static void json_field(gf_printer *j, const char *key, const char *value)
{
    gf_print(j, ", \"%s\": ", key);
    json_string(j, value);
}

static void json_add(report_set *rs, const gf_property *p, const gf_result *r,
                     double seconds)
{
    gf_printer *j = &rs->json_items;
    gf_print(j, "%s  {\"name\": ", j->len ? ",\n" : "");
    json_string(j, p ? p->name : NULL);
    json_field(j, "file", p ? p->file : NULL);
    gf_print(j, ", \"line\": %d, \"status\": \"%s\", \"seed\": \"0x%016" PRIx64
                "\", \"cases\": %" PRIu64 ", \"passed\": %" PRIu64
                ", \"discarded\": %" PRIu64 ", \"duplicates\": %" PRIu64
                ", \"shrinks\": %" PRIu64 ", \"shrink_calls\": %" PRIu64
                ", \"time\": ",
             p ? p->line : 0, status_name(r->status), r->seed, r->cases,
             r->passed, r->discarded, r->duplicates, r->shrinks,
             r->shrink_calls);
    print_seconds(j, seconds, 6);
    if (r->status != GF_PASSED) {
        const char *keys[] = {"origin", "message", "counterexample", "replay",
                              "report"};
        const char *values[] = {r->origin, r->message, r->counterexample,
                                r->replay, r->report};
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
            if (values[i])
                json_field(j, keys[i], values[i]);
    }
    if (r->status == GF_FAILED)
        gf_print(j, ", \"flaky\": %s", r->flaky ? "true" : "false");
    gf_print(j, "}");
}

static char *json_text(const report_set *rs)
{
    if (!rs->json_items.len)
        return xstrdup("[]\n");
    return xasprintf("[\n%s\n]\n", rs->json_items.buf);
}

/* ---- the set ----------------------------------------------------------- */

static void set_timestamp(report_set *rs)
{
    time_t now = time(NULL);
    struct tm tm;
    if (now == (time_t)-1 || !gmtime_r(&now, &tm) ||
        !strftime(rs->timestamp, sizeof rs->timestamp, "%Y-%m-%dT%H:%M:%S",
                  &tm))
        strcpy(rs->timestamp, "1970-01-01T00:00:00");
}

static void set_free(report_set *rs)
{
    file_abandon(&rs->tap_file);
    file_abandon(&rs->junit);
    file_abandon(&rs->json);
    printer_free(&rs->tap_text);
    printer_free(&rs->junit_cases);
    printer_free(&rs->json_items);
    free(rs);
}

report_set *report_open(const report_options *o, size_t count, FILE *tap_out,
                        FILE *err)
{
    static const report_options none = {0};
    o = o ? o : &none;
    report_set *rs = xmalloc(sizeof *rs);
    memset(rs, 0, sizeof *rs);
    rs->tap_file.file.fd = rs->junit.file.fd = rs->json.file.fd = -1;
    printer_init(&rs->tap_text);
    printer_init(&rs->junit_cases);
    printer_init(&rs->json_items);
    const char *paths[] = {o->tap_path, o->junit_path, o->json_path};
    const char *names[] = {"TAP", "JUnit", "JSON"};
    for (int a = 0; a < 3; a++)
        for (int b = a + 1; b < 3; b++)
            if (paths[a] && paths[b] && strcmp(paths[a], paths[b]) == 0) {
                fprintf(err, "gadfly: the %s and %s reports both name %s: "
                             "give each its own file\n",
                        names[a], names[b], paths[a]);
                set_free(rs);
                return NULL;
            }
    if (file_begin(&rs->tap_file, "TAP report", o->tap_path, err) != 0 ||
        file_begin(&rs->junit, "JUnit report", o->junit_path, err) != 0 ||
        file_begin(&rs->json, "JSON report", o->json_path, err) != 0) {
        set_free(rs);
        return NULL;
    }
    set_timestamp(rs);
    rs->planned = count;
    rs->tap = o->tap;
    rs->tap_out = tap_out ? tap_out : stdout;
    tap_emit(rs, "TAP version 13\n1..%zu\n", count);
    return rs;
}

void report_add(report_set *rs, const gf_property *p, const gf_result *r,
                double seconds)
{
    if (!rs || !r)
        return;
    rs->added++;
    if (r->status == GF_ERROR)
        rs->errors++;
    else if (r->status != GF_PASSED)
        rs->failures++;
    if (seconds > 0 && isfinite(seconds))
        rs->seconds += seconds;
    if (rs->tap || rs->tap_file.file.path)
        tap_add(rs, p, r);
    if (rs->junit.file.path)
        junit_add(rs, p, r, seconds);
    if (rs->json.file.path)
        json_add(rs, p, r, seconds);
}

int report_close(report_set *rs, FILE *err)
{
    if (!rs)
        return 0;
    if (rs->tap || rs->tap_file.file.path)
        tap_finish(rs);
    /* Each file on its own: one that cannot be written loses no other. */
    int rc = 0;
    if (rs->tap_file.file.path)
        rc |= file_commit(&rs->tap_file,
                          rs->tap_text.buf ? rs->tap_text.buf : "", err);
    if (rs->junit.file.path) {
        char *text = junit_text(rs);
        rc |= file_commit(&rs->junit, text, err);
        free(text);
    }
    if (rs->json.file.path) {
        char *text = json_text(rs);
        rc |= file_commit(&rs->json, text, err);
        free(text);
    }
    set_free(rs);
    return rc;
}

/* ---- reports shared by the processes of one run ------------------------ */

/*
 * A Criterion binary runs each test in its own process, so no process
 * sees the whole run.  Each adds its result as a part, a file in the
 * directory REPORT.parts beside the report, and then, holding a lock on
 * that directory, writes the whole report again from the parts (atomically,
 * as report_close does): after the last test the report is complete.
 * Parts are named "RUN-HASH", RUN the process that started the tests
 * (Criterion's runner, the parent) and HASH the property's name, so a
 * test run twice in one run counts once, and parts of earlier runs are
 * removed by the first writer of a new one.
 *
 * A part: "gadfly-part 1\n", the status (a number), the microseconds,
 * "not " or "" (TAP), each on a line, then the format's text for it.
 */
#define PART_MAGIC "gadfly-part 1\n"

typedef struct part {
    char *name;      /* file name, for the order */
    int status;
    uint64_t micros;
    bool tap_not;
    char *text;
} part;

static int part_order(const void *a, const void *b)
{
    return strcmp(((const part *)a)->name, ((const part *)b)->name);
}

static char *read_small_file(int dirfd_, const char *name)
{
    int fd = openat(dirfd_, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    gf_printer t;
    printer_init(&t);
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        gf_print(&t, "%.*s", (int)n, buf);
    close(fd);
    char *text = printer_take(&t);
    return text ? text : xstrdup("");
}

static bool parse_part(char *data, part *out)
{
    size_t m = strlen(PART_MAGIC);
    if (strncmp(data, PART_MAGIC, m) != 0)
        return false;
    char *p = data + m, *end;
    long status = strtol(p, &end, 10);
    if (end == p || *end != '\n')
        return false;
    p = end + 1;
    unsigned long long micros = strtoull(p, &end, 10);
    if (end == p || *end != '\n')
        return false;
    p = end + 1;
    char *nl = strchr(p, '\n');
    if (!nl)
        return false;
    out->status = (int)status;
    out->micros = micros;
    out->tap_not = nl != p;
    out->text = xstrdup(nl + 1);
    return true;
}

/* The part of one format for (p, r). */
static char *part_text(int format, const gf_property *p, const gf_result *r,
                       double seconds)
{
    report_set rs;
    memset(&rs, 0, sizeof rs);
    printer_init(&rs.junit_cases);
    printer_init(&rs.json_items);
    gf_printer head;
    printer_init(&head);
    gf_print(&head, "%s%d\n%llu\n%s\n", PART_MAGIC, (int)r->status,
             (unsigned long long)(seconds > 0 && isfinite(seconds)
                                      ? seconds * 1e6 : 0),
             r->status == GF_PASSED ? "" : "not ");
    if (format == 0) {
        tap_entry_tail(&head, p, r);
    } else if (format == 1) {
        junit_add(&rs, p, r, seconds);
        gf_print(&head, "%s", rs.junit_cases.buf ? rs.junit_cases.buf : "");
    } else {
        json_add(&rs, p, r, seconds);
        gf_print(&head, "%s", rs.json_items.buf ? rs.json_items.buf : "");
    }
    printer_free(&rs.junit_cases);
    printer_free(&rs.json_items);
    return printer_take(&head);
}

/* The whole report from the parts, in the order of their names. */
static char *assemble(int format, part *parts, size_t n)
{
    report_set rs;
    memset(&rs, 0, sizeof rs);
    printer_init(&rs.junit_cases);
    printer_init(&rs.json_items);
    set_timestamp(&rs);
    gf_printer t;
    printer_init(&t);
    if (format == 0)
        gf_print(&t, "TAP version 13\n1..%zu\n", n);
    for (size_t i = 0; i < n; i++) {
        rs.added++;
        if (parts[i].status == GF_ERROR)
            rs.errors++;
        else if (parts[i].status != GF_PASSED)
            rs.failures++;
        rs.seconds += (double)parts[i].micros / 1e6;
        if (format == 0)
            gf_print(&t, "%sok %zu%s", parts[i].tap_not ? "not " : "", i + 1,
                     parts[i].text);
        else if (format == 1)
            gf_print(&rs.junit_cases, "%s", parts[i].text);
        else
            gf_print(&rs.json_items, "%s%s", i ? ",\n" : "", parts[i].text);
    }
    char *text = format == 0 ? printer_take(&t)
                 : format == 1 ? junit_text(&rs)
                               : json_text(&rs);
    printer_free(&t);
    printer_free(&rs.junit_cases);
    printer_free(&rs.json_items);
    return text ? text : xstrdup("");
}

/* Add (p, r) to the shared report at path; 0, or -1 after a line to err. */
static int share_one(int format, const char *path, const gf_property *p,
                     const gf_result *r, double seconds, FILE *err)
{
    static const char *const what[] = {"TAP report", "JUnit report",
                                       "JSON report"};
    char *dir = xasprintf("%s.parts", path);
    int rc = -1, dfd = -1, lock = -1;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(err, "gadfly: cannot write the %s %s: cannot create %s: %s\n",
                what[format], path, dir, strerror(errno));
        goto done;
    }
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    lock = dfd >= 0 ? openat(dfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0666)
                    : -1;
    if (lock < 0 || flock(lock, LOCK_EX) != 0) {
        fprintf(err, "gadfly: cannot write the %s %s: cannot lock %s: %s\n",
                what[format], path, dir, strerror(errno));
        goto done;
    }
    long run = (long)getppid();
    const char *name = property_name(p);
    char file[64], tmp[80];
    snprintf(file, sizeof file, "%ld-%016" PRIx64, run,
             XXH3_64bits(name, strlen(name)));
    /* A temp name starting with '.': the parts read below skip it. */
    snprintf(tmp, sizeof tmp, ".%s.tmp-", file);
    char *text = part_text(format, p, r, seconds);
    atomic_file part_file;
    bool ok = atomic_open(&part_file, dfd, file, tmp) == 0 &&
              atomic_write(&part_file, text, strlen(text)) &&
              atomic_commit(&part_file, false) == 0;
    int write_errno = errno;
    atomic_release(&part_file);
    free(text);
    if (!ok) {
        fprintf(err, "gadfly: cannot write the %s %s: cannot write a part in "
                     "%s: %s\n", what[format], path, dir,
                strerror(write_errno));
        goto done;
    }
    /* This run's parts; those of earlier runs go. */
    char prefix[32];
    int plen = snprintf(prefix, sizeof prefix, "%ld-", run);
    DIR *d = fdopendir(dup(dfd));
    part *parts = NULL;
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "lock"))
            continue;
        if (strncmp(e->d_name, prefix, (size_t)plen) != 0) {
            unlinkat(dfd, e->d_name, 0);
            continue;
        }
        char *data = read_small_file(dfd, e->d_name);
        part one = {0};
        if (data && parse_part(data, &one)) {
            one.name = xstrdup(e->d_name);
            parts = xrealloc(parts, (n + 1) * sizeof *parts);
            parts[n++] = one;
        }
        free(data);
    }
    if (d)
        closedir(d);
    if (n > 1)
        qsort(parts, n, sizeof *parts, part_order);
    char *whole = assemble(format, parts, n);
    for (size_t i = 0; i < n; i++) {
        free(parts[i].name);
        free(parts[i].text);
    }
    free(parts);
    report_file f;
    memset(&f, 0, sizeof f);
    if (file_begin(&f, what[format], path, err) == 0)
        rc = file_commit(&f, whole, err);
    atomic_release(&f.file);
    free(whole);
done:
    if (lock >= 0)
        close(lock); /* and the lock with it */
    if (dfd >= 0)
        close(dfd);
    free(dir);
    return rc;
}

int gf_report_shared(const gf_property *p, const gf_result *r, double seconds,
                     FILE *err)
{
    static const char *const vars[] = {"GF_TAP", "GF_JUNIT", "GF_JSON"};
    int rc = 0;
    if (!r)
        return 0;
    err = err ? err : stderr;
    for (int format = 0; format < 3; format++) {
        const char *path = getenv(vars[format]);
        if (path && *path)
            rc |= share_one(format, path, p, r, seconds, err);
    }
    return rc;
}
