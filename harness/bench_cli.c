/*
 * bench_cli.c - the smtpspec bench subcommand: option parsing, target
 * resolution, progress on stderr, the summary on stdout, the --json result
 * document, and bench --merge, which combines result documents of several
 * processes (one per shard) exactly: counts add, histograms merge bucket by
 * bucket, rates are recomputed over the longest run.
 */
#include "bench_cli.h"

#include "diag.h"
#include "hist.h"
#include "jsonfile.h"
#include "limits.h"
#include "loadgen.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>
#include <inttypes.h>

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_UNREACHABLE = 3 };

/* Version of the --json document; --merge reads only this one. */
#define BENCH_FORMAT 1
/* Largest count read back from a result document (sums of 1024 stay exact). */
#define BENCH_COUNT_MAX 1000000000000000LL
/* Largest elapsed time read back, in seconds. */
#define BENCH_ELAPSED_MAX 1e7

static const double pcts[] = {50, 90, 99};
static const char *const pct_keys[] = {"p50", "p90", "p99"};
#define NPCTS 3

/* What describes a run besides its counts (also carried through --merge). */
typedef struct {
	char target[300];
	char shard[32];
	unsigned processes;
	json_t *options;     /* owned; the options of the (first) run */
} bench_meta_t;

/* usage - the help text of bench. */
static void usage(FILE *f)
{
	fprintf(f,
		"usage: smtpspec bench --target HOST:PORT [options]\n"
		"       smtpspec bench --merge A.json B.json ... [--json OUT.json]\n"
		"\n"
		"Sends mail over many concurrent SMTP sessions on one event loop and\n"
		"reports messages/s, latency per command and errors by kind.\n"
		"\n"
		"load:\n"
		"  --connections N    concurrent sessions (default 10, at most %d)\n"
		"  --messages M       messages in all (default 1000, at most %d)\n"
		"  --duration S       send for S seconds instead (at most %d)\n"
		"  --per-session K    messages per session (default 1, at most %d)\n"
		"  --rcpts R          recipients per message (default 1, at most %d)\n"
		"  --size BYTES       body bytes per message (default 1024, at most %d)\n"
		"  --pipelining       RFC 2920 groups (MAIL, RCPTs, DATA in one write) when\n"
		"                     the server advertises PIPELINING; else one by one\n"
		"  --rate R           open loop: start R messages per second (at most %d);\n"
		"                     default closed loop (a new message when one ends)\n"
		"  --ramp S           grow from 1 to N connections over S seconds\n"
		"  --shard K/N        this is process K of N: recipients carry \"KofN\" and\n"
		"                     never collide with the other processes'\n"
		"addresses:\n"
		"  --ehlo NAME        (default smtpspec-bench.example)\n"
		"  --from ADDR        envelope sender (default bench@smtpspec-bench.example)\n"
		"  --rcpt-domain D    recipients are bench-KofN-SEQ-R@D (default example.net)\n"
		"time:\n"
		"  --timeout MS       wait for each reply (default %d)\n"
		"  --connect-timeout MS  wait for each connection (default %d)\n"
		"  --deadline S       the whole run (default %d; with --duration: S + 60)\n"
		"output:\n"
		"  --json FILE        write the result document (README.md, \"Load testing\")\n"
		"  --no-progress      no progress line on stderr\n"
		"\n"
		"exit: 0 every message delivered, 1 a message failed or the run was cut,\n"
		"      2 bad usage or input file, 3 the target could not be reached\n",
		SSP_BENCH_CONNECTIONS_MAX, SSP_BENCH_MESSAGES_MAX, SSP_BENCH_DURATION_MAX_S,
		SSP_BENCH_PER_SESSION_MAX, SSP_BENCH_RCPTS_MAX, SSP_BENCH_SIZE_MAX, SSP_BENCH_RATE_MAX,
		SSP_DEFAULT_TIMEOUT_MS, SSP_DEFAULT_CONNECT_TIMEOUT_MS, SSP_DEFAULT_DEADLINE_S);
}

/* number - a decimal option value in [min, max]: 0, or -1 with a message. */
static int number(const char *name, const char *s, double min, double max, int integer, double *out)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		goto bad;
	v = strtod(s, &end);
	if (*end != '\0' || !isfinite(v) || v < min || v > max || (integer && v != floor(v)))
		goto bad;
	*out = v;
	return 0;
bad:
	fprintf(stderr, "smtpspec bench: %s: expected %s from %g to %g, got \"%s\"\n", name,
		integer ? "a whole number" : "a number", min, max, s ? s : "");
	return -1;
}

/* name_ok - an EHLO name, address or domain to put in a command: 1 to
 * SSP_BENCH_NAME_MAX printable octets, no space, '<' or '>'. */
