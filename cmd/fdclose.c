/* fdclose: neutralise a file descriptor inside a live process. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib.h"

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal	424
#endif

static const char usage_text[] =
"usage: fdclose [--mode auto|shutdown|destroy|replace|close] [--null]\n"
"               [--dry-run] [--force] [--expect INODE] [-v] PID FD...\n";
static const char help_text[] =
"Neutralise file descriptors inside a live process, without gdb.\n"
"\n"
"  -m, --mode MODE   auto (default): shutdown for connected stream sockets,\n"
"                    destroy where shutdown is impossible, else replace\n"
"                    shutdown: pidfd_getfd + shutdown(SHUT_RDWR), no ptrace\n"
"                              (before Linux 5.6: shutdown injected)\n"
"                    destroy:  SOCK_DESTROY of that TCP/UDP socket (RST)\n"
"                    replace:  ptrace-inject dup3(placeholder socket, FD)\n"
"                    close:    ptrace-inject close(FD)\n"
"      --null        replace with /dev/null instead of a socket (writes\n"
"                    then succeed silently; implies --mode replace)\n"
"      --dry-run     print the plan and what the target will see; act not\n"
"      --force       allow fds 0-2, listening sockets, PID 1 and ancestors,\n"
"                    stopped targets, SIGPIPE-default targets, seccomp,\n"
"                    files on NFS or FUSE (a hung flush is waited for)\n"
"      --expect INODE  refuse unless FD still refers to that inode\n"
"  -v, --verbose     say which fallbacks an older kernel needed\n"
"  -h, --help        this help\n"
"  -V, --version     version and build\n"
"\n"
"Injection blocks every catchable signal from attach to detach; SIGKILL\n"
"and SIGSTOP cannot be blocked: killing fdclose mid-injection can leave\n"
"the target with the injected registers.\n"
"Exit: 0 done, 1 nothing to do (fd not open), 2 usage, 3 refused or failed.\n";

enum method { M_AUTO, M_SHUTDOWN, M_DESTROY, M_REPLACE, M_CLOSE };
static const char *method_names[] = {
	"auto", "shutdown", "destroy", "replace", "close"
};

static enum method opt_mode = M_AUTO;
static int opt_dry, opt_force, opt_expect_set, opt_null;
/*
 * A thread seized that never stopped: only our exit detaches it (the
 * kernel then drops the pending interrupt), so stop at once.
 */
static int abandoned;
static uint64_t opt_expect;

#define WATCH_MS	1000	/* the after-watch */
#define STOP_MS		2000	/* deadline for every ptrace wait */

struct target {
	struct pin	 pin;
	struct proc_stat st;
	struct proc_status ss;
	char		 cmd[256];
	int		 pipe_safe;	/* SIGPIPE ignored, caught or blocked
					   in every thread */
	int		 files;		/* where fd/, fdinfo/, ns/ are read:
					   pin.dir, or a live thread's
					   directory when the leader exited */
	pid_t		 main;		/* the thread acted in when none is
					   blocked on the fd: the leader, or
					   that live thread */
};

struct fdesc {
	int		 fd;
	char		 link[4096];
	char		 desc[4400];	/* what it is, for the report */
	enum fd_type	 type;
	uint64_t	 ino;
	struct fdinfo	 fi;
	int		 sock;		/* si is valid */
	struct sock_info si;
	pid_t		 tid;		/* thread blocked on fd, 0 if none */
	pid_t		 thr;		/* the thread acted in: tid, else
					   the target's main */
	int		 nthreads;
	struct inject_sysline sl;	/* tid's call (or the main thread's) */
	char		 remote[32];	/* its NFS, FUSE, ... type, "?", "" */
	enum method	 m;
	const char	*why;
	int		 unix_ph;	/* replace: AF_UNIX placeholder */
	int		 null_ph;	/* replace: /dev/null (--null) */
	int		 held, lost;	/* signals held while it was stopped */
};

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(2);
}

static const char *
call_name(long nr, char *buf, size_t size)
{
	const char *n = inject_call_name(nr);

	if (nr == -2)
		return "user mode (running)";
	if (nr == -1)
		return "no system call";
	if (n)
		return n;
	snprintf(buf, size, "syscall %ld", nr);
	return buf;
}

/* --- the target process --- */

/* A thread id names its process: a thread's fds are its process's. */
static pid_t
thread_group(pid_t pid)
{
	struct proc_status ss;
	int dir = proc_open(pid);

	if (dir < 0)
		return pid;
	if (proc_status_read(dir, &ss) == 0 && ss.tgid > 0 && ss.tgid != pid) {
		warnx("pid %d is a thread of process %d; acting on %d",
		    (int)pid, (int)ss.tgid, (int)ss.tgid);
		pid = ss.tgid;
	}
	close(dir);
	return pid;
}

/* fd d->fd in thread tid's own table is the object described. */
static int
thread_fd_is(const struct target *t, pid_t tid, const struct fdesc *d)
{
	char name[48], link[4096];
	uint64_t ino = 0;
	const char *sub;
	size_t sublen;

	snprintf(name, sizeof(name), "task/%d/fd/%d", (int)tid, d->fd);
	if (proc_readlink(t->pin.dir, name, link, sizeof(link)) < 0)
		return 0;
	fd_link_type(link, &ino, &sub, &sublen);
	return strcmp(link, d->link) == 0 && (ino == 0 || ino == d->ino);
}

/* /proc/PID/task/TID/status of one thread of the target. */
static int
thread_status(const struct target *t, pid_t tid, struct proc_status *ss)
{
	int dir, r;

	if ((dir = proc_task_open(t->pin.dir, tid)) < 0)
		return -1;
	r = proc_status_read(dir, ss);
	close(dir);
	return r;
}

struct pipecheck {
	const struct target *t;
	int		 open;		/* a thread does not block SIGPIPE */
};

static int
pipe_cb(pid_t tid, void *arg)
{
	struct pipecheck *c = arg;
	struct proc_status ts;

	/* a thread gone meanwhile or dead (an exited leader) sends nothing */
	c->open = thread_status(c->t, tid, &ts) == 0 && ts.state != 'Z' &&
	    ts.state != 'X' && !(ts.sigblk & 1ull << (SIGPIPE - 1));
	return c->open;
}

