/*
 * sock.c: the sockets of one network namespace. NETLINK_SOCK_DIAG (3.3+)
 * dumps TCP, UDP and unix sockets with queues, state and unix peers; where
 * it is missing or the namespace cannot be entered, the process's own
 * /proc/PID/net/{tcp,tcp6,udp,udp6,unix} give the same minus unix peers.
 * A netlink socket answers for the namespace it was created in, so for a
 * process in another namespace (unshare -n) we setns there to create it.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include "lib.h"

/*
 * The table keeps each socket as a compact record (about 20 bytes where a
 * struct sock_info takes 96: a process may hold tens of thousands): ino,
 * family, proto, type, state, shutdown, sendq, recvq as varints and bytes;
 * then inet: local and remote address (4 or 16 bytes) and port; unix:
 * peer and path (new, or the offset of an equal earlier one: the accepted
 * sockets of one listener all carry its path).
 */
#define rec_varint out_vput
/* most are one byte: read those without a call */
#define rec_getv(p, v)	(*(p) < 0x80 ? (*(v) = *(p), (p) + 1) : out_vget(p, v))

static unsigned char *
rec_addr(unsigned char *p, const struct sock_addr *a)
{
	size_t n = a->family == AF_INET ? 4 : 16;

	memcpy(p, a->addr, n);
	p[n] = a->port >> 8;
	p[n + 1] = a->port;
	return p + n + 2;
}

/* Unix path: 0 none, 2*len (then the bytes and a NUL), or 2*offset+1. */
static unsigned char *
rec_path(struct sock_table *t, unsigned char *p, const char *path)
{
	size_t n;

	if (path == NULL)
		return rec_varint(p, 0);
	if (t->lastpath && !strcmp((char *)t->buf + t->lastpath, path))
		return rec_varint(p, t->lastpath * 2 + 1);
	n = strlen(path);
	p = rec_varint(p, n * 2);
	t->lastpath = p - t->buf;
	memcpy(p, path, n + 1);
	return p + n + 1;
}

/* Adds si (if the table keeps its inode); frees si->path. */
static void
table_put(struct sock_table *t, struct sock_info *si)
{
	size_t need = 80 + (si->path ? strlen(si->path) : 0);
	unsigned char *p;

	if (t->only && !out_u64_has(t->only, t->nonly, si->ino))
		goto out;
	if (t->len + need > t->cap) {
		t->cap = t->cap * 2 + need + 4096;
		t->buf = xrealloc(t->buf, t->cap);
	}
	if (t->len == 0)
		t->len = 1;	/* offset 0 means "none" in the index */
	p = rec_varint(t->buf + t->len, si->ino);
	memcpy(p, &si->family, 5);	/* family proto type state shutdown */
	p = rec_varint(p + 5, si->sendq);
	p = rec_varint(p, si->recvq);
	if (si->family == AF_UNIX)
		p = rec_path(t, rec_varint(p, si->peer), si->path);
	else
		p = rec_addr(rec_addr(p, &si->local), &si->remote);
	t->len = p - t->buf;
	t->n++;
out:
	free(si->path);
	si->path = NULL;
}

static const unsigned char *
get_addr(const unsigned char *p, int family, struct sock_addr *a)
{
	size_t n = family == AF_INET ? 4 : 16;

	a->family = family;
	memcpy(a->addr, p, n);
	a->port = p[n] << 8 | p[n + 1];
	return p + n + 2;
}

/* Decodes the record at p into si; returns the next record. */
static const unsigned char *
rec_get(const struct sock_table *t, const unsigned char *p,
    struct sock_info *si)
{
	uint64_t v;

