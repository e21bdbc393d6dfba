/*
 * conn_tls.c - a TLS-capable connection: conn.c's TCP connection inside,
 * tls.c's engine over memory on top (RFC 3207 STARTTLS, RFC 8314 implicit
 * TLS).
 *
 * States: CONNECTING (TCP), PLAIN (bytes pass through), HANDSHAKE (the
 * engine talks to the server; the owner waits), TLS (the owner's bytes are
 * encrypted and the server's decrypted), FAILED (the TLS layer broke: the
 * owner heard it once), CLOSING.  One ciphertext write is in flight at a
 * time; an owner's write of n bytes is encrypted 16 KiB at a time, each
 * piece written when the previous one is, and `written` is reported after
 * the last.  Ciphertext the engine produces on its own (handshake records,
 * alerts) is flushed the same way.  Received plaintext goes out in chunks
 * of SSP_READ_CHUNK, checking after each that the owner did not close.
 */
#include "conn_tls.h"

#include "limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Plaintext encrypted per TLS write: one maximal TLS record (RFC 8446 §5.1). */
#define TLS_RECORD_MAX 16384

typedef enum { T_CONNECTING, T_PLAIN, T_HANDSHAKE, T_TLS, T_FAILED, T_CLOSING } tstate_t;

typedef struct {
	ssp_conn_t base;              /* first: a tls_conn_t pointer is a conn pointer */
	ssp_conn_t *tcp;              /* the inner connection; NULL once closed */
	const ssp_conn_tls_opts_t *opts;
	ssp_tls_t *tls;               /* NULL until a handshake starts */
	uv_timer_t timer;             /* the handshake deadline */
	int timer_open;
	tstate_t state;
	ssp_conn_tls_done_fn done;    /* STARTTLS: whom to tell */
	/* writing */
	const char *wp;               /* the owner's plaintext not yet encrypted */
	size_t wleft;
	int owner_writing;            /* the owner waits for `written` */
	int inner_writing;            /* a write of cbuf is in flight */
	char *cbuf;                   /* ciphertext in flight */
	size_t clen;
	char err[SSP_TLS_ERROR_MAX];
} tls_conn_t;

static _Thread_local char plain_rbuf[SSP_READ_CHUNK];

static const ssp_conn_ops_t tls_ops;

/* ---- closing ------------------------------------------------------------ */

/* maybe_free - once the inner connection and the timer are closed. */
static void maybe_free(tls_conn_t *c)
{
	if (c->tcp != NULL || c->timer_open)
		return;
	if (c->state == T_CLOSING && c->base.ev != NULL)
		c->base.ev->closed(c->base.owner);
	ssp_tls_free(c->tls);
	free(c->cbuf);
	free(c);
}

static void on_timer_closed(uv_handle_t *h)
{
	tls_conn_t *c = h->data;

	c->timer_open = 0;
	maybe_free(c);
}

static void inner_closed(void *owner)
{
	tls_conn_t *c = owner;

	c->tcp = NULL;
	maybe_free(c);
}

static void tls_close(ssp_conn_t *base)
{
	tls_conn_t *c = (tls_conn_t *)base;

	if (c->state == T_CLOSING)
		return;
	c->state = T_CLOSING;
	if (c->timer_open)
		uv_close((uv_handle_t *)&c->timer, on_timer_closed);
	if (c->tcp != NULL)
		ssp_conn_close(c->tcp);
}

/* ---- the handshake ------------------------------------------------------ */

/* learn - the first completed handshake, or the first TLS failure (c->err),
 * into opts->learned for the reports. */
static void learn(tls_conn_t *c, int ok)
{
	ssp_tls_info_t *l = c->opts->learned;

	if (l == NULL)
		return;
	if (ok && !l->have && c->tls != NULL)
		ssp_tls_info(c->tls, l);
	else if (!ok && l->error[0] == '\0' && c->err[0] != '\0')
		snprintf(l->error, sizeof(l->error), "%s", c->err);
}

/* handshake_over - report the end of a handshake (status 0 or an error). */
static void handshake_over(tls_conn_t *c, int status)
{
	uv_timer_stop(&c->timer);
	learn(c, status == 0);
	if (status == 0)
		c->state = T_TLS;
	else
		c->state = T_FAILED;
	if (c->done != NULL) {
		ssp_conn_tls_done_fn done = c->done;

		c->done = NULL;
		done(c->base.owner, status);
	} else {
		c->base.ev->connected(c->base.owner, status);
	}
}

