/* Unit tests of lib's pure parsers over captured and hand-made records. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "lib.h"
#include "t.h"

static char *
fixture(const char *name)
{
	char path[256];
	char *s;

	snprintf(path, sizeof(path), "%s/tests/fixtures/proc/%s",
	    getenv("TOP") ? getenv("TOP") : ".", name);
	s = proc_read_all(-100, path, NULL);
	if (s == NULL)
		printf("  cannot read fixture %s\n", path);
	return s ? s : xstrdup("");
}

static void
test_cmdline(void)
{
	char b[32];

	T_BEGIN("proc_cmdline_parse: NULs become spaces, trailing ones go");
	memcpy(b, "/bin/sleep\0" "300\0", 15);
	CHECK(proc_cmdline_parse(b, 15, "sleep", sizeof(b)) == 14);
	CHECK_STR(b, "/bin/sleep 300");
	/* a PostgreSQL title: one string, padded with NULs */
	memcpy(b, "postgres: logger \0\0\0", 20);
	CHECK(proc_cmdline_parse(b, 20, "postgres", sizeof(b)) == 17);
	CHECK_STR(b, "postgres: logger ");
	T_END();

	T_BEGIN("proc_cmdline_parse: empty (kernel thread, zombie) is [comm]");
	CHECK(proc_cmdline_parse(b, 0, "kworker/0:1", sizeof(b)) == 13);
	CHECK_STR(b, "[kworker/0:1]");
	memset(b, 0, 4);
	CHECK(proc_cmdline_parse(b, 4, "x", sizeof(b)) == 3);
	CHECK_STR(b, "[x]");
	T_END();

	T_BEGIN("proc_cmdline_parse: never past size");
	memcpy(b, "abcdefgh", 8);
	CHECK(proc_cmdline_parse(b, 8, "x", 5) == 4);
	CHECK_STR(b, "abcd");
	CHECK(proc_cmdline_parse(b, 0, "a long comm", 5) == 4);
	CHECK_STR(b, "[a l");
	CHECK(proc_cmdline_parse(b, 3, "x", 0) == 0);
	T_END();
}

static void
test_stat(void)
{
	struct proc_stat st;
	char *s;

	T_BEGIN("proc_stat_parse: a real capture");
	s = fixture("stat.victim");
	CHECK(proc_stat_parse(s, &st) == 0);
	CHECK_STR(st.comm, "victim");
	CHECK(st.state == 'S' && st.pid > 0 && st.ppid > 0 && st.starttime > 0);
	free(s);
	T_END();

	T_BEGIN("proc_stat_parse: comm with ') (' ends at the last paren");
	s = fixture("stat.parens");
	CHECK(proc_stat_parse(s, &st) == 0);
	CHECK_STR(st.comm, "a) (b)");
	CHECK(st.state == 'S');
	free(s);
	T_END();

	T_BEGIN("proc_stat_parse: kernel thread flags");
	s = fixture("stat.kthread");
	CHECK(proc_stat_parse(s, &st) == 0 && (st.flags & PROC_PF_KTHREAD));
	free(s);
	T_END();

	T_BEGIN("proc_stat_parse: a 7-digit pid, negative fields");
	CHECK(proc_stat_parse("1234567 (x) R 1 2 3 0 -1 4194560 0 0 0 0 5 6 "
	    "0 0 20 -5 1 0 99 1000 -1 18446744073709551615", &st) == 0);
	CHECK(st.pid == 1234567 && st.nice == -5 && st.starttime == 99 &&
	    st.tpgid == -1);
	T_END();

	T_BEGIN("proc_stat_parse: rejects garbage and truncation");
	CHECK(proc_stat_parse("", &st) < 0);
	CHECK(proc_stat_parse("12 (x", &st) < 0);
	CHECK(proc_stat_parse("12 (x) S 1 2", &st) < 0);
	CHECK(proc_stat_parse("x (y) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 "
	    "17 18 19 20 21", &st) < 0);
	CHECK(proc_stat_parse("12 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 1x 16 "
	    "17 18 19 20 21", &st) < 0);
	T_END();
}

