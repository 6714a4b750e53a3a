/*
 * sigstorm PID N: sends PID N SIGRTMIN with sigqueue(), si_value 0..N-1
 * in order, as fast as it can (a storm of queued realtime signals). Exit
 * 0 when the kernel took all N, 1 otherwise (EAGAIN: the queue is full).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
	union sigval v;
	int i, n;
	pid_t pid;

	if (argc != 3 || (pid = atoi(argv[1])) <= 0 || (n = atoi(argv[2])) < 0)
		return 2;
	for (i = 0; i < n; i++) {
		v.sival_int = i;
		if (sigqueue(pid, SIGRTMIN, v) < 0) {
			fprintf(stderr, "sigstorm: sigqueue %d of %d: %s\n",
			    i + 1, n, strerror(errno));
			return 1;
		}
	}
	return 0;
}
