/*
 * coverage.h - which sections of an RFC state requirements on the server,
 * and which vectors check each (suites/coverage/rfcN.json).
 *
 * A section is covered by the vectors whose rfc and section are its own,
 * and by those its "vectors" list names (filed where their quote is).
 * A section whose requirements cannot be seen on the wire says why
 * ("unobservable"); any other section without a vector is a gap.
 */
#ifndef SSP_COVERAGE_H
#define SSP_COVERAGE_H

#include "catalogue.h"
#include "diag.h"
#include "vector.h"

#include <stdio.h>

typedef struct ssp_cov_section_s {
	char *section;
	char *title;
	ssp_level_t level;      /* strongest server-side keyword in the section */
	char *unobservable;     /* why no vector can check it, or NULL */
	char **also;            /* ids or globs of vectors filed under other
	                         * sections that check this one's requirements */
	size_t nalso;
} ssp_cov_section_t;

typedef struct ssp_coverage_s {
	unsigned rfc;
	ssp_cov_section_t *s;
	size_t n;
} ssp_coverage_t;

/* ssp_coverage_load - load a coverage file: 0, or -1 with diag at file:line:column. */
int ssp_coverage_load(ssp_coverage_t *c, const char *file, ssp_diag_t *diag);
/* ssp_coverage_free - release it. */
void ssp_coverage_free(ssp_coverage_t *c);
/*
 * ssp_coverage_print - one line per section with its vectors, then the
 * totals; returns the number of MUST sections with neither a vector nor a
 * reason (the gaps that matter).
 */
size_t ssp_coverage_print(FILE *f, const ssp_coverage_t *c, const ssp_catalogue_t *cat);

#endif
