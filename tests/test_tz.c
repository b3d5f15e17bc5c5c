/*
 * test_tz.c - the time zone reader (generators/tzif.c) and the time zone
 * generators (generators/tzgen.c).
 *
 * The reader is checked against glibc over every zone under
 * /usr/share/zoneinfo: only this file may set TZ and call tzset(), to get
 * glibc's answer; the library itself must not (a test below checks that).
 * Malformed files are built in a temporary directory, from a small TZif
 * writer and by truncating and corrupting real files.
 *
 * Generator biases are checked the way tests/test_generators.c does: a
 * property with a pinned seed counts what it sees, and a named edge case
 * must appear within a stated number of cases on at least 95 of 100 seeds.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gadfly/tz.h>

#include "helpers.h"

#define ZONEINFO "/usr/share/zoneinfo"
#define Y1900 (-2208988800LL)
#define Y2100 4102444800LL

static bool have_zoneinfo(void)
{
    struct stat st;
    return stat(ZONEINFO "/UTC", &st) == 0;
}

#define NEED_ZONEINFO()                                                      \
    do {                                                                     \
        if (!have_zoneinfo())                                                \
            cr_skip_test("no " ZONEINFO " (apt-get install tzdata)");        \
    } while (0)

static const gf_tz *load(const char *name)
{
    const gf_tz *z = gf_tz_load_from(ZONEINFO, name);
    cr_assert(z, "%s does not load: %s", name, gf_tz_error());
    return z;
}

/* A zone from a POSIX string; the caller frees it with gf_tz_free. */
static gf_tz *posix(const char *spec)
{
    gf_tz *z = gf_tz_posix(spec);
    cr_assert(z, "%s does not parse: %s", spec, gf_tz_error());
    return z;
}

/* Seconds from 1970 of a UTC date and time. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = h, .tm_min = mi, .tm_sec = s};
    return (int64_t)timegm(&tm);
}

static struct tm wall(int y, int mo, int d, int h, int mi, int s)
{
    return (struct tm){.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                       .tm_hour = h, .tm_min = mi, .tm_sec = s,
                       .tm_isdst = -1};
}

static long utoff_at(const gf_tz *z, int64_t t)
{
    long off = LONG_MIN;
    cr_assert(gf_tz_localtime(z, t, NULL, &off, NULL, NULL));
    return off;
}

/* ---- against glibc, every zone ------------------------------------------ */

typedef struct diff_stats {
    long zones, instants, mismatches, roundtrips, mktimes, leap_seconds;
} diff_stats;

static diff_stats stats;

static void report_mismatch(const char *zone, int64_t t, const struct tm *g,
                            const struct tm *m, long off, bool dst,
                            const char *abbr)
{
    if (stats.mismatches++ >= 10)
        return;
    cr_log_error("%s at %" PRId64 ": glibc %04d-%02d-%02d %02d:%02d:%02d "
                 "wday %d yday %d off %ld dst %d %s; gadfly %04d-%02d-%02d "
                 "%02d:%02d:%02d wday %d yday %d off %ld dst %d %s",
                 zone, t, g->tm_year + 1900, g->tm_mon + 1, g->tm_mday,
                 g->tm_hour, g->tm_min, g->tm_sec, g->tm_wday, g->tm_yday,
                 g->tm_gmtoff, g->tm_isdst, g->tm_zone, m->tm_year + 1900,
                 m->tm_mon + 1, m->tm_mday, m->tm_hour, m->tm_min, m->tm_sec,
                 m->tm_wday, m->tm_yday, off, dst, abbr);
}

/* Compare one instant with glibc (TZ already set to the zone); with
 * with_mktime, also check that mktime's answer is one of ours. */
static void compare_at(const char *zone, const gf_tz *z, int64_t t,
                       bool with_mktime)
{
    time_t tt = (time_t)t;
    struct tm g, m;
    if (!localtime_r(&tt, &g))
        return;
    long off;
    bool dst;
    const char *abbr;
    stats.instants++;
    if (!gf_tz_localtime(z, t, &m, &off, &dst, &abbr)) {
        report_mismatch(zone, t, &g, &g, 0, 0, "(failed)");
        return;
    }
    if (g.tm_year != m.tm_year || g.tm_mon != m.tm_mon ||
        g.tm_mday != m.tm_mday || g.tm_hour != m.tm_hour ||
        g.tm_min != m.tm_min || g.tm_sec != m.tm_sec ||
        g.tm_wday != m.tm_wday || g.tm_yday != m.tm_yday ||
        g.tm_isdst != m.tm_isdst || g.tm_isdst != (int)dst ||
        g.tm_gmtoff != off || m.tm_gmtoff != off ||
        strcmp(g.tm_zone, abbr) != 0 || strcmp(m.tm_zone, abbr) != 0) {
        report_mismatch(zone, t, &g, &m, off, dst, abbr);
        return;
    }
    if (m.tm_sec == 60) {
        stats.leap_seconds++;
        return; /* a leap second has no wall time of its own */
    }
    /* Back again: t is one of the instants with this wall time. */
    int64_t c[2];
    int n = gf_tz_local_to_utc(z, &m, c);
    stats.roundtrips++;
    if (n == 0 || (c[0] != t && c[1] != t)) {
        if (stats.mismatches++ < 10)
            cr_log_error("%s at %" PRId64 ": local_to_utc gave %d: %" PRId64
                         ", %" PRId64, zone, t, n, c[0], c[1]);
        return;
    }
    if (with_mktime) {
        g.tm_isdst = -1;
        time_t back = mktime(&g);
        stats.mktimes++;
        if (back != (time_t)c[0] && back != (time_t)c[1] &&
            stats.mismatches++ < 10)
            cr_log_error("%s at %" PRId64 ": mktime gave %lld, not %" PRId64
                         " or %" PRId64, zone, t, (long long)back, c[0],
                         c[1]);
    }
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static size_t zoneinfo_prefix;
/* 2016-12-31T23:59:59Z as a POSIX time (not from timegm: with TZ set to
 * a right/ zone, glibc's timegm counts leap seconds). */
#define LAST_LEAP_EVE 1483228799

static int compare_zone(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag != FTW_F)
        return 0;
    const char *name = path + zoneinfo_prefix;
    const gf_tz *z = gf_tz_load_from(ZONEINFO, name);
    if (!z)
        return 0; /* zone.tab, leapseconds and the like */
    /* putenv of a buffer of our own: setenv would leak every old value. */
    static char tz[PATH_MAX + 8];
    snprintf(tz, sizeof tz, "TZ=:%s", path);
    putenv(tz);
    tzset();
    stats.zones++;

    /* Every transition 1900-2100, one second either side. */
    gf_tz_transition tr[64];
    int64_t from = Y1900;
    size_t n;
    while ((n = gf_tz_transitions(z, from, Y2100, tr, 64)) > 0) {
        for (size_t i = 0; i < n; i++)
            for (int64_t d = -1; d <= 1; d++)
                compare_at(name, z, tr[i].at + d, d == 0);
        from = tr[n - 1].at + 1;
    }
    /* Random instants over the same span. */
    uint64_t seed = 0x9E3779B97F4A7C15ull ^ (uint64_t)stats.zones;
    for (int i = 0; i < 100; i++)
        compare_at(name, z,
                   Y1900 + (int64_t)(xorshift(&seed) %
                                     (uint64_t)(Y2100 - Y1900)),
                   i % 16 == 0);
    /* Leap seconds (right/ zones count them): around the one inserted at
     * 2016-12-31 23:59:60 UTC, the 27th, so 26 seconds past its POSIX
     * time. */
    if (strncmp(name, "right/", 6) == 0)
        for (int64_t d = 20; d < 32; d++)
            compare_at(name, z, LAST_LEAP_EVE + d, false);
    return 0;
}

