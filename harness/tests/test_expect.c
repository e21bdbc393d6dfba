/*
 * test_expect.c - the expectation matchers (expect.h): every matcher and
 * every outcome, on replies parsed by the real parser.
 */
#include "tests.h"

#include "../expect.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

/* A reply parsed from its bytes; the bytes stay in a guarded copy. */
typedef struct {
	char *p;
	ssp_reply_t r;
} parsed_t;

static int parse(parsed_t *pr, const char *s)
{
	size_t n = strlen(s);
	ssize_t rc;

	pr->p = tests_dup_end(s, n);
	ssp_reply_reset(&pr->r);
	rc = ssp_reply_parse(&pr->r, pr->p, n);
	return rc == (ssize_t)n ? 0 : -1;
}

/* re - compile src into *re and keep the source in *src, as the loader does. */
static void re(char **src, ssp_pattern_t **rx, const char *s)
{
	char err[200];
	size_t off;

	*rx = ssp_pattern_compile(s, strlen(s), err, sizeof(err), &off);
	CHECKF(*rx != NULL, "pattern /%s/: %s at %zu", s, err, off);
	CU_ASSERT_FATAL(*rx != NULL);
	*src = strdup(s);
	CU_ASSERT_FATAL(*src != NULL);
}

/* free_expect - what the test compiled. */
static void free_expect(ssp_expect_t *e)
{
	char **srcs[] = { &e->text_src, &e->not_text_src, &e->every_text_src, &e->first_line_src,
			  &e->keyword_lines_src, &e->capture_src };
	ssp_pattern_t **res[] = { &e->text_re, &e->not_text_re, &e->every_text_re, &e->first_line_re,
			   &e->keyword_lines_re, &e->capture_re };
	size_t i;

	for (i = 0; i < NCASES(srcs); i++) {
		if (*srcs[i]) {
			ssp_pattern_free(*res[i]);
			free(*srcs[i]);
		}
	}
}

/* match - outcome of reply s against e (the reply must parse completely). */
static ssp_outcome_t match(const ssp_expect_t *e, const char *s, ssp_capture_t *cap)
{
	parsed_t pr;
	ssp_outcome_t o;

	CHECKF(parse(&pr, s) == 0, "reply \"%s\" does not parse completely", s);
	o = ssp_expect_match(e, pr.p, &pr.r, cap);
	free(pr.p);
	return o;
}

#define EXPECT_OUTCOME(e, reply, want)                                                        \
	do {                                                                                  \
		ssp_outcome_t got_ = match((e), (reply), NULL);                               \
		CHECKF(got_ == (want), "%s: reply \"%s\": got %s, expected %s", __func__,     \
		       (reply), ssp_outcome_name(got_), ssp_outcome_name(want));              \
	} while (0)

static void test_codes(void)
{
	ssp_expect_t e;

	memset(&e, 0, sizeof(e));
	CU_ASSERT_EQUAL(ssp_codes_parse(&e.pass, "250"), 0);
	CU_ASSERT_EQUAL(ssp_codes_parse(&e.pass, "55x"), 0);
	EXPECT_OUTCOME(&e, "250 OK\r\n", SSP_OUTCOME_MET);
	EXPECT_OUTCOME(&e, "553 no\r\n", SSP_OUTCOME_MET);
	EXPECT_OUTCOME(&e, "251 forwarded\r\n", SSP_OUTCOME_MISMATCH);
	EXPECT_OUTCOME(&e, "500 what\r\n", SSP_OUTCOME_MISMATCH);
	EXPECT_OUTCOME(&e, "560 x\r\n", SSP_OUTCOME_MISMATCH);
	/* a class */
	memset(&e, 0, sizeof(e));
	CU_ASSERT_EQUAL(ssp_codes_parse(&e.pass, "5xx"), 0);
	EXPECT_OUTCOME(&e, "500 x\r\n", SSP_OUTCOME_MET);
	EXPECT_OUTCOME(&e, "554 x\r\n", SSP_OUTCOME_MET);
	EXPECT_OUTCOME(&e, "450 x\r\n", SSP_OUTCOME_MISMATCH);
}

