/* source.c - reading journals in chunks of whole lines, or whole, and
 * mapping offsets to lines. */
#include "source.h"
#include "arena.h"
#include "date.h"
#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define CHUNK_DEFAULT ((size_t)16 * 1024)
/* A longer line is reported and skipped, never handed to flex, whose
 * buffers count in int: a chunk (whole lines, one read past the longest)
 * then stays well under 2 GiB. */
#define MAX_LINE_DEFAULT ((size_t)1 << 30)
#define MAX_LEN ((size_t)UINT32_MAX - 8)

/* How a streamed source is read: from a file or from bytes in memory. */
struct source_stream {
    int fd;                 /* -1 once closed, or for memory */
    const char *path;       /* to read lines again; NULL for memory */
    const char *mem;        /* bytes in memory, or NULL */
    size_t memlen, mempos;
    char *buf;              /* bytes from file offset `base`: have of them */
    size_t cap, have;
    uint32_t base;
    size_t cut;             /* where the next chunk starts in buf */
    size_t searched;        /* buf[cut, searched) holds no line feed */
    char save[2];           /* the bytes under the chunk's two NULs */
    bool saved, eof;
    size_t chunk;           /* bytes to read at a time */
    uint32_t end;           /* a reader's: read no further (0: to the end) */
    size_t max_line;        /* a longer line is skipped */
    bool keep;              /* standard input, a pipe: keep every byte read
                             * (it cannot be read again for display) */
    bool borrowed;          /* fd is the caller's (standard input): not closed */
    char *line;             /* a line read again for display */
    size_t linecap;
    int refd;               /* source_read_at's descriptor, or -1 */
    struct reblock {        /* and the blocks of the file it read last */
        char *p;            /* REBLOCK bytes (heap), NULL: none yet */
        uint32_t base, len; /* file offset of p[0], bytes in p */
        uint32_t used;      /* when last used: the oldest is replaced */
    } reblk[4];
    uint32_t reclock;
};

/* source_read_at reads a file in blocks of this many bytes, and keeps the
 * last few (duplicate-entry compares titles near each other, or one title
 * with many). */
#define REBLOCK ((uint32_t)16 * 1024)

/* Does the text hold only ASCII without NUL?  Eight bytes at a time; then
 * no token needs checking (the usual journal). */
static bool plain_ascii(const char *p, size_t len)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t i = 0;
#if defined(__SSE2__)
    /* Thirty-two bytes a turn where SSE2 is there: a high bit or a NUL. */
    const __m128i z = _mm_setzero_si128();
    for (; len - i >= 32; i += 32) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16));
        __m128i bad = _mm_or_si128(_mm_or_si128(a, b),
                                   _mm_or_si128(_mm_cmpeq_epi8(a, z), _mm_cmpeq_epi8(b, z)));
        if (_mm_movemask_epi8(bad))
            return false;
    }
#endif
    for (; len - i >= 8; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if ((w & highs) || ((w - ones) & ~w & highs))
            return false;
    }
    for (; i < len; i++)
        if ((unsigned char)p[i] >= 0x80 || p[i] == 0)
            return false;
    return true;
}

/* source_pos() first looks up the 4 KiB block of the offset, then searches
 * only that block's lines: a few cache lines instead of a binary search over
 * millions of lines for each of a big journal's diagnostics. */
#define BLK_SHIFT 12

static void add_line_slow(struct source *s, uint32_t off);

static inline void add_line(struct source *s, uint32_t off)
{
    /* Usually: one more 16-bit offset in the group, in the same block. */
    struct line_grp *g = s->lcur;
    uint32_t k = s->nlines & (LINE_GRP - 1);
    if (k && !g->full && off - g->base <= UINT16_MAX &&
        ((uint64_t)s->nblk << BLK_SHIFT) >= off) {
        g->d[k] = (uint16_t)(off - g->base);
        s->nlines++;
        return;
    }
    add_line_slow(s, off);
}

