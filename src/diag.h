/* diag.h - diagnostics: every rule reports through here.
 *
 * Rules and the parser call diag_report(); nothing else prints.  The list
 * is sorted, filtered by severity and `ladder-ignore`, and rendered by
 * output.c.  Severities are settled when the journal is finished, because
 * `rule` directives may stand anywhere in the journal.
 */
#ifndef LADDER_DIAG_H
#define LADDER_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ast.h"
#include "rules.h"
#include "source.h"

struct arena;
struct mem;

/* Messages are formatted only when something asks for their text: a
 * diagnostic keeps its format string (which must outlive the list: callers
 * pass string literals) and its arguments packed after it (strings copied,
 * so callers may pass temporaries; a long string that the list's own arena
 * holds is referred to instead: see diag.c). */

struct note {
    const struct source *src;
    struct note *link;              /* the diagnostic's next note */
    const char *fmt;
    struct pos pos;
    unsigned char args[];           /* fmt's arguments, packed */
};

/* Notes are read, never changed, once reported: a note equal to one
 * another diagnostic already has (its source, place, format and arguments)
 * is that one, which both then point at.  Only a diagnostic's first note
 * is shared, and only while it is its last (link NULL): a diagnostic that
 * gets a second note gets a copy of its first.  Over-ask's "level was set
 * here" note is the same for every over-ask at one level. */
enum { NOTE_CACHE = 8192 };         /* notes remembered, by their hash */

/* A fix (cli.md section 5): byte-range replacements, with a description
 * and an applicability.  Safe fixes are applied by `ladder lint --fix`;
 * suggestions are only offered.  Everything is in the list's arena. */
struct edit {
    const struct source *src;
    uint32_t start, end;            /* [start, end) byte offsets, as read */
    const char *text;               /* the replacement (not NUL-bound) */
    uint32_t len;
};

struct fix {
    struct fix *link;               /* the diagnostic's next fix */
    const char *desc;
    struct edit *edits;             /* sorted by offset, not overlapping */
    uint32_t nedits, capedits;
    bool safe;
};

/* A diagnostic is a record of 16 bytes and its packed arguments, aligned
 * to 4 bytes: a noisy journal has more than one a call, so what few of
 * them have (notes, fixes) is kept beside them (notev, fixv), the source and
 * the format are indices into the list's tables, and the place is two
 * offsets (its line and columns are found when asked for).  Read them
 * through diag_src, diag_fmt, diag_args, diag_pos, diag_end, diag_end_col,
 * diag_notes and diag_fixes.  Reports at one place stay in report order:
 * the sort is stable. */
struct diag {
    uint32_t start;                 /* its first byte's offset in its source */
    uint16_t len;                   /* its bytes, from start, on start's line;
                                     * DIAG_WIDE: the end and the source are
                                     * in a struct diag_wide at args */
    uint16_t file;                  /* its source: diag_list.srcv[file] */
    uint32_t ext;                   /* its notes and fixes: diag_list.notev and
                                     * fixv[ext - 1]; 0 none */
    uint16_t fmt;                   /* its format: diag_list.fmtv[fmt] */
    uint8_t rule;                   /* enum rule_id */
    uint8_t severity;               /* enum severity: final, after overrides */
    unsigned char args[];           /* fmt's arguments, packed (after the
                                     * struct diag_wide of a wide one) */
};

/* A diagnostic of 65,535 bytes or more, or whose source's slot is 65,535
 * or more, keeps its end and that slot here, before its arguments. */
#define DIAG_WIDE 0xFFFFu
struct diag_wide {
    uint32_t end, file;
};

_Static_assert(sizeof(struct diag) == 16 && _Alignof(struct diag) == 4,
               "a diagnostic's record: more than one a call in a noisy journal");

/* A `ladder-ignore` comment as written, for unused-ignore (and a fix that
 * removes it): where its keyword and each listed rule id stand, and what it
 * silenced. */
enum ignore_state {
    IGN_DROPPED,                    /* on a line that did not parse: not reported */
    IGN_OWN_LINE,                   /* on a comment line of its own: silences nothing */
    IGN_ATTACHED,                   /* covers a line or an entry */
};

struct ignore_id {
    struct span at;
    uint8_t rule;
};

