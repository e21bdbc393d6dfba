/*
 * discover.h - zero configuration: which recipients to try when the
 * profile names none, and what a RCPT reply says about them.
 *
 * RFC 5321 §4.5.1: every server MUST accept postmaster "at any of the
 * domains for which the SMTP server provides mail service", and the bare
 * <postmaster> (§2.3.5, §4.1.1.3).  A greeting names a host, which need
 * not be a mail domain, so the candidates are postmaster at the greeting's
 * domain and each parent down to two labels, then at the target's host
 * name and its parents, then the bare <postmaster>; the first one the
 * server accepts wins.  Pure: no I/O.
 */
#ifndef SSP_DISCOVER_H
#define SSP_DISCOVER_H

#include "limits.h"

#include <stddef.h>

/* One candidate recipient and where it came from. */
typedef struct ssp_candidate_s {
	char mailbox[SSP_DOMAIN_MAX + 16]; /* "postmaster@example.org" or "postmaster" */
	char domain[SSP_DOMAIN_MAX];       /* "example.org", or "" for the bare form */
	const char *source;                /* "the greeting's domain", ... (static) */
} ssp_candidate_t;

/*
 * ssp_discover_candidates - fill out[0..max) with the candidates for a
 * greeting naming greeting_domain (may be "" or NULL) and a target host
 * (a name or an address literal); address literals and numbers are not
 * domains and are left out, and so are duplicates.  Returns the count.
 */
size_t ssp_discover_candidates(const char *greeting_domain, const char *target_host,
			       ssp_candidate_t *out, size_t max);

/*
 * ssp_discover_is_domain - 1 if s is a domain name (RFC 5321 §4.1.2
 * Domain: dot-separated labels of letters, digits and hyphens, not all
 * digits in the last label, each 1-63 octets, at most SSP_DOMAIN_MAX-1 in
 * all), else 0.
 */
int ssp_discover_is_domain(const char *s);

/* What a RCPT reply says about a recipient. */
typedef enum {
	SSP_RCPT_ACCEPTED = 0, /* 250, 251 */
	SSP_RCPT_REFUSED,      /* any other 4yz or 5yz but 421 */
	SSP_RCPT_UNKNOWN,      /* no reply, 421, or a code that is neither */
} ssp_rcpt_answer_t;

/* ssp_discover_rcpt - classify the reply code to a RCPT (0: no reply). */
ssp_rcpt_answer_t ssp_discover_rcpt(int code);

#endif
