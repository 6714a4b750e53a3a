/*
 * floor_fd [-t] PID: the least any fd lister can do: getdents64 on
 * /proc/PID/fd and one readlinkat per fd, printing "fd target". The
 * bench's floor for fdls. With -t, also what a TYPE column costs the
 * kernel at the least: one statx (type only, no sync) per fd whose
 * target is a path, as a path says nothing of REG, DIR, CHR or FIFO.
 */
#include <sys/syscall.h>

#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/stat.h>

int
main(int argc, char **argv)
{
	char path[64], buf[32768], link[4096];
	long n, off;
	struct statx st;
	ssize_t l;
	int dir, type = argc == 3 && !strcmp(argv[1], "-t");

	if (argc != 2 + type)
		return 2;
	snprintf(path, sizeof(path), "/proc/%s/fd", argv[1 + type]);
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
			if (type && link[0] == '/' && syscall(SYS_statx, dir,
			    name, AT_STATX_DONT_SYNC, STATX_TYPE, &st) == 0)
				printf("%s %o %s\n", name, st.stx_mode >> 12, link);
			else
				printf("%s %s\n", name, link);
		}
	return 0;
}
