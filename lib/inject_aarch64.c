/*
 * inject_aarch64.c: aarch64 registers and syscall ABI for inject.c.
 * Written to the protocol in facts/fdclose.md §4.5 (kernel
 * arch/arm64/kernel/signal.c and ptrace.c); run by tests/vm on Debian's
 * 6.1 arm64 kernel under qemu-system-aarch64 (-cpu max: BTI, PAC, SVE).
 */
#if defined(__aarch64__)
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <elf.h>
#include <errno.h>
#include <string.h>

#include "lib.h"

#ifndef NT_ARM_SYSTEM_CALL
#define NT_ARM_SYSTEM_CALL	0x404
#endif

/* struct user_pt_regs: x0..x30, sp, pc, pstate. */
enum { X0 = 0, X7 = 7, X8 = 8, SP = 31, PC = 32, PSTATE = 33, NREGS = 34 };
#define PSR_MODE_MASK	0x0000000fu
#define PSR_MODE32	0x00000010u	/* AArch32 (compat) task */
#define PSR_BTYPE_MASK	0x00000c00u

/* svc #0 = 0xd4000001, little-endian bytes. */
static const unsigned char svc_insn[] = { 0x01, 0x00, 0x00, 0xd4 };

int
inject_arch_getregs(pid_t tid, uint64_t *regs, long *nr)
{
	struct iovec iov = { regs, NREGS * sizeof(uint64_t) };
	int sysno = -1;
	struct iovec sv = { &sysno, sizeof(sysno) };

	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;
	if (iov.iov_len != NREGS * sizeof(uint64_t)) {
		errno = ENOEXEC;	/* a compat (AArch32) task */
		return -1;
	}
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_ARM_SYSTEM_CALL, &sv) < 0)
		return -1;
	*nr = sysno;
	return 0;
}

