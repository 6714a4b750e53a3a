/*
 * out.c: the listing writer. Table mode keeps rows in a compact encoding
 * (a tag byte, then a varint or a length and bytes) so that 20,000 rows
 * cost well under a megabyte, then prints them aligned; raw, JSON and
 * pairs stream unless a sort is asked for. Escaping is lossless: control
 * bytes, invalid UTF-8 and the backslash itself become \xHH.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib.h"

/*
 * C_REF: a string equal to the last one stored in its column is kept as
 * the distance back to it (names, kinds and owners repeat down a column).
 */
enum { C_NULL, C_U64, C_I64, C_STR, C_BOOL, C_REF };
#define ESC_RAW		1	/* also escape space */
#define ESC_SHELL	2	/* also escape " $ ` for KEY="value" */

struct cell {
	int		 tag;
	uint64_t	 u;
	int64_t		 i;
	const char	*s;
	size_t		 n;
};

static char stdout_buf[32768];
static size_t last[64];		/* last string cell per column, + 1 */
static size_t colw[64];		/* measured widths */
static uint64_t colmax[64];	/* largest number seen in measuring */
static char *scratch;
static size_t scratch_cap;

int
out_col_index(const struct out *o, const char *name)
{
	int i;

	for (i = 0; o->cols[i].name; i++)
		if (strcasecmp(o->cols[i].name, name) == 0)
			return i;
	return -1;
}

int
out_has(const struct out *o, int col)
{
	int i;

	for (i = 0; i < o->nsel; i++)
		if (o->sel[i] == col)
			return 1;
	return 0;
}

static int
select_one(struct out *o, const char *name, size_t len)
{
	char buf[64];
	int c;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, name, len);
	buf[len] = '\0';
	c = out_col_index(o, buf);
	if (c < 0 || o->nsel >= (int)(sizeof(o->sel) / sizeof(o->sel[0])))
		return -1;
	if (!out_has(o, c))
		o->sel[o->nsel++] = c;
	return 0;
}

int
out_select(struct out *o, const char *list, const int *defs,
    const char **bad, size_t *badlen)
{
	const char *p, *end;
	int i;

	o->nsel = 0;
	if (list == NULL || *list == '+')
		for (i = 0; defs[i] >= 0; i++)
			o->sel[o->nsel++] = defs[i];
	if (list == NULL)
		return 0;
	if (*list == '+')
		list++;
	for (p = list;; p = end + 1) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		if (select_one(o, p, end - p) < 0) {
			/* an empty name ("FD,,TYPE") shows as '' */
			*bad = end > p ? p : "''";
			*badlen = end > p ? (size_t)(end - p) : 2;
			return -1;
		}
		if (*end == '\0')
			return 0;
	}
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned c = s[0];

	if (c < 0xc2 || c > 0xf4)
		return 0;
	len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) ||
	    (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
		return 0;
	return len;
}

static int
must_escape(unsigned char c, int how)
{
	if (c < 0x20 || c == 0x7f || c == '\\')
		return 1;
	if ((how & ESC_RAW) && c == ' ')
		return 1;
	return 0;
}

size_t
out_escape(const char *s, size_t n, int how, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, l;

	while (i < n && o + 5 < size) {
		if (u[i] >= 0x80 && (l = utf8_len(u + i, n - i)) > 0) {
			memcpy(buf + o, u + i, l);
			o += l, i += l;
			continue;
		}
		if (u[i] >= 0x80 || must_escape(u[i], how)) {
			buf[o++] = '\\', buf[o++] = 'x';
			buf[o++] = hex[u[i] >> 4], buf[o++] = hex[u[i] & 15];
		} else if ((how & ESC_SHELL) &&
		    (u[i] == '"' || u[i] == '$' || u[i] == '`')) {
			buf[o++] = '\\', buf[o++] = u[i];
		} else
			buf[o++] = u[i];
		i++;
	}
	buf[o] = '\0';
	return o;
}

