/* Fuzz target: fdinfo_parse and fd_link_type. */
#include "fuzz.h"

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
