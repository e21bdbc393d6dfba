/*
 * recipients.c - zero configuration (recipients.h): the recipients a run
 * uses, found by asking the server before the vectors run.
 */
#include "recipients.h"

#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Steps of a trying session: greeting and EHLO, then MAIL, RCPT, RSET each. */
#define PRELUDE_STEPS 2
#define STEPS_PER_TRY 3
#define TRIES_PER_SESSION ((SSP_PROBE_STEPS_MAX - PRELUDE_STEPS - 1) / STEPS_PER_TRY)

static const ssp_expect_t any_reply = { .kind = SSP_EXPECT_REPLY, .any_code = 1 };

/* A vector built here: one step per command, any reply to each. */
typedef struct try_vector_s {
	ssp_vector_t v;
	ssp_step_t steps[SSP_PROBE_STEPS_MAX];
	char payload[SSP_PROBE_STEPS_MAX][SSP_VAR_STORED_MAX + 32];
} try_vector_t;

static char try_id[] = "smtpspec/recipients", try_title[] = "zero configuration: recipients",
	    try_empty[] = "";

/* add_step - a command line; in an address, "${" is written "$${" so that it
 * stays literal (vars.h). */
static void add_step(try_vector_t *t, const char *verb, const char *addr, const char *end)
{
	ssp_step_t *st = &t->steps[t->v.nsteps];
	char *p = t->payload[t->v.nsteps];
	size_t cap = sizeof(t->payload[0]), n;

	n = (size_t)snprintf(p, cap, "%s", verb);
	for (; addr != NULL && *addr && n + 4 < cap; addr++) {
		if (addr[0] == '$' && addr[1] == '{')
			p[n++] = '$';
		p[n++] = *addr;
	}
	n += (size_t)snprintf(p + n, cap - n, "%s\r\n", end);
	memset(st, 0, sizeof(*st));
	st->send = SSP_SEND_LINE;
	st->payload = p;
	st->payload_len = strlen(p);
	st->ncommands = 1;
	st->expect = (ssp_expect_t *)&any_reply; /* read-only: sessions never write it */
	st->nexpect = 1;
	st->repeat = 1;
	t->v.nsteps++;
}

/* build - a session trying rcpts[0..n) (as many as fit): returns how many. */
static size_t build(try_vector_t *t, const char *const *rcpts, size_t n)
{
	size_t i;

	memset(&t->v, 0, sizeof(t->v));
	t->v.id = try_id;
	t->v.title = try_title;
	t->v.section = try_empty;
	t->v.quote = try_empty;
	t->v.prelude = SSP_PRELUDE_EHLO;
	t->v.steps = t->steps;
	for (i = 0; i < n && i < TRIES_PER_SESSION; i++) {
		add_step(t, "MAIL FROM:<${sender}>", NULL, "");
		add_step(t, "RCPT TO:<", rcpts[i], ">");
		add_step(t, "RSET", NULL, "");
	}
	add_step(t, "QUIT", NULL, "");
	return i;
}

static void on_done(ssp_result_t *r, void *arg)
{
	(void)r;
	*(int *)arg = 1;
}

/* run_session - run v to its end on cfg->loop; its reply codes in *codes. */
static void run_session(const ssp_session_cfg_t *cfg, const ssp_vector_t *v, int *codes)
{
	ssp_probe_replies_t rep;
	ssp_result_t res;
	int done = 0;

	ssp_result_init(&res, v);
	ssp_session_t *s = ssp_session_collect(cfg, v, &res, &rep, on_done, &done);

	if (s != NULL && cfg->current != NULL)
		*cfg->current = s; /* a signal may end it (run.c) */
	if (s != NULL)
		uv_run(cfg->loop, UV_RUN_DEFAULT);
	if (cfg->current != NULL)
		*cfg->current = NULL;
	memcpy(codes, rep.codes, sizeof(rep.codes));
	free(rep.greeting);
	free(rep.ehlo);
	ssp_result_free(&res);
}

/* setf - printf-formatted text into out[0..size), cut to fit (reasons are cut by design). */
#define setf(out, size, ...) ((out)[0] = '\0', ssp_str_appendf((out), (size), __VA_ARGS__))

/* answer - "550" or "no reply" for a code, into a small buffer. */
static const char *answer(int code, char *buf, size_t size)
{
	if (code == 0)
		return "no reply";
	snprintf(buf, size, "%d", code);
	return buf;
}

