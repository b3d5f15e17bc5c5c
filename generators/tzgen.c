/*
 * tzgen.c - time zone generators: zone names, instants near transitions,
 * ambiguous wall-clock times, and valid and invalid POSIX TZ strings.
 *
 * The lists below are written by hand from what breaks date code: offsets
 * that are not whole hours, the extremes +14 and -12, daylight saving of 30
 * minutes or below standard time, days skipped or repeated when a zone
 * crossed the date line, local mean time with seconds.  Transitions come
 * from the system's TZif data through Gadfly's own reader (tzif.c), never
 * from TZ and the C library.
 *
 * Like every generator family, this file uses only the public draw API.
 * Every choice is ordered so that all-zero choices give the simplest value:
 * "UTC", the transition nearest 1970, "UTC0".
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gadfly.h>
#include <gadfly/gen.h>
#include <gadfly/tz.h>

#include "cache.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Weighted choice among n weights: one "skip this one?" boolean per
 * entry, each with the probability that keeps the weights (the engine's
 * integer bias would skew a single index draw).  false is simplest, so
 * choices shrink toward entry 0. */
static size_t draw_weighted_index(gf_case *tc, const unsigned *weights,
                                  size_t n)
{
    uint64_t rest = 0;
    size_t last = 0;
    for (size_t i = 0; i < n; i++) {
        rest += weights[i];
        last = weights[i] ? i : last;
    }
    for (size_t i = 0; i < last; i++) {
        if (weights[i] == 0)
            continue;
        double p_skip = (double)(rest - weights[i]) / (double)rest;
        if (!gf_draw_weighted(tc, p_skip))
            return i;
        rest -= weights[i];
    }
    return last;
}

static void print_string_value(gf_printer *p, const gf_gen *self,
                               const void *value)
{
    (void)self;
    const char *s = *(char *const *)value;
    gf_print_string(p, s, s ? strlen(s) : 0);
}

static const gf_gen *make_string_gen(const char *name, gf_gen_draw_fn draw,
                                     int64_t arg, void *env)
{
    gf_gen t = {
        .name = name,
        .size = sizeof(char *),
        .align = _Alignof(char *),
        .flags = GF_GEN_POINTER_VALUE | GF_GEN_TEXT,
        .kind = GF_VALUE_POINTER,
        .label = gf_span_label(name),
        .draw = draw,
        .print = print_string_value,
        .env = env,
    };
    t.arg.i[0] = arg;
    return gf_gen_intern(&t);
}

static char *arena_string(gf_case *tc, const char *s)
{
    return gf_memdup(tc, s, strlen(s) + 1);
}

/* t as UTC broken down; gmtime_r reads no time zone. */
static bool utc_tm(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;
    return (int64_t)tt == t && gmtime_r(&tt, tm) != NULL;
}

/* "2011-12-30T10:00:00Z" for a comment beside a printed instant. */
static void format_utc(int64_t t, char *buf, size_t len)
{
    struct tm tm;
    if (utc_tm(t, &tm))
        snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02dZ",
                 (long long)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec);
    else
        snprintf(buf, len, "out of range");
}

/* ---- zone names ----------------------------------------------------------- */

typedef struct zone_class {
    const char *what;
    unsigned weight; /* percent of draws */
    const char *const *names;
    size_t n;
} zone_class;

static const char *const plain_zones[] = {
    "UTC", "Etc/UTC", "America/New_York", "Europe/London", "Europe/Berlin",
    "Asia/Tokyo", "America/Los_Angeles", "Australia/Sydney",
    "America/Sao_Paulo", "Africa/Johannesburg", "Asia/Shanghai",
};

/* Standard offsets that are not whole hours. */
static const char *const odd_offset_zones[] = {
    "Asia/Kathmandu",       /* +05:45 */
    "Australia/Eucla",      /* +08:45 */
    "Pacific/Chatham",      /* +12:45, +13:45 in summer */
    "Pacific/Marquesas",    /* -09:30 */
    "America/St_Johns",     /* -03:30, DST -02:30 */
    "Asia/Kolkata",         /* +05:30 */
    "Asia/Tehran",          /* +03:30 */
    "Asia/Kabul",           /* +04:30 */
    "Asia/Yangon",          /* +06:30 */
    "Australia/Adelaide",   /* +09:30, DST +10:30 */
    "Australia/Darwin",     /* +09:30 */
    "Asia/Colombo",         /* +05:30, +06:30 and +06 in 1996-2006 */
    "Indian/Cocos",         /* +06:30 */
    "Australia/Broken_Hill",/* +09:30 in New South Wales */
};

