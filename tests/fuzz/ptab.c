/* Fuzz target: ptab_stat_parse over arbitrary /proc/N/stat text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ptab_ent e;
	char *s = malloc(size + 1);

	/* The length-bounded parser must never read past size. */
	memcpy(s, data, size);
	if (ptab_stat_parse_n(s, size, &e) >= 0 && (e.pid <= 0 ||
	    memchr(e.comm, '\0', sizeof(e.comm)) == NULL))
		abort();
	s[size] = '\0';
	if (ptab_stat_parse(s, &e) >= 0 && e.pid <= 0)
		abort();
	free(s);
	return 0;
}
