// SPDX-License-Identifier: MIT
/* uffdbench list: everything a run can name, one line each. */
#include "cli/commands.h"
#include "cli/complete.h"
#include "cli/opt.h"
#include "core/common.h"
#include "memtypes/memtype.h"
#include "run/spec.h"
#include "stress/scenario.h"
#include "workload.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


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

static bool is_dir(const char *path)
{
	struct stat st;

	errno = 0;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

enum { OPT_NAMES, OPT_VALUES, OPT_SUITE_DIR };

static const struct cli_opt list_opts[] = {
	{ "names", "WHAT", OPT_NAMES, "only the names, one a line, for scripts and completion: "
	  "commands, memtypes, ioctls, suites, scenarios, or a COMMAND (its options)",
	  .values = "commands memtypes ioctls suites scenarios @commands" },
	{ "values", "CMD[:OPT]", OPT_VALUES, "for completion: the words the value of COMMAND's "
	  "--OPT takes, or without :OPT its operands; @dir, @file and @list (a comma "
	  "list) say how to complete" },
	{ "suite-dir", "DIR", OPT_SUITE_DIR, "read suites from DIR", .values = "@dir" },
	{ 0 }
};

const struct cli_help cmd_list_help = {
	.head =
	"usage: uffdbench list [--names WHAT | --values CMD[:OPT]] [--suite-dir DIR]\n\n"
	"Lists the memory types, ioctls, workloads and suites a run can name, and the\n"
	"stress scenarios.\n"
	"Suites are read from --suite-dir, $UFFDBENCH_SUITES, the install's\n"
	"share/uffdbench/suites, or workloads/suites/ of the source tree.\n\n",
	.opts = list_opts,
	.tail =
	"Examples:\n"
	"  uffdbench list\n"
	"  uffdbench list --names memtypes\n"
	"  uffdbench list --values run:policy\n",
};

int cmd_list(int argc, char **argv)
{
	const char *what = NULL, *values = NULL;
	struct cli_parser p;
	int key, status;

	cli_start(&p, &cmd_list_help, argc, argv, false);
	while ((key = cli_next(&p)) >= 0) {
		switch (key) {
		case OPT_NAMES: what = p.arg; break;
		case OPT_VALUES: values = p.arg; break;
		case OPT_SUITE_DIR:
			if (!is_dir(p.arg))
				die_usage("list: --suite-dir %s: %s", p.arg,
					  errno ? strerror(errno) : "not a directory");
			suite_dir_set(p.arg);
			break;
		}
	}
	status = cli_finish(&p, key);
	if (status >= 0)
		return status;
	if (what && values)
		die_usage("list: --names and --values exclude each other");
	if (values)
		return list_values(values);
	if (what)
		return list_names(what);
	list_memtypes();
	list_ioctls();
	printf("\nworkloads:\n");
	for (unsigned i = 0; i < nr_workloads; i++)
		printf("  %-16s %-8s %s\n", workloads[i].name, workloads[i].subcommand, workloads[i].desc);
	list_suites();
	list_scenarios();
	return EXIT_OK;
}
