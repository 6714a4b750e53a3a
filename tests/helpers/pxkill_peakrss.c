/*
 * pxkill_peakrss: peak RSS of a command, as the baselines measure it:
 * the command runs under ptrace, is held at its exit, and VmHWM is read
 * from /proc/PID/status then. Prints "peak_rss_kib N" on stderr.
 * Usage: pxkill_peakrss CMD ARGS...
 */
#include <sys/ptrace.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long
hwm(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmHWM:", 6))
			kib = atol(line + 6);
	fclose(f);
	return kib;
}

int
main(int argc, char **argv)
{
	long peak = -1;
	pid_t p;
	int st;

	if (argc < 2)
		return 2;
	if ((p = fork()) == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	waitpid(p, &st, 0);
	ptrace(PTRACE_SETOPTIONS, p, NULL, PTRACE_O_TRACEEXIT |
	    PTRACE_O_EXITKILL);
	ptrace(PTRACE_CONT, p, NULL, NULL);
	while (waitpid(p, &st, 0) == p && !WIFEXITED(st) && !WIFSIGNALED(st)) {
		if (st >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8)))
			peak = hwm(p);
		ptrace(PTRACE_CONT, p, NULL, WIFSTOPPED(st) &&
		    WSTOPSIG(st) != SIGTRAP ? WSTOPSIG(st) : 0);
	}
	fprintf(stderr, "peak_rss_kib %ld\n", peak);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}
