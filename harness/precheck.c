/*
 * precheck.c - the skips that need no connection: credentials a vector
 * needs (RFC 4954 "needs_auth"), and where a vector's rule matters
 * ("exposure": "network").  RFC 4954 §4 asks server sites not to permit a
 * plaintext password mechanism without protection against password
 * snooping: over loopback nothing crosses a network, and inside TLS
 * (--tls, --starttls) the session is protected, so such a vector is judged
 * only on a plaintext session to a remote server, or with --remote for a
 * target reached through a tunnel or proxy on this machine.
 */
#include "precheck.h"

#include "vars.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

int ssp_addr_is_loopback(const struct sockaddr *sa)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (sa == NULL)
		return 0;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		const unsigned char *b = in6->sin6_addr.s6_addr;
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) || (memcmp(b, mapped, sizeof(mapped)) == 0 && b[12] == 127);
	}
	return 0;
}

int ssp_precheck_settings(const ssp_session_cfg_t *cfg, const ssp_vector_t *v, char *reason, size_t size)
{
	if (v->needs_auth) {
		const char *user = cfg->vars ? ssp_vars_get(cfg->vars, "auth_user") : NULL;

		if (user == NULL || user[0] == '\0') {
			snprintf(reason, size, "the vector authenticates: give --auth-user and --auth-password, or auth.user and auth.password in the profile");
			return 1;
		}
	}
	if (v->exposure != SSP_EXPOSURE_NETWORK)
		return 0;
	if (cfg->implicit_tls || cfg->starttls) {
		snprintf(reason, size, "the session runs inside TLS (%s), where nothing crosses the network in plaintext; this vector judges a plaintext session: run it without %s",
			 cfg->implicit_tls ? "--tls" : "--starttls", cfg->implicit_tls ? "--tls" : "--starttls");
		return 1;
	}
	if (!cfg->remote && ssp_addr_is_loopback(cfg->addr)) {
		snprintf(reason, size, "the target is on loopback: passwords over loopback don't cross a network; if it is reached through a tunnel or proxy on this machine, run with --remote to judge it as a remote server");
		return 1;
	}
	return 0;
}
