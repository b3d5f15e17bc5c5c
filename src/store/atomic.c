/*
 * atomic.c - files written whole or not at all (atomic.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "atomic.h"

#define ATTEMPTS 16

/* A name nobody can guess in advance: this process, a count, and noise
 * from the clock and the count. */
static char *temp_name(const char *path, const char *prefix)
{
    static atomic_uint_fast64_t count;
    uint64_t k = atomic_fetch_add(&count, 1) + 1;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t seed[3] = {k, (uint64_t)ts.tv_sec, (uint64_t)ts.tv_nsec};
    uint64_t noise = XXH3_64bits_withSeed(seed, sizeof seed,
                                          (uint64_t)getpid());
    if (prefix)
        return xasprintf("%s%ld-%" PRIu64 "-%016" PRIx64, prefix,
                         (long)getpid(), k, noise);
    return xasprintf("%s.tmp-%ld-%" PRIu64 "-%016" PRIx64, path,
                     (long)getpid(), k, noise);
}

int atomic_open(atomic_file *f, int dirfd, const char *path,
                const char *tmp_prefix)
{
    memset(f, 0, sizeof *f);
    f->fd = -1;
    f->dirfd = dirfd;
    for (int i = 0; i < ATTEMPTS; i++) {
        char *tmp = temp_name(path, tmp_prefix);
        int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                                        O_CLOEXEC, 0666);
        if (fd >= 0) {
            f->fd = fd;
            f->tmp = tmp;
            f->path = xstrdup(path);
            return 0;
        }
        int e = errno;
        free(tmp);
        errno = e;
        if (e != EEXIST && e != EINTR)
            return -1;
    }
    return -1;
}

bool atomic_write(atomic_file *f, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(f->fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return false;
        }
        c += w;
        n -= (size_t)w;
    }
    return true;
}

/* fsync, except where the file system cannot: there the rename still
 * protects against a killed process, which is what matters most. */
static bool sync_file(int fd)
{
    return fsync(fd) == 0 || errno == EINVAL || errno == ENOTSUP;
}

int atomic_commit(atomic_file *f, bool sync)
{
    bool ok = !sync || sync_file(f->fd);
    int e = errno;
    /* After EINTR the descriptor is closed all the same. */
    if (close(f->fd) != 0 && errno != EINTR && ok) {
        ok = false;
        e = errno;
    }
    f->fd = -1;
    if (ok && renameat(f->dirfd, f->tmp, f->dirfd, f->path) != 0) {
        ok = false;
        e = errno;
    }
    if (!ok)
        unlinkat(f->dirfd, f->tmp, 0);
    free(f->tmp);
    f->tmp = NULL;
    if (!ok) {
        errno = e;
        return -1;
    }
    if (sync && f->dirfd != AT_FDCWD)
        fsync(f->dirfd); /* best effort: some file systems refuse */
    return 0;
}

void atomic_abandon(atomic_file *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    if (f->tmp)
        unlinkat(f->dirfd, f->tmp, 0);
    free(f->tmp);
    f->tmp = NULL;
}

void atomic_release(atomic_file *f)
{
    atomic_abandon(f);
    free(f->path);
    f->path = NULL;
}
