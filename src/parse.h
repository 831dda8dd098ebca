/* parse.h - the parser's context, shared by the scanner, the grammar and
 * the builder functions that construct the AST.  parse_file() is the only
 * caller of yyparse. */
#ifndef LADDER_PARSE_H
#define LADDER_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"
#include "source.h"

struct arena;
struct names;

/* The optional parts of an entry's header, in their order. */
enum hdr_part { HP_NONE, HP_TIME, HP_STATUS, HP_KIND };

/* What the scanner believes the current block is (set by column-1 lines). */
enum scan_block { SB_NONE, SB_ENTRY, SB_LADDER, SB_CLIENT, SB_ONELINE, SB_BROKEN };

/* How the scanner classifies the next word of an indented or directive line. */
enum scan_phase { LP_ITEM_KW, LP_CLIENT_KW, LP_RUNG, LP_NEXT1, LP_NEXT2, LP_TEXT };

struct parse_ctx {
    struct arena *arena;
    const struct source *src;
    struct source *reader;          /* where the text comes from, if not src
                                     * (a half of it: source_reader) */
    struct diag_list *diags;
    struct file *file;
    /* scanner */
    uint32_t off;                   /* offset of the next byte to scan */
    enum scan_block block;
    const char *block_kw;           /* the one-line directive's keyword */
    enum scan_phase phase;
    int hphase;                     /* header: 0 at its start, 2 after a status
                                     * mark or kind (no time), 1 in the name */
    const char *want;               /* what a word would be here, for messages */
    struct ignore ignore;           /* the current line's ladder-ignore */
    bool mid_line;                  /* tokens of an unfinished line were returned */
    bool plain;                     /* the chunk is ASCII without NUL: no byte checks */
    const char *chunk;              /* the text being scanned: whole lines */
    uint32_t chunk_base, chunk_end; /* its offsets in the file */
    void *buffer;                   /* its flex buffer (YY_BUFFER_STATE) */
    char eof_buf[2];                /* the empty buffer after the last chunk */
    int read_err;                   /* errno of a read that failed, else 0 */
    /* NUL bytes never reach flex: a NUL inside its buffer makes it rescan
     * the token so far, the square of a run's length.  Each is replaced by
     * 0xFF (never valid UTF-8, so still an error) while its chunk is
     * scanned, and marked in this bitmap of the chunk's bytes (heap), so
     * messages still say NUL; the bytes are put back before the chunk goes. */
    uint8_t *nulmap;
    uint32_t capnulmap;
    bool has_nul;                   /* the current chunk had a NUL */
    /* builder */
    struct hdr {                    /* the header line being read (b_hpart) */
        enum hdr_part last;         /* the last part kept */
        int minutes, status;        /* -1 if absent */
        struct span time_at, status_at;
        struct text kind;
    } hdr;
    struct block *cur;              /* the directive indented lines attach to */
    struct names *names;            /* the journal's interned names */
    struct entry *entry;            /* the entry items attach to, until it ends:
                                     * entry_buf, which end_entry copies into
                                     * the arena with its items */
    struct entry *entry_buf;        /* (arena) */
    struct entry_spans entry_spans; /* its spans, if wide */
    uint32_t entry_node;            /* its place in the file's nodes */
    struct ignore entry_ignore;     /* its header's ladder-ignore */
    uint32_t entry_end;             /* end of its last line */
    struct item *items;             /* its items so far (heap, reused) */
    uint32_t nitems, capitems;
    void **node;                    /* the file's nodes so far (heap) */
    uint8_t *node_kind;
    uint32_t capnodes;
    char *fold;                     /* folding scratch (heap) */
    uint32_t capfold;
    char *nfc;                      /* NFC scratch for names (heap) */
    uint32_t capnfc;
    struct pending_client {         /* client names to intern with the chunk's */
        struct entry *e;
        const char *p;              /* in the chunk */
        uint32_t len, hash;
    } *pend;                        /* (heap) */
    uint32_t npend, cappend;
};

