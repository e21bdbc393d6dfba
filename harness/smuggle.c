/*
 * smuggle.c - judging an SMTP smuggling attempt by what the server executed
 * (RFC 5321 §2.3.8, §4.1.1.4); the rules are in smuggle.h.
 */
#include "smuggle.h"

ssp_smuggle_t ssp_smuggle_classify(const int *codes, size_t n)
{
	size_t i;

	if (n == 0)
		return SSP_SMUGGLE_NO_REPLY;
	/* a 421 first: the server is closing rather than take the bytes (§3.8) */
	if (codes[0] == 421)
		return SSP_SMUGGLE_REFUSED;
	if (n == 1)
		return codes[0] >= 200 && codes[0] < 300 ? SSP_SMUGGLE_DATA : SSP_SMUGGLE_REFUSED;
	/* more than one reply: the server saw an end before the real one, and
	 * answered what followed it; a success there is an executed command */
	for (i = 1; i < n; i++) {
		if ((codes[i] >= 200 && codes[i] < 300) || codes[i] == 354)
			return SSP_SMUGGLE_EXPLOITABLE;
	}
	return SSP_SMUGGLE_ENDED_EARLY;
}

const char *ssp_smuggle_name(ssp_smuggle_t s)
{
	switch (s) {
	case SSP_SMUGGLE_NO_REPLY: return "no-reply";
	case SSP_SMUGGLE_DATA: return "data";
	case SSP_SMUGGLE_REFUSED: return "refused";
	case SSP_SMUGGLE_ENDED_EARLY: return "ended-early";
	case SSP_SMUGGLE_EXPLOITABLE: return "exploitable";
	}
	return "?";
}
