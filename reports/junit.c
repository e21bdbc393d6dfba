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
 * holds the transcript.  Results of category security are kept apart: in
 * a testsuite of their own, first (name "security findings", property
 * category=security), with classname "security.rfc5321.4_1_1_4", and their
 * failures' type starts with "security".  Under run --repeat a testcase
 * carries properties: repeat (the rounds), verdicts ("pass 9, fail 1")
 * and unstable; its verdict is the worst round.  Every string goes through
 * ssp_markup_text, so the document is well-formed whatever the server sent.
 */
#include "result.h"

#include "markup.h"

#include <stdlib.h>
#include <string.h>

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

/* transcript_text - the vector, the verdict and one line per entry: "   12 ms S 220 ...\r\n" (escaped). */
static void transcript_text(FILE *f, const ssp_doc_result_t *r)
{
	size_t i;

	fputs("id: ", f);
	ssp_markup_str(f, r->id);
	fprintf(f, "\nRFC %u section ", r->rfc);
	ssp_markup_str(f, r->section);
	fprintf(f, " (%s, %s): ", ssp_level_name(r->level), ssp_category_name(r->category));
	ssp_markup_str(f, r->quote);
	fprintf(f, "\nverdict: %s: ", ssp_verdict_name(r->verdict));
	ssp_markup_str(f, r->reason);
	fputs("\nexpected: ", f);
	ssp_markup_str(f, r->expected);
	fputs("\nobserved: ", f);
	ssp_markup_str(f, r->observed);
	fputs("\ntranscript (C sent by smtpspec, S from the server, # note):\n", f);
	for (i = 0; i < r->ntranscript; i++) {
		const ssp_doc_entry_t *e = &r->transcript[i];
		fprintf(f, "%6llu ms %c ", (unsigned long long)e->t_ms, (char)e->dir);
		ssp_markup_text(f, e->text, e->len);
		if (e->partial)
			fputs(" [no line end]", f);
		fputc('\n', f);
	}
}

/* is_failure - 1 if r is a JUnit <failure>: fail, or warn with strict. */
static int is_failure(const ssp_doc_result_t *r, int strict)
{
	return r->verdict != SSP_ERROR && ssp_verdict_fails(r->verdict, strict);
}

/* testcase - one <testcase>: failure, error or skipped as the verdict says, and the transcript (read whole, one at a time). */
static void testcase(FILE *f, const ssp_doc_t *doc, const ssp_doc_result_t *entry, int strict, ssp_diag_t *diag)
{
	ssp_doc_t one;
	const ssp_doc_result_t *r = ssp_doc_whole(doc, entry, &one, diag);
	int fail;

	if (r == NULL) {
		ssp_doc_free(&one);
		return;
	}
	fail = is_failure(r, strict);

	fputs("    <testcase classname=\"", f);
	if (r->category == SSP_CATEGORY_SECURITY)
		fputs("security.", f);
	classname(f, r->id);
	fputs("\" name=\"", f);
	ssp_markup_str(f, casename(r->id));
	fprintf(f, "\" time=\"%.3f\">\n", (double)r->duration_ms / 1000.0);
	if (r->rounds > 0) {
		/* --repeat: the rounds and what they gave; the verdict below is the worst round's */
		int v, first = 1;

		fprintf(f, "      <properties>\n        <property name=\"repeat\" value=\"%u\"/>\n"
			   "        <property name=\"verdicts\" value=\"", r->rounds);
		for (v = 0; v < SSP_VERDICT_COUNT; v++) {
			if (r->verdicts[v] == 0)
				continue;
			fprintf(f, "%s%s %u", first ? "" : ", ", ssp_verdict_name((ssp_verdict_t)v), r->verdicts[v]);
			first = 0;
		}
		fprintf(f, "\"/>\n        <property name=\"unstable\" value=\"%s\"/>\n      </properties>\n",
			r->unstable ? "true" : "false");
	}
	if (r->verdict == SSP_SKIP) {
		fputs("      <skipped message=\"", f);
		ssp_markup_str(f, r->reason);
		fputs("\"/>\n", f);
	} else if (r->verdict == SSP_ERROR || fail) {
		const char *el = fail ? "failure" : "error";
		fprintf(f, "      <%s message=\"", el);
		if (fail && r->category == SSP_CATEGORY_SECURITY)
			fputs("SECURITY: ", f);
		ssp_markup_str(f, r->reason);
		fputs("\" type=\"", f);
		if (fail)
			fprintf(f, "%s%s", r->category == SSP_CATEGORY_SECURITY ? "security " : "", ssp_level_name(r->level));
		else
			fputs("not judged", f);
		fputs("\">", f);
		transcript_text(f, r);
		fprintf(f, "</%s>\n", el);
	}
	fputs("      <system-out>", f);
	transcript_text(f, r);
	fputs("</system-out>\n", f);
	if (!fail && (r->verdict == SSP_WARN || r->verdict == SSP_INFO)) {
		fprintf(f, "      <system-err>%s (%s, does not fail the build): ", r->verdict == SSP_WARN ? "WARNING" : "INFO",
			r->verdict == SSP_WARN ? "SHOULD" : "MAY");
		ssp_markup_str(f, r->reason);
		fputs("</system-err>\n", f);
	}
	fputs("    </testcase>\n", f);
	ssp_doc_free(&one);
}

/* counts of one group of results */
typedef struct {
	size_t tests, failures, errors, skipped;
	unsigned long long ms;
} tally_t;

/* tally - count r into t. */
static void tally(tally_t *t, const ssp_doc_result_t *r, int strict)
{
	t->tests++;
	t->ms += r->duration_ms;
	if (is_failure(r, strict))
		t->failures++;
	else if (r->verdict == SSP_ERROR)
		t->errors++;
	else if (r->verdict == SSP_SKIP)
		t->skipped++;
}

