/* pipe_size.c - a bigger pipe for much output or input (pipe_size.h). */
#define _GNU_SOURCE                 /* F_SETPIPE_SZ */
#include "pipe_size.h"

#include <fcntl.h>
#include <sys/stat.h>

void pipe_enlarge(int fd)
{
#ifdef F_SETPIPE_SZ
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) &&
        fcntl(fd, F_GETPIPE_SZ) < PIPE_SIZE_BIG)
        (void)fcntl(fd, F_SETPIPE_SZ, PIPE_SIZE_BIG);
#else
    (void)fd;
#endif
}
