// SPDX-License-Identifier: MIT
/*
 * ns/page against batch size (log-log), one figure per ioctl and thread
 * count, a line per memory type (and directory): the median with its 95%
 * interval, and where the series has two or more batch sizes compare's fit
 * ns/ioctl = alpha + beta * n drawn as ns/page = alpha / n + beta.  The
 * per-ioctl cost alpha shows as the slope on the left, the per-page cost
 * beta as the floor on the right.
 */
#include "plot/plot.h"

#include <math.h>
#include <string.h>

#define FIT_SAMPLES 48

struct batch_fig {
	const char *ioctl;
	unsigned threads;
	char stem[128];
	FILE *dat, *gp;
	unsigned index;			/* next data block */
	unsigned batches[64];
	size_t nr_batches;
	bool any_fit, first;
	double lo, hi;			/* of every interval drawn */
	int nr_series;
};

static void point_rows(FILE *f, const struct plot_series *s)
{
	fprintf(f, "# batch median_ns_per_page lo hi median_ns_per_ioctl n unit\n");
	for (size_t i = 0; i < s->nr_pts; i++) {
		const struct plot_point *p = &s->pts[i];

		if (p->ok)
			fprintf(f, "%u %.6g %.6g %.6g %.6g %zu %s\n", p->batch, p->median, p->lo,
				p->hi, p->ioctl_median, p->n, p->repeats ? "repeats" : "rounds");
	}
	fprintf(f, "\n\n");
}

static void fit_rows(FILE *f, const struct plot_series *s)
{
	double lo = INFINITY, hi = 0;

	for (size_t i = 0; i < s->nr_pts; i++) {
		if (!s->pts[i].ok)
			continue;
		lo = fmin(lo, s->pts[i].batch);
		hi = fmax(hi, s->pts[i].batch);
	}
	fprintf(f, "# fit: alpha %.6g ns/ioctl, beta %.6g ns/page; batch ns_per_page\n",
		s->fit.alpha, s->fit.beta);
	for (int i = 0; i < FIT_SAMPLES; i++) {
		double x = lo * pow(hi / lo, (double)i / (FIT_SAMPLES - 1));

		fprintf(f, "%.6g %.6g\n", x, s->fit.alpha / x + s->fit.beta);
	}
	fprintf(f, "\n\n");
}

static void series_title(const struct plot_ctx *c, size_t dir, const struct plot_series *s,
			 char *buf, size_t len)
{
	size_t n = 0;

	appendf(buf, len, &n, "%s", s->key.memtype);
	if (c->nr_dirs > 1)
		appendf(buf, len, &n, " (%s)", c->dirs[dir].label);
	if (s->fit.ok)
		appendf(buf, len, &n, ": α %.0f %s/ioctl, β %.1f %s/%s", s->fit.alpha,
			plot_unit(c), s->fit.beta, plot_unit(c), c->per_4k ? "4K" : "page");
}

static void plot_series(struct batch_fig *b, const struct plot_ctx *c, size_t dir,
			const struct plot_series *s, size_t colour)
{
	char title[256];

	series_title(c, dir, s, title, sizeof(title));
	point_rows(b->dat, s);
	fprintf(b->gp, "%s\"%s.dat\" index %u using 1:2:3:4 with %s lc rgb \"%s\" pt %zu "
		"ps 1.2 lw 1.5 title ", b->first ? "plot " : ", \\\n    ", b->stem, b->index++,
		s->fit.ok ? "yerrorbars" : "yerrorlines", plot_colour(colour), 7 + 2 * dir);
	plot_gp_str(b->gp, title);
	b->first = false;
	if (!s->fit.ok)
		return;
	fit_rows(b->dat, s);
	fprintf(b->gp, ", \\\n    \"%s.dat\" index %u using 1:2 with lines lc rgb \"%s\" "
		"dt %zu lw 1.5", b->stem, b->index++, plot_colour(colour), 1 + dir);
	b->any_fit = true;
}

static void preamble(struct batch_fig *b, struct plot_ctx *c)
{
	char m[512], t[768];

	snprintf(t, sizeof(t), "%s per %s against batch size: %s, %u thread%s\n%s",
		 plot_unit(c), plot_per(c), plot_ioctl_name(b->ioctl), b->threads,
		 b->threads == 1 ? "" : "s", plot_machine(c, m, sizeof(m)));
	fprintf(b->gp, "set title ");
	plot_gp_str(b->gp, t);
	fprintf(b->gp, "\nset xlabel \"batch size (pages per ioctl, log scale)\"\n"
		"set ylabel \"%s per %s (median, 95%% CI of the median; log scale)\"\n"
		"set logscale x 2\nset logscale y 10\n"
		"set key below left Left reverse title \" \"\n"	/* the title: room for the xlabel */
		"set xrange [%g:%g]\nset xtics (", plot_unit(c), plot_per(c), b->batches[0] / 1.5,
		b->batches[b->nr_batches - 1] * 1.5);
	for (size_t i = 0; i < b->nr_batches; i++)
		fprintf(b->gp, "%s%u", i ? ", " : "", b->batches[i]);
	fprintf(b->gp, ")\n");
	plot_log_tics(b->gp, 'y', b->lo, b->hi);
}

