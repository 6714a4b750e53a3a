/*
 * pg.c: one PostgreSQL instance judged from its data directory (facts:
 * postgres.md §1-§4). Nothing here signals, attaches or removes: the
 * segment header is read through /proc/<attacher>/mem of a process that
 * already maps it, because shmat() would change shm_atime, shm_lpid and
 * nattch (the very numbers PostgreSQL's own in-use test looks at).
 */
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

#ifdef __GLIBC__
#define SHM_KEY(ds)	((ds).shm_perm.__key)
#else
#define SHM_KEY(ds)	((ds).shm_perm.__ipc_perm_key)
#endif

#ifndef O_PATH			/* glibc hides it without _GNU_SOURCE */
#define O_PATH		010000000
#endif
#define DSM_MAGIC	0x9a503d32u	/* PG_DYNSHMEM_CONTROL_MAGIC */
#define DSM_MAX		4096		/* handles kept from one control segment */
#define KEY_SPAN	16		/* keys tried after the inode key (13+) */

/* One process seen by the /proc walk. */
struct ent {
	pid_t		 pid, ppid;
	uid_t		 uid;
	char		 state;
	uint64_t	 start;
	unsigned	 f;
};
#define E_DIR	1u		/* cwd is the data directory */
#define E_ATT	2u		/* maps the segment */
#define E_DESC	4u		/* descends from the postmaster */
#define E_PM	8u
#define E_PGC	16u		/* comm is postgres (titles change argv only) */
#define E_LIVE	32u		/* in the tree of an unverified live one */
#define E_PGD	(E_DIR | E_PGC)	/* a postgres process working here */

struct scan;
/*
 * What only pg_inspect_ipc() does: read owner processes' maps for the
 * segment and DSM files, then the segment's header and the DSM list.
 * Reached only through this table, so pxkill links none of it.
 */
struct ipcpart {
	void		(*look)(struct scan *, int dir, struct ent *);
	void		(*header)(struct pg_inst *, struct scan *);
	void		(*after)(struct pg_inst *, struct scan *);
};

struct scan {
	struct pg_inst	*in;
	const struct ipcpart *ipc;	/* NULL: processes and verdict only */
	struct ent	*v;
	size_t		 n, cap;
	uint64_t	 hdr_addr;	/* where an attacher maps the segment */
	pid_t		 hdr_pid;
	uint32_t	*mapped;	/* DSM handles some owner process maps */
	size_t		 nmapped, mapcap;
	int32_t		 shmid;		/* -1: look for /SYSV<key> instead */
	uint32_t	 key;
	int		 bykey;		/* match /SYSV<key>, then learn the id */
	int		 procfd;	/* /proc */
};

static const char *const verdicts[] = {
	"running", "stopped", "stale", "reused", "zombie", "orphaned",
	"unknown"
};
static const char *const checks[] = {
	"pidfile", "alive", "state", "exe", "uid", "cwd", "start-time",
	"datadir", "segment", "header", "socket-lock"
};
static const char *const results[] = { "n/a", "pass", "fail", "unsure" };

const char *
pg_verdict_name(enum pg_verdict v)
{
	return (unsigned)v <= PG_UNKNOWN ? verdicts[v] : "unknown";
}

int
pg_verdict_exit(enum pg_verdict v)
{
	switch (v) {
	case PG_RUNNING:
		return 0;
	case PG_STOPPED:
	case PG_STALE:
		return 1;
	case PG_REUSED:
	case PG_ZOMBIE:
	case PG_ORPHANED:
		return 4;
	default:
		return 3;
	}
}

const char *
pg_check_name(enum pg_check_id c)
{
	return (unsigned)c < PG_CK_N ? checks[c] : "?";
}

const char *
pg_result_name(enum pg_result r)
{
	return (unsigned)r <= PG_UNSURE ? results[r] : "?";
}

/*
 * A check's result, with errno as it is now: the words for people are
 * pg_describe()'s (pgdesc.c), which pxkill and ipcsweep do not need.
 */
static void
ck(struct pg_inst *in, enum pg_check_id c, enum pg_result r)
{
	in->ck[c].result = r;
	in->ck[c].err = errno;
}

/* ---- pure parsers ---------------------------------------------------- */

static uint64_t
le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

static const struct hdr_layout {
	int	 layout, dev, ino, dsm;
	size_t	 size;
} hdr_layouts[] = {	/* device, inode, dsm_control offsets (LP64) */
	{ 94, 40, 48, 24, 56 },		/* 9.4-18 */
	{ 90, 32, 40, 0, 48 },		/* 9.0-9.3 */
	{ 19, 32, 40, 24, 48 }		/* 19devel (e2362eb2bd) */
};

static void
hdr_fill(const unsigned char *p, const struct hdr_layout *l,
    struct pg_shmhdr *h)
{
	h->layout = l->layout;
	h->device = le(p + l->dev, 8);
	h->inode = le(p + l->ino, 8);
	h->has_dsm = l->dsm != 0;
	h->dsm_control = l->dsm ? le(p + l->dsm, 4) : 0;
}

int
pg_shmhdr_parse(const void *buf, size_t len, uint64_t dev, uint64_t ino,
    struct pg_shmhdr *h)
{
	const unsigned char *p = buf;
	size_t i, first = 0;