static void test_any_and_421(void)
{
	ssp_expect_t e;

	memset(&e, 0, sizeof(e));
	e.any_code = 1;
	EXPECT_OUTCOME(&e, "250 OK\r\n", SSP_OUTCOME_MET);
	EXPECT_OUTCOME(&e, "554 no\r\n", SSP_OUTCOME_MET);
	EXPECT_OUTCOME(&e, "220 hi\r\n", SSP_OUTCOME_MET);
	/* 421 never matches "any": the server is closing */
	EXPECT_OUTCOME(&e, "421 closing\r\n", SSP_OUTCOME_CLOSING_421);
	/* 421 where 250 was expected */
	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	EXPECT_OUTCOME(&e, "421 bye\r\n", SSP_OUTCOME_CLOSING_421);
	/* 421 asked for: met */
	ssp_codes_parse(&e.pass, "421");
	EXPECT_OUTCOME(&e, "421 bye\r\n", SSP_OUTCOME_MET);
	/* 421 in the warn set: a warning, not an error */
	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	ssp_codes_parse(&e.warn, "421");
	EXPECT_OUTCOME(&e, "421 bye\r\n", SSP_OUTCOME_WARN_CODE);
	/* 421 in the skip set: skip comes first */
	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	ssp_codes_parse(&e.skip, "4xx");
	EXPECT_OUTCOME(&e, "421 bye\r\n", SSP_OUTCOME_SKIP_CODE);
}

static void test_warn_skip_sets(void)
{
	ssp_expect_t e;

	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "501");
	ssp_codes_parse(&e.warn, "500");
	ssp_codes_parse(&e.skip, "502");
	ssp_codes_parse(&e.skip, "504");
	EXPECT_OUTCOME(&e, "501 syntax\r\n", SSP_OUTCOME_MET);
	EXPECT_OUTCOME(&e, "500 syntax\r\n", SSP_OUTCOME_WARN_CODE);
	EXPECT_OUTCOME(&e, "502 not implemented\r\n", SSP_OUTCOME_SKIP_CODE);
	EXPECT_OUTCOME(&e, "504 not implemented\r\n", SSP_OUTCOME_SKIP_CODE);
	EXPECT_OUTCOME(&e, "250 OK\r\n", SSP_OUTCOME_MISMATCH);
	/* a pass code wins over the same code in the other sets */
	ssp_codes_parse(&e.warn, "501");
	ssp_codes_parse(&e.skip, "501");
	EXPECT_OUTCOME(&e, "501 syntax\r\n", SSP_OUTCOME_MET);
	/* the text matchers judge pass codes only: a warn code with other text is a warning */
	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	ssp_codes_parse(&e.warn, "251");
	re(&e.text_src, &e.text_re, "^exact$");
	EXPECT_OUTCOME(&e, "251 something else\r\n", SSP_OUTCOME_WARN_CODE);
	EXPECT_OUTCOME(&e, "250 something else\r\n", SSP_OUTCOME_MISMATCH);
	EXPECT_OUTCOME(&e, "250 exact\r\n", SSP_OUTCOME_MET);
	free_expect(&e);
}

