/*
 * test_fault_wrap.c - the --wrap fault points (gadfly/fault_wrap.h): each
 * errno a wrapper injects is one its call really returns (the manuals say
 * so, and the real call, provoked, does), every errno and short transfer
 * of every wrapper fires, a short transfer is short for real, a point not
 * enabled is the real call, and a replay injects the same faults in the
 * same order.
 *
 * This program is linked with the -Wl,--wrap options of
 * GF_FAULT_WRAP_LDFLAGS, so every read, write, open, send, recv, malloc,
 * calloc and realloc below goes through a wrapper: outside a case that is
 * the real call, which is how the errors are provoked.
 */
#include "helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <gadfly/fault.h>
#include <gadfly/fault_wrap.h>

#ifdef __SANITIZE_ADDRESS__
/* A request no allocator can meet is answered NULL, as glibc does,
 * instead of ending the test. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}
#endif

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* ---- what the manuals allow --------------------------------------------- */

/* The errors each call may fail with: POSIX.1-2017's list for the function
 * and the Linux man-pages' (read(2), write(2), open(2), send(2), recv(2),
 * malloc(3)), merged. */
static const int read_may[] = {
    EAGAIN, EWOULDBLOCK, EBADF, EBADMSG, ECONNRESET, EFAULT, EINTR, EINVAL,
    EIO, EISDIR, ENOBUFS, ENOMEM, ENOTCONN, ENXIO, EOVERFLOW, ETIMEDOUT};
static const int write_may[] = {
    EACCES, EAGAIN, EWOULDBLOCK, EBADF, ECONNRESET, EDESTADDRREQ, EDQUOT,
    EFAULT, EFBIG, EINTR, EINVAL, EIO, ENETDOWN, ENETUNREACH, ENOBUFS,
    ENOSPC, ENXIO, EPERM, EPIPE, ERANGE};
static const int open_may[] = {
    EACCES, EBADF, EBUSY, EDQUOT, EEXIST, EFAULT, EFBIG, EINTR, EINVAL,
    EISDIR, ELOOP, EMFILE, ENAMETOOLONG, ENFILE, ENODEV, ENOENT, ENOMEM,
    ENOSPC, ENOTDIR, ENXIO, EOPNOTSUPP, EOVERFLOW, EPERM, EROFS, ETXTBSY,
    EWOULDBLOCK};
static const int send_may[] = {
    EACCES, EAGAIN, EWOULDBLOCK, EALREADY, EBADF, ECONNRESET, EDESTADDRREQ,
    EFAULT, EINTR, EINVAL, EIO, EISCONN, EMSGSIZE, ENETDOWN, ENETUNREACH,
    ENOBUFS, ENOMEM, ENOTCONN, ENOTSOCK, EOPNOTSUPP, EPIPE};
static const int recv_may[] = {
    EAGAIN, EWOULDBLOCK, EBADF, ECONNREFUSED, ECONNRESET, EFAULT, EINTR,
    EINVAL, EIO, ENOBUFS, ENOMEM, ENOTCONN, ENOTSOCK, EOPNOTSUPP, ETIMEDOUT};
static const int alloc_may[] = {ENOMEM};

static const int read_errs[] = {GF_FAULT_READ_ERRORS};
static const int write_errs[] = {GF_FAULT_WRITE_ERRORS};
static const int open_errs[] = {GF_FAULT_OPEN_ERRORS};
static const int send_errs[] = {GF_FAULT_SEND_ERRORS};
static const int recv_errs[] = {GF_FAULT_RECV_ERRORS};
static const int alloc_errs[] = {GF_FAULT_ALLOC_ERRORS};

/* One wrapped call: its point, the errors the wrapper injects, the errors
 * its manuals allow, and whether it transfers bytes (can be short). */
typedef struct wrapped {
    const char *call, *point;
    const int *errs;
    size_t nerrs;
    const int *may;
    size_t nmay;
    bool transfers;
} wrapped;

