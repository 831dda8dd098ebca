/* source.h - one journal file, read in chunks of whole lines, and its line
 * map.
 *
 * Every journal is streamed: the scanner gets it a chunk of whole lines
 * at a time, each followed by two NUL bytes (what flex's yy_scan_buffer
 * wants).  The text of a regular file (or bytes in memory) is not kept
 * once parsed; a line is read again when a renderer wants to show it.
 * Standard input and pipes cannot be read again: what is read is kept, and
 * is `buf` once parsed.  Devices are read whole first (1 MiB at most).  A
 * line longer than 1 GiB is skipped (the parser reports it), so no chunk
 * comes near flex's 2 GiB limit.  Every position in the program is a byte
 * offset into the file; line and column come from the line map, which
 * grows as chunks are read.  A leading UTF-8 byte-order mark is skipped:
 * column 1 of line 1 is the byte after it, as editors show it.
 */
#ifndef LADDER_SOURCE_H
#define LADDER_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct source_stream;

struct source {
    const char *name;       /* the name diagnostics print */
    uint32_t name_len;
    bool name_plain;        /* the name is printable ASCII (0x20-0x7E) */
    const char *dir;        /* folder includes are resolved from ("" = cwd) */
    char *buf;              /* the whole text, then two NULs; NULL when not kept */
    uint32_t len;           /* bytes read so far; all of them once parsed */
    uint32_t start;         /* 3 after a byte-order mark, else 0 */
    struct line_grp **lpage;    /* the line map: where each line starts, by
                                 * groups of 64 lines (source_line_offset) */
    struct line_grp *lcur;      /* the group of the last line */
    uint32_t nlines, nlpage;
    uint32_t *blk;          /* blk[b]: the line holding offset b << BLK_SHIFT */
    uint32_t nblk, capblk;
    uint32_t index;         /* order in which the journal read its files */
    bool ascii;             /* every byte read is ASCII and not NUL */
    bool crlf;              /* a line ends in CR LF */
    bool handed;            /* a kept text was handed out as its one chunk */
    bool mapped;            /* the line map is whole already (source_map_all):
                             * chunks add no lines */
    bool heap_buf;          /* buf is on the heap (a kept stream): freed */
    struct source_stream *stream;   /* NULL for a text read whole */
    struct mem *mem;                /* the journal's memory (arena.h) */
    struct arena *arena;            /* the line map's (and the source's) */
};

/* The line map holds where each line starts in groups of LINE_GRP lines, a
 * page of LINE_PAGE groups at a time in the journal's arena: 2.25 bytes a
 * line, and a page (576 bytes) is what a small included file leaves
 * unused at most (a chain of 1,000 files: docs/bench.md, eleventh
 * session).  Offsets are 16 bits from the group's first line, or all 32
 * bits (`full`) for a group that spans 64 KiB or more. */
#define LINE_GRP_SHIFT 6
#define LINE_GRP (1u << LINE_GRP_SHIFT)
#define LINE_PAGE_SHIFT 2
#define LINE_PAGE (1u << LINE_PAGE_SHIFT)

struct line_grp {
    uint32_t base;                  /* where its first line starts */
    uint32_t *full;                 /* its lines' offsets, or NULL: base + d[] */
    uint16_t d[LINE_GRP];
};

/* The group of line index i (from 0). */
static inline const struct line_grp *source_line_grp(const struct source *s, uint32_t i)
{
    return &s->lpage[i >> (LINE_GRP_SHIFT + LINE_PAGE_SHIFT)]
                    [(i >> LINE_GRP_SHIFT) & (LINE_PAGE - 1)];
}

/* Where the group's line k (from 0) starts. */
static inline uint32_t line_grp_at(const struct line_grp *g, uint32_t k)
{
    return g->full ? g->full[k] : g->base + g->d[k];
}

/* Where line `line` (from 1 to nlines) starts. */
static inline uint32_t source_line_offset(const struct source *s, uint32_t line)
{
    uint32_t i = line - 1;
    return line_grp_at(source_line_grp(s, i), i & (LINE_GRP - 1));
}

/* A piece of the text for the scanner: whole lines (the last chunk may end
 * without a line feed), then two NUL bytes.  Valid until the next call. */
