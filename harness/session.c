/*
 * session.c - the session runner: one vector, one connection, one verdict.
 *
 * The runner is a state machine driven by libuv callbacks; its state
 * changes only in enter().  Its position is (step, repetition,
 * expectation), the prelude's steps counting first; advance() moves it as
 * far as it can without waiting, and each wait has a deadline on the
 * session's own timer.  The first decisive observation ends the vector
 * (conclude); the connection is then closed politely (QUIT) when still
 * open.  Matching a reply against an expectation is expect.c's job, acting
 * on the outcome judge.c's; this file runs the machine and the connection.
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
 *   EXPECT      -> HANDSHAKE    a starttls step's 220: the TLS handshake (conn_tls.c)
 *   HANDSHAKE   -> STEP         the handshake completed: the next step, inside TLS
 *               -> (verdict)    it failed, or passed its deadline: a mismatch
 *   any state before QUIT_*    -> QUIT_WRITE   verdict; connection open, no QUIT sent yet
 *                              -> QUIT_WAIT    verdict; the vector sent QUIT itself
 *                              -> CLOSING      verdict; connection gone or busy
 *   QUIT_WRITE  -> QUIT_WAIT    written
 *               -> CLOSING      write failed, or the grace timer fired
 *   QUIT_WAIT   -> CLOSING      a reply, the close, or the grace timer
 *   CLOSING     : the timer and the connection close; the session frees
 *                 itself after both close callbacks ran, then calls done.
 */
#include "session_int.h"

#include "expect.h"
#include "limits.h"
#include "conn_tls.h"
#include "precheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void advance(ssp_session_t *s);

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

/* ---- messages ------------------------------------------------------------ */

uint32_t ssp_session__now(const ssp_session_t *s)
{
	return (uint32_t)(uv_now(s->cfg->loop) - s->t0);
}