/*
 * SIGPIPE's disposition is the process's, but the blocked mask is each
 * thread's own: blocked counts only when every thread blocks it (any of
 * them may be the one that sends).
 */
static int
pipe_safe(const struct target *t)
{
	struct pipecheck c = { t, 0 };

	if ((t->ss.sigign | t->ss.sigcgt) & 1ull << (SIGPIPE - 1))
		return 1;
	return proc_task_foreach(t->pin.dir, pipe_cb, &c) == 0 && !c.open;
}

static int
target_open(struct target *t, pid_t pid)
{
	pid = thread_group(pid);
	if (pin_open(&t->pin, pid) < 0) {
		if (errno == ESRCH)
			warnx("pid %d: no such process", (int)pid);
		else
			warn("open pid %d", (int)pid);
		return errno == ESRCH ? 1 : 3;
	}
	if (proc_stat_read(t->pin.dir, &t->st) < 0 ||
	    proc_status_read(t->pin.dir, &t->ss) < 0) {
		warn("read pid %d", (int)pid);
		return 3;
	}
	proc_cmdline(t->pin.dir, t->st.comm, t->cmd, sizeof(t->cmd));
	t->pipe_safe = pipe_safe(t);
	t->files = -1;
	if (proc_leader_exited(&t->st))
		t->files = proc_live_task_open(t->pin.dir, &t->main, NULL);
	if (t->files < 0)
		t->files = t->pin.dir, t->main = t->pin.pid;
	return 0;
}

static void
target_close(struct target *t)
{
	if (t->files != t->pin.dir)
		close(t->files);
	pin_close(&t->pin);
}

/*
 * pidfd_getfd of the target's fd: the leader's own table, which is gone
 * when the leader exited while threads run (EBADF): then, as on a kernel
 * without it, shutdown is injected.
 */
static int
getfd(const struct target *t, int fd)
{
	if (t->files != t->pin.dir)
		return errno = ENOSYS, -1;
	return pin_getfd(&t->pin, fd);
}

/* Whether getfd can work: the kernel has it, and the leader its fds. */
static int
getfd_supported(const struct target *t)
{
	return t->files == t->pin.dir && pidfd_supported();
}

static int
target_refuse(const struct target *t)
{
	pid_t pid = t->pin.pid;

	if (t->st.flags & PROC_PF_KTHREAD) {
		warnx("pid %d: refusing: a kernel thread has no fds to close",
		    (int)pid);
		return 3;
	}
	if (t->st.state == 'Z' && t->st.threads <= 1) {
		warnx("pid %d: a zombie: its fds are already closed", (int)pid);
		return 1;
	}
	if (!opt_force && proc_is_protected(pid) == 0) {
		warnx("pid %d: refusing: %s (--force allows it)", (int)pid,
		    pid == 1 ? "PID 1" : pid == getpid() ? "fdclose itself" :
		    "an ancestor of fdclose");
		return 3;
	}
	return 0;
}

/* --- the fd --- */

/* The description fdls gives (lib/fddesc.c), then inode and flags. */
static void
describe(struct fdesc *d, const struct fd_desc *fdd)
{
	char name[4200], fl[128] = "";

	d->type = fdd->kind;
	d->ino = fdd->ino;
	if (fdd->has_info)
		d->fi = fdd->info;
	if (fdd->sock) {
		d->si = *fdd->sock;
		d->si.path = NULL;
		d->sock = 1;
	}
	fd_desc_name(fdd, name, sizeof(name));
	fd_flags_fmt(d->fi.flags, fl, sizeof(fl));
	snprintf(d->desc, sizeof(d->desc), "%s %s inode %llu%s%s", fdd->type,
	    name, (unsigned long long)d->ino, *fl ? " " : "", fl);
}

static int
fd_gone(struct target *t, struct fdesc *d)
{
	if (errno == ENOENT) {
		warnx("pid %d fd %d: not open", (int)t->pin.pid, d->fd);
		return 1;
	}
	warnx("read fd %d of pid %d: %s%s", d->fd, (int)t->pin.pid,
	    strerror(errno), errno == EACCES ? " (needs the target's uid or "
	    "CAP_SYS_PTRACE)" : "");
	return 3;
}

/*
 * A file's mount type, from procfs (nothing here touches the file): kept
 * in d->remote when its flush may wait on a server or daemon, or "?"
 * when it cannot be told: a mount detached by umount -l (as a dead NFS
 * server's often is), another namespace's, or no mnt_id (Linux < 3.15).
 */
static void
fs_check(const struct target *t, struct fdesc *d)
{
	if (mount_type(t->files, d->fi.mnt_id, d->remote,
	    sizeof(d->remote)) < 0)
		strcpy(d->remote, "?");
	else if (!mount_type_remote(d->remote))
		d->remote[0] = '\0';
}

/* 0, 1 when the fd is not open, 3 on failure. */
static int
fd_read(struct target *t, struct fdesc *d)
{
	struct sock_table tab;
	struct fd_desc fdd;
	char name[32];
	int fddir, sock, r = -1;

	snprintf(name, sizeof(name), "fd/%d", d->fd);
	if (proc_readlink(t->files, name, d->link, sizeof(d->link)) < 0)
		return fd_gone(t, d);
	sock = strncmp(d->link, "socket:", 7) == 0 &&
	    sock_table_load(&tab, t->files, SOCK_K_ALL) == 0;
	if ((fddir = fd_dir_open(t->files)) >= 0) {
		r = fd_describe(t->files, fddir, d->fd, FDD_STAT | FDD_INFO |
		    FDD_SOCK, sock ? &tab : NULL, &fdd);
		if (r == 0)
			describe(d, &fdd);
		close(fddir);
	}
	if (sock)
		sock_table_free(&tab);
	if (r < 0)
		return fd_gone(t, d);
	if (d->type == FD_REG)
		fs_check(t, d);
	d->tid = inject_pick_thread(t->pin.pid, d->fd, &d->nthreads);
	/* A thread with a table of its own (CLONE_FILES) blocks elsewhere. */
	if (d->tid && !thread_fd_is(t, d->tid, d))
		d->tid = 0;
	d->thr = d->tid ? d->tid : t->main;
	if (inject_sysline_read(t->pin.pid, d->thr, &d->sl) < 0)
		d->sl.nr = -3;
	return 0;
}

/* --- choosing the method --- */

