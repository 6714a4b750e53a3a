/*
 * pidfile.c: postmaster.pid and .s.PGSQL.<port>.lock, every format.
 *
 * Written by CreateLockFile() (miscinit.c): lines 1-5 in one write, the
 * rest by AddToDataDirLockFile(), which rewrites the whole file at offset
 * 0 and never truncates it; so lines only grow (line 7 is "%9lu %9lu",
 * the status word is padded to 8 bytes) and a reader may see 2, 5, 6, 7
 * or 8 lines, lines 4 and up in no promised order (utils/pidfile.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

#define PID_MAX_LIMIT	4194304		/* linux/threads.h, 64-bit */

/*
 * What a garbled file lacked, as a code (PIDFILE_E_*); the texts, one
 * packed array in a section of its own, go only into the tools that call
 * pidfile_errtext() to print them.
 */
static const char errtexts[] =
	"expected a process ID (a nonzero decimal number, negative for a "
	"standalone backend)\0"
	"expected the data directory (an absolute path shorter than 1024 "
	"bytes)\0"
	"expected the start time (seconds since the epoch) or, before 9.1, "
	"\"shmkey shmid\"\0"
	"expected the port (1-65535)\0"
	"expected a path or address shorter than 1024 bytes\0"
	"expected \"shmkey shmid\" (two decimal numbers) or an empty line\0"
	"expected the status (starting, stopping, ready or standby)\0"
	"expected the end of the file after a 9.0-style \"shmkey shmid\" "
	"line 3\0"
	"expected text, found a NUL byte\0"
	"expected a process ID, found an empty file\0"
	"expected the data directory, found the end of the file\0"
	"expected a regular file\0"
	"expected a file smaller than 16 KiB";

const char *
pidfile_errtext(int e)
{
	const char *p = errtexts;

	if (e < PIDFILE_E_PID || e > PIDFILE_E_BIG)
		return NULL;
	while (--e > 0)
		p += strlen(p) + 1;
	return p;
}

struct line {
	const char	*p;
	size_t		 n;
};

