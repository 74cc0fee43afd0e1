// SPDX-License-Identifier: MIT
/*
 * uffdbench run: expand the matrix, decide which cells can run here (and
 * say why not), then measure each one and append it to results.jsonl.
 */
#include "machine/caps.h"
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "machine/clock.h"
#include "machine/env.h"
#include "run/harness.h"
#include "machine/hugepages.h"
#include "machine/knob.h"
#include "results/results.h"
#include "run/run.h"
#include "run/spec.h"
#include "machine/topo.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_SUITE, OPT_POLICY, OPT_OVERSUB, OPT_REPEAT, OPT_REPEAT_INDEX, OPT_OUT, OPT_LABEL,
       OPT_QUIET, OPT_PERF, OPT_SPEC, OPT_PLACE, OPT_SUITE_DIR, OPT_DRY_RUN };

static const struct cli_opt run_opts[] = {
	{ "suite", "NAME", OPT_SUITE, "a named matrix (uffdbench list shows them)",
	  .values = "@suites" },
	{ "memtype", "LIST", OPT_SPEC, "memory types, or all", "all", "@list @memtypes all" },
	{ "ioctl", "LIST", OPT_SPEC, "{ioctls} (uffdbench list), or all", "all",
	  "@list @ioctls all" },
	{ "batch", "LIST", OPT_SPEC, "pages per ioctl", "1,64" },
	{ "threads", "LIST", OPT_SPEC, "threads, each its own range and CPU; all = as many as "
	  "the policy fits (cores for core)", "1" },
	{ "size", "SIZE", OPT_SPEC, "range per thread (64M, 1G) or auto: 64M, 16M under icount",
	  "auto" },
	{ "rounds", "N", OPT_SPEC, "timed rounds kept per cell", "10" },
	{ "warmup", "N", OPT_SPEC, "rounds discarded first", "1" },
	{ "verify", "MODE", OPT_SPEC, "sample (64 pages/round) or full", "sample", "sample full" },
	{ "policy", "P", OPT_POLICY, "thread pinning: core, compact, scatter", "core",
	  "core compact scatter" },
	{ "oversubscribe", NULL, OPT_OVERSUB, "allow more threads than the policy fits" },
	{ "placement", "K", OPT_PLACE, "NUMA placement cells: local (each node's CPUs and "
	  "memory), remote, all (CPU node x memory node), or interleave (each CPU node, memory "
	  "interleaved)", .values = "local remote all interleave" },
	{ "cpu-node", "LIST", OPT_PLACE, "pin threads to these nodes' CPUs, a cell each, or any" },
	{ "mem-node", "LIST", OPT_PLACE, "bind the destination memory (mbind) to these nodes, a "
	  "cell each; local = the CPU node; interleave; or any" },
	{ "src-node", "N", OPT_PLACE, "bind the COPY source buffer: N, local or any", "local" },
	{ "inject-ns", "LIST", OPT_SPEC, "busy-wait N ns per page inside the timed loop (a known "
	  "regression); a list makes it a matrix dimension, each delay against the smallest: "
	  "compare --by inject", "0" },
	{ "knob", "PATH=LIST", OPT_SPEC, "write each value to a sysfs/procfs file before its "
	  "cells (read back, restored on exit, SIGKILL too); a matrix dimension like "
	  "--inject-ns; one per run" },
	{ "repeat", "N", OPT_REPEAT, "run the matrix N times in fresh processes, cell order "
	  "shuffled per repeat (compare uses the repeats)", "1" },
	{ "repeat-index", "N", OPT_REPEAT_INDEX, .flags = CLI_HIDDEN },
	{ "out", "DIR", OPT_OUT, "results directory",
	  "results/<date>[.N]-<host>-<release>[-label]", "@dir" },
	{ "label", "TEXT", OPT_LABEL, "suffix of the default results directory name (no / or ..)" },
	{ "perf", NULL, OPT_PERF, "per-thread perf counters around each timed pass, per page, in "
	  "results.jsonl (software counters; hardware ones where the machine has a PMU)" },
	{ "suite-dir", "DIR", OPT_SUITE_DIR, "where suites are read",
	  "../share/uffdbench/suites beside the binary, else the source tree's", "@dir" },
	{ "dry-run", NULL, OPT_DRY_RUN, "list the cells, and the skipped ones with the reason, "
	  "with an estimate of the time; measure nothing" },
	{ "quiet", NULL, OPT_QUIET, "no table and no progress, only the summary line" },
	{ 0 }
};

