/*
 * gadfly/fault_wrap.h - fault points in POSIX calls that the program makes,
 * unchanged, by wrapping them at link time.
 *
 * Include this header in exactly one source file of a statically linked
 * test program (it defines functions), and link the program with the
 * --wrap option of each call to intercept (GF_FAULT_WRAP_LDFLAGS below has
 * them all):
 *
 *     -Wl,--wrap=read -Wl,--wrap=write -Wl,--wrap=malloc ...
 *
 * The linker sends every call to NAME from the objects being linked to
 * __wrap_NAME, which asks the running case whether this call fails (a
 * choice, as gadfly/fault.h) and otherwise calls the real function.  A
 * property turns the calls on with gf_fault_enable, by the same names
 * libfiu uses (gadfly/fiu.h), so one property serves both routes:
 *
 *     gf_fault_enable(tc, "posix/io/rw/write", NULL);   // write(2)
 *     gf_fault_enable(tc, "posix/io/net/[sr]e*", NULL); // send, recv
 *     gf_fault_enable(tc, "libc/mm/malloc", NULL);      // malloc(3)
 *
 * Each call fails only with errno values it really returns (the list of
 * each is below, simplest first: tests/test_fault_wrap.c makes the real
 * call return every one of them), or transfers fewer bytes for real: a
 * short read reads fewer bytes, a short write writes fewer.  Outside a
 * case, at a point not enabled, and inside Gadfly's own allocator, the
 * wrapper is the real call.
 *
 * What --wrap cannot see: calls made inside shared libraries (libc's own
 * fopen calling open, a libcurl linked dynamically), calls through
 * another name (open64, __open_2 under _FORTIFY_SOURCE, fread), and
 * system calls made with syscall(2).  gadfly/fiu.h's preload sees more.
 */
#ifndef GADFLY_FAULT_WRAP_H
#define GADFLY_FAULT_WRAP_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <gadfly/fault.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GF_FAULT_WRAP_LDFLAGS                                                \
    "-Wl,--wrap=read -Wl,--wrap=write -Wl,--wrap=open "                      \
    "-Wl,--wrap=send -Wl,--wrap=recv -Wl,--wrap=malloc "                     \
    "-Wl,--wrap=calloc -Wl,--wrap=realloc"

ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __real_write(int fd, const void *buf, size_t n);
int __real_open(const char *path, int flags, ...);
ssize_t __real_send(int fd, const void *buf, size_t n, int flags);
ssize_t __real_recv(int fd, void *buf, size_t n, int flags);
void *__real_malloc(size_t n);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t n);

ssize_t __wrap_read(int fd, void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
int __wrap_open(const char *path, int flags, ...);
ssize_t __wrap_send(int fd, const void *buf, size_t n, int flags);
ssize_t __wrap_recv(int fd, void *buf, size_t n, int flags);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t n);

static inline int gf_fault_wrap_io_(const char *point, size_t *n,
                                    const int *errs, size_t nerrs)
{
    size_t part = *n;
    int e = gf_fault_call_at(NULL, point, errs, nerrs, *n, &part, NULL, 0);
    if (e < 0) {
        *n = part;
        return 0;
    }
    return e;
}

#define GF_FAULT_WRAP_ERRS_(...)                                             \
    GF_LIST_(int, __VA_ARGS__), GF_LIST_LEN_(int, __VA_ARGS__)

ssize_t __wrap_read(int fd, void *buf, size_t n)
{
    int e = gf_fault_wrap_io_("posix/io/rw/read", &n,
                              GF_FAULT_WRAP_ERRS_(GF_FAULT_READ_ERRORS));
    if (e) {
        errno = e;
        return -1;
    }
    return __real_read(fd, buf, n);
}

ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
    int e = gf_fault_wrap_io_("posix/io/rw/write", &n,
                              GF_FAULT_WRAP_ERRS_(GF_FAULT_WRITE_ERRORS));
    if (e) {
        errno = e;
        return -1;
    }
    return __real_write(fd, buf, n);
}

int __wrap_open(const char *path, int flags, ...)
{
    int mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, int);
        va_end(ap);
    }
    int e = gf_fault_call_at(NULL, "posix/io/oc/open",
                             GF_FAULT_WRAP_ERRS_(GF_FAULT_OPEN_ERRORS), 0,
                             NULL, NULL, 0);
    if (e) {
        errno = e;
        return -1;
    }
    return __real_open(path, flags, mode);
}

ssize_t __wrap_send(int fd, const void *buf, size_t n, int flags)
{
    int e = gf_fault_wrap_io_("posix/io/net/send", &n,
                              GF_FAULT_WRAP_ERRS_(GF_FAULT_SEND_ERRORS));
    if (e) {
        errno = e;
        return -1;
    }
    return __real_send(fd, buf, n, flags);
}

ssize_t __wrap_recv(int fd, void *buf, size_t n, int flags)
{
    int e = gf_fault_wrap_io_("posix/io/net/recv", &n,
                              GF_FAULT_WRAP_ERRS_(GF_FAULT_RECV_ERRORS));
    if (e) {
        errno = e;
        return -1;
    }
    return __real_recv(fd, buf, n, flags);
}

void *__wrap_malloc(size_t n)
{
    if (gf_fault_call_at(NULL, "libc/mm/malloc",
                         GF_FAULT_WRAP_ERRS_(GF_FAULT_ALLOC_ERRORS), 0, NULL,
                         NULL, 0)) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_malloc(n);
}

void *__wrap_calloc(size_t count, size_t size)
{
    if (gf_fault_call_at(NULL, "libc/mm/calloc",
                         GF_FAULT_WRAP_ERRS_(GF_FAULT_ALLOC_ERRORS), 0, NULL,
                         NULL, 0)) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_calloc(count, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    if (gf_fault_call_at(NULL, "libc/mm/realloc",
                         GF_FAULT_WRAP_ERRS_(GF_FAULT_ALLOC_ERRORS), 0, NULL,
                         NULL, 0)) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_realloc(p, n);
}

#ifdef __cplusplus
}
#endif

#endif /* GADFLY_FAULT_WRAP_H */
