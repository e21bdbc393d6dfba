/*
 * session.c - the session runner: one vector, one connection, one verdict.
 *
 * The runner is a small state machine driven by libuv callbacks.  Its
 * position is (phase, step, repetition, expectation); advance() moves it as
 * far as it can without waiting, and each wait (write, reply, close,
 * silence, pause) has a timer.  The first decisive observation ends the
 * vector; the connection is then closed politely (QUIT) when still open.
 *
 * Judging (RFC 5321 §4.2 for the reply grammar):
 *   expectation met               -> go on
 *   code in the "warn" set        -> remember a warning, go on
 *   code in the "skip" set        -> SKIP (a precondition is missing)
 *   mismatch in a setup step      -> ERROR (the vector could not be judged)
 *   mismatch elsewhere            -> FAIL / WARN / INFO by the vector's level
 *   malformed reply               -> FAIL (no reading of it is possible)
 *   grammar deviation in a reply  -> FAIL at the end (WARN for long lines
 *                                    and 8-bit text), unless already worse
 */
#include "session.h"

#include "buf.h"
#include "conn.h"
#include "escape.h"
#include "limits.h"
#include "reply.h"
#include "replytable.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum {
	WAIT_NONE = 0,
	WAIT_CONNECT,
	WAIT_PAUSE,
	WAIT_WRITE,
	WAIT_REPLY,
	WAIT_CLOSE,
	WAIT_SILENCE,
	WAIT_QUIT,    /* courtesy QUIT sent; waiting for the close */
} wait_t;

enum { PHASE_PRELUDE = 0, PHASE_STEPS, PHASE_DONE };

/* No expectation is current: the step's send comes next. */
#define EXP_SEND ((unsigned)-1)

struct ssp_session_s {
	ssp_conn_t conn;              /* first: a conn pointer is a session pointer */
	uv_timer_t timer;
	const ssp_session_cfg_t *cfg;
	const ssp_vector_t *v;
	ssp_result_t *res;
	ssp_session_done_cb done;
	void *done_arg;
	ssp_vars_t vars;              /* captures; parent: the run's variables */
	ssp_buf_t in;                 /* received, not yet consumed */
	size_t in_recorded;           /* bytes of in already in the transcript */
	ssp_buf_t out;                /* the current step's bytes (kept for labels) */
	ssp_reply_t reply;
	uint64_t t0;
	wait_t wait;
	int phase;
	unsigned step, rep, exp;
	int eof;                      /* 0, UV_EOF or the read error */
	int concluded;
	int timer_open;
	int expected_reply_before;    /* the previous step expected replies */
	int quit_sent;                /* a step sent QUIT: no courtesy QUIT */
	int greeting_refused;         /* 554 or 521 greeting: §3.1 allows 503 to all */
	char finding_fail[SSP_REASON_MAX];
	char finding_warn[SSP_REASON_MAX];
	char warned[SSP_REASON_MAX];  /* a "warn" code was met */
};