/*
 * try_mailboxes - the first of c[0..n) the server accepts after MAIL:
 * its index, or -1; tried lists each with its answer.
 */
static long try_mailboxes(const ssp_session_cfg_t *cfg, const ssp_candidate_t *c, size_t n,
			  char *tried, size_t tsize)
{
	const char *rcpts[SSP_DISCOVER_CANDIDATES_MAX];
	try_vector_t *t = malloc(sizeof(*t));
	int codes[SSP_PROBE_STEPS_MAX];
	size_t next = 0, i, k;
	long found = -1;
	char a[16], b[16];

	if (t == NULL)
		return -1;
	for (i = 0; i < n; i++)
		rcpts[i] = c[i].mailbox;
	while (next < n && found < 0) {
		size_t answered = 0;

		k = build(t, rcpts + next, n - next);
		run_session(cfg, &t->v, codes);
		for (i = 0; i < k; i++) {
			int mail = codes[PRELUDE_STEPS + STEPS_PER_TRY * i];
			int rcpt = codes[PRELUDE_STEPS + STEPS_PER_TRY * i + 1];

			if (rcpt == 0 && mail == 0)
				break; /* the session ended before this one */
			answered++;
			ssp_str_appendf(tried, tsize, "%s<%s>: MAIL %s, RCPT %s", tried[0] ? "; " : "",
				c[next + i].mailbox, answer(mail, a, sizeof(a)), answer(rcpt, b, sizeof(b)));
			if (mail / 100 == 2 && ssp_discover_rcpt(rcpt) == SSP_RCPT_ACCEPTED) {
				found = (long)(next + i);
				break;
			}
		}
		if (answered == 0)
			break; /* no progress: the server answers nothing any more */
		next += answered;
	}
	free(t);
	return found;
}

/* check_refused - send RCPT to addr once: its answer (ssp_discover_rcpt) and code. */
static ssp_rcpt_answer_t check_refused(const ssp_session_cfg_t *cfg, const char *addr, int *code)
{
	const char *rcpts[1] = { addr };
	try_vector_t *t = malloc(sizeof(*t));
	int codes[SSP_PROBE_STEPS_MAX];

	*code = 0;
	if (t == NULL)
		return SSP_RCPT_UNKNOWN;
	build(t, rcpts, 1);
	run_session(cfg, &t->v, codes);
	free(t);
	if (codes[PRELUDE_STEPS] / 100 != 2)
		return SSP_RCPT_UNKNOWN; /* MAIL was refused: RCPT says nothing */
	*code = codes[PRELUDE_STEPS + 1];
	return ssp_discover_rcpt(*code);
}

/* var - the current value of a run variable, or "". */
static const char *var(const ssp_session_cfg_t *cfg, const char *name)
{
	const char *v = ssp_vars_get(cfg->vars, name);
	return v ? v : "";
}

/* settle_mailbox - ${mailbox} and ${domain}, given or discovered. */
static void settle_mailbox(const ssp_session_cfg_t *cfg, int mailbox_given, int domain_given,
			   const char *greeting_domain, const char *target_host, ssp_recipients_t *out)
{
	ssp_candidate_t c[SSP_DISCOVER_CANDIDATES_MAX];
	char tried[SSP_REASON_MAX] = "";
	size_t n;
	long k;

	snprintf(out->mailbox, sizeof(out->mailbox), "%s", var(cfg, "mailbox"));
	snprintf(out->domain, sizeof(out->domain), "%s", var(cfg, "domain"));
	if (mailbox_given || domain_given) {
		/* the profile's word; a mailbox defaults to postmaster at its domain */
		out->mailbox_source = out->domain_source = SSP_RCPT_FROM_PROFILE;
		setf(out->how, sizeof(out->how), "mailbox <%s> and domain %s from the profile or the command line",
			 out->mailbox, out->domain);
		return;
	}
	n = ssp_discover_candidates(greeting_domain, target_host, c, SSP_DISCOVER_CANDIDATES_MAX);
	k = try_mailboxes(cfg, c, n, tried, sizeof(tried));
	if (k < 0) {
		out->mailbox_source = out->domain_source = SSP_RCPT_UNRESOLVED;
		setf(out->skip_mailbox, sizeof(out->skip_mailbox),
			 "no recipient found that the server accepts (%s); name one with --mailbox ADDR or \"mailbox\" in a profile",
			 tried[0] ? tried : "no candidate could be tried");
		setf(out->skip_domain, sizeof(out->skip_domain),
			 "no mail domain found where the server accepts postmaster (%s); name one with --domain NAME or \"domain\" in a profile",
			 tried[0] ? tried : "no candidate could be tried");
		setf(out->how, sizeof(out->how), "no recipient accepted (%s)", tried[0] ? tried : "no candidate could be tried");
		return;
	}
	snprintf(out->mailbox, sizeof(out->mailbox), "%s", c[k].mailbox);
	out->mailbox_source = SSP_RCPT_DISCOVERED;
	if (c[k].domain[0] != '\0') {
		snprintf(out->domain, sizeof(out->domain), "%s", c[k].domain);
		out->domain_source = SSP_RCPT_DISCOVERED;
	} else {
		out->domain_source = SSP_RCPT_UNRESOLVED;
		setf(out->skip_domain, sizeof(out->skip_domain),
			 "no mail domain found: the server accepts only the bare <postmaster> (%s); name one with --domain NAME or \"domain\" in a profile",
			 tried);
	}
	setf(out->how, sizeof(out->how), "mailbox <%s> accepted by the server (%s)", out->mailbox, c[k].source);
}