#define TCP_LISTEN_ST	10
#define TCP_CLOSE_ST	7
#define TCP_ESTAB_ST	1
#define FL_CLOEXEC	02000000u	/* asm-generic/fcntl.h, octal fdinfo */
#define FL_NONBLOCK	04000u

static int
is_inet(const struct fdesc *d)
{
	return d->sock && d->si.family != AF_UNIX;
}

static int
is_listening(const struct fdesc *d)
{
	return d->sock && d->si.state == TCP_LISTEN_ST &&
	    (d->si.proto == IPPROTO_TCP || d->si.family == AF_UNIX);
}

/*
 * A socket the namespace's tables do not hold (one moved to another
 * network namespace after it was made, a family sock_diag lacks) may
 * still listen: its duplicate says (SO_ACCEPTCONN). 1 listens, 0 not,
 * -1 cannot tell.
 */
static int
listens(const struct target *t, const struct fdesc *d)
{
	socklen_t len = sizeof(int);
	int dup, v = 0, r;

	if (d->sock || d->type != FD_SOCK)
		return is_listening(d);
	if ((dup = getfd(t, d->fd)) < 0)
		return -1;
	r = getsockopt(dup, SOL_SOCKET, SO_ACCEPTCONN, &v, &len);
	close(dup);
	return r < 0 ? -1 : v != 0;
}

static int
connected_stream(const struct fdesc *d)
{
	if (!d->sock || is_listening(d))
		return 0;
	/*
	 * The peer comes from unix_diag only; without it (no sock_diag, the
	 * /proc/net/unix fallback) St SS_CONNECTED is read as ESTABLISHED.
	 */
	if (d->si.family == AF_UNIX)
		return d->si.type != SOCK_DGRAM &&
		    (d->si.peer != 0 || d->si.state == TCP_ESTAB_ST);
	return d->si.proto == IPPROTO_TCP && d->si.state != TCP_CLOSE_ST;
}

static void
choose(const struct target *t, struct fdesc *d)
{
	d->m = opt_mode;
	d->why = "requested with --mode";
	if (opt_mode == M_AUTO && connected_stream(d) && !t->pipe_safe) {
		d->m = M_REPLACE;
		d->why = "SIGPIPE is at its default in the target, so shutdown"
		    " would kill it; an AF_UNIX placeholder raises no SIGPIPE";
	} else if (opt_mode == M_AUTO && connected_stream(d) &&
	    getfd_supported(t)) {
		d->m = M_SHUTDOWN;
		d->why = "a connected stream socket: shutdown needs no ptrace,"
		    " never stops the target and wakes every waiter";
	} else if (opt_mode == M_AUTO && is_inet(d) && t->pipe_safe) {
		d->m = M_DESTROY;
		d->why = d->si.proto == IPPROTO_UDP ? "a UDP socket: "
		    "SOCK_DESTROY aborts it without ptrace" : t->files !=
		    t->pin.dir ? "the leader thread exited, taking pidfd_getfd's"
		    " view of the fds: SOCK_DESTROY needs no ptrace" :
		    "no pidfd_getfd on this kernel: SOCK_DESTROY needs no ptrace";
	} else if (opt_mode == M_AUTO && connected_stream(d)) {
		d->m = M_SHUTDOWN;
		d->why = t->files != t->pin.dir ? "a connected stream socket; "
		    "the leader thread exited, taking pidfd_getfd's view of the "
		    "fds, so shutdown is injected with ptrace" : "a connected "
		    "stream socket; no pidfd_getfd on this kernel, so shutdown "
		    "is injected with ptrace";
	} else if (opt_mode == M_AUTO) {
		d->m = M_REPLACE;
		d->why = "not a connected stream socket: dup3 of a placeholder"
		    " keeps the fd number taken";
	}
	d->unix_ph = !is_inet(d) || !t->pipe_safe;
	d->null_ph = opt_null && d->m == M_REPLACE;
}

static const char *
sees(const struct target *t, const struct fdesc *d)
{
	switch (d->m) {
	case M_SHUTDOWN:
		return "a blocked send returns the bytes already queued or "
		    "EPIPE, later sends EPIPE, reads EOF, epoll EPOLLHUP; the "
		    "peer gets EOF";
	case M_DESTROY:
		return "a blocked send returns the bytes already queued or "
		    "ECONNABORTED, later sends EPIPE; the peer gets an RST and "
		    "the socket is freed";
	case M_REPLACE:
		if (d->null_ph)
			return "fd stays open on /dev/null: writes succeed "
			    "and vanish (a writer may go on forever), sends "
			    "ENOTSOCK, reads EOF";
		return d->unix_ph ? "fd stays open as an unconnected AF_UNIX "
		    "socket: writes ENOTCONN (no SIGPIPE), reads EINVAL" :
		    "fd stays open as an unconnected socket: sends EPIPE "
		    "(SIGPIPE is ignored or handled), reads ENOTCONN";
	default:
		return "EBADF on the fd; the number is free for the target's "
		    "next open";
	}
}

/* --- refusals: one line on stderr, status 3 --- */

static int
thread_state(const struct target *t, pid_t tid)
{
	struct proc_stat st;
	int dir, r;

	if ((dir = proc_task_open(t->pin.dir, tid)) < 0)
		return 0;
	r = proc_stat_read(dir, &st);
	close(dir);
	return r < 0 ? 0 : st.state;
}

