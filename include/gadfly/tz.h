/*
 * gadfly/tz.h - time zones: a TZif and POSIX TZ reader, and generators of
 * the zone names, instants and local times that break date code.
 *
 * The reader is Gadfly's own: it reads TZif files (versions 1 to 4, RFC
 * 8536 and its successor) from the system's zoneinfo directory and parses
 * POSIX TZ strings, both the footer of a TZif file and strings on their
 * own.  It never reads or writes the TZ environment variable and never calls
 * tzset(), so properties can use any number of zones at once, from any
 * thread, without disturbing the program under test.
 *
 * Instants are seconds since 1970-01-01 00:00:00 UTC (int64_t), in the
 * zone's own time scale: for the "right/" zones, whose files carry leap
 * seconds, that scale counts leap seconds, as it does for the C library.
 */
#ifndef GADFLY_TZ_H
#define GADFLY_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <gadfly.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* The reader.                                                               */
/* ------------------------------------------------------------------------ */

/** A loaded time zone.  Opaque and immutable; lives until the process
 * ends, and may be used from any thread. */
typedef struct gf_tz gf_tz;

/**
 * Load the IANA zone `name` ("Europe/London") from the zoneinfo directory:
 * the GF_TZDIR environment variable if it is set and not empty, else
 * /usr/share/zoneinfo.  Each (directory, name) is read once per process;
 * later calls return the same zone.  Thread-safe.
 *
 * `name` must be a relative path of letters, digits and "._+-" in
 * components separated by single slashes, with no "." or ".." component:
 * "../etc/passwd", "/etc/localtime", "" and "Europe//London" are refused
 * without touching the file system.
 *
 * Returns NULL when the name is refused, the file cannot be read or is not
 * a valid TZif file (truncated, garbage, counts or indices out of range,
 * unsorted transitions, a footer that does not parse); gf_tz_error() then
 * says why.  Never crashes on a malformed file.
 */
GF_API const gf_tz *gf_tz_load(const char *name);

/** As gf_tz_load, from the zoneinfo directory `dir` (NULL: as gf_tz_load
 * chooses it). */
GF_API const gf_tz *gf_tz_load_from(const char *dir, const char *name);

/**
 * A zone from a POSIX TZ string such as "EST5EDT,M3.2.0,M11.1.0",
 * "<+0545>-5:45" or "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", with the RFC
 * 8536 extensions: rule times from -167 to 167 hours, and daylight saving
 * all year ("EST5EDT4,0/0,J365/25").  Offsets are POSIX's: positive west of
 * Greenwich, hours 0 to 24.  A string with a daylight-saving name but no
 * rules ("EST5EDT") uses the United States rules, M3.2.0,M11.1.0.  The
 * implementation-defined forms (":Europe/London", a zone name) are not
 * POSIX TZ strings and are refused.
 *
 * Returns a new zone the caller releases with gf_tz_free (strings drawn by
 * a property are endless, so they are not kept), or NULL with gf_tz_error()
 * set on any syntax or range error.  Thread-safe.
 */
GF_API gf_tz *gf_tz_posix(const char *spec);

/** Release a zone from gf_tz_posix.  Does nothing for NULL and for zones
 * from gf_tz_load, which live until the process ends. */
GF_API void gf_tz_free(gf_tz *tz);

/** Why the last gf_tz_load, gf_tz_load_from or gf_tz_posix on this thread
 * failed: one line, e.g. `zone "Mars/Olympus_Mons": no such file in
 * /usr/share/zoneinfo`.  Empty before any failure. */
GF_API const char *gf_tz_error(void);

/** The name the zone was loaded by, or its POSIX TZ string. */
GF_API const char *gf_tz_name(const gf_tz *tz);

/**
 * Local time at instant t: fills *out (tm_year ... tm_yday, tm_isdst, and
 * glibc's tm_gmtoff and tm_zone), *utoff (seconds east of UTC), *isdst and
 * *abbr (the abbreviation, "BST"; valid as long as the zone).  Any out
 * pointer may be NULL.  At an inserted leap second (right/ zones) tm_sec is
 * 60.  Returns false, leaving the outputs alone, when the year does not fit
 * tm_year.
 */
GF_API bool gf_tz_localtime(const gf_tz *tz, int64_t t, struct tm *out,
                            long *utoff, bool *isdst, const char **abbr);

/**
 * The instants whose local time in tz is the wall-clock time `wall`
 * (tm_year, tm_mon, tm_mday, tm_hour, tm_min, tm_sec; out-of-range fields
 * carry over as in timegm, and tm_isdst, tm_wday and tm_yday are ignored).
 *
 * Returns 1 with out[0] == out[1] the instant when there is exactly one;
 * 2 in a fold (the clock was set back): out[0] the earlier instant, out[1]
 * the later; 0 in a gap (the clock skipped this time): out[0] is the wall
 * time read with the offset in force after the gap, out[1] with the offset
 * before it, so out[0] < out[1] and the transition lies between them.
 */
GF_API int gf_tz_local_to_utc(const gf_tz *tz, const struct tm *wall,
                              int64_t out[2]);

