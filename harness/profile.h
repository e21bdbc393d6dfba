/*
 * profile.h - the target profile: what the suite cannot guess about a
 * server (a domain and mailbox it accepts, one it rejects, a sender, a
 * foreign domain it must not relay to, credentials).
 *
 * Every field has a default that works against a stock server: the domain
 * defaults to the one the server names in its greeting, the mailbox to
 * postmaster at that domain (RFC 5321 §4.5.1 requires it to be accepted).
 */
#ifndef SSP_PROFILE_H
#define SSP_PROFILE_H

#include "diag.h"
#include "vars.h"

#include <stddef.h>

typedef struct ssp_profile_s {
	char *file;             /* NULL: built-in defaults only */
	ssp_vars_t values;      /* fields given in the file, and custom "vars" */
} ssp_profile_t;

/* ssp_profile_load - load a profile file (NULL: defaults): 0, or -1 with diag. */
int ssp_profile_load(ssp_profile_t *p, const char *file, ssp_diag_t *diag);
/* ssp_profile_load_mem - the same for text[0..len) in memory; name is for messages. */
int ssp_profile_load_mem(ssp_profile_t *p, const char *name, const char *text, size_t len,
			 ssp_diag_t *diag);
/* ssp_profile_free - release the profile. */
void ssp_profile_free(ssp_profile_t *p);

/*
 * ssp_profile_vars - fill vars (whose parent must be NULL) with every
 * variable a vector may use, defaults applied; server_domain is the domain
 * from the target's greeting (NULL if none).  0, or -1 (out of memory).
 */
int ssp_profile_vars(const ssp_profile_t *p, const char *server_domain,
		     const char *target_host, ssp_vars_t *vars);

/*
 * ssp_profile_set - set field name (the command line's --mailbox, --domain,
 * --rejected-mailbox: it overrides the file) to value, checked like a
 * profile value: 0, or -1 with diag set.
 */
int ssp_profile_set(ssp_profile_t *p, const char *name, const char *value, ssp_diag_t *diag);
/* ssp_profile_check_auth - credentials given whole (user and password) and short enough for : 0, or -1 with diag. */
int ssp_profile_check_auth(const ssp_profile_t *p, ssp_diag_t *diag);

/* ssp_profile_known - 1 if name is a variable this profile provides (for loaders). */
int ssp_profile_known(const ssp_profile_t *p, const char *name);

#endif
