/* fmt_cmd.c - `ladder fmt [-w | --check | --diff] FILE... | -` (cli.md §6).
 *
 * Each file is read whole, formatted alone (includes are not followed) and
 * checked: the canonical text must parse and be its own canonical form, or
 * nothing is printed or written for that file.  -w rewrites only the files
 * that change (write.h), so a canonical file keeps its mtime. */
#include "fmt_cmd.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ladder.h"
#include "write.h"

static const char fmt_usage[] =
    "usage: ladder fmt [-w | --check | --diff] [OPTIONS] FILE... | -\n"
    "\n"
    "Print each journal file in canonical form (ladder(1), FMT); includes are\n"
    "not followed.  - reads standard input and writes standard output.\n"
    "\n"
    "  -w, --write          rewrite the files that are not canonical (atomically;\n"
    "                       refused when a file changed since it was read, is not a\n"
    "                       regular file, or the result would not parse)\n"
    "  --check              print the names of files that are not canonical; exit 1\n"
    "                       if there are any\n"
    "  --diff               print a unified diff from each file to its canonical form\n"
    "  --stdin-filename NAME  the name to report for -\n"
    "  --today, --since, --strict, --option, --rule  accepted, as lint's (no effect)\n"
    "\n"
    "A file with a syntax error is not formatted: its errors go to standard error\n"
    "in lint's gcc form.  Exit status: 0 done, 1 --check found files to format,\n"
    "2 usage error, syntax error, unreadable file or refused write.\n";

enum mode { M_PRINT, M_WRITE, M_CHECK, M_DIFF };

static int usage(const char *msg, const char *arg)
{
    fputs("ladder: ", stderr);
    fprintf(stderr, msg, arg);
    fputs(" (try 'ladder fmt --help')\n", stderr);
    return 2;
}

/* --- a unified diff over lines (Myers) --------------------------------------- */

struct lines {
    const char **p;                 /* each line's start; p[n] the end */
    size_t n;
};

static bool split(const char *t, size_t len, struct lines *l)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (t[i] == '\n')
            n++;
    if (len && t[len - 1] != '\n')
        n++;
    l->p = malloc((n + 1) * sizeof *l->p);
    if (!l->p)
        return false;
    size_t k = 0;
    l->p[k++] = t;
    for (size_t i = 0; i < len && k <= n; i++)
        if (t[i] == '\n' && k < n)
            l->p[k++] = t + i + 1;
    l->p[n] = t + len;
    l->n = n;
    return true;
}

static bool line_eq(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
    size_t la = (size_t)(a->p[i + 1] - a->p[i]), lb = (size_t)(b->p[j + 1] - b->p[j]);
    return la == lb && memcmp(a->p[i], b->p[j], la) == 0;
}

static void put_line(FILE *o, char tag, const struct lines *l, size_t i)
{
    size_t n = (size_t)(l->p[i + 1] - l->p[i]);
    fputc(tag, o);
    fwrite(l->p[i], 1, n, o);
    if (n == 0 || l->p[i][n - 1] != '\n')
        fputs("\n\\ No newline at end of file\n", o);
}

/* The edit script as a sequence of ops: '=' keep, '-' delete, '+' insert. */
static char *edit_script(const struct lines *a, const struct lines *b, size_t *nops)
{
    size_t n = a->n, m = b->n, max = n + m;
    size_t off = max + 1, w = 2 * max + 3;
    /* The V array of each round d, kept for the way back: O(D * (N + M)). */
    long **trace = calloc(max + 2, sizeof *trace);
    long *v = calloc(w, sizeof *v);
    if (!trace || !v) {
        free(trace);
        free(v);
        return NULL;
    }
    size_t dfinal = 0;
    bool done = false;
    for (size_t d = 0; d <= max && !done; d++) {
        trace[d] = malloc(w * sizeof *v);
        if (!trace[d])
            goto oom;
        for (long k = -(long)d; k <= (long)d; k += 2) {
            long x;
            if (k == -(long)d || (k != (long)d && v[off + k - 1] < v[off + k + 1]))
                x = v[off + k + 1];
            else
                x = v[off + k - 1] + 1;
            long y = x - k;
            while ((size_t)x < n && (size_t)y < m && line_eq(a, (size_t)x, b, (size_t)y))
                x++, y++;
            v[off + k] = x;
            if ((size_t)x >= n && (size_t)y >= m) {
                done = true;
                break;
            }
        }
        memcpy(trace[d], v, w * sizeof *v);
        dfinal = d;
    }
    char *ops = malloc(max + 1);
    if (!ops)
        goto oom;
    size_t nop = 0;
    long x = (long)n, y = (long)m;
    for (size_t d = dfinal + 1; d-- > 0;) {
        long k = x - y;
        long *vd = d ? trace[d - 1] : NULL;
        long pk, px, py;
        if (d == 0) {
            while (x > 0 && y > 0) {
                ops[nop++] = '=';
                x--, y--;
            }
            break;
        }
        if (k == -(long)d || (k != (long)d && vd[off + k - 1] < vd[off + k + 1]))
            pk = k + 1;
        else
            pk = k - 1;
        px = vd[off + pk];
        py = px - pk;
        while (x > px && y > py) {
            ops[nop++] = '=';
            x--, y--;
        }
        ops[nop++] = x == px ? '+' : '-';
        x = px;
        y = py;
    }
    for (size_t i = 0; i <= dfinal; i++)
        free(trace[i]);
    free(trace);
    free(v);
    for (size_t i = 0; i < nop / 2; i++) {
        char t = ops[i];
        ops[i] = ops[nop - 1 - i];
        ops[nop - 1 - i] = t;
    }
    *nops = nop;
    return ops;
oom:
    for (size_t i = 0; i <= max + 1 && trace[i]; i++)
        free(trace[i]);
    free(trace);
    free(v);
    return NULL;
}