	memset(si, 0, sizeof(*si));
	p = rec_getv(p, &si->ino);
	memcpy(&si->family, p, 5);
	p = rec_getv(p + 5, &v);
	si->sendq = v;
	p = rec_getv(p, &v);
	si->recvq = v;
	if (si->family != AF_UNIX)
		return get_addr(get_addr(p, si->family, &si->local),
		    si->family, &si->remote);
	p = rec_getv(p, &si->peer);
	p = rec_getv(p, &v);
	if (v & 1)
		si->path = (char *)t->buf + (v >> 1);
	else if (v)
		si->path = (char *)p, p += (v >> 1) + 1;
	return p;
}

static size_t
hash_ino(uint64_t ino, size_t cap)
{
	return (ino * 0x9e3779b97f4a7c15ull >> 20) & (cap - 1);
}

static void
table_index(struct sock_table *t)
{
	const unsigned char *p, *end = t->buf + t->len;
	uint64_t ino;
	size_t h;

	free(t->hash);
	for (t->hcap = 64; t->hcap < t->n + t->n / 2; t->hcap *= 2)
		;
	t->hash = xcalloc(t->hcap, sizeof(*t->hash));
	for (p = t->buf + 1; t->n && p < end; p = rec_get(t, p, &t->cur)) {
		rec_getv(p, &ino);
		for (h = hash_ino(ino, t->hcap); t->hash[h];
		    h = (h + 1) & (t->hcap - 1))
			;
		t->hash[h] = p - t->buf;
	}
}

/*
 * The answer is decoded into the table's own slot (not const there): it
 * stays valid until the next sock_find on the same table.
 */
const struct sock_info *
sock_find(const struct sock_table *t, uint64_t ino)
{
	struct sock_table *w = (struct sock_table *)t;
	uint64_t v;
	size_t h;

	if (t->hash == NULL || ino == 0)
		return NULL;
	for (h = hash_ino(ino, t->hcap); t->hash[h];
	    h = (h + 1) & (t->hcap - 1)) {
		rec_getv(t->buf + t->hash[h], &v);
		if (v == ino) {
			rec_get(t, t->buf + t->hash[h], &w->cur);
			return &w->cur;
		}
	}
	return NULL;
}

/* a's IPv4 address, a v4-mapped IPv6 one's too (::ffff:a.b.c.d); or NULL */
static const uint8_t *
addr_v4(const struct sock_addr *a)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (a->family == AF_INET)
		return a->addr;
	if (a->family == AF_INET6 && !memcmp(a->addr, mapped, 12))
		return a->addr + 12;
	return NULL;
}

/* The same endpoint: a dual-stack socket sees an IPv4 peer as mapped. */
static int
addr_eq(const struct sock_addr *a, const struct sock_addr *b)
{
	const uint8_t *x = addr_v4(a), *y = addr_v4(b);

	if (a->port != b->port)
		return 0;
	if (x && y)
		return !memcmp(x, y, 4);
	return a->family == b->family && !memcmp(a->addr, b->addr, 16);
}

const struct sock_info *
sock_find_reverse(const struct sock_table *t, const struct sock_info *s)
{
	struct sock_table *w = (struct sock_table *)t;
	const unsigned char *p, *end = t->buf + t->len;
	struct sock_info *r = &w->rev;

	if (s->family == AF_UNIX || s->remote.port == 0 || t->n == 0)
		return NULL;
	for (p = t->buf + 1; p < end; ) {
		p = rec_get(t, p, r);
		if (r->ino != s->ino && r->proto == s->proto &&
		    addr_eq(&r->local, &s->remote) &&
		    addr_eq(&r->remote, &s->local))
			return r;
	}
	return NULL;
}

void
sock_table_free(struct sock_table *t)
{
	free(t->buf);
	free(t->hash);
	memset(t, 0, sizeof(*t));
}

/* --- netlink replies --- */

static void
set_addr(struct sock_addr *a, int family, const __be32 *w, __be16 port)
{
	a->family = family;
	memcpy(a->addr, w, family == AF_INET ? 4 : 16);
	a->port = ntohs(port);
}