Test(reader, agrees_with_glibc_on_every_zone, .timeout = 60)
{
    NEED_ZONEINFO();
    memset(&stats, 0, sizeof stats);
    zoneinfo_prefix = strlen(ZONEINFO) + 1;
    cr_assert_eq(nftw(ZONEINFO, compare_zone, 16, FTW_PHYS), 0);
    cr_log_info("%ld zones, %ld instants, %ld round trips, %ld mktime, %ld "
                "leap seconds", stats.zones, stats.instants, stats.roundtrips,
                stats.mktimes, stats.leap_seconds);
    cr_expect_geq(stats.zones, 300, "only %ld zones loaded", stats.zones);
    cr_expect_geq(stats.instants, 100000, "only %ld instants compared",
                  stats.instants);
    cr_expect_gt(stats.leap_seconds, 0, "no leap second compared");
    cr_expect_eq(stats.mismatches, 0, "%ld disagreements with glibc",
                  stats.mismatches);
}

/* POSIX TZ strings on their own, against glibc, from 1970: glibc
 * computes the rules of every earlier year as if it began on 1970-01-01.
 * Only strings with rules: "EST5EDT" alone makes glibc read the file of
 * that name. */
static void compare_posix(const char *spec)
{
    gf_tz *z = posix(spec);
    static char tz[256];
    snprintf(tz, sizeof tz, "TZ=%s", spec);
    putenv(tz);
    tzset();
    gf_tz_transition tr[8];
    int64_t from = 0;
    size_t n;
    while ((n = gf_tz_transitions(z, from, Y2100, tr, 8)) > 0) {
        for (size_t i = 0; i < n; i++)
            for (int64_t d = -1; d <= 1; d++)
                compare_at(spec, z, tr[i].at + d, d == 0);
        from = tr[n - 1].at + 1;
    }
    uint64_t seed = 12345;
    for (int i = 0; i < 200; i++)
        compare_at(spec, z, (int64_t)(xorshift(&seed) % (uint64_t)Y2100),
                   true);
    gf_tz_free(z);
}

Test(reader, posix_strings_agree_with_glibc)
{
    static const char *const specs[] = {
        "UTC0", "<+0545>-5:45", "IST-5:30", "EST5EDT,M3.2.0,M11.1.0",
        "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
        "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", "IST-1GMT0,M10.5.0,M3.5.0/1",
        "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", "PST8PDT,J60,J300",
        "<+0330>-3:30<+0430>,J79/24,J263/24", "CET-1CEST,M3.5.0,M10.5.0/3",
        "AAA3BBB,59,300", "<-000001>0:00:01", "AAA+0:00:01",
        "XXX-3YYY,M2.5.0/26,M11.5.6/-26",
    };
    memset(&stats, 0, sizeof stats);
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        compare_posix(specs[i]);
    cr_expect_eq(stats.mismatches, 0, "%ld disagreements with glibc",
                  stats.mismatches);
    cr_expect_gt(stats.instants, 3000);
}

/* ---- facts about particular zones ----------------------------------------- */

Test(reader, odd_offsets_and_lmt)
{
    NEED_ZONEINFO();
    int64_t t2020 = utc(2020, 6, 1, 0, 0, 0);
    cr_expect_eq(utoff_at(load("Asia/Kathmandu"), t2020), 5 * 3600 + 2700);
    cr_expect_eq(utoff_at(load("Australia/Eucla"), t2020), 8 * 3600 + 2700);
    cr_expect_eq(utoff_at(load("Pacific/Marquesas"), t2020), -9 * 3600 - 1800);
    cr_expect_eq(utoff_at(load("Pacific/Kiritimati"), t2020), 14 * 3600);
    cr_expect_eq(utoff_at(load("Etc/GMT+12"), t2020), -12 * 3600);
    /* Chatham: +12:45 in winter, +13:45 in summer. */
    const gf_tz *chatham = load("Pacific/Chatham");
    cr_expect_eq(utoff_at(chatham, t2020), 12 * 3600 + 2700);
    cr_expect_eq(utoff_at(chatham, utc(2020, 1, 1, 0, 0, 0)),
                 13 * 3600 + 2700);
    /* Amsterdam Mean Time, +00:19:32, in 1930. */
    cr_expect_eq(utoff_at(load("Europe/Amsterdam"), utc(1930, 1, 1, 0, 0, 0)),
                 19 * 60 + 32);
    /* Monrovia: -00:44:30 until 1972. */
    cr_expect_eq(utoff_at(load("Africa/Monrovia"), utc(1960, 1, 1, 0, 0, 0)),
                 -(44 * 60 + 30));
}

Test(reader, odd_daylight_saving)
{
    NEED_ZONEINFO();
    /* Lord Howe: 30 minutes of DST. */
    const gf_tz *lh = load("Australia/Lord_Howe");
    long summer = utoff_at(lh, utc(2020, 1, 1, 0, 0, 0));
    long winter = utoff_at(lh, utc(2020, 7, 1, 0, 0, 0));
    cr_expect_eq(summer - winter, 1800);
    /* Dublin: winter time is the daylight-saving time, negative DST. */
    const gf_tz *dublin = load("Europe/Dublin");
    bool dst;
    const char *abbr;
    long off;
    cr_assert(gf_tz_localtime(dublin, utc(2020, 1, 15, 12, 0, 0), NULL, &off,
                              &dst, &abbr));
    cr_expect(dst && off == 0 && strcmp(abbr, "GMT") == 0,
              "Dublin winter: off %ld dst %d %s", off, dst, abbr);
    cr_assert(gf_tz_localtime(dublin, utc(2020, 7, 15, 12, 0, 0), NULL, &off,
                              &dst, &abbr));
    cr_expect(!dst && off == 3600 && strcmp(abbr, "IST") == 0,
              "Dublin summer: off %ld dst %d %s", off, dst, abbr);
}

Test(reader, skipped_and_repeated_days)
{
    NEED_ZONEINFO();
    int64_t c[2];
    /* Samoa skipped Friday 2011-12-30. */
    struct tm noon = wall(2011, 12, 30, 12, 0, 0);
    cr_expect_eq(gf_tz_local_to_utc(load("Pacific/Apia"), &noon, c), 0);
    cr_expect_eq(c[1] - c[0], 86400, "a gap of a whole day");
    /* Kiritimati skipped 1994-12-31. */
    cr_expect_eq(gf_tz_local_to_utc(load("Pacific/Kiritimati"), &noon, c), 1);
    noon = wall(1994, 12, 31, 12, 0, 0);
    cr_expect_eq(gf_tz_local_to_utc(load("Pacific/Kiritimati"), &noon, c), 0);
    /* Juneau lived most of 1867-10-18 and 19 twice when Alaska changed
     * hands: the clock went back a day at 15:33:32 on the 19th. */
    noon = wall(1867, 10, 19, 12, 0, 0);
    cr_expect_eq(gf_tz_local_to_utc(load("America/Juneau"), &noon, c), 2);
    cr_expect_eq(c[1] - c[0], 86400, "a fold of a whole day");
}

