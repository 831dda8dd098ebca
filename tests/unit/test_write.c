/* test_write.c - safe rewriting (src/write.c, cli.md §4): the file is
 * replaced only when it is still what was read; its mode is kept; no
 * temporary file is left behind.  Also ladder_fmt over the allocator. */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ladder.h"
#include "write.h"

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/ladder-write-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static char *get_file(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Files in dir other than j.ladder (temporary files left behind). */
static int others(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            strcmp(e->d_name, "j.ladder"))
            n++;
    closedir(d);
    return n;
}

static void cleanup(const char *path)
{
    unlink(path);
    rmdir(dir);
}

START_TEST(replaces_and_keeps_mode)
{
    make_dir();
    char path[128], why[512], *bytes;
    size_t len;
    struct snapshot snap;
    snprintf(path, sizeof path, "%s/j.ladder", dir);
    put_file(path, "old text\n");
    chmod(path, 0640);
    ck_assert(write_read(path, &bytes, &len, &snap, why, sizeof why));
    ck_assert_uint_eq(len, 9);
    ck_assert(write_replace(path, &snap, bytes, len, "new text\n", 9, why, sizeof why));
    ck_assert_str_eq(get_file(path), "new text\n");
    struct stat st;
    stat(path, &st);
    ck_assert_uint_eq(st.st_mode & 07777, 0640);
    ck_assert_int_eq(others(), 0);
    free(bytes);
    cleanup(path);
}
END_TEST

/* Changed between read and write: by content (same size and mtime put
 * back), by size, by being replaced (another inode). */
START_TEST(refuses_a_changed_file)
{
    make_dir();
    char path[128], why[512], *bytes;
    size_t len;
    struct snapshot snap;
    snprintf(path, sizeof path, "%s/j.ladder", dir);
    for (int how = 0; how < 3; how++) {
        put_file(path, "old text\n");
        ck_assert(write_read(path, &bytes, &len, &snap, why, sizeof why));
        if (how == 0) {
            put_file(path, "OLD TEXT\n");
            struct timespec ts[2] = { snap.mtime, snap.mtime };
            utimensat(AT_FDCWD, path, ts, 0);
        } else if (how == 1) {
            put_file(path, "old text, and more\n");
        } else {
            char other[160];
            snprintf(other, sizeof other, "%s/other", dir);
            put_file(other, "old text\n");
            rename(other, path);
        }
        char before[64];
        snprintf(before, sizeof before, "%s", get_file(path));
        ck_assert(!write_replace(path, &snap, bytes, len, "new text\n", 9, why, sizeof why));
        ck_assert_msg(strstr(why, "changed on disk") != NULL, "%d: %s", how, why);
        ck_assert_str_eq(get_file(path), before);
        ck_assert_int_eq(others(), 0);
        free(bytes);
    }
    cleanup(path);
}
END_TEST

START_TEST(refuses_links_and_fifos)
{
    make_dir();
    char path[128], target[160], why[512], *bytes = NULL;
    size_t len;
    struct snapshot snap;
    snprintf(path, sizeof path, "%s/j.ladder", dir);
    snprintf(target, sizeof target, "%s/t", dir);
    put_file(target, "x\n");
    ck_assert_int_eq(symlink("t", path), 0);
    ck_assert(!write_read(path, &bytes, &len, &snap, why, sizeof why));
    ck_assert(strstr(why, "symbolic link") != NULL);
    unlink(path);
    unlink(target);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert(!write_read(path, &bytes, &len, &snap, why, sizeof why));
    ck_assert(strstr(why, "not a regular file") != NULL);
    /* Read as a file, then replaced by a FIFO. */
    unlink(path);
    put_file(path, "x\n");
    ck_assert(write_read(path, &bytes, &len, &snap, why, sizeof why));
    unlink(path);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert(!write_replace(path, &snap, bytes, len, "y\n", 2, why, sizeof why));
    free(bytes);
    ck_assert_int_eq(others(), 0);
    cleanup(path);
}
END_TEST

/* ladder_fmt: every allocation may fail; nothing leaks (ASan) and no
 * partial text comes back. */
static int budget;
static void *t_alloc(void *ud, size_t n) { (void)ud; return budget-- > 0 ? malloc(n) : NULL; }
static void *t_realloc(void *ud, void *p, size_t n) { (void)ud; return budget-- > 0 ? realloc(p, n) : NULL; }
static void t_free(void *ud, void *p) { (void)ud; free(p); }

START_TEST(fmt_under_allocation_failure)
{
    static const char text[] = "; c\n2011/2/3   acme | t ; x\n  plan intro\n\n\n  next none\n";
    static const char want[] = "; c\n2011-02-03 acme | t  ; x\n    plan  intro\n    next  none\n";
    ladder_allocator al = { t_alloc, t_realloc, t_free, NULL };
    int ok = 0;
    for (int b = 0; b < 400 && !ok; b++) {
        budget = 1000000;
        ladder_config *cfg = ladder_config_new(&al);
        ck_assert_ptr_nonnull(cfg);
        budget = b;
        char *out = NULL;
        size_t n = 0;
        ladder_error err;
        ladder_journal *j = ladder_fmt(cfg, "j.ladder", text, sizeof text - 1, &out, &n, &err);
        if (j) {
            if (out) {
                ck_assert_str_eq(out, want);
                ck_assert_uint_eq(n, sizeof want - 1);
                ok = 1;
            }
            ladder_journal_free(j);
        } else {
            ck_assert_int_eq(err.status, LADDER_ENOMEM);
            ck_assert_ptr_null(out);
        }
        ladder_fmt_free(cfg, out);
        budget = 1000000;
        ladder_config_free(cfg);
    }
    ck_assert_msg(ok, "never formatted within the budgets tried");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("write");
    TCase *tc = tcase_create("write");
    tcase_add_test(tc, replaces_and_keeps_mode);
    tcase_add_test(tc, refuses_a_changed_file);
    tcase_add_test(tc, refuses_links_and_fifos);
    tcase_add_test(tc, fmt_under_allocation_failure);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
