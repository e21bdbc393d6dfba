/*
 * tls.c - the TLS engine over memory BIOs (OpenSSL 3).
 *
 * Each connection is an SSL with two memory BIOs: rbio holds ciphertext
 * received and not yet processed, wbio ciphertext produced and not yet
 * taken.  An empty rbio reads as "retry" (BIO_set_mem_eof_return), so
 * OpenSSL never blocks and never sees an end of file it did not get: the
 * owner reports the TCP close itself.  RFC 8446 and RFC 5246 are OpenSSL's
 * business; this file only moves bytes, keeps them bounded and turns
 * OpenSSL's error queue into one sentence.
 */
#include "tls.h"

#include "limits.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ssp_tls_ctx_s {
	SSL_CTX *ctx;
	int server;
	int verify;
};

struct ssp_tls_s {
	SSL *ssl;
	BIO *rbio;                      /* ciphertext in (owned by ssl) */
	BIO *wbio;                      /* ciphertext out (owned by ssl) */
	int verify;
	int done;                       /* handshake complete */
	int failed;                     /* a fatal error happened */
	char err[SSP_TLS_ERROR_MAX];
};

/* errorf - printf into err[0..size) (NULL or 0: nothing). */
static void errorf(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void errorf(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || size == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
}

/* ssl_reason - OpenSSL's first queued error as text into buf (the queue
 * is emptied); "no further detail" when the queue is empty. */
static const char *ssl_reason(char *buf, size_t n)
{
	unsigned long e = ERR_get_error();

	if (e == 0)
		snprintf(buf, n, "no further detail from OpenSSL");
	else
		ERR_error_string_n(e, buf, n);
	ERR_clear_error();
	return buf;
}

/* ---- a self-signed certificate in memory -------------------------------- */

/* self_signed - an EC P-256 key and a certificate for name (CN and
 * subjectAltName), valid from an hour ago for ten years, into ctx: 0 or -1. */
static int self_signed(SSL_CTX *ctx, const char *name, char *err, size_t errsize)
{
	char why[SSP_TLS_ERROR_MAX], san[SSP_DOMAIN_MAX + 8];
	EVP_PKEY *key = NULL;
	X509 *crt = NULL;
	X509_NAME *subj;
	X509_EXTENSION *ext = NULL;
	X509V3_CTX v3;
	unsigned char serial[8];
	BIGNUM *bn = NULL;
	int rc = -1;

	if (strlen(name) >= SSP_DOMAIN_MAX) {
		errorf(err, errsize, "TLS: the self-signed certificate's name is over %d octets",
		       SSP_DOMAIN_MAX - 1);
		return -1;
	}
	snprintf(san, sizeof(san), "DNS:%s", name);
	key = EVP_EC_gen("P-256");
	crt = X509_new();
	if (key == NULL || crt == NULL || RAND_bytes(serial, sizeof(serial)) != 1)
		goto fail;
	serial[0] &= 0x7f;               /* a positive serial number */
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	if (bn == NULL || X509_set_version(crt, 2) != 1 ||
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(crt)) == NULL ||
	    X509_gmtime_adj(X509_getm_notBefore(crt), -3600) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(crt), 10L * 365 * 24 * 3600) == NULL ||
	    X509_set_pubkey(crt, key) != 1)
		goto fail;
	subj = X509_get_subject_name(crt);
	if (X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_UTF8, (const unsigned char *)name, -1, -1, 0) != 1 ||
	    X509_set_issuer_name(crt, subj) != 1)
		goto fail;
	X509V3_set_ctx(&v3, crt, crt, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, san);
	if (ext == NULL || X509_add_ext(crt, ext, -1) != 1)
		goto fail;
	if (X509_sign(crt, key, EVP_sha256()) <= 0 || SSL_CTX_use_certificate(ctx, crt) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, key) != 1)
		goto fail;
	rc = 0;
	goto done;
fail:
	errorf(err, errsize, "TLS: cannot make a self-signed certificate: %s", ssl_reason(why, sizeof(why)));
done:
	X509_EXTENSION_free(ext);
	BN_free(bn);
	X509_free(crt);
	EVP_PKEY_free(key);
	return rc;
}

/* ---- contexts ----------------------------------------------------------- */

/* load_pair - the certificate chain and key files into ctx: 0 or -1. */
static int load_pair(SSL_CTX *ctx, const char *cert, const char *key, char *err, size_t errsize)
{
	char why[SSP_TLS_ERROR_MAX];

	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		errorf(err, errsize, "TLS: cannot load the certificate %s: %s", cert, ssl_reason(why, sizeof(why)));
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		errorf(err, errsize, "TLS: cannot load the key %s: %s", key, ssl_reason(why, sizeof(why)));
		return -1;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		errorf(err, errsize, "TLS: the key %s does not match the certificate %s: %s", key, cert,
		       ssl_reason(why, sizeof(why)));
		return -1;
	}
	return 0;
}