struct ignore_comment {
    const struct source *src;
    struct span kw;                 /* the word ladder-ignore */
    struct span comment;            /* the comment, from its ';' or '#' */
    uint32_t ids, nids;             /* its valid rule ids: diag_list.ids[ids..+nids) */
    struct date date;               /* its entry's date (.valid false: none) */
    uint64_t used;                  /* rules it silenced */
    uint8_t state;                  /* enum ignore_state */
    bool all, used_all;             /* bare; and it silenced something */
};

/* A region that a `ladder-ignore` comment covers. */
struct ignore_range {
    const struct source *src;
    uint32_t start, end;            /* byte offsets */
    struct ignore ignore;
};

/* The text of the last message asked for (heap, reused). */
struct diag_textbuf {
    char *p;
    size_t cap;
    size_t len;                     /* the text's length, without its NUL */
    bool plain;                     /* every byte of it printable ASCII (0x20-0x7E):
                                     * nothing in it for a printer to escape */
    /* Whether each format string met so far is plain, by its address. */
    struct { const char *fmt; bool plain; } seen[64];
    /* Strings quoted by reference (names that live as long as the list, in
     * arenas that never reuse memory), by address: length and plainness. */
    struct {
        const char *s;
        uint32_t len;
        bool plain;
    } refs[256];
};

struct diag_list {
    struct arena *arena;
    const struct arena *shared;     /* NULL, or an arena that outlives the
                                     * list and that no one allocates from
                                     * while it reports (check_ladder_rules'
                                     * parts: the journal's): its strings
                                     * are quoted by reference too */
    struct diag **v;                /* heap */
    uint32_t n, cap;
    struct ignore_set {
        struct ignore_range *v;
        uint32_t n, cap;
    } ign[2];                       /* [0] single lines, [1] whole entries (heap) */
    struct ignore_comment *igc;     /* every ladder-ignore comment (heap) */
    uint32_t nigc, capigc;
    struct ignore_id *ids;          /* their rule ids (heap) */
    uint32_t nids, capids;
    struct date since;              /* option since (.valid false: none) */
    uint32_t syntax_line;           /* one syntax error per line: the last one's line */
    const struct source *syntax_src;
    struct diag_textbuf *text;      /* in the arena, so that a const list can format */
    bool fixes;                     /* attach fixes (diag_fix returns NULL if not) */
    /* The notes and fixes of the diagnostics that have any (diag.ext - 1),
     * each a list: notes in order, the safe fix first.  fixv is made on
     * the first fix (gcc output asks for none).  Heap. */
    struct note **notev;
    struct fix **fixv;
    uint32_t nextv, capextv;
    const struct source **srcv;     /* the sources of the diagnostics (arena):
                                     * a source's index, where that slot is free */
    uint32_t nsrcv, capsrcv;
    const char **fmtv;              /* the diagnostics' formats, each once (heap) */
    uint16_t *fmth;                 /* fmtv's indices + 1 by the format's
                                     * address, 0 free (heap; open addressing) */
    uint32_t nfmt, capfmth;
    struct note **notec;            /* first notes by their hash: NOTE_CACHE
                                     * slots, NULL free (heap, made on the
                                     * first note) */
};

static inline struct diag_wide diag_wide(const struct diag *d)
{
    struct diag_wide w;
    memcpy(&w, d->args, sizeof w);
    return w;
}

/* d's source's slot in its list's srcv, its end offset, its arguments. */
static inline uint32_t diag_file(const struct diag *d)
{
    return d->len == DIAG_WIDE ? diag_wide(d).file : d->file;
}

static inline uint32_t diag_end(const struct diag *d)
{
    return d->len == DIAG_WIDE ? diag_wide(d).end : d->start + d->len;
}

static inline const unsigned char *diag_args(const struct diag *d)
{
    return d->args + (d->len == DIAG_WIDE ? sizeof (struct diag_wide) : 0);
}

static inline const struct source *diag_src(const struct diag_list *l,
                                            const struct diag *d)
{
    return l->srcv[diag_file(d)];
}

static inline const char *diag_fmt(const struct diag_list *l, const struct diag *d)
{
    return l->fmtv[d->fmt];
}

/* Where d starts, and the column after its last byte (on the same line). */
static inline struct pos diag_pos(const struct diag_list *l, const struct diag *d)
{
    return source_pos(diag_src(l, d), d->start);
}

static inline uint32_t diag_end_col(const struct diag *d, struct pos start)
{
    return start.col + (diag_end(d) - d->start);
}

