/*
 * sender.c - a step's bytes, generated chunk by chunk (see sender.h).
 *
 * Three stages, each with a few bytes of state: the template reader
 * (tpl.c), the variable expansion (a window of SSP_VARS_WINDOW bytes from
 * each '$', enough to decide any token: vars.h), and the message content's
 * dot-stuffing and ending (the last two bytes seen).
 */
#include "sender.h"

#include "limits.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Bytes read from the template at a time when it holds a '$': few, so that
 * the values they expand to stay within SSP_WRITE_BUFFER_MAX. */
#define FEED_DOLLAR 16
#define FEED_PLAIN 4096

/* One feed plus the window can complete at most this many references
 * ("${a}" is the shortest), each up to SSP_VAR_VALUE_MAX bytes, doubled at
 * worst by dot-stuffing; a chunk is ended as soon as it reaches
 * SSP_WRITE_CHUNK, so it never passes SSP_WRITE_BUFFER_MAX. */
_Static_assert(SSP_WRITE_CHUNK +
		       2 * (((SSP_VARS_WINDOW + FEED_DOLLAR) / 4 + 1) * (size_t)SSP_VAR_VALUE_MAX +
			    SSP_VARS_WINDOW + FEED_DOLLAR) + 8 <= SSP_WRITE_BUFFER_MAX,
	       "SSP_WRITE_BUFFER_MAX too small for one feed");

/* ---- the variable window, shared by generation and scanning -------------- */

typedef struct vwin_s {
	char *win;      /* SSP_VARS_WINDOW bytes */
	size_t *n;
	uint64_t *off;
} vwin_t;

typedef struct vsink_s {
	int (*lit)(void *ctx, const char *p, size_t n);
	int (*tok)(void *ctx, const ssp_vars_tok_t *tok, uint64_t off);
	void *ctx;
} vsink_t;

/* shift - drop the first k bytes of the window. */
static void shift(vwin_t *w, size_t k)
{
	memmove(w->win, w->win + k, *w->n - k);
	*w->n -= k;
	*w->off += k;
}

/*
 * vfeed - p[0..n) through the window to the sink: literal bytes as they
 * are, each '$' token once SSP_VARS_WINDOW bytes (or, with final, all the
 * rest) follow it.  0, or -1 (err set, or by the sink).
 */
static int vfeed(vwin_t *w, const char *p, size_t n, int final, const vsink_t *k,
		 ssp_vars_err_t *err)
{
	for (;;) {
		if (*w->n == 0) {
			const char *d;
			size_t run;

			if (n == 0)
				return 0;
			d = memchr(p, '$', n);
			run = d ? (size_t)(d - p) : n;
			if (run > 0 && k->lit(k->ctx, p, run) != 0)
				return -1;
			*w->off += run;
			p += run;
			n -= run;
			if (n == 0)
				return 0;
		}
		if (n > 0) {
			size_t take = SSP_VARS_WINDOW - *w->n < n ? SSP_VARS_WINDOW - *w->n : n;
			memcpy(w->win + *w->n, p, take);
			*w->n += take;
			p += take;
			n -= take;
		}
		if (*w->n < SSP_VARS_WINDOW && !final)
			return 0;
		if (w->win[0] != '$') {
			const char *d = memchr(w->win + 1, '$', *w->n - 1);
			size_t run = d ? (size_t)(d - w->win) : *w->n;
			if (k->lit(k->ctx, w->win, run) != 0)
				return -1;
			shift(w, run);
		} else {
			ssp_vars_tok_t tok;
			if (ssp_vars_token(w->win, *w->n, (size_t)*w->off, &tok, err) != 0 ||
			    k->tok(k->ctx, &tok, *w->off) != 0)
				return -1;
			shift(w, tok.len);
		}
		if (final && *w->n == 0 && n == 0)
			return 0;
	}
}

/* ---- generation ------------------------------------------------------------ */

/* fail - set the error text; -1. */
static int fail(ssp_sender_t *s, const char *text)
{
	s->err.offset = (size_t)s->in_off;
	snprintf(s->err.text, sizeof(s->err.text), "%s", text);
	return -1;
}

