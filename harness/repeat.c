/*
 * repeat.c - run --repeat N: the repeated selection, the trimming of
 * transcripts while the run goes on, and the folding of the rounds into
 * one result per vector (see repeat.h).
 */
#include "repeat.h"

#include "limits.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ssp_repeat_rank(ssp_verdict_t v)
{
	static const int rank[SSP_VERDICT_COUNT] = {
		[SSP_PASS] = 0, [SSP_SKIP] = 1, [SSP_INFO] = 2, [SSP_WARN] = 3, [SSP_ERROR] = 4, [SSP_FAIL] = 5,
	};

	return (unsigned)v < SSP_VERDICT_COUNT ? rank[v] : rank[SSP_ERROR];
}

int ssp_repeat_keeps(ssp_verdict_t va, size_t ra, ssp_verdict_t vb, size_t rb)
{
	int a = ssp_repeat_rank(va), b = ssp_repeat_rank(vb);

	return a > b || (a == b && ra < rb);
}

const ssp_vector_t **ssp_repeat_vectors(const ssp_vector_t **vectors, size_t n, unsigned rounds)
{
	const ssp_vector_t **all;
	size_t k, i;

	if (n == 0 || rounds == 0 || n > SSP_RUN_ROUNDS_MAX / rounds)
		return NULL;
	if ((all = malloc(n * rounds * sizeof(*all))) == NULL)
		return NULL;
	for (k = 0; k < rounds; k++) {
		for (i = 0; i < n; i++)
			all[k * n + i] = vectors[i];
	}
	return all;
}

/* drop_transcript - free the transcript of r, leaving an empty one. */
static void drop_transcript(ssp_result_t *r)
{
	ssp_transcript_free(&r->transcript);
	ssp_transcript_init(&r->transcript);
}

void ssp_repeat_trim(ssp_run_t *run, size_t n, size_t *keep, size_t idx)
{
	size_t i, round, kept;

	if (n == 0 || idx >= run->n)
		return;
	i = idx % n;
	round = idx / n;
	kept = keep[i];
	if (kept == SIZE_MAX) {
		keep[i] = round;
		return;
	}
	if (ssp_repeat_keeps(run->results[idx].verdict, round, run->results[kept * n + i].verdict, kept)) {
		drop_transcript(&run->results[kept * n + i]);
		keep[i] = round;
	} else {
		drop_transcript(&run->results[idx]);
	}
}

int ssp_repeat_fold(ssp_run_t *run, size_t n, unsigned rounds)
{
	ssp_result_t *folded;
	size_t i, k, best;
	int v;

	if (n == 0 || rounds == 0 || run->n != n * rounds)
		return -1;
	if ((folded = calloc(n, sizeof(*folded))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned counts[SSP_VERDICT_COUNT] = { 0 };

		best = 0;
		for (k = 0; k < rounds; k++) {
			ssp_verdict_t vk = run->results[k * n + i].verdict;

			counts[(unsigned)vk < SSP_VERDICT_COUNT ? vk : SSP_ERROR]++;
			if (k > 0 && ssp_repeat_keeps(vk, k, run->results[best * n + i].verdict, best))
				best = k;
		}
		folded[i] = run->results[best * n + i]; /* the transcript moves */
		ssp_transcript_init(&run->results[best * n + i].transcript);
		memcpy(folded[i].rounds, counts, sizeof(counts));
	}
	for (k = 0; k < n * rounds; k++)
		ssp_result_free(&run->results[k]);
	free(run->results);
	run->results = folded;
	run->n = n;
	run->finished = n;
	memset(run->counts, 0, sizeof(run->counts));
	for (i = 0; i < n; i++) {
		v = (unsigned)folded[i].verdict < SSP_VERDICT_COUNT ? (int)folded[i].verdict : SSP_ERROR;
		run->counts[v]++;
	}
	return 0;
}

int ssp_repeat_unstable(const ssp_result_t *r)
{
	int v, seen = 0;

	for (v = 0; v < SSP_VERDICT_COUNT; v++)
		seen += r->rounds[v] > 0;
	return seen > 1;
}

size_t ssp_repeat_count_unstable(const ssp_run_t *run)
{
	size_t i, k = 0;

	for (i = 0; i < run->n; i++)
		k += (size_t)ssp_repeat_unstable(&run->results[i]);
	return k;
}

void ssp_repeat_format(const unsigned rounds[SSP_VERDICT_COUNT], char *out, size_t size)
{
	size_t len = 0;
	int v, w;

	if (size == 0)
		return;
	out[0] = '\0';
	for (v = 0; v < SSP_VERDICT_COUNT; v++) {
		if (rounds[v] == 0)
			continue;
		w = snprintf(out + len, size - len, "%s%s %u", len ? ", " : "", ssp_verdict_name((ssp_verdict_t)v),
			     rounds[v]);
		if (w < 0 || (size_t)w >= size - len)
			return;
		len += (size_t)w;
	}
}
