/*
 * db.c - the failure database (db.h, docs/database.md).
 *
 * One file per saved failure, DIR/<XXH3 of property>/<XXH3 of encoding>,
 * each holding:
 *
 *   "gadfly-failure 1\n"      magic word and format version
 *   name "\n"                 the property's name, '\\' and '\n' escaped
 *   length "\n"               the encoding's length in decimal
 *   bytes                     the encoding (encode.h)
 *   4 bytes                   XXH32 (seed 0) of all of the above, little-endian
 *
 * The length and the file's size must agree exactly, so a truncated or
 * extended file is always caught; the checksum catches edits; the magic
 * word, the name and the file's own name catch files that are not this
 * property's failure.  A file is only ever created under a temp name and
 * renamed into place, so a reader never sees one half written.
 *
 * This module must never delete a file it cannot read (it may belong to
 * another version of Gadfly or to a person) and never end the run: every
 * error becomes one line on the caller's stream.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "atomic.h"
#include "core/dedup.h"
#include "db.h"

#define MAGIC_WORD "gadfly-failure "
#define FORMAT_VERSION "1" /* with ENCODING_VERSION (encode.h) */
#define TEMP_PREFIX ".tmp-"
/* Larger files are refused both ways, so reading a stray huge file cannot
 * exhaust memory. */
#define MAX_FILE_SIZE ((size_t)64 << 20)
/* A save's temp file lives for a write and an fsync; one this old belongs
 * to a process that died, and removing a younger one could race a live
 * save into failing its rename. */
#define TEMP_MAX_AGE 60
#define SHOWN_NAME_MAX 60

struct gf_db {
    char *dir;          /* absolute, no trailing slash */
    size_t max_choices; /* a file with more choices is skipped */
    uint64_t *swept;    /* property hashes whose stale temp files are gone */
    size_t nswept;
};

/* ---- names and paths ---------------------------------------------------- */

static uint64_t property_hash(const char *property)
{
    return XXH3_64bits(property, strlen(property));
}

static char *property_dir(const gf_db *db, const char *property)
{
    return xasprintf("%s/%016" PRIx64, db->dir, property_hash(property));
}

static char *failure_path(const char *pdir, const uint8_t *enc, size_t n)
{
    return xasprintf("%s/%016" PRIx64, pdir, XXH3_64bits(enc, n));
}

/* The file's name within its property's directory. */
static void failure_name(char out[17], const uint8_t *enc, size_t n)
{
    snprintf(out, 17, "%016" PRIx64, XXH3_64bits(enc, n));
}

/* The name line without its newline: names may hold any character, and
 * escaping the two that matter keeps the header one line per field. */
static void put_escaped_name(bytes_vec *out, const char *name)
{
    for (const char *s = name; *s; s++) {
        bv_reserve(out, 2);
        if (*s == '\\' || *s == '\n') {
            out->p[out->n++] = '\\';
            out->p[out->n++] = *s == '\n' ? 'n' : '\\';
        } else {
            out->p[out->n++] = (uint8_t)*s;
        }
    }
}

static void put_text(bytes_vec *out, const char *s)
{
    size_t len = strlen(s);
    bv_reserve(out, len);
    memcpy(out->p + out->n, s, len);
    out->n += len;
}

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* The whole file for one failure, as described at the top. */
static void build_file(bytes_vec *out, const char *property,
                       const uint8_t *enc, size_t n)
{
    char len[24];
    snprintf(len, sizeof len, "%zu\n", n);
    put_text(out, MAGIC_WORD FORMAT_VERSION "\n");
    put_escaped_name(out, property);
    put_text(out, "\n");
    put_text(out, len);
    bv_reserve(out, n + 4);
    if (n)
        memcpy(out->p + out->n, enc, n);
    out->n += n;
    uint32_t sum = XXH32(out->p, out->n, 0);
    for (int i = 0; i < 4; i++)
        out->p[out->n++] = (uint8_t)(sum >> (8 * i));
}

static GF_PRINTF(2, 3) void report(FILE *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("gadfly: ", err);
    vfprintf(err, fmt, ap);
    fputc('\n', err);
    va_end(ap);
    fflush(err);
}

