/* ladder.h - the public interface of ladder's core library.
 *
 * Everything the command line, the language server, `fmt` and the reports
 * need from the core goes through this header; nothing else of src/ is
 * public.  The types are opaque.  The library keeps no global state: two
 * journals can be linted at once, in one thread or in two (each with its
 * own config or sharing a const one).  It never calls exit() or abort():
 * running out of memory and unreadable root files come back as errors.
 *
 * A typical use:
 *
 *     ladder_config *cfg = ladder_config_new(NULL);
 *     ladder_config_set(cfg, LADDER_SET_TODAY, "2011-06-30", &err);
 *     ladder_journal *j = ladder_lint_file(cfg, "acme.ladder", &err);
 *     for (size_t i = 0; i < ladder_diag_count(j); i++) {
 *         const ladder_diag *d = ladder_diag_at(j, i);
 *         ladder_position p = ladder_diag_start(j, d, LADDER_UNIT_UTF16);
 *         printf("%u:%u %s\n", p.line, p.column, ladder_diag_message(j, d));
 *     }
 *     ladder_journal_free(j);
 *     ladder_config_free(cfg);
 */
#ifndef LADDER_H
#define LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- errors ---------------------------------------------------------------- */

typedef enum ladder_status {
    LADDER_OK = 0,
    LADDER_ENOMEM,          /* an allocation failed; nothing leaked */
    LADDER_EREAD,           /* the root file could not be read */
    LADDER_EINVAL,          /* a bad setting (name or value) */
    LADDER_EWRITE           /* output could not be written */
} ladder_status;

/* What went wrong, for one line on standard error ("ladder: MESSAGE"). */
typedef struct ladder_error {
    ladder_status status;
    int errnum;             /* errno of a failed read or write, else 0 */
    char message[512];
} ladder_error;

/* --- memory ---------------------------------------------------------------- */

/* Every byte the library allocates goes through this; NULL means malloc.
 * An allocation that returns NULL ends the call in progress with
 * LADDER_ENOMEM, after everything it had allocated has been freed. */
typedef struct ladder_allocator {
    void *(*alloc)(void *ud, size_t size);
    void *(*realloc)(void *ud, void *p, size_t size);
    void (*free)(void *ud, void *p);
    void *ud;
} ladder_allocator;

/* --- reading files ---------------------------------------------------------- */

/* Where the journal's files come from.  Before reading a file (the root
 * given by path, and every include), the library asks the provider:
 *   return 1: here is its text, bytes[0..len) (it must stay valid until
 *             release is called, or until the journal is freed);
 *   return 0: not mine, read it from the disk;
 *   return -1: it cannot be read (set *errnum).
 * `path` is the path the journal names, joined to the including file's
 * folder (not made absolute).  NULL provider, or NULL open: the disk. */
typedef struct ladder_provider {
    int (*open)(void *ud, const char *path, const char **bytes, size_t *len,
                int *errnum);
    void (*release)(void *ud, const char *path, const char *bytes);
    void *ud;
} ladder_provider;

/* --- configuration ---------------------------------------------------------- */

typedef struct ladder_config ladder_config;

typedef enum ladder_unit {
    LADDER_UNIT_BYTE,       /* bytes (vim's %c, gcc -fdiagnostics-column-unit=byte) */
    LADDER_UNIT_CHAR,       /* code points */
    LADDER_UNIT_DISPLAY,    /* screen columns: wide 2, combining 0, tab to 8 */
    LADDER_UNIT_UTF16       /* UTF-16 code units (LSP, SARIF) */
} ladder_unit;

