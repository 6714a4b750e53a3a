/*
 * pgpidinfo_swarm N READYFILE: forks N children that sleep in pause(),
 * then writes "SWARM=<pid>" to READYFILE and waits. The children die with
 * the parent (PR_SET_PDEATHSIG), so one kill of the parent ends them all.
 */
#include <sys/prctl.h>

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	FILE *f;
	long i, n;
	pid_t me = getpid();

	if (argc != 3 || (n = atol(argv[1])) < 0)
		errx(2, "usage: pgpidinfo_swarm N READYFILE");
	for (i = 0; i < n; i++) {
		switch (fork()) {
		case -1:
			err(3, "fork after %ld children", i);
		case 0:
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != me)
				_exit(0);
			for (;;)
				pause();
		}
	}
	if ((f = fopen(argv[2], "w")) == NULL)
		err(3, "%s", argv[2]);
	fprintf(f, "SWARM=%d\n", (int)me);
	fclose(f);
	for (;;)
		pause();
}
