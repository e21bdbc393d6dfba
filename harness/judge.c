/*
 * judge.c - what each observation of a session means (docs/vectors.md,
 * "Judging"): a complete reply is matched by expect.c and its outcome acted
 * on here; a close where a reply was expected, a malformed reply and a
 * timeout are turned into verdicts with their reasons.
 *
 *   expectation met               -> go on
 *   code in the "warn" set        -> remember a warning, go on
 *   code in the "skip" set        -> SKIP (a precondition is missing)
 *   421 where a refusal was asked  -> as that refusal; the server closes (below)
 *   421 otherwise                 -> SKIP (§3.8: at any time; §7.8: a defence)
 *   mismatch in a setup step      -> ERROR (the vector could not be judged)
 *   mismatch elsewhere            -> FAIL / WARN / INFO by the vector's level
 *   close before QUIT             -> FAIL (§3.8), whatever the level; but right
 *                                    after a refusal the vector asked for (§7.8):
 *                                    PASS if nothing judged is left, else SKIP
 *                                    (rfc5321/3.8 vectors: FAIL)
 *   malformed reply               -> FAIL (no reading of it is possible)
 *   capture that matched nothing  -> ERROR
 *   grammar deviation, unlisted code, unasked reply -> findings.c
 */
#include "session_int.h"

#include "conn_tls.h"
#include "expect.h"
#include "limits.h"
#include "smuggle.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* step_label - "step 3 (RCPT TO:<x@y>)" for the command behind the expectation. */
void ssp_session__label(const ssp_session_t *s, char *out, size_t size)
{
	ssp_position_label(&s->pos, s->snd.head.data, s->snd.head.len, out, size);
}

void ssp_session__set_expected_observed(ssp_session_t *s, const char *expected, const char *observed)
{
	snprintf(s->res->expected, sizeof(s->res->expected), "%s", expected);
	snprintf(s->res->observed, sizeof(s->res->observed), "%s", observed);
	s->res->step = ssp_position_number(&s->pos);
}

