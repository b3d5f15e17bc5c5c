/*
 * test_time.c - the calendar generators of gadfly/time.h: civil arithmetic
 * against timegm, each generator's validity and its bias toward named edges
 * (each edge within a stated number of cases on at least 95 of 100 seeds),
 * the RFC 3339 and ISO-8601 parsers (known answers, every generated valid
 * string accepted, every invalid one rejected, by flaw), the fake clock's
 * guarantees per mode, shrinking and printing.
 */
#include <limits.h>
#include <stdio.h>
#include <time.h>

#include <gadfly/time.h>

#include "helpers.h"

#define SEEDS 100
#define MAX_EDGES 40

/* Per seed: which edges a run met.  Per test: on how many seeds. */
static bool hit[MAX_EDGES];
static unsigned seeds_hit[MAX_EDGES];

/* Run fn for `cases` cases on each of 100 seeds, every case holding, and
 * count the seeds on which each edge was met. */
static void count_seeds(gf_property_fn fn, const char *name, uint64_t cases)
{
    memset(seeds_hit, 0, sizeof seeds_hit);
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        memset(hit, 0, sizeof hit);
        gf_result r;
        gf_status st = run_property(name, fn, seed, cases, &r);
        cr_assert_eq(st, GF_PASSED, "%s seed %llu: %s\n%s", name,
                     (unsigned long long)seed,
                     r.message ? r.message : "(none)",
                     r.counterexample ? r.counterexample : "");
        gf_result_free(&r);
        for (size_t k = 0; k < MAX_EDGES; k++)
            seeds_hit[k] += hit[k];
    }
}

static void expect_edges(const char *const *names, size_t n, uint64_t cases)
{
    for (size_t k = 0; k < n; k++)
        cr_expect_geq(seeds_hit[k], 95,
                      "%s: within %llu cases on only %u of 100 seeds",
                      names[k], (unsigned long long)cases, seeds_hit[k]);
}

/* ---- civil arithmetic --------------------------------------------------- */

static int64_t timegm_date(int64_t year, int month, int day)
{
    struct tm tm = {.tm_year = (int)(year - 1900), .tm_mon = month - 1,
                    .tm_mday = day};
    return (int64_t)timegm(&tm);
}

/* Every day of 1600..2400 against timegm, and back. */
Test(civil, days_match_timegm_and_round_trip)
{
    for (int64_t y = 1600; y <= 2400; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= gf_days_in_month(y, m); d++) {
                int64_t days = gf_days_from_civil(y, m, d);
                if (d == 1 || d == 28 || d == gf_days_in_month(y, m))
                    cr_assert_eq(days * 86400, timegm_date(y, m, d),
                                 "%lld-%d-%d", (long long)y, m, d);
                int64_t y2;
                int m2, d2;
                gf_civil_from_days(days, &y2, &m2, &d2);
                cr_assert(y2 == y && m2 == m && d2 == d, "%lld-%d-%d",
                          (long long)y, m, d);
            }
}

Test(civil, far_years_round_trip)
{
    const int64_t years[] = {0, -1, -400, -401, 10000, 2147485547,
                             -2147481748, INT64_C(292277026596)};
    for (size_t i = 0; i < sizeof years / sizeof years[0]; i++) {
        int64_t days = gf_days_from_civil(years[i], 2, 29);
        int64_t y;
        int m, d;
        gf_civil_from_days(days, &y, &m, &d);
        bool leap = gf_is_leap_year(years[i]);
        cr_expect(y == years[i] && m == (leap ? 2 : 3) && d == (leap ? 29 : 1),
                  "year %lld", (long long)years[i]);
    }
    cr_expect(gf_is_leap_year(2000) && gf_is_leap_year(2024) &&
              gf_is_leap_year(0) && gf_is_leap_year(-4));
    cr_expect(!gf_is_leap_year(1900) && !gf_is_leap_year(2100) &&
              !gf_is_leap_year(-1) && !gf_is_leap_year(2023));
    cr_expect_eq(gf_days_in_month(1900, 2), 28);
    cr_expect_eq(gf_days_in_month(2000, 2), 29);
    cr_expect_eq(gf_days_in_month(2023, 4), 30);
    cr_expect_eq(gf_days_in_month(2023, 13), 0);
    cr_expect_eq(gf_days_in_month(2023, 0), 0);
}

/* ---- instants ----------------------------------------------------------- */

/* The named instants, and what they are checked to be. */
static const int64_t named_instants[] = {
    0, 1, -1, INT32_MAX, (int64_t)INT32_MAX + 1, INT32_MIN, UINT32_MAX,
    253402300799, 253402300800, 67768036191676799, 67768036191676800,
    -67768040609740800, -67768040609740801, INT64_MAX, INT64_MIN,
    (int64_t)INT32_MIN - 1, (int64_t)UINT32_MAX + 1, -62135596800,
    -62167219200, -62167219201, 951782400, 946684799, 1483228799,
    -2208988800, 4102444800,
};
static const char *const named_instant_names[] = {
    "0", "1", "-1", "2^31-1", "2^31", "-2^31", "2^32-1",
    "9999-12-31T23:59:59Z", "10000-01-01T00:00:00Z", "gmtime_r max",
    "gmtime_r max + 1", "gmtime_r min", "gmtime_r min - 1", "INT64_MAX",
    "INT64_MIN", "-2^31-1", "2^32", "0001-01-01T00:00:00Z",
    "0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z - 1",
    "2000-02-29T00:00:00Z", "1999-12-31T23:59:59Z", "2016-12-31T23:59:59Z",
    "1900-01-01T00:00:00Z", "2100-01-01T00:00:00Z",
};
#define N_NAMED_INSTANTS (sizeof named_instants / sizeof named_instants[0])
#define INSTANT_CASES 500

static unsigned long ordinary_instants, all_instants;
static unsigned long far_future, far_past;

