/* t.h: the unit test harness: one PASS/FAIL line per test case. */
#include <stdio.h>
#include <string.h>

static const char *t_name;
static int t_bad, t_any_bad;

#define T_BEGIN(name)	do { t_name = (name); t_bad = 0; } while (0)
#define T_END()		do { \
	printf("%s unit: %s\n", t_bad ? "FAIL" : "PASS", t_name); \
	t_any_bad |= t_bad; } while (0)
#define CHECK(c)	do { if (!(c)) { \
	printf("  %s:%d: %s: check failed: %s\n", __FILE__, __LINE__, \
	    t_name, #c); t_bad = 1; } } while (0)
#define CHECK_STR(a, b)	do { const char *_a = (a), *_b = (b); \
	if (!_a || !_b || strcmp(_a, _b)) { \
	printf("  %s:%d: %s: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
	    t_name, _a ? _a : "(null)", _b ? _b : "(null)"); t_bad = 1; } \
	} while (0)
#define T_EXIT()	return t_any_bad
