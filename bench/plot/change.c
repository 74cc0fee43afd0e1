// SPDX-License-Identifier: MIT
/*
 * With two or more directories: for each NEW against BASE, the % change of
 * median ns/page per cell with compare's 95% bootstrap interval, coloured by
 * compare's verdict (slower red, faster green, same grey), controls drawn as
 * open circles, and the band of changes too small to call (--threshold)
 * shaded.  One row per cell, so any number of cells stays readable.  Under
 * icount, where the floors decide, the change is Δ instructions per 4 KiB of
 * memory (a 2 MiB page's Δ / 512), the threshold's unit, from the lowest
 * round to the floor of each side.
 */
#include "plot/plot.h"

#include <math.h>
#include <string.h>

static unsigned verdict_rgb(enum cmp_verdict v)
{
	if (v == CMP_SLOWER)
		return 0xd62728;
	if (v == CMP_FASTER)
		return 0x2ca02c;
	return 0x7f7f7f;
}

static bool drawn(const struct cmp_cell *c)
{
	return c->verdict != CMP_NOT_COMPARED && isfinite(c->ratio);
}

static bool floors(const struct cmp_result *r)
{
	for (size_t i = 0; i < r->nr_cells; i++)
		if (r->cells[i].by_floors)
			return true;
	return false;
}

/* The cell's change, lo, hi: % of the median, or Δ per 4 KiB where floors decide. */
static void change_of(const struct cmp_cell *c, double v[3])
{
	double u;

	if (c->by_floors) {
		u = cmp_page_units(c);
		v[0] = c->delta / u;
		v[1] = c->has_ci ? c->delta_lo / u : v[0];
		v[2] = c->has_ci ? c->delta_hi / u : v[0];
		return;
	}
	v[0] = 100 * (c->ratio - 1);
	v[1] = c->has_ci ? 100 * (c->ci_lo - 1) : v[0];
	v[2] = c->has_ci ? 100 * (c->ci_hi - 1) : v[0];
}

/* y (first cell on top), change, lo, hi, colour, control, label. */
static size_t rows(const struct cmp_result *r, FILE *f)
{
	size_t n = 0, y = 0;
	char l[128];

	for (size_t i = 0; i < r->nr_cells; i++)
		n += drawn(&r->cells[i]);
	fprintf(f, "# y pct lo hi rgb control label verdict\n");
	for (size_t i = 0; i < r->nr_cells; i++) {
		const struct cmp_cell *c = &r->cells[i];
		double v[3];

		if (!drawn(c))
			continue;
		change_of(c, v);
		fprintf(f, "%zu %.6g %.6g %.6g %u %d \"%s%s\" \"%s\"\n", n - y++, v[0], v[1], v[2],
			verdict_rgb(c->verdict), c->control, cmp_label(&c->key, true, l, sizeof(l)),
			c->control ? " [control]" : "", cmp_verdict_name(c->verdict));
	}
	return n;
}

static void script(struct plot_ctx *c, size_t k, const char *stem, size_t n, FILE *gp)
{
	const struct plot_dir *base = &c->dirs[0], *new = &c->dirs[k + 1];
	bool fl = floors(&c->cmps[k]);
	double thr = fl ? c->copts.abs_threshold : 100 * c->copts.threshold;
	char m[512], t[1024];

	snprintf(t, sizeof(t), "change of %s/page, %s against %s\n%s of compare's verdict; "
		 "red slower, green faster, grey same or undecided (shaded: |change| < %g%s); "
		 "open: controls\n%s", plot_unit(c), new->label, base->label,
		 fl ? "the floors' bounds" : "95% CI", thr, fl ? " per 4 KiB, or 0.02% of the path" : "%",
		 plot_machine(c, m, sizeof(m)));
	fprintf(gp, "set title ");
	plot_gp_str(gp, t);
	fprintf(gp, "\nset xlabel \"%s\"\n", fl ?
		"Δ instructions per 4 KiB of memory, new against base (floors of the rounds)" :
		"change of median ns per page, new against base (%)");
	fprintf(gp, "set yrange [0.3:%zu.7]\nset ytics scale 0\nset grid noytics\n"
		"set key below horizontal maxrows 1 title \" \"\n"
		"set object 1 rect from %g, graph 0 to %g, graph 1 behind "
		"fc rgb \"#e8e8e8\" fs solid noborder\n"
		"set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb \"black\"\n", n, -thr, thr);
	fprintf(gp, "plot \"%s.dat\" using ($6 > 0 ? NaN : $2):1:3:4:5:ytic(7) with xerrorbars "
		"pt 7 ps 1.4 lw 1.5 lc rgb variable, \\\n"
		"    \"%s.dat\" using ($6 > 0 ? $2 : NaN):1:3:4:5 with xerrorbars pt 6 ps 1.4 lw 1.5 "
		"lc rgb variable, \\\n"
		"    NaN with points pt 7 lc rgb \"#d62728\" title \"slower\", \\\n"
		"    NaN with points pt 7 lc rgb \"#2ca02c\" title \"faster\", \\\n"
		"    NaN with points pt 7 lc rgb \"#7f7f7f\" title \"same\", \\\n"
		"    NaN with points pt 6 lc rgb \"black\" title \"control\"\n",
		stem, stem);
}

static void one_figure(struct plot_ctx *c, size_t k)
{
	const struct cmp_result *r = &c->cmps[k];
	char stem[64], what[512];
	size_t n;
	FILE *dat, *gp;

	snprintf(stem, sizeof(stem), "change-%zu", k + 1);
	snprintf(what, sizeof(what), "%% change per cell, %s (new) against %s (base)",
		 c->dirs[k + 1].d.path, c->dirs[0].d.path);
	dat = plot_dat_open(c, stem, what);
	n = rows(r, dat);
	plot_close(c, dat, stem, "dat");
	if (!n) {
		plot_note(c, "%s against %s: no cell could be compared: no change figure",
			  c->dirs[k + 1].label, c->dirs[0].label);
		return;
	}
	gp = plot_gp_open(c, stem, 1000, 200 + 24 * (int)n);
	script(c, k, stem, n, gp);
	snprintf(what, sizeof(what), "%% change of %s/page per cell, %s against %s",
		 plot_unit(c), c->dirs[k + 1].label, c->dirs[0].label);
	plot_render(c, gp, stem, "Change against the base", what);
}

void plot_change(struct plot_ctx *c)
{
	for (size_t k = 0; k + 1 < c->nr_dirs; k++)
		one_figure(c, k);
}