int
sock_nl_inet_parse(const void *msg, size_t len, int proto,
    struct sock_info *si)
{
	const struct inet_diag_msg *m = msg;
	const struct rtattr *a;
	int alen;	/* signed: RTA_NEXT may step past the end */

	if (len < sizeof(*m) || len > 65536 ||
	    (m->idiag_family != AF_INET && m->idiag_family != AF_INET6))
		return errno = EINVAL, -1;
	memset(si, 0, sizeof(*si));
	si->ino = m->idiag_inode;
	si->family = m->idiag_family;
	si->proto = proto;
	si->type = proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	si->state = m->idiag_state;
	si->recvq = m->idiag_rqueue;
	si->sendq = m->idiag_wqueue;
	si->uid = m->idiag_uid;
	si->cookie = (uint64_t)m->id.idiag_cookie[1] << 32 | m->id.idiag_cookie[0];
	set_addr(&si->local, m->idiag_family, m->id.idiag_src, m->id.idiag_sport);
	set_addr(&si->remote, m->idiag_family, m->id.idiag_dst, m->id.idiag_dport);
	alen = (int)len - (int)NLMSG_ALIGN(sizeof(*m));
	for (a = (const void *)((const char *)m + NLMSG_ALIGN(sizeof(*m)));
	    RTA_OK(a, alen); a = RTA_NEXT(a, alen))
		if (a->rta_type == INET_DIAG_SHUTDOWN &&
		    RTA_PAYLOAD(a) >= 1)
			si->shutdown = *(const uint8_t *)RTA_DATA(a);
	return 0;
}

static void
unix_name(struct sock_info *si, const char *p, size_t n)
{
	char *s;

	if (n == 0)
		return;
	/* Abstract names start with a NUL; shown as "@name" (ss, lsof). */
	s = xmalloc(n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	if (s[0] == '\0')
		s[0] = '@';
	else
		n = strnlen(s, n), s[n] = '\0';
	si->path = s;
}

int
sock_nl_unix_parse(const void *msg, size_t len, struct sock_info *si)
{
	const struct unix_diag_msg *m = msg;
	const struct unix_diag_rqlen *q;
	const struct rtattr *a;
	int alen;	/* signed: RTA_NEXT may step past the end */

	if (len < sizeof(*m) || len > 65536 || m->udiag_family != AF_UNIX)
		return errno = EINVAL, -1;
	memset(si, 0, sizeof(*si));
	si->ino = m->udiag_ino;
	si->family = AF_UNIX;
	si->type = m->udiag_type;
	si->state = m->udiag_state;
	si->cookie = (uint64_t)m->udiag_cookie[1] << 32 | m->udiag_cookie[0];
	alen = (int)len - (int)NLMSG_ALIGN(sizeof(*m));
	for (a = (const void *)((const char *)m + NLMSG_ALIGN(sizeof(*m)));
	    RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
		if (a->rta_type == UNIX_DIAG_NAME && si->path == NULL)
			unix_name(si, RTA_DATA(a), RTA_PAYLOAD(a));
		else if (a->rta_type == UNIX_DIAG_PEER && RTA_PAYLOAD(a) >= 4)
			si->peer = *(const uint32_t *)RTA_DATA(a);
		else if (a->rta_type == UNIX_DIAG_RQLEN &&
		    RTA_PAYLOAD(a) >= sizeof(*q)) {
			q = RTA_DATA(a);
			si->recvq = q->udiag_rqueue;
			si->sendq = q->udiag_wqueue;
		} else if (a->rta_type == UNIX_DIAG_SHUTDOWN &&
		    RTA_PAYLOAD(a) >= 1)
			si->shutdown = *(const uint8_t *)RTA_DATA(a);
	}
	return 0;
}

static char nlbuf[65536] __attribute__((aligned(8)));

static int
nl_add(struct sock_table *t, const struct nlmsghdr *h, int proto)
{
	struct sock_info si;
	size_t len = h->nlmsg_len - NLMSG_LENGTH(0);
	int r;

	r = proto ? sock_nl_inet_parse(NLMSG_DATA(h), len, proto, &si) :
	    sock_nl_unix_parse(NLMSG_DATA(h), len, &si);
	if (r == 0)
		table_put(t, &si);
	return 0;
}

/* One SOCK_DIAG_BY_FAMILY request; proto 0 means the unix request. */
static int
nl_query(int nl, const void *req, size_t reqlen, int proto,
    struct sock_table *t, int dump)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr	 h;
		char		 body[64];
	} r;
	const struct nlmsghdr *h;
	ssize_t n;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(reqlen);
	r.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	r.h.nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0);
	memcpy(r.body, req, reqlen);
	if (sendto(nl, &r, r.h.nlmsg_len, 0, (void *)&sa, sizeof(sa)) < 0)
		return -1;
	for (;;) {
		n = recv(nl, nlbuf, sizeof(nlbuf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : (errno = EPROTO, -1);
		for (h = (void *)nlbuf; NLMSG_OK(h, (size_t)n);
		    h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				return errno = -e->error, -1;
			}
			nl_add(t, h, proto);
			if (!dump)
				return 0;
		}
	}
}

