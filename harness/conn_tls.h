/*
 * conn_tls.h - a connection that can carry TLS: the TCP connection of
 * conn.c inside, the TLS engine of tls.c on top.
 *
 * It starts in plaintext (bytes pass through untouched) unless opened for
 * implicit TLS (RFC 8314 §3), where the handshake runs before `connected`
 * is reported.  ssp_conn_starttls() upgrades it mid-stream (RFC 3207: after
 * the server's 220 to STARTTLS); from then on the owner writes and receives
 * plaintext, and the ciphertext never reaches it.  Every handshake has a
 * deadline; no call blocks.  The connection owns the TCP connection and
 * one timer, and frees itself after both are closed.
 */
#ifndef SSP_CONN_TLS_H
#define SSP_CONN_TLS_H

#include "conn.h"
#include "tls.h"

#include <stddef.h>

/* What ssp_conn_tls_open is given as its arg; owned by the caller, and
 * read for as long as the connection lives. */
typedef struct ssp_conn_tls_opts_s {
	ssp_tls_ctx_t *ctx;          /* client context: verification settings */
	const char *sni;             /* server name to send (and verify); NULL: none */
	int implicit;                /* 1: handshake at once (RFC 8314) */
	unsigned handshake_ms;       /* deadline of every handshake */
	ssp_tls_info_t *learned;     /* NULL, or where the first completed handshake
				      * and the first TLS failure are recorded */
} ssp_conn_tls_opts_t;

/* The end of a STARTTLS handshake: 0, or a negative libuv error
 * (UV_ETIMEDOUT: no handshake within the deadline; UV_EPROTO: the TLS
 * layer failed, ssp_conn_tls_error() says why). */
typedef void (*ssp_conn_tls_done_fn)(void *owner, int status);

/* ssp_conn_tls_open - an opener (conn.h's ssp_conn_open_fn); arg is an
 * ssp_conn_tls_opts_t.  With implicit, `connected` comes after the
 * handshake, and a failed handshake is a failed connection. */
ssp_conn_t *ssp_conn_tls_open(uv_loop_t *loop, const struct sockaddr *addr, unsigned timeout_ms,
			      const ssp_conn_events_t *ev, void *owner, const void *arg, int *err);

/*
 * ssp_conn_starttls - start the TLS handshake now (the client speaks
 * first); done is called later, never from within this call.  0, or a
 * negative libuv error (done is not called): UV_ENOTSUP when c is not a
 * TLS-capable connection, UV_EALREADY when TLS is on, UV_EBUSY during a
 * write, UV_EPROTO when the TLS layer cannot start (see ssp_conn_tls_error).
 */
int ssp_conn_starttls(ssp_conn_t *c, ssp_conn_tls_done_fn done);

/* ssp_conn_tls_active - 1 once a handshake on c has completed. */
int ssp_conn_tls_active(const ssp_conn_t *c);
/* ssp_conn_tls_error - why TLS failed on c ("" when it did not). */
const char *ssp_conn_tls_error(const ssp_conn_t *c);
/* ssp_conn_tls_describe - one line for the transcript: protocol, cipher,
 * the certificate's subject and whether it was verified; "" without TLS. */
void ssp_conn_tls_describe(const ssp_conn_t *c, char *buf, size_t n);

#endif
