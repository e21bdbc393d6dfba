/*
 * buf.c - growable byte buffer with a hard cap.
 */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ssp_buf_init(ssp_buf_t *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void ssp_buf_free(ssp_buf_t *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

int ssp_buf_reserve(ssp_buf_t *b, size_t n)
{
	size_t want, ncap;
	char *p;

	if (n > b->max - b->len)
		return -1;
	want = b->len + n + 1; /* room for a terminating NUL */
	if (want <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < want)
		ncap = ncap > ((size_t)-1) / 2 ? want : ncap * 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	p = realloc(b->data, ncap);
	if (p == NULL)
		return -1;
	b->data = p;
	b->cap = ncap;
	return 0;
}

int ssp_buf_append(ssp_buf_t *b, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (ssp_buf_reserve(b, n) != 0)
		return -1;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

int ssp_buf_append_str(ssp_buf_t *b, const char *s)
{
	return ssp_buf_append(b, s, strlen(s));
}

int ssp_buf_appendf(ssp_buf_t *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || ssp_buf_reserve(b, (size_t)n) != 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void ssp_buf_consume(ssp_buf_t *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

char *ssp_buf_cstr(ssp_buf_t *b)
{
	/* reserve() always keeps one byte past len for this NUL */
	if (ssp_buf_reserve(b, 0) != 0)
		return NULL;
	b->data[b->len] = '\0';
	return b->data;
}

char *ssp_buf_steal(ssp_buf_t *b, size_t *len)
{
	char *p = ssp_buf_cstr(b);

	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

void ssp_str_appendf(char *out, size_t size, const char *fmt, ...)
{
	size_t used = strlen(out);
	va_list ap;

	if (used + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(out + used, size - used, fmt, ap);
	va_end(ap);
}
