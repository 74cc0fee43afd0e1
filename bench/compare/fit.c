// SPDX-License-Identifier: MIT
/*
 * The per-page and per-ioctl costs: for one (memtype, ioctl, threads,
 * placement) measured at several batch sizes, fit ns/ioctl = alpha + beta *
 * batch in each directory, and give the change of each with a 95% interval.
 * beta carries a per-page cost (an indirect call in the page loop), alpha a
 * per-ioctl one (a capability check on entry).
 */
#include "compare/compare.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int idx_by_x(const void *a, const void *b, void *arg)
{
	const double *x = arg;
	double u = x[*(const size_t *)a], v = x[*(const size_t *)b];

	return u < v ? -1 : u > v;
}

/* The indices of x ordered by x: points of one batch size next to each other. */
static size_t *order_by_x(const double *x, size_t n)
{
	size_t *idx = xrealloc(NULL, n ? n : 1, sizeof(size_t));

	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(size_t), idx_by_x, (void *)x);
	return idx;
}

/*
 * Weights 1/variance of the points at each batch size, when each has >= 3
 * points that vary: ns/ioctl at batch 64 is far noisier than at batch 1, and
 * an unweighted fit would let it drown alpha.  false: fit unweighted.
 * One pass over the points in x order: O(n log n), not a pass per point.
 */
static bool batch_weights(const double *x, const double *y, const size_t *idx, size_t n,
			  double *w)
{
	double *buf = xrealloc(NULL, n ? n : 1, sizeof(double));
	bool ok = true;

	for (size_t i = 0, j; i < n && ok; i = j) {
		double var;

		for (j = i; j < n && x[idx[j]] == x[idx[i]]; j++)
			buf[j - i] = y[idx[j]];
		var = j - i >= 3 ? gsl_stats_variance(buf, 1, j - i) : 0;
		ok = var > 0;
		for (size_t k = i; k < j; k++)
			w[idx[k]] = ok ? 1 / var : 0;
	}
	free(buf);
	return ok;
}

static size_t distinct(const double *x, const size_t *idx, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += !i || x[idx[i]] != x[idx[i - 1]];
	return k;
}

