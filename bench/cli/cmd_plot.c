// SPDX-License-Identifier: MIT
/*
 * uffdbench plot RESULTS_DIR... : figures and a report.  Everything that can
 * make the figures meaningless is checked before anything is written: every
 * directory loads (results_read's checks: schema, valid JSON, the fields a
 * cell needs), some cell has timings, gnuplot exists.  See plot.h for the
 * figures.
 */
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "plot/plot.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_FORMAT, OPT_OUT, OPT_PER_4K };

static const struct cli_opt plot_opts[] = {
	{ "format", "FMT", OPT_FORMAT, "png, svg, or dumb (text plots, printed here too)", "png",
	  "png svg dumb" },
	{ "out", "DIR", OPT_OUT, "where figures and report go", "the last RESULTS_DIR/plots",
	  "@dir" },
	{ "per-4k", NULL, OPT_PER_4K, "ns per 4 KiB instead of per page, so hugetlb (2 MiB, "
	  "1 GiB pages) and base pages share an axis" },
	{ 0 }
};

const struct cli_help cmd_plot_help = {
	.head =
	"usage: uffdbench plot [--format png|svg|dumb] [--out DIR]\n"
	"                      RESULTS_DIR [NEW_DIR ...]\n"
	"\n"
	"Figures and a report from results directories (from `run`): ns/page against\n"
	"batch size per ioctl and thread count with its 95% intervals and the fit\n"
	"t(n)/n = alpha/n + beta, bars per cell, and with two or more directories the\n"
	"% change of each NEW_DIR against the first (BASE) per cell, coloured by\n"
	"compare's verdict (unpaired: as compare without --paired).  From `fault`\n"
	"and `capacity` directories: the latency distribution of each configuration\n"
	"with p50/p99/p99.9 marked, and faults/s and p99 against handler (and\n"
	"faulting) threads with the targets and the recommended point.  Each figure\n"
	"is NAME.dat and NAME.gp in DIR, drawn by gnuplot; DIR/report.md shows the\n"
	"figures and the summary tables.  Legends name each directory BASE or NEW\n"
	"with its kernel and the run's label; text plots (dumb) take the terminal's\n"
	"width.\n"
	"\n",
	.opts = plot_opts,
	.tail =
	"Needs gnuplot (Debian package gnuplot-nox); $UFFDBENCH_GNUPLOT names another.\n"
	"Exit status: 0 figures written; 2 bad input (not a results directory, a\n"
	"corrupt or incomplete results file, no cell with timings), no gnuplot, or\n"
	"gnuplot failed.\n\n"
	"Examples:\n"
	"  uffdbench plot results/DIR\n"
	"  uffdbench plot --format svg results/*-base results/*-new\n"
	"  uffdbench plot --format dumb --per-4k results/DIR\n",
	.operands = "@dir",
};

static int parse_format(const char *s, enum plot_format *f)
{
	static const char *const names[] = { [PLOT_PNG] = "png", [PLOT_SVG] = "svg",
					     [PLOT_DUMB] = "dumb" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i])) {
			*f = i;
			return 0;
		}
	return -1;
}

/* 0, 1 for --help, -1 after saying what is wrong; *first: the first directory. */
static int parse_args(int argc, char **argv, struct plot_ctx *c, const char **out, int *first)
{
	struct cli_parser p;
	int key, status;

	cli_start(&p, &cmd_plot_help, argc, argv, false);
	while ((key = cli_next(&p)) >= 0) {
		if (key == OPT_OUT)
			*out = p.arg;
		if (key == OPT_PER_4K)
			c->per_4k = true;
		if (key == OPT_FORMAT && parse_format(p.arg, &c->fmt)) {
			errmsg("plot: unknown --format '%s' (png, svg, dumb)", p.arg);
			return -1;
		}
	}
	status = cli_finish(&p, key);
	if (status >= 0)
		return status == EXIT_OK ? 1 : -1;	/* 1: the help was printed */
	*first = p.optind;
	if (*first >= argc) {
		errmsg("plot: needs at least one results directory");
		return -1;
	}
	return 0;
}

/* What a legend calls directory i of n: BASE, NEW (NEW1, NEW2 ...), or nothing. */
static const char *role(size_t i, size_t n, char *buf, size_t len)
{
	if (n == 1)
		return "";
	if (!i)
		return "BASE";
	if (n == 2)
		return "NEW";
	snprintf(buf, len, "NEW%zu", i);
	return buf;
}

