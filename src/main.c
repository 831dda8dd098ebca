/* main.c - the command line. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ladder.h"
#include "pipe_size.h"

static const char usage_text[] =
    "usage: ladder lint [OPTIONS] FILE...   lint each file as one journal\n"
    "       ladder lint [OPTIONS] -         read the journal from standard input\n"
    "       ladder [OPTIONS] FILE...        the same as ladder lint\n"
    "       ladder agenda [OPTIONS] FILE... next steps: overdue, coming, unscheduled\n"
    "       ladder clients [OPTIONS] FILE... one row per client: where its climb stands\n"
    "       ladder pipeline [OPTIONS] FILE... how many clients stand on each rung\n"
    "       ladder rules                    list every rule\n"
    "       ladder explain RULE             why a rule exists and how to fix it\n"
    "       ladder fmt [-w|--check|--diff] FILE...  print or rewrite in canonical form\n"
    "       ladder lsp                      a language server on stdin/stdout\n"
    "       ladder --help | --version | COMMAND --help\n"
    "\n"
    "options:\n"
    "  --format gcc|json|sarif|tty   output form (default: tty on a terminal, else gcc)\n"
    "  --stdin-filename NAME         the name to report for -, and to resolve includes from\n"
    "  --today YYYY-MM-DD            the date time-based rules compare with (default: today)\n"
    "  --since YYYY-MM-DD            report nothing about entries before this date\n"
    "  --strict                      report clients that are not declared\n"
    "  --rule ID=SEVERITY            error, warning, note or off (repeatable)\n"
    "  --option NAME=VALUE           max-step, stall-after, one-sided-after,\n"
    "                                decline-after (numbers >= 1), strict (yes|no),\n"
    "                                touch-kinds (kinds, comma-separated, or none),\n"
    "                                since (a date)\n"
    "  --fail-on error|warning|note|never\n"
    "                                the lowest severity that makes the exit status 1\n"
    "  --column-unit byte|char|display\n"
    "                                columns in gcc, tty and json: bytes (default,\n"
    "                                as vim counts), characters, or screen columns\n"
    "                                (wide 2, tab to 8: Emacs, gcc's default)\n"
    "  --include-root DIR            includes may only name files inside DIR\n"
    "  --fix                         apply every safe fix to the journal's files,\n"
    "                                then lint again and report what is left\n"
    "  --color auto|always|never     colour for tty (NO_COLOR set means never,\n"
    "                                unless --color always)\n"
    "  -q, --quiet                   print only errors\n"
    "\n"
    "Put -- before file names that start with '-'.\n"
    "Exit status: 0 clean, 1 something at or above --fail-on, 2 usage error,\n"
    "unreadable file or failed write.  See ladder(1) and ladder(5).\n";

static const char report_usage[] =
    "       ladder %s [OPTIONS] -\n"
    "\n"
    "%s"
    "\n"
    "options:\n"
    "  --format text|csv|json        output form (default text; coloured on a terminal)\n"
    "%s"
    "  --stdin-filename NAME         the name to report for -, and to resolve includes from\n"
    "  --today YYYY-MM-DD            the date the report is made for (default: today)\n"
    "  --since YYYY-MM-DD            as lint's (overdue steps before it are not listed)\n"
    "  --strict                      as lint's\n"
    "  --rule ID=SEVERITY            as lint's (counts in the error line)\n"
    "  --option NAME=VALUE           max-step, stall-after, one-sided-after,\n"
    "                                decline-after, strict, touch-kinds, since\n"
    "  --include-root DIR            includes may only name files inside DIR\n"
    "  --color auto|always|never     colour for text (NO_COLOR set means never,\n"
    "                                unless --color always)\n"
    "\n"
    "A journal with errors is still reported, with one line on standard error\n"
    "counting them.  Exit status: 0, or 2 for a usage error or an unreadable\n"
    "file.  See ladder(1).\n";

static const char *const report_names[] = { "agenda", "clients", "pipeline" };
static const char *const report_about[] = {
    "The to-do list, soonest first: overdue next steps (what overdue-next\n"
    "reports), coming next steps and planned calls from today to today + N\n"
    "days, and unscheduled next steps.  Each text line starts with FILE:LINE:.\n",
    "One row per client: its level (rank and rung), its last held entry and\n"
    "the days since, its last ask and answer, its next step, its counts of\n"
    "calls, gives and commitments (C/G/K), and the flags the ladder rules\n"
    "raise for it now: S stalled, O one-sided, D declining, L overdue, W won.\n",
    "For each rung, how many clients stand on it now (NOW), and how many ever\n"
    "reached it or a higher rung (REACHED, the funnel), with a bar.\n",
};
static const char *const report_options[] = {
    "  --days N                      the coming section's days (default 14)\n",
    "  --sort name|last|level        by name (default), longest since the last\n"
    "                                contact first, or highest level first\n",
    "",
};

static const char rules_usage[] =
    "usage: ladder rules\n"
    "\n"
    "List every rule: its id, its default severity and what it reports.\n"
    "See 'ladder explain RULE' for one rule in full.\n";

static const char explain_usage[] =
    "usage: ladder explain RULE\n"
    "\n"
    "Why the rule exists, what triggers it and how to fix it (the same text\n"
    "as the help of the rule in SARIF logs).  'ladder rules' lists the ids.\n";

/* The commands, for "did you mean". */
static const char *const command_names[] = { "lint", "fmt", "agenda", "clients",
                                              "pipeline", "rules", "explain", "lsp",
                                              "help" };