static void note_instant(int64_t v)
{
    for (size_t k = 0; k < N_NAMED_INSTANTS; k++)
        hit[k] |= v == named_instants[k];
    ordinary_instants += v >= -2208988800 && v < 4133980800;
    /* Years 2101..9999 (not the edges there), and 0001..1899. */
    far_future += v >= 4133980800 && v < 253402300799 &&
                  v != (int64_t)UINT32_MAX && v != (int64_t)UINT32_MAX + 1;
    far_past += v >= -62135596800 && v < -2208988800;
    all_instants++;
}

static void prop_instant(gf_case *tc)
{
    note_instant(*(int64_t *)gf_draw(tc, gf_instant()));
}

static void prop_time_t(gf_case *tc)
{
    time_t t = *(time_t *)gf_draw(tc, gf_time_t());
    note_instant((int64_t)t);
}

/* The names above are what the numbers are: the dates by arithmetic, the
 * gmtime_r limits by asking gmtime_r. */
Test(instants, named_edges_are_what_they_say)
{
    cr_expect_eq(gf_days_from_civil(9999, 12, 31) * 86400 + 86399,
                 253402300799);
    cr_expect_eq(gf_days_from_civil(10000, 1, 1) * 86400, 253402300800);
    cr_expect_eq(gf_days_from_civil(1, 1, 1) * 86400, -62135596800);
    cr_expect_eq(gf_days_from_civil(0, 1, 1) * 86400, -62167219200);
    cr_expect_eq(gf_days_from_civil(2000, 2, 29) * 86400, 951782400);
    cr_expect_eq(gf_days_from_civil(2017, 1, 1) * 86400 - 1, 1483228799);
    cr_expect_eq(gf_days_from_civil(1900, 1, 1) * 86400, -2208988800);
    cr_expect_eq(gf_days_from_civil(2100, 1, 1) * 86400, 4102444800);
    struct tm tm;
    time_t t = (time_t)67768036191676799;
    cr_expect(gmtime_r(&t, &tm) != NULL && tm.tm_year == INT_MAX);
    t = (time_t)67768036191676800;
    cr_expect(gmtime_r(&t, &tm) == NULL);
    t = (time_t)-67768040609740800;
    cr_expect(gmtime_r(&t, &tm) != NULL && tm.tm_year == INT_MIN);
    t = (time_t)-67768040609740801;
    cr_expect(gmtime_r(&t, &tm) == NULL);
}

Test(instants, each_edge_within_500_cases)
{
    ordinary_instants = all_instants = 0;
    count_seeds(prop_instant, "instant", INSTANT_CASES);
    expect_edges(named_instant_names, N_NAMED_INSTANTS, INSTANT_CASES);
    /* Ordinary instants of 1900..2100 are still a good share. */
    cr_expect_gt(ordinary_instants * 4, all_instants,
                 "%lu ordinary of %lu", ordinary_instants, all_instants);
}

/* Far-future instants (a year after 2100, outside the edge list) are
 * common enough that a bug there is found in a few dozen cases, and so
 * are instants before 1900: about 5.6% and 5.4% (without the far class, 0.2%
 * and 1.2%). */
Test(instants, far_future_and_far_past)
{
    far_future = far_past = all_instants = 0;
    count_seeds(prop_instant, "instant", INSTANT_CASES);
    cr_expect_gt(far_future * 25, all_instants, "%lu after 2100 of %lu",
                 far_future, all_instants);
    cr_expect_gt(far_past * 50, all_instants, "%lu before 1900 of %lu",
                 far_past, all_instants);
}

Test(instants, time_t_variant_reaches_its_limits)
{
    count_seeds(prop_time_t, "time_t", INSTANT_CASES);
    if (sizeof(time_t) == 8)
        expect_edges(named_instant_names, N_NAMED_INSTANTS, INSTANT_CASES);
    else
        expect_edges(named_instant_names, 6, INSTANT_CASES);
}

/* ---- struct tm ---------------------------------------------------------- */

static bool is_date(const struct tm *tm, int64_t year, int mon, int mday)
{
    return (int64_t)tm->tm_year + 1900 == year && tm->tm_mon == mon - 1 &&
           tm->tm_mday == mday;
}

static const char *const tm_edge_names[] = {
    "Feb 29 2000", "Feb 29 2024", "Feb 28 1900", "Feb 28 2100",
    "Dec 31 23:59:59", "tm_sec 60", "a 30-day month's end",
    "1970-01-01 00:00:00", "tm_year INT_MAX", "tm_year INT_MIN",
    "Mar 1 1900", "Mar 1 2100", "2038-01-19 03:14:07", "1582-10-15",
    "year 0", "year 9999", "year 10000", "1969-12-31 23:59:59",
};
#define TM_CASES 800

