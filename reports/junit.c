/*
 * junit.c - JUnit XML of a result document, for the test reports of CI
 * systems (Jenkins, GitLab, GitHub and Azure test reporters read this
 * shape; harness/tests/junit.xsd checks it).
 *
 * One <testsuite> per RFC section, one <testcase> per vector: classname
 * "rfc5321.4_1_1_5" and name "rset-clears-transaction" from the id
 * "rfc5321/4.1.1.5/rset-clears-transaction".  fail: <failure> with the
 * reason as message and the transcript as body; error: <error>; skip:
 * <skipped>; warn and info: visible in <system-err> without failing the
 * build, unless strict (then a warning is a <failure>).  <system-out>
 * holds the transcript.  Every string goes through ssp_markup_text, so the
 * document is well-formed whatever the server sent.
 */
#include "report.h"

#include "markup.h"

#include "../harness/result.h"

#include <stdlib.h>
#include <string.h>

/* same_section - 1 if results a and b are in the same RFC section. */
static int same_section(const json_t *a, const json_t *b)
{
	return ssp_doc_num(a, "rfc") == ssp_doc_num(b, "rfc") && strcmp(ssp_doc_str(a, "section"), ssp_doc_str(b, "section")) == 0;
}

/* classname - "rfc5321.4_1_1_5": the id up to its last '/', '/' as '.', '.' as '_'. */
static void classname(FILE *f, const char *id)
{
	const char *last = strrchr(id, '/');
	size_t n = last ? (size_t)(last - id) : strlen(id), i, start = 0;

	for (i = 0; i <= n; i++) {
		if (i == n || id[i] == '/' || id[i] == '.') {
			ssp_markup_text(f, id + start, i - start);
			if (i < n)
				fputc(id[i] == '/' ? '.' : '_', f);
			start = i + 1;
		}
	}
}

/* casename - the id after its last '/'. */
static const char *casename(const char *id)
{
	const char *last = strrchr(id, '/');

	return last ? last + 1 : id;
}

/* transcript_text - one line per entry: "   12 ms S 220 ...\r\n" (escaped). */
static void transcript_text(FILE *f, const json_t *r)
{
	const json_t *e;
	size_t i;

	fputs("id: ", f);
	ssp_doc_text(f, r, "id");
	fputs("\nRFC ", f);
	fprintf(f, "%lld section ", ssp_doc_num(r, "rfc"));
	ssp_doc_text(f, r, "section");
	fputs(" (", f);
	ssp_doc_text(f, r, "level");
	fputs("): ", f);
	ssp_doc_text(f, r, "quote");
	fputs("\nverdict: ", f);
	ssp_doc_text(f, r, "verdict");
	fputs(": ", f);
	ssp_doc_text(f, r, "reason");
	fputs("\nexpected: ", f);
	ssp_doc_text(f, r, "expected");
	fputs("\nobserved: ", f);
	ssp_doc_text(f, r, "observed");
	fputs("\ntranscript (C sent by smtpspec, S from the server, # note):\n", f);
	json_array_foreach(json_object_get(r, "transcript"), i, e) {
		fprintf(f, "%6lld ms %c ", ssp_doc_num(e, "t_ms"), ssp_doc_str(e, "dir")[0] == 'C' ? 'C' : ssp_doc_str(e, "dir")[0] == 'S' ? 'S' : '#');
		ssp_doc_text(f, e, "text");
		if (json_is_true(json_object_get(e, "partial")))
			fputs(" [no line end]", f);
		fputc('\n', f);
	}
}

static void testcase(FILE *f, const json_t *r, int strict)
{
	const char *v = ssp_doc_str(r, "verdict"), *id = ssp_doc_str(r, "id");
	int is_fail = strcmp(v, "fail") == 0 || (strict && strcmp(v, "warn") == 0);

	fputs("    <testcase classname=\"", f);
	classname(f, id);
	fputs("\" name=\"", f);
	ssp_markup_str(f, casename(id));
	fprintf(f, "\" time=\"%.3f\">\n", ssp_doc_num(r, "duration_ms") / 1000.0);
	if (strcmp(v, "skip") == 0) {
		fputs("      <skipped message=\"", f);
		ssp_doc_text(f, r, "reason");
		fputs("\"/>\n", f);
	} else if (strcmp(v, "error") == 0 || is_fail) {
		const char *el = is_fail ? "failure" : "error";
		fprintf(f, "      <%s message=\"", el);
		ssp_doc_text(f, r, "reason");
		fputs("\" type=\"", f);
		if (is_fail)
			ssp_doc_text(f, r, "level");
		else
			fputs("not judged", f);
		fputs("\">", f);
		transcript_text(f, r);
		fprintf(f, "</%s>\n", el);
	}
	fputs("      <system-out>", f);
	transcript_text(f, r);
	fputs("</system-out>\n", f);
	if (!is_fail && (strcmp(v, "warn") == 0 || strcmp(v, "info") == 0)) {
		fprintf(f, "      <system-err>%s (%s, does not fail the build): ", strcmp(v, "warn") == 0 ? "WARNING" : "INFO",
			strcmp(v, "warn") == 0 ? "SHOULD" : "MAY");
		ssp_doc_text(f, r, "reason");
		fputs("</system-err>\n", f);
	}
	fputs("    </testcase>\n", f);
}

