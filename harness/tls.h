/*
 * tls.h - a TLS engine over memory (OpenSSL with memory BIOs): no sockets,
 * no event loop, no blocking call.
 *
 * The owner moves bytes: ciphertext received from the peer goes in with
 * ssp_tls_feed(), ciphertext to send comes out with ssp_tls_take(); in
 * between, ssp_tls_handshake(), ssp_tls_read() and ssp_tls_write() turn it
 * into plaintext and back.  After any call the owner drains ssp_tls_take()
 * (a TLS 1.3 server writes its session tickets after the handshake, a read
 * may answer a key update).  Both roles: the harness is the client (RFC 3207
 * STARTTLS, RFC 8314 implicit TLS); fakesmtpd is the server.
 *
 * Buffers are bounded (SSP_TLS_BUFFER_MAX each way).  Every failure leaves
 * one sentence in ssp_tls_error(): OpenSSL's reason (ERR_error_string_n) and
 * the certificate verification result when that is what failed.
 */
#ifndef SSP_TLS_H
#define SSP_TLS_H

#include "limits.h"

#include <stddef.h>
#include <sys/types.h>

typedef struct ssp_tls_ctx_s ssp_tls_ctx_t;   /* shared settings (SSL_CTX) */
typedef struct ssp_tls_s ssp_tls_t;           /* one connection (SSL) */

/* What a context is made from; NULL strings mean "not given". */
typedef struct ssp_tls_config_s {
	int server;              /* 1: server role, 0: client role */
	int verify;              /* client: verify the server's certificate; server:
				  * require a client certificate signed by ca_file */
	const char *ca_file;     /* with verify: trusted CAs (client, NULL: the system's;
				  * server: required) */
	const char *cert_file;   /* server: its certificate (PEM); client: optional */
	const char *key_file;    /* the private key of cert_file (PEM) */
	const char *self_signed; /* server without cert_file: a fresh self-signed
				  * certificate for this name, made in memory */
} ssp_tls_config_t;

/* What the handshakes of a run showed, for the reports: bounded copies of
 * the first completed handshake (the server's strings are untrusted) and
 * the first TLS failure. */
typedef struct ssp_tls_info_s {
	int have;                            /* 1 once a handshake completed */
	char protocol[SSP_TLS_NAME_MAX];     /* "TLSv1.3" */
	char cipher[SSP_TLS_NAME_MAX];       /* "TLS_AES_256_GCM_SHA384" */
	char subject[SSP_TLS_SUBJECT_MAX];   /* the peer certificate (RFC 2253); "": none */
	int verified;                        /* 1: verified, 0: not; -1: verification off */
	char error[SSP_TLS_ERROR_MAX];       /* the first TLS failure; "": none */
} ssp_tls_info_t;

/* Results of ssp_tls_handshake(), ssp_tls_read() and ssp_tls_write(). */
enum {
	SSP_TLS_ERROR = -1,      /* failed: see ssp_tls_error(); the session is over */
	SSP_TLS_AGAIN = 0,       /* needs more ciphertext from the peer */
	SSP_TLS_DONE = 1,        /* handshake complete */
	SSP_TLS_EOF = -2,        /* read: the peer closed TLS (close_notify) */
};

/*
 * ssp_tls_ctx_new - a context for cfg, or NULL with the reason in
 * err[0..errsize) (a file that cannot be read, a key that does not match).
 */
ssp_tls_ctx_t *ssp_tls_ctx_new(const ssp_tls_config_t *cfg, char *err, size_t errsize);
/* ssp_tls_ctx_free - release a context (its connections keep their own reference). */
void ssp_tls_ctx_free(ssp_tls_ctx_t *ctx);
/* ssp_tls_ctx_write_cert - write the context's own certificate as PEM to
 * path: 0, or -1 with the reason in err. */
int ssp_tls_ctx_write_cert(const ssp_tls_ctx_t *ctx, const char *path, char *err, size_t errsize);

/*
 * ssp_tls_new - a connection in ctx's role; a client sends sni (NULL: no
 * SNI) and, with verify, checks that the certificate names it.  NULL with
 * the reason in err on failure.  Nothing is sent before ssp_tls_handshake().
 */
ssp_tls_t *ssp_tls_new(ssp_tls_ctx_t *ctx, const char *sni, char *err, size_t errsize);
/* ssp_tls_free - release a connection (sends nothing). */
void ssp_tls_free(ssp_tls_t *t);

/* ssp_tls_feed - n bytes of ciphertext from the peer: 0, or -1 when more
 * than SSP_TLS_BUFFER_MAX would wait unprocessed (the error is set). */
int ssp_tls_feed(ssp_tls_t *t, const void *p, size_t n);
/* ssp_tls_handshake - advance the handshake: SSP_TLS_DONE, SSP_TLS_AGAIN
 * or SSP_TLS_ERROR. */
int ssp_tls_handshake(ssp_tls_t *t);
/* ssp_tls_read - up to n bytes of plaintext into buf: the count (> 0),
 * SSP_TLS_AGAIN, SSP_TLS_EOF or SSP_TLS_ERROR.  Handshakes first if needed. */
ssize_t ssp_tls_read(ssp_tls_t *t, void *buf, size_t n);
/* ssp_tls_write - encrypt all of p[0..n) (after the handshake): n, or
 * SSP_TLS_ERROR (also when unsent ciphertext would pass SSP_TLS_BUFFER_MAX). */
ssize_t ssp_tls_write(ssp_tls_t *t, const void *p, size_t n);
/* ssp_tls_close_notify - queue a close_notify alert (take it to send it). */
void ssp_tls_close_notify(ssp_tls_t *t);

/* ssp_tls_pending - bytes of ciphertext waiting to be sent. */
size_t ssp_tls_pending(const ssp_tls_t *t);
/* ssp_tls_take - move up to n bytes of ciphertext to send into buf: the count. */
size_t ssp_tls_take(ssp_tls_t *t, void *buf, size_t n);

/* ssp_tls_error - why the last call failed ("" when nothing failed). */
const char *ssp_tls_error(const ssp_tls_t *t);
/* ssp_tls_done - 1 once the handshake is complete. */
int ssp_tls_done(const ssp_tls_t *t);
/* ssp_tls_version - the protocol ("TLSv1.3"), after the handshake. */
const char *ssp_tls_version(const ssp_tls_t *t);
/* ssp_tls_cipher - the cipher suite ("TLS_AES_256_GCM_SHA384"). */
const char *ssp_tls_cipher(const ssp_tls_t *t);
/* ssp_tls_peer_subject - the peer certificate's subject (RFC 2253) into
 * buf[0..n), NUL-terminated, cut if longer: 0, or -1 without a certificate. */
int ssp_tls_peer_subject(const ssp_tls_t *t, char *buf, size_t n);
/* ssp_tls_verified - the verification result: "ok", or why it failed
 * ("self-signed certificate"); "not verified" when verification is off. */
const char *ssp_tls_verified(const ssp_tls_t *t);
/* ssp_tls_sni - server: the name the client asked for (NULL: none). */
const char *ssp_tls_sni(const ssp_tls_t *t);
/* ssp_tls_info - after a completed handshake: its protocol, cipher, peer
 * subject and verification into out (have = 1; error untouched). */
void ssp_tls_info(const ssp_tls_t *t, ssp_tls_info_t *out);

#endif /* SSP_TLS_H */
