/* write.c - rewriting a journal file safely (write.h, cli.md §4). */
#include "write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool fail(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
    return false;
}

static void take(struct snapshot *s, const struct stat *st)
{
    s->dev = st->st_dev;
    s->ino = st->st_ino;
    s->size = st->st_size;
    s->mtime = st->st_mtim;
    s->mode = st->st_mode;
}

static bool same(const struct snapshot *a, const struct stat *st)
{
    return a->dev == st->st_dev && a->ino == st->st_ino && a->size == st->st_size &&
           a->mtime.tv_sec == st->st_mtim.tv_sec &&
           a->mtime.tv_nsec == st->st_mtim.tv_nsec && S_ISREG(st->st_mode);
}

bool write_read_fd(int fd, char **bytes, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *p = malloc(cap + 1);
    if (!p)
        return false;
    for (;;) {
        if (n == cap) {
            char *q = cap > ((size_t)-1) / 4 ? NULL : realloc(p, cap * 2 + 1);
            if (!q) {
                free(p);
                errno = ENOMEM;
                return false;
            }
            p = q;
            cap *= 2;
        }
        ssize_t r = read(fd, p + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(p);
            errno = e;
            return false;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    p[n] = '\0';
    *bytes = p;
    *len = n;
    return true;
}

/* The regular file path is, not following a symbolic link. */
static bool regular(const char *path, struct stat *st, char *why, size_t whylen)
{
    if (lstat(path, st) != 0)
        return fail(why, whylen, "%s: %s", path, strerror(errno));
    if (S_ISLNK(st->st_mode))
        return fail(why, whylen, "%s: a symbolic link: not rewritten (format "
                    "the file it points to)", path);
    if (!S_ISREG(st->st_mode))
        return fail(why, whylen, "%s: not a regular file: not rewritten", path);
    return true;
}

bool write_read(const char *path, char **bytes, size_t *len, struct snapshot *snap,
                char *why, size_t whylen)
{
    struct stat st;
    if (!regular(path, &st, why, whylen))
        return false;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return fail(why, whylen, "%s: %s", path, strerror(errno));
    struct stat fst;
    if (fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode) || fst.st_ino != st.st_ino ||
        fst.st_dev != st.st_dev) {
        close(fd);
        return fail(why, whylen, "%s: changed while being read: not rewritten", path);
    }
    take(snap, &fst);
    if (!write_read_fd(fd, bytes, len)) {
        int e = errno;
        close(fd);
        return fail(why, whylen, "%s: %s", path, strerror(e));
    }
    close(fd);
    return true;
}

/* Is the file still what was read: the same identity, size, time and
 * bytes? */
static bool unchanged(const char *path, const struct snapshot *snap,
                      const char *orig, size_t origlen, char *why, size_t whylen)
{
    struct stat st;
    if (!regular(path, &st, why, whylen))
        return false;
    if (!same(snap, &st))
        return fail(why, whylen, "%s: changed on disk since it was read: not "
                    "rewritten", path);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return fail(why, whylen, "%s: %s", path, strerror(errno));
    char *now;
    size_t n;
    bool ok = write_read_fd(fd, &now, &n);
    int e = errno;
    close(fd);
    if (!ok)
        return fail(why, whylen, "%s: %s", path, strerror(e));
    ok = n == origlen && memcmp(now, orig, n) == 0;
    free(now);
    if (!ok)
        return fail(why, whylen, "%s: changed on disk since it was read: not "
                    "rewritten", path);
    return true;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

bool write_replace(const char *path, const struct snapshot *snap,
                   const char *orig, size_t origlen, const char *bytes,
                   size_t len, char *why, size_t whylen)
{
    if (!unchanged(path, snap, orig, origlen, why, whylen))
        return false;
    /* The temporary file: in the same folder, so the rename is atomic. */
    size_t pl = strlen(path);
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
    char *tmp = malloc(pl + 32);
    if (!tmp)
        return fail(why, whylen, "%s: out of memory", path);
    memcpy(tmp, path, dl);
    snprintf(tmp + dl, pl + 32 - dl, ".%s.ladder-XXXXXX", "fmt");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return fail(why, whylen, "%s: cannot create a temporary file beside it: %s",
                    path, strerror(e));
    }
    int e = 0;
    if (fchmod(fd, snap->mode & 07777) != 0 || !write_all(fd, bytes, len) ||
        fsync(fd) != 0)
        e = errno ? errno : EIO;
    if (close(fd) != 0 && !e)
        e = errno;
    /* Checked once more just before the rename, to shrink the window in
     * which another program's change could be lost. */
    if (!e && !unchanged(path, snap, orig, origlen, why, whylen)) {
        unlink(tmp);
        free(tmp);
        return false;
    }
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        free(tmp);
        return fail(why, whylen, "%s: not rewritten: %s", path, strerror(e));
    }
    free(tmp);
    /* The rename itself reaches the disk with the folder. */
    char *dir = malloc(dl + 2);
    if (dir) {
        if (dl) {
            memcpy(dir, path, dl);
            dir[dl] = '\0';
        } else
            strcpy(dir, ".");
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    return true;
}
