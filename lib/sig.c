/*
 * sig.c: signal names and numbers, as kill(1) spells them: "TERM",
 * "SIGTERM", "term", "15", "RTMIN+3", "RTMAX-1".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib.h"

/*
 * The kernel's real-time signals run from 32 to _NSIG - 1. glibc keeps
 * 32 and 33 for itself and calls 34 SIGRTMIN, musl keeps 32-34 and calls
 * 35 SIGRTMIN. Names here follow glibc (and so procps and util-linux kill
 * on most systems): RTMIN = 34, RTMAX = 64.
 */
#define SIG_RTMIN	34
#define SIG_RTMAX	64

static const char *const names[SIG_RTMIN] = {
	[SIGHUP] = "HUP",	[SIGINT] = "INT",	[SIGQUIT] = "QUIT",
	[SIGILL] = "ILL",	[SIGTRAP] = "TRAP",	[SIGABRT] = "ABRT",
	[SIGBUS] = "BUS",	[SIGFPE] = "FPE",	[SIGKILL] = "KILL",
	[SIGUSR1] = "USR1",	[SIGSEGV] = "SEGV",	[SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE",	[SIGALRM] = "ALRM",	[SIGTERM] = "TERM",
#ifdef SIGSTKFLT
	[SIGSTKFLT] = "STKFLT",
#endif
	[SIGCHLD] = "CHLD",	[SIGCONT] = "CONT",	[SIGSTOP] = "STOP",
	[SIGTSTP] = "TSTP",	[SIGTTIN] = "TTIN",	[SIGTTOU] = "TTOU",
	[SIGURG] = "URG",	[SIGXCPU] = "XCPU",	[SIGXFSZ] = "XFSZ",
	[SIGVTALRM] = "VTALRM",	[SIGPROF] = "PROF",	[SIGWINCH] = "WINCH",
	[SIGIO] = "IO",		[SIGPWR] = "PWR",	[SIGSYS] = "SYS",
};

static const struct {
	const char	*name;
	int		 sig;
} aliases[] = {
	{ "IOT", SIGABRT }, { "POLL", SIGIO }, { "CLD", SIGCHLD },
};

int
sig_max(void)
{
	return SIG_RTMAX;
}

const char *
sig_name(int sig, char *buf, size_t size)
{
	int n;

	if (sig > 0 && sig < SIG_RTMIN && names[sig])
		n = snprintf(buf, size, "%s", names[sig]);
	else if (sig == SIG_RTMIN)
		n = snprintf(buf, size, "RTMIN");
	else if (sig == SIG_RTMAX)
		n = snprintf(buf, size, "RTMAX");
	else if (sig > SIG_RTMIN && sig <= (SIG_RTMIN + SIG_RTMAX) / 2)
		n = snprintf(buf, size, "RTMIN+%d", sig - SIG_RTMIN);
	else if (sig > SIG_RTMIN && sig < SIG_RTMAX)
		n = snprintf(buf, size, "RTMAX-%d", SIG_RTMAX - sig);
	else if (sig == 0)
		n = snprintf(buf, size, "0");
	else
		return errno = EINVAL, NULL;
	if (n < 0 || (size_t)n >= size)
		return errno = ERANGE, NULL;
	return buf;
}

/* "RTMIN", "RTMIN+N", "RTMAX", "RTMAX-N" (name already without SIG). */
static int
rt_parse(const char *s, int *sig)
{
	uint64_t off = 0;
	int base, dir;

	if (!strncasecmp(s, "RTMIN", 5))
		base = SIG_RTMIN, dir = 1;
	else if (!strncasecmp(s, "RTMAX", 5))
		base = SIG_RTMAX, dir = -1;
	else
		return -1;
	s += 5;
	if (*s != '\0') {
		if (*s != (dir > 0 ? '+' : '-') || num_u64(s + 1, &off) < 0 ||
		    off > SIG_RTMAX - SIG_RTMIN)
			return -1;
	}
	*sig = base + dir * (int)off;
	return 0;
}

int
sig_parse(const char *s, int *sig)
{
	uint64_t n;
	size_t i;

	if (*s >= '0' && *s <= '9') {
		if (num_u64(s, &n) < 0 || n > SIG_RTMAX)
			return errno = EINVAL, -1;
		*sig = n;
		return 0;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (i = 1; i < SIG_RTMIN; i++)
		if (names[i] && !strcasecmp(s, names[i])) {
			*sig = i;
			return 0;
		}
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcasecmp(s, aliases[i].name)) {
			*sig = aliases[i].sig;
			return 0;
		}
	if (rt_parse(s, sig) == 0)
		return 0;
	return errno = EINVAL, -1;
}
