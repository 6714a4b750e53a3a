/*
 * ipc.c: SysV IPC objects from /proc/sysvipc (or the *ctl calls where that
 * is missing) and POSIX shared memory in /dev/shm; removal by id after a
 * re-check.
 */
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

union semun_ {				/* semctl(2): the caller defines it */
	int		 val;
	struct semid_ds	*buf;
	unsigned short	*array;
	struct seminfo	*__buf;
};

enum field {
	F_NONE, F_KEY, F_ID, F_PERMS, F_SIZE, F_CPID, F_LPID, F_NATTCH,
	F_UID, F_GID, F_CUID, F_CGID, F_ATIME, F_DTIME, F_CTIME, F_COUNT
};

/* proc(5): /proc/sysvipc/{shm,sem,msg}; ids and times per kind. */
static const struct {
	const char	*name;
	unsigned char	 f;
} fields[] = {
	{ "key", F_KEY }, { "shmid", F_ID }, { "semid", F_ID },
	{ "msqid", F_ID }, { "perms", F_PERMS }, { "size", F_SIZE },
	{ "cbytes", F_SIZE }, { "cpid", F_CPID }, { "lspid", F_CPID },
	{ "lpid", F_LPID }, { "lrpid", F_LPID }, { "nattch", F_NATTCH },
	{ "uid", F_UID }, { "gid", F_GID }, { "cuid", F_CUID },
	{ "cgid", F_CGID }, { "atime", F_ATIME }, { "otime", F_ATIME },
	{ "stime", F_ATIME }, { "dtime", F_DTIME }, { "rtime", F_DTIME },
	{ "ctime", F_CTIME }, { "nsems", F_COUNT }, { "qnum", F_COUNT },
};

static const char *const kindfile[] = {
	"/proc/sysvipc/shm", "/proc/sysvipc/sem", "/proc/sysvipc/msg"
};

const char *
ipc_kind_name(enum ipc_kind k)
{
	static const char *const names[] = { "shm", "sem", "msg", "posix" };

	return (unsigned)k < 4 ? names[k] : "?";
}

static int
isblank_(int c)
{
	return c == ' ' || c == '\t';
}

/* Next whitespace-separated token of [*p, end); 0 when none is left. */
static int
token(const char **p, const char *end, const char **t, size_t *n)
{
	const char *s = *p;

	while (s < end && isblank_(*s))
		s++;
	if (s == end)
		return 0;
	*t = s;
	while (s < end && !isblank_(*s))
		s++;
	*n = s - *t;
	*p = s;
	return 1;
}

int
ipc_header_parse(enum ipc_kind kind, const char *line, size_t len,
    struct ipc_cols *c)
{
	const char *p = line, *end = line + len, *t;
	unsigned seen = 0, want;
	size_t n, i;

	if (kind > IPCK_MSG)
		return errno = EINVAL, -1;
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	while (c->n < IPC_NCOLS && token(&p, end, &t, &n)) {
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (strlen(fields[i].name) == n &&
			    memcmp(fields[i].name, t, n) == 0)
				break;
		if (i < sizeof(fields) / sizeof(fields[0]) &&
		    !(seen & 1u << fields[i].f)) {
			c->f[c->n] = fields[i].f;
			seen |= 1u << fields[i].f;
		}
		c->n++;
	}
	want = 1u << F_KEY | 1u << F_ID | 1u << F_PERMS | 1u << F_UID |
	    1u << F_CUID;
	if ((seen & want) != want)
		return errno = EINVAL, -1;
	return 0;
}

static int
tok_num(const char *t, size_t n, unsigned base, int sign, uint64_t *v)
{
	uint64_t x = 0, lim = UINT64_MAX;
	int neg = 0;
	size_t i = 0;

	if (sign && n > 0 && t[0] == '-') {
		neg = 1;
		i = 1;
		lim = (uint64_t)INT64_MAX + 1;
	}
	if (i == n)
		return -1;
	for (; i < n; i++) {
		if (t[i] < '0' || t[i] >= '0' + (int)base)
			return -1;
		if (x > (lim - (t[i] - '0')) / base)
			return -1;
		x = x * base + (t[i] - '0');
	}
	*v = neg ? 0 - x : x;
	return 0;
}

