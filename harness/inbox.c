/*
 * inbox.c - received bytes: bounded (limits.h), recorded line by line.
 */
#include "inbox.h"

#include "expect.h"
#include "limits.h"

#include <string.h>

void ssp_inbox_init(ssp_inbox_t *ib, ssp_transcript_t *tr)
{
	ssp_buf_init(&ib->buf, SSP_REPLY_BYTES_HARD_MAX + SSP_READ_CHUNK);
	ib->recorded = 0;
	ib->tr = tr;
}

void ssp_inbox_free(ssp_inbox_t *ib)
{
	ssp_buf_free(&ib->buf);
	ib->recorded = 0;
}

/* record - record the complete lines not yet recorded; with flush, the rest too. */
static void record(ssp_inbox_t *ib, uint32_t ms, int flush)
{
	while (ib->recorded < ib->buf.len) {
		const char *p = ib->buf.data + ib->recorded;
		size_t avail = ib->buf.len - ib->recorded;
		const char *lf = memchr(p, '\n', avail);
		size_t n;

		if (lf == NULL && !flush)
			break;
		n = lf ? (size_t)(lf - p) + 1 : avail;
		ssp_transcript_add(ib->tr, SSP_TR_SERVER, ms, p, n, lf == NULL);
		ib->recorded += n;
	}
}

int ssp_inbox_add(ssp_inbox_t *ib, uint32_t ms, const char *p, size_t n)
{
	if (ssp_buf_append(&ib->buf, p, n) != 0) {
		int full = n > ib->buf.max - ib->buf.len;

		record(ib, ms, 1);
		return full ? -1 : -2;
	}
	record(ib, ms, 0);
	return 0;
}

void ssp_inbox_flush(ssp_inbox_t *ib, uint32_t ms)
{
	record(ib, ms, 1);
}

void ssp_inbox_consume(ssp_inbox_t *ib, size_t n)
{
	ssp_buf_consume(&ib->buf, n);
	ib->recorded = ib->recorded > n ? ib->recorded - n : 0;
}

int ssp_inbox_has_line(const ssp_inbox_t *ib)
{
	return ib->buf.len > 0 && memchr(ib->buf.data, '\n', ib->buf.len) != NULL;
}

void ssp_inbox_describe(const ssp_inbox_t *ib, char *out, size_t size)
{
	if (ssp_inbox_has_line(ib))
		ssp_expect_describe_reply(ib->buf.data, ib->buf.len, 1, out, size);
	else
		ssp_expect_excerpt(out, size, ib->buf.data ? ib->buf.data : "", ib->buf.len, SSP_QUOTE_SERVER_BYTES);
}