/* ---- open, close ------------------------------------------------------- */

char *db_resolve(const char *dir)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    if (len == 0)
        dir = ".", len = 1;
    if (dir[0] == '/')
        return xasprintf("%.*s", (int)len, dir);
    /* Relative to where the run started: a property that changes the
     * working directory must not move the database. */
    char *cwd = getcwd(NULL, 0);
    if (!cwd)
        return xasprintf("%.*s", (int)len, dir);
    char *abs = len == 1 && dir[0] == '.'
                    ? xstrdup(cwd)
                    : xasprintf("%s%s%.*s", cwd, strcmp(cwd, "/") ? "/" : "",
                                (int)len, dir);
    free(cwd);
    return abs;
}

void db_set_choice_limit(gf_db *db, size_t max_choices)
{
    if (db && max_choices)
        db->max_choices = max_choices;
}

gf_db *db_open(const char *dir)
{
    gf_db *db = calloc(1, sizeof *db);
    if (!db)
        return NULL;
    db->dir = db_resolve(dir);
    db->max_choices = DB_CHOICE_LIMIT;
    return db;
}

void db_close(gf_db *db)
{
    if (!db)
        return;
    free(db->dir);
    free(db->swept);
    free(db);
}

/* The property's directory, opened without following a link at its
 * name (the database's own directory is the user's to name, a link or
 * not).  With create, made first if missing (and the database directory
 * with it).  A descriptor, or -1 with errno (ELOOP: a link). */
