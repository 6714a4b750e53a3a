/* Unit tests of the integer-only printf family (lib/fmt.c). */
#include <limits.h>
#include <stdint.h>

#include "lib.h"
#include "t.h"

#define F(want, ...) do { char b[128]; \
	int n = snprintf(b, sizeof(b), __VA_ARGS__); \
	CHECK_STR(b, want); CHECK(n == (int)strlen(want)); } while (0)

int
main(void)
{
	char small[4];
	/* volatile: keep the compiler from judging these calls itself */
	const char *volatile nul = NULL;
	volatile size_t four = sizeof(small);

	T_BEGIN("snprintf: integers, widths, flags, strings");
	F("42 -7 0", "%d %i %u", 42, -7, 0u);
	F("-9223372036854775808", "%lld", LLONG_MIN);
	F("18446744073709551615", "%llu", ULLONG_MAX);
	F("0052e2c1 0x1f 1F 017", "%08x %#x %X %#o", 0x52e2c1u, 31u, 31u, 15u);
	F("[   ab][ab   ][00042]", "[%5s][%-5s][%05d]", "ab", "ab", 42);
	F("[ab][  x][x  ]", "[%.*s][%*s][%-*s]", 2, "abcdef", 3, "x", 3, "x");
	F("%c=Z 000012 +5", "%%c=%c %.6u %+d", 'Z', 12u, 5);
	F("    65541 sz=3", "%9lu sz=%zu", 65541ul, (size_t)3);
	F("(null)", "%s", nul);
	F("-0042", "%05d", -42);
	CHECK(snprintf(small, four, "%s", "abcdef") == 6);
	CHECK_STR(small, "abc");
	T_END();
	T_EXIT();
}
