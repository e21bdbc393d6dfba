/*
 * findings.h - what a session finds beside its vector's expectations, and
 * how that changes the verdict (docs/vectors.md, "Judging"):
 *
 *   a reply no command asked for       -> FAIL, even when every expectation was met
 *   a reply deviation (reply.h: line ends, code range, text, line length),
 *   a code §4.3.2 does not list for the command
 *                                      -> the vector's own verdict for its level, in
 *                                         the vectors that judge it ("judges"); a
 *                                         note in the transcript elsewhere
 *   a code from a "warn" set           -> WARN instead of PASS
 *
 * Only the first sentence of each kind is kept.  No I/O besides notes in
 * the session's transcript.
 */
#ifndef SSP_FINDINGS_H
#define SSP_FINDINGS_H

#include "limits.h"
#include "reply.h"
#include "replytable.h"
#include "result.h"
#include "transcript.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ssp_findings_s {
	char dev[SSP_REPLY_DEV_COUNT][SSP_REASON_MAX]; /* first finding of each reply deviation */
	char table[SSP_REASON_MAX];  /* first code §4.3.2 does not list; "" = none */
	char unasked[SSP_REASON_MAX]; /* first reply no command asked for; "" = none */
	char warned[SSP_REASON_MAX]; /* first "warn" code met; "" = none */
	int greeting_refused;        /* 554 or 521 greeting: §3.1 allows 503 to all */
} ssp_findings_t;

/* ssp_findings_grammar - note each grammar deviation of reply r (bytes p)
 * in tr at ms, keeping the first sentence of each severity. */
void ssp_findings_grammar(ssp_findings_t *f, ssp_transcript_t *tr, uint32_t ms,
			  const char *label, const ssp_reply_t *r, const char *p);

/* ssp_findings_table - reply code (described as got) answers what/line: note
 * and keep a warning when RFC 5321 §4.3.2 does not list it. */
void ssp_findings_table(ssp_findings_t *f, ssp_transcript_t *tr, uint32_t ms, const char *label,
			ssp_answers_t what, const char *line, size_t n, int code, const char *got);

/* ssp_findings_unasked - keep the first "reply no command asked for" (got) before label. */
void ssp_findings_unasked(ssp_findings_t *f, const char *label, const char *got);

/* ssp_findings_warn_code - keep the first code met only through a "warn" set. */
void ssp_findings_warn_code(ssp_findings_t *f, const char *label, const char *got,
			    const char *expected);

/* ssp_findings_apply - the verdict v made worse by the findings vector vec
 * judges (a reply no command asked for always counts, as a FAIL); reason
 * (size bytes) is replaced by the deciding finding. */
ssp_verdict_t ssp_findings_apply(const ssp_findings_t *f, const ssp_vector_t *vec, ssp_verdict_t v,
				 char *reason, size_t size);

#endif