/* The ends of the range of offsets. */
static const char *const extreme_zones[] = {
    "Pacific/Kiritimati", /* +14 */
    "Etc/GMT+12",         /* -12 (the sign is POSIX's) */
    "Etc/GMT-14",         /* +14 */
    "Pacific/Tongatapu",  /* +13 */
    "Pacific/Apia",       /* +13, +14 in summer until 2021 */
    "Pacific/Pago_Pago",  /* -11 */
    "Pacific/Niue",       /* -11 */
    "Etc/GMT-13",         /* +13 */
    "Pacific/Fakaofo",    /* +13 */
};

/* Daylight saving that is not "one hour ahead, spring and autumn". */
static const char *const odd_dst_zones[] = {
    "Australia/Lord_Howe", /* 30 minutes */
    "Europe/Dublin",       /* negative: winter is the saving time */
    "Antarctica/Troll",    /* two hours */
    "Africa/Casablanca",   /* suspended for Ramadan each year */
    "America/Santiago",    /* southern hemisphere, midnight transitions */
    "Asia/Gaza",           /* rules by religious calendar */
    "America/Havana",      /* transitions at midnight */
    "Asia/Beirut",         /* transitions at midnight */
    "Pacific/Auckland",    /* southern hemisphere */
    "America/Nuuk",        /* rule times of -1 and -2 hours */
    "Europe/Moscow",       /* daylight saving all year 2011-2014 */
    "America/Asuncion",    /* southern, ended 2024 */
    "Europe/Lisbon",       /* double summer time in the 1940s */
};

/* Zones that skipped or repeated a calendar day, or moved by more than a
 * few hours at once. */
static const char *const date_line_zones[] = {
    "Pacific/Apia",       /* skipped 2011-12-30 */
    "Pacific/Kiritimati", /* skipped 1994-12-31 */
    "Pacific/Kwajalein",  /* skipped 1993-08-21 */
    "Pacific/Fakaofo",    /* skipped 2011-12-30 */
    "Pacific/Kanton",     /* skipped 1994-12-31 */
    "America/Juneau",     /* repeated 1867-10-18 (Alaska purchase) */
    "America/Sitka",      /* repeated 1867-10-18 */
    "Asia/Manila",        /* skipped 1844-12-31 */
    "America/Metlakatla", /* moved by hours repeatedly 2015-2019 */
};

/* Local mean time and other offsets with seconds. */
static const char *const lmt_zones[] = {
    "Europe/Amsterdam",   /* +00:19:32 until 1937 */
    "Africa/Monrovia",    /* -00:44:30 until 1972 */
    "Europe/Dublin",      /* Dublin Mean Time -00:25:21 until 1916 */
    "Europe/Paris",       /* Paris Mean Time +00:09:21 until 1911 */
    "America/Caracas",    /* -04:27:40 until 1912 */
    "Europe/Helsinki",    /* +01:39:49 until 1921 */
    "America/Montevideo", /* -03:44:51 until 1920 */
    "Asia/Kolkata",       /* +05:53:20, +05:21:10 */
    "America/Guayaquil",  /* -05:14:00 until 1931 */
    "Africa/Accra",       /* -00:00:52 until 1918 */
};

/* Names that exist but are not the canonical ones, and zones with leap
 * seconds. */
static const char *const alias_zones[] = {
    "US/Eastern", "GMT0", "EST5EDT", "Asia/Calcutta", "Asia/Katmandu",
    "Europe/Kiev", "America/Buenos_Aires", "posixrules", "Etc/GMT-0",
    "right/UTC", "right/Europe/London",
};

/* Names that are not zones. */
static const char *const invalid_zones[] = {
    "Mars/Olympus_Mons",
    "",
    "UTC+5",
    "../etc/passwd",
    "europe/london",
    "EUROPE/LONDON",
    "utc",
    "America/New York",
    "Europe//London",
    "Europe/London/",
    "/usr/share/zoneinfo/UTC",
    "Etc/GMT+13",
    "Europe",
    "zone.tab",
    ":Europe/London",
    "Asia/Kolkata\n",
};

