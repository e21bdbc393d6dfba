/*
 * loadgen.c - the load generator of smtpspec bench (loadgen.h).
 *
 * One libuv loop; each session owns a uv_tcp_t and a uv_timer_t and is freed
 * in the close callback of the second.  A session walks an explicit state
 * machine (connect, greeting, EHLO, transactions, QUIT); its only buffers are
 * a fixed reply buffer and a command buffer sized from the options.  The
 * message body is built once and shared by every session.
 *
 * Messages come from one budget: a session takes a message before it opens
 * the connection and before each further transaction (--rate: not before
 * the message is due), and every message taken ends delivered (2xx after
 * the final dot, RFC 5321 §4.1.1.4) or failed.  With PIPELINING (RFC 2920
 * §3.1) MAIL, the RCPTs and DATA go in one write and their replies are
 * matched in order; without it each command waits for its reply.  A
 * refused MAIL, RCPT or DATA fails the message and ends the session with
 * QUIT; a refused end of data fails the message and the session goes on.
 */
#include "loadgen.h"

#include "limits.h"
#include "reply.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

/* Session states: which reply is awaited. */
enum {
	ST_CONNECTING,
	ST_GREETING,
	ST_EHLO,
	ST_TXN,  /* replies to MAIL, the RCPTs and DATA */
	ST_DOT,  /* reply to the end of data */
	ST_WAIT, /* --rate: the next message is not yet due */
	ST_QUIT,
};

/* What a session sends next. */
enum { NX_EHLO, NX_MAIL, NX_RCPT, NX_DATA, NX_BODY, NX_QUIT };

/* Session ends that count no error: success, and a failure already counted. */
#define END_OK (-1)
#define END_COUNTED (-2)

typedef struct lg_s lg_t;

typedef struct sess_s {
	uv_tcp_t tcp;
	uv_timer_t timer;
	uv_connect_t conn_req;
	uv_write_t wreq;
	lg_t *lg;
	int state;
	int next;           /* NX_*: what do_send writes */
	int handles;        /* handles not yet closed */
	int closing;
	int writing;        /* a write is in flight */
	int want_send;      /* do_send once the write in flight is done */
	int pipelined;      /* this session sends RFC 2920 groups */
	int in_msg;         /* a message of the budget is in progress */
	int msg_failed;     /* the current transaction got a refusal */
	int any_failed;     /* some reply of this session was refused */
	unsigned done;      /* messages finished in this session */
	unsigned got;       /* replies of this transaction: 0 MAIL, 1..R RCPT, R+1 DATA */
	uint64_t seq;       /* the current message's number (1-based) */
	uint64_t t_sent;    /* uv_hrtime of the last write, or of the connect */
	size_t rlen;
	ssp_reply_t reply;
	char rbuf[SSP_BENCH_READ_MAX];
	char cmd[];         /* commands and the message header: lg->cmd_cap bytes */
} sess_t;

struct lg_s {
	uv_loop_t loop;
	uv_timer_t pump, progress, deadline;
	uv_signal_t sigint, sigterm;
	const ssp_lg_opts_t *o;
	ssp_lg_stats_t *st;
	char *body;
	size_t body_len;
	size_t cmd_cap;
	uint64_t t0;        /* uv_hrtime at the start */
	uint64_t claimed;   /* messages taken from the budget */
	unsigned active;    /* sessions not yet freed */
	int stopping;       /* no new message */
	int finished;       /* the loop's own handles are closing */
	int signals;
};

static const char *const step_names[SSP_LG_NSTEPS] = {
	"connect", "greeting", "EHLO", "MAIL", "RCPT", "DATA", "end of data", "QUIT",
};
static const char *const step_keys[SSP_LG_NSTEPS] = {
	"connect", "greeting", "ehlo", "mail", "rcpt", "data", "dot", "quit",
};
static const char *const err_keys[SSP_LG_NERRS] = {
	"refused", "reset", "closed", "timeout", "unexpected", "malformed", "deadline", "other",
};

const char *ssp_lg_step_name(ssp_lg_step_t s)
{
	return (unsigned)s < SSP_LG_NSTEPS ? step_names[s] : "?";
}

const char *ssp_lg_step_key(ssp_lg_step_t s)
{
	return (unsigned)s < SSP_LG_NSTEPS ? step_keys[s] : "?";
}

const char *ssp_lg_err_key(ssp_lg_err_t e)
{
	return (unsigned)e < SSP_LG_NERRS ? err_keys[e] : "?";
}

