/*
 * test_fuzz.c - fuzzer bytes as choices (src/fuzz.c): the mapping (no
 * bytes and zero bytes give the simplest case, a byte one higher gives the
 * next simplest value, the same bytes the same case), its inverse (every
 * recorded case encodes to bytes that draw it again), gf_fuzz_one passing
 * silently without allocating and aborting with a report on a failure, and
 * the seed-corpus zip read back by a reader written here.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <ftw.h>
#include <malloc.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gadfly/fuzz.h>

#include "core/dedup.h"
#include "core/index.h"
#include "engine/run.h"
#include "front/fuzz.h"
#include "store/db.h"

/* ---- helpers ------------------------------------------------------------ */

static gf_case fc;

static void setup(void)
{
    case_init(&fc);
}

static void teardown(void)
{
    case_free(&fc);
}

TestSuite(fuzz, .init = setup, .fini = teardown);

/* Run fn on the fuzz bytes, recording choices and spans. */
static void run_fuzz(gf_property_fn fn, const uint8_t *data, size_t n)
{
    case_reset(&fc, NULL, TAIL_FUZZ, 1.0);
    fc.fuzz = data;
    fc.fuzz_len = n;
    fc.fuzz_pos = 0;
    case_execute(&fc, fn);
    fc.fuzz = NULL;
}

static void run_mode(gf_property_fn fn, tail_mode tail, uint64_t seed)
{
    case_reset(&fc, NULL, tail, 1.0);
    gf_rng_seed(&fc.rng, seed);
    case_execute(&fc, fn);
}

static bool same_choices(const buffer *a, const buffer *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        const choice *x = &a->ch[i], *y = &b->ch[i];
        if (x->kind != y->kind)
            return false;
        if (x->kind == CHOICE_DOUBLE) {
            double dx = bits_to_double(x->value), dy = bits_to_double(y->value);
            /* NaN keeps its sign; its payload is not part of the mapping. */
            if (isnan(dx) && isnan(dy) && !signbit(dx) == !signbit(dy))
                continue;
        }
        if (x->kind == CHOICE_BYTES) {
            if (x->len != y->len ||
                (x->len && memcmp(buffer_bytes(a, x), buffer_bytes(b, y), x->len)))
                return false;
            continue;
        }
        if (x->value != y->value)
            return false;
    }
    return true;
}

/* Every kind of draw, with constraints of every shape. */
static void draw_everything(gf_case *c)
{
    gf_draw_int(c, -5, 5);
    gf_draw_int(c, INT64_MIN, INT64_MAX);
    gf_draw_uint(c, 0, UINT64_MAX);
    gf_draw_uint(c, 10, 300);
    gf_draw_int_toward(c, -1000, 1000, 17);
    gf_draw_int(c, 3, 3);
    gf_force_int(c, 0, 10, 7);
    gf_draw_bool(c);
    gf_draw_weighted(c, 0.9);
    gf_draw_weighted(c, 1.0);
    gf_force_bool(c, true);
    gf_draw_double(c, -INFINITY, INFINITY, 0);
    gf_draw_double(c, 0.5, 3.0, 0);
    gf_draw_double(c, -1e300, -1e-300, GF_DOUBLE_NO_SUBNORMAL);
    gf_draw_double(c, 0, INFINITY, GF_DOUBLE_NO_NEG_ZERO);
    gf_draw_double(c, 2.5, 2.5, 0);
    size_t n;
    gf_draw_bytes(c, 0, 10, &n);
    gf_draw_bytes(c, 2, 1000, &n);
    gf_draw(c, gf_array(gf_int8(), 1, 5));
    gf_draw(c, gf_utf8(0, 8));
    gf_draw(c, gf_double());
}

/* ---- the mapping ------------------------------------------------------------ */