static int
nl_inet(int nl, int family, int proto, struct sock_table *t)
{
	struct inet_diag_req_v2 req;

	memset(&req, 0, sizeof(req));
	req.sdiag_family = family;
	req.sdiag_protocol = proto;
	/*
	 * TIME_WAIT (6) and NEW_SYN_RECV (12) are minisocks without an inode:
	 * no process holds one, and a busy server has tens of thousands.
	 */
	req.idiag_states = ~(1u << 6 | 1u << 12);
	return nl_query(nl, &req, sizeof(req), proto, t, 1);
}

static int
nl_unix(int nl, struct sock_table *t, unsigned kinds)
{
	struct unix_diag_req req;

	memset(&req, 0, sizeof(req));
	req.sdiag_family = AF_UNIX;
	req.udiag_states = ~0u;
	/* Peers and queues cost the kernel as much again as the rest. */
	req.udiag_show = UDIAG_SHOW_NAME | (kinds & SOCK_K_UNIXQ ?
	    UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN : 0);
	return nl_query(nl, &req, sizeof(req), 0, t, 1);
}

/*
 * Each dump walks every socket of its protocol (the TCPv6 one walks the
 * IPv4 sockets too): once every inode asked for is found, but for the
 * slack the caller looks up itself, the rest are not needed.
 */
static int
nl_load(int nl, struct sock_table *t, unsigned kinds)
{
	static const unsigned char q[][3] = {
		{ SOCK_K_UNIX, AF_UNIX, 0 },
		{ SOCK_K_TCP, AF_INET, IPPROTO_TCP },
		{ SOCK_K_UDP, AF_INET, IPPROTO_UDP },
		{ SOCK_K_TCP, AF_INET6, IPPROTO_TCP },
		{ SOCK_K_UDP, AF_INET6, IPPROTO_UDP },
	};
	size_t i;

	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		if (t->only && t->n + t->slack >= t->nonly)
			break;
		if (!(kinds & q[i][0]))
			continue;
		if ((q[i][1] == AF_UNIX ? nl_unix(nl, t, kinds) :
		    nl_inet(nl, q[i][1], q[i][2], t)) < 0)
			return -1;
	}
	return 0;
}

/*
 * A sock_diag socket in the namespace of the process at piddir: ours when
 * it is the same namespace, else made there with setns (CAP_SYS_ADMIN).
 */
