/* Unit tests of the small malloc (lib/alloc.c) and qsort (lib/sort.c). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib.h"
#include "t.h"

struct rec {
	uint32_t	 key;
	char		 pad[13];	/* an odd width, as a struct may have */
};

static int
by_key(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

static uint32_t rnd = 12345;

static uint32_t
next(void)
{
	rnd = rnd * 1103515245u + 12345u;
	return rnd >> 8;
}

/* Sorts n records made by kind (0 random, 1 sorted, 2 reversed, 3 few). */
static int
sorts(size_t n, int kind)
{
	struct rec *v = calloc(n + 1, sizeof(*v));
	uint64_t sum = 0, after = 0;
	size_t i;
	int ok = v != NULL;

	for (i = 0; ok && i < n; i++) {
		v[i].key = kind == 0 ? next() : kind == 1 ? i : kind == 2 ?
		    n - i : next() % 3;
		v[i].pad[0] = (char)v[i].key;
		sum += v[i].key;
	}
	qsort(v, n, sizeof(*v), by_key);
	for (i = 0; ok && i < n; i++) {
		if ((i > 0 && v[i - 1].key > v[i].key) ||
		    v[i].pad[0] != (char)v[i].key)
			ok = 0;
		after += v[i].key;
	}
	free(v);
	return ok && sum == after;
}

/* Ours only: the host's malloc (make sanitize) behaves otherwise. */
#ifndef __GLIBC__
static int
pattern_kept(unsigned char *p, size_t n, unsigned char c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

static void
t_alloc(void)
{
	/* volatile: keep the compiler from judging these calls itself */
	volatile size_t half = SIZE_MAX / 2, huge = SIZE_MAX - 8;
	unsigned char *a, *b, *c;
	uintptr_t big;

	T_BEGIN("malloc: blocks are aligned, distinct, and keep their bytes");
	a = malloc(1);
	b = malloc(100);
	c = malloc(200000);		/* a mapping of its own */
	CHECK(a && b && c && a != b);
	CHECK(((uintptr_t)a | (uintptr_t)b | (uintptr_t)c) % 16 == 0);
	memset(a, 'a', 1);
	memset(b, 'b', 100);
	memset(c, 'c', 200000);
	CHECK(pattern_kept(a, 1, 'a') && pattern_kept(b, 100, 'b'));
	free(a);
	CHECK(malloc(1) == a);		/* reused from the free list */
	T_END();

	T_BEGIN("realloc: grows small to small, to large, large to large");
	b = realloc(b, 5000);
	CHECK(b && pattern_kept(b, 100, 'b'));
	memset(b, 'b', 5000);
	b = realloc(b, 100000);
	CHECK(b && pattern_kept(b, 5000, 'b'));
	c = realloc(c, 3000000);
	CHECK(c && pattern_kept(c, 200000, 'c'));
	big = (uintptr_t)c;
	c = realloc(c, 10);
	CHECK((uintptr_t)c == big);	/* shrinking keeps the block */
	free(b);
	free(c);
	b = realloc(NULL, 10);
	CHECK(b != NULL);
	free(b);
	free(NULL);
	T_END();

	T_BEGIN("calloc: zeroed, also when reusing; overflow is ENOMEM");
	a = malloc(64);
	memset(a, 0xff, 64);
	free(a);
	a = calloc(8, 8);
	CHECK(a && pattern_kept(a, 64, 0));
	free(a);
	errno = 0;
	CHECK(calloc(half, 3) == NULL && errno == ENOMEM);
	errno = 0;
	CHECK(malloc(huge) == NULL && errno == ENOMEM);
	T_END();
}
#else
static void
t_alloc(void)
{
}
#endif

int
main(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 7, 100, 4097 };
	size_t i;
	int k;

	T_BEGIN("qsort: random, sorted, reversed, duplicates, odd width");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (k = 0; k < 4; k++)
			CHECK(sorts(sizes[i], k));
	T_END();
	t_alloc();
	T_EXIT();
}
