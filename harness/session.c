/*
 * session.c - the session runner: one vector, one connection, one verdict.
 *
 * The runner is a state machine driven by libuv callbacks; its state
 * changes only in enter().  Its position is (step, repetition,
 * expectation), the prelude's steps counting first; advance() moves it as
 * far as it can without waiting, and each wait has a deadline on the
 * session's own timer.  The first decisive observation ends the vector
 * (conclude); the connection is then closed politely (QUIT) when still
 * open.  Matching a reply against an expectation is expect.c's job; this
 * file acts on its outcome.
 *
 * States and transitions (docs/vectors.md, "Session states"):
 *
 *   CONNECTING  -> STEP         connected
 *               -> CLOSING      cannot connect (error)
 *   STEP        -> PAUSE        the step has a pause
 *               -> SEND         otherwise
 *   PAUSE       -> SEND         the pause timer fired
 *   SEND        -> WRITING      the bytes are being written
 *               -> EXPECT       nothing to send, or the write failed at once
 *   WRITING     -> EXPECT       written (or failed: the replies will tell)
 *   EXPECT      -> REPLY_WAIT | CLOSE_WAIT | SILENCE_WAIT   nothing decisive yet
 *               -> EXPECT       met: the next expectation
 *               -> STEP         the step's last expectation met
 *   REPLY_WAIT, CLOSE_WAIT, SILENCE_WAIT -> EXPECT   met (bytes, close, timer)
 *   any state before QUIT_*    -> QUIT_WRITE   verdict; connection open, no QUIT sent yet
 *                              -> QUIT_WAIT    verdict; the vector sent QUIT itself
 *                              -> CLOSING      verdict; connection gone or busy
 *   QUIT_WRITE  -> QUIT_WAIT    written
 *               -> CLOSING      write failed, or the grace timer fired
 *   QUIT_WAIT   -> CLOSING      a reply, the close, or the grace timer
 *   CLOSING     : the timer and the connection close; the session frees
 *                 itself after both close callbacks ran, then calls done.
 *
 * Judging (RFC 5321 §4.2 for the reply grammar):
 *   expectation met               -> go on
 *   code in the "warn" set        -> remember a warning, go on
 *   code in the "skip" set        -> SKIP (a precondition is missing)
 *   mismatch in a setup step      -> ERROR (the vector could not be judged)
 *   mismatch elsewhere            -> FAIL / WARN / INFO by the vector's level
 *   malformed reply               -> FAIL (no reading of it is possible)
 *   grammar deviation in a reply  -> FAIL at the end (WARN for those
 *                                    reply.h marks soft), unless already worse
 */
#include "session.h"

#include "buf.h"
#include "conn.h"
#include "escape.h"
#include "expect.h"
#include "limits.h"
#include "payload.h"
#include "reply.h"
#include "replytable.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATE_MAP(X)      \
	X(CONNECTING)     \
	X(STEP)           \
	X(PAUSE)          \
	X(SEND)           \
	X(WRITING)        \
	X(EXPECT)         \
	X(REPLY_WAIT)     \
	X(CLOSE_WAIT)     \
	X(SILENCE_WAIT)   \
	X(QUIT_WRITE)     \
	X(QUIT_WAIT)      \
	X(CLOSING)

typedef enum {
#define X(name) ST_##name,
	STATE_MAP(X)
#undef X
} state_t;

