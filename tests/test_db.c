/*
 * test_db.c - the failure database (src/store/db.c): round trips, every kind of
 * bad file reported in one line and skipped, unwritable and full disks,
 * concurrent savers, and savers killed at a random moment.
 *
 * Every test works in its own mkdtemp directory under /tmp and removes it.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "core/dedup.h"
#include "store/db.h"

#define PROP "db_prop"

/* ---- helpers ------------------------------------------------------------ */

/* The test's directory, also known to the suite's fini: a failed
 * assertion ends the test without reaching its remove_root. */
static char *test_root;

static char *make_root(void)
{
    char *root = strdup("/tmp/gadfly-db-XXXXXX");
    cr_assert(root && mkdtemp(root), "mkdtemp: %s", strerror(errno));
    test_root = root;
    return root;
}

static int make_writable(const char *path, const struct stat *st, int flag,
                         struct FTW *ftw)
{
    (void)ftw;
    if (flag == FTW_D)
        chmod(path, (st->st_mode & 07777) | 0700);
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Remove the test's directory, undoing the unwritable test's chmod first
 * (parents before children, so every directory can be listed). */
static void remove_root(char *root)
{
    nftw(root, make_writable, 16, FTW_PHYS);
    nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    struct stat st;
    cr_expect_neq(stat(root, &st), 0, "%s was not removed", root);
    free(root);
    test_root = NULL;
}

static void remove_leftover_root(void)
{
    if (test_root)
        remove_root(test_root);
}

TestSuite(db, .fini = remove_leftover_root);

/* A distinct, valid encoding for each i (some of them empty, some with
 * bytes, so lengths vary). */
static bytes_vec make_enc(uint64_t i)
{
    buffer b;
    buffer_init(&b);
    if (i != 0) {
        *buffer_push(&b) = (choice){.kind = CHOICE_UINT, .value = i};
        *buffer_push(&b) = (choice){.kind = CHOICE_BOOL, .value = i & 1};
        *buffer_push(&b) = (choice){.kind = CHOICE_INT, .value = -i};
    }
    if (i % 3 == 1) {
        choice *c = buffer_push(&b);
        *c = (choice){.kind = CHOICE_BYTES, .len = 4};
        c->value = buffer_push_bytes(&b, (const uint8_t *)"a\n\0\xff", 4);
    }
    bytes_vec v = {0};
    buffer_encode(&b, &v);
    buffer_free(&b);
    return v;
}

static char *prop_dir(const char *root, const char *property)
{
    return xasprintf("%s/%016" PRIx64, root,
                     XXH3_64bits(property, strlen(property)));
}

static char *enc_path(const char *root, const char *property,
                      const bytes_vec *enc)
{
    char *dir = prop_dir(root, property);
    char *path = xasprintf("%s/%016" PRIx64, dir, XXH3_64bits(enc->p, enc->n));
    free(dir);
    return path;
}

static void save_ok(gf_db *db, const char *property, uint64_t i)
{
    bytes_vec e = make_enc(i);
    cr_assert_eq(db_save(db, property, e.p, e.n, stderr), 0);
    bv_free(&e);
}

/* The files in dir, hidden ones (temp files) too if `hidden`. */
static size_t count_files(const char *dir, bool hidden)
{
    DIR *d = opendir(dir);
    cr_assert(d, "opendir %s: %s", dir, strerror(errno));
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n += hidden || e->d_name[0] != '.';
    }
    closedir(d);
    return n;
}

static void free_encs(bytes_vec *encs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bv_free(&encs[i]);
    free(encs);
}

/* Load with err captured: the entries and the text written to err. */
typedef struct load_result {
    bytes_vec *encs;
    size_t n;
    char *err;
    size_t lines;
} load_result;

static load_result load(gf_db *db, const char *property)
{
    load_result r = {0};
    size_t len = 0;
    FILE *err = open_memstream(&r.err, &len);
    cr_assert(err);
    r.n = db_load(db, property, &r.encs, err);
    fclose(err);
    for (const char *s = r.err; *s; s++)
        r.lines += *s == '\n';
    return r;
}

static void load_free(load_result *r)
{
    free_encs(r->encs, r->n);
    free(r->err);
}

static bool same(const bytes_vec *a, const bytes_vec *b)
{
    return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
}

