/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_STATS_H
#define UFFDBENCH_STATS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Distribution-free summary of one sample (rounds of one cell). */
struct summary {
	size_t n;
	double median, mean, sd, min, max, p25, p75;
	/* 95% interval of the median from order statistics; has_ci is false
	 * when n is too small for one (n < 6): none is invented. */
	bool has_ci;
	double ci_lo, ci_hi;
};

/* Sorts a copy; v is left alone.  n may be 0 (all fields NaN). */
void summarize(const double *v, size_t n, struct summary *s);
/* Order-statistic ranks (0-based) bracketing the median at >= level. */
bool median_ci_ranks(size_t n, double level, size_t *lo, size_t *hi);
double quantile_sorted(const double *sorted, size_t n, double q);
json_t *summary_to_json(const struct summary *s);

#endif
