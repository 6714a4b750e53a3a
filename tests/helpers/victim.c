/*
 * victim: a process that holds a known set of fds for the fdls tests, the
 * bench and the demo, then waits to be killed.
 *   victim DIR READY          the fixed layout below, described in READY
 *   victim -n N DIR READY     N mixed fds (files, deleted files, pipes,
 *                             unix pairs, loopback TCP, 1/4 with unread
 *                             bytes, /dev/null) for the bench
 */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <err.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
at(int fd, int want)
{
	if (fd < 0)
		err(1, "open for fd %d", want);
	if (fd != want) {
		if (dup2(fd, want) < 0)
			err(1, "dup2");
		close(fd);
	}
}

static int
listener(struct sockaddr_in *sa)
{
	socklen_t len = sizeof(*sa);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (void *)sa, sizeof(*sa)) < 0 || listen(s, 4096) < 0 ||
	    getsockname(s, (void *)sa, &len) < 0)
		err(1, "listen");
	return s;
}

/* A TCP listener on [::1] at fd; its port, or 0 without IPv6. */
static int
listener6(int fd)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	socklen_t len = sizeof(sa);
	int s = socket(AF_INET6, SOCK_STREAM, 0);

	sa.sin6_addr = in6addr_loopback;
	if (s < 0 || bind(s, (void *)&sa, sizeof(sa)) < 0 || listen(s, 1) < 0 ||
	    getsockname(s, (void *)&sa, &len) < 0) {
		if (s >= 0)
			close(s);
		return 0;
	}
	at(s, fd);
	return ntohs(sa.sin6_port);
}

/* A connected loopback pair: *c the client, returns the server side. */
static int
tcp_pair(int l, const struct sockaddr_in *sa, int *c)
{
	int s;

	*c = socket(AF_INET, SOCK_STREAM, 0);
	if (*c < 0 || connect(*c, (const void *)sa, sizeof(*sa)) < 0)
		err(1, "connect");
	if ((s = accept(l, NULL, NULL)) < 0)
		err(1, "accept");
	return s;
}

static void
fill(int fd)
{
	static char buf[65536];

	fcntl(fd, F_SETFL, O_NONBLOCK);
	while (write(fd, buf, sizeof(buf)) > 0)
		;
}

static int
file(const char *dir, const char *name, int flags, size_t size, int unlinkit)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, flags | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, size) < 0)
		err(1, "%s", path);
	if (unlinkit)
		unlink(path);
	return fd;
}

/* A UDP socket connected to 127.0.0.1:9 (connect sends nothing). */
static int
udp_to_discard(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(9);
	if (s < 0 || connect(s, (void *)&sa, sizeof(sa)) < 0)
		err(1, "udp");
	return s;
}

static char info[4500];

static void
fixed(const char *dir)
{
	struct sockaddr_in sa;
	struct sockaddr_un su = { .sun_family = AF_UNIX };
	int p[2], u[2], c, s, ep;
	pid_t child;

	at(file(dir, "reg", O_RDWR, 1000, 0), 3);
	lseek(3, 100, SEEK_SET);
	at(file(dir, "gone", O_WRONLY | O_APPEND, 4096, 1), 4);
	if (pipe(p) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, u) < 0)
		err(1, "pipe");
	at(p[0], 5), at(p[1], 6), at(u[0], 7), at(u[1], 8);
	at(listener(&sa), 9);
	s = tcp_pair(9, &sa, &c);
	at(c, 10), at(s, 11);
	if (write(10, "0123456789", 10) != 10)
		err(1, "write");
	s = tcp_pair(9, &sa, &c);
	at(c, 12), at(s, 13);
	fill(12);
	at(eventfd(0, EFD_CLOEXEC), 14);
	ep = epoll_create1(0);
	at(ep, 15);
	at(open("/dev/null", O_RDONLY), 16);
	at(open(dir, O_RDONLY | O_DIRECTORY), 17);
	snprintf(su.sun_path, sizeof(su.sun_path), "%s/sock", dir);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s < 0 || bind(s, (void *)&su, sizeof(su)) < 0 || listen(s, 1) < 0)
		err(1, "unix listen");
	at(s, 18);
	if (pipe(p) < 0)
		err(1, "pipe");
	if ((child = fork()) == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(p[0]);
		dup2(p[1], 3);
		for (c = 4; c < 64; c++)
			close(c);
		for (;;)
			pause();
	}
	close(p[1]);
	at(p[0], 19);
	/* Accepted unix sockets carry their listener's path. */
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (void *)&su, sizeof(su)) < 0)
		err(1, "unix connect");
	at(s, 20);
	at(accept(18, NULL, NULL), 21);
	at(socket(AF_NETLINK, SOCK_RAW, 0), 23);
	at(udp_to_discard(), 24);
	/* A gap: the fd walk must not stop at the first run of closed fds. */
	at(open("/dev/null", O_RDONLY), 100);
	snprintf(info, sizeof(info), "VPID=%d\nVCHILD=%d\nVPORT=%d\n"
	    "VPORT6=%d\n", (int)getpid(), (int)child, ntohs(sa.sin_port),
	    listener6(22));
}

