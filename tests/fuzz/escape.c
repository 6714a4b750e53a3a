/* Fuzz target: out_escape (table, raw, shell escaping). */
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
	char *buf = malloc(n * 4 + 8);

	out_escape((const char *)d, n, n & 3, buf, n * 4 + 8);
	free(buf);
	return 0;
}