void ssp_recipients_settle(const ssp_session_cfg_t *cfg, int mailbox_given, int domain_given,
			   int rejected_given, const char *greeting_domain, const char *target_host,
			   ssp_recipients_t *out)
{
	ssp_rcpt_answer_t a;
	int code;

	memset(out, 0, sizeof(*out));
	settle_mailbox(cfg, mailbox_given, domain_given, greeting_domain, target_host, out);
	if (rejected_given)
		setf(out->rejected, sizeof(out->rejected), "%s", var(cfg, "rejected_mailbox"));
	else
		setf(out->rejected, sizeof(out->rejected), "smtpspec-no-such-user-4f1e@%s",
			 out->domain[0] ? out->domain : "localhost");
	/* checked once, given or not: a catch-all accepts it */
	a = check_refused(cfg, out->rejected, &code);
	out->rejected_source = rejected_given ? SSP_RCPT_FROM_PROFILE : SSP_RCPT_DISCOVERED;
	if (a == SSP_RCPT_REFUSED) {
		ssp_str_appendf(out->how, sizeof(out->how), "; <%s> refused (%d)", out->rejected, code);
		return;
	}
	out->rejected_source = SSP_RCPT_UNRESOLVED;
	if (a == SSP_RCPT_ACCEPTED)
		setf(out->skip_rejected, sizeof(out->skip_rejected),
			 "the server accepted <%s> (%d), so it may accept every recipient; name one it refuses with --rejected-mailbox ADDR or \"rejected_mailbox\" in a profile",
			 out->rejected, code);
	else
		setf(out->skip_rejected, sizeof(out->skip_rejected),
			 "whether the server refuses <%s> could not be seen (MAIL or RCPT got no usable reply); name a recipient it refuses with --rejected-mailbox ADDR or \"rejected_mailbox\" in a profile",
			 out->rejected);
	ssp_str_appendf(out->how, sizeof(out->how), "; <%s> not refused", out->rejected);
}

const char *ssp_recipients_skip(const ssp_recipients_t *r, const ssp_vector_t *v)
{
	if (r->skip_mailbox[0] && ssp_vector_uses_var(v, "mailbox"))
		return r->skip_mailbox;
	if (r->skip_domain[0] && ssp_vector_uses_var(v, "domain"))
		return r->skip_domain;
	if (r->skip_rejected[0] && ssp_vector_uses_var(v, "rejected_mailbox"))
		return r->skip_rejected;
	return NULL;
}

void ssp_recipients_unasked(const ssp_session_cfg_t *cfg, ssp_recipients_t *out, const char *why)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->mailbox, sizeof(out->mailbox), "%s", var(cfg, "mailbox"));
	snprintf(out->domain, sizeof(out->domain), "%s", var(cfg, "domain"));
	snprintf(out->rejected, sizeof(out->rejected), "%s", var(cfg, "rejected_mailbox"));
	out->mailbox_source = out->domain_source = out->rejected_source = SSP_RCPT_FROM_PROFILE;
	setf(out->how, sizeof(out->how), "not asked (%s): the profile's values or the defaults", why);
}
