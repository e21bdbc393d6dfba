/*
 * run.c - target resolution, the probe, and the session scheduler.
 */
#include "run.h"

#include "conn_tls.h"

#include "limits.h"
#include "position.h"
#include "reply.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

int ssp_run_parse_target(const char *target, char *host, size_t hsize, char *port,
			 size_t psize, ssp_diag_t *diag)
{
	const char *colon, *hend, *pstart = NULL;
	size_t hl, i;

	if (target == NULL || target[0] == '\0')
		return ssp_diag_set(diag, NULL, 0, 0, "--target HOST:PORT is required");
	if (target[0] == '[') {
		hend = strchr(target, ']');
		if (hend == NULL)
			return ssp_diag_set(diag, NULL, 0, 0, "target \"%s\": missing ']' after the IPv6 address", target);
		if (hend[1] == ':')
			pstart = hend + 2;
		else if (hend[1] != '\0')
			return ssp_diag_set(diag, NULL, 0, 0, "target \"%s\": expected ':PORT' after ']'", target);
		target++;
	} else {
		colon = strchr(target, ':');
		if (colon && strchr(colon + 1, ':'))
			return ssp_diag_set(diag, NULL, 0, 0,
					    "target \"%s\": write an IPv6 address in brackets, e.g. [::1]:25", target);
		hend = colon ? colon : target + strlen(target);
		if (colon)
			pstart = colon + 1;
	}
	hl = (size_t)(hend - target);
	if (hl == 0 || hl >= hsize)
		return ssp_diag_set(diag, NULL, 0, 0, "target: bad host name length");
	memcpy(host, target, hl);
	host[hl] = '\0';
	if (pstart == NULL)
		pstart = "25";
	if (pstart[0] == '\0' || strlen(pstart) >= psize || strlen(pstart) > 5)
		return ssp_diag_set(diag, NULL, 0, 0, "target: bad port \"%s\"", pstart);
	for (i = 0; pstart[i]; i++) {
		if (pstart[i] < '0' || pstart[i] > '9')
			return ssp_diag_set(diag, NULL, 0, 0, "target: port \"%s\" is not a number", pstart);
	}
	if (atoi(pstart) < 1 || atoi(pstart) > 65535)
		return ssp_diag_set(diag, NULL, 0, 0, "target: port %s is outside 1-65535", pstart);
	snprintf(port, psize, "%s", pstart);
	return 0;
}

/* resolve - the addresses of host:port (at most SSP_ADDRS_MAX), through libuv. */
static int resolve(ssp_run_t *run, uv_loop_t *loop, ssp_diag_t *diag)
{
	struct addrinfo *ai;
	uv_getaddrinfo_t req;
	struct addrinfo hints;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = uv_getaddrinfo(loop, &req, NULL, run->host, run->port, &hints);
	if (rc != 0)
		return ssp_diag_set(diag, NULL, 0, 0, "cannot resolve \"%s\": %s", run->host, uv_strerror(rc));
	if (req.addrinfo == NULL)
		return ssp_diag_set(diag, NULL, 0, 0, "cannot resolve \"%s\": no address", run->host);
	run->naddrs = 0;
	for (ai = req.addrinfo; ai != NULL && run->naddrs < SSP_ADDRS_MAX; ai = ai->ai_next) {
		if (ai->ai_addrlen > sizeof(run->addrs[0]))
			continue;
		memcpy(&run->addrs[run->naddrs++], ai->ai_addr, ai->ai_addrlen);
	}
	uv_freeaddrinfo(req.addrinfo);
	return 0;
}

/* address_name - the numeric form of an address. */
static void address_name(const struct sockaddr_storage *a, char *out, size_t size)
{
	if (a->ss_family == AF_INET6)
		uv_ip6_name((const struct sockaddr_in6 *)a, out, size);
	else
		uv_ip4_name((const struct sockaddr_in *)a, out, size);
}

/* ---- the probe ---------------------------------------------------------- */

/* greeting_domain - the first word after the code of the greeting. */
static void greeting_domain(const char *g, size_t len, char *out, size_t size)
{
	size_t i = 4, k = 0;

	out[0] = '\0';
	if (g == NULL || len < 5)
		return;
	while (i < len && k + 1 < size) {
		char c = g[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '[' || c == ']' || c == ':'))
			break;
		out[k++] = c;
		i++;
	}
	out[k] = '\0';
}

