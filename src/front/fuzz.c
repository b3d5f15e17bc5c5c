/*
 * fuzz.c - every property as a fuzz target (docs/fuzzing.md).
 *
 * A fuzzer's input is read as the choices of one case (core/fuzzmap.c).
 * Here: gf_fuzz_one and the stand-alone driver, and the command-line modes
 * that bring fuzzer files into Gadfly (--replay-file, --import-corpus) and
 * take the failure database out (--export-corpus, as the seed-corpus zip
 * OSS-Fuzz expects).
 *
 * gf_fuzz_one is the engine's hot loop: it
 * allocates nothing once warmed up and prints nothing unless the case
 * fails.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include <gadfly/fuzz.h>

#include "core/dedup.h"
#include "core/index.h"
#include "engine/run.h"
#include "engine/watchdog.h"
#include "store/atomic.h"
#include "fuzz.h"
#include "store/db.h"

/* Larger inputs are refused when read from files. */
#define MAX_INPUT_SIZE ((size_t)64 << 20)

/* ---- gf_fuzz_one ---------------------------------------------------------- */

/* One case per thread, reused from call to call: the engines call the
 * target from one thread, millions of times. */
static _Thread_local gf_case *fuzz_case;

static GF_NORETURN void fuzz_failed(const gf_property *prop, gf_case *tc)
{
    char *token = token_from_encoding(prop->name, tc->key.p, tc->key.n);
    fprintf(stderr, "gadfly: the fuzzer's input fails %s at %s\n", prop->name,
            tc->origin ? tc->origin : "unknown");
    fflush(stderr);
    /* The same case again through the runner, for the values and notes of
     * a normal report. */
    gf_options opt = {.replay = token, .timeout = -1, .out = stderr,
                      .argv0 = "TEST-PROGRAM"};
    gf_run(prop, &opt, NULL);
    fprintf(stderr, "gadfly: TEST-PROGRAM is the Gadfly test program built "
            "from the same source; to shrink the fuzzer's input file: "
            "TEST-PROGRAM --filter %s --replay-file FILE\n", prop->name);
    fflush(stderr);
    free(token);
    abort();
}

int gf_fuzz_one(const gf_property *prop, const uint8_t *data, size_t size)
{
    if (!prop || !prop->fn || !prop->name) {
        fputs("gadfly: gf_fuzz_one: the property has no name or function\n",
              stderr);
        abort();
    }
    gf_case *tc = fuzz_case;
    if (!tc) {
        tc = fuzz_case = xmalloc(sizeof *tc);
        case_init(tc);
    }
    case_reset(tc, NULL, TAIL_FUZZ, 1.0);
    tc->structure = false;
    tc->fuzz = data;
    tc->fuzz_len = data ? size : 0;
    tc->fuzz_pos = 0;
    case_execute(tc, prop->fn);
    tc->fuzz = NULL;
    if (tc->status == CASE_FAILED)
        fuzz_failed(prop, tc);
    return 0;
}

/* ---- files ----------------------------------------------------------------- */

/* The whole file; NULL with *err (malloc'd) when it cannot be read. */
static uint8_t *read_input(const char *path, size_t *size, char **err)
{
    *err = NULL;
    /* O_NONBLOCK: opening a FIFO no one writes to must not block; it is
     * read as what its writers (if any) send. */
    int fd = strcmp(path, "-") == 0
                 ? dup(0)
                 : open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd >= 0 && strcmp(path, "-") != 0) {
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    }
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        *err = xasprintf("cannot read %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        *err = xasprintf("%s is a directory, not a file", path);
        close(fd);
        return NULL;
    }
    size_t cap = S_ISREG(st.st_mode) && (size_t)st.st_size < MAX_INPUT_SIZE
                     ? (size_t)st.st_size + 1
                     : 4096;
    uint8_t *data = xmalloc(cap);
    size_t n = 0;
    for (;;) {
        if (n == cap) {
            if (cap >= MAX_INPUT_SIZE) {
                /* Exactly the limit is accepted: refuse only if a byte
                 * more follows. */
                uint8_t extra;
                ssize_t more;
                do
                    more = read(fd, &extra, 1);
                while (more < 0 && errno == EINTR);
                if (more < 0)
                    *err = xasprintf("cannot read %s: %s", path,
                                     strerror(errno));
                else if (more > 0)
                    *err = xasprintf("%s is larger than %zu MiB", path,
                                     MAX_INPUT_SIZE >> 20);
                break;
            }
            cap *= 2;
            data = xrealloc(data, cap);
        }
        ssize_t got = read(fd, data + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            *err = xasprintf("cannot read %s: %s", path, strerror(errno));
            break;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    if (*err) {
        free(data);
        return NULL;
    }
    *size = n;
    return data;
}

typedef struct name_list {
    char **names;
    size_t n;
} name_list;

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_free(name_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->names[i]);
    free(l->names);
}

