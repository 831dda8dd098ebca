/* runstat.c - run a command once and print its wall time and peak memory.
 *
 *   runstat COMMAND [ARG...]
 *
 * The command's standard input and output are /dev/null; its standard
 * error is left alone.  When it ends, runstat prints one line on its own
 * standard output:
 *
 *   SECONDS MAXRSS_KB STATUS
 *
 * SECONDS is the wall time (monotonic clock), MAXRSS_KB the child's peak
 * resident set size from wait4(), STATUS its exit status, or 128+N when it
 * was killed by signal N.  runstat exits 0 if it could run the command.
 */
#define _DEFAULT_SOURCE 1
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: runstat COMMAND [ARG...]\n", stderr);
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
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("runstat: wait4");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    int code = WIFEXITED(status) ? WEXITSTATUS(status)
             : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
    printf("%.6f %ld %d\n", secs, (long)ru.ru_maxrss, code);
    return 0;
}
