// SPDX-License-Identifier: MIT
/*
 * What the figures draw: each directory's cells grouped as compare groups
 * them, a point per cell (the median of compare's unit, with the 95%
 * interval of that median from order statistics, as `run` writes in
 * summary.ns_per_page, or min/max when there are too few values for one),
 * and per series the fit ns/ioctl = alpha + beta * batch of compare/fit.c.
 */
#include "plot/plot.h"
#include "ioctls/ioctl.h"
#include "core/alloc.h"
#include "memtypes/memtype.h"
#include "core/stats.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void point_of(const struct cmp_group *g, struct plot_point *p)
{
	struct summary s;
	double *v;

	memset(p, 0, sizeof(*p));
	p->g = g;
	p->batch = g->reps[0]->batch;
	p->ok = g->nr_ok > 0;
	p->status = p->ok ? "ok" : g->bad->status;
	p->reason = p->ok ? NULL : g->bad->reason;
	if (!p->ok)
		return;
	p->repeats = g->nr_ok >= 2;
	p->n = cmp_units(g, p->repeats, false, &v);
	summarize(v, p->n, &s);
	free(v);
	p->median = s.median;
	p->has_ci = s.has_ci;
	p->lo = s.has_ci ? s.ci_lo : s.min;
	p->hi = s.has_ci ? s.ci_hi : s.max;
	cmp_units(g, p->repeats, true, &v);
	p->ioctl_median = cmp_median(v, p->n);
	free(v);
}

static bool same_series(const struct rr_cell *a, const struct rr_cell *b)
{
	return !strcmp(a->memtype, b->memtype) && !strcmp(a->mapping, b->mapping) &&
	       !strcmp(a->ioctl, b->ioctl) && a->threads == b->threads &&
	       !strcmp(a->placement, b->placement);
}

/* compare's fit, on the unit of every point with timings. */
static void fit_series(struct plot_series *s)
{
	double *x = NULL, *y = NULL;
	size_t n = 0;

	for (size_t i = 0; i < s->nr_pts; i++) {
		const struct plot_point *p = &s->pts[i];
		double *v;
		size_t k;

		if (!p->ok)
			continue;
		k = cmp_units(p->g, p->repeats, true, &v);
		x = xrealloc(x, n + k, sizeof(double));
		y = xrealloc(y, n + k, sizeof(double));
		for (size_t j = 0; j < k; j++) {
			x[n + j] = p->batch;
			y[n + j] = v[j];
		}
		n += k;
		free(v);
	}
	if (s->nr_ok >= 2)
		cmp_fit_line(x, y, n, &s->fit);
	free(x);
	free(y);
}

/*
 * What a legend calls a directory: its role, the kernel and the run's label.
 * run names directories DATE-HOST-RELEASE[-LABEL]: then "RELEASE [LABEL]",
 * or the whole name when there is no label (two unlabelled runs of one
 * kernel still differ by date); another name: "RELEASE [NAME]".
 */
static void label_of(struct plot_dir *pd, const char *role)
{
	const char *rel = rr_env_string(&pd->d, "kernel.release"), *in;
	char path[PATH_MAX], *name, what[140];
	size_t n;

	snprintf(path, sizeof(path), "%s", pd->d.path);
	for (n = strlen(path); n > 1 && path[n - 1] == '/'; )
		path[--n] = '\0';			/* "dir/" */
	name = strrchr(path, '/');
	name = name && name[1] ? name + 1 : path;
	in = rel ? strstr(name, rel) : NULL;
	/* a legend has room for about 100 characters of a name */
	if (!rel)
		snprintf(what, sizeof(what), "%.100s", name);
	else if (in && in[strlen(rel)] == '-')
		snprintf(what, sizeof(what), "%s [%.100s]", rel, in + strlen(rel) + 1);
	else if (in)
		snprintf(what, sizeof(what), "%.100s", name);
	else
		snprintf(what, sizeof(what), "%s [%.100s]", rel, name);
	snprintf(pd->label, sizeof(pd->label), "%s%s%s", role, *role ? " " : "", what);
}

const char *plot_per(const struct plot_ctx *c)
{
	return c->per_4k ? "4 KiB" : "page";
}

/* --per-4k: ns per page of this memory type into ns per 4 KiB. */
static double scale_of(const char *memtype)
{
	const struct memtype_ops *mt = memtype_find(memtype);

	return mt && mt->huge_size ? 4096.0 / mt->huge_size : 1;
}

static void scale_series(struct plot_series *s, double k)
{
	for (size_t i = 0; i < s->nr_pts; i++) {
		s->pts[i].median *= k;
		s->pts[i].lo *= k;
		s->pts[i].hi *= k;
	}
	/* ns/ioctl = alpha + beta * batch, batch in pages: both in ns per 4 KiB */
	s->fit.alpha *= k;
	s->fit.beta *= k;
	s->fit.se_alpha *= k;
	s->fit.se_beta *= k;
}

