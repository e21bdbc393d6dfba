/*
 * run.h - one run: resolve the target, probe it (greeting and EHLO), then
 * run the selected vectors in parallel sessions on one libuv loop, within
 * a whole-run deadline.  The result model of the run is read by the report
 * writers.
 */
#ifndef SSP_RUN_H
#define SSP_RUN_H

#include "diag.h"
#include "profile.h"
#include "recipients.h"
#include "result.h"
#include "session.h"
#include "spool.h"
#include "conn_tls.h"
#include "tlsopt.h"
#include "watchdog.h"
#include "vector.h"

#include <stddef.h>
#include <sys/socket.h>
#include <stdint.h>
#include <time.h>

typedef struct ssp_run_opts_s {
	const char *target;           /* "host:port", "[v6]:port" or "host" */
	unsigned jobs;
	unsigned timeout_ms;
	unsigned connect_timeout_ms;
	unsigned deadline_s;
	const ssp_tlsopt_t *tls;      /* TLS options; NULL: plaintext, no verification */
	unsigned repeat;              /* run --repeat N (rounds per vector); 0: not given */
	int remote;                   /* --remote: the target is reached through a tunnel or proxy here */
	ssp_spool_t *spool;           /* where finished transcripts are (spool.h), or NULL: in memory */
	uint64_t max_memory;          /* --max-memory: bytes the running sessions may hold at
				       * worst, together (0: SSP_DEFAULT_MAX_MEMORY) */
} ssp_run_opts_t;

typedef struct ssp_run_s ssp_run_t;

/* Called after each vector's result is final (idx into run->results). */
typedef void (*ssp_run_progress_cb)(const ssp_run_t *run, size_t idx, void *arg);

struct ssp_run_s {
	/* inputs */
	const ssp_vector_t **vectors; /* borrowed */
	size_t n;
	const ssp_profile_t *profile; /* borrowed */
	ssp_run_opts_t opts;
	/* what the run learned and produced */
	char host[256];
	char port[16];
	struct sockaddr_storage addrs[SSP_ADDRS_MAX]; /* resolved, in order */
	unsigned naddrs;
	struct sockaddr_storage addr; /* the one the probe reached */
	char address[64];             /* the numeric address connected to */
	char *greeting;               /* raw bytes of the greeting reply, or NULL */
	size_t greeting_len;
	char *caps;                   /* raw bytes of the EHLO reply, or NULL */
	size_t caps_len;
	ssp_result_t probe;           /* the probe's own transcript */
	ssp_recipients_t rcpts;       /* ${mailbox}, ${domain}, ${rejected_mailbox}: how settled */
	ssp_result_t *results;        /* n results, in the order of vectors */
	unsigned counts[SSP_VERDICT_COUNT];
	size_t finished;
	time_t started;               /* wall clock */
	unsigned long elapsed_ms;
	uint64_t t0_ns;               /* uv_hrtime at the start */
	int deadline_hit;
	ssp_session_t *pre;           /* the probe's or zero configuration's session now, or NULL */
	int interrupted;              /* the signal (SIGINT, SIGTERM) that stopped the run, or 0 */
	char incomplete[SSP_REASON_MAX]; /* why some vectors did not finish; "" when all did */
	/* internal */
	ssp_vars_t vars;
	ssp_session_cfg_t cfg;
	ssp_tls_ctx_t *tls_ctx;       /* the client context of every session */
	ssp_conn_tls_opts_t tls_conn;
	char tls_line[SSP_REASON_MAX]; /* how TLS is used, for the header */
	ssp_tls_info_t tls_info;      /* what the first handshake showed; the first TLS failure */
	ssp_watchdog_t *watchdog;     /* ends the process if the loop is stuck past the deadline */
	ssp_session_t **active;
	size_t next, nactive;
	uint64_t charged;             /* worst-case bytes of the running sessions (--max-memory) */
	uint64_t results_charge;      /* of which the results held until the reports (ssp_run_results_bytes) */
	ssp_run_progress_cb progress;
	void *progress_arg;
};

/*
 * ssp_run_parse_target - split a target into host and port (default 25):
 * 0, or -1 with diag set.
 */
int ssp_run_parse_target(const char *target, char *host, size_t hsize, char *port,
			 size_t psize, ssp_diag_t *diag);

/* ssp_run_results_bytes - what the results of sessions sessions, reported as reported
 * results (--repeat folds rounds), hold until the reports are written: the
 * part of --max-memory charged before any session starts. */
uint64_t ssp_run_results_bytes(size_t sessions, size_t reported);

/*
 * ssp_run_execute - run every vector; returns 0 when the target answered
 * the probe's connection (results filled), or -1 when it could not be
 * reached at all or its name did not resolve (diag says why; results are
 * ERROR "not run").
 */
int ssp_run_execute(ssp_run_t *run, const ssp_vector_t **vectors, size_t n,
		    const ssp_profile_t *profile, const ssp_run_opts_t *opts,
		    ssp_run_progress_cb progress, void *arg, ssp_diag_t *diag);

/* ssp_run_free - release the results and what the run owns. */
void ssp_run_free(ssp_run_t *run);

#endif
