// SPDX-License-Identifier: MIT
/*
 * uffdbench help [COMMAND | --man]: the list of commands, one command's
 * --help, or the man page uffdbench(1).  The man page is built from the same
 * strings COMMAND --help prints (make man, make install), so the two cannot
 * drift apart.
 */
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "core/version.h"
#include "ioctls/ioctl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_MAN };

/* Parsed by cmd_help() itself: one argument, a COMMAND or --man. */
static const struct cli_opt help_opts[] = {
	{ "man", NULL, OPT_MAN, "the man page uffdbench(1) in roff, built from those same "
	  "texts" },
	{ 0 }
};

const struct cli_help cmd_help_help = {
	.head =
	"usage: uffdbench help [COMMAND | --man]\n\n"
	"Without an argument, the list of commands and of the documents that explain\n"
	"them (installed in PREFIX/share/doc/uffdbench; bench/docs/ in the source\n"
	"tree); with COMMAND, the text of uffdbench COMMAND --help.\n\n",
	.opts = help_opts,
	.tail =
	"Examples:\n"
	"  uffdbench help compare\n"
	"  uffdbench help --man | man -l -\n",
	.operands = "@commands",
};

/* The documents beside the --help texts: the method, the schema, measurements. */
static const struct {
	const char *name, *what;
} documents[] = {
	{ "README.md", "what uffdbench measures and why, a worked example" },
	{ "usage.md", "install, the CLI and exit status, caps, export, topo" },
	{ "measuring.md", "memory types, ioctls, run: how a cell is measured" },
	{ "compare.md", "compare: statistics and the decision rule" },
	{ "icount-rule.md", "compare on exact counts: floors, ticks, thresholds" },
	{ "plot.md", "plot: the figures and report.md" },
	{ "fault.md", "fault and capacity: wait styles, open loop, latency" },
	{ "stress.md", "stress: scenarios, the page model, the ioctl contract" },
	{ "icount.md", "kernel-ab, icount, --profile, fleet, kernel-bisect" },
	{ "attribution.md", "kernel-ab --attribute, calibrate: where, what it costs" },
	{ "schema.md", "results.jsonl, env.json, caps.json, compare's JSON" },
	{ "HACKING.md", "layout, adding a memory type or ioctl, tests, release" },
	{ "measurements.md", "measured numbers with their command, machine, date" },
	{ "CHANGELOG.md", "every change to the schema and the CLI" },
	{ "hugetlb-uffd-copy-eexist.md", "a kernel bug stress found (hugetlb EEXIST)" },
};

static void documents_usage(FILE *f)
{
	fputs("\nDocuments (PREFIX/share/doc/uffdbench; bench/docs/ in the source tree):\n", f);
	for (unsigned i = 0; i < ARRAY_SIZE(documents); i++) {
		if (strlen(documents[i].name) > 16)
			fprintf(f, "  %s\n  %-16s %s\n", documents[i].name, "", documents[i].what);
		else
			fprintf(f, "  %-16s %s\n", documents[i].name, documents[i].what);
	}
}

/* One line of text as roff: no escapes, no control lines, minus signs kept. */
static void roff_line(FILE *f, const char *s, size_t len)
{
	if (len && (*s == '.' || *s == '\''))
		fputs("\\&", f);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\')
			fputs("\\e", f);
		else if (s[i] == '-')
			fputs("\\-", f);
		else
			fputc(s[i], f);
	}
	fputc('\n', f);
}

/* Preformatted text, as the terminal shows it: unindented, so 80 columns stay 80. */
static void roff_verbatim(FILE *f, const char *text)
{
	fputs(".nf\n.in 0\n", f);
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		roff_line(f, text, len);
		text += len + (nl != NULL);
	}
	fputs(".in\n.fi\n", f);
}

/* A command's help, expanded as help_print() prints it. */
static void roff_help(FILE *f, const struct cli_help *help)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return;
	help_print(m, help);
	fclose(m);
	roff_verbatim(f, text);
	free(text);
}

static void roff_para(FILE *f, const char *text)
{
	fputs(".PP\n", f);
	roff_line(f, text, strlen(text));
}

/* The ioctls' names come from their table, between these two. */
static const char description_head[] = "uffdbench measures the userfaultfd ioctls";
static const char description[] =
	"over every memory type the kernel lets one register (anonymous, "
	"shmem, hugetlb; shared and private), at several batch sizes and thread counts, "
	"and stores each result with its environment, so that two kernels can be "
	"compared: does a kernel change make these ioctls slower, and by how much per "
	"page and per ioctl?";

