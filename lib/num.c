/* num.c: strict number, list, range and duration parsing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"

static int
digits(const char *s, unsigned base, uint64_t *v)
{
	uint64_t n = 0;
	unsigned d;

	if (*s == '\0')
		return errno = EINVAL, -1;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return errno = EINVAL, -1;
		if (n > (UINT64_MAX - d) / base)
			return errno = ERANGE, -1;
		n = n * base + d;
	}
	*v = n;
	return 0;
}

int
num_u64(const char *s, uint64_t *v)
{
	return digits(s, 10, v);
}

int
num_u64x(const char *s, uint64_t *v)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return digits(s + 2, 16, v);
	return digits(s, 10, v);
}

int
num_i64(const char *s, int64_t *v)
{
	uint64_t u;
	int neg = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (digits(s, 10, &u) < 0)
		return -1;
	if (u > (uint64_t)INT64_MAX + neg)
		return errno = ERANGE, -1;
	*v = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

int
num_range(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	uint64_t n;

	if (digits(s, 10, &n) < 0)
		return -1;
	if (n < min || n > max)
		return errno = ERANGE, -1;
	*v = n;
	return 0;
}

static int
span_parse(const char *s, size_t len, uint64_t max, int hex,
    struct num_span *sp)
{
	char a[32], b[32];
	const char *dash;
	size_t alen;

	/* A '-' past the first byte splits "lo-hi"; "7" is lo == hi. */
	dash = len > 1 ? memchr(s + 1, '-', len - 1) : NULL;
	alen = dash ? (size_t)(dash - s) : len;
	if (alen == 0 || alen >= sizeof(a))
		return errno = alen ? ERANGE : EINVAL, -1;
	memcpy(a, s, alen);
	a[alen] = '\0';
	if ((hex ? num_u64x(a, &sp->lo) : num_u64(a, &sp->lo)) < 0)
		return -1;
	sp->hi = sp->lo;
	if (dash) {
		size_t blen = len - alen - 1;

		if (blen == 0 || blen >= sizeof(b))
			return errno = blen ? ERANGE : EINVAL, -1;
		memcpy(b, dash + 1, blen);
		b[blen] = '\0';
		if ((hex ? num_u64x(b, &sp->hi) : num_u64(b, &sp->hi)) < 0)
			return -1;
	}
	if (sp->lo > sp->hi)
		return errno = EINVAL, -1;
	if (sp->hi > max)
		return errno = ERANGE, -1;
	return 0;
}

int
num_list_parse(struct num_list *l, const char *s, uint64_t max, int hex)
{
	const char *end;
	struct num_span sp;

	if (*s == '\0')
		return errno = EINVAL, -1;
	for (;;) {
		end = strchr(s, ',');
		if (end == NULL)
			end = s + strlen(s);
		if (span_parse(s, end - s, max, hex, &sp) < 0)
			return -1;
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 8;
			l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
		}
		l->v[l->n++] = sp;
		if (*end == '\0')
			return 0;
		s = end + 1;
	}
}

int
num_list_has(const struct num_list *l, uint64_t v)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (v >= l->v[i].lo && v <= l->v[i].hi)
			return 1;
	return 0;
}

void
num_list_free(struct num_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
num_duration(const char *s, uint64_t *secs)
{
	char buf[32];
	size_t n = strlen(s);
	uint64_t mul = 1, v;

	if (n == 0 || n >= sizeof(buf))
		return errno = n ? ERANGE : EINVAL, -1;
	memcpy(buf, s, n + 1);
	switch (buf[n - 1]) {
	case 's': mul = 1; break;
	case 'm': mul = 60; break;
	case 'h': mul = 3600; break;
	case 'd': mul = 86400; break;
	case 'w': mul = 604800; break;
	default:
		if (buf[n - 1] < '0' || buf[n - 1] > '9')
			return errno = EINVAL, -1;
		n++;
	}
	buf[n - 1] = '\0';
	if (num_u64(buf, &v) < 0)
		return -1;
	if (v > UINT64_MAX / mul)
		return errno = ERANGE, -1;
	*secs = v * mul;
	return 0;
}

size_t
num_fmt(char *buf, uint64_t v)
{
	char t[20];
	size_t n = 0, i;

	do {
		t[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = t[n - 1 - i];
	return n;
}

int
num_list_item(const char **s, char *buf, size_t size)
{
	const char *p = *s, *end;
	size_t n;

	if (p == NULL)
		return 0;
	end = strchr(p, ',');
	n = end ? (size_t)(end - p) : strlen(p);
	if (n == 0 || n >= size)
		return errno = n ? ENAMETOOLONG : EINVAL, -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	*s = end ? end + 1 : NULL;
	return 1;
}
