/*
 * ipcsweep_mk: makes one IPC object for the ipcsweep tests and prints its
 * id (POSIX: its name) on stdout.
 *
 * usage: ipcsweep_mk [-u UID] [-o UID] [-k KEY] [-p MODE] [-n COMM] [-a]
 *            [-H FILE] [-r] KIND [ARG]
 *   KIND shm SIZE | sem NSEMS | msg | pgsem [OFF,...] | pgsem-nomark |
 *        posix NAME
 *        | attach SHMID (attach an existing segment; use with -H)
 *        | pgshm SIZE (a segment that starts with PostgreSQL's header:
 *          magic, our PID, SIZE, no DSM; mode 0600 unless -p)
 *        | recv MSQID (receive a message from an existing queue; with -H
 *          a live receiver)
 *        | map NAME (map an existing /dev/shm file; use with -H)
 *   -u UID   create as this uid (the creator), via setresuid
 *   -o UID   then give it to this owner (IPC_SET / fchown)
 *   -k KEY   the key (default IPC_PRIVATE)
 *   -a       attach (shm) or map (posix) it and keep it mapped
 *   -n COMM  set the process name first (PR_SET_NAME), e.g. "postgres"
 *   -H FILE  hold: stay alive after writing the id to FILE (a live creator)
 *   -r       after creating, IPC_RMID it (shm: stays as "dest" if attached)
 *   -l N     sem: the one semop goes to semaphore N (default 0)
 * pgsem is PostgreSQL's <= 9.6 layout: 17 semaphores, 536 set into the last
 * and raised by one with semop (so its sempid is us), one semop on #0;
 * with OFF,... one set at each key -k + OFF (ids one a line).
 */
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include <err.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int attach, rmid, last;
static char ids[4096];
static size_t idslen;

/* Ids go out (stdout, then the hold file) only once all are made. */
static void
say_id(int id)
{
	if (idslen < sizeof(ids) - 16)
		idslen += snprintf(ids + idslen, sizeof(ids) - idslen, "%d\n",
		    id);
}
static long owner = -1;
static key_t key = IPC_PRIVATE;
static int mode = 0600;

static void
give(int kind, int id)
{
	struct shmid_ds sh;
	struct semid_ds se;
	struct msqid_ds mq;

	if (owner < 0)
		return;
	if (kind == 'm' && (shmctl(id, IPC_STAT, &sh) < 0 ||
	    (sh.shm_perm.uid = owner, shmctl(id, IPC_SET, &sh) < 0)))
		err(1, "shm IPC_SET");
	if (kind == 's' && (semctl(id, 0, IPC_STAT, &se) < 0 ||
	    (se.sem_perm.uid = owner, semctl(id, 0, IPC_SET, &se) < 0)))
		err(1, "sem IPC_SET");
	if (kind == 'q' && (msgctl(id, IPC_STAT, &mq) < 0 ||
	    (mq.msg_perm.uid = owner, msgctl(id, IPC_SET, &mq) < 0)))
		err(1, "msg IPC_SET");
}

static int
mk_sem(int nsems, int mark)
{
	struct sembuf op = { 0, 1, 0 };
	int id;

	op.sem_num = last;
	if ((id = semget(key, nsems, IPC_CREAT | IPC_EXCL | mode)) < 0)
		err(1, "semget");
	if (mark) {
		if (semctl(id, nsems - 1, SETVAL, 536) < 0)
			err(1, "SETVAL");
		op.sem_num = nsems - 1;
		if (semop(id, &op, 1) < 0)
			err(1, "semop");
		op.sem_num = last;
	}
	if (semop(id, &op, 1) < 0)
		err(1, "semop");
	return id;
}

static int
mk_pgshm(size_t size)
{
	uint32_t head[2] = { 0x2885750eu, (uint32_t)getpid() };
	uint64_t total = size;
	char *p;
	int id;

	if ((id = shmget(key, size, IPC_CREAT | IPC_EXCL | mode)) < 0)
		err(1, "shmget");
	if ((p = shmat(id, NULL, 0)) == (void *)-1)
		err(1, "shmat");
	memcpy(p, head, sizeof(head));
	memcpy(p + 8, &total, sizeof(total));
	if (!attach)
		shmdt(p);
	return id;
}

