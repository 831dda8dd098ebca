/* fuzz_lint.c - libFuzzer harness over the whole lint path.
 *
 * Each input is one journal.  It is linted with journal_lint_bytes() (parse,
 * includes, resolve, every rule, severities), rendered in gcc form and in
 * one other output form (json, sarif, tty with or without colour, picked by
 * a hash of the input, so every form is reached), and freed.  Besides the sanitizers' findings, the harness
 * aborts when the output breaks its contract:
 *   - gcc form: every line is `FILE:LINE:COL: SEVERITY: MESSAGE`, with
 *     LINE and COL >= 1, and holds no raw control character (C0 but tab,
 *     DEL, C1, U+2028/2029, bidi controls: cli.md §3);
 *   - tty form without colour: no raw control character either;
 *   - json and sarif: no raw control bytes (they cannot appear in JSON).
 *
 * A few settings vary with a hash of the input (strict mode, --rule and
 * --option overrides, today, the size of the chunks the text is read in,
 * a tiny limit on the length of a line), so that every path is reached
 * without the fuzzer having to learn a header format.  Inputs of megabytes
 * are welcome (mk/fuzz.mk): the time per input is linear in its size.
 *
 * The journal is named inside a folder that does not exist, so relative
 * `include`s fail the same way everywhere; absolute ones are read.
 *
 *   make fuzz FUZZ_SECONDS=600
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "output.h"

#define FUZZ_NAME "/nonexistent-ladder-fuzz/fuzz.ladder"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t hash(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;               /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static void fail(const char *what, const char *buf, size_t len)
{
    fprintf(stderr, "fuzz_lint: %s\n--- output ---\n", what);
    fwrite(buf, 1, len, stderr);
    fputs("\n--- end ---\n", stderr);
    abort();
}

/* Digits followed by ':' at *p; advances past them.  Value must be >= 1. */
static int number_colon(const char **p, const char *end)
{
    const char *s = *p;
    unsigned long v = 0;
    if (s >= end || *s < '0' || *s > '9')
        return 0;
    while (s < end && *s >= '0' && *s <= '9')
        v = v * 10 + (unsigned long)(*s++ - '0');
    if (s >= end || *s != ':' || v == 0)
        return 0;
    *p = s + 1;
    return 1;
}

/* One gcc-form line: NAME:LINE:COL: (error|warning|note): ...  The name may
 * hold ':' (an included path), so try every ':' as the end of the name. */
static int gcc_line_ok(const char *s, const char *end)
{
    static const char *const sev[] = { " error: ", " warning: ", " note: " };
    for (const char *c = memchr(s, ':', (size_t)(end - s)); c && c < end;
         c = memchr(c + 1, ':', (size_t)(end - c - 1))) {
        if (c == s)
            continue;
        const char *p = c + 1;
        if (!number_colon(&p, end) || !number_colon(&p, end))
            continue;
        for (int k = 0; k < 3; k++) {
            size_t n = strlen(sev[k]);
            if ((size_t)(end - p) >= n && memcmp(p, sev[k], n) == 0)
                return 1;
        }
    }
    return 0;
}

static void check_gcc(const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            fail("gcc output does not end in a newline", buf, len);
        if (!gcc_line_ok(p, nl))
            fail("gcc output has a line that is not a diagnostic", p, (size_t)(nl - p));
        p = nl + 1;
    }
}

/* A raw character that must not reach a terminal (output.c escapes them):
 * its length at p, or 0. */
