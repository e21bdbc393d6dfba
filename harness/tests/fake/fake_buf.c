/*
 * fake_buf.c - a growable byte buffer with a hard cap (NUL is data).
 */
#include "fake.h"

#include <stdlib.h>
#include <string.h>

void fake_buf_init(fake_buf_t *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

int fake_buf_append(fake_buf_t *b, const void *p, size_t n)
{
	if (n > b->max - b->len)
		return -1;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *d;

		while (cap < b->len + n)
			cap *= 2;
		if (cap > b->max)
			cap = b->max;
		d = realloc(b->data, cap);
		if (d == NULL)
			return -1;
		b->data = d;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

void fake_buf_free(fake_buf_t *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