	memset(h, 0, sizeof(*h));
	if (len < 48 || (uint32_t)le(p, 4) != PG_SHMHDR_MAGIC)
		return errno = EINVAL, -1;
	h->magic = le(p, 4);
	h->creator = le(p + 4, 4);
	h->totalsize = le(p + 8, 8);
	for (i = 0; i < sizeof(hdr_layouts) / sizeof(hdr_layouts[0]); i++) {
		if (len < hdr_layouts[i].size)
			continue;
		/*
		 * Offset 24 is a pointer (index) in 9.0-9.3, whose high half
		 * is never zero in a user address, but dsm_control plus zero
		 * padding in 19devel.
		 */
		if (hdr_layouts[i].layout == 90 && le(p + 24, 4) != 0 &&
		    le(p + 28, 4) == 0)
			continue;
		if (!first)
			first = i + 1;
		hdr_fill(p, &hdr_layouts[i], h);
		if (h->device == dev && h->inode == ino)
			return 1;
	}
	hdr_fill(p, &hdr_layouts[first - 1], h);
	return 0;
}

/*
 * dsm_control_header {uint32 magic, nitems, maxitems} padded to 16, then
 * maxitems items {uint32 handle, refcnt, ...}: 24 bytes in 9.4-13, 40 in
 * 14+ (first_page, npages). refcnt 0 is a free slot (dsm.c).
 */
int
pg_dsm_control_parse(const void *buf, size_t len, uint32_t *handles,
    size_t max)
{
	const unsigned char *p = buf;
	uint64_t nitems, maxitems, isz;
	size_t i, n = 0;

	if (len < 16 || le(p, 4) != DSM_MAGIC)
		return errno = EINVAL, -1;
	nitems = le(p + 4, 4);
	maxitems = le(p + 8, 4);
	if (maxitems == 0 || nitems > maxitems || (len - 16) % maxitems)
		return errno = EINVAL, -1;
	isz = (len - 16) / maxitems;
	if (isz != 24 && isz != 40)
		return errno = EINVAL, -1;
	for (i = 0; i < nitems && n < max; i++) {
		const unsigned char *it = p + 16 + i * isz;

		if (le(it + 4, 4) != 0)
			handles[n++] = le(it, 4);
	}
	return n;
}

/* ---- the data directory and the pid file ----------------------------- */

static int
unknown(struct pg_inst *in, const char *fmt, const char *a, int e)
{
	in->verdict = PG_UNKNOWN;
	snprintf(in->reason, sizeof(in->reason), fmt, a, strerror(e));
	return -1;
}

/* realpath(3) by the kernel: open the path, read /proc/self/fd/N. */
static int
resolve(const char *path, char *buf, size_t size)
{
	char link[32];
	ssize_t n;
	int fd, e;

	if ((fd = open(path, O_PATH | O_CLOEXEC)) < 0)
		return -1;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, size);
	e = errno;
	close(fd);
	if (n < 0 || (size_t)n >= size)
		return errno = n < 0 ? e : ENAMETOOLONG, -1;
	buf[n] = '\0';
	return 0;
}

static int
locate(struct pg_inst *in, const char *datadir, const char *pidfile)
{
	char *buf = in->datadir, *slash;
	size_t size = sizeof(in->datadir);
	struct stat st;

	if (pidfile) {
		if (resolve(pidfile, in->pidpath, sizeof(in->pidpath)) < 0)
			return unknown(in, "cannot resolve %s: %s", pidfile, errno);
		memcpy(buf, in->pidpath, size);
		slash = strrchr(buf, '/');
		*(slash == buf ? slash + 1 : slash) = '\0';
	} else {
		if (resolve(datadir, buf, size) < 0)
			return unknown(in, "cannot resolve %s: %s", datadir, errno);
		if ((size_t)snprintf(in->pidpath, sizeof(in->pidpath),
		    "%s/postmaster.pid", strcmp(buf, "/") ? buf : "") >=
		    sizeof(in->pidpath))
			return unknown(in, "%s: %s", datadir, ENAMETOOLONG);
	}
	if (stat(in->datadir, &st) < 0)
		return unknown(in, "cannot stat %s: %s", in->datadir, errno);
	if (!S_ISDIR(st.st_mode))
		return unknown(in, "%s: %s", in->datadir, ENOTDIR);
	in->dev = st.st_dev;
	in->ino = st.st_ino;
	in->owner = st.st_uid;
	return 0;
}

static void
read_pidfile(struct pg_inst *in)
{
	struct pidfile *pf = &in->pf;

	if (pidfile_read(AT_FDCWD, in->pidpath, pf) == 0) {
		in->pid = pf->pid < 0 ? -pf->pid : pf->pid;
		ck(in, PG_CK_PIDFILE, PG_PASS);
		return;
	}
	in->pf_err = errno;
	ck(in, PG_CK_PIDFILE, errno == ENOENT ? PG_NA : errno == EINVAL ||
	    errno == ENODATA || errno == EISDIR ? PG_FAIL : PG_UNSURE);
}

/* ---- the process the pid file names ---------------------------------- */