static const zone_class zone_classes[] = {
    {"plain", 16, plain_zones, COUNT(plain_zones)},
    {"odd offset", 18, odd_offset_zones, COUNT(odd_offset_zones)},
    {"extreme offset", 10, extreme_zones, COUNT(extreme_zones)},
    {"odd DST", 14, odd_dst_zones, COUNT(odd_dst_zones)},
    {"date line", 10, date_line_zones, COUNT(date_line_zones)},
    {"LMT", 10, lmt_zones, COUNT(lmt_zones)},
    {"alias", 6, alias_zones, COUNT(alias_zones)},
    {"invalid", 16, invalid_zones, COUNT(invalid_zones)},
};
#define ZONE_CLASSES COUNT(zone_classes)

/* The same classes less the names that do not load here; built once. */
static zone_class valid_classes[ZONE_CLASSES];
static pthread_once_t valid_once = PTHREAD_ONCE_INIT;

static void build_valid_classes(void)
{
    for (size_t c = 0; c < ZONE_CLASSES; c++) {
        const zone_class *zc = &zone_classes[c];
        const char **kept = malloc(zc->n * sizeof *kept);
        size_t n = 0;
        for (size_t i = 0; kept && i < zc->n; i++)
            if (gf_tz_load(zc->names[i]))
                kept[n++] = zc->names[i];
        valid_classes[c] = (zone_class){zc->what, n ? zc->weight : 0, kept,
                                        n};
    }
}

/*
 * Two choices: a class, as one integer over the sum of the weights (a
 * percent each), then a name in it.  Keeping the name a separate choice
 * lets the shrinker move to an earlier class while keeping the name's
 * position, and then walk down that class's names toward its first;
 * "UTC" is the first name of the first class.  The engine's bias toward
 * the ends of a range makes the first and last classes and names a little
 * more common than the weights say.
 */
static void draw_zone_name(gf_case *tc, const gf_gen *self, void *out)
{
    const zone_class *classes = zone_classes;
    if (self->arg.i[0]) {
        pthread_once(&valid_once, build_valid_classes);
        classes = valid_classes;
        if (valid_classes[0].n == 0)
            gf_gen_misuse(tc, self, "\"UTC\" does not load: %s",
                          gf_tz_error());
    }
    uint64_t total = 0;
    for (size_t c = 0; c < ZONE_CLASSES; c++)
        total += classes[c].n ? classes[c].weight : 0;
    uint64_t u = gf_draw_uint(tc, 0, total - 1);
    const zone_class *zc = classes;
    for (size_t c = 0; c < ZONE_CLASSES; c++) {
        zc = &classes[c];
        uint64_t width = zc->n ? zc->weight : 0;
        if (u < width)
            break;
        u -= width;
    }
    size_t i = (size_t)gf_draw_uint(tc, 0, zc->n - 1);
    *(char **)out = arena_string(tc, zc->names[i]);
}

const gf_gen *gf_timezone(void)
{
    GEN_ONCE_RETURN(make_string_gen("timezone", draw_zone_name, 0, NULL));
}

const gf_gen *gf_timezone_valid(void)
{
    GEN_ONCE_RETURN(make_string_gen("timezone_valid", draw_zone_name, 1,
                                    NULL));
}

/* ---- what the instant generators know of a zone --------------------------- */

/* An ambiguous stretch of wall-clock time: seconds [wall, wall + len) of
 * local time (counted like instants, as if local time were UTC). */
typedef struct ambiguity {
    int64_t wall, len;
    bool gap;
} ambiguity;

typedef struct zone_info {
    char *name;
    const gf_tz *tz;           /* NULL: did not load, see error */
    char *error;
    int64_t *trans;            /* transition instants 1800..2200 */
    size_t ntrans, trans_nearest;
    ambiguity *amb;
    size_t namb, amb_nearest;
    struct zone_info *next;
} zone_info;

/* Transitions kept: from 1800, before any zone's first (local mean time
 * to standard time), to 2200, far past the 2037 end of a TZif file's table,
 * where only the zone's POSIX rule says when the clocks change. */
#define SPAN_FROM (-5364662400LL) /* 1800-01-01T00:00:00Z */
#define SPAN_TO 7258118400LL      /* 2200-01-01T00:00:00Z */