typedef enum ladder_setting {
    LADDER_SET_TODAY,       /* "YYYY-MM-DD"; the default is the local date */
    LADDER_SET_OPTION,      /* "NAME=VALUE", as `option NAME VALUE` */
    LADDER_SET_RULE,        /* "ID=SEVERITY", as `rule ID SEVERITY` */
    LADDER_SET_STRICT,      /* "yes" or "no" */
    LADDER_SET_SINCE,       /* "YYYY-MM-DD", as `option since` */
    LADDER_SET_INCLUDE_ROOT,/* a folder: includes may name only files in it
                             * (after realpath); "" lifts the restriction */
    LADDER_SET_CHUNK        /* bytes read at a time (tests); "0" the default */
} ladder_setting;

/* A new configuration with the defaults; NULL when out of memory.  The
 * allocator (copied) serves every journal linted with this config. */
ladder_config *ladder_config_new(const ladder_allocator *alloc);
void ladder_config_free(ladder_config *cfg);
/* Change a setting; LADDER_EINVAL with a message naming what is wrong. */
ladder_status ladder_config_set(ladder_config *cfg, ladder_setting what,
                                const char *value, ladder_error *err);
void ladder_config_set_provider(ladder_config *cfg, const ladder_provider *p);
/* Attach fixes to the diagnostics (cli.md section 5; the default).  Off,
 * a lint takes less memory and time: for output that shows no fix. */
void ladder_config_fixes(ladder_config *cfg, bool on);
/* Keep every file's text after parsing (the language server and `fmt`
 * need it; `lint` on a big file streams it and keeps only the line map). */
void ladder_config_keep_text(ladder_config *cfg, bool keep);

/* --- linting ---------------------------------------------------------------- */

typedef struct ladder_journal ladder_journal;

/* Lint the journal whose root is `path` (through the provider first).
 * NULL on failure, with *err set (err may be NULL). */
ladder_journal *ladder_lint_file(const ladder_config *cfg, const char *path,
                                 ladder_error *err);
/* The same, the root read from a descriptor (standard input; read in
 * chunks and kept, the descriptor left open) and reported as `name`, which
 * also locates its includes; when `name` is an existing file, the root is
 * that file for include cycles. */
ladder_journal *ladder_lint_fd(const ladder_config *cfg, int fd,
                               const char *name, ladder_error *err);
/* The same over bytes in memory, which must outlive the journal. */
ladder_journal *ladder_lint_bytes(const ladder_config *cfg, const char *name,
                                  const char *bytes, size_t len,
                                  ladder_error *err);
void ladder_journal_free(ladder_journal *j);

/* The files the journal read, in reading order (the root first). */
size_t ladder_file_count(const ladder_journal *j);
const char *ladder_file_name(const ladder_journal *j, size_t i);
/* A file's text, when the config keeps text (else NULL). */
const char *ladder_file_text(const ladder_journal *j, size_t i, size_t *len);

/* --- diagnostics ------------------------------------------------------------ */

typedef enum ladder_severity {
    LADDER_OFF = 0, LADDER_NOTE = 1, LADDER_WARNING = 2, LADDER_ERROR = 3
} ladder_severity;

typedef struct ladder_diag ladder_diag;
typedef struct ladder_note ladder_note;

typedef struct ladder_position {
    uint32_t line;          /* from 1 */
    uint32_t column;        /* from 1, in the unit asked for */
} ladder_position;

typedef struct ladder_span {
    size_t file;            /* index for ladder_file_name() */
    uint32_t start, end;    /* byte offsets into the file as read; [start, end) */
} ladder_span;

/* Diagnostics in output order: file, line, column, rule id. */
size_t ladder_diag_count(const ladder_journal *j);
const ladder_diag *ladder_diag_at(const ladder_journal *j, size_t i);
const char *ladder_diag_rule(const ladder_diag *d);
ladder_severity ladder_diag_severity(const ladder_diag *d);
/* Whether d says the text does not follow the format (the `syntax` rule):
 * what `fmt` and `--fix` refuse to write over. */
bool ladder_diag_is_syntax(const ladder_diag *d);
/* The message, in a buffer the journal owns, valid until the next call of
 * ladder_diag_message or ladder_note_message on the same journal. */
