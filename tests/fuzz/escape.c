/* Fuzz target: out_escape (table, raw, shell escaping). */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n * 4 + 8);

	out_escape((const char *)d, n, n & 3, buf, n * 4 + 8);
	free(buf);
	return 0;
}
