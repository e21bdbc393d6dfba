/*
 * jsonpos.c - locate a value by path in valid JSON text.
 *
 * A minimal skipper over RFC 8259 syntax; the text has passed jansson, so it
 * only has to find boundaries, never to validate or decode.
 */
#include "jsonpos.h"

#include "limits.h"

#include <string.h>

typedef struct {
	const char *p;
	size_t n, i;
	int depth;
} scan_t;

static void ws(scan_t *s)
{
	while (s->i < s->n && (s->p[s->i] == ' ' || s->p[s->i] == '\t' ||
			       s->p[s->i] == '\n' || s->p[s->i] == '\r'))
		s->i++;
}

/* skip_string - s->p[s->i] is '"'; moves past the closing quote. */
static int skip_string(scan_t *s)
{
	for (s->i++; s->i < s->n; s->i++) {
		if (s->p[s->i] == '\\')
			s->i++;
		else if (s->p[s->i] == '"') {
			s->i++;
			return 0;
		}
	}
	return -1;
}

static int skip_value(scan_t *s)
{
	char c;

	ws(s);
	if (s->i >= s->n || ++s->depth > SSP_JSON_DEPTH_MAX)
		return -1;
	c = s->p[s->i];
	if (c == '"') {
		s->depth--;
		return skip_string(s);
	}
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		s->i++;
		ws(s);
		if (s->i < s->n && s->p[s->i] == close) {
			s->i++;
			s->depth--;
			return 0;
		}
		for (;;) {
			if (c == '{') {
				ws(s);
				if (s->i >= s->n || s->p[s->i] != '"' || skip_string(s))
					return -1;
				ws(s);
				if (s->i >= s->n || s->p[s->i] != ':')
					return -1;
				s->i++;
			}
			if (skip_value(s))
				return -1;
			ws(s);
			if (s->i >= s->n)
				return -1;
			if (s->p[s->i] == ',') {
				s->i++;
				continue;
			}
			if (s->p[s->i] == close) {
				s->i++;
				s->depth--;
				return 0;
			}
			return -1;
		}
	}
	/* number, true, false, null */
	while (s->i < s->n && strchr(",}] \t\r\n", s->p[s->i]) == NULL)
		s->i++;
	s->depth--;
	return 0;
}

/* hex4 - the value of the 4 hex digits at p[0..4) (n bytes left), or -1. */
static long hex4(const char *p, size_t n)
{
	long v = 0;
	size_t i;

	if (n < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* utf8 - code point cp as UTF-8 into out (4 bytes): its length. */
static size_t utf8(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* key_equals - the string at s->p[s->i] (a key) equals k once its escapes
 * (\n, \u001b, surrogate pairs...) are decoded, as jansson decoded it. */
static int key_equals(const scan_t *s, const char *k)
{
	size_t i = s->i + 1, kl = strlen(k), ko = 0;

	while (i < s->n && s->p[i] != '"') {
		char dec[4];
		size_t dl;

		if (s->p[i] != '\\') {
			dec[0] = s->p[i++];
			dl = 1;
		} else if (i + 1 < s->n && s->p[i + 1] != 'u') {
			static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
			const char *e = memchr(from, s->p[i + 1], sizeof(from) - 1);

			if (e == NULL)
				return 0;
			dec[0] = to[e - from];
			dl = 1;
			i += 2;
		} else {
			long cp = hex4(s->p + i + 2, s->n - i - 2), lo;

			if (cp < 0)
				return 0;
			i += 6;
			if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s->n && s->p[i] == '\\' && s->p[i + 1] == 'u' &&
			    (lo = hex4(s->p + i + 2, s->n - i - 2)) >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			}
			dl = utf8((unsigned long)cp, dec);
		}
		if (ko + dl > kl || memcmp(k + ko, dec, dl) != 0)
			return 0;
		ko += dl;
	}
	return i < s->n && ko == kl;
}

/* descend - move to the value of one path step; sets *key_at to the key. */
static int descend(scan_t *s, const ssp_jpath_t *step, size_t *key_at)
{
	size_t idx = 0;

	ws(s);
	if (s->i >= s->n)
		return -1;
	if (step->key != NULL) {
		if (s->p[s->i] != '{')
			return -1;
		s->i++;
		for (;;) {
			int match;
			ws(s);
			if (s->i >= s->n || s->p[s->i] != '"')
				return -1;
			match = key_equals(s, step->key);
			*key_at = s->i;
			if (skip_string(s))
				return -1;
			ws(s);
			if (s->i >= s->n || s->p[s->i] != ':')
				return -1;
			s->i++;
			if (match) {
				ws(s);
				return 0;
			}
			if (skip_value(s))
				return -1;
			ws(s);
			if (s->i >= s->n || s->p[s->i] != ',')
				return -1;
			s->i++;
		}
	}
	if (s->p[s->i] != '[')
		return -1;
	s->i++;
	for (;;) {
		ws(s);
		if (s->i >= s->n || s->p[s->i] == ']')
			return -1; /* past the last element */
		if (idx == step->index) {
			*key_at = s->i;
			return 0;
		}
		if (skip_value(s))
			return -1;
		ws(s);
		if (s->i >= s->n || s->p[s->i] != ',')
			return -1;
		s->i++;
		idx++;
	}
}

/* advance - move the line and column (l, c) from text offset *from to at. */
static void advance(const char *text, size_t *from, size_t at, int *l, int *c)
{
	size_t k;

	for (k = *from; k < at; k++) {
		if (text[k] == '\n') {
			(*l)++;
			*c = 1;
		} else if (((unsigned char)text[k] & 0xC0) != 0x80) {
			(*c)++; /* count characters, not UTF-8 continuation bytes */
		}
	}
	*from = at;
}

int ssp_jsonpos_elements(const char *text, size_t len, const ssp_jpath_t *path, int depth,
			 size_t n, int *line, int *column)
{
	scan_t s = { text, len, 0, 0 };
	size_t key_at = 0, done = 0, i;
	int d, l = 1, c = 1;

	for (d = 0; d < depth; d++) {
		if (descend(&s, &path[d], &key_at))
			return -1;
	}
	ws(&s);
	if (s.i >= s.n || s.p[s.i] != '[')
		return -1;
	s.i++;
	for (i = 0; i < n; i++) {
		ws(&s);
		if (s.i >= s.n || s.p[s.i] == ']')
			return -1;
		advance(text, &done, s.i, &l, &c);
		line[i] = l;
		column[i] = c;
		if (skip_value(&s))
			return -1;
		ws(&s);
		if (i + 1 < n) {
			if (s.i >= s.n || s.p[s.i] != ',')
				return -1;
			s.i++;
		}
	}
	return 0;
}

int ssp_jsonpos_find(const char *text, size_t len, const ssp_jpath_t *path,
		     int depth, int at_key, int *line, int *column)
{
	scan_t s = { text, len, 0, 0 };
	size_t key_at = 0, at, k;
	int d, l = 1, c = 1;

	for (d = 0; d < depth; d++) {
		if (descend(&s, &path[d], &key_at))
			return -1;
	}
	ws(&s);
	at = (at_key && depth > 0) ? key_at : s.i;
	k = 0;
	advance(text, &k, at < len ? at : len, &l, &c);
	*line = l;
	*column = c;
	return 0;
}