static int open_property_dir(const gf_db *db, const char *property,
                             bool create)
{
    char name[17];
    snprintf(name, sizeof name, "%016" PRIx64, property_hash(property));
    int root = open(db->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        return -1;
    int fd = openat(root, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                                    O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create &&
        (mkdirat(root, name, 0777) == 0 || errno == EEXIST))
        fd = openat(root, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                                    O_CLOEXEC);
    /* ELOOP stands for both: the name is a link, or not a directory. */
    int e = fd < 0 && errno == ENOTDIR ? ELOOP : errno;
    close(root);
    errno = e;
    return fd;
}

/* ---- load -------------------------------------------------------------- */

/* A name from a foreign file, fit for one line on a terminal. */
static char *shown_name(const uint8_t *p, size_t n)
{
    size_t shown = n > SHOWN_NAME_MAX ? SHOWN_NAME_MAX : n;
    char *s = xmalloc(shown + 4);
    for (size_t i = 0; i < shown; i++)
        s[i] = p[i] >= 0x20 && p[i] < 0x7F ? (char)p[i] : '?';
    strcpy(s + shown, n > shown ? "..." : "");
    return s;
}

/* The end of the line starting at *pos, or NULL if the file ends first. */
static const uint8_t *line_end(const uint8_t *p, size_t size, size_t pos)
{
    return pos <= size ? memchr(p + pos, '\n', size - pos) : NULL;
}

static bool all_digits(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return n > 0;
}

/* The magic word and version: NULL if they are ours, else why not. */
static char *check_magic(const uint8_t *p, size_t size, size_t *pos)
{
    size_t mlen = strlen(MAGIC_WORD);
    if (size < mlen)
        return xstrdup(memcmp(p, MAGIC_WORD, size) == 0
                           ? "it is truncated"
                           : "it is not a Gadfly failure file");
    if (memcmp(p, MAGIC_WORD, mlen) != 0)
        return xstrdup("it is not a Gadfly failure file");
    const uint8_t *nl = line_end(p, size, mlen);
    if (!nl)
        return xstrdup("it is truncated");
    size_t vlen = (size_t)(nl - p) - mlen;
    if (!all_digits(p + mlen, vlen) || vlen > 9)
        return xstrdup("it is not a Gadfly failure file (bad version line)");
    if (vlen != strlen(FORMAT_VERSION) ||
        memcmp(p + mlen, FORMAT_VERSION, vlen) != 0)
        return xasprintf("it was written by another version of Gadfly (file "
                         "format %.*s; this one reads format %s)",
                         (int)vlen, (const char *)p + mlen, FORMAT_VERSION);
    *pos = (size_t)(nl - p) + 1;
    return NULL;
}

/* The length line at *pos: NULL and the length, else why not. */
static char *parse_length(const uint8_t *p, size_t size, size_t *pos,
                          size_t *len)
{
    const uint8_t *nl = line_end(p, size, *pos);
    if (!nl)
        return xstrdup("it is truncated");
    size_t dlen = (size_t)(nl - p) - *pos;
    const uint8_t *d = p + *pos;
    /* One spelling per length (no leading zeros), and short enough that
     * it cannot overflow. */
    if (!all_digits(d, dlen) || dlen > 12 || (dlen > 1 && d[0] == '0'))
        return xstrdup("its header is damaged (bad length line)");
    size_t v = 0;
    for (size_t i = 0; i < dlen; i++)
        v = v * 10 + (size_t)(d[i] - '0');
    *len = v;
    *pos = (size_t)(nl - p) + 1;
    return NULL;
}

/*
 * Check one file's bytes against what `expected_name` (the escaped name
 * line) and `file_name` require.  NULL and the encoding in *enc if it is a
 * good failure of this property, else why not (malloc'd).
 */
static char *parse_failure(const uint8_t *p, size_t size,
                           const bytes_vec *expected_name,
                           const char *file_name, size_t max_choices,
                           bytes_vec *enc)
{
    if (size == 0)
        return xstrdup("it is empty");
    size_t pos = 0;
    char *why = check_magic(p, size, &pos);
    if (why)
        return why;
    const uint8_t *nl = line_end(p, size, pos);
    if (!nl)
        return xstrdup("it is truncated");
    const uint8_t *name = p + pos;
    size_t name_len = (size_t)(nl - name);
    pos += name_len + 1;
    size_t len = 0;
    if ((why = parse_length(p, size, &pos, &len)))
        return why;
    if (size - pos < 4 || size - pos - 4 < len)
        return xstrdup("it is truncated (or its length line was changed)");
    if (size - pos - 4 > len)
        return xstrdup("it has extra bytes at its end (or its length line "
                       "was changed)");
    if (XXH32(p, size - 4, 0) != get_le32(p + size - 4))
        return xstrdup("its checksum does not match (the file was damaged "
                       "or edited)");
    /* Only now is the name known to be what was written, not noise. */
    if (name_len != expected_name->n ||
        (name_len && memcmp(name, expected_name->p, name_len) != 0)) {
        char *shown = shown_name(name, name_len);
        why = xasprintf("it is a failure of another property, \"%s\" (copied "
                        "here by hand?)", shown);
        free(shown);
        return why;
    }
    const uint8_t *data = p + pos;
    char want[17];
    snprintf(want, sizeof want, "%016" PRIx64, XXH3_64bits(data, len));
    if (file_name && strcmp(file_name, want) != 0)
        return xstrdup("its name does not match its contents (renamed by "
                       "hand?)");
    /* Decoded with the run's limit: a valid file of many tiny choices
     * would otherwise cost far more memory than its size. */
    buffer check;
    buffer_init(&check);
    bool decodes = buffer_decode(data, len, max_choices, &check);
    bool too_many = !decodes && check.n >= max_choices;
    buffer_free(&check);
    if (too_many)
        return xasprintf("its case makes more than %zu choices, more than a "
                         "case may make (--max-choices)", max_choices);
    if (!decodes)
        return xstrdup("its case data is malformed");
    bv_reserve(enc, len);
    if (len)
        memcpy(enc->p, data, len);
    enc->n = len;
    return NULL;
}

char *db_check_file(const uint8_t *p, size_t size, const char *property,
                    const char *file_name, size_t max_choices, bytes_vec *enc)
{
    bytes_vec expected = {0};
    put_escaped_name(&expected, property);
    char *why = parse_failure(p, size, &expected, file_name, max_choices, enc);
    bv_free(&expected);
    return why;
}

void db_file_bytes(bytes_vec *out, const char *property, const uint8_t *enc,
                   size_t n)
{
    build_file(out, property, enc, n);
}

/* Read all of an open file; NULL and *data, *size, else why not. */
static char *read_file(int fd, uint8_t **data, size_t *size)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return xasprintf("cannot read it (%s)", strerror(errno));
    if (!S_ISREG(st.st_mode))
        return xstrdup("it is not a regular file");
    if ((uintmax_t)st.st_size > MAX_FILE_SIZE)
        return xstrdup("it is too large to be a Gadfly failure file");
    size_t want = (size_t)st.st_size, got = 0;
    uint8_t *buf = xmalloc(want);
    while (got < want) {
        ssize_t r = read(fd, buf + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            return xasprintf("cannot read it (%s)", strerror(e));
        }
        if (r == 0)
            break; /* shrank since fstat: what is there is checked */
        got += (size_t)r;
    }
    *data = buf;
    *size = got;
    return NULL;
}

