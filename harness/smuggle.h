/*
 * smuggle.h - judging an SMTP smuggling attempt by what the server executed.
 *
 * A smuggling vector sends message content that holds a fake end-of-data
 * sequence (<LF>.<LF>, <CR>.<CR>, ...) followed by a complete second
 * transaction, then the real <CRLF>.<CRLF>.  The session collects every
 * reply from then on up to the reply to a QUIT it sends after the first
 * reply (RFC 5321 §4.1.1.10: 221 is QUIT's only success reply), or the
 * close.  The replies before the 221 tell what the server did:
 *
 *   one reply, 2yz                   the fake end was data: PASS
 *   one reply, 4yz/5yz; or 421       the server refused the bytes: PASS
 *   several replies, none 2yz or 354 it ended the data early but executed
 *                                    nothing after it: conformance FAIL
 *   several replies, a 2yz or a 354  it executed the smuggled commands:
 *   after the first                  security FAIL (exploitable)
 *   none                             no reply to the end of the data
 *
 * Pure: no I/O, no allocation.
 */
#ifndef SSP_SMUGGLE_H
#define SSP_SMUGGLE_H

#include <stddef.h>

typedef enum {
	SSP_SMUGGLE_NO_REPLY = 0,   /* nothing answered the end of the data */
	SSP_SMUGGLE_DATA,           /* the fake end stayed message content */
	SSP_SMUGGLE_REFUSED,        /* the server refused the bare CR or LF */
	SSP_SMUGGLE_ENDED_EARLY,    /* data ended at the fake end; nothing executed */
	SSP_SMUGGLE_EXPLOITABLE,    /* smuggled commands were executed */
} ssp_smuggle_t;

/*
 * ssp_smuggle_classify - what codes[0..n) (the replies received after the
 * content, up to but not including the QUIT's 221) show.
 */
ssp_smuggle_t ssp_smuggle_classify(const int *codes, size_t n);

/* ssp_smuggle_name - "exploitable", "ended-early", "refused", "data", "no-reply". */
const char *ssp_smuggle_name(ssp_smuggle_t s);

#endif
