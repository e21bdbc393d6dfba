/*
 * certify.h - certification statements: for each suite a run covered,
 * whether the target conforms to it at MUST level (no vector failed, no
 * MUST-level vector could not be judged) and at SHOULD level (no warning
 * and no error either), with the tool version and the digest of the exact
 * catalogue and profile, so that anyone can rerun the same check.
 */
#ifndef SSP_CERTIFY_H
#define SSP_CERTIFY_H

#include "report.h"
#include "result.h"

#include <jansson.h>
#include <stddef.h>

typedef struct ssp_cert_suite_s {
	const char *name;     /* borrowed; NULL for the whole selection */
	const char *title;    /* borrowed */
	unsigned vectors;     /* vectors of the catalogue in the suite */
	unsigned selected;    /* of those, in this run */
	unsigned n[SSP_LEVEL_COUNT][SSP_VERDICT_COUNT]; /* results by level (ssp_level_t) and verdict */
	/* the RFC's requirements the catalogue checks (suites/coverage/NAME.json) */
	int coverage;         /* 1 when the suite has a coverage map */
	size_t req_checked, req_total, strong_checked, strong_total;
	ssp_cert_level_t level;
} ssp_cert_suite_t;

/*
 * ssp_certify_suites - the suites a run covers: those named with --suite,
 * or else every suite of the catalogue with a vector in the run.  Fills
 * out[0..max) with borrowed pointers; returns how many.
 */
size_t ssp_certify_suites(const ssp_run_t *run, const ssp_report_meta_t *m,
			  const ssp_suite_t **out, size_t max);
/* ssp_certify_suite - count the results of suite s (NULL: the whole run) and judge them. */
void ssp_certify_suite(const ssp_run_t *run, const ssp_report_meta_t *m, const ssp_suite_t *s,
		       ssp_cert_suite_t *out);
/* ssp_certify_line - "TITLE: 148/150 MUST pass, 2 fail; 12 SHOULD warnings" into out. */
void ssp_certify_line(const ssp_cert_suite_t *cs, char *out, size_t size);
/* ssp_certify_json - the "certification" object of the result document (New), or NULL. */
json_t *ssp_certify_json(const ssp_run_t *run, const ssp_report_meta_t *m);

#endif
