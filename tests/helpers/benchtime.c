/*
 * benchtime [-n RUNS] [-w WARMUP] CMD...: runs CMD (stdout and stderr to
 * /dev/null) RUNS times after WARMUP runs and prints the median wall time
 * in milliseconds. No shell in between, so nothing else is measured.
 */
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
once(char **argv)
{
	struct timespec a, b;
	pid_t pid;
	int st, fd;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if ((pid = fork()) == 0) {
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		errx(1, "%s: cannot run", argv[0]);
	return (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
}

static int
cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

int
main(int argc, char **argv)
{
	int runs = 15, warm = 2, i, c;
	double *t;

	while ((c = getopt(argc, argv, "+n:w:")) != -1)
		if (c == 'n')
			runs = atoi(optarg);
		else if (c == 'w')
			warm = atoi(optarg);
		else
			return 2;
	if (optind >= argc || runs < 1)
		errx(2, "usage: benchtime [-n RUNS] [-w WARMUP] CMD...");
	for (i = 0; i < warm; i++)
		once(argv + optind);
	t = calloc(runs, sizeof(*t));
	for (i = 0; i < runs; i++)
		t[i] = once(argv + optind);
	qsort(t, runs, sizeof(*t), cmp);
	printf("%d.%03d\n", (int)t[runs / 2], (int)((t[runs / 2] -
	    (int)t[runs / 2]) * 1000));
	return 0;
}
