/*
 * spool.h - the transcripts of finished results, kept out of memory: when a
 * vector's result is final its transcript is appended to an unlinked
 * temporary file (in $TMPDIR, else /tmp) and freed, and the result keeps
 * only where it is (spool_off, spool_len).  The report writers read the
 * transcripts back one at a time, so memory after a run is bounded by the
 * results' fixed part, not by the catalogue size x the transcript cap
 * (issue 14 §2).  The file vanishes with the process.
 */
#ifndef SSP_SPOOL_H
#define SSP_SPOOL_H

#include "diag.h"
#include "limits.h"
#include "result.h"
#include "transcript.h"

#include <stdint.h>

typedef struct ssp_spool_s {
	int fd;                      /* -1: not open */
	uint64_t size;               /* bytes written so far */
	uint64_t records;            /* transcripts written */
	char error[SSP_REASON_MAX];  /* the first write error, "" if none */
} ssp_spool_t;

/* ssp_spool_open - an empty spool in an unlinked temporary file: 0, or -1 with diag. */
int ssp_spool_open(ssp_spool_t *sp, ssp_diag_t *diag);

/*
 * ssp_spool_put - move r's transcript into the spool (r->spool_len set, the
 * transcript freed): 0, or -1 when the write failed (the transcript stays
 * in memory, sp->error says why; the caller reports it as an error of the
 * run).
 */
int ssp_spool_put(ssp_spool_t *sp, ssp_result_t *r);

/*
 * ssp_spool_transcript - r's transcript: in memory (sp may be NULL), or
 * read back from the spool into tmp (free it with ssp_transcript_free).
 * NULL with diag set when the spool cannot be read.
 */
const ssp_transcript_t *ssp_spool_transcript(const ssp_spool_t *sp, const ssp_result_t *r,
					      ssp_transcript_t *tmp, ssp_diag_t *diag);

/* ssp_spool_close - close the file (and with it, its contents). */
void ssp_spool_close(ssp_spool_t *sp);

#endif
