/*
 * pxkill_vfork: a process stuck in D. A vfork parent waits for its child
 * to exec or exit in wait_for_vfork_done (TASK_KILLABLE, shown as D);
 * this child does neither, it sleeps with raw syscalls (all a vfork child
 * may do). The killable wait ends on any fatal signal, so the parent
 * handles SIGTERM: a TERM then stays pending while only SIGKILL ends it.
 * Writes "parent P" and "child C" to FILE. Usage: pxkill_vfork FILE
 */
#include <sys/syscall.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
handler(int sig)
{
	(void)sig;
}

int
main(int argc, char **argv)
{
	static char line[64];
	static struct timespec ts = { 3600, 0 };
	int fd, n;

	signal(SIGTERM, handler);
	if (argc != 2 || (fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC,
	    0644)) < 0)
		return 2;
	n = snprintf(line, sizeof(line), "parent %d\n", (int)getpid());
	if (write(fd, line, n) != n)
		return 3;
	if (vfork() == 0) {
		/* Only raw syscalls here: we run on the parent's stack. */
		n = snprintf(line, sizeof(line), "child %ld\n",
		    syscall(SYS_getpid));
		syscall(SYS_write, fd, line, n);
		syscall(SYS_close, fd);
		for (;;)
			syscall(SYS_nanosleep, &ts, NULL);
	}
	return 0;
}
