/*
 * inject.c: run system calls inside one thread of another process with
 * ptrace, without leaving a trace: the protocol of facts/fdclose.md §4.
 *
 * Variant S (x86_64, and aarch64 threads in user mode): from a stop inside
 * signal delivery, point the thread at a syscall instruction (its own at
 * rip-2, else one in the vDSO) with orig_rax = -1, single-step it, read
 * the result, and finally write the first stop's registers back exactly.
 * The resume then happens inside get_signal(), after which the kernel
 * applies the restart rules to the restored orig_ax/ax itself
 * (arch_do_signal_or_restart), so an interrupted call restarts with its
 * own semantics (sendto again, nanosleep with the remaining time).
 *
 * Variant E (aarch64 threads in a call): run to the entry of the
 * restarted call, replace it, and rewind by hand at the exit stop.
 */
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib.h"

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP	128
#endif
#ifndef __WALL
#define __WALL			0x40000000
#endif

enum { ST_EVENT, ST_SIGNAL, ST_STEP, ST_SYSCALL };
#define SPIN_NS		200000u	/* poll a stop this long before sleeping */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

#ifdef UNDEAD_TEST_HOOKS
/*
 * Test builds only: pause once inside the critical window (injection
 * registers set) of call $UNDEAD_HOOK_CALL (0, the first, by default)
 * after creating $UNDEAD_HOOK_FILE, for $UNDEAD_HOOK_MS.
 */
static void
test_hook(const struct inject *in)
{
	const char *f = getenv("UNDEAD_HOOK_FILE");
	const char *ms = getenv("UNDEAD_HOOK_MS");
	const char *call = getenv("UNDEAD_HOOK_CALL");
	static int done;
	struct timespec ts;
	long n = ms ? atol(ms) : 1000;
	int fd;

	if (f == NULL || done || in->calls != (call ? atoi(call) : 0))
		return;
	done = 1;
	fd = open(f, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		(void)write(fd, "window\n", 7);
		close(fd);
	}
	ts.tv_sec = n / 1000;
	ts.tv_nsec = n % 1000 * 1000000;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
#else
#define test_hook(in)	do { } while (0)
#endif

/*
 * Waits for the next stop of in->tid with a deadline: SIGCHLD is blocked
 * and collected with sigtimedwait; waitpid(WNOHANG) does the rest.
 * 0 at a stop; -1/ESRCH when the thread died, ETIMEDOUT.
 */
static int
wait_stop(struct inject *in, int *st)
{
	uint64_t start = now_ns(), t;
	uint64_t end = start + (uint64_t)in->timeout_ms * 1000000u;
	struct timespec ts;
	sigset_t chld;
	pid_t r;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	for (;;) {
		r = waitpid(in->tid, st, __WALL | WNOHANG);
		if (r == in->tid && WIFSTOPPED(*st)) {
			in->stopped = 1;
			return 0;
		}
		if (r == in->tid) {
			in->dead = 1;
			in->status = *st;
			in->stopped = in->seized = 0;
			errno = ESRCH;
			return -1;
		}
		if (r < 0 && errno != EINTR)
			return -1;
		if ((t = now_ns()) >= end) {
			errno = ETIMEDOUT;
			return -1;
		}
		/*
		 * A stop normally follows within microseconds: poll briefly
		 * (yielding the CPU to the tracee) before sleeping, so that
		 * wakeup latency does not stretch the time it stays stopped.
		 */
		if (t - start < SPIN_NS) {
			sched_yield();
			continue;
		}
		ts.tv_sec = (end - t) / 1000000000u;
		ts.tv_nsec = (end - t) % 1000000000u;
		sigtimedwait(&chld, NULL, &ts);
	}
}

/*
 * A step trap comes from the kernel (si_code > 0), kill() not. But arm64
 * reports a step over svc at the syscall's exit as a pseudo-step with the
 * generic siginfo, SI_USER from pid 0 (user_single_step_report(),
 * include/linux/ptrace.h): taken for a signal, it was held, and its
 * delivery at detach killed the target. While stepping, such a trap with
 * the thread right after the insn is the step.
 */
static int
step_trap(struct inject *in, const siginfo_t *si, int want)
{
	uint64_t r[INJECT_REGS_WORDS];
	size_t len, align;
	long nr;

	if (si->si_code > 0)
		return 1;
	inject_arch_insn(&len, &align);
	return want == ST_STEP && si->si_code == SI_USER && si->si_pid == 0 &&
	    inject_arch_getregs(in->tid, r, &nr) == 0 &&
	    inject_arch_pc(r) == in->site + len;
}

/* The kind of stop; at a signal-delivery-stop *si is its siginfo. */
static int
stop_kind(struct inject *in, int st, int want, siginfo_t *si)
{
	int sig = WSTOPSIG(st);

	in->sigstop = st >> 16 == 0 && sig != (SIGTRAP | 0x80);
	if (st >> 16 == PTRACE_EVENT_STOP)
		return ST_EVENT;	/* our interrupt, or a group-stop */
	if (sig == (SIGTRAP | 0x80))
		return ST_SYSCALL;
	if (ptrace(PTRACE_GETSIGINFO, in->tid, 0, si) < 0) {
		/* Gone (the next ptrace says so): sent again as by tgkill. */
		memset(si, 0, sizeof(*si));
		si->si_signo = sig;
		si->si_code = SI_TKILL;
	}
	if (sig == SIGTRAP && step_trap(in, si, want))
		return ST_STEP;
	return ST_SIGNAL;
}

/*
 * Room to hold one more signal, made before the thread is resumed, so
 * that a signal that stops it can always be held. EAGAIN past held_max.
 */
static int
held_room(struct inject *in)
{
	siginfo_t *p;
	int n;

	if (in->nheld < in->held_alloc)
		return 0;
	if (in->nheld >= in->held_max) {
		errno = EAGAIN;
		return -1;
	}
	n = in->held_alloc ? 2 * in->held_alloc : 16;
	if (n > in->held_max)
		n = in->held_max;
	if ((p = realloc(in->held, (size_t)n * sizeof(*p))) == NULL)
		return -1;
	in->held = p;
	in->held_alloc = n;
	return 0;
}

/*
 * A fault of the injected instruction itself (the kernel's SIGSEGV,
 * SIGBUS, SIGILL, SIGFPE, or seccomp's SIGSYS while our registers are
 * in): ours, not the target's, so never delivered to it.
 */
static int
own_fault(const struct inject *in, const siginfo_t *si)
{
	switch (si->si_signo) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGSYS:
		return in->dirty && si->si_code > 0;
	}
	return 0;
}

