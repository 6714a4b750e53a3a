/* Fuzz target: proc_stat_parse (/proc/PID/stat). */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct proc_stat st;
	char *s = text(d, n);

	proc_stat_parse(s, &st);
	free(s);
	return 0;
}
