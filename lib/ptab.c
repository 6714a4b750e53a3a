/*
 * ptab.c: a snapshot of the process table from one pass over /proc: one
 * open/read/close of /proc/N/stat per process (plus an fstat of the same
 * fd for the owner when asked), entries kept small and sorted by PID, and
 * a children index sorted by parent.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

/* Skips n space-separated fields after p; NULL when the line ends. */
static const char *
skip(const char *p, const char *end, int n)
{
	while (n-- > 0) {
		while (p < end && *p != ' ')
			p++;
		if (p++ >= end)
			return NULL;
	}
	return p;
}

static const char *
dec(const char *p, const char *end, uint64_t *v)
{
	uint64_t n = 0;

	if (p >= end || *p < '0' || *p > '9')
		return NULL;
	while (p < end && *p >= '0' && *p <= '9')
		n = n * 10 + (*p++ - '0');
	if (p < end && *p != ' ' && *p != '\n')
		return NULL;
	*v = n;
	return p;
}

/*
 * Only the fields a table needs, straight from the buffer: pid (1), comm
 * (2, up to the LAST ')'), state (3), ppid (4), flags (9), num_threads
 * (20, only to return 1 for a zombie leader whose threads run on),
 * starttime (22).
 */
int
ptab_stat_parse_n(const char *buf, size_t len, struct ptab_ent *e)
{
	const char *end = buf + len, *open, *close, *p;
	uint64_t pid, ppid, flags, threads, start;
	size_t n;

	/*
	 * comm is at most 64 bytes (kernel threads; 15 for the rest) and no
	 * later field holds a ')', so its end is the last ')' of a short
	 * window after the '('.
	 */
	open = memchr(buf, '(', len < 24 ? len : 24);
	close = open ? memrchr(open, ')', (size_t)(end - open) < 66 ?
	    (size_t)(end - open) : 66) : NULL;
	if (open == NULL || close == NULL ||
	    (p = dec(buf, end, &pid)) == NULL || p + 1 != open || pid == 0 ||
	    pid > 0x7fffffff || end - close < 4 || close[1] != ' ' ||
	    close[3] != ' ')
		return errno = EINVAL, -1;
	e->state = close[2];
	if ((p = dec(close + 4, end, &ppid)) == NULL ||
	    (p = skip(p + 1, end, 4)) == NULL ||
	    (p = dec(p, end, &flags)) == NULL ||
	    (p = skip(p + 1, end, 10)) == NULL ||
	    (p = dec(p, end, &threads)) == NULL ||
	    (p = skip(p + 1, end, 1)) == NULL ||
	    dec(p, end, &start) == NULL || ppid > 0x7fffffff)
		return errno = EINVAL, -1;
	e->pid = pid;
	e->ppid = ppid;
	e->start = start;
	e->kthread = (flags & PROC_PF_KTHREAD) != 0;
	n = close - open - 1;
	if (n > sizeof(e->comm) - 1)
		n = sizeof(e->comm) - 1;
	memcpy(e->comm, open + 1, n);
	e->comm[n] = '\0';
	e->tag[0] = e->tag[1] = 0;
	return e->state == 'Z' && threads > 1;
}

int
ptab_stat_parse(const char *buf, struct ptab_ent *e)
{
	return ptab_stat_parse_n(buf, strlen(buf), e);
}

/*
 * The leader exited while threads run: its stat says Z and, its mm gone,
 * /proc/N is root's; state and owner are a live thread's.
 */
static void
live_thread(int dir, unsigned flags, struct ptab_ent *e)
{
	struct stat sb;
	int t;

	if ((t = proc_live_task_open(dir, NULL, &e->state)) < 0)
		return;
	if ((flags & PTAB_UID) && fstat(t, &sb) == 0)
		e->uid = sb.st_uid;
	close(t);
}

