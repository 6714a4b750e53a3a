/*
 * peakrss CMD...: runs CMD and prints "peak_rss_kib N" on stderr: the
 * larger of VmHWM read when CMD exits (stopped there with ptrace) and
 * ru_maxrss. ru_maxrss alone reads 0 for tiny static programs, and GNU
 * time adds its own fork's pages. Exits with CMD's status.
 */
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

static long
vmhwm(pid_t pid)
{
	char path[64], buf[4096], *p;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (proc_read(-100, path, buf, sizeof(buf)) < 0 ||
	    (p = strstr(buf, "VmHWM:")) == NULL)
		return 0;
	return atol(p + 6);
}

int
main(int argc, char **argv)
{
	struct rusage ru;
	long hwm = 0;
	pid_t pid;
	int st;

	if (argc < 2)
		errx(2, "usage: peakrss CMD...");
	if ((pid = fork()) == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		execvp(argv[1], argv + 1);
		err(127, "%s", argv[1]);
	}
	waitpid(pid, &st, 0);
	ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)PTRACE_O_TRACEEXIT);
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	while (wait4(pid, &st, 0, &ru) == pid) {
		if (WIFEXITED(st) || WIFSIGNALED(st))
			break;
		if (st >> 8 == (SIGTRAP | PTRACE_EVENT_EXIT << 8))
			hwm = vmhwm(pid);
		ptrace(PTRACE_CONT, pid, NULL, (void *)(long)(WIFSTOPPED(st) &&
		    WSTOPSIG(st) != SIGTRAP && WSTOPSIG(st) != SIGSTOP ?
		    WSTOPSIG(st) : 0));
	}
	fprintf(stderr, "peak_rss_kib %ld\n", hwm > ru.ru_maxrss ? hwm :
	    ru.ru_maxrss);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
