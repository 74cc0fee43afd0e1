// SPDX-License-Identifier: MIT
/*
 * Option lists: the input's first byte picks a run option (--memtype,
 * --batch, --size, ...), the rest is its value, set over the defaults and
 * expanded; and the same text through parse_size and parse_uint.
 */
#include "fuzz_util.h"
#include "core/common.h"
#include "run/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "memtype", "ioctl", "batch", "threads", "size",
					    "rounds", "warmup", "verify", "inject-ns",
					    "description" };
	struct run_spec s;
	struct cell *cells;
	char err[512], *val;
	size_t bytes;
	unsigned u;
	int n;

	if (!size)
		return 0;
	val = malloc(size);
	if (!val)
		abort();
	memcpy(val, data + 1, size - 1);
	val[size - 1] = '\0';
	spec_defaults(&s);
	if (!spec_set(&s, keys[data[0] % ARRAY_SIZE(keys)], val, err, sizeof(err))) {
		n = spec_expand(&s, 2, &cells, err, sizeof(err));
		if (n >= 0)
			free(cells);
	}
	parse_size(val, &bytes);
	parse_uint(val, &u);
	free(val);
	return 0;
}