static void add_line_slow(struct source *s, uint32_t off)
{
    uint32_t i = s->nlines;
    if ((i & (LINE_GRP * LINE_PAGE - 1)) == 0) {
        /* A new page; the page table doubles (in the arena: it is small). */
        uint32_t np = i >> (LINE_GRP_SHIFT + LINE_PAGE_SHIFT);
        if ((np & (np - 1)) == 0) {
            uint32_t cap = np ? np * 2 : 1;
            s->lpage = arena_grow(s->arena, s->lpage, np * sizeof *s->lpage,
                                  cap * sizeof *s->lpage);
        }
        s->lpage[np] = arena_alloc(s->arena, LINE_PAGE * sizeof(struct line_grp));
        s->nlpage = np + 1;
    }
    struct line_grp *g = &s->lpage[i >> (LINE_GRP_SHIFT + LINE_PAGE_SHIFT)]
                                  [(i >> LINE_GRP_SHIFT) & (LINE_PAGE - 1)];
    s->lcur = g;
    uint32_t k = i & (LINE_GRP - 1);
    if (k == 0)
        g->base = off;
    if (!g->full && off - g->base > UINT16_MAX) {
        /* A group over 64 KiB (long lines): its offsets in full. */
        g->full = arena_alloc(s->arena, LINE_GRP * sizeof *g->full);
        for (uint32_t j = 0; j < k; j++)
            g->full[j] = g->base + g->d[j];
    }
    if (g->full)
        g->full[k] = off;
    else
        g->d[k] = (uint16_t)(off - g->base);
    /* The blocks that start before this line belong to the line above. */
    while (s->nlines && ((uint64_t)s->nblk << BLK_SHIFT) < off) {
        if (s->nblk == s->capblk) {
            s->capblk = s->capblk ? s->capblk * 2 : 64;
            s->blk = xrealloc(s->mem, s->blk, (size_t)s->capblk * sizeof *s->blk);
        }
        s->blk[s->nblk++] = s->nlines - 1;
    }
    s->nlines++;
}

/* Line 1 starts after a byte-order mark (the only line so far). */
static void skip_bom(struct source *s)
{
    s->start = 3;
    s->lpage[0][0].base = 3;
}

/* Add the lines that start in p[0, len), p being at offset base. */
static void add_lines(struct source *s, const char *p, uint32_t base, size_t len)
{
    const char *end = p + len;
    for (const char *q = p; (q = memchr(q, '\n', (size_t)(end - q))); q++) {
        if (q > p && q[-1] == '\r')
            s->crlf = true;
        add_line(s, base + (uint32_t)(q - p) + 1);
    }
}

static struct source *new_source(struct arena *a, const char *name)
{
    struct source *s = arena_alloc(a, sizeof *s);
    s->mem = arena_mem(a);
    s->arena = a;
    s->name = arena_strdup(a, name);
    size_t n = strlen(name);
    s->name_len = n < UINT32_MAX ? (uint32_t)n : 0;
    s->name_plain = n < UINT32_MAX && utf8_printable_prefix(name, n) == n;
    s->dir = path_dir(a, name);
    s->ascii = true;
    add_line(s, 0);
    return s;
}

/* A text read whole: kept, handed to the scanner as one chunk. */
static struct source *finish(struct arena *a, const char *name, char *buf,
                             size_t len)
{
    struct source *s = new_source(a, name);
    s->buf = buf;
    s->len = (uint32_t)len;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        skip_bom(s);
    return s;
}

static struct source *new_stream(struct arena *a, const char *name)
{
    struct source *s = new_source(a, name);
    s->stream = arena_alloc(a, sizeof *s->stream);
    s->stream->fd = -1;
    s->stream->refd = -1;
    s->stream->chunk = CHUNK_DEFAULT;
    s->stream->max_line = MAX_LINE_DEFAULT;
    return s;
}

