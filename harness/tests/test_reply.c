/*
 * test_reply.c - the incremental reply parser (reply.h; RFC 5321 §4.2,
 * §4.5.3.1.5; RFC 3463 enhanced codes).
 *
 * Every input is parsed three ways and must give the same result:
 *   - in one call;
 *   - split at every byte position: the prefix must be PARTIAL (or, past
 *     the point where the result is decided, the result itself), then the
 *     whole buffer with the same ssp_reply_t must give the one-call result;
 *   - byte by byte, growing the buffer by one byte a call.
 * Each input sits at the end of a malloc'ed block of exactly its size, so
 * AddressSanitizer reports any read past the bytes the parser was given.
 */
#include "tests.h"

#include "../limits.h"
#include "../reply.h"

#include <stdlib.h>
#include <string.h>

/* One parser input and the result of parsing it in one call. */
typedef struct {
	const char *name;
	const char *in;
	size_t len;
	ssize_t rc;             /* byte count, PARTIAL or MALFORMED */
	int code;
	unsigned nlines;
	unsigned dev;
	unsigned dev_line;
	ssp_reply_error_t error;
} rcase_t;

/* Input with its length (NUL bytes allowed). */
#define IN(s) s, sizeof(s) - 1

/* Inputs above this size are split at every position within SAMPLE_EDGE
 * bytes of either end and every SAMPLE_STEP bytes in between. */
#define FULL_SPLIT_MAX 20000
#define SAMPLE_EDGE 300
#define SAMPLE_STEP 2039

/* same_result - 1 if b (from another way of parsing) matches a completely. */
static int same_result(ssize_t rca, const ssp_reply_t *a, ssize_t rcb, const ssp_reply_t *b)
{
	if (rca != rcb || a->error != b->error)
		return 0;
	if (rca == SSP_REPLY_MALFORMED)
		return 1; /* how far it got before the fatal line may differ */
	return a->code == b->code && a->nlines == b->nlines && a->dev == b->dev &&
	       a->dev_line == b->dev_line && a->len == b->len;
}

/* parse_copy - parse a fresh exact-size copy of in[0..n) with r's state. */
static ssize_t parse_copy(ssp_reply_t *r, const char *in, size_t n)
{
	char *b = tests_dup_end(in, n);
	ssize_t rc = ssp_reply_parse(r, b, n);

	free(b);
	return rc;
}

/* check_oneshot - the result of one call must be what the case says. */
static void check_oneshot(const rcase_t *c, ssize_t rc, const ssp_reply_t *r)
{
	CHECKF(rc == c->rc, "%s: rc %zd, expected %zd", c->name, rc, c->rc);
	CHECKF(r->error == c->error, "%s: error %d, expected %d", c->name, (int)r->error,
	       (int)c->error);
	if (c->rc == SSP_REPLY_MALFORMED)
		return;
	if (c->rc == SSP_REPLY_PARTIAL)
		return;
	CHECKF(r->code == c->code, "%s: code %d, expected %d", c->name, r->code, c->code);
	CHECKF(r->nlines == c->nlines, "%s: nlines %u, expected %u", c->name, r->nlines, c->nlines);
	CHECKF(r->dev == c->dev, "%s: dev 0x%x, expected 0x%x", c->name, r->dev, c->dev);
	CHECKF(r->dev_line == c->dev_line, "%s: dev_line %u, expected %u", c->name, r->dev_line,
	       c->dev_line);
	CHECKF(r->len == (size_t)c->rc, "%s: len %zu, expected %zd", c->name, r->len, c->rc);
}

/*
 * check_split - parse in[0..k) then in[0..n) with the same state.  decided
 * tracks the shortest prefix that gave a final result.
 */
static int check_split(const rcase_t *c, const char *whole, size_t k, ssize_t rc0,
		       const ssp_reply_t *r0, size_t *decided)
{
	ssp_reply_t r;
	ssize_t rc1, rc2;

	ssp_reply_reset(&r);
	rc1 = parse_copy(&r, c->in, k);
	if (rc1 != SSP_REPLY_PARTIAL) {
		/* the result was decided by the prefix: it must be the final one */
		if (*decided > k)
			*decided = k;
		if (!same_result(rc0, r0, rc1, &r)) {
			tests_fail(__LINE__, __FILE__, "%s: prefix of %zu bytes gave rc %zd (error %d), whole gives %zd",
				   c->name, k, rc1, (int)r.error, rc0);
			return -1;
		}
		return 0;
	}
	if (*decided < k) {
		tests_fail(__LINE__, __FILE__, "%s: prefix of %zu bytes is PARTIAL but %zu bytes were decided",
			   c->name, k, *decided);
		return -1;
	}
	if (r.scanned > k) {
		tests_fail(__LINE__, __FILE__, "%s: prefix of %zu bytes: scanned %zu past the input",
			   c->name, k, r.scanned);
		return -1;
	}
	rc2 = ssp_reply_parse(&r, whole, c->len);
	if (!same_result(rc0, r0, rc2, &r)) {
		tests_fail(__LINE__, __FILE__, "%s: split at %zu: rc %zd code %d nlines %u dev 0x%x line %u error %d; "
			   "one call: rc %zd code %d nlines %u dev 0x%x line %u error %d",
			   c->name, k, rc2, r.code, r.nlines, r.dev, r.dev_line, (int)r.error,
			   rc0, r0->code, r0->nlines, r0->dev, r0->dev_line, (int)r0->error);
		return -1;
	}
	return 0;
}

