/*
 * time.c - calendar generators: instants, struct tm, UTC offsets, ISO-8601
 * and RFC 3339 strings (valid ones, and invalid ones by named flaw), the
 * parsers that judge those strings, and a fake clock.
 *
 * Dates are proleptic Gregorian and computed here from day counts, for any
 * int64_t year; nothing reads the host's timezone, calls setenv("TZ") or
 * relies on gmtime_r, so the values are the same on every machine.
 *
 * Each generator puts its simplest choice first: "named edge?" choices are
 * false when simplest and numeric draws shrink toward the epoch, so a
 * failing value shrinks toward 1970-01-01T00:00:00Z.  The tables of edges
 * are the bias; docs/time.md lists them and tests/test_time.c counts them.
 *
 * Like every generator family, this file uses only the public draw API and
 * builds every generator through gf_gen_intern.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <gadfly.h>
#include <gadfly/gen.h>
#include <gadfly/time.h>

#include "cache.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define SECONDS_PER_DAY 86400
#define NS_PER_SECOND 1000000000

/* ---- civil arithmetic --------------------------------------------------- */

/* Floor division and modulo, for day counts and instants before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* For b > 0; never overflows, even for INT64_MIN. */
static int64_t floor_mod(int64_t a, int64_t b)
{
    int64_t r = a % b;
    return r < 0 ? r + b : r;
}

/*
 * Days since 1970-01-01.  The year is counted from March, so the leap day
 * is the last day of its year; 400-year eras of 146097 days each make the
 * rest plain arithmetic (the algorithm is Howard Hinnant's).
 */
int64_t gf_days_from_civil(int64_t year, int month, int day)
{
    int64_t y = year - (month <= 2);
    int64_t era = floor_div(y, 400);
    int64_t year_of_era = y - era * 400;             /* 0..399 */
    int64_t march_month = (month + 9) % 12;          /* March = 0 */
    int64_t day_of_year = (153 * march_month + 2) / 5 + day - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 -
                         year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

void gf_civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t day_of_era = z - era * 146097;           /* 0..146096 */
    int64_t year_of_era = (day_of_era - day_of_era / 1460 +
                           day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 -
                                        year_of_era / 100);
    int64_t march_month = (5 * day_of_year + 2) / 153;
    int d = (int)(day_of_year - (153 * march_month + 2) / 5 + 1);
    int m = (int)(march_month < 10 ? march_month + 3 : march_month - 9);
    *year = year_of_era + era * 400 + (m <= 2);
    *month = m;
    *day = d;
}

bool gf_is_leap_year(int64_t year)
{
    return floor_mod(year, 4) == 0 &&
           (floor_mod(year, 100) != 0 || floor_mod(year, 400) == 0);
}

int gf_days_in_month(int64_t year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && gf_is_leap_year(year) ? 29 : days[month - 1];
}

/* ISO weekday of a day count: Monday 1 .. Sunday 7 (1970-01-01 was a
 * Thursday). */
static int iso_weekday(int64_t days)
{
    return (int)floor_mod(days + 3, 7) + 1;
}

/* The day count of Monday of ISO week 1 of `year`: the week holding
 * January 4th. */
static int64_t iso_week_one(int64_t year)
{
    int64_t jan4 = gf_days_from_civil(year, 1, 4);
    return jan4 - (iso_weekday(jan4) - 1);
}

/* 53 if the ISO year has a week 53 (it starts on a Thursday, or is a leap
 * year starting on a Wednesday), else 52. */
static int iso_weeks_in_year(int64_t year)
{
    return (int)((iso_week_one(year + 1) - iso_week_one(year)) / 7);
}

/* ---- civil times -------------------------------------------------------- */

typedef struct civil_time {
    int64_t year;
    int month, day, hour, minute, second;
} civil_time;

/* Days and seconds of a civil time read as UTC (second 60 counts on). */
static int64_t civil_to_seconds(const civil_time *t)
{
    return gf_days_from_civil(t->year, t->month, t->day) * SECONDS_PER_DAY +
           t->hour * 3600 + t->minute * 60 + t->second;
}

static civil_time civil_from_seconds(int64_t s)
{
    civil_time t;
    int64_t days = floor_div(s, SECONDS_PER_DAY);
    int64_t rest = floor_mod(s, SECONDS_PER_DAY);
    gf_civil_from_days(days, &t.year, &t.month, &t.day);
    t.hour = (int)(rest / 3600);
    t.minute = (int)(rest / 60 % 60);
    t.second = (int)(rest % 60);
    return t;
}

/* Shift a civil time's minutes by `minutes`, carrying into the date; the
 * seconds field (possibly 60) is left alone. */
static civil_time civil_add_minutes(civil_time t, int64_t minutes)
{
    int64_t m = gf_days_from_civil(t.year, t.month, t.day) * 1440 +
                t.hour * 60 + t.minute + minutes;
    int64_t days = floor_div(m, 1440);
    int64_t in_day = m - days * 1440;
    gf_civil_from_days(days, &t.year, &t.month, &t.day);
    t.hour = (int)(in_day / 60);
    t.minute = (int)(in_day % 60);
    return t;
}

/*
 * Calendar edges, simplest first: the epoch, the second before it, leap
 * days, the non-leap century Feb 28ths, year ends, leap seconds as they
 * were inserted (23:59:60 UTC), the 32-bit rollovers, the first Gregorian
 * day and the ends of four-digit years.  All are valid.
 */
static const civil_time calendar_edges[] = {
    {1970, 1, 1, 0, 0, 0},
    {1969, 12, 31, 23, 59, 59},
    {2000, 2, 29, 12, 0, 0},
    {2024, 2, 29, 0, 0, 0},
    {1900, 2, 28, 23, 59, 59},
    {2100, 2, 28, 23, 59, 59},
    {1900, 3, 1, 0, 0, 0},
    {2100, 3, 1, 0, 0, 0},
    {1999, 12, 31, 23, 59, 59},
    {2000, 1, 1, 0, 0, 0},
    {2000, 12, 31, 23, 59, 59},
    {2024, 12, 31, 23, 59, 59},
    {2016, 12, 31, 23, 59, 60},
    {2015, 6, 30, 23, 59, 60},
    {1972, 6, 30, 23, 59, 60},
    {2038, 1, 19, 3, 14, 7},
    {2038, 1, 19, 3, 14, 8},
    {1901, 12, 13, 20, 45, 52},
    {2106, 2, 7, 6, 28, 15},
    {1582, 10, 15, 0, 0, 0},
    {1, 1, 1, 0, 0, 0},
    {0, 1, 1, 0, 0, 0},
    {9999, 12, 31, 23, 59, 59},
};
/* gf_tm also reaches the ends of what tm_year can hold. */
static const civil_time tm_year_edges[] = {
    {(int64_t)INT_MAX + 1900, 12, 31, 23, 59, 59},
    {(int64_t)INT_MIN + 1900, 1, 1, 0, 0, 0},
};

/* Years that break calendar code, 1970 first; the ones past 9999 only for
 * gf_tm (strings have four-digit years). */
static const int64_t year_edges[] = {
    1970, 2000, 1900, 2100, 2024, 1969, 2038, 2020, 1600, 2400,
    1, 0, 9999, 1582, 2106,
    /* gf_tm only: */
    10000, -1, (int64_t)INT_MAX + 1900, (int64_t)INT_MIN + 1900,
};
#define YEAR_EDGES_4DIGIT 15

#define NAMED_DATE_P 0.25
#define EDGE_YEAR_P 0.2
#define MONTH_END_P 0.25

/*
 * Every biased choice below draws its ordinary value first and the "edge?"
 * choice after it, and the edge's index only when the edge is taken.  So a
 * value always has the same shape, and turning an edge off deletes one
 * choice and leaves an ordinary value already drawn: the shrinker moves
 * from an edge to an ordinary value, and from there toward the epoch,
 * without ever needing a longer choice sequence.
 */

