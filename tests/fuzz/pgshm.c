/* Fuzz target: the shm header and dsm_control parsers on any bytes. */
#include <stdint.h>
#include <string.h>

#include "lib.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct pg_shmhdr h;
	uint32_t handles[16];
	int n;

	if (pg_shmhdr_parse(data, len, 1, 2, &h) > 0 &&
	    (h.device != 1 || h.inode != 2))
		__builtin_trap();
	n = pg_dsm_control_parse(data, len, handles, 16);
	if (n > 16)
		__builtin_trap();
	return 0;
}