static void write_bytes(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "fopen %s: %s", path, strerror(errno));
    cr_assert_eq(fwrite(p, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
}

static uint8_t *read_bytes(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "fopen %s: %s", path, strerror(errno));
    uint8_t *p = xmalloc(1 << 16);
    *n = fread(p, 1, 1 << 16, f);
    fclose(f);
    return p;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- round trips ------------------------------------------------------- */

Test(db, save_load_round_trip)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    cr_assert(db);
    for (uint64_t i = 0; i < 5; i++)
        save_ok(db, PROP, i);
    load_result r = load(db, PROP);
    cr_assert_eq(r.n, 5);
    cr_assert_str_empty(r.err);
    /* Every saved encoding comes back exactly, including the empty one. */
    for (uint64_t i = 0; i < 5; i++) {
        bytes_vec e = make_enc(i);
        size_t hits = 0;
        for (size_t k = 0; k < r.n; k++)
            hits += same(&e, &r.encs[k]);
        cr_assert_eq(hits, 1, "encoding %" PRIu64 " came back %zu times", i,
                     hits);
        bv_free(&e);
    }
    /* Shortest first, then by bytes: independent of directory order. */
    for (size_t k = 1; k < r.n; k++) {
        const bytes_vec *a = &r.encs[k - 1], *b = &r.encs[k];
        cr_assert(a->n < b->n ||
                  (a->n == b->n && memcmp(a->p, b->p, a->n) < 0));
    }
    cr_assert_eq(r.encs[0].n, 0);
    load_free(&r);
    db_close(db);
    remove_root(root);
}

/* db_keys: every program's key for a property, whatever saved it. */
Test(db, keys_of_a_property_from_every_program)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    const char *saved[] = {"prog-b/p", "p", "prog-a/p", "prog-a/q", "x/y/p",
                           "pp", "prog-a/p\nwith a newline\\"};
    for (size_t i = 0; i < sizeof saved / sizeof *saved; i++)
        save_ok(db, saved[i], i);
    /* A stray directory and a damaged first file are passed over. */
    char *stray = xasprintf("%s/0123456789abcdef", root);
    cr_assert_eq(mkdir(stray, 0700), 0);
    char *junk = xasprintf("%s/junk", stray);
    write_bytes(junk, "junk", 4);
    char **keys = NULL;
    size_t n = db_keys(db, "p", &keys);
    cr_assert_eq(n, 3);
    cr_expect_str_eq(keys[0], "p");
    cr_expect_str_eq(keys[1], "prog-a/p");
    cr_expect_str_eq(keys[2], "prog-b/p");
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    n = db_keys(db, "p\nwith a newline\\", &keys);
    cr_assert_eq(n, 1);
    cr_expect_str_eq(keys[0], "prog-a/p\nwith a newline\\");
    free(keys[0]);
    free(keys);
    cr_expect_eq(db_keys(db, "none", &keys), 0);
    cr_expect_null(keys);
    db_close(db);
    /* A database that does not exist has no keys. */
    char *missing = xasprintf("%s/missing", root);
    db = db_open(missing);
    cr_expect_eq(db_keys(db, "p", &keys), 0);
    db_close(db);
    free(missing);
    free(junk);
    free(stray);
    remove_root(root);
}

Test(db, file_format_is_as_documented)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    bytes_vec e = make_enc(7);
    save_ok(db, PROP, 7);
    char *path = enc_path(root, PROP, &e);
    size_t n;
    uint8_t *p = read_bytes(path, &n);
    char head[64];
    int hlen = snprintf(head, sizeof head, "gadfly-failure 1\n" PROP "\n%zu\n",
                        e.n);
    cr_assert_eq(n, (size_t)hlen + e.n + 4);
    cr_assert_eq(memcmp(p, head, (size_t)hlen), 0);
    cr_assert_eq(memcmp(p + hlen, e.p, e.n), 0);
    uint32_t sum = XXH32(p, n - 4, 0);
    uint8_t le[4] = {(uint8_t)sum, (uint8_t)(sum >> 8), (uint8_t)(sum >> 16),
                     (uint8_t)(sum >> 24)};
    cr_assert_eq(memcmp(p + n - 4, le, 4), 0);
    free(p);
    free(path);
    bv_free(&e);
    db_close(db);
    remove_root(root);
}

