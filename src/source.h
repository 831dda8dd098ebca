/* source.h - one journal file in memory, and its line map.
 *
 * The whole file is read into one buffer, followed by two NUL bytes (what
 * flex's yy_scan_buffer wants).  Every position in the program is a byte
 * offset into that buffer; line and column are computed from the line map
 * only when a diagnostic is made.  A leading UTF-8 byte-order mark is
 * skipped: column 1 of line 1 is the byte after it, as editors show it.
 */
#ifndef LADDER_SOURCE_H
#define LADDER_SOURCE_H

#include <stddef.h>
#include <stdint.h>

struct arena;

struct source {
    const char *name;       /* the name diagnostics print */
    const char *dir;        /* folder includes are resolved from ("" = cwd) */
    char *buf;              /* len bytes, then two NULs */
    uint32_t len;
    uint32_t start;         /* 3 after a byte-order mark, else 0 */
    uint32_t *lines;        /* byte offset where each line starts */
    uint32_t nlines;
    uint32_t index;         /* order in which the journal read its files */
};

struct pos {
    uint32_t line, col;     /* from 1; col counts bytes */
};

/* Read a file or standard input ("-" with stdin set).  On failure returns
 * NULL and sets *err to a static description (strerror or "is a folder"). */
struct source *source_read(struct arena *a, const char *path, const char *name,
                           const char **err);
struct source *source_read_stream(struct arena *a, int fd, const char *name,
                                  const char **err);
/* A source over a copy of the given bytes (tests, fuzzing). */
struct source *source_from_bytes(struct arena *a, const char *name,
                                 const char *bytes, size_t len);

struct pos source_pos(const struct source *s, uint32_t offset);
/* The text of a line (1-based), without its line end. */
const char *source_line(const struct source *s, uint32_t line, uint32_t *len);

/* The folder part of a path ("" when none), in the arena. */
char *path_dir(struct arena *a, const char *path);

#endif