static void check_case(const rcase_t *c)
{
	ssp_reply_t r0, r;
	ssize_t rc0, rc = SSP_REPLY_PARTIAL;
	size_t k, decided = (size_t)-1, bytewise_at = 0;
	int big = c->len > FULL_SPLIT_MAX;
	char *whole = tests_dup_end(c->in, c->len);

	/* one call */
	ssp_reply_reset(&r0);
	rc0 = ssp_reply_parse(&r0, whole, c->len);
	check_oneshot(c, rc0, &r0);

	/* every split; for the few very large inputs every split near both
	 * ends (where the caps are) and a sample in between */
	for (k = 0; k < c->len; k += (big && k >= SAMPLE_EDGE && k + SAMPLE_EDGE < c->len) ? SAMPLE_STEP : 1) {
		if (check_split(c, whole, k, rc0, &r0, &decided) != 0)
			break;
	}
	CU_ASSERT(k >= c->len);
	if (rc0 > 0) {
		/* a complete reply is decided exactly at its last byte */
		size_t expect_decided = (size_t)rc0 < c->len ? (size_t)rc0 : (size_t)-1;
		CHECKF(big || decided == expect_decided, "%s: first decided at %zu bytes, expected %zu",
		       c->name, decided, expect_decided);
	}

	/* byte by byte with one state (for large inputs in one buffer) */
	ssp_reply_reset(&r);
	for (k = 1; k <= c->len; k++) {
		rc = big ? ssp_reply_parse(&r, whole, k) : parse_copy(&r, c->in, k);
		if (rc != SSP_REPLY_PARTIAL)
			break;
	}
	bytewise_at = k;
	free(whole);
	CHECKF(same_result(rc0, &r0, rc, &r), "%s: byte by byte gave rc %zd error %d code %d nlines %u dev 0x%x at %zu bytes",
	       c->name, rc, (int)r.error, r.code, r.nlines, r.dev, bytewise_at);
	if (!big && decided != (size_t)-1)
		CHECKF(bytewise_at == decided, "%s: byte by byte decided at %zu, split at %zu",
		       c->name, bytewise_at, decided);
}

static void run_cases(const rcase_t *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		check_case(&cases[i]);
}

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

/* ---- valid replies ---- */

static void test_valid(void)
{
	static const rcase_t cases[] = {
		{ "single line", IN("250 OK\r\n"), 8, 250, 1, 0, 0, SSP_REPLY_OK },
		{ "greeting", IN("220 mx.example.org ESMTP ready\r\n"), 32, 220, 1, 0, 0, SSP_REPLY_OK },
		{ "no text", IN("250\r\n"), 5, 250, 1, 0, 0, SSP_REPLY_OK },
		{ "multi-line EHLO",
		  IN("250-mx.example.org Hello\r\n250-SIZE 10240000\r\n250-PIPELINING\r\n250 HELP\r\n"),
		  71, 250, 4, 0, 0, SSP_REPLY_OK },
		{ "continuation without text", IN("250-\r\n250 last\r\n"), 16, 250, 2, 0, 0, SSP_REPLY_OK },
		{ "TAB in text is allowed", IN("554 no\tway\r\n"), 12, 554, 1, 0, 0, SSP_REPLY_OK },
		{ "code 559 (third digit free)", IN("559 x\r\n"), 7, 559, 1, 0, 0, SSP_REPLY_OK },
		{ "code 200", IN("200 x\r\n"), 7, 200, 1, 0, 0, SSP_REPLY_OK },
		{ "trailing reply not consumed", IN("250 OK\r\n221 Bye\r\n"), 8, 250, 1, 0, 0, SSP_REPLY_OK },
		{ "trailing partial bytes not consumed", IN("354 go\r\nXYZ"), 8, 354, 1, 0, 0, SSP_REPLY_OK },
		{ "multi-line then trailing", IN("250-a\r\n250 b\r\n250 c\r\n"), 14, 250, 2, 0, 0, SSP_REPLY_OK },
		{ "512-octet line is not long", NULL, 0, 512, 250, 1, 0, 0, SSP_REPLY_OK },
	};
	rcase_t c[NCASES(cases)];
	char line512[512];

	memcpy(c, cases, sizeof(cases));
	/* "250 " + 506 'a' + CRLF = 512 octets: exactly the RFC limit */
	memset(line512, 'a', sizeof(line512));
	memcpy(line512, "250 ", 4);
	memcpy(line512 + 510, "\r\n", 2);
	c[NCASES(cases) - 1].in = line512;
	c[NCASES(cases) - 1].len = sizeof(line512);
	run_cases(c, NCASES(c));
}

