/*
 * init: /init of the arm64 test VM (tests/vm/run.sh). As PID 1 it mounts
 * /proc and /dev, brings lo up, runs fdclose's injection cases against
 * fdclose_victim, prints one "PASS name" or "FAIL name: why" line per
 * check on the console and powers the VM off. Run as another PID (on the
 * host, to debug the cases) it takes the binaries' directory as argv[1].
 */
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TOOL_MS		20000	/* fdclose must be done by then */
#define VICTIM_MS	20000	/* a victim must be ready / gone by then */

struct victim {
	const char	*mode;
	pid_t		 pid;
	char		 out[128];	/* its report */
	int		 status;	/* wait status, -1 while it runs */
};

static const char *bin = "/bin";
static char tmp[64] = "/tmp";
static int npass, nfail, ncase;
static int rc_tool;			/* the last fdclose exit status */
static char tool_out[96], tool_err[96];

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
nap(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void
check(const char *name, int ok, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	if (ok) {
		printf("PASS %s\n", name);
		npass++;
	} else {
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
		printf("FAIL %s: %s\n", name, why);
		nfail++;
	}
	fflush(stdout);
}

/* The whole (small) file, NUL-terminated, into buf; "" if unreadable. */
static char *
slurp(const char *path, char *buf, size_t size)
{
	ssize_t n = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, buf, size - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* The first line of path matching the ERE re, copied to line; 1 or 0. */
static int
grep(const char *path, const char *re, char *line, size_t size)
{
	char buf[8192], *p, *nl;
	regex_t rx;
	int found = 0;

	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB | REG_NEWLINE) != 0)
		return 0;
	slurp(path, buf, sizeof(buf));
	for (p = buf; *p && !found; p = nl ? nl + 1 : p + strlen(p)) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		if (regexec(&rx, p, 0, NULL, 0) == 0) {
			found = 1;
			if (line) {
				line[0] = '\0';
				strncat(line, p, size - 1);
			}
		}
	}
	regfree(&rx);
	return found;
}

/* Waits up to ms for a line matching re in path. */
static int
seen(const char *path, const char *re, long ms, char *line, size_t size)
{
	long end = now_ms() + ms;

	while (!grep(path, re, line, size)) {
		if (now_ms() > end)
			return 0;
		nap(20);
	}
	return 1;
}

/* One line of a file, for a failure message: newlines shown as '|'. */
static const char *
flat(const char *path)
{
	static char buf[600];
	char *p;

	slurp(path, buf, sizeof(buf));
	for (p = buf; *p; p++)
		if (*p == '\n')
			*p = '|';
	return buf;
}

