/*
 * wal.c - an append-only log that acknowledges records it did not keep.
 *
 * Each record goes to the log file with write(2); the log acknowledges the
 * append when the write "succeeded", and a reader recovers the records by
 * reading the file back.  Two versions get write(2) wrong:
 *
 *   - wal_append_naive takes any non-negative return as success.  A short
 *     write keeps only part of the record, which the reader cannot parse:
 *     an acknowledged record is lost.
 *     Minimal counterexample: records = 1, and one fault:
 *     posix/io/rw/write: short, 1 of 24 bytes (call 1).
 *   - wal_append_retry writes the rest after a short write (and again
 *     after EINTR or EAGAIN), but when a later write fails (ENOSPC) it
 *     reports the error and leaves the partial record in the file.  The
 *     next record is acknowledged, but the reader stops at the partial one
 *     before it: that acknowledged record is lost.
 *     Minimal counterexample: records = 2, and two faults: a short write
 *     (call 1), then ENOSPC (call 2).
 *
 * The fix (wal_append_fixed) also truncates the file back to where the
 * record began when it cannot write all of it: the third property passes.
 *
 * The program's write(2) calls fail as the case chooses through
 * gadfly/fault_wrap.h: the program is linked with GF_FAULT_WRAP_LDFLAGS,
 * and the log is a real file (memfd_create), so a short write writes
 * fewer bytes for real.
 *
 * Run: examples/wal [--seed N] [--filter 'wal_fixed*'] [--help]
 */
#include <gadfly.h>
#include <gadfly/fault.h>
#include <gadfly/fault_wrap.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_RECORDS 6
#define RECORD_BYTES 20 /* a 4-byte length, then the text */

typedef int (*append_fn)(int fd, const char *text);

static size_t encode(char *out, const char *text)
{
    size_t len = strlen(text);
    out[0] = (char)(len & 0xff);
    out[1] = (char)(len >> 8);
    out[2] = out[3] = 0;
    memcpy(out + 4, text, len);
    return len + 4;
}

/* The first bug: a short write is taken for a whole one. */
static int wal_append_naive(int fd, const char *text)
{
    char rec[64];
    size_t n = encode(rec, text);
    return write(fd, rec, n) < 0 ? -1 : 0;
}

/* Write all of rec, resuming after short writes, EINTR and EAGAIN. */
static int write_all(int fd, const char *rec, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, rec + done, n - done);
        if (w < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (w < 0)
            return -1;
        done += (size_t)w;
    }
    return 0;
}

/* The second bug: a failed write leaves part of the record behind. */
static int wal_append_retry(int fd, const char *text)
{
    char rec[64];
    size_t n = encode(rec, text);
    return write_all(fd, rec, n);
}

/* The fix: all of the record, or none of it. */
static int wal_append_fixed(int fd, const char *text)
{
    char rec[64];
    size_t n = encode(rec, text);
    off_t start = lseek(fd, 0, SEEK_END);
    if (start < 0)
        return -1;
    if (write_all(fd, rec, n) == 0)
        return 0;
    int saved = errno;
    if (ftruncate(fd, start) != 0 || lseek(fd, start, SEEK_SET) < 0)
        return -1;
    errno = saved;
    return -1;
}

/* Read back every whole record, up to the first that does not parse. */
static int recover(int fd, char texts[][32], int max)
{
    char buf[MAX_RECORDS * 64];
    ssize_t got = pread(fd, buf, sizeof buf, 0);
    if (got < 0)
        return 0;
    int count = 0;
    size_t at = 0;
    while (count < max && at + 4 <= (size_t)got) {
        size_t len = (unsigned char)buf[at] | (size_t)(unsigned char)buf[at + 1] << 8;
        if (len >= 32 || at + 4 + len > (size_t)got)
            break;
        memcpy(texts[count], buf + at + 4, len);
        texts[count][len] = '\0';
        count++;
        at += 4 + len;
    }
    return count;
}

static void check_log(gf_case *tc, append_fn append)
{
    int records = (int)*(int64_t *)gf_draw_named(
        tc, gf_int(1, MAX_RECORDS), "records");
    int fd = memfd_create("wal", 0);
    GF_ASSERT(tc, fd >= 0);
    gf_fault_enable(tc, "posix/io/rw/write", NULL);
    char acked[MAX_RECORDS][32];
    int nacked = 0;
    for (int i = 0; i < records; i++) {
        char text[32];
        snprintf(text, sizeof text, "record %02d of the log", i);
        if (append(fd, text) == 0)
            memcpy(acked[nacked++], text, sizeof text);
    }
    gf_fault_disable(tc, "*");
    char back[MAX_RECORDS][32];
    int nback = recover(fd, back, MAX_RECORDS);
    close(fd);
    /* Every acknowledged record is there, in order. */
    int j = 0;
    for (int i = 0; i < nback && j < nacked; i++)
        if (strcmp(back[i], acked[j]) == 0)
            j++;
    if (j < nacked)
        gf_note(tc, "acknowledged \"%s\", recovered %d of %d acknowledged "
                "records", acked[j], j, nacked);
    GF_ASSERT_EQ_INT(tc, j, nacked);
}

GF_PROPERTY(wal_naive_keeps_acknowledged)
{
    check_log(tc, wal_append_naive);
}

GF_PROPERTY(wal_retry_keeps_acknowledged)
{
    check_log(tc, wal_append_retry);
}

GF_PROPERTY(wal_fixed_keeps_acknowledged)
{
    check_log(tc, wal_append_fixed);
}

GF_MAIN()