/* counts of one group of results */
typedef struct {
	size_t tests, failures, errors, skipped;
	long long ms;
} tally_t;

static void tally(tally_t *t, const json_t *r, int strict)
{
	const char *v = ssp_doc_str(r, "verdict");

	t->tests++;
	t->ms += ssp_doc_num(r, "duration_ms");
	if (strcmp(v, "fail") == 0 || (strict && strcmp(v, "warn") == 0))
		t->failures++;
	else if (strcmp(v, "error") == 0)
		t->errors++;
	else if (strcmp(v, "skip") == 0)
		t->skipped++;
}

int ssp_junit_write(const char *file, const json_t *doc, int strict, ssp_diag_t *diag)
{
	const json_t *results = json_object_get(doc, "results"), *target = json_object_get(doc, "target");
	const json_t *cert = json_object_get(doc, "certification");
	tally_t all = { 0, 0, 0, 0, 0 };
	size_t n, i = 0, k, suite = 0, *order = ssp_result_order(doc, &n);
	char stamp[32];
	FILE *f;

	if (order == NULL)
		return ssp_diag_set(diag, file, 0, 0, "out of memory");
	if ((f = fopen(file, "w")) == NULL) {
		free(order);
		return ssp_diag_set(diag, file, 0, 0, "cannot write the JUnit report");
	}
	/* xs:dateTime without the zone letter, as the Ant schema has it */
	snprintf(stamp, sizeof(stamp), "%.19s", ssp_doc_str(doc, "started"));
	for (k = 0; k < n; k++)
		tally(&all, json_array_get(results, k), strict);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"smtpspec ", f);
	ssp_doc_text(f, target, "spec");
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n", all.tests,
		all.failures, all.errors, all.skipped, ssp_doc_num(doc, "duration_ms") / 1000.0);
	while (i < n) {
		const json_t *first = json_array_get(results, order[i]);
		tally_t t = { 0, 0, 0, 0, 0 };

		for (k = i; k < n && same_section(first, json_array_get(results, order[k])); k++)
			tally(&t, json_array_get(results, order[k]), strict);
		fprintf(f, "  <testsuite id=\"%zu\" name=\"RFC %lld section ", suite++, ssp_doc_num(first, "rfc"));
		ssp_doc_text(f, first, "section");
		fprintf(f, "\" package=\"rfc%lld\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" "
			   "time=\"%.3f\" timestamp=\"",
			ssp_doc_num(first, "rfc"), t.tests, t.failures, t.errors, t.skipped, t.ms / 1000.0);
		ssp_markup_str(f, stamp);
		fputs("\" hostname=\"", f);
		ssp_doc_text(f, target, "spec");
		fputs("\">\n    <properties>\n      <property name=\"target\" value=\"", f);
		ssp_doc_text(f, target, "spec");
		fputs("\"/>\n      <property name=\"greeting\" value=\"", f);
		ssp_doc_text(f, target, "greeting");
		fputs("\"/>\n      <property name=\"tool\" value=\"smtpspec ", f);
		ssp_doc_text(f, json_object_get(doc, "tool"), "version");
		fputs("\"/>\n      <property name=\"digest\" value=\"", f);
		ssp_doc_text(f, cert, "digest");
		fprintf(f, "\"/>\n      <property name=\"strict\" value=\"%s\"/>\n    </properties>\n",
			strict ? "true" : "false");
		for (; i < k; i++)
			testcase(f, json_array_get(results, order[i]), strict);
		fputs("  </testsuite>\n", f);
	}
	fputs("</testsuites>\n", f);
	free(order);
	if (ssp_markup_close(f) != 0)
		return ssp_diag_set(diag, file, 0, 0, "cannot write the JUnit report");
	return 0;
}
