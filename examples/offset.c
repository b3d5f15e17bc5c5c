/*
 * offset.c - a UTC-offset parser that only knows whole and half hours.
 *
 * "+05:30" is India and "-03:30" Newfoundland, so a parser written against
 * those two, and the whole-hour offsets everyone tests, accepts minutes of
 * 00 and 30 and rejects the rest as malformed.  Nepal (+05:45), the Chatham
 * Islands (+12:45, +13:45) and Eucla (+08:45) are then "invalid", and any
 * log line, calendar entry or API request stamped there is dropped.
 * Tests written by hand list the offsets their author knows; the property
 * draws them from gf_utc_offset_text(), which spells offsets of any
 * minute and is biased toward the real ones that are not whole hours, and
 * checks the parser against gf_rfc3339_parse, which reads offsets with no
 * such assumption.  The first few cases find it.
 *
 * Minimal counterexample (what the shrinker should print):
 *     offset = "+00:01"
 * Offsets shrink toward "Z", then toward the smallest offset; +00:01 is the
 * smallest whose minutes are neither 00 nor 30.
 *
 * A second property checks the corrected parser and holds.
 *
 * Run: examples/offset [--seed N] [--filter 'offset_fixed*'] [--help]
 */
#include <gadfly.h>
#include <gadfly/time.h>

#include <stdio.h>

/* Two digits at s, or -1. */
static int two_digits(const char *s)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return -1;
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/*
 * Parse "Z", "+HH:MM" or "-HH:MM" into minutes east of UTC.  Returns 0 on
 * success, -1 if the text is not an offset.  The bug: minutes other than
 * 00 and 30 are taken for a typo.
 */
static int parse_offset_buggy(const char *s, int *minutes)
{
    if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
        *minutes = 0;
        return 0;
    }
    if ((s[0] != '+' && s[0] != '-') || s[3] != ':' || s[6] != '\0')
        return -1;
    int h = two_digits(s + 1), m = two_digits(s + 4);
    if (h < 0 || h > 23 || (m != 0 && m != 30))
        return -1;
    *minutes = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
    return 0;
}

/* The fix: any minute 00..59. */
static int parse_offset_fixed(const char *s, int *minutes)
{
    if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
        *minutes = 0;
        return 0;
    }
    if ((s[0] != '+' && s[0] != '-') || s[3] != ':' || s[6] != '\0')
        return -1;
    int h = two_digits(s + 1), m = two_digits(s + 4);
    if (h < 0 || h > 23 || m < 0 || m > 59)
        return -1;
    *minutes = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
    return 0;
}

/* The offset as gf_rfc3339_parse reads it, from a date-time that ends in
 * it: the reference answer. */
static int reference_offset(gf_case *tc, const char *offset)
{
    char line[64];
    snprintf(line, sizeof line, "2024-03-01T12:00:00%s", offset);
    gf_datetime dt;
    const char *why = NULL;
    if (!gf_rfc3339_parse(line, &dt, &why))
        GF_FAIL(tc, "reference rejected %s: %s", line, why);
    return dt.offset;
}

GF_PROPERTY(offset_parses_every_valid_offset)
{
    const char *s = gf_draw_named(tc, gf_utc_offset_text(), "offset");
    int expected = reference_offset(tc, s);
    int got = 0;
    /* One assertion for "rejected" and "wrong value" alike, so every
     * failure is one origin and shrinks to one counterexample. */
    bool ok = parse_offset_buggy(s, &got) == 0;
    gf_note(tc, "parse_offset_buggy: %s, %d minutes (expected %d)",
            ok ? "accepted" : "rejected", got, expected);
    GF_ASSERT(tc, ok && got == expected);
}

GF_PROPERTY(offset_fixed_parses_every_valid_offset)
{
    const char *s = gf_draw_named(tc, gf_utc_offset_text(), "offset");
    int expected = reference_offset(tc, s);
    int got = 0;
    GF_ASSERT_EQ_INT(tc, parse_offset_fixed(s, &got), 0);
    GF_ASSERT_EQ_INT(tc, got, expected);
}

GF_MAIN()
