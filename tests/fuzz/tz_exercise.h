/*
 * tz_exercise.h - what the zone fuzz targets (tzstring.c, tzif.c) ask of
 * a zone they parsed: local time, the way back and transitions, across
 * the range Gadfly draws instants from.  None may crash, and transitions
 * come in order.
 */
#include <stdlib.h>
#include <time.h>

#include <gadfly/tz.h>

static void exercise_zone(const gf_tz *tz)
{
    static const int64_t instants[] = {
        -((int64_t)1 << 59), -67768040609740800, -2147483648LL, -1, 0, 1,
        951782400, 2147483647LL, 4102444800LL, 67767976233316800,
        ((int64_t)1 << 59),
    };
    for (size_t i = 0; i < sizeof instants / sizeof instants[0]; i++) {
        struct tm tm;
        long utoff;
        bool isdst;
        const char *abbr = NULL;
        if (gf_tz_localtime(tz, instants[i], &tm, &utoff, &isdst, &abbr)) {
            if (!abbr)
                abort();
            int64_t back[2];
            (void)gf_tz_local_to_utc(tz, &tm, back);
        }
    }
    gf_tz_transition tr[16];
    size_t n = gf_tz_transitions(tz, -2147483648LL, 4102444800LL, tr, 16);
    if (n > 16)
        abort();
    for (size_t i = 1; i < n; i++)
        if (tr[i].at <= tr[i - 1].at)
            abort();
    (void)gf_tz_name(tz);
}
