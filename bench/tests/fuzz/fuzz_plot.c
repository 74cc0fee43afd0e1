// SPDX-License-Identifier: MIT
/*
 * results.jsonl, as plot reads it: every figure's data and script and the
 * report, for the directory alone and against itself.  gnuplot is
 * /bin/true: the scripts are written, not drawn.
 */
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("UFFDBENCH_GNUPLOT", "/bin/true", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fz_path("p"), *out = fz_path("plots");

	fz_put("p", "results.jsonl", data, size);
	fz_put_text("p", "env.json", fz_env);
	fz_cmd(cmd_plot, "plot", "--format", "svg", "--out", out, dir, dir, NULL);
	return 0;
}
