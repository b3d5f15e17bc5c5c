/*
 * tomorrow.c - "same time tomorrow" is not 86400 seconds away.
 *
 * A reminder set for 08:30 should ring at 08:30 tomorrow too.  Adding a
 * day's worth of seconds to the instant does that only while the zone's
 * offset stays put: across a daylight-saving change the alarm rings an hour
 * early or late, and in zones that moved across the date line or changed
 * offset by half an hour it is off by other amounts.  The bug survives
 * testing because it shows on two days a year, at most.
 *
 * The property draws a zone with gf_timezone_valid() and an instant near
 * one of that zone's transitions with gf_instant_near_transition(), and
 * checks with Gadfly's own time zone reader (never TZ) that the wall clock
 * reads the same the next day.
 *
 * Minimal counterexample (what the shrinker should print):
 *     zone = "America/New_York"
 *     t = -5767201
 * (the report adds 1969-10-26T05:59:59Z beside t, as a comment).
 * "UTC" and "Etc/UTC", before it in the list, never change offset; of New
 * York's transitions the one nearest 1970 is the end of daylight saving on
 * 1969-10-26 at 06:00 UTC; the transition instant itself passes (a day
 * later is 01:00 EST again), so the simplest failure is one second before
 * it: 01:59:59 EDT, and a day later it is 00:59:59 EST.
 *
 * A second property checks the fix, which moves the calendar day and asks
 * the zone for the instant, and holds.
 *
 * Run: examples/tomorrow [--seed N] [--filter 'tomorrow_fixed*'] [--help]
 */
#include <gadfly.h>
#include <gadfly/tz.h>

#include <inttypes.h>
#include <time.h>

/* The bug: a day is not always 86400 seconds of local time. */
static int64_t same_time_tomorrow(const gf_tz *tz, int64_t t)
{
    (void)tz;
    return t + 86400;
}

/*
 * The fix: step the wall-clock date and convert back.  When tomorrow
 * repeats that time (a fold), take the earlier instant; when it skips it
 * (a gap), take the instant the clock would show it had it not jumped,
 * which is just after the gap, as most calendars do.
 */
static int64_t same_time_tomorrow_fixed(const gf_tz *tz, int64_t t)
{
    struct tm wall;
    int64_t candidates[2];
    gf_tz_localtime(tz, t, &wall, NULL, NULL, NULL);
    wall.tm_mday += 1;
    int n = gf_tz_local_to_utc(tz, &wall, candidates);
    return n == 0 ? candidates[1] : candidates[0];
}

/* The wall clocks match (the dates are not compared). */
static bool same_clock(const struct tm *a, const struct tm *b)
{
    return a->tm_hour == b->tm_hour && a->tm_min == b->tm_min &&
           a->tm_sec == b->tm_sec;
}

/* The zone and the instant, with the zone loaded. */
static const gf_tz *draw_zone_and_instant(gf_case *tc, int64_t *t)
{
    const char *zone = gf_draw_named(tc, gf_timezone_valid(), "zone");
    *t = *(int64_t *)gf_draw_named(tc, gf_instant_near_transition(zone),
                                   "t");
    const gf_tz *tz = gf_tz_load(zone);
    GF_ASSERT(tc, tz != NULL);
    return tz;
}

GF_PROPERTY(tomorrow_same_wall_clock)
{
    int64_t t;
    const gf_tz *tz = draw_zone_and_instant(tc, &t);
    int64_t next = same_time_tomorrow(tz, t);
    struct tm now, then;
    const char *abbr_now, *abbr_then;
    GF_ASSERT(tc, gf_tz_localtime(tz, t, &now, NULL, NULL, &abbr_now));
    GF_ASSERT(tc, gf_tz_localtime(tz, next, &then, NULL, NULL, &abbr_then));
    gf_note(tc, "now:      %04d-%02d-%02d %02d:%02d:%02d %s",
            now.tm_year + 1900, now.tm_mon + 1, now.tm_mday, now.tm_hour,
            now.tm_min, now.tm_sec, abbr_now);
    gf_note(tc, "tomorrow: %04d-%02d-%02d %02d:%02d:%02d %s",
            then.tm_year + 1900, then.tm_mon + 1, then.tm_mday, then.tm_hour,
            then.tm_min, then.tm_sec, abbr_then);
    GF_ASSERT(tc, same_clock(&now, &then));
}

GF_PROPERTY(tomorrow_fixed_same_wall_clock)
{
    int64_t t;
    const gf_tz *tz = draw_zone_and_instant(tc, &t);
    struct tm now, then, wanted;
    GF_ASSERT(tc, gf_tz_localtime(tz, t, &now, NULL, NULL, NULL));
    int64_t next = same_time_tomorrow_fixed(tz, t);
    GF_ASSERT(tc, gf_tz_localtime(tz, next, &then, NULL, NULL, NULL));
    GF_ASSERT(tc, next > t);
    /* Tomorrow's date at the same time; when tomorrow skips that time,
     * the clock reads later by the length of the skip. */
    wanted = now;
    wanted.tm_mday += 1;
    int64_t c[2];
    int64_t skipped = 0;
    if (gf_tz_local_to_utc(tz, &wanted, c) == 0)
        skipped = c[1] - c[0];
    GF_ASSERT_EQ_INT(tc, (int64_t)timegm(&then) - (int64_t)timegm(&wanted),
                     skipped);
}

GF_MAIN()
