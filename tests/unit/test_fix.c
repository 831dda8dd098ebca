/* test_fix.c - fixes through ladder.h (edits, applicability, the fixed
 * text), and `lint --fix` (fix_cmd.h) when the file is replaced on disk
 * while it is being fixed: the replacement must survive, nothing written.
 *
 * The moment comes from the config's allocator: the library allocates
 * through it at every step, so the Nth allocation after the first lint is
 * a point between reading the file and writing it. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fix_cmd.h"
#include "ladder.h"

static int run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

static const char journal[] =
    "2011-02-14 * Acme | First ; ladder-ignore: no-plan, missing-next -- walk-in\n"
    "    ask   intro  x -> yes\n"
    "    next  none\n"
    "\n"
    "2011-02-01 * Acme | Earlier\n"
    "    ask   intro  y -> yes\n"
    "    next  none\n";

static const char fixed[] =
    "2011-02-01 * Acme | Earlier\n"
    "    ask   intro  y -> yes\n"
    "    next  none\n"
    "\n"
    "2011-02-14 * Acme | First\n"
    "    ask   intro  x -> yes\n"
    "    next  none\n";

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static char *get(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

START_TEST(fixes_through_the_api)
{
    ladder_config *cfg = ladder_config_new(NULL);
    ladder_error err;
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_TODAY, "2011-06-01", &err), LADDER_OK);
    ladder_journal *j = ladder_lint_bytes(cfg, "j.ladder", journal, strlen(journal), &err);
    ck_assert_ptr_nonnull(j);
    size_t safe = 0, sugg = 0;
    for (size_t i = 0; i < ladder_diag_count(j); i++) {
        const ladder_diag *d = ladder_diag_at(j, i);
        const char *rule = ladder_diag_rule(d);
        size_t nf = ladder_diag_fix_count(j, d);
        for (size_t k = 0; k < nf; k++) {
            const ladder_fix *f = ladder_diag_fix_at(j, d, k);
            ck_assert_ptr_nonnull(f);
            ck_assert(ladder_fix_description(f)[0] != '\0');
            ck_assert_uint_gt(ladder_fix_edit_count(f), 0);
            if (ladder_fix_applicability(f) == LADDER_FIX_SAFE) {
                ck_assert_uint_eq(k, 0);            /* the safe one comes first */
                ck_assert(strcmp(rule, "unused-ignore") == 0 || strcmp(rule, "date-order") == 0);
                safe++;
            } else {
                sugg++;
            }
            for (size_t q = 0; q < ladder_fix_edit_count(f); q++) {
                ladder_edit e = ladder_fix_edit_at(f, q);
                ck_assert_uint_eq(e.span.file, 0);
                ck_assert_uint_le(e.span.start, e.span.end);
                ck_assert_uint_le(e.span.end, strlen(journal));
                ck_assert_uint_eq(strlen(e.text), e.len);
            }
        }
        ck_assert_ptr_null(ladder_diag_fix_at(j, d, nf));
    }
    /* Two unused ids (one fix each, the same edit) and the date order. */
    ck_assert_uint_eq(safe, 3);
    ck_assert_uint_ge(sugg, 1);             /* date-order's ladder-ignore */
    size_t applied = 0;
    size_t n = ladder_fix_file(j, 0, NULL, 0, &applied);
    ck_assert_uint_ne(n, (size_t)-1);
    char *out = malloc(n + 1);
    ck_assert_uint_eq(ladder_fix_file(j, 0, out, n, &applied), n);
    out[n] = '\0';
    /* The removal and the move do not overlap: one run does both (the
     * second unused id's fix is the same edit, taken once). */
    ck_assert_uint_eq(applied, 2);
    ck_assert_str_eq(out, fixed);
    ladder_journal_free(j);
    j = ladder_lint_bytes(cfg, "j.ladder", out, n, &err);
    ck_assert_ptr_nonnull(j);
    char *out2 = strdup(out);
    ladder_journal_free(j);
    j = ladder_lint_bytes(cfg, "j.ladder", out2, strlen(out2), &err);
    ck_assert_uint_eq(ladder_fix_file(j, 0, NULL, 0, &applied), strlen(fixed));
    ck_assert_uint_eq(applied, 0);
    ladder_journal_free(j);
    free(out);
    free(out2);
    ladder_config_free(cfg);
}
END_TEST

/* An allocator that counts, and replaces the file at one count. */
struct spy {
    long count, at;
    const char *path;
    bool done;
};

static void *spy_alloc(void *ud, size_t n)
{
    struct spy *s = ud;
    if (++s->count == s->at && s->path) {
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s.other", s->path);
        put(tmp, "2011-03-01 * Someone | edited elsewhere\n");
        ck_assert_int_eq(rename(tmp, s->path), 0);
        s->done = true;
    }
    return malloc(n);
}

static void *spy_realloc(void *ud, void *p, size_t n)
{
    return p ? realloc(p, n) : spy_alloc(ud, n);
}

static void spy_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

START_TEST(replaced_while_fixing)
{
    char dir[] = "/tmp/ladder-fix-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[600];
    snprintf(path, sizeof path, "%s/j.ladder", dir);

    /* How many allocations one lint of the journal takes. */
    struct spy s = { 0, 0, NULL, false };
    ladder_allocator a = { spy_alloc, spy_realloc, spy_free, &s };
    put(path, journal);
    ladder_config *cfg = ladder_config_new(&a);
    ladder_error err;
    ladder_config_set(cfg, LADDER_SET_TODAY, "2011-06-01", &err);
    ladder_config_keep_text(cfg, true);
    ladder_journal *j = ladder_lint_file(cfg, path, &err);
    ck_assert_ptr_nonnull(j);
    ladder_journal_free(j);
    ladder_config_keep_text(cfg, false);
    long one = s.count;
    ck_assert_int_gt(one, 5);

    /* Unhindered, the whole fix is applied. */
    s.count = 0;
    ck_assert_int_eq(ladder_fix_files(cfg, path), 0);
    ck_assert_str_eq(get(path), fixed);
    long all = s.count;
    ck_assert_int_gt(all, 2 * one);

    /* Replaced at points from the end of the first lint to the last lint:
     * refused, and the replacement stands. */
    long points[] = { one + 1, one + 3, 2 * one, all - 2 };
    for (size_t k = 0; k < sizeof points / sizeof *points; k++) {
        put(path, journal);
        s.count = 0;
        s.at = points[k];
        s.path = path;
        s.done = false;
        int rc = ladder_fix_files(cfg, path);
        ck_assert_msg(s.done, "allocation %ld never came (of %ld)", points[k], all);
        ck_assert_msg(rc == 2, "replaced at allocation %ld: exit %d", points[k], rc);
        ck_assert_str_eq(get(path), "2011-03-01 * Someone | edited elsewhere\n");
        s.path = NULL;
    }
    ladder_config_free(cfg);
    char tmp[700];
    snprintf(tmp, sizeof tmp, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(tmp), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fix");
    TCase *tc = tcase_create("fix");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, fixes_through_the_api);
    tcase_add_test(tc, replaced_while_fixing);
    suite_add_tcase(s, tc);
    return run(s);
}