static void
test_status(void)
{
	struct proc_status ss;
	char *s;

	T_BEGIN("proc_status_parse: uids, signals, NSpid");
	s = fixture("status.victim");
	CHECK(proc_status_parse(s, &ss) == 0);
	CHECK(ss.state == 'S' && ss.tgid > 0 && ss.nspid_n >= 1);
	CHECK(ss.nspid[0] == ss.tgid);
	CHECK(ss.sigign & (1u << (13 - 1)));	/* SIGPIPE ignored */
	CHECK(ss.seccomp == 0);
	free(s);
	T_END();

	/*
	 * Hand-made in the 3.10 (RHEL 7) layout: no NSpid (4.1), no
	 * Seccomp_filters, NoNewPrivs or Umask; Seccomp is there (3.8).
	 */
	T_BEGIN("proc_status_parse: a 3.10 record (no NSpid)");
	s = fixture("status.3.10");
	CHECK(proc_status_parse(s, &ss) == 0);
	CHECK(ss.state == 'S' && ss.tgid == 2718 && ss.ppid == 1);
	CHECK(ss.uid[0] == 26 && ss.uid[1] == 26 && ss.nspid_n == 0);
	CHECK(ss.sigign & (1u << (13 - 1)));	/* SIGPIPE ignored */
	CHECK(ss.seccomp == 2);
	free(s);
	T_END();

	T_BEGIN("proc_status_parse: rejects a record without State/Tgid");
	CHECK(proc_status_parse("Name:\tx\n", &ss) < 0);
	CHECK(proc_status_parse("", &ss) < 0);
	T_END();
}

static void
test_fdinfo(void)
{
	struct fdinfo fi;
	char *s;

	T_BEGIN("fdinfo_parse: pos, octal flags, mnt_id, ino");
	s = fixture("fdinfo.append");
	CHECK(fdinfo_parse(s, &fi) == 0);
	CHECK((fi.flags & 02000) && fi.mnt_id > 0 && fi.ino > 0);
	free(s);
	s = fixture("fdinfo.epoll");
	CHECK(fdinfo_parse(s, &fi) == 0 && fi.pos == 0);
	free(s);
	CHECK(fdinfo_parse("pos:\t12\nflags:\t0100002\n", &fi) == 0);
	CHECK(fi.pos == 12 && fi.flags == 0100002 && fi.mnt_id == -1);
	CHECK(fdinfo_parse("pos:\t12\n", &fi) < 0);
	CHECK(fdinfo_parse("pos:\tx\nflags:\t0\n", &fi) < 0);
	CHECK(fdinfo_parse("pos:\t1\nflags:\t9\n", &fi) < 0);
	T_END();
}

static void
test_link(void)
{
	const char *sub;
	size_t sublen, len;
	uint64_t ino;

	T_BEGIN("fd_link_type: sockets, pipes, anon inodes, paths");
	CHECK(fd_link_type("socket:[123]", &ino, &sub, &sublen) == FD_SOCK &&
	    ino == 123);
	CHECK(fd_link_type("pipe:[9]", &ino, &sub, &sublen) == FD_FIFO);
	CHECK(fd_link_type("anon_inode:[eventfd]", &ino, &sub, &sublen) ==
	    FD_ANON && sublen == 7 && !memcmp(sub, "eventfd", 7));
	CHECK(fd_link_type("anon_inode:inotify", &ino, &sub, &sublen) ==
	    FD_ANON && sublen == 7);
	CHECK(fd_link_type("net:[4026531840]", &ino, &sub, &sublen) == FD_NSFS);
	CHECK(fd_link_type("/etc/passwd", &ino, &sub, &sublen) == FD_UNKNOWN);
	CHECK(fd_link_type("socket:[12", &ino, &sub, &sublen) == FD_OTHER);
	len = 19;
	CHECK(fd_link_deleted("/tmp/x (deleted)xyz", &len) == 0);
	len = 16;
	CHECK(fd_link_deleted("/tmp/x (deleted)", &len) == 1 && len == 6);
	T_END();
}