static bool print_diff(FILE *o, const char *name, const char *a, size_t alen,
                       const char *b, size_t blen)
{
    struct lines la, lb;
    if (!split(a, alen, &la))
        return false;
    if (!split(b, blen, &lb)) {
        free(la.p);
        return false;
    }
    size_t nop;
    char *ops = edit_script(&la, &lb, &nop);
    if (!ops) {
        free(la.p);
        free(lb.p);
        return false;
    }
    fprintf(o, "--- %s\n+++ %s\n", name, name);
    enum { CTX = 3 };
    size_t i = 0;
    size_t ai = 0, bi = 0;          /* line numbers at op i */
    while (i < nop) {
        if (ops[i] == '=') {
            i++, ai++, bi++;
            continue;
        }
        /* A hunk: from CTX lines before this change to CTX after the last
         * change closer than 2 * CTX unchanged lines. */
        size_t back = 0;
        while (back < CTX && back < i && ops[i - back - 1] == '=')
            back++;
        size_t s = i - back, as = ai - back, bs = bi - back;
        size_t e = i, run = 0;
        for (size_t q = i; q < nop; q++) {
            if (ops[q] == '=') {
                if (++run > 2 * CTX)
                    break;
            } else {
                run = 0;
                e = q + 1;
            }
        }
        size_t after = 0;
        while (after < CTX && e + after < nop && ops[e + after] == '=')
            after++;
        size_t end = e + after, an = 0, bn = 0;
        for (size_t q = s; q < end; q++) {
            if (ops[q] != '+')
                an++;
            if (ops[q] != '-')
                bn++;
        }
        fprintf(o, "@@ -%zu,%zu +%zu,%zu @@\n", an ? as + 1 : as, an, bn ? bs + 1 : bs, bn);
        size_t x = as, y = bs;
        for (size_t q = s; q < end; q++) {
            if (ops[q] == '=') {
                put_line(o, ' ', &la, x++);
                y++;
            } else if (ops[q] == '-')
                put_line(o, '-', &la, x++);
            else
                put_line(o, '+', &lb, y++);
        }
        i = end;
        ai = x;
        bi = y;
    }
    free(ops);
    free(la.p);
    free(lb.p);
    return true;
}

/* --- the command ---------------------------------------------------------------- */

static void show_errors(const ladder_config *cfg, const ladder_journal *j)
{
    ladder_render_options o = { LADDER_FORMAT_GCC, LADDER_UNIT_BYTE, false, false };
    ladder_error err;
    ladder_renderer *r = ladder_render_begin(cfg, stderr, &o, &err);
    if (!r)
        return;
    ladder_render_journal(r, j, &err);
    ladder_render_end(r, NULL, &err);
}

/* Format one file's bytes: 0 done (*out, *outlen set), 2 refused. */
static int format_one(const ladder_config *cfg, const char *name, const char *bytes,
                      size_t len, char **out, size_t *outlen)
{
    ladder_error err;
    ladder_journal *j = ladder_fmt(cfg, name, bytes, len, out, outlen, &err);
    if (!j) {
        fprintf(stderr, "ladder: %s: %s\n", name, err.message);
        return 2;
    }
    if (!*out) {
        show_errors(cfg, j);
        ladder_journal_free(j);
        return 2;
    }
    ladder_journal_free(j);
    /* The result must parse and be canonical itself: else nothing of it
     * is used (a formatter bug must never reach the user's file). */
    char *again = NULL;
    size_t alen = 0;
    j = ladder_fmt(cfg, name, *out, *outlen, &again, &alen, &err);
    bool ok = j && again && alen == *outlen && memcmp(again, *out, alen) == 0;
    ladder_fmt_free(cfg, again);
    ladder_journal_free(j);
    if (!ok) {
        fprintf(stderr, "ladder: %s: the canonical form would not parse the same: "
                "not formatted (please report this)\n", name);
        ladder_fmt_free(cfg, *out);
        *out = NULL;
        return 2;
    }
    return 0;
}

