// SPDX-License-Identifier: MIT
/*
 * uffdbench compare BASE NEW [NEW2 ...]: is NEW slower than BASE, cell by
 * cell, and by how much per page and per ioctl?
 *
 * Cells are matched by (memtype, mapping, ioctl, batch, threads, placement,
 * injected delay); lines that differ only in "repeat" are fresh-process (or
 * fresh-boot) repeats of one cell.  Each repeat gives one value, the median
 * (or with --stat min, the default under icount, the floor) of its rounds,
 * and that value's error from its rounds.  The verdict is the decision rule
 * of compare/decide.h: the repeats decide with a t-interval, the rounds only
 * when the repeats agree within their rounds, else "undecided" with the
 * repeats that would decide; "same" needs the whole 95% interval within the
 * threshold (1%, or under icount 1 instruction per page), "slower" the
 * interval above 0 and the effect at least the threshold, and q (p adjusted
 * across the cells, Benjamini-Hochberg; --per-cell: p) below alpha.  The
 * minimum detectable effect says how small a change the data could have
 * seen.  Per memory type and overall, the geometric mean of the ratios gets
 * a t-interval over the cells' log ratios.  For each (memtype, ioctl,
 * threads) measured at >= 2 batch sizes, ns/ioctl = alpha + beta * batch is
 * fitted by least squares, so a change splits into a per-page part (delta
 * beta) and a per-ioctl part (delta alpha), each with a 95% Welch interval;
 * the answer lines that open the report come from those fits.  Under icount
 * every ns is an instruction, and an icount side is never set against a
 * wall-clock one.
 */
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "compare/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_FORMAT, OPT_ALPHA, OPT_THRESHOLD, OPT_ABS_THRESHOLD, OPT_RESAMPLES, OPT_SEED,
       OPT_STAT, OPT_BY, OPT_PAIRED, OPT_ALLOW_MISMATCH, OPT_TARGET_MDE, OPT_BRIEF,
       OPT_ASCII, OPT_FDR, OPT_PER_CELL };

static const struct cli_opt compare_opts[] = {
	{ "format", "FMT", OPT_FORMAT, "text (80 columns), markdown, csv or json", "text",
	  "text markdown csv json" },
	{ "alpha", "P", OPT_ALPHA, "significance level of the Mann-Whitney test", "0.05" },
	{ "threshold", "PCT", OPT_THRESHOLD, "smallest change called slower/faster, in % (the "
	  "default under wall clocks)", "1" },
	{ "abs-threshold", "N", OPT_ABS_THRESHOLD, "smallest change in the clock's unit per "
	  "4 KiB: ns, or instructions under icount (default there: 1; under icount never below "
	  "0.02% of the path: see icount-rule.md)" },
	{ "resamples", "N", OPT_RESAMPLES, "bootstrap resamples for the ratio's interval",
	  "2000" },
	{ "seed", "N", OPT_SEED, "bootstrap seed; same seed, same intervals", "1" },
	{ "stat", "S", OPT_STAT, "what one repeat contributes: median of its rounds (default) "
	  "or min, its fastest round (steadier when interference comes in phases; the default "
	  "under icount, where an interrupt only adds instructions and the floors of the "
	  "rounds decide)", .values = "median min" },
	{ "by", "WHAT", OPT_BY, "one DIR measured with run --inject-ns 0,N,... (inject) or run "
	  "--knob PATH=V1,V2,... (knob): each delay or value against the smallest, paired "
	  "repeat by repeat", .values = "inject knob" },
	{ "paired", NULL, OPT_PAIRED, "BASE and NEW were measured interleaved in time (one run "
	  "split by uffdbench split, alternating boots): compare repeat k with repeat k; the "
	  "unit is their ratio, the test Wilcoxon signed-rank" },
	{ "allow-mismatch", NULL, OPT_ALLOW_MISMATCH, "compare cells measured with a different "
	  "--size too (by default they are not compared, and a warning says so; different "
	  "rounds a repeat only warn)" },
	{ "target-mde", "PCT", OPT_TARGET_MDE, "also print how many repeats (or rounds) a side "
	  "each cell needs to detect a PCT% change" },
	{ "brief", NULL, OPT_BRIEF, "about ten lines: per memory type and ioctl, the % change "
	  "of ns/page, its 95% interval and the verdicts (text)" },
	{ "ascii", NULL, OPT_ASCII, "ASCII only (d for delta, beta, alpha, +-): for mailing "
	  "lists and terminals that mangle UTF-8" },
	{ "fdr", NULL, OPT_FDR, "test on q: p adjusted over all cells of a comparison "
	  "(Benjamini-Hochberg), the default" },
	{ "per-cell", NULL, OPT_PER_CELL, "test each cell on its own p instead (more sensitive; "
	  "among many unchanged cells some are then called slower or faster by chance)" },
	{ 0 }
};