static void on_handshake_timeout(uv_timer_t *t)
{
	tls_conn_t *c = t->data;

	if (c->state != T_HANDSHAKE)
		return;
	snprintf(c->err, sizeof(c->err), "no TLS handshake within %u ms", c->opts->handshake_ms);
	handshake_over(c, UV_ETIMEDOUT);
}

static void flush(tls_conn_t *c);

/* begin_handshake - a new TLS session, its first flight sent: 0 or an error. */
static int begin_handshake(tls_conn_t *c)
{
	int rc;

	c->tls = ssp_tls_new(c->opts->ctx, c->opts->sni, c->err, sizeof(c->err));
	if (c->tls == NULL)
		return UV_EPROTO;
	if (ssp_tls_handshake(c->tls) == SSP_TLS_ERROR) {
		snprintf(c->err, sizeof(c->err), "%s", ssp_tls_error(c->tls));
		return UV_EPROTO;
	}
	flush(c);                            /* the ClientHello; no event from here */
	if (c->state == T_FAILED)
		return UV_EPROTO;
	rc = uv_timer_start(&c->timer, on_handshake_timeout, c->opts->handshake_ms, 0);
	if (rc != 0)
		return rc;
	c->state = T_HANDSHAKE;
	return 0;
}

/* ---- writing ------------------------------------------------------------ */

static void inner_written(void *owner, int status);

/* fill - the next ciphertext into cbuf: engine output first, then the
 * owner's next record.  0, or -1 when the TLS layer failed. */
static int fill(tls_conn_t *c)
{
	c->clen = ssp_tls_take(c->tls, c->cbuf, SSP_TLS_BUFFER_MAX);
	if (c->clen == 0 && c->wleft > 0 && c->state == T_TLS) {
		size_t k = c->wleft < TLS_RECORD_MAX ? c->wleft : TLS_RECORD_MAX;

		if (ssp_tls_write(c->tls, c->wp, k) != (ssize_t)k) {
			snprintf(c->err, sizeof(c->err), "%s", ssp_tls_error(c->tls));
			return -1;
		}
		c->wp += k;
		c->wleft -= k;
		c->clen = ssp_tls_take(c->tls, c->cbuf, SSP_TLS_BUFFER_MAX);
	}
	return 0;
}

/* flush - start the next ciphertext write if none is in flight; report
 * `written` to an owner whose bytes are all out. */
static void flush(tls_conn_t *c)
{
	int rc;

	if (c->inner_writing || c->tcp == NULL || c->state == T_CLOSING)
		return;
	if (c->cbuf == NULL && (c->cbuf = malloc(SSP_TLS_BUFFER_MAX)) == NULL) {
		snprintf(c->err, sizeof(c->err), "out of memory");
		rc = UV_ENOMEM;
		goto fail;
	}
	if (fill(c) != 0) {
		rc = UV_EPROTO;
		goto fail;
	}
	if (c->clen > 0) {
		rc = ssp_conn_write(c->tcp, c->cbuf, c->clen);
		if (rc != 0)
			goto fail;
		c->inner_writing = 1;
		return;
	}
	return;
fail:
	/* the owner hears of it through its pending write or its next read */
	if (c->state == T_HANDSHAKE) {
		handshake_over(c, rc);
	} else if (c->owner_writing) {
		c->owner_writing = 0;
		c->state = T_FAILED;
		c->base.ev->written(c->base.owner, rc);
	} else {
		c->state = T_FAILED;
	}
}

static void inner_written(void *owner, int status)
{
	tls_conn_t *c = owner;

	c->inner_writing = 0;
	if (c->state == T_CLOSING)
		return;
	if (c->state == T_PLAIN || c->state == T_CONNECTING) {
		c->owner_writing = 0;
		c->base.ev->written(c->base.owner, status);
		return;
	}
	if (status != 0) {
		snprintf(c->err, sizeof(c->err), "write failed: %s", uv_strerror(status));
		if (c->state == T_HANDSHAKE) {
			handshake_over(c, status);
		} else if (c->owner_writing) {
			c->owner_writing = 0;
			c->base.ev->written(c->base.owner, status);
		}
		return;
	}
	if (c->owner_writing && c->wleft == 0 && ssp_tls_pending(c->tls) == 0) {
		c->owner_writing = 0;
		c->base.ev->written(c->base.owner, 0);
		return;
	}
	flush(c);
}

