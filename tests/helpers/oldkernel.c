/*
 * oldkernel [-k VERSION] CMD...: runs CMD (and what it starts) under a
 * seccomp filter that makes the kernel facilities newer than VERSION fail
 * the way the older kernel fails them, so that the tools take their
 * fallback paths on this machine. Sets no_new_privs, which the filter
 * needs without CAP_SYS_ADMIN and which the tools never rely on.
 *
 * Without -k: every facility the tools have a fallback for fails: what
 * Linux 3.10 (RHEL 7) lacks, plus PTRACE_SEIZE (3.4: the PTRACE_ATTACH
 * path serves the kernels before it) and sock_diag answering ENOENT, as
 * a 3.10 kernel whose inet_diag and unix_diag modules cannot be loaded
 * does. With -k, exactly what is newer than VERSION; sock_diag is then
 * left alone (every supported kernel has its core).
 *
 * Audit of what the tools use (strace of every suite), and what is here:
 *   pidfd_send_signal 5.1, pidfd_open 5.3, pidfd_getfd 5.6, statx 4.11:
 *	ENOSYS, as every unknown system call.
 *   ptrace PTRACE_SEIZE/INTERRUPT/LISTEN 3.4, PTRACE_GET_SYSCALL_INFO
 *	5.3: EIO, what ptrace_request() answers an unknown request (on
 *	3.1-3.3 SEIZE without the devel flag too; before 3.1 an untraced
 *	target gives ESRCH: lib/inject.c takes both). SEIZE with an option
 *	bit the kernel lacks (PTRACE_O_SUSPEND_SECCOMP, 4.3) is EIO as well,
 *	PTRACE_SETOPTIONS with it EINVAL.
 *   SHM_STAT_ANY, SEM_STAT_ANY, MSG_STAT_ANY 4.17: EINVAL (an unknown
 *	*ctl command). The low byte is matched: musl ORs in IPC_64.
 *   waitid(P_PIDFD) 5.4: EINVAL (an unknown idtype).
 *   Not used by the tools, refused anyway so that a new use shows up as
 *	a failing old-kernel test, not as a surprise on a server: clone3
 *	5.3, close_range 5.9, openat2 5.6, faccessat2 5.8 (musl's faccessat
 *	with flags tries it first and falls back), epoll_pwait2 5.11,
 *	process_mrelease 5.15, getrandom 3.17, memfd_create 3.17: ENOSYS.
 *   sock_diag (NETLINK_SOCK_DIAG, 3.3): net/core/sock_diag.o is built in
 *	since 3.3, so on 3.10 socket(AF_NETLINK, ..., NETLINK_SOCK_DIAG)
 *	always succeeds (EPROTONOSUPPORT only comes from a kernel without
 *	sock_diag at all: before 3.3, or one built without it). What fails
 *	is the request: __sock_diag_rcv_msg() answers ENOENT for a family
 *	whose handler (inet_diag, unix_diag) is not loaded and cannot be.
 *	A filter cannot forge a netlink reply, so the request fails at
 *	sendto(2) with that ENOENT instead: a sendto with a 12-byte address
 *	(struct sockaddr_nl; the tools send nothing else with one). The tool
 *	sees the same: the request failed with ENOENT.
 *   Not simulated: SOCK_DESTROY before 4.5 (EINVAL for the unknown
 *	message type: a filter cannot see the message; here the dump before
 *	it fails first); /proc contents: fdinfo mnt_id (3.15) and ino (5.14),
 *	status NSpid (4.1) and Seccomp_filters (5.9) (the parsers take their
 *	absence, see the unit fixtures), and the fd count as the st_size of
 *	/proc/PID/fd (6.2; before it 0, and fd_foreach reads getdents64).
 *	Used and old enough: process_vm_readv
 *	3.2, setns 3.0, prlimit64 2.6.36, /proc/sysvipc, PR_SET_CHILD_SUBREAPER
 *	3.4 (not used by the tools).
 */
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <err.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH	AUDIT_ARCH_AARCH64
#endif
#ifndef SYS_process_mrelease
#define SYS_process_mrelease	448
#endif

#define V(a, b)		((a) * 1000 + (b))
#define ANY		(-1)
#define ALWAYS		V(999, 0)	/* only without -k */

struct rule {
	int		 since;		/* kernel version that brought it */
	long		 nr;
	int		 arg;		/* argument tested, or ANY */
	unsigned	 mask, val;	/* (arg & mask) == val */
	int		 err;
};