static int name_ok(const char *opt, const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '<' || s[i] == '>')
			break;
	if (n == 0 || n > SSP_BENCH_NAME_MAX || i < n) {
		fprintf(stderr,
			"smtpspec bench: %s: expected 1 to %d printable characters without space, "
			"'<' or '>'\n",
			opt, SSP_BENCH_NAME_MAX);
		return 0;
	}
	return 1;
}

/* reachable - a TCP connection to a can be made within timeout_ms (it is
 * closed at once): 1 or 0. */
static int reachable(const struct addrinfo *a, unsigned timeout_ms)
{
	struct pollfd p;
	socklen_t len = sizeof(int);
	int fd, err = 1;

	fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
	if (fd < 0)
		return 0;
	if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
		err = 0;
	} else if (errno == EINPROGRESS) {
		p.fd = fd;
		p.events = POLLOUT;
		if (poll(&p, 1, (int)timeout_ms) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
			err = 1;
	}
	close(fd);
	return err == 0;
}

/*
 * resolve - HOST:PORT or [V6]:PORT into addr: 0, or -1 with a message.  A
 * name with several addresses: the first one that accepts a connection
 * (within timeout_ms each), else the first.
 */
static int resolve(const char *target, unsigned timeout_ms, struct sockaddr_storage *addr)
{
	char host[300];
	const char *colon, *port;
	struct addrinfo hints, *res = NULL, *ai, *pick;
	size_t hl;
	int rc;

	if (target[0] == '[') {
		colon = strchr(target, ']');
		if (colon == NULL || colon[1] != ':')
			goto bad;
		hl = (size_t)(colon - target - 1);
		memcpy(host, target + 1, hl < sizeof(host) ? hl : 0);
		port = colon + 2;
	} else {
		colon = strrchr(target, ':');
		if (colon == NULL)
			goto bad;
		hl = (size_t)(colon - target);
		memcpy(host, target, hl < sizeof(host) ? hl : 0);
		port = colon + 1;
	}
	if (hl == 0 || hl >= sizeof(host) || *port == '\0' || strspn(port, "0123456789") != strlen(port) ||
	    strlen(port) > 5 || atoi(port) < 1 || atoi(port) > 65535)
		goto bad;
	host[hl] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0 || res == NULL || res->ai_addrlen > sizeof(*addr)) {
		fprintf(stderr, "smtpspec bench: %s: %s\n", target, rc ? gai_strerror(rc) : "no address");
		if (res)
			freeaddrinfo(res);
		return -1;
	}
	pick = res;
	if (res->ai_next != NULL)
		for (ai = res; ai != NULL; ai = ai->ai_next)
			if (ai->ai_addrlen <= sizeof(*addr) && reachable(ai, timeout_ms)) {
				pick = ai;
				break;
			}
	memset(addr, 0, sizeof(*addr));
	memcpy(addr, pick->ai_addr, pick->ai_addrlen);
	freeaddrinfo(res);
	return 0;
bad:
	fprintf(stderr, "smtpspec bench: --target: expected HOST:PORT or [IPV6]:PORT, got \"%s\"\n",
		target);
	return -1;
}

/* rate - count per second over elapsed seconds (0 for no time). */
static double rate(uint64_t count, double elapsed)
{
	return elapsed > 0 ? (double)count / elapsed : 0.0;
}

/* on_progress - the progress line on stderr (a refreshed line on a terminal). */
static void on_progress(const ssp_lg_stats_t *st, void *arg)
{
	int tty = *(const int *)arg;

	fprintf(stderr, "%s%7.1f s  delivered %" PRIu64 "  failed %" PRIu64 "  %.0f msg/s  %.0f sessions/s%s",
		tty ? "\r" : "", st->elapsed_s, st->delivered, st->failed,
		rate(st->delivered, st->elapsed_s), rate(st->sessions_ok + st->sessions_failed, st->elapsed_s),
		tty ? "   " : "\n");
	fflush(stderr);
}