Test(fuzz, no_bytes_and_zero_bytes_give_the_simplest_case)
{
    run_mode(draw_everything, TAIL_SIMPLEST, 0);
    cr_assert_eq(fc.status, CASE_OK);
    buffer simplest;
    buffer_init(&simplest);
    buffer_copy(&simplest, &fc.rec);

    run_fuzz(draw_everything, NULL, 0);
    cr_assert_eq(fc.status, CASE_OK);
    cr_assert(same_choices(&simplest, &fc.rec), "no bytes is not the simplest case");

    static const uint8_t zeros[4096];
    run_fuzz(draw_everything, zeros, sizeof zeros);
    cr_assert(same_choices(&simplest, &fc.rec), "zero bytes are not the simplest case");
    buffer_free(&simplest);
}

static uint64_t one_int_value;
static void draw_one_uint(gf_case *c)
{
    one_int_value = gf_draw_uint(c, 0, 1000);
}
static void draw_one_signed(gf_case *c)
{
    one_int_value = (uint64_t)gf_draw_int(c, -300, 300);
}

Test(fuzz, integers_take_fixed_big_endian_bytes_as_the_index)
{
    /* [0, 1000] has 1001 values: two bytes, big-endian, modulo 1001. */
    for (unsigned u = 0; u < 65536; u += 7) {
        uint8_t b[3] = {(uint8_t)(u >> 8), (uint8_t)u, 0xAB};
        run_fuzz(draw_one_uint, b, sizeof b);
        cr_assert_eq(one_int_value, u % 1001, "bytes %u gave %" PRIu64, u,
                     one_int_value);
        cr_assert_eq(fc.fuzz_pos, 2, "a [0, 1000] draw took %zu bytes",
                     fc.fuzz_pos);
    }
    /* A truncated draw reads the bytes that are there as a smaller number. */
    uint8_t one = 9;
    run_fuzz(draw_one_uint, &one, 1);
    cr_assert_eq(one_int_value, 9);
}

Test(fuzz, a_byte_one_higher_is_the_next_simplest_value)
{
    choice_spec s = {.lo = (uint64_t)-300, .hi = 300, .target = 0};
    int64_t prev = 0;
    for (unsigned u = 0; u <= 600; u++) {
        uint8_t b[2] = {(uint8_t)(u >> 8), (uint8_t)u};
        run_fuzz(draw_one_signed, b, sizeof b);
        int64_t v = (int64_t)one_int_value;
        cr_assert_eq(int_index(&s, true, (uint64_t)v), u);
        /* Counting outward from 0: each step moves the value by at most
         * its own size plus one, never across the range. */
        cr_assert(llabs(v) <= llabs(prev) + 1, "%u: %lld after %lld", u,
                  (long long)v, (long long)prev);
        prev = v;
    }
}

static double one_double;
static void draw_one_double(gf_case *c)
{
    one_double = gf_draw_double(c, -INFINITY, INFINITY, 0);
}

