/* Fuzz target: user_line_parse (/etc/passwd and /etc/group lines). */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const char *name;
	size_t nl;
	uint32_t id;

	user_line_parse((const char *)d, n, &name, &nl, &id);
	return 0;
}
