/*
 * test_coverage.c - the requirement map (coverage.h): sections and single
 * sentences, which vectors check them, and the "N of M requirements
 * checked" counts.
 */
#include "tests.h"

#include "../catalogue.h"
#include "../coverage.h"
#include "../diag.h"
#include "../profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Three vectors of RFC 3030: two quote sentences (one only half of its
 * sentence, with other line breaks), one is filed under section 3 and its
 * quote, "q", is too short to name any sentence (though "quotes" has it). */
static const char vectors[] =
	"[{\"id\": \"rfc3030/2/a\", \"title\": \"t\", \"rfc\": 3030, \"section\": \"2\", \"level\": \"MUST\",\n"
	"  \"quote\": \"A 250 response MUST be sent to each successful BDAT data block within a mail transaction.\",\n"
	"  \"steps\": [{\"send\": \"NOOP\", \"expect\": 250}]},\n"
	" {\"id\": \"rfc3030/2/b\", \"title\": \"t\", \"rfc\": 3030, \"section\": \"2\", \"level\": \"MUST\",\n"
	"  \"quote\": \"the receiver-SMTP MUST accept and discard\\nthe associated message data\",\n"
	"  \"steps\": [{\"send\": \"NOOP\", \"expect\": 250}]},\n"
	" {\"id\": \"rfc3030/3/c\", \"title\": \"t\", \"rfc\": 3030, \"section\": \"3\", \"level\": \"MAY\",\n"
	"  \"quote\": \"q\", \"steps\": [{\"send\": \"NOOP\", \"expect\": 250}]}]\n";

/* Five entries: two sentences with a vector each, a sentence without one
 * (MUST: a gap), a SHOULD sentence nobody can observe, and a whole section. */
static const char map[] =
	"{ \"rfc\": 3030, \"sections\": [\n"
	"  { \"section\": \"2\", \"title\": \"a\", \"level\": \"MUST\",\n"
	"    \"requirement\": \"A 250 response MUST be sent to each successful BDAT data block within a mail transaction.\" },\n"
	"  { \"section\": \"2\", \"title\": \"b\", \"level\": \"MUST\", \"requirement\": \"If a failure occurs after a BDAT command is  "
	"received, the receiver-SMTP MUST accept and discard the associated message data before sending the appropriate 5XX or 4XX code.\" },\n"
	"  { \"section\": \"2\", \"title\": \"gap\", \"level\": \"MUST\", \"requirement\": \"No vector quotes this.\" },\n"
	"  { \"section\": \"3\", \"title\": \"dsn\", \"level\": \"SHOULD\", \"requirement\": \"The message SHOULD be returned.\",\n"
	"    \"unobservable\": \"after the session\" },\n"
	"  { \"section\": \"3\", \"title\": \"whole section\", \"level\": \"MAY\" } ] }\n";

static void test_sentences_and_counts(void)
{
	char path[] = "/tmp/smtpspec-cov-XXXXXX";
	ssp_catalogue_t cat;
	ssp_coverage_t cov;
	ssp_profile_t p;
	ssp_diag_t diag;
	ssp_cov_count_t n;
	FILE *f, *out;
	int fd;
	size_t gaps;

	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL_FATAL(ssp_profile_load(&p, NULL, &diag), 0);
	ssp_catalogue_init(&cat);
	CU_ASSERT_EQUAL_FATAL(ssp_catalogue_load_mem(&cat, "v.json", vectors, sizeof(vectors) - 1, &p, &diag), 0);
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(map, f);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(ssp_coverage_load(&cov, path, &diag), 0);
	ssp_coverage_count(&cov, &cat, &n);
	CU_ASSERT_EQUAL(n.entries, 5);
	CU_ASSERT_EQUAL(n.checked, 3);          /* a, b (half quoted), section 3 */
	CU_ASSERT_EQUAL(n.strong, 4);
	CU_ASSERT_EQUAL(n.strong_checked, 2);
	CU_ASSERT_EQUAL(n.unobservable, 1);
	CU_ASSERT_EQUAL(n.gaps, 1);
	CU_ASSERT_EQUAL(n.must_gaps, 1);
	out = fopen("/dev/null", "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	gaps = ssp_coverage_print(out, &cov, &cat);
	fclose(out);
	CU_ASSERT_EQUAL(gaps, 1);
	/* an empty catalogue checks nothing: only the reasons remain */
	cat.n = 0;
	ssp_coverage_count(&cov, &cat, &n);
	CU_ASSERT_EQUAL(n.checked, 0);
	CU_ASSERT_EQUAL(n.gaps, 4);
	CU_ASSERT_EQUAL(n.must_gaps, 3);
	cat.n = 3;
	ssp_coverage_free(&cov);
	ssp_catalogue_free(&cat);
	ssp_profile_free(&p);
	unlink(path);
}

void register_coverage_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "sentences, sections and counts", test_sentences_and_counts },
		{ NULL, NULL },
	};

	tests_add_suite("coverage", tests);
}
