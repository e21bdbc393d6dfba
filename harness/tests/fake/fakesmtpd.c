/*
 * fakesmtpd.c - the misbehaving test server: command line, listener and
 * connections (libuv).
 *
 *   fakesmtpd [--port N] [--host 127.0.0.1|::1] [--mode NAME[,NAME...]]...
 *             [--idle-timeout S] [--tls-cert FILE --tls-key FILE]
 *             [--tls-on-connect] [--tls-client-ca FILE] [--list-modes]
 *
 * It listens on loopback only, prints one line "READY <port>" once it
 * listens, serves any number of connections at once, and on SIGTERM or
 * SIGINT answers 421 to every open session (RFC 5321 §3.8), closes every
 * handle and exits 0.
 *
 * A connection owns three handles (the TCP stream and two timers); its
 * memory goes with the last close callback.  Every event ends in update():
 * the engine (fake_smtp.c) processes what was read, the replies it made
 * are written one write at a time, then the hostile stream if any (chunk by
 * chunk, each from the previous write's callback), then the end of the
 * session.  Reading goes on only while the engine can take input, so a
 * client that does not read its replies is not read either: memory per
 * connection stays bounded whatever the client or the mode.
 */
#include "fake.h"

#include "../../tls.h"

#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define MODE(srv, m) ((srv)->modes.on[FAKE_MODE_##m])

/* The listen backlog. */
#define FAKE_BACKLOG 128

typedef struct fake_server_s fake_server_t;
typedef struct fake_conn_s fake_conn_t;

struct fake_conn_s {
	uv_tcp_t tcp;
	uv_timer_t idle;              /* the client's deadline, then a close grace */
	uv_timer_t pace;              /* hostile-trickle: one octet a second */
	uv_write_t write_req;
	uv_shutdown_t shutdown_req;
	fake_server_t *srv;
	fake_conn_t *prev, *next;
	fake_buf_t wbuf;              /* the bytes of the write in flight */
	ssp_tls_t *tls;               /* TLS is on (fake_tls.c): reads and writes go through it */
	uint64_t streamed;            /* octets (or lines) of the stream sent */
	uint32_t junk;                /* xorshift state for hostile-junk-tls */
	unsigned handles;             /* open handles */
	unsigned reading : 1;
	unsigned writing : 1;
	unsigned shut : 1;            /* our FIN is sent: lingering for the client's */
	unsigned closing : 1;
	unsigned eof : 1;             /* the client's FIN arrived */
	unsigned expiring : 1;        /* the next idle timeout closes */
	fake_smtp_t smtp;
};

struct fake_server_s {
	uv_loop_t loop;
	uv_tcp_t listener;
	uv_signal_t sigterm, sigint;
	fake_modes_t modes;
	fake_conn_t *conns;
	unsigned nconns;
	uint64_t idle_ms;
	int tls_on_connect;           /* RFC 8314 implicit TLS: the handshake first */
	int stopping;
};

static void update(fake_conn_t *c);

/* hostile - a hostile mode is on: no 421 on timeouts and shutdown. */
static int hostile(const fake_server_t *srv)
{
	return MODE(srv, HOSTILE_SILENT) || MODE(srv, HOSTILE_NO_EOL) ||
	       MODE(srv, HOSTILE_10MB_REPLY) || MODE(srv, HOSTILE_100K_LINES) ||
	       MODE(srv, HOSTILE_NUL_UTF8) || MODE(srv, HOSTILE_CLOSE_MID_REPLY) ||
	       MODE(srv, HOSTILE_RESET) || MODE(srv, HOSTILE_EARLY_ANSWER) ||
	       MODE(srv, HOSTILE_TRICKLE) || MODE(srv, HOSTILE_NO_READ) ||
	       MODE(srv, HOSTILE_JUNK_TLS) || MODE(srv, STARTTLS_STALL);
}

/* ---- closing ------------------------------------------------------------ */

static void on_closed(uv_handle_t *h)
{
	fake_conn_t *c = h->data;
	fake_server_t *srv = c->srv;

	if (--c->handles > 0)
		return;
	if (c->prev)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	srv->nconns--;
	fake_smtp_free(&c->smtp);
	fake_buf_free(&c->wbuf);
	ssp_tls_free(c->tls);
	free(c);
}

/* conn_close - close every handle of c (idempotent); with reset, the TCP
 * connection is reset (RST) rather than closed. */
