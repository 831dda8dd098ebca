/* ast.h - the journal as read: files, blocks, entries, items.
 *
 * All nodes live in the journal's arena.  Positions are byte offsets into
 * the node's source buffer (struct span); struct text is a slice of that
 * buffer, trimmed, with `norm` the blank-folded copy used for matching.
 */
#ifndef LADDER_AST_H
#define LADDER_AST_H

#include <stdbool.h>
#include <stdint.h>

struct source;
struct client;

struct span {
    uint32_t start, end;            /* [start, end) byte offsets */
};

struct text {
    const char *p;                  /* into the source buffer; NULL if absent */
    uint32_t len;
    struct span at;
    const char *norm;               /* inner blank runs folded to one space */
    uint32_t normlen;               /* (norm == p when nothing needed folding) */
};

/* A `ladder-ignore` comment: `all` (every rule but syntax) or a set of rules. */
struct ignore {
    bool present;
    bool all;
    uint64_t rules;                 /* bit (1 << rule id) */
};

struct date {                       /* packed: an AST holds many */
    int16_t year;
    int8_t month, day;
    bool valid;                     /* a real calendar date */
};

enum status { ST_HELD, ST_PLANNED, ST_CANCELLED };
enum outcome { OUT_NONE, OUT_YES, OUT_NO, OUT_LATER };
enum item_kind { IT_PLAN, IT_ASK, IT_GOT, IT_GAVE, IT_NEXT, IT_NOTE };
enum next_form { NEXT_DATED, NEXT_TEXT, NEXT_NONE };

/* Items are most of a journal's AST, so they hold spans of the entry's
 * source, not texts: nothing matches on an item's text.  An absent part is
 * the empty span {0, 0} (an item is indented, so no part starts at 0). */
struct item {
    struct item *link;              /* next item of the entry, in line order */
    struct span at;                 /* the whole line, indent excluded */
    struct span kw;                 /* the keyword */
    struct span rung;               /* plan/ask/got; a dated next's rung */
    struct span text;
    struct span outcome_at;         /* ask only */
    struct span date_at;            /* next only */
    struct date date;               /* next only, NEXT_DATED */
    int16_t minutes;                /* next time in minutes, -1 if none */
    int16_t rank;                   /* the rung's rank after resolve, 0 unknown */
    uint8_t kind;                   /* enum item_kind */
    uint8_t outcome;                /* enum outcome, ask only */
    uint8_t next;                   /* enum next_form, next only */
};

static inline bool span_empty(struct span s)
{
    return s.end == s.start;
}

struct entry {
    const struct source *src;
    uint32_t seq;                   /* position in the journal (includes in place) */
    struct span at;                 /* the header line */
    struct span end;                /* end of the entry's last line */
    struct date date;
    struct span date_at;
    int minutes;                    /* -1 if no time */
    struct span time_at;
    enum status status;
    struct span status_at;          /* empty when the mark is omitted */
    struct text kind;               /* without parentheses; absent = call */
    struct text client;
    struct text title;
    struct client *who;             /* resolved */
    struct item *items, **items_tail;
    uint32_t nitems;
    struct ignore ignore;
};

struct rung_def {
    struct text name;
    struct text desc;
    struct rung_def *link;
};

enum block_kind { BK_ENTRY, BK_LADDER, BK_CLIENT, BK_OPTION, BK_RULE, BK_INCLUDE };

struct alias_def {
    struct text name;
    struct alias_def *link;
};

struct block {
    enum block_kind kind;
    struct span at;                 /* the first line */
    struct span kw;                 /* the directive keyword */
    union {
        struct entry *entry;
        struct {                    /* BK_LADDER */
            struct rung_def *rungs, **tail;
        } ladder;
        struct {                    /* BK_CLIENT */
            struct text name;
            struct alias_def *aliases, **tail;
        } client;
        struct {                    /* BK_OPTION, BK_RULE: NAME VALUE */
            struct text name, value;
        } setting;
        struct {                    /* BK_INCLUDE */
            struct text path;
            struct file *file;      /* the included file, NULL if unreadable */
        } include;
    } u;
    struct block *link;
};

/* One source file of a journal and what the parser made of it. */
struct file {
    const struct source *src;
    struct block *blocks, **tail;
    uint32_t nentries;
};

#endif
