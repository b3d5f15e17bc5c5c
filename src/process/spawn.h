/*
 * spawn.h - helper programs and watcher processes (spawn.c).
 */
#ifndef GF_SPAWN_H
#define GF_SPAWN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/internal.h"

/* Run argv[0] (searched in PATH) with argv, its standard error discarded,
 * and read its standard output into buf (cap bytes, NUL-terminated, cut
 * short if longer).  False if it could not be run. */
GF_INTERNAL bool spawn_read(const char *const argv[], char *buf, size_t cap);

/* --no-fork: fork a process that watches this one and, should it end
 * inside a case, says so with the property and seed to rerun
 * (run_watched).  Nothing happens if it cannot be forked. */
GF_INTERNAL void spawn_exit_watcher(void);

/* A child that carries on from here (process_up.fork_child), and its end
 * (process_up.stop_child). */
GF_INTERNAL int spawn_child(int *fd);
GF_INTERNAL void spawn_stop(int pid, int fd);

#endif /* GF_SPAWN_H */
