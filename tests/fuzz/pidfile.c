/* Fuzz target: the postmaster.pid parser must never crash on any bytes. */
#include <stdint.h>
#include <string.h>

#include "lib.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct pidfile pf;

	if (pidfile_parse((const char *)data, len, &pf) == 0) {
		/* The copies are NUL-terminated and within bounds. */
		if (strlen(pf.datadir) >= sizeof(pf.datadir) ||
		    strlen(pf.sockdir) >= sizeof(pf.sockdir) ||
		    strlen(pf.listen) >= sizeof(pf.listen) ||
		    pf.lines < 2 || pf.pid == 0 || pf.datadir[0] != '/')
			__builtin_trap();
	} else if (pf.errwhat == NULL || pf.errline < 0 ||
	    strlen(pf.errfound) >= sizeof(pf.errfound)) {
		__builtin_trap();
	}
	return 0;
}
