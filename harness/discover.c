/*
 * discover.c - the recipients zero configuration tries (RFC 5321 §4.5.1,
 * §2.3.5), in the order discover.h gives.
 */
#include "discover.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int ssp_discover_is_domain(const char *s)
{
	size_t len, label = 0, i;
	int last_all_digits = 1;

	if (s == NULL)
		return 0;
	len = strlen(s);
	if (len == 0 || len >= SSP_DOMAIN_MAX || s[0] == '.' || s[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
			last_all_digits = 1;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
			return 0;
		if (c == '-' && label == 0)
			return 0;
		if (!(c >= '0' && c <= '9'))
			last_all_digits = 0;
		if (++label > 63)
			return 0;
	}
	/* "127.0.0.1" is an address, not a domain; neither ends in a hyphen */
	return !last_all_digits && s[len - 1] != '-';
}

/* add - append postmaster@domain (or the bare form for "") unless present. */
static size_t add(ssp_candidate_t *out, size_t n, size_t max, const char *domain, const char *source)
{
	size_t i;

	if (n >= max)
		return n;
	for (i = 0; i < n; i++) {
		if (strcasecmp(out[i].domain, domain) == 0)
			return n;
	}
	snprintf(out[n].domain, sizeof(out[n].domain), "%s", domain);
	if (domain[0] == '\0')
		snprintf(out[n].mailbox, sizeof(out[n].mailbox), "postmaster");
	else
		snprintf(out[n].mailbox, sizeof(out[n].mailbox), "postmaster@%s", domain);
	out[n].source = source;
	return n + 1;
}

/* add_with_parents - name, then each parent that keeps two labels or more. */
static size_t add_with_parents(ssp_candidate_t *out, size_t n, size_t max, const char *name,
			       const char *self, const char *parent)
{
	const char *p;

	if (!ssp_discover_is_domain(name))
		return n;
	n = add(out, n, max, name, self);
	for (p = strchr(name, '.'); p != NULL; p = strchr(p + 1, '.')) {
		if (strchr(p + 1, '.') == NULL)
			break; /* one label left: a top-level domain is no mail domain */
		n = add(out, n, max, p + 1, parent);
	}
	return n;
}

size_t ssp_discover_candidates(const char *greeting_domain, const char *target_host,
			       ssp_candidate_t *out, size_t max)
{
	size_t n = 0;

	if (greeting_domain != NULL)
		n = add_with_parents(out, n, max, greeting_domain, "the greeting's domain",
				     "a parent of the greeting's domain");
	if (target_host != NULL)
		n = add_with_parents(out, n, max, target_host, "the target's host name",
				     "a parent of the target's host name");
	return add(out, n, max, "", "the bare <postmaster> (RFC 5321 §4.1.1.3)");
}

ssp_rcpt_answer_t ssp_discover_rcpt(int code)
{
	if (code == 250 || code == 251)
		return SSP_RCPT_ACCEPTED;
	if (code >= 400 && code < 600 && code != 421)
		return SSP_RCPT_REFUSED;
	return SSP_RCPT_UNKNOWN;
}
