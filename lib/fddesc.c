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

/* stpcpy for the few bytes here (a call to libc's costs more) */
static char *
copy(char *p, const char *s)
{
	while ((*p = *s++) != '\0')
		p++;
	return p;
}

/* Socket families the table does not hold: ask the socket itself. */
static void
sock_proto_name(int fddir, int fd, char *type, size_t size)
{
	char path[64], name[24];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d/%d", fddir, fd);
	n = getxattr(path, "system.sockprotoname", name, sizeof(name) - 1);
	if (n <= 0) {
		strcpy(type, "SOCK");
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
		d->type = sock_type_name(s);
	else {
		sock_proto_name(fddir, d->fd, d->typebuf, sizeof(d->typebuf));
		d->type = d->typebuf;
	}
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

void
fd_desc_kind(struct fd_desc *d)
{
	const char *sub;
	size_t sublen;
	uint64_t ino;

	d->kind = fd_link_type(d->link, &ino, &sub, &sublen);
	d->ino = ino;
	if (d->has_stat && d->link[0] == '/') {	/* others keep the link's */
		d->kind = d->st.type;
		d->ino = d->st.ino;
	} else if (d->has_stat && d->ino == 0)
		d->ino = d->st.ino;	/* anon: the shared inode, or pidfs' */
	d->type = d->typebuf;
	if (d->kind == FD_ANON)
		anon_type(sub, sublen, d->typebuf, sizeof(d->typebuf));
	else
		d->type = fd_type_name(d->kind);
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
	if (d->link[0] == '/') {
		d->deleted = fd_link_deleted(d->link, &d->linklen);
		if ((want & FDD_STAT) && fd_stat(fddir, fd, &d->st) == 0) {
			d->has_stat = 1;
			/* " (deleted)" may be part of a real name: trust nlink */
			if (d->deleted && d->st.nlink > 0 && d->st.type == FD_REG)
				d->deleted = 0, d->linklen = n;
		}
	} else if ((want & FDD_DEV) && fd_stat(fddir, fd, &d->st) == 0)
		d->has_stat = 1;	/* the device of sockfs, pipefs, ... */
	fd_desc_kind(d);
	/* No table: the caller resolves it (fd_desc_sock). */
	if (d->kind == FD_SOCK && tab && (want & FDD_SOCK))
		fd_desc_sock(d, sock_find(tab, d->ino), fddir);
	if ((want & FDD_MODE) && fd_mode(fddir, fd, &d->mode) == 0)
		d->has_mode = 1;
	if ((want & FDD_INFO) && fdinfo_read(piddir, fd, &d->info) == 0)
		d->has_info = 1;
	return 0;
}

/* Appends len bytes of s at buf + *n, cut to size, NUL-terminated. */
static void
cat(char *buf, size_t size, size_t *n, const char *s, size_t len)
{
	if (len > size - 1 - *n)
		len = size - 1 - *n;
	memcpy(buf + *n, s, len);
	buf[*n += len] = '\0';
}

static void
cats(char *buf, size_t size, size_t *n, const char *s)
{
	cat(buf, size, n, s, strlen(s));
}

/* " sendq=N" when N is not 0 */
static char *
queue(char *p, const char *what, uint32_t q)
{
	if (q == 0)
		return p;
	p = copy(p, what);
	return p + out_ufmt(p, q);
}

/*
 * Kept descriptions. A socket or pipe link is not stored: its inode makes
 * it again. The first number packs the flags: has_mode, has_stat,
 * has_info, deleted, the link form (0 text, 1 socket, 2 pipe), the mode.
 */
enum { LINK_TEXT, LINK_SOCK, LINK_PIPE };

static size_t
synth_link(char *buf, int form, uint64_t ino)
{
	size_t n = form == LINK_SOCK ? 7 : 5;

	memcpy(buf, form == LINK_SOCK ? "socket:[" : "pipe:[", n + 1);
	n += 1 + out_ufmt(buf + n + 1, ino);
	buf[n++] = ']';
	buf[n] = '\0';
	return n;
}

/* Endpoints and state: at most 2 * 56 + 60 bytes, made whole, then cut. */
static size_t
inet_name(const struct sock_info *s, char *buf, size_t size)
{
	char t[200], *p = t;
	size_t n = 0;

	p += sock_addr_fmt(&s->local, p, 60);
	if (s->remote.port) {
		p = copy(p, "->");
		p += sock_addr_fmt(&s->remote, p, 60);
	}
	p = copy(copy(p, " ("), sock_state_name(s->proto, s->state));
	if (s->state != 10)
		p = queue(queue(p, " sendq=", s->sendq), " recvq=", s->recvq);
	*p++ = ')';
	cat(buf, size, &n, t, p - t);
	return n;
}

size_t
fd_desc_name(const struct fd_desc *d, char *buf, size_t size)
{
	const struct sock_info *s = d->sock;
	const char *link = d->link;
	size_t n = 0, len = d->linklen;
	char t[32];

	if (s && s->family != AF_UNIX)
		return inet_name(s, buf, size);
	/* fd_desc_get leaves "socket:[N]" and "pipe:[N]" to be made here */
	if (len == 0 && (d->kind == FD_SOCK || d->kind == FD_FIFO)) {
		len = synth_link(t, d->kind == FD_SOCK ? LINK_SOCK : LINK_PIPE,
		    d->ino);
		link = t;
	}
	if (s) {
		cats(buf, size, &n, s->path ? s->path : link);
		cat(buf, size, &n, " (", 2);
		cats(buf, size, &n, sock_state_name(0, s->state));
		cat(buf, size, &n, ")", 1);
	} else {
		cat(buf, size, &n, link, len);
		if (d->deleted)
			cats(buf, size, &n, " (deleted)");
	}
	return n;
}

void
fd_desc_put(struct out_log *l, const struct fd_desc *d)
{
	int form = d->has_stat ? LINK_TEXT : d->kind == FD_SOCK ? LINK_SOCK :
	    d->kind == FD_FIFO ? LINK_PIPE : LINK_TEXT;
	const char *digits = d->link + (form == LINK_SOCK ? 8 : 6);

	/*
	 * fd_link_type read "socket:[N]" or "pipe:[N]": made again exactly
	 * unless N had leading zeros or more digits than a uint64_t holds.
	 */
	if (form != LINK_TEXT && ((digits[0] == '0' && digits[1] != ']') ||
	    (size_t)(d->link + d->linklen - digits) > 20))
		form = LINK_TEXT;
	out_log_num(l, d->has_mode | d->has_stat << 1 | d->has_info << 2 |
	    d->deleted << 3 | form << 4 | (d->mode & 3) << 6);
	out_log_num(l, d->fd);
	if (form == LINK_TEXT)
		out_log_text(l, d->link, d->linklen);
	else
		out_log_num(l, d->ino);
	if (d->has_stat) {
		out_log_num(l, d->st.type);
		out_log_num(l, d->st.size);
		out_log_num(l, d->st.ino);
		out_log_num(l, d->st.major);
		out_log_num(l, d->st.minor);
		if (d->st.type == FD_CHR || d->st.type == FD_BLK) {
			out_log_num(l, d->st.rmajor);
			out_log_num(l, d->st.rminor);
		}
	}
	if (d->has_info) {
		out_log_num(l, d->info.pos);
		out_log_num(l, d->info.flags);
		out_log_num(l, d->info.mnt_id + 1);
	}
}

void
fd_desc_get(const struct out_log *l, struct out_logrd *r, struct fd_desc *d)
{
	unsigned f = out_logrd_num(l, r), form = f >> 4 & 3;
	const char *t;

	d->has_mode = f & 1;
	d->has_stat = f >> 1 & 1;
	d->has_info = f >> 2 & 1;
	d->deleted = f >> 3 & 1;
	d->mode = f >> 6 & 3;
	d->fd = out_logrd_num(l, r);
	d->sock = NULL;
	if (form == LINK_TEXT) {
		t = out_logrd_text(l, r, &d->linklen);
		memcpy(d->link, t, d->linklen + 1);
	} else {
		d->ino = out_logrd_num(l, r);
		d->link[0] = '\0';	/* made by fd_desc_name when needed */
		d->linklen = 0;
	}
	if (d->has_stat) {
		d->st.type = out_logrd_num(l, r);
		d->st.size = out_logrd_num(l, r);
		d->st.ino = out_logrd_num(l, r);
		d->st.major = out_logrd_num(l, r);
		d->st.minor = out_logrd_num(l, r);
		if (d->st.type == FD_CHR || d->st.type == FD_BLK) {
			d->st.rmajor = out_logrd_num(l, r);
			d->st.rminor = out_logrd_num(l, r);
		}
	}
	if (d->has_info) {
		d->info.pos = out_logrd_num(l, r);
		d->info.flags = out_logrd_num(l, r);
		d->info.mnt_id = (int)out_logrd_num(l, r) - 1;
	}
	if (form == LINK_TEXT)
		fd_desc_kind(d);
	else {
		d->kind = form == LINK_SOCK ? FD_SOCK : FD_FIFO;
		d->type = fd_type_name(d->kind);
	}
}