static int
nl_open(int piddir, struct sock_table *t)
{
	struct stat self, them;
	int own, ns, nl;

	/* No ns/net: the process has just exited, which is no fallback. */
	if (fd_statat(AT_FDCWD, "/proc/self/ns/net", &self, 0) < 0 ||
	    fd_statat(piddir, "ns/net", &them, 0) < 0)
		return errno == ENOENT ? (errno = ESRCH, -1) : -1;
	if (t)
		t->netns = them.st_ino;
	if (self.st_ino == them.st_ino && self.st_dev == them.st_dev)
		return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
		    NETLINK_SOCK_DIAG);
	own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ns = openat(piddir, "ns/net", O_RDONLY | O_CLOEXEC);
	nl = -1;
	if (own >= 0 && ns >= 0 && setns(ns, CLONE_NEWNET) == 0) {
		nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
		    NETLINK_SOCK_DIAG);
		if (setns(own, CLONE_NEWNET) < 0) {
			/* Cannot return home: refuse rather than mislead. */
			if (nl >= 0)
				close(nl);
			nl = -1;
		}
	}
	if (own >= 0)
		close(own);
	if (ns >= 0)
		close(ns);
	return nl;
}

/* --- /proc/PID/net fallback --- */

static const char *
hexfield(const char *p, uint64_t *v, int maxdigits)
{
	uint64_t n = 0;
	int d = 0;
	unsigned c;

	for (;; p++, d++) {
		if (*p >= '0' && *p <= '9')
			c = *p - '0';
		else if (*p >= 'A' && *p <= 'F')
			c = *p - 'A' + 10;
		else if (*p >= 'a' && *p <= 'f')
			c = *p - 'a' + 10;
		else
			break;
		if (d >= maxdigits)
			return NULL;
		n = n << 4 | c;
	}
	*v = n;
	return d ? p : NULL;
}

/* "0100007F:1F90": each 32-bit word printed in host order. */
static const char *
proc_addr(const char *p, int family, struct sock_addr *a)
{
	int words = family == AF_INET ? 1 : 4, i;
	uint32_t w;
	uint64_t v;

	a->family = family;
	for (i = 0; i < words; i++) {
		char word[9];

		if (strnlen(p, 8) < 8)
			return NULL;
		memcpy(word, p, 8);
		word[8] = '\0';
		if (hexfield(word, &v, 8) != word + 8)
			return NULL;
		w = v;
		memcpy(a->addr + 4 * i, &w, 4);
		p += 8;
	}
	if (*p != ':' || (p = hexfield(p + 1, &v, 4)) == NULL)
		return NULL;
	a->port = v;
	return p;
}

