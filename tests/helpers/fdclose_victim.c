/*
 * fdclose_victim: targets for the fdclose tests. Usage:
 *   fdclose_victim MODE OUTFILE [pipe-default]
 * It writes "ready pid=P fd=N lfd=L port=Q" to OUTFILE when set up, then
 * blocks in the way MODE says and appends what it saw ("ret=... errno=...")
 * and "exit" before leaving. Every victim is bounded by alarm(30).
 * MODE: send (blocking send, 0 bytes queued), partial (bytes queued),
 * nanosleep, sigsuspend, futex, epoll, busy, multi, listen, vfork, idle,
 * regs (aarch64: nanosleep by hand, every register checked after it),
 * unix, tcp6 (send on an AF_UNIX / IPv6 socket), udp (blocked recv),
 * strict (seccomp strict mode, blocked in write), shared (a child holds the same sockets), zombie (pid= is an unreaped
 * child), linger (SO_LINGER 10 s on the
 * blocked socket), seccomp-errno, seccomp-kill, seccomp-dup3 (dup3 alone
 * fails, EBUSY), thr-kill (a worker thread under a KILL filter of its own
 * blocks in send; the main thread has none), thr-pipe (a worker with
 * SIGPIPE unblocked blocks in send; the main thread blocks SIGPIPE: run
 * with pipe-default), thr-files (a worker unshares its fd table and
 * blocks in read on its own fd N, a pipe, where the process's fd N is
 * the socket; "ready" adds tid=), netns-listen (the listener, then the
 * whole process moved to a new network namespace), thr-leader (the
 * worker blocks in send, then lives 3 s more; the main thread exits: the
 * leader is a zombie, and /proc/PID/fd is empty). Besides fds 3-6,
 * every victim holds a pipe: 7 (read, close-on-exec), 8 (write).
 */
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static FILE *out;
static int lfd, cfd, afd, port, pp[2];
static volatile sig_atomic_t n_usr1, n_term, n_rt;
static volatile sig_atomic_t n_queued, n_misordered, n_otherpid, rt_pid;
static char big[4 << 20];

static void
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fflush(out);
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_usr1(int s) { n_usr1++; }
static void on_term(int s) { n_term++; }

/*
 * SIGRTMIN: counted, and for sigqueue()'s (tests/helpers/sigstorm.c,
 * si_value 0, 1, ...) its siginfo checked: the values in order, one
 * sender.
 */
static void
on_rt(int s, siginfo_t *si, void *uc)
{
	n_rt++;
	if (si->si_code != SI_QUEUE)
		return;
	if (si->si_value.sival_int != n_queued)
		n_misordered++;
	if (n_queued++ == 0)
		rt_pid = si->si_pid;
	else if (si->si_pid != rt_pid)
		n_otherpid++;
}

static void
handlers(int pipe_default)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;	/* no SA_RESTART: EINTR semantics */
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_sigaction = on_rt;	/* SIGRTMIN queues: a signal storm */
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGRTMIN, &sa, NULL);
	sa.sa_handler = on_term;
	sa.sa_flags = SA_RESTART;	/* like PostgreSQL's pqsignal */
	sigaction(SIGTERM, &sa, NULL);
	if (!pipe_default)
		signal(SIGPIPE, SIG_IGN);
}

/* A loopback connection whose peer never reads: cfd client, afd peer. */
static void
connection(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int one = 4096;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (void *)&a, sizeof(a)) < 0 ||
	    listen(lfd, 8) < 0 || getsockname(lfd, (void *)&a, &len) < 0)
		exit(90);
	port = ntohs(a.sin_port);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(cfd, SOL_SOCKET, SO_SNDBUF, &one, sizeof(one));
	if (connect(cfd, (void *)&a, sizeof(a)) < 0)
		exit(91);
	afd = accept(lfd, NULL, NULL);
	setsockopt(afd, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one));
	/* fds 7 and 8: a pipe, read end close-on-exec, write end not. */
	if (pipe(pp) < 0 || fcntl(pp[0], F_SETFD, FD_CLOEXEC) < 0)
		exit(93);
}

/* Fills the send buffer so that the next blocking send queues nothing. */
static void
fill(void)
{
	int fl = fcntl(cfd, F_GETFL), i;

	fcntl(cfd, F_SETFL, fl | O_NONBLOCK);
	for (i = 0; i < 200; i++) {
		while (send(cfd, big, 65536, 0) > 0)
			;
		usleep(2000);
	}
	fcntl(cfd, F_SETFL, fl);
}