int
inject_arch_setregs(pid_t tid, const uint64_t *regs, long nr)
{
	struct iovec iov = { (void *)regs, NREGS * sizeof(uint64_t) };
	int sysno = (int)nr;
	struct iovec sv = { &sysno, sizeof(sysno) };

	if (ptrace(PTRACE_SETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;
	return ptrace(PTRACE_SETREGSET, tid, (void *)NT_ARM_SYSTEM_CALL,
	    &sv) < 0 ? -1 : 0;
}

/*
 * At an interrupt or signal stop the kernel has already rewound pc to the
 * svc, put orig_x0 back into x0 and forgotten the syscall number, so the
 * restart code is not visible; inject.c falls back on what
 * /proc/PID/task/TID/syscall said before the attach.
 */
int
inject_arch_classify(const uint64_t *regs, long nr, long *in_call,
    long *restart)
{
	if (regs[PSTATE] & PSR_MODE32) {
		errno = ENOEXEC;
		return -1;
	}
	*in_call = nr >= 0 ? nr : -1;
	*restart = 0;
	return 0;
}

/*
 * In a call: hijack the entry of the restarted call (single-stepping at
 * the same svc would have x8 rewritten to restart_syscall for
 * RESTARTBLOCK calls). In user mode: single-step at a vDSO svc.
 */
int
inject_arch_variant(long in_call)
{
	return in_call >= 0 ? 'E' : 'S';
}

uint64_t
inject_arch_own_site(const uint64_t *regs)
{
	return 0;	/* never step at the thread's own svc (see above) */
}

const unsigned char *
inject_arch_insn(size_t *len, size_t *align)
{
	*len = sizeof(svc_insn);
	*align = 4;
	return svc_insn;
}

uint64_t
inject_arch_pc(const uint64_t *regs)
{
	return regs[PC];
}

uint64_t
inject_arch_sp(const uint64_t *regs)
{
	return regs[SP];
}

long
inject_arch_ret(const uint64_t *regs)
{
	return (long)regs[X0];
}

static void
set_args(uint64_t *r, const long a[6])
{
	int i;

	for (i = 0; i < 6; i++)
		r[X0 + i] = a[i];
}

void
inject_arch_set_step(uint64_t *regs, long *nr, uint64_t site, long sysno,
    const long args[6])
{
	regs[PC] = site;
	regs[X8] = sysno;
	/* Untested: a BTI-guarded vDSO page after an indirect branch. */
	regs[PSTATE] &= ~(uint64_t)PSR_BTYPE_MASK;
	*nr = -1;
	set_args(regs, args);
}

void
inject_arch_set_entry(uint64_t *regs, long *nr, long sysno,
    const long args[6])
{
	/* At an entry stop x8 is no longer read: the number is syscallno. */
	*nr = sysno;
	set_args(regs, args);
}

void
inject_arch_set_again(uint64_t *regs, long *nr, const uint64_t *entry,
    long sysno, const long args[6])
{
	regs[PC] = entry[PC] - 4;
	regs[X8] = sysno;
	*nr = -1;
	set_args(regs, args);
}

/*
 * Entry registers with pc back on the svc and x0 = arg0 (the entry stop
 * shows arg0 in x0); x8 keeps the call, including restart_syscall (128).
 * syscallno -1 keeps do_signal from rewinding a second time.
 * x7 is not in them: a syscall stop shows it as 0 (entry) or 1 (exit) and
 * puts the real one back after the stop, discarding writes. The restore
 * usually happens at a syscall-exit stop, where that does no harm; but at
 * a signal stop (a call given up under a storm of queued signals, and
 * the placeholder's close given up too) the entry's 0 would stick. There
 * the current x7 is the real one: keep it (in a VM test x7 came back 0
 * before this).
 */
void
inject_arch_rewind(uint64_t *regs, long *nr, const uint64_t *entry,
    long entry_nr)
{
	uint64_t x7 = regs[X7];

	memcpy(regs, entry, NREGS * sizeof(uint64_t));
	regs[X7] = x7;
	regs[PC] -= 4;
	*nr = -1;
}

int
inject_fdcall(long nr)
{
	switch (nr) {
	case SYS_read: case SYS_write: case SYS_readv: case SYS_writev:
	case SYS_pread64: case SYS_pwrite64: case SYS_sendto:
	case SYS_recvfrom: case SYS_sendmsg: case SYS_recvmsg:
	case SYS_sendmmsg: case SYS_recvmmsg: case SYS_accept:
	case SYS_accept4: case SYS_connect: case SYS_sendfile:
	case SYS_splice: case SYS_fsync: case SYS_fdatasync: case SYS_flock:
	case SYS_fcntl: case SYS_ioctl: case SYS_close:
		return 1;
	}
	return 0;
}

const char *
inject_call_name(long nr)
{
	static const struct {
		long		 nr;
		const char	*name;
	} t[] = {
		{ SYS_read, "read" }, { SYS_write, "write" },
		{ SYS_readv, "readv" }, { SYS_writev, "writev" },
		{ SYS_pread64, "pread64" }, { SYS_pwrite64, "pwrite64" },
		{ SYS_sendto, "sendto" }, { SYS_recvfrom, "recvfrom" },
		{ SYS_sendmsg, "sendmsg" }, { SYS_recvmsg, "recvmsg" },
		{ SYS_sendmmsg, "sendmmsg" }, { SYS_recvmmsg, "recvmmsg" },
		{ SYS_accept, "accept" }, { SYS_accept4, "accept4" },
		{ SYS_connect, "connect" }, { SYS_sendfile, "sendfile" },
		{ SYS_splice, "splice" }, { SYS_fsync, "fsync" },
		{ SYS_fdatasync, "fdatasync" }, { SYS_flock, "flock" },
		{ SYS_fcntl, "fcntl" }, { SYS_ioctl, "ioctl" },
		{ SYS_close, "close" }, { SYS_ppoll, "ppoll" },
		{ SYS_pselect6, "pselect6" },
		{ SYS_epoll_pwait, "epoll_pwait" },
		{ SYS_futex, "futex" }, { SYS_nanosleep, "nanosleep" },
		{ SYS_clock_nanosleep, "clock_nanosleep" },
		{ SYS_rt_sigsuspend, "rt_sigsuspend" },
		{ SYS_rt_sigtimedwait, "rt_sigtimedwait" },
		{ SYS_wait4, "wait4" }, { SYS_waitid, "waitid" },
		{ SYS_restart_syscall, "restart_syscall" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].nr == nr)
			return t[i].name;
	return NULL;
}
#endif