Test(reader, local_to_utc_gap_fold_unique)
{
    NEED_ZONEINFO();
    const gf_tz *ny = load("America/New_York");
    int64_t c[2];
    struct tm w = wall(2021, 3, 14, 2, 30, 0);
    int64_t as_utc = utc(2021, 3, 14, 2, 30, 0);
    cr_expect_eq(gf_tz_local_to_utc(ny, &w, c), 0);
    cr_expect_eq(c[0], as_utc + 4 * 3600, "read with EDT");
    cr_expect_eq(c[1], as_utc + 5 * 3600, "read with EST");
    w = wall(2021, 11, 7, 1, 30, 0);
    as_utc = utc(2021, 11, 7, 1, 30, 0);
    cr_expect_eq(gf_tz_local_to_utc(ny, &w, c), 2);
    cr_expect_eq(c[0], as_utc + 4 * 3600);
    cr_expect_eq(c[1], as_utc + 5 * 3600);
    w = wall(2021, 7, 4, 12, 0, 0);
    cr_expect_eq(gf_tz_local_to_utc(ny, &w, c), 1);
    cr_expect_eq(c[0], utc(2021, 7, 4, 16, 0, 0));
    cr_expect_eq(c[1], c[0]);
    /* Fields out of range carry over as in timegm: 2021-02-29 24:00. */
    w = wall(2021, 2, 29, 24, 0, 0);
    cr_expect_eq(gf_tz_local_to_utc(ny, &w, c), 1);
    cr_expect_eq(c[0], utc(2021, 3, 2, 5, 0, 0));
}

Test(reader, transitions_listed_and_paged)
{
    NEED_ZONEINFO();
    const gf_tz *london = load("Europe/London");
    gf_tz_transition tr[4];
    size_t n = gf_tz_transitions(london, utc(2021, 1, 1, 0, 0, 0),
                                 utc(2022, 1, 1, 0, 0, 0), tr, 4);
    cr_assert_eq(n, 2);
    cr_expect_eq(tr[0].at, utc(2021, 3, 28, 1, 0, 0));
    cr_expect(tr[0].utoff_before == 0 && tr[0].utoff_after == 3600 &&
              !tr[0].isdst_before && tr[0].isdst_after &&
              strcmp(tr[0].abbr_before, "GMT") == 0 &&
              strcmp(tr[0].abbr_after, "BST") == 0);
    cr_expect_eq(tr[1].at, utc(2021, 10, 31, 1, 0, 0));
    /* From the footer rule, far past the listed transitions. */
    n = gf_tz_transitions(london, utc(2090, 1, 1, 0, 0, 0),
                          utc(2091, 1, 1, 0, 0, 0), tr, 4);
    cr_assert_eq(n, 2);
    cr_expect_eq(tr[0].at, utc(2090, 3, 26, 1, 0, 0));
    cr_expect_eq(tr[1].at, utc(2090, 10, 29, 1, 0, 0));
    /* One at a time, the same sequence. */
    int64_t from = utc(2021, 1, 1, 0, 0, 0);
    int64_t seen[3];
    size_t k = 0;
    while (k < 3 && gf_tz_transitions(london, from, utc(2023, 1, 1, 0, 0, 0),
                                      tr, 1) == 1) {
        seen[k++] = tr[0].at;
        from = tr[0].at + 1;
    }
    cr_expect_eq(k, 3);
    cr_expect_eq(seen[2], utc(2022, 3, 27, 1, 0, 0));
    cr_expect_eq(gf_tz_transitions(load("UTC"), Y1900, Y2100, tr, 4), 0);
}

Test(reader, posix_rules_evaluated)
{
    /* J60 is March 1 in every year; zero-based 59 is February 29 in leap
     * years. */
    gf_tz_transition tr[2];
    gf_tz *julian = posix("AAA3BBB,J60/0,J300/0");
    cr_assert_eq(gf_tz_transitions(julian, utc(2024, 1, 1, 0, 0, 0),
                                   utc(2024, 6, 1, 0, 0, 0), tr, 2), 1);
    cr_expect_eq(tr[0].at, utc(2024, 3, 1, 3, 0, 0));
    gf_tz *zero_based = posix("AAA3BBB,59/0,300/0");
    cr_assert_eq(gf_tz_transitions(zero_based, utc(2024, 1, 1, 0, 0, 0),
                                   utc(2024, 6, 1, 0, 0, 0), tr, 2), 1);
    cr_expect_eq(tr[0].at, utc(2024, 2, 29, 3, 0, 0));
    /* Daylight saving all year, including across New Year. */
    gf_tz *always = posix("EST5EDT4,0/0,J365/25");
    int64_t probes[] = {utc(2000, 1, 1, 3, 0, 0), utc(2000, 1, 1, 5, 0, 0),
                        utc(2000, 6, 1, 0, 0, 0), utc(2000, 12, 31, 23, 0, 0),
                        utc(2001, 1, 1, 4, 59, 59), utc(2001, 1, 1, 5, 0, 0)};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        bool dst = false;
        cr_assert(gf_tz_localtime(always, probes[i], NULL, NULL, &dst, NULL));
        cr_expect(dst, "not DST at %" PRId64, probes[i]);
    }
    cr_expect_eq(gf_tz_transitions(always, Y1900, Y2100, tr, 2), 0);
    /* Over the whole range too: the search for the next change ends. */
    cr_expect_eq(gf_tz_transitions(always, INT64_MIN, INT64_MAX, tr, 2), 0);
    /* Lord Howe style: +10:30, +11 in the southern summer. */
    gf_tz *lh = posix("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
    const char *abbr;
    cr_assert(gf_tz_localtime(lh, utc(2021, 1, 1, 0, 0, 0), NULL, NULL, NULL,
                              &abbr));
    cr_expect_str_eq(abbr, "+11");
    cr_expect_eq(utoff_at(lh, utc(2021, 7, 1, 0, 0, 0)), 10 * 3600 + 1800);
    /* No rules: the US rules. */
    gf_tz *us = posix("EST5EDT");
    cr_assert_eq(gf_tz_transitions(us, utc(2021, 1, 1, 0, 0, 0),
                                   utc(2022, 1, 1, 0, 0, 0), tr, 2), 2);
    cr_expect_eq(tr[0].at, utc(2021, 3, 14, 7, 0, 0));
    cr_expect_eq(tr[1].at, utc(2021, 11, 7, 6, 0, 0));
    gf_tz_free(julian);
    gf_tz_free(zero_based);
    gf_tz_free(always);
    gf_tz_free(lh);
    gf_tz_free(us);
    gf_tz_free((gf_tz *)load("UTC")); /* does nothing to a loaded zone */
    cr_expect_eq(utoff_at(load("UTC"), 0), 0);
}