static int load(struct plot_ctx *c, char **paths, size_t n)
{
	char err[1024], role_buf[32];
	bool any = false;

	c->dirs = xrealloc(NULL, n, sizeof(*c->dirs));
	memset(c->dirs, 0, n * sizeof(*c->dirs));
	for (size_t i = 0; i < n; i++) {
		if (rr_load(paths[i], &c->dirs[i].d, err, sizeof(err))) {
			errmsg("plot: %s", err);
			return -1;
		}
		c->nr_dirs++;
		plot_dir_build(&c->dirs[i], role(i, n, role_buf, sizeof(role_buf)), c->per_4k);
		plot_fault_load(&c->dirs[i]);
		any |= plot_has_ok(&c->dirs[i]) || plot_fault_any(&c->dirs[i]);
	}
	for (size_t i = 1; i < n; i++)
		if (c->dirs[i].d.clock != c->dirs[0].d.clock) {
			errmsg("plot: %s counts %s, %s counts %s (clock %s against %s): one clock "
			       "a figure", paths[0], bench_clock_unit(c->dirs[0].d.clock), paths[i],
			       bench_clock_unit(c->dirs[i].d.clock),
			       bench_clock_name(c->dirs[0].d.clock),
			       bench_clock_name(c->dirs[i].d.clock));
			return -1;
		}
	if (!any)
		errmsg("plot: nothing to plot: no cell or fault configuration in %s%s has timings "
		       "(every one skipped or failed)", n == 1 ? "" : "any of ",
		       n == 1 ? paths[0] : "these directories");
	return any ? 0 : -1;
}

static void compare_all(struct plot_ctx *c)
{
	char err[512];

	c->copts = (struct cmp_opts)CMP_OPTS_DEFAULT;
	c->copts.format = CMP_MARKDOWN;
	c->cmps = xrealloc(NULL, c->nr_dirs, sizeof(*c->cmps));
	c->copts.clock = c->dirs[0].d.clock;	/* one clock: checked on loading */
	if (c->copts.clock == CLOCK_ICOUNT) {
		c->copts.abs_threshold = 1;
		c->copts.floor = true;
	}
	cmp_units_use_floor(c->copts.floor);
	for (size_t k = 0; k + 1 < c->nr_dirs; k++)
		if (cmp_run(&c->dirs[0].d, &c->dirs[k + 1].d, &c->copts, &c->cmps[k], err,
			    sizeof(err)))
			plot_note(c, "compare: %s", err);
}

static void ctx_free(struct plot_ctx *c)
{
	for (size_t k = 0; c->cmps && k + 1 < c->nr_dirs; k++)
		cmp_result_free(&c->cmps[k]);
	free(c->cmps);
	for (size_t i = 0; i < c->nr_dirs; i++)
		plot_dir_free(&c->dirs[i]);
	free(c->dirs);
	for (size_t i = 0; i < c->nr_figs; i++) {
		free(c->figs[i].stem);
		free(c->figs[i].section);
		free(c->figs[i].caption);
	}
	free(c->figs);
	for (size_t i = 0; i < c->nr_notes; i++)
		free(c->notes[i]);
	free(c->notes);
}

/* Every figure and the report into a staging directory, moved to out when all were written. */
static int draw(struct plot_ctx *c, const char *out, int argc, char **argv)
{
	char err[PATH_MAX + 128];
	int ret;

	if (plot_stage_begin(c, out, err, sizeof(err))) {
		errmsg("plot: %s", err);
		return EXIT_USAGE;
	}
	compare_all(c);
	plot_batch(c);
	plot_bars(c);
	plot_change(c);
	plot_numa(c);
	plot_fault(c);
	ret = c->failed ? 0 : plot_report(c, argc, argv);
	if (ret)
		plot_fail(c, "cannot write %s/report.md: %s", out, strerror(-ret));
	if (!c->failed && plot_stage_commit(c, err, sizeof(err)))
		plot_fail(c, "%s", err);
	if (c->failed) {
		plot_stage_abort(c);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int cmd_plot(int argc, char **argv)
{
	struct plot_ctx c = { .fmt = PLOT_PNG };
	const char *out = NULL;
	char def[PATH_MAX];
	int first, ret = parse_args(argc, argv, &c, &out, &first);

	if (ret > 0)
		return EXIT_OK;	/* --help */
	if (ret < 0)
		return EXIT_USAGE;	/* said in one line */
	if (load(&c, argv + first, argc - first)) {
		ctx_free(&c);
		return EXIT_USAGE;
	}
	c.gnuplot = plot_find_gnuplot();
	if (!c.gnuplot) {
		errmsg("plot: gnuplot not found: install the Debian package gnuplot-nox "
		       "(apt-get install gnuplot-nox)");
		ctx_free(&c);
		return EXIT_USAGE;
	}
	snprintf(def, sizeof(def), "%s/plots", argv[argc - 1]);
	ret = draw(&c, out ? out : def, argc, argv);
	plot_stage_free(&c);
	ctx_free(&c);
	return ret;
}
