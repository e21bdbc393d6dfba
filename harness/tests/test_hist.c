/*
 * test_hist.c - the log-linear histogram (hist.h): its error bound over
 * the whole range, percentiles of known distributions, exact merges, the
 * edge values, and the checks made when a saved histogram is read back.
 */
#include "tests.h"

#include "../hist.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* within - |got - want| <= want / 256, the bound stated in hist.h. */
static int within(uint64_t got, uint64_t want)
{
	uint64_t d = got > want ? got - want : want - got;

	return d * 256 <= want;
}

/* A small deterministic generator, so that failures repeat. */
static uint64_t rng_state = 88172645463325252ull;
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Every value of a range, and values spread log-uniformly up to the
 * maximum: in its bucket, and the bucket's value within the bound. */
static void test_error_bound(void)
{
	uint64_t v;
	size_t i, prev = 0;
	int k;

	for (v = 0; v <= 2000000; v++) {
		i = ssp_hist_index(v);
		if (v > 0)
			CHECKF(i == prev || i == prev + 1, "index of %llu jumps", (unsigned long long)v);
		prev = i;
		CHECKF(ssp_hist_low(i) <= v && v <= ssp_hist_high(i), "%llu outside its bucket",
		       (unsigned long long)v);
		if (!within(ssp_hist_value(i), v)) {
			CHECKF(0, "value %llu read back as %llu", (unsigned long long)v,
			       (unsigned long long)ssp_hist_value(i));
			break;
		}
	}
	for (k = 0; k < 1000000; k++) {
		v = rng() >> (32 + rng() % 32);    /* 1 .. 2^32-1, all magnitudes */
		i = ssp_hist_index(v);
		if (!(ssp_hist_low(i) <= v && v <= ssp_hist_high(i) && within(ssp_hist_value(i), v))) {
			CHECKF(0, "value %llu in bucket %zu [%llu, %llu] read as %llu",
			       (unsigned long long)v, i, (unsigned long long)ssp_hist_low(i),
			       (unsigned long long)ssp_hist_high(i),
			       (unsigned long long)ssp_hist_value(i));
			break;
		}
	}
	/* buckets tile the range without gaps, and the last ends at the maximum */
	for (i = 1; i < SSP_HIST_BUCKETS; i++)
		if (ssp_hist_low(i) != ssp_hist_high(i - 1) + 1) {
			CHECKF(0, "gap before bucket %zu", i);
			break;
		}
	CU_ASSERT_EQUAL(ssp_hist_low(0), 0);
	CU_ASSERT_EQUAL(ssp_hist_high(SSP_HIST_BUCKETS - 1), SSP_HIST_VALUE_MAX);
	CU_ASSERT_EQUAL(ssp_hist_index(SSP_HIST_VALUE_MAX), SSP_HIST_BUCKETS - 1);
}

/* cmp_u64 - qsort order. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Percentiles against the exact order statistics of known samples:
 * 1..100000 each once, and a skewed (log-uniform) random sample. */
static void test_percentiles(void)
{
	static const double ps[] = {0.1, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99};
	enum { N = 100000 };
	ssp_hist_t *h = malloc(sizeof(*h));
	uint64_t *sample = malloc(N * sizeof(*sample));
	size_t k, rank;
	uint64_t want, got;

	CU_ASSERT_FATAL(h != NULL && sample != NULL);
	ssp_hist_init(h);
	for (k = 1; k <= N; k++)
		ssp_hist_record(h, k);
	CU_ASSERT_EQUAL(h->count, N);
	CU_ASSERT_EQUAL(h->min, 1);
	CU_ASSERT_EQUAL(h->max, N);
	CU_ASSERT_DOUBLE_EQUAL(ssp_hist_mean(h), (N + 1) / 2.0, 1e-9);
	for (k = 0; k < sizeof(ps) / sizeof(ps[0]); k++) {
		want = (uint64_t)(ps[k] / 100.0 * N + 0.999999);
		got = ssp_hist_percentile(h, ps[k]);
		CHECKF(within(got, want), "uniform p%g: got %llu, want %llu", ps[k],
		       (unsigned long long)got, (unsigned long long)want);
	}
	CU_ASSERT_EQUAL(ssp_hist_percentile(h, 0), 1);
	CU_ASSERT_EQUAL(ssp_hist_percentile(h, 100), N);

	ssp_hist_init(h);
	for (k = 0; k < N; k++) {
		sample[k] = 50 + (rng() >> (34 + rng() % 20));   /* latencies: 50 µs to hours */
		ssp_hist_record(h, sample[k]);
	}
	qsort(sample, N, sizeof(*sample), cmp_u64);
	for (k = 0; k < sizeof(ps) / sizeof(ps[0]); k++) {
		rank = (size_t)(ps[k] / 100.0 * N + 0.999999);
		want = sample[rank - 1];
		got = ssp_hist_percentile(h, ps[k]);
		CHECKF(within(got, want), "skewed p%g: got %llu, want %llu", ps[k],
		       (unsigned long long)got, (unsigned long long)want);
	}
	CU_ASSERT_EQUAL(ssp_hist_percentile(h, 100), sample[N - 1]);
	CU_ASSERT_EQUAL(ssp_hist_percentile(h, 0), sample[0]);
	free(sample);
	free(h);
}

