/* Fuzz target: mountinfo_type over arbitrary /proc/PID/mountinfo text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1), type[32];
	int id;

	/* Length-bounded: it must never read past size. */
	memcpy(s, data, size);
	for (id = 0; id < 40; id++)
		if (mountinfo_type(s, size, id, type, sizeof(type)) == 0 &&
		    (type[0] == '\0' || memchr(type, '\0', sizeof(type)) ==
		    NULL || strchr(type, ' ') || strchr(type, '\n')))
			abort();
	free(s);
	return 0;
}