Test(reader, posix_errors_named)
{
    cr_expect_null(gf_tz_posix("EST25"));
    cr_expect(strstr(gf_tz_error(), "out of range"), "%s", gf_tz_error());
    cr_expect_null(gf_tz_posix("EST5EDT,M3.2.0"));
    cr_expect(strstr(gf_tz_error(), "end rule"), "%s", gf_tz_error());
    cr_expect_null(gf_tz_posix("<+05-5"));
    cr_expect(strstr(gf_tz_error(), "'>'"), "%s", gf_tz_error());
    cr_expect_null(gf_tz_posix(NULL));
}

/* ---- names, directories, threads, TZ -------------------------------------- */

Test(reader, names_refused_before_the_file_system)
{
    static const char *const bad[] = {
        "", "../etc/passwd", "/etc/passwd", "Europe//London",
        "Europe/London/", "./UTC", "Europe/../UTC", "America/New York",
        "UTC\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_expect_null(gf_tz_load(bad[i]), "\"%s\" loaded", bad[i]);
        cr_expect_neq(gf_tz_error()[0], '\0');
    }
    cr_expect_null(gf_tz_load(NULL));
}

static char *scratch_dir(void)
{
    char tmpl[] = "/tmp/gadfly-tz.XXXXXX";
    char *dir = mkdtemp(tmpl);
    cr_assert(dir, "mkdtemp: %s", strerror(errno));
    return strdup(dir);
}

static void write_file(const char *dir, const char *name, const void *data,
                       size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert(f, "%s: %s", path, strerror(errno));
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) != 0 && errno == EISDIR)
            remove_dir(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s: %s", path, strerror(errno));
    uint8_t *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

Test(reader, parent_directory_never_reached)
{
    NEED_ZONEINFO();
    char *dir = scratch_dir();
    char sub[600];
    snprintf(sub, sizeof sub, "%s/zi", dir);
    cr_assert_eq(mkdir(sub, 0700), 0);
    size_t len;
    uint8_t *data = slurp(ZONEINFO "/UTC", &len);
    write_file(dir, "outside", data, len);
    cr_expect_null(gf_tz_load_from(sub, "../outside"));
    cr_expect(gf_tz_load_from(dir, "outside"), "%s", gf_tz_error());
    free(data);
    remove_dir(dir);
    free(dir);
}

Test(reader, gf_tzdir_chooses_the_directory)
{
    NEED_ZONEINFO();
    char *dir = scratch_dir();
    size_t len;
    uint8_t *data = slurp(ZONEINFO "/Asia/Kathmandu", &len);
    write_file(dir, "Only_Here", data, len);
    unsetenv("GF_TZDIR");
    cr_expect_null(gf_tz_load("Only_Here"));
    cr_expect(strstr(gf_tz_error(), "no such file"), "%s", gf_tz_error());
    setenv("GF_TZDIR", dir, 1);
    const gf_tz *z = gf_tz_load("Only_Here");
    cr_assert(z, "%s", gf_tz_error());
    cr_expect_eq(utoff_at(z, utc(2020, 1, 1, 0, 0, 0)), 5 * 3600 + 2700);
    cr_expect_null(gf_tz_load("Europe/London"), "read outside GF_TZDIR");
    /* Blanks around the value are dropped, as for every GF_ variable. */
    char *padded = NULL;
    cr_assert(asprintf(&padded, " %s\n", dir) > 0);
    setenv("GF_TZDIR", padded, 1);
    cr_expect(gf_tz_load("Only_Here"), "GF_TZDIR with blanks: %s", gf_tz_error());
    setenv("GF_TZDIR", "  ", 1);
    cr_expect(gf_tz_load("Europe/London"), "GF_TZDIR of blanks is unset: %s",
              gf_tz_error());
    free(padded);
    unsetenv("GF_TZDIR");
    free(data);
    remove_dir(dir);
    free(dir);
}

static void *load_many(void *arg)
{
    static const char *const names[] = {
        "Europe/London", "Asia/Kathmandu", "Pacific/Apia", "America/St_Johns",
        "Australia/Lord_Howe", "Europe/Dublin", "right/UTC", "UTC",
    };
    const gf_tz **out = arg;
    for (int round = 0; round < 20; round++)
        for (size_t i = 0; i < 8; i++) {
            const gf_tz *z = gf_tz_load_from(ZONEINFO, names[i]);
            if (!z || (out[i] && out[i] != z))
                return (void *)1;
            out[i] = z;
            struct tm tm;
            if (!gf_tz_localtime(z, 1600000000 + round, &tm, NULL, NULL,
                                 NULL))
                return (void *)1;
        }
    return NULL;
}

Test(reader, threads_share_one_zone)
{
    NEED_ZONEINFO();
    pthread_t th[4];
    const gf_tz *got[4][8];
    memset(got, 0, sizeof got);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&th[i], NULL, load_many, got[i]), 0);
    for (int i = 0; i < 4; i++) {
        void *ret;
        pthread_join(th[i], &ret);
        cr_expect_null(ret, "thread %d failed", i);
    }
    for (int i = 1; i < 4; i++)
        for (int k = 0; k < 8; k++)
            cr_expect_eq(got[i][k], got[0][k], "two copies of zone %d", k);
}

/* The library must never read TZ nor call tzset(): tzname[0] keeps what
 * the last tzset() set, and the answers do not depend on TZ. */
Test(reader, never_reads_tz_nor_calls_tzset)
{
    NEED_ZONEINFO();
    setenv("TZ", "AAA3", 1);
    tzset();
    setenv("TZ", "BBB7", 1); /* not applied: no tzset() */
    const gf_tz *z = gf_tz_load("America/Sao_Paulo");
    cr_assert(z);
    struct tm a, b;
    cr_assert(gf_tz_localtime(z, 1234567890, &a, NULL, NULL, NULL));
    int64_t c[2];
    gf_tz_local_to_utc(z, &a, c);
    gf_tz_free(gf_tz_posix("XXX4"));
    cr_expect_str_eq(tzname[0], "AAA", "something called tzset()");
    cr_expect_str_eq(getenv("TZ"), "BBB7");
    setenv("TZ", "UTC0", 1);
    tzset();
    cr_assert(gf_tz_localtime(z, 1234567890, &b, NULL, NULL, NULL));
    cr_expect(a.tm_hour == b.tm_hour && a.tm_gmtoff == b.tm_gmtoff,
              "the answer changed with TZ");
}

/* ---- malformed files ------------------------------------------------------ */

/* A small TZif writer, for files with one thing wrong. */
typedef struct tzif_spec {
    char version;                 /* 0, '2', '3', '4' */
    size_t ntrans;
    const int64_t *trans;
    const uint8_t *trans_type;
    size_t ntypes;
    const int32_t *utoff;
    const uint8_t *isdst, *abbr_index;
    const char *abbrs;            /* NUL-separated */
    size_t abbr_len;
    size_t nleaps;
    const int64_t *leap_at, *leap_corr;
    const char *footer;           /* without the newlines */
} tzif_spec;

typedef struct buf {
    uint8_t data[8192];
    size_t len;
} buf;