static int is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/* `ladder WORD ...` where WORD is neither a command nor an existing file,
 * and looks like a command (a word of letters and dashes, no path):
 * "unknown command 'explian'; did you mean 'explain'?".  Returns 2 after
 * saying so, 0 when WORD is to be read as a journal file. */
static int unknown_command(const char *word)
{
    struct stat st;
    if (!word[0] || stat(word, &st) == 0 || errno != ENOENT)
        return 0;
    for (const char *p = word; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '-'))
            return 0;
    size_t n = strlen(word), bd = (size_t)-1;
    const char *best = NULL;
    for (size_t i = 0; i < sizeof command_names / sizeof *command_names; i++) {
        size_t d = ladder_edit_distance(word, command_names[i]);
        if (d < bd) {
            bd = d;
            best = command_names[i];
        }
    }
    if (best && bd <= (n < 6 ? 2 : n / 3))
        fprintf(stderr, "ladder: unknown command '%s'; did you mean '%s'? "
                "(try 'ladder --help')\n", word, best);
    else
        fprintf(stderr, "ladder: unknown command '%s', and no such file "
                "(try 'ladder --help')\n", word);
    return 2;
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("ladder: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (try 'ladder --help')\n", stderr);
    return 2;
}

/* Standard output is done with: flush it and say whether all of it was
 * written.  Returns rc, or 2 after a one-line message when a write failed
 * (a full disk).  A closed pipe is no error: the reader has what it wanted,
 * so stop quietly (SIGPIPE, restored to its default in main, usually ends
 * the program before this can see EPIPE). */
static int finish_stdout(int rc, const char *what)
{
    int saved = errno;              /* from a flush that failed earlier */
    errno = 0;
    int failed = fflush(stdout) != 0;
    int e = failed && errno ? errno : saved;
    if (!failed && !ferror(stdout))
        return rc;
    if (e == EPIPE)
        return rc;
    fprintf(stderr, "ladder: writing %s: %s\n", what,
            e ? strerror(e) : "output error");
    return 2;
}

static int cmd_rules(int argc, char **argv)
{
    if (argc == 1 && is_help(argv[0])) {
        fputs(rules_usage, stdout);
        return finish_stdout(0, "the help");
    }
    if (argc != 0)
        return usage_error("%s", "rules takes no arguments");
    ladder_rule_info ri;
    for (size_t i = 0; ladder_rule_at(i, &ri); i++)
        printf("%-20s %-8s %s\n", ri.id, ladder_severity_name(ri.severity),
               ri.summary);
    return finish_stdout(0, "the rules");
}

static int cmd_explain(int argc, char **argv)
{
    if (argc >= 1 && is_help(argv[0])) {
        fputs(explain_usage, stdout);
        return finish_stdout(0, "the help");
    }
    if (argc != 1)
        return usage_error("%s", argc ? "explain takes one rule id"
                                      : "explain needs a rule id");
    ladder_rule_info rule, *ri = &rule;
    if (!ladder_rule_find(argv[0], ri)) {
        fprintf(stderr, "ladder: unknown rule '%s'; did you mean '%s'? "
                "(see 'ladder rules')\n", argv[0], ladder_rule_nearest(argv[0]));
        return 2;
    }
    printf("%s (default: %s)\n%s.\n\n", ri->id,
           ladder_severity_name(ri->severity), ri->summary);
    fputs(ri->explain, stdout);
    return finish_stdout(0, "the explanation");
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

/* A file by device and inode. */
struct file_id {
    dev_t dev;
    ino_t ino;
};

/* One named journal: what it read (its files by identity, the root first). */
struct named {
    ladder_journal *j;
    struct file_id *ids;
    size_t nids;
    bool have_root;                 /* ids[0] is the root (not stdin) */
};

static bool file_id_of(const char *path, struct file_id *id)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    id->dev = st.st_dev;
    id->ino = st.st_ino;
    return true;
}

