// SPDX-License-Identifier: MIT
/*
 * OUT/report.md: the figures (Markdown image links, or the text plots
 * themselves with --format dumb), what was not drawn and why, and per
 * directory the summary tables: every cell's median ns/page with its
 * interval, ns/ioctl, status and reason; the alpha/beta fits; the perf
 * counters when the run had --perf.  With several directories, compare's
 * Markdown report of each NEW against BASE follows.
 */
#include "plot/plot.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void md_text(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fprintf(f, *s == '|' ? "\\|" : *s == '\n' ? " " : "%c", *s);
}

static void embed_text(FILE *f, const struct plot_ctx *c, const char *stem)
{
	char path[4096], buf[4096];
	FILE *in;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s.txt", c->out, stem);
	in = fopen(path, "r");
	fprintf(f, "```text\n");
	while (in && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, f);
	fprintf(f, "```\n\n");
	if (in)
		fclose(in);
}

/* The figures, section by section in the order they were drawn. */
static void figures(FILE *f, const struct plot_ctx *c)
{
	for (size_t i = 0; i < c->nr_figs; i++) {
		const struct plot_fig *g = &c->figs[i];
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(c->figs[j].section, g->section);
		if (!seen)
			fprintf(f, "## %s\n\n", g->section);
		if (c->fmt == PLOT_DUMB) {
			fprintf(f, "%s (`%s.gp`)\n\n", g->caption, g->stem);
			embed_text(f, c, g->stem);
		} else {
			fprintf(f, "![%s](%s.%s)\n\n", g->caption, g->stem, plot_ext(c->fmt));
		}
	}
}

static void dirs_table(FILE *f, const struct plot_ctx *c)
{
	fprintf(f, "| | directory | kernel | CPU | host | lines |\n|---|---|---|---|---|--:|\n");
	for (size_t i = 0; i < c->nr_dirs; i++) {
		const struct rr_dir *d = &c->dirs[i].d;
		const char *cpu = rr_env_string(d, "cpu.model");
		const char *host = rr_env_string(d, "hostname");

		fprintf(f, "| %s | `%s` | %s | %s | %s | %zu |\n",
			c->nr_dirs == 1 ? "" : i ? "new" : "base", d->path, c->dirs[i].label,
			cpu ? cpu : "?", host ? host : "?", d->nr_cells);
	}
}

static void cell_row(FILE *f, const struct plot_series *s, const struct plot_point *p)
{
	fprintf(f, "| %s | %s | %u | %u | ", s->key.memtype, s->key.ioctl, p->batch,
		s->key.threads);
	if (strcmp(s->key.placement, "none"))
		fprintf(f, "%s ", s->key.placement);
	if (!p->ok) {
		fprintf(f, "%s | - | - | - | ", p->status);
		md_text(f, p->reason ? p->reason : "");
		fprintf(f, " |\n");
		return;
	}
	fprintf(f, "ok | %.1f %s%.1f, %.1f] | %.1f | %zu %s | ", p->median,
		p->has_ci ? "[" : "[min-max ", p->lo, p->hi, p->ioctl_median, p->n,
		p->repeats ? "repeats" : "rounds");
	if (p->g->bad) {
		fprintf(f, "%zu of %zu repeats left out: %s ", p->g->nr_reps - p->g->nr_ok,
			p->g->nr_reps, p->g->bad->status);
		md_text(f, p->g->bad->reason);
	}
	fprintf(f, " |\n");
}

static void cells_table(FILE *f, const struct plot_dir *pd, const char *per)
{
	const char *u = bench_clock_unit(pd->d.clock);

	fprintf(f, "| memtype | ioctl | batch | threads | status | %s/%s median [95%% CI] | "
		"%s/ioctl | values | reason |\n|---|---|--:|--:|---|--:|--:|--:|---|\n", u, per, u);
	for (size_t i = 0; i < pd->nr_series; i++)
		for (size_t j = 0; j < pd->series[i].nr_pts; j++)
			cell_row(f, &pd->series[i], &pd->series[i].pts[j]);
}

static void fits_table(FILE *f, const struct plot_dir *pd)
{
	bool any = false;

	for (size_t i = 0; i < pd->nr_series; i++) {
		const struct plot_series *s = &pd->series[i];

		if (!s->fit.ok)
			continue;
		if (!any)
			fprintf(f, "\nns/ioctl = α + β·batch (least squares, compare's fit; ± 95%%):\n\n"
				"| memtype | ioctl | threads | α ns/ioctl | β ns/page | points | "
				"batches |\n|---|---|--:|--:|--:|--:|--:|\n");
		any = true;
		fprintf(f, "| %s | %s | %u | %.1f ± %.1f | %.2f ± %.2f | %zu | %zu |\n",
			s->key.memtype, s->key.ioctl, s->key.threads, s->fit.alpha,
			cmp_fit_half(&s->fit, false), s->fit.beta, cmp_fit_half(&s->fit, true),
			s->fit.n, s->fit.nr_batches);
	}
}