static pid_t
spawn(char *const argv[], const char *out, const char *err)
{
	pid_t p = fork();
	int fd;

	if (p != 0)
		return p;
	if (out && (fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0)
		dup2(fd, 1);
	if (err && (fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0)
		dup2(fd, 2);
	execv(argv[0], argv);
	_exit(127);
}

/* waitpid with a deadline; the child is SIGKILLed (by PID) past it. */
static int
reap(pid_t pid, long ms, int *status)
{
	long end = now_ms() + ms;
	pid_t r;

	while ((r = waitpid(pid, status, WNOHANG)) == 0) {
		if (now_ms() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			return -1;
		}
		nap(10);
	}
	return r == pid ? 0 : -1;
}

/* The syscall number thread tid of pid is in: -1 user mode, -2 running. */
static long
in_call(pid_t pid, pid_t tid)
{
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", (int)pid,
	    (int)(tid ? tid : pid));
	slurp(path, buf, sizeof(buf));
	if (strncmp(buf, "running", 7) == 0)
		return -2;
	return buf[0] ? strtol(buf, NULL, 10) : -3;
}

/* Waits until the victim's main thread sits in call nr (or nr2). */
static int
wait_call(const struct victim *v, long nr, long nr2, long ms)
{
	long end = now_ms() + ms, n;

	while ((n = in_call(v->pid, 0)) != nr && n != nr2) {
		if (now_ms() > end)
			return 0;
		nap(20);
	}
	return 1;
}

/*
 * Starts fdclose_victim MODE [EXTRA] and waits for its "ready" line and, when nr
 * is not -9, for it to be blocked in call nr (or nr2).
 */
static int
victim_start(struct victim *v, const char *mode, const char *extra, long nr,
    long nr2)
{
	char path[96], *argv[5];

	memset(v, 0, sizeof(*v));
	v->mode = mode;
	v->status = -1;
	snprintf(v->out, sizeof(v->out), "%s/v.%s.%d", tmp, mode, ++ncase);
	unlink(v->out);			/* the victim appends */
	snprintf(path, sizeof(path), "%s/fdclose_victim", bin);
	argv[0] = path;
	argv[1] = (char *)mode;
	argv[2] = v->out;
	argv[3] = (char *)extra;
	argv[4] = NULL;
	if ((v->pid = spawn(argv, NULL, NULL)) < 0)
		return -1;
	if (!seen(v->out, "^ready ", VICTIM_MS, NULL, 0))
		return -1;
	if (nr != -9 && !wait_call(v, nr, nr2, VICTIM_MS))
		return -1;
	nap(100);
	return 0;
}

/* Waits for the victim to end by itself; SIGKILL (by PID) past ms. */
static void
victim_end(struct victim *v, long ms)
{
	if (v->pid > 0 && v->status == -1 && reap(v->pid, ms, &v->status) < 0)
		v->status = -2;
}

static int
exited0(const struct victim *v)
{
	return v->status >= 0 && WIFEXITED(v->status) &&
	    WEXITSTATUS(v->status) == 0;
}

/* Runs fdclose ARGS... on the victim's fd; output in tool_out/tool_err. */
static int
tool(const char *name, ...)
{
	char path[96], *argv[16];
	va_list ap;
	int n = 1, st;
	pid_t p;

	snprintf(path, sizeof(path), "%s/%s", bin, name);
	argv[0] = path;
	va_start(ap, name);
	while (n < 15 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	p = spawn(argv, tool_out, tool_err);
	if (p < 0 || reap(p, TOOL_MS, &st) < 0)
		return rc_tool = -1;
	rc_tool = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return rc_tool;
}

static const char *
pidstr(const struct victim *v)
{
	static char buf[16];

	snprintf(buf, sizeof(buf), "%d", (int)v->pid);
	return buf;
}

/* "fdclose exit 3; stdout: ...; stderr: ..." for a failure message. */
static const char *
tool_why(void)
{
	static char buf[1400];

	snprintf(buf, sizeof(buf), "fdclose exit %d; stdout: %s", rc_tool,
	    flat(tool_out));
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "; stderr: %s",
	    flat(tool_err));
	return buf;
}

/* The fd links of the victim, "3=...|4=...|..." for fds 3-8 but skip. */
static void
links(pid_t pid, int skip, char *buf, size_t size)
{
	char path[64], l[256];
	size_t len = 0;
	ssize_t n;
	int fd;

	buf[0] = '\0';
	for (fd = 3; fd <= 8; fd++) {
		if (fd == skip)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
		if ((n = readlink(path, l, sizeof(l) - 1)) < 0)
			n = 0;
		l[n] = '\0';
		len += snprintf(buf + len, size - len, "%d=%s|", fd, l);
		if (len >= size)
			return;
	}
}

static void
fdlink(pid_t pid, int fd, char *l, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	if ((n = readlink(path, l, size - 1)) < 0)
		n = 0;
	l[n] = '\0';
}

/* The fd's flags from fdinfo have O_CLOEXEC (02000000). */
static int
cloexec(pid_t pid, int fd)
{
	char path[64], buf[512], *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	slurp(path, buf, sizeof(buf));
	if ((f = strstr(buf, "flags:")) == NULL)
		return -1;
	return (strtoul(f + 6, NULL, 8) & 02000000) != 0;
}

/* Not traced and not stopped: "State:" and "TracerPid:" of status. */
static int
untraced(pid_t pid, char *why, size_t size)
{
	char path[64], buf[2048], *st, *tr;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	slurp(path, buf, sizeof(buf));
	st = strstr(buf, "State:");
	tr = strstr(buf, "TracerPid:");
	snprintf(why, size, "%.20s %.16s", st ? st : "?", tr ? tr : "?");
	return st && tr && st[7] != 'T' && st[7] != 't' &&
	    strtol(tr + 10, NULL, 10) == 0;
}

/* The ms= of the victim's line starting with what, or -1. */
static long
ms_of(const struct victim *v, const char *what)
{
	char re[64], line[256], *m;

	snprintf(re, sizeof(re), "^%s ", what);
	if (!grep(v->out, re, line, sizeof(line)) ||
	    (m = strstr(line, " ms=")) == NULL)
		return -1;
	return strtol(m + 4, NULL, 10);
}

static int
started_x(struct victim *v, const char *mode, const char *extra, long nr,
    long nr2)
{
	char name[96];

	if (victim_start(v, mode, extra, nr, nr2) == 0)
		return 1;
	snprintf(name, sizeof(name), "%s victim", mode);
	check(name, 0, "not blocked in its call (at %ld); report: %s",
	    v->pid > 0 ? in_call(v->pid, 0) : -3, flat(v->out));
	victim_end(v, 0);
	return 0;
}

static int
started(struct victim *v, const char *mode, long nr, long nr2)
{
	return started_x(v, mode, NULL, nr, nr2);
}

static void
ended(struct victim *v, const char *name)
{
	victim_end(v, 8000);
	check(name, exited0(v) && grep(v->out, "^exit$", NULL, 0),
	    "wait status %#x; report: %s", v->status, flat(v->out));
}

/* fdclose exit 0 and its report names the method and the stop time. */
static void
tool_ok(const char *name, const char *method)
{
	char re[64], line[128];

	snprintf(re, sizeof(re), "^  method:  %s", method);
	check(name, rc_tool == 0 && grep(tool_out, re, NULL, 0) &&
	    grep(tool_out, "^  stopped: [0-9]+\\.[0-9]+ ms", line,
	    sizeof(line)), "%s", tool_why());
	if (grep(tool_out, "^  stopped: ", line, sizeof(line)))
		printf("vm: %s for %s\n", line + 2, name);
}

/* A blocked send (ERESTARTSYS): the restarted call meets the new fd. */
static void
case_send(const char *mode, const char *errre)
{
	struct victim v;
	char name[96], re[96];

	if (!started(&v, "send", SYS_sendto, -1))
		return;
	tool("fdclose", "--mode", mode, pidstr(&v), "5", NULL);
	snprintf(name, sizeof(name), "sendto, %s: fdclose done", mode);
	tool_ok(name, mode);
	snprintf(name, sizeof(name), "sendto, %s: the restarted send fails "
	    "with %s", mode, errre);
	snprintf(re, sizeof(re), "^send1 ret=-1 errno=%s", errre);
	check(name, seen(v.out, re, 5000, NULL, 0), "report: %s", flat(v.out));
	snprintf(name, sizeof(name), "sendto, %s: the victim exits normally",
	    mode);
	ended(&v, name);
}

/*
 * What every injection into a thread that stays alive must leave: fd 5
 * another socket, the other fds as they were, the thread neither stopped
 * nor traced and back in its call.
 */
static void
unchanged(const char *what, struct victim *v, const char *before,
    const char *fd5, long nr, long nr2)
{
	char name[128], after[1024], l[256], why[64];

	links(v->pid, 5, after, sizeof(after));
	fdlink(v->pid, 5, l, sizeof(l));
	snprintf(name, sizeof(name), "%s: fd 5 replaced, fds 3-8 else as "
	    "they were", what);
	check(name, strcmp(before, after) == 0 && strncmp(l, "socket:", 7) == 0
	    && strcmp(l, fd5) != 0, "before %s5=%s, after %s5=%s", before,
	    fd5, after, l);
	snprintf(name, sizeof(name), "%s: not stopped, not traced, back in "
	    "its call", what);
	check(name, untraced(v->pid, why, sizeof(why)) &&
	    wait_call(v, nr, nr2, 2000), "%s; in call %ld", why,
	    in_call(v->pid, 0));
}

/* A victim's 3 s sleep: the call, its report line and what it returns. */
struct sleep {
	const char	*mode;
	long		 nr, nr2;	/* the calls it may be in */
	const char	*line;		/* its report line, "nanosleep ..." */
	const char	*retre;		/* ERE of the result on that line */
	const char	*ret;		/* the result, in words */
};

/*
 * A relative sleep (ERESTART_RESTARTBLOCK): injected 600 ms in, it must
 * still end 3 s after it began (restarting from scratch would take 3.6 s,
 * returning early less than 3).
 */
static void
case_sleep(const struct sleep *c)
{
	const char *mode = c->mode;
	struct victim v;
	char name[128], re[96], before[1024], fd5[256];
	long ms;

	if (!started(&v, mode, c->nr, c->nr2))
		return;
	links(v.pid, 5, before, sizeof(before));
	fdlink(v.pid, 5, fd5, sizeof(fd5));
	nap(500);
	tool("fdclose", "--mode", "replace", pidstr(&v), "5", NULL);
	snprintf(name, sizeof(name), "%s, replace: fdclose done", mode);
	tool_ok(name, "replace");
	unchanged(mode, &v, before, fd5, SYS_restart_syscall, c->nr);
	snprintf(re, sizeof(re), "^%s %s", c->line, c->retre);
	seen(v.out, "^send ", 8000, NULL, 0);
	ms = ms_of(&v, c->line);
	snprintf(name, sizeof(name), "%s, 3 s, injected at 0.6 s: %s after "
	    "3 s (%ld ms)", mode, c->ret, ms);
	check(name, grep(v.out, re, NULL, 0) && ms >= 2950 && ms <= 3300,
	    "report: %s", flat(v.out));
	snprintf(name, sizeof(name), "%s: then send on the placeholder "
	    "fails with EPIPE", mode);
	check(name, grep(v.out, "^send ret=-1 errno=Broken pipe", NULL, 0),
	    "report: %s", flat(v.out));
	snprintf(name, sizeof(name), "%s: the victim exits normally", mode);
	ended(&v, name);
}

/* The 32 bytes --null borrows under the stack: (sp - 160) & ~15. */
static int
stack_words(pid_t pid, unsigned char w[32])
{
	char path[64], buf[256], *p;
	unsigned long sp = 0;
	int fd, i, n = 0;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	slurp(path, buf, sizeof(buf));
	for (i = 0, p = buf; p && i < 7; i++)
		if ((p = strchr(p, ' ')) != NULL)
			p++;
	if (p)
		sp = strtoul(p, NULL, 16);
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	if (sp && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = pread(fd, w, 32, (off_t)((sp - 160) & ~15ul));
		close(fd);
	}
	return n == 32 ? 0 : -1;
}

/* Replacing the pipe ends 7 (close-on-exec) and 8 (not) keeps the flag. */
static void
pipe_ends(struct victim *v)
{
	char l7[256], l8[256];

	tool("fdclose", "--mode", "replace", pidstr(v), "7", NULL);
	tool("fdclose", "--mode", "replace", pidstr(v), "8", NULL);
	fdlink(v->pid, 7, l7, sizeof(l7));
	fdlink(v->pid, 8, l8, sizeof(l8));
	check("pipe ends 7 and 8 replaced by sockets", rc_tool == 0 &&
	    !strncmp(l7, "socket:", 7) && !strncmp(l8, "socket:", 7),
	    "7=%s 8=%s; %s", l7, l8, tool_why());
	check("  ... close-on-exec kept: set on 7, clear on 8",
	    cloexec(v->pid, 7) == 1 && cloexec(v->pid, 8) == 0,
	    "7: %d, 8: %d", cloexec(v->pid, 7), cloexec(v->pid, 8));
}

/* --null: /dev/null from an openat whose path is put under the stack. */
static void
null_ph(struct victim *v)
{
	unsigned char w0[32], w1[32];
	char l[256];
	int got = stack_words(v->pid, w0);

	tool("fdclose", "--null", pidstr(v), "8", NULL);
	fdlink(v->pid, 8, l, sizeof(l));
	check("--null: fd 8 now /dev/null", rc_tool == 0 &&
	    strcmp(l, "/dev/null") == 0, "8=%s; %s", l, tool_why());
	check("  ... the stack words it borrowed are put back", got == 0 &&
	    stack_words(v->pid, w1) == 0 && memcmp(w0, w1, 32) == 0,
	    "could not read them, or they changed");
}

/* sigsuspend (ERESTARTNOHAND): still waiting; EINTR on a real signal. */
static void
case_sigsuspend(void)
{
	struct victim v;
	char before[1024], fd5[256];

	if (!started(&v, "sigsuspend", SYS_rt_sigsuspend, -1))
		return;
	links(v.pid, 5, before, sizeof(before));
	fdlink(v.pid, 5, fd5, sizeof(fd5));
	tool("fdclose", "--mode", "replace", pidstr(&v), "5", NULL);
	tool_ok("sigsuspend, replace: fdclose done", "replace");
	nap(300);
	unchanged("sigsuspend", &v, before, fd5, SYS_rt_sigsuspend, -1);
	check("  ... and nothing returned from it", !grep(v.out, "^sigsuspend",
	    NULL, 0), "report: %s", flat(v.out));
	pipe_ends(&v);
	null_ph(&v);
	kill(v.pid, SIGUSR1);
	check("sigsuspend returns EINTR on a real signal", seen(v.out,
	    "^sigsuspend ret=-1 errno=Interrupted", 5000, NULL, 0),
	    "report: %s", flat(v.out));
	check("  ... the handler ran once", seen(v.out,
	    "^signals usr1=1 term=0", 5000, NULL, 0), "report: %s",
	    flat(v.out));
	ended(&v, "sigsuspend: the victim exits normally");
}

/* A thread in user mode: the call runs at a vDSO svc, registers kept. */
static void
case_busy(void)
{
	struct victim v;
	long nr;

	if (!started(&v, "busy", -9, -9))
		return;
	nap(300);
	nr = in_call(v.pid, 0);
	tool("fdclose", "--mode", "replace", pidstr(&v), "5", NULL);
	tool_ok("busy loop, replace: fdclose done", "replace");
	check("  ... the victim was in user mode", nr == -2 || nr == -1,
	    "in call %ld", nr);
	check("busy loop: register checksum unchanged", seen(v.out,
	    "^busy rounds=[0-9]+ regs=ok", 8000, NULL, 0), "report: %s",
	    flat(v.out));
	check("busy loop: then send on the placeholder fails with EPIPE",
	    seen(v.out, "^send ret=-1 errno=Broken pipe", 3000, NULL, 0),
	    "report: %s", flat(v.out));
	ended(&v, "busy loop: the victim exits normally");
}

/* Three threads: the one blocked on fd 5 is chosen and woken. */
static void
case_multi(void)
{
	struct victim v;

	if (!started(&v, "multi", -9, -9))
		return;
	nap(300);
	tool("fdclose", "--mode", "replace", pidstr(&v), "5", NULL);
	check("multi-threaded: the thread blocked on the fd is chosen",
	    rc_tool == 0 && grep(tool_out, "^  thread:  [0-9]+ in sendto\\(5\\)"
	    " \\(the thread blocked on the fd\\)", NULL, 0), "%s", tool_why());
	check("  ... its send fails with EPIPE", seen(v.out,
	    "^thread-send1 ret=-1 errno=Broken pipe", 5000, NULL, 0),
	    "report: %s", flat(v.out));
	ended(&v, "multi-threaded: the victim exits normally");
}

/* An epoll waiter: the stop gives it EINTR, it retries and survives. */
static void
case_epoll(void)
{
	struct victim v;
#ifdef SYS_epoll_wait
	long nr2 = SYS_epoll_wait;
#else
	long nr2 = -1;			/* arm64 has only epoll_pwait */
#endif

	if (!started(&v, "epoll", SYS_epoll_pwait, nr2))
		return;
	tool("fdclose", "--mode", "replace", pidstr(&v), "5", NULL);
	check("epoll waiter, replace: warns about EINTR", rc_tool == 0 &&
	    grep(tool_out, "^  warning: the stop makes epoll_wait return "
	    "EINTR", NULL, 0), "%s", tool_why());
	check("epoll waiter retried after EINTR and survived", seen(v.out,
	    "^epoll ret=0 events=0x0 eintr=1", 12000, NULL, 0), "report: %s",
	    flat(v.out));
	check("  ... then its send failed on the placeholder", seen(v.out,
	    "^send ret=-1 errno=Broken pipe", 3000, NULL, 0), "report: %s",
	    flat(v.out));
	ended(&v, "epoll waiter: the victim exits normally");
}

/* SIGPIPE at its default: auto mode injects an AF_UNIX placeholder. */
static void
case_pipe_default(void)
{
	struct victim v;

	if (!started_x(&v, "send", "pipe-default", SYS_sendto, -1))
		return;
	tool("fdclose", pidstr(&v), "5", NULL);
	check("SIGPIPE default: auto picks an AF_UNIX placeholder",
	    rc_tool == 0 && grep(tool_out, "^  method:  replace: SIGPIPE is "
	    "at its default", NULL, 0) && grep(tool_out, "^  sees:    .*"
	    "AF_UNIX", NULL, 0), "%s", tool_why());
	check("  ... the victim sees ENOTCONN and lives", seen(v.out,
	    "^send1 ret=-1 errno=(Transport endpoint|Socket) not connected",
	    5000, NULL, 0), "report: %s", flat(v.out));
	ended(&v, "SIGPIPE default: the victim exits normally");
}

/*
 * fdclose_hooked, paused inside the window, in the background; held_max,
 * if not NULL, the number of held signals it gives up past.
 */
static pid_t
hooked(const struct victim *v, const char *hook, const char *held_max)
{
	char path[96], *argv[6];
	pid_t p;

	snprintf(path, sizeof(path), "%s/fdclose_hooked", bin);
	argv[0] = path;
	argv[1] = "--mode";
	argv[2] = "replace";
	argv[3] = (char *)pidstr(v);
	argv[4] = "5";
	argv[5] = NULL;
	unlink(hook);
	setenv("UNDEAD_HOOK_FILE", hook, 1);
	setenv("UNDEAD_HOOK_MS", "400", 1);
	if (held_max)
		setenv("UNDEAD_HOOK_HELD_MAX", held_max, 1);
	p = spawn(argv, tool_out, tool_err);
	unsetenv("UNDEAD_HOOK_FILE");
	unsetenv("UNDEAD_HOOK_MS");
	unsetenv("UNDEAD_HOOK_HELD_MAX");
	return p;
}

/*
 * Signals reaching the target inside the injection window (the hooked
 * build pauses there): held, and delivered once each after the detach.
 */
static void
case_signals(void)
{
	struct victim v;
	char hook[96], line[256];
	int st = 0, in_window;
	pid_t p;

	if (!started(&v, "send", SYS_sendto, -1))
		return;
	snprintf(hook, sizeof(hook), "%s/hook", tmp);
	p = hooked(&v, hook, NULL);
	in_window = seen(hook, "^window", 5000, NULL, 0);
	kill(v.pid, SIGUSR1);
	kill(v.pid, SIGTERM);
	rc_tool = p > 0 && reap(p, TOOL_MS, &st) == 0 && WIFEXITED(st) ?
	    WEXITSTATUS(st) : -1;
	check("signals mid-injection: fdclose done", in_window &&
	    rc_tool == 0, "%s", tool_why());
	check("  ... SIGUSR1 and SIGTERM delivered once each", seen(v.out,
	    "^signals usr1=1 term=1", 5000, NULL, 0), "report: %s",
	    flat(v.out));
	if (grep(v.out, "^send1 ", line, sizeof(line)))
		printf("vm: signals mid-injection: %s\n", line);
	ended(&v, "signals mid-injection: the victim exits normally");
}

/* Every fd of pid, "N=link|..." in readdir's order. */
static void
fdtable(pid_t pid, char *buf, size_t size)
{
	char path[64], l[256];
	struct dirent *de;
	size_t len = 0;
	DIR *d;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && len < size) {
		if (de->d_name[0] == '.')
			continue;
		fdlink(pid, atoi(de->d_name), l, sizeof(l));
		len += snprintf(buf + len, size - len, "%s=%s|", de->d_name, l);
	}
	closedir(d);
}

