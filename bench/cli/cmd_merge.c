// SPDX-License-Identifier: MIT
/* uffdbench merge --out DST SRC...: several results directories as one. */
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/alloc.h"
#include "core/common.h"
#include "results/rewrite.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_OUT, OPT_INDEX };

static const struct cli_opt merge_opts[] = {
	{ "out", "DST", OPT_OUT, "the new results directory (made, with its parents)",
	  .values = "@dir" },
	{ "index", "LIST", OPT_INDEX, "k of each SRC in order, e.g. 0,2,3 when round 1 is "
	  "missing (distinct whole numbers)", "0,1,2,... in order" },
	{ 0 }
};

const struct cli_help cmd_merge_help = {
	.head =
	"usage: uffdbench merge [--index LIST] --out DST SRC...\n\n"
	"Put the lines of several results directories (from `run`, each a boot or a\n"
	"round of the same matrix) into one new directory DST, so that `compare\n"
	"--paired` sees each source as one unit: the lines of the k-th SRC get\n"
	"repeat = k * R + their repeat, where R is 1 + the largest repeat of any\n"
	"SRC.  env.json and caps.json are copied from the first SRC that has them.\n"
	"Every SRC is read and checked first; DST must not hold results yet.\n"
	"scripts/kernel-ab merges each kernel's boots (k: the boot's round, so that\n"
	"round k of one kernel pairs with round k of another); scripts/fleet each\n"
	"host's rounds.\n\n",
	.opts = merge_opts,
	.tail =
	"Examples:\n"
	"  uffdbench merge --out results/A results/boot-1-A results/boot-3-A\n"
	"  uffdbench merge --index 0,2 --out ab/A ab/boot-1-A ab/boot-5-A\n\n"
	"Exit status: 0 written; 2 bad input (not a results directory, a corrupt\n"
	"line: FILE:LINE, DST holding results), nothing written.\n",
	.operands = "@dir",
};

/* "0,2,3" into n distinct indexes; 0, or -1 with the reason in err. */
static int parse_index(const char *list, unsigned *idx, int n, char *err, size_t len)
{
	const char *p = list;
	int k = 0;

	while (*p) {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(p, &end, 10);
		if (end == p || *p == '-' || *p == '+' || errno || v > UINT_MAX / 2 ||
		    (*end && *end != ','))
			return seterr(err, len, "--index '%s': want whole numbers, e.g. 0,2,3",
				      list);
		if (k == n)
			return seterr(err, len, "--index '%s': more numbers than the %d SRC",
				      list, n);
		for (int j = 0; j < k; j++)
			if (idx[j] == v)
				return seterr(err, len, "--index '%s': %lu given twice", list, v);
		idx[k++] = v;
		p = *end ? end + 1 : end;
	}
	if (k != n)
		return seterr(err, len, "--index '%s': %d numbers for %d SRC", list, k, n);
	return 0;
}

int cmd_merge(int argc, char **argv)
{
	const char *out = NULL, *index = NULL;
	unsigned *idx = NULL;
	struct cli_parser p;
	char err[1024];
	int key, n, status, ret = EXIT_OK;

	cli_start(&p, &cmd_merge_help, argc, argv, false);
	while ((key = cli_next(&p)) >= 0) {
		switch (key) {
		case OPT_OUT: out = p.arg; break;
		case OPT_INDEX: index = p.arg; break;
		}
	}
	status = cli_finish(&p, key);
	if (status >= 0)
		return status;
	n = argc - p.optind;
	if (!out || n < 1) {
		errmsg("merge: name --out DST and at least one SRC (--help for more)");
		return EXIT_USAGE;
	}
	if (index) {
		idx = xcalloc(n, sizeof(*idx));
		if (parse_index(index, idx, n, err, sizeof(err))) {
			errmsg("merge: %s", err);
			free(idx);
			return EXIT_USAGE;
		}
	}
	if (rw_merge(out, argv + p.optind, idx, n, err, sizeof(err))) {
		errmsg("merge: %s", err);
		ret = EXIT_USAGE;
	}
	free(idx);
	return ret;
}
