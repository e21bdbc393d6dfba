/*
 * diag.c - fixed-size diagnostics.
 */
#include "diag.h"

#include "termtext.h"

#include <stdarg.h>
#include <string.h>

void ssp_diag_init(ssp_diag_t *d)
{
	memset(d, 0, sizeof(*d));
}

int ssp_diag_set(ssp_diag_t *d, const char *file, int line, int column,
		 const char *fmt, ...)
{
	va_list ap;

	if (d->set)
		return -1;
	d->set = 1;
	snprintf(d->file, sizeof(d->file), "%s", file ? file : "");
	d->line = line;
	d->column = column;
	va_start(ap, fmt);
	vsnprintf(d->text, sizeof(d->text), fmt, ap);
	va_end(ap);
	return -1;
}

void ssp_diag_print(FILE *f, const ssp_diag_t *d)
{
	/* the file name and the text quote paths, keys and values of the input: escaped */
	if (d->file[0] && d->line > 0)
		fprintf(f, "%s:%d:%d: error: %s\n", ssp_term_str(d->file), d->line,
			d->column > 0 ? d->column : 1, ssp_term_str(d->text));
	else if (d->file[0])
		fprintf(f, "%s: error: %s\n", ssp_term_str(d->file), ssp_term_str(d->text));
	else
		fprintf(f, "error: %s\n", ssp_term_str(d->text));
}