/*
 * After a storm made fdclose give up: the send victim is back in its
 * send with its whole fd table as before (fd 5 the same socket, no
 * placeholder left); then a shutdown ends that send.
 */
static void
storm_fds(struct victim *v, const char *before)
{
	char after[1024];
	int back = wait_call(v, SYS_sendto, -1, 2000);

	fdtable(v->pid, after, sizeof(after));
	check("  ... back in its send, the fd table as it was", back &&
	    strcmp(before, after) == 0, "before %s after %s", before, after);
	tool("fdclose", pidstr(v), "5", NULL);
}

/* 80 SIGRTMIN by sigqueue, si_value 0..79 (the victim checks them). */
static void
storm(pid_t pid)
{
	union sigval sv;
	int i;

	for (i = 0; i < 80; i++) {
		sv.sival_int = i;
		sigqueue(pid, SIGRTMIN, sv);
	}
}

/*
 * A storm of 80 queued SIGRTMIN inside the window. Variant E meets them
 * on its way to dup3's entry, holds each with its siginfo and sends them
 * on after the detach: all 80 arrive, in order, from their sender. At
 * the hand-made sleep ("regs") every register is checked after it (x7 is
 * the one a syscall stop shows clobbered). With held_max (test hook) 16
 * fdclose gives up before dup3 and closes the placeholder again (that
 * close holds the rest), setting its registers at a signal stop: exit 3.
 */