static int
is_postgres_exe(const char *exe)
{
	const char *b = strrchr(exe, '/');
	size_t n;

	b = b ? b + 1 : exe;
	n = strlen(b);
	if (n > 10 && !strcmp(b + n - 10, " (deleted)"))
		n -= 10;	/* the binary was upgraded under it */
	return (n == 8 && !strncmp(b, "postgres", 8)) ||
	    (n == 10 && !strncmp(b, "postmaster", 10));
}

/* A zombie has no exe and no cwd left: n/a, not unsure. */
static void
check_exe(struct pg_inst *in, int dir, int zombie)
{
	if (proc_readlink(dir, "exe", in->exe, sizeof(in->exe)) < 0)
		ck(in, PG_CK_EXE, zombie ? PG_NA : PG_UNSURE);
	else
		ck(in, PG_CK_EXE, is_postgres_exe(in->exe) ? PG_PASS : PG_FAIL);
}

static void
check_cwd(struct pg_inst *in, int dir, int zombie)
{
	struct stat st;

	if (fstatat(dir, "cwd", &st, 0) < 0) {
		ck(in, PG_CK_CWD, zombie ? PG_NA : PG_UNSURE);
	} else if ((uint64_t)st.st_dev == in->dev &&
	    (uint64_t)st.st_ino == in->ino) {
		ck(in, PG_CK_CWD, PG_PASS);
	} else {
		if (proc_readlink(dir, "cwd", in->cwd, sizeof(in->cwd)) < 0)
			strcpy(in->cwd, "elsewhere");
		ck(in, PG_CK_CWD, PG_FAIL);
	}
}

/* Line 3 holds the start time in seconds; /proc has it in ticks. */
static void
check_start(struct pg_inst *in)
{
	int64_t d;

	if (!in->pf.has_start) {
		ck(in, PG_CK_START, PG_NA);
		return;
	}
	d = (int64_t)proc_start_epoch(&in->pm) - in->pf.start;
	ck(in, PG_CK_START, d >= -2 && d <= 2 ? PG_PASS : PG_FAIL);
}

static void
verify_pm(struct pg_inst *in)
{
	struct proc_status ps;
	int dir, zombie;

	if (in->pf_err)
		return;
	/* PostgreSQL too treats its own PID in the file as stale. */
	dir = in->pid == getpid() ? -1 : proc_open(in->pid);
	if (dir < 0 || proc_stat_read(dir, &in->pm) < 0 ||
	    proc_status_read(dir, &ps) < 0) {
		if (dir >= 0)
			close(dir);
		ck(in, PG_CK_ALIVE, PG_FAIL);
		return;
	}
	in->pm_alive = 1;
	in->pm_uid = ps.uid[0];
	ck(in, PG_CK_ALIVE, PG_PASS);
	/* A stopped postmaster (T, t) is still this one: it passes. */
	zombie = in->pm.state == 'Z' || in->pm.state == 'X';
	ck(in, PG_CK_STATE, zombie ? PG_FAIL : PG_PASS);
	ck(in, PG_CK_UID, in->pm_uid == in->owner ? PG_PASS : PG_FAIL);
	check_exe(in, dir, zombie);
	check_cwd(in, dir, zombie);
	check_start(in);
	close(dir);
}

/*
 * All identity checks pass (a zombie has no exe and cwd left). Line 2 is
 * not one of them: a directory renamed under a live postmaster leaves it
 * stale, yet the process is still ours (its cwd and start time say so).
 */
static enum pg_result
pm_identity(const struct pg_inst *in)
{
	static const enum pg_check_id id[] = {
		PG_CK_UID, PG_CK_EXE, PG_CK_CWD, PG_CK_START
	};
	enum pg_result r = PG_PASS;
	size_t i;

	if (!in->pm_alive)
		return PG_FAIL;
	for (i = 0; i < sizeof(id) / sizeof(id[0]); i++) {
		if (in->ck[id[i]].result == PG_FAIL)
			return PG_FAIL;
		if (in->ck[id[i]].result == PG_UNSURE)
			r = PG_UNSURE;
	}
	return r;
}

/* ---- one pass over /proc --------------------------------------------- */

struct maparg {
	struct scan	*s;
	pid_t		 pid;
	int		 att;
};

static void
add_mapped(struct scan *s, uint32_t handle, pid_t pid)
{
	if (s->nmapped == s->mapcap) {
		s->mapcap = s->mapcap ? s->mapcap * 2 : 16;
		s->mapped = xrealloc(s->mapped, s->mapcap * 2 * sizeof(uint32_t));
	}
	s->mapped[2 * s->nmapped] = handle;
	s->mapped[2 * s->nmapped + 1] = (uint32_t)pid;
	s->nmapped++;
}

