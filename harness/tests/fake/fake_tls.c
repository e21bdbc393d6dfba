/*
 * fake_tls.c - TLS and AUTH in fakesmtpd: STARTTLS (RFC 3207), implicit
 * TLS (RFC 8314 §3) and AUTH PLAIN and LOGIN (RFC 4954, RFC 4616).
 *
 * Two halves.  The protocol half has no I/O, like fake_smtp.c: the
 * commands, the EHLO lines, the state TLS discards (RFC 3207 §4.2).  The
 * connection half has no libuv: fakesmtpd.c hands it the ciphertext it
 * reads and gets back the ciphertext to write, and the TLS engine of the
 * harness (harness/tls.c, server role) turns one into the other through
 * memory, so that fake_smtp.c keeps working on plaintext in s->in and
 * s->out whether TLS is on or not.
 *
 * Without modes: STARTTLS is listed (until TLS is on) and works, with a
 * certificate made in memory for FAKE_DOMAIN unless --tls-cert is given;
 * anything pipelined after STARTTLS is discarded (§5); after the handshake
 * the EHLO, the transaction and the authentication are forgotten (§4.2).
 * AUTH PLAIN LOGIN is listed (and CRAM-MD5 in modes auth-cram-md5*);
 * FAKE_AUTH_USER with FAKE_AUTH_PASSWORD gets 235, anything else 535
 * (RFC 4954 §6).
 */
#include "fake.h"

#include "../../tls.h"

#include <openssl/evp.h>

#include <stdio.h>
#include <string.h>

#define MODE(s, m) ((s)->modes->on[FAKE_MODE_##m])

/* Plaintext encrypted per fake_tls_output() call: the ciphertext of this
 * much always fits in a write buffer (FAKE_OUT_MAX). */
#define FAKE_TLS_OUT_CHUNK 16384

/* The LOGIN mechanism's prompts, "Username:" and "Password:" in base64. */
#define LOGIN_USER_PROMPT "VXNlcm5hbWU6"
#define LOGIN_PASS_PROMPT "UGFzc3dvcmQ6"
/* The CRAM-MD5 challenge (RFC 2195 §2), "<1896.697170952@fake.test>" in base64. */
#define CRAM_CHALLENGE "PDE4OTYuNjk3MTcwOTUyQGZha2UudGVzdD4="

/* ---- the protocol half -------------------------------------------------- */

/* starttls_offered - STARTTLS is listed in the EHLO reply now. */
static int starttls_offered(const fake_smtp_t *s)
{
	if (MODE(s, HOSTILE_JUNK_TLS) || MODE(s, STARTTLS_STALL))
		return 1;
	if (MODE(s, NO_TLS) || MODE(s, STARTTLS_NOT_ADVERTISED_ACCEPTED))
		return 0;
	return !s->tls || MODE(s, STARTTLS_STILL_ADVERTISED);
}

int fake_auth_offered(const fake_smtp_t *s)
{
	if (MODE(s, NO_AUTH) || MODE(s, AUTH_NOT_ADVERTISED_ACCEPTED))
		return 0;
	return s->tls || !MODE(s, AUTH_AFTER_STARTTLS);
}

/* cram_offered - CRAM-MD5 is one of the mechanisms (modes auth-cram-md5*). */
static int cram_offered(const fake_smtp_t *s)
{
	return MODE(s, AUTH_CRAM_MD5) || MODE(s, AUTH_CRAM_MD5_INITIAL_535);
}

void fake_tls_ehlo(const fake_smtp_t *s, const char **lines, size_t *nlines)
{
	if (starttls_offered(s))
		lines[(*nlines)++] = "STARTTLS";
	if (fake_auth_offered(s))
		lines[(*nlines)++] = cram_offered(s) ? "AUTH PLAIN LOGIN CRAM-MD5" : "AUTH PLAIN LOGIN";
}