/* Has journal m read the file `id` (its root included)? */
static bool named_read(const struct named *m, struct file_id id)
{
    for (size_t i = 0; i < m->nids; i++)
        if (m->ids[i].dev == id.dev && m->ids[i].ino == id.ino)
            return true;
    return false;
}

/* Say that a named file cannot be read: on standard error, and to the
 * renderer (sarif's invocation).  `msg` is ladder's "NAME: why". */
static void unreadable_file(ladder_renderer *w, const char *file,
                            const char *name, const char *msg)
{
    size_t n = strlen(name);
    const char *why = strncmp(msg, name, n) == 0 && msg[n] == ':' && msg[n + 1] == ' '
                    ? msg + n + 2 : msg;
    fprintf(stderr, "ladder: %s: %s\n", file ? file : "standard input", why);
    if (w)
        ladder_render_unreadable(w, file, why, NULL);
}

/* Lint the named journals and render them.  A named file that another
 * named journal includes (directly or not) is linted only as part of it
 * (cli.md section 2): every journal is linted first, and those that another
 * one read are dropped; of two that read each other (an include cycle),
 * the first named stands.  A file named again is linted once.  Returns
 * nonzero when a named file could not be read or rendered. */
static int lint_journals(ladder_renderer *w, ladder_reporter *rep, size_t *errors,
                         const ladder_config *cfg,
                         char **files, int nfiles, const char *stdin_name)
{
    if (nfiles < 1)
        return 0;
    struct named *v = calloc((size_t)nfiles, sizeof *v);
    if (!v) {
        fputs("ladder: out of memory\n", stderr);
        return 1;
    }
    ladder_error err;
    int unreadable = 0, stdin_used = 0;
    for (int k = 0; k < nfiles; k++) {
        ladder_journal *j;
        struct file_id root;
        bool is_stdin = strcmp(files[k], "-") == 0;
        bool have_root = !is_stdin && file_id_of(files[k], &root);
        if (have_root) {
            bool dup = false;           /* read already by an earlier journal */
            for (int m = 0; m < k && !dup; m++)
                dup = v[m].j && named_read(&v[m], root);
            if (dup)
                continue;
        }
        if (is_stdin) {
            if (stdin_used++) {
                fputs("ladder: standard input can be read only once\n", stderr);
                unreadable = 1;
                continue;
            }
            const char *name = stdin_name ? stdin_name : "<stdin>";
            j = ladder_lint_fd(cfg, STDIN_FILENO, name, &err);
            if (!j && err.status == LADDER_EREAD) {
                unreadable_file(w, NULL, name, err.message);
                unreadable = 1;
                continue;
            }
        } else {
            j = ladder_lint_file(cfg, files[k], &err);
            if (!j && err.status == LADDER_EREAD) {
                unreadable_file(w, files[k], files[k], err.message);
                unreadable = 1;
                continue;
            }
        }
        if (!j) {
            fprintf(stderr, "ladder: %s\n", err.message);
            unreadable = 1;
            continue;
        }
        size_t nf = ladder_file_count(j);
        v[k].j = j;
        v[k].have_root = have_root;
        v[k].ids = malloc((nf + 1) * sizeof *v[k].ids);
        if (!v[k].ids) {
            fputs("ladder: out of memory\n", stderr);
            unreadable = 1;
            ladder_journal_free(j);
            v[k].j = NULL;
            continue;
        }
        if (have_root)
            v[k].ids[v[k].nids++] = root;
        for (size_t i = 1; i < nf; i++)
            if (file_id_of(ladder_file_name(j, i), &v[k].ids[v[k].nids]))
                v[k].nids++;
    }
    for (int k = 0; k < nfiles; k++) {
        if (!v[k].j)
            continue;
        bool part = false;
        for (int m = 0; m < nfiles && !part && v[k].have_root; m++) {
            if (m == k || !v[m].j || !named_read(&v[m], v[k].ids[0]))
                continue;
            /* m includes k; k stands only if it includes m too and comes first. */
            part = !(m > k && v[m].have_root && named_read(&v[k], v[m].ids[0]));
        }
        if (part)
            continue;
        if (rep) {
            /* A report: say how many errors lint would report. */
            for (size_t i = 0; i < ladder_diag_count(v[k].j); i++)
                *errors += ladder_diag_severity(ladder_diag_at(v[k].j, i)) == LADDER_ERROR;
            if (ladder_report_journal(rep, v[k].j, &err) != LADDER_OK) {
                fprintf(stderr, "ladder: %s\n", err.message);
                unreadable = 1;
            }
        } else if (ladder_render_journal(w, v[k].j, &err) != LADDER_OK) {
            unreadable = 1;
        }
    }
    for (int k = 0; k < nfiles; k++) {
        ladder_journal_free(v[k].j);
        free(v[k].ids);
    }
    free(v);
    return unreadable;
}