static int
refuse_inject(const struct target *t, const struct fdesc *d)
{
	char cmd[256] = "?";
	pid_t tid = d->thr;
	struct proc_status ts;
	int s = thread_state(t, tid), dir;

	/* Tracer and seccomp filter are each thread's own. */
	if (thread_status(t, tid, &ts) < 0)
		ts = t->ss;
	if (ts.tracerpid) {
		if ((dir = proc_open(ts.tracerpid)) >= 0) {
			proc_cmdline(dir, "?", cmd, sizeof(cmd));
			close(dir);
		}
		warnx("pid %d: refusing to inject: thread %d is already "
		    "traced by pid %d (%s); --mode shutdown or destroy need no "
		    "ptrace", (int)t->pin.pid, (int)tid, (int)ts.tracerpid,
		    cmd);
		return 3;
	}
#ifdef UNDEAD_TEST_HOOKS
	/* Test builds: reach the wait deadline on a D-state thread. */
	if (getenv("UNDEAD_HOOK_ALLOW_D"))
		s = 0;
#endif
	if (s == 'D') {
		warnx("pid %d: refusing to inject: thread %d is in "
		    "uninterruptible sleep (D) and would not stop",
		    (int)t->pin.pid, (int)tid);
		return 3;
	}
	if ((s == 'T' || s == 't') && !opt_force) {
		warnx("pid %d: refusing to inject: thread %d is stopped (%c); "
		    "--force injects and leaves it stopped", (int)t->pin.pid,
		    (int)tid, s);
		return 3;
	}
	if (ts.seccomp == 1 || (ts.seccomp == 2 && geteuid() != 0 &&
	    !opt_force)) {
		warnx("pid %d: refusing to inject: seccomp %s of thread %d "
		    "could kill the target%s", (int)t->pin.pid, ts.seccomp == 1 ?
		    "strict mode" : "filter", (int)tid, ts.seccomp == 1 ? "" :
		    " (root suspends it; --force tries anyway)");
		return 3;
	}
	return 0;
}

/* Replace and close run the file's flush, which may hang (fs_check). */
static int
refuse_remote(const struct target *t, const struct fdesc *d)
{
	if (!d->remote[0] || opt_force)
		return 0;
	if (strcmp(d->remote, "?"))
		warnx("pid %d fd %d: refusing %s: a file on %s, whose flush at "
		    "close may wait on a server or daemon that does not answer,"
		    " with the thread stopped meanwhile (--force waits for it)",
		    (int)t->pin.pid, d->fd, method_names[d->m], d->remote);
	else
		warnx("pid %d fd %d: refusing %s: %s, so whether its close may "
		    "wait on a server cannot be told (--force waits for it)",
		    (int)t->pin.pid, d->fd, method_names[d->m], d->fi.mnt_id < 0 ?
		    "fdinfo has no mnt_id (Linux < 3.15)" : "the file's mount is "
		    "not in the target's mountinfo (detached by umount -l, or "
		    "another namespace's)");
	return 1;
}

static int
refuse(const struct target *t, const struct fdesc *d)
{
	pid_t pid = t->pin.pid;
	int l;

	if (opt_expect_set && d->ino != opt_expect) {
		warnx("pid %d fd %d: refusing: refers to inode %llu, not %llu",
		    (int)pid, d->fd, (unsigned long long)d->ino,
		    (unsigned long long)opt_expect);
		return 3;
	}
	if (d->fd <= 2 && !opt_force) {
		warnx("pid %d fd %d: refusing: fds 0-2 are stdio (--force "
		    "allows it)", (int)pid, d->fd);
		return 3;
	}
	if ((l = listens(t, d)) != 0 && !opt_force) {
		warnx("pid %d fd %d: refusing: %s; the service would stop "
		    "accepting (--force allows it)", (int)pid, d->fd, l > 0 ?
		    "a listening socket" : "a socket no table here holds, and "
		    "whether it listens cannot be told without pidfd_getfd");
		return 3;
	}
	if ((d->m == M_SHUTDOWN || d->m == M_DESTROY) && !t->pipe_safe &&
	    !opt_force) {
		warnx("pid %d fd %d: refusing %s: SIGPIPE is at its default "
		    "and unblocked in the target, the next send would kill it"
		    " (--mode replace is safe; --force allows it)", (int)pid,
		    d->fd, method_names[d->m]);
		return 3;
	}
	if (d->m == M_SHUTDOWN && d->type != FD_SOCK) {
		warnx("pid %d fd %d: refusing shutdown: not a socket (--mode "
		    "replace or close)", (int)pid, d->fd);
		return 3;
	}
	if (d->m == M_DESTROY && !is_inet(d)) {
		warnx("pid %d fd %d: refusing destroy: SOCK_DESTROY supports "
		    "only TCP and UDP sockets", (int)pid, d->fd);
		return 3;
	}
	if ((d->m == M_REPLACE || d->m == M_CLOSE) && refuse_remote(t, d))
		return 3;
	/* Without pidfds there is no pidfd_getfd: shutdown is injected. */
	if (d->m == M_REPLACE || d->m == M_CLOSE ||
	    (d->m == M_SHUTDOWN && !getfd_supported(t)))
		return refuse_inject(t, d);
	return 0;
}

/* --- acting --- */

/* Why ptrace access (SEIZE, pidfd_getfd) was denied, as far as we can tell. */
static const char *
eperm_why(const struct target *t, char *buf, size_t size)
{
	struct proc_status ss;
	char y[16] = "";

	if (proc_status_read(t->pin.dir, &ss) == 0 && ss.tracerpid) {
		snprintf(buf, size, "already traced by pid %d",
		    (int)ss.tracerpid);
		return buf;
	}
	proc_read(AT_FDCWD, "/proc/sys/kernel/yama/ptrace_scope", y,
	    sizeof(y));
	if (y[0] == '3')
		return "Yama ptrace_scope is 3: ptrace is disabled (destroy "
		    "still works)";
	if (y[0] == '2' || (y[0] == '1' && geteuid() != 0))
		return "Yama ptrace_scope forbids it (needs CAP_SYS_PTRACE)";
	if (t->ss.uid[0] != getuid() && geteuid() != 0) {
		snprintf(buf, size, "the target runs as uid %u (needs the same"
		    " uid or CAP_SYS_PTRACE)", (unsigned)t->ss.uid[0]);
		return buf;
	}
	return "not dumpable, an LSM denial, or no CAP_SYS_PTRACE";
}

static int
act_shutdown(struct target *t, struct fdesc *d, char *err, size_t size)
{
	char why[128];
	struct stat st;
	int dup, r;

	if ((dup = getfd(t, d->fd)) < 0) {
		if (errno == EPERM)
			snprintf(err, size, "pidfd_getfd: %s", eperm_why(t,
			    why, sizeof(why)));
		return -1;
	}
	if (fstat(dup, &st) < 0 || st.st_ino != d->ino) {
		close(dup);
		snprintf(err, size, "fd %d now refers to another object",
		    d->fd);
		return errno = ESTALE, -1;
	}
	r = shutdown(dup, SHUT_RDWR);
	close(dup);
	return r;
}

