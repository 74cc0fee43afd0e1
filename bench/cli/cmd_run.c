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
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const struct cli_help cmd_run_help = {
	.head =
	"usage: uffdbench run [--suite NAME] [options]\n\n"
	"Measure every cell of a matrix: memory type x ioctl x batch x threads\n"
	"(x placement, with the NUMA options).\n"
	"Options given after --suite override the suite's settings.\n\n"
	"  --suite NAME        a named matrix (uffdbench list shows them)\n"
	"  --memtype LIST      memory types, or all                     [all]\n"
	"  --ioctl LIST        {ioctls} (uffdbench list), or all [all]\n"
	"  --batch LIST        pages per ioctl                           [1,64]\n"
	"  --threads LIST      threads, each its own range and CPU; all = as\n"
	"                      many as the policy fits (cores for core)  [1]\n"
	"  --size SIZE         range per thread (64M, 1G) or auto: 64M,\n"
	"                      16M under icount                          [auto]\n"
	"  --rounds N          timed rounds kept per cell                [10]\n"
	"  --warmup N          rounds discarded first                    [1]\n"
	"  --verify MODE       sample (64 pages/round) or full           [sample]\n"
	"  --policy P          thread pinning: core, compact, scatter    [core]\n"
	"  --oversubscribe     allow more threads than the policy fits\n"
	"  --placement K       NUMA placement cells: local (each node's CPUs and\n"
	"                      memory), remote, all (CPU node x memory node), or\n"
	"                      interleave (each CPU node, memory interleaved)\n"
	"  --cpu-node LIST     pin threads to these nodes' CPUs, a cell each, or any\n"
	"  --mem-node LIST     bind the destination memory (mbind) to these nodes, a\n"
	"                      cell each; local = the CPU node; interleave; or any\n"
	"  --src-node N        bind the COPY source buffer: N, local or any  [local]\n"
	"  --inject-ns LIST    busy-wait N ns per page inside the timed loop (a known\n"
	"                      regression); a list makes it a matrix dimension,\n"
	"                      each delay against the smallest: compare --by inject [0]\n"
	"  --knob PATH=LIST    write each value to a sysfs/procfs file before its\n"
	"                      cells (read back, restored on exit, SIGKILL too); a\n"
	"                      matrix dimension like --inject-ns; one per run\n"
	"  --repeat N          run the matrix N times in fresh processes, cell order\n"
	"                      shuffled per repeat (compare uses the repeats)   [1]\n"
	"  --out DIR           results directory\n"
	"                      [results/<date>[.N]-<host>-<release>[-label]]\n"
	"  --label TEXT        suffix of the default results directory name\n"
	"                      (no / or ..)\n"
	"  --perf              per-thread perf counters around each timed pass, per\n"
	"                      page, in results.jsonl (software counters; hardware\n"
	"                      ones where the machine has a PMU)\n"
	"  --suite-dir DIR     where suites are read [../share/uffdbench/suites\n"
	"                      beside the binary, else the source tree's]\n"
	"  --dry-run           list the cells, and the skipped ones with the reason,\n"
	"                      with an estimate of the time; measure nothing\n"
	"  --quiet             no table and no progress, only the summary line\n\n"
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

enum { OPT_SUITE = 256, OPT_POLICY, OPT_OVERSUB, OPT_REPEAT, OPT_REPEAT_INDEX, OPT_OUT,
       OPT_LABEL, OPT_QUIET, OPT_PERF, OPT_SPEC, OPT_PLACE, OPT_SUITE_DIR, OPT_DRY_RUN };

static const struct option long_opts[] = {
	{ "suite", required_argument, NULL, OPT_SUITE },
	{ "memtype", required_argument, NULL, OPT_SPEC },
	{ "ioctl", required_argument, NULL, OPT_SPEC },
	{ "batch", required_argument, NULL, OPT_SPEC },
	{ "threads", required_argument, NULL, OPT_SPEC },
	{ "size", required_argument, NULL, OPT_SPEC },
	{ "rounds", required_argument, NULL, OPT_SPEC },
	{ "warmup", required_argument, NULL, OPT_SPEC },
	{ "verify", required_argument, NULL, OPT_SPEC },
	{ "inject-ns", required_argument, NULL, OPT_SPEC },
	{ "knob", required_argument, NULL, OPT_SPEC },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "placement", required_argument, NULL, OPT_PLACE },
	{ "cpu-node", required_argument, NULL, OPT_PLACE },
	{ "mem-node", required_argument, NULL, OPT_PLACE },
	{ "src-node", required_argument, NULL, OPT_PLACE },
	{ "oversubscribe", no_argument, NULL, OPT_OVERSUB },
	{ "repeat", required_argument, NULL, OPT_REPEAT },
	{ "repeat-index", required_argument, NULL, OPT_REPEAT_INDEX },	/* internal */
	{ "out", required_argument, NULL, OPT_OUT },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "perf", no_argument, NULL, OPT_PERF },
	{ "suite-dir", required_argument, NULL, OPT_SUITE_DIR },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