struct chunk {
    char *p;
    uint32_t base;          /* offset of p[0] in the file */
    uint32_t len;
    bool plain;             /* ASCII without NUL: no byte needs checking */
    /* A line longer than the limit (source_set_max_line) is not handed out:
     * the chunk is only its place (base, len: the line without its line
     * feed) and its first byte, for the scanner to report and skip. */
    bool skipped;
    char first;
};

struct pos {
    uint32_t line, col;     /* from 1; col counts bytes */
};

/* Open a journal: a regular file is streamed, anything else is read whole
 * (a FIFO, a device that ends within 1 MiB).  On failure returns NULL and
 * sets *err to a static description (strerror or "is a folder"). */
struct source *source_read(struct arena *a, const char *path, const char *name,
                           const char **err);
/* Read standard input (or any descriptor): streamed and kept. */
struct source *source_read_stream(struct arena *a, int fd, const char *name,
                                  const char **err);
/* A source streamed from bytes in memory, which must outlive it (tests,
 * fuzzing). */
struct source *source_from_bytes(struct arena *a, const char *name,
                                 const char *bytes, size_t len);
/* Read at most `bytes` at a time (tests use tiny chunks; 0: the default). */
void source_set_chunk(struct source *s, size_t bytes);
/* Keep the text as it is read: it is `buf` once parsed (streamed all the
 * same). */
void source_keep_text(struct source *s);
/* Skip (and report) lines longer than `bytes` (0: the default, 1 GiB;
 * tests use a few bytes). */
void source_set_max_line(struct source *s, size_t bytes);

/* Parsing a big text on two threads (journal.c).  source_map_all builds
 * the whole line map first, so that it is only read while the halves are
 * parsed, and proposes where to cut: at a line that starts with a date, near
 * the middle (*cut; 0 when there is none).  It does so only for a text not
 * read yet, from memory or a regular file, not kept, of min bytes or more;
 * false otherwise
 * (and on a read error), with the line map as it was.  Each half is read
 * through a reader of its own (source_reader: bytes [from, to), offsets as
 * in s; the reader's memory from `a`), which adds no lines; after both,
 * source_readers_done folds what they saw into s and closes s's file. */
bool source_map_all(struct source *s, uint32_t min, uint32_t *cut);
struct source *source_reader(const struct source *s, struct arena *a,
                             uint32_t from, uint32_t to);
void source_readers_done(struct source *s, const struct source *r1,
                         const struct source *r2);

/* The next chunk of s, its lines added to the line map; false at the end.
 * A read error ends the text early and sets *err (else left alone). */
bool source_next_chunk(struct source *s, struct chunk *c, int *err);
/* Parsing is over: close the file, drop the reading buffer (the text goes
 * too unless kept).  Lines can still be read again for display. */
void source_end_read(struct source *s);
/* Free what the source holds outside the arena (journal_free). */
void source_release(struct source *s);

struct pos source_pos(const struct source *s, uint32_t offset);
/* The offset just past line `line` (1-based), its line feed excluded. */
uint32_t source_line_end(const struct source *s, uint32_t line);
/* The text of a line (1-based), without its line end: from the kept text,
 * or read again from the file or memory (valid until the next call for the
 * same source; "" if it can no longer be read). */
const char *source_line(const struct source *s, uint32_t line, uint32_t *len);

/* Copy n bytes of the text from offset off into out: from the kept text
 * or memory, or read again from the file (which then stays open until
 * source_done_reading or source_release).  False when they can no longer
 * all be read (the file changed since). */
bool source_read_at(const struct source *s, uint32_t off, uint32_t n, char *out);
/* Close the file source_read_at keeps open, if any. */
void source_done_reading(const struct source *s);

/* The file's line end, "\r\n" when its first line ends so, else "\n". */
const char *source_eol(const struct source *s);

/* The whole text when it is kept (read whole, or bytes in memory), with
 * its length; NULL when the file was streamed and let go. */
const char *source_text(const struct source *s, uint32_t *len);

/* Column `pos.col` (bytes, from 1) of line pos.line counted in another
 * unit (enum utf8_unit), from 1; reads the line again unless it is ASCII. */
uint32_t source_col(const struct source *s, struct pos pos, int unit);

/* The folder part of a path ("" when none), in the arena. */
char *path_dir(struct arena *a, const char *path);

#endif