/* property - one <property> (value markup-escaped; NULL: not written). */
static void property(FILE *f, const char *name, const char *value)
{
	if (value == NULL)
		return;
	fprintf(f, "      <property name=\"%s\" value=\"", name);
	ssp_markup_str(f, value);
	fputs("\"/>\n", f);
}

/* tls_properties - the TLS of the run (target "tls"), when the document has it. */
static void tls_properties(FILE *f, const ssp_doc_tls_t *t)
{
	if (!t->present)
		return;
	property(f, "tls_mode", ssp_doc_tls_mode_name(t->mode));
	property(f, "tls_verify", t->verify ? "true" : "false");
	property(f, "tls_sni", t->sni);
	property(f, "tls_client_certificate", t->client_certificate ? "true" : "false");
	property(f, "tls_protocol", t->protocol);
	property(f, "tls_cipher", t->cipher);
	property(f, "tls_peer_subject", t->peer_subject);
	property(f, "tls_peer_verified", t->peer_verified < 0 ? NULL : t->peer_verified ? "true" : "false");
	property(f, "tls_error", t->error);
}

/* testsuite - one <testsuite> of results[0..n) (name is its text after "RFC N section " or whole). */
static void testsuite(FILE *f, const ssp_doc_t *doc, const ssp_doc_result_t *const *results, size_t n,
		      size_t id, int security, int strict, const char *stamp, ssp_diag_t *diag)
{
	const ssp_doc_target_t *target = &doc->target;
	tally_t t = { 0, 0, 0, 0, 0 };
	size_t i;

	for (i = 0; i < n; i++)
		tally(&t, results[i], strict);
	if (security) {
		fprintf(f, "  <testsuite id=\"%zu\" name=\"security findings\" package=\"security\"", id);
	} else {
		fprintf(f, "  <testsuite id=\"%zu\" name=\"RFC %u section ", id, results[0]->rfc);
		ssp_markup_str(f, results[0]->section);
		fprintf(f, "\" package=\"rfc%u\"", results[0]->rfc);
	}
	fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\" timestamp=\"", t.tests,
		t.failures, t.errors, t.skipped, (double)t.ms / 1000.0);
	ssp_markup_str(f, stamp);
	fputs("\" hostname=\"", f);
	ssp_markup_str(f, target->spec);
	fputs("\">\n    <properties>\n      <property name=\"target\" value=\"", f);
	ssp_markup_str(f, target->spec);
	fputs("\"/>\n      <property name=\"greeting\" value=\"", f);
	ssp_markup_str(f, target->greeting);
	fputs("\"/>\n      <property name=\"tool\" value=\"smtpspec ", f);
	ssp_markup_str(f, doc->tool_version);
	fputs("\"/>\n      <property name=\"digest\" value=\"", f);
	ssp_markup_str(f, doc->cert.digest);
	fprintf(f, "\"/>\n      <property name=\"strict\" value=\"%s\"/>\n", strict ? "true" : "false");
	tls_properties(f, &target->tls);
	if (security)
		fputs("      <property name=\"category\" value=\"security\"/>\n", f);
	fputs("    </properties>\n", f);
	for (i = 0; i < n; i++)
		testcase(f, doc, results[i], strict, diag);
	fputs("  </testsuite>\n", f);
}

int ssp_junit_write(const char *file, const ssp_doc_t *doc, int strict, ssp_diag_t *diag)
{
	tally_t all = { 0, 0, 0, 0, 0 };
	const ssp_doc_result_t **order = ssp_doc_order(doc), **sec = NULL;
	size_t n = doc->nresults, i = 0, k, suite = 0, nsec = 0, nconf = 0;
	char stamp[32];
	ssp_diag_t whole;
	FILE *f;

	ssp_diag_init(&whole);
	if (order == NULL || (sec = malloc((n ? n : 1) * sizeof(*sec))) == NULL) {
		free(order);
		return ssp_diag_set(diag, file, 0, 0, "out of memory");
	}
	if ((f = fopen(file, "w")) == NULL) {
		free(order);
		free(sec);
		return ssp_diag_set(diag, file, 0, 0, "cannot write the JUnit report");
	}
	/* xs:dateTime without the zone letter, as the Ant schema has it */
	snprintf(stamp, sizeof(stamp), "%.19s", doc->started);
	/* the results of category security apart, in their own suite; the others stay in order */
	for (k = 0; k < n; k++) {
		tally(&all, order[k], strict);
		if (order[k]->category == SSP_CATEGORY_SECURITY)
			sec[nsec++] = order[k];
		else
			order[nconf++] = order[k];
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"smtpspec ", f);
	ssp_markup_str(f, doc->target.spec);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n", all.tests,
		all.failures, all.errors, all.skipped, (double)doc->duration_ms / 1000.0);
	if (nsec > 0)
		testsuite(f, doc, sec, nsec, suite++, 1, strict, stamp, &whole);
	while (i < nconf) {
		for (k = i; k < nconf && ssp_doc_same_section(order[i], order[k]); k++)
			;
		testsuite(f, doc, order + i, k - i, suite++, 0, strict, stamp, &whole);
		i = k;
	}
	fputs("</testsuites>\n", f);
	free(order);
	free(sec);
	if (whole.set) { /* a result could not be read whole: no report rather than one that lacks it */
		fclose(f);
		return ssp_diag_set(diag, file, 0, 0, "%s", whole.text);
	}
	if (ssp_markup_close(f) != 0)
		return ssp_diag_set(diag, file, 0, 0, "cannot write the JUnit report");
	return 0;
}
