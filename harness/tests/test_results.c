/*
 * test_results.c - the result document model (reports/result.h): the
 * loader refuses every document that breaks reports/result.schema.json
 * with a located message, reads a good one completely (checked field by
 * field against jansson's own reading), accepts documents of earlier
 * versions (no category), and the tables, order and diff behave.
 *
 * Golden files: bad-results/<case>.json must be refused with the
 * diagnostic of <case>.err, one line "LINE:COLUMN: substring of the
 * message" ("0:0: ..." for errors about the whole file).
 */
#include "tests.h"

#include "../../reports/markup.h"
#include "../../reports/result.h"
#include "../diag.h"
#include "../limits.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* every bad-results/<case>.json is refused as <case>.err says */
static void test_bad_documents(void)
{
	char dir[1024], *names[256];
	size_t n = 0, i;
	DIR *d;
	struct dirent *de;

	tests_path(dir, sizeof(dir), "bad-results");
	d = opendir(dir);
	CHECKF(d != NULL, "cannot open %s", dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL && n < 256) {
		size_t l = strlen(de->d_name);
		if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_name);
	CHECKF(n >= 30, "only %zu bad result documents", n);
	for (i = 0; i < n; i++) {
		char path[1300], err[1300], *want;
		int line = -1, column = -1, off = 0;
		ssp_diag_t diag;
		ssp_doc_t doc;
		int rc;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(err, sizeof(err), "%s/%.*s.err", dir, (int)(strlen(names[i]) - 5), names[i]);
		want = tests_read(err, NULL);
		CHECKF(want != NULL, "%s: no .err file", names[i]);
		if (want == NULL)
			continue;
		want[strcspn(want, "\n")] = '\0';
		CHECKF(sscanf(want, "%d:%d: %n", &line, &column, &off) == 2 && off > 0, "%s: bad .err line", err);
		ssp_diag_init(&diag);
		rc = ssp_doc_load(&doc, path, &diag);
		CHECKF(rc == -1 && diag.set, "%s: loaded, expected %s", names[i], want);
		CHECKF(diag.line == line && diag.column == column, "%s: at %d:%d, expected %d:%d (%s)", names[i],
		       diag.line, diag.column, line, column, diag.text);
		CHECKF(strstr(diag.text, want + off) != NULL, "%s: \"%s\", expected \"%s\"", names[i], diag.text,
		       want + off);
		CHECKF(doc.mem == NULL && doc.nresults == 0 && doc.results == NULL,
		       "%s: a refused document is left empty", names[i]);
		ssp_doc_free(&doc);
		free(want);
		free(names[i]);
	}
}

