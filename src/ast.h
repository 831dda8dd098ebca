/* ast.h - the journal as read: files, blocks, entries, items.
 *
 * All nodes live in the journal's arena.  Positions are byte offsets into
 * the node's source file (struct span).  The text itself is read a chunk at
 * a time and is gone once parsed (source.h): names are interned (names.h)
 * and directive texts copied.  struct text is the parser's slice of the
 * chunk being scanned, trimmed, valid only while its line is being built.
 */
#ifndef LADDER_AST_H
#define LADDER_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"

struct source;
struct client;

struct span {
    uint32_t start, end;            /* [start, end) byte offsets */
};

struct text {
    const char *p;                  /* into the chunk; NULL if absent */
    uint32_t len;
    struct span at;
};

/* A `ladder-ignore` comment: `all` (every rule but syntax) or a set of rules. */
struct ignore {
    bool present;
    bool all;
    uint32_t rec;                   /* its record in the diag list (diag.h), + 1 */
    uint64_t rules;                 /* bit (1 << rule id) */
};


enum status { ST_HELD, ST_PLANNED, ST_CANCELLED };
enum outcome { OUT_NONE, OUT_YES, OUT_NO, OUT_LATER };
enum item_kind { IT_PLAN, IT_ASK, IT_GOT, IT_GAVE, IT_NEXT, IT_NOTE };
/* NEXT_BROKEN: a `next` line with a syntax error; it still counts as a
 * next step for missing-next, and for nothing else. */
enum next_form { NEXT_DATED, NEXT_TEXT, NEXT_NONE, NEXT_BROKEN };

/* Items are most of a journal's AST, so they hold spans of the entry's
 * source and interned name ids, never text.  An absent part is the empty
 * span {0, 0} (an item is indented, so no part starts at 0).  The items of
 * an entry are one array, in line order. */
struct item {
    struct span at;                 /* the whole line, indent excluded; starts
                                     * with the keyword (item_kw) */
    struct span rung;               /* plan/ask/got; a dated next's rung */
    struct span text;               /* a dated next's: the rest after its first
                                     * word (item_next_text) */
    union {
        struct span outcome_at;     /* ask only */
        struct span date_at;        /* next only */
    };
    uint32_t rung_name;             /* interned rung word (names.h), 0 if none;
                                     * a dated next's first word */
    struct date date;               /* next only, NEXT_DATED */
    int16_t minutes;                /* next time in minutes, -1 if none */
    int16_t rank;                   /* the rung's rank after resolve, 0 unknown */
    unsigned kind : 3;              /* enum item_kind */
    unsigned outcome : 2;           /* enum outcome, ask only */
    unsigned next : 2;              /* enum next_form, next only */
};

_Static_assert(sizeof(struct item) <= 48 && sizeof(struct item) % 8 == 0,
               "items are most of the AST: keep them small");

static inline bool span_empty(struct span s)
{
    return s.end == s.start;
}

/* A dated `next`: the parser keeps its first word in `rung` and the rest in
 * `text`; the first word is the rung only when it names a rung of the
 * ladder, which resolve records as a rank.  These give the line's rung
 * (empty when none) and its text (empty when none) either way. */
static inline struct span item_next_rung(const struct item *it)
{
    struct span none = { 0, 0 };
    return it->rank ? it->rung : none;
}

static inline struct span item_next_text(const struct item *it)
{
    if (it->rank || span_empty(it->rung))
        return it->text;
    struct span s = { it->rung.start, span_empty(it->text) ? it->rung.end : it->text.end };
    return s;
}

/* The item's keyword: the line starts with it. */
static inline struct span item_kw(const struct item *it)
{
    static const uint8_t len[] = { [IT_PLAN] = 4, [IT_ASK] = 3, [IT_GOT] = 3,
                                   [IT_GAVE] = 4, [IT_NEXT] = 4, [IT_NOTE] = 4 };
    struct span s = { it->at.start, it->at.start + len[it->kind] };
    return s;
}

/* An entry keeps spans and interned name ids (names.h), never text. */
struct entry {
    const struct source *src;
    struct item *items;             /* nitems of them, in line order */
    struct client *who;             /* resolved */
    uint32_t seq;                   /* position in the journal (includes in place) */
    uint32_t nitems;
    struct span at;                 /* the header line; the date starts it */
    struct span status_at;          /* empty when the mark is omitted */
    struct span kind_at;            /* without parentheses; empty when absent */
    struct span client_at;          /* as written (not folded) */
    struct span title_at;           /* empty when absent */
    uint32_t kind;                  /* interned, folded; 0 when absent (a call) */
    uint32_t client;
    uint32_t title;                 /* hash of the folded title; 0 when absent */
    struct date date;
    int16_t minutes;                /* -1 if no time */
    uint8_t status;                 /* enum status */
    uint8_t date_len;               /* the date is [at.start, at.start + date_len) */
    uint8_t touch;                  /* resolve: its kind is in touch-kinds */
};

_Static_assert(sizeof(struct entry) <= 96, "an entry per call: keep it small");

static inline struct span entry_date_at(const struct entry *e)
{
    struct span s = { e->at.start, e->at.start + e->date_len };
    return s;
}

/* A copy of directive text, in the arena: directives are few, so they keep
 * their text (resolve reads it after the source is gone). */
struct str {
    const char *s;                  /* NUL-terminated; NULL if absent */
    uint32_t len;
    struct span at;
};

struct rung_def {
    uint32_t name;                  /* interned */
    struct span at;
    struct str desc;                /* folded */
    struct rung_def *link;
};

enum block_kind { BK_ENTRY, BK_LADDER, BK_CLIENT, BK_OPTION, BK_RULE, BK_INCLUDE };

struct alias_def {
    uint32_t name;                  /* interned, folded */
    struct span at;
    struct alias_def *link;
};

/* A directive (entries are not blocks). */
struct block {
    enum block_kind kind;
    struct span at;                 /* the first line */
    struct span kw;                 /* the directive keyword */
    union {
        struct {                    /* BK_LADDER */
            struct rung_def *rungs, **tail;
        } ladder;
        struct {                    /* BK_CLIENT */
            uint32_t name;          /* interned, folded */
            struct span name_at;
            struct alias_def *aliases, **tail;
        } client;
        struct {                    /* BK_OPTION, BK_RULE: NAME VALUE */
            struct str name, value;
        } setting;
        struct {                    /* BK_INCLUDE */
            struct str path;        /* not folded */
            struct file *file;      /* the included file, NULL if unreadable */
        } include;
    } u;
};

/* A comment as the scanner read it: from its ';' or '#' to the end of
 * its line (the line feed excluded); `line` when it stands on a line of
 * its own (then `indent` says whether blanks come before it). */
struct comment {
    struct span at;
    bool line, indent;
};

/* One source file of a journal and what the parser made of it: its entries
 * and directives in line order, node[i] being a struct entry when
 * node_kind[i] is BK_ENTRY, else a struct block.  The two arrays are on
 * the heap (journal_free frees them), the nodes in the arena. */
struct file {
    const struct source *src;
    void **node;
    uint8_t *node_kind;             /* enum block_kind */
    uint32_t nnodes;
    uint32_t nentries;
    struct comment *comments;       /* every comment, in file order (arena) */
    uint32_t ncomments, capcomments;
};

#endif
