/* util.c: allocators that die, the version line, finish(). */
#include <sys/utsname.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		err(3, "malloc");
	return p;
}

void *
xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (p == NULL)
		err(3, "calloc");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		err(3, "realloc");
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

const char *
version_line(const char *tool, char *buf, size_t size)
{
#if defined(__x86_64__)
	const char *arch = "x86_64";
#elif defined(__aarch64__)
	const char *arch = "aarch64";
#elif defined(__i386__)
	const char *arch = "i386";
#else
	const char *arch = "unknown-arch";
#endif
#if defined(__GLIBC__)
	const char *libc = "glibc";
#else
	const char *libc = "musl";
#endif
	snprintf(buf, size, "%s %s (%s, %s, %s)", tool, UNDEAD_VERSION,
	    libc, arch, UNDEAD_LINK);
	return buf;
}

void	(*finish_hook)(void);

int
finish(int rc)
{
	if ((fflush(stdout) != 0 || ferror(stdout)) && errno != EPIPE) {
		warn("write standard output");
		rc = 3;
	}
	if (finish_hook)
		finish_hook();
	return rc;
}

/* The long option argv[optind - 1] names, if it is one: its entry. */
static const struct option *
opt_long(int argc, char *const argv[], const struct option *lo,
    size_t *len)
{
	const char *a = optind - 1 < argc ? argv[optind - 1] : NULL;

	if (a == NULL || strncmp(a, "--", 2) != 0)
		return NULL;
	*len = strcspn(a, "=");
	for (; lo && lo->name; lo++)
		/* the name, or an abbreviation of it */
		if (strlen(lo->name) >= *len - 2 &&
		    !strncmp(lo->name, a + 2, *len - 2))
			return lo;
	return NULL;
}

const char *
opt_error(int c, int argc, char *const argv[], const struct option *lo,
    char *buf, size_t size)
{
	size_t n = 0;
	const struct option *l = opt_long(argc, argv, lo, &n);

	if (c == ':' && l)
		snprintf(buf, size, "option --%s needs a value", l->name);
	else if (c == ':')
		snprintf(buf, size, "option -%c needs a value", optopt);
	else if (optopt == 0)
		snprintf(buf, size, "unknown option: %s", argv[optind - 1]);
	else if (l && l->val == optopt && argv[optind - 1][n] == '=')
		snprintf(buf, size, "option --%s takes no value", l->name);
	else
		snprintf(buf, size, "unknown option: -%c", optopt);
	return buf;
}
