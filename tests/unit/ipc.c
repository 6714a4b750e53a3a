/* Unit tests of lib/ipc.c and lib/pgsem.c: fixtures, then live objects. */
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib.h"
#include "t.h"

static const char *fixdir = "tests/fixtures/ipcsweep";

struct got {
	struct ipc_obj	 v[64];
	int		 n;
	int		 want;		/* id to look for, -1: none */
	int		 found;
};

static int
find(const struct ipc_obj *o, void *arg)
{
	struct got *g = arg;

	if (o->id == g->want || (g->want == -1 && o->kind == IPCK_POSIX)) {
		g->v[0] = *o;
		g->found++;
	}
	return 0;
}

/* Parses a whole capture: header line, then rows into g. */
static int
parse_text(enum ipc_kind kind, const char *text, struct got *g)
{
	struct ipc_cols c;
	const char *p = text, *nl;
	int bad = 0;

	g->n = 0;
	nl = strchr(p, '\n');
	if (nl == NULL || ipc_header_parse(kind, p, nl - p, &c) < 0)
		return -1;
	for (p = nl + 1; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		if (g->n < 64 && ipc_row_parse(&c, p, nl - p, &g->v[g->n]) == 0)
			g->n++;
		else
			bad++;
	}
	return bad;
}

static char *
slurp(const char *name)
{
	static char buf[65536];
	char path[256];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", fixdir, name);
	if ((fd = open(path, O_RDONLY)) < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

static void
t_captures(void)
{
	static struct got g;
	char *s;

	T_BEGIN("real /proc/sysvipc/shm capture");
	CHECK((s = slurp("shm.live")) != NULL);
	CHECK(s && parse_text(IPCK_SHM, s, &g) == 0 && g.n == 1);
	CHECK(g.v[0].kind == IPCK_SHM && g.v[0].id == 10);
	CHECK(g.v[0].key == 930670526u && g.v[0].mode == 0640);
	CHECK(g.v[0].size == 4096 && g.v[0].cpid == 7111);
	CHECK(g.v[0].nattch == 0 && g.v[0].ctime == 1795215874);
	T_END();

	T_BEGIN("real /proc/sysvipc/sem capture");
	CHECK((s = slurp("sem.live")) != NULL);
	CHECK(s && parse_text(IPCK_SEM, s, &g) == 0 && g.n == 1);
	CHECK(g.v[0].id == 0 && g.v[0].count == 3 && g.v[0].mode == 0644);
	CHECK(g.v[0].key == 761107156u);
	T_END();

	T_BEGIN("real /proc/sysvipc/msg capture");
	CHECK((s = slurp("msg.live")) != NULL);
	CHECK(s && parse_text(IPCK_MSG, s, &g) == 0 && g.n == 1);
	CHECK(g.v[0].id == 0 && g.v[0].count == 0 && g.v[0].size == 0);
	CHECK(g.v[0].key == 1089573765u && g.v[0].ctime == 1795215874);
	T_END();

	T_BEGIN("capture with a PostgreSQL shim, a dest segment, negative key");
	CHECK((s = slurp("shm.pg")) != NULL);
	CHECK(s && parse_text(IPCK_SHM, s, &g) == 0 && g.n == 3);
	CHECK(g.v[0].size == 56 && g.v[0].key == 10987545u);
	CHECK(g.v[1].mode == 01600 && g.v[1].key == 0 && g.v[1].nattch == 2);
	CHECK(g.v[2].key == 0xfffffffeu && g.v[2].uid == 4294967294u);
	T_END();
}

static void
t_edges(void)
{
	static struct got g;

	T_BEGIN("extra and moved columns");
	CHECK(parse_text(IPCK_SHM,
	    "  shmid   key perms size cpid lpid nattch uid gid cuid cgid "
	    "atime dtime ctime rss swap future\n"
	    "  7  -1  600  56  10  11  0  26  27  28  29  1  2  3  4  5  99\n",
	    &g) == 0 && g.n == 1);
	CHECK(g.v[0].id == 7 && g.v[0].key == 0xffffffffu);
	CHECK(g.v[0].uid == 26 && g.v[0].cuid == 28 && g.v[0].cgid == 29);
	CHECK(g.v[0].atime == 1 && g.v[0].dtime == 2 && g.v[0].ctime == 3);
	T_END();

	T_BEGIN("old shm header without rss/swap (3.10)");
	CHECK(parse_text(IPCK_SHM,
	    "key shmid perms size cpid lpid nattch uid gid cuid cgid atime "
	    "dtime ctime\n5432001 32768 600 56 100 100 1 26 26 26 26 9 9 9\n",
	    &g) == 0 && g.n == 1 && g.v[0].id == 32768);
	T_END();

	T_BEGIN("rows that are short, junk or out of range are refused");
	CHECK(parse_text(IPCK_SEM,
	    "key semid perms nsems uid gid cuid cgid otime ctime\n"
	    "1 2 600 17 0 0 0 0 0\n"		/* short */
	    "1 2 6x0 17 0 0 0 0 0 0\n"		/* junk */
	    "1 2 900 17 0 0 0 0 0 0\n"		/* octal 9 */
	    "4294967296 2 600 17 0 0 0 0 0 0\n"	/* key > 32 bits */
	    "1 -2 600 17 0 0 0 0 0 0\n"		/* negative id */
	    "1 2 600 17 0 0 0 0 0 99999999999999999999\n"
	    "1 2 600 17 0 0 0 0 0 0 extra\n",	/* ok: extra token */
	    &g) == 6 && g.n == 1);
	T_END();

	T_BEGIN("headers without the needed columns are refused");
	{
		struct ipc_cols c;
		const char *h = "key perms nsems uid gid cuid cgid";

		CHECK(ipc_header_parse(IPCK_SEM, h, strlen(h), &c) < 0);
		CHECK(ipc_header_parse(IPCK_SEM, "", 0, &c) < 0);
		CHECK(ipc_header_parse(IPCK_POSIX, "key", 3, &c) < 0);
	}
	T_END();

	T_BEGIN("PostgreSQL semaphore key scheme");
	CHECK(pgsem_seed(9, 5432, 77) == 5432000u);
	CHECK(pgsem_seed(15, 5432, 10987545) == 10987545u);
	CHECK(pgsem_key_match(5432001u, 5432000u));
	CHECK(pgsem_key_match(5433000u, 5432000u));
	CHECK(!pgsem_key_match(5432000u, 5432000u));
	CHECK(!pgsem_key_match(5433001u, 5432000u));
	CHECK(pgsem_key_match(3u, 0xffffffffu));	/* wraps like key_t */
	T_END();
}

static int
live_find(enum ipc_kind k, int id, int ctl, struct ipc_obj *o)
{
	static struct got g;

	g.n = 0;
	g.want = id;
	g.found = 0;
	if (ctl ? ipc_foreach_ctl(k, find, &g, ctl == 1) :
	    ipc_foreach_proc(k, find, &g))
		return -1;
	if (g.found == 1)
		*o = g.v[0];
	return g.found;
}

static int
same(const struct ipc_obj *a, const struct ipc_obj *b)
{
	return a->id == b->id && a->key == b->key && a->mode == b->mode &&
	    a->uid == b->uid && a->cuid == b->cuid && a->size == b->size &&
	    a->count == b->count && a->nattch == b->nattch &&
	    a->cpid == b->cpid && a->ctime == b->ctime;
}

static void
t_live_kind(enum ipc_kind k, int id, const char *name)
{
	struct ipc_obj a, b, c;
	const char *why;

	T_BEGIN(name);
	CHECK(live_find(k, id, 0, &a) == 1);
	CHECK(live_find(k, id, 1, &b) == 1);
	CHECK(same(&a, &b));
	CHECK(live_find(k, id, 2, &b) == 1);
	CHECK(same(&a, &b));
	CHECK(ipc_stat_any(k) == 1);	/* this kernel is >= 4.17 */
	CHECK(ipc_stat(k, id, &c) == 0 && same(&a, &c));
	c = a;
	c.ctime--;
	CHECK(ipc_remove(NULL, &c, &why) == 1 && why && !strcmp(why, "ctime"));
	c = a;
	c.key++;
	CHECK(ipc_remove(NULL, &c, &why) == 1 && why && !strcmp(why, "key"));
	c = a;
	c.uid++;
	CHECK(ipc_remove(NULL, &c, &why) == 1 && why && !strcmp(why, "owner"));
	CHECK(ipc_stat(k, id, &c) == 0);
	CHECK(ipc_remove(NULL, &a, &why) == 0);
	CHECK(ipc_stat(k, id, &c) < 0);
	CHECK(ipc_remove(NULL, &a, &why) < 0);
	T_END();
}

static void
t_live(void)
{
	struct ipc_obj o;
	const char *why;
	int shm, sem, msg;
	void *p;

	shm = shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
	sem = semget(IPC_PRIVATE, 17, IPC_CREAT | 0600);
	msg = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	T_BEGIN("live objects created");
	CHECK(shm >= 0 && sem >= 0 && msg >= 0);
	T_END();
	if (shm < 0 || sem < 0 || msg < 0)
		return;

	T_BEGIN("nattch change is caught before removal");
	CHECK(ipc_stat(IPCK_SHM, shm, &o) == 0 && o.nattch == 0);
	p = shmat(shm, NULL, 0);
	CHECK(p != (void *)-1);
	memcpy(p, "\016u\205(", 4);
	CHECK(ipc_remove(NULL, &o, &why) == 1 && why && !strcmp(why, "nattch"));
	shmdt(p);
	T_END();

	T_BEGIN("shm peek reads the first bytes");
	{
		char b[4];

		CHECK(ipc_shm_peek(shm, b, 4) == 0 &&
		    !memcmp(b, "\016u\205(", 4));
		CHECK(ipc_shm_peek(shm, b, 0) == 0);
	}
	T_END();

	T_BEGIN("PostgreSQL semaphore marker");
	{
		pid_t cr = 0, pids[17];
		struct sembuf op = { 16, 1, 0 };

		CHECK(pgsem_check(sem, 17, &cr) == 0);
		CHECK(semctl(sem, 16, SETVAL, 536) == 0 &&
		    semop(sem, &op, 1) == 0);
		CHECK(pgsem_check(sem, 17, &cr) == 1 && cr == getpid());
		CHECK(pgsem_check(sem, 16, &cr) == 0);
		CHECK(ipc_sem_pids(sem, 0, 17, pids) == 0 &&
		    pids[16] == getpid() && pids[0] == 0);
		CHECK(ipc_sem_pids(sem, 16, 1, pids) == 0 &&
		    pids[0] == getpid());
		CHECK(ipc_sem_pids(sem, 16, 2, pids) < 0 && errno == EINVAL);
	}
	T_END();

	t_live_kind(IPCK_SHM, shm, "live shm: three sources agree, removal");
	t_live_kind(IPCK_SEM, sem, "live sem: three sources agree, removal");
	t_live_kind(IPCK_MSG, msg, "live msg: three sources agree, removal");
	/* Already gone unless a check failed half-way. */
	shmctl(shm, IPC_RMID, NULL);
	semctl(sem, 0, IPC_RMID);
	msgctl(msg, IPC_RMID, NULL);
}

static void
t_posix(void)
{
	char dir[] = "/tmp/undead-ipc.XXXXXX", path[300];
	static struct got g;
	struct ipc_obj o;
	const char *why;
	int fd;

	T_BEGIN("POSIX listing, re-check and unlink");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/PostgreSQL.123", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0 && write(fd, "abc", 3) == 3);
	close(fd);
	snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0700);
	g.want = -1;
	g.found = 0;
	CHECK(ipc_posix_foreach(dir, find, &g) == 0 && g.found == 1);
	o = g.v[0];
	CHECK(!strcmp(o.name, "PostgreSQL.123") && o.size == 3 && o.id == -1);
	o.ino++;
	CHECK(ipc_remove(dir, &o, &why) == 1 && !strcmp(why, "inode"));
	o.ino--;
	CHECK(ipc_remove(dir, &o, &why) == 0);
	CHECK(ipc_posix_stat(dir, o.name, &o) < 0 && errno == ENOENT);
	CHECK(ipc_posix_stat(dir, "../x", &o) < 0 && errno == EINVAL);
	rmdir(path);
	rmdir(dir);
	T_END();
}

static void
t_pg_owns(void)
{
	static struct ipc_pg p;
	static uint32_t dsm[2] = { 1234, 5678 };
	struct ipc_obj o;

	T_BEGIN("--pg ownership: shim, semaphore sets, DSM files");
	p.in.owner = 26;
	p.in.pid = 4242;
	p.in.shm.known = 1;
	p.in.shm.id = 65541;
	p.seed = 5432000;
	p.has_seed = 1;
	p.dsm = dsm;
	p.ndsm = 2;
	memset(&o, 0, sizeof(o));
	o.uid = 26;
	o.kind = IPCK_SHM;
	o.id = 65541;
	CHECK(ipc_pg_owns(&p, &o, 0) == 1);
	o.uid = 27;
	CHECK(ipc_pg_owns(&p, &o, 0) == 0);	/* another owner */
	o.uid = 26;
	o.id = 65542;
	CHECK(ipc_pg_owns(&p, &o, 0) == 0);
	p.in.shm.known = 0;			/* header not this directory's */
	o.id = 65541;
	CHECK(ipc_pg_owns(&p, &o, 0) == 0);
	o.kind = IPCK_SEM;
	o.key = 5432001;
	CHECK(ipc_pg_owns(&p, &o, 4242) == 1);
	CHECK(ipc_pg_owns(&p, &o, 4243) == 0);	/* another creator */
	CHECK(ipc_pg_owns(&p, &o, 0) == 0);	/* not a PostgreSQL set */
	o.key = 5433001;
	CHECK(ipc_pg_owns(&p, &o, 4242) == 0);	/* past 1000 tries */
	o.kind = IPCK_POSIX;
	strcpy(o.name, "PostgreSQL.5678");
	CHECK(ipc_pg_owns(&p, &o, 0) == 1);
	strcpy(o.name, "PostgreSQL.567");
	CHECK(ipc_pg_owns(&p, &o, 0) == 0);
	strcpy(o.name, "PostgreSQL.5678x");
	CHECK(ipc_pg_owns(&p, &o, 0) == 0);
	strcpy(o.name, "other.5678");
	CHECK(ipc_pg_owns(&p, &o, 0) == 0);
	T_END();
}

int
main(void)
{
	t_captures();
	t_edges();
	t_live();
	t_posix();
	t_pg_owns();
	T_EXIT();
}