static int
map_cb(const struct maps_entry *m, void *arg)
{
	static const char dsm[] = "/dev/shm/PostgreSQL.";
	struct maparg *a = arg;
	struct scan *s = a->s;
	uint64_t h;
	char num[16];
	size_t n;

	if (m->sysv && ((!s->bykey && m->ino == (uint64_t)s->shmid) ||
	    (s->bykey && m->sysv_key == s->key &&
	    (s->shmid < 0 || m->ino == (uint64_t)s->shmid)))) {
		a->att = 1;
		if (s->hdr_pid == 0) {
			s->hdr_pid = a->pid;
			s->hdr_addr = m->start;
		}
		if (s->shmid < 0)
			s->shmid = m->ino;
	}
	n = sizeof(dsm) - 1;
	if (m->pathlen > n && m->pathlen - n < sizeof(num) &&
	    !memcmp(m->path, dsm, n)) {
		memcpy(num, m->path + n, m->pathlen - n);
		num[m->pathlen - n] = '\0';
		if (num_u64(num, &h) == 0 && h <= UINT32_MAX)
			add_mapped(s, h, a->pid);
	}
	return 0;
}

/* Owner processes: cwd in the directory, segment and DSM mappings. */
static void
look_closer(struct scan *s, int dir, struct ent *e)
{
	struct pg_inst *in = s->in;
	struct stat st;

	if (fstatat(dir, "cwd", &st, 0) == 0) {
		if ((uint64_t)st.st_dev == in->dev &&
		    (uint64_t)st.st_ino == in->ino)
			e->f |= E_DIR;
	} else if (errno == EACCES || errno == EPERM) {
		in->denied++;
		in->denied_pg += (e->f & E_PGC) != 0;
	}
	if (s->ipc && e->state != 'Z')
		s->ipc->look(s, dir, e);
}

static void
look_maps(struct scan *s, int dir, struct ent *e)
{
	struct maparg a;

	a.s = s;
	a.pid = e->pid;
	a.att = 0;
	if (maps_foreach(dir, map_cb, &a) == 0 && a.att)
		e->f |= E_ATT;
}

/*
 * The walk costs what reading every /proc/N/stat costs: one openat of
 * "N/stat" beside the /proc dirfd (no per-process directory fd), fstat of
 * it for the owner (every /proc/N entry carries the task's uid), and one
 * read (a stat line fits in 1 KiB). Only the owner's processes get more.
 */
