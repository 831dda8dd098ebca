/* test_utf8.c - the UTF-8 module: decoding, columns, NFC. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static int run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

static const struct {
    const char *s;
    size_t len;                 /* bytes of the first code point, or bad bytes */
    int32_t cp;                 /* -1: invalid */
} decode_cases[] = {
    { "a", 1, 'a' },
    { "\xC3\xA9", 2, 0xE9 },
    { "\xE6\x9D\xB1", 3, 0x6771 },
    { "\xF0\x9F\x98\x80", 4, 0x1F600 },
    { "\xC0\xAF", 1, -1 },          /* overlong */
    { "\xE0\x80\xAF", 1, -1 },      /* overlong */
    { "\xED\xA0\x80", 1, -1 },      /* a surrogate */
    { "\xF4\x90\x80\x80", 1, -1 },  /* above U+10FFFF */
    { "\xE9", 1, -1 },              /* Latin-1 */
    { "\xE6\x9D", 1, -1 },          /* truncated */
    { "\x80", 1, -1 },              /* a lone continuation byte */
};

START_TEST(decode)
{
    int32_t cp;
    size_t n = utf8_decode(decode_cases[_i].s, strlen(decode_cases[_i].s), &cp);
    ck_assert_uint_eq(n, decode_cases[_i].len);
    ck_assert_int_eq(cp, decode_cases[_i].cp);
}
END_TEST

START_TEST(valid_prefix)
{
    ck_assert_uint_eq(utf8_valid_prefix("abc", 3), 3);
    ck_assert_uint_eq(utf8_valid_prefix("caf\xC3\xA9", 5), 5);
    ck_assert_uint_eq(utf8_valid_prefix("caf\xE9!", 5), 3);
    ck_assert_uint_eq(utf8_valid_prefix("", 0), 0);
}
END_TEST

START_TEST(columns)
{
    const char *t = "\tZo\xC3\xAB \xF0\x9F\x98\x80 \xE6\x9D\xB1x";   /* \tZoë 😀 東x */
    size_t n = strlen(t);
    ck_assert_uint_eq(utf8_columns(t, n, UTF8_BYTES, 0), n);
    ck_assert_uint_eq(utf8_columns(t, n, UTF8_CHARS, 0), 9);
    ck_assert_uint_eq(utf8_columns(t, n, UTF8_UTF16, 0), 10);
    /* tab to 8, Zoë 3, blank, emoji 2, blank, 東 2, x */
    ck_assert_uint_eq(utf8_columns(t, n, UTF8_DISPLAY, 0), 8 + 3 + 1 + 2 + 1 + 2 + 1);
    /* a tab counts from where the text starts */
    ck_assert_uint_eq(utf8_columns("\t", 1, UTF8_DISPLAY, 3), 5);
    /* a combining accent takes no column */
    ck_assert_uint_eq(utf8_columns("e\xCC\x81", 3, UTF8_DISPLAY, 0), 1);
    ck_assert_uint_eq(utf8_columns("e\xCC\x81", 3, UTF8_CHARS, 0), 2);
    /* an invalid byte is one of everything */
    ck_assert_uint_eq(utf8_columns("a\xE9z", 3, UTF8_CHARS, 0), 3);
    ck_assert_uint_eq(utf8_columns("a\xE9z", 3, UTF8_UTF16, 0), 3);
    ck_assert_uint_eq(utf8_columns("a\xE9z", 3, UTF8_DISPLAY, 0), 3);
}
END_TEST

START_TEST(offsets)
{
    const char *t = "Zo\xC3\xAB \xF0\x9F\x98\x80!";    /* Zoë 😀! */
    size_t n = strlen(t);
    ck_assert_uint_eq(utf8_offset_of(t, n, UTF8_UTF16, 0), 0);
    ck_assert_uint_eq(utf8_offset_of(t, n, UTF8_UTF16, 3), 4);     /* the blank */
    ck_assert_uint_eq(utf8_offset_of(t, n, UTF8_UTF16, 4), 5);     /* the emoji */
    ck_assert_uint_eq(utf8_offset_of(t, n, UTF8_UTF16, 5), 5);     /* inside it */
    ck_assert_uint_eq(utf8_offset_of(t, n, UTF8_UTF16, 6), 9);     /* ! */
    ck_assert_uint_eq(utf8_offset_of(t, n, UTF8_UTF16, 99), n);
    ck_assert_uint_eq(utf8_offset_of(t, n, UTF8_CHARS, 3), 4);
    ck_assert_uint_eq(utf8_offset_of(t, n, UTF8_BYTES, 3), 2);     /* not inside ë */
    ck_assert_uint_eq(utf8_offset_of(t, n, UTF8_BYTES, 4), 4);
    ck_assert_uint_eq(utf8_offset_of(t, n, UTF8_DISPLAY, 6), 9);
    /* the inverse of utf8_columns at every code point boundary */
    for (size_t i = 0; i <= n;) {
        for (int u = UTF8_BYTES; u <= UTF8_UTF16; u++)
            ck_assert_uint_eq(utf8_offset_of(t, n, (enum utf8_unit)u,
                                             utf8_columns(t, i, (enum utf8_unit)u, 0)), i);
        int32_t cp;
        i += i < n ? utf8_decode(t + i, n - i, &cp) : 1;
    }
}
END_TEST