/* Parse one source into ctx->file (which the caller has set up). */
void parse_file(struct parse_ctx *ctx);
/* Intern the client names of the chunk's entries, all at once (before the
 * chunk goes). */
void b_flush_clients(struct parse_ctx *ctx);
/* Hand the scanner the source's next chunk; false at the end of the text.
 * The scanner calls it at the end of each chunk. */
bool parse_next_chunk(struct parse_ctx *ctx, void *scanner);
/* quote() of the text at [at.start, at.end) of the chunk being scanned
 * ('' if the span is not in it). */
const char *quote_at(struct parse_ctx *ctx, struct span at);

/* A text as scanned: no folding yet (a single word has nothing to fold).
 * The builder folds each stored text once as it interns it; folding as
 * words are joined would cost the square of a line's length. */
static inline struct text raw_text(const char *p, struct span at)
{
    struct text t = { p, at.end - at.start, at, false };
    return t;
}

/* Builder functions called by the grammar's actions, the scanner
 * (b_line_start, at every column-1 line) and parse_file (b_finish, when
 * the grammar is done). */
void b_line_start(struct parse_ctx *ctx);
/* A line did not parse (reported): a header's items go with it, unread. */
void b_error_line(struct parse_ctx *ctx);
void b_finish(struct parse_ctx *ctx);
/* Free the builder's heap scratch (after parse_file). */
void b_free(struct parse_ctx *ctx);
/* A header's time, status mark or kind (in any order: one out of place is
 * reported and ignored), then the header itself. */
void b_hpart(struct parse_ctx *ctx, enum hdr_part part, int num,
             struct span at, struct text kind);
void b_header(struct parse_ctx *ctx, struct span line, struct date d,
              struct span date_at, struct text client, struct text title,
              const struct ignore *ig);
void b_item(struct parse_ctx *ctx, enum item_kind kind, struct span line,
            struct span kw, struct text rung, struct text text, int outcome,
            struct span outcome_at, const struct ignore *ig);
void b_next_dated(struct parse_ctx *ctx, struct span line, struct span kw,
                  struct date d, struct span date_at, int minutes,
                  struct span time_at, struct text rest, const struct ignore *ig);
void b_next_other(struct parse_ctx *ctx, struct span line, struct span kw,
                  enum next_form form, struct text text, const struct ignore *ig);
void b_rung(struct parse_ctx *ctx, struct span line, struct text name,
            struct text desc, const struct ignore *ig);
void b_alias(struct parse_ctx *ctx, struct span line, struct text name,
             const struct ignore *ig);
void b_client_note(struct parse_ctx *ctx, struct span line,
                   const struct ignore *ig);
void b_directive(struct parse_ctx *ctx, enum block_kind kind, struct span line,
                 struct span kw, struct text a, struct text b,
                 const struct ignore *ig);

/* Scanner helpers (parse.c). */
bool check_bytes(struct parse_ctx *ctx, uint32_t off, const char *p, uint32_t len);
void scan_comment(struct parse_ctx *ctx, uint32_t off, const char *p, uint32_t len);
/* The same for a comment on a line of its own (it silences nothing). */
void scan_comment_line(struct parse_ctx *ctx, uint32_t off, const char *p, uint32_t len);
const char *quote(struct parse_ctx *ctx, const char *p, uint32_t len);
/* Where the run of words that starts at p ends (parse.c): the scanner's
 * rules for runs match their first byte and take the rest with this.  Words
 * are bytes other than blanks, CR, LF and NUL (and bar, if not NUL); blanks
 * separate them; a word after blanks may not start with ';' or bar.  The
 * run ends at its last word's end.  p..lim must hold a stop (a chunk ends
 * in LF, or NUL after it); *unfolded: every separator was one space. */
const char *scan_run_end(const char *p, const char *lim, char bar, bool *unfolded);

#endif