static void conn_close(fake_conn_t *c, int reset)
{
	if (c->closing)
		return;
	c->closing = 1;
	c->reading = 0;
	if (!reset || c->shut || uv_tcp_close_reset(&c->tcp, on_closed) != 0)
		uv_close((uv_handle_t *)&c->tcp, on_closed);
	uv_close((uv_handle_t *)&c->idle, on_closed);
	uv_close((uv_handle_t *)&c->pace, on_closed);
}

static void on_idle(uv_timer_t *t)
{
	fake_conn_t *c = t->data;

	if (c->closing)
		return;
	if (c->expiring || c->shut || hostile(c->srv)) {
		conn_close(c, 0);
		return;
	}
	/* RFC 5321 §4.5.3.2.7: the client was idle too long */
	c->expiring = 1;
	fake_smtp_goodbye(&c->smtp, "4.4.2", "Error: timeout exceeded");
	uv_timer_start(&c->idle, on_idle, FAKE_LINGER_MS, 0);
	update(c);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	fake_conn_t *c = req->data;

	if (c->closing)
		return;
	if (status != 0 || c->eof) {
		conn_close(c, 0);
		return;
	}
	/* wait a little for the client's FIN, reading and discarding */
	c->expiring = 1;
	uv_timer_start(&c->idle, on_idle, FAKE_LINGER_MS, 0);
}

/* ---- writing ------------------------------------------------------------ */

static void on_written(uv_write_t *req, int status)
{
	fake_conn_t *c = req->data;

	c->writing = 0;
	c->wbuf.len = 0;
	if (c->closing)
		return;
	if (status != 0) {
		conn_close(c, 0);
		return;
	}
	update(c);
}

/* start_write - write wbuf; on failure the connection is closed. */
static void start_write(fake_conn_t *c)
{
	uv_buf_t b = uv_buf_init(c->wbuf.data, (unsigned)c->wbuf.len);

	if (uv_write(&c->write_req, (uv_stream_t *)&c->tcp, &b, 1, on_written) != 0) {
		conn_close(c, 0);
		return;
	}
	c->writing = 1;
}

/* on_pace - hostile-trickle: the next octet of the replies. */
static void on_pace(uv_timer_t *t)
{
	fake_conn_t *c = t->data;
	fake_smtp_t *s = &c->smtp;

	if (c->closing || c->writing)
		return;
	if (s->out.len == 0) {
		uv_timer_stop(t);
		update(c);
		return;
	}
	c->wbuf.len = 0;
	if (fake_buf_append(&c->wbuf, s->out.data, 1) != 0) {
		conn_close(c, 0);
		return;
	}
	memmove(s->out.data, s->out.data + 1, --s->out.len);
	start_write(c);
}

/* stream_fill - the next chunk of the hostile stream into wbuf: 1, or 0
 * when the stream is complete. */
static int stream_fill(fake_conn_t *c)
{
	static char chunk[FAKE_STREAM_CHUNK];
	fake_buf_t *b = &c->wbuf;
	size_t n = 0;

	b->len = 0;
	switch (c->smtp.stream) {
	case FAKE_STREAM_NONE:
		return 0;
	case FAKE_STREAM_NO_EOL:
		/* "220 " and then octets without a line end */
		n = FAKE_HOSTILE_BYTES - c->streamed < sizeof(chunk) ? FAKE_HOSTILE_BYTES - c->streamed
								     : sizeof(chunk);
		memset(chunk, 'x', n);
		if (c->streamed == 0 && n >= 4)
			memcpy(chunk, "220 ", 4);
		c->streamed += n;
		break;
	case FAKE_STREAM_JUNK:
		/* xorshift32: binary, deterministic, never a line */
		if (c->junk == 0)
			c->junk = 2463534242u;
		while (n < sizeof(chunk) && c->streamed < FAKE_JUNK_BYTES) {
			c->junk ^= c->junk << 13;
			c->junk ^= c->junk >> 17;
			c->junk ^= c->junk << 5;
			chunk[n++] = (char)(c->junk & 0xff);
			c->streamed++;
		}
		break;
	case FAKE_STREAM_BIG_REPLY:
		/* "250-xxx..." lines and never a last line */
		while (n + 76 <= sizeof(chunk) && c->streamed < FAKE_HOSTILE_BYTES) {
			memcpy(chunk + n, "250-", 4);
			memset(chunk + n + 4, 'x', 70);
			memcpy(chunk + n + 74, "\r\n", 2);
			n += 76;
			c->streamed += 76;
		}
		break;
	case FAKE_STREAM_MANY_LINES:
		/* a complete reply of FAKE_HOSTILE_LINES lines; streamed counts lines */
		while (n + 64 <= sizeof(chunk) && c->streamed < FAKE_HOSTILE_LINES) {
			int k;

			if (c->streamed == 0)
				k = snprintf(chunk + n, 64, "250-%s Hello\r\n", FAKE_DOMAIN);
			else if (c->streamed + 1 < FAKE_HOSTILE_LINES)
				k = snprintf(chunk + n, 64, "250-X-LINE-%06u\r\n", (unsigned)c->streamed);
			else
				k = snprintf(chunk + n, 64, "250 X-LAST-LINE\r\n");
			n += (size_t)k;
			c->streamed++;
		}
		break;
	}
	if (n == 0)
		return 0;
	if (fake_buf_append(b, chunk, n) != 0) {
		conn_close(c, 0);
		return 0;
	}
	return 1;
}

