// SPDX-License-Identifier: MIT
/* uffdbench export DIR...: results as one flat CSV or TSV table. */
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "results/export.h"

#include <stdio.h>
#include <string.h>

enum { OPT_FORMAT, OPT_ROUNDS, OPT_NO_HEADER };

static const struct cli_opt export_opts[] = {
	{ "format", "FMT", OPT_FORMAT, "csv (RFC 4180 quoting) or tsv (tabs in text become "
	  "spaces)", "csv", "csv tsv" },
	{ "rounds", NULL, OPT_ROUNDS, "a row per timed round instead of per cell" },
	{ "no-header", NULL, OPT_NO_HEADER, "no line of column names" },
	{ 0 }
};

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
	"value that is absent (a skipped cell's timings) is an empty field.\n\n",
	.opts = export_opts,
	.tail =
	"Examples:\n"
	"  uffdbench export results/*-base results/*-new > cells.csv\n"
	"  uffdbench export --rounds --format tsv results/DIR > rounds.tsv\n"
	"  python3 -c 'import pandas; print(pandas.read_csv(\"cells.csv\"))'\n\n"
	"Exit status: 0 written; 2 bad input (not a results directory, a corrupt\n"
	"line: FILE:LINE, another schema), nothing written.\n",
	.operands = "@dir",
};

int cmd_export(int argc, char **argv)
{
	struct export_opts o = { .format = EXPORT_CSV, .header = true };
	struct cli_parser p;
	char err[1024];
	int key, status;

	cli_start(&p, &cmd_export_help, argc, argv, false);
	while ((key = cli_next(&p)) >= 0) {
		switch (key) {
		case OPT_FORMAT:
			if (strcmp(p.arg, "csv") && strcmp(p.arg, "tsv"))
				die_usage("export: unknown --format '%s' (csv, tsv)", p.arg);
			o.format = !strcmp(p.arg, "tsv") ? EXPORT_TSV : EXPORT_CSV;
			break;
		case OPT_ROUNDS: o.rounds = true; break;
		case OPT_NO_HEADER: o.header = false; break;
		}
	}
	status = cli_finish(&p, key);
	if (status >= 0)
		return status;
	if (p.optind >= argc)
		die_usage("export: name at least one results directory (--help for more)");
	if (export_dirs(stdout, argv + p.optind, argc - p.optind, &o, err, sizeof(err))) {
		errmsg("export: %s", err);
		return EXIT_USAGE;
	}
	return EXIT_OK;	/* main() checks that stdout took it all */
}
