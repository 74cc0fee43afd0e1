// SPDX-License-Identifier: MIT
/*
 * A results directory as compare sees it: its cells grouped by key (every
 * repeat of a cell together), and the values one group contributes to a
 * comparison (per-repeat medians or minima, or every round pooled).
 */
#include "compare/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cell_ptr_cmp(const void *a, const void *b)
{
	return rr_key_cmp(*(const struct rr_cell *const *)a, *(const struct rr_cell *const *)b);
}

/* The cells of d, sorted by key, one group per key (its repeats). */
struct cmp_group *cmp_group_cells(const struct rr_dir *d, size_t *nr)
{
	const struct rr_cell **sorted = xrealloc(NULL, d->nr_cells, sizeof(*sorted));
	struct cmp_group *g = xrealloc(NULL, d->nr_cells, sizeof(*g));
	size_t i, n = 0;

	for (i = 0; i < d->nr_cells; i++)
		sorted[i] = &d->cells[i];
	qsort(sorted, d->nr_cells, sizeof(*sorted), cell_ptr_cmp);
	for (i = 0; i < d->nr_cells; i++) {
		struct cmp_group *cur = &g[n];

		if (!i || rr_key_cmp(sorted[i - 1], sorted[i])) {
			memset(cur, 0, sizeof(*cur));
			cur->reps = &sorted[i];
			n++;
		} else {
			cur = &g[n - 1];
		}
		cur->nr_reps++;
		if (rr_cell_ok(sorted[i]) && sorted[i]->nr_rounds)
			cur->nr_ok++;
		else if (!cur->bad)
			cur->bad = sorted[i];
	}
	if (!n)
		free(sorted);
	*nr = n;
	return g;
}

void cmp_key_of(const struct rr_cell *c, struct cmp_key *k)
{
	*k = (struct cmp_key){ c->memtype, c->mapping, c->mode, c->ioctl, c->placement,
			       c->batch, c->threads, c->inject_ns, c->knob };
}

/*
 * What one repeat contributes: the median of its rounds, or with --stat min
 * its fastest round.  Interference here (host, other threads) only ever adds
 * time and comes in phases, so the floor of a repeat is often far steadier
 * than its median; it assumes a kernel change moves the floor too.
 */
static bool unit_floor;

void cmp_units_use_floor(bool floor)
{
	unit_floor = floor;
}

double cmp_repeat_value(const double *x, size_t n)
{
	double m = x[0];

	if (!unit_floor)
		return cmp_median(x, n);
	for (size_t i = 1; i < n; i++)
		if (x[i] < m)
			m = x[i];
	return m;
}

/*
 * How far the repeat's value could move with other rounds: for the median,
 * its standard error; for the floor, the gap to the next-fewest round (0
 * when the floor repeats, as exact instruction counts do under icount).
 */
double cmp_repeat_se(const double *x, size_t n)
{
	double lo = INFINITY, next = INFINITY;

	if (!unit_floor || n < 2)
		return cmp_median_se(x, n);
	for (size_t i = 0; i < n; i++) {
		if (x[i] < lo) {
			next = lo;
			lo = x[i];
		} else if (x[i] < next) {
			next = x[i];
		}
	}
	return next - lo;
}

/* Per-repeat medians (or minima) of the ok repeats, or all their rounds pooled. */
size_t cmp_units(const struct cmp_group *g, bool repeats, bool per_ioctl, double **out)
{
	size_t n = 0, total = 0;
	double *v;

	for (size_t i = 0; i < g->nr_reps; i++)	/* one allocation, not one per repeat */
		if (rr_cell_ok(g->reps[i]))
			total += repeats ? 1 : g->reps[i]->nr_rounds;
	v = xrealloc(NULL, total ? total : 1, sizeof(double));
	for (size_t i = 0; i < g->nr_reps; i++) {
		const struct rr_cell *c = g->reps[i];
		const double *x = per_ioctl ? c->ns_per_ioctl : c->ns_per_page;

		if (!rr_cell_ok(c) || !c->nr_rounds)
			continue;
		if (repeats) {
			v[n++] = cmp_repeat_value(x, c->nr_rounds);
			continue;
		}
		memcpy(v + n, x, c->nr_rounds * sizeof(double));
		n += c->nr_rounds;
	}
	*out = v;
	return n;
}