/* on_probe_done - nothing to do: the probe's result and replies are read after the loop. */
static void on_probe_done(ssp_result_t *r, void *arg)
{
	(void)r;
	(void)arg;
}

/* ---- the scheduler ------------------------------------------------------ */

static void start_next(ssp_run_t *run);

/* on_session_done - collect one result, report progress, start the next session. */
static void on_session_done(ssp_result_t *r, void *arg)
{
	ssp_run_t *run = arg;
	size_t idx = (size_t)(r - run->results);

	run->active[idx] = NULL;
	run->nactive--;
	run->charged -= ssp_session_cost(&run->cfg, run->vectors[idx]);
	run->counts[r->verdict]++;
	run->finished++;
	if (run->progress)
		run->progress(run, idx, run->progress_arg);
	start_next(run);
}

/* start_next - start sessions up to --jobs; prechecked skips finish at once. */
static void start_next(ssp_run_t *run)
{
	while (!run->deadline_hit && run->nactive < run->opts.jobs && run->next < run->n) {
		size_t idx = run->next;
		ssp_result_t *r = &run->results[idx];
		/* --max-memory: a session starts only when its worst case fits
		 * beside the running ones; one that can never fit is an error */
		uint64_t cost = ssp_session_cost(&run->cfg, run->vectors[idx]);
		int fits = run->results_charge < run->opts.max_memory && cost <= run->opts.max_memory - run->results_charge;
		char reason[SSP_REASON_MAX];
		/* a recipient zero configuration could not find: skip, saying what to add */
		const char *why = ssp_recipients_skip(&run->rcpts, run->vectors[idx]);
		/* a vector about what a server does without an extension */
		const char *present = ssp_vector_present_keyword(run->vectors[idx], run->caps, run->caps_len);

		if (why != NULL)
			snprintf(reason, sizeof(reason), "%s", why);
		else if (present != NULL)
			snprintf(reason, sizeof(reason),
				 "the server advertises %s; this vector checks a server that does not", present);
		why = why != NULL ? why : present;
		if (why == NULL && fits && run->nactive > 0 && (run->charged > run->opts.max_memory ||
							     cost > run->opts.max_memory - run->charged))
			break; /* the budget is spent: on_session_done starts it */
		run->next++;
		if (why == NULL && !fits && !ssp_session_precheck(&run->cfg, run->vectors[idx], reason, sizeof(reason))) {
			r->verdict = SSP_ERROR;
			snprintf(r->reason, sizeof(r->reason),
				 "a session of this vector may need %llu bytes of memory at once, more than --max-memory %llu "
				 "leaves beside the results (%llu bytes)",
				 (unsigned long long)cost, (unsigned long long)run->opts.max_memory,
				 (unsigned long long)run->results_charge);
			run->counts[SSP_ERROR]++;
			run->finished++;
			if (run->progress)
				run->progress(run, idx, run->progress_arg);
			continue;
		}
		if (why != NULL || ssp_session_precheck(&run->cfg, run->vectors[idx], reason, sizeof(reason))) {
			r->verdict = SSP_SKIP;
			snprintf(r->reason, sizeof(r->reason), "%s", reason);
			run->counts[SSP_SKIP]++;
			run->finished++;
			if (run->progress)
				run->progress(run, idx, run->progress_arg);
			continue;
		}
		run->active[idx] = ssp_session_start(&run->cfg, run->vectors[idx], r, on_session_done, run);
		if (run->active[idx] == NULL) {
			run->counts[r->verdict]++;
			run->finished++;
			if (run->progress)
				run->progress(run, idx, run->progress_arg);
			continue;
		}
		run->nactive++;
		run->charged += cost;
	}
}

/* on_deadline - the run deadline: abort running sessions, mark the rest "not run". */
/* stop_all - end the run now: sessions aborted, the rest not run, all with reason. */
static void stop_all(ssp_run_t *run, const char *reason)
{
	size_t i;

	if (run->deadline_hit)
		return;
	run->deadline_hit = 1;
	snprintf(run->incomplete, sizeof(run->incomplete), "%s", reason);
	for (i = 0; i < run->n; i++) {
		if (run->active[i] != NULL)
			ssp_session_abort(run->active[i], reason);
	}
	for (i = run->next; i < run->n; i++) {
		snprintf(run->results[i].reason, sizeof(run->results[i].reason), "not run: %s", reason);
		run->counts[SSP_ERROR]++;
		run->finished++;
		if (run->progress)
			run->progress(run, i, run->progress_arg);
	}
	run->next = run->n;
}