START_TEST(dangerous)
{
    ck_assert(utf8_is_dangerous(0x1b, false));
    ck_assert(utf8_is_dangerous(0x7f, false));
    ck_assert(utf8_is_dangerous(0x85, false));
    ck_assert(utf8_is_dangerous(0x2028, false));
    ck_assert(!utf8_is_dangerous('\t', false));
    ck_assert(!utf8_is_dangerous(0xE9, true));
    ck_assert(!utf8_is_dangerous(0x202e, false));
    ck_assert(utf8_is_dangerous(0x202e, true));
    ck_assert(utf8_is_dangerous(0x200b, true));
    ck_assert(utf8_is_dangerous(0xfeff, true));
}
END_TEST

static char *nfc(const char *s)
{
    size_t n = strlen(s), cap = 8;
    for (;;) {
        char *out = malloc(cap + 1);
        size_t len = utf8_nfc(s, n, out, cap);
        if (len == SIZE_MAX) {
            free(out);
            return NULL;
        }
        if (len <= cap) {
            out[len] = '\0';
            return out;
        }
        free(out);
        cap = len;
    }
}

START_TEST(normalization)
{
    char *a = nfc("Cafe\xCC\x81 Ltd");         /* e + combining acute */
    ck_assert_str_eq(a, "Caf\xC3\xA9 Ltd");
    free(a);
    a = nfc("Caf\xC3\xA9 Ltd");                /* already NFC */
    ck_assert_str_eq(a, "Caf\xC3\xA9 Ltd");
    free(a);
    a = nfc("\xE2\x84\xAB");                   /* ANGSTROM SIGN -> Å */
    ck_assert_str_eq(a, "\xC3\x85");
    free(a);
    ck_assert_ptr_null(nfc("caf\xE9"));
    ck_assert(utf8_is_nfc_quick("Acme Corp", 9));
    ck_assert(utf8_is_nfc_quick("Caf\xC3\xA9", 5));
    ck_assert(!utf8_is_nfc_quick("Cafe\xCC\x81", 6));
    ck_assert(!utf8_is_nfc_quick("\xE6\x9D\xB1", 3));
}
END_TEST

/* "A" and n marks alternating acute (class 230) and cedilla (202): out of
 * canonical order, so NFC has to sort them. */
static char *marks(int n)
{
    char *s = malloc(2 + 2 * (size_t)n);
    char *p = s;
    *p++ = 'A';
    for (int i = 0; i < n; i++) {
        *p++ = '\xCC';
        *p++ = i % 2 ? '\xA7' : '\x81';
    }
    *p = '\0';
    return s;
}

START_TEST(normalization_stream_safe)
{
    /* Up to 30 marks in a row: normalized (an acute composed with the A,
     * U+00C1, then the cedillas first). */
    char *s = marks(UTF8_NFC_MAX_MARKS);
    char *a = nfc(s);
    ck_assert_ptr_nonnull(a);
    ck_assert_str_ne(a, s);
    ck_assert_mem_eq(a, "\xC3\x81\xCC\xA7\xCC\xA7", 6);
    free(a);
    free(s);
    /* One more: kept as written (sorting a long run is quadratic). */
    s = marks(UTF8_NFC_MAX_MARKS + 1);
    ck_assert_ptr_null(nfc(s));
    free(s);
    /* Runs broken by a starter count apart. */
    char *x = marks(UTF8_NFC_MAX_MARKS), *y = marks(UTF8_NFC_MAX_MARKS);
    size_t nx = strlen(x);
    char *xy = malloc(nx + strlen(y) + 1);
    memcpy(xy, x, nx);
    strcpy(xy + nx, y);
    a = nfc(xy);
    ck_assert_ptr_nonnull(a);
    free(a);
    free(xy);
    free(x);
    free(y);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("utf8");
    tcase_add_loop_test(tc, decode, 0, (int)(sizeof decode_cases / sizeof decode_cases[0]));
    tcase_add_test(tc, valid_prefix);
    tcase_add_test(tc, columns);
    tcase_add_test(tc, offsets);
    tcase_add_test(tc, dangerous);
    tcase_add_test(tc, normalization);
    tcase_add_test(tc, normalization_stream_safe);
    suite_add_tcase(s, tc);
    return run(s);
}