/* A date in [1900, 2100] (or an edge year), day biased to month ends. */
static void draw_plain_date(gf_case *tc, bool four_digit, civil_time *t)
{
    size_t nyears = four_digit ? YEAR_EDGES_4DIGIT : COUNT(year_edges);
    t->year = gf_draw_int_toward(tc, 1900, 2100, 1970);
    if (gf_draw_weighted(tc, EDGE_YEAR_P))
        t->year = year_edges[gf_draw_uint(tc, 0, nyears - 1)];
    t->month = (int)gf_draw_int(tc, 1, 12);
    int dim = gf_days_in_month(t->year, t->month);
    t->day = (int)gf_draw_int(tc, 1, dim);
    if (gf_draw_weighted(tc, MONTH_END_P))
        t->day = dim;
}

/* A valid civil time: a plain date and time of day (the second drawn up to
 * max_second: 60 lets leap seconds anywhere), or a named edge. */
static civil_time draw_civil(gf_case *tc, bool four_digit, int max_second)
{
    civil_time t;
    draw_plain_date(tc, four_digit, &t);
    t.hour = (int)gf_draw_int(tc, 0, 23);
    t.minute = (int)gf_draw_int(tc, 0, 59);
    t.second = (int)gf_draw_int(tc, 0, max_second);
    if (gf_draw_weighted(tc, NAMED_DATE_P)) {
        size_t n = COUNT(calendar_edges) +
                   (four_digit ? 0 : COUNT(tm_year_edges));
        size_t i = gf_draw_uint(tc, 0, n - 1);
        t = i < COUNT(calendar_edges)
                ? calendar_edges[i]
                : tm_year_edges[i - COUNT(calendar_edges)];
    }
    return t;
}

/* Print a year the way ISO 8601 extends it: four digits, or a sign and
 * more digits outside 0000..9999. */
static void print_year(gf_printer *p, int64_t year)
{
    if (year >= 0 && year <= 9999)
        gf_print(p, "%04" PRId64, year);
    else if (year > 9999)
        gf_print(p, "+%" PRId64, year);
    else
        gf_print(p, "-%04" PRIu64, (uint64_t)0 - (uint64_t)year);
}

/* ---- instants ----------------------------------------------------------- */

/*
 * The edges of instants, 0 first.  Each is a boundary some code has: the
 * 32-bit time_t (signed and unsigned), the last second of four-digit years,
 * years 1 and 0, glibc's gmtime_r limits (tm_year is an int), and int64_t.
 */
static const int64_t instant_edges[] = {
    0,
    1,
    -1,
    INT32_MAX,                 /* 2038-01-19T03:14:07Z */
    (int64_t)INT32_MAX + 1,
    INT32_MIN,                 /* 1901-12-13T20:45:52Z */
    (int64_t)INT32_MIN - 1,
    UINT32_MAX,                /* 2106-02-07T06:28:15Z */
    (int64_t)UINT32_MAX + 1,
    253402300799,              /* 9999-12-31T23:59:59Z */
    253402300800,              /* 10000-01-01T00:00:00Z */
    -62135596800,              /* 0001-01-01T00:00:00Z */
    -62167219200,              /* 0000-01-01T00:00:00Z */
    -62167219201,
    67768036191676799,         /* the last second gmtime_r answers */
    67768036191676800,
    -67768040609740800,        /* the first second gmtime_r answers */
    -67768040609740801,
    951782400,                 /* 2000-02-29T00:00:00Z */
    946684799,                 /* 1999-12-31T23:59:59Z */
    1483228799,                /* 2016-12-31T23:59:59Z, before a leap second */
    -2208988800,               /* 1900-01-01T00:00:00Z */
    4102444800,                /* 2100-01-01T00:00:00Z */
    INT64_MAX,
    INT64_MIN,
};

#define INSTANT_1900 (-2208988800)
#define INSTANT_2100_END (4133980799) /* 2100-12-31T23:59:59Z */

#define INSTANT_YEAR1 (-62135596800)    /* 0001-01-01T00:00:00Z */
#define INSTANT_9999_END (253402300799) /* 9999-12-31T23:59:59Z */

#define INSTANT_EDGE_P 0.3
#define INSTANT_ANY_P 0.2
#define INSTANT_FAR_P 0.3
#define INSTANT_PAST_P 0.25

static int64_t draw_instant_value(gf_case *tc)
{
    /* What the case should hold: an edge, any int64, an instant far in
     * the future or past, or one of 1900..2100 (always the same choices,
     * so that they stay aligned as they shrink).  The instant itself is then one choice suggested that
     * value: a failure found at an edge shrinks from the edge toward the
     * epoch, not only to edges. */
    int64_t ordinary = gf_draw_int(tc, INSTANT_1900, INSTANT_2100_END);
    bool edge = gf_draw_weighted(tc, INSTANT_EDGE_P);
    uint64_t k = gf_draw_uint(tc, 0, COUNT(instant_edges) - 1);
    bool any = gf_draw_weighted(tc, INSTANT_ANY_P);
    int64_t wide = gf_draw_int(tc, INT64_MIN, INT64_MAX);
    /* Far from now: 2038..9999, where 32-bit code wraps and zones follow
     * their POSIX rule, leaning toward 2038 (the range's simplest end);
     * or 0001..1899, before standard time. */
    bool far = gf_draw_weighted(tc, INSTANT_FAR_P);
    bool past = gf_draw_weighted(tc, INSTANT_PAST_P);
    int64_t far_value =
        past ? gf_draw_int_toward(tc, INSTANT_YEAR1, INSTANT_1900 - 1,
                                  INSTANT_1900 - 1)
             : gf_draw_int(tc, (int64_t)INT32_MAX + 1, INSTANT_9999_END);
    int64_t want = edge ? instant_edges[k] : any ? wide
                 : far ? far_value : ordinary;
    return gf_draw_int_suggested(tc, INT64_MIN, INT64_MAX, want);
}

/* The limits of the host's time_t (an integer type on every POSIX host). */
static int64_t time_t_max(void)
{
    if (sizeof(time_t) >= sizeof(int64_t))
        return INT64_MAX;
    return (int64_t)((UINT64_C(1) << (sizeof(time_t) * 8 - 1)) - 1);
}

static int64_t time_t_min(void)
{
    return -time_t_max() - 1;
}

static void draw_instant(gf_case *tc, const gf_gen *self, void *out)
{
    (void)self;
    *(int64_t *)out = draw_instant_value(tc);
}

static void draw_time_t(gf_case *tc, const gf_gen *self, void *out)
{
    (void)self;
    int64_t v = draw_instant_value(tc);
    if (v > time_t_max())
        v = time_t_max();
    if (v < time_t_min())
        v = time_t_min();
    *(time_t *)out = (time_t)v;
}

/* The value, then the instant it names as a comment: a C expression that
 * reads as a date. */
static void print_instant_value(gf_printer *p, int64_t v)
{
    if (v == INT64_MIN)
        gf_print(p, "INT64_MIN");
    else
        gf_print(p, "%" PRId64, v);
    civil_time t = civil_from_seconds(v);
    gf_print(p, " /* ");
    print_year(p, t.year);
    gf_print(p, "-%02d-%02dT%02d:%02d:%02dZ */", t.month, t.day, t.hour,
             t.minute, t.second);
}

static void print_instant(gf_printer *p, const gf_gen *self,
                          const void *value)
{
    (void)self;
    print_instant_value(p, *(const int64_t *)value);
}

static void print_time_t(gf_printer *p, const gf_gen *self,
                         const void *value)
{
    (void)self;
    print_instant_value(p, (int64_t)*(const time_t *)value);
}

static const gf_gen *build_instant(void)
{
    gf_gen t = {
        .name = "instant",
        .size = sizeof(int64_t),
        .align = _Alignof(int64_t),
        .kind = GF_VALUE_I64,
        .label = gf_span_label("instant"),
        .draw = draw_instant,
        .print = print_instant,
    };
    return gf_gen_intern(&t);
}