Test(db, saving_twice_is_one_file)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    save_ok(db, PROP, 3);
    save_ok(db, PROP, 3);
    gf_db *other = db_open(root);
    save_ok(other, PROP, 3);
    db_close(other);
    char *dir = prop_dir(root, PROP);
    cr_assert_eq(count_files(dir, true), 1, "no temp file is left");
    load_result r = load(db, PROP);
    cr_assert_eq(r.n, 1);
    cr_assert_str_empty(r.err);
    load_free(&r);
    free(dir);
    db_close(db);
    remove_root(root);
}

Test(db, forget_removes)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    save_ok(db, PROP, 1);
    save_ok(db, PROP, 2);
    bytes_vec one = make_enc(1), two = make_enc(2);
    db_forget(db, PROP, one.p, one.n);
    db_forget(db, PROP, one.p, one.n); /* already gone: fine */
    db_forget(db, "never_saved", one.p, one.n);
    load_result r = load(db, PROP);
    cr_assert_eq(r.n, 1);
    cr_assert(same(&r.encs[0], &two));
    cr_assert_str_empty(r.err);
    load_free(&r);
    bv_free(&one);
    bv_free(&two);
    db_close(db);
    remove_root(root);
}

Test(db, missing_directory_is_zero_failures)
{
    char *root = make_root();
    char *missing = xasprintf("%s/not/yet", root);
    gf_db *db = db_open(missing);
    load_result r = load(db, PROP);
    cr_assert_eq(r.n, 0);
    cr_assert_null(r.encs);
    cr_assert_str_empty(r.err);
    cr_assert_not(exists(missing), "loading creates nothing");
    load_free(&r);
    /* The first save creates the whole path. */
    save_ok(db, PROP, 1);
    r = load(db, PROP);
    cr_assert_eq(r.n, 1);
    load_free(&r);
    db_close(db);
    free(missing);
    remove_root(root);
}

Test(db, properties_are_kept_apart)
{
    char *root = make_root();
    char *slashed = xasprintf("%s//", root); /* trailing slashes are fine */
    gf_db *db = db_open(slashed);
    const char *odd = "name with\nnewline, \\ backslash and \xc3\xa9";
    save_ok(db, "a", 1);
    save_ok(db, "b", 2);
    save_ok(db, "b", 4);
    save_ok(db, odd, 5);
    load_result a = load(db, "a"), b = load(db, "b"), o = load(db, odd);
    cr_assert_eq(a.n, 1);
    cr_assert_eq(b.n, 2);
    cr_assert_eq(o.n, 1);
    cr_assert_str_empty(a.err);
    cr_assert_str_empty(b.err);
    cr_assert_str_empty(o.err);
    load_free(&a);
    load_free(&b);
    load_free(&o);
    db_close(db);
    free(slashed);
    remove_root(root);
}

/* ---- bad files ---------------------------------------------------------- */

/*
 * A database with two good failures of PROP and one bad file at `name` in
 * its directory: the load must give exactly the two good ones, one line
 * naming the bad file and holding `why` (if not NULL), and leave the bad
 * file where it was.
 */
static void expect_skipped(const char *root, gf_db *db, const char *name,
                           const char *why)
{
    char *dir = prop_dir(root, PROP);
    char *path = xasprintf("%s/%s", dir, name);
    load_result r = load(db, PROP);
    cr_assert_eq(r.n, 2, "%s: loaded %zu, want the 2 good neighbours", name,
                 r.n);
    cr_assert_eq(r.lines, 1, "%s: want one line, got:\n%s", name, r.err);
    cr_assert(strstr(r.err, path), "the line names the file: %s", r.err);
    cr_assert(strncmp(r.err, "gadfly: ", 8) == 0, "%s", r.err);
    if (why)
        cr_assert(strstr(r.err, why), "want \"%s\" in: %s", why, r.err);
    cr_assert(exists(path), "a bad file is never deleted");
    load_free(&r);
    free(path);
    free(dir);
}

/* The setup of expect_skipped: the good neighbours (1 and 2) and the bytes
 * of a valid file for encoding 3, returned without saving it. */
