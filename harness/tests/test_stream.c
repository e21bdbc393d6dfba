/*
 * test_stream.c - the reports stream (issue 14 §2): with the transcripts
 * in the spool, the JSON written by ssp_json_stream has the bytes of the
 * whole document dumped at once, and the HTML and JUnit rendered from the
 * document without transcripts (each result fetched whole) have the bytes
 * of those rendered from the whole document.  Server bytes of every kind
 * (CR, LF, quotes, backslashes, NUL, 8-bit) and --repeat are covered.
 */
#include "tests.h"

#include "../../reports/report.h"
#include "../../reports/result.h"
#include "../run.h"
#include "../spool.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NV 4

static ssp_vector_t vecs[NV];
static char ids[NV][64];
static char title[] = "a vector of the stream test", sec1[] = "4.1.1", sec2[] = "4.1.2", quote[] = "The quote.",
	    file[] = "vectors/stream.json";

/* make_run - a finished run of NV vectors with assorted verdicts and transcripts (repeat: rounds given). */
static void make_run(ssp_run_t *run, unsigned repeat)
{
	static const ssp_verdict_t verdicts[NV] = { SSP_PASS, SSP_FAIL, SSP_ERROR, SSP_WARN };
	static const char bytes[] = "250-x \"quoted\" \\ back\r\n250 \x00\xff\xe9 8-bit\n";
	size_t i, k;

	memset(run, 0, sizeof(*run));
	run->n = NV;
	run->results = calloc(NV, sizeof(*run->results));
	CU_ASSERT_PTR_NOT_NULL_FATAL(run->results);
	run->opts.target = "127.0.0.1:2525";
	run->opts.jobs = 2;
	run->opts.timeout_ms = 5000;
	run->opts.connect_timeout_ms = 5000;
	run->opts.deadline_s = 60;
	run->opts.repeat = repeat;
	snprintf(run->host, sizeof(run->host), "127.0.0.1");
	snprintf(run->port, sizeof(run->port), "2525");
	snprintf(run->address, sizeof(run->address), "127.0.0.1");
	run->started = 1764590000;
	ssp_result_init(&run->probe, NULL);
	ssp_transcript_note(&run->probe.transcript, 0, "connected");
	for (i = 0; i < NV; i++) {
		ssp_vector_t *v = &vecs[i];
		ssp_result_t *r = &run->results[i];

		snprintf(ids[i], sizeof(ids[i]), "rfc5321/4.1.%zu/stream-%zu", i % 2 + 1, i);
		v->id = ids[i];
		v->title = title;
		v->rfc = 5321;
		v->section = i % 2 ? sec2 : sec1;
		v->level = i == 3 ? SSP_LEVEL_SHOULD : SSP_LEVEL_MUST;
		v->category = i == 1 ? SSP_CATEGORY_SECURITY : SSP_CATEGORY_CONFORMANCE;
		v->quote = quote;
		v->file = file;
		v->line = (unsigned)(10 * i + 1);
		ssp_result_init(r, v);
		r->verdict = verdicts[i];
		snprintf(r->reason, sizeof(r->reason), "reason %zu: expected 250, got 550 \"no\"", i);
		snprintf(r->expected, sizeof(r->expected), "250");
		snprintf(r->observed, sizeof(r->observed), i ? "550 no\\r\\n" : "");
		r->step = (unsigned)i;
		r->duration_ms = (uint32_t)(7 * i);
		if (repeat > 0)
			r->rounds[r->verdict] = repeat;
		run->counts[r->verdict]++;
		ssp_transcript_note(&r->transcript, 0, "connected to 127.0.0.1:2525 (é)");
		for (k = 0; k < 3 * i; k++) {
			ssp_transcript_add(&r->transcript, SSP_TR_CLIENT, (uint32_t)k, "MAIL FROM:<a@b>\r\n", 17, 0);
			ssp_transcript_add(&r->transcript, SSP_TR_SERVER, (uint32_t)k, bytes, sizeof(bytes) - 1,
					   (int)(k == 2));
		}
	}
	run->finished = NV;
}

