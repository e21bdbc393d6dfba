/*
 * test_tls.c - the TLS engine over memory (tls.h): a client and a server in
 * one process, bytes moved between them by hand.
 *
 * The server certificates are made in memory (self_signed); the CA files
 * of the verification tests are those certificates written to a temporary
 * directory with ssp_tls_ctx_write_cert().
 */
#include "tests.h"

#include "../limits.h"
#include "../tls.h"
#include "../tlsopt.h"
#include "../buf.h"
#include "../profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rounds of moving bytes before a handshake is declared stuck. */
#define ROUNDS_MAX 1000

static const char junk_reply[] = "220 fake.test ESMTP not TLS at all\r\n"
				  "250-this is plaintext where a ServerHello belongs\r\n";

/* server_ctx - a server context with a fresh certificate for name. */
static ssp_tls_ctx_t *server_ctx(const char *name)
{
	ssp_tls_config_t cfg = { .server = 1, .self_signed = name };
	char err[SSP_TLS_ERROR_MAX];
	ssp_tls_ctx_t *c = ssp_tls_ctx_new(&cfg, err, sizeof(err));

	CHECKF(c != NULL, "server context: %s", err);
	return c;
}

/* client_ctx - a client context, verifying against ca_file when given. */
static ssp_tls_ctx_t *client_ctx(const char *ca_file)
{
	ssp_tls_config_t cfg = { .server = 0, .verify = ca_file != NULL, .ca_file = ca_file };
	char err[SSP_TLS_ERROR_MAX];
	ssp_tls_ctx_t *c = ssp_tls_ctx_new(&cfg, err, sizeof(err));

	CHECKF(c != NULL, "client context: %s", err);
	return c;
}

/* move - take the ciphertext from `from` and feed it to `to` in pieces of
 * piece octets (0: all at once): the octets moved, or -1 if feeding failed. */
static long move(ssp_tls_t *from, ssp_tls_t *to, size_t piece)
{
	static char buf[SSP_TLS_BUFFER_MAX];
	size_t n = ssp_tls_take(from, buf, sizeof(buf)), off = 0;

	while (off < n) {
		size_t k = piece == 0 || n - off < piece ? n - off : piece;

		if (ssp_tls_feed(to, buf + off, k) != 0)
			return -1;
		off += k;
	}
	return (long)n;
}

/* handshake - run both sides until both are done or one fails (pieces of
 * piece octets): SSP_TLS_DONE, or the failing side's result. */
static int handshake(ssp_tls_t *c, ssp_tls_t *s, size_t piece)
{
	int rc_c = SSP_TLS_AGAIN, rc_s = SSP_TLS_AGAIN, i;

	for (i = 0; i < ROUNDS_MAX; i++) {
		rc_c = ssp_tls_handshake(c);
		if (move(c, s, piece) < 0)
			return SSP_TLS_ERROR;
		rc_s = ssp_tls_handshake(s);
		if (move(s, c, piece) < 0)
			return SSP_TLS_ERROR;
		if (rc_c == SSP_TLS_ERROR || rc_s == SSP_TLS_ERROR)
			return SSP_TLS_ERROR;
		if (rc_c == SSP_TLS_DONE && rc_s == SSP_TLS_DONE)
			return SSP_TLS_DONE;
	}
	return SSP_TLS_AGAIN;
}

/* pair - a connected client and server (SNI sni); 0 or -1. */
static int pair(ssp_tls_ctx_t *cc, ssp_tls_ctx_t *sc, const char *sni, ssp_tls_t **c, ssp_tls_t **s)
{
	char err[SSP_TLS_ERROR_MAX];

	*c = ssp_tls_new(cc, sni, err, sizeof(err));
	CHECKF(*c != NULL, "client: %s", err);
	*s = ssp_tls_new(sc, NULL, err, sizeof(err));
	CHECKF(*s != NULL, "server: %s", err);
	return *c && *s ? 0 : -1;
}