static void
result(const char *what, long r, long t0)
{
	say("%s ret=%ld errno=%s ms=%ld\n", what, r, r < 0 ?
	    strerror(errno) : "0", now_ms() - t0);
}

/* Puts fd in place of the victim's client socket (fd 5 stays fd 5). */
static void
over(int fd)
{
	if (fd < 0 || dup2(fd, cfd) < 0)
		exit(94);
	close(fd);
}

/* The client socket becomes AF_UNIX stream, TCP over ::1, or UDP. */
static void
other_kind(const char *m)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a6);
	int sv[2], l, c, small = 4096;

	if (!strcmp(m, "unix")) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
			exit(95);
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
		over(sv[0]);
	} else if (!strcmp(m, "tcp6")) {
		a6.sin6_addr = in6addr_loopback;
		l = socket(AF_INET6, SOCK_STREAM, 0);
		c = socket(AF_INET6, SOCK_STREAM, 0);
		setsockopt(c, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
		if (bind(l, (void *)&a6, sizeof(a6)) < 0 || listen(l, 1) < 0 ||
		    getsockname(l, (void *)&a6, &len) < 0 ||
		    connect(c, (void *)&a6, sizeof(a6)) < 0)
			exit(96);
		accept(l, NULL, NULL);
		over(c);
	} else {
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		c = socket(AF_INET, SOCK_DGRAM, 0);
		if (bind(c, (void *)&a, sizeof(a)) < 0)
			exit(97);
		over(c);
	}
}

static void
do_recv(void)
{
	char b[16];
	long t0, r;

	say("ready pid=%d fd=%d lfd=%d port=%d\n", getpid(), cfd, lfd, port);
	t0 = now_ms();
	r = recv(cfd, b, sizeof(b), 0);
	result("recv1", r, t0);
	r = send(cfd, "x", 1, 0);
	result("send2", r, t0);
}

static void
do_send(int partial)
{
	long t0, r;

	if (!partial)
		fill();
	say("ready pid=%d fd=%d lfd=%d port=%d\n", getpid(), cfd, lfd, port);
	t0 = now_ms();
	r = send(cfd, big, partial ? sizeof(big) : 65536, 0);
	result("send1", r, t0);
	r = send(cfd, big, 65536, 0);
	result("send2", r, t0);
}

static void
do_sleep(int kind)
{
	struct timespec ts = { 3, 0 };
	sigset_t none;
	long t0, r;
	int word = 0;

	say("ready pid=%d fd=%d lfd=%d port=%d\n", getpid(), cfd, lfd, port);
	t0 = now_ms();
	if (kind == 0)
		r = nanosleep(&ts, NULL);
	else if (kind == 1) {
		sigemptyset(&none);
		r = sigsuspend(&none);
	} else
		r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &ts);
	result(kind == 0 ? "nanosleep" : kind == 1 ? "sigsuspend" : "futex",
	    r, t0);
	r = send(cfd, "x", 1, 0);
	result("send", r, t0);
}

static void
do_epoll(void)
{
	struct epoll_event ev = { .events = EPOLLOUT };
	int ep = epoll_create1(0), eintr = 0, r;
	long t0;

	fill();
	fcntl(cfd, F_SETFL, fcntl(cfd, F_GETFL) | O_NONBLOCK);
	epoll_ctl(ep, EPOLL_CTL_ADD, cfd, &ev);
	say("ready pid=%d fd=%d lfd=%d port=%d\n", getpid(), cfd, lfd, port);
	t0 = now_ms();
	for (;;) {
		r = epoll_wait(ep, &ev, 1, 5000);
		if (r < 0 && errno == EINTR) {
			eintr++;
			continue;
		}
		break;
	}
	say("epoll ret=%d events=0x%x eintr=%d ms=%ld\n", r, r > 0 ?
	    ev.events : 0, eintr, now_ms() - t0);
	r = send(cfd, big, 65536, 0);
	result("send", r, t0);
}

#if defined(__x86_64__)
/*
 * Keeps known values in rcx and r11 (which the syscall insn clobbers),
 * r8-r10 and xmm0, and checks them on every round: an injection that
 * did not restore every register exactly shows up as bad != 0.
 */