/*
 * Resumes with op until a stop of kind want. A signal that arrives
 * meanwhile stops the thread before any instruction runs: it is held
 * with its siginfo (resumed with 0) and delivered at detach. Group-stops
 * are re-issued. Signals that keep coming past held_max or the deadline:
 * EAGAIN, and the call has not run.
 */
/*
 * The injected call itself outlived the deadline: it waits in the kernel
 * (a close whose FUSE or NFS flush gets no answer). Leaving now would let
 * the thread come back from it into registers that are not its own, so
 * wait on, after in->slow has said so.
 */
static int
wait_back(struct inject *in, int *st)
{
	int r, ms = in->timeout_ms;

	if (in->slow)
		in->slow(in);
	in->timeout_ms = 3600 * 1000;
	while ((r = wait_stop(in, st)) < 0 && errno == ETIMEDOUT)
		;
	in->timeout_ms = ms;
	return r;
}

static int
run_until(struct inject *in, int op, int want)
{
	uint64_t end = now_ns() + (uint64_t)in->timeout_ms * 1000000u;
	siginfo_t si;
	int st, k;

	for (;;) {
		if (held_room(in) < 0)
			return -1;
		if (ptrace(op, in->tid, 0, 0) < 0)
			return -1;
		in->stopped = 0;
		if (wait_stop(in, &st) < 0) {
			if (errno != ETIMEDOUT || !in->running ||
			    wait_back(in, &st) < 0)
				return -1;
			/* the call is back: signals get their time again */
			end = now_ns() + (uint64_t)in->timeout_ms * 1000000u;
		}
		if ((k = stop_kind(in, st, want, &si)) == want)
			return 0;
		if (k == ST_SIGNAL && own_fault(in, &si)) {
			errno = EFAULT;
			return -1;
		}
		if (k == ST_SIGNAL)
			in->held[in->nheld++] = si;
		if (now_ns() >= end) {
			errno = EAGAIN;
			return -1;
		}
	}
}

