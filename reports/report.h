/*
 * report.h - the report writers: console (progress and summary) and JSON.
 * Each reads only the result model (run.h, result.h).
 */
#ifndef SSP_REPORT_H
#define SSP_REPORT_H

#include "../harness/diag.h"
#include "../harness/run.h"

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

/* ssp_json_write - write the result document (reports/result.schema.json): 0 or -1. */
int ssp_json_write(const char *file, const ssp_run_t *run, const ssp_report_meta_t *m,
		   ssp_diag_t *diag);

#endif
