/*
 * pxkill_fan: the bench scenario, a parent with N sleeping children.
 * Writes its PID to FILE once every child exists, then waits; SIGTERM to
 * the parent takes the children along (they die with it: PDEATHSIG).
 * Usage: pxkill_fan FILE N
 */
#include <sys/prctl.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	int n, i;
	FILE *f;

	if (argc != 3)
		return 2;
	n = atoi(argv[2]);
	for (i = 0; i < n; i++)
		if (fork() == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(0);
			for (;;)
				pause();
		}
	if ((f = fopen(argv[1], "w")) == NULL)
		return 3;
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
	for (;;)
		pause();
}