struct source *source_from_bytes(struct arena *a, const char *name,
                                 const char *bytes, size_t len)
{
    struct source *s = new_stream(a, name);
    s->stream->mem = bytes ? bytes : "";
    s->stream->memlen = len;
    return s;
}

void source_set_chunk(struct source *s, size_t bytes)
{
    if (s->stream && bytes)
        s->stream->chunk = bytes;
}

void source_keep_text(struct source *s)
{
    if (s->stream)
        s->stream->keep = true;
}

void source_set_max_line(struct source *s, size_t bytes)
{
    if (s->stream && bytes)
        s->stream->max_line = bytes;
}

/* Room in st->buf for one more read and the two NULs after it. */
static void reserve(struct mem *m, struct source_stream *st)
{
    if (st->cap < st->have + st->chunk + 2) {
        size_t nc = st->cap * 2 > st->have + st->chunk + 2
                  ? st->cap * 2 : st->have + st->chunk + 2;
        st->buf = xrealloc(m, st->buf, nc);
        st->cap = nc;
    }
}

static ssize_t stream_read(struct source_stream *st, char *dst, size_t n)
{
    if (st->end) {                  /* a reader: its part of the text only */
        size_t at = (size_t)st->base + st->have;
        size_t left = at < st->end ? st->end - at : 0;
        if (n > left)
            n = left;
        if (!n)
            return 0;
    }
    if (st->mem) {
        size_t k = st->memlen - st->mempos < n ? st->memlen - st->mempos : n;
        memcpy(dst, st->mem + st->mempos, k);
        st->mempos += k;
        return (ssize_t)k;
    }
    for (;;) {
        /* A reader shares the file with the other half's: pread. */
        ssize_t r = st->end ? pread(st->fd, dst, n, (off_t)st->base + (off_t)st->have)
                            : read(st->fd, dst, n);
        if (r < 0 && errno == EINTR)
            continue;
        return r;
    }
}

