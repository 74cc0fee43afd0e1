// SPDX-License-Identifier: MIT
/*
 * perf report's text, as profdiff reads it (scripts/profile --diff,
 * kernel-ab --profile): the input is the new side against a fixed base, and
 * the base against itself as the input.
 */
#include "fuzz_util.h"

static const char base[] =
	"# Samples: 1K of event 'cpu-clock'\n#\n"
	"    52.10%           521  [k] mfill_atomic\n"
	"    30.00%           300  [k] shmem_get_folio\n"
	"    17.90%           179  [.] main\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_put_text("p", "base.txt", base);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[256], b[256];

	fz_put("p", "in.txt", data, size);
	snprintf(in, sizeof(in), "%s/in.txt", fz_path("p"));
	snprintf(b, sizeof(b), "%s/base.txt", fz_path("p"));
	fz_cmd(cmd_profdiff, "profdiff", "--top", size % 2 ? "3" : "30", "--base", b, in, NULL);
	fz_cmd(cmd_profdiff, "profdiff", "--names", "A,B", "--base", in, "--base", in, b, NULL);
	return 0;
}