static void
test_maps(void)
{
	struct maps_entry m;
	const char *l;

	T_BEGIN("maps_line_parse: file, anonymous, SysV, deleted");
	l = "55d4c0a00000-55d4c0a02000 r--p 00000000 fe:01 1234   /usr/bin/x";
	CHECK(maps_line_parse(l, strlen(l), &m) == 0 && m.ino == 1234 &&
	    m.major == 0xfe && m.minor == 1 && m.pathlen == 10 && !m.deleted);
	l = "7f0000000000-7f0000001000 rw-p 00000000 00:00 0 ";
	CHECK(maps_line_parse(l, strlen(l), &m) == 0 && m.pathlen == 0);
	l = "7f1000000000-7f1000100000 rw-s 00000000 00:01 65541      "
	    "/SYSV0052e2c1 (deleted)";
	CHECK(maps_line_parse(l, strlen(l), &m) == 0 && m.sysv &&
	    m.sysv_key == 0x0052e2c1 && m.ino == 65541 && m.deleted);
	l = "7f2000000000-7f2000001000 rw-s 00000000 00:1a 77 /dev/shm/x (deleted)";
	CHECK(maps_line_parse(l, strlen(l), &m) == 0 && m.deleted &&
	    m.pathlen == 10 && !m.sysv);
	l = "7f2000000000 rw-s 00000000 00:1a 77";
	CHECK(maps_line_parse(l, strlen(l), &m) < 0);
	T_END();
}

static void
test_mountinfo(void)
{
	char *s = fixture("mountinfo.fuse"), t[32];
	const char *l;

	T_BEGIN("mountinfo_type: a real capture, optional fields, escapes");
	CHECK(mountinfo_type(s, strlen(s), 46, t, sizeof(t)) == 0 &&
	    !strcmp(t, "fuse.fusehang") && mount_type_remote(t));
	CHECK(mountinfo_type(s, strlen(s), 45, t, sizeof(t)) == 0 &&
	    !strcmp(t, "tracefs") && !mount_type_remote(t));
	CHECK(mountinfo_type(s, strlen(s), 4, t, sizeof(t)) < 0);
	CHECK(mountinfo_type(s, strlen(s), -1, t, sizeof(t)) < 0);
	/* Optional fields before " - ", a mount point with "\040-\040". */
	l = "31 1 0:25 / /mnt/a\\040-\\040b rw shared:9 master:2 - nfs4 "
	    "srv:/x rw\n318 31 0:26 / /n rw - ext4 /dev/sda1 rw\n";
	CHECK(mountinfo_type(l, strlen(l), 31, t, sizeof(t)) == 0 &&
	    !strcmp(t, "nfs4") && mount_type_remote(t));
	CHECK(mountinfo_type(l, strlen(l), 318, t, sizeof(t)) == 0 &&
	    !strcmp(t, "ext4"));
	/* "318" is not "31"; cut short, no separator, too long a type */
	CHECK(mountinfo_type(l, 20, 31, t, sizeof(t)) < 0);
	CHECK(mountinfo_type(l, strlen(l), 3, t, sizeof(t)) < 0);
	CHECK(mountinfo_type(l, strlen(l), 31, t, 4) < 0);
	l = "7 1 0:1 / / rw - \n";
	CHECK(mountinfo_type(l, strlen(l), 7, t, sizeof(t)) < 0);
	CHECK(mount_type_remote("fuseblk") && mount_type_remote("cifs") &&
	    mount_type_remote("fuseblk.ntfs") &&
	    mount_type_remote("virtiofs") &&
	    !mount_type_remote("fusectl") && !mount_type_remote("tmpfs"));
	free(s);
	T_END();
}

static void
test_maps_capture(void)
{
	struct maps_entry m;
	char *s = fixture("maps.victim"), *p, *nl;
	int rows = 0, bad = 0;

	T_BEGIN("maps_line_parse: every row of a real capture");
	for (p = s; *p; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		if (maps_line_parse(p, nl - p, &m) == 0)
			rows++;
		else
			bad++;
	}
	CHECK(rows >= 5 && bad == 0);
	free(s);
	T_END();
}

