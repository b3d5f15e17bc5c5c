/*
 * observe.c - test case observations (--observe) and the summary of a
 * run's values, times and targets (--stats, --html).
 *
 * Lines follow the observation format of Hypothesis, which Tyche reads:
 * "test_case" objects (type, run_start, property, status, status_reason,
 * representation, arguments, how_generated, features, coverage, timing,
 * metadata) and "info" objects (type, title, content, property,
 * run_start).  Each process appends whole lines with one write(2) to a
 * file opened O_APPEND, so the lines of --jobs workers never interleave.
 *
 * Nothing here runs unless an observer was made: a run that asked for
 * none of this never calls into this file per case.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/run.h"
#include "engine/target.h"
#include "observe.h"

#define MAX_DRAWS 64
#define MAX_CASE_LABELS 64

const char *summary_labels(const char *summary)
{
    if (!summary)
        return NULL;
    if (strncmp(summary, "stats\n", 6) == 0)
        return summary + 6;
    const char *at = strstr(summary, "\nstats\n");
    return at ? at + 7 : NULL;
}

char *run_take_summary(void)
{
    char *s = run_summary;
    run_summary = NULL;
    return s;
}

/* ---- kinds and edge cases -------------------------------------------- */

static const char *const edge_int[] = {"0", "1", "-1", "minimum", "maximum",
                                       NULL};
static const char *const edge_uint[] = {"0", "1", "maximum", NULL};
static const char *const edge_double[] = {"0.0", "-0.0", "NaN", "+inf",
                                          "-inf", "subnormal", "+-DBL_MAX",
                                          NULL};
static const char *const edge_bool[] = {"true", NULL};
static const char *const edge_text[] = {"empty", "NULL", "non-ASCII",
                                        "control character", NULL};
static const char *const edge_bytes[] = {"empty", "zero byte", NULL};
static const char *const edge_array[] = {"empty", NULL};
static const char *const edge_none[] = {NULL};

const char *const *obs_edge_names(obs_kind kind)
{
    switch (kind) {
    case OBS_INT: return edge_int;
    case OBS_UINT: return edge_uint;
    case OBS_DOUBLE: return edge_double;
    case OBS_BOOL: return edge_bool;
    case OBS_TEXT: return edge_text;
    case OBS_BYTES: return edge_bytes;
    case OBS_ARRAY: return edge_array;
    default: return edge_none;
    }
}

const char *obs_kind_name(obs_kind kind)
{
    static const char *const names[OBS_KINDS] = {
        "integer", "unsigned", "double", "bool", "text", "bytes", "array",
        "other"};
    return kind < OBS_KINDS ? names[kind] : "other";
}

/* The magnitude class of m >= 0 (see OBS_CLASSES). */
static unsigned magnitude_class(double m)
{
    if (!(m > 0))
        return 0;
    if (m < 1)
        return 1;
    int e;
    frexp(m, &e); /* m in [2^(e-1), 2^e) */
    unsigned k = (unsigned)e + 1;
    return k < OBS_CLASSES ? k : OBS_CLASSES - 1;
}

static unsigned number_bin(double x)
{
    if (isnan(x))
        return OBS_MID;
    unsigned k = magnitude_class(fabs(x));
    return x < 0 ? OBS_MID - k : OBS_MID + k;
}

/* "0", "1", "512", "2^31" (or "1/2" for class 1's far edge). */
static void power_label(char *out, size_t cap, const char *sign, int e)
{
    if (e < 0)
        snprintf(out, cap, "%s1/2", sign);
    else if (e < 10)
        snprintf(out, cap, "%s%u", sign, 1u << e);
    else
        snprintf(out, cap, "%s2^%d", sign, e);
}

void obs_bin_edge(char *out, size_t cap, unsigned bin, bool high)
{
    int k = (int)bin - OBS_MID;
    unsigned c = (unsigned)(k < 0 ? -k : k);
    /* The edge toward zero, or away from it. */
    bool far = k < 0 ? !high : high;
    if (c == 0)
        snprintf(out, cap, "0");
    else if (c == 1)
        far ? power_label(out, cap, k < 0 ? "-" : "", 0)
            : (void)snprintf(out, cap, "0");
    else
        power_label(out, cap, k < 0 ? "-" : "", (int)c - 2 + far);
}

/* ---- JSON ------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, cp = c & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return len;
}

/* A JSON string of n bytes at s; invalid UTF-8 becomes U+FFFD. */
static void json_bytes(gf_printer *p, const void *data, size_t n)
{
    const unsigned char *s = data;
    gf_print(p, "\"");
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t len = utf8_len(s + i, n - i);
        if (len == 0) {
            gf_print(p, "\\ufffd");
            i++;
        } else if (c == '"' || c == '\\') {
            gf_print(p, "\\%c", c);
            i++;
        } else if (c == '\n') {
            gf_print(p, "\\n");
            i++;
        } else if (c == '\t') {
            gf_print(p, "\\t");
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            gf_print(p, "\\u%04x", c);
            i++;
        } else {
            gf_print(p, "%.*s", (int)len, (const char *)s + i);
            i += len;
        }
    }
    gf_print(p, "\"");
}