/* on_deadline - the run deadline passed. */
static void on_deadline(uv_timer_t *t)
{
	ssp_run_t *run = t->data;
	char reason[128];

	snprintf(reason, sizeof(reason), "the run deadline of %u s was reached", run->opts.deadline_s);
	stop_all(run, reason);
}

/* on_signal - SIGINT or SIGTERM: end the run as the deadline does, reports
 * written; a second one ends the process at once. */
static void on_signal(uv_signal_t *h, int signum)
{
	ssp_run_t *run = h->data;

	if (run->interrupted) {
		signal(signum, SIG_DFL);
		raise(signum);
		return;
	}
	run->interrupted = signum;
	stop_all(run, signum == SIGINT ? "interrupted by SIGINT" : "interrupted by SIGTERM");
	/* before the vectors: the probe or zero configuration ends now, and so does any wait after it */
	run->cfg.deadline_at = uv_now(h->loop);
	if (run->pre != NULL)
		ssp_session_abort(run->pre, run->incomplete);
}

/* run_init - the run's inputs and empty results: 0, or -1 with diag set. */
static int run_init(ssp_run_t *run, const ssp_vector_t **vectors, size_t n,
		    const ssp_profile_t *profile, const ssp_run_opts_t *opts,
		    ssp_run_progress_cb progress, void *arg, ssp_diag_t *diag)
{
	size_t i;

	memset(run, 0, sizeof(*run));
	run->vectors = vectors;
	run->n = n;
	run->profile = profile;
	run->opts = *opts;
	if (run->opts.jobs < 1)
		run->opts.jobs = 1;
	if (run->opts.max_memory == 0)
		run->opts.max_memory = SSP_DEFAULT_MAX_MEMORY;
	run->progress = progress;
	run->progress_arg = arg;
	run->started = time(NULL);
	run->t0_ns = uv_hrtime();
	ssp_vars_init(&run->vars, NULL);
	ssp_result_init(&run->probe, NULL);
	/* the results stay until the reports: they are charged to the budget first */
	run->results_charge = ssp_run_results_bytes(n, run->opts.repeat > 1 ? n / run->opts.repeat : n);
	run->charged = run->results_charge;
	run->results = calloc(n ? n : 1, sizeof(*run->results));
	run->active = calloc(n ? n : 1, sizeof(*run->active));
	if (run->results == NULL || run->active == NULL)
		return ssp_diag_set(diag, NULL, 0, 0, "out of memory");
	for (i = 0; i < n; i++)
		ssp_result_init(&run->results[i], vectors[i]);
	return ssp_run_parse_target(opts->target, run->host, sizeof(run->host), run->port,
				    sizeof(run->port), diag);
}

/* tls_setup - the TLS-capable transport every session uses (plaintext
 * until a STARTTLS step, or TLS at once with --tls): 0, or -1 with diag. */
static int tls_setup(ssp_run_t *run, ssp_diag_t *diag)
{
	static const ssp_tlsopt_t none = { .mode = SSP_TLS_MODE_NONE };
	const ssp_tlsopt_t *t = run->opts.tls ? run->opts.tls : &none;
	char err[SSP_TLS_ERROR_MAX];

	run->tls_ctx = ssp_tlsopt_ctx(t, err, sizeof(err));
	if (run->tls_ctx == NULL)
		return ssp_diag_set(diag, NULL, 0, 0, "%s", err);
	run->tls_conn.ctx = run->tls_ctx;
	run->tls_conn.sni = ssp_tlsopt_sni(t, run->host);
	run->tls_conn.implicit = t->mode == SSP_TLS_MODE_IMPLICIT;
	run->tls_conn.handshake_ms = run->opts.timeout_ms;
	run->tls_conn.learned = &run->tls_info;
	run->cfg.open = ssp_conn_tls_open;
	run->cfg.open_arg = &run->tls_conn;
	run->cfg.starttls = t->mode == SSP_TLS_MODE_STARTTLS;
	run->cfg.implicit_tls = t->mode == SSP_TLS_MODE_IMPLICIT;
	if (t->mode != SSP_TLS_MODE_NONE || t->verify)
		ssp_tlsopt_describe(t, run->tls_line, sizeof(run->tls_line));
	return 0;
}

uint64_t ssp_run_results_bytes(size_t sessions, size_t reported)
{
	return (uint64_t)sessions * (sizeof(ssp_result_t) + sizeof(ssp_session_t *) + sizeof(ssp_vector_t *)) +
	       (uint64_t)reported * SSP_REPORT_BYTES_PER_RESULT;
}