bool source_next_chunk(struct source *s, struct chunk *c, int *err)
{
    c->skipped = false;
    if (!s->stream) {
        if (s->handed)
            return false;
        s->handed = true;
        c->p = s->buf + s->start;
        c->base = s->start;
        c->len = s->len - s->start;
        if (!s->mapped)
            add_lines(s, c->p, c->base, c->len);
        c->plain = s->ascii = plain_ascii(c->p, c->len);
        return true;
    }
    struct source_stream *st = s->stream;
    if (st->saved) {
        memcpy(st->buf + st->cut, st->save, 2);
        st->saved = false;
    }
    /* What was handed out is done with: drop it (unless it is kept). */
    if (st->cut && !st->keep) {
        memmove(st->buf, st->buf + st->cut, st->have - st->cut);
        st->base += (uint32_t)st->cut;
        st->have -= st->cut;
        st->searched -= st->cut;
        st->cut = 0;
    }
    size_t from = st->cut, cut;
    if (st->searched < from)
        st->searched = from;
    /* A line longer than max_line is skipped: its start and first byte. */
    bool overlong = false;
    uint32_t skip_start = 0;
    char skip_first = 0;
    for (;;) {
        if (!overlong) {
            /* Whole lines: up to the last line feed read so far. */
            size_t i = st->have;
            while (i > st->searched && st->buf[i - 1] != '\n')
                i--;
            if (i > st->searched) {
                cut = i;
                break;
            }
            st->searched = st->have;
            if (st->have - from > st->max_line) {
                overlong = true;
                skip_start = st->base + (uint32_t)from;
                skip_first = st->buf[from];
            }
        } else {
            /* Skipping: the first line feed ends the line. */
            const char *nl = memchr(st->buf + st->searched, '\n',
                                    st->have - st->searched);
            if (nl) {
                cut = (size_t)(nl - st->buf) + 1;
                break;
            }
            st->searched = st->have;
        }
        if (overlong && !st->keep && st->have > from) {
            /* Nothing of a skipped line is needed: forget what was read. */
            st->base += (uint32_t)st->have;
            st->have = st->searched = 0;
            from = 0;
        }
        if (st->eof) {
            cut = st->have;
            break;
        }
        reserve(s->mem, st);
        ssize_t r = stream_read(st, st->buf + st->have, st->chunk);
        if (r < 0) {
            *err = errno;
            st->eof = true;
        } else if (r == 0) {
            st->eof = true;
        } else if ((size_t)st->base + st->have + (size_t)r > MAX_LEN) {
            *err = EFBIG;
            st->eof = true;
        } else {
            st->have += (size_t)r;
        }
    }
    if (!overlong && cut - from > st->max_line) {
        /* A read brought a long line and the lines after it at once: hand
         * out the lines before it, or skip it if it comes first. */
        for (size_t q = from; q < cut;) {
            const char *nl = memchr(st->buf + q, '\n', cut - q);
            size_t end = nl ? (size_t)(nl - st->buf) + 1 : cut;
            if (end - q - (nl ? 1 : 0) > st->max_line) {
                if (q > from) {
                    cut = q;
                } else {
                    overlong = true;
                    skip_start = st->base + (uint32_t)from;
                    skip_first = st->buf[from];
                    cut = end;
                }
                break;
            }
            q = end;
        }
    }
    if (!overlong && st->base == 0 && from == 0 && cut >= 3 &&
        memcmp(st->buf, "\xEF\xBB\xBF", 3) == 0) {
        skip_bom(s);
        from = 3;
    }
    st->cut = cut;
    s->len = st->base + (uint32_t)cut;
    if (cut <= from && !overlong)
        return false;
    if (!st->buf) {                 /* an overlong line ended at end of file */
        reserve(s->mem, st);
    }
    c->p = st->buf + from;
    c->base = st->base + (uint32_t)from;
    c->len = (uint32_t)(cut - from);
    memcpy(st->save, st->buf + cut, 2);     /* the buffer has 2 bytes to spare */
    st->buf[cut] = st->buf[cut + 1] = '\0';
    st->saved = true;
    if (!s->mapped)
        add_lines(s, c->p, c->base, c->len);
    if (overlong) {
        /* Only the line's end is handed out: the scanner never sees it. */
        c->skipped = true;
        c->first = skip_first;
        c->base = skip_start;
        c->len = s->len - skip_start;       /* the line, without its end */
        if (cut > 0 && st->buf[cut - 1] == '\n')
            c->len--;
        c->p = st->buf + cut;
        c->plain = false;
        s->ascii = false;
        return true;
    }
    c->plain = plain_ascii(c->p, c->len);
    s->ascii = s->ascii && c->plain;
    return true;
}

void source_end_read(struct source *s)
{
    struct source_stream *st = s->stream;
    if (!st)
        return;
    if (st->fd >= 0) {
        if (!st->borrowed)
            close(st->fd);
        st->fd = -1;
    }
    if (st->saved) {
        memcpy(st->buf + st->cut, st->save, 2);
        st->saved = false;
    }
    if (st->keep) {
        /* The text, kept whole, for lines shown again: then two NULs. */
        if (st->cap < st->have + 2) {
            st->buf = xrealloc(s->mem, st->buf, st->have + 2);
            st->cap = st->have + 2;
        }
        st->buf[st->have] = st->buf[st->have + 1] = '\0';
        s->buf = st->buf;
        s->heap_buf = true;
        s->len = st->base + (uint32_t)st->have;
        st->buf = NULL;
    }
    xfree(s->mem, st->buf);
    st->buf = NULL;
    st->cap = st->have = st->cut = st->searched = 0;
}