static void
test_sock_proc(void)
{
	struct sock_info si;
	char *s, *line;
	char buf[64];
	int n = 0;

	T_BEGIN("sock_proc_inet_parse: rows of a real /proc/net/tcp");
	s = fixture("net.tcp");
	for (line = strchr(s, '\n'); line && line[1]; line = strchr(line, '\n')) {
		*line++ = '\0';
		if (sock_proc_inet_parse(line, AF_INET, IPPROTO_TCP, &si) == 0)
			n++;
	}
	CHECK(n >= 3);
	free(s);
	CHECK(sock_proc_inet_parse("   1: 0100007F:9399 0200007F:0050 01 "
	    "0000000A:00000014 00:00000000 00000000  1000        0 39366 1 0",
	    AF_INET, IPPROTO_TCP, &si) == 0);
	CHECK(si.state == 1 && si.sendq == 10 && si.recvq == 20 &&
	    si.uid == 1000 && si.ino == 39366 && si.local.port == 0x9399);
	sock_addr_fmt(&si.local, buf, sizeof(buf));
	CHECK_STR(buf, "127.0.0.1:37785");
	sock_addr_fmt(&si.remote, buf, sizeof(buf));
	CHECK_STR(buf, "127.0.0.2:80");
	T_END();

	T_BEGIN("sock_proc_inet_parse: IPv6 words in host order");
	s = fixture("net.tcp6.hand");
	CHECK(sock_proc_inet_parse(s, AF_INET6, IPPROTO_TCP, &si) == 0);
	sock_addr_fmt(&si.local, buf, sizeof(buf));
	CHECK_STR(buf, "[::1]:5432");
	CHECK(si.state == 10 && si.uid == 101 && si.ino == 4242);
	free(s);
	CHECK(sock_proc_inet_parse("0: 0100007F:1 0:0 01", AF_INET,
	    IPPROTO_TCP, &si) < 0);
	CHECK(sock_proc_inet_parse("", AF_INET, IPPROTO_TCP, &si) < 0);
	T_END();

	T_BEGIN("sock_proc_unix_parse: listener with path, unnamed, abstract");
	CHECK(sock_proc_unix_parse("00000000571e0f5f: 00000002 00000000 "
	    "00010000 0001 01 39371 /tmp/victim/sock", &si) == 0);
	CHECK(si.ino == 39371 && si.state == 10 && si.path &&
	    !strcmp(si.path, "/tmp/victim/sock"));
	free(si.path);
	CHECK(sock_proc_unix_parse("00000000ca50dbc6: 00000003 00000000 "
	    "00000000 0001 03   656", &si) == 0);
	CHECK(si.ino == 656 && si.state == 1 && si.path == NULL);
	CHECK(sock_proc_unix_parse("0: 2 0 0 1 3 77 @abstract name", &si) == 0);
	CHECK(si.path && !strcmp(si.path, "@abstract name"));
	free(si.path);
	CHECK(sock_proc_unix_parse("garbage", &si) < 0);
	T_END();
}

static void
test_list_item(void)
{
	const char *s;
	char b[8];

	T_BEGIN("num_list_item: names one by one; empty or long items refused");
	s = "root,app";
	CHECK(num_list_item(&s, b, sizeof(b)) == 1 && !strcmp(b, "root"));
	CHECK(num_list_item(&s, b, sizeof(b)) == 1 && !strcmp(b, "app"));
	CHECK(num_list_item(&s, b, sizeof(b)) == 0);
	s = "a,,b";
	CHECK(num_list_item(&s, b, sizeof(b)) == 1 &&
	    num_list_item(&s, b, sizeof(b)) < 0 && errno == EINVAL);
	s = "a,";
	CHECK(num_list_item(&s, b, sizeof(b)) == 1 &&
	    num_list_item(&s, b, sizeof(b)) < 0);
	s = ",a";
	CHECK(num_list_item(&s, b, sizeof(b)) < 0);
	s = "";
	CHECK(num_list_item(&s, b, sizeof(b)) < 0);
	s = "12345678";
	CHECK(num_list_item(&s, b, sizeof(b)) < 0 && errno == ENAMETOOLONG);
	s = "1234567";
	CHECK(num_list_item(&s, b, sizeof(b)) == 1 && !strcmp(b, "1234567"));
	T_END();
}