/* conclude_at - conclude with "<label>: <text>", expected and observed set. */
static void conclude_at(ssp_session_t *s, ssp_verdict_t v, const char *expected,
			const char *observed, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void conclude_at(ssp_session_t *s, ssp_verdict_t v, const char *expected,
			const char *observed, const char *fmt, ...)
{
	char label[SSP_LABEL_MAX], text[SSP_REASON_MAX];
	va_list ap;

	ssp_session__label(s, label, sizeof(label));
	ssp_session__set_expected_observed(s, expected, observed);
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ssp_session__conclude(s, v, "%s%s", label, text);
}

/* mismatch - an expectation was not met: the verdict depends on the step. */
void ssp_session__mismatch(ssp_session_t *s, const ssp_step_t *st, const char *expected,
		     const char *observed)
{
	char label[SSP_LABEL_MAX];

	ssp_session__label(s, label, sizeof(label));
	ssp_session__set_expected_observed(s, expected, observed);
	if (st->setup)
		ssp_session__conclude(s, SSP_ERROR, "setup %s: expected %s, got %s; the vector could not be judged",
			 label, expected, observed);
	else
		ssp_session__conclude(s, ssp_verdict_for_level(s->v->level), "%s: expected %s, got %s",
			 label, expected, observed);
}

/* ---- findings beside the expectations ------------------------------------ */

/* check_table - warn about a code RFC 5321 §4.3.2 does not list for the command. */
static void check_table(ssp_session_t *s, int code, const char *got)
{
	ssp_answers_t what;
	const char *line;
	size_t n;
	char label[SSP_LABEL_MAX];

	/* raw bytes may be message content or anything else: what they are
	 * answering is not known, so the table cannot be applied */
	if (ssp_position_step(&s->pos) != NULL && ssp_position_step(&s->pos)->send == SSP_SEND_RAW)
		return;
	if (ssp_position_answers(&s->pos, s->snd.head.data, s->snd.head.len, 1, &what, &line, &n) != 0)
		return;
	ssp_session__label(s, label, sizeof(label));
	ssp_findings_table(&s->found, &s->res->transcript, ssp_session__now(s), label, what, line, n, code, got);
}

/* keep_probe_reply - the probe keeps its greeting (step 0) and EHLO reply (step 1). */
static void keep_probe_reply(ssp_session_t *s, const char *p, size_t n)
{
	char **slot;
	size_t *len;

	if (s->probe == NULL)
		return;
	if (s->pos.step < SSP_PROBE_STEPS_MAX && s->probe->codes[s->pos.step] == 0)
		s->probe->codes[s->pos.step] = s->reply.code;
	if (s->pos.step > 1)
		return;
	slot = s->pos.step == 0 ? &s->probe->greeting : &s->probe->ehlo;
	len = s->pos.step == 0 ? &s->probe->greeting_len : &s->probe->ehlo_len;
	if (*slot != NULL || n == 0 || (*slot = malloc(n)) == NULL)
		return;
	memcpy(*slot, p, n);
	*len = n;
}

/* ---- judging replies ---------------------------------------------------- */

/* refusal_only - 1 if e passes only 4yz and 5yz codes: a 421 refuses too. */
static int refusal_only(const ssp_expect_t *e)
{
	unsigned i;

	if (e->any_code || e->pass.n == 0)
		return 0;
	for (i = 0; i < e->pass.n; i++) {
		if (e->pass.r[i].lo < 400)
			return 0;
	}
	return 1;
}

/* rest_judged - 1 if an expectation the vector judges (not setup) comes after
 * the current one, repetitions of the current step aside. */
static int rest_judged(const ssp_session_t *s)
{
	const ssp_vector_t *v = s->v;
	unsigned i = s->pos.step >= s->pos.npre ? s->pos.step - s->pos.npre : 0;

	if (s->pos.step < s->pos.npre)
		return 1; /* still in the prelude: nothing was judged */
	/* the current expectation is unmet unless the refusal answered it, or an
	 * earlier repetition of its step */
	if (i < v->nsteps && !v->steps[i].setup &&
	    !(s->pos.step == s->refusal_at.step &&
	      (s->pos.rep != s->refusal_at.rep || s->pos.exp == s->refusal_at.exp)))
		return 1;
	if (i < v->nsteps && !v->steps[i].setup && s->pos.exp + 1 < v->steps[i].nexpect)
		return 1;
	for (i++; i < v->nsteps; i++) {
		if (!v->steps[i].setup && v->steps[i].nexpect > 0)
			return 1;
	}
	return 0;
}

/*
 * closed_after_refusal - the server closed (or said 421) right after refusing
 * what the vector sent, as RFC 5321 §7.8 lets a server defend itself: what the
 * vector asked for was seen when nothing judged is left (pass), else its rule
 * could not be observed (skip).  Closing is judged by the §3.8 vectors alone.
 */
static void closed_after_refusal(ssp_session_t *s, const char *how)
{
	if (rest_judged(s)) {
		ssp_session__conclude(s, SSP_SKIP,
				      "%s, before the rest of this vector could be observed (a server may defend itself, RFC 5321 §7.8; closing is judged by the rfc5321/3.8 vectors)",
				      how);
		return;
	}
	ssp_session__note(s, "%s after the refusal this vector asked for (closing is judged by the rfc5321/3.8 vectors)", how);
	if (s->found.warned[0])
		ssp_session__conclude(s, SSP_WARN, "%s", s->found.warned);
	else
		ssp_session__conclude(s, SSP_PASS, "every expectation was met; %s then", how);
}


/* act - do what the outcome of a complete reply means: 0 to go on, -1 concluded. */
static int act(ssp_session_t *s, const ssp_step_t *st, const ssp_expect_t *e,
	       const ssp_reply_t *r, const char *p)
{
	char expected[SSP_EXPECTED_TEXT_MAX], got[SSP_OBSERVED_TEXT_MAX];
	ssp_capture_t cap;
	ssp_outcome_t o = ssp_expect_match(e, p, r, &cap);

	ssp_expect_describe(e, expected, sizeof(expected));
	ssp_expect_describe_reply(p, r->len, r->nlines, got, sizeof(got));
	switch (o) {
	case SSP_OUTCOME_SKIP_CODE:
		conclude_at(s, SSP_SKIP, expected, got,
			    ": got %s, which means a precondition of this vector is missing", got);
		return -1;
	case SSP_OUTCOME_CLOSING_421:
		/* §3.8: a server may close with 421 at any time; never an error or a fail */
		s->got_421 = 1;
		if (!st->setup && refusal_only(e)) {
			s->refusal_at = s->pos;
			ssp_session__set_expected_observed(s, expected, got);
			closed_after_refusal(s, "the server refused with 421 and is closing");
			return -1;
		}
		if (s->refusal_met) { /* after the refusal the vector asked for */
			ssp_session__set_expected_observed(s, expected, got);
			closed_after_refusal(s, "the server said 421 and is closing right after a refusal");
			return -1;
		}
		conclude_at(s, SSP_SKIP, expected, got,
			    ": got %s: the server ended the session (RFC 5321 §3.8 allows a 421 at any time, §7.8 lets a server defend itself); this vector's rule could not be observed",
			    got);
		return -1;
	case SSP_OUTCOME_MISMATCH:
		ssp_session__mismatch(s, st, expected, got);
		return -1;
	case SSP_OUTCOME_PATTERN_LIMIT: {
		/* the matcher stopped (pattern.h): nothing is known about the server */
		char pat[SSP_OBSERVED_TEXT_MAX];
		const char *src = cap.limit.src ? cap.limit.src : "";

		ssp_expect_excerpt(pat, sizeof(pat), src, strlen(src), SSP_QUOTE_COMMAND_BYTES);
		conclude_at(s, SSP_ERROR, expected, got, ": pattern /%s/ exceeded %s on a %zu-byte reply line; no verdict",
			    pat, cap.limit.why ? cap.limit.why : "a limit of the matcher", cap.limit.line_len);
		return -1;
	}
	case SSP_OUTCOME_WARN_CODE:
		if (s->found.warned[0] == '\0') {
			char label[SSP_LABEL_MAX];
			ssp_session__label(s, label, sizeof(label));
			ssp_findings_warn_code(&s->found, label, got, expected);
			ssp_session__set_expected_observed(s, expected, got);
		}
		break;
	case SSP_OUTCOME_MET:
	case SSP_OUTCOME_CAPTURE_FAILED:
		break;
	}
	if (r->code == 421)
		s->got_421 = 1; /* asked for or not, the server is closing */
	s->refusal_met = r->code >= 400 && !st->setup;
	s->refusal_at = s->pos;
	check_table(s, r->code, got);
	if (o == SSP_OUTCOME_CAPTURE_FAILED) {
		/* what the reply should carry is another vector's rule: here a precondition */
		conclude_at(s, SSP_SKIP, expected, got,
			    ": capture ${%s}: no line of the reply matches /%s/, so this vector cannot go on",
			    e->capture_var, e->capture_src);
		return -1;
	}
	/* a captured value is sent back later: a CR or LF in it would be a command of ours */
	if (cap.var != NULL && (memchr(cap.value, '\r', cap.len) || memchr(cap.value, '\n', cap.len) ||
				memchr(cap.value, '\0', cap.len))) {
		conclude_at(s, SSP_ERROR, expected, got,
			    ": capture ${%s}: the value holds a CR, LF or NUL; it is not sent back", e->capture_var);
		return -1;
	}
	if (cap.var != NULL && ssp_vars_set(&s->vars, cap.var, cap.value, cap.len) != 0) {
		conclude_at(s, SSP_ERROR, expected, got, ": capture ${%s}: too many variables", e->capture_var);
		return -1;
	}
	if (cap.var != NULL) {
		char shown[SSP_OBSERVED_TEXT_MAX];

		ssp_expect_excerpt(shown, sizeof(shown), cap.value, cap.len, SSP_QUOTE_SERVER_BYTES);
		ssp_session__note(s, "captured ${%s} = \"%s\"", cap.var, shown); /* server bytes, escaped */
	}
	/* the prelude's EHLO reply tells which extensions this session has */
	if (ssp_position_is_ehlo(&s->pos)) {
		const char *missing = ssp_vector_missing_keyword(s->v, p, r->len);
		/* inside TLS (--starttls) the list may differ from the probe's (RFC 4954 §3) */
		const char *present = ssp_vector_present_keyword(s->v, p, r->len);
		if (missing != NULL) {
			ssp_session__conclude(s, SSP_SKIP, "the server does not advertise %s in its EHLO reply", missing);
			return -1;
		}
		if (present != NULL) {
			ssp_session__conclude(s, SSP_SKIP, "the server advertises %s in this session's EHLO reply; this vector checks a server that does not",
					      present);
			return -1;
		}
	}
	return 0;
}

/* closed_instead - the connection closed where a reply was expected. */
static void closed_instead(ssp_session_t *s, const ssp_step_t *st, const ssp_expect_t *e)
{
	char expected[SSP_EXPECTED_TEXT_MAX], got[SSP_OBSERVED_TEXT_MAX];
	const char *how = s->eof == UV_EOF ? "closed" : "reset";

	ssp_expect_describe(e, expected, sizeof(expected));
	if (s->in.buf.len > 0) {
		ssp_expect_excerpt(got, sizeof(got), s->in.buf.data, s->in.buf.len, SSP_QUOTE_SERVER_BYTES);
		snprintf(got + strlen(got), sizeof(got) - strlen(got), " and then the connection %s", how);
	} else {
		snprintf(got, sizeof(got), "%s", s->eof == UV_EOF ? "the server closed the connection" : "the connection was reset");
	}
	if (!s->quit_sent && s->got_421)
		closed_after_refusal(s, "the server closed the connection after a 421 (RFC 5321 §3.8 allows it)");
	else if (!s->quit_sent && s->refusal_met && strcmp(s->v->section, "3.8") != 0)
		closed_after_refusal(s, "the server closed the connection right after refusing a command");
	else if (!s->quit_sent) /* §3.8, whatever the vector's own level */
		conclude_at(s, SSP_FAIL, expected, got,
			    ": expected %s, got %s: a server MUST NOT close the connection before QUIT except after a 421 reply (RFC 5321 §3.8)",
			    expected, got);
	else
		ssp_session__mismatch(s, st, expected, got);
}

/* tls_alert - right after a 220 to STARTTLS the server speaks TLS: a TLS
 * alert record (RFC 8446 §6) at the start of the inbox is no SMTP reply.
 * Consumes complete ones: 1 when one is still incomplete (wait), else 0. */
static int tls_alert(ssp_session_t *s)
{
	while (s->tls_announced && s->conn != NULL && !ssp_conn_tls_active(s->conn) &&
	       s->in.buf.len > 0 && (unsigned char)s->in.buf.data[0] == 0x15) {
		const unsigned char *d = (const unsigned char *)s->in.buf.data;
		size_t rec;

		if (s->in.buf.len < 5)
			return !s->eof;
		rec = 5 + ((size_t)d[3] << 8 | d[4]);
		if (s->in.buf.len < rec)
			return !s->eof;
		ssp_session__note(s, "a TLS alert record (%zu octets) after the 220 to STARTTLS: not an SMTP reply", rec);
		ssp_inbox_consume(&s->in, rec);
	}
	return 0;
}

/* tls_announce - a 220 answering STARTTLS: TLS records may follow. */
static void tls_announce(ssp_session_t *s, int code)
{
	ssp_answers_t what;
	const char *line;
	size_t n;

	if (code == 220 && ssp_position_answers(&s->pos, s->snd.head.data, s->snd.head.len, 0, &what, &line, &n) == 0 &&
	    what == SSP_ANSWERS_COMMAND && n == 8 && strncasecmp(line, "STARTTLS", 8) == 0)
		s->tls_announced = 1;
}

/* try_reply - judge the reply at the start of in if it is complete.
 * Returns 1 when the expectation is settled, 0 to wait for more bytes. */
int ssp_session__try_reply(ssp_session_t *s, const ssp_step_t *st, const ssp_expect_t *e)
{
	char expected[SSP_EXPECTED_TEXT_MAX], got[SSP_OBSERVED_TEXT_MAX], label[SSP_LABEL_MAX];
	ssize_t n;

	if (tls_alert(s))
		return 0;
	n = ssp_reply_parse(&s->reply, s->in.buf.data ? s->in.buf.data : "", s->in.buf.len);

	if (n == SSP_REPLY_PARTIAL) {
		if (!s->eof)
			return 0;
		if (e->kind == SSP_EXPECT_REPLY || e->kind == SSP_EXPECT_SMUGGLING)
			closed_instead(s, st, e);
		else
			s->pos.exp++; /* the close that was expected */
		return 1;
	}
	if (n == SSP_REPLY_MALFORMED) {
		ssp_inbox_flush(&s->in, ssp_session__now(s));
		keep_probe_reply(s, s->in.buf.data, s->in.buf.len);
		ssp_expect_describe(e, expected, sizeof(expected));
		ssp_expect_excerpt(got, sizeof(got), s->in.buf.data,
				   s->in.buf.len < SSP_QUOTE_SERVER_BYTES ? s->in.buf.len : SSP_QUOTE_SERVER_BYTES,
				   SSP_QUOTE_SERVER_BYTES);
		conclude_at(s, SSP_FAIL, expected, got, ": malformed reply (RFC 5321 §4.2): %s: %s",
			    ssp_reply_error_name(s->reply.error), got);
		return 1;
	}
	keep_probe_reply(s, s->in.buf.data, (size_t)n);
	ssp_session__label(s, label, sizeof(label));
	ssp_findings_grammar(&s->found, &s->res->transcript, ssp_session__now(s), label, &s->reply, s->in.buf.data);
	s->last_code = s->reply.code;
	tls_announce(s, s->reply.code);
	if (act(s, st, e, &s->reply, s->in.buf.data) != 0)
		return 1;
	ssp_inbox_consume(&s->in, (size_t)n);
	ssp_reply_reset(&s->reply);
	s->pos.exp++;
	return 1;
}

/* timed_out - a reply or close wait passed its deadline. */
void ssp_session__timed_out(ssp_session_t *s, const ssp_step_t *st)
{
	const ssp_expect_t *e = &st->expect[s->pos.exp];
	unsigned ms = e->timeout_ms ? e->timeout_ms : s->cfg->timeout_ms;
	char expected[SSP_EXPECTED_TEXT_MAX], got[SSP_OBSERVED_TEXT_MAX];

	ssp_inbox_flush(&s->in, ssp_session__now(s));
	ssp_session__note(s, "timeout: nothing decisive within %u ms", ms);
	ssp_expect_describe(e, expected, sizeof(expected));
	if (s->in.buf.len > 0) {
		char part[SSP_QUOTE_SERVER_BYTES + 40]; /* the quote and its escapes */
		ssp_expect_excerpt(part, sizeof(part), s->in.buf.data, s->in.buf.len, SSP_QUOTE_SERVER_BYTES);
		snprintf(got, sizeof(got), "an incomplete reply \"%s\" after %u ms", part, ms);
	} else if (e->kind == SSP_EXPECT_CLOSE) {
		snprintf(got, sizeof(got), "the connection still open after %u ms", ms);
	} else {
		snprintf(got, sizeof(got), "no reply within %u ms", ms);
	}
	ssp_session__mismatch(s, st, expected, got);
}


/* smuggle_codes - "250, 250, 354" for the replies collected after smuggled content. */
static void smuggle_codes(const ssp_session_t *s, char *out, size_t size)
{
	unsigned i;
	size_t used = 0;

	out[0] = '\0';
	for (i = 0; i < s->nsmuggle && used + 8 < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%d", i ? ", " : "", s->smuggle_codes[i]);
}

/*
 * smuggle_verdict - what the replies after smuggled content show
 * (smuggle.h): executed commands are a security failure whatever the
 * level; an early end with nothing executed is the quoted rule's failure;
 * one reply, or a refusal, passes.
 */
void ssp_session__smuggle_verdict(ssp_session_t *s, const char *why_stopped)
{
	const ssp_step_t *st = ssp_position_step(&s->pos);
	const ssp_expect_t *e = &st->expect[s->pos.exp];
	char expected[SSP_EXPECTED_TEXT_MAX], got[SSP_OBSERVED_TEXT_MAX], codes[SSP_OBSERVED_TEXT_MAX / 2];
	ssp_smuggle_t k = ssp_smuggle_classify(s->smuggle_codes, s->nsmuggle);

	ssp_expect_describe(e, expected, sizeof(expected));
	smuggle_codes(s, codes, sizeof(codes));
	snprintf(got, sizeof(got), "replies %s (%s)", codes, why_stopped);
	ssp_session__note(s, "smuggling: the replies after the content were %s: %s", codes,
			  ssp_smuggle_name(k));
	switch (k) {
	case SSP_SMUGGLE_EXPLOITABLE:
		s->res->category = SSP_CATEGORY_SECURITY;
		conclude_at(s, SSP_FAIL, expected, got,
			    ": SMTP smuggling: the server ended the mail data at the fake end-of-data sequence and executed the commands that followed it in the content (replies after the content: %s)",
			    codes);
		return;
	case SSP_SMUGGLE_ENDED_EARLY:
		s->res->category = SSP_CATEGORY_CONFORMANCE; /* nothing ran: a conformance finding */
		conclude_at(s, ssp_verdict_for_level(s->v->level), expected, got,
			    ": the server ended the mail data at the fake end-of-data sequence (replies after the content: %s); it executed none of the commands that followed it",
			    codes);
		return;
	case SSP_SMUGGLE_DATA:
		conclude_at(s, SSP_PASS, expected, got,
			    ": the fake end-of-data sequence stayed message content: one reply (%s) for the whole content",
			    codes);
		return;
	case SSP_SMUGGLE_REFUSED:
		conclude_at(s, SSP_PASS, expected, got,
			    ": the server refused the content (%s) and executed nothing after the fake end-of-data sequence",
			    codes);
		return;
	case SSP_SMUGGLE_NO_REPLY:
		break;
	}
	ssp_session__mismatch(s, st, expected, got);
}