static char *load_file(int dir_fd, const char *file_name,
                       const bytes_vec *expected_name, size_t max_choices,
                       bytes_vec *enc)
{
    /* O_NONBLOCK: a FIFO planted here must not hang the run; O_NOFOLLOW:
     * a link must not make it read a file outside. */
    int fd = openat(dir_fd, file_name,
                    O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ELOOP)
        return xstrdup("it is a symbolic link (not followed)");
    if (fd < 0)
        return xasprintf("cannot open it (%s)", strerror(errno));
    uint8_t *data = NULL;
    size_t size = 0;
    char *why = read_file(fd, &data, &size);
    close(fd);
    if (!why)
        why = parse_failure(data, size, expected_name, file_name,
                            max_choices, enc);
    free(data);
    return why;
}

static int compare_encodings(const void *a, const void *b)
{
    const bytes_vec *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    return x->n ? memcmp(x->p, y->p, x->n) : 0;
}

typedef struct loaded {
    bytes_vec *v;
    size_t n, cap;
} loaded;

static void loaded_push(loaded *l, bytes_vec enc)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = enc;
}

size_t db_load(gf_db *db, const char *property, bytes_vec **encs, FILE *err)
{
    *encs = NULL;
    char *pdir = property_dir(db, property);
    int pfd = open_property_dir(db, property, false);
    DIR *d = pfd >= 0 ? fdopendir(pfd) : NULL;
    if (!d) {
        if (errno == ELOOP)
            report(err, "the failure database directory %s is a symbolic "
                        "link or not a directory; not followed, no saved "
                        "failures replayed", pdir);
        else if (errno != ENOENT)
            report(err, "cannot read the failure database directory %s (%s); "
                        "no saved failures replayed", pdir, strerror(errno));
        if (pfd >= 0)
            close(pfd);
        free(pdir);
        return 0;
    }
    bytes_vec expected = {0};
    put_escaped_name(&expected, property);
    loaded out = {0};
    struct dirent *e;
    /* A listing error part way is treated as the end of the listing: what
     * was read is still good. */
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", temp files, hidden files */
        bytes_vec enc = {0};
        char *why = load_file(dirfd(d), e->d_name, &expected,
                              db->max_choices, &enc);
        if (why) {
            report(err, "skipped saved failure %s/%s: %s; delete the file "
                        "to silence this", pdir, e->d_name, why);
            free(why);
            bv_free(&enc);
        } else {
            loaded_push(&out, enc);
        }
    }
    closedir(d);
    bv_free(&expected);
    free(pdir);
    if (out.n)
        qsort(out.v, out.n, sizeof *out.v, compare_encodings);
    *encs = out.v;
    return out.n;
}

/* ---- keys -------------------------------------------------------------- */

/* The key named in the first readable file of an open property directory,
 * unescaped and malloc'd; NULL if no file there reads as Gadfly's. */