void ssp_session__note(ssp_session_t *s, const char *fmt, ...)
{
	char text[SSP_REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ssp_transcript_note(&s->res->transcript, ssp_session__now(s), "%s", text);
}

/* ---- ending ------------------------------------------------------------- */

/* release - once the timer and the connection are closed: report, free. */
static void release(ssp_session_t *s)
{
	if (s->timer_open || s->conn != NULL)
		return;
	s->res->duration_ms = ssp_session__now(s);
	ssp_transcript_finish(&s->res->transcript, ssp_session__now(s));
	ssp_vars_free(&s->vars);
	ssp_inbox_free(&s->in);
	ssp_sender_free(&s->snd);
	s->done(s->res, s->done_arg);
	free(s);
}

/* on_conn_closed - the connection freed itself: release when the timer is closed too. */
static void on_conn_closed(void *owner)
{
	ssp_session_t *s = owner;

	s->conn = NULL;
	release(s);
}

/* on_timer_closed - the timer is closed: release when the connection is too. */
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

/* start_timer - the deadline of the current wait, ms from now. */
static void start_timer(ssp_session_t *s, unsigned ms)
{
	uv_timer_start(&s->timer, on_wait_timeout, ssp_session__clamp(s->cfg, ms), 0);
}

/* finish - after the verdict: QUIT politely if the connection is still up. */
static void finish(ssp_session_t *s)
{
	static const char quit[] = "QUIT\r\n";
	/* after a 421 nothing more is sent, not even QUIT (the server is closing) */
	int open = s->conn != NULL && ssp_conn_is_open(s->conn) && !s->eof && !s->got_421;

	uv_timer_stop(&s->timer);
	if (open && s->quit_sent) {
		/* the vector said QUIT already: give the server a moment to close */
		enter(s, ST_QUIT_WAIT);
		start_timer(s, SSP_QUIT_GRACE_MS);
		return;
	}
	if (open && !ssp_conn_is_writing(s->conn)) {
		ssp_transcript_lines(&s->res->transcript, SSP_TR_CLIENT, ssp_session__now(s), quit, sizeof(quit) - 1);
		if (ssp_conn_write(s->conn, quit, sizeof(quit) - 1) == 0) {
			enter(s, ST_QUIT_WRITE);
			start_timer(s, SSP_QUIT_GRACE_MS);
			return;
		}
	}
	close_session(s);
}

void ssp_session__conclude(ssp_session_t *s, ssp_verdict_t v, const char *fmt, ...)
{
	va_list ap;

	if (concluded(s))
		return;
	va_start(ap, fmt);
	vsnprintf(s->res->reason, sizeof(s->res->reason), fmt, ap);
	va_end(ap);
	/* grammar findings make a pass (or a softer verdict) worse */
	v = ssp_findings_apply(&s->found, s->v, v, s->res->reason, sizeof(s->res->reason));
	s->res->verdict = v;
	ssp_session__note(s, "verdict: %s: %s", ssp_verdict_name(v), s->res->reason);
	/* only the transcript and the result outlive the verdict (a chunk
	 * being written stays until its callback: release() frees it) */
	if (s->conn == NULL || !ssp_conn_is_writing(s->conn))
		ssp_sender_free(&s->snd);
	ssp_vars_free(&s->vars);
	finish(s);
}

/* ---- waiting ------------------------------------------------------------ */

/* on_wait_timeout - the current wait's deadline: what it means depends on the state. */
static void on_wait_timeout(uv_timer_t *t)
{
	ssp_session_t *s = t->data;
	const ssp_step_t *st = ssp_position_step(&s->pos);

	switch (s->state) {
	case ST_PAUSE:
		enter(s, ST_SEND);
		advance(s);
		return;
	case ST_SILENCE_WAIT:
		s->pos.exp++;
		enter(s, ST_EXPECT);
		advance(s);
		return;
	case ST_WRITING:
		ssp_session__note(s, "timeout: the server took none of our bytes for %u ms", s->cfg->timeout_ms);
		ssp_session__mismatch(s, st, "the server to read the command", "no progress writing: the server does not read");
		return;
	case ST_REPLY_WAIT:
	case ST_CLOSE_WAIT:
		ssp_session__timed_out(s, st);
		return;
	case ST_SMUGGLE_WAIT:
		ssp_session__timed_out(s, st);
		return;
	case ST_SMUGGLE_DRAIN:
		ssp_session__smuggle_verdict(s, "no reply to QUIT in time");
		return;
	case ST_HANDSHAKE:
		ssp_session__note(s, "timeout: no TLS handshake within %u ms", s->cfg->timeout_ms);
		ssp_session__mismatch(s, st, "a TLS handshake (RFC 3207)", "no TLS handshake within the deadline");
		return;
	case ST_QUIT_WRITE:
	case ST_QUIT_WAIT:
		ssp_session__note(s, "closing the connection");
		close_session(s);
		return;
	default:
		return;
	}
}

/*
 * smuggle_read - the replies after smuggled content (smuggle.h): QUIT goes
 * out after the first, and its 221 ends them; so do a 421, the close and
 * the cap.  Judges when they end.
 */
static void smuggle_read(ssp_session_t *s)
{
	static const char quit[] = "QUIT\r\n";
	const ssp_step_t *st = ssp_position_step(&s->pos);

	while (!concluded(s)) {
		ssize_t n = ssp_reply_parse(&s->reply, s->in.buf.data ? s->in.buf.data : "", s->in.buf.len);
		char label[SSP_LABEL_MAX];
		int code;

		if (n == SSP_REPLY_PARTIAL) {
			if (s->eof && s->nsmuggle == 0)
				ssp_session__try_reply(s, st, &st->expect[s->pos.exp]); /* closed instead */
			else if (s->eof)
				ssp_session__smuggle_verdict(s, "the server closed the connection");
			return;
		}
		if (n == SSP_REPLY_MALFORMED) {
			ssp_session__try_reply(s, st, &st->expect[s->pos.exp]); /* a FAIL */
			return;
		}
		code = s->reply.code;
		ssp_session__label(s, label, sizeof(label));
		ssp_findings_grammar(&s->found, &s->res->transcript, ssp_session__now(s), label, &s->reply,
				     s->in.buf.data);
		ssp_inbox_consume(&s->in, (size_t)n);
		ssp_reply_reset(&s->reply);
		if (code == 221 && s->state == ST_SMUGGLE_DRAIN) {
			ssp_session__smuggle_verdict(s, "QUIT answered 221");
			return;
		}
		s->smuggle_codes[s->nsmuggle++] = code;
		if (code == 421 || s->nsmuggle == SSP_SMUGGLE_REPLIES_MAX) {
			ssp_session__smuggle_verdict(s, code == 421 ? "the server is closing" : "too many replies");
			return;
		}
		if (s->state == ST_SMUGGLE_WAIT) {
			const ssp_expect_t *e = &st->expect[s->pos.exp];

			s->quit_sent = 1;
			ssp_transcript_lines(&s->res->transcript, SSP_TR_CLIENT, ssp_session__now(s), quit,
					     sizeof(quit) - 1);
			if (ssp_conn_write(s->conn, quit, sizeof(quit) - 1) != 0) {
				ssp_session__smuggle_verdict(s, "QUIT could not be written");
				return;
			}
			enter(s, ST_SMUGGLE_DRAIN);
			uv_timer_stop(&s->timer);
			start_timer(s, e->timeout_ms ? e->timeout_ms : s->cfg->timeout_ms);
		}
	}
}

/* begin_expect - start expectation e; 1 if settled already, 0 if waiting. */
static int begin_expect(ssp_session_t *s, const ssp_step_t *st, const ssp_expect_t *e)
{
	unsigned ms = e->timeout_ms ? e->timeout_ms : s->cfg->timeout_ms;
	char expected[SSP_EXPECTED_TEXT_MAX], got[SSP_OBSERVED_TEXT_MAX];

	switch (e->kind) {
	case SSP_EXPECT_REPLY:
		if (ssp_session__try_reply(s, st, e))
			return 1;
		enter(s, ST_REPLY_WAIT);
		start_timer(s, ms);
		return 0;
	case SSP_EXPECT_CLOSE:
		/* a reply where a close was expected; a partial one waits like a close */
		if (ssp_inbox_has_line(&s->in) && ssp_session__try_reply(s, st, e))
			return 1;
		if (s->eof) {
			s->pos.exp++;
			return 1;
		}
		enter(s, ST_CLOSE_WAIT);
		start_timer(s, ms);
		return 0;
	case SSP_EXPECT_SMUGGLING:
		s->nsmuggle = 0;
		enter(s, ST_SMUGGLE_WAIT);
		start_timer(s, ms);
		smuggle_read(s);
		return 0;
	case SSP_EXPECT_SILENCE:
		if (s->in.buf.len > 0) {
			ssp_expect_describe(e, expected, sizeof(expected));
			ssp_inbox_describe(&s->in, got, sizeof(got));
			ssp_session__mismatch(s, st, expected, got);
			return 1;
		}
		if (s->eof) {
			s->pos.exp++;
			return 1;
		}
		enter(s, ST_SILENCE_WAIT);
		start_timer(s, e->silence_ms);
		return 0;
	}
	return 1;
}

/* ---- sending ------------------------------------------------------------ */

/* on_written - a step's bytes or the courtesy QUIT were written (or failed). */
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
	if (!ssp_session__chunk_written(s, status))
		return; /* the next chunk is being written */
	if (concluded(s))
		return;
	enter(s, ST_EXPECT);
	advance(s);
}

