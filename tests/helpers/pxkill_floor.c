/*
 * pxkill_floor: the physical floor of selection by parent: read
 * /proc/N/stat of every process (open, read, close) and print the PIDs
 * whose parent is PPID. Usage: pxkill_floor PPID
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char path[300], buf[1024], *p;
	struct dirent *d;
	long want, ppid;
	DIR *dir;
	ssize_t n;
	int fd;

	if (argc != 2 || (dir = opendir("/proc")) == NULL)
		return 2;
	want = atol(argv[1]);
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		if ((fd = open(path, O_RDONLY)) < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		if ((p = strrchr(buf, ')')) == NULL)
			continue;
		ppid = strtol(p + 4, NULL, 10);
		if (ppid == want)
			printf("%s\n", d->d_name);
	}
	closedir(dir);
	return 0;
}