static int
mk(const char *kind, const char *arg)
{
	struct { long type; char text[8]; } m = { 1, "hello" };
	int id;

	if (strcmp(kind, "shm") == 0) {
		id = shmget(key, arg ? atol(arg) : 4096,
		    IPC_CREAT | IPC_EXCL | mode);
		if (id < 0)
			err(1, "shmget");
		if (attach && shmat(id, NULL, 0) == (void *)-1)
			err(1, "shmat");
		return id;
	}
	if (strcmp(kind, "pgshm") == 0)
		return mk_pgshm(arg ? atol(arg) : 56);
	if (strcmp(kind, "attach") == 0) {
		if (shmat(id = atoi(arg), NULL, SHM_RDONLY) == (void *)-1)
			err(1, "shmat");
		return id;
	}
	if (strcmp(kind, "recv") == 0) {
		if (msgrcv(id = atoi(arg), &m, sizeof(m.text), 0, 0) < 0)
			err(1, "msgrcv");
		return id;
	}
	if (strcmp(kind, "sem") == 0)
		return mk_sem(arg ? atoi(arg) : 1, 0);
	if (strcmp(kind, "pgsem") == 0 && arg) {
		key_t base = key;
		char *p = (char *)arg;

		for (;;) {
			key = base + (key_t)strtol(p, &p, 10);
			id = mk_sem(17, 1);
			if (*p != ',')
				return id;
			say_id(id);
			p++;
		}
	}
	if (strcmp(kind, "pgsem") == 0)
		return mk_sem(17, 1);
	if (strcmp(kind, "pgsem-nomark") == 0)
		return mk_sem(17, 0);
	if (strcmp(kind, "msg") == 0) {
		if ((id = msgget(key, IPC_CREAT | IPC_EXCL | mode)) < 0)
			err(1, "msgget");
		if (msgsnd(id, &m, 6, 0) < 0)
			err(1, "msgsnd");
		return id;
	}
	errx(2, "unknown kind %s", kind);
}

static void
map_posix(const char *name)
{
	char path[300];
	int fd;

	snprintf(path, sizeof(path), "/dev/shm/%s", name);
	if ((fd = open(path, O_RDONLY)) < 0)
		err(1, "%s", path);
	if (mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
		err(1, "mmap");
	close(fd);
	idslen = snprintf(ids, sizeof(ids), "%s\n", name);
}

static void
mk_posix(const char *name)
{
	char path[300];
	int fd;

	snprintf(path, sizeof(path), "/dev/shm/%s", name);
	if ((fd = open(path, O_RDWR | O_CREAT | O_EXCL, mode)) < 0)
		err(1, "%s", path);
	if (ftruncate(fd, 8192) < 0)
		err(1, "ftruncate");
	if (owner >= 0 && fchown(fd, owner, -1) < 0)
		err(1, "fchown");
	if (attach && mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0) ==
	    MAP_FAILED)
		err(1, "mmap");
	close(fd);
	idslen = snprintf(ids, sizeof(ids), "%s\n", name);
}

int
main(int argc, char *argv[])
{
	const char *hold = NULL;
	long uid = -1;
	int c, id = -1;
	FILE *f = NULL;

	while ((c = getopt(argc, argv, "u:o:k:p:n:aH:rl:")) != -1) {
		switch (c) {
		case 'u': uid = atol(optarg); break;
		case 'o': owner = atol(optarg); break;
		case 'k': key = (key_t)strtoul(optarg, NULL, 0); break;
		case 'p': mode = (int)strtol(optarg, NULL, 8); break;
		case 'n': prctl(PR_SET_NAME, optarg); break;
		case 'a': attach = 1; break;
		case 'H': hold = optarg; break;
		case 'r': rmid = 1; break;
		case 'l': last = atoi(optarg); break;
		default: return 2;
		}
	}
	if (optind >= argc)
		errx(2, "usage: ipcsweep_mk [options] KIND [ARG]");
	if (hold && (f = fopen(hold, "w")) == NULL)
		err(1, "%s", hold);
	if (uid >= 0 && setresuid(uid, uid, uid) < 0)
		err(1, "setresuid");
	if (strcmp(argv[optind], "map") == 0 && argv[optind + 1]) {
		attach = 1;
		map_posix(argv[optind + 1]);
	} else if (strcmp(argv[optind], "posix") == 0) {
		mk_posix(argv[optind + 1]);
	} else {
		id = mk(argv[optind], argv[optind + 1]);
		if (strcmp(argv[optind], "attach") != 0 &&
		    strcmp(argv[optind], "recv") != 0)
			give(!strcmp(argv[optind], "shm") ||
			    !strcmp(argv[optind], "pgshm") ? 'm' :
			    argv[optind][0] == 'm' ? 'q' : 's', id);
		if (rmid && shmctl(id, IPC_RMID, NULL) < 0)
			err(1, "IPC_RMID");
		say_id(id);
	}
	fputs(ids, stdout);
	fflush(stdout);
	if (hold == NULL)
		return 0;
	fputs(ids, f);
	fclose(f);
	for (;;)
		pause();
}