/* quit_scan - follow the line starts of p[0..n) for a QUIT command. */
static void quit_scan(ssp_sender_t *s, const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && !s->quit) {
		const char *lf;
		char c;

		if (s->qpos < 0) {
			if ((lf = memchr(p + i, '\n', n - i)) == NULL)
				return;
			i = (size_t)(lf - p) + 1;
			s->qpos = 0;
			continue;
		}
		c = p[i];
		if (s->qpos < 4) {
			if (toupper((unsigned char)c) == "QUIT"[s->qpos]) {
				s->qpos++;
				i++;
			} else {
				s->qpos = -1; /* p[i] is looked at again: it may be the LF */
			}
			continue;
		}
		if (c == '\r' || c == '\n' || c == ' ')
			s->quit = 1;
		s->qpos = -1;
	}
}

/* emit - bytes that go on the wire: into the chunk and the head. */
static int emit(ssp_sender_t *s, const char *p, size_t n)
{
	size_t room = s->head.max - s->head.len;

	if (n == 0)
		return 0;
	if (n > SSP_SEND_BYTES_MAX - s->sent) {
		fail(s, "");
		snprintf(s->err.text, sizeof(s->err.text), "more than %d bytes to send (variables expanded)",
			 SSP_SEND_BYTES_MAX);
		return -1;
	}
	if (ssp_buf_append(&s->chunk, p, n) != 0 ||
	    (room > 0 && ssp_buf_append(&s->head, p, n < room ? n : room) != 0))
		return fail(s, "out of memory");
	quit_scan(s, p, n);
	if (n >= 2) {
		memcpy(s->olast, p + n - 2, 2);
	} else {
		s->olast[0] = s->olast[1];
		s->olast[1] = p[0];
	}
	s->sent += n;
	return 0;
}

/* body_out - expanded bytes: message content is dot-stuffed on the way. */
static int body_out(void *ctx, const char *p, size_t n)
{
	ssp_sender_t *s = ctx;
	size_t i = 0, start = 0;
	const char *d;

	if (s->st->send != SSP_SEND_DATA || !s->st->dot_stuff)
		return emit(s, p, n);
	while (i < n && (d = memchr(p + i, '.', n - i)) != NULL) {
		char b1, b2;

		i = (size_t)(d - p);
		b1 = i >= 1 ? p[i - 1] : s->last[1];
		b2 = i >= 2 ? p[i - 2] : i == 1 ? s->last[1] : s->last[0];
		if ((s->body == 0 && i == 0) || (b2 == '\r' && b1 == '\n')) {
			if (emit(s, p + start, i - start) != 0 || emit(s, ".", 1) != 0)
				return -1;
			start = i;
		}
		i++;
	}
	if (emit(s, p + start, n - start) != 0)
		return -1;
	if (n >= 2) {
		memcpy(s->last, p + n - 2, 2);
	} else if (n == 1) {
		s->last[0] = s->last[1];
		s->last[1] = p[0];
	}
	s->body += n;
	return 0;
}

/* body_tok - a '$' token: its value goes out as content. */
static int body_tok(void *ctx, const ssp_vars_tok_t *tok, uint64_t off)
{
	ssp_sender_t *s = ctx;
	const char *val;
	size_t len;
	char num[32];

	if (ssp_vars_value(s->vars, tok, num, &val, &len, (size_t)off, &s->err) != 0)
		return -1;
	return body_out(s, val, len);
}

void ssp_sender_init(ssp_sender_t *s)
{
	memset(s, 0, sizeof(*s));
	ssp_buf_init(&s->head, SSP_SENT_HEAD_MAX);
	ssp_buf_init(&s->chunk, SSP_WRITE_BUFFER_MAX);
	s->done = 1;
}

void ssp_sender_free(ssp_sender_t *s)
{
	s->ready = 0;
	ssp_buf_free(&s->head);
	ssp_buf_free(&s->chunk);
	s->done = 1;
}

void ssp_sender_start(ssp_sender_t *s, const ssp_vars_t *vars, const ssp_step_t *st)
{
	ssp_buf_t head = s->head, chunk = s->chunk;
	const char *pool;
	size_t plen;

	memset(s, 0, sizeof(*s));
	s->head = head;
	s->chunk = chunk;
	s->head.len = 0;
	s->chunk.len = 0;
	s->st = st;
	s->vars = vars;
	if (st->tpl != NULL) {
		ssp_tpl_cur_init(&s->cur, st->tpl);
		pool = st->tpl->pool.data;
		plen = st->tpl->pool.len;
	} else {
		ssp_tpl_cur_bytes(&s->cur, st->payload, st->payload ? st->payload_len : 0);
		pool = st->payload;
		plen = st->payload ? st->payload_len : 0;
	}
	s->feed = plen > 0 && memchr(pool, '$', plen) ? FEED_DOLLAR : FEED_PLAIN;
	s->done = st->send == SSP_SEND_NONE;
}