const char *ladder_diag_message(const ladder_journal *j, const ladder_diag *d);
ladder_span ladder_diag_span(const ladder_journal *j, const ladder_diag *d);
ladder_position ladder_diag_start(const ladder_journal *j, const ladder_diag *d,
                                  ladder_unit unit);
ladder_position ladder_diag_end(const ladder_journal *j, const ladder_diag *d,
                                ladder_unit unit);

size_t ladder_note_count(const ladder_journal *j, const ladder_diag *d);
const ladder_note *ladder_note_at(const ladder_journal *j, const ladder_diag *d,
                                  size_t i);
const char *ladder_note_message(const ladder_journal *j, const ladder_note *n);
ladder_span ladder_note_span(const ladder_journal *j, const ladder_note *n);
ladder_position ladder_note_start(const ladder_journal *j, const ladder_note *n,
                                  ladder_unit unit);

/* --- fixes (cli.md section 5) ---------------------------------------------- */

/* A fix is a set of byte-range replacements with a description.  A safe
 * fix (at most one a diagnostic, and first) is what `ladder lint --fix`
 * applies; the others are suggestions, only offered. */
typedef struct ladder_fix ladder_fix;

typedef enum ladder_applicability {
    LADDER_FIX_SAFE, LADDER_FIX_SUGGESTION
} ladder_applicability;

typedef struct ladder_edit {
    ladder_span span;       /* the bytes replaced (start == end: an insertion) */
    const char *text;       /* the replacement, NUL-terminated */
    size_t len;
} ladder_edit;

size_t ladder_diag_fix_count(const ladder_journal *j, const ladder_diag *d);
const ladder_fix *ladder_diag_fix_at(const ladder_journal *j, const ladder_diag *d,
                                     size_t i);
ladder_applicability ladder_fix_applicability(const ladder_fix *f);
const char *ladder_fix_description(const ladder_fix *f);
size_t ladder_fix_edit_count(const ladder_fix *f);
/* Edit k, in offset order; the edits of a fix never overlap. */
ladder_edit ladder_fix_edit_at(const ladder_fix *f, size_t k);

/* The text of file `file` (the config must keep text) with the journal's
 * safe fixes applied, each whole or not at all: one that overlaps a fix
 * taken before it (in diagnostic order) is left for the next run.
 * Writes at most `cap` bytes to out and returns the size of the result
 * (out NULL, cap 0: only the size); *applied gets how many fixes were
 * applied.  (size_t)-1 when the text is not kept or memory ran out. */
size_t ladder_fix_file(const ladder_journal *j, size_t file, char *out,
                       size_t cap, size_t *applied);

/* Any byte offset of file `file` as a position in `unit`. */
ladder_position ladder_position_of(const ladder_journal *j, size_t file,
                                   uint32_t offset, ladder_unit unit);

/* --- the journal's model (language server, reports) ----------------------- */

/* A position that is not anywhere: a default rung, an undeclared client. */
#define LADDER_NOWHERE ((size_t)-1)

typedef struct ladder_client_info {
    const char *name;       /* as declared, or as first written; NFC */
    bool declared;
    ladder_span decl;       /* the name in its `client` line; file LADDER_NOWHERE if none */
    size_t naliases;
    size_t nentries;        /* entries naming it (valid dates only) */
} ladder_client_info;

/* Clients in order of first mention. */
size_t ladder_client_count(const ladder_journal *j);
void ladder_client_get(const ladder_journal *j, size_t i, ladder_client_info *out);
/* Alias k of client i, and where it is declared. */
const char *ladder_client_alias(const ladder_journal *j, size_t i, size_t k,
                                ladder_span *at);
/* The client that a name or alias names (after NFC), or LADDER_NOWHERE. */
size_t ladder_client_lookup(const ladder_journal *j, const char *name, size_t len);

/* Where a client's climb stands (the `ladder clients` row, less the flags,
 * which are the ladder rules' diagnostics): src/ladder_query_lsp.c. */