static uint8_t *bad_file_setup(const char *root, gf_db *db, size_t *n,
                               char **name)
{
    save_ok(db, PROP, 1);
    save_ok(db, PROP, 2);
    save_ok(db, PROP, 3);
    bytes_vec e = make_enc(3);
    char *path = enc_path(root, PROP, &e);
    uint8_t *p = read_bytes(path, n);
    cr_assert_eq(unlink(path), 0);
    *name = xstrdup(strrchr(path, '/') + 1);
    free(path);
    bv_free(&e);
    return p;
}

static void put_bad(const char *root, const char *name, const void *p,
                    size_t n)
{
    char *dir = prop_dir(root, PROP);
    char *path = xasprintf("%s/%s", dir, name);
    write_bytes(path, p, n);
    free(path);
    free(dir);
}

Test(db, every_flipped_bit_is_reported)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    size_t n;
    char *name;
    uint8_t *good = bad_file_setup(root, db, &n, &name);
    for (size_t i = 0; i < n; i++) {
        for (int bit = 0; bit < 8; bit++) {
            good[i] ^= (uint8_t)(1u << bit);
            put_bad(root, name, good, n);
            expect_skipped(root, db, name, NULL);
            good[i] ^= (uint8_t)(1u << bit);
        }
    }
    /* And the untouched file loads again. */
    put_bad(root, name, good, n);
    load_result r = load(db, PROP);
    cr_assert_eq(r.n, 3);
    cr_assert_str_empty(r.err);
    load_free(&r);
    free(good);
    free(name);
    db_close(db);
    remove_root(root);
}

Test(db, every_truncation_is_reported)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    size_t n;
    char *name;
    uint8_t *good = bad_file_setup(root, db, &n, &name);
    for (size_t len = 0; len < n; len++) {
        put_bad(root, name, good, len);
        expect_skipped(root, db, name, len ? "truncated" : "empty");
    }
    /* A byte too many is caught as surely as one too few. */
    uint8_t *longer = xmalloc(n + 1);
    memcpy(longer, good, n);
    longer[n] = '\n';
    put_bad(root, name, longer, n + 1);
    expect_skipped(root, db, name, "extra bytes");
    free(longer);
    free(good);
    free(name);
    db_close(db);
    remove_root(root);
}

Test(db, empty_file_is_reported)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    size_t n;
    char *name;
    free(bad_file_setup(root, db, &n, &name));
    put_bad(root, name, "", 0);
    expect_skipped(root, db, name, "it is empty");
    free(name);
    db_close(db);
    remove_root(root);
}

Test(db, another_propertys_file_is_reported)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    save_ok(db, PROP, 1);
    save_ok(db, PROP, 2);
    save_ok(db, "other_prop", 3);
    /* Copied by hand from other_prop's directory, same file name. */
    bytes_vec e = make_enc(3);
    char *from = enc_path(root, "other_prop", &e);
    size_t n;
    uint8_t *p = read_bytes(from, &n);
    char *name = xstrdup(strrchr(from, '/') + 1);
    put_bad(root, name, p, n);
    expect_skipped(root, db, name, "another property, \"other_prop\"");
    /* other_prop itself is unaffected. */
    load_result r = load(db, "other_prop");
    cr_assert_eq(r.n, 1);
    cr_assert_str_empty(r.err);
    load_free(&r);
    free(p);
    free(name);
    free(from);
    bv_free(&e);
    db_close(db);
    remove_root(root);
}

Test(db, wrong_magic_and_other_version_are_reported)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    size_t n;
    char *name;
    uint8_t *good = bad_file_setup(root, db, &n, &name);

    uint8_t *p = xmalloc(n + 1);
    memcpy(p, good, n);
    p[0] = 'G';
    put_bad(root, name, p, n);
    expect_skipped(root, db, name, "not a Gadfly failure file");

    /* Format 2, as a later Gadfly might write it: the rest unread. */
    memcpy(p, good, n);
    p[15] = '2';
    put_bad(root, name, p, n);
    expect_skipped(root, db, name, "another version of Gadfly");

    /* Format 10: a longer version line. */
    memcpy(p, "gadfly-failure 10\n", 18);
    memcpy(p + 18, good + 17, n - 17);
    put_bad(root, name, p, n + 1);
    expect_skipped(root, db, name, "format 10");

    free(p);
    free(good);
    free(name);
    db_close(db);
    remove_root(root);
}