static void test_handshake(void)
{
	ssp_tls_ctx_t *sc = server_ctx("fake.test"), *cc = client_ctx(NULL);
	ssp_tls_t *c = NULL, *s = NULL;
	char subject[256];
	int rc;

	if (sc == NULL || cc == NULL || pair(cc, sc, "mx.fake.test", &c, &s) != 0)
		goto out;
	CU_ASSERT_FALSE(ssp_tls_done(c));
	/* nothing is sent before the handshake is driven */
	CU_ASSERT_EQUAL(ssp_tls_pending(c), 0);
	rc = handshake(c, s, 0);
	CHECKF(rc == SSP_TLS_DONE, "handshake: %d client \"%s\" server \"%s\"", rc, ssp_tls_error(c),
	       ssp_tls_error(s));
	CU_ASSERT_TRUE(ssp_tls_done(c));
	CU_ASSERT_TRUE(ssp_tls_done(s));
	CU_ASSERT_STRING_EQUAL(ssp_tls_error(c), "");
	CHECKF(strncmp(ssp_tls_version(c), "TLSv1.", 6) == 0, "version %s", ssp_tls_version(c));
	CU_ASSERT_STRING_EQUAL(ssp_tls_version(c), ssp_tls_version(s));
	CU_ASSERT_STRING_EQUAL(ssp_tls_cipher(c), ssp_tls_cipher(s));
	CHECKF(strcmp(ssp_tls_cipher(c), "(none)") != 0, "cipher %s", ssp_tls_cipher(c));
	CU_ASSERT_EQUAL(ssp_tls_peer_subject(c, subject, sizeof(subject)), 0);
	CU_ASSERT_STRING_EQUAL(subject, "CN=fake.test");
	/* the client sent no certificate */
	CU_ASSERT_EQUAL(ssp_tls_peer_subject(s, subject, sizeof(subject)), -1);
	CU_ASSERT_STRING_EQUAL(subject, "");
	/* a subject cut to the buffer, still terminated */
	CU_ASSERT_EQUAL(ssp_tls_peer_subject(c, subject, 5), 0);
	CU_ASSERT_STRING_EQUAL(subject, "CN=f");
	/* SNI as the server saw it */
	CHECKF(ssp_tls_sni(s) != NULL && strcmp(ssp_tls_sni(s), "mx.fake.test") == 0, "sni %s",
	       ssp_tls_sni(s) ? ssp_tls_sni(s) : "(null)");
	CU_ASSERT_STRING_EQUAL(ssp_tls_verified(c), "not verified");
out:
	ssp_tls_free(c);
	ssp_tls_free(s);
	ssp_tls_ctx_free(cc);
	ssp_tls_ctx_free(sc);
}

static void test_no_sni(void)
{
	ssp_tls_ctx_t *sc = server_ctx("fake.test"), *cc = client_ctx(NULL);
	ssp_tls_t *c = NULL, *s = NULL;

	if (sc == NULL || cc == NULL || pair(cc, sc, NULL, &c, &s) != 0)
		goto out;
	CU_ASSERT_EQUAL(handshake(c, s, 1), SSP_TLS_DONE);   /* one octet at a time */
	CU_ASSERT_PTR_NULL(ssp_tls_sni(s));
out:
	ssp_tls_free(c);
	ssp_tls_free(s);
	ssp_tls_ctx_free(cc);
	ssp_tls_ctx_free(sc);
}

/* transfer - send n octets of a pattern from a to b, written in chunks of
 * wchunk, moved in pieces of piece, read in chunks of rchunk; 0 when b
 * received exactly the pattern. */
static int transfer(ssp_tls_t *a, ssp_tls_t *b, size_t n, size_t wchunk, size_t piece, size_t rchunk)
{
	char *src = malloc(n), *dst = malloc(n);
	size_t sent = 0, got = 0, i;
	int rounds = 0, ok = -1;

	if (src == NULL || dst == NULL)
		goto out;
	for (i = 0; i < n; i++)
		src[i] = (char)(i * 7 + i / 251);
	while (got < n && rounds++ < 100000) {
		if (sent < n) {
			size_t k = n - sent < wchunk ? n - sent : wchunk;
			ssize_t w = ssp_tls_write(a, src + sent, k);

			CHECKF(w == (ssize_t)k, "write %zu: %zd %s", k, w, ssp_tls_error(a));
			if (w != (ssize_t)k)
				goto out;
			sent += k;
		}
		if (move(a, b, piece) < 0)
			goto out;
		for (;;) {
			size_t want = n - got < rchunk ? n - got : rchunk;
			ssize_t r = want ? ssp_tls_read(b, dst + got, want) : 0;

			if (r <= 0) {
				CHECKF(r == SSP_TLS_AGAIN, "read: %zd %s", r, ssp_tls_error(b));
				if (r != SSP_TLS_AGAIN)
					goto out;
				break;
			}
			got += (size_t)r;
		}
		if (move(b, a, piece) < 0)    /* anything b says back (tickets) */
			goto out;
	}
	ok = got == n && memcmp(src, dst, n) == 0 ? 0 : -1;
out:
	free(src);
	free(dst);
	return ok;
}

