/* pg.c's pure parts: shm header layouts, dsm_control, roles, verdicts. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"
#include "t.h"

#define FIX	"tests/fixtures/pgpidinfo/"

static void
put(unsigned char *p, uint64_t v, int n)
{
	while (n-- > 0)
		*p++ = v & 0xff, v >>= 8;
}

static void
t_header(void)
{
	struct pg_shmhdr h;
	unsigned char b[64];
	char *buf;
	size_t len;

	T_BEGIN("shm header: real 15 capture (9.4-18 layout)");
	buf = proc_read_all(AT_FDCWD, FIX "shmhdr-15.bin", &len);
	CHECK(buf != NULL && len == 56);
	CHECK(pg_shmhdr_parse(buf, len, 65024, 10970385, &h) == 1);
	CHECK(h.layout == 94 && h.creator == 12155 && h.has_dsm);
	CHECK(h.dsm_control == 1139693338u && h.totalsize == 24895488);
	CHECK(pg_shmhdr_parse(buf, len, 65024, 1, &h) == 0);
	CHECK(h.inode == 10970385);
	CHECK(pg_shmhdr_parse(buf, 40, 65024, 10970385, &h) == -1);
	buf[0] ^= 1;
	CHECK(pg_shmhdr_parse(buf, len, 65024, 10970385, &h) == -1);
	CHECK(errno == EINVAL);
	free(buf);
	T_END();

	T_BEGIN("shm header: 9.0-9.3 and 19devel layouts (48 bytes)");
	memset(b, 0, sizeof(b));
	put(b, PG_SHMHDR_MAGIC, 4);
	put(b + 4, 4242, 4);
	put(b + 32, 2049, 8);
	put(b + 40, 777, 8);
	CHECK(pg_shmhdr_parse(b, 48, 2049, 777, &h) == 1);
	CHECK(h.layout == 90 && !h.has_dsm && h.creator == 4242);
	put(b + 24, 99, 4);	/* 19devel: dsm_control at 24 */
	CHECK(pg_shmhdr_parse(b, 48, 2049, 777, &h) == 1);
	CHECK(h.layout == 19 && h.has_dsm && h.dsm_control == 99);
	CHECK(pg_shmhdr_parse(b, 48, 0, 0, &h) == 0);	/* another dir's */
	CHECK(h.layout == 19 && h.has_dsm && h.dsm_control == 99);
	put(b + 24, 0x7ffd12345678ull, 8);	/* 9.3: the index pointer */
	CHECK(pg_shmhdr_parse(b, 48, 2049, 777, &h) == 1);
	CHECK(h.layout == 90 && !h.has_dsm);
	CHECK(pg_shmhdr_parse(b, 48, 0, 0, &h) == 0);
	CHECK(h.layout == 90 && !h.has_dsm);
	T_END();
}

static void
t_dsm(void)
{
	uint32_t h[8];
	unsigned char b[16 + 3 * 24];
	char *buf;
	size_t len;

	T_BEGIN("dsm_control: real 15 capture (40-byte items)");
	buf = proc_read_all(AT_FDCWD, FIX "dsm-control-15.bin", &len);
	CHECK(buf != NULL && len == 26976);
	CHECK(pg_dsm_control_parse(buf, len, h, 8) == 1 && h[0] == 486876520u);
	CHECK(pg_dsm_control_parse(buf, len - 1, h, 8) == -1);
	free(buf);
	T_END();

	T_BEGIN("dsm_control: 9.4-13 24-byte items, free slots skipped");
	memset(b, 0, sizeof(b));
	put(b, 0x9a503d32u, 4);
	put(b + 4, 3, 4);
	put(b + 8, 3, 4);
	put(b + 16, 11, 4), put(b + 20, 2, 4);
	put(b + 40, 12, 4);			/* refcnt 0: free */
	put(b + 64, 13, 4), put(b + 68, 1, 4);
	CHECK(pg_dsm_control_parse(b, sizeof(b), h, 8) == 2);
	CHECK(h[0] == 11 && h[1] == 13);
	CHECK(pg_dsm_control_parse(b, sizeof(b), h, 1) == 1);
	put(b + 4, 4, 4);			/* nitems > maxitems */
	CHECK(pg_dsm_control_parse(b, sizeof(b), h, 8) == -1);
	T_END();
}

static void
t_roles(void)
{
	T_BEGIN("roles from titles, 9.x to 18, cluster_name");
	CHECK_STR(pg_role("postgres: checkpointer "), "checkpointer");
	CHECK_STR(pg_role("postgres: checkpointer process   "), "checkpointer");
	CHECK_STR(pg_role("postgres: writer process   "), "background writer");
	CHECK_STR(pg_role("postgres: wal writer process   "), "walwriter");
	CHECK_STR(pg_role("postgres: logger "), "logger");
	CHECK_STR(pg_role("postgres: main: walwriter "), "walwriter");
	CHECK_STR(pg_role("postgres: postgres postgres [local] COPY"),
	    "client backend");
	CHECK_STR(pg_role("postgres: main: app db 10.0.0.1(5544) idle"),
	    "client backend");
	CHECK_STR(pg_role("postgres: logical replication launcher "),
	    "background worker");
	CHECK_STR(pg_role("postgres: walsender rep 10.0.0.2(4000) streaming"),
	    "walsender");
	CHECK_STR(pg_role("postgres: io worker 0"), "io worker");
	CHECK(pg_role("/usr/lib/postgresql/15/bin/postgres -D /d") == NULL);
	CHECK(pg_role("sleep 60") == NULL);
	T_END();

	T_BEGIN("verdict names and exit statuses (issue 4)");
	CHECK(pg_verdict_exit(PG_RUNNING) == 0);
	CHECK(pg_verdict_exit(PG_STOPPED) == 1 && pg_verdict_exit(PG_STALE) == 1);
	CHECK(pg_verdict_exit(PG_REUSED) == 4 && pg_verdict_exit(PG_ZOMBIE) == 4);
	CHECK(pg_verdict_exit(PG_ORPHANED) == 4);
	CHECK(pg_verdict_exit(PG_UNKNOWN) == 3);
	CHECK_STR(pg_verdict_name(PG_ORPHANED), "orphaned");
	CHECK_STR(pg_check_name(PG_CK_START), "start-time");
	T_END();
}

int
main(void)
{
	t_header();
	t_dsm();
	t_roles();
	T_EXIT();
}
