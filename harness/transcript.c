/*
 * transcript.c - bounded, binary-safe session transcripts.
 */
#include "transcript.h"

#include "limits.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ssp_transcript_init(ssp_transcript_t *t)
{
	ssp_buf_init(&t->entries, SSP_TRANSCRIPT_ENTRIES_MAX * sizeof(ssp_tr_entry_t));
	/* room above the byte cap for the final "dropped" note */
	ssp_buf_init(&t->bytes, SSP_TRANSCRIPT_BYTES_MAX + 256);
	t->dropped_bytes = 0;
	t->dropped_entries = 0;
}

void ssp_transcript_free(ssp_transcript_t *t)
{
	ssp_buf_free(&t->entries);
	ssp_buf_free(&t->bytes);
}

static void add(ssp_transcript_t *t, ssp_tr_dir_t dir, uint32_t ms, const char *p,
		size_t n, int partial, size_t byte_cap)
{
	ssp_tr_entry_t e;
	size_t keep = n;

	if (t->bytes.len + keep > byte_cap)
		keep = byte_cap > t->bytes.len ? byte_cap - t->bytes.len : 0;
	if ((keep == 0 && n > 0) ||
	    ssp_buf_reserve(&t->entries, sizeof(e)) != 0 ||
	    ssp_buf_append(&t->bytes, p, keep) != 0) {
		t->dropped_bytes += n;
		t->dropped_entries++;
		return;
	}
	t->dropped_bytes += n - keep;
	e.ms = ms;
	e.off = (uint32_t)(t->bytes.len - keep);
	e.len = (uint32_t)keep;
	e.dir = (char)dir;
	e.partial = (uint8_t)(partial || keep < n);
	ssp_buf_append(&t->entries, &e, sizeof(e));
}

/* cap_for - client bytes stop short of the cap, so that what the server
 * says after a large send (its verdict-deciding reply) is still recorded. */
static size_t cap_for(ssp_tr_dir_t dir)
{
	return dir == SSP_TR_CLIENT ? SSP_TRANSCRIPT_CLIENT_BYTES_MAX : SSP_TRANSCRIPT_BYTES_MAX;
}

void ssp_transcript_add(ssp_transcript_t *t, ssp_tr_dir_t dir, uint32_t ms,
			const char *p, size_t n, int partial)
{
	add(t, dir, ms, p, n, partial, cap_for(dir));
}

void ssp_transcript_lines(ssp_transcript_t *t, ssp_tr_dir_t dir, uint32_t ms,
			  const char *p, size_t n)
{
	while (n > 0) {
		const char *lf = memchr(p, '\n', n);
		size_t len = lf ? (size_t)(lf - p) + 1 : n;

		add(t, dir, ms, p, len, 0, cap_for(dir));
		p += len;
		n -= len;
	}
}

void ssp_transcript_note(ssp_transcript_t *t, uint32_t ms, const char *fmt, ...)
{
	char text[SSP_REASON_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	add(t, SSP_TR_NOTE, ms, text, strlen(text), 0, SSP_TRANSCRIPT_BYTES_MAX);
}

void ssp_transcript_finish(ssp_transcript_t *t, uint32_t ms)
{
	char text[128];

	if (t->dropped_bytes == 0 && t->dropped_entries == 0)
		return;
	snprintf(text, sizeof(text), "transcript cap reached: %llu bytes in %lu entries not recorded",
		 (unsigned long long)t->dropped_bytes, (unsigned long)t->dropped_entries);
	t->entries.max += sizeof(ssp_tr_entry_t); /* the one entry above the cap */
	add(t, SSP_TR_NOTE, ms, text, strlen(text), 0, t->bytes.max);
}

size_t ssp_transcript_count(const ssp_transcript_t *t)
{
	return t->entries.len / sizeof(ssp_tr_entry_t);
}

const ssp_tr_entry_t *ssp_transcript_entry(const ssp_transcript_t *t, size_t i,
					   const char **p)
{
	const ssp_tr_entry_t *e = (const ssp_tr_entry_t *)t->entries.data + i;

	*p = t->bytes.data + e->off;
	return e;
}
