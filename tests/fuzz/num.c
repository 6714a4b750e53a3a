/* Fuzz target: num_* (numbers, lists, ranges, durations). */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct num_list l = { 0 };
	uint64_t v;
	int64_t i;
	char *s = text(d, n);

	num_u64(s, &v);
	num_u64x(s, &v);
	num_i64(s, &i);
	num_duration(s, &v);
	num_list_parse(&l, s, 1000000, n & 1);
	num_list_free(&l);
	free(s);
	return 0;
}
