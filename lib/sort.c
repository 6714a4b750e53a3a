/*
 * sort.c: qsort for the static musl builds. musl's smoothsort takes over
 * 2 KB; this heapsort takes a tenth of that: O(n log n) comparisons in
 * the worst case, in place, no recursion, and (like smoothsort) not
 * stable. The tables the tools sort mostly come sorted already (/proc and
 * fd directories list in ascending order), so one pass notices that
 * first. Other C libraries keep their own qsort.
 */
#include <stdio.h>	/* first: it defines __GLIBC__ where that is the libc */
#if !defined(__GLIBC__)
#include <stdlib.h>

typedef int (*cmp_fn)(const void *, const void *);

static void
swap(char *a, char *b, size_t w)
{
	char t;

	while (w--) {
		t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/* Moves element root of the heap base[0..n) down to its place. */
static void
sift(char *base, size_t root, size_t n, size_t w, cmp_fn cmp)
{
	size_t child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n &&
		    cmp(base + child * w, base + (child + 1) * w) < 0)
			child++;
		if (cmp(base + root * w, base + child * w) >= 0)
			return;
		swap(base + root * w, base + child * w, w);
		root = child;
	}
}

void
qsort(void *p, size_t n, size_t w, cmp_fn cmp)
{
	char *base = p;
	size_t i;

	for (i = 1; i < n && cmp(base + (i - 1) * w, base + i * w) <= 0; i++)
		;
	if (i >= n)
		return;
	for (i = n / 2; i-- > 0; )
		sift(base, i, n, w, cmp);
	for (i = n; i-- > 1; ) {
		swap(base, base + i * w, w);
		sift(base, 0, i, w, cmp);
	}
}
#endif