const struct cli_help cmd_compare_help = {
	.head =
	"usage: uffdbench compare [options] BASE NEW [NEW2 ...]\n"
	"       uffdbench compare [options] --by inject|knob DIR\n"
	"\n"
	"Compare results directories (from `run`): each NEW against BASE, cell by\n"
	"cell, with a verdict per cell, the functional (caps.json) and environment\n"
	"(env.json) differences, and the per-page / per-ioctl cost change.\n"
	"\n",
	.opts = compare_opts,
	.tail =
	"Exit status: 0 no cell slower and none undecided; 1 some cell slower beyond\n"
	"the threshold; 2 bad input (missing or corrupt results, another schema,\n"
	"nothing in common, an icount side against a wall one); 3 no cell slower,\n"
	"but some undecided: the data cannot tell (more repeats or boots would).\n\n"
	"Examples:\n"
	"  uffdbench compare results/*-base results/*-new\n"
	"  uffdbench compare --brief --ascii results/*-base results/*-new\n"
	"  uffdbench compare --paired --stat min --format json A B > cmp.json\n"
	"  uffdbench compare --by inject results/DIR\n",
	.operands = "@dir",
};

/* A positive number, with an optional trailing '%' for percentages. */
static int parse_pos(const char *s, bool pct, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	v = strtod(s, &end);
	if (pct && *end == '%')
		end++;
	if (*end || !(v >= 0) || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int parse_format(const char *s, enum cmp_format *f)
{
	static const char *const names[] = {
		[CMP_TEXT] = "text", [CMP_MARKDOWN] = "markdown", [CMP_CSV] = "csv",
		[CMP_JSON] = "json",
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i])) {
			*f = i;
			return 0;
		}
	return -1;
}

static int parse_opt(int c, const char *arg, struct cmp_opts *o)
{
	unsigned u;
	double v;

	switch (c) {
	case OPT_FORMAT:
		return parse_format(arg, &o->format);
	case OPT_ALPHA:
		if (parse_pos(arg, false, &v) || !(v > 0 && v < 1))
			return -1;
		o->alpha = v;
		return 0;
	case OPT_THRESHOLD:
		if (parse_pos(arg, true, &v) || !(v > 0) || v >= 100)
			return -1;
		o->threshold = v / 100;
		o->threshold_set = true;
		return 0;
	case OPT_ABS_THRESHOLD:
		if (parse_pos(arg, false, &v) || !(v > 0))
			return -1;
		o->abs_threshold = v;
		return 0;
	case OPT_RESAMPLES:
		if (parse_uint(arg, &u) || u < 100 || u > 10000000)
			return -1;
		o->resamples = u;
		return 0;
	case OPT_SEED:
		if (parse_uint(arg, &u))
			return -1;
		o->seed = u;
		return 0;
	case OPT_TARGET_MDE:
		if (parse_pos(arg, true, &v) || !(v > 0))
			return -1;
		o->target_mde = v / 100;
		return 0;
	case OPT_STAT:
		if (strcmp(arg, "median") && strcmp(arg, "min"))
			return -1;
		o->floor = !strcmp(arg, "min");
		o->stat_set = true;
		return 0;
	}
	return -1;
}

static const char *by;		/* --by inject: one directory, its delays */
/* Presentation only: the statistics do not depend on these. */
static bool brief, ascii;

/* The flags; 1 when key is not one. */
static int parse_flag(int key, struct cmp_opts *o)
{
	switch (key) {
	case OPT_FDR: o->fdr = true; return 0;
	case OPT_PER_CELL: o->fdr = false; return 0;
	case OPT_PAIRED: o->paired = true; return 0;
	case OPT_ALLOW_MISMATCH: o->allow_mismatch = true; return 0;
	case OPT_BRIEF: brief = true; return 0;
	case OPT_ASCII: ascii = true; return 0;
	}
	return 1;
}

/* 0, 1 for --help, or -1 after saying what is wrong; *first: the first directory. */
static int parse_args(int argc, char **argv, struct cmp_opts *o, int *first)
{
	struct cli_parser p;
	int key, status;

	by = NULL;
	brief = ascii = false;
	cli_start(&p, &cmd_compare_help, argc, argv, false);
	while ((key = cli_next(&p)) >= 0) {
		if (key == OPT_BY) {
			by = p.arg;
			continue;
		}
		if (!parse_flag(key, o))
			continue;
		if (parse_opt(key, p.arg, o)) {
			errmsg("compare: bad value '%s' for --%s", p.arg, p.opt->name);
			return -1;
		}
	}
	status = cli_finish(&p, key);
	if (status >= 0)
		return status == EXIT_OK ? 1 : -1;	/* 1: the help was printed */
	*first = p.optind;
	if (brief && o->format != CMP_TEXT) {
		errmsg("compare: --brief is a text summary (drop --format)");
		return -1;
	}
	if (by && strcmp(by, "inject") && strcmp(by, "knob")) {
		errmsg("compare: --by %s: only --by inject and --by knob are supported", by);
		return -1;
	}
	if (by && argc - *first != 1) {
		errmsg("compare: --by %s takes one results directory", by);
		return -1;
	}
	if (!by && argc - *first < 2) {
		errmsg("compare: needs a BASE and at least one NEW results directory");
		return -1;
	}
	if (o->threshold_set && o->abs_threshold > 0) {
		errmsg("compare: --threshold and --abs-threshold exclude each other");
		return -1;
	}
	return 0;
}