/* client_cas - a server asks for a client certificate and requires one
 * signed by a CA of ca_file (named in its CertificateRequest): 0 or -1. */
static int client_cas(SSL_CTX *ctx, const char *ca_file, char *err, size_t errsize)
{
	char why[SSP_TLS_ERROR_MAX];
	STACK_OF(X509_NAME) *names;

	if (ca_file == NULL) {
		errorf(err, errsize, "TLS: a server that requires client certificates needs the CA file that signs them");
		return -1;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	names = SSL_load_client_CA_file(ca_file);
	if (names == NULL || SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1) {
		sk_X509_NAME_pop_free(names, X509_NAME_free);
		errorf(err, errsize, "TLS: cannot load the client CA file %s: %s", ca_file, ssl_reason(why, sizeof(why)));
		return -1;
	}
	SSL_CTX_set_client_CA_list(ctx, names);   /* ctx owns names now */
	return 0;
}

ssp_tls_ctx_t *ssp_tls_ctx_new(const ssp_tls_config_t *cfg, char *err, size_t errsize)
{
	char why[SSP_TLS_ERROR_MAX];
	ssp_tls_ctx_t *c;

	errorf(err, errsize, "%s", "");
	if ((cfg->cert_file == NULL) != (cfg->key_file == NULL)) {
		errorf(err, errsize, "TLS: a certificate needs its key and a key its certificate");
		return NULL;
	}
	if (cfg->server && cfg->cert_file == NULL && cfg->self_signed == NULL) {
		errorf(err, errsize, "TLS: a server needs a certificate");
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		errorf(err, errsize, "TLS: out of memory");
		return NULL;
	}
	c->server = cfg->server;
	c->verify = cfg->verify;
	ERR_clear_error();
	c->ctx = SSL_CTX_new(cfg->server ? TLS_server_method() : TLS_client_method());
	if (c->ctx == NULL) {
		errorf(err, errsize, "TLS: cannot create a context: %s", ssl_reason(why, sizeof(why)));
		free(c);
		return NULL;
	}
	SSL_CTX_set_mode(c->ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (cfg->cert_file != NULL) {
		if (load_pair(c->ctx, cfg->cert_file, cfg->key_file, err, errsize) != 0)
			goto fail;
	} else if (cfg->server && self_signed(c->ctx, cfg->self_signed, err, errsize) != 0) {
		goto fail;
	}
	if (c->verify && cfg->server) {
		if (client_cas(c->ctx, cfg->ca_file, err, errsize) != 0)
			goto fail;
	} else if (c->verify) {
		SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
		if (cfg->ca_file != NULL ? SSL_CTX_load_verify_locations(c->ctx, cfg->ca_file, NULL) != 1
					 : SSL_CTX_set_default_verify_paths(c->ctx) != 1) {
			errorf(err, errsize, "TLS: cannot load the CA file %s: %s",
			       cfg->ca_file ? cfg->ca_file : "(system default)", ssl_reason(why, sizeof(why)));
			goto fail;
		}
	} else {
		SSL_CTX_set_verify(c->ctx, SSL_VERIFY_NONE, NULL);
	}
	return c;
fail:
	SSL_CTX_free(c->ctx);
	free(c);
	return NULL;
}

void ssp_tls_ctx_free(ssp_tls_ctx_t *ctx)
{
	if (ctx == NULL)
		return;
	SSL_CTX_free(ctx->ctx);
	free(ctx);
}

int ssp_tls_ctx_write_cert(const ssp_tls_ctx_t *ctx, const char *path, char *err, size_t errsize)
{
	char why[SSP_TLS_ERROR_MAX];
	X509 *crt = SSL_CTX_get0_certificate(ctx->ctx);
	BIO *f;
	int ok;

	if (crt == NULL) {
		errorf(err, errsize, "TLS: the context has no certificate");
		return -1;
	}
	f = BIO_new_file(path, "w");
	if (f == NULL) {
		errorf(err, errsize, "TLS: cannot write %s: %s", path, ssl_reason(why, sizeof(why)));
		return -1;
	}
	ok = PEM_write_bio_X509(f, crt) == 1;
	if (BIO_free(f) != 1)
		ok = 0;
	if (!ok) {
		errorf(err, errsize, "TLS: cannot write %s: %s", path, ssl_reason(why, sizeof(why)));
		return -1;
	}
	return 0;
}

/* ---- connections -------------------------------------------------------- */

ssp_tls_t *ssp_tls_new(ssp_tls_ctx_t *ctx, const char *sni, char *err, size_t errsize)
{
	char why[SSP_TLS_ERROR_MAX];
	ssp_tls_t *t;

	errorf(err, errsize, "%s", "");
	if (sni != NULL && (sni[0] == '\0' || strlen(sni) >= SSP_DOMAIN_MAX)) {
		errorf(err, errsize, "TLS: the server name must have 1 to %d octets", SSP_DOMAIN_MAX - 1);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		errorf(err, errsize, "TLS: out of memory");
		return NULL;
	}
	ERR_clear_error();
	t->verify = ctx->verify;
	t->ssl = SSL_new(ctx->ctx);
	t->rbio = BIO_new(BIO_s_mem());
	t->wbio = BIO_new(BIO_s_mem());
	if (t->ssl == NULL || t->rbio == NULL || t->wbio == NULL) {
		errorf(err, errsize, "TLS: cannot create a connection: %s", ssl_reason(why, sizeof(why)));
		SSL_free(t->ssl);
		BIO_free(t->rbio);
		BIO_free(t->wbio);
		free(t);
		return NULL;
	}
	BIO_set_mem_eof_return(t->rbio, -1);
	BIO_set_mem_eof_return(t->wbio, -1);
	SSL_set_bio(t->ssl, t->rbio, t->wbio);   /* ssl owns both now */
	if (ctx->server) {
		SSL_set_accept_state(t->ssl);
	} else {
		SSL_set_connect_state(t->ssl);
		if (sni != NULL && SSL_set_tlsext_host_name(t->ssl, sni) != 1)
			goto fail;
		if (sni != NULL && t->verify && SSL_set1_host(t->ssl, sni) != 1)
			goto fail;
	}
	return t;
fail:
	errorf(err, errsize, "TLS: cannot create a connection: %s", ssl_reason(why, sizeof(why)));
	SSL_free(t->ssl);                 /* and both BIOs */
	free(t);
	return NULL;
}

void ssp_tls_free(ssp_tls_t *t)
{
	if (t == NULL)
		return;
	SSL_free(t->ssl);
	free(t);
}

/* fatal - record why OpenSSL call `what` failed with rc: SSP_TLS_AGAIN
 * when it only wants more input, SSP_TLS_EOF on close_notify, else
 * SSP_TLS_ERROR with the reason (the first error of a session stays). */
static int fatal(ssp_tls_t *t, const char *what, int rc)
{
	char why[SSP_TLS_ERROR_MAX];
	long vr;
	int e = SSL_get_error(t->ssl, rc);

	switch (e) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return SSP_TLS_AGAIN;
	case SSL_ERROR_ZERO_RETURN:
		return SSP_TLS_EOF;
	default:
		break;
	}
	if (!t->failed) {
		vr = SSL_get_verify_result(t->ssl);
		if (t->verify && vr != X509_V_OK) {
			ERR_clear_error();
			errorf(t->err, sizeof(t->err), "%s failed: certificate verification: %s", what,
				 X509_verify_cert_error_string(vr));
		} else {
			errorf(t->err, sizeof(t->err), "%s failed: %s", what,
				 e == SSL_ERROR_SSL ? ssl_reason(why, sizeof(why))
						    : "the TLS layer gave up without a reason");
		}
	}
	ERR_clear_error();
	t->failed = 1;
	return SSP_TLS_ERROR;
}

int ssp_tls_feed(ssp_tls_t *t, const void *p, size_t n)
{
	if (t->failed)
		return -1;
	if (n > SSP_TLS_BUFFER_MAX - BIO_ctrl_pending(t->rbio)) {
		errorf(t->err, sizeof(t->err),
			 "TLS: more than " SSP_XSTR(SSP_TLS_BUFFER_MAX) " octets received and not processed");
		t->failed = 1;
		return -1;
	}
	if (n > 0 && BIO_write(t->rbio, p, (int)n) != (int)n) {
		errorf(t->err, sizeof(t->err), "TLS: out of memory");
		t->failed = 1;
		return -1;
	}
	return 0;
}

int ssp_tls_handshake(ssp_tls_t *t)
{
	int rc;

	if (t->failed)
		return SSP_TLS_ERROR;
	if (t->done)
		return SSP_TLS_DONE;
	ERR_clear_error();
	rc = SSL_do_handshake(t->ssl);
	if (rc == 1) {
		t->done = 1;
		return SSP_TLS_DONE;
	}
	rc = fatal(t, "TLS handshake", rc);
	return rc == SSP_TLS_EOF ? SSP_TLS_ERROR : rc;
}

ssize_t ssp_tls_read(ssp_tls_t *t, void *buf, size_t n)
{
	size_t got = 0;
	int rc;

	if (t->failed)
		return SSP_TLS_ERROR;
	if (!t->done) {
		rc = ssp_tls_handshake(t);
		if (rc != SSP_TLS_DONE)
			return rc;
	}
	if (n == 0)
		return SSP_TLS_AGAIN;
	ERR_clear_error();
	rc = SSL_read_ex(t->ssl, buf, n, &got);
	if (rc == 1)
		return (ssize_t)got;
	return fatal(t, "TLS read", rc);
}

ssize_t ssp_tls_write(ssp_tls_t *t, const void *p, size_t n)
{
	size_t put = 0;
	int rc;

	if (t->failed)
		return SSP_TLS_ERROR;
	if (!t->done) {
		errorf(t->err, sizeof(t->err), "TLS write failed: the handshake is not complete");
		return SSP_TLS_ERROR;
	}
	/* each record adds at most a header, a tag and padding: 256 octets */
	if (n > SSP_TLS_BUFFER_MAX - BIO_ctrl_pending(t->wbio) ||
	    (n / 16384 + 1) * 256 > SSP_TLS_BUFFER_MAX - BIO_ctrl_pending(t->wbio) - n) {
		errorf(t->err, sizeof(t->err),
			 "TLS write failed: more than " SSP_XSTR(SSP_TLS_BUFFER_MAX) " octets would wait to be sent");
		t->failed = 1;
		return SSP_TLS_ERROR;
	}
	if (n == 0)
		return 0;
	ERR_clear_error();
	rc = SSL_write_ex(t->ssl, p, n, &put);
	if (rc == 1 && put == n)
		return (ssize_t)n;
	rc = fatal(t, "TLS write", rc);
	if (rc != SSP_TLS_ERROR) {
		errorf(t->err, sizeof(t->err), "TLS write failed: the peer renegotiates");
		t->failed = 1;
	}
	return SSP_TLS_ERROR;
}

void ssp_tls_close_notify(ssp_tls_t *t)
{
	if (t->failed || !t->done)
		return;
	ERR_clear_error();
	SSL_shutdown(t->ssl);
	ERR_clear_error();
}

size_t ssp_tls_pending(const ssp_tls_t *t)
{
	return BIO_ctrl_pending(t->wbio);
}

size_t ssp_tls_take(ssp_tls_t *t, void *buf, size_t n)
{
	int got;

	if (n > (size_t)SSP_TLS_BUFFER_MAX)
		n = SSP_TLS_BUFFER_MAX;
	if (n == 0 || BIO_ctrl_pending(t->wbio) == 0)
		return 0;
	got = BIO_read(t->wbio, buf, (int)n);
	return got > 0 ? (size_t)got : 0;
}

const char *ssp_tls_error(const ssp_tls_t *t)
{
	return t->err;
}

int ssp_tls_done(const ssp_tls_t *t)
{
	return t->done;
}

const char *ssp_tls_version(const ssp_tls_t *t)
{
	return SSL_get_version(t->ssl);
}

const char *ssp_tls_cipher(const ssp_tls_t *t)
{
	const char *c = SSL_get_cipher_name(t->ssl);

	return c ? c : "(none)";
}

int ssp_tls_peer_subject(const ssp_tls_t *t, char *buf, size_t n)
{
	X509 *crt = SSL_get0_peer_certificate(t->ssl);
	BIO *m;
	int got;

	if (n == 0)
		return -1;
	buf[0] = '\0';
	if (crt == NULL)
		return -1;
	m = BIO_new(BIO_s_mem());
	if (m == NULL)
		return -1;
	/* RFC 2253 form; control and 8-bit octets are escaped (\XX) */
	if (X509_NAME_print_ex(m, X509_get_subject_name(crt), 0, XN_FLAG_RFC2253) < 0) {
		BIO_free(m);
		return -1;
	}
	got = BIO_read(m, buf, n - 1 > (size_t)INT_MAX ? INT_MAX : (int)(n - 1));
	buf[got > 0 ? got : 0] = '\0';
	BIO_free(m);
	return 0;
}

const char *ssp_tls_verified(const ssp_tls_t *t)
{
	long vr;

	if (!t->verify)
		return "not verified";
	vr = SSL_get_verify_result(t->ssl);
	return vr == X509_V_OK ? "ok" : X509_verify_cert_error_string(vr);
}

const char *ssp_tls_sni(const ssp_tls_t *t)
{
	return SSL_get_servername(t->ssl, TLSEXT_NAMETYPE_host_name);
}

void ssp_tls_info(const ssp_tls_t *t, ssp_tls_info_t *out)
{
	snprintf(out->protocol, sizeof(out->protocol), "%s", ssp_tls_version(t));
	snprintf(out->cipher, sizeof(out->cipher), "%s", ssp_tls_cipher(t));
	if (ssp_tls_peer_subject(t, out->subject, sizeof(out->subject)) != 0)
		out->subject[0] = '\0';
	out->verified = !t->verify ? -1 : SSL_get_verify_result(t->ssl) == X509_V_OK;
	out->have = 1;
}
