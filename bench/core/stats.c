// SPDX-License-Identifier: MIT
#include "core/stats.h"
#include "core/alloc.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double quantile_sorted(const double *sorted, size_t n, double q)
{
	return gsl_stats_quantile_from_sorted_data(sorted, 1, n, q);
}

/*
 * The median's interval from order statistics: 0-based ranks (k, n-1-k)
 * cover the median with probability 1 - 2 P(B <= k), B ~ Bin(n, 1/2), for any
 * continuous distribution.  Take the largest k that still covers >= level;
 * at 95% that needs n >= 6.
 */
static bool covers(size_t k, size_t n, double level)
{
	return 1 - 2 * gsl_cdf_binomial_P(k, 0.5, n) >= level;
}

/* The coverage falls as k grows: bisect, O(log n), not a CDF per rank. */
bool median_ci_ranks(size_t n, double level, size_t *lo, size_t *hi)
{
	size_t k = 0, top = n / 2 ? n / 2 - 1 : 0;

	if (!n || !covers(0, n, level))
		return false;
	while (k < top) {	/* covers(k); is there a larger one? */
		size_t mid = k + (top - k + 1) / 2;

		if (covers(mid, n, level))
			k = mid;
		else
			top = mid - 1;
	}
	*lo = k;
	*hi = n - 1 - k;
	return true;
}

void summarize(const double *v, size_t n, struct summary *s)
{
	double *x;
	size_t lo, hi;

	memset(s, 0, sizeof(*s));
	s->n = n;
	if (!n) {
		s->median = s->mean = s->sd = s->min = s->max = s->p25 = s->p75 = NAN;
		return;
	}
	x = xcalloc(n, sizeof(*x));
	memcpy(x, v, n * sizeof(*x));
	gsl_sort(x, 1, n);
	s->median = gsl_stats_median_from_sorted_data(x, 1, n);
	s->mean = gsl_stats_mean(x, 1, n);
	s->sd = n > 1 ? gsl_stats_sd_m(x, 1, n, s->mean) : 0;
	s->min = x[0];
	s->max = x[n - 1];
	s->p25 = quantile_sorted(x, n, 0.25);
	s->p75 = quantile_sorted(x, n, 0.75);
	s->has_ci = median_ci_ranks(n, 0.95, &lo, &hi);
	if (s->has_ci) {
		s->ci_lo = x[lo];
		s->ci_hi = x[hi];
	}
	free(x);
}

json_t *summary_to_json(const struct summary *s)
{
	json_t *o = json_pack("{s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f}",
			      "n", (json_int_t)s->n, "median", s->median, "mean", s->mean,
			      "sd", s->sd, "min", s->min, "max", s->max,
			      "p25", s->p25, "p75", s->p75);

	if (!o)
		return NULL;
	json_object_set_new(o, "ci95", s->has_ci ? json_pack("[f, f]", s->ci_lo, s->ci_hi) :
						   json_null());
	return o;
}