/* pump - start the next write: replies first, then the hostile stream,
 * then the end of the session.  1 when a stream just ended (the engine has
 * input to process again), else 0. */
static int pump(fake_conn_t *c)
{
	fake_smtp_t *s = &c->smtp;

	if (c->writing || c->closing)
		return 0;
	if (s->end == FAKE_END_RESET && (s->out.len == 0 || s->out.len > FAKE_OUT_HIGH)) {
		/* the replies before the reset are sent first (unless the
		 * reset came from a full reply buffer) */
		conn_close(c, 1);
		return 0;
	}
	if (MODE(c->srv, HOSTILE_TRICKLE)) {
		if (s->out.len > 0) {
			if (!uv_is_active((uv_handle_t *)&c->pace))
				uv_timer_start(&c->pace, on_pace, FAKE_TRICKLE_MS, FAKE_TRICKLE_MS);
			return 0;
		}
	} else if (c->tls != NULL) {
		if (s->out.len > 0 || ssp_tls_pending(c->tls) > 0) {
			c->wbuf.len = 0;
			if (fake_tls_output(c->tls, s, &c->wbuf) != 0) {
				conn_close(c, 0);
				return 0;
			}
			if (c->wbuf.len > 0) {
				start_write(c);
				return 0;
			}
		}
	} else if (s->out.len > 0) {
		fake_buf_t t = c->wbuf;

		c->wbuf = s->out;
		s->out = t;
		s->out.len = 0;
		start_write(c);
		return 0;
	}
	if (s->stream != FAKE_STREAM_NONE) {
		if (stream_fill(c)) {
			start_write(c);
			return 0;
		}
		if (c->closing)
			return 0;
		s->stream = FAKE_STREAM_NONE;
		c->streamed = 0;
		return 1;
	}
	if (s->end == FAKE_END_STARTTLS) {
		/* the 220 is out: the rest of the session is TLS (fake_tls.c) */
		s->end = FAKE_END_NONE;
		c->tls = fake_tls_begin(s);
		if (c->tls == NULL) {
			conn_close(c, 0);
			return 0;
		}
		return 1;
	}
	if (s->end == FAKE_END_CLOSE && !c->shut) {
		if (uv_shutdown(&c->shutdown_req, (uv_stream_t *)&c->tcp, on_shutdown) != 0) {
			conn_close(c, 0);
			return 0;
		}
		c->shut = 1;
	}
	return 0;
}

/* ---- reading ------------------------------------------------------------ */

/* Ciphertext is read here and handed to the TLS engine at once. */
static char cipher_in[FAKE_IN_MAX];

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	fake_conn_t *c = h->data;

	(void)suggested;
	if (c->tls != NULL) {
		/* no more than s->in can take, should the input be plaintext */
		buf->base = cipher_in;
		buf->len = FAKE_IN_MAX - c->smtp.inlen;
		return;
	}
	buf->base = c->smtp.in + c->smtp.inlen;
	buf->len = FAKE_IN_MAX - c->smtp.inlen;
}

/* send_alert - the alert a failed handshake left (a client certificate
 * required or refused), tried once without waiting before the close. */
