/*
 * pgsem.c: PostgreSQL's SysV semaphore sets (src/backend/port/sysv_sema.c,
 * the same 9.0 to HEAD but for the key seed): 16 usable semaphores plus a
 * marker, PGSemaMagic 537 in the last, set by the creator with SETVAL 536
 * and one semop(+1), so GETPID of the marker is the creating postmaster.
 */
#include <sys/ipc.h>
#include <sys/sem.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

int
pgsem_check(int semid, int nsems, pid_t *creator)
{
	int v, pid;

	if (nsems != PGSEM_NSEMS)
		return 0;
	if ((v = semctl(semid, PGSEM_NSEMS - 1, GETVAL)) < 0)
		return -1;
	if (v != PGSEM_MAGIC)
		return 0;
	if ((pid = semctl(semid, PGSEM_NSEMS - 1, GETPID)) < 0)
		return -1;
	*creator = pid;
	return 1;
}

/*
 * Up to 12 the seed is port * 1000; from 13 (commit 7de19fbc0b) it is the
 * data directory's inode number, truncated to key_t.
 */
uint32_t
pgsem_seed(int major, unsigned port, uint64_t dir_ino)
{
	if (major >= 13)
		return (uint32_t)dir_ino;
	return (uint32_t)port * 1000u;
}

/*
 * The first set takes seed + 1 and each later one the next free key;
 * PostgreSQL gives up after 1000 tries (commit 21fddb3d76).
 */
int
pgsem_key_match(uint32_t key, uint32_t seed)
{
	return (uint32_t)(key - seed) >= 1 && (uint32_t)(key - seed) <= 1000;
}

int
pgsem_major(const char *datadir)
{
	char buf[32], *dot;
	uint64_t v;
	ssize_t n;
	int dir;

	if ((dir = open(datadir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	n = proc_read(dir, "PG_VERSION", buf, sizeof(buf));
	close(dir);
	if (n < 0)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	if ((dot = strchr(buf, '.')) != NULL)
		*dot = '\0';
	if (num_u64(buf, &v) < 0 || v < 6 || v > 999)
		return errno = EINVAL, -1;
	return (int)v;
}