static void test_enhanced(void)
{
	static const struct {
		int cls, subj, det;
		const char *reply;
		ssp_outcome_t want;
	} cases[] = {
		/* any enhanced code of the reply's class, the same on every line */
		{ -1, -1, -1, "250 2.1.0 OK\r\n", SSP_OUTCOME_MET },
		{ -1, -1, -1, "250 OK\r\n", SSP_OUTCOME_MISMATCH },
		{ -1, -1, -1, "250 5.1.0 wrong class\r\n", SSP_OUTCOME_MISMATCH },
		{ -1, -1, -1, "250-2.0.0 a\r\n250-2.0.0 b\r\n250 2.0.0 c\r\n", SSP_OUTCOME_MET },
		/* RFC 2034 §4: on every line of a multi-line reply */
		{ -1, -1, -1, "250-2.0.0 a\r\n250-b\r\n250 2.0.0 c\r\n", SSP_OUTCOME_MISMATCH },
		{ -1, -1, -1, "250-2.0.0 a\r\n250-2.0.0 b\r\n250 c\r\n", SSP_OUTCOME_MISMATCH },
		{ -1, -1, -1, "250-2.0.0 a\r\n250 2.1.0 c\r\n", SSP_OUTCOME_MISMATCH },
		{ -1, -1, -1, "250-2.0.0 a\r\n250 2.0.1 c\r\n", SSP_OUTCOME_MISMATCH },
		/* fixed parts */
		{ 5, 5, 4, "555 5.5.4 unknown parameter\r\n", SSP_OUTCOME_MET },
		{ 5, 5, 4, "555 5.5.2 syntax\r\n", SSP_OUTCOME_MISMATCH },
		{ 5, 1, -1, "550 5.1.1 unknown user\r\n", SSP_OUTCOME_MET },
		{ 5, 1, -1, "550 5.7.1 denied\r\n", SSP_OUTCOME_MISMATCH },
		{ -1, -1, 3, "553 5.1.3 bad address\r\n", SSP_OUTCOME_MET },
		{ -1, -1, 3, "553 5.1.8 bad address\r\n", SSP_OUTCOME_MISMATCH },
		/* not an enhanced code: no space after it, or a malformed one */
		{ -1, -1, -1, "250 2.1.0OK\r\n", SSP_OUTCOME_MISMATCH },
		{ -1, -1, -1, "250 2.1 OK\r\n", SSP_OUTCOME_MISMATCH },
		{ -1, -1, -1, "250 2.1.0\r\n", SSP_OUTCOME_MET },
	};
	size_t i;

	for (i = 0; i < NCASES(cases); i++) {
		ssp_expect_t e;
		ssp_outcome_t got;

		memset(&e, 0, sizeof(e));
		ssp_codes_parse(&e.pass, "2xx");
		ssp_codes_parse(&e.pass, "5xx");
		e.enhanced = 1;
		e.enh_class = cases[i].cls;
		e.enh_subject = cases[i].subj;
		e.enh_detail = cases[i].det;
		got = match(&e, cases[i].reply, NULL);
		CHECKF(got == cases[i].want, "case %zu \"%s\": got %s, expected %s", i, cases[i].reply,
		       ssp_outcome_name(got), ssp_outcome_name(cases[i].want));
	}
}

static void test_text_matchers(void)
{
	ssp_expect_t e;
	static const char ehlo[] = "250-mx.example greets you\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 8BITMIME\r\n";

	/* text: some line matches */
	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	re(&e.text_src, &e.text_re, "^SIZE [0-9]+$");
	EXPECT_OUTCOME(&e, ehlo, SSP_OUTCOME_MET);
	EXPECT_OUTCOME(&e, "250-a\r\n250 b\r\n", SSP_OUTCOME_MISMATCH);
	free_expect(&e);
	/* not_text: no line matches */
	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	re(&e.not_text_src, &e.not_text_re, "^CHUNKING");
	EXPECT_OUTCOME(&e, ehlo, SSP_OUTCOME_MET);
	EXPECT_OUTCOME(&e, "250-a\r\n250 CHUNKING\r\n", SSP_OUTCOME_MISMATCH);
	free_expect(&e);
	/* every_text: every line matches */
	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	re(&e.every_text_src, &e.every_text_re, "^[A-Za-z0-9. -]+$");
	EXPECT_OUTCOME(&e, ehlo, SSP_OUTCOME_MET);
	EXPECT_OUTCOME(&e, "250-ok\r\n250 not_ok\r\n", SSP_OUTCOME_MISMATCH);
	free_expect(&e);
	/* first_line: only the first line */
	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	re(&e.first_line_src, &e.first_line_re, "^mx\\.example");
	EXPECT_OUTCOME(&e, ehlo, SSP_OUTCOME_MET);
	EXPECT_OUTCOME(&e, "250-other\r\n250 mx.example\r\n", SSP_OUTCOME_MISMATCH);
	free_expect(&e);
	/* keyword_lines: every line after the first; the first is free */
	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	re(&e.keyword_lines_src, &e.keyword_lines_re, "^[A-Z0-9][A-Z0-9-]*( .*)?$");
	EXPECT_OUTCOME(&e, ehlo, SSP_OUTCOME_MET);
	EXPECT_OUTCOME(&e, "250 only a greeting line\r\n", SSP_OUTCOME_MET);
	EXPECT_OUTCOME(&e, "250-x\r\n250 -bad keyword\r\n", SSP_OUTCOME_MISMATCH);
	free_expect(&e);
	/* NUL in a line reads as '?' and does not end the line for the regex */
	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	re(&e.text_src, &e.text_re, "a\\?b$");
	{
		static const char nul[] = "250 a\0b\r\n";
		parsed_t pr;
		pr.p = tests_dup_end(nul, sizeof(nul) - 1);
		ssp_reply_reset(&pr.r);
		CU_ASSERT_EQUAL(ssp_reply_parse(&pr.r, pr.p, sizeof(nul) - 1), (ssize_t)sizeof(nul) - 1);
		CU_ASSERT_EQUAL(ssp_expect_match(&e, pr.p, &pr.r, NULL), SSP_OUTCOME_MET);
		free(pr.p);
	}
	free_expect(&e);
}

