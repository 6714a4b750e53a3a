/*
 * ipcsweep_fill: the benchmark's population. "ipcsweep_fill N DIR" makes N
 * SysV objects (a third each shm, sem, msg) over 5 owner uids (41001..),
 * each uid with one creator that exits (dead) and one that stays (live).
 * Ids go to DIR/ids ("m|s|q ID" lines), live PIDs to DIR/pids.
 * "ipcsweep_fill -r DIR" removes exactly the ids in DIR/ids.
 */
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
make(int n, int first, FILE *ids)
{
	struct { long type; char text[8]; } m = { 1, "x" };
	struct sembuf op = { 0, 1, 0 };
	int i, id;

	for (i = first; i < first + n; i++) {
		switch (i % 3) {
		case 0:
			id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
			if (id < 0)
				err(1, "shmget (kernel.shmmni?)");
			fprintf(ids, "m %d\n", id);
			break;
		case 1:
			id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
			if (id < 0 || semop(id, &op, 1) < 0)
				err(1, "semget");
			fprintf(ids, "s %d\n", id);
			break;
		default:
			if ((id = msgget(IPC_PRIVATE, IPC_CREAT | 0600)) < 0 ||
			    msgsnd(id, &m, 2, 0) < 0)
				err(1, "msgget");
			fprintf(ids, "q %d\n", id);
		}
	}
	fflush(ids);
}

static int
rm(const char *dir)
{
	char path[4096], k;
	int id, bad = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/ids", dir);
	if ((f = fopen(path, "r")) == NULL)
		err(1, "%s", path);
	while (fscanf(f, " %c %d", &k, &id) == 2) {
		if ((k == 'm' && shmctl(id, IPC_RMID, NULL) < 0) ||
		    (k == 's' && semctl(id, 0, IPC_RMID) < 0) ||
		    (k == 'q' && msgctl(id, IPC_RMID, NULL) < 0))
			bad++;
	}
	fclose(f);
	return bad ? 1 : 0;
}

int
main(int argc, char *argv[])
{
	char path[4096];
	FILE *ids, *pids;
	int n, u, live, per, ready[2];
	pid_t p;

	if (argc == 3 && strcmp(argv[1], "-r") == 0)
		return rm(argv[2]);
	if (argc != 3)
		errx(2, "usage: ipcsweep_fill N DIR | -r DIR");
	n = atoi(argv[1]);
	per = n / 10;
	snprintf(path, sizeof(path), "%s/ids", argv[2]);
	if ((ids = fopen(path, "w")) == NULL)
		err(1, "%s", path);
	snprintf(path, sizeof(path), "%s/pids", argv[2]);
	if ((pids = fopen(path, "w")) == NULL)
		err(1, "%s", path);
	for (u = 0; u < 5; u++)
		for (live = 0; live < 2; live++) {
			if (pipe(ready) < 0 || (p = fork()) < 0)
				err(1, "fork");
			if (p == 0) {
				close(ready[0]);
				if (setresuid(41001 + u, 41001 + u,
				    41001 + u) < 0)
					err(1, "setresuid");
				make(u == 4 && live ? n - 9 * per : per,
				    (u * 2 + live) * per, ids);
				close(ready[1]);
				if (!live)
					_exit(0);
				for (;;)
					pause();
			}
			close(ready[1]);
			read(ready[0], path, 1);	/* EOF when made */
			close(ready[0]);
			if (live)
				fprintf(pids, "%d\n", (int)p);
			else
				waitpid(p, NULL, 0);
		}
	fclose(pids);
	fclose(ids);
	return 0;
}
