/*
 * pxkill_tree: a victim tree for the pxkill tests. A parent that never
 * reaps, with KIDS children that each have GRAND grandchildren, plus
 * ZOMBIES children that exit at once (so they stay zombies). Every live
 * member pauses. When all are ready it writes "role pid" lines (parent,
 * child, grand, zombie) to FILE.tmp and renames it to FILE. With "reap"
 * the parent reaps its children (so zombies appear only while it is
 * stopped). Usage: pxkill_tree FILE KIDS GRAND ZOMBIES [reap]
 */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct msg {
	char	 role;
	int	 pid;
};

static void
tell(int fd, char role)
{
	struct msg m = { role, getpid() };

	if (write(fd, &m, sizeof(m)) != sizeof(m))
		_exit(1);
}

static void
child(int fd, int grand)
{
	int i;

	for (i = 0; i < grand; i++)
		if (fork() == 0) {
			tell(fd, 'g');
			for (;;)
				pause();
		}
	tell(fd, 'c');
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	static const char *names[] = { ['c'] = "child", ['g'] = "grand",
		['z'] = "zombie" };
	int kids, grand, zombies, fd[2], i, total;
	char tmp[4096];
	struct msg m;
	FILE *f;

	if (argc < 5 || pipe(fd) < 0)
		return 2;
	kids = atoi(argv[2]), grand = atoi(argv[3]), zombies = atoi(argv[4]);
	for (i = 0; i < kids; i++)
		if (fork() == 0)
			child(fd[1], grand);
	for (i = 0; i < zombies; i++)
		if (fork() == 0) {
			tell(fd[1], 'z');
			_exit(0);
		}
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	if ((f = fopen(tmp, "w")) == NULL)
		return 3;
	fprintf(f, "parent %d\n", (int)getpid());
	total = kids + kids * grand + zombies;
	for (i = 0; i < total && read(fd[0], &m, sizeof(m)) == sizeof(m); i++)
		fprintf(f, "%s %d\n", names[(int)m.role], m.pid);
	fclose(f);
	/* Give the zombies time to be zombies before saying "ready". */
	usleep(50000);
	rename(tmp, argv[1]);
	for (;;)
		if (argc < 6 || wait(NULL) < 0)
			pause();
}
