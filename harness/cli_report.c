/*
 * cli_report.c - smtpspec report: HTML and JUnit from a saved result
 * document, the comparison matrix of several, the diff of two.  Output
 * paths are checked before any input is read; files are written through a
 * temporary name (outfile.h); "-" is standard output.
 */
#include "cli.h"
#include "diag.h"
#include "limits.h"
#include "outfile.h"
#include "termtext.h"

#include "../reports/report.h"

#include <stdio.h>
#include <string.h>

enum { W_HTML, W_JUNIT, W_MATRIX };

/* write_one - one output through a temporary file: 0, or -1 with diag. */
static int write_one(int what, const char *path, const ssp_doc_t *doc, const char *const *files, size_t nfiles,
		     int strict, ssp_diag_t *diag)
{
	ssp_outfile_t of;
	int rc;

	if (ssp_outfile_begin(&of, path, diag) != 0)
		return -1;
	rc = what == W_HTML ? ssp_html_write(of.tmp, doc, diag)
	     : what == W_JUNIT ? ssp_junit_write(of.tmp, doc, strict, diag)
			       : ssp_compare_html(of.tmp, files, nfiles, diag);
	if (rc != 0) {
		ssp_outfile_abort(&of);
		return -1;
	}
	return ssp_outfile_commit(&of, stdout, diag);
}

int ssp_cli_report(int argc, char **argv)
{
	const char *html = NULL, *junit = NULL, *files[SSP_COMPARE_MAX];
	size_t nfiles = 0;
	int compare = 0, diff = 0, strict = 0, a, code = EXIT_PASS;
	ssp_doc_t doc, old;
	ssp_diff_t d;
	ssp_diag_t diag;

	ssp_diag_init(&diag);
	memset(&doc, 0, sizeof(doc));
	memset(&old, 0, sizeof(old));
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--compare") == 0)
			compare = 1;
		else if (strcmp(argv[a], "--diff") == 0)
			diff = 1;
		else if (strcmp(argv[a], "--strict") == 0)
			strict = 1;
		else if (strcmp(argv[a], "--html") == 0 && a + 1 < argc)
			html = argv[++a];
		else if (strcmp(argv[a], "--junit") == 0 && a + 1 < argc)
			junit = argv[++a];
		else if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
			ssp_cli_help(stdout, "report");
			return EXIT_PASS;
		} else if (argv[a][0] != '-' && nfiles < SSP_COMPARE_MAX)
			files[nfiles++] = argv[a];
		else
			goto usage;
	}
	if (compare + diff > 1 || (compare && (html == NULL || junit || nfiles == 0)) ||
	    (diff && (nfiles != 2 || html || junit)) || (!compare && !diff && (nfiles != 1 || (!html && !junit))))
		goto usage;
	if (html && junit && ssp_outfile_is_stdout(html) && ssp_outfile_is_stdout(junit)) {
		fprintf(stderr, "smtpspec: only one of --html -, --junit - can use standard output\n");
		return EXIT_USAGE;
	}
	if ((html && ssp_outfile_check(html, &diag) != 0) || (junit && ssp_outfile_check(junit, &diag) != 0))
		goto bad;
	if (compare) {
		if (write_one(W_MATRIX, html, NULL, files, nfiles, 0, &diag) != 0)
			goto bad;
		if (!ssp_outfile_is_stdout(html))
			fprintf(stderr, "  matrix: %s (%zu implementation%s)\n", ssp_term_str(html), nfiles, nfiles == 1 ? "" : "s");
		return EXIT_PASS;
	}
	if (ssp_doc_load(&doc, files[diff ? 1 : 0], &diag) != 0)
		goto bad;
	if (diff) {
		if (ssp_doc_load(&old, files[0], &diag) != 0)
			goto bad;
		code = ssp_compare_diff(&old, &doc, strict, &d) == 0 && ssp_compare_print(stdout, &d) == 0 ? EXIT_PASS
													: EXIT_FAILED;
		ssp_diff_free(&d);
		goto out;
	}
	strict = strict || doc.strict;
	if ((html && write_one(W_HTML, html, &doc, NULL, 0, strict, &diag) != 0) ||
	    (junit && write_one(W_JUNIT, junit, &doc, NULL, 0, strict, &diag) != 0)) {
		fprintf(stderr, "smtpspec: ");
		ssp_diag_print(stderr, &diag);
		code = EXIT_FAILED;
	}
	goto out;
usage:
	fprintf(stderr, "usage: smtpspec report RESULT.json [--html FILE] [--junit FILE] [--strict]\n"
			"       smtpspec report --compare A.json B.json ... --html MATRIX.html  (at most %d)\n"
			"       smtpspec report --diff OLD.json NEW.json [--strict]\n"
			"smtpspec: try 'smtpspec report --help'\n",
		SSP_COMPARE_MAX);
	return EXIT_USAGE;
bad:
	fprintf(stderr, "smtpspec: ");
	ssp_diag_print(stderr, &diag);
	code = EXIT_USAGE;
out:
	ssp_doc_free(&doc);
	ssp_doc_free(&old);
	return code;
}
