/*
 * stats.c - label counts and cover requirements for --stats.
 *
 * stats_label runs once per label per case, inside the property's hot loop,
 * so finding a label must cost little more than a pointer compare: labels
 * are usually string literals, passed at the same address every time.  A
 * small direct-mapped cache maps the caller's pointer to its label, checked
 * with a strcmp (the pointer may be a reused buffer holding another string
 * now); a miss falls back to an open-addressing table keyed by the string.
 *
 * A label is copied on first sight and never looked at through the caller's
 * pointer again.  The number of distinct labels is capped, so a property
 * that labels every case with its value cannot eat the memory of a long run.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* Distinct labels kept; later new ones count under OTHER_LABELS. */
#define MAX_LABELS 1000
#define OTHER_LABELS "(other labels)"
/* Slots of the pointer cache; a power of two. */
#define RECENT_SLOTS 64
/* Columns of the bar chart, for 100%. */
#define BAR_WIDTH 20

typedef struct label_stat {
    char *name;
    uint64_t hash;
    uint64_t hits;     /* counted cases under the label */
    uint64_t stamp;    /* the case that last touched it */
    double cover_min;  /* percent, with cover */
    bool cover;        /* a gf_cover requirement */
    bool held;         /* under the label in case `stamp` */
} label_stat;

typedef struct recent_label {
    const char *ptr;   /* the caller's pointer, compared, never read */
    uint32_t index;
} recent_label;

struct stats {
    label_stat *labels;
    size_t nlabels, labels_cap;
    uint32_t *slots;   /* index + 1 into labels; 0 is empty */
    size_t mask;       /* slots - 1 */
    recent_label recent[RECENT_SLOTS];
    uint32_t *touched; /* labels touched by the current case */
    size_t ntouched, touched_cap;
    uint64_t cases;
    uint64_t epoch;    /* the current case's number, from 1 */
    bool counted;      /* stats_case was called for the current case */
};

/* ---- the table --------------------------------------------------------- */

/* FNV-1a: labels are short, and this needs no length first. */
static uint64_t hash_string(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    return h;
}

static size_t recent_slot(const char *ptr)
{
    uint64_t x = (uint64_t)(uintptr_t)ptr * 0x9E3779B97F4A7C15u;
    return (size_t)(x >> 58) & (RECENT_SLOTS - 1);
}

/* The slot holding `label`, or the empty slot where it belongs. */
static size_t find_slot(const stats *s, const char *label, uint64_t h)
{
    size_t k = (size_t)h & s->mask;
    for (; s->slots[k]; k = (k + 1) & s->mask) {
        const label_stat *l = &s->labels[s->slots[k] - 1];
        if (l->hash == h && strcmp(l->name, label) == 0)
            break;
    }
    return k;
}

/* Double the slots once half are used: probes stay short. */
static void grow_slots(stats *s)
{
    size_t cap = (s->mask + 1) * 2;
    free(s->slots);
    s->slots = xmalloc(cap * sizeof *s->slots);
    memset(s->slots, 0, cap * sizeof *s->slots);
    s->mask = cap - 1;
    for (size_t i = 0; i < s->nlabels; i++) {
        size_t k = (size_t)s->labels[i].hash & s->mask;
        while (s->slots[k])
            k = (k + 1) & s->mask;
        s->slots[k] = (uint32_t)i + 1;
    }
}

static uint32_t add_label(stats *s, const char *label, uint64_t h)
{
    if ((s->nlabels + 1) * 2 > s->mask + 1)
        grow_slots(s);
    if (s->nlabels == s->labels_cap) {
        s->labels_cap = s->labels_cap ? s->labels_cap * 2 : 16;
        s->labels = xrealloc(s->labels, s->labels_cap * sizeof *s->labels);
    }
    uint32_t i = (uint32_t)s->nlabels++;
    s->labels[i] = (label_stat){.name = xstrdup(label), .hash = h};
    s->slots[find_slot(s, label, h)] = i + 1;
    return i;
}

/* The label's index, added if new (or OTHER_LABELS once the table is
 * full). */