/* One clock for every directory, and its defaults (cmp_opts_clock()). */
static int set_clock(const struct rr_dir *d, size_t n, struct cmp_opts *o)
{
	char err[512];

	if (!cmp_opts_clock(o, d, n, err, sizeof(err)))
		return 0;
	errmsg("compare: %s", err);
	return -1;
}

static void free_dirs(struct rr_dir *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rr_free(&d[i]);
	free(d);
}

/* BASE then every NEW; 0, or -1 after saying what is wrong with which. */
static int load_dirs(char **paths, size_t n, struct rr_dir *d)
{
	char err[1024];

	for (size_t i = 0; i < n; i++) {
		if (rr_load(paths[i], &d[i], err, sizeof(err))) {
			errmsg("compare: %s", err);
			return -1;
		}
		if (!d[i].nr_cells) {
			errmsg("compare: %s/results.jsonl: no cells in it (only fault or capacity "
			       "results: `uffdbench plot` draws those)", paths[i]);
			return -1;
		}
	}
	return 0;
}

/* The report, with --brief in short, with --ascii spelt in ASCII. */
static void print(const struct cmp_result *r, size_t nr, const struct cmp_opts *o, int status)
{
	FILE *f = stdout;
	char *text = NULL;
	size_t len = 0;

	cmp_ascii_mode = ascii;
	if (ascii)
		f = open_memstream(&text, &len);
	if (!f)
		abort();
	for (size_t i = 0; brief && i < nr; i++)
		cmp_print_brief(f, &r[i], o);
	if (!brief)
		cmp_print(f, r, nr, o, status);
	if (ascii) {
		fclose(f);
		cmp_ascii_write(stdout, text, len);
		free(text);
	}
	stdout_flush();
}

static int compare_all(struct rr_dir *d, size_t nr_new, const struct cmp_opts *o)
{
	struct cmp_result *r = xcalloc(nr_new, sizeof(*r));
	char (*err)[512] = xcalloc(nr_new, sizeof(*err));
	int status = EXIT_OK;

	for (size_t i = 0; i < nr_new; i++) {
		cmp_units_use_floor(o->floor);
		if (cmp_run(&d[0], &d[1 + i], o, &r[i], err[i], sizeof(err[i])))
			status = EXIT_USAGE;
		else if (r[i].nr_slower && status != EXIT_USAGE)
			status = EXIT_BAD_RESULT;
		else if (r[i].nr_undecided && status == EXIT_OK)
			status = EXIT_UNDECIDED;
	}
	/* Nothing to compare is bad input: say so alone, not under a report. */
	if (status != EXIT_USAGE)
		print(r, nr_new, o, status);
	stdout_flush();
	for (size_t i = 0; i < nr_new; i++) {
		if (err[i][0])
			errmsg("compare: %s", err[i]);
		cmp_result_free(&r[i]);
	}
	free(err);
	free(r);
	return status;
}

/* --by inject DIR: each delay against the smallest, repeat k with repeat k. */
static int compare_by(struct rr_dir *dir, struct cmp_opts *o)
{
	struct rr_dir *parts;
	char err[512];
	size_t n;
	int ret;

	if (cmp_split_by(dir, by, &parts, &n, err, sizeof(err))) {
		errmsg("compare: %s", err);
		free_dirs(dir, 1);
		return EXIT_USAGE;
	}
	o->paired = true;	/* interleaved in every repeat process */
	ret = compare_all(parts, n - 1, o);
	cmp_views_free(parts, n);
	free_dirs(dir, 1);
	return ret;
}

int cmd_compare(int argc, char **argv)
{
	struct cmp_opts o = CMP_OPTS_DEFAULT;
	struct rr_dir *dirs;
	size_t n;
	int first, ret = parse_args(argc, argv, &o, &first);

	if (ret > 0)
		return EXIT_OK;	/* --help */
	if (ret < 0)
		return EXIT_USAGE;	/* said in one line */
	n = argc - first;
	dirs = xcalloc(n, sizeof(*dirs));
	if (load_dirs(argv + first, n, dirs) || set_clock(dirs, n, &o)) {
		free_dirs(dirs, n);
		return EXIT_USAGE;
	}
	if (by)
		return compare_by(dirs, &o);
	ret = compare_all(dirs, n - 1, &o);
	free_dirs(dirs, n);
	return ret;
}