static pthread_mutex_t info_lock = PTHREAD_MUTEX_INITIALIZER;
static zone_info *info_head;

static int64_t abs64(int64_t v)
{
    return v < 0 ? -v : v;
}

/* A wall second as struct tm (tm_isdst -1). */
static struct tm wall_tm(int64_t w)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    utc_tm(w, &tm);
    tm.tm_isdst = -1;
    tm.tm_wday = tm.tm_yday = 0;
    tm.tm_gmtoff = 0;
    tm.tm_zone = NULL;
    return tm;
}

static bool is_ambiguous_at(const gf_tz *tz, int64_t w, int want)
{
    struct tm tm = wall_tm(w);
    int64_t c[2];
    return gf_tz_local_to_utc(tz, &tm, c) == want;
}

static void fill_info(zone_info *zi)
{
    gf_tz_transition tr[64];
    size_t cap_t = 64, cap_a = 16;
    int64_t from = SPAN_FROM;
    zi->trans = malloc(cap_t * sizeof *zi->trans);
    zi->amb = malloc(cap_a * sizeof *zi->amb);
    if (!zi->trans || !zi->amb)
        return;
    size_t n;
    while ((n = gf_tz_transitions(zi->tz, from, SPAN_TO, tr, 64)) > 0) {
        for (size_t i = 0; i < n; i++) {
            if (zi->ntrans == cap_t) {
                int64_t *more = realloc(zi->trans, 2 * cap_t * sizeof *more);
                if (!more)
                    return;
                zi->trans = more;
                cap_t *= 2;
            }
            zi->trans[zi->ntrans++] = tr[i].at;
            long jump = tr[i].utoff_after - tr[i].utoff_before;
            if (jump == 0)
                continue;
            /* Keep the gaps and folds that are what they seem at both
             * ends (not overlapped by a neighbouring transition). */
            ambiguity a = {tr[i].at + (jump > 0 ? tr[i].utoff_before
                                                : tr[i].utoff_after),
                           abs64(jump), jump > 0};
            int want = a.gap ? 0 : 2;
            if (!is_ambiguous_at(zi->tz, a.wall, want) ||
                !is_ambiguous_at(zi->tz, a.wall + a.len - 1, want))
                continue;
            if (zi->namb == cap_a) {
                ambiguity *more = realloc(zi->amb, 2 * cap_a * sizeof *more);
                if (!more)
                    return;
                zi->amb = more;
                cap_a *= 2;
            }
            zi->amb[zi->namb++] = a;
        }
        from = tr[n - 1].at + 1;
    }
    for (size_t i = 0; i < zi->ntrans; i++)
        if (abs64(zi->trans[i]) < abs64(zi->trans[zi->trans_nearest]))
            zi->trans_nearest = i;
    for (size_t i = 0; i < zi->namb; i++)
        if (abs64(zi->amb[i].wall) < abs64(zi->amb[zi->amb_nearest].wall))
            zi->amb_nearest = i;
}

/* The process-lifetime record for zone (NULL only when out of memory). */
static const zone_info *zone_info_get(const char *zone)
{
    pthread_mutex_lock(&info_lock);
    zone_info *zi;
    for (zi = info_head; zi; zi = zi->next)
        if (strcmp(zi->name, zone) == 0)
            goto done;
    zi = calloc(1, sizeof *zi);
    if (!zi || !(zi->name = strdup(zone))) {
        free(zi);
        zi = NULL;
        goto done;
    }
    zi->tz = gf_tz_load(zone);
    if (!zi->tz)
        zi->error = strdup(gf_tz_error());
    else
        fill_info(zi);
    zi->next = info_head;
    info_head = zi;
done:
    pthread_mutex_unlock(&info_lock);
    return zi;
}

static const zone_info *check_zone(gf_case *tc, const gf_gen *self)
{
    const zone_info *zi = self->env;
    if (!zi)
        gf_gen_misuse(tc, self, "zone is NULL (or out of memory)");
    if (!zi->tz)
        gf_gen_misuse(tc, self, "%s",
                      zi->error ? zi->error : "zone does not load");
    return zi;
}