/* Display width: UTF-8 continuation bytes take no column. */
static size_t
width(const char *s, size_t n)
{
	size_t w = 0, i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* Makes room for n more bytes at *buf + len. */
static void
room(unsigned char **buf, size_t *cap, size_t len, size_t n)
{
	if (len + n > *cap) {
		*cap = *cap ? *cap * 2 : 65536;
		while (*cap < len + n)
			*cap *= 2;
		*buf = xrealloc(*buf, *cap);
	}
}

static void
put(struct out *o, const void *p, size_t n)
{
	room(&o->buf, &o->cap, o->len, n);
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

unsigned char *
out_vput(unsigned char *p, uint64_t v)
{
	for (; v >= 0x80; v >>= 7)
		*p++ = v | 0x80;
	*p++ = v;
	return p;
}

const unsigned char *
out_vget(const unsigned char *p, uint64_t *v)
{
	int shift = 0;

	if (*p < 0x80)		/* most are: fds, lengths, small numbers */
		return *v = *p, p + 1;
	for (*v = 0; *p & 0x80; shift += 7)
		*v |= (uint64_t)(*p++ & 0x7f) << shift;
	*v |= (uint64_t)*p++ << shift;
	return p;
}

static void
put_varint(struct out *o, uint64_t v)
{
	unsigned char b[10];
	size_t n = out_vput(b, v) - b;

	put(o, b, n);
}

#define get_varint out_vget

void
out_log_num(struct out_log *l, uint64_t v)
{
	room(&l->buf, &l->cap, l->len, 10);
	l->len = out_vput(l->buf + l->len, v) - l->buf;
}

/* A text as the length it shares with the last one, then the rest. */
void
out_log_text(struct out_log *l, const char *s, size_t n)
{
	size_t k = 0;

	if (n >= sizeof(l->text))
		n = sizeof(l->text) - 1;
	while (k < n && k < l->textlen && l->text[k] == s[k])
		k++;
	out_log_num(l, k);
	out_log_num(l, n - k);
	room(&l->buf, &l->cap, l->len, n - k);
	memcpy(l->buf + l->len, s + k, n - k);
	l->len += n - k;
	memcpy(l->text + k, s + k, n - k);
	l->textlen = n;
}

uint64_t
out_logrd_num(const struct out_log *l, struct out_logrd *r)
{
	uint64_t v;

	if (l->buf[r->at] < 0x80)
		return l->buf[r->at++];
	r->at = out_vget(l->buf + r->at, &v) - l->buf;
	return v;
}

const char *
out_logrd_text(const struct out_log *l, struct out_logrd *r, size_t *len)
{
	size_t k = out_logrd_num(l, r), n = out_logrd_num(l, r);

	memcpy(r->text + k, l->buf + r->at, n);
	r->at += n;
	r->text[r->textlen = k + n] = '\0';
	*len = k + n;
	return r->text;
}

static const unsigned char *
cell_get(const unsigned char *p, struct cell *c)
{
	const unsigned char *at = p;
	uint64_t v;

	c->tag = *p++;
	switch (c->tag) {
	case C_REF:
		p = get_varint(p, &v);
		cell_get(at - v, c);
		return p;
	case C_U64:
	case C_BOOL:
		return get_varint(p, &c->u);
	case C_I64:
		p = get_varint(p, &v);
		c->i = (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
		return p;
	case C_STR:
		p = get_varint(p, &v);
		c->s = (const char *)p;
		c->n = v;
		return p + v;
	}
	return p;
}

/*
 * How many bytes of s from the start are printable ASCII (from lo on) and
 * not a backslash: eight at a time while none is another (a byte below
 * lo, above 0x7e, or a zero in w ^ "\\\\..." shows in the high bits).
 */
static size_t
plain(const char *s, size_t n, unsigned lo)
{
	const uint64_t one = 0x0101010101010101ull, high = one << 7;
	uint64_t w, b;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		b = w ^ one * '\\';
		if ((((w - one * lo) & ~w) | w | (w + one) | ((b - one) & ~b)) &
		    high)
			break;
	}
	while (i < n && (unsigned char)s[i] - lo < 0x7fu - lo && s[i] != '\\')
		i++;
	return i;
}

/* Text of a cell for table, raw and pairs modes, escaped. */
static const char *
cell_text(const struct cell *c, int how, size_t *len)
{
	static char num[24];
	size_t need;

	switch (c->tag) {
	case C_U64:
		*len = out_ufmt(num, c->u);
		break;
	case C_I64:
		*len = snprintf(num, sizeof(num), "%lld", (long long)c->i);
		break;
	case C_BOOL:
		*len = 1;
		num[0] = c->u ? '1' : '0';
		break;
	case C_STR:
		/* Printable ASCII with nothing to escape: as it is. */
		need = how & ESC_SHELL ? 0 : plain(c->s, c->n,
		    how & ESC_RAW ? 0x21 : 0x20);	/* raw escapes spaces */
		if (need == c->n && need && (need > 1 || c->s[0] != '-'))
			return *len = need, c->s;
		need = c->n * 4 + 8;
		if (need > scratch_cap)
			scratch = xrealloc(scratch, scratch_cap = need);
		*len = out_escape(c->s, c->n, how, scratch, scratch_cap);
		if (*len == 0 && !(how & ESC_SHELL)) {
			*len = 1;
			return "-";
		}
		/* A lone "-" would read as "empty" in raw mode. */
		if ((how & ESC_RAW) && *len == 1 && scratch[0] == '-')
			return *len = 4, "\\x2d";
		return scratch;
	default:
		*len = (how & ESC_SHELL) ? 0 : 1;
		return "-";
	}
	num[*len] = '\0';
	return num;
}

/*
 * A JSON string, lossless: UTF-8 as it is, control bytes as \u00XX, and
 * each byte that is not UTF-8 as the lone surrogate \udcXX (PEP 383's
 * surrogateescape: Python gives the bytes back with os.fsencode).
 */
void
out_json_string(const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	char e[7] = "\\u00";
	size_t i = 0, l;

	putc('"', stdout);
	while (i < n) {
		if (u[i] >= 0x80 && (l = utf8_len(u + i, n - i)) > 0) {
			fwrite(u + i, 1, l, stdout);
			i += l;
			continue;
		}
		if (u[i] >= 0x80 || u[i] < 0x20 || u[i] == 0x7f) {
			memcpy(e + 2, u[i] >= 0x80 ? "dc" : "00", 2);
			e[4] = hex[u[i] >> 4];
			e[5] = hex[u[i] & 15];
			fwrite(e, 1, 6, stdout);
		} else {
			if (u[i] == '"' || u[i] == '\\')
				putc('\\', stdout);
			putc(u[i], stdout);
		}
		i++;
	}
	putc('"', stdout);
}

static void
json_key(const char *name)
{
	putc('"', stdout);
	for (; *name; name++)
		putc(isalnum((unsigned char)*name) ?
		    tolower((unsigned char)*name) : '_', stdout);
	fputs("\": ", stdout);
}

static void
emit_json(const struct out *o, int i, const struct cell *c)
{
	fputs(i ? ", " : "{", stdout);
	json_key(o->cols[o->sel[i]].name);
	switch (c->tag) {
	case C_U64:
		printf("%llu", (unsigned long long)c->u);
		break;
	case C_I64:
		printf("%lld", (long long)c->i);
		break;
	case C_BOOL:
		fputs(c->u ? "true" : "false", stdout);
		break;
	case C_STR:
		out_json_string(c->s, c->n);
		break;
	default:
		fputs("null", stdout);
	}
}

static void
pad(size_t n)
{
	while (n--)
		putc(' ', stdout);
}

/*
 * A table or raw row is put together here and written with one fwrite
 * (a call for each cell and pad cost more than the cell): nothing waits
 * past the end of its row, so a tool may print between rows.
 */
static char line[8192];
static size_t linelen;

static void
line_end(void)
{
	line[linelen++] = '\n';
	fwrite(line, 1, linelen, stdout);
	linelen = 0;
}

/* A cell: its separator, text and padding (before, for numbers). */
static void
line_cell(int sep, const char *t, size_t len, size_t dw, int num)
{
	char *p;

	if (linelen + len + dw + 2 > sizeof(line)) {
		fwrite(line, 1, linelen, stdout);
		linelen = 0;
		if (len + dw + 2 > sizeof(line)) {	/* larger than a line */
			if (sep)
				putc(' ', stdout);
			pad(num ? dw : 0);
			fwrite(t, 1, len, stdout);
			pad(num ? 0 : dw);
			return;
		}
	}
	p = line + linelen;
	if (sep)
		*p++ = ' ';
	memset(p + (num ? 0 : len), ' ', dw);
	memcpy(p + (num ? dw : 0), t, len);
	linelen = p + len + dw - line;
}

/* Numbers, and text cell_text found plain ASCII: their length. */
static size_t
text_width(const struct cell *c, const char *t, size_t len)
{
	return c->tag != C_STR || t == c->s ? len : width(t, len);
}

static void
emit_cell(const struct out *o, int i, const struct cell *c, const size_t *w)
{
	const struct out_col *col = &o->cols[o->sel[i]];
	const char *t;
	size_t len, dw;

	if (o->mode == OUT_JSON) {
		emit_json(o, i, c);
		return;
	}
	if (o->mode == OUT_PAIRS) {
		t = cell_text(c, ESC_SHELL, &len);
		printf(&" %s=\""[!i], col->name);
		fwrite(t, 1, len, stdout);
		putc('"', stdout);
		return;
	}
	t = cell_text(c, o->mode == OUT_RAW ? ESC_RAW : 0, &len);
	/* the last column is not padded: its width is not needed */
	if (w && ((col->flags & OUT_NUM) || i + 1 < o->nsel))
		dw = w[i] - text_width(c, t, len);
	else
		dw = 0;
	line_cell(i, t, len, dw, col->flags & OUT_NUM);
}

static void
emit_row_end(struct out *o)
{
	if (o->mode == OUT_JSON)
		putc('}', stdout);
	else if (o->mode == OUT_PAIRS)
		putc('\n', stdout);
	else
		line_end();
}

static void
emit_row_start(struct out *o)
{
	if (o->mode == OUT_JSON)
		fputs(o->nrows ? ",\n      " : "\n      ", stdout);
}

static void
emit_header(const struct out *o, const size_t *w)
{
	struct cell c = { C_STR, 0, 0, NULL, 0 };
	int i;

	if (o->noheadings || o->mode == OUT_JSON || o->mode == OUT_PAIRS)
		return;
	for (i = 0; i < o->nsel; i++) {
		c.s = o->cols[o->sel[i]].name;
		c.n = strlen(c.s);
		emit_cell(o, i, &c, w);
	}
	line_end();
}

void
out_begin(struct out *o)
{
	setvbuf(stdout, stdout_buf, _IOFBF, sizeof(stdout_buf));
	o->len = o->nrows = 0;
	o->cell = 0;
	memset(last, 0, sizeof(last));
	o->buffered = o->mode == OUT_TABLE || o->sort >= 0;
	o->measure = NULL;
	o->skip = -1;
	o->w = NULL;
	if (o->mode == OUT_JSON)
		printf("{\n   \"%s\": [", o->json_key ? o->json_key : "rows");
}

static void
add(struct out *o, const struct cell *c)
{
	if (o->measure) {
		o->measure(o, c);
		return;
	}
	if (!o->buffered) {
		if (o->cell == 0 && o->nrows == 0)
			emit_header(o, o->w);
		if (o->cell == 0)
			emit_row_start(o);
		if (o->cell < o->nsel)
			emit_cell(o, o->cell, c, o->w);
		o->cell++;
		return;
	}
	unsigned char tag = c->tag;
	struct cell prev;
	size_t *lastp = &last[o->cell];

	if (o->cell++ >= o->nsel)
		return;
	if (c->tag == C_STR && *lastp) {
		cell_get(o->buf + *lastp - 1, &prev);
		if (prev.n == c->n && !memcmp(prev.s, c->s, c->n)) {
			tag = C_REF;
			put(o, &tag, 1);
			put_varint(o, o->len - 1 - (*lastp - 1));
			return;
		}
	}
	if (c->tag == C_STR)
		*lastp = o->len + 1;
	put(o, &tag, 1);
	if (c->tag == C_U64 || c->tag == C_BOOL)
		put_varint(o, c->u);
	else if (c->tag == C_I64)
		put_varint(o, ((uint64_t)c->i << 1) ^ -(uint64_t)(c->i < 0));
	else if (c->tag == C_STR) {
		put_varint(o, c->n);
		put(o, c->s, c->n);
	}
}

void
out_num(struct out *o, uint64_t v)
{
	add(o, &(struct cell){ C_U64, v, 0, NULL, 0 });
}

void
out_snum(struct out *o, int64_t v)
{
	add(o, &(struct cell){ C_I64, 0, v, NULL, 0 });
}

void
out_strn(struct out *o, const char *s, size_t n)
{
	add(o, &(struct cell){ C_STR, 0, 0, s, n });
}

void
out_str(struct out *o, const char *s)
{
	if (s == NULL)
		out_null(o);
	else
		out_strn(o, s, strlen(s));
}

void
out_bool(struct out *o, int b)
{
	add(o, &(struct cell){ C_BOOL, b != 0, 0, NULL, 0 });
}

void
out_null(struct out *o)
{
	add(o, &(struct cell){ C_NULL, 0, 0, NULL, 0 });
}

void
out_row_end(struct out *o)
{
	while (o->cell < o->nsel)
		out_null(o);
	if (!o->buffered && !o->measure)
		emit_row_end(o);
	o->nrows++;
	o->cell = 0;
}

size_t
out_rows(const struct out *o)
{
	return o->nrows;
}

/*
 * Shell sort (gaps 1, 4, 13, ...): not stable, elements of at most 16
 * bytes; a fraction of libc's qsort in size, as fast at these counts.
 */
void
out_sort(void *base, size_t n, int (*cmp)(const void *, const void *))
{
	char *b = base;
	uint64_t x, y;
	size_t h, i, j;

	for (h = 1; h < n / 3; h = h * 3 + 1)
		;
	for (; h; h /= 3)
		for (i = h; i < n; i++) {
			memcpy(&x, b + 8 * i, 8);
			for (j = i; j >= h; j -= h) {
				memcpy(&y, b + 8 * (j - h), 8);
				if (cmp ? cmp(&y, &x) <= 0 : y <= x)
					break;
				memcpy(b + 8 * j, &y, 8);
			}
			memcpy(b + 8 * j, &x, 8);
		}
}

int
out_u64_has(const uint64_t *v, size_t n, uint64_t x)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == x;
}

/*
 * num_fmt, with multiplications where v fits in 32 bits: -Os makes x/10 a
 * division, which costs as much as the rest of a cell.
 */
size_t
out_ufmt(char *buf, uint64_t v)
{
	char t[10], *p = t + 10;
	uint32_t w = v, q;

	if (v >> 32)
		return num_fmt(buf, v);
	do {
		q = (uint64_t)w * 0xcccccccdu >> 35;
		*--p = '0' + (w - q * 10);
		w = q;
	} while (w);
	memcpy(buf, p, t + 10 - p);
	return t + 10 - p;
}

struct rowkey {
	uint32_t	 row, key;
};
static const struct out *sorting;

static int
cell_cmp(const struct cell *a, const struct cell *b)
{
	int r;

	if (a->tag == C_NULL || b->tag == C_NULL)
		return (a->tag != C_NULL) - (b->tag != C_NULL);
	if (a->tag == C_STR && b->tag == C_STR) {
		r = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);
		return r ? r : (a->n > b->n) - (a->n < b->n);
	}
	if (a->tag == C_STR || b->tag == C_STR)
		return (a->tag == C_STR) - (b->tag == C_STR);
	if (a->tag == C_I64 && b->tag == C_I64)
		return (a->i > b->i) - (a->i < b->i);
	if (a->tag == C_I64)
		return a->i < 0 ? -1 : ((uint64_t)a->i > b->u) - ((uint64_t)a->i < b->u);
	if (b->tag == C_I64)
		return b->i < 0 ? 1 : (a->u > (uint64_t)b->i) - (a->u < (uint64_t)b->i);
	return (a->u > b->u) - (a->u < b->u);
}