/* ---- the driver --------------------------------------------------------- */

/* next_step - the step's expectations are done: repeat it, or the next step. */
static void next_step(ssp_session_t *s, const ssp_step_t *st)
{
	s->pos.exp = 0;
	if (++s->pos.rep >= st->repeat) {
		s->pos.rep = 0;
		s->pos.step++;
	}
	enter(s, ST_STEP);
}

/* advance - move as far as possible without waiting. */
static void advance(ssp_session_t *s)
{
	while (!concluded(s)) {
		const ssp_step_t *st = ssp_position_step(&s->pos);

		if (st == NULL) {
			if (s->found.warned[0])
				ssp_session__conclude(s, SSP_WARN, "%s", s->found.warned);
			else
				ssp_session__conclude(s, SSP_PASS, "every expectation was met");
			return;
		}
		switch (s->state) {
		case ST_STEP:
			s->pos.exp = 0;
			enter(s, st->pause_ms > 0 ? ST_PAUSE : ST_SEND);
			if (st->pause_ms > 0) {
				start_timer(s, st->pause_ms);
				return;
			}
			break;
		case ST_SEND:
			if (!ssp_session__send_step(s, st))
				return; /* WRITING: on_written continues */
			if (!concluded(s))
				enter(s, ST_EXPECT);
			break;
		case ST_EXPECT:
			if (s->pos.exp >= st->nexpect && st->starttls) {
				if (!ssp_session__begin_tls(s, st))
					return; /* HANDSHAKE: on_tls_done continues */
				if (!concluded(s))
					next_step(s, st);
			} else if (s->pos.exp >= st->nexpect)
				next_step(s, st);
			else if (!begin_expect(s, st, &st->expect[s->pos.exp]))
				return; /* a wait state was entered */
			break;
		default:
			return; /* waiting: a callback continues */
		}
	}
}

