/*
 * tzif.c - fuzz target for TZif files (generators/tzif.c): the zoneinfo
 * files gf_tz_load reads, which a system (or GF_TZDIR) may hold damaged,
 * truncated, or of a later version.
 *
 * An image is a zone or refused with gf_tz_error's reason; a zone answers
 * as tz_exercise.h asks.  Seeds: the system's own zoneinfo files.
 */
#include <stdint.h>
#include <stdlib.h>

#include "tz_exercise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* generators/tzif.c: a zone from an image in memory, never cached. */
gf_tz *tzif_from_bytes(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gf_tz *tz = tzif_from_bytes(data, size);
    if (!tz) {
        const char *why = gf_tz_error();
        if (!why || !*why)
            abort();
        return 0;
    }
    exercise_zone(tz);
    gf_tz_free(tz);
    return 0;
}