/* The merge of two histograms is the histogram of both samples. */
static void test_merge(void)
{
	ssp_hist_t *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b)), *u = malloc(sizeof(*u));
	ssp_hist_t *e = malloc(sizeof(*e));
	uint64_t v;
	int k;

	CU_ASSERT_FATAL(a && b && u && e);
	ssp_hist_init(a);
	ssp_hist_init(b);
	ssp_hist_init(u);
	ssp_hist_init(e);
	for (k = 0; k < 50000; k++) {
		v = rng() >> (30 + rng() % 30);
		ssp_hist_record(k % 3 ? a : b, v);
		ssp_hist_record(u, v);
	}
	ssp_hist_merge(a, b);
	CU_ASSERT(memcmp(a, u, sizeof(*a)) == 0);
	ssp_hist_merge(a, e);                 /* merging an empty one changes nothing */
	CU_ASSERT(memcmp(a, u, sizeof(*a)) == 0);
	ssp_hist_merge(e, u);                 /* into an empty one: a copy */
	CU_ASSERT(memcmp(e, u, sizeof(*e)) == 0);
	free(a);
	free(b);
	free(u);
	free(e);
}

/* 0, the maximum, and values above it (clamped and counted). */
static void test_edges(void)
{
	ssp_hist_t *h = malloc(sizeof(*h));

	CU_ASSERT_FATAL(h != NULL);
	ssp_hist_init(h);
	CU_ASSERT_EQUAL(ssp_hist_percentile(h, 50), 0);
	CU_ASSERT_DOUBLE_EQUAL(ssp_hist_mean(h), 0, 0);
	ssp_hist_record(h, 0);
	CU_ASSERT_EQUAL(h->counts[0], 1);
	CU_ASSERT_EQUAL(ssp_hist_percentile(h, 50), 0);
	CU_ASSERT_EQUAL(ssp_hist_percentile(h, 100), 0);
	ssp_hist_record(h, SSP_HIST_VALUE_MAX);
	ssp_hist_record(h, UINT64_MAX);
	CU_ASSERT_EQUAL(h->counts[SSP_HIST_BUCKETS - 1], 2);
	CU_ASSERT_EQUAL(h->clamped, 1);
	CU_ASSERT_EQUAL(h->max, SSP_HIST_VALUE_MAX);
	CU_ASSERT_EQUAL(h->min, 0);
	CU_ASSERT(within(ssp_hist_percentile(h, 99), SSP_HIST_VALUE_MAX));
	CU_ASSERT_EQUAL(ssp_hist_percentile(h, 100), SSP_HIST_VALUE_MAX);
	CU_ASSERT(within(ssp_hist_percentile(h, 50), SSP_HIST_VALUE_MAX));
	CU_ASSERT_EQUAL(ssp_hist_percentile(h, 33), 0);
	free(h);
}

/* Reading back: buckets out of range, and min/max/clamped that disagree
 * with the buckets, are refused; a faithful copy is accepted and equal. */
static void test_restore(void)
{
	ssp_hist_t *h = malloc(sizeof(*h)), *r = malloc(sizeof(*r));
	size_t i;

	CU_ASSERT_FATAL(h && r);
	ssp_hist_init(h);
	ssp_hist_record(h, 7);
	ssp_hist_record(h, 1000);
	ssp_hist_record(h, 123456);
	ssp_hist_init(r);
	for (i = 0; i < SSP_HIST_BUCKETS; i++)
		if (h->counts[i])
			CU_ASSERT_EQUAL(ssp_hist_add(r, i, h->counts[i]), 0);
	CU_ASSERT_EQUAL(ssp_hist_restore(r, 7, 123456, h->sum, 0), 0);
	CU_ASSERT(memcmp(h, r, sizeof(*h)) == 0);
	CU_ASSERT_EQUAL(ssp_hist_restore(r, 7, 123457, 0, 0), 0);   /* same bucket: accepted */
	CU_ASSERT_EQUAL(ssp_hist_restore(r, 300, 123456, 0, 0), -1); /* min not in the first */
	CU_ASSERT_EQUAL(ssp_hist_restore(r, 7, 5000000, 0, 0), -1);  /* max not in the last */
	CU_ASSERT_EQUAL(ssp_hist_restore(r, 7, 123456, 0, 1), -1);   /* clamped below the max */
	CU_ASSERT_EQUAL(ssp_hist_restore(r, 7, 123456, 0, 4), -1);   /* more clamped than values */
	CU_ASSERT_EQUAL(ssp_hist_add(r, SSP_HIST_BUCKETS, 1), -1);
	CU_ASSERT_EQUAL(ssp_hist_add(r, 0, UINT64_MAX), -1);
	ssp_hist_init(r);
	CU_ASSERT_EQUAL(ssp_hist_restore(r, 0, 0, 0, 0), 0);
	CU_ASSERT_EQUAL(ssp_hist_restore(r, 1, 0, 0, 0), -1);        /* values in no bucket */
	free(h);
	free(r);
}

void register_hist_tests(void)
{
	static const tests_entry_t tests[] = {
		{"error bound over the range", test_error_bound},
		{"percentiles of known distributions", test_percentiles},
		{"merge equals the histogram of the union", test_merge},
		{"edge values: 0, maximum, above", test_edges},
		{"saved histograms read back and checked", test_restore},
		{NULL, NULL},
	};

	tests_add_suite("hist", tests);
}