static void
test_num(void)
{
	struct num_list l = { 0 };
	uint64_t v;
	int64_t i;

	T_BEGIN("num: strict decimal, hex, signed, ranges, durations");
	CHECK(num_u64("18446744073709551615", &v) == 0 && v == UINT64_MAX);
	CHECK(num_u64("18446744073709551616", &v) < 0 && errno == ERANGE);
	CHECK(num_u64("", &v) < 0 && num_u64("1 ", &v) < 0 &&
	    num_u64("-1", &v) < 0 && num_u64("0x10", &v) < 0);
	CHECK(num_u64x("0x1F", &v) == 0 && v == 31);
	CHECK(num_u64x("0x", &v) < 0);
	CHECK(num_i64("-9223372036854775808", &i) == 0 && i == INT64_MIN);
	CHECK(num_i64("9223372036854775808", &i) < 0);
	CHECK(num_range("0", 1, 10, &v) < 0 && num_range("10", 1, 10, &v) == 0);
	CHECK(num_list_parse(&l, "0-2,5,7-7", 100, 0) == 0 && l.n == 3);
	CHECK(num_list_has(&l, 1) && num_list_has(&l, 5) &&
	    !num_list_has(&l, 6));
	CHECK(num_list_parse(&l, "5-3", 100, 0) < 0);
	CHECK(num_list_parse(&l, "1,,2", 100, 0) < 0);
	CHECK(num_list_parse(&l, "101", 100, 0) < 0);
	CHECK(num_list_parse(&l, "-3", 100, 0) < 0);
	CHECK(num_list_parse(&l, "0x10-0x1f", 100, 1) == 0);
	num_list_free(&l);
	CHECK(num_duration("30m", &v) == 0 && v == 1800);
	CHECK(num_duration("7d", &v) == 0 && v == 604800);
	CHECK(num_duration("45", &v) == 0 && v == 45);
	CHECK(num_duration("m", &v) < 0 && num_duration("3x", &v) < 0);
	T_END();
}

static void
test_user(void)
{
	const char *name;
	size_t n;
	uint32_t id;
	const char *l = "postgres:x:101:104:PostgreSQL:/var/lib/postgresql:/bin/sh";

	T_BEGIN("user_line_parse: passwd and group lines");
	CHECK(user_line_parse(l, strlen(l), &name, &n, &id) == 0 &&
	    n == 8 && id == 101);
	CHECK(user_line_parse("wheel:x:10:", 11, &name, &n, &id) == 0 &&
	    id == 10);
	CHECK(user_line_parse("bad:x::", 7, &name, &n, &id) < 0);
	CHECK(user_line_parse("bad:x:1a:", 9, &name, &n, &id) < 0);
	CHECK(user_line_parse(":x:1:", 5, &name, &n, &id) < 0);
	CHECK(user_line_parse("x:x:99999999999:", 16, &name, &n, &id) < 0);
	T_END();
}

static void
test_escape(void)
{
	char buf[128];

	T_BEGIN("out_escape: control bytes, invalid UTF-8, backslash");
	out_escape("a b", 3, 0, buf, sizeof(buf));
	CHECK_STR(buf, "a b");
	out_escape("a b", 3, 1, buf, sizeof(buf));
	CHECK_STR(buf, "a\\x20b");
	out_escape("x\ny\\", 4, 0, buf, sizeof(buf));
	CHECK_STR(buf, "x\\x0ay\\x5c");
	out_escape("\xc3\xa9\xff", 3, 0, buf, sizeof(buf));
	CHECK_STR(buf, "\xc3\xa9\\xff");
	out_escape("\xed\xa0\x80", 3, 0, buf, sizeof(buf));
	CHECK_STR(buf, "\\xed\\xa0\\x80");
	out_escape("$`\"", 3, 2, buf, sizeof(buf));
	CHECK_STR(buf, "\\$\\`\\\"");
	T_END();
}

int
main(void)
{
	test_stat();
	test_cmdline();
	test_status();
	test_fdinfo();
	test_link();
	test_maps();
	test_mountinfo();
	test_maps_capture();
	test_sock_proc();
	test_num();
	test_list_item();
	test_user();
	test_escape();
	T_EXIT();
}
