/* Fuzz target: the /proc/net/{tcp,tcp6,udp,unix} row parsers. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct sock_info si;
	char *s = text(d, n);

	sock_proc_inet_parse(s, 2, 6, &si);
	sock_proc_inet_parse(s, 10, 17, &si);
	if (sock_proc_unix_parse(s, &si) == 0)
		free(si.path);
	free(s);
	return 0;
}
