/*
 * conn.h - the byte transport of a session: a TCP connection through libuv,
 * with a deadline on connecting.
 *
 * This is the one interface between a session and the network: connect,
 * write bytes, receive bytes, close.  A later TLS layer (STARTTLS) sits
 * inside it, so sessions stay unaware of what carries their bytes.  Only
 * this module touches libuv stream handles.
 */
#ifndef SSP_CONN_H
#define SSP_CONN_H

#include <stddef.h>
#include <sys/types.h>
#include <uv.h>

typedef struct ssp_conn_s ssp_conn_t;

/* Called once: status 0 on success, a negative libuv error otherwise
 * (UV_ETIMEDOUT when the connect deadline passed). */
typedef void (*ssp_conn_connect_cb)(ssp_conn_t *c, int status);
/* Called with received bytes (n > 0), or once with n < 0: UV_EOF when the
 * server closed, another libuv error (UV_ECONNRESET) otherwise. */
typedef void (*ssp_conn_read_cb)(ssp_conn_t *c, const char *p, ssize_t n);
/* Called when a write finished: 0, or a negative libuv error. */
typedef void (*ssp_conn_write_cb)(ssp_conn_t *c, int status);
/* Called when every handle is closed: the memory may be freed now. */
typedef void (*ssp_conn_close_cb)(ssp_conn_t *c);

struct ssp_conn_s {
	uv_tcp_t tcp;
	uv_timer_t timer;        /* connect deadline */
	uv_connect_t connect_req;
	uv_write_t write_req;
	void *data;              /* the owner's */
	ssp_conn_connect_cb on_connect;
	ssp_conn_read_cb on_read;
	ssp_conn_write_cb on_write;
	ssp_conn_close_cb on_close;
	unsigned open_handles;
	unsigned connect_done : 1;
	unsigned connected : 1;
	unsigned reading : 1;
	unsigned writing : 1;
	unsigned closing : 1;
};

/*
 * ssp_conn_connect - start connecting to addr within timeout_ms; reads start
 * on success and are delivered to on_read.  Returns 0 (on_connect will be
 * called), or a negative libuv error (nothing will be called; close c).
 */
int ssp_conn_connect(uv_loop_t *loop, ssp_conn_t *c, const struct sockaddr *addr,
		     unsigned timeout_ms, ssp_conn_connect_cb on_connect,
		     ssp_conn_read_cb on_read);

/*
 * ssp_conn_write - send p[0..n); p must stay valid until on_write is called.
 * One write at a time.  Returns 0, or a negative libuv error.
 */
int ssp_conn_write(ssp_conn_t *c, const char *p, size_t n, ssp_conn_write_cb on_write);

/* ssp_conn_close - close everything (idempotent); on_close is called once. */
void ssp_conn_close(ssp_conn_t *c, ssp_conn_close_cb on_close);

#endif
