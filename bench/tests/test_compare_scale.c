// SPDX-License-Identifier: MIT
/*
 * The O(n log n) forms of compare's and plot's statistics give what the
 * direct forms gave: a bootstrap resample's median drawn from order
 * statistics has the exact distribution of drawing n values and sorting
 * them; the weighted fit, grouped by sorting, equals the per-point one; the
 * median's interval ranks found by bisection equal the linear scan's.  How
 * fast they are is scripts/bench-compare's business, not a test's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "compare/compare.h"
#include "core/stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* P(median of a resample = each possible value), by enumerating all n^n draws. */
static void exact_median_dist(size_t n, double *vals, double *prob, size_t *nv)
{
	size_t total = 1, idx[8];
	double buf[8];

	for (size_t i = 0; i < n; i++)
		total *= n;
	*nv = 0;
	for (size_t k = 0; k < total; k++) {
		size_t r = k, j;
		double m;

		for (size_t i = 0; i < n; i++, r /= n)
			idx[i] = r % n;
		for (size_t i = 0; i < n; i++)
			buf[i] = 1 + idx[i];		/* the data are 1..n */
		gsl_sort(buf, 1, n);
		m = gsl_stats_median_from_sorted_data(buf, 1, n);
		for (j = 0; j < *nv && vals[j] != m; j++)
			;
		if (j == *nv) {
			vals[j] = m;
			prob[j] = 0;
			(*nv)++;
		}
		prob[j] += 1.0 / total;
	}
}

static void check_resample_median(size_t n)
{
	enum { DRAWS = 200000 };
	double sorted[8], vals[64], prob[64], seen[64] = { 0 };
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	size_t nv;

	assert_non_null(rng);
	gsl_rng_set(rng, 42);
	for (size_t i = 0; i < n; i++)
		sorted[i] = 1 + i;
	exact_median_dist(n, vals, prob, &nv);
	for (size_t k = 0; k < DRAWS; k++) {
		double m = cmp_resample_median(rng, sorted, n);
		size_t j;

		for (j = 0; j < nv && vals[j] != m; j++)
			;
		if (j == nv)
			fail_msg("n=%zu: median %g cannot come from a resample", n, m);
		seen[j]++;
	}
	/* 200000 draws: the standard error of a frequency is below 0.0012 */
	for (size_t j = 0; j < nv; j++)
		if (fabs(seen[j] / DRAWS - prob[j]) > 0.006)
			fail_msg("n=%zu: P(median = %g) is %.4f, drawn %.4f", n, vals[j], prob[j],
				 seen[j] / DRAWS);
	gsl_rng_free(rng);
}

static void test_resample_median_distribution(void **state)
{
	(void)state;
	for (size_t n = 1; n <= 6; n++)
		check_resample_median(n);
}

/* Each point weighted by 1/variance of its batch size, as the fit defines it. */
static void reference_weights(const double *x, const double *y, size_t n, double *w)
{
	double buf[64];

	for (size_t i = 0; i < n; i++) {
		size_t k = 0;

		for (size_t j = 0; j < n; j++)
			if (x[j] == x[i])
				buf[k++] = y[j];
		w[i] = 1 / gsl_stats_variance(buf, 1, k);
	}
}

static void test_fit_weighted_any_order(void **state)
{
	double x[30], y[30], w[30], c0, c1, cov00, cov01, cov11, sumsq;
	static const double batches[] = { 64, 1, 8 };
	struct cmp_fit_side s;

	(void)state;
	for (size_t i = 0; i < 30; i++) {	/* interleaved batch sizes, noise growing with x */
		x[i] = batches[i % 3];
		y[i] = 500 + 100 * x[i] + ((i * 7) % 5 - 2) * (1 + x[i] / 4);
	}
	assert_true(cmp_fit_line(x, y, 30, &s));
	assert_true(s.weighted);
	assert_int_equal(s.nr_batches, 3);
	reference_weights(x, y, 30, w);
	gsl_fit_wlinear(x, 1, w, 1, y, 1, 30, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
	assert_float_equal(s.alpha, c0, 1e-9);
	assert_float_equal(s.beta, c1, 1e-9);
}

/* The largest k whose ranks (k, n-1-k) cover the median with >= level. */
static bool linear_ranks(size_t n, double level, size_t *lo)
{
	size_t k;

	if (!n || 1 - 2 * gsl_cdf_binomial_P(0, 0.5, n) < level)
		return false;
	for (k = 0; k + 1 < n / 2; k++)
		if (1 - 2 * gsl_cdf_binomial_P(k + 1, 0.5, n) < level)
			break;
	*lo = k;
	return true;
}

static void test_median_ci_ranks_bisection(void **state)
{
	(void)state;
	for (size_t n = 0; n < 3000; n += n < 100 ? 1 : 37) {
		size_t lo = 0, hi = 0, ref = 0;
		bool ok = median_ci_ranks(n, 0.95, &lo, &hi), want = linear_ranks(n, 0.95, &ref);

		assert_int_equal(ok, want);
		if (!ok)
			continue;
		if (lo != ref)
			fail_msg("n=%zu: bisection gives rank %zu, the scan %zu", n, lo, ref);
		assert_int_equal(hi, n - 1 - lo);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resample_median_distribution),
		cmocka_unit_test(test_fit_weighted_any_order),
		cmocka_unit_test(test_median_ci_ranks_bisection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
