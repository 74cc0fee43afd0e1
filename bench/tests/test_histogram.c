// SPDX-License-Identifier: MIT
/*
 * The latency histogram of the fault mode: quantiles of known distributions
 * within 1% of the exact ones, buckets that cover every value without gaps
 * at 1/128 relative width, per-thread histograms that merge exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/histogram.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank, as hist_quantile() defines it. */
static uint64_t exact_quantile(const uint64_t *sorted, size_t n, double q)
{
	size_t rank = (size_t)ceil(q * n);

	return sorted[(rank ? rank : 1) - 1];
}

static void check_distribution(const char *name, uint64_t *v, size_t n)
{
	static const double qs[] = { 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 0.9999 };
	struct hist *h = malloc(sizeof(*h));

	hist_init(h);
	for (size_t i = 0; i < n; i++)
		hist_record(h, v[i]);
	qsort(v, n, sizeof(*v), cmp_u64);
	assert_int_equal(h->count, n);
	assert_int_equal(h->min, v[0]);
	assert_int_equal(h->max, v[n - 1]);
	for (size_t i = 0; i < ARRAY_SIZE(qs); i++) {
		double want = exact_quantile(v, n, qs[i]), got = hist_quantile(h, qs[i]);

		if (fabs(got - want) > 0.01 * want)
			fail_msg("%s: q%g = %.1f, exact %.1f (%.3f%% off)", name, qs[i], got, want,
				 100 * (got - want) / want);
	}
	assert_true(hist_quantile(h, 1) == v[n - 1]);
	free(h);
}

static void test_hist_distributions(void **state)
{
	size_t n = 200000;
	uint64_t *v = malloc(n * sizeof(*v));
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	(void)state;
	gsl_rng_set(rng, 42);
	for (size_t i = 0; i < n; i++)
		v[i] = 1 + gsl_rng_uniform_int(rng, 1000000);
	check_distribution("uniform", v, n);
	for (size_t i = 0; i < n; i++)
		v[i] = 5000 + gsl_ran_exponential(rng, 45000);
	check_distribution("exponential", v, n);
	for (size_t i = 0; i < n; i++)
		v[i] = gsl_ran_lognormal(rng, log(40000), 1.2);
	check_distribution("lognormal", v, n);
	for (size_t i = 0; i < n; i++)	/* two modes: same-CPU and cross-CPU round trips */
		v[i] = gsl_rng_uniform(rng) < 0.7 ? gsl_ran_gaussian(rng, 300) + 6500
						  : gsl_ran_gaussian(rng, 3000) + 48000;
	check_distribution("bimodal", v, n);
	for (size_t i = 0; i < n; i++)
		v[i] = i % 300;		/* small values: exact */
	check_distribution("small", v, n);
	gsl_rng_free(rng);
	free(v);
}

/* Every value is in its bucket, and a bucket is at most 1/128 of its values wide. */
static void test_hist_buckets(void **state)
{
	uint64_t lo, hi, v = 1;

	(void)state;
	for (unsigned i = 0; i < 2000000; i++, v = v * 1.00001 + 1) {
		if (v >> HIST_MAX_BITS)
			break;
		hist_bounds(hist_index(v), &lo, &hi);
		assert_true(lo <= v && v <= hi);
		if (hist_index(v) < HIST_BUCKETS - 1)	/* the last one takes all above */
			assert_true((hi - lo) * 128 <= lo);
	}
	for (unsigned i = 1; i < HIST_BUCKETS - 1; i++) {
		uint64_t plo, phi;

		hist_bounds(i - 1, &plo, &phi);
		hist_bounds(i, &lo, &hi);
		assert_int_equal(lo, phi + 1);	/* contiguous, no gaps */
		assert_int_equal(hist_index(lo), i);
		assert_int_equal(hist_index(hi), i);
	}
	assert_int_equal(hist_index(UINT64_MAX), HIST_BUCKETS - 1);
}

/* Per-thread histograms merged are the histogram of all the values. */
static void test_hist_merge(void **state)
{
	struct hist *all = malloc(sizeof(*all)), *part = malloc(4 * sizeof(*part));
	json_t *j;
	size_t sum = 0;

	(void)state;
	hist_init(all);
	for (int p = 0; p < 4; p++)
		hist_init(&part[p]);
	for (uint64_t i = 0; i < 100000; i++) {
		uint64_t v = (i * 7919) % 1000003 + 17;

		hist_record(all, v);
		hist_record(&part[i % 4], v);
	}
	for (int p = 1; p < 4; p++)
		hist_merge(&part[0], &part[p]);
	assert_memory_equal(all, &part[0], sizeof(*all));
	j = hist_to_json(all);
	for (size_t i = 0; i < json_array_size(json_object_get(j, "buckets")); i++)
		sum += json_integer_value(json_array_get(json_array_get(json_object_get(j, "buckets"), i), 2));
	assert_int_equal(sum, 100000);
	json_decref(j);
	hist_init(all);
	assert_true(hist_quantile(all, 0.5) == 0);
	free(all);
	free(part);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hist_distributions),
		cmocka_unit_test(test_hist_buckets),
		cmocka_unit_test(test_hist_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