static const gf_gen *make_zone_gen(const char *family, const char *zone,
                                   size_t size, size_t align,
                                   gf_value_kind kind, gf_gen_draw_fn draw,
                                   gf_gen_print_fn print)
{
    char name[200];
    snprintf(name, sizeof name, "%s(\"%.120s\")", family,
             zone ? zone : "(null)");
    gf_gen t = {
        .name = name,
        .size = size,
        .align = align,
        .kind = kind,
        .label = gf_span_label(name),
        .draw = draw,
        .print = print,
        .env = zone ? (void *)zone_info_get(zone) : NULL,
    };
    return gf_gen_intern(&t);
}

/* ---- instants near transitions -------------------------------------------- */

/* How far from the transition, by scale; the first is simplest. */
static const int64_t near_scales[] = {2, 120, 6 * 3600, 3 * 86400};

/* Instants where 32-bit time_t code breaks, in any zone.  They follow
 * the transitions as extra bases (indexes ntrans.. of one index choice, so
 * an edge costs no choice of its own): the index's lean toward the top of
 * its range makes the last two common, and every base shrinks toward the
 * transition nearest 1970 alike. */
static const int64_t time_t_edges[] = {
    (int64_t)INT32_MIN,     /* 1901-12-13T20:45:52Z */
    UINT32_MAX,             /* 2106-02-07T06:28:15Z */
    INT32_MAX,              /* 2038-01-19T03:14:07Z */
};

static void draw_near_transition(gf_case *tc, const gf_gen *self, void *out)
{
    const zone_info *zi = check_zone(tc, self);
    int64_t base = 0;
    if (zi->ntrans > 0) {
        int64_t last = (int64_t)(zi->ntrans + COUNT(time_t_edges)) - 1;
        int64_t i = gf_draw_int_toward(tc, 0, last,
                                       (int64_t)zi->trans_nearest);
        base = i < (int64_t)zi->ntrans
                   ? zi->trans[i]
                   : time_t_edges[(size_t)i - zi->ntrans];
    }
    int64_t scale = near_scales[gf_draw_uint(tc, 0, COUNT(near_scales) - 1)];
    *(int64_t *)out = base + gf_draw_int(tc, -scale, scale);
}

static void print_instant(gf_printer *p, const gf_gen *self,
                          const void *value)
{
    (void)self;
    int64_t t = *(const int64_t *)value;
    char when[40];
    format_utc(t, when, sizeof when);
    gf_print(p, "%" PRId64 " /* %s */", t, when);
}

const gf_gen *gf_instant_near_transition(const char *zone)
{
    return make_zone_gen("instant_near_transition", zone, sizeof(int64_t),
                         _Alignof(int64_t), GF_VALUE_I64,
                         draw_near_transition, print_instant);
}

/* ---- wall-clock times in gaps and folds ----------------------------------- */

static void draw_ambiguous(gf_case *tc, const gf_gen *self, void *out)
{
    const zone_info *zi = check_zone(tc, self);
    if (zi->namb == 0)
        gf_gen_misuse(tc, self, "zone \"%s\" has no gap or fold between "
                      "1800 and 2200", zi->name);
    const ambiguity *a =
        &zi->amb[gf_draw_int_toward(tc, 0, (int64_t)zi->namb - 1,
                                    (int64_t)zi->amb_nearest)];
    int64_t pos = (int64_t)gf_draw_uint(tc, 0, (uint64_t)a->len - 1);
    gf_local_time *v = out;
    memset(v, 0, sizeof *v);
    v->wall = wall_tm(a->wall + pos);
    v->count = gf_tz_local_to_utc(zi->tz, &v->wall, v->instants);
    if (v->count == 1) {
        /* Another transition inside the stretch: its first second is
         * known to be ambiguous. */
        v->wall = wall_tm(a->wall);
        v->count = gf_tz_local_to_utc(zi->tz, &v->wall, v->instants);
    }
}

static void print_local_time(gf_printer *p, const gf_gen *self,
                             const void *value)
{
    (void)self;
    const gf_local_time *v = value;
    const struct tm *w = &v->wall;
    gf_print(p,
             "{.wall = {.tm_year = %d, .tm_mon = %d, .tm_mday = %d, "
             ".tm_hour = %d, .tm_min = %d, .tm_sec = %d, .tm_isdst = -1}, "
             ".count = %d, .instants = {%" PRId64 ", %" PRId64 "}}",
             w->tm_year, w->tm_mon, w->tm_mday, w->tm_hour, w->tm_min,
             w->tm_sec, v->count, v->instants[0], v->instants[1]);
    gf_print(p, " /* %04lld-%02d-%02d %02d:%02d:%02d, in a %s */",
             (long long)w->tm_year + 1900, w->tm_mon + 1, w->tm_mday,
             w->tm_hour, w->tm_min, w->tm_sec,
             v->count == 0 ? "gap" : "fold");
}