typedef struct ladder_climb_info {
    int level;                  /* rank of its highest commitment; 0: none */
    const char *level_rung;     /* that rung's name; "" at level 0 */
    int last_year, last_month, last_day;    /* its last held entry; 0: none */
    size_t held;                /* held entries (valid dates) */
    const char *last_ask;       /* the rung of its last ask in a held entry, or NULL */
    char last_answer;           /* 'y' yes, 'n' no, 'l' later, '?' none yet */
    char next;                  /* its last entry's next step: 'd' dated,
                                 * 't' unscheduled, 'n' `next none`, 0 none */
    int next_year, next_month, next_day;    /* when 'd' */
    ladder_span next_at;        /* the next line (its keyword to its end) */
    bool won;                   /* it committed to the top rung */
} ladder_climb_info;

void ladder_client_climb(const ladder_journal *j, size_t i, ladder_climb_info *out);

/* --- a client's state, and the reports (cli.md section 7; src/report.c) --- */

/* The flags the ladder rules raise for a client now. */
enum {
    LADDER_FLAG_STALLED = 1,    /* its current run has met stall-after */
    LADDER_FLAG_ONE_SIDED = 2,  /* ... one-sided-after, with a gave line */
    LADDER_FLAG_DECLINING = 4,  /* ... decline-after (no-mutual-interest) */
    LADDER_FLAG_OVERDUE = 8,    /* overdue-next: a next step is past due */
    LADDER_FLAG_WON = 16        /* it committed to the top rung */
};

typedef enum ladder_next_kind {
    LADDER_NEXT_MISSING,        /* nothing recorded after its last entry */
    LADDER_NEXT_DATED,          /* next DATE ... */
    LADDER_NEXT_UNSCHEDULED,    /* next TEXT */
    LADDER_NEXT_NONE,           /* next none: the pursuit is closed */
    LADDER_NEXT_PLANNED         /* its last entry is a planned (!) call */
} ladder_next_kind;

/* Where a client's climb stands: the `ladder clients` row.  Computed by
 * the rule engine's own steps (src/ladder_rules.c), so that it shows what
 * over-ask, stalled, one-sided, no-mutual-interest and overdue-next see. */
typedef struct ladder_client_state {
    const char *name;
    int level;                  /* rank of its highest commitment; 0: none */
    const char *level_rung;     /* that rung's name; "" at level 0 */
    ladder_span level_at;       /* the commitment that set it (file LADDER_NOWHERE at 0) */
    bool contacted;             /* it has a held entry: */
    int last_year, last_month, last_day;    /* the last one's date */
    long days_since;            /* today minus that date */
    ladder_span last_at;        /* its header */
    const char *ask_rung;       /* its last ask (held entries), or NULL */
    char ask_answer;            /* 'y' yes, 'n' no, 'l' later, '?' none yet */
    ladder_span ask_at;
    ladder_next_kind next;      /* its next step, from its last entry */
    int next_year, next_month, next_day;    /* DATED and PLANNED */
    int next_minutes;           /* -1: no time */
    ladder_span next_at;        /* the next line, or the planned header */
    ladder_span next_text_at;   /* the step's text as the row shows it: a next
                                 * line's text after its date and rung, no
                                 * comment; a planned entry's title (file
                                 * LADDER_NOWHERE when none) */
    size_t held;                /* held entries */
    size_t calls;               /* held entries that are not touches */
    size_t gives;               /* gave lines in held entries */
    size_t commitments;         /* ask -> yes and got lines in held entries */
    unsigned flags;             /* LADDER_FLAG_* */
} ladder_client_state;

void ladder_client_state_get(const ladder_journal *j, size_t i, ladder_client_state *out);
/* The word for flag LADDER_FLAG_* `flag` ("stalled", "one-sided",
 * "declining", "overdue", "won"), as the reports write it; NULL for none. */
const char *ladder_flag_name(unsigned flag);

