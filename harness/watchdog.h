/*
 * watchdog.h - the deadline that cannot be starved (issue 14 §3).
 *
 * The run's deadline timer lives on the event loop, so it fires only while
 * the loop turns.  The watchdog is a thread of its own: armed with the same
 * deadline plus a grace period, it ends the process when the loop has not
 * finished by then (a callback that never returns, a resolver that never
 * answers), naming the phase the run was in.  It never touches the run's
 * data: a run that ends normally disarms it before the reports are written.
 */
#ifndef SSP_WATCHDOG_H
#define SSP_WATCHDOG_H

#include <stdint.h>

/* The phases a run goes through, named in the watchdog's message. */
typedef enum {
	SSP_PHASE_RESOLVE = 0,  /* resolving the target's name */
	SSP_PHASE_PROBE,        /* the probe and zero configuration */
	SSP_PHASE_VECTORS,      /* the vector sessions */
	SSP_PHASE_COUNT
} ssp_phase_t;

typedef struct ssp_watchdog_s ssp_watchdog_t;

/* What the watchdog does when it fires: the default writes the reason to
 * standard error and calls _exit(code); tests replace it. */
typedef void (*ssp_watchdog_fire_cb)(const char *reason, int code);

/*
 * ssp_watchdog_start - arm a watchdog that calls fire (NULL: the default)
 * with a reason and code unless stopped within ms milliseconds.  Returns
 * the watchdog, or NULL when no thread can be started (the run then relies
 * on its loop timer alone).
 */
ssp_watchdog_t *ssp_watchdog_start(uint64_t ms, int code, ssp_watchdog_fire_cb fire);

/* ssp_watchdog_phase - record the phase the run is in (any thread, lock-free). */
void ssp_watchdog_phase(ssp_watchdog_t *w, ssp_phase_t phase);

/* ssp_watchdog_stop - disarm w and join its thread (NULL: nothing). */
void ssp_watchdog_stop(ssp_watchdog_t *w);

#endif