void plot_dir_build(struct plot_dir *pd, const char *role, bool per_4k)
{
	struct plot_series *s = NULL;

	label_of(pd, role);
	pd->groups = cmp_group_cells(&pd->d, &pd->nr_groups);
	pd->series = xrealloc(NULL, pd->nr_groups, sizeof(*pd->series));
	for (size_t i = 0; i < pd->nr_groups; i++) {
		const struct rr_cell *c = pd->groups[i].reps[0];

		if (!i || !same_series(pd->groups[i - 1].reps[0], c)) {
			s = &pd->series[pd->nr_series++];
			memset(s, 0, sizeof(*s));
			s->key = (struct cmp_key){ c->memtype, c->mapping, c->mode, c->ioctl,
						   c->placement, 0, c->threads };
			s->pts = xrealloc(NULL, pd->nr_groups - i, sizeof(*s->pts));
		}
		point_of(&pd->groups[i], &s->pts[s->nr_pts]);
		s->nr_ok += s->pts[s->nr_pts++].ok;
	}
	for (size_t i = 0; i < pd->nr_series; i++) {
		fit_series(&pd->series[i]);
		if (per_4k)
			scale_series(&pd->series[i], scale_of(pd->series[i].key.memtype));
	}
}

void plot_dir_free(struct plot_dir *pd)
{
	for (size_t i = 0; i < pd->nr_series; i++)
		free(pd->series[i].pts);
	free(pd->series);
	cmp_groups_free(pd->groups, pd->nr_groups);
	json_decref(pd->faults);
	json_decref(pd->capacities);
	rr_free(&pd->d);
}

bool plot_has_ok(const struct plot_dir *pd)
{
	for (size_t i = 0; i < pd->nr_series; i++)
		if (pd->series[i].nr_ok)
			return true;
	return false;
}

/* The ioctl table's order; names it does not know last. */
static int ioctl_rank(const char *name)
{
	int op = uop_parse(name);

	return op < 0 ? UOP_NR : op;
}

static int ioctl_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int rx = ioctl_rank(x), ry = ioctl_rank(y);

	return rx != ry ? rx - ry : strcmp(x, y);
}

static int memtype_rank(const char *name)
{
	const struct memtype_ops *mt = memtype_find(name);

	for (unsigned i = 0; mt && i < nr_memtypes; i++)
		if (memtypes[i] == mt)
			return i;
	return nr_memtypes;
}

static int memtype_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int rx = memtype_rank(x), ry = memtype_rank(y);

	return rx != ry ? rx - ry : strcmp(x, y);
}

static size_t add_name(const char **out, size_t n, size_t max, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(out[i], s))
			return n;
	if (n < max)
		out[n++] = s;
	return n;
}

static size_t add_uint(unsigned *out, size_t n, size_t max, unsigned v)
{
	for (size_t i = 0; i < n; i++)
		if (out[i] == v)
			return n;
	if (n < max)
		out[n++] = v;
	return n;
}

static int uint_cmp(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

size_t plot_ioctls(const struct plot_ctx *c, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t d = 0; d < c->nr_dirs; d++)
		for (size_t i = 0; i < c->dirs[d].nr_series; i++)
			n = add_name(out, n, max, c->dirs[d].series[i].key.ioctl);
	qsort(out, n, sizeof(*out), ioctl_cmp);
	return n;
}

size_t plot_memtypes(const struct plot_ctx *c, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t d = 0; d < c->nr_dirs; d++)
		for (size_t i = 0; i < c->dirs[d].nr_series; i++)
			n = add_name(out, n, max, c->dirs[d].series[i].key.memtype);
	qsort(out, n, sizeof(*out), memtype_cmp);
	return n;
}

size_t plot_threads(const struct plot_ctx *c, unsigned *out, size_t max)
{
	size_t n = 0;

	for (size_t d = 0; d < c->nr_dirs; d++)
		for (size_t i = 0; i < c->dirs[d].nr_series; i++)
			n = add_uint(out, n, max, c->dirs[d].series[i].key.threads);
	qsort(out, n, sizeof(*out), uint_cmp);
	return n;
}

size_t plot_batches(const struct plot_ctx *c, const char *ioctl, unsigned threads,
		    unsigned *out, size_t max)
{
	size_t n = 0;

	for (size_t d = 0; d < c->nr_dirs; d++)
		for (size_t i = 0; i < c->dirs[d].nr_series; i++) {
			const struct plot_series *s = &c->dirs[d].series[i];

			if (strcmp(s->key.ioctl, ioctl) || s->key.threads != threads)
				continue;
			for (size_t j = 0; j < s->nr_pts; j++)
				n = add_uint(out, n, max, s->pts[j].batch);
		}
	qsort(out, n, sizeof(*out), uint_cmp);
	return n;
}

/* The cell with placement "none" (the NUMA figure looks at the others). */
const struct plot_point *plot_find(const struct plot_dir *pd, const char *memtype,
				   const char *ioctl, unsigned threads, unsigned batch)
{
	for (size_t i = 0; i < pd->nr_series; i++) {
		const struct plot_series *s = &pd->series[i];

		if (strcmp(s->key.memtype, memtype) || strcmp(s->key.ioctl, ioctl) ||
		    s->key.threads != threads || strcmp(s->key.placement, "none"))
			continue;
		for (size_t j = 0; j < s->nr_pts; j++)
			if (s->pts[j].batch == batch)
				return &s->pts[j];
	}
	return NULL;
}
