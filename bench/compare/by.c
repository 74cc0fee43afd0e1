// SPDX-License-Identifier: MIT
/*
 * compare --by inject DIR: one directory measured with `run --inject-ns
 * 0,N,...` holds every delay interleaved in each repeat process; set each
 * delay against the smallest, repeat k against repeat k, without splitting
 * the directory.  The parts are views: shallow copies of the cells with the
 * delay cleared (so they match), sharing the directory's strings and JSON.
 */
#include "compare/compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The distinct delays of d, ascending; their count. */
static size_t delays(const struct rr_dir *d, double *out)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nr_cells; i++) {
		bool seen = false;

		for (size_t j = 0; j < n && !seen; j++)
			seen = out[j] == d->cells[i].inject_ns;
		if (!seen)
			out[n++] = d->cells[i].inject_ns;
	}
	qsort(out, n, sizeof(double), dbl_cmp);
	return n;
}

static void view(const struct rr_dir *d, double delay, struct rr_dir *v)
{
	memset(v, 0, sizeof(*v));
	if (asprintf(&v->path, "%s [inject=%g]", d->path, delay) < 0)
		abort();
	v->cells = xcalloc(d->nr_cells, sizeof(*v->cells));
	for (size_t i = 0; i < d->nr_cells; i++) {
		if (d->cells[i].inject_ns != delay)
			continue;
		v->cells[v->nr_cells] = d->cells[i];
		v->cells[v->nr_cells++].inject_ns = 0;
	}
	v->env = json_incref(d->env);
	v->caps = json_incref(d->caps);
	v->clock = d->clock;
}

int cmp_split_by(const struct rr_dir *d, const char *by, struct rr_dir **parts, size_t *nr,
		 char *err, size_t len)
{
	double *v = xcalloc(d->nr_cells, sizeof(double));
	size_t n;

	*parts = NULL;
	*nr = 0;
	if (strcmp(by, "inject")) {
		snprintf(err, len, "--by %s: only inject can be split", by);
		free(v);
		return -1;
	}
	n = delays(d, v);
	if (n < 2) {
		snprintf(err, len, "%s: one --inject-ns value (%g) only: nothing to compare",
			 d->path, v[0]);
		free(v);
		return -1;
	}
	*parts = xcalloc(n, sizeof(**parts));
	for (size_t i = 0; i < n; i++)
		view(d, v[i], &(*parts)[i]);
	*nr = n;
	free(v);
	return 0;
}

void cmp_views_free(struct rr_dir *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].cells);
		free(v[i].path);
		json_decref(v[i].env);
		json_decref(v[i].caps);
	}
	free(v);
}
