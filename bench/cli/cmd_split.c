// SPDX-License-Identifier: MIT
/* uffdbench split --by parity|inject SRC PREFIX: one results directory in parts. */
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "results/rewrite.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const struct cli_help cmd_split_help = {
	.head =
	"usage: uffdbench split --by parity|inject SRC PREFIX\n\n"
	"Split one results directory into new ones, so that `compare` can set cells\n"
	"measured side by side (in the same processes, or interleaved in time)\n"
	"against each other.  Each part is the directory PREFIX + its name, with\n"
	"SRC's env.json and caps.json; their paths are printed, one a line.\n\n"
	"  --by parity    PREFIXeven and PREFIXodd by repeat, repeats 2j and 2j+1\n"
	"                 renumbered j (so compare --paired pairs them; an A/A test)\n"
	"  --by inject    PREFIX<ns> per --inject-ns value, inject_ns set to 0 so\n"
	"                 the parts' cells match (compare --by inject SRC compares\n"
	"                 them without splitting)\n"
	"  -h, --help     this text\n\n"
	"Examples:\n"
	"  uffdbench split --by parity results/aa results/aa-\n"
	"  uffdbench compare --paired results/aa-even results/aa-odd\n\n"
	"Exit status: 0 written; 2 bad input (not a results directory, a corrupt\n"
	"line: FILE:LINE, a part that holds results already), nothing written.\n",
};

int cmd_split(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	enum rw_split_by by = RW_BY_PARITY;
	const char *what = NULL;
	char err[1024];
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': what = optarg; break;
		case 'h': help_print(stdout, &cmd_split_help); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (!what || (strcmp(what, "parity") && strcmp(what, "inject"))) {
		errmsg("split: want --by parity or --by inject (--help for more)");
		return EXIT_USAGE;
	}
	by = !strcmp(what, "inject") ? RW_BY_INJECT : RW_BY_PARITY;
	if (argc - optind != 2) {
		errmsg("split: name SRC and PREFIX (--help for more)");
		return EXIT_USAGE;
	}
	if (rw_split(argv[optind], argv[optind + 1], by, stdout, err, sizeof(err))) {
		errmsg("split: %s", err);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