static const char scripts[] =
	"Installed beside the binary as uffdbench-NAME (the scripts themselves live in "
	"PREFIX/libexec/uffdbench/scripts): uffdbench-kernel-ab boots two or more "
	"kernels in turn under qemu and compares them paired by boot; "
	"uffdbench-profile runs one cell under perf record (--keep keeps perf.data, "
	"--diff compares two kept profiles with perf diff); uffdbench-inject-check and "
	"uffdbench-aa-check check compare's verdicts with a known injected delay and an "
	"A/A pair (uffdbench split splits a run's repeats odd/even); "
	"uffdbench-fidelity compares run with a minimal reference loop.  Each takes "
	"--help or documents its usage in its first lines.";

static const char files[] =
	"Suites (NAME.suite) are read from the directory given with --suite-dir, else "
	"$UFFDBENCH_SUITES, else ../share/uffdbench/suites beside the binary (an "
	"install), else workloads/suites of the source tree the binary was built in.  "
	"Results go to results/DATE-HOST-RELEASE[-LABEL]/ under the current directory: "
	"results.jsonl, env.json, caps.json.  The schema is in schema.md, its changes "
	"in CHANGELOG.md (PREFIX/share/doc/uffdbench, see DOCUMENTS).";

static const char environment[] =
	"UFFDBENCH_SUITES: the suite directory.  UFFDBENCH_TMPFS: where shmem-file "
	"creates its file (default /dev/shm).  UFFDBENCH_GNUPLOT: the gnuplot to run.";

static const char exit_status[] =
	"0: fine (skipped cells say why).  1: a bad result (a failed cell, a cell slower "
	"in compare).  2: bad input, or a machine that cannot run what was asked, with "
	"a one-line message and nothing half-written.  128+N: stopped by signal N, "
	"finished results kept.";

/* Each request once, in the table's order (modes share one: copy, copy-wp). */
static void print_ioctl_names(FILE *f)
{
	for (int op = 0; op < UOP_NR; op++) {
		bool seen = false;

		for (int k = 0; k < op; k++)
			seen |= ioctls[k]->nr == ioctls[op]->nr;
		if (!seen)
			fprintf(f, "%s%s", op ? ", " : " ", uop_ioctl_name(op));
	}
	fputs("\n", f);
}

static void man_page(FILE *f)
{
	fprintf(f, ".\\\" uffdbench(1), generated by `uffdbench help --man`: edit the\n"
		".\\\" --help texts in bench/cli/, not this file.\n"
		".TH UFFDBENCH 1 \"\" \"uffdbench %s\" \"User Commands\"\n"
		".SH NAME\nuffdbench \\- benchmark and stress the userfaultfd ioctls\n"
		".SH SYNOPSIS\n.B uffdbench\n.I COMMAND\n[options]\n.br\n"
		".B uffdbench help\n[\\fICOMMAND\\fR]\n.br\n.B uffdbench \\-\\-version\n"
		".SH DESCRIPTION\n", UFFDBENCH_VERSION);
	fputs(description_head, f);
	print_ioctl_names(f);
	roff_line(f, description, strlen(description));
	fputs(".SH COMMANDS\n", f);
	for (unsigned i = 0; i < nr_commands; i++) {
		fprintf(f, ".TP\n.B %s\n", commands[i].name);
		roff_line(f, commands[i].summary, strlen(commands[i].summary));
	}
	for (unsigned i = 0; i < nr_commands; i++) {
		fputs(".SH \"UFFDBENCH ", f);
		for (const char *c = commands[i].name; *c; c++)
			fputc(toupper((unsigned char)*c), f);
		fputs("\"\n", f);
		roff_help(f, commands[i].help);
	}
	fputs(".SH SCRIPTS\n", f);
	roff_para(f, scripts);
	fputs(".SH FILES\n", f);
	roff_para(f, files);
	fputs(".SH ENVIRONMENT\n", f);
	roff_para(f, environment);
	fputs(".SH DOCUMENTS\nIn PREFIX/share/doc/uffdbench (bench/docs/ in the source tree; README.md\n"
	      "at its top):\n", f);
	for (unsigned i = 0; i < ARRAY_SIZE(documents); i++) {
		fprintf(f, ".TP\n.B %s\n", documents[i].name);
		roff_line(f, documents[i].what, strlen(documents[i].what));
	}
	fputs(".SH \"EXIT STATUS\"\n", f);
	roff_para(f, exit_status);
	fputs(".SH \"SEE ALSO\"\n.BR userfaultfd (2),\n.BR ioctl_userfaultfd (2),\n"
	      ".BR perf (1)\n", f);
}

int cmd_help(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		commands_usage(stdout);
		documents_usage(stdout);
		return EXIT_OK;
	}
	if (argc > 2)
		die_usage("help takes one argument: a COMMAND or --man");
	if (!strcmp(argv[1], "--man")) {
		man_page(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		help_print(stdout, &cmd_help_help);
		return EXIT_OK;
	}
	cmd = command_find(argv[1]);
	if (!cmd)
		die_usage("help: unknown command '%s' (uffdbench help lists them)", argv[1]);
	help_print(stdout, cmd->help);
	return EXIT_OK;
}
