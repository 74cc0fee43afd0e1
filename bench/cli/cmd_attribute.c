// SPDX-License-Identifier: MIT
/* uffdbench attribute [--base DIR]... DIR...: instructions per kernel function. */
#include "attr/attr.h"
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "machine/callcost.h"
#include "plot/plot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_BASE, OPT_SYMS, OPT_TOP, OPT_MIN, OPT_DELTAS, OPT_PLOT, OPT_COST, OPT_WALL_A,
       OPT_WALL_B };

static const struct cli_opt attribute_opts[] = {
	{ "base", "DIR", OPT_BASE, "a boot directory of kernel A (repeat for more boots)",
	  .values = "@dir" },
	{ "syms", "FILE", OPT_SYMS, "more symbols, kallsyms or `nm` lines (the guest "
	  "binary's)", .values = "@file" },
	{ "top", "N", OPT_TOP, "functions per cell, largest first (0: all)", "25" },
	{ "min", "X", OPT_MIN, "hide functions under X instructions/page on both", "0.05" },
	{ "deltas", "M/I", OPT_DELTAS, "only lines \"function\" d/page d/ioctl (differences "
	  "in instructions, the batch fit; nan with one batch) of memtype M, ioctl I (needs "
	  "--base): a plot's data" },
	{ "plot", "DIR", OPT_PLOT, "with --base: a bar chart of the per-function difference "
	  "per memory type and ioctl, DIR/attr-M-I.png (.dat, .gp)", .values = "@dir" },
	{ "cost", "FILE", OPT_COST, "with --base: under each answer the predicted difference "
	  "in ns/page and ns/ioctl on this machine, from the model of `uffdbench calibrate "
	  "--out FILE`", .values = "@file" },
	{ "wall-a", "DIR", OPT_WALL_A, "with --cost: kernel A's results directory of a "
	  "wall-clock A/B of the same kernels (kernel-ab --clock wall: OUT/A); their measured "
	  "difference per page is printed beside the prediction", .values = "@dir" },
	{ "wall-b", "DIR", OPT_WALL_B, "with --wall-a: kernel B's (OUT/X)", .values = "@dir" },
	{ 0 }
};

const struct cli_help cmd_attribute_help = {
	.head =
	"usage: uffdbench attribute [--base DIR]... [--syms FILE]... [--top N]\n"
	"                           [--min X] [--deltas MEMTYPE/IOCTL] [--plot DIR]\n"
	"                           [--cost FILE [--wall-a DIR --wall-b DIR]] DIR...\n\n"
	"Where the instructions of the timed passes went, per function, from the\n"
	"attribution boots of scripts/kernel-ab: each DIR is a boot directory with\n"
	"attr.txt (the qemu plugin's counts per instruction address, only inside\n"
	"the timed single-thread passes), kallsyms (the guest's) and results.jsonl.\n"
	"Boots of one kernel are pooled.  Per cell: instructions and indirect calls\n"
	"or jumps (native, or a call of an __x86_indirect_*thunk*) per page, per\n"
	"function; the calls of each thunk; and the check that the plugin's count\n"
	"of every pass equals its clock (under icount, wall_ns is instructions).\n"
	"With --base, the boots of kernel A against those of DIR (B): per function\n"
	"A, B and the difference, functions of one kernel only marked new or gone,\n"
	"then one answer line per memory type and ioctl, per page and per ioctl\n"
	"from the fit over the batch sizes.  bench/docs/attribution.md has more.\n\n",
	.opts = attribute_opts,
	.tail =
	"Examples:\n"
	"  uffdbench attribute OUT/boot-1-A\n"
	"  uffdbench attribute --base OUT/boot-1-A --base OUT/boot-3-A \\\n"
	"      OUT/boot-2-B OUT/boot-4-B\n"
	"  uffdbench attribute --base OUT/boot-1-A --deltas shmem-memfd/continue \\\n"
	"      OUT/boot-2-B\n"
	"  uffdbench attribute --base OUT/boot-1-A --plot OUT OUT/boot-2-B\n"
	"  uffdbench attribute --base OUT/boot-1-A --cost cal.json OUT/boot-2-B\n\n"
	"Exit status: 0 every pass's count equals its clock; 1 some differ (named\n"
	"on stderr); 2 bad input (a missing file, cells that do not match).\n",
	.operands = "@dir",
};

struct attr_args {
	char **base, **syms, **dirs;
	size_t nbase, nsyms, ndirs;
	struct attr_report_opts o;
	char *deltas, *plot, *cost;
	struct cc_model model;
};