static void json_str(gf_printer *p, const char *s)
{
    if (!s)
        gf_print(p, "null");
    else
        json_bytes(p, s, strlen(s));
}

static void json_double(gf_printer *p, double d)
{
    if (isnan(d))
        gf_print(p, "\"NaN\"");
    else if (isinf(d))
        gf_print(p, d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    else
        gf_print(p, "%.17g", d);
}

/* ---- one drawn value ------------------------------------------------- */

/* A drawn value as the summary sees it. */
typedef struct seen_value {
    obs_kind kind;
    double x;          /* the number charted: the value, or a size */
    unsigned edges;    /* bit i: edge case i of the kind */
    bool is_signed;
    int64_t i;
    uint64_t u;
    double d;
    const char *text;  /* OBS_TEXT */
    const uint8_t *bytes;
    size_t len;
} seen_value;

static unsigned int_edges(int64_t v, int64_t min, int64_t max)
{
    return (v == 0) | (v == 1) << 1 | (v == -1) << 2 | (v == min) << 3 |
           (v == max) << 4;
}

static unsigned uint_edges(uint64_t v, uint64_t max)
{
    return (v == 0) | (v == 1) << 1 | (v == max) << 2;
}

static unsigned double_edges(double d)
{
    return (d == 0 && !signbit(d)) | (d == 0 && signbit(d)) << 1 |
           (isnan(d) != 0) << 2 | (isinf(d) && d > 0) << 3 |
           (isinf(d) && d < 0) << 4 |
           (fpclassify(d) == FP_SUBNORMAL) << 5 | (fabs(d) == DBL_MAX) << 6;
}

static void set_int(seen_value *v, int64_t x, int64_t min, int64_t max)
{
    v->kind = OBS_INT;
    v->i = x;
    v->x = (double)x;
    v->edges = int_edges(x, min, max);
}

static void set_uint(seen_value *v, uint64_t x, uint64_t max)
{
    v->kind = OBS_UINT;
    v->u = x;
    v->x = (double)x;
    v->edges = uint_edges(x, max);
}

static void set_double(seen_value *v, double d)
{
    v->kind = OBS_DOUBLE;
    v->d = d;
    v->x = d;
    v->edges = double_edges(d);
}

static void set_bytes(seen_value *v, const uint8_t *b, size_t n)
{
    v->kind = OBS_BYTES;
    v->bytes = b;
    v->len = n;
    v->x = (double)n;
    v->edges = (n == 0) | (n && memchr(b, 0, n) != NULL) << 1;
}

static void set_text(seen_value *v, const char *s)
{
    v->kind = OBS_TEXT;
    v->text = s;
    if (!s) {
        v->x = 0;
        v->edges = 2;
        return;
    }
    size_t n = strlen(s);
    v->len = n;
    v->x = (double)n;
    bool high = false, ctrl = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        high |= c >= 0x80;
        ctrl |= c < 0x20 || c == 0x7F;
    }
    v->edges = (n == 0) | high << 2 | ctrl << 3;
}

static bool read_value(const drawn *d, seen_value *v)
{
    memset(v, 0, sizeof *v);
    if (!d->gen) {
        switch (d->kind) {
        case CHOICE_INT:
            set_int(v, (int64_t)d->bits, INT64_MIN, INT64_MAX);
            return true;
        case CHOICE_UINT:
            set_uint(v, d->bits, UINT64_MAX);
            return true;
        case CHOICE_BOOL:
            v->kind = OBS_BOOL;
            v->x = (double)(d->bits != 0);
            v->edges = d->bits != 0;
            return true;
        case CHOICE_DOUBLE: {
            double x;
            memcpy(&x, &d->bits, sizeof x);
            set_double(v, x);
            return true;
        }
        case CHOICE_BYTES:
            set_bytes(v, d->value, (size_t)d->bits);
            return true;
        }
        return false;
    }
    const gf_gen *g = d->gen;
    const void *p = d->value;
    if (!p)
        return false;
    switch (g->kind) {
    case GF_VALUE_I8: set_int(v, *(const int8_t *)p, INT8_MIN, INT8_MAX); return true;
    case GF_VALUE_I16: set_int(v, *(const int16_t *)p, INT16_MIN, INT16_MAX); return true;
    case GF_VALUE_I32: set_int(v, *(const int32_t *)p, INT32_MIN, INT32_MAX); return true;
    case GF_VALUE_I64: set_int(v, *(const int64_t *)p, INT64_MIN, INT64_MAX); return true;
    case GF_VALUE_U8: set_uint(v, *(const uint8_t *)p, UINT8_MAX); return true;
    case GF_VALUE_U16: set_uint(v, *(const uint16_t *)p, UINT16_MAX); return true;
    case GF_VALUE_U32: set_uint(v, *(const uint32_t *)p, UINT32_MAX); return true;
    case GF_VALUE_U64: set_uint(v, *(const uint64_t *)p, UINT64_MAX); return true;
    case GF_VALUE_BOOL:
        v->kind = OBS_BOOL;
        v->x = *(const bool *)p;
        v->edges = *(const bool *)p;
        return true;
    case GF_VALUE_FLOAT: set_double(v, *(const float *)p); return true;
    case GF_VALUE_DOUBLE: set_double(v, *(const double *)p); return true;
    default: break;
    }
    if (g->flags & GF_GEN_TEXT) {
        set_text(v, *(char *const *)p);
        return true;
    }
    if (g->flags & GF_GEN_BYTES) {
        const gf_bytes_value *b = p;
        set_bytes(v, b->data, b->len);
        return true;
    }
    if (g->name && strncmp(g->name, "array(", 6) == 0 &&
        g->size == sizeof(gf_array_value)) {
        const gf_array_value *a = p;
        v->kind = OBS_ARRAY;
        v->len = a->len;
        v->x = (double)a->len;
        v->edges = a->len == 0;
        return true;
    }
    v->kind = OBS_OTHER;
    return true;
}

