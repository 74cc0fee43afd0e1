// SPDX-License-Identifier: MIT
/*
 * results.jsonl, as compare reads it: rr_load, then a comparison of the
 * directory with itself in one of the four formats (and --paired or
 * --stat min), so whatever the reader accepts goes through the statistics
 * and every printer.
 */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = { "text", "json", "markdown", "csv" };
	const char *dir = fz_path("r");

	fz_put("r", "results.jsonl", data, size);
	fz_cmd(cmd_compare, "compare", "--resamples", "100", "--format", formats[size % 4],
	       size % 3 ? "--stat=median" : "--stat=min", size % 5 ? "--fdr" : "--paired",
	       dir, dir, NULL);
	return 0;
}
