/*
 * gadfly/time.h - calendar generators: instants, struct tm, ISO-8601 and
 * RFC 3339 strings, UTC offsets, and a fake clock.
 *
 * Every generator here is biased toward the values that break time code
 * (the time_t edges, leap days, leap seconds, odd offsets) and shrinks
 * toward the epoch, 1970-01-01T00:00:00Z.  docs/time.md lists each bias.
 * Nothing here reads the host's timezone or calls setenv("TZ").
 */
#ifndef GADFLY_TIME_H
#define GADFLY_TIME_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <gadfly.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Instants.                                                                 */
/* ------------------------------------------------------------------------ */

/**
 * Seconds since 1970-01-01T00:00:00Z, as int64_t.  Biased toward the time_t
 * edges (0, +-1, 2^31-1, 2^31, -2^31, 2^32-1, 2^32), the end of year 9999
 * (253402300799) and the start of year 10000, year 1 and year 0, the limits
 * of glibc's gmtime_r (the last instants whose year fits tm_year, and one
 * past them), INT64_MIN and INT64_MAX.  Otherwise an ordinary instant of
 * 1900..2100, one far from now (years 2038..9999, leaning toward 2038, or
 * 0001..1899), or (less often) any int64_t.  Shrinks toward 0.
 */
GF_API const gf_gen *gf_instant(void);

/** As gf_instant, as time_t: values the host's time_t cannot hold are
 * replaced by its limits, which are edges themselves. */
GF_API const gf_gen *gf_time_t(void);

/* ------------------------------------------------------------------------ */
/* Civil calendar arithmetic (proleptic Gregorian, any int64_t year).        */
/* ------------------------------------------------------------------------ */

/** Days from 1970-01-01 to year-month-day (month 1..12, day 1..31).  The
 * day may be past the month's end; the result then counts on.  Years
 * beyond +-2^50 are outside the domain. */
GF_API int64_t gf_days_from_civil(int64_t year, int month, int day);

/** The date `days` days after 1970-01-01 (month 1..12, day 1..31), for
 * days within +-2^60 (every int64_t instant's day is). */
GF_API void gf_civil_from_days(int64_t days, int64_t *year, int *month,
                               int *day);

/** True if year is a Gregorian leap year. */
GF_API bool gf_is_leap_year(int64_t year);

/** Days in month 1..12 of year; 0 for a month outside 1..12. */
GF_API int gf_days_in_month(int64_t year, int month);

/* ------------------------------------------------------------------------ */
/* struct tm.                                                                */
/* ------------------------------------------------------------------------ */

/**
 * A struct tm holding a real calendar date and a time of day (tm_sec may
 * be 60, a leap second), with tm_wday and tm_yday consistent with the date
 * and tm_isdst 0, as gmtime_r would give.  Biased toward month ends, Feb 29
 * of 2000 and 2024, Feb 28 of 1900 and 2100, Dec 31 23:59:59 and 23:59:60,
 * the epoch and the second before it, 2038-01-19T03:14:07, and the years
 * 1900, 2000, 2100, 9999 and the edges of tm_year.  Shrinks toward
 * 1970-01-01 00:00:00.  Prints as a compound literal (struct tm){...}.
 */
GF_API const gf_gen *gf_tm(void);

/**
 * A struct tm whose fields may be out of range, for testing normalisation
 * (timegm, mktime and their replacements): tm_mon 12 or -1, tm_mday 0 or
 * 32, Feb 29 of 1900 and 2100, Feb 30, tm_hour 24, tm_sec 61, negative
 * fields, INT_MAX and INT_MIN; tm_wday and tm_yday hold garbage that a
 * normaliser must ignore.  Shrinks toward 1970-01-01 00:00:00.
 */
GF_API const gf_gen *gf_tm_unnormalized(void);

/* ------------------------------------------------------------------------ */
/* UTC offsets.                                                              */
/* ------------------------------------------------------------------------ */

