/* sysline: /proc/PID/task/TID/syscall lines (inject_sysline_parse). */
#include <sys/syscall.h>

#include <fcntl.h>
#include <stdlib.h>

#include "lib.h"
#include "t.h"

static int
parse_file(const char *name, struct inject_sysline *sl)
{
	char path[256], buf[512];
	ssize_t n;

	snprintf(path, sizeof(path), "tests/fixtures/fdclose/%s", name);
	n = proc_read(AT_FDCWD, path, buf, sizeof(buf));
	if (n < 0)
		return -2;
	return inject_sysline_parse(buf, sl);
}

int
main(void)
{
	static const char *bad[] = {
		"bad-short.syscall", "bad-long.syscall", "bad-text.syscall",
		"bad-empty.syscall", "bad-negative.syscall", "bad-hex.syscall",
		"bad-overflow.syscall",
	};
	struct inject_sysline sl;
	size_t i;
	long n;

	T_BEGIN("blocked sendto: number, fd, sp and pc");
	CHECK(parse_file("sendto.syscall", &sl) == 0);
	CHECK(sl.nr == 44 && sl.args[0] == 5 && sl.args[1] == 0x40b040);
	CHECK(sl.args[2] == 0x10000 && sl.args[5] == 0);
	CHECK(sl.sp == 0x7fff4e13f968 && sl.pc == 0x4057b9);
	T_END();

	T_BEGIN("glibc read with a 32-bit all-ones argument");
	CHECK(parse_file("read-glibc.syscall", &sl) == 0);
	CHECK(sl.nr == 0 && sl.args[0] == 3 && sl.args[4] == 0xffffffff);
	T_END();

	T_BEGIN("epoll_wait of a PostgreSQL backend");
	CHECK(parse_file("epoll_wait-pg.syscall", &sl) == 0);
	CHECK(sl.nr == 232 && sl.args[0] == 4 && sl.args[3] == 0xffffffff);
	T_END();

	T_BEGIN("running thread");
	CHECK(parse_file("running.syscall", &sl) == 0 && sl.nr == -2);
	T_END();

	T_BEGIN("blocked outside a system call: -1 sp pc");
	CHECK(parse_file("outside.syscall", &sl) == 0);
	CHECK(sl.nr == -1 && sl.sp == 0x7ffd9340e268 && sl.pc == 0x4057b9);
	T_END();

	T_BEGIN("malformed lines are rejected");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(parse_file(bad[i], &sl) == -1);
	T_END();

	T_BEGIN("fd-taking calls and names");
	CHECK(inject_fdcall(SYS_sendto) && inject_fdcall(SYS_write));
	CHECK(!inject_fdcall(SYS_epoll_pwait) && !inject_fdcall(SYS_futex));
	CHECK_STR(inject_call_name(SYS_sendto), "sendto");
	CHECK(inject_call_name(-5) == NULL);
	CHECK_STR(inject_restart_name(-516), "ERESTART_RESTARTBLOCK");
	CHECK_STR(inject_restart_name(-4), "");
	T_END();

	T_BEGIN("every fd-taking call has a name (each arch's table)");
	for (n = 0; n < 1024; n++)
		if (inject_fdcall(n) && inject_call_name(n) == NULL)
			break;
	CHECK(n == 1024);
	T_END();
	T_EXIT();
}
