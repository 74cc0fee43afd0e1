/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_HISTOGRAM_H
#define UFFDBENCH_HISTOGRAM_H

/*
 * A log-linear (HDR-style) histogram of nanoseconds: values below 256 have
 * a bucket each; above, every power of two is cut into 128 equal buckets,
 * so a bucket is at most 1/128 (0.78%) of its values wide and its midpoint
 * within 0.4% of any value in it.  Values up to 2^40 ns (18 minutes) are
 * kept apart; larger ones share the last bucket (max stays exact).
 *
 * Fixed size, no allocation: one per thread, recorded without locks, merged
 * after the threads have stopped.
 */
#include <jansson.h>
#include <stdint.h>

#define HIST_SUB_BITS	8
#define HIST_SUB	(1u << HIST_SUB_BITS)		/* 256 */
#define HIST_HALF	(HIST_SUB / 2)			/* 128 buckets per power of two */
#define HIST_MAX_BITS	40
#define HIST_BUCKETS	(HIST_SUB + (HIST_MAX_BITS - HIST_SUB_BITS) * HIST_HALF)

struct hist {
	uint64_t count, sum, min, max;
	uint64_t b[HIST_BUCKETS];
};

static inline unsigned hist_index(uint64_t v)
{
	unsigned e;

	if (v < HIST_SUB)
		return v;
	if (v >> HIST_MAX_BITS)
		return HIST_BUCKETS - 1;
	e = 63 - __builtin_clzll(v);
	return HIST_SUB + (e - HIST_SUB_BITS) * HIST_HALF +
	       (unsigned)(v >> (e - HIST_SUB_BITS + 1)) - HIST_HALF;
}

static inline void hist_record(struct hist *h, uint64_t v)
{
	h->b[hist_index(v)]++;
	h->count++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

void hist_init(struct hist *h);
/* dst += src */
void hist_merge(struct hist *dst, const struct hist *src);
/* The values bucket i holds: [*lo, *hi]. */
void hist_bounds(unsigned i, uint64_t *lo, uint64_t *hi);
/*
 * The q-quantile (0 <= q <= 1) by nearest rank: the midpoint of the bucket
 * holding the ceil(q * count)-th smallest value, clamped to [min, max];
 * q = 1 is the exact max.  0 for an empty histogram.
 */
double hist_quantile(const struct hist *h, double q);
double hist_mean(const struct hist *h);
/*
 * {"unit": "ns", "sub_buckets": 128, "count", "min", "max", "mean",
 *  "buckets": [[lo, hi, count], ...]} with the non-empty buckets only.
 */
json_t *hist_to_json(const struct hist *h);
/* {"count", "min", "mean", "p50", "p90", "p99", "p99_9", "max"}, in ns. */
json_t *hist_summary_json(const struct hist *h);

#endif
