// SPDX-License-Identifier: MIT
/* The log-linear latency histogram: see histogram.h. */
#include "core/histogram.h"

#include <math.h>
#include <string.h>

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	if (!src->count)
		return;
	for (unsigned i = 0; i < HIST_BUCKETS; i++)
		dst->b[i] += src->b[i];
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

void hist_bounds(unsigned i, uint64_t *lo, uint64_t *hi)
{
	unsigned j, e, shift;

	if (i < HIST_SUB) {
		*lo = *hi = i;
		return;
	}
	j = i - HIST_SUB;
	e = HIST_SUB_BITS + j / HIST_HALF;
	shift = e - HIST_SUB_BITS + 1;
	*lo = (uint64_t)(HIST_HALF + j % HIST_HALF) << shift;
	*hi = *lo + (1ull << shift) - 1;
	if (i == HIST_BUCKETS - 1)
		*hi = UINT64_MAX;
}

static double clamp(const struct hist *h, double v)
{
	if (v < (double)h->min)
		return h->min;
	if (v > (double)h->max)
		return h->max;
	return v;
}

double hist_quantile(const struct hist *h, double q)
{
	uint64_t rank, cum = 0, lo, hi;

	if (!h->count)
		return 0;
	if (q >= 1)
		return h->max;
	rank = (uint64_t)ceil(q * h->count);
	if (rank < 1)
		rank = 1;
	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		cum += h->b[i];
		if (cum < rank)
			continue;
		hist_bounds(i, &lo, &hi);
		return clamp(h, lo + (double)(hi - lo) / 2);
	}
	return h->max;
}

double hist_mean(const struct hist *h)
{
	return h->count ? (double)h->sum / h->count : 0;
}

json_t *hist_to_json(const struct hist *h)
{
	json_t *b = json_array();
	uint64_t lo, hi;

	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		if (!h->b[i])
			continue;
		hist_bounds(i, &lo, &hi);
		if (hi > h->max)
			hi = h->max;
		json_array_append_new(b, json_pack("[I, I, I]", (json_int_t)lo, (json_int_t)hi,
						   (json_int_t)h->b[i]));
	}
	return json_pack("{s:s, s:i, s:I, s:I, s:I, s:f, s:o}", "unit", "ns",
			 "sub_buckets", HIST_HALF, "count", (json_int_t)h->count,
			 "min", (json_int_t)(h->count ? h->min : 0), "max", (json_int_t)h->max,
			 "mean", hist_mean(h), "buckets", b);
}

json_t *hist_summary_json(const struct hist *h)
{
	return json_pack("{s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:I}", "count", (json_int_t)h->count,
			 "min", (json_int_t)(h->count ? h->min : 0), "mean", hist_mean(h),
			 "p50", hist_quantile(h, 0.5), "p90", hist_quantile(h, 0.9),
			 "p99", hist_quantile(h, 0.99), "p99_9", hist_quantile(h, 0.999),
			 "max", (json_int_t)h->max);
}