static void
case_storm(const char *mode, const char *held_max)
{
	struct victim v;
	char hook[96], line[256], tag[48], name[128], before[1024];
	int st = 0, in_window, regs = mode[0] == 'r';
	pid_t p;

	if (!started(&v, mode, regs ? SYS_nanosleep : SYS_sendto, -1))
		return;
	fdtable(v.pid, before, sizeof(before));
	snprintf(hook, sizeof(hook), "%s/hook", tmp);
	p = hooked(&v, hook, held_max);
	in_window = seen(hook, "^window", 5000, NULL, 0);
	storm(v.pid);
	rc_tool = p > 0 && reap(p, TOOL_MS, &st) == 0 && WIFEXITED(st) ?
	    WEXITSTATUS(st) : -1;
	snprintf(tag, sizeof(tag), "signal storm (%s%s)", mode, held_max ?
	    ", hold limit 16" : "");
	snprintf(name, sizeof(name), "%s: %s", tag, held_max ? "gives up "
	    "before dup3, closes the placeholder again, exit 3" :
	    "done, all 80 held");
	check(name, in_window && (held_max ? rc_tool == 3 && grep(tool_err,
	    "gave up before dup3; the placeholder was closed again; nothing "
	    "was changed; 80 of 80", NULL, 0) : rc_tool == 0 &&
	    grep(tool_out, "^  signals: 80 arrived while it was stopped",
	    NULL, 0)), "%s", tool_why());
	if (grep(tool_err, "", line, sizeof(line)))
		printf("vm: %s: %s\n", tag, line);
	if (regs)
		check("  ... the victim's registers are all as they were",
		    seen(v.out, "^sleepregs ret=-?[0-9]+ regs=ok", 8000, NULL,
		    0), "report: %s", flat(v.out));
	else
		storm_fds(&v, before);
	check("  ... all 80 SIGRTMIN delivered, in order, with their siginfo",
	    seen(v.out, "^rtinfo queued=80 misordered=0 otherpid=0", 8000,
	    NULL, 0), "report: %s", flat(v.out));
	snprintf(name, sizeof(name), "%s: the victim exits normally", tag);
	ended(&v, name);
}

