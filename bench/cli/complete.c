// SPDX-License-Identifier: MIT
/*
 * Names and values for scripts and completion, one a line, all from the
 * tables (commands[], memtypes[], ioctls[], the suites on disk,
 * stress_scenarios[], each command's options).
 */
#include "cli/commands.h"
#include "cli/complete.h"
#include "cli/opt.h"
#include "core/alloc.h"
#include "core/common.h"
#include "ioctls/ioctl.h"
#include "memtypes/memtype.h"
#include "run/spec.h"
#include "stress/scenario.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int suite_names(void)
{
	struct dirent **ents;
	int n = scandir(suite_dir(), &ents, NULL, by_name);

	if (n < 0) {
		errmsg("list: cannot read the suite directory %s: %s", suite_dir(), strerror(errno));
		return EXIT_USAGE;
	}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(ents[i]->d_name);

		if (len > 6 && !strcmp(ents[i]->d_name + len - 6, ".suite"))
			printf("%.*s\n", (int)(len - 6), ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	return EXIT_OK;
}

/* A command's options, from its table; --help last. */
static void option_names(const struct cli_help *h)
{
	for (const struct cli_opt *o = h->opts; o && o->name; o++)
		if (!(o->flags & CLI_HIDDEN))
			printf("--%s\n", o->name);
	printf("--help\n");
}

static void print_ops(unsigned mask)
{
	for (int op = 0; op < UOP_NR; op++)
		if (mask & (1u << op))
			printf("%s\n", uop_name(op));
}

/* The names a table holds; 1 when what names no table. */
static int table_names(const char *what, int *status)
{
	*status = EXIT_OK;
	if (!strcmp(what, "commands"))
		for (unsigned i = 0; i < nr_commands; i++)
			printf("%s\n", commands[i].name);
	else if (!strcmp(what, "memtypes"))
		for (unsigned i = 0; i < nr_memtypes; i++)
			printf("%s\n", memtypes[i]->name);
	else if (!strcmp(what, "ioctls"))
		print_ops(UOP_ALL);
	else if (!strcmp(what, "fault-ioctls"))
		print_ops(uop_fault_ops());
	else if (!strcmp(what, "suites"))
		*status = suite_names();
	else if (!strcmp(what, "scenarios"))
		for (unsigned i = 0; i < nr_stress_scenarios; i++)
			printf("%s\n", stress_scenarios[i]->name);
	else
		return 1;
	return 0;
}

int list_names(const char *what)
{
	const struct command *cmd = command_find(what);
	int status;

	if (!table_names(what, &status))
		return status;
	if (!cmd)
		die_usage("list --names: unknown '%s' (commands, memtypes, ioctls, suites, "
			  "scenarios or a command)", what);
	option_names(cmd->help);
	return EXIT_OK;
}

/* Each word of a values string: @TABLE expands to the table's names. */
static int print_values(const char *values)
{
	char *copy = xstrdup(values ? values : ""), *save = NULL;
	int status = EXIT_OK;

	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		int st;

		if (*w != '@' || table_names(w + 1, &st))
			printf("%s\n", w);	/* a word, or @dir, @file, @list */
		else if (st)
			status = st;
	}
	free(copy);
	return status;
}

int list_values(const char *spec)
{
	char name[64];
	const char *colon = strchr(spec, ':'), *opt_name;
	const struct command *cmd;
	const struct cli_opt *o;

	snprintf(name, sizeof(name), "%.*s", colon ? (int)(colon - spec) : (int)strlen(spec), spec);
	cmd = command_find(name);
	if (!cmd)
		die_usage("list --values: unknown command '%s' (want COMMAND[:OPTION])", name);
	if (!colon)
		return print_values(cmd->help->operands);
	opt_name = colon[1] == '-' && colon[2] == '-' ? colon + 3 : colon + 1;
	o = cli_find(cmd->help, opt_name);
	if (strcmp(opt_name, "help") && (!o || (o->flags & CLI_HIDDEN)))
		die_usage("list --values: %s has no option --%s", name, opt_name);
	if (!o || !o->arg) {
		printf("@flag\n");	/* takes no value: completion goes on */
		return EXIT_OK;
	}
	return print_values(o->values);
}