static void test_partial(void)
{
	static const rcase_t cases[] = {
		{ "empty", IN(""), SSP_REPLY_PARTIAL, 0, 0, 0, 0, SSP_REPLY_OK },
		{ "no line end", IN("250 OK"), SSP_REPLY_PARTIAL, 0, 0, 0, 0, SSP_REPLY_OK },
		{ "CR without LF yet", IN("250 OK\r"), SSP_REPLY_PARTIAL, 0, 0, 0, 0, SSP_REPLY_OK },
		{ "continuation only", IN("250-a\r\n250-b\r\n"), SSP_REPLY_PARTIAL, 0, 0, 0, 0, SSP_REPLY_OK },
		{ "two digits", IN("25"), SSP_REPLY_PARTIAL, 0, 0, 0, 0, SSP_REPLY_OK },
	};
	ssp_reply_t r;
	char *b;

	run_cases(cases, NCASES(cases));

	/* partial: the complete lines are remembered, not rescanned */
	ssp_reply_reset(&r);
	b = tests_dup_end(IN("250-a\r\n250-b\r\n250 c"));
	CU_ASSERT_EQUAL(ssp_reply_parse(&r, b, 19), SSP_REPLY_PARTIAL);
	CU_ASSERT_EQUAL(r.scanned, 14);
	CU_ASSERT_EQUAL(r.nlines, 2);
	CU_ASSERT_EQUAL(r.code, 250);
	free(b);

	/* completed lines are not scanned twice (reply.h): bytes of a line
	 * already checked are not looked at again on the next call */
	ssp_reply_reset(&r);
	b = tests_dup_end(IN("250-a\r\n250 b"));
	CU_ASSERT_EQUAL(ssp_reply_parse(&r, b, 12), SSP_REPLY_PARTIAL);
	free(b);
	b = tests_dup_end(IN("XYZ-a\r\n250 b\r\n"));
	CU_ASSERT_EQUAL(ssp_reply_parse(&r, b, 14), 14);
	CU_ASSERT_EQUAL(r.error, SSP_REPLY_OK);
	CU_ASSERT_EQUAL(r.code, 250);
	CU_ASSERT_EQUAL(r.nlines, 2);
	free(b);
}

/* ---- deviations: usable replies that break the grammar ---- */

