/*
 * escape.c - raw-byte macros (decoding) and display escaping.
 */
#include "escape.h"

#include "limits.h"
#include "tpl.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	const char *bytes;
	size_t len;
} named[] = {
	{ "CRLF", "\r\n", 2 }, { "CR", "\r", 1 },  { "LF", "\n", 1 },
	{ "NUL", "\0", 1 },    { "SP", " ", 1 },   { "TAB", "\t", 1 },
	{ "DEL", "\177", 1 },
};

static int fail(ssp_escape_err_t *err, size_t off, const char *msg)
{
	err->offset = off;
	snprintf(err->text, sizeof(err->text), "%s", msg);
	return -1;
}

/* fail_big - fail with "what max bytes" (the limit passed). */
static int fail_big(ssp_escape_err_t *err, size_t off, const char *what, uint64_t max)
{
	err->offset = off;
	snprintf(err->text, sizeof(err->text), "%s %llu bytes", what, (unsigned long long)max);
	return -1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* repeat_end - index of the "]%" closing the repeat whose text starts at i. */
static size_t repeat_end(const char *in, size_t n, size_t i)
{
	int depth = 1;

	for (; i + 1 < n; i++) {
		if (in[i] == '%' && in[i + 1] == '%') {
			i++; /* "%%" is a literal '%', never part of a macro */
			continue;
		}
		if (in[i] == '%' && n - i > 8 && memcmp(in + i, "%repeat[", 8) == 0) {
			depth++;
			i += 7;
		} else if (in[i] == ']' && in[i + 1] == '%') {
			if (--depth == 0)
				return i;
			i++;
		}
	}
	return n;
}

static int decode(const char *in, size_t n, size_t base, ssp_tpl_t *out, uint64_t max,
		  uint64_t *size, ssp_escape_err_t *err, int depth);

/* lit - append literal bytes to the template, counting them: 0 or -1. */
static int lit(ssp_tpl_t *out, const char *p, size_t k, uint64_t max, uint64_t *size,
	       ssp_escape_err_t *err, size_t off)
{
	if (*size + k > max)
		return fail_big(err, off, "decoded bytes exceed", max);
	if (ssp_tpl_lit(out, p, k) != 0)
		return fail(err, off, "out of memory");
	*size += k;
	return 0;
}

/* decode_repeat - in[i] starts just after "%repeat["; *i set after "]%".
 * The body is decoded once, into a repeat node: never expanded here. */
static int decode_repeat(const char *in, size_t n, size_t *i, size_t base, ssp_tpl_t *out,
			 uint64_t max, uint64_t *size, ssp_escape_err_t *err, int depth)
{
	size_t start = *i - 8, j = *i, end;
	unsigned long count = 0;
	uint64_t body = 0;
	long at;
	int big;

	if (depth >= SSP_ESCAPE_DEPTH_MAX)
		return fail(err, base + start, "%repeat[...]% nested too deeply");
	if (j >= n || in[j] < '0' || in[j] > '9')
		return fail(err, base + start, "%repeat[N x TEXT]%: N must be a decimal number");
	while (j < n && in[j] >= '0' && in[j] <= '9') {
		count = count * 10 + (unsigned long)(in[j] - '0');
		if (count > SSP_REPEAT_MAX)
			return fail(err, base + start, "%repeat[N x TEXT]%: N above " SSP_XSTR(SSP_REPEAT_MAX));
		j++;
	}
	if (n - j < 3 || memcmp(in + j, " x ", 3) != 0)
		return fail(err, base + start, "%repeat[N x TEXT]%: expected ' x ' after N");
	j += 3;
	end = repeat_end(in, n, j);
	if (end >= n)
		return fail(err, base + start, "%repeat[ without its closing ]%");
	if ((at = ssp_tpl_open(out)) < 0)
		return fail(err, base + start, "out of memory");
	if (decode(in + j, end - j, base + j, out, max, &body, err, depth + 1) != 0)
		return -1;
	if (ssp_tpl_close(out, at, (uint32_t)count, body, max - *size, &big) != 0)
		return big ? fail_big(err, base + start, "%repeat[...]% expands past", max)
			   : fail(err, base + start, "out of memory");
	*size += body * count; /* checked against max by ssp_tpl_close */
	*i = end + 2;
	return 0;
}

static int decode(const char *in, size_t n, size_t base, ssp_tpl_t *out, uint64_t max,
		  uint64_t *size, ssp_escape_err_t *err, int depth)
{
	size_t i = 0, k;

	while (i < n) {
		const char *pct = memchr(in + i, '%', n - i);
		size_t run = pct ? (size_t)(pct - (in + i)) : n - i;
		const char *close;
		size_t namelen;

		if (lit(out, in + i, run, max, size, err, base + i) != 0)
			return -1;
		i += run;
		if (i >= n)
			break;
		/* in[i] == '%' */
		if (i + 1 < n && in[i + 1] == '%') {
			if (lit(out, "%", 1, max, size, err, base + i) != 0)
				return -1;
			i += 2;
			continue;
		}
		if (n - i > 8 && memcmp(in + i, "%repeat[", 8) == 0) {
			i += 8;
			if (decode_repeat(in, n, &i, base, out, max, size, err, depth) != 0)
				return -1;
			continue;
		}
		close = memchr(in + i + 1, '%', n - i - 1);
		if (close == NULL)
			return fail(err, base + i, "'%' starts no macro: write %% for a literal '%'");
		namelen = (size_t)(close - (in + i + 1));
		for (k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
			if (strlen(named[k].name) == namelen &&
			    memcmp(named[k].name, in + i + 1, namelen) == 0)
				break;
		}
		if (k < sizeof(named) / sizeof(named[0])) {
			if (lit(out, named[k].bytes, named[k].len, max, size, err, base + i) != 0)
				return -1;
		} else if (namelen >= 3 && namelen % 2 == 1 && in[i + 1] == 'x') {
			size_t h;
			for (h = 2; h < namelen + 1; h += 2) {
				int hi = hexval(in[i + h]), lo = hexval(in[i + h + 1]);
				char c;
				if (hi < 0 || lo < 0)
					return fail(err, base + i, "%xHH%: bad hex digit");
				c = (char)(hi * 16 + lo);
				if (lit(out, &c, 1, max, size, err, base + i) != 0)
					return -1;
			}
		} else {
			return fail(err, base + i, "unknown macro (known: %CR% %LF% %CRLF% %NUL% %SP% %TAB% %DEL% %xHH% %repeat[N x TEXT]% %%)");
		}
		i += namelen + 2;
	}
	return 0;
}

int ssp_escape_compile(const char *in, size_t n, uint64_t max, ssp_tpl_t *out,
		       ssp_escape_err_t *err)
{
	uint64_t size = 0;

	ssp_tpl_free(out);
	if (decode(in, n, 0, out, max, &size, err, 0) != 0) {
		ssp_tpl_free(out);
		return -1;
	}
	out->size = size;
	return 0;
}

int ssp_escape_decode(const char *in, size_t n, ssp_buf_t *out,
		      ssp_escape_err_t *err)
{
	ssp_tpl_t t;
	ssp_tpl_cur_t c;
	char tmp[4096];
	size_t k;
	int rc = 0;

	ssp_tpl_init(&t);
	if (ssp_escape_compile(in, n, out->max - out->len, &t, err) != 0)
		return -1;
	ssp_tpl_cur_init(&c, &t);
	while (rc == 0 && (k = ssp_tpl_read(&c, tmp, sizeof(tmp))) > 0) {
		if (ssp_buf_append(out, tmp, k) != 0)
			rc = fail(err, 0, "out of memory");
	}
	ssp_tpl_free(&t);
	return rc;
}

int ssp_escape_display(ssp_buf_t *out, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run;

	for (i = 0; i < n; i += run) {
		unsigned char c = (unsigned char)p[i];
		char e[4];

		/* copy a run of printable bytes at once */
		for (run = 0; i + run < n; run++) {
			unsigned char d = (unsigned char)p[i + run];
			if (d < 32 || d > 126 || d == '\\')
				break;
		}
		if (run > 0) {
			if (ssp_buf_append(out, p + i, run) != 0)
				return -1;
			continue;
		}
		run = 1;
		e[0] = '\\';
		switch (c) {
		case '\r': e[1] = 'r'; break;
		case '\n': e[1] = 'n'; break;
		case '\t': e[1] = 't'; break;
		case '\\': e[1] = '\\'; break;
		default:
			e[1] = 'x';
			e[2] = hex[c >> 4];
			e[3] = hex[c & 15];
			if (ssp_buf_append(out, e, 4) != 0)
				return -1;
			continue;
		}
		if (ssp_buf_append(out, e, 2) != 0)
			return -1;
	}
	return 0;
}