static bool in_figure(const struct batch_fig *b, const struct plot_series *s)
{
	return !strcmp(s->key.ioctl, b->ioctl) && s->key.threads == b->threads && s->nr_ok &&
	       !strcmp(s->key.placement, "none");
}

static void range(struct batch_fig *b, const struct plot_ctx *c)
{
	b->lo = INFINITY;
	b->hi = 0;
	for (size_t d = 0; d < c->nr_dirs; d++)
		for (size_t i = 0; i < c->dirs[d].nr_series; i++) {
			const struct plot_series *s = &c->dirs[d].series[i];

			b->nr_series += in_figure(b, s);
			for (size_t j = 0; in_figure(b, s) && j < s->nr_pts; j++) {
				if (!s->pts[j].ok)
					continue;
				b->lo = fmin(b->lo, s->pts[j].lo);
				b->hi = fmax(b->hi, s->pts[j].hi);
			}
		}
}

/* Every series of this ioctl and thread count, memtype by memtype. */
static void draw(struct batch_fig *b, struct plot_ctx *c, const char **mts, size_t nr_mts)
{
	for (size_t m = 0; m < nr_mts; m++)
		for (size_t d = 0; d < c->nr_dirs; d++)
			for (size_t i = 0; i < c->dirs[d].nr_series; i++) {
				const struct plot_series *s = &c->dirs[d].series[i];

				if (strcmp(s->key.memtype, mts[m]) || !in_figure(b, s))
					continue;
				plot_series(b, c, d, s, m);
			}
}

static void one_figure(struct plot_ctx *c, const char *ioctl, unsigned threads,
		       const char **mts, size_t nr_mts)
{
	struct batch_fig b = { .ioctl = ioctl, .threads = threads, .first = true };
	char what[256];

	snprintf(b.stem, sizeof(b.stem), "batch-%s-t%u", ioctl, threads);
	b.nr_batches = plot_batches(c, ioctl, threads, b.batches, 64);
	snprintf(what, sizeof(what), "ns/page against batch, %s, %u threads; one block per "
		 "series (points), then its fit (alpha/n + beta)", ioctl, threads);
	b.dat = plot_dat_open(c, b.stem, what);
	range(&b, c);
	b.gp = plot_gp_open(c, b.stem, 1150, 600 + 12 * b.nr_series);
	preamble(&b, c);
	draw(&b, c, mts, nr_mts);
	if (b.any_fit)
		fprintf(b.gp, ", \\\n    NaN with lines lc rgb \"black\" title "
			"\"lines: fit t(n)/n = α/n + β\"");
	fprintf(b.gp, "\n");
	plot_close(c, b.dat, b.stem, "dat");
	snprintf(what, sizeof(what), "ns per page against batch size, %s, %u thread%s",
		 plot_ioctl_name(ioctl), threads, threads == 1 ? "" : "s");
	plot_render(c, b.gp, b.stem, "ns/page against batch size", what);
}

/* 1 some series of this ioctl and thread count has timings, 0 none has, -1 no series. */
static int any_ok(const struct plot_ctx *c, const char *ioctl, unsigned threads)
{
	int ret = -1;

	for (size_t d = 0; d < c->nr_dirs; d++)
		for (size_t i = 0; i < c->dirs[d].nr_series; i++) {
			const struct plot_series *s = &c->dirs[d].series[i];

			if (strcmp(s->key.ioctl, ioctl) || s->key.threads != threads ||
			    strcmp(s->key.placement, "none"))
				continue;
			if (s->nr_ok)
				return 1;
			ret = 0;
		}
	return ret;
}

void plot_batch(struct plot_ctx *c)
{
	const char *ioctls[16], *mts[64];
	unsigned threads[64];
	size_t ni = plot_ioctls(c, ioctls, 16), nt = plot_threads(c, threads, 64);
	size_t nm = plot_memtypes(c, mts, 64);

	for (size_t i = 0; i < ni; i++)
		for (size_t t = 0; t < nt; t++) {
			int ok = any_ok(c, ioctls[i], threads[t]);

			if (ok > 0)
				one_figure(c, ioctls[i], threads[t], mts, nm);
			else if (!ok)
				plot_note(c, "%s, %u thread%s: no cell with timings (all skipped "
					  "or failed): no figure", plot_ioctl_name(ioctls[i]),
					  threads[t], threads[t] == 1 ? "" : "s");
		}
}
