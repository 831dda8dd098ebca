/* test_lsp_text.c - the language server's line index (lsp_text.c): where
 * each line starts by the LSP's rules (a line ends at "\n", "\r\n" or a
 * lone "\r"), and offsets as positions over it. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lsp.h"
#include "testutil.h"

static const struct {
    const char *text;
    size_t n;                   /* lines */
    uint32_t start[8];          /* where each starts */
} line_cases[] = {
    { "", 1, { 0 } },
    { "abc", 1, { 0 } },
    { "\n", 2, { 0, 1 } },
    { "a\nb", 2, { 0, 2 } },
    { "a\nb\n", 3, { 0, 2, 4 } },
    { "a\r\nb\r\n", 3, { 0, 3, 6 } },
    { "a\rb\rc", 3, { 0, 2, 4 } },
    { "\r", 2, { 0, 1 } },
    { "\r\n", 2, { 0, 2 } },
    { "\n\r", 3, { 0, 1, 2 } },
    { "\r\r\n\n", 4, { 0, 1, 3, 4 } },
    { "x\n\ry\r\nz\rw", 5, { 0, 2, 3, 6, 8 } },
    { "ab\r", 2, { 0, 3 } },
};

START_TEST(lines)
{
    const char *t = line_cases[_i].text;
    lsp_lines l;
    ck_assert(lsp_lines_build(&l, t, strlen(t)));
    ck_assert_uint_eq(l.n, line_cases[_i].n);
    for (size_t k = 0; k < l.n; k++)
        ck_assert_uint_eq(l.start[k], line_cases[_i].start[k]);
    lsp_lines_free(&l);
}
END_TEST

/* The index of a long text of mixed line breaks (past the first guess of
 * its size) against a byte-at-a-time count. */
START_TEST(lines_long)
{
    size_t len = 200000;
    char *t = malloc(len);
    ck_assert_ptr_nonnull(t);
    unsigned x = 12345;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        unsigned r = (x >> 16) % 8;
        t[i] = r == 0 ? '\n' : r == 1 ? '\r' : (char)('a' + r);
    }
    lsp_lines l;
    ck_assert(lsp_lines_build(&l, t, len));
    size_t n = 1;
    for (size_t i = 0; i < len; i++) {
        if (t[i] != '\n' && t[i] != '\r')
            continue;
        if (t[i] == '\r' && i + 1 < len && t[i + 1] == '\n')
            i++;
        ck_assert_uint_lt(n, l.n);
        ck_assert_uint_eq(l.start[n], i + 1);
        n++;
    }
    ck_assert_uint_eq(l.n, n);
    lsp_lines_free(&l);
    free(t);
}
END_TEST

START_TEST(positions)
{
    const char *t = "ab\r\nZo\xC3\xAB \xF0\x9F\x98\x80 x\rend";
    lsp_lines l;
    ck_assert(lsp_lines_build(&l, t, strlen(t)));
    uint32_t line, ch;
    lsp_offset_to_pos(&l, t, strlen(t), 3, false, &line, &ch);   /* inside "\r\n" */
    ck_assert_uint_eq(line, 0);
    ck_assert_uint_eq(ch, 2);
    size_t x = (size_t)(strchr(t, 'x') - t);
    lsp_offset_to_pos(&l, t, strlen(t), x, false, &line, &ch);
    ck_assert_uint_eq(line, 1);
    ck_assert_uint_eq(ch, 7);           /* Z o ë space 😀(2) space */
    lsp_offset_to_pos(&l, t, strlen(t), x, true, &line, &ch);
    ck_assert_uint_eq(ch, 10);
    lsp_offset_to_pos(&l, t, strlen(t), strlen(t), false, &line, &ch);
    ck_assert_uint_eq(line, 2);
    ck_assert_uint_eq(ch, 3);
    lsp_lines_free(&l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lsp_text");
    TCase *tc = tcase_create("lines");
    tcase_add_loop_test(tc, lines, 0, sizeof line_cases / sizeof line_cases[0]);
    tcase_add_test(tc, lines_long);
    tcase_add_test(tc, positions);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
