/*
 * pxkill_respawn: a parent that keeps N children alive, forking a new one
 * the moment one dies; each child lives 1-20 ms, so the set changes all
 * the time. Writes its PID to FILE when started.
 * Usage: pxkill_respawn FILE N
 */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void
spawn(int i)
{
	struct timespec ts = { 0, (1 + i % 20) * 1000000L };

	if (fork() == 0) {
		nanosleep(&ts, NULL);
		_exit(0);
	}
}

int
main(int argc, char **argv)
{
	int n, i;
	FILE *f;

	if (argc != 3)
		return 2;
	n = atoi(argv[2]);
	for (i = 0; i < n; i++)
		spawn(i);
	if ((f = fopen(argv[1], "w")) == NULL)
		return 3;
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
	for (i = 0;; i++)
		if (wait(NULL) > 0)
			spawn(i);
}
