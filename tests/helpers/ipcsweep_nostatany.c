/*
 * ipcsweep_nostatany CMD...: runs CMD as if on a kernel older than 4.17:
 * a seccomp filter makes shmctl/semctl/msgctl with SHM_STAT_ANY,
 * SEM_STAT_ANY or MSG_STAT_ANY fail with EINVAL, as they did then.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <err.h>
#include <errno.h>
#include <stddef.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH	AUDIT_ARCH_AARCH64
#endif

#define ARG(n)	offsetof(struct seccomp_data, args[n])
/* If sysno, then EINVAL when the low byte of argument a is cmd. */
#define DENY(sysno, a, cmd) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (sysno), 0, 4), \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG(a)), \
	BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xff), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (cmd), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL), \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))

int
main(int argc, char *argv[])
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		DENY(__NR_shmctl, 1, 15),
		DENY(__NR_semctl, 2, 20),
		DENY(__NR_msgctl, 1, 13),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (argc < 2)
		errx(2, "usage: ipcsweep_nostatany CMD...");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		err(1, "seccomp");
	execvp(argv[1], argv + 1);
	err(127, "%s", argv[1]);
}