/**
 * A UTC offset in minutes east of UTC, as int32_t, in [-1439, 1439] (the
 * range "+HH:MM" can spell).  Biased toward offsets in use that are not
 * whole hours (+05:45, +05:30, +08:45, +12:45, +13:45, -09:30, -03:30,
 * -02:30, +03:30, +04:30, +06:30, +09:30, +10:30) and the extremes in use
 * (+14:00, -12:00), and the range's ends.  Shrinks toward 0.
 */
GF_API const gf_gen *gf_utc_offset(void);

/**
 * A UTC offset as RFC 3339 writes it, as a char *: "Z", "+05:45", "-09:30",
 * "-00:00" (offset unknown).  The offsets are gf_utc_offset's; "Z" is
 * sometimes "z" and 0 sometimes "+00:00" or "-00:00".  Shrinks toward "Z".
 */
GF_API const gf_gen *gf_utc_offset_text(void);

/* ------------------------------------------------------------------------ */
/* ISO-8601 and RFC 3339 strings.                                            */
/* ------------------------------------------------------------------------ */

/**
 * A valid RFC 3339 date-time (char *), "2024-02-29T23:59:60.5+05:45".
 * Biased toward the gf_tm dates, leap seconds (23:59:60 in UTC on a month's
 * last day, shifted into the string's offset), odd offsets, "-00:00",
 * fractions of 1..9 digits, and lower-case "t" and "z".  Shrinks toward
 * "1970-01-01T00:00:00Z".
 */
GF_API const gf_gen *gf_rfc3339(void);

/**
 * A valid string of the ISO-8601 subset gf_iso8601_valid accepts (char *):
 * calendar dates, week dates (2020-W53-7) and ordinal dates (2024-366), in
 * basic or extended format, alone or with a time (hh, hh:mm, hh:mm:ss,
 * with a fraction after "." or ","), 24:00:00, leap seconds, and offsets
 * Z, +hh, +hh:mm.  Biased like gf_rfc3339, and toward week 53 of the years
 * that have one, day 366 of leap years, and 24:00.  Shrinks toward
 * "1970-01-01T00:00:00Z".
 */
GF_API const gf_gen *gf_iso8601(void);

/** Ways a date-time string can be wrong, for gf_datetime_invalid. */
typedef enum gf_time_flaw {
    GF_FLAW_OFFSET_HOUR = 1u << 0,   /**< "+24:00", "-99:00" */
    GF_FLAW_OFFSET_MINUTE = 1u << 1, /**< "+05:60" */
    GF_FLAW_MONTH = 1u << 2,         /**< month 00 or 13..99 */
    GF_FLAW_DAY = 1u << 3,           /**< Feb 30, Apr 31, Feb 29 2100, 00 */
    GF_FLAW_HOUR = 1u << 4,          /**< hour 25..99 (24 with minutes) */
    GF_FLAW_MINUTE = 1u << 5,        /**< minute 60..99 */
    GF_FLAW_SECOND = 1u << 6,        /**< second 61..99, or :60 not at
                                          23:59 UTC on a month's last day */
    GF_FLAW_TRUNCATED = 1u << 7,     /**< cut inside a field */
    GF_FLAW_NO_T = 1u << 8,          /**< date and time run together */
    GF_FLAW_SEPARATOR = 1u << 9,     /**< '/', '.', '_' or ' ' for a
                                          separator */
    GF_FLAW_TRAILING = 1u << 10,     /**< garbage after a valid string */
    GF_FLAW_NOT_DIGIT = 1u << 11,    /**< a letter or sign inside a field */
} gf_time_flaw;

/** Every flaw. */
#define GF_FLAW_ALL 0xFFFu