int ssp_sender_next(ssp_sender_t *s)
{
	vwin_t w = { s->win, &s->wn, &s->in_off };
	const vsink_t k = { body_out, body_tok, s };
	char buf[FEED_PLAIN];

	const char *lf;

	/* what the last chunk left after its last line comes first */
	if (s->ready > 0) {
		memmove(s->chunk.data, s->chunk.data + s->ready, s->chunk.len - s->ready);
		s->chunk.len -= s->ready;
		s->ready = 0;
	}
	while (!s->done && s->chunk.len < SSP_WRITE_CHUNK) {
		size_t got = ssp_tpl_read(&s->cur, buf, s->feed);

		if (got > 0) {
			if (vfeed(&w, buf, got, 0, &k, &s->err) != 0)
				return -1;
			continue;
		}
		if (vfeed(&w, NULL, 0, 1, &k, &s->err) != 0)
			return -1;
		if (s->st->send == SSP_SEND_DATA) {
			if (s->sent > 0 && memcmp(s->olast, "\r\n", 2) != 0 && emit(s, "\r\n", 2) != 0)
				return -1;
			if (emit(s, ".\r\n", 3) != 0)
				return -1;
		}
		if (s->qpos == 4)
			s->quit = 1; /* "QUIT" as the last bytes */
		s->done = 1;
	}
	lf = s->done || s->chunk.len == 0 ? NULL : memrchr(s->chunk.data, '\n', s->chunk.len);
	s->ready = lf ? (size_t)(lf - s->chunk.data) + 1 : s->chunk.len;
	return 0;
}

void ssp_sender_release(ssp_sender_t *s)
{
	s->ready = 0;
	ssp_buf_free(&s->chunk);
	ssp_buf_init(&s->chunk, SSP_WRITE_BUFFER_MAX);
}

/* ---- scanning ---------------------------------------------------------------- */

typedef struct scan_s {
	int (*known)(const char *name, void *ctx);
	void *ctx;
	ssp_vars_err_t *err;
} scan_t;

/* scan_lit - literal bytes name nothing. */
static int scan_lit(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
	return 0;
}

/* scan_tok - a reference must be known. */
static int scan_tok(void *ctx, const ssp_vars_tok_t *tok, uint64_t off)
{
	scan_t *sc = ctx;

	if (tok->kind != SSP_VARS_TOK_REF || sc->known(tok->name, sc->ctx))
		return 0;
	sc->err->offset = (size_t)off;
	snprintf(sc->err->text, sizeof(sc->err->text), "unknown variable ${%s}", tok->name);
	return -1;
}

/* walk - feed ops [from, to) of t; a repeat's rounds stop once one leaves
 * the window as it found it (every later round would do the same). */
static int walk(const ssp_tpl_t *t, size_t from, size_t to, vwin_t *w, const vsink_t *k,
		ssp_vars_err_t *err)
{
	size_t i = from;

	while (i < to) {
		const ssp_tpl_op_t *op = ssp_tpl_op(t, i);
		uint32_t r;

		if (op->kind == SSP_TPL_LIT) {
			if (vfeed(w, t->pool.data + op->off, op->len, 0, k, err) != 0)
				return -1;
			i++;
			continue;
		}
		for (r = 0; r < op->count; r++) {
			char before[SSP_VARS_WINDOW];
			size_t nb = *w->n;

			memcpy(before, w->win, nb);
			if (walk(t, i + 1, i + 1 + op->len, w, k, err) != 0)
				return -1;
			if (*w->n == nb && memcmp(before, w->win, nb) == 0)
				break;
		}
		i += 1 + op->len;
	}
	return 0;
}

int ssp_sender_scan(const ssp_tpl_t *t, const char *p, size_t n,
		    int (*known)(const char *name, void *ctx), void *ctx, ssp_vars_err_t *err)
{
	char win[SSP_VARS_WINDOW];
	size_t wn = 0;
	uint64_t off = 0;
	vwin_t w = { win, &wn, &off };
	scan_t sc = { known, ctx, err };
	const vsink_t k = { scan_lit, scan_tok, &sc };

	if (t != NULL && walk(t, 0, ssp_tpl_nops(t), &w, &k, err) != 0)
		return -1;
	if (t == NULL && vfeed(&w, p, n, 0, &k, err) != 0)
		return -1;
	return vfeed(&w, NULL, 0, 1, &k, err);
}
