// SPDX-License-Identifier: MIT
/*
 * The NUMA heatmap: median ns/page over thread node x memory node, one
 * figure per (directory, memory type, ioctl, batch, threads), for cells
 * whose placement is "T>M" (thread node T, memory node M, as `topo` prints
 * placements).  `run` records placement "none" today: then nothing is drawn,
 * and the report says why.
 */
#include "plot/plot.h"

#include <stdio.h>
#include <string.h>

static bool parse_placement(const char *s, int *t, int *m)
{
	int n = 0;

	return sscanf(s, "%d>%d%n", t, m, &n) == 2 && !s[n] && *t >= 0 && *m >= 0;
}

static bool same_map(const struct plot_series *a, const struct plot_series *b)
{
	return !strcmp(a->key.memtype, b->key.memtype) && !strcmp(a->key.ioctl, b->key.ioctl) &&
	       a->key.threads == b->key.threads;
}

/* Rows "thread_node memory_node median" of every placed series like s at batch. */
static size_t rows(const struct plot_dir *pd, const struct plot_series *s, unsigned batch,
		   FILE *f)
{
	size_t n = 0;
	int t, m;

	fprintf(f, "# thread_node memory_node median_ns_per_page lo hi\n");
	for (size_t i = 0; i < pd->nr_series; i++) {
		const struct plot_series *o = &pd->series[i];

		if (!same_map(s, o) || !parse_placement(o->key.placement, &t, &m))
			continue;
		for (size_t j = 0; j < o->nr_pts; j++)
			if (o->pts[j].batch == batch && o->pts[j].ok) {
				fprintf(f, "%d %d %.6g %.6g %.6g\n", t, m, o->pts[j].median,
					o->pts[j].lo, o->pts[j].hi);
				n++;
			}
	}
	return n;
}

static void script(struct plot_ctx *c, const struct plot_dir *pd, const struct plot_series *s,
		   unsigned batch, const char *stem, FILE *gp)
{
	char m[512], t[768];

	snprintf(t, sizeof(t), "ns per page by placement: %s %s, batch %u, %u thread%s (%s)\n%s",
		 s->key.memtype, plot_ioctl_name(s->key.ioctl), batch, s->key.threads,
		 s->key.threads == 1 ? "" : "s", pd->label, plot_machine(c, m, sizeof(m)));
	fprintf(gp, "set title ");
	plot_gp_str(gp, t);
	fprintf(gp, "\nset xlabel \"memory node\"\nset ylabel \"thread node\"\n"
		"set cblabel \"ns per page (median)\"\nset xtics 1\nset ytics 1\n"
		"set offsets 0.5, 0.5, 0.5, 0.5\nset palette rgbformulae 33,13,10\n"
		"plot \"%s.dat\" using 2:1:(0.5):(0.5):3 with boxxyerror fc palette fs solid, \\\n"
		"    \"%s.dat\" using 2:1:(sprintf(\"%%.0f\", $3)) with labels\n", stem, stem);
}

/* The first series of its (memtype, ioctl, threads) that is placed. */
static bool first_placed(const struct plot_dir *pd, size_t i)
{
	int t, m;

	for (size_t j = 0; j < i; j++)
		if (same_map(&pd->series[j], &pd->series[i]) &&
		    parse_placement(pd->series[j].key.placement, &t, &m))
			return false;
	return true;
}

static void dir_figures(struct plot_ctx *c, size_t d)
{
	const struct plot_dir *pd = &c->dirs[d];
	char stem[256], what[256];
	int t, m;

	for (size_t i = 0; i < pd->nr_series; i++) {
		const struct plot_series *s = &pd->series[i];

		if (!parse_placement(s->key.placement, &t, &m) || !first_placed(pd, i))
			continue;
		for (size_t j = 0; j < s->nr_pts; j++) {
			FILE *dat, *gp;

			snprintf(stem, sizeof(stem), "numa-d%zu-%s-%s-b%u-t%u", d, s->key.memtype,
				 s->key.ioctl, s->pts[j].batch, s->key.threads);
			dat = plot_dat_open(c, stem, "median ns/page by thread node x memory node");
			if (!rows(pd, s, s->pts[j].batch, dat)) {
				fclose(dat);
				continue;
			}
			plot_close(c, dat, stem, "dat");
			gp = plot_gp_open(c, stem, 800, 650);
			script(c, pd, s, s->pts[j].batch, stem, gp);
			snprintf(what, sizeof(what), "ns per page by placement, %s %s batch %u, "
				 "%u threads (%s)", s->key.memtype, s->key.ioctl,
				 s->pts[j].batch, s->key.threads, pd->label);
			plot_render(c, gp, stem, "NUMA placement", what);
		}
	}
}

static bool any_cells(const struct plot_ctx *c)
{
	for (size_t d = 0; d < c->nr_dirs; d++)
		if (c->dirs[d].d.nr_cells)
			return true;
	return false;
}

void plot_numa(struct plot_ctx *c)
{
	size_t placed = 0, other = 0;
	const char *bad = NULL;
	int t, m;

	for (size_t d = 0; d < c->nr_dirs; d++)
		for (size_t i = 0; i < c->dirs[d].nr_series; i++) {
			const char *p = c->dirs[d].series[i].key.placement;

			if (parse_placement(p, &t, &m))
				placed++;
			else if (strcmp(p, "none") && (other++, !bad))
				bad = p;
		}
	if (bad)
		plot_note(c, "NUMA heatmap: %zu series with a placement not of the form "
			  "THREAD_NODE>MEMORY_NODE (e.g. '%s'): not drawn", other, bad);
	if (!placed && !other && any_cells(c))
		plot_note(c, "NUMA heatmap: placement was not varied (every cell has placement "
			  "'none'): no figure");
	for (size_t d = 0; placed && d < c->nr_dirs; d++)
		dir_figures(c, d);
}