/* print_summary - the final summary on stdout. */
static void print_summary(const ssp_lg_stats_t *st, const bench_meta_t *m)
{
	unsigned i, k;
	uint64_t errs = 0, sessions = st->sessions_ok + st->sessions_failed;
	int any;

	printf("smtpspec bench: %s%s%s%s\n", m->target, m->shard[0] ? ", shard " : "", m->shard,
	       st->interrupted ? " (cut short)" : "");
	if (m->processes > 1)
		printf("  merged from %u processes\n", m->processes);
	if (st->requested)
		printf("  messages   %" PRIu64 " delivered, %" PRIu64 " failed, %" PRIu64 " not sent of %" PRIu64
		       " in %.2f s\n",
		       st->delivered, st->failed,
		       st->requested > st->delivered + st->failed ? st->requested - st->delivered - st->failed : 0,
		       st->requested, st->elapsed_s);
	else
		printf("  messages   %" PRIu64 " delivered, %" PRIu64 " failed in %.2f s\n", st->delivered,
		       st->failed, st->elapsed_s);
	printf("  rates      %.1f messages/s, %.1f sessions/s, %.0f bytes/s sent, %.0f bytes/s received\n",
	       rate(st->delivered, st->elapsed_s), rate(sessions, st->elapsed_s),
	       rate(st->bytes_sent, st->elapsed_s), rate(st->bytes_received, st->elapsed_s));
	printf("  sessions   %" PRIu64 " ended, %" PRIu64 " with a failure, at most %" PRIu64 " at once\n",
	       sessions, st->sessions_failed, st->sessions_peak);
	printf("  latency ms %-12s %9s %9s %9s %9s %9s\n", "", "count", "p50", "p90", "p99", "max");
	for (i = 0; i < SSP_LG_NSTEPS; i++) {
		const ssp_hist_t *h = &st->latency[i];
		printf("             %-12s %9" PRIu64 " %9.3f %9.3f %9.3f %9.3f\n", ssp_lg_step_name(i), h->count,
		       ssp_hist_percentile(h, 50) / 1e3, ssp_hist_percentile(h, 90) / 1e3,
		       ssp_hist_percentile(h, 99) / 1e3, h->max / 1e3);
	}
	for (i = 0; i < SSP_LG_NSTEPS; i++) {
		any = 0;
		for (k = 0; k < SSP_LG_CODES; k++)
			if (st->replies[i][k]) {
				if (!any)
					printf("  replies    %-12s", ssp_lg_step_name(i));
				printf(" %03u x%" PRIu64, k, st->replies[i][k]);
				any = 1;
			}
		if (any)
			printf("\n");
	}
	printf("  errors    ");
	for (i = 0; i < SSP_LG_NERRS; i++)
		if (st->errors[i]) {
			printf(" %s %" PRIu64, ssp_lg_err_key(i), st->errors[i]);
			errs += st->errors[i];
		}
	printf("%s\n", errs ? "" : " none");
	if (st->fallback_sessions)
		printf("  note       --pipelining: %" PRIu64 " sessions found no PIPELINING in the EHLO reply and "
		       "sent their commands one by one\n",
		       st->fallback_sessions);
	if (st->schedule_lag_max_us > 1000)
		printf("  note       --rate: messages started up to %.1f ms late (all connections busy)\n",
		       st->schedule_lag_max_us / 1e3);
}

/* U - a JSON integer from a count. */
static json_t *U(uint64_t v)
{
	return json_integer((json_int_t)(v > (uint64_t)BENCH_COUNT_MAX ? (uint64_t)BENCH_COUNT_MAX : v));
}

/* hist_json - the histogram's buckets, for --merge: {"min","max","sum",
 * "clamped","buckets":[[index,count],...]} (used buckets only). */
static json_t *hist_json(const ssp_hist_t *h)
{
	json_t *o = json_object(), *b = json_array();
	size_t i;

	for (i = 0; i < SSP_HIST_BUCKETS; i++)
		if (h->counts[i])
			json_array_append_new(b, json_pack("[Io]", (json_int_t)i, U(h->counts[i])));
	json_object_set_new(o, "count", U(h->count));
	json_object_set_new(o, "min", U(h->min));
	json_object_set_new(o, "max", U(h->max));
	json_object_set_new(o, "sum", U(h->sum));
	json_object_set_new(o, "clamped", U(h->clamped));
	json_object_set_new(o, "buckets", b);
	return o;
}

