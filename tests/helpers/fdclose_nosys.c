/*
 * fdclose_nosys WHAT CMD...: runs CMD under a seccomp filter that makes
 * newer calls fail with ENOSYS, as on an older kernel. WHAT: "getfd"
 * (pidfd_getfd, as on 5.3-5.5) or "pidfd" (pidfd_open and pidfd_getfd,
 * as before 5.3).
 */
#include <sys/prctl.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NR_PIDFD_OPEN	434	/* the same on x86_64 and aarch64 */
#define NR_PIDFD_GETFD	438

int
main(int argc, char **argv)
{
	int both = argc > 1 && strcmp(argv[1], "pidfd") == 0;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NR_PIDFD_GETFD, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    both ? NR_PIDFD_OPEN : NR_PIDFD_GETFD, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};
	struct sock_fprog p = { sizeof(f) / sizeof(f[0]), f };

	if (argc < 3)
		return 2;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p) < 0) {
		perror("fdclose_nosys: seccomp");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror("fdclose_nosys: exec");
	return 127;
}
