/*
 * pxkill_respawn: a parent that keeps N children alive, forking a new one
 * the moment one dies; each child lives 1-20 ms, so the set changes all
 * the time. Writes its PID to FILE when started.
 * With "churn": the children live until killed, and every millisecond
 * the parent kills its oldest and forks a new one, so a child forked
 * after a scan outlives the parent unless a later scan finds it; every
 * child's PID goes to FILE.kids, so a test can kill an escaped one by PID.
 * Usage: pxkill_respawn FILE N [churn]
 */
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pid_t kids[1024];
static FILE *kidlog;

static pid_t
spawn(int i, int churn)
{
	struct timespec ts = { 0, (1 + i % 20) * 1000000L };
	pid_t p;

	if ((p = fork()) == 0) {
		if (churn)
			for (;;)
				pause();
		nanosleep(&ts, NULL);
		_exit(0);
	}
	/* Never go on with -1: kill(-1) would reach every process. */
	if (p < 0)
		_exit(3);
	if (kidlog) {
		fprintf(kidlog, "%d\n", (int)p);
		fflush(kidlog);
	}
	return p;
}

int
main(int argc, char **argv)
{
	struct timespec ms = { 0, 1000000L };
	int n, i, churn = argc == 4 && !strcmp(argv[3], "churn");
	char log[4096];
	FILE *f;

	if (argc < 3 || (n = atoi(argv[2])) < 1 || n > 1024)
		return 2;
	snprintf(log, sizeof(log), "%s.kids", argv[1]);
	if (churn && (kidlog = fopen(log, "w")) == NULL)
		return 3;
	for (i = 0; i < n; i++)
		kids[i] = spawn(i, churn);
	if ((f = fopen(argv[1], "w")) == NULL)
		return 3;
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
	for (i = 0; churn; i = (i + 1) % n) {
		nanosleep(&ms, NULL);
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
		kids[i] = spawn(i, 1);
	}
	for (i = 0;; i++)
		if (wait(NULL) > 0)
			spawn(i, 0);
}
