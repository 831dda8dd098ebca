/* lsp_run.c - `ladder lsp`: the server's loop over standard input and output.
 *
 * One thread, poll() on both descriptors.  Input is read whenever it is
 * waiting and handed to the state machine; output is written only as far as
 * the client takes it (standard output is non-blocking when it is a pipe or
 * a socket), so a client that writes many requests before it reads any
 * answer never deadlocks with the server.  Linting (lsp_idle) waits until
 * no input is waiting: a burst of changes is linted once, on its last text.
 */
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lsp_server.h"
#include "pipe_size.h"

#define READ_CHUNK (1024 * 1024)

#define FINAL_FLUSH_MS 10000

/* Write what the descriptor takes now; false when it is closed or broken. */
static bool write_some(lsp_server *s, int fd)
{
    size_t len;
    const char *p = lsp_output(s, &len);
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n > 0) {
            lsp_consume(s, (size_t)n);
            p = lsp_output(s, &len);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        return false;
    }
    return true;
}

/* Write everything left, waiting at most FINAL_FLUSH_MS for the client. */
static void flush_all(lsp_server *s, int fd)
{
    size_t len;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (lsp_output(s, &len), len > 0) {
        if (!write_some(s, fd))
            return;
        if (lsp_output(s, &len), len == 0)
            return;
        clock_gettime(CLOCK_MONOTONIC, &t);
        long ms = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
        if (ms >= FINAL_FLUSH_MS)
            return;
        struct pollfd p = { fd, POLLOUT, 0 };
        if (poll(&p, 1, (int)(FINAL_FLUSH_MS - ms)) < 0 && errno != EINTR)
            return;
        if (p.revents & (POLLERR | POLLNVAL))
            return;
    }
}

int lsp_run(int in_fd, int out_fd, const lsp_options *o)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);      /* a closed client is an error code */

    struct stat st;
    if (fstat(out_fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
        int fl = fcntl(out_fd, F_GETFL);
        if (fl >= 0)
            fcntl(out_fd, F_SETFL, fl | O_NONBLOCK);
    }
    /* Each change brings the whole text (megabytes at 10,000 calls), and
     * each publication can be hundreds of kilobytes: a megabyte at a time
     * rather than 64 KiB, in either direction. */
    pipe_enlarge(in_fd);
    pipe_enlarge(out_fd);
    lsp_server *s = lsp_new(o);
    char *buf = malloc(READ_CHUNK);
    if (!s || !buf) {
        fputs("ladder: lsp: out of memory\n", stderr);
        lsp_free(s);
        free(buf);
        return 1;
    }
    int status = 1;
    bool out_ok = true;
    for (;;) {
        if (lsp_exited(s, &status))
            break;
        if (s->oom) {
            fputs("ladder: lsp: out of memory\n", stderr);
            status = 1;
            break;
        }
        size_t pending;
        lsp_output(s, &pending);
        struct pollfd p[2] = { { in_fd, POLLIN, 0 }, { out_fd, POLLOUT, 0 } };
        int np = pending > 0 && out_ok ? 2 : 1;
        int r = poll(p, (nfds_t)np, lsp_has_work(s) ? 0 : -1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (np == 2 && (p[1].revents & (POLLOUT | POLLERR | POLLHUP | POLLNVAL))) {
            if (!write_some(s, out_fd))
                out_ok = false;         /* the client closed its end */
        }
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
            ssize_t n = read(in_fd, buf, READ_CHUNK);
            if (n > 0) {
                lsp_feed(s, buf, (size_t)n);
                continue;           /* more may be waiting: read before linting */
            }
            if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
                continue;
            break;                  /* end of input (or an error reading it) */
        }
        if (r == 0 || !(p[0].revents & POLLIN))
            lsp_idle(s);
    }
    if (out_ok)
        flush_all(s, out_fd);
    lsp_free(s);
    free(buf);
    return status;
}

static const char lsp_usage[] =
    "usage: ladder lsp [--stdio]\n"
    "\n"
    "A language server (LSP 3.17) on standard input and output, for editors:\n"
    "live diagnostics, completion, hover, go to definition, outline and quick\n"
    "fixes for .ladder journals.  Settings come from the client's\n"
    "initializationOptions: today, strict, options, rules, journal.\n"
    "See docs/lsp.md.\n"
    "\n"
    "Exit status: 0 after shutdown and exit, 1 on exit without shutdown or at\n"
    "the end of the input, 2 on a usage error.\n";

int ladder_lsp_command(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(lsp_usage, stdout);
            return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 2;
        }
        if (strcmp(a, "--stdio") == 0 || strncmp(a, "--clientProcessId", 17) == 0)
            continue;               /* what VS Code's client passes */
        fprintf(stderr, "ladder: lsp: unknown option '%s' (try 'ladder lsp --help')\n", a);
        return 2;
    }
#ifdef __GLIBC__
    /* The process is the server's: each change's text and jansson's
     * buffers are megabytes freed and taken again at the next message, so
     * keep freed memory in the heap instead of giving it back (and
     * faulting it in again, 12-17 us a page here). */
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
#endif
    return lsp_run(0, 1, NULL);
}