static void prop_tm_valid(gf_case *tc)
{
    const struct tm *tm = gf_draw(tc, gf_tm());
    int64_t year = (int64_t)tm->tm_year + 1900;
    int month = tm->tm_mon + 1;
    /* A real date, a time of day, consistent derived fields. */
    GF_ASSERT(tc, month >= 1 && month <= 12);
    GF_ASSERT(tc, tm->tm_mday >= 1 &&
                      tm->tm_mday <= gf_days_in_month(year, month));
    GF_ASSERT(tc, tm->tm_hour >= 0 && tm->tm_hour <= 23);
    GF_ASSERT(tc, tm->tm_min >= 0 && tm->tm_min <= 59);
    GF_ASSERT(tc, tm->tm_sec >= 0 && tm->tm_sec <= 60);
    GF_ASSERT_EQ_INT(tc, tm->tm_isdst, 0);
    int64_t days = gf_days_from_civil(year, month, tm->tm_mday);
    int64_t secs = days * 86400 + tm->tm_hour * 3600 + tm->tm_min * 60 +
                   tm->tm_sec;
    /* timegm agrees (it reads :60 as the next second), and gmtime_r of the
     * result gives back the same fields and the same wday and yday. */
    struct tm copy = *tm;
    time_t t = timegm(&copy);
    GF_ASSERT_EQ_INT(tc, (int64_t)t, secs);
    if (tm->tm_sec < 60) {
        struct tm back;
        GF_ASSERT(tc, gmtime_r(&t, &back) != NULL);
        GF_ASSERT(tc, back.tm_year == tm->tm_year && back.tm_mon == tm->tm_mon &&
                          back.tm_mday == tm->tm_mday &&
                          back.tm_hour == tm->tm_hour &&
                          back.tm_min == tm->tm_min && back.tm_sec == tm->tm_sec);
        GF_ASSERT_EQ_INT(tc, back.tm_wday, tm->tm_wday);
        GF_ASSERT_EQ_INT(tc, back.tm_yday, tm->tm_yday);
    }
    hit[0] |= is_date(tm, 2000, 2, 29);
    hit[1] |= is_date(tm, 2024, 2, 29);
    hit[2] |= is_date(tm, 1900, 2, 28);
    hit[3] |= is_date(tm, 2100, 2, 28);
    hit[4] |= month == 12 && tm->tm_mday == 31 && tm->tm_hour == 23 &&
              tm->tm_min == 59 && tm->tm_sec == 59;
    hit[5] |= tm->tm_sec == 60;
    hit[6] |= tm->tm_mday == 30 && gf_days_in_month(year, month) == 30;
    hit[7] |= is_date(tm, 1970, 1, 1) && tm->tm_hour == 0 &&
              tm->tm_min == 0 && tm->tm_sec == 0;
    hit[8] |= tm->tm_year == INT_MAX;
    hit[9] |= tm->tm_year == INT_MIN;
    hit[10] |= is_date(tm, 1900, 3, 1);
    hit[11] |= is_date(tm, 2100, 3, 1);
    hit[12] |= is_date(tm, 2038, 1, 19) && tm->tm_hour == 3 &&
               tm->tm_min == 14 && tm->tm_sec == 7;
    hit[13] |= is_date(tm, 1582, 10, 15);
    hit[14] |= year == 0;
    hit[15] |= year == 9999;
    hit[16] |= year == 10000;
    hit[17] |= is_date(tm, 1969, 12, 31) && tm->tm_hour == 23 &&
               tm->tm_min == 59 && tm->tm_sec == 59;
}

Test(tm, valid_dates_and_each_edge_within_800_cases)
{
    count_seeds(prop_tm_valid, "tm", TM_CASES);
    expect_edges(tm_edge_names, sizeof tm_edge_names / sizeof tm_edge_names[0],
                 TM_CASES);
}

/* Fields normalised by arithmetic on the civil calendar, for fields small
 * enough that nothing overflows. */
static bool small_fields(const struct tm *tm)
{
    const int lim = 1000000;
    return tm->tm_year > -lim && tm->tm_year < lim && tm->tm_mon > -lim &&
           tm->tm_mon < lim && tm->tm_mday > -lim && tm->tm_mday < lim &&
           tm->tm_hour > -lim && tm->tm_hour < lim && tm->tm_min > -lim &&
           tm->tm_min < lim && tm->tm_sec > -lim && tm->tm_sec < lim;
}

static int64_t normalised_seconds(const struct tm *tm)
{
    int64_t months = (int64_t)tm->tm_year * 12 + tm->tm_mon;
    int64_t year = 1900 + (months >= 0 ? months / 12 : -((-months + 11) / 12));
    int month = (int)(months - (year - 1900) * 12) + 1;
    int64_t days = gf_days_from_civil(year, month, 1) + tm->tm_mday - 1;
    return days * 86400 + (int64_t)tm->tm_hour * 3600 +
           (int64_t)tm->tm_min * 60 + tm->tm_sec;
}

static const char *const raw_edge_names[] = {
    "tm_mon 12", "tm_mday 0", "a negative field", "Feb 29 1900",
    "Feb 29 2100", "Feb 30", "tm_hour 24", "tm_sec 61", "INT_MAX field",
    "INT_MIN field", "in-range 1970-01-01",
};

static void prop_tm_unnormalized(gf_case *tc)
{
    const struct tm *tm = gf_draw(tc, gf_tm_unnormalized());
    if (small_fields(tm)) {
        struct tm copy = *tm;
        GF_ASSERT_EQ_INT(tc, (int64_t)timegm(&copy), normalised_seconds(tm));
    }
    int fields[6] = {tm->tm_sec, tm->tm_min, tm->tm_hour, tm->tm_mday,
                     tm->tm_mon, tm->tm_year};
    hit[0] |= tm->tm_mon == 12;
    hit[1] |= tm->tm_mday == 0;
    for (int i = 0; i < 6; i++) {
        hit[2] |= fields[i] < 0;
        hit[8] |= fields[i] == INT_MAX;
        hit[9] |= fields[i] == INT_MIN;
    }
    hit[3] |= tm->tm_year == 0 && tm->tm_mon == 1 && tm->tm_mday == 29;
    hit[4] |= tm->tm_year == 200 && tm->tm_mon == 1 && tm->tm_mday == 29;
    hit[5] |= tm->tm_mon == 1 && tm->tm_mday == 30;
    hit[6] |= tm->tm_hour == 24;
    hit[7] |= tm->tm_sec == 61;
    hit[10] |= tm->tm_year == 70 && tm->tm_mon == 0 && tm->tm_mday == 1;
}

Test(tm, unnormalized_matches_timegm_and_edges_within_800_cases)
{
    count_seeds(prop_tm_unnormalized, "tm_unnormalized", TM_CASES);
    expect_edges(raw_edge_names, sizeof raw_edge_names / sizeof raw_edge_names[0],
                 TM_CASES);
}

/* ---- offsets ------------------------------------------------------------ */

static const int32_t odd_offsets[] = {345, 330, 525, 765, 825, -570, -210,
                                      -150, 840, -720};
static const char *const odd_offset_names[] = {
    "+05:45", "+05:30", "+08:45", "+12:45", "+13:45", "-09:30", "-03:30",
    "-02:30", "+14:00", "-12:00", "+23:59", "-23:59", "0",
};
#define N_ODD_OFFSETS (sizeof odd_offsets / sizeof odd_offsets[0])
#define OFFSET_CASES 300

