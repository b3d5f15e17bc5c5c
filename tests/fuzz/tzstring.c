/*
 * tzstring.c - fuzz target for POSIX TZ strings (generators/tzif.c,
 * gf_tz_posix): the TZ variable's syntax, and a TZif file's footer.
 *
 * A string is a zone or refused with gf_tz_error's reason; a zone answers
 * local time and transitions across the whole range Gadfly draws
 * instants from (tz_exercise.h).
 */
#include <stdlib.h>
#include <string.h>

#include "tz_exercise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (size)
        memcpy(s, data, size);
    s[size] = 0;
    gf_tz *tz = gf_tz_posix(s);
    if (!tz) {
        const char *why = gf_tz_error();
        if (!why || !*why)
            abort();
    } else {
        exercise_zone(tz);
        gf_tz_free(tz);
    }
    free(s);
    return 0;
}