static unsigned long
spin(unsigned long rounds)
{
	unsigned long bad = 0;

	__asm__ volatile(
	    "movabs $0x1111111111111111, %%rcx\n\t"
	    "movabs $0x2222222222222222, %%r11\n\t"
	    "movabs $0x3333333333333333, %%r8\n\t"
	    "movabs $0x4444444444444444, %%r9\n\t"
	    "movabs $0x5555555555555555, %%r10\n\t"
	    "movq %%r10, %%xmm0\n\t"
	    "1:\n\t"
	    "movabs $0x1111111111111111, %%rax\n\t"
	    "cmp %%rax, %%rcx\n\tjne 2f\n\t"
	    "movabs $0x2222222222222222, %%rax\n\t"
	    "cmp %%rax, %%r11\n\tjne 2f\n\t"
	    "movabs $0x3333333333333333, %%rax\n\t"
	    "cmp %%rax, %%r8\n\tjne 2f\n\t"
	    "movabs $0x4444444444444444, %%rax\n\t"
	    "cmp %%rax, %%r9\n\tjne 2f\n\t"
	    "movq %%xmm0, %%rax\n\t"
	    "cmp %%rax, %%r10\n\tjne 2f\n\t"
	    "dec %%rdx\n\tjnz 1b\n\t"
	    "jmp 3f\n\t"
	    "2: mov $1, %0\n\t"
	    "3:\n\t"
	    : "+r"(bad), "+d"(rounds)
	    :
	    : "rax", "rcx", "r8", "r9", "r10", "r11", "xmm0", "cc");
	return bad;
}
#elif defined(__aarch64__)
/* PAT(n): xn = 0xdead0000000000n0, distinct per register. */
#define PAT(n)	"movz x" #n ", #0x" #n "0\n\tmovk x" #n ", #0xdead, lsl #48\n\t"
#define CHK(n)	"movz x8, #0x" #n "0\n\tmovk x8, #0xdead, lsl #48\n\t" \
		"cmp x" #n ", x8\n\tb.ne 2f\n\t"
/*
 * Known values in x9-x17 (what a syscall site in the vDSO could leave
 * behind) and in d0, checked every round, as on x86_64.
 */
static unsigned long
spin(unsigned long rounds)
{
	unsigned long bad = 0;

	__asm__ volatile(
	    PAT(9) PAT(10) PAT(11) PAT(12) PAT(13) PAT(14) PAT(15) PAT(16)
	    PAT(17) "fmov d0, x9\n\t"
	    "1:\n\t"
	    CHK(9) CHK(10) CHK(11) CHK(12) CHK(13) CHK(14) CHK(15) CHK(16)
	    CHK(17) "fmov x8, d0\n\tcmp x8, x9\n\tb.ne 2f\n\t"
	    "subs %1, %1, #1\n\tb.ne 1b\n\t"
	    "b 3f\n"
	    "2: mov %0, #1\n"
	    "3:\n"
	    : "+r"(bad), "+r"(rounds)
	    :
	    : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
	      "x17", "v0", "cc");
	return bad;
}

/*
 * nanosleep(ts) by hand, with known values in every register the
 * compiler lets go (x1-x7, x9-x17, x19-x27): a syscall changes only x0,
 * so after an injection each must still hold its value. x7 is the one
 * the kernel shows clobbered at syscall stops. *bad is 1 if one changed.
 */
static long
sleep_regs(const struct timespec *ts, long *bad)
{
	long w[3] = { (long)ts, 0, 0 };
	register long *p __asm__("x28") = w;

	__asm__ volatile(
	    "ldr x0, [x28]\n\tmov x1, #0\n\t"
	    PAT(2) PAT(3) PAT(4) PAT(5) PAT(6) PAT(7) PAT(9) PAT(10) PAT(11)
	    PAT(12) PAT(13) PAT(14) PAT(15) PAT(16) PAT(17) PAT(19) PAT(20)
	    PAT(21) PAT(22) PAT(23) PAT(24) PAT(25) PAT(26) PAT(27)
	    "mov x8, %1\n\t"
	    "svc #0\n\t"
	    "str x0, [x28, #8]\n\t"
	    "mov x0, #0\n\tcbnz x1, 2f\n\t"
	    CHK(2) CHK(3) CHK(4) CHK(5) CHK(6) CHK(7) CHK(9) CHK(10) CHK(11)
	    CHK(12) CHK(13) CHK(14) CHK(15) CHK(16) CHK(17) CHK(19) CHK(20)
	    CHK(21) CHK(22) CHK(23) CHK(24) CHK(25) CHK(26) CHK(27)
	    "b 3f\n"
	    "2: mov x0, #1\n"
	    "3: str x0, [x28, #16]\n\t"
	    :
	    : "r"(p), "i"(SYS_nanosleep)
	    : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
	      "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x19",
	      "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "cc",
	      "memory");
	*bad = w[2];
	return w[1];
}

