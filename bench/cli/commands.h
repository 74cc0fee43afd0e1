/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_COMMANDS_H
#define UFFDBENCH_COMMANDS_H

#include "cli/opt.h"

#include <stdio.h>

/*
 * One file per subcommand (bench/cli/cmd_*.c).  Each takes argv with argv[0]
 * being its own name, handles --help itself, and returns an exit status
 * (see common.h).
 */
struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const struct cli_help *help;	/* --help, help COMMAND, the man page, completion */
};

int cmd_list(int argc, char **argv);
int cmd_caps(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_topo(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_fault(int argc, char **argv);
int cmd_capacity(int argc, char **argv);
int cmd_stress(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_split(int argc, char **argv);
int cmd_json(int argc, char **argv);
int cmd_profdiff(int argc, char **argv);
int cmd_attribute(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* Each command's --help text; every line fits in 80 columns (tested). */
extern const struct cli_help cmd_list_help, cmd_caps_help, cmd_run_help, cmd_topo_help,
	cmd_compare_help, cmd_plot_help, cmd_fault_help, cmd_capacity_help,
	cmd_stress_help, cmd_export_help, cmd_merge_help, cmd_split_help,
	cmd_json_help, cmd_profdiff_help, cmd_attribute_help, cmd_calibrate_help,
	cmd_help_help;

extern const struct command commands[];
extern const unsigned nr_commands;

/*
 * errmsg() (common.h), then exit(EXIT_USAGE): for option parsing in cli/
 * only; below cli/ errors are returned (die_usage.c).
 */
void __attribute__((noreturn, format(printf, 1, 2))) die_usage(const char *fmt, ...);
/* True when argv holds -h/--help; commands print usage and return 0. */
int wants_help(int argc, char **argv);
/* The command called name, or NULL. */
const struct command *command_find(const char *name);
/* "usage: uffdbench COMMAND ..." and the list of commands. */
void commands_usage(FILE *f);

#endif
