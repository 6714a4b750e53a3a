/*
 * fmt.c: an integer-only printf family. musl's vfprintf carries a
 * floating-point formatter (about 8 KB of a 64 KB budget) that none of the
 * tools needs; in static musl builds these definitions are linked instead
 * of libc's, err(3)/warn(3) included. Supported: flags "-0# +", width and
 * precision (numbers or *), lengths hh h l ll z j t, conversions d i u o x
 * X c s p %. Other C libraries keep their own printf.
 */
#if !defined(__GLIBC__)
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sink {
	char	*buf;
	size_t	 size, len;
};

static void
emit(struct sink *k, const char *s, size_t n)
{
	size_t room;

	if (k->len < k->size) {
		room = k->size - k->len;
		memcpy(k->buf + k->len, s, n < room ? n : room);
	}
	k->len += n;
}

static void
fill(struct sink *k, char c, int n)
{
	while (n-- > 0)
		emit(k, &c, 1);
}

struct spec {
	int	 left, zero, alt, plus, space, width, prec;
	char	 conv;
};

static void
field(struct sink *k, const struct spec *sp, const char *pre, const char *s,
    size_t n)
{
	size_t pl = strlen(pre);
	int pad = sp->width - (int)(n + pl);

	if (!sp->left && !sp->zero)
		fill(k, ' ', pad);
	emit(k, pre, pl);
	if (!sp->left && sp->zero)
		fill(k, '0', pad);
	emit(k, s, n);
	if (sp->left)
		fill(k, ' ', pad);
}

static void
integer(struct sink *k, struct spec *sp, uintmax_t v, int neg)
{
	char d[72], *p = d + sizeof(d);
	const char *digits = sp->conv == 'X' ? "0123456789ABCDEF" :
	    "0123456789abcdef";
	unsigned base = 10;
	const char *pre = neg ? "-" : sp->plus ? "+" : sp->space ? " " : "";
	uintmax_t orig = v;
	int n;

	if (sp->conv == 'o')
		base = 8;
	else if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
		base = 16;
	while (v) {
		/* cppcheck-suppress zerodivcond ; base is 8, 10 or 16 */
		*--p = digits[v % base];
		v /= base;
	}
	n = d + sizeof(d) - p;
	if (sp->prec >= 0)
		sp->zero = 0;
	while (n < sp->prec || (n == 0 && sp->prec < 0) ||
	    (sp->alt && base == 8 && *p != '0'))
		*--p = '0', n++;
	if ((sp->alt && base == 16 && orig) || sp->conv == 'p')
		pre = sp->conv == 'X' ? "0X" : "0x";
	field(k, sp, pre, p, n);
}

static const char *
parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-') sp->left = 1;
		else if (*f == '0') sp->zero = 1;
		else if (*f == '#') sp->alt = 1;
		else if (*f == '+') sp->plus = 1;
		else if (*f == ' ') sp->space = 1;
		else break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int), f++;
		if (sp->width < 0)
			sp->left = 1, sp->width = -sp->width;
	} else
		for (; *f >= '0' && *f <= '9'; f++)
			sp->width = sp->width * 10 + (*f - '0');
	if (*f == '.') {
		sp->prec = 0;
		if (*++f == '*')
			sp->prec = va_arg(*ap, int), f++;
		else
			for (; *f >= '0' && *f <= '9'; f++)
				sp->prec = sp->prec * 10 + (*f - '0');
	}
	return f;
}