/* ---- for session_tls.c ---------------------------------------------------- */

void ssp_session__enter(ssp_session_t *s, int to)
{
	enter(s, (state_t)to);
}

void ssp_session__advance(ssp_session_t *s)
{
	advance(s);
}

void ssp_session__start_timer(ssp_session_t *s, unsigned ms)
{
	start_timer(s, ms);
}

/* ---- network events ----------------------------------------------------- */

/* take_bytes - keep received bytes (or note the end): 0, or -1 when concluded. */
static int take_bytes(ssp_session_t *s, const char *p, ssize_t n)
{
	int rc;

	if (n < 0) {
		s->eof = (int)n;
		ssp_inbox_flush(&s->in, ssp_session__now(s));
		if (n == UV_EOF)
			ssp_session__note(s, "the server closed the connection");
		else
			ssp_session__note(s, "connection error: %s", uv_strerror((int)n));
		return 0;
	}
	if ((rc = ssp_inbox_add(&s->in, ssp_session__now(s), p, (size_t)n)) != 0) {
		ssp_session__set_expected_observed(s, "", "");
		if (rc == -2) /* the harness's failure, not the server's */
			ssp_session__conclude(s, SSP_ERROR, "out of memory holding the server's bytes");
		else
			ssp_session__conclude(s, SSP_FAIL, "the server sent more than %d bytes that no reply could hold (RFC 5321 §4.5.3.1.5)",
				 SSP_REPLY_BYTES_HARD_MAX);
		return -1;
	}
	return 0;
}

/* on_received - bytes (n > 0) or the end (n < 0): judge them if a wait expects them. */
static void on_received(void *owner, const char *p, ssize_t n)
{
	ssp_session_t *s = owner;
	const ssp_step_t *st = ssp_position_step(&s->pos);
	int line = 0;

	if (take_bytes(s, p, n) != 0)
		return;
	if (n == UV_EPROTO && s->state == ST_REPLY_WAIT && s->conn != NULL && ssp_conn_tls_error(s->conn)[0] != '\0') {
		/* the TLS layer broke under the reply (a fatal alert: a client
		 * certificate required or refused): no SMTP rule can be judged */
		ssp_session__conclude(s, SSP_ERROR, "TLS failed while waiting for a reply: %s", ssp_conn_tls_error(s->conn));
		return;
	}
	line = ssp_inbox_has_line(&s->in);
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
		if (!ssp_session__try_reply(s, st, &st->expect[s->pos.exp]) || concluded(s))
			return;
		uv_timer_stop(&s->timer);
		enter(s, ST_EXPECT);
		advance(s);
		return;
	case ST_SMUGGLE_WAIT:
	case ST_SMUGGLE_DRAIN:
		smuggle_read(s);
		return;
	case ST_SILENCE_WAIT:
		uv_timer_stop(&s->timer);
		if (n >= 0) {
			char expected[SSP_EXPECTED_TEXT_MAX], got[SSP_OBSERVED_TEXT_MAX];
			ssp_expect_describe(&st->expect[s->pos.exp], expected, sizeof(expected));
			ssp_inbox_describe(&s->in, got, sizeof(got));
			ssp_session__mismatch(s, st, expected, got);
			return;
		}
		s->pos.exp++;
		enter(s, ST_EXPECT);
		advance(s);
		return;
	default:
		return; /* kept in s->in for the next expectation */
	}
}

