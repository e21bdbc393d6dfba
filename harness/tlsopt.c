/*
 * tlsopt.c - the TLS options of `smtpspec run` (see tlsopt.h).
 */
#include "tlsopt.h"

#include "limits.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

const char ssp_tlsopt_usage[] =
	"  --tls              implicit TLS (RFC 8314): handshake on connect (port 465)\n"
	"  --starttls         STARTTLS (RFC 3207) after the EHLO of every vector\n"
	"  --tls-verify       verify the server certificate (default: not verified)\n"
	"  --ca-file FILE     CA certificates for --tls-verify (default: the system's)\n"
	"  --sni NAME         server name to send and verify (default: the --target host)\n"
	"  --client-cert FILE --client-key FILE\n"
	"                     a client certificate and its key (PEM)\n";

/* errorf - a reason into err[0..size). */
static int errorf(char *err, size_t size, const char *what, const char *arg)
{
	if (err == NULL || size == 0)
		return -1;
	if (arg != NULL && arg[0] != '\0')
		snprintf(err, size, "%s: %.*s", what, SSP_DOMAIN_MAX, arg);
	else
		snprintf(err, size, "%s", what);
	return -1;
}

/* name_ok - a server name for SNI: 1 to 255 octets of letters, digits,
 * '-', '.', '_' (RFC 6066 §3: a DNS host name, no trailing dot needed). */
static int name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n >= SSP_DOMAIN_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || c == '_'))
			return 0;
	}
	return 1;
}

int ssp_tlsopt_parse(ssp_tlsopt_t *t, int opt, const char *arg, char *err, size_t errsize)
{
	switch (opt) {
	case SSP_TLSOPT_TLS:
		if (t->mode == SSP_TLS_MODE_STARTTLS)
			return errorf(err, errsize, "--tls and --starttls exclude each other", "");
		t->mode = SSP_TLS_MODE_IMPLICIT;
		return 1;
	case SSP_TLSOPT_STARTTLS:
		if (t->mode == SSP_TLS_MODE_IMPLICIT)
			return errorf(err, errsize, "--tls and --starttls exclude each other", "");
		t->mode = SSP_TLS_MODE_STARTTLS;
		return 1;
	case SSP_TLSOPT_VERIFY:
		t->verify = 1;
		return 1;
	case SSP_TLSOPT_CA_FILE:
		if (arg == NULL || arg[0] == '\0')
			return errorf(err, errsize, "--ca-file needs a file", arg);
		t->ca_file = arg;
		return 1;
	case SSP_TLSOPT_SNI:
		if (arg == NULL || !name_ok(arg))
			return errorf(err, errsize, "--sni needs a host name (letters, digits, '-', '.'; at most 255)", arg);
		t->sni = arg;
		return 1;
	case SSP_TLSOPT_CLIENT_CERT:
		if (arg == NULL || arg[0] == '\0')
			return errorf(err, errsize, "--client-cert needs a file", arg);
		t->client_cert = arg;
		return 1;
	case SSP_TLSOPT_CLIENT_KEY:
		if (arg == NULL || arg[0] == '\0')
			return errorf(err, errsize, "--client-key needs a file", arg);
		t->client_key = arg;
		return 1;
	default:
		return 0;
	}
}

int ssp_tlsopt_check(const ssp_tlsopt_t *t, char *err, size_t errsize)
{
	if ((t->client_cert == NULL) != (t->client_key == NULL))
		return errorf(err, errsize, "--client-cert and --client-key go together", "");
	if (t->ca_file != NULL && !t->verify)
		return errorf(err, errsize, "--ca-file is only used with --tls-verify", t->ca_file);
	return 0;
}

ssp_tls_ctx_t *ssp_tlsopt_ctx(const ssp_tlsopt_t *t, char *err, size_t errsize)
{
	ssp_tls_config_t cfg = {
		.server = 0,
		.verify = t->verify,
		.ca_file = t->ca_file,
		.cert_file = t->client_cert,
		.key_file = t->client_key,
	};

	return ssp_tls_ctx_new(&cfg, err, errsize);
}

const char *ssp_tlsopt_sni(const ssp_tlsopt_t *t, const char *target_host)
{
	unsigned char addr[16];

	if (t->sni != NULL)
		return t->sni;
	if (target_host == NULL || !name_ok(target_host) || inet_pton(AF_INET, target_host, addr) == 1 ||
	    inet_pton(AF_INET6, target_host, addr) == 1)
		return NULL;
	return target_host;
}

void ssp_tlsopt_describe(const ssp_tlsopt_t *t, char *buf, size_t n)
{
	static const char *const how[] = {
		[SSP_TLS_MODE_NONE] = "plaintext (vectors that need STARTTLS start it themselves)",
		[SSP_TLS_MODE_STARTTLS] = "STARTTLS after EHLO in every vector (RFC 3207)",
		[SSP_TLS_MODE_IMPLICIT] = "implicit TLS from the first byte (RFC 8314)",
	};

	if (n == 0)
		return;
	snprintf(buf, n, "TLS: %s; server certificates %s%s%s", how[t->mode],
		 t->verify ? "verified against " : "not verified (--tls-verify)",
		 t->verify ? (t->ca_file ? t->ca_file : "the system's CAs") : "",
		 t->client_cert ? "; a client certificate is sent" : "");
}
