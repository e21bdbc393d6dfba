/*
 * recipients.h - zero configuration: before the vectors run, find a
 * recipient the server accepts and check that the one it should refuse is
 * refused, so that a run with only --target judges any server correctly.
 *
 * A mailbox or domain the profile (or --mailbox, --domain) names is used as
 * it is.  Otherwise discover.h's candidates are tried in one session (MAIL,
 * RCPT, RSET for each; a new session picks up where a closed one stopped),
 * and the first accepted wins.  ${rejected_mailbox} (the profile's, or a
 * made-up local part at the domain found) is then sent once: accepted means
 * a catch-all.  What could not be found makes the vectors that need it
 * skip, each with the same reason saying what to add.
 */
#ifndef SSP_RECIPIENTS_H
#define SSP_RECIPIENTS_H

#include "discover.h"
#include "limits.h"
#include "session.h"

/* How a recipient variable was settled. */
typedef enum {
	SSP_RCPT_FROM_PROFILE = 0, /* given by the profile or the command line */
	SSP_RCPT_DISCOVERED,       /* the server accepted (or refused) it here */
	SSP_RCPT_UNRESOLVED,       /* not found: the vectors that need it skip */
} ssp_rcpt_source_t;

typedef struct ssp_recipients_s {
	char mailbox[SSP_VAR_STORED_MAX + 1];  /* ${mailbox} to use */
	char domain[SSP_VAR_STORED_MAX + 1];   /* ${domain} to use */
	char rejected[SSP_VAR_STORED_MAX + 1]; /* ${rejected_mailbox} to use */
	ssp_rcpt_source_t mailbox_source, domain_source, rejected_source;
	char how[SSP_REASON_MAX];          /* one sentence: how they were found */
	/* reasons for the vectors that need what was not found ("" = found) */
	char skip_mailbox[SSP_REASON_MAX], skip_domain[SSP_REASON_MAX], skip_rejected[SSP_REASON_MAX];
} ssp_recipients_t;

/*
 * ssp_recipients_settle - settle ${mailbox}, ${domain} and
 * ${rejected_mailbox} for a server whose greeting named greeting_domain
 * (may be ""), reached as target_host: the values in vars (the profile's,
 * or defaults) are used where given, the rest is found by sessions run on
 * cfg->loop (cfg->vars: vars).  Never fails: what is not found is
 * UNRESOLVED with its skip reason.
 */
void ssp_recipients_settle(const ssp_session_cfg_t *cfg, int mailbox_given, int domain_given,
			   int rejected_given, const char *greeting_domain, const char *target_host,
			   ssp_recipients_t *out);

/* ssp_recipients_unasked - the values vars already hold, used as they are
 * when the server could not be asked (why: one phrase, for the header). */
void ssp_recipients_unasked(const ssp_session_cfg_t *cfg, ssp_recipients_t *out, const char *why);

/*
 * ssp_recipients_skip - the reason vector v cannot run with these
 * recipients (it uses a variable that was not found), or NULL.
 */
const char *ssp_recipients_skip(const ssp_recipients_t *r, const ssp_vector_t *v);

#endif