static const wrapped calls[] = {
    {"read", "posix/io/rw/read", read_errs, COUNT(read_errs), read_may,
     COUNT(read_may), true},
    {"write", "posix/io/rw/write", write_errs, COUNT(write_errs), write_may,
     COUNT(write_may), true},
    {"open", "posix/io/oc/open", open_errs, COUNT(open_errs), open_may,
     COUNT(open_may), false},
    {"send", "posix/io/net/send", send_errs, COUNT(send_errs), send_may,
     COUNT(send_may), true},
    {"recv", "posix/io/net/recv", recv_errs, COUNT(recv_errs), recv_may,
     COUNT(recv_may), true},
    {"malloc", "libc/mm/malloc", alloc_errs, COUNT(alloc_errs), alloc_may,
     COUNT(alloc_may), false},
    {"calloc", "libc/mm/calloc", alloc_errs, COUNT(alloc_errs), alloc_may,
     COUNT(alloc_may), false},
    {"realloc", "libc/mm/realloc", alloc_errs, COUNT(alloc_errs), alloc_may,
     COUNT(alloc_may), false},
};

static const char *name_of(int err)
{
    const char *n = gf_errno_name(err);
    return n ? n : "(unnamed)";
}

/* pread(2) and pwrite(2) may fail as read and write do, and as lseek(2):
 * libfiu's preload fails them (gadfly/fiu.h) with these lists. */
static const int pread_may[] = {
    EAGAIN, EWOULDBLOCK, EBADF, EFAULT, EINTR, EINVAL, EIO, EISDIR, ENXIO,
    EOVERFLOW, ESPIPE};
static const int pwrite_may[] = {
    EAGAIN, EWOULDBLOCK, EBADF, EDQUOT, EFAULT, EFBIG, EINTR, EINVAL, EIO,
    ENOSPC, ENXIO, EPERM, ESPIPE};
static const int pread_errs[] = {GF_FAULT_PREAD_ERRORS};
static const int pwrite_errs[] = {GF_FAULT_PWRITE_ERRORS};
static const wrapped preload_only[] = {
    {"pread", "posix/io/rw/pread", pread_errs, COUNT(pread_errs), pread_may,
     COUNT(pread_may), true},
    {"pwrite", "posix/io/rw/pwrite", pwrite_errs, COUNT(pwrite_errs),
     pwrite_may, COUNT(pwrite_may), true},
};

static void check_manual(const wrapped *w)
{
    cr_assert_gt(w->nerrs, 0, "%s injects no error", w->call);
    for (size_t e = 0; e < w->nerrs; e++) {
        bool listed = false;
        for (size_t m = 0; m < w->nmay; m++)
            listed = listed || w->may[m] == w->errs[e];
        cr_expect(listed, "%s injects %s, which its manual does not list",
                  w->call, name_of(w->errs[e]));
        cr_expect_not_null(gf_errno_name(w->errs[e]),
                           "%s: errno %d has no name for the report", w->call,
                           w->errs[e]);
    }
}

Test(fault_wrap, every_injected_errno_is_in_the_calls_manual)
{
    for (size_t i = 0; i < COUNT(calls); i++)
        check_manual(&calls[i]);
    for (size_t i = 0; i < COUNT(preload_only); i++)
        check_manual(&preload_only[i]);
}

/* ---- the real calls, made to fail --------------------------------------- */

static void on_alarm(int sig)
{
    (void)sig;
}

/* A SIGALRM in 20 ms that interrupts the blocking call (no SA_RESTART). */
static void interrupt_soon(void)
{
    struct sigaction sa = {.sa_handler = on_alarm};
    sigemptyset(&sa.sa_mask);
    cr_assert_eq(sigaction(SIGALRM, &sa, NULL), 0);
    struct itimerval t = {.it_value = {.tv_usec = 20000}};
    cr_assert_eq(setitimer(ITIMER_REAL, &t, NULL), 0);
}

