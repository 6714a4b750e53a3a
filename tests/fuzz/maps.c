/* Fuzz target: maps_line_parse (/proc/PID/maps rows). */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct maps_entry m;
	char *s = text(d, n);

	maps_line_parse(s, n, &m);
	free(s);
	return 0;
}