static inline struct note *diag_notes(const struct diag_list *l, const struct diag *d)
{
    return d->ext ? l->notev[d->ext - 1] : NULL;
}

static inline struct fix *diag_fixes(const struct diag_list *l, const struct diag *d)
{
    return d->ext && l->fixv ? l->fixv[d->ext - 1] : NULL;
}

void diag_init(struct diag_list *l, struct arena *a);
/* Append from's diagnostics and ignore comments to into's, as reported
 * after into's (a file's second half, parsed apart); from's memory must be
 * into's (arena_adopt).  from is left empty. */
void diag_adopt(struct diag_list *into, struct diag_list *from);
/* Release the list's heap memory (the rest is in the arena). */
void diag_free(struct diag_list *l);

/* Report a diagnostic over [at.start, at.end) of src.  Returns it so that
 * notes can be added; NULL when dropped (a second syntax error on a line).
 * fmt must stay valid as long as the list (a string literal): only its
 * arguments are copied. */
struct diag *diag_report(struct diag_list *l, enum rule_id rule,
                         const struct source *src, struct span at,
                         const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_note(struct diag_list *l, struct diag *d, const struct source *src,
               uint32_t offset, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Attach a fix to d (NULL: nothing) and add its edits; the description
 * and the texts are copied.  A safe fix goes before the suggestions. */
struct fix *diag_fix(struct diag_list *l, struct diag *d, bool safe,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_fix_edit(struct diag_list *l, struct fix *f, const struct source *src,
                   uint32_t start, uint32_t end, const char *text, size_t len);
/* The same, replacing a span with a C string. */
void diag_fix_replace(struct diag_list *l, struct fix *f,
                      const struct source *src, struct span at, const char *text);

/* A ladder-ignore comment was read: its record (see struct ignore.rec). */
uint32_t diag_ignore_comment(struct diag_list *l, const struct source *src,
                             struct span comment, struct span kw, bool own_line);
void diag_ignore_id(struct diag_list *l, uint32_t rec, struct span at, int rule);

/* Record what a ladder-ignore comment covers: one line, or (whole_entry)
 * an entry from its header to its last item.  Ranges of one kind never
 * overlap.  `date` is the date of the entry the line belongs to, or NULL. */
void diag_ignore(struct diag_list *l, const struct source *src, uint32_t start,
                 uint32_t end, const struct ignore *ig, bool whole_entry,
                 const struct date *date);

/* Apply suppression (marking what each ladder-ignore silenced, whatever the
 * severity), severities (severity[rule], SEV_OFF drops), report the unused
 * ladder-ignores (unused-ignore: not at entries dated before l->since),
 * and sort by file name, line, column, report order. */
void diag_finish(struct diag_list *l, const enum severity severity[R_COUNT]);

/* The message of d or n, formatted into a buffer the list owns: valid until
 * the next call of either on the same list. */
const char *diag_text(const struct diag_list *l, const struct diag *d);
const char *diag_note_text(const struct diag_list *l, const struct note *n);
/* The length of the text the last of them returned, and whether it is
 * all printable ASCII. */
static inline size_t diag_text_len(const struct diag_list *l)
{
    return l->text->len;
}

static inline bool diag_text_plain(const struct diag_list *l)
{
    return l->text->plain;
}

/* The formatter behind them, public for its unit test.  It knows %%, and
 * %d %i %u %x %X (flags - and 0, a width, length l), %c and %s (flag -, a
 * width); anything else makes diag_report format eagerly with vsnprintf.
 * diag_fmt_size: the bytes diag_fmt_pack writes for fmt's arguments, or
 * SIZE_MAX when fmt has a conversion the formatter does not know.
 * diag_fmt_render: the text, in the list's buffer as diag_text. */
size_t diag_fmt_size(const char *fmt, va_list ap);
void diag_fmt_pack(unsigned char *out, const char *fmt, va_list ap);
const char *diag_fmt_render(const struct diag_list *l, const char *fmt,
                            const unsigned char *args);
/* The same into tb (zeroed to begin; its text grows from m, and goes
 * with m) instead of the list's buffer: a second thread renders a list's
 * diagnostics with one of its own (output.c). */
const char *diag_fmt_render_in(struct diag_textbuf *tb, struct mem *m,
                               const char *fmt, const unsigned char *args);

#endif
