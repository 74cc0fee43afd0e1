// SPDX-License-Identifier: MIT
/*
 * The capacity figures, from a directory's "kind": "capacity" lines: faults/s
 * (left) and p99 latency (right, log) against handler threads, and against
 * faulting threads when those were swept; one line per remaining dimension
 * (wait style, window, placement, and the other thread count), the targets as
 * dashed lines and the recommended point circled.
 */
#include "plot/plot.h"
#include "core/common.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_SERIES 16

struct cap_fig {
	json_t *cap;
	const char *x;			/* "handlers" or "faulters" */
	const char *other;		/* the thread count that is not x */
	bool touch;			/* --judge touch: p99 of every touch */
	json_t *series[MAX_SERIES][64];	/* points of each line, in x order */
	size_t nr[MAX_SERIES], nr_series;
	double ymax, pmin, pmax;
	size_t nr_rec;			/* recommended points in the data */
};

static double jnum(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "?";
}

/* Events per read picked for each configuration follow the thread counts: one line. */
static bool auto_events(json_t *p)
{
	return json_is_true(json_object_get(p, "events_default"));
}

static bool same_line(json_t *a, json_t *b, const char *other)
{
	return jnum(a, other) == jnum(b, other) && jnum(a, "window") == jnum(b, "window") &&
	       !strcmp(jstr(a, "wait"), jstr(b, "wait")) &&
	       (auto_events(a) ? auto_events(b) : jnum(a, "events") == jnum(b, "events")) &&
	       !strcmp(jstr(a, "handler_cpus"), jstr(b, "handler_cpus"));
}

static size_t distinct(json_t *curve, const char *k)
{
	double seen[64];
	size_t n = 0, i;
	json_t *p;

	json_array_foreach(curve, i, p) {
		size_t j = 0;

		while (j < n && seen[j] != jnum(p, k))
			j++;
		if (j == n && n < ARRAY_SIZE(seen))
			seen[n++] = jnum(p, k);
	}
	return n;
}

static double judged(const struct cap_fig *g, json_t *p)
{
	return jnum(p, g->touch ? "touch_p99_us" : "p99_us");
}

/* Ok points into lines: same everything but x. */
static void group(struct cap_fig *g)
{
	size_t i;
	json_t *p;

	g->pmin = INFINITY;
	json_array_foreach(json_object_get(g->cap, "curve"), i, p) {
		size_t s = 0;

		if (strcmp(jstr(p, "status"), "ok"))
			continue;
		while (s < g->nr_series && !same_line(g->series[s][0], p, g->other))
			s++;
		if (s == MAX_SERIES || g->nr[s] == 64)
			continue;
		if (s == g->nr_series)
			g->nr_series++;
		g->series[s][g->nr[s]++] = p;
		g->ymax = fmax(g->ymax, jnum(p, "faults_per_s"));
		if (judged(g, p) > 0) {
			g->pmin = fmin(g->pmin, judged(g, p));
			g->pmax = fmax(g->pmax, judged(g, p));
		}
	}
}

static void label(json_t *p, const char *other, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s", jstr(p, "wait"));

	if (jnum(p, "events") > 1 && !auto_events(p))
		n += snprintf(buf + n, len - n, " x%.0f", jnum(p, "events"));
	snprintf(buf + n, len - n, " w%.0f %s %c%.0f", jnum(p, "window"), jstr(p, "handler_cpus"),
		 other[0], jnum(p, other));
}

static bool is_rec(json_t *p, json_t *rec)
{
	return json_is_object(rec) && jnum(p, "faulters") == jnum(rec, "faulters") &&
	       jnum(p, "handlers") == jnum(rec, "handlers") &&
	       jnum(p, "window") == jnum(rec, "window") &&
	       !strcmp(jstr(p, "wait"), jstr(rec, "wait")) &&
	       !strcmp(jstr(p, "handler_cpus"), jstr(rec, "handler_cpus"));
}

/* Block per line: "x faults_per_s p99 meets"; then the recommended points. */
static void rows(struct cap_fig *g, FILE *f)
{
	json_t *recs = json_object_get(g->cap, "by_faulters"), *r;
	size_t k;

	for (size_t s = 0; s < g->nr_series; s++) {
		char l[160];

		label(g->series[s][0], g->other, l, sizeof(l));
		fprintf(f, "# line %zu: %s\n", s, l);
		for (size_t i = 0; i < g->nr[s]; i++) {
			json_t *p = g->series[s][i];

			fprintf(f, "%.0f %.6g %.6g %d\n", jnum(p, g->x), jnum(p, "faults_per_s"),
				judged(g, p) > 0 ? judged(g, p) : NAN,
				json_is_true(json_object_get(p, "meets")));
		}
		fprintf(f, "\n\n");
	}
	fprintf(f, "# recommended\n");
	if (!json_array_size(recs)) {	/* written before the faulters sweep */
		recs = json_array();
		json_array_append(recs, json_pack("{s:O}", "recommendation",
						  json_object_get(g->cap, "recommendation")));
	} else {
		json_incref(recs);
	}
	for (size_t s = 0; s < g->nr_series; s++)
		for (size_t i = 0; i < g->nr[s]; i++)
			json_array_foreach(recs, k, r)
				if (is_rec(g->series[s][i], json_object_get(r, "recommendation"))) {
					fprintf(f, "%.0f %.6g %.6g\n", jnum(g->series[s][i], g->x),
						jnum(g->series[s][i], "faults_per_s"),
						judged(g, g->series[s][i]));
					g->nr_rec++;
				}
	json_decref(recs);
}

