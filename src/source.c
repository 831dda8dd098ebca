/* source.c - reading files whole and mapping offsets to lines. */
#include "source.h"
#include "arena.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void build_lines(struct arena *a, struct source *s)
{
    const char *b = s->buf, *end = s->buf + s->len;
    uint32_t n = 1;
    for (const char *p = b + s->start; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        n++;
    s->lines = arena_alloc(a, (size_t)n * sizeof *s->lines);
    s->lines[0] = s->start;
    uint32_t k = 1;
    for (const char *p = b + s->start; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        s->lines[k++] = (uint32_t)(p - b) + 1;
    s->nlines = n;
}

static struct source *finish(struct arena *a, const char *name, char *buf,
                             size_t len)
{
    struct source *s = arena_alloc(a, sizeof *s);
    s->name = arena_strdup(a, name);
    s->dir = path_dir(a, name);
    s->buf = buf;
    s->len = (uint32_t)len;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        s->start = 3;
    build_lines(a, s);
    return s;
}

struct source *source_from_bytes(struct arena *a, const char *name,
                                 const char *bytes, size_t len)
{
    if (len > UINT32_MAX - 8)
        len = UINT32_MAX - 8;
    char *buf = arena_alloc(a, len + 2);
    memcpy(buf, bytes, len);
    return finish(a, name, buf, len);
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
    /* A regular file of known size is read straight into the arena, with
     * one byte to spare to see whether it grew meanwhile. */
    size_t len = 0;
    char *head = NULL;
    if (have && S_ISREG(st.st_mode)) {
        size_t cap = (size_t)st.st_size + 1;
        head = arena_alloc(a, cap + 2);
        ssize_t r = read_full(fd, head, cap);
        if (r < 0) {
            *err = strerror(errno);
            return NULL;
        }
        len = (size_t)r;
        if (len < cap)
            return finish(a, name, head, len);
    }
    /* A pipe, or a file that grew: read into the heap, then copy once into
     * the arena.  A device other than a terminal (/dev/zero, /dev/urandom)
     * may never end: read it only if it ends within 1 MiB (/dev/null does). */
    bool device = have && S_ISCHR(st.st_mode) && !isatty(fd);
    size_t limit = device ? (size_t)1 << 20 : max;
    size_t cap = len > 64 * 1024 ? len * 2 : 64 * 1024;
    char *tmp = xmalloc(cap + 2);
    if (len)
        memcpy(tmp, head, len);
    for (;;) {
        if (len >= limit) {
            free(tmp);
            *err = device ? "is a device that does not end, not a journal"
                          : "is too large (4 GiB at most)";
            return NULL;
        }
        if (len == cap) {
            cap = cap * 2 < limit ? cap * 2 : limit;
            tmp = xrealloc(tmp, cap + 2);
        }
        ssize_t r = read_full(fd, tmp + len, cap - len);
        if (r < 0) {
            *err = strerror(errno);
            free(tmp);
            return NULL;
        }
        len += (size_t)r;
        if (len < cap)
            break;
    }
    char *buf = arena_alloc(a, len + 2);
    memcpy(buf, tmp, len);
    free(tmp);
    return finish(a, name, buf, len);
}

struct source *source_read(struct arena *a, const char *path, const char *name,
                           const char **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        *err = strerror(errno);
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
        *err = S_ISDIR(st.st_mode) ? "is a folder, not a journal"
                                   : "is not a regular file";
        close(fd);
        return NULL;
    }
    /* Blocking reads from here on (a FIFO was opened without waiting). */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    struct source *s = source_read_stream(a, fd, name, err);
    close(fd);
    return s;
}

struct pos source_pos(const struct source *s, uint32_t offset)
{
    uint32_t lo = 0, hi = s->nlines;
    if (offset < s->start)
        offset = s->start;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->lines[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    struct pos p = { lo + 1, offset - s->lines[lo] + 1 };
    return p;
}

const char *source_line(const struct source *s, uint32_t line, uint32_t *len)
{
    if (line == 0 || line > s->nlines) {
        *len = 0;
        return "";
    }
    uint32_t b = s->lines[line - 1];
    uint32_t e = line < s->nlines ? s->lines[line] - 1 : s->len;
    if (e > b && s->buf[e - 1] == '\r')
        e--;
    *len = e - b;
    return s->buf + b;
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