static int
scan_cb(pid_t pid, void *arg)
{
	struct scan *s = arg;
	struct proc_stat st;
	struct stat sb;
	struct ent *e;
	char name[32], buf[1024];
	ssize_t n = -1;
	int fd, dir;

	snprintf(name, sizeof(name), "%d/stat", (int)pid);
	if ((fd = openat(s->procfd, name, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;		/* gone: not an error */
	if (fstat(fd, &sb) == 0)
		n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (proc_stat_parse(buf, &st) < 0 || (st.flags & PROC_PF_KTHREAD))
		return 0;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	e = &s->v[s->n++];
	e->pid = pid;
	e->ppid = st.ppid;
	e->uid = sb.st_uid;
	e->state = st.state;
	e->start = st.starttime;
	e->f = pg_comm(st.comm) ? E_PGC : 0;
	if (sb.st_uid == s->in->owner && (dir = proc_open(pid)) >= 0) {
		look_closer(s, dir, e);
		close(dir);
	}
	return 0;
}

/*
 * getdents64 of /proc lists PIDs in ascending order, so the table is
 * normally sorted already; an insertion sort covers a racing fork.
 */
static void
ent_sort(struct scan *s)
{
	struct ent t;
	size_t i, j;

	for (i = 1; i < s->n; i++) {
		if (s->v[i - 1].pid <= s->v[i].pid)
			continue;
		t = s->v[i];
		for (j = i; j > 0 && s->v[j - 1].pid > t.pid; j--)
			s->v[j] = s->v[j - 1];
		s->v[j] = t;
	}
}

static struct ent *
ent_find(struct scan *s, pid_t pid)
{
	size_t lo = 0, hi = s->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->v[mid].pid == pid)
			return &s->v[mid];
		if (s->v[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Sets flag on root and, transitively, its descendants. Children mostly
 * have higher PIDs than their parents, so one pass in PID order usually
 * settles it; PID wrap-around costs another pass.
 */
static void
mark_from(struct scan *s, pid_t root, unsigned flag)
{
	struct ent *e, *p;
	size_t i;
	int more = 1;

	if ((e = ent_find(s, root)) == NULL)
		return;
	e->f |= flag;
	while (more) {
		more = 0;
		for (i = 0; i < s->n; i++) {
			e = &s->v[i];
			if (e->f & flag || e->ppid <= 1)
				continue;
			p = ent_find(s, e->ppid);
			if (p && (p->f & flag))
				e->f |= flag, more = 1;
		}
	}
}

/* The postmaster and its descendants. */
static void
mark_tree(struct scan *s, pid_t pm, uint64_t pmstart)
{
	struct ent *e;

	ent_sort(s);
	if ((e = ent_find(s, pm)) == NULL || e->start != pmstart)
		return;
	e->f |= E_PM;
	mark_from(s, pm, E_DESC);
}

/*
 * The file names no verified postmaster, yet one may run here: a postgres
 * process working in the directory whose parent is none, with postgres
 * children working there too (an orphaned backend or logger has none:
 * only a postmaster forks them). Its pid file may be garbled (CRLF), its
 * start time off after a clock step, or the file another's. Its tree is
 * never taken for orphans.
 */
static void
find_live_pm(struct pg_inst *in, struct scan *s)
{
	struct ent *e, *p;
	size_t i, j, kids;

	for (i = 0; i < s->n && !in->live_pm; i++) {
		e = &s->v[i];
		if ((e->f & E_PGD) != E_PGD || e->uid != in->owner ||
		    e->state == 'Z' || ((p = ent_find(s, e->ppid)) != NULL &&
		    (p->f & E_PGD) == E_PGD))
			continue;
		for (j = kids = 0; j < s->n; j++)
			kids += s->v[j].ppid == e->pid &&
			    (s->v[j].f & E_PGD) == E_PGD;
		if (kids) {
			in->live_pm = e->pid;
			in->live_children = kids;
		}
	}
	if (in->live_pm)
		mark_from(s, in->live_pm, E_LIVE);
}

/* ---- the SysV segment ------------------------------------------------ */

/*
 * /proc/sysvipc/shm row of id (readable by anyone, where IPC_STAT needs
 * read permission): "key shmid perms size cpid lpid nattch uid ...", the
 * key as a signed decimal.
 */
/* Next blank-separated signed number of base 8 or 10 at *pp. */
static int
field(const char **pp, int base, long long *v)
{
	const char *p = *pp;
	long long n = 0;
	int neg = 0, any = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '-')
		neg = 1, p++;
	for (; *p >= '0' && *p < '0' + base; p++, any = 1)
		n = n * base + (*p - '0');
	*pp = p;
	*v = neg ? -n : n;
	return any ? 0 : -1;
}

static int
sysvipc_row(struct pg_shm *m, int32_t id)
{
	char *buf, *line, *nl;
	const char *p;
	long long v[8];
	int r = -1, i;

	if ((buf = proc_read_all(AT_FDCWD, "/proc/sysvipc/shm", NULL)) == NULL)
		return -1;
	for (line = strchr(buf, '\n'); line && line[1] && r < 0; line = nl) {
		nl = strchr(++line, '\n');
		for (p = line, i = 0; i < 8; i++)
			if (field(&p, i == 2 ? 8 : 10, &v[i]) < 0)
				break;
		if (i < 8 || v[1] != id)
			continue;
		m->key = (uint32_t)v[0];
		m->size = v[3];
		m->cpid = v[4];
		m->lpid = v[5];
		m->nattch = v[6];
		m->uid = v[7];
		m->exists = 1;
		m->err = 0;
		r = 0;
	}
	free(buf);
	return r;
}

static void
shm_stat(struct pg_shm *m, int32_t id)
{
	struct shmid_ds ds;

	m->known = 1;
	m->id = id;
	if (shmctl(id, IPC_STAT, &ds) < 0) {
		m->err = errno;
		if (errno == EACCES || errno == EPERM)
			sysvipc_row(m, id);
		return;
	}
	m->exists = 1;
	m->key = (uint32_t)SHM_KEY(ds);
	m->uid = ds.shm_perm.uid;
	m->size = ds.shm_segsz;
	m->nattch = ds.shm_nattch;
	m->cpid = ds.shm_cpid;
	m->lpid = ds.shm_lpid;
}

/*
 * No id from the pid file: the keys PostgreSQL tries first, the data
 * directory's inode (13+) and port * 1000 + 1 (up to 12), and a few after
 * each. shmget(key, 0, 0) only looks the key up.
 */
static void
shm_by_key(struct pg_inst *in, struct scan *s)
{
	uint32_t base[2], k;
	int i, j, id, nb = 1;

	base[0] = (uint32_t)in->ino;
	if (in->pf.has_port)
		base[nb++] = in->pf.port * 1000u + 1;
	for (j = 0; j < nb; j++)
		for (i = 0; i < KEY_SPAN; i++) {
			k = base[j] + i;
			if ((id = shmget((key_t)k, 0, 0)) < 0)
				continue;
			shm_stat(&in->shm, id);
			if (in->shm.exists && in->shm.uid == in->owner) {
				s->shmid = id;
				return;
			}
			memset(&in->shm, 0, sizeof(in->shm));
		}
	s->bykey = 1;		/* an orphan may still map it */
	s->key = base[0];
}

static void
check_segment(struct pg_inst *in)
{
	struct pg_shm *m = &in->shm;

	if (!m->known)
		ck(in, PG_CK_SEGMENT, PG_NA);
	else
		ck(in, PG_CK_SEGMENT, m->exists && (!in->pf.has_shm ||
		    m->key == in->pf.shmkey) && m->uid == in->owner ?
		    PG_PASS : PG_FAIL);
}

static void
read_header(struct pg_inst *in, struct scan *s)
{
	struct pg_shm *m = &in->shm;
	unsigned char buf[64];
	char path[32];
	ssize_t n = -1;
	int fd, r;

	if (!m->exists)
		return;
	if ((m->hdr_pid = s->hdr_pid) == 0) {
		ck(in, PG_CK_HEADER, PG_UNSURE);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)s->hdr_pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = pread(fd, buf, m->size < sizeof(buf) ? m->size : sizeof(buf),
		    (off_t)s->hdr_addr);
		close(fd);
	}
	if (n < 0) {
		ck(in, PG_CK_HEADER, PG_UNSURE);
		return;
	}
	r = pg_shmhdr_parse(buf, n, in->dev, in->ino, &m->hdr);
	m->hdr_ok = r >= 0;
	m->ours = r == 1;
	if (r < 0)		/* for the report: what was there instead */
		m->hdr.magic = n >= 4 ? (int32_t)le(buf, 4) : 0;
	ck(in, PG_CK_HEADER, r == 1 ? PG_PASS : PG_FAIL);
}

/* ---- DSM files (/dev/shm/PostgreSQL.<handle>) ------------------------ */

static struct pg_dsm *
dsm_add(struct pg_inst *in, uint32_t h, int proven)
{
	char path[48];
	struct stat st;
	size_t i;

	for (i = 0; i < in->ndsm; i++)
		if (in->dsm[i].handle == h) {
			in->dsm[i].proven |= proven;
			return &in->dsm[i];
		}
	snprintf(path, sizeof(path), "/dev/shm/PostgreSQL.%u", (unsigned)h);
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return NULL;
	if (!proven && st.st_uid != in->owner)
		return NULL;
	in->dsm = xrealloc(in->dsm, (in->ndsm + 1) * sizeof(*in->dsm));
	memset(&in->dsm[in->ndsm], 0, sizeof(*in->dsm));
	in->dsm[in->ndsm].handle = h;
	in->dsm[in->ndsm].size = st.st_size;
	in->dsm[in->ndsm].proven = proven;
	return &in->dsm[in->ndsm++];
}

/* The control segment named by our header, and the items it lists. */
static void
dsm_from_header(struct pg_inst *in)
{
	uint32_t *h;
	struct pg_dsm *d;
	char path[48], *buf;
	size_t len;
	int n, i;

	snprintf(path, sizeof(path), "/dev/shm/PostgreSQL.%u",
	    (unsigned)in->shm.hdr.dsm_control);
	if ((d = dsm_add(in, in->shm.hdr.dsm_control, 1)) == NULL)
		return;
	d->control = 1;
	if ((buf = proc_read_all(AT_FDCWD, path, &len)) == NULL)
		return;
	h = xmalloc(DSM_MAX * sizeof(*h));
	n = pg_dsm_control_parse(buf, len, h, DSM_MAX);
	for (i = 0; i < n; i++)
		dsm_add(in, h[i], 1);	/* odd handles (14+) have no file */
	free(h);
	free(buf);
}

/* Unmapped DSM files of the owner: leftovers, of which instance unknown. */
static void
dsm_unmapped(struct pg_inst *in, struct scan *s)
{
	struct dirent *de;
	uint64_t h;
	size_t j;
	DIR *d;

	if ((d = opendir("/dev/shm")) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "PostgreSQL.", 11) ||
		    num_u64(de->d_name + 11, &h) < 0 || h > UINT32_MAX)
			continue;
		for (j = 0; j < s->nmapped; j++)
			if (s->mapped[2 * j] == h)
				break;
		if (j == s->nmapped)
			dsm_add(in, h, 0);
	}
	closedir(d);
}

static void
dsm_list(struct pg_inst *in, struct scan *s)
{
	struct ent *e;
	size_t j;

	if (in->shm.ours && in->shm.hdr.has_dsm && in->shm.hdr.dsm_control)
		dsm_from_header(in);
	for (j = 0; j < s->nmapped; j++) {
		e = ent_find(s, (pid_t)s->mapped[2 * j + 1]);
		if (e && (e->f & (E_DESC | E_DIR | E_ATT)))
			dsm_add(in, s->mapped[2 * j], 1);
	}
	/* Only when every owner process could be looked at. */
	if (!in->shm.hdr_ok && (!in->pf_err || in->shm.exists) &&
	    in->denied == 0)
		dsm_unmapped(in, s);
}

/* ---- the instance's processes ---------------------------------------- */

static void
add_proc(struct pg_inst *in, const struct ent *e)
{
	struct pg_proc *p;

	in->procs = xrealloc(in->procs, (in->nprocs + 1) * sizeof(*p));
	p = &in->procs[in->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = e->pid;
	p->ppid = e->ppid;
	p->uid = e->uid;
	p->state = e->state;
	p->start = e->start;
	p->postmaster = (e->f & E_PM) != 0;
	p->orphan = !(e->f & E_DESC);
	p->in_dir = (e->f & E_DIR) != 0;
	p->attached = (e->f & E_ATT) != 0;
	in->norphans += p->orphan;
}

/* The segment's header, read, names another data directory. */
static int
foreign(const struct pg_inst *in)
{
	return in->shm.hdr_ok && !in->shm.ours;
}

/* The postmaster first, then its descendants and orphans, PID order. */
static void
collect(struct pg_inst *in, struct scan *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].f & E_PM)
			add_proc(in, &s->v[i]);
	for (i = 0; i < s->n; i++) {
		struct ent *e = &s->v[i];

		if (e->f & (E_PM | E_LIVE))
			continue;
		/*
		 * An orphan maps the segment (if its header is not another
		 * directory's), or is a postgres process working in the
		 * directory (the logger maps nothing); a shell someone left
		 * there is not one.
		 */
		if ((e->f & E_DESC) || (e->uid == in->owner &&
		    (((e->f & E_ATT) && !foreign(in)) ||
		    (e->f & E_PGD) == E_PGD)))
			add_proc(in, e);
	}
	for (i = 0; i < s->n; i++)
		if (s->v[i].f & E_ATT) {
			in->shm.attachers = xrealloc(in->shm.attachers,
			    (in->shm.nattachers + 1) * sizeof(pid_t));
			in->shm.attachers[in->shm.nattachers++] = s->v[i].pid;
		}
}

