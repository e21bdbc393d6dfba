/*
 * certify.c - certification statements per suite (see certify.h).
 *
 * The digest of a statement is the SHA-256 of
 *   "smtpspec-certification/1\ntool smtpspec VERSION\ncatalogue HEX\nprofile HEX\n"
 * (profile "none" without a profile file): two runs with the same tool,
 * catalogue and profile carry the same digest, whatever the target.
 */
#include "certify.h"

#include "digest.h"

#include "../harness/coverage.h"
#include "../harness/limits.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CERT_SCHEMA "smtpspec-certification/1"

/* in_run - 1 if some result of the run is in suite s. */
static int in_run(const ssp_run_t *run, const ssp_suite_t *s)
{
	size_t i;

	for (i = 0; i < run->n; i++) {
		if (ssp_suite_has(s, run->results[i].vector->id))
			return 1;
	}
	return 0;
}

size_t ssp_certify_suites(const ssp_run_t *run, const ssp_report_meta_t *m,
			  const ssp_suite_t **out, size_t max)
{
	size_t i, n = 0;

	if (m->suite_defs == NULL)
		return 0;
	for (i = 0; i < m->suite_defs->n && n < max; i++) {
		const ssp_suite_t *s = &m->suite_defs->s[i];
		int named = m->nsuites == 0;
		size_t k;

		for (k = 0; k < m->nsuites && !named; k++)
			named = strcmp(m->suites[k], s->name) == 0;
		if (named && in_run(run, s))
			out[n++] = s;
	}
	return n;
}

/* suite_coverage - how many requirements of the suite's RFC the catalogue
 * checks, from suites/coverage/NAME.json when there is one. */
static void suite_coverage(const ssp_report_meta_t *m, const char *name, ssp_cert_suite_t *out)
{
	char path[4096];
	ssp_coverage_t cov;
	ssp_cov_count_t n;
	ssp_diag_t diag;

	if (m->catalogue == NULL || m->cat == NULL || name == NULL)
		return;
	if ((size_t)snprintf(path, sizeof(path), "%s/suites/coverage/%s.json", m->catalogue, name) >= sizeof(path) ||
	    access(path, R_OK) != 0)
		return;
	memset(&cov, 0, sizeof(cov));
	ssp_diag_init(&diag);
	if (ssp_coverage_load(&cov, path, &diag) != 0)
		return; /* a broken map is `smtpspec coverage`'s finding, not the report's */
	ssp_coverage_count(&cov, m->cat, &n);
	out->coverage = 1;
	out->req_checked = n.checked;
	out->req_total = n.entries;
	out->strong_checked = n.strong_checked;
	out->strong_total = n.strong;
	ssp_coverage_free(&cov);
}

void ssp_certify_suite(const ssp_run_t *run, const ssp_report_meta_t *m, const ssp_suite_t *s,
		       ssp_cert_suite_t *out)
{
	unsigned total[SSP_VERDICT_COUNT] = { 0 };
	size_t i;
	int l, v;

	memset(out, 0, sizeof(*out));
	out->name = s ? s->name : NULL;
	out->title = s ? (s->title ? s->title : s->name) : "Selected vectors";
	for (i = 0; i < run->n; i++) {
		const ssp_result_t *r = &run->results[i];
		if (s != NULL && !ssp_suite_has(s, r->vector->id))
			continue;
		out->selected++;
		if ((unsigned)r->vector->level < SSP_LEVEL_COUNT && (unsigned)r->verdict < SSP_VERDICT_COUNT)
			out->n[r->vector->level][r->verdict]++;
	}
	out->vectors = out->selected;
	if (s != NULL && m->cat != NULL) {
		out->vectors = 0;
		for (i = 0; i < m->cat->n; i++)
			out->vectors += (unsigned)ssp_suite_has(s, m->cat->v[i].id);
	}
	if (s != NULL)
		suite_coverage(m, s->name, out);
	for (l = 0; l < SSP_LEVEL_COUNT; l++) {
		for (v = 0; v < SSP_VERDICT_COUNT; v++)
			total[v] += out->n[l][v];
	}
	if (s == NULL || out->selected < out->vectors)
		out->level = SSP_CERT_PARTIAL;
	else if (total[SSP_SKIP] == out->selected)
		out->level = SSP_CERT_NA;
	else if (total[SSP_FAIL] > 0 || out->n[SSP_LEVEL_MUST][SSP_ERROR] > 0)
		out->level = SSP_CERT_NONE;
	else if (total[SSP_WARN] > 0 || total[SSP_ERROR] > 0)
		out->level = SSP_CERT_MUST;
	else
		out->level = SSP_CERT_SHOULD;
}

