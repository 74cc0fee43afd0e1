// SPDX-License-Identifier: MIT
/*
 * Bars per cell: for each ioctl and thread count, a cluster per memory type,
 * a bar per batch size (base and new side by side), its height the median ns/page and
 * its error bar the 95% interval of the median (min-max where there are too
 * few values for one).  A y axis spanning more than 50x turns logarithmic.
 */
#include "plot/plot.h"

#include <math.h>
#include <string.h>

struct bars_fig {
	const char *ioctl;
	unsigned threads;
	char stem[128];
	unsigned batches[64];
	size_t nr_batches;
	const char *mts[64];
	size_t nr_mts;
	double lo, hi;			/* range of the medians */
};

static const struct plot_point *cell(const struct bars_fig *b, const struct plot_ctx *c,
				     size_t m, size_t d, size_t k)
{
	const struct plot_point *p = plot_find(&c->dirs[d], b->mts[m], b->ioctl, b->threads,
					       b->batches[k]);

	return p && p->ok ? p : NULL;
}

static bool row_ok(const struct bars_fig *b, const struct plot_ctx *c, size_t m)
{
	for (size_t d = 0; d < c->nr_dirs; d++)
		for (size_t k = 0; k < b->nr_batches; k++)
			if (cell(b, c, m, d, k))
				return true;
	return false;
}

/* A row per memory type with timings: name, then (median lo hi) per batch x directory. */
static void rows(struct bars_fig *b, struct plot_ctx *c, FILE *f)
{
	b->lo = INFINITY;
	b->hi = 0;
	for (size_t m = 0; m < b->nr_mts; m++) {
		if (!row_ok(b, c, m))
			continue;
		fprintf(f, "\"%s\"", b->mts[m]);
		for (size_t k = 0; k < b->nr_batches; k++)
			for (size_t d = 0; d < c->nr_dirs; d++) {
				const struct plot_point *p = cell(b, c, m, d, k);

				if (!p) {
					fprintf(f, " ? ? ?");
					continue;
				}
				fprintf(f, " %.6g %.6g %.6g", p->median, p->lo, p->hi);
				b->lo = fmin(b->lo, p->median);
				b->hi = fmax(b->hi, p->median);
			}
		fprintf(f, "\n");
	}
}

static void script(struct bars_fig *b, struct plot_ctx *c, FILE *gp)
{
	bool logy = b->hi > 50 * b->lo;
	char m[512], t[768];
	size_t col = 2;

	snprintf(t, sizeof(t), "%s per %s per cell: %s, %u thread%s\n%s", plot_unit(c),
		 plot_per(c), plot_ioctl_name(b->ioctl), b->threads, b->threads == 1 ? "" : "s",
		 plot_machine(c, m, sizeof(m)));
	fprintf(gp, "set title ");
	plot_gp_str(gp, t);
	fprintf(gp, "\nset style data histograms\nset style histogram errorbars gap 2 lw 1\n"
		"set style fill solid 0.85 border -1\nset boxwidth 0.9\n"
		"set key outside right top\nset xlabel \"memory type\"\n"
		"set ylabel \"%s per %s (median; bars: 95%% CI of the median, else min-max%s)\"\n",
		plot_unit(c), plot_per(c), logy ? "; log scale" : "");
	fprintf(gp, logy ? "set logscale y 10\n" : "set yrange [0:*]\n");
	for (size_t k = 0; k < b->nr_batches; k++)
		for (size_t d = 0; d < c->nr_dirs; d++, col += 3) {
			snprintf(t, sizeof(t), "batch %u%s%s", b->batches[k],
				 c->nr_dirs > 1 ? ", " : "", c->nr_dirs > 1 ? c->dirs[d].label : "");
			fprintf(gp, "%s \"%s.dat\" using %zu:%zu:%zu%s lc rgb \"%s\"%s title ",
				col == 2 ? "plot" : ", \\\n    ", b->stem, col, col + 1, col + 2,
				col == 2 ? ":xtic(1)" : "", plot_colour(k),
				d ? " fs pattern 4 border -1" : "");
			plot_gp_str(gp, t);
		}
	fprintf(gp, "\n");
}

static bool any_ok(const struct bars_fig *b, const struct plot_ctx *c)
{
	for (size_t m = 0; m < b->nr_mts; m++)
		if (row_ok(b, c, m))
			return true;
	return false;
}

static void one_figure(struct plot_ctx *c, const char *ioctl, unsigned threads)
{
	struct bars_fig b = { .ioctl = ioctl, .threads = threads };
	char what[256];
	FILE *dat, *gp;

	b.nr_batches = plot_batches(c, ioctl, threads, b.batches, 64);
	b.nr_mts = plot_memtypes(c, b.mts, 64);
	if (!b.nr_batches || !any_ok(&b, c))
		return;		/* plot_batch() has said so */
	snprintf(b.stem, sizeof(b.stem), "bars-%s-t%u", ioctl, threads);
	snprintf(what, sizeof(what), "ns/page per cell, %s, %u threads: memtype, then "
		 "(median lo hi) per batch and directory", ioctl, threads);
	dat = plot_dat_open(c, b.stem, what);
	rows(&b, c, dat);
	plot_close(c, dat, b.stem, "dat");
	gp = plot_gp_open(c, b.stem, 1150, 600);
	script(&b, c, gp);
	snprintf(what, sizeof(what), "ns per page per cell, %s, %u thread%s",
		 plot_ioctl_name(ioctl), threads, threads == 1 ? "" : "s");
	plot_render(c, gp, b.stem, "Bars per cell", what);
}

void plot_bars(struct plot_ctx *c)
{
	const char *ioctls[16];
	unsigned threads[64];
	size_t ni = plot_ioctls(c, ioctls, 16), nt = plot_threads(c, threads, 64);

	for (size_t i = 0; i < ni; i++)
		for (size_t t = 0; t < nt; t++)
			one_figure(c, ioctls[i], threads[t]);
}