/* ---- the summary ------------------------------------------------------ */

static obs_draw *find_draw(observer *o, const char *name, obs_kind kind)
{
    for (size_t i = 0; i < o->ndraws; i++)
        if (o->draws[i].kind == kind && strcmp(o->draws[i].name, name) == 0)
            return &o->draws[i];
    if (o->ndraws == MAX_DRAWS)
        return NULL;
    if (o->ndraws == o->draws_cap) {
        o->draws_cap = o->draws_cap ? 2 * o->draws_cap : 8;
        o->draws = xrealloc(o->draws, o->draws_cap * sizeof *o->draws);
    }
    obs_draw *d = &o->draws[o->ndraws++];
    memset(d, 0, sizeof *d);
    d->name = xstrdup(name);
    d->kind = kind;
    return d;
}

static void add_value(observer *o, const char *name, const seen_value *v)
{
    obs_draw *d = find_draw(o, name, v->kind);
    if (!d)
        return;
    bool number = v->kind == OBS_INT || v->kind == OBS_UINT ||
                  v->kind == OBS_DOUBLE;
    double x = v->x;
    if (number && !isfinite(x)) {
        /* NaN and the infinities are edge cases, not points on the axis. */
    } else if (v->kind != OBS_OTHER && v->kind != OBS_BOOL) {
        if (d->n == 0 || d->sum != d->sum || x < d->min)
            d->min = d->n ? fmin(d->min, x) : x;
        if (d->n == 0 || x > d->max)
            d->max = d->n ? fmax(d->max, x) : x;
        d->sum += x;
        d->bins[number_bin(x)]++;
    }
    d->n++;
    for (unsigned e = 0; e < OBS_EDGES; e++)
        d->edges[e] += (v->edges >> e) & 1;
}

static void time_case(observer *o, double seconds)
{
    double us = seconds * 1e6;
    unsigned k = us < 1 ? 0 : magnitude_class(us) - 1;
    if (k >= OBS_TIME_BINS)
        k = OBS_TIME_BINS - 1;
    o->time_bins[k]++;
    o->timed++;
    o->time_total += seconds;
    if (seconds > o->time_max)
        o->time_max = seconds;
}

/* ---- making one ------------------------------------------------------- */

static char *program_base(const char *argv0)
{
    const char *base = argv0 ? strrchr(argv0, '/') : NULL;
    base = base ? base + 1 : argv0 ? argv0 : "gadfly";
    if (strncmp(base, "lt-", 3) == 0 && base[3])
        base += 3;
    char *s = xstrdup(*base ? base : "gadfly");
    for (char *c = s; *c; c++)
        if (*c == '/' || *c == ' ')
            *c = '_';
    return s;
}

observer *observer_new(const gf_options *opt, const char *property,
                       double run_start)
{
    bool lines = opt->observe_dir && *opt->observe_dir;
    bool summary = opt->summary || opt->stats;
    if (!lines && !summary)
        return NULL;
    observer *o = xmalloc(sizeof *o);
    memset(o, 0, sizeof *o);
    o->dir = lines ? xstrdup(opt->observe_dir) : NULL;
    o->program = program_base(opt->argv0);
    o->property = xstrdup(property ? property : "");
    o->fd = o->info_fd = -1;
    o->run_start = run_start;
    o->summary = summary;
    return o;
}

void observer_free(observer *o)
{
    if (!o)
        return;
    if (o->fd_pid == (long)getpid()) {
        if (o->fd >= 0)
            close(o->fd);
        if (o->info_fd >= 0)
            close(o->info_fd);
    }
    for (size_t i = 0; i < o->ndraws; i++)
        free(o->draws[i].name);
    free(o->draws);
    for (size_t i = 0; i < o->ntargets; i++) {
        free(o->targets[i].label);
        free(o->targets[i].values);
        free(o->targets[i].replay);
    }
    free(o->targets);
    for (size_t i = 0; i < o->ncase_labels; i++)
        free(o->case_labels[i]);
    free(o->case_labels);
    free(o->dir);
    free(o->program);
    free(o->property);
    free(o);
}