/* sum - results of every level with verdict v. */
static unsigned sum(const ssp_cert_suite_t *cs, ssp_verdict_t v)
{
	unsigned t = 0;
	int l;

	for (l = 0; l < SSP_LEVEL_COUNT; l++)
		t += cs->n[l][v];
	return t;
}

/* level_total - results of level l, all verdicts. */
static unsigned level_total(const ssp_cert_suite_t *cs, int l)
{
	unsigned t = 0;
	int v;

	for (v = 0; v < SSP_VERDICT_COUNT; v++)
		t += cs->n[l][v];
	return t;
}

void ssp_certify_line(const ssp_cert_suite_t *cs, char *out, size_t size)
{
	size_t len;

	snprintf(out, size, "%s: %u/%u MUST pass, %u fail", cs->title, cs->n[SSP_LEVEL_MUST][SSP_PASS],
		 level_total(cs, SSP_LEVEL_MUST), sum(cs, SSP_FAIL));
	len = strlen(out);
	if (sum(cs, SSP_ERROR) && len < size)
		len += (size_t)snprintf(out + len, size - len, ", %u error", sum(cs, SSP_ERROR));
	if (sum(cs, SSP_SKIP) && len < size)
		len += (size_t)snprintf(out + len, size - len, ", %u skipped", sum(cs, SSP_SKIP));
	if (len < size)
		len += (size_t)snprintf(out + len, size - len, "; %u SHOULD warning%s", sum(cs, SSP_WARN),
					sum(cs, SSP_WARN) == 1 ? "" : "s");
	if (sum(cs, SSP_INFO) && len < size)
		len += (size_t)snprintf(out + len, size - len, "; %u MAY info", sum(cs, SSP_INFO));
	/* how much of the RFC that is: a statement says what it checked */
	if (cs->coverage && len < size)
		snprintf(out + len, size - len, "; %zu of %zu requirements checked (MUST and SHOULD: %zu of %zu)",
			 cs->req_checked, cs->req_total, cs->strong_checked, cs->strong_total);
}

/* statement - the sentence for one suite. */
static json_t *statement(const ssp_cert_suite_t *cs, const char *target, const char *checked)
{
	unsigned fail = sum(cs, SSP_FAIL), err = sum(cs, SSP_ERROR), skip = sum(cs, SSP_SKIP);
	unsigned pass = sum(cs, SSP_PASS) + sum(cs, SSP_INFO);

	switch (cs->level) {
	case SSP_CERT_SHOULD:
		return json_sprintf("%s conforms to %s (suite %s) at MUST and SHOULD level: all %u vectors "
				    "were run, %u passed, %u skipped (precondition missing), none failed "
				    "or warned. %s",
				    target, cs->title, cs->name, cs->selected, pass, skip, checked);
	case SSP_CERT_MUST:
		return json_sprintf("%s conforms to %s (suite %s) at MUST level: all %u vectors were run, "
				    "none failed; %u SHOULD warning%s, %u not judged (error), %u skipped. %s",
				    target, cs->title, cs->name, cs->selected, sum(cs, SSP_WARN),
				    sum(cs, SSP_WARN) == 1 ? "" : "s", err, skip, checked);
	case SSP_CERT_NONE:
		return json_sprintf("%s does not conform to %s (suite %s): %u vector%s failed, %u MUST-level "
				    "vector%s could not be judged. %s",
				    target, cs->title, cs->name, fail, fail == 1 ? "" : "s",
				    cs->n[SSP_LEVEL_MUST][SSP_ERROR],
				    cs->n[SSP_LEVEL_MUST][SSP_ERROR] == 1 ? "" : "s", checked);
	case SSP_CERT_PARTIAL:
		return json_sprintf("No statement on %s (suite %s): only %u of its %u vectors were run.",
				    cs->title, cs->name, cs->selected, cs->vectors);
	case SSP_CERT_NA:
		return json_sprintf("No statement on %s (suite %s): every vector was skipped (the target "
				    "lacks what they require).",
				    cs->title, cs->name);
	case SSP_CERT_COUNT:
		break;
	}
	return json_string("");
}

