/*
 * fallback.c: the newer kernel facilities found missing, each noted once
 * where its fallback is taken (in lib or in a tool), with the errno that
 * said so. Tools print them for -v; nothing here prints.
 */
#include <errno.h>
#include <string.h>

#include "lib.h"

static unsigned char noted[FB_N];	/* the errno, 0 if not noted */

void
fallback_note(enum fallback f, int e)
{
	if ((unsigned)f < FB_N && noted[f] == 0)
		noted[f] = e > 0 && e < 256 ? e : EINVAL;
}

int
fallback_err(enum fallback f)
{
	return (unsigned)f < FB_N ? noted[f] : 0;
}

const char *
fallback_errname(int e)
{
	/* Each name follows its number; the answers old kernels give. */
	static const char t[] = {
		ENOSYS, 'E', 'N', 'O', 'S', 'Y', 'S', 0,
		EIO, 'E', 'I', 'O', 0,
		EINVAL, 'E', 'I', 'N', 'V', 'A', 'L', 0,
		ENOENT, 'E', 'N', 'O', 'E', 'N', 'T', 0,
		ESRCH, 'E', 'S', 'R', 'C', 'H', 0,
		EPROTONOSUPPORT, 'E', 'P', 'R', 'O', 'T', 'O', 'N', 'O', 'S',
		'U', 'P', 'P', 'O', 'R', 'T', 0,
		EOPNOTSUPP, 'E', 'O', 'P', 'N', 'O', 'T', 'S', 'U', 'P', 'P', 0,
		0
	};
	const char *p;

	for (p = t; *p; p += strlen(p) + 1)
		if (*p == e)
			return p + 1;
	return "?";
}