const gf_gen *gf_instant(void)
{
    GEN_ONCE_RETURN(build_instant());
}

static const gf_gen *build_time_t(void)
{
    gf_gen t = {
        .name = "time_t",
        .size = sizeof(time_t),
        .align = _Alignof(time_t),
        .kind = sizeof(time_t) == 8 ? GF_VALUE_I64 : GF_VALUE_I32,
        .label = gf_span_label("time_t"),
        .draw = draw_time_t,
        .print = print_time_t,
    };
    return gf_gen_intern(&t);
}

const gf_gen *gf_time_t(void)
{
    GEN_ONCE_RETURN(build_time_t());
}

/* ---- struct tm ---------------------------------------------------------- */

static void tm_from_civil(const civil_time *t, struct tm *tm)
{
    memset(tm, 0, sizeof *tm);
    int64_t days = gf_days_from_civil(t->year, t->month, t->day);
    tm->tm_year = (int)(t->year - 1900);
    tm->tm_mon = t->month - 1;
    tm->tm_mday = t->day;
    tm->tm_hour = t->hour;
    tm->tm_min = t->minute;
    tm->tm_sec = t->second;
    tm->tm_wday = iso_weekday(days) % 7;
    tm->tm_yday = (int)(days - gf_days_from_civil(t->year, 1, 1));
    tm->tm_isdst = 0;
}

static void draw_tm(gf_case *tc, const gf_gen *self, void *out)
{
    (void)self;
    civil_time t = draw_civil(tc, false, 60);
    tm_from_civil(&t, out);
}

static void print_int_field(gf_printer *p, const char *name, int v,
                            bool last)
{
    if (v == INT_MIN)
        gf_print(p, ".%s = INT_MIN", name);
    else
        gf_print(p, ".%s = %d", name, v);
    gf_print(p, last ? "}" : ", ");
}

static void print_tm_fields(gf_printer *p, const struct tm *tm)
{
    gf_print(p, "(struct tm){");
    print_int_field(p, "tm_year", tm->tm_year, false);
    print_int_field(p, "tm_mon", tm->tm_mon, false);
    print_int_field(p, "tm_mday", tm->tm_mday, false);
    print_int_field(p, "tm_hour", tm->tm_hour, false);
    print_int_field(p, "tm_min", tm->tm_min, false);
    print_int_field(p, "tm_sec", tm->tm_sec, false);
    print_int_field(p, "tm_wday", tm->tm_wday, false);
    print_int_field(p, "tm_yday", tm->tm_yday, false);
    print_int_field(p, "tm_isdst", tm->tm_isdst, true);
}

/* A valid tm also shows its date, as a comment. */
static void print_tm(gf_printer *p, const gf_gen *self, const void *value)
{
    (void)self;
    const struct tm *tm = value;
    print_tm_fields(p, tm);
    gf_print(p, " /* ");
    print_year(p, (int64_t)tm->tm_year + 1900);
    gf_print(p, "-%02d-%02d %02d:%02d:%02d */", tm->tm_mon + 1, tm->tm_mday,
             tm->tm_hour, tm->tm_min, tm->tm_sec);
}

static void print_tm_unnormalized(gf_printer *p, const gf_gen *self,
                                  const void *value)
{
    (void)self;
    print_tm_fields(p, value);
}

/*
 * Out-of-range struct tm values that normalisers must handle, after the
 * epoch: dates past their month's end, fields one past either end, and
 * fields at the ends of int.
 */
typedef struct raw_tm {
    int year, mon, mday, hour, min, sec;
} raw_tm;

static const raw_tm raw_tm_edges[] = {
    {70, 0, 1, 0, 0, 0},          /* 1970-01-01 00:00:00 */
    {0, 1, 29, 0, 0, 0},          /* Feb 29 1900: not a leap year */
    {200, 1, 29, 0, 0, 0},        /* Feb 29 2100: not a leap year */
    {124, 1, 30, 0, 0, 0},        /* Feb 30 2024 */
    {123, 3, 31, 0, 0, 0},        /* Apr 31 */
    {124, 12, 1, 0, 0, 0},        /* tm_mon 12: Jan 2025 */
    {124, 2, 0, 0, 0, 0},         /* tm_mday 0: Feb 29 2024 */
    {123, 2, 0, 0, 0, 0},         /* tm_mday 0: Feb 28 2023 */
    {124, -1, 1, 0, 0, 0},        /* tm_mon -1: Dec 2023 */
    {124, 11, 31, 24, 0, 0},      /* Dec 31 24:00: Jan 1 */
    {124, 11, 31, 23, 59, 60},    /* a leap second */
    {124, 11, 31, 23, 59, 61},    /* one past it */
    {124, 0, 1, 0, 0, -1},        /* the second before Jan 1 */
    {124, 0, 1, 0, -1, 0},
    {124, 0, 1, -1, 0, 0},
    {124, 0, -1, 0, 0, 0},
    {124, 0, 1, 0, 0, INT_MAX},
    {124, 0, 1, 0, 0, INT_MIN},
    {INT_MAX, 11, 31, 23, 59, 59},
    {INT_MAX, 12, 1, 0, 0, 0},    /* tm_year overflows as it carries */
    {INT_MIN, -1, 1, 0, 0, 0},
    {INT_MAX, INT_MAX, INT_MAX, INT_MAX, INT_MAX, INT_MAX},
    {INT_MIN, INT_MIN, INT_MIN, INT_MIN, INT_MIN, INT_MIN},
};

#define FIELD_OUTSIDE_P 0.2
#define FIELD_ANY_P 0.1

/* One field: in range (toward `simplest`), or one step outside either end,
 * or any int. */
static int draw_field(gf_case *tc, int lo, int hi, int simplest)
{
    int v = (int)gf_draw_int_toward(tc, lo, hi, simplest);
    if (gf_draw_weighted(tc, FIELD_OUTSIDE_P))
        return gf_draw_bool(tc) ? lo - 1 : hi + 1;
    if (gf_draw_weighted(tc, FIELD_ANY_P))
        return (int)gf_draw_int(tc, INT_MIN, INT_MAX);
    return v;
}

static void draw_tm_unnormalized(gf_case *tc, const gf_gen *self, void *out)
{
    (void)self;
    struct tm *tm = out;
    memset(tm, 0, sizeof *tm);
    if (gf_draw_weighted(tc, NAMED_DATE_P)) {
        const raw_tm *r = &raw_tm_edges[gf_draw_uint(tc, 0,
                                                     COUNT(raw_tm_edges) - 1)];
        tm->tm_year = r->year;
        tm->tm_mon = r->mon;
        tm->tm_mday = r->mday;
        tm->tm_hour = r->hour;
        tm->tm_min = r->min;
        tm->tm_sec = r->sec;
    } else {
        tm->tm_year = draw_field(tc, 0, 200, 70);
        tm->tm_mon = draw_field(tc, 0, 11, 0);
        tm->tm_mday = draw_field(tc, 1, 31, 1);
        tm->tm_hour = draw_field(tc, 0, 23, 0);
        tm->tm_min = draw_field(tc, 0, 59, 0);
        tm->tm_sec = draw_field(tc, 0, 60, 0);
    }
    /* Fields a normaliser must recompute, not trust. */
    tm->tm_wday = draw_field(tc, 0, 6, 0);
    tm->tm_yday = draw_field(tc, 0, 365, 0);
    tm->tm_isdst = (int)gf_draw_int(tc, -1, 1);
}

static const gf_gen *make_tm(const char *name, gf_gen_draw_fn draw,
                             gf_gen_print_fn print)
{
    gf_gen t = {
        .name = name,
        .size = sizeof(struct tm),
        .align = _Alignof(struct tm),
        .label = gf_span_label(name),
        .draw = draw,
        .print = print,
    };
    return gf_gen_intern(&t);
}

static const gf_gen *build_tm(void)
{
    return make_tm("tm", draw_tm, print_tm);
}

