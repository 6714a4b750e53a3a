/*
 * Fuzz target for the /proc/sysvipc row parsers: the first byte picks the
 * kind, the first line is the header, every later line a row.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p, *end, *nl;
	struct ipc_cols c;
	struct ipc_obj o;

	if (size < 1)
		return 0;
	p = (const char *)data + 1;
	end = (const char *)data + size;
	nl = memchr(p, '\n', end - p);
	if (nl == NULL)
		nl = end;
	if (ipc_header_parse((enum ipc_kind)(data[0] % 4), p, nl - p, &c) < 0)
		return 0;
	while (nl < end) {
		p = nl + 1;
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		(void)ipc_row_parse(&c, p, nl - p, &o);
	}
	return 0;
}
