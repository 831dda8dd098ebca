/* runstat.c - run a command once and print its wall time and peak memory.
 *
 *   runstat [-t SECONDS] [-p] COMMAND [ARG...]
 *
 * The command's standard input and output are /dev/null; its standard
 * error is left alone.  With -p its standard output is a pipe that
 * runstat reads to the end and discards (what an editor or `| less`
 * costs: a pipe takes at most 64 KiB at a time, /dev/null anything), and
 * the time runs until the command has ended and its output is read.  When it ends, runstat prints one line on its own
 * standard output:
 *
 *   SECONDS MAXRSS_KB STATUS
 *
 * SECONDS is the wall time (monotonic clock), MAXRSS_KB the child's peak
 * resident set size from wait4(), STATUS its exit status, or 128+N when it
 * was killed by signal N.  With -t, a command still running after SECONDS
 * is killed (SIGKILL, so STATUS 137).  runstat exits 0 if it could run the
 * command.
 */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

static void on_alarm(int sig)
{
    (void)sig;                      /* only interrupts wait4() */
}

int main(int argc, char **argv)
{
    unsigned limit = 0;
    int use_pipe = 0;
    for (;;) {
        if (argc > 2 && strcmp(argv[1], "-t") == 0) {
            limit = (unsigned)strtoul(argv[2], NULL, 10);
            argv += 2;
            argc -= 2;
        } else if (argc > 1 && strcmp(argv[1], "-p") == 0) {
            use_pipe = 1;
            argv += 1;
            argc -= 1;
        } else {
            break;
        }
    }
    if (argc < 2) {
        fputs("usage: runstat [-t SECONDS] [-p] COMMAND [ARG...]\n", stderr);
        return 2;
    }
    int fds[2] = { -1, -1 };
    if (use_pipe && pipe(fds) < 0) {
        perror("runstat: pipe");
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("runstat: fork");
        return 2;
    }
    if (pid == 0) {
        setpgid(0, 0);              /* so that a timeout stops all of it */
        int null = open("/dev/null", O_RDWR);
        if (null < 0 || dup2(null, 0) < 0 || dup2(use_pipe ? fds[1] : null, 1) < 0) {
            perror("runstat: /dev/null");
            _exit(127);
        }
        close(null);
        if (use_pipe) {
            close(fds[0]);
            close(fds[1]);
        }
        execvp(argv[1], argv + 1);
        perror(argv[1]);
        _exit(127);
    }
    if (limit > 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;   /* no SA_RESTART: wait4 returns EINTR */
        sigaction(SIGALRM, &sa, NULL);
        alarm(limit);
    }
    if (use_pipe) {
        static char buf[1 << 16];
        close(fds[1]);
        for (;;) {
            ssize_t n = read(fds[0], buf, sizeof buf);
            if (n > 0)
                continue;
            if (n < 0 && errno == EINTR) {
                kill(-pid, SIGKILL);    /* out of time: its end closes the pipe */
                continue;
            }
            break;
        }
        close(fds[0]);
    }
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("runstat: wait4");
            return 2;
        }
        kill(-pid, SIGKILL);        /* out of time */
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    int code = WIFEXITED(status) ? WEXITSTATUS(status)
             : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
    printf("%.6f %ld %d\n", secs, (long)ru.ru_maxrss, code);
    return 0;
}