static char *directory_key(int pfd)
{
    DIR *d = fdopendir(pfd);
    if (!d) {
        close(pfd);
        return NULL;
    }
    char *key = NULL;
    struct dirent *e;
    while (!key && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NONBLOCK |
                                                 O_NOCTTY | O_NOFOLLOW |
                                                 O_CLOEXEC);
        if (fd < 0)
            continue;
        uint8_t *data = NULL;
        size_t size = 0, pos = 0;
        char *why = read_file(fd, &data, &size);
        close(fd);
        if (!why && !(why = check_magic(data, size, &pos))) {
            const uint8_t *nl = line_end(data, size, pos);
            if (nl) {
                key = xmalloc((size_t)(nl - data) - pos + 1);
                size_t k = 0;
                for (const uint8_t *c = data + pos; c < nl; c++) {
                    if (*c == '\\' && c + 1 < nl) {
                        c++;
                        key[k++] = *c == 'n' ? '\n' : (char)*c;
                    } else {
                        key[k++] = (char)*c;
                    }
                }
                key[k] = '\0';
            }
        }
        free(why);
        free(data);
    }
    closedir(d);
    return key;
}

/* Whether key is the property's: its bare name, or "PROGRAM/name" (a
 * program's base name holds no '/'). */
static bool key_is_property(const char *key, const char *property)
{
    const char *slash = strchr(key, '/');
    return strcmp(key, property) == 0 ||
           (slash && slash > key && strcmp(slash + 1, property) == 0);
}

size_t db_keys(gf_db *db, const char *property, char ***keys)
{
    *keys = NULL;
    int root = open(db->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = root >= 0 ? fdopendir(root) : NULL;
    if (!d) {
        if (root >= 0)
            close(root);
        return 0;
    }
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || strlen(e->d_name) != 16)
            continue;
        int pfd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY |
                                                  O_NOFOLLOW | O_CLOEXEC);
        if (pfd < 0)
            continue;
        char *key = directory_key(pfd);
        char want[17];
        /* A directory whose name is not its key's hash was put there by
         * hand: db_load would not find it either. */
        if (key)
            snprintf(want, sizeof want, "%016" PRIx64, property_hash(key));
        if (!key || strcmp(want, e->d_name) != 0 ||
            !key_is_property(key, property)) {
            free(key);
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            *keys = xrealloc(*keys, cap * sizeof **keys);
        }
        (*keys)[n++] = key;
    }
    closedir(d);
    /* In a fixed order, whatever the directory's. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp((*keys)[j - 1], (*keys)[j]) > 0; j--) {
            char *t = (*keys)[j];
            (*keys)[j] = (*keys)[j - 1];
            (*keys)[j - 1] = t;
        }
    return n;
}

/* ---- save -------------------------------------------------------------- */

/* Whether path is a directory, keeping errno: a read-only file system
 * answers mkdir of an existing directory with EROFS, not EEXIST. */
static bool is_dir(const char *path)
{
    int e = errno;
    struct stat st;
    bool dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    errno = e;
    return dir;
}

/* mkdir -p.  -1 with errno and the directory that failed in *failed. */
static int make_dirs(const char *path, char **failed)
{
    char *p = xstrdup(path);
    int rc = 0;
    /* Each prefix in turn: "a", "a/b", then the whole path. */
    for (char *s = p + 1; rc == 0; s++) {
        bool last = *s == 0;
        if (*s != '/' && !last)
            continue;
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST && !is_dir(p))
            rc = -1;
        if (last || rc != 0)
            break;
        *s = '/';
    }
    if (rc != 0) {
        int e = errno;
        *failed = p;
        errno = e;
    } else {
        free(p);
    }
    return rc;
}

/* Remove temp files in the directory pfd left by killed saves.  Best
 * effort: a failure here only leaves a file that loading ignores anyway. */
static void sweep_temps(int pfd)
{
    int fd = dup(pfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    time_t cutoff = time(NULL) - TEMP_MAX_AGE;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, TEMP_PREFIX, strlen(TEMP_PREFIX)) != 0)
            continue;
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISREG(st.st_mode) && st.st_mtime < cutoff)
            unlinkat(dirfd(d), e->d_name, 0);
    }
    closedir(d);
}

/* Sweep a property's directory once per handle: saves are rare, but a run
 * that saves many failures need not list the directory each time. */