static void test_deviations(void)
{
	static const rcase_t cases[] = {
		{ "bare LF", IN("250 OK\n"), 7, 250, 1, SSP_REPLY_DEV_BARE_LF, 1, SSP_REPLY_OK },
		{ "bare LF on line 2", IN("250-a\r\n250-b\n250 c\r\n"), 20, 250, 3, SSP_REPLY_DEV_BARE_LF, 2, SSP_REPLY_OK },
		{ "bare LF, no text", IN("250\n"), 4, 250, 1, SSP_REPLY_DEV_BARE_LF, 1, SSP_REPLY_OK },
		{ "bare CR in text", IN("250 a\rb\r\n"), 9, 250, 1, SSP_REPLY_DEV_BARE_CR, 1, SSP_REPLY_OK },
		{ "CR CR LF", IN("250 abc\r\r\n"), 10, 250, 1, SSP_REPLY_DEV_BARE_CR, 1, SSP_REPLY_OK },
		{ "bare CR on line 3", IN("250-a\r\n250-b\r\n250 c\rd\r\n"), 23, 250, 3, SSP_REPLY_DEV_BARE_CR, 3, SSP_REPLY_OK },
		{ "code 199", IN("199 x\r\n"), 7, 199, 1, SSP_REPLY_DEV_CODE_RANGE, 1, SSP_REPLY_OK },
		{ "code 260", IN("260 x\r\n"), 7, 260, 1, SSP_REPLY_DEV_CODE_RANGE, 1, SSP_REPLY_OK },
		{ "code 600", IN("600 x\r\n"), 7, 600, 1, SSP_REPLY_DEV_CODE_RANGE, 1, SSP_REPLY_OK },
		{ "code 099", IN("099 x\r\n"), 7, 99, 1, SSP_REPLY_DEV_CODE_RANGE, 1, SSP_REPLY_OK },
		{ "code 590", IN("590 x\r\n"), 7, 590, 1, SSP_REPLY_DEV_CODE_RANGE, 1, SSP_REPLY_OK },
		{ "code mismatch", IN("250-a\r\n251 b\r\n"), 14, 250, 2, SSP_REPLY_DEV_CODE_MISMATCH, 2, SSP_REPLY_OK },
		{ "code mismatch on line 3", IN("250-a\r\n250-b\r\n550 c\r\n"), 21, 250, 3, SSP_REPLY_DEV_CODE_MISMATCH, 3, SSP_REPLY_OK },
		{ "bad separator", IN("250x\r\n"), 6, 250, 1, SSP_REPLY_DEV_SEPARATOR, 1, SSP_REPLY_OK },
		{ "bad separator with text", IN("250_OK\r\n"), 8, 250, 1, SSP_REPLY_DEV_SEPARATOR, 1, SSP_REPLY_OK },
		{ "bad separator ends a multi-line reply", IN("250-a\r\n250=b\r\n"), 14, 250, 2, SSP_REPLY_DEV_SEPARATOR, 2, SSP_REPLY_OK },
		{ "control byte", IN("250 a\001b\r\n"), 9, 250, 1, SSP_REPLY_DEV_CONTROL, 1, SSP_REPLY_OK },
		{ "NUL byte", IN("250 a\0b\r\n"), 9, 250, 1, SSP_REPLY_DEV_CONTROL, 1, SSP_REPLY_OK },
		{ "DEL byte", IN("250 a\177b\r\n"), 9, 250, 1, SSP_REPLY_DEV_CONTROL, 1, SSP_REPLY_OK },
		{ "ESC on line 2", IN("220-a\r\n220 \033[1m\r\n"), 17, 220, 2, SSP_REPLY_DEV_CONTROL, 2, SSP_REPLY_OK },
		{ "8-bit bytes", IN("250 caf\303\251\r\n"), 11, 250, 1, SSP_REPLY_DEV_8BIT, 1, SSP_REPLY_OK },
		{ "0xff byte", IN("550-a\r\n550 \377\r\n"), 14, 550, 2, SSP_REPLY_DEV_8BIT, 2, SSP_REPLY_OK },
		{ "several flags, first line kept", IN("250-a\n251 b\001\r\n"), 14, 250, 2,
		  SSP_REPLY_DEV_BARE_LF | SSP_REPLY_DEV_CODE_MISMATCH | SSP_REPLY_DEV_CONTROL, 1, SSP_REPLY_OK },
		{ "SP and no text", IN("250 \r\n"), 6, 250, 1, SSP_REPLY_DEV_EMPTY_TEXT, 1, SSP_REPLY_OK },
		{ "SP and no text on the final line", IN("250-a\r\n250 \r\n"), 13, 250, 2, SSP_REPLY_DEV_EMPTY_TEXT, 2, SSP_REPLY_OK },
		{ "SP and a space is text", IN("250  \r\n"), 7, 250, 1, 0, 0, SSP_REPLY_OK },
		{ "range and separator", IN("199x\r\n"), 6, 199, 1,
		  SSP_REPLY_DEV_CODE_RANGE | SSP_REPLY_DEV_SEPARATOR, 1, SSP_REPLY_OK },
		{ "long line on 2", NULL, 0, 0, 250, 2, SSP_REPLY_DEV_LONG_LINE, 2, SSP_REPLY_OK },
		{ "longest line below the hard cap", NULL, 0, 0, 250, 1, SSP_REPLY_DEV_LONG_LINE, 1, SSP_REPLY_OK },
	};
	rcase_t c[NCASES(cases)];
	char *l513 = malloc(7 + 513), *lhard = malloc(SSP_REPLY_LINE_HARD_MAX);

	CU_ASSERT_FATAL(l513 != NULL && lhard != NULL);
	memcpy(c, cases, sizeof(cases));
	/* "250-a" CRLF, then a 513-octet final line */
	memcpy(l513, "250-a\r\n250 ", 11);
	memset(l513 + 11, 'b', 7 + 513 - 11 - 2);
	memcpy(l513 + 7 + 513 - 2, "\r\n", 2);
	c[NCASES(c) - 2].in = l513;
	c[NCASES(c) - 2].len = 7 + 513;
	c[NCASES(c) - 2].rc = 7 + 513;
	/* exactly SSP_REPLY_LINE_HARD_MAX bytes, LF included: still a reply */
	memset(lhard, 'c', SSP_REPLY_LINE_HARD_MAX);
	memcpy(lhard, "250 ", 4);
	memcpy(lhard + SSP_REPLY_LINE_HARD_MAX - 2, "\r\n", 2);
	c[NCASES(c) - 1].in = lhard;
	c[NCASES(c) - 1].len = SSP_REPLY_LINE_HARD_MAX;
	c[NCASES(c) - 1].rc = SSP_REPLY_LINE_HARD_MAX;
	run_cases(c, NCASES(c));
	free(l513);
	free(lhard);
}

