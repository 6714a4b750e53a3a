/*
 * floor_proc [PPID]: the floor of every process-table tool: one walk of
 * /proc and one read of every /proc/N/stat, nothing else. With PPID it
 * prints the PIDs whose parent that is (pxkill -P's floor), else the
 * number of processes read (pgpidinfo's floor).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

struct floor {
	long	 want, n;
};

static int
one(pid_t pid, void *arg)
{
	struct floor *f = arg;
	char path[32], buf[1024], *p;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return 0;
	buf[r] = '\0';
	f->n++;
	if (f->want && (p = strrchr(buf, ')')) != NULL &&
	    strtol(p + 4, NULL, 10) == f->want)
		printf("%d\n", (int)pid);
	return 0;
}

int
main(int argc, char **argv)
{
	struct floor f = { argc > 1 ? atol(argv[1]) : 0, 0 };

	if (proc_foreach(one, &f) < 0)
		return 1;
	if (!f.want)
		printf("%ld\n", f.n);
	return 0;
}