/*
 * A socket of family af and type bound to loopback (a stream one
 * listening): 1, or 0 where the family is missing.
 */
static int
bound(int af, int type)
{
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	int s = socket(af, type, 0);

	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a6.sin6_addr = in6addr_loopback;
	if (s >= 0 && (af == AF_INET ? bind(s, (void *)&a4, sizeof(a4)) :
	    bind(s, (void *)&a6, sizeof(a6))) == 0 &&
	    (type != SOCK_STREAM || listen(s, 1) == 0))
		return 1;
	if (s >= 0)
		close(s);
	return 0;
}

static void
many(const char *dir, long n)
{
	struct sockaddr_in sa;
	struct rlimit rl;
	char name[32];
	int l, fds[2], c, s, made = 0, k;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if ((rlim_t)n + 32 > rl.rlim_cur)
		n = rl.rlim_cur - 32;
	l = listener(&sa);
	/* A family sock_diag does not list: fdls asks the socket itself. */
	if (socket(AF_NETLINK, SOCK_RAW, 0) >= 0)
		made++;
	/* A few of the families dumped last (UDP, IPv6), bound to loopback. */
	made += bound(AF_INET, SOCK_DGRAM) + bound(AF_INET6, SOCK_DGRAM) +
	    bound(AF_INET6, SOCK_STREAM);
	for (k = 0; made < n; k++) {
		snprintf(name, sizeof(name), "f%d", k);
		switch (k % 6) {
		case 0: file(dir, name, O_RDWR, k, 0); made++; break;
		case 1: file(dir, name, O_RDWR, k, 1); made++; break;
		case 2: if (pipe(fds) == 0) made += 2; break;
		case 3: if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0)
				made += 2;
			break;
		case 4: s = tcp_pair(l, &sa, &c);
			if (k % 24 == 4 && write(c, "queued", 6) != 6)
				err(1, "write");
			(void)s;
			made += 2;
			break;
		case 5: open("/dev/null", O_RDONLY); made++; break;
		}
	}
	snprintf(info, sizeof(info), "VPID=%d\nVFDS=%d\n", (int)getpid(),
	    made);
}

/* The READY file appears whole (rename), so a waiting test never reads half. */
static void
ready(const char *path)
{
	char tmp[4096];
	size_t len = strlen(info);
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, info, len) != (ssize_t)len || close(fd) < 0 ||
	    rename(tmp, path) < 0)
		err(1, "%s", path);
}

int
main(int argc, char **argv)
{
	long n = 0;
	int fd;

	if (argc == 5 && !strcmp(argv[1], "-n")) {
		n = atol(argv[2]);
		argv += 2, argc -= 2;
	}
	if (argc != 3)
		errx(2, "usage: victim [-n N] DIR READY");
	for (fd = 3; fd < 1024; fd++)
		close(fd);
	signal(SIGPIPE, SIG_IGN);
	if (n)
		many(argv[1], n);
	else
		fixed(argv[1]);
	ready(argv[2]);
	for (;;)
		pause();
}
