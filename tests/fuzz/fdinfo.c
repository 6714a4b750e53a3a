/* Fuzz target: fdinfo_parse and fd_link_type. */
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
	struct fdinfo fi;
	const char *sub;
	size_t sl, len = n;
	uint64_t ino;
	char *s = text(d, n);

	fdinfo_parse(s, &fi);
	fd_link_type(s, &ino, &sub, &sl);
	fd_link_deleted(s, &len);
	free(s);
	return 0;
}