/* The argument of an integer conversion with length modifier len. */
static uintmax_t
int_arg(int len, int sgn, va_list *ap, int *neg)
{
	intmax_t s;
	uintmax_t u;

	*neg = 0;
	if (sgn) {
		switch (len) {
		case 'H': s = (signed char)va_arg(*ap, int); break;
		case 'h': s = (short)va_arg(*ap, int); break;
		case 'l': s = va_arg(*ap, long); break;
		case 'L': s = va_arg(*ap, long long); break;
		case 'j': s = va_arg(*ap, intmax_t); break;
		case 'z': case 't': s = va_arg(*ap, long); break;
		default: s = va_arg(*ap, int);
		}
		*neg = s < 0;
		return *neg ? (uintmax_t)0 - (uintmax_t)s : (uintmax_t)s;
	}
	switch (len) {
	case 'H': u = (unsigned char)va_arg(*ap, unsigned); break;
	case 'h': u = (unsigned short)va_arg(*ap, unsigned); break;
	case 'l': case 'z': case 't': u = va_arg(*ap, unsigned long); break;
	case 'L': u = va_arg(*ap, unsigned long long); break;
	case 'j': u = va_arg(*ap, uintmax_t); break;
	default: u = va_arg(*ap, unsigned);
	}
	return u;
}

static const char *
length(const char *f, int *len)
{
	*len = 0;
	if (*f == 'h')
		*len = f[1] == 'h' ? (f++, 'H') : 'h', f++;
	else if (*f == 'l')
		*len = f[1] == 'l' ? (f++, 'L') : 'l', f++;
	else if (*f == 'z' || *f == 'j' || *f == 't')
		*len = *f++;
	return f;
}

static void
convert(struct sink *k, struct spec *sp, int len, va_list *ap)
{
	const char *s;
	char c;
	int neg;
	uintmax_t v;

	switch (sp->conv) {
	case 'd': case 'i':
		v = int_arg(len, 1, ap, &neg);
		integer(k, sp, v, neg);
		break;
	case 'u': case 'o': case 'x': case 'X':
		integer(k, sp, int_arg(len, 0, ap, &neg), 0);
		break;
	case 'p':
		integer(k, sp, (uintptr_t)va_arg(*ap, void *), 0);
		break;
	case 'c':
		c = va_arg(*ap, int);
		field(k, sp, "", &c, 1);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		if (s == NULL)
			s = "(null)";
		field(k, sp, "", s, sp->prec >= 0 ? strnlen(s, sp->prec) :
		    strlen(s));
		break;
	default:
		emit(k, "%", 1);
	}
}

int
vsnprintf(char *restrict buf, size_t size, const char *restrict f,
    va_list ap)
{
	struct sink k = { buf, size ? size - 1 : 0, 0 };
	struct spec sp;
	const char *p;
	va_list aq;
	int len;

	va_copy(aq, ap);
	for (; *f; f++) {
		for (p = f; *p && *p != '%'; p++)
			;
		emit(&k, f, p - f);
		if (*(f = p) == '\0')
			break;
		f = length(parse_spec(f + 1, &sp, &aq), &len);
		if ((sp.conv = *f) == '\0')
			break;
		convert(&k, &sp, len, &aq);
	}
	va_end(aq);
	if (size)
		buf[k.len < size ? k.len : size - 1] = '\0';
	return k.len;
}

int
snprintf(char *restrict buf, size_t size, const char *restrict f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, size, f, ap);
	va_end(ap);
	return n;
}

int
vfprintf(FILE *restrict fp, const char *restrict f, va_list ap)
{
	char small[512], *buf = small;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(small, sizeof(small), f, ap);
	if ((size_t)n >= sizeof(small) && (buf = malloc(n + 1)) != NULL)
		vsnprintf(buf, n + 1, f, aq);
	va_end(aq);
	if (buf == NULL)
		return -1;
	n = fwrite(buf, 1, n, fp) == (size_t)n ? n : -1;
	if (buf != small)
		free(buf);
	return n;
}

int
fprintf(FILE *restrict fp, const char *restrict f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vfprintf(fp, f, ap);
	va_end(ap);
	return n;
}

int
vprintf(const char *restrict f, va_list ap)
{
	return vfprintf(stdout, f, ap);
}

int
printf(const char *restrict f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vfprintf(stdout, f, ap);
	va_end(ap);
	return n;
}
#endif