static void advance(ssp_session_t *s);
static void conclude(ssp_session_t *s, ssp_verdict_t v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- prelude steps, built once ------------------------------------------ */

static ssp_expect_t greeting_expect, hello_expect;
static ssp_step_t prelude_greeting, prelude_ehlo, prelude_helo;

static void prelude_init(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	ssp_codes_add(&greeting_expect.pass, 220, 220);
	ssp_codes_add(&hello_expect.pass, 250, 250);
	prelude_greeting.expect = &greeting_expect;
	prelude_greeting.nexpect = 1;
	prelude_greeting.repeat = 1;
	prelude_greeting.setup = 1;
	prelude_ehlo.send = SSP_SEND_LINE;
	prelude_ehlo.payload = (char *)"EHLO ${client}\r\n";
	prelude_ehlo.payload_len = strlen(prelude_ehlo.payload);
	prelude_ehlo.ncommands = 1;
	prelude_ehlo.expect = &hello_expect;
	prelude_ehlo.nexpect = 1;
	prelude_ehlo.repeat = 1;
	prelude_ehlo.setup = 1;
	prelude_helo = prelude_ehlo;
	prelude_helo.payload = (char *)"HELO ${client}\r\n";
	prelude_helo.payload_len = strlen(prelude_helo.payload);
}

static unsigned prelude_len(const ssp_vector_t *v)
{
	switch (v->prelude) {
	case SSP_PRELUDE_EHLO:
	case SSP_PRELUDE_HELO: return 2;
	case SSP_PRELUDE_GREETING: return 1;
	case SSP_PRELUDE_NONE: return 0;
	}
	return 0;
}

static const ssp_step_t *current_step(const ssp_session_t *s)
{
	if (s->phase == PHASE_PRELUDE) {
		if (s->step == 0)
			return &prelude_greeting;
		return s->v->prelude == SSP_PRELUDE_HELO ? &prelude_helo : &prelude_ehlo;
	}
	if (s->phase == PHASE_STEPS && s->step < s->v->nsteps)
		return &s->v->steps[s->step];
	return NULL;
}

/* ---- small helpers ------------------------------------------------------- */

static uint32_t now_ms(const ssp_session_t *s)
{
	return (uint32_t)(uv_now(s->cfg->loop) - s->t0);
}

static void note(ssp_session_t *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(ssp_session_t *s, const char *fmt, ...)
{
	char text[SSP_REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ssp_transcript_note(&s->res->transcript, now_ms(s), "%s", text);
}

/* escaped - p[0..n) escaped for a message, cut at max bytes with "...". */
static void escaped(char *out, size_t size, const char *p, size_t n, size_t max)
{
	ssp_buf_t b;
	size_t cut = n > max ? max : n;

	ssp_buf_init(&b, size > 8 ? size - 8 : size);
	ssp_escape_display(&b, p, cut);
	snprintf(out, size, "%.*s%s", (int)b.len, b.data ? b.data : "", cut < n ? "..." : "");
	ssp_buf_free(&b);
}

/*
 * current_command - what the current expectation answers: the greeting, the
 * end of message content, or a command line (*line, *n: the line sent for
 * this expectation, without CRLF).  Returns 0, or -1 when it is unknown
 * (an expectation after a step that sent nothing).  With strict, a later
 * expectation of a one-command step, or one past a pipeline's commands, is
 * unknown too; otherwise it is taken to follow the last line sent.
 */
static int current_command(const ssp_session_t *s, int strict, ssp_answers_t *what,
			   const char **line, size_t *n)
{
	const ssp_step_t *st = current_step(s);
	const char *p = s->out.data, *end;
	size_t len = s->out.len, at = 0, idx = 0;

	*line = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	if (st->send == SSP_SEND_NONE) {
		if (s->phase == PHASE_PRELUDE || (s->step == 0 && s->v->prelude == SSP_PRELUDE_NONE)) {
			*what = SSP_ANSWERS_GREETING;
			return 0;
		}
		return -1;
	}
	if (st->send == SSP_SEND_DATA) {
		*what = SSP_ANSWERS_DATA_END;
		return 0;
	}
	if (p == NULL)
		return -1;
	/* the exp-th line of a pipeline; the first line of anything else */
	if (s->exp != EXP_SEND && s->exp != EXP_SEND - 1) {
		if (st->send == SSP_SEND_PIPELINE)
			idx = s->exp;
		else if (s->exp > 0 && strict)
			return -1;
	}
	while (idx > 0 && at < len) {
		const char *lf = memchr(p + at, '\n', len - at);
		if (lf == NULL || (size_t)(lf - p) + 1 >= len) {
			if (strict)
				return -1;
			break; /* past the last command: the last line */
		}
		at = (size_t)(lf - p) + 1;
		idx--;
	}
	if (at >= len)
		return -1;
	end = memchr(p + at, '\n', len - at);
	*n = end ? (size_t)(end - (p + at)) : len - at;
	if (*n > 0 && p[at + *n - 1] == '\r')
		(*n)--;
	*line = p + at;
	*what = SSP_ANSWERS_COMMAND;
	return 0;
}

/* step_label - "step 3 (RCPT TO:<x@y>)" for the command behind expectation exp. */
static void step_label(const ssp_session_t *s, char *out, size_t size)
{
	const ssp_step_t *st = current_step(s);
	unsigned number = s->phase == PHASE_PRELUDE ? 0 : s->step + 1;
	ssp_answers_t what;
	const char *line;
	size_t n;
	char text[96];

	if (st == NULL) {
		snprintf(out, size, "after the last step");
		return;
	}
	if (current_command(s, 0, &what, &line, &n) != 0)
		snprintf(text, sizeof(text), "no command sent");
	else if (what == SSP_ANSWERS_GREETING)
		snprintf(text, sizeof(text), "greeting");
	else if (what == SSP_ANSWERS_DATA_END)
		snprintf(text, sizeof(text), "end of message content");
	else
		escaped(text, sizeof(text), line, n, 60);
	if (number == 0)
		snprintf(out, size, "prelude (%s)", text);
	else if (st->repeat > 1)
		snprintf(out, size, "step %u, repetition %u (%s)", number, s->rep + 1, text);
	else
		snprintf(out, size, "step %u (%s)", number, text);
}

/* check_table - warn about a code §4.3.2 does not list for the command. */
static void check_table(ssp_session_t *s, int code, const char *got)
{
	ssp_answers_t what;
	const char *line;
	size_t n;
	char label[160], listed[160];

	/* raw bytes may be message content or anything else: what they are
	 * answering is not known, so the table cannot be applied */
	if (current_step(s) != NULL && current_step(s)->send == SSP_SEND_RAW)
		return;
	if (current_command(s, 1, &what, &line, &n) != 0)
		return;
	if (what == SSP_ANSWERS_GREETING && (code == 554 || code == 521))
		s->greeting_refused = 1;
	/* §3.1: after a 554 greeting every command but QUIT gets 503 */
	if (s->finding_warn[0] || (s->greeting_refused && code == 503) ||
	    ssp_replytable_check(what, line, n, code) != 0)
		return;
	step_label(s, label, sizeof(label));
	ssp_replytable_describe(what, line, n, listed, sizeof(listed));
	note(s, "reply code %d is not among the replies RFC 5321 §4.3.2 lists here (%s)", code, listed);
	snprintf(s->finding_warn, sizeof(s->finding_warn),
		 "%s: reply code %d is not among those RFC 5321 §4.3.2 lists for it (%s): %s", label,
		 code, listed, got);
}

/* describe_reply - "503 5.5.1 Error: need MAIL command" (+ line count). */
static void describe_reply(const char *p, size_t len, unsigned nlines, char *out, size_t size)
{
	const char *lf = memchr(p, '\n', len);
	size_t first = lf ? (size_t)(lf - p) : len;

	if (first > 0 && p[first - 1] == '\r')
		first--;
	escaped(out, size, p, first, 160);
	if (nlines > 1) {
		size_t used = strlen(out);
		snprintf(out + used, size - used, " (%u lines)", nlines);
	}
}

/* describe_pending - the first line of what is waiting in s->in, for a message. */
static void describe_pending(const ssp_session_t *s, char *out, size_t size)
{
	if (s->in.len > 0 && memchr(s->in.data, '\n', s->in.len))
		describe_reply(s->in.data, s->in.len, 1, out, size);
	else
		escaped(out, size, s->in.data ? s->in.data : "", s->in.len, 120);
}

/* appendf - append printf-formatted text to the string in out[0..size). */
static void appendf(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void appendf(char *out, size_t size, const char *fmt, ...)
{
	size_t used = strlen(out);
	va_list ap;

	if (used + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(out + used, size - used, fmt, ap);
	va_end(ap);
}

static void describe_expect(const ssp_expect_t *e, char *out, size_t size)
{
	switch (e->kind) {
	case SSP_EXPECT_CLOSE:
		snprintf(out, size, "the server to close the connection");
		return;
	case SSP_EXPECT_SILENCE:
		snprintf(out, size, "no reply within %u ms", e->silence_ms);
		return;
	case SSP_EXPECT_REPLY:
		break;
	}
	if (e->any_code)
		snprintf(out, size, "any reply");
	else
		ssp_codes_describe(&e->pass, out, size);
	if (e->enhanced) {
		char part[3][8];
		int val[3] = { e->enh_class, e->enh_subject, e->enh_detail }, i;

		for (i = 0; i < 3; i++) {
			if (val[i] < 0)
				snprintf(part[i], sizeof(part[i]), "x");
			else
				snprintf(part[i], sizeof(part[i]), "%d", val[i]);
		}
		if (val[0] < 0 && val[1] < 0 && val[2] < 0)
			appendf(out, size, " with an enhanced status code of the same class on every line");
		else
			appendf(out, size, " with an enhanced status code %s.%s.%s", part[0], part[1], part[2]);
	}
	if (e->text_src)
		appendf(out, size, " with text matching /%s/", e->text_src);
	if (e->every_text_src)
		appendf(out, size, " with every line matching /%s/", e->every_text_src);
	if (e->first_line_src)
		appendf(out, size, " with a first line matching /%s/", e->first_line_src);
	if (e->keyword_lines_src)
		appendf(out, size, " with every line after the first matching /%s/", e->keyword_lines_src);
	if (e->not_text_src)
		appendf(out, size, " with no line matching /%s/", e->not_text_src);
	if (e->max_lines)
		appendf(out, size, " in at most %u line%s", e->max_lines, e->max_lines == 1 ? "" : "s");
}

static void set_expected_observed(ssp_session_t *s, const char *expected, const char *observed)
{
	snprintf(s->res->expected, sizeof(s->res->expected), "%s", expected);
	snprintf(s->res->observed, sizeof(s->res->observed), "%s", observed);
	s->res->step = s->phase == PHASE_STEPS ? s->step + 1 : 0;
}

/* ---- transcript of received bytes --------------------------------------- */

/* record_in - record the complete lines of in not yet recorded; with
 * flush, also the partial rest. */
static void record_in(ssp_session_t *s, int flush)
{
	while (s->in_recorded < s->in.len) {
		const char *p = s->in.data + s->in_recorded;
		size_t avail = s->in.len - s->in_recorded;
		const char *lf = memchr(p, '\n', avail);
		size_t n;

		if (lf == NULL && !flush)
			break;
		n = lf ? (size_t)(lf - p) + 1 : avail;
		ssp_transcript_add(&s->res->transcript, SSP_TR_SERVER, now_ms(s), p, n, lf == NULL);
		s->in_recorded += n;
	}
}

static void consume_in(ssp_session_t *s, size_t n)
{
	ssp_buf_consume(&s->in, n);
	s->in_recorded = s->in_recorded > n ? s->in_recorded - n : 0;
}

/* ---- ending ------------------------------------------------------------- */

static void on_closed(ssp_conn_t *c)
{
	ssp_session_t *s = (ssp_session_t *)c;

	if (s->timer_open)
		return; /* the timer's close callback finishes */
	s->res->duration_ms = now_ms(s);
	ssp_transcript_finish(&s->res->transcript, now_ms(s));
	ssp_vars_free(&s->vars);
	ssp_buf_free(&s->in);
	ssp_buf_free(&s->out);
	s->done(s->res, s->done_arg);
	free(s);
}

static void on_timer_closed(uv_handle_t *h)
{
	ssp_session_t *s = h->data;

	s->timer_open = 0;
	if (s->conn.closing && s->conn.open_handles == 0)
		on_closed(&s->conn);
}

static void close_session(ssp_session_t *s)
{
	s->wait = WAIT_NONE;
	if (s->timer_open && !uv_is_closing((uv_handle_t *)&s->timer))
		uv_close((uv_handle_t *)&s->timer, on_timer_closed);
	if (!s->conn.closing)
		ssp_conn_close(&s->conn, on_closed);
}

static void on_quit_timeout(uv_timer_t *t)
{
	ssp_session_t *s = t->data;

	note(s, "closing the connection");
	close_session(s);
}

static void on_quit_written(ssp_conn_t *c, int status)
{
	ssp_session_t *s = (ssp_session_t *)c;

	if (status != 0 || s->eof) {
		close_session(s);
		return;
	}
	s->wait = WAIT_QUIT;
	uv_timer_start(&s->timer, on_quit_timeout, SSP_QUIT_GRACE_MS, 0);
}

/* finish - after the verdict: QUIT politely if the connection is still up. */
static void finish(ssp_session_t *s)
{
	static const char quit[] = "QUIT\r\n";

	uv_timer_stop(&s->timer);
	if (s->quit_sent && s->conn.connected && !s->eof && !s->conn.closing) {
		/* the vector said QUIT already: give the server a moment to close */
		s->wait = WAIT_QUIT;
		uv_timer_start(&s->timer, on_quit_timeout, SSP_QUIT_GRACE_MS, 0);
		return;
	}
	if (s->conn.connected && !s->eof && !s->conn.writing && !s->conn.closing) {
		ssp_transcript_lines(&s->res->transcript, SSP_TR_CLIENT, now_ms(s), quit, sizeof(quit) - 1);
		if (ssp_conn_write(&s->conn, quit, sizeof(quit) - 1, on_quit_written) == 0) {
			s->wait = WAIT_WRITE;
			return;
		}
	}
	close_session(s);
}

static void conclude(ssp_session_t *s, ssp_verdict_t v, const char *fmt, ...)
{
	va_list ap;

	if (s->concluded)
		return;
	s->concluded = 1;
	s->phase = PHASE_DONE;
	va_start(ap, fmt);
	vsnprintf(s->res->reason, sizeof(s->res->reason), fmt, ap);
	va_end(ap);
	/* grammar findings make a pass (or a softer verdict) worse */
	if (s->finding_fail[0] && (v == SSP_PASS || v == SSP_WARN || v == SSP_INFO)) {
		v = SSP_FAIL;
		snprintf(s->res->reason, sizeof(s->res->reason), "%s", s->finding_fail);
	} else if (s->finding_warn[0] && v == SSP_PASS) {
		v = SSP_WARN;
		snprintf(s->res->reason, sizeof(s->res->reason), "%s", s->finding_warn);
	}
	s->res->verdict = v;
	note(s, "verdict: %s: %s", ssp_verdict_name(v), s->res->reason);
	finish(s);
}

/* mismatch - an expectation was not met: the verdict depends on the step. */
static void mismatch(ssp_session_t *s, const ssp_step_t *st, const char *expected,
		     const char *observed)
{
	char label[160];

	step_label(s, label, sizeof(label));
	set_expected_observed(s, expected, observed);
	if (st->setup)
		conclude(s, SSP_ERROR, "setup %s: expected %s, got %s; the vector could not be judged",
			 label, expected, observed);
	else
		conclude(s, ssp_verdict_for_level(s->v->level), "%s: expected %s, got %s",
			 label, expected, observed);
}

/* ---- judging replies ---------------------------------------------------- */

static void record_findings(ssp_session_t *s, const ssp_reply_t *r, const char *p)
{
	unsigned bit;
	char label[160], got[200];

	if (r->dev == 0)
		return;
	step_label(s, label, sizeof(label));
	describe_reply(p, r->len, r->nlines, got, sizeof(got));
	for (bit = 1; bit < (1u << SSP_REPLY_DEV_COUNT); bit <<= 1) {
		int soft = bit == SSP_REPLY_DEV_LONG_LINE || bit == SSP_REPLY_DEV_8BIT ||
			   bit == SSP_REPLY_DEV_EMPTY_TEXT;
		char *slot = soft ? s->finding_warn : s->finding_fail;
		const char *where = bit == SSP_REPLY_DEV_LONG_LINE ? "§4.5.3.1.5" : "§4.2";

		if (!(r->dev & bit))
			continue;
		note(s, "reply syntax (RFC 5321 %s): %s, line %u", where,
		     ssp_reply_dev_name(bit), r->dev_line);
		if (slot[0] == '\0')
			snprintf(slot, SSP_REASON_MAX, "%s: reply violates the reply syntax of RFC 5321 %s (%s): %s",
				 label, where, ssp_reply_dev_name(bit), got);
	}
}

/*
 * enhanced_ok - the reply carries the expected enhanced code: on the first
 * line, of the reply's class, and the same on every line (RFC 2034 §4).
 */
static int enhanced_ok(const ssp_expect_t *e, int code, const char *p, size_t len)
{
	size_t pos = 0, tl;
	const char *text;
	int c, sj, d, c2, sj2, d2;

	if (!ssp_reply_next_line(p, len, &pos, &text, &tl))
		return 0;
	if (ssp_reply_enhanced(text, tl, &c, &sj, &d) == 0)
		return 0;
	if (c != code / 100)
		return 0;
	while (ssp_reply_next_line(p, len, &pos, &text, &tl)) {
		if (ssp_reply_enhanced(text, tl, &c2, &sj2, &d2) == 0 || c2 != c || sj2 != sj || d2 != d)
			return 0;
	}
	return (e->enh_class < 0 || e->enh_class == c) && (e->enh_subject < 0 || e->enh_subject == sj) &&
	       (e->enh_detail < 0 || e->enh_detail == d);
}

/*
 * lines_match - lines first..last (0-based; last -1: to the end) of the
 * reply p[0..len) all match re.
 */
static int lines_match(const regex_t *re, const char *p, size_t len, int first, int last)
{
	size_t pos = 0, tl, i;
	const char *text;
	char line[SSP_REPLY_LINE_HARD_MAX + 1];
	int k = -1;

	while (ssp_reply_next_line(p, len, &pos, &text, &tl)) {
		if (++k < first || (last >= 0 && k > last))
			continue;
		for (i = 0; i < tl; i++)
			line[i] = text[i] == '\0' ? '?' : text[i];
		line[tl] = '\0';
		if (regexec(re, line, 0, NULL, 0) != 0)
			return 0;
	}
	return 1;
}

/* line_matches - some line of the reply p[0..len) matches re. */
static int line_matches(const regex_t *re, const char *p, size_t len)
{
	size_t pos = 0, tl;
	const char *text;
	char line[SSP_REPLY_LINE_HARD_MAX + 1];

	while (ssp_reply_next_line(p, len, &pos, &text, &tl)) {
		size_t i;
		for (i = 0; i < tl; i++)
			line[i] = text[i] == '\0' ? '?' : text[i];
		line[tl] = '\0';
		if (regexec(re, line, 0, NULL, 0) == 0)
			return 1;
	}
	return 0;
}

/* capture - store the first match of the capture regex; 0 or -1. */
static int capture(ssp_session_t *s, const ssp_expect_t *e, const char *p, size_t len)
{
	size_t pos = 0, tl;
	const char *text;
	char line[SSP_REPLY_LINE_HARD_MAX + 1];
	regmatch_t m[2];

	while (ssp_reply_next_line(p, len, &pos, &text, &tl)) {
		size_t i;
		for (i = 0; i < tl; i++)
			line[i] = text[i] == '\0' ? '?' : text[i];
		line[tl] = '\0';
		if (regexec(&e->capture_re, line, 2, m, 0) == 0) {
			regmatch_t *g = m[1].rm_so >= 0 ? &m[1] : &m[0];
			if (ssp_vars_set(&s->vars, e->capture_var, line + g->rm_so,
					 (size_t)(g->rm_eo - g->rm_so)) != 0)
				return -1;
			note(s, "captured ${%s} = \"%.*s\"", e->capture_var, (int)(g->rm_eo - g->rm_so),
			     line + g->rm_so);
			return 0;
		}
	}
	return -1;
}

/* required_missing - the first required keyword the EHLO reply lacks, or NULL. */
static const char *required_missing(const ssp_vector_t *v, const char *caps, size_t len)
{
	unsigned i;

	for (i = 0; i < v->nrequires; i++) {
		if (caps == NULL || !ssp_reply_has_keyword(caps, len, v->requires[i]))
			return v->requires[i];
	}
	return NULL;
}

/* judge - a complete reply p[0..r->len) for expectation e: 0 to go on. */
static int judge(ssp_session_t *s, const ssp_step_t *st, const ssp_expect_t *e,
		 const ssp_reply_t *r, const char *p)
{
	char expected[256], got[200], label[160];
	int code_ok;

	describe_expect(e, expected, sizeof(expected));
	describe_reply(p, r->len, r->nlines, got, sizeof(got));
	if (e->kind != SSP_EXPECT_REPLY) {
		mismatch(s, st, expected, got);
		return -1;
	}
	code_ok = (e->any_code && r->code != 421) || ssp_codes_has(&e->pass, r->code);
	if (!code_ok && ssp_codes_has(&e->skip, r->code)) {
		step_label(s, label, sizeof(label));
		set_expected_observed(s, expected, got);
		conclude(s, SSP_SKIP, "%s: got %s, which means a precondition of this vector is missing", label, got);
		return -1;
	}
	/* 421 may answer any command (§3.8, §4.3.2): the server is closing, and
	 * the vector, unless it asked for 421, cannot be judged */
	if (!code_ok && r->code == 421 && !ssp_codes_has(&e->warn, 421)) {
		step_label(s, label, sizeof(label));
		set_expected_observed(s, expected, got);
		conclude(s, SSP_ERROR, "%s: got %s: the server is closing the session, which RFC 5321 allows at any time; the vector could not be judged",
			 label, got);
		return -1;
	}
	if (!code_ok && ssp_codes_has(&e->warn, r->code)) {
		if (s->warned[0] == '\0') {
			step_label(s, label, sizeof(label));
			snprintf(s->warned, sizeof(s->warned), "%s: got %s, acceptable only as a warning (expected %s)",
				 label, got, expected);
			set_expected_observed(s, expected, got);
		}
		code_ok = 2;
	}
	if (!code_ok || (code_ok == 1 && e->enhanced && !enhanced_ok(e, r->code, p, r->len)) ||
	    (code_ok == 1 && e->text_src && !line_matches(&e->text_re, p, r->len)) ||
	    (code_ok == 1 && e->not_text_src && line_matches(&e->not_text_re, p, r->len)) ||
	    (code_ok == 1 && e->every_text_src && !lines_match(&e->every_text_re, p, r->len, 0, -1)) ||
	    (code_ok == 1 && e->first_line_src && !lines_match(&e->first_line_re, p, r->len, 0, 0)) ||
	    (code_ok == 1 && e->keyword_lines_src && !lines_match(&e->keyword_lines_re, p, r->len, 1, -1)) ||
	    (code_ok == 1 && e->max_lines && r->nlines > e->max_lines)) {
		mismatch(s, st, expected, got);
		return -1;
	}
	check_table(s, r->code, got);
	if (e->capture_var && capture(s, e, p, r->len) != 0) {
		step_label(s, label, sizeof(label));
		set_expected_observed(s, expected, got);
		conclude(s, SSP_ERROR, "%s: capture ${%s}: no line of the reply matches /%s/", label,
			 e->capture_var, e->capture_src);
		return -1;
	}
	/* the prelude's EHLO reply tells which extensions this session has */
	if (s->phase == PHASE_PRELUDE && st == &prelude_ehlo) {
		const char *missing = required_missing(s->v, p, r->len);
		if (missing != NULL) {
			conclude(s, SSP_SKIP, "the server does not advertise %s in its EHLO reply", missing);
			return -1;
		}
	}
	return 0;
}

/* try_reply - judge the reply at the start of in if it is complete.
 * Returns 1 when the expectation is settled, 0 to wait for more bytes. */
static int try_reply(ssp_session_t *s, const ssp_step_t *st, const ssp_expect_t *e)
{
	char expected[256], got[200];
	ssize_t n = ssp_reply_parse(&s->reply, s->in.data ? s->in.data : "", s->in.len);

	if (n == SSP_REPLY_PARTIAL) {
		if (!s->eof)
			return 0;
		describe_expect(e, expected, sizeof(expected));
		if (s->in.len > 0) {
			escaped(got, sizeof(got), s->in.data, s->in.len, 120);
			snprintf(got + strlen(got), sizeof(got) - strlen(got), " and then the connection %s",
				 s->eof == UV_EOF ? "closed" : "reset");
		} else {
			snprintf(got, sizeof(got), "%s", s->eof == UV_EOF ? "the server closed the connection" : "the connection was reset");
		}
		if (e->kind == SSP_EXPECT_CLOSE || e->kind == SSP_EXPECT_SILENCE)
			return 1; /* a closed connection sends no reply */
		if (!s->quit_sent) {
			/* §3.8: no close before QUIT but with 421, whatever the
			 * vector's own level */
			char label[160];
			step_label(s, label, sizeof(label));
			set_expected_observed(s, expected, got);
			conclude(s, SSP_FAIL, "%s: expected %s, got %s: a server MUST NOT close the connection before QUIT except after a 421 reply (RFC 5321 §3.8)",
				 label, expected, got);
			return 1;
		}
		mismatch(s, st, expected, got);
		return 1;
	}
	if (n == SSP_REPLY_MALFORMED) {
		char label[160];
		record_in(s, 1);
		step_label(s, label, sizeof(label));
		describe_expect(e, expected, sizeof(expected));
		escaped(got, sizeof(got), s->in.data, s->in.len < 120 ? s->in.len : 120, 120);
		set_expected_observed(s, expected, got);
		conclude(s, SSP_FAIL, "%s: malformed reply (RFC 5321 §4.2): %s: %s", label,
			 ssp_reply_error_name(s->reply.error), got);
		return 1;
	}
	record_findings(s, &s->reply, s->in.data);
	if (judge(s, st, e, &s->reply, s->in.data) != 0)
		return 1;
	consume_in(s, (size_t)n);
	ssp_reply_reset(&s->reply);
	s->exp++;
	return 1;
}

/* ---- waiting ------------------------------------------------------------ */

static void on_wait_timeout(uv_timer_t *t)
{
	ssp_session_t *s = t->data;
	const ssp_step_t *st = current_step(s);
	const ssp_expect_t *e;
	char expected[256], got[200];
	unsigned ms;

	if (st == NULL || s->concluded)
		return;
	switch (s->wait) {
	case WAIT_PAUSE:
		s->wait = WAIT_NONE;
		s->exp = EXP_SEND - 1; /* paused: the send itself comes next */
		advance(s);
		return;
	case WAIT_SILENCE:
		s->wait = WAIT_NONE;
		s->exp++;
		advance(s);
		return;
	case WAIT_WRITE:
		note(s, "timeout: the server took none of our bytes for %u ms", s->cfg->timeout_ms);
		mismatch(s, st, "the server to read the command", "no progress writing: the server does not read");
		return;
	case WAIT_REPLY:
	case WAIT_CLOSE:
		e = &st->expect[s->exp];
		ms = e->timeout_ms ? e->timeout_ms : s->cfg->timeout_ms;
		record_in(s, 1);
		note(s, "timeout: nothing decisive within %u ms", ms);
		describe_expect(e, expected, sizeof(expected));
		if (s->in.len > 0) {
			char part[160];
			escaped(part, sizeof(part), s->in.data, s->in.len, 120);
			snprintf(got, sizeof(got), "an incomplete reply \"%s\" after %u ms", part, ms);
		} else if (e->kind == SSP_EXPECT_CLOSE) {
			snprintf(got, sizeof(got), "the connection still open after %u ms", ms);
		} else {
			snprintf(got, sizeof(got), "no reply within %u ms", ms);
		}
		mismatch(s, st, expected, got);
		return;
	default:
		return;
	}
}

static void start_timer(ssp_session_t *s, unsigned ms)
{
	uv_timer_start(&s->timer, on_wait_timeout, ms, 0);
}

/* begin_expect - start expectation e; 1 if settled already, 0 if waiting. */
static int begin_expect(ssp_session_t *s, const ssp_step_t *st, const ssp_expect_t *e)
{
	unsigned ms = e->timeout_ms ? e->timeout_ms : s->cfg->timeout_ms;
	char expected[256], got[200];

	switch (e->kind) {
	case SSP_EXPECT_REPLY:
		if (try_reply(s, st, e))
			return 1;
		s->wait = WAIT_REPLY;
		start_timer(s, ms);
		return 0;
	case SSP_EXPECT_CLOSE:
		if (s->in.len > 0 && memchr(s->in.data, '\n', s->in.len)) {
			/* a reply came where a close was expected */
			return try_reply(s, st, e);
		}
		if (s->eof) {
			s->exp++;
			return 1;
		}
		s->wait = WAIT_CLOSE;
		start_timer(s, ms);
		return 0;
	case SSP_EXPECT_SILENCE:
		if (s->in.len > 0) {
			describe_expect(e, expected, sizeof(expected));
			describe_pending(s, got, sizeof(got));
			mismatch(s, st, expected, got);
			return 1;
		}
		if (s->eof) {
			s->exp++;
			return 1;
		}
		s->wait = WAIT_SILENCE;
		start_timer(s, e->silence_ms);
		return 0;
	}
	return 1;
}

/* ---- sending ------------------------------------------------------------ */

/* dot_stuff - RFC 5321 §4.5.2: double a leading '.' of every line. */
static int dot_stuff(const ssp_buf_t *in, ssp_buf_t *out)
{
	size_t i, start = 0;

	for (i = 0; i < in->len; i++) {
		int bol = i == 0 || (i >= 2 && in->data[i - 2] == '\r' && in->data[i - 1] == '\n');
		if (bol && in->data[i] == '.') {
			if (ssp_buf_append(out, in->data + start, i - start) || ssp_buf_append(out, ".", 1))
				return -1;
			start = i;
		}
	}
	return ssp_buf_append(out, in->data + start, in->len - start);
}

/* build - the bytes of the current step into s->out: 0, or -1 (concluded). */
static int build(ssp_session_t *s, const ssp_step_t *st)
{
	ssp_vars_err_t err;
	ssp_buf_t body;
	int rc = 0;

	s->out.len = 0;
	if (st->send != SSP_SEND_DATA) {
		rc = ssp_vars_expand(&s->vars, st->payload, st->payload_len, &s->out, &err);
	} else {
		ssp_buf_init(&body, SSP_SEND_BYTES_MAX);
		rc = ssp_vars_expand(&s->vars, st->payload, st->payload_len, &body, &err);
		if (rc == 0) {
			if (st->dot_stuff)
				rc = dot_stuff(&body, &s->out);
			else
				rc = ssp_buf_append(&s->out, body.data, body.len);
			if (rc == 0 && s->out.len > 0 &&
			    (s->out.len < 2 || memcmp(s->out.data + s->out.len - 2, "\r\n", 2) != 0))
				rc = ssp_buf_append(&s->out, "\r\n", 2);
			if (rc == 0)
				rc = ssp_buf_append(&s->out, ".\r\n", 3);
			if (rc != 0)
				snprintf(err.text, sizeof(err.text), "message content exceeds %d bytes", SSP_SEND_BYTES_MAX);
		}
		ssp_buf_free(&body);
	}
	if (rc != 0) {
		conclude(s, SSP_ERROR, "step %u: cannot build what to send: %s", s->step + 1, err.text);
		return -1;
	}
	return 0;
}

static void on_written(ssp_conn_t *c, int status)
{
	ssp_session_t *s = (ssp_session_t *)c;

	if (s->concluded)
		return;
	uv_timer_stop(&s->timer);
	s->wait = WAIT_NONE;
	if (status != 0)
		note(s, "write failed: %s", uv_strerror(status));
	s->exp = 0;
	advance(s);
}

/* sends_quit - 1 if a line of p[0..n) is a QUIT command. */
static int sends_quit(const char *p, size_t n)
{
	size_t at = 0;

	while (at + 4 <= n) {
		const char *lf = memchr(p + at, '\n', n - at);
		if (strncasecmp(p + at, "QUIT", 4) == 0 &&
		    (at + 4 == n || p[at + 4] == '\r' || p[at + 4] == '\n' || p[at + 4] == ' '))
			return 1;
		if (lf == NULL)
			break;
		at = (size_t)(lf - p) + 1;
	}
	return 0;
}

/* send_step - build and write the current step; 0 if a write is pending. */
static int send_step(ssp_session_t *s, const ssp_step_t *st)
{
	int rc;

	/* bytes that no command asked for, received before this command */
	if (s->expected_reply_before && s->in.len > 0 && memchr(s->in.data, '\n', s->in.len) &&
	    s->finding_fail[0] == '\0') {
		char label[160], got[200];
		step_label(s, label, sizeof(label));
		describe_pending(s, got, sizeof(got));
		snprintf(s->finding_fail, sizeof(s->finding_fail),
			 "before %s: the server sent a reply that no command asked for: %s", label, got);
	}
	s->expected_reply_before = st->nexpect > 0;
	if (st->send == SSP_SEND_NONE)
		return 1;
	if (build(s, st) != 0)
		return 1;
	if (sends_quit(s->out.data, s->out.len))
		s->quit_sent = 1;
	ssp_transcript_lines(&s->res->transcript, SSP_TR_CLIENT, now_ms(s), s->out.data, s->out.len);
	if (s->eof) {
		char expected[256];
		describe_expect(st->nexpect ? &st->expect[0] : &hello_expect, expected, sizeof(expected));
		mismatch(s, st, expected, "the connection closed before the command could be sent");
		return 1;
	}
	rc = ssp_conn_write(&s->conn, s->out.data, s->out.len, on_written);
	if (rc != 0) {
		note(s, "write failed: %s", uv_strerror(rc));
		s->exp = 0;
		return 1;
	}
	s->wait = WAIT_WRITE;
	start_timer(s, s->cfg->timeout_ms);
	return 0;
}

/* ---- the driver --------------------------------------------------------- */

static void advance(ssp_session_t *s)
{
	while (!s->concluded) {
		const ssp_step_t *st = current_step(s);

		if (st == NULL) {
			if (s->phase == PHASE_PRELUDE) {
				s->phase = PHASE_STEPS;
				s->step = 0;
				s->rep = 0;
				s->exp = EXP_SEND;
				continue;
			}
			if (s->warned[0]) {
				snprintf(s->res->reason, sizeof(s->res->reason), "%s", s->warned);
				conclude(s, SSP_WARN, "%s", s->warned);
			} else {
				conclude(s, SSP_PASS, "every expectation was met");
			}
			return;
		}
		if (s->exp == EXP_SEND) {
			if (st->pause_ms > 0) {
				s->wait = WAIT_PAUSE;
				start_timer(s, st->pause_ms);
				return;
			}
			s->exp = EXP_SEND - 1;
		}
		if (s->exp == EXP_SEND - 1) {
			s->exp = 0;
			if (!send_step(s, st))
				return; /* on_written continues */
			if (s->concluded)
				return;
		}
		if (s->exp < st->nexpect) {
			if (!begin_expect(s, st, &st->expect[s->exp]))
				return;
			continue;
		}
		/* the step is done: repeat it, or go to the next */
		s->exp = EXP_SEND;
		if (++s->rep < st->repeat)
			continue;
		s->rep = 0;
		s->step++;
		if (s->phase == PHASE_PRELUDE && s->step >= prelude_len(s->v)) {
			s->phase = PHASE_STEPS;
			s->step = 0;
		}
	}
}

/* ---- network events ----------------------------------------------------- */

static void on_read(ssp_conn_t *c, const char *p, ssize_t n)
{
	ssp_session_t *s = (ssp_session_t *)c;
	const ssp_step_t *st;

	if (n < 0) {
		s->eof = (int)n;
		record_in(s, 1);
		if (n == UV_EOF)
			note(s, "the server closed the connection");
		else
			note(s, "connection error: %s", uv_strerror((int)n));
	} else {
		if (ssp_buf_append(&s->in, p, (size_t)n) != 0) {
			record_in(s, 1);
			set_expected_observed(s, "", "");
			conclude(s, SSP_FAIL, "the server sent more than %d bytes that no reply could hold (RFC 5321 §4.5.3.1.5)",
				 SSP_REPLY_BYTES_HARD_MAX);
			return;
		}
		record_in(s, 0);
	}
	if (s->concluded) {
		if (s->wait == WAIT_QUIT && (n < 0 || memchr(s->in.data, '\n', s->in.len)))
			close_session(s);
		return;
	}
	st = current_step(s);
	if (st == NULL || s->exp >= st->nexpect)
		return;
	switch (s->wait) {
	case WAIT_REPLY:
	case WAIT_CLOSE:
		if (s->wait == WAIT_CLOSE && n > 0 && !memchr(s->in.data, '\n', s->in.len))
			return; /* a partial line: wait for the rest, or the timer */
		/* the timer keeps running: a trickling server cannot extend the wait */
		if (try_reply(s, st, &st->expect[s->exp])) {
			if (s->concluded)
				return; /* finish() owns the timer and the wait now */
			uv_timer_stop(&s->timer);
			if (s->wait == WAIT_CLOSE && !s->concluded && n < 0)
				s->exp++;
			s->wait = WAIT_NONE;
			advance(s);
		}
		return;
	case WAIT_SILENCE:
		uv_timer_stop(&s->timer);
		s->wait = WAIT_NONE;
		if (n < 0) {
			s->exp++;
		} else {
			char expected[256], got[200];
			describe_expect(&st->expect[s->exp], expected, sizeof(expected));
			describe_pending(s, got, sizeof(got));
			mismatch(s, st, expected, got);
			return;
		}
		advance(s);
		return;
	default:
		return; /* kept in s->in for the next expectation */
	}
}

static void on_connect(ssp_conn_t *c, int status)
{
	ssp_session_t *s = (ssp_session_t *)c;

	if (status != 0) {
		note(s, "cannot connect to %s: %s", s->cfg->target, uv_strerror(status));
		conclude(s, SSP_ERROR, "cannot connect to %s: %s", s->cfg->target,
			 status == UV_ETIMEDOUT ? "no answer within the connect deadline" : uv_strerror(status));
		return;
	}
	s->res->connected = 1;
	note(s, "connected to %s", s->cfg->target);
	advance(s);
}

ssp_session_t *ssp_session_start(const ssp_session_cfg_t *cfg, const ssp_vector_t *v,
				 ssp_result_t *out, ssp_session_done_cb done, void *arg)
{
	ssp_session_t *s;
	int rc;

	prelude_init();
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		out->verdict = SSP_ERROR;
		snprintf(out->reason, sizeof(out->reason), "out of memory");
		return NULL;
	}
	s->cfg = cfg;
	s->v = v;
	s->res = out;
	s->done = done;
	s->done_arg = arg;
	s->conn.data = s;
	ssp_vars_init(&s->vars, cfg->vars);
	ssp_buf_init(&s->in, SSP_REPLY_BYTES_HARD_MAX + SSP_READ_CHUNK);
	ssp_buf_init(&s->out, SSP_SEND_BYTES_MAX + 8);
	ssp_reply_reset(&s->reply);
	s->t0 = uv_now(cfg->loop);
	s->phase = prelude_len(v) > 0 ? PHASE_PRELUDE : PHASE_STEPS;
	s->exp = EXP_SEND;
	if (uv_timer_init(cfg->loop, &s->timer) == 0) {
		s->timer_open = 1;
		s->timer.data = s;
	}
	s->wait = WAIT_CONNECT;
	rc = s->timer_open ? ssp_conn_connect(cfg->loop, &s->conn, cfg->addr, cfg->connect_timeout_ms,
					      on_connect, on_read)
			   : UV_ENOMEM;
	if (rc != 0) {
		note(s, "cannot connect to %s: %s", cfg->target, uv_strerror(rc));
		s->concluded = 1;
		out->verdict = SSP_ERROR;
		snprintf(out->reason, sizeof(out->reason), "cannot connect to %s: %s", cfg->target,
			 uv_strerror(rc));
		close_session(s);
	}
	return s;
}

void ssp_session_abort(ssp_session_t *s, const char *reason)
{
	if (s->concluded) {
		close_session(s);
		return;
	}
	record_in(s, 1);
	s->concluded = 1;
	s->res->verdict = SSP_ERROR;
	snprintf(s->res->reason, sizeof(s->res->reason), "%s", reason);
	note(s, "aborted: %s", reason);
	close_session(s);
}

int ssp_session_precheck(const ssp_session_cfg_t *cfg, const ssp_vector_t *v,
			 char *reason, size_t size)
{
	const char *missing;

	if (v->prelude == SSP_PRELUDE_EHLO || v->nrequires == 0)
		return 0;
	missing = required_missing(v, cfg->caps, cfg->caps_len);
	if (missing == NULL)
		return 0;
	snprintf(reason, size, "the server does not advertise %s in its EHLO reply", missing);
	return 1;
}
