/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_COMMANDS_H
#define UFFDBENCH_COMMANDS_H

/*
 * One file per subcommand (bench/cli/cmd_*.c).  Each takes argv with argv[0]
 * being its own name, handles --help itself, and returns an exit status
 * (see common.h).
 */
struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
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

extern const struct command commands[];
extern const unsigned nr_commands;

/* True when argv holds -h/--help; commands print usage and return 0. */
int wants_help(int argc, char **argv);

#endif
