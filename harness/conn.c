/*
 * conn.c - TCP transport over libuv.
 *
 * Reads go into one buffer shared by every connection of the thread: libuv
 * calls the alloc and read callbacks back to back, and the owner copies what
 * it keeps, so an idle connection costs no read buffer.
 */
#include "conn.h"

#include "limits.h"

#include <string.h>

static _Thread_local char shared_rbuf[SSP_READ_CHUNK];

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)h;
	(void)suggested;
	buf->base = shared_rbuf;
	buf->len = sizeof(shared_rbuf);
}

static void on_tcp_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	ssp_conn_t *c = s->data;

	(void)buf;
	if (n == 0 || c->closing)
		return;
	if (n < 0) {
		uv_read_stop(s);
		c->reading = 0;
	}
	c->on_read(c, n > 0 ? buf->base : NULL, n);
}

static void on_connect_timeout(uv_timer_t *t)
{
	ssp_conn_t *c = t->data;

	if (c->connect_done)
		return;
	c->connect_done = 1;
	c->on_connect(c, UV_ETIMEDOUT);
}

static void on_connected(uv_connect_t *req, int status)
{
	ssp_conn_t *c = req->data;
	int rc;

	if (c->connect_done)
		return; /* timed out already; this is UV_ECANCELED from the close */
	c->connect_done = 1;
	uv_timer_stop(&c->timer);
	if (status == 0) {
		c->connected = 1;
		rc = uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_tcp_read);
		if (rc != 0)
			status = rc;
		else
			c->reading = 1;
	}
	c->on_connect(c, status);
}

int ssp_conn_connect(uv_loop_t *loop, ssp_conn_t *c, const struct sockaddr *addr,
		     unsigned timeout_ms, ssp_conn_connect_cb on_connect,
		     ssp_conn_read_cb on_read)
{
	int rc;

	c->on_connect = on_connect;
	c->on_read = on_read;
	c->open_handles = 0;
	c->connect_done = c->connected = c->reading = c->writing = c->closing = 0;
	rc = uv_tcp_init(loop, &c->tcp);
	if (rc != 0)
		return rc;
	c->open_handles++;
	c->tcp.data = c;
	rc = uv_timer_init(loop, &c->timer);
	if (rc != 0)
		return rc;
	c->open_handles++;
	c->timer.data = c;
	uv_tcp_nodelay(&c->tcp, 1);
	c->connect_req.data = c;
	rc = uv_tcp_connect(&c->connect_req, &c->tcp, addr, on_connected);
	if (rc != 0)
		return rc;
	return uv_timer_start(&c->timer, on_connect_timeout, timeout_ms, 0);
}

static void on_written(uv_write_t *req, int status)
{
	ssp_conn_t *c = req->data;

	c->writing = 0;
	if (c->closing)
		return;
	c->on_write(c, status);
}

int ssp_conn_write(ssp_conn_t *c, const char *p, size_t n, ssp_conn_write_cb on_write)
{
	uv_buf_t buf;
	int rc;

	if (!c->connected || c->closing || c->writing)
		return UV_EINVAL;
	buf = uv_buf_init((char *)p, (unsigned)n);
	c->on_write = on_write;
	c->write_req.data = c;
	rc = uv_write(&c->write_req, (uv_stream_t *)&c->tcp, &buf, 1, on_written);
	if (rc == 0)
		c->writing = 1;
	return rc;
}

static void on_handle_closed(uv_handle_t *h)
{
	ssp_conn_t *c = h->data;

	if (--c->open_handles == 0 && c->on_close)
		c->on_close(c);
}

void ssp_conn_close(ssp_conn_t *c, ssp_conn_close_cb on_close)
{
	unsigned handles = c->open_handles;

	if (c->closing)
		return;
	c->closing = 1;
	c->on_close = on_close;
	if (handles == 0) {
		if (on_close)
			on_close(c);
		return;
	}
	/* open_handles counts in init order: tcp first, then the timer */
	uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
	if (handles > 1)
		uv_close((uv_handle_t *)&c->timer, on_handle_closed);
}