static void send_alert(fake_conn_t *c)
{
	char alert[256];
	size_t n = ssp_tls_take(c->tls, alert, sizeof(alert));
	uv_buf_t b = uv_buf_init(alert, (unsigned)n);

	if (n > 0)
		(void)uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *buf)
{
	fake_conn_t *c = st->data;

	(void)buf;
	if (c->closing || n == 0)
		return;
	if (n > 0) {
		if (c->tls != NULL) {
			int rc = fake_tls_input(c->tls, &c->smtp, buf->base, (size_t)n);

			if (rc < 0) {
				send_alert(c);
				conn_close(c, 0);  /* a failed handshake, or TLS closed */
				return;
			}
			if (rc == 1) {
				/* starttls-plaintext-after-220: no TLS after all */
				ssp_tls_free(c->tls);
				c->tls = NULL;
				memcpy(c->smtp.in + c->smtp.inlen, buf->base, (size_t)n);
				c->smtp.inlen += (size_t)n;
			}
		} else {
			c->smtp.inlen += (size_t)n;
		}
		if (!c->expiring && !c->shut)
			uv_timer_start(&c->idle, on_idle, c->srv->idle_ms, 0);
	} else if (n == UV_EOF) {
		c->eof = 1;
		uv_read_stop(st);
		c->reading = 0;
		if (c->shut) {
			conn_close(c, 0);
			return;
		}
	} else if (n == UV_ENOBUFS) {
		uv_read_stop(st);     /* no room: update() reads again later */
		c->reading = 0;
	} else {
		conn_close(c, 0);     /* reset by the client */
		return;
	}
	update(c);
}

/* want_read - the engine can take input now. */
static int want_read(const fake_conn_t *c)
{
	const fake_smtp_t *s = &c->smtp;

	if (c->closing || c->eof || MODE(c->srv, HOSTILE_SILENT) || MODE(c->srv, HOSTILE_NO_READ))
		return 0;
	if (c->shut)
		return 1;             /* discard until the client's FIN */
	if (s->inlen >= FAKE_IN_MAX || s->out.len >= FAKE_OUT_HIGH)
		return 0;
	if (s->end == FAKE_END_STARTTLS)
		return 0;             /* the next octets are TLS: not into s->in */
	return s->stream == FAKE_STREAM_NONE || s->end == FAKE_END_HANG;
}

/* update - after any event: process input, write, read as far as allowed. */
static void update(fake_conn_t *c)
{
	fake_smtp_t *s = &c->smtp;
	int want;

	do {
		int more;

		do {
			size_t had;

			if (c->closing)
				return;
			/* plaintext decrypted earlier may wait in the TLS engine while
			 * no more ciphertext comes: take it as s->in makes room */
			if (c->tls != NULL && fake_tls_pull(c->tls, s) != 0) {
				conn_close(c, 0);
				return;
			}
			had = s->inlen;
			if (c->tls == NULL || ssp_tls_done(c->tls))
				fake_smtp_process(s);   /* plaintext only once TLS is up */
			more = c->tls != NULL && s->inlen < had;  /* room made: pull again */
		} while (more && s->end == FAKE_END_NONE && s->stream == FAKE_STREAM_NONE &&
			 s->out.len < FAKE_OUT_HIGH);
		if (c->eof && (s->end == FAKE_END_NONE || s->end == FAKE_END_HANG) &&
		    s->stream == FAKE_STREAM_NONE && s->out.len < FAKE_OUT_HIGH)
			s->end = FAKE_END_CLOSE;  /* RFC 5321 §4.1.1.5: as if QUIT */
	} while (pump(c));
	if (c->closing)
		return;
	want = want_read(c);
	if (want && !c->reading) {
		if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0) {
			conn_close(c, 0);
			return;
		}
		c->reading = 1;
	} else if (!want && c->reading) {
		uv_read_stop((uv_stream_t *)&c->tcp);
		c->reading = 0;
	}
}

/* ---- accepting ---------------------------------------------------------- */

/* conn_start - the first bytes of a session, by mode. */
static void conn_start(fake_conn_t *c)
{
	fake_server_t *srv = c->srv;

	uv_tcp_nodelay(&c->tcp, 1);
	uv_timer_start(&c->idle, on_idle, srv->idle_ms, 0);
	if (srv->nconns > FAKE_CONNS_MAX) {
		fake_smtp_goodbye(&c->smtp, "4.7.0", "Error: too many connections");
	} else if (MODE(srv, HOSTILE_SILENT)) {
		return;
	} else if (MODE(srv, HOSTILE_NO_EOL)) {
		c->smtp.stream = FAKE_STREAM_NO_EOL;
		c->smtp.end = FAKE_END_HANG;
	} else if (srv->tls_on_connect) {
		/* RFC 8314 §3: the handshake first, the greeting inside TLS */
		c->smtp.implicit_tls = 1;
		if (MODE(srv, TLS_PLAINTEXT_GREETING)) {
			fake_smtp_start(&c->smtp);
			c->smtp.end = FAKE_END_STARTTLS;
		} else if ((c->tls = fake_tls_begin(&c->smtp)) == NULL) {
			conn_close(c, 0);
			return;
		}
	} else {
		if (MODE(srv, HOSTILE_NO_READ)) {
			int size = FAKE_TINY_RCVBUF;
			uv_recv_buffer_size((uv_handle_t *)&c->tcp, &size);
		}
		fake_smtp_start(&c->smtp);
	}
	update(c);
}

