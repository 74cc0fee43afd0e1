// SPDX-License-Identifier: MIT
/*
 * caps.json: a directory whose caps.json is the input compared against one
 * with a fixed caps.json (the functional differences, which exclude cells).
 */
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_put_text("base", "results.jsonl", fz_results);
	fz_put_text("base", "caps.json", fz_caps);
	fz_put_text("c", "results.jsonl", fz_results);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_put("c", "caps.json", data, size);
	fz_cmd(cmd_compare, "compare", "--resamples", "100", "--format",
	       size % 2 ? "json" : "markdown", fz_path("base"), fz_path("c"), NULL);
	return 0;
}