Test(fuzz, doubles_count_whole_numbers_first_and_keep_their_sign_on_top)
{
    for (unsigned k = 0; k < 300; k++) {
        uint8_t b[8] = {0, 0, 0, 0, 0, 0, (uint8_t)(k >> 8), (uint8_t)k};
        run_fuzz(draw_one_double, b, sizeof b);
        cr_assert_eq(one_double, (double)k);
        b[0] = 0x80;
        run_fuzz(draw_one_double, b, sizeof b);
        cr_assert_eq(one_double, -(double)k);
        cr_assert(signbit(one_double));
    }
    /* Past the whole numbers, infinity and NaN, then fractions. */
    uint8_t inf[8] = {0, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE};
    run_fuzz(draw_one_double, inf, 8);
    cr_assert(isinf(one_double) && one_double > 0);
    uint8_t nan[8] = {0x80, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    run_fuzz(draw_one_double, nan, 8);
    cr_assert(isnan(one_double) && signbit(one_double));
    /* 2^52 + 1024 * 2^52: the first fraction of exponent rank 1024. */
    uint8_t half[8] = {0x40, 0x10, 0, 0, 0, 0, 0, 0};
    run_fuzz(draw_one_double, half, 8);
    cr_assert_eq(one_double, 0.5);
    uint8_t third[8] = {0x40, 0x10, 0, 0, 0, 0, 0, 1};
    run_fuzz(draw_one_double, third, 8);
    cr_assert(one_double > 0.5 && one_double < 1, "got %g", one_double);
}

static uint8_t any_bytes_copy[64];
static size_t any_bytes_len;
static void draw_any_bytes(gf_case *c)
{
    const uint8_t *p = gf_draw_bytes(c, 0, 64, &any_bytes_len);
    memcpy(any_bytes_copy, p, any_bytes_len);
}

Test(fuzz, bytes_are_a_length_then_the_data)
{
    const uint8_t in[] = {5, 'h', 'e', 'l', 'l', 'o', 'x'};
    run_fuzz(draw_any_bytes, in, sizeof in);
    cr_assert_eq(any_bytes_len, 5);
    cr_assert(memcmp(any_bytes_copy, "hello", 5) == 0);
    /* A length past the input: the data that is there, then zeros. */
    const uint8_t cut[] = {4, 'a', 'b'};
    run_fuzz(draw_any_bytes, cut, sizeof cut);
    cr_assert_eq(any_bytes_len, 4);
    cr_assert(memcmp(any_bytes_copy, "ab\0\0", 4) == 0);
}

Test(fuzz, the_same_bytes_give_the_same_case)
{
    uint64_t x = 0x9E3779B97F4A7C15ull;
    uint8_t in[512];
    for (int round = 0; round < 50; round++) {
        for (size_t i = 0; i < sizeof in; i++)
            in[i] = (uint8_t)(gf_splitmix64(&x) >> 56);
        size_t n = (size_t)(gf_splitmix64(&x) % sizeof in);
        run_fuzz(draw_everything, in, n);
        buffer first;
        buffer_init(&first);
        buffer_copy(&first, &fc.rec);
        run_fuzz(draw_everything, in, n);
        cr_assert(same_choices(&first, &fc.rec), "round %d differs", round);
        buffer_free(&first);
    }
}

/* ---- the inverse ------------------------------------------------------------ */

Test(fuzz, every_generated_case_encodes_to_bytes_that_draw_it_again)
{
    buffer orig;
    buffer_init(&orig);
    bytes_vec bytes = {0};
    for (uint64_t seed = 1; seed <= 2000; seed++) {
        run_mode(draw_everything, TAIL_RANDOM, seed);
        cr_assert_eq(fc.status, CASE_OK);
        buffer_copy(&orig, &fc.rec);
        bytes.n = 0;
        fuzz_encode(&orig, &bytes);
        run_fuzz(draw_everything, bytes.p, bytes.n);
        cr_assert_eq(fc.status, CASE_OK);
        cr_assert(same_choices(&orig, &fc.rec), "seed %" PRIu64, seed);
        cr_assert_eq(fc.fuzz_pos, bytes.n, "seed %" PRIu64 ": %zu of %zu bytes",
                     seed, fc.fuzz_pos, bytes.n);
    }
    bv_free(&bytes);
    buffer_free(&orig);
}

/* ---- gf_fuzz_one -------------------------------------------------------------- */

GF_PROPERTY(fuzz_small_sum)
{
    int64_t a = gf_draw_int(tc, 0, 1000);
    int64_t b = gf_draw_int(tc, 0, 1000);
    gf_assume(tc, a != 999);
    gf_note(tc, "a + b = %lld", (long long)(a + b));
    GF_ASSERT(tc, a + b < 1500);
}

/* Run gf_fuzz_one on data in a child with stderr in a file; the child's
 * wait status, and its stderr in out (malloc'd). */
static int fuzz_in_child(const uint8_t *data, size_t n, char **out)
{
    char path[] = "/tmp/gadfly-fuzz-err-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        dup2(fd, 2);
        int rc = gf_fuzz_one(&gf_prop_fuzz_small_sum, data, n);
        _exit(rc == 0 ? 0 : 5);
    }
    int status;
    waitpid(pid, &status, 0);
    struct stat st;
    fstat(fd, &st);
    *out = calloc(1, (size_t)st.st_size + 1);
    cr_assert(pread(fd, *out, (size_t)st.st_size, 0) == st.st_size);
    close(fd);
    unlink(path);
    return status;
}