static void prop_offset(gf_case *tc)
{
    int32_t v = *(int32_t *)gf_draw(tc, gf_utc_offset());
    GF_ASSERT(tc, v >= -1439 && v <= 1439);
    for (size_t k = 0; k < N_ODD_OFFSETS; k++)
        hit[k] |= v == odd_offsets[k];
    hit[N_ODD_OFFSETS] |= v == 1439;
    hit[N_ODD_OFFSETS + 1] |= v == -1439;
    hit[N_ODD_OFFSETS + 2] |= v == 0;
}

Test(offsets, each_edge_within_300_cases)
{
    count_seeds(prop_offset, "utc_offset", OFFSET_CASES);
    expect_edges(odd_offset_names, N_ODD_OFFSETS + 3, OFFSET_CASES);
}

static const char *const offset_text_names[] = {"Z", "z", "+00:00", "-00:00",
                                                "+05:45", "-09:30"};

static void prop_offset_text(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_utc_offset_text());
    /* Every spelling reads back through the RFC 3339 parser. */
    char buf[64];
    snprintf(buf, sizeof buf, "2000-01-01T12:00:00%s", s);
    gf_datetime dt;
    const char *why;
    GF_ASSERT(tc, gf_rfc3339_parse(buf, &dt, &why));
    for (size_t k = 0; k < 6; k++)
        hit[k] |= strcmp(s, offset_text_names[k]) == 0;
}

/* Zero has four spellings, so each comes a quarter as often as zero. */
#define OFFSET_TEXT_CASES 600

Test(offsets, text_spellings_within_600_cases)
{
    count_seeds(prop_offset_text, "utc_offset_text", OFFSET_TEXT_CASES);
    expect_edges(offset_text_names, 6, OFFSET_TEXT_CASES);
}

/* ---- parsers: known answers --------------------------------------------- */

typedef struct known {
    const char *s;
    bool valid;
    int64_t seconds;
    int32_t ns;
} known;

static void check_known(const known *k, size_t n, bool rfc)
{
    for (size_t i = 0; i < n; i++) {
        gf_datetime dt;
        const char *why = NULL;
        bool ok = rfc ? gf_rfc3339_parse(k[i].s, &dt, &why)
                      : gf_iso8601_parse(k[i].s, &dt, &why);
        cr_expect_eq(ok, k[i].valid, "%s \"%s\": %s (%s)",
                     rfc ? "rfc3339" : "iso8601", k[i].s,
                     ok ? "accepted" : "rejected", why ? why : "");
        if (ok && k[i].valid) {
            cr_expect_eq(dt.seconds, k[i].seconds, "\"%s\": %lld", k[i].s,
                         (long long)dt.seconds);
            cr_expect_eq(dt.nanosecond, k[i].ns, "\"%s\": ns %d", k[i].s,
                         (int)dt.nanosecond);
        }
        cr_expect(ok || why != NULL, "\"%s\": no reason given", k[i].s);
    }
}

Test(parsers, rfc3339_known_answers)
{
    static const known k[] = {
        {"1970-01-01T00:00:00Z", true, 0, 0},
        {"1985-04-12T23:20:50.52Z", true, 482196050, 520000000},
        {"1996-12-19T16:39:57-08:00", true, 851042397, 0},
        {"1990-12-31T23:59:60Z", true, 662688000, 0},
        {"1990-12-31T15:59:60-08:00", true, 662688000, 0},
        {"1937-01-01T12:00:27.87+00:20", true, -1041337173, 870000000},
        {"2024-02-29t05:45:00+05:45", true, 1709164800, 0},
        {"2024-02-29T00:00:00z", true, 1709164800, 0},
        {"2024-02-29T00:00:00-00:00", true, 1709164800, 0},
        {"2024-02-29T00:00:00.123456789+00:00", true, 1709164800, 123456789},
        {"2024-02-29T00:00:00.1234567891Z", true, 1709164800, 123456789},
        {"9999-12-31T23:59:59Z", true, 253402300799, 0},
        {"0000-01-01T00:00:00Z", true, -62167219200, 0},
        {"2023-02-29T00:00:00Z", false, 0, 0},
        {"1900-02-29T00:00:00Z", false, 0, 0},
        {"2100-02-29T00:00:00Z", false, 0, 0},
        {"2024-02-30T00:00:00Z", false, 0, 0},
        {"2024-13-01T00:00:00Z", false, 0, 0},
        {"2024-00-01T00:00:00Z", false, 0, 0},
        {"2024-01-01T24:00:00Z", false, 0, 0},
        {"2024-01-01T00:60:00Z", false, 0, 0},
        {"2024-01-01T00:00:61Z", false, 0, 0},
        {"2024-01-01T12:00:60Z", false, 0, 0},
        {"1990-12-31T23:59:60+01:00", false, 0, 0},
        {"2024-01-01T00:00:00+24:00", false, 0, 0},
        {"2024-01-01T00:00:00+05:60", false, 0, 0},
        {"2024-01-01T00:00:00", false, 0, 0},
        {"2024-01-01 00:00:00Z", false, 0, 0},
        {"2024-01-0100:00:00Z", false, 0, 0},
        {"2024-01-01T00:00:00.Z", false, 0, 0},
        {"2024-01-01T00:00:00Z ", false, 0, 0},
        {"2024-01-01T00:00:00+0545", false, 0, 0},
        {"2024-1-01T00:00:00Z", false, 0, 0},
        {"2020-W53-7T00:00:00Z", false, 0, 0},
        {"", false, 0, 0},
    };
    check_known(k, sizeof k / sizeof k[0], true);
    cr_expect(!gf_rfc3339_valid(NULL));
}

