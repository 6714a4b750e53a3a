/* Fuzz target: /proc/PID/task/TID/syscall lines (inject_sysline_parse). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inject_sysline sl;
	char *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	if (inject_sysline_parse(s, &sl) == 0 && sl.nr >= 0)
		(void)inject_fdcall(sl.nr);
	free(s);
	return 0;
}
