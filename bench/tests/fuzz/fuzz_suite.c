// SPDX-License-Identifier: MIT
/*
 * Suite files: the input as workloads/suites/fuzz.suite, loaded and, when it
 * loads, expanded into the matrix of cells and their keys.
 */
#include "fuzz_util.h"
#include "run/spec.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("UFFDBENCH_SUITES", fz_path("suites"), 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run_spec s;
	struct cell *cells;
	char err[512], key[160];
	int n;

	fz_put("suites", "fuzz.suite", data, size);
	spec_defaults(&s);
	if (spec_load_suite(&s, "fuzz", err, sizeof(err)))
		return 0;
	n = spec_expand(&s, 2, &cells, err, sizeof(err));
	for (int i = 0; i < n; i++)
		cell_key(&cells[i], key, sizeof(key));
	if (n >= 0)
		free(cells);
	return 0;
}