static void put(buf *b, const void *p, size_t n)
{
    cr_assert_leq(b->len + n, sizeof b->data);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put32(buf *b, uint32_t v)
{
    uint8_t p[4] = {v >> 24, v >> 16, v >> 8, v};
    put(b, p, 4);
}

static void put64(buf *b, int64_t v)
{
    put32(b, (uint32_t)((uint64_t)v >> 32));
    put32(b, (uint32_t)v);
}

static void put_block(buf *b, const tzif_spec *s, bool wide)
{
    put(b, "TZif", 4);
    put(b, &s->version, 1);
    put(b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 15);
    put32(b, 0);             /* isutcnt */
    put32(b, 0);             /* isstdcnt */
    put32(b, (uint32_t)s->nleaps);
    put32(b, (uint32_t)s->ntrans);
    put32(b, (uint32_t)s->ntypes);
    put32(b, (uint32_t)s->abbr_len);
    for (size_t i = 0; i < s->ntrans; i++)
        wide ? put64(b, s->trans[i]) : put32(b, (uint32_t)s->trans[i]);
    put(b, s->trans_type, s->ntrans);
    for (size_t i = 0; i < s->ntypes; i++) {
        put32(b, (uint32_t)s->utoff[i]);
        put(b, &s->isdst[i], 1);
        put(b, &s->abbr_index[i], 1);
    }
    put(b, s->abbrs, s->abbr_len);
    for (size_t i = 0; i < s->nleaps; i++) {
        wide ? put64(b, s->leap_at[i]) : put32(b, (uint32_t)s->leap_at[i]);
        put32(b, (uint32_t)s->leap_corr[i]);
    }
}

static void build(buf *b, const tzif_spec *s)
{
    b->len = 0;
    put_block(b, s, false);
    if (s->version == 0)
        return;
    put_block(b, s, true);
    put(b, "\n", 1);
    put(b, s->footer, strlen(s->footer));
    put(b, "\n", 1);
}

/* A zone like Europe/London in 2021: GMT, BST in summer. */
static const int64_t good_trans[] = {1616893200, 1635642000};
static const uint8_t good_trans_type[] = {1, 0};
static const int32_t good_utoff[] = {0, 3600};
static const uint8_t good_isdst[] = {0, 1};
static const uint8_t good_abbr_index[] = {0, 4};
static const int64_t good_leap_at[] = {78796800, 94694401};
static const int64_t good_leap_corr[] = {1, 2};

static tzif_spec good_spec(char version)
{
    return (tzif_spec){version, 2, good_trans, good_trans_type, 2,
                       good_utoff, good_isdst, good_abbr_index, "GMT\0BST",
                       8, 0, NULL, NULL, "GMT0BST,M3.5.0/1,M10.5.0"};
}

static unsigned file_counter;

/* Write b under a fresh name in dir and load it. */
static const gf_tz *load_bytes(const char *dir, const void *data, size_t len)
{
    char name[32];
    snprintf(name, sizeof name, "z%u", file_counter++);
    write_file(dir, name, data, len);
    return gf_tz_load_from(dir, name);
}

Test(reader, written_files_of_every_version)
{
    char *dir = scratch_dir();
    static const char versions[] = {0, '2', '3', '4'};
    for (size_t v = 0; v < 4; v++) {
        tzif_spec s = good_spec(versions[v]);
        buf b;
        build(&b, &s);
        const gf_tz *z = load_bytes(dir, b.data, b.len);
        cr_assert(z, "version %d: %s", versions[v], gf_tz_error());
        cr_expect_eq(utoff_at(z, 1620000000), 3600);
        cr_expect_eq(utoff_at(z, 1640000000), 0);
        /* Past the last listed transition: the footer for version 2 and
         * later, the last type for version 1. */
        long summer = utoff_at(z, utc(2030, 7, 1, 0, 0, 0));
        cr_expect_eq(summer, versions[v] ? 3600 : 0, "version %d",
                     versions[v]);
    }
    /* Leap seconds: tm_sec 60 at the inserted second. */
    tzif_spec s = good_spec('4');
    s.nleaps = 2;
    s.leap_at = good_leap_at;
    s.leap_corr = good_leap_corr;
    buf b;
    build(&b, &s);
    const gf_tz *z = load_bytes(dir, b.data, b.len);
    cr_assert(z, "%s", gf_tz_error());
    struct tm tm;
    cr_assert(gf_tz_localtime(z, 78796800, &tm, NULL, NULL, NULL));
    cr_expect(tm.tm_sec == 60 && tm.tm_min == 59 && tm.tm_hour == 23 &&
              tm.tm_mday == 30 && tm.tm_mon == 5 && tm.tm_year == 72,
              "%d-%d-%d %d:%d:%d", tm.tm_year, tm.tm_mon, tm.tm_mday,
              tm.tm_hour, tm.tm_min, tm.tm_sec);
    cr_assert(gf_tz_localtime(z, 78796801, &tm, NULL, NULL, NULL));
    cr_expect(tm.tm_sec == 0 && tm.tm_mon == 6 && tm.tm_mday == 1);
    remove_dir(dir);
    free(dir);
}

/* Each file has exactly one thing wrong; each is refused with a reason. */
Test(reader, broken_files_refused)
{
    char *dir = scratch_dir();
    buf b;
    tzif_spec s;
    const uint8_t bad_type[] = {1, 2};
    const int64_t unsorted[] = {1635642000, 1616893200};
    const int32_t min_utoff[] = {0, INT32_MIN};
    const uint8_t isdst2[] = {0, 2};
    const uint8_t abbr_past[] = {0, 8};
    const int64_t leaps_unsorted[] = {94694401, 78796800};
    typedef struct broken {
        const char *why;
        tzif_spec spec;
    } broken;
    broken cases[8];
    size_t n = 0;
    s = good_spec('2'), s.trans_type = bad_type;
    cases[n++] = (broken){"type", s};
    s = good_spec('2'), s.trans = unsorted;
    cases[n++] = (broken){"not after", s};
    s = good_spec('3'), s.utoff = min_utoff;
    cases[n++] = (broken){"-2^31", s};
    s = good_spec('2'), s.isdst = isdst2;
    cases[n++] = (broken){"isdst", s};
    s = good_spec('2'), s.abbr_index = abbr_past;
    cases[n++] = (broken){"abbreviation", s};
    s = good_spec('2'), s.footer = "GMT0BST,M3.5.0";
    cases[n++] = (broken){"footer", s};
    s = good_spec('5');
    cases[n++] = (broken){"version", s};
    s = good_spec('4'), s.nleaps = 2, s.leap_at = leaps_unsorted,
    s.leap_corr = good_leap_corr;
    cases[n++] = (broken){"leap", s};
    for (size_t i = 0; i < n; i++) {
        build(&b, &cases[i].spec);
        cr_expect_null(load_bytes(dir, b.data, b.len), "case %zu loaded", i);
        cr_expect(strstr(gf_tz_error(), cases[i].why), "case %zu: %s", i,
                  gf_tz_error());
    }
    /* Counts that promise far more than is there. */
    s = good_spec('2');
    build(&b, &s);
    b.data[32] = b.data[33] = 0xFF; /* timecnt */
    cr_expect_null(load_bytes(dir, b.data, b.len));
    cr_expect(strstr(gf_tz_error(), "truncated"), "%s", gf_tz_error());
    remove_dir(dir);
    free(dir);
}

/* Every proper prefix of a real file is refused, and corrupted copies
 * never crash: they load or not, and what loads answers. */
Test(reader, truncated_and_corrupted_real_files, .timeout = 60)
{
    NEED_ZONEINFO();
    char *dir = scratch_dir();
    size_t len;
    uint8_t *data = slurp(ZONEINFO "/Europe/London", &len);
    cr_assert_gt(len, 100);
    for (size_t cut = 0; cut < len; cut += 1 + cut / 64) {
        cr_expect_null(load_bytes(dir, data, cut), "prefix of %zu bytes", cut);
        cr_expect_neq(gf_tz_error()[0], '\0');
    }
    uint64_t seed = 77;
    uint8_t *copy = malloc(len);
    size_t loaded = 0;
    for (int round = 0; round < 400; round++) {
        memcpy(copy, data, len);
        int flips = 1 + (int)(xorshift(&seed) % 4);
        for (int k = 0; k < flips; k++) {
            size_t at = (size_t)(xorshift(&seed) % len);
            /* Mostly the header and the first bytes of data, where counts
             * and indices live. */
            if (round % 2 == 0)
                at %= 120;
            copy[at] = (uint8_t)xorshift(&seed);
        }
        const gf_tz *z = load_bytes(dir, copy, len);
        if (!z) {
            cr_expect_neq(gf_tz_error()[0], '\0');
            continue;
        }
        loaded++;
        for (int64_t t = Y1900; t < Y2100; t += 86400 * 997) {
            struct tm tm;
            int64_t c[2];
            if (gf_tz_localtime(z, t, &tm, NULL, NULL, NULL))
                gf_tz_local_to_utc(z, &tm, c);
        }
        gf_tz_transition tr[16];
        gf_tz_transitions(z, Y1900, Y2100, tr, 16);
    }
    cr_log_info("%zu of 400 corrupted files loaded", loaded);
    /* Garbage of every length. */
    for (size_t n = 0; n < 200; n++) {
        for (size_t i = 0; i < n; i++)
            copy[i] = (uint8_t)xorshift(&seed);
        if (n >= 4)
            memcpy(copy, "TZif", 4);
        cr_expect_null(load_bytes(dir, copy, n));
    }
    free(copy);
    free(data);
    remove_dir(dir);
    free(dir);
}

/* ---- generators: bias on 100 seeds ---------------------------------------- */

#define MAX_TARGETS 8
static const char *targets[MAX_TARGETS];
static size_t ntargets;
static bool target_seen[MAX_TARGETS];
static unsigned long cases_seen;

static void see_string(const char *s)
{
    for (size_t i = 0; i < ntargets; i++)
        if (strcmp(s, targets[i]) == 0)
            target_seen[i] = true;
}

/* Run fn for `trials` cases on each of 100 seeds; require each target to
 * appear on at least 95 of them. */
static void expect_on_95_seeds(const char *what, gf_property_fn fn,
                               uint64_t trials)
{
    unsigned hits[MAX_TARGETS] = {0};
    for (uint64_t seed = 1; seed <= 100; seed++) {
        memset(target_seen, 0, sizeof target_seen);
        RUN_PASSING(fn, seed * 7919, trials);
        for (size_t i = 0; i < ntargets; i++)
            hits[i] += target_seen[i];
    }
    for (size_t i = 0; i < ntargets; i++)
        cr_expect_geq(hits[i], 95, "%s: \"%s\" within %" PRIu64
                      " cases on only %u of 100 seeds",
                      what, targets[i], trials, hits[i]);
}

static void prop_zone_names(gf_case *tc)
{
    const char *z = gf_draw(tc, gf_timezone());
    see_string(z);
}

Test(generators, timezone_reaches_the_nasty_zones)
{
    static const char *const want[] = {
        "Asia/Kathmandu", "Pacific/Kiritimati", "Australia/Lord_Howe",
        "Europe/Dublin", "Pacific/Apia", "Mars/Olympus_Mons", "",
        "Europe/Amsterdam",
    };
    ntargets = MAX_TARGETS;
    memcpy(targets, want, sizeof want);
    expect_on_95_seeds("timezone", prop_zone_names, 500);
}

static unsigned long odd_offset_seen, invalid_seen;

static void prop_zone_classes(gf_case *tc)
{
    const char *name = gf_draw(tc, gf_timezone());
    const gf_tz *z = gf_tz_load(name);
    cases_seen++;
    if (!z) {
        invalid_seen++;
        return;
    }
    long off;
    if (gf_tz_localtime(z, 1600000000, NULL, &off, NULL, NULL) &&
        off % 3600 != 0)
        odd_offset_seen++;
}

Test(generators, timezone_class_shares)
{
    NEED_ZONEINFO();
    odd_offset_seen = invalid_seen = cases_seen = 0;
    RUN_PASSING(prop_zone_classes, 5, 2000);
    /* Documented: 18% odd offsets (more counting the zones of other
     * classes), 16% names that are not zones. */
    cr_expect_gt(odd_offset_seen * 100, cases_seen * 12, "%lu of %lu",
                 odd_offset_seen, cases_seen);
    cr_expect_gt(invalid_seen * 100, cases_seen * 10, "%lu of %lu",
                 invalid_seen, cases_seen);
    cr_expect_lt(invalid_seen * 100, cases_seen * 25, "%lu of %lu",
                 invalid_seen, cases_seen);
}

static void prop_valid_zones_load(gf_case *tc)
{
    const char *name = gf_draw(tc, gf_timezone_valid());
    if (!gf_tz_load(name))
        GF_FAIL(tc, "%s does not load: %s", name, gf_tz_error());
}

Test(generators, timezone_valid_loads)
{
    NEED_ZONEINFO();
    RUN_PASSING(prop_valid_zones_load, 6, 1000);
}

/* The span gf_instant_near_transition draws transitions from. */
#define Y1800 (-5364662400LL)
#define Y2200 7258118400LL
#define Y2038 2145916800LL

static const char *near_zone;
static int64_t near_trans[4096];
static size_t near_ntrans;
static unsigned long at_transition, before_transition, far_from_all;
static unsigned long after_table, before_1900, at_time_t_edge;

static void prop_near(gf_case *tc)
{
    int64_t t = *(int64_t *)gf_draw(tc, gf_instant_near_transition(near_zone));
    int64_t best = INT64_MAX;
    for (size_t i = 0; i < near_ntrans; i++) {
        int64_t d = t - near_trans[i];
        at_transition += d == 0;
        before_transition += d == -1;
        if ((d < 0 ? -d : d) < best)
            best = d < 0 ? -d : d;
        /* Within a day of a transition made by the POSIX rule. */
        after_table += near_trans[i] >= Y2038 && (d < 0 ? -d : d) < 86400;
        before_1900 += near_trans[i] < Y1900 && (d < 0 ? -d : d) < 86400;
    }
    static const int64_t edges[] = {INT32_MAX, INT32_MIN, UINT32_MAX};
    for (size_t i = 0; i < 3; i++) {
        int64_t d = t - edges[i];
        if ((d < 0 ? -d : d) <= 3 * 86400) {
            at_time_t_edge++;
            best = 0;
        }
    }
    far_from_all += best > 3 * 86400;
}

static size_t list_transitions(const char *zone, int64_t *out, size_t cap)
{
    gf_tz_transition tr[64];
    int64_t from = Y1800;
    size_t n, total = 0;
    while ((n = gf_tz_transitions(load(zone), from, Y2200, tr, 64)) > 0) {
        for (size_t i = 0; i < n && total < cap; i++)
            out[total++] = tr[i].at;
        from = tr[n - 1].at + 1;
    }
    return total;
}

Test(generators, instants_near_transitions)
{
    NEED_ZONEINFO();
    static const char *const zones[] = {"Europe/London", "Pacific/Apia",
                                        "Australia/Lord_Howe"};
    for (size_t z = 0; z < 3; z++) {
        near_zone = zones[z];
        near_ntrans = list_transitions(near_zone, near_trans, 4096);
        unsigned exact = 0, just_before = 0, future = 0, past = 0, edge = 0;
        for (uint64_t seed = 1; seed <= 100; seed++) {
            at_transition = before_transition = far_from_all = 0;
            after_table = before_1900 = at_time_t_edge = 0;
            RUN_PASSING(prop_near, seed, 100);
            exact += at_transition > 0;
            just_before += before_transition > 0;
            future += after_table > 0;
            past += before_1900 > 0;
            edge += at_time_t_edge > 0;
            cr_expect_eq(far_from_all, 0, "%s: instant far from all "
                         "transitions", near_zone);
        }
        cr_expect_geq(exact, 95, "%s: a transition instant within 100 cases "
                      "on %u of 100 seeds", near_zone, exact);
        cr_expect_geq(just_before, 95, "%s: the second before a transition "
                      "within 100 cases on %u of 100 seeds", near_zone,
                      just_before);
        /* Far from 1970 as well: after the 2037 end of the TZif table,
         * where the POSIX rule makes the transitions, and at the 32-bit
         * time_t edges. */
        if (near_ntrans > 0 && near_trans[near_ntrans - 1] >= Y2038)
            cr_expect_geq(future, 95, "%s: near a transition after 2038 "
                          "within 100 cases on %u of 100 seeds", near_zone,
                          future);
        cr_expect_geq(edge, 95, "%s: near a 32-bit time_t edge within 100 "
                      "cases on %u of 100 seeds", near_zone, edge);
        if (near_trans[0] < Y1900)
            cr_expect_geq(past, 90, "%s: near a transition before 1900 "
                          "within 100 cases on %u of 100 seeds", near_zone,
                          past);
    }
}

static const char *amb_zone;
static unsigned long gaps, folds, at_start;

static void prop_ambiguous(gf_case *tc)
{
    const gf_local_time *v = gf_draw(tc, gf_ambiguous_local_time(amb_zone));
    const gf_tz *z = load(amb_zone);
    int64_t c[2];
    int n = gf_tz_local_to_utc(z, &v->wall, c);
    GF_ASSERT(tc, n == v->count && (n == 0 || n == 2));
    GF_ASSERT(tc, c[0] == v->instants[0] && c[1] == v->instants[1]);
    GF_ASSERT(tc, v->instants[0] < v->instants[1]);
    /* In a fold both instants show this wall time; in a gap neither. */
    for (int k = 0; k < 2; k++) {
        struct tm tm;
        GF_ASSERT(tc, gf_tz_localtime(z, v->instants[k], &tm, NULL, NULL,
                                      NULL));
        bool same = tm.tm_year == v->wall.tm_year &&
                    tm.tm_mon == v->wall.tm_mon &&
                    tm.tm_mday == v->wall.tm_mday &&
                    tm.tm_hour == v->wall.tm_hour &&
                    tm.tm_min == v->wall.tm_min && tm.tm_sec == v->wall.tm_sec;
        GF_ASSERT(tc, same == (n == 2));
    }
    gaps += n == 0;
    folds += n == 2;
    /* The first second of the stretch: one second earlier is not in it. */
    struct tm before = v->wall;
    before.tm_sec -= 1;
    at_start += gf_tz_local_to_utc(z, &before, c) != n;
}

Test(generators, ambiguous_local_times)
{
    NEED_ZONEINFO();
    static const char *const zones[] = {"America/New_York", "Pacific/Apia",
                                        "Australia/Lord_Howe",
                                        "Asia/Kathmandu"};
    for (size_t z = 0; z < 4; z++) {
        amb_zone = zones[z];
        unsigned both = 0, starts = 0;
        for (uint64_t seed = 1; seed <= 100; seed++) {
            gaps = folds = at_start = 0;
            RUN_PASSING(prop_ambiguous, seed, 60);
            both += gaps > 0 && folds > 0;
            starts += at_start > 0;
        }
        cr_expect_geq(both, 95, "%s: a gap and a fold within 60 cases on %u "
                      "of 100 seeds", amb_zone, both);
        cr_expect_geq(starts, 95, "%s: the first second of a gap or fold "
                      "within 60 cases on %u of 100 seeds", amb_zone, starts);
    }
}

static void prop_apia_skipped_day(gf_case *tc)
{
    const gf_local_time *v = gf_draw(tc, gf_ambiguous_local_time(
                                             "Pacific/Apia"));
    if (v->count == 0 && v->wall.tm_year == 111 && v->wall.tm_mon == 11 &&
        v->wall.tm_mday == 30)
        target_seen[0] = true;
}

Test(generators, apia_skipped_day_reached)
{
    NEED_ZONEINFO();
    ntargets = 0;
    unsigned hits = 0;
    for (uint64_t seed = 1; seed <= 100; seed++) {
        target_seen[0] = false;
        RUN_PASSING(prop_apia_skipped_day, seed, 300);
        hits += target_seen[0];
    }
    cr_expect_geq(hits, 95, "2011-12-30 in Apia within 300 cases on %u of "
                  "100 seeds", hits);
}

static unsigned long negative_time, julian, quoted, with_minutes;

static void prop_posix_valid(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_posix_tz());
    gf_tz *z = gf_tz_posix(s);
    if (!z)
        GF_FAIL(tc, "%s", gf_tz_error());
    gf_tz_free(z);
    negative_time += strstr(s, "/-") != NULL;
    julian += strstr(s, ",J") != NULL;
    quoted += s[0] == '<';
    const char *colon = strchr(s, ':');
    with_minutes += colon && (!strchr(s, ',') || colon < strchr(s, ','));
    see_string(s);
}

