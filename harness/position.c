/*
 * position.c - a session's position in its vector, and the built-in steps.
 */
#include "position.h"

#include "expect.h"
#include "payload.h"

#include <stdio.h>

/* ---- the prelude and the probe, as constant data ------------------------ */

static char ehlo_line[] = "EHLO ${client}\r\n";
static char helo_line[] = "HELO ${client}\r\n";
static char quit_line[] = "QUIT\r\n";
static char starttls_line[] = "STARTTLS\r\n";

static ssp_expect_t expect_220 = { .pass = { .n = 1, .r = { { 220, 220 } } } };
static ssp_expect_t expect_250 = { .pass = { .n = 1, .r = { { 250, 250 } } } };
static ssp_expect_t expect_any = { .any_code = 1 };

#define STEP_EXPECT(e) .expect = (e), .nexpect = 1, .repeat = 1
#define STEP_LINE(l) .send = SSP_SEND_LINE, .payload = (l), .payload_len = sizeof(l) - 1, .ncommands = 1

/* Indexed by ssp_prelude_t: greeting, then EHLO or HELO; all setup steps. */
static const ssp_step_t prelude_steps[][2] = {
	[SSP_PRELUDE_EHLO] = { { STEP_EXPECT(&expect_220), .setup = 1 },
			       { STEP_LINE(ehlo_line), STEP_EXPECT(&expect_250), .setup = 1 } },
	[SSP_PRELUDE_HELO] = { { STEP_EXPECT(&expect_220), .setup = 1 },
			       { STEP_LINE(helo_line), STEP_EXPECT(&expect_250), .setup = 1 } },
	[SSP_PRELUDE_GREETING] = { { STEP_EXPECT(&expect_220), .setup = 1 } },
};
static const unsigned prelude_count[] = {
	[SSP_PRELUDE_EHLO] = 2, [SSP_PRELUDE_HELO] = 2, [SSP_PRELUDE_GREETING] = 1,
	[SSP_PRELUDE_NONE] = 0,
};

/* With --starttls (RFC 3207): greeting, EHLO, STARTTLS and its handshake,
 * then the hello of the vector's own prelude inside TLS. */
#define STEP_STARTTLS STEP_LINE(starttls_line), STEP_EXPECT(&expect_220), .setup = 1, .starttls = 1
static const ssp_step_t prelude_tls_steps[][4] = {
	[SSP_PRELUDE_EHLO] = { { STEP_EXPECT(&expect_220), .setup = 1 },
			       { STEP_LINE(ehlo_line), STEP_EXPECT(&expect_250), .setup = 1 },
			       { STEP_STARTTLS },
			       { STEP_LINE(ehlo_line), STEP_EXPECT(&expect_250), .setup = 1 } },
	[SSP_PRELUDE_HELO] = { { STEP_EXPECT(&expect_220), .setup = 1 },
			       { STEP_LINE(ehlo_line), STEP_EXPECT(&expect_250), .setup = 1 },
			       { STEP_STARTTLS },
			       { STEP_LINE(helo_line), STEP_EXPECT(&expect_250), .setup = 1 } },
	[SSP_PRELUDE_GREETING] = { { STEP_EXPECT(&expect_220), .setup = 1 },
				   { STEP_LINE(ehlo_line), STEP_EXPECT(&expect_250), .setup = 1 },
				   { STEP_STARTTLS } },
};
static const unsigned prelude_tls_count[] = {
	[SSP_PRELUDE_EHLO] = 4, [SSP_PRELUDE_HELO] = 4, [SSP_PRELUDE_GREETING] = 3,
	[SSP_PRELUDE_NONE] = 0,
};

static ssp_step_t probe_steps[] = {
	{ STEP_EXPECT(&expect_any) },
	{ STEP_LINE(ehlo_line), STEP_EXPECT(&expect_any) },
	{ STEP_LINE(quit_line), STEP_EXPECT(&expect_any) },
};
static char probe_id[] = "smtpspec/probe", probe_title[] = "probe: greeting and EHLO";
static char probe_empty[] = "";
static const ssp_vector_t probe_vector = {
	.id = probe_id, .title = probe_title, .section = probe_empty, .quote = probe_empty,
	.prelude = SSP_PRELUDE_NONE, .steps = probe_steps, .nsteps = 3,
};

const ssp_vector_t *ssp_position_probe_vector(void)
{
	return &probe_vector;
}

const ssp_expect_t *ssp_position_hello_expect(void)
{
	return &expect_250;
}

/* ---- the position -------------------------------------------------------- */

void ssp_position_init(ssp_position_t *p, const ssp_vector_t *v)
{
	p->v = v;
	p->npre = prelude_count[v->prelude];
	p->tls = 0;
	p->step = p->rep = p->exp = 0;
}

void ssp_position_starttls(ssp_position_t *p)
{
	p->tls = 1;
	p->npre = prelude_tls_count[p->v->prelude];
}

const ssp_step_t *ssp_position_step(const ssp_position_t *p)
{
	if (p->step < p->npre)
		return p->tls ? &prelude_tls_steps[p->v->prelude][p->step]
			      : &prelude_steps[p->v->prelude][p->step];
	if (p->step - p->npre < p->v->nsteps)
		return &p->v->steps[p->step - p->npre];
	return NULL;
}

unsigned ssp_position_number(const ssp_position_t *p)
{
	return p->step >= p->npre ? p->step - p->npre + 1 : 0;
}

int ssp_position_is_ehlo(const ssp_position_t *p)
{
	return p->v->prelude == SSP_PRELUDE_EHLO && p->step == (p->tls ? 3u : 1u);
}

int ssp_position_answers(const ssp_position_t *p, const char *sent, size_t len, int strict,
			 ssp_answers_t *what, const char **line, size_t *n)
{
	const ssp_step_t *st = ssp_position_step(p);
	size_t idx = 0;

	*line = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	if (st->send == SSP_SEND_NONE) {
		if (p->step == 0) {
			*what = SSP_ANSWERS_GREETING;
			return 0;
		}
		return -1;
	}
	if (st->send == SSP_SEND_DATA) {
		*what = SSP_ANSWERS_DATA_END;
		return 0;
	}
	if (st->send == SSP_SEND_PIPELINE)
		idx = p->exp;
	else if (p->exp > 0 && strict)
		return -1;
	*what = SSP_ANSWERS_COMMAND;
	return ssp_payload_line(sent, len, idx, strict, line, n);
}

void ssp_position_label(const ssp_position_t *p, const char *sent, size_t len, char *out,
			size_t size)
{
	const ssp_step_t *st = ssp_position_step(p);
	ssp_answers_t what;
	const char *line;
	size_t n;
	char text[SSP_QUOTE_COMMAND_BYTES + 36];

	if (st == NULL) {
		snprintf(out, size, "after the last step");
		return;
	}
	if (ssp_position_answers(p, sent, len, 0, &what, &line, &n) != 0)
		snprintf(text, sizeof(text), "no command sent");
	else if (what == SSP_ANSWERS_GREETING)
		snprintf(text, sizeof(text), "greeting");
	else if (what == SSP_ANSWERS_DATA_END)
		snprintf(text, sizeof(text), "end of message content");
	else
		ssp_expect_excerpt(text, sizeof(text), line, n, SSP_QUOTE_COMMAND_BYTES);
	if (p->step < p->npre)
		snprintf(out, size, "prelude (%s)", text);
	else if (st->repeat > 1)
		snprintf(out, size, "step %u, repetition %u (%s)", ssp_position_number(p), p->rep + 1, text);
	else
		snprintf(out, size, "step %u (%s)", ssp_position_number(p), text);
}
