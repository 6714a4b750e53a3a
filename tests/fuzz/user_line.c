/* Fuzz target: user_line_parse (/etc/passwd and /etc/group lines). */
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
	const char *name;
	size_t nl;
	uint32_t id;

	user_line_parse((const char *)d, n, &name, &nl, &id);
	return 0;
}
