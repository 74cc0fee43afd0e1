// SPDX-License-Identifier: MIT
/*
 * env.json: a directory whose env.json is the input compared against one
 * with a fixed env.json (the environment differences and their warnings),
 * and its kernel release, CPU and host in plot's titles and report.
 */
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("UFFDBENCH_GNUPLOT", "/bin/true", 1);
	fz_put_text("base", "results.jsonl", fz_results);
	fz_put_text("base", "env.json", fz_env);
	fz_put_text("e", "results.jsonl", fz_results);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_put("e", "env.json", data, size);
	fz_cmd(cmd_compare, "compare", "--resamples", "100", "--format",
	       size % 2 ? "json" : "text", fz_path("base"), fz_path("e"), NULL);
	if (size % 4 == 0)	/* plot forks gnuplot per figure: a quarter of the inputs */
		fz_cmd(cmd_plot, "plot", "--format", "svg", "--out", fz_path("plots"),
		       fz_path("base"), fz_path("e"), NULL);
	return 0;
}