static void test_data_both_ways(void)
{
	ssp_tls_ctx_t *sc = server_ctx("fake.test"), *cc = client_ctx(NULL);
	ssp_tls_t *c = NULL, *s = NULL;

	if (sc == NULL || cc == NULL || pair(cc, sc, "fake.test", &c, &s) != 0)
		goto out;
	if (handshake(c, s, 7) != SSP_TLS_DONE) {
		CU_FAIL("handshake");
		goto out;
	}
	/* odd sizes everywhere: writes, transport pieces, reads */
	CU_ASSERT_EQUAL(transfer(c, s, 100003, 7777, 13, 5), 0);
	CU_ASSERT_EQUAL(transfer(s, c, 65537, 16385, 1001, 333), 0);
	CU_ASSERT_EQUAL(transfer(c, s, 1, 1, 1, 1), 0);
	CU_ASSERT_EQUAL(transfer(s, c, 3, 3, 0, 4096), 0);
	/* a write of nothing is nothing */
	CU_ASSERT_EQUAL(ssp_tls_write(c, "", 0), 0);
	/* close_notify: the other side reads an end of TLS */
	ssp_tls_close_notify(c);
	CU_ASSERT(move(c, s, 0) > 0);
	{
		char b[16];
		CU_ASSERT_EQUAL(ssp_tls_read(s, b, sizeof(b)), SSP_TLS_EOF);
	}
out:
	ssp_tls_free(c);
	ssp_tls_free(s);
	ssp_tls_ctx_free(cc);
	ssp_tls_ctx_free(sc);
}

static void test_junk(void)
{
	ssp_tls_ctx_t *sc = server_ctx("fake.test"), *cc = client_ctx(NULL);
	char err[SSP_TLS_ERROR_MAX], buf[64];
	ssp_tls_t *c = NULL, *s = NULL;
	int rc;

	if (sc == NULL || cc == NULL)
		goto out;
	/* the client gets plaintext SMTP where a ServerHello belongs */
	c = ssp_tls_new(cc, "fake.test", err, sizeof(err));
	if (c == NULL) {
		CU_FAIL(err);
		goto out;
	}
	CU_ASSERT_EQUAL(ssp_tls_handshake(c), SSP_TLS_AGAIN);
	CU_ASSERT(ssp_tls_pending(c) > 0);      /* the ClientHello */
	CU_ASSERT(ssp_tls_take(c, buf, sizeof(buf)) > 0);
	CU_ASSERT_EQUAL(ssp_tls_feed(c, junk_reply, sizeof(junk_reply) - 1), 0);
	rc = ssp_tls_handshake(c);
	CU_ASSERT_EQUAL(rc, SSP_TLS_ERROR);
	CHECKF(strncmp(ssp_tls_error(c), "TLS handshake failed: error:", 28) == 0, "error \"%s\"",
	       ssp_tls_error(c));
	/* it stays failed, with the first reason */
	strcpy(err, ssp_tls_error(c));
	CU_ASSERT_EQUAL(ssp_tls_handshake(c), SSP_TLS_ERROR);
	CU_ASSERT_EQUAL(ssp_tls_read(c, buf, sizeof(buf)), SSP_TLS_ERROR);
	CU_ASSERT_EQUAL(ssp_tls_feed(c, "x", 1), -1);
	CU_ASSERT_STRING_EQUAL(ssp_tls_error(c), err);

	/* the server gets a plaintext command where a ClientHello belongs */
	s = ssp_tls_new(sc, NULL, err, sizeof(err));
	if (s == NULL) {
		CU_FAIL(err);
		goto out;
	}
	CU_ASSERT_EQUAL(ssp_tls_feed(s, "EHLO client.test\r\n", 18), 0);
	CU_ASSERT_EQUAL(ssp_tls_handshake(s), SSP_TLS_ERROR);
	CHECKF(strstr(ssp_tls_error(s), "TLS handshake failed: error:") == ssp_tls_error(s),
	       "error \"%s\"", ssp_tls_error(s));
	/* a write before the handshake is refused */
	CU_ASSERT_EQUAL(ssp_tls_write(s, "x", 1), SSP_TLS_ERROR);
out:
	ssp_tls_free(c);
	ssp_tls_free(s);
	ssp_tls_ctx_free(cc);
	ssp_tls_ctx_free(sc);
}

