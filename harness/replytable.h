/*
 * replytable.h - which reply codes RFC 5321 §4.3.2 lists for each command,
 * with the codes its updates add (RFC 7504: 521, 556; RFC 4954 and
 * RFC 3207: 530), and the codes any command may get (421, 500, 501).
 *
 * §4.3.2 lists each command's "usual possible replies": a code outside
 * the list is reported as a warning, whatever the vector expected.
 */
#ifndef SSP_REPLYTABLE_H
#define SSP_REPLYTABLE_H

#include <stddef.h>

/* What a reply answers, when it is not a command line. */
typedef enum {
	SSP_ANSWERS_COMMAND = 0,  /* the command line given */
	SSP_ANSWERS_GREETING,     /* connection establishment */
	SSP_ANSWERS_DATA_END,     /* the <CRLF>.<CRLF> ending message content */
} ssp_answers_t;

/*
 * ssp_replytable_check - is code a listed reply to what (for a command,
 * the line line[0..n))?  1 listed, 0 not listed, -1 no list for this
 * command (an extension, an unknown verb): not judged.
 */
int ssp_replytable_check(ssp_answers_t what, const char *line, size_t n, int code);

/* ssp_replytable_describe - the listed codes for the command, e.g. "250, 421, 500, 501". */
void ssp_replytable_describe(ssp_answers_t what, const char *line, size_t n, char *out,
			     size_t size);

#endif
