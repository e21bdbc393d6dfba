/*
 * session_int.h - private to the session runner (session.c: the state
 * machine and the connection's life; judge.c: what each observation means).
 * Nothing else includes it.
 */
#ifndef SSP_SESSION_INT_H
#define SSP_SESSION_INT_H

#include "session.h"

#include "buf.h"
#include "conn.h"
#include "findings.h"
#include "inbox.h"
#include "position.h"
#include "reply.h"
#include "sender.h"

#include <stdint.h>

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
	X(SMUGGLE_WAIT)   \
	X(SMUGGLE_DRAIN)  \
	X(HANDSHAKE)      \
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
	ssp_inbox_t in;               /* received, not yet judged */
	ssp_sender_t snd;             /* the current step's bytes, made while written; its head names commands */
	ssp_reply_t reply;
	uint64_t t0;
	state_t state;                /* changed only by enter() */
	ssp_position_t pos;           /* step, repetition, expectation */
	int eof;                      /* 0, UV_EOF or the read error */
	int timer_open;
	int expected_reply_before;    /* the previous step expected replies */
	int quit_sent;                /* a step sent QUIT: no courtesy QUIT */
	ssp_findings_t found;         /* beside the expectations */
	int refusal_met;              /* the last judged reply met was a 4yz or 5yz */
	ssp_position_t refusal_at;     /* ... at this position */
	int got_421;                  /* the server is closing: send nothing more */
	int smuggle_codes[SSP_SMUGGLE_REPLIES_MAX]; /* replies after smuggled content */
	unsigned nsmuggle;
	int last_code;                /* the code of the last reply judged */
	int tls_announced;            /* a 220 answered STARTTLS: TLS records may follow */
};

/* ssp_session__now - milliseconds since the session started. */
uint32_t ssp_session__now(const ssp_session_t *s);
/* ssp_session__note - a printf-formatted note in the transcript. */
void ssp_session__note(ssp_session_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ssp_session__conclude - give the verdict (once; findings may make it worse),
 * then QUIT politely and close. */
void ssp_session__conclude(ssp_session_t *s, ssp_verdict_t v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ssp_session__label - "step 3 (RCPT TO:<x@y>)" for the current expectation. */
void ssp_session__label(const ssp_session_t *s, char *out, size_t size);
/* ssp_session__set_expected_observed - the result's expected, observed and step. */
void ssp_session__set_expected_observed(ssp_session_t *s, const char *expected, const char *observed);
/* ssp_session__mismatch - expectation of st not met: ERROR in setup, else by level. */
void ssp_session__mismatch(ssp_session_t *s, const ssp_step_t *st, const char *expected,
			   const char *observed);
/* ssp_session__try_reply - judge the reply at the start of the inbox if it
 * is complete: 1 when the expectation is settled, 0 to wait for more. */
int ssp_session__try_reply(ssp_session_t *s, const ssp_step_t *st, const ssp_expect_t *e);
/* ssp_session__smuggle_verdict - judge the replies collected after smuggled content (smuggle.h). */
void ssp_session__smuggle_verdict(ssp_session_t *s, const char *why_stopped);
/* ssp_session__timed_out - a reply or close wait of st passed its deadline. */
void ssp_session__timed_out(ssp_session_t *s, const ssp_step_t *st);

/* For session_tls.c: the state machine's own moves (session.c). */
/* ssp_session__enter - change the state (to: a state_t), as enter() does. */
void ssp_session__enter(ssp_session_t *s, int to);
/* ssp_session__advance - move as far as possible without waiting. */
void ssp_session__advance(ssp_session_t *s);
/* ssp_session__start_timer - start the session's timer: ms until on_wait_timeout. */
void ssp_session__start_timer(ssp_session_t *s, unsigned ms);
/* ssp_session__begin_tls - a STARTTLS step's expectations are met: after a
 * 220, the handshake (0: HANDSHAKE, it continues from its callback); 1 when
 * there is none or it could not start (the verdict may be given). */
int ssp_session__begin_tls(ssp_session_t *s, const ssp_step_t *st);

/* For session_send.c, the sending. */
/* ssp_session__send_step - write step st (generated chunk by chunk): 0 when
 * WRITING (the next event continues); 1 when nothing is pending (nothing to
 * send, the connection closed, a failed write noted, or an error verdict). */
int ssp_session__send_step(ssp_session_t *s, const ssp_step_t *st);
/* ssp_session__chunk_written - a chunk was written (status 0) or failed:
 * 0 when the next one is being written; 1 when the step's writing is over. */
int ssp_session__chunk_written(ssp_session_t *s, int status);

/* ssp_session__clamp - ms, shortened so that the wait ends by cfg->deadline_at. */
static inline uint64_t ssp_session__clamp(const ssp_session_cfg_t *cfg, unsigned ms)
{
	uint64_t now = uv_now(cfg->loop);

	if (cfg->deadline_at == 0 || now + ms <= cfg->deadline_at)
		return ms;
	return now < cfg->deadline_at ? cfg->deadline_at - now : 0;
}

#endif