static void test_partial_handshake(void)
{
	ssp_tls_ctx_t *cc = client_ctx(NULL);
	char err[SSP_TLS_ERROR_MAX];
	ssp_tls_t *c = NULL;

	if (cc == NULL)
		goto out;
	c = ssp_tls_new(cc, NULL, err, sizeof(err));
	if (c == NULL) {
		CU_FAIL(err);
		goto out;
	}
	/* half a TLS record header: the handshake waits, it does not fail */
	CU_ASSERT_EQUAL(ssp_tls_handshake(c), SSP_TLS_AGAIN);
	CU_ASSERT_EQUAL(ssp_tls_feed(c, "\x16\x03", 2), 0);
	CU_ASSERT_EQUAL(ssp_tls_handshake(c), SSP_TLS_AGAIN);
	CU_ASSERT_STRING_EQUAL(ssp_tls_error(c), "");
out:
	ssp_tls_free(c);
	ssp_tls_ctx_free(cc);
}

static void test_bounds(void)
{
	ssp_tls_ctx_t *cc = client_ctx(NULL);
	char err[SSP_TLS_ERROR_MAX];
	static char big[SSP_TLS_BUFFER_MAX];
	ssp_tls_t *c = NULL;

	if (cc == NULL)
		goto out;
	c = ssp_tls_new(cc, NULL, err, sizeof(err));
	if (c == NULL) {
		CU_FAIL(err);
		goto out;
	}
	memset(big, 0x16, sizeof(big));
	CU_ASSERT_EQUAL(ssp_tls_feed(c, big, sizeof(big) - 1), 0);
	CU_ASSERT_EQUAL(ssp_tls_feed(c, big, 2), -1);
	CHECKF(strstr(ssp_tls_error(c), "not processed") != NULL, "error \"%s\"", ssp_tls_error(c));
	CU_ASSERT_EQUAL(ssp_tls_handshake(c), SSP_TLS_ERROR);
	ssp_tls_free(c);
	/* a server name too long or empty */
	memset(big, 'a', SSP_DOMAIN_MAX);
	big[SSP_DOMAIN_MAX] = '\0';
	CU_ASSERT_PTR_NULL(ssp_tls_new(cc, big, err, sizeof(err)));
	CHECKF(strstr(err, "server name") != NULL, "error \"%s\"", err);
	CU_ASSERT_PTR_NULL(ssp_tls_new(cc, "", err, sizeof(err)));
out:
	ssp_tls_ctx_free(cc);
}

/* verify_with - a handshake of a client verifying with ca_file and sending
 * sni against a server for name: the client's result, its error in err. */
static int verify_with(ssp_tls_ctx_t *sc, const char *ca_file, const char *sni, char *err, size_t n)
{
	ssp_tls_ctx_t *cc = client_ctx(ca_file);
	ssp_tls_t *c = NULL, *s = NULL;
	int rc = -99;

	if (cc == NULL || pair(cc, sc, sni, &c, &s) != 0)
		goto out;
	rc = handshake(c, s, 0);
	snprintf(err, n, "%s", ssp_tls_error(c));
	if (rc == SSP_TLS_DONE)
		CU_ASSERT_STRING_EQUAL(ssp_tls_verified(c), "ok");
out:
	ssp_tls_free(c);
	ssp_tls_free(s);
	ssp_tls_ctx_free(cc);
	return rc;
}

