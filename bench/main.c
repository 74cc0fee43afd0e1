// SPDX-License-Identifier: MIT
/* uffdbench: one CLI, one table of subcommands. */
#include "cli/commands.h"
#include "core/common.h"

#include <stdio.h>
#include <string.h>

const struct command commands[] = {
	{ "list", cmd_list, "memory types, ioctls, workloads and suites" },
	{ "caps", cmd_caps, "what this kernel allows: register / ioctl / errno matrix" },
	{ "run", cmd_run, "measure a matrix of cells and store the results" },
	{ "compare", cmd_compare, "compare results directories: verdicts per cell, delta alpha/beta, env and caps" },
	{ "plot", cmd_plot, "figures (gnuplot) and a report.md from results directories" },
	{ "topo", cmd_topo, "the machine's topology and the placements it allows" },
	{ "fault", cmd_fault, "real faults resolved by handler threads: faults/s, latency, handler CPU" },
	{ "capacity", cmd_capacity, "how many handler threads a fault load needs here" },
	{ "stress", cmd_stress, "race the ioctls against zaps, punches and faults; check every page" },
};
const unsigned nr_commands = ARRAY_SIZE(commands);

int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: uffdbench COMMAND [options]   (COMMAND --help for its options)\n\n");
	for (unsigned i = 0; i < nr_commands; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	for (unsigned i = 0; i < nr_commands; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	errmsg("unknown command '%s' (try: uffdbench --help)", argv[1]);
	return EXIT_USAGE;
}
