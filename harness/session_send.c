/*
 * session_send.c - the session's sending (private to the session runner):
 * a step's bytes are generated chunk by chunk (sender.h) and each chunk is
 * written when the previous one is, so no step is ever held whole in
 * memory; the deadline of the WRITING state restarts with each chunk (the
 * server reads, slowly or not).  Only the first bytes of the step stay, to
 * name the command a reply answers.
 */
#include "session_int.h"

#include "limits.h"

#include <stdio.h>
#include <string.h>

/* unasked_reply - before a step's send: a reply no command asked for is a finding. */
static void unasked_reply(ssp_session_t *s, const ssp_step_t *st)
{
	/* a 421 may come unasked at any time (RFC 5321 §3.8): the next
	 * expectation reads it as the server closing */
	if (s->expected_reply_before && ssp_inbox_has_line(&s->in) &&
	    !(s->in.buf.len >= 4 && memcmp(s->in.buf.data, "421", 3) == 0 && (s->in.buf.data[3] == ' ' || s->in.buf.data[3] == '-'))) {
		char label[SSP_LABEL_MAX], got[SSP_OBSERVED_TEXT_MAX];
		ssp_session__label(s, label, sizeof(label));
		ssp_inbox_describe(&s->in, got, sizeof(got));
		ssp_findings_unasked(&s->found, label, got);
	}
	s->expected_reply_before = st->nexpect > 0;
}

/* write_chunk - generate and write the next chunk: 0 if a write is pending;
 * 1 when the step is all written (or could not be: a note or a verdict). */
static int write_chunk(ssp_session_t *s)
{
	int rc;

	if (ssp_sender_next(&s->snd) != 0) {
		ssp_sender_release(&s->snd);
		ssp_session__conclude(s, SSP_ERROR, "step %u: cannot build what to send: %s",
				      ssp_position_number(&s->pos), s->snd.err.text);
		return 1;
	}
	if (s->snd.ready == 0) {
		ssp_sender_release(&s->snd);
		return 1;
	}
	if (s->snd.quit)
		s->quit_sent = 1;
	ssp_transcript_lines(&s->res->transcript, SSP_TR_CLIENT, ssp_session__now(s), s->snd.chunk.data,
			     s->snd.ready);
	rc = ssp_conn_write(s->conn, s->snd.chunk.data, s->snd.ready);
	if (rc != 0) {
		ssp_sender_release(&s->snd);
		ssp_session__note(s, "write failed: %s", uv_strerror(rc));
		return 1;
	}
	ssp_session__enter(s, ST_WRITING);
	ssp_session__start_timer(s, s->cfg->timeout_ms);
	return 0;
}

int ssp_session__send_step(ssp_session_t *s, const ssp_step_t *st)
{
	unasked_reply(s, st);
	if (st->send == SSP_SEND_NONE)
		return 1;
	ssp_sender_start(&s->snd, &s->vars, st);
	if (s->eof) {
		/* nothing is sent: what the server said before it closed (a 421, a
		 * refusal) is judged by the expectations, the close itself too */
		ssp_session__note(s, "step %u not sent: the connection is closed", ssp_position_number(&s->pos));
		return 1;
	}
	return write_chunk(s);
}

int ssp_session__chunk_written(ssp_session_t *s, int status)
{
	if (status != 0) {
		ssp_sender_release(&s->snd);
		ssp_session__note(s, "write failed: %s", uv_strerror(status));
		return 1;
	}
	if (s->eof) {
		ssp_sender_release(&s->snd);
		ssp_session__note(s, "step %u not all sent: the connection is closed", ssp_position_number(&s->pos));
		return 1;
	}
	return write_chunk(s);
}
