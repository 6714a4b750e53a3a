/* Fuzz target: the sock_diag reply parsers (inet and unix). */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct sock_info si;
	void *m = malloc(n ? n : 1);

	/* Replies are aligned in the kernel's buffer; so here. */
	memcpy(m, d, n);
	sock_nl_inet_parse(m, n, 6, &si);
	if (sock_nl_unix_parse(m, n, &si) == 0)
		free(si.path);
	free(m);
	return 0;
}
