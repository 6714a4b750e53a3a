/*
 * Unit tests of what fdls keeps between reading and printing: the log
 * (out_log), fd descriptions kept in it, out_sort, and the socket
 * address text that replaced inet_ntop.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"
#include "t.h"

static void
test_log(void)
{
	static struct out_log l;
	static struct out_logrd r;
	const char *t;
	size_t n;

	T_BEGIN("out_log: numbers and texts come back, texts share prefixes");
	out_log_num(&l, 0);
	out_log_num(&l, 127);
	out_log_num(&l, 128);
	out_log_num(&l, UINT64_MAX);
	out_log_text(&l, "/tmp/dir/file1", 14);
	out_log_text(&l, "/tmp/dir/file2", 14);
	out_log_text(&l, "", 0);
	out_log_text(&l, "/x", 2);
	/* The second path costs its two length bytes and one byte more. */
	CHECK(l.len == 1 + 1 + 2 + 10 + 2 + 14 + 2 + 1 + 2 + 2 + 2);
	CHECK(out_logrd_num(&l, &r) == 0);
	CHECK(out_logrd_num(&l, &r) == 127);
	CHECK(out_logrd_num(&l, &r) == 128);
	CHECK(out_logrd_num(&l, &r) == UINT64_MAX);
	t = out_logrd_text(&l, &r, &n);
	CHECK(n == 14 && !strcmp(t, "/tmp/dir/file1"));
	t = out_logrd_text(&l, &r, &n);
	CHECK(n == 14 && !strcmp(t, "/tmp/dir/file2"));
	t = out_logrd_text(&l, &r, &n);
	CHECK(n == 0 && !strcmp(t, ""));
	t = out_logrd_text(&l, &r, &n);
	CHECK(n == 2 && !strcmp(t, "/x"));
	CHECK(r.at == l.len);
	free(l.buf);
	T_END();
}

static void
put_get(struct out_log *l, struct fd_desc *in, const char *link)
{
	in->linklen = strlen(link);
	memcpy(in->link, link, in->linklen + 1);
	fd_desc_kind(in);
	fd_desc_put(l, in);
}

