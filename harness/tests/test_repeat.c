/*
 * test_repeat.c - run --repeat (harness/repeat.c): the rounds are
 * interleaved, the fold reports the worst verdict with that round's reason
 * and transcript and counts the rounds of each verdict, the trimming while
 * the run goes on keeps the same round as the fold, unstable vectors are
 * found, and the result document's "repeat" fields load (and wrong ones are
 * refused).
 */
#include "tests.h"

#include "../../reports/result.h"
#include "../repeat.h"
#include "../run.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NV 3
#define NR 4

static ssp_vector_t vecs[NV];

/*
 * Verdicts by round (rows) and vector (columns): vector 0 passes then fails
 * twice (worst: fail, first in round 2), vector 1 always passes, vector 2
 * gives skip, warn, error, warn (worst: error in round 3).
 */
static const ssp_verdict_t plan[NR][NV] = {
	{ SSP_PASS, SSP_PASS, SSP_SKIP },
	{ SSP_FAIL, SSP_PASS, SSP_WARN },
	{ SSP_PASS, SSP_PASS, SSP_ERROR },
	{ SSP_FAIL, SSP_PASS, SSP_WARN },
};

/* make_run - a finished run of NV vectors x NR rounds, as the scheduler leaves it. */
static void make_run(ssp_run_t *run, const ssp_vector_t **vp)
{
	size_t k, i;

	memset(run, 0, sizeof(*run));
	for (i = 0; i < NV; i++)
		vp[i] = &vecs[i];
	run->vectors = ssp_repeat_vectors(vp, NV, NR);
	run->n = NV * NR;
	run->results = calloc(run->n, sizeof(*run->results));
	run->opts.repeat = NR;
	CU_ASSERT_PTR_NOT_NULL_FATAL(run->vectors);
	CU_ASSERT_PTR_NOT_NULL_FATAL(run->results);
	for (k = 0; k < NR; k++) {
		for (i = 0; i < NV; i++) {
			ssp_result_t *r = &run->results[k * NV + i];

			ssp_result_init(r, run->vectors[k * NV + i]);
			r->verdict = plan[k][i];
			snprintf(r->reason, sizeof(r->reason), "round %zu of vector %zu", k + 1, i);
			ssp_transcript_note(&r->transcript, 0, "transcript of round %zu", k + 1);
			run->counts[r->verdict]++;
		}
	}
}

/* note - the text of the first transcript entry of r ("" if none), in out. */
static const char *note(const ssp_result_t *r, char *out, size_t size)
{
	const char *p;
	const ssp_tr_entry_t *e;

	out[0] = '\0';
	if (ssp_transcript_count(&r->transcript) == 0)
		return out;
	e = ssp_transcript_entry(&r->transcript, 0, &p);
	snprintf(out, size, "%.*s", (int)e->len, p);
	return out;
}

static void test_rank(void)
{
	static const ssp_verdict_t order[] = { SSP_PASS, SSP_SKIP, SSP_INFO, SSP_WARN, SSP_ERROR, SSP_FAIL };
	size_t i;

	for (i = 1; i < sizeof(order) / sizeof(order[0]); i++) {
		CU_ASSERT(ssp_repeat_rank(order[i]) > ssp_repeat_rank(order[i - 1]));
		CU_ASSERT(ssp_repeat_keeps(order[i], 5, order[i - 1], 0));   /* worse wins, whatever the round */
		CU_ASSERT(!ssp_repeat_keeps(order[i - 1], 0, order[i], 5));
	}
	CU_ASSERT(ssp_repeat_keeps(SSP_FAIL, 1, SSP_FAIL, 3));          /* as bad: the earlier round */
	CU_ASSERT(!ssp_repeat_keeps(SSP_FAIL, 3, SSP_FAIL, 1));
	CU_ASSERT(!ssp_repeat_keeps(SSP_FAIL, 2, SSP_FAIL, 2));
}

static void test_vectors(void)
{
	const ssp_vector_t *vp[NV] = { &vecs[0], &vecs[1], &vecs[2] };
	const ssp_vector_t **all = ssp_repeat_vectors(vp, NV, NR);
	size_t k, i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(all);
	for (k = 0; k < NR; k++) {
		for (i = 0; i < NV; i++)
			CU_ASSERT_PTR_EQUAL(all[k * NV + i], &vecs[i]);
	}
	free(all);
	CU_ASSERT_PTR_NULL(ssp_repeat_vectors(vp, NV, 0));
	CU_ASSERT_PTR_NULL(ssp_repeat_vectors(vp, SSP_RUN_ROUNDS_MAX / 2 + 1, 2)); /* too many sessions */
}