Test(parsers, iso8601_known_answers)
{
    static const known k[] = {
        {"1970-01-01T00:00:00Z", true, 0, 0},
        {"19700101T000000Z", true, 0, 0},
        {"2020-W53-7", true, 1609632000, 0},         /* 2021-01-03 */
        {"2020W537", true, 1609632000, 0},
        {"2009-W01-1", true, 1230508800, 0},         /* 2008-12-29 */
        {"2024-366", true, 1735603200, 0},           /* 2024-12-31 */
        {"2024366T12Z", true, 1735646400, 0},
        {"2024-02-29T24:00:00Z", true, 1709251200, 0},
        {"2024-02-29T24:00Z", true, 1709251200, 0},
        {"2024-02-29T24Z", true, 1709251200, 0},
        {"2024-02-29T12:30+05:45", true, 1709189100, 0},
        {"2024-02-29T12+05", true, 1709190000, 0},
        {"20240229T1230+0545", true, 1709189100, 0},
        {"2024-02-29T12,5Z", true, 1709209800, 0},   /* 12:30 */
        {"2024-02-29T12:00.25Z", true, 1709208015, 0},
        {"2024-02-29T12:00:00,5Z", true, 1709208000, 500000000},
        {"1990-12-31T15:59:60-08:00", true, 662688000, 0},
        {"2024-02-29T10:00:60", true, 1709200860, 0},
        {"2015-W53-1", true, 1451260800, 0},         /* 2015-12-28 */
        {"2021-W53-1", false, 0, 0},
        {"2023-366", false, 0, 0},
        {"2024-367", false, 0, 0},
        {"2020-W54-1", false, 0, 0},
        {"2020-W01-8", false, 0, 0},
        {"2024-02-29T24:00:01Z", false, 0, 0},
        {"2024-02-29T24:00:00.5Z", false, 0, 0},
        {"2024-02-29T25Z", false, 0, 0},
        {"2024-02-29T12:00:00-00:00", false, 0, 0},
        {"2024-02-29T12:00:00+24", false, 0, 0},
        {"20240229T12:00:00Z", false, 0, 0},
        {"2024-02-29T120000Z", false, 0, 0},
        {"2024-02-29T12:00:00+0545", false, 0, 0},
        {"20240229T120000+05:45", false, 0, 0},
        {"2024-02-29t12:00:00Z", false, 0, 0},
        {"2024-02-29T12:00:00z", false, 0, 0},
        {"2024-02", false, 0, 0},
        {"2024-02-29T", false, 0, 0},
        {"2024-02-29T12:00:00Zjunk", false, 0, 0},
        {"2024-02-29T12:00:61Z", false, 0, 0},
    };
    check_known(k, sizeof k / sizeof k[0], false);
}

/* ---- valid strings ------------------------------------------------------ */

/* Read an RFC 3339 string's fields with sscanf and compute its instant
 * with timegm: an answer that shares no code with the parser. */
static bool timegm_of_rfc3339(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, sec, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%*1[Tt]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
               &sec, &n) != 6)
        return false;
    const char *p = s + n;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    int off = 0;
    if (*p == '+' || *p == '-') {
        int oh, om;
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2)
            return false;
        off = (*p == '-' ? -1 : 1) * (oh * 60 + om);
    }
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = h, .tm_min = mi, .tm_sec = sec};
    *out = (int64_t)timegm(&tm) - off * 60;
    return true;
}

static const char *const rfc_edge_names[] = {
    "leap second :60", "-00:00", "+05:45", "lower-case t", "Feb 29",
    "Z", "1 fraction digit", "9 fraction digits", "-09:30", "+13:45",
};
#define STRING_CASES 500

static void prop_rfc3339(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_rfc3339());
    gf_datetime dt;
    const char *why = NULL;
    if (!gf_rfc3339_parse(s, &dt, &why))
        GF_FAIL(tc, "rejected: %s", why);
    GF_ASSERT(tc, gf_iso8601_valid(s) || strpbrk(s, "tz") ||
                      strstr(s, "-00:00"));
    int64_t expect;
    GF_ASSERT(tc, timegm_of_rfc3339(s, &expect));
    GF_ASSERT_EQ_INT(tc, dt.seconds, expect);
    hit[0] |= strstr(s, ":60") != NULL;
    hit[1] |= strstr(s, "-00:00") != NULL;
    hit[2] |= strstr(s, "+05:45") != NULL;
    hit[3] |= strchr(s, 't') != NULL;
    hit[4] |= strstr(s, "-02-29") != NULL;
    hit[5] |= strchr(s, 'Z') != NULL;
    const char *dot = strchr(s, '.');
    if (dot) {
        size_t digits = strspn(dot + 1, "0123456789");
        hit[6] |= digits == 1;
        hit[7] |= digits == 9;
    }
    hit[8] |= strstr(s, "-09:30") != NULL;
    hit[9] |= strstr(s, "+13:45") != NULL;
}

Test(strings, rfc3339_valid_agree_with_timegm_and_edges_within_500_cases)
{
    count_seeds(prop_rfc3339, "rfc3339", STRING_CASES);
    expect_edges(rfc_edge_names, sizeof rfc_edge_names / sizeof rfc_edge_names[0],
                 STRING_CASES);
}

static const char *const iso_edge_names[] = {
    "week 53", "ordinal day 366", "T24", "basic format", "extended format",
    "week date", "ordinal date", "comma fraction", "hour-only offset",
    "no offset", "date only", "leap second",
};

static bool has_ordinal_366(const char *s)
{
    /* YYYY-366 or YYYY366, then the end or T. */
    const char *p = strstr(s, "366");
    return p && (p == s + 5 || p == s + 4) && (p[3] == '\0' || p[3] == 'T');
}