static void sweep_once(gf_db *db, const char *property, int pfd)
{
    uint64_t h = property_hash(property);
    for (size_t i = 0; i < db->nswept; i++)
        if (db->swept[i] == h)
            return;
    db->swept = xrealloc(db->swept, (db->nswept + 1) * sizeof *db->swept);
    db->swept[db->nswept++] = h;
    sweep_temps(pfd);
}

/* The property's directory for a save, made if missing: a descriptor, or
 * -1 after reporting. */
static int save_dir(gf_db *db, const char *property, const char *pdir,
                    FILE *err)
{
    int pfd = open_property_dir(db, property, true);
    if (pfd < 0 && errno == ENOENT) {
        char *failed = NULL;
        if (make_dirs(db->dir, &failed) != 0) {
            report(err, "cannot save a failure: cannot create the directory "
                        "%s (%s); the run goes on", failed, strerror(errno));
            free(failed);
            return -1;
        }
        pfd = open_property_dir(db, property, true);
    }
    if (pfd < 0 && errno == ELOOP)
        report(err, "cannot save a failure: %s is a symbolic link or not a "
                    "directory, and is not followed; the run goes on", pdir);
    else if (pfd < 0)
        report(err, "cannot save a failure: cannot open the directory %s "
                    "(%s); the run goes on", pdir, strerror(errno));
    return pfd;
}

int db_save(gf_db *db, const char *property, const uint8_t *enc, size_t n,
            FILE *err)
{
    char *pdir = property_dir(db, property);
    char *final = failure_path(pdir, enc, n);
    char name[17];
    failure_name(name, enc, n);
    atomic_file af = {.fd = -1};
    bytes_vec file = {0};
    int rc = -1, pfd = -1;
    build_file(&file, property, enc, n);
    if (file.n > MAX_FILE_SIZE) {
        report(err, "cannot save a failure to %s: its case is too large "
                    "(%zu bytes); the run goes on", final, n);
        goto cleanup;
    }
    if ((pfd = save_dir(db, property, pdir, err)) < 0)
        goto cleanup;
    sweep_once(db, property, pfd);
    /* A temp file in the same directory (a link planted at its name is
     * never written through), synced before the rename: otherwise a crash
     * of the machine could leave the name on blocks never written.  The
     * same encoding saved twice has the same name: rename replaces the old
     * file whole (a link at the name is replaced, not followed), so there
     * is one file either way. */
    if (atomic_open(&af, pfd, name, TEMP_PREFIX) != 0) {
        report(err, "cannot save a failure: cannot create a file in %s (%s); "
                    "the run goes on", pdir, strerror(errno));
        goto cleanup;
    }
    if (!atomic_write(&af, file.p, file.n) || atomic_commit(&af, true) != 0) {
        report(err, "cannot save a failure: cannot write %s (%s); the run "
                    "goes on", final, strerror(errno));
        goto cleanup;
    }
    rc = 0;
cleanup:
    atomic_release(&af);
    if (pfd >= 0)
        close(pfd);
    bv_free(&file);
    free(final);
    free(pdir);
    return rc;
}

/* ---- forget ------------------------------------------------------------ */

void db_forget(gf_db *db, const char *property, const uint8_t *enc, size_t n)
{
    /* A missing file is the goal already (another run forgot it first);
     * any other failure leaves a failure that replays, passes and is
     * forgotten next time. */
    int pfd = open_property_dir(db, property, false);
    if (pfd < 0)
        return;
    char name[17];
    failure_name(name, enc, n);
    unlinkat(pfd, name, 0);
    close(pfd);
}

int db_replace(gf_db *db, const char *property, const uint8_t *old,
               size_t old_n, const uint8_t *enc, size_t n, FILE *err)
{
    /* The new file first: killed between the two steps, the run leaves
     * both failures saved, never neither. */
    int rc = db_save(db, property, enc, n, err);
    bool same = old && old_n == n && (n == 0 || memcmp(old, enc, n) == 0);
    if (rc == 0 && old && !same)
        db_forget(db, property, old, old_n);
    return rc;
}
