// SPDX-License-Identifier: MIT
/*
 * The decision rule of one cell: repeats first, rounds when the repeats
 * agree, else undecided with the repeats that would decide (see decide.h).
 */
#include "compare/decide.h"
#include "compare/compare.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LEVEL_95 0.975		/* two-sided 95% */
#define HOMOGENEOUS_P 0.2	/* Cochran's Q: repeats agree with their rounds */
#define MAX_NEED 1000

/* One level's estimate: effect, its standard error, t's degrees of freedom (0: normal). */
struct est {
	double est, se, df;
};

const char *cmp_level_name(enum cmp_level l)
{
	static const char *const n[] = { "repeats", "rounds", "none", "floors" };

	return n[l];
}

double cmp_median_se(const double *x, size_t n)
{
	double sd;

	if (n < 2)
		return NAN;
	sd = cmp_mad(x, n);
	if (!(sd > 0))		/* over half the rounds alike: the plain SD */
		sd = sqrt(gsl_stats_variance(x, 1, n));
	return 1.2533 * sd / sqrt(n);
}

enum cmp_decision_verdict cmp_classify(double est, double lo, double hi, double thr)
{
	if (lo > 0 && est >= thr)
		return DEC_SLOWER;
	if (hi < 0 && est <= -thr)
		return DEC_FASTER;
	if (lo > -thr && hi < thr)
		return DEC_SAME;
	return DEC_UNDECIDED;
}

static double mean(const double *v, size_t n)
{
	return gsl_stats_mean(v, 1, n);
}

static double var(const double *v, size_t n)
{
	return n > 1 ? gsl_stats_variance(v, 1, n) : NAN;
}

/* sum of squared standard errors of one side; NaN when a repeat has none */
static double sum_se2(const struct cmp_dec_side *s)
{
	double sum = 0;

	for (size_t i = 0; i < s->n; i++)
		sum += s->se[i] * s->se[i];
	return sum;
}

/* Cochran's Q: the repeats' spread in units of their rounds' standard errors. */
static double cochran_q(const double *v, const double *se2, size_t n)
{
	double m = mean(v, n), q = 0;

	for (size_t i = 0; i < n; i++) {
		double d2 = (v[i] - m) * (v[i] - m);

		if (se2[i] > 0)
			q += d2 / se2[i];
		else if (d2 > 0)
			return INFINITY;
	}
	return q;
}

static double tq(double df)
{
	return df > 0 ? gsl_cdf_tdist_Pinv(LEVEL_95, df) : gsl_cdf_ugaussian_Pinv(LEVEL_95);
}

static double two_sided_p(const struct est *e)
{
	double z;

	if (!(e->se > 0))
		return e->est != 0 ? 0 : 1;
	z = fabs(e->est) / e->se;
	return 2 * (e->df > 0 ? gsl_cdf_tdist_Q(z, e->df) : gsl_cdf_ugaussian_Q(z));
}

/* Paired: the differences, their rounds' variance (se2), and Q's input. */
static void paired_diffs(const struct cmp_dec_side *b, const struct cmp_dec_side *n,
			 double *d, double *se2)
{
	for (size_t k = 0; k < b->n; k++) {
		d[k] = n->v[k] - b->v[k];
		se2[k] = b->se[k] * b->se[k] + n->se[k] * n->se[k];
	}
}

static double welch_df(double va, size_t na, double vb, size_t nb)
{
	double a = va / na, b = vb / nb;

	if (!(a + b > 0))
		return na + nb - 2;
	return (a + b) * (a + b) / (a * a / (na - 1) + b * b / (nb - 1));
}

/* The rounds level: the repeats' means, rounds' errors only, normal. */
static struct est rounds_level(const struct cmp_dec_side *b, const struct cmp_dec_side *n)
{
	double se2 = sum_se2(b) / ((double)b->n * b->n) + sum_se2(n) / ((double)n->n * n->n);

	return (struct est){ mean(n->v, n->n) - mean(b->v, b->n), sqrt(se2), 0 };
}

/* The repeats level (n >= 2 a side): t over the repeats, at least the rounds' error. */
static struct est repeats_level(const struct cmp_dec_side *b, const struct cmp_dec_side *n,
				bool paired, const double *d)
{
	struct est r = rounds_level(b, n), e;

	if (paired) {
		e = (struct est){ mean(d, b->n), sqrt(var(d, b->n) / b->n), b->n - 1 };
	} else {
		double va = var(b->v, b->n), vb = var(n->v, n->n);

		e = (struct est){ r.est, sqrt(va / b->n + vb / n->n),
				  welch_df(va, b->n, vb, n->n) };
	}
	if (isfinite(r.se) && r.se > e.se)
		e.se = r.se;
	return e;
}