static int tls_write(ssp_conn_t *base, const char *p, size_t n)
{
	tls_conn_t *c = (tls_conn_t *)base;
	int rc;

	if (c->owner_writing || c->tcp == NULL)
		return c->owner_writing ? UV_EBUSY : UV_EINVAL;
	switch (c->state) {
	case T_PLAIN:
		rc = ssp_conn_write(c->tcp, p, n);
		if (rc == 0)
			c->owner_writing = c->inner_writing = 1;
		return rc;
	case T_TLS:
		break;
	case T_HANDSHAKE:
		return UV_EBUSY;
	default:
		return UV_EINVAL;
	}
	c->wp = p;
	c->wleft = n;
	c->owner_writing = 1;
	if (n == 0) {
		/* nothing to encrypt; written still comes later, from the loop */
		rc = ssp_conn_write(c->tcp, p, 0);
		if (rc != 0) {
			c->owner_writing = 0;
			return rc;
		}
		c->inner_writing = 1;
		return 0;
	}
	if (!c->inner_writing) {
		if (c->cbuf == NULL && (c->cbuf = malloc(SSP_TLS_BUFFER_MAX)) == NULL) {
			c->owner_writing = 0;
			return UV_ENOMEM;
		}
		if (fill(c) != 0) {
			c->owner_writing = 0;
			c->state = T_FAILED;
			return UV_EPROTO;
		}
		rc = ssp_conn_write(c->tcp, c->cbuf, c->clen);
		if (rc != 0) {
			c->owner_writing = 0;
			return rc;
		}
		c->inner_writing = 1;
	}
	return 0;
}

/* ---- reading ------------------------------------------------------------ */

/* deliver - decrypted plaintext to the owner, chunk by chunk, while c
 * stays open; a TLS failure or close_notify ends the stream. */
static void deliver(tls_conn_t *c)
{
	for (;;) {
		ssize_t r = ssp_tls_read(c->tls, plain_rbuf, sizeof(plain_rbuf));

		if (r == SSP_TLS_AGAIN)
			break;
		if (r == SSP_TLS_EOF) {
			c->state = T_FAILED;
			c->base.ev->received(c->base.owner, NULL, UV_EOF);
			return;
		}
		if (r < 0) {
			snprintf(c->err, sizeof(c->err), "%s", ssp_tls_error(c->tls));
			learn(c, 0);
			c->state = T_FAILED;
			c->base.ev->received(c->base.owner, NULL, UV_EPROTO);
			return;
		}
		c->base.ev->received(c->base.owner, plain_rbuf, r);
		if (c->state != T_TLS)
			return;              /* the owner closed, or started over */
	}
	flush(c);                            /* anything the engine must answer */
}

static void inner_received(void *owner, const char *p, ssize_t n)
{
	tls_conn_t *c = owner;
	int rc;

	switch (c->state) {
	case T_PLAIN:
		c->base.ev->received(c->base.owner, p, n);
		return;
	case T_HANDSHAKE:
		if (n < 0) {
			snprintf(c->err, sizeof(c->err), "the server %s during the TLS handshake",
				 n == UV_EOF ? "closed the connection" : uv_strerror((int)n));
			handshake_over(c, UV_EPROTO);
			return;
		}
		if (ssp_tls_feed(c->tls, p, (size_t)n) != 0) {
			snprintf(c->err, sizeof(c->err), "%s", ssp_tls_error(c->tls));
			handshake_over(c, UV_EPROTO);
			return;
		}
		rc = ssp_tls_handshake(c->tls);
		if (rc == SSP_TLS_AGAIN) {
			flush(c);
			return;
		}
		if (rc == SSP_TLS_ERROR) {
			snprintf(c->err, sizeof(c->err), "%s", ssp_tls_error(c->tls));
			flush(c);            /* the alert, if the server still listens */
			handshake_over(c, UV_EPROTO);
			return;
		}
		flush(c);
		handshake_over(c, 0);
		if (c->state == T_TLS)
			deliver(c);          /* what came with the last flight (a greeting) */
		return;
	case T_TLS:
		if (n < 0) {
			c->state = T_FAILED;
			c->base.ev->received(c->base.owner, NULL, n);
			return;
		}
		if (ssp_tls_feed(c->tls, p, (size_t)n) != 0) {
			snprintf(c->err, sizeof(c->err), "%s", ssp_tls_error(c->tls));
			c->state = T_FAILED;
			c->base.ev->received(c->base.owner, NULL, UV_EPROTO);
			return;
		}
		deliver(c);
		return;
	default:
		return;                      /* FAILED, CLOSING: nothing more is read */
	}
}

/* ---- connecting --------------------------------------------------------- */