static void on_connection(uv_stream_t *server, int status)
{
	fake_server_t *srv = server->data;
	fake_conn_t *c;

	if (status != 0 || srv->stopping)
		return;
	c = calloc(1, sizeof(*c));
	if (c == NULL || uv_tcp_init(&srv->loop, &c->tcp) != 0) {
		free(c);
		return;
	}
	c->srv = srv;
	fake_smtp_init(&c->smtp, &srv->modes);
	fake_buf_init(&c->wbuf, FAKE_OUT_MAX);
	c->tcp.data = c->idle.data = c->pace.data = c;
	c->write_req.data = c->shutdown_req.data = c;
	c->handles = 1;
	uv_timer_init(&srv->loop, &c->idle);
	c->handles++;
	uv_timer_init(&srv->loop, &c->pace);
	c->handles++;
	c->next = srv->conns;
	if (srv->conns)
		srv->conns->prev = c;
	srv->conns = c;
	srv->nconns++;
	if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0) {
		conn_close(c, 0);
		return;
	}
	conn_start(c);
}

/* ---- stopping ----------------------------------------------------------- */

/* conn_stop - the server shuts down: 421 (RFC 5321 §3.8), a short grace. */
static void conn_stop(fake_conn_t *c)
{
	if (c->closing)
		return;
	if (hostile(c->srv) || c->shut) {
		conn_close(c, 0);
		return;
	}
	c->expiring = 1;
	uv_timer_start(&c->idle, on_idle, FAKE_SHUTDOWN_GRACE_MS, 0);
	fake_smtp_goodbye(&c->smtp, "4.3.2", "Service shutting down, closing transmission channel");
	update(c);
}

static void on_signal(uv_signal_t *sig, int signum)
{
	fake_server_t *srv = sig->data;
	fake_conn_t *c, *next;

	(void)signum;
	if (srv->stopping)
		return;
	srv->stopping = 1;
	uv_close((uv_handle_t *)&srv->listener, NULL);
	uv_close((uv_handle_t *)&srv->sigterm, NULL);
	uv_close((uv_handle_t *)&srv->sigint, NULL);
	for (c = srv->conns; c != NULL; c = next) {
		next = c->next;
		conn_stop(c);
	}
}

/* ---- the command line --------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: fakesmtpd [--port N] [--host 127.0.0.1|::1] [--mode NAME[,NAME...]]...\n"
		"                 [--idle-timeout S] [--tls-cert FILE --tls-key FILE]\n"
		"                 [--tls-on-connect] [--tls-client-ca FILE] [--list-modes]\n"
		"\n"
		"An SMTP server for smtpspec's own tests: RFC 5321 conformant without\n"
		"--mode; each mode breaks one rule or makes it hostile (--list-modes).\n"
		"Listens on loopback only (port 0: any free port), prints \"READY <port>\"\n"
		"when listening, stops on SIGTERM or SIGINT.  STARTTLS uses a certificate\n"
		"made in memory for " FAKE_DOMAIN " unless --tls-cert is given;\n"
		"--tls-on-connect is implicit TLS (RFC 8314): the handshake before the greeting.\n"
		"--tls-client-ca requires a client certificate signed by a CA of FILE and\n"
		"prints \"CLIENT-CERT <subject>\" after each handshake.\n");
}

/* loopback - addr for host:port if host is a numeric loopback address. */
static int loopback(const char *host, int port, struct sockaddr_storage *addr)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)addr;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)addr;

	memset(addr, 0, sizeof(*addr));
	if (uv_ip4_addr(host, port, a4) == 0)
		return (ntohl(a4->sin_addr.s_addr) >> 24) == 127 ? 0 : -1;
	if (uv_ip6_addr(host, port, a6) == 0)
		return IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr) ? 0 : -1;
	return -1;
}