static void test_max_lines(void)
{
	ssp_expect_t e;

	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	e.max_lines = 1;
	EXPECT_OUTCOME(&e, "250 one\r\n", SSP_OUTCOME_MET);
	EXPECT_OUTCOME(&e, "250-one\r\n250 two\r\n", SSP_OUTCOME_MISMATCH);
	e.max_lines = 2;
	EXPECT_OUTCOME(&e, "250-one\r\n250 two\r\n", SSP_OUTCOME_MET);
	EXPECT_OUTCOME(&e, "250-one\r\n250-two\r\n250 three\r\n", SSP_OUTCOME_MISMATCH);
}

static void test_close_silence(void)
{
	ssp_expect_t e;

	/* a reply never meets a close or silence expectation, even "any" */
	memset(&e, 0, sizeof(e));
	e.kind = SSP_EXPECT_CLOSE;
	e.any_code = 1;
	EXPECT_OUTCOME(&e, "221 bye\r\n", SSP_OUTCOME_MISMATCH);
	e.kind = SSP_EXPECT_SILENCE;
	e.silence_ms = 500;
	EXPECT_OUTCOME(&e, "250 OK\r\n", SSP_OUTCOME_MISMATCH);
}

static void test_capture(void)
{
	ssp_expect_t e;
	ssp_capture_t cap;
	char big[SSP_VAR_VALUE_MAX + 64];
	ssp_outcome_t o;

	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	ssp_codes_parse(&e.warn, "251");
	e.capture_var = strdup("size");
	re(&e.capture_src, &e.capture_re, "^SIZE ([0-9]+)$");
	o = match(&e, "250-mx\r\n250-SIZE 1000\r\n250 HELP\r\n", &cap);
	CU_ASSERT_EQUAL(o, SSP_OUTCOME_MET);
	CU_ASSERT_PTR_NOT_NULL(cap.var);
	CU_ASSERT_STRING_EQUAL(cap.value, "1000");
	CU_ASSERT_EQUAL(cap.len, 4);
	/* a warn code still captures */
	o = match(&e, "251-x\r\n251 SIZE 7\r\n", &cap);
	CU_ASSERT_EQUAL(o, SSP_OUTCOME_WARN_CODE);
	CU_ASSERT_STRING_EQUAL(cap.value, "7");
	/* no line matches */
	o = match(&e, "250-mx\r\n250 HELP\r\n", &cap);
	CU_ASSERT_EQUAL(o, SSP_OUTCOME_CAPTURE_FAILED);
	CU_ASSERT_PTR_NULL(cap.var);
	/* a mismatch is a mismatch, whatever the capture */
	o = match(&e, "550 SIZE 1\r\n", &cap);
	CU_ASSERT_EQUAL(o, SSP_OUTCOME_MISMATCH);
	/* no capture asked without cap: met */
	CU_ASSERT_EQUAL(match(&e, "250 HELP\r\n", NULL), SSP_OUTCOME_MET);
	free(e.capture_var);
	free_expect(&e);
	/* the whole match when the regex has no group; a value over the variable cap fails */
	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	e.capture_var = strdup("id");
	re(&e.capture_src, &e.capture_re, "[A-Z]+");
	o = match(&e, "250 12 ABC 34\r\n", &cap);
	CU_ASSERT_EQUAL(o, SSP_OUTCOME_MET);
	CU_ASSERT_STRING_EQUAL(cap.value, "ABC");
	memcpy(big, "250 ", 4);
	memset(big + 4, 'Q', SSP_VAR_VALUE_MAX + 10);
	memcpy(big + 4 + SSP_VAR_VALUE_MAX + 10, "\r\n", 3);
	CU_ASSERT_EQUAL(match(&e, big, &cap), SSP_OUTCOME_CAPTURE_FAILED);
	free(e.capture_var);
	free_expect(&e);
}