static void set_nonblocking(int fd, bool on)
{
    int fl = fcntl(fd, F_GETFL);
    cr_assert_geq(fl, 0);
    cr_assert_eq(fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK),
                 0);
}

/* A pipe whose buffer is full (writing more would block). */
static void full_pipe(int p[2])
{
    cr_assert_eq(pipe(p), 0);
    set_nonblocking(p[1], true);
    char chunk[4096] = {0};
    while (write(p[1], chunk, sizeof chunk) > 0)
        ;
    cr_assert_eq(errno, EAGAIN);
    set_nonblocking(p[1], false);
}

/* A connected stream socket pair whose sending side is full. */
static void full_socketpair(int s[2])
{
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, s), 0);
    char chunk[4096] = {0};
    while (send(s[0], chunk, sizeof chunk, MSG_DONTWAIT) > 0)
        ;
    cr_assert_eq(errno, EAGAIN);
}

/* A TCP connection on the loopback whose peer has reset it: *client is
 * the end that received the reset. */
static void reset_connection(int *client)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(l, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    cr_assert_eq(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(listen(l, 1), 0);
    cr_assert_eq(getsockname(l, (struct sockaddr *)&a, &len), 0);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_eq(connect(c, (struct sockaddr *)&a, sizeof a), 0);
    int peer = accept(l, NULL, NULL);
    cr_assert_geq(peer, 0);
    struct linger abort_on_close = {.l_onoff = 1, .l_linger = 0};
    cr_assert_eq(setsockopt(peer, SOL_SOCKET, SO_LINGER, &abort_on_close,
                            sizeof abort_on_close),
                 0);
    close(peer); /* sends RST */
    close(l);
    struct pollfd pf = {.fd = c, .events = POLLIN};
    cr_assert_eq(poll(&pf, 1, 5000), 1);
    *client = c;
}

/* Each function makes its call fail with `want` for real and returns the
 * errno the call set (0 if it did not fail; -1: no way known to provoke
 * `want`, which fails the test). */
static int real_read(int want)
{
    char buf[16];
    int p[2] = {-1, -1}, got;
    switch (want) {
    case EINTR:
        cr_assert_eq(pipe(p), 0);
        interrupt_soon();
        break;
    case EAGAIN:
        cr_assert_eq(pipe(p), 0);
        set_nonblocking(p[0], true);
        break;
    case EIO: {
        /* A pseudo-terminal whose other side has gone. */
        p[0] = posix_openpt(O_RDWR | O_NOCTTY);
        cr_assert_geq(p[0], 0);
        cr_assert_eq(grantpt(p[0]), 0);
        cr_assert_eq(unlockpt(p[0]), 0);
        int slave = open(ptsname(p[0]), O_RDWR | O_NOCTTY);
        cr_assert_geq(slave, 0);
        close(slave);
        break;
    }
    case ECONNRESET:
        reset_connection(&p[0]);
        break;
    default:
        return -1;
    }
    got = read(p[0], buf, sizeof buf) < 0 ? errno : 0;
    close(p[0]);
    if (p[1] >= 0)
        close(p[1]);
    return got;
}

static int real_write(int want)
{
    char buf[8192] = {0};
    int fd = -1, other = -1, got;
    int p[2];
    struct rlimit saved;
    switch (want) {
    case EINTR:
        full_pipe(p);
        fd = p[1], other = p[0];
        interrupt_soon();
        break;
    case EAGAIN:
        full_pipe(p);
        fd = p[1], other = p[0];
        set_nonblocking(fd, true);
        break;
    case ENOSPC:
        fd = open("/dev/full", O_WRONLY);
        break;
    case EIO: {
        /* The terminal side of a pseudo-terminal whose master is closed. */
        int master = posix_openpt(O_RDWR | O_NOCTTY);
        cr_assert_geq(master, 0);
        cr_assert_eq(grantpt(master), 0);
        cr_assert_eq(unlockpt(master), 0);
        fd = open(ptsname(master), O_RDWR | O_NOCTTY);
        close(master);
        break;
    }
    case EFBIG: {
        /* A write past RLIMIT_FSIZE, with SIGXFSZ ignored. */
        char path[] = "/tmp/gadfly-efbig.XXXXXX";
        fd = mkstemp(path);
        cr_assert_geq(fd, 0);
        unlink(path);
        signal(SIGXFSZ, SIG_IGN);
        cr_assert_eq(getrlimit(RLIMIT_FSIZE, &saved), 0);
        struct rlimit small = {.rlim_cur = 4096, .rlim_max = saved.rlim_max};
        cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
        cr_assert_eq(lseek(fd, 4096, SEEK_SET), 4096);
        got = write(fd, buf, 1) < 0 ? errno : 0;
        setrlimit(RLIMIT_FSIZE, &saved);
        close(fd);
        return got;
    }
    case EPIPE:
        cr_assert_eq(pipe(p), 0);
        close(p[0]);
        signal(SIGPIPE, SIG_IGN);
        fd = p[1];
        break;
    default:
        return -1;
    }
    cr_assert_geq(fd, 0);
    got = write(fd, buf, sizeof buf) < 0 ? errno : 0;
    close(fd);
    if (other >= 0)
        close(other);
    return got;
}

static int real_open(int want)
{
    int fd, got = 0;
    switch (want) {
    case EINTR: {
        /* Opening a FIFO for reading waits for a writer. */
        char dir[] = "/tmp/gadfly-fifo.XXXXXX", path[64];
        cr_assert_not_null(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/fifo", dir);
        cr_assert_eq(mkfifo(path, 0600), 0);
        interrupt_soon();
        fd = open(path, O_RDONLY);
        got = fd < 0 ? errno : 0;
        unlink(path);
        rmdir(dir);
        break;
    }
    case ENOENT:
        fd = open("/nonexistent-gadfly-dir/file", O_RDONLY);
        got = fd < 0 ? errno : 0;
        break;
    case EMFILE: {
        struct rlimit saved;
        cr_assert_eq(getrlimit(RLIMIT_NOFILE, &saved), 0);
        int lowest = open("/dev/null", O_RDONLY);
        cr_assert_geq(lowest, 0);
        close(lowest);
        /* Every descriptor below the lowest free one is taken. */
        struct rlimit none = {.rlim_cur = (rlim_t)lowest,
                              .rlim_max = saved.rlim_max};
        cr_assert_eq(setrlimit(RLIMIT_NOFILE, &none), 0);
        fd = open("/dev/null", O_RDONLY);
        got = fd < 0 ? errno : 0;
        setrlimit(RLIMIT_NOFILE, &saved);
        break;
    }
    default:
        return -1;
    }
    if (fd >= 0)
        close(fd);
    return got;
}

static int real_send(int want)
{
    char buf[8192] = {0};
    int s[2] = {-1, -1}, flags = MSG_NOSIGNAL, got;
    switch (want) {
    case EINTR:
        full_socketpair(s);
        interrupt_soon();
        break;
    case EAGAIN:
        full_socketpair(s);
        flags |= MSG_DONTWAIT;
        break;
    case ECONNRESET:
        reset_connection(&s[0]);
        break;
    case EPIPE:
        cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, s), 0);
        close(s[1]);
        s[1] = -1;
        break;
    default:
        return -1;
    }
    got = send(s[0], buf, sizeof buf, flags) < 0 ? errno : 0;
    close(s[0]);
    if (s[1] >= 0)
        close(s[1]);
    return got;
}