Test(generators, posix_tz_valid_and_varied)
{
    ntargets = 2;
    targets[0] = "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0";
    targets[1] = "EST5EDT4,0/0,J365/25";
    expect_on_95_seeds("posix_tz", prop_posix_valid, 200);
    negative_time = julian = quoted = with_minutes = 0;
    RUN_PASSING(prop_posix_valid, 8, 2000);
    cr_expect_gt(negative_time, 20);
    cr_expect_gt(julian, 20);
    cr_expect_gt(quoted, 20);
    cr_expect_gt(with_minutes, 20);
}

static gf_posix_tz_flaw flaw_under_test;

static void prop_posix_invalid(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_posix_tz_invalid(flaw_under_test));
    gf_tz *z = gf_tz_posix(s);
    gf_tz_free(z);
    if (z)
        GF_FAIL(tc, "accepted");
    GF_ASSERT(tc, gf_tz_error()[0] != '\0');
    see_string(s);
}

Test(generators, posix_tz_invalid_rejected_by_class)
{
    ntargets = 0;
    for (int f = 0; f < GF_TZ_FLAW_COUNT; f++) {
        flaw_under_test = (gf_posix_tz_flaw)f;
        RUN_PASSING(prop_posix_invalid, 20 + (uint64_t)f, 300);
    }
    flaw_under_test = GF_TZ_FLAW_ANY;
    ntargets = 2;
    targets[0] = "";
    targets[1] = ":Europe/London";
    expect_on_95_seeds("posix_tz_invalid", prop_posix_invalid, 150);
}

