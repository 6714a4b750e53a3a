/*
 * floor_fd PID: the least any fd lister can do: getdents64 on
 * /proc/PID/fd and one readlinkat per fd, printing "fd target". The
 * bench's floor for fdls.
 */
#include <sys/syscall.h>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char path[64], buf[32768], link[4096];
	long n, off;
	ssize_t l;
	int dir;

	if (argc != 2)
		return 2;
	snprintf(path, sizeof(path), "/proc/%s/fd", argv[1]);
	if ((dir = open(path, O_RDONLY | O_DIRECTORY)) < 0)
		return 1;
	while ((n = syscall(SYS_getdents64, dir, buf, sizeof(buf))) > 0)
		for (off = 0; off < n; off += *(unsigned short *)(buf + off + 16)) {
			const char *name = buf + off + 19;

			if (name[0] == '.')
				continue;
			if ((l = readlinkat(dir, name, link, sizeof(link) - 1)) < 0)
				continue;
			link[l] = '\0';
			printf("%s %s\n", name, link);
		}
	return 0;
}