/* lint (report < 0), or the report `report` (ladder_report_kind). */
static int cmd_lint(int argc, char **argv, int report)
{
    ladder_report_options ro = { LADDER_REPORT_AGENDA, LADDER_REPORT_TEXT, LADDER_SORT_NAME,
                                 14, false, false };
    if (report >= 0)
        ro.kind = (ladder_report_kind)report;
    ladder_config *cfg = ladder_config_new(NULL);
    ladder_render_options oo = { LADDER_FORMAT_GCC, LADDER_UNIT_BYTE, false, false };
    ladder_error err;
    int have_format = 0, fail_on = LADDER_ERROR;
    const char *color = "auto", *stdin_name = NULL;
    char **files = calloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0, dashdash = 0, fix = 0;
    if (!files || !cfg) {
        fputs("ladder: out of memory\n", stderr);
        free(files);
        ladder_config_free(cfg);
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
        } else if ((strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) && report >= 0) {
            printf("usage: ladder %s [OPTIONS] FILE...\n", report_names[report]);
            printf(report_usage, report_names[report], report_about[report],
                   report_options[report]);
            rc = finish_stdout(0, "the help");
            goto out;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            rc = finish_stdout(0, "the help");
            goto out;
        } else if (strcmp(a, "--version") == 0) {
            printf("ladder %s\n", ladder_version());
            rc = finish_stdout(0, "the version");
            goto out;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            oo.quiet = true;
        } else if (strcmp(a, "--fix") == 0) {
            fix = 1;
        } else if (strcmp(a, "--strict") == 0) {
            ladder_config_set(cfg, LADDER_SET_STRICT, "yes", &err);
        } else if (is_opt(a, "--format") && report >= 0) {
            if (!(v = opt_value("--format", argc, argv, &i)))
                FAIL("%s needs a value: text, csv or json", a);
            if (!strcmp(v, "text")) ro.format = LADDER_REPORT_TEXT;
            else if (!strcmp(v, "csv")) ro.format = LADDER_REPORT_CSV;
            else if (!strcmp(v, "json")) ro.format = LADDER_REPORT_JSON;
            else FAIL("unknown format '%s': use text, csv or json", v);
        } else if (is_opt(a, "--days") && report == LADDER_REPORT_AGENDA) {
            if (!(v = opt_value("--days", argc, argv, &i)))
                FAIL("%s needs a number of days", a);
            char *end;
            errno = 0;
            long d = strtol(v, &end, 10);
            if (!*v || *end || d < 0 || errno)
                FAIL("--days: '%s' is not a number of days (0 or more)", v);
            /* Past year 9999 every date is in the window anyway. */
            ro.days = d > 4000000 ? 4000000 : d;
        } else if (is_opt(a, "--sort") && report == LADDER_REPORT_CLIENTS) {
            if (!(v = opt_value("--sort", argc, argv, &i)))
                FAIL("%s needs name, last or level", a);
            if (!strcmp(v, "name")) ro.sort = LADDER_SORT_NAME;
            else if (!strcmp(v, "last")) ro.sort = LADDER_SORT_LAST;
            else if (!strcmp(v, "level")) ro.sort = LADDER_SORT_LEVEL;
            else FAIL("--sort: '%s' is not name, last or level", v);
        } else if ((is_opt(a, "--fail-on") || is_opt(a, "--column-unit") ||
                    strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) && report >= 0) {
            FAIL("'%s' is for lint, not for reports", a);
        } else if (is_opt(a, "--format")) {
            if (!(v = opt_value("--format", argc, argv, &i)))
                FAIL("%s needs a value: gcc, json, sarif or tty", a);
            if (!strcmp(v, "gcc")) oo.format = LADDER_FORMAT_GCC;
            else if (!strcmp(v, "json")) oo.format = LADDER_FORMAT_JSON;
            else if (!strcmp(v, "sarif")) oo.format = LADDER_FORMAT_SARIF;
            else if (!strcmp(v, "tty")) oo.format = LADDER_FORMAT_TTY;
            else FAIL("unknown format '%s': use gcc, json, sarif or tty", v);
            have_format = 1;
        } else if (is_opt(a, "--column-unit")) {
            if (!(v = opt_value("--column-unit", argc, argv, &i)))
                FAIL("%s needs byte, char or display", a);
            if (!strcmp(v, "byte")) oo.unit = LADDER_UNIT_BYTE;
            else if (!strcmp(v, "char")) oo.unit = LADDER_UNIT_CHAR;
            else if (!strcmp(v, "display")) oo.unit = LADDER_UNIT_DISPLAY;
            else FAIL("--column-unit: '%s' is not byte, char or display", v);
        } else if (is_opt(a, "--stdin-filename")) {
            if (!(v = opt_value("--stdin-filename", argc, argv, &i)) || !*v)
                FAIL("%s needs a file name", "--stdin-filename");
            stdin_name = v;
        } else if (is_opt(a, "--include-root")) {
            if (!(v = opt_value("--include-root", argc, argv, &i)) || !*v)
                FAIL("%s needs a folder", "--include-root");
            if (ladder_config_set(cfg, LADDER_SET_INCLUDE_ROOT, v, &err) != LADDER_OK)
                FAIL("--include-root: %s", err.message);
        } else if (is_opt(a, "--today")) {
            if (!(v = opt_value("--today", argc, argv, &i)))
                FAIL("%s needs a date YYYY-MM-DD", a);
            if (ladder_config_set(cfg, LADDER_SET_TODAY, v, &err) != LADDER_OK)
                FAIL("--today: %s", err.message);   /* not a date, or not a real one */
        } else if (is_opt(a, "--since")) {
            if (!(v = opt_value("--since", argc, argv, &i)))
                FAIL("%s needs a date YYYY-MM-DD", a);
            if (ladder_config_set(cfg, LADDER_SET_SINCE, v, &err) != LADDER_OK)
                FAIL("--since: %s", err.message);
        } else if (is_opt(a, "--rule")) {
            if (!(v = opt_value("--rule", argc, argv, &i)))
                FAIL("%s needs ID=SEVERITY", a);
            if (!strchr(v, '='))
                FAIL("--rule '%s': use ID=SEVERITY", v);
            if (ladder_config_set(cfg, LADDER_SET_RULE, v, &err) != LADDER_OK) {
                if (strncmp(err.message, "unknown rule", 12) == 0) {
                    fprintf(stderr, "ladder: --rule: %s\n", err.message);
                    rc = 2;
                    goto out;
                }
                FAIL("--rule: %s", err.message);
            }
        } else if (is_opt(a, "--option")) {
            if (!(v = opt_value("--option", argc, argv, &i)))
                FAIL("%s needs NAME=VALUE", a);
            if (ladder_config_set(cfg, LADDER_SET_OPTION, v, &err) != LADDER_OK)
                FAIL("--option %s", err.message);
        } else if (is_opt(a, "--fail-on")) {
            if (!(v = opt_value("--fail-on", argc, argv, &i)))
                FAIL("%s needs error, warning, note or never", a);
            if (!strcmp(v, "never")) fail_on = LADDER_OFF;
            else if (!strcmp(v, "error")) fail_on = LADDER_ERROR;
            else if (!strcmp(v, "warning")) fail_on = LADDER_WARNING;
            else if (!strcmp(v, "note")) fail_on = LADDER_NOTE;
            else FAIL("--fail-on: '%s' is not error, warning, note or never", v);
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
    if (fix)
        for (int k = 0; k < nfiles; k++)
            if (strcmp(files[k], "-") == 0)
                FAIL("%s", "--fix rewrites files: it cannot fix standard input");

    int tty = isatty(STDOUT_FILENO);
    pipe_enlarge(STDOUT_FILENO);    /* megabytes of output wait less on the reader */
    if (report >= 0) {
        const char *nc = getenv("NO_COLOR");
        const char *term = getenv("TERM");
        ro.color = strcmp(color, "always") == 0 ||
                   (strcmp(color, "auto") == 0 && tty && !(term && strcmp(term, "dumb") == 0));
        if (nc && *nc && strcmp(color, "always") != 0)
            ro.color = false;
        ro.blocks = tty && !(term && strcmp(term, "dumb") == 0);
        ladder_config_keep_text(cfg, true);
        ladder_reporter *rep = ladder_report_begin(cfg, stdout, &ro, &err);
        if (!rep) {
            fprintf(stderr, "ladder: %s\n", err.message);
            rc = 2;
            goto out;
        }
        size_t errors = 0;
        int unreadable = lint_journals(NULL, rep, &errors, cfg, files, nfiles, stdin_name);
        if (ladder_report_end(rep, &err) != LADDER_OK) {
            if (!(err.status == LADDER_EWRITE && err.errnum == EPIPE))
                fprintf(stderr, "ladder: %s\n", err.message);
            rc = 2;
        } else if (unreadable) {
            rc = 2;
        }
        if (errors)
            fprintf(stderr, "ladder: %zu error%s in the journal ('ladder lint' reports %s); "
                    "reported anyway\n", errors, errors == 1 ? "" : "s",
                    errors == 1 ? "it" : "them");
        goto out;
    }
    if (!have_format)
        oo.format = tty ? LADDER_FORMAT_TTY : LADDER_FORMAT_GCC;
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    oo.color = strcmp(color, "always") == 0 ||
               (strcmp(color, "auto") == 0 && tty &&
                !(term && strcmp(term, "dumb") == 0));
    if (nc && *nc && strcmp(color, "always") != 0)
        oo.color = false;           /* the explicit flag wins (no-color.org) */

    ladder_renderer *w = ladder_render_begin(cfg, stdout, &oo, &err);
    if (!w) {
        fprintf(stderr, "ladder: %s\n", err.message);
        rc = 2;
        goto out;
    }
    /* Fixes cost memory and time: only for the forms that show them. */
    ladder_config_fixes(cfg, fix || oo.format != LADDER_FORMAT_GCC);
    int fixfail = 0;
    if (fix)
        for (int k = 0; k < nfiles; k++)
            if (ladder_fix_files(cfg, files[k]))
                fixfail = 1;
    int unreadable = lint_journals(w, NULL, NULL, cfg, files, nfiles, stdin_name);
    unreadable |= fixfail;
    ladder_totals t;
    if (ladder_render_end(w, &t, &err) != LADDER_OK) {
        /* A closed pipe: stop quietly (cli.md §2). */
        if (!(err.status == LADDER_EWRITE && err.errnum == EPIPE))
            fprintf(stderr, "ladder: %s\n", err.message);
        rc = 2;
    } else if (unreadable) {
        rc = 2;
    } else if (fail_on != LADDER_OFF &&
               ((fail_on <= LADDER_ERROR && t.errors) ||
                (fail_on <= LADDER_WARNING && t.warnings) ||
                (fail_on <= LADDER_NOTE && t.notes))) {
        rc = 1;
    }
out:
    free(files);
    ladder_config_free(cfg);
    return rc;
#undef FAIL
}

int main(int argc, char **argv)
{
    /* A closed pipe ends the program quietly, even when the parent left
     * SIGPIPE ignored (cli.md §2). */
    signal(SIGPIPE, SIG_DFL);
    if (argc < 2)
        return usage_error("%s", "no command or journal named");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        return finish_stdout(0, "the help");
    }
    if (!strcmp(cmd, "--version")) {
        printf("ladder %s\n", ladder_version());
        return finish_stdout(0, "the version");
    }
    if (!strcmp(cmd, "rules"))
        return cmd_rules(argc - 2, argv + 2);
    if (!strcmp(cmd, "explain"))
        return cmd_explain(argc - 2, argv + 2);
    if (!strcmp(cmd, "lint"))
        return cmd_lint(argc - 2, argv + 2, -1);
    for (int k = 0; k < 3; k++)
        if (!strcmp(cmd, report_names[k]))
            return cmd_lint(argc - 2, argv + 2, k);
    if (!strcmp(cmd, "lsp"))
        return ladder_lsp_command(argc - 2, argv + 2);
    if (!strcmp(cmd, "fmt"))
        return ladder_fmt_command(argc - 2, argv + 2);
    if (cmd[0] != '-' && unknown_command(cmd))
        return 2;
    return cmd_lint(argc - 1, argv + 1, -1);
}