/* result_json - the result document without its histograms (new reference). */
static json_t *result_json(const ssp_lg_stats_t *st, const bench_meta_t *m)
{
	json_t *root = json_object(), *lat = json_object(), *rep = json_object(), *err = json_object();
	uint64_t sessions = st->sessions_ok + st->sessions_failed;
	unsigned i, k, p;
	char code[8];

	json_object_set_new(root, "format", json_integer(BENCH_FORMAT));
	json_object_set_new(root, "target", json_string(m->target));
	if (m->shard[0])
		json_object_set_new(root, "shard", json_string(m->shard));
	json_object_set_new(root, "processes", json_integer(m->processes));
	json_object_set_new(root, "options", m->options ? json_incref(m->options) : json_object());
	json_object_set_new(root, "requested", U(st->requested));
	json_object_set_new(root, "delivered", U(st->delivered));
	json_object_set_new(root, "failed", U(st->failed));
	json_object_set_new(root, "interrupted", json_boolean(st->interrupted));
	json_object_set_new(root, "elapsed_s", json_real(st->elapsed_s));
	json_object_set_new(root, "messages_per_s", json_real(rate(st->delivered, st->elapsed_s)));
	json_object_set_new(root, "sessions_per_s", json_real(rate(sessions, st->elapsed_s)));
	json_object_set_new(root, "bytes_per_s", json_real(rate(st->bytes_sent, st->elapsed_s)));
	json_object_set_new(root, "sessions",
			    json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "started", U(st->sessions_started),
				      "peak", U(st->sessions_peak), "ok", U(st->sessions_ok), "failed",
				      U(st->sessions_failed), "pipelined", U(st->pipelined_sessions),
				      "fallback", U(st->fallback_sessions)));
	json_object_set_new(root, "bytes",
			    json_pack("{s:o,s:o}", "sent", U(st->bytes_sent), "received", U(st->bytes_received)));
	for (i = 0; i < SSP_LG_NERRS; i++)
		json_object_set_new(err, ssp_lg_err_key(i), U(st->errors[i]));
	json_object_set_new(root, "errors", err);
	json_object_set_new(root, "schedule_lag_max_us", U(st->schedule_lag_max_us));
	for (i = 0; i < SSP_LG_NSTEPS; i++) {
		const ssp_hist_t *h = &st->latency[i];
		json_t *o = json_object(), *r = json_object();
		json_object_set_new(o, "count", U(h->count));
		for (p = 0; p < NPCTS; p++)
			json_object_set_new(o, pct_keys[p], U(ssp_hist_percentile(h, pcts[p])));
		json_object_set_new(o, "max", U(h->max));
		json_object_set_new(o, "mean", json_real(ssp_hist_mean(h)));
		json_object_set_new(lat, ssp_lg_step_key(i), o);
		for (k = 0; k < SSP_LG_CODES; k++)
			if (st->replies[i][k]) {
				snprintf(code, sizeof(code), "%03u", k);
				json_object_set_new(r, code, U(st->replies[i][k]));
			}
		json_object_set_new(rep, ssp_lg_step_key(i), r);
	}
	json_object_set_new(root, "latency_us", lat);
	json_object_set_new(root, "replies", rep);
	return root;
}

/*
 * write_json - the result document to path: indented, except that each
 * histogram is written on one line (its buckets would take thousands).
 * 0, or -1 with a message.
 */
static int write_json(const char *path, const ssp_lg_stats_t *st, const bench_meta_t *m)
{
	json_t *root = result_json(st, m);
	char *head = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	size_t hl;
	FILE *f;
	unsigned i;
	int bad;

	json_decref(root);
	if (head == NULL || (hl = strlen(head)) < 2 || head[hl - 1] != '}') {
		free(head);
		fprintf(stderr, "smtpspec bench: %s: out of memory\n", path);
		return -1;
	}
	f = fopen(path, "w");
	if (f == NULL) {
		free(head);
		fprintf(stderr, "smtpspec bench: %s: cannot write: %m\n", path);
		return -1;
	}
	head[hl - 2] = '\0';   /* drop the closing "\n}" */
	fprintf(f, "%s,\n  \"histograms\": {\n    \"unit\": \"us\",\n    \"sub_bucket_bits\": %d,\n"
		   "    \"buckets\": %d",
		head, SSP_HIST_SUB_BITS, SSP_HIST_BUCKETS);
	free(head);
	for (i = 0; i < SSP_LG_NSTEPS; i++) {
		json_t *h = hist_json(&st->latency[i]);
		char *s = json_dumps(h, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(h);
		fprintf(f, ",\n    \"%s\": %s", ssp_lg_step_key(i), s ? s : "null");
		free(s);
	}
	fprintf(f, "\n  }\n}\n");
	bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		fprintf(stderr, "smtpspec bench: %s: write error\n", path);
		return -1;
	}
	return 0;
}

/* ---- bench --merge ---------------------------------------------------- */

/* get_u - integer member key of obj in [0, BENCH_COUNT_MAX], added to *out. */
static int get_u(ssp_jfile_t *f, json_t *obj, const char *key, uint64_t *out)
{
	long long v = 0;

	if (ssp_jfile_uint(f, obj, key, 1, 0, BENCH_COUNT_MAX, &v) != 0)
		return -1;
	*out += (uint64_t)v;
	return 0;
}

/* get_obj - the object member key of obj, or NULL with an error. */
static json_t *get_obj(ssp_jfile_t *f, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_object(v)) {
		if (v == NULL)
			ssp_jfile_error(f, 0, "missing object \"%s\"", key);
		else {
			ssp_jfile_push_key(f, key);
			ssp_jfile_error(f, 0, "expected an object, got %s", ssp_jfile_type_name(v));
			ssp_jfile_pop(f);
		}
		return NULL;
	}
	return v;
}