static uint32_t find_or_add(stats *s, const char *label)
{
    uint64_t h = hash_string(label);
    size_t k = find_slot(s, label, h);
    if (s->slots[k])
        return s->slots[k] - 1;
    if (s->nlabels >= MAX_LABELS && strcmp(label, OTHER_LABELS) != 0)
        return find_or_add(s, OTHER_LABELS);
    return add_label(s, label, h);
}

static uint32_t label_index(stats *s, const char *label)
{
    recent_label *r = &s->recent[recent_slot(label)];
    if (r->ptr == label && strcmp(s->labels[r->index].name, label) == 0)
        return r->index;
    r->index = find_or_add(s, label);
    r->ptr = label;
    return r->index;
}

/* ---- cases ------------------------------------------------------------- */

stats *stats_new(void)
{
    stats *s = xmalloc(sizeof *s);
    memset(s, 0, sizeof *s);
    s->mask = 31;
    s->slots = xmalloc((s->mask + 1) * sizeof *s->slots);
    memset(s->slots, 0, (s->mask + 1) * sizeof *s->slots);
    s->epoch = 1;
    return s;
}

void stats_free(stats *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nlabels; i++)
        free(s->labels[i].name);
    free(s->labels);
    free(s->slots);
    free(s->touched);
    free(s);
}

/* The label, marked as seen by the current case (held if `held`). */
static label_stat *touch(stats *s, const char *label, bool held)
{
    uint32_t i = label_index(s, label ? label : "(null)");
    label_stat *l = &s->labels[i];
    if (l->stamp != s->epoch) {
        l->stamp = s->epoch;
        l->held = false;
        if (s->ntouched == s->touched_cap) {
            s->touched_cap = s->touched_cap ? s->touched_cap * 2 : 16;
            s->touched = xrealloc(s->touched,
                                  s->touched_cap * sizeof *s->touched);
        }
        s->touched[s->ntouched++] = i;
    }
    l->held = l->held || held;
    return l;
}

void stats_case(stats *s)
{
    s->cases++;
    s->counted = true;
}

void stats_label(stats *s, const char *label)
{
    touch(s, label, true);
}

void stats_cover(stats *s, const char *label, double min_percent, bool cond)
{
    label_stat *l = touch(s, label, cond);
    double min = isnan(min_percent) ? 0 : fmin(fmax(min_percent, 0), 100);
    if (!l->cover || min > l->cover_min)
        l->cover_min = min;
    l->cover = true;
}

void stats_case_end(stats *s)
{
    for (size_t i = 0; i < s->ntouched; i++) {
        label_stat *l = &s->labels[s->touched[i]];
        if (s->counted && l->held)
            l->hits++;
    }
    s->ntouched = 0;
    s->counted = false;
    s->epoch++;
}

uint64_t stats_cases(const stats *s)
{
    return s->cases;
}

/* ---- the report -------------------------------------------------------- */

/* hits / cases in tenths of a percent, rounded to nearest. */
static uint64_t share_tenths(uint64_t hits, uint64_t cases)
{
    if (cases == 0)
        return 0;
    if (hits <= UINT64_MAX / 4000 && cases <= UINT64_MAX / 4)
        return (hits * 2000 + cases) / (cases * 2);
    return (uint64_t)llround(1000.0 * (double)hits / (double)cases);
}

/* "42.0": no printf %f, whose decimal point follows the locale. */
static void format_tenths(char *buf, size_t size, uint64_t tenths)
{
    snprintf(buf, size, "%" PRIu64 ".%u", tenths / 10,
             (unsigned)(tenths % 10));
}

/* With no counted cases nothing was seen: only a 0% minimum is met. */
static bool cover_met(const label_stat *l, uint64_t cases)
{
    if (cases == 0)
        return l->cover_min <= 0;
    return 100.0 * (double)l->hits >= l->cover_min * (double)cases;
}

