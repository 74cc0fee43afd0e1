// SPDX-License-Identifier: MIT
/* uffdbench split --by parity|inject SRC PREFIX: one results directory in parts. */
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "results/rewrite.h"

#include <stdio.h>
#include <string.h>

enum { OPT_BY };

static const struct cli_opt split_opts[] = {
	{ "by", "parity|inject", OPT_BY, "parity: PREFIXeven and PREFIXodd by repeat, repeats "
	  "2j and 2j+1 renumbered j (so compare --paired pairs them; an A/A test);\n"
	  "inject: PREFIX<ns> per --inject-ns value, inject_ns set to 0 so the parts' cells "
	  "match (compare --by inject SRC compares them without splitting)",
	  .values = "parity inject" },
	{ 0 }
};

const struct cli_help cmd_split_help = {
	.head =
	"usage: uffdbench split --by parity|inject SRC PREFIX\n\n"
	"Split one results directory into new ones, so that `compare` can set cells\n"
	"measured side by side (in the same processes, or interleaved in time)\n"
	"against each other.  Each part is the directory PREFIX + its name, with\n"
	"SRC's env.json and caps.json; their paths are printed, one a line.\n\n",
	.opts = split_opts,
	.tail =
	"Examples:\n"
	"  uffdbench split --by parity results/aa results/aa-\n"
	"  uffdbench compare --paired results/aa-even results/aa-odd\n\n"
	"Exit status: 0 written; 2 bad input (not a results directory, a corrupt\n"
	"line: FILE:LINE, a part that holds results already), nothing written.\n",
	.operands = "@dir",
};

int cmd_split(int argc, char **argv)
{
	enum rw_split_by by = RW_BY_PARITY;
	const char *what = NULL;
	struct cli_parser p;
	char err[1024];
	int key, status;

	cli_start(&p, &cmd_split_help, argc, argv, false);
	while ((key = cli_next(&p)) >= 0)
		if (key == OPT_BY)
			what = p.arg;
	status = cli_finish(&p, key);
	if (status >= 0)
		return status;
	if (!what || (strcmp(what, "parity") && strcmp(what, "inject"))) {
		errmsg("split: want --by parity or --by inject (--help for more)");
		return EXIT_USAGE;
	}
	by = !strcmp(what, "inject") ? RW_BY_INJECT : RW_BY_PARITY;
	if (argc - p.optind != 2) {
		errmsg("split: name SRC and PREFIX (--help for more)");
		return EXIT_USAGE;
	}
	if (rw_split(argv[p.optind], argv[p.optind + 1], by, stdout, err, sizeof(err))) {
		errmsg("split: %s", err);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
