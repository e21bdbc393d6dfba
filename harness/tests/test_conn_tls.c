/*
 * test_conn_tls.c - the TLS-capable connection (conn_tls.h) on loopback,
 * against a small server in the same loop that speaks TLS through tls.c's
 * server role: implicit TLS, a STARTTLS upgrade, a large write, and the
 * failures (junk instead of a handshake, a handshake that never comes, a
 * close in the middle).  Events must never come from within the call that
 * caused them, and the loop must end with no handle open.
 */
#include "tests.h"

#include "../conn_tls.h"
#include "../limits.h"

#include <stdlib.h>
#include <string.h>

/* ---- the server: one connection, a behaviour per test ------------------- */

typedef enum {
	SRV_IMPLICIT,       /* handshake at once, then "220 hi" inside TLS */
	SRV_STARTTLS,       /* "220 hi" in plaintext; "220 go" to any line; then TLS */
	SRV_JUNK,           /* "220 hi"; to any line "220 go" and junk */
	SRV_STALL,          /* "220 hi"; to any line "220 go"; then nothing */
} srv_mode_t;

typedef struct {
	uv_tcp_t listener, peer;
	int peer_open, listener_open;
	srv_mode_t mode;
	ssp_tls_ctx_t *ctx;
	ssp_tls_t *tls;
	int plain_lines;            /* lines seen before TLS */
	size_t got;                 /* plaintext octets received inside TLS */
	char out[SSP_TLS_BUFFER_MAX];
	size_t expect_total;        /* a big write: answer once all of it came */
} server_t;

static void srv_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	static char b[65536];

	(void)h;
	(void)suggested;
	buf->base = b;
	buf->len = sizeof(b);
}

/* A write of the server with its own copy of the bytes (freed when done). */
typedef struct {
	uv_write_t req;
	char data[];
} srv_write_t;

static void srv_written(uv_write_t *req, int status)
{
	(void)status;
	free(req->data);
}

/* srv_send - p[0..n) as is, or encrypted first when TLS is on, queued
 * behind the writes in flight. */
static void srv_send(server_t *s, const char *p, size_t n)
{
	srv_write_t *w;
	uv_buf_t b;
	size_t k;

	if (s->tls != NULL) {
		if (n > 0 && ssp_tls_write(s->tls, p, n) != (ssize_t)n)
			return;
		k = ssp_tls_take(s->tls, s->out, sizeof(s->out));
		p = s->out;
	} else {
		k = n;
	}
	if (k == 0 || (w = malloc(sizeof(*w) + k)) == NULL)
		return;
	memcpy(w->data, p, k);
	w->req.data = w;
	b = uv_buf_init(w->data, (unsigned)k);
	if (uv_write(&w->req, (uv_stream_t *)&s->peer, &b, 1, srv_written) != 0)
		free(w);
}

/* srv_flush - handshake records the engine produced. */
static void srv_flush(server_t *s)
{
	srv_send(s, NULL, 0);
}

static void srv_read(uv_stream_t *st, ssize_t n, const uv_buf_t *buf)
{
	server_t *s = st->data;
	char plain[65536];
	ssize_t r;

	if (n <= 0) {
		if (n < 0 && s->peer_open) {
			s->peer_open = 0;
			uv_close((uv_handle_t *)&s->peer, NULL);
		}
		return;
	}
	if (s->tls == NULL) {
		if (memchr(buf->base, '\n', (size_t)n) == NULL || s->plain_lines++ > 0)
			return;
		if (s->mode == SRV_JUNK) {
			static const char junk[] = "220 go\r\n\x01\x02 this is no TLS record at all \xff\xfe";
			srv_send(s, junk, sizeof(junk) - 1);
			return;
		}
		srv_send(s, "220 go\r\n", 8);
		if (s->mode == SRV_STARTTLS)
			s->tls = ssp_tls_new(s->ctx, NULL, NULL, 0);
		return;
	}
	if (ssp_tls_feed(s->tls, buf->base, (size_t)n) != 0)
		return;
	if (!ssp_tls_done(s->tls)) {
		int rc = ssp_tls_handshake(s->tls);

		srv_flush(s);
		if (rc != SSP_TLS_DONE)
			return;
		if (s->mode == SRV_IMPLICIT)
			srv_send(s, "220 hi\r\n", 8);
	}
	while ((r = ssp_tls_read(s->tls, plain, sizeof(plain))) > 0)
		s->got += (size_t)r;
	if ((s->got > 0 && s->got < 100) || (s->expect_total > 0 && s->got == s->expect_total))
		srv_send(s, "250 ok\r\n", 8);      /* a short command: answered */
	else
		srv_flush(s);
}

static void srv_accept(uv_stream_t *l, int status)
{
	server_t *s = l->data;

	if (status != 0 || s->peer_open)
		return;
	uv_tcp_init(l->loop, &s->peer);
	s->peer.data = s;
	s->peer_open = 1;
	if (uv_accept(l, (uv_stream_t *)&s->peer) != 0)
		return;
	uv_read_start((uv_stream_t *)&s->peer, srv_alloc, srv_read);
	if (s->mode == SRV_IMPLICIT)
		s->tls = ssp_tls_new(s->ctx, NULL, NULL, 0);
	else
		srv_send(s, "220 hi\r\n", 8);
}

