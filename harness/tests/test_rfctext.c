/*
 * test_rfctext.c - RFC texts for citations (rfctext.h): the strongest RFC
 * 2119 keyword of a quote, and quotes found across line breaks.
 */
#include "tests.h"

#include "../rfctext.h"

#include <stdlib.h>
#include <string.h>

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

static void test_keyword(void)
{
	static const struct {
		const char *quote;
		int any_case;
		int level;
		const char *word;
	} cases[] = {
		{ "Every command MUST generate exactly one reply.", 0, SSP_RFCTEXT_MUST, "MUST" },
		{ "it MUST NOT be taken as a license", 0, SSP_RFCTEXT_MUST, "MUST NOT" },
		{ "the attribute is REQUIRED here", 0, SSP_RFCTEXT_MUST, "REQUIRED" },
		{ "a server SHALL NOT do it", 0, SSP_RFCTEXT_MUST, "SHALL NOT" },
		{ "If a parameter string is specified, servers SHOULD ignore it.", 0, SSP_RFCTEXT_SHOULD, "SHOULD" },
		{ "this is NOT RECOMMENDED", 0, SSP_RFCTEXT_SHOULD, "NOT RECOMMENDED" },
		{ "An extended SMTP server MAY list the feature names", 0, SSP_RFCTEXT_MAY, "MAY" },
		{ "the parameter is OPTIONAL", 0, SSP_RFCTEXT_MAY, "OPTIONAL" },
		/* the strongest wins, wherever it stands */
		{ "SMTP servers SHOULD support HELP without arguments and MAY support it with arguments.", 0,
		  SSP_RFCTEXT_SHOULD, "SHOULD" },
		{ "Receiving systems MUST recognize source route syntax but SHOULD strip off", 0,
		  SSP_RFCTEXT_MUST, "MUST" },
		/* no keyword: descriptive sentences, lower case, parts of words */
		{ "it will return code 555.", 0, SSP_RFCTEXT_NONE, NULL },
		{ "These codes must appear in all 2xx, 4xx, and 5xx response lines", 0, SSP_RFCTEXT_NONE, NULL },
		{ "MUSTARD and SHOULDER and MAYBE and XMUST and MAY1", 0, SSP_RFCTEXT_NONE, NULL },
		{ "", 0, SSP_RFCTEXT_NONE, NULL },
		/* RFCs older than RFC 2119 wrote their keywords in lower case */
		{ "These codes must appear in all 2xx, 4xx, and 5xx response lines", 1, SSP_RFCTEXT_MUST, "MUST" },
		{ "it should not return a 552 reply code", 1, SSP_RFCTEXT_SHOULD, "SHOULD NOT" },
		{ "the client may use a heuristically-derived estimate", 1, SSP_RFCTEXT_MAY, "MAY" },
		{ "mustard", 1, SSP_RFCTEXT_NONE, NULL },
	};
	size_t i;

	for (i = 0; i < NCASES(cases); i++) {
		const char *word = "unset";
		int got = ssp_rfctext_keyword(cases[i].quote, cases[i].any_case, &word);

		CHECKF(got == cases[i].level, "\"%s\": level %d, expected %d", cases[i].quote, got,
		       cases[i].level);
		CHECKF(cases[i].word ? word != NULL && strcmp(word, cases[i].word) == 0 : word == NULL,
		       "\"%s\": word %s, expected %s", cases[i].quote, word ? word : "NULL",
		       cases[i].word ? cases[i].word : "NULL");
		CHECKF(ssp_rfctext_keyword(cases[i].quote, cases[i].any_case, NULL) == got,
		       "\"%s\": another level without the word", cases[i].quote);
	}
}

static void test_contains(void)
{
	char text[] = "   The receiver MUST send a \"250 OK\"\n   reply to a RSET command\f with no  arguments.  ";

	ssp_rfctext_normalise(text);
	CHECKF(strcmp(text, "The receiver MUST send a \"250 OK\" reply to a RSET command with no arguments.") == 0,
	       "normalised to \"%s\"", text);
	CHECKF(ssp_rfctext_contains(text, "send a \"250 OK\"\n reply"), "a quote across a line break");
	CHECKF(!ssp_rfctext_contains(text, "send a \"250 OK\" answer"), "a quote not in the text");
	CHECKF(!ssp_rfctext_contains(text, "  "), "an empty quote");
}

void register_rfctext_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "keyword", test_keyword },
		{ "contains", test_contains },
		{ NULL, NULL },
	};
	tests_add_suite("rfctext", tests);
}
