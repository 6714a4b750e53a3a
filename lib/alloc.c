/*
 * alloc.c: malloc, calloc, realloc and free for the static musl builds.
 * musl's mallocng (about 8 KB with its helpers, an eighth of a tool's
 * budget) is built for long-running threaded servers; these tools run
 * for moments. Blocks up to 16 KiB come in power-of-two sizes, header
 * included, cut from 64 KiB anonymous mappings (untouched pages cost no
 * memory) and reused through one free list per size; a larger block is a
 * mapping of its own, grown with mremap (no copy) and returned with
 * munmap, so a freed table's pages do not stay resident. A spin
 * lock keeps it correct should a thread ever allocate. Other C libraries
 * keep their own malloc (make sanitize relies on that).
 */
#include <stdio.h>	/* first: it defines __GLIBC__ where that is the libc */
#if !defined(__GLIBC__)
#include <sys/mman.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HDR		16	/* the block's size; keeps 16-byte alignment */
#define MINSHIFT	5	/* the smallest block: 32 bytes */
#define NCLASS		10	/* 32 B .. 16 KiB */
#define SMALL_MAX	((size_t)1 << (MINSHIFT + NCLASS - 1))
#define CHUNK		((size_t)64 << 10)
#define PAGE		((size_t)4096)	/* the kernel rounds up to its own */

static void	*freelist[NCLASS];
static char	*cur, *end;
static int	 lock;

static void
take(void)
{
	while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
		;
}

static void *
give(void *p)
{
	__atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
	return p;
}

static size_t *
hdr(void *p)
{
	return (size_t *)((char *)p - HDR);
}

static void *
map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void *
get(size_t n)
{
	size_t len = (size_t)1 << MINSHIFT;
	char *p;
	int k = 0;

	if (n > PTRDIFF_MAX / 2)
		return errno = ENOMEM, NULL;
	if (n + HDR > SMALL_MAX) {
		len = (n + HDR + PAGE - 1) & ~(PAGE - 1);
		if ((p = map(len)) == NULL)
			return NULL;
	} else {
		for (; len < n + HDR; len <<= 1)
			k++;
		if ((p = freelist[k]) != NULL) {
			freelist[k] = *(void **)p;
			return p;
		}
		if ((size_t)(end - cur) < len) {
			if ((cur = map(CHUNK)) == NULL)
				return end = NULL, NULL;
			end = cur + CHUNK;
		}
		p = cur;
		cur += len;
	}
	*(size_t *)p = len;
	return p + HDR;
}

static void
put(void *p)
{
	size_t len;
	int k;

	if (p == NULL)
		return;
	len = *hdr(p);
	if (len > SMALL_MAX) {
		munmap(hdr(p), len);
		return;
	}
	k = __builtin_ctzl(len) - MINSHIFT;
	*(void **)p = freelist[k];
	freelist[k] = p;
}

void *
malloc(size_t n)
{
	take();
	return give(get(n));
}

void
free(void *p)
{
	take();
	put(p);
	give(NULL);
}

void *
calloc(size_t n, size_t m)
{
	size_t len;
	void *p;

	if (__builtin_mul_overflow(n, m, &len))
		return errno = ENOMEM, NULL;
	take();
	p = get(len);
	/* A block of its own is a fresh mapping: zero already. */
	if (p && len + HDR <= SMALL_MAX)
		memset(p, 0, len);
	return give(p);
}

static void *
grow(void *p, size_t n)
{
	size_t old = *hdr(p), len;
	char *q;

	if (n > PTRDIFF_MAX / 2)
		return errno = ENOMEM, NULL;
	if (n + HDR <= old)
		return p;
	if (old > SMALL_MAX) {
		len = (n + HDR + PAGE - 1) & ~(PAGE - 1);
		q = mremap(hdr(p), old, len, MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			return NULL;
		*(size_t *)q = len;
		return q + HDR;
	}
	if ((q = get(n)) != NULL) {
		memcpy(q, p, old - HDR);
		put(p);
	}
	return q;
}

void *
realloc(void *p, size_t n)
{
	take();
	return give(p ? grow(p, n) : get(n));
}
#endif
