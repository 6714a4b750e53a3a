/*
 * destroy.c: SOCK_DESTROY (sock_diag, what `ss -K` uses) of exactly one
 * TCP or UDP socket, chosen by inode and sent with the kernel's cookie, from
 * inside the network namespace of the process that holds it. The kernel
 * rejects a stale cookie with ESTALE (sock_diag_check_cookie), so a socket
 * replaced between the dump and the request is never hit.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

#ifndef SOCK_DESTROY
#define SOCK_DESTROY	21
#endif

struct req {
	struct nlmsghdr		 nh;
	struct inet_diag_req_v2	 r;
};

static char dbuf[32768] __attribute__((aligned(8)));

/* The netlink socket is bound to the namespace it was created in. */
static int
nl_open_in(int piddir)
{
	struct stat self, them;
	int own, ns, nl = -1;

	if (stat("/proc/self/ns/net", &self) < 0 ||
	    fstatat(piddir, "ns/net", &them, 0) < 0)
		return -1;
	if (self.st_ino == them.st_ino && self.st_dev == them.st_dev)
		return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
		    NETLINK_SOCK_DIAG);
	own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ns = openat(piddir, "ns/net", O_RDONLY | O_CLOEXEC);
	if (own >= 0 && ns >= 0 && setns(ns, CLONE_NEWNET) == 0) {
		nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
		    NETLINK_SOCK_DIAG);
		if (setns(own, CLONE_NEWNET) < 0 && nl >= 0) {
			close(nl);
			nl = -1;
			errno = EPERM;
		}
	}
	if (own >= 0)
		close(own);
	if (ns >= 0)
		close(ns);
	return nl;
}

static int
nl_send(int nl, int type, int flags, int family, int proto,
    const struct inet_diag_sockid *id)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct req q;

	memset(&q, 0, sizeof(q));
	q.nh.nlmsg_len = sizeof(q);
	q.nh.nlmsg_type = type;
	q.nh.nlmsg_flags = NLM_F_REQUEST | flags;
	q.nh.nlmsg_seq = type;
	q.r.sdiag_family = family;
	q.r.sdiag_protocol = proto;
	q.r.idiag_states = ~0u;
	if (id)
		q.r.id = *id;
	return sendto(nl, &q, sizeof(q), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) < 0 ? -1 : 0;
}

/* Dumps one family/protocol; 1 and *id when ino is found, 0 if not. */
static int
find(int nl, int family, int proto, uint64_t ino, struct inet_diag_sockid *id)
{
	const struct inet_diag_msg *m;
	const struct nlmsgerr *e;
	struct nlmsghdr *h;
	int found = 0, n;

	if (nl_send(nl, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, family, proto, NULL))
		return -1;
	for (;;) {
		if ((n = recv(nl, dbuf, sizeof(dbuf), 0)) < 0)
			return -1;
		for (h = (struct nlmsghdr *)dbuf; NLMSG_OK(h, (unsigned)n);
		    h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return found;
			if (h->nlmsg_type == NLMSG_ERROR) {
				e = NLMSG_DATA(h);
				errno = -e->error;
				return errno ? -1 : found;
			}
			m = NLMSG_DATA(h);
			if (!found && m->idiag_inode == ino) {
				*id = m->id;
				found = 1;
			}
		}
	}
}

static int
ack(int nl)
{
	struct nlmsghdr *h;
	int n;

	if ((n = recv(nl, dbuf, sizeof(dbuf), 0)) < 0)
		return -1;
	h = (struct nlmsghdr *)dbuf;
	if (!NLMSG_OK(h, (unsigned)n) || h->nlmsg_type != NLMSG_ERROR) {
		errno = EPROTO;
		return -1;
	}
	errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
	return errno ? -1 : 0;
}

/*
 * No SOCK_DESTROY here (when yes): the dump failed for want of a TCP/UDP
 * diag handler (module absent: ENOENT; before 3.3 no sock_diag at all),
 * or the request was not understood: noted for -v, then EOPNOTSUPP.
 */
static int
unsupported(int yes, int e)
{
	if (!yes)
		return e;
	fallback_note(FB_DESTROY, e);
	return EOPNOTSUPP;
}

int
destroy_sock(int piddir, uint64_t ino, int *protop)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	static const int protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	struct inet_diag_sockid id;
	int nl, i, r = 0, e;

	if ((nl = nl_open_in(piddir)) < 0) {
		errno = unsupported(errno == EPROTONOSUPPORT, errno);
		return -1;
	}
	for (i = 0; i < 4 && r == 0; i++)
		r = find(nl, fams[i & 1], protos[i >> 1], ino, &id);
	e = errno;
	if (r == 1) {
		i--;
		*protop = protos[i >> 1];
		r = nl_send(nl, SOCK_DESTROY, NLM_F_ACK, fams[i & 1],
		    protos[i >> 1], &id);
		if (r == 0)
			r = ack(nl);
		/* Before 4.5 sock_diag answers an unknown type EINVAL. */
		e = r < 0 && (errno == EINVAL || errno == EOPNOTSUPP) ?
		    unsupported(1, errno) : errno;
	} else if (r == 0) {
		e = ENOENT;	/* not TCP/UDP, or not in that namespace */
		r = -1;
	} else
		e = unsupported(e == ENOENT || e == EINVAL || e == EOPNOTSUPP,
		    e);
	close(nl);
	errno = e;
	return r;
}