static bool homogeneous(const struct cmp_dec_side *b, const struct cmp_dec_side *n, bool paired,
			const double *d, const double *se2)
{
	double q, df;

	if (paired) {
		q = cochran_q(d, se2, b->n);
		df = b->n - 1;
	} else {
		double *s2 = xcalloc(b->n + n->n, sizeof(double));

		for (size_t i = 0; i < b->n; i++)
			s2[i] = b->se[i] * b->se[i];
		for (size_t i = 0; i < n->n; i++)
			s2[b->n + i] = n->se[i] * n->se[i];
		q = cochran_q(b->v, s2, b->n) + cochran_q(n->v, s2 + b->n, n->n);
		df = b->n + n->n - 2;
		free(s2);
	}
	return isfinite(q) && gsl_cdf_chisq_Q(q, df) >= HOMOGENEOUS_P;
}

/* Repeats a side at which the repeats level, with the spread seen, would decide. */
static unsigned repeats_needed(const struct cmp_dec_side *b, const struct cmp_dec_side *n,
			       bool paired, const double *d, const struct est *e, double thr)
{
	double gap = fabs(e->est) >= thr ? fabs(e->est) : thr - fabs(e->est);
	double s2 = paired ? var(d, b->n) : var(b->v, b->n) + var(n->v, n->n);
	double r2 = sum_se2(b) / b->n + sum_se2(n) / n->n;	/* rounds, per repeat */

	if (!(gap > 0) || !isfinite(s2))
		return 0;
	for (unsigned m = b->n + 1; m <= MAX_NEED; m++) {
		double se = sqrt(fmax(s2, isfinite(r2) ? r2 : 0) / m);
		double df = paired ? m - 1 : 2.0 * m - 2;

		if (tq(df) * se < gap)
			return m;
	}
	return 0;
}

static void set_interval(struct cmp_decision *d, const struct est *e, enum cmp_level l)
{
	double h = tq(e->df) * e->se;

	d->est = e->est;
	d->lo = e->est - h;
	d->hi = e->est + h;
	d->df = e->df;
	d->p = two_sided_p(e);
	d->level = l;
}

static bool has_rounds_se(const struct cmp_dec_side *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (!(s->se[i] >= 0))
			return false;
	return true;
}

void cmp_decide(const struct cmp_dec_side *base, const struct cmp_dec_side *new, bool paired,
		double thr, struct cmp_decision *d)
{
	size_t n = base->n > new->n ? base->n : new->n;
	double *diff = xcalloc(n, sizeof(double)), *se2 = xcalloc(n, sizeof(double));
	bool rounds_ok = has_rounds_se(base) && has_rounds_se(new);
	struct est rep, rnd = rounds_level(base, new);

	memset(d, 0, sizeof(*d));
	paired = paired && base->n == new->n;
	if (paired)
		paired_diffs(base, new, diff, se2);
	d->one_repeat = base->n < 2 || new->n < 2;
	if (d->one_repeat) {
		/*
		 * One process (or boot) a side cannot show how far the next one
		 * would move: A/A pairs of default wall-clock runs here called 4
		 * to 8 of 10 cells slower or faster on their rounds.  The
		 * rounds give the interval shown; only repeats decide.
		 */
		if (rounds_ok)
			set_interval(d, &rnd, LEVEL_ROUNDS);
		goto undecided;
	}
	rep = repeats_level(base, new, paired, diff);
	set_interval(d, &rep, LEVEL_REPEATS);
	d->verdict = cmp_classify(d->est, d->lo, d->hi, thr);
	if (d->verdict != DEC_UNDECIDED)
		goto out;
	d->heterogeneous = !rounds_ok || !homogeneous(base, new, paired, diff, se2);
	if (rounds_ok && !d->heterogeneous) {
		struct cmp_decision r = *d;

		set_interval(&r, &rnd, LEVEL_ROUNDS);
		r.verdict = cmp_classify(r.est, r.lo, r.hi, thr);
		if (r.verdict != DEC_UNDECIDED) {
			*d = r;
			goto out;
		}
	}
	d->need = repeats_needed(base, new, paired, diff, &rep, thr);
undecided:
	d->verdict = DEC_UNDECIDED;
	d->level = LEVEL_NONE;
out:
	free(diff);
	free(se2);
}