/* DIR/PROGRAM_testcases.jsonl or DIR/PROGRAM_info.jsonl. */
static char *observe_path(const char *dir, const char *program,
                          const char *what)
{
    return xasprintf("%s/%s_%s.jsonl", dir, program, what);
}

static int make_dirs(const char *dir)
{
    char *path = xstrdup(dir);
    for (char *c = path + 1; *c; c++) {
        if (*c != '/')
            continue;
        *c = 0;
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            free(path);
            return -1;
        }
        *c = '/';
    }
    int rc = mkdir(path, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(path);
    return rc;
}

static int open_append(const char *path)
{
    return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
}

int observe_prepare(const char *dir, const char *argv0, FILE *err)
{
    char *program = program_base(argv0);
    int rc = 0;
    if (make_dirs(dir) != 0) {
        fprintf(err, "gadfly: --observe: cannot make the directory %s: %s\n",
                dir, strerror(errno));
        rc = -1;
    }
    for (int i = 0; i < 2 && rc == 0; i++) {
        char *path = observe_path(dir, program, i ? "info" : "testcases");
        int fd = open_append(path);
        if (fd < 0) {
            fprintf(err, "gadfly: --observe: cannot write %s: %s\n", path,
                    strerror(errno));
            rc = -1;
        } else {
            close(fd);
        }
        free(path);
    }
    free(program);
    return rc;
}

/* The files, opened by the process that writes (a forked process opens
 * its own descriptors; the parent's stay the parent's). */
static bool open_files(observer *o)
{
    long pid = (long)getpid();
    if (o->fd_pid == pid)
        return o->fd >= 0 && o->info_fd >= 0;
    o->fd_pid = pid;
    make_dirs(o->dir);
    char *a = observe_path(o->dir, o->program, "testcases");
    char *b = observe_path(o->dir, o->program, "info");
    o->fd = open_append(a);
    o->info_fd = open_append(b);
    if ((o->fd < 0 || o->info_fd < 0) && !o->failed_open) {
        o->failed_open = true;
        fprintf(stderr, "gadfly: --observe: cannot write %s: %s\n",
                o->fd < 0 ? a : b, strerror(errno));
    }
    free(a);
    free(b);
    return o->fd >= 0 && o->info_fd >= 0;
}

