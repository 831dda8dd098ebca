/* journal.h - one journal: its files, the resolved model, its diagnostics.
 *
 * journal_lint() is the whole pipeline for one journal: read the root file
 * and its includes, parse, resolve names and rungs, run every rule, settle
 * severities.  The command line, the tests and the fuzzer all call it.
 */
#ifndef LADDER_JOURNAL_H
#define LADDER_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"
#include "ladder.h"
#include "rules.h"

struct arena;
struct names;

enum option_id { OPT_MAX_STEP, OPT_STALL_AFTER, OPT_ONE_SIDED_AFTER,
                 OPT_DECLINE_AFTER, OPT_STRICT, OPT_COUNT };

/* Settings from the command line; they override the journal's directives. */
struct config {
    struct date today;
    int option[OPT_COUNT];          /* -1: not set on the command line */
    int severity[R_COUNT];          /* -1: not set, else enum severity */
    uint32_t chunk;                 /* bytes read at a time; 0: the default */
    ladder_provider provider;       /* open == NULL: every file from the disk */
    bool keep_text;                 /* keep every file's text after parsing */
};

void config_init(struct config *c, struct date today);

struct rung {
    const char *name;
    const char *desc;
    int rank;                       /* from 1 */
    const struct source *src;       /* NULL for the default ladder */
    struct span at;
};

struct client {
    const char *name;               /* as declared or first written, folded */
    bool declared;
    bool looked_up;                 /* an undeclared client's suggestion is known */
    const char *suggest;            /* ... and is this (NULL: none) */
    struct entry **entries;         /* chronological, after resolve */
    uint32_t nentries, cap;
    uint32_t index;                 /* its place in the list below, from 0 */
    struct client *link;            /* all clients, in order of first mention */
};

struct journal {
    struct arena *arena;
    const struct config *config;
    struct diag_list diags;
    struct file *root;
    struct file **files;            /* every file read, in reading order */
    uint32_t nfiles, capfiles;
    /* Settled by resolve: */
    int option[OPT_COUNT];
    enum severity severity[R_COUNT];
    struct rung *rungs;
    int nrungs;
    struct client *clients;         /* in order of first mention */
    struct client *clients_last;
    uint32_t nclients;
    struct entry **entries;         /* journal order (seq) */
    uint32_t nentries;
    struct entry **chrono;          /* by date, time, seq; valid dates only */
    uint32_t nchrono;
    struct names *names;            /* every name interned (names.h) */
    uint32_t suggestions;           /* "did you mean" searches made so far */
    struct provided {               /* texts the provider lent, to give back */
        const char *path, *bytes;
        struct provided *link;
    } *provided;
};

/* Lint a journal.  `path` is a file, or NULL to read `fd` (standard input)
 * reported as `name`.  Returns NULL only when the root file cannot be read
 * (with *err set); the caller reports that and exits 2. */
struct journal *journal_lint(const struct config *cfg, const char *path,
                             const char *name, int fd, const char **err);
/* The same over bytes in memory (tests, fuzzing). */
struct journal *journal_lint_bytes(const struct config *cfg, const char *name,
                                   const char *bytes, size_t len);
void journal_free(struct journal *j);

/* Names and parsing of option values shared by the directive and the CLI. */
int option_find(const char *name, size_t len);
/* The option's value from text, or -1 if the value is not valid for it. */
int option_parse_value(enum option_id o, const char *v, size_t len);

/* The rung with this name, or NULL. */
const struct rung *journal_rung(const struct journal *j, const char *name,
                                size_t len);

int date_cmp(struct date a, struct date b);
bool date_parse(const char *s, size_t len, struct date *d); /* shape + validity */
bool date_valid(int y, int m, int d);

#endif