Test(fuzz, a_passing_or_discarded_input_returns_0_and_prints_nothing)
{
    const uint8_t pass[] = {0x01, 0x00, 0x01, 0x00};   /* 256 + 256 */
    const uint8_t discard[] = {0x03, 0xE7, 0x03, 0xE7}; /* a = 999 */
    cr_assert_eq(gf_fuzz_one(&gf_prop_fuzz_small_sum, pass, sizeof pass), 0);
    cr_assert_eq(gf_fuzz_one(&gf_prop_fuzz_small_sum, discard, sizeof discard), 0);
    char *err;
    int status = fuzz_in_child(pass, sizeof pass, &err);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    cr_assert_str_empty(err);
    free(err);
}

Test(fuzz, a_failing_input_aborts_after_the_report)
{
    const uint8_t fail[] = {0x03, 0x20, 0x03, 0x20}; /* 800 + 800 */
    char *err;
    int status = fuzz_in_child(fail, sizeof fail, &err);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
              "status %d; stderr:\n%s", status, err);
    cr_assert(strstr(err, "#1 = 800"), "%s", err);
    cr_assert(strstr(err, "#2 = 800"), "%s", err);
    cr_assert(strstr(err, "note: a + b = 1600"), "%s", err);
    cr_assert(strstr(err, "test_fuzz.c:"), "%s", err);
    cr_assert(strstr(err, "--replay gf1:"), "%s", err);
    cr_assert(strstr(err, "--replay-file"), "%s", err);
    free(err);
}

Test(fuzz, gf_fuzz_one_allocates_nothing_per_call_once_warmed_up)
{
    uint8_t in[64][8];
    uint64_t x = 42;
    for (int i = 0; i < 64; i++)
        for (int k = 0; k < 8; k++)
            in[i][k] = k % 2 ? (uint8_t)(gf_splitmix64(&x) >> 56) : 0; /* < 256: all pass */
    for (int i = 0; i < 64; i++)
        gf_fuzz_one(&gf_prop_fuzz_small_sum, in[i], 8);
    struct mallinfo2 before = mallinfo2();
    for (int round = 0; round < 200; round++)
        for (int i = 0; i < 64; i++)
            gf_fuzz_one(&gf_prop_fuzz_small_sum, in[i], (size_t)(i % 9));
    struct mallinfo2 after = mallinfo2();
    cr_assert_eq(after.uordblks, before.uordblks, "%zu bytes allocated",
                 after.uordblks - before.uordblks);
}

/* ---- corpus export and import ------------------------------------------------- */

static char *root;

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_root(void)
{
    if (root)
        nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(root);
    root = NULL;
}

static void corpus_setup(void)
{
    root = strdup("/tmp/gadfly-corpus-XXXXXX");
    cr_assert(root && mkdtemp(root));
}

TestSuite(corpus, .init = corpus_setup, .fini = remove_root);

GF_PROPERTY(corpus_no_big_bytes)
{
    size_t n;
    const uint8_t *p = gf_draw_bytes(tc, 0, 16, &n);
    double d = gf_draw_double(tc, -10, 10, 0);
    for (size_t i = 0; i < n; i++)
        GF_ASSERT(tc, p[i] < 200 || d > 5);
}

static uint32_t get_le(const uint8_t *p, int k)
{
    uint32_t x = 0;
    for (int i = k - 1; i >= 0; i--)
        x = x << 8 | p[i];
    return x;
}