static int
act_destroy(struct target *t, struct fdesc *d, char *err, size_t size)
{
	int proto;

	if (pin_check(&t->pin) < 0)
		return -1;
	return destroy_sock(t->files, d->ino, &proto);
}

/*
 * The placeholder: /dev/null opened with its path written under the
 * thread's stack (--null), else an unconnected socket. A stack page that
 * is not mapped falls back to the socket.
 */
static int
placeholder(struct inject *in, struct fdesc *d, long *ph)
{
	static const char null[] = "/dev/null";
	long a[6] = { 0 };
	uint64_t addr;

	if (d->null_ph && inject_scratch(in, null, sizeof(null), &addr) == 0) {
		a[0] = AT_FDCWD;
		a[1] = (long)addr;
		a[2] = O_RDWR | O_CLOEXEC |
		    (d->fi.flags & FL_NONBLOCK ? O_NONBLOCK : 0);
		return inject_call(in, SYS_openat, a, ph);
	}
	d->null_ph = 0;
	a[0] = d->unix_ph ? AF_UNIX : d->si.family;
	a[1] = SOCK_STREAM | SOCK_CLOEXEC |
	    (d->fi.flags & FL_NONBLOCK ? SOCK_NONBLOCK : 0);
	return inject_call(in, SYS_socket, a, ph);
}

/* What the injected calls did, for the report. */
struct calls {
	const char	*call;		/* the last one tried, or NULL */
	long		 ph;		/* the placeholder fd, or -1 */
	int		 made;		/* a placeholder was made */
	int		 replaced;	/* dup3 put it in place of the fd */
	int		 unsure;	/* a call failed that may have run */
};

/*
 * 0, or -1/errno for a call that returned -errno or did not run
 * (EAGAIN: signals kept coming; EFAULT: it faulted), or that may have
 * run (the thread died, a deadline passed): then c->unsure.
 */
static int
call_result(struct calls *c, int r, long res)
{
	if (r < 0) {
		c->unsure |= errno != EAGAIN && errno != EFAULT;
		return -1;
	}
	if (res < 0 && res > -4096) {
		errno = -res;
		return -1;
	}
	return 0;
}

/*
 * The placeholder goes again whatever dup3 did: after it, it is a second
 * fd for the same object; without it, the target's fd table must be as
 * it was. So this call runs even where signals made dup3 give up.
 */
static int
unplace(struct inject *in, struct calls *c)
{
	long a[6] = { 0 }, res = 0;
	int r;

	a[0] = c->ph;
	in->held_max += INJECT_HELD_MAX;
	r = inject_call(in, SYS_close, a, &res);
	if (call_result(c, r, res) < 0)
		return -1;
	c->ph = -1;
	return 0;
}

/*
 * The injected calls; the target is stopped, so no output in here.
 * 0 when all succeeded, else -1/errno of the failed call (c->call).
 */
static int
inject_calls(struct inject *in, struct fdesc *d, struct calls *c)
{
	long a[6] = { 0 }, res = 0;
	int r, e;

	if (d->m == M_CLOSE || d->m == M_SHUTDOWN) {
		c->call = d->m == M_CLOSE ? "close" : "shutdown";
		a[0] = d->fd;
		a[1] = SHUT_RDWR;
		r = inject_call(in, d->m == M_CLOSE ? SYS_close : SYS_shutdown,
		    a, &res);
		return call_result(c, r, res);
	}
	r = placeholder(in, d, &res);
	c->call = d->null_ph ? "openat" : "socket";
	if (call_result(c, r, res) < 0)
		return -1;
	c->ph = res;
	c->made = 1;
	c->call = "dup3";
	a[0] = c->ph;
	a[1] = d->fd;
	a[2] = d->fi.flags & FL_CLOEXEC ? O_CLOEXEC : 0;
	r = inject_call(in, SYS_dup3, a, &res);
	r = call_result(c, r, res);
	c->replaced = r == 0;
	e = errno;
	if (unplace(in, c) < 0 && r == 0) {
		c->call = "close";
		return -1;
	}
	errno = e;
	return r;
}


/* Root: the OOM killer must not end fdclose inside the window. */
static void
oom_protect(void)
{
	int fd;

	if (geteuid() != 0)
		return;
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		(void)write(fd, "-1000", 5);
		close(fd);
	}
}

/*
 * While the thread is stopped, cheaply: the pinned process is alive (its
 * pidfd can name no other) and the seized tid is one of its threads.
 */
static int
still_ours(const struct target *t, pid_t tid)
{
	char name[32];

	if (t->pin.pidfd >= 0) {
		if (syscall(SYS_pidfd_send_signal, t->pin.pidfd, 0, NULL, 0) < 0
		    && errno != EPERM)
			return 0;
	} else if (pin_check(&t->pin) < 0)
		return 0;
	snprintf(name, sizeof(name), "task/%d", (int)tid);
	return faccessat(t->pin.dir, name, F_OK, 0) == 0;
}

/* What went wrong, in words, from the state the injection ended in. */
static void
inject_why(const struct target *t, const struct inject *in, int attached,
    int e, char *err, size_t size)
{
	char why[128];

	if (in->dead)
		snprintf(err, size, "the target died during the injection%s",
		    WIFSIGNALED(in->status) && WTERMSIG(in->status) == SIGKILL ?
		    " (SIGKILL)" : "");
	else if (e == EPERM && !attached && !in->seized && in->options)
		snprintf(err, size, "ptrace: suspending the target's seccomp "
		    "filter needs CAP_SYS_ADMIN and an unfiltered fdclose");
	else if (e == EOPNOTSUPP && !attached && in->options)
		snprintf(err, size, "ptrace: this kernel cannot suspend the "
		    "target's seccomp filter (Linux 4.3 can)");
	else if (e == EPERM && !attached && !in->seized)
		snprintf(err, size, "ptrace: %s", eperm_why(t, why,
		    sizeof(why)));
	else if (attached)
		return;		/* a call failed: calls_why() says which */
	else if (e == EBUSY)
		snprintf(err, size, "the stopped thread is in a system call; "
		    "injecting would run it (SIGCONT it first)");
	else if (e == ENOEXEC)
		snprintf(err, size, "no syscall instruction to run the call at"
		    " (not a native 64-bit thread, or no vDSO)");
	else if (e == EAGAIN)
		snprintf(err, size, "signals kept coming before the thread "
		    "could be injected (%d held, %d delivered again); nothing "
		    "was changed", in->nheld, in->nheld - in->lost);
	else if (e == ETIMEDOUT) {
		snprintf(err, size, "thread %d did not stop within %d ms; "
		    "nothing was changed", (int)in->tid, STOP_MS);
		abandoned = in->seized;
	}
}