/* number - a decimal in [min, max], or -1. */
static long number(const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > max)
		return -1;
	return v;
}

/* serve - listen, announce, run until a signal: 0, or 1 on a start failure. */
static int serve(fake_server_t *srv, const struct sockaddr *addr)
{
	struct sockaddr_storage name;
	int len = sizeof(name), rc;
	unsigned port;

	if ((rc = uv_tcp_init(&srv->loop, &srv->listener)) != 0) {
		fprintf(stderr, "fakesmtpd: cannot listen: %s\n", uv_strerror(rc));
		return 1;
	}
	if ((rc = uv_tcp_bind(&srv->listener, addr, addr->sa_family == AF_INET6 ? UV_TCP_IPV6ONLY : 0)) != 0 ||
	    (rc = uv_listen((uv_stream_t *)&srv->listener, FAKE_BACKLOG, on_connection)) != 0 ||
	    (rc = uv_tcp_getsockname(&srv->listener, (struct sockaddr *)&name, &len)) != 0) {
		fprintf(stderr, "fakesmtpd: cannot listen: %s\n", uv_strerror(rc));
		uv_close((uv_handle_t *)&srv->listener, NULL);
		uv_run(&srv->loop, UV_RUN_DEFAULT);
		return 1;
	}
	srv->listener.data = srv;
	srv->sigterm.data = srv->sigint.data = srv;
	uv_signal_init(&srv->loop, &srv->sigterm);
	uv_signal_init(&srv->loop, &srv->sigint);
	uv_signal_start(&srv->sigterm, on_signal, SIGTERM);
	uv_signal_start(&srv->sigint, on_signal, SIGINT);
	port = ntohs(name.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&name)->sin6_port
						: ((struct sockaddr_in *)&name)->sin_port);
	printf("READY %u\n", port);
	fflush(stdout);
	uv_run(&srv->loop, UV_RUN_DEFAULT);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "host", required_argument, NULL, 'H' },
		{ "mode", required_argument, NULL, 'm' },
		{ "idle-timeout", required_argument, NULL, 't' },
		{ "list-modes", no_argument, NULL, 'l' },
		{ "tls-cert", required_argument, NULL, 'c' },
		{ "tls-key", required_argument, NULL, 'k' },
		{ "tls-on-connect", no_argument, NULL, 'T' },
		{ "tls-client-ca", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static fake_server_t srv;
	struct sockaddr_storage addr;
	const char *host = "127.0.0.1";
	const char *tls_cert = NULL, *tls_key = NULL, *client_ca = NULL;
	long port = 0, idle_s = FAKE_IDLE_TIMEOUT_MS / 1000;
	char bad[64];
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'p':
			if ((port = number(optarg, 0, 65535)) < 0) {
				fprintf(stderr, "fakesmtpd: bad --port: %s\n", optarg);
				return 2;
			}
			break;
		case 'H':
			host = optarg;
			break;
		case 'm':
			if (fake_modes_set(&srv.modes, optarg, bad, sizeof(bad)) != 0) {
				fprintf(stderr, "fakesmtpd: unknown mode \"%s\" (see --list-modes)\n", bad);
				return 2;
			}
			break;
		case 't':
			if ((idle_s = number(optarg, 1, 86400)) < 0) {
				fprintf(stderr, "fakesmtpd: bad --idle-timeout: %s\n", optarg);
				return 2;
			}
			break;
		case 'c':
			tls_cert = optarg;
			break;
		case 'k':
			tls_key = optarg;
			break;
		case 'T':
			srv.tls_on_connect = 1;
			break;
		case 'C':
			client_ca = optarg;
			break;
		case 'l':
			fake_modes_list();
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (loopback(host, (int)port, &addr) != 0) {
		fprintf(stderr, "fakesmtpd: refusing to listen on %s: only 127.0.0.0/8 and ::1\n", host);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	srv.idle_ms = (uint64_t)idle_s * 1000;
	if (fake_tls_setup(tls_cert, tls_key, client_ca) != 0)
		return 1;
	if (uv_loop_init(&srv.loop) != 0) {
		fprintf(stderr, "fakesmtpd: cannot start the event loop\n");
		return 1;
	}
	rc = serve(&srv, (const struct sockaddr *)&addr);
	if (uv_loop_close(&srv.loop) != 0)
		fprintf(stderr, "fakesmtpd: handles left open at exit\n");
	fake_tls_cleanup();
	return rc;
}