/* Pass 1 loads the suite (from --suite-dir), pass 2 lets every other option override it. */
static void parse_args(int argc, char **argv, struct run_args *a)
{
	const char *suite = NULL;
	char err[256];
	int c, idx;

	spec_defaults(&a->spec);
	a->policy = PIN_CORE;
	place_opts_init(&a->place);
	a->repeat = 1;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		if (c == OPT_SUITE)
			suite = optarg;
		if (c == OPT_SUITE_DIR)
			suite_dir_set(optarg);
	}
	if (suite && spec_load_suite(&a->spec, suite, err, sizeof(err)))
		die_usage("%s", err);
	/* the suite's placement first: the command line's options override it */
	for (unsigned i = 0; i < a->spec.nr_place; i++)
		if (place_opts_set(&a->place, a->spec.place[i].key, a->spec.place[i].val, err,
				   sizeof(err)))
			die_usage("suite: %s", err);
	opterr = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_opts, &idx)) != -1) {
		switch (c) {
		case OPT_SUITE: case OPT_SUITE_DIR: break;
		case OPT_DRY_RUN: a->dry_run = true; break;
		case OPT_SPEC:
			if (spec_set(&a->spec, long_opts[idx].name, optarg, err, sizeof(err)))
				die_usage("--%s: %s", long_opts[idx].name, err);
			break;
		case OPT_POLICY:
			a->policy = pin_policy_parse(optarg);
			if ((int)a->policy < 0)
				die_usage("unknown --policy '%s' (core, compact, scatter)", optarg);
			break;
		case OPT_PLACE:
			if (place_opts_set(&a->place, long_opts[idx].name, optarg, err, sizeof(err)))
				die_usage("--%s: %s", long_opts[idx].name, err);
			break;
		case OPT_OVERSUB: a->spec.oversubscribe = true; break;
		case OPT_REPEAT:
			if (parse_uint(optarg, &a->repeat) || !a->repeat || a->repeat > 1000)
				die_usage("bad --repeat '%s': want 1..1000", optarg);
			break;
		case OPT_REPEAT_INDEX:
			if (parse_uint(optarg, &a->repeat_index))
				die_usage("bad --repeat-index '%s'", optarg);
			a->is_repeat_child = true;
			break;
		case OPT_OUT: a->out = optarg; break;
		case OPT_LABEL:
			if (results_check_label(optarg, err, sizeof(err)))
				die_usage("%s", err);
			a->label = optarg;
			break;
		case OPT_QUIET: a->quiet = true; break;
		case OPT_PERF: a->perf = true; break;
		case 'h': help_print(stdout, &cmd_run_help); exit(EXIT_OK);
		default: exit(EXIT_USAGE);
		}
	}
	if (optind < argc)
		die_usage("run: unexpected argument '%s'", argv[optind]);
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