/* deadline_left_ms - what is left of the run deadline, counted from the start of the run (the name resolution included). */
static uint64_t deadline_left_ms(const ssp_run_t *run)
{
	uint64_t spent = (uv_hrtime() - run->t0_ns) / 1000000, all = (uint64_t)run->opts.deadline_s * 1000;

	return spent < all ? all - spent : 0;
}

/*
 * probe - greeting and EHLO with the profile's client name, on each resolved
 * address in turn until one accepts the connection: 0, or -1 with diag set.
 */
static int probe(ssp_run_t *run, uv_loop_t *loop, ssp_diag_t *diag)
{
	ssp_probe_replies_t replies;
	size_t i;

	if (ssp_profile_vars(run->profile, NULL, run->host, &run->vars) != 0)
		return ssp_diag_set(diag, NULL, 0, 0, "out of memory");
	run->cfg.loop = loop;
	/* the run deadline holds for the probe and zero configuration too: no wait passes it */
	uv_update_time(loop);
	run->cfg.deadline_at = uv_now(loop) + deadline_left_ms(run);
	run->cfg.current = &run->pre;
	if (run->cfg.open == NULL && tls_setup(run, diag) != 0)
		return -1;
	run->cfg.addr = (const struct sockaddr *)&run->addr;
	run->cfg.target = run->opts.target;
	run->cfg.remote = run->opts.remote;
	run->cfg.timeout_ms = run->opts.timeout_ms;
	run->cfg.connect_timeout_ms = run->opts.connect_timeout_ms;
	run->cfg.vars = &run->vars;
	for (i = 0; i < run->naddrs && !run->probe.connected; i++) {
		ssp_result_free(&run->probe);
		ssp_result_init(&run->probe, ssp_position_probe_vector());
		run->addr = run->addrs[i];
		address_name(&run->addr, run->address, sizeof(run->address));
		free(run->greeting);
		free(run->caps);
		run->greeting = run->caps = NULL;
		if ((run->pre = ssp_session_probe(&run->cfg, &run->probe, &replies, on_probe_done, run)) != NULL)
			uv_run(loop, UV_RUN_DEFAULT);
		run->pre = NULL;
		run->greeting = replies.greeting;
		run->greeting_len = replies.greeting_len;
		run->caps = replies.ehlo;
		run->caps_len = replies.ehlo_len;
	}
	if (!run->probe.connected)
		return ssp_diag_set(diag, NULL, 0, 0, "cannot reach %s (%s): %s", run->opts.target,
				    run->address, run->probe.reason);
	return 0;
}

/* learn - what the probe taught: capabilities, the server's name in ${domain}. */
static int learn(ssp_run_t *run, ssp_diag_t *diag)
{
	char domain[256];

	run->cfg.caps = run->caps;
	run->cfg.caps_len = run->caps_len;
	greeting_domain(run->greeting, run->greeting_len, domain, sizeof(domain));
	ssp_vars_free(&run->vars);
	if (ssp_profile_vars(run->profile, domain, run->host, &run->vars) != 0)
		return ssp_diag_set(diag, NULL, 0, 0, "out of memory");
	return 0;
}

/* given - 1 if the profile (or the command line) names this variable. */
static int given(const ssp_run_t *run, const char *name)
{
	return ssp_vars_get(&run->profile->values, name) != NULL;
}

/*
 * zero_config - settle the recipients (recipients.h) and put them in the
 * run's variables: 0, or -1 (out of memory) with diag set.
 */
static int zero_config(ssp_run_t *run, ssp_diag_t *diag)
{
	char domain[SSP_DOMAIN_MAX];
	ssp_recipients_t *r = &run->rcpts;

	if (run->greeting == NULL || run->greeting_len < 4 || memcmp(run->greeting, "220", 3) != 0) {
		/* no 220 greeting: nothing to ask; the vectors will find the same */
		ssp_recipients_unasked(&run->cfg, r, "the server sent the probe no 220 greeting");
		return 0;
	}
	greeting_domain(run->greeting, run->greeting_len, domain, sizeof(domain));
	ssp_recipients_settle(&run->cfg, given(run, "mailbox"), given(run, "domain"),
			      given(run, "rejected_mailbox"), domain, run->host, r);
	if (ssp_vars_set(&run->vars, "mailbox", r->mailbox, strlen(r->mailbox)) != 0 ||
	    ssp_vars_set(&run->vars, "domain", r->domain, strlen(r->domain)) != 0 ||
	    ssp_vars_set(&run->vars, "rejected_mailbox", r->rejected, strlen(r->rejected)) != 0)
		return ssp_diag_set(diag, NULL, 0, 0, "out of memory");
	return 0;
}