static void test_fold(void)
{
	const ssp_vector_t *vp[NV];
	ssp_run_t run;
	char buf[128];

	make_run(&run, vp);
	CU_ASSERT_EQUAL(ssp_repeat_fold(&run, NV, NR + 1), -1); /* not n x rounds results: left alone */
	CU_ASSERT_EQUAL(run.n, NV * NR);
	CU_ASSERT_EQUAL_FATAL(ssp_repeat_fold(&run, NV, NR), 0);
	CU_ASSERT_EQUAL(run.n, NV);
	CU_ASSERT_EQUAL(run.finished, NV);
	/* vector 0: fail, from round 2, with its reason and transcript */
	CU_ASSERT_PTR_EQUAL(run.results[0].vector, &vecs[0]);
	CU_ASSERT_EQUAL(run.results[0].verdict, SSP_FAIL);
	CU_ASSERT_STRING_EQUAL(run.results[0].reason, "round 2 of vector 0");
	CU_ASSERT_STRING_EQUAL(note(&run.results[0], buf, sizeof(buf)), "transcript of round 2");
	CU_ASSERT_EQUAL(run.results[0].rounds[SSP_PASS], 2);
	CU_ASSERT_EQUAL(run.results[0].rounds[SSP_FAIL], 2);
	CU_ASSERT(ssp_repeat_unstable(&run.results[0]));
	/* vector 1: pass in every round: stable */
	CU_ASSERT_EQUAL(run.results[1].verdict, SSP_PASS);
	CU_ASSERT_EQUAL(run.results[1].rounds[SSP_PASS], NR);
	CU_ASSERT(!ssp_repeat_unstable(&run.results[1]));
	/* vector 2: error (worse than warn and skip), round 3 */
	CU_ASSERT_EQUAL(run.results[2].verdict, SSP_ERROR);
	CU_ASSERT_STRING_EQUAL(run.results[2].reason, "round 3 of vector 2");
	CU_ASSERT_STRING_EQUAL(note(&run.results[2], buf, sizeof(buf)), "transcript of round 3");
	CU_ASSERT_EQUAL(run.results[2].rounds[SSP_SKIP], 1);
	CU_ASSERT_EQUAL(run.results[2].rounds[SSP_WARN], 2);
	CU_ASSERT_EQUAL(run.results[2].rounds[SSP_ERROR], 1);
	/* the run's counts are of the folded results */
	CU_ASSERT_EQUAL(run.counts[SSP_FAIL], 1);
	CU_ASSERT_EQUAL(run.counts[SSP_PASS], 1);
	CU_ASSERT_EQUAL(run.counts[SSP_ERROR], 1);
	CU_ASSERT_EQUAL(run.counts[SSP_WARN] + run.counts[SSP_SKIP] + run.counts[SSP_INFO], 0);
	CU_ASSERT_EQUAL(ssp_repeat_count_unstable(&run), 2);
	ssp_repeat_format(run.results[2].rounds, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "warn 2, skip 1, error 1");
	ssp_repeat_format(run.results[2].rounds, buf, 8); /* cut short, still terminated */
	CU_ASSERT(strlen(buf) < 8);
	free((void *)run.vectors);
	run.vectors = NULL;
	ssp_run_free(&run);
}

static void test_trim(void)
{
	/* results finish out of order; the trimming keeps exactly the round the fold reports */
	static const size_t finish[NV * NR] = { 11, 4, 0, 7, 2, 9, 1, 5, 10, 3, 8, 6 };
	const ssp_vector_t *vp[NV];
	size_t keep[NV], i, kept = 0;
	ssp_run_t run;
	char buf[128];

	make_run(&run, vp);
	for (i = 0; i < NV; i++)
		keep[i] = SIZE_MAX;
	for (i = 0; i < NV * NR; i++)
		ssp_repeat_trim(&run, NV, keep, finish[i]);
	CU_ASSERT_EQUAL(keep[0], 1);
	CU_ASSERT_EQUAL(keep[1], 0);
	CU_ASSERT_EQUAL(keep[2], 2);
	for (i = 0; i < NV * NR; i++)
		kept += ssp_transcript_count(&run.results[i].transcript) > 0;
	CU_ASSERT_EQUAL(kept, NV); /* one transcript per vector left */
	CU_ASSERT_EQUAL_FATAL(ssp_repeat_fold(&run, NV, NR), 0);
	CU_ASSERT_STRING_EQUAL(note(&run.results[0], buf, sizeof(buf)), "transcript of round 2");
	CU_ASSERT_STRING_EQUAL(note(&run.results[1], buf, sizeof(buf)), "transcript of round 1");
	CU_ASSERT_STRING_EQUAL(note(&run.results[2], buf, sizeof(buf)), "transcript of round 3");
	free((void *)run.vectors);
	run.vectors = NULL;
	ssp_run_free(&run);
}

