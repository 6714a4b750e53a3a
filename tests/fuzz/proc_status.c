/* Fuzz target: proc_status_parse (/proc/PID/status). */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct proc_status st;
	char *s = text(d, n);

	proc_status_parse(s, &st);
	free(s);
	return 0;
}