static void test_describe(void)
{
	ssp_expect_t e;
	char out[256], small[12];

	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	ssp_codes_parse(&e.pass, "251");
	ssp_expect_describe(&e, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "250 or 251");
	e.enhanced = 1;
	e.enh_class = 2;
	e.enh_subject = 1;
	e.enh_detail = -1;
	e.max_lines = 1;
	re(&e.text_src, &e.text_re, "OK");
	ssp_expect_describe(&e, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "250 or 251 with an enhanced status code 2.1.x with text matching /OK/ in at most 1 line");
	ssp_expect_describe(&e, small, sizeof(small));
	CU_ASSERT_EQUAL(strlen(small), sizeof(small) - 1); /* cut, terminated */
	free_expect(&e);
	memset(&e, 0, sizeof(e));
	e.any_code = 1;
	e.enhanced = 1;
	e.enh_class = e.enh_subject = e.enh_detail = -1;
	ssp_expect_describe(&e, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "any reply with an enhanced status code of the same class on every line");
	e.kind = SSP_EXPECT_CLOSE;
	ssp_expect_describe(&e, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "the server to close the connection");
	e.kind = SSP_EXPECT_SILENCE;
	e.silence_ms = 750;
	ssp_expect_describe(&e, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "no reply within 750 ms");
	/* a reply, described: first line escaped, line count */
	ssp_expect_describe_reply("250-a\tb\r\n250 c\r\n", 16, 2, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "250-a\\tb (2 lines)");
}

/* A pattern that backtracks without end against a long line of 'x' (with
 * glibc's regexec it ran for minutes): bounded by the match limit. */
#define BACKTRACKER "(x+x+)+\\1[^x]"

static void test_pattern_limits(void)
{
	ssp_expect_t e;
	ssp_capture_t cap;
	char *line = malloc(4 + 600 + 3);
	ssp_outcome_t o;
	struct timespec t0, t1;
	double s;

	CU_ASSERT_FATAL(line != NULL);
	memcpy(line, "250 ", 4);
	memset(line + 4, 'x', 600);
	memcpy(line + 604, "\r\n", 3);
	/* text, not_text, every_text: each reports the limit, with the pattern and the line length */
	for (int k = 0; k < 3; k++) {
		memset(&e, 0, sizeof(e));
		ssp_codes_parse(&e.pass, "250");
		if (k == 0)
			re(&e.text_src, &e.text_re, BACKTRACKER);
		else if (k == 1)
			re(&e.not_text_src, &e.not_text_re, BACKTRACKER);
		else
			re(&e.every_text_src, &e.every_text_re, BACKTRACKER);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		o = match(&e, line, &cap);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		CHECKF(o == SSP_OUTCOME_PATTERN_LIMIT, "matcher %d: got %s", k, ssp_outcome_name(o));
		CHECKF(s < 2.0, "matcher %d: %.3f s", k, s);
		CU_ASSERT_PTR_NOT_NULL(cap.limit.src);
		if (cap.limit.src != NULL)
			CU_ASSERT_STRING_EQUAL(cap.limit.src, BACKTRACKER);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cap.limit.why);
		CHECKF(strstr(cap.limit.why, "match limit") != NULL, "why: %s", cap.limit.why);
		CU_ASSERT_EQUAL(cap.limit.line_len, 600);
		/* without cap the outcome is the same */
		CU_ASSERT_EQUAL(match(&e, line, NULL), SSP_OUTCOME_PATTERN_LIMIT);
		free_expect(&e);
	}
	/* a capture pattern too */
	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	e.capture_var = strdup("v");
	re(&e.capture_src, &e.capture_re, BACKTRACKER);
	CU_ASSERT_EQUAL(match(&e, line, &cap), SSP_OUTCOME_PATTERN_LIMIT);
	CU_ASSERT_EQUAL(cap.limit.line_len, 600);
	CU_ASSERT_PTR_NULL(cap.var);
	free(e.capture_var);
	free_expect(&e);
	/* the same pattern on a short line gives an answer */
	memset(&e, 0, sizeof(e));
	ssp_codes_parse(&e.pass, "250");
	re(&e.text_src, &e.text_re, BACKTRACKER);
	CU_ASSERT_EQUAL(match(&e, "250 xxxy\r\n", NULL), SSP_OUTCOME_MISMATCH);
	CU_ASSERT_EQUAL(match(&e, "250 xxxxy\r\n", NULL), SSP_OUTCOME_MET); /* "xx", then "xx" again */
	free_expect(&e);
	free(line);
}

