/*
 * atomic.h - a file written whole or not at all (atomic.c): written under
 * a fresh temporary name beside it, then renamed over it, so a reader (or
 * a run killed halfway) sees the old file or the new one, never part.
 * The database's failures, the reports, the HTML page and exported corpora
 * are all written this way.
 */
#ifndef GF_ATOMIC_H
#define GF_ATOMIC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/internal.h"

typedef struct atomic_file {
    int fd;      /* write here */
    int dirfd;   /* AT_FDCWD, or the directory path and tmp are in */
    char *path;  /* the name it will have */
    char *tmp;   /* the name it has until then */
} atomic_file;

/* Start writing path (in dirfd: AT_FDCWD or a directory's descriptor)
 * through a fresh file beside it, named tmp_prefix (NULL: path ".tmp-")
 * followed by this process and a random part, created exclusively and
 * never through a link planted at that name.  0, or -1 with errno. */
GF_INTERNAL int atomic_open(atomic_file *f, int dirfd, const char *path,
                            const char *tmp_prefix);
/* Write all of p; false with errno when it could not. */
GF_INTERNAL bool atomic_write(atomic_file *f, const void *p, size_t n);
/* Finish: with sync, flush the file to disk first (where the file system
 * can), so that a crash of the machine cannot leave the name on blocks
 * never written; close it and rename it over path; with sync, the
 * directory's entry too (best effort).  0, or -1 with errno and the
 * temporary file removed.  Either way tmp is gone, path is kept. */
GF_INTERNAL int atomic_commit(atomic_file *f, bool sync);
/* Give up: close and remove the temporary file (if still there). */
GF_INTERNAL void atomic_abandon(atomic_file *f);
/* Abandon what is left, and free path. */
GF_INTERNAL void atomic_release(atomic_file *f);

#endif /* GF_ATOMIC_H */