#ifndef SYS_nanosleep
#define SYS_nanosleep	SYS_clock_nanosleep
#endif

static void
cases(void)
{
	static const struct sleep sl[] = {
		{ "nanosleep", SYS_nanosleep, SYS_clock_nanosleep,
		    "nanosleep", "ret=0 ", "returns 0" },
		{ "futex", SYS_futex, -1, "futex",
		    "ret=-1 errno=(Operation|Connection) timed out",
		    "ETIMEDOUT" },
#if defined(__aarch64__)
		{ "regs", SYS_nanosleep, -1, "sleepregs", "ret=0 regs=ok",
		    "returns 0, every register kept," },
#endif
	};
	size_t i;

	tool("fdclose", "-V", NULL);
	check("fdclose -V names the build", rc_tool == 0 &&
	    grep(tool_out, "^fdclose .*(aarch64|x86_64)", NULL, 0), "%s",
	    tool_why());
	case_send("replace", "Broken pipe");
	case_send("close", "Bad file descriptor");
	for (i = 0; i < sizeof(sl) / sizeof(sl[0]); i++)
		case_sleep(&sl[i]);
	case_sigsuspend();
	case_busy();
	case_multi();
	case_epoll();
	case_pipe_default();
	case_signals();
#if defined(__aarch64__)
	case_storm("regs", NULL);
	case_storm("regs", "16");
	case_storm("send", "16");
#endif
}