const gf_gen *gf_tm(void)
{
    GEN_ONCE_RETURN(build_tm());
}

static const gf_gen *build_tm_unnormalized(void)
{
    return make_tm("tm_unnormalized", draw_tm_unnormalized,
                   print_tm_unnormalized);
}

const gf_gen *gf_tm_unnormalized(void)
{
    GEN_ONCE_RETURN(build_tm_unnormalized());
}

/* ---- UTC offsets -------------------------------------------------------- */

/* Offsets in use, in minutes, that catch parsers assuming whole hours, and
 * the extremes in use. */
static const int32_t offset_edges[] = {
    345,  /* +05:45 Nepal */
    330,  /* +05:30 India */
    525,  /* +08:45 Eucla */
    765,  /* +12:45 Chatham Islands */
    825,  /* +13:45 Chatham Islands, summer */
    -570, /* -09:30 Marquesas */
    -210, /* -03:30 Newfoundland */
    -150, /* -02:30 Newfoundland, summer */
    210,  /* +03:30 Iran */
    270,  /* +04:30 Afghanistan */
    390,  /* +06:30 Myanmar */
    570,  /* +09:30 Australian Central */
    630,  /* +10:30 Lord Howe Island */
    840,  /* +14:00 Line Islands */
    -720, /* -12:00 Baker Island */
    780,  /* +13:00 Tonga */
};
#define OFFSET_EDGE_P 0.3
#define OFFSET_MAX 1439

static int32_t draw_offset_value(gf_case *tc)
{
    int32_t v = (int32_t)gf_draw_int(tc, -OFFSET_MAX, OFFSET_MAX);
    if (gf_draw_weighted(tc, OFFSET_EDGE_P))
        return offset_edges[gf_draw_uint(tc, 0, COUNT(offset_edges) - 1)];
    return v;
}

static void draw_utc_offset(gf_case *tc, const gf_gen *self, void *out)
{
    (void)self;
    *(int32_t *)out = draw_offset_value(tc);
}

static void print_utc_offset(gf_printer *p, const gf_gen *self,
                             const void *value)
{
    (void)self;
    int32_t v = *(const int32_t *)value;
    uint32_t a = v < 0 ? (uint32_t)-v : (uint32_t)v;
    gf_print(p, "%" PRId32 " /* %c%02u:%02u */", v, v < 0 ? '-' : '+',
             (unsigned)(a / 60), (unsigned)(a % 60));
}

static const gf_gen *build_utc_offset(void)
{
    gf_gen t = {
        .name = "utc_offset",
        .size = sizeof(int32_t),
        .align = _Alignof(int32_t),
        .kind = GF_VALUE_I32,
        .label = gf_span_label("utc_offset"),
        .draw = draw_utc_offset,
        .print = print_utc_offset,
    };
    return gf_gen_intern(&t);
}

const gf_gen *gf_utc_offset(void)
{
    GEN_ONCE_RETURN(build_utc_offset());
}

/* How an offset is spelled. */
typedef enum offset_style {
    STYLE_Z,        /* "Z" (offset 0 only) */
    STYLE_LOWER_Z,  /* "z" */
    STYLE_PLUS,     /* "+00:00" */
    STYLE_UNKNOWN,  /* "-00:00" */
    STYLE_NUMERIC,  /* "+hh:mm", "-hh:mm" for non-zero offsets */
} offset_style;

typedef struct offset_spec {
    int32_t minutes;
    offset_style style;
} offset_spec;

/* A drawn offset and how it is written; zero has four spellings.  The
 * spelling is drawn whatever the offset, so the shape stays the same. */
static offset_spec draw_offset_spec(gf_case *tc)
{
    offset_spec o = {draw_offset_value(tc), STYLE_NUMERIC};
    offset_style zero = (offset_style)gf_draw_uint(tc, STYLE_Z, STYLE_UNKNOWN);
    if (o.minutes == 0)
        o.style = zero;
    return o;
}

/* ---- building strings --------------------------------------------------- */

/* A string under construction, in a fixed buffer (every date-time fits). */
typedef struct strbuf {
    char s[128];
    size_t len;
} strbuf;

static void sb_printf(strbuf *b, const char *fmt, ...) GF_PRINTF(2, 3);
static void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->s + b->len, sizeof b->s - b->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        b->len += (size_t)n < sizeof b->s - b->len ? (size_t)n
                                                  : sizeof b->s - b->len - 1;
}

/* Append an offset; `extended` puts a colon between hours and minutes,
 * hour_only drops the minutes (ISO "+05"). */
static void sb_offset(strbuf *b, offset_spec o, bool extended,
                      bool hour_only)
{
    switch (o.style) {
    case STYLE_Z: sb_printf(b, "Z"); return;
    case STYLE_LOWER_Z: sb_printf(b, "z"); return;
    case STYLE_PLUS: sb_printf(b, hour_only ? "+00" : extended ? "+00:00" : "+0000"); return;
    case STYLE_UNKNOWN: sb_printf(b, "-00:00"); return;
    case STYLE_NUMERIC: break;
    }
    int32_t a = o.minutes < 0 ? -o.minutes : o.minutes;
    sb_printf(b, "%c%02d", o.minutes < 0 ? '-' : '+', (int)(a / 60));
    if (!hour_only)
        sb_printf(b, extended ? ":%02d" : "%02d", (int)(a % 60));
}

/* A fraction of 1..9 digits, or none. */
typedef struct fraction {
    int digits;    /* 0: none */
    uint32_t value;
} fraction;

#define FRACTION_P 0.3

static const uint32_t pow10_table[10] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
    1000000000,
};

static fraction draw_fraction(gf_case *tc)
{
    fraction f = {0, 0};
    if (gf_draw_weighted(tc, FRACTION_P)) {
        f.digits = (int)gf_draw_int(tc, 1, 9);
        f.value = (uint32_t)gf_draw_uint(tc, 0, pow10_table[f.digits] - 1);
    }
    return f;
}

static void sb_fraction(strbuf *b, fraction f, char mark)
{
    if (f.digits > 0)
        sb_printf(b, "%c%0*" PRIu32, mark, f.digits, f.value);
}

/* The pieces of an RFC 3339 date-time, before they are written. */
typedef struct rfc_parts {
    civil_time t;   /* local time */
    fraction frac;
    offset_spec offset;
    char t_mark;    /* 'T' or 't' */
    int offset_minute_text; /* -1, or the minute to write (a flaw) */
} rfc_parts;

#define LEAP_SECOND_P 0.1
#define LOWER_T_P 0.1

/*
 * A leap second as RFC 3339 writes it: 23:59:60 UTC on the last day of the
 * drawn date's month, moved into the offset's local time
 * ("1990-12-31T15:59:60-08:00").  When the local date would leave
 * four-digit years, the offset is made zero.
 */
static void make_leap_second(rfc_parts *r)
{
    civil_time utc = r->t;
    utc.day = gf_days_in_month(utc.year, utc.month);
    utc.hour = 23;
    utc.minute = 59;
    utc.second = 60;
    r->t = civil_add_minutes(utc, r->offset.minutes);
    if (r->t.year < 0 || r->t.year > 9999) {
        r->offset.minutes = 0;
        r->offset.style = STYLE_Z;
        r->t = utc;
    }
}

static rfc_parts draw_rfc_parts(gf_case *tc)
{
    rfc_parts r;
    r.t = draw_civil(tc, true, 59);
    r.offset = draw_offset_spec(tc);
    if (r.t.second == 60) {
        /* A named leap second is in UTC: keep its offset zero. */
        r.offset.minutes = 0;
        if (r.offset.style == STYLE_NUMERIC)
            r.offset.style = STYLE_Z;
    }
    if (gf_draw_weighted(tc, LEAP_SECOND_P))
        make_leap_second(&r);
    r.frac = draw_fraction(tc);
    r.t_mark = gf_draw_weighted(tc, LOWER_T_P) ? 't' : 'T';
    r.offset_minute_text = -1;
    return r;
}

