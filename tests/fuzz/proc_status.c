/* Fuzz target: proc_status_parse (/proc/PID/status). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"

/* The input as a NUL-terminated string (parsers read text). */
static char *
text(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1);

	memcpy(s, d, n);
	s[n] = 0;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct proc_status st;
	char *s = text(d, n);

	proc_status_parse(s, &st);
	free(s);
	return 0;
}