/* PID 1: /proc, /dev, /tmp, and lo up (it gets 127.0.0.1 and ::1). */
static void
sysinit(void)
{
	struct ifreq ifr;
	int s;

	mkdir("/proc", 0755);
	mkdir("/dev", 0755);
	mkdir("/tmp", 01777);
	if (mount("proc", "/proc", "proc", 0, NULL) < 0)
		printf("vm: mount /proc: %s\n", strerror(errno));
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) < 0)
		printf("vm: mount /dev: %s\n", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    ioctl(s, SIOCGIFFLAGS, &ifr) < 0 ||
	    (ifr.ifr_flags |= IFF_UP, ioctl(s, SIOCSIFFLAGS, &ifr) < 0))
		printf("vm: lo up: %s\n", strerror(errno));
	if (s >= 0)
		close(s);
}

/* Which of the arm64 features that touch injection the CPU has. */
static void
features(void)
{
	static const char *const f[] = { " bti", " paca", " sve" };
	char buf[4096], *l;
	size_t i;

	slurp("/proc/cpuinfo", buf, sizeof(buf));
	if ((l = strstr(buf, "Features")) == NULL)
		return;
	if (strchr(l, '\n'))
		*strchr(l, '\n') = '\0';
	printf("vm: cpu");
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		printf("%s%s", f[i], strstr(l, f[i]) ? "" : ": no");
	printf("\n");
}

static void
uptime(char *buf, size_t size)
{
	char *sp;

	slurp("/proc/uptime", buf, size);
	if ((sp = strchr(buf, ' ')) != NULL)
		*sp = '\0';
}

int
main(int argc, char **argv)
{
	struct utsname u;
	char up[64];
	long t0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getpid() == 1)
		sysinit();
	else if (argc > 1) {
		bin = argv[1];
		snprintf(tmp, sizeof(tmp), "%s", argc > 2 ? argv[2] : "/tmp");
	}
	snprintf(tool_out, sizeof(tool_out), "%s/tool.out", tmp);
	snprintf(tool_err, sizeof(tool_err), "%s/tool.err", tmp);
	uname(&u);
	uptime(up, sizeof(up));
	printf("vm: up %s s, %s %s %s\n", up, u.sysname, u.release, u.machine);
	features();
	t0 = now_ms();
	cases();
	uptime(up, sizeof(up));
	printf("vm: done: %d passed, %d failed in %ld ms (uptime %s s)\n",
	    npass, nfail, now_ms() - t0, up);
	fflush(stdout);
	if (getpid() != 1)
		return nfail ? 1 : 0;
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}