/* regs: a 3 s nanosleep by hand, then every register checked. */
static void
do_regs(void)
{
	struct timespec ts = { 3, 0 };
	long t0, r, bad;

	say("ready pid=%d fd=%d lfd=%d port=%d\n", getpid(), cfd, lfd, port);
	t0 = now_ms();
	r = sleep_regs(&ts, &bad);
	say("sleepregs ret=%ld regs=%s ms=%ld\n", r, bad ? "BAD" : "ok",
	    now_ms() - t0);
	r = send(cfd, "x", 1, 0);
	result("send", r, t0);
}
#else
static unsigned long
spin(unsigned long rounds)
{
	volatile unsigned long x = 0;

	while (rounds--)
		x++;
	return 0;
}
#endif

static void
do_busy(void)
{
	long t0 = now_ms(), r;
	unsigned long bad = 0, n = 0;

	say("ready pid=%d fd=%d lfd=%d port=%d\n", getpid(), cfd, lfd, port);
	while (now_ms() - t0 < 2500) {
		bad |= spin(1000000);
		n++;
	}
	say("busy rounds=%lu regs=%s\n", n, bad ? "BAD" : "ok");
	r = send(cfd, "x", 1, 0);
	result("send", r, t0);
}

static void *
sender(void *arg)
{
	long t0 = now_ms(), r;

	r = send(cfd, big, 65536, 0);
	result("thread-send1", r, t0);
	return NULL;
}

static void *
idle(void *arg)
{
	pause();
	return NULL;
}

static void
do_multi(void)
{
	pthread_t a, b;
	struct timespec ts = { 0, 200000000 };

	fill();
	pthread_create(&a, NULL, sender, NULL);
	pthread_create(&b, NULL, idle, NULL);
	nanosleep(&ts, NULL);
	say("ready pid=%d fd=%d lfd=%d port=%d\n", getpid(), cfd, lfd, port);
	pthread_join(a, NULL);
}

static volatile pid_t worker_tid;
static void filter(int);

/* The worker: its own filter, SIGPIPE mask or fd table, then blocked. */
static void *
worker(void *arg)
{
	const char *m = arg;
	long t0 = now_ms(), r;
	char c;
	int p[2];

	worker_tid = syscall(SYS_gettid);
	if (!strcmp(m, "thr-kill"))
		filter('k');		/* this thread only: no TSYNC */
	if (!strcmp(m, "thr-files")) {
		if (syscall(SYS_unshare, 0x00000400) < 0 || pipe(p) < 0 ||
		    dup2(p[0], cfd) < 0)	/* CLONE_FILES */
			exit(95);
		r = read(cfd, &c, 1);
		result("thread-read", r, t0);
		return NULL;
	}
	r = send(cfd, big, 65536, 0);
	result("thread-send1", r, t0);
	r = send(cfd, big, 65536, 0);
	result("thread-send2", r, t0);
	if (!strcmp(m, "thr-leader"))
		sleep(3);	/* the process outlives the call a while */
	return NULL;
}

static void
do_thread(const char *m)
{
	struct timespec ts = { 0, 200000000 };
	pthread_t w;
	sigset_t pipe;

	if (strcmp(m, "thr-files"))
		fill();
	pthread_create(&w, NULL, worker, (void *)m);
	if (!strcmp(m, "thr-pipe")) {	/* the main thread only */
		sigemptyset(&pipe);
		sigaddset(&pipe, SIGPIPE);
		pthread_sigmask(SIG_BLOCK, &pipe, NULL);
	}
	nanosleep(&ts, NULL);
	say("ready pid=%d fd=%d lfd=%d port=%d tid=%d\n", getpid(), cfd, lfd,
	    port, (int)worker_tid);
	if (!strcmp(m, "thr-leader"))
		pthread_exit(NULL);	/* a zombie leader; the worker runs on */
	pthread_join(w, NULL);
}

static void
do_listen(void)
{
	int c;

	say("ready pid=%d fd=%d lfd=%d port=%d\n", getpid(), cfd, lfd, port);
	while ((c = accept(lfd, NULL, NULL)) >= 0) {
		say("accepted\n");
		close(c);
	}
	result("accept", -1, now_ms());
}

/*
 * Seccomp filter: ERRNO(EPERM) ('e') or KILL_PROCESS ('k') for dup3,
 * socket, close; or ERRNO(EBUSY) for dup3 alone ('d': a dup3 that fails
 * after the placeholder socket was made; dup(2) documents EBUSY).
 */
