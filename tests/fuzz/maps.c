/* Fuzz target: maps_line_parse (/proc/PID/maps rows). */
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
	struct maps_entry m;
	char *s = text(d, n);

	maps_line_parse(s, n, &m);
	free(s);
	return 0;
}