static json_t *any_counters(const struct plot_dir *pd)
{
	for (size_t i = 0; i < pd->nr_groups; i++) {
		json_t *c = cmp_perf_first(&pd->groups[i]);

		if (c)
			return c;
	}
	return NULL;
}

static void perf_missing(FILE *f, const struct plot_dir *pd)
{
	json_t *m = NULL, *v;
	size_t i;

	for (i = 0; i < pd->d.nr_cells && !m; i++)
		m = json_object_get(pd->d.cells[i].perf, "missing");
	json_array_foreach(m, i, v)
		fprintf(f, "%s`%s`: %s", i ? "; " : "\nNot counted: ",
			json_string_value(json_object_get(v, "name")),
			json_string_value(json_object_get(v, "reason")));
	fprintf(f, "\n");
}

static void perf_table(FILE *f, const struct plot_dir *pd)
{
	json_t *names = any_counters(pd), *v;
	const char *name;

	if (!names)
		return;
	fprintf(f, "\nperf counters per page (run --perf; median over the ok repeats):\n\n"
		"| memtype | ioctl | batch | threads |");
	json_object_foreach(names, name, v)
		fprintf(f, " %s |", name);
	fprintf(f, "\n|---|---|--:|--:|");
	json_object_foreach(names, name, v)
		fprintf(f, "--:|");
	for (size_t i = 0; i < pd->nr_groups; i++) {
		const struct cmp_group *g = &pd->groups[i];
		double x = NAN;

		if (!cmp_perf_first(g))
			continue;
		fprintf(f, "\n| %s | %s | %u | %u |", g->reps[0]->memtype, g->reps[0]->ioctl,
			g->reps[0]->batch, g->reps[0]->threads);
		json_object_foreach(names, name, v) {
			if (cmp_perf_median(g, name, &x))
				fprintf(f, " %.4g |", x);
			else
				fprintf(f, " - |");
		}
	}
	fprintf(f, "\n");
	perf_missing(f, pd);
}

static void summaries(FILE *f, const struct plot_ctx *c)
{
	for (size_t i = 0; i < c->nr_dirs; i++) {
		const struct plot_dir *pd = &c->dirs[i];

		fprintf(f, "\n## Summary: %s (`%s`)\n\n", pd->label, pd->d.path);
		if (pd->d.clock == CLOCK_ICOUNT)
			fprintf(f, "Clock: icount — every time below is a count of guest "
				"instructions (qemu -icount shift=0: 1 ns = 1 instruction).\n\n");
		if (pd->d.nr_cells) {
			fprintf(f, "Median %s/%s of the unit (per-repeat medians with >= 2 ok repeats, ",
				bench_clock_unit(pd->d.clock),
				c->per_4k ? "4 KiB (--per-4k: per-page values x 4096 / page size)" : "page");
			fprintf(f, "else the rounds) with the 95%% CI of the median from order statistics "
				"(`[min-max ...]` when there are fewer than 6 values); hugetlb pages are "
				"huge pages.\n\n");
			cells_table(f, pd, c->per_4k ? "4KiB" : "page");
		}
		fits_table(f, pd);
		perf_table(f, pd);
		plot_fault_table(f, pd);
	}
}

static void command_line(FILE *f, int argc, char **argv)
{
	char date[64];
	time_t t = time(NULL);

	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", localtime(&t));
	fprintf(f, "# uffdbench plots\n\n`uffdbench");
	for (int i = 0; i < argc; i++)
		fprintf(f, " %s", argv[i]);
	fprintf(f, "`, %s.  Every figure is `NAME.dat` (data) and `NAME.gp` (script) here: "
		"`gnuplot NAME.gp` in this directory redraws it.\n\n", date);
}

int plot_report(struct plot_ctx *c, int argc, char **argv)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/report.md", c->out);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	command_line(f, argc, argv);
	dirs_table(f, c);
	fprintf(f, "\n");
	figures(f, c);
	if (c->nr_notes)
		fprintf(f, "## Not drawn\n\n");
	for (size_t i = 0; i < c->nr_notes; i++)
		fprintf(f, "- %s\n", c->notes[i]);
	summaries(f, c);
	if (c->nr_dirs > 1)
		fprintf(f, "\n## compare\n\n");
	for (size_t k = 0; k + 1 < c->nr_dirs; k++)
		cmp_print_markdown(f, &c->cmps[k], &c->copts);
	if (fclose(f))
		return -errno;
	fprintf(c->log, "plot: %s/report.md\n", c->final);
	return 0;
}