static const char *
skip_blank(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

static const char *
decfield(const char *p, uint64_t *v)
{
	uint64_t n = 0;
	const char *s = p;

	for (; *p >= '0' && *p <= '9' && p - s < 20; p++)
		n = n * 10 + (*p - '0');
	*v = n;
	return p == s || (*p != ' ' && *p != '\0' && *p != '\n') ? NULL : p;
}

int
sock_proc_inet_parse(const char *line, int family, int proto,
    struct sock_info *si)
{
	const char *p = skip_blank(line);
	uint64_t v, tx, rx;

	memset(si, 0, sizeof(*si));
	si->family = family;
	si->proto = proto;
	si->type = proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	if ((p = strchr(p, ':')) == NULL || p[1] != ' ')
		return errno = EINVAL, -1;
	if ((p = proc_addr(skip_blank(p + 1), family, &si->local)) == NULL ||
	    *p != ' ' ||
	    (p = proc_addr(p + 1, family, &si->remote)) == NULL || *p != ' ' ||
	    (p = hexfield(p + 1, &v, 2)) == NULL || *p != ' ')
		return errno = EINVAL, -1;
	si->state = v;
	if ((p = hexfield(p + 1, &tx, 8)) == NULL || *p != ':' ||
	    (p = hexfield(p + 1, &rx, 8)) == NULL)
		return errno = EINVAL, -1;
	si->sendq = tx;
	si->recvq = rx;
	/* tr:tm->when, retrnsmt, uid, timeout, inode */
	if ((p = strchr(skip_blank(p), ' ')) == NULL ||
	    (p = strchr(skip_blank(p), ' ')) == NULL ||
	    (p = decfield(skip_blank(p), &v)) == NULL)
		return errno = EINVAL, -1;
	si->uid = v;
	if ((p = strchr(skip_blank(p), ' ')) == NULL ||
	    decfield(skip_blank(p), &si->ino) == NULL)
		return errno = EINVAL, -1;
	return 0;
}

int
sock_proc_unix_parse(const char *line, struct sock_info *si)
{
	uint64_t v[5];
	const char *p = line, *end;
	int i;

	memset(si, 0, sizeof(*si));
	si->family = AF_UNIX;
	/* "Num: RefCount Protocol Flags Type St Inode Path" */
	if ((p = strchr(p, ':')) == NULL)
		return errno = EINVAL, -1;
	for (p++, i = 0; i < 5; i++)
		if ((p = hexfield(skip_blank(p), &v[i], 8)) == NULL || *p != ' ')
			return errno = EINVAL, -1;
	if ((p = decfield(skip_blank(p), &si->ino)) == NULL)
		return errno = EINVAL, -1;
	si->type = v[3];
	si->state = v[2] & 0x10000 ? 10 : v[4] == 3 ? 1 : v[4] == 2 ? 2 : 7;
	if (*p == ' ') {
		end = strchr(++p, '\n');
		if (end == NULL)
			end = p + strlen(p);
		if (end > p)
			si->path = xstrndup(p, end - p);
	}
	return 0;
}

static void
proc_file(int piddir, const char *name, int family, int proto,
    struct sock_table *t)
{
	struct sock_info si;
	char *buf, *line, *nl;

	buf = proc_read_all(piddir, name, NULL);
	if (buf == NULL)
		return;
	line = strchr(buf, '\n');	/* skip the header */
	for (; line && line[1]; line = nl) {
		line++;
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if ((proto ? sock_proc_inet_parse(line, family, proto, &si) :
		    sock_proc_unix_parse(line, &si)) == 0)
			table_put(t, &si);
		if (nl == NULL)
			break;
		*nl = '\n';
	}
	free(buf);
}

static int
proc_load(int piddir, struct sock_table *t, unsigned kinds)
{
	if (kinds & SOCK_K_TCP) {
		proc_file(piddir, "net/tcp", AF_INET, IPPROTO_TCP, t);
		proc_file(piddir, "net/tcp6", AF_INET6, IPPROTO_TCP, t);
	}
	if (kinds & SOCK_K_UDP) {
		proc_file(piddir, "net/udp", AF_INET, IPPROTO_UDP, t);
		proc_file(piddir, "net/udp6", AF_INET6, IPPROTO_UDP, t);
	}
	if (kinds & SOCK_K_UNIX)
		proc_file(piddir, "net/unix", 0, 0, t);
	return 0;
}

int
sock_table_load_set(struct sock_table *t, int piddir, unsigned kinds,
    const uint64_t *inos, size_t n, size_t slack)
{
	int nl, r, e;

	memset(t, 0, sizeof(*t));
	t->only = inos;
	t->nonly = n;
	t->slack = slack;
	nl = nl_open(piddir, t);
	e = errno;
	if (nl >= 0) {
		r = nl_load(nl, t, kinds);
		e = errno;
		close(nl);
		if (r == 0) {
			t->source = SOCK_SRC_NETLINK;
			table_index(t);
			return 0;
		}
		sock_table_free(t);
		t->only = inos;
		t->nonly = n;
	}
	/*
	 * sock_diag missing, not refused (setns): no such netlink protocol
	 * (EPROTONOSUPPORT, before 3.3), or ENOENT for a family without a
	 * diag handler (its module absent or not loadable).
	 */
	if (e != EPERM && e != EACCES && e != ESRCH)
		fallback_note(FB_SOCKDIAG, e);
	t->source = SOCK_SRC_PROC;
	proc_load(piddir, t, kinds);
	table_index(t);
	return 0;
}

int
sock_table_load(struct sock_table *t, int piddir, unsigned kinds)
{
	return sock_table_load_set(t, piddir, kinds, NULL, 0, 0);
}

int
sock_nl_open(int piddir)
{
	return nl_open(piddir, NULL);
}

/* Sends one exact-match request and adds the answer if it is ino. */
static int
nl_one(int nl, const void *req, size_t len, int proto, uint64_t ino,
    struct sock_table *t)
{
	const uint64_t *only = t->only;
	size_t nonly = t->nonly, n = t->n;
	int r;

	t->only = &ino;
	t->nonly = 1;
	r = nl_query(nl, req, len, proto, t, 0);
	t->only = only;
	t->nonly = nonly;
	if (r == 0 && t->n == n)
		r = -1, errno = ENOENT;
	return r;
}

static int
sock_name(int fd, int peer, int family, struct inet_diag_sockid *id)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	const struct sockaddr_in *in = (void *)&ss;
	const struct sockaddr_in6 *in6 = (void *)&ss;
	int r;

	memset(&ss, 0, sizeof(ss));
	r = peer ? getpeername(fd, (void *)&ss, &len) :
	    getsockname(fd, (void *)&ss, &len);
	if (r < 0)
		return peer && errno == ENOTCONN ? 0 : -1;
	if (family == AF_INET) {
		memcpy(peer ? id->idiag_dst : id->idiag_src, &in->sin_addr, 4);
		*(peer ? &id->idiag_dport : &id->idiag_sport) = in->sin_port;
	} else {
		memcpy(peer ? id->idiag_dst : id->idiag_src, &in6->sin6_addr, 16);
		*(peer ? &id->idiag_dport : &id->idiag_sport) = in6->sin6_port;
	}
	return 0;
}