const gf_gen *gf_ambiguous_local_time(const char *zone)
{
    return make_zone_gen("ambiguous_local_time", zone, sizeof(gf_local_time),
                         _Alignof(gf_local_time), GF_VALUE_OTHER,
                         draw_ambiguous, print_local_time);
}

/* ---- valid POSIX TZ strings ----------------------------------------------- */

/* Strings that break TZ parsers and evaluators, simplest first. */
static const char *const posix_notable[] = {
    "UTC0",
    "EST5EDT,M3.2.0,M11.1.0",
    "<+0545>-5:45",
    "IST-5:30",
    "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",   /* 30-minute DST */
    "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1",       /* negative rule times */
    "EST5EDT4,0/0,J365/25",                   /* DST all year */
    "IST-1GMT0,M10.5.0,M3.5.0/1",             /* negative DST */
    "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
    "<+14>-14",
    "<-12>12",
    "<-0930>9:30",
    "<+0845>-8:45",
    "GMT0BST,M3.5.0/1,M10.5.0",
    "CET-1CEST,M3.5.0,M10.5.0/3",
    "AEST-10AEDT,M10.1.0,M4.1.0/3",
    "<+00>0<+02>-2,M3.5.0/1,M10.5.0/3",       /* two-hour DST */
    "PST8PDT,J60,J300",                       /* Julian: March 1 */
    "<+0330>-3:30<+0430>,J79/24,J263/24",     /* 24:00 rule times */
    "EST5EDT",                                /* DST without rules */
    "XXX-24:00:00YYY,0,365",                  /* extreme offset, n rules */
    "<-000001>0:00:01",
    "AAA+0:00:01",
    "<+13>-13<+14>,M9.5.0/3,M4.1.0/4",
    "<-01>1<+00>0,M3.5.0/0,M10.5.0/1",
    "EST5EDT,M3.2.0/-167,M11.1.0/167",        /* the rule-time limits */
};

static const char *const posix_std_names[] = {
    "UTC", "EST", "CET", "IST", "<+0545>", "<-03>", "<+1030>", "GMT",
    "ABCDEFGHIJKLMNOP", "<UTC-12>", "<+00>", "aaa",
};
static const char *const posix_dst_names[] = {
    "EDT", "CEST", "<+11>", "<-02>", "BST", "<+0645>", "SUMMER", "<-00>",
};

/* Append [+-]h[:mm[:ss]] with hours in [0, max_hours]. */
static void append_hms(gf_case *tc, char *buf, size_t len, long max_hours)
{
    static const char *const signs[] = {"", "-", "+"};
    const char *sign = signs[gf_draw_uint(tc, 0, 2)];
    long h = (long)gf_draw_uint(tc, 0, (uint64_t)max_hours);
    size_t at = strlen(buf);
    snprintf(buf + at, len - at, "%s%ld", sign, h);
    if (gf_draw_bool(tc)) {
        static const int minutes[] = {0, 30, 45, 59, 15, 1};
        at = strlen(buf);
        snprintf(buf + at, len - at, ":%02d",
                 minutes[gf_draw_uint(tc, 0, COUNT(minutes) - 1)]);
        if (gf_draw_bool(tc)) {
            at = strlen(buf);
            snprintf(buf + at, len - at, ":%02d",
                     (int)gf_draw_uint(tc, 0, 59));
        }
    }
}

static void append_rule(gf_case *tc, char *buf, size_t len)
{
    size_t at = strlen(buf);
    switch (gf_draw_uint(tc, 0, 2)) {
    case 0: {
        /* Drawn in order, not as arguments (whose order is the
         * compiler's): month, week, day. */
        int month = (int)gf_draw_uint(tc, 1, 12);
        int week = (int)gf_draw_uint(tc, 1, 5);
        int day = (int)gf_draw_uint(tc, 0, 6);
        snprintf(buf + at, len - at, ",M%d.%d.%d", month, week, day);
        break;
    }
    case 1:
        snprintf(buf + at, len - at, ",J%d", (int)gf_draw_uint(tc, 1, 365));
        break;
    default:
        snprintf(buf + at, len - at, ",%d", (int)gf_draw_uint(tc, 0, 365));
        break;
    }
    if (gf_draw_bool(tc)) {
        at = strlen(buf);
        snprintf(buf + at, len - at, "/");
        append_hms(tc, buf, len, 167);
    }
}

