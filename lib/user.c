/*
 * user.c: uid/gid <-> name, straight from /etc/passwd and /etc/group (no
 * NSS: a static binary on a rescue shell has none). Missing files mean
 * numeric ids, not errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

struct idname {
	uint32_t	 id;
	char		*name;
};
struct iddb {
	const char	*path;
	int		 loaded;
	struct idname	*v;
	size_t		 n;
};

static struct iddb users = { "/etc/passwd", 0, NULL, 0 };
static struct iddb groups = { "/etc/group", 0, NULL, 0 };

int
user_line_parse(const char *line, size_t len, const char **name,
    size_t *namelen, uint32_t *id)
{
	const char *c1, *c2, *c3, *end = line + len;
	uint64_t v = 0;
	const char *p;

	c1 = memchr(line, ':', len);
	if (c1 == NULL || c1 == line)
		return errno = EINVAL, -1;
	c2 = memchr(c1 + 1, ':', end - c1 - 1);
	if (c2 == NULL)
		return errno = EINVAL, -1;
	c3 = memchr(c2 + 1, ':', end - c2 - 1);
	if (c3 == NULL)
		c3 = end;
	if (c3 == c2 + 1 || c3 - c2 > 11)
		return errno = EINVAL, -1;
	for (p = c2 + 1; p < c3; p++) {
		if (*p < '0' || *p > '9')
			return errno = EINVAL, -1;
		v = v * 10 + (*p - '0');
	}
	if (v > UINT32_MAX)
		return errno = ERANGE, -1;
	*name = line;
	*namelen = c1 - line;
	*id = v;
	return 0;
}

static void
db_add(struct iddb *db, const char *line, size_t len, size_t *cap)
{
	const char *name;
	size_t nlen;
	uint32_t id;

	if (user_line_parse(line, len, &name, &nlen, &id) < 0)
		return;
	if (db->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		db->v = xrealloc(db->v, *cap * sizeof(*db->v));
	}
	db->v[db->n].id = id;
	db->v[db->n].name = xstrndup(name, nlen);
	db->n++;
}

static void
db_load(struct iddb *db)
{
	char *buf, *p, *nl;
	size_t len, cap = 0;

	if (db->loaded)
		return;
	db->loaded = 1;
	buf = proc_read_all(AT_FDCWD, db->path, &len);
	if (buf == NULL)
		return;
	for (p = buf; p < buf + len; p = nl + 1) {
		nl = memchr(p, '\n', buf + len - p);
		if (nl == NULL)
			nl = buf + len;
		if (p[0] != '#' && p[0] != '+' && p[0] != '-')
			db_add(db, p, nl - p, &cap);
	}
	free(buf);
}

static const char *
db_name(struct iddb *db, uint32_t id)
{
	size_t i;

	db_load(db);
	for (i = 0; i < db->n; i++)
		if (db->v[i].id == id)
			return db->v[i].name;
	return NULL;
}

static int
db_parse(struct iddb *db, const char *s, uint32_t *id)
{
	uint64_t v;
	size_t i;

	if (num_u64(s, &v) == 0) {
		if (v > UINT32_MAX - 1)
			return errno = ERANGE, -1;
		*id = v;
		return 0;
	}
	db_load(db);
	for (i = 0; i < db->n; i++) {
		if (strcmp(db->v[i].name, s) == 0) {
			*id = db->v[i].id;
			return 0;
		}
	}
	return errno = ENOENT, -1;
}

const char *
user_name(uid_t uid)
{
	return db_name(&users, uid);
}

const char *
group_name(gid_t gid)
{
	return db_name(&groups, gid);
}

int
user_parse(const char *s, uid_t *uid)
{
	uint32_t id;

	if (db_parse(&users, s, &id) < 0)
		return -1;
	*uid = id;
	return 0;
}

int
group_parse(const char *s, gid_t *gid)
{
	uint32_t id;

	if (db_parse(&groups, s, &id) < 0)
		return -1;
	*gid = id;
	return 0;
}
