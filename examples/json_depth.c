/*
 * json_depth.c - a JSON reader with no limit on nesting, and the valid
 * document that crashes it.
 *
 * read_value() is the textbook recursive-descent reader: one call per
 * value, and an array or object calls it again for each element.  Each
 * call keeps a 4 KiB scratch buffer for the token it is reading (numbers
 * are copied there for strtod), a common pattern in small readers.  There
 * is no depth limit, so a document nested deeply enough overflows the
 * stack: [[[[...]]]] with a few hundred levels is perfectly valid JSON,
 * and it crashes the process with SIGSEGV.
 *
 * main() runs Gadfly on a thread with a 1 MiB stack, so the depth that
 * overflows is the same on every run and every machine: it depends neither
 * on the `ulimit -s` of the shell (unlimited in some CI images, where the
 * crash would come only after gigabytes) nor on where address space layout
 * randomisation puts the main stack, so a replay overflows exactly where
 * the shrunk run did.  With that stack the reader fails at about 250
 * levels (fewer under AddressSanitizer, whose frames are larger).
 *
 * gf_json_text() is biased toward deep nesting: a container often sits at
 * the bottom of a run of nested arrays reaching the maximum depth (here
 * 2000), so the first cases already crash.  The worker process running the
 * property dies; Gadfly tells the overflow from another SIGSEGV by the
 * faulting address, and shrinks the depth of the run by binary search,
 * each candidate in a fresh process.
 *
 * Minimal counterexample: the shallowest document that overflows, all
 * brackets,
 *     text = "[[[[...]]]]"
 * with as many levels as the stack allows (the note line gives the
 * depth), and the origin "stack overflow".  gf_mutated(..., GF_MUT_DEEP)
 * finds the same crash with unclosed brackets.
 *
 * Run: examples/json_depth [--seed N] [--help]
 */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <stdio.h>

#include <gadfly.h>
#include <gadfly/payload.h>

#define STACK_SIZE (1024 * 1024)
/* Larger than one frame, so an overflow lands in the guard, never past
 * it in another mapping. */
#define GUARD_SIZE (64 * 1024)
#define MAX_DEPTH 2000
#define SCRATCH 4096

typedef struct reader {
    const char *s;
    size_t pos;
} reader;

static void skip_space(reader *r)
{
    while (r->s[r->pos] == ' ' || r->s[r->pos] == '\t' ||
           r->s[r->pos] == '\n' || r->s[r->pos] == '\r')
        r->pos++;
}

/* Skip a string, escapes included; the reader does not keep strings. */
static bool read_string(reader *r)
{
    r->pos++; /* the opening quote */
    while (r->s[r->pos] != '"') {
        if (r->s[r->pos] == '\0')
            return false;
        if (r->s[r->pos] == '\\' && r->s[r->pos + 1] != '\0')
            r->pos++;
        r->pos++;
    }
    r->pos++;
    return true;
}

static bool read_value(reader *r, double *sum);

/* The elements of an array or the members of an object, after the
 * opening bracket: each one another call of read_value. */
static bool read_container(reader *r, char close, double *sum)
{
    skip_space(r);
    if (r->s[r->pos] == close) {
        r->pos++;
        return true;
    }
    for (;;) {
        skip_space(r);
        if (close == '}') {
            if (r->s[r->pos] != '"' || !read_string(r))
                return false;
            skip_space(r);
            if (r->s[r->pos++] != ':')
                return false;
        }
        if (!read_value(r, sum)) /* the recursion, with no depth limit */
            return false;
        skip_space(r);
        char c = r->s[r->pos++];
        if (c == close)
            return true;
        if (c != ',')
            return false;
    }
}

/* One value; numbers are added to *sum, the reader's "result". */
static bool read_value(reader *r, double *sum)
{
    char scratch[SCRATCH];
    skip_space(r);
    char c = r->s[r->pos];
    if (c == '[' || c == '{') {
        r->pos++;
        return read_container(r, c == '[' ? ']' : '}', sum);
    }
    if (c == '"')
        return read_string(r);
    if (c == '-' || (c >= '0' && c <= '9')) {
        size_t n = 0;
        while (strchr("+-.eE0123456789", r->s[r->pos]) && r->s[r->pos] &&
               n < SCRATCH - 1)
            scratch[n++] = r->s[r->pos++];
        scratch[n] = '\0';
        *sum += strtod(scratch, NULL);
        return true;
    }
    static const char *const words[] = {"null", "true", "false"};
    for (size_t i = 0; i < 3; i++)
        if (strncmp(r->s + r->pos, words[i], strlen(words[i])) == 0) {
            r->pos += strlen(words[i]);
            return true;
        }
    return false;
}

/* The deepest nesting of brackets outside strings, for the report. */
static size_t nesting(const char *s)
{
    size_t depth = 0, deepest = 0;
    bool in_string = false;
    for (; *s; s++) {
        if (in_string) {
            if (*s == '\\' && s[1])
                s++;
            else if (*s == '"')
                in_string = false;
        } else if (*s == '"') {
            in_string = true;
        } else if (*s == '[' || *s == '{') {
            if (++depth > deepest)
                deepest = depth;
        } else if (*s == ']' || *s == '}') {
            depth--;
        }
    }
    return deepest;
}

GF_PROPERTY(reader_accepts_valid_json)
{
    const char *text = gf_draw_named(tc, gf_json_text(MAX_DEPTH), "text");
    gf_note(tc, "nesting depth %zu", nesting(text));
    reader r = {text, 0};
    double sum = 0;
    bool ok = read_value(&r, &sum);
    skip_space(&r);
    GF_ASSERT(tc, ok && text[r.pos] == '\0');
}

typedef struct gadfly_args {
    int argc;
    char **argv;
    int status;
} gadfly_args;

static void *run_gadfly(void *arg)
{
    gadfly_args *a = arg;
    a->status = gf_main(a->argc, a->argv);
    return NULL;
}

int main(int argc, char **argv)
{
    gadfly_args a = {argc, argv, 3};
    pthread_attr_t attr;
    pthread_t thread;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, STACK_SIZE);
    pthread_attr_setguardsize(&attr, GUARD_SIZE);
    int err = pthread_create(&thread, &attr, run_gadfly, &a);
    pthread_attr_destroy(&attr);
    if (err != 0) {
        fprintf(stderr, "json_depth: cannot start a thread: %s\n",
                strerror(err));
        return 3;
    }
    pthread_join(thread, NULL);
    return a.status;
}