/* ---- fatal errors ---- */

/* make_lines - count lines "CCC-" + fill + CRLF of linelen bytes each, then tail. */
static char *make_lines(unsigned count, size_t linelen, const char *tail, size_t *len)
{
	size_t tl = strlen(tail), i;
	char *p = malloc(count * linelen + tl);

	if (p == NULL)
		abort();
	for (i = 0; i < count; i++) {
		char *l = p + i * linelen;
		memset(l, 'a', linelen);
		memcpy(l, "250-", 4);
		memcpy(l + linelen - 2, "\r\n", 2);
	}
	memcpy(p + count * linelen, tail, tl);
	*len = count * linelen + tl;
	return p;
}

static void test_fatal(void)
{
	static const rcase_t cases[] = {
		{ "no code", IN("ab1\r\n"), SSP_REPLY_MALFORMED, 0, 0, 0, 0, SSP_REPLY_ERR_NO_CODE },
		{ "short line", IN("25\r\n"), SSP_REPLY_MALFORMED, 0, 0, 0, 0, SSP_REPLY_ERR_NO_CODE },
		{ "empty line", IN("\r\n"), SSP_REPLY_MALFORMED, 0, 0, 0, 0, SSP_REPLY_ERR_NO_CODE },
		{ "lone LF", IN("\n"), SSP_REPLY_MALFORMED, 0, 0, 0, 0, SSP_REPLY_ERR_NO_CODE },
		{ "two digits and text", IN("25 OK\r\n"), SSP_REPLY_MALFORMED, 0, 0, 0, 0, SSP_REPLY_ERR_NO_CODE },
		{ "letters after a good line", IN("250-a\r\nxyz\r\n"), SSP_REPLY_MALFORMED, 0, 0, 0, 0, SSP_REPLY_ERR_NO_CODE },
		{ "HTTP response", IN("HTTP/1.1 400 Bad Request\r\n"), SSP_REPLY_MALFORMED, 0, 0, 0, 0, SSP_REPLY_ERR_NO_CODE },
	};
	rcase_t big[7];
	char *toolong_nolf, *toolong_lf, *nearly, *lines_ok, *lines_over, *bytes_ok, *bytes_over, *bytes_partial;
	size_t n_ok, n_over, nb_ok, nb_over, nb_partial;

	run_cases(cases, NCASES(cases));

	memset(big, 0, sizeof(big));
	/* SSP_REPLY_LINE_HARD_MAX bytes and still no LF: malformed */
	toolong_nolf = malloc(SSP_REPLY_LINE_HARD_MAX);
	memset(toolong_nolf, 'a', SSP_REPLY_LINE_HARD_MAX);
	memcpy(toolong_nolf, "250 ", 4);
	big[0] = (rcase_t){ "line at the hard cap without LF", toolong_nolf, SSP_REPLY_LINE_HARD_MAX,
			    SSP_REPLY_MALFORMED, 0, 0, 0, 0, SSP_REPLY_ERR_LINE_TOO_LONG };
	/* one byte less: still partial */
	nearly = tests_dup_end(toolong_nolf, SSP_REPLY_LINE_HARD_MAX - 1);
	big[1] = (rcase_t){ "line one below the hard cap without LF", nearly, SSP_REPLY_LINE_HARD_MAX - 1,
			    SSP_REPLY_PARTIAL, 0, 0, 0, 0, SSP_REPLY_OK };
	/* a complete line one byte over the cap */
	toolong_lf = malloc(SSP_REPLY_LINE_HARD_MAX + 1);
	memset(toolong_lf, 'a', SSP_REPLY_LINE_HARD_MAX + 1);
	memcpy(toolong_lf, "250 ", 4);
	memcpy(toolong_lf + SSP_REPLY_LINE_HARD_MAX - 1, "\r\n", 2);
	big[2] = (rcase_t){ "complete line over the hard cap", toolong_lf, SSP_REPLY_LINE_HARD_MAX + 1,
			    SSP_REPLY_MALFORMED, 0, 0, 0, 0, SSP_REPLY_ERR_LINE_TOO_LONG };
	/* SSP_REPLY_LINES_HARD_MAX lines in all: accepted */
	lines_ok = make_lines(SSP_REPLY_LINES_HARD_MAX - 1, 7, "250 z\r\n", &n_ok);
	big[3] = (rcase_t){ "lines at the hard cap", lines_ok, n_ok, (ssize_t)n_ok, 250,
			    SSP_REPLY_LINES_HARD_MAX, 0, 0, SSP_REPLY_OK };
	/* one line more: malformed, before the final line even arrives */
	lines_over = make_lines(SSP_REPLY_LINES_HARD_MAX, 7, "250 z\r\n", &n_over);
	big[4] = (rcase_t){ "lines over the hard cap", lines_over, n_over, SSP_REPLY_MALFORMED,
			    0, 0, 0, 0, SSP_REPLY_ERR_TOO_MANY_LINES };
	run_cases(big, 5);

	/* bytes: 511 x 512-octet lines + a 512-octet final line = the cap exactly */
	{
		char final[513];
		memset(final, 'f', 512);
		memcpy(final, "250 ", 4);
		memcpy(final + 510, "\r\n", 3);
		bytes_ok = make_lines(511, 512, final, &nb_ok);
	}
	CU_ASSERT_EQUAL(nb_ok, SSP_REPLY_BYTES_HARD_MAX);
	big[0] = (rcase_t){ "reply of the byte cap", bytes_ok, nb_ok, (ssize_t)nb_ok, 250, 512, 0, 0,
			    SSP_REPLY_OK };
	bytes_over = make_lines(512, 512, "250 z\r\n", &nb_over);
	big[1] = (rcase_t){ "reply over the byte cap", bytes_over, nb_over, SSP_REPLY_MALFORMED,
			    0, 0, 0, 0, SSP_REPLY_ERR_TOO_BIG };
	/* the cap reached inside a line that has no LF yet */
	{
		char tail[700];
		memset(tail, 't', sizeof(tail) - 1);
		memcpy(tail, "250 ", 4);
		tail[sizeof(tail) - 1] = '\0';
		bytes_partial = make_lines(511, 512, tail, &nb_partial);
	}
	big[2] = (rcase_t){ "byte cap inside an unfinished line", bytes_partial, nb_partial,
			    SSP_REPLY_MALFORMED, 0, 0, 0, 0, SSP_REPLY_ERR_TOO_BIG };
	run_cases(big, 3);

	free(toolong_nolf);
	free(nearly);
	free(toolong_lf);
	free(lines_ok);
	free(lines_over);
	free(bytes_ok);
	free(bytes_over);
	free(bytes_partial);
}