int ladder_fmt_command(int argc, char **argv)
{
    enum mode mode = M_PRINT;
    const char *stdin_name = NULL;
    int nmodes = 0, dashdash = 0, rc = 0, nfiles = 0;
    ladder_config *cfg = ladder_config_new(NULL);
    ladder_error err;
    char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!cfg || !files) {
        fputs("ladder: out of memory\n", stderr);
        free(files);
        ladder_config_free(cfg);
        return 2;
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (dashdash || a[0] != '-' || strcmp(a, "-") == 0) {
            files[nfiles++] = argv[i];
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t nl = eq ? (size_t)(eq - a) : strlen(a);
        const char *val = eq ? eq + 1 : NULL;
#define IS(s) (nl == strlen(s) && strncmp(a, s, nl) == 0)
        if (strcmp(a, "--") == 0)
            dashdash = 1;
        else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(fmt_usage, stdout);
            rc = fflush(stdout) == 0 ? 0 : 2;
            goto out;
        } else if (!strcmp(a, "-w") || !strcmp(a, "--write")) {
            mode = M_WRITE;
            nmodes++;
        } else if (!strcmp(a, "--check")) {
            mode = M_CHECK;
            nmodes++;
        } else if (!strcmp(a, "--diff")) {
            mode = M_DIFF;
            nmodes++;
        } else if (!strcmp(a, "--strict")) {
            ;
        } else if (IS("--stdin-filename") || IS("--today") || IS("--since") ||
                   IS("--option") || IS("--rule")) {
            char opt[32];
            snprintf(opt, sizeof opt, "%.*s", (int)nl, a);
            if (!val) {
                if (i + 1 >= argc) {
                    rc = usage("%s needs a value", opt);
                    goto out;
                }
                val = argv[++i];
            }
            ladder_setting s = LADDER_SET_TODAY;
            if (!strcmp(opt, "--stdin-filename")) {
                if (!*val) {
                    rc = usage("%s needs a file name", opt);
                    goto out;
                }
                stdin_name = val;
                continue;
            }
            if (!strcmp(opt, "--since")) s = LADDER_SET_SINCE;
            else if (!strcmp(opt, "--option")) s = LADDER_SET_OPTION;
            else if (!strcmp(opt, "--rule")) s = LADDER_SET_RULE;
            if (ladder_config_set(cfg, s, val, &err) != LADDER_OK) {
                fprintf(stderr, "ladder: %s: %s (try 'ladder fmt --help')\n", opt,
                        err.message);
                rc = 2;
                goto out;
            }
        } else {
            rc = usage("fmt: unknown option '%s'", a);
            goto out;
        }
#undef IS
    }
    if (nmodes > 1) {
        rc = usage("%s", "fmt: -w, --check and --diff go one at a time");
        goto out;
    }
    if (nfiles == 0) {
        rc = usage("%s", "fmt: no file named (use - for standard input)");
        goto out;
    }
    for (int f = 0; f < nfiles; f++) {
        bool is_stdin = strcmp(files[f], "-") == 0;
        const char *name = is_stdin ? (stdin_name ? stdin_name : "<stdin>") : files[f];
        char *bytes = NULL, why[1024];
        size_t len = 0;
        struct snapshot snap;
        if (is_stdin) {
            if (mode == M_WRITE) {
                rc = usage("%s", "fmt -w: standard input cannot be rewritten");
                goto out;
            }
            if (!write_read_fd(0, &bytes, &len)) {
                fprintf(stderr, "ladder: %s: %s\n", name, strerror(errno));
                rc = 2;
                continue;
            }
        } else if (mode == M_WRITE) {
            if (!write_read(name, &bytes, &len, &snap, why, sizeof why)) {
                fprintf(stderr, "ladder: %s\n", why);
                rc = 2;
                continue;
            }
        } else {
            FILE *fp = fopen(name, "rb");
            bool ok = fp && write_read_fd(fileno(fp), &bytes, &len);
            int e = errno;
            if (fp)
                fclose(fp);
            if (!ok) {
                fprintf(stderr, "ladder: %s: %s\n", name, strerror(e));
                rc = 2;
                continue;
            }
        }
        char *out = NULL;
        size_t outlen = 0;
        if (format_one(cfg, name, bytes, len, &out, &outlen) != 0) {
            free(bytes);
            rc = 2;
            continue;
        }
        bool changed = outlen != len || memcmp(out, bytes, len) != 0;
        switch (mode) {
        case M_PRINT:
            fwrite(out, 1, outlen, stdout);
            break;
        case M_CHECK:
            if (changed) {
                printf("%s\n", name);
                if (rc == 0)
                    rc = 1;
            }
            break;
        case M_DIFF:
            if (changed && !print_diff(stdout, name, bytes, len, out, outlen)) {
                fprintf(stderr, "ladder: %s: out of memory\n", name);
                rc = 2;
            }
            break;
        case M_WRITE:
            if (changed && !write_replace(name, &snap, bytes, len, out, outlen, why,
                                          sizeof why)) {
                fprintf(stderr, "ladder: %s\n", why);
                rc = 2;
            }
            break;
        }
        ladder_fmt_free(cfg, out);
        free(bytes);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)
            fprintf(stderr, "ladder: writing standard output: %s\n", strerror(errno));
        rc = 2;
    }
out:
    free(files);
    ladder_config_free(cfg);
    return rc;
}