void fake_starttls_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	(void)arg;
	if (MODE(s, HOSTILE_JUNK_TLS)) {
		fake_smtp_reply(s, 220, "2.0.0", "Ready to start TLS");
		s->stream = FAKE_STREAM_JUNK;
		s->end = FAKE_END_HANG;
		return;
	}
	if (MODE(s, NO_TLS) && !MODE(s, STARTTLS_NOT_ADVERTISED_ACCEPTED)) {
		fake_smtp_reply(s, 502, "5.5.1", "Error: command not implemented");
		return;
	}
	if (n > 0 && !MODE(s, STARTTLS_PARAM_ACCEPTED)) {
		/* RFC 3207 §4: "501 Syntax error (no parameters allowed)" */
		fake_smtp_reply(s, 501, "5.5.4", "Syntax: STARTTLS");
		return;
	}
	if (s->tls) {
		if (MODE(s, STARTTLS_AGAIN_ACCEPTED))
			fake_smtp_reply(s, 220, "2.0.0", "Ready to start TLS");
		else
			fake_smtp_reply(s, 503, "5.5.1", "Error: TLS already active");
		return;
	}
	fake_smtp_reply(s, 220, "2.0.0", "Ready to start TLS");
	s->end = MODE(s, STARTTLS_STALL) ? FAKE_END_HANG : FAKE_END_STARTTLS;
}

/* tls_started - the handshake is complete: RFC 3207 §4.2, the server
 * discards what it knew; implicit TLS greets now. */
static void tls_started(fake_smtp_t *s)
{
	s->tls = 1;
	if (!MODE(s, STARTTLS_KEEPS_STATE)) {
		s->hello = 0;
		s->auth = 0;
		s->auth_wait = 0;
		s->ehlo_mismatch = 0;
		fake_smtp_txn_clear(s);
	}
	if (s->implicit_tls)
		fake_smtp_start(s);
}

/* b64_decode - strict base64 (RFC 4648 §4, padded; "=" alone is the empty
 * response of RFC 4954 §4) of p[0..n) into out[0..size): the length, or -1. */
static long b64_decode(const char *p, size_t n, unsigned char *out, size_t size)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, pad = 0;
	int k;

	if (n == 1 && p[0] == '=')
		return 0;
	if (n % 4 != 0 || n / 4 * 3 > size || n > FAKE_AUTH_LINE_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		if (p[i] == '=' && i + 2 >= n && (i + 1 == n || p[i + 1] == '='))
			pad++;
		else if (p[i] == '\0' || strchr(alphabet, p[i]) == NULL || pad > 0)
			return -1;
	}
	if (n == 0)
		return 0;
	k = EVP_DecodeBlock(out, (const unsigned char *)p, (int)n);
	if (k < 0 || (size_t)k < pad)
		return -1;
	return k - (long)pad;
}

/* eq - p[0..n) is the string lit. */
static int eq(const unsigned char *p, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(p, lit, n) == 0;
}

/* auth_result - 235 when ok (or in mode auth-accepts-bad), else 535. */
static void auth_result(fake_smtp_t *s, int ok)
{
	s->auth_wait = 0;
	if (ok || MODE(s, AUTH_ACCEPTS_BAD)) {
		s->auth = 1;
		fake_smtp_reply(s, 235, "2.7.0", "Authentication successful");
	} else {
		fake_smtp_reply(s, 535, "5.7.8", "Authentication credentials invalid");
	}
}

/* undecodable - a response that is not base64: 501 (RFC 4954 §4). */
static void undecodable(fake_smtp_t *s)
{
	s->auth_wait = 0;
	if (MODE(s, AUTH_BAD_BASE64_535))
		fake_smtp_reply(s, 535, "5.7.8", "Authentication credentials invalid");
	else
		fake_smtp_reply(s, 501, "5.5.2", "Cannot decode the response");
}

