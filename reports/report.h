/*
 * report.h - the report writers: console (progress and summary), JSON,
 * HTML and JUnit XML, and the comparison of result documents.  The console
 * and JSON writers read the result model (run.h, result.h); HTML, JUnit and
 * the comparisons read the result document that the JSON writer builds
 * (reports/result.schema.json), so a saved result renders like a live one.
 */
#ifndef SSP_REPORT_H
#define SSP_REPORT_H

#include "../harness/diag.h"
#include "../harness/run.h"
#include "../harness/suite.h"

#include <jansson.h>
#include <stdio.h>

/* What a report says about how the run was made. */
typedef struct ssp_report_meta_s {
	const char *version;
	const char *catalogue;      /* catalogue directory */
	size_t catalogue_size;      /* vectors in the catalogue */
	const char *profile;        /* profile file, or NULL */
	const char *const *suites;  /* selected suite names */
	size_t nsuites;
	int strict;
	int exit_code;
	const ssp_suites_t *suite_defs;   /* every suite of the catalogue, or NULL */
	const ssp_catalogue_t *cat;       /* the whole catalogue, or NULL */
	const char *catalogue_sha256;     /* ssp_digest_catalogue, or NULL if unknown */
	const char *profile_sha256;       /* of the profile file, or NULL (no profile) */
} ssp_report_meta_t;

typedef struct ssp_console_s {
	FILE *f;
	int tty;       /* rewrite one progress line */
	int color;     /* ANSI colours */
	int verbose;   /* transcripts of non-passing vectors */
	int progress;  /* print progress at all */
} ssp_console_t;

/* ssp_console_progress - report that results[idx] is final. */
void ssp_console_progress(ssp_console_t *c, const ssp_run_t *run, size_t idx);
/* ssp_console_summary - counts, and each non-passing vector with its reason. */
void ssp_console_summary(ssp_console_t *c, const ssp_run_t *run, const ssp_report_meta_t *m);
/* ssp_console_transcript - print a transcript, one escaped entry a line. */
void ssp_console_transcript(FILE *f, const ssp_transcript_t *t, const char *indent);
/* ssp_console_end - clear the progress line (before anything else prints). */
void ssp_console_end(ssp_console_t *c);
/* ssp_console_tap - the results as TAP version 13 (strict: a warning is "not ok" without TODO). */
void ssp_console_tap(FILE *f, const ssp_run_t *run, int strict);

/* ssp_json_write - write the result document (reports/result.schema.json): 0 or -1. */
int ssp_json_write(const char *file, const ssp_run_t *run, const ssp_report_meta_t *m,
		   ssp_diag_t *diag);
/* ssp_json_build - the result document as a jansson value (New reference), or NULL. */
json_t *ssp_json_build(const ssp_run_t *run, const ssp_report_meta_t *m);
/* ssp_json_save - write a result document built by ssp_json_build: 0 or -1 with diag. */
int ssp_json_save(const char *file, const json_t *doc, ssp_diag_t *diag);

/* ssp_html_write - the HTML report of a result document (reports/template.html): 0 or -1. */
int ssp_html_write(const char *file, const json_t *doc, ssp_diag_t *diag);
/* ssp_junit_write - JUnit XML of a result document (strict: warnings fail): 0 or -1. */
int ssp_junit_write(const char *file, const json_t *doc, int strict, ssp_diag_t *diag);

/* ssp_result_order - indexes into a result document's "results", sorted by RFC, section, id (malloc'd; NULL: out of memory). */
size_t *ssp_result_order(const json_t *doc, size_t *n);
/* ssp_result_load - read a result document back, schema and shape checked: New, or NULL with diag. */
json_t *ssp_result_load(const char *file, ssp_diag_t *diag);
/*
 * ssp_compare_diff - what changed from old to new_: a "baseline" object with
 * new_failures, fixed and changed (New reference, or NULL).  A new failure is
 * a vector that fails or errors in new_ but did not in old (with strict, a
 * warning counts as a failure).
 */
json_t *ssp_compare_diff(const json_t *old, const json_t *new_, int strict);
/* ssp_compare_print - print a diff from ssp_compare_diff; returns its new failures. */
size_t ssp_compare_print(FILE *f, const json_t *diff);
/* ssp_compare_html - the matrix of vectors x result files (links to FILE.html beside each): 0 or -1. */
int ssp_compare_html(const char *file, const char *const *results, size_t n, ssp_diag_t *diag);

#endif
