/*
 * test_verdict_rules.c - the pure rules behind zero configuration and SMTP
 * smuggling verdicts (discover.h, smuggle.h).
 */
#include "tests.h"

#include "../discover.h"
#include "../smuggle.h"
#include "../../reports/causes.h"

#include <string.h>

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))
#define CHECK(cond) CHECKF(cond, "%s", #cond)

static void test_is_domain(void)
{
	static const char *const yes[] = {
		"example.org", "a.b.c.d", "localhost", "mx-1.example.org", "EXAMPLE.ORG", "x1.y2",
		"xn--bcher-kva.example",
	};
	static const char *const no[] = {
		"", ".", "a..b", ".a.b", "a.b.", "127.0.0.1", "[127.0.0.1]", "[IPv6:::1]", "-a.b",
		"a-.b", "a.b-", "a_b.org", "a b.org", "1.2.3", "ex\x01.org",
	};
	char long_label[80], long_name[300];
	size_t i;

	for (i = 0; i < NCASES(yes); i++)
		CHECKF(ssp_discover_is_domain(yes[i]) == 1, "\"%s\" refused", yes[i]);
	for (i = 0; i < NCASES(no); i++)
		CHECKF(ssp_discover_is_domain(no[i]) == 0, "\"%s\" accepted", no[i]);
	CHECK(ssp_discover_is_domain(NULL) == 0);
	memset(long_label, 'a', 64);
	memcpy(long_label + 64, ".org", 5);
	CHECK(ssp_discover_is_domain(long_label) == 0);
	long_label[63] = '\0';
	CHECK(ssp_discover_is_domain(long_label) == 1);
	for (i = 0; i + 2 < sizeof(long_name); i += 2)
		memcpy(long_name + i, "a.", 2);
	long_name[i] = 'b';
	long_name[i + 1] = '\0';
	CHECK(ssp_discover_is_domain(long_name) == 0); /* over 255 octets */
}

static void test_candidates_order(void)
{
	ssp_candidate_t c[SSP_DISCOVER_CANDIDATES_MAX];
	static const char *const want[] = {
		"postmaster@mx1.mail.example.org", "postmaster@mail.example.org", "postmaster@example.org",
		"postmaster@smtp.example.net", "postmaster@example.net", "postmaster",
	};
	size_t n = ssp_discover_candidates("mx1.mail.example.org", "smtp.example.net", c, NCASES(c)), i;

	CHECKF(n == NCASES(want), "%zu candidates", n);
	for (i = 0; i < n && i < NCASES(want); i++)
		CHECKF(strcmp(c[i].mailbox, want[i]) == 0, "candidate %zu is %s, want %s", i, c[i].mailbox,
		       want[i]);
	CHECK(strcmp(c[0].domain, "mx1.mail.example.org") == 0);
	CHECK(strcmp(c[n - 1].domain, "") == 0);
	CHECK(strstr(c[0].source, "greeting") != NULL);
	CHECK(strstr(c[3].source, "target") != NULL);
}

static void test_candidates_literals_and_duplicates(void)
{
	ssp_candidate_t c[SSP_DISCOVER_CANDIDATES_MAX];
	size_t n;

	/* an address target adds nothing; the bare form is always last */
	n = ssp_discover_candidates("mail.example.org", "127.0.0.1", c, NCASES(c));
	CHECKF(n == 3, "%zu candidates", n);
	CHECK(strcmp(c[2].mailbox, "postmaster") == 0);
	/* the same name twice, in another case, is tried once */
	n = ssp_discover_candidates("Mail.Example.org", "mail.example.ORG", c, NCASES(c));
	CHECKF(n == 3, "%zu candidates", n);
	/* no greeting domain, an IPv6 literal target: the bare form only */
	n = ssp_discover_candidates("", "::1", c, NCASES(c));
	CHECKF(n == 1 && strcmp(c[0].mailbox, "postmaster") == 0, "%zu candidates", n);
	n = ssp_discover_candidates(NULL, NULL, c, NCASES(c));
	CHECK(n == 1);
	/* a single-label host is tried itself, with no parent */
	n = ssp_discover_candidates("localhost", NULL, c, NCASES(c));
	CHECKF(n == 2 && strcmp(c[0].mailbox, "postmaster@localhost") == 0, "%zu candidates", n);
	/* the array's size bounds the list */
	n = ssp_discover_candidates("a.b.c.d.e.f", "g.h.i.j", c, 3);
	CHECK(n == 3);
}

