/*
 * payload.c - building what a step sends, and reading its lines back.
 */
#include "payload.h"

#include "limits.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int ssp_payload_dot_stuff(const ssp_buf_t *in, ssp_buf_t *out)
{
	size_t i, start = 0;

	for (i = 0; i < in->len; i++) {
		int bol = i == 0 || (i >= 2 && in->data[i - 2] == '\r' && in->data[i - 1] == '\n');
		if (bol && in->data[i] == '.') {
			if (ssp_buf_append(out, in->data + start, i - start) || ssp_buf_append(out, ".", 1))
				return -1;
			start = i;
		}
	}
	return ssp_buf_append(out, in->data + start, in->len - start);
}

/* build_data - message content: expanded, stuffed if asked, ended by CRLF.CRLF. */
static int build_data(const ssp_vars_t *vars, const ssp_step_t *st, ssp_buf_t *out,
		      ssp_vars_err_t *err)
{
	ssp_buf_t body;
	int rc;

	ssp_buf_init(&body, SSP_SEND_BYTES_MAX);
	rc = ssp_vars_expand(vars, st->payload, st->payload_len, &body, err);
	if (rc == 0) {
		if (st->dot_stuff)
			rc = ssp_payload_dot_stuff(&body, out);
		else
			rc = ssp_buf_append(out, body.data, body.len);
		if (rc == 0 && out->len > 0 &&
		    (out->len < 2 || memcmp(out->data + out->len - 2, "\r\n", 2) != 0))
			rc = ssp_buf_append(out, "\r\n", 2);
		if (rc == 0)
			rc = ssp_buf_append(out, ".\r\n", 3);
		if (rc != 0)
			snprintf(err->text, sizeof(err->text), "message content exceeds %d bytes",
				 SSP_SEND_BYTES_MAX);
	}
	ssp_buf_free(&body);
	return rc;
}

int ssp_payload_build(const ssp_vars_t *vars, const ssp_step_t *st, ssp_buf_t *out,
		      ssp_vars_err_t *err)
{
	out->len = 0;
	if (st->send == SSP_SEND_DATA)
		return build_data(vars, st, out, err);
	return ssp_vars_expand(vars, st->payload, st->payload_len, out, err);
}

int ssp_payload_sends_quit(const char *p, size_t n)
{
	size_t at = 0;

	while (at + 4 <= n) {
		const char *lf = memchr(p + at, '\n', n - at);
		if (strncasecmp(p + at, "QUIT", 4) == 0 &&
		    (at + 4 == n || p[at + 4] == '\r' || p[at + 4] == '\n' || p[at + 4] == ' '))
			return 1;
		if (lf == NULL)
			break;
		at = (size_t)(lf - p) + 1;
	}
	return 0;
}

int ssp_payload_line(const char *p, size_t len, size_t idx, int strict, const char **line,
		     size_t *n)
{
	const char *end;
	size_t at = 0;

	*line = NULL;
	*n = 0;
	if (p == NULL)
		return -1;
	while (idx > 0 && at < len) {
		const char *lf = memchr(p + at, '\n', len - at);
		if (lf == NULL || (size_t)(lf - p) + 1 >= len) {
			if (strict)
				return -1;
			break; /* past the last command: the last line */
		}
		at = (size_t)(lf - p) + 1;
		idx--;
	}
	if (at >= len)
		return -1;
	end = memchr(p + at, '\n', len - at);
	*n = end ? (size_t)(end - (p + at)) : len - at;
	if (*n > 0 && p[at + *n - 1] == '\r')
		(*n)--;
	*line = p + at;
	return 0;
}