static void push(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

static void parse(int argc, char **argv, struct attr_args *a)
{
	struct cli_parser p;
	char *end;
	int key, status;

	cli_start(&p, &cmd_attribute_help, argc, argv, false);
	while ((key = cli_next(&p)) >= 0) {
		char *arg = (char *)p.arg;	/* one of argv's strings */

		switch (key) {
		case OPT_BASE: push(&a->base, &a->nbase, arg); break;
		case OPT_SYMS: push(&a->syms, &a->nsyms, arg); break;
		case OPT_TOP:
			a->o.top = strtoul(arg, &end, 10);
			if (*end || !*arg)
				die_usage("attribute: --top wants a number, not '%s'", arg);
			break;
		case OPT_MIN:
			a->o.min = strtod(arg, &end);
			if (*end || !*arg || a->o.min < 0)
				die_usage("attribute: --min wants a number >= 0, not '%s'", arg);
			break;
		case OPT_DELTAS: a->deltas = arg; break;
		case OPT_PLOT: a->plot = arg; break;
		case OPT_COST: a->cost = arg; break;
		case OPT_WALL_A: a->o.wall_a = arg; break;
		case OPT_WALL_B: a->o.wall_b = arg; break;
		}
	}
	status = cli_finish(&p, key);
	if (status >= 0)
		exit(status);
	for (int i = p.optind; i < argc; i++)
		push(&a->dirs, &a->ndirs, argv[i]);
	if (!a->ndirs)
		die_usage("attribute: name at least one boot directory (--help for more)");
	if (a->deltas && (!a->nbase || !strchr(a->deltas, '/')))
		die_usage("attribute: --deltas wants MEMTYPE/IOCTL and --base");
	if (a->plot && !a->nbase)
		die_usage("attribute: --plot draws B against A: it needs --base");
	if (a->cost && !a->nbase)
		die_usage("attribute: --cost predicts B against A: it needs --base");
	if (!a->o.wall_a != !a->o.wall_b)
		die_usage("attribute: --wall-a and --wall-b go together");
	if (a->o.wall_a && !a->cost)
		die_usage("attribute: --wall-a/--wall-b sit beside a prediction: they need --cost");
	if (a->cost) {
		char err[1024];

		if (cc_model_load(a->cost, &a->model, err, sizeof(err)))
			die_usage("attribute: --cost %s", err);
		a->o.cost = &a->model;
	}
}

static unsigned bad_passes(const struct attr_set *s)
{
	unsigned n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += s->c[i].bad_passes;
	return n;
}

static int load_all(struct attr_set *set, char **dirs, size_t n, const struct attr_args *a)
{
	char err[1024];

	for (size_t i = 0; i < n; i++) {
		if (attr_load_boot(set, dirs[i], a->syms, a->nsyms, stderr, err, sizeof(err))) {
			errmsg("attribute: %s: %s", dirs[i], err);
			return -1;
		}
	}
	return 0;
}

static void print_deltas(const struct attr_set *a, const struct attr_set *b, char *mt_io,
			 unsigned top)
{
	char *io = strchr(mt_io, '/');

	*io++ = 0;
	attr_delta_table(stdout, a, b, mt_io, io, top ? top : 1000000);
}

/* Each memtype/ioctl of A with a cell in B: one figure.  0, or -1 when one failed. */
static int plots(const struct attr_set *a, const struct attr_set *b, const char *dir, unsigned top)
{
	const char *gnuplot = plot_find_gnuplot();
	char path[4096];
	int ret = 0;

	if (!gnuplot) {
		errmsg("attribute: --plot needs gnuplot (apt-get install gnuplot-nox)");
		return -1;
	}
	for (size_t i = 0; i < a->n; i++) {
		bool seen = false;

		for (size_t k = 0; k < i; k++)
			seen |= !strcmp(a->c[k].memtype, a->c[i].memtype) &&
				!strcmp(a->c[k].ioctl, a->c[i].ioctl);
		if (seen)
			continue;
		if (attr_plot(dir, gnuplot, a, b, a->c[i].memtype, a->c[i].ioctl, top ? top : 25,
			      path, sizeof(path))) {
			errmsg("attribute: gnuplot failed on %s", path);
			ret = -1;
			continue;
		}
		printf("plot: %s\n", path);
	}
	return ret;
}

int cmd_attribute(int argc, char **argv)
{
	struct attr_args a = { .o = { .top = 25, .min = 0.05 } };
	struct attr_set sa = { 0 }, sb = { 0 };
	int ret = EXIT_USAGE;

	parse(argc, argv, &a);
	if (load_all(&sb, a.dirs, a.ndirs, &a) || load_all(&sa, a.base, a.nbase, &a))
		goto out;
	if (a.deltas)
		print_deltas(&sa, &sb, a.deltas, a.o.top);
	else if (a.plot && plots(&sa, &sb, a.plot, a.o.top))
		goto out;
	else if (a.nbase && !a.plot)
		attr_print_compare(stdout, &sa, &sb, &a.o);
	else if (!a.plot)
		attr_print(stdout, &sb, &a.o);
	ret = bad_passes(&sa) + bad_passes(&sb) ? EXIT_BAD_RESULT : EXIT_OK;
	if (ret)
		errmsg("attribute: %u pass(es) whose instruction count differs from the clock",
		       bad_passes(&sa) + bad_passes(&sb));
	if (fflush(stdout))
		ret = EXIT_USAGE;
out:
	attr_set_free(&sa);
	attr_set_free(&sb);
	free(a.base);
	free(a.syms);
	free(a.dirs);
	return ret;
}
