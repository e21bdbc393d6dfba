/*
 * test_session.c - the session state machine (session.c, judge.c) driven by
 * a scripted fake connection: no sockets.  The fake implements the conn.h
 * ops table; its script says what the server sends, when it waits for the
 * client's writes, pauses and closes.  Each test asserts the verdict and
 * its reason, and what the client wrote.
 */
#include "tests.h"

#include "../conn.h"
#include "../limits.h"
#include "../session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the scripted connection --------------------------------------------- */

typedef enum {
	SC_SEND = 0,  /* the server sends bytes (one received event) */
	SC_WRITES,    /* wait until the client has completed n writes */
	SC_DELAY,     /* wait ms */
	SC_CLOSE,     /* the server closes (UV_EOF) */
	SC_RESET,     /* the connection is reset (UV_ECONNRESET) */
	SC_END,
} sc_kind_t;

typedef struct {
	sc_kind_t kind;
	const char *p;
	size_t n;      /* bytes (SC_SEND), writes (SC_WRITES) or ms (SC_DELAY) */
} sc_t;

#define SEND(s) { SC_SEND, s, sizeof(s) - 1 }
#define WRITES(k) { SC_WRITES, NULL, k }
#define DELAY(ms) { SC_DELAY, NULL, ms }
#define CLOSE { SC_CLOSE, NULL, 0 }
#define RESET { SC_RESET, NULL, 0 }
#define END { SC_END, NULL, 0 }

typedef struct {
	ssp_conn_t base;
	uv_timer_t script_timer, write_timer;
	const sc_t *script;
	size_t at;
	unsigned writes, open_handles;
	int connected, closing, writing, ended;
	char written[4096];
	size_t wlen;
} fake_t;

/* What the test keeps after the fake is gone. */
static char last_written[4096];
static size_t last_wlen;
static unsigned fakes_alive;

static void run_script(uv_timer_t *t);

/* kick - continue the script from the loop, never from the caller's stack. */
static void kick(fake_t *f, uint64_t ms)
{
	uv_timer_start(&f->script_timer, run_script, ms, 0);
}

static void run_script(uv_timer_t *t)
{
	fake_t *f = t->data;

	if (f->closing || f->ended)
		return;
	if (!f->connected) {
		f->connected = 1;
		f->base.ev->connected(f->base.owner, 0);
		kick(f, 0);
		return;
	}
	for (;;) {
		const sc_t *sc = &f->script[f->at];

		switch (sc->kind) {
		case SC_SEND:
			f->at++;
			f->base.ev->received(f->base.owner, sc->p, (ssize_t)sc->n);
			if (!f->closing)
				kick(f, 0); /* one event per loop turn, as the network would */
			return;
		case SC_WRITES:
			if (f->writes < sc->n)
				return; /* on_write_done kicks again */
			f->at++;
			continue;
		case SC_DELAY:
			f->at++;
			kick(f, sc->n);
			return;
		case SC_CLOSE:
		case SC_RESET:
			f->at++;
			f->ended = 1;
			f->base.ev->received(f->base.owner, NULL, sc->kind == SC_CLOSE ? UV_EOF : UV_ECONNRESET);
			return;
		case SC_END:
			return; /* a silent server */
		}
	}
}

static void on_write_done(uv_timer_t *t)
{
	fake_t *f = t->data;

	f->writing = 0;
	f->writes++;
	if (f->closing)
		return;
	f->base.ev->written(f->base.owner, 0);
	if (!f->closing && !f->ended && f->script[f->at].kind == SC_WRITES)
		kick(f, 0); /* a pending delay is not cut short */
}

static int fake_write(ssp_conn_t *c, const char *p, size_t n)
{
	fake_t *f = (fake_t *)c;

	if (!f->connected || f->closing || f->writing)
		return UV_EINVAL;
	if (n > sizeof(f->written) - f->wlen)
		n = sizeof(f->written) - f->wlen;
	memcpy(f->written + f->wlen, p, n);
	f->wlen += n;
	f->writing = 1;
	return uv_timer_start(&f->write_timer, on_write_done, 0, 0);
}

