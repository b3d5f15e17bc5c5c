/*
 * capture.c - the challenges' captured lists and their text (capture.h).
 */
#include "capture.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void list_clear(int_list *l)
{
    l->n = 0;
    l->truncated = false;
}

void list_push(int_list *l, int64_t x)
{
    if (l->n < CAPTURE_MAX)
        l->v[l->n++] = x;
    else
        l->truncated = true;
}

bool list_is(const int_list *l, const int64_t *want, size_t n)
{
    if (l->truncated || l->n != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (l->v[i] != want[i])
            return false;
    return true;
}

static void text_reserve(text *t, size_t more)
{
    if (t->len + more < t->cap)
        return;
    size_t cap = t->cap ? t->cap : 64;
    while (cap <= t->len + more)
        cap *= 2;
    char *s = realloc(t->s, cap);
    if (s == NULL) {
        fputs("challenges: out of memory\n", stderr);
        abort();
    }
    t->s = s;
    t->cap = cap;
}

void text_add(text *t, const char *fmt, ...)
{
    va_list ap, probe;
    va_start(ap, fmt);
    va_copy(probe, ap);
    int n = vsnprintf(NULL, 0, fmt, probe);
    va_end(probe);
    if (n > 0) {
        text_reserve(t, (size_t)n + 1);
        vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
        t->len += (size_t)n;
    }
    va_end(ap);
}

/* The string, never NULL; the caller frees it. */
char *text_take(text *t)
{
    text_reserve(t, 1);
    t->s[t->len] = '\0';
    return t->s;
}

/* {a, b, c}, cut after LIST_SHOWN values. */
void text_list(text *t, const int_list *l)
{
    text_add(t, "{");
    for (size_t i = 0; i < l->n && i < LIST_SHOWN; i++)
        text_add(t, "%s%" PRId64, i ? ", " : "", l->v[i]);
    if (l->n > LIST_SHOWN)
        text_add(t, ", ... %zu more", l->n - LIST_SHOWN);
    text_add(t, "}%s", l->truncated ? " (capture truncated)" : "");
}

char *describe_list(const int_list *l)
{
    text t = {0};
    text_list(&t, l);
    return text_take(&t);
}
