/*
 * datetime.c - fuzz target for the RFC 3339 and ISO 8601 parsers
 * (generators/time.c) on any text.
 *
 * Each accepts with every field in range or refuses with a reason; a text
 * RFC 3339 accepts is ISO 8601 too only where the two grammars meet, so
 * only each parser's own contract is checked.
 */
#include <stdlib.h>
#include <string.h>

#include <gadfly/time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const gf_datetime *t, const char *why)
{
    if (!ok) {
        if (!why || !*why)
            abort();
        return;
    }
    if (t->nanosecond < 0 || t->nanosecond > 999999999)
        abort();
    if (t->offset <= -24 * 60 || t->offset >= 24 * 60)
        abort();
    if (!t->has_offset && t->offset != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (size)
        memcpy(s, data, size);
    s[size] = 0;
    gf_datetime t;
    const char *why = NULL;
    bool ok = gf_rfc3339_parse(s, &t, &why);
    check(ok, &t, why);
    if (ok != gf_rfc3339_valid(s))
        abort();
    why = NULL;
    ok = gf_iso8601_parse(s, &t, &why);
    check(ok, &t, why);
    free(s);
    return 0;
}