static void
set_field(struct ipc_obj *o, unsigned f, uint64_t v)
{
	switch (f) {
	case F_KEY:	o->key = (uint32_t)v; break;
	case F_ID:	o->id = (int)v; break;
	case F_PERMS:	o->mode = (unsigned)v; break;
	case F_SIZE:	o->size = v; break;
	case F_CPID:	o->cpid = (pid_t)v; break;
	case F_LPID:	o->lpid = (pid_t)v; break;
	case F_NATTCH:	o->nattch = v; break;
	case F_UID:	o->uid = (uid_t)v; break;
	case F_GID:	o->gid = (gid_t)v; break;
	case F_CUID:	o->cuid = (uid_t)v; break;
	case F_CGID:	o->cgid = (gid_t)v; break;
	case F_ATIME:	o->atime = (int64_t)v; break;
	case F_DTIME:	o->dtime = (int64_t)v; break;
	case F_CTIME:	o->ctime = (int64_t)v; break;
	case F_COUNT:	o->count = v; break;
	}
}

/* Range of each field; the key is a signed 32-bit key_t printed %d. */
static int
field_ok(unsigned f, uint64_t v)
{
	switch (f) {
	case F_KEY:
		return (int64_t)v >= INT32_MIN &&
		    (int64_t)v <= (int64_t)UINT32_MAX;
	case F_ID: case F_CPID: case F_LPID:
		return v <= INT32_MAX;
	case F_PERMS:
		return v <= 07777;
	case F_UID: case F_GID: case F_CUID: case F_CGID:
		return v <= UINT32_MAX;
	case F_ATIME: case F_DTIME: case F_CTIME:
		return v <= INT64_MAX;
	}
	return 1;
}

int
ipc_row_parse(const struct ipc_cols *c, const char *line, size_t len,
    struct ipc_obj *o)
{
	const char *p = line, *end = line + len, *t;
	unsigned f, seen = 0;
	uint64_t v;
	size_t n;
	int i;

	memset(o, 0, offsetof(struct ipc_obj, name));
	o->name[0] = '\0';
	o->kind = c->kind;
	for (i = 0; i < c->n && token(&p, end, &t, &n); i++) {
		if ((f = c->f[i]) == F_NONE)
			continue;
		if (tok_num(t, n, f == F_PERMS ? 8 : 10, f == F_KEY, &v) < 0 ||
		    !field_ok(f, v))
			return errno = EINVAL, -1;
		set_field(o, f, v);
		seen |= 1u << f;
	}
	for (i = 0; i < c->n; i++)
		if (c->f[i] != F_NONE && !(seen & 1u << c->f[i]))
			return errno = EINVAL, -1;
	return 0;
}

/*
 * One chunk-sized buffer for every file: /proc/sysvipc/shm is ~170 bytes
 * a row, 1.7 MB for 10,000 segments; it is never read whole. 8 KiB reads
 * cost no more time than 32 KiB ones, and 24 KiB less memory.
 */
static char rdbuf[8192];

static int
feed_lines(struct ipc_cols *c, int *hdr, char *buf, size_t len,
    int (*cb)(const struct ipc_obj *, void *), void *arg, size_t *used)
{
	struct ipc_obj o;
	char *p = buf, *nl;

	while ((nl = memchr(p, '\n', buf + len - p)) != NULL) {
		if (!*hdr) {
			if (ipc_header_parse(c->kind, p, nl - p, c) < 0)
				return -1;
			*hdr = 1;
		} else if (ipc_row_parse(c, p, nl - p, &o) == 0 &&
		    cb(&o, arg)) {
			*used = len;
			return 1;
		}
		p = nl + 1;
	}
	*used = p - buf;
	return 0;
}

