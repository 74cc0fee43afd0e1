// SPDX-License-Identifier: MIT
/*
 * The scripts' JSON files (boot.json, steps.jsonl, env.json) as `json --get`
 * and `json --set` read them, and results.jsonl as merge and split rewrite
 * it: the input is both the file json reads and a results directory merged
 * with itself and split by parity or by delay.
 */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char cmd[256];

	fz_put("j", "in.json", data, size);
	fz_put("j", "results.jsonl", data, size);
	snprintf(cmd, sizeof(cmd), "%s/in.json", fz_path("j"));
	fz_cmd(cmd_json, "json", "--get", "status,round,kernel.release,a.b.c,repeat", cmd, NULL);
	fz_cmd(cmd_json, "json", "--set", "host=h", "n:=[1,{\"x\":null}]", cmd, NULL);
	/* every part of the last split: fz_path("s-") and whatever follows */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'*", fz_path("m"), fz_path("s-"));
	if (system(cmd))
		abort();
	fz_cmd(cmd_merge, "merge", "--index", "3,1", "--out", fz_path("m"), fz_path("j"),
	       fz_path("j"), NULL);
	fz_cmd(cmd_split, "split", "--by", size % 2 ? "parity" : "inject", fz_path("j"),
	       fz_path("s-"), NULL);
	return 0;
}