/* Unsigned decimal of at most 20 digits at *p (advanced); -1 if none. */
static int
dec(const char **pp, const char *end, uint64_t *v)
{
	const char *p = *pp;
	uint64_t n = 0;
	unsigned d;

	if (p >= end || *p < '0' || *p > '9')
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		d = *p - '0';
		if (n > (UINT64_MAX - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	*pp = p;
	*v = n;
	return 0;
}

/* The whole line is one decimal number (optionally negative). */
static int
whole_num(struct line l, int sign, int64_t *v)
{
	const char *p = l.p, *end = l.p + l.n;
	uint64_t u;
	int neg = 0;

	if (sign && p < end && *p == '-')
		neg = 1, p++;
	if (dec(&p, end, &u) < 0 || p != end || u > INT64_MAX)
		return -1;
	*v = neg ? -(int64_t)u : (int64_t)u;
	return 0;
}

/*
 * "%9lu %9lu": key_t is signed, so a key >= 2^31 (13+, where the key is
 * the data directory's inode) prints sign-extended to 20 digits. Keep the
 * low 32 bits; reject anything else above 2^32.
 */
static int
shm_line(struct line l, uint32_t *key, int32_t *id)
{
	const char *p = l.p, *end = l.p + l.n;
	uint64_t k, i;

	while (p < end && *p == ' ')
		p++;
	if (dec(&p, end, &k) < 0 || p == end || *p != ' ')
		return -1;
	while (p < end && *p == ' ')
		p++;
	if (dec(&p, end, &i) < 0)
		return -1;
	while (p < end && *p == ' ')
		p++;
	if (p != end || i > INT32_MAX)
		return -1;
	if (k > UINT32_MAX && k < 0xffffffff80000000ull)
		return -1;
	*key = (uint32_t)k;
	*id = (int32_t)i;
	return 0;
}

static int
text(struct line l, char *dst, size_t size)
{
	if (l.n >= size)
		return -1;
	memcpy(dst, l.p, l.n);
	dst[l.n] = '\0';
	return 0;
}

static int
status_word(struct line l, struct pidfile *pf)
{
	static const char *const w[] = {
		"", "starting", "stopping", "ready", "standby"
	};
	size_t n = l.n, i;

	while (n > 0 && l.p[n - 1] == ' ')
		n--;
	if (n >= sizeof(pf->statusword))
		return -1;
	for (i = 0; i < n; i++)
		if (l.p[i] < 'a' || l.p[i] > 'z')
			return -1;
	memcpy(pf->statusword, l.p, n);
	pf->statusword[n] = '\0';
	pf->status = PIDFILE_ST_OTHER;
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (!strcmp(pf->statusword, w[i]))
			pf->status = (enum pidfile_status)i;
	return 0;
}

static int
line3(struct line l, struct pidfile *pf)
{
	if (shm_line(l, &pf->shmkey, &pf->shmid) == 0) {
		pf->layout = PIDFILE_V90;
		pf->has_shm = 1;
		return 0;
	}
	if (whole_num(l, 0, &pf->start) < 0)
		return -1;
	pf->has_start = 1;
	pf->layout = PIDFILE_V91;
	return 0;
}

/* Parses line number n (1-based); returns a PIDFILE_E_* code or 0. */
static int
one_line(int n, struct line l, struct pidfile *pf)
{
	int64_t v;

	if (memchr(l.p, '\0', l.n))
		return PIDFILE_E_NUL;
	if (n > 3 && pf->layout == PIDFILE_V90)
		return PIDFILE_E_V90;
	switch (n) {
	case 1:
		if (whole_num(l, 1, &v) < 0 || v == 0 || v > PID_MAX_LIMIT ||
		    v < -PID_MAX_LIMIT)
			return PIDFILE_E_PID;
		pf->pid = v;
		return 0;
	case 2:
		if (l.n == 0 || l.p[0] != '/' ||
		    text(l, pf->datadir, sizeof(pf->datadir)) < 0)
			return PIDFILE_E_DIR;
		return 0;
	case 3:
		return line3(l, pf) < 0 ? PIDFILE_E_START : 0;
	case 4:
		if (whole_num(l, 0, &v) < 0 || v < 1 || v > 65535)
			return PIDFILE_E_PORT;
		pf->port = v;
		pf->has_port = 1;
		return 0;
	case 5:
		pf->has_sockdir = 1;
		return text(l, pf->sockdir, sizeof(pf->sockdir)) ? PIDFILE_E_TEXT :
		    0;
	case 6:
		pf->has_listen = 1;
		return text(l, pf->listen, sizeof(pf->listen)) ? PIDFILE_E_TEXT :
		    0;
	case 7:
		if (l.n == 0)		/* Windows, or filled in by 10+ */
			return 0;
		if (shm_line(l, &pf->shmkey, &pf->shmid) < 0)
			return PIDFILE_E_SHM;
		pf->has_shm = 1;
		return 0;
	case 8:
		pf->layout = PIDFILE_V10;
		return status_word(l, pf) < 0 ? PIDFILE_E_STATUS : 0;
	}
	return l.n >= PIDFILE_PATHMAX ? PIDFILE_E_TEXT : 0;	/* newer lines */
}

static int
fail(struct pidfile *pf, int n, int what, struct line l, int e)
{
	size_t k = l.n < sizeof(pf->errfound) - 1 ? l.n :
	    sizeof(pf->errfound) - 1;

	pf->errline = n;
	pf->errwhat = what;
	memcpy(pf->errfound, l.p, k);
	pf->errfound[k] = '\0';
	return errno = e, -1;
}

int
pidfile_parse(const char *buf, size_t len, struct pidfile *pf)
{
	const char *p = buf, *end = buf + len, *nl;
	struct line l;
	int n = 0, what;

	memset(pf, 0, sizeof(*pf));
	l.p = buf, l.n = 0;
	if (len == 0)
		return fail(pf, 1, PIDFILE_E_EMPTY, l, ENODATA);
	while (p < end) {
		nl = memchr(p, '\n', end - p);
		l.p = p;
		l.n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		n++;
		if ((what = one_line(n, l, pf)) != 0)
			return fail(pf, n, what, l, EINVAL);
		if (nl == NULL)
			pf->noeol = 1;
		p += l.n + 1;
	}
	pf->lines = n;
	l.p = end, l.n = 0;
	if (n < 2)
		return fail(pf, 2, PIDFILE_E_SHORT, l, EINVAL);
	if (pf->layout == 0)
		pf->layout = PIDFILE_V91;	/* 2 lines: any version */
	return 0;
}

int
pidfile_read(int dirfd, const char *name, struct pidfile *pf)
{
	char buf[PIDFILE_MAXSIZE + 1];
	struct stat st;
	size_t len = 0;
	ssize_t r = 0;
	int fd, e;

	/* O_NONBLOCK: a FIFO planted under the name must not hang us. */
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		return errno = e, -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		memset(pf, 0, sizeof(*pf));
		pf->errwhat = PIDFILE_E_NOTREG;
		return errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL, -1;
	}
	while (len < sizeof(buf)) {
		r = read(fd, buf + len, sizeof(buf) - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += r;
	}
	e = errno;
	close(fd);
	if (len < sizeof(buf) && r < 0)
		return errno = e, -1;
	if (len > PIDFILE_MAXSIZE) {
		memset(pf, 0, sizeof(*pf));
		pf->errwhat = PIDFILE_E_BIG;
		return errno = EINVAL, -1;
	}
	return pidfile_parse(buf, len, pf);
}

const char *
pidfile_status_name(enum pidfile_status s)
{
	static const char *const names[] = {
		"", "starting", "stopping", "ready", "standby", "other"
	};

	return (unsigned)s < 6 ? names[s] : "other";
}

int
pidfile_socklock_path(char *buf, size_t size, const char *sockdir,
    unsigned port)
{
	int n;

	n = snprintf(buf, size, "%s/.s.PGSQL.%u.lock", sockdir, port);
	if (n < 0 || (size_t)n >= size)
		return errno = ENAMETOOLONG, -1;
	return 0;
}
