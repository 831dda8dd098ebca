/* main.c - the command line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"
#include "lsp.h"
#include "output.h"
#include "rules.h"

#ifndef LADDER_VERSION
#define LADDER_VERSION "0.0.0"
#endif

static const char usage_text[] =
    "usage: ladder lint [OPTIONS] FILE...   lint each file as one journal\n"
    "       ladder lint [OPTIONS] -         read the journal from standard input\n"
    "       ladder [OPTIONS] FILE...        the same as ladder lint\n"
    "       ladder rules                    list every rule\n"
    "       ladder explain RULE             why a rule exists and how to fix it\n"
    "       ladder lsp                      a language server on stdin/stdout\n"
    "       ladder --help | --version\n"
    "\n"
    "options:\n"
    "  --format gcc|json|sarif|tty   output form (default: tty on a terminal, else gcc)\n"
    "  --stdin-filename NAME         the name to report for -, and to resolve includes from\n"
    "  --today YYYY-MM-DD            the date time-based rules compare with (default: today)\n"
    "  --strict                      report clients that are not declared\n"
    "  --rule ID=SEVERITY            error, warning, note or off (repeatable)\n"
    "  --option NAME=VALUE           max-step, stall-after, one-sided-after,\n"
    "                                decline-after (numbers >= 1), strict (yes|no)\n"
    "  --fail-on error|warning|note|never\n"
    "                                the lowest severity that makes the exit status 1\n"
    "  --color auto|always|never     colour for tty (NO_COLOR set means never)\n"
    "  -q, --quiet                   print only errors\n"
    "\n"
    "Exit status: 0 clean, 1 something at or above --fail-on, 2 usage error or\n"
    "unreadable file.  See ladder(1) and ladder(5).\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("ladder: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (try 'ladder --help')\n", stderr);
    return 2;
}

static struct date local_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    struct date d = { 1970, 1, 1, true };
    if (localtime_r(&now, &tm)) {
        d.year = tm.tm_year + 1900;
        d.month = tm.tm_mon + 1;
        d.day = tm.tm_mday;
    }
    return d;
}

static int cmd_rules(void)
{
    for (int i = 0; i < R_COUNT; i++)
        printf("%-20s %-8s %s\n", rule_table[i].id,
               severity_name(rule_table[i].severity), rule_table[i].summary);
    return 0;
}

static int cmd_explain(int argc, char **argv)
{
    if (argc != 1)
        return usage_error("%s", argc ? "explain takes one rule id"
                                      : "explain needs a rule id");
    int r = rule_find(argv[0], strlen(argv[0]));
    if (r < 0) {
        fprintf(stderr, "ladder: unknown rule '%s'; did you mean '%s'? "
                "(see 'ladder rules')\n", argv[0],
                rule_nearest(argv[0], strlen(argv[0])));
        return 2;
    }
    const struct rule_info *ri = &rule_table[r];
    printf("%s (default: %s)\n%s.\n\n", ri->id, severity_name(ri->severity),
           ri->summary);
    if (ri->explain)
        fputs(ri->explain, stdout);
    return 0;
}

/* An option's value: "--name=value" or "--name value". */
static const char *opt_value(const char *name, int argc, char **argv, int *i)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) == 0 && a[n] == '=')
        return a + n + 1;
    if (strcmp(a, name) == 0) {
        if (*i + 1 >= argc)
            return NULL;
        return argv[++*i];
    }
    return NULL;
}