/* The regular files of dir, as paths, sorted so that runs repeat.  Hidden
 * files are left out.  false with *err when dir cannot be listed. */
static bool list_files(const char *dir, name_list *out, char **err)
{
    memset(out, 0, sizeof *out);
    DIR *d = opendir(dir);
    if (!d) {
        *err = xasprintf("cannot open the directory %s: %s", dir,
                         strerror(errno));
        return false;
    }
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *path = xasprintf("%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        if (out->n == cap) {
            cap = cap ? 2 * cap : 64;
            out->names = xrealloc(out->names, cap * sizeof *out->names);
        }
        out->names[out->n++] = path;
    }
    closedir(d);
    if (out->n)
        qsort(out->names, out->n, sizeof *out->names, compare_names);
    return true;
}

/* ---- the stand-alone driver -------------------------------------------------- */

typedef int (*test_one_fn)(const uint8_t *data, size_t size);

static int run_file(test_one_fn test_one, const char *path, size_t *count)
{
    size_t size = 0;
    char *err = NULL;
    uint8_t *data = read_input(path, &size, &err);
    if (!data) {
        fprintf(stderr, "gadfly: %s\n", err);
        free(err);
        return 2;
    }
    test_one(data, size);
    free(data);
    ++*count;
    return 0;
}

int gf_fuzz_main(int argc, char **argv,
                 int (*test_one)(const uint8_t *data, size_t size))
{
    if (!test_one) {
        fputs("gadfly: gf_fuzz_main: no function to run the inputs\n", stderr);
        return 2;
    }
    size_t count = 0;
    bool any = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        /* Engine flags (-runs=10, as a reproducer passes them) do not apply
         * here; "-" alone is standard input. */
        if (a[0] == '-' && a[1] != 0)
            continue;
        any = true;
        struct stat st;
        if (strcmp(a, "-") != 0 && stat(a, &st) == 0 && S_ISDIR(st.st_mode)) {
            name_list files;
            char *err = NULL;
            if (!list_files(a, &files, &err)) {
                fprintf(stderr, "gadfly: %s\n", err);
                free(err);
                return 2;
            }
            int rc = 0;
            for (size_t k = 0; k < files.n && rc == 0; k++)
                rc = run_file(test_one, files.names[k], &count);
            names_free(&files);
            if (rc)
                return rc;
        } else if (run_file(test_one, a, &count) != 0) {
            return 2;
        }
    }
    if (!any && run_file(test_one, "-", &count) != 0)
        return 2;
    fprintf(stderr, "gadfly: %zu input%s held\n", count, count == 1 ? "" : "s");
    return 0;
}

/* ---- seed-corpus zips -------------------------------------------------------- */

/* CRC-32 (IEEE 802.3, reflected, as zip uses it), four bits at a time. */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
    static const uint32_t nibble[16] = {
        0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190,
        0x6B6B51F4, 0x4DB26158, 0x5005713C, 0xEDB88320, 0xF00F9344,
        0xD6D6A3E8, 0xCB61B38C, 0x9B64C2B0, 0x86D3D2D4, 0xA00AE278,
        0xBDBDF21C,
    };
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ nibble[crc & 15];
        crc = (crc >> 4) ^ nibble[crc & 15];
    }
    return ~crc;
}