static void fill(lg_t *lg);
static void do_send(sess_t *s);
static void next_message(sess_t *s);

/* classify - the error kind of a libuv error code. */
static int classify(int rc)
{
	switch (rc) {
	case UV_ECONNREFUSED:
		return SSP_LG_ERR_REFUSED;
	case UV_ECONNRESET:
	case UV_EPIPE:
	case UV_ECONNABORTED:
		return SSP_LG_ERR_RESET;
	case UV_EOF:
		return SSP_LG_ERR_CLOSED;
	case UV_ETIMEDOUT:
		return SSP_LG_ERR_TIMEOUT;
	case UV_ECANCELED:
		return SSP_LG_ERR_DEADLINE;
	case UV_ENOBUFS:
		return SSP_LG_ERR_MALFORMED;
	default:
		return SSP_LG_ERR_OTHER;
	}
}

/* done_claiming - 1 when no message will ever be taken again. */
static int done_claiming(lg_t *lg)
{
	const ssp_lg_opts_t *o = lg->o;

	if (lg->stopping)
		return 1;
	if (o->messages)
		return lg->claimed >= o->messages;
	return lg->claimed >= SSP_BENCH_MESSAGES_MAX ||
	       uv_hrtime() - lg->t0 >= (uint64_t)o->duration_s * 1000000000u;
}

/*
 * claim - take the next message: 1 with *seq set; 0 when the budget is
 * spent (or the run stops); -1 when (--rate) it is due in *wait_ms.
 */
static int claim(lg_t *lg, uint64_t *seq, uint64_t *wait_ms)
{
	uint64_t now = uv_hrtime(), due, lag;

	if (done_claiming(lg))
		return 0;
	if (lg->o->rate > 0) {
		due = lg->t0 + (uint64_t)((double)lg->claimed * 1e9 / lg->o->rate);
		if (now < due) {
			*wait_ms = (due - now + 999999) / 1000000;
			return -1;
		}
		lag = (now - due) / 1000;
		if (lag > lg->st->schedule_lag_max_us)
			lg->st->schedule_lag_max_us = lag;
	}
	*seq = ++lg->claimed;
	return 1;
}

/* allowed - sessions allowed now (--ramp grows them from 1 to all). */
static unsigned allowed(lg_t *lg)
{
	double f, n = lg->o->connections;

	if (lg->o->ramp_s <= 0)
		return lg->o->connections;
	f = (double)(uv_hrtime() - lg->t0) / 1e9 / lg->o->ramp_s;
	if (f >= 1)
		return lg->o->connections;
	n = n * f;
	return n < 1 ? 1 : (unsigned)n;
}

/* finish - close the loop's own handles once: uv_run then returns. */
static void finish(lg_t *lg)
{
	if (lg->finished)
		return;
	lg->finished = 1;
	lg->st->elapsed_s = (double)(uv_hrtime() - lg->t0) / 1e9;
	uv_close((uv_handle_t *)&lg->pump, NULL);
	uv_close((uv_handle_t *)&lg->progress, NULL);
	uv_close((uv_handle_t *)&lg->deadline, NULL);
	uv_close((uv_handle_t *)&lg->sigint, NULL);
	uv_close((uv_handle_t *)&lg->sigterm, NULL);
}

/* fail_message - the message in progress (if any) failed. */
static void fail_message(sess_t *s)
{
	if (s->in_msg) {
		s->in_msg = 0;
		s->lg->st->failed++;
	}
}

/* on_close - one handle of s closed; free s after the last. */
static void on_close(uv_handle_t *h)
{
	sess_t *s = h->data;
	lg_t *lg = s->lg;

	if (--s->handles > 0)
		return;
	free(s);
	lg->active--;
	fill(lg);
}

/* end_session - close s: kind is an ssp_lg_err_t, END_OK or END_COUNTED. */
static void end_session(sess_t *s, int kind)
{
	ssp_lg_stats_t *st = s->lg->st;

	if (s->closing)
		return;
	s->closing = 1;
	if (kind == END_OK) {
		st->sessions_ok++;
	} else {
		st->sessions_failed++;
		if (kind >= 0 && !s->any_failed)   /* a refusal before was the cause */
			st->errors[kind]++;
	}
	fail_message(s);
	uv_timer_stop(&s->timer);
	uv_close((uv_handle_t *)&s->timer, on_close);
	uv_close((uv_handle_t *)&s->tcp, on_close);
}