/* ---- PID namespaces -------------------------------------------------- */

/*
 * A postmaster in a child PID namespace (a container) writes its PID as
 * that namespace numbers it. NSpid in /proc/PID/status (4.1+) lists the
 * PID in every namespace from ours inward, its own last. When the file's
 * PID is no postgres process working in the directory here, one that is,
 * of the owner, started when line 3 says, and whose own PID is the
 * file's, is the postmaster: it is verified in place of the file's PID.
 */
static void
pidns_child(struct pg_inst *in, struct scan *s)
{
	struct proc_status ps;
	struct proc_stat st;
	struct ent *e;
	int64_t d;
	size_t i;
	int dir;

	ent_sort(s);
	e = ent_find(s, in->pid);
	if (in->pf_err || in->pid <= 0 ||
	    (e && (e->f & (E_DIR | E_PGC)) == (E_DIR | E_PGC)))
		return;
	for (i = 0; i < s->n && !in->nspid; i++) {
		if ((s->v[i].f & (E_DIR | E_PGC)) != (E_DIR | E_PGC))
			continue;
		st.starttime = s->v[i].start;
		d = (int64_t)proc_start_epoch(&st) - in->pf.start;
		if ((in->pf.has_start && (d < -2 || d > 2)) ||
		    (dir = proc_open(s->v[i].pid)) < 0)
			continue;
		if (proc_status_read(dir, &ps) == 0 && ps.nspid_n > 1 &&
		    ps.nspid[ps.nspid_n - 1] == in->pid) {
			in->nspid = in->pid;
			in->pid = s->v[i].pid;
		}
		close(dir);
	}
}

