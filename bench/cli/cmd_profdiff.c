// SPDX-License-Identifier: MIT
/* uffdbench profdiff --base FILE... FILE...: two sides' kernel profiles. */
#include "cli/commands.h"
#include "cli/opt.h"
#include "compare/profdiff.h"
#include "core/alloc.h"
#include "core/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_BASE, OPT_TOP, OPT_NAMES };

static const struct cli_opt profdiff_opts[] = {
	{ "base", "FILE", OPT_BASE, "a file of the base side (repeat for several)",
	  .values = "@file" },
	{ "top", "N", OPT_TOP, "the N largest moves", "30" },
	{ "names", "BASE,NEW", OPT_NAMES, "the two columns' titles", "base,new" },
	{ 0 }
};

const struct cli_help cmd_profdiff_help = {
	.head =
	"usage: uffdbench profdiff [--top N] [--names BASE,NEW] --base FILE...\n"
	"                          FILE...\n\n"
	"Which kernel functions' share of the samples moved between two profiles:\n"
	"the text of perf report --stdio -n --sort sym (\"12.34%  1234  [k] sym\"\n"
	"lines, or \"1234 [k] sym\" as scripts/profile --keep keeps them).  The\n"
	"--base files (e.g. one per boot of kernel A) and the other files (kernel\n"
	"B's) are summed per side; each kernel symbol ([k]) gets its share of its\n"
	"side's kernel samples, the difference in percentage points and 3.5 sigma\n"
	"of its binomial sampling noise (* beyond it: p < 0.05 over ~100 symbols).\n"
	"scripts/profile --diff and scripts/kernel-ab --profile print this.\n\n",
	.opts = profdiff_opts,
	.tail =
	"Examples:\n"
	"  uffdbench profdiff --base prof-a/path.txt prof-b/path.txt\n"
	"  uffdbench profdiff --names A,B --base ab/boot-1-A/profile.txt \\\n"
	"      --base ab/boot-3-A/profile.txt ab/boot-2-B/profile.txt\n\n"
	"Exit status: 0 printed; 2 bad input (a file that cannot be read, a side\n"
	"without kernel samples, a sample line that cannot be: FILE:LINE).\n",
	.operands = "@file",
};

int cmd_profdiff(int argc, char **argv)
{
	struct pd_opts o = { .top = 30, .base_name = "base", .new_name = "new" };
	char **base = xcalloc(argc, sizeof(*base));
	char err[1024], names[64] = "", *end;
	int key, status, nbase = 0, ret = EXIT_USAGE;
	struct cli_parser p;
	unsigned long top;

	cli_start(&p, &cmd_profdiff_help, argc, argv, false);
	while ((key = cli_next(&p)) >= 0) {
		switch (key) {
		case OPT_BASE:
			base[nbase++] = (char *)p.arg;	/* one of argv's strings */
			break;
		case OPT_TOP:
			top = strtoul(p.arg, &end, 10);
			if (!*p.arg || *end || *p.arg == '-' || !top || top > 100000) {
				errmsg("profdiff: --top '%s': want a whole number, 1 or more", p.arg);
				goto out;
			}
			o.top = top;
			break;
		case OPT_NAMES:
			snprintf(names, sizeof(names), "%s", p.arg);
			end = strchr(names, ',');
			if (!end || end == names || !end[1] || strchr(end + 1, ',') ||
			    strlen(p.arg) >= sizeof(names) || strlen(end + 1) > 8 ||
			    (size_t)(end - names) > 8) {
				errmsg("profdiff: --names '%s': want BASE,NEW (up to 8 characters each)",
				       p.arg);
				goto out;
			}
			*end = '\0';
			o.base_name = names;
			o.new_name = end + 1;
			break;
		}
	}
	status = cli_finish(&p, key);
	if (status >= 0) {
		ret = status;
		goto out;
	}
	if (!nbase || p.optind >= argc) {
		errmsg("profdiff: name --base FILE and at least one other FILE (--help for more)");
		goto out;
	}
	if (pd_run(stdout, base, nbase, argv + p.optind, argc - p.optind, &o, err, sizeof(err)))
		errmsg("profdiff: %s", err);
	else
		ret = EXIT_OK;
out:
	free(base);
	return ret;
}
