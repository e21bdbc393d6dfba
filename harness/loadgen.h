/*
 * loadgen.h - the load generator of smtpspec bench (issue 11): many SMTP
 * sessions on one libuv loop, each sending messages as RFC 5321 §3.3 mail
 * transactions, optionally in RFC 2920 command groups (MAIL, RCPTs and DATA
 * in one write) when the server advertises PIPELINING.
 *
 * A message is delivered only on a 2xx reply to the end of its data; every
 * message taken from the budget ends delivered or failed.  Every wait has a
 * deadline (connect, each reply, the whole run), so a run always ends.
 * Latencies are kept in microseconds in one histogram per command.
 */
#ifndef SSP_LOADGEN_H
#define SSP_LOADGEN_H

#include "hist.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* What a latency and a reply code are counted against. */
typedef enum {
	SSP_LG_CONNECT,  /* TCP connect (no reply) */
	SSP_LG_GREETING, /* connect done -> 220 */
	SSP_LG_EHLO,
	SSP_LG_MAIL,
	SSP_LG_RCPT,
	SSP_LG_DATA,     /* DATA -> 354 */
	SSP_LG_DOT,      /* end of data: body sent -> reply */
	SSP_LG_QUIT,
	SSP_LG_NSTEPS
} ssp_lg_step_t;

/* Why a session or a message failed. */
typedef enum {
	SSP_LG_ERR_REFUSED,    /* connection refused */
	SSP_LG_ERR_RESET,      /* connection reset, broken pipe */
	SSP_LG_ERR_CLOSED,     /* the server closed while a reply was awaited */
	SSP_LG_ERR_TIMEOUT,    /* no connection or no reply within the timeout */
	SSP_LG_ERR_UNEXPECTED, /* a reply code other than the one expected */
	SSP_LG_ERR_MALFORMED,  /* a reply the parser refused, or too long */
	SSP_LG_ERR_DEADLINE,   /* cut by the end of the run (--deadline, 2nd signal) */
	SSP_LG_ERR_OTHER,      /* any other network error */
	SSP_LG_NERRS
} ssp_lg_err_t;

/* Reply codes are counted 0..999 (a malformed code is counted as it reads). */
#define SSP_LG_CODES 1000

typedef struct ssp_lg_stats_s {
	uint64_t requested;        /* --messages, or 0 with --duration */
	uint64_t delivered, failed;
	uint64_t sessions_started, sessions_ok, sessions_failed;
	uint64_t sessions_peak;     /* most sessions open at once */
	uint64_t pipelined_sessions, fallback_sessions; /* --pipelining: advertised or not */
	uint64_t bytes_sent, bytes_received;
	uint64_t errors[SSP_LG_NERRS];
	uint64_t replies[SSP_LG_NSTEPS][SSP_LG_CODES];
	uint64_t schedule_lag_max_us; /* --rate: the latest a message started */
	double elapsed_s;
	int interrupted;           /* stopped by a signal or the deadline */
	ssp_hist_t latency[SSP_LG_NSTEPS];
} ssp_lg_stats_t;

/* Progress callback, called about once a second with the counts so far. */
typedef void (*ssp_lg_progress_cb)(const ssp_lg_stats_t *st, void *arg);

typedef struct ssp_lg_opts_s {
	struct sockaddr_storage addr; /* the target, resolved */
	unsigned connections;      /* concurrent sessions, >= 1 */
	uint64_t messages;         /* total; 0: run for duration_s */
	unsigned duration_s;
	unsigned per_session;      /* messages per session, >= 1 */
	unsigned rcpts;            /* recipients per message, >= 1 */
	size_t size;               /* body bytes */
	int pipelining;            /* RFC 2920 groups when advertised */
	double rate;               /* message starts per second; 0: closed loop */
	double ramp_s;             /* connections grow from 1 to all over this */
	unsigned shard_k, shard_n; /* recipients carry "k of n" */
	unsigned timeout_ms;       /* each reply */
	unsigned connect_timeout_ms;
	unsigned deadline_s;       /* the whole run */
	const char *ehlo, *from, *rcpt_domain; /* checked by the caller */
	ssp_lg_progress_cb progress;
	void *progress_arg;
} ssp_lg_opts_t;

/* ssp_lg_step_name - "connect", "greeting", "EHLO", ... "end of data", "QUIT". */
const char *ssp_lg_step_name(ssp_lg_step_t s);
/* ssp_lg_step_key - the same as a JSON key: "connect", "ehlo", ..., "dot". */
const char *ssp_lg_step_key(ssp_lg_step_t s);
/* ssp_lg_err_key - "refused", "reset", "closed", "timeout", ... */
const char *ssp_lg_err_key(ssp_lg_err_t e);

/*
 * ssp_lg_run - run the load described by o and fill st (zeroed first).
 * Returns 0 when the run took place (whatever the server did), or a
 * negative libuv error if it could not start (st->... then undefined).
 */
int ssp_lg_run(const ssp_lg_opts_t *o, ssp_lg_stats_t *st);

#endif