Test(db, random_binary_files_are_reported)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    size_t n;
    char *name;
    free(bad_file_setup(root, db, &n, &name));
    srand(12345);
    uint8_t noise[4096];
    for (int round = 0; round < 20; round++) {
        size_t len = 1 + (size_t)rand() % sizeof noise;
        for (size_t i = 0; i < len; i++)
            noise[i] = (uint8_t)rand();
        put_bad(root, round % 2 ? name : "core", noise, len);
        expect_skipped(root, db, round % 2 ? name : "core",
                       "not a Gadfly failure file");
        char *dir = prop_dir(root, PROP);
        char *path = xasprintf("%s/%s", dir, round % 2 ? name : "core");
        unlink(path);
        free(path);
        free(dir);
    }
    free(name);
    db_close(db);
    remove_root(root);
}

Test(db, renamed_file_is_reported)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    size_t n;
    char *name;
    uint8_t *good = bad_file_setup(root, db, &n, &name);
    put_bad(root, "0123456789abcdef", good, n);
    expect_skipped(root, db, "0123456789abcdef", "name does not match");
    free(good);
    free(name);
    db_close(db);
    remove_root(root);
}

Test(db, directory_and_fifo_are_reported_without_hanging)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    size_t n;
    char *name;
    free(bad_file_setup(root, db, &n, &name));
    char *dir = prop_dir(root, PROP);
    char *sub = xasprintf("%s/subdir", dir);
    char *fifo = xasprintf("%s/%s", dir, name);
    cr_assert_eq(mkdir(sub, 0700), 0);
    expect_skipped(root, db, "subdir", "not a regular file");
    cr_assert_eq(rmdir(sub), 0);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    expect_skipped(root, db, name, "not a regular file");
    free(sub);
    free(fifo);
    free(dir);
    free(name);
    db_close(db);
    remove_root(root);
}

Test(db, hidden_and_temp_files_are_ignored)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    save_ok(db, PROP, 1);
    put_bad(root, ".tmp-1-2-0123456789abcdef", "gadfly-failure 1\nxx", 19);
    put_bad(root, ".hidden", "anything", 8);
    load_result r = load(db, PROP);
    cr_assert_eq(r.n, 1);
    cr_assert_str_empty(r.err);
    load_free(&r);
    db_close(db);
    remove_root(root);
}

/* ---- failed saves ------------------------------------------------------- */

static int save_capturing(gf_db *db, uint64_t i, char **text)
{
    size_t len = 0;
    FILE *err = open_memstream(text, &len);
    cr_assert(err);
    bytes_vec e = make_enc(i);
    int rc = db_save(db, PROP, e.p, e.n, err);
    fclose(err);
    bv_free(&e);
    return rc;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

Test(db, unwritable_directory_fails_with_one_line)
{
    if (geteuid() == 0)
        cr_skip_test("root ignores directory permissions");
    char *root = make_root();
    cr_assert_eq(chmod(root, 0500), 0);
    gf_db *db = db_open(root);
    char *text = NULL;
    cr_assert_eq(save_capturing(db, 1, &text), -1);
    cr_assert_eq(count_lines(text), 1, "%s", text);
    cr_assert(strstr(text, "Permission denied"), "%s", text);
    cr_assert(strstr(text, root), "%s", text);
    free(text);
    /* Unwritable property directory, the database root being fine. */
    cr_assert_eq(chmod(root, 0700), 0);
    save_ok(db, PROP, 2);
    char *dir = prop_dir(root, PROP);
    cr_assert_eq(chmod(dir, 0500), 0);
    cr_assert_eq(save_capturing(db, 3, &text), -1);
    cr_assert_eq(count_lines(text), 1, "%s", text);
    free(text);
    free(dir);
    db_close(db);
    remove_root(root);
}

Test(db, path_through_a_file_fails_with_one_line)
{
    char *root = make_root();
    char *file = xasprintf("%s/plain", root), *under = xasprintf("%s/db", file);
    write_bytes(file, "x", 1);
    gf_db *db = db_open(under);
    char *text = NULL;
    cr_assert_eq(save_capturing(db, 1, &text), -1);
    cr_assert_eq(count_lines(text), 1, "%s", text);
    cr_assert(strstr(text, "Not a directory"), "%s", text);
    free(text);
    /* Loading through it is one line too, and zero failures. */
    load_result r = load(db, PROP);
    cr_assert_eq(r.n, 0);
    cr_assert_eq(r.lines, 1, "%s", r.err);
    load_free(&r);
    db_close(db);
    free(under);
    free(file);
    remove_root(root);
}

/* A file size limit stands in for a full disk: writes come up short, then
 * fail, as they do when the disk fills mid-file. */
Test(db, full_disk_fails_with_one_line_and_leaves_nothing)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    save_ok(db, PROP, 1); /* the directory exists; the limit hits the file */
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = {.rlim_cur = 20, .rlim_max = RLIM_INFINITY};
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    char *text = NULL;
    cr_assert_eq(save_capturing(db, 2, &text), -1);
    lim.rlim_cur = RLIM_INFINITY;
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    cr_assert_eq(count_lines(text), 1, "%s", text);
    cr_assert(strstr(text, "cannot write"), "%s", text);
    free(text);
    char *dir = prop_dir(root, PROP);
    cr_assert_eq(count_files(dir, true), 1,
                 "the temp file is removed, the old failure kept");
    free(dir);
    db_close(db);
    remove_root(root);
}