/* json_str - the string at key of o, or "". */
static const char *json_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* the good document is read completely: every result, entry and count as jansson reads them */
static void test_good_document(void)
{
	char path[1024];
	ssp_diag_t diag;
	ssp_doc_t doc;
	json_error_t je;
	json_t *root, *r;
	size_t i, k;
	int v;

	tests_path(path, sizeof(path), "good-results/run.json");
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL_FATAL(ssp_doc_load(&doc, path, &diag), 0);
	root = json_load_file(path, 0, &je);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_EQUAL(doc.nresults, json_array_size(json_object_get(root, "results")));
	json_array_foreach(json_object_get(root, "results"), i, r) {
		const ssp_doc_result_t *d = &doc.results[i];
		const json_t *tr = json_object_get(r, "transcript");

		CHECKF(strcmp(d->id, json_str(r, "id")) == 0, "results[%zu].id", i);
		CHECKF(strcmp(ssp_verdict_name(d->verdict), json_str(r, "verdict")) == 0, "results[%zu].verdict", i);
		CHECKF(strcmp(ssp_level_name(d->level), json_str(r, "level")) == 0, "results[%zu].level", i);
		CHECKF(strcmp(ssp_category_name(d->category), json_str(r, "category")) == 0, "results[%zu].category", i);
		CHECKF(strcmp(d->quote, json_str(r, "quote")) == 0 && strcmp(d->reason, json_str(r, "reason")) == 0 &&
			       strcmp(d->file, json_str(r, "file")) == 0 && strcmp(d->observed, json_str(r, "observed")) == 0,
		       "results[%zu] texts", i);
		CHECKF(d->rfc == json_integer_value(json_object_get(r, "rfc")) &&
			       d->step == json_integer_value(json_object_get(r, "step")) &&
			       d->duration_ms == (uint64_t)json_integer_value(json_object_get(r, "duration_ms")),
		       "results[%zu] numbers", i);
		CHECKF(d->ntranscript == json_array_size(tr), "results[%zu] transcript size", i);
		for (k = 0; k < d->ntranscript && k < json_array_size(tr); k++) {
			const json_t *e = json_array_get(tr, k);
			CHECKF(strcmp(d->transcript[k].text, json_str(e, "text")) == 0 &&
				       d->transcript[k].len == strlen(json_str(e, "text")) &&
				       (char)d->transcript[k].dir == json_str(e, "dir")[0] &&
				       d->transcript[k].partial == json_is_true(json_object_get(e, "partial")) &&
				       d->transcript[k].t_ms == (uint64_t)json_integer_value(json_object_get(e, "t_ms")),
			       "results[%zu].transcript[%zu]", i, k);
		}
		CHECKF(d->nsuites == json_array_size(json_object_get(r, "suites")), "results[%zu].suites", i);
	}
	for (v = 0; v < SSP_VERDICT_COUNT; v++) {
		const char *name = ssp_verdict_name((ssp_verdict_t)v);
		json_t *sum = json_object_get(root, "summary");
		CHECKF(doc.summary.n[v] == (uint64_t)json_integer_value(json_object_get(sum, name)), "summary.%s", name);
		CHECKF(doc.security.n[v] == (uint64_t)json_integer_value(json_object_get(json_object_get(sum, "security"), name)),
		       "summary.security.%s", name);
	}
	CU_ASSERT_EQUAL(doc.results[1].category, SSP_CATEGORY_SECURITY);
	CU_ASSERT_TRUE(ssp_doc_is_security_finding(&doc.results[1]));
	CU_ASSERT_FALSE(ssp_doc_is_security_finding(&doc.results[0]));
	CU_ASSERT_EQUAL(ssp_doc_findings(&doc.security), 1);
	CU_ASSERT_TRUE(doc.results[2].transcript[3].partial);
	CU_ASSERT_STRING_EQUAL(doc.target.spec, json_str(json_object_get(root, "target"), "spec"));
	CU_ASSERT_EQUAL(doc.target.nextensions, json_array_size(json_object_get(json_object_get(root, "target"), "extensions")));
	CU_ASSERT_PTR_NULL(doc.profile);
	CU_ASSERT_EQUAL(doc.exit_code, 1);
	CU_ASSERT_EQUAL(doc.cert.nsuites, 1);
	CU_ASSERT_PTR_NULL(doc.cert.selection.name);
	CU_ASSERT_PTR_NOT_NULL(doc.cert.suites[0].statement);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc.baseline);
	CU_ASSERT_EQUAL(doc.baseline->n[SSP_DIFF_FIXED], 1);
	CU_ASSERT_EQUAL(doc.baseline->list[SSP_DIFF_FIXED][0].old, SSP_FAIL);
	CU_ASSERT_EQUAL(doc.baseline->list[SSP_DIFF_FIXED][0].new_, SSP_PASS);
	CU_ASSERT_PTR_NOT_NULL(ssp_doc_find(&doc, doc.results[2].id));
	CU_ASSERT_PTR_EQUAL(ssp_doc_find(&doc, doc.results[1].id), &doc.results[1]);
	CU_ASSERT_PTR_NULL(ssp_doc_find(&doc, "rfc5321/9/none"));
	json_decref(root);
	ssp_doc_free(&doc);
}

