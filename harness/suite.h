/*
 * suite.h - named suites (suites/<name>.json) and the selection of the
 * vectors a run executes (--suite, --only, --skip).
 */
#ifndef SSP_SUITE_H
#define SSP_SUITE_H

#include "catalogue.h"
#include "diag.h"

#include <stddef.h>

typedef struct ssp_suite_s {
	char *name;         /* file name without .json */
	char *title;
	char **patterns;    /* id globs */
	int *line, *column;  /* where each pattern is in the file */
	size_t npatterns;
	char *file;
	/* The index built at load (ssp_suites_load_dir), so that ssp_suite_has
	 * costs a binary search and the globs, not every pattern: the plain ids
	 * (trailing '/' removed, sorted, owned) and the globs (borrowed from
	 * patterns).  indexed 0 (a suite made by hand): every pattern is tried. */
	char **literal;
	size_t nliteral;
	char **globs;
	size_t nglobs;
	int indexed;
} ssp_suite_t;

typedef struct ssp_suites_s {
	ssp_suite_t *s;
	size_t n;
} ssp_suites_t;

/* ssp_suites_load_dir - load every suites/<name>.json: 0, or -1 with diag. */
int ssp_suites_load_dir(ssp_suites_t *ss, const char *dir, ssp_diag_t *diag);
/*
 * ssp_suites_check - every pattern of every suite must select at least one
 * vector of the catalogue (a stale suite is an error): 0 or -1.
 */
int ssp_suites_check(const ssp_suites_t *ss, const ssp_catalogue_t *c, ssp_diag_t *diag);
/* ssp_suite_load_mem - one suite from text[0..len) (named name, file "name.json"
 * for messages), indexed as the directory loader does: 0, or -1 with diag
 * (free s with ssp_suite_free either way). */
int ssp_suite_load_mem(ssp_suite_t *s, const char *name, const char *text, size_t len, ssp_diag_t *diag);
/* ssp_suite_free - release one suite. */
void ssp_suite_free(ssp_suite_t *s);
/* ssp_suites_find - the suite named name, or NULL. */
const ssp_suite_t *ssp_suites_find(const ssp_suites_t *ss, const char *name);
/* ssp_suites_free - release all suites. */
void ssp_suites_free(ssp_suites_t *ss);

/*
 * ssp_id_matches - 1 if id matches pattern: a glob (fnmatch, '*' crosses
 * '/'), or without wildcards the id itself or any id below it
 * ("rfc5321/4.1.1.5" selects "rfc5321/4.1.1.5/...").
 */
int ssp_id_matches(const char *pattern, const char *id);

/* ssp_suite_has - 1 if the suite selects id. */
int ssp_suite_has(const ssp_suite_t *s, const char *id);

/*
 * ssp_select - indexes (into c->v) of the vectors in suite (NULL: all),
 * matching one of only[] (none given: all) and none of skip[].  Returns the
 * count; *out is allocated (caller frees), or -1 (out of memory).
 */
long ssp_select(const ssp_catalogue_t *c, const ssp_suite_t *suite,
		char *const *only, size_t nonly, char *const *skip, size_t nskip,
		size_t **out);

#endif