/* counts - {"MUST": {"total": n, "pass": n, ...}, "SHOULD": ..., "MAY": ...} */
static json_t *counts(const ssp_cert_suite_t *cs)
{
	json_t *o = json_object();
	int l, v;

	for (l = 0; l < SSP_LEVEL_COUNT; l++) {
		json_t *c = json_pack("{s:I}", "total", (json_int_t)level_total(cs, l));
		for (v = 0; v < SSP_VERDICT_COUNT; v++)
			json_object_set_new(c, ssp_verdict_name((ssp_verdict_t)v), json_integer(cs->n[l][v]));
		json_object_set_new(o, ssp_level_name((ssp_level_t)l), c);
	}
	return o;
}

/* suite_json - one entry of certification.suites (s NULL: the selection, no statement). */
static json_t *suite_json(const ssp_run_t *run, const ssp_report_meta_t *m, const ssp_suite_t *s,
			  const char *checked)
{
	ssp_cert_suite_t cs;
	char line[1024];
	json_t *o;

	ssp_certify_suite(run, m, s, &cs);
	ssp_certify_line(&cs, line, sizeof(line));
	o = json_pack("{s:s, s:I, s:I, s:o, s:s}", "title", cs.title, "vectors", (json_int_t)cs.vectors,
		      "selected", (json_int_t)cs.selected, "counts", counts(&cs), "line", line);
	if (o == NULL || s == NULL)
		return o;
	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "conforms", json_string(ssp_cert_level_name(cs.level)));
	json_object_set_new(o, "conforms_must",
			    json_boolean(cs.level == SSP_CERT_SHOULD || cs.level == SSP_CERT_MUST));
	json_object_set_new(o, "conforms_should", json_boolean(cs.level == SSP_CERT_SHOULD));
	json_object_set_new(o, "statement", statement(&cs, run->opts.target, checked));
	return o;
}

json_t *ssp_certify_json(const ssp_run_t *run, const ssp_report_meta_t *m)
{
	const ssp_suite_t *suites[SSP_CERT_SUITES_MAX];
	char head[512], hex[SSP_DIGEST_HEX], digest[SSP_DIGEST_HEX + 8], checked[512];
	size_t i, n = ssp_certify_suites(run, m, suites, SSP_CERT_SUITES_MAX);
	json_t *o, *list;

	digest[0] = '\0';
	if (m->catalogue_sha256 != NULL) {
		snprintf(head, sizeof(head), "%s\ntool smtpspec %s\ncatalogue %s\nprofile %s\n", CERT_SCHEMA,
			 m->version, m->catalogue_sha256, m->profile_sha256 ? m->profile_sha256 : "none");
		if (ssp_digest_bytes(head, strlen(head), hex) == 0)
			snprintf(digest, sizeof(digest), "sha256:%s", hex);
	}
	snprintf(checked, sizeof(checked), "Checked with smtpspec %s, catalogue sha256:%s, profile %s%s; "
		 "digest %s.", m->version, m->catalogue_sha256 ? m->catalogue_sha256 : "unknown",
		 m->profile_sha256 ? "sha256:" : "", m->profile_sha256 ? m->profile_sha256 : "none",
		 digest[0] ? digest : "unknown");
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, suite_json(run, m, suites[i], checked));
	o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:s, s:o, s:o}", "schema", CERT_SCHEMA, "tool",
		      json_sprintf("smtpspec %s", m->version), "catalogue_sha256",
		      m->catalogue_sha256 ? json_string(m->catalogue_sha256) : json_null(),
		      "profile_sha256", m->profile_sha256 ? json_string(m->profile_sha256) : json_null(),
		      "digest", digest[0] ? json_string(digest) : json_null(), "target", run->opts.target,
		      "selection", suite_json(run, m, NULL, checked), "suites", list);
	return o;
}