static void put_le(bytes_vec *v, uint64_t x, unsigned k)
{
    bv_reserve(v, k);
    for (unsigned i = 0; i < k; i++)
        v->p[v->n + i] = (uint8_t)(x >> (8 * i));
    v->n += k;
}

static void put_raw(bytes_vec *v, const void *p, size_t n)
{
    bv_reserve(v, n);
    if (n)
        memcpy(v->p + v->n, p, n);
    v->n += n;
}

/* A zip archive being built: stored entries only, in memory. */
typedef struct zip {
    bytes_vec body;     /* local headers and data */
    bytes_vec central;  /* the central directory */
    size_t entries;
} zip;

#define ZIP_DOS_DATE 0x0021   /* 1980-01-01: archives are reproducible */
#define ZIP_MAX_ENTRIES 65535
#define ZIP_MAX_SIZE 0xFFFFFFFEu

static bool zip_add(zip *z, const char *name, const uint8_t *data, size_t n)
{
    size_t name_len = strlen(name);
    if (z->entries == ZIP_MAX_ENTRIES ||
        z->body.n + n + name_len + 30 > ZIP_MAX_SIZE)
        return false;
    uint32_t crc = crc32_update(0, data, n);
    uint64_t offset = z->body.n;
    put_le(&z->body, 0x04034b50, 4);  /* local file header */
    put_le(&z->body, 10, 2);          /* version needed: 1.0, stored */
    put_le(&z->body, 0, 2);           /* flags */
    put_le(&z->body, 0, 2);           /* method: stored */
    put_le(&z->body, 0, 2);           /* time */
    put_le(&z->body, ZIP_DOS_DATE, 2);
    put_le(&z->body, crc, 4);
    put_le(&z->body, n, 4);           /* compressed size */
    put_le(&z->body, n, 4);           /* size */
    put_le(&z->body, name_len, 2);
    put_le(&z->body, 0, 2);           /* extra field */
    put_raw(&z->body, name, name_len);
    put_raw(&z->body, data, n);

    put_le(&z->central, 0x02014b50, 4);
    put_le(&z->central, 3u << 8 | 20, 2); /* made by: Unix, 2.0 */
    put_le(&z->central, 10, 2);
    put_le(&z->central, 0, 2);
    put_le(&z->central, 0, 2);
    put_le(&z->central, 0, 2);
    put_le(&z->central, ZIP_DOS_DATE, 2);
    put_le(&z->central, crc, 4);
    put_le(&z->central, n, 4);
    put_le(&z->central, n, 4);
    put_le(&z->central, name_len, 2);
    put_le(&z->central, 0, 2);        /* extra field */
    put_le(&z->central, 0, 2);        /* comment */
    put_le(&z->central, 0, 2);        /* disk */
    put_le(&z->central, 0, 2);        /* internal attributes */
    put_le(&z->central, (uint64_t)0100644 << 16, 4); /* a regular file, rw-r--r-- */
    put_le(&z->central, offset, 4);
    put_raw(&z->central, name, name_len);
    z->entries++;
    return true;
}

/* The finished archive, in z->body. */
static void zip_finish(zip *z)
{
    uint64_t cd_offset = z->body.n;
    put_raw(&z->body, z->central.p, z->central.n);
    put_le(&z->body, 0x06054b50, 4);  /* end of central directory */
    put_le(&z->body, 0, 2);
    put_le(&z->body, 0, 2);
    put_le(&z->body, z->entries, 2);
    put_le(&z->body, z->entries, 2);
    put_le(&z->body, z->central.n, 4);
    put_le(&z->body, cd_offset, 4);
    put_le(&z->body, 0, 2);           /* comment */
}

static void zip_free(zip *z)
{
    bv_free(&z->body);
    bv_free(&z->central);
}

