// SPDX-License-Identifier: MIT
/*
 * The fault-mode figures, from the "kind": "fault" lines of a directory
 * (`fault`, and every point of `capacity`): the latency distribution of each
 * configuration, drawn from its stored histogram as the fraction of faults
 * slower than x (1 - CDF) on log-log axes, one line per configuration, with
 * p50, p99 and p99.9 marked.  The capacity curves are plot/capacity.c.
 */
#include "plot/plot.h"
#include "core/common.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_LINES 10		/* configurations per figure: more get a figure of their own */

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "?";
}

static double jnum(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

/* The "fault" and "capacity" lines of pd's results.jsonl, as rr_load read them. */
void plot_fault_load(struct plot_dir *pd)
{
	size_t i;
	json_t *o;

	pd->faults = json_array();
	pd->capacities = json_array();
	json_array_foreach(pd->d.others, i, o) {
		const char *kind = json_string_value(json_object_get(o, "kind"));

		if (kind && !strcmp(kind, "fault"))
			json_array_append(pd->faults, o);
		else if (kind && !strcmp(kind, "capacity"))
			json_array_append(pd->capacities, o);
	}
}

/* A fault line with a latency histogram to draw. */
static bool drawable(json_t *o)
{
	json_t *h = json_object_get(o, "histogram");

	return !strcmp(jstr(o, "status"), "ok") && jnum(h, "count") > 0 &&
	       json_array_size(json_object_get(h, "buckets"));
}

bool plot_fault_any(const struct plot_dir *pd)
{
	size_t i;
	json_t *o;

	if (json_array_size(pd->capacities))
		return true;
	json_array_foreach(pd->faults, i, o)
		if (drawable(o))
			return true;
	return false;
}

/* "read f1 h1 w1 separate", what tells the configurations of one directory apart. */
void plot_fault_label(json_t *o, char *buf, size_t len)
{
	json_t *w = json_object_get(o, "wait");
	const char *style = json_string_value(json_object_get(w, "style"));
	int events = json_integer_value(json_object_get(w, "events"));
	char wait[48];

	/* lines written before the wait styles existed waited in poll() */
	snprintf(wait, sizeof(wait), "%s", style ? style : "poll");
	if (events > 1)
		snprintf(wait + strlen(wait), sizeof(wait) - strlen(wait), " x%d", events);
	snprintf(buf, len, "%s %s f%.0f h%.0f w%.0f %s%s", jstr(o, "memtype"), wait,
		 jnum(o, "faulters"), jnum(o, "handlers"), jnum(o, "window"),
		 jstr(o, "handler_cpus"),
		 json_is_object(json_object_get(o, "load")) &&
		 !strcmp(jstr(json_object_get(o, "load"), "mode"), "open") ? " open" : "");
}

/* Block i: "x_us fraction_slower" per bucket; markers in the block after the lines. */
static void ccdf_rows(FILE *f, json_t *o, double *lo, double *hi)
{
	json_t *h = json_object_get(o, "histogram"), *b;
	double total = jnum(h, "count"), seen = 0;
	size_t i;

	json_array_foreach(json_object_get(h, "buckets"), i, b) {
		double x = (json_number_value(json_array_get(b, 1)) + 1) / 1e3;

		seen += json_number_value(json_array_get(b, 2));
		if (total - seen <= 0)
			break;	/* 0 has no place on a log axis */
		fprintf(f, "%.6g %.6g\n", x, (total - seen) / total);
		*lo = fmin(*lo, x);
		*hi = fmax(*hi, x);
	}
	fprintf(f, "\n\n");
}

static void marker_rows(FILE *f, json_t *o, size_t line)
{
	static const struct { const char *key, *name; double q; } qs[] = {
		{ "p50", "p50", 0.5 }, { "p99", "p99", 0.01 }, { "p99_9", "p99.9", 0.001 },
	};
	json_t *lat = json_object_get(o, "latency_ns");

	for (size_t k = 0; k < ARRAY_SIZE(qs); k++)
		fprintf(f, "%.6g %g %zu \"%s %.1f us\"\n", jnum(lat, qs[k].key) / 1e3, qs[k].q, line,
			qs[k].name, jnum(lat, qs[k].key) / 1e3);
}

static void script(struct plot_ctx *c, const struct plot_dir *pd, json_t **lines, size_t n,
		   const char *stem, double lo, double hi, FILE *gp)
{
	char m[512], t[768], label[160];

	snprintf(t, sizeof(t), "fault latency (touch to resume): fraction of faults slower than x "
		 "(%s)\n%s", pd->label, plot_machine(c, m, sizeof(m)));
	fprintf(gp, "set title ");
	plot_gp_str(gp, t);
	fprintf(gp, "\nset logscale xy\nset xlabel \"latency (us)\"\n"
		"set ylabel \"fraction of faults slower (1 - CDF)\"\nset yrange [1e-5:1.2]\n"
		"set ytics (\"1\" 1, \"0.5 (p50)\" 0.5, \"0.1\" 0.1, \"0.01 (p99)\" 0.01, "
		"\"0.001 (p99.9)\" 0.001, \"1e-4\" 1e-4, \"1e-5\" 1e-5)\n"
		"set key outside bottom center horizontal maxrows 5\n");
	plot_log_tics(gp, 'x', lo, hi);
	fprintf(gp, "plot ");
	for (size_t i = 0; i < n; i++) {
		plot_fault_label(lines[i], label, sizeof(label));
		fprintf(gp, "\"%s.dat\" index %zu using 1:2 with steps lw 2 lc rgb \"%s\" title ",
			stem, i, plot_colour(i));
		plot_gp_str(gp, label);
		fprintf(gp, ", \\\n     ");
	}
	/* the markers; their values as labels only when they cannot overlap another line's */
	fprintf(gp, "\"%s.dat\" index %zu using 1:2:($3+1) with points pt 7 ps 1.2 lc variable "
		"notitle", stem, n);
	if (n == 1)
		fprintf(gp, ", \\\n     \"%s.dat\" index %zu using 1:2:4 with labels left offset "
			"1,0.4 font \",8\" notitle", stem, n);
	fprintf(gp, "\n");
}

/* One figure of up to MAX_LINES configurations of directory d, from the k-th on. */
static void figure(struct plot_ctx *c, size_t d, json_t **lines, size_t n, unsigned part)
{
	const struct plot_dir *pd = &c->dirs[d];
	double lo = INFINITY, hi = 0;
	char stem[128], what[256];
	FILE *dat, *gp;

	snprintf(stem, sizeof(stem), "fault-latency-d%zu-%u", d, part);
	dat = plot_dat_open(c, stem, "1 - CDF of fault latency per configuration (x us, fraction "
			    "slower), then the p50/p99/p99.9 markers (x, fraction, line, label)");
	for (size_t i = 0; i < n; i++) {
		char label[160];

		plot_fault_label(lines[i], label, sizeof(label));
		fprintf(dat, "# %zu: %s: %s\n", i, label, jstr(lines[i], "key"));
		ccdf_rows(dat, lines[i], &lo, &hi);
	}
	for (size_t i = 0; i < n; i++)
		marker_rows(dat, lines[i], i);
	plot_close(c, dat, stem, "dat");
	gp = plot_gp_open(c, stem, 1000, 700);
	script(c, pd, lines, n, stem, lo, hi, gp);
	snprintf(what, sizeof(what), "fault latency distribution, %zu configuration%s (%s)", n,
		 n == 1 ? "" : "s", pd->label);
	plot_render(c, gp, stem, "Fault mode", what);
}

void plot_fault(struct plot_ctx *c)
{
	for (size_t d = 0; d < c->nr_dirs; d++) {
		json_t *lines[MAX_LINES], *o;
		size_t n = 0, i, skipped = 0;
		unsigned part = 0;

		json_array_foreach(c->dirs[d].faults, i, o) {
			if (!drawable(o)) {
				skipped++;
				continue;
			}
			lines[n++] = o;
			if (n == MAX_LINES) {
				figure(c, d, lines, n, part++);
				n = 0;
			}
		}
		if (n)
			figure(c, d, lines, n, part);
		if (skipped)
			plot_note(c, "%s: %zu fault configuration%s not ok or without faults: no "
				  "latency line", c->dirs[d].d.path, skipped, skipped == 1 ? "" : "s");
	}
	plot_capacity(c);
}

/* report.md: one row per fault configuration. */
void plot_fault_table(FILE *f, const struct plot_dir *pd)
{
	size_t i;
	json_t *o;

	if (!json_array_size(pd->faults))
		return;
	fprintf(f, "\nFault configurations (latency in us, touch to resume):\n\n"
		"| key | status | faults/s | mean | p50 | p99 | p99.9 | max | verified pages |\n"
		"|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
	json_array_foreach(pd->faults, i, o) {
		json_t *lat = json_object_get(o, "latency_ns");

		fprintf(f, "| `%s` | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %.0f |\n",
			jstr(o, "key"), jstr(o, "status"), jnum(o, "faults_per_s"),
			jnum(lat, "mean") / 1e3, jnum(lat, "p50") / 1e3, jnum(lat, "p99") / 1e3,
			jnum(lat, "p99_9") / 1e3, jnum(lat, "max") / 1e3,
			jnum(json_object_get(o, "verify"), "pages_checked"));
	}
}