/* plain - a PLAIN response (RFC 4616 §2: authzid NUL authcid NUL passwd). */
static void plain(fake_smtp_t *s, const char *p, size_t n)
{
	unsigned char msg[FAKE_AUTH_LINE_MAX];
	const unsigned char *authcid, *passwd, *nul;
	long len = b64_decode(p, n, msg, sizeof(msg));
	size_t zlen, clen;

	if (len < 0) {
		undecodable(s);
		return;
	}
	nul = memchr(msg, '\0', (size_t)len);
	if (nul == NULL) {
		auth_result(s, 0);
		return;
	}
	zlen = (size_t)(nul - msg);
	authcid = nul + 1;
	nul = memchr(authcid, '\0', (size_t)len - zlen - 1);
	if (nul == NULL) {
		auth_result(s, 0);
		return;
	}
	clen = (size_t)(nul - authcid);
	passwd = nul + 1;
	auth_result(s, (zlen == 0 || eq(msg, zlen, FAKE_AUTH_USER)) && eq(authcid, clen, FAKE_AUTH_USER) &&
			       eq(passwd, (size_t)len - zlen - clen - 2, FAKE_AUTH_PASSWORD));
}

/* login_user - the LOGIN user name: then the password prompt. */
static void login_user(fake_smtp_t *s, const char *p, size_t n)
{
	unsigned char msg[FAKE_AUTH_LINE_MAX];
	long len = b64_decode(p, n, msg, sizeof(msg));

	if (len < 0) {
		undecodable(s);
		return;
	}
	s->auth_user_ok = eq(msg, (size_t)len, FAKE_AUTH_USER);
	s->auth_wait = 2;
	fake_smtp_reply(s, 334, NULL, "%s", MODE(s, AUTH_LOGIN_TEXT_PROMPTS) ? "Password:" : LOGIN_PASS_PROMPT);
}

/* mech_is - the mechanism arg[0..m) is name: in any case (RFC 4954 §8),
 * or in capitals only in mode auth-mechanism-case-sensitive. */
static int mech_is(const fake_smtp_t *s, const char *arg, size_t m, const char *name)
{
	size_t k = strlen(name);

	if (m != k)
		return 0;
	return MODE(s, AUTH_MECHANISM_CASE_SENSITIVE) ? memcmp(arg, name, k) == 0 : strncasecmp(arg, name, k) == 0;
}

void fake_auth_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	size_t m = 0;

	if (MODE(s, NO_AUTH)) {
		fake_smtp_reply(s, 502, "5.5.1", "Error: command not implemented");
		return;
	}
	if (!s->hello) {
		fake_smtp_reply(s, 503, "5.5.1", "Error: send EHLO first");
		return;
	}
	if (MODE(s, AUTH_AFTER_STARTTLS) && !s->tls) {
		/* not listed outside TLS: refused as Postfix does with smtpd_tls_auth_only */
		fake_smtp_reply(s, 503, "5.5.1", "Error: authentication not enabled");
		return;
	}
	if (MODE(s, AUTH_538_PLAINTEXT) && !s->tls) {
		fake_smtp_reply(s, 538, "5.7.11", "Encryption required for requested authentication mechanism");
		return;
	}
	if (s->auth && !MODE(s, AUTH_TWICE_ACCEPTED)) {
		/* RFC 4954 §4: no AUTH after a successful one */
		fake_smtp_reply(s, 503, "5.5.1", "Error: already authenticated");
		return;
	}
	if (s->mail && !MODE(s, AUTH_IN_TRANSACTION_ACCEPTED)) {
		/* RFC 4954 §4: no AUTH during a mail transaction */
		fake_smtp_reply(s, 503, "5.5.1", "Error: MAIL transaction in progress");
		return;
	}
	while (m < n && arg[m] != ' ')
		m++;
	if (m == 0) {
		fake_smtp_reply(s, 501, "5.5.4", "Syntax: AUTH mechanism");
		return;
	}
	s->auth_login = mech_is(s, arg, m, "LOGIN");
	s->auth_cram = cram_offered(s) && mech_is(s, arg, m, "CRAM-MD5");
	if (!s->auth_login && !s->auth_cram && !mech_is(s, arg, m, "PLAIN")) {
		if (MODE(s, AUTH_UNKNOWN_MECHANISM_535))
			fake_smtp_reply(s, 535, "5.7.8", "Authentication failed");
		else
			fake_smtp_reply(s, 504, "5.5.4", "Unrecognized authentication type");
		return;
	}
	if (m < n && s->auth_cram) {
		/* RFC 4954 §4: CRAM-MD5 begins with the server's challenge, so an
		 * initial response is refused with 501 */
		if (MODE(s, AUTH_CRAM_MD5_INITIAL_535))
			fake_smtp_reply(s, 535, "5.7.8", "Error: authentication failed: bad protocol / cancel");
		else
			fake_smtp_reply(s, 501, "5.7.0", "Initial response not allowed with CRAM-MD5");
		return;
	}
	if (m < n) {                    /* an initial response */
		if (MODE(s, AUTH_NO_INITIAL_RESPONSE)) {
			fake_smtp_reply(s, 501, "5.5.4", "Initial response not supported");
			return;
		}
		s->auth_wait = 1;
		fake_auth_line(s, arg + m + 1, n - m - 1);
		return;
	}
	s->auth_wait = 1;
	if (s->auth_login)
		fake_smtp_reply(s, 334, NULL, "%s", MODE(s, AUTH_LOGIN_TEXT_PROMPTS) ? "Username:" : LOGIN_USER_PROMPT);
	else if (s->auth_cram)
		fake_smtp_reply(s, 334, NULL, CRAM_CHALLENGE);
	else
		fake_smtp_reply(s, 334, NULL, "%s", MODE(s, AUTH_CHALLENGE_TEXT) ? "Go ahead" : "");
}