/* load_hist - the histogram object hj (current path) added into h. */
static int load_hist(ssp_jfile_t *f, json_t *hj, ssp_hist_t *h)
{
	ssp_hist_t *r = malloc(sizeof(*r));
	uint64_t count = 0, min = 0, max = 0, sum = 0, clamped = 0, c;
	json_t *b = json_object_get(hj, "buckets"), *e;
	size_t i, n;
	int rc = -1;

	if (r == NULL)
		return ssp_jfile_error(f, 0, "out of memory");
	ssp_hist_init(r);
	if (get_u(f, hj, "count", &count) || get_u(f, hj, "min", &min) || get_u(f, hj, "max", &max) ||
	    get_u(f, hj, "sum", &sum) || get_u(f, hj, "clamped", &clamped))
		goto out;
	if (!json_is_array(b)) {
		ssp_jfile_error(f, 0, "\"buckets\": expected an array of [index, count]");
		goto out;
	}
	ssp_jfile_push_key(f, "buckets");
	n = json_array_size(b);
	for (i = 0; i < n; i++) {
		e = json_array_get(b, i);
		ssp_jfile_push_index(f, i);
		if (!json_is_array(e) || json_array_size(e) != 2 || !json_is_integer(json_array_get(e, 0)) ||
		    !json_is_integer(json_array_get(e, 1)) || json_integer_value(json_array_get(e, 0)) < 0 ||
		    json_integer_value(json_array_get(e, 0)) >= SSP_HIST_BUCKETS ||
		    json_integer_value(json_array_get(e, 1)) < 1 ||
		    json_integer_value(json_array_get(e, 1)) > BENCH_COUNT_MAX) {
			ssp_jfile_error(f, 0, "expected [index 0 to %d, count 1 to %lld]", SSP_HIST_BUCKETS - 1,
					BENCH_COUNT_MAX);
			ssp_jfile_pop(f);
			ssp_jfile_pop(f);
			goto out;
		}
		c = (uint64_t)json_integer_value(json_array_get(e, 1));
		if (ssp_hist_add(r, (size_t)json_integer_value(json_array_get(e, 0)), c) != 0) {
			ssp_jfile_error(f, 0, "bucket count overflows");
			ssp_jfile_pop(f);
			ssp_jfile_pop(f);
			goto out;
		}
		ssp_jfile_pop(f);
	}
	ssp_jfile_pop(f);
	if (r->count != count || ssp_hist_restore(r, min, max, sum, clamped) != 0) {
		ssp_jfile_error(f, 0, "count, min, max or clamped disagree with the buckets");
		goto out;
	}
	ssp_hist_merge(h, r);
	rc = 0;
out:
	free(r);
	return rc;
}