static void inner_connected(void *owner, int status)
{
	tls_conn_t *c = owner;
	int rc;

	if (c->state != T_CONNECTING)
		return;
	if (status != 0) {
		c->state = T_FAILED;
		c->base.ev->connected(c->base.owner, status);
		return;
	}
	c->state = T_PLAIN;
	if (!c->opts->implicit) {
		c->base.ev->connected(c->base.owner, 0);
		return;
	}
	rc = begin_handshake(c);
	if (rc != 0) {
		c->state = T_FAILED;
		c->base.ev->connected(c->base.owner, rc);
	}
}

static const ssp_conn_events_t inner_events = {
	.connected = inner_connected,
	.received = inner_received,
	.written = inner_written,
	.closed = inner_closed,
};

static int tls_is_open(const ssp_conn_t *base)
{
	const tls_conn_t *c = (const tls_conn_t *)base;

	return c->tcp != NULL && c->state != T_CLOSING && c->state != T_CONNECTING &&
	       c->state != T_FAILED && ssp_conn_is_open(c->tcp);
}

static int tls_is_writing(const ssp_conn_t *base)
{
	return ((const tls_conn_t *)base)->owner_writing;
}

static const ssp_conn_ops_t tls_ops = {
	.write = tls_write,
	.close = tls_close,
	.is_open = tls_is_open,
	.is_writing = tls_is_writing,
};

ssp_conn_t *ssp_conn_tls_open(uv_loop_t *loop, const struct sockaddr *addr, unsigned timeout_ms,
			      const ssp_conn_events_t *ev, void *owner, const void *arg, int *err)
{
	tls_conn_t *c = calloc(1, sizeof(*c));
	int rc;

	if (c == NULL) {
		*err = UV_ENOMEM;
		return NULL;
	}
	c->base.ops = &tls_ops;
	c->base.ev = ev;
	c->base.owner = owner;
	c->opts = arg;
	c->state = T_CONNECTING;
	rc = uv_timer_init(loop, &c->timer);
	if (rc != 0) {
		free(c);
		*err = rc;
		return NULL;
	}
	c->timer.data = c;
	c->timer_open = 1;
	c->tcp = ssp_conn_tcp_open(loop, addr, timeout_ms, &inner_events, c, NULL, err);
	if (c->tcp == NULL) {
		/* silent: the owner hears nothing, c goes with the timer */
		c->base.ev = NULL;
		c->state = T_CLOSING;
		c->timer_open = 1;
		uv_close((uv_handle_t *)&c->timer, on_timer_closed);
		return NULL;
	}
	return &c->base;
}

/* ---- STARTTLS and what the transcript says ------------------------------ */

int ssp_conn_starttls(ssp_conn_t *base, ssp_conn_tls_done_fn done)
{
	tls_conn_t *c = (tls_conn_t *)base;
	int rc;

	if (base->ops != &tls_ops)
		return UV_ENOTSUP;
	if (c->state == T_TLS || c->state == T_HANDSHAKE)
		return UV_EALREADY;
	if (c->state != T_PLAIN)
		return UV_EINVAL;
	if (c->owner_writing)
		return UV_EBUSY;
	c->done = done;
	rc = begin_handshake(c);
	if (rc != 0) {
		c->done = NULL;
		c->state = T_FAILED;
	}
	return rc;
}

int ssp_conn_tls_active(const ssp_conn_t *base)
{
	return base->ops == &tls_ops && ((const tls_conn_t *)base)->state == T_TLS;
}

const char *ssp_conn_tls_error(const ssp_conn_t *base)
{
	return base->ops == &tls_ops ? ((const tls_conn_t *)base)->err : "";
}

void ssp_conn_tls_describe(const ssp_conn_t *base, char *buf, size_t n)
{
	const tls_conn_t *c = (const tls_conn_t *)base;
	char subject[256];

	if (n == 0)
		return;
	buf[0] = '\0';
	if (base->ops != &tls_ops || c->tls == NULL || !ssp_tls_done(c->tls))
		return;
	if (ssp_tls_peer_subject(c->tls, subject, sizeof(subject)) != 0)
		snprintf(subject, sizeof(subject), "(no certificate)");
	snprintf(buf, n, "TLS established: %s, cipher %s, server certificate \"%s\", %s",
		 ssp_tls_version(c->tls), ssp_tls_cipher(c->tls), subject,
		 strcmp(ssp_tls_verified(c->tls), "not verified") == 0
			 ? "not verified (--tls-verify checks it)"
			 : strcmp(ssp_tls_verified(c->tls), "ok") == 0 ? "verified" : ssp_tls_verified(c->tls));
}
