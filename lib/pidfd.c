/*
 * pidfd.c: pinning a process. pidfd_open (5.3) gives a handle that can
 * never name another process; where it is missing a /proc/PID dirfd plus
 * the start time (stat field 22) does the same job, re-checked before
 * every act. The dirfd is opened after the pidfd and the pidfd is probed
 * afterwards: if the process is still alive then, the dirfd is its own.
 */
#include <sys/syscall.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open		434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal	424
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd		438
#endif

static int pidfd_state;		/* 0 unknown, 1 works, -1 missing */

int
pidfd_supported(void)
{
	int fd;

	if (pidfd_state == 0) {
		fd = syscall(SYS_pidfd_open, getpid(), 0);
		pidfd_state = fd >= 0 || errno != ENOSYS ? 1 : -1;
		if (fd >= 0)
			close(fd);
		else if (pidfd_state < 0)
			fallback_note(FB_PIDFD, ENOSYS);
	}
	return pidfd_state > 0;
}

static int
identity(int dir, uint64_t *start, uid_t *uid, char *state)
{
	struct proc_stat st;
	struct proc_status ss;

	if (proc_stat_read(dir, &st) < 0 || proc_status_read(dir, &ss) < 0)
		return errno = errno == ENOENT || errno == EINVAL ? ESRCH : errno,
		    -1;
	*start = st.starttime;
	*uid = ss.uid[0];
	if (state)
		*state = st.state;
	return 0;
}

int
pin_open(struct pin *p, pid_t pid)
{
	int e;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->pidfd = -1;
	if (pidfd_supported()) {
		p->pidfd = syscall(SYS_pidfd_open, pid, 0);
		if (p->pidfd < 0)
			return -1;
	}
	p->dir = proc_open(pid);
	if (p->dir < 0) {
		e = errno == ENOENT ? ESRCH : errno;
		pin_close(p);
		return errno = e, -1;
	}
	if (identity(p->dir, &p->start, &p->uid, &p->state) < 0 ||
	    (p->pidfd >= 0 &&
	    syscall(SYS_pidfd_send_signal, p->pidfd, 0, NULL, 0) < 0 &&
	    errno == ESRCH)) {
		e = errno == EPERM ? 0 : errno;
		if (e) {
			pin_close(p);
			return errno = e, -1;
		}
	}
	return 0;
}

int
pin_check(const struct pin *p)
{
	uint64_t start;
	uid_t uid;

	if (identity(p->dir, &start, &uid, NULL) < 0)
		return -1;
	if (start != p->start || uid != p->uid)
		return errno = ESRCH, -1;
	return 0;
}

int
pin_signal(const struct pin *p, int sig)
{
	if (pin_check(p) < 0)
		return -1;
	if (p->pidfd >= 0)
		return syscall(SYS_pidfd_send_signal, p->pidfd, sig, NULL, 0);
	/*
	 * No pidfd (< 5.3): the start time matched just now; kill() is the
	 * narrowest window the old interface allows.
	 */
	return kill(p->pid, sig);
}

int
pidfd_dup(int pidfd, int fd)
{
	int r = pidfd < 0 ? -1 : syscall(SYS_pidfd_getfd, pidfd, fd, 0);

	if (r < 0 && errno == ENOSYS)
		fallback_note(FB_GETFD, ENOSYS);
	return r;
}

int
pin_getfd(const struct pin *p, int fd)
{
	if (p->pidfd < 0)
		errno = ENOSYS;		/* pinned without pidfds */
	else if (pin_check(p) < 0)
		return -1;
	return pidfd_dup(p->pidfd, fd);
}

void
pin_close(struct pin *p)
{
	if (p->pidfd >= 0)
		close(p->pidfd);
	if (p->dir > 0)
		close(p->dir);
	p->pidfd = -1;
	p->dir = -1;
}