/* The bitwise CRC-32 of zip, independent of fuzz.c's table. */
static uint32_t crc32_bitwise(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
    }
    return ~crc;
}

typedef struct entry {
    char name[64];
    const uint8_t *data;
    uint32_t size;
} entry;

/* Read a stored-only zip through its central directory, checking every
 * header, size and CRC; returns the number of entries. */
static size_t read_zip(const uint8_t *z, size_t n, entry *out, size_t cap)
{
    cr_assert(n >= 22);
    const uint8_t *eocd = z + n - 22;
    cr_assert_eq(get_le(eocd, 4), 0x06054b50u, "no end of central directory");
    size_t count = get_le(eocd + 10, 2);
    cr_assert_eq(get_le(eocd + 8, 2), count);
    uint32_t cd_size = get_le(eocd + 12, 4), cd_off = get_le(eocd + 16, 4);
    cr_assert_eq((size_t)cd_off + cd_size, n - 22);
    const uint8_t *c = z + cd_off;
    cr_assert(count <= cap);
    for (size_t i = 0; i < count; i++) {
        cr_assert_eq(get_le(c, 4), 0x02014b50u);
        cr_assert_eq(get_le(c + 10, 2), 0, "compressed entry");
        uint32_t crc = get_le(c + 16, 4), size = get_le(c + 24, 4);
        cr_assert_eq(get_le(c + 20, 4), size);
        size_t name_len = get_le(c + 28, 2);
        size_t skip = name_len + get_le(c + 30, 2) + get_le(c + 32, 2);
        uint32_t local = get_le(c + 42, 4);
        const uint8_t *l = z + local;
        cr_assert_eq(get_le(l, 4), 0x04034b50u);
        cr_assert_eq(get_le(l + 14, 4), crc);
        cr_assert_eq(get_le(l + 22, 4), size);
        size_t lname = get_le(l + 26, 2);
        cr_assert(lname == name_len && memcmp(l + 30, c + 46, name_len) == 0);
        const uint8_t *data = l + 30 + lname + get_le(l + 28, 2);
        cr_assert_eq(crc32_bitwise(data, size), crc, "CRC of entry %zu", i);
        cr_assert(name_len < sizeof out[i].name);
        memcpy(out[i].name, c + 46, name_len);
        out[i].name[name_len] = 0;
        out[i].data = data;
        out[i].size = size;
        c += 46 + skip;
    }
    return count;
}

static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s: %s", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    uint8_t *p = malloc((size_t)size + 1);
    cr_assert(fread(p, 1, (size_t)size, f) == (size_t)size);
    fclose(f);
    *n = (size_t)size;
    return p;
}

/* The saved encodings of a property, sorted, as one string of hex lines. */
static char *saved(const char *db_dir, const char *prop)
{
    gf_db *db = db_open(db_dir);
    bytes_vec *encs = NULL;
    size_t n = db_load(db, prop, &encs, NULL);
    size_t cap = 1, len = 0;
    for (size_t i = 0; i < n; i++)
        cap += 2 * encs[i].n + 1;
    char *s = malloc(cap);
    s[0] = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < encs[i].n; k++)
            len += (size_t)sprintf(s + len, "%02x", encs[i].p[k]);
        s[len++] = '\n';
        s[len] = 0;
        bv_free(&encs[i]);
    }
    free(encs);
    db_close(db);
    return s;
}

/* The passing cases an export adds: those of an export from an empty
 * database. */
