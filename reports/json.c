/*
 * json.c - the machine-readable result (schema: reports/result.schema.json).
 *
 * Bytes from the server appear only in their display escaping (ASCII), so
 * the document is valid UTF-8 JSON whatever the server sent.
 */
#include "report.h"

#include "causes.h"

#include "certify.h"

#include "../harness/buf.h"
#include "../harness/escape.h"
#include "../harness/repeat.h"
#include "../harness/reply.h"
#include "../harness/spool.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SSP_RESULT_SCHEMA "smtpspec-result/1"

/* escaped_string - a JSON string of p[0..n) in display escaping. */
static json_t *escaped_string(const char *p, size_t n)
{
	ssp_buf_t b;
	json_t *s;

	ssp_buf_init(&b, 4 * n + 16);
	ssp_escape_display(&b, p, n);
	s = json_stringn(b.data ? b.data : "", b.len);
	ssp_buf_free(&b);
	return s;
}

/*
 * text - a JSON string of harness text (a reason cut inside a UTF-8
 * character, say): as is when it is valid UTF-8, else in the display
 * escaping, so that no result ever goes missing from the document.
 */
static json_t *text(const char *s)
{
	json_t *j = json_string(s);

	return j != NULL ? j : escaped_string(s, strlen(s));
}

static json_t *transcript(const ssp_transcript_t *t)
{
	json_t *a = json_array();
	size_t i, n = ssp_transcript_count(t);
	char dir[2] = { 0, 0 };

	for (i = 0; i < n; i++) {
		const char *p;
		const ssp_tr_entry_t *e = ssp_transcript_entry(t, i, &p);
		json_t *o;

		dir[0] = e->dir;
		o = json_pack("{s:I, s:s, s:o}", "t_ms", (json_int_t)e->ms, "dir", dir, "text",
			      escaped_string(p, e->len));
		if (o && e->partial)
			json_object_set_new(o, "partial", json_true());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *extensions(const ssp_run_t *run)
{
	json_t *a = json_array();
	size_t pos = 0, tl;
	const char *text;
	int line = 0;

	while (run->caps && ssp_reply_next_line(run->caps, run->caps_len, &pos, &text, &tl)) {
		if (line++ > 0)
			json_array_append_new(a, escaped_string(text, tl));
	}
	return a;
}

/* tls - the target's "tls" object: how TLS was asked for (the options),
 * what the first handshake showed and the first TLS failure (null: none). */
static json_t *tls_object(const ssp_run_t *run)
{
	static const char *const modes[] = { [SSP_TLS_MODE_NONE] = "none", [SSP_TLS_MODE_STARTTLS] = "starttls",
					     [SSP_TLS_MODE_IMPLICIT] = "implicit" };
	static const ssp_tlsopt_t plain = { .mode = SSP_TLS_MODE_NONE };
	const ssp_tlsopt_t *t = run->opts.tls ? run->opts.tls : &plain;
	const ssp_tls_info_t *i = &run->tls_info;
	const char *sni = ssp_tlsopt_sni(t, run->host);
	json_t *o = json_pack("{s:s, s:b, s:o, s:o, s:b}", "mode", modes[t->mode], "verify", t->verify,
			      "sni", sni ? text(sni) : json_null(), "ca_file",
			      t->ca_file ? text(t->ca_file) : json_null(), "client_certificate", t->client_cert != NULL);

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "protocol", i->have ? escaped_string(i->protocol, strlen(i->protocol)) : json_null());
	json_object_set_new(o, "cipher", i->have ? escaped_string(i->cipher, strlen(i->cipher)) : json_null());
	json_object_set_new(o, "peer_subject",
			    i->have && i->subject[0] ? escaped_string(i->subject, strlen(i->subject)) : json_null());
	json_object_set_new(o, "peer_verified", i->have && i->verified >= 0 ? json_boolean(i->verified) : json_null());
	json_object_set_new(o, "error", i->error[0] ? text(i->error) : json_null());
	return o;
}

/*
 * result - one entry of "results" with transcript t (NULL: an empty one);
 * "suites" names the suites of the catalogue that hold it; repeat:
 * --repeat N or 0.
 */
static json_t *result(const ssp_result_t *r, const ssp_transcript_t *t, const ssp_report_meta_t *m, unsigned repeat)
{
	const ssp_vector_t *v = r->vector;
	size_t i;
	json_t *o = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:I, s:I}",
			      "id", v->id, "title", v->title, "rfc", (json_int_t)v->rfc,
			      "section", v->section, "level", ssp_level_name(v->level),
			      "quote", v->quote, "verdict", ssp_verdict_name(r->verdict),
			      "reason", text(r->reason), "expected", text(r->expected), "observed", text(r->observed),
			      "step", (json_int_t)r->step, "duration_ms", (json_int_t)r->duration_ms);

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "category", json_string(ssp_category_name(r->category)));
	json_object_set_new(o, "file", json_sprintf("%s:%u", v->file ? v->file : "", v->line));
	json_object_set_new(o, "transcript", t != NULL ? transcript(t) : json_array());
	if (repeat > 0) {
		/* --repeat: how many rounds gave each verdict (the verdict above is the worst) */
		json_t *verdicts = json_object();
		int k;

		for (k = 0; k < SSP_VERDICT_COUNT; k++) {
			if (r->rounds[k] > 0)
				json_object_set_new(verdicts, ssp_verdict_name((ssp_verdict_t)k), json_integer(r->rounds[k]));
		}
		json_object_set_new(o, "repeat", json_pack("{s:I, s:o}", "rounds", (json_int_t)repeat, "verdicts",
							   verdicts));
	}
	json_object_set_new(o, "suites", json_array());
	for (i = 0; m->suite_defs && i < m->suite_defs->n; i++) {
		if (ssp_suite_has(&m->suite_defs->s[i], v->id))
			json_array_append_new(json_object_get(o, "suites"), json_string(m->suite_defs->s[i].name));
	}
	return o;
}