/* ---- generators: shrinking, printing, misuse ------------------------------ */


static void prop_fail_zone(gf_case *tc)
{
    gf_draw(tc, gf_timezone());
    GF_FAIL(tc, "any");
}

static void prop_fail_valid_zone(gf_case *tc)
{
    gf_draw(tc, gf_timezone_valid());
    GF_FAIL(tc, "any");
}

static void prop_fail_unless_loads(gf_case *tc)
{
    const char *name = gf_draw(tc, gf_timezone());
    GF_ASSERT(tc, gf_tz_load(name) != NULL);
}

static void prop_fail_posix(gf_case *tc)
{
    gf_draw(tc, gf_posix_tz());
    GF_FAIL(tc, "any");
}

static void prop_fail_posix_dst(gf_case *tc)
{
    const char *s = gf_draw(tc, gf_posix_tz());
    GF_ASSERT(tc, strchr(s, ',') == NULL);
}

static void prop_fail_invalid(gf_case *tc)
{
    gf_draw(tc, gf_posix_tz_invalid(flaw_under_test));
    GF_FAIL(tc, "any");
}

static void prop_fail_near(gf_case *tc)
{
    gf_draw(tc, gf_instant_near_transition("Europe/London"));
    GF_FAIL(tc, "any");
}

static void prop_fail_ambiguous(gf_case *tc)
{
    gf_draw(tc, gf_ambiguous_local_time("America/New_York"));
    GF_FAIL(tc, "any");
}

