/* lsp.h - `ladder lsp`: the language server (lsp.md).
 *
 * The server is a state machine over two byte streams: lsp_feed() hands it
 * what the client wrote (any split, any size), it answers into an output
 * buffer the caller drains (lsp_output / lsp_consume), and lsp_idle() does
 * the deferred work (linting) once no more input is waiting.  lsp_run()
 * is the loop over two file descriptors that `ladder lsp` runs; the fuzzer
 * and the tests drive the state machine directly.
 *
 * It is built on ladder.h (the core) and jansson; the helpers of lsp_text.c
 * (URIs, paths, positions) and lsp_wire.c (framing) are internal to it.
 */
#ifndef LADDER_LSP_H
#define LADDER_LSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lsp_server lsp_server;

/* Biggest message body read (bigger ones are skipped and answered with an
 * error); the header of a message may not exceed LSP_MAX_HEADER. */
#define LSP_MAX_MESSAGE ((size_t)1 << 30)
#define LSP_MAX_HEADER 65536

typedef struct lsp_options {
    const char *cwd;            /* for relative paths; NULL: getcwd() */
} lsp_options;

lsp_server *lsp_new(const lsp_options *o);
void lsp_free(lsp_server *s);

/* Bytes from the client; every complete message among them is handled.
 * Returns false when out of memory (the server cannot go on). */
bool lsp_feed(lsp_server *s, const char *bytes, size_t len);
/* No more input is waiting: lint what changed and publish diagnostics. */
void lsp_idle(lsp_server *s);
/* True when work is deferred to lsp_idle. */
bool lsp_has_work(const lsp_server *s);
/* The output not yet written, and how much of it was. */
const char *lsp_output(const lsp_server *s, size_t *len);
void lsp_consume(lsp_server *s, size_t n);
/* True once `exit` arrived; *status: 0 after `shutdown`, else 1. */
bool lsp_exited(const lsp_server *s, int *status);

/* The server over two descriptors (standard input and output): returns the
 * exit status (0 after shutdown + exit, 1 on exit alone or end of input). */
int lsp_run(int in_fd, int out_fd, const lsp_options *o);

/* `ladder lsp [--stdio]` is ladder_lsp_command() in ladder.h. */

/* --- lsp_text.c: URIs, paths and positions ------------------------------ */

/* The path of a file: URI (percent-decoded), or NULL (another scheme, a
 * NUL byte, out of memory). */
char *lsp_uri_to_path(const char *uri);
/* A file: URI for an absolute path (percent-encoded); NULL: out of memory. */
char *lsp_path_to_uri(const char *path);
/* `path` made absolute against `cwd` and cleaned of ".", ".." and "//"
 * (lexically, symbolic links are not followed); NULL: out of memory. */
char *lsp_path_clean(const char *path, const char *cwd);

/* Where each line of a text starts, by the LSP's rules (a line ends at
 * "\n", "\r\n" or "\r"). */
typedef struct lsp_lines {
    uint32_t *start;            /* byte offset of each line */
    size_t n;                   /* at least 1 */
} lsp_lines;

bool lsp_lines_build(lsp_lines *l, const char *text, size_t len);
void lsp_lines_free(lsp_lines *l);
/* A byte offset as an LSP position (line and character from 0, in UTF-16
 * code units, or in bytes when utf8).  An offset inside a character counts
 * from the character's start; one past the text is its end. */
void lsp_offset_to_pos(const lsp_lines *l, const char *text, size_t len,
                       size_t offset, bool utf8, uint32_t *line, uint32_t *ch);
/* An LSP position as a byte offset: false when the line is past the last
 * one or the character past the line's end (before its line break).  A
 * character inside a UTF-8 sequence or a surrogate pair gives the start of
 * that character.  With clamp, a position outside is brought to the
 * nearest inside instead (and true is returned). */
bool lsp_pos_to_offset(const lsp_lines *l, const char *text, size_t len,
                       int64_t line, int64_t ch, bool utf8, bool clamp,
                       size_t *offset);

/* --- lsp_wire.c: Content-Length framing --------------------------------- */

typedef struct lsp_reader {
    char *buf;                  /* unread input is buf[pos..len) */
    size_t pos, len, cap;
    int state;                  /* reading a header, a body, or skipping */
    size_t need;                /* the body's length */
    bool have_length;
    size_t length;              /* Content-Length of the header being read */
    size_t header_bytes;
} lsp_reader;

typedef struct lsp_reader_sink {
    /* A whole message body (not NUL-terminated). */
    void (*message)(void *ud, const char *body, size_t len);
    /* A framing error; the reader skips to the next "Content-Length:". */
    void (*error)(void *ud, const char *why);
    void *ud;
} lsp_reader_sink;

void lsp_reader_init(lsp_reader *r);
void lsp_reader_free(lsp_reader *r);
/* Add input and deliver every complete message; false: out of memory. */
bool lsp_reader_feed(lsp_reader *r, const char *bytes, size_t len,
                     const lsp_reader_sink *sink);
/* True when part of a message has been read (input ended inside it). */
bool lsp_reader_partial(const lsp_reader *r);

#endif