static void test_verify(void)
{
	ssp_tls_ctx_t *sc = server_ctx("fake.test"), *other = server_ctx("other.test");
	char *dir = tests_mkdtemp(), right[512], wrong[512], err[SSP_TLS_ERROR_MAX];
	int rc;

	if (sc == NULL || other == NULL || dir == NULL) {
		CU_FAIL("setup");
		goto out;
	}
	snprintf(right, sizeof(right), "%s/right.pem", dir);
	snprintf(wrong, sizeof(wrong), "%s/wrong.pem", dir);
	CHECKF(ssp_tls_ctx_write_cert(sc, right, err, sizeof(err)) == 0, "%s", err);
	CHECKF(ssp_tls_ctx_write_cert(other, wrong, err, sizeof(err)) == 0, "%s", err);

	/* the server's own certificate as the CA, the right name: verified */
	rc = verify_with(sc, right, "fake.test", err, sizeof(err));
	CHECKF(rc == SSP_TLS_DONE, "right CA: %d %s", rc, err);
	/* another certificate as the CA: refused, and the error says why */
	rc = verify_with(sc, wrong, "fake.test", err, sizeof(err));
	CU_ASSERT_EQUAL(rc, SSP_TLS_ERROR);
	CHECKF(strstr(err, "certificate verification") != NULL, "wrong CA: \"%s\"", err);
	/* the right CA but another name: refused */
	rc = verify_with(sc, right, "mx.other.test", err, sizeof(err));
	CU_ASSERT_EQUAL(rc, SSP_TLS_ERROR);
	CHECKF(strstr(err, "hostname mismatch") != NULL, "wrong name: \"%s\"", err);
out:
	if (dir != NULL)
		tests_rmtree(dir);
	free(dir);
	ssp_tls_ctx_free(sc);
	ssp_tls_ctx_free(other);
}

/* self_signed_files - a self-signed EC certificate for /CN=cn and its key,
 * made by the openssl command-line tool into dir/cn.pem and dir/cn.key: 0 or -1. */
static int self_signed_files(const char *dir, const char *cn)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj '/CN=%s' "
		 "-keyout '%s/%s.key' -out '%s/%s.pem' >/dev/null 2>&1",
		 cn, dir, cn, dir, cn);
	return system(cmd) == 0 ? 0 : -1;
}

/* client_cert_handshake - a handshake of a client offering cert/key (NULL:
 * none) with a server requiring a client certificate signed by ca: the
 * result; the server's error and the subject it saw go to err and subject. */
static int client_cert_handshake(const char *ca, const char *cert, const char *key, char *err, char *subject,
				 ssp_tls_info_t *info)
{
	ssp_tls_config_t scfg = { .server = 1, .self_signed = "fake.test", .verify = 1, .ca_file = ca };
	ssp_tls_config_t ccfg = { .server = 0, .cert_file = cert, .key_file = key };
	char e[SSP_TLS_ERROR_MAX];
	ssp_tls_ctx_t *sc = ssp_tls_ctx_new(&scfg, e, sizeof(e)), *cc;
	ssp_tls_t *c = NULL, *s = NULL;
	char buf[64];
	int rc = -99, i;

	CHECKF(sc != NULL, "server context: %s", e);
	cc = ssp_tls_ctx_new(&ccfg, e, sizeof(e));
	CHECKF(cc != NULL, "client context: %s", e);
	if (sc == NULL || cc == NULL || pair(cc, sc, NULL, &c, &s) != 0)
		goto out;
	rc = handshake(c, s, 0);
	/* TLS 1.3: the server judges the client's certificate after the
	 * client is done; its alert reaches the client on the next read */
	for (i = 0; i < 4 && rc == SSP_TLS_DONE; i++) {
		ssp_tls_read(s, buf, sizeof(buf));
		move(s, c, 0);
		ssp_tls_read(c, buf, sizeof(buf));
		move(c, s, 0);
	}
	if (rc == SSP_TLS_DONE && ssp_tls_error(s)[0] != '\0')
		rc = SSP_TLS_ERROR;
	snprintf(err, SSP_TLS_ERROR_MAX, "%s", ssp_tls_error(s));
	if (ssp_tls_peer_subject(s, subject, SSP_TLS_SUBJECT_MAX) != 0)
		subject[0] = '\0';
	if (ssp_tls_done(c))
		ssp_tls_info(c, info);
out:
	ssp_tls_free(c);
	ssp_tls_free(s);
	ssp_tls_ctx_free(cc);
	ssp_tls_ctx_free(sc);
	return rc;
}

