/*
 * diag.h - one fixed-size diagnostic: where (file:line:column) and what.
 *
 * Like jansson's json_error_t: setting it never allocates, and the first
 * error set wins, so the root cause is what the user sees.
 */
#ifndef SSP_DIAG_H
#define SSP_DIAG_H

#include <stdio.h>

typedef struct ssp_diag_s {
	int set;          /* 1 once an error was recorded */
	char file[512];
	int line;         /* 1-based; 0 when not known */
	int column;       /* 1-based; 0 when not known */
	char text[512];
} ssp_diag_t;

/* ssp_diag_init - clear d. */
void ssp_diag_init(ssp_diag_t *d);
/* ssp_diag_set - record an error unless one is already recorded; returns -1. */
int ssp_diag_set(ssp_diag_t *d, const char *file, int line, int column,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* ssp_diag_print - print "file:line:column: error: text" (parts as known),
 * file and text escaped for the terminal (termtext.h). */
void ssp_diag_print(FILE *f, const ssp_diag_t *d);

#endif
