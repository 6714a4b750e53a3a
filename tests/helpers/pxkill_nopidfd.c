/*
 * pxkill_nopidfd: runs a command as on a kernel older than 5.3: a seccomp
 * filter makes pidfd_open, pidfd_send_signal and pidfd_getfd fail with
 * ENOSYS (inherited across exec). Usage: pxkill_nopidfd CMD ARGS...
 */
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#define NR	offsetof(struct seccomp_data, nr)
#define ARCH	offsetof(struct seccomp_data, arch)

int
main(int argc, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARCH),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 434, 3, 0),	/* pidfd_open */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 424, 2, 0),	/* send_signal */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 438, 1, 0),	/* getfd */
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (argc < 2)
		return 2;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		perror("pxkill_nopidfd: seccomp");
		return 3;
	}
	execvp(argv[1], argv + 1);
	perror("pxkill_nopidfd: exec");
	return 127;
}
