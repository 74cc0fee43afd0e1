// SPDX-License-Identifier: MIT
/* uffdbench list: everything a run can name, one line each. */
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "memtypes/memtype.h"
#include "run/spec.h"
#include "stress/scenario.h"
#include "workload.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const struct cli_help cmd_list_help = {
	.head =
	"usage: uffdbench list [--names WHAT] [--suite-dir DIR]\n\n"
	"Lists the memory types, ioctls, workloads and suites a run can name, and the\n"
	"stress scenarios.\n"
	"Suites are read from --suite-dir, $UFFDBENCH_SUITES, the install's\n"
	"share/uffdbench/suites, or workloads/suites/ of the source tree.\n\n"
	"  --names WHAT     only the names, one a line, for scripts and completion:\n"
	"                   commands, memtypes, ioctls, suites, scenarios, or a\n"
	"                   COMMAND (the options its --help names)\n"
	"  --suite-dir DIR  read suites from DIR\n\n"
	"Examples:\n"
	"  uffdbench list\n"
	"  uffdbench list --names memtypes\n",
};

static void list_memtypes(void)
{
	printf("memory types:\n");
	for (unsigned i = 0; i < nr_memtypes; i++) {
		const struct memtype_ops *mt = memtypes[i];
		const char *why = mt->unavailable ? mt->unavailable() : NULL;

		printf("  %-16s %-7s %s\n", mt->name, mt->shared ? "shared" : "private", mt->desc);
		if (why)
			printf("  %-16s %-7s unavailable here: %s\n", "", "", why);
	}
}

static void list_ioctls(void)
{
	printf("\nioctls (register mode):\n");
	for (int op = 0; op < UOP_NR; op++)
		printf("  %-12s %-19s (%s) %s\n", ioctls[op]->name, ioctls[op]->ioctl_name,
		       reg_mode_name(ioctls[op]->mode), ioctls[op]->desc);
}

static void list_scenarios(void)
{
	printf("\nstress scenarios (uffdbench stress --scenario NAME):\n");
	for (unsigned i = 0; i < nr_stress_scenarios; i++)
		printf("  %-16s %s\n", stress_scenarios[i]->name, stress_scenarios[i]->desc);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void list_suites(void)
{
	struct dirent **ents;
	int n = scandir(suite_dir(), &ents, NULL, by_name);

	printf("\nsuites (%s):\n", suite_dir());
	for (int i = 0; i < n; i++) {
		char name[256], desc[256];
		size_t len = strlen(ents[i]->d_name);

		if (len > 6 && !strcmp(ents[i]->d_name + len - 6, ".suite")) {
			snprintf(name, sizeof(name), "%.*s", (int)(len - 6), ents[i]->d_name);
			suite_describe(name, desc, sizeof(desc));
			printf("  %-16s %s\n", name, desc);
		}
		free(ents[i]);
	}
	if (n < 0)
		printf("  (none: cannot read the suite directory)\n");
	free(n > 0 ? ents : NULL);
}

/* Every --option a help text names, once each, in order. */
static void option_names(const char *help)
{
	char seen[4096] = " ";

	for (const char *p = help; (p = strstr(p, "--")); ) {
		size_t len = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz0123456789-");
		char opt[64];

		if (len && len < sizeof(opt) - 4 && p[2] != '-') {
			snprintf(opt, sizeof(opt), " --%.*s ", (int)len, p + 2);
			if (!strstr(seen, opt) && strlen(seen) + strlen(opt) < sizeof(seen)) {
				strcat(seen, opt + 1);
				printf("--%.*s\n", (int)len, p + 2);
			}
		}
		p += 2 + len;
	}
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

static int names(const char *what)
{
	const struct command *cmd = command_find(what);

	if (!strcmp(what, "commands"))
		for (unsigned i = 0; i < nr_commands; i++)
			printf("%s\n", commands[i].name);
	else if (!strcmp(what, "memtypes"))
		for (unsigned i = 0; i < nr_memtypes; i++)
			printf("%s\n", memtypes[i]->name);
	else if (!strcmp(what, "ioctls"))
		for (int op = 0; op < UOP_NR; op++)
			printf("%s\n", uop_name(op));
	else if (!strcmp(what, "suites"))
		return suite_names();
	else if (!strcmp(what, "scenarios"))
		for (unsigned i = 0; i < nr_stress_scenarios; i++)
			printf("%s\n", stress_scenarios[i]->name);
	else if (cmd)
		option_names(cmd->help->head);
	else
		die_usage("list --names: unknown '%s' (commands, memtypes, ioctls, suites, "
			  "scenarios or a command)", what);
	return EXIT_OK;
}

static bool is_dir(const char *path)
{
	struct stat st;

	errno = 0;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "names", required_argument, NULL, 'n' },
		{ "suite-dir", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *what = NULL;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': what = optarg; break;
		case 's':
			if (!is_dir(optarg))
				die_usage("list: --suite-dir %s: %s", optarg,
					  errno ? strerror(errno) : "not a directory");
			suite_dir_set(optarg);
			break;
		case 'h': help_print(stdout, &cmd_list_help); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		die_usage("list takes no arguments (got '%s')", argv[optind]);
	if (what)
		return names(what);
	list_memtypes();
	list_ioctls();
	printf("\nworkloads:\n");
	for (unsigned i = 0; i < nr_workloads; i++)
		printf("  %-16s %-8s %s\n", workloads[i].name, workloads[i].subcommand, workloads[i].desc);
	list_suites();
	list_scenarios();
	return EXIT_OK;
}