/* load_result - add the result document at path to st and m: 0, or -1 with diag set. */
static int load_result(const char *path, ssp_lg_stats_t *st, bench_meta_t *m, ssp_diag_t *diag)
{
	static const char *const keys[] = {"format", "target", "shard", "processes", "options",
		"requested", "delivered", "failed", "interrupted", "elapsed_s", "messages_per_s",
		"sessions_per_s", "bytes_per_s", "sessions", "bytes", "errors", "schedule_lag_max_us",
		"latency_us", "replies", "histograms", NULL};
	ssp_jfile_t f;
	json_t *root, *o, *hs, *v;
	long long fmt = 0, procs = 0, lag = 0;
	uint64_t code;
	const char *key, *target;
	size_t tlen;
	double el;
	unsigned i;
	char *end;
	int rc = -1;

	if (ssp_jfile_open(&f, path, diag) != 0) {
		ssp_jfile_close(&f);
		return -1;
	}
	root = f.root;
	if (!json_is_object(root)) {
		ssp_jfile_error(&f, 0, "expected a bench result object");
		goto out;
	}
	if (ssp_jfile_check_keys(&f, root, keys) ||
	    ssp_jfile_uint(&f, root, "format", 1, 1, 1000, &fmt) ||
	    ssp_jfile_uint(&f, root, "processes", 1, 1, SSP_BENCH_SHARDS_MAX, &procs) ||
	    ssp_jfile_string(&f, root, "target", 1, &target, &tlen) ||
	    get_u(&f, root, "requested", &st->requested) ||
	    get_u(&f, root, "delivered", &st->delivered) || get_u(&f, root, "failed", &st->failed) ||
	    ssp_jfile_uint(&f, root, "schedule_lag_max_us", 1, 0, BENCH_COUNT_MAX, &lag))
		goto out;
	if (fmt != BENCH_FORMAT) {
		ssp_jfile_push_key(&f, "format");
		ssp_jfile_error(&f, 0, "%lld, but this smtpspec reads bench results of format %d", fmt,
				BENCH_FORMAT);
		goto out;
	}
	if (m->processes == 0) {
		snprintf(m->target, sizeof(m->target), "%.*s", (int)(tlen < 299 ? tlen : 299), target);
		m->options = json_incref(json_object_get(root, "options"));
	} else if (strlen(m->target) != tlen || memcmp(m->target, target, tlen) != 0) {
		fprintf(stderr, "smtpspec bench: %s: note: another target than the first file's\n", path);
	}
	m->processes += (unsigned)procs;
	if ((uint64_t)lag > st->schedule_lag_max_us)
		st->schedule_lag_max_us = (uint64_t)lag;
	v = json_object_get(root, "interrupted");
	if (json_is_true(v))
		st->interrupted = 1;
	v = json_object_get(root, "elapsed_s");
	if (!json_is_number(v) || (el = json_number_value(v)) < 0 || el > BENCH_ELAPSED_MAX || !isfinite(el)) {
		ssp_jfile_push_key(&f, "elapsed_s");
		ssp_jfile_error(&f, 0, "expected seconds from 0 to %g", BENCH_ELAPSED_MAX);
		goto out;
	}
	if (el > st->elapsed_s)   /* the processes ran side by side */
		st->elapsed_s = el;
	if ((o = get_obj(&f, root, "sessions")) == NULL)
		goto out;
	ssp_jfile_push_key(&f, "sessions");
	if (get_u(&f, o, "started", &st->sessions_started) ||
	    get_u(&f, o, "peak", &st->sessions_peak) || get_u(&f, o, "ok", &st->sessions_ok) ||
	    get_u(&f, o, "failed", &st->sessions_failed) || get_u(&f, o, "pipelined", &st->pipelined_sessions) ||
	    get_u(&f, o, "fallback", &st->fallback_sessions))
		goto out;
	ssp_jfile_pop(&f);
	if ((o = get_obj(&f, root, "bytes")) == NULL)
		goto out;
	ssp_jfile_push_key(&f, "bytes");
	if (get_u(&f, o, "sent", &st->bytes_sent) || get_u(&f, o, "received", &st->bytes_received))
		goto out;
	ssp_jfile_pop(&f);
	if ((o = get_obj(&f, root, "errors")) == NULL)
		goto out;
	ssp_jfile_push_key(&f, "errors");
	for (i = 0; i < SSP_LG_NERRS; i++)
		if (get_u(&f, o, ssp_lg_err_key(i), &st->errors[i]))
			goto out;
	ssp_jfile_pop(&f);
	if ((o = get_obj(&f, root, "replies")) == NULL)
		goto out;
	ssp_jfile_push_key(&f, "replies");
	for (i = 0; i < SSP_LG_NSTEPS; i++) {
		json_t *r = json_object_get(o, ssp_lg_step_key(i));
		if (r == NULL)
			continue;
		ssp_jfile_push_key(&f, ssp_lg_step_key(i));
		if (!json_is_object(r)) {
			ssp_jfile_error(&f, 0, "expected an object of reply codes");
			goto out;
		}
		json_object_foreach(r, key, v) {
			code = strtoull(key, &end, 10);
			if (strlen(key) != 3 || *end != '\0' || code >= SSP_LG_CODES) {
				ssp_jfile_error(&f, 0, "\"%.20s\" is not a three-digit reply code", key);
				goto out;
			}
			if (get_u(&f, r, key, &st->replies[i][code]))
				goto out;
		}
		ssp_jfile_pop(&f);
	}
	ssp_jfile_pop(&f);
	if ((hs = get_obj(&f, root, "histograms")) == NULL)
		goto out;
	ssp_jfile_push_key(&f, "histograms");
	v = json_object_get(hs, "sub_bucket_bits");
	if (!json_is_integer(v) || json_integer_value(v) != SSP_HIST_SUB_BITS ||
	    !json_is_integer(json_object_get(hs, "buckets")) ||
	    json_integer_value(json_object_get(hs, "buckets")) != SSP_HIST_BUCKETS) {
		ssp_jfile_error(&f, 0, "histograms of another layout (sub_bucket_bits %d and buckets %d expected)",
				SSP_HIST_SUB_BITS, SSP_HIST_BUCKETS);
		goto out;
	}
	for (i = 0; i < SSP_LG_NSTEPS; i++) {
		if ((o = get_obj(&f, hs, ssp_lg_step_key(i))) == NULL)
			goto out;
		ssp_jfile_push_key(&f, ssp_lg_step_key(i));
		if (load_hist(&f, o, &st->latency[i]) != 0)
			goto out;
		ssp_jfile_pop(&f);
	}
	ssp_jfile_pop(&f);
	rc = 0;
out:
	ssp_jfile_close(&f);
	return rc;
}

/* cmd_merge - bench --merge FILE... [--json OUT]. */
static int cmd_merge(char **files, int nfiles, const char *json_out)
{
	ssp_lg_stats_t *st = calloc(1, sizeof(*st));
	bench_meta_t m;
	ssp_diag_t diag;
	int i, code = EXIT_OK;

	memset(&m, 0, sizeof(m));
	if (st == NULL)
		return EXIT_FAILED;
	for (i = 0; i < nfiles; i++) {
		ssp_diag_init(&diag);
		if (load_result(files[i], st, &m, &diag) != 0) {
			ssp_diag_print(stderr, &diag);
			code = EXIT_USAGE;
			goto out;
		}
	}
	print_summary(st, &m);
	if (json_out && write_json(json_out, st, &m) != 0)
		code = EXIT_FAILED;
	else if (st->failed || st->interrupted || (st->requested && st->delivered < st->requested))
		code = EXIT_FAILED;
out:
	json_decref(m.options);
	free(st);
	return code;
}