/*
 * udp_diag looks an exact request up as an arriving packet would
 * (udp_dump_one: __udp4_lib_lookup(src, sport, dst, dport)): from the
 * peer, in src, to the socket's own address, in dst. TCP's is the other
 * way round.
 */
static void
udp_swap(struct inet_diag_sockid *id)
{
	uint32_t a[4];
	uint16_t port = id->idiag_sport;

	memcpy(a, id->idiag_src, sizeof(a));
	memcpy(id->idiag_src, id->idiag_dst, sizeof(a));
	memcpy(id->idiag_dst, a, sizeof(a));
	id->idiag_sport = id->idiag_dport;
	id->idiag_dport = port;
}

static int
add_inet(struct sock_table *t, int nl, uint64_t ino, int fd)
{
	struct inet_diag_req_v2 req;
	socklen_t len = sizeof(int);
	int family, proto;

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family, &len) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) < 0)
		return -1;
	if ((family != AF_INET && family != AF_INET6) ||
	    (proto != IPPROTO_TCP && proto != IPPROTO_UDP))
		return errno = EAFNOSUPPORT, -1;
	memset(&req, 0, sizeof(req));
	req.sdiag_family = family;
	req.sdiag_protocol = proto;
	req.idiag_states = ~0u;
	req.id.idiag_cookie[0] = req.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (sock_name(fd, 0, family, &req.id) < 0 ||
	    sock_name(fd, 1, family, &req.id) < 0)
		return -1;
	if (proto == IPPROTO_UDP)
		udp_swap(&req.id);
	return nl_one(nl, &req, sizeof(req), proto, ino, t);
}

int
sock_table_add_one(struct sock_table *t, int nl, uint64_t ino, int dupfd)
{
	struct unix_diag_req req;
	socklen_t len = sizeof(int);
	int family = -1;

	if (dupfd >= 0 && getsockopt(dupfd, SOL_SOCKET, SO_DOMAIN, &family,
	    &len) == 0 && family != AF_UNIX) {
		if (add_inet(t, nl, ino, dupfd) < 0)
			return -1;
	} else {
		memset(&req, 0, sizeof(req));
		req.sdiag_family = AF_UNIX;
		req.udiag_ino = ino;
		req.udiag_states = ~0u;
		req.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER |
		    UDIAG_SHOW_RQLEN;
		req.udiag_cookie[0] = req.udiag_cookie[1] = INET_DIAG_NOCOOKIE;
		if (nl_one(nl, &req, sizeof(req), 0, ino, t) < 0)
			return -1;
	}
	table_index(t);
	return 0;
}