/* The dialect: PCRE2, case-insensitive, bytes; the subject cap; compile limits. */
static void test_pattern_dialect(void)
{
	char err[200], sub[SSP_PATTERN_SUBJECT_MAX + 100];
	size_t off, so = 0, eo = 0;
	ssp_pattern_t *p;

	p = ssp_pattern_compile("^size ([0-9]+)$", 15, err, sizeof(err), &off);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ssp_pattern_match(p, "SIZE 1000", 9, &so, &eo, NULL), SSP_PATTERN_MATCH);
	CU_ASSERT(so == 5 && eo == 9);
	/* a line end inside the subject: ^ and $ at line boundaries (as REG_NEWLINE) */
	CU_ASSERT_EQUAL(ssp_pattern_match(p, "x\nSIZE 7", 8, NULL, NULL, NULL), SSP_PATTERN_MATCH);
	ssp_pattern_free(p);
	/* bytes: a high byte is one character, never invalid UTF-8 */
	p = ssp_pattern_compile("^.$", 3, err, sizeof(err), &off);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ssp_pattern_match(p, "\xff", 1, NULL, NULL, NULL), SSP_PATTERN_MATCH);
	CU_ASSERT_EQUAL(ssp_pattern_match(p, "\xc3\xa9", 2, NULL, NULL, NULL), SSP_PATTERN_NOMATCH);
	ssp_pattern_free(p);
	/* the subject is cut at SSP_PATTERN_SUBJECT_MAX bytes */
	memset(sub, 'a', sizeof(sub));
	sub[sizeof(sub) - 1] = 'Z';
	p = ssp_pattern_compile("z", 1, err, sizeof(err), &off);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ssp_pattern_match(p, sub, sizeof(sub), NULL, NULL, NULL), SSP_PATTERN_NOMATCH);
	sub[SSP_PATTERN_SUBJECT_MAX - 1] = 'z';
	CU_ASSERT_EQUAL(ssp_pattern_match(p, sub, sizeof(sub), NULL, NULL, NULL), SSP_PATTERN_MATCH);
	ssp_pattern_free(p);
	/* compile limits: an error with its offset, never a long compile */
	CU_ASSERT_PTR_NULL(ssp_pattern_compile("((a{1,255}){1,255}){1,255}", 26, err, sizeof(err), &off));
	CHECKF(strstr(err, "too large") != NULL, "%s", err);
	CU_ASSERT_PTR_NULL(ssp_pattern_compile("a(b", 3, err, sizeof(err), &off));
	CU_ASSERT_EQUAL(off, 3);
	CU_ASSERT_PTR_NULL(ssp_pattern_compile("(*UTF)a", 7, err, sizeof(err), &off));
	memset(sub, 'a', SSP_PATTERN_MAX + 1);
	CU_ASSERT_PTR_NULL(ssp_pattern_compile(sub, SSP_PATTERN_MAX + 1, err, sizeof(err), &off));
	p = ssp_pattern_compile(sub, SSP_PATTERN_MAX, err, sizeof(err), &off);
	CU_ASSERT_PTR_NOT_NULL(p);
	ssp_pattern_free(p);
	ssp_pattern_free(NULL);
}

void register_expect_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "codes and classes", test_codes },
		{ "any, and 421 never any", test_any_and_421 },
		{ "warn and skip sets", test_warn_skip_sets },
		{ "enhanced codes on every line", test_enhanced },
		{ "text, not_text, every_text, first_line, keyword_lines", test_text_matchers },
		{ "max_lines", test_max_lines },
		{ "close and silence are never met by a reply", test_close_silence },
		{ "captures", test_capture },
		{ "descriptions", test_describe },
		{ "a pattern that reaches a match limit: an outcome of its own, in bounded time", test_pattern_limits },
		{ "patterns: PCRE2 dialect, subject cap, compile limits", test_pattern_dialect },
		{ NULL, NULL },
	};

	tests_add_suite("expect", tests);
}
