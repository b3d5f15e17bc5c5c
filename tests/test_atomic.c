/*
 * test_atomic.c - files written whole or not at all (src/store/atomic.c),
 * as the database, the reports, the HTML page and exported corpora are:
 * the target is the old file until the commit and the new one after, a
 * link at the target is replaced rather than written through, and an
 * abandoned or failed write leaves no temporary file behind.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/atomic.h"

static char root[64];

static void make_root(void)
{
    snprintf(root, sizeof root, "/tmp/gadfly-atomic-XXXXXX");
    cr_assert(mkdtemp(root), "mkdtemp: %s", strerror(errno));
}

static void remove_root(void)
{
    int dfd = open(root, O_RDONLY | O_DIRECTORY);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlinkat(dfd, e->d_name, 0);
    if (d)
        closedir(d);
    rmdir(root);
}

static char *in_root(const char *name)
{
    char *p = malloc(strlen(root) + strlen(name) + 2);
    sprintf(p, "%s/%s", root, name);
    return p;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

/* The number of files in root. */
static int entries(void)
{
    int n = 0;
    DIR *d = opendir(root);
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

Test(atomic, the_target_changes_only_at_the_commit, .init = make_root,
     .fini = remove_root)
{
    char *path = in_root("report.xml");
    write_text(path, "old");
    atomic_file f;
    cr_assert_eq(atomic_open(&f, AT_FDCWD, path, NULL), 0, "%s",
                 strerror(errno));
    cr_assert(atomic_write(&f, "new text", 8));
    cr_expect_str_eq(read_text(path), "old", "the target changed early");
    cr_expect_eq(entries(), 2, "the temp file is beside the target");
    cr_assert_eq(atomic_commit(&f, true), 0, "%s", strerror(errno));
    cr_expect_str_eq(read_text(path), "new text");
    cr_expect_eq(entries(), 1, "the temp file is left behind");
    atomic_release(&f);
    free(path);
}

Test(atomic, an_abandoned_write_leaves_the_old_file, .init = make_root,
     .fini = remove_root)
{
    char *path = in_root("page.html");
    write_text(path, "old");
    atomic_file f;
    cr_assert_eq(atomic_open(&f, AT_FDCWD, path, NULL), 0);
    cr_assert(atomic_write(&f, "half", 4));
    atomic_abandon(&f);
    atomic_release(&f);
    cr_expect_str_eq(read_text(path), "old");
    cr_expect_eq(entries(), 1, "the temp file is left behind");
    free(path);
}

/* A link at the target is replaced by the file, not written through. */
Test(atomic, a_link_at_the_target_is_replaced, .init = make_root,
     .fini = remove_root)
{
    char *victim = in_root("victim");
    char *path = in_root("out.json");
    write_text(victim, "precious");
    cr_assert_eq(symlink(victim, path), 0);
    atomic_file f;
    cr_assert_eq(atomic_open(&f, AT_FDCWD, path, NULL), 0);
    cr_assert(atomic_write(&f, "{}", 2));
    cr_assert_eq(atomic_commit(&f, false), 0);
    atomic_release(&f);
    struct stat st;
    cr_assert_eq(lstat(path, &st), 0);
    cr_expect(S_ISREG(st.st_mode), "the target is still a link");
    cr_expect_str_eq(read_text(victim), "precious");
    cr_expect_str_eq(read_text(path), "{}");
    free(victim);
    free(path);
}

/* Relative to a directory, with the database's temp names: each write
 * takes a fresh name, and two open at once do not collide. */
Test(atomic, temp_names_are_fresh_in_a_directory, .init = make_root,
     .fini = remove_root)
{
    int dfd = open(root, O_RDONLY | O_DIRECTORY);
    cr_assert(dfd >= 0);
    atomic_file a, b;
    cr_assert_eq(atomic_open(&a, dfd, "one", ".tmp-"), 0);
    cr_assert_eq(atomic_open(&b, dfd, "one", ".tmp-"), 0);
    cr_expect_str_neq(a.tmp, b.tmp);
    cr_expect(strncmp(a.tmp, ".tmp-", 5) == 0, "temp name %s", a.tmp);
    cr_assert(atomic_write(&a, "a", 1) && atomic_write(&b, "b", 1));
    cr_assert_eq(atomic_commit(&a, true), 0);
    cr_assert_eq(atomic_commit(&b, true), 0);
    atomic_release(&a);
    atomic_release(&b);
    close(dfd);
    char *path = in_root("one");
    cr_expect_str_eq(read_text(path), "b", "the last commit wins");
    cr_expect_eq(entries(), 1);
    free(path);
}

Test(atomic, a_missing_directory_is_an_error)
{
    atomic_file f;
    cr_expect_eq(atomic_open(&f, AT_FDCWD, "/nonexistent-gadfly/x", NULL), -1);
    cr_expect_eq(errno, ENOENT);
    atomic_release(&f);
}