void source_release(struct source *s)
{
    if (!s)
        return;
    xfree(s->mem, s->blk);
    s->blk = NULL;
    if (s->heap_buf)
        xfree(s->mem, s->buf);
    s->buf = NULL;
    s->heap_buf = false;
    struct source_stream *st = s->stream;
    if (!st)
        return;
    if (st->fd >= 0 && !st->borrowed)
        close(st->fd);
    st->fd = -1;
    source_done_reading(s);
    xfree(s->mem, st->buf);
    xfree(s->mem, st->line);
    st->buf = st->line = NULL;
}

/* read() until end of file or until buf is full; the bytes read, or -1. */
static ssize_t read_full(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    while (len < cap) {
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    return (ssize_t)len;
}

struct source *source_read_stream(struct arena *a, int fd, const char *name,
                                  const char **err)
{
    struct stat st;
    bool have = fstat(fd, &st) == 0;
    if (have && S_ISDIR(st.st_mode)) {
        *err = "is a folder, not a journal";
        return NULL;
    }
    const size_t max = (size_t)UINT32_MAX - 8;
    if (have && S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
        *err = "is too large (4 GiB at most)";
        return NULL;
    }
    /* Anything but a device is streamed like a file, a chunk of whole lines
     * at a time (a line of any length is read or reported), and kept: it
     * cannot be read again to show a line.  The first read is made now, so
     * that an unreadable input is an error here. */
    bool device = have && S_ISCHR(st.st_mode) && !isatty(fd);
    if (!device) {
        struct source *s = new_stream(a, name);
        struct source_stream *ss = s->stream;
        ss->fd = fd;
        ss->keep = true;
        ss->borrowed = true;
        reserve(s->mem, ss);
        ssize_t r = stream_read(ss, ss->buf, ss->chunk);
        if (r < 0) {
            *err = strerror(errno);
            xfree(s->mem, ss->buf);
            ss->buf = NULL;
            ss->fd = -1;
            return NULL;
        }
        ss->have = (size_t)r;
        ss->eof = r == 0;
        return s;
    }
    /* A device other than a terminal (/dev/zero, /dev/urandom) may never
     * end: read it whole, only if it ends within 1 MiB (/dev/null does). */
    size_t len = 0;
    size_t limit = (size_t)1 << 20;
    size_t cap = len > 64 * 1024 ? len * 2 : 64 * 1024;
    struct mem *m = arena_mem(a);
    char *tmp = xmalloc(m, cap + 2);
    for (;;) {
        if (len >= limit) {
            xfree(m, tmp);
            *err = "is a device that does not end, not a journal";
            return NULL;
        }
        if (len == cap) {
            cap = cap * 2 < limit ? cap * 2 : limit;
            tmp = xrealloc(m, tmp, cap + 2);
        }
        ssize_t r = read_full(fd, tmp + len, cap - len);
        if (r < 0) {
            *err = strerror(errno);
            xfree(m, tmp);
            return NULL;
        }
        len += (size_t)r;
        if (len < cap)
            break;
    }
    char *buf = arena_alloc(a, len + 2);
    memcpy(buf, tmp, len);
    xfree(m, tmp);
    return finish(a, name, buf, len);
}

struct source *source_read(struct arena *a, const char *path, const char *name,
                           const char **err)
{
    /* Allocate first: running out of memory with the file open would leak
     * its descriptor (arena.h: a failed allocation does not return). */
    struct source *s = new_stream(a, name);
    s->stream->path = arena_strdup(a, path);
    /* A FIFO is opened as cat opens it: waiting for its writer (opened
     * without waiting, a FIFO with no writer yet reads as empty, and its
     * later writer blocks for ever).  Anything else is opened without
     * waiting, in case it is a device. */
    struct stat pst;
    int wait = stat(path, &pst) == 0 && S_ISFIFO(pst.st_mode) ? 0 : O_NONBLOCK;
    int fd;
    do
        fd = open(path, O_RDONLY | O_CLOEXEC | wait);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        *err = strerror(errno);
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        *err = strerror(errno);
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
        *err = S_ISDIR(st.st_mode) ? "is a folder, not a journal"
                                   : "is not a regular file";
        close(fd);
        return NULL;
    }
    /* Blocking reads from here on. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    if (S_ISFIFO(st.st_mode)) {
        /* Streamed and kept, like standard input, and closed at the end.
         * Nothing is allocated from here on (the descriptor is the
         * source's before anything can fail). */
        struct source_stream *fst = s->stream;
        fst->fd = fd;
        fst->keep = true;
        fst->path = NULL;           /* a FIFO cannot be read again */
        return s;
    }
    if ((uint64_t)st.st_size > MAX_LEN) {
        *err = "is too large (4 GiB at most)";
        close(fd);
        return NULL;
    }
    s->stream->fd = fd;
    return s;
}

