/*
 * tzif.c - Gadfly's time zone reader: TZif files (versions 1 to 4, RFC
 * 8536) and POSIX TZ strings, and local time computed from them.
 *
 * The timezone generators need real transitions, and properties need to
 * ask "what is the local time in this zone at this instant" for many zones
 * at once.  The C library answers only for the zone named by TZ, process-
 * wide, so this file must never read or set TZ and never call tzset().
 *
 * Zones loaded from files are immutable and kept until the process ends,
 * in a list guarded by a mutex, so any thread may use them; zones from
 * POSIX strings belong to their caller.  A file is untrusted
 * input: every count, index and offset is checked against the bytes that
 * are there before it is used, and a bad file is an error, never a crash.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gadfly/tz.h>

#define DEFAULT_TZDIR "/usr/share/zoneinfo"
/* The largest file read: real TZif files are a few kilobytes. */
#define TZIF_MAX_BYTES (4u << 20)
#define ABBR_MAX 64
/* Leap-second records accepted: 27 so far, at most two a year; the cap
 * keeps gf_tz_local_to_utc, which tries each correction, fast on a hostile
 * file. */
#define TZIF_MAX_LEAPS 2000u
/* Instants beyond this many seconds from 1970 are refused: far past any
 * year that fits tm_year, and far from int64_t overflow in the arithmetic
 * below (local seconds, day counts). */
#define INSTANT_LIMIT ((int64_t)1 << 60)

/* ---- errors --------------------------------------------------------------- */

static __thread char tz_error_text[320];

static void set_error(const char *fmt, ...) GF_PRINTF(1, 2);
static void set_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tz_error_text, sizeof tz_error_text, fmt, ap);
    va_end(ap);
}

const char *gf_tz_error(void)
{
    return tz_error_text;
}

/* ---- calendar ------------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    return a - floor_div(a, b) * b;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_length(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar
 * (m 1..12).  Counts in 400-year eras of 146097 days, with years starting
 * in March so that the leap day ends the year. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                               /* 0..399 */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;       /* 0..146096 */
    return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* ---- POSIX TZ strings ----------------------------------------------------- */

enum rule_kind { RULE_JULIAN, RULE_ZERO_BASED, RULE_MONTH };

typedef struct posix_rule {
    enum rule_kind kind;
    int day;            /* Jn: 1..365; n: 0..365 */
    int month, week, wday;
    int32_t time;       /* seconds after local midnight, -167h..167h */
} posix_rule;

typedef struct posix_tz {
    char std[ABBR_MAX], dst[ABBR_MAX];
    int32_t std_utoff, dst_utoff; /* seconds east of UTC */
    bool has_dst;
    posix_rule start, end;
} posix_tz;

typedef struct parser {
    const char *s, *p;
    const char *what; /* for messages */
} parser;