/* A reply must be parseable again after reset (no state left behind). */
static void test_reset_reuse(void)
{
	ssp_reply_t r;
	char *a = tests_dup_end(IN("199-a\n250 b\r\n")), *b = tests_dup_end(IN("221 bye\r\n"));

	ssp_reply_reset(&r);
	CU_ASSERT_EQUAL(ssp_reply_parse(&r, a, 13), 13);
	CU_ASSERT_NOT_EQUAL(r.dev, 0);
	ssp_reply_reset(&r);
	CU_ASSERT_EQUAL(ssp_reply_parse(&r, b, 9), 9);
	CU_ASSERT_EQUAL(r.code, 221);
	CU_ASSERT_EQUAL(r.dev, 0);
	CU_ASSERT_EQUAL(r.dev_line, 0);
	CU_ASSERT_EQUAL(r.nlines, 1);
	CU_ASSERT_EQUAL(r.error, SSP_REPLY_OK);
	free(a);
	free(b);
}

static void test_names(void)
{
	unsigned f;

	for (f = 0; f < SSP_REPLY_DEV_COUNT; f++)
		CHECKF(strcmp(ssp_reply_dev_name(1u << f), "unknown deviation") != 0,
		       "flag 0x%x has no name", 1u << f);
	CU_ASSERT_STRING_EQUAL(ssp_reply_dev_name(1u << SSP_REPLY_DEV_COUNT), "unknown deviation");
	CU_ASSERT_PTR_NOT_NULL(strstr(ssp_reply_error_name(SSP_REPLY_ERR_LINE_TOO_LONG), "8192"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ssp_reply_error_name(SSP_REPLY_ERR_TOO_MANY_LINES), "1000"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ssp_reply_error_name(SSP_REPLY_ERR_TOO_BIG), "262144"));
	CU_ASSERT_STRING_EQUAL(ssp_reply_error_name(SSP_REPLY_OK), "no error");
}