struct ssp_session_s {
	ssp_conn_t *conn;             /* NULL before connecting and once closed */
	uv_timer_t timer;             /* the session's own: every wait's deadline */
	const ssp_session_cfg_t *cfg;
	const ssp_vector_t *v;
	ssp_result_t *res;
	ssp_session_done_cb done;
	void *done_arg;
	ssp_probe_replies_t *probe;   /* the probe's replies are kept here; or NULL */
	ssp_vars_t vars;              /* captures; parent: the run's variables */
	ssp_buf_t in;                 /* received, not yet consumed */
	size_t in_recorded;           /* bytes of in already in the transcript */
	ssp_buf_t out;                /* the current step's bytes (kept for labels) */
	ssp_reply_t reply;
	uint64_t t0;
	state_t state;                /* changed only by enter() */
	unsigned step, rep, exp;      /* position; steps count the prelude's first */
	unsigned npre;                /* steps of the prelude */
	int eof;                      /* 0, UV_EOF or the read error */
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

/* enter - the one place the state changes (traced in debug builds). */
static void enter(ssp_session_t *s, state_t to)
{
#ifdef SSP_TRACE_STATES
	static const char *const names[] = {
#define X(name) #name,
		STATE_MAP(X)
#undef X
	};
	fprintf(stderr, "session %p: %s -> %s\n", (void *)s, names[s->state], names[to]);
#endif
	s->state = to;
}

/* concluded - 1 once the verdict is given. */
static int concluded(const ssp_session_t *s)
{
	return s->state >= ST_QUIT_WRITE;
}

/* ---- the prelude and the probe, as constant data ------------------------ */

static char ehlo_line[] = "EHLO ${client}\r\n";
static char helo_line[] = "HELO ${client}\r\n";
static char quit_line[] = "QUIT\r\n";

static ssp_expect_t expect_220 = { .pass = { .n = 1, .r = { { 220, 220 } } } };
static ssp_expect_t expect_250 = { .pass = { .n = 1, .r = { { 250, 250 } } } };
static ssp_expect_t expect_any = { .any_code = 1 };

#define STEP_EXPECT(e) .expect = (e), .nexpect = 1, .repeat = 1
#define STEP_LINE(l) .send = SSP_SEND_LINE, .payload = (l), .payload_len = sizeof(l) - 1, .ncommands = 1

/* Indexed by ssp_prelude_t: greeting, then EHLO or HELO; all setup. */
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

/* The probe: greeting, EHLO and QUIT, any reply to each. */
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

const ssp_vector_t *ssp_session_probe_vector(void)
{
	return &probe_vector;
}

/* current_step - the step at the session's position, or NULL past the last. */
static const ssp_step_t *current_step(const ssp_session_t *s)
{
	if (s->step < s->npre)
		return &prelude_steps[s->v->prelude][s->step];
	if (s->step - s->npre < s->v->nsteps)
		return &s->v->steps[s->step - s->npre];
	return NULL;
}

/* ---- messages ------------------------------------------------------------ */

static uint32_t now_ms(const ssp_session_t *s)
{
	return (uint32_t)(uv_now(s->cfg->loop) - s->t0);
}

static void note(ssp_session_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(ssp_session_t *s, const char *fmt, ...)
{
	char text[SSP_REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ssp_transcript_note(&s->res->transcript, now_ms(s), "%s", text);
}

/* reasonf - a reason sentence into out, cut at size: reasons are bounded by design. */
static void reasonf(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void reasonf(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, size, fmt, ap);
	va_end(ap);
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
 * end of message content, or a command line (*line, *n).  Returns 0, or -1
 * when it is unknown.  With strict, a later expectation of a one-command
 * step, or one past a pipeline's commands, is unknown too.
 */
static int current_command(const ssp_session_t *s, int strict, ssp_answers_t *what,
			   const char **line, size_t *n)
{
	const ssp_step_t *st = current_step(s);
	size_t idx = 0;

	*line = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	if (st->send == SSP_SEND_NONE) {
		if (s->step == 0) {
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
		idx = s->exp;
	else if (s->exp > 0 && strict)
		return -1;
	*what = SSP_ANSWERS_COMMAND;
	return ssp_payload_line(s->out.data, s->out.len, idx, strict, line, n);
}

/* step_label - "step 3 (RCPT TO:<x@y>)" for the command behind the expectation. */
static void step_label(const ssp_session_t *s, char *out, size_t size)
{
	const ssp_step_t *st = current_step(s);
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
	if (s->step < s->npre)
		snprintf(out, size, "prelude (%s)", text);
	else if (st->repeat > 1)
		snprintf(out, size, "step %u, repetition %u (%s)", s->step - s->npre + 1, s->rep + 1, text);
	else
		snprintf(out, size, "step %u (%s)", s->step - s->npre + 1, text);
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

static void set_expected_observed(ssp_session_t *s, const char *expected, const char *observed)
{
	snprintf(s->res->expected, sizeof(s->res->expected), "%s", expected);
	snprintf(s->res->observed, sizeof(s->res->observed), "%s", observed);
	s->res->step = s->step >= s->npre ? s->step - s->npre + 1 : 0;
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

/* release - once the timer and the connection are closed: report, free. */
static void release(ssp_session_t *s)
{
	if (s->timer_open || s->conn != NULL)
		return;
	s->res->duration_ms = now_ms(s);
	ssp_transcript_finish(&s->res->transcript, now_ms(s));
	ssp_vars_free(&s->vars);
	ssp_buf_free(&s->in);
	ssp_buf_free(&s->out);
	s->done(s->res, s->done_arg);
	free(s);
}

static void on_conn_closed(void *owner)
{
	ssp_session_t *s = owner;

	s->conn = NULL;
	release(s);
}

static void on_timer_closed(uv_handle_t *h)
{
	ssp_session_t *s = h->data;

	s->timer_open = 0;
	release(s);
}

/* close_session - close the timer and the connection; release() follows. */
static void close_session(ssp_session_t *s)
{
	if (s->state == ST_CLOSING)
		return;
	enter(s, ST_CLOSING);
	if (s->timer_open)
		uv_close((uv_handle_t *)&s->timer, on_timer_closed);
	if (s->conn != NULL)
		ssp_conn_close(s->conn);
}

static void on_wait_timeout(uv_timer_t *t);

static void start_timer(ssp_session_t *s, unsigned ms)
{
	uv_timer_start(&s->timer, on_wait_timeout, ms, 0);
}

/* finish - after the verdict: QUIT politely if the connection is still up. */
static void finish(ssp_session_t *s)
{
	static const char quit[] = "QUIT\r\n";
	int open = s->conn != NULL && ssp_conn_is_open(s->conn) && !s->eof;

	uv_timer_stop(&s->timer);
	if (open && s->quit_sent) {
		/* the vector said QUIT already: give the server a moment to close */
		enter(s, ST_QUIT_WAIT);
		start_timer(s, SSP_QUIT_GRACE_MS);
		return;
	}
	if (open && !ssp_conn_is_writing(s->conn)) {
		ssp_transcript_lines(&s->res->transcript, SSP_TR_CLIENT, now_ms(s), quit, sizeof(quit) - 1);
		if (ssp_conn_write(s->conn, quit, sizeof(quit) - 1) == 0) {
			enter(s, ST_QUIT_WRITE);
			start_timer(s, SSP_QUIT_GRACE_MS);
			return;
		}
	}
	close_session(s);
}

static void conclude(ssp_session_t *s, ssp_verdict_t v, const char *fmt, ...)
{
	va_list ap;

	if (concluded(s))
		return;
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

/* conclude_at - conclude with "<label>: <text>", expected and observed set. */
static void conclude_at(ssp_session_t *s, ssp_verdict_t v, const char *expected,
			const char *observed, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void conclude_at(ssp_session_t *s, ssp_verdict_t v, const char *expected,
			const char *observed, const char *fmt, ...)
{
	char label[160], text[SSP_REASON_MAX];
	va_list ap;

	step_label(s, label, sizeof(label));
	set_expected_observed(s, expected, observed);
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	conclude(s, v, "%s%s", label, text);
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

/* ---- findings beside the expectations ------------------------------------ */

/* record_findings - note each grammar deviation; keep the first of each severity. */
static void record_findings(ssp_session_t *s, const ssp_reply_t *r, const char *p)
{
	unsigned bit;
	char label[160], got[200];

	if (r->dev == 0)
		return;
	step_label(s, label, sizeof(label));
	describe_reply(p, r->len, r->nlines, got, sizeof(got));
	for (bit = 1; bit < (1u << SSP_REPLY_DEV_COUNT); bit <<= 1) {
		char *slot = ssp_reply_dev_is_warn(bit) ? s->finding_warn : s->finding_fail;
		const char *where = ssp_reply_dev_section(bit);

		if (!(r->dev & bit))
			continue;
		note(s, "reply syntax (RFC 5321 %s): %s, line %u", where, ssp_reply_dev_name(bit),
		     r->dev_line);
		if (slot[0] == '\0')
			reasonf(slot, SSP_REASON_MAX, "%s: reply violates the reply syntax of RFC 5321 %s (%s): %s",
				 label, where, ssp_reply_dev_name(bit), got);
	}
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
	reasonf(s->finding_warn, sizeof(s->finding_warn),
		 "%s: reply code %d is not among those RFC 5321 §4.3.2 lists for it (%s): %s", label,
		 code, listed, got);
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

/* keep_probe_reply - the probe keeps its greeting (step 0) and EHLO reply (step 1). */
static void keep_probe_reply(ssp_session_t *s, const char *p, size_t n)
{
	char **slot;
	size_t *len;

	if (s->probe == NULL || s->step > 1)
		return;
	slot = s->step == 0 ? &s->probe->greeting : &s->probe->ehlo;
	len = s->step == 0 ? &s->probe->greeting_len : &s->probe->ehlo_len;
	if (*slot != NULL || n == 0 || (*slot = malloc(n)) == NULL)
		return;
	memcpy(*slot, p, n);
	*len = n;
}

/* ---- judging replies ---------------------------------------------------- */

/* act - do what the outcome of a complete reply means: 0 to go on, -1 concluded. */
static int act(ssp_session_t *s, const ssp_step_t *st, const ssp_expect_t *e,
	       const ssp_reply_t *r, const char *p)
{
	char expected[256], got[200];
	ssp_capture_t cap;
	ssp_outcome_t o = ssp_expect_match(e, p, r, &cap);

	ssp_expect_describe(e, expected, sizeof(expected));
	describe_reply(p, r->len, r->nlines, got, sizeof(got));
	switch (o) {
	case SSP_OUTCOME_SKIP_CODE:
		conclude_at(s, SSP_SKIP, expected, got,
			    ": got %s, which means a precondition of this vector is missing", got);
		return -1;
	case SSP_OUTCOME_CLOSING_421:
		conclude_at(s, SSP_ERROR, expected, got,
			    ": got %s: the server is closing the session, which RFC 5321 allows at any time; the vector could not be judged",
			    got);
		return -1;
	case SSP_OUTCOME_MISMATCH:
		mismatch(s, st, expected, got);
		return -1;
	case SSP_OUTCOME_WARN_CODE:
		if (s->warned[0] == '\0') {
			char label[160];
			step_label(s, label, sizeof(label));
			reasonf(s->warned, sizeof(s->warned), "%s: got %s, acceptable only as a warning (expected %s)",
				 label, got, expected);
			set_expected_observed(s, expected, got);
		}
		break;
	case SSP_OUTCOME_MET:
	case SSP_OUTCOME_CAPTURE_FAILED:
		break;
	}
	check_table(s, r->code, got);
	if (o == SSP_OUTCOME_CAPTURE_FAILED ||
	    (cap.var != NULL && ssp_vars_set(&s->vars, cap.var, cap.value, cap.len) != 0)) {
		conclude_at(s, SSP_ERROR, expected, got, ": capture ${%s}: no line of the reply matches /%s/",
			    e->capture_var, e->capture_src);
		return -1;
	}
	if (cap.var != NULL)
		note(s, "captured ${%s} = \"%s\"", cap.var, cap.value);
	/* the prelude's EHLO reply tells which extensions this session has */
	if (s->step == 1 && s->v->prelude == SSP_PRELUDE_EHLO) {
		const char *missing = required_missing(s->v, p, r->len);
		if (missing != NULL) {
			conclude(s, SSP_SKIP, "the server does not advertise %s in its EHLO reply", missing);
			return -1;
		}
	}
	return 0;
}

/* closed_instead - the connection closed where a reply was expected. */
static void closed_instead(ssp_session_t *s, const ssp_step_t *st, const ssp_expect_t *e)
{
	char expected[256], got[200];
	const char *how = s->eof == UV_EOF ? "closed" : "reset";

	ssp_expect_describe(e, expected, sizeof(expected));
	if (s->in.len > 0) {
		escaped(got, sizeof(got), s->in.data, s->in.len, 120);
		snprintf(got + strlen(got), sizeof(got) - strlen(got), " and then the connection %s", how);
	} else {
		snprintf(got, sizeof(got), "%s", s->eof == UV_EOF ? "the server closed the connection" : "the connection was reset");
	}
	if (!s->quit_sent) /* §3.8, whatever the vector's own level */
		conclude_at(s, SSP_FAIL, expected, got,
			    ": expected %s, got %s: a server MUST NOT close the connection before QUIT except after a 421 reply (RFC 5321 §3.8)",
			    expected, got);
	else
		mismatch(s, st, expected, got);
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
		if (e->kind == SSP_EXPECT_REPLY)
			closed_instead(s, st, e);
		return 1; /* a closed connection sends no reply */
	}
	if (n == SSP_REPLY_MALFORMED) {
		record_in(s, 1);
		keep_probe_reply(s, s->in.data, s->in.len);
		ssp_expect_describe(e, expected, sizeof(expected));
		escaped(got, sizeof(got), s->in.data, s->in.len < 120 ? s->in.len : 120, 120);
		conclude_at(s, SSP_FAIL, expected, got, ": malformed reply (RFC 5321 §4.2): %s: %s",
			    ssp_reply_error_name(s->reply.error), got);
		return 1;
	}
	keep_probe_reply(s, s->in.data, (size_t)n);
	record_findings(s, &s->reply, s->in.data);
	if (act(s, st, e, &s->reply, s->in.data) != 0)
		return 1;
	consume_in(s, (size_t)n);
	ssp_reply_reset(&s->reply);
	s->exp++;
	return 1;
}

/* ---- waiting ------------------------------------------------------------ */

/* timed_out - a reply or close wait passed its deadline. */
static void timed_out(ssp_session_t *s, const ssp_step_t *st)
{
	const ssp_expect_t *e = &st->expect[s->exp];
	unsigned ms = e->timeout_ms ? e->timeout_ms : s->cfg->timeout_ms;
	char expected[256], got[200];

	record_in(s, 1);
	note(s, "timeout: nothing decisive within %u ms", ms);
	ssp_expect_describe(e, expected, sizeof(expected));
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
}

static void on_wait_timeout(uv_timer_t *t)
{
	ssp_session_t *s = t->data;
	const ssp_step_t *st = current_step(s);

	switch (s->state) {
	case ST_PAUSE:
		enter(s, ST_SEND);
		advance(s);
		return;
	case ST_SILENCE_WAIT:
		s->exp++;
		enter(s, ST_EXPECT);
		advance(s);
		return;
	case ST_WRITING:
		note(s, "timeout: the server took none of our bytes for %u ms", s->cfg->timeout_ms);
		mismatch(s, st, "the server to read the command", "no progress writing: the server does not read");
		return;
	case ST_REPLY_WAIT:
	case ST_CLOSE_WAIT:
		timed_out(s, st);
		return;
	case ST_QUIT_WRITE:
	case ST_QUIT_WAIT:
		note(s, "closing the connection");
		close_session(s);
		return;
	default:
		return;
	}
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
		enter(s, ST_REPLY_WAIT);
		start_timer(s, ms);
		return 0;
	case SSP_EXPECT_CLOSE:
		if (s->in.len > 0 && memchr(s->in.data, '\n', s->in.len))
			return try_reply(s, st, e); /* a reply came where a close was expected */
		if (s->eof) {
			s->exp++;
			return 1;
		}
		enter(s, ST_CLOSE_WAIT);
		start_timer(s, ms);
		return 0;
	case SSP_EXPECT_SILENCE:
		if (s->in.len > 0) {
			ssp_expect_describe(e, expected, sizeof(expected));
			describe_pending(s, got, sizeof(got));
			mismatch(s, st, expected, got);
			return 1;
		}
		if (s->eof) {
			s->exp++;
			return 1;
		}
		enter(s, ST_SILENCE_WAIT);
		start_timer(s, e->silence_ms);
		return 0;
	}
	return 1;
}

/* ---- sending ------------------------------------------------------------ */

/* unasked_reply - before a step's send: a reply no command asked for is a finding. */
static void unasked_reply(ssp_session_t *s, const ssp_step_t *st)
{
	if (s->expected_reply_before && s->in.len > 0 && memchr(s->in.data, '\n', s->in.len) &&
	    s->finding_fail[0] == '\0') {
		char label[160], got[200];
		step_label(s, label, sizeof(label));
		describe_pending(s, got, sizeof(got));
		reasonf(s->finding_fail, sizeof(s->finding_fail),
			 "before %s: the server sent a reply that no command asked for: %s", label, got);
	}
	s->expected_reply_before = st->nexpect > 0;
}

/* send_step - build and write the current step; 0 if a write is pending. */
static int send_step(ssp_session_t *s, const ssp_step_t *st)
{
	ssp_vars_err_t err;
	int rc;

	unasked_reply(s, st);
	if (st->send == SSP_SEND_NONE)
		return 1;
	if (ssp_payload_build(&s->vars, st, &s->out, &err) != 0) {
		conclude(s, SSP_ERROR, "step %u: cannot build what to send: %s", s->step - s->npre + 1, err.text);
		return 1;
	}
	if (ssp_payload_sends_quit(s->out.data, s->out.len))
		s->quit_sent = 1;
	ssp_transcript_lines(&s->res->transcript, SSP_TR_CLIENT, now_ms(s), s->out.data, s->out.len);
	if (s->eof) {
		char expected[256];
		ssp_expect_describe(st->nexpect ? &st->expect[0] : &expect_250, expected, sizeof(expected));
		mismatch(s, st, expected, "the connection closed before the command could be sent");
		return 1;
	}
	rc = ssp_conn_write(s->conn, s->out.data, s->out.len);
	if (rc != 0) {
		note(s, "write failed: %s", uv_strerror(rc));
		return 1;
	}
	enter(s, ST_WRITING);
	start_timer(s, s->cfg->timeout_ms);
	return 0;
}

static void on_written(void *owner, int status)
{
	ssp_session_t *s = owner;

	if (s->state == ST_QUIT_WRITE) {
		if (status != 0 || s->eof) {
			close_session(s);
			return;
		}
		enter(s, ST_QUIT_WAIT);
		start_timer(s, SSP_QUIT_GRACE_MS);
		return;
	}
	if (s->state != ST_WRITING)
		return;
	uv_timer_stop(&s->timer);
	if (status != 0)
		note(s, "write failed: %s", uv_strerror(status));
	enter(s, ST_EXPECT);
	advance(s);
}

/* ---- the driver --------------------------------------------------------- */

/* next_step - the step's expectations are done: repeat it, or the next step. */
static void next_step(ssp_session_t *s, const ssp_step_t *st)
{
	s->exp = 0;
	if (++s->rep >= st->repeat) {
		s->rep = 0;
		s->step++;
	}
	enter(s, ST_STEP);
}

/* advance - move as far as possible without waiting. */
static void advance(ssp_session_t *s)
{
	while (!concluded(s)) {
		const ssp_step_t *st = current_step(s);

		if (st == NULL) {
			if (s->warned[0])
				conclude(s, SSP_WARN, "%s", s->warned);
			else
				conclude(s, SSP_PASS, "every expectation was met");
			return;
		}
		switch (s->state) {
		case ST_STEP:
			s->exp = 0;
			enter(s, st->pause_ms > 0 ? ST_PAUSE : ST_SEND);
			if (st->pause_ms > 0) {
				start_timer(s, st->pause_ms);
				return;
			}
			break;
		case ST_SEND:
			enter(s, ST_EXPECT);
			if (!send_step(s, st))
				return; /* on_written continues */
			break;
		case ST_EXPECT:
			if (s->exp >= st->nexpect)
				next_step(s, st);
			else if (!begin_expect(s, st, &st->expect[s->exp]))
				return; /* a wait state was entered */
			break;
		default:
			return; /* waiting: a callback continues */
		}
	}
}

/* ---- network events ----------------------------------------------------- */

/* take_bytes - keep received bytes (or note the end): 0, or -1 when concluded. */
static int take_bytes(ssp_session_t *s, const char *p, ssize_t n)
{
	if (n < 0) {
		s->eof = (int)n;
		record_in(s, 1);
		if (n == UV_EOF)
			note(s, "the server closed the connection");
		else
			note(s, "connection error: %s", uv_strerror((int)n));
		return 0;
	}
	if (ssp_buf_append(&s->in, p, (size_t)n) != 0) {
		record_in(s, 1);
		set_expected_observed(s, "", "");
		conclude(s, SSP_FAIL, "the server sent more than %d bytes that no reply could hold (RFC 5321 §4.5.3.1.5)",
			 SSP_REPLY_BYTES_HARD_MAX);
		return -1;
	}
	record_in(s, 0);
	return 0;
}

static void on_received(void *owner, const char *p, ssize_t n)
{
	ssp_session_t *s = owner;
	const ssp_step_t *st = current_step(s);
	int line = 0;

	if (take_bytes(s, p, n) != 0)
		return;
	line = s->in.len > 0 && memchr(s->in.data, '\n', s->in.len) != NULL;
	switch (s->state) {
	case ST_QUIT_WAIT:
		if (n < 0 || line)
			close_session(s);
		return;
	case ST_CLOSE_WAIT:
		if (n > 0 && !line)
			return; /* a partial line: wait for the rest, or the timer */
		/* fall through */
	case ST_REPLY_WAIT:
		/* the timer keeps running: a trickling server cannot extend the wait */
		if (!try_reply(s, st, &st->expect[s->exp]) || concluded(s))
			return;
		uv_timer_stop(&s->timer);
		if (s->state == ST_CLOSE_WAIT && n < 0)
			s->exp++;
		enter(s, ST_EXPECT);
		advance(s);
		return;
	case ST_SILENCE_WAIT:
		uv_timer_stop(&s->timer);
		if (n >= 0) {
			char expected[256], got[200];
			ssp_expect_describe(&st->expect[s->exp], expected, sizeof(expected));
			describe_pending(s, got, sizeof(got));
			mismatch(s, st, expected, got);
			return;
		}
		s->exp++;
		enter(s, ST_EXPECT);
		advance(s);
		return;
	default:
		return; /* kept in s->in for the next expectation */
	}
}

static void on_connected(void *owner, int status)
{
	ssp_session_t *s = owner;

	if (s->state != ST_CONNECTING)
		return;
	if (status != 0) {
		note(s, "cannot connect to %s: %s", s->cfg->target, uv_strerror(status));
		conclude(s, SSP_ERROR, "cannot connect to %s: %s", s->cfg->target,
			 status == UV_ETIMEDOUT ? "no answer within the connect deadline" : uv_strerror(status));
		return;
	}
	s->res->connected = 1;
	note(s, "connected to %s", s->cfg->target);
	enter(s, ST_STEP);
	advance(s);
}

static const ssp_conn_events_t conn_events = {
	.connected = on_connected,
	.received = on_received,
	.written = on_written,
	.closed = on_conn_closed,
};

/* begin - the common start of a session and of the probe. */
static ssp_session_t *begin(const ssp_session_cfg_t *cfg, const ssp_vector_t *v,
			    ssp_result_t *out, ssp_session_done_cb done, void *arg,
			    ssp_probe_replies_t *probe)
{
	ssp_conn_open_fn open = cfg->open ? cfg->open : ssp_conn_tcp_open;
	ssp_session_t *s = calloc(1, sizeof(*s));
	int rc;

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
	s->probe = probe;
	ssp_vars_init(&s->vars, cfg->vars);
	ssp_buf_init(&s->in, SSP_REPLY_BYTES_HARD_MAX + SSP_READ_CHUNK);
	ssp_buf_init(&s->out, SSP_SEND_BYTES_MAX + 8);
	ssp_reply_reset(&s->reply);
	s->t0 = uv_now(cfg->loop);
	s->npre = prelude_count[v->prelude];
	enter(s, ST_CONNECTING);
	rc = uv_timer_init(cfg->loop, &s->timer);
	if (rc == 0) {
		s->timer_open = 1;
		s->timer.data = s;
		s->conn = open(cfg->loop, cfg->addr, cfg->connect_timeout_ms, &conn_events, s,
			       cfg->open_arg, &rc);
	}
	if (s->conn == NULL) {
		note(s, "cannot connect to %s: %s", cfg->target, uv_strerror(rc));
		out->verdict = SSP_ERROR;
		snprintf(out->reason, sizeof(out->reason), "cannot connect to %s: %s", cfg->target,
			 uv_strerror(rc));
		if (!s->timer_open) {
			ssp_vars_free(&s->vars);
			free(s);
			return NULL;
		}
		close_session(s); /* done is called from the timer's close callback */
	}
	return s;
}

ssp_session_t *ssp_session_start(const ssp_session_cfg_t *cfg, const ssp_vector_t *v,
				 ssp_result_t *out, ssp_session_done_cb done, void *arg)
{
	return begin(cfg, v, out, done, arg, NULL);
}

ssp_session_t *ssp_session_probe(const ssp_session_cfg_t *cfg, ssp_result_t *out,
				 ssp_probe_replies_t *replies, ssp_session_done_cb done, void *arg)
{
	memset(replies, 0, sizeof(*replies));
	return begin(cfg, &probe_vector, out, done, arg, replies);
}

void ssp_session_abort(ssp_session_t *s, const char *reason)
{
	if (!concluded(s)) {
		record_in(s, 1);
		s->res->verdict = SSP_ERROR;
		snprintf(s->res->reason, sizeof(s->res->reason), "%s", reason);
		note(s, "aborted: %s", reason);
	}
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