struct pos source_pos(const struct source *s, uint32_t offset)
{
    uint32_t lo = 0, hi = s->nlines;
    if (offset < s->start)
        offset = s->start;
    uint32_t b = offset >> BLK_SHIFT;
    if (b < s->nblk) {
        lo = s->blk[b];
        if (b + 1 < s->nblk)
            hi = s->blk[b + 1] + 1;
    } else if (s->nblk) {
        lo = s->blk[s->nblk - 1];
    }
    /* The line is in [lo, hi): first its group (the last that starts at or
     * before offset), then within the group. */
    uint32_t glo = lo >> LINE_GRP_SHIFT, ghi = (hi - 1) >> LINE_GRP_SHIFT;
    const struct line_grp *g = source_line_grp(s, lo);
    while (glo < ghi) {             /* a 4 KiB block: a group or two */
        const struct line_grp *n = source_line_grp(s, (glo + 1) << LINE_GRP_SHIFT);
        if (n->base > offset)
            break;
        g = n;
        glo++;
    }
    uint32_t first = glo << LINE_GRP_SHIFT;
    uint32_t l = lo > first ? lo - first : 0;
    uint32_t h = hi - first < LINE_GRP ? hi - first : LINE_GRP;
    while (h - l > 1) {
        uint32_t mid = l + (h - l) / 2;
        if (line_grp_at(g, mid) <= offset)
            l = mid;
        else
            h = mid;
    }
    struct pos p = { first + l + 1, offset - line_grp_at(g, l) + 1 };
    return p;
}

uint32_t source_line_end(const struct source *s, uint32_t line)
{
    if (line == 0 || line > s->nlines)
        return s->len;
    return line < s->nlines ? source_line_offset(s, line + 1) - 1 : s->len;
}

/* Read up to n bytes at offset `at` (fewer at the end of the file or on
 * an error): how many were read. */