static bool parse_fail(parser *ps, const char *fmt, ...) GF_PRINTF(2, 3);
static bool parse_fail(parser *ps, const char *fmt, ...)
{
    char detail[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    set_error("%s \"%.60s\": %s at offset %zu", ps->what, ps->s, detail,
              (size_t)(ps->p - ps->s));
    return false;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A zone abbreviation: three or more letters, or <...> of three or more
 * letters, digits, '+' and '-'. */
static bool parse_name(parser *ps, char out[ABBR_MAX], const char *which)
{
    size_t n = 0;
    if (*ps->p == '<') {
        ps->p++;
        while (is_alpha(*ps->p) || is_digit(*ps->p) || *ps->p == '+' ||
               *ps->p == '-') {
            if (n + 1 >= ABBR_MAX)
                return parse_fail(ps, "%s name longer than %d characters",
                                  which, ABBR_MAX - 1);
            out[n++] = *ps->p++;
        }
        if (*ps->p != '>')
            return parse_fail(ps, *ps->p ? "character not allowed in the "
                                           "quoted %s name"
                                         : "quoted %s name has no closing '>'",
                              which);
        ps->p++;
    } else {
        while (is_alpha(*ps->p)) {
            if (n + 1 >= ABBR_MAX)
                return parse_fail(ps, "%s name longer than %d characters",
                                  which, ABBR_MAX - 1);
            out[n++] = *ps->p++;
        }
    }
    out[n] = '\0';
    if (n < 3)
        return parse_fail(ps, "%s name needs at least 3 characters", which);
    return true;
}

/* One to max_digits digits, value at most max. */
static bool parse_number(parser *ps, int max_digits, long max, long *out,
                         const char *what)
{
    long v = 0;
    int n = 0;
    while (is_digit(*ps->p)) {
        if (++n > max_digits)
            return parse_fail(ps, "too many digits in %s", what);
        v = v * 10 + (*ps->p++ - '0');
    }
    if (n == 0)
        return parse_fail(ps, "expected %s", what);
    if (v > max)
        return parse_fail(ps, "%s %ld out of range (at most %ld)", what, v,
                          max);
    *out = v;
    return true;
}

/* [+-]h[h..][:mm[:ss]] in seconds, hours at most max_hours. */
static bool parse_hms(parser *ps, int hour_digits, long max_hours,
                      int32_t *out, const char *what)
{
    long sign = 1, h, m = 0, s = 0;
    if (*ps->p == '+' || *ps->p == '-')
        sign = *ps->p++ == '-' ? -1 : 1;
    if (!is_digit(*ps->p))
        return parse_fail(ps, "expected %s", what);
    if (!parse_number(ps, hour_digits, max_hours, &h, "hours"))
        return false;
    if (*ps->p == ':') {
        ps->p++;
        if (!parse_number(ps, 2, 59, &m, "minutes"))
            return false;
        if (*ps->p == ':') {
            ps->p++;
            if (!parse_number(ps, 2, 59, &s, "seconds"))
                return false;
        }
    }
    *out = (int32_t)(sign * (h * 3600 + m * 60 + s));
    return true;
}

static bool parse_rule(parser *ps, posix_rule *r)
{
    long a, b, c;
    if (*ps->p == 'J') {
        ps->p++;
        if (!parse_number(ps, 3, 365, &a, "Julian day"))
            return false;
        if (a < 1)
            return parse_fail(ps, "Julian day J0 out of range (1..365)");
        r->kind = RULE_JULIAN;
        r->day = (int)a;
    } else if (*ps->p == 'M') {
        ps->p++;
        if (!parse_number(ps, 2, 12, &a, "month") ||
            (a < 1 && !parse_fail(ps, "month 0 out of range (1..12)")))
            return false;
        if (*ps->p++ != '.')
            return parse_fail(ps, "expected '.' after the month");
        if (!parse_number(ps, 1, 5, &b, "week") ||
            (b < 1 && !parse_fail(ps, "week 0 out of range (1..5)")))
            return false;
        if (*ps->p++ != '.')
            return parse_fail(ps, "expected '.' after the week");
        if (!parse_number(ps, 1, 6, &c, "weekday"))
            return false;
        r->kind = RULE_MONTH;
        r->month = (int)a;
        r->week = (int)b;
        r->wday = (int)c;
    } else if (is_digit(*ps->p)) {
        if (!parse_number(ps, 3, 365, &a, "day of the year"))
            return false;
        r->kind = RULE_ZERO_BASED;
        r->day = (int)a;
    } else {
        return parse_fail(ps, "expected a rule (Jn, n or Mm.w.d)");
    }
    r->time = 2 * 3600;
    if (*ps->p == '/') {
        ps->p++;
        if (!parse_hms(ps, 3, 167, &r->time, "rule time"))
            return false;
    }
    return true;
}

/* Parse a whole POSIX TZ string; on failure the error text is set. */
static bool parse_posix(const char *s, const char *what, posix_tz *out)
{
    parser ps = {s, s, what};
    int32_t offset;
    memset(out, 0, sizeof *out);
    if (*s == '\0')
        return parse_fail(&ps, "empty");
    if (*s == ':')
        return parse_fail(&ps, "the ':' form names a file, not a rule");
    if (!parse_name(&ps, out->std, "standard time"))
        return false;
    if (!parse_hms(&ps, 2, 24, &offset, "UTC offset"))
        return false;
    out->std_utoff = -offset;
    if (*ps.p == '\0')
        return true;
    if (*ps.p == ',')
        return parse_fail(&ps, "rules without a daylight-saving name");
    out->has_dst = true;
    if (!parse_name(&ps, out->dst, "daylight-saving"))
        return false;
    out->dst_utoff = out->std_utoff + 3600;
    if (*ps.p != ',' && *ps.p != '\0') {
        if (!parse_hms(&ps, 2, 24, &offset, "daylight-saving UTC offset"))
            return false;
        out->dst_utoff = -offset;
    }
    if (*ps.p == '\0') {
        /* No rules: the United States rules since 2007. */
        out->start = (posix_rule){RULE_MONTH, 0, 3, 2, 0, 7200};
        out->end = (posix_rule){RULE_MONTH, 0, 11, 1, 0, 7200};
        return true;
    }
    if (*ps.p++ != ',')
        return parse_fail(&ps, "expected ',' before the rules");
    if (!parse_rule(&ps, &out->start))
        return false;
    if (*ps.p != ',')
        return parse_fail(&ps, *ps.p ? "expected ',' before the end rule"
                                     : "a start rule without an end rule");
    ps.p++;
    if (!parse_rule(&ps, &out->end))
        return false;
    if (*ps.p != '\0')
        return parse_fail(&ps, "unexpected characters after the rules");
    return true;
}

/* Days from 1970 to the local date rule r names in year y. */
static int64_t rule_day(const posix_rule *r, int64_t y)
{
    int64_t jan1 = days_from_civil(y, 1, 1);
    switch (r->kind) {
    case RULE_JULIAN:
        return jan1 + r->day - 1 + (is_leap(y) && r->day >= 60);
    case RULE_ZERO_BASED:
        return jan1 + r->day;
    default: {
        int64_t first = days_from_civil(y, r->month, 1);
        int first_wday = (int)floor_mod(first + 4, 7); /* 1970-01-01: Thu */
        int mday = 1 + (r->wday - first_wday + 7) % 7 + (r->week - 1) * 7;
        while (mday > month_length(y, r->month))
            mday -= 7;
        return first + mday - 1;
    }
    }
}

/* The instants daylight saving starts and ends in year y. */
static void posix_year(const posix_tz *p, int64_t y, int64_t *start,
                       int64_t *end)
{
    *start = rule_day(&p->start, y) * 86400 + p->start.time - p->std_utoff;
    *end = rule_day(&p->end, y) * 86400 + p->end.time - p->dst_utoff;
}

/* Whether daylight saving is in force at t: the latest rule instant at or
 * before t decides.  Rule times reach 167 hours past a date, so the rules
 * of the two years before t's year are looked at too.  At equal instants
 * the later rule in (year, start before end) order wins: a start and an
 * end of the same year at one instant make no daylight saving, and an end
 * that meets the next year's start ("EST5EDT4,0/0,J365/25") leaves it on
 * all year. */
static bool posix_isdst(const posix_tz *p, int64_t t)
{
    if (!p->has_dst)
        return false;
    int64_t y;
    int m, d;
    civil_from_days(floor_div(t, 86400), &y, &m, &d);
    bool found = false, dst = false;
    int64_t best = 0;
    for (int64_t year = y - 2; year <= y + 1; year++) {
        int64_t start, end;
        posix_year(p, year, &start, &end);
        if (start <= t && (!found || start >= best)) {
            best = start;
            dst = true;
            found = true;
        }
        if (end <= t && (!found || end >= best)) {
            best = end;
            dst = false;
            found = true;
        }
    }
    return dst;
}

/* ---- zones ---------------------------------------------------------------- */

typedef struct tz_type {
    int32_t utoff;
    bool isdst;
    const char *abbr; /* into the zone's abbreviation bytes */
} tz_type;

typedef struct tz_leap {
    int64_t at;
    int64_t corr;
} tz_leap;

struct gf_tz {
    char *name;
    char *dir;             /* NULL for a POSIX TZ string */
    size_t ntrans, ntypes, nleaps;
    int64_t *trans;        /* strictly ascending */
    uint8_t *trans_type;
    tz_type *types;
    char *abbrs;
    tz_leap *leaps;        /* ascending */
    bool has_footer;       /* rule for instants at or after the last one */
    posix_tz footer;
    bool owned;            /* from gf_tz_posix: the caller frees it */
    struct gf_tz *next;    /* the cache list */
};

/* The state of local time: what localtime reports, but the date. */
typedef struct tz_state {
    int32_t utoff;
    bool isdst;
    const char *abbr;
} tz_state;

static tz_state footer_state(const gf_tz *z, int64_t t)
{
    bool dst = posix_isdst(&z->footer, t);
    return (tz_state){dst ? z->footer.dst_utoff : z->footer.std_utoff, dst,
                      dst ? z->footer.dst : z->footer.std};
}

static tz_state type_state(const gf_tz *z, size_t i)
{
    return (tz_state){z->types[i].utoff, z->types[i].isdst,
                      z->types[i].abbr};
}

/* Local time rules at t (leap seconds aside).  Before the first transition
 * the first type applies (RFC 8536); from the last transition on, the
 * footer does when there is one. */
static tz_state zone_state(const gf_tz *z, int64_t t)
{
    if (z->ntrans == 0 || t < z->trans[0])
        return z->ntrans == 0 && z->has_footer ? footer_state(z, t)
                                                : type_state(z, 0);
    if (t >= z->trans[z->ntrans - 1] && z->has_footer)
        return footer_state(z, t);
    size_t lo = 0, hi = z->ntrans; /* trans[lo] <= t < trans[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->trans[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return type_state(z, z->trans_type[lo]);
}

/* The leap-second correction at t, and how many inserted leap seconds t
 * is the last of (1 at an inserted leap second: tm_sec reads 60). */
static int64_t leap_correction(const gf_tz *z, int64_t t, int *hit)
{
    *hit = 0;
    size_t lo = 0, hi = z->nleaps; /* the first leap after t is at hi */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->leaps[mid].at <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (hi == 0)
        return 0;
    size_t i = hi - 1;
    int64_t corr = z->leaps[i].corr;
    int64_t before = i > 0 ? z->leaps[i - 1].corr : 0;
    if (t == z->leaps[i].at && corr > before) {
        *hit = 1;
        while (i > 0 && z->leaps[i].at == z->leaps[i - 1].at + 1 &&
               z->leaps[i].corr == z->leaps[i - 1].corr + 1) {
            ++*hit;
            i--;
        }
    }
    return corr;
}

const char *gf_tz_name(const gf_tz *tz)
{
    return tz->name;
}

bool gf_tz_localtime(const gf_tz *tz, int64_t t, struct tm *out,
                     long *utoff, bool *isdst, const char **abbr)
{
    if (t < -INSTANT_LIMIT || t > INSTANT_LIMIT)
        return false;
    tz_state st = zone_state(tz, t);
    int hit;
    int64_t local = t - leap_correction(tz, t, &hit) + st.utoff;
    int64_t days = floor_div(local, 86400), secs = floor_mod(local, 86400);
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    if (y - 1900 < INT_MIN || y - 1900 > INT_MAX)
        return false;
    if (out) {
        memset(out, 0, sizeof *out);
        out->tm_year = (int)(y - 1900);
        out->tm_mon = m - 1;
        out->tm_mday = d;
        out->tm_hour = (int)(secs / 3600);
        out->tm_min = (int)(secs / 60 % 60);
        out->tm_sec = (int)(secs % 60) + hit;
        out->tm_wday = (int)floor_mod(days + 4, 7);
        out->tm_yday = (int)(days - days_from_civil(y, 1, 1));
        out->tm_isdst = st.isdst;
        out->tm_gmtoff = st.utoff;
        out->tm_zone = st.abbr;
    }
    if (utoff)
        *utoff = st.utoff;
    if (isdst)
        *isdst = st.isdst;
    if (abbr)
        *abbr = st.abbr;
    return true;
}

/* Every offset the zone ever uses. */
static size_t zone_offsets(const gf_tz *z, int32_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < z->ntypes + 2; i++) {
        int32_t u;
        if (i < z->ntypes)
            u = z->types[i].utoff;
        else if (z->has_footer)
            u = i == z->ntypes ? z->footer.std_utoff : z->footer.dst_utoff;
        else
            break;
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            dup |= out[k] == u;
        if (!dup && n < cap)
            out[n++] = u;
    }
    return n;
}

/* Whether the local time of t is exactly the wall second w. */
static bool local_is(const gf_tz *z, int64_t t, int64_t w)
{
    if (t < -INSTANT_LIMIT || t > INSTANT_LIMIT)
        return false;
    int hit;
    int64_t corr = leap_correction(z, t, &hit);
    return hit == 0 && t - corr + zone_state(z, t).utoff == w;
}

int gf_tz_local_to_utc(const gf_tz *tz, const struct tm *wall,
                       int64_t out[2])
{
    int64_t months = (int64_t)wall->tm_year * 12 + wall->tm_mon;
    int64_t y = 1900 + floor_div(months, 12);
    int m = (int)floor_mod(months, 12) + 1;
    int64_t w = (days_from_civil(y, m, 1) + wall->tm_mday - 1) * 86400 +
                (int64_t)wall->tm_hour * 3600 + (int64_t)wall->tm_min * 60 +
                wall->tm_sec;

    /* Any instant with wall time w is w - utoff + correction for one of
     * the zone's offsets and leap corrections: try each. */
    int32_t offsets[512];
    size_t noff = zone_offsets(tz, offsets, 512);
    int64_t first = 0, last = 0;
    bool any = false;
    for (size_t i = 0; i < noff; i++) {
        for (size_t k = 0; k <= tz->nleaps; k++) {
            int64_t corr = k == 0 ? 0 : tz->leaps[k - 1].corr;
            int64_t t = w - offsets[i] + corr;
            if (!local_is(tz, t, w))
                continue;
            first = !any || t < first ? t : first;
            last = !any || t > last ? t : last;
            any = true;
        }
    }
    if (any) {
        out[0] = first;
        out[1] = last;
        return first == last ? 1 : 2;
    }

    /* A gap: find the transition whose jump skipped w. */
    out[0] = out[1] = w;
    int32_t lo = offsets[0], hi = offsets[0];
    for (size_t i = 1; i < noff; i++) {
        lo = offsets[i] < lo ? offsets[i] : lo;
        hi = offsets[i] > hi ? offsets[i] : hi;
    }
    gf_tz_transition tr[8];
    int64_t from = w - hi - 1;
    size_t n;
    while ((n = gf_tz_transitions(tz, from, w - lo + 2, tr, 8)) > 0) {
        for (size_t i = 0; i < n; i++) {
            if (tr[i].at + tr[i].utoff_before <= w &&
                w < tr[i].at + tr[i].utoff_after) {
                out[0] = w - tr[i].utoff_after;
                out[1] = w - tr[i].utoff_before;
                return 0;
            }
        }
        from = tr[n - 1].at + 1;
    }
    return 0;
}

/* ---- transitions ---------------------------------------------------------- */

static bool same_state(tz_state a, tz_state b)
{
    return a.utoff == b.utoff && a.isdst == b.isdst &&
           strcmp(a.abbr, b.abbr) == 0;
}

/* Record a transition at c if local time changes there. */
static bool emit_if_change(const gf_tz *z, int64_t c, gf_tz_transition *out,
                           size_t cap, size_t *n)
{
    tz_state before = zone_state(z, c - 1), after = zone_state(z, c);
    if (same_state(before, after))
        return true;
    out[*n] = (gf_tz_transition){c, before.utoff, after.utoff, before.isdst,
                                 after.isdst, before.abbr, after.abbr};
    return ++*n < cap;
}

size_t gf_tz_transitions(const gf_tz *tz, int64_t from, int64_t to,
                         gf_tz_transition *out, size_t cap)
{
    size_t n = 0;
    if (cap == 0)
        return 0;
    from = from < -INSTANT_LIMIT ? -INSTANT_LIMIT : from;
    to = to > INSTANT_LIMIT ? INSTANT_LIMIT : to;
    if (from >= to)
        return 0;
    /* Listed transitions. */
    size_t i = 0;
    while (i < tz->ntrans && tz->trans[i] < from)
        i++;
    for (; i < tz->ntrans && tz->trans[i] < to; i++)
        if (!emit_if_change(tz, tz->trans[i], out, cap, &n))
            return n;
    /* Then the footer's, after the last listed one. */
    if (!tz->has_footer || !tz->footer.has_dst)
        return n;
    int64_t after = tz->ntrans ? tz->trans[tz->ntrans - 1] : -INSTANT_LIMIT;
    int64_t lo = from > after ? from : after + 1;
    if (lo >= to)
        return n;
    int64_t y0, y1;
    int m, d;
    civil_from_days(floor_div(lo, 86400), &y0, &m, &d);
    civil_from_days(floor_div(to, 86400), &y1, &m, &d);
    /* Rule times reach 167 hours from their date (and offsets a day), so
     * one year's instants may fall after the next year's: they wait in
     * `pending`, in order, until no later year can come before them. */
    const int64_t reach = 9 * 86400;
    int64_t pending[8];
    size_t np = 0;
    /* The calendar repeats every 400 years, and so does the rule: 401
     * years without a change (daylight saving all year) mean none ever. */
    int64_t quiet = 0;
    for (int64_t y = y0 - 1; y <= y1 + 1 && quiet <= 401; y++) {
        int64_t c[2];
        size_t before = n;
        posix_year(&tz->footer, y, &c[0], &c[1]);
        for (int k = 0; k < 2; k++) {
            size_t at = 0;
            while (at < np && pending[at] < c[k])
                at++;
            if (at < np && pending[at] == c[k])
                continue; /* one instant, one change */
            memmove(pending + at + 1, pending + at,
                    (np - at) * sizeof *pending);
            pending[at] = c[k];
            np++;
        }
        int64_t later = days_from_civil(y + 1, 1, 1) * 86400 - reach;
        size_t done = 0;
        while (done < np && pending[done] < later) {
            int64_t t = pending[done++];
            if (t >= lo && t < to && !emit_if_change(tz, t, out, cap, &n))
                return n;
        }
        memmove(pending, pending + done, (np - done) * sizeof *pending);
        np -= done;
        quiet = n > before ? 0 : quiet + 1;
    }
    for (size_t k = 0; k < np; k++)
        if (pending[k] >= lo && pending[k] < to &&
            !emit_if_change(tz, pending[k], out, cap, &n))
            return n;
    return n;
}

/* ---- TZif ----------------------------------------------------------------- */

typedef struct reader {
    const uint8_t *data;
    size_t len, pos;
} reader;

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static int64_t be64(const uint8_t *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct tzif_header {
    char version; /* 0, '2', '3', '4' */
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
} tzif_header;

static bool tzif_fail(const char *what, const char *fmt, ...) GF_PRINTF(2, 3);
static bool tzif_fail(const char *what, const char *fmt, ...)
{
    char detail[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    set_error("zone %s: not a valid TZif file: %s", what, detail);
    return false;
}

static bool read_header(reader *r, tzif_header *h, const char *what)
{
    if (r->len - r->pos < 44)
        return tzif_fail(what, "truncated header");
    const uint8_t *p = r->data + r->pos;
    if (memcmp(p, "TZif", 4) != 0)
        return tzif_fail(what, "no \"TZif\" magic");
    h->version = (char)p[4];
    if (h->version != 0 && h->version != '2' && h->version != '3' &&
        h->version != '4')
        return tzif_fail(what, "unknown version byte 0x%02x", p[4]);
    h->isutcnt = be32(p + 20);
    h->isstdcnt = be32(p + 24);
    h->leapcnt = be32(p + 28);
    h->timecnt = be32(p + 32);
    h->typecnt = be32(p + 36);
    h->charcnt = be32(p + 40);
    r->pos += 44;
    if (h->typecnt == 0 || h->typecnt > 256)
        return tzif_fail(what, "%u local time types (1..256 allowed)",
                         h->typecnt);
    if (h->charcnt == 0)
        return tzif_fail(what, "no abbreviation bytes");
    if (h->leapcnt > TZIF_MAX_LEAPS)
        return tzif_fail(what, "%u leap seconds (at most %u)", h->leapcnt,
                         TZIF_MAX_LEAPS);
    if (h->isutcnt != 0 && h->isutcnt != h->typecnt)
        return tzif_fail(what, "isutcnt %u is neither 0 nor typecnt",
                         h->isutcnt);
    if (h->isstdcnt != 0 && h->isstdcnt != h->typecnt)
        return tzif_fail(what, "isstdcnt %u is neither 0 nor typecnt",
                         h->isstdcnt);
    return true;
}

/* Bytes of the data block after a header, or SIZE_MAX if it cannot fit. */
static uint64_t block_size(const tzif_header *h, unsigned time_size)
{
    return (uint64_t)h->timecnt * time_size + h->timecnt +
           (uint64_t)h->typecnt * 6 + h->charcnt +
           (uint64_t)h->leapcnt * (time_size + 4) + h->isstdcnt + h->isutcnt;
}

/* Fill z from one data block with times of time_size bytes. */
static bool read_block(reader *r, const tzif_header *h, unsigned time_size,
                       gf_tz *z, const char *what)
{
    if (block_size(h, time_size) > r->len - r->pos)
        return tzif_fail(what, "truncated data block (%u transitions, %u "
                         "types, %u leap seconds declared)",
                         h->timecnt, h->typecnt, h->leapcnt);
    const uint8_t *p = r->data + r->pos;
    z->ntrans = h->timecnt;
    z->ntypes = h->typecnt;
    z->nleaps = h->leapcnt;
    z->trans = calloc(h->timecnt + 1, sizeof *z->trans);
    z->trans_type = calloc(h->timecnt + 1, 1);
    z->types = calloc(h->typecnt, sizeof *z->types);
    z->abbrs = calloc(h->charcnt + 1, 1);
    z->leaps = calloc(h->leapcnt + 1, sizeof *z->leaps);
    if (!z->trans || !z->trans_type || !z->types || !z->abbrs || !z->leaps)
        return tzif_fail(what, "out of memory");
    for (uint32_t i = 0; i < h->timecnt; i++, p += time_size) {
        z->trans[i] = time_size == 8 ? be64(p) : (int32_t)be32(p);
        if (i > 0 && z->trans[i] <= z->trans[i - 1])
            return tzif_fail(what, "transition %u is not after the one "
                             "before it", i);
    }
    for (uint32_t i = 0; i < h->timecnt; i++, p++) {
        if (*p >= h->typecnt)
            return tzif_fail(what, "transition %u has type %u of %u", i, *p,
                             h->typecnt);
        z->trans_type[i] = *p;
    }
    const uint8_t *types = p;
    p += (size_t)h->typecnt * 6;
    memcpy(z->abbrs, p, h->charcnt);
    if (p[h->charcnt - 1] != '\0')
        return tzif_fail(what, "abbreviations do not end with a NUL");
    for (uint32_t i = 0; i < h->typecnt; i++) {
        const uint8_t *t = types + (size_t)i * 6;
        int32_t utoff = (int32_t)be32(t);
        if (utoff == INT32_MIN)
            return tzif_fail(what, "type %u has UT offset -2^31", i);
        if (t[4] > 1)
            return tzif_fail(what, "type %u has isdst %u", i, t[4]);
        if (t[5] >= h->charcnt)
            return tzif_fail(what, "type %u abbreviation index %u past %u "
                             "bytes", i, t[5], h->charcnt);
        z->types[i] = (tz_type){utoff, t[4] == 1, z->abbrs + t[5]};
    }
    p += h->charcnt;
    for (uint32_t i = 0; i < h->leapcnt; i++, p += time_size + 4) {
        z->leaps[i].at = time_size == 8 ? be64(p) : (int32_t)be32(p);
        z->leaps[i].corr = (int32_t)be32(p + time_size);
        if (i > 0 && z->leaps[i].at <= z->leaps[i - 1].at)
            return tzif_fail(what, "leap second %u is not after the one "
                             "before it", i);
    }
    for (uint32_t i = 0; i < h->isstdcnt + h->isutcnt; i++, p++)
        if (*p > 1)
            return tzif_fail(what, "standard/UT indicator %u is %u", i, *p);
    r->pos = (size_t)(p - r->data);
    return true;
}

static void zone_free(gf_tz *z)
{
    if (!z)
        return;
    free(z->name);
    free(z->dir);
    free(z->trans);
    free(z->trans_type);
    free(z->types);
    free(z->abbrs);
    free(z->leaps);
    free(z);
}

/* Parse a TZif image into z; on failure the error text is set. */
static bool parse_tzif(const uint8_t *data, size_t len, gf_tz *z,
                       const char *what)
{
    reader r = {data, len, 0};
    tzif_header h;
    if (!read_header(&r, &h, what))
        return false;
    if (h.version == 0)
        return read_block(&r, &h, 4, z, what);
    /* Version 2 and later: skip the 32-bit block, read the 64-bit one. */
    if (block_size(&h, 4) > r.len - r.pos)
        return tzif_fail(what, "truncated version 1 data block");
    r.pos += (size_t)block_size(&h, 4);
    tzif_header h2;
    if (!read_header(&r, &h2, what))
        return false;
    if (h2.version != h.version)
        return tzif_fail(what, "the two headers differ in version");
    if (!read_block(&r, &h2, 8, z, what))
        return false;
    /* The footer: a POSIX TZ string between two newlines. */
    if (r.pos >= r.len || r.data[r.pos] != '\n')
        return tzif_fail(what, "no footer after the data");
    const uint8_t *start = r.data + r.pos + 1;
    const uint8_t *nl = memchr(start, '\n', r.len - r.pos - 1);
    if (!nl)
        return tzif_fail(what, "footer does not end with a newline");
    size_t flen = (size_t)(nl - start);
    if (memchr(start, '\0', flen))
        return tzif_fail(what, "NUL byte in the footer");
    if (flen == 0)
        return true;
    char footer[256];
    if (flen >= sizeof footer)
        return tzif_fail(what, "footer longer than %zu bytes",
                         sizeof footer - 1);
    memcpy(footer, start, flen);
    footer[flen] = '\0';
    if (!parse_posix(footer, "footer", &z->footer)) {
        char why[sizeof tz_error_text];
        snprintf(why, sizeof why, "%s", tz_error_text);
        return tzif_fail(what, "%s", why);
    }
    z->has_footer = true;
    return true;
}

/* For tests/fuzz: a zone from a TZif image in memory, never cached (the
 * caller releases it with gf_tz_free), or NULL with gf_tz_error() set.
 * Hidden: not part of the API. */
__attribute__((visibility("hidden"))) gf_tz *tzif_from_bytes(const uint8_t *data,
                                                             size_t len);
gf_tz *tzif_from_bytes(const uint8_t *data, size_t len)
{
    gf_tz *z = calloc(1, sizeof *z);
    if (!z) {
        set_error("TZif image: out of memory");
        return NULL;
    }
    if (!parse_tzif(data, len, z, "TZif image") ||
        !(z->name = strdup("image")) || !(z->dir = strdup(""))) {
        zone_free(z);
        return NULL;
    }
    z->owned = true;
    return z;
}

/* ---- loading and the cache ------------------------------------------------ */

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static gf_tz *cache_head;

static gf_tz *cache_find(const char *dir, const char *name)
{
    for (gf_tz *z = cache_head; z; z = z->next)
        if (strcmp(z->name, name) == 0 && strcmp(z->dir, dir) == 0)
            return z;
    return NULL;
}

/* Keep z, unless another thread loaded the same zone meanwhile. */
static const gf_tz *cache_add(gf_tz *z)
{
    pthread_mutex_lock(&cache_lock);
    gf_tz *old = cache_find(z->dir, z->name);
    if (!old) {
        z->next = cache_head;
        cache_head = z;
    }
    pthread_mutex_unlock(&cache_lock);
    if (old)
        zone_free(z);
    return old ? old : z;
}

static const gf_tz *cache_get(const char *dir, const char *name)
{
    pthread_mutex_lock(&cache_lock);
    gf_tz *z = cache_find(dir, name);
    pthread_mutex_unlock(&cache_lock);
    return z;
}

static bool name_ok(const char *name)
{
    size_t len = strlen(name);
    if (len == 0) {
        set_error("zone \"\": empty name");
        return false;
    }
    if (len > 255) {
        set_error("zone \"%.40s...\": name longer than 255 bytes", name);
        return false;
    }
    if (name[0] == '/') {
        set_error("zone \"%s\": absolute paths are not zone names", name);
        return false;
    }
    const char *comp = name;
    for (const char *p = name;; p++) {
        char c = *p;
        if (c == '/' || c == '\0') {
            size_t n = (size_t)(p - comp);
            if (n == 0 || (n == 1 && comp[0] == '.') ||
                (n == 2 && comp[0] == '.' && comp[1] == '.')) {
                set_error("zone \"%s\": empty, \".\" or \"..\" path "
                          "component", name);
                return false;
            }
            if (c == '\0')
                return true;
            comp = p + 1;
        } else if (!is_alpha(c) && !is_digit(c) && c != '.' && c != '_' &&
                   c != '+' && c != '-') {
            set_error("zone \"%s\": character 0x%02x is not allowed in a "
                      "zone name", name, (unsigned char)c);
            return false;
        }
    }
}

/* Read the whole file at path into a malloc'd buffer. */
static uint8_t *read_file(const char *path, const char *name,
                          const char *dir, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            set_error("zone \"%s\": no such file in %s", name, dir);
        else
            set_error("zone \"%s\": cannot open %s: %s", name, path,
                      strerror(errno));
        return NULL;
    }
    struct stat st;
    uint8_t *buf = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        set_error("zone \"%s\": %s is not a regular file", name, path);
        goto done;
    }
    if (st.st_size > (off_t)TZIF_MAX_BYTES) {
        set_error("zone \"%s\": %s is larger than %u bytes", name, path,
                  TZIF_MAX_BYTES);
        goto done;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    buf = malloc(cap);
    if (!buf) {
        set_error("zone \"%s\": out of memory", name);
        goto done;
    }
    for (;;) {
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            set_error("zone \"%s\": reading %s: %s", name, path,
                      strerror(errno));
            free(buf);
            buf = NULL;
            goto done;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n == cap) { /* the file grew: read no more than the limit */
            if (cap > TZIF_MAX_BYTES)
                break;
            uint8_t *more = realloc(buf, cap * 2);
            if (!more) {
                set_error("zone \"%s\": out of memory", name);
                free(buf);
                buf = NULL;
                goto done;
            }
            buf = more;
            cap *= 2;
        }
    }
    *len = n;
done:
    close(fd);
    return buf;
}

const gf_tz *gf_tz_load_from(const char *dir, const char *name)
{
    if (!name) {
        set_error("zone name is NULL");
        return NULL;
    }
    /* Blanks around a GF_ variable's value are dropped, as for every
     * other GF_ variable; blanks alone count as unset. */
    static _Thread_local char env_dir[4096];
    if (!dir) {
        const char *v = getenv("GF_TZDIR");
        size_t start = 0, end = v ? strlen(v) : 0;
        while (start < end && isspace((unsigned char)v[start]))
            start++;
        while (end > start && isspace((unsigned char)v[end - 1]))
            end--;
        if (end > start && end - start < sizeof env_dir) {
            memcpy(env_dir, v + start, end - start);
            env_dir[end - start] = 0;
            dir = env_dir;
        } else if (end > start) {
            set_error("GF_TZDIR is longer than %zu bytes", sizeof env_dir - 1);
            return NULL;
        } else {
            dir = DEFAULT_TZDIR;
        }
    }
    const gf_tz *hit = cache_get(dir, name);
    if (hit)
        return hit;
    if (!name_ok(name))
        return NULL;
    size_t plen = strlen(dir) + strlen(name) + 2;
    char *path = malloc(plen);
    gf_tz *z = calloc(1, sizeof *z);
    uint8_t *data = NULL;
    size_t len = 0;
    if (!path || !z) {
        set_error("zone \"%s\": out of memory", name);
        goto fail;
    }
    snprintf(path, plen, "%s/%s", dir, name);
    data = read_file(path, name, dir, &len);
    if (!data)
        goto fail;
    char what[300];
    snprintf(what, sizeof what, "\"%s\" (%s)", name, path);
    if (!parse_tzif(data, len, z, what))
        goto fail;
    z->name = strdup(name);
    z->dir = strdup(dir);
    if (!z->name || !z->dir) {
        set_error("zone \"%s\": out of memory", name);
        goto fail;
    }
    free(path);
    free(data);
    return cache_add(z);
fail:
    free(path);
    free(data);
    zone_free(z);
    return NULL;
}

const gf_tz *gf_tz_load(const char *name)
{
    return gf_tz_load_from(NULL, name);
}

/* A POSIX zone is a zone with no transitions and the string as footer; its
 * one type is standard time, used by nothing but kept for the invariant
 * that a zone has a type. */
gf_tz *gf_tz_posix(const char *spec)
{
    if (!spec) {
        set_error("POSIX TZ string is NULL");
        return NULL;
    }
    posix_tz p;
    if (!parse_posix(spec, "POSIX TZ string", &p))
        return NULL;
    gf_tz *z = calloc(1, sizeof *z);
    if (!z || !(z->name = strdup(spec)) ||
        !(z->types = calloc(1, sizeof *z->types))) {
        zone_free(z);
        set_error("POSIX TZ string: out of memory");
        return NULL;
    }
    z->footer = p;
    z->has_footer = true;
    z->owned = true;
    z->ntypes = 1;
    z->types[0] = (tz_type){p.std_utoff, false, z->footer.std};
    return z;
}

void gf_tz_free(gf_tz *tz)
{
    if (tz && tz->owned)
        zone_free(tz);
}