void fake_auth_line(fake_smtp_t *s, const char *p, size_t n)
{
	if (n == 1 && p[0] == '*') {
		/* RFC 4954 §4: the client cancels, the server answers 501 */
		s->auth_wait = 0;
		if (MODE(s, AUTH_CANCEL_NOT_501))
			fake_smtp_reply(s, 535, "5.7.8", "Authentication failed");
		else
			fake_smtp_reply(s, 501, "5.0.0", "Authentication cancelled");
	} else if (MODE(s, AUTH_RESPONSE_LIMIT_512) && n + 2 > FAKE_CMD_LINE_MAX) {
		/* a response buffer of an ordinary command line (RFC 4954 §4: 500) */
		s->auth_wait = 0;
		fake_smtp_reply(s, 500, "5.5.6", "Authentication Exchange line is too long");
	} else if (s->auth_cram) {
		unsigned char msg[FAKE_AUTH_LINE_MAX];

		/* no CRAM-MD5 secret is kept: every digest is wrong */
		if (b64_decode(p, n, msg, sizeof(msg)) < 0)
			undecodable(s);
		else
			auth_result(s, 0);
	} else if (!s->auth_login) {
		plain(s, p, n);
	} else if (s->auth_wait == 1) {
		login_user(s, p, n);
	} else {
		unsigned char msg[FAKE_AUTH_LINE_MAX];
		long len = b64_decode(p, n, msg, sizeof(msg));

		if (len < 0)
			undecodable(s);
		else
			auth_result(s, s->auth_user_ok && eq(msg, (size_t)len, FAKE_AUTH_PASSWORD) &&
					    !MODE(s, AUTH_LOGIN_FAILS));
	}
	fake_smtp_flush(s);
}

int fake_auth_mail_param(const fake_smtp_t *s, const char *val, size_t n)
{
	size_t i;

	if (MODE(s, AUTH_MAIL_PARAM_REJECTED))
		return 555;
	if (val == NULL || n == 0)
		return 501;
	if (n == 2 && memcmp(val, "<>", 2) == 0)
		return 0;
	if (MODE(s, AUTH_MAIL_PARAM_MAILBOX_REJECTED))
		return 501;
	/* RFC 4954 §5: AUTH=xtext (RFC 3461 §4: "+" and two upper hex digits) */
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)val[i];

		if (c == '+') {
			if (i + 2 >= n || !strchr("0123456789ABCDEF", val[i + 1]) || val[i + 1] == '\0' ||
			    !strchr("0123456789ABCDEF", val[i + 2]) || val[i + 2] == '\0')
				return 501;
			i += 2;
		} else if (c < 0x21 || c > 0x7e || c == '=') {
			return 501;
		}
	}
	return 0;
}