/* One whole line, in one write. */
static void write_line(int fd, gf_printer *p)
{
    gf_print(p, "\n");
    const char *s = p->buf;
    size_t n = p->len;
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

void observer_label(observer *o, const char *label)
{
    if (!o->dir || !label)
        return;
    for (size_t i = 0; i < o->ncase_labels; i++)
        if (strcmp(o->case_labels[i], label) == 0)
            return;
    if (o->ncase_labels == MAX_CASE_LABELS)
        return;
    if (o->ncase_labels == o->case_labels_cap) {
        o->case_labels_cap = o->case_labels_cap ? 2 * o->case_labels_cap : 8;
        o->case_labels = xrealloc(o->case_labels,
                                  o->case_labels_cap * sizeof *o->case_labels);
    }
    o->case_labels[o->ncase_labels++] = xstrdup(label);
}

static void clear_case_labels(observer *o)
{
    for (size_t i = 0; i < o->ncase_labels; i++)
        free(o->case_labels[i]);
    o->ncase_labels = 0;
}

/* The "#3" name of an unnamed value, or its name. */
static const char *value_name(const drawn *d, size_t i, char *buf, size_t cap)
{
    if (d->name)
        return d->name;
    snprintf(buf, cap, "#%zu", i + 1);
    return buf;
}

static void json_argument(gf_printer *p, const drawn *d, const seen_value *v)
{
    switch (v->kind) {
    case OBS_INT: gf_print(p, "%" PRId64, v->i); return;
    case OBS_UINT: gf_print(p, "%" PRIu64, v->u); return;
    case OBS_DOUBLE: json_double(p, v->d); return;
    case OBS_BOOL: gf_print(p, v->edges ? "true" : "false"); return;
    case OBS_TEXT: json_str(p, v->text); return;
    case OBS_BYTES: json_bytes(p, v->bytes, v->len); return;
    default: break;
    }
    gf_printer lit;
    printer_init(&lit);
    if (d->gen)
        gf_print_value(&lit, d->gen, d->value);
    char *s = printer_take(&lit);
    json_str(p, s);
    free(s);
}

/* "name = value" lines as an object of strings (values printed by a
 * process that ran the case for this one). */
static void json_arguments_from_text(gf_printer *p, const char *values)
{
    gf_print(p, "{");
    bool first = true;
    const char *line = values;
    while (line && *line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        const char *eq = memmem(line, len, " = ", 3);
        if (eq) {
            gf_print(p, "%s", first ? "" : ", ");
            json_bytes(p, line, (size_t)(eq - line));
            gf_print(p, ": ");
            json_bytes(p, eq + 3, len - (size_t)(eq + 3 - line));
            first = false;
        }
        line = nl ? nl + 1 : NULL;
    }
    gf_print(p, "}");
}

static const char *status_word(case_status st)
{
    return st == CASE_OK ? "passed" : st == CASE_FAILED ? "failed" : "gave_up";
}

static char *status_reason(const gf_case *tc)
{
    switch (tc->status) {
    case CASE_OK:
        return xstrdup("");
    case CASE_OVERRUN:
        return xasprintf("the case drew more than the %zu choices it may "
                         "make", tc->max_choices);
    case CASE_INVALID:
        if (tc->filter_gave_up)
            return xasprintf("the filter on %s rejected every value it "
                             "tried", gf_gen_name(tc->filter_gave_up));
        return xstrdup("discarded (gf_assume)");
    default:
        break;
    }
    const char *m = tc->message ? tc->message : "";
    const char *nl = strchr(m, '\n');
    return xasprintf("%s: %.*s", tc->origin ? tc->origin : "unknown",
                     nl ? (int)(nl - m) : (int)strlen(m), m);
}

static void write_case_line(observer *o, gf_run_state *r, const char *how,
                            const char *values, const uint8_t *enc,
                            size_t enc_n, double seconds, bool duplicate,
                            const seen_value *vals)
{
    if (!open_files(o))
        return;
    const gf_case *tc = &r->tc;
    gf_printer p;
    printer_init(&p);
    gf_print(&p, "{\"type\": \"test_case\", \"run_start\": %.6f, "
                 "\"property\": ", o->run_start);
    json_str(&p, o->property);
    gf_print(&p, ", \"status\": \"%s\", \"status_reason\": ",
             status_word(tc->status));
    char *reason = status_reason(tc);
    json_str(&p, reason);
    free(reason);
    /* The representation: the values as the failure report prints them. */
    size_t vlen = values ? strlen(values) : 0;
    while (vlen && values[vlen - 1] == '\n')
        vlen--;
    gf_print(&p, ", \"representation\": ");
    json_bytes(&p, values ? values : "", vlen);
    gf_print(&p, ", \"arguments\": ");
    if (vals) {
        gf_print(&p, "{");
        for (size_t i = 0; i < tc->ndrawn; i++) {
            char buf[32];
            gf_print(&p, "%s", i ? ", " : "");
            json_str(&p, value_name(&tc->drawn[i], i, buf, sizeof buf));
            gf_print(&p, ": ");
            json_argument(&p, &tc->drawn[i], &vals[i]);
        }
        gf_print(&p, "}");
    } else {
        json_arguments_from_text(&p, values);
    }
    gf_print(&p, ", \"how_generated\": ");
    json_str(&p, how);
    gf_print(&p, ", \"features\": {");
    for (size_t i = 0; i < o->ncase_labels; i++) {
        gf_print(&p, "%s", i ? ", " : "");
        json_str(&p, o->case_labels[i]);
        gf_print(&p, ": \"\"");
    }
    size_t nf = o->ncase_labels;
    const target_set *ts = r->targets;
    for (size_t i = 0; ts && i < ts->n; i++) {
        if (!ts->t[i].scored)
            continue;
        char *key = xasprintf("target:%s", ts->t[i].label);
        gf_print(&p, "%s", nf++ ? ", " : "");
        json_str(&p, key);
        gf_print(&p, ": ");
        json_double(&p, ts->t[i].score);
        free(key);
    }
    gf_print(&p, "}, \"coverage\": null, \"timing\": {\"execute:test\": "
                 "%.9f}, \"metadata\": {\"seed\": \"0x%016" PRIx64 "\"",
             seconds > 0 ? seconds : 0.0, o->seed);
    char *token = enc ? token_from_encoding(r->prop->name, enc, enc_n)
                      : token_make(r->prop->name, &tc->rec);
    gf_print(&p, ", \"replay\": ");
    json_str(&p, token);
    free(token);
    gf_print(&p, ", \"duplicate\": %s", duplicate ? "true" : "false");
    if (tc->status == CASE_FAILED) {
        gf_print(&p, ", \"traceback\": ");
        char *tb = xasprintf("at %s: %s", tc->origin ? tc->origin : "unknown",
                             tc->message ? tc->message : "");
        json_str(&p, tb);
        free(tb);
    }
    if (tc->nnotes) {
        gf_print(&p, ", \"notes\": [");
        for (size_t i = 0; i < tc->nnotes; i++) {
            gf_print(&p, "%s", i ? ", " : "");
            json_str(&p, tc->notes[i]);
        }
        gf_print(&p, "]");
    }
    gf_print(&p, "}}");
    write_line(o->fd, &p);
    printer_free(&p);
}

void observer_case(observer *o, gf_run_state *r, const char *how,
                   const char *values, const uint8_t *enc, size_t enc_n,
                   double seconds, unsigned flags)
{
    const gf_case *tc = &r->tc;
    bool counted = flags & OBS_COUNTED;
    if (!o->summary && !o->dir) {
        clear_case_labels(o);
        return;
    }
    /* The values themselves, when this process drew them. */
    seen_value *vals = NULL;
    if (!r->iso_values && tc->ndrawn) {
        vals = xmalloc(tc->ndrawn * sizeof *vals);
        for (size_t i = 0; i < tc->ndrawn; i++)
            if (!read_value(&tc->drawn[i], &vals[i]))
                vals[i].kind = OBS_OTHER;
    } else if (!r->iso_values) {
        vals = xmalloc(sizeof *vals);
    }
    if (o->summary && counted) {
        time_case(o, seconds);
        for (size_t i = 0; vals && i < tc->ndrawn; i++) {
            char buf[32];
            add_value(o, value_name(&tc->drawn[i], i, buf, sizeof buf),
                      &vals[i]);
        }
    }
    if (o->dir)
        write_case_line(o, r, how, values, enc, enc_n, seconds,
                        flags & OBS_DUPLICATE, vals);
    free(vals);
    clear_case_labels(o);
}

void observer_info(observer *o, const gf_result *res)
{
    if (!o->dir || !open_files(o))
        return;
    static const char *const words[] = {"passed", "failed", "gave up",
                                         "error"};
    gf_printer p;
    printer_init(&p);
    gf_print(&p, "{\"type\": \"info\", \"run_start\": %.6f, \"property\": ",
             o->run_start);
    json_str(&p, o->property);
    gf_print(&p, ", \"title\": \"Gadfly run\", \"content\": {\"status\": "
                 "\"%s\", \"seed\": \"0x%016" PRIx64 "\", \"cases\": %" PRIu64
                 ", \"passed\": %" PRIu64 ", \"discarded\": %" PRIu64
                 ", \"duplicates\": %" PRIu64,
             words[res->status <= GF_ERROR ? res->status : GF_ERROR],
             res->seed, res->cases, res->passed, res->discarded,
             res->duplicates);
    if (res->replay) {
        gf_print(&p, ", \"replay\": ");
        json_str(&p, res->replay);
    }
    if (res->origin) {
        gf_print(&p, ", \"origin\": ");
        json_str(&p, res->origin);
    }
    if (o->ntargets) {
        gf_print(&p, ", \"targets\": {");
        for (size_t i = 0; i < o->ntargets; i++) {
            gf_print(&p, "%s", i ? ", " : "");
            json_str(&p, o->targets[i].label);
            gf_print(&p, ": ");
            json_double(&p, o->targets[i].best);
        }
        gf_print(&p, "}");
    }
    gf_print(&p, "}}");
    write_line(o->info_fd, &p);
    printer_free(&p);
}

void observer_set_target(observer *o, const char *label, double best,
                         const char *values, const char *replay)
{
    obs_target *t = NULL;
    for (size_t i = 0; i < o->ntargets; i++)
        if (strcmp(o->targets[i].label, label) == 0)
            t = &o->targets[i];
    if (!t) {
        o->targets = xrealloc(o->targets,
                              (o->ntargets + 1) * sizeof *o->targets);
        t = &o->targets[o->ntargets++];
        memset(t, 0, sizeof *t);
        t->label = xstrdup(label);
    } else if (!(best > t->best)) {
        return;
    }
    t->best = best;
    free(t->values);
    free(t->replay);
    t->values = xstrdup(values ? values : "");
    t->replay = xstrdup(replay ? replay : "");
}

/* ---- between processes ------------------------------------------------ */

/* A field with no spaces or newlines: newlines become \x1f (printed
 * values escape control characters, so none holds one itself). */
static void put_line_text(gf_printer *p, const char *s)
{
    for (; s && *s; s++)
        gf_print(p, "%c", *s == '\n' ? '\x1f' : *s);
}

char *observer_serialize(const observer *o)
{
    gf_printer p;
    printer_init(&p);
    for (size_t i = 0; o && i < o->ndraws; i++) {
        const obs_draw *d = &o->draws[i];
        if (strchr(d->name, '\n'))
            continue;
        gf_print(&p, "draw %d %" PRIu64 " %.17g %.17g %.17g ", (int)d->kind,
                 d->n, d->min, d->max, d->sum);
        bool any = false;
        for (unsigned b = 0; b < OBS_BINS; b++)
            if (d->bins[b]) {
                gf_print(&p, "%s%u:%" PRIu64, any ? "," : "", b, d->bins[b]);
                any = true;
            }
        gf_print(&p, "%s ", any ? "" : "-");
        for (unsigned e = 0; e < OBS_EDGES; e++)
            gf_print(&p, "%s%" PRIu64, e ? "," : "", d->edges[e]);
        gf_print(&p, " %s\n", d->name);
    }
    if (o && o->timed) {
        gf_print(&p, "time %" PRIu64 " %.17g %.17g ", o->timed, o->time_total,
                 o->time_max);
        bool any = false;
        for (unsigned b = 0; b < OBS_TIME_BINS; b++)
            if (o->time_bins[b]) {
                gf_print(&p, "%s%u:%" PRIu64, any ? "," : "", b,
                         o->time_bins[b]);
                any = true;
            }
        gf_print(&p, "\n");
    }
    for (size_t i = 0; o && i < o->ntargets; i++) {
        const obs_target *t = &o->targets[i];
        if (strchr(t->label, '\n'))
            continue;
        gf_print(&p, "target %.17g %s %s\nvalues ", t->best,
                 t->replay && *t->replay ? t->replay : "-", t->label);
        put_line_text(&p, t->values);
        gf_print(&p, "\n");
    }
    return printer_take(&p);
}

/* "3:10,5:2" into bins (cap of them), added. */
static void add_bins(uint64_t *bins, unsigned cap, const char *s)
{
    while (s && *s && *s != ' ') {
        unsigned b;
        uint64_t n;
        int used = 0;
        if (sscanf(s, "%u:%" SCNu64 "%n", &b, &n, &used) != 2 || used <= 0)
            return;
        if (b < cap)
            bins[b] += n;
        s += used;
        if (*s == ',')
            s++;
    }
}

void observer_merge(observer *o, const char *text)
{
    const char *line = text;
    obs_target *last = NULL;
    while (line && *line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char *c = xmalloc(len + 1);
        memcpy(c, line, len);
        c[len] = 0;
        int kind = 0, used = 0;
        uint64_t n = 0;
        double min = 0, max = 0, sum = 0;
        if (sscanf(c, "draw %d %" SCNu64 " %lf %lf %lf %n", &kind, &n, &min,
                   &max, &sum, &used) == 5 && used > 0 && kind >= 0 &&
            kind < OBS_KINDS) {
            char *bins = c + used;
            char *edges = strchr(bins, ' ');
            char *name = edges ? strchr(edges + 1, ' ') : NULL;
            if (name) {
                obs_draw *d = find_draw(o, name + 1, (obs_kind)kind);
                if (d) {
                    if (d->n == 0 || min < d->min)
                        d->min = min;
                    if (d->n == 0 || max > d->max)
                        d->max = max;
                    d->n += n;
                    d->sum += sum;
                    if (*bins != '-')
                        add_bins(d->bins, OBS_BINS, bins);
                    const char *e = edges + 1;
                    for (unsigned k = 0; k < OBS_EDGES && e < name; k++) {
                        d->edges[k] += strtoull(e, (char **)&e, 10);
                        if (*e == ',')
                            e++;
                    }
                }
            }
            last = NULL;
        } else if (sscanf(c, "time %" SCNu64 " %lf %lf %n", &n, &sum, &max,
                          &used) == 3 && used > 0) {
            o->timed += n;
            o->time_total += sum;
            if (max > o->time_max)
                o->time_max = max;
            add_bins(o->time_bins, OBS_TIME_BINS, c + used);
            last = NULL;
        } else if (sscanf(c, "target %lf %n", &max, &used) == 1 && used > 0) {
            char *replay = c + used;
            char *label = strchr(replay, ' ');
            if (label) {
                *label++ = 0;
                size_t before = o->ntargets;
                observer_set_target(o, label, max, "",
                                    strcmp(replay, "-") ? replay : "");
                last = NULL;
                for (size_t i = 0; i < o->ntargets; i++)
                    if (strcmp(o->targets[i].label, label) == 0 &&
                        (o->ntargets > before || o->targets[i].best == max))
                        last = &o->targets[i];
            }
        } else if (strncmp(c, "values ", 7) == 0 && last) {
            for (char *v = c + 7; *v; v++)
                if (*v == '\x1f')
                    *v = '\n';
            if (!*last->values) {
                free(last->values);
                last->values = xstrdup(c + 7);
            }
            last = NULL;
        }
        free(c);
        line = nl ? nl + 1 : NULL;
    }
}

observer *observer_from_text(const char *text)
{
    observer *o = xmalloc(sizeof *o);
    memset(o, 0, sizeof *o);
    o->fd = o->info_fd = -1;
    o->summary = true;
    o->program = xstrdup("");
    o->property = xstrdup("");
    observer_merge(o, text);
    return o;
}

/* ---- --stats text ----------------------------------------------------- */

/* A row of block characters, one per bin from the first used to the last. */
/* At most this many characters per sparkline: wider ranges add up
 * neighbouring bins. */
#define SPARK_WIDTH 32

static void sparkline(gf_printer *p, const uint64_t *bins, unsigned from,
                      unsigned to)
{
    static const char *const blocks[] = {" ", "\xE2\x96\x81", "\xE2\x96\x82",
                                         "\xE2\x96\x83", "\xE2\x96\x84",
                                         "\xE2\x96\x85", "\xE2\x96\x86",
                                         "\xE2\x96\x87", "\xE2\x96\x88"};
    unsigned width = to - from + 1;
    unsigned group = (width + SPARK_WIDTH - 1) / SPARK_WIDTH;
    uint64_t sums[OBS_BINS] = {0};
    unsigned n = 0;
    for (unsigned b = from; b <= to; b += group, n++)
        for (unsigned k = b; k < b + group && k <= to; k++)
            sums[n] += bins[k];
    uint64_t top = 0;
    for (unsigned i = 0; i < n; i++)
        if (sums[i] > top)
            top = sums[i];
    for (unsigned i = 0; i < n; i++) {
        unsigned h = top ? (unsigned)((sums[i] * 8 + top - 1) / top) : 0;
        gf_print(p, "%s", blocks[h > 8 ? 8 : h]);
    }
}

static bool used_range(const uint64_t *bins, unsigned n, unsigned *from,
                       unsigned *to)
{
    bool any = false;
    for (unsigned b = 0; b < n; b++)
        if (bins[b]) {
            if (!any)
                *from = b;
            *to = b;
            any = true;
        }
    return any;
}

static void print_number(gf_printer *p, double x)
{
    if (x == floor(x) && fabs(x) < 1e18)
        gf_print(p, "%.0f", x);
    else
        gf_print(p, "%.6g", x);
}

static const char *unit_for(double seconds, double *scaled)
{
    if (seconds >= 1) {
        *scaled = seconds;
        return "s";
    }
    if (seconds >= 1e-3) {
        *scaled = seconds * 1e3;
        return "ms";
    }
    *scaled = seconds * 1e6;
    return "us";
}

char *observer_report(const observer *o)
{
    gf_printer p;
    printer_init(&p);
    if (!o)
        return printer_take(&p);
    if (o->ndraws)
        gf_print(&p, "  values drawn:\n");
    for (size_t i = 0; i < o->ndraws; i++) {
        const obs_draw *d = &o->draws[i];
        bool sized = d->kind == OBS_TEXT || d->kind == OBS_BYTES ||
                     d->kind == OBS_ARRAY;
        gf_print(&p, "    %s (%s, %" PRIu64 " value%s)", d->name,
                 obs_kind_name(d->kind), d->n, d->n == 1 ? "" : "s");
        unsigned from = 0, to = 0;
        if (d->kind != OBS_BOOL && d->kind != OBS_OTHER &&
            used_range(d->bins, OBS_BINS, &from, &to)) {
            gf_print(&p, ": %s ", sized ? "size" : "from");
            print_number(&p, d->min);
            gf_print(&p, " to ");
            print_number(&p, d->max);
            char lo[32], hi[32];
            obs_bin_edge(lo, sizeof lo, from, false);
            obs_bin_edge(hi, sizeof hi, to, true);
            gf_print(&p, "\n      %s ", lo);
            sparkline(&p, d->bins, from, to);
            gf_print(&p, " %s", hi);
        }
        gf_print(&p, "\n");
        const char *const *names = obs_edge_names(d->kind);
        bool first = true;
        for (unsigned e = 0; names[e] && e < OBS_EDGES; e++) {
            if (!d->edges[e])
                continue;
            gf_print(&p, "%s%s %.1f%%", first ? "      edge cases: " : ", ",
                     names[e], d->n ? 100.0 * (double)d->edges[e] / (double)d->n
                                    : 0.0);
            first = false;
        }
        if (!first)
            gf_print(&p, "\n");
    }
    if (o->timed) {
        double mean, max;
        const char *um = unit_for(o->time_total / (double)o->timed, &mean);
        const char *ux = unit_for(o->time_max, &max);
        gf_print(&p, "  time per case: mean %.3g %s, max %.3g %s over %" PRIu64
                     " cases", mean, um, max, ux, o->timed);
        unsigned from = 0, to = 0;
        if (used_range(o->time_bins, OBS_TIME_BINS, &from, &to) && to > from) {
            gf_print(&p, "\n      %s%.0f us ", from ? "" : "<",
                     from ? ldexp(1, (int)from - 1) : 1.0);
            sparkline(&p, o->time_bins, from, to);
            gf_print(&p, " %.0f us", ldexp(1, (int)to));
        }
        gf_print(&p, "\n");
    }
    for (size_t i = 0; i < o->ntargets; i++) {
        const obs_target *t = &o->targets[i];
        gf_print(&p, "  target '%s': best score %.17g\n", t->label, t->best);
        const char *line = t->values;
        while (line && *line) {
            const char *nl = strchr(line, '\n');
            int len = nl ? (int)(nl - line) : (int)strlen(line);
            if (len > 200)
                gf_print(&p, "    %.200s ...\n", line);
            else
                gf_print(&p, "    %.*s\n", len, line);
            line = nl ? nl + 1 : NULL;
        }
        if (t->replay && *t->replay)
            gf_print(&p, "    replay: --replay %s\n", t->replay);
    }
    return printer_take(&p);
}

/* ---- the engine's view ------------------------------------------------- */

static void set_seed(observer *o, uint64_t seed)
{
    o->seed = seed;
}

static void keep_summary(observer *o, bool keep)
{
    o->summary = keep;
}

static bool summarizes(const observer *o)
{
    return o->summary;
}

static bool writes_lines(const observer *o)
{
    return o->dir != NULL;
}

static uint64_t timed(const observer *o)
{
    return o->timed;
}

/* The engine observes its runs through these (engine/observer.h). */
__attribute__((constructor)) static void observe_hooks(void)
{
    run_observe = (observer_ops){
        .open = observer_new,
        .from_text = observer_from_text,
        .close = observer_free,
        .label = observer_label,
        .case_ended = observer_case,
        .info = observer_info,
        .set_target = observer_set_target,
        .set_seed = set_seed,
        .keep_summary = keep_summary,
        .summarizes = summarizes,
        .writes_lines = writes_lines,
        .timed = timed,
        .serialize = observer_serialize,
        .report = observer_report,
    };
}
