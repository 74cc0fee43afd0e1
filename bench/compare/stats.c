// SPDX-License-Identifier: MIT
/*
 * The statistics of compare, on plain arrays: medians, the percentile
 * bootstrap of a ratio of medians, the Mann-Whitney U test and the
 * Benjamini-Hochberg adjustment, the minimum detectable effect, and the
 * t-interval of a geometric mean.
 */
#include "compare/compare.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Mann-Whitney's asymptotic efficiency against the t-test is 3/pi. */
#define MW_EFFICIENCY 1.0233267079464885	/* sqrt(pi / 3) */
#define MW_EXACT_MAX 40				/* n1 + n2 for the exact test */

static double *dup_array(const double *v, size_t n)
{
	double *c = xrealloc(NULL, n ? n : 1, sizeof(double));

	memcpy(c, v, n * sizeof(double));
	return c;
}

double cmp_median(const double *v, size_t n)
{
	double *c, m;

	if (!n)
		return NAN;
	c = dup_array(v, n);
	gsl_sort(c, 1, n);
	m = gsl_stats_median_from_sorted_data(c, 1, n);
	free(c);
	return m;
}

double cmp_mad(const double *v, size_t n)
{
	double m = cmp_median(v, n), *d, mad;

	if (!n)
		return NAN;
	d = dup_array(v, n);
	for (size_t i = 0; i < n; i++)
		d[i] = fabs(d[i] - m);
	mad = cmp_median(d, n);
	free(d);
	return 1.4826 * mad;
}

/*
 * The index of the rank-th smallest (from 1) of nd indices drawn uniformly
 * with replacement from [lo, hi): how many of the draws fall in the lower
 * half is binomial; descend into the half that holds the rank.  Exactly the
 * distribution of drawing nd indices and sorting them, in O(log n) binomial
 * draws instead of nd uniform ones and a sort.
 */
static size_t draw_rank(gsl_rng *rng, size_t lo, size_t hi, unsigned nd, unsigned rank)
{
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		unsigned left = gsl_ran_binomial(rng, (double)(mid - lo) / (hi - lo), nd);

		if (rank <= left) {
			hi = mid;
			nd = left;
		} else {
			rank -= left;
			nd -= left;
			lo = mid;
		}
	}
	return lo;
}

/* As draw_rank, for ranks rank and rank + 1 of the same draws (*a, *b). */
static void draw_ranks(gsl_rng *rng, size_t n, unsigned rank, size_t *a, size_t *b)
{
	size_t lo = 0, hi = n;
	unsigned nd = n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		unsigned left = gsl_ran_binomial(rng, (double)(mid - lo) / (hi - lo), nd);

		if (rank + 1 <= left) {
			hi = mid;
			nd = left;
		} else if (rank > left) {
			rank -= left;
			nd -= left;
			lo = mid;
		} else {	/* the largest draw below mid, the smallest above */
			*a = draw_rank(rng, lo, mid, left, rank);
			*b = draw_rank(rng, mid, hi, nd - left, 1);
			return;
		}
	}
	*a = *b = lo;
}

double cmp_resample_median(gsl_rng *rng, const double *sorted, size_t n)
{
	size_t a, b;

	if (n % 2)
		return sorted[draw_rank(rng, 0, n, n, (n + 1) / 2)];
	draw_ranks(rng, n, n / 2, &a, &b);
	return (sorted[a] + sorted[b]) / 2;
}

void cmp_boot_ratio(const double *x, size_t nx, const double *y, size_t ny,
		    unsigned resamples, unsigned long seed, double level,
		    double *lo, double *hi)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double *sx = dup_array(x, nx), *sy = dup_array(y, ny);
	double *ratio = xrealloc(NULL, resamples, sizeof(double));

	if (!rng)
		abort();
	gsl_rng_set(rng, seed);
	gsl_sort(sx, 1, nx);
	gsl_sort(sy, 1, ny);
	for (unsigned i = 0; i < resamples; i++)
		ratio[i] = cmp_resample_median(rng, sy, ny) / cmp_resample_median(rng, sx, nx);
	gsl_sort(ratio, 1, resamples);
	*lo = gsl_stats_quantile_from_sorted_data(ratio, 1, resamples, (1 - level) / 2);
	*hi = gsl_stats_quantile_from_sorted_data(ratio, 1, resamples, (1 + level) / 2);
	free(ratio);
	free(sy);
	free(sx);
	gsl_rng_free(rng);
}

struct tagged {
	double v;
	int from_x;
};

static int tagged_cmp(const void *a, const void *b)
{
	double x = ((const struct tagged *)a)->v, y = ((const struct tagged *)b)->v;

	return x < y ? -1 : x > y;
}

/*
 * U of x (pairs with x above y, ties counting one half) from midranks;
 * *ties gets sum(t^3 - t) over groups of tied values.
 */
static double mw_u(const double *x, size_t nx, const double *y, size_t ny, double *ties)
{
	size_t n = nx + ny, i, j;
	struct tagged *t = xrealloc(NULL, n, sizeof(*t));
	double rx = 0;

	for (i = 0; i < n; i++) {
		t[i].from_x = i < nx;
		t[i].v = i < nx ? x[i] : y[i - nx];
	}
	qsort(t, n, sizeof(*t), tagged_cmp);
	*ties = 0;
	for (i = 0; i < n; i = j) {
		double len, rank;

		for (j = i + 1; j < n && t[j].v == t[i].v; j++)
			;
		len = j - i;
		rank = (i + 1 + j) / 2.0;	/* midrank of positions i+1..j */
		*ties += len * len * len - len;
		for (size_t k = i; k < j; k++)
			rx += t[k].from_x ? rank : 0;
	}
	free(t);
	return rx - nx * (nx + 1) / 2.0;
}