static void on_fake_closed(uv_handle_t *h)
{
	fake_t *f = h->data;

	if (--f->open_handles > 0)
		return;
	memcpy(last_written, f->written, f->wlen);
	last_wlen = f->wlen;
	f->base.ev->closed(f->base.owner);
	fakes_alive--;
	free(f);
}

static void fake_close(ssp_conn_t *c)
{
	fake_t *f = (fake_t *)c;

	if (f->closing)
		return;
	f->closing = 1;
	uv_close((uv_handle_t *)&f->script_timer, on_fake_closed);
	uv_close((uv_handle_t *)&f->write_timer, on_fake_closed);
}

static int fake_is_open(const ssp_conn_t *c)
{
	const fake_t *f = (const fake_t *)c;

	return f->connected && !f->closing;
}

static int fake_is_writing(const ssp_conn_t *c)
{
	return ((const fake_t *)c)->writing;
}

static const ssp_conn_ops_t fake_ops = { fake_write, fake_close, fake_is_open, fake_is_writing };

static ssp_conn_t *fake_open(uv_loop_t *loop, const struct sockaddr *addr, unsigned timeout_ms,
			     const ssp_conn_events_t *ev, void *owner, const void *arg, int *err)
{
	fake_t *f = calloc(1, sizeof(*f));

	(void)addr;
	(void)timeout_ms;
	if (f == NULL) {
		*err = UV_ENOMEM;
		return NULL;
	}
	f->base.ops = &fake_ops;
	f->base.ev = ev;
	f->base.owner = owner;
	f->script = arg;
	uv_timer_init(loop, &f->script_timer);
	uv_timer_init(loop, &f->write_timer);
	f->script_timer.data = f->write_timer.data = f;
	f->open_handles = 2;
	fakes_alive++;
	kick(f, 0);
	return &f->base;
}

/* ---- running one vector against a script ---------------------------------- */

typedef struct {
	ssp_result_t res;
	int done;
} outcome_t;

static void on_done(ssp_result_t *r, void *arg)
{
	outcome_t *o = arg;

	(void)r;
	o->done++;
}