/* refuse - an unexpected reply: the message fails, counted once. */
static void refuse(sess_t *s)
{
	if (!s->msg_failed)
		s->lg->st->errors[SSP_LG_ERR_UNEXPECTED]++;
	s->msg_failed = 1;
	s->any_failed = 1;
}

/* arm - (re)start the session's single timer. */
static void arm(sess_t *s, uint64_t ms);

/* send_next - send what comes next (after the write in flight, if any). */
static void send_next(sess_t *s, int next)
{
	s->next = next;
	if (s->writing) {
		s->want_send = 1;
		return;
	}
	do_send(s);
}

/* quit - fail the message in progress and say QUIT. */
static void quit(sess_t *s)
{
	fail_message(s);
	send_next(s, NX_QUIT);
}

/* on_write - a write is done: send what waited for it, or end on an error. */
static void on_write(uv_write_t *req, int status)
{
	sess_t *s = req->data;

	s->writing = 0;
	if (s->closing)
		return;
	if (status < 0) {
		end_session(s, classify(status));
		return;
	}
	if (s->want_send) {
		s->want_send = 0;
		do_send(s);
	}
}

/* rcpt - the r-th recipient (1-based) of message seq, "<...>", into p. */
static int rcpt(const lg_t *lg, char *p, size_t n, uint64_t seq, unsigned r)
{
	return snprintf(p, n, "<bench-%uof%u-%" PRIu64 "-%u@%s>", lg->o->shard_k, lg->o->shard_n,
			seq, r, lg->o->rcpt_domain);
}

/* do_send - write the commands s->next stands for; expect their replies. */
static void do_send(sess_t *s)
{
	lg_t *lg = s->lg;
	const ssp_lg_opts_t *o = lg->o;
	size_t cap = lg->cmd_cap, len = 0;
	uv_buf_t bufs[2];
	unsigned nbufs = 1, r;
	char *c = s->cmd;
	int rc;

#define PUT(...) (len += (size_t)snprintf(c + len, len < cap ? cap - len : 0, __VA_ARGS__))
	switch (s->next) {
	case NX_EHLO:
		PUT("EHLO %s\r\n", o->ehlo);
		s->state = ST_EHLO;
		break;
	case NX_MAIL:
		PUT("MAIL FROM:<%s>\r\n", o->from);
		if (s->pipelined) {
			for (r = 1; r <= o->rcpts; r++) {
				PUT("RCPT TO:");
				len += (size_t)rcpt(lg, c + len, len < cap ? cap - len : 0, s->seq, r);
				PUT("\r\n");
			}
			PUT("DATA\r\n");
		}
		s->state = ST_TXN;
		break;
	case NX_RCPT:
		PUT("RCPT TO:");
		len += (size_t)rcpt(lg, c + len, len < cap ? cap - len : 0, s->seq, s->got);
		PUT("\r\n");
		break;
	case NX_DATA:
		PUT("DATA\r\n");
		break;
	case NX_BODY:
		PUT("Message-ID: <%" PRIu64 ".%uof%u@smtpspec.bench>\r\nFrom: <%s>\r\nTo: ", s->seq,
		    o->shard_k, o->shard_n, o->from);
		len += (size_t)rcpt(lg, c + len, len < cap ? cap - len : 0, s->seq, 1);
		PUT("\r\nSubject: smtpspec bench message %" PRIu64 "\r\n\r\n", s->seq);
		bufs[1] = uv_buf_init(lg->body, (unsigned)lg->body_len);
		nbufs = 2;
		s->state = ST_DOT;
		break;
	default:
		PUT("QUIT\r\n");
		s->state = ST_QUIT;
		break;
	}
#undef PUT
	if (len >= cap) {   /* cannot happen: cmd_cap is sized from the options */
		end_session(s, SSP_LG_ERR_OTHER);
		return;
	}
	bufs[0] = uv_buf_init(c, (unsigned)len);
	s->wreq.data = s;
	s->t_sent = uv_hrtime();
	rc = uv_write(&s->wreq, (uv_stream_t *)&s->tcp, bufs, nbufs, on_write);
	if (rc < 0) {
		end_session(s, classify(rc));
		return;
	}
	s->writing = 1;
	lg->st->bytes_sent += len + (nbufs == 2 ? lg->body_len : 0);
	arm(s, o->timeout_ms);
}

/* begin_message - start the transaction of the message already taken. */
static void begin_message(sess_t *s)
{
	s->in_msg = 1;
	s->msg_failed = 0;
	s->got = 0;
	send_next(s, NX_MAIL);
}