/*
 * Which call failed and how, what the target's fd table was left with,
 * and the signals held meanwhile.
 */
static void
calls_why(const struct inject *in, const struct calls *c, int e,
    char *err, size_t size)
{
	size_t n;

	if (e == EAGAIN)
		n = snprintf(err, size, "signals kept coming while the thread "
		    "was stopped (%d held): gave up before %s", in->nheld,
		    c->call);
	else
		n = snprintf(err, size, "%s: %s", c->call, strerror(e));
	if (n < size && c->ph >= 0)
		n += snprintf(err + n, size - n, "; the placeholder (fd %ld) "
		    "is still open in the target", c->ph);
	else if (n < size && !c->replaced && !c->unsure)
		n += snprintf(err + n, size - n, "%s; nothing was changed",
		    c->made ? "; the placeholder was closed again" : "");
	if (n < size && in->nheld)
		snprintf(err + n, size - n, "; %d of %d held signals delivered"
		    " again", in->nheld - in->lost, in->nheld);
}

/*
 * PTRACE_O_SUSPEND_SECCOMP when root meets a filter of the thread to be
 * seized (the filter is each thread's own).
 */
static int
suspend_option(const struct target *t, const struct fdesc *d)
{
	struct proc_status ts;

	if (thread_status(t, d->thr, &ts) < 0)
		ts = t->ss;
	return ts.seccomp == 2 && geteuid() == 0 ? 0x00200000 : 0;
}

/* An injected call that does not come back: why fdclose waits on. */
static void
call_slow(const struct inject *in)
{
	char path[64], wchan[64] = "";
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/wchan", (int)in->pid,
	    (int)in->tid);
	if ((n = proc_read(AT_FDCWD, path, wchan, sizeof(wchan))) < 0 ||
	    strcmp(wchan, "0") == 0)
		wchan[0] = '\0';
	fflush(stdout);
	warnx("pid %d thread %d: the injected call has not returned after %d"
	    " ms: it waits in the kernel%s%s; waiting on, since the thread "
	    "gets its registers back only when it returns (killing fdclose "
	    "now would leave it to crash then)", (int)in->pid, (int)in->tid,
	    STOP_MS, *wchan ? " in " : "", wchan);
}

/* Seizes the thread; --force tries again without suspending its filter. */
static int
attach(const struct target *t, const struct fdesc *d, struct inject *in)
{
	in->options = suspend_option(t, d);
	if (inject_attach(in) == 0)
		return 1;
	if ((errno != EPERM && errno != EOPNOTSUPP) || in->seized ||
	    !in->options || !opt_force)
		return 0;
	in->options = 0;		/* --force: inject under the filter */
	return inject_attach(in) == 0;
}

static int
act_inject(struct target *t, struct fdesc *d, uint64_t *ns, char *err,
    size_t size)
{
	struct calls c = { NULL, -1, 0, 0, 0 };
	struct inject in;
	int r = -1, e, attached, hold;

	if (inject_prepare(&in, t->pin.pid, d->thr, STOP_MS) < 0)
		return -1;
	in.slow = call_slow;
	/*
	 * Holding a duplicate keeps the target's close from being the last
	 * one, so an SO_LINGER close blocks here, not in the stopped thread.
	 */
	hold = d->type == FD_SOCK ? getfd(t, d->fd) : -1;
	oom_protect();
	if ((attached = attach(t, d, &in)) != 0) {
		if (!still_ours(t, in.tid))
			errno = ESRCH;
		/* still there, in the seized thread's own fd table */
		else if (!thread_fd_is(t, in.tid, d))
			errno = ESTALE;
		else
			r = inject_calls(&in, d, &c);
	}
	e = errno;
	if (in.stopped && inject_detach(&in) < 0 && !in.dead) {
		/* ESRCH from a stopped tracee: SIGKILLed meanwhile. */
		if (errno == ESRCH)
			in.dead = 1;
		else
			snprintf(err, size, "detach failed: %s",
			    strerror(errno));
		r = -1;
	}
	inject_why(t, &in, attached, e, err, size);
	if (r < 0 && !*err && c.call)
		calls_why(&in, &c, e, err, size);
	*ns = in.stopped_ns;
	d->held = in.nheld;
	d->lost = in.lost;
	inject_close(&in);
	if (hold >= 0)
		close(hold);
	errno = e;
	return r;
}

/* --- the report --- */