/* a document of an earlier version (no category, no security counts) reads as conformance */
static void test_legacy_document(void)
{
	char path[1024];
	ssp_diag_t diag;
	ssp_doc_t doc;
	size_t i;

	tests_path(path, sizeof(path), "good-results/legacy.json");
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL_FATAL(ssp_doc_load(&doc, path, &diag), 0);
	for (i = 0; i < doc.nresults; i++)
		CU_ASSERT_EQUAL(doc.results[i].category, SSP_CATEGORY_CONFORMANCE);
	CU_ASSERT_EQUAL(doc.security.total, 0);
	CU_ASSERT_PTR_NULL(doc.baseline);
	ssp_doc_free(&doc);
}

/* load_json - ssp_doc_from_json of the good document changed by edit (may be NULL). */
static int load_json(ssp_doc_t *doc, void (*edit)(json_t *), ssp_diag_t *diag)
{
	char path[1024];
	json_error_t je;
	json_t *root;
	int rc;

	tests_path(path, sizeof(path), "good-results/run.json");
	root = json_load_file(path, 0, &je);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	if (edit)
		edit(root);
	ssp_diag_init(diag);
	rc = ssp_doc_from_json(doc, root, "memory", diag);
	json_decref(root); /* the document keeps nothing of it */
	return rc;
}

