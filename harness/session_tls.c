/*
 * session_tls.c - the STARTTLS step of a session (RFC 3207): after the
 * step's 220, the TLS handshake inside the connection (conn_tls.c), under
 * the session's own deadline; then the next step, inside TLS.
 */
#include "session_int.h"

#include "conn_tls.h"
#include "expect.h"
#include "limits.h"

#include <stdio.h>

/* on_tls_done - the handshake of a STARTTLS step ended: on to the next step. */
static void on_tls_done(void *owner, int status)
{
	ssp_session_t *s = owner;
	const ssp_step_t *st = ssp_position_step(&s->pos);
	char text[SSP_REASON_MAX];

	if (s->state != ST_HANDSHAKE)
		return;
	uv_timer_stop(&s->timer);
	if (status != 0) {
		snprintf(text, sizeof(text), "%s",
			 ssp_conn_tls_error(s->conn)[0] ? ssp_conn_tls_error(s->conn) : uv_strerror(status));
		ssp_session__note(s, "%s", text);
		ssp_session__mismatch(s, st, "a TLS handshake (RFC 3207)", text);
		return;
	}
	ssp_conn_tls_describe(s->conn, text, sizeof(text));
	ssp_session__note(s, "%s; what follows is inside TLS (shown as plaintext)", text);
	/* RFC 3207 §4.2: the session starts over; nothing was asked inside TLS yet */
	s->expected_reply_before = 0;
	s->pos.exp = 0;
	s->pos.rep = 0;
	s->pos.step++;
	ssp_session__enter(s, ST_STEP);
	ssp_session__advance(s);
}

int ssp_session__begin_tls(ssp_session_t *s, const ssp_step_t *st)
{
	char got[SSP_OBSERVED_TEXT_MAX];
	int rc;

	if (s->last_code != 220)
		return 1;            /* the vector accepted a refusal: no TLS */
	if (s->in.buf.len > 0) {
		/* RFC 3207 §4.2: after its 220 the server speaks TLS only */
		ssp_expect_excerpt(got, sizeof(got), s->in.buf.data, s->in.buf.len, SSP_QUOTE_SERVER_BYTES);
		ssp_inbox_flush(&s->in, ssp_session__now(s));
		ssp_session__mismatch(s, st, "nothing after the 220 until the TLS handshake", got);
		return 1;
	}
	rc = ssp_conn_starttls(s->conn, on_tls_done);
	if (rc != 0) {
		ssp_session__mismatch(s, st, "a TLS handshake (RFC 3207)",
				      ssp_conn_tls_error(s->conn)[0] ? ssp_conn_tls_error(s->conn) : uv_strerror(rc));
		return 1;
	}
	ssp_session__note(s, "TLS handshake (RFC 3207)");
	ssp_session__enter(s, ST_HANDSHAKE);
	ssp_session__start_timer(s, s->cfg->timeout_ms);
	return 0;
}