/* Write data to path through a temp file and a rename: a reader never sees
 * half an archive.  NULL, or what went wrong (malloc'd). */
static char *write_file_atomic(const char *path, const uint8_t *data, size_t n)
{
    atomic_file f;
    if (atomic_open(&f, AT_FDCWD, path, NULL) != 0)
        return xasprintf("cannot write %s: %s", path, strerror(errno));
    char *err = NULL;
    if (!atomic_write(&f, data, n)) {
        err = xasprintf("cannot write %s: %s", path, strerror(errno));
        atomic_abandon(&f);
    } else if (atomic_commit(&f, false) != 0) {
        err = xasprintf("cannot write %s: %s", path, strerror(errno));
    }
    atomic_release(&f);
    return err;
}

/* ---- the command-line modes ---------------------------------------------------- */

bool fuzz_requested(const fuzz_request *q)
{
    return q->replay_file || q->import_dir || q->export_dir;
}

static int fuzz_usage(const char *prog, const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(try %s --help)\n", prog);
    return 2;
}

/* --replay-file and --import-corpus take the inputs of one fuzz target,
 * which fuzzes one property. */
static const gf_property *one_property(const gf_property *const *props,
                                       size_t n, const char *option,
                                       const char *prog)
{
    if (n == 1)
        return props[0];
    if (n == 0)
        fprintf(stderr, "%s: %s: no property matches --filter\n", prog, option);
    else
        fprintf(stderr, "%s: %s runs one property, and %zu are selected: "
                "choose one with --filter NAME (--list names them)\n", prog,
                option, n);
    return NULL;
}

static int exit_code(gf_status st)
{
    switch (st) {
    case GF_PASSED: return 0;
    case GF_FAILED: return 1;
    case GF_ERROR: return 2;
    default: return 1;
    }
}

static int replay_file(const gf_property *prop, const char *path,
                       const gf_options *opt, const char *prog)
{
    size_t size = 0;
    char *err = NULL;
    uint8_t *data = read_input(path, &size, &err);
    if (!data) {
        fprintf(stderr, "%s: --replay-file: %s\n", prog, err);
        free(err);
        return 2;
    }
    gf_result res;
    gf_status st = run_fuzz_input(prop, opt, data, size, path, true, &res);
    gf_result_free(&res);
    free(data);
    return exit_code(st);
}

static int import_corpus(const gf_property *prop, const char *dir,
                         const gf_options *opt, const char *prog)
{
    name_list files;
    char *err = NULL;
    if (!list_files(dir, &files, &err)) {
        fprintf(stderr, "%s: --import-corpus: %s\n", prog, err);
        free(err);
        return 2;
    }
    gf_options quiet = *opt;
    quiet.quiet = true;
    size_t held = 0, discarded = 0, failed = 0, errors = 0, unreadable = 0;
    for (size_t i = 0; i < files.n; i++) {
        size_t size = 0;
        uint8_t *data = read_input(files.names[i], &size, &err);
        if (!data) {
            fprintf(stderr, "%s: --import-corpus: %s (skipped)\n", prog, err);
            free(err);
            unreadable++;
            continue;
        }
        gf_result res;
        gf_status st = run_fuzz_input(prop, &quiet, data, size,
                                      files.names[i], false, &res);
        free(data);
        if (st == GF_FAILED || st == GF_ERROR)
            fputs(res.report, stderr);
        held += st == GF_PASSED && res.passed;
        discarded += st == GF_PASSED && !res.passed;
        failed += st == GF_FAILED;
        errors += st == GF_ERROR;
        gf_result_free(&res);
    }
    fprintf(stderr, "%s: %zu input%s from %s: %zu held, %zu discarded, "
            "%zu failed", prop->name, files.n, files.n == 1 ? "" : "s", dir,
            held, discarded, failed + errors);
    if (unreadable)
        fprintf(stderr, ", %zu unreadable", unreadable);
    if (failed && opt->db_dir && *opt->db_dir)
        fprintf(stderr, " (saved to %s: the next run shrinks them)",
                opt->db_dir);
    fputc('\n', stderr);
    names_free(&files);
    if (errors || unreadable)
        return 2;
    return failed ? 1 : 0;
}

