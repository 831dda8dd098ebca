/* pipe_size.h - a bigger pipe for much output or input (Linux). */
#ifndef LADDER_PIPE_SIZE_H
#define LADDER_PIPE_SIZE_H

#define PIPE_SIZE_BIG (1024 * 1024)

/* If fd is a pipe smaller than PIPE_SIZE_BIG, ask for that size.  A hint:
 * refused (not Linux, not a pipe, over the user's limit) changes nothing.
 * A writer with megabytes to say then waits on its reader a sixteenth as
 * often as with the default 64 KiB (docs/bench.md). */
void pipe_enlarge(int fd);

#endif