/*
 * P(U <= u) without ties: the counts of U are the coefficients of the
 * Gaussian binomial [nx+ny choose nx]_q = prod_i (1 - q^(ny+i)) / (1 - q^i).
 */
static double mw_exact_cdf(size_t nx, size_t ny, size_t u)
{
	size_t top = nx * ny + nx + 1;
	double *c = xrealloc(NULL, top, sizeof(double)), below = 0;

	memset(c, 0, top * sizeof(double));
	c[0] = 1;
	for (size_t i = 1; i <= nx; i++) {
		for (size_t k = top - 1; k >= ny + i; k--)
			c[k] -= c[k - ny - i];
		for (size_t k = i; k < top; k++)
			c[k] += c[k - i];
	}
	for (size_t k = 0; k <= u && k < top; k++)
		below += c[k];
	free(c);
	return below / gsl_sf_choose(nx + ny, nx);
}

double cmp_mann_whitney(const double *x, size_t nx, const double *y, size_t ny, bool *exact)
{
	double ties, u = mw_u(x, nx, y, ny, &ties), mu = nx * ny / 2.0;
	double n = nx + ny, var, z;

	*exact = !ties && nx + ny <= MW_EXACT_MAX;
	if (*exact) {
		double umin = u < nx * ny - u ? u : nx * ny - u;

		return fmin(1, 2 * mw_exact_cdf(nx, ny, (size_t)umin));
	}
	var = nx * ny / 12.0 * ((n + 1) - ties / (n * (n - 1)));
	if (!(var > 0))
		return 1;
	z = (fabs(u - mu) - 0.5) / sqrt(var);
	return fmin(1, 2 * gsl_cdf_ugaussian_Q(z > 0 ? z : 0));
}

static int bh_cmp(const void *a, const void *b, void *p)
{
	double x = ((const double *)p)[*(const size_t *)a];
	double y = ((const double *)p)[*(const size_t *)b];

	return x < y ? -1 : x > y;
}

/* q of the k-th smallest p is min over j >= k of p_(j) * n / j, capped at 1. */
void cmp_bh_adjust(const double *p, size_t n, double *q)
{
	size_t *idx = xrealloc(NULL, n, sizeof(size_t));
	double run = 1;

	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(size_t), bh_cmp, (void *)p);
	for (size_t k = n; k > 0; k--) {
		run = fmin(run, p[idx[k - 1]] * n / k);
		q[idx[k - 1]] = run;
	}
	free(idx);
}

double cmp_mw_min_p(size_t nx, size_t ny)
{
	if (!nx || !ny)
		return 1;
	return fmin(1, 2 * exp(-gsl_sf_lnchoose(nx + ny, nx)));
}

double cmp_pooled_noise(const double *x, size_t nx, const double *y, size_t ny)
{
	double dof = (double)nx + ny - 2, mx, my, s;

	if (dof < 1)
		return NAN;
	mx = cmp_mad(x, nx);
	my = cmp_mad(y, ny);
	s = sqrt(((nx - 1) * mx * mx + (ny - 1) * my * my) / dof);
	if (s > 0)
		return s;
	mx = nx > 1 ? gsl_stats_sd(x, 1, nx) : 0;
	my = ny > 1 ? gsl_stats_sd(y, 1, ny) : 0;
	return sqrt(((nx - 1) * mx * mx + (ny - 1) * my * my) / dof);
}

static double z_sum(double alpha)
{
	return gsl_cdf_ugaussian_Pinv(1 - alpha / 2) + gsl_cdf_ugaussian_Pinv(0.8);
}

double cmp_mde(double s, size_t nx, size_t ny, double centre, double alpha)
{
	return z_sum(alpha) * MW_EFFICIENCY * s * sqrt(1.0 / nx + 1.0 / ny) / centre;
}

unsigned cmp_needed_n(double s, double centre, double target, double alpha)
{
	double k = z_sum(alpha) * MW_EFFICIENCY * s / (target * centre);
	double n = ceil(2 * k * k);
	unsigned min = 2;

	/* Below this the exact test cannot reach alpha at all. */
	while (cmp_mw_min_p(min, min) >= alpha)
		min++;
	if (!(n < 1e6))
		return 1000000;
	return n > min ? (unsigned)n : min;
}

bool cmp_log_tinterval(const double *ratios, size_t k, double level,
		       double *gm, double *lo, double *hi)
{
	double *l, mean, half;

	if (!k) {
		*gm = *lo = *hi = NAN;
		return false;
	}
	l = xrealloc(NULL, k, sizeof(double));
	for (size_t i = 0; i < k; i++)
		l[i] = log(ratios[i]);
	mean = gsl_stats_mean(l, 1, k);
	*gm = exp(mean);
	if (k < 2) {
		free(l);
		*lo = *hi = NAN;
		return false;
	}
	half = gsl_cdf_tdist_Pinv((1 + level) / 2, k - 1) * gsl_stats_sd_m(l, 1, k, mean) / sqrt(k);
	*lo = exp(mean - half);
	*hi = exp(mean + half);
	free(l);
	return true;
}