/* ---- the verdict ------------------------------------------------------ */

/* Processes or attachments left without a live postmaster. */
static int
leftovers(const struct pg_inst *in)
{
	return in->norphans > 0 || (in->shm.exists &&
	    in->shm.uid == in->owner && in->shm.nattch > 0 &&
	    in->ck[PG_CK_SEGMENT].result != PG_FAIL && !foreign(in));
}

static void
judge(struct pg_inst *in)
{
	enum pg_result id;

	if (in->live_pm) {	/* never "stale" or "orphaned" over a live one */
		in->verdict = PG_UNKNOWN;
		return;
	}
	if (in->pf_err == ENOENT || (!in->pf_err && !in->pm_alive)) {
		in->verdict = leftovers(in) ? PG_ORPHANED : in->pf_err ?
		    PG_STOPPED : PG_STALE;
		/* "nothing left" only when every postgres one was seen */
		if (in->verdict != PG_ORPHANED && in->denied_pg)
			in->verdict = PG_UNKNOWN;
		return;
	}
	if (in->pf_err) {
		in->verdict = PG_UNKNOWN;
		return;
	}
	id = pm_identity(in);
	if (id == PG_FAIL)
		in->verdict = PG_REUSED;
	else if (in->ck[PG_CK_STATE].result == PG_FAIL)
		in->verdict = PG_ZOMBIE;
	else
		in->verdict = id == PG_UNSURE ? PG_UNKNOWN : PG_RUNNING;
}