/* security_counts - {"total": n, "pass": n, ...} over the results of category security. */
static json_t *security_counts(const ssp_run_t *run)
{
	unsigned n[SSP_VERDICT_COUNT] = { 0 }, total = 0;
	json_t *o;
	size_t i;
	int v;

	for (i = 0; i < run->n; i++) {
		const ssp_result_t *r = &run->results[i];
		if (r->category == SSP_CATEGORY_SECURITY && (unsigned)r->verdict < SSP_VERDICT_COUNT) {
			n[r->verdict]++;
			total++;
		}
	}
	o = json_pack("{s:I}", "total", (json_int_t)total);
	for (v = 0; v < SSP_VERDICT_COUNT; v++)
		json_object_set_new(o, ssp_verdict_name((ssp_verdict_t)v), json_integer(n[v]));
	return o;
}

/* causes - the "causes" array: findings one reply explains (causes.h), or NULL. */
static json_t *causes(const ssp_run_t *run)
{
	size_t *order = calloc(run->n ? run->n : 1, sizeof(*order));
	ssp_cause_t c[SSP_CAUSES_MAX];
	json_t *list = json_array();
	size_t i, k, n;

	if (order == NULL || list == NULL) {
		json_decref(list);
		list = NULL;
		goto out;
	}
	n = ssp_causes_of_run(run, order, c, SSP_CAUSES_MAX);
	for (k = 0; k < n; k++) {
		json_t *ids = json_array();

		for (i = 0; i < c[k].count; i++)
			json_array_append_new(ids, json_string(run->results[order[c[k].first + i]].vector->id));
		if (json_array_append_new(list, json_pack("{s:o, s:o}", "observed", text(c[k].observed), "ids", ids)) != 0) {
			json_decref(list);
			list = NULL;
			goto out;
		}
	}
out:
	free(order);
	return list;
}

