/* fuzz_fmt.c - libFuzzer harness over the formatter (cli.md §6).
 *
 * Each input is one journal file.  When ladder_fmt() formats it (no syntax
 * error), the harness aborts unless the three properties of issue #16 hold:
 *   1. fmt(fmt(x)) == fmt(x), byte for byte, and fmt(x) has no syntax error;
 *   2. fmt(x) differs from x only in blanks, line ends and the spelling of
 *      dates and times: the non-blank bytes are the same, in order, once
 *      every word that is a date (YYYY-M-D with - / or .) or a time (H:MM)
 *      is spelt canonically on both sides;
 *   3. linting x and fmt(x) gives the same diagnostics (rule ids, as a
 *      multiset), the same entries and the same clients.
 *
 *   make fuzz-fmt FUZZ_SECONDS=600
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ladder.h"

#define FUZZ_NAME "/nonexistent-ladder-fuzz/fuzz.ladder"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *a, size_t alen, const char *b,
                 size_t blen)
{
    fprintf(stderr, "fuzz_fmt: %s\n--- input ---\n", what);
    fwrite(a, 1, alen, stderr);
    fputs("\n--- formatted ---\n", stderr);
    if (b)
        fwrite(b, 1, blen, stderr);
    fputs("\n--- end ---\n", stderr);
    abort();
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int digits(const char *p, size_t n, size_t *i, int max)
{
    int v = 0, k = 0;
    while (*i < n && p[*i] >= '0' && p[*i] <= '9' && k < max) {
        v = v * 10 + (p[*i] - '0');
        (*i)++;
        k++;
    }
    return k ? v : -1;
}

/* The non-blank bytes of t, dates and times spelt canonically. */
static char *squeeze(const char *t, size_t n, size_t *outlen)
{
    char *o = malloc(n * 2 + 16);
    size_t k = 0, i = 0;
    while (i < n) {
        if (is_blank(t[i])) {
            i++;
            continue;
        }
        size_t s = i;
        while (i < n && !is_blank(t[i]))
            i++;
        /* a word [s, i) */
        size_t q = s;
        int y, m, d, h, mi;
        char sep;
        if ((y = digits(t, i, &q, 4)) >= 0 && q - s == 4 && q < i &&
            ((sep = t[q]) == '-' || sep == '/' || sep == '.')) {
            size_t q0 = ++q;
            m = digits(t, i, &q, 2);
            if (m >= 0 && q > q0 && q < i && t[q] == sep) {
                size_t q1 = ++q;
                d = digits(t, i, &q, 2);
                if (d >= 0 && q > q1 && q == i) {
                    k += (size_t)sprintf(o + k, "%04d-%02d-%02d", y, m, d);
                    continue;
                }
            }
        }
        q = s;
        if ((h = digits(t, i, &q, 2)) >= 0 && q < i && t[q] == ':') {
            size_t q0 = ++q;
            mi = digits(t, i, &q, 2);
            if (mi >= 0 && q == q0 + 2 && q == i) {
                k += (size_t)sprintf(o + k, "%02d:%02d", h, mi);
                continue;
            }
        }
        memcpy(o + k, t + s, i - s);
        k += i - s;
    }
    *outlen = k;
    return o;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted rule ids of j's diagnostics, and its counts. */
static void summary(const ladder_journal *j, const char ***ids, size_t *n,
                    size_t *entries, size_t *clients)
{
    *n = ladder_diag_count(j);
    *ids = malloc((*n + 1) * sizeof **ids);
    for (size_t i = 0; i < *n; i++)
        (*ids)[i] = ladder_diag_rule(ladder_diag_at(j, i));
    qsort(*ids, *n, sizeof **ids, cmp_str);
    *entries = ladder_entry_count(j);
    *clients = ladder_client_count(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ladder_config *cfg;
    if (!cfg) {
        cfg = ladder_config_new(NULL);
        ladder_config_set(cfg, LADDER_SET_TODAY, "2011-06-01", NULL);
    }
    if (size > (1u << 20))
        return 0;
    const char *x = (const char *)data;
    char *f1 = NULL, *f2 = NULL;
    size_t l1 = 0, l2 = 0;
    ladder_error err;
    ladder_journal *j = ladder_fmt(cfg, FUZZ_NAME, x, size, &f1, &l1, &err);
    if (!j)
        return 0;                   /* out of memory */
    ladder_journal_free(j);
    if (!f1)
        return 0;                   /* a syntax error: not formatted */
    j = ladder_fmt(cfg, FUZZ_NAME, f1, l1, &f2, &l2, &err);
    if (!j)
        abort();
    ladder_journal_free(j);
    if (!f2)
        fail("the formatted text has a syntax error", x, size, f1, l1);
    if (l1 != l2 || memcmp(f1, f2, l1) != 0)
        fail("not idempotent: fmt(fmt(x)) != fmt(x)", f1, l1, f2, l2);
    ladder_fmt_free(cfg, f2);

    size_t sa, sb;
    char *a = squeeze(x, size, &sa), *b = squeeze(f1, l1, &sb);
    if (sa != sb || memcmp(a, b, sa) != 0)
        fail("more than blanks, line ends and dates changed", x, size, f1, l1);
    free(a);
    free(b);

    ladder_journal *ja = ladder_lint_bytes(cfg, FUZZ_NAME, x, size, &err);
    ladder_journal *jb = ladder_lint_bytes(cfg, FUZZ_NAME, f1, l1, &err);
    if (ja && jb) {
        const char **ia, **ib;
        size_t na, nb, ea, eb, ca, cb;
        summary(ja, &ia, &na, &ea, &ca);
        summary(jb, &ib, &nb, &eb, &cb);
        int bad = na != nb || ea != eb || ca != cb;
        for (size_t i = 0; !bad && i < na; i++)
            bad = strcmp(ia[i], ib[i]) != 0;
        for (size_t i = 0; !bad && i < ca; i++) {
            ladder_client_info a1, b1;
            ladder_client_get(ja, i, &a1);
            ladder_client_get(jb, i, &b1);
            bad = strcmp(a1.name, b1.name) != 0 || a1.nentries != b1.nentries;
        }
        if (bad) {
            for (size_t i = 0; i < na; i++)
                fprintf(stderr, "before: %s\n", ia[i]);
            for (size_t i = 0; i < nb; i++)
                fprintf(stderr, "after:  %s\n", ib[i]);
            fail("linting the formatted text gives other diagnostics", x, size, f1, l1);
        }
        free(ia);
        free(ib);
    }
    ladder_journal_free(ja);
    ladder_journal_free(jb);
    ladder_fmt_free(cfg, f1);
    return 0;
}
