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
#include <string.h>

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
    bool unfolded;                  /* known to need no blank folding (its
                                     * blanks are single spaces): the
                                     * scanner says so of some runs */
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
 * an entry are one array, in line order, right after the entry.
 *
 * The spans are read through the accessors below (item_line, item_rung,
 * item_text, item_outcome_at, item_date_at) and set once by item_pack
 * (parse.c): in a byte each, counted from the line's start or back from
 * its end (struct item_rel), or, when a part does not fit (a word or an
 * offset past 254 bytes, a line over 64 KiB), all of them in full in a
 * struct item_wide in the arena (`wide`). */
struct item_wide {
    struct span at, rung, text, x;
};

/* REL8_NONE in an offset: the part is absent. */
#define REL8_NONE 0xFFu

struct item_rel {
    uint16_t len;                   /* the line's length */
    uint8_t rung_off, rung_len;     /* plan/ask/got's rung; a dated next's
                                     * first word: from the line's start */
    uint8_t text_off, text_back;    /* the text: its start from the line's
                                     * start, its end back from the line's end */
    uint8_t x_off, x_len;           /* next: its date, from the line's start;
                                     * ask: its outcome, x_off counted back
                                     * from the line's end */
};

/* No time: item_minutes() gives -1. */
#define MINUTES_NONE 2047u
/* The highest rank an item keeps; a rung past it counts as unknown. */
#define RANK_MAX 32767
/* Until resolve, a dated next keeps its first word's interned id in its
 * rank when below this, else this: resolve reads the word back. */
#define NEXT_WORD_FAR 32767u

/* What a dated next's rank keeps of its first word's id until resolve. */
static inline unsigned next_word_kept(uint32_t id)
{
    return id < NEXT_WORD_FAR ? id : NEXT_WORD_FAR;
}

struct item {
    union {
        struct item_rel rel;        /* not wide */
        unsigned char wide[sizeof(const struct item_wide *)];
                                    /* wide: a pointer to every span in full
                                     * (item_wide_spans), in bytes: items
                                     * are aligned to 4, not 8 */
    } sp;
    uint32_t start;                 /* the line's start, indent excluded
                                     * (item_line): always exact */
    union {
        uint32_t rung_name;         /* plan, ask, got: the interned rung word
                                     * (names.h), 0 if none */
        struct date date;           /* next only, NEXT_DATED (its first
                                     * word's id waits in `rank` until
                                     * resolve) */
    };
    union {
        struct {
            unsigned rank : 15;     /* the rung's rank after resolve, 0 unknown;
                                     * a dated next's first word before
                                     * (NEXT_WORD_FAR: read it back) */
            unsigned wide : 1;      /* the spans are in sp.wide */
            unsigned mins : 11;     /* next's time in minutes (item_minutes) */
            unsigned kind : 3;      /* enum item_kind */
            unsigned outcome : 2;   /* enum outcome, ask only */
        };
        struct {
            unsigned : 30;
            unsigned next : 2;      /* enum next_form, next only: an item
                                     * is an ask or a next, never both */
        };
    };
};

_Static_assert(sizeof(struct item) == 20 && _Alignof(struct item) == 4,
               "items are most of the AST: keep them small");

static inline const struct item_wide *item_wide_spans(const struct item *it)
{
    const struct item_wide *w;
    memcpy(&w, it->sp.wide, sizeof w);
    return w;
}

static inline bool span_empty(struct span s)
{
    return s.end == s.start;
}

/* The absent part {0, 0}, as opposed to an empty one at a place. */
static inline bool span_absent(struct span s)
{
    return (s.start | s.end) == 0;
}

/* The whole line, indent excluded; it starts with the keyword (item_kw). */
static inline struct span item_line(const struct item *it)
{
    if (it->wide)
        return item_wide_spans(it)->at;
    struct span s = { it->start, it->start + it->sp.rel.len };
    return s;
}

/* A part n bytes long, off bytes after base; absent for REL8_NONE. */
static inline struct span rel8_span(uint32_t base, unsigned off, unsigned n)
{
    struct span s = { 0, 0 };
    if (off != REL8_NONE) {
        s.start = base + off;
        s.end = s.start + n;
    }
    return s;
}

/* A part off bytes after base that ends back bytes before the line's end
 * (base + len): an item's text, a header's title; absent for REL8_NONE. */
static inline struct span rel8_span_to_end(uint32_t base, uint32_t len, unsigned off,
                                           unsigned back)
{
    struct span s = { 0, 0 };
    if (off != REL8_NONE) {
        s.start = base + off;
        s.end = base + len - back;
    }
    return s;
}

/* plan/ask/got: the rung; a dated next: its first word. */
static inline struct span item_rung(const struct item *it)
{
    if (it->wide)
        return item_wide_spans(it)->rung;
    return rel8_span(it->start, it->sp.rel.rung_off, it->sp.rel.rung_len);
}

/* The text after the rung (plan/ask/got), the text (gave/note/next);
 * a dated next's: the rest after its first word (item_next_text). */
static inline struct span item_text(const struct item *it)
{
    if (it->wide)
        return item_wide_spans(it)->text;
    const struct item_rel *r = &it->sp.rel;
    return rel8_span_to_end(it->start, r->len, r->text_off, r->text_back);
}

/* ask only: its outcome. */
static inline struct span item_outcome_at(const struct item *it)
{
    if (it->wide)
        return item_wide_spans(it)->x;
    const struct item_rel *r = &it->sp.rel;
    struct span s = { 0, 0 };
    if (r->x_off != REL8_NONE) {
        s.start = it->start + r->len - r->x_off;
        s.end = s.start + r->x_len;
    }
    return s;
}

