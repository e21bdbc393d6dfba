/*
 * inbox.h - the bytes a session received and has not judged yet, bounded,
 * and recorded in its transcript one complete line at a time.  No I/O.
 */
#ifndef SSP_INBOX_H
#define SSP_INBOX_H

#include "buf.h"
#include "transcript.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ssp_inbox_s {
	ssp_buf_t buf;           /* received, not yet consumed */
	size_t recorded;         /* bytes of buf already in the transcript */
	ssp_transcript_t *tr;    /* borrowed */
} ssp_inbox_t;

/* ssp_inbox_init - empty, capped at SSP_REPLY_BYTES_HARD_MAX plus one read. */
void ssp_inbox_init(ssp_inbox_t *ib, ssp_transcript_t *tr);
/* ssp_inbox_free - release the bytes. */
void ssp_inbox_free(ssp_inbox_t *ib);
/* ssp_inbox_add - keep p[0..n) and record its complete lines at ms: 0, or
 * -1 when the cap is reached, -2 when memory ran out (everything pending
 * is recorded then). */
int ssp_inbox_add(ssp_inbox_t *ib, uint32_t ms, const char *p, size_t n);
/* ssp_inbox_flush - record the rest, an incomplete line included. */
void ssp_inbox_flush(ssp_inbox_t *ib, uint32_t ms);
/* ssp_inbox_consume - drop the first n bytes (judged). */
void ssp_inbox_consume(ssp_inbox_t *ib, size_t n);
/* ssp_inbox_has_line - 1 if a complete line is pending, else 0. */
int ssp_inbox_has_line(const ssp_inbox_t *ib);
/* ssp_inbox_describe - the first pending line (or the partial bytes), escaped. */
void ssp_inbox_describe(const ssp_inbox_t *ib, char *out, size_t size);

#endif