static int real_recv(int want)
{
    char buf[16];
    int s[2] = {-1, -1}, flags = 0, got;
    switch (want) {
    case EINTR:
        cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, s), 0);
        interrupt_soon();
        break;
    case EAGAIN:
        cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, s), 0);
        flags = MSG_DONTWAIT;
        break;
    case ECONNRESET:
        reset_connection(&s[0]);
        break;
    default:
        return -1;
    }
    got = recv(s[0], buf, sizeof buf, flags) < 0 ? errno : 0;
    close(s[0]);
    if (s[1] >= 0)
        close(s[1]);
    return got;
}

/* More than any address space holds; volatile, so the compiler does not
 * see the size. */
static volatile size_t too_much = SIZE_MAX / 2;

static int real_malloc(int want)
{
    if (want != ENOMEM)
        return -1;
    errno = 0;
    void *p = malloc(too_much);
    int got = p ? 0 : errno;
    free(p);
    return got;
}

static int real_calloc(int want)
{
    if (want != ENOMEM)
        return -1;
    errno = 0;
    void *p = calloc(too_much, 1);
    int got = p ? 0 : errno;
    free(p);
    return got;
}

static int real_realloc(int want)
{
    if (want != ENOMEM)
        return -1;
    void *p = malloc(16);
    cr_assert_not_null(p);
    errno = 0;
    void *q = realloc(p, too_much);
    int got = q ? 0 : errno;
    free(q ? q : p);
    return got;
}

