/*
 * mount.c: the file system of an open file, from procfs alone: fdinfo's
 * mnt_id looked up in /proc/PID/mountinfo (statfs of a file on a dead
 * NFS server would hang).
 */
#include <stdlib.h>
#include <string.h>

#include "lib.h"

/* The line of buf (len bytes) that begins with mount id, or NULL. */
static const char *
line_of(const char *buf, size_t len, int id, const char **eol)
{
	const char *p = buf, *end = buf + len, *nl;
	long v;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		for (v = 0; p < nl && *p >= '0' && *p <= '9' && v <= 1 << 30;
		    p++)
			v = v * 10 + (*p - '0');
		if (v == id && p < nl && *p == ' ') {
			*eol = nl;
			return p;
		}
	}
	return NULL;
}

int
mountinfo_type(const char *buf, size_t len, int mnt_id, char *type,
    size_t size)
{
	const char *p, *eol, *t, *te;

	if (mnt_id < 0 || size == 0 || (p = line_of(buf, len, mnt_id,
	    &eol)) == NULL)
		return -1;
	/* Fields 1-6, optional ones, then " - " (names escape spaces). */
	for (t = NULL; p + 3 <= eol; p++)
		if (p[0] == ' ' && p[1] == '-' && p[2] == ' ') {
			t = p + 3;
			break;
		}
	if (t == NULL)
		return -1;
	for (te = t; te < eol && *te != ' '; te++)
		if (*te < '!' || *te > '~')
			return -1;	/* a type is a printable word */
	if (te == t || (size_t)(te - t) >= size)
		return -1;
	memcpy(type, t, te - t);
	type[te - t] = '\0';
	return 0;
}

int
mount_type(int piddir, int mnt_id, char *type, size_t size)
{
	size_t len;
	char *buf;
	int r;

	if ((buf = proc_read_all(piddir, "mountinfo", &len)) == NULL)
		return -1;
	r = mountinfo_type(buf, len, mnt_id, type, size);
	free(buf);
	return r;
}

int
mount_type_remote(const char *type)
{
	static const char *const remote[] = { "nfs", "nfs4", "cifs", "smb3",
	    "smbfs", "ceph", "9p", "afs", "lustre", "coda", "ncpfs",
	    "glusterfs", "fuse", "fuseblk", "virtiofs", NULL };
	int i;

	if (strncmp(type, "fuse.", 5) == 0 || strncmp(type, "fuseblk.", 8) == 0)
		return 1;
	for (i = 0; remote[i]; i++)
		if (strcmp(type, remote[i]) == 0)
			return 1;
	return 0;
}