/* ---- concurrency and crashes --------------------------------------------- */

/* Fork `kids` savers of `each` failures each (kid k saves base(k) + i),
 * released together through a pipe. */
static void run_savers(const char *root, int kids, uint64_t each,
                       bool overlap)
{
    int go[2];
    cr_assert_eq(pipe(go), 0);
    pid_t pids[8];
    gf_db *shared = db_open(root); /* inherited: the children share a salt */
    for (int k = 0; k < kids; k++) {
        pids[k] = fork();
        cr_assert_neq(pids[k], -1);
        if (pids[k] == 0) {
            close(go[1]);
            char c;
            if (read(go[0], &c, 1) != 0)
                _exit(2);
            int bad = 0;
            for (uint64_t i = 0; i < each; i++) {
                uint64_t base = overlap ? 0 : (uint64_t)k * 100000;
                bytes_vec e = make_enc(base + i);
                bad |= db_save(shared, PROP, e.p, e.n, stderr) != 0;
                bv_free(&e);
            }
            db_close(shared);
            _exit(bad);
        }
    }
    close(go[0]);
    close(go[1]); /* EOF releases every child at once */
    for (int k = 0; k < kids; k++) {
        int status;
        cr_assert_eq(waitpid(pids[k], &status, 0), pids[k]);
        cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "saver %d failed", k);
    }
    db_close(shared);
}

Test(db, concurrent_savers_lose_nothing, .timeout = 60)
{
    char *root = make_root();
    run_savers(root, 4, 200, false);
    gf_db *db = db_open(root);
    load_result r = load(db, PROP);
    cr_assert_eq(r.n, 800);
    cr_assert_str_empty(r.err);
    load_free(&r);
    char *dir = prop_dir(root, PROP);
    cr_assert_eq(count_files(dir, true), 800, "no temp file is left");
    free(dir);
    db_close(db);
    remove_root(root);
}

Test(db, concurrent_savers_of_the_same_failures, .timeout = 60)
{
    char *root = make_root();
    run_savers(root, 4, 100, true);
    gf_db *db = db_open(root);
    load_result r = load(db, PROP);
    cr_assert_eq(r.n, 100);
    cr_assert_str_empty(r.err);
    load_free(&r);
    db_close(db);
    remove_root(root);
}

/* The child of the test below: new failures and, every other save, an old
 * one replaced, until killed; a byte on `first` after the first save. */
static GF_NORETURN void save_forever(const char *root, int first[2])
{
    close(first[0]);
    gf_db *db = db_open(root);
    for (uint64_t i = 0;; i++) {
        bytes_vec e = make_enc(i % 2 ? i / 2 % 50 : 1000 + i);
        db_save(db, PROP, e.p, e.n, stderr);
        bv_free(&e);
        if (i == 0 && (write(first[1], "", 1) != 1 || close(first[1]) != 0))
            _exit(2);
    }
}

/* Kill a saver at a random moment, many times: whatever is under a final
 * name must load cleanly.  (Writing in place instead of renaming fails
 * this in nearly every run of the test.) */
