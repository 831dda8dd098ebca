/* model.h - one journal as the pipeline builds it: the settings it was
 * linted with, its files, the resolved model (rungs, clients, entries in
 * chronological order), its diagnostics.  Types only: journal.h runs the
 * pipeline, resolve.h settles the model, the rules read it. */
#ifndef LADDER_MODEL_H
#define LADDER_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "names.h"
#include "options.h"
#include "rules.h"

struct arena;
struct names;


/* Settings from the command line; they override the journal's directives. */
struct config {
    struct date today;
    int option[OPT_COUNT];          /* -1: not set on the command line */
    const char *touch_kinds;        /* the text of touch-kinds, if set there */
    int severity[R_COUNT];          /* -1: not set, else enum severity */
    uint32_t chunk;                 /* bytes read at a time; 0: the default */
    uint32_t max_line;              /* longer lines are skipped; 0: 1 GiB */
    uint32_t split;                 /* a file this long or longer is parsed in
                                     * two halves on two threads (journal.c);
                                     * 0: the default, UINT32_MAX: never */
    uint32_t rules_split;           /* a journal of this many entries or more
                                     * has its ladder rules checked on two
                                     * threads (ladder_rules.c), and its
                                     * chronology made beside date-order and
                                     * duplicate-entry (resolve.c); 0: the
                                     * default, UINT32_MAX: never */
    char *include_root;             /* includes only inside this folder; NULL:
                                     * any (ladder.c owns the copy) */
    struct provider {               /* ladder.h's ladder_provider */
        int (*open)(void *ud, const char *path, const char **bytes,
                    size_t *len, int *errnum);
        void (*release)(void *ud, const char *path, const char *bytes);
        void *ud;
    } provider;                     /* open == NULL: every file from the disk */
    struct allocator alloc;         /* alloc == NULL: malloc */
    bool keep_text;                 /* keep every file's text after parsing */
    bool no_fixes;                  /* attach no fixes (ladder_config_fixes) */
};

void config_init(struct config *c, struct date today);

/* The name standard input is reported under without --stdin-filename. */
#define STDIN_NAME "<stdin>"

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
    uint32_t *entries;              /* chronological, after resolve: indices
                                     * into journal.entries (client_entry) */
    uint32_t nentries, cap;
    uint32_t index;                 /* its place in the list below, from 0 */
    struct client *link;            /* all clients, in order of first mention */
};

struct journal {
    struct mem *mem;                /* everything below comes from it */
    struct arena *arena;
    const struct config *config;
    struct diag_list diags;
    struct file *root;
    bool alone;                     /* fmt: the root alone, syntax errors only */
    struct file **files;            /* every file read, in reading order */
    uint32_t nfiles, capfiles;
    /* Settled by resolve: */
    int option[OPT_COUNT];
    enum severity severity[R_COUNT];
    uint32_t *touch_kinds;          /* interned kinds that are touches */
    uint32_t ntouch_kinds;
    struct date since;              /* option since; .valid false when none */
    struct rung *rungs;
    int nrungs;
    struct client *clients;         /* in order of first mention */
    struct client *clients_last;
    uint32_t nclients;
    void **entries;                 /* journal order (seq): struct entry
                                     * pointers (journal_entry); the root
                                     * file's nodes themselves when it is
                                     * the journal and holds entries only */
    uint32_t nentries;
    uint32_t *chrono;               /* by date, time, seq; valid dates only:
                                     * indices into entries (chrono_entry) */
    uint32_t nchrono;
    struct names *names;            /* every name interned (names.h) */
    uint32_t suggestions;           /* "did you mean" searches made so far */
    struct provided {               /* texts the provider lent, to give back */
        const char *path, *bytes;
        struct provided *link;
    } *provided;
    const char **phrases;           /* ladder_rules.c's phrases per level, made once */
};

/* An entry's client, after resolve: its name's (or alias's), which
 * resolve sets for every name an entry is written with.  Not kept in the
 * entry: there is one a call. */
static inline struct client *entry_who(const struct journal *j, const struct entry *e)
{
    return e->client ? name_get(j->names, e->client)->client : NULL;
}

/* The journal's i-th entry (seq i). */
static inline struct entry *journal_entry(const struct journal *j, uint32_t i)
{
    return j->entries[i];
}

/* The i-th entry of a client's history, and of the journal's chronology:
 * indices of 4 bytes, not pointers, since these lists hold every entry. */
static inline struct entry *client_entry(const struct journal *j,
                                         const struct client *c, uint32_t i)
{
    return journal_entry(j, c->entries[i]);
}

static inline struct entry *chrono_entry(const struct journal *j, uint32_t i)
{
    return journal_entry(j, j->chrono[i]);
}

/* Is a date before the journal's `since` date (option since)?  Such
 * entries take part in the climb but are reported by no rule that since
 * names. */
static inline bool journal_before_since(const struct journal *j, struct date d)
{
    return j->since.valid && d.valid && date_cmp(d, j->since) < 0;
}

#endif
