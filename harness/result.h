/*
 * result.h - the result model: one verdict per vector, with the reason, the
 * timing and the transcript.  The console and the JSON writer read this;
 * the other report writers read the result document (reports/result.h).
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
 *
 * X(ENUM, name, fails, finding): fails is SSP_FAILS_NEVER, _ALWAYS, or
 * _STRICT (only with --strict); finding is 1 when the server broke a rule.
 * Names, parsing and what fails a run derive from this one table.
 */
#define SSP_FAILS_NEVER 0
#define SSP_FAILS_ALWAYS 1
#define SSP_FAILS_STRICT 2
#define SSP_VERDICT_MAP(X)                      \
	X(PASS, "pass", SSP_FAILS_NEVER, 0)     \
	X(FAIL, "fail", SSP_FAILS_ALWAYS, 1)    \
	X(WARN, "warn", SSP_FAILS_STRICT, 1)    \
	X(INFO, "info", SSP_FAILS_NEVER, 1)     \
	X(SKIP, "skip", SSP_FAILS_NEVER, 0)     \
	X(ERROR, "error", SSP_FAILS_ALWAYS, 0)

typedef enum {
#define SSP_VERDICT_ENUM(e, name, fails, finding) SSP_##e,
	SSP_VERDICT_MAP(SSP_VERDICT_ENUM)
#undef SSP_VERDICT_ENUM
	SSP_VERDICT_COUNT
} ssp_verdict_t;

typedef struct ssp_result_s {
	const ssp_vector_t *vector;   /* borrowed from the catalogue */
	ssp_verdict_t verdict;
	ssp_category_t category;      /* the vector's, unless the session set another */
	char reason[SSP_REASON_MAX];  /* one sentence: expected what, got what */
	char expected[256];           /* what the deciding step expected ("" if none) */
	char observed[256];           /* what it got, escaped ("" if none) */
	unsigned step;                /* 1-based step that decided; 0: none */
	int connected;                /* the TCP connection was established */
	uint32_t duration_ms;
	ssp_transcript_t transcript;
	unsigned rounds[SSP_VERDICT_COUNT]; /* run --repeat: rounds that gave each verdict; all 0 without */
	uint64_t spool_off;            /* the transcript in the spool (spool.h) ... */
	uint32_t spool_len;            /* ... of this many bytes; 0: the transcript is in memory */
} ssp_result_t;

/* ssp_verdict_name - "pass", "fail", "warn", "info", "skip", "error"; "?" out of range. */
const char *ssp_verdict_name(ssp_verdict_t v);
/* ssp_verdict_parse - the verdict named name (exact), or -1. */
int ssp_verdict_parse(const char *name);
/* ssp_verdict_fails - 1 if v fails a run (strict: warnings too), else 0. */
int ssp_verdict_fails(ssp_verdict_t v, int strict);
/* ssp_verdict_is_finding - 1 if v says the server broke a rule (fail, warn, info). */
int ssp_verdict_is_finding(ssp_verdict_t v);
/* ssp_result_init - an empty result for vector v (verdict ERROR, "not run", v's category). */
void ssp_result_init(ssp_result_t *r, const ssp_vector_t *v);
/* ssp_result_free - release the transcript. */
void ssp_result_free(ssp_result_t *r);
/* ssp_verdict_for_level - what a broken rule of this level is: fail, warn or info (SSP_LEVEL_MAP). */
ssp_verdict_t ssp_verdict_for_level(ssp_level_t l);

#endif
