/*
 * hist.c - the log-linear latency histogram (hist.h).
 *
 * Bucket of v: below 2 * SUB, v itself.  Above, with m the position of v's
 * highest set bit and s = m - SUB_BITS, the top SUB_BITS + 1 bits of v
 * (SUB to 2 * SUB - 1) pick one of SUB buckets of width 2^s.  A bucket's
 * values start at SUB * 2^s or more, so half its width is at most 1/256 of
 * any of them: the error bound of hist.h.
 */
#include "hist.h"

#include <string.h>

void ssp_hist_init(ssp_hist_t *h)
{
	memset(h, 0, sizeof(*h));
}

size_t ssp_hist_index(uint64_t v)
{
	unsigned msb, shift;

	if (v > SSP_HIST_VALUE_MAX)
		v = SSP_HIST_VALUE_MAX;
	if (v < 2 * SSP_HIST_SUB)
		return (size_t)v;
	msb = 63u - (unsigned)__builtin_clzll(v);
	shift = msb - SSP_HIST_SUB_BITS;
	return 2 * SSP_HIST_SUB + (size_t)(shift - 1) * SSP_HIST_SUB +
	       (size_t)((v >> shift) - SSP_HIST_SUB);
}

uint64_t ssp_hist_low(size_t i)
{
	size_t j;
	unsigned shift;

	if (i >= SSP_HIST_BUCKETS)
		i = SSP_HIST_BUCKETS - 1;
	if (i < 2 * SSP_HIST_SUB)
		return i;
	j = i - 2 * SSP_HIST_SUB;
	shift = (unsigned)(j / SSP_HIST_SUB) + 1;
	return (uint64_t)(SSP_HIST_SUB + j % SSP_HIST_SUB) << shift;
}

uint64_t ssp_hist_high(size_t i)
{
	if (i >= SSP_HIST_BUCKETS)
		i = SSP_HIST_BUCKETS - 1;
	if (i + 1 == SSP_HIST_BUCKETS)
		return SSP_HIST_VALUE_MAX;
	return ssp_hist_low(i + 1) - 1;
}

uint64_t ssp_hist_value(size_t i)
{
	uint64_t lo = ssp_hist_low(i);

	return lo + (ssp_hist_high(i) - lo) / 2;
}

void ssp_hist_record(ssp_hist_t *h, uint64_t v)
{
	if (v > SSP_HIST_VALUE_MAX) {
		v = SSP_HIST_VALUE_MAX;
		h->clamped++;
	}
	h->counts[ssp_hist_index(v)]++;
	if (h->count == 0 || v < h->min)
		h->min = v;
	if (h->count == 0 || v > h->max)
		h->max = v;
	h->count++;
	h->sum = h->sum + v < h->sum ? UINT64_MAX : h->sum + v;
}

uint64_t ssp_hist_percentile(const ssp_hist_t *h, double p)
{
	uint64_t rank, seen = 0, v;
	double r;
	size_t i;

	if (h->count == 0)
		return 0;
	if (!(p > 0.0))
		return h->min;
	if (p >= 100.0)
		return h->max;
	r = p / 100.0 * (double)h->count;
	rank = (uint64_t)r;
	if ((double)rank < r)
		rank++;
	if (rank == 0)
		rank = 1;
	for (i = 0; i < SSP_HIST_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen >= rank)
			break;
	}
	if (i == SSP_HIST_BUCKETS)
		return h->max;
	v = ssp_hist_value(i);
	if (v < h->min)
		v = h->min;
	if (v > h->max)
		v = h->max;
	return v;
}

double ssp_hist_mean(const ssp_hist_t *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}

void ssp_hist_merge(ssp_hist_t *dst, const ssp_hist_t *src)
{
	size_t i;

	if (src->count == 0)
		return;
	for (i = 0; i < SSP_HIST_BUCKETS; i++)
		dst->counts[i] += src->counts[i];
	if (dst->count == 0 || src->min < dst->min)
		dst->min = src->min;
	if (dst->count == 0 || src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	dst->clamped += src->clamped;
	dst->sum = dst->sum + src->sum < dst->sum ? UINT64_MAX : dst->sum + src->sum;
}

int ssp_hist_add(ssp_hist_t *h, size_t index, uint64_t n)
{
	if (index >= SSP_HIST_BUCKETS || h->counts[index] + n < n || h->count + n < n)
		return -1;
	h->counts[index] += n;
	h->count += n;
	return 0;
}

int ssp_hist_restore(ssp_hist_t *h, uint64_t min, uint64_t max, uint64_t sum, uint64_t clamped)
{
	size_t first = 0, last = SSP_HIST_BUCKETS;

	if (h->count == 0) {
		if (min || max || sum || clamped)
			return -1;
		return 0;
	}
	while (h->counts[first] == 0)
		first++;
	while (h->counts[last - 1] == 0)
		last--;
	if (min > max || max > SSP_HIST_VALUE_MAX || ssp_hist_index(min) != first ||
	    ssp_hist_index(max) != last - 1 || clamped > h->count ||
	    (clamped && max != SSP_HIST_VALUE_MAX))
		return -1;
	h->min = min;
	h->max = max;
	h->sum = sum;
	h->clamped = clamped;
	return 0;
}