static void
words(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
words(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

/* The pid file could not be used: why, and what else is known. */
static void
reason_pidfile(struct pg_inst *in)
{
	struct pg_check *c = &in->ck[PG_CK_PIDFILE];
	const struct pidfile *pf = &in->pf;

	if (c->result == PG_FAIL)
		words(c->why, sizeof(c->why), "line %d: %s", pf->errline,
		    pf->errwhat ? pidfile_errtext(pf->errwhat) :
		    strerror(c->err));
	else
		words(c->why, sizeof(c->why), "cannot read %s: %s",
		    in->pidpath, strerror(c->err));
	words(in->reason, sizeof(in->reason), "%s; %s; %s", c->why,
	    in->norphans ? "processes of the owner work there" :
	    in->denied ? "whether processes of the owner work there cannot "
	    "be told (permission denied)" : "no process of the owner works "
	    "there", in->shm.exists ? "a segment of the directory's key "
	    "exists" : "no segment of the directory's key exists");
}

/* Why the file does not verify the live one: what failed, in words. */
static void
reason_live(struct pg_inst *in, char *r, size_t n)
{
	static const enum pg_check_id id[] = {
		PG_CK_UID, PG_CK_EXE, PG_CK_CWD, PG_CK_START
	};
	char why[128] = "";
	size_t i, k = 0;

	if (in->pf_err)
		reason_pidfile(in);
	for (i = 0; !in->pf_err && i < sizeof(id) / sizeof(id[0]); i++)
		if (in->ck[id[i]].result == PG_FAIL)
			k += snprintf(why + k, sizeof(why) - k, "%s%s", k ? ", " :
			    "", checks[id[i]]);
	words(r, n, "PID %d, a postgres process working here with %zu "
	    "postgres children, looks like a running postmaster that the pid "
	    "file does not verify (%s%s%s)", (int)in->live_pm,
	    in->live_children, in->pf_err ? "the file: " : !in->pm_alive ?
	    "its PID is gone" : "fails: ", in->pf_err ?
	    in->ck[PG_CK_PIDFILE].why : "", in->pm_alive ? why : "");
}

void
pg_reason(struct pg_inst *in)
{
	char *r = in->reason;
	size_t n = sizeof(in->reason);
	int pid = in->pid;

	if (in->ino == 0)
		return;		/* locate() said why */
	if (in->live_pm)
		reason_live(in, r, n);
	else if (in->verdict == PG_ORPHANED)
		words(r, n, "%s, but %zu process(es) of the instance remain "
		    "and its segment has nattch %llu", in->pf_err ? "no pid file" :
		    "the postmaster is gone", in->norphans,
		    (unsigned long long)in->shm.nattch);
	else if (in->verdict == PG_STOPPED)
		words(r, n, "no pid file and no process of the instance");
	else if (in->verdict == PG_STALE)
		words(r, n, "PID %d is gone and nothing of the instance runs; "
		    "the pid file is stale", pid);
	else if (in->verdict == PG_REUSED && in->cwd[0] &&
	    is_postgres_exe(in->exe))
		words(r, n, "PID %d is a postgres process working in %s, not "
		    "here: the pid file is another directory's copy, or stale",
		    pid, in->cwd);
	else if (in->verdict == PG_REUSED)
		words(r, n, "PID %d is now an unrelated process (%s)", pid,
		    in->pm.comm);
	else if (in->verdict == PG_ZOMBIE)
		words(r, n, "the postmaster (PID %d) is defunct; its parent "
		    "PID %d has not reaped it", pid, (int)in->pm.ppid);
	else if (in->verdict == PG_RUNNING)
		words(r, n, "PID %d is the postmaster of this directory", pid);
	else if (in->pf_err && in->pf_err != ENOENT)
		reason_pidfile(in);
	else if (!in->pm_alive)
		words(r, n, "%s, but whether %zu postgres process(es) of the "
		    "owner work there cannot be told (permission denied)",
		    in->pf_err ? "no pid file" : "the pid file's PID is gone",
		    in->denied_pg);
	else
		words(r, n, "PID %d is alive but cannot be verified "
		    "(permission denied; run as root or the owner)", pid);
}

static void
find_segment(struct pg_inst *in, struct scan *s)
{
	if (!in->pf_err && in->pf.has_shm) {
		shm_stat(&in->shm, in->pf.shmid);
		if (in->shm.exists && in->shm.key == in->pf.shmkey) {
			s->shmid = in->pf.shmid;
		} else {
			s->bykey = 1;	/* match nothing but that key */
			s->key = in->pf.shmkey;
			s->shmid = -1;
		}
	} else {
		shm_by_key(in, s);
	}
}

static void
ipc_after(struct pg_inst *in, struct scan *s)
{
	dsm_list(in, s);
}

static int
inspect(struct pg_inst *in, const char *datadir, const char *pidfile,
    const struct ipcpart *ipc)
{
	struct scan s;

	memset(in, 0, sizeof(*in));
	memset(&s, 0, sizeof(s));
	s.in = in;
	s.ipc = ipc;
	s.shmid = -1;
	if (locate(in, datadir, pidfile) < 0)
		return 0;
	read_pidfile(in);
	find_segment(in, &s);
	if ((s.procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		proc_foreach(scan_cb, &s);
		close(s.procfd);
	}
	pidns_child(in, &s);
	verify_pm(in);
	if (s.bykey && s.shmid >= 0 && !in->shm.exists)
		shm_stat(&in->shm, s.shmid);
	mark_tree(&s, pm_identity(in) == PG_PASS ? in->pid : 0,
	    in->pm.starttime);
	if (pm_identity(in) != PG_PASS)
		find_live_pm(in, &s);
	if (ipc)
		ipc->header(in, &s);	/* whose segment, before orphans */
	collect(in, &s);
	check_segment(in);
	if (ipc)
		ipc->after(in, &s);
	judge(in);
	free(s.v);
	free(s.mapped);
	return 0;
}

int
pg_inspect(struct pg_inst *in, const char *datadir, const char *pidfile)
{
	return inspect(in, datadir, pidfile, NULL);
}

int
pg_inspect_ipc(struct pg_inst *in, const char *datadir, const char *pidfile)
{
	static const struct ipcpart ipc = { look_maps, read_header, ipc_after };

	return inspect(in, datadir, pidfile, &ipc);
}

void
pg_free(struct pg_inst *in)
{
	size_t i;

	for (i = 0; i < in->nprocs; i++)
		free(in->procs[i].title);
	free(in->procs);
	free(in->shm.attachers);
	free(in->dsm);
	in->procs = NULL;
	in->shm.attachers = NULL;
	in->dsm = NULL;
	in->nprocs = in->ndsm = in->shm.nattachers = 0;
}