/* A string assembled from parts; all-zero choices give "UTC0". */
static void build_posix(gf_case *tc, char *buf, size_t len)
{
    snprintf(buf, len, "%s",
             posix_std_names[gf_draw_uint(tc, 0,
                                          COUNT(posix_std_names) - 1)]);
    append_hms(tc, buf, len, 24);
    if (!gf_draw_bool(tc))
        return;
    size_t at = strlen(buf);
    snprintf(buf + at, len - at, "%s",
             posix_dst_names[gf_draw_uint(tc, 0,
                                          COUNT(posix_dst_names) - 1)]);
    if (gf_draw_bool(tc))
        append_hms(tc, buf, len, 24);
    if (gf_draw_weighted(tc, 0.8)) {
        append_rule(tc, buf, len);
        append_rule(tc, buf, len);
    }
}

#define POSIX_NOTABLE_WEIGHT 40 /* percent from the list, the rest built */

static void draw_posix(gf_case *tc, const gf_gen *self, void *out)
{
    (void)self;
    static const unsigned weights[2] = {POSIX_NOTABLE_WEIGHT,
                                        100 - POSIX_NOTABLE_WEIGHT};
    if (draw_weighted_index(tc, weights, 2) == 0) {
        *(char **)out = arena_string(
            tc, posix_notable[gf_draw_uint(tc, 0, COUNT(posix_notable) - 1)]);
        return;
    }
    char buf[160];
    build_posix(tc, buf, sizeof buf);
    *(char **)out = arena_string(tc, buf);
}

const gf_gen *gf_posix_tz(void)
{
    GEN_ONCE_RETURN(make_string_gen("posix_tz", draw_posix, 0, NULL));
}

/* ---- invalid POSIX TZ strings --------------------------------------------- */

static const char *const flaw_empty[] = {""};
static const char *const flaw_short_name[] = {
    "AB5", "A5", "<AB>5", "EST5DT", "<>0", "EST5ED,M3.2.0,M11.1.0",
    "EST5,M3.2.0,M11.1.0",
};
static const char *const flaw_bad_name[] = {
    "EST_5", "ES T5", "<+05:45>-5:45", "<UTC 1>1", "UTC!0",
    "\xC3\x89ST5", "EST5E_DT", "<EST.5>5",
};
static const char *const flaw_unclosed_quote[] = {
    "<+05-5", "<+0545", "EST5<EDT", "<-03>3<-02,M3.5.0/-2,M10.5.0/-1", "<",
};
static const char *const flaw_no_offset[] = {
    "EST", "<+0545>", "EST+", "EST-", "CET:30", "UTC:00",
};
static const char *const flaw_offset_range[] = {
    "EST25", "EST-25", "EST5:60", "EST5:00:60", "EST100", "EST5EDT25",
    "IST-5:300", "EST5EDT4:99",
};
static const char *const flaw_rule_range[] = {
    "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M0.1.0,M11.1.0",
    "EST5EDT,M3.6.0,M11.1.0",  "EST5EDT,M3.0.0,M11.1.0",
    "EST5EDT,M3.2.7,M11.1.0",  "EST5EDT,J0,J300",
    "EST5EDT,J366,J300",       "EST5EDT,366,300",
    "EST5EDT,M3.2,M11.1.0",    "EST5EDT,K3,M11.1.0",
};
static const char *const flaw_rule_time[] = {
    "EST5EDT,M3.2.0/168,M11.1.0", "EST5EDT,M3.2.0,M11.1.0/-168",
    "EST5EDT,M3.2.0/2:60,M11.1.0", "EST5EDT,M3.2.0/,M11.1.0",
    "EST5EDT,M3.2.0/1000,M11.1.0",
};
static const char *const flaw_one_rule[] = {
    "EST5EDT,M3.2.0", "EST5EDT,M3.2.0,", "EST5EDT,", "EST5EDT,J60",
};
static const char *const flaw_trailing[] = {
    "UTC0 ", "EST5EDT,M3.2.0,M11.1.0,", "UTC0\n", "EST5EDT,M3.2.0,M11.1.0x",
};
static const char *const flaw_zone_name[] = {
    ":Europe/London", "Europe/London", ":UTC", ":/etc/localtime",
    "America/New_York", "right/UTC", ":",
};