static void fuzz_wedged(void *ctx)
{
    (void)ctx;
    static const char text[] = "gadfly: --export-corpus: a saved failure "
                               "kept running through its timeouts; stopping\n";
    ssize_t w = write(2, text, sizeof text - 1);
    (void)w;
    _exit(3);
}

/* Passing cases an export adds to the saved failures, unless --trials. */
#define EXPORT_PASSING 100

/* The fuzz bytes of each saved failure of prop, then of distinct passing
 * generated cases, added to z; the count of all, and of the failures in
 * *failures. */
static size_t export_property(const gf_property *prop, gf_db *db,
                              const gf_options *opt, zip *z,
                              size_t *failures)
{
    /* Every program's failures of the property, not only this one's: a
     * CI artifact is saved by the project's test binary, and the exporter
     * (examples/oss-fuzz/build.sh builds its own) has another name. */
    bytes_vec *encs = NULL;
    size_t n = 0;
    char **keys = NULL;
    size_t nkeys = db ? db_keys(db, prop->name, &keys) : 0;
    for (size_t k = 0; k < nkeys; k++) {
        bytes_vec *some = NULL;
        size_t m = db_load(db, keys[k], &some, stderr);
        if (m) {
            encs = xrealloc(encs, (n + m) * sizeof *encs);
            memcpy(encs + n, some, m * sizeof *some);
            n += m;
        }
        free(some);
        free(keys[k]);
    }
    free(keys);
    size_t added = 0;
    gf_run_state *r = run_state_new(prop, opt);
    double timeout = opt->timeout == 0 ? 10.0 : opt->timeout;
    crash_guard *guard = crash_guard_start(timeout > 0);
    watchdog *watch = watchdog_start(timeout, fuzz_wedged, NULL);
    r->tc.watch = watch;
    r->tc.timeout = timeout;
    buffer b;
    buffer_init(&b);
    bytes_vec bytes = {0};
    uint64_t *names = xmalloc((n + 1) * sizeof *names);
    for (size_t i = 0; i < n; i++) {
        uint32_t origin;
        if (buffer_decode(encs[i].p, encs[i].n, SIZE_MAX, &b)) {
            /* Replayed for the constraints of each choice, which the
             * mapping needs and the database does not keep. */
            run_buffer(r, &b, &origin);
            bytes.n = 0;
            fuzz_encode(&r->tc.rec, &bytes);
            /* Two saved cases that the property now reads the same way
             * are one seed. */
            uint64_t h = XXH3_64bits(bytes.p, bytes.n);
            bool seen = false;
            for (size_t k = 0; k < added && !seen; k++)
                seen = names[k] == h;
            char name[17];
            snprintf(name, sizeof name, "%016" PRIx64, h);
            if (!seen && zip_add(z, name, bytes.p, bytes.n))
                names[added++] = h;
        }
        bv_free(&encs[i]);
    }
    *failures = added;
    /* Then passing cases, generated as a run would (the simplest first,
     * sizes growing): a corpus of failures alone gives a fuzzer nothing
     * to grow from once they are fixed.  A fixed seed unless --seed says,
     * so that one source gives one corpus. */
    uint64_t want = opt->trials ? opt->trials : EXPORT_PASSING;
    names = xrealloc(names, (added + want + 1) * sizeof *names);
    gf_rng_seed(&r->tc.rng, opt->seed_set ? opt->seed : 1);
    uint64_t tries = want * 4 + 16;
    for (uint64_t i = 0; i < tries && added - *failures < want; i++) {
        case_reset(&r->tc, NULL, i == 0 ? TAIL_SIMPLEST : TAIL_RANDOM,
                   (double)(i < want ? i : want) / (double)want);
        case_execute(&r->tc, prop->fn);
        if (r->tc.status != CASE_OK)
            continue;
        bytes.n = 0;
        fuzz_encode(&r->tc.rec, &bytes);
        uint64_t h = XXH3_64bits(bytes.p, bytes.n);
        bool seen = false;
        for (size_t k = 0; k < added && !seen; k++)
            seen = names[k] == h;
        char name[17];
        snprintf(name, sizeof name, "%016" PRIx64, h);
        if (!seen && zip_add(z, name, bytes.p, bytes.n))
            names[added++] = h;
    }
    free(names);
    free(encs);
    bv_free(&bytes);
    buffer_free(&b);
    watchdog_stop(watch);
    r->tc.watch = NULL;
    crash_guard_stop(guard);
    run_state_delete(r);
    return added;
}

