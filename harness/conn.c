/*
 * conn.c - the connection interface and its TCP implementation over libuv.
 *
 * The TCP connection owns a tcp handle, a connect-deadline timer and its
 * connect and write requests; it frees itself in the last handle's close
 * callback, after telling its owner.  Reads go into one buffer shared by
 * every connection of the thread: libuv calls the alloc and read callbacks
 * back to back, and the owner copies what it keeps, so an idle connection
 * costs no read buffer.
 */
#include "conn.h"

#include "limits.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int ssp_conn_write(ssp_conn_t *c, const char *p, size_t n)
{
	return c->ops->write(c, p, n);
}

void ssp_conn_close(ssp_conn_t *c)
{
	c->ops->close(c);
}

int ssp_conn_is_open(const ssp_conn_t *c)
{
	return c->ops->is_open(c);
}

int ssp_conn_is_writing(const ssp_conn_t *c)
{
	return c->ops->is_writing(c);
}

/* ---- TCP ---------------------------------------------------------------- */

typedef struct {
	ssp_conn_t base;         /* first: a tcp_conn_t pointer is a conn pointer */
	uv_tcp_t tcp;
	uv_timer_t timer;        /* connect deadline */
	uv_connect_t connect_req;
	uv_write_t write_req;
	unsigned open_handles;
	unsigned connect_done : 1;
	unsigned connected : 1;
	unsigned writing : 1;
	unsigned closing : 1;
} tcp_conn_t;

static _Thread_local char shared_rbuf[SSP_READ_CHUNK];

/* on_alloc - every read goes into the thread's shared buffer. */
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)h;
	(void)suggested;
	buf->base = shared_rbuf;
	buf->len = sizeof(shared_rbuf);
}

/* on_tcp_read - hand bytes or the end to the owner, unless closing. */
static void on_tcp_read(uv_stream_t *st, ssize_t n, const uv_buf_t *buf)
{
	tcp_conn_t *c = st->data;

	if (n == 0 || c->closing)
		return;
	if (n < 0)
		uv_read_stop(st);
	c->base.ev->received(c->base.owner, n > 0 ? buf->base : NULL, n);
}

/* on_connect_timeout - the connect deadline passed: UV_ETIMEDOUT, once. */
static void on_connect_timeout(uv_timer_t *t)
{
	tcp_conn_t *c = t->data;

	if (c->connect_done || c->closing)
		return;
	c->connect_done = 1;
	c->base.ev->connected(c->base.owner, UV_ETIMEDOUT);
}

/* on_connected - connected (reading starts) or failed; ignored after a timeout or close. */
static void on_connected(uv_connect_t *req, int status)
{
	tcp_conn_t *c = req->data;
	int rc;

	if (c->connect_done || c->closing)
		return; /* timed out or closed already: UV_ECANCELED from the close */
	c->connect_done = 1;
	uv_timer_stop(&c->timer);
	if (status == 0) {
		rc = uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_tcp_read);
		if (rc != 0)
			status = rc;
		else
			c->connected = 1;
	}
	c->base.ev->connected(c->base.owner, status);
}

/* on_written - the pending write finished; the owner hears it unless closing. */
static void on_written(uv_write_t *req, int status)
{
	tcp_conn_t *c = req->data;

	c->writing = 0;
	if (c->closing)
		return;
	c->base.ev->written(c->base.owner, status);
}

/* tcp_write - one write at a time, once connected: 0 or a libuv error. */
static int tcp_write(ssp_conn_t *base, const char *p, size_t n)
{
	tcp_conn_t *c = (tcp_conn_t *)base;
	uv_buf_t buf;
	int rc;

	if (!c->connected || c->closing || c->writing || n > UINT32_MAX)
		return UV_EINVAL;
	/* libuv's buffer type is not const; the bytes are only read */
	buf.base = (char *)(uintptr_t)p;
	buf.len = n;
	c->write_req.data = c;
	rc = uv_write(&c->write_req, (uv_stream_t *)&c->tcp, &buf, 1, on_written);
	if (rc == 0)
		c->writing = 1;
	return rc;
}

/* on_handle_closed - the last handle closed: tell the owner (if it asked), free. */
static void on_handle_closed(uv_handle_t *h)
{
	tcp_conn_t *c = h->data;

	if (--c->open_handles > 0)
		return;
	if (c->closing && c->base.ev != NULL)
		c->base.ev->closed(c->base.owner);
	free(c);
}

/* close_handles - uv_close every initialised handle; the last callback frees c. */
static void close_handles(tcp_conn_t *c, int with_timer)
{
	uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
	if (with_timer)
		uv_close((uv_handle_t *)&c->timer, on_handle_closed);
}

/* tcp_close - close both handles (idempotent); the last close callback frees. */
static void tcp_close(ssp_conn_t *base)
{
	tcp_conn_t *c = (tcp_conn_t *)base;

	if (c->closing)
		return;
	c->closing = 1;
	c->connected = 0;
	close_handles(c, 1);
}

/* tcp_is_open - connected and not closing. */
static int tcp_is_open(const ssp_conn_t *base)
{
	const tcp_conn_t *c = (const tcp_conn_t *)base;

	return c->connected && !c->closing;
}

/* tcp_is_writing - a write is pending. */
static int tcp_is_writing(const ssp_conn_t *base)
{
	return ((const tcp_conn_t *)base)->writing;
}

static const ssp_conn_ops_t tcp_ops = {
	.write = tcp_write,
	.close = tcp_close,
	.is_open = tcp_is_open,
	.is_writing = tcp_is_writing,
};

ssp_conn_t *ssp_conn_tcp_open(uv_loop_t *loop, const struct sockaddr *addr, unsigned timeout_ms,
			      const ssp_conn_events_t *ev, void *owner, const void *arg, int *err)
{
	tcp_conn_t *c = calloc(1, sizeof(*c));
	int rc;

	(void)arg;
	if (c == NULL) {
		*err = UV_ENOMEM;
		return NULL;
	}
	c->base.ops = &tcp_ops;
	c->base.ev = ev;
	c->base.owner = owner;
	rc = uv_tcp_init(loop, &c->tcp);
	if (rc != 0) {
		free(c); /* nothing was initialised: nothing to close */
		*err = rc;
		return NULL;
	}
	c->tcp.data = c;
	c->open_handles = 1;
	rc = uv_timer_init(loop, &c->timer);
	if (rc == 0) {
		c->timer.data = c;
		c->open_handles = 2;
		uv_tcp_nodelay(&c->tcp, 1);
		c->connect_req.data = c;
		rc = uv_tcp_connect(&c->connect_req, &c->tcp, addr, on_connected);
		if (rc == 0)
			rc = uv_timer_start(&c->timer, on_connect_timeout, timeout_ms, 0);
		if (rc == 0)
			return &c->base;
	}
	/* failed after init: close what is open, silently (the owner hears
	 * nothing), and free c in the last close callback */
	c->base.ev = NULL;
	c->closing = 1;
	close_handles(c, c->open_handles == 2);
	*err = rc;
	return NULL;
}