static int (*const provoke[])(int) = {real_read,   real_write,  real_open,
                                      real_send,   real_recv,   real_malloc,
                                      real_calloc, real_realloc};

Test(fault_wrap, the_real_call_returns_every_errno_its_wrapper_injects)
{
    cr_assert_eq(COUNT(provoke), COUNT(calls));
    for (size_t i = 0; i < COUNT(calls); i++)
        for (size_t e = 0; e < calls[i].nerrs; e++) {
            int want = calls[i].errs[e];
            int got = provoke[i](want);
            cr_expect_neq(got, -1, "no way to make the real %s fail with %s",
                          calls[i].call, name_of(want));
            if (got != -1)
                cr_expect_eq(got, want, "the real %s failed with %s, not %s",
                             calls[i].call, got ? name_of(got) : "nothing",
                             name_of(want));
        }
}

/* ---- what the wrappers inject -------------------------------------------- */

#define MAX_ERRS 8

/* What a wrapped call did in a case: -1 and errno, or what it returned
 * (bytes, or 1 for a pointer, 0 for NULL). */
static bool seen_err[COUNT(calls)][MAX_ERRS];
static bool seen_short[COUNT(calls)];
static bool bad_result;

static void record(size_t call, ssize_t ret, int err, size_t asked)
{
    const wrapped *w = &calls[call];
    if (ret < 0) {
        size_t e = 0;
        while (e < w->nerrs && w->errs[e] != err)
            e++;
        if (e == w->nerrs)
            bad_result = true;
        else
            seen_err[call][e] = true;
    } else if (w->transfers && (size_t)ret < asked) {
        seen_short[call] = true;
        bad_result = bad_result || ret == 0;
    }
}

/* One call of each wrapper, each on a descriptor that would succeed. */
static void each_wrapper(gf_case *tc)
{
    int p[2], s[2];
    GF_ASSERT(tc, pipe(p) == 0);
    GF_ASSERT(tc, socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0);
    GF_ASSERT(tc, write(p[1], "0123456789", 10) == 10);
    GF_ASSERT(tc, send(s[1], "0123456789", 10, 0) == 10);
    gf_fault_enable(tc, "posix/*", &(gf_fault_options){.rate = 0.5});
    gf_fault_enable(tc, "libc/mm/*", &(gf_fault_options){.rate = 0.5});
    char buf[16];
    errno = 0;
    ssize_t r = read(p[0], buf, 10);
    record(0, r, errno, 10);
    errno = 0;
    r = write(p[1], "abcdefgh", 8);
    record(1, r, errno, 8);
    errno = 0;
    int fd = open("/dev/null", O_RDONLY);
    record(2, fd < 0 ? -1 : 0, errno, 0);
    errno = 0;
    r = send(s[0], "abcdefgh", 8, MSG_NOSIGNAL);
    record(3, r, errno, 8);
    errno = 0;
    r = recv(s[0], buf, 10, 0);
    record(4, r, errno, 10);
    errno = 0;
    void *m = malloc(32);
    record(5, m ? 1 : -1, errno, 0);
    errno = 0;
    void *c = calloc(4, 8);
    record(6, c ? 1 : -1, errno, 0);
    void *grown = malloc(8);
    errno = 0;
    void *g = grown ? realloc(grown, 64) : NULL;
    if (grown)
        record(7, g ? 1 : -1, errno, 0);
    gf_fault_disable(tc, "*");
    free(m);
    free(c);
    free(g ? g : grown);
    if (fd >= 0)
        close(fd);
    close(p[0]), close(p[1]), close(s[0]), close(s[1]);
}

