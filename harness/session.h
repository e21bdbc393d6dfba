/*
 * session.h - run one vector on one fresh connection and judge it.
 *
 * A session connects, runs the vector's prelude (greeting, EHLO) and steps,
 * records the transcript, applies every expectation, checks every reply
 * against the reply grammar (RFC 5321 §4.2), and fills one ssp_result_t.
 * Every wait has a deadline; every byte from the server is bounded.
 */
#ifndef SSP_SESSION_H
#define SSP_SESSION_H

#include "conn.h"
#include "result.h"
#include "vars.h"
#include "vector.h"

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

/* What every session of a run shares; owned by the run, read-only here. */
typedef struct ssp_session_cfg_s {
	uv_loop_t *loop;
	const struct sockaddr *addr;
	const char *target;          /* "host:port", for notes */
	unsigned timeout_ms;         /* per expectation, unless the vector says */
	unsigned connect_timeout_ms;
	uint64_t deadline_at;         /* loop time no wait may pass (0: none): the run deadline for the probe */
	struct ssp_session_s **current;     /* the probe and zero configuration record their session here, so that a signal can end it */
	const ssp_vars_t *vars;      /* profile values and defaults */
	const char *caps;            /* the probe's EHLO reply, or NULL */
	size_t caps_len;
	ssp_conn_open_fn open;       /* the transport; NULL = TCP (ssp_conn_tcp_open) */
	const void *open_arg;         /* handed to open */
	int starttls;                 /* --starttls: STARTTLS after the prelude's EHLO */
	int implicit_tls;             /* --tls: every session is inside TLS from the connect */
	int remote;                   /* --remote: judge a loopback target as a remote server */
} ssp_session_cfg_t;

typedef struct ssp_session_s ssp_session_t;

/* Called once the session is over and its memory released; the result is final. */
typedef void (*ssp_session_done_cb)(ssp_result_t *result, void *arg);

/*
 * ssp_session_start - run vector v; out must be initialised (ssp_result_init)
 * and stay valid until done is called.  Returns the session, and done is
 * called later from the loop (never from within this call); or NULL when it
 * could not start (out says why; done is not called).
 */
ssp_session_t *ssp_session_start(const ssp_session_cfg_t *cfg, const ssp_vector_t *v,
				 ssp_result_t *out, ssp_session_done_cb done, void *arg);

/* What the probe hands back: its raw greeting and EHLO replies (malloc'ed;
 * NULL when none came; the caller frees them), and the code of the first
 * reply to each step (0: none), the prelude's steps counting first. */
typedef struct ssp_probe_replies_s {
	char *greeting;
	size_t greeting_len;
	char *ehlo;
	size_t ehlo_len;
	int codes[SSP_PROBE_STEPS_MAX];
} ssp_probe_replies_t;

/*
 * ssp_session_probe - run the probe (greeting, EHLO, QUIT; any reply to
 * each) like ssp_session_start, keeping its replies in *replies (zeroed
 * first), which must stay valid until done is called.
 */
ssp_session_t *ssp_session_probe(const ssp_session_cfg_t *cfg, ssp_result_t *out,
				 ssp_probe_replies_t *replies, ssp_session_done_cb done, void *arg);

/*
 * ssp_session_collect - like ssp_session_probe for vector v: its steps' reply
 * codes (and greeting and EHLO reply) are kept in *replies.
 */
ssp_session_t *ssp_session_collect(const ssp_session_cfg_t *cfg, const ssp_vector_t *v, ssp_result_t *out,
				   ssp_probe_replies_t *replies, ssp_session_done_cb done, void *arg);

/* ssp_session_abort - end the session now with verdict ERROR and reason. */
void ssp_session_abort(ssp_session_t *s, const char *reason);

/*
 * ssp_session_precheck - before connecting: 1 with reason set if v cannot
 * run (a required extension the probe saw missing, for a vector whose own
 * prelude does not send EHLO), else 0.
 */
int ssp_session_precheck(const ssp_session_cfg_t *cfg, const ssp_vector_t *v,
			 char *reason, size_t size);

/*
 * ssp_session_cost - the most memory a session of v may hold at once under
 * cfg (its buffers at their caps: replies, transcript, write chunk, step
 * head, captures, TLS when cfg opens TLS connections): what the scheduler
 * charges against --max-memory before starting it.
 */
uint64_t ssp_session_cost(const ssp_session_cfg_t *cfg, const ssp_vector_t *v);

#endif