/* next_message - after a transaction: take another message or QUIT. */
static void next_message(sess_t *s)
{
	uint64_t seq, wait_ms = 0;
	int c;

	if (s->done >= s->lg->o->per_session) {
		send_next(s, NX_QUIT);
		return;
	}
	c = claim(s->lg, &seq, &wait_ms);
	if (c == 0) {
		send_next(s, NX_QUIT);
	} else if (c < 0) {
		s->state = ST_WAIT;
		arm(s, wait_ms);
	} else {
		s->seq = seq;
		begin_message(s);
	}
}

/* on_timer - a due message (--rate), or a timeout: the session ends. */
static void on_timer(uv_timer_t *t)
{
	sess_t *s = t->data;

	if (s->state == ST_WAIT)
		next_message(s);
	else
		end_session(s, SSP_LG_ERR_TIMEOUT);
}

/* arm - (re)start the session's single timer: on_timer in ms milliseconds. */
static void arm(sess_t *s, uint64_t ms)
{
	uv_timer_start(&s->timer, on_timer, ms, 0);
}

/* step_of - the command a reply in the current state answers. */
static ssp_lg_step_t step_of(const sess_t *s)
{
	switch (s->state) {
	case ST_GREETING:
		return SSP_LG_GREETING;
	case ST_EHLO:
		return SSP_LG_EHLO;
	case ST_TXN:
		return s->got == 0 ? SSP_LG_MAIL : s->got <= s->lg->o->rcpts ? SSP_LG_RCPT : SSP_LG_DATA;
	case ST_DOT:
		return SSP_LG_DOT;
	default:
		return SSP_LG_QUIT;
	}
}

/* on_txn_reply - a reply to MAIL, RCPT or DATA (index s->got). */
static void on_txn_reply(sess_t *s, int code)
{
	unsigned idx = s->got++, rcpts = s->lg->o->rcpts;
	int ok = idx <= rcpts ? code / 100 == 2 : code == 354;

	if (!ok)
		refuse(s);
	if (idx == rcpts + 1) {       /* DATA */
		if (ok && !s->msg_failed)
			send_next(s, NX_BODY);
		else if (code == 354)         /* would send an incomplete message: drop the line */
			end_session(s, END_COUNTED);
		else
			quit(s);
	} else if (!s->pipelined) {
		if (!ok)
			quit(s);
		else
			send_next(s, idx < rcpts ? NX_RCPT : NX_DATA);
	}
}

/* on_reply - a complete reply buf[0..n) with code, in the session's state. */
static void on_reply(sess_t *s, int code, const char *buf, size_t n)
{
	lg_t *lg = s->lg;
	ssp_lg_stats_t *st = lg->st;
	ssp_lg_step_t step;
	uint64_t now = uv_hrtime();

	if (s->state == ST_CONNECTING || s->state == ST_WAIT) {
		/* nothing was asked */
		end_session(s, SSP_LG_ERR_UNEXPECTED);
		return;
	}
	step = step_of(s);
	ssp_hist_record(&st->latency[step], (now - s->t_sent) / 1000);
	st->replies[step][code >= 0 && code < SSP_LG_CODES ? code : 0]++;
	if (code == 421 && s->state != ST_QUIT) {   /* the server is closing (§3.8) */
		refuse(s);
		end_session(s, END_COUNTED);
		return;
	}
	switch (s->state) {
	case ST_GREETING:
		if (code != 220) {
			refuse(s);
			quit(s);
		} else {
			send_next(s, NX_EHLO);
		}
		break;
	case ST_EHLO:
		if (code != 250) {
			refuse(s);
			quit(s);
			break;
		}
		if (lg->o->pipelining) {
			s->pipelined = ssp_reply_has_keyword(buf, n, "PIPELINING");
			if (s->pipelined)
				st->pipelined_sessions++;
			else
				st->fallback_sessions++;
		}
		begin_message(s);
		break;
	case ST_TXN:
		on_txn_reply(s, code);
		break;
	case ST_DOT:
		s->in_msg = 0;
		s->done++;
		if (code / 100 == 2) {
			st->delivered++;
		} else {
			st->failed++;
			refuse(s);
		}
		next_message(s);
		break;
	default: /* ST_QUIT */
		if (code != 221)
			refuse(s);
		end_session(s, code == 221 && !s->any_failed ? END_OK : END_COUNTED);
		break;
	}
}

