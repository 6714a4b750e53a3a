/*
 * maps.c: /proc/PID/maps rows (proc(5)): "start-end perms offset
 * major:minor inode   path". SysV segments map as "/SYSV<8 hex> (deleted)"
 * with the shmid in the inode column.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"

static const char *
hexnum(const char *p, const char *end, uint64_t *v)
{
	uint64_t n = 0;
	const char *s = p;
	unsigned d;

	for (; p < end; p++) {
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (p - s >= 16)
			return NULL;
		n = n << 4 | d;
	}
	*v = n;
	return p == s ? NULL : p;
}

static const char *
decnum(const char *p, const char *end, uint64_t *v)
{
	uint64_t n = 0;
	const char *s = p;

	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (p - s >= 20)
			return NULL;
		n = n * 10 + (*p - '0');
	}
	*v = n;
	return p == s ? NULL : p;
}

static void
path_part(const char *p, const char *end, struct maps_entry *m)
{
	static const char del[] = " (deleted)";
	const size_t dl = sizeof(del) - 1;
	uint64_t key;

	while (p < end && *p == ' ')
		p++;
	m->path = p;
	m->pathlen = end - p;
	if (m->pathlen > dl && !memcmp(end - dl, del, dl)) {
		m->deleted = 1;
		m->pathlen -= dl;
	}
	if (m->pathlen == 13 && !memcmp(p, "/SYSV", 5) &&
	    hexnum(p + 5, p + 13, &key) == p + 13) {
		m->sysv = 1;
		m->sysv_key = key;
	}
}

int
maps_line_parse(const char *line, size_t len, struct maps_entry *m)
{
	const char *p = line, *end = line + len;
	uint64_t maj, min;

	memset(m, 0, sizeof(*m));
	if ((p = hexnum(p, end, &m->start)) == NULL || p >= end || *p++ != '-')
		return errno = EINVAL, -1;
	if ((p = hexnum(p, end, &m->end)) == NULL || end - p < 6 || *p++ != ' ')
		return errno = EINVAL, -1;
	memcpy(m->perms, p, 4);
	p += 4;
	if (p >= end || *p++ != ' ' || (p = hexnum(p, end, &m->offset)) == NULL)
		return errno = EINVAL, -1;
	if (p >= end || *p++ != ' ' || (p = hexnum(p, end, &maj)) == NULL ||
	    p >= end || *p++ != ':' || (p = hexnum(p, end, &min)) == NULL)
		return errno = EINVAL, -1;
	if (p >= end || *p++ != ' ' || (p = decnum(p, end, &m->ino)) == NULL)
		return errno = EINVAL, -1;
	if (p < end && *p != ' ')
		return errno = EINVAL, -1;
	m->major = maj;
	m->minor = min;
	path_part(p, end, m);
	return 0;
}

int
maps_foreach(int piddir, int (*cb)(const struct maps_entry *, void *),
    void *arg)
{
	struct maps_entry m;
	char *buf, *p, *nl;
	size_t len;

	buf = proc_read_all(piddir, "maps", &len);
	if (buf == NULL)
		return -1;
	for (p = buf; p < buf + len; p = nl + 1) {
		nl = memchr(p, '\n', buf + len - p);
		if (nl == NULL)
			nl = buf + len;
		if (maps_line_parse(p, nl - p, &m) == 0 && cb(&m, arg))
			break;
	}
	free(buf);
	return 0;
}