static void test_rcpt_answers(void)
{
	CHECK(ssp_discover_rcpt(250) == SSP_RCPT_ACCEPTED);
	CHECK(ssp_discover_rcpt(251) == SSP_RCPT_ACCEPTED);
	CHECK(ssp_discover_rcpt(550) == SSP_RCPT_REFUSED);
	CHECK(ssp_discover_rcpt(450) == SSP_RCPT_REFUSED);
	CHECK(ssp_discover_rcpt(553) == SSP_RCPT_REFUSED);
	CHECK(ssp_discover_rcpt(421) == SSP_RCPT_UNKNOWN);
	CHECK(ssp_discover_rcpt(0) == SSP_RCPT_UNKNOWN);
	CHECK(ssp_discover_rcpt(354) == SSP_RCPT_UNKNOWN);
	CHECK(ssp_discover_rcpt(252) == SSP_RCPT_UNKNOWN);
}

static void test_smuggle_classify(void)
{
	static const struct {
		int codes[8];
		size_t n;
		ssp_smuggle_t want;
	} cases[] = {
		{ { 0 }, 0, SSP_SMUGGLE_NO_REPLY },
		{ { 250 }, 1, SSP_SMUGGLE_DATA },                 /* one message, fake end was data */
		{ { 554 }, 1, SSP_SMUGGLE_REFUSED },              /* message refused */
		{ { 451 }, 1, SSP_SMUGGLE_REFUSED },
		{ { 521 }, 1, SSP_SMUGGLE_REFUSED },              /* refused, then closed */
		{ { 421 }, 1, SSP_SMUGGLE_REFUSED },
		{ { 421, 500 }, 2, SSP_SMUGGLE_REFUSED },         /* 421 first: closing */
		{ { 250, 250, 250, 354, 250, 500, 500 }, 7, SSP_SMUGGLE_EXPLOITABLE },
		{ { 250, 503, 503, 503, 500, 500 }, 6, SSP_SMUGGLE_ENDED_EARLY },
		{ { 250, 500, 500, 500, 500 }, 5, SSP_SMUGGLE_ENDED_EARLY },
		{ { 554, 250, 250, 354, 250 }, 5, SSP_SMUGGLE_EXPLOITABLE }, /* refused, then executed */
		{ { 250, 354 }, 2, SSP_SMUGGLE_EXPLOITABLE },
		{ { 250, 421 }, 2, SSP_SMUGGLE_ENDED_EARLY },
	};
	size_t i;

	for (i = 0; i < NCASES(cases); i++) {
		ssp_smuggle_t got = ssp_smuggle_classify(cases[i].codes, cases[i].n);
		CHECKF(got == cases[i].want, "case %zu: %s, want %s", i, ssp_smuggle_name(got),
		       ssp_smuggle_name(cases[i].want));
	}
	CHECK(strcmp(ssp_smuggle_name(SSP_SMUGGLE_EXPLOITABLE), "exploitable") == 0);
}


static void test_causes(void)
{
	static const char *const observed[] = { "503 bad sequence", "250 ok", "503 bad sequence", "", "250 ok",
						 "503 bad sequence", "550 no", "250 ok" };
	static const int finding[] = { 1, 1, 1, 1, 1, 1, 1, 0 };
	size_t order[8];
	ssp_cause_t c[4];
	size_t n = ssp_causes_find(observed, finding, 8, order, c, 4);

	/* "503" explains three findings, "250 ok" two (the third is a pass);
	 * an empty observed text and a single "550" are no shared cause */
	CHECKF(n == 2, "%zu causes", n);
	CHECK(c[0].count == 3 && strcmp(c[0].observed, "503 bad sequence") == 0);
	CHECK(order[c[0].first] == 0 && order[c[0].first + 1] == 2 && order[c[0].first + 2] == 5);
	CHECK(c[1].count == 2 && strcmp(c[1].observed, "250 ok") == 0);
	CHECK(ssp_causes_find(observed, finding, 8, order, c, 1) == 1);
	CHECK(ssp_causes_find(observed, finding, 0, order, c, 4) == 0);
}
void register_verdict_rules_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "domain names", test_is_domain },
		{ "candidate order", test_candidates_order },
		{ "literals and duplicates", test_candidates_literals_and_duplicates },
		{ "RCPT answers", test_rcpt_answers },
		{ "smuggling outcomes", test_smuggle_classify },
		{ "shared causes", test_causes },
		{ NULL, NULL },
	};
	tests_add_suite("verdict rules", tests);
}