Test(fault_wrap, every_wrapper_injects_each_of_its_faults)
{
    memset(seen_err, 0, sizeof seen_err);
    memset(seen_short, 0, sizeof seen_short);
    bad_result = false;
    RUN_PASSING(each_wrapper, 3, 400);
    cr_assert(!bad_result, "a wrapper failed with an errno not in its list, "
                           "or transferred nothing");
    for (size_t i = 0; i < COUNT(calls); i++) {
        for (size_t e = 0; e < calls[i].nerrs; e++)
            cr_expect(seen_err[i][e], "%s never failed with %s",
                      calls[i].call, name_of(calls[i].errs[e]));
        if (calls[i].transfers)
            cr_expect(seen_short[i], "%s was never short", calls[i].call);
    }
}

/* A short read reads fewer bytes for real: the rest stays in the pipe;
 * a short write writes fewer: only they reach the reader. */
static void short_for_real(gf_case *tc)
{
    int p[2];
    GF_ASSERT(tc, pipe(p) == 0);
    GF_ASSERT(tc, write(p[1], "0123456789", 10) == 10);
    gf_fault_enable(tc, "posix/io/rw/*", &(gf_fault_options){.rate = 0.5});
    char buf[16];
    ssize_t got = read(p[0], buf, 10);
    int read_err = errno;
    ssize_t put = write(p[1], "abcdef", 6);
    int write_err = errno;
    gf_fault_disable(tc, "*");
    close(p[1]);
    char rest[32];
    ssize_t left = read(p[0], rest, sizeof rest);
    close(p[0]);
    GF_ASSERT(tc, got > 0 || read_err != 0);
    size_t took = got > 0 ? (size_t)got : 0;
    size_t wrote = put > 0 ? (size_t)put : 0;
    GF_ASSERT(tc, put > 0 || write_err != 0);
    /* What the read left, then what the write put: nothing lost, nothing
     * more. */
    GF_ASSERT_EQ_INT(tc, left, (int64_t)(10 - took + wrote));
    static const char digits[] = "0123456789";
    GF_ASSERT(tc, memcmp(buf, digits, took) == 0);
    GF_ASSERT(tc, memcmp(rest, &digits[took], 10 - took) == 0);
    GF_ASSERT(tc, memcmp(rest + 10 - took, "abcdef", wrote) == 0);
}

Test(fault_wrap, a_short_transfer_is_short_for_real)
{
    RUN_PASSING(short_for_real, 4, 300);
}

