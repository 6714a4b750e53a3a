/* inject_x86_64.c: x86_64 registers and syscall ABI for inject.c. */
#if defined(__x86_64__)
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <elf.h>
#include <errno.h>
#include <string.h>

#include "lib.h"

/*
 * The kernel's struct user_regs_struct (arch/x86/include/asm/user_64.h);
 * musl declares the fields unsigned long, glibc unsigned long long, so
 * the layout is spelled out here once.
 */
enum {
	R15, R14, R13, R12, RBP, RBX, R11, R10, R9, R8, RAX, RCX, RDX, RSI,
	RDI, ORIG_RAX, RIP, CS, EFLAGS, RSP, SS, FS_BASE, GS_BASE, DS, ES,
	FS, GS, NREGS
};
#define USER_CS	0x33	/* __USER_CS; 0x23 is the 32-bit compat segment */

static const unsigned char syscall_insn[] = { 0x0f, 0x05 };

int
inject_arch_getregs(pid_t tid, uint64_t *regs, long *nr)
{
	struct iovec iov = { regs, NREGS * sizeof(uint64_t) };

	*nr = -1;
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;
	if (iov.iov_len != NREGS * sizeof(uint64_t)) {
		errno = ENOEXEC;
		return -1;
	}
	return 0;
}

int
inject_arch_setregs(pid_t tid, const uint64_t *regs, long nr)
{
	struct iovec iov = { (void *)regs, NREGS * sizeof(uint64_t) };

	return ptrace(PTRACE_SETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0 ?
	    -1 : 0;
}

int
inject_arch_classify(const uint64_t *regs, long nr, long *in_call,
    long *restart)
{
	long orig = (long)regs[ORIG_RAX], ax = (long)regs[RAX];

	if (regs[CS] != USER_CS) {
		errno = ENOEXEC;
		return -1;
	}
	*in_call = orig >= 0 ? orig : -1;
	/* -ERESTARTSYS .. -ERESTART_RESTARTBLOCK (include/linux/errno.h) */
	*restart = orig >= 0 && ax <= -512 && ax >= -516 ? ax : 0;
	return 0;
}

int
inject_arch_variant(long in_call)
{
	return 'S';
}

uint64_t
inject_arch_own_site(const uint64_t *regs)
{
	return (long)regs[ORIG_RAX] >= 0 ? regs[RIP] - 2 : 0;
}

const unsigned char *
inject_arch_insn(size_t *len, size_t *align)
{
	*len = sizeof(syscall_insn);
	*align = 1;	/* the CPU decodes from rip, wherever that is */
	return syscall_insn;
}

uint64_t
inject_arch_pc(const uint64_t *regs)
{
	return regs[RIP];
}

uint64_t
inject_arch_sp(const uint64_t *regs)
{
	return regs[RSP];
}

long
inject_arch_ret(const uint64_t *regs)
{
	return (long)regs[RAX];
}

static void
set_args(uint64_t *r, const long a[6])
{
	r[RDI] = a[0];
	r[RSI] = a[1];
	r[RDX] = a[2];
	r[R10] = a[3];
	r[R8] = a[4];
	r[R9] = a[5];
}

void
inject_arch_set_step(uint64_t *regs, long *nr, uint64_t site, long sysno,
    const long args[6])
{
	regs[RIP] = site;
	regs[RAX] = sysno;
	/* No restart logic may touch the injected call at this stop. */
	regs[ORIG_RAX] = (uint64_t)-1;
	set_args(regs, args);
}

void
inject_arch_set_entry(uint64_t *regs, long *nr, long sysno,
    const long args[6])
{
	regs[ORIG_RAX] = sysno;
	set_args(regs, args);
}

void
inject_arch_set_again(uint64_t *regs, long *nr, const uint64_t *entry,
    long sysno, const long args[6])
{
	regs[RIP] = entry[RIP] - 2;
	regs[RAX] = sysno;
	set_args(regs, args);
}

void
inject_arch_rewind(uint64_t *regs, long *nr, const uint64_t *entry,
    long entry_nr)
{
	memcpy(regs, entry, NREGS * sizeof(uint64_t));
	regs[RIP] -= 2;
	regs[RAX] = regs[ORIG_RAX];
	/* The restart is done by hand: tell the exit path so (as gdb does). */
	regs[ORIG_RAX] = (uint64_t)-1;
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
		{ SYS_fdatasync, "fdatasync" },
		{ SYS_flock, "flock" }, { SYS_fcntl, "fcntl" },
		{ SYS_ioctl, "ioctl" }, { SYS_close, "close" },
		{ SYS_poll, "poll" }, { SYS_ppoll, "ppoll" },
		{ SYS_select, "select" }, { SYS_pselect6, "pselect6" },
		{ SYS_epoll_wait, "epoll_wait" },
		{ SYS_epoll_pwait, "epoll_pwait" },
		{ SYS_futex, "futex" }, { SYS_nanosleep, "nanosleep" },
		{ SYS_clock_nanosleep, "clock_nanosleep" },
		{ SYS_rt_sigsuspend, "rt_sigsuspend" },
		{ SYS_rt_sigtimedwait, "rt_sigtimedwait" },
		{ SYS_pause, "pause" }, { SYS_wait4, "wait4" },
		{ SYS_waitid, "waitid" }, { SYS_restart_syscall,
		    "restart_syscall" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].nr == nr)
			return t[i].name;
	return NULL;
}
#endif