static void format_rfc(strbuf *b, const rfc_parts *r)
{
    b->len = 0;
    b->s[0] = '\0';
    sb_printf(b, "%04d-%02d-%02d%c%02d:%02d:%02d", (int)r->t.year,
              r->t.month, r->t.day, r->t_mark, r->t.hour, r->t.minute,
              r->t.second);
    sb_fraction(b, r->frac, '.');
    if (r->offset_minute_text >= 0) {
        int32_t a = r->offset.minutes < 0 ? -r->offset.minutes
                                          : r->offset.minutes;
        sb_printf(b, "%c%02d:%02d", r->offset.minutes < 0 ? '-' : '+',
                  (int)(a / 60), r->offset_minute_text);
    } else {
        sb_offset(b, r->offset, true, false);
    }
}

static void print_text(gf_printer *p, const gf_gen *self, const void *value)
{
    (void)self;
    const char *s = *(char *const *)value;
    gf_print_string(p, s, s ? strlen(s) : 0);
}

static const gf_gen *make_text(const char *name, gf_gen_draw_fn draw,
                               unsigned flaws)
{
    gf_gen t = {
        .name = name,
        .size = sizeof(char *),
        .align = _Alignof(char *),
        .flags = GF_GEN_POINTER_VALUE | GF_GEN_TEXT,
        .kind = GF_VALUE_POINTER,
        .label = gf_span_label(name),
        .draw = draw,
        .print = print_text,
    };
    t.arg.u[0] = flaws;
    return gf_gen_intern(&t);
}

static void draw_utc_offset_text(gf_case *tc, const gf_gen *self, void *out)
{
    (void)self;
    strbuf b = {.len = 0};
    sb_offset(&b, draw_offset_spec(tc), true, false);
    *(char **)out = gf_memdup(tc, b.s, b.len + 1);
}

static const gf_gen *build_utc_offset_text(void)
{
    return make_text("utc_offset_text", draw_utc_offset_text, 0);
}

const gf_gen *gf_utc_offset_text(void)
{
    GEN_ONCE_RETURN(build_utc_offset_text());
}

static void draw_rfc3339(gf_case *tc, const gf_gen *self, void *out)
{
    (void)self;
    rfc_parts r = draw_rfc_parts(tc);
    strbuf b;
    format_rfc(&b, &r);
    *(char **)out = gf_memdup(tc, b.s, b.len + 1);
}

static const gf_gen *build_rfc3339(void)
{
    return make_text("rfc3339", draw_rfc3339, 0);
}

const gf_gen *gf_rfc3339(void)
{
    GEN_ONCE_RETURN(build_rfc3339());
}

/* ---- ISO 8601 ----------------------------------------------------------- */

enum iso_date_form { ISO_CALENDAR, ISO_WEEK, ISO_ORDINAL };
enum iso_precision { ISO_SECONDS, ISO_MINUTES, ISO_HOURS };
enum iso_zone { ISO_ZONE_OFFSET, ISO_ZONE_HOURS, ISO_ZONE_NONE };

#define ISO_BASIC_P 0.3
#define ISO_DATE_ONLY_P 0.15
#define ISO_MIDNIGHT_24_P 0.08
#define ISO_COMMA_P 0.3
#define ISO_LAST_WEEK_P 0.3
#define ISO_LAST_DAY_P 0.3

/* Years with an ISO week 53 (and 1970, which has one too). */
static const int64_t week53_years[] = {1970, 2020, 2015, 2026, 2004, 2009,
                                       1976, 2032, 1981};

/* The ISO week date of a day count: week-year, week 1..53, weekday 1..7. */
static void iso_week_date(int64_t days, int64_t *year, int *week, int *wday)
{
    int64_t y;
    int month, day;
    gf_civil_from_days(days, &y, &month, &day);
    if (days < iso_week_one(y))
        y--;
    else if (days >= iso_week_one(y + 1))
        y++;
    *year = y;
    *week = (int)((days - iso_week_one(y)) / 7) + 1;
    *wday = iso_weekday(days);
}

/*
 * Write t's date as a calendar, week or ordinal date.  Unless keep_date
 * (a leap second needs its own date), the week and ordinal forms are
 * biased to their last week or day, and t's date moves there.
 */
static void sb_iso_date(gf_case *tc, strbuf *b, civil_time *t, bool basic,
                        bool keep_date)
{
    const char *dash = basic ? "" : "-";
    int64_t days = gf_days_from_civil(t->year, t->month, t->day);
    int form = (int)gf_draw_uint(tc, ISO_CALENDAR, ISO_ORDINAL);
    if (form == ISO_WEEK) {
        if (!keep_date && gf_draw_weighted(tc, ISO_LAST_WEEK_P)) {
            int64_t year = week53_years[gf_draw_uint(tc, 0,
                                                     COUNT(week53_years) - 1)];
            days = iso_week_one(year) + 52 * 7 +
                   gf_draw_int(tc, 1, 7) - 1;
        }
        int64_t year;
        int week, wday;
        iso_week_date(days, &year, &week, &wday);
        if (year >= 0 && year <= 9999) {
            gf_civil_from_days(days, &t->year, &t->month, &t->day);
            sb_printf(b, "%04d%sW%02d%s%d", (int)year, dash, week, dash, wday);
            return;
        }
        form = ISO_CALENDAR; /* the week-year has five digits */
    }
    if (form == ISO_ORDINAL) {
        if (!keep_date && gf_draw_weighted(tc, ISO_LAST_DAY_P))
            days = gf_days_from_civil(t->year, 12, 31);
        gf_civil_from_days(days, &t->year, &t->month, &t->day);
        int64_t yday = days - gf_days_from_civil(t->year, 1, 1) + 1;
        sb_printf(b, "%04d%s%03d", (int)t->year, dash, (int)yday);
        return;
    }
    sb_printf(b, "%04d%s%02d%s%02d", (int)t->year, dash, t->month, dash,
              t->day);
}

/* Every choice is drawn whatever the others say, so the string's shape
 * never changes the number of choices, and the simplest choices give
 * "1970-01-01T00:00:00Z". */
static void draw_iso8601(gf_case *tc, const gf_gen *self, void *out)
{
    (void)self;
    rfc_parts r = draw_rfc_parts(tc);
    bool leap = r.t.second == 60;
    bool basic = gf_draw_weighted(tc, ISO_BASIC_P);
    strbuf b = {.len = 0};
    sb_iso_date(tc, &b, &r.t, basic, leap);
    bool date_only = gf_draw_weighted(tc, ISO_DATE_ONLY_P);
    /* A leap second needs its seconds and its offset, which place it. */
    int precision = (int)gf_draw_uint(tc, ISO_SECONDS, ISO_HOURS);
    bool midnight_24 = gf_draw_weighted(tc, ISO_MIDNIGHT_24_P);
    char mark = gf_draw_weighted(tc, ISO_COMMA_P) ? ',' : '.';
    int zone = (int)gf_draw_uint(tc, ISO_ZONE_OFFSET, ISO_ZONE_NONE);
    if (date_only) {
        *(char **)out = gf_memdup(tc, b.s, b.len + 1);
        return;
    }
    if (leap) {
        precision = ISO_SECONDS;
        zone = ISO_ZONE_OFFSET;
    } else if (midnight_24) {
        r.t.hour = 24;
        r.t.minute = r.t.second = 0;
        r.frac.digits = 0;
    }
    const char *colon = basic ? "" : ":";
    sb_printf(&b, "T%02d", r.t.hour);
    if (precision <= ISO_MINUTES)
        sb_printf(&b, "%s%02d", colon, r.t.minute);
    if (precision == ISO_SECONDS)
        sb_printf(&b, "%s%02d", colon, r.t.second);
    sb_fraction(&b, r.frac, mark);
    offset_spec o = r.offset;
    if (o.style == STYLE_LOWER_Z || o.style == STYLE_UNKNOWN)
        o.style = STYLE_Z; /* RFC 3339 spellings, not ISO 8601's */
    if (zone == ISO_ZONE_OFFSET) {
        sb_offset(&b, o, !basic, false);
    } else if (zone == ISO_ZONE_HOURS) {
        int32_t hours = o.minutes / 60;
        offset_spec h = {hours * 60, hours == 0 ? STYLE_Z : STYLE_NUMERIC};
        sb_offset(&b, h, !basic, true);
    }
    *(char **)out = gf_memdup(tc, b.s, b.len + 1);
}

