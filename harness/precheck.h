/*
 * precheck.h - what the run's settings alone say about a vector before it
 * connects: the profile has no credentials for a vector that authenticates
 * (RFC 4954), or a vector about what crosses a network in plaintext
 * ("exposure": "network", RFC 4954 §4: password snooping) meets a loopback
 * target or a session inside TLS.
 */
#ifndef SSP_PRECHECK_H
#define SSP_PRECHECK_H

#include "session.h"
#include "vector.h"

#include <stddef.h>
#include <sys/socket.h>

/* ssp_addr_is_loopback - 1 if sa is a loopback address (127.0.0.0/8, ::1,
 * ::ffff:127.0.0.0/104), else 0 (also for NULL and other families). */
int ssp_addr_is_loopback(const struct sockaddr *sa);

/*
 * ssp_precheck_settings - 1 when v cannot be judged with these settings,
 * with the reason (what to add or change) in reason[0..size); else 0.
 */
int ssp_precheck_settings(const ssp_session_cfg_t *cfg, const ssp_vector_t *v, char *reason, size_t size);

#endif
