/*
 * procfs.c: is /proc there at all? A rescue shell, a chroot or an early
 * initramfs may not have mounted it, and every /proc read would then fail
 * with ENOENT and look like "no such process". statfs(2) tells procfs by
 * its magic number, whatever is (or is not) mounted in its place.
 */
#include <sys/syscall.h>
#include <sys/vfs.h>

#include <errno.h>
#include <unistd.h>

#include "lib.h"

#define PROC_SUPER_MAGIC	0x9fa0	/* <linux/magic.h> */

int
procfs_mounted(void)
{
	struct statfs sf;

	/* The raw call: musl's wrapper adds code to zero the struct first. */
	if (syscall(SYS_statfs, "/proc", &sf) < 0)
		/* A sandbox that refuses statfs itself cannot be judged. */
		return errno != ENOENT && errno != ENOTDIR;
	return sf.f_type == PROC_SUPER_MAGIC;
}