static void long_quote(json_t *root)
{
	size_t n = SSP_RESULT_STRING_MAX + 1;
	char *s = malloc(n + 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	memset(s, 'a', n);
	s[n] = '\0';
	json_object_set_new(json_array_get(json_object_get(root, "results"), 0), "quote", json_string(s));
	free(s);
}

static void many_entries(json_t *root)
{
	json_t *tr = json_object_get(json_array_get(json_object_get(root, "results"), 0), "transcript");
	size_t i;

	for (i = json_array_size(tr); i <= SSP_RESULT_ENTRIES_MAX; i++)
		json_array_append(tr, json_array_get(tr, 0));
}

static void many_extensions(json_t *root)
{
	json_t *a = json_object_get(json_object_get(root, "target"), "extensions");
	size_t i;

	/* a hostile EHLO reply of short lines: what the writer can produce must load */
	for (i = 0; i < 50000; i++)
		json_array_append_new(a, json_string("X"));
}

static void drop_last_result(json_t *root)
{
	json_array_remove(json_object_get(root, "results"), 2);
}

/* an in-memory document: read like a file, bounded, errors name the path */
static void test_from_json(void)
{
	ssp_diag_t diag;
	ssp_doc_t doc;

	CU_ASSERT_EQUAL(load_json(&doc, NULL, &diag), 0);
	CU_ASSERT_EQUAL(doc.nresults, 3);
	CU_ASSERT_STRING_EQUAL(doc.results[0].id, "rfc5321/4.1.1.5/rset-250-in-every-state");
	ssp_doc_free(&doc);
	CU_ASSERT_EQUAL(load_json(&doc, long_quote, &diag), -1);
	CHECKF(strstr(diag.text, "results[0].quote: longer than") != NULL, "long quote: %s", diag.text);
	CHECKF(diag.line == 0 && diag.column == 0 && strcmp(diag.file, "memory") == 0,
	       "no text, no position: %s:%d:%d", diag.file, diag.line, diag.column);
	ssp_doc_free(&doc);
	CU_ASSERT_EQUAL(load_json(&doc, many_extensions, &diag), 0);
	CU_ASSERT_TRUE(doc.target.nextensions > 50000);
	ssp_doc_free(&doc);
	CU_ASSERT_EQUAL(load_json(&doc, many_entries, &diag), -1);
	CHECKF(strstr(diag.text, "results[0].transcript: more than") != NULL, "many entries: %s", diag.text);
	ssp_doc_free(&doc);
}

/* tls_hostile - the target's "tls" as a STARTTLS run against a server whose
 * cipher and subject carry markup (the display escaping keeps them ASCII). */
static void tls_hostile(json_t *root)
{
	json_object_set_new(json_object_get(root, "target"), "tls",
			    json_pack("{s:s, s:b, s:s, s:n, s:b, s:s, s:s, s:s, s:n, s:s}", "mode", "starttls", "verify", 0,
				      "sni", "mx.example", "ca_file", "client_certificate", 1, "protocol", "TLSv1.3",
				      "cipher", "<b>&\"", "peer_subject", "CN=<script>,O=\\x1b[31m", "peer_verified",
				      "error", "TLS read failed: tlsv13 alert certificate required"));
}

/* tls_bad_mode - a mode no run writes. */
static void tls_bad_mode(json_t *root)
{
	tls_hostile(root);
	json_object_set_new(json_object_get(json_object_get(root, "target"), "tls"), "mode", json_string("ssl"));
}

/* tls_raw_subject - a subject with a raw control byte (not in the display escaping). */
static void tls_raw_subject(json_t *root)
{
	tls_hostile(root);
	json_object_set_new(json_object_get(json_object_get(root, "target"), "tls"), "peer_subject",
			    json_string("CN=\x1b[31m"));
}

/* tls_long_cipher - a cipher name over 4 * (SSP_TLS_NAME_MAX - 1) bytes. */
static void tls_long_cipher(json_t *root)
{
	char name[4 * SSP_TLS_NAME_MAX + 2];

	memset(name, 'A', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	tls_hostile(root);
	json_object_set_new(json_object_get(json_object_get(root, "target"), "tls"), "cipher", json_string(name));
}

/* tls_verified_string - peer_verified must be a boolean or null. */
static void tls_verified_string(json_t *root)
{
	tls_hostile(root);
	json_object_set_new(json_object_get(json_object_get(root, "target"), "tls"), "peer_verified", json_string("yes"));
}

/* the target's "tls": read when present, refused when wrong, absent in older documents */
static void test_tls_document(void)
{
	ssp_diag_t diag;
	ssp_doc_t doc;

	CU_ASSERT_EQUAL_FATAL(load_json(&doc, NULL, &diag), 0);
	CU_ASSERT_FALSE(doc.target.tls.present);
	CU_ASSERT_PTR_NULL(doc.target.tls.protocol);
	CU_ASSERT_EQUAL(doc.target.tls.peer_verified, -1);
	ssp_doc_free(&doc);
	CHECKF(load_json(&doc, tls_hostile, &diag) == 0, "%s", diag.text);
	CU_ASSERT_TRUE(doc.target.tls.present);
	CU_ASSERT_STRING_EQUAL(ssp_doc_tls_mode_name(doc.target.tls.mode), "starttls");
	CU_ASSERT_TRUE(doc.target.tls.client_certificate);
	CU_ASSERT_FALSE(doc.target.tls.verify);
	CU_ASSERT_PTR_NULL(doc.target.tls.ca_file);
	CU_ASSERT_STRING_EQUAL(doc.target.tls.sni, "mx.example");
	CU_ASSERT_STRING_EQUAL(doc.target.tls.cipher, "<b>&\"");
	CU_ASSERT_STRING_EQUAL(doc.target.tls.peer_subject, "CN=<script>,O=\\x1b[31m");
	CU_ASSERT_EQUAL(doc.target.tls.peer_verified, -1);
	CU_ASSERT_STRING_EQUAL(doc.target.tls.error, "TLS read failed: tlsv13 alert certificate required");
	ssp_doc_free(&doc);
	CU_ASSERT_EQUAL(load_json(&doc, tls_bad_mode, &diag), -1);
	CHECKF(strstr(diag.text, "target.tls.mode: unknown name \"ssl\"") != NULL, "%s", diag.text);
	ssp_doc_free(&doc);
	CU_ASSERT_EQUAL(load_json(&doc, tls_raw_subject, &diag), -1);
	CHECKF(strstr(diag.text, "target.tls.peer_subject: must hold printable ASCII only") != NULL, "%s", diag.text);
	ssp_doc_free(&doc);
	CU_ASSERT_EQUAL(load_json(&doc, tls_long_cipher, &diag), -1);
	CHECKF(strstr(diag.text, "target.tls.cipher: longer than 252 bytes") != NULL, "%s", diag.text);
	ssp_doc_free(&doc);
	CU_ASSERT_EQUAL(load_json(&doc, tls_verified_string, &diag), -1);
	CHECKF(strstr(diag.text, "target.tls.peer_verified: must be true, false or null") != NULL, "%s", diag.text);
	ssp_doc_free(&doc);
	CU_ASSERT_STRING_EQUAL(ssp_doc_tls_mode_name(2), "implicit");
	CU_ASSERT_STRING_EQUAL(ssp_doc_tls_mode_name(3), "?");
}

/* the diff: new failures, fixed, changed, absent on either side */
static void test_diff(void)
{
	ssp_diag_t diag;
	ssp_doc_t old, new_;
	ssp_diff_t d;
	ssp_doc_result_t *r;
	char out[4096];
	FILE *f;
	size_t len;

	CU_ASSERT_EQUAL_FATAL(load_json(&old, NULL, &diag), 0);
	CU_ASSERT_EQUAL_FATAL(load_json(&new_, drop_last_result, &diag), 0);
	/* old: pass, fail (security), pass; new: pass -> fail, fail -> pass, absent */
	r = (ssp_doc_result_t *)&new_.results[0];
	r->verdict = SSP_FAIL;
	r = (ssp_doc_result_t *)&new_.results[1];
	r->verdict = SSP_WARN;
	CU_ASSERT_EQUAL_FATAL(ssp_compare_diff(&old, &new_, 0, &d), 0);
	CU_ASSERT_EQUAL(d.n[SSP_DIFF_NEW_FAILURE], 1);
	CU_ASSERT_EQUAL(d.n[SSP_DIFF_FIXED], 1);
	CU_ASSERT_EQUAL(d.n[SSP_DIFF_CHANGED], 1);
	CU_ASSERT_EQUAL(d.list[SSP_DIFF_CHANGED][0].new_, SSP_DOC_ABSENT);
	CU_ASSERT_STRING_EQUAL(ssp_doc_verdict_name(d.list[SSP_DIFF_CHANGED][0].new_), "absent");
	f = fmemopen(out, sizeof(out), "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(ssp_compare_print(f, &d), 1);
	fclose(f);
	len = strlen(out);
	CHECKF(len > 0 && strstr(out, "baseline: 1 new failure, 1 fixed, 1 changed, 0 unchanged") &&
		       strstr(out, "new failure  rfc5321/4.1.1.5/rset-250-in-every-state: pass -> fail") &&
		       strstr(out, "fixed        rfc5321/4.1.1.5/rset-clears-transaction: fail -> warn"),
	       "diff printed: %s", out);
	ssp_diff_free(&d);
	/* strict: the warning is a failure, so nothing is fixed */
	CU_ASSERT_EQUAL_FATAL(ssp_compare_diff(&old, &new_, 1, &d), 0);
	CU_ASSERT_EQUAL(d.n[SSP_DIFF_FIXED], 0);
	CU_ASSERT_EQUAL(d.n[SSP_DIFF_CHANGED], 2);
	ssp_diff_free(&d);
	ssp_doc_free(&old);
	ssp_doc_free(&new_);
}

/* one table per concept: names and parsing agree, severities follow the tables */
static void test_tables(void)
{
	int i;

	for (i = 0; i < SSP_VERDICT_COUNT; i++)
		CU_ASSERT_EQUAL(ssp_verdict_parse(ssp_verdict_name((ssp_verdict_t)i)), i);
	for (i = 0; i < SSP_LEVEL_COUNT; i++)
		CU_ASSERT_EQUAL(ssp_level_parse(ssp_level_name((ssp_level_t)i)), i);
	for (i = 0; i < SSP_CATEGORY_COUNT; i++)
		CU_ASSERT_EQUAL(ssp_category_parse(ssp_category_name((ssp_category_t)i)), i);
	CU_ASSERT_EQUAL(ssp_verdict_parse("PASS"), -1);
	CU_ASSERT_EQUAL(ssp_verdict_parse("absent"), -1);
	CU_ASSERT_EQUAL(ssp_level_parse("must"), -1);
	CU_ASSERT_EQUAL(ssp_category_parse(""), -1);
	CU_ASSERT_EQUAL(ssp_category_parse("security"), SSP_CATEGORY_SECURITY);
	CU_ASSERT_STRING_EQUAL(ssp_verdict_name(SSP_VERDICT_COUNT), "?");
	CU_ASSERT_STRING_EQUAL(ssp_level_name(SSP_LEVEL_COUNT), "?");
	CU_ASSERT_STRING_EQUAL(ssp_cert_level_name(SSP_CERT_NA), "not-applicable");
	CU_ASSERT_EQUAL(ssp_verdict_for_level(SSP_LEVEL_MUST), SSP_FAIL);
	CU_ASSERT_EQUAL(ssp_verdict_for_level(SSP_LEVEL_SHOULD), SSP_WARN);
	CU_ASSERT_EQUAL(ssp_verdict_for_level(SSP_LEVEL_MAY), SSP_INFO);
	CU_ASSERT_TRUE(ssp_verdict_fails(SSP_FAIL, 0) && ssp_verdict_fails(SSP_ERROR, 0));
	CU_ASSERT_FALSE(ssp_verdict_fails(SSP_WARN, 0));
	CU_ASSERT_TRUE(ssp_verdict_fails(SSP_WARN, 1));
	CU_ASSERT_FALSE(ssp_verdict_fails(SSP_INFO, 1) || ssp_verdict_fails(SSP_SKIP, 1) || ssp_verdict_fails(SSP_PASS, 1));
	CU_ASSERT_TRUE(ssp_verdict_is_finding(SSP_FAIL) && ssp_verdict_is_finding(SSP_WARN) && ssp_verdict_is_finding(SSP_INFO));
	CU_ASSERT_FALSE(ssp_verdict_is_finding(SSP_PASS) || ssp_verdict_is_finding(SSP_SKIP) || ssp_verdict_is_finding(SSP_ERROR));
}

/* results are ordered by RFC, then section with numeric parts as numbers, then id */
static void test_order(void)
{
	ssp_doc_result_t a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.rfc = b.rfc = 5321;
	a.id = "rfc5321/4.1.9/x";
	a.section = "4.1.9";
	b.id = "rfc5321/4.1.10/a";
	b.section = "4.1.10";
	CU_ASSERT_TRUE(ssp_doc_result_cmp(&a, &b) < 0);
	CU_ASSERT_TRUE(ssp_doc_result_cmp(&b, &a) > 0);
	CU_ASSERT_FALSE(ssp_doc_same_section(&a, &b));
	b.section = "4.1.9";
	b.id = "rfc5321/4.1.9/a";
	CU_ASSERT_TRUE(ssp_doc_same_section(&a, &b));
	CU_ASSERT_TRUE(ssp_doc_result_cmp(&a, &b) > 0);
	b.rfc = 1870;
	CU_ASSERT_TRUE(ssp_doc_result_cmp(&a, &b) > 0);
	CU_ASSERT_FALSE(ssp_doc_same_section(&a, &b));
}

/* the writers show the security finding apart */
static void test_writers(void)
{
	char path[1024], *dir, out[1300], *text;
	ssp_diag_t diag;
	ssp_doc_t doc;

	tests_path(path, sizeof(path), "good-results/run.json");
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL_FATAL(ssp_doc_load(&doc, path, &diag), 0);
	dir = tests_mkdtemp();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(out, sizeof(out), "%s/r.html", dir);
	CU_ASSERT_EQUAL(ssp_html_write(out, &doc, &diag), 0);
	text = tests_read(out, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CHECKF(strstr(text, "<section id=\"security\">\n<h2>Security findings: 1</h2>") != NULL &&
		       strstr(text, "id=\"count-security\">1<") != NULL &&
		       strstr(text, "data-verdicts=\"fail\" data-category=\"security\"") != NULL,
	       "HTML: no security section, count or entry");
	free(text);
	snprintf(out, sizeof(out), "%s/r.xml", dir);
	CU_ASSERT_EQUAL(ssp_junit_write(out, &doc, 0, &diag), 0);
	text = tests_read(out, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CHECKF(strstr(text, "<testsuite id=\"0\" name=\"security findings\" package=\"security\" tests=\"1\" failures=\"1\"") &&
		       strstr(text, "classname=\"security.rfc5321.4_1_1_5\" name=\"rset-clears-transaction\"") &&
		       strstr(text, "type=\"security MUST\""),
	       "JUnit: no security testsuite");
	free(text);
	snprintf(out, sizeof(out), "%s/no/such/dir/r.html", dir);
	CU_ASSERT_EQUAL(ssp_html_write(out, &doc, &diag), -1);
	tests_rmtree(dir);
	free(dir);
	ssp_doc_free(&doc);
}

/* markup - ssp_markup_text of s[0..n) as a string (static buffer). */
static const char *markup(const char *s, size_t n)
{
	static char out[512];
	FILE *f = fmemopen(out, sizeof(out), "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	ssp_markup_text(f, s, n);
	fclose(f);
	return out;
}

/* HTML/XML text: markup as text, controls and invisible reordering characters as \xHH, UTF-8 as is */
static void test_markup(void)
{
	static const struct {
		const char *in;
		size_t n;
		const char *out;
	} cases[] = {
		{ "<b a=\"x\">&'", 11, "&lt;b a=&quot;x&quot;&gt;&amp;&#39;" },
		{ "a\0b\033[31m", 8, "a\\x00b\\x1b[31m" },
		{ "caf\xc3\xa9 \xc2\xa7", 8, "caf\xc3\xa9 \xc2\xa7" },              /* é and § stay */
		{ "ab\xe2\x80\xae" "cd", 7, "ab\\xe2\\x80\\xaecd" },                   /* U+202E RLO */
		{ "x\xe2\x80\xa8y", 5, "x\\xe2\\x80\\xa8y" },                       /* U+2028 */
		{ "x\xe2\x81\xa6y", 5, "x\\xe2\\x81\\xa6y" },                       /* U+2066 LRI */
		{ "x\xc2\x85y", 4, "x\\xc2\\x85y" },                                 /* U+0085 NEL */
		{ "x\xe2\x80\x8by", 5, "x\\xe2\\x80\\x8by" },                       /* U+200B */
		{ "\xef\xbb\xbfz", 4, "\\xef\\xbb\\xbfz" },                         /* U+FEFF */
		{ "\xff\xc3(", 3, "\\xff\\xc3(" },                                   /* invalid */
		{ "\xe2\x82\xac", 3, "\xe2\x82\xac" },                               /* the euro sign stays */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECKF(strcmp(markup(cases[i].in, cases[i].n), cases[i].out) == 0, "case %zu: \"%s\"", i,
		       markup(cases[i].in, cases[i].n));
}

void register_results_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "bad result documents are refused, located", test_bad_documents },
		{ "a good document is read completely", test_good_document },
		{ "a document without categories reads as conformance", test_legacy_document },
		{ "an in-memory document is bounded", test_from_json },
		{ "the TLS of the target: read, refused, optional", test_tls_document },
		{ "diff: new failures, fixed, changed, absent", test_diff },
		{ "verdict, level, category tables", test_tables },
		{ "order by RFC section", test_order },
		{ "HTML and JUnit show security findings apart", test_writers },
		{ "markup: text, controls and invisible characters", test_markup },
		{ NULL, NULL },
	};

	tests_add_suite("results", tests);
}