static int
rowkey_cmp(const void *x, const void *y)
{
	const struct rowkey *a = x, *b = y;
	struct cell ca, cb;
	int r;

	cell_get(sorting->buf + a->key, &ca);
	cell_get(sorting->buf + b->key, &cb);
	r = cell_cmp(&ca, &cb);
	if (sorting->sort_desc)
		r = -r;
	return r ? r : (a->row > b->row) - (a->row < b->row);
}

/* Row order: the rows as written, or sorted (stable) by o->sort. */
static struct rowkey *
row_order(struct out *o)
{
	struct rowkey *rk = xcalloc(o->nrows, sizeof(*rk));
	const unsigned char *p = o->buf;
	struct cell c;
	size_t r;
	int i, k = -1;

	for (i = 0; i < o->nsel; i++)
		if (o->sel[i] == o->sort)
			k = i;
	for (r = 0; r < o->nrows; r++) {
		rk[r].row = rk[r].key = p - o->buf;
		for (i = 0; i < o->nsel; i++) {
			if (i == k)
				rk[r].key = p - o->buf;
			p = cell_get(p, &c);
		}
	}
	if (k >= 0) {
		sorting = o;
		out_sort(rk, o->nrows, rowkey_cmp);
	}
	return rk;
}

static void
widths(const struct out *o, size_t *w)
{
	const unsigned char *p = o->buf, *end = o->buf + o->len;
	const char *t;
	struct cell c;
	size_t len, dw;
	int i;

	for (i = 0; i < o->nsel; i++)
		w[i] = o->noheadings ? 1 : strlen(o->cols[o->sel[i]].name);
	while (p < end)
		for (i = 0; i < o->nsel; i++) {
			p = cell_get(p, &c);
			t = cell_text(&c, 0, &len);
			dw = width(t, len);
			if (dw > w[i])
				w[i] = dw;
		}
}

