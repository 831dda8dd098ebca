/* runstat.c - run a command once and print its wall time and peak memory.
 *
 *   runstat [-t SECONDS] COMMAND [ARG...]
 *
 * The command's standard input and output are /dev/null; its standard
 * error is left alone.  When it ends, runstat prints one line on its own
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
    if (argc > 2 && strcmp(argv[1], "-t") == 0) {
        limit = (unsigned)strtoul(argv[2], NULL, 10);
        argv += 2;
        argc -= 2;
    }
    if (argc < 2) {
        fputs("usage: runstat [-t SECONDS] COMMAND [ARG...]\n", stderr);
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
        int null = open("/dev/null", O_RDWR);
        if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0) {
            perror("runstat: /dev/null");
            _exit(127);
        }
        close(null);
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
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("runstat: wait4");
            return 2;
        }
        kill(pid, SIGKILL);         /* out of time */
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    int code = WIFEXITED(status) ? WEXITSTATUS(status)
             : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
    printf("%.6f %ld %d\n", secs, (long)ru.ru_maxrss, code);
    return 0;
}