static int export_corpus(const gf_property *const *props, size_t n,
                         const char *dir, const gf_options *opt,
                         const char *prog)
{
    /* Without a database (--no-db, or none yet: nothing has failed
     * there), the corpus is the passing cases alone. */
    gf_db *db = NULL;
    struct stat st;
    if (opt->db_dir && *opt->db_dir) {
        if (stat(opt->db_dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "%s: --export-corpus: the failure database %s is "
                    "not a directory\n", prog, opt->db_dir);
            return 2;
        }
        if (stat(opt->db_dir, &st) != 0 && errno != ENOENT) {
            fprintf(stderr, "%s: --export-corpus: cannot read the failure "
                    "database %s: %s\n", prog, opt->db_dir, strerror(errno));
            return 2;
        }
        if (stat(opt->db_dir, &st) == 0)
            db = db_open(opt->db_dir);
    }
    int rc = 0;
    bool made = false;
    for (size_t i = 0; i < n && rc == 0; i++) {
        zip z;
        memset(&z, 0, sizeof z);
        size_t failures = 0;
        size_t added = export_property(props[i], db, opt, &z, &failures);
        /* The directory is made only for something to write in it. */
        if (added && !made) {
            if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
                fprintf(stderr, "%s: --export-corpus: cannot create %s: %s\n",
                        prog, dir, strerror(errno));
                rc = 2;
                zip_free(&z);
                break;
            }
            made = true;
        }
        if (added) {
            zip_finish(&z);
            char *path = xasprintf("%s/%s_seed_corpus.zip", dir, props[i]->name);
            char *err = write_file_atomic(path, z.body.p, z.body.n);
            if (err) {
                fprintf(stderr, "%s: --export-corpus: %s\n", prog, err);
                free(err);
                rc = 2;
            } else {
                size_t passing = added - failures;
                fprintf(stderr, "%s: %zu saved failure%s and %zu passing "
                        "case%s written to %s\n", props[i]->name, failures,
                        failures == 1 ? "" : "s", passing,
                        passing == 1 ? "" : "s", path);
            }
            free(path);
        } else {
            fprintf(stderr, "%s: no saved failures and no passing case, no "
                    "corpus written\n", props[i]->name);
        }
        zip_free(&z);
    }
    db_close(db);
    return rc;
}

int fuzz_cli(const fuzz_request *q, const gf_property *const *props, size_t n,
             const gf_options *opt, const char *prog)
{
    int modes = !!q->replay_file + !!q->import_dir + !!q->export_dir;
    if (modes > 1)
        return fuzz_usage(prog, "--replay-file, --import-corpus and "
                          "--export-corpus are separate runs: give one%s", "");
    if (opt->replay)
        return fuzz_usage(prog, "--replay and the corpus options are separate "
                          "runs: give one%s", "");
    if (q->export_dir) {
        if (n == 0)
            return fuzz_usage(prog, "--export-corpus: no property matches "
                              "--filter%s", "");
        return export_corpus(props, n, q->export_dir, opt, prog);
    }
    const char *option = q->replay_file ? "--replay-file" : "--import-corpus";
    const gf_property *prop = one_property(props, n, option, prog);
    if (!prop)
        return 2;
    if (q->replay_file)
        return replay_file(prop, q->replay_file, opt, prog);
    return import_corpus(prop, q->import_dir, opt, prog);
}