static size_t pread_all(int fd, char *p, size_t n, uint32_t at)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, p + got, n - got, (off_t)at + (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

const char *source_line(const struct source *s, uint32_t line, uint32_t *len)
{
    *len = 0;
    if (line == 0 || line > s->nlines)
        return "";
    uint32_t b = source_line_offset(s, line);
    uint32_t e = source_line_end(s, line);
    if (e < b)
        e = b;
    const char *p = "";
    struct source_stream *st = s->stream;
    if (s->buf) {
        p = s->buf + b;
    } else if (st && st->mem) {
        if (e > st->memlen)
            return "";
        p = st->mem + b;
    } else if (st && st->path) {
        /* Read the line again from the file; a file that changed since
         * shows what it now holds. */
        size_t n = e - b;
        if (st->linecap < n + 1) {
            /* After the lint: without memory, the line is not shown. */
            char *nl = xtry_realloc(s->mem, st->line, n + 1);
            if (!nl)
                return "";
            st->line = nl;
            st->linecap = n + 1;
        }
        int fd = open(st->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0)
            return "";
        size_t got = pread_all(fd, st->line, n, b);
        close(fd);
        st->line[got] = '\0';
        e = b + (uint32_t)got;
        p = st->line;
    } else {
        return "";
    }
    if (e > b && p[e - b - 1] == '\r')
        e--;
    *len = e - b;
    return p;
}

bool source_read_at(const struct source *s, uint32_t off, uint32_t n, char *out)
{
    if (off > s->len || n > s->len - off)
        return false;
    struct source_stream *st = s->stream;
    if (s->buf) {
        memcpy(out, s->buf + off, n);
        return true;
    }
    if (st && st->mem) {
        if ((size_t)off + n > st->memlen)
            return false;
        memcpy(out, st->mem + off, n);
        return true;
    }
    if (!st || !st->path)
        return false;
    if (st->refd < 0) {
        st->refd = open(st->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (st->refd < 0)
            return false;
    }
    while (n) {
        uint32_t base = off / REBLOCK * REBLOCK;
        struct reblock *b = NULL, *victim = NULL;
        for (int i = 0; i < 4; i++) {
            struct reblock *q = &st->reblk[i];
            if (q->p && q->base == base) {
                b = q;
                break;
            }
            /* An empty slot, else the one unused the longest. */
            if (!victim || (victim->p && (!q->p || q->used < victim->used)))
                victim = q;
        }
        if (!b) {
            b = victim;
            if (!b->p)
                b->p = xmalloc(s->mem, REBLOCK);
            b->base = base;
            b->len = (uint32_t)pread_all(st->refd, b->p, REBLOCK, base);
        }
        b->used = ++st->reclock;
        uint32_t at = off - base;
        if (at >= b->len)
            return false;           /* the file is shorter now */
        uint32_t k = b->len - at < n ? b->len - at : n;
        memcpy(out, b->p + at, k);
        out += k;
        off += k;
        n -= k;
    }
    return true;
}

void source_done_reading(const struct source *s)
{
    struct source_stream *st = s->stream;
    if (!st)
        return;
    if (st->refd >= 0) {
        close(st->refd);
        st->refd = -1;
    }
    for (int i = 0; i < 4; i++) {
        xfree(s->mem, st->reblk[i].p);
        st->reblk[i].p = NULL;
    }
}

char *path_dir(struct arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return arena_strdup(a, "");
    if (slash == path)
        return arena_strdup(a, "/");
    return arena_strndup(a, path, (size_t)(slash - path));
}

const char *source_text(const struct source *s, uint32_t *len)
{
    if (s->buf) {
        *len = s->len;
        return s->buf;
    }
    if (s->stream && s->stream->mem) {
        *len = (uint32_t)s->stream->memlen;
        return s->stream->mem;
    }
    *len = 0;
    return NULL;
}

uint32_t source_col(const struct source *s, struct pos pos, int unit)
{
    if (unit == UTF8_BYTES || pos.col <= 1 || (s->ascii && unit != UTF8_DISPLAY))
        return pos.col;
    uint32_t len;
    const char *p = source_line(s, pos.line, &len);
    uint32_t bytes = pos.col - 1;
    size_t n = bytes < len ? bytes : len;
    /* Past the end of the line (a diagnostic's end): one a byte. */
    return (uint32_t)utf8_columns(p, n, (enum utf8_unit)unit, 0) + (bytes - (uint32_t)n) + 1;
}

const char *source_eol(const struct source *s)
{
    if (!s->crlf)
        return "\n";
    /* source_line drops the CR of a CRLF: the line is longer than its text. */
    uint32_t len;
    source_line(s, 1, &len);
    return s->nlines > 1 &&
           source_line_offset(s, 2) - 1 - source_line_offset(s, 1) > len ? "\r\n" : "\n";
}

/* --- two readers --------------------------------------------------------- */

/* Back to the line map of a text not read yet: line 1 at offset 0. */
static void unmap_lines(struct source *s)
{
    s->nlines = 0;
    s->nblk = 0;
    s->start = 0;
    s->crlf = false;
    s->len = 0;
    s->lcur = NULL;
    add_line(s, 0);
}

/* The first word of the line at offset o is a date: the scanner starts an
 * entry there, whatever came before. */
static bool date_line(const struct source *s, uint32_t o)
{
    const struct source_stream *st = s->stream;
    char w[16];
    size_t n;
    if (st->mem) {
        n = st->memlen - o < sizeof w ? st->memlen - o : sizeof w;
        memcpy(w, st->mem + o, n);
    } else {
        n = pread_all(st->fd, w, sizeof w, o);
    }
    size_t k = 0;
    while (k < n && w[k] != ' ' && w[k] != '\t' && w[k] != '\r' && w[k] != '\n')
        k++;
    struct date d;
    return k < n && w[0] >= '0' && w[0] <= '9' && date_parse(w, k, &d);
}

bool source_map_all(struct source *s, uint32_t min, uint32_t *cut)
{
    struct source_stream *st = s->stream;
    *cut = 0;
    if (!st || st->keep || st->have || st->base || st->eof || s->mapped)
        return false;
    size_t len;
    if (st->mem) {
        len = st->memlen;
    } else {
        struct stat sb;
        if (st->fd < 0 || !st->path || fstat(st->fd, &sb) != 0 || !S_ISREG(sb.st_mode))
            return false;
        len = (size_t)sb.st_size;
    }
    if (len > MAX_LEN || len < min)
        return false;
    enum { BLOCK = 64 * 1024 };       /* read again for each block: small, warm */
    char *buf = st->mem ? NULL : xmalloc(s->mem, len < BLOCK ? len + 1 : BLOCK);
    bool prev_cr = false;
    for (size_t at = 0; at < len;) {
        const char *p;
        size_t n = len - at;
        if (st->mem) {
            p = st->mem + at;
        } else {
            if (n > BLOCK)
                n = BLOCK;
            if (pread_all(st->fd, buf, n, (uint32_t)at) != n) {
                xfree(s->mem, buf);     /* it changed, or an error: as usual */
                unmap_lines(s);
                return false;
            }
            p = buf;
        }
        size_t skip = 0;
        if (at == 0 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            skip_bom(s);
            skip = 3;
        }
        if (prev_cr && p[0] == '\n')
            s->crlf = true;
        add_lines(s, p + skip, (uint32_t)(at + skip), n - skip);
        prev_cr = p[n - 1] == '\r';
        at += n;
    }
    xfree(s->mem, buf);
    s->len = (uint32_t)len;
    s->mapped = true;
    /* The first entry after the middle (within a few thousand lines). */
    uint32_t mid = s->start + (s->len - s->start) / 2;
    uint32_t first = source_pos(s, mid).line + 1;
    for (uint32_t l = first; l <= s->nlines && l - first < 4096; l++) {
        uint32_t o = source_line_offset(s, l);
        if (o < s->len && date_line(s, o)) {
            *cut = o;
            break;
        }
    }
    return true;
}

struct source *source_reader(const struct source *s, struct arena *a,
                             uint32_t from, uint32_t to)
{
    const struct source_stream *ms = s->stream;
    struct source *r = new_stream(a, s->name);
    struct source_stream *st = r->stream;
    r->mapped = true;
    st->chunk = ms->chunk;
    st->max_line = ms->max_line;
    st->base = from;
    st->end = to;
    if (ms->mem) {
        st->mem = ms->mem;
        st->memlen = ms->memlen;
        st->mempos = from;
    } else {
        st->fd = ms->fd;            /* s's, read with pread; s closes it */
        st->borrowed = true;
    }
    return r;
}

void source_readers_done(struct source *s, const struct source *r1,
                         const struct source *r2)
{
    s->ascii = r1->ascii && r2->ascii;
    s->stream->eof = true;
    source_end_read(s);
}