/* With no point enabled, or others only, each wrapper is the real call. */
static void not_enabled(gf_case *tc)
{
    gf_fault_enable(tc, "db.*", &(gf_fault_options){.rate = 1});
    gf_fault_enable(tc, "posix/io/rw/pread", &(gf_fault_options){.rate = 1});
    int p[2], s[2];
    char buf[16];
    GF_ASSERT(tc, pipe(p) == 0);
    GF_ASSERT(tc, socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0);
    for (int i = 0; i < 20; i++) {
        GF_ASSERT(tc, write(p[1], "0123456789", 10) == 10);
        GF_ASSERT(tc, read(p[0], buf, 10) == 10);
        GF_ASSERT(tc, send(s[0], "abcd", 4, 0) == 4);
        GF_ASSERT(tc, recv(s[1], buf, 4, 0) == 4);
        int fd = open("/dev/null", O_RDONLY);
        GF_ASSERT(tc, fd >= 0);
        close(fd);
        void *m = malloc(8), *c = calloc(2, 8);
        GF_ASSERT(tc, m && c);
        void *g = realloc(m, 64);
        GF_ASSERT(tc, g != NULL);
        free(g);
        free(c);
    }
    GF_ASSERT_EQ_INT(tc, gf_fault_count(tc, NULL), 0);
    gf_fault_disable(tc, "*");
    close(p[0]), close(p[1]), close(s[0]), close(s[1]);
}

Test(fault_wrap, a_point_not_enabled_is_the_real_call)
{
    RUN_PASSING(not_enabled, 5, 100);
}

/* ---- replay --------------------------------------------------------------- */

#define LOG_MAX 64

/* Every wrapped call of the last case: which, what it returned, what it
 * should have, and errno. */
typedef struct logged {
    int call;
    long ret, want;
    int err;
} logged;

static logged io_log[LOG_MAX];
static size_t io_logged;

static bool log_call(int call, long ret, long want)
{
    if (io_logged < LOG_MAX)
        io_log[io_logged++] = (logged){call, ret, want, ret < 0 ? errno : 0};
    return ret != want;
}

/* Fails once three calls have failed, across read, write and malloc. */
static void three_failures(gf_case *tc)
{
    io_logged = 0;
    int p[2];
    GF_ASSERT(tc, pipe(p) == 0);
    gf_fault_enable(tc, "posix/io/rw/*", &(gf_fault_options){.rate = 0.2});
    gf_fault_enable(tc, "libc/mm/malloc", &(gf_fault_options){.rate = 0.2});
    int failed = 0;
    char buf[8];
    for (int i = 0; i < 12; i++) {
        errno = 0;
        ssize_t w = write(p[1], "abcd", 4);
        failed += log_call(0, (long)w, 4);
        if (w > 0) {
            errno = 0;
            ssize_t r = read(p[0], buf, (size_t)w);
            failed += log_call(1, (long)r, (long)w);
        }
        errno = 0;
        void *m = malloc(16);
        failed += log_call(2, m ? 1 : -1, 1);
        free(m);
    }
    gf_fault_disable(tc, "*");
    close(p[0]);
    close(p[1]);
    GF_ASSERT(tc, failed < 3);
}

Test(fault_wrap, a_replay_makes_the_same_calls_fail_the_same_way)
{
    gf_property prop = {.name = "three_failures", .fn = three_failures};
    gf_options o = {.seed = 9, .seed_set = true, .trials = 1000,
                    .quiet = true};
    gf_result a, b;
    cr_assert_eq(gf_run(&prop, &o, &a), GF_FAILED);
    logged first[LOG_MAX];
    size_t nfirst = io_logged;
    memcpy(first, io_log, sizeof first);
    size_t failures = 0;
    for (size_t i = 0; i < nfirst; i++)
        failures += first[i].ret != first[i].want;
    cr_assert_eq(failures, 3, "the shrunk case failed %zu calls", failures);
    o.replay = a.replay;
    cr_assert_eq(gf_run(&prop, &o, &b), GF_FAILED);
    cr_assert_eq(io_logged, nfirst);
    for (size_t i = 0; i < nfirst; i++) {
        cr_expect_eq(io_log[i].call, first[i].call, "call %zu", i);
        cr_expect_eq(io_log[i].ret, first[i].ret, "call %zu", i);
        cr_expect_eq(io_log[i].err, first[i].err, "call %zu", i);
    }
    cr_assert_str_eq(a.counterexample ? a.counterexample : "",
                     b.counterexample ? b.counterexample : "");
    gf_result_free(&a);
    gf_result_free(&b);
}
