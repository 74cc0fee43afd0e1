// SPDX-License-Identifier: MIT
/* uffdbench: one CLI, one table of subcommands. */
#include "cli/commands.h"
#include "core/alloc.h"
#include "core/common.h"
#include "core/version.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const struct command commands[] = {
	{ "list", cmd_list, "memory types, ioctls, workloads and suites", &cmd_list_help },
	{ "caps", cmd_caps, "what this kernel allows: register / ioctl / errno matrix",
	  &cmd_caps_help },
	{ "run", cmd_run, "measure a matrix of cells and store the results", &cmd_run_help },
	{ "compare", cmd_compare, "is NEW slower than BASE: % change per cell, verdicts",
	  &cmd_compare_help },
	{ "plot", cmd_plot, "figures (gnuplot) and a report.md from results directories",
	  &cmd_plot_help },
	{ "export", cmd_export, "results as CSV or TSV: one row per cell (or round)",
	  &cmd_export_help },
	{ "topo", cmd_topo, "the machine's topology and the placements it allows",
	  &cmd_topo_help },
	{ "fault", cmd_fault, "real faults resolved by handler threads: rate, latency",
	  &cmd_fault_help },
	{ "capacity", cmd_capacity, "how many handler threads a fault load needs here",
	  &cmd_capacity_help },
	{ "stress", cmd_stress, "race the ioctls against zaps, punches and faults",
	  &cmd_stress_help },
	{ "merge", cmd_merge, "several results directories as one, repeats renumbered",
	  &cmd_merge_help },
	{ "split", cmd_split, "one results directory in parts: by repeat parity or delay",
	  &cmd_split_help },
	{ "json", cmd_json, "write and read JSON for scripts (boot.json, env.json, ...)",
	  &cmd_json_help },
	{ "profdiff", cmd_profdiff, "kernel functions' share of two sides' perf profiles",
	  &cmd_profdiff_help },
	{ "attribute", cmd_attribute, "instructions per kernel function, from kernel-ab's qemu plugin",
	  &cmd_attribute_help },
	{ "calibrate", cmd_calibrate, "this CPU's cost of a call, a thunk, an instruction: the model",
	  &cmd_calibrate_help },
	{ "help", cmd_help, "this list, a command's help, or the man page (--man)",
	  &cmd_help_help },
};
const unsigned nr_commands = ARRAY_SIZE(commands);

int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	return 0;
}

const struct command *command_find(const char *name)
{
	for (unsigned i = 0; i < nr_commands; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

void commands_usage(FILE *f)
{
	fprintf(f, "usage: uffdbench COMMAND [options]   (uffdbench help COMMAND: its options)\n"
		"       uffdbench --version\n\n");
	for (unsigned i = 0; i < nr_commands; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

/*
 * Every command's output ends here: a write to stdout that failed (a full
 * disk, /dev/full, a closed pipe's EIO) is named and the exit is 2, unless a
 * bad result already makes it 1.  main() returns through finish(); the paths
 * that call exit() (die_usage, --help in option parsing) through
 * finish_at_exit(), registered first so that it runs last.
 */
static int finish(int status)
{
	int ret = stdout_close();

	if (!ret)
		return status;
	errmsg("cannot write to standard output: %s", strerror(-ret));
	return status == EXIT_BAD_RESULT ? status : EXIT_USAGE;
}

static void finish_at_exit(void)
{
	int ret = stdout_close();

	if (!ret)
		return;
	errmsg("cannot write to standard output: %s", strerror(-ret));
	_exit(EXIT_USAGE);
}

static int dispatch(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		errmsg("no command given (uffdbench --help lists them)");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		commands_usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("uffdbench %s (git %s)\n", UFFDBENCH_VERSION, UFFDBENCH_GIT_REV);
		return EXIT_OK;
	}
	cmd = command_find(argv[1]);
	if (cmd)
		return cmd->run(argc - 1, argv + 1);
	errmsg("unknown command '%s' (try: uffdbench --help)", argv[1]);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	atexit(finish_at_exit);
	json_set_alloc_funcs(xmalloc, free);	/* out of memory aborts (core/alloc.h) */
	return finish(dispatch(argc, argv));
}