/* schedule - run every vector, at most opts.jobs at a time, within the deadline. */
static void schedule(ssp_run_t *run, uv_loop_t *loop)
{
	uv_timer_t deadline;
	size_t i;

	uv_timer_init(loop, &deadline);
	deadline.data = run;
	/* what is left of the deadline after the probe; the vector sessions end by on_deadline */
	uv_update_time(loop);
	uv_timer_start(&deadline, on_deadline,
		       run->cfg.deadline_at > uv_now(loop) ? run->cfg.deadline_at - uv_now(loop) : 0, 0);
	run->cfg.deadline_at = 0;
	uv_unref((uv_handle_t *)&deadline); /* the sessions keep the loop alive */
	start_next(run);
	uv_run(loop, UV_RUN_DEFAULT);
	/* a session with nothing left to wait on would be a harness bug: end it
	 * visibly rather than lose its result */
	for (i = 0; i < run->n && run->nactive > 0; i++) {
		if (run->active[i] != NULL)
			ssp_session_abort(run->active[i], "internal error: the session stalled with nothing to wait for");
	}
	uv_run(loop, UV_RUN_DEFAULT);
	uv_close((uv_handle_t *)&deadline, NULL);
	uv_run(loop, UV_RUN_DEFAULT);
}

int ssp_run_execute(ssp_run_t *run, const ssp_vector_t **vectors, size_t n,
		    const ssp_profile_t *profile, const ssp_run_opts_t *opts,
		    ssp_run_progress_cb progress, void *arg, ssp_diag_t *diag)
{
	static const int signums[2] = { SIGINT, SIGTERM };
	uv_signal_t sig[2];
	uv_loop_t loop;
	size_t i;
	int rc = 0;

	if (run_init(run, vectors, n, profile, opts, progress, arg, diag) != 0)
		return -1;
	if (uv_loop_init(&loop) != 0)
		return ssp_diag_set(diag, NULL, 0, 0, "cannot create the event loop");
	/* the deadline that cannot be starved: 1 is the exit status of a failed run */
	run->watchdog = ssp_watchdog_start((uint64_t)run->opts.deadline_s * 1000 + SSP_WATCHDOG_GRACE_MS, 1, NULL);
	for (i = 0; i < 2; i++) { /* SIGINT, SIGTERM: the run ends with its reports */
		uv_signal_init(&loop, &sig[i]);
		sig[i].data = run;
		uv_signal_start(&sig[i], on_signal, signums[i]);
		uv_unref((uv_handle_t *)&sig[i]);
	}
	ssp_watchdog_phase(run->watchdog, SSP_PHASE_RESOLVE);
	if (resolve(run, &loop, diag) != 0)
		rc = -1;
	ssp_watchdog_phase(run->watchdog, SSP_PHASE_PROBE);
	if (rc == 0 && (probe(run, &loop, diag) != 0 || learn(run, diag) != 0 || zero_config(run, diag) != 0))
		rc = -1;
	ssp_watchdog_phase(run->watchdog, SSP_PHASE_VECTORS);
	if (rc == 0)
		schedule(run, &loop);
	for (i = 0; i < 2; i++)
		uv_close((uv_handle_t *)&sig[i], NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	ssp_watchdog_stop(run->watchdog);
	run->watchdog = NULL;
	run->elapsed_ms = (unsigned long)((uv_hrtime() - run->t0_ns) / 1000000);
	if (uv_loop_close(&loop) != 0 && rc == 0)
		rc = ssp_diag_set(diag, NULL, 0, 0, "internal: handles left open at the end of the run");
	run->cfg.loop = NULL;
	return rc;
}

void ssp_run_free(ssp_run_t *run)
{
	size_t i;

	ssp_watchdog_stop(run->watchdog);
	run->watchdog = NULL;
	if (run->results) {
		for (i = 0; i < run->n; i++)
			ssp_result_free(&run->results[i]);
	}
	ssp_result_free(&run->probe);
	free(run->results);
	ssp_tls_ctx_free(run->tls_ctx);
	run->tls_ctx = NULL;
	free(run->active);
	free(run->greeting);
	free(run->caps);
	ssp_vars_free(&run->vars);
	memset(run, 0, sizeof(*run));
}
