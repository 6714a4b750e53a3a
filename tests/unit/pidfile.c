/* pidfile.c: postmaster.pid parsing over fixtures of every format. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"
#include "t.h"

#define FIX	"tests/fixtures/pgpidinfo/"
#define P(s)	pidfile_parse((s), strlen(s), &pf)

static int
load(const char *name, struct pidfile *pf)
{
	return pidfile_read(AT_FDCWD, name, pf);
}

static void
t_v15(void)
{
	struct pidfile pf;

	T_BEGIN("pidfile v15 ready (real capture)");
	CHECK(load(FIX "v15-ready.pid", &pf) == 0);
	CHECK(pf.lines == 8 && pf.layout == PIDFILE_V10 && !pf.noeol);
	CHECK(pf.pid == 5880);
	CHECK_STR(pf.datadir, "/srv/pg/15/main");
	CHECK(pf.has_start && pf.start == 1795215851);
	CHECK(pf.has_port && pf.port == 30598);
	CHECK_STR(pf.sockdir, "/srv/pg/15/main");
	CHECK_STR(pf.listen, "127.0.0.1");
	CHECK(pf.has_shm && pf.shmkey == 10953753 && pf.shmid == 9);
	CHECK(pf.status == PIDFILE_ST_READY);
	CHECK_STR(pf.statusword, "ready");
	T_END();

	T_BEGIN("pidfile v15 status words");
	CHECK(load(FIX "v15-starting.pid", &pf) == 0);
	CHECK(pf.status == PIDFILE_ST_STARTING);
	CHECK(load(FIX "v15-stopping.pid", &pf) == 0);
	CHECK(pf.status == PIDFILE_ST_STOPPING);
	CHECK(load(FIX "v15-standby.pid", &pf) == 0);
	CHECK(pf.status == PIDFILE_ST_STANDBY);
	CHECK_STR(pidfile_status_name(pf.status), "standby");
	T_END();
}

static void
t_partial(void)
{
	struct pidfile pf;

	T_BEGIN("pidfile partial files (server starting)");
	CHECK(load(FIX "v15-partial5.pid", &pf) == 0);
	CHECK(pf.lines == 5 && pf.has_port && pf.has_sockdir);
	CHECK(pf.sockdir[0] == '\0' && !pf.has_listen && !pf.has_shm);
	CHECK(pf.status == PIDFILE_ST_NONE);
	CHECK(load(FIX "v15-partial6.pid", &pf) == 0);
	CHECK(pf.lines == 6 && pf.has_listen && !pf.has_shm);
	CHECK(load(FIX "v90-partial.pid", &pf) == 0);
	CHECK(pf.lines == 2 && !pf.has_start && !pf.has_shm);
	T_END();

	T_BEGIN("pidfile standalone backend (negative PID)");
	CHECK(load(FIX "v15-standalone.pid", &pf) == 0);
	CHECK(pf.pid == -22170 && pf.lines == 6 && pf.listen[0] == '\0');
	T_END();

	T_BEGIN("pidfile empty line 7 (Windows, 10+ filler)");
	CHECK(load(FIX "v18-windows-like.pid", &pf) == 0);
	CHECK(pf.lines == 8 && !pf.has_shm && pf.status == PIDFILE_ST_READY);
	T_END();
}

static void
t_old(void)
{
	struct pidfile pf;

	T_BEGIN("pidfile 9.0 three lines");
	CHECK(load(FIX "v90.pid", &pf) == 0);
	CHECK(pf.layout == PIDFILE_V90 && pf.lines == 3 && !pf.has_start);
	CHECK(pf.has_shm && pf.shmkey == 5432001 && pf.shmid == 65536);
	T_END();

	T_BEGIN("pidfile 9.1 and 9.6 seven lines");
	CHECK(load(FIX "v91.pid", &pf) == 0);
	CHECK(pf.layout == PIDFILE_V91 && pf.lines == 7 && pf.port == 5433);
	CHECK(pf.shmkey == 5433001 && pf.shmid == 32769);
	CHECK(load(FIX "v96.pid", &pf) == 0);
	CHECK(pf.lines == 7 && pf.start == 1482155020);
	CHECK_STR(pf.listen, "localhost");
	T_END();

	T_BEGIN("pidfile 20-digit sign-extended key");
	CHECK(load(FIX "v15-bigkey.pid", &pf) == 0);
	CHECK(pf.shmkey == 0x80000001u && pf.shmid == 1310725);
	T_END();

	T_BEGIN("pidfile socket lock file");
	CHECK(load(FIX "v15-socket.lock", &pf) == 0);
	CHECK(pf.lines == 5 && pf.pid == 5880 && pf.port == 30598);
	T_END();
}

static void
bad(const char *name, int e, int line, const char *what)
{
	struct pidfile pf;

	T_BEGIN(name);
	CHECK(load(name, &pf) == -1);
	CHECK(errno == e);
	CHECK(pf.errline == line);
	CHECK(pidfile_errtext(pf.errwhat) != NULL &&
	    strstr(pidfile_errtext(pf.errwhat), what) != NULL);
	T_END();
}

static void
t_buffers(void)
{
	struct pidfile pf;
	char path[64];

	T_BEGIN("pidfile no final newline, extra future lines");
	CHECK(P("12\n/d") == 0 && pf.noeol);
	CHECK(P("12\n/d\n1\n2\n\n\n\nready   \nnew\n") == 0 && pf.lines == 9);
	CHECK(P("12\n/d\n1\n2\n\n\n  1  2  \n") == 0);
	CHECK(pf.shmkey == 1 && pf.shmid == 2);
	T_END();

	T_BEGIN("pidfile rejects PID out of range");
	CHECK(P("4194305\n/d\n") == -1);
	CHECK(P("-4194304\n/d\n") == 0);
	CHECK(P("+5\n/d\n") == -1 && pf.errline == 1);
	CHECK(P(" 5\n/d\n") == -1 && pf.errline == 1);
	T_END();

	T_BEGIN("pidfile key range edges");
	CHECK(P("5\n/d\n1\n2\n\n\n4294967295 1\n") == 0);
	CHECK(pf.shmkey == 0xffffffffu);
	CHECK(P("5\n/d\n1\n2\n\n\n4294967296 1\n") < 0);
	CHECK(pf.errline == 7);
	CHECK(P("5\n/d\n1\n2\n\n\n5 2147483648\n") < 0);
	T_END();

	T_BEGIN("pidfile socket lock path");
	CHECK(pidfile_socklock_path(path, sizeof(path), "/tmp", 5432) == 0);
	CHECK_STR(path, "/tmp/.s.PGSQL.5432.lock");
	CHECK(pidfile_socklock_path(path, 10, "/tmp", 5432) == -1);
	CHECK(errno == ENAMETOOLONG);
	T_END();

	T_BEGIN("pidfile not a regular file");
	CHECK(load("tests/fixtures", &pf) == -1 && errno == EISDIR);
	CHECK(load(FIX "no-such-file", &pf) == -1 && errno == ENOENT);
	T_END();
}

int
main(void)
{
	t_v15();
	t_partial();
	t_old();
	t_buffers();
	bad(FIX "bad-empty.pid", ENODATA, 1, "empty file");
	bad(FIX "bad-binary.pid", EINVAL, 1, "NUL byte");
	bad(FIX "bad-truncated.pid", EINVAL, 7, "shmkey shmid");
	bad(FIX "bad-overlong.pid", EINVAL, 2, "data directory");
	bad(FIX "bad-hugepid.pid", EINVAL, 1, "process ID");
	bad(FIX "bad-hugekey.pid", EINVAL, 7, "shmkey shmid");
	bad(FIX "bad-missing.pid", EINVAL, 2, "end of the file");
	bad(FIX "bad-text.pid", EINVAL, 1, "process ID");
	bad(FIX "bad-relative.pid", EINVAL, 2, "absolute");
	bad(FIX "bad-port.pid", EINVAL, 4, "port");
	bad(FIX "bad-status.pid", EINVAL, 8, "status");
	bad(FIX "bad-zero.pid", EINVAL, 1, "nonzero");
	bad(FIX "bad-v90-extra.pid", EINVAL, 4, "9.0-style");
	bad(FIX "bad-shm-oneword.pid", EINVAL, 7, "two decimal");
	T_EXIT();
}