/* load_with - good-results/run.json with result 0's "repeat" set to rep (a JSON text; NULL: none) and
 * options.repeat: the loader's return code, doc loaded on 0. */
static int load_with(ssp_doc_t *doc, const char *rep, ssp_diag_t *diag)
{
	char path[1024];
	json_error_t err;
	json_t *root;
	int rc;

	tests_path(path, sizeof(path), "good-results/run.json");
	root = json_load_file(path, 0, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	json_object_set_new(json_object_get(root, "options"), "repeat", json_integer(4));
	json_object_set_new(json_object_get(root, "summary"), "unstable", json_integer(1));
	if (rep != NULL)
		json_object_set_new(json_array_get(json_object_get(root, "results"), 0), "repeat",
				    json_loads(rep, 0, &err));
	ssp_diag_init(diag);
	rc = ssp_doc_from_json(doc, root, "run.json", diag);
	json_decref(root);
	return rc;
}

static void test_document(void)
{
	ssp_doc_t doc;
	ssp_diag_t diag;

	/* result 0 of run.json passed */
	CU_ASSERT_EQUAL_FATAL(load_with(&doc, "{\"rounds\": 4, \"verdicts\": {\"pass\": 4}}", &diag), 0);
	CU_ASSERT_EQUAL(doc.repeat, 4);
	CU_ASSERT_EQUAL(doc.unstable, 1);
	CU_ASSERT_EQUAL(doc.results[0].rounds, 4);
	CU_ASSERT_EQUAL(doc.results[0].verdicts[SSP_PASS], 4);
	CU_ASSERT(!doc.results[0].unstable);
	CU_ASSERT_EQUAL(doc.results[1].rounds, 0); /* optional */
	ssp_doc_free(&doc);
	CU_ASSERT_EQUAL_FATAL(load_with(&doc, "{\"rounds\": 4, \"verdicts\": {\"pass\": 3, \"skip\": 1}}", &diag), 0);
	CU_ASSERT(doc.results[0].unstable);
	ssp_doc_free(&doc);
	/* refused: counts that do not add up, a verdict no round gave, zero counts, unknown names, bounds */
	CU_ASSERT_EQUAL(load_with(&doc, "{\"rounds\": 4, \"verdicts\": {\"pass\": 3}}", &diag), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag.text, "add up"));
	CU_ASSERT_EQUAL(load_with(&doc, "{\"rounds\": 4, \"verdicts\": {\"fail\": 4}}", &diag), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag.text, "one its rounds gave"));
	CU_ASSERT_EQUAL(load_with(&doc, "{\"rounds\": 4, \"verdicts\": {\"pass\": 4, \"fail\": 0}}", &diag), -1);
	CU_ASSERT_EQUAL(load_with(&doc, "{\"rounds\": 4, \"verdicts\": {\"passed\": 4}}", &diag), -1);
	CU_ASSERT_EQUAL(load_with(&doc, "{\"rounds\": 0, \"verdicts\": {}}", &diag), -1);
	CU_ASSERT_EQUAL(load_with(&doc, "{\"rounds\": 1001, \"verdicts\": {\"pass\": 1001}}", &diag), -1);
	CU_ASSERT_EQUAL(load_with(&doc, "{\"rounds\": 4}", &diag), -1);
	CU_ASSERT_EQUAL(load_with(&doc, "[4]", &diag), -1);
}

void register_repeat_tests(void)
{
	static const tests_entry_t tests[] = {
		{"verdicts ranked fail > error > warn > info > skip > pass", test_rank},
		{"rounds interleaved, sessions bounded", test_vectors},
		{"fold: worst verdict, its round, distribution, unstable", test_fold},
		{"trimming keeps the round the fold reports", test_trim},
		{"the document's repeat fields load and are checked", test_document},
		{NULL, NULL},
	};

	tests_add_suite("repeat", tests);
}
