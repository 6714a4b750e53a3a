/* Fuzz target: proc_cmdline_parse (/proc/PID/cmdline, NUL-separated). */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1);

	memcpy(s, d, n);
	s[n] = 0;
	/* as read: at most size - 1 bytes, and a terminating NUL */
	proc_cmdline_parse(s, n, "comm", n + 1);
	if (n > 4)
		proc_cmdline_parse(s, n, "a comm longer than the room", 4);
	free(s);
	return 0;
}
