// SPDX-License-Identifier: MIT
/*
 * compare's counters section: for the cells measured with `run --perf` on
 * both sides, each counter both sides have, per page, base -> new (the
 * median over the ok repeats).  Counters describe; they get no test and no
 * verdict: the timings do.
 */
#include "compare/compare.h"

#include <stdlib.h>

static json_t *counters_of(const struct rr_cell *c)
{
	return json_object_get(c->perf, "counters");
}

json_t *cmp_perf_first(const struct cmp_group *g)
{
	for (size_t i = 0; i < g->nr_reps; i++)
		if (rr_cell_ok(g->reps[i]))
			return counters_of(g->reps[i]);
	return NULL;
}

bool cmp_perf_median(const struct cmp_group *g, const char *name, double *out)
{
	double *v = xrealloc(NULL, g->nr_reps, sizeof(double));
	size_t n = 0;
	bool ok = true;

	for (size_t i = 0; i < g->nr_reps && ok; i++) {
		json_t *x;

		if (!rr_cell_ok(g->reps[i]))
			continue;
		x = json_object_get(counters_of(g->reps[i]), name);
		ok = json_is_number(x);
		if (ok)
			v[n++] = json_number_value(x);
	}
	ok = ok && n;
	if (ok)
		*out = cmp_median(v, n);
	free(v);
	return ok;
}

static void header(FILE *f, bool *done)
{
	if (*done)
		return;
	*done = true;
	fprintf(f, "\nCounters per page (run --perf on both sides; task-clock in ns; median\n"
		"over the ok repeats; descriptive, no test)\n");
	fprintf(f, "%-27s %-17s %10s %10s %7s\n", "cell", "counter", "base", "new", "change");
}

static void cell_counters(FILE *f, const struct cmp_cell *c, bool *done)
{
	json_t *base = cmp_perf_first(c->base.g), *v;
	const char *name;
	char l[128];
	bool first = true;

	if (!base || !cmp_perf_first(c->new.g))
		return;
	cmp_label(&c->key, true, l, sizeof(l));
	json_object_foreach(base, name, v) {
		double b, n;

		if (!cmp_perf_median(c->base.g, name, &b) || !cmp_perf_median(c->new.g, name, &n))
			continue;
		header(f, done);
		fprintf(f, "%-27.27s %-17.17s %10.4g %10.4g ", first ? l : "", name, b, n);
		if (b > 0)
			fprintf(f, "%+6.1f%%\n", 100 * (n / b - 1));
		else
			fprintf(f, "%7s\n", "-");
		first = false;
	}
}

void cmp_print_perf(FILE *f, const struct cmp_result *r)
{
	bool done = false;

	for (size_t i = 0; i < r->nr_cells; i++)
		if (r->cells[i].verdict != CMP_NOT_COMPARED)
			cell_counters(f, &r->cells[i], &done);
}