/* a server that requires client certificates: none, the right one, another CA's */
static void test_client_certificate(void)
{
	char *dir = tests_mkdtemp(), ca[512], ck[512], other[512], ok[512], err[SSP_TLS_ERROR_MAX];
	char subject[SSP_TLS_SUBJECT_MAX];
	ssp_tls_config_t cfg = { .server = 1, .self_signed = "fake.test", .verify = 1 };
	ssp_tls_info_t info;
	int rc;

	if (dir == NULL || self_signed_files(dir, "client.test") != 0 || self_signed_files(dir, "other.test") != 0) {
		CU_FAIL("setup: openssl req");
		goto out;
	}
	snprintf(ca, sizeof(ca), "%s/client.test.pem", dir);
	snprintf(ck, sizeof(ck), "%s/client.test.key", dir);
	snprintf(other, sizeof(other), "%s/other.test.pem", dir);
	snprintf(ok, sizeof(ok), "%s/other.test.key", dir);
	/* a server that requires client certificates needs the CA that signs them */
	CU_ASSERT_PTR_NULL(ssp_tls_ctx_new(&cfg, err, sizeof(err)));
	CHECKF(strstr(err, "needs the CA file") != NULL, "\"%s\"", err);
	/* no client certificate: refused, and the server says why */
	memset(&info, 0, sizeof(info));
	rc = client_cert_handshake(ca, NULL, NULL, err, subject, &info);
	CU_ASSERT_EQUAL(rc, SSP_TLS_ERROR);
	CHECKF(strstr(err, "did not return a certificate") != NULL, "no certificate: \"%s\"", err);
	/* the certificate the server trusts: it reaches the server */
	memset(&info, 0, sizeof(info));
	rc = client_cert_handshake(ca, ca, ck, err, subject, &info);
	CHECKF(rc == SSP_TLS_DONE, "right certificate: %d \"%s\"", rc, err);
	CU_ASSERT_STRING_EQUAL(subject, "CN=client.test");
	/* what the client learned, for the reports */
	CU_ASSERT_TRUE(info.have);
	CHECKF(strncmp(info.protocol, "TLSv1.", 6) == 0, "protocol %s", info.protocol);
	CHECKF(info.cipher[0] != '\0' && strcmp(info.cipher, "(none)") != 0, "cipher %s", info.cipher);
	CU_ASSERT_STRING_EQUAL(info.subject, "CN=fake.test");
	CU_ASSERT_EQUAL(info.verified, -1);
	/* a certificate of another CA: refused by verification */
	rc = client_cert_handshake(ca, other, ok, err, subject, &info);
	CU_ASSERT_EQUAL(rc, SSP_TLS_ERROR);
	CHECKF(strstr(err, "certificate verification") != NULL, "other CA: \"%s\"", err);
out:
	if (dir != NULL)
		tests_rmtree(dir);
	free(dir);
}

static void test_config_errors(void)
{
	char *dir = tests_mkdtemp(), path[512], err[SSP_TLS_ERROR_MAX];
	ssp_tls_config_t cfg = { 0 };
	ssp_tls_ctx_t *sc = server_ctx("fake.test");

	if (dir == NULL || sc == NULL) {
		CU_FAIL("setup");
		goto out;
	}
	/* a server without a certificate */
	cfg.server = 1;
	CU_ASSERT_PTR_NULL(ssp_tls_ctx_new(&cfg, err, sizeof(err)));
	CHECKF(strstr(err, "needs a certificate") != NULL, "\"%s\"", err);
	/* a key without its certificate */
	cfg.key_file = "/nonexistent/key.pem";
	CU_ASSERT_PTR_NULL(ssp_tls_ctx_new(&cfg, err, sizeof(err)));
	CHECKF(strstr(err, "needs its key") != NULL, "\"%s\"", err);
	/* files that do not exist: the error names them */
	cfg.cert_file = "/nonexistent/cert.pem";
	CU_ASSERT_PTR_NULL(ssp_tls_ctx_new(&cfg, err, sizeof(err)));
	CHECKF(strstr(err, "/nonexistent/cert.pem") != NULL, "\"%s\"", err);
	/* a certificate whose key is not a key */
	snprintf(path, sizeof(path), "%s/cert.pem", dir);
	CU_ASSERT_EQUAL(ssp_tls_ctx_write_cert(sc, path, err, sizeof(err)), 0);
	cfg.cert_file = path;
	cfg.key_file = path;
	CU_ASSERT_PTR_NULL(ssp_tls_ctx_new(&cfg, err, sizeof(err)));
	CHECKF(strstr(err, "cannot load the key") != NULL, "\"%s\"", err);
	/* a client CA file that does not exist */
	memset(&cfg, 0, sizeof(cfg));
	cfg.verify = 1;
	cfg.ca_file = "/nonexistent/ca.pem";
	CU_ASSERT_PTR_NULL(ssp_tls_ctx_new(&cfg, err, sizeof(err)));
	CHECKF(strstr(err, "CA file /nonexistent/ca.pem") != NULL, "\"%s\"", err);
	/* writing a certificate where it cannot be written */
	CU_ASSERT_EQUAL(ssp_tls_ctx_write_cert(sc, "/nonexistent/x.pem", err, sizeof(err)), -1);
	CHECKF(strstr(err, "/nonexistent/x.pem") != NULL, "\"%s\"", err);
out:
	if (dir != NULL)
		tests_rmtree(dir);
	free(dir);
	ssp_tls_ctx_free(sc);
}

