// SPDX-License-Identifier: MIT
/*
 * compare --by inject DIR: one directory measured with `run --inject-ns
 * 0,N,...` holds every delay interleaved in each repeat process; set each
 * delay against the smallest, repeat k against repeat k, without splitting
 * the directory.  The parts are views: shallow copies of the cells with the
 * delay cleared (so they match), sharing the directory's strings and JSON.
 * compare --by knob DIR: the same for `run --knob PATH=V1,V2,...`, each
 * value against the smallest (numerically when every value is a number).
 */
#include "compare/compare.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
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
	v->path = xasprintf("%s [inject=%g]", d->path, delay);
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

static bool is_number(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return *s && !*end && !errno;
}

static int knob_num_cmp(const void *a, const void *b)
{
	double u, v;

	is_number(*(const char *const *)a, &u);
	is_number(*(const char *const *)b, &v);
	return (u > v) - (u < v);
}

static int knob_str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The distinct knob values of d, the smallest first (numerically when every
 * value is a number); -1 when a line has no "knob".
 */
static ssize_t knob_values(const struct rr_dir *d, const char **out)
{
	size_t n = 0;
	bool numeric = true;
	double dummy;

	for (size_t i = 0; i < d->nr_cells; i++) {
		const char *k = d->cells[i].knob;
		bool seen = false;

		if (!k)
			return -1;
		for (size_t j = 0; j < n && !seen; j++)
			seen = !strcmp(out[j], k);
		if (!seen)
			out[n++] = k;
	}
	for (size_t i = 0; i < n; i++)
		numeric &= is_number(out[i], &dummy);
	qsort(out, n, sizeof(*out), numeric ? knob_num_cmp : knob_str_cmp);
	return n;
}

static void knob_view(const struct rr_dir *d, const char *val, struct rr_dir *v)
{
	memset(v, 0, sizeof(*v));
	v->path = xasprintf("%s [knob=%s]", d->path, val);
	v->cells = xcalloc(d->nr_cells, sizeof(*v->cells));
	for (size_t i = 0; i < d->nr_cells; i++) {
		if (!d->cells[i].knob || strcmp(d->cells[i].knob, val))
			continue;
		v->cells[v->nr_cells] = d->cells[i];
		v->cells[v->nr_cells++].knob = NULL;
	}
	v->env = json_incref(d->env);
	v->caps = json_incref(d->caps);
	v->clock = d->clock;
}

static int split_by_knob(const struct rr_dir *d, struct rr_dir **parts, size_t *nr,
			 char *err, size_t len)
{
	const char **v = xcalloc(d->nr_cells + 1, sizeof(*v));
	ssize_t n = knob_values(d, v);

	if (n < 0) {
		snprintf(err, len, "%s: lines without a \"knob\" (not a run --knob directory)",
			 d->path);
		free(v);
		return -1;
	}
	if (n < 2) {
		snprintf(err, len, "%s: one --knob value (%s) only: nothing to compare", d->path,
			 n ? v[0] : "none");
		free(v);
		return -1;
	}
	*parts = xcalloc(n, sizeof(**parts));
	for (ssize_t i = 0; i < n; i++)
		knob_view(d, v[i], &(*parts)[i]);
	*nr = n;
	free(v);
	return 0;
}

int cmp_split_by(const struct rr_dir *d, const char *by, struct rr_dir **parts, size_t *nr,
		 char *err, size_t len)
{
	double *v = xcalloc(d->nr_cells, sizeof(double));
	size_t n;

	*parts = NULL;
	*nr = 0;
	if (!strcmp(by, "knob")) {
		free(v);
		return split_by_knob(d, parts, nr, err, len);
	}
	if (strcmp(by, "inject")) {
		snprintf(err, len, "--by %s: only inject and knob can be split", by);
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