json_t *ssp_json_build(const ssp_run_t *run, const ssp_report_meta_t *m)
{
	json_t *doc, *results, *summary, *suites, *target;
	char started[32];
	struct tm tm;
	size_t i;
	int v;

	gmtime_r(&run->started, &tm);
	strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	summary = json_pack("{s:I}", "total", (json_int_t)run->n);
	for (v = 0; v < SSP_VERDICT_COUNT; v++)
		json_object_set_new(summary, ssp_verdict_name((ssp_verdict_t)v),
				    json_integer(run->counts[v]));
	json_object_set_new(summary, "security", security_counts(run));
	if (run->opts.repeat > 0)
		json_object_set_new(summary, "unstable", json_integer((json_int_t)ssp_repeat_count_unstable(run)));
	suites = json_array();
	for (i = 0; i < m->nsuites; i++)
		json_array_append_new(suites, json_string(m->suites[i]));
	target = json_pack("{s:s, s:s, s:s, s:s}", "spec", run->opts.target, "host", run->host,
			   "port", run->port, "address", run->address);
	json_object_set_new(target, "port", json_integer(atoi(run->port)));
	json_object_set_new(target, "greeting", run->greeting ? escaped_string(run->greeting, run->greeting_len)
							      : json_null());
	json_object_set_new(target, "ehlo", run->caps ? escaped_string(run->caps, run->caps_len) : json_null());
	json_object_set_new(target, "extensions", extensions(run));
	/* zero configuration: the recipients used and how they were found */
	json_object_set_new(target, "mailbox", escaped_string(run->rcpts.mailbox, strlen(run->rcpts.mailbox)));
	json_object_set_new(target, "domain", escaped_string(run->rcpts.domain, strlen(run->rcpts.domain)));
	json_object_set_new(target, "rejected_mailbox", escaped_string(run->rcpts.rejected, strlen(run->rcpts.rejected)));
	json_object_set_new(target, "recipients", escaped_string(run->rcpts.how, strlen(run->rcpts.how)));
	json_object_set_new(target, "probe", transcript(&run->probe.transcript));
	json_object_set_new(target, "tls", tls_object(run));
	results = json_array();
	for (i = 0; i < run->n; i++) {
		/* a result that cannot be built fails the whole document: none may go missing */
		if (json_array_append_new(results, result(&run->results[i], NULL, m, run->opts.repeat)) != 0) {
			json_decref(results);
			json_decref(summary);
			json_decref(suites);
			json_decref(target);
			return NULL;
		}
	}
	doc = json_pack("{s:s, s:{s:s, s:s}, s:o, s:s, s:I, s:{s:s, s:I, s:I}, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:b}, s:o, s:i, s:o}",
			"schema", SSP_RESULT_SCHEMA,
			"tool", "name", "smtpspec", "version", m->version,
			"target", target,
			"started", started,
			"duration_ms", (json_int_t)run->elapsed_ms,
			"catalogue", "path", m->catalogue, "vectors", (json_int_t)m->catalogue_size,
			"selected", (json_int_t)run->n,
			"profile", m->profile ? json_string(m->profile) : json_null(),
			"suites", suites,
			"options", "jobs", (json_int_t)run->opts.jobs, "timeout_ms", (json_int_t)run->opts.timeout_ms,
			"connect_timeout_ms", (json_int_t)run->opts.connect_timeout_ms,
			"deadline_s", (json_int_t)run->opts.deadline_s, "strict", m->strict,
			"summary", summary,
			"exit_code", m->exit_code,
			"results", results);
	if (doc != NULL && run->incomplete[0] != '\0')
		json_object_set_new(doc, "incomplete", text(run->incomplete));
	if (doc != NULL && run->opts.repeat > 0)
		json_object_set_new(json_object_get(doc, "options"), "repeat", json_integer(run->opts.repeat));
	if (doc != NULL) {
		json_t *opts = json_object_get(doc, "options");

		if (run->opts.max_memory > 0)
			json_object_set_new(opts, "max_memory", json_integer((json_int_t)run->opts.max_memory));
		json_object_set_new(opts, "remote", json_boolean(run->opts.remote));
	}
	if (doc != NULL) {
		json_t *c = causes(run);

		if (c == NULL) { /* a result document that lacks a part is no document */
			json_decref(doc);
			return NULL;
		}
		json_object_set_new(doc, "causes", c);
		json_object_set_new(doc, "certification", ssp_certify_json(run, m));
	}
	return doc;
}

json_t *ssp_json_result(const ssp_run_t *run, const ssp_report_meta_t *m, size_t i, ssp_diag_t *diag)
{
	ssp_transcript_t tmp;
	const ssp_transcript_t *t;
	json_t *o;

	if (i >= run->n) {
		ssp_diag_set(diag, NULL, 0, 0, "no result %zu", i);
		return NULL;
	}
	if ((t = ssp_spool_transcript(run->opts.spool, &run->results[i], &tmp, diag)) == NULL)
		return NULL;
	o = result(&run->results[i], t, m, run->opts.repeat);
	ssp_transcript_free(&tmp);
	if (o == NULL)
		ssp_diag_set(diag, NULL, 0, 0, "cannot build the result of %s (out of memory)", run->results[i].vector->id);
	return o;
}

int ssp_json_fetch(void *arg, size_t index, ssp_doc_t *one, ssp_diag_t *diag)
{
	const ssp_json_source_t *src = arg;
	json_t *o = ssp_json_result(src->run, src->meta, index, diag);
	int rc;

	if (o == NULL)
		return -1;
	rc = ssp_doc_result_from_json(one, o, "the result document", diag);
	json_decref(o);
	return rc;
}

