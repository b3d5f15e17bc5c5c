/*
 * wire.c - results between processes: a --jobs worker's to its parent, a
 * speculating shrinker's to the one it shrinks for.  Counts, then
 * length-prefixed strings, written whole and read whole.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wire.h"

void wire_put_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* the parent went away: nothing to tell */
        c += w;
        n -= (size_t)w;
    }
}

void wire_put_string(int fd, const char *s)
{
    uint64_t n = s ? strlen(s) + 1 : 0; /* 0: NULL */
    wire_put_all(fd, &n, sizeof n);
    if (s)
        wire_put_all(fd, s, n - 1);
}

void wire_send_result(int fd, gf_status st, const gf_result *r)
{
    uint64_t counts[11] = {
        (uint64_t)st, r->seed, r->cases, r->passed, r->discarded,
        r->duplicates, r->shrinks, r->shrink_calls, r->failures,
        (uint64_t)r->exhausted | (uint64_t)r->flaky << 1 |
            (uint64_t)r->interrupted << 2, r->unchecked,
    };
    wire_put_all(fd, counts, sizeof counts);
    const char *strings[] = {r->origin, r->message, r->counterexample,
                             r->replay, r->report};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        wire_put_string(fd, strings[i]);
}

bool wire_get_all(int fd, void *p, size_t n)
{
    char *c = p;
    while (n) {
        ssize_t got = read(fd, c, n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        c += got;
        n -= (size_t)got;
    }
    return true;
}

bool wire_get_string(int fd, char **out)
{
    uint64_t n;
    *out = NULL;
    if (!wire_get_all(fd, &n, sizeof n) || n > ((uint64_t)1 << 32))
        return false;
    if (n == 0)
        return true;
    char *s = xmalloc((size_t)n);
    if (!wire_get_all(fd, s, (size_t)n - 1)) {
        free(s);
        return false;
    }
    s[n - 1] = 0;
    *out = s;
    return true;
}

bool wire_receive_result(int fd, gf_status *st, gf_result *r)
{
    uint64_t counts[11];
    memset(r, 0, sizeof *r);
    if (!wire_get_all(fd, counts, sizeof counts))
        return false;
    *st = (gf_status)counts[0];
    r->seed = counts[1];
    r->cases = counts[2];
    r->passed = counts[3];
    r->discarded = counts[4];
    r->duplicates = counts[5];
    r->shrinks = counts[6];
    r->shrink_calls = counts[7];
    r->failures = (unsigned)counts[8];
    r->exhausted = counts[9] & 1;
    r->unchecked = counts[10];
    r->flaky = (counts[9] >> 1) & 1;
    r->interrupted = (counts[9] >> 2) & 1;
    return wire_get_string(fd, &r->origin) && wire_get_string(fd, &r->message) &&
           wire_get_string(fd, &r->counterexample) && wire_get_string(fd, &r->replay) &&
           wire_get_string(fd, &r->report);
}