static const struct {
    const char *const *examples;
    size_t n;
} flaw_lists[GF_TZ_FLAW_COUNT] = {
    [GF_TZ_FLAW_EMPTY] = {flaw_empty, COUNT(flaw_empty)},
    [GF_TZ_FLAW_SHORT_NAME] = {flaw_short_name, COUNT(flaw_short_name)},
    [GF_TZ_FLAW_BAD_NAME] = {flaw_bad_name, COUNT(flaw_bad_name)},
    [GF_TZ_FLAW_UNCLOSED_QUOTE] = {flaw_unclosed_quote,
                                   COUNT(flaw_unclosed_quote)},
    [GF_TZ_FLAW_NO_OFFSET] = {flaw_no_offset, COUNT(flaw_no_offset)},
    [GF_TZ_FLAW_OFFSET_RANGE] = {flaw_offset_range, COUNT(flaw_offset_range)},
    [GF_TZ_FLAW_RULE_RANGE] = {flaw_rule_range, COUNT(flaw_rule_range)},
    [GF_TZ_FLAW_RULE_TIME] = {flaw_rule_time, COUNT(flaw_rule_time)},
    [GF_TZ_FLAW_ONE_RULE] = {flaw_one_rule, COUNT(flaw_one_rule)},
    [GF_TZ_FLAW_TRAILING] = {flaw_trailing, COUNT(flaw_trailing)},
    [GF_TZ_FLAW_ZONE_NAME] = {flaw_zone_name, COUNT(flaw_zone_name)},
};

/* Characters that end a valid string badly: none can continue one. */
static const char trailing_junk[] = " ;#.,\n";

static void draw_posix_invalid(gf_case *tc, const gf_gen *self, void *out)
{
    int64_t flaw = self->arg.i[0];
    if (flaw < 0 || flaw >= GF_TZ_FLAW_COUNT)
        gf_gen_misuse(tc, self, "flaw %" PRId64 " is not a gf_posix_tz_flaw",
                      flaw);
    if (flaw == GF_TZ_FLAW_ANY)
        flaw = (int64_t)gf_draw_uint(tc, 1, GF_TZ_FLAW_COUNT - 1);
    /* Half the trailing-junk strings are a drawn valid string plus a
     * character that cannot follow it. */
    if (flaw == GF_TZ_FLAW_TRAILING && gf_draw_bool(tc)) {
        char buf[170];
        build_posix(tc, buf, sizeof buf - 2);
        size_t at = strlen(buf);
        buf[at] = trailing_junk[gf_draw_uint(tc, 0,
                                             sizeof trailing_junk - 2)];
        buf[at + 1] = '\0';
        *(char **)out = arena_string(tc, buf);
        return;
    }
    /* Out-of-range offsets and rule times beyond the list. */
    if (flaw == GF_TZ_FLAW_OFFSET_RANGE && gf_draw_bool(tc)) {
        *(char **)out = gf_sprintf(tc, "EST%d", (int)gf_draw_uint(tc, 25, 99));
        return;
    }
    if (flaw == GF_TZ_FLAW_RULE_TIME && gf_draw_bool(tc)) {
        *(char **)out = gf_sprintf(tc, "EST5EDT,M3.2.0/%d,M11.1.0",
                                   (int)gf_draw_uint(tc, 168, 999));
        return;
    }
    const char *const *list = flaw_lists[flaw].examples;
    size_t n = flaw_lists[flaw].n;
    *(char **)out = arena_string(tc, list[gf_draw_uint(tc, 0, n - 1)]);
}

const gf_gen *gf_posix_tz_invalid(gf_posix_tz_flaw flaw)
{
    char name[64];
    snprintf(name, sizeof name, "posix_tz_invalid(%d)", (int)flaw);
    GEN_MEMO_RETURN(gf_posix_tz_invalid, flaw, 0, 0,
                    make_string_gen(name, draw_posix_invalid, flaw, NULL));
}
