/*
 * spawn.c - helper programs and watcher processes: the forks the other
 * layers need besides workers and cases (spawn.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/prctl.h>

#include "engine/run.h"
#include "isolate.h"
#include "spawn.h"

bool spawn_read(const char *const argv[], char *buf, size_t cap)
{
    int fd[2];
    if (cap == 0 || pipe2(fd, O_CLOEXEC) != 0)
        return false;
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return false;
    }
    if (pid == 0) {
        dup2(fd[1], 1);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 2);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fd[1]);
    size_t len = 0;
    ssize_t got;
    while (len + 1 < cap &&
           ((got = read(fd[0], buf + len, cap - 1 - len)) > 0 ||
            (got < 0 && errno == EINTR)))
        if (got > 0)
            len += (size_t)got;
    close(fd[0]);
    buf[len] = '\0';
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        continue;
    return WIFEXITED(status) && WEXITSTATUS(status) != 127;
}

/*
 * --no-fork: nothing in this process sees it end by _exit() or SIGKILL
 * inside a property, and such a run ends with no report (exit status 0
 * for _exit(0)).  A watcher process, forked before anything runs and
 * running no property code, waits for this one to end; if it ended in a
 * case, not as runs end, the watcher says so with the property and seed
 * to rerun with workers, which find and shrink such a case.  It holds one
 * end of a pipe, so it learns of the end however it came.
 */
void spawn_exit_watcher(void)
{
    run_exit_watch *w = mmap(NULL, sizeof *w, PROT_READ | PROT_WRITE,
                             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int fds[2];
    if (w == MAP_FAILED)
        return;
    if (pipe2(fds, O_CLOEXEC) != 0) {
        munmap(w, sizeof *w);
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        munmap(w, sizeof *w);
        return;
    }
    if (pid > 0) {
        close(fds[0]);
        run_watched = w; /* fds[1] stays open until this process ends */
        return;
    }
    /* The watcher: a terminal's Ctrl-C is for the run, not for it. */
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    close(fds[1]);
    char c;
    while (read(fds[0], &c, 1) < 0 && errno == EINTR)
        ;
    if (!w->done && w->in_case) {
        char line[600];
        int n = snprintf(line, sizeof line,
            "FAIL %s: the process ended during a case, where --no-fork "
            "cannot catch it (the property called _exit(), or the process "
            "was killed)\n  seed: 0x%016llx\n  to find and shrink the "
            "case: the same command without --no-fork, with --seed "
            "0x%016llx\n",
            w->property, (unsigned long long)w->seed,
            (unsigned long long)w->seed);
        if (n > 0)
            (void)!write(1, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    }
    _exit(0);
}

int spawn_child(int *fd)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    /* A case that stops its process (SIGSTOP) must not leave the parent
     * waiting on the child for ever: continue it, as workers are. */
    iso_continue_stopped();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        close(fds[0]);
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
            close(null);
        }
        *fd = fds[1];
        return 0;
    }
    close(fds[1]);
    *fd = fds[0];
    return (int)pid;
}

void spawn_stop(int pid, int fd)
{
    kill((pid_t)pid, SIGKILL);
    close(fd);
    while (waitpid((pid_t)pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

/* The shrinker forks its speculating child through these
 * (engine/role.h). */
__attribute__((constructor)) static void spawn_hooks(void)
{
    process_up.fork_child = spawn_child;
    process_up.stop_child = spawn_stop;
}