/* ---- the connection half ------------------------------------------------ */

static ssp_tls_ctx_t *server_ctx;
static int client_required;          /* --tls-client-ca: print the client's subject */

int fake_tls_setup(const char *cert, const char *key, const char *client_ca)
{
	ssp_tls_config_t cfg = { .server = 1, .cert_file = cert, .key_file = key,
				 .self_signed = FAKE_DOMAIN, .verify = client_ca != NULL, .ca_file = client_ca };
	char err[256];

	client_required = client_ca != NULL;
	server_ctx = ssp_tls_ctx_new(&cfg, err, sizeof(err));
	if (server_ctx == NULL) {
		fprintf(stderr, "fakesmtpd: %s\n", err);
		return -1;
	}
	return 0;
}

void fake_tls_cleanup(void)
{
	ssp_tls_ctx_free(server_ctx);
	server_ctx = NULL;
}

ssp_tls_t *fake_tls_begin(fake_smtp_t *s)
{
	char err[256];
	ssp_tls_t *t = ssp_tls_new(server_ctx, NULL, err, sizeof(err));

	if (t == NULL)
		fprintf(stderr, "fakesmtpd: %s\n", err);
	s->tls_fed = 0;
	return t;
}

int fake_tls_input(ssp_tls_t *t, fake_smtp_t *s, const char *p, size_t n)
{
	/* 0x16: a TLS handshake record (RFC 8446 §5.1) */
	if (!ssp_tls_done(t) && !s->tls_fed && n > 0 && (unsigned char)p[0] != 0x16 &&
	    MODE(s, STARTTLS_PLAINTEXT_AFTER_220))
		return 1;
	s->tls_fed = 1;
	if (ssp_tls_feed(t, p, n) != 0)
		return -1;
	return fake_tls_pull(t, s);
}

/* client_subject - "CLIENT-CERT <subject>" on stdout (--tls-client-ca): the
 * certificate reached the server.  The subject is RFC 2253 (escaped ASCII). */
static void client_subject(const ssp_tls_t *t)
{
	char subject[SSP_TLS_SUBJECT_MAX];

	if (ssp_tls_peer_subject(t, subject, sizeof(subject)) != 0)
		snprintf(subject, sizeof(subject), "(none)");
	printf("CLIENT-CERT %s\n", subject);
	fflush(stdout);
}

int fake_tls_pull(ssp_tls_t *t, fake_smtp_t *s)
{
	if (!ssp_tls_done(t)) {
		int rc = ssp_tls_handshake(t);

		if (rc == SSP_TLS_AGAIN)
			return 0;
		if (rc != SSP_TLS_DONE) {
			if (client_required)
				fprintf(stderr, "fakesmtpd: %s\n", ssp_tls_error(t));
			return -1;           /* a failed handshake ends the session */
		}
		if (client_required)
			client_subject(t);
		tls_started(s);
	}
	while (s->inlen < FAKE_IN_MAX) {
		ssize_t r = ssp_tls_read(t, s->in + s->inlen, FAKE_IN_MAX - s->inlen);

		if (r == SSP_TLS_AGAIN)
			break;
		if (r <= 0)
			return -1;           /* close_notify or an error: close */
		s->inlen += (size_t)r;
	}
	return 0;
}

int fake_tls_output(ssp_tls_t *t, fake_smtp_t *s, fake_buf_t *w)
{
	char buf[FAKE_TLS_OUT_CHUNK + 1024];
	size_t k = s->out.len < FAKE_TLS_OUT_CHUNK ? s->out.len : FAKE_TLS_OUT_CHUNK, got;

	if (k > 0 && ssp_tls_done(t)) {
		if (ssp_tls_write(t, s->out.data, k) != (ssize_t)k)
			return -1;
		memmove(s->out.data, s->out.data + k, s->out.len - k);
		s->out.len -= k;
	}
	while ((got = ssp_tls_take(t, buf, sizeof(buf))) > 0)
		if (fake_buf_append(w, buf, got) != 0)
			return -1;
	return 0;
}
