/*
 * fuzz_result.c - libFuzzer target: the result document loader (report,
 * --baseline, --diff, --compare read these), and the HTML and JUnit writers
 * and the diff on every document it accepts.  A refused document must say
 * why; an accepted one must render.
 */
#include "../../reports/result.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ssp_doc_t doc;
	ssp_diff_t diff;
	ssp_diag_t d;
	int rc;

	ssp_diag_init(&d);
	rc = ssp_doc_load_mem(&doc, "fuzz.json", (const char *)data, size, &d);
	if (rc != 0 && (!d.set || doc.mem != NULL || doc.nresults != 0))
		abort();
	if (rc == 0) {
		if (ssp_html_write("/dev/null", &doc, &d) != 0 || ssp_junit_write("/dev/null", &doc, 1, &d) != 0)
			abort();
		if (ssp_compare_diff(&doc, &doc, 0, &diff) != 0 || diff.n[SSP_DIFF_NEW_FAILURE] != 0 ||
		    diff.n[SSP_DIFF_CHANGED] != 0 || diff.unchanged != doc.nresults)
			abort();
		ssp_diff_free(&diff);
	}
	ssp_doc_free(&doc);
	return 0;
}
