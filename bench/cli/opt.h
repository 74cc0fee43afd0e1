/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_CLI_OPT_H
#define UFFDBENCH_CLI_OPT_H

/*
 * A command's options are one table.  The parser (getopt_long's array is
 * built from it), the option list of --help and of the man page, and bash
 * completion (`list --names COMMAND`, `list --values COMMAND:OPTION`) all
 * read that table, so an option is added in one place and cannot be missing
 * from any of them.  Each command still owns what its options mean: it
 * switches on the keys cli_next() returns.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

/* cli_opt.flags */
#define CLI_HIDDEN	(1u << 0)	/* internal: parsed, never shown or completed */

struct cli_opt {
	const char *name;	/* "memtype": --memtype */
	const char *arg;	/* "LIST": takes a value; NULL: a flag */
	int key;		/* what cli_next() returns for it (>= 0) */
	const char *help;	/* --help's text for it: wrapped; '\n' starts a line;
				 * {ioctls} and {fault-ioctls} expand (help_print.c) */
	const char *def;	/* the default, shown as [def] at the right; NULL: none */
	const char *values;	/* completion of its value: words, and @memtypes,
				 * @ioctls, @fault-ioctls, @suites, @commands,
				 * @scenarios (names from
				 * the tables), @dir, @file, @list (comma lists) */
	unsigned flags;		/* CLI_* */
};

/* A command's --help: head, the table's options, tail.  -h, --help is implied. */
struct cli_help {
	const char *head;	/* usage lines and what the command does */
	const struct cli_opt *opts;	/* ends with { 0 }; NULL: no options */
	const char *tail;	/* notes, examples, exit status; may be NULL */
	const char *operands;	/* completion of its operands, as cli_opt.values */
	bool in_order;		/* options end at the first operand (getopt's "+") */
};

/* What cli_next() returns besides a key. */
enum {
	CLI_END = -1,	/* no more options: operands from p->optind */
	CLI_HELP = -2,	/* -h or --help: print the help, exit 0 */
	CLI_BAD = -3,	/* an unknown option or a missing value (said on stderr) */
};

#define CLI_MAX_OPTS 64

struct cli_parser {
	const struct cli_help *help;
	const struct cli_opt *opts;
	int argc;
	char **argv;
	struct option longopts[CLI_MAX_OPTS + 2];
	const struct cli_opt *opt;	/* the option cli_next() returned */
	const char *arg;		/* its value, NULL for a flag */
	int optind;			/* after CLI_END: the first operand */
	bool quiet;			/* no message for CLI_BAD */
};

/*
 * Start parsing argv (argv[0] the command's name) against h's table; quiet:
 * say nothing of bad options (a first pass that looks for one option).  A
 * table longer than CLI_MAX_OPTS is a bug: it aborts.
 */
void cli_start(struct cli_parser *p, const struct cli_help *h, int argc, char **argv,
	       bool quiet);
/* The next option's key (p->opt, p->arg say which and its value), or CLI_*. */
int cli_next(struct cli_parser *p);

/*
 * After the loop over cli_next(): for CLI_HELP print the help and return
 * EXIT_OK, for CLI_BAD return EXIT_USAGE, and for CLI_END with an operand
 * given to a command that takes none (h->operands NULL) say so and return
 * EXIT_USAGE; else -1: go on.
 */
int cli_finish(const struct cli_parser *p, int key);

/* The option called name (without "--") in h's table, or NULL. */
const struct cli_opt *cli_find(const struct cli_help *h, const char *name);

/* h as --help prints it: head, "Options:" list, tail (help_print.c). */
void help_print(FILE *f, const struct cli_help *h);

#endif
