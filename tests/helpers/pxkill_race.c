/*
 * pxkill_race: forced PID reuse between pxkill's selection and its pin.
 * Starts a victim, then runs `PXKILL ARGS... VICTIM` under ptrace. At the
 * first pidfd_open (or, without one, the first open of /proc/VICTIM)
 * pxkill has finished its scan: the victim is killed and reaped, and a
 * new process is made to get the same PID (ns_last_pid, else by cycling
 * through PIDs). pxkill must not signal the newcomer. Prints
 * "race: reused PID N, newcomer alive|dead" on stderr, kills the
 * newcomer and exits with pxkill's status (or 99 when the PID could not
 * be reused). Usage: pxkill_race PXKILL ARGS...
 */
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

static pid_t
sleeper(void)
{
	pid_t p = fork();

	if (p == 0) {
		for (;;)
			pause();
	}
	return p;
}

/* One short-lived child; the one that gets PID want becomes sleep(1). */
static pid_t
one(pid_t want)
{
	pid_t p = vfork();

	if (p == 0) {
		if (syscall(SYS_getpid) == want)
			execl("/bin/sleep", "sleep", "600", (char *)NULL);
		_exit(0);
	}
	return p;
}

/*
 * A new process with PID want, or -1. Other work on the machine forks
 * too and may take the PID after ns_last_pid is set: set it again before
 * every try. Without ns_last_pid (not root), cycle through the PIDs.
 */
static pid_t
reuse(pid_t want)
{
	char buf[32];
	pid_t p;
	int fd, n, i, set = 1;

	for (i = 0; i < 200000; i++) {
		if (set && (fd = open("/proc/sys/kernel/ns_last_pid",
		    O_WRONLY)) >= 0) {
			n = snprintf(buf, sizeof(buf), "%d", (int)want - 1);
			if (write(fd, buf, n) != n)
				set = 0;
			close(fd);
		} else
			set = 0;
		p = one(want);
		if (p == want)
			return p;
		waitpid(p, NULL, 0);
	}
	return -1;
}

/* Field 22 of /proc/PID/stat (start time in ticks), or 0. */
static unsigned long long
start_of(pid_t pid)
{
	struct proc_stat st;
	int dir, r;

	if ((dir = proc_open(pid)) < 0)
		return 0;
	r = proc_stat_read(dir, &st);
	close(dir);
	return r == 0 ? st.starttime : 0;
}

static int
is_pin_call(pid_t t, pid_t victim)
{
	struct user_regs_struct r;
	char path[32], want[32];
	long w;
	int i;

	if (ptrace(PTRACE_GETREGS, t, NULL, &r) < 0)
		return 0;
	if (r.orig_rax == SYS_pidfd_open)
		return (pid_t)r.rdi == victim;
	/* Without pidfd the pin is open("/proc/VICTIM"). */
	if (r.orig_rax == SYS_open)
		r.rsi = r.rdi;
	else if (r.orig_rax != SYS_openat)
		return 0;
	snprintf(want, sizeof(want), "/proc/%d", (int)victim);
	for (i = 0; i < (int)sizeof(path); i += sizeof(long)) {
		w = ptrace(PTRACE_PEEKDATA, t, r.rsi + i, NULL);
		memcpy(path + i, &w, sizeof(long));
	}
	path[sizeof(path) - 1] = '\0';
	return !strcmp(path, want);
}

int
main(int argc, char **argv)
{
	pid_t victim, t, fresh = -1;
	unsigned long long vstart = 0, fstart = 0;
	char **av, pid[16];
	int st, i, entry = 0;

	if (argc < 2)
		return 2;
	victim = sleeper();
	/*
	 * Identity is the start time, in clock ticks (10 ms at USER_HZ 100):
	 * a newcomer born in the victim's own tick would be it for any
	 * tool. A real reuse comes after the PIDs wrap, long after; here
	 * the race is forced within milliseconds, so let the ticks move.
	 */
	usleep(50000);
	snprintf(pid, sizeof(pid), "%d", (int)victim);
	av = calloc(argc + 1, sizeof(*av));
	for (i = 1; i < argc; i++)
		av[i - 1] = argv[i];
	av[argc - 1] = pid;
	if ((t = fork()) == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		execv(av[0], av);
		_exit(127);
	}
	waitpid(t, &st, 0);
	ptrace(PTRACE_SETOPTIONS, t, NULL, PTRACE_O_TRACESYSGOOD |
	    PTRACE_O_EXITKILL);
	for (;;) {
		ptrace(PTRACE_SYSCALL, t, NULL, NULL);
		if (waitpid(t, &st, 0) < 0 || WIFEXITED(st) || WIFSIGNALED(st))
			break;
		if (!WIFSTOPPED(st) || WSTOPSIG(st) != (SIGTRAP | 0x80))
			continue;
		entry = !entry;
		if (entry && fresh < 0 && is_pin_call(t, victim)) {
			vstart = start_of(victim);
			kill(victim, SIGKILL);
			waitpid(victim, NULL, 0);
			if ((fresh = reuse(victim)) < 0)
				break;
			fstart = start_of(fresh);
		}
	}
	/* Our child: alive means waitpid has nothing to collect. */
	fprintf(stderr, "race: reused PID %d, newcomer %s (start %llu, the "
	    "victim's %llu)\n", (int)fresh, fresh > 0 &&
	    waitpid(fresh, NULL, WNOHANG) == 0 ? "alive" : "dead", fstart,
	    vstart);
	if (fresh > 0) {
		kill(fresh, SIGKILL);
		waitpid(fresh, NULL, 0);
	}
	kill(victim, SIGKILL);
	if (fresh < 0) {
		kill(t, SIGKILL);
		return 99;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 98;
}
