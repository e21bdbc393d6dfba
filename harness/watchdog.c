/*
 * watchdog.c - a thread that ends a stuck run (see watchdog.h).
 *
 * The thread waits on a condition variable until it is disarmed or its
 * deadline passes; only the phase is shared without the lock, as an atomic.
 */
#include "watchdog.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

struct ssp_watchdog_s {
	uv_thread_t thread;
	uv_mutex_t lock;
	uv_cond_t cond;
	int stopped;                /* under lock */
	uint64_t due_ns;            /* uv_hrtime() at which it fires */
	uint64_t ms;                /* the armed time, for the message */
	int code;
	ssp_watchdog_fire_cb fire;
	atomic_int phase;
};

static const char *const phase_names[SSP_PHASE_COUNT] = {
	[SSP_PHASE_RESOLVE] = "resolving the target's name",
	[SSP_PHASE_PROBE] = "the probe of the target",
	[SSP_PHASE_VECTORS] = "the vector sessions",
};

/* fire_default - write reason to standard error and end the process with code. */
static void fire_default(const char *reason, int code)
{
	ssize_t n = write(STDERR_FILENO, reason, strlen(reason));

	(void)n;
	_exit(code);
}

/* watch - the thread: wait until stopped or due, then fire. */
static void watch(void *arg)
{
	ssp_watchdog_t *w = arg;
	char reason[256];
	int fired = 0;

	uv_mutex_lock(&w->lock);
	while (!w->stopped) {
		uint64_t now = uv_hrtime();

		if (now >= w->due_ns) {
			fired = 1;
			break;
		}
		(void)uv_cond_timedwait(&w->cond, &w->lock, w->due_ns - now);
	}
	uv_mutex_unlock(&w->lock);
	if (!fired)
		return;
	snprintf(reason, sizeof(reason),
		 "smtpspec: the run did not end %llu ms after it started (its deadline and a grace period): stuck in %s; "
		 "no report was written, earlier ones are intact\n",
		 (unsigned long long)w->ms, phase_names[atomic_load(&w->phase)]);
	w->fire(reason, w->code);
}

ssp_watchdog_t *ssp_watchdog_start(uint64_t ms, int code, ssp_watchdog_fire_cb fire)
{
	ssp_watchdog_t *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->ms = ms;
	w->due_ns = uv_hrtime() + ms * 1000000ULL;
	w->code = code;
	w->fire = fire ? fire : fire_default;
	atomic_init(&w->phase, SSP_PHASE_RESOLVE);
	if (uv_mutex_init(&w->lock) != 0) {
		free(w);
		return NULL;
	}
	if (uv_cond_init(&w->cond) != 0) {
		uv_mutex_destroy(&w->lock);
		free(w);
		return NULL;
	}
	if (uv_thread_create(&w->thread, watch, w) != 0) {
		uv_cond_destroy(&w->cond);
		uv_mutex_destroy(&w->lock);
		free(w);
		return NULL;
	}
	return w;
}

void ssp_watchdog_phase(ssp_watchdog_t *w, ssp_phase_t phase)
{
	if (w != NULL && phase < SSP_PHASE_COUNT)
		atomic_store(&w->phase, (int)phase);
}

void ssp_watchdog_stop(ssp_watchdog_t *w)
{
	if (w == NULL)
		return;
	uv_mutex_lock(&w->lock);
	w->stopped = 1;
	uv_cond_signal(&w->cond);
	uv_mutex_unlock(&w->lock);
	uv_thread_join(&w->thread);
	uv_cond_destroy(&w->cond);
	uv_mutex_destroy(&w->lock);
	free(w);
}