/* --- names --- */

const char *
sock_state_name(int proto, int state)
{
	static const char tcp[] =
		"UNKNOWN\0ESTABLISHED\0SYN_SENT\0SYN_RECV\0FIN_WAIT1\0"
		"FIN_WAIT2\0TIME_WAIT\0CLOSE\0CLOSE_WAIT\0LAST_ACK\0"
		"LISTEN\0CLOSING\0NEW_SYN_RECV";
	const char *p = tcp;

	if (proto != IPPROTO_TCP) {
		/* UDP and unix sockets borrow the TCP numbers. */
		switch (state) {
		case 1: return proto ? "ESTABLISHED" : "CONNECTED";
		case 2: return "CONNECTING";
		case 7: return "UNCONN";
		case 10: return "LISTEN";
		}
		return "UNKNOWN";
	}
	if (state < 0 || state > 12)
		return tcp;
	while (state--)
		p += strlen(p) + 1;
	return p;
}

const char *
sock_type_name(const struct sock_info *s)
{
	if (s->family == AF_UNIX)
		return "UNIX";
	if (s->proto == IPPROTO_TCP)
		return s->family == AF_INET6 ? "TCP6" : "TCP";
	return s->family == AF_INET6 ? "UDP6" : "UDP";
}

/*
 * inet_ntop's form (RFC 5952): hex groups, the longest run of two or more
 * zero groups as "::" (the first of equals), ::ffff:a.b.c.d for mapped
 * IPv4.
 */
static char *
v6_fmt(char *p, const uint8_t *a)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	int i, n = memcmp(a, mapped, 12) ? 8 : 6, best = -1, len = 1, run = 0;
	unsigned w;

	for (i = 0; i < n; i++) {
		run = a[2 * i] | a[2 * i + 1] ? 0 : run + 1;
		if (run > len)
			len = run, best = i - run + 1;
	}
	for (i = 0; i < n; i++) {
		if (i == best) {
			*p++ = ':', *p++ = ':';
			i += len - 1;
			continue;
		}
		if (i && i != best + len)
			*p++ = ':';
		w = a[2 * i] << 8 | a[2 * i + 1];
		for (run = 12; run > 0 && !(w >> run); run -= 4)
			;
		for (; run >= 0; run -= 4)
			*p++ = "0123456789abcdef"[w >> run & 15];
	}
	for (i = 12; n == 6 && i < 16; i++) {
		*p++ = i == 12 ? ':' : '.';
		p += out_ufmt(p, a[i]);
	}
	return p;
}

size_t
sock_addr_fmt(const struct sock_addr *a, char *buf, size_t size)
{
	static const uint8_t zero[16];
	char t[INET6_ADDRSTRLEN + 16], *p = t;
	size_t n;
	int i;

	if (!memcmp(a->addr, zero, a->family == AF_INET ? 4 : 16))
		*p++ = '*';
	else if (a->family == AF_INET)
		for (i = 0; i < 4; i++) {
			p += out_ufmt(p, a->addr[i]);
			*p++ = '.';
		}
	else {
		*p++ = '[';
		p = v6_fmt(p, a->addr);
		*p++ = ']';
	}
	if (p[-1] == '.')
		p--;
	*p++ = ':';
	if (a->port)
		p += out_ufmt(p, a->port);
	else
		*p++ = '*';
	n = (size_t)(p - t) < size ? (size_t)(p - t) : size - 1;
	memcpy(buf, t, n);
	buf[n] = '\0';
	return n;
}
