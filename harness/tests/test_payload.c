/*
 * test_payload.c - what a step sends (payload.h) and where a session is
 * (position.h): dot-stuffing, DATA endings, QUIT detection, command lines
 * of a pipeline, labels.
 */
#include "tests.h"

#include "../payload.h"
#include "../position.h"

#include <string.h>

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

static void test_dot_stuff(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" },
		{ ".", ".." },
		{ "a\r\n.b\r\n", "a\r\n..b\r\n" },
		{ ".a\r\n..b\r\nc.\r\n", "..a\r\n...b\r\nc.\r\n" },
		{ "a\n.b", "a\n.b" }, /* only after CRLF: a bare LF starts no line */
		{ "a\r.b", "a\r.b" },
	};
	size_t i;

	for (i = 0; i < NCASES(cases); i++) {
		ssp_buf_t in, out;
		ssp_buf_init(&in, 1024);
		ssp_buf_init(&out, 1024);
		ssp_buf_append(&in, cases[i].in, strlen(cases[i].in));
		CU_ASSERT_EQUAL(ssp_payload_dot_stuff(&in, &out), 0);
		CHECKF(out.len == strlen(cases[i].out) && memcmp(out.data ? out.data : "", cases[i].out, out.len) == 0,
		       "case %zu: got %zu bytes", i, out.len);
		ssp_buf_free(&in);
		ssp_buf_free(&out);
	}
}

static void test_build_data(void)
{
	static const struct {
		const char *content;
		int stuff;
		const char *wire;
	} cases[] = {
		{ "Subject: x\r\n\r\nbody\r\n", 1, "Subject: x\r\n\r\nbody\r\n.\r\n" },
		{ "no final CRLF", 1, "no final CRLF\r\n.\r\n" },
		{ ".leading dot\r\n", 1, "..leading dot\r\n.\r\n" },
		{ ".leading dot\r\n", 0, ".leading dot\r\n.\r\n" },
		{ "", 1, ".\r\n" },
		{ "from ${client}\r\n", 1, "from c.test\r\n.\r\n" },
	};
	ssp_vars_t vars;
	size_t i;

	ssp_vars_init(&vars, NULL);
	ssp_vars_set(&vars, "client", "c.test", 6);
	for (i = 0; i < NCASES(cases); i++) {
		char payload[128];
		ssp_step_t st;
		ssp_buf_t out;
		ssp_vars_err_t err;

		memset(&st, 0, sizeof(st));
		snprintf(payload, sizeof(payload), "%s", cases[i].content);
		st.send = SSP_SEND_DATA;
		st.payload = payload;
		st.payload_len = strlen(payload);
		st.dot_stuff = cases[i].stuff;
		ssp_buf_init(&out, 1024);
		CU_ASSERT_EQUAL(ssp_payload_build(&vars, &st, &out, &err), 0);
		CHECKF(out.len == strlen(cases[i].wire) && memcmp(out.data, cases[i].wire, out.len) == 0,
		       "case %zu: got \"%.*s\"", i, (int)out.len, out.data ? out.data : "");
		ssp_buf_free(&out);
	}
	ssp_vars_free(&vars);
}

static void test_sends_quit(void)
{
	CU_ASSERT_EQUAL(ssp_payload_sends_quit("QUIT\r\n", 6), 1);
	CU_ASSERT_EQUAL(ssp_payload_sends_quit("quit\r\n", 6), 1);
	CU_ASSERT_EQUAL(ssp_payload_sends_quit("QUIT", 4), 1);
	CU_ASSERT_EQUAL(ssp_payload_sends_quit("QUIT x\r\n", 8), 1);
	CU_ASSERT_EQUAL(ssp_payload_sends_quit("NOOP\r\nQUIT\r\n", 12), 1);
	CU_ASSERT_EQUAL(ssp_payload_sends_quit("QUITE\r\n", 7), 0);
	CU_ASSERT_EQUAL(ssp_payload_sends_quit("NOOP QUIT\r\n", 11), 0);
	CU_ASSERT_EQUAL(ssp_payload_sends_quit("QUI", 3), 0);
	CU_ASSERT_EQUAL(ssp_payload_sends_quit("", 0), 0);
}

