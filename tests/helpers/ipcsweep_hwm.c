/*
 * ipcsweep_hwm CMD...: runs CMD and prints "peak_rss_kib N" on stderr,
 * VmHWM read at its exit (ptrace exit stop), for the bench until the
 * shared peakrss helper lands. ru_maxrss reads 0 for tiny static programs.
 */
#include <sys/ptrace.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long
hwm(pid_t pid)
{
	char path[64], buf[4096], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if ((p = strstr(buf, "\nVmHWM:")) == NULL)
		return -1;
	return strtol(p + 7, NULL, 10);
}

int
main(int argc, char *argv[])
{
	long peak = -1;
	pid_t pid;
	int st;

	if (argc < 2)
		errx(2, "usage: ipcsweep_hwm CMD...");
	if ((pid = fork()) == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)PTRACE_O_TRACEEXIT);
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	for (;;) {
		if (waitpid(pid, &st, 0) < 0)
			break;
		if (WIFEXITED(st) || WIFSIGNALED(st))
			break;
		if (st >> 8 == (SIGTRAP | PTRACE_EVENT_EXIT << 8))
			peak = hwm(pid);
		ptrace(PTRACE_CONT, pid, NULL,
		    (void *)(long)(WIFSTOPPED(st) && WSTOPSIG(st) != SIGTRAP ?
		    WSTOPSIG(st) : 0));
	}
	fprintf(stderr, "peak_rss_kib %ld\n", peak);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