static uint64_t
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)(t.tv_sec - t0->tv_sec) * 1000 +
	    (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A call that may be waiting on the fd among others (epoll, poll). */
static int
poll_call(long nr)
{
#ifdef SYS_epoll_wait
	if (nr == SYS_epoll_wait || nr == SYS_poll || nr == SYS_select)
		return 1;
#endif
	return nr == SYS_epoll_pwait || nr == SYS_ppoll || nr == SYS_pselect6;
}

/*
 * Did the blocked thread (else a main thread waiting in epoll or poll,
 * like a PostgreSQL backend) leave its call within WATCH_MS?
 */
static void
watch(struct target *t, const struct fdesc *d, const struct timespec *t0)
{
	struct inject_sysline sl;
	struct timespec ts = { 0, 5000000 };
	struct proc_stat st;
	pid_t tid = d->thr;
	char nb[32];
	const char *name = call_name(d->sl.nr, nb, sizeof(nb));

	if (d->tid == 0 && !poll_call(d->sl.nr)) {
		printf("  after:   no thread was blocked on fd %d\n", d->fd);
		return;
	}
	for (;;) {
		if (inject_sysline_read(t->pin.pid, tid, &sl) < 0 ||
		    (proc_stat_read(t->pin.dir, &st) == 0 &&
		    st.state == 'Z' && st.threads <= 1) ||
		    pin_check(&t->pin) < 0) {
			printf("  after:   the process exited within %llu ms\n",
			    (unsigned long long)ms_since(t0));
			return;
		}
		if (sl.nr != d->sl.nr || sl.args[0] != d->sl.args[0]) {
			printf("  after:   thread %d left %s within %llu ms\n",
			    (int)tid, name, (unsigned long long)ms_since(t0));
			return;
		}
		if (ms_since(t0) >= WATCH_MS)
			break;
		nanosleep(&ts, NULL);
	}
	printf("  after:   thread %d still in %s after %d ms\n", (int)tid,
	    name, WATCH_MS);
}

static void
sock_after(struct target *t, const struct fdesc *d)
{
	struct sock_table tab;
	const struct sock_info *s;

	if (!d->sock || pin_check(&t->pin) < 0)
		return;
	if (sock_table_load(&tab, t->files, SOCK_K_ALL) < 0)
		return;
	s = sock_find(&tab, d->ino);
	if (s == NULL)
		printf("  socket:  no longer in the namespace by that inode "
		    "(orphaned or freed)\n");
	else
		printf("  socket:  %s%s\n", sock_state_name(s->proto,
		    s->state), s->shutdown == 3 ? " (shut down)" : "");
	sock_table_free(&tab);
}

/* shutdown and destroy act on the connection, for every holder. */
static void
report_shared(const struct target *t, const struct fdesc *d)
{
	struct fd_holder *h;
	size_t n;

	if (!d->sock || (d->m != M_SHUTDOWN && d->m != M_DESTROY))
		return;
	/* Another process holding the same socket (a fork, a passed fd). */
	if (fd_holders(&d->ino, 1, NULL, 0, t->pin.pid, &h, &n) == 0 && n)
		printf("  warning: the socket is also open in pid %d fd %d: "
		    "%s acts on it there too\n", (int)h->pid, h->fd,
		    method_names[d->m]);
	free(h);
}

static void
report_plan(const struct target *t, const struct fdesc *d)
{
	char nb[32];

	printf("pid %d (%s) fd %d: %s\n", (int)t->pin.pid, t->st.comm, d->fd,
	    d->desc);
	if (d->tid)
		printf("  thread:  %d in %s(%d)%s\n", (int)d->tid,
		    call_name(d->sl.nr, nb, sizeof(nb)), d->fd,
		    d->nthreads > 1 ? " (the thread blocked on the fd)" : "");
	else if (t->main != t->pin.pid)
		printf("  thread:  none blocked on fd %d (thread %d in %s; the "
		    "main thread exited)\n", d->fd, (int)t->main,
		    call_name(d->sl.nr, nb, sizeof(nb)));
	else
		printf("  thread:  none blocked on fd %d (main thread in %s)\n",
		    d->fd, call_name(d->sl.nr, nb, sizeof(nb)));
	printf("  method:  %s: %s\n", method_names[d->m], d->why);
	printf("  sees:    %s\n", sees(t, d));
	if (d->m == M_CLOSE)
		printf("  warning: an fd closed inside an epoll set leaves it "
		    "silently; an epoll waiter (PostgreSQL >= 9.5) waits on\n");
	if ((d->m == M_REPLACE || d->m == M_CLOSE) && d->tid == 0 &&
	    d->nthreads > 1 + (t->main != t->pin.pid))
		printf("  warning: injecting into the main thread will not wake"
		    " a thread blocked on the fd elsewhere\n");
	if ((d->m == M_REPLACE || d->m == M_CLOSE) && d->remote[0])
		printf("  warning: a file on %s: its close may wait on the server"
		    " or daemon, and the thread with it; fdclose waits too\n",
		    strcmp(d->remote, "?") ? d->remote : "a mount not in the "
		    "target's mountinfo");
	if ((d->m == M_REPLACE || d->m == M_CLOSE) &&
	    (d->sl.nr == SYS_epoll_pwait
#ifdef SYS_epoll_wait
	    || d->sl.nr == SYS_epoll_wait
#endif
	    ))
		printf("  warning: the stop makes epoll_wait return EINTR\n");
	report_shared(t, d);
}

/* --- one fd: select, refuse, act, report --- */

/*
 * The method this kernel cannot do gives way: shutdown without
 * pidfd_getfd is injected (auto tries SOCK_DESTROY first on TCP/UDP, as
 * it stops nothing), and auto's destroy without SOCK_DESTROY becomes an
 * injected shutdown (connected streams) or replace.
 */
static int
next_method(const struct target *t, struct fdesc *d, enum method m,
    char *err)
{
	printf("  method:  %s%s: %s failed (%s)\n", method_names[m],
	    m == M_SHUTDOWN ? " by injection" : "", d->m == m ?
	    "pidfd_getfd" : method_names[d->m], strerror(errno));
	d->m = m;
	err[0] = '\0';
	if (m == M_REPLACE)
		printf("  sees:    %s\n", sees(t, d));
	return m == M_DESTROY ? 0 : refuse_inject(t, d);
}

static int
act(struct target *t, struct fdesc *d, uint64_t *ns, char *err, size_t size)
{
	int r = 0, e;

	*ns = 0;
	/* The leader exited: no table for pidfd_getfd, choose() said so. */
	if (d->m == M_SHUTDOWN && t->files == t->pin.dir) {
		r = act_shutdown(t, d, err, size);
		/* No pidfd_getfd (< 5.6), or Yama 3: destroy, injection. */
		e = errno;
		if (r == 0 || (e != ENOSYS && (e != EPERM ||
		    opt_mode != M_AUTO || !is_inet(d))))
			return r;
		r = next_method(t, d, opt_mode == M_AUTO && is_inet(d) ?
		    M_DESTROY : M_SHUTDOWN, err);
	}
	if (d->m == M_DESTROY) {
		r = act_destroy(t, d, err, size);
		if (r == 0 || opt_mode != M_AUTO || errno != EOPNOTSUPP)
			return r;
		r = next_method(t, d, connected_stream(d) ? M_SHUTDOWN :
		    M_REPLACE, err);
	}
	if (r != 0 && d->m != M_DESTROY) {
		snprintf(err, size, "not possible without ptrace on this "
		    "kernel, and injection is refused");
		return errno = EPERM, -1;
	}
	fflush(stdout);		/* nothing may block while it is stopped */
	return act_inject(t, d, ns, err, size);
}

/* 1 when the process exited on its own before anything was done. */
static int
act_failed(const struct target *t, const struct fdesc *d, const char *err)
{
	int e = errno;

	if (e == ESRCH && *err == '\0' && pin_check(&t->pin) < 0) {
		printf("  action:  none: the process is gone\n");
		return 1;
	}
	printf("  action:  failed\n");
	fflush(stdout);
	warnx("pid %d fd %d: %s: %s", (int)t->pin.pid, d->fd,
	    method_names[d->m], *err ? err : e == ESTALE ?
	    "the fd changed meanwhile" : strerror(e));
	return 3;
}

static int
do_fd(struct target *t, int fd)
{
	struct fdesc d;
	struct timespec t0;
	char err[256] = "";
	uint64_t ns;
	int r;

	memset(&d, 0, sizeof(d));
	d.fd = fd;
	if ((r = fd_read(t, &d)) != 0)
		return r;
	choose(t, &d);
	if ((r = refuse(t, &d)) != 0)
		return r;
	report_plan(t, &d);
	if (opt_dry) {
		printf("  action:  none (dry run)\n");
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (act(t, &d, &ns, err, sizeof(err)) < 0)
		return act_failed(t, &d, err);
	printf("  action:  done\n");
	if (ns)
		printf("  stopped: %llu.%03llu ms\n",
		    (unsigned long long)(ns / 1000000),
		    (unsigned long long)(ns / 1000 % 1000));
	if (d.held)
		printf("  signals: %d arrived while it was stopped, held and "
		    "sent on after (%d refused)\n", d.held, d.lost);
	watch(t, &d, &t0);
	sock_after(t, &d);
	if (d.lost) {
		fflush(stdout);
		warnx("pid %d fd %d: %d of the signals held while it was "
		    "stopped could not be sent on (its signal queue is full)",
		    (int)t->pin.pid, fd, d.lost);
		return 3;
	}
	return 0;
}

static int
parse_pid(const char *s, pid_t *pid)
{
	uint64_t v;

	if (num_range(s, 1, 4194304, &v) < 0) {
		warnx("bad pid: %s", s);
		usage();
	}
	*pid = (pid_t)v;
	return 0;
}

static enum method
parse_mode(const char *s)
{
	int i;

	for (i = 0; i < 5 && strcmp(s, method_names[i]);)
		i++;
	if (i == 5) {
		warnx("bad mode: %s", s);
		usage();
	}
	return i;
}

/* -v: each fallback taken for an older kernel, once, from finish(). */
static void
verbose(void)
{
	static const struct {
		int		 f;
		const char	*name, *how;
	} fb[] = {
		{ FB_PIDFD, "pidfd_open", "pinning by /proc/PID dirfd and "
		    "start time" },
		{ FB_GETFD, "pidfd_getfd", "SOCK_DESTROY or an injected "
		    "shutdown instead" },
		{ FB_STATX, "statx", "using fstatat" },
		{ FB_SOCKDIAG, "sock_diag", "reading /proc/PID/net" },
		{ FB_SEIZE, "PTRACE_SEIZE", "attaching with PTRACE_ATTACH "
		    "(its SIGSTOP is never delivered)" },
		{ FB_DESTROY, "SOCK_DESTROY", "no destroy (auto injects)" },
	};
	size_t i;
	int e;

	for (i = 0; i < sizeof(fb) / sizeof(fb[0]); i++)
		if ((e = fallback_err(fb[i].f)) != 0)
			warnx("%s: not supported by this kernel (%s), %s",
			    fb[i].name, fallback_errname(e), fb[i].how);
}

static void
parse_expect(const char *s)
{
	if (num_u64(s, &opt_expect) < 0) {
		warnx("bad inode: %s", s);
		usage();
	}
	opt_expect_set = 1;
}

/* --null replaces with /dev/null: it implies, and needs, --mode replace. */
static void
null_mode(void)
{
	if (opt_null && opt_mode == M_AUTO)
		opt_mode = M_REPLACE;
	if (opt_null && opt_mode != M_REPLACE) {
		warnx("--null goes with --mode replace");
		usage();
	}
}

static void
parse_opts(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'f' },
		{ "expect", required_argument, NULL, 'e' },
		{ "null", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	char vb[128];
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:m:vhV", lo, NULL)) != -1) {
		switch (c) {
		case 'm':
			opt_mode = parse_mode(optarg);
			break;
		case 'd':
			opt_dry = 1;
			break;
		case 'f':
			opt_force = 1;
			break;
		case 'n':
			opt_null = 1;
			break;
		case 'v':
			finish_hook = verbose;
			break;
		case 'e':
			parse_expect(optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			exit(finish(0));
		case 'V':
			puts(version_line("fdclose", vb, sizeof(vb)));
			exit(finish(0));
		default:
			warnx("%s", opt_error(c, argc, argv, lo, vb,
			    sizeof(vb)));
			usage();
		}
	}
	null_mode();
}

/* A signal that arrived while signals were blocked: honour it now. */
static int
interrupted(int rc)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };
	sigset_t p;
	size_t i;

	if (sigpending(&p) < 0)
		return rc;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigismember(&p, sigs[i])) {
			fflush(stdout);
			warnx("interrupted by %s after completion; the target "
			    "was restored", strsignal(sigs[i]));
			return 3;
		}
	return rc;
}

int
main(int argc, char **argv)
{
	struct target t;
	pid_t pid;
	uint64_t fd;
	int i, r, rc = 1, any3 = 0;

	signal(SIGPIPE, SIG_IGN);
	parse_opts(argc, argv);
	if (argc - optind < 2) {
		warnx("need a PID and at least one FD");
		usage();
	}
	parse_pid(argv[optind], &pid);
	for (i = optind + 1; i < argc; i++)
		if (num_range(argv[i], 0, 0x7fffffff, &fd) < 0) {
			warnx("bad fd: %s", argv[i]);
			usage();
		}
	if (!procfs_mounted()) {
		warnx(PROCFS_MISSING);
		return finish(3);
	}
	memset(&t, 0, sizeof(t));
	if ((r = target_open(&t, pid)) != 0 || (r = target_refuse(&t)) != 0)
		return finish(r);
	for (i = optind + 1; i < argc; i++) {
		num_range(argv[i], 0, 0x7fffffff, &fd);
		if (abandoned)
			break;
		r = do_fd(&t, (int)fd);
		any3 |= r == 3;
		if (r == 0)
			rc = 0;
	}
	target_close(&t);
	return finish(interrupted(any3 ? 3 : rc));
}
