/*
 * outfile.h - report files written safely: the path is checked before the
 * run starts, the writer writes a temporary file in the same directory, and
 * only a complete file is renamed over the old one, so an interrupted or
 * failed write never leaves a truncated report nor destroys the previous
 * one.  "-" means standard output (the temporary file is then copied there).
 * A path that names an existing non-regular file (/dev/null, a FIFO, a
 * terminal) is written in place: renaming over it would replace the node.
 * A SIGINT, SIGTERM or SIGHUP during the write removes the temporary file
 * and ends the process by that signal.
 */
#ifndef SSP_OUTFILE_H
#define SSP_OUTFILE_H

#include "diag.h"

#include <limits.h>
#include <stdio.h>

typedef struct ssp_outfile_s {
	const char *path;       /* as given */
	char final[PATH_MAX];   /* the name renamed to (symlinks resolved) */
	char tmp[PATH_MAX];     /* where the writer writes */
	int to_stdout;          /* "-" */
	int in_place;           /* a non-regular file: tmp is the path itself */
} ssp_outfile_t;

/* ssp_outfile_is_stdout - 1 if path is "-". */
int ssp_outfile_is_stdout(const char *path);
/* ssp_outfile_check - path can be written (its directory exists and is writable): 0, or -1 with diag. */
int ssp_outfile_check(const char *path, ssp_diag_t *diag);
/* ssp_outfile_begin - create the temporary file for path (o->tmp): 0, or -1 with diag. */
int ssp_outfile_begin(ssp_outfile_t *o, const char *path, ssp_diag_t *diag);
/* ssp_outfile_commit - rename o->tmp to its final name (or copy it to out for "-"): 0, or -1 with diag (tmp removed). */
int ssp_outfile_commit(ssp_outfile_t *o, FILE *out, ssp_diag_t *diag);
/* ssp_outfile_abort - remove the temporary file; the old report stays. */
void ssp_outfile_abort(ssp_outfile_t *o);

#endif