typedef enum ladder_report_kind {
    LADDER_REPORT_AGENDA, LADDER_REPORT_CLIENTS, LADDER_REPORT_PIPELINE
} ladder_report_kind;

typedef enum ladder_report_format {
    LADDER_REPORT_TEXT, LADDER_REPORT_CSV, LADDER_REPORT_JSON
} ladder_report_format;

typedef enum ladder_report_sort {
    LADDER_SORT_NAME, LADDER_SORT_LAST, LADDER_SORT_LEVEL
} ladder_report_sort;

typedef struct ladder_report_options {
    ladder_report_kind kind;
    ladder_report_format format;
    ladder_report_sort sort;    /* clients */
    long days;                  /* agenda: the coming section's days (>= 0) */
    bool color;                 /* text: ANSI colours */
    bool blocks;                /* text: pipeline bars in block characters */
} ladder_report_options;

typedef struct ladder_reporter ladder_reporter;

/* As the renderer: begin, one call per journal, end.  The output is
 * buffered and written whole by ladder_report_end. */
ladder_reporter *ladder_report_begin(const ladder_config *cfg, FILE *out,
                                     const ladder_report_options *o,
                                     ladder_error *err);
ladder_status ladder_report_journal(ladder_reporter *r, const ladder_journal *j,
                                    ladder_error *err);
ladder_status ladder_report_end(ladder_reporter *r, ladder_error *err);

/* Client i's `ladder clients` row in text form (a header line and the
 * row, no colour), as the language server's hover shows it. */
ladder_status ladder_report_client(const ladder_journal *j, size_t i, FILE *out,
                                   ladder_error *err);

typedef struct ladder_rung_info {
    const char *name;
    const char *description;    /* "" when none */
    int rank;                   /* from 1 */
    ladder_span at;             /* file LADDER_NOWHERE for the default ladder */
} ladder_rung_info;

size_t ladder_rung_count(const ladder_journal *j);
void ladder_rung_get(const ladder_journal *j, size_t i, ladder_rung_info *out);

typedef struct ladder_entry_info {
    ladder_span header;         /* the header line */
    ladder_span whole;          /* the header through its last item's line */
    ladder_span date, client, title;    /* title: start == end when absent */
    int year, month, day;       /* day 0: not a real date */
    int minutes;                /* -1: no time */
    char status;                /* '*' held, '!' planned, '~' cancelled */
    const char *kind;           /* "call" when omitted */
    size_t client_index;        /* for ladder_client_get */
    size_t nitems;
} ladder_entry_info;

/* Entries in journal order (includes in place). */
size_t ladder_entry_count(const ladder_journal *j);
void ladder_entry_get(const ladder_journal *j, size_t i, ladder_entry_info *out);

typedef struct ladder_include_info {
    ladder_span at;             /* the path in the include line */
    const char *path;           /* as written */
    size_t target;              /* the file read, or LADDER_NOWHERE */
} ladder_include_info;

size_t ladder_include_count(const ladder_journal *j);
void ladder_include_get(const ladder_journal *j, size_t i, ladder_include_info *out);

/* --- formatting ------------------------------------------------------------ */

/* The canonical form of one journal file (cli.md §6), its includes not
 * read.  Returns the file's journal, holding only its `syntax` errors
 * (render it to show them), or NULL with *err set (out of memory).  When
 * the file has no syntax error, *out is its canonical text (NUL-terminated,
 * from the config's allocator; free it with ladder_fmt_free) and *outlen
 * its length; with a syntax error, *out is NULL: the file is not formatted. */
ladder_journal *ladder_fmt(const ladder_config *cfg, const char *name,
                           const char *bytes, size_t len, char **out,
                           size_t *outlen, ladder_error *err);
void ladder_fmt_free(const ladder_config *cfg, char *text);

/* --- rendering -------------------------------------------------------------- */

