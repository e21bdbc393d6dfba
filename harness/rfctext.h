/*
 * rfctext.h - RFC texts as citations are checked against them: page
 * footers, running headers and form feeds removed, whitespace collapsed,
 * so that a quote reads as one line wherever the RFC broke it.
 */
#ifndef SSP_RFCTEXT_H
#define SSP_RFCTEXT_H

#include "diag.h"

/*
 * ssp_rfctext_load - the normalised text of DIR/rfcN.txt; *text is
 * allocated (caller frees).  0, or -1 with diag set.
 */
int ssp_rfctext_load(const char *dir, unsigned rfc, char **text, ssp_diag_t *diag);

/* ssp_rfctext_normalise - collapse runs of whitespace in s to one space, in place. */
void ssp_rfctext_normalise(char *s);

/* ssp_rfctext_contains - 1 if the normalised quote occurs in the normalised text. */
int ssp_rfctext_contains(const char *text, const char *quote);

/* The strength of the strongest RFC 2119 keyword in a sentence. */
enum {
	SSP_RFCTEXT_NONE = 0,   /* no upper-case keyword */
	SSP_RFCTEXT_MAY,        /* MAY, OPTIONAL */
	SSP_RFCTEXT_SHOULD,     /* SHOULD (NOT), (NOT) RECOMMENDED */
	SSP_RFCTEXT_MUST,       /* MUST (NOT), REQUIRED, SHALL (NOT) */
};

/*
 * ssp_rfctext_keyword - the strongest upper-case RFC 2119 keyword in quote
 * (whole words only; in any case when any_case is set, for the RFCs older
 * than RFC 2119, which wrote their requirements in lower case), as an
 * SSP_RFCTEXT_ value; *word (if word is not NULL) points to a static
 * spelling of it, or NULL when there is none.
 */
int ssp_rfctext_keyword(const char *quote, int any_case, const char **word);

#endif
