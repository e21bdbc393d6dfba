/*
 * test_conn.c - the TCP connection (conn.h) on loopback: events are never
 * called from within the call that caused them, the connection alone
 * closes its handles, and the loop is left with no handle open.
 */
#include "tests.h"

#include "../conn.h"

#include <string.h>

typedef struct {
	int in_call;        /* 1 while a conn function runs */
	int connected, status, closed, received, sync_events;
	ssp_conn_t *c;
	int close_on_connect;
} watch_t;

static void on_connected(void *owner, int status)
{
	watch_t *w = owner;

	w->sync_events += w->in_call;
	w->connected++;
	w->status = status;
	if (w->close_on_connect) {
		w->in_call = 1;
		ssp_conn_close(w->c);
		w->in_call = 0;
	}
}

static void on_received(void *owner, const char *p, ssize_t n)
{
	watch_t *w = owner;

	(void)p;
	(void)n;
	w->sync_events += w->in_call;
	w->received++;
}

static void on_written(void *owner, int status)
{
	watch_t *w = owner;

	(void)status;
	w->sync_events += w->in_call;
}

static void on_closed(void *owner)
{
	watch_t *w = owner;

	w->sync_events += w->in_call;
	w->closed++;
}

static const ssp_conn_events_t events = { on_connected, on_received, on_written, on_closed };

/* free_port - a loopback port nothing listens on (bound, then closed). */
static int free_port(uv_loop_t *loop, struct sockaddr_in *sin)
{
	uv_tcp_t t;
	struct sockaddr_storage ss;
	int len = sizeof(ss), rc;

	uv_ip4_addr("127.0.0.1", 0, sin);
	uv_tcp_init(loop, &t);
	rc = uv_tcp_bind(&t, (const struct sockaddr *)sin, 0);
	if (rc == 0)
		rc = uv_tcp_getsockname(&t, (struct sockaddr *)&ss, &len);
	if (rc == 0)
		sin->sin_port = ((struct sockaddr_in *)&ss)->sin_port;
	uv_close((uv_handle_t *)&t, NULL);
	uv_run(loop, UV_RUN_DEFAULT);
	return rc;
}

static void test_refused_then_close(void)
{
	uv_loop_t loop;
	struct sockaddr_in sin;
	watch_t w;
	int err = 0;

	memset(&w, 0, sizeof(w));
	CU_ASSERT_FATAL(uv_loop_init(&loop) == 0);
	CU_ASSERT_FATAL(free_port(&loop, &sin) == 0);
	w.close_on_connect = 1;
	w.in_call = 1;
	w.c = ssp_conn_tcp_open(&loop, (const struct sockaddr *)&sin, 2000, &events, &w, NULL, &err);
	w.in_call = 0;
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.c);
	CU_ASSERT_EQUAL(w.connected, 0); /* not from within open */
	CU_ASSERT_EQUAL(ssp_conn_is_open(w.c), 0);
	uv_run(&loop, UV_RUN_DEFAULT);
	CU_ASSERT_EQUAL(w.connected, 1);
	CHECKF(w.status == UV_ECONNREFUSED, "status %s", uv_err_name(w.status));
	CU_ASSERT_EQUAL(w.closed, 1);       /* after the close, from the loop */
	CU_ASSERT_EQUAL(w.sync_events, 0);
	CU_ASSERT_EQUAL(uv_loop_close(&loop), 0);
}

static void test_close_before_connect(void)
{
	uv_loop_t loop;
	struct sockaddr_in sin;
	watch_t w;
	int err = 0;

	memset(&w, 0, sizeof(w));
	CU_ASSERT_FATAL(uv_loop_init(&loop) == 0);
	CU_ASSERT_FATAL(free_port(&loop, &sin) == 0);
	w.c = ssp_conn_tcp_open(&loop, (const struct sockaddr *)&sin, 2000, &events, &w, NULL, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.c);
	CU_ASSERT(ssp_conn_write(w.c, "x", 1) < 0); /* not connected: refused, no event */
	w.in_call = 1;
	ssp_conn_close(w.c);
	ssp_conn_close(w.c); /* idempotent */
	w.in_call = 0;
	CU_ASSERT_EQUAL(w.closed, 0); /* never from within close */
	uv_run(&loop, UV_RUN_DEFAULT);
	CU_ASSERT_EQUAL(w.closed, 1);
	CU_ASSERT_EQUAL(w.connected, 0); /* a closed connection reports nothing more */
	CU_ASSERT_EQUAL(w.sync_events, 0);
	CU_ASSERT_EQUAL(uv_loop_close(&loop), 0);
}

void register_conn_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "refused, closed from the connect event", test_refused_then_close },
		{ "closed before connecting", test_close_before_connect },
		{ NULL, NULL },
	};

	tests_add_suite("conn", tests);
}