Test(shrinking, zone_names_and_posix_strings)
{
    expect_shrunk(prop_fail_zone, 1, "= \"UTC\"");
    expect_shrunk(prop_fail_posix, 3, "= \"UTC0\"");
    expect_shrunk(prop_fail_posix_dst, 4, "= \"UTC0EDT,");
    flaw_under_test = GF_TZ_FLAW_ANY;
    expect_shrunk(prop_fail_invalid, 5, "= \"\"");
    flaw_under_test = GF_TZ_FLAW_TRAILING;
    expect_shrunk(prop_fail_invalid, 6, "= \"UTC0 \"");
    if (have_zoneinfo()) {
        expect_shrunk(prop_fail_valid_zone, 2, "= \"UTC\"");
        expect_shrunk(prop_fail_unless_loads, 7, "= \"Mars/Olympus_Mons\"");
    }
}

/* The transition nearest 1970, and the gap or fold nearest it, computed
 * here from the reader. */
Test(shrinking, instants_toward_the_transition_nearest_1970)
{
    NEED_ZONEINFO();
    int64_t trans[512];
    size_t n = list_transitions("Europe/London", trans, 512);
    cr_assert_gt(n, 10);
    int64_t nearest = trans[0];
    for (size_t i = 1; i < n; i++)
        if (llabs(trans[i]) < llabs(nearest))
            nearest = trans[i];
    char want[200];
    snprintf(want, sizeof want, "= %" PRId64 " /* ", nearest);
    expect_shrunk(prop_fail_near, 9, want);

    const gf_tz *ny = load("America/New_York");
    gf_tz_transition tr[512];
    n = gf_tz_transitions(ny, Y1900, Y2100, tr, 512);
    int64_t best = 0;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        long jump = tr[i].utoff_after - tr[i].utoff_before;
        if (jump == 0)
            continue;
        int64_t start = tr[i].at + (jump > 0 ? tr[i].utoff_before
                                             : tr[i].utoff_after);
        if (!any || llabs(start) < llabs(best))
            best = start;
        any = true;
    }
    cr_assert(any);
    struct tm tm;
    time_t best_t = (time_t)best;
    cr_assert(gmtime_r(&best_t, &tm));
    snprintf(want, sizeof want, ".tm_year = %d, .tm_mon = %d, .tm_mday = %d, "
             ".tm_hour = %d, .tm_min = %d, .tm_sec = %d", tm.tm_year,
             tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    expect_shrunk(prop_fail_ambiguous, 10, want);
}

Test(printing, values_print_as_c_literals)
{
    NEED_ZONEINFO();
    int64_t t = 1616893200;
    char *s = gf_value_to_string(gf_instant_near_transition("Europe/London"),
                                 &t);
    cr_expect_str_eq(s, "1616893200 /* 2021-03-28T01:00:00Z */");
    free(s);
    gf_local_time v = {.wall = wall(2021, 3, 14, 2, 30, 0), .count = 0,
                       .instants = {1615703400, 1615707000}};
    s = gf_value_to_string(gf_ambiguous_local_time("America/New_York"), &v);
    cr_expect(strstr(s, "{.wall = {.tm_year = 121, .tm_mon = 2, .tm_mday = "
                        "14, .tm_hour = 2, .tm_min = 30, .tm_sec = 0, "
                        ".tm_isdst = -1}, .count = 0, .instants = "
                        "{1615703400, 1615707000}}") == s, "%s", s);
    cr_expect(strstr(s, "in a gap"), "%s", s);
    free(s);
    char *name = "Asia/Kolkata\n";
    s = gf_value_to_string(gf_timezone(), &name);
    cr_expect_str_eq(s, "\"Asia/Kolkata\\n\"");
    free(s);
}

static const gf_gen *misused;

static void prop_draw_misused(gf_case *tc)
{
    gf_draw(tc, misused);
}

static void expect_misuse(const gf_gen *g, const char *why)
{
    gf_result r;
    misused = g;
    gf_status st = run_property("misuse", prop_draw_misused, 9, 10, &r);
    cr_expect_neq(st, GF_PASSED, "%s: misuse not reported", why);
    cr_expect(r.message && strstr(r.message, why), "message: %s",
              r.message ? r.message : "(none)");
    gf_result_free(&r);
}

Test(misuse, zones_that_do_not_load_or_have_no_gaps)
{
    expect_misuse(gf_instant_near_transition("Mars/Olympus_Mons"),
                  "Mars/Olympus_Mons");
    expect_misuse(gf_instant_near_transition(NULL), "NULL");
    expect_misuse(gf_ambiguous_local_time("../etc/passwd"), "..");
    if (have_zoneinfo())
        expect_misuse(gf_ambiguous_local_time("Etc/GMT-14"),
                      "no gap or fold");
    expect_misuse(gf_posix_tz_invalid((gf_posix_tz_flaw)99), "flaw 99");
}
