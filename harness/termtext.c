/*
 * termtext.c - untrusted text for the terminal (termtext.h).
 */
#include "termtext.h"

#include "limits.h"

#include <stdlib.h>
#include <string.h>

int ssp_term_harmful(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff;
}

/* utf8_len - length of the well-formed UTF-8 sequence at p[0..n) (shortest
 * form, no surrogates, at most U+10FFFF) with its code point in *cp, or 0. */
static size_t utf8_len(const unsigned char *p, size_t n, unsigned *cp)
{
	size_t len, i;
	unsigned c;

	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	len = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (n < len)
		return 0;
	c = p[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* next - how s[0..n) starts: *k bytes to copy as they are, or 0 (one byte to escape). */
static size_t next(const unsigned char *p, size_t n)
{
	unsigned cp;
	size_t k;

	if (p[0] >= 0x20 && p[0] < 0x7f)
		return 1;
	if (p[0] >= 0x80 && (k = utf8_len(p, n, &cp)) > 0 && !ssp_term_harmful(cp))
		return k;
	return 0;
}

void ssp_term_text(ssp_buf_t *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	char hex[5];

	while (i < n) {
		if ((k = next(p + i, n - i)) > 0) {
			ssp_buf_append(b, s + i, k);
			i += k;
		} else {
			snprintf(hex, sizeof(hex), "\\x%02x", p[i]);
			ssp_buf_append(b, hex, 4);
			i++;
		}
	}
}

void ssp_term_fputs(FILE *f, const char *s)
{
	if (s != NULL)
		ssp_term_fwrite(f, s, strlen(s));
}

void ssp_term_fwrite(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if ((k = next(p + i, n - i)) > 0) {
			fwrite(s + i, 1, k, f);
			i += k;
		} else {
			fprintf(f, "\\x%02x", p[i]);
			i++;
		}
	}
}

int ssp_term_utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	unsigned cp;

	while (i < n) {
		if (p[i] < 0x80)
			i++;
		else if ((k = utf8_len(p + i, n - i, &cp)) > 0)
			i += k;
		else
			return 0;
	}
	return 1;
}

/* put_unit - k bytes of p into out as they are, or (k == 0) p[0] as \xHH: the bytes written. */
static size_t put_unit(char *out, const unsigned char *p, size_t k)
{
	if (k > 0) {
		memcpy(out, p, k);
		return k;
	}
	snprintf(out, 5, "\\x%02x", p[0]);
	return 4;
}

char *ssp_term_utf8_dup(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, o = 0, k;
	unsigned cp;
	char *out;

	if (ssp_term_utf8_ok(s, n))
		return strdup(s);
	if ((out = malloc(4 * n + 1)) == NULL)
		return NULL;
	while (i < n) {
		if (p[i] < 0x80)
			k = 1;
		else
			k = utf8_len(p + i, n - i, &cp);
		o += put_unit(out + o, p + i, k);
		i += k ? k : 1;
	}
	out[o] = '\0';
	return out;
}

const char *ssp_term_str(const char *s)
{
	static char slots[SSP_TERM_SLOTS][SSP_TERM_SLOT_BYTES];
	static unsigned turn;
	const unsigned char *p = (const unsigned char *)s;
	char *out = slots[turn++ % SSP_TERM_SLOTS];
	size_t i = 0, o = 0, k, n = s ? strlen(s) : 0;

	while (i < n) {
		k = next(p + i, n - i);
		if (o + (k ? k : 4) + 4 > SSP_TERM_SLOT_BYTES) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		o += put_unit(out + o, p + i, k);
		i += k ? k : 1;
	}
	out[o] = '\0';
	return out;
}