bool cmp_fit_line(const double *x, const double *y, size_t n, struct cmp_fit_side *s)
{
	double c0, c1, cov00, cov01, cov11, sumsq, *w;
	size_t *idx;

	memset(s, 0, sizeof(*s));
	s->n = n;
	idx = order_by_x(x, n);
	s->nr_batches = distinct(x, idx, n);
	if (s->nr_batches < 2 || n < 3) {
		free(idx);
		return false;
	}
	s->dof = n - 2;
	w = xrealloc(NULL, n, sizeof(double));
	s->weighted = batch_weights(x, y, idx, n, w);
	free(idx);
	if (s->weighted) {
		double scale;

		gsl_fit_wlinear(x, 1, w, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
		/* The weights' variances are estimates: never trust them below
		 * the scatter actually seen around the line. */
		scale = fmax(1, sumsq / s->dof);
		cov00 *= scale;
		cov11 *= scale;
	} else {
		gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
	}
	free(w);
	s->alpha = c0;
	s->beta = c1;
	s->se_alpha = sqrt(cov00);
	s->se_beta = sqrt(cov11);
	s->ok = isfinite(c0) && isfinite(c1) && isfinite(s->se_alpha) && isfinite(s->se_beta);
	return s->ok;
}

/* Difference of two fitted coefficients: Welch-Satterthwaite degrees of freedom. */
static void delta(double vb, double sb, double db, double vn, double sn, double dn,
		  double *d, double *lo, double *hi)
{
	double var = sb * sb + sn * sn, dof, t;

	*d = vn - vb;
	if (!(var > 0)) {
		*lo = *hi = *d;
		return;
	}
	dof = var * var / (pow(sb, 4) / db + pow(sn, 4) / dn);
	t = gsl_cdf_tdist_Pinv(0.975, dof);
	*lo = *d - t * sqrt(var);
	*hi = *d + t * sqrt(var);
}

static bool same_group(const struct cmp_key *a, const struct cmp_key *b)
{
	return !strcmp(a->memtype, b->memtype) && !strcmp(a->mapping, b->mapping) &&
	       !strcmp(a->ioctl, b->ioctl) && a->threads == b->threads &&
	       !strcmp(a->placement, b->placement) && a->inject_ns == b->inject_ns &&
	       !strcmp(a->knob ? a->knob : "", b->knob ? b->knob : "");
}

/* Fit one side over the points of those of the nr cells that have data. */
static void fit_side(struct cmp_cell *cells, size_t nr, bool new, bool repeats,
		     struct cmp_fit_side *s)
{
	double *x = NULL, *y = NULL;
	size_t n = 0;

	for (size_t i = 0; i < nr; i++) {
		const struct cmp_side *side = new ? &cells[i].new : &cells[i].base;
		double *v;
		size_t k;

		if (cells[i].verdict == CMP_NOT_COMPARED)
			continue;
		k = cmp_units(side->g, repeats, true, &v);
		x = xrealloc(x, n + k, sizeof(double));
		y = xrealloc(y, n + k, sizeof(double));
		for (size_t j = 0; j < k; j++) {
			x[n + j] = cells[i].key.batch;
			y[n + j] = v[j];
		}
		n += k;
		free(v);
	}
	cmp_fit_line(x, y, n, s);
	free(x);
	free(y);
}

/* The interval excludes 0 and the change reaches the threshold (absolute or relative). */
static bool significant(double d, double lo, double hi, double ref, const struct cmp_opts *o)
{
	double thr = o->abs_threshold > 0 ? o->abs_threshold : o->threshold * fabs(ref);

	return (lo > 0 || hi < 0) && fabs(d) >= thr;
}

static void fit_group(struct cmp_result *r, struct cmp_cell *cells, size_t nr,
		      const struct cmp_opts *o)
{
	size_t used = 0, nr_repeats = 0;
	struct cmp_fit *f;

	for (size_t i = 0; i < nr; i++) {
		used += cells[i].verdict != CMP_NOT_COMPARED;
		nr_repeats += cells[i].verdict != CMP_NOT_COMPARED && cells[i].repeats;
	}
	if (!used)
		return;		/* listed as not compared already */
	r->fits = xrealloc(r->fits, r->nr_fits + 1, sizeof(*f));
	f = &r->fits[r->nr_fits++];
	memset(f, 0, sizeof(*f));
	f->key = cells[0].key;
	f->control = cells[0].control;
	f->repeats = used && nr_repeats == used;
	fit_side(cells, nr, false, f->repeats, &f->base);
	fit_side(cells, nr, true, f->repeats, &f->new);
	if (!f->base.ok || !f->new.ok) {
		snprintf(f->note, sizeof(f->note), "no fit: %zu of %zu batch sizes measured on "
			 "both sides, %zu+%zu points", used, nr, f->base.n, f->new.n);
		return;
	}
	f->has_delta = true;
	delta(f->base.alpha, f->base.se_alpha, f->base.dof, f->new.alpha, f->new.se_alpha,
	      f->new.dof, &f->da, &f->da_lo, &f->da_hi);
	delta(f->base.beta, f->base.se_beta, f->base.dof, f->new.beta, f->new.se_beta,
	      f->new.dof, &f->db, &f->db_lo, &f->db_hi);
	f->moved = significant(f->db, f->db_lo, f->db_hi, f->base.beta, o) ||
		   significant(f->da, f->da_lo, f->da_hi, f->base.alpha, o);
	if (f->control && f->moved)
		cmp_warn(r, "the change also moves the common path: %s %s threads %u "
			 "Δβ %+.2f %s/page [%+.2f, %+.2f], Δα %+.1f %s/ioctl [%+.1f, %+.1f] "
			 "(a series can touch shared code; or the kernels differ in more)",
			 f->key.memtype, f->key.ioctl, f->key.threads, f->db, cmp_unit(o),
			 f->db_lo, f->db_hi, f->da, cmp_unit(o), f->da_lo, f->da_hi);
}

void cmp_fits(struct cmp_result *r, const struct cmp_opts *o)
{
	size_t i = 0, j;

	for (; i < r->nr_cells; i = j) {
		for (j = i + 1; j < r->nr_cells &&
		     same_group(&r->cells[i].key, &r->cells[j].key); j++)
			;
		if (j - i >= 2)
			fit_group(r, &r->cells[i], j - i, o);
	}
}

double cmp_fit_half(const struct cmp_fit_side *s, bool beta)
{
	return gsl_cdf_tdist_Pinv(0.975, s->dof) * (beta ? s->se_beta : s->se_alpha);
}