static void
emit_buffered(struct out *o)
{
	size_t w[64], r, n = o->nrows;
	struct rowkey *rk;
	const unsigned char *p;
	struct cell c;
	int i;

	if (n == 0)
		return;
	if (o->mode == OUT_TABLE)
		widths(o, w);
	emit_header(o, o->mode == OUT_TABLE ? w : NULL);
	/* Unsorted, the rows follow each other: no index (16 bytes a row). */
	rk = o->sort >= 0 ? row_order(o) : NULL;
	p = o->buf;
	for (o->nrows = 0, r = 0; r < n; r++, o->nrows++) {
		emit_row_start(o);
		if (rk)
			p = o->buf + rk[r].row;
		for (i = 0; i < o->nsel; i++) {
			p = cell_get(p, &c);
			emit_cell(o, i, &c, o->mode == OUT_TABLE ? w : NULL);
		}
		emit_row_end(o);
	}
	free(rk);
}

/* A cell of the measuring pass: it only widens its column. */
static void
measure(struct out *o, const struct cell *c)
{
	const char *t;
	size_t len, dw;

	if (o->cell < o->nsel && o->cell != o->skip) {
		/* a number widens by its digits: the largest is enough */
		if (c->tag == C_U64) {
			if (c->u > colmax[o->cell])
				colmax[o->cell] = c->u;
			o->cell++;
			return;
		}
		t = cell_text(c, 0, &len);
		if ((dw = text_width(c, t, len)) > colw[o->cell])
			colw[o->cell] = dw;
	}
	o->cell++;
}

