/*
 * capture.h - what the challenges keep of each call: lists of integers
 * captured before the property asserts, and the text describe() prints.
 * Shared by challenges.c and shapes.c; uses nothing but the C library.
 */
#ifndef GF_TESTS_SHRINK_CAPTURE_H
#define GF_TESTS_SHRINK_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gadfly.h>

/* Every list element costs at least one choice (its "one more?" flag), and
 * a case makes at most 8192 choices with the options challenge_run
 * gives, so no list captured here can be longer. */
#define CAPTURE_MAX 8192
/* Lists longer than this print their head and a count. */
#define LIST_SHOWN 24

typedef struct int_list {
    int64_t v[CAPTURE_MAX];
    size_t n;
    bool truncated; /* more than CAPTURE_MAX values were pushed */
} int_list;

void list_clear(int_list *l);
void list_push(int_list *l, int64_t x);
/* Is l exactly want[0..n)? */
bool list_is(const int_list *l, const int64_t *want, size_t n);

/* A growing malloc'd string. */
typedef struct text {
    char *s;
    size_t len, cap;
} text;

void text_add(text *t, const char *fmt, ...) GF_PRINTF(2, 3);
/* The string, never NULL; the caller frees it. */
char *text_take(text *t);
/* {a, b, c}, cut after LIST_SHOWN values. */
void text_list(text *t, const int_list *l);
/* The list as text_list writes it; the caller frees it. */
char *describe_list(const int_list *l);

#endif /* GF_TESTS_SHRINK_CAPTURE_H */
