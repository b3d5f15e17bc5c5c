/*
 * describe.c - the origin and message of a case's death: by a signal, or
 * by an exit status no handler saw.  Allocation-free: called from signal
 * handlers, and in a parent about a dead child.
 */
#include <signal.h>
#include <string.h>

#include "describe.h"

/* Text built in a fixed array, allocation-free (signal handlers). */
typedef struct textbuf {
    char *p;
    size_t cap, n;
} textbuf;

static textbuf text_at(char *p, size_t cap)
{
    p[0] = '\0';
    return (textbuf){.p = p, .cap = cap, .n = 0};
}

static void put(textbuf *t, const char *s)
{
    while (*s && t->n + 1 < t->cap)
        t->p[t->n++] = *s++;
    t->p[t->n] = '\0';
}

static void put_number(textbuf *t, long v)
{
    char digits[24];
    size_t k = sizeof digits;
    digits[--k] = '\0';
    unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
    do {
        digits[--k] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        digits[--k] = '-';
    put(t, digits + k);
}

static void put_signal(textbuf *t, int sig)
{
    const char *name = sigabbrev_np(sig);
    if (name) {
        put(t, "SIG");
        put(t, name);
    } else {
        put(t, "signal ");
        put_number(t, sig);
    }
}

void describe_signal(int sig, char *origin, size_t ocap, char *message,
                     size_t mcap)
{
    textbuf o = text_at(origin, ocap), m = text_at(message, mcap);
    switch (sig) {
    case SIGSEGV: case SIGBUS: case SIGFPE: case SIGILL: case SIGABRT:
    case SIGTRAP: case SIGSYS:
        put(&o, "crash (");
        put_signal(&o, sig);
        put(&o, ")");
        /* The origin names the signal; the message says what it means. */
        put(&m, sig == SIGSEGV ? "invalid memory access (a bad pointer, a "
                                 "use after free, or the stack overflowed)"
                : sig == SIGBUS ? "bus error (a misaligned access, or a "
                                  "mapped file that was cut short)"
                : sig == SIGFPE ? "arithmetic trap (an integer division by "
                                  "zero, or INT_MIN / -1)"
                : sig == SIGILL ? "illegal instruction (__builtin_trap(), "
                                  "or a sanitizer's trap)"
                : sig == SIGABRT ? "abort() was called (a failed assert(), "
                                   "or the allocator found a damaged heap)"
                : sig == SIGTRAP ? "trace trap (a breakpoint instruction)"
                                 : "bad system call");
        return;
    default:
        put(&o, "killed (");
        put_signal(&o, sig);
        put(&o, ")");
        put(&m, "the process running the case was killed by ");
        put_signal(&m, sig);
        if (sig == SIGKILL)
            put(&m, " (out of memory, or killed from outside?)");
        return;
    }
}

void describe_exit(int status, char *origin, size_t ocap, char *message,
                   size_t mcap)
{
    textbuf o = text_at(origin, ocap), m = text_at(message, mcap);
    put(&o, "exit(");
    put_number(&o, status);
    put(&o, ")");
    put(&m, "the property ended its process with status ");
    put_number(&m, status);
    put(&m, " (_exit() or quick_exit())");
}
