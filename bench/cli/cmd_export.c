// SPDX-License-Identifier: MIT
/* uffdbench export DIR...: results as one flat CSV or TSV table. */
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "results/export.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const struct cli_help cmd_export_help = {
	.head =
	"usage: uffdbench export [--format csv|tsv] [--rounds] [--no-header] DIR...\n\n"
	"Write the cells of results directories (from `run`) as one table on stdout,\n"
	"ready for a spreadsheet or pandas: a row per line of results.jsonl (one cell,\n"
	"one repeat), or with --rounds a row per timed round.  The columns: dir,\n"
	"kernel (env.json), repeat, key, memtype, backing, mapping, mode, ioctl,\n"
	"batch, threads, placement, inject_ns, page_size, status, reason; then per\n"
	"cell rounds, ns_per_page_{median,mean,sd,min,max,p25,p75,ci95_lo,ci95_hi},\n"
	"ns_per_ioctl_{median,min}, pages_per_s_per_thread, pages_per_s_total,\n"
	"verify_mismatches, elapsed_ms; or per round round (from 0), ns_per_page,\n"
	"ns_per_ioctl, wall_ns.  Numbers read back as the JSON's exact values; a\n"
	"value that is absent (a skipped cell's timings) is an empty field.\n\n"
	"  --format FMT   csv (RFC 4180 quoting) or tsv (tabs in text become spaces)\n"
	"                                                                     [csv]\n"
	"  --rounds       a row per timed round instead of per cell\n"
	"  --no-header    no line of column names\n"
	"  -h, --help     this text\n\n"
	"Examples:\n"
	"  uffdbench export results/*-base results/*-new > cells.csv\n"
	"  uffdbench export --rounds --format tsv results/DIR > rounds.tsv\n"
	"  python3 -c 'import pandas; print(pandas.read_csv(\"cells.csv\"))'\n\n"
	"Exit status: 0 written; 2 bad input (not a results directory, a corrupt\n"
	"line: FILE:LINE, another schema), nothing written.\n",
};

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "rounds", no_argument, NULL, 'r' },
		{ "no-header", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct export_opts o = { .format = EXPORT_CSV, .header = true };
	char err[1024];
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "csv") && strcmp(optarg, "tsv"))
				die_usage("export: unknown --format '%s' (csv, tsv)", optarg);
			o.format = !strcmp(optarg, "tsv") ? EXPORT_TSV : EXPORT_CSV;
			break;
		case 'r': o.rounds = true; break;
		case 'n': o.header = false; break;
		case 'h': help_print(stdout, &cmd_export_help); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		die_usage("export: name at least one results directory (--help for more)");
	if (export_dirs(stdout, argv + optind, argc - optind, &o, err, sizeof(err))) {
		errmsg("export: %s", err);
		return EXIT_USAGE;
	}
	return EXIT_OK;	/* main() checks that stdout took it all */
}