static int
stream(int fd, enum ipc_kind kind,
    int (*cb)(const struct ipc_obj *, void *), void *arg)
{
	struct ipc_cols c = { .kind = kind };
	size_t len = 0, used;
	int hdr = 0, r;
	ssize_t n;

	for (;;) {
		n = read(fd, rdbuf + len, sizeof(rdbuf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		len += n;
		if ((r = feed_lines(&c, &hdr, rdbuf, len, cb, arg, &used)) != 0)
			return r < 0 ? -1 : 0;
		if (used == 0 && len == sizeof(rdbuf))
			used = len;	/* an absurd line: drop it */
		memmove(rdbuf, rdbuf + used, len - used);
		len -= used;
	}
	if (!hdr)
		return errno = EINVAL, -1;
	return 0;
}

int
ipc_foreach_proc(enum ipc_kind kind,
    int (*cb)(const struct ipc_obj *, void *), void *arg)
{
	int fd, r, e;

	if (kind > IPCK_MSG)
		return errno = EINVAL, -1;
	if ((fd = open(kindfile[kind], O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	r = stream(fd, kind, cb, arg);
	e = errno;
	close(fd);
	errno = e;
	return r;
}

int
ipc_foreach(enum ipc_kind kind, int (*cb)(const struct ipc_obj *, void *),
    void *arg, int *via)
{
	int v = 0, r;

	if (kind > IPCK_MSG)
		return errno = EINVAL, -1;
	if (ipc_stat_any(kind)) {
		v = IPC_VIA_STAT_ANY;
		r = ipc_foreach_ctl(kind, cb, arg, 1);
	} else if ((r = ipc_foreach_proc(kind, cb, arg)) == 0 ||
	    errno != ENOENT) {
		v = IPC_VIA_PROC;
	} else {
		v = IPC_VIA_STAT;
		r = ipc_foreach_ctl(kind, cb, arg, 0);
	}
	if (via)
		*via = v;
	return r;
}

static void
from_perm(struct ipc_obj *o, const struct ipc_perm *p)
{
	o->key = (uint32_t)p->__key;
	o->mode = p->mode & 07777;
	o->uid = p->uid;
	o->gid = p->gid;
	o->cuid = p->cuid;
	o->cgid = p->cgid;
}

/* One *ctl call; cmd is IPC_STAT (by id) or *_STAT[_ANY] (by index). */
static int
ctl_stat(enum ipc_kind kind, int idx, int cmd, struct ipc_obj *o)
{
	struct shmid_ds shm;
	struct semid_ds sem;
	struct msqid_ds msq;
	int id;

	memset(o, 0, offsetof(struct ipc_obj, name));
	o->name[0] = '\0';
	o->kind = kind;
	switch (kind) {
	case IPCK_SHM:
		if ((id = shmctl(idx, cmd, &shm)) < 0)
			return -1;
		from_perm(o, &shm.shm_perm);
		o->size = shm.shm_segsz;
		o->cpid = shm.shm_cpid;
		o->lpid = shm.shm_lpid;
		o->nattch = shm.shm_nattch;
		o->atime = shm.shm_atime;
		o->dtime = shm.shm_dtime;
		o->ctime = shm.shm_ctime;
		break;
	case IPCK_SEM:
		id = semctl(idx, 0, cmd, (union semun_){ .buf = &sem });
		if (id < 0)
			return -1;
		from_perm(o, &sem.sem_perm);
		o->count = sem.sem_nsems;
		o->atime = sem.sem_otime;
		o->ctime = sem.sem_ctime;
		break;
	case IPCK_MSG:
		if ((id = msgctl(idx, cmd, &msq)) < 0)
			return -1;
		from_perm(o, &msq.msg_perm);
		o->size = msq.msg_cbytes;
		o->count = msq.msg_qnum;
		o->cpid = msq.msg_lspid;
		o->lpid = msq.msg_lrpid;
		o->atime = msq.msg_stime;
		o->dtime = msq.msg_rtime;
		o->ctime = msq.msg_ctime;
		break;
	default:
		return errno = EINVAL, -1;
	}
	o->id = cmd == IPC_STAT ? idx : id;
	return 0;
}

static const int statcmd[3][2] = {	/* *_STAT_ANY (4.17+), *_STAT */
	{ SHM_STAT_ANY, SHM_STAT },
	{ SEM_STAT_ANY, SEM_STAT },
	{ MSG_STAT_ANY, MSG_STAT },
};

/*
 * The highest index in use, which IPC_INFO returns (0 when none is).
 * SHM_INFO would too, but it sums every segment's rss on the way.
 */
static int
max_index(enum ipc_kind kind)
{
	struct shminfo si;
	struct seminfo se;
	struct msginfo mi;

	switch (kind) {
	case IPCK_SHM:
		return shmctl(0, IPC_INFO, (struct shmid_ds *)(void *)&si);
	case IPCK_SEM:
		return semctl(0, 0, IPC_INFO, (union semun_){ .__buf = &se });
	case IPCK_MSG:
		return msgctl(0, IPC_INFO, (struct msqid_ds *)(void *)&mi);
	default:
		return errno = EINVAL, -1;
	}
}

/*
 * 1 if *_STAT_ANY works: probed on the highest index in use, which
 * *_INFO reports; EINVAL there means an older kernel, or no object at
 * all, or a race: then /proc/sysvipc is read, which is never wrong.
 */
int
ipc_stat_any(enum ipc_kind kind)
{
	static signed char known[3] = { -1, -1, -1 };
	struct ipc_obj o;
	int max;

	if (kind > IPCK_MSG)
		return 0;
	if (known[kind] >= 0)
		return known[kind];
	/* No object, no answer (the kernel says 0 when none is in use). */
	if ((max = max_index(kind)) < 0)
		return 0;
	if (ctl_stat(kind, max, statcmd[kind][0], &o) == 0)
		return known[kind] = 1;
	/* EINVAL where *_STAT finds the index in use: before 4.17. */
	if (errno == EINVAL && (ctl_stat(kind, max, statcmd[kind][1], &o) == 0
	    || errno == EACCES)) {
		fallback_note(FB_STATANY, EINVAL);
		known[kind] = 0;
	}
	return 0;
}

int
ipc_foreach_ctl(enum ipc_kind kind, int (*cb)(const struct ipc_obj *, void *),
    void *arg, int any)
{
	struct ipc_obj o;
	int max, i;

	if ((max = max_index(kind)) < 0)
		return -1;
	for (i = 0; i <= max; i++) {
		/* An unused index is EINVAL; so is *_STAT_ANY before 4.17. */
		if (ctl_stat(kind, i, statcmd[kind][!any], &o) < 0 &&
		    (!any || errno != EINVAL ||
		    ctl_stat(kind, i, statcmd[kind][1], &o) < 0))
			continue;
		if (cb(&o, arg))
			return 0;
	}
	return 0;
}

struct byid {
	int		 id, found;
	struct ipc_obj	*o;
};

static int
byid_cb(const struct ipc_obj *x, void *arg)
{
	struct byid *b = arg;

	if (x->id != b->id)
		return 0;
	*b->o = *x;
	return b->found = 1;
}

int
ipc_stat(enum ipc_kind kind, int id, struct ipc_obj *o)
{
	struct byid b;

	if (kind > IPCK_MSG || id < 0)
		return errno = EINVAL, -1;
	if (ctl_stat(kind, id, IPC_STAT, o) == 0)
		return 0;
	if (errno != EACCES)
		return -1;
	/*
	 * No read permission: *_STAT_ANY by index (ipcid_to_idx is the low
	 * 15 bits) and accept only the same id back; before 4.17 (EINVAL
	 * for an index in use) the object's row in /proc/sysvipc.
	 */
	if (ctl_stat(kind, id & 0x7fff, statcmd[kind][0], o) == 0)
		return o->id == id ? 0 : (errno = EACCES, -1);
	if (errno == EINVAL) {
		fallback_note(FB_STATANY, EINVAL);
		b.id = id;
		b.found = 0;
		b.o = o;
		if (ipc_foreach_proc(kind, byid_cb, &b) == 0 && b.found)
			return 0;
	}
	return errno = EACCES, -1;
}

static void
from_stat(struct ipc_obj *o, const struct stat *st)
{
	o->kind = IPCK_POSIX;
	o->id = -1;
	o->mode = st->st_mode & 07777;
	o->uid = o->cuid = st->st_uid;
	o->gid = o->cgid = st->st_gid;
	o->size = st->st_size;
	o->atime = st->st_atime;
	o->dtime = st->st_mtime;
	o->ctime = st->st_ctime;
	o->dev = st->st_dev;
	o->ino = st->st_ino;
}

int
ipc_posix_stat(const char *dir, const char *name, struct ipc_obj *o)
{
	struct stat st;
	size_t n = strlen(name);
	int dfd, r, e;

	if (n == 0 || n >= IPC_NAME_MAX || strchr(name, '/'))
		return errno = EINVAL, -1;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	r = fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW);
	e = errno;
	close(dfd);
	if (r < 0)
		return errno = e, -1;
	if (!S_ISREG(st.st_mode))
		return errno = EINVAL, -1;
	memset(o, 0, sizeof(*o));
	from_stat(o, &st);
	memcpy(o->name, name, n + 1);
	return 0;
}

int
ipc_posix_foreach(const char *dir, int (*cb)(const struct ipc_obj *, void *),
    void *arg)
{
	struct ipc_obj o;
	struct dirent *d;
	struct stat st;
	size_t n;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		return -1;
	while ((d = readdir(dp)) != NULL) {
		n = strlen(d->d_name);
		if (n >= IPC_NAME_MAX || d->d_name[0] == '.' ||
		    (d->d_type != DT_REG && d->d_type != DT_UNKNOWN))
			continue;
		/* A file gone since readdir is skipped: races are no error. */
		if (fstatat(dirfd(dp), d->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		memset(&o, 0, sizeof(o));
		from_stat(&o, &st);
		memcpy(o.name, d->d_name, n + 1);
		if (cb(&o, arg))
			break;
	}
	closedir(dp);
	return 0;
}

/* The field that differs between the listed and the current object. */
static const char *
changed(const struct ipc_obj *a, const struct ipc_obj *b)
{
	if (a->kind == IPCK_POSIX && (a->dev != b->dev || a->ino != b->ino))
		return "inode";
	if (a->key != b->key)
		return "key";
	if (a->uid != b->uid)
		return "owner";
	if (a->ctime != b->ctime)
		return "ctime";
	if (a->kind == IPCK_SHM && a->nattch != b->nattch)
		return "nattch";
	return NULL;
}

static int
rmid(enum ipc_kind kind, int id)
{
	switch (kind) {
	case IPCK_SHM:
		return shmctl(id, IPC_RMID, NULL);
	case IPCK_SEM:
		return semctl(id, 0, IPC_RMID);
	case IPCK_MSG:
		return msgctl(id, IPC_RMID, NULL);
	default:
		return errno = EINVAL, -1;
	}
}

static int
posix_remove(const char *dir, const struct ipc_obj *o, const char **why)
{
	struct ipc_obj now;
	int dfd, r, e;

	if (ipc_posix_stat(dir, o->name, &now) < 0)
		return -1;
	if ((*why = changed(o, &now)) != NULL)
		return 1;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	r = unlinkat(dfd, o->name, 0);
	e = errno;
	close(dfd);
	return r < 0 ? (errno = e, -1) : 0;
}

int
ipc_remove(const char *posixdir, const struct ipc_obj *o, const char **why)
{
	struct ipc_obj now;

	*why = NULL;
	if (o->kind == IPCK_POSIX)
		return posix_remove(posixdir, o, why);
	if (ipc_stat(o->kind, o->id, &now) < 0)
		return -1;
	if ((*why = changed(o, &now)) != NULL)
		return 1;
	return rmid(o->kind, o->id);
}

int
ipc_sem_pids(int semid, int first, int n, pid_t *pids)
{
	int i, r;

	for (i = 0; i < n; i++) {
		if ((r = semctl(semid, first + i, GETPID)) < 0)
			return -1;
		pids[i] = r;
	}
	return 0;
}

int
ipc_shm_peek(int shmid, void *buf, size_t len)
{
	struct shmid_ds ds;
	void *p;

	if (shmctl(shmid, IPC_STAT, &ds) < 0)
		return -1;
	if (ds.shm_segsz < len)
		return errno = ERANGE, -1;
	if ((p = shmat(shmid, NULL, SHM_RDONLY)) == (void *)-1)
		return -1;
	memcpy(buf, p, len);
	shmdt(p);
	return 0;
}

int
ipc_pid_alive(pid_t pid)
{
	if (pid <= 0)
		return 0;
	return kill(pid, 0) == 0 || errno == EPERM;
}

int
ipc_pg_dsm(int shmid, uint64_t dev, uint64_t ino, uint32_t *handles,
    size_t max)
{
	struct pg_shmhdr h;
	unsigned char hdr[56];
	struct ipc_obj o;
	char path[48], *buf;
	size_t len;
	int n;

	if (max < 1 || ipc_stat(IPCK_SHM, shmid, &o) < 0)
		return -1;
	if (o.size < 48 || ipc_shm_peek(shmid, hdr, o.size < 56 ? 48 : 56) < 0)
		return -1;
	n = pg_shmhdr_parse(hdr, o.size < 56 ? 48 : 56, dev, ino, &h);
	if (n < 0 || (n == 0 && (dev || ino)))
		return errno = EINVAL, -1;
	if (!h.has_dsm || h.dsm_control == 0)
		return 0;
	handles[0] = h.dsm_control;
	snprintf(path, sizeof(path), "/dev/shm/PostgreSQL.%u",
	    (unsigned)h.dsm_control);
	if ((buf = proc_read_all(AT_FDCWD, path, &len)) == NULL)
		return errno == ENOENT ? 1 : -1;
	n = pg_dsm_control_parse(buf, len, handles + 1, max - 1);
	free(buf);
	return n < 0 ? 1 : n + 1;
}

static int
att_row(const struct maps_entry *m, void *arg)
{
	struct ipc_att *a = arg;
	struct ipc_att_ent e = { -1, 0, a->pid };
	static const char shm[] = "/dev/shm/";

	if (m->sysv)
		e.id = (int)m->ino;
	else if (m->pathlen > sizeof(shm) - 1 &&
	    memcmp(m->path, shm, sizeof(shm) - 1) == 0 &&
	    m->major == major(a->dev) && m->minor == minor(a->dev))
		e.ino = m->ino;
	else
		return 0;
	if (a->n > 0 && a->v[a->n - 1].pid == e.pid &&
	    a->v[a->n - 1].id == e.id && a->v[a->n - 1].ino == e.ino)
		return 0;	/* the same object mapped twice in a row */
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	a->v[a->n++] = e;
	return 0;
}

static int
att_proc(pid_t pid, void *arg)
{
	struct ipc_att *a = arg;
	int dir;

	/* Gone, or another user's (unprivileged): skipped. */
	if ((dir = proc_open(pid)) < 0)
		return 0;
	a->pid = pid;
	maps_foreach(dir, att_row, a);
	close(dir);
	return 0;
}

int
ipc_att_scan(struct ipc_att *a, const char *posixdir)
{
	struct stat st;

	a->n = 0;
	a->dev = stat(posixdir, &st) == 0 ? st.st_dev : 0;
	return proc_foreach(att_proc, a);
}

size_t
ipc_att_find(const struct ipc_att *a, const struct ipc_obj *o, pid_t *pids,
    size_t max)
{
	size_t i, n = 0;
	pid_t last = 0;

	if (o->kind == IPCK_SEM || o->kind == IPCK_MSG)
		return 0;
	for (i = 0; i < a->n; i++) {
		if (o->kind == IPCK_SHM ? a->v[i].id != o->id :
		    a->v[i].id != -1 || a->v[i].ino != o->ino ||
		    o->dev != a->dev)
			continue;
		if (n > 0 && last == a->v[i].pid)
			continue;
		last = a->v[i].pid;
		if (pids && n < max)
			pids[n] = last;
		n++;
	}
	return n;
}

#define PG_DSM_MAX	4096

static void
pg_add_dsm(struct ipc_pg *p, uint32_t h)
{
	size_t i;

	for (i = 0; i < p->ndsm; i++)
		if (p->dsm[i] == h)
			return;
	if (p->ndsm < PG_DSM_MAX)
		p->dsm[p->ndsm++] = h;
}

static const char *
pg_keep(enum pg_verdict v)
{
	switch (v) {
	case PG_STOPPED: case PG_STALE: case PG_REUSED:
		return NULL;
	case PG_RUNNING:
		return "it is running";
	case PG_ZOMBIE:
		return "its postmaster is defunct and not yet reaped";
	case PG_ORPHANED:
		return "processes of it remain";
	default:
		return "whether it runs cannot be told";
	}
}

/* Attaches (read-only) only a segment nobody maps, of a dead instance. */
static void
pg_shim(struct ipc_pg *p)
{
	struct pg_inst *in = &p->in;
	uint32_t *h;
	int n, i;

	if (!in->shm.exists || in->shm.uid != in->owner ||
	    (in->pf.has_shm && in->shm.key != in->pf.shmkey)) {
		in->shm.known = 0;
		return;
	}
	if (in->shm.hdr_ok) {
		in->shm.known = in->shm.ours;
		return;
	}
	in->shm.known = 0;
	if (p->keep || in->shm.nattch > 0)
		return;
	h = xmalloc(PG_DSM_MAX * sizeof(*h));
	n = ipc_pg_dsm(in->shm.id, in->dev, in->ino, h, PG_DSM_MAX);
	if (n >= 0) {
		in->shm.known = 1;
		for (i = 0; i < n; i++)
			pg_add_dsm(p, h[i]);
	}
	free(h);
}

int
ipc_pg_load(struct ipc_pg *p, const char *datadir, const char **why)
{
	static char buf[96];
	struct pg_inst *in = &p->in;
	size_t j;
	int major, n, e;

	memset(p, 0, sizeof(*p));
	if (pg_inspect_ipc(in, datadir, NULL) < 0)
		return *why = strerror(errno), -1;
	if (in->ino == 0)
		return *why = in->reason, errno = ENOENT, -1;
	if ((major = pgsem_major(in->datadir)) < 0) {
		e = errno;
		n = snprintf(buf, sizeof(buf), "not a PostgreSQL data "
		    "directory (PG_VERSION: ");
		snprintf(buf + n, sizeof(buf) - n, "%s)", strerror(e));
		if (buf[n] >= 'A' && buf[n] <= 'Z')
			buf[n] += 'a' - 'A';	/* messages are lowercase */
		return *why = buf, errno = e, -1;
	}
	/* Semaphore keys: data directory inode from 13, port * 1000 before. */
	if (major >= 13 || (!in->pf_err && in->pf.has_port)) {
		p->seed = pgsem_seed(major, in->pf.port, in->ino);
		p->has_seed = 1;
	}
	p->keep = pg_keep(in->verdict);
	p->dsm = xmalloc(PG_DSM_MAX * sizeof(*p->dsm));
	for (j = 0; j < in->ndsm; j++)
		if (in->dsm[j].proven)
			pg_add_dsm(p, in->dsm[j].handle);
	pg_shim(p);
	return 0;
}

int
ipc_pg_owns(const struct ipc_pg *p, const struct ipc_obj *o, pid_t pgcreator)
{
	uint64_t h;
	size_t i;

	if (o->uid != p->in.owner)
		return 0;
	switch (o->kind) {
	case IPCK_SHM:
		return p->in.shm.known && o->id == p->in.shm.id;
	case IPCK_SEM:
		return pgcreator > 0 && pgcreator == p->in.pid && p->has_seed &&
		    pgsem_key_match(o->key, p->seed);
	case IPCK_POSIX:
		if (strncmp(o->name, "PostgreSQL.", 11) != 0 ||
		    num_u64(o->name + 11, &h) < 0)
			return 0;
		for (i = 0; i < p->ndsm; i++)
			if (p->dsm[i] == h)
				return 1;
		return 0;
	default:
		return 0;
	}
}