/* on_connected - connected: the first step; or the connection failed: error. */
static void on_connected(void *owner, int status)
{
	ssp_session_t *s = owner;

	if (s->state != ST_CONNECTING)
		return;
	if (status != 0) {
		const char *tls = s->conn != NULL ? ssp_conn_tls_error(s->conn) : "";

		ssp_session__note(s, "cannot connect to %s: %s", s->cfg->target, tls[0] ? tls : uv_strerror(status));
		ssp_session__conclude(s, SSP_ERROR, "cannot connect to %s: %s", s->cfg->target,
			 tls[0] ? tls : status == UV_ETIMEDOUT ? "no answer within the connect deadline" : uv_strerror(status));
		return;
	}
	s->res->connected = 1;
	ssp_session__note(s, "connected to %s", s->cfg->target);
	if (ssp_conn_tls_active(s->conn)) {
		char text[SSP_REASON_MAX];

		ssp_conn_tls_describe(s->conn, text, sizeof(text));
		ssp_session__note(s, "%s (implicit TLS, RFC 8314); shown as plaintext", text);
	}
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
	ssp_inbox_init(&s->in, &s->res->transcript);
	ssp_sender_init(&s->snd);
	ssp_reply_reset(&s->reply);
	s->t0 = uv_now(cfg->loop);
	ssp_position_init(&s->pos, v);
	if (cfg->starttls && probe == NULL)
		ssp_position_starttls(&s->pos);
	enter(s, ST_CONNECTING);
	rc = uv_timer_init(cfg->loop, &s->timer);
	if (rc == 0) {
		s->timer_open = 1;
		s->timer.data = s;
		s->conn = open(cfg->loop, cfg->addr, (unsigned)ssp_session__clamp(cfg, cfg->connect_timeout_ms), &conn_events, s,
			       cfg->open_arg, &rc);
	}
	if (s->conn == NULL) {
		ssp_session__note(s, "cannot connect to %s: %s", cfg->target, uv_strerror(rc));
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
	return begin(cfg, ssp_position_probe_vector(), out, done, arg, replies);
}

void ssp_session_abort(ssp_session_t *s, const char *reason)
{
	if (!concluded(s)) {
		ssp_inbox_flush(&s->in, ssp_session__now(s));
		s->res->verdict = SSP_ERROR;
		snprintf(s->res->reason, sizeof(s->res->reason), "%s", reason);
		ssp_session__note(s, "aborted: %s", reason);
	}
	close_session(s);
}

int ssp_session_precheck(const ssp_session_cfg_t *cfg, const ssp_vector_t *v,
			 char *reason, size_t size)
{
	const char *missing;

	if (ssp_precheck_settings(cfg, v, reason, size)) /* credentials, exposure (precheck.c) */
		return 1;
	if (cfg->starttls && v->prelude == SSP_PRELUDE_NONE) {
		snprintf(reason, size, "the vector reads the greeting itself: it cannot run after STARTTLS (run it without --starttls)");
		return 1;
	}
	if (v->prelude == SSP_PRELUDE_EHLO || v->nrequires == 0)
		return 0;
	missing = ssp_vector_missing_keyword(v, cfg->caps, cfg->caps_len);
	if (missing == NULL)
		return 0;
	snprintf(reason, size, "the server does not advertise %s in its EHLO reply", missing);
	return 1;
}

ssp_session_t *ssp_session_collect(const ssp_session_cfg_t *cfg, const ssp_vector_t *v, ssp_result_t *out,
				   ssp_probe_replies_t *replies, ssp_session_done_cb done, void *arg)
{
	memset(replies, 0, sizeof(*replies));
	return begin(cfg, v, out, done, arg, replies);
}

uint64_t ssp_session_cost(const ssp_session_cfg_t *cfg, const ssp_vector_t *v)
{
	uint64_t bytes = sizeof(ssp_session_t) + SSP_REPLY_BYTES_HARD_MAX + SSP_READ_CHUNK /* inbox */
			 + SSP_READ_CHUNK /* the transport's read buffer */
			 + SSP_TRANSCRIPT_BYTES_MAX + 256 + SSP_TRANSCRIPT_ENTRIES_MAX * sizeof(ssp_tr_entry_t)
			 + (uint64_t)SSP_VARS_MAX * (SSP_VAR_NAME_MAX + SSP_VAR_VALUE_MAX + 2);
	unsigned i;

	for (i = 0; i < v->nsteps; i++) {
		if (v->steps[i].send != SSP_SEND_NONE) {
			bytes += SSP_WRITE_BUFFER_MAX + SSP_SENT_HEAD_MAX;
			break;
		}
	}
	if (cfg->open != NULL)
		bytes += 2 * SSP_TLS_BUFFER_MAX + SSP_TLS_ENGINE_BYTES;
	return bytes;
}
