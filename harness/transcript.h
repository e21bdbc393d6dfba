/*
 * transcript.h - every byte a session sent and received, with the time in
 * milliseconds since the session started, plus the harness's own notes
 * (connected, closed by the server, timed out).
 *
 * Bytes are kept raw (binary-safe); writers escape them for display.  The
 * transcript is bounded: past its caps it keeps counting what it dropped
 * and says so in a final note, so nothing is lost silently.
 */
#ifndef SSP_TRANSCRIPT_H
#define SSP_TRANSCRIPT_H

#include "buf.h"

#include <stddef.h>
#include <stdint.h>

typedef enum {
	SSP_TR_CLIENT = 'C', /* bytes sent by smtpspec */
	SSP_TR_SERVER = 'S', /* bytes received from the target */
	SSP_TR_NOTE = '#',   /* the harness's own remark */
} ssp_tr_dir_t;

typedef struct ssp_tr_entry_s {
	uint32_t ms;        /* since the session started */
	uint32_t off, len;  /* bytes in ssp_transcript_t.bytes */
	char dir;           /* ssp_tr_dir_t */
	uint8_t partial;    /* server bytes without their line end */
} ssp_tr_entry_t;

typedef struct ssp_transcript_s {
	ssp_buf_t entries;  /* array of ssp_tr_entry_t */
	ssp_buf_t bytes;
	uint64_t dropped_bytes;
	uint32_t dropped_entries;
} ssp_transcript_t;

/* ssp_transcript_init - empty transcript with the caps of limits.h. */
void ssp_transcript_init(ssp_transcript_t *t);
/* ssp_transcript_free - release it. */
void ssp_transcript_free(ssp_transcript_t *t);
/* ssp_transcript_add - record p[0..n) in direction dir at ms (dropped past the caps). */
void ssp_transcript_add(ssp_transcript_t *t, ssp_tr_dir_t dir, uint32_t ms,
			const char *p, size_t n, int partial);
/* ssp_transcript_lines - record p[0..n) as one entry per line (split after LF). */
void ssp_transcript_lines(ssp_transcript_t *t, ssp_tr_dir_t dir, uint32_t ms,
			  const char *p, size_t n);
/* ssp_transcript_note - record a printf-formatted note. */
void ssp_transcript_note(ssp_transcript_t *t, uint32_t ms, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* ssp_transcript_finish - append a note for whatever the caps dropped. */
void ssp_transcript_finish(ssp_transcript_t *t, uint32_t ms);
/* ssp_transcript_count - number of entries. */
size_t ssp_transcript_count(const ssp_transcript_t *t);
/* ssp_transcript_entry - entry i; its bytes at *p. */
const ssp_tr_entry_t *ssp_transcript_entry(const ssp_transcript_t *t, size_t i,
					   const char **p);

#endif