const struct cli_help cmd_run_help = {
	.head =
	"usage: uffdbench run [--suite NAME] [options]\n\n"
	"Measure every cell of a matrix: memory type x ioctl x batch x threads\n"
	"(x placement, with the NUMA options).\n"
	"Options given after --suite override the suite's settings.\n\n",
	.opts = run_opts,
	.tail =
	"Cells with hugetlb memory types raise vm.nr_hugepages as far as they need and\n"
	"restore it on every exit (SIGKILL too); without one the pool is not touched.\n"
	"On a terminal, progress (cell N/M, elapsed, time left) is one line on stderr,\n"
	"cleared at the end; piped or with --quiet there are no escape codes.\n\n"
	"Examples:\n"
	"  uffdbench run --suite quick\n"
	"  uffdbench run --suite series-check --repeat 5 --label base --dry-run\n"
	"  uffdbench run --memtype shmem-memfd,anon --ioctl continue,copy \\\n"
	"                --batch 1,8,64 --threads 1,2 --rounds 10 --label mytest\n\n"
	"Exit: 0 all cells ran or were skipped with a reason; 1 a cell failed;\n"
	"2 bad input or nothing can run; 130/143 interrupted (finished cells kept).\n",
};

/* Pass 1: the suite (from --suite-dir), before any option that overrides it. */
static void load_suite(int argc, char **argv, struct run_args *a)
{
	struct cli_parser p;
	const char *suite = NULL;
	char err[256];
	int key;

	cli_start(&p, &cmd_run_help, argc, argv, true);
	while ((key = cli_next(&p)) != CLI_END) {
		if (key == OPT_SUITE)
			suite = p.arg;
		if (key == OPT_SUITE_DIR)
			suite_dir_set(p.arg);
	}
	if (suite && spec_load_suite(&a->spec, suite, err, sizeof(err)))
		die_usage("%s", err);
	/* the suite's placement first: the command line's options override it */
	for (unsigned i = 0; i < a->spec.nr_place; i++)
		if (place_opts_set(&a->place, a->spec.place[i].key, a->spec.place[i].val, err,
				   sizeof(err)))
			die_usage("suite: %s", err);
}

static void parse_opt(const struct cli_parser *p, int key, struct run_args *a)
{
	const char *name = p->opt->name, *arg = p->arg;
	char err[256];

	switch (key) {
	case OPT_DRY_RUN: a->dry_run = true; break;
	case OPT_SPEC:
		if (spec_set(&a->spec, name, arg, err, sizeof(err)))
			die_usage("--%s: %s", name, err);
		break;
	case OPT_POLICY:
		a->policy = pin_policy_parse(arg);
		if ((int)a->policy < 0)
			die_usage("unknown --policy '%s' (core, compact, scatter)", arg);
		break;
	case OPT_PLACE:
		if (place_opts_set(&a->place, name, arg, err, sizeof(err)))
			die_usage("--%s: %s", name, err);
		break;
	case OPT_OVERSUB: a->spec.oversubscribe = true; break;
	case OPT_REPEAT:
		if (parse_uint(arg, &a->repeat) || !a->repeat || a->repeat > 1000)
			die_usage("bad --repeat '%s': want 1..1000", arg);
		break;
	case OPT_REPEAT_INDEX:
		if (parse_uint(arg, &a->repeat_index))
			die_usage("bad --repeat-index '%s'", arg);
		a->is_repeat_child = true;
		break;
	case OPT_OUT: a->out = arg; break;
	case OPT_LABEL:
		if (results_check_label(arg, err, sizeof(err)))
			die_usage("%s", err);
		a->label = arg;
		break;
	case OPT_QUIET: a->quiet = true; break;
	case OPT_PERF: a->perf = true; break;
	}
}

/* Pass 1 loads the suite, pass 2 lets every other option override it. */
static void parse_args(int argc, char **argv, struct run_args *a)
{
	struct cli_parser p;
	int key, status;

	spec_defaults(&a->spec);
	a->policy = PIN_CORE;
	place_opts_init(&a->place);
	a->repeat = 1;
	load_suite(argc, argv, a);
	cli_start(&p, &cmd_run_help, argc, argv, false);
	while ((key = cli_next(&p)) >= 0)
		parse_opt(&p, key, a);
	status = cli_finish(&p, key);
	if (status >= 0)
		exit(status);
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = { 0 };

	enum bench_clock clk;
	char err[400];

	parse_args(argc, argv, &a);
	if (a.spec.knob_path[0] && knob_check(a.spec.knob_path, a.spec.knob_vals,
					      a.spec.nr_knob_vals, err, sizeof(err)))
		die_usage("run: %s", err);
	if (bench_clock_detect(&clk, err, sizeof(err)))
		die_usage("run: %s", err);
	if (a.repeat > 1 && !a.is_repeat_child && !a.dry_run)
		return run_repeats(&a, argc, argv);
	return run_matrix(&a, argc, argv);
}