/* Reads NAME/stat under /proc; 0, or -1 when the process vanished. */
static int
read_one(int proc, const char *name, unsigned flags, struct ptab_ent *e)
{
	char path[40], buf[1024];
	struct stat sb;
	size_t n = strlen(name);
	ssize_t r;
	int fd;

	if (n > 20)
		return -1;
	memcpy(path, name, n);
	memcpy(path + n, "/stat", 6);
	fd = openat(proc, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	/* One read: the kernel formats stat whole on the first read. */
	r = read(fd, buf, sizeof(buf) - 1);
	e->uid = (uid_t)-1;
	/* The owner of /proc/N is the euid, or root when not dumpable. */
	if (r > 0 && (flags & PTAB_UID) && fstat(fd, &sb) == 0)
		e->uid = sb.st_uid;
	close(fd);
	if (r <= 0 || (r = ptab_stat_parse_n(buf, r, e)) < 0)
		return -1;
	if (r == 1 && (fd = openat(proc, name, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) >= 0) {
		live_thread(fd, flags, e);
		close(fd);
	}
	return 0;
}

static int
by_pid(const void *a, const void *b)
{
	const struct ptab_ent *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

struct scan {
	struct ptab	*t;
	int		 proc;
	unsigned	 flags;
};

static int
scan_one(pid_t pid, void *arg)
{
	struct scan *sc = arg;
	struct ptab *t = sc->t;
	char name[24];

	name[num_fmt(name, pid)] = '\0';
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	if (read_one(sc->proc, name, sc->flags, &t->v[t->n]) == 0)
		t->n++;
	return 0;
}

/*
 * kids: entry indexes grouped by parent, each group in PID order (a
 * counting sort, linear); the children of entry j are kids[koff[j + 1]]
 * up to kids[koff[j + 2]], group 0 holds those whose parent is not in the
 * table (PID 1, kthreadd, orphans of a parent that exited mid-scan).
 */
static void
index_kids(struct ptab *t)
{
	uint32_t *slot, *cur;
	size_t i, j;

	free(t->kids);
	free(t->koff);
	t->kids = xmalloc((t->n + 1) * sizeof(*t->kids));
	t->koff = xcalloc(t->n + 2, sizeof(*t->koff));
	slot = xmalloc((t->n + 1) * sizeof(*slot));
	for (i = 0; i < t->n; i++) {
		j = ptab_index(t, t->v[i].ppid);
		slot[i] = j == (size_t)-1 ? 0 : j + 1;
		t->koff[slot[i] + 1]++;
	}
	for (i = 1; i <= t->n + 1; i++)
		t->koff[i] += t->koff[i - 1];
	cur = xmalloc((t->n + 1) * sizeof(*cur));
	memcpy(cur, t->koff, (t->n + 1) * sizeof(*cur));
	for (i = 0; i < t->n; i++)
		t->kids[cur[slot[i]]++] = i;
	free(cur);
	free(slot);
}

int
ptab_scan(struct ptab *t, unsigned flags)
{
	size_t i;
	int proc, r, e;

	t->n = 0;
	proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (proc < 0)
		return -1;
	r = proc_foreach(scan_one, &(struct scan){ t, proc, flags });
	e = errno;
	close(proc);
	if (r < 0)
		return errno = e, -1;
	/* procfs lists PIDs in ascending order; sort only if it did not. */
	for (i = 1; i < t->n; i++)
		if (t->v[i - 1].pid >= t->v[i].pid) {
			qsort(t->v, t->n, sizeof(*t->v), by_pid);
			break;
		}
	index_kids(t);
	return 0;
}

size_t
ptab_index(const struct ptab *t, pid_t pid)
{
	size_t lo = 0, hi = t->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->v[mid].pid == pid)
			return mid;
		if (t->v[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (size_t)-1;
}

const struct ptab_ent *
ptab_find(const struct ptab *t, pid_t pid)
{
	size_t i = ptab_index(t, pid);

	return i == (size_t)-1 ? NULL : &t->v[i];
}

size_t
ptab_children(const struct ptab *t, pid_t ppid, const uint32_t **kids)
{
	size_t j = ptab_index(t, ppid);

	if (j == (size_t)-1 || ppid <= 0) {
		*kids = t->kids;
		return 0;
	}
	*kids = t->kids + t->koff[j + 1];
	return t->koff[j + 2] - t->koff[j + 1];
}

size_t
ptab_tree(const struct ptab *t, pid_t root, uint32_t **out)
{
	const uint32_t *k;
	uint32_t *q;
	size_t n = 0, head = 0, nk, i, r;

	q = xmalloc((t->n + 1) * sizeof(*q));
	r = ptab_index(t, root);
	if (r != (size_t)-1)
		q[n++] = r;
	/* Breadth first: parents before children (top-down order). */
	while (head < n) {
		nk = ptab_children(t, t->v[q[head++]].pid, &k);
		for (i = 0; i < nk && n < t->n; i++)
			q[n++] = k[i];
	}
	*out = q;
	return n;
}

void
ptab_free(struct ptab *t)
{
	free(t->v);
	free(t->kids);
	free(t->koff);
	memset(t, 0, sizeof(*t));
}