static void test_line(void)
{
	static const char p[] = "MAIL FROM:<a>\r\nRCPT TO:<b>\r\nDATA\r\n";
	const char *line;
	size_t n;

	CU_ASSERT_EQUAL(ssp_payload_line(p, sizeof(p) - 1, 0, 1, &line, &n), 0);
	CU_ASSERT(n == 13 && memcmp(line, "MAIL FROM:<a>", n) == 0);
	CU_ASSERT_EQUAL(ssp_payload_line(p, sizeof(p) - 1, 2, 1, &line, &n), 0);
	CU_ASSERT(n == 4 && memcmp(line, "DATA", n) == 0);
	/* past the last line: unknown when strict, else the last line */
	CU_ASSERT_EQUAL(ssp_payload_line(p, sizeof(p) - 1, 3, 1, &line, &n), -1);
	CU_ASSERT_EQUAL(ssp_payload_line(p, sizeof(p) - 1, 3, 0, &line, &n), 0);
	CU_ASSERT(n == 4 && memcmp(line, "DATA", n) == 0);
	/* a bare LF line end; no line end at all */
	CU_ASSERT_EQUAL(ssp_payload_line("RSET\nNOOP", 9, 0, 1, &line, &n), 0);
	CU_ASSERT(n == 4 && memcmp(line, "RSET", n) == 0);
	CU_ASSERT_EQUAL(ssp_payload_line("NOOP", 4, 0, 1, &line, &n), 0);
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_EQUAL(ssp_payload_line(NULL, 0, 0, 0, &line, &n), -1);
}

static void test_position(void)
{
	static char mail[] = "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n";
	static const char sent[] = "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n";
	ssp_expect_t ex[2];
	ssp_step_t steps[1];
	ssp_vector_t v;
	ssp_position_t p;
	ssp_answers_t what;
	const char *line;
	size_t n;
	char label[160];

	memset(&v, 0, sizeof(v));
	memset(steps, 0, sizeof(steps));
	memset(ex, 0, sizeof(ex));
	steps[0].send = SSP_SEND_PIPELINE;
	steps[0].payload = mail;
	steps[0].payload_len = sizeof(mail) - 1;
	steps[0].ncommands = 2;
	steps[0].expect = ex;
	steps[0].nexpect = 2;
	steps[0].repeat = 1;
	v.prelude = SSP_PRELUDE_EHLO;
	v.steps = steps;
	v.nsteps = 1;
	ssp_position_init(&p, &v);
	CU_ASSERT_EQUAL(p.npre, 2);
	/* the prelude: greeting, then EHLO */
	CU_ASSERT_EQUAL(ssp_position_answers(&p, NULL, 0, 1, &what, &line, &n), 0);
	CU_ASSERT_EQUAL(what, SSP_ANSWERS_GREETING);
	ssp_position_label(&p, NULL, 0, label, sizeof(label));
	CU_ASSERT_STRING_EQUAL(label, "prelude (greeting)");
	CU_ASSERT_EQUAL(ssp_position_number(&p), 0);
	p.step = 1;
	CU_ASSERT(ssp_position_is_ehlo(&p));
	CU_ASSERT_PTR_NOT_NULL(ssp_position_step(&p));
	CU_ASSERT(ssp_position_step(&p)->setup);
	ssp_position_label(&p, "EHLO x.test\r\n", 13, label, sizeof(label));
	CU_ASSERT_STRING_EQUAL(label, "prelude (EHLO x.test)");
	/* the vector's step 1: the second expectation answers the second command */
	p.step = 2;
	p.exp = 1;
	CU_ASSERT_EQUAL(ssp_position_number(&p), 1);
	CU_ASSERT_EQUAL(ssp_position_answers(&p, sent, sizeof(sent) - 1, 1, &what, &line, &n), 0);
	CU_ASSERT(what == SSP_ANSWERS_COMMAND && n == 13 && memcmp(line, "RCPT TO:<c@d>", n) == 0);
	ssp_position_label(&p, sent, sizeof(sent) - 1, label, sizeof(label));
	CU_ASSERT_STRING_EQUAL(label, "step 1 (RCPT TO:<c@d>)");
	/* past the last step */
	p.step = 3;
	CU_ASSERT_PTR_NULL(ssp_position_step(&p));
	ssp_position_label(&p, sent, sizeof(sent) - 1, label, sizeof(label));
	CU_ASSERT_STRING_EQUAL(label, "after the last step");
	/* the probe is constant data: greeting, EHLO, QUIT */
	CU_ASSERT_EQUAL(ssp_position_probe_vector()->nsteps, 3);
	CU_ASSERT_EQUAL(ssp_position_probe_vector()->prelude, SSP_PRELUDE_NONE);
}

void register_payload_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "dot-stuffing", test_dot_stuff },
		{ "DATA content on the wire", test_build_data },
		{ "QUIT among the lines sent", test_sends_quit },
		{ "the lines of what was sent", test_line },
		{ "positions and labels", test_position },
		{ NULL, NULL },
	};

	tests_add_suite("payload", tests);
}