/* next only (NEXT_DATED): its date. */
static inline struct span item_date_at(const struct item *it)
{
    if (it->wide)
        return item_wide_spans(it)->x;
    return rel8_span(it->start, it->sp.rel.x_off, it->sp.rel.x_len);
}

/* next only (NEXT_DATED): its time in minutes, -1 if none. */
static inline int item_minutes(const struct item *it)
{
    return it->mins == MINUTES_NONE ? -1 : (int)it->mins;
}

/* A dated `next`: the parser keeps its first word in `rung` and the rest in
 * `text`; the first word is the rung only when it names a rung of the
 * ladder, which resolve records as a rank.  These give the line's rung
 * (empty when none) and its text (empty when none) either way. */
static inline struct span item_next_rung(const struct item *it)
{
    struct span none = { 0, 0 };
    return it->rank ? item_rung(it) : none;
}

static inline struct span item_next_text(const struct item *it)
{
    struct span rung = item_rung(it), text = item_text(it);
    if (it->rank || span_empty(rung))
        return text;
    struct span s = { rung.start, span_empty(text) ? rung.end : text.end };
    return s;
}

/* The item's keyword: the line starts with it. */
static inline struct span item_kw(const struct item *it)
{
    static const uint8_t len[] = { [IT_PLAN] = 4, [IT_ASK] = 3, [IT_GOT] = 3,
                                   [IT_GAVE] = 4, [IT_NEXT] = 4, [IT_NOTE] = 4 };
    struct span s = { it->start, it->start + len[it->kind] };
    return s;
}

/* An entry keeps spans and interned name ids (names.h), never text; its
 * items follow it in the same block.  Its spans are read through the
 * accessors below (entry_line, entry_date_at, entry_status_at,
 * entry_kind_at, entry_client_at, entry_title_at) and set once by the
 * builder (parse.c): in a byte each from the header's start (the title's
 * end back from the line's end), as an item's parts are, or, when a part
 * does not fit (an offset past 254 bytes, a kind or a client over 255, a
 * header over 64 KiB), in full in a struct entry_spans after its items
 * (`wide`). */
struct entry {
    const struct source *src;
    uint32_t seq;                   /* position in the journal (includes in place) */
    uint32_t nitems;
    uint32_t start;                 /* the header line's start: the date
                                     * starts it (entry_line); always exact */
    uint32_t kind;                  /* interned, folded; 0 when absent (a call) */
    uint32_t client;
    uint32_t title;                 /* hash of the folded title; 0 when absent */
    struct date date;
    int16_t minutes;                /* -1 if no time */
    uint16_t len;                   /* the header line's length (not wide) */
    uint8_t status_off;             /* the status mark's offset (not wide);
                                     * 1 byte long if status_len, else empty */
    uint8_t kind_off, kind_len;     /* without parentheses; kind_off
                                     * REL8_NONE when absent (not wide) */
    uint8_t client_off, client_len; /* as written, not folded (not wide) */
    uint8_t title_off, title_back;  /* its start, and its end back from the
                                     * line's end; title_off REL8_NONE when
                                     * absent (not wide) */
    unsigned status : 2;            /* enum status */
    unsigned status_len : 1;        /* the mark is written (not wide) */
    unsigned date_len : 2;          /* the date's length - 8 (not wide) */
    unsigned touch : 1;             /* resolve: its kind is in touch-kinds */
    unsigned wide : 1;              /* its spans are in full after its items */
    struct item items[];            /* nitems of them, in line order */
};

_Static_assert(sizeof(struct entry) == 48, "an entry per call: keep it small");
_Static_assert(_Alignof(struct entry) <= 8 && _Alignof(struct item) <= 8 &&
               sizeof(struct entry) % 8 == 0,
               "an entry's block is 8-aligned (arena_alloc_small, end_entry)");

/* A wide entry's spans, after its items. */
struct entry_spans {
    struct span at, status_at, kind_at, client_at, title_at;
    uint32_t date_len;
};

static inline const struct entry_spans *entry_wide(const struct entry *e)
{
    return (const struct entry_spans *)(const void *)(e->items + e->nitems);
}

/* The header line; the date starts it. */
static inline struct span entry_line(const struct entry *e)
{
    if (e->wide)
        return entry_wide(e)->at;
    struct span s = { e->start, e->start + e->len };
    return s;
}

static inline struct span entry_date_at(const struct entry *e)
{
    uint32_t n = e->wide ? entry_wide(e)->date_len : 8u + e->date_len;
    struct span s = { e->start, e->start + n };
    return s;
}

/* The status mark; empty at the date's start when it is omitted. */
static inline struct span entry_status_at(const struct entry *e)
{
    if (e->wide)
        return entry_wide(e)->status_at;
    struct span s = { e->start + e->status_off,
                      e->start + e->status_off + e->status_len };
    return s;
}

/* The kind, without parentheses; empty when absent. */
static inline struct span entry_kind_at(const struct entry *e)
{
    return e->wide ? entry_wide(e)->kind_at : rel8_span(e->start, e->kind_off, e->kind_len);
}

/* The client's name as written (not folded). */
static inline struct span entry_client_at(const struct entry *e)
{
    return e->wide ? entry_wide(e)->client_at
                   : rel8_span(e->start, e->client_off, e->client_len);
}

/* The title; empty when absent. */
static inline struct span entry_title_at(const struct entry *e)
{
    if (e->wide)
        return entry_wide(e)->title_at;
    return rel8_span_to_end(e->start, e->len, e->title_off, e->title_back);
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