static size_t passing_seeds(void)
{
    char *db_dir, *out_dir, *zip_path;
    cr_assert(asprintf(&db_dir, "%s/empty-db", root) > 0);
    cr_assert(asprintf(&out_dir, "%s/passing", root) > 0);
    const gf_property *props[] = {&gf_prop_corpus_no_big_bytes};
    gf_options opt = {.db_dir = db_dir, .timeout = -1};
    fuzz_request exp = {.export_dir = out_dir};
    cr_assert_eq(fuzz_cli(&exp, props, 1, &opt, "test"), 0);
    cr_assert(asprintf(&zip_path, "%s/corpus_no_big_bytes_seed_corpus.zip",
                       out_dir) > 0);
    size_t zn;
    uint8_t *z = slurp(zip_path, &zn);
    static entry e[512];
    size_t n = read_zip(z, zn, e, 512);
    cr_assert_gt(n, 10, "only %zu passing cases exported", n);
    free(z);
    free(zip_path);
    free(out_dir);
    free(db_dir);
    return n;
}

Test(corpus, exported_seeds_import_as_the_same_failures)
{
    char *db_dir, *out_dir, *seeds;
    cr_assert(asprintf(&db_dir, "%s/db", root) > 0);
    cr_assert(asprintf(&out_dir, "%s/out", root) > 0);
    cr_assert(asprintf(&seeds, "%s/seeds", root) > 0);
    /* Failures saved by runs with a few seeds. */
    for (uint64_t seed = 1; seed <= 6; seed++) {
        gf_options opt = {.seed = seed, .seed_set = true, .db_dir = db_dir,
                          .quiet = true, .timeout = -1};
        gf_run(&gf_prop_corpus_no_big_bytes, &opt, NULL);
    }
    char *before = saved(db_dir, "corpus_no_big_bytes");
    cr_assert(before[0], "no failure was saved");

    const gf_property *props[] = {&gf_prop_corpus_no_big_bytes};
    gf_options opt = {.db_dir = db_dir, .timeout = -1};
    fuzz_request exp = {.export_dir = out_dir};
    cr_assert_eq(fuzz_cli(&exp, props, 1, &opt, "test"), 0);
    char *zip_path;
    cr_assert(asprintf(&zip_path, "%s/corpus_no_big_bytes_seed_corpus.zip",
                       out_dir) > 0);
    size_t zn;
    uint8_t *z = slurp(zip_path, &zn);
    static entry entries[512];
    size_t count = read_zip(z, zn, entries, 512);
    cr_assert(count >= 1);

    /* The seeds, failing and passing ones, into the corpus to import. */
    cr_assert_eq(mkdir(seeds, 0700), 0);
    for (size_t i = 0; i < count; i++) {
        char *path;
        cr_assert(asprintf(&path, "%s/%s", seeds, entries[i].name) > 0);
        FILE *f = fopen(path, "wb");
        cr_assert(fwrite(entries[i].data, 1, entries[i].size, f) == entries[i].size);
        fclose(f);
        free(path);
    }
    /* Imported into an empty database: the very same saved failures. */
    char *db2;
    cr_assert(asprintf(&db2, "%s/db2", root) > 0);
    gf_options opt2 = {.db_dir = db2, .timeout = -1};
    fuzz_request imp = {.import_dir = seeds};
    cr_assert_eq(fuzz_cli(&imp, props, 1, &opt2, "test"), 1);
    char *after = saved(db2, "corpus_no_big_bytes");
    cr_assert_str_eq(after, before);
    free(after);
    free(before);
    free(z);
    free(zip_path);
    free(db2);
    free(seeds);
    free(out_dir);
    free(db_dir);
}