void register_tls_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "handshake, version, cipher, subject, SNI", test_handshake },
		{ "handshake without SNI, one octet at a time", test_no_sni },
		{ "data both ways at odd sizes, close_notify", test_data_both_ways },
		{ "junk instead of a handshake", test_junk },
		{ "half a record waits", test_partial_handshake },
		{ "bounded buffers and names", test_bounds },
		{ "verification: right CA, wrong CA, wrong name", test_verify },
		{ "configuration errors", test_config_errors },
		{ "client certificates: required, offered, refused", test_client_certificate },
		{ NULL, NULL },
	};

	tests_add_suite("tls", tests);
}

/* ---- the command-line options (tlsopt.h) -------------------------------- */

static void test_options(void)
{
	ssp_tlsopt_t t = { 0 };
	char err[256], line[512];

	/* not a TLS option: nothing taken */
	CU_ASSERT_EQUAL(ssp_tlsopt_parse(&t, 'v', NULL, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(t.mode, SSP_TLS_MODE_NONE);
	ssp_tlsopt_describe(&t, line, sizeof(line));
	CHECKF(strstr(line, "not verified") != NULL, "%s", line);

	CU_ASSERT_EQUAL(ssp_tlsopt_parse(&t, SSP_TLSOPT_STARTTLS, NULL, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(t.mode, SSP_TLS_MODE_STARTTLS);
	/* --tls and --starttls exclude each other, in either order */
	CU_ASSERT_EQUAL(ssp_tlsopt_parse(&t, SSP_TLSOPT_TLS, NULL, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "--tls and --starttls exclude each other");
	t.mode = SSP_TLS_MODE_IMPLICIT;
	CU_ASSERT_EQUAL(ssp_tlsopt_parse(&t, SSP_TLSOPT_STARTTLS, NULL, err, sizeof(err)), -1);
	ssp_tlsopt_describe(&t, line, sizeof(line));
	CHECKF(strstr(line, "RFC 8314") != NULL, "%s", line);

	/* SNI: a host name, nothing else */
	CU_ASSERT_EQUAL(ssp_tlsopt_parse(&t, SSP_TLSOPT_SNI, "mx.example.org", err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(ssp_tlsopt_parse(&t, SSP_TLSOPT_SNI, "bad name", err, sizeof(err)), -1);
	CHECKF(strstr(err, "bad name") != NULL, "%s", err);
	CU_ASSERT_EQUAL(ssp_tlsopt_parse(&t, SSP_TLSOPT_SNI, "", err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(t.sni, "mx.example.org");
	CU_ASSERT_STRING_EQUAL(ssp_tlsopt_sni(&t, "127.0.0.1"), "mx.example.org");
	t.sni = NULL;
	/* without --sni: the target's host name, never an address */
	CU_ASSERT_STRING_EQUAL(ssp_tlsopt_sni(&t, "mail.example.org"), "mail.example.org");
	CU_ASSERT_PTR_NULL(ssp_tlsopt_sni(&t, "127.0.0.1"));
	CU_ASSERT_PTR_NULL(ssp_tlsopt_sni(&t, "::1"));
	CU_ASSERT_PTR_NULL(ssp_tlsopt_sni(&t, NULL));

	/* combinations */
	CU_ASSERT_EQUAL(ssp_tlsopt_check(&t, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(ssp_tlsopt_parse(&t, SSP_TLSOPT_CLIENT_KEY, "key.pem", err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(ssp_tlsopt_check(&t, err, sizeof(err)), -1);
	CHECKF(strstr(err, "go together") != NULL, "%s", err);
	CU_ASSERT_EQUAL(ssp_tlsopt_parse(&t, SSP_TLSOPT_CLIENT_CERT, "cert.pem", err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(ssp_tlsopt_check(&t, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(ssp_tlsopt_parse(&t, SSP_TLSOPT_CA_FILE, "ca.pem", err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(ssp_tlsopt_check(&t, err, sizeof(err)), -1);
	CHECKF(strstr(err, "--tls-verify") != NULL, "%s", err);
	CU_ASSERT_EQUAL(ssp_tlsopt_parse(&t, SSP_TLSOPT_VERIFY, NULL, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(ssp_tlsopt_check(&t, err, sizeof(err)), 0);
	ssp_tlsopt_describe(&t, line, sizeof(line));
	CHECKF(strstr(line, "verified against ca.pem") != NULL && strstr(line, "client certificate") != NULL,
	       "%s", line);
	/* files that do not exist: no context, and the reason names the file */
	CU_ASSERT_PTR_NULL(ssp_tlsopt_ctx(&t, err, sizeof(err)));
	CHECKF(strstr(err, "cert.pem") != NULL, "%s", err);
}

/* ---- the AUTH variables a profile provides (profile.c) ------------------ */

static void test_auth_vars(void)
{
	static const char good[] = "{ \"auth\": { \"user\": \"smtpspec\", \"password\": \"smtpspec-secret\" } }";
	ssp_profile_t p;
	ssp_diag_t diag;
	ssp_vars_t v;
	ssp_buf_t big;
	unsigned i;

	memset(&p, 0, sizeof(p));
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL_FATAL(ssp_profile_load_mem(&p, "p.json", good, sizeof(good) - 1, &diag), 0);
	ssp_vars_init(&v, NULL);
	CU_ASSERT_EQUAL(ssp_profile_vars(&p, "mx.example", "mx", &v), 0);
	/* RFC 4616 §2: NUL smtpspec NUL smtpspec-secret, in base64 */
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "auth_plain"), "AHNtdHBzcGVjAHNtdHBzcGVjLXNlY3JldA==");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "auth_user_b64"), "c210cHNwZWM=");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "auth_password_b64"), "c210cHNwZWMtc2VjcmV0");
	CU_ASSERT_TRUE(ssp_profile_known(&p, "auth_plain"));
	ssp_vars_free(&v);
	ssp_profile_free(&p);

	/* without credentials: empty user and password, PLAIN of two NULs */
	memset(&p, 0, sizeof(p));
	CU_ASSERT_EQUAL_FATAL(ssp_profile_load(&p, NULL, &diag), 0);
	ssp_vars_init(&v, NULL);
	CU_ASSERT_EQUAL(ssp_profile_vars(&p, NULL, "mx", &v), 0);
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "auth_plain"), "AAA=");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "auth_user_b64"), "");
	ssp_vars_free(&v);
	ssp_profile_free(&p);

	/* credentials whose base64 would not fit a variable: refused at load */
	ssp_buf_init(&big, 1 << 20);
	ssp_buf_append_str(&big, "{ \"auth\": { \"user\": \"");
	for (i = 0; i < 2000; i++)
		ssp_buf_append_str(&big, "u");
	ssp_buf_append_str(&big, "\", \"password\": \"");
	for (i = 0; i < 2000; i++)
		ssp_buf_append_str(&big, "p");
	ssp_buf_append_str(&big, "\" } }");
	memset(&p, 0, sizeof(p));
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL(ssp_profile_load_mem(&p, "big.json", big.data, big.len, &diag), -1);
	CHECKF(strstr(diag.text, "user and password together") != NULL && diag.line == 1, "%d: %s", diag.line,
	       diag.text);
	ssp_profile_free(&p);
	ssp_buf_free(&big);
}

void register_tlsopt_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "options, combinations, SNI default", test_options },
		{ "AUTH variables from the profile", test_auth_vars },
		{ NULL, NULL },
	};

	tests_add_suite("tlsopt", tests);
}