int ssp_bench_main(int argc, char **argv)
{
	enum {
		O_TARGET = 256, O_CONN, O_MSGS, O_DUR, O_PER, O_RCPTS, O_SIZE, O_PIPE, O_RATE, O_RAMP,
		O_SHARD, O_EHLO, O_FROM, O_DOMAIN, O_TIMEOUT, O_CTIMEOUT, O_DEADLINE, O_JSON, O_NOPROG,
		O_MERGE, O_HELP
	};
	static const struct option longopts[] = {
		{"target", required_argument, NULL, O_TARGET},
		{"connections", required_argument, NULL, O_CONN},
		{"messages", required_argument, NULL, O_MSGS},
		{"duration", required_argument, NULL, O_DUR},
		{"per-session", required_argument, NULL, O_PER},
		{"rcpts", required_argument, NULL, O_RCPTS},
		{"size", required_argument, NULL, O_SIZE},
		{"pipelining", no_argument, NULL, O_PIPE},
		{"rate", required_argument, NULL, O_RATE},
		{"ramp", required_argument, NULL, O_RAMP},
		{"shard", required_argument, NULL, O_SHARD},
		{"ehlo", required_argument, NULL, O_EHLO},
		{"from", required_argument, NULL, O_FROM},
		{"rcpt-domain", required_argument, NULL, O_DOMAIN},
		{"timeout", required_argument, NULL, O_TIMEOUT},
		{"connect-timeout", required_argument, NULL, O_CTIMEOUT},
		{"deadline", required_argument, NULL, O_DEADLINE},
		{"json", required_argument, NULL, O_JSON},
		{"no-progress", no_argument, NULL, O_NOPROG},
		{"merge", no_argument, NULL, O_MERGE},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	ssp_lg_opts_t o;
	ssp_lg_stats_t *st;
	bench_meta_t m;
	const char *target = NULL, *json_out = NULL;
	double v;
	int c, merge = 0, progress = 1, tty, rc, code, have_msgs = 0, have_dur = 0, have_deadline = 0;
	unsigned k, n;
	char extra;

	memset(&o, 0, sizeof(o));
	memset(&m, 0, sizeof(m));
	o.connections = 10;
	o.messages = 1000;
	o.per_session = 1;
	o.rcpts = 1;
	o.size = 1024;
	o.shard_k = o.shard_n = 1;
	o.timeout_ms = SSP_DEFAULT_TIMEOUT_MS;
	o.connect_timeout_ms = SSP_DEFAULT_CONNECT_TIMEOUT_MS;
	o.deadline_s = SSP_DEFAULT_DEADLINE_S;
	o.ehlo = "smtpspec-bench.example";
	o.from = "bench@smtpspec-bench.example";
	o.rcpt_domain = "example.net";
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case O_TARGET:
			target = optarg;
			break;
		case O_CONN:
			if (number("--connections", optarg, 1, SSP_BENCH_CONNECTIONS_MAX, 1, &v))
				return EXIT_USAGE;
			o.connections = (unsigned)v;
			break;
		case O_MSGS:
			if (number("--messages", optarg, 1, SSP_BENCH_MESSAGES_MAX, 1, &v))
				return EXIT_USAGE;
			o.messages = (uint64_t)v;
			have_msgs = 1;
			break;
		case O_DUR:
			if (number("--duration", optarg, 1, SSP_BENCH_DURATION_MAX_S, 1, &v))
				return EXIT_USAGE;
			o.duration_s = (unsigned)v;
			have_dur = 1;
			break;
		case O_PER:
			if (number("--per-session", optarg, 1, SSP_BENCH_PER_SESSION_MAX, 1, &v))
				return EXIT_USAGE;
			o.per_session = (unsigned)v;
			break;
		case O_RCPTS:
			if (number("--rcpts", optarg, 1, SSP_BENCH_RCPTS_MAX, 1, &v))
				return EXIT_USAGE;
			o.rcpts = (unsigned)v;
			break;
		case O_SIZE:
			if (number("--size", optarg, 0, SSP_BENCH_SIZE_MAX, 1, &v))
				return EXIT_USAGE;
			o.size = (size_t)v;
			break;
		case O_PIPE:
			o.pipelining = 1;
			break;
		case O_RATE:
			if (number("--rate", optarg, 0.001, SSP_BENCH_RATE_MAX, 0, &v))
				return EXIT_USAGE;
			o.rate = v;
			break;
		case O_RAMP:
			if (number("--ramp", optarg, 0, SSP_BENCH_RAMP_MAX_S, 0, &v))
				return EXIT_USAGE;
			o.ramp_s = v;
			break;
		case O_SHARD:
			if (sscanf(optarg, "%u/%u%c", &k, &n, &extra) != 2 || n < 1 || n > SSP_BENCH_SHARDS_MAX ||
			    k < 1 || k > n || strspn(optarg, "0123456789/") != strlen(optarg)) {
				fprintf(stderr, "smtpspec bench: --shard: expected K/N with 1 <= K <= N <= %d, got \"%s\"\n",
					SSP_BENCH_SHARDS_MAX, optarg);
				return EXIT_USAGE;
			}
			o.shard_k = k;
			o.shard_n = n;
			break;
		case O_EHLO:
			if (!name_ok("--ehlo", optarg))
				return EXIT_USAGE;
			o.ehlo = optarg;
			break;
		case O_FROM:
			if (!name_ok("--from", optarg))
				return EXIT_USAGE;
			o.from = optarg;
			break;
		case O_DOMAIN:
			if (!name_ok("--rcpt-domain", optarg))
				return EXIT_USAGE;
			o.rcpt_domain = optarg;
			break;
		case O_TIMEOUT:
			if (number("--timeout", optarg, 1, 3600000, 1, &v))
				return EXIT_USAGE;
			o.timeout_ms = (unsigned)v;
			break;
		case O_CTIMEOUT:
			if (number("--connect-timeout", optarg, 1, 3600000, 1, &v))
				return EXIT_USAGE;
			o.connect_timeout_ms = (unsigned)v;
			break;
		case O_DEADLINE:
			if (number("--deadline", optarg, 1, SSP_BENCH_DEADLINE_MAX_S, 1, &v))
				return EXIT_USAGE;
			o.deadline_s = (unsigned)v;
			have_deadline = 1;
			break;
		case O_JSON:
			json_out = optarg;
			break;
		case O_NOPROG:
			progress = 0;
			break;
		case O_MERGE:
			merge = 1;
			break;
		case 'h':
		case O_HELP:
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (merge) {
		if (target || optind >= argc || argc - optind > SSP_BENCH_MERGE_MAX) {
			fprintf(stderr, "smtpspec bench: --merge takes 1 to %d result files and no --target\n",
				SSP_BENCH_MERGE_MAX);
			return EXIT_USAGE;
		}
		return cmd_merge(argv + optind, argc - optind, json_out);
	}
	if (optind < argc) {
		fprintf(stderr, "smtpspec bench: unexpected argument \"%s\"\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (target == NULL) {
		fprintf(stderr, "smtpspec bench: --target HOST:PORT is required (--help)\n");
		return EXIT_USAGE;
	}
	if (have_msgs && have_dur) {
		fprintf(stderr, "smtpspec bench: give --messages or --duration, not both\n");
		return EXIT_USAGE;
	}
	if (have_dur) {
		o.messages = 0;
		if (!have_deadline)
			o.deadline_s = o.duration_s + 60;
	}
	if (resolve(target, o.connect_timeout_ms, &o.addr) != 0)
		return EXIT_USAGE;
	snprintf(m.target, sizeof(m.target), "%s", target);
	if (o.shard_n > 1)
		snprintf(m.shard, sizeof(m.shard), "%u/%u", o.shard_k, o.shard_n);
	m.processes = 1;
	m.options = json_pack("{s:i,s:I,s:i,s:i,s:i,s:I,s:b,s:f,s:f,s:i,s:i,s:i}", "connections",
			      (int)o.connections, "messages", (json_int_t)o.messages, "duration_s",
			      (int)o.duration_s, "per_session", (int)o.per_session, "rcpts", (int)o.rcpts,
			      "size", (json_int_t)o.size, "pipelining", o.pipelining, "rate", o.rate,
			      "ramp_s", o.ramp_s, "timeout_ms", (int)o.timeout_ms, "connect_timeout_ms",
			      (int)o.connect_timeout_ms, "deadline_s", (int)o.deadline_s);
	tty = isatty(2);
	if (progress) {
		o.progress = on_progress;
		o.progress_arg = &tty;
	}
	st = malloc(sizeof(*st));
	if (st == NULL) {
		json_decref(m.options);
		return EXIT_FAILED;
	}
	rc = ssp_lg_run(&o, st);
	if (progress && tty)
		fprintf(stderr, "\n");
	if (rc != 0) {
		fprintf(stderr, "smtpspec bench: cannot run: %s\n", uv_strerror(rc));
		code = EXIT_FAILED;
		goto out;
	}
	print_summary(st, &m);
	code = EXIT_OK;
	if (st->failed || st->interrupted || (o.messages && st->delivered < o.messages))
		code = EXIT_FAILED;
	if (st->sessions_started > 0 && st->latency[SSP_LG_CONNECT].count == 0)   /* no connection at all */
		code = EXIT_UNREACHABLE;
	if (json_out && write_json(json_out, st, &m) != 0)
		code = EXIT_FAILED;
out:
	json_decref(m.options);
	free(st);
	return code;
}
