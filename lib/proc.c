/*
 * proc.c: the /proc walk and per-process records (proc(5)). Files are read
 * whole with read(2) and parsed from the buffer.
 */
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

int
proc_open(pid_t pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

ssize_t
proc_read(int dirfd, const char *name, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t r;
	int fd, e;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	while (len + 1 < size) {
		r = read(fd, buf + len, size - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r < 0) {
				e = errno;
				close(fd);
				return errno = e, -1;
			}
			break;
		}
		len += r;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

char *
proc_read_all(int dirfd, const char *name, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	char *buf;
	ssize_t r;
	int fd, e;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap)
			buf = xrealloc(buf, cap *= 2);
		r = read(fd, buf + len, cap - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			close(fd);
			free(buf);
			return errno = e, NULL;
		}
		if (r == 0)
			break;
		len += r;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

/* Next space-separated field of a stat line as a signed number. */
static int
field(const char **pp, int64_t *v)
{
	const char *p = *pp;
	uint64_t n = 0;
	int neg = 0;

	while (*p == ' ')
		p++;
	if (*p == '-')
		neg = 1, p++;
	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9')
		n = n * 10 + (*p++ - '0');
	if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\0')
		return -1;
	*v = neg ? -(int64_t)n : (int64_t)n;
	*pp = p;
	return 0;
}

int
proc_stat_parse(const char *buf, struct proc_stat *st)
{
	const char *open, *close, *p;
	int64_t f[25];
	size_t n;
	int i;

	/* comm may hold spaces and parentheses: it ends at the LAST ')'. */
	open = strchr(buf, '(');
	close = strrchr(buf, ')');
	if (open == NULL || close == NULL || close < open)
		return errno = EINVAL, -1;
	p = buf;
	if (field(&p, &f[1]) < 0 || p + 1 != open || f[1] <= 0)
		return errno = EINVAL, -1;
	n = close - open - 1;
	if (n >= sizeof(st->comm))
		n = sizeof(st->comm) - 1;
	memset(st, 0, sizeof(*st));
	st->pid = f[1];
	memcpy(st->comm, open + 1, n);
	if (close[1] != ' ' || close[2] == '\0' || close[3] != ' ')
		return errno = EINVAL, -1;
	st->state = close[2];
	p = close + 3;
	for (i = 4; i <= 24; i++)
		if (field(&p, &f[i]) < 0)
			return errno = EINVAL, -1;
	st->ppid = f[4];
	st->pgrp = f[5];
	st->session = f[6];
	st->tty_nr = f[7];
	st->tpgid = f[8];
	st->flags = f[9];
	st->utime = f[14];
	st->stime = f[15];
	st->nice = f[19];
	st->threads = f[20];
	st->starttime = f[22];
	st->vsize = f[23];
	st->rss = f[24];
	return 0;
}

static uint64_t
hex64(const char *p)
{
	uint64_t v = 0;

	for (;; p++) {
		if (*p >= '0' && *p <= '9')
			v = v << 4 | (*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			v = v << 4 | (*p - 'a' + 10);
		else
			return v;
	}
}

/* Up to max decimal numbers separated by blanks; returns how many. */
static int
decs(const char *p, int64_t *v, int max)
{
	int n = 0;

	while (n < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (field(&p, &v[n]) < 0)
			break;
		n++;
	}
	return n;
}

static void
status_line(const char *k, const char *v, struct proc_status *s)
{
	int64_t n[8];
	int i, c;

	if (!strncmp(k, "State:", 6))
		s->state = v[0];
	else if (!strncmp(k, "Tgid:", 5) && decs(v, n, 1) == 1)
		s->tgid = n[0];
	else if (!strncmp(k, "PPid:", 5) && decs(v, n, 1) == 1)
		s->ppid = n[0];
	else if (!strncmp(k, "TracerPid:", 10) && decs(v, n, 1) == 1)
		s->tracerpid = n[0];
	else if (!strncmp(k, "Uid:", 4) && decs(v, n, 4) == 4)
		for (i = 0; i < 4; i++)
			s->uid[i] = n[i];
	else if (!strncmp(k, "Gid:", 4) && decs(v, n, 4) == 4)
		for (i = 0; i < 4; i++)
			s->gid[i] = n[i];
	else if (!strncmp(k, "SigPnd:", 7))
		s->sigpnd = hex64(v);
	else if (!strncmp(k, "ShdPnd:", 7))
		s->shdpnd = hex64(v);
	else if (!strncmp(k, "SigBlk:", 7))
		s->sigblk = hex64(v);
	else if (!strncmp(k, "SigIgn:", 7))
		s->sigign = hex64(v);
	else if (!strncmp(k, "SigCgt:", 7))
		s->sigcgt = hex64(v);
	else if (!strncmp(k, "Seccomp:", 8) && decs(v, n, 1) == 1)
		s->seccomp = n[0];
	else if (!strncmp(k, "NSpid:", 6)) {
		c = decs(v, n, 8);
		for (i = 0; i < c; i++)
			s->nspid[i] = n[i];
		s->nspid_n = c;
	}
}

int
proc_status_parse(const char *buf, struct proc_status *s)
{
	const char *line, *colon, *v;

	memset(s, 0, sizeof(*s));
	s->seccomp = -1;
	s->tgid = -1;
	for (line = buf; *line; ) {
		colon = strchr(line, ':');
		if (colon == NULL)
			break;
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		status_line(line, v, s);
		line = strchr(colon, '\n');
		if (line == NULL)
			break;
		line++;
	}
	if (s->state == '\0' || s->tgid < 0)
		return errno = EINVAL, -1;
	return 0;
}

int
proc_stat_read(int piddir, struct proc_stat *st)
{
	char buf[1024];

	if (proc_read(piddir, "stat", buf, sizeof(buf)) < 0)
		return -1;
	return proc_stat_parse(buf, st);
}

int
proc_status_read(int piddir, struct proc_status *s)
{
	char buf[4096];

	if (proc_read(piddir, "status", buf, sizeof(buf)) < 0)
		return -1;
	return proc_status_parse(buf, s);
}

size_t
proc_cmdline_parse(char *buf, size_t n, const char *comm, size_t size)
{
	size_t i;
	int w;

	if (size == 0)
		return 0;
	if (n >= size)
		n = size - 1;
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	if (n == 0) {
		w = snprintf(buf, size, "[%s]", comm);
		return w < 0 ? 0 : (size_t)w < size ? (size_t)w : size - 1;
	}
	for (i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	return n;
}

size_t
proc_cmdline(int piddir, const char *comm, char *buf, size_t size)
{
	ssize_t n = proc_read(piddir, "cmdline", buf, size);

	return proc_cmdline_parse(buf, n < 0 ? 0 : (size_t)n, comm, size);
}


static int
all_digits(const char *s, int64_t *v)
{
	int64_t n = 0;

	if (*s == '\0')
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > 100000000)
			return 0;
		n = n * 10 + (*s - '0');
	}
	*v = n;
	return 1;
}

/* The all-digit entries of the directory fd (closed here). */
static int
pid_walk(int fd, int (*cb)(pid_t, void *), void *arg)
{
	char buf[32768];
	struct proc_dirent *d;
	long n, off;
	int64_t pid;
	int e, r = 0;

	if (fd < 0)
		return -1;
	while (r == 0 && (n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (off = 0; off < n && r == 0; off += d->d_reclen) {
			d = (struct proc_dirent *)(buf + off);
			if (all_digits(d->d_name, &pid) && pid > 0)
				r = cb(pid, arg);
		}
	e = errno;
	close(fd);
	return r == 0 && n < 0 ? (errno = e, -1) : 0;
}

int
proc_foreach(int (*cb)(pid_t, void *), void *arg)
{
	return pid_walk(open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC),
	    cb, arg);
}

int
proc_task_foreach(int piddir, int (*cb)(pid_t, void *), void *arg)
{
	return pid_walk(openat(piddir, "task", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC), cb, arg);
}

int
proc_task_open(int piddir, pid_t tid)
{
	char name[32];

	snprintf(name, sizeof(name), "task/%d", (int)tid);
	return openat(piddir, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

struct live_task {
	int	 piddir, dir;
	pid_t	 tid;
	char	 state;
};

static int
live_task_cb(pid_t tid, void *arg)
{
	struct live_task *lt = arg;
	struct proc_stat st;
	int d;

	if ((d = proc_task_open(lt->piddir, tid)) < 0)
		return 0;
	if (proc_stat_read(d, &st) == 0 && st.state != 'Z' &&
	    st.state != 'X') {
		lt->dir = d;
		lt->tid = tid;
		lt->state = st.state;
		return 1;
	}
	close(d);
	return 0;
}

int
proc_leader_exited(const struct proc_stat *st)
{
	return st->state == 'Z' && st->threads > 1;
}

int
proc_live_task_open(int piddir, pid_t *tid, char *state)
{
	struct live_task lt = { piddir, -1, 0, 0 };

	proc_task_foreach(piddir, live_task_cb, &lt);
	if (tid)
		*tid = lt.tid;
	if (state && lt.dir >= 0)
		*state = lt.state;
	return lt.dir;
}

uint64_t
proc_btime(void)
{
	static uint64_t btime;
	char *buf, *p;
	uint64_t v;

	if (btime)
		return btime;
	buf = proc_read_all(AT_FDCWD, "/proc/stat", NULL);
	if (buf == NULL)
		return 0;
	/* A line of its own; strchr and strncmp spare a 1 KB strstr. */
	for (p = buf; (p = strchr(p, '\n')) != NULL; p++)
		if (strncmp(p + 1, "btime ", 6) == 0)
			break;
	if (p) {
		for (v = 0, p += 7; *p >= '0' && *p <= '9'; p++)
			v = v * 10 + (*p - '0');
		btime = v;
	}
	free(buf);
	return btime;
}

long
proc_hz(void)
{
	/* What sysconf(_SC_CLK_TCK) asks, without its 1 KB of tables. */
	long hz = getauxval(AT_CLKTCK);

	return hz > 0 ? hz : 100;
}

uint64_t
proc_start_epoch(const struct proc_stat *st)
{
	return proc_btime() + st->starttime / proc_hz();
}

int
proc_is_protected(pid_t pid)
{
	struct proc_stat st;
	pid_t p;
	int dir, depth;

	if (pid <= 1 || pid == getpid())
		return 0;
	/* Our ancestors: walk ppid links up from our parent. */
	for (p = getppid(), depth = 0; p > 1 && depth < 4096; depth++) {
		if (p == pid)
			return 0;
		dir = proc_open(p);
		if (dir < 0)
			break;
		if (proc_stat_read(dir, &st) < 0) {
			close(dir);
			break;
		}
		close(dir);
		p = st.ppid;
	}
	return -1;
}

ssize_t
proc_readlink(int dirfd, const char *name, char *buf, size_t size)
{
	ssize_t n = readlinkat(dirfd, name, buf, size);

	if (n < 0)
		return -1;
	if ((size_t)n >= size)
		return errno = ENAMETOOLONG, -1;
	buf[n] = '\0';
	return n;
}
