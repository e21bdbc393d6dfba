/*
 * report.h - the report writers of a run: console (progress and summary)
 * and the JSON result document, which read the run (run.h, result.h).
 * HTML, JUnit and the comparisons read the typed result document
 * (reports/result.h), loaded from that JSON, so a saved result renders
 * like a live one.  The reports stream: finished transcripts wait in the
 * spool (harness/spool.h), the documents are built without them, and each
 * writer reads one result whole at a time (ssp_json_stream, ssp_json_fetch).
 */
#ifndef SSP_REPORT_H
#define SSP_REPORT_H

#include "../harness/diag.h"
#include "../harness/run.h"
#include "../harness/suite.h"

#include "result.h"

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
/*
 * ssp_json_build - the result document as a jansson value (New reference),
 * or NULL, with every result's transcript left empty: the transcripts are
 * in the spool (spool.h), and ssp_json_result and ssp_json_stream give the
 * results whole, one at a time.
 */
json_t *ssp_json_build(const ssp_run_t *run, const ssp_report_meta_t *m);
/* ssp_json_result - result i of the run whole, transcript included (New reference), or NULL with diag. */
json_t *ssp_json_result(const ssp_run_t *run, const ssp_report_meta_t *m, size_t i, ssp_diag_t *diag);
/*
 * ssp_json_stream - write doc (from ssp_json_build, maybe changed since)
 * to file with each result whole, read one at a time: the bytes of
 * json_dump_file of the whole document, never all in memory.  0 or -1 with diag.
 */
int ssp_json_stream(const char *file, const json_t *doc, const ssp_run_t *run, const ssp_report_meta_t *m,
		    ssp_diag_t *diag);

/* The run behind a document from ssp_json_build, for ssp_json_fetch. */
typedef struct ssp_json_source_s {
	const ssp_run_t *run;
	const ssp_report_meta_t *meta;
} ssp_json_source_t;
/* ssp_json_fetch - an ssp_doc_fetch_fn (arg: ssp_json_source_t): result index whole, as a one-result document. */
int ssp_json_fetch(void *arg, size_t index, ssp_doc_t *one, ssp_diag_t *diag);

/* ssp_json_baseline - the "baseline" object of a result document for diff d (New reference), or NULL. */
json_t *ssp_json_baseline(const ssp_diff_t *d);

#endif
