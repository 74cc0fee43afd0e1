// SPDX-License-Identifier: MIT
/*
 * The option parser every command shares: getopt_long over an array built
 * from the command's table (opt.h), -h/--help added.  The value getopt
 * returns is the option's index in the table, offset past the short
 * options, so that several options may share one key.
 */
#include "cli/opt.h"
#include "core/common.h"

#include <stdlib.h>
#include <string.h>

#define CLI_INDEX0 256	/* getopt's value for the table's first option */

void cli_start(struct cli_parser *p, const struct cli_help *h, int argc, char **argv,
	       bool quiet)
{
	unsigned n = 0;

	memset(p, 0, sizeof(*p));
	p->help = h;
	p->opts = h->opts;
	p->argc = argc;
	p->argv = argv;
	p->quiet = quiet;
	for (const struct cli_opt *o = h->opts; o && o->name; o++, n++) {
		if (n == CLI_MAX_OPTS) {	/* a bug: every --help test aborts on it */
			errmsg("%s: more than %d options: raise CLI_MAX_OPTS", argv[0],
			       CLI_MAX_OPTS);
			abort();
		}
		p->longopts[n] = (struct option){ o->name,
			o->arg ? required_argument : no_argument, NULL, CLI_INDEX0 + (int)n };
	}
	p->longopts[n] = (struct option){ "help", no_argument, NULL, 'h' };
	optind = 0;	/* glibc: restart scanning, a command may parse twice */
}

int cli_next(struct cli_parser *p)
{
	int c;

	opterr = !p->quiet;
	c = getopt_long(p->argc, p->argv, p->help->in_order ? "+h" : "h", p->longopts, NULL);
	p->opt = NULL;
	p->arg = optarg;
	switch (c) {
	case -1:
		p->optind = optind;
		return CLI_END;
	case 'h':
		return CLI_HELP;
	case '?':
	case ':':
		return CLI_BAD;
	}
	p->opt = &p->opts[c - CLI_INDEX0];
	return p->opt->key;
}

int cli_finish(const struct cli_parser *p, int key)
{
	if (key == CLI_HELP) {
		help_print(stdout, p->help);
		return EXIT_OK;
	}
	if (key == CLI_BAD)
		return EXIT_USAGE;
	if (!p->help->operands && p->optind < p->argc) {
		errmsg("%s: unexpected argument '%s' (--help)", p->argv[0], p->argv[p->optind]);
		return EXIT_USAGE;
	}
	return -1;
}

const struct cli_opt *cli_find(const struct cli_help *h, const char *name)
{
	for (const struct cli_opt *o = h->opts; o && o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}