/* srv_start - listen on 127.0.0.1, any port, into *addr: 0 or -1. */
static int srv_start(uv_loop_t *loop, server_t *s, srv_mode_t mode, struct sockaddr_in *addr)
{
	ssp_tls_config_t cfg = { .server = 1, .self_signed = "tls.test" };
	struct sockaddr_storage ss;
	int len = sizeof(ss);

	memset(s, 0, sizeof(*s));
	s->mode = mode;
	s->ctx = ssp_tls_ctx_new(&cfg, NULL, 0);
	if (s->ctx == NULL)
		return -1;
	uv_ip4_addr("127.0.0.1", 0, addr);
	uv_tcp_init(loop, &s->listener);
	s->listener.data = s;
	s->listener_open = 1;
	if (uv_tcp_bind(&s->listener, (const struct sockaddr *)addr, 0) != 0 ||
	    uv_listen((uv_stream_t *)&s->listener, 4, srv_accept) != 0 ||
	    uv_tcp_getsockname(&s->listener, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	addr->sin_port = ((struct sockaddr_in *)&ss)->sin_port;
	return 0;
}

static void srv_stop(server_t *s)
{
	if (s->peer_open)
		uv_close((uv_handle_t *)&s->peer, NULL);
	if (s->listener_open)
		uv_close((uv_handle_t *)&s->listener, NULL);
	s->peer_open = s->listener_open = 0;
}

/* ---- the client side ---------------------------------------------------- */

typedef struct {
	ssp_conn_t *c;
	server_t *srv;
	int in_call, sync_events;
	int connected, status, closed, written, tls_done, tls_status, ended;
	char in[256];
	size_t inlen;
	const char *big;            /* sent once TLS is up */
	size_t bign;
	int close_in_handshake;
	int junk_seen;              /* bytes after "220 go" before any handshake */
} client_t;

static void cl_close(client_t *w)
{
	w->in_call = 1;
	ssp_conn_close(w->c);
	w->in_call = 0;
}

static void cl_tls_done(void *owner, int status)
{
	client_t *w = owner;

	w->sync_events += w->in_call;
	w->tls_done++;
	w->tls_status = status;
	if (status != 0) {
		cl_close(w);
		return;
	}
	w->in_call = 1;
	if (w->big != NULL)
		ssp_conn_write(w->c, w->big, w->bign);
	else
		ssp_conn_write(w->c, "NOOP\r\n", 6);
	w->in_call = 0;
}

static void cl_connected(void *owner, int status)
{
	client_t *w = owner;

	w->sync_events += w->in_call;
	w->connected++;
	w->status = status;
	if (status != 0)
		cl_close(w);
}

static void cl_received(void *owner, const char *p, ssize_t n)
{
	client_t *w = owner;
	int rc;

	w->sync_events += w->in_call;
	if (n < 0) {
		w->ended = (int)n;
		cl_close(w);
		return;
	}
	if (w->inlen + (size_t)n < sizeof(w->in)) {
		memcpy(w->in + w->inlen, p, (size_t)n);
		w->inlen += (size_t)n;
		w->in[w->inlen] = '\0';
	}
	if (strstr(w->in, "250 ok\r\n") != NULL) {
		cl_close(w);
	} else if (strcmp(w->in, "220 hi\r\n") == 0 && !ssp_conn_tls_active(w->c)) {
		w->in_call = 1;
		ssp_conn_write(w->c, "STARTTLS\r\n", 10);
		w->in_call = 0;
	} else if (strcmp(w->in, "220 hi\r\n") == 0 && w->big != NULL) {
		w->in_call = 1;
		ssp_conn_write(w->c, w->big, w->bign);
		w->in_call = 0;
	} else if (strcmp(w->in, "220 hi\r\n") == 0) {
		w->in_call = 1;
		ssp_conn_write(w->c, "NOOP\r\n", 6);
		w->in_call = 0;
	} else if (strcmp(w->in, "220 hi\r\n220 go\r\n") == 0) {
		w->in_call = 1;
		rc = ssp_conn_starttls(w->c, cl_tls_done);
		w->in_call = 0;
		CU_ASSERT_EQUAL(rc, 0);
		w->inlen = 0;
		if (w->close_in_handshake)
			cl_close(w);
	} else if (strstr(w->in, "220 go\r\n") != NULL) {
		w->junk_seen = 1;           /* plaintext after the 220: give up */
		cl_close(w);
	}
}

static void cl_written(void *owner, int status)
{
	client_t *w = owner;

	w->sync_events += w->in_call;
	w->written++;
	CU_ASSERT_EQUAL(status, 0);
}

static void cl_closed(void *owner)
{
	client_t *w = owner;

	w->sync_events += w->in_call;
	w->closed++;
	srv_stop(w->srv);
}

static const ssp_conn_events_t cl_events = { cl_connected, cl_received, cl_written, cl_closed };

/* run - one client against a server in mode: the client's record. */
static void run(srv_mode_t mode, int implicit, unsigned handshake_ms, client_t *w)
{
	ssp_tls_config_t cfg = { 0 };
	ssp_conn_tls_opts_t opts = { 0 };
	struct sockaddr_in addr;
	static server_t srv;
	uv_loop_t loop;
	int err = 0;

	CU_ASSERT_EQUAL_FATAL(uv_loop_init(&loop), 0);
	CU_ASSERT_EQUAL_FATAL(srv_start(&loop, &srv, mode, &addr), 0);
	srv.expect_total = w->bign;
	opts.ctx = ssp_tls_ctx_new(&cfg, NULL, 0);
	opts.sni = "tls.test";
	opts.implicit = implicit;
	opts.handshake_ms = handshake_ms;
	w->srv = &srv;
	w->in_call = 1;
	w->c = ssp_conn_tls_open(&loop, (const struct sockaddr *)&addr, 2000, &cl_events, w, &opts, &err);
	w->in_call = 0;
	CU_ASSERT_PTR_NOT_NULL(w->c);
	if (w->c == NULL)
		srv_stop(&srv);
	uv_run(&loop, UV_RUN_DEFAULT);
	CU_ASSERT_EQUAL(uv_loop_close(&loop), 0);   /* nothing left open */
	CU_ASSERT_EQUAL(w->sync_events, 0);
	CU_ASSERT_EQUAL(w->closed, 1);
	ssp_tls_free(srv.tls);
	ssp_tls_ctx_free(srv.ctx);
	ssp_tls_ctx_free(opts.ctx);
}

static void test_implicit(void)
{
	client_t w = { 0 };

	run(SRV_IMPLICIT, 1, 3000, &w);
	CU_ASSERT_EQUAL(w.connected, 1);
	CU_ASSERT_EQUAL(w.status, 0);
	/* the greeting came inside TLS, NOOP went inside TLS, its 250 came back */
	CU_ASSERT_STRING_EQUAL(w.in, "220 hi\r\n250 ok\r\n");
	CU_ASSERT_EQUAL(w.written, 1);
}

static void test_starttls(void)
{
	client_t w = { 0 };

	run(SRV_STARTTLS, 0, 3000, &w);
	CU_ASSERT_EQUAL(w.tls_done, 1);
	CU_ASSERT_EQUAL(w.tls_status, 0);
	CU_ASSERT_STRING_EQUAL(w.in, "250 ok\r\n");
	CU_ASSERT_EQUAL(w.written, 2);               /* STARTTLS in plaintext, NOOP inside */
}

static void test_big_write(void)
{
	client_t w = { 0 };
	size_t n = 3 * SSP_TLS_BUFFER_MAX + 12345;   /* more than the engine holds at once */
	char *big = malloc(n);

	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memset(big, 'x', n);
	w.big = big;
	w.bign = n;
	/* the server answers 250 once it has decrypted every octet */
	run(SRV_IMPLICIT, 1, 3000, &w);
	CU_ASSERT_EQUAL(w.written, 1);
	CU_ASSERT_STRING_EQUAL(w.in, "220 hi\r\n250 ok\r\n");
	free(big);
}

static void test_junk(void)
{
	client_t w = { 0 };

	run(SRV_JUNK, 0, 3000, &w);
	/* the junk came with the 220 (in plaintext: the owner sees it and stops),
	 * or after it (inside the handshake: a TLS error) */
	CU_ASSERT(w.junk_seen || (w.tls_done == 1 && w.tls_status == UV_EPROTO));
}

static void test_stall(void)
{
	client_t w = { 0 };

	run(SRV_STALL, 0, 300, &w);
	CU_ASSERT_EQUAL(w.tls_done, 1);
	CU_ASSERT_EQUAL(w.tls_status, UV_ETIMEDOUT);
}

static void test_close_in_handshake(void)
{
	client_t w = { 0 };

	w.close_in_handshake = 1;
	run(SRV_STALL, 0, 300, &w);
	CU_ASSERT_EQUAL(w.tls_done, 0);              /* closed: no handshake event after */
}

static void test_not_tls_capable(void)
{
	ssp_conn_t fake = { 0 };
	static const ssp_conn_ops_t ops = { 0 };

	fake.ops = &ops;
	CU_ASSERT_EQUAL(ssp_conn_starttls(&fake, cl_tls_done), UV_ENOTSUP);
	CU_ASSERT_FALSE(ssp_conn_tls_active(&fake));
	CU_ASSERT_STRING_EQUAL(ssp_conn_tls_error(&fake), "");
}

void register_conn_tls_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "implicit TLS: greeting and a command inside TLS", test_implicit },
		{ "STARTTLS: plaintext, then the upgrade, then a command inside TLS", test_starttls },
		{ "a write larger than the engine's buffers", test_big_write },
		{ "plaintext junk with the 220: nothing starts", test_junk },
		{ "a handshake that never comes ends at its deadline", test_stall },
		{ "closed during the handshake: no event after the close", test_close_in_handshake },
		{ "STARTTLS on a connection without TLS: refused", test_not_tls_capable },
		{ NULL, NULL },
	};

	tests_add_suite("conn_tls", tests);
}
