/*
 * hist.h - a log-linear latency histogram in the manner of HdrHistogram:
 * fixed memory, exact merges, a stated relative error.
 *
 * Values (microseconds in smtpspec bench) from 0 to SSP_HIST_VALUE_MAX are
 * counted in buckets: below 2 * SSP_HIST_SUB buckets are one unit wide, above
 * that every power of two is split into SSP_HIST_SUB equal buckets.  A value
 * read back (a percentile) is the middle of its bucket, within 1/256 of every
 * value the bucket holds (|reported - v| <= v / 256); min and max are exact.
 * Values above SSP_HIST_VALUE_MAX are recorded as SSP_HIST_VALUE_MAX and
 * counted in clamped.  Merging adds bucket counts, so the merge of two
 * histograms is exactly the histogram of all their values.  No allocation.
 */
#ifndef SSP_HIST_H
#define SSP_HIST_H

#include <stddef.h>
#include <stdint.h>

/* Sub-buckets per power of two (2^SSP_HIST_SUB_BITS). */
#define SSP_HIST_SUB_BITS 7
#define SSP_HIST_SUB (1u << SSP_HIST_SUB_BITS)
/* Largest value counted as itself: 2^32 - 1 (about 71 minutes in µs). */
#define SSP_HIST_VALUE_MAX UINT64_C(0xffffffff)
/* Buckets: 2 * SUB exact ones, then SUB per power of two up to 2^32. */
#define SSP_HIST_BUCKETS (2 * SSP_HIST_SUB + (32 - SSP_HIST_SUB_BITS - 1) * SSP_HIST_SUB)

typedef struct ssp_hist_s {
	uint64_t counts[SSP_HIST_BUCKETS];
	uint64_t count;    /* values recorded */
	uint64_t clamped;  /* of which were above SSP_HIST_VALUE_MAX */
	uint64_t min, max; /* exact; min is 0 and max 0 while count is 0 */
	uint64_t sum;      /* of the (clamped) values, saturating */
} ssp_hist_t;

/* ssp_hist_init - an empty histogram. */
void ssp_hist_init(ssp_hist_t *h);

/* ssp_hist_record - count value v once. */
void ssp_hist_record(ssp_hist_t *h, uint64_t v);

/* ssp_hist_index - the bucket of v (v above the maximum: the last bucket). */
size_t ssp_hist_index(uint64_t v);

/* ssp_hist_low / ssp_hist_high - the smallest and largest value of bucket i. */
uint64_t ssp_hist_low(size_t i);
uint64_t ssp_hist_high(size_t i);

/* ssp_hist_value - the value bucket i stands for: the middle of its range. */
uint64_t ssp_hist_value(size_t i);

/*
 * ssp_hist_percentile - the value at percentile p (0 to 100): the bucket
 * holding the ceil(p% * count)-th smallest value, clamped to [min, max]
 * (p 0 gives min, 100 gives max).  0 for an empty histogram.
 */
uint64_t ssp_hist_percentile(const ssp_hist_t *h, double p);

/* ssp_hist_mean - the mean of the recorded values; 0 when empty. */
double ssp_hist_mean(const ssp_hist_t *h);

/* ssp_hist_merge - add every count of src to dst (exact). */
void ssp_hist_merge(ssp_hist_t *dst, const ssp_hist_t *src);

/*
 * ssp_hist_add - add n values to bucket index, for a histogram read back
 * from its buckets: 0, or -1 if index is out of range or a total overflows.
 */
int ssp_hist_add(ssp_hist_t *h, size_t index, uint64_t n);

/*
 * ssp_hist_restore - finish a histogram rebuilt with ssp_hist_add: set the
 * saved min, max, sum and clamped.  0 if they agree with the buckets (min in
 * the first used bucket, max in the last, clamped <= count), -1 if not.
 */
int ssp_hist_restore(ssp_hist_t *h, uint64_t min, uint64_t max, uint64_t sum, uint64_t clamped);

#endif
