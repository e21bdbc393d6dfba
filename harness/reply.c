/*
 * reply.c - incremental SMTP reply parser (RFC 5321 §4.2).
 *
 * A line ends at LF.  Bytes of a complete line are checked once; the resume
 * point (r->scanned) is the start of the first line not yet complete.
 */
#include "reply.h"

#include "limits.h"

#include <string.h>

void ssp_reply_reset(ssp_reply_t *r)
{
	memset(r, 0, sizeof(*r));
}

static void deviate(ssp_reply_t *r, unsigned flag)
{
	if (r->dev == 0)
		r->dev_line = r->nlines;
	r->dev |= flag;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* check_line - check one complete line p[0..n) (LF included); 1 if final. */
static int check_line(ssp_reply_t *r, const char *p, size_t n)
{
	size_t end = n - 1; /* index of LF */
	size_t i;
	int code;

	r->nlines++;
	if (end > 0 && p[end - 1] == '\r')
		end--;
	else
		deviate(r, SSP_REPLY_DEV_BARE_LF);
	if (n > SSP_RFC_REPLY_LINE_MAX)
		deviate(r, SSP_REPLY_DEV_LONG_LINE);

	if (end < 3 || !is_digit(p[0]) || !is_digit(p[1]) || !is_digit(p[2])) {
		r->error = SSP_REPLY_ERR_NO_CODE;
		return -1;
	}
	code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	if (r->nlines == 1) {
		r->code = code;
		if (p[0] < '2' || p[0] > '5' || p[1] > '5')
			deviate(r, SSP_REPLY_DEV_CODE_RANGE);
	} else if (code != r->code) {
		deviate(r, SSP_REPLY_DEV_CODE_MISMATCH);
	}

	for (i = 3; i < end; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\r')
			deviate(r, SSP_REPLY_DEV_BARE_CR);
		else if (c >= 0x80)
			deviate(r, SSP_REPLY_DEV_8BIT);
		else if ((c < 32 && c != '\t') || c == 127)
			deviate(r, SSP_REPLY_DEV_CONTROL);
	}

	if (end == 3)
		return 1; /* "250" CRLF: a final line with no text */
	if (p[3] == '-')
		return 0;
	if (p[3] != ' ')
		deviate(r, SSP_REPLY_DEV_SEPARATOR);
	else if (end == 4)
		deviate(r, SSP_REPLY_DEV_EMPTY_TEXT); /* textstring is 1*(...) */
	return 1;
}

ssize_t ssp_reply_parse(ssp_reply_t *r, const char *buf, size_t len)
{
	while (r->scanned < len) {
		const char *line = buf + r->scanned;
		size_t avail = len - r->scanned;
		const char *lf = memchr(line, '\n', avail);
		size_t n;
		int final;

		if (lf == NULL) {
			if (avail >= SSP_REPLY_LINE_HARD_MAX) {
				r->error = SSP_REPLY_ERR_LINE_TOO_LONG;
				return SSP_REPLY_MALFORMED;
			}
			if (len >= SSP_REPLY_BYTES_HARD_MAX) {
				r->error = SSP_REPLY_ERR_TOO_BIG;
				return SSP_REPLY_MALFORMED;
			}
			return SSP_REPLY_PARTIAL;
		}
		n = (size_t)(lf - line) + 1;
		if (n > SSP_REPLY_LINE_HARD_MAX) {
			r->error = SSP_REPLY_ERR_LINE_TOO_LONG;
			return SSP_REPLY_MALFORMED;
		}
		final = check_line(r, line, n);
		if (final < 0)
			return SSP_REPLY_MALFORMED;
		r->scanned += n;
		if (r->scanned > SSP_REPLY_BYTES_HARD_MAX) {
			r->error = SSP_REPLY_ERR_TOO_BIG;
			return SSP_REPLY_MALFORMED;
		}
		if (final) {
			r->len = r->scanned;
			return (ssize_t)r->len;
		}
		if (r->nlines >= SSP_REPLY_LINES_HARD_MAX) {
			r->error = SSP_REPLY_ERR_TOO_MANY_LINES;
			return SSP_REPLY_MALFORMED;
		}
	}
	return SSP_REPLY_PARTIAL;
}

int ssp_reply_next_line(const char *buf, size_t len, size_t *pos,
			const char **text, size_t *textlen)
{
	const char *line, *lf;
	size_t avail, end;

	if (*pos >= len)
		return 0;
	line = buf + *pos;
	avail = len - *pos;
	lf = memchr(line, '\n', avail);
	end = lf ? (size_t)(lf - line) : avail;
	*pos += lf ? end + 1 : end;
	if (end > 0 && line[end - 1] == '\r')
		end--;
	if (end <= 4) {
		*text = line + end;
		*textlen = 0;
	} else {
		*text = line + 4;
		*textlen = end - 4;
	}
	return 1;
}

/* number - parse 1 to max digits at p[*i..n); the value or -1. */
static int number(const char *p, size_t n, size_t *i, int max)
{
	int v = 0, d = 0;

	while (*i < n && is_digit(p[*i]) && d < max) {
		v = v * 10 + (p[*i] - '0');
		(*i)++;
		d++;
	}
	if (d == 0 || (*i < n && is_digit(p[*i])))
		return -1;
	return v;
}

size_t ssp_reply_enhanced(const char *text, size_t n, int *cls, int *subject,
			  int *detail)
{
	size_t i = 0;
	int c, s, d;

	/* RFC 3463 §2: class "." subject "." detail; class 2, 4 or 5,
	 * subject and detail 1 to 3 digits. */
	if ((c = number(text, n, &i, 1)) < 0 || i >= n || text[i++] != '.')
		return 0;
	if ((s = number(text, n, &i, 3)) < 0 || i >= n || text[i++] != '.')
		return 0;
	if ((d = number(text, n, &i, 3)) < 0)
		return 0;
	if (i < n && text[i] != ' ')
		return 0;
	if (c != 2 && c != 4 && c != 5)
		return 0;
	*cls = c;
	*subject = s;
	*detail = d;
	return i;
}

const char *ssp_reply_dev_name(unsigned flag)
{
	switch (flag) {
#define X(name, bit, section, text) case SSP_REPLY_DEV_##name: return text;
	SSP_REPLY_DEV_MAP(X)
#undef X
	}
	return "unknown deviation";
}

const char *ssp_reply_dev_section(unsigned flag)
{
	switch (flag) {
#define X(name, bit, section, text) case SSP_REPLY_DEV_##name: return section;
	SSP_REPLY_DEV_MAP(X)
#undef X
	}
	return "§4.2";
}

const char *ssp_reply_error_name(ssp_reply_error_t e)
{
	switch (e) {
	case SSP_REPLY_OK: return "no error";
	case SSP_REPLY_ERR_NO_CODE: return "reply line does not start with a 3-digit code";
	case SSP_REPLY_ERR_LINE_TOO_LONG: return "reply line exceeds the hard cap of " SSP_XSTR(SSP_REPLY_LINE_HARD_MAX) " bytes";
	case SSP_REPLY_ERR_TOO_MANY_LINES: return "reply exceeds the hard cap of " SSP_XSTR(SSP_REPLY_LINES_HARD_MAX) " lines";
	case SSP_REPLY_ERR_TOO_BIG: return "reply exceeds the hard cap of " SSP_XSTR(SSP_REPLY_BYTES_HARD_MAX) " bytes";
	}
	return "unknown error";
}

int ssp_reply_has_keyword(const char *buf, size_t len, const char *keyword)
{
	size_t pos = 0, kl = strlen(keyword), i;
	const char *text;
	size_t tl;
	int line = 0;

	while (ssp_reply_next_line(buf, len, &pos, &text, &tl)) {
		if (line++ == 0 || tl < kl)
			continue;
		for (i = 0; i < kl; i++) {
			char a = text[i], b = keyword[i];
			if (a >= 'a' && a <= 'z')
				a = (char)(a - 'a' + 'A');
			if (b >= 'a' && b <= 'z')
				b = (char)(b - 'a' + 'A');
			if (a != b)
				break;
		}
		if (i == kl && (tl == kl || text[kl] == ' ' || text[kl] == '='))
			return 1;
	}
	return 0;
}
