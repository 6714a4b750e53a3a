/* Fuzz target: sig_parse over arbitrary text, round-tripped by sig_name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), buf[16];
	int sig, again;

	memcpy(s, data, size);
	s[size] = '\0';
	if (sig_parse(s, &sig) == 0) {
		if (sig < 0 || sig > sig_max())
			abort();
		if (sig_name(sig, buf, sizeof(buf)) != NULL &&
		    (sig_parse(buf, &again) < 0 || again != sig))
			abort();
	}
	free(s);
	return 0;
}
