/*
 * fdclose_pgclient: a PostgreSQL client that sends a query with a big
 * result and then never reads, so that the backend blocks writing to it.
 * Usage: fdclose_pgclient PORT USER QUERY. Bounded by alarm(60).
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t
put32(char *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
	return 4;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	char buf[4096];
	size_t n = 0;
	int fd, small = 4096;

	if (argc != 4)
		return 2;
	alarm(60);
	a.sin_port = htons(atoi(argv[1]));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	if (connect(fd, (void *)&a, sizeof(a)) < 0)
		return 3;
	n = 4;
	n += put32(buf + n, 196608);		/* protocol 3.0 */
	n += sprintf(buf + n, "user") + 1;
	n += sprintf(buf + n, "%s", argv[2]) + 1;
	n += sprintf(buf + n, "database") + 1;
	n += sprintf(buf + n, "postgres") + 1;
	buf[n++] = '\0';
	put32(buf, n);
	buf[n++] = 'Q';
	n += put32(buf + n, 4 + strlen(argv[3]) + 1);
	n += sprintf(buf + n, "%s", argv[3]) + 1;
	if (write(fd, buf, n) != (ssize_t)n)
		return 4;
	printf("%d\n", getpid());
	fflush(stdout);
	pause();
	return 0;
}