/** One change of local time: of the offset, the daylight-saving flag or
 * the abbreviation. */
typedef struct gf_tz_transition {
    int64_t at;                /**< the first instant of the new rule */
    long utoff_before, utoff_after;       /**< seconds east of UTC */
    bool isdst_before, isdst_after;
    const char *abbr_before, *abbr_after; /**< valid as long as the zone */
} gf_tz_transition;

/**
 * Store in out[0..cap) the transitions of tz at instants in [from, to), in
 * order, both those listed in the TZif file and those its footer rule makes;
 * returns how many were stored.  When it returns cap there may be more:
 * call again from out[cap - 1].at + 1.
 */
GF_API size_t gf_tz_transitions(const gf_tz *tz, int64_t from, int64_t to,
                                gf_tz_transition *out, size_t cap);

/* ------------------------------------------------------------------------ */
/* Generators.                                                               */
/* ------------------------------------------------------------------------ */

/**
 * char *: an IANA zone name from a hand-written list weighted toward the
 * zones that break date code (offsets that are not whole hours, +14 and
 * -12, 30-minute and negative DST, skipped and repeated days, local mean
 * time with seconds) and names that do not exist ("Mars/Olympus_Mons", "",
 * "UTC+5", "../etc/passwd", case variants).  Shrinks toward "UTC".
 */
GF_API const gf_gen *gf_timezone(void);

/** char *: as gf_timezone, but only names that gf_tz_load loads on this
 * system.  Shrinks toward "UTC". */
GF_API const gf_gen *gf_timezone_valid(void);

/**
 * int64_t: an instant a few seconds, minutes, hours or days from one of
 * zone's transitions between 1800 and 2200, read from its TZif data
 * (after 2037, those its POSIX rule makes), or from a 32-bit time_t edge
 * (2^31 - 1 and 2^32 - 1 often, -2^31 rarely).
 * Shrinks toward the transition nearest 1970, exactly.  A zone without
 * transitions gives instants near 0.  A zone that does not load fails the
 * case with gf_tz_error()'s message.
 */
GF_API const gf_gen *gf_instant_near_transition(const char *zone);

/** A wall-clock time that is ambiguous in a zone. */
typedef struct gf_local_time {
    struct tm wall;      /**< tm_year..tm_sec; tm_isdst is -1 */
    int count;           /**< 0: in a gap, 2: in a fold */
    int64_t instants[2]; /**< as gf_tz_local_to_utc stores them */
} gf_local_time;

/**
 * gf_local_time: a wall-clock time in a gap (skipped by the clock) or a
 * fold (repeated) of zone between 1800 and 2200, with both candidate
 * instants.  Biased toward the first and last second of the gap or fold.
 * Shrinks toward the start of the gap or fold of the transition nearest
 * 1970.  A zone that does not load, or has no gap or fold in that span,
 * fails the case with a message.
 */
GF_API const gf_gen *gf_ambiguous_local_time(const char *zone);

/** char *: a POSIX TZ string that gf_tz_posix accepts, from a hand-written
 * list of the awkward ones and from parts (quoted names, offsets with
 * minutes and seconds, Mm.w.d, Jn and n rules, rule times below 0 and past
 * 24 hours).  Shrinks toward "UTC0". */
GF_API const gf_gen *gf_posix_tz(void);

/** What is wrong with an invalid POSIX TZ string. */
typedef enum gf_posix_tz_flaw {
    GF_TZ_FLAW_ANY = 0,        /**< any of the classes below */
    GF_TZ_FLAW_EMPTY,          /**< "" */
    GF_TZ_FLAW_SHORT_NAME,     /**< fewer than 3 letters: "AB5" */
    GF_TZ_FLAW_BAD_NAME,       /**< a character names may not have */
    GF_TZ_FLAW_UNCLOSED_QUOTE, /**< "<+05-5" */
    GF_TZ_FLAW_NO_OFFSET,      /**< "EST" */
    GF_TZ_FLAW_OFFSET_RANGE,   /**< hours past 24, minutes or seconds past 59 */
    GF_TZ_FLAW_RULE_RANGE,     /**< M13.1.0, M3.6.0, M3.2.7, J0, J366, 366 */
    GF_TZ_FLAW_RULE_TIME,      /**< a rule time past 167 hours */
    GF_TZ_FLAW_ONE_RULE,       /**< a start rule without an end rule */
    GF_TZ_FLAW_TRAILING,       /**< characters after a valid string */
    GF_TZ_FLAW_ZONE_NAME,      /**< ":Europe/London", "Europe/London" */
    GF_TZ_FLAW_COUNT
} gf_posix_tz_flaw;

/** char *: a string gf_tz_posix rejects, of the class `flaw`
 * (GF_TZ_FLAW_ANY: any class).  Shrinks toward the class's first, simplest
 * example. */
GF_API const gf_gen *gf_posix_tz_invalid(gf_posix_tz_flaw flaw);

#ifdef __cplusplus
}
#endif

#endif /* GADFLY_TZ_H */
