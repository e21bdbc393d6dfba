/*
 * causes.h - findings one reply explains: results whose deciding reply
 * (their "observed" text) is the same, grouped so that a report can say
 * "6 vectors: 503 5.5.1 Error: duplicate HELO/EHLO" once (issue 8: one
 * cause, one finding).  No I/O.
 */
#ifndef SSP_CAUSES_H
#define SSP_CAUSES_H

#include <stddef.h>

/* One shared cause: order[first .. first+count) are its results. */
typedef struct ssp_cause_s {
	const char *observed;
	size_t first, count;
} ssp_cause_t;

/*
 * ssp_causes_find - group the results i < n that are findings (finding[i]
 * nonzero) with a non-empty observed[i] by equal observed text; order
 * (n entries) receives the result indices, grouped; causes[0..max) the
 * groups of two or more, largest first.  Returns how many were written.
 */
size_t ssp_causes_find(const char *const *observed, const int *finding, size_t n, size_t *order,
		       ssp_cause_t *causes, size_t max);

#endif