/* whole_json - the document of the run with every result whole (transcripts in memory or spooled). */
static json_t *whole_json(const ssp_run_t *run, const ssp_report_meta_t *m)
{
	json_t *doc = ssp_json_build(run, m), *a = json_array();
	ssp_diag_t diag;
	size_t i;

	ssp_diag_init(&diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	for (i = 0; i < run->n; i++)
		json_array_append_new(a, ssp_json_result(run, m, i, &diag));
	CU_ASSERT(!diag.set);
	json_object_set_new(doc, "results", a);
	return doc;
}

/* same_file - the two files hold the same bytes (and at least one). */
static int same_file(const char *a, const char *b)
{
	size_t la, lb;
	char *pa = tests_read(a, &la), *pb = tests_read(b, &lb);
	int same = pa != NULL && pb != NULL && la > 0 && la == lb && memcmp(pa, pb, la) == 0;

	free(pa);
	free(pb);
	return same;
}

static void check(unsigned repeat)
{
	ssp_run_t run;
	ssp_report_meta_t m;
	ssp_spool_t sp;
	ssp_diag_t diag;
	ssp_doc_t full, light;
	ssp_json_source_t src;
	json_t *ref, *doc;
	char *dir = tests_mkdtemp(), path[8][1024];
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	for (i = 0; i < 8; i++)
		snprintf(path[i], sizeof(path[i]), "%s/%zu", dir, i);
	memset(&m, 0, sizeof(m));
	m.version = "0.0-test";
	m.catalogue = "/cat";
	m.catalogue_size = NV;
	make_run(&run, repeat);
	/* the reference: the whole document, transcripts still in memory, dumped at once */
	ref = whole_json(&run, &m);
	CU_ASSERT_EQUAL(json_dump_file(ref, path[0], JSON_INDENT(1) | JSON_ENSURE_ASCII), 0);
	ssp_diag_init(&diag);
	CHECKF(ssp_doc_from_json(&full, ref, "ref", &diag) == 0, "the whole document: %s", diag.text);
	CU_ASSERT_FATAL(!diag.set);
	CU_ASSERT_EQUAL(full.results[3].ntranscript, 1 + 2 * 9);
	CU_ASSERT_EQUAL(ssp_html_write(path[2], &full, &diag), 0);
	CU_ASSERT_EQUAL(ssp_junit_write(path[4], &full, 0, &diag), 0);

	/* the stream: the transcripts leave memory, the documents are built without them */
	CU_ASSERT_EQUAL_FATAL(ssp_spool_open(&sp, &diag), 0);
	run.opts.spool = &sp;
	for (i = 0; i < NV; i++) {
		CU_ASSERT_EQUAL(ssp_spool_put(&sp, &run.results[i]), 0);
		CU_ASSERT_EQUAL(ssp_transcript_count(&run.results[i].transcript), 0);
	}
	doc = ssp_json_build(&run, &m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(json_array_get(json_object_get(doc, "results"), 3),
							"transcript")), 0);
	CU_ASSERT_EQUAL(ssp_json_stream(path[1], doc, &run, &m, &diag), 0);
	CHECKF(same_file(path[0], path[1]), "repeat %u: the streamed JSON differs from the whole document", repeat);
	CU_ASSERT_EQUAL_FATAL(ssp_doc_from_json(&light, doc, "light", &diag), 0);
	CU_ASSERT_EQUAL(light.results[3].ntranscript, 0);
	src.run = &run;
	src.meta = &m;
	light.fetch = ssp_json_fetch;
	light.fetch_arg = &src;
	CU_ASSERT_EQUAL(ssp_html_write(path[3], &light, &diag), 0);
	CU_ASSERT_EQUAL(ssp_junit_write(path[5], &light, 0, &diag), 0);
	CHECKF(same_file(path[2], path[3]), "repeat %u: the streamed HTML differs", repeat);
	CHECKF(same_file(path[4], path[5]), "repeat %u: the streamed JUnit differs", repeat);
	CU_ASSERT(!diag.set);

	/* a spool that cannot be read: each writer fails with the reason, never a report that lacks a result */
	ssp_spool_close(&sp);
	CU_ASSERT_EQUAL(ssp_json_stream(path[6], doc, &run, &m, &diag), -1);
	CU_ASSERT(diag.set && strstr(diag.text, "spool") != NULL);
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL(ssp_html_write(path[6], &light, &diag), -1);
	CU_ASSERT(strstr(diag.text, "spool") != NULL);
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL(ssp_junit_write(path[7], &light, 0, &diag), -1);
	CU_ASSERT(strstr(diag.text, "spool") != NULL);

	ssp_doc_free(&full);
	ssp_doc_free(&light);
	json_decref(ref);
	json_decref(doc);
	ssp_run_free(&run);
	tests_rmtree(dir);
	free(dir);
}

static void test_plain(void)
{
	check(0);
}

static void test_repeat(void)
{
	check(3);
}

void register_stream_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "JSON, HTML, JUnit: the same bytes as the whole document", test_plain },
		{ "the same under --repeat", test_repeat },
		{ NULL, NULL },
	};

	tests_add_suite("stream", tests);
}
