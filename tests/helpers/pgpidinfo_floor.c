/*
 * pgpidinfo_floor: the bench's floor for pgpidinfo: one getdents64 walk of
 * /proc and a read of every /proc/N/stat, nothing else.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "lib.h"

static int
one(pid_t pid, void *arg)
{
	char path[32], buf[1024];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		if (read(fd, buf, sizeof(buf)) > 0)
			++*(long *)arg;
		close(fd);
	}
	return 0;
}

int
main(void)
{
	long n = 0;

	proc_foreach(one, &n);
	printf("%ld\n", n);
	return 0;
}
