/* Unit tests for lib/ptab.c: stat parsing and a live tree we fork. */
#include <sys/wait.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"
#include "t.h"

/* A child that forks `kids` grandchildren, then sleeps. */
static pid_t
tree(int kids, int fd)
{
	pid_t p = fork();
	int i;

	if (p != 0)
		return p;
	for (i = 0; i < kids; i++)
		if (fork() == 0) {
			pause();
			_exit(0);
		}
	if (write(fd, "x", 1) != 1)
		_exit(1);
	pause();
	_exit(0);
}

static void
parse_cases(void)
{
	struct ptab_ent e;

	T_BEGIN("ptab_stat_parse: comm with ') (' and a kernel thread");
	CHECK(ptab_stat_parse("1234 (a) (b) R 1 1234 1234 0 -1 4194560 0 0 0 "
	    "0 1 2 0 0 20 0 1 0 777 1000 10 18446744073709551615\n", &e) == 0);
	CHECK(e.pid == 1234 && e.ppid == 1 && e.state == 'R');
	CHECK(e.start == 777 && !e.kthread);
	CHECK_STR(e.comm, "a) (b");
	CHECK(ptab_stat_parse("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 "
	    "0 0 20 0 1 0 5 0 0 18446744073709551615\n", &e) == 0);
	CHECK(e.kthread && e.ppid == 0);
	/* A zombie leader: 1 while its threads (field 20) run on. */
	CHECK(ptab_stat_parse("77 (zl) Z 1 77 77 0 -1 4227148 0 0 0 0 0 0 0 0 "
	    "20 0 2 0 555 0 0 0\n", &e) == 1);
	CHECK(e.state == 'Z' && e.start == 555 && e.pid == 77);
	CHECK(ptab_stat_parse("77 (zl) Z 1 77 77 0 -1 4227148 0 0 0 0 0 0 0 0 "
	    "20 0 1 0 555 0 0 0\n", &e) == 0);
	CHECK(ptab_stat_parse("3 (x", &e) < 0);
	CHECK(ptab_stat_parse("", &e) < 0);
	T_END();

	T_BEGIN("proc_status_parse: Uid columns are tab-separated (setuid)");
	{
		struct proc_status ps;

		CHECK(proc_status_parse("Name:\tx\nState:\tS (sleeping)\n"
		    "Tgid:\t7\nPPid:\t1\nUid:\t65534\t0\t0\t0\n"
		    "Gid:\t65534\t65534\t65534\t65534\n", &ps) == 0);
		CHECK(ps.uid[0] == 65534 && ps.uid[1] == 0 && ps.uid[2] == 0);
		CHECK(ps.gid[3] == 65534);
	}
	T_END();

	T_BEGIN("ptab_stat_parse: a 64-byte comm is cut to 15");
	CHECK(ptab_stat_parse("9 (kworker/u8:1-events_unbound_long_name) I 2 0 "
	    "0 0 -1 69238880 0 0 0 0 0 0 0 0 20 0 1 0 9 0 0 1\n", &e) == 0);
	CHECK(strlen(e.comm) == 15 && e.kthread);
	T_END();
}

int
main(void)
{
	struct ptab t = { 0 };
	const struct ptab_ent *e;
	const uint32_t *k;
	uint32_t *idx;
	size_t n, i;
	pid_t a;
	int fd[2], ok;
	char c;

	parse_cases();
	if (pipe(fd) < 0)
		return 1;
	a = tree(3, fd[1]);
	ok = read(fd[0], &c, 1) == 1;
	T_BEGIN("ptab_scan sees us, our child and its three children");
	CHECK(ok);
	CHECK(ptab_scan(&t, PTAB_UID) == 0);
	CHECK(t.n > 3);
	for (i = 1; i < t.n; i++)
		CHECK(t.v[i - 1].pid < t.v[i].pid);
	e = ptab_find(&t, getpid());
	CHECK(e && e->ppid == getppid() && e->uid == geteuid());
	e = ptab_find(&t, a);
	CHECK(e && e->ppid == getpid());
	n = ptab_children(&t, a, &k);
	CHECK(n == 3);
	for (i = 0; i < n; i++)
		CHECK(t.v[k[i]].ppid == a);
	CHECK(ptab_children(&t, getpid(), &k) == 1 && t.v[k[0]].pid == a);
	T_END();

	T_BEGIN("ptab_tree: root first, then its descendants");
	n = ptab_tree(&t, getpid(), &idx);
	CHECK(n == 5);
	CHECK(t.v[idx[0]].pid == getpid() && t.v[idx[1]].pid == a);
	free(idx);
	CHECK(ptab_tree(&t, 0x7ffffff0, &idx) == 0);
	free(idx);
	CHECK(ptab_find(&t, 0x7ffffff0) == NULL);
	T_END();
	/* Only what we started, by PID: the grandchildren, then the child. */
	n = ptab_children(&t, a, &k);
	for (i = 0; i < n; i++)
		kill(t.v[k[i]].pid, SIGKILL);
	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	ptab_free(&t);
	T_EXIT();
}