/* A syscall instruction in the target's [vdso], read through its mem. */
static uint64_t
vdso_site(struct inject *in)
{
	unsigned char buf[65536];
	const unsigned char *insn;
	size_t len, align, i;
	unsigned long lo = 0, hi = 0;
	char path[64], *maps, *p, *end;
	ssize_t n;
	int dir;

	snprintf(path, sizeof(path), "/proc/%d/task/%d", (int)in->pid,
	    (int)in->tid);	/* a thread's: the leader may have exited */
	if ((dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	maps = proc_read_all(dir, "maps", NULL);
	close(dir);
	if (maps == NULL)
		return 0;
	p = strstr(maps, "[vdso]");
	while (p && p > maps && p[-1] != '\n')
		p--;
	if (p) {
		lo = strtoul(p, &end, 16);
		hi = *end == '-' ? strtoul(end + 1, NULL, 16) : 0;
	}
	if (p == NULL || hi <= lo) {
		free(maps);
		return 0;
	}
	free(maps);
	insn = inject_arch_insn(&len, &align);
	if (hi - lo > sizeof(buf))
		hi = lo + sizeof(buf);
	n = pread(in->mem, buf, hi - lo, (off_t)lo);
	for (i = 0; n > 0 && i + len <= (size_t)n; i += align)
		if (memcmp(buf + i, insn, len) == 0)
			return lo + i;
	return 0;
}

int
inject_prepare(struct inject *in, pid_t pid, pid_t tid, int timeout_ms)
{
	struct inject_sysline sl;
	char path[64];

	memset(in, 0, sizeof(*in));
	in->pid = pid;
	in->tid = tid ? tid : pid;
	in->timeout_ms = timeout_ms > 0 ? timeout_ms : 1000;
	in->in_call = in->pre_call = -1;
	in->held_max = INJECT_HELD_MAX;
#ifdef UNDEAD_TEST_HOOKS
	if (getenv("UNDEAD_HOOK_HELD_MAX"))
		in->held_max = atoi(getenv("UNDEAD_HOOK_HELD_MAX"));
#endif
	/* The thread's: a leader that exited has no mm of its own left. */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/mem", (int)pid,
	    (int)in->tid);
	if ((in->mem = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (inject_sysline_read(pid, in->tid, &sl) == 0)
		in->pre_call = sl.nr;
	in->vdso_site = vdso_site(in);
	return 0;
}

/*
 * PTRACE_ATTACH queued a SIGSTOP for the thread (or recover() did): runs
 * the thread to that SIGSTOP's signal-delivery-stop, holding the signals
 * met before it (they go with the detach). The SIGSTOP itself is ours
 * when the kernel (si_pid 0) or we sent it: the thread resumes from it
 * with 0, so it is never delivered. One that someone else sent and merged
 * with ours is held like any other. A group-stop (the thread was already
 * stopped: GETSIGINFO says EINVAL) is the first stop; our SIGSTOP, still
 * queued, then comes up as a held signal and keeps the process stopped.
 */
static int
stop_at_sigstop(struct inject *in)
{
	siginfo_t si;
	int st, n;

	for (n = 0; n < 16; n++) {
		if (held_room(in) < 0 || wait_stop(in, &st) < 0)
			return -1;
		if (ptrace(PTRACE_GETSIGINFO, in->tid, 0, &si) < 0) {
			if (errno != EINVAL)
				return -1;
			in->groupstop = 1;
			return 0;
		}
		in->sigstop = 1;
		if (WSTOPSIG(st) == SIGSTOP) {
			if (si.si_pid != 0 && si.si_pid != getpid())
				in->held[in->nheld++] = si;
			return 0;
		}
		in->held[in->nheld++] = si;
		if (ptrace(PTRACE_CONT, in->tid, 0, 0) < 0)
			return -1;
		in->stopped = 0;
	}
	errno = EAGAIN;
	return -1;
}

/*
 * The SIGSTOP of PTRACE_ATTACH is still queued and the thread never
 * stopped (uninterruptible sleep): once we are gone it would stop the
 * whole process. SIGCONT takes every queued stop signal away (kernel
 * prepare_signal()); unless the target catches SIGCONT it sees nothing.
 */
static void
unqueue_stop(const struct inject *in)
{
	struct proc_status ss;
	char path[64];
	int dir;

	snprintf(path, sizeof(path), "/proc/%d/task/%d", (int)in->pid,
	    (int)in->tid);
	if ((dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	if (proc_status_read(dir, &ss) == 0 &&
	    (ss.sigpnd & 1ull << (SIGSTOP - 1)))
		syscall(SYS_tgkill, in->pid, in->tid, SIGCONT);
	close(dir);
}

/*
 * No stop within the deadline: take the SIGSTOP back. If the thread met
 * it meanwhile, it is stopped now: detach from there, delivering nothing
 * of ours (a signal it stopped for instead is held and goes with it).
 */
static void
leave_unstopped(struct inject *in)
{
	siginfo_t si;
	int st;

	unqueue_stop(in);
	if (held_room(in) == 0 &&
	    waitpid(in->tid, &st, __WALL | WNOHANG) == in->tid &&
	    WIFSTOPPED(st)) {
		in->stopped = in->sigstop = 1;
		if (WSTOPSIG(st) != SIGSTOP &&
		    ptrace(PTRACE_GETSIGINFO, in->tid, 0, &si) == 0)
			in->held[in->nheld++] = si;
		inject_detach(in);
	}
	errno = ETIMEDOUT;
}

/*
 * Before PTRACE_SEIZE (3.4; 3.1-3.3 refuse it with EIO, older kernels
 * with ESRCH, as any request on a task not traced): PTRACE_ATTACH, whose
 * SIGSTOP's delivery-stop is the first stop, inside get_signal() as the
 * INTERRUPT's is. Options go in with SETOPTIONS at that stop; those the
 * kernel lacks give EINVAL: then detach at once, EOPNOTSUPP.
 */
static int
attach_old(struct inject *in, int seize_err)
{
	in->nheld = in->groupstop = in->sigstop = 0;
	if (ptrace(PTRACE_ATTACH, in->tid, 0, 0) < 0)
		return -1;
	in->seized = in->attach = 1;
	if (stop_at_sigstop(in) < 0) {
		if (errno == ETIMEDOUT && !in->stopped)
			leave_unstopped(in);
		return -1;
	}
	if (ptrace(PTRACE_SETOPTIONS, in->tid, 0,
	    (void *)(long)(PTRACE_O_TRACESYSGOOD | in->options)) < 0) {
		if (errno != EINVAL || !in->options)
			return -1;
		if (inject_detach(in) == 0)
			errno = EOPNOTSUPP;
		return -1;
	}
	fallback_note(FB_SEIZE, seize_err);
	return 0;
}

/*
 * An injected call that does not come back within the deadline (a
 * lingering close): interrupt it, so that the thread is at a stop where
 * inject_detach() can put everything back.
 */
static void
recover(struct inject *in)
{
	int st;

	if (in->dead || in->stopped || !in->seized)
		return;
	if (in->attach) {
		if (syscall(SYS_tgkill, in->pid, in->tid, SIGSTOP) == 0)
			stop_at_sigstop(in);
		return;
	}
	if (ptrace(PTRACE_INTERRUPT, in->tid, 0, 0) == 0 &&
	    wait_stop(in, &st) == 0)
		in->sigstop = st >> 16 == 0 && WSTOPSIG(st) != (SIGTRAP | 0x80);
}

/* The thread's own syscall insn if it is a native one, else the vDSO's. */
static int
choose_site(struct inject *in)
{
	const unsigned char *insn;
	unsigned char b[8];
	size_t len, align;
	uint64_t own = inject_arch_own_site(in->saved);

	insn = inject_arch_insn(&len, &align);
	in->site = in->vdso_site;
	if (own && pread(in->mem, b, len, (off_t)own) == (ssize_t)len &&
	    memcmp(b, insn, len) == 0)
		in->site = own;
	if (in->site == 0) {
		errno = ENOEXEC;
		return -1;
	}
	return 0;
}

/* At the first stop: save, classify, pick the variant and the site. */
static int
first_stop(struct inject *in)
{
	long call;

	if (inject_arch_getregs(in->tid, in->saved, &in->saved_nr) < 0)
		return -1;
	if (inject_arch_classify(in->saved, in->saved_nr, &in->in_call,
	    &in->restart) < 0)
		return -1;
	call = in->in_call >= 0 ? in->in_call : in->pre_call;
	in->variant = inject_arch_variant(call);
#ifdef UNDEAD_TEST_HOOKS
	if (getenv("UNDEAD_HOOK_VARIANT"))
		in->variant = getenv("UNDEAD_HOOK_VARIANT")[0];
#endif
	if (in->variant == 'S')
		return choose_site(in);
	/*
	 * E: on to the entry of the restarted call; its registers are saved.
	 * A group-stopped thread would run user code meanwhile: refuse.
	 */
	if (in->groupstop) {
		errno = EBUSY;
		return -1;
	}
	if (run_until(in, PTRACE_SYSCALL, ST_SYSCALL) < 0) {
		if (errno == ETIMEDOUT) {
			recover(in);	/* nothing was changed: just detach */
			errno = ETIMEDOUT;
		}
		return -1;
	}
	if (inject_arch_getregs(in->tid, in->saved, &in->saved_nr) < 0)
		return -1;
	in->entry = 1;
	return 0;
}

int
inject_attach(struct inject *in)
{
	siginfo_t si;
	sigset_t all;
	int st;

	/* No catchable signal may end us between here and the detach. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	if (held_room(in) < 0)
		return -1;
	if (ptrace(PTRACE_SEIZE, in->tid, 0,
	    (void *)(long)(PTRACE_O_TRACESYSGOOD | in->options)) < 0) {
		/* ESRCH means "no SEIZE" only where even pidfds are missing. */
		if (errno != EIO && (errno != ESRCH || pidfd_supported()))
			return -1;
		if (attach_old(in, errno) < 0)
			return -1;
		in->t_stop = now_ns();
		return first_stop(in);
	}
	in->seized = 1;
	if (ptrace(PTRACE_INTERRUPT, in->tid, 0, 0) < 0)
		return -1;
	if (wait_stop(in, &st) < 0)
		return -1;
	in->t_stop = now_ns();
	switch (stop_kind(in, st, ST_EVENT, &si)) {
	case ST_SIGNAL:
		in->held[in->nheld++] = si;
		break;
	case ST_EVENT:
		in->groupstop = WSTOPSIG(st) != SIGTRAP;
		break;
	}
	return first_stop(in);
}

static int
call_step(struct inject *in, long nr, const long args[6], long *ret)
{
	size_t len, align;
	long sysno = in->saved_nr;
	int r;

	inject_arch_insn(&len, &align);
	memcpy(in->cur, in->saved, sizeof(in->cur));
	inject_arch_set_step(in->cur, &sysno, in->site, nr, args);
	in->dirty = 1;
	if (inject_arch_setregs(in->tid, in->cur, sysno) < 0)
		return -1;
	test_hook(in);
	/*
	 * arm64: the pseudo-step leaves the step state machine active-pending
	 * (a step from there traps before any insn runs); the next call still
	 * runs because do_signal() rewinds it when pc is back on the svc it
	 * just returned from (arch/arm64/kernel/signal.c), which the site is.
	 * Anything else is caught by the pc check.
	 */
	in->running = 1;
	r = run_until(in, PTRACE_SINGLESTEP, ST_STEP);
	in->running = 0;
	if (r < 0)
		return -1;
	if (inject_arch_getregs(in->tid, in->cur, &sysno) < 0)
		return -1;
	if (inject_arch_pc(in->cur) != in->site + len) {
		errno = EPROTO;
		return -1;
	}
	*ret = inject_arch_ret(in->cur);
	return 0;
}

static int
call_entry(struct inject *in, long nr, const long args[6], long *ret)
{
	long sysno = in->saved_nr;
	int r;

	if (in->calls == 0) {
		memcpy(in->cur, in->saved, sizeof(in->cur));
		inject_arch_set_entry(in->cur, &sysno, nr, args);
	} else {
		/*
		 * From this stop's registers: after a call given up at a
		 * signal stop, arm64's x7 is the real one only there.
		 */
		if (inject_arch_getregs(in->tid, in->cur, &sysno) < 0)
			return -1;
		inject_arch_set_again(in->cur, &sysno, in->saved, nr, args);
	}
	in->dirty = 1;
	if (inject_arch_setregs(in->tid, in->cur, sysno) < 0)
		return -1;
	test_hook(in);
	if (in->calls > 0 && run_until(in, PTRACE_SYSCALL, ST_SYSCALL) < 0)
		return -1;
	in->running = 1;	/* from its entry to its exit */
	r = run_until(in, PTRACE_SYSCALL, ST_SYSCALL);
	in->running = 0;
	if (r < 0)
		return -1;
	in->entry = 0;
	if (inject_arch_getregs(in->tid, in->cur, &sysno) < 0)
		return -1;
	*ret = inject_arch_ret(in->cur);
	return 0;
}

int
inject_call(struct inject *in, long nr, const long args[6], long *ret)
{
	int r, e;

	if (!in->stopped) {
		errno = in->dead ? ESRCH : EPROTO;
		return -1;
	}
	r = in->variant == 'E' ? call_entry(in, nr, args, ret) :
	    call_step(in, nr, args, ret);
	if (r < 0) {
		e = errno;
		if (e == ETIMEDOUT)
			recover(in);
		errno = e;
		return -1;
	}
	in->calls++;
	return 0;
}

int
inject_scratch(struct inject *in, const void *data, size_t len,
    uint64_t *addr)
{
	uint64_t a, w[INJECT_SCRATCH_WORDS] = { 0 };
	int i, n = (len + 7) / 8;
	long v;

	if (!in->stopped || in->scratch || n > INJECT_SCRATCH_WORDS) {
		errno = EINVAL;
		return -1;
	}
	/* 128 bytes of red zone, then our words, 16-byte aligned. */
	a = (inject_arch_sp(in->saved) - 128 - 8 * INJECT_SCRATCH_WORDS) &
	    ~(uint64_t)15;
	for (i = 0; i < n; i++) {
		errno = 0;
		v = ptrace(PTRACE_PEEKDATA, in->tid, (void *)(a + 8 * i), 0);
		if (v == -1 && errno)
			return errno = EFAULT, -1;
		in->scratch_save[i] = v;
	}
	memcpy(w, data, len);
	in->scratch = a;
	in->scratch_n = n;
	for (i = 0; i < n; i++)
		if (ptrace(PTRACE_POKEDATA, in->tid, (void *)(a + 8 * i),
		    (void *)w[i]) < 0)
			return -1;
	*addr = a;
	return 0;
}

/* The words under the stack as they were. */
static int
scratch_restore(struct inject *in)
{
	int i;

	for (i = 0; i < in->scratch_n; i++)
		if (ptrace(PTRACE_POKEDATA, in->tid,
		    (void *)(in->scratch + 8 * i),
		    (void *)in->scratch_save[i]) < 0)
			return -1;
	in->scratch = 0;
	in->scratch_n = 0;
	return 0;
}

/*
 * Held signals from the from'th on, queued again in the order they came.
 * rt_tgsigqueueinfo keeps the siginfo, but the kernel lets no other
 * process forge kill()'s, tgkill()'s or its own (si_code >= 0, SI_TKILL:
 * kernel/signal.c do_rt_tgsigqueueinfo): those go with tgkill.
 */
static void
requeue(struct inject *in, int from)
{
	siginfo_t *si;
	long r;
	int i;

	for (i = from; i < in->nheld; i++) {
		si = &in->held[i];
		r = -1;
		if (si->si_code < 0 && si->si_code != SI_TKILL)
			r = syscall(SYS_rt_tgsigqueueinfo, in->pid, in->tid,
			    si->si_signo, si);
		if (r < 0)
			r = syscall(SYS_tgkill, in->pid, in->tid,
			    si->si_signo);
		if (r < 0)
			in->lost++;
	}
}

int
inject_detach(struct inject *in)
{
	long sysno = in->saved_nr;
	int sig;

	if (!in->seized || !in->stopped) {
		errno = in->dead ? ESRCH : EPROTO;
		return -1;
	}
	if (in->scratch && scratch_restore(in) < 0)
		return -1;
	/* Untouched registers (nothing injected yet) are left alone. */
	if (in->dirty && in->variant == 'E') {
		/* The rewind keeps what only this stop's registers know. */
		if (inject_arch_getregs(in->tid, in->cur, &sysno) < 0)
			return -1;
		inject_arch_rewind(in->cur, &sysno, in->saved, in->saved_nr);
		if (inject_arch_setregs(in->tid, in->cur, sysno) < 0)
			return -1;
	} else if (in->dirty &&
	    inject_arch_setregs(in->tid, in->saved, sysno) < 0)
		return -1;
	in->dirty = 0;
	/*
	 * At a signal-delivery-stop the first held signal goes with the
	 * detach, its own siginfo set (elsewhere ptrace(2) does not promise
	 * to deliver it); the others are queued again now, while the thread
	 * is still stopped, so that it finds them on its way out (after the
	 * detach it may be gone before they land).
	 */
	sig = 0;
	if (in->nheld && in->sigstop &&
	    ptrace(PTRACE_SETSIGINFO, in->tid, 0, &in->held[0]) == 0)
		sig = in->held[0].si_signo;
	requeue(in, sig ? 1 : 0);
	in->stopped_ns = now_ns() - in->t_stop;
	if (ptrace(PTRACE_DETACH, in->tid, 0, (void *)(long)sig) < 0)
		return -1;
	in->seized = in->stopped = 0;
	return 0;
}

void
inject_close(struct inject *in)
{
	if (in->mem >= 0)
		close(in->mem);
	in->mem = -1;
	free(in->held);
	in->held = NULL;
	in->nheld = in->held_alloc = 0;
}

const char *
inject_restart_name(long code)
{
	switch (code) {
	case -512:
		return "ERESTARTSYS";
	case -513:
		return "ERESTARTNOINTR";
	case -514:
		return "ERESTARTNOHAND";
	case -516:
		return "ERESTART_RESTARTBLOCK";
	}
	return "";
}

int
inject_sysline_parse(const char *s, struct inject_sysline *sl)
{
	uint64_t v[9];
	char *end;
	int n;

	memset(sl, 0, sizeof(*sl));
	if (strncmp(s, "running", 7) == 0) {
		sl->nr = -2;
		return 0;
	}
	errno = 0;
	sl->nr = strtol(s, &end, 10);
	if (end == s || errno || sl->nr < -1 || (*end != ' ' && *end != '\0'))
		goto bad;
	for (n = 0; n < 9 && *end == ' '; n++) {
		s = end + 1;
		v[n] = strtoull(s, &end, 16);
		if (end == s || errno)
			goto bad;
	}
	if (*end != '\n' && *end != '\0')
		goto bad;
	if (sl->nr == -1 && n == 2) {
		sl->sp = v[0];
		sl->pc = v[1];
		return 0;
	}
	if (sl->nr < 0 || n != 8)
		goto bad;
	memcpy(sl->args, v, sizeof(sl->args));
	sl->sp = v[6];
	sl->pc = v[7];
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

int
inject_sysline_read(pid_t pid, pid_t tid, struct inject_sysline *sl)
{
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", (int)pid,
	    (int)tid);
	if (proc_read(AT_FDCWD, path, buf, sizeof(buf)) < 0)
		return -1;
	return inject_sysline_parse(buf, sl);
}

struct pick {
	pid_t		 pid, found;
	int		 fd, n;
};

static int
pick_cb(pid_t tid, void *arg)
{
	struct pick *k = arg;
	struct inject_sysline sl;

	k->n++;
	if (!k->found && inject_sysline_read(k->pid, tid, &sl) == 0 &&
	    sl.nr >= 0 && inject_fdcall(sl.nr) && sl.args[0] == (uint64_t)k->fd)
		k->found = tid;
	return 0;
}

pid_t
inject_pick_thread(pid_t pid, int fd, int *nthreads)
{
	struct pick k = { pid, 0, fd, 0 };
	int dir = proc_open(pid);

	if (dir >= 0) {
		proc_task_foreach(dir, pick_cb, &k);
		close(dir);
	}
	*nthreads = k.n;
	return k.found;
}
