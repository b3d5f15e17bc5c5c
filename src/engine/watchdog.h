/*
 * watchdog.h - per-case timeouts (watchdog.c).
 */
#ifndef GF_WATCHDOG_H
#define GF_WATCHDOG_H

#include <stdatomic.h>

#include "core/internal.h"

typedef struct watchdog watchdog;

/* Watch the calling thread's cases; NULL when timeout <= 0 (or no thread
 * could be started: then there are no timeouts).  wedged(ctx) is called,
 * from the watchdog's thread, when a case goes on running through several
 * timeouts: it must not allocate, and must end the process. */
GF_INTERNAL watchdog *watchdog_start(double timeout,
                                     void (*wedged)(void *ctx), void *ctx);
GF_INTERNAL void watchdog_stop(watchdog *w);
/* Around every case the watched thread runs. */
GF_INTERNAL void watchdog_enter(watchdog *w);
GF_INTERNAL void watchdog_leave(watchdog *w);

#endif /* GF_WATCHDOG_H */
