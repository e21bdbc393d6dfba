/*
 * result.h - the result model: one verdict per vector, with the reason, the
 * timing and the transcript.  Every report writer (console, JSON, and later
 * HTML and JUnit) reads only this.
 */
#ifndef SSP_RESULT_H
#define SSP_RESULT_H

#include "limits.h"
#include "transcript.h"
#include "vector.h"

#include <stdint.h>

/*
 * Three outcomes are kept apart: the server broke a rule (FAIL, or WARN for
 * a SHOULD, INFO for a MAY), a precondition is missing (SKIP), and the
 * harness could not judge (ERROR).
 */
typedef enum {
	SSP_PASS = 0,
	SSP_FAIL,
	SSP_WARN,
	SSP_INFO,
	SSP_SKIP,
	SSP_ERROR,
	SSP_VERDICT_COUNT
} ssp_verdict_t;

typedef struct ssp_result_s {
	const ssp_vector_t *vector;   /* borrowed from the catalogue */
	ssp_verdict_t verdict;
	char reason[SSP_REASON_MAX];  /* one sentence: expected what, got what */
	char expected[256];           /* what the deciding step expected ("" if none) */
	char observed[256];           /* what it got, escaped ("" if none) */
	unsigned step;                /* 1-based step that decided; 0: none */
	int connected;                /* the TCP connection was established */
	uint32_t duration_ms;
	ssp_transcript_t transcript;
} ssp_result_t;

/* ssp_verdict_name - "pass", "fail", "warn", "info", "skip", "error". */
const char *ssp_verdict_name(ssp_verdict_t v);
/* ssp_result_init - an empty result for vector v (verdict ERROR, "not run"). */
void ssp_result_init(ssp_result_t *r, const ssp_vector_t *v);
/* ssp_result_free - release the transcript. */
void ssp_result_free(ssp_result_t *r);
/* ssp_verdict_for_level - what a broken rule of this level is: fail, warn or info. */
ssp_verdict_t ssp_verdict_for_level(ssp_level_t l);

#endif