static const gf_gen *build_iso8601(void)
{
    return make_text("iso8601", draw_iso8601, 0);
}

const gf_gen *gf_iso8601(void)
{
    GEN_ONCE_RETURN(build_iso8601());
}

/* ---- invalid strings ---------------------------------------------------- */

static const char *const flaw_names[] = {
    "offset hour", "offset minute", "month", "day", "hour", "minute",
    "second", "truncated", "no T", "separator", "trailing garbage",
    "not a digit",
};

const char *gf_time_flaw_name(gf_time_flaw flaw)
{
    for (size_t i = 0; i < COUNT(flaw_names); i++)
        if ((unsigned)flaw == 1u << i)
            return flaw_names[i];
    return "unknown";
}

/* Dates that do not exist, the likeliest first. */
static const civil_time bad_dates[] = {
    {2023, 2, 29, 0, 0, 0}, {1900, 2, 29, 0, 0, 0}, {2100, 2, 29, 0, 0, 0},
    {2024, 2, 30, 0, 0, 0}, {2024, 4, 31, 0, 0, 0}, {2024, 6, 31, 0, 0, 0},
    {2024, 9, 31, 0, 0, 0}, {2024, 11, 31, 0, 0, 0}, {2024, 1, 32, 0, 0, 0},
    {2024, 1, 0, 0, 0, 0},
};
#define BAD_DATE_P 0.5

/* Characters that are not digits and cannot complete another reading of
 * the string. */
static const char not_digits[] = "Olax# ";
/* Separators that RFC 3339 and ISO 8601 never use here; between time
 * fields not '.' or ',' either, which ISO 8601 reads as a fraction. */
static const char bad_date_separators[] = "/._ ";
static const char bad_time_separators[] = "/_ ;";
/* What is left at the end of a string by mistake. */
static const char *const trailing[] = {" ", "x", "Z", "\n", "0", ".",
                                       "+00:00", "T"};

/* Replace the i-th character (of those in `which`) with c. */
static void replace_nth(strbuf *b, const char *which, size_t nth, char c)
{
    for (size_t i = 0; i < b->len; i++)
        if (strchr(which, b->s[i]) && nth-- == 0) {
            b->s[i] = c;
            return;
        }
}

static size_t count_of(const strbuf *b, const char *which)
{
    size_t n = 0;
    for (size_t i = 0; i < b->len; i++)
        n += strchr(which, b->s[i]) != NULL;
    return n;
}

/* Break the parts in a field; the string is formatted afterwards. */
static void flaw_field(gf_case *tc, gf_time_flaw flaw, rfc_parts *r)
{
    switch (flaw) {
    case GF_FLAW_OFFSET_HOUR: {
        int32_t h = (int32_t)gf_draw_int(tc, 24, 99);
        int32_t m = (int32_t)gf_draw_int(tc, 0, 59);
        r->offset.style = STYLE_NUMERIC;
        r->offset.minutes = (gf_draw_bool(tc) ? -1 : 1) * (h * 60 + m);
        break;
    }
    case GF_FLAW_OFFSET_MINUTE: {
        int32_t h = (int32_t)gf_draw_int(tc, 0, 23);
        r->offset.style = STYLE_NUMERIC;
        r->offset.minutes = (gf_draw_bool(tc) ? -1 : 1) * h * 60;
        r->offset_minute_text = (int)gf_draw_int(tc, 60, 99);
        break;
    }
    case GF_FLAW_MONTH: {
        int m = (int)gf_draw_int(tc, 13, 100);
        r->t.month = m == 100 ? 0 : m;
        break;
    }
    case GF_FLAW_DAY:
        if (gf_draw_weighted(tc, BAD_DATE_P)) {
            const civil_time *d = &bad_dates[gf_draw_uint(tc, 0,
                                                          COUNT(bad_dates) - 1)];
            r->t.year = d->year;
            r->t.month = d->month;
            r->t.day = d->day;
        } else {
            r->t.day = (int)gf_draw_int(
                tc, gf_days_in_month(r->t.year, r->t.month) + 1, 99);
        }
        break;
    case GF_FLAW_HOUR:
        r->t.hour = (int)gf_draw_int(tc, 24, 99);
        if (r->t.hour == 24 && r->t.minute == 0)
            r->t.minute = 1; /* 24:00:00 is valid ISO 8601 */
        break;
    case GF_FLAW_MINUTE:
        r->t.minute = (int)gf_draw_int(tc, 60, 99);
        break;
    case GF_FLAW_SECOND:
        if (gf_draw_bool(tc)) {
            /* A leap second where none can be: not 23:59 UTC at a month's
             * end (the offset is made zero so local time is UTC). */
            r->t.second = 60;
            r->offset = (offset_spec){0, STYLE_Z};
            if (r->t.hour == 23 && r->t.minute == 59 &&
                r->t.day == gf_days_in_month(r->t.year, r->t.month))
                r->t.minute = 58;
        } else {
            r->t.second = (int)gf_draw_int(tc, 61, 99);
        }
        break;
    default:
        break;
    }
}

/* Break the written string. */
static void flaw_text(gf_case *tc, gf_time_flaw flaw, strbuf *b)
{
    switch (flaw) {
    case GF_FLAW_TRUNCATED: {
        size_t cut = (size_t)gf_draw_uint(tc, 1, b->len);
        b->len -= cut;
        b->s[b->len] = '\0';
        break;
    }
    case GF_FLAW_NO_T: {
        char *t = strpbrk(b->s, "Tt");
        memmove(t, t + 1, strlen(t));
        b->len--;
        break;
    }
    case GF_FLAW_SEPARATOR: {
        /* "YYYY-MM-DDThh:mm:ss": the separators sit at fixed places; a
         * numeric offset adds its colon. */
        size_t places[6] = {4, 7, 10, 13, 16, 0};
        size_t n = 5;
        char *colon = strrchr(b->s, ':');
        if (colon && colon - b->s > 16)
            places[n++] = (size_t)(colon - b->s);
        size_t at = places[gf_draw_uint(tc, 0, n - 1)];
        const char *set = at <= 10 ? bad_date_separators
                                   : bad_time_separators;
        b->s[at] = set[gf_draw_uint(tc, 0, strlen(set) - 1)];
        break;
    }
    case GF_FLAW_TRAILING:
        sb_printf(b, "%s", trailing[gf_draw_uint(tc, 0, COUNT(trailing) - 1)]);
        break;
    case GF_FLAW_NOT_DIGIT: {
        size_t n = count_of(b, "0123456789");
        size_t which = (size_t)gf_draw_uint(tc, 0, n - 1);
        replace_nth(b, "0123456789", which,
                    not_digits[gf_draw_uint(tc, 0, sizeof not_digits - 2)]);
        break;
    }
    default:
        break;
    }
}

static void draw_datetime_invalid(gf_case *tc, const gf_gen *self, void *out)
{
    unsigned flaws = (unsigned)self->arg.u[0];
    if (flaws & ~GF_FLAW_ALL)
        gf_gen_misuse(tc, self, "flaws 0x%x has bits outside GF_FLAW_ALL",
                      flaws);
    if (flaws == 0)
        flaws = GF_FLAW_ALL;
    unsigned nflaws = (unsigned)__builtin_popcount(flaws);
    unsigned pick = (unsigned)gf_draw_uint(tc, 0, nflaws - 1);
    gf_time_flaw flaw = 0;
    for (unsigned bit = 0; bit < 32; bit++)
        if ((flaws & (1u << bit)) && pick-- == 0) {
            flaw = (gf_time_flaw)(1u << bit);
            break;
        }

    rfc_parts r = draw_rfc_parts(tc);
    /* The flaw must be the only thing wrong: a leap second that a broken
     * field would misplace becomes an ordinary second. */
    if (r.t.second == 60 && flaw < GF_FLAW_SECOND)
        r.t.second = 59;
    flaw_field(tc, flaw, &r);
    strbuf b;
    format_rfc(&b, &r);
    flaw_text(tc, flaw, &b);
    *(char **)out = gf_memdup(tc, b.s, b.len + 1);
}