/* An output file and what went wrong with it. */
typedef struct {
	FILE *f;
	int err;
} out_t;

/* indented - a json_dump_callback sink: the text one array level deeper (two spaces after each line end). */
static int indented(const char *buf, size_t size, void *data)
{
	out_t *o = data;
	const char *p = buf, *end = buf + size, *lf;

	/* JSON_ENSURE_ASCII escapes every line end inside strings: each one here is the layout's */
	while (p < end && (lf = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if (fwrite(p, 1, (size_t)(lf - p), o->f) != (size_t)(lf - p) || fputs("\n  ", o->f) < 0)
			o->err = 1;
		p = lf + 1;
	}
	if (p < end && fwrite(p, 1, (size_t)(end - p), o->f) != (size_t)(end - p))
		o->err = 1;
	return o->err ? -1 : 0;
}

int ssp_json_stream(const char *file, const json_t *doc, const ssp_run_t *run, const ssp_report_meta_t *m,
		    ssp_diag_t *diag)
{
	static const char mark[] = "\n \"results\": []";
	const int flags = JSON_INDENT(1) | JSON_ENSURE_ASCII;
	json_t *skel = json_copy((json_t *)doc), *o;
	char *text = NULL, *at;
	out_t out = { NULL, 0 };
	size_t i, head;
	int rc = -1;

	/* the document around "results" (a shallow copy with an empty array), then each result in place */
	if (skel == NULL || json_object_set_new(skel, "results", json_array()) != 0 ||
	    (text = json_dumps(skel, flags)) == NULL || (at = strstr(text, mark)) == NULL) {
		ssp_diag_set(diag, file, 0, 0, "cannot build the JSON result (out of memory)");
		goto done;
	}
	if ((out.f = fopen(file, "w")) == NULL) {
		ssp_diag_set(diag, file, 0, 0, "cannot write the JSON result: %s", strerror(errno));
		goto done;
	}
	head = (size_t)(at - text) + sizeof(mark) - 2; /* up to and with the '[' */
	if (fwrite(text, 1, head, out.f) != head)
		out.err = 1;
	for (i = 0; i < run->n && !out.err; i++) {
		if ((o = ssp_json_result(run, m, i, diag)) == NULL)
			goto done;
		if (fputs(i > 0 ? ",\n  " : "\n  ", out.f) < 0 || json_dump_callback(o, indented, &out, flags) != 0)
			out.err = 1;
		json_decref(o);
	}
	if (fputs(run->n > 0 ? "\n ]" : "]", out.f) < 0 || fputs(text + head + 1, out.f) < 0)
		out.err = 1;
	if (out.err) {
		ssp_diag_set(diag, file, 0, 0, "cannot write the JSON result: %s", strerror(errno));
		goto done;
	}
	rc = 0;
done:
	if (out.f != NULL && fclose(out.f) != 0 && rc == 0)
		rc = ssp_diag_set(diag, file, 0, 0, "cannot write the JSON result: %s", strerror(errno));
	free(text);
	json_decref(skel);
	return rc;
}

int ssp_json_write(const char *file, const ssp_run_t *run, const ssp_report_meta_t *m,
		   ssp_diag_t *diag)
{
	json_t *doc = ssp_json_build(run, m);
	int rc;

	if (doc == NULL)
		return ssp_diag_set(diag, file, 0, 0, "cannot build the JSON result (out of memory)");
	rc = ssp_json_stream(file, doc, run, m, diag);
	json_decref(doc);
	return rc;
}

json_t *ssp_json_baseline(const ssp_diff_t *d)
{
	json_t *o = json_pack("{s:s, s:s, s:b, s:I}", "file", d->file ? d->file : "", "old_started",
			      d->old_started ? d->old_started : "", "strict", d->strict, "unchanged",
			      (json_int_t)d->unchanged);
	size_t i;
	int k;

	for (k = 0; o != NULL && k < SSP_DIFF_KINDS; k++) {
		json_t *a = json_array();
		for (i = 0; i < d->n[k]; i++) {
			const ssp_doc_change_t *c = &d->list[k][i];
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "id", c->id, "old",
							   ssp_doc_verdict_name(c->old), "new",
							   ssp_doc_verdict_name(c->new_), "reason", c->reason));
		}
		json_object_set_new(o, ssp_diff_kind_key((ssp_diff_kind_t)k), a);
	}
	return o;
}
