/*
 * fddesc.c: one fd described from the kernel's records, reading only what
 * the caller asks for. Shared by fdls (a row) and fdclose (its report).
 */
#include <sys/socket.h>
#include <sys/xattr.h>

#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "lib.h"

/* Socket families the table does not hold: ask the socket itself. */
static void
sock_proto_name(int fddir, int fd, char *type, size_t size)
{
	char path[64], name[24];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d/%d", fddir, fd);
	n = getxattr(path, "system.sockprotoname", name, sizeof(name) - 1);
	if (n <= 0) {
		snprintf(type, size, "SOCK");
		return;
	}
	name[n] = '\0';
	/* "TCPv6" -> "TCP6" as in the TYPE column's other rows */
	if (n > 3 && !strcmp(name + n - 3, "v6"))
		memmove(name + n - 3, "6", 2);
	snprintf(type, size, "%s", name);
}

void
fd_desc_sock(struct fd_desc *d, const struct sock_info *s, int fddir)
{
	d->sock = s;
	if (s)
		snprintf(d->type, sizeof(d->type), "%s", sock_type_name(s));
	else
		sock_proto_name(fddir, d->fd, d->type, sizeof(d->type));
}

static void
anon_type(const char *sub, size_t len, char *type, size_t size)
{
	size_t i;

	if (len == 9 && !memcmp(sub, "eventpoll", 9))
		sub = "epoll", len = 5;
	if (len >= size)
		len = size - 1;
	for (i = 0; i < len; i++)
		type[i] = tolower((unsigned char)sub[i]);
	type[len] = '\0';
}

static void
classify(int fddir, const struct sock_table *tab, unsigned want,
    struct fd_desc *d)
{
	const char *sub;
	size_t sublen;

	d->kind = fd_link_type(d->link, &d->ino, &sub, &sublen);
	switch (d->kind) {
	case FD_SOCK:
		/* No table: the caller resolves it (fd_desc_sock). */
		if (tab && (want & FDD_SOCK))
			fd_desc_sock(d, sock_find(tab, d->ino), fddir);
		else
			snprintf(d->type, sizeof(d->type), "SOCK");
		break;
	case FD_ANON:
		anon_type(sub, sublen, d->type, sizeof(d->type));
		break;
	default:
		snprintf(d->type, sizeof(d->type), "%s", fd_type_name(d->kind));
	}
}

int
fd_describe(int piddir, int fddir, int fd, unsigned want,
    const struct sock_table *tab, struct fd_desc *d)
{
	ssize_t n;

	d->fd = fd;
	d->has_mode = d->has_stat = d->has_info = d->deleted = 0;
	d->sock = NULL;
	n = fd_link(fddir, fd, d->link, sizeof(d->link));
	if (n < 0)
		return -1;
	d->linklen = n;
	classify(fddir, tab, want, d);
	if (d->link[0] == '/') {
		d->deleted = fd_link_deleted(d->link, &d->linklen);
		if ((want & FDD_STAT) && fd_stat(fddir, fd, &d->st) == 0) {
			d->has_stat = 1;
			d->kind = d->st.type;
			d->ino = d->st.ino;
			snprintf(d->type, sizeof(d->type), "%s",
			    fd_type_name(d->kind));
			/* " (deleted)" may be part of a real name: trust nlink */
			if (d->deleted && d->st.nlink > 0 && d->kind == FD_REG)
				d->deleted = 0, d->linklen = n;
		}
	}
	if ((want & FDD_MODE) && fd_mode(fddir, fd, &d->mode) == 0)
		d->has_mode = 1;
	if ((want & FDD_INFO) && fdinfo_read(piddir, fd, &d->info) == 0)
		d->has_info = 1;
	return 0;
}

static size_t
inet_name(const struct sock_info *s, char *buf, size_t size)
{
	size_t n;
	int r;

	n = sock_addr_fmt(&s->local, buf, size);
	if (s->remote.port && n + 2 < size) {
		memcpy(buf + n, "->", 2);
		n += 2;
		n += sock_addr_fmt(&s->remote, buf + n, size - n);
	}
	r = snprintf(buf + n, size - n, " (%s", sock_state_name(s->proto,
	    s->state));
	if (r > 0 && (size_t)r < size - n)
		n += r;
	if (s->sendq && s->state != 10 &&
	    (r = snprintf(buf + n, size - n, " sendq=%u", s->sendq)) > 0 &&
	    (size_t)r < size - n)
		n += r;
	if (s->recvq && s->state != 10 &&
	    (r = snprintf(buf + n, size - n, " recvq=%u", s->recvq)) > 0 &&
	    (size_t)r < size - n)
		n += r;
	if (n + 1 < size)
		buf[n++] = ')';
	buf[n] = '\0';
	return n;
}

size_t
fd_desc_name(const struct fd_desc *d, char *buf, size_t size)
{
	const struct sock_info *s = d->sock;
	int r;

	if (s && s->family != AF_UNIX)
		return inet_name(s, buf, size);
	if (s)
		r = snprintf(buf, size, "%s (%s)", s->path ? s->path :
		    d->link, sock_state_name(0, s->state));
	else
		r = snprintf(buf, size, "%.*s%s", (int)d->linklen, d->link,
		    d->deleted ? " (deleted)" : "");
	return r < 0 ? 0 : (size_t)r < size ? (size_t)r : size - 1;
}