static size_t raw_control(const unsigned char *p, size_t n)
{
    if ((p[0] < 0x20 && p[0] != '\n' && p[0] != '\t') || p[0] == 0x7f)
        return 1;
    if (n >= 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
        return 2;                           /* C1 */
    if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
        (p[2] == 0xa8 || p[2] == 0xa9 || (p[2] >= 0xaa && p[2] <= 0xae) ||
         p[2] == 0x8e || p[2] == 0x8f))
        return 3;                           /* U+2028/9, U+202A-E, LRM, RLM */
    if (n >= 3 && p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
        return 3;                           /* U+2066-2069 */
    return 0;
}

static void check_raw(const char *what, const char *buf, size_t len)
{
    const unsigned char *p = (const unsigned char *)buf;
    for (size_t i = 0; i < len; i++)
        if (raw_control(p + i, len - i))
            fail(what, buf, len);
}

static void check_json(const char *what, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
            fail(what, buf, len);
    }
}

static void render(const struct journal *j, enum format fmt, int color, int quiet,
                   enum utf8_unit unit)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        abort();
    struct output_opts o = { .format = fmt, .color = color, .quiet = quiet, .unit = unit };
    struct output_totals t;
    struct output *w = output_begin(j->mem, f, &o);
    output_journal(w, j);
    output_end(w, &t);
    if (fclose(f) != 0)
        abort();
    if (t.journals != 1)
        fail("output_end counted a wrong number of journals", buf, len);
    switch (fmt) {
    case FMT_GCC:
        check_gcc(buf, len);
        check_raw("raw control character in gcc output", buf, len);
        break;
    case FMT_JSON: check_json("raw control byte in json output", buf, len); break;
    case FMT_SARIF: check_json("raw control byte in sarif output", buf, len); break;
    case FMT_TTY:
        if (!color)
            check_raw("raw control character in tty output", buf, len);
        break;
    }
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t h = hash(data, size);
    static const struct date days[] = {
        { 2026, 1, 1, true }, { 2011, 6, 30, true }, { 1999, 12, 31, true },
        { 2011, 2, 28, true },
    };
    struct config cfg;
    config_init(&cfg, days[h & 3]);
    if (h & 0x4)                    /* tiny chunks: many chunk ends */
        cfg.chunk = 1 + (h >> 24) % 61;
    if ((h & 0x300) == 0x300)       /* lines over a few bytes are skipped */
        cfg.max_line = 1 + (h >> 20) % 97;
    if (h & 0x10)
        cfg.option[OPT_STRICT] = 1;
    if (h & 0x20)
        cfg.option[OPT_MAX_STEP] = 1 + (int)((h >> 8) & 3);
    if (h & 0x40) {
        cfg.option[OPT_STALL_AFTER] = 1 + (int)((h >> 10) & 3);
        cfg.option[OPT_ONE_SIDED_AFTER] = 1 + (int)((h >> 12) & 3);
        cfg.option[OPT_DECLINE_AFTER] = 1 + (int)((h >> 14) & 3);
    }
    if (h & 0x80) {
        static const enum severity sevs[] = { SEV_ERROR, SEV_WARNING, SEV_NOTE, SEV_OFF };
        for (int r = 0; r < R_COUNT; r++)
            cfg.severity[r] = (int)sevs[(h >> (16 + r % 16)) & 3];
    }

    struct journal *j = journal_lint_bytes(&cfg, FUZZ_NAME, (const char *)data, size);
    if (!j)
        return 0;
    /* gcc form always; one other form per input, chosen by the hash (the
     * SARIF header alone is longer than most journals' output, so rendering
     * everything every time would cost most of the executions). */
    int quiet = (h >> 5) & 1;
    static const enum utf8_unit units[] = { UTF8_BYTES, UTF8_CHARS, UTF8_DISPLAY, UTF8_BYTES };
    enum utf8_unit unit = units[(h >> 10) & 3];     /* --column-unit */
    render(j, FMT_GCC, 0, quiet, unit);
    switch ((h >> 2) & 3) {
    case 0: render(j, FMT_JSON, 0, quiet, unit); break;
    case 1: render(j, FMT_SARIF, 0, 0, UTF8_BYTES); break;
    case 2: render(j, FMT_TTY, 1, quiet, unit); break;
    case 3: render(j, FMT_TTY, 0, 0, unit); break;
    }
    journal_free(j);
    return 0;
}
