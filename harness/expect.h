/*
 * expect.h - the matchers of expectations: does one complete reply meet one
 * expectation (codes, classes, sets, warn and skip sets, enhanced status
 * codes of RFC 3463 / RFC 2034 §4, text patterns, line counts, captures)?
 *
 * No I/O, no session state, no allocation: the caller hands a parsed reply
 * (its bytes and its ssp_reply_t) and acts on the outcome.  The order of the
 * checks is the judging table of docs/vectors.md.
 */
#ifndef SSP_EXPECT_H
#define SSP_EXPECT_H

#include "limits.h"
#include "reply.h"
#include "vector.h"

#include <stddef.h>

/* What one reply means for one expectation. */
typedef enum {
	SSP_OUTCOME_MET = 0,        /* every matcher agrees: go on */
	SSP_OUTCOME_WARN_CODE,      /* code only in the "warn" set: remember, go on */
	SSP_OUTCOME_SKIP_CODE,      /* code in the "skip" set: a precondition is missing */
	SSP_OUTCOME_CLOSING_421,    /* 421 not asked for: the server is closing (§3.8) */
	SSP_OUTCOME_MISMATCH,       /* a code, text or line matcher disagrees */
	SSP_OUTCOME_CAPTURE_FAILED, /* met, but no line yields the capture */
	SSP_OUTCOME_PATTERN_LIMIT,  /* a pattern reached a match limit: no verdict (an error) */
} ssp_outcome_t;

/* Which pattern reached which limit, on how long a line (PATTERN_LIMIT). */
typedef struct ssp_pattern_limit_s {
	const char *src;  /* the pattern's source, borrowed from the vector */
	const char *why;  /* "the match limit (1000000 steps)": static */
	size_t line_len;  /* bytes of the reply line it was matched against */
} ssp_pattern_limit_t;

/* A value captured from a reply (NUL bytes of the reply read as '?'). */
typedef struct ssp_capture_s {
	const char *var;                    /* the variable to set; NULL = none */
	size_t len;
	char value[SSP_VAR_VALUE_MAX + 1];  /* NUL-terminated */
	ssp_pattern_limit_t limit;          /* set on a PATTERN_LIMIT outcome */
} ssp_capture_t;

/*
 * ssp_expect_match - judge the complete reply p[0..r->len) (parsed into r)
 * against e.  A close or silence expectation is never met by a reply.  With
 * cap non-NULL and a capture in e, a MET or WARN_CODE outcome has
 * cap->var and cap->value set; a capture the reply does not yield (or
 * longer than SSP_VAR_VALUE_MAX) is CAPTURE_FAILED.  A pattern that reaches
 * a match limit (pattern.h) is PATTERN_LIMIT, with cap->limit saying which.
 */
ssp_outcome_t ssp_expect_match(const ssp_expect_t *e, const char *p, const ssp_reply_t *r,
			       ssp_capture_t *cap);

/* ssp_expect_enhanced_ok - 1 if the reply carries e's enhanced code on
 * every line, of the reply's own class (RFC 2034 §4), else 0. */
int ssp_expect_enhanced_ok(const ssp_expect_t *e, int code, const char *p, size_t len);

/* ssp_expect_describe - "250 with text matching /x/": what e expects, in words. */
void ssp_expect_describe(const ssp_expect_t *e, char *out, size_t size);

/* ssp_expect_excerpt - p[0..n) escaped for a message (escape.h), cut at max
 * bytes with "...", NUL-terminated in out[0..size). */
void ssp_expect_excerpt(char *out, size_t size, const char *p, size_t n, size_t max);

/* ssp_expect_describe_reply - the first line of reply p[0..len), escaped,
 * and " (N lines)" when it has more: "503 5.5.1 Error: need MAIL command". */
void ssp_expect_describe_reply(const char *p, size_t len, unsigned nlines, char *out, size_t size);

/* ssp_outcome_name - "met", "warn code", ...: the outcome's name. */
const char *ssp_outcome_name(ssp_outcome_t o);

#endif