typedef enum ladder_format {
    LADDER_FORMAT_GCC, LADDER_FORMAT_JSON, LADDER_FORMAT_SARIF, LADDER_FORMAT_TTY
} ladder_format;

typedef struct ladder_render_options {
    ladder_format format;
    ladder_unit unit;       /* gcc, tty, json columns; sarif is always UTF-16 */
    bool color;             /* tty */
    bool quiet;             /* print only errors */
} ladder_render_options;

/* Counts of every diagnostic rendered, printed or not (-q). */
typedef struct ladder_totals {
    unsigned errors, warnings, notes, journals;
} ladder_totals;

typedef struct ladder_renderer ladder_renderer;

/* json and sarif are one document for every journal of a run: begin,
 * one call per journal, end.  The output is buffered: a json or sarif
 * document is written whole by ladder_render_end or not at all. */
ladder_renderer *ladder_render_begin(const ladder_config *cfg, FILE *out,
                                     const ladder_render_options *o,
                                     ladder_error *err);
ladder_status ladder_render_journal(ladder_renderer *r, const ladder_journal *j,
                                    ladder_error *err);
/* A named file that could not be read (`message` says why): the run goes
 * on without it, and the sarif form says so in its invocation
 * (executionSuccessful false, a notification naming the file; `name` NULL
 * for standard input).  The other forms write nothing for it: the caller
 * tells the user. */
ladder_status ladder_render_unreadable(ladder_renderer *r, const char *name,
                                       const char *message, ladder_error *err);
/* Finish and free the renderer; *totals (may be NULL) gets the counts. */
ladder_status ladder_render_end(ladder_renderer *r, ladder_totals *totals,
                                ladder_error *err);

/* --- the rule registry ------------------------------------------------------ */

typedef struct ladder_rule_info {
    const char *id;
    const char *category;   /* "structure", "ladder" or "suppression" */
    ladder_severity severity;   /* default */
    const char *summary;    /* one line */
    const char *explain;    /* `ladder explain` */
    const char *options;    /* the options it reads, comma-separated, or "" */
} ladder_rule_info;

/* The registry's rows, copied out: false when there is no such rule. */
size_t ladder_rule_count(void);
bool ladder_rule_at(size_t i, ladder_rule_info *out);
bool ladder_rule_find(const char *id, ladder_rule_info *out);
/* The id nearest to a misspelt one (for "did you mean"). */
const char *ladder_rule_nearest(const char *id);
const char *ladder_severity_name(ladder_severity s);
/* The Levenshtein distance of two words, as "did you mean" uses it; words
 * longer than 64 bytes are SIZE_MAX apart. */
size_t ladder_edit_distance(const char *a, const char *b);
/* Days since 1970-01-01 of a calendar date (proleptic Gregorian), and the
 * date back from such a count. */
long ladder_days_from_date(int year, int month, int day);
void ladder_date_from_days(long days, int *year, int *month, int *day);

const char *ladder_version(void);

/* --- the program's commands -------------------------------------------------
 * The layers that the `ladder` program runs over this interface, as
 * functions, so that a program embeds them with this header alone.  argv
 * holds the arguments after the command's name; each returns the exit
 * status of cli.md, with its messages on standard error. */

/* `ladder lsp [--stdio]`: the language server on standard input and
 * output (lsp.md). */
int ladder_lsp_command(int argc, char **argv);
/* `ladder fmt [-w | --check | --diff] FILE... | -` (cli.md section 6). */
int ladder_fmt_command(int argc, char **argv);
/* `lint --fix` on the journal whose root is `path`, includes too: the safe
 * fixes applied in memory run after run until none is left, then each
 * changed file replaced atomically; nothing written when a file to change
 * is not a regular file, changed on disk since it was read, or when the
 * result has more syntax errors than the original.  Returns 0, or 2.  The
 * config's provider and keep-text setting are borrowed and restored (to
 * none and false). */
int ladder_fix_files(ladder_config *cfg, const char *path);

#ifdef __cplusplus
}
#endif

#endif