/* run - vector v against script; the result in *o (free with ssp_result_free). */
static void run(const ssp_vector_t *v, const sc_t *script, unsigned timeout_ms, outcome_t *o)
{
	uv_loop_t loop;
	ssp_vars_t vars;
	ssp_session_cfg_t cfg;
	struct sockaddr_in sin;

	memset(o, 0, sizeof(*o));
	memset(&cfg, 0, sizeof(cfg));
	ssp_result_init(&o->res, v);
	CU_ASSERT_FATAL(uv_loop_init(&loop) == 0);
	ssp_vars_init(&vars, NULL);
	ssp_vars_set(&vars, "client", "client.test", 11);
	uv_ip4_addr("127.0.0.1", 9, &sin);
	cfg.loop = &loop;
	cfg.addr = (const struct sockaddr *)&sin;
	cfg.target = "scripted";
	cfg.timeout_ms = timeout_ms;
	cfg.connect_timeout_ms = timeout_ms;
	cfg.vars = &vars;
	cfg.open = fake_open;
	cfg.open_arg = script;
	last_wlen = 0;
	CU_ASSERT_FATAL(ssp_session_start(&cfg, v, &o->res, on_done, o) != NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	CU_ASSERT_EQUAL(o->done, 1);
	CU_ASSERT_EQUAL(fakes_alive, 0);
	CU_ASSERT_EQUAL(uv_loop_close(&loop), 0);
	ssp_vars_free(&vars);
}

/* A vector of up to four steps, built in place. */
typedef struct {
	ssp_vector_t v;
	ssp_step_t steps[4];
	ssp_expect_t expect[4][3];
	char payload[4][256];
} vec_t;

static char vec_id[] = "rfc5321/0/test", vec_empty[] = "";

static void vec_init(vec_t *t, ssp_prelude_t prelude, ssp_level_t level)
{
	memset(t, 0, sizeof(*t));
	t->v.id = vec_id;
	t->v.title = t->v.section = t->v.quote = vec_empty;
	t->v.rfc = 5321;
	t->v.level = level;
	t->v.prelude = prelude;
	t->v.steps = t->steps;
}

/* vec_step - add a step sending text (CRLF appended unless raw) expecting
 * the codes in pass (one expectation per space-separated pattern). */
static ssp_step_t *vec_step(vec_t *t, ssp_send_kind_t kind, const char *text, const char *pass)
{
	unsigned i = t->v.nsteps++;
	ssp_step_t *st = &t->steps[i];
	char codes[64], *tok, *save = NULL;

	st->send = kind;
	st->repeat = 1;
	st->ncommands = 1;
	st->expect = t->expect[i];
	if (text != NULL) {
		snprintf(t->payload[i], sizeof(t->payload[i]), "%s%s", text,
			 kind == SSP_SEND_LINE ? "\r\n" : "");
		st->payload = t->payload[i];
		st->payload_len = strlen(t->payload[i]);
	}
	snprintf(codes, sizeof(codes), "%s", pass);
	for (tok = strtok_r(codes, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		ssp_expect_t *e = &t->expect[i][st->nexpect++];
		if (strcmp(tok, "close") == 0)
			e->kind = SSP_EXPECT_CLOSE;
		else
			CU_ASSERT(ssp_codes_parse(&e->pass, tok) == 0);
	}
	return st;
}

/* vec_capture - the first expectation of step i captures ${var} with pattern src (freed by the caller: ssp_pattern_free). */
static void vec_capture(vec_t *t, unsigned i, char *var, char *src)
{
	char err[200];
	size_t off;

	t->expect[i][0].capture_var = var;
	t->expect[i][0].capture_src = src;
	t->expect[i][0].capture_re = ssp_pattern_compile(src, strlen(src), err, sizeof(err), &off);
	CU_ASSERT_FATAL(t->expect[i][0].capture_re != NULL);
}

#define CHECK_VERDICT(o, want, reason_part)                                                   \
	do {                                                                                  \
		CHECKF((o)->res.verdict == (want), "%s: verdict %s, expected %s (%s)", __func__,  \
		       ssp_verdict_name((o)->res.verdict), ssp_verdict_name(want), (o)->res.reason); \
		CHECKF(strstr((o)->res.reason, (reason_part)) != NULL,                        \
		       "%s: reason \"%s\" lacks \"%s\"", __func__, (o)->res.reason, (reason_part)); \
	} while (0)

/* ---- the tests -------------------------------------------------------------- */

static void test_pass(void)
{
	static const sc_t script[] = {
		SEND("220 mx.test ESMTP\r\n"), WRITES(1), SEND("250-mx.test\r\n250 PIPELINING\r\n"),
		WRITES(2), SEND("250 2.1.0 OK\r\n"), WRITES(3), SEND("221 bye\r\n"), CLOSE, END,
	};
	static const char wrote[] = "EHLO client.test\r\nMAIL FROM:<a@b.test>\r\nQUIT\r\n";
	vec_t t;
	outcome_t o;

	vec_init(&t, SSP_PRELUDE_EHLO, SSP_LEVEL_MUST);
	vec_step(&t, SSP_SEND_LINE, "MAIL FROM:<a@b.test>", "250");
	run(&t.v, script, 2000, &o);
	CHECK_VERDICT(&o, SSP_PASS, "every expectation was met");
	CU_ASSERT(o.res.connected);
	CHECKF(last_wlen == sizeof(wrote) - 1 && memcmp(last_written, wrote, last_wlen) == 0,
	       "the client wrote \"%.*s\"", (int)last_wlen, last_written);
	ssp_result_free(&o.res);
}

static void test_setup_mismatch_is_error(void)
{
	static const sc_t script[] = {
		SEND("220 mx.test\r\n"), WRITES(1), SEND("250 mx.test\r\n"), WRITES(2),
		SEND("550 5.7.1 no senders today\r\n"), WRITES(3), SEND("221 bye\r\n"), CLOSE, END,
	};
	vec_t t;
	outcome_t o;

	vec_init(&t, SSP_PRELUDE_EHLO, SSP_LEVEL_MUST);
	vec_step(&t, SSP_SEND_LINE, "MAIL FROM:<a@b.test>", "250")->setup = 1;
	vec_step(&t, SSP_SEND_LINE, "RSET", "250");
	run(&t.v, script, 2000, &o);
	CHECK_VERDICT(&o, SSP_ERROR, "setup step 1 (MAIL FROM:<a@b.test>): expected 250, got 550");
	CU_ASSERT_EQUAL(o.res.step, 1);
	ssp_result_free(&o.res);
	/* the same mismatch outside setup: the vector's level decides */
	vec_init(&t, SSP_PRELUDE_EHLO, SSP_LEVEL_SHOULD);
	vec_step(&t, SSP_SEND_LINE, "MAIL FROM:<a@b.test>", "250");
	run(&t.v, script, 2000, &o);
	CHECK_VERDICT(&o, SSP_WARN, "step 1 (MAIL FROM:<a@b.test>): expected 250, got 550 5.7.1");
	ssp_result_free(&o.res);
}

static void test_greeting_mismatch_is_error(void)
{
	static const sc_t script[] = { SEND("554 go away\r\n"), WRITES(1), SEND("221 bye\r\n"), CLOSE, END };
	vec_t t;
	outcome_t o;

	vec_init(&t, SSP_PRELUDE_EHLO, SSP_LEVEL_MUST);
	vec_step(&t, SSP_SEND_LINE, "NOOP", "250");
	run(&t.v, script, 2000, &o);
	CHECK_VERDICT(&o, SSP_ERROR, "setup prelude (greeting): expected 220, got 554 go away");
	ssp_result_free(&o.res);
}

static void test_close_before_quit_fails(void)
{
	static const sc_t script[] = { SEND("220 mx.test\r\n"), WRITES(1), CLOSE, END };
	static const sc_t reset[] = { SEND("220 mx.test\r\n"), WRITES(1), RESET, END };
	vec_t t;
	outcome_t o;

	/* a MAY vector, yet §3.8 makes the close a failure */
	vec_init(&t, SSP_PRELUDE_GREETING, SSP_LEVEL_MAY);
	vec_step(&t, SSP_SEND_LINE, "NOOP", "250");
	run(&t.v, script, 2000, &o);
	CHECK_VERDICT(&o, SSP_FAIL, "got the server closed the connection: a server MUST NOT close the connection before QUIT");
	ssp_result_free(&o.res);
	run(&t.v, reset, 2000, &o);
	CHECK_VERDICT(&o, SSP_FAIL, "got the connection was reset");
	ssp_result_free(&o.res);
}

static void test_quit_then_close_passes(void)
{
	static const sc_t script[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("221 2.0.0 bye\r\n"), CLOSE, END };
	vec_t t;
	outcome_t o;

	vec_init(&t, SSP_PRELUDE_GREETING, SSP_LEVEL_MUST);
	vec_step(&t, SSP_SEND_LINE, "QUIT", "221 close");
	run(&t.v, script, 2000, &o);
	CHECK_VERDICT(&o, SSP_PASS, "every expectation was met");
	/* no courtesy QUIT after the vector's own */
	CHECKF(last_wlen == 6, "the client wrote \"%.*s\"", (int)last_wlen, last_written);
	ssp_result_free(&o.res);
}

/* A close expected after a reply, with the start of another reply already
 * received: the session waits for the close (it used to stall). */
static void test_close_after_partial_reply(void)
{
	static const sc_t script[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("250 ok\r\n221-bye\r\n"), DELAY(30), CLOSE, END };
	static const sc_t open[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("250 ok\r\n221-bye\r\n"), END };
	vec_t t;
	outcome_t o;

	vec_init(&t, SSP_PRELUDE_GREETING, SSP_LEVEL_MUST);
	vec_step(&t, SSP_SEND_LINE, "NOOP", "250 close");
	run(&t.v, script, 2000, &o);
	CHECK_VERDICT(&o, SSP_PASS, "every expectation was met");
	ssp_result_free(&o.res);
	run(&t.v, open, 100, &o);
	CHECK_VERDICT(&o, SSP_FAIL, "expected the server to close the connection, got an incomplete reply");
	ssp_result_free(&o.res);
}

/* sent_quit - 1 if the client side of the transcript holds a QUIT. */
static int sent_quit(const ssp_result_t *r)
{
	size_t i, n = ssp_transcript_count(&r->transcript);

	for (i = 0; i < n; i++) {
		const char *p;
		const ssp_tr_entry_t *e = ssp_transcript_entry(&r->transcript, i, &p);
		if (e->dir == SSP_TR_CLIENT && e->len >= 4 && memcmp(p, "QUIT", 4) == 0)
			return 1;
	}
	return 0;
}

static void test_421_ladder(void)
{
	static const sc_t closing[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("421 4.3.2 shutting down\r\n"), CLOSE, END };
	static const sc_t refused_421[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("421 4.7.0 too many errors\r\n"), CLOSE, END };
	static const sc_t refused_close[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("501 5.5.4 bad\r\n"), CLOSE, END };
	static char section38[] = "3.8";
	vec_t t;
	outcome_t o;

	/* a 421 where a success was expected: skip, and nothing more is sent */
	vec_init(&t, SSP_PRELUDE_GREETING, SSP_LEVEL_MUST);
	vec_step(&t, SSP_SEND_LINE, "NOOP", "250");
	run(&t.v, closing, 2000, &o);
	CHECK_VERDICT(&o, SSP_SKIP, "got 421 4.3.2 shutting down: the server ended the session");
	CHECKF(!sent_quit(&o.res), "%s", "QUIT sent after a 421");
	ssp_result_free(&o.res);
	/* a 421 where the vector's last judged step expected a refusal: pass */
	vec_init(&t, SSP_PRELUDE_GREETING, SSP_LEVEL_MUST);
	vec_step(&t, SSP_SEND_LINE, "MAIL FROM:<<bad>", "5xx");
	run(&t.v, refused_421, 2000, &o);
	CHECK_VERDICT(&o, SSP_PASS, "every expectation was met; the server refused with 421");
	CHECKF(!sent_quit(&o.res), "%s", "QUIT sent after a 421");
	ssp_result_free(&o.res);
	/* ... but a judged step still to come: skip */
	vec_step(&t, SSP_SEND_LINE, "NOOP", "250");
	run(&t.v, refused_421, 2000, &o);
	CHECK_VERDICT(&o, SSP_SKIP, "before the rest of this vector could be observed");
	ssp_result_free(&o.res);
	/* a close (no 421) right after the refusal asked for: the same ladder */
	run(&t.v, refused_close, 2000, &o);
	CHECK_VERDICT(&o, SSP_SKIP, "the server closed the connection right after refusing a command");
	ssp_result_free(&o.res);
	vec_init(&t, SSP_PRELUDE_GREETING, SSP_LEVEL_SHOULD);
	vec_step(&t, SSP_SEND_LINE, "MAIL FROM:<<bad>", "5xx");
	vec_step(&t, SSP_SEND_LINE, "NOOP", "250");
	t.steps[1].setup = 1;
	run(&t.v, refused_close, 2000, &o);
	CHECK_VERDICT(&o, SSP_PASS, "every expectation was met; the server closed the connection right after refusing a command then");
	ssp_result_free(&o.res);
	/* in a vector of RFC 5321 §3.8 that close is the finding, whatever the level */
	vec_step(&t, SSP_SEND_LINE, "NOOP", "250");
	t.v.section = section38;
	run(&t.v, refused_close, 2000, &o);
	CHECK_VERDICT(&o, SSP_FAIL, "a server MUST NOT close the connection before QUIT");
	ssp_result_free(&o.res);
}

static void test_warn_and_skip_codes(void)
{
	static const sc_t warn[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("500 5.5.1 what\r\n"),
				     WRITES(2), SEND("221 bye\r\n"), CLOSE, END };
	static const sc_t skip[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("502 5.5.1 not implemented\r\n"),
				     WRITES(2), SEND("221 bye\r\n"), CLOSE, END };
	vec_t t;
	outcome_t o;

	vec_init(&t, SSP_PRELUDE_GREETING, SSP_LEVEL_MUST);
	vec_step(&t, SSP_SEND_LINE, "VRFY x", "501");
	ssp_codes_parse(&t.expect[0][0].warn, "500");
	ssp_codes_parse(&t.expect[0][0].skip, "502");
	run(&t.v, warn, 2000, &o);
	CHECK_VERDICT(&o, SSP_WARN, "step 1 (VRFY x): got 500 5.5.1 what, acceptable only as a warning (expected 501)");
	ssp_result_free(&o.res);
	run(&t.v, skip, 2000, &o);
	CHECK_VERDICT(&o, SSP_SKIP, "got 502 5.5.1 not implemented, which means a precondition of this vector is missing");
	ssp_result_free(&o.res);
}

static void test_silence(void)
{
	static const sc_t quiet[] = { SEND("220 mx.test\r\n"), WRITES(2), SEND("221 bye\r\n"), CLOSE, END };
	static const sc_t chatty[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("250 ok\r\n"),
				       WRITES(2), SEND("221 bye\r\n"), CLOSE, END };
	vec_t t;
	outcome_t o;

	vec_init(&t, SSP_PRELUDE_GREETING, SSP_LEVEL_MUST);
	vec_step(&t, SSP_SEND_RAW, "MAIL FROM:<a@b.test>", "");
	t.expect[0][0].kind = SSP_EXPECT_SILENCE;
	t.expect[0][0].silence_ms = 50;
	t.steps[0].nexpect = 1;
	run(&t.v, quiet, 2000, &o);
	CHECK_VERDICT(&o, SSP_PASS, "every expectation was met");
	ssp_result_free(&o.res);
	run(&t.v, chatty, 2000, &o);
	CHECK_VERDICT(&o, SSP_FAIL, "expected no reply within 50 ms, got 250 ok");
	ssp_result_free(&o.res);
}

static void test_trickle_hits_deadline(void)
{
	static const sc_t script[] = {
		SEND("220 mx.test\r\n"), WRITES(1), SEND("2"), DELAY(40), SEND("5"), DELAY(40),
		SEND("0"), DELAY(40), SEND(" "), DELAY(40), SEND("o"), DELAY(40), SEND("k"),
		DELAY(40), SEND("!"), DELAY(40), SEND("!"), DELAY(400), SEND("\r\n"), END,
	};
	vec_t t;
	outcome_t o;

	vec_init(&t, SSP_PRELUDE_GREETING, SSP_LEVEL_MUST);
	vec_step(&t, SSP_SEND_LINE, "NOOP", "250");
	run(&t.v, script, 150, &o);
	CHECK_VERDICT(&o, SSP_FAIL, "expected 250, got an incomplete reply \"250");
	CHECKF(strstr(o.res.reason, "after 150 ms") != NULL, "reason: %s", o.res.reason);
	ssp_result_free(&o.res);
}

static void test_silent_server_times_out(void)
{
	static const sc_t script[] = { SEND("220 mx.test\r\n"), END };
	vec_t t;
	outcome_t o;

	vec_init(&t, SSP_PRELUDE_GREETING, SSP_LEVEL_MUST);
	vec_step(&t, SSP_SEND_LINE, "NOOP", "250");
	run(&t.v, script, 100, &o);
	CHECK_VERDICT(&o, SSP_FAIL, "expected 250, got no reply within 100 ms");
	ssp_result_free(&o.res);
}

static void test_grammar_findings(void)
{
	static const sc_t bare_lf[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("250 ok\n"),
					WRITES(2), SEND("221 bye\r\n"), CLOSE, END };
	static const sc_t eight_bit[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("250 \xc3\xa9t\xc3\xa9\r\n"),
					  WRITES(2), SEND("221 bye\r\n"), CLOSE, END };
	static const sc_t unasked[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("250 ok\r\n250 again\r\n"),
					WRITES(2), SEND("250 ok\r\n"), WRITES(3), SEND("221 bye\r\n"), CLOSE, END };
	vec_t t;
	outcome_t o;

	vec_init(&t, SSP_PRELUDE_GREETING, SSP_LEVEL_MUST);
	vec_step(&t, SSP_SEND_LINE, "NOOP", "250");
	/* a vector that does not judge the reply syntax keeps it as a note */
	run(&t.v, bare_lf, 2000, &o);
	CHECK_VERDICT(&o, SSP_PASS, "every expectation was met");
	ssp_result_free(&o.res);
	run(&t.v, eight_bit, 2000, &o);
	CHECK_VERDICT(&o, SSP_PASS, "every expectation was met");
	ssp_result_free(&o.res);
	/* its owner gives its own level's verdict: a MUST fails, a SHOULD warns */
	t.v.judges = SSP_JUDGES(LINE_ENDS);
	run(&t.v, bare_lf, 2000, &o);
	CHECK_VERDICT(&o, SSP_FAIL, "line ends with LF without CR");
	ssp_result_free(&o.res);
	run(&t.v, eight_bit, 2000, &o); /* not a line-end finding */
	CHECK_VERDICT(&o, SSP_PASS, "every expectation was met");
	ssp_result_free(&o.res);
	t.v.judges = SSP_JUDGES(TEXT);
	t.v.level = SSP_LEVEL_SHOULD;
	run(&t.v, eight_bit, 2000, &o);
	CHECK_VERDICT(&o, SSP_WARN, "8-bit byte in reply text");
	ssp_result_free(&o.res);
	t.v.judges = 0;
	t.v.level = SSP_LEVEL_MUST;
	vec_step(&t, SSP_SEND_LINE, "NOOP", "250");
	run(&t.v, unasked, 2000, &o);
	CHECK_VERDICT(&o, SSP_FAIL, "the server sent a reply that no command asked for: 250 again");
	ssp_result_free(&o.res);
}

static void test_capture_failed_skips(void)
{
	static const sc_t script[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("250 queued\r\n"),
				       WRITES(2), SEND("221 bye\r\n"), CLOSE, END };
	static char var[] = "id", src[] = "as ([A-Z0-9]+)";
	vec_t t;
	outcome_t o;

	vec_init(&t, SSP_PRELUDE_GREETING, SSP_LEVEL_MUST);
	vec_step(&t, SSP_SEND_LINE, "NOOP", "250");
	vec_capture(&t, 0, var, src);
	run(&t.v, script, 2000, &o);
	CHECK_VERDICT(&o, SSP_SKIP, "capture ${id}: no line of the reply matches /as ([A-Z0-9]+)/");
	ssp_pattern_free(t.expect[0][0].capture_re);
	ssp_result_free(&o.res);
}

/* An "absent" keyword in the session's own EHLO reply (inside TLS under
 * --starttls it may differ from the probe's) skips; without it the steps run. */
static void test_absent_in_session_ehlo(void)
{
	static const sc_t listed[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("250-mx.test\r\n250 AUTH PLAIN LOGIN\r\n"),
				       WRITES(2), SEND("221 bye\r\n"), CLOSE, END };
	static const sc_t unlisted[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("250-mx.test\r\n250 AUTHX\r\n"),
					 WRITES(2), SEND("503 5.5.1 Error: authentication not enabled\r\n"),
					 WRITES(3), SEND("221 bye\r\n"), CLOSE, END };
	static char auth[] = "AUTH", *absent[] = { auth };
	vec_t t;
	outcome_t o;

	vec_init(&t, SSP_PRELUDE_EHLO, SSP_LEVEL_SHOULD);
	t.v.absent = absent;
	t.v.nabsent = 1;
	vec_step(&t, SSP_SEND_LINE, "AUTH PLAIN", "503");
	run(&t.v, listed, 2000, &o);
	CHECK_VERDICT(&o, SSP_SKIP, "the server advertises AUTH in this session's EHLO reply");
	CU_ASSERT_PTR_NULL(memmem(last_written, last_wlen, "AUTH PLAIN", 10)); /* the step was not sent */
	ssp_result_free(&o.res);
	run(&t.v, unlisted, 2000, &o);
	CHECK_VERDICT(&o, SSP_PASS, "every expectation was met");
	ssp_result_free(&o.res);
}

/* Pipelined replies split at every byte (two chunks), then one byte at a time. */

static void test_capture_with_cr_not_sent(void)
{
	static const sc_t script[] = { SEND("220 mx.test\r\n"), WRITES(1), SEND("250 as a\rRSET\r\n"),
				       WRITES(2), SEND("221 bye\r\n"), CLOSE, END };
	static char var[] = "id", src[] = "as (.*)";
	vec_t t;
	outcome_t o;

	vec_init(&t, SSP_PRELUDE_GREETING, SSP_LEVEL_MUST);
	vec_step(&t, SSP_SEND_LINE, "NOOP", "250");
	vec_step(&t, SSP_SEND_LINE, "RCPT TO:<${id}>", "250");
	vec_capture(&t, 0, var, src);
	run(&t.v, script, 2000, &o);
	/* the server's bare CR never reaches the wire in a command of ours */
	CHECK_VERDICT(&o, SSP_ERROR, "capture ${id}: the value holds a CR, LF or NUL; it is not sent back");
	CHECKF(last_wlen == 0 || memmem(last_written, last_wlen, "RCPT", 4) == NULL, "%s", "RCPT was sent");
	ssp_pattern_free(t.expect[0][0].capture_re);
	ssp_result_free(&o.res);
}
static void test_pipeline_split(void)
{
	static const char replies[] = "250 2.1.0 ok\r\n250-2.1.5 ok\r\n250 2.1.5 ok\r\n354 go\r\n";
	size_t n = sizeof(replies) - 1, k;
	sc_t script[16 + sizeof(replies)];
	vec_t t;
	outcome_t o;

	vec_init(&t, SSP_PRELUDE_GREETING, SSP_LEVEL_MUST);
	vec_step(&t, SSP_SEND_PIPELINE, "MAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\n", "250 250 354");
	t.steps[0].ncommands = 3;
	for (k = 0; k <= n + 1; k++) {
		size_t m = 0, i;

		script[m++] = (sc_t)SEND("220 mx.test\r\n");
		script[m++] = (sc_t)WRITES(1);
		if (k <= n) { /* two chunks split at k (k == 0 or n: one chunk) */
			if (k > 0)
				script[m++] = (sc_t){ SC_SEND, replies, k };
			if (k < n)
				script[m++] = (sc_t){ SC_SEND, replies + k, n - k };
		} else { /* one byte at a time */
			for (i = 0; i < n; i++)
				script[m++] = (sc_t){ SC_SEND, replies + i, 1 };
		}
		script[m++] = (sc_t)WRITES(2);
		script[m++] = (sc_t)SEND("221 bye\r\n");
		script[m++] = (sc_t)CLOSE;
		script[m++] = (sc_t)END;
		run(&t.v, script, 2000, &o);
		CHECKF(o.res.verdict == SSP_PASS, "split at %zu: %s: %s", k, ssp_verdict_name(o.res.verdict),
		       o.res.reason);
		ssp_result_free(&o.res);
	}
}

void register_session_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "pass, and what the client wrote", test_pass },
		{ "mismatch in a setup step is an error", test_setup_mismatch_is_error },
		{ "a refused greeting is an error", test_greeting_mismatch_is_error },
		{ "close or reset before QUIT fails (§3.8)", test_close_before_quit_fails },
		{ "QUIT, 221 and close pass", test_quit_then_close_passes },
		{ "a close after a partial reply", test_close_after_partial_reply },
		{ "421: skip, or a refusal; close after a refusal (§3.8, §7.8)", test_421_ladder },
		{ "warn and skip codes", test_warn_and_skip_codes },
		{ "silence expectation", test_silence },
		{ "a trickling server hits the deadline", test_trickle_hits_deadline },
		{ "a silent server times out", test_silent_server_times_out },
		{ "grammar findings and unasked replies", test_grammar_findings },
		{ "a capture that matches nothing skips", test_capture_failed_skips },
		{ "an absent keyword in the session's own EHLO reply skips", test_absent_in_session_ehlo },
		{ "a captured CR or LF is never sent back", test_capture_with_cr_not_sent },
		{ "pipelined replies split at every byte", test_pipeline_split },
		{ NULL, NULL },
	};

	tests_add_suite("session", tests);
}
