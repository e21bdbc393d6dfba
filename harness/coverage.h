/*
 * coverage.h - which sections of an RFC state requirements on the server,
 * and which vectors check each (suites/coverage/rfcN.json).
 *
 * An entry is a section, or one requirement sentence of it ("requirement").
 * A section is covered by the vectors whose rfc and section are its own, a
 * sentence by the vectors of its RFC whose quote is (part of) it; both by
 * those their "vectors" list names (filed where their quote is).
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
	char *requirement;      /* the sentence this entry maps, or NULL: the
	                         * entry is the whole section */
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
 * ssp_coverage_print - one line per entry with its vectors, then the
 * totals; returns the number of MUST entries with neither a vector nor a
 * reason (the gaps that matter).
 */
size_t ssp_coverage_print(FILE *f, const ssp_coverage_t *c, const ssp_catalogue_t *cat);

/* The counts behind a statement such as "12 of 14 requirements checked". */
typedef struct ssp_cov_count_s {
	size_t entries, checked;        /* every entry; those with a vector */
	size_t strong, strong_checked;  /* MUST and SHOULD entries; checked */
	size_t unobservable;            /* entries without a vector, with a reason */
	size_t gaps, must_gaps;         /* neither a vector nor a reason */
} ssp_cov_count_t;

/* ssp_coverage_count - count c's entries against the catalogue (or only the
 * vectors of a run: cat may hold a selection). */
void ssp_coverage_count(const ssp_coverage_t *c, const ssp_catalogue_t *cat, ssp_cov_count_t *n);

#endif
