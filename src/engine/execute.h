/*
 * execute.h - running a property on a case, with crashes caught
 * (execute.c).
 */
#ifndef GF_EXECUTE_H
#define GF_EXECUTE_H

#include <signal.h>

#include "core/internal.h"

/* Run fn on tc, catching assertions, assumptions and crashes. */
GF_INTERNAL void case_execute(gf_case *tc, gf_property_fn fn);
/* This thread runs part of tc for the property's thread: a crash here is
 * the case's (see execute.c). */
GF_INTERNAL void case_thread_helps(gf_case *tc);

/* The size of this thread's stack (0 if unknown). */
GF_INTERNAL size_t case_stack_size(void);
/* A new thread will run cases: altstack (size bytes) is its signal stack,
 * until case_thread_end puts back the one saved in *old. */
GF_INTERNAL void case_thread_begin(void *altstack, size_t size, stack_t *old);
GF_INTERNAL void case_thread_end(const stack_t *old);

/* Crash handlers around a run. */
typedef struct crash_guard crash_guard;
/* timeouts: also take SIGALRM, which the watchdog sends. */
GF_INTERNAL crash_guard *crash_guard_start(bool timeouts);
GF_INTERNAL void crash_guard_stop(crash_guard *g);

#endif /* GF_EXECUTE_H */