static const gf_gen *build_datetime_invalid(unsigned flaws)
{
    char name[48];
    snprintf(name, sizeof name, "datetime_invalid(0x%x)", flaws);
    return make_text(name, draw_datetime_invalid, flaws);
}

const gf_gen *gf_datetime_invalid(unsigned flaws)
{
    GEN_MEMO_RETURN(gf_datetime_invalid, flaws, 0, 0,
                    build_datetime_invalid(flaws));
}

/* ---- parsing ------------------------------------------------------------ */

/* A cursor over the string being parsed, and the first problem found. */
typedef struct cursor {
    const char *s;
    const char *why;
} cursor;

static bool fail(cursor *c, const char *why)
{
    if (c->why == NULL)
        c->why = why;
    return false;
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Exactly n digits. */
static bool take_digits(cursor *c, int n, int *out, const char *what)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit(c->s[i]))
            return fail(c, what);
        v = v * 10 + (c->s[i] - '0');
    }
    c->s += n;
    *out = v;
    return true;
}

static bool take_char(cursor *c, char ch, const char *what)
{
    if (*c->s != ch)
        return fail(c, what);
    c->s++;
    return true;
}

/* A run of digits after '.' or ',': nanoseconds (truncated) and whether
 * every digit was 0. */
static bool take_fraction(cursor *c, int32_t *ns, bool *zero)
{
    if (!is_digit(*c->s))
        return fail(c, "no digit after the decimal mark");
    int64_t v = 0;
    int n = 0;
    *zero = true;
    for (; is_digit(*c->s); c->s++) {
        if (n < 9) {
            v = v * 10 + (*c->s - '0');
            n++;
        }
        *zero = *zero && *c->s == '0';
    }
    while (n++ < 9)
        v *= 10;
    *ns = (int32_t)v;
    return true;
}

/* The time of day and zone, read by either grammar. */
typedef struct clock_fields {
    int hour, minute, second;
    int32_t ns;          /* fraction of the last field given, as ns */
    int precision;       /* ISO_SECONDS, ISO_MINUTES or ISO_HOURS */
    bool fraction_zero;
    bool has_zone;       /* Z or a numeric offset (-00:00 counts) */
    bool unknown_zone;   /* -00:00 */
    int32_t offset;
} clock_fields;

/* A numeric offset after its sign; `colon`: 1 required, 0 forbidden
 * (basic format: "+0545" or "+05"),
 * -1 the minutes optional, after a colon ("+05:45" or "+05"). */
static bool take_offset(cursor *c, clock_fields *f, int colon)
{
    char sign = *c->s++;
    int h, m = 0;
    if (!take_digits(c, 2, &h, "offset hours are not two digits"))
        return false;
    if (colon == 1) {
        if (!take_char(c, ':', "no ':' in the offset") ||
            !take_digits(c, 2, &m, "offset minutes are not two digits"))
            return false;
    } else if (colon == 0 && is_digit(*c->s)) {
        if (!take_digits(c, 2, &m, "offset minutes are not two digits"))
            return false;
    } else if (colon == -1 && *c->s == ':') {
        c->s++;
        if (!take_digits(c, 2, &m, "offset minutes are not two digits"))
            return false;
    }
    if (h > 23)
        return fail(c, "offset hour past 23");
    if (m > 59)
        return fail(c, "offset minute past 59");
    f->has_zone = true;
    f->offset = (sign == '-' ? -1 : 1) * (h * 60 + m);
    f->unknown_zone = sign == '-' && f->offset == 0;
    return true;
}

/* Leap-second rule: 23:59:60 in UTC on the last day of a month. */
static bool leap_second_fits(const civil_time *local, int32_t offset)
{
    civil_time utc = civil_add_minutes(*local, -(int64_t)offset);
    return utc.hour == 23 && utc.minute == 59 &&
           utc.day == gf_days_in_month(utc.year, utc.month);
}

/* Check ranges and fill *out from a date and a time. */
static bool finish(cursor *c, civil_time t, const clock_fields *f,
                   gf_datetime *out)
{
    if (*c->s != '\0')
        return fail(c, "trailing characters");
    if (t.hour > 24 || (t.hour == 24 && (t.minute || t.second ||
                                         !f->fraction_zero)))
        return fail(c, "hour out of range");
    if (t.minute > 59)
        return fail(c, "minute out of range");
    if (t.second > 60)
        return fail(c, "second out of range");
    if (t.second == 60 && f->has_zone && !leap_second_fits(&t, f->offset))
        return fail(c, "leap second not at 23:59:60 UTC on a month's last day");
    if (out) {
        int64_t s = civil_to_seconds(&t) - (int64_t)f->offset * 60;
        int64_t frac_s = 0;
        int64_t ns = f->ns;
        if (f->precision != ISO_SECONDS) {
            /* A fraction of an hour or minute, in seconds and ns. */
            int64_t unit = f->precision == ISO_HOURS ? 3600 : 60;
            int64_t total = ns * unit;
            frac_s = total / NS_PER_SECOND;
            ns = total % NS_PER_SECOND;
        }
        out->seconds = s + frac_s;
        out->nanosecond = (int32_t)ns;
        out->offset = f->offset;
        out->has_offset = f->has_zone && !f->unknown_zone;
        out->leap_second = t.second == 60;
    }
    return true;
}

static bool check_date(cursor *c, const civil_time *t)
{
    if (t->month < 1 || t->month > 12)
        return fail(c, "month out of range");
    if (t->day < 1 || t->day > gf_days_in_month(t->year, t->month))
        return fail(c, "day out of range for its month");
    return true;
}

static bool rfc3339_parse(cursor *c, gf_datetime *out)
{
    civil_time t = {0, 0, 0, 0, 0, 0};
    clock_fields f = {.precision = ISO_SECONDS, .fraction_zero = true};
    int year;
    if (!take_digits(c, 4, &year, "year is not four digits") ||
        !take_char(c, '-', "no '-' after the year") ||
        !take_digits(c, 2, &t.month, "month is not two digits") ||
        !take_char(c, '-', "no '-' after the month") ||
        !take_digits(c, 2, &t.day, "day is not two digits"))
        return false;
    t.year = year;
    if (!check_date(c, &t))
        return false;
    if (*c->s != 'T' && *c->s != 't')
        return fail(c, "no 'T' between date and time");
    c->s++;
    if (!take_digits(c, 2, &t.hour, "hour is not two digits") ||
        !take_char(c, ':', "no ':' after the hour") ||
        !take_digits(c, 2, &t.minute, "minute is not two digits") ||
        !take_char(c, ':', "no ':' after the minute") ||
        !take_digits(c, 2, &t.second, "second is not two digits"))
        return false;
    if (t.hour > 23)
        return fail(c, "hour out of range");
    if (*c->s == '.') {
        c->s++;
        if (!take_fraction(c, &f.ns, &f.fraction_zero))
            return false;
    }
    if (*c->s == 'Z' || *c->s == 'z') {
        c->s++;
        f.has_zone = true;
    } else if (*c->s == '+' || *c->s == '-') {
        if (!take_offset(c, &f, 1))
            return false;
    } else {
        return fail(c, "no offset ('Z' or '+hh:mm')");
    }
    return finish(c, t, &f, out);
}

