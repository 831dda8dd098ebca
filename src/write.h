/* write.h - rewriting a journal file safely (cli.md §4), for `fmt -w` and
 * `lint --fix`: a temporary file in the same folder, flushed and renamed
 * over the original, its mode kept; nothing written when the file changed
 * on disk since it was read or is not a regular file. */
#ifndef LADDER_WRITE_H
#define LADDER_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* What a file was when it was read. */
struct snapshot {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    mode_t mode;
};

/* Read the regular file `path` whole (a symbolic link or anything but a
 * regular file is refused), with its snapshot.  *bytes is malloc'd.
 * False with a message in why[] on failure. */
bool write_read(const char *path, char **bytes, size_t *len, struct snapshot *snap,
                char *why, size_t whylen);

/* Read an open descriptor to its end into a malloc'd buffer (NUL after
 * the bytes); false with errno set on a read error or out of memory. */
bool write_read_fd(int fd, char **bytes, size_t *len);

/* Replace `path`, read as `orig` (origlen bytes) with snapshot `snap`, by
 * `bytes`.  False, nothing written and the original untouched, with a
 * message in why[], when the file changed since (identity, size, mtime or
 * bytes), is no longer a regular file, or a write fails. */
bool write_replace(const char *path, const struct snapshot *snap,
                   const char *orig, size_t origlen, const char *bytes,
                   size_t len, char *why, size_t whylen);

#endif