Test(corpus, the_zip_of_a_known_entry_is_byte_exact)
{
    /* A database with one hand-made failure: the bytes "\xC8" and 0.0. */
    char *db_dir, *out_dir;
    cr_assert(asprintf(&db_dir, "%s/db", root) > 0);
    cr_assert(asprintf(&out_dir, "%s/out", root) > 0);
    buffer b;
    buffer_init(&b);
    choice *c = buffer_push(&b);
    *c = (choice){.kind = CHOICE_BYTES, .len = 1};
    uint8_t byte = 0xC8;
    c->value = buffer_push_bytes(&b, &byte, 1);
    c = buffer_push(&b);
    *c = (choice){.kind = CHOICE_DOUBLE, .value = double_to_bits(0.0)};
    bytes_vec enc = {0};
    buffer_encode(&b, &enc);
    gf_db *db = db_open(db_dir);
    cr_assert_eq(db_save(db, "corpus_no_big_bytes", enc.p, enc.n, NULL), 0);
    db_close(db);

    const gf_property *props[] = {&gf_prop_corpus_no_big_bytes};
    gf_options opt = {.db_dir = db_dir, .timeout = -1};
    fuzz_request exp = {.export_dir = out_dir};
    cr_assert_eq(fuzz_cli(&exp, props, 1, &opt, "test"), 0);
    char *zip_path;
    cr_assert(asprintf(&zip_path, "%s/corpus_no_big_bytes_seed_corpus.zip",
                       out_dir) > 0);
    size_t zn;
    uint8_t *z = slurp(zip_path, &zn);
    static entry e[512];
    /* The failure first, then the passing cases. */
    cr_assert_eq(read_zip(z, zn, e, 512), 1 + passing_seeds());
    /* Length index 1 in one byte ([0, 16]), the byte, then 0.0 as eight
     * zero bytes. */
    const uint8_t want[] = {1, 0xC8, 0, 0, 0, 0, 0, 0, 0, 0};
    cr_assert_eq(e[0].size, sizeof want);
    cr_assert(memcmp(e[0].data, want, sizeof want) == 0);
    free(z);
    free(zip_path);
    bv_free(&enc);
    buffer_free(&b);
    free(out_dir);
    free(db_dir);
}

/* Save a case of corpus_no_big_bytes: n bytes of value `byte`, then 0.0. */
static void save_case(const char *db_dir, size_t n, uint8_t byte)
{
    buffer b;
    buffer_init(&b);
    uint8_t data[64];
    memset(data, byte, sizeof data);
    choice *c = buffer_push(&b);
    *c = (choice){.kind = CHOICE_BYTES, .len = (uint32_t)n};
    c->value = buffer_push_bytes(&b, data, n);
    c = buffer_push(&b);
    *c = (choice){.kind = CHOICE_DOUBLE, .value = double_to_bits(0.0)};
    bytes_vec enc = {0};
    buffer_encode(&b, &enc);
    gf_db *db = db_open(db_dir);
    cr_assert_eq(db_save(db, "corpus_no_big_bytes", enc.p, enc.n, NULL), 0);
    db_close(db);
    bv_free(&enc);
    buffer_free(&b);
}

Test(corpus, saved_cases_the_property_reads_alike_are_one_seed)
{
    char *db_dir, *out_dir, *zip_path;
    cr_assert(asprintf(&db_dir, "%s/db", root) > 0);
    cr_assert(asprintf(&out_dir, "%s/out", root) > 0);
    /* 17 and 18 bytes both read as the 16 the property allows. */
    save_case(db_dir, 17, 0xC8);
    save_case(db_dir, 18, 0xC8);
    save_case(db_dir, 3, 0xC9);
    const gf_property *props[] = {&gf_prop_corpus_no_big_bytes};
    gf_options opt = {.db_dir = db_dir, .timeout = -1};
    fuzz_request exp = {.export_dir = out_dir};
    cr_assert_eq(fuzz_cli(&exp, props, 1, &opt, "test"), 0);
    cr_assert(asprintf(&zip_path, "%s/corpus_no_big_bytes_seed_corpus.zip",
                       out_dir) > 0);
    size_t zn;
    uint8_t *z = slurp(zip_path, &zn);
    static entry e[512];
    cr_assert_eq(read_zip(z, zn, e, 512), 2 + passing_seeds());
    cr_assert_str_neq(e[0].name, e[1].name);
    free(z);
    free(zip_path);
    free(out_dir);
    free(db_dir);
}
