// SPDX-License-Identifier: MIT
/*
 * compare --paired: when BASE and NEW were measured interleaved in time (the
 * parts of one run split by `uffdbench split`, or boots that alternate),
 * repeat k of one side and repeat k of the other saw the same machine phase,
 * and their ratio cancels it.  The unit is the per-repeat ratio new/base; the
 * centre their median; the interval a percentile bootstrap of that median
 * over the pairs; the test Wilcoxon's signed-rank on the log ratios (exact
 * without ties up to 60 pairs, else normal with tie correction).
 */
#include "compare/compare.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The value repeat r of side g contributes, by repeat index; false if absent. */
static bool repeat_of(const struct cmp_group *g, unsigned r, double *v)
{
	for (size_t i = 0; i < g->nr_reps; i++) {
		const struct rr_cell *c = g->reps[i];

		if (c->repeat == r && rr_cell_ok(c) && c->nr_rounds) {
			*v = cmp_repeat_value(c->ns_per_page, c->nr_rounds);
			return true;
		}
	}
	return false;
}

static double median_of(double *v, size_t n)
{
	gsl_sort(v, 1, n);
	return gsl_stats_median_from_sorted_data(v, 1, n);
}

static void boot_median(const double *v, size_t n, unsigned resamples, unsigned long seed,
			double *lo, double *hi)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double *m = xrealloc(NULL, resamples, sizeof(double));
	double *sorted = xrealloc(NULL, n, sizeof(double));

	memcpy(sorted, v, n * sizeof(double));
	gsl_sort(sorted, 1, n);
	gsl_rng_set(rng, seed);
	for (unsigned i = 0; i < resamples; i++)
		m[i] = cmp_resample_median(rng, sorted, n);
	gsl_sort(m, 1, resamples);
	*lo = gsl_stats_quantile_from_sorted_data(m, 1, resamples, 0.025);
	*hi = gsl_stats_quantile_from_sorted_data(m, 1, resamples, 0.975);
	free(sorted);
	free(m);
	gsl_rng_free(rng);
}

/* Exact two-sided p of W+ = w for n untied ranks: count sign patterns by DP. */
static double signed_rank_exact(size_t n, double w)
{
	size_t max = n * (n + 1) / 2;
	double *ways = xcalloc(max + 1, sizeof(double)), below = 0, total = ldexp(1, n);
	double lo = fmin(w, max - w);

	ways[0] = 1;
	for (size_t r = 1; r <= n; r++)
		for (size_t s = max; s >= r; s--)
			ways[s] += ways[s - r];
	for (size_t s = 0; s <= max && s <= lo; s++)
		below += ways[s];
	free(ways);
	return fmin(1, 2 * below / total);
}

/* Midranks of |d|; returns W+ and sets *ties when any |d| repeat. */
static double signed_rank_w(const double *d, size_t n, bool *ties, double *tie_term)
{
	double *a = xrealloc(NULL, n, sizeof(double)), w = 0;
	size_t *idx = xrealloc(NULL, n, sizeof(size_t));

	for (size_t i = 0; i < n; i++)
		a[i] = fabs(d[i]);
	gsl_sort_index(idx, a, 1, n);
	*ties = false;
	*tie_term = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j + 1 < n && a[idx[j + 1]] == a[idx[i]])
			j++;
		for (size_t k = i; k <= j; k++)
			if (d[idx[k]] > 0)
				w += (i + j) / 2.0 + 1;
		if (j > i) {
			*ties = true;
			*tie_term += pow(j - i + 1, 3) - (j - i + 1);
		}
		i = j + 1;
	}
	free(idx);
	free(a);
	return w;
}

static double signed_rank_p(const double *d, size_t n, bool *exact)
{
	double tie_term, w = signed_rank_w(d, n, exact, &tie_term);
	double mean = n * (n + 1) / 4.0, var = n * (n + 1) * (2 * n + 1) / 24.0 - tie_term / 48;
	double z = (fabs(w - mean) - 0.5) / sqrt(var);

	*exact = !*exact && n <= 60;
	if (*exact)
		return signed_rank_exact(n, w);
	return var > 0 ? fmin(1, 2 * gsl_cdf_ugaussian_Q(fmax(z, 0))) : 1;
}

/* The paired analysis of c; false (c untouched) with fewer than 2 pairs. */
bool cmp_paired(struct cmp_cell *c, const struct cmp_opts *o, unsigned long seed)
{
	const struct cmp_group *gb = c->base.g, *gn = c->new.g;
	double *lr = NULL, *bv = NULL, *nv = NULL, b, v, z;
	size_t n = 0;

	for (size_t i = 0; i < gb->nr_reps; i++) {
		unsigned r = gb->reps[i]->repeat;

		if (!repeat_of(gb, r, &b) || !repeat_of(gn, r, &v))
			continue;
		lr = xrealloc(lr, n + 1, sizeof(double));
		bv = xrealloc(bv, n + 1, sizeof(double));
		nv = xrealloc(nv, n + 1, sizeof(double));
		lr[n] = log(v / b);
		bv[n] = b;
		nv[n++] = v;
	}
	if (n >= 2) {
		c->base.n = c->new.n = n;
		c->base.median = median_of(bv, n);
		c->new.median = median_of(nv, n);
		c->p = signed_rank_p(lr, n, &c->p_exact);
		boot_median(lr, n, o->resamples, seed, &c->ci_lo, &c->ci_hi);
		c->ci_lo = exp(c->ci_lo);
		c->ci_hi = exp(c->ci_hi);
		c->ratio = exp(median_of(lr, n));
		z = gsl_cdf_ugaussian_Pinv(1 - o->alpha / 2) + gsl_cdf_ugaussian_Pinv(0.8);
		c->s = cmp_mad(lr, n);
		c->mde = z * c->s / sqrt(n);
		c->has_ci = c->has_p = true;
		c->has_mde = isfinite(c->mde);
		c->paired = true;
	}
	free(lr);
	free(bv);
	free(nv);
	return n >= 2;
}