/* Most frequent first, then by name, so equal runs give equal reports. */
static int by_share(const void *a, const void *b)
{
    const label_stat *x = *(const label_stat *const *)a;
    const label_stat *y = *(const label_stat *const *)b;
    if (x->hits != y->hits)
        return x->hits > y->hits ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The name with control characters as '?', so that a label cannot break
 * the block's lines. */
static void print_label_name(gf_printer *p, const char *name)
{
    for (const char *c = name; *c; c++)
        gf_print(p, "%c", (unsigned char)*c < 0x20 || *c == 0x7F ? '?' : *c);
}

static void print_share_line(gf_printer *p, const label_stat *l,
                             uint64_t cases)
{
    char pct[32], bar[BAR_WIDTH + 1];
    uint64_t tenths = share_tenths(l->hits, cases);
    format_tenths(pct, sizeof pct, tenths);
    size_t cols = (size_t)((tenths * BAR_WIDTH + 500) / 1000);
    if (l->hits > 0 && cols == 0)
        cols = 1; /* seen at all: at least a mark */
    if (cols > BAR_WIDTH)
        cols = BAR_WIDTH;
    memset(bar, '#', cols);
    bar[cols] = '\0';
    gf_print(p, " %5s%%  %-*s ", pct, BAR_WIDTH, bar);
    print_label_name(p, l->name);
    gf_print(p, "\n");
}

/* "needed" rounds up and "got" down, so an unmet requirement never reads
 * "needed 20.0%, got 20.0%". */
static void print_unmet(gf_printer *p, const label_stat *l, uint64_t cases)
{
    char need[32], got[32];
    format_tenths(need, sizeof need, (uint64_t)ceil(l->cover_min * 10 - 1e-9));
    uint64_t got_tenths =
        cases ? (uint64_t)floor(1000.0 * (double)l->hits / (double)cases) : 0;
    format_tenths(got, sizeof got, got_tenths);
    gf_print(p, "  cover: '");
    print_label_name(p, l->name);
    gf_print(p, "' needed %s%%, got %s%%\n", need, got);
}

char *stats_report(const stats *s, unsigned *unmet)
{
    unsigned missed = 0;
    gf_printer p;
    printer_init(&p);
    const label_stat **shown =
        xmalloc((s->nlabels ? s->nlabels : 1) * sizeof *shown);
    size_t n = 0;
    for (size_t i = 0; i < s->nlabels; i++)
        if (s->labels[i].hits > 0 || s->labels[i].cover)
            shown[n++] = &s->labels[i];
    qsort(shown, n, sizeof *shown, by_share);
    for (size_t i = 0; i < n; i++)
        print_share_line(&p, shown[i], s->cases);
    for (size_t i = 0; i < n; i++) {
        if (shown[i]->cover && !cover_met(shown[i], s->cases)) {
            print_unmet(&p, shown[i], s->cases);
            missed++;
        }
    }
    free(shown);
    if (unmet)
        *unmet = missed;
    return printer_take(&p);
}

/* ---- between processes (--jobs) ----------------------------------------- */

/* Text, one line each: "cases N", then per label "label HITS COVER MIN NAME"
 * with the name last (it may hold spaces; newlines are not allowed in it,
 * and a label with one is sent as "(null)"-like "(label)"). */
char *stats_serialize(const stats *s)
{
    gf_printer p;
    printer_init(&p);
    gf_print(&p, "cases %" PRIu64 "\n", s ? s->cases : 0);
    for (size_t i = 0; s && i < s->nlabels; i++) {
        const label_stat *l = &s->labels[i];
        bool plain = !strchr(l->name, '\n');
        gf_print(&p, "label %" PRIu64 " %d %.17g %s\n", l->hits, l->cover ? 1 : 0,
                 l->cover_min, plain ? l->name : "(label)");
    }
    return printer_take(&p);
}

/* Add what another process counted (stats_serialize's text) to s. */
void stats_merge(stats *s, const char *text)
{
    const char *line = text;
    while (line && *line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char *copy = xmalloc(len + 1);
        memcpy(copy, line, len);
        copy[len] = 0;
        uint64_t n = 0;
        int cover = 0, used = 0;
        double min = 0;
        if (sscanf(copy, "cases %" SCNu64, &n) == 1) {
            s->cases += n;
        } else if (sscanf(copy, "label %" SCNu64 " %d %lf %n", &n, &cover,
                          &min, &used) == 3 && used > 0) {
            uint32_t i = find_or_add(s, copy + used);
            s->labels[i].hits += n;
            if (cover) {
                if (!s->labels[i].cover || min > s->labels[i].cover_min)
                    s->labels[i].cover_min = min;
                s->labels[i].cover = true;
            }
        }
        free(copy);
        line = nl ? nl + 1 : NULL;
    }
}