static void panel(struct cap_fig *g, FILE *gp, const char *stem, bool p99)
{
	char l[160];

	fprintf(gp, "unset label\nset xlabel \"%s threads\"\n",
		strcmp(g->x, "handlers") ? "faulting" : "handler");
	if (p99) {
		fprintf(gp, "set logscale y\nset ylabel \"%s (us)\"\n",
			g->touch ? "p99 of every touch" : "p99 fault latency");
		plot_log_tics(gp, 'y', fmin(g->pmin, jnum(g->cap, "target_p99_us")),
			      fmax(g->pmax, jnum(g->cap, "target_p99_us")));
	} else {
		fprintf(gp, "unset logscale y\nset ytics autofreq\nset ylabel \"faults/s\"\n"
			"set yrange [0:%g]\n", 1.15 * fmax(g->ymax, jnum(g->cap, "target_rate")));
	}
	if (!g->nr_rec)
		fprintf(gp, "set label \"no point meets the targets\" at graph 0.5, 0.06 center\n");
	fprintf(gp, "plot ");
	for (size_t s = 0; s < g->nr_series; s++) {
		label(g->series[s][0], g->other, l, sizeof(l));
		fprintf(gp, "\"%s.dat\" index %zu using 1:%d with linespoints lw 2 pt 7 lc rgb \"%s\" "
			"title ", stem, s, p99 ? 3 : 2, plot_colour(s));
		plot_gp_str(gp, l);
		fprintf(gp, ", \\\n     ");
	}
	fprintf(gp, "%g with lines dt 2 lw 2 lc rgb \"black\" title \"target %s\"",
		jnum(g->cap, p99 ? "target_p99_us" : "target_rate"), p99 ? "p99" : "touches/s");
	if (g->nr_rec)
		fprintf(gp, ", \\\n     \"%s.dat\" index %zu using 1:%d with points pt 6 ps 3.5 lw 3 "
			"lc rgb \"#d62728\" title \"recommended\"", stem, g->nr_series, p99 ? 3 : 2);
	fprintf(gp, "\n");
}

static void figure(struct plot_ctx *c, size_t d, size_t k, json_t *cap, const char *x)
{
	struct cap_fig g = { .cap = cap, .x = x,
			     .other = strcmp(x, "handlers") ? "handlers" : "faulters",
			     .touch = !strcmp(jstr(cap, "judge"), "touch") };
	char stem[128], what[256], m[512], t[768];
	FILE *dat, *gp;

	group(&g);
	if (!g.nr_series)
		return;
	snprintf(stem, sizeof(stem), "capacity-d%zu-%zu-%s", d, k, x);
	dat = plot_dat_open(c, stem, "capacity: per line, x faults_per_s p99_us meets; then the "
			    "recommended points");
	rows(&g, dat);
	plot_close(c, dat, stem, "dat");
	gp = plot_gp_open(c, stem, 1200, 560);
	snprintf(t, sizeof(t), "capacity: %s %s, %s load, target %.0f touches/s with %sp99 <= %g us "
		 "(%s)\n%s", jstr(cap, "memtype"), jstr(cap, "ioctl"),
		 jstr(json_object_get(cap, "load"), "mode"), jnum(cap, "target_rate"),
		 g.touch ? "touch " : "", jnum(cap, "target_p99_us"), c->dirs[d].label,
		 plot_machine(c, m, sizeof(m)));
	fprintf(gp, "set multiplot layout 1,2 title ");
	plot_gp_str(gp, t);
	fprintf(gp, "\nset key below\nset xtics 1\nset offsets 0.3, 0.3, 0, 0\n");
	panel(&g, gp, stem, false);
	panel(&g, gp, stem, true);
	fprintf(gp, "unset multiplot\n");
	snprintf(what, sizeof(what), "capacity: faults/s and p99 against %s threads (%s)",
		 strcmp(x, "handlers") ? "faulting" : "handler", c->dirs[d].label);
	plot_render(c, gp, stem, "Capacity", what);
}

void plot_capacity(struct plot_ctx *c)
{
	for (size_t d = 0; d < c->nr_dirs; d++) {
		size_t k;
		json_t *cap;

		json_array_foreach(c->dirs[d].capacities, k, cap) {
			json_t *curve = json_object_get(cap, "curve");
			bool h = distinct(curve, "handlers") > 1, f = distinct(curve, "faulters") > 1;

			if (h || !f)
				figure(c, d, k, cap, "handlers");
			if (f)
				figure(c, d, k, cap, "faulters");
		}
	}
}
