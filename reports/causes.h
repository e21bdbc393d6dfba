/*
 * causes.h - findings one reply explains: results whose deciding reply
 * (their "observed" text) is the same, grouped so that a report can say
 * "6 vectors: 503 5.5.1 Error: duplicate HELO/EHLO" once (issue 8: one
 * cause, one finding).  No I/O.
 */
#ifndef SSP_CAUSES_H
#define SSP_CAUSES_H

#include <stddef.h>

struct ssp_run_s; /* harness/run.h: the writers of a document (HTML) need not see it */

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

/*
 * ssp_causes_of_run - ssp_causes_find over a run's results (order: run->n
 * entries); 0 when memory runs out.
 */
size_t ssp_causes_of_run(const struct ssp_run_s *run, size_t *order, ssp_cause_t *causes, size_t max);

#endif
