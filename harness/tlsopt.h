/*
 * tlsopt.h - the TLS options of `smtpspec run`: how a session reaches TLS
 * and how the server's certificate is treated.
 *
 *   --tls               implicit TLS (RFC 8314 §3): the handshake right
 *                       after connecting, the greeting inside TLS
 *   --starttls          STARTTLS (RFC 3207) right after the EHLO of every
 *                       vector, so that the whole catalogue runs inside TLS
 *   --tls-verify        verify the server's certificate (off by default:
 *                       test servers use self-signed ones)
 *   --ca-file FILE      the CAs to verify with (default: the system's)
 *   --sni NAME          the server name sent (and verified); default: the
 *                       host of --target unless it is an address
 *   --client-cert FILE --client-key FILE   a client certificate
 *
 * The option table rows go into the caller's getopt_long table
 * (SSP_TLSOPT_LONGOPTS); values above any the caller uses.
 */
#ifndef SSP_TLSOPT_H
#define SSP_TLSOPT_H

#include "tls.h"

#include <stddef.h>

typedef enum {
	SSP_TLS_MODE_NONE = 0,   /* plaintext; vectors may still STARTTLS */
	SSP_TLS_MODE_STARTTLS,   /* --starttls */
	SSP_TLS_MODE_IMPLICIT,   /* --tls */
} ssp_tls_mode_t;

typedef struct ssp_tlsopt_s {
	ssp_tls_mode_t mode;
	int verify;
	const char *ca_file;      /* the strings are argv's: not copied */
	const char *sni;
	const char *client_cert;
	const char *client_key;
} ssp_tlsopt_t;

/* getopt_long values of the TLS options. */
enum {
	SSP_TLSOPT_TLS = 0x7100,
	SSP_TLSOPT_STARTTLS,
	SSP_TLSOPT_VERIFY,
	SSP_TLSOPT_CA_FILE,
	SSP_TLSOPT_SNI,
	SSP_TLSOPT_CLIENT_CERT,
	SSP_TLSOPT_CLIENT_KEY,
};

/* The rows of a getopt_long table (needs <getopt.h>). */
#define SSP_TLSOPT_LONGOPTS                                                  \
	{ "tls", no_argument, NULL, SSP_TLSOPT_TLS },                        \
	{ "starttls", no_argument, NULL, SSP_TLSOPT_STARTTLS },              \
	{ "tls-verify", no_argument, NULL, SSP_TLSOPT_VERIFY },              \
	{ "ca-file", required_argument, NULL, SSP_TLSOPT_CA_FILE },          \
	{ "sni", required_argument, NULL, SSP_TLSOPT_SNI },                  \
	{ "client-cert", required_argument, NULL, SSP_TLSOPT_CLIENT_CERT },  \
	{ "client-key", required_argument, NULL, SSP_TLSOPT_CLIENT_KEY }

/* The lines of the usage text for these options. */
extern const char ssp_tlsopt_usage[];

/*
 * ssp_tlsopt_parse - take option opt (a getopt_long value) with its
 * argument: 1 when it was a TLS option, 0 when it is not one (nothing
 * changed), -1 when its argument is bad (the reason in err).
 */
int ssp_tlsopt_parse(ssp_tlsopt_t *t, int opt, const char *arg, char *err, size_t errsize);

/* ssp_tlsopt_check - after parsing: 0, or -1 when the options do not go
 * together (--tls with --starttls, a key without a certificate, ...). */
int ssp_tlsopt_check(const ssp_tlsopt_t *t, char *err, size_t errsize);

/* ssp_tlsopt_ctx - the client context for these options, or NULL with the
 * reason in err (a CA file or a certificate that cannot be loaded). */
ssp_tls_ctx_t *ssp_tlsopt_ctx(const ssp_tlsopt_t *t, char *err, size_t errsize);

/* ssp_tlsopt_sni - the server name to send: --sni, else target_host when
 * it is a name (not an IPv4 or IPv6 address), else NULL. */
const char *ssp_tlsopt_sni(const ssp_tlsopt_t *t, const char *target_host);

/* ssp_tlsopt_describe - one line for the run header and the report:
 * "TLS: STARTTLS after EHLO (RFC 3207); certificates not verified". */
void ssp_tlsopt_describe(const ssp_tlsopt_t *t, char *buf, size_t n);

#endif
