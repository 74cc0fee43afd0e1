// SPDX-License-Identifier: MIT
/*
 * Anonymous memory with transparent huge pages on (MADV_HUGEPAGE, ranges of
 * several 2 MiB extents): COPY and ZEROPAGE while MADV_DONTNEED of random
 * sub-ranges, which cross 2 MiB boundaries, splits whatever huge pages
 * khugepaged or the faults made.  Needs THP "always" or "madvise".
 */
#include "stress/scenario.h"
#include "stress/stress.h"

#include <stdio.h>
#include <string.h>

#define THP_ENABLED "/sys/kernel/mm/transparent_hugepage/enabled"

static int thp_prepare(struct stress_ctx *c, char *why, size_t len)
{
	char buf[128] = "";
	FILE *f = fopen(THP_ENABLED, "r");

	(void)c;
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	if (strstr(buf, "[always]") || strstr(buf, "[madvise]"))
		return 0;
	snprintf(why, len, "transparent huge pages are off here (%s: %s)", THP_ENABLED,
		 f ? strtok(buf, "\n") ? buf : "empty" : "absent");
	return -1;
}

const struct stress_scenario sc_thp_split = {
	.name = "thp-split",
	.desc = "anon with THP on: COPY/ZEROPAGE racing MADV_DONTNEED across 2 MiB boundaries",
	.workers = SC_OPT, .zappers = 1, .populaters = 0, .touchers = 1, .checkers = 1,
	.handlers = 2, .forkers = 0, .worker_kinds = 1u << SK_COPY | 1u << SK_ZEROPAGE,
	.thp = true, .backing = "anon", .prepare = thp_prepare,
};