static void
test_desc(void)
{
	static struct out_log l;
	static struct out_logrd r;
	static struct fd_desc d, e, f;
	char buf[64];

	T_BEGIN("fd_desc_put/get: sockets, pipes, paths and anon inodes");
	memset(&d, 0, sizeof(d));
	d.fd = 7;
	d.has_mode = 1, d.mode = 3;
	put_get(&l, &d, "socket:[123456]");
	CHECK(l.len <= 6);
	d.fd = 8, d.mode = 1;
	put_get(&l, &d, "pipe:[99]");
	/* Leading zeros are not the kernel's: kept as text. */
	d.fd = 9;
	put_get(&l, &d, "socket:[0042]");
	d.fd = 12;
	put_get(&l, &d, "pipe:[99999999999999999999]");
	d.fd = 13;
	put_get(&l, &d, "socket:[0]");
	d.fd = 10, d.has_mode = 0, d.has_stat = 1, d.has_info = 1;
	d.deleted = 1;
	d.st.type = FD_REG, d.st.size = 1ull << 40, d.st.ino = 77;
	d.st.major = 8, d.st.minor = 1;
	d.info.pos = 5, d.info.flags = 02004002, d.info.mnt_id = -1;
	put_get(&l, &d, "/var/log/x.log");
	d.linklen = 6;	/* a deleted path: the rest is " (deleted)" */
	fd_desc_put(&l, &d);
	d.fd = 11, d.has_stat = d.has_info = d.deleted = 0;
	put_get(&l, &d, "anon_inode:[eventfd]");
	/* stat'd (-o DEV): a device node's rdev; others keep link kind */
	memset(&d.st, 0, sizeof(d.st));
	d.fd = 14, d.has_stat = 1;
	d.st.type = FD_CHR, d.st.ino = 3, d.st.major = 0, d.st.minor = 6;
	d.st.rmajor = 1, d.st.rminor = 3;
	put_get(&l, &d, "/dev/null");
	d.fd = 15, d.st.type = FD_SOCK, d.st.ino = 555, d.st.minor = 9;
	put_get(&l, &d, "socket:[555]");
	d.fd = 16, d.st.type = FD_OTHER, d.st.ino = 1038, d.st.minor = 16;
	put_get(&l, &d, "anon_inode:[eventpoll]");

	fd_desc_get(&l, &r, &e);
	CHECK(e.fd == 7 && e.kind == FD_SOCK && e.ino == 123456 &&
	    e.has_mode && e.mode == 3 && !strcmp(e.type, "SOCK") &&
	    e.sock == NULL && fd_desc_name(&e, buf, sizeof(buf)) == 15 &&
	    !strcmp(buf, "socket:[123456]"));
	fd_desc_get(&l, &r, &e);
	CHECK(e.fd == 8 && e.kind == FD_FIFO && e.ino == 99 && e.mode == 1 &&
	    fd_desc_name(&e, buf, sizeof(buf)) == 9 &&
	    !strcmp(buf, "pipe:[99]") && !strcmp(e.type, "FIFO"));
	fd_desc_get(&l, &r, &e);
	CHECK(e.fd == 9 && !strcmp(e.link, "socket:[0042]") && e.ino == 42);
	fd_desc_get(&l, &r, &e);
	CHECK(e.fd == 12 && !strcmp(e.link, "pipe:[99999999999999999999]"));
	fd_desc_get(&l, &r, &e);
	CHECK(e.fd == 13 && e.ino == 0 && e.kind == FD_SOCK &&
	    fd_desc_name(&e, buf, sizeof(buf)) == 10 &&
	    !strcmp(buf, "socket:[0]"));
	fd_desc_get(&l, &r, &e);
	CHECK(e.fd == 10 && e.has_stat && e.has_info && e.deleted &&
	    !e.has_mode && e.kind == FD_REG && e.ino == 77 &&
	    e.st.size == 1ull << 40 && e.st.major == 8 && e.st.minor == 1 &&
	    e.info.pos == 5 && e.info.flags == 02004002 &&
	    e.info.mnt_id == -1 && !strcmp(e.type, "REG") &&
	    !strcmp(e.link, "/var/log/x.log"));
	fd_desc_get(&l, &r, &f);
	CHECK(f.linklen == 6 && !strcmp(f.link, "/var/l") && f.deleted);
	fd_desc_get(&l, &r, &e);
	CHECK(e.fd == 11 && e.kind == FD_ANON && !strcmp(e.type, "eventfd"));
	fd_desc_get(&l, &r, &e);
	CHECK(e.fd == 14 && e.kind == FD_CHR && e.st.rmajor == 1 &&
	    e.st.rminor == 3 && e.st.minor == 6 && e.ino == 3);
	fd_desc_get(&l, &r, &e);
	CHECK(e.fd == 15 && e.kind == FD_SOCK && e.ino == 555 &&
	    e.st.minor == 9 && !strcmp(e.link, "socket:[555]"));
	fd_desc_get(&l, &r, &e);
	CHECK(e.fd == 16 && e.kind == FD_ANON && !strcmp(e.type, "epoll") &&
	    e.ino == 1038 && e.st.minor == 16);
	CHECK(r.at == l.len);
	free(l.buf);
	T_END();
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static void
test_sort(void)
{
	uint64_t v[1000];
	size_t i, n;
	int ok = 1;

	T_BEGIN("out_sort: random, sorted, reversed, equal, 0 and 1 element");
	for (n = 0; n <= 1000; n = n ? n * 3 + 1 : 1) {
		for (i = 0; i < n; i++)
			v[i] = (uint64_t)rand() << 20 ^ rand();
		out_sort(v, n, u64_cmp);
		for (i = 1; i < n; i++)
			ok &= v[i - 1] <= v[i];
		out_sort(v, n, u64_cmp);
		for (i = 1; i < n; i++)
			ok &= v[i - 1] <= v[i];
		for (i = 0; i < n; i++)
			v[i] = n - i;
		out_sort(v, n, u64_cmp);
		for (i = 0; i < n; i++)
			ok &= v[i] == i + 1;
		for (i = 0; i < n; i++)
			v[i] = 5;
		out_sort(v, n, u64_cmp);
		for (i = 0; i < n; i++)
			ok &= v[i] == 5;
	}
	CHECK(ok);
	T_END();

	T_BEGIN("out_sort without cmp (uint64_t), out_u64_has");
	for (n = 0; n <= 1000; n = n ? n * 3 + 1 : 1) {
		for (i = 0; i < n; i++)
			v[i] = (uint64_t)rand() << 33 ^ rand();
		out_sort(v, n, NULL);
		for (i = 1; i < n; i++)
			ok &= v[i - 1] <= v[i];
		for (i = 0; i < n; i++)
			ok &= out_u64_has(v, n, v[i]) &&
			    (i + 1 < n && v[i + 1] == v[i] + 1 ?
			    1 : !out_u64_has(v, n, v[i] + 1));
	}
	CHECK(ok);
	CHECK(!out_u64_has(v, 0, 5));
	T_END();
}

static void
test_ufmt(void)
{
	uint64_t x[] = { 0, 9, 10, 99, 4294967295u, 4294967296u, UINT64_MAX,
	    1234567890 };
	char a[24], b[24];
	size_t i;
	int ok = 1;

	T_BEGIN("out_ufmt: as num_fmt, below and above 2^32");
	for (i = 0; i < sizeof(x) / sizeof(x[0]); i++) {
		a[out_ufmt(a, x[i])] = '\0';
		b[num_fmt(b, x[i])] = '\0';
		CHECK_STR(a, b);
	}
	for (i = 0; i < 100000; i++) {
		x[0] = (uint32_t)rand() * 7919u;
		a[out_ufmt(a, x[0])] = '\0';
		b[num_fmt(b, x[0])] = '\0';
		ok &= !strcmp(a, b);
	}
	CHECK(ok);
	T_END();
}

/*
 * Our text parses back to the address (inet_pton) and has no "::" left
 * out: a run of two or more zero groups always shortened.
 */
static int
v6_back(const uint8_t *a)
{
	struct sock_addr sa = { .family = AF_INET6, .port = 0 };
	char got[80], *end;
	uint8_t back[16];

	memcpy(sa.addr, a, 16);
	sock_addr_fmt(&sa, got, sizeof(got));
	if (got[0] == '*')
		return !memcmp(a, (uint8_t[16]){ 0 }, 16);
	end = strrchr(got, ']');
	*end = '\0';
	if (inet_pton(AF_INET6, got + 1, back) != 1 || memcmp(a, back, 16) ||
	    (strstr(got, ":0:0") && !strstr(got, "::"))) {
		printf("  v6: %s\n", got + 1);
		return 0;
	}
	return 1;
}

static void
test_v6(void)
{
	/* RFC 5952: the longest run, the first of equal ones (as glibc) */
	static const char *cases[][2] = {
		{ "::1", "::1" }, { "1::", "1::" }, { "1::2", "1::2" },
		{ "fe80::1:0:0:2", "fe80::1:0:0:2" },
		{ "1:0:0:2:0:0:0:3", "1:0:0:2::3" },
		{ "1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0" },
		{ "0:0:1:0:0:1:0:0", "::1:0:0:1:0:0" },
		{ "0:0:1::1:0:0", "::1:0:0:1:0:0" },
		{ "1:0:0:1:0:0:1:1", "1::1:0:0:1:1" },
		{ "::ffff:127.0.0.1", "::ffff:127.0.0.1" },
		{ "::ffff:0.0.0.0", "::ffff:0.0.0.0" },
		{ "2001:db8:85a3::8a2e:370:7334",
		    "2001:db8:85a3::8a2e:370:7334" },
		{ "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8" },
		{ "0:a:b:c:d:e:f:0", "0:a:b:c:d:e:f:0" },
		{ "::ffff:1:0", "::ffff:0.1.0.0" }, { "ffff::", "ffff::" },
		{ "ABCD:EF01::", "abcd:ef01::" }, { NULL, NULL }
	};
	struct sock_addr sa = { .family = AF_INET6, .port = 443 };
	uint8_t a[16];
	char buf[80], want[80];
	int i, j, ok = 1;

	T_BEGIN("sock_addr_fmt: IPv6 in the RFC 5952 form");
	for (i = 0; cases[i][0]; i++) {
		inet_pton(AF_INET6, cases[i][0], sa.addr);
		sock_addr_fmt(&sa, buf, sizeof(buf));
		snprintf(want, sizeof(want), "[%s]:443", cases[i][1]);
		CHECK_STR(buf, want);
	}
	for (i = 0; i < 20000; i++) {
		/* sparse words: runs of zeros of every length and place */
		for (j = 0; j < 16; j += 2) {
			a[j] = rand() % 3 ? 0 : rand();
			a[j + 1] = rand() % 3 ? 0 : rand();
		}
		if (i % 4 == 0)
			memcpy(a, "\0\0\0\0\0\0\0\0\0\0\377\377", 12);
		ok &= v6_back(a);
	}
	CHECK(ok);
	memset(sa.addr, 0, 16);
	sock_addr_fmt(&sa, buf, sizeof(buf));
	CHECK_STR(buf, "*:443");
	sa.family = AF_INET;
	memcpy(sa.addr, "\x0a\x00\xff\x01", 4);
	sa.port = 0;
	sock_addr_fmt(&sa, buf, sizeof(buf));
	CHECK_STR(buf, "10.0.255.1:*");
	sock_addr_fmt(&sa, buf, 5);
	CHECK_STR(buf, "10.0");
	T_END();
}

static void
test_names(void)
{
	char buf[256];

	T_BEGIN("fd_flags_fmt and sock_state_name: every name, cut to size");
	CHECK(fd_flags_fmt(037776000, buf, sizeof(buf)) == strlen(buf));
	CHECK_STR(buf, "append,nonblock,dsync,direct,largefile,directory,"
	    "nofollow,noatime,cloexec,sync,path,tmpfile");
	CHECK(fd_flags_fmt(02002002, buf, sizeof(buf)) == 14);
	CHECK_STR(buf, "append,cloexec");
	CHECK(fd_flags_fmt(02, buf, sizeof(buf)) == 0 && buf[0] == '\0');
	CHECK(fd_flags_fmt(02002002, buf, 10) == 6);
	CHECK_STR(buf, "append");
	CHECK_STR(sock_state_name(IPPROTO_TCP, 0), "UNKNOWN");
	CHECK_STR(sock_state_name(IPPROTO_TCP, 1), "ESTABLISHED");
	CHECK_STR(sock_state_name(IPPROTO_TCP, 10), "LISTEN");
	CHECK_STR(sock_state_name(IPPROTO_TCP, 12), "NEW_SYN_RECV");
	CHECK_STR(sock_state_name(IPPROTO_TCP, 13), "UNKNOWN");
	CHECK_STR(sock_state_name(IPPROTO_TCP, -1), "UNKNOWN");
	CHECK_STR(sock_state_name(0, 1), "CONNECTED");
	CHECK_STR(sock_state_name(IPPROTO_UDP, 7), "UNCONN");
	T_END();
}

int
main(void)
{
	test_names();
	test_log();
	test_desc();
	test_sort();
	test_ufmt();
	test_v6();
	T_EXIT();
}