/* test_sections - the deviation table names the RFC 5321 section of each rule. */
static void test_sections(void)
{
	CU_ASSERT_STRING_EQUAL(ssp_reply_dev_section(SSP_REPLY_DEV_LONG_LINE), "§4.5.3.1.5");
	CU_ASSERT_STRING_EQUAL(ssp_reply_dev_section(SSP_REPLY_DEV_CODE_MISMATCH), "§4.2");
}

/* ---- iterating the lines of a reply ---- */

static void test_next_line(void)
{
	static const char in[] = "250-first line\r\n250-\r\n250-x\n250\r\n250 last";
	char *b = tests_dup_end(in, sizeof(in) - 1);
	const char *t;
	size_t pos = 0, tl;

	CU_ASSERT_EQUAL_FATAL(ssp_reply_next_line(b, sizeof(in) - 1, &pos, &t, &tl), 1);
	CU_ASSERT_EQUAL(tl, 10);
	CU_ASSERT_NSTRING_EQUAL(t, "first line", 10);
	CU_ASSERT_EQUAL(pos, 16);
	CU_ASSERT_EQUAL_FATAL(ssp_reply_next_line(b, sizeof(in) - 1, &pos, &t, &tl), 1);
	CU_ASSERT_EQUAL(tl, 0);          /* "250-" */
	CU_ASSERT_EQUAL_FATAL(ssp_reply_next_line(b, sizeof(in) - 1, &pos, &t, &tl), 1);
	CU_ASSERT_EQUAL(tl, 1);          /* bare LF line */
	CU_ASSERT_NSTRING_EQUAL(t, "x", 1);
	CU_ASSERT_EQUAL_FATAL(ssp_reply_next_line(b, sizeof(in) - 1, &pos, &t, &tl), 1);
	CU_ASSERT_EQUAL(tl, 0);          /* "250" with no separator */
	CU_ASSERT_EQUAL_FATAL(ssp_reply_next_line(b, sizeof(in) - 1, &pos, &t, &tl), 1);
	CU_ASSERT_EQUAL(tl, 4);          /* last line without a line end */
	CU_ASSERT_NSTRING_EQUAL(t, "last", 4);
	CU_ASSERT_EQUAL(pos, sizeof(in) - 1);
	CU_ASSERT_EQUAL(ssp_reply_next_line(b, sizeof(in) - 1, &pos, &t, &tl), 0);
	CU_ASSERT_EQUAL(ssp_reply_next_line(b, sizeof(in) - 1, &pos, &t, &tl), 0);
	free(b);

	/* a single line; an empty buffer has none */
	b = tests_dup_end(IN("354 go ahead\r\n"));
	pos = 0;
	CU_ASSERT_EQUAL(ssp_reply_next_line(b, 14, &pos, &t, &tl), 1);
	CU_ASSERT_EQUAL(tl, 8);
	CU_ASSERT_NSTRING_EQUAL(t, "go ahead", 8);
	CU_ASSERT_EQUAL(ssp_reply_next_line(b, 14, &pos, &t, &tl), 0);
	pos = 0;
	CU_ASSERT_EQUAL(ssp_reply_next_line(b, 0, &pos, &t, &tl), 0);
	free(b);
}

/* ---- RFC 3463 enhanced status codes ---- */

/* enh - run ssp_reply_enhanced on an exact-size copy of s. */
static size_t enh(const char *s, int *c, int *su, int *d)
{
	size_t n = strlen(s), rc;
	char *b = tests_dup_end(s, n);

	*c = *su = *d = -7;
	rc = ssp_reply_enhanced(b, n, c, su, d);
	free(b);
	return rc;
}