bool gf_rfc3339_parse(const char *s, gf_datetime *out, const char **why)
{
    cursor c = {s ? s : "", NULL};
    bool ok = s != NULL && rfc3339_parse(&c, out);
    if (s == NULL)
        c.why = "NULL string";
    if (why)
        *why = ok ? NULL : c.why;
    return ok;
}

bool gf_rfc3339_valid(const char *s)
{
    return gf_rfc3339_parse(s, NULL, NULL);
}

/* The date part of an ISO string; sets *basic from its shape. */
static bool iso_date(cursor *c, civil_time *t, bool *basic)
{
    int year, a, b;
    if (!take_digits(c, 4, &year, "year is not four digits"))
        return false;
    t->year = year;
    *basic = *c->s != '-';
    if (!*basic)
        c->s++;
    if (*c->s == 'W') {
        c->s++;
        int week, day;
        if (!take_digits(c, 2, &week, "week is not two digits") ||
            (!*basic && !take_char(c, '-', "no '-' after the week")) ||
            !take_digits(c, 1, &day, "weekday is not one digit"))
            return false;
        if (week < 1 || week > iso_weeks_in_year(year))
            return fail(c, "week out of range for its year");
        if (day < 1 || day > 7)
            return fail(c, "weekday out of range");
        int64_t days = iso_week_one(year) + (week - 1) * 7 + (day - 1);
        gf_civil_from_days(days, &t->year, &t->month, &t->day);
        return true;
    }
    /* Three digits then no digit: an ordinal date. */
    if (is_digit(c->s[0]) && is_digit(c->s[1]) && is_digit(c->s[2]) &&
        !is_digit(c->s[3])) {
        int day = 0;
        take_digits(c, 3, &day, "");
        if (day < 1 || day > (gf_is_leap_year(year) ? 366 : 365))
            return fail(c, "ordinal day out of range for its year");
        int64_t days = gf_days_from_civil(year, 1, 1) + day - 1;
        gf_civil_from_days(days, &t->year, &t->month, &t->day);
        return true;
    }
    if (!take_digits(c, 2, &a, "month is not two digits") ||
        (!*basic && !take_char(c, '-', "no '-' after the month")) ||
        !take_digits(c, 2, &b, "day is not two digits"))
        return false;
    t->month = a;
    t->day = b;
    return check_date(c, t);
}

static bool iso_time(cursor *c, civil_time *t, clock_fields *f, bool basic)
{
    if (!take_digits(c, 2, &t->hour, "hour is not two digits"))
        return false;
    f->precision = ISO_HOURS;
    for (int field = 0; field < 2; field++) {
        bool more = basic ? is_digit(*c->s) : *c->s == ':';
        if (!more)
            break;
        if (!basic)
            c->s++;
        int *dst = field == 0 ? &t->minute : &t->second;
        if (!take_digits(c, 2, dst, field == 0 ? "minute is not two digits"
                                               : "second is not two digits"))
            return false;
        f->precision = field == 0 ? ISO_MINUTES : ISO_SECONDS;
    }
    if (*c->s == '.' || *c->s == ',') {
        c->s++;
        if (!take_fraction(c, &f->ns, &f->fraction_zero))
            return false;
    }
    if (*c->s == 'Z') {
        c->s++;
        f->has_zone = true;
    } else if (*c->s == '+' || *c->s == '-') {
        if (!take_offset(c, f, basic ? 0 : -1))
            return false;
        if (f->unknown_zone)
            return fail(c, "ISO 8601 writes a zero offset with '+'");
    }
    return true;
}

static bool iso8601_parse(cursor *c, gf_datetime *out)
{
    civil_time t = {0, 0, 0, 0, 0, 0};
    clock_fields f = {.precision = ISO_SECONDS, .fraction_zero = true};
    bool basic;
    if (!iso_date(c, &t, &basic))
        return false;
    if (*c->s == 'T') {
        c->s++;
        if (!iso_time(c, &t, &f, basic))
            return false;
    }
    return finish(c, t, &f, out);
}

bool gf_iso8601_parse(const char *s, gf_datetime *out, const char **why)
{
    cursor c = {s ? s : "", NULL};
    bool ok = s != NULL && iso8601_parse(&c, out);
    if (s == NULL)
        c.why = "NULL string";
    if (why)
        *why = ok ? NULL : c.why;
    return ok;
}

bool gf_iso8601_valid(const char *s)
{
    return gf_iso8601_parse(s, NULL, NULL);
}

/* ---- the fake clock ----------------------------------------------------- */

struct gf_clock {
    gf_case *tc;
    gf_clock_mode mode;
    int64_t now;
    uint64_t readings;
};

#define CLOCK_STEP_MAX_NS INT64_C(10000000)            /* 10 ms */
#define CLOCK_JUMP_MIN_NS INT64_C(1000000000)          /* 1 s */
#define CLOCK_JUMP_MAX_NS (INT64_C(30) * 86400 * NS_PER_SECOND)
#define CLOCK_BACK_MAX_NS (INT64_C(3600) * NS_PER_SECOND)
#define CLOCK_JUMP_P 0.1
#define CLOCK_BACK_P 0.1

/* Never drawn: gives misuse messages a generator to name. */
static void draw_clock_misuse(gf_case *tc, const gf_gen *self, void *out)
{
    (void)out;
    gf_gen_misuse(tc, self, "a clock is made with gf_clock_new, not drawn");
}

static const gf_gen *build_clock_gen(void)
{
    gf_gen t = {
        .name = "gf_clock",
        .size = sizeof(int64_t),
        .align = _Alignof(int64_t),
        .label = gf_span_label("gf_clock"),
        .draw = draw_clock_misuse,
    };
    return gf_gen_intern(&t);
}

static const gf_gen *clock_gen(void)
{
    GEN_ONCE_RETURN(build_clock_gen());
}

gf_clock *gf_clock_new(gf_case *tc, gf_clock_mode mode, int64_t start_ns)
{
    if (mode != GF_CLOCK_MONOTONIC && mode != GF_CLOCK_JUMPING &&
        mode != GF_CLOCK_BACKWARDS)
        gf_gen_misuse(tc, clock_gen(), "unknown gf_clock_mode %d", (int)mode);
    gf_clock *c = gf_alloc(tc, sizeof *c);
    c->tc = tc;
    c->mode = mode;
    c->now = start_ns;
    c->readings = 0;
    return c;
}

/* The step to the next reading: "jump?" and "back?" are false when
 * simplest and every size shrinks toward its smallest, so the simplest
 * step is 0. */
static int64_t draw_clock_step(gf_case *tc, gf_clock_mode mode)
{
    if (mode == GF_CLOCK_BACKWARDS && gf_draw_weighted(tc, CLOCK_BACK_P))
        return -gf_draw_int(tc, 1, CLOCK_BACK_MAX_NS);
    if (mode != GF_CLOCK_MONOTONIC && gf_draw_weighted(tc, CLOCK_JUMP_P))
        return gf_draw_int(tc, CLOCK_JUMP_MIN_NS, CLOCK_JUMP_MAX_NS);
    return gf_draw_int(tc, 0, CLOCK_STEP_MAX_NS);
}

int64_t gf_clock_now(gf_clock *c)
{
    if (c->readings++ == 0)
        return c->now;
    gf_span_begin(c->tc, gf_span_label("gf_clock step"));
    int64_t step = draw_clock_step(c->tc, c->mode);
    gf_span_end(c->tc, false);
    int64_t next;
    if (__builtin_add_overflow(c->now, step, &next))
        next = step > 0 ? INT64_MAX : INT64_MIN;
    c->now = next;
    return next;
}

struct timespec gf_clock_timespec(gf_clock *c)
{
    int64_t ns = gf_clock_now(c);
    struct timespec ts;
    ts.tv_sec = (time_t)floor_div(ns, NS_PER_SECOND);
    ts.tv_nsec = (long)floor_mod(ns, NS_PER_SECOND);
    return ts;
}

uint64_t gf_clock_readings(const gf_clock *c)
{
    return c->readings;
}