static const struct rule rules[] = {
	{ V(5, 1), SYS_pidfd_send_signal, ANY, 0, 0, ENOSYS },
	{ V(5, 3), SYS_pidfd_open, ANY, 0, 0, ENOSYS },
	{ V(5, 6), SYS_pidfd_getfd, ANY, 0, 0, ENOSYS },
	{ V(4, 11), SYS_statx, ANY, 0, 0, ENOSYS },
	{ V(3, 4), SYS_ptrace, 0, ~0u, 0x4206, EIO },	/* PTRACE_SEIZE */
	{ V(3, 4), SYS_ptrace, 0, ~0u, 0x4207, EIO },	/* PTRACE_INTERRUPT */
	{ V(3, 4), SYS_ptrace, 0, ~0u, 0x4208, EIO },	/* PTRACE_LISTEN */
	{ V(5, 3), SYS_ptrace, 0, ~0u, 0x420e, EIO },	/* GET_SYSCALL_INFO */
	{ V(4, 17), SYS_shmctl, 1, 0xff, 15, EINVAL },	/* SHM_STAT_ANY */
	{ V(4, 17), SYS_semctl, 2, 0xff, 20, EINVAL },	/* SEM_STAT_ANY */
	{ V(4, 17), SYS_msgctl, 1, 0xff, 13, EINVAL },	/* MSG_STAT_ANY */
	{ V(5, 4), SYS_waitid, 0, ~0u, 3, EINVAL },	/* P_PIDFD */
	{ V(5, 3), SYS_clone3, ANY, 0, 0, ENOSYS },
	{ V(5, 9), SYS_close_range, ANY, 0, 0, ENOSYS },
	{ V(5, 6), SYS_openat2, ANY, 0, 0, ENOSYS },
	{ V(5, 8), SYS_faccessat2, ANY, 0, 0, ENOSYS },
	{ V(5, 11), SYS_epoll_pwait2, ANY, 0, 0, ENOSYS },
	{ V(5, 15), SYS_process_mrelease, ANY, 0, 0, ENOSYS },
	{ V(3, 17), SYS_getrandom, ANY, 0, 0, ENOSYS },
	{ V(3, 17), SYS_memfd_create, ANY, 0, 0, ENOSYS },
	{ ALWAYS, SYS_sendto, 5, ~0u, 12, ENOENT },	/* sock_diag */
};

/* PTRACE_O_SUSPEND_SECCOMP (4.3) in SEIZE's or SETOPTIONS' data. */
static const struct rule optrules[] = {
	{ V(4, 3), SYS_ptrace, 0, ~0u, 0x4206, EIO },	/* PTRACE_SEIZE */
	{ V(4, 3), SYS_ptrace, 0, ~0u, 0x4200, EINVAL },/* SETOPTIONS */
};

static struct sock_filter prog[512];
static unsigned short len;

static void
emit(struct sock_filter f)
{
	if (len == sizeof(prog) / sizeof(prog[0]))
		errx(2, "filter too long");
	prog[len++] = f;
}

#define LOAD(off)	emit((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | \
			    BPF_ABS, (off)))
#define NR		offsetof(struct seccomp_data, nr)
#define ARG(n)		offsetof(struct seccomp_data, args[n])

/*
 * One rule: nr matches, then (arg & mask) == val, then (for the option
 * rules) arg 3 has the option bit: return the errno. Every failed test
 * jumps past the rule's return; the offsets are patched at its end.
 */
static void
add(const struct rule *r, unsigned optbit)
{
	unsigned short jeq[3], n = 0, i;

	LOAD(NR);
	jeq[n++] = len;
	emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, r->nr,
	    0, 0));
	if (r->arg != ANY) {
		LOAD(ARG(r->arg));
		if (r->mask != ~0u)
			emit((struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND |
			    BPF_K, r->mask));
		jeq[n++] = len;
		emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    r->val, 0, 0));
	}
	if (optbit) {
		LOAD(ARG(3));
		jeq[n++] = len;
		emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K,
		    optbit, 0, 0));
	}
	emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ERRNO | r->err));
	for (i = 0; i < n; i++)
		prog[jeq[i]].jf = len - jeq[i] - 1;
}

static int
version(const char *s)
{
	const char *p;
	char *end;
	long a, b = -1;

	a = strtol(s, &end, 10);
	if (end != s && *end == '.') {
		p = end + 1;
		b = strtol(p, &end, 10);
		if (end == p || *end != '\0')
			b = -1;
	}
	if (a < 2 || b < 0 || b > 999)
		errx(2, "bad version: %s (want MAJOR.MINOR)", s);
	return V(a, b);
}

int
main(int argc, char **argv)
{
	struct sock_fprog fp;
	size_t i;
	int k = 0, ch;

	while ((ch = getopt(argc, argv, "+k:")) != -1) {
		if (ch != 'k')
			return 2;
		k = version(optarg);
	}
	if (optind >= argc)
		errx(2, "usage: oldkernel [-k VERSION] CMD...");
	LOAD(offsetof(struct seccomp_data, arch));
	emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1,
	    0));
	emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW));
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (k == 0 || (k < rules[i].since && rules[i].since != ALWAYS))
			add(&rules[i], 0);
	for (i = 0; i < sizeof(optrules) / sizeof(optrules[0]); i++)
		if (k == 0 || k < optrules[i].since)
			add(&optrules[i], 0x00200000);
	emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW));
	fp.len = len;
	fp.filter = prog;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp) < 0)
		err(2, "seccomp");
	execvp(argv[optind], argv + optind);
	err(127, "%s", argv[optind]);
}