static void test_enhanced(void)
{
	static const struct {
		const char *text;
		size_t rc;
		int c, s, d;
	} ok[] = {
		{ "2.1.5 Sender ok", 5, 2, 1, 5 },
		{ "5.7.1", 5, 5, 7, 1 },
		{ "4.123.456 try later", 9, 4, 123, 456 },
		{ "2.0.0 ", 5, 2, 0, 0 },
		{ "5.1.10", 6, 5, 1, 10 },
	};
	static const char *const bad[] = {
		"2.1", "3.1.1", "2.1000.1", "2.1.5x", "2.1.1000", "22.1.1", "", "2", "2.", "2.1.",
		".1.1", "2..1", "2.1.5.", "6.1.1", "1.1.1", "a.b.c", "2.1.5\t", "Ok 2.1.5",
	};
	size_t i;
	int c, s, d;

	for (i = 0; i < NCASES(ok); i++) {
		size_t rc = enh(ok[i].text, &c, &s, &d);
		CHECKF(rc == ok[i].rc, "\"%s\": length %zu, expected %zu", ok[i].text, rc, ok[i].rc);
		CHECKF(c == ok[i].c && s == ok[i].s && d == ok[i].d, "\"%s\": parts %d.%d.%d",
		       ok[i].text, c, s, d);
	}
	for (i = 0; i < NCASES(bad); i++) {
		size_t rc = enh(bad[i], &c, &s, &d);
		CHECKF(rc == 0, "\"%s\": accepted with length %zu", bad[i], rc);
		CHECKF(c == -7 && s == -7 && d == -7, "\"%s\": parts written on failure", bad[i]);
	}
	/* the length bounds the text: "2.1.5" cut to "2.1" is not a code */
	{
		char *b = tests_dup_end("2.1.5", 5);
		CU_ASSERT_EQUAL(ssp_reply_enhanced(b, 3, &c, &s, &d), 0);
		CU_ASSERT_EQUAL(ssp_reply_enhanced(b, 5, &c, &s, &d), 5);
		free(b);
	}
}

/* ---- EHLO keywords ---- */

static int kw(const char *reply, const char *keyword)
{
	size_t n = strlen(reply);
	char *b = tests_dup_end(reply, n);
	int rc = ssp_reply_has_keyword(b, n, keyword);

	free(b);
	return rc;
}

static void test_has_keyword(void)
{
	static const char ehlo[] =
		"250-mx.example.org greets SIZEWISE\r\n"
		"250-size 1000\r\n"
		"250-8BITMIME\r\n"
		"250-PIPELINING\r\n"
		"250-SIZEX\r\n"
		"250-AUTH PLAIN LOGIN\r\n"
		"250 STARTTLS\r\n";

	CU_ASSERT_EQUAL(kw(ehlo, "SIZE"), 1);        /* "size 1000": case, parameter */
	CU_ASSERT_EQUAL(kw(ehlo, "8BITMIME"), 1);
	CU_ASSERT_EQUAL(kw(ehlo, "PIPELINING"), 1);
	CU_ASSERT_EQUAL(kw(ehlo, "STARTTLS"), 1);    /* the last line */
	CU_ASSERT_EQUAL(kw(ehlo, "AUTH"), 1);
	CU_ASSERT_EQUAL(kw(ehlo, "PLAIN"), 0);       /* a parameter, not a keyword */
	CU_ASSERT_EQUAL(kw(ehlo, "SIZEX"), 1);
	CU_ASSERT_EQUAL(kw(ehlo, "PIPE"), 0);        /* a prefix of a keyword */
	CU_ASSERT_EQUAL(kw(ehlo, "SMTPUTF8"), 0);
	CU_ASSERT_EQUAL(kw(ehlo, "MX.EXAMPLE.ORG"), 0); /* the first line is the greeting */
	CU_ASSERT_EQUAL(kw(ehlo, "SIZEWISE"), 0);

	/* "SIZEX" advertised does not mean "SIZE" */
	CU_ASSERT_EQUAL(kw("250-mx\r\n250 SIZEX\r\n", "SIZE"), 0);
	CU_ASSERT_EQUAL(kw("250-mx\r\n250 SIZE\r\n", "SIZE"), 1);
	CU_ASSERT_EQUAL(kw("250-mx\r\n250 Size 52428800\r\n", "SIZE"), 1);
	/* a one-line reply advertises nothing, even if it looks like a keyword */
	CU_ASSERT_EQUAL(kw("250 SIZE\r\n", "SIZE"), 0);
	CU_ASSERT_EQUAL(kw("250-SIZE\r\n250 HELP\r\n", "SIZE"), 0);
	/* bare LF endings still separate lines */
	CU_ASSERT_EQUAL(kw("250-mx\n250 DSN\n", "DSN"), 1);
	/* compared without case on both sides (reply.h) */
	CU_ASSERT_EQUAL(kw("250-mx\r\n250 PIPELINING\r\n", "pipelining"), 1);
}

void register_reply_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "valid replies, every split", test_valid },
		{ "partial replies", test_partial },
		{ "deviation flags and dev_line", test_deviations },
		{ "fatal errors and hard caps", test_fatal },
		{ "reset between replies", test_reset_reuse },
		{ "deviation and error names", test_names },
		{ "deviation sections", test_sections },
		{ "ssp_reply_next_line", test_next_line },
		{ "ssp_reply_enhanced", test_enhanced },
		{ "ssp_reply_has_keyword", test_has_keyword },
		{ NULL, NULL },
	};

	tests_add_suite("reply", tests);
}