Test(db, sigkill_mid_save_leaves_a_readable_database, .timeout = 60)
{
    char *root = make_root();
    char *dir = prop_dir(root, PROP);
    struct timespec seed;
    clock_gettime(CLOCK_MONOTONIC, &seed);
    srand((unsigned)seed.tv_nsec);
    for (int round = 0; round < 20; round++) {
        int first[2];
        cr_assert_eq(pipe(first), 0);
        pid_t pid = fork();
        cr_assert_neq(pid, -1);
        if (pid == 0)
            save_forever(root, first);
        /* Wait for the first save (slow under valgrind), then kill the
         * saver somewhere in the stream of saves after it. */
        close(first[1]);
        char c;
        cr_assert_eq(read(first[0], &c, 1), 1);
        close(first[0]);
        struct timespec wait = {0, (rand() % 50) * 1000000L};
        nanosleep(&wait, NULL);
        cr_assert_eq(kill(pid, SIGKILL), 0);
        int status;
        cr_assert_eq(waitpid(pid, &status, 0), pid);
        cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

        gf_db *db = db_open(root);
        load_result r = load(db, PROP);
        cr_assert_str_empty(r.err, "round %d: %s", round, r.err);
        cr_assert_gt(r.n, 0);
        cr_assert_eq(r.n, count_files(dir, false),
                     "every file under a final name loads");
        load_free(&r);
        db_close(db);
    }
    free(dir);
    remove_root(root);
}

Test(db, stale_temp_files_are_swept_by_the_next_save)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    save_ok(db, PROP, 1);
    db_close(db);
    char *dir = prop_dir(root, PROP);
    char *old = xasprintf("%s/.tmp-99-1-0000000000000001", dir);
    char *young = xasprintf("%s/.tmp-99-2-0000000000000002", dir);
    write_bytes(old, "gadfly-failure 1\n", 17);
    write_bytes(young, "gadfly-failure 1\n", 17);
    struct timespec times[2] = {{time(NULL) - 120, 0}, {time(NULL) - 120, 0}};
    cr_assert_eq(utimensat(AT_FDCWD, old, times, 0), 0);

    db = db_open(root);
    save_ok(db, PROP, 2);
    cr_assert_not(exists(old), "a temp file older than a minute is removed");
    cr_assert(exists(young), "a younger one may be a live save's");
    load_result r = load(db, PROP);
    cr_assert_eq(r.n, 2);
    cr_assert_str_empty(r.err);
    load_free(&r);
    free(old);
    free(young);
    free(dir);
    db_close(db);
    remove_root(root);
}

/* ---- replacing, limits, links ------------------------------------------ */

/* A run that replaces a saved failure with its shrunk form and is killed
 * part way (here: SIGXFSZ, at the new file's first write) keeps the old
 * one: the new file is saved before the old is forgotten. */
Test(db, killed_while_replacing_keeps_the_old_failure)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    save_ok(db, PROP, 1);
    bytes_vec old = make_enc(1), shrunk = make_enc(4);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_DFL);
        struct rlimit lim = {.rlim_cur = 1, .rlim_max = RLIM_INFINITY};
        setrlimit(RLIMIT_FSIZE, &lim);
        db_replace(db, PROP, old.p, old.n, shrunk.p, shrunk.n, NULL);
        _exit(0);
    }
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ,
              "the saver was not killed at its write (status %d)", status);
    char *path = enc_path(root, PROP, &old);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "the old failure was lost");
    free(path);
    /* Unkilled, the replacement forgets the old one. */
    cr_assert_eq(db_replace(db, PROP, old.p, old.n, shrunk.p, shrunk.n, NULL), 0);
    bytes_vec *encs = NULL;
    cr_assert_eq(db_load(db, PROP, &encs, NULL), 1);
    cr_assert(encs[0].n == shrunk.n && memcmp(encs[0].p, shrunk.p, shrunk.n) == 0);
    bv_free(&encs[0]);
    free(encs);
    bv_free(&old);
    bv_free(&shrunk);
    db_close(db);
    remove_root(root);
}

/* A valid file just under the size limit made of one-byte choices would
 * decode to tens of millions of choices, gigabytes: it is skipped at the
 * choice limit instead, within an address space of 1 GiB. */
Test(db, huge_valid_file_is_skipped_cheaply)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    size_t n = ((size_t)64 << 20) - 256;
    uint8_t *enc = malloc(n);
    cr_assert(enc);
    memset(enc, 0x20, n); /* TAG_FALSE: a one-byte boolean choice */
    buffer b;
    buffer_init(&b);
    cr_assert(buffer_decode(enc, 64, SIZE_MAX, &b), "0x20 is a valid choice");
    buffer_free(&b);
    cr_assert_eq(db_save(db, PROP, enc, n, stderr), 0);
    free(enc);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        /* AddressSanitizer reserves terabytes of address space for its
         * shadow: there the limit would stop the test, not the loader. */