static void prop_iso8601(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_iso8601());
    const char *why = NULL;
    gf_datetime iso, rfc;
    if (!gf_iso8601_parse(s, &iso, &why))
        GF_FAIL(tc, "rejected: %s", why);
    /* Where the two grammars overlap, they read the same instant. */
    if (gf_rfc3339_parse(s, &rfc, NULL)) {
        GF_ASSERT_EQ_INT(tc, iso.seconds, rfc.seconds);
        GF_ASSERT_EQ_INT(tc, iso.nanosecond, rfc.nanosecond);
    }
    const char *t = strchr(s, 'T');
    const char *zone = t ? strpbrk(t, "Z+-") : NULL;
    hit[0] |= strstr(s, "W53") != NULL;
    hit[1] |= has_ordinal_366(s);
    hit[2] |= t && strncmp(t, "T24", 3) == 0;
    hit[3] |= s[4] != '-';
    hit[4] |= s[4] == '-';
    hit[5] |= strchr(s, 'W') != NULL;
    hit[6] |= (s[4] == '-' && s[8] != '-' && s[5] != 'W') ||
              (s[4] != '-' && s[4] != 'W' && (s[7] == '\0' || s[7] == 'T'));
    hit[7] |= strchr(s, ',') != NULL;
    hit[8] |= zone && *zone != 'Z' && strlen(zone) == 3;
    hit[9] |= t && !zone;
    hit[10] |= !t;
    hit[11] |= t && (strstr(t, ":60") || strstr(t, "60Z") || strstr(t, "60+") ||
                     strstr(t, "60-") || strstr(t, "60."));
}

Test(strings, iso8601_valid_and_edges_within_500_cases)
{
    count_seeds(prop_iso8601, "iso8601", STRING_CASES);
    expect_edges(iso_edge_names, sizeof iso_edge_names / sizeof iso_edge_names[0],
                 STRING_CASES);
}

/* ---- invalid strings ---------------------------------------------------- */

static unsigned current_flaw;
static unsigned long invalid_seen;

static void prop_invalid(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_datetime_invalid(current_flaw));
    GF_ASSERT(tc, !gf_rfc3339_valid(s));
    if (current_flaw != 0 && current_flaw != GF_FLAW_TRUNCATED)
        GF_ASSERT(tc, !gf_iso8601_valid(s));
    invalid_seen++;
}

/* Every flaw, drawn alone, gives strings both parsers reject (a truncated
 * string may still be a shorter valid ISO-8601 one). */
Test(strings, every_flaw_rejected_by_class)
{
    for (unsigned bit = 0; bit < 12; bit++) {
        current_flaw = 1u << bit;
        invalid_seen = 0;
        gf_result r;
        gf_status st = run_property("invalid", prop_invalid, 40 + bit, 300, &r);
        cr_expect_eq(st, GF_PASSED, "flaw %s: %s\n%s",
                     gf_time_flaw_name((gf_time_flaw)current_flaw),
                     r.message ? r.message : "",
                     r.counterexample ? r.counterexample : "");
        cr_expect_geq(invalid_seen, 300);
        gf_result_free(&r);
    }
    current_flaw = 0;
    RUN_PASSING(prop_invalid, 60, 500);
}

/* The named invalid strings of each class are reached. */
static const char *const flaw_edge_names[] = {
    "+24:00", "Feb 30", "Feb 29 of 1900 or 2100", ":61", "month 13",
    "T missing", "trailing garbage", "month 00",
};

static void prop_invalid_edges(gf_case *tc)
{
    unsigned flaws[] = {GF_FLAW_OFFSET_HOUR, GF_FLAW_DAY, GF_FLAW_DAY,
                        GF_FLAW_SECOND, GF_FLAW_MONTH, GF_FLAW_NO_T,
                        GF_FLAW_TRAILING, GF_FLAW_MONTH};
    for (size_t k = 0; k < 8; k++) {
        const char *s = gf_draw(tc, gf_datetime_invalid(flaws[k]));
        GF_ASSERT(tc, !gf_rfc3339_valid(s));
        switch (k) {
        case 0: hit[k] |= strstr(s, "+24:00") || strstr(s, "-24:00"); break;
        case 1: hit[k] |= strstr(s, "-02-30T") != NULL; break;
        case 2: hit[k] |= strncmp(s, "1900-02-29", 10) == 0 ||
                          strncmp(s, "2100-02-29", 10) == 0; break;
        case 3: hit[k] |= strstr(s, ":61") != NULL; break;
        case 4: hit[k] |= strncmp(s + 4, "-13-", 4) == 0; break;
        case 5: hit[k] |= strpbrk(s, "Tt") == NULL; break;
        case 6: hit[k] |= true; break;
        default: hit[k] |= strncmp(s + 4, "-00-", 4) == 0; break;
        }
    }
}

Test(strings, named_flaws_within_300_cases)
{
    count_seeds(prop_invalid_edges, "invalid_edges", 300);
    expect_edges(flaw_edge_names, 8, 300);
}

static const gf_gen *misused;

static void prop_draw_misused(gf_case *tc)
{
    gf_draw(tc, misused);
}

Test(strings, bad_flaw_bits_are_misuse)
{
    misused = gf_datetime_invalid(1u << 20);
    gf_result r;
    gf_status st = run_property("misuse", prop_draw_misused, 1, 10, &r);
    cr_expect_neq(st, GF_PASSED);
    cr_expect(r.message && strstr(r.message, "datetime_invalid") &&
                  strstr(r.message, "GF_FLAW_ALL"),
              "message: %s", r.message ? r.message : "(none)");
    gf_result_free(&r);
    cr_expect_str_eq(gf_time_flaw_name(GF_FLAW_OFFSET_HOUR), "offset hour");
    cr_expect_str_eq(gf_time_flaw_name((gf_time_flaw)3), "unknown");
}

/* ---- the clock ---------------------------------------------------------- */

static gf_clock_mode clock_mode;
static unsigned long clock_jumps, clock_backs, clock_steps;

