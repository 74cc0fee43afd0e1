// SPDX-License-Identifier: MIT
/* uffdbench list: everything a run can name, one line each. */
#include "cli/commands.h"
#include "core/common.h"
#include "memtypes/memtype.h"
#include "run/spec.h"
#include "workload.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: uffdbench list\n\n"
	"Lists the memory types, ioctls, workloads and suites a run can name.\n"
	"Suites are read from $UFFDBENCH_SUITES or workloads/suites/ beside the binary.\n";

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
	static const char *const what[UOP_NR] = {
		[UOP_COPY] = "copy a source buffer into missing pages",
		[UOP_ZEROPAGE] = "map zeroed pages into missing pages",
		[UOP_CONTINUE] = "map pages already in the page cache (minor faults)",
	};

	printf("\nioctls (register mode):\n");
	for (int op = 0; op < UOP_NR; op++)
		printf("  %-10s %-16s (%s) %s\n", uop_name(op), uop_ioctl_name(op),
		       reg_mode_name(uop_mode(op)), what[op]);
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

int cmd_list(int argc, char **argv)
{
	if (wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	if (argc > 1)
		die_usage("list takes no arguments (got '%s')", argv[1]);
	list_memtypes();
	list_ioctls();
	printf("\nworkloads:\n");
	for (unsigned i = 0; i < nr_workloads; i++)
		printf("  %-16s %-8s %s\n", workloads[i].name, workloads[i].subcommand, workloads[i].desc);
	list_suites();
	return EXIT_OK;
}