static void
filter(int how)
{
	int only_dup3 = how == 'd';
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_dup3, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    only_dup3 ? SYS_dup3 : SYS_socket, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    only_dup3 ? SYS_dup3 : SYS_close, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, how == 'k' ?
		    SECCOMP_RET_KILL_PROCESS : SECCOMP_RET_ERRNO |
		    (only_dup3 ? EBUSY : EPERM)),
	};
	struct sock_fprog p = { sizeof(f) / sizeof(f[0]), f };

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p) < 0)
		exit(92);
}

int
main(int argc, char **argv)
{
	const char *m = argc > 2 ? argv[1] : "";

	if (argc < 3 || (out = fopen(argv[2], "a")) == NULL)
		return 2;
	alarm(30);
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	handlers(argc > 3 && strcmp(argv[3], "pipe-default") == 0);
	connection();
	if (!strcmp(m, "send") || !strcmp(m, "partial"))
		do_send(m[0] == 'p');
	else if (!strcmp(m, "unix") || !strcmp(m, "tcp6")) {
		other_kind(m);
		do_send(0);
	} else if (!strcmp(m, "udp")) {
		other_kind(m);
		do_recv();
	}
	else if (!strcmp(m, "nanosleep") || !strcmp(m, "sigsuspend") ||
	    !strcmp(m, "futex"))
		do_sleep(m[0] == 'n' ? 0 : m[0] == 's' ? 1 : 2);
	else if (!strcmp(m, "epoll"))
		do_epoll();
	else if (!strcmp(m, "busy"))
		do_busy();
#if defined(__aarch64__)
	else if (!strcmp(m, "regs"))
		do_regs();
#endif
	else if (!strcmp(m, "multi"))
		do_multi();
	else if (!strcmp(m, "listen"))
		do_listen();
	else if (!strncmp(m, "thr-", 4))
		do_thread(m);
	else if (!strcmp(m, "netns-listen")) {
		if (syscall(SYS_unshare, 0x40000000) < 0)	/* CLONE_NEWNET */
			exit(96);
		do_listen();
	}
	else if (!strcmp(m, "strict")) {
		/* Strict seccomp: only read, write, exit and sigreturn. */
		char line[128];
		long r;
		int n;

		fill();
		say("ready pid=%d fd=%d lfd=%d port=%d\n", getpid(), cfd,
		    lfd, port);
		prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0);
		r = write(cfd, big, 65536);
		/*
		 * No stdio (writev) and no clock (the vDSO may fall back to
		 * the syscall) now: strict mode kills for either.
		 */
		n = snprintf(line, sizeof(line), "write1 ret=%ld errno=%s\n"
		    "exit\n", r, r < 0 ? strerror(errno) : "0");
		write(fileno(out), line, n);
		syscall(SYS_exit, 0);
	} else if (!strcmp(m, "shared")) {
		/* A child holds the same sockets (as after a fork). */
		if (fork() == 0) {
			alarm(30);
			pause();
			_exit(0);
		}
		do_send(0);
	} else if (!strcmp(m, "zombie")) {
		pid_t z = fork();

		if (z == 0)
			_exit(0);
		say("ready pid=%d fd=%d lfd=%d port=%d\n", z, cfd, lfd, port);
		pause();
	} else if (!strcmp(m, "linger")) {
		struct linger lg = { 1, 10 };

		setsockopt(cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		do_send(0);
	} else if (!strcmp(m, "idle")) {
		/* 64 socket pairs (fds 9..136) for the bench. */
		int i, sv[2];

		alarm(300);
		for (i = 0; i < 64; i++)
			socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
		say("ready pid=%d fd=%d lfd=%d port=%d\n", getpid(), cfd,
		    lfd, port);
		for (;;)
			pause();
	} else if (!strcmp(m, "vfork")) {
		say("ready pid=%d fd=%d lfd=%d port=%d\n", getpid(), cfd,
		    lfd, port);
		/* The parent sleeps in D until the child exits. */
		if (vfork() == 0) {
			struct timespec ts = { 3, 0 };

			nanosleep(&ts, NULL);
			_exit(0);
		}
	}
	else if (!strncmp(m, "seccomp-", 8)) {
		fill();
		filter(m[8]);
		do_send(1);
	} else
		return 2;
	say("rtinfo queued=%d misordered=%d otherpid=%d\n", (int)n_queued,
	    (int)n_misordered, (int)n_otherpid);
	say("signals usr1=%d term=%d rt=%d\nexit\n", (int)n_usr1, (int)n_term,
	    (int)n_rt);
	return 0;
}