/* Read the clock 20 times and check the mode's promise. */
static void prop_clock(gf_case *tc)
{
    gf_clock *c = gf_clock_new(tc, clock_mode, 1000);
    int64_t prev = gf_clock_now(c);
    GF_ASSERT_EQ_INT(tc, prev, 1000);
    for (int i = 0; i < 20; i++) {
        int64_t now = gf_clock_now(c);
        int64_t step = now - prev;
        if (clock_mode != GF_CLOCK_BACKWARDS)
            GF_ASSERT_GE_INT(tc, step, 0);
        if (clock_mode == GF_CLOCK_MONOTONIC)
            GF_ASSERT_LE_INT(tc, step, 10000000);
        GF_ASSERT_LE_INT(tc, step, INT64_C(30) * 86400 * 1000000000);
        GF_ASSERT_GE_INT(tc, step, -INT64_C(3600) * 1000000000);
        clock_jumps += step >= 1000000000;
        clock_backs += step < 0;
        clock_steps++;
        hit[0] |= step >= 1000000000;
        hit[1] |= step < 0;
        hit[2] |= step == 0;
        prev = now;
    }
    GF_ASSERT_EQ_UINT(tc, gf_clock_readings(c), 21);
}

static const char *const clock_edge_names[] = {"a jump forward",
                                               "a step back", "no change"};

Test(clock, monotonic_never_decreases_nor_jumps)
{
    clock_mode = GF_CLOCK_MONOTONIC;
    clock_jumps = clock_backs = 0;
    count_seeds(prop_clock, "clock_monotonic", 50);
    cr_expect_eq(clock_jumps, 0);
    cr_expect_eq(clock_backs, 0);
    cr_expect_geq(seeds_hit[2], 95, "no change: on only %u of 100 seeds",
                  seeds_hit[2]);
}

Test(clock, jumping_jumps_forward_within_50_cases)
{
    clock_mode = GF_CLOCK_JUMPING;
    clock_backs = 0;
    count_seeds(prop_clock, "clock_jumping", 50);
    cr_expect_eq(clock_backs, 0);
    expect_edges(clock_edge_names, 1, 50);
}

Test(clock, backwards_steps_back_within_50_cases)
{
    clock_mode = GF_CLOCK_BACKWARDS;
    count_seeds(prop_clock, "clock_backwards", 50);
    expect_edges(clock_edge_names, 2, 50);
}

/* Code that assumes the clock never goes back: found, and shrunk to the
 * smallest step back, one nanosecond, right after the first reading. */
static void prop_assumes_monotonic(gf_case *tc)
{
    gf_clock *c = gf_clock_new(tc, clock_mode, 0);
    int64_t prev = gf_clock_now(c);
    for (int i = 0; i < 10; i++) {
        int64_t now = gf_clock_now(c);
        GF_ASSERT_GE_INT(tc, now, prev);
        prev = now;
    }
}

Test(clock, backwards_step_found_and_shrunk_to_one_nanosecond)
{
    for (uint64_t seed = 1; seed <= 5; seed++) {
        clock_mode = GF_CLOCK_BACKWARDS;
        gf_result r;
        gf_status st = run_property("assumes_monotonic",
                                    prop_assumes_monotonic, seed, 100, &r);
        cr_expect_eq(st, GF_FAILED, "seed %llu: not found",
                     (unsigned long long)seed);
        cr_expect(r.message && strstr(r.message, "now = -1") &&
                      strstr(r.message, "prev = 0"),
                  "seed %llu: %s", (unsigned long long)seed,
                  r.message ? r.message : "(none)");
        gf_result_free(&r);
        clock_mode = GF_CLOCK_JUMPING;
        RUN_PASSING(prop_assumes_monotonic, seed, 100);
    }
}

static void prop_clock_edges(gf_case *tc)
{
    gf_clock *hi = gf_clock_new(tc, GF_CLOCK_JUMPING, INT64_MAX - 5);
    gf_clock_now(hi);
    for (int i = 0; i < 5; i++)
        GF_ASSERT_EQ_INT(tc, gf_clock_now(hi) >= INT64_MAX - 5, 1);
    gf_clock *lo = gf_clock_new(tc, GF_CLOCK_BACKWARDS, INT64_MIN + 5);
    gf_clock_now(lo);
    for (int i = 0; i < 5; i++)
        GF_ASSERT(tc, gf_clock_now(lo) >= INT64_MIN);
    gf_clock *ts = gf_clock_new(tc, GF_CLOCK_BACKWARDS, -1);
    struct timespec t = gf_clock_timespec(ts);
    GF_ASSERT_EQ_INT(tc, (int64_t)t.tv_sec, -1);
    GF_ASSERT_EQ_INT(tc, t.tv_nsec, 999999999);
    for (int i = 0; i < 5; i++) {
        t = gf_clock_timespec(ts);
        GF_ASSERT(tc, t.tv_nsec >= 0 && t.tv_nsec < 1000000000);
    }
}

Test(clock, saturates_and_timespec_is_normalised)
{
    RUN_PASSING(prop_clock_edges, 3, 200);
}

static void prop_clock_bad_mode(gf_case *tc)
{
    gf_clock_new(tc, (gf_clock_mode)7, 0);
}

Test(clock, unknown_mode_is_misuse)
{
    gf_result r;
    gf_status st = run_property("bad_mode", prop_clock_bad_mode, 1, 10, &r);
    cr_expect_neq(st, GF_PASSED);
    cr_expect(r.message && strstr(r.message, "gf_clock_mode 7"),
              "message: %s", r.message ? r.message : "(none)");
    gf_result_free(&r);
}

/* ---- shrinking and printing --------------------------------------------- */


static void prop_fails_instant(gf_case *tc)
{
    gf_draw(tc, gf_instant());
    GF_FAIL(tc, "always");
}

static void prop_fails_tm(gf_case *tc)
{
    gf_draw(tc, gf_tm());
    GF_FAIL(tc, "always");
}

static void prop_fails_tm_unnormalized(gf_case *tc)
{
    gf_draw(tc, gf_tm_unnormalized());
    GF_FAIL(tc, "always");
}

static void prop_fails_rfc3339(gf_case *tc)
{
    gf_draw(tc, gf_rfc3339());
    GF_FAIL(tc, "always");
}

static void prop_fails_iso8601(gf_case *tc)
{
    gf_draw(tc, gf_iso8601());
    GF_FAIL(tc, "always");
}

static void prop_fails_offset_text(gf_case *tc)
{
    gf_draw(tc, gf_utc_offset_text());
    GF_FAIL(tc, "always");
}