/**
 * An invalid RFC 3339 date-time (char *) with exactly one flaw, chosen
 * among `flaws` (GF_FLAW_* or-ed; 0 means all).  A valid string is drawn,
 * then broken in the chosen way, so the rest of the string is the shape of
 * gf_rfc3339's.  Every flaw but GF_FLAW_TRUNCATED also makes the string
 * invalid ISO-8601 (a truncated string can be a shorter valid one).
 * A value outside GF_FLAW_ALL is reported as misuse.
 */
GF_API const gf_gen *gf_datetime_invalid(unsigned flaws);

/** The name of one flaw ("offset hour"), or "unknown". */
GF_API const char *gf_time_flaw_name(gf_time_flaw flaw);

/** A date-time read by gf_rfc3339_parse or gf_iso8601_parse. */
typedef struct gf_datetime {
    int64_t seconds;     /**< since the epoch, in UTC; a leap second reads
                              as the second after 23:59:59, as POSIX does */
    int32_t nanosecond;  /**< the fraction, truncated to nanoseconds */
    int32_t offset;      /**< minutes east of UTC; 0 without an offset */
    bool has_offset;     /**< false for "-00:00" and zone-less ISO times */
    bool leap_second;    /**< the seconds field was 60 */
} gf_datetime;

/**
 * Parse s as an RFC 3339 date-time, strictly: every field in range, the day
 * within its month, ":60" only at 23:59 UTC on a month's last day, and
 * nothing after the offset.  Returns true and fills *out (which may be
 * NULL) if s is valid; otherwise returns false and, if why is not NULL,
 * points *why at a static description of the first problem.
 */
GF_API bool gf_rfc3339_parse(const char *s, gf_datetime *out,
                             const char **why);

/** True if s is a valid RFC 3339 date-time. */
GF_API bool gf_rfc3339_valid(const char *s);

/**
 * Parse s as the ISO-8601 subset gf_iso8601 produces: a calendar, week or
 * ordinal date, optionally followed by "T" and a time of day, optionally
 * with a fraction and a UTC offset; basic and extended format not mixed.
 * A date alone reads as its midnight.  Same contract as gf_rfc3339_parse.
 */
GF_API bool gf_iso8601_parse(const char *s, gf_datetime *out,
                             const char **why);

/** True if s is a valid string of the ISO-8601 subset. */
GF_API bool gf_iso8601_valid(const char *s);

/* ------------------------------------------------------------------------ */
/* A fake clock.                                                             */
/* ------------------------------------------------------------------------ */

/** How a gf_clock's readings move. */
typedef enum gf_clock_mode {
    GF_CLOCK_MONOTONIC = 0, /**< never decreases; steps of 0..10 ms */
    GF_CLOCK_JUMPING,       /**< never decreases; small steps and sometimes
                                 a jump forward of 1 s .. 30 days (NTP, a
                                 suspended laptop) */
    GF_CLOCK_BACKWARDS,     /**< as JUMPING, and sometimes a step back of
                                 1 ns .. 1 hour (a wall clock set back) */
} gf_clock_mode;

/** A fake clock for code that takes time as a dependency.  Opaque. */
typedef struct gf_clock gf_clock;

/**
 * A clock reading start_ns first, allocated in tc's arena (it ends with the
 * case).  Each later reading is drawn from the case, so the shrinker
 * minimises every step toward "no change" and failing runs read the
 * fewest, smallest steps that still fail.  Readings saturate at the ends
 * of int64_t.  An unknown mode fails the case as misuse.
 */
GF_API gf_clock *gf_clock_new(gf_case *tc, gf_clock_mode mode,
                              int64_t start_ns);

/** The next reading, in nanoseconds. */
GF_API int64_t gf_clock_now(gf_clock *c);

/** The next reading as a struct timespec (tv_nsec in [0, 1e9)). */
GF_API struct timespec gf_clock_timespec(gf_clock *c);

/** How many readings were taken. */
GF_API uint64_t gf_clock_readings(const gf_clock *c);

#ifdef __cplusplus
}
#endif

#endif /* GADFLY_TIME_H */