#if !defined(__SANITIZE_ADDRESS__)
        struct rlimit lim = {.rlim_cur = (rlim_t)1 << 30,
                             .rlim_max = RLIM_INFINITY};
        setrlimit(RLIMIT_AS, &lim);
#endif
        FILE *err = fopen("/dev/null", "w");
        bytes_vec *encs = NULL;
        size_t got = db_load(db, PROP, &encs, err);
        _exit(got == 0 ? 0 : 1);
    }
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "loading the file failed or ran out of memory (status %d)",
              status);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    bytes_vec *encs = NULL;
    cr_assert_eq(db_load(db, PROP, &encs, mem), 0);
    fclose(mem);
    cr_assert(strstr(text, "more than 1048576 choices"), "%s", text);
    free(text);
    db_close(db);
    remove_root(root);
}

/* A property directory that is a symbolic link is never followed: no
 * file is read, created or removed through it. */
Test(db, linked_property_directory_is_not_followed)
{
    char *root = make_root();
    char *outside = xasprintf("%s/outside", root);
    char *dbdir = xasprintf("%s/db", root);
    cr_assert_eq(mkdir(outside, 0777), 0);
    cr_assert_eq(mkdir(dbdir, 0777), 0);
    char *old_temp = xasprintf("%s/.tmp-1-1-0", outside);
    int fd = open(old_temp, O_WRONLY | O_CREAT, 0666);
    cr_assert(fd >= 0);
    close(fd);
    struct timespec times[2] = {{.tv_sec = 1000}, {.tv_sec = 1000}};
    cr_assert_eq(utimensat(AT_FDCWD, old_temp, times, 0), 0);
    char *link = prop_dir(dbdir, PROP);
    cr_assert_eq(symlink(outside, link), 0);
    gf_db *db = db_open(dbdir);
    bytes_vec e = make_enc(2);
    cr_assert_eq(db_save(db, PROP, e.p, e.n, NULL), -1);
    bytes_vec *encs = NULL;
    cr_assert_eq(db_load(db, PROP, &encs, NULL), 0);
    db_forget(db, PROP, e.p, e.n);
    struct stat st;
    cr_assert_eq(stat(old_temp, &st), 0, "a file outside was removed");
    cr_assert_eq(count_files(outside, true), 1, "a file was made outside");
    bv_free(&e);
    db_close(db);
    free(link);
    free(old_temp);
    free(outside);
    free(dbdir);
    remove_root(root);
}

/* A link planted at a failure's name is neither read nor written
 * through. */
Test(db, linked_failure_file_is_not_followed)
{
    char *root = make_root();
    gf_db *db = db_open(root);
    save_ok(db, PROP, 3);
    bytes_vec e = make_enc(3);
    char *path = enc_path(root, PROP, &e);
    char *target = xasprintf("%s/target", root);
    cr_assert_eq(rename(path, target), 0);
    cr_assert_eq(symlink(target, path), 0);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    bytes_vec *encs = NULL;
    cr_assert_eq(db_load(db, PROP, &encs, mem), 0);
    fclose(mem);
    cr_assert(strstr(text, "symbolic link"), "%s", text);
    free(text);
    bv_free(&e);
    free(path);
    free(target);
    db_close(db);
    remove_root(root);
}

/* A relative directory is resolved when the database is opened: a later
 * chdir does not move it. */
Test(db, relative_directory_is_resolved_at_open)
{
    char *root = make_root();
    char *here = getcwd(NULL, 0);
    cr_assert_eq(chdir(root), 0);
    gf_db *db = db_open("rel");
    cr_assert_eq(chdir("/"), 0);
    save_ok(db, PROP, 5);
    cr_assert_eq(chdir(here), 0);
    char *abs = xasprintf("%s/rel", root);
    bytes_vec e = make_enc(5);
    char *path = enc_path(abs, PROP, &e);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "not saved under %s", abs);
    bv_free(&e);
    free(path);
    free(abs);
    free(here);
    db_close(db);
    remove_root(root);
}