static int is_opt(const char *a, const char *name)
{
    size_t n = strlen(name);
    return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

static int cmd_lint(int argc, char **argv)
{
    struct config cfg;
    config_init(&cfg, local_today());
    struct output_opts oo = { FMT_GCC, false, false };
    int have_format = 0, fail_on = SEV_ERROR;
    const char *color = "auto", *stdin_name = NULL;
    char **files = calloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0, dashdash = 0;
    if (!files) {
        fputs("ladder: out of memory\n", stderr);
        return 2;
    }
    int rc = 0;
#define FAIL(...) do { rc = usage_error(__VA_ARGS__); goto out; } while (0)
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v;
        if (dashdash || a[0] != '-' || strcmp(a, "-") == 0) {
            files[nfiles++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            dashdash = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            goto out;
        } else if (strcmp(a, "--version") == 0) {
            printf("ladder %s\n", LADDER_VERSION);
            goto out;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            oo.quiet = true;
        } else if (strcmp(a, "--strict") == 0) {
            cfg.option[OPT_STRICT] = 1;
        } else if (is_opt(a, "--format")) {
            if (!(v = opt_value("--format", argc, argv, &i)))
                FAIL("%s needs a value: gcc, json, sarif or tty", a);
            if (!strcmp(v, "gcc")) oo.format = FMT_GCC;
            else if (!strcmp(v, "json")) oo.format = FMT_JSON;
            else if (!strcmp(v, "sarif")) oo.format = FMT_SARIF;
            else if (!strcmp(v, "tty")) oo.format = FMT_TTY;
            else FAIL("unknown format '%s': use gcc, json, sarif or tty", v);
            have_format = 1;
        } else if (is_opt(a, "--stdin-filename")) {
            if (!(v = opt_value("--stdin-filename", argc, argv, &i)) || !*v)
                FAIL("%s needs a file name", "--stdin-filename");
            stdin_name = v;
        } else if (is_opt(a, "--today")) {
            if (!(v = opt_value("--today", argc, argv, &i)))
                FAIL("%s needs a date YYYY-MM-DD", a);
            if (!date_parse(v, strlen(v), &cfg.today) || !cfg.today.valid)
                FAIL("--today: '%s' is not a date YYYY-MM-DD", v);
        } else if (is_opt(a, "--rule")) {
            if (!(v = opt_value("--rule", argc, argv, &i)))
                FAIL("%s needs ID=SEVERITY", a);
            const char *eq = strchr(v, '=');
            if (!eq)
                FAIL("--rule '%s': use ID=SEVERITY", v);
            int r = rule_find(v, (size_t)(eq - v));
            if (r < 0) {
                fprintf(stderr, "ladder: --rule: unknown rule '%.*s'; did you "
                        "mean '%s'? (see 'ladder rules')\n", (int)(eq - v), v,
                        rule_nearest(v, (size_t)(eq - v)));
                rc = 2;
                goto out;
            }
            int s = severity_parse(eq + 1, strlen(eq + 1));
            if (s < 0)
                FAIL("--rule: '%s' is not error, warning, note or off", eq + 1);
            cfg.severity[r] = s;
        } else if (is_opt(a, "--option")) {
            if (!(v = opt_value("--option", argc, argv, &i)))
                FAIL("%s needs NAME=VALUE", a);
            const char *eq = strchr(v, '=');
            if (!eq)
                FAIL("--option '%s': use NAME=VALUE", v);
            int o = option_find(v, (size_t)(eq - v));
            if (o < 0)
                FAIL("--option '%s': unknown option (max-step, stall-after, "
                     "one-sided-after, decline-after, strict)", v);
            int val = option_parse_value((enum option_id)o, eq + 1, strlen(eq + 1));
            if (val < 0)
                FAIL(o == OPT_STRICT ? "--option '%s': strict is yes or no"
                                     : "--option '%s': the value must be a whole number >= 1", v);
            cfg.option[o] = val;
        } else if (is_opt(a, "--fail-on")) {
            if (!(v = opt_value("--fail-on", argc, argv, &i)))
                FAIL("%s needs error, warning, note or never", a);
            if (!strcmp(v, "never"))
                fail_on = SEV_OFF;
            else if ((fail_on = severity_parse(v, strlen(v))) <= SEV_OFF)
                FAIL("--fail-on: '%s' is not error, warning, note or never", v);
        } else if (is_opt(a, "--color") || is_opt(a, "--colour")) {
            if (!(v = opt_value(is_opt(a, "--colour") ? "--colour" : "--color",
                                argc, argv, &i)))
                FAIL("%s needs auto, always or never", a);
            if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never"))
                FAIL("--color: '%s' is not auto, always or never", v);
            color = v;
        } else {
            FAIL("unknown option '%s'", a);
        }
    }
    if (nfiles == 0)
        FAIL("%s", "no journal named: give FILE... or - for standard input");
    if (stdin_name) {
        int dashes = 0;
        for (int k = 0; k < nfiles; k++)
            dashes += strcmp(files[k], "-") == 0;
        if (!dashes)
            FAIL("%s", "--stdin-filename goes with - (standard input)");
    }

    int tty = isatty(STDOUT_FILENO);
    if (!have_format)
        oo.format = tty ? FMT_TTY : FMT_GCC;
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    oo.color = strcmp(color, "always") == 0 ||
               (strcmp(color, "auto") == 0 && tty &&
                !(term && strcmp(term, "dumb") == 0));
    if (nc && *nc)
        oo.color = false;

    struct output *w = output_begin(stdout, &oo);
    int unreadable = 0, stdin_used = 0;
    for (int k = 0; k < nfiles; k++) {
        const char *err = NULL;
        struct journal *j;
        if (strcmp(files[k], "-") == 0) {
            if (stdin_used++) {
                fputs("ladder: standard input can be read only once\n", stderr);
                unreadable = 1;
                continue;
            }
            const char *name = stdin_name ? stdin_name : "<stdin>";
            j = journal_lint(&cfg, NULL, name, STDIN_FILENO, &err);
        } else {
            j = journal_lint(&cfg, files[k], files[k], -1, &err);
        }
        if (!j) {
            fprintf(stderr, "ladder: %s: %s\n",
                    strcmp(files[k], "-") ? files[k] : "standard input", err);
            unreadable = 1;
            continue;
        }
        output_journal(w, j);
        journal_free(j);
    }
    struct output_totals t;
    output_end(w, &t);
    if (ferror(stdout) || fflush(stdout) != 0) {
        fprintf(stderr, "ladder: writing the diagnostics: %s\n", strerror(errno));
        rc = 2;
    } else if (unreadable) {
        rc = 2;
    } else if (fail_on != SEV_OFF &&
               ((fail_on <= SEV_ERROR && t.errors) ||
                (fail_on <= SEV_WARNING && t.warnings) ||
                (fail_on <= SEV_NOTE && t.notes))) {
        rc = 1;
    }
out:
    free(files);
    return rc;
#undef FAIL
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("%s", "no command or journal named");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("ladder %s\n", LADDER_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "rules"))
        return argc == 2 ? cmd_rules() : usage_error("%s", "rules takes no arguments");
    if (!strcmp(cmd, "explain"))
        return cmd_explain(argc - 2, argv + 2);
    if (!strcmp(cmd, "lint"))
        return cmd_lint(argc - 2, argv + 2);
    if (!strcmp(cmd, "lsp"))
        return lsp_command(argc - 2, argv + 2);
    return cmd_lint(argc - 1, argv + 1);
}