/* on_alloc - read into the free end of the session's reply buffer (0 bytes
 * when it is full: libuv then reports UV_ENOBUFS). */
static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	sess_t *s = h->data;

	(void)hint;
	*buf = uv_buf_init(s->rbuf + s->rlen, (unsigned)(sizeof(s->rbuf) - s->rlen));
}

/* on_read - bytes from the server: handle every complete reply in them. */
static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	sess_t *s = stream->data;
	ssize_t n;

	(void)buf;
	if (s->closing || nread == 0)
		return;
	if (nread < 0) {
		end_session(s, classify((int)nread));
		return;
	}
	s->lg->st->bytes_received += (uint64_t)nread;
	s->rlen += (size_t)nread;
	while (!s->closing && s->rlen > 0) {
		n = ssp_reply_parse(&s->reply, s->rbuf, s->rlen);
		if (n == SSP_REPLY_PARTIAL) {
			if (s->rlen == sizeof(s->rbuf))
				end_session(s, SSP_LG_ERR_MALFORMED);
			return;
		}
		if (n < 0) {
			end_session(s, SSP_LG_ERR_MALFORMED);
			return;
		}
		on_reply(s, s->reply.code, s->rbuf, (size_t)n);
		memmove(s->rbuf, s->rbuf + n, s->rlen - (size_t)n);
		s->rlen -= (size_t)n;
		ssp_reply_reset(&s->reply);
	}
}

/* on_connect - connected (await the greeting) or failed (end the session). */
static void on_connect(uv_connect_t *req, int status)
{
	sess_t *s = req->data;
	int rc;

	if (s->closing)
		return;
	if (status < 0) {
		end_session(s, classify(status));
		return;
	}
	ssp_hist_record(&s->lg->st->latency[SSP_LG_CONNECT], (uv_hrtime() - s->t_sent) / 1000);
	s->t_sent = uv_hrtime();
	s->state = ST_GREETING;
	rc = uv_read_start((uv_stream_t *)&s->tcp, on_alloc, on_read);
	if (rc < 0) {
		end_session(s, classify(rc));
		return;
	}
	arm(s, s->lg->o->timeout_ms);
}

/* start_session - open a session for message seq: 0, or -1 (nothing opened). */
static int start_session(lg_t *lg, uint64_t seq)
{
	sess_t *s = calloc(1, sizeof(*s) + lg->cmd_cap);
	int rc;

	if (s == NULL)
		return -1;
	s->lg = lg;
	s->seq = seq;
	s->in_msg = 1;
	ssp_reply_reset(&s->reply);
	if (uv_tcp_init(&lg->loop, &s->tcp) != 0) {
		free(s);
		return -1;
	}
	uv_timer_init(&lg->loop, &s->timer);
	s->tcp.data = s;
	s->timer.data = s;
	s->conn_req.data = s;
	s->handles = 2;
	lg->active++;
	if (lg->active > lg->st->sessions_peak)
		lg->st->sessions_peak = lg->active;
	lg->st->sessions_started++;
	s->state = ST_CONNECTING;
	s->t_sent = uv_hrtime();
	uv_tcp_nodelay(&s->tcp, 1);
	rc = uv_tcp_connect(&s->conn_req, &s->tcp, (const struct sockaddr *)&lg->o->addr,
			    on_connect);
	if (rc < 0) {
		end_session(s, classify(rc));
		return 0;
	}
	arm(s, lg->o->connect_timeout_ms);
	return 0;
}

/* on_pump - time to look again for sessions to open (--rate, --ramp). */
static void on_pump(uv_timer_t *t)
{
	fill(t->data);
}

/* fill - open sessions while allowed and messages are due; end the run
 * when no session is left and no message will come. */
static void fill(lg_t *lg)
{
	uint64_t seq, wait_ms = 0;
	int c;

	if (lg->finished)
		return;
	while (lg->active < allowed(lg)) {
		c = claim(lg, &seq, &wait_ms);
		if (c == 0)
			break;
		if (c < 0) {
			uv_timer_start(&lg->pump, on_pump, wait_ms, 0);
			return;
		}
		if (start_session(lg, seq) != 0) {
			/* no memory or no socket now: the message fails, try later */
			lg->st->failed++;
			lg->st->errors[SSP_LG_ERR_OTHER]++;
			uv_timer_start(&lg->pump, on_pump, SSP_BENCH_TICK_MS, 0);
			return;
		}
	}
	if (lg->active == 0 && done_claiming(lg)) {
		finish(lg);
		return;
	}
	if (lg->active < lg->o->connections && !done_claiming(lg))   /* --ramp */
		uv_timer_start(&lg->pump, on_pump, SSP_BENCH_TICK_MS, 0);
}

