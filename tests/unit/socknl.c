/*
 * Unit tests of the sock_diag reply parsers over replies a 6.x kernel
 * sent (tests/fixtures/sock: one message each, without its nlmsghdr,
 * decoded independently when captured) and hand-made broken ones.
 */
#include <sys/socket.h>

#include <linux/inet_diag.h>
#include <linux/rtnetlink.h>
#include <linux/unix_diag.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>

#include "lib.h"
#include "t.h"

/* A fixture in malloc'd (so aligned) memory; *len its size. */
static void *
reply(const char *name, size_t *len)
{
	char path[256];
	char *s;

	snprintf(path, sizeof(path), "%s/tests/fixtures/sock/%s",
	    getenv("TOP") ? getenv("TOP") : ".", name);
	if ((s = proc_read_all(-100, path, len)) == NULL) {
		printf("  cannot read fixture %s\n", path);
		*len = 0;
		return xcalloc(1, 256);
	}
	return s;
}

static void
test_inet(void)
{
	static const unsigned char lo6[16] = { [15] = 1 };
	struct sock_info si;
	size_t len;
	char *m;

	T_BEGIN("sock_nl_inet_parse: a TCP listener on 127.0.0.1:15432");
	m = reply("inet.tcp-listen", &len);
	CHECK(len == 108 && sock_nl_inet_parse(m, len, IPPROTO_TCP, &si) == 0);
	CHECK(si.family == AF_INET && si.state == 10 && si.ino == 834409);
	CHECK(si.local.port == 15432 && si.remote.port == 0);
	CHECK(!memcmp(si.local.addr, "\x7f\0\0\1", 4));
	CHECK(si.recvq == 0 && si.sendq == 7);	/* accept queue, backlog */
	CHECK(si.type == SOCK_STREAM && si.shutdown == 0);
	free(m);
	T_END();

	T_BEGIN("sock_nl_inet_parse: TCP6 established, 10 bytes unread");
	m = reply("inet.tcp6-recvq", &len);
	CHECK(sock_nl_inet_parse(m, len, IPPROTO_TCP, &si) == 0);
	CHECK(si.family == AF_INET6 && si.state == 1 && si.ino == 834412);
	CHECK(si.local.port == 15433 && si.remote.port == 37254);
	CHECK(!memcmp(si.local.addr, lo6, 16) && !memcmp(si.remote.addr, lo6,
	    16));
	CHECK(si.recvq == 10 && si.sendq == 0);
	free(m);
	T_END();

	T_BEGIN("sock_nl_inet_parse: short, foreign or overrunning replies");
	m = reply("inet.tcp-listen", &len);
	CHECK(sock_nl_inet_parse(m, sizeof(struct inet_diag_msg) - 1,
	    IPPROTO_TCP, &si) < 0 && errno == EINVAL);
	m[0] = AF_UNIX;
	CHECK(sock_nl_inet_parse(m, len, IPPROTO_TCP, &si) < 0);
	m[0] = AF_INET;
	/* the first attribute claims more than the reply holds */
	((struct rtattr *)(m + NLMSG_ALIGN(sizeof(struct inet_diag_msg))))->
	    rta_len = 4000;
	CHECK(sock_nl_inet_parse(m, len, IPPROTO_TCP, &si) == 0 &&
	    si.ino == 834409);
	free(m);
	T_END();
}

static void
test_unix(void)
{
	struct sock_info si;
	size_t len;
	char *m;

	T_BEGIN("sock_nl_unix_parse: a socketpair end: peer and 3 unread");
	m = reply("unix.pair-recvq", &len);
	CHECK(len == 44 && sock_nl_unix_parse(m, len, &si) == 0);
	CHECK(si.family == AF_UNIX && si.type == SOCK_STREAM && si.state == 1);
	CHECK(si.ino == 834419 && si.peer == 834418 && si.path == NULL);
	CHECK(si.recvq == 3 && si.sendq == 0);
	free(m);
	T_END();

	T_BEGIN("sock_nl_unix_parse: a named listener");
	m = reply("unix.listen-named", &len);
	CHECK(sock_nl_unix_parse(m, len, &si) == 0);
	CHECK(si.ino == 834420 && si.state == 10 && si.peer == 0);
	CHECK_STR(si.path, "/tmp/cap/sock");
	CHECK(si.sendq == 5);		/* its backlog */
	free(si.path);
	/* an abstract name starts with a NUL: "@name" */
	m[NLMSG_ALIGN(sizeof(struct unix_diag_msg)) + 4] = '\0';
	CHECK(sock_nl_unix_parse(m, len, &si) == 0);
	CHECK_STR(si.path, "@tmp/cap/sock");
	free(si.path);
	CHECK(sock_nl_unix_parse(m, sizeof(struct unix_diag_msg) - 1, &si) < 0);
	m[0] = AF_INET;
	CHECK(sock_nl_unix_parse(m, len, &si) < 0 && errno == EINVAL);
	free(m);
	T_END();
}

int
main(void)
{
	test_inet();
	test_unix();
	T_EXIT();
}