static void prop_fails_fraction(gf_case *tc)
{
    GF_ASSERT(tc, strchr(gf_draw(tc, gf_rfc3339()), '.') == NULL);
}

static void prop_fails_odd_offset(gf_case *tc)
{
    GF_ASSERT(tc, *(int32_t *)gf_draw(tc, gf_utc_offset()) % 60 == 0);
}

/* Whatever a run found first, a value that always fails shrinks to the
 * epoch; a fraction to one digit; an odd offset to one minute. */
Test(shrinking, toward_the_epoch)
{
    for (uint64_t seed = 1; seed <= 3; seed++) {
        expect_shrunk(prop_fails_instant, seed, "= 0 /* 1970-01-01T00:00:00Z */");
        expect_shrunk(prop_fails_tm, seed,
                      "= (struct tm){.tm_year = 70, .tm_mon = 0, .tm_mday = 1, "
                      ".tm_hour = 0, .tm_min = 0, .tm_sec = 0, .tm_wday = 4, "
                      ".tm_yday = 0, .tm_isdst = 0} /* 1970-01-01 00:00:00 */");
        expect_shrunk(prop_fails_tm_unnormalized, seed,
                      "= (struct tm){.tm_year = 70, .tm_mon = 0, .tm_mday = 1, "
                      ".tm_hour = 0, .tm_min = 0, .tm_sec = 0, .tm_wday = 0, "
                      ".tm_yday = 0, .tm_isdst = 0}");
        expect_shrunk(prop_fails_rfc3339, seed, "= \"1970-01-01T00:00:00Z\"");
        expect_shrunk(prop_fails_iso8601, seed, "= \"1970-01-01T00:00:00Z\"");
        expect_shrunk(prop_fails_offset_text, seed, "= \"Z\"");
        expect_shrunk(prop_fails_fraction, seed,
                      "= \"1970-01-01T00:00:00.0Z\"");
        expect_shrunk(prop_fails_odd_offset, seed, "= 1 /* +00:01 */");
    }
}

static void prop_fails_late_instant(gf_case *tc)
{
    GF_ASSERT(tc, *(int64_t *)gf_draw(tc, gf_instant()) < 1000000000);
}

static bool is_named_instant(int64_t v)
{
    for (size_t k = 0; k < N_NAMED_INSTANTS; k++)
        if (v == named_instants[k])
            return true;
    return false;
}

/*
 * A threshold: "instants before 2001-09-09T01:46:40Z".  Every run shrinks
 * to the threshold itself, including those that found an edge first
 * (2^31 - 1, 2^32 - 1): the instant is one choice, however it was chosen.
 */
Test(shrinking, threshold_reached_from_edges_too)
{
    int from_edge = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        gf_result r;
        gf_status st = run_property("late_instant", prop_fails_late_instant,
                                    seed, 1000, &r);
        cr_assert_eq(st, GF_FAILED);
        const char *eq = strstr(r.counterexample, "= ");
        int64_t v = eq ? strtoll(eq + 2, NULL, 10) : -1;
        cr_expect_eq(v, 1000000000, "seed %llu shrank to %s",
                     (unsigned long long)seed, r.counterexample);
        gf_result_free(&r);
        /* How the failure was first found: the same run, not shrunk. */
        gf_property p = {.name = "late_instant",
                         .fn = prop_fails_late_instant};
        gf_options o = {.seed = seed, .seed_set = true, .trials = 1000,
                        .quiet = true, .max_shrink_calls = 1};
        memset(&r, 0, sizeof r);
        gf_run(&p, &o, &r);
        eq = r.counterexample ? strstr(r.counterexample, "= ") : NULL;
        v = eq ? strtoll(eq + 2, NULL, 10) : -1;
        from_edge += is_named_instant(v);
        gf_result_free(&r);
    }
    /* Some of those runs did start from an edge. */
    cr_expect_gt(from_edge, 0, "no seed started from an edge");
}

/* A seed pins the values: two runs with one seed see the same strings. */
static char seen_text[2][4096];
static int seen_run;

static void prop_collect(gf_case *tc)
{
    char *dst = seen_text[seen_run];
    size_t len = strlen(dst);
    const char *s = gf_draw(tc, gf_iso8601());
    int64_t t = *(int64_t *)gf_draw(tc, gf_instant());
    snprintf(dst + len, sizeof seen_text[0] - len, "%s %lld\n", s,
             (long long)t);
}

Test(determinism, same_seed_same_values)
{
    memset(seen_text, 0, sizeof seen_text);
    for (seen_run = 0; seen_run < 2; seen_run++)
        RUN_PASSING(prop_collect, 77, 50);
    cr_expect_str_eq(seen_text[0], seen_text[1]);
    cr_expect_gt(strlen(seen_text[0]), 500);
}

Test(printing, values_print_as_c)
{
    int64_t v = INT64_MIN;
    char *s = gf_value_to_string(gf_instant(), &v);
    cr_expect_str_eq(s, "INT64_MIN /* -292277022657-01-27T08:29:52Z */");
    free(s);
    v = 253402300800;
    s = gf_value_to_string(gf_instant(), &v);
    cr_expect_str_eq(s, "253402300800 /* +10000-01-01T00:00:00Z */");
    free(s);
    struct tm tm = {.tm_year = INT_MIN, .tm_mon = 0, .tm_mday = 1,
                    .tm_wday = 2};
    s = gf_value_to_string(gf_tm_unnormalized(), &tm);
    cr_expect_str_eq(s, "(struct tm){.tm_year = INT_MIN, .tm_mon = 0, "
                        ".tm_mday = 1, .tm_hour = 0, .tm_min = 0, "
                        ".tm_sec = 0, .tm_wday = 2, .tm_yday = 0, "
                        ".tm_isdst = 0}");
    free(s);
    int32_t off = -570;
    s = gf_value_to_string(gf_utc_offset(), &off);
    cr_expect_str_eq(s, "-570 /* -09:30 */");
    free(s);
}

