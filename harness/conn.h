/*
 * conn.h - the byte transport of a session: a small interface (an ops
 * table) with one implementation over a libuv TCP connection.
 *
 * This is the one interface between a session and the network: write
 * bytes, receive bytes, close.  A connection is the sole owner of its libuv
 * handles and requests; its owner learns what happens through events and
 * asks through ssp_conn_*().  A later TLS layer sits inside an
 * implementation; a unit test can script one without sockets.
 *
 * Events are never called from within the call that caused them (libuv's
 * rule): not from ssp_conn_tcp_open, ssp_conn_write nor ssp_conn_close.
 */
#ifndef SSP_CONN_H
#define SSP_CONN_H

#include <stddef.h>
#include <sys/types.h>
#include <uv.h>

typedef struct ssp_conn_s ssp_conn_t;

/* What a connection tells its owner; owner is the pointer given at open. */
typedef struct ssp_conn_events_s {
	/* once: 0 when connected (reading has started), or a negative libuv
	 * error (UV_ETIMEDOUT when the connect deadline passed) */
	void (*connected)(void *owner, int status);
	/* received bytes (n > 0), or once n < 0: UV_EOF when the server closed,
	 * another libuv error (UV_ECONNRESET) otherwise */
	void (*received)(void *owner, const char *p, ssize_t n);
	/* the pending write finished: 0, or a negative libuv error */
	void (*written)(void *owner, int status);
	/* after ssp_conn_close: every handle is closed, the connection freed */
	void (*closed)(void *owner);
} ssp_conn_events_t;

/* What an implementation provides (the transport's vtable). */
typedef struct ssp_conn_ops_s {
	int (*write)(ssp_conn_t *c, const char *p, size_t n);
	void (*close)(ssp_conn_t *c);
	int (*is_open)(const ssp_conn_t *c);
	int (*is_writing)(const ssp_conn_t *c);
} ssp_conn_ops_t;

/* The part every implementation starts with. */
struct ssp_conn_s {
	const ssp_conn_ops_t *ops;
	const ssp_conn_events_t *ev;
	void *owner;
};

/*
 * An opener: start connecting to addr within timeout_ms.  Returns the
 * connection (connected is called later), or NULL with *err set (a
 * negative libuv error; no event is ever called).
 */
typedef ssp_conn_t *(*ssp_conn_open_fn)(uv_loop_t *loop, const struct sockaddr *addr,
					unsigned timeout_ms, const ssp_conn_events_t *ev,
					void *owner, const void *arg, int *err);

/* ssp_conn_tcp_open - the TCP opener (arg unused); see ssp_conn_open_fn. */
ssp_conn_t *ssp_conn_tcp_open(uv_loop_t *loop, const struct sockaddr *addr, unsigned timeout_ms,
			      const ssp_conn_events_t *ev, void *owner, const void *arg, int *err);

/*
 * ssp_conn_write - send p[0..n); p must stay valid until written is called.
 * One write at a time, once connected.  Returns 0, or a negative libuv
 * error (written is not called).
 */
int ssp_conn_write(ssp_conn_t *c, const char *p, size_t n);

/* ssp_conn_close - close everything (idempotent); closed is called once, later. */
void ssp_conn_close(ssp_conn_t *c);

/* ssp_conn_is_open - 1 while connected and not closing, else 0. */
int ssp_conn_is_open(const ssp_conn_t *c);

/* ssp_conn_is_writing - 1 while a write is pending, else 0. */
int ssp_conn_is_writing(const ssp_conn_t *c);

#endif
