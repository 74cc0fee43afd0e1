/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_CLI_COMPLETE_H
#define UFFDBENCH_CLI_COMPLETE_H

/*
 * What `list --names` and `list --values` print for scripts and bash
 * completion (bench/docs/uffdbench.bash-completion), from the tables: the
 * commands, memory types, ioctls, suites, scenarios, and each command's
 * option table (cli/opt.h).  Both return an exit status.
 */
int list_names(const char *what);
/*
 * "COMMAND:OPTION": the words OPTION's value takes (@flag: it takes none);
 * "COMMAND": its operands.
 */
int list_values(const char *spec);

#endif