int
out_measure(struct out *o)
{
	int i;

	if (o->mode != OUT_TABLE || o->sort >= 0)
		return 0;
	memset(colmax, 0, sizeof(colmax));
	for (i = 0; i < o->nsel; i++)
		colw[i] = o->noheadings ? 1 : strlen(o->cols[o->sel[i]].name);
	o->measure = measure;
	o->buffered = 0;
	/* the last column is not padded: its value is not needed to measure */
	if (!(o->cols[o->sel[o->nsel - 1]].flags & OUT_NUM))
		o->skip = o->nsel - 1;
	return 1;
}

void
out_measured(struct out *o)
{
	char num[24];
	size_t n;
	int i;

	for (i = 0; i < o->nsel; i++)
		if ((n = out_ufmt(num, colmax[i])) > colw[i])
			colw[i] = n;
	o->measure = NULL;
	o->skip = -1;
	o->w = colw;
	o->nrows = 0;
}


void
out_end(struct out *o)
{
	if (o->buffered)
		emit_buffered(o);
	if (o->mode == OUT_JSON)
		fputs(o->nrows ? "\n   ]\n}\n" : "]\n}\n", stdout);
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

void
out_list_columns(const struct out_col *cols)
{
	size_t w = 0, n;
	int i;

	for (i = 0; cols[i].name; i++)
		if ((n = strlen(cols[i].name)) > w)
			w = n;
	for (i = 0; cols[i].name; i++)
		printf("%-*s  %s\n", (int)w, cols[i].name,
		    cols[i].help ? cols[i].help : "");
}