/* abort_walk - end every session (deadline or second signal). */
static void abort_walk(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (h->type == UV_TCP && h->data != NULL)
		end_session(h->data, SSP_LG_ERR_DEADLINE);
}

/* stop_now - end the run: no new message, every session cut. */
static void stop_now(lg_t *lg)
{
	lg->stopping = 1;
	lg->st->interrupted = 1;
	uv_walk(&lg->loop, abort_walk, NULL);
	fill(lg);
}

/* on_deadline - the whole run's time is up. */
static void on_deadline(uv_timer_t *t)
{
	stop_now(t->data);
}

/* on_signal - first SIGINT/SIGTERM: take no new message; second: cut. */
static void on_signal(uv_signal_t *h, int signum)
{
	lg_t *lg = h->data;

	(void)signum;
	if (lg->signals++ > 0) {
		stop_now(lg);
		return;
	}
	lg->stopping = 1;
	lg->st->interrupted = 1;
	fill(lg);
}

/* on_progress - hand the counts so far to the caller's progress callback. */
static void on_progress(uv_timer_t *t)
{
	lg_t *lg = t->data;

	lg->st->elapsed_s = (double)(uv_hrtime() - lg->t0) / 1e9;
	lg->o->progress(lg->st, lg->o->progress_arg);
}

/* make_body - size bytes of text lines (78 octets and CRLF), none starting
 * with a dot, then the end of data; malloc'ed, NULL if out of memory. */
static char *make_body(size_t size, size_t *len)
{
	static const char pattern[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char *b = malloc(size + 8), *p = b;
	size_t rem = size, line, k;

	if (b == NULL)
		return NULL;
	while (rem > 0) {
		line = rem >= 80 ? 78 : rem >= 2 ? rem - 2 : 0;
		for (k = 0; k < line; k++)
			p[k] = pattern[(k + (size_t)(p - b)) % (sizeof(pattern) - 1)];
		p += line;
		*p++ = '\r';
		*p++ = '\n';
		rem -= line + 2 > rem ? rem : line + 2;
	}
	memcpy(p, ".\r\n", 3);
	*len = (size_t)(p - b) + 3;
	return b;
}

int ssp_lg_run(const ssp_lg_opts_t *o, ssp_lg_stats_t *st)
{
	lg_t *lg = calloc(1, sizeof(*lg));
	int rc;

	if (lg == NULL)
		return UV_ENOMEM;
	memset(st, 0, sizeof(*st));
	st->requested = o->messages;
	lg->o = o;
	lg->st = st;
	lg->cmd_cap = 512 + 4 * SSP_BENCH_NAME_MAX + (size_t)o->rcpts * (SSP_BENCH_NAME_MAX + 96);
	lg->body = make_body(o->size, &lg->body_len);
	if (lg->body == NULL) {
		free(lg);
		return UV_ENOMEM;
	}
	rc = uv_loop_init(&lg->loop);
	if (rc < 0) {
		free(lg->body);
		free(lg);
		return rc;
	}
	uv_timer_init(&lg->loop, &lg->pump);
	uv_timer_init(&lg->loop, &lg->progress);
	uv_timer_init(&lg->loop, &lg->deadline);
	uv_signal_init(&lg->loop, &lg->sigint);
	uv_signal_init(&lg->loop, &lg->sigterm);
	lg->pump.data = lg->progress.data = lg->deadline.data = lg;
	lg->sigint.data = lg->sigterm.data = lg;
	uv_signal_start(&lg->sigint, on_signal, SIGINT);
	uv_signal_start(&lg->sigterm, on_signal, SIGTERM);
	uv_timer_start(&lg->deadline, on_deadline, (uint64_t)o->deadline_s * 1000, 0);
	if (o->progress)
		uv_timer_start(&lg->progress, on_progress, SSP_BENCH_PROGRESS_MS, SSP_BENCH_PROGRESS_MS);
	lg->t0 = uv_hrtime();
	fill(lg);
	uv_run(&lg->loop, UV_RUN_DEFAULT);
	rc = uv_loop_close(&lg->loop);
	free(lg->body);
	free(lg);
	return rc == 0 ? 0 : rc;
}
